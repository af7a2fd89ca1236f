/* cl_gemm.c: the OpenCL backend's matrix products against CLBlast, and training steps per
 * second, on one OpenCL device. A benchmark, not a test: see bench/README-cl.md for how to
 * build and run it, and for the figures it produced.
 *
 *   cl_gemm [--device REQ] [--reps N] [--no-clblast] [--no-train] [--big]
 *
 * For each shape (the app's products, transposed as the network uses them, then 1024^3):
 * GFLOP/s of the backend's tiled kernel, of its one-element-per-work-item kernel, of the
 * choice the backend makes by size, and of CLBlastSgemm on the same queue and buffers. Each
 * figure is the best of `reps` timed batches, a batch being enough calls to last ~50 ms
 * (at least one), queued back to back and ended by one clFinish. Every result is checked
 * against the CPU backend first. Then: steps per second of the XOR and MNIST examples on
 * the CPU and OpenCL backends. */
#include "nw-backend-cl.h"
#include "nw-blas.h"
#include "nw-trainer.h"

#include <clblast_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int m, n, k;
  gboolean ta, tb;
  const char *what;
} Shape;

static const Shape shapes[] = {
  { 100, 256, 784, FALSE, TRUE, "MNIST fc1 forward X W^T" },
  { 256, 784, 100, TRUE, FALSE, "MNIST fc1 dW = dY^T X" },
  { 100, 256, 256, FALSE, TRUE, "MNIST fc2 forward" },
  { 256, 256, 100, TRUE, FALSE, "MNIST fc2 dW" },
  { 100, 256, 256, FALSE, FALSE, "MNIST fc2 dX = dY W" },
  { 100, 10, 256, FALSE, TRUE, "MNIST fc3 forward" },
  { 10, 256, 100, TRUE, FALSE, "MNIST fc3 dW" },
  { 100, 256, 10, FALSE, FALSE, "MNIST fc3 dX" },
  { 4, 10, 10, FALSE, TRUE, "XOR hidden forward" },
  { 1024, 1024, 1024, FALSE, FALSE, "square" },
};

typedef void (*GemmFn) (NwBackend *b, const Shape *s, NwBuffer *a, NwBuffer *bm, NwBuffer *c);

static void
own_gemm (NwBackend *b, const Shape *s, NwBuffer *a, NwBuffer *bm, NwBuffer *c)
{
  b->ops->gemm (b, s->ta, s->tb, s->m, s->n, s->k, 1, a, 0, s->ta ? s->m : s->k, bm, 0,
                s->tb ? s->k : s->n, 0, c, 0, s->n);
}

static gboolean clblast_failed;

static void
clblast_gemm (NwBackend *b, const Shape *s, NwBuffer *a, NwBuffer *bm, NwBuffer *c)
{
  cl_command_queue queue = nw_backend_cl_get_queue (b);
  CLBlastStatusCode st = CLBlastSgemm (CLBlastLayoutRowMajor,
                                       s->ta ? CLBlastTransposeYes : CLBlastTransposeNo,
                                       s->tb ? CLBlastTransposeYes : CLBlastTransposeNo,
                                       s->m, s->n, s->k, 1.0f,
                                       nw_backend_cl_buffer_mem (a), 0, s->ta ? s->m : s->k,
                                       nw_backend_cl_buffer_mem (bm), 0, s->tb ? s->k : s->n,
                                       0.0f, nw_backend_cl_buffer_mem (c), 0, s->n, &queue, NULL);
  if (st != CLBlastSuccess && !clblast_failed)
    {
      fprintf (stderr, "CLBlastSgemm failed: status %d\n", (int) st);
      clblast_failed = TRUE;
    }
}

