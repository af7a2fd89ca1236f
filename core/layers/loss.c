/* loss.c: the loss head. Its forward pass computes the loss, the step's metrics and its
 * input's gradient in one pass, so it has no backward pass of its own. */
#include "layer-private.h"

static const NwField loss_fields[] = {
  { "loss", NW_FIELD_ENUM, NW_FIELD_OFF (loss), NW_FIELD_ENUM_LOSS, 0, 0, FALSE, FALSE,
    NW_LOSS_BCE, FALSE, N_("Loss"), NULL, 0, 0, 0, 0 },
};

static gboolean
loss_width (const NwNodeSpec *node, const int *in, const char *const *in_ids, int n_in,
                int input_width, int *width,
            GError **error)
{
  *width = 1;   /* one number: the loss */
  return TRUE;
}

static void
loss_describe (const NwNodeSpec *s, GString *g)
{
  g_string_append (g, nw_loss_name (s->loss));
}

static void
loss_forward (NwNet *net, int i, int rows, int mode, gboolean targets)
{
  NwNode *node = NW_NODE (net, i), *in = NW_NODE (net, node->inputs[0]);
  NwBackend *b = net->backend;

  /* The loss writes its input's gradient here, in the same pass over the outputs. */
  if (targets)
    {
      gboolean grad = mode == NW_FORWARD_TRAIN && node->inputs[0] != 0;
      b->ops->loss (b, node->info.spec->loss, rows, node->info.in_width, in->y, 0, net->targets, 0,
                    grad ? in->dy : NULL, 0, FALSE, net->metrics, 0);
    }
}

static const char *const loss_kernels[] = { "loss", NULL };

const NwNodeKindInfo nw_layer_loss = {
  .kind = NW_NODE_LOSS,
  .name = "loss",
  .label = N_("Loss"),
  .n_inputs = 1,
  .fields = loss_fields,
  .n_fields = G_N_ELEMENTS (loss_fields),
  .infer_width = loss_width,
  .describe = loss_describe,
  .forward = loss_forward,
  .cl_kernels = loss_kernels,
};
