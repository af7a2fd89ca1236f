/* nw-editor-model.c: NwEditor's model: the spec, its edits and their undo/redo (a stack of
 * whole-spec snapshots: simple and exact), validation and what it marks, and what the editor
 * infers for display even when the graph is invalid (widths, parameter counts, titles). */
#include "nw-editor-private.h"
#include "nw-node-kind.h"
#include "nw-activation.h"

#include <math.h>
#include <string.h>

/* Kinds ---------------------------------------------------------------------------------- */

const char *
nw_editor_kind_label (NwNodeKind kind)
{
  const NwNodeKindInfo *info = nw_node_kind_info (kind);
  return info != NULL ? info->label : "Block";
}

void
nw_editor_kind_color (NwNodeKind kind, double rgb[3])
{
  /* GNOME palette, light shades; red is kept for errors. */
  static const guint32 colors[NW_N_NODE_KINDS] = {
    0x8ff0a4, /* input: green */
    0x99c1f1, /* dense: blue */
    0xf9f06b, /* activation: yellow */
    0xffbe6f, /* dropout: orange */
    0xdc8add, /* batchnorm: purple */
    0xe5c1f0, /* layernorm: light purple */
    0xdeddda, /* add: light grey */
    0xcdab8f, /* concat: brown */
    0x93ddd5, /* loss: teal */
  };
  guint32 c = (int) kind >= 0 && kind < NW_N_NODE_KINDS ? colors[kind] : 0xc0bfbc;
  rgb[0] = ((c >> 16) & 0xff) / 255.0;
  rgb[1] = ((c >> 8) & 0xff) / 255.0;
  rgb[2] = (c & 0xff) / 255.0;
}

gboolean
nw_editor_node_has_toggle (const NwNodeSpec *node)
{
  /* Kinds with an `enabled` setting can be switched on and off on the canvas. */
  return nw_node_kind_field (node->kind, "enabled") != NULL;
}

static const char *
activation_label (NwActivation a)
{
  const NwActivationInfo *info = nw_activation_info (a);
  return info != NULL ? info->label : "Activation";
}

static const char *
loss_label (NwLoss l)
{
  static const char *const labels[NW_N_LOSSES] = {
    "Loss: BCE", "Loss: BCE logits", "Loss: softmax CE", "Loss: MSE",
  };
  return (int) l >= 0 && l < NW_N_LOSSES ? labels[l] : "Loss";
}

char *
nw_editor_node_title (NwEditor *self, const NwNodeSpec *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (node->kind)
    {
    case NW_NODE_INPUT:
      return self->input_width > 0 ? g_strdup_printf ("Input %d", self->input_width)
                                   : g_strdup ("Input");
    case NW_NODE_DENSE:
      return node->units > 0 ? g_strdup_printf ("Dense %d", node->units) : g_strdup ("Dense ?");
    case NW_NODE_ACTIVATION:
      if (nw_activation_info (node->activation) != NULL && nw_activation_info (node->activation)->has_alpha)
        return g_strdup_printf ("%s %s", activation_label (node->activation),
                                g_ascii_formatd (buf, sizeof buf, "%g", node->alpha));
      return g_strdup (activation_label (node->activation));
    case NW_NODE_DROPOUT:
      return g_strdup_printf ("Dropout %s", g_ascii_formatd (buf, sizeof buf, "%g", node->p));
    case NW_NODE_LOSS:
      return g_strdup (loss_label (node->loss));
    case NW_NODE_BATCHNORM:
    case NW_NODE_LAYERNORM:
    case NW_NODE_ADD:
    case NW_NODE_CONCAT:
    default:
      return g_strdup (nw_editor_kind_label (node->kind));
    }
}

/* Graph queries -------------------------------------------------------------------------- */

static int
spec_node_index (const NwSpec *spec, const char *id)
{
  if (id == NULL)
    return -1;
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      if (g_strcmp0 (node->id, id) == 0)
        return (int) i;
    }
  return -1;
}

int
nw_editor_node_index (NwEditor *self, const char *id)
{
  return spec_node_index (self->spec, id);
}

int
nw_editor_edge_into (const NwSpec *spec, const char *to, int port)
{
  for (guint e = 0; e < spec->edges->len; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, e);
      if (edge->port == port && g_strcmp0 (edge->to, to) == 0)
        return (int) e;
    }
  return -1;
}

