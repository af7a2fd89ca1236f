/* nw-net.c: building a network from a spec, and its forward, backward and update passes.
 *
 * Every node's forward and backward pass is its kind's (core/layers/, through the registry in
 * nw-node-kind.h); this file builds the network, lays out its buffers and runs the passes in
 * order. The arithmetic lives in the backends. */
#include "nw-net-private.h"
#include "nw-node-kind.h"
#include "nw-init.h"
#include "nw-rng.h"

#include <math.h>
#include <string.h>

#define OPS(net) ((net)->backend->ops)

static gboolean
has_affine (const NwNodeSpec *s)
{
  return (s->kind == NW_NODE_BATCHNORM || s->kind == NW_NODE_LAYERNORM) && s->affine;
}

/* Wires each node's inputs (in port order) from the spec's edges. */
static void
wire_inputs (NwNet *net, GHashTable *index_of)
{
  guint n_edges = net->spec->edges->len;
  g_autofree int *to_of = g_new (int, MAX (n_edges, 1));
  g_autofree int *arity = g_new0 (int, MAX (net->n_nodes, 1));

  /* Each node's arity counted in one pass over the edges (counting per node by rescanning
   * every edge made a 20,000-node chain quadratic). Validation guarantees ports
   * 0..arity-1 are each fed exactly once. */
  for (guint e = 0; e < n_edges; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (net->spec->edges, e);
      to_of[e] = GPOINTER_TO_INT (g_hash_table_lookup (index_of, edge->to));
      arity[to_of[e]]++;
    }
  for (guint e = 0; e < n_edges; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (net->spec->edges, e);
      int from_i = GPOINTER_TO_INT (g_hash_table_lookup (index_of, edge->from));
      NwNode *to = &net->nodes[to_of[e]];
      if (to->inputs == NULL)
        {
          to->inputs = g_new (int, arity[to_of[e]]);
          to->info.n_inputs = arity[to_of[e]];
        }
      to->inputs[edge->port] = from_i;
      net->nodes[from_i].n_consumers++;
    }
}

/* Parameter layout: Dense weights first (the penalised part), then biases, scales and shifts;
 * BatchNorm running statistics in the state buffer. */
static void
lay_out_parameters (NwNet *net)
{
  gsize w_cursor = 0, b_cursor, state_cursor = 0;
  int seq = 0;

  for (int i = 0; i < net->n_nodes; i++)
    {
      NwNode *node = &net->nodes[i];
      node->info.inputs = node->inputs;
      node->info.in_width = node->info.n_inputs > 0 ? net->nodes[node->inputs[0]].info.width : 0;
      if (node->info.spec->kind == NW_NODE_DENSE)
        {
          node->info.w_off = w_cursor;
          node->info.w_n = (gsize) node->info.width * node->info.in_width;
          w_cursor += node->info.w_n;
        }
      if (node->info.n_inputs > 1 || node->n_consumers > 1)
        net->chain = FALSE;
    }
  net->n_weights = w_cursor;
  b_cursor = w_cursor;
  for (int i = 0; i < net->n_nodes; i++)
    {
      NwNode *node = &net->nodes[i];
      const NwNodeSpec *s = node->info.spec;
      if (s->kind == NW_NODE_DENSE && s->bias)
        {
          node->info.b_off = b_cursor;
          node->info.b_n = node->info.width;
          b_cursor += node->info.b_n;
        }
      if (has_affine (s))
        {
          node->info.w_off = b_cursor;
          node->info.w_n = node->info.width;
          node->info.b_off = b_cursor + node->info.width;
          node->info.b_n = node->info.width;
          b_cursor += 2 * (gsize) node->info.width;
        }
      if (s->kind == NW_NODE_BATCHNORM)
        {
          node->info.rs_off = state_cursor;
          state_cursor += 2 * (gsize) node->info.width;
        }
      if (s->kind != NW_NODE_INPUT && s->kind != NW_NODE_LOSS && net->chain)
        node->info.seq_index = seq++;
      /* Fuse Dense -> Activation when the activation is the Dense's only consumer: the
       * activation adds the bias in the same pass over the data. */
      if (s->kind == NW_NODE_ACTIVATION)
        {
          NwNode *in = &net->nodes[node->inputs[0]];
          if (in->info.spec->kind == NW_NODE_DENSE && in->n_consumers == 1)
            {
              node->fused_dense = node->inputs[0];
              in->bias_deferred = TRUE;
            }
        }
    }
  net->n_params = b_cursor;
  net->n_state = state_cursor;
}

