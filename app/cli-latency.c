/* cli-latency.c: `neurowire-cli latency`: how long one single-row prediction takes. */
#include "cli-common.h"
#include "nw-i18n.h"
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
  NwCliCommon c = NW_CLI_COMMON_INIT (env, "latency");
  gint64 repeat = 20000;
  const GOptionEntry entries[] = {
    NW_CLI_SPEC_ENTRY (c),
    NW_CLI_LOAD_ENTRY (c, N_("The weights (safetensors; default: fresh ones from the seed)")),
    { "repeat", 0, 0, G_OPTION_ARG_INT64, &repeat, N_("Timed predictions (default 20000)"), "N" },
    NW_CLI_DATA_DIR_ENTRY (c),
    NW_CLI_JSON_ENTRY (c, N_("Print one JSON object")),
    NW_CLI_BACKEND_ENTRIES (c.backend),
    { NULL }
  };
  g_autofree double *times = NULL;
  g_autofree float *out = NULL;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;
  const NwSplit *split;
  const float *row;
  double sum = 0, median;
  NwBackend *backend;
  NwTrainer *t;

  if (!nw_cli_common_parse (&c,
                            _("Times nw_trainer_predict on one row (the first of the test split, else of the\n"
                              "training split) --repeat times after 1000 untimed runs, and reports the median\n"
                              "and mean time per prediction."),
                            entries, argc, argv, NULL, NULL, &status))
    goto out;
  if (repeat < 1 || repeat > 100000000)
    {
      status = nw_cli_usage ("latency", _("--repeat must be in 1..100000000 (got %lld)"),
                             (long long) repeat);
      goto out;
    }
  if (!nw_cli_common_load_spec (&c, &error)
      || !nw_cli_common_trainer (&c, NULL, TRUE, NULL, &error)
      || !nw_cli_common_load_weights (&c, &error))
    goto out;
  t = c.trainer;

  split = nw_trainer_get_data (t)->test.n > 0 ? &nw_trainer_get_data (t)->test
                                              : &nw_trainer_get_data (t)->train;
  row = split->x;
  out = g_new (float, nw_net_output_width (nw_trainer_get_net (t)));
  times = g_new (double, repeat);
  for (int i = 0; i < WARM_UP; i++)
    if (!nw_trainer_predict (t, row, 1, out, &error))
      goto out;
  for (gint64 i = 0; i < repeat; i++)
    {
      double start = nw_cli_now ();
      if (!nw_trainer_predict (t, row, 1, out, &error))
        goto out;
      times[i] = (nw_cli_now () - start) * 1e6;
      sum += times[i];
    }
  qsort (times, repeat, sizeof (double), compare_doubles);
  median = repeat % 2 == 1 ? times[repeat / 2] : 0.5 * (times[repeat / 2 - 1] + times[repeat / 2]);
  backend = nw_net_get_backend (nw_trainer_get_net (t));

  if (c.json)
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
    /* Translators: "neurowire-cli latency": microseconds per prediction; the device */
    printf (_("latency: median %.3f us, mean %.3f us, min %.3f us per single-row prediction "
              "(%lld runs, %s)\n"), median, sum / repeat, times[0], (long long) repeat,
            backend->description);
  goto out;

out:
  return nw_cli_common_finish (&c, error, status);
}
