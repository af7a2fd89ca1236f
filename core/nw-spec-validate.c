/* nw-spec-validate.c: is an NwSpec a network that can be built for the given data?
 *
 * The checks run in a fixed order and the first problem found is reported, naming the node
 * ("node 'fc2': ...") or the edge ("edge 'a' -> 'b': ...") so the editor can mark it:
 * ids, edge endpoints, ports, doubly-fed ports, edges out of the loss or into the input, one
 * input and one loss, unconnected ports, cycles, nodes that do not lead to the loss, node
 * settings (units, p, eps, ...), widths, whether the loss head fits the data, and finally
 * whether training it fits in memory (nw-memory.h). */
#include "nw-spec.h"
#include "nw-node-kind.h"
#include "nw-memory.h"

#include <math.h>
#include <string.h>


typedef struct {
  const NwSpec *spec;
  guint         n;            /* nodes */
  GHashTable   *index;        /* id -> node index + 1 */
  int          *from;         /* per edge: the producing node's index */
  int          *to;           /* per edge: the consuming node's index */
  int          *n_ports;      /* per node: 1 + the highest port fed (0: none) */
  GPtrArray   **feeds;        /* per node: its feeding edges, sorted by port (edge indices) */
} Graph;

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError **error, int code, const char *format, ...)
{
  va_list ap;
  char *message;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, NW_ERROR, code, message);
  g_free (message);
  return FALSE;
}

static const NwNodeSpec *
node_at (const Graph *g, int i)
{
  return g_ptr_array_index (g->spec->nodes, (guint) i);
}

static const NwEdgeSpec *
edge_at (const Graph *g, int e)
{
  return g_ptr_array_index (g->spec->edges, (guint) e);
}

static const char *
kind_name (NwNodeKind kind)
{
  const char *name = nw_node_kind_name (kind);
  return name != NULL ? name : "unknown";
}

/* The number of inputs a kind takes; -1: two or more. */
static int
arity (NwNodeKind kind)
{
  return nw_node_kind_info (kind)->n_inputs;
}

static void
graph_clear (Graph *g)
{
  g_clear_pointer (&g->index, g_hash_table_unref);
  g_clear_pointer (&g->from, g_free);
  g_clear_pointer (&g->to, g_free);
  g_clear_pointer (&g->n_ports, g_free);
  if (g->feeds != NULL)
    {
      for (guint i = 0; i < g->n; i++)
        if (g->feeds[i] != NULL)
          g_ptr_array_unref (g->feeds[i]);
      g_clear_pointer (&g->feeds, g_free);
    }
}

static int
find_index (const Graph *g, const char *id)
{
  gpointer v = id != NULL ? g_hash_table_lookup (g->index, id) : NULL;
  return v != NULL ? GPOINTER_TO_INT (v) - 1 : -1;
}

/* Ids present, well formed and unique; kinds known. */
static gboolean
check_ids (Graph *g, GError **error)
{
  for (guint i = 0; i < g->n; i++)
    {
      const NwNodeSpec *node = node_at (g, (int) i);
      int first;
      if (!nw_spec_id_is_valid (node->id))
        return fail (error, NW_ERROR_SPEC,
                     "node %u: the id '%s' is not valid (letters, digits, '_', '.' or '-')",
                     i, node->id != NULL ? node->id : "");
      if ((int) node->kind < 0 || node->kind >= NW_N_NODE_KINDS)
        return fail (error, NW_ERROR_SPEC, "node '%s': unknown node type %d", node->id, (int) node->kind);
      first = find_index (g, node->id);
      if (first >= 0)
        return fail (error, NW_ERROR_SPEC, "node '%s': the id is used twice (nodes %d and %u)",
                     node->id, first, i);
      g_hash_table_insert (g->index, node->id, GINT_TO_POINTER ((int) i + 1));
    }
  return TRUE;
}

