/* nw-graph-model-edit.c: NwGraphModel's edits, each a pure change to a copy of the spec that
 * nw_graph_model_commit then makes one undoable step, with errors that name the node, edge
 * or field refused; and the automatic layout, in canvas units. */
#include "nw-graph-model-private.h"
#include "nw-i18n.h"
#include "nw-node-kind.h"

#include <math.h>
#include <string.h>

/* Pure edits on a spec ------------------------------------------------------------------- */

static gboolean
is_multi_input (NwNodeKind kind)
{
  return kind == NW_NODE_ADD || kind == NW_NODE_CONCAT;
}

/* The inputs of an Add/Concat close up: ports renumbered 0, 1, ... in their order. */
static void
compact_ports (NwSpec *spec, const char *to)
{
  const NwNodeSpec *node = nw_spec_find_node (spec, to);
  int n, next = 0;

  if (node == NULL || !is_multi_input (node->kind))
    return;
  n = nw_graph_spec_n_fed_ports (spec, to);
  for (int p = 0; p < n; p++)
    {
      int e = nw_graph_spec_edge_into (spec, to, p);
      if (e < 0)
        continue;
      ((NwEdgeSpec *) g_ptr_array_index (spec->edges, (guint) e))->port = next++;
    }
}

static gboolean
spec_connect (NwSpec *spec, const char *from, const char *to, int port, GError **error)
{
  const NwNodeSpec *a = nw_spec_find_node (spec, from);
  const NwNodeSpec *b = nw_spec_find_node (spec, to);
  int e;

  if (a == NULL || b == NULL)
    {
      g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_NODE,
                   _("node '%s': no such node"), a == NULL ? from : to);
      return FALSE;
    }
  if (a == b)
    {
      g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_REFUSED,
                   _("edge '%s' -> '%s': a block cannot feed itself"), from, to);
      return FALSE;
    }
  if (a->kind == NW_NODE_LOSS || b->kind == NW_NODE_INPUT)
    {
      g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_REFUSED,
                   _("edge '%s' -> '%s': %s"), from, to,
                   a->kind == NW_NODE_LOSS ? _("the loss has no output") : _("the input has no inputs"));
      return FALSE;
    }
  if (port < 0)
    {
      if (!is_multi_input (b->kind))
        port = 0;
      else
        for (port = 0; nw_graph_spec_edge_into (spec, to, port) >= 0; port++)
          ;
    }
  if ((!is_multi_input (b->kind) && port != 0) || port > 4096)
    {
      g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_REFUSED,
                   _("edge '%s' -> '%s': node '%s' has no input port %d"), from, to, to, port);
      return FALSE;
    }

  e = nw_graph_spec_edge_into (spec, to, port);
  if (e >= 0)
    {
      NwEdgeSpec *old = g_ptr_array_index (spec->edges, (guint) e);
      if (g_strcmp0 (old->from, from) == 0)
        {
          g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_NO_CHANGE,
                       _("edge '%s' -> '%s' is already there"), from, to);
          return FALSE;
        }
      g_free (old->from);
      old->from = g_strdup (from);
      return TRUE;
    }
  /* A second wire from the same block into an Add/Concat is fine (x + x); into one port of a
   * single-input block it is the replaced case above. */
  nw_spec_add_edge (spec, from, to, port);
  return TRUE;
}

static void
spec_remove_node (NwSpec *spec, const char *id)
{
  g_autoptr (GPtrArray) fed = g_ptr_array_new_with_free_func (g_free);

  for (guint e = 0; e < spec->edges->len; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, e);
      if (g_strcmp0 (edge->from, id) == 0)
        g_ptr_array_add (fed, g_strdup (edge->to));
    }
  nw_spec_remove_node (spec, id);
  for (guint k = 0; k < fed->len; k++)
    compact_ports (spec, g_ptr_array_index (fed, k));
}