/* The machine's load average, printed with the figures (other work skews them). */
static void
print_load (const char *when)
{
  g_autofree char *load = NULL;
  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    printf ("load average %s: %s", when, load);
}

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Best seconds per call over `reps` batches. */
static double
time_gemm (NwBackend *b, GemmFn fn, const Shape *s, NwBuffer *a, NwBuffer *bm, NwBuffer *c,
           int reps)
{
  double best = INFINITY, t0;
  int batch = 1;
  /* Warm up (kernel compilation on first use), then size a batch to ~50 ms. */
  fn (b, s, a, bm, c);
  b->ops->finish (b);
  t0 = now ();
  fn (b, s, a, bm, c);
  b->ops->finish (b);
  batch = (int) CLAMP (0.05 / MAX (now () - t0, 1e-6), 1, 2000);
  for (int r = 0; r < reps; r++)
    {
      t0 = now ();
      for (int i = 0; i < batch; i++)
        fn (b, s, a, bm, c);
      b->ops->finish (b);
      best = MIN (best, (now () - t0) / batch);
    }
  return best;
}

/* The largest |C - C_cpu| over sum |A||B| (relative to the products' magnitude). */
static double
check (NwBackend *b, const Shape *s, NwBuffer *c, const float *ha, const float *hb, const float *ref)
{
  gsize nc = (gsize) s->m * s->n;
  g_autofree float *got = g_new (float, nc);
  double worst = 0;
  nw_backend_download (b, c, 0, got, nc);
  for (int i = 0; i < s->m; i += MAX (1, s->m / 13))
    for (int j = 0; j < s->n; j += MAX (1, s->n / 11))
      {
        double mag = 0;
        for (int p = 0; p < s->k; p++)
          mag += fabs (ha[s->ta ? (gsize) p * s->m + i : (gsize) i * s->k + p]
                       * hb[s->tb ? (gsize) j * s->k + p : (gsize) p * s->n + j]);
        worst = MAX (worst, fabs (got[(gsize) i * s->n + j] - ref[(gsize) i * s->n + j]) / MAX (mag, 1e-30));
      }
  return worst;
}

static void
bench_gemm (NwBackend *b, int reps, gboolean with_clblast, gboolean big)
{
  NwBackend *cpu = nw_backend_cpu_new ();
  printf ("%-28s %-16s %9s %9s %9s %9s   (GFLOP/s; best of %d)\n", "shape (M x N x K)", "product",
          "tiled", "small", "auto", "CLBlast", reps);
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      const Shape *s = &shapes[i];
      gsize na = (gsize) s->m * s->k, nb = (gsize) s->k * s->n, nc = (gsize) s->m * s->n;
      g_autofree float *ha = g_new (float, na), *hb = g_new (float, nb), *ref = g_new (float, nc);
      NwBuffer *a = nw_backend_alloc (b, na), *bm = nw_backend_alloc (b, nb), *c = nw_backend_alloc (b, nc);
      NwBuffer *ca = nw_backend_alloc (cpu, na), *cb = nw_backend_alloc (cpu, nb), *cc = nw_backend_alloc (cpu, nc);
      double flop = 2.0 * s->m * s->n * s->k, t[4] = { NAN, NAN, NAN, NAN }, err = 0;
      char name[64];
      GError *error = NULL;

      if (s->m == 1024 && !big && reps > 3)
        reps = 3;
      for (gsize k = 0; k < na; k++)
        ha[k] = (float) ((k * 7919 % 1000) / 500.0 - 1);
      for (gsize k = 0; k < nb; k++)
        hb[k] = (float) ((k * 104729 % 1000) / 500.0 - 1);
      nw_backend_upload (b, a, 0, ha, na);
      nw_backend_upload (b, bm, 0, hb, nb);
      nw_backend_upload (cpu, ca, 0, ha, na);
      nw_backend_upload (cpu, cb, 0, hb, nb);
      own_gemm (cpu, s, ca, cb, cc);
      nw_backend_download (cpu, cc, 0, ref, nc);

      for (int path = 0; path < 3; path++)
        {
          static const NwClGemmPath paths[] = { NW_CL_GEMM_TILED, NW_CL_GEMM_SMALL, NW_CL_GEMM_AUTO };
          if (paths[path] == NW_CL_GEMM_SMALL && s->m * (gint64) s->n * s->k > 100 * 256 * 256)
            continue;   /* minutes, and nothing to learn */
          nw_backend_cl_set_gemm_path (b, paths[path]);
          t[path] = time_gemm (b, own_gemm, s, a, bm, c, reps);
          err = MAX (err, check (b, s, c, ha, hb, ref));
        }
      nw_backend_cl_set_gemm_path (b, NW_CL_GEMM_AUTO);
      if (with_clblast)
        {
          t[3] = time_gemm (b, clblast_gemm, s, a, bm, c, reps);
          err = MAX (err, check (b, s, c, ha, hb, ref));
        }
      if (!nw_backend_take_error (b, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          exit (1);
        }
      g_snprintf (name, sizeof name, "%d x %d x %d %s%s", s->m, s->n, s->k, s->ta ? "T" : "N",
                  s->tb ? "T" : "N");
      printf ("%-28s %-16.16s %9.1f %9.1f %9.1f %9.1f   (max error %.1e of sum |a b|)\n", name,
              s->what, flop / t[0] / 1e9, flop / t[1] / 1e9, flop / t[2] / 1e9, flop / t[3] / 1e9, err);
      fflush (stdout);
      nw_backend_release (b, &a);
      nw_backend_release (b, &bm);
      nw_backend_release (b, &c);
      nw_backend_release (cpu, &ca);
      nw_backend_release (cpu, &cb);
      nw_backend_release (cpu, &cc);
    }
  nw_backend_free (cpu);
}