/* A kind without the `key` field (an activation) never uses its initializer. */
static gboolean
check_init_param (const NwNodeSpec *node, const NwNodeKindInfo *info, const char *key, NwInit init,
                  double param, GError **error)
{
  gboolean has_field = FALSE;

  for (int f = 0; f < info->n_fields; f++)
    has_field |= strcmp (info->fields[f].key, key) == 0;
  if (!has_field || param >= 0)
    return TRUE;
  if (init == NW_INIT_NORMAL)
    return fail (error, NW_ERROR_RANGE,
                 "node '%s': '%s_param' is the normal's standard deviation and must not be "
                 "negative (got %g)", node->id, key, param);
  if (init == NW_INIT_UNIFORM)
    return fail (error, NW_ERROR_RANGE,
                 "node '%s': '%s_param' is the uniform's bound and must not be negative (got %g)",
                 node->id, key, param);
  return TRUE;
}

/* The settings a file could not hold (the loader checks the same ranges, from the same
 * registry entries); the editor may set anything, and a network must not be built from
 * nonsense. */
static gboolean
check_settings (const Graph *g, GError **error)
{
  for (guint i = 0; i < g->n; i++)
    {
      const NwNodeSpec *node = node_at (g, (int) i);
      const NwNodeKindInfo *info = nw_node_kind_info (node->kind);
      for (int f = 0; f < info->n_fields; f++)
        {
          const NwField *field = &info->fields[f];
          double v = nw_field_get (field, node);
          const char *want = NULL;
          if (nw_field_check (field, v, &want))
            continue;
          if (field->type == NW_FIELD_ENUM)
            return fail (error, NW_ERROR_SPEC, "node '%s': unknown %s %d", node->id, field->key, (int) v);
          if (field->type == NW_FIELD_INT)
            return fail (error, NW_ERROR_RANGE, "node '%s': '%s' must be an integer in %g..%g (got %g)",
                         node->id, field->key, field->min, field->max, v);
          return fail (error, NW_ERROR_RANGE, "node '%s': %s '%s' must be %s (got %g)",
                       node->id, info->name, field->key, want, v);
        }
      /* The field alone allows any finite value (a constant may be negative); a normal's
       * standard deviation or a uniform's bound may not, and nw_init_fill would quietly
       * use its default of 1 for one. */
      if (!check_init_param (node, info, "weight_init", node->weight_init, node->weight_init_param,
                             error)
          || !check_init_param (node, info, "bias_init", node->bias_init, node->bias_init_param,
                                error))
        return FALSE;
    }
  return TRUE;
}

/* Endpoints exist; ports in range; nothing into the input. */
static gboolean
check_edges (Graph *g, GError **error)
{
  guint n_edges = g->spec->edges->len;

  for (guint e = 0; e < n_edges; e++)
    {
      const NwEdgeSpec *edge = edge_at (g, (int) e);
      const char *missing = NULL;
      g->from[e] = find_index (g, edge->from);
      g->to[e] = find_index (g, edge->to);
      if (g->from[e] < 0)
        missing = edge->from;
      else if (g->to[e] < 0)
        missing = edge->to;
      if (missing != NULL)
        return fail (error, NW_ERROR_SPEC, "edge '%s' -> '%s': no node '%s'",
                     edge->from ? edge->from : "", edge->to ? edge->to : "", missing);
    }

  for (guint e = 0; e < n_edges; e++)
    {
      const NwEdgeSpec *edge = edge_at (g, (int) e);
      const NwNodeSpec *to = node_at (g, g->to[e]);
      int max = arity (to->kind);
      if (to->kind == NW_NODE_INPUT)
        return fail (error, NW_ERROR_SPEC, "edge '%s' -> '%s': the input node has no inputs",
                     edge->from, edge->to);
      if (edge->port < 0)
        return fail (error, NW_ERROR_SPEC, "edge '%s' -> '%s': port %d is not valid (ports count from 0)",
                     edge->from, edge->to, edge->port);
      if (max >= 0 && edge->port >= max)
        return fail (error, NW_ERROR_SPEC, "edge '%s' -> '%s': '%s' (%s) has %d input%s, not port %d",
                     edge->from, edge->to, to->id, kind_name (to->kind),
                     max, max == 1 ? "" : "s", edge->port);
    }
  return TRUE;
}

static gint
compare_port (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Graph *g = user_data;
  int ea = GPOINTER_TO_INT (*(gconstpointer const *) a);
  int eb = GPOINTER_TO_INT (*(gconstpointer const *) b);
  int pa = edge_at (g, ea)->port, pb = edge_at (g, eb)->port;
  return pa != pb ? (pa < pb ? -1 : 1) : (ea < eb ? -1 : ea > eb);
}