int
nw_editor_source_of (const NwSpec *spec, int node, int port)
{
  const NwNodeSpec *n = g_ptr_array_index (spec->nodes, (guint) node);
  int e = nw_editor_edge_into (spec, n->id, port);
  if (e < 0)
    return -1;
  return spec_node_index (spec, ((const NwEdgeSpec *) g_ptr_array_index (spec->edges, (guint) e))->from);
}

/* 1 + the highest input port fed (0: none). */
int
nw_editor_n_fed_ports (const NwSpec *spec, const NwNodeSpec *node)
{
  int n = 0;
  for (guint e = 0; e < spec->edges->len; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, e);
      if (g_strcmp0 (edge->to, node->id) == 0)
        n = MAX (n, edge->port + 1);
    }
  return n;
}

/* Inferred widths ------------------------------------------------------------------------ */

static int
infer_width (NwEditor *self, int i, const int *widths)
{
  const NwNodeSpec *node = g_ptr_array_index (self->spec->nodes, (guint) i);

  switch (node->kind)
    {
    case NW_NODE_INPUT:
      return self->input_width > 0 ? self->input_width : -1;
    case NW_NODE_DENSE:
      return node->units > 0 ? node->units : -1;
    case NW_NODE_LOSS:
      return 1;
    case NW_NODE_ADD:
    case NW_NODE_CONCAT:
      {
        int ports = nw_editor_n_fed_ports (self->spec, node);
        gint64 sum = 0;
        int first = -1;
        if (ports == 0)
          return -1;
        for (int p = 0; p < ports; p++)
          {
            int src = nw_editor_source_of (self->spec, i, p);
            int w = src >= 0 ? widths[src] : -1;
            if (w < 0)
              return -1;
            if (first < 0)
              first = w;
            else if (node->kind == NW_NODE_ADD && w != first)
              return -1;
            sum += w;
          }
        if (node->kind == NW_NODE_ADD)
          return first;
        return sum <= G_MAXINT ? (int) sum : -1;
      }
    case NW_NODE_ACTIVATION:
    case NW_NODE_DROPOUT:
    case NW_NODE_BATCHNORM:
    case NW_NODE_LAYERNORM:
    default:
      {
        int src = nw_editor_source_of (self->spec, i, 0);
        return src >= 0 ? widths[src] : -1;
      }
    }
}

/* Widths propagate along the wires until nothing changes; nodes on a cycle with no width of
 * their own stay unknown. */
static void
infer_widths (NwEditor *self)
{
  guint n = self->spec->nodes->len;
  int *w;

  g_array_set_size (self->widths, n);
  w = (int *) (void *) self->widths->data;
  for (guint i = 0; i < n; i++)
    w[i] = -1;
  for (guint iter = 0; iter <= n; iter++)
    {
      gboolean changed = FALSE;
      for (guint i = 0; i < n; i++)
        {
          int v = infer_width (self, (int) i, w);
          if (v != w[i])
            {
              w[i] = v;
              changed = TRUE;
            }
        }
      if (!changed)
        break;
    }
}

int
nw_editor_width_at (NwEditor *self, int node)
{
  if (node < 0 || (guint) node >= self->widths->len)
    return -1;
  return g_array_index (self->widths, int, (guint) node);
}

gint64
nw_editor_params_at (NwEditor *self, int i)
{
  const NwNodeSpec *node;
  const NwNodeKindInfo *info;

  if (i < 0 || (guint) i >= self->spec->nodes->len)
    return -1;
  node = g_ptr_array_index (self->spec->nodes, (guint) i);
  info = nw_node_kind_info (node->kind);
  if (info == NULL || info->count_params == NULL)
    return 0;
  {
    int in = info->n_inputs > 0 ? nw_editor_width_at (self, nw_editor_source_of (self->spec, i, 0)) : 0;
    int w = nw_editor_width_at (self, i);
    gint64 n = info->count_params (node, in > 0 ? in : 0, w > 0 ? w : 0);
    /* Unknown widths: unknown, unless the count does not depend on them (no affine). */
    if ((in <= 0 || w <= 0) && n != 0)
      return -1;
    if (node->kind == NW_NODE_DENSE && node->units <= 0)
      return -1;
    return n;
  }
}

/* Validation and its marks --------------------------------------------------------------- */

