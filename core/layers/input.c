/* input.c: the Input node: the batch's features, as wide as the data. */
#include "layer-private.h"

static gboolean
input_width (const NwNodeSpec *node, const int *in, const char *const *in_ids, int n_in,
                int input_width, int *width,
             GError **error)
{
  *width = input_width;
  return TRUE;
}

static void
input_describe (const NwNodeSpec *node, GString *out)
{
  g_string_append (out, "features from the data");
}

const NwNodeKindInfo nw_layer_input = {
  .kind = NW_NODE_INPUT,
  .name = "input",
  .label = N_("Input"),
  .note = N_("Its width comes from the data."),
  .n_inputs = 0,
  .infer_width = input_width,
  .describe = input_describe,
};
