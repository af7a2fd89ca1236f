/* dropout.c: inverted dropout. Training draws a mask from the run's counter-based stream (any
 * backend draws the same); a view pass draws from a stream of its own; evaluation, or a
 * disabled node, passes its input through. */
#include "layer-private.h"

static const NwField dropout_fields[] = {
  { "p", NW_FIELD_DOUBLE, NW_FIELD_OFF (p), 0, 0, 1, FALSE, TRUE, 0.5, FALSE,
    N_("Dropout probability"), N_("The share of outputs set to zero in each training step"),
    0, 0.99, 0.05, 2 },
  { "enabled", NW_FIELD_BOOL, NW_FIELD_OFF (enabled), 0, 0, 1, FALSE, FALSE, 1, FALSE,
    N_("Enabled"), N_("A disabled node passes its input through unchanged"), 0, 1, 1, 0 },
};

/* View passes draw their dropout masks from a stream of their own (a different seed), so
 * they neither move the run's counter nor repeat the masks its next steps will draw. */
#define VIEW_DROPOUT_SALT G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)

static void
dropout_describe (const NwNodeSpec *s, GString *g)
{
  nw_layer_append_double (g, "p %s", s->p);
  if (!s->enabled)
    g_string_append (g, ", disabled");
}

static void
dropout_forward (NwNet *net, int i, int rows, int mode, gboolean targets)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  const NwNodeSpec *s = node->info.spec;
  NwBackend *b = net->backend;
  gsize n = (gsize) rows * node->info.width;

  if (nw_net_dropout_active (s, mode) && mode == NW_FORWARD_TRAIN)
    {
      b->ops->dropout (b, n, (float) s->p, net->dropout_seed, net->dropout_counter, in->y, 0,
                       node->mask, 0, node->y, 0);
      net->dropout_counter += n;
    }
  else if (nw_net_dropout_active (s, mode))
    {
      b->ops->dropout (b, n, (float) s->p, nw_mix64 (net->dropout_seed ^ VIEW_DROPOUT_SALT),
                       net->view_counter, in->y, 0, node->mask, 0, node->y, 0);
      net->view_counter += n;
    }
  else
    b->ops->copy (b, in->y, 0, node->y, 0, n, FALSE);
}

static void
dropout_backward (NwNet *net, int i, int rows)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  NwBackend *b = net->backend;
  gsize n = (gsize) rows * node->info.width;
  gboolean acc = FALSE;

  if (!nw_net_grad_target (net, node->inputs[0], &acc))
    return;
  if (nw_net_dropout_active (node->info.spec, net->last_mode))
    b->ops->mul (b, n, node->dy, 0, node->mask, 0, in->dy, 0, acc);
  else
    b->ops->copy (b, node->dy, 0, in->dy, 0, n, acc);
}

static const char *const dropout_kernels[] = { "dropout", "mul", "accumulate", NULL };

const NwNodeKindInfo nw_layer_dropout = {
  .kind = NW_NODE_DROPOUT,
  .name = "dropout",
  .label = N_("Dropout"),
  .n_inputs = 1,
  .fields = dropout_fields,
  .n_fields = G_N_ELEMENTS (dropout_fields),
  .describe = dropout_describe,
  .forward = dropout_forward,
  .backward = dropout_backward,
  .cl_kernels = dropout_kernels,
};
