/* add.c: the sum of two or more inputs of equal width (a residual join). */
#include "layer-private.h"

static gboolean
add_width (const NwNodeSpec *node, const int *in, const char *const *in_ids, int n_in,
                int input_width, int *width,
           GError **error)
{
  for (int p = 1; p < n_in; p++)
    if (in[p] != in[0])
      {
        nw_spec_set_node_error (error, NW_ERROR_SPEC, node->id,
                                _("inputs have widths %d ('%s') and %d ('%s'); add needs "
                                  "equal widths"),
                                in[0], in_ids[0], in[p], in_ids[p]);
        return FALSE;
      }
  *width = in[0];
  return TRUE;
}

static void
add_describe (const NwNodeSpec *node, GString *out)
{
  g_string_append (out, "sum of its inputs");
}

static void
add_forward (NwNet *net, int i, int rows, int mode, gboolean targets)
{
  NwNode *node = NW_NODE (net, i);
  NwBackend *b = net->backend;
  gsize n = (gsize) rows * node->info.width;

  b->ops->add (b, NW_NODE (net, node->inputs[0])->y, 0, NW_NODE (net, node->inputs[1])->y, 0,
               node->y, 0, n);
  for (int k = 2; k < node->info.n_inputs; k++)
    b->ops->copy (b, NW_NODE (net, node->inputs[k])->y, 0, node->y, 0, n, TRUE);
}

static void
add_backward (NwNet *net, int i, int rows)
{
  NwNode *node = NW_NODE (net, i);
  NwBackend *b = net->backend;
  gsize n = (gsize) rows * node->info.width;
  gboolean acc = FALSE;

  for (int k = 0; k < node->info.n_inputs; k++)
    if (nw_net_grad_target (net, node->inputs[k], &acc))
      b->ops->copy (b, node->dy, 0, NW_NODE (net, node->inputs[k])->dy, 0, n, acc);
}

static const char *const add_kernels[] = { "add", "accumulate", NULL };

const NwNodeKindInfo nw_layer_add = {
  .kind = NW_NODE_ADD,
  .name = "add",
  .label = N_("Add"),
  .note = N_("The inputs must have equal widths."),
  .n_inputs = -1,
  .infer_width = add_width,
  .describe = add_describe,
  .forward = add_forward,
  .backward = add_backward,
  .cl_kernels = add_kernels,
};
