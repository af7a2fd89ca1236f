/* cli-step.c: `neurowire-cli step`: one forward and backward pass over a batch read from a
 * safetensors file, writing the outputs, the loss and every parameter's gradient: the hook
 * that checks the engine against PyTorch. */
#include "cli-common.h"
#include "nw-i18n.h"
#include "cli-json.h"

#include <math.h>
#include <stdio.h>

static char *
shape_string (const NwTensor *t)
{
  GString *s = g_string_new ("[");
  for (int i = 0; i < t->rank; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", t->shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* The batch's x [rows, features] and y [rows, targets]. */
static gboolean
batch_tensors (const NwTensorFile *tf, const char *file, const NwTensor **x, const NwTensor **y,
               GError **error)
{
  const char *names[2] = { "x", "y" };
  const char *shapes[2] = { _("[rows, features]"), _("[rows, targets]") };
  const char *what[2] = { _("the inputs"), _("the targets") };
  const NwTensor *t[2];

  for (int i = 0; i < 2; i++)
    {
      t[i] = nw_tensor_file_get (tf, names[i]);
      if (t[i] == NULL)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_SHAPE, _("%s: no tensor '%s' (%s, %s)"), file,
                       names[i], what[i], shapes[i]);
          return FALSE;
        }
      if (t[i]->rank != 2 || t[i]->shape[0] < 1 || t[i]->shape[1] < 1
          || t[i]->shape[0] > (1 << 24) || t[i]->shape[1] > (1 << 24))
        {
          g_autofree char *shape = shape_string (t[i]);
          g_set_error (error, NW_ERROR, NW_ERROR_SHAPE, _("%s: tensor '%s' has shape %s, but %s "
                         "must be %s"), file, names[i], shape, what[i], shapes[i]);
          return FALSE;
        }
    }
  if (t[0]->shape[0] != t[1]->shape[0])
    {
      g_autofree char *xs = shape_string (t[0]);
      g_autofree char *ys = shape_string (t[1]);
      g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                   _("%s: tensor 'y' has shape %s, but tensor 'x' has shape %s (rows differ)"), file,
                   ys, xs);
      return FALSE;
    }
  *x = t[0];
  *y = t[1];
  return TRUE;
}

/* Adds every parameter's gradient as "grad.<state_dict name>", in the state dict's order. */
static void
add_gradients (NwTensorFile *out, NwNet *net, const float *grads)
{
  for (int i = 0; i < nw_net_n_nodes (net); i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      g_autofree char *prefix = info->seq_index >= 0 ? g_strdup_printf ("%d", info->seq_index)
                                                    : g_strdup (info->spec->id);
      if (info->w_n > 0)
        {
          g_autofree char *name = g_strdup_printf ("grad.%s.weight", prefix);
          gint64 shape[2] = { info->width, info->in_width };
          if (info->spec->kind == NW_NODE_DENSE)
            nw_tensor_file_add (out, name, NW_DTYPE_F32, 2, shape, grads + info->w_off);
          else
            {
              shape[0] = (gint64) info->w_n;
              nw_tensor_file_add (out, name, NW_DTYPE_F32, 1, shape, grads + info->w_off);
            }
        }
      if (info->b_n > 0)
        {
          g_autofree char *name = g_strdup_printf ("grad.%s.bias", prefix);
          gint64 shape[1] = { (gint64) info->b_n };
          nw_tensor_file_add (out, name, NW_DTYPE_F32, 1, shape, grads + info->b_off);
        }
    }
}

typedef struct {
  NwCliCommon c;   /* --spec, --load, --json; the spec and the network */
  char     *batch_path, *out_path;
  gboolean  update, train_mode, eval_mode;
} Options;

