/* batchnorm.c: batch normalisation over the rows of each column (torch.nn.BatchNorm1d).
 * Training uses the batch's statistics and moves the running ones; evaluation uses the
 * running ones; a view pass uses the last training batch's, frozen. */
#include "layer-private.h"

static const NwField batchnorm_fields[] = {
  { "momentum", NW_FIELD_DOUBLE, NW_FIELD_OFF (momentum), 0, 0, 1, FALSE, FALSE, 0.1, FALSE,
    N_("Momentum"), N_("How fast the running averages follow the batches (PyTorch's 0.1)"),
    0, 1, 0.01, 3 },
  { "eps", NW_FIELD_DOUBLE, NW_FIELD_OFF (eps), 0, 0, G_MAXDOUBLE, TRUE, FALSE, 1e-5, FALSE,
    N_("Epsilon"), N_("Added to the variance before its square root"), 1e-6, 1, 1e-5, 6 },
  { "affine", NW_FIELD_BOOL, NW_FIELD_OFF (affine), 0, 0, 1, FALSE, FALSE, 1, FALSE,
    N_("Affine"), N_("A learned scale and shift after normalising"), 0, 1, 1, 0 },
  { "enabled", NW_FIELD_BOOL, NW_FIELD_OFF (enabled), 0, 0, 1, FALSE, FALSE, 1, FALSE,
    N_("Enabled"), N_("A disabled node passes its input through unchanged"), 0, 1, 1, 0 },
};

static gint64
norm_params (const NwNodeSpec *node, int in_width, int width)
{
  return node->affine ? 2 * (gint64) width : 0;
}

static void
batchnorm_describe (const NwNodeSpec *s, GString *g)
{
  nw_layer_append_double (g, "momentum %s", s->momentum);
  nw_layer_append_double (g, ", eps %s", s->eps);
  g_string_append_printf (g, "%s%s", s->affine ? "" : ", no affine", s->enabled ? "" : ", disabled");
}

/* The most recent training batch's statistics, in the running statistics' layout (mean, then
 * variance), for a view pass to normalise with: variance = 1 / invstd^2 - eps, so that the
 * backend's 1 / sqrt(variance + eps) gives invstd back (to within float rounding). */
static void
freeze_batch_stats (NwNet *net, NwNode *node)
{
  gsize w = (gsize) node->info.width;
  g_autofree nw_real *host = g_new (nw_real, 2 * w);
  nw_backend_download (net->backend, node->mean, 0, host, w);
  nw_backend_download (net->backend, node->invstd, 0, host + w, w);
  for (gsize k = 0; k < w; k++)
    {
      double inv = host[w + k];
      host[w + k] = (nw_real) (inv > 0 ? 1.0 / (inv * inv) - node->info.spec->eps : 1.0);
    }
  nw_backend_upload (net->backend, node->frozen, 0, host, 2 * w);
}

static void
batchnorm_forward (NwNet *net, int i, int rows, int mode, gboolean targets)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  NwBackend *b = net->backend;
  const NwNodeSpec *s = node->info.spec;
  gboolean affine = node->info.w_n > 0;
  NwBuffer *gamma = affine ? net->params : NULL;
  int w = node->info.width;

  if (!s->enabled)
    {
      b->ops->copy (b, in->y, 0, node->y, 0, (gsize) rows * w, FALSE);
      return;
    }
  switch (mode)
    {
    case NW_FORWARD_TRAIN:
      b->ops->norm_forward (b, 0, FALSE, rows, w, in->y, 0, node->y, 0, gamma, node->info.w_off,
                            gamma, node->info.b_off, net->state, node->info.rs_off,
                            (float) s->momentum, (float) s->eps, TRUE, node->mean, node->invstd, 0);
      node->batches_tracked++;
      break;
    case NW_FORWARD_TRAIN_VIEW:
      freeze_batch_stats (net, node);
      b->ops->norm_forward (b, 0, TRUE, rows, w, in->y, 0, node->y, 0, gamma, node->info.w_off,
                            gamma, node->info.b_off, node->frozen, 0, (float) s->momentum,
                            (float) s->eps, FALSE, node->eval_mean, node->eval_invstd, 0);
      break;
    case NW_FORWARD_EVAL:
    default:
      b->ops->norm_forward (b, 0, TRUE, rows, w, in->y, 0, node->y, 0, gamma, node->info.w_off,
                            gamma, node->info.b_off, net->state, node->info.rs_off,
                            (float) s->momentum, (float) s->eps, FALSE, node->eval_mean,
                            node->eval_invstd, 0);
      break;
    }
}

static void
batchnorm_backward (NwNet *net, int i, int rows)
{
  nw_net_norm_backward (net, NW_NODE (net, i), rows, 0);
}

static const char *const batchnorm_kernels[] = {
  "norm_forward", "norm_backward_features", "accumulate", NULL,
};

const NwNodeKindInfo nw_layer_batchnorm = {
  .kind = NW_NODE_BATCHNORM,
  .name = "batchnorm",
  .label = N_("BatchNorm"),
  .n_inputs = 1,
  .fields = batchnorm_fields,
  .n_fields = G_N_ELEMENTS (batchnorm_fields),
  .count_params = norm_params,
  .describe = batchnorm_describe,
  .forward = batchnorm_forward,
  .backward = batchnorm_backward,
  .cl_kernels = batchnorm_kernels,
};