/* The text between quotes at `p` (which points just past the opening quote). */
static char *
quoted (const char *p, const char **end)
{
  const char *q = strchr (p, '\'');
  if (q == NULL)
    return NULL;
  if (end != NULL)
    *end = q + 1;
  return g_strndup (p, (gsize) (q - p));
}

static void
mark_edge (NwEditor *self, const char *from, const char *to)
{
  g_hash_table_add (self->marked_edges, g_strconcat (from, "\n", to, NULL));
}

gboolean
nw_editor_edge_is_marked (NwEditor *self, const NwEdgeSpec *edge)
{
  g_autofree char *key = NULL;
  if (g_hash_table_size (self->marked_edges) == 0)
    return FALSE;
  key = g_strconcat (edge->from, "\n", edge->to, NULL);
  return g_hash_table_contains (self->marked_edges, key);
}

/* The message names the node ("node 'ID'") or the edge ("edge 'A' -> 'B'") at fault,
 * whichever comes first; a cycle ("node 'a' is on a cycle: a -> b -> a") marks its path. */
static void
parse_error (NwEditor *self, const char *message)
{
  const char *n = strstr (message, "node '");
  const char *e = strstr (message, "edge '");

  if (e != NULL && (n == NULL || e < n))
    {
      const char *rest = NULL;
      char *from = quoted (e + strlen ("edge '"), &rest);
      if (from != NULL && g_str_has_prefix (rest, " -> '"))
        {
          char *to = quoted (rest + strlen (" -> '"), NULL);
          if (to != NULL)
            {
              self->error_from = from;
              self->error_to = to;
              mark_edge (self, from, to);
              return;
            }
        }
      g_free (from);
    }
  else if (n != NULL)
    {
      const char *rest = NULL;
      char *id = quoted (n + strlen ("node '"), &rest);
      const char *cycle;
      if (id == NULL)
        return;
      self->error_node = id;
      g_hash_table_add (self->marked_nodes, g_strdup (id));
      cycle = strstr (rest, " is on a cycle: ");
      if (cycle != NULL)
        {
          g_auto (GStrv) path = g_strsplit (cycle + strlen (" is on a cycle: "), " -> ", -1);
          for (int k = 0; path[k] != NULL; k++)
            {
              g_hash_table_add (self->marked_nodes, g_strdup (path[k]));
              if (path[k + 1] != NULL)
                mark_edge (self, path[k], path[k + 1]);
            }
        }
    }
}

void
nw_editor_revalidate (NwEditor *self)
{
  g_autoptr (GError) error = NULL;
  gboolean was_valid = self->valid;
  g_autofree char *old_reason = g_steal_pointer (&self->reason);

  infer_widths (self);
  g_clear_pointer (&self->error_node, g_free);
  g_clear_pointer (&self->error_from, g_free);
  g_clear_pointer (&self->error_to, g_free);
  g_hash_table_remove_all (self->marked_nodes);
  g_hash_table_remove_all (self->marked_edges);

  self->valid = nw_spec_validate (self->spec, self->input_width, self->target_width,
                                  self->n_classes, NULL, NULL, &error);
  if (!self->valid)
    {
      self->reason = g_strdup (error != NULL ? error->message : "the network is not valid");
      parse_error (self, self->reason);
    }

  if (was_valid != self->valid)
    g_object_notify (G_OBJECT (self), "valid");
  if (g_strcmp0 (old_reason, self->reason) != 0)
    g_object_notify (G_OBJECT (self), "invalid-reason");
  if (self->canvas != NULL)
    gtk_widget_queue_draw (self->canvas);
}

/* Comparing specs ------------------------------------------------------------------------ */

static gboolean
same_settings (const NwNodeSpec *a, const NwNodeSpec *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && a->kind == b->kind && a->units == b->units
         && a->bias == b->bias && a->weight_init == b->weight_init
         && a->weight_init_param == b->weight_init_param && a->bias_init == b->bias_init
         && a->bias_init_param == b->bias_init_param && a->activation == b->activation
         && a->alpha == b->alpha && a->p == b->p && a->momentum == b->momentum
         && a->eps == b->eps && a->affine == b->affine && a->loss == b->loss;
}

