/* runner_epoch.c: the desktop program's trainer without its window. A benchmark, not a test
 * (bench/REPORT.md has the figures; bench/gui_epoch.sh runs it beside the window and the CLI).
 *
 *   build/bench/runner_epoch [EPOCHS] [SPEC]
 *
 * Trains SPEC (default examples/mnist-mlp.json) on the CPU in an NwRunner with the options the
 * window gives an image dataset (ui/nw-window.c: a snapshot every
 * NW_SESSION_PUBLISH_MS_IMAGES ms, a test pass with every row's outputs at each epoch's end,
 * playing from the start), taking each snapshot on the main loop as the window does, and
 * throwing it away. So it costs what the runner costs (the test passes, the snapshots' layer
 * probes), and the window's figure over this one is what the window itself costs the trainer.
 *
 * Prints when each epoch ended after Play, as the runner timed it (the same clock as the
 * window's NW_DEBUG_FPS lines), then the median and best of the steps/s the runner published
 * after the first epoch: a steadier figure than an epoch's time on a machine whose speed
 * drifts, each being the rate over one snapshot's interval. */
#include "nw-blas.h"
#include "nw-runner.h"
#include "nw-session.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
  NwRunner  *runner;
  GMainLoop *loop;
  gint64     t_play;
  int        epochs;
  gint64     epoch_logged;
  GArray    *rates;        /* steps/s of each playing snapshot after the first epoch */
  char      *error;
} Bench;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static gboolean
on_published (gpointer data)
{
  Bench *b = data;
  NwSnapshot *snap = NULL;
  NwRunnerStatus status = { 0 };
  if (nw_runner_take (b->runner, &snap, &status) && snap != NULL)
    {
      if (status.error != NULL)
        {
          b->error = g_strdup (status.error);
          g_main_loop_quit (b->loop);
        }
      else if (snap->epoch > b->epoch_logged && status.epoch_end_us > 0)
        {
          b->epoch_logged = snap->epoch;
          printf ("epoch %" G_GINT64_FORMAT " ended %.3f s after Play\n", snap->epoch,
                  (status.epoch_end_us - b->t_play) / 1e6);
          if (snap->epoch >= b->epochs)
            g_main_loop_quit (b->loop);
        }
      else if (snap->epoch >= 1 && status.playing && status.steps_per_s > 0)
        g_array_append_val (b->rates, status.steps_per_s);
    }
  nw_snapshot_free (snap);
  nw_runner_status_clear (&status);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *path = argc > 2 ? argv[2] : NW_SOURCE_DIR "/examples/mnist-mlp.json";
  Bench b = { .epochs = argc > 1 ? atoi (argv[1]) : 3 };
  NwRunnerOptions options = {
    .publish_ms = NW_SESSION_PUBLISH_MS_IMAGES, .grid_n = NW_SESSION_GRID_N,
    .test_every = NW_RUNNER_TEST_EACH_EPOCH, .test_outputs = TRUE, .start_playing = TRUE,
  };
  g_autoptr (NwSpec) spec = NULL;
  NwTrainer *trainer;
  GSource *source;
  int status = 0;

  nw_blas_reexec_if_needed (argv);
  if (b.epochs < 1)
    {
      fprintf (stderr, "runner_epoch: EPOCHS must be at least 1\n");
      return 2;
    }
  if ((spec = nw_spec_load (path, &error)) == NULL
      || (trainer = nw_trainer_new (spec, NULL, nw_backend_cpu_new (), &error)) == NULL)
    {
      fprintf (stderr, "runner_epoch: %s\n", error->message);
      return 1;
    }
  printf ("%s, OpenBLAS %s, %d threads\n", spec->name != NULL ? spec->name : path, nw_blas_corename (),
          nw_blas_threads ());
  b.rates = g_array_new (FALSE, FALSE, sizeof (double));
  b.loop = g_main_loop_new (NULL, FALSE);
  b.t_play = g_get_monotonic_time ();
  b.runner = nw_runner_new (trainer, &options);
  source = nw_runner_source_new (b.runner);
  g_source_set_callback (source, on_published, &b, NULL);
  g_source_attach (source, NULL);
  g_main_loop_run (b.loop);
  g_source_destroy (source);
  g_source_unref (source);
  nw_runner_free (b.runner);

  if (b.error != NULL)
    {
      fprintf (stderr, "runner_epoch: training stopped: %s\n", b.error);
      status = 1;
    }
  else if (b.rates->len > 0)
    {
      double *r = (double *) b.rates->data;
      qsort (r, b.rates->len, sizeof (double), cmp_double);
      printf ("steps/s after epoch 1: median %.0f, best %.0f (%u snapshots)\n",
              r[b.rates->len / 2], r[b.rates->len - 1], b.rates->len);
    }
  g_array_free (b.rates, TRUE);
  g_main_loop_unref (b.loop);
  g_free (b.error);
  return status;
}