static char *
fresh_id (const NwSpec *spec, NwNodeKind kind)
{
  static const char *const prefixes[NW_N_NODE_KINDS] = {
    "input", "dense", "act", "dropout", "bn", "ln", "add", "concat", "loss",
  };
  const char *base = (int) kind >= 0 && kind < NW_N_NODE_KINDS ? prefixes[kind] : "node";

  if ((kind == NW_NODE_INPUT || kind == NW_NODE_LOSS) && nw_spec_find_node (spec, base) == NULL)
    return g_strdup (base);
  for (guint n = 1;; n++)
    {
      char *id = g_strdup_printf ("%s%u", base, n);
      if (nw_spec_find_node (spec, id) == NULL)
        return id;
      g_free (id);
    }
}

static double
tidy_coordinate (double v)
{
  if (!isfinite (v))
    return 0.0;
  return round (CLAMP (v, -1e6, 1e6));
}

/* Renames `node` and its wires (in a copy of the spec). */
static gboolean
rename_node (NwSpec *spec, NwNodeSpec *node, const char *value, GError **error)
{
  g_autofree char *old = NULL;

  if (!nw_spec_id_is_valid (value))
    {
      g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_INVALID_VALUE,
                   _("node '%s': '%s' is not a valid id: ids are ASCII letters, digits, '_', '.' "
                     "or '-' (Korean or other text belongs in the network's name)"),
                   node->id, value);
      return FALSE;
    }
  if (strcmp (value, node->id) == 0)
    return TRUE;
  if (nw_spec_find_node (spec, value) != NULL)
    {
      g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_INVALID_VALUE,
                   _("node '%s': id '%s' is taken by another node"), node->id, value);
      return FALSE;
    }
  old = node->id;
  node->id = g_strdup (value);
  for (guint j = 0; j < spec->edges->len; j++)
    {
      NwEdgeSpec *edge = g_ptr_array_index (spec->edges, j);
      if (strcmp (edge->from, old) == 0)
        g_free (edge->from), edge->from = g_strdup (value);
      if (strcmp (edge->to, old) == 0)
        g_free (edge->to), edge->to = g_strdup (value);
    }
  return TRUE;
}

/* Sets one field of `node` (in a copy of the spec). */
static gboolean
apply_setting (NwSpec *spec, NwNodeSpec *node, const char *field, const char *value,
               GError **error)
{
  const NwField *f = nw_node_kind_field (node->kind, field);
  double d;

  if (strcmp (field, "id") == 0)
    return rename_node (spec, node, value, error);
  if (f == NULL)
    {
      g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_FIELD,
                   _("node '%s': a %s block has no setting '%s'"), node->id,
                   nw_graph_model_kind_label (node->kind), field);
      return FALSE;
    }
  /* Every setting of the node's kind, parsed and checked as its registry entry says. The
   * editor lets a spec hold what validation will then mark (an out-of-range p, say), so a
   * number out of range is still stored: only unparsable text is refused. */
  if (nw_node_spec_set_field (node, field, value, NULL))
    return TRUE;
  if (f->type == NW_FIELD_DOUBLE && nw_spec_parse_double (value, &d))
    {
      nw_field_set (f, node, d);
      return TRUE;
    }
  g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_INVALID_VALUE,
               _("node '%s': '%s' is not a value for '%s'"), node->id, value, field);
  return FALSE;
}

static gboolean
unknown_node (const char *id, GError **error)
{
  g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_NODE,
               _("node '%s': no such node"), id != NULL ? id : "(null)");
  return FALSE;
}

/* Public edits --------------------------------------------------------------------------- */

char *
nw_graph_model_add_node (NwGraphModel *self, NwNodeKind kind, double x, double y)
{
  NwSpec *after;
  NwNodeSpec *node;
  char *id;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), NULL);
  g_return_val_if_fail ((int) kind >= 0 && kind < NW_N_NODE_KINDS, NULL);

  after = nw_spec_copy (self->spec);
  id = fresh_id (after, kind);
  node = nw_spec_add_node (after, kind, id);
  node->x = tidy_coordinate (x);
  node->y = tidy_coordinate (y);
  if (kind == NW_NODE_DENSE)
    node->units = 4;
  nw_graph_model_commit (self, after, NULL, NULL);
  return id;
}