NwEditorEdit
nw_editor_compare_specs (const NwSpec *a, const NwSpec *b)
{
  gboolean moved = FALSE, toggled = FALSE;

  if (a->nodes->len != b->nodes->len || a->edges->len != b->edges->len)
    return NW_EDITOR_EDIT_STRUCTURE;
  for (guint e = 0; e < a->edges->len; e++)
    {
      const NwEdgeSpec *x = g_ptr_array_index (a->edges, e), *y = g_ptr_array_index (b->edges, e);
      if (g_strcmp0 (x->from, y->from) != 0 || g_strcmp0 (x->to, y->to) != 0 || x->port != y->port)
        return NW_EDITOR_EDIT_STRUCTURE;
    }
  for (guint i = 0; i < a->nodes->len; i++)
    {
      const NwNodeSpec *x = g_ptr_array_index (a->nodes, i), *y = g_ptr_array_index (b->nodes, i);
      if (!same_settings (x, y))
        return NW_EDITOR_EDIT_STRUCTURE;
      moved |= x->x != y->x || x->y != y->y;
      toggled |= x->enabled != y->enabled;
    }
  return toggled ? NW_EDITOR_EDIT_TOGGLE : moved ? NW_EDITOR_EDIT_LAYOUT : NW_EDITOR_EDIT_NONE;
}

/* Applying changes ----------------------------------------------------------------------- */

static void
notify_stacks (NwEditor *self, gboolean could_undo, gboolean could_redo)
{
  if (could_undo != (self->undo->len > 0))
    g_object_notify (G_OBJECT (self), "can-undo");
  if (could_redo != (self->redo->len > 0))
    g_object_notify (G_OBJECT (self), "can-redo");
}

/* Everything that follows a change of self->spec from `before` (borrowed). */
static void
after_change (NwEditor *self, const NwSpec *before)
{
  self->layout_fresh = FALSE;
  self->last_edit = nw_editor_compare_specs (before, self->spec);
  self->selected_edge = -1;
  if (self->selected != NULL && nw_editor_node_index (self, self->selected) < 0)
    {
      g_clear_pointer (&self->selected, g_free);
      g_object_notify (G_OBJECT (self), "selected");
    }
  nw_editor_revalidate (self);
  nw_editor_popover_sync (self);

  /* The switches the trainer takes live. */
  for (guint i = 0; i < self->spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (self->spec->nodes, i);
      const NwNodeSpec *old = nw_spec_find_node (before, node->id);
      if (old != NULL && old->kind == node->kind && nw_editor_node_has_toggle (node)
          && old->enabled != node->enabled)
        g_signal_emit_by_name (self, "node-toggled", node->id, node->enabled);
    }
  g_signal_emit_by_name (self, "spec-changed");
}

static void
push_undo (NwEditor *self, NwSpec *before)
{
  g_ptr_array_add (self->undo, before);
  while (self->undo->len > NW_EDITOR_UNDO_LIMIT)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
}

void
nw_editor_commit_in_place (NwEditor *self, NwSpec *before)
{
  gboolean could_undo = self->undo->len > 0, could_redo = self->redo->len > 0;

  push_undo (self, before);
  after_change (self, before);
  notify_stacks (self, could_undo, could_redo);
}

void
nw_editor_commit (NwEditor *self, NwSpec *after)
{
  NwSpec *before = self->spec;
  self->spec = after;
  nw_editor_commit_in_place (self, before);
}

gboolean
nw_editor_undo (NwEditor *self)
{
  gboolean could_undo, could_redo;
  NwSpec *before;

  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (self->undo->len == 0)
    return FALSE;
  could_undo = self->undo->len > 0;
  could_redo = self->redo->len > 0;
  before = self->spec;
  self->spec = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  g_ptr_array_add (self->redo, before);
  nw_editor_popover_hide (self);
  after_change (self, before);
  notify_stacks (self, could_undo, could_redo);
  return TRUE;
}

gboolean
nw_editor_redo (NwEditor *self)
{
  gboolean could_undo, could_redo;
  NwSpec *before;

  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (self->redo->len == 0)
    return FALSE;
  could_undo = self->undo->len > 0;
  could_redo = self->redo->len > 0;
  before = self->spec;
  self->spec = g_ptr_array_steal_index (self->redo, self->redo->len - 1);
  g_ptr_array_add (self->undo, before);
  nw_editor_popover_hide (self);
  after_change (self, before);
  notify_stacks (self, could_undo, could_redo);
  return TRUE;
}

gboolean
nw_editor_get_can_undo (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  return self->undo->len > 0;
}

