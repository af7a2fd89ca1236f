/* sgemm_peak.c: OpenBLAS sgemm speed at the exact shapes of one MNIST training step
 * (784-256-256-10, batch B), the reference for Neurowire's achieved GFLOP/s.
 *
 * Build: cc -O2 bench/sgemm_peak.c $(pkg-config --cflags --libs openblas) -o sgemm_peak
 * Run:   ./sgemm_peak [B] [reps]      (defaults 100, 400)
 *
 * The eight calls are the ones Neurowire's engine makes (row-major, weights stored
 * [out][in] like torch.nn.Linear):
 *   forward      Y = X . W^T                (NoTrans, Trans)    m=B   n=out k=in
 *   weight grad  dW = dY^T . X              (Trans, NoTrans)    m=out n=in  k=B
 *   input grad   dX = dY . W                (NoTrans, NoTrans)  m=B   n=in  k=out   (layers 2, 3)
 * Each call is timed on its own (best of `reps` repetitions after a warm-up, and the
 * median), then the step's total FLOPs are divided by the sum of the best (and of the
 * median) times: the fastest one step's matrix products can go through this OpenBLAS.
 * Also times the one-row forward pass of the same net (784-256-256-10, the latency figure)
 * through OpenBLAS two ways, three products each: cblas_sgemm with m = 1, and cblas_sgemv
 * (median of `reps` x 10 passes after a warm-up): the floor for inference through this
 * library.
 * Prints one JSON line. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern char *openblas_get_corename (void);
extern char *openblas_get_config (void);
extern int openblas_get_num_threads (void);

typedef struct
{
  const char *name;
  int ta, tb, m, n, k;
} Shape;

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static float *
filled (size_t n)
{
  float *p = malloc (n * sizeof (float));
  if (p == NULL)
    {
      perror ("malloc");
      exit (1);
    }
  for (size_t i = 0; i < n; i++)
    p[i] = (float) ((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
  return p;
}

int
main (int argc, char **argv)
{
  int B = argc > 1 ? atoi (argv[1]) : 100;
  int reps = argc > 2 ? atoi (argv[2]) : 400;
  const Shape shapes[] = {
    { "fwd1 100x784*784x256", 0, 1, B, 256, 784 },
    { "fwd2 100x256*256x256", 0, 1, B, 256, 256 },
    { "fwd3 100x256*256x10", 0, 1, B, 10, 256 },
    { "dW1 256x100*100x784", 1, 0, 256, 784, B },
    { "dW2 256x100*100x256", 1, 0, 256, 256, B },
    { "dW3 10x100*100x256", 1, 0, 10, 256, B },
    { "dX2 100x256*256x256", 0, 0, B, 256, 256 },
    { "dX3 100x10*10x256", 0, 0, B, 256, 10 },
  };
  const int ns = (int) (sizeof shapes / sizeof shapes[0]);
  double *t = malloc (reps * sizeof (double));
  double flops_total = 0, best_total = 0, median_total = 0;

  if (B <= 0 || reps <= 0)
    {
      fprintf (stderr, "usage: %s [B] [reps]\n", argv[0]);
      return 2;
    }
  printf ("{\"event\":\"sgemm_peak\",\"corename\":\"%s\",\"threads\":%d,\"config\":\"%s\","
          "\"batch\":%d,\"shapes\":[",
          openblas_get_corename (), openblas_get_num_threads (), openblas_get_config (), B);
  for (int s = 0; s < ns; s++)
    {
      const Shape *sh = &shapes[s];
      int m = sh->m, n = sh->n, k = sh->k;
      /* A is m x k (stored k x m when transposed), B is k x n (stored n x k when transposed). */
      int lda = sh->ta ? m : k, ldb = sh->tb ? k : n;
      float *a = filled ((size_t) m * k), *b = filled ((size_t) k * n), *c = filled ((size_t) m * n);
      double flops = 2.0 * m * n * k, best, med;

      for (int r = 0; r < 20; r++)
        cblas_sgemm (CblasRowMajor, sh->ta ? CblasTrans : CblasNoTrans, sh->tb ? CblasTrans : CblasNoTrans,
                     m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
      for (int r = 0; r < reps; r++)
        {
          double t0 = now ();
          cblas_sgemm (CblasRowMajor, sh->ta ? CblasTrans : CblasNoTrans, sh->tb ? CblasTrans : CblasNoTrans,
                       m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
          t[r] = now () - t0;
        }
      qsort (t, reps, sizeof (double), cmp_double);
      best = t[0];
      med = t[reps / 2];
      flops_total += flops;
      best_total += best;
      median_total += med;
      printf ("%s{\"name\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"best_us\":%.2f,\"median_us\":%.2f,"
              "\"gflops_best\":%.2f,\"gflops_median\":%.2f}",
              s ? "," : "", sh->name, m, n, k, best * 1e6, med * 1e6, flops / best / 1e9, flops / med / 1e9);
      free (a);
      free (b);
      free (c);
    }
  {
    /* One-row forward chain: sgemm with m = 1, then sgemv. */
    const int dims[4] = { 784, 256, 256, 10 };
    float *w[3], *x[4];
    int nrow = reps * 10;
    double *rt = malloc (nrow * sizeof (double)), row_med[2];
    for (int l = 0; l < 3; l++)
      w[l] = filled ((size_t) dims[l] * dims[l + 1]);
    for (int l = 0; l < 4; l++)
      x[l] = filled (dims[l]);
    for (int mode = 0; mode < 2; mode++)
      {
        for (int r = -1000; r < nrow; r++)
          {
            double t0 = now ();
            for (int l = 0; l < 3; l++)
              {
                int in = dims[l], out = dims[l + 1];
                if (mode == 0)
                  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, 1, out, in, 1.0f, x[l], in, w[l], in,
                               0.0f, x[l + 1], out);
                else
                  cblas_sgemv (CblasRowMajor, CblasNoTrans, out, in, 1.0f, w[l], in, x[l], 1, 0.0f, x[l + 1], 1);
              }
            if (r >= 0)
              rt[r] = now () - t0;
          }
        qsort (rt, nrow, sizeof (double), cmp_double);
        row_med[mode] = rt[nrow / 2];
      }
    printf ("],\"row_sgemm_us\":%.2f,\"row_sgemv_us\":%.2f", row_med[0] * 1e6, row_med[1] * 1e6);
    for (int l = 0; l < 3; l++)
      free (w[l]);
    for (int l = 0; l < 4; l++)
      free (x[l]);
    free (rt);
  }
  printf (",\"step_flops\":%.0f,\"step_best_us\":%.2f,\"step_median_us\":%.2f,"
          "\"peak_gflops_best\":%.2f,\"peak_gflops_median\":%.2f}\n",
          flops_total, best_total * 1e6, median_total * 1e6, flops_total / best_total / 1e9,
          flops_total / median_total / 1e9);
  free (t);
  return 0;
}