gboolean
nw_graph_model_rewire (NwGraphModel *self, int detach, const char *from, const char *to,
                       int port, GError **error)
{
  NwSpec *after;
  gboolean changed = FALSE;
  g_autofree char *detached_to = NULL;
  g_autoptr (GError) connect_error = NULL;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  after = nw_spec_copy (self->spec);
  if (detach >= 0 && (guint) detach < after->edges->len)
    {
      NwEdgeSpec *edge = g_ptr_array_index (after->edges, (guint) detach);
      /* Put back where it was: nothing to do. */
      if (from != NULL && g_strcmp0 (edge->from, from) == 0 && g_strcmp0 (edge->to, to) == 0
          && edge->port == port)
        {
          nw_spec_free (after);
          g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_NO_CHANGE,
                       _("edge '%s' -> '%s' is already there"), from, to);
          return FALSE;
        }
      detached_to = g_strdup (edge->to);
      g_ptr_array_remove_index (after->edges, (guint) detach);
      changed = TRUE;
    }
  if (from != NULL && to != NULL)
    changed |= spec_connect (after, from, to, port, &connect_error);
  if (detached_to != NULL)
    compact_ports (after, detached_to);
  if (!changed)
    {
      nw_spec_free (after);
      if (connect_error != NULL)
        g_propagate_error (error, g_steal_pointer (&connect_error));
      else
        g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_NO_CHANGE,
                     _("no wire to remove or make"));
      return FALSE;
    }
  /* A wire picked up and dropped where it cannot go is removed: that is still one step. */
  nw_graph_model_commit (self, after, NULL, NULL);
  return TRUE;
}

gboolean
nw_graph_model_connect (NwGraphModel *self, const char *from, const char *to, int port,
                        GError **error)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);
  return nw_graph_model_rewire (self, -1, from, to, port, error);
}

gboolean
nw_graph_model_remove_node (NwGraphModel *self, const char *id, GError **error)
{
  NwSpec *after;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  if (id == NULL || nw_graph_spec_node_index (self->spec, id) < 0)
    return unknown_node (id, error);
  after = nw_spec_copy (self->spec);
  spec_remove_node (after, id);
  nw_graph_model_commit (self, after, NULL, NULL);
  return TRUE;
}

gboolean
nw_graph_model_remove_edge (NwGraphModel *self, const char *from, const char *to, int port,
                            GError **error)
{
  NwSpec *after;
  int e;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  e = from != NULL && to != NULL ? nw_graph_spec_edge_into (self->spec, to, port) : -1;
  if (e < 0 || g_strcmp0 (((NwEdgeSpec *) g_ptr_array_index (self->spec->edges, (guint) e))->from, from) != 0)
    {
      g_set_error (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_EDGE,
                   _("edge '%s' -> '%s': no such wire into port %d"), from != NULL ? from : "(null)",
                   to != NULL ? to : "(null)", port);
      return FALSE;
    }
  after = nw_spec_copy (self->spec);
  g_ptr_array_remove_index (after->edges, (guint) e);
  compact_ports (after, to);
  nw_graph_model_commit (self, after, NULL, NULL);
  return TRUE;
}

gboolean
nw_graph_model_move_node (NwGraphModel *self, const char *id, double x, double y,
                          GError **error)
{
  NwSpec *after;
  NwNodeSpec *node;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  node = nw_spec_find_node (self->spec, id);
  if (node == NULL)
    return unknown_node (id, error);
  x = tidy_coordinate (x);
  y = tidy_coordinate (y);
  if (node->x == x && node->y == y)
    return TRUE;
  after = nw_spec_copy (self->spec);
  node = nw_spec_find_node (after, id);
  node->x = x;
  node->y = y;
  nw_graph_model_commit (self, after, NULL, NULL);
  return TRUE;
}

gboolean
nw_graph_model_set_node_setting (NwGraphModel *self, const char *id, const char *field,
                                 const char *value, GError **error)
{
  NwSpec *after;
  NwNodeSpec *node;
  gboolean rename;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  g_return_val_if_fail (field != NULL && value != NULL, FALSE);
  if (id == NULL || nw_graph_spec_node_index (self->spec, id) < 0)
    return unknown_node (id, error);
  after = nw_spec_copy (self->spec);
  node = nw_spec_find_node (after, id);
  if (!apply_setting (after, node, field, value, error))
    {
      nw_spec_free (after);
      return FALSE;
    }
  if (nw_graph_model_compare_specs (self->spec, after) == NW_GRAPH_EDIT_NONE)
    {
      nw_spec_free (after);
      return TRUE;
    }
  rename = strcmp (field, "id") == 0;
  nw_graph_model_commit (self, after, rename ? id : NULL, rename ? value : NULL);
  return TRUE;
}

