/* dense.c: the fully connected layer, Y = X W^T + b (torch.nn.Linear). Its weights are the
 * penalised part of the parameter buffer; its bias may be left to the activation after it
 * (nw-net.c's fusion). */
#include "layer-private.h"

static const NwField dense_fields[] = {
  { "units", NW_FIELD_INT, NW_FIELD_OFF (units), 0, 1, NW_MAX_UNITS, FALSE, FALSE, 0, TRUE,
    N_("Units"), N_("How many outputs (neurons) the layer has"), 1, NW_MAX_UNITS, 1, 0 },
  { "bias", NW_FIELD_BOOL, NW_FIELD_OFF (bias), 0, 0, 1, FALSE, FALSE, 1, FALSE,
    N_("Bias"), N_("Adds a learned constant to each output"), 0, 1, 1, 0 },
  { "weight_init", NW_FIELD_ENUM, NW_FIELD_OFF (weight_init), NW_FIELD_ENUM_INIT, 0, 0, FALSE,
    FALSE, NW_INIT_TORCH_DEFAULT, FALSE, N_("Weight initializer"), NULL, 0, 0, 0, 0 },
  { "weight_init_param", NW_FIELD_DOUBLE, NW_FIELD_OFF (weight_init_param), 0, NW_ANY_FINITE,
    0, FALSE, N_("Weight init parameter"),
    N_("The constant's value, the normal's standard deviation or the uniform's bound; 0: "
       "the initializer's default"), 0, 100, 0.01, 3 },
  { "bias_init", NW_FIELD_ENUM, NW_FIELD_OFF (bias_init), NW_FIELD_ENUM_INIT, 0, 0, FALSE, FALSE,
    NW_INIT_TORCH_DEFAULT, FALSE, N_("Bias initializer"), NULL, 0, 0, 0, 0 },
  { "bias_init_param", NW_FIELD_DOUBLE, NW_FIELD_OFF (bias_init_param), 0, NW_ANY_FINITE, 0,
    FALSE, N_("Bias init parameter"), N_("As for the weights; 0: the initializer's default"),
    0, 100, 0.01, 3 },
};

static gboolean
dense_width (const NwNodeSpec *node, const int *in, const char *const *in_ids, int n_in,
                int input_width, int *width,
             GError **error)
{
  *width = node->units;
  return TRUE;
}

static gint64
dense_params (const NwNodeSpec *node, int in_width, int width)
{
  return (gint64) in_width * width + (node->bias ? width : 0);
}

static void
dense_describe (const NwNodeSpec *s, GString *g)
{
  g_string_append_printf (g, "%d unit%s, weights %s", s->units, s->units == 1 ? "" : "s",
                          nw_init_name (s->weight_init));
  if (s->weight_init_param != 0)
    nw_layer_append_double (g, "(%s)", s->weight_init_param);
  if (s->bias)
    {
      g_string_append_printf (g, ", bias %s", nw_init_name (s->bias_init));
      if (s->bias_init_param != 0)
        nw_layer_append_double (g, "(%s)", s->bias_init_param);
    }
  else
    g_string_append (g, ", no bias");
}

static void
dense_forward (NwNet *net, int i, int rows, int mode, gboolean targets)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  NwBackend *b = net->backend;
  int w = node->info.width, iw = node->info.in_width;

  b->ops->gemm (b, FALSE, TRUE, rows, w, iw, 1, in->y, 0, iw, net->params, node->info.w_off, iw,
                0, node->y, 0, w);
  if (!node->bias_deferred && node->info.b_n > 0)
    b->ops->bias_act (b, node->y, 0, rows, w, net->params, node->info.b_off, NW_ACT_LINEAR, 0,
                      node->y, 0);
}

static void
dense_backward (NwNet *net, int i, int rows)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  NwBackend *b = net->backend;
  int w = node->info.width, iw = node->info.in_width;
  gboolean acc = FALSE;

  /* dW = dZ^T X, db = column sums of dZ, dX = dZ W */
  b->ops->gemm (b, TRUE, FALSE, w, iw, rows, 1, node->dy, 0, w, in->y, 0, iw, 0,
                net->grads, node->info.w_off, iw);
  if (node->info.b_n > 0)
    b->ops->bias_grad (b, node->dy, 0, rows, w, net->grads, node->info.b_off);
  if (nw_net_grad_target (net, node->inputs[0], &acc))
    b->ops->gemm (b, FALSE, FALSE, rows, iw, w, 1, node->dy, 0, w, net->params, node->info.w_off,
                  iw, acc ? 1 : 0, in->dy, 0, iw);
}

static const char *const dense_kernels[] = {
  "gemm_nn", "gemm_nt", "gemm_tn", "gemm_nt_dot", "gemm_small", "bias_act_linear", "column_sums",
  NULL,
};

const NwNodeKindInfo nw_layer_dense = {
  .kind = NW_NODE_DENSE,
  .name = "dense",
  .label = N_("Dense"),
  .note = N_("A parameter of 0 means the initializer's default."),
  .n_inputs = 1,
  .fields = dense_fields,
  .n_fields = G_N_ELEMENTS (dense_fields),
  .infer_width = dense_width,
  .count_params = dense_params,
  .describe = dense_describe,
  .forward = dense_forward,
  .backward = dense_backward,
  .cl_kernels = dense_kernels,
};