NwNet *
nw_net_new (const NwSpec *spec, int input_width, int target_width, int n_classes,
            NwBackend *backend, GError **error)
{
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GHashTable) index_of = g_hash_table_new (g_str_hash, g_str_equal);
  NwNet *net;

  if (!nw_spec_validate (spec, input_width, target_width, n_classes, order, widths, error))
    return NULL;

  net = g_new0 (NwNet, 1);
  net->spec = nw_spec_copy (spec);
  net->backend = backend;
  net->n_nodes = (int) order->len;
  net->nodes = g_new0 (NwNode, net->n_nodes);
  net->n_classes = n_classes;
  net->target_width = target_width;
  net->opt_kind = spec->train.optimizer;
  net->chain = TRUE;

  for (int i = 0; i < net->n_nodes; i++)
    {
      int si = g_array_index (order, int, i);
      NwNode *node = &net->nodes[i];
      node->info.spec = g_ptr_array_index (net->spec->nodes, si);
      node->info.width = g_array_index (widths, int, si);
      node->info.seq_index = -1;
      node->fused_dense = -1;
      g_hash_table_insert (index_of, node->info.spec->id, GINT_TO_POINTER (i));
    }
  wire_inputs (net, index_of);
  lay_out_parameters (net);

  net->params = nw_backend_alloc (backend, net->n_params);
  net->grads = nw_backend_alloc (backend, net->n_params);
  net->s1 = nw_backend_alloc (backend, net->n_params);
  net->s2 = nw_backend_alloc (backend, net->n_params);
  net->state = nw_backend_alloc (backend, net->n_state);
  net->metrics = nw_backend_alloc (backend, NW_METRIC_SIZE);
  /* BatchNorm's statistics are per feature, whatever the batch: they live as long as the net,
   * so the last training batch's survive evaluation passes and larger reserves. */
  for (int i = 0; i < net->n_nodes; i++)
    if (net->nodes[i].info.spec->kind == NW_NODE_BATCHNORM)
      {
        NwNode *node = &net->nodes[i];
        gsize w = (gsize) node->info.width;
        node->mean = nw_backend_alloc (backend, w);
        node->invstd = nw_backend_alloc (backend, w);
        node->eval_mean = nw_backend_alloc (backend, w);
        node->eval_invstd = nw_backend_alloc (backend, w);
        node->frozen = nw_backend_alloc (backend, 2 * w);
      }
  if (!nw_backend_take_error (backend, error))
    {
      g_prefix_error (error, "network '%s': ", spec->name != NULL ? spec->name : "unnamed");
      nw_net_free (net);
      return NULL;
    }
  nw_net_init_params (net, spec->train.seed);
  return net;
}

static void
release_activations (NwNet *net)
{
  for (int i = 0; i < net->n_nodes; i++)
    {
      NwNode *node = &net->nodes[i];
      nw_backend_release (net->backend, &node->y);
      nw_backend_release (net->backend, &node->dy);
      nw_backend_release (net->backend, &node->mask);
      if (node->info.spec->kind != NW_NODE_BATCHNORM)
        {
          nw_backend_release (net->backend, &node->mean);
          nw_backend_release (net->backend, &node->invstd);
        }
    }
  nw_backend_release (net->backend, &net->targets);
  net->capacity = 0;
}

static void
release_norm_state (NwNet *net)
{
  for (int i = 0; i < net->n_nodes; i++)
    {
      NwNode *node = &net->nodes[i];
      nw_backend_release (net->backend, &node->mean);
      nw_backend_release (net->backend, &node->invstd);
      nw_backend_release (net->backend, &node->eval_mean);
      nw_backend_release (net->backend, &node->eval_invstd);
      nw_backend_release (net->backend, &node->frozen);
    }
}

