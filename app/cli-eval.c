/* cli-eval.c: `neurowire-cli eval`: loss and accuracy of saved weights on both splits. */
#include "cli-common.h"
#include "nw-i18n.h"
#include "cli-json.h"

#include <math.h>
#include <stdio.h>

int
nw_cli_eval (const NwAppEnv *env, int argc, char **argv)
{
  NwCliCommon c = NW_CLI_COMMON_INIT (env, "eval");
  const GOptionEntry entries[] = {
    NW_CLI_SPEC_ENTRY (c),
    NW_CLI_LOAD_ENTRY (c, N_("The weights (safetensors; required)")),
    NW_CLI_DATA_DIR_ENTRY (c),
    NW_CLI_JSON_ENTRY (c, N_("Print one JSON object")),
    NW_CLI_BACKEND_ENTRIES (c.backend),
    { NULL }
  };
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;
  double loss[2] = { NAN, NAN }, acc[2] = { NAN, NAN };
  NwDataset *data;

  if (!nw_cli_common_parse (&c,
                            _("Loads the weights into the network a spec describes and prints the loss and\n"
                              "accuracy on the spec's training and test splits (evaluation mode: dropout\n"
                              "off, BatchNorm's running statistics)."),
                            entries, argc, argv, (char **[]) { &c.load_path, NULL },
                            _("--spec FILE and --load FILE are required"), &status))
    goto out;
  if (!nw_cli_common_load_spec (&c, &error)
      || !nw_cli_common_trainer (&c, NULL, TRUE, NULL, &error)
      || !nw_cli_common_load_weights (&c, &error))
    goto out;
  data = nw_trainer_get_data (c.trainer);
  if (!nw_trainer_evaluate (c.trainer, FALSE, &loss[0], &acc[0], &error))
    goto out;
  if (data->test.n > 0 && !nw_trainer_evaluate (c.trainer, TRUE, &loss[1], &acc[1], &error))
    goto out;

  if (c.json)
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
      printf (_("train  loss %9.6f  acc %6.2f%%  (%d rows)\n"), loss[0], 100 * acc[0], data->train.n);
      if (data->test.n > 0)
        printf (_("test   loss %9.6f  acc %6.2f%%  (%d rows)\n"), loss[1], 100 * acc[1], data->test.n);
      else
        printf (_("test   (no test split)\n"));
    }
  goto out;

out:
  return nw_cli_common_finish (&c, error, status);
}