gboolean
nw_editor_get_can_redo (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  return self->redo->len > 0;
}

NwEditorEdit
nw_editor_get_last_edit (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NW_EDITOR_EDIT_NONE);
  return self->last_edit;
}

/* Layout --------------------------------------------------------------------------------- */

#define LAYOUT_X0        40.0
#define LAYOUT_Y0        40.0
#define LAYOUT_DX        176.0
#define LAYOUT_STACK_GAP 30.0
#define LAYOUT_ROW_GAP   50.0

/* Columns by depth (the longest path from a node without inputs), wrapping after `columns`
 * columns so that a long chain reads as lines of text do; blocks of one depth stack, each row
 * as tall as its tallest stack (blocks grow with their ports and neuron thumbnails). */
void
nw_editor_auto_layout (NwEditor *self, int columns)
{
  NwSpec *spec = self->spec;
  guint n = spec->nodes->len;
  g_autofree int *depth = g_new0 (int, MAX (n, 1));
  g_autofree double *offset = g_new0 (double, MAX (n, 1));   /* within its stack */
  g_autofree double *stack = NULL;                            /* height of each depth's stack */
  g_autofree double *row_top = NULL;
  int max_depth = 0, n_rows;

  for (guint iter = 0; iter < n; iter++)
    {
      gboolean changed = FALSE;
      for (guint e = 0; e < spec->edges->len; e++)
        {
          const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, e);
          int a = spec_node_index (spec, edge->from), b = spec_node_index (spec, edge->to);
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
  columns = CLAMP (columns, 1, max_depth + 1);

  stack = g_new0 (double, max_depth + 1);
  for (guint i = 0; i < n; i++)
    {
      NwRect r;
      nw_editor_block_rect (self, g_ptr_array_index (spec->nodes, i), &r);
      offset[i] = stack[depth[i]] > 0 ? stack[depth[i]] + LAYOUT_STACK_GAP : 0;
      stack[depth[i]] = offset[i] + r.height;
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

int
nw_editor_layout_depth (NwEditor *self)
{
  const NwSpec *spec = self->spec;
  int depth = 0;
  nw_editor_auto_layout (self, G_MAXINT / 2);   /* one row: x says the depth */
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      depth = MAX (depth, (int) lround ((node->x - LAYOUT_X0) / LAYOUT_DX));
    }
  return depth + 1;
}

static gboolean
needs_layout (const NwSpec *spec)
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
  n = nw_editor_n_fed_ports (spec, node);
  for (int p = 0; p < n; p++)
    {
      int e = nw_editor_edge_into (spec, to, p);
      if (e < 0)
        continue;
      ((NwEdgeSpec *) g_ptr_array_index (spec->edges, (guint) e))->port = next++;
    }
}

static gboolean
spec_remove_edge (NwSpec *spec, guint e)
{
  NwEdgeSpec *edge;
  g_autofree char *to = NULL;

  if (e >= spec->edges->len)
    return FALSE;
  edge = g_ptr_array_index (spec->edges, e);
  to = g_strdup (edge->to);
  g_ptr_array_remove_index (spec->edges, e);
  compact_ports (spec, to);
  return TRUE;
}

static gboolean
spec_connect (NwSpec *spec, const char *from, const char *to, int port)
{
  const NwNodeSpec *a = nw_spec_find_node (spec, from);
  const NwNodeSpec *b = nw_spec_find_node (spec, to);
  int e;

  if (a == NULL || b == NULL || a == b)
    return FALSE;
  if (a->kind == NW_NODE_LOSS || b->kind == NW_NODE_INPUT)
    return FALSE;
  if (port < 0)
    {
      if (!is_multi_input (b->kind))
        port = 0;
      else
        for (port = 0; nw_editor_edge_into (spec, to, port) >= 0; port++)
          ;
    }
  if (!is_multi_input (b->kind) && port != 0)
    return FALSE;
  if (port > 4096)
    return FALSE;

  e = nw_editor_edge_into (spec, to, port);
  if (e >= 0)
    {
      NwEdgeSpec *old = g_ptr_array_index (spec->edges, (guint) e);
      if (g_strcmp0 (old->from, from) == 0)
        return FALSE;            /* already there */
      g_free (old->from);
      old->from = g_strdup (from);
      return TRUE;
    }
  /* A second wire from the same block into an Add/Concat is fine (x + x); into one port of a
   * single-input block it is the replaced case above. */
  nw_spec_add_edge (spec, from, to, port);
  return TRUE;
}

static gboolean
spec_remove_node (NwSpec *spec, const char *id)
{
  g_autoptr (GPtrArray) fed = g_ptr_array_new_with_free_func (g_free);

  if (nw_spec_find_node (spec, id) == NULL)
    return FALSE;
  for (guint e = 0; e < spec->edges->len; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, e);
      if (g_strcmp0 (edge->from, id) == 0)
        g_ptr_array_add (fed, g_strdup (edge->to));
    }
  nw_spec_remove_node (spec, id);
  for (guint k = 0; k < fed->len; k++)
    compact_ports (spec, g_ptr_array_index (fed, k));
  return TRUE;
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

/* Public edits --------------------------------------------------------------------------- */

static double
tidy_coordinate (double v)
{
  if (!isfinite (v))
    return 0.0;
  return round (CLAMP (v, -1e6, 1e6));
}

char *
nw_editor_add_node (NwEditor *self, NwNodeKind kind, double x, double y)
{
  NwSpec *after;
  NwNodeSpec *node;
  char *id;

  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  g_return_val_if_fail ((int) kind >= 0 && kind < NW_N_NODE_KINDS, NULL);

  after = nw_spec_copy (self->spec);
  id = fresh_id (after, kind);
  node = nw_spec_add_node (after, kind, id);
  node->x = tidy_coordinate (x);
  node->y = tidy_coordinate (y);
  if (kind == NW_NODE_DENSE)
    node->units = 4;
  nw_editor_commit (self, after);
  return id;
}

gboolean
nw_editor_rewire (NwEditor *self, int detach, const char *from, const char *to, int port)
{
  NwSpec *after = nw_spec_copy (self->spec);
  gboolean changed = FALSE;
  g_autofree char *detached_to = NULL;

  if (detach >= 0 && (guint) detach < after->edges->len)
    {
      NwEdgeSpec *edge = g_ptr_array_index (after->edges, (guint) detach);
      /* Put back where it was: nothing to do. */
      if (from != NULL && g_strcmp0 (edge->from, from) == 0 && g_strcmp0 (edge->to, to) == 0
          && edge->port == port)
        {
          nw_spec_free (after);
          return FALSE;
        }
      detached_to = g_strdup (edge->to);
      g_ptr_array_remove_index (after->edges, (guint) detach);
      changed = TRUE;
    }
  if (from != NULL && to != NULL)
    changed |= spec_connect (after, from, to, port);
  if (detached_to != NULL)
    compact_ports (after, detached_to);
  if (!changed)
    {
      nw_spec_free (after);
      return FALSE;
    }
  nw_editor_commit (self, after);
  return TRUE;
}

gboolean
nw_editor_connect (NwEditor *self, const char *from, const char *to, int port)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);
  return nw_editor_rewire (self, -1, from, to, port);
}