void
nw_net_free (NwNet *net)
{
  if (net == NULL)
    return;
  release_activations (net);
  release_norm_state (net);
  nw_backend_release (net->backend, &net->params);
  nw_backend_release (net->backend, &net->grads);
  nw_backend_release (net->backend, &net->s1);
  nw_backend_release (net->backend, &net->s2);
  nw_backend_release (net->backend, &net->state);
  nw_backend_release (net->backend, &net->metrics);
  for (int i = 0; i < net->n_nodes; i++)
    g_free (net->nodes[i].inputs);
  g_free (net->nodes);
  nw_spec_free (net->spec);
  g_free (net);
}

const NwSpec *nw_net_get_spec (NwNet *net) { return net->spec; }
NwBackend *nw_net_get_backend (NwNet *net) { return net->backend; }
int nw_net_n_nodes (NwNet *net) { return net->n_nodes; }
const NwNodeInfo *nw_net_node (NwNet *net, int i) { return &net->nodes[i].info; }
gsize nw_net_n_params (NwNet *net) { return net->n_params; }
int nw_net_input_width (NwNet *net) { return net->nodes[0].info.width; }
gboolean nw_net_is_chain (NwNet *net) { return net->chain; }
gint64 nw_net_get_updates (NwNet *net) { return net->updates; }
NwBuffer *nw_net_input (NwNet *net) { return net->nodes[0].y; }
NwBuffer *nw_net_targets (NwNet *net) { return net->targets; }
NwBuffer *nw_net_params_buffer (NwNet *net) { return net->params; }
NwBuffer *nw_net_grads_buffer (NwNet *net) { return net->grads; }
NwBuffer *nw_net_node_output (NwNet *net, int i) { return net->nodes[i].y; }
NwBuffer *nw_net_node_grad (NwNet *net, int i) { return net->nodes[i].dy; }
guint64 nw_net_get_dropout_counter (NwNet *net) { return net->dropout_counter; }

int
nw_net_output_width (NwNet *net)
{
  return net->nodes[net->n_nodes - 1].info.in_width;
}

int
nw_net_find_node (NwNet *net, const char *id)
{
  for (int i = 0; i < net->n_nodes; i++)
    if (g_strcmp0 (net->nodes[i].info.spec->id, id) == 0)
      return i;
  return -1;
}

void
nw_net_set_dropout_state (NwNet *net, guint64 seed, guint64 counter)
{
  net->dropout_seed = seed;
  net->dropout_counter = counter;
}

void
nw_net_init_params (NwNet *net, guint64 seed)
{
  g_autofree nw_real *host = g_new0 (nw_real, MAX (net->n_params, 1));
  g_autofree nw_real *state = g_new0 (nw_real, MAX (net->n_state, 1));
  NwRng rng;

  nw_rng_init (&rng, seed);
  for (int i = 0; i < net->n_nodes; i++)
    {
      NwNode *node = &net->nodes[i];
      const NwNodeSpec *s = node->info.spec;
      int fan_in = node->info.in_width, fan_out = node->info.width;
      if (s->kind == NW_NODE_DENSE)
        {
          nw_init_fill (s->weight_init, s->weight_init_param, fan_in, fan_out, &rng,
                        host + node->info.w_off, node->info.w_n);
          if (node->info.b_n > 0)
            nw_init_fill (s->bias_init, s->bias_init_param, fan_in, fan_out, &rng,
                          host + node->info.b_off, node->info.b_n);
        }
      else if (has_affine (s))
        for (gsize k = 0; k < node->info.w_n; k++)
          {
            host[node->info.w_off + k] = 1;
            host[node->info.b_off + k] = 0;
          }
      if (s->kind == NW_NODE_BATCHNORM)
        for (int k = 0; k < node->info.width; k++)
          state[node->info.rs_off + node->info.width + k] = 1;   /* running variance */
      node->batches_tracked = 0;
    }
  nw_backend_upload (net->backend, net->params, 0, host, net->n_params);
  nw_backend_upload (net->backend, net->state, 0, state, net->n_state);
  /* No training batch yet: its statistics start where the running ones do. */
  for (int i = 0; i < net->n_nodes; i++)
    {
      NwNode *node = &net->nodes[i];
      if (node->info.spec->kind != NW_NODE_BATCHNORM || node->mean == NULL)
        continue;
      OPS (net)->fill (net->backend, node->mean, 0, node->info.width, 0);
      OPS (net)->fill (net->backend, node->invstd, 0, node->info.width,
                       (nw_real) (1.0 / sqrt (1.0 + node->info.spec->eps)));
    }
  OPS (net)->fill (net->backend, net->grads, 0, net->n_params, 0);
  OPS (net)->fill (net->backend, net->s1, 0, net->n_params, 0);
  OPS (net)->fill (net->backend, net->s2, 0, net->n_params, 0);
  OPS (net)->fill (net->backend, net->metrics, 0, NW_METRIC_SIZE, 0);
  net->updates = 0;
  /* Dropout draws from its own stream, so initial weights do not depend on where masks start. */
  net->dropout_seed = nw_mix64 (seed ^ G_GUINT64_CONSTANT (0xd1b54a32d192ed03));
  net->dropout_counter = 0;
}