/* The pass itself; fills `out`. */
static gboolean
run_step (const Options *o, const NwSpec *spec, NwNet *net, const NwTensor *x, const NwTensor *y,
          NwTensorFile *out, double *loss_out, GError **error)
{
  NwBackend *b = nw_net_get_backend (net);
  int rows = (int) x->shape[0];
  int loss_node = nw_net_n_nodes (net) - 1;
  int head = nw_net_node (net, loss_node)->inputs[0];
  int width = nw_net_output_width (net);
  gboolean train = !o->eval_mode;
  gsize n_params = nw_net_n_params (net);
  g_autofree float *raw = g_new (float, (gsize) rows * width);
  g_autofree float *probs = g_new (float, (gsize) rows * width);
  g_autofree float *grads = g_new0 (float, MAX (n_params, 1));
  g_autoptr (NwTensorFile) state = NULL;
  double m[NW_METRIC_SIZE];
  float loss;
  gint64 shape[2] = { rows, width };

  if (!nw_net_reserve (net, rows, error))
    return FALSE;
  nw_backend_upload (b, nw_net_input (net), 0, x->f32, x->numel);
  nw_backend_upload (b, nw_net_targets (net), 0, y->f32, y->numel);
  nw_net_reset_metrics (net);
  nw_net_forward (net, rows, train, TRUE);
  if (!train && head != 0)
    {
      /* An evaluation-mode forward computes the loss but not its gradient (the trainer's
       * evaluation needs none); write it here so that backward has something to start from. */
      NwBuffer *scratch = nw_backend_alloc (b, NW_METRIC_SIZE);
      b->ops->fill (b, scratch, 0, NW_METRIC_SIZE, 0);
      b->ops->loss (b, nw_net_node (net, loss_node)->spec->loss, rows, width,
                    nw_net_node_output (net, head), 0, nw_net_targets (net), 0,
                    nw_net_node_grad (net, head), 0, FALSE, scratch, 0);
      nw_backend_release (b, &scratch);
    }
  nw_net_read_metrics (net, m);
  nw_net_read_node (net, head, rows, raw);
  nw_net_read_output (net, rows, probs);
  if (head != 0)
    nw_net_backward (net);
  nw_net_get_grads (net, grads);
  if (!nw_backend_take_error (b, error))
    return FALSE;
  if (o->update)
    nw_net_update (net, &spec->train);
  state = nw_net_state_dict (net);
  if (!nw_backend_take_error (b, error))
    return FALSE;

  loss = (float) (m[NW_METRIC_COUNT] > 0 ? m[NW_METRIC_LOSS] / m[NW_METRIC_COUNT] : NAN);
  *loss_out = loss;
  nw_tensor_file_add (out, "output", NW_DTYPE_F32, 2, shape, raw);
  nw_tensor_file_add (out, "probs", NW_DTYPE_F32, 2, shape, probs);
  nw_tensor_file_add (out, "loss", NW_DTYPE_F32, 0, shape, &loss);
  add_gradients (out, net, grads);
  for (guint i = 0; i < state->tensors->len; i++)
    {
      const NwTensor *t = g_ptr_array_index (state->tensors, i);
      nw_tensor_file_add (out, t->name, t->dtype, t->rank, t->shape, t->f32);
    }
  g_hash_table_insert (out->metadata, g_strdup ("neurowire.mode"), g_strdup (train ? "train" : "eval"));
  g_hash_table_insert (out->metadata, g_strdup ("neurowire.updated"), g_strdup (o->update ? "true" : "false"));
  return TRUE;
}