gboolean
nw_editor_remove_node (NwEditor *self, const char *id)
{
  NwSpec *after;

  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (id == NULL || nw_editor_node_index (self, id) < 0)
    return FALSE;
  after = nw_spec_copy (self->spec);
  spec_remove_node (after, id);
  if (g_hash_table_remove (self->neuron_images, id))
    nw_editor_describe_neuron_images (self);
  nw_editor_commit (self, after);
  return TRUE;
}

gboolean
nw_editor_remove_edge (NwEditor *self, const char *from, const char *to, int port)
{
  NwSpec *after;
  int e;

  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (from == NULL || to == NULL)
    return FALSE;
  e = nw_editor_edge_into (self->spec, to, port);
  if (e < 0 || g_strcmp0 (((NwEdgeSpec *) g_ptr_array_index (self->spec->edges, (guint) e))->from, from) != 0)
    return FALSE;
  after = nw_spec_copy (self->spec);
  spec_remove_edge (after, (guint) e);
  nw_editor_commit (self, after);
  return TRUE;
}

gboolean
nw_editor_move_node (NwEditor *self, const char *id, double x, double y)
{
  NwSpec *after;
  NwNodeSpec *node;

  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  node = nw_spec_find_node (self->spec, id);
  if (node == NULL)
    return FALSE;
  x = tidy_coordinate (x);
  y = tidy_coordinate (y);
  if (node->x == x && node->y == y)
    return TRUE;
  after = nw_spec_copy (self->spec);
  node = nw_spec_find_node (after, id);
  node->x = x;
  node->y = y;
  nw_editor_commit (self, after);
  return TRUE;
}

