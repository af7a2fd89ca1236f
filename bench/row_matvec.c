/* row_matvec.c: a prototype, not part of the benchmark run. How fast can the one-row
 * forward pass of 784-256-256-10 (ReLU) go on one core without OpenBLAS? Written for
 * bench/NOTES.md (the latency figure).
 *
 *   cc -O3 -march=native bench/row_matvec.c -o row_matvec && ./row_matvec
 *
 * Weights are kept transposed, [in][out], so that each input scales one contiguous row of
 * weights into the outputs (axpy form, vectorises without -ffast-math); inputs that are
 * exactly zero (about 80% of an MNIST image's pixels, about half of the ReLU outputs) are
 * skipped, which leaves every output bit-identical unless a weight is Inf or NaN. Medians
 * of 20000 passes after 1000 untimed ones. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int
cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
layer (int in, int out, const float *restrict x, const float *restrict wt, const float *restrict b,
       float *restrict y, int relu, int skip_zeros)
{
  for (int o = 0; o < out; o++)
    y[o] = b[o];
  for (int i = 0; i < in; i++)
    {
      float xi = x[i];
      const float *w = wt + (size_t) i * out;
      if (skip_zeros && xi == 0.0f)
        continue;
      for (int o = 0; o < out; o++)
        y[o] += xi * w[o];
    }
  if (relu)
    for (int o = 0; o < out; o++)
      y[o] = y[o] > 0 ? y[o] : 0;
}

int
main (void)
{
  enum { N = 20000 };
  const int d[4] = { 784, 256, 256, 10 };
  float *w[3], *b[3], *x[4];
  static double t[N];

  for (int l = 0; l < 3; l++)
    {
      /* 64-byte aligned rows (every width here is a multiple of 16 floats but the last):
       * unaligned AVX-512 loads that split cache lines cost about twice the time. */
      w[l] = aligned_alloc (64, sizeof (float) * d[l] * d[l + 1]);
      b[l] = aligned_alloc (64, sizeof (float) * 1024);
      for (int i = 0; i < 1024; i++)
        b[l][i] = 0.0f;
      for (int i = 0; i < d[l] * d[l + 1]; i++)
        w[l][i] = ((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
    }
  for (int l = 0; l < 4; l++)
    {
      x[l] = aligned_alloc (64, sizeof (float) * 1024);
      for (int i = 0; i < 1024; i++)
        x[l][i] = 0.0f;
    }
  for (int i = 0; i < 784; i++)   /* about as sparse as an MNIST digit */
    x[0][i] = (i % 5 == 0) ? 0.7f : 0.0f;
  for (int skip = 0; skip < 2; skip++)
    {
      for (int r = -1000; r < N; r++)
        {
          double t0 = now ();
          for (int l = 0; l < 3; l++)
            layer (d[l], d[l + 1], x[l], w[l], b[l], x[l + 1], l < 2, skip);
          if (r >= 0)
            t[r] = now () - t0;
        }
      qsort (t, N, sizeof (double), cmp);
      printf ("axpy form, %s: median %.2f us\n", skip ? "zero inputs skipped" : "dense", t[N / 2] * 1e6);
    }
  return 0;
}