void
nw_net_memory_estimate (NwNet *net, int rows, guint64 data_bytes, NwMemoryEstimate *out)
{
  guint n = net->spec->nodes->len;
  g_autofree int *widths = g_new0 (int, MAX (n, 1));
  g_autofree int *in_widths = g_new0 (int, MAX (n, 1));
  g_autoptr (GHashTable) index_of = g_hash_table_new (NULL, NULL);

  for (guint si = 0; si < n; si++)
    g_hash_table_insert (index_of, g_ptr_array_index (net->spec->nodes, si), GUINT_TO_POINTER (si));
  for (int i = 0; i < net->n_nodes; i++)
    {
      guint si = GPOINTER_TO_UINT (g_hash_table_lookup (index_of, net->nodes[i].info.spec));
      widths[si] = net->nodes[i].info.width;
      in_widths[si] = net->nodes[i].info.in_width;
    }
  nw_memory_estimate (net->spec, widths, in_widths, rows, data_bytes, out);
}

gboolean
nw_net_reserve (NwNet *net, int rows, GError **error)
{
  NwBackend *b = net->backend;
  if (rows <= net->capacity)
    return TRUE;
  if (rows <= 0 || rows > (1 << 24))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE, "batch of %d rows is out of range", rows);
      return FALSE;
    }
  release_activations (net);
  for (int i = 0; i < net->n_nodes; i++)
    {
      NwNode *node = &net->nodes[i];
      NwNodeKind kind = node->info.spec->kind;
      gsize n = (gsize) rows * node->info.width;
      if (kind == NW_NODE_LOSS)
        continue;
      node->y = nw_backend_alloc (b, n);
      if (kind != NW_NODE_INPUT)
        node->dy = nw_backend_alloc (b, n);
      if (kind == NW_NODE_DROPOUT)
        node->mask = nw_backend_alloc (b, n);
      if (kind == NW_NODE_LAYERNORM)
        {
          node->mean = nw_backend_alloc (b, (gsize) rows);
          node->invstd = nw_backend_alloc (b, (gsize) rows);
        }
    }
  net->targets = nw_backend_alloc (b, (gsize) rows * net->target_width);
  if (!nw_backend_take_error (b, error))
    {
      release_activations (net);
      g_prefix_error (error, "batch of %d rows: ", rows);
      return FALSE;
    }
  net->capacity = rows;
  return TRUE;
}

gboolean
nw_net_dropout_active (const NwNodeSpec *s, int mode)
{
  return mode != NW_FORWARD_EVAL && s->enabled && s->p > 0;
}

void
nw_net_forward (NwNet *net, int rows, gboolean train, gboolean targets)
{
  nw_net_forward_mode (net, rows, train ? NW_FORWARD_TRAIN : NW_FORWARD_EVAL, targets);
}

void
nw_net_forward_mode (NwNet *net, int rows, NwForwardMode mode, gboolean targets)
{
  g_return_if_fail (rows <= net->capacity);
  net->last_rows = rows;
  net->last_mode = mode;
  /* Each node's pass is its kind's (core/layers/). */
  for (int i = 1; i < net->n_nodes; i++)
    nw_node_kind_info (net->nodes[i].info.spec->kind)->forward (net, i, rows, mode, targets);
}