static gboolean
parse_double (const char *text, double *out)
{
  char *end = NULL;
  double v;
  if (*text == '\0' || g_ascii_isspace (*text))
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* Sets one field of `node` (in a copy of the spec). */
static gboolean
apply_setting (NwSpec *spec, NwNodeSpec *node, const char *field, const char *value)
{
  NwNodeKind k = node->kind;
  double d;

#define NEED(cond) G_STMT_START { if (!(cond)) return FALSE; } G_STMT_END

  /* Every setting of the node's kind, parsed and checked as its registry entry says. The
   * editor lets a spec hold what validation will then mark (an out-of-range p, say), so a
   * number out of range is still stored: only unparsable text is refused. */
  if (nw_node_kind_field (k, field) != NULL)
    {
      const NwField *f = nw_node_kind_field (k, field);
      if (nw_node_spec_set_field (node, field, value, NULL))
        return TRUE;
      if (f->type == NW_FIELD_DOUBLE && parse_double (value, &d))
        {
          nw_field_set (f, node, d);
          return TRUE;
        }
      return FALSE;
    }
  if (strcmp (field, "id") == 0)
    {
      g_autofree char *old = NULL;
      NEED (nw_spec_id_is_valid (value));
      if (strcmp (value, node->id) == 0)
        return TRUE;
      NEED (nw_spec_find_node (spec, value) == NULL);
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
    }
  else
    return FALSE;
#undef NEED
  return TRUE;
}

gboolean
nw_editor_set_node_setting (NwEditor *self, const char *id, const char *field, const char *value)
{
  NwSpec *after;
  NwNodeSpec *node;

  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (id == NULL || field == NULL || value == NULL || nw_editor_node_index (self, id) < 0)
    return FALSE;
  after = nw_spec_copy (self->spec);
  node = nw_spec_find_node (after, id);
  if (!apply_setting (after, node, field, value))
    {
      nw_spec_free (after);
      return FALSE;
    }
  if (nw_editor_compare_specs (self->spec, after) == NW_EDITOR_EDIT_NONE)
    {
      nw_spec_free (after);
      return TRUE;
    }
  if (strcmp (field, "id") == 0)
    {
      gpointer images = NULL;
      if (g_hash_table_steal_extended (self->neuron_images, id, NULL, &images))
        {
          g_hash_table_insert (self->neuron_images, g_strdup (value), images);
          nw_editor_describe_neuron_images (self);
        }
      if (g_strcmp0 (self->selected, id) == 0)
        {
          g_free (self->selected);
          self->selected = g_strdup (value);
          g_object_notify (G_OBJECT (self), "selected");
        }
      if (g_strcmp0 (self->popover_node, id) == 0)
        {
          g_free (self->popover_node);
          self->popover_node = g_strdup (value);
        }
    }
  nw_editor_commit (self, after);
  return TRUE;
}

char *
nw_editor_add_node_at_free_spot (NwEditor *self, NwNodeKind kind)
{
  double w = self->canvas != NULL ? gtk_widget_get_width (self->canvas) : 0;
  double h = self->canvas != NULL ? gtk_widget_get_height (self->canvas) : 0;
  double cx, cy;

  if (w <= 0 || h <= 0)
    cx = 40, cy = 40;
  else
    {
      nw_editor_to_canvas (self, w / 2, h / 2, &cx, &cy);
      cx -= NW_BLOCK_WIDTH / 2;
      cy -= NW_BLOCK_HEIGHT / 2;
    }
  cx = round (cx / 8) * 8;
  cy = round (cy / 8) * 8;
  for (int attempt = 0; attempt < 40; attempt++)
    {
      gboolean clear = TRUE;
      for (guint i = 0; clear && i < self->spec->nodes->len; i++)
        {
          const NwNodeSpec *node = g_ptr_array_index (self->spec->nodes, i);
          NwRect r;
          nw_editor_block_rect (self, node, &r);
          if (cx < r.x + r.width + 8 && cx + NW_BLOCK_WIDTH + 8 > r.x
              && cy < r.y + r.height + 8 && cy + NW_BLOCK_HEIGHT + 8 > r.y)
            clear = FALSE;
        }
      if (clear)
        break;
      cx += 24;
      cy += 24;
    }
  return nw_editor_add_node (self, kind, cx, cy);
}

/* Setting the spec ----------------------------------------------------------------------- */

void
nw_editor_set_spec (NwEditor *self, const NwSpec *spec)
{
  gboolean could_undo, could_redo;

  g_return_if_fail (NW_IS_EDITOR (self));
  g_return_if_fail (spec != NULL);

  could_undo = self->undo->len > 0;
  could_redo = self->redo->len > 0;
  nw_editor_popover_hide (self);
  /* a drag in progress ends here */
  self->drag_mode = NW_DRAG_NONE;
  self->dragged = FALSE;
  self->wire_node = -1;
  self->wire_detached = -1;
  self->hover.kind = NW_HIT_NONE;
  self->drag_hit.kind = NW_HIT_NONE;
  self->drag_hit.node = -1;
  g_clear_pointer (&self->drag_before, nw_spec_free);
  nw_spec_free (self->spec);
  self->spec = nw_spec_copy (spec);
  self->layout_fresh = needs_layout (self->spec);
  if (self->layout_fresh)
    nw_editor_auto_layout (self, 5);   /* until the canvas's shape is known */
  self->view_touched = FALSE;
  self->view_w = self->view_h = 0;
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  self->last_edit = NW_EDITOR_EDIT_NONE;
  self->selected_edge = -1;
  if (self->selected != NULL)
    {
      g_clear_pointer (&self->selected, g_free);
      g_object_notify (G_OBJECT (self), "selected");
    }
  self->fit_pending = TRUE;
  nw_editor_revalidate (self);
  notify_stacks (self, could_undo, could_redo);
}

NwSpec *
nw_editor_dup_spec (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return nw_spec_copy (self->spec);
}

const NwSpec *
nw_editor_get_spec (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return self->spec;
}

void
nw_editor_set_data_shape (NwEditor *self, int input_width, int target_width, int n_classes)
{
  g_return_if_fail (NW_IS_EDITOR (self));
  if (self->input_width == input_width && self->target_width == target_width
      && self->n_classes == n_classes)
    return;
  self->input_width = input_width;
  self->target_width = target_width;
  self->n_classes = n_classes;
  nw_editor_revalidate (self);
}

gboolean
nw_editor_get_valid (NwEditor *self, char **reason)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (reason != NULL)
    *reason = g_strdup (self->reason);
  return self->valid;
}