/* Each port fed once; nothing out of the loss. Fills feeds and n_ports. */
/* Orders edge indices by consumer, then port, then index. */
static gint
compare_feed (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Graph *g = user_data;
  int ea = *(const int *) a, eb = *(const int *) b;
  int pa = edge_at (g, ea)->port, pb = edge_at (g, eb)->port;

  if (g->to[ea] != g->to[eb])
    return g->to[ea] < g->to[eb] ? -1 : 1;
  if (pa != pb)
    return pa < pb ? -1 : 1;
  return ea < eb ? -1 : ea > eb;
}

static gboolean
check_feeds (Graph *g, GError **error)
{
  guint n_edges = g->spec->edges->len;
  /* The edges sorted by (consumer, port, index): two edges that feed one port are then
   * neighbours. n log n instead of comparing every pair of edges (quadratic in a
   * 20,000-node chain); reports the same pair as that did, the first edge that repeats a
   * port and the first edge that fed it. */
  g_autofree int *by_port = g_new (int, MAX (n_edges, 1));
  int repeat = -1, first = -1;

  for (guint e = 0; e < n_edges; e++)
    by_port[e] = (int) e;
  g_qsort_with_data (by_port, (gint) n_edges, sizeof (int), compare_feed, g);
  for (guint k = 1; k < n_edges; k++)
    {
      int a = by_port[k - 1], b = by_port[k];
      if (g->to[a] == g->to[b] && edge_at (g, a)->port == edge_at (g, b)->port
          && (k < 2 || g->to[by_port[k - 2]] != g->to[a]
              || edge_at (g, by_port[k - 2])->port != edge_at (g, a)->port)
          && (repeat < 0 || b < repeat))
        {
          repeat = b;
          first = a;
        }
    }
  if (repeat >= 0)
    {
      const NwEdgeSpec *edge = edge_at (g, repeat), *other = edge_at (g, first);
      return fail (error, NW_ERROR_SPEC, "node '%s': input port %d is fed twice ('%s' and '%s')",
                   node_at (g, g->to[repeat])->id, edge->port, other->from, edge->from);
    }
  for (guint e = 0; e < n_edges; e++)
    {
      const NwEdgeSpec *edge = edge_at (g, (int) e);
      if (node_at (g, g->from[e])->kind == NW_NODE_LOSS)
        return fail (error, NW_ERROR_SPEC, "edge '%s' -> '%s': the loss node has no output",
                     edge->from, edge->to);
    }

  for (guint e = 0; e < n_edges; e++)
    {
      int t = g->to[e];
      g_ptr_array_add (g->feeds[t], GINT_TO_POINTER ((int) e));
      g->n_ports[t] = MAX (g->n_ports[t], edge_at (g, (int) e)->port + 1);
    }
  for (guint i = 0; i < g->n; i++)
    g_ptr_array_sort_with_data (g->feeds[i], compare_port, g);
  return TRUE;
}

/* One input, one loss; every port connected. */
static gboolean
check_ports (Graph *g, GError **error)
{
  int n_inputs = 0, n_losses = 0;

  for (guint i = 0; i < g->n; i++)
    {
      NwNodeKind kind = node_at (g, (int) i)->kind;
      n_inputs += kind == NW_NODE_INPUT;
      n_losses += kind == NW_NODE_LOSS;
    }
  if (n_inputs != 1)
    return fail (error, NW_ERROR_SPEC, "the network needs exactly one input node (found %d)", n_inputs);
  if (n_losses != 1)
    return fail (error, NW_ERROR_SPEC, "the network needs exactly one loss node (found %d)", n_losses);

  for (guint i = 0; i < g->n; i++)
    {
      const NwNodeSpec *node = node_at (g, (int) i);
      int want = arity (node->kind);
      int have = (int) g->feeds[i]->len;
      int ports = want >= 0 ? want : g->n_ports[i];
      if (want < 0 && have < 2)
        return fail (error, NW_ERROR_SPEC, "node '%s': %s needs at least 2 inputs (has %d)",
                     node->id, kind_name (node->kind), have);
      /* feeds are sorted by port and no port is fed twice: port p is fed iff feeds[p] has it */
      for (int p = 0; p < ports; p++)
        if (p >= have || edge_at (g, GPOINTER_TO_INT (g_ptr_array_index (g->feeds[i], (guint) p)))->port != p)
          return fail (error, NW_ERROR_SPEC, "node '%s': input port %d is not connected", node->id, p);
    }
  return TRUE;
}

