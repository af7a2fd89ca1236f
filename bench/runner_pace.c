/* runner_pace.c: the pace of an NwRunner (issue 20), as the window runs it, without the window.
 * A benchmark, not a test (bench/REPORT.md has the figures).
 *
 *   build/bench/runner_pace [SPEC]
 *
 * Trains SPEC (default examples/xor-deep-sigmoid.json, without its budget) on the CPU in a
 * runner with the window's options for 2D data (a snapshot every NW_SESSION_PUBLISH_MS, the
 * boundary's grid, the test split in every snapshot), and reads its snapshots as a reader that
 * polls every 0.5 ms. For each pace (1, 10, 100, 1,000, 10,000 steps/s and full speed) it
 * plays a few seconds and prints the steps/s achieved after a warm-up (the steps between the
 * first and last snapshot seen, over the time between them), then how long a pace change
 * takes to apply: from 1 step/s (the worker waiting for its next step) to full speed, the time
 * until a new step is published; from full speed to 1 step/s, the time until the last step
 * before the run settles into the slow pace is published. */
#include "nw-blas.h"
#include "nw-runner.h"
#include "nw-session.h"

#include <stdio.h>
#include <stdlib.h>

/* The newest published step, or -1 when nothing new. */
static gint64
poll_step (NwRunner *r)
{
  NwSnapshot *snap = NULL;
  NwRunnerStatus st = { 0 };
  gint64 step = -1;
  if (nw_runner_take (r, &snap, &st) && snap != NULL)
    step = snap->step;
  nw_snapshot_free (snap);
  nw_runner_status_clear (&st);
  return step;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Plays at `pace` for `secs`; the steps/s over the snapshots seen after `warm` s. */
static double
measure (NwRunner *r, double pace, double warm, double secs)
{
  gint64 t0, end, first_t = 0, last_t = 0, first_s = -1, last_s = -1, seen = -1;
  nw_runner_set_pace (r, pace);
  t0 = g_get_monotonic_time ();
  end = t0 + (gint64) (secs * G_USEC_PER_SEC);
  nw_runner_play (r);
  while (g_get_monotonic_time () < end)
    {
      gint64 step = poll_step (r), now = g_get_monotonic_time ();
      if (step > seen)
        {
          seen = step;
          if (now - t0 >= warm * G_USEC_PER_SEC)
            {
              if (first_s < 0)
                {
                  first_s = step;
                  first_t = now;
                }
              last_s = step;
              last_t = now;
            }
        }
      g_usleep (500);
    }
  nw_runner_pause (r);
  g_usleep (100 * 1000);
  poll_step (r);
  return last_t > first_t ? (last_s - first_s) / ((last_t - first_t) / 1e6) : 0;
}

int
main (int argc, char **argv)
{
  static const double paces[] = { 1, 10, 100, 1000, 10000, 0 };
  g_autoptr (GError) error = NULL;
  const char *path = argc > 1 ? argv[1] : NW_SOURCE_DIR "/examples/xor-deep-sigmoid.json";
  NwRunnerOptions options = {
    .publish_ms = NW_SESSION_PUBLISH_MS, .grid_n = NW_SESSION_GRID_N, .test_every = 1,
  };
  g_autoptr (NwSpec) spec = NULL;
  NwTrainer *trainer;
  NwRunner *r;
  double up[20], down[20];
  int n = G_N_ELEMENTS (up);

  nw_blas_reexec_if_needed (argv);
  if ((spec = nw_spec_load (path, &error)) == NULL
      || (trainer = nw_trainer_new (spec, NULL, nw_backend_cpu_new (), &error)) == NULL)
    {
      fprintf (stderr, "runner_pace: %s\n", error->message);
      return 1;
    }
  printf ("%s, CPU, publish every %d ms\n", spec->name != NULL ? spec->name : path,
          NW_SESSION_PUBLISH_MS);
  r = nw_runner_new (trainer, &options);
  for (guint i = 0; i < G_N_ELEMENTS (paces); i++)
    {
      double p = paces[i], secs = p == 1 ? 6 : 3, warm = p == 1 ? 1.5 : 0.5;
      double got = measure (r, p, warm, secs);
      if (p > 0)
        printf ("pace %6.0f steps/s: %10.1f steps/s achieved (%.2f%%)\n", p, got, 100 * got / p);
      else
        printf ("full speed       : %10.0f steps/s achieved\n", got);
    }

  /* Pace changes. */
  for (int k = 0; k < n; k++)
    {
      gint64 t, seen, step;
      /* Waiting at 1 step/s, then full speed. */
      nw_runner_set_pace (r, 1);
      nw_runner_play (r);
      g_usleep ((100 + g_random_int_range (0, 400)) * 1000);
      seen = -1;
      while ((step = poll_step (r)) >= 0)
        seen = step;
      t = g_get_monotonic_time ();
      nw_runner_set_pace (r, 0);
      while ((step = poll_step (r)) < 0 || step <= seen)
        g_usleep (100);
      up[k] = (g_get_monotonic_time () - t) / 1e3;
      /* Full speed, then 1 step/s: the last step published within the next 0.5 s. */
      g_usleep (50 * 1000);
      t = g_get_monotonic_time ();
      nw_runner_set_pace (r, 1);
      down[k] = 0;
      while (g_get_monotonic_time () - t < 500 * 1000)
        {
          if (poll_step (r) >= 0)
            down[k] = (g_get_monotonic_time () - t) / 1e3;
          g_usleep (100);
        }
      nw_runner_pause (r);
      g_usleep (20 * 1000);
    }
  qsort (up, n, sizeof (double), cmp_double);
  qsort (down, n, sizeof (double), cmp_double);
  printf ("pace change 1 -> full: median %.2f ms, worst %.2f ms (%d changes)\n", up[n / 2], up[n - 1], n);
  printf ("pace change full -> 1: median %.2f ms, worst %.2f ms (the last fast step published)\n",
          down[n / 2], down[n - 1]);
  nw_runner_free (r);
  return 0;
}
