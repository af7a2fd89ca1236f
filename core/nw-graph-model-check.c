/* nw-graph-model-check.c: what NwGraphModel derives from its spec after every change, even
 * when the graph is invalid: each node's output width and parameter count, and validation
 * against the data's shape (nw_spec_validate) with the node or edge its message names and
 * everything that marks (a cycle's nodes and wires). */
#include "nw-graph-model-private.h"
#include "nw-i18n.h"
#include "nw-node-kind.h"

#include <string.h>

/* Inferred widths ------------------------------------------------------------------------ */

static int
infer_width (NwGraphModel *self, int i, const int *widths)
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
        int ports = nw_graph_spec_n_fed_ports (self->spec, node->id);
        gint64 sum = 0;
        int first = -1;
        if (ports == 0)
          return -1;
        for (int p = 0; p < ports; p++)
          {
            int src = nw_graph_spec_source_of (self->spec, i, p);
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
        int src = nw_graph_spec_source_of (self->spec, i, 0);
        return src >= 0 ? widths[src] : -1;
      }
    }
}

/* Widths propagate along the wires until nothing changes; nodes on a cycle with no width of
 * their own stay unknown. */
static void
infer_widths (NwGraphModel *self)
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
nw_graph_model_width_at (NwGraphModel *self, int node)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), -1);
  if (node < 0 || (guint) node >= self->widths->len)
    return -1;
  return g_array_index (self->widths, int, (guint) node);
}

gint64
nw_graph_model_params_at (NwGraphModel *self, int i)
{
  const NwNodeSpec *node;
  const NwNodeKindInfo *info;
  int in, w;
  gint64 n;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), -1);
  if (i < 0 || (guint) i >= self->spec->nodes->len)
    return -1;
  node = g_ptr_array_index (self->spec->nodes, (guint) i);
  info = nw_node_kind_info (node->kind);
  if (info == NULL || info->count_params == NULL)
    return 0;
  in = info->n_inputs > 0 ? nw_graph_model_width_at (self, nw_graph_spec_source_of (self->spec, i, 0)) : 0;
  w = nw_graph_model_width_at (self, i);
  n = info->count_params (node, in > 0 ? in : 0, w > 0 ? w : 0);
  /* Unknown widths: unknown, unless the count does not depend on them (no affine). */
  if ((in <= 0 || w <= 0) && n != 0)
    return -1;
  if (node->kind == NW_NODE_DENSE && node->units <= 0)
    return -1;
  return n;
}

/* Validation and its marks --------------------------------------------------------------- */

static void
mark_edge (NwGraphModel *self, const char *from, const char *to)
{
  g_hash_table_add (self->marked_edges, g_strconcat (from, "\n", to, NULL));
}

/* nw_spec_validate's message names the node ("node 'ID': ...") or the edge ("edge 'A' ->
 * 'B': ...") at fault, in the user's language (nw_spec_error_location reads it back through
 * the same translated formats); a cycle ("node 'a' is on a cycle: a -> b -> a") marks its
 * path. */
static void
parse_error (NwGraphModel *self, const char *message)
{
  char *node = NULL, *from = NULL, *to = NULL;
  g_auto (GStrv) path = NULL;

  if (!nw_spec_error_location (message, &node, &from, &to, &path))
    return;
  if (from != NULL && to != NULL)
    {
      self->error_from = from;
      self->error_to = to;
      mark_edge (self, from, to);
      return;
    }
  self->error_node = node;
  g_hash_table_add (self->marked_nodes, g_strdup (node));
  for (int k = 0; path != NULL && path[k] != NULL; k++)
    {
      g_hash_table_add (self->marked_nodes, g_strdup (path[k]));
      if (path[k + 1] != NULL)
        mark_edge (self, path[k], path[k + 1]);
    }
}

/* Derives from the spec what validation and display need: widths, then the verdict and its
 * marks. Says nothing: nw_graph_model_revalidate notifies. */
void
nw_graph_model_check (NwGraphModel *self)
{
  g_autoptr (GError) error = NULL;

  infer_widths (self);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->error_node, g_free);
  g_clear_pointer (&self->error_from, g_free);
  g_clear_pointer (&self->error_to, g_free);
  g_hash_table_remove_all (self->marked_nodes);
  g_hash_table_remove_all (self->marked_edges);

  self->valid = nw_spec_validate (self->spec, self->input_width, self->target_width,
                                  self->n_classes, NULL, NULL, &error);
  if (!self->valid)
    {
      self->reason = g_strdup (error != NULL ? error->message : _("the network is not valid"));
      parse_error (self, self->reason);
    }
}

gboolean
nw_graph_model_get_valid (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  return self->valid;
}

const char *
nw_graph_model_get_invalid_reason (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), NULL);
  return self->reason;
}

const char *
nw_graph_model_get_error_node (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), NULL);
  return self->error_node;
}

gboolean
nw_graph_model_get_error_edge (NwGraphModel *self, const char **from, const char **to)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  if (from != NULL)
    *from = self->error_from;
  if (to != NULL)
    *to = self->error_to;
  return self->error_from != NULL;
}

gboolean
nw_graph_model_node_is_marked (NwGraphModel *self, const char *id)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  return id != NULL && g_hash_table_contains (self->marked_nodes, id);
}

gboolean
nw_graph_model_edge_is_marked (NwGraphModel *self, const char *from, const char *to)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  if (g_hash_table_size (self->marked_edges) == 0 || from == NULL || to == NULL)
    return FALSE;
  key = g_strconcat (from, "\n", to, NULL);
  return g_hash_table_contains (self->marked_edges, key);
}

guint
nw_graph_model_get_n_marked_nodes (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), 0);
  return g_hash_table_size (self->marked_nodes);
}

guint
nw_graph_model_get_n_marked_edges (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), 0);
  return g_hash_table_size (self->marked_edges);
}

