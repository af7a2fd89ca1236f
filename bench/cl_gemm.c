/* cl_gemm.c: the OpenCL backend's matrix products against CLBlast, and training steps per
 * second, on one OpenCL device. A benchmark, not a test: see bench/README-cl.md for how to
 * build and run it, and for the figures it produced.
 *
 *   cl_gemm [--device REQ] [--reps N] [--no-clblast] [--no-train]
 *
 * For each shape (the app's products, transposed as the network uses them, then 1024^3):
 * GFLOP/s of the backend's tiled kernel, of its one-element-per-work-item kernel, of the
 * choice the backend makes by size, and of CLBlastSgemm on the same queue and buffers. Each
 * figure is the best of `reps` timed batches, a batch being enough calls to last ~30 ms
 * (at least one), queued back to back and ended by one clFinish; the four take turns, one
 * batch each per round, so that other work on the machine slows them alike. Every result is
 * checked against the CPU backend first. Then: steps per second of the XOR and MNIST examples on
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
  { 100, 256, 784, FALSE, TRUE, "MNIST fc1 fwd X W^T" },
  { 256, 784, 100, TRUE, FALSE, "MNIST fc1 dW = dY^T X" },
  { 100, 256, 256, FALSE, TRUE, "MNIST fc2 fwd" },
  { 256, 256, 100, TRUE, FALSE, "MNIST fc2 dW" },
  { 100, 256, 256, FALSE, FALSE, "MNIST fc2 dX = dY W" },
  { 100, 10, 256, FALSE, TRUE, "MNIST fc3 fwd" },
  { 10, 256, 100, TRUE, FALSE, "MNIST fc3 dW" },
  { 100, 256, 10, FALSE, FALSE, "MNIST fc3 dX" },
  { 4, 10, 10, FALSE, TRUE, "XOR hidden fwd" },
  { 1024, 1024, 1024, FALSE, FALSE, "square" },
};

/* The four ways to multiply: the backend's gemm with its kernel forced (tiled, small) or
 * chosen by the backend (auto), and CLBlast on the same queue and buffers. */
enum { TILED, SMALL, AUTO, CLBLAST, N_WAYS };

static gboolean clblast_failed;

