/* layernorm.c: layer normalisation over the columns of each row (torch.nn.LayerNorm). */
#include "layer-private.h"

static const NwField layernorm_fields[] = {
  { "eps", NW_FIELD_DOUBLE, NW_FIELD_OFF (eps), 0, 0, G_MAXDOUBLE, TRUE, FALSE, 1e-5, FALSE,
    N_("Epsilon"), N_("Added to the variance before its square root"), 1e-6, 1, 1e-5, 6 },
  { "affine", NW_FIELD_BOOL, NW_FIELD_OFF (affine), 0, 0, 1, FALSE, FALSE, 1, FALSE,
    N_("Affine"), N_("A learned scale and shift after normalising"), 0, 1, 1, 0 },
};

static gint64
layernorm_params (const NwNodeSpec *node, int in_width, int width)
{
  return node->affine ? 2 * (gint64) width : 0;
}

static void
layernorm_describe (const NwNodeSpec *s, GString *g)
{
  nw_layer_append_double (g, "eps %s", s->eps);
  if (!s->affine)
    g_string_append (g, ", no affine");
}

static void
layernorm_forward (NwNet *net, int i, int rows, int mode, gboolean targets)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  NwBackend *b = net->backend;
  gboolean affine = node->info.w_n > 0;

  b->ops->norm_forward (b, 1, FALSE, rows, node->info.width, in->y, 0, node->y, 0,
                        affine ? net->params : NULL, node->info.w_off,
                        affine ? net->params : NULL, node->info.b_off,
                        NULL, 0, 0, (float) node->info.spec->eps, FALSE, node->mean, node->invstd, 0);
}

static void
layernorm_backward (NwNet *net, int i, int rows)
{
  nw_net_norm_backward (net, NW_NODE (net, i), rows, 1);
}

static const char *const layernorm_kernels[] = {
  "norm_forward", "norm_backward_groups", "norm_backward_features", NULL,
};

const NwNodeKindInfo nw_layer_layernorm = {
  .kind = NW_NODE_LAYERNORM,
  .name = "layernorm",
  .label = N_("LayerNorm"),
  .n_inputs = 1,
  .fields = layernorm_fields,
  .n_fields = G_N_ELEMENTS (layernorm_fields),
  .count_params = layernorm_params,
  .describe = layernorm_describe,
  .forward = layernorm_forward,
  .backward = layernorm_backward,
  .cl_kernels = layernorm_kernels,
};