/* Where a backward pass writes the gradient for input `from`: overwrite the first time, add
 * after that. Returns FALSE for the input node, which needs no gradient. */
gboolean
nw_net_grad_target (NwNet *net, int from, gboolean *accumulate)
{
  NwNode *src = &net->nodes[from];
  if (from == 0)
    return FALSE;
  *accumulate = src->dy_written;
  src->dy_written = TRUE;
  return TRUE;
}

void
nw_net_norm_backward (NwNet *net, NwNode *node, int rows, int axis)
{
  NwBackend *b = net->backend;
  const NwNodeSpec *s = node->info.spec;
  NwNode *in = &net->nodes[node->inputs[0]];
  int w = node->info.width;
  gboolean affine = node->info.w_n > 0, acc = FALSE;
  gboolean want_dx = nw_net_grad_target (net, node->inputs[0], &acc);
  gboolean used_running = axis == 0 && net->last_mode != NW_FORWARD_TRAIN;

  if (s->kind == NW_NODE_BATCHNORM && !s->enabled)
    {
      if (affine)
        b->ops->fill (b, net->grads, node->info.w_off, 2 * (gsize) w, 0);
      if (want_dx)
        b->ops->copy (b, node->dy, 0, in->dy, 0, (gsize) rows * w, acc);
      return;
    }
  /* Even when the input is the data (no gradient wanted), the scale and shift still need
   * theirs: dx NULL asks for those alone. */
  /* BatchNorm after an evaluation (or view) pass: the statistics that pass used, held fixed. */
  if (want_dx || affine)
    b->ops->norm_backward (b, axis, used_running, rows, w, in->y, 0, node->dy, 0,
                           affine ? net->params : NULL, node->info.w_off,
                           used_running ? node->eval_mean : node->mean,
                           used_running ? node->eval_invstd : node->invstd, 0,
                           want_dx ? in->dy : NULL, 0, acc,
                           affine ? net->grads : NULL, node->info.w_off,
                           affine ? net->grads : NULL, node->info.b_off);
}

void
nw_net_backward (NwNet *net)
{
  int rows = net->last_rows;

  for (int i = 0; i < net->n_nodes; i++)
    net->nodes[i].dy_written = FALSE;
  /* The loss wrote its input's gradient during the forward pass. */
  net->nodes[net->nodes[net->n_nodes - 1].inputs[0]].dy_written = TRUE;

  /* Each node's pass is its kind's (core/layers/); neither the input nor the loss has one. */
  for (int i = net->n_nodes - 2; i >= 1; i--)
    nw_node_kind_info (net->nodes[i].info.spec->kind)->backward (net, i, rows);
}

void
nw_net_update (NwNet *net, const NwTrainSpec *hp)
{
  NwBackend *b = net->backend;
  NwUpdateArgs args = {
    .kind = hp->optimizer,
    .lr = (float) hp->lr,
    .momentum = (float) hp->momentum,
    .beta1 = (float) hp->beta1,
    .beta2 = (float) hp->beta2,
    .eps = (float) hp->eps,
    .rho = (float) hp->rho,
    .weight_decay = (float) hp->weight_decay,
    .l1 = (float) hp->l1,
    .l2 = (float) hp->l2,
  };

  nw_net_begin_updates (net, hp);
  net->updates++;
  args.t = net->updates;
  if (net->n_weights > 0)
    b->ops->update (b, &args, TRUE, net->n_weights, net->params, net->grads, net->s1, net->s2, 0);
  if (net->n_params > net->n_weights)
    b->ops->update (b, &args, FALSE, net->n_params - net->n_weights, net->params, net->grads,
                    net->s1, net->s2, net->n_weights);
}

void
nw_net_read_metrics (NwNet *net, double out[NW_METRIC_SIZE])
{
  nw_real m[NW_METRIC_SIZE] = { 0 };
  nw_backend_download (net->backend, net->metrics, 0, m, NW_METRIC_SIZE);
  for (int i = 0; i < NW_METRIC_SIZE; i++)
    out[i] = m[i];
}

void
nw_net_reset_metrics (NwNet *net)
{
  net->backend->ops->fill (net->backend, net->metrics, 0, NW_METRIC_SIZE, 0);
}