static void
multiply (NwBackend *b, int way, const Shape *s, NwBuffer *a, NwBuffer *bm, NwBuffer *c)
{
  static const NwClGemmPath paths[] = { NW_CL_GEMM_TILED, NW_CL_GEMM_SMALL, NW_CL_GEMM_AUTO };
  int lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;
  cl_command_queue queue;
  CLBlastStatusCode st;

  if (way != CLBLAST)
    {
      nw_backend_cl_set_gemm_path (b, paths[way]);
      b->ops->gemm (b, s->ta, s->tb, s->m, s->n, s->k, 1, a, 0, lda, bm, 0, ldb, 0, c, 0, s->n);
      nw_backend_cl_set_gemm_path (b, NW_CL_GEMM_AUTO);
      return;
    }
  queue = nw_backend_cl_get_queue (b);
  st = CLBlastSgemm (CLBlastLayoutRowMajor, s->ta ? CLBlastTransposeYes : CLBlastTransposeNo,
                     s->tb ? CLBlastTransposeYes : CLBlastTransposeNo, s->m, s->n, s->k, 1.0f,
                     nw_backend_cl_buffer_mem (a), 0, lda, nw_backend_cl_buffer_mem (bm), 0, ldb,
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

/* Best seconds per call of each way in `use`, over `reps` rounds in which every way runs one
 * batch. */
static void
time_ways (NwBackend *b, const gboolean *use, const Shape *s, NwBuffer *a, NwBuffer *bm,
           NwBuffer *c, int reps, double *best)
{
  int batch[N_WAYS] = { 0 };
  for (int w = 0; w < N_WAYS; w++)
    {
      double t0;
      best[w] = NAN;
      if (!use[w])
        continue;
      /* Warm up (kernel compilation on first use), then size a batch to ~30 ms. */
      multiply (b, w, s, a, bm, c);
      b->ops->finish (b);
      t0 = now ();
      multiply (b, w, s, a, bm, c);
      b->ops->finish (b);
      batch[w] = (int) CLAMP (0.03 / MAX (now () - t0, 1e-6), 1, 2000);
      best[w] = INFINITY;
    }
  for (int r = 0; r < reps; r++)
    for (int w = 0; w < N_WAYS; w++)
      if (use[w])
        {
          double t0 = now ();
          for (int i = 0; i < batch[w]; i++)
            multiply (b, w, s, a, bm, c);
          b->ops->finish (b);
          best[w] = MIN (best[w], (now () - t0) / batch[w]);
        }
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
bench_gemm (NwBackend *b, int reps, gboolean with_clblast)
{
  NwBackend *cpu = nw_backend_cpu_new ();
  printf ("%-24s %-22s %7s %7s %7s %7s   (GFLOP/s; best of %d)\n", "shape (M x N x K)", "product",
          "tiled", "small", "auto", "CLBlast", reps);
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      const Shape *s = &shapes[i];
      gsize na = (gsize) s->m * s->k, nb = (gsize) s->k * s->n, nc = (gsize) s->m * s->n;
      g_autofree float *ha = g_new (float, na), *hb = g_new (float, nb), *ref = g_new (float, nc);
      NwBuffer *a = nw_backend_alloc (b, na), *bm = nw_backend_alloc (b, nb), *c = nw_backend_alloc (b, nc);
      NwBuffer *ca = nw_backend_alloc (cpu, na), *cb = nw_backend_alloc (cpu, nb), *cc = nw_backend_alloc (cpu, nc);
      /* The one-element-per-work-item kernel would take minutes on the big ones. */
      gboolean use[N_WAYS] = { TRUE, (gint64) s->m * s->n * s->k <= 100 * 256 * 256, TRUE, with_clblast };
      double flop = 2.0 * s->m * s->n * s->k, t[N_WAYS], err = 0;
      char name[64];
      GError *error = NULL;

      for (gsize k = 0; k < na; k++)
        ha[k] = (float) ((k * 7919 % 1000) / 500.0 - 1);
      for (gsize k = 0; k < nb; k++)
        hb[k] = (float) ((k * 104729 % 1000) / 500.0 - 1);
      nw_backend_upload (b, a, 0, ha, na);
      nw_backend_upload (b, bm, 0, hb, nb);
      nw_backend_upload (cpu, ca, 0, ha, na);
      nw_backend_upload (cpu, cb, 0, hb, nb);
      cpu->ops->gemm (cpu, s->ta, s->tb, s->m, s->n, s->k, 1, ca, 0, s->ta ? s->m : s->k, cb, 0,
                      s->tb ? s->k : s->n, 0, cc, 0, s->n);
      nw_backend_download (cpu, cc, 0, ref, nc);

      /* Each way's result checked against the CPU's, then all timed in turns. */
      for (int w = 0; w < N_WAYS; w++)
        if (use[w])
          {
            b->ops->fill (b, c, 0, nc, NAN);
            multiply (b, w, s, a, bm, c);
            err = MAX (err, check (b, s, c, ha, hb, ref));
          }
      time_ways (b, use, s, a, bm, c, reps, t);
      if (!nw_backend_take_error (b, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          exit (1);
        }
      g_snprintf (name, sizeof name, "%d x %d x %d %s%s", s->m, s->n, s->k, s->ta ? "T" : "N",
                  s->tb ? "T" : "N");
      printf ("%-24s %-22s %7.1f %7.1f %7.1f %7.1f   (max error %.1e of sum |a b|)\n", name,
              s->what, flop / t[TILED] / 1e9, flop / t[SMALL] / 1e9, flop / t[AUTO] / 1e9,
              flop / t[CLBLAST] / 1e9, err);
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

/* What this program read from its environment (main), as the programs in app/ do. */
typedef struct {
  NwClOptions  cl;         /* NW_CL_DEVICE, NW_CL_GEMM_TUNING, NW_CL_CHAIN_WG */
  const char  *data_root;  /* NEUROWIRE_DATA_DIR (bench/gpu_run.sh sets it) */
} BenchEnv;

/* Steps per second of an example on a backend (NULL: CPU), after a warm-up of 20 steps:
 * one nw_trainer_step at a time, or (`chunk` > 0) nw_trainer_steps calls of `chunk` steps,
 * which run fused where the backend can (small dense chains on OpenCL). */
static double
steps_per_second (const BenchEnv *env, const char *example, const char *device, int steps,
                  int chunk)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_load (example, &error);
  NwBackend *b = NULL;
  g_autoptr (NwTrainer) t = NULL;
  double t0;
  if (spec != NULL)
    nw_data_spec_resolve (&spec->data, env->data_root);
  if (spec != NULL && device != NULL)
    b = nw_backend_cl_new (*device != '\0' ? device : NULL, &env->cl, &error);
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
  if (chunk > 0)
    for (int i = 0; i < steps && error == NULL; i += chunk)
      nw_trainer_steps (t, MIN (chunk, steps - i), NULL, &error);
  else
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
  gboolean with_clblast = TRUE, train = TRUE;
  NwBackend *b;
  const BenchEnv env = {
    .cl = {
      .device = g_getenv ("NW_CL_DEVICE"),
      .device_origin = "NW_CL_DEVICE",
      .gemm_tuning = g_getenv ("NW_CL_GEMM_TUNING"),
      .chain_wg = g_getenv ("NW_CL_CHAIN_WG"),
    },
    .data_root = g_getenv ("NEUROWIRE_DATA_DIR"),
  };

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
    else
      {
        fprintf (stderr, "usage: %s [--device REQ] [--reps N] [--no-clblast] [--no-train]\n", argv[0]);
        return 2;
      }
  b = nw_backend_cl_new (request, &env.cl, &error);
  if (b == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%s: %s\n", b->description, nw_backend_cl_get_device (b)->why);
  print_load ("before");
  if (env.cl.gemm_tuning != NULL)
    printf ("NW_CL_GEMM_TUNING=%s\n", env.cl.gemm_tuning);
  bench_gemm (b, reps, with_clblast);
  nw_backend_free (b);
  if (train)
    {
      const char *dev = request != NULL ? request : "";
      /* "in chunks": nw_trainer_steps of 1000 steps, as neurowire-cli trains between reports */
      printf ("\nsteps/s      %10s %10s %17s\n", "CPU", "OpenCL", "OpenCL in chunks");
      printf ("XOR deep    %10.0f %10.0f %17.0f\n",
              steps_per_second (&env, "examples/xor-deep-sigmoid.json", NULL, 5000, 0),
              steps_per_second (&env, "examples/xor-deep-sigmoid.json", dev, 5000, 0),
              steps_per_second (&env, "examples/xor-deep-sigmoid.json", dev, 20000, 1000));
      printf ("MNIST MLP   %10.1f %10.1f %17.1f\n",
              steps_per_second (&env, "examples/mnist-mlp.json", NULL, 300, 0),
              steps_per_second (&env, "examples/mnist-mlp.json", dev, 300, 0),
              steps_per_second (&env, "examples/mnist-mlp.json", dev, 300, 100));
    }
  print_load ("after");
  return 0;
}