/* A binary min-heap of node indices, for sort_nodes. */
static void
heap_push (int *heap, guint *n, int v)
{
  guint i = (*n)++;
  while (i > 0 && heap[(i - 1) / 2] > v)
    {
      heap[i] = heap[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  heap[i] = v;
}

static int
heap_pop (int *heap, guint *n)
{
  int top = heap[0];
  int last = heap[--(*n)];
  guint i = 0;

  for (;;)
    {
      guint c = 2 * i + 1;
      if (c >= *n)
        break;
      if (c + 1 < *n && heap[c + 1] < heap[c])
        c++;
      if (heap[c] >= last)
        break;
      heap[i] = heap[c];
      i = c;
    }
  if (*n > 0)
    heap[i] = last;
  return top;
}

/* Kahn's algorithm, taking the lowest index ready each time. On a cycle, reports one. */
static gboolean
sort_nodes (Graph *g, GArray *order, GError **error)
{
  g_autofree int *pending = g_new0 (int, MAX (g->n, 1));   /* unsorted inputs per node */
  g_autofree gboolean *done = g_new0 (gboolean, MAX (g->n, 1));
  guint n_edges = g->spec->edges->len;
  /* Each node's outgoing edges (out_edges[out_start[i] .. out_start[i + 1]]) and a min-heap
   * of the ready nodes: scanning every node for the lowest ready one and every edge for the
   * chosen one's consumers made a 20,000-node chain quadratic; this is (n + e) log n, and
   * takes the nodes in the same order. */
  g_autofree int *out_start = g_new0 (int, g->n + 1);
  g_autofree int *out_edges = g_new (int, MAX (n_edges, 1));
  g_autofree int *heap = g_new (int, MAX (g->n, 1));
  guint n_heap = 0;
  guint n_done = 0;

  for (guint e = 0; e < n_edges; e++)
    {
      pending[g->to[e]]++;
      out_start[g->from[e] + 1]++;
    }
  for (guint i = 0; i < g->n; i++)
    out_start[i + 1] += out_start[i];
  {
    g_autofree int *fill = g_memdup2 (out_start, sizeof (int) * g->n + sizeof (int));
    for (guint e = 0; e < n_edges; e++)
      out_edges[fill[g->from[e]]++] = (int) e;
  }
  for (guint i = 0; i < g->n; i++)
    if (pending[i] == 0)
      heap_push (heap, &n_heap, (int) i);

  while (n_heap > 0)
    {
      int next = heap_pop (heap, &n_heap);
      done[next] = TRUE;
      n_done++;
      g_array_append_val (order, next);
      for (int k = out_start[next]; k < out_start[next + 1]; k++)
        if (--pending[g->to[out_edges[k]]] == 0)
          heap_push (heap, &n_heap, g->to[out_edges[k]]);
    }
  if (n_done == g->n)
    return TRUE;

  {
    /* Every node left has an input from another node left: walk those back until one
     * repeats, then read the loop forwards, starting from its lowest index. */
    g_autofree int *seen_at = g_new (int, g->n);
    GArray *walk = g_array_new (FALSE, FALSE, sizeof (int));
    GString *path = g_string_new (NULL);
    int v = -1, start, lowest, len;

    for (guint i = 0; i < g->n; i++)
      seen_at[i] = -1;
    for (guint i = 0; v < 0 && i < g->n; i++)
      if (!done[i])
        v = (int) i;
    while (seen_at[v] < 0)
      {
        seen_at[v] = (int) walk->len;
        g_array_append_val (walk, v);
        {
          /* The lowest-numbered edge into v from a node left, as a scan of all edges
           * would find, from v's own feeding edges. */
          int best = -1;
          for (guint k = 0; k < g->feeds[v]->len; k++)
            {
              int e = GPOINTER_TO_INT (g_ptr_array_index (g->feeds[v], k));
              if (!done[g->from[e]] && (best < 0 || e < best))
                best = e;
            }
          v = g->from[best];
        }
      }
    start = seen_at[v];
    len = (int) walk->len - start;
    /* walk[start..] goes backwards along edges; the cycle forwards is its reverse. */
    lowest = start;
    for (int k = start; k < (int) walk->len; k++)
      if (g_array_index (walk, int, k) < g_array_index (walk, int, lowest))
        lowest = k;
    for (int s = 0; s <= len; s++)
      {
        int k = start + ((lowest - start) - s % len + len) % len;
        g_string_append_printf (path, "%s%s", s > 0 ? " -> " : "",
                                node_at (g, g_array_index (walk, int, k))->id);
      }
    fail (error, NW_ERROR_SPEC, "node '%s' is on a cycle: %s",
          node_at (g, g_array_index (walk, int, lowest))->id, path->str);
    g_string_free (path, TRUE);
    g_array_unref (walk);
    return FALSE;
  }
}

/* Every node's output must lead to the loss. */
static gboolean
check_reach (Graph *g, const GArray *order, GError **error)
{
  g_autofree gboolean *reaches = g_new0 (gboolean, g->n);

  /* Backwards through the topological order: a node reaches the loss if it is the loss or
   * feeds a node that does. Every consumer comes before its producers here, so a node that
   * reaches the loss marks its own feeders: each edge once, where scanning all edges for
   * each node was quadratic in a 20,000-node chain. */
  for (guint k = order->len; k-- > 0;)
    {
      int i = g_array_index (order, int, k);
      if (node_at (g, i)->kind == NW_NODE_LOSS)
        reaches[i] = TRUE;
      if (!reaches[i])
        continue;
      for (guint f = 0; f < g->feeds[i]->len; f++)
        reaches[g->from[GPOINTER_TO_INT (g_ptr_array_index (g->feeds[i], f))]] = TRUE;
    }
  for (guint i = 0; i < g->n; i++)
    if (!reaches[i])
      return fail (error, NW_ERROR_SPEC, "node '%s': its output leads nowhere (not to the loss)",
                   node_at (g, (int) i)->id);
  return TRUE;
}

static int
input_of (const Graph *g, int node, int port)
{
  return g->from[GPOINTER_TO_INT (g_ptr_array_index (g->feeds[node], (guint) port))];
}

static gboolean
check_loss (const Graph *g, int i, const int *widths, int target_width, int n_classes,
            GError **error)
{
  const NwNodeSpec *node = node_at (g, i);
  const char *loss = nw_loss_name (node->loss);
  int src = input_of (g, i, 0);
  int w = widths[src];
  const char *src_id = node_at (g, src)->id;

  switch (node->loss)
    {
    case NW_LOSS_BCE:
    case NW_LOSS_BCE_LOGITS:
      if (n_classes > 2)
        return fail (error, NW_ERROR_SPEC,
                     "node '%s': %s is for two classes, but the data has %d (use softmax_xent)",
                     node->id, loss, n_classes);
      G_GNUC_FALLTHROUGH;
    case NW_LOSS_MSE:
      if (w != target_width)
        {
          if (n_classes == 2)
            return fail (error, NW_ERROR_SPEC, "node '%s': %s needs %d input%s for 2 classes, but '%s' gives %d",
                         node->id, loss, target_width, target_width == 1 ? "" : "s", src_id, w);
          return fail (error, NW_ERROR_SPEC, "node '%s': %s needs %d input%s (one per target), but '%s' gives %d",
                       node->id, loss, target_width, target_width == 1 ? "" : "s", src_id, w);
        }
      break;
    case NW_LOSS_SOFTMAX_XENT:
      if (n_classes < 2)
        return fail (error, NW_ERROR_SPEC,
                     "node '%s': softmax_xent needs class labels (2 or more classes), but the data has none",
                     node->id);
      if (w != n_classes)
        return fail (error, NW_ERROR_SPEC, "node '%s': softmax_xent needs %d inputs (one per class), but '%s' gives %d",
                     node->id, n_classes, src_id, w);
      break;
    case NW_N_LOSSES:
    default:
      return fail (error, NW_ERROR_SPEC, "node '%s': unknown loss", node->id);
    }
  return TRUE;
}

/* Output widths in topological order; then the head against the data. */
static gboolean
check_widths (const Graph *g, const GArray *order, int input_width, int target_width,
              int n_classes, int *widths, GError **error)
{
  int loss = -1;

  if (input_width <= 0)
    return fail (error, NW_ERROR_SPEC, "the data has no features (input width %d)", input_width);
  if (target_width <= 0)
    return fail (error, NW_ERROR_SPEC, "the data has no targets (target width %d)", target_width);

  for (guint k = 0; k < order->len; k++)
    {
      int i = g_array_index (order, int, k);
      const NwNodeSpec *node = node_at (g, i);
      const NwNodeKindInfo *info = nw_node_kind_info (node->kind);
      int n_in = (int) g->feeds[i]->len;
      g_autofree int *in = g_new0 (int, MAX (n_in, 1));
      g_autofree const char **in_ids = g_new0 (const char *, MAX (n_in, 1));
      for (int p = 0; p < n_in; p++)
        {
          in[p] = widths[input_of (g, i, p)];
          in_ids[p] = node_at (g, input_of (g, i, p))->id;
        }
      if (info->infer_width == NULL)
        widths[i] = in[0];
      else if (!info->infer_width (node, in, in_ids, n_in, input_width, &widths[i], error))
        return FALSE;
      if (node->kind == NW_NODE_LOSS)
        loss = i;
    }
  g_assert (loss >= 0);
  return check_loss (g, loss, widths, target_width, n_classes, error);
}

/* Last: whether training it could fit in this computer's memory at the spec's batch size (a
 * full batch counts one row here; the trainer checks again with the data's rows). */
static gboolean
check_memory (const Graph *g, const int *widths, GError **error)
{
  g_autofree int *in_widths = g_new0 (int, MAX (g->n, 1));
  NwMemoryEstimate est;

  for (guint i = 0; i < g->n; i++)
    in_widths[i] = g->feeds[i]->len > 0 ? widths[input_of (g, (int) i, 0)] : 0;
  nw_memory_estimate (g->spec, widths, in_widths, MAX (g->spec->train.batch_size, 1), 0, &est);
  return nw_memory_check (g->spec, &est, nw_memory_physical (), error);
}

gboolean
nw_spec_validate (const NwSpec *spec, int input_width, int target_width, int n_classes,
                  GArray *order, GArray *widths, GError **error)
{
  Graph g = { 0 };
  g_autoptr (GArray) sorted = NULL;
  g_autofree int *w = NULL;
  guint n_edges;
  gboolean ok;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (order == NULL || g_array_get_element_size (order) == sizeof (int), FALSE);
  g_return_val_if_fail (widths == NULL || g_array_get_element_size (widths) == sizeof (int), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_edges = spec->edges->len;
  g.spec = spec;
  g.n = spec->nodes->len;
  g.index = g_hash_table_new (g_str_hash, g_str_equal);
  g.from = g_new0 (int, MAX (n_edges, 1));
  g.to = g_new0 (int, MAX (n_edges, 1));
  g.n_ports = g_new0 (int, MAX (g.n, 1));
  g.feeds = g_new0 (GPtrArray *, MAX (g.n, 1));
  for (guint i = 0; i < g.n; i++)
    g.feeds[i] = g_ptr_array_new ();
  sorted = g_array_new (FALSE, FALSE, sizeof (int));
  w = g_new0 (int, MAX (g.n, 1));

  ok = check_ids (&g, error)
       && check_edges (&g, error)
       && check_feeds (&g, error)
       && check_ports (&g, error)
       && sort_nodes (&g, sorted, error)
       && check_reach (&g, sorted, error)
       && check_settings (&g, error)
       && check_widths (&g, sorted, input_width, target_width, n_classes, w, error)
       && check_memory (&g, w, error);
  graph_clear (&g);
  if (!ok)
    return FALSE;

  if (order != NULL)
    {
      g_array_set_size (order, 0);
      g_array_append_vals (order, sorted->data, sorted->len);
    }
  if (widths != NULL)
    {
      g_array_set_size (widths, 0);
      g_array_append_vals (widths, w, spec->nodes->len);
    }
  return TRUE;
}