/* Layout --------------------------------------------------------------------------------- */

#define LAYOUT_X0        40.0
#define LAYOUT_Y0        40.0
#define LAYOUT_DX        (NW_GRAPH_MODEL_BLOCK_WIDTH + 40.0)
#define LAYOUT_STACK_GAP 30.0
#define LAYOUT_ROW_GAP   50.0

gboolean
nw_graph_spec_needs_layout (const NwSpec *spec)
{
  if (spec->nodes->len < 2)
    return FALSE;
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      if (node->x != 0.0 || node->y != 0.0)
        return FALSE;
    }
  return TRUE;
}

/* Each node's depth: the longest path to it from a node without inputs (a cycle stops
 * below the number of nodes). Returns the deepest. */
static int
node_depths (const NwSpec *spec, int *depth)
{
  guint n = spec->nodes->len;
  int max_depth = 0;

  for (guint i = 0; i < n; i++)
    depth[i] = 0;
  for (guint iter = 0; iter < n; iter++)
    {
      gboolean changed = FALSE;
      for (guint e = 0; e < spec->edges->len; e++)
        {
          const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, e);
          int a = nw_graph_spec_node_index (spec, edge->from);
          int b = nw_graph_spec_node_index (spec, edge->to);
          if (a >= 0 && b >= 0 && a != b && depth[b] < depth[a] + 1 && depth[a] + 1 < (int) n)
            {
              depth[b] = depth[a] + 1;
              changed = TRUE;
            }
        }
      if (!changed)
        break;
    }
  for (guint i = 0; i < n; i++)
    max_depth = MAX (max_depth, depth[i]);
  return max_depth;
}

int
nw_graph_model_get_layout_depth (NwGraphModel *self)
{
  g_autofree int *depth = NULL;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), 1);
  depth = g_new0 (int, MAX (self->spec->nodes->len, 1));
  return node_depths (self->spec, depth) + 1;
}

/* Columns by depth, wrapping after `columns` columns so that a long chain reads as lines of
 * text do; blocks of one depth stack, each row as tall as its tallest stack. */
void
nw_graph_model_auto_layout (NwGraphModel *self, int columns, const double *heights)
{
  NwSpec *spec;
  guint n;
  g_autofree int *depth = NULL;
  g_autofree double *offset = NULL;    /* within its stack */
  g_autofree double *stack = NULL;     /* height of each depth's stack */
  g_autofree double *row_top = NULL;
  int max_depth, n_rows;

  g_return_if_fail (NW_IS_GRAPH_MODEL (self));
  spec = self->spec;
  n = spec->nodes->len;
  depth = g_new0 (int, MAX (n, 1));
  offset = g_new0 (double, MAX (n, 1));
  max_depth = node_depths (spec, depth);
  columns = CLAMP (columns, 1, max_depth + 1);

  stack = g_new0 (double, max_depth + 1);
  for (guint i = 0; i < n; i++)
    {
      double h = heights != NULL ? heights[i] : NW_GRAPH_MODEL_BLOCK_HEIGHT;
      offset[i] = stack[depth[i]] > 0 ? stack[depth[i]] + LAYOUT_STACK_GAP : 0;
      stack[depth[i]] = offset[i] + h;
    }
  n_rows = max_depth / columns + 1;
  row_top = g_new0 (double, n_rows + 1);
  row_top[0] = LAYOUT_Y0;
  for (int r = 0; r < n_rows; r++)
    {
      double tallest = 0;
      for (int d = r * columns; d <= max_depth && d < (r + 1) * columns; d++)
        tallest = MAX (tallest, stack[d]);
      row_top[r + 1] = row_top[r] + tallest + LAYOUT_ROW_GAP;
    }
  for (guint i = 0; i < n; i++)
    {
      NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      int d = depth[i];
      node->x = LAYOUT_X0 + (d % columns) * LAYOUT_DX;
      node->y = row_top[d / columns] + offset[i];
    }
}