const char *
nw_editor_get_invalid_reason (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return self->reason;
}

const char *
nw_editor_get_error_node (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return self->error_node;
}

gboolean
nw_editor_get_error_edge (NwEditor *self, const char **from, const char **to)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (from != NULL)
    *from = self->error_from;
  if (to != NULL)
    *to = self->error_to;
  return self->error_from != NULL;
}

int
nw_editor_get_node_width (NwEditor *self, const char *id)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), -1);
  return nw_editor_width_at (self, nw_editor_node_index (self, id));
}

gint64
nw_editor_get_param_count (NwEditor *self, const char *id)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), -1);
  return nw_editor_params_at (self, nw_editor_node_index (self, id));
}

/* Life cycle ----------------------------------------------------------------------------- */

void
nw_editor_model_init (NwEditor *self)
{
  self->spec = nw_spec_new ();
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_spec_free);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_spec_free);
  self->widths = g_array_new (FALSE, TRUE, sizeof (int));
  self->marked_nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->marked_edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->neuron_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               nw_neuron_images_free);
  self->input_width = 2;
  self->target_width = 1;
  self->n_classes = 2;
  self->selected_edge = -1;
  self->valid = FALSE;
  nw_editor_revalidate (self);
}

void
nw_editor_model_finalize (NwEditor *self)
{
  g_clear_pointer (&self->spec, nw_spec_free);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_pointer (&self->widths, g_array_unref);
  g_clear_pointer (&self->marked_nodes, g_hash_table_unref);
  g_clear_pointer (&self->marked_edges, g_hash_table_unref);
  g_clear_pointer (&self->neuron_images, g_hash_table_unref);
  g_clear_pointer (&self->maps_description, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->error_node, g_free);
  g_clear_pointer (&self->error_from, g_free);
  g_clear_pointer (&self->error_to, g_free);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->drag_before, nw_spec_free);
}