int
nw_cli_step (const NwAppEnv *env, int argc, char **argv)
{
  Options o = { .c = NW_CLI_COMMON_INIT (env, "step") };
  const GOptionEntry entries[] = {
    NW_CLI_SPEC_ENTRY (o.c),
    { "batch", 0, 0, G_OPTION_ARG_FILENAME, &o.batch_path,
      N_("Safetensors with 'x' [rows, features] and 'y' [rows, targets] (required)"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &o.out_path, N_("Where to write the results (required)"), N_("FILE") },
    NW_CLI_LOAD_ENTRY (o.c, N_("Weights to start from (default: fresh ones from the seed)")),
    { "update", 0, 0, G_OPTION_ARG_NONE, &o.update, N_("Also take one optimizer step"), NULL },
    { "train-mode", 0, 0, G_OPTION_ARG_NONE, &o.train_mode, N_("Dropout on, batch statistics (the default)"), NULL },
    { "eval-mode", 0, 0, G_OPTION_ARG_NONE, &o.eval_mode, N_("Dropout off, BatchNorm's running statistics"), NULL },
    NW_CLI_JSON_ENTRY (o.c, N_("Print the summary as JSON")),
    { NULL }
  };
  g_autoptr (NwTensorFile) batch = NULL;
  g_autoptr (NwTensorFile) out = NULL;
  g_autofree char *batch_base = NULL;
  const NwTensor *x, *y;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK, n_classes, k;
  double loss = NAN;
  NwSpec *spec;

  if (!nw_cli_common_parse (&o.c,
                            _("Runs one forward and backward pass of the network over the batch in --batch\n"
                              "(as one full batch) and writes to --out: 'output' [rows, outputs] (what the\n"
                              "loss consumed), 'probs' (probabilities), 'loss' (a scalar, the batch mean),\n"
                              "'grad.NAME' for every parameter NAME of the state_dict, and the state_dict\n"
                              "itself after the pass (after the optimizer step with --update)."),
                            entries, argc, argv,
                            (char **[]) { &o.batch_path, &o.out_path, NULL },
                            _("--spec FILE, --batch FILE and --out FILE are required"), &status))
    goto out;
  if (o.train_mode && o.eval_mode)
    {
      status = nw_cli_usage ("step", _("give --train-mode or --eval-mode, not both"));
      goto out;
    }
  if (!nw_cli_common_load_spec (&o.c, &error)
      || !nw_cli_check_writable (o.out_path, &error)
      || (batch = nw_safetensors_load (o.batch_path, &error)) == NULL)
    goto out;
  spec = o.c.spec;
  batch_base = g_path_get_basename (o.batch_path);
  if (!batch_tensors (batch, batch_base, &x, &y, &error))
    goto out;

  k = (int) y->shape[1];
  if (nw_cli_spec_loss (spec) == NW_LOSS_SOFTMAX_XENT)
    {
      if (k < 2)
        {
          status = nw_cli_failf (_("%s: tensor 'y' has 1 column, but softmax_xent needs one-hot "
                                   "targets, one column per class"), batch_base);
          goto out;
        }
      n_classes = k;
    }
  else
    n_classes = k == 1 ? 2 : k;

  if (!nw_cli_common_net (&o.c, (int) x->shape[1], k, n_classes, &error))
    {
      char *message;
      /* Translators: why the network cannot be built, then the batch file and the shapes of
       * its tensors x and y */
      message = g_strdup_printf (_("%s (with %s's x [%lld, %lld] and y [%lld, %d])"),
                                 error->message, batch_base, (long long) x->shape[0],
                                 (long long) x->shape[1], (long long) y->shape[0], k);
      g_free (error->message);
      error->message = message;
      goto out;
    }
  if (!nw_cli_common_load_weights (&o.c, &error))
    goto out;

  out = nw_tensor_file_new ();
  if (!run_step (&o, spec, o.c.net, x, y, out, &loss, &error)
      || !nw_safetensors_save (out, o.out_path, &error))
    goto out;

  if (o.c.json)
    {
      NwJsonWriter *w = nw_cli_json_new ("step");
      nw_json_int (w, "rows", x->shape[0]);
      nw_json_double (w, "loss", loss);
      nw_json_string (w, "mode", o.eval_mode ? "eval" : "train");
      nw_json_bool (w, "updated", o.update);
      nw_json_int (w, "tensors", out->tensors->len);
      nw_json_string (w, "out", o.out_path);
      nw_cli_json_print (w);
    }
  else
    {
      /* Translators: "neurowire-cli step": one line each for the four cases (evaluation or
       * training mode, with or without an optimizer step): rows, loss, tensors, file */
      const char *line = o.eval_mode
        ? (o.update ? _("step: %lld rows, eval mode, loss %.6f, updated; wrote %u tensors to %s\n")
                    : _("step: %lld rows, eval mode, loss %.6f; wrote %u tensors to %s\n"))
        : (o.update ? _("step: %lld rows, train mode, loss %.6f, updated; wrote %u tensors to %s\n")
                    : _("step: %lld rows, train mode, loss %.6f; wrote %u tensors to %s\n"));
      printf (line, (long long) x->shape[0], loss, out->tensors->len, o.out_path);
    }
  goto out;

out:
  g_free (o.batch_path);
  g_free (o.out_path);
  return nw_cli_common_finish (&o.c, error, status);
}