static void
read_reals (NwNet *net, NwBuffer *buf, gsize off, gsize n, float *out)
{
#ifdef NW_REAL_DOUBLE
  g_autofree nw_real *tmp = g_new (nw_real, MAX (n, 1));
  nw_backend_download (net->backend, buf, off, tmp, n);
  for (gsize i = 0; i < n; i++)
    out[i] = (float) tmp[i];
#else
  nw_backend_download (net->backend, buf, off, out, n);
#endif
}

static void
write_reals (NwNet *net, NwBuffer *buf, gsize off, gsize n, const float *src)
{
#ifdef NW_REAL_DOUBLE
  g_autofree nw_real *tmp = g_new (nw_real, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    tmp[i] = src[i];
  nw_backend_upload (net->backend, buf, off, tmp, n);
#else
  nw_backend_upload (net->backend, buf, off, src, n);
#endif
}

void
nw_net_read_node (NwNet *net, int i, int rows, float *out)
{
  read_reals (net, net->nodes[i].y, 0, (gsize) rows * net->nodes[i].info.width, out);
}

void
nw_net_read_output (NwNet *net, int rows, float *out)
{
  const NwNode *loss = &net->nodes[net->n_nodes - 1];
  int cols = loss->info.in_width;
  nw_net_read_node (net, loss->inputs[0], rows, out);
  if (loss->info.spec->loss == NW_LOSS_BCE_LOGITS)
    for (gsize i = 0; i < (gsize) rows * cols; i++)
      out[i] = (float) (1.0 / (1.0 + exp (-(double) out[i])));
  else if (loss->info.spec->loss == NW_LOSS_SOFTMAX_XENT)
    for (int r = 0; r < rows; r++)
      {
        float *z = out + (gsize) r * cols, max = z[0];
        double sum = 0;
        for (int c = 1; c < cols; c++)
          max = MAX (max, z[c]);
        for (int c = 0; c < cols; c++)
          sum += (z[c] = expf (z[c] - max));
        for (int c = 0; c < cols; c++)
          z[c] = (float) (z[c] / sum);
      }
}

gboolean
nw_net_set_enabled (NwNet *net, const char *id, gboolean enabled, GError **error)
{
  int i = nw_net_find_node (net, id);
  NwNodeSpec *s;
  if (i < 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC, "no node '%s'", id);
      return FALSE;
    }
  /* The node specs are the net's own copy, so this changes nothing the caller holds. */
  s = (NwNodeSpec *) net->nodes[i].info.spec;
  if (s->kind != NW_NODE_DROPOUT && s->kind != NW_NODE_BATCHNORM)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC,
                   "node '%s': only dropout and batchnorm nodes can be switched on and off", id);
      return FALSE;
    }
  s->enabled = enabled;
  return TRUE;
}

void
nw_net_get_params (NwNet *net, float *dst)
{
  read_reals (net, net->params, 0, net->n_params, dst);
}

void
nw_net_set_params (NwNet *net, const float *src)
{
  write_reals (net, net->params, 0, net->n_params, src);
}

void
nw_net_get_grads (NwNet *net, float *dst)
{
  read_reals (net, net->grads, 0, net->n_params, dst);
}

/* ---- for a backend's fused training path (core/nw-trainer-chain.c) ---- */

gsize nw_net_n_weights (NwNet *net) { return net->n_weights; }

void
nw_net_get_optimizer_state (NwNet *net, NwBuffer **s1, NwBuffer **s2)
{
  *s1 = net->s1;
  *s2 = net->s2;
}

gint64
nw_net_begin_updates (NwNet *net, const NwTrainSpec *hp)
{
  NwBackend *b = net->backend;
  if (hp->optimizer != net->opt_kind)
    {
      /* Another optimizer's state means something else: start it afresh. */
      b->ops->fill (b, net->s1, 0, net->n_params, 0);
      b->ops->fill (b, net->s2, 0, net->n_params, 0);
      net->opt_kind = hp->optimizer;
      net->updates = 0;
    }
  return net->updates;
}

void
nw_net_count_updates (NwNet *net, gint64 n)
{
  net->updates += n;
}
