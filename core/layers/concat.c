/* concat.c: two or more inputs side by side, in port order. */
#include "layer-private.h"

#include <inttypes.h>

static gboolean
concat_width (const NwNodeSpec *node, const int *in, const char *const *in_ids, int n_in,
                int input_width, int *width,
              GError **error)
{
  gint64 sum = 0;
  for (int p = 0; p < n_in; p++)
    sum += in[p];
  if (sum > G_MAXINT)
    {
      nw_spec_set_node_error (error, NW_ERROR_SPEC, node->id,
                              _("concat is too wide (%" PRId64 ")"), sum);
      return FALSE;
    }
  *width = (int) sum;
  return TRUE;
}

static void
concat_describe (const NwNodeSpec *node, GString *out)
{
  g_string_append (out, "its inputs side by side");
}

static void
concat_forward (NwNet *net, int i, int rows, int mode, gboolean targets)
{
  NwNode *node = NW_NODE (net, i);
  NwBackend *b = net->backend;
  int col = 0;

  for (int k = 0; k < node->info.n_inputs; k++)
    {
      NwNode *src = NW_NODE (net, node->inputs[k]);
      b->ops->copy_cols (b, src->y, 0, src->info.width, node->y, col, node->info.width, rows,
                         src->info.width, FALSE);
      col += src->info.width;
    }
}

static void
concat_backward (NwNet *net, int i, int rows)
{
  NwNode *node = NW_NODE (net, i);
  NwBackend *b = net->backend;
  gboolean acc = FALSE;
  int col = 0;

  for (int k = 0; k < node->info.n_inputs; k++)
    {
      NwNode *dst = NW_NODE (net, node->inputs[k]);
      if (nw_net_grad_target (net, node->inputs[k], &acc))
        b->ops->copy_cols (b, node->dy, col, node->info.width, dst->dy, 0, dst->info.width, rows,
                           dst->info.width, acc);
      col += dst->info.width;
    }
}

static const char *const concat_kernels[] = { "copy_cols", NULL };

const NwNodeKindInfo nw_layer_concat = {
  .kind = NW_NODE_CONCAT,
  .name = "concat",
  .label = N_("Concat"),
  .note = N_("The pieces join top to bottom."),
  .n_inputs = -1,
  .infer_width = concat_width,
  .describe = concat_describe,
  .forward = concat_forward,
  .backward = concat_backward,
  .cl_kernels = concat_kernels,
};
