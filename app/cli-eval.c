/* cli-eval.c: `neurowire-cli eval`: loss and accuracy of saved weights on both splits. */
#include "cli-common.h"
#include "cli-json.h"

#include <math.h>
#include <stdio.h>

int
nw_cli_eval (const NwAppEnv *env, int argc, char **argv)
{
  char *spec_path = NULL, *load_path = NULL, *data_dir = NULL;
  gboolean json = FALSE;
  NwCliBackendOptions backend_opts = { NULL, NULL };
  const GOptionEntry entries[] = {
    { "spec", 0, 0, G_OPTION_ARG_FILENAME, &spec_path, "The network spec (JSON; required)", "FILE" },
    { "load", 0, 0, G_OPTION_ARG_FILENAME, &load_path, "The weights (safetensors; required)", "FILE" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Folder of the MNIST IDX files (MNIST specs)", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    NW_CLI_BACKEND_ENTRIES (backend_opts),
    { NULL }
  };
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (NwTrainer) t = NULL;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;
  double loss[2] = { NAN, NAN }, acc[2] = { NAN, NAN };
  NwDataset *data;

  if (!nw_cli_parse_options ("eval",
                             "Loads the weights into the network a spec describes and prints the loss and\n"
                             "accuracy on the spec's training and test splits (evaluation mode: dropout\n"
                             "off, BatchNorm's running statistics).",
                             entries, argc, argv, &status))
    goto out;
  if (spec_path == NULL || load_path == NULL)
    {
      status = nw_cli_usage ("eval", "--spec FILE and --load FILE are required");
      goto out;
    }
  if ((spec = nw_cli_load_spec (env, spec_path, data_dir, &error)) == NULL
      || (t = nw_cli_trainer_new (env, spec, spec_path, NULL, &backend_opts, NULL, &error)) == NULL
      || !nw_net_load_weights (nw_trainer_get_net (t), load_path, &error))
    goto fail;
  data = nw_trainer_get_data (t);
  if (!nw_trainer_evaluate (t, FALSE, &loss[0], &acc[0], &error))
    goto fail;
  if (data->test.n > 0 && !nw_trainer_evaluate (t, TRUE, &loss[1], &acc[1], &error))
    goto fail;

  if (json)
    {
      NwJsonWriter *w = nw_cli_json_new ("eval");
      nw_json_double (w, "train_loss", loss[0]);
      nw_json_double (w, "train_acc", acc[0]);
      nw_json_int (w, "train_rows", data->train.n);
      nw_json_double (w, "test_loss", loss[1]);
      nw_json_double (w, "test_acc", acc[1]);
      nw_json_int (w, "test_rows", data->test.n);
      nw_cli_json_print (w);
    }
  else
    {
      printf ("train  loss %9.6f  acc %6.2f%%  (%d rows)\n", loss[0], 100 * acc[0], data->train.n);
      if (data->test.n > 0)
        printf ("test   loss %9.6f  acc %6.2f%%  (%d rows)\n", loss[1], 100 * acc[1], data->test.n);
      else
        printf ("test   (no test split)\n");
    }
  goto out;

fail:
  status = nw_cli_fail (error);
out:
  nw_cli_backend_options_clear (&backend_opts);
  g_free (spec_path);
  g_free (load_path);
  g_free (data_dir);
  return status;
}