/* Steps per second of an example on a backend (NULL: CPU), after a warm-up of 20 steps. */
static double
steps_per_second (const char *example, const char *device, int steps)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_load (example, &error);
  NwBackend *b = NULL;
  g_autoptr (NwTrainer) t = NULL;
  double t0;
  if (spec != NULL && device != NULL)
    b = nw_backend_cl_new (*device != '\0' ? device : NULL, &error);
  if (spec != NULL && (device == NULL || b != NULL))
    t = nw_trainer_new (spec, NULL, b, &error);
  if (t == NULL)
    {
      fprintf (stderr, "%s: %s\n", example, error->message);
      return NAN;
    }
  for (int i = 0; i < 20; i++)
    nw_trainer_step (t, &error);
  t0 = now ();
  for (int i = 0; i < steps && error == NULL; i++)
    nw_trainer_step (t, &error);
  if (error != NULL)
    {
      fprintf (stderr, "%s: %s\n", example, error->message);
      return NAN;
    }
  return steps / (now () - t0);
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  const char *request = NULL;
  int reps = 5;
  gboolean with_clblast = TRUE, train = TRUE, big = FALSE;
  NwBackend *b;

  /* The CPU figures with the OpenBLAS kernels the programs use (see core/nw-blas.h). */
  nw_blas_reexec_if_needed (argv);
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--device") == 0 && i + 1 < argc)
      request = argv[++i];
    else if (strcmp (argv[i], "--reps") == 0 && i + 1 < argc)
      reps = atoi (argv[++i]);
    else if (strcmp (argv[i], "--no-clblast") == 0)
      with_clblast = FALSE;
    else if (strcmp (argv[i], "--no-train") == 0)
      train = FALSE;
    else if (strcmp (argv[i], "--big") == 0)
      big = TRUE;
    else
      {
        fprintf (stderr, "usage: %s [--device REQ] [--reps N] [--no-clblast] [--no-train] [--big]\n", argv[0]);
        return 2;
      }
  b = nw_backend_cl_new (request, &error);
  if (b == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%s: %s\n", b->description, nw_backend_cl_get_device (b)->why);
  print_load ("before");
  if (g_getenv ("NW_CL_GEMM_TUNING") != NULL)
    printf ("NW_CL_GEMM_TUNING=%s\n", g_getenv ("NW_CL_GEMM_TUNING"));
  bench_gemm (b, reps, with_clblast, big);
  nw_backend_free (b);
  if (train)
    {
      const char *dev = request != NULL ? request : "";
      printf ("\nsteps/s      %10s %10s\n", "CPU", "OpenCL");
      printf ("XOR deep    %10.0f %10.0f\n",
              steps_per_second ("examples/xor-deep-sigmoid.json", NULL, 5000),
              steps_per_second ("examples/xor-deep-sigmoid.json", dev, 5000));
      printf ("MNIST MLP   %10.1f %10.1f\n",
              steps_per_second ("examples/mnist-mlp.json", NULL, 300),
              steps_per_second ("examples/mnist-mlp.json", dev, 300));
    }
  print_load ("after");
  return 0;
}
