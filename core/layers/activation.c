/* activation.c: the Activation node, f applied to its input (the functions themselves are the
 * activation table's, nw-activation.h). After a Dense that feeds only it, it adds that
 * Dense's bias in the same pass (bias_act). */
#include "layer-private.h"
#include "nw-activation.h"

static const NwField activation_fields[] = {
  { "activation", NW_FIELD_ENUM, NW_FIELD_OFF (activation), NW_FIELD_ENUM_ACTIVATION, 0, 0,
    FALSE, FALSE, NW_ACT_RELU, FALSE, N_("Activation"), NULL, 0, 0, 0, 0 },
  { "alpha", NW_FIELD_DOUBLE, NW_FIELD_OFF (alpha), 0, NW_ANY_FINITE, 0, FALSE,
    N_("Alpha"), N_("Leaky ReLU's slope below zero, or ELU's scale"), 0, 10, 0.01, 3 },
};

static void
activation_describe (const NwNodeSpec *s, GString *g)
{
  g_string_append (g, nw_activation_name (s->activation));
  if (nw_activation_info (s->activation)->has_alpha)
    nw_layer_append_double (g, ", alpha %s", s->alpha);
}

static void
activation_forward (NwNet *net, int i, int rows, int mode, gboolean targets)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  NwNode *dense = node->fused_dense >= 0 ? NW_NODE (net, node->fused_dense) : NULL;
  gboolean bias = dense != NULL && dense->info.b_n > 0;
  const NwNodeSpec *s = node->info.spec;
  NwBackend *b = net->backend;

  b->ops->bias_act (b, in->y, 0, rows, node->info.width, bias ? net->params : NULL,
                    bias ? dense->info.b_off : 0, s->activation, (nw_real) s->alpha, node->y, 0);
}

static void
activation_backward (NwNet *net, int i, int rows)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  const NwNodeSpec *s = node->info.spec;
  NwBackend *b = net->backend;
  gboolean acc = FALSE;

  if (nw_net_grad_target (net, node->inputs[0], &acc))
    b->ops->act_backward (b, s->activation, (nw_real) s->alpha, rows, node->info.width, in->y, 0,
                          node->y, 0, node->dy, 0, in->dy, 0, acc);
}

static const char *const activation_kernels[] = {
  "bias_act_<activation>", "act_backward_<activation>", "accumulate", NULL,
};

const NwNodeKindInfo nw_layer_activation = {
  .kind = NW_NODE_ACTIVATION,
  .name = "activation",
  .label = N_("Activation"),
  .n_inputs = 1,
  .fields = activation_fields,
  .n_fields = G_N_ELEMENTS (activation_fields),
  .describe = activation_describe,
  .forward = activation_forward,
  .backward = activation_backward,
  .cl_kernels = activation_kernels,
};
