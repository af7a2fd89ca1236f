/* cli-latency.c: `neurowire-cli latency`: how long one single-row prediction takes. */
#include "cli-common.h"
#include "cli-json.h"

#include <stdio.h>
#include <stdlib.h>

#define WARM_UP 1000

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
nw_cli_latency (const NwAppEnv *env, int argc, char **argv)
{
  char *spec_path = NULL, *load_path = NULL, *data_dir = NULL;
  gint64 repeat = 20000;
  gboolean json = FALSE;
  NwCliBackendOptions backend_opts = { NULL, NULL };
  const GOptionEntry entries[] = {
    { "spec", 0, 0, G_OPTION_ARG_FILENAME, &spec_path, "The network spec (JSON; required)", "FILE" },
    { "load", 0, 0, G_OPTION_ARG_FILENAME, &load_path, "The weights (safetensors; default: fresh ones from the seed)", "FILE" },
    { "repeat", 0, 0, G_OPTION_ARG_INT64, &repeat, "Timed predictions (default 20000)", "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Folder of the MNIST IDX files (MNIST specs)", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    NW_CLI_BACKEND_ENTRIES (backend_opts),
    { NULL }
  };
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (NwTrainer) t = NULL;
  g_autofree double *times = NULL;
  g_autofree float *out = NULL;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;
  const NwSplit *split;
  const float *row;
  double sum = 0, median;
  NwBackend *backend;

  if (!nw_cli_parse_options ("latency",
                             "Times nw_trainer_predict on one row (the first of the test split, else of the\n"
                             "training split) --repeat times after 1000 untimed runs, and reports the median\n"
                             "and mean time per prediction.",
                             entries, argc, argv, &status))
    goto out;
  if (spec_path == NULL)
    {
      status = nw_cli_usage ("latency", "--spec FILE is required");
      goto out;
    }
  if (repeat < 1 || repeat > 100000000)
    {
      status = nw_cli_usage ("latency", "--repeat must be in 1..100000000 (got %" G_GINT64_FORMAT ")",
                             repeat);
      goto out;
    }
  if ((spec = nw_cli_load_spec (env, spec_path, data_dir, &error)) == NULL
      || (t = nw_cli_trainer_new (env, spec, spec_path, NULL, &backend_opts, NULL, &error)) == NULL)
    goto fail;
  if (load_path != NULL && !nw_net_load_weights (nw_trainer_get_net (t), load_path, &error))
    goto fail;

  split = nw_trainer_get_data (t)->test.n > 0 ? &nw_trainer_get_data (t)->test
                                              : &nw_trainer_get_data (t)->train;
  row = split->x;
  out = g_new (float, nw_net_output_width (nw_trainer_get_net (t)));
  times = g_new (double, repeat);
  for (int i = 0; i < WARM_UP; i++)
    if (!nw_trainer_predict (t, row, 1, out, &error))
      goto fail;
  for (gint64 i = 0; i < repeat; i++)
    {
      double start = nw_cli_now ();
      if (!nw_trainer_predict (t, row, 1, out, &error))
        goto fail;
      times[i] = (nw_cli_now () - start) * 1e6;
      sum += times[i];
    }
  qsort (times, repeat, sizeof (double), compare_doubles);
  median = repeat % 2 == 1 ? times[repeat / 2] : 0.5 * (times[repeat / 2 - 1] + times[repeat / 2]);
  backend = nw_net_get_backend (nw_trainer_get_net (t));

  if (json)
    {
      NwJsonWriter *w = nw_cli_json_new ("latency");
      nw_json_double (w, "median_us", median);
      nw_json_double (w, "mean_us", sum / repeat);
      nw_json_double (w, "min_us", times[0]);
      nw_json_double (w, "p99_us", times[MIN (repeat - 1, (gint64) (0.99 * repeat))]);
      nw_json_int (w, "repeat", repeat);
      nw_json_string (w, "backend", backend->description);
      nw_cli_json_print (w);
    }
  else
    printf ("latency: median %.3f us, mean %.3f us, min %.3f us per single-row prediction "
            "(%" G_GINT64_FORMAT " runs, %s)\n", median, sum / repeat, times[0], repeat,
            backend->description);
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
