/* test-cl.c: the OpenCL backend against the CPU reference, op by op and whole runs.
 *
 * Every operation of the backend table runs on both backends with the same random inputs
 * (sizes 1, 3, 17, 1000 and matrices such as 17x3x1000, 1x784x256, 100x784x256), and the
 * results must agree within stated margins:
 *
 * - exact: copies, sums of two values, gathers, fills, dropout masks and their products
 *   (same counter-based generator), metric counts;
 * - rtol 1e-6 + atol 1e-7: the optimizer updates, five steps. Same expressions in the same
 *   order, FP_CONTRACT off, correctly rounded division and square root where the device has
 *   them: bit-identical on PoCL; the margin is for devices whose sqrt is a few ulp off;
 * - rtol 1e-5 + atol 1e-6: activations forward and backward. OpenCL's exp, tanh and erf are
 *   allowed 3, 5 and 16 ulp where glibc is within 1-2; 1e-5 is ~80 ulp. GELU's atol is 1e-5:
 *   near x = -4 its value is a difference of two nearly equal terms, so erf's 16-ulp error
 *   (2e-6 absolute) is all that is left;
 * - reductions (bias gradient, loss, sums of squares, statistics, normalisation): rtol 1e-4
 *   and atol 1e-5 x the sum of magnitudes. The CPU sums in double, the device in float over
 *   a tree: the error of a float sum of n terms grows like sqrt(n) 2^-24 of the sum of |x|
 *   (2e-6 at n = 1000), 1e-5 leaves a margin of 5;
 * - matrix products: |C_cl - C_cpu| <= 1e-5 x sum_p |A_ip B_pj| (+ |beta C|): both sides
 *   round k products in float, in different orders (same argument, k up to 1000);
 * - histogram bins and saturated/dead counts: within 1 count, since a value within a float
 *   rounding of a bin edge may fall either side.
 * Measured on PoCL, the largest error of each group is a small share of its margin (each
 * test prints it): products 0.03, activations 0.06, losses 0.04, reductions 0.002,
 * normalisation 0.25; the optimizer updates came out bit-identical.
 *
 * Whole runs (same spec, seed and data on both backends) compare loss curves; the margins
 * are stated where they are checked. Without an OpenCL device the suite is skipped (77). */
#include "nw-test.h"
#include "nw-backend-cl.h"
#include "nw-blas.h"
#include "nw-cl-devices.h"
#include "nw-cl-program.h"
#include "nw-lesson-check.h"
#include "nw-rng.h"
#include "nw-runner.h"
#include "nw-trainer.h"

#include <math.h>
#include <string.h>

static NwBackend *cpu;   /* the reference */
static NwBackend *dev;   /* the OpenCL backend under test, made once (its kernels build once) */
static NwRng rng;
/* The largest error seen by check_close* since the last report, as a share of its margin. */
static double worst_share;

/* Prints how close the test came to its margins (the comments' measured figures). */
static void
report_worst (const char *what)
{
  g_print ("  %s: largest error %.2g of the margin\n", what, worst_share);
  worst_share = 0;
}

/* ---- paired buffers: the same values on both backends ---- */

typedef struct {
  NwBuffer *c, *d;   /* CPU, device */
  gsize     n;
} Pair;

static float
uniform (double lo, double hi)
{
  return (float) (lo + (hi - lo) * nw_rng_uniform (&rng));
}

static void
pair_set (Pair *p, const float *v)
{
  nw_backend_upload (cpu, p->c, 0, v, p->n);
  nw_backend_upload (dev, p->d, 0, v, p->n);
}

static Pair
pair_random (gsize n, double lo, double hi)
{
  Pair p = { nw_backend_alloc (cpu, n), nw_backend_alloc (dev, n), n };
  g_autofree float *v = g_new (float, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    v[i] = uniform (lo, hi);
  pair_set (&p, v);
  return p;
}

static Pair
pair_values (const float *v, gsize n)
{
  Pair p = { nw_backend_alloc (cpu, n), nw_backend_alloc (dev, n), n };
  pair_set (&p, v);
  return p;
}

static void
pair_free (Pair *p)
{
  nw_backend_release (cpu, &p->c);
  nw_backend_release (dev, &p->d);
}

static float *
download (NwBackend *b, NwBuffer *buf, gsize n)
{
  float *v = g_new0 (float, MAX (n, 1));
  nw_backend_download (b, buf, 0, v, n);
  return v;
}

/* Neither backend has an error. */
static void
assert_no_errors (void)
{
  GError *error = NULL;
  nw_backend_take_error (cpu, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_backend_take_error (dev, &error);
  NW_ASSERT_NO_ERROR (error);
}

/* Every element within atol[i] + rtol |cpu| (atol per element when `atols` is given, else
 * `atol`); NaN must meet NaN. Prints the first few misses. */
static void
check_close_with (const char *what, const Pair *p, double rtol, double atol, const double *atols)
{
  g_autofree float *a = download (cpu, p->c, p->n), *b = download (dev, p->d, p->n);
  int misses = 0;
  double worst = 0;
  assert_no_errors ();
  for (gsize i = 0; i < p->n; i++)
    {
      double want = a[i], got = b[i], margin = (atols != NULL ? atols[i] : atol) + rtol * fabs (want);
      double err = fabs (got - want);
      gboolean ok = isnan (want) ? isnan (got) : err <= margin;
      if (!isnan (want) && margin > 0)
        worst = MAX (worst, err / margin);
      if (!ok && misses++ < 3)
        g_printerr ("  %s[%" G_GSIZE_FORMAT "]: OpenCL %.9g, CPU %.9g (margin %.3g)\n", what, i,
                    got, want, margin);
    }
  worst_share = MAX (worst_share, worst);
  if (misses > 0)
    g_printerr ("  %s: %d of %" G_GSIZE_FORMAT " outside the margin\n", what, misses, p->n);
  CU_ASSERT_EQUAL (misses, 0);
}

static void
check_close (const char *what, const Pair *p, double rtol, double atol)
{
  check_close_with (what, p, rtol, atol, NULL);
}

static void
check_equal (const char *what, const Pair *p)
{
  g_autofree float *a = download (cpu, p->c, p->n), *b = download (dev, p->d, p->n);
  assert_no_errors ();
  for (gsize i = 0; i < p->n; i++)
    if (memcmp (&a[i], &b[i], sizeof (float)) != 0)
      {
        g_printerr ("  %s[%" G_GSIZE_FORMAT "]: OpenCL %.9g, CPU %.9g (must be equal)\n", what, i,
                    (double) b[i], (double) a[i]);
        CU_FAIL ("not bit-identical");
        return;
      }
}

static const gsize sizes[] = { 1, 3, 17, 1000 };
/* rows x cols of the row- and column-wise operations */
static const int shapes[][2] = {
  { 1, 1 }, { 3, 17 }, { 17, 3 }, { 1000, 1 }, { 1, 1000 }, { 100, 10 }, { 7, 300 }, { 100, 256 },
};

/* ---- memory and elementwise ---- */

static void
test_fill_copy_add (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s], off = 5;
      Pair a = pair_random (n + off, -1, 1), b = pair_random (n + off, -1, 1);
      Pair y = pair_random (n + off, -1, 1);
      for (int acc = 0; acc <= 1; acc++)
        {
          cpu->ops->copy (cpu, a.c, off, b.c, 0, n, acc);
          dev->ops->copy (dev, a.d, off, b.d, 0, n, acc);
          check_equal ("copy", &b);
        }
      /* Overlapping ranges of one buffer (memmove on the CPU). */
      cpu->ops->copy (cpu, a.c, 0, a.c, 2, n, FALSE);
      dev->ops->copy (dev, a.d, 0, a.d, 2, n, FALSE);
      check_equal ("overlapping copy", &a);
      cpu->ops->add (cpu, a.c, 1, b.c, off, y.c, 2, n);
      dev->ops->add (dev, a.d, 1, b.d, off, y.d, 2, n);
      check_equal ("add", &y);
      cpu->ops->fill (cpu, y.c, 1, n, 0.25f);
      dev->ops->fill (dev, y.d, 1, n, 0.25f);
      dev->ops->finish (dev);
      check_equal ("fill", &y);
      pair_free (&a);
      pair_free (&b);
      pair_free (&y);
    }
}

static void
test_buffers_start_zeroed (void)
{
  NwBuffer *b = nw_backend_alloc (dev, 1000);
  g_autofree float *v = download (dev, b, 1000);
  for (int i = 0; i < 1000; i++)
    CU_ASSERT_EQUAL_FATAL (v[i], 0.0f);
  nw_backend_release (dev, &b);
  assert_no_errors ();
}

static void
test_copy_cols (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      int rows = shapes[s][0], cols = shapes[s][1], sld = cols + 3, dld = cols + 7;
      Pair src = pair_random ((gsize) rows * sld + 2, -1, 1), dst = pair_random ((gsize) rows * dld + 4, -1, 1);
      for (int acc = 0; acc <= 1; acc++)
        {
          cpu->ops->copy_cols (cpu, src.c, 2, sld, dst.c, 4, dld, rows, cols, acc);
          dev->ops->copy_cols (dev, src.d, 2, sld, dst.d, 4, dld, rows, cols, acc);
          check_equal ("copy_cols", &dst);
        }
      pair_free (&src);
      pair_free (&dst);
    }
}

static void
test_gather_rows (void)
{
  const int n_src = 50;
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int cols = (int) sizes[s], n_idx = 37;
      Pair src = pair_random ((gsize) n_src * cols, -1, 1), dst = pair_random ((gsize) n_idx * cols + 3, -1, 1);
      gint32 idx[40];
      NwBuffer *ic = cpu->ops->buffer_new (cpu, sizeof idx), *id = dev->ops->buffer_new (dev, sizeof idx);
      for (int i = 0; i < 40; i++)
        idx[i] = (gint32) nw_rng_below (&rng, n_src);
      cpu->ops->write (cpu, ic, 0, idx, sizeof idx);
      dev->ops->write (dev, id, 0, idx, sizeof idx);
      cpu->ops->gather_rows (cpu, src.c, cols, ic, 3, n_idx, dst.c, 3);
      dev->ops->gather_rows (dev, src.d, cols, id, 3, n_idx, dst.d, 3);
      check_equal ("gather_rows", &dst);
      cpu->ops->buffer_free (cpu, ic);
      dev->ops->buffer_free (dev, id);
      pair_free (&src);
      pair_free (&dst);
    }
}

/* ---- matrix products ---- */

static void
gemm_case (int m, int n, int k, gboolean ta, gboolean tb, float alpha, float beta)
{
  int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
  gsize na = (gsize) (ta ? k : m) * lda + 4, nb = (gsize) (tb ? n : k) * ldb + 5;
  gsize nc = (gsize) m * ldc + 6;
  Pair a = pair_random (na, -1, 1), b = pair_random (nb, -1, 1), c = pair_random (nc, -1, 1);
  g_autofree float *ha = download (cpu, a.c, na), *hb = download (cpu, b.c, nb);
  g_autofree float *hc = download (cpu, c.c, nc);
  g_autofree double *atol = g_new0 (double, nc);
  g_autofree char *what = g_strdup_printf ("gemm %dx%dx%d %c%c alpha %g beta %g", m, n, k,
                                           ta ? 'T' : 'N', tb ? 'T' : 'N', alpha, beta);

  if (beta == 0)
    {
      /* beta == 0 must ignore C, even NaN (as BLAS does). */
      g_autofree float *nan = g_new (float, nc);
      for (gsize i = 0; i < nc; i++)
        nan[i] = NAN;
      pair_set (&c, nan);
    }
  for (gsize i = 0; i < nc; i++)
    atol[i] = 1e-30;   /* elements outside C must stay exactly as they were */
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double s = 0;
        for (int p = 0; p < k; p++)
          s += fabs (ha[4 + (ta ? (gsize) p * lda + i : (gsize) i * lda + p)]
                     * hb[5 + (tb ? (gsize) j * ldb + p : (gsize) p * ldb + j)]);
        atol[6 + (gsize) i * ldc + j] = 1e-5 * (fabs (alpha) * s + (beta != 0 ? fabs (beta * hc[6 + (gsize) i * ldc + j]) : 0)) + 1e-30;
      }
  cpu->ops->gemm (cpu, ta, tb, m, n, k, alpha, a.c, 4, lda, b.c, 5, ldb, beta, c.c, 6, ldc);
  dev->ops->gemm (dev, ta, tb, m, n, k, alpha, a.d, 4, lda, b.d, 5, ldb, beta, c.d, 6, ldc);
  check_close_with (what, &c, 0, 0, atol);
  pair_free (&a);
  pair_free (&b);
  pair_free (&c);
}

static const int gemm_shapes[][3] = {
  { 1, 1, 1 }, { 3, 17, 5 }, { 17, 3, 1000 }, { 1, 784, 256 }, { 4, 10, 10 }, { 33, 65, 129 },
  { 100, 256, 784 }, { 100, 10, 256 }, { 49, 50, 513 }, { 2, 3, 0 },
};

static void
run_gemm_shapes (NwClGemmPath path)
{
  nw_backend_cl_set_gemm_path (dev, path);
  for (gsize s = 0; s < G_N_ELEMENTS (gemm_shapes); s++)
    for (int t = 0; t < 4; t++)
      {
        const int *g = gemm_shapes[s];
        gemm_case (g[0], g[1], g[2], t & 1, t >> 1, 1, 0);
        gemm_case (g[0], g[1], g[2], t & 1, t >> 1, 0.5f, 0.25f);
      }
  nw_backend_cl_set_gemm_path (dev, NW_CL_GEMM_AUTO);
  report_worst ("gemm");
}

static void test_gemm_auto (void) { run_gemm_shapes (NW_CL_GEMM_AUTO); }
static void test_gemm_tiled (void) { run_gemm_shapes (NW_CL_GEMM_TILED); }
static void test_gemm_small (void) { run_gemm_shapes (NW_CL_GEMM_SMALL); }

/* The app's shapes, each transposition as the network uses it (see core/nw-net.c). */
static void
test_gemm_app_shapes (void)
{
  gemm_case (100, 256, 784, FALSE, TRUE, 1, 0);   /* forward X W^T */
  gemm_case (256, 784, 100, TRUE, FALSE, 1, 0);   /* dW = dY^T X */
  gemm_case (100, 256, 256, FALSE, FALSE, 1, 1);  /* dX = dY W, accumulated */
  gemm_case (100, 10, 256, FALSE, TRUE, 1, 0);
  gemm_case (10, 256, 100, TRUE, FALSE, 1, 0);
  gemm_case (100, 256, 10, FALSE, FALSE, 1, 0);
  report_worst ("gemm, app shapes");
}

/* ---- activations ---- */

static const NwActivation all_acts[] = {
  NW_ACT_LINEAR, NW_ACT_SIGMOID, NW_ACT_TANH, NW_ACT_RELU, NW_ACT_LEAKY_RELU, NW_ACT_ELU,
  NW_ACT_GELU, NW_ACT_SOFTMAX, NW_ACT_SELU, NW_ACT_STEP,
};

static double
act_atol (NwActivation act)
{
  return act == NW_ACT_GELU ? 1e-5 : 1e-6;
}

static void
test_bias_act (void)
{
  for (gsize a = 0; a < G_N_ELEMENTS (all_acts); a++)
    for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
      for (int variant = 0; variant < 3; variant++)
        {
          /* 0: bias, separate Y; 1: bias, Y is Z; 2: no bias, separate Y */
          NwActivation act = all_acts[a];
          int rows = shapes[s][0], cols = shapes[s][1];
          gsize n = (gsize) rows * cols;
          Pair z = pair_random (n + 3, -4, 4), bias = pair_random (cols + 1, -1, 1);
          Pair y = pair_random (n + 2, -1, 1);
          g_autofree char *what = g_strdup_printf ("bias_act %s %dx%d variant %d",
                                                   nw_activation_name (act), rows, cols, variant);
          NwBuffer *yc = variant == 1 ? z.c : y.c, *yd = variant == 1 ? z.d : y.d;
          gsize yoff = variant == 1 ? 3 : 2;
          cpu->ops->bias_act (cpu, z.c, 3, rows, cols, variant == 2 ? NULL : bias.c, 1, act, 0.1f, yc, yoff);
          dev->ops->bias_act (dev, z.d, 3, rows, cols, variant == 2 ? NULL : bias.d, 1, act, 0.1f, yd, yoff);
          check_close (what, &z, 1e-5, act_atol (act));
          check_close (what, &y, 1e-5, act_atol (act));
          pair_free (&z);
          pair_free (&bias);
          pair_free (&y);
        }
  report_worst ("bias_act");
}

static void
test_act_backward (void)
{
  for (gsize a = 0; a < G_N_ELEMENTS (all_acts); a++)
    for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
      for (int acc = 0; acc <= 1; acc++)
        {
          NwActivation act = all_acts[a];
          int rows = shapes[s][0], cols = shapes[s][1];
          gsize n = (gsize) rows * cols;
          Pair x = pair_random (n + 1, -4, 4), y = pair_random (n + 2, -1, 1);
          Pair dy = pair_random (n + 3, -1, 1), dx = pair_random (n + 4, -1, 1);
          g_autofree float *hy = NULL;
          g_autofree char *what = g_strdup_printf ("act_backward %s %dx%d accumulate %d",
                                                   nw_activation_name (act), rows, cols, acc);
          /* Y = act(X) from the CPU, the same on both sides. */
          cpu->ops->bias_act (cpu, x.c, 1, rows, cols, NULL, 0, act, 0.1f, y.c, 2);
          hy = download (cpu, y.c, y.n);
          pair_set (&y, hy);
          cpu->ops->act_backward (cpu, act, 0.1f, rows, cols, x.c, 1, y.c, 2, dy.c, 3, dx.c, 4, acc);
          dev->ops->act_backward (dev, act, 0.1f, rows, cols, x.d, 1, y.d, 2, dy.d, 3, dx.d, 4, acc);
          check_close (what, &dx, 1e-5, act_atol (act));
          pair_free (&x);
          pair_free (&y);
          pair_free (&dy);
          pair_free (&dx);
        }
  report_worst ("act_backward");
}

/* ---- reductions ---- */

static void
test_bias_grad (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      int rows = shapes[s][0], cols = shapes[s][1];
      Pair dz = pair_random ((gsize) rows * cols + 2, -1, 1), db = pair_random (cols + 5, -1, 1);
      g_autofree char *what = g_strdup_printf ("bias_grad %dx%d", rows, cols);
      cpu->ops->bias_grad (cpu, dz.c, 2, rows, cols, db.c, 5);
      dev->ops->bias_grad (dev, dz.d, 2, rows, cols, db.d, 5);
      /* |dz| <= 1: the sum of magnitudes of a column is at most rows. */
      check_close (what, &db, 1e-4, 1e-5 * rows);
      pair_free (&dz);
      pair_free (&db);
    }
  report_worst ("bias_grad");
}

static void
test_sumsq (void)
{
  static const gsize n_sizes[] = { 0, 1, 3, 17, 1000, 100000 };
  for (gsize s = 0; s < G_N_ELEMENTS (n_sizes); s++)
    {
      gsize n = n_sizes[s];
      Pair x = pair_random (n + 3, -2, 2), out = pair_random (4, -1, 1);
      cpu->ops->sumsq (cpu, x.c, 3, n, out.c, 1);
      dev->ops->sumsq (dev, x.d, 3, n, out.d, 1);
      check_close ("sumsq", &out, 1e-4, 1e-6);
      pair_free (&x);
      pair_free (&out);
    }
  report_worst ("sumsq");
}

static void
test_act_stats (void)
{
  static const gsize n_sizes[] = { 0, 1, 3, 17, 1000, 100000 };
  static const NwActivation acts[] = { NW_ACT_SIGMOID, NW_ACT_TANH, NW_ACT_RELU, NW_ACT_GELU };
  for (gsize a = 0; a < G_N_ELEMENTS (acts); a++)
    for (gsize s = 0; s < G_N_ELEMENTS (n_sizes); s++)
      {
        gsize n = n_sizes[s];
        Pair x = pair_random (n + 3, -7, 5), out = pair_random (NW_STATS_SIZE + 2, -1, 1);
        g_autofree float *hc = NULL, *hd = NULL;
        g_autofree char *what = g_strdup_printf ("act_stats %s n %" G_GSIZE_FORMAT,
                                                 nw_activation_name (acts[a]), n);
        cpu->ops->act_stats (cpu, acts[a], 0.1f, n, x.c, 3, -4, 4, out.c, 2);
        dev->ops->act_stats (dev, acts[a], 0.1f, n, x.d, 3, -4, 4, out.d, 2);
        hc = download (cpu, out.c, out.n);
        hd = download (dev, out.d, out.n);
        assert_no_errors ();
        for (int k = 0; k < NW_STATS_SIZE + 2; k++)
          {
            double want = hc[k], got = hd[k];
            int f = k - 2;
            double margin;
            if (f == NW_STATS_SUM || f == NW_STATS_SUMSQ)
              margin = 1e-4 * fabs (want) + 1e-5 * 7 * 7 * n;
            else if (f == NW_STATS_MIN || f == NW_STATS_MAX || f < 0)
              margin = 0;
            else
              margin = 1;   /* counts: one value at an edge may fall either side */
            if (fabs (got - want) > margin)
              g_printerr ("  %s: field %d: OpenCL %.9g, CPU %.9g\n", what, f, got, want);
            CU_ASSERT (fabs (got - want) <= margin);
          }
        pair_free (&x);
        pair_free (&out);
      }
}

/* ---- losses ---- */

static void
loss_inputs (NwLoss kind, int rows, int cols, float *p, float *t)
{
  for (int r = 0; r < rows; r++)
    {
      int hot = (int) nw_rng_below (&rng, cols);
      for (int c = 0; c < cols; c++)
        {
          gsize i = (gsize) r * cols + c;
          switch (kind)
            {
            case NW_LOSS_BCE:
              p[i] = uniform (0.01, 0.99);
              t[i] = nw_rng_below (&rng, 2);
              break;
            case NW_LOSS_BCE_LOGITS:
              p[i] = uniform (-4, 4);
              t[i] = nw_rng_below (&rng, 2);
              break;
            case NW_LOSS_SOFTMAX_XENT:
              p[i] = uniform (-4, 4);
              t[i] = c == hot;
              break;
            case NW_LOSS_MSE:
            case NW_N_LOSSES:
            default:
              p[i] = uniform (-1, 1);
              t[i] = uniform (-1, 1);
              break;
            }
        }
    }
}

static void
test_loss (void)
{
  static const NwLoss kinds[] = { NW_LOSS_BCE, NW_LOSS_BCE_LOGITS, NW_LOSS_SOFTMAX_XENT, NW_LOSS_MSE };
  static const int loss_shapes[][2] = { { 1, 1 }, { 3, 1 }, { 17, 10 }, { 1000, 1 }, { 100, 10 }, { 7, 1000 } };
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (gsize s = 0; s < G_N_ELEMENTS (loss_shapes); s++)
      for (int variant = 0; variant < 3; variant++)
        {
          /* 0: gradient overwritten; 1: gradient accumulated; 2: no gradient, no metrics */
          int rows = loss_shapes[s][0], cols = loss_shapes[s][1];
          gsize n = (gsize) rows * cols;
          g_autofree float *p = g_new (float, n + 1), *t = g_new (float, n + 2);
          float m0[NW_METRIC_SIZE + 1] = { 7, 1.5f, 2, 3 };
          Pair pp, tp, dp = pair_random (n + 3, -1, 1), m = pair_values (m0, NW_METRIC_SIZE + 1);
          g_autofree char *what = g_strdup_printf ("loss %s %dx%d variant %d", nw_loss_name (kinds[k]),
                                                   rows, cols, variant);
          g_autofree float *mc = NULL, *md = NULL;
          loss_inputs (kinds[k], rows, cols, p + 1, t + 2);
          pp = pair_values (p, n + 1);
          tp = pair_values (t, n + 2);
          cpu->ops->loss (cpu, kinds[k], rows, cols, pp.c, 1, tp.c, 2, variant == 2 ? NULL : dp.c, 3,
                          variant == 1, variant == 2 ? NULL : m.c, 1);
          dev->ops->loss (dev, kinds[k], rows, cols, pp.d, 1, tp.d, 2, variant == 2 ? NULL : dp.d, 3,
                          variant == 1, variant == 2 ? NULL : m.d, 1);
          /* Gradients are elementwise (softmax: one row's sum of cols exponentials). */
          check_close (what, &dp, 1e-5, 1e-7);
          mc = download (cpu, m.c, m.n);
          md = download (dev, m.d, m.n);
          NW_ASSERT_CLOSE (md[1 + NW_METRIC_LOSS], mc[1 + NW_METRIC_LOSS], 1e-5, 1e-6);
          CU_ASSERT_EQUAL (md[1 + NW_METRIC_CORRECT], mc[1 + NW_METRIC_CORRECT]);
          CU_ASSERT_EQUAL (md[1 + NW_METRIC_COUNT], mc[1 + NW_METRIC_COUNT]);
          CU_ASSERT_EQUAL (md[0], 7);
          if (fabs (md[1] - mc[1]) > 1e-5 * fabs (mc[1]) + 1e-6 || md[2] != mc[2])
            g_printerr ("  %s: metrics OpenCL %g %g %g, CPU %g %g %g\n", what, md[1], md[2], md[3],
                        mc[1], mc[2], mc[3]);
          pair_free (&pp);
          pair_free (&tp);
          pair_free (&dp);
          pair_free (&m);
        }
  report_worst ("loss");
}

/* ---- dropout ---- */

/* Masks drawn from (seed, counter) with the CPU's generator: bit for bit the same. */
static void
test_dropout_masks_equal_cpu (void)
{
  static const float ps[] = { 0.1f, 0.5f, 0.9f };
  static const guint64 counters[] = { 0, 12345, G_GUINT64_CONSTANT (1) << 40 };
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (gsize q = 0; q < G_N_ELEMENTS (ps); q++)
      for (gsize c = 0; c < G_N_ELEMENTS (counters); c++)
        {
          gsize n = sizes[s];
          guint64 seed = 0x1234567890abcdefULL + c;
          Pair x = pair_random (n + 1, -1, 1), mask = pair_random (n + 2, -1, 1);
          Pair y = pair_random (n + 3, -1, 1), dx = pair_random (n + 4, -1, 1);
          cpu->ops->dropout (cpu, n, ps[q], seed, counters[c], x.c, 1, mask.c, 2, y.c, 3);
          dev->ops->dropout (dev, n, ps[q], seed, counters[c], x.d, 1, mask.d, 2, y.d, 3);
          check_equal ("dropout mask", &mask);
          check_equal ("dropout output", &y);
          for (int acc = 0; acc <= 1; acc++)
            {
              cpu->ops->mul (cpu, n, y.c, 3, mask.c, 2, dx.c, 4, acc);
              dev->ops->mul (dev, n, y.d, 3, mask.d, 2, dx.d, 4, acc);
              check_equal ("dropout backward", &dx);
            }
          pair_free (&x);
          pair_free (&mask);
          pair_free (&y);
          pair_free (&dx);
        }
}

/* ---- normalisation ---- */

static void
norm_case (int axis, int rows, int cols, gboolean affine, gboolean use_running, gboolean want_dx,
           gboolean acc)
{
  int groups = axis == 0 ? cols : rows;
  gsize n = (gsize) rows * cols;
  Pair x = pair_random (n + 1, -1, 3), y = pair_random (n + 2, -1, 1);
  Pair gamma = pair_random (cols + 3, 0.5, 1.5), beta = pair_random (cols + 4, -1, 1);
  Pair running = pair_random (2 * (gsize) cols + 5, 0.5, 1.5);
  Pair mean = pair_random (groups + 6, -1, 1), invstd = pair_random (groups + 6, -1, 1);
  Pair dy = pair_random (n + 7, -1, 1), dx = pair_random (n + 8, -1, 1);
  Pair dg = pair_random (cols + 9, -1, 1), db = pair_random (cols + 10, -1, 1);
  g_autofree char *what = g_strdup_printf ("norm axis %d %dx%d affine %d running %d dx %d acc %d",
                                           axis, rows, cols, affine, use_running, want_dx, acc);
  g_autofree float *hm = NULL, *hi = NULL;

#define NORM_FORWARD(B, S) \
  B->ops->norm_forward (B, axis, use_running, rows, cols, x.S, 1, y.S, 2, affine ? gamma.S : NULL, 3, \
                        affine ? beta.S : NULL, 4, axis == 0 ? running.S : NULL, 5, 0.1f, 1e-5f, \
                        axis == 0 && !use_running, mean.S, invstd.S, 6)
  NORM_FORWARD (cpu, c);
  NORM_FORWARD (dev, d);
  /* Normalised values are O(1); the statistics are sums over a group. */
  check_close (what, &y, 1e-4, 1e-5);
  check_close (what, &mean, 1e-4, 1e-5);
  check_close (what, &invstd, 1e-4, 1e-5);
  check_close (what, &running, 1e-4, 1e-5);

  /* The backward from the same statistics on both sides. */
  hm = download (cpu, mean.c, mean.n);
  hi = download (cpu, invstd.c, invstd.n);
  pair_set (&mean, hm);
  pair_set (&invstd, hi);
#define NORM_BACKWARD(B, S) \
  B->ops->norm_backward (B, axis, use_running, rows, cols, x.S, 1, dy.S, 7, affine ? gamma.S : NULL, 3, \
                         mean.S, invstd.S, 6, want_dx ? dx.S : NULL, 8, acc, affine ? dg.S : NULL, 9, \
                         affine ? db.S : NULL, 10)
  NORM_BACKWARD (cpu, c);
  NORM_BACKWARD (dev, d);
  /* dx = invstd (d - mean(d) - xhat mean(d xhat)): a difference of O(1) terms, the means
   * being sums of `per` terms. */
  check_close (what, &dx, 1e-4, 1e-5 * (axis == 0 ? rows : cols));
  check_close (what, &dg, 1e-4, 1e-5 * rows);
  check_close (what, &db, 1e-4, 1e-5 * rows);
#undef NORM_FORWARD
#undef NORM_BACKWARD
  pair_free (&x);
  pair_free (&y);
  pair_free (&gamma);
  pair_free (&beta);
  pair_free (&running);
  pair_free (&mean);
  pair_free (&invstd);
  pair_free (&dy);
  pair_free (&dx);
  pair_free (&dg);
  pair_free (&db);
}

static void
test_norm (void)
{
  static const int norm_shapes[][2] = { { 1, 1 }, { 3, 17 }, { 17, 3 }, { 100, 256 }, { 1000, 3 }, { 3, 1000 } };
  for (int axis = 0; axis <= 1; axis++)
    for (gsize s = 0; s < G_N_ELEMENTS (norm_shapes); s++)
      for (int variant = 0; variant < 6; variant++)
        {
          gboolean affine = variant != 1, running = axis == 0 && (variant == 2 || variant == 5);
          gboolean want_dx = variant != 3, acc = variant == 4 || variant == 5;
          norm_case (axis, norm_shapes[s][0], norm_shapes[s][1], affine, running, want_dx, acc);
        }
  report_worst ("norm");
}

/* ---- optimizers ---- */

static void
test_update (void)
{
  static const NwOptimizerKind kinds[] = {
    NW_OPT_SGD, NW_OPT_MOMENTUM, NW_OPT_NESTEROV, NW_OPT_ADAGRAD, NW_OPT_RMSPROP, NW_OPT_RMSPROP,
    NW_OPT_ADAM, NW_OPT_ADAMW,
  };
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
      for (int penalize = 0; penalize <= 1; penalize++)
        {
          gsize n = sizes[s], off = 3;
          Pair p = pair_random (n + off, -1, 1), g = pair_random (n + off, -1, 1);
          Pair s1 = pair_random (n + off, 0, 0), s2 = pair_random (n + off, 0, 0);
          NwUpdateArgs args = {
            .kind = kinds[k], .lr = 0.05f, .momentum = k == 5 ? 0.9f : 0.8f, .beta1 = 0.9f,
            .beta2 = 0.999f, .eps = 1e-8f, .rho = 0.99f, .weight_decay = 0.01f, .l1 = 0.01f,
            .l2 = 0.02f,
          };
          g_autofree char *what = g_strdup_printf ("update %s n %" G_GSIZE_FORMAT " penalize %d%s",
                                                   nw_optimizer_name (kinds[k]), n, penalize,
                                                   k == 5 ? " with momentum" : "");
          if (kinds[k] == NW_OPT_RMSPROP && k == 4)
            args.momentum = 0;
          for (int step = 1; step <= 5; step++)
            {
              g_autofree float *hg = g_new (float, n + off);
              for (gsize i = 0; i < n + off; i++)
                hg[i] = uniform (-1, 1);
              pair_set (&g, hg);
              args.t = step;
              cpu->ops->update (cpu, &args, penalize, n, p.c, g.c, s1.c, s2.c, off);
              dev->ops->update (dev, &args, penalize, n, p.d, g.d, s1.d, s2.d, off);
            }
          /* Same expressions in the same order, correctly rounded division and square root:
           * identical where the device rounds like IEEE (PoCL), else within a few ulp. */
          check_close (what, &p, 1e-6, 1e-7);
          check_close (what, &s1, 1e-6, 1e-7);
          check_close (what, &s2, 1e-6, 1e-7);
          check_equal (what, &g);   /* gradients are left as they were */
          pair_free (&p);
          pair_free (&g);
          pair_free (&s1);
          pair_free (&s2);
        }
  report_worst ("update");
}

/* Running averages that decay below FLT_MIN become 0 on both backends, never subnormal (a
 * device may flush subnormals on its own, or not; the kernels flush explicitly): states
 * around FLT_MIN with zero or tiny gradients give the same bits. */
static void
test_update_flush (void)
{
  static const NwOptimizerKind kinds[] = { NW_OPT_MOMENTUM, NW_OPT_RMSPROP, NW_OPT_ADAM };
  const gsize n = 1000;
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      Pair p = pair_random (n, -1, 1), g = pair_random (n, 0, 0);
      Pair s1 = pair_random (n, 1.2e-38, 3e-38), s2 = pair_random (n, 1.2e-38, 3e-38);
      g_autofree float *hg = g_new0 (float, n);
      g_autofree char *what = g_strdup_printf ("flushed %s", nw_optimizer_name (kinds[k]));
      g_autofree float *a = NULL, *b = NULL;
      NwUpdateArgs args = {
        .kind = kinds[k], .lr = 0.05f, .momentum = 0.9f, .beta1 = 0.9f, .beta2 = 0.999f,
        .eps = 1e-8f, .rho = 0.99f,
      };
      int zeros = 0, subnormal = 0;
      for (gsize i = 0; i < n; i += 2)
        hg[i] = 1e-20f;   /* g^2 = 1e-40: a subnormal term in s and v */
      pair_set (&g, hg);
      for (int step = 1; step <= 3; step++)
        {
          args.t = step;
          cpu->ops->update (cpu, &args, TRUE, n, p.c, g.c, s1.c, s2.c, 0);
          dev->ops->update (dev, &args, TRUE, n, p.d, g.d, s1.d, s2.d, 0);
        }
      check_equal (what, &s1);
      check_equal (what, &s2);
      check_equal (what, &p);
      a = download (dev, s1.d, n);
      b = download (dev, s2.d, n);
      for (gsize i = 0; i < n; i++)
        {
          zeros += (a[i] == 0) + (b[i] == 0);
          subnormal += (fpclassify (a[i]) == FP_SUBNORMAL) + (fpclassify (b[i]) == FP_SUBNORMAL);
        }
      CU_ASSERT (zeros > 0);   /* the case does reach the flush */
      CU_ASSERT_EQUAL (subnormal, 0);
      pair_free (&p);
      pair_free (&g);
      pair_free (&s1);
      pair_free (&s2);
    }
}

/* ---- whole runs ---- */

typedef struct {
  GArray *loss;   /* train_loss of each snapshot */
  double  eval_loss;
  gint64  epochs;
  double  launches_per_step;   /* OpenCL backends */
} Curve;

/* Trains `steps` steps with a snapshot every `every`: one nw_trainer_step at a time, or
 * (`chunks`) `every` steps per nw_trainer_steps call, which fuses what the backend can. */
static Curve
train_curve_with (NwSpec *spec, NwBackend *backend, int steps, int every, gboolean chunks)
{
  GError *error = NULL;
  Curve curve = { g_array_new (FALSE, FALSE, sizeof (double)), NAN, 0, NAN };
  g_autoptr (NwTrainer) t = nw_trainer_new (spec, NULL, backend, &error);
  NwBackend *b;
  NwClCounters before = { 0 }, after = { 0 };
  NW_ASSERT_NO_ERROR (error);
  b = nw_net_get_backend (nw_trainer_get_net (t));
  if (nw_backend_is_cl (b))
    nw_backend_cl_get_counters (b, &before);
  for (int i = every; i <= steps; i += every)
    {
      if (chunks)
        {
          int done = 0;
          if (!nw_trainer_steps (t, every, &done, &error))
            break;
          CU_ASSERT_EQUAL (done, every);
        }
      else
        for (int k = 0; k < every && error == NULL; k++)
          nw_trainer_step (t, &error);
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT_EQUAL (nw_trainer_get_step (t), i);
      {
        g_autoptr (NwSnapshot) snap = nw_trainer_snapshot (t, FALSE, 0, &error);
        NW_ASSERT_NO_ERROR (error);
        g_array_append_val (curve.loss, snap->train_loss);
      }
    }
  NW_ASSERT_NO_ERROR (error);
  if (nw_backend_is_cl (b))
    {
      nw_backend_cl_get_counters (b, &after);
      curve.launches_per_step = (double) (after.launches - before.launches) / steps;
    }
  curve.epochs = nw_trainer_get_epoch (t);
  nw_trainer_evaluate (t, FALSE, &curve.eval_loss, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  return curve;
}

static Curve
train_curve (NwSpec *spec, NwBackend *backend, int steps, int every)
{
  return train_curve_with (spec, backend, steps, every, FALSE);
}

/* Trains `spec` on both backends and compares the loss curves point by point: relative
 * error at most `rtol` (reported: the largest seen, so the margin can be judged). */
static void
compare_runs (const char *name, NwSpec *spec, int steps, int every, double rtol)
{
  GError *error = NULL;
  NwBackend *b = nw_backend_cl_new (NULL, NULL, &error);
  Curve c, d;
  double worst = 0;
  gint64 t0, t1, t2;
  NW_ASSERT_NO_ERROR (error);
  t0 = g_get_monotonic_time ();
  c = train_curve (spec, NULL, steps, every);
  t1 = g_get_monotonic_time ();
  d = train_curve (spec, b, steps, every);
  t2 = g_get_monotonic_time ();
  CU_ASSERT_EQUAL_FATAL (c.loss->len, d.loss->len);
  for (guint i = 0; i < c.loss->len; i++)
    {
      double want = g_array_index (c.loss, double, i), got = g_array_index (d.loss, double, i);
      double rel = fabs (got - want) / fabs (want);
      worst = MAX (worst, rel);
      if (!(rel <= rtol))
        g_printerr ("  %s: snapshot %u: OpenCL %.9g, CPU %.9g\n", name, i, got, want);
      CU_ASSERT (rel <= rtol);
    }
  g_print ("  %s: %d steps, loss %.6g -> %.6g (CPU) / %.6g (OpenCL); largest relative "
           "difference %.2g (margin %.2g); %.1f s CPU, %.1f s OpenCL\n", name, steps,
           g_array_index (c.loss, double, 0), g_array_index (c.loss, double, c.loss->len - 1),
           g_array_index (d.loss, double, d.loss->len - 1), worst, rtol, (t1 - t0) / 1e6,
           (t2 - t1) / 1e6);
  NW_ASSERT_CLOSE (d.eval_loss, c.eval_loss, rtol, 0);
  g_array_unref (c.loss);
  g_array_unref (d.loss);
}

/* XOR, 2-10-10-10-1 all sigmoid, SGD lr 1, full batch, 2000 steps. The two backends differ
 * by float rounding only (exp's last bits, the order of a few 10-term sums). Measured on
 * PoCL: at most 1.4e-5 relative, at the end of the run, where the loss is 0.0065 and its
 * relative rounding largest. The margin, 1e-3, still catches any real disagreement: a wrong
 * gradient moves this curve by percents within a hundred steps. */
static void
test_run_xor (void)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path ("examples/xor-deep-sigmoid.json");
  g_autoptr (NwSpec) spec = nw_spec_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  compare_runs ("xor-deep-sigmoid", spec, 2000, 100, 1e-3);
}

/* MNIST 784-256-256-10 ReLU, Adam 1e-3, batch 100, 200 steps. Products of 784-term sums in
 * another order, Adam's division by sqrt(v) (which magnifies the rounding of small
 * gradients) and ReLU's kink (which can flip a unit) make the curves drift apart slowly.
 * Measured on PoCL: 2.7e-7 relative at most over the 200 steps; the margin, 1e-3, leaves
 * room for devices whose exp and products round differently (GPUs fuse multiply-adds),
 * and is still far below what a wrong operation does (percents). Skipped when MNIST is not
 * installed. */
static void
test_run_mnist (void)
{
  GError *error = NULL;
  g_autofree char *dir = nw_data_default_mnist_dir (nw_test_data_root ());
  g_autofree char *probe = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  g_autofree char *path = nw_test_source_path ("examples/mnist-mlp.json");
  g_autoptr (NwSpec) spec = NULL;
  if (!g_file_test (probe, G_FILE_TEST_EXISTS))
    {
      g_print ("  MNIST is not installed in %s: skipped\n", dir);
      return;
    }
  spec = nw_spec_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_data_spec_resolve (&spec->data, nw_test_data_root ());
  compare_runs ("mnist-mlp", spec, 200, 20, 1e-3);
}

/* Every kind of node at once (the example of docs/spec-format.md): dropout, BatchNorm, a
 * residual Add, LayerNorm, Concat, leaky ReLU, Adam, mini-batches of 32. Dropout masks are
 * the same on both sides; measured 3e-7 relative over 300 steps, margin 1e-3.
 * fc2 has no bias, unlike the docs' example: a bias just before BatchNorm has a gradient of
 * pure rounding noise (the normalisation removes it), which Adam scales to full-size steps
 * of either sign, so the two backends' biases differ by ~lr after one step. The training
 * loss cannot see it, the evaluation (running statistics) can: that would test rounding,
 * not the backend. */
static const char graph_json[] =
  "{\"format\": \"neurowire-spec\", \"version\": 1, \"nodes\": ["
  "{\"id\": \"input\", \"type\": \"input\"},"
  "{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 8, \"weight_init\": \"xavier_uniform\"},"
  "{\"id\": \"act1\", \"type\": \"activation\", \"activation\": \"leaky_relu\", \"alpha\": 0.01},"
  "{\"id\": \"drop1\", \"type\": \"dropout\", \"p\": 0.1},"
  "{\"id\": \"fc2\", \"type\": \"dense\", \"units\": 8, \"bias\": false},"
  "{\"id\": \"bn1\", \"type\": \"batchnorm\"},"
  "{\"id\": \"sum\", \"type\": \"add\"},"
  "{\"id\": \"ln1\", \"type\": \"layernorm\"},"
  "{\"id\": \"cat\", \"type\": \"concat\"},"
  "{\"id\": \"out\", \"type\": \"dense\", \"units\": 1},"
  "{\"id\": \"prob\", \"type\": \"activation\", \"activation\": \"sigmoid\"},"
  "{\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce\"}],"
  "\"edges\": ["
  "{\"from\": \"input\", \"to\": \"fc1\"}, {\"from\": \"fc1\", \"to\": \"act1\"},"
  "{\"from\": \"act1\", \"to\": \"drop1\"}, {\"from\": \"drop1\", \"to\": \"fc2\"},"
  "{\"from\": \"fc2\", \"to\": \"bn1\"}, {\"from\": \"drop1\", \"to\": \"sum\", \"port\": 0},"
  "{\"from\": \"bn1\", \"to\": \"sum\", \"port\": 1}, {\"from\": \"sum\", \"to\": \"ln1\"},"
  "{\"from\": \"ln1\", \"to\": \"cat\", \"port\": 0}, {\"from\": \"input\", \"to\": \"cat\", \"port\": 1},"
  "{\"from\": \"cat\", \"to\": \"out\"}, {\"from\": \"out\", \"to\": \"prob\"},"
  "{\"from\": \"prob\", \"to\": \"loss\"}],"
  "\"data\": {\"kind\": \"xor_cloud\", \"n\": 200, \"noise\": 0.1, \"seed\": 1},"
  "\"training\": {\"optimizer\": \"adam\", \"lr\": 0.01, \"batch_size\": 32, \"seed\": 1}}";

static void
test_run_graph (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_from_json (graph_json, -1, &error);
  NW_ASSERT_NO_ERROR (error);
  compare_runs ("every node kind", spec, 300, 30, 1e-3);
}

/* Launches and host-device synchronisations per training step, printed for the record.
 * Data and parameters stay on the device. Step by step (nw_trainer_step), a step reads back
 * only the three metrics (the trainer's divergence check) and writes a mini-batch run's
 * shuffled order once per epoch (a full batch's order is written once): at most 2
 * synchronisations. In chunks (nw_trainer_steps, 1000 steps), a small chain such as XOR's
 * runs fused: one launch and one read of the per-step metrics per launch of up to
 * NW_CHAIN_MAX_STEPS steps, plus the chunk's last step on its own; MNIST's is too large to
 * fuse and keeps the step-by-step figures. */
static void
count_per_step (const char *example, gboolean fusable)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path (example);
  g_autoptr (NwSpec) spec = nw_spec_load (path, &error);
  NwBackend *b = nw_backend_cl_new (NULL, NULL, &error);
  g_autoptr (NwTrainer) t = NULL;
  NwClCounters before, after;
  int chunk = fusable ? 1000 : 10;
  double launches, syncs;
  NW_ASSERT_NO_ERROR (error);
  nw_data_spec_resolve (&spec->data, nw_test_data_root ());
  t = nw_trainer_new (spec, NULL, b, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_trainer_step (t, &error);
  nw_backend_cl_get_counters (b, &before);
  for (int i = 0; i < 10; i++)
    nw_trainer_step (t, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_backend_cl_get_counters (b, &after);
  g_print ("  %s, per step, one by one: %.1f kernel launches, %.1f other commands, %.1f "
           "host-device syncs\n", example, (after.launches - before.launches) / 10.0,
           (after.commands - before.commands) / 10.0, (after.syncs - before.syncs) / 10.0);
  CU_ASSERT ((after.syncs - before.syncs) / 10.0 <= 2.0);
  nw_backend_cl_get_counters (b, &before);
  nw_trainer_steps (t, chunk, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_backend_cl_get_counters (b, &after);
  launches = (double) (after.launches - before.launches) / chunk;
  syncs = (double) (after.syncs - before.syncs) / chunk;
  g_print ("  %s, per step, in chunks of %d: %.3f kernel launches, %.3f other commands, %.3f "
           "host-device syncs\n", example, chunk, launches,
           (double) (after.commands - before.commands) / chunk, syncs);
  CU_ASSERT (fusable ? launches < 0.05 && syncs < 0.01 : syncs <= 2.0);
}

static void
test_launches_per_step (void)
{
  g_autofree char *dir = nw_data_default_mnist_dir (nw_test_data_root ());
  g_autofree char *probe = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  count_per_step ("examples/xor-deep-sigmoid.json", TRUE);
  if (g_file_test (probe, G_FILE_TEST_EXISTS))
    count_per_step ("examples/mnist-mlp.json", FALSE);
}

/* ---- the fused path (chain.cl through nw_trainer_steps) ----
 *
 * The reference is the CPU backend stepping one step at a time; the OpenCL side trains in
 * chunks of nw_trainer_steps, whose steps before the last run fused where the network is a
 * small dense chain. Same spec, seed and data, so the same initial weights, batches and
 * order of steps: the curves differ by float rounding only. The fused kernel computes every
 * product, activation, loss and update with the per-operation kernels' expressions; only
 * the bias gradients and the loss's sum over rows add in another order (sequentially in one
 * work-item, not over a tree), a difference of an ulp or so per step, the same kind as
 * between the CPU (double sums) and the per-operation kernels. The margins are those of the
 * per-operation runs above for the same reason (1e-3 relative per snapshot: measured
 * differences are printed and stay near 1e-5 or below, while a wrong gradient or batch moves
 * a curve by percents within a hundred steps). */

/* A chunked OpenCL run, on a backend set up as `options` say (NULL: the defaults), against
 * the CPU's step-by-step run; `fused` says whether the chain should have run fused (a few
 * launches per step at most) or per operation. */
static void
compare_chunked_with (const char *name, NwSpec *spec, int steps, int every, double rtol,
                      gboolean fused, const NwClOptions *options)
{
  GError *error = NULL;
  NwBackend *b = nw_backend_cl_new (NULL, options, &error);
  Curve c, d;
  double worst = 0;
  NW_ASSERT_NO_ERROR (error);
  c = train_curve_with (spec, NULL, steps, every, FALSE);
  d = train_curve_with (spec, b, steps, every, TRUE);
  CU_ASSERT_EQUAL_FATAL (c.loss->len, d.loss->len);
  for (guint i = 0; i < c.loss->len; i++)
    {
      double want = g_array_index (c.loss, double, i), got = g_array_index (d.loss, double, i);
      double rel = fabs (got - want) / fabs (want);
      worst = MAX (worst, rel);
      if (!(rel <= rtol))
        g_printerr ("  %s: snapshot %u: OpenCL %.9g, CPU %.9g\n", name, i, got, want);
      CU_ASSERT (rel <= rtol);
    }
  g_print ("  %s: %d steps in chunks of %d, loss %.6g -> %.6g (CPU) / %.6g (OpenCL); largest "
           "relative difference %.2g (margin %.2g); %.2f launches per step; %" G_GINT64_FORMAT
           " epochs\n", name, steps, every, g_array_index (c.loss, double, 0),
           g_array_index (c.loss, double, c.loss->len - 1),
           g_array_index (d.loss, double, d.loss->len - 1), worst, rtol, d.launches_per_step,
           d.epochs);
  NW_ASSERT_CLOSE (d.eval_loss, c.eval_loss, rtol, 0);
  CU_ASSERT_EQUAL (c.epochs, d.epochs);
  /* Fused: per chunk, a few launches plus two steps one by one (the one after the snapshot,
   * for its update ratio, and the last); per operation: ten or more launches every step. */
  CU_ASSERT (fused ? d.launches_per_step < 70.0 / every + 1 : d.launches_per_step >= 10);
  g_array_unref (c.loss);
  g_array_unref (d.loss);
}

static void
compare_chunked (const char *name, NwSpec *spec, int steps, int every, double rtol,
                 gboolean fused)
{
  compare_chunked_with (name, spec, steps, every, rtol, fused, NULL);
}

static NwSpec *
chain_spec (const char *chain, NwDataKind data, int batch, NwOptimizerKind opt, double lr)
{
  GError *error = NULL;
  NwSpec *spec = nw_spec_new_chain (chain, &error);
  NW_ASSERT_NO_ERROR (error);
  spec->data.kind = data;
  spec->data.n = 200;
  spec->data.noise = 0.2;
  spec->data.test_ratio = 0.2;
  spec->train.batch_size = batch;
  spec->train.optimizer = opt;
  spec->train.lr = lr;
  spec->train.momentum = opt == NW_OPT_MOMENTUM || opt == NW_OPT_NESTEROV ? 0.9 : 0;
  return spec;
}

/* The case: XOR 2-10-10-10-1 all sigmoid, BCE, SGD lr 1, full batch, 2000 steps. */
static void
test_fused_xor (void)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path ("examples/xor-deep-sigmoid.json");
  g_autoptr (NwSpec) spec = nw_spec_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  compare_chunked ("fused xor-deep-sigmoid", spec, 2000, 100, 1e-3, TRUE);
}

/* Mini-batches of 48 from 160 rows: epochs of four steps, the last of 16 rows, each epoch in
 * a fresh order drawn on the host. Chunks of 30 steps cross epoch boundaries; a fused launch
 * stops at each (the run must take the same batches in the same order as the CPU's). */
static void
test_fused_minibatch (void)
{
  g_autoptr (NwSpec) spec = chain_spec ("2 dense:16 tanh dense:16 relu dense:1 sigmoid bce",
                                        NW_DATA_XOR_CLOUD, 48, NW_OPT_MOMENTUM, 0.05);
  compare_chunked ("fused mini-batch", spec, 600, 30, 1e-3, TRUE);
}

/* Mean squared error on a linear output, with L1 and L2 penalties on the weights; softmax
 * cross-entropy over two classes with Adam. */
static void
test_fused_mse (void)
{
  g_autoptr (NwSpec) spec = chain_spec ("2 dense:12 leaky_relu:0.1 dense:12 elu dense:1 mse",
                                        NW_DATA_XOR_CLOUD, 32, NW_OPT_NESTEROV, 0.02);
  spec->train.l1 = 1e-4;
  spec->train.l2 = 1e-3;
  compare_chunked ("fused mse", spec, 400, 40, 1e-3, TRUE);
}

static void
test_fused_softmax_xent (void)
{
  g_autoptr (NwSpec) spec = chain_spec ("2 dense:16 gelu dense:2 softmax_xent",
                                        NW_DATA_XOR_CLOUD, 40, NW_OPT_ADAM, 0.01);
  compare_chunked ("fused softmax-xent", spec, 400, 40, 1e-3, TRUE);
}

/* SELU and the step through the fused kernel: its activations come from the same act.cl as
 * the per-operation kernels'. Behind the step nothing learns (its gradient is 0): the two
 * runs must agree on that too, and the layer after it still trains. */
static void
test_fused_selu_step (void)
{
  g_autoptr (NwSpec) selu = chain_spec ("2 dense:12 selu dense:12 selu dense:1 mse",
                                        NW_DATA_XOR_CLOUD, 32, NW_OPT_MOMENTUM, 0.02);
  g_autoptr (NwSpec) step = chain_spec ("2 dense:8 step dense:1 sigmoid bce",
                                        NW_DATA_XOR_CLOUD, 40, NW_OPT_SGD, 0.5);
  compare_chunked ("fused selu", selu, 400, 40, 1e-3, TRUE);
  compare_chunked ("fused step", step, 400, 40, 1e-3, TRUE);
}

/* Every optimizer the engine has (the fused kernel has its own copy of each rule), on a
 * chain with logits (bce_logits) and a Dense without an activation before another Dense. */
static void
test_fused_optimizers (void)
{
  for (int k = 0; k < NW_N_OPTIMIZERS; k++)
    {
      g_autoptr (NwSpec) spec = chain_spec ("2 dense:8 tanh dense:8 dense:1 bce_logits",
                                            NW_DATA_XOR_CLOUD, 0, (NwOptimizerKind) k,
                                            k == NW_OPT_ADAGRAD ? 0.05 : 0.01);
      g_autofree char *name = g_strdup_printf ("fused %s", nw_optimizer_name ((NwOptimizerKind) k));
      if (k == NW_OPT_RMSPROP)
        spec->train.momentum = 0.5;
      if (k == NW_OPT_ADAMW)
        spec->train.weight_decay = 0.01;
      compare_chunked (name, spec, 200, 50, 1e-3, TRUE);
    }
}

/* What the fused kernel does not take runs per operation, with the same results: dropout,
 * batch and layer normalisation (any node but Dense and activations), and a chain whose step
 * is more work than one work-group should do. */
static void
test_fused_fallback (void)
{
  static const char *const chains[] = {
    "2 dense:8 relu dropout:0.1 dense:1 sigmoid bce",
    "2 dense:8 batchnorm relu dense:1 sigmoid bce",
    "2 dense:8 layernorm tanh dense:1 sigmoid bce",
    "2 dense:512 relu dense:512 relu dense:1 sigmoid bce",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (chains); i++)
    {
      g_autoptr (NwSpec) spec = chain_spec (chains[i], NW_DATA_XOR_CLOUD, 32, NW_OPT_SGD, 0.1);
      g_autofree char *name = g_strdup_printf ("not fused: %s", chains[i]);
      compare_chunked (name, spec, 40, 20, 1e-3, FALSE);
    }
}

/* A snapshot after a chunk probes the buffers of its last step, which ran on its own, and
 * the update ratio of the step after the previous snapshot, which did too: the probes match
 * the CPU's step-by-step run. Margin: 1e-3 relative, as the curves, plus 1e-8 absolute. The
 * absolute part is for the bias-gradient norms, which at this point of the run are sums over
 * the four rows of nearly cancelling terms (2e-5 from terms a hundred times larger), so their
 * relative rounding is a hundred times the loss's: measured 4e-4 relative (1.6e-9 absolute)
 * for the fused run and 1.3e-4 for the per-operation OpenCL run, against the CPU. */
static void
test_fused_snapshot (void)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path ("examples/xor-deep-sigmoid.json");
  g_autoptr (NwSpec) spec = nw_spec_load (path, &error);
  g_autoptr (NwTrainer) c = NULL, d = NULL;
  g_autoptr (NwSnapshot) sc = NULL, sd = NULL;
  double worst = 0;
  NW_ASSERT_NO_ERROR (error);
  c = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  d = nw_trainer_new (spec, NULL, nw_backend_cl_new (NULL, NULL, &error), &error);
  NW_ASSERT_NO_ERROR (error);
  for (int round = 0; round < 3; round++)
    {
      g_clear_pointer (&sc, nw_snapshot_free);
      g_clear_pointer (&sd, nw_snapshot_free);
      for (int i = 0; i < 300; i++)
        nw_trainer_step (c, &error);
      nw_trainer_steps (d, 300, NULL, &error);
      NW_ASSERT_NO_ERROR (error);
      sc = nw_trainer_snapshot (c, FALSE, 16, &error);
      sd = nw_trainer_snapshot (d, FALSE, 16, &error);
      NW_ASSERT_NO_ERROR (error);
    }
  CU_ASSERT_EQUAL (sd->step, 900);
  CU_ASSERT_EQUAL_FATAL (sc->n_layers, sd->n_layers);
  for (int i = 0; i < sc->n_layers; i++)
    {
      const NwLayerProbe *a = &sc->layers[i], *b = &sd->layers[i];
      const double want[] = { a->weight_norm, a->grad_norm, a->bias_grad_norm, a->input_grad_norm,
                              a->update_ratio, a->act_mean, a->act_std };
      const double got[] = { b->weight_norm, b->grad_norm, b->bias_grad_norm, b->input_grad_norm,
                             b->update_ratio, b->act_mean, b->act_std };
      for (gsize k = 0; k < G_N_ELEMENTS (want); k++)
        {
          CU_ASSERT (isnan (want[k]) == isnan (got[k]));
          if (!isnan (want[k]))
            {
              double margin = 1e-8 + 1e-3 * fabs (want[k]), err = fabs (got[k] - want[k]);
              worst = MAX (worst, err / margin);
              if (err > margin)
                g_printerr ("  layer %s, probe %" G_GSIZE_FORMAT ": OpenCL %.9g, CPU %.9g\n",
                            a->id, k, got[k], want[k]);
              CU_ASSERT (err <= margin);
            }
        }
    }
  NW_ASSERT_CLOSE (sd->train_loss, sc->train_loss, 1e-3, 0);
  for (int i = 0; i < 16 * 16; i++)
    NW_ASSERT_CLOSE (sd->grid[i], sc->grid[i], 1e-3, 1e-6);
  g_print ("  probes after 900 steps in chunks of 300: largest error %.2g of the margin\n",
           worst);
}

/* New hyperparameters between chunks, as the desktop program sends them: another optimizer
 * (its state starts afresh, Adam's step count from 1), another batch size (a new plan, the
 * epoch's remaining rows in a fresh order), another learning rate. The CPU takes the same
 * changes at the same steps, one step at a time. */
static void
test_fused_hyper_change (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = chain_spec ("2 dense:12 tanh dense:12 sigmoid dense:1 sigmoid bce",
                                        NW_DATA_XOR_CLOUD, 0, NW_OPT_SGD, 0.5);
  g_autoptr (NwTrainer) c = nw_trainer_new (spec, NULL, NULL, &error);
  g_autoptr (NwTrainer) d = NULL;
  double lc, ld, worst = 0;
  NW_ASSERT_NO_ERROR (error);
  d = nw_trainer_new (spec, NULL, nw_backend_cl_new (NULL, NULL, &error), &error);
  NW_ASSERT_NO_ERROR (error);
  for (int phase = 0; phase < 4; phase++)
    {
      NwTrainSpec hp = nw_trainer_get_spec (c)->train;
      if (phase == 1)
        {
          hp.optimizer = NW_OPT_ADAM;
          hp.lr = 0.01;
          hp.batch_size = 25;
        }
      else if (phase == 2)
        hp.lr = 0.003;
      else if (phase == 3)
        {
          hp.optimizer = NW_OPT_MOMENTUM;
          hp.momentum = 0.9;
          hp.lr = 0.05;
          hp.batch_size = 0;
        }
      nw_trainer_set_hyper (c, &hp);
      nw_trainer_set_hyper (d, &hp);
      for (int i = 0; i < 77; i++)
        nw_trainer_step (c, &error);
      NW_ASSERT_NO_ERROR (error);
      nw_trainer_steps (d, 77, NULL, &error);
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT_EQUAL (nw_trainer_get_epoch (c), nw_trainer_get_epoch (d));
      {
        g_autoptr (NwSnapshot) sc = nw_trainer_snapshot (c, FALSE, 0, &error);
        g_autoptr (NwSnapshot) sd = nw_trainer_snapshot (d, FALSE, 0, &error);
        NW_ASSERT_NO_ERROR (error);
        worst = MAX (worst, fabs (sd->train_loss - sc->train_loss) / sc->train_loss);
        NW_ASSERT_CLOSE (sd->train_loss, sc->train_loss, 1e-3, 0);
      }
    }
  nw_trainer_evaluate (c, TRUE, &lc, NULL, &error);
  nw_trainer_evaluate (d, TRUE, &ld, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  NW_ASSERT_CLOSE (ld, lc, 1e-3, 0);
  g_print ("  four settings, 77 steps each: largest relative difference %.2g (margin 1e-3); "
           "test loss %.6g (CPU) / %.6g (OpenCL)\n", worst, lc, ld);
}

/* GPUs run chain.cl with 256 work-items (its barriers and tree sums doing real work; on
 * PoCL's CPU device it runs with one). The same kernel at that size, on this device, must
 * give the same curves: NwClOptions.chain_wg (NW_CL_CHAIN_WG) sets it for a backend. */
static void
test_fused_wide_group (void)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path ("examples/xor-deep-sigmoid.json");
  g_autoptr (NwSpec) xor = nw_spec_load (path, &error);
  g_autoptr (NwSpec) mini = chain_spec ("2 dense:16 tanh dense:16 relu dense:2 softmax_xent",
                                        NW_DATA_XOR_CLOUD, 48, NW_OPT_ADAM, 0.01);
  const NwClOptions wide = { .chain_wg = "256" };
  NW_ASSERT_NO_ERROR (error);
  compare_chunked_with ("256 work-items, xor-deep-sigmoid", xor, 1000, 100, 1e-3, TRUE, &wide);
  compare_chunked_with ("256 work-items, mini-batch softmax", mini, 300, 30, 1e-3, TRUE, &wide);
}

/* loss_below on the fused path: the launch stops before the step whose loss falls below the
 * value, which then runs on its own, so nw_trainer_steps_until stops right after the same step
 * as stepping one by one on the same device (the deep net's loss falls by ~0.005 a step
 * there, far more than the paths' rounding), and a floor met by a launch's very first step
 * (a launch of none) still stops after one step. */
static void
fused_loss_below_with (const NwClOptions *cl_options)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path ("examples/xor-deep-sigmoid.json");
  g_autoptr (NwSpec) spec = nw_spec_load (path, &error);
  g_autoptr (NwTrainer) one = NULL, fused = NULL;
  gint64 ref = -1;
  gboolean below = FALSE;
  int done = 0;
  NW_ASSERT_NO_ERROR (error);
  one = nw_trainer_new (spec, NULL, nw_backend_cl_new (NULL, cl_options, &error), &error);
  NW_ASSERT_NO_ERROR (error);
  fused = nw_trainer_new (spec, NULL, nw_backend_cl_new (NULL, cl_options, &error), &error);
  NW_ASSERT_NO_ERROR (error);
  while (nw_trainer_get_step (one) < 20000 && ref < 0)
    {
      CU_ASSERT_FATAL (nw_trainer_step (one, &error));
      if (nw_trainer_get_last_loss (one) < 0.5)
        ref = nw_trainer_get_step (one);
    }
  CU_ASSERT_FATAL (ref > 100);
  /* Chunks of 3000 steps, as a runner at full speed asks for them. */
  while (!below && nw_trainer_get_step (fused) < 20000)
    CU_ASSERT_FATAL (nw_trainer_steps_until (fused, 3000, 0.5, &done, &below, &error));
  NW_ASSERT_NO_ERROR (error);
  g_print ("  loss below 0.5 (work-group %s): after step %" G_GINT64_FORMAT " one by one, %"
           G_GINT64_FORMAT " fused (loss %.4f)\n",
           cl_options != NULL && cl_options->chain_wg != NULL ? cl_options->chain_wg : "default",
           ref, nw_trainer_get_step (fused),
           nw_trainer_get_last_loss (fused));
  CU_ASSERT (below);
  CU_ASSERT_EQUAL (nw_trainer_get_step (fused), ref);
  CU_ASSERT (nw_trainer_get_last_loss (fused) < 0.5);
  /* A floor above every loss: the launch's first step is below it, so none runs fused, the
   * step runs alone, and the call stops after it. */
  CU_ASSERT (nw_trainer_steps_until (fused, 3000, 10.0, &done, &below, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (below);
  CU_ASSERT_EQUAL (done, 1);
}

/* The device's own work-group, and 256 work-items (a GPU's: the break before the backward
 * pass must be taken by all of them together). */
static void
test_fused_loss_below (void)
{
  const NwClOptions wide = { .chain_wg = "256" };
  fused_loss_below_with (NULL);
  fused_loss_below_with (&wide);
}

/* A device that caps train_chain below the work-group it was built for (CL_KERNEL_WORK_GROUP_SIZE
 * under FWG, as a GPU may for a kernel's registers) gets no plan: the run goes per operation,
 * as correct as ever, instead of failing its first launch. PoCL allows the kernel 256
 * work-items, so the cap is simulated (NwClOptions.simulate_chain_wg, read with the kernel). */
static void
test_fused_kernel_cap (void)
{
  g_autoptr (NwSpec) mini = chain_spec ("2 dense:16 tanh dense:16 relu dense:2 softmax_xent",
                                        NW_DATA_XOR_CLOUD, 48, NW_OPT_ADAM, 0.01);
  NwClOptions capped = { .chain_wg = "256", .simulate_chain_wg = 128 };
  compare_chunked_with ("train_chain capped at 128 of 256 work-items", mini, 300, 30, 1e-3, FALSE,
                        &capped);
  capped.simulate_chain_wg = 256;
  compare_chunked_with ("train_chain capped at 256 of 256 work-items", mini, 300, 30, 1e-3, TRUE,
                        &capped);
}

/* Divergence inside a fused launch is reported with the step-by-step run's message and step,
 * and the run stops there (the kernel stops after the step that diverged). */
static void
check_divergence_like_cpu (const char *json, double lr, int chunk)
{
  GError *error = NULL, *want = NULL;
  g_autoptr (NwSpec) spec = nw_spec_from_json (json, -1, &error);
  g_autoptr (NwTrainer) c = NULL, d = NULL;
  int done = 0;
  NW_ASSERT_NO_ERROR (error);
  spec->train.lr = lr;
  c = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  for (int i = 0; i < 100 && want == NULL; i++)
    nw_trainer_step (c, &want);
  CU_ASSERT_PTR_NOT_NULL_FATAL (want);
  d = nw_trainer_new (spec, NULL, nw_backend_cl_new (NULL, NULL, &error), &error);
  NW_ASSERT_NO_ERROR (error);
  while (error == NULL && nw_trainer_get_step (d) < 100)
    nw_trainer_steps (d, chunk, &done, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (error);
  g_print ("  lr %g, chunks of %d: %s\n", lr, chunk, error->message);
  CU_ASSERT (g_error_matches (error, NW_ERROR, NW_ERROR_DIVERGED));
  CU_ASSERT_STRING_EQUAL (error->message, want->message);
  CU_ASSERT_EQUAL (nw_trainer_get_step (d), nw_trainer_get_step (c));
  g_error_free (error);
  g_error_free (want);
}

static const char linear_json[] =
  "{\"format\": \"neurowire-spec\", \"version\": 1, \"nodes\": ["
  "{\"id\": \"input\", \"type\": \"input\"},"
  "{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 8, \"weight_init\": \"%s\", "
  "\"weight_init_param\": %s},"
  "{\"id\": \"fc2\", \"type\": \"dense\", \"units\": 1},"
  "{\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"mse\"}],"
  "\"data\": {\"kind\": \"xor\"},"
  "\"training\": {\"optimizer\": \"sgd\", \"lr\": 0.1, \"batch_size\": 0, \"seed\": 1}}";

static void
test_fused_divergence (void)
{
  /* A linear net at lr 0.6: the loss grows a thousandfold by step 7 ("exploded"). */
  g_autofree char *explode = g_strdup_printf (linear_json, "torch_default", "0");
  /* Weights of 3e7: a loss of 5e15 at step 1, infinite at step 2 ("became infinite"). */
  g_autofree char *overflow = g_strdup_printf (linear_json, "constant", "3e7");
  check_divergence_like_cpu (explode, 0.6, 100);   /* step 7 inside the first launch */
  check_divergence_like_cpu (explode, 0.6, 4);     /* ... inside the second chunk's */
  check_divergence_like_cpu (overflow, 0.1, 100);  /* step 2, the first fused one */
}

/* The fused path's buffers (the plan's layer table and Adam constants, the trainer's
 * per-step metrics) are released: a plan made and freed through the backend table leaves
 * the count where it was, and a trainer that changes its batch size (a new plan) holds no
 * more buffers than before. */
static void
test_fused_buffers (void)
{
  GError *error = NULL;
  NwChainLayer layers[2] = {
    { .in = 2, .out = 4, .w_off = 0, .bias = TRUE, .b_off = 12, .act = NW_ACT_TANH },
    { .in = 4, .out = 1, .w_off = 8, .bias = TRUE, .b_off = 16, .act = NW_ACT_SIGMOID },
  };
  NwChainDesc desc = { 2, layers, NW_LOSS_BCE, 2, 1, 17, 12, 8 };
  int before = dev->n_buffers;
  NwChainPlan *plan = dev->ops->chain_plan_new (dev, &desc);
  g_autoptr (NwSpec) spec = chain_spec ("2 dense:8 tanh dense:1 sigmoid bce", NW_DATA_XOR_CLOUD,
                                        32, NW_OPT_ADAM, 0.01);
  g_autoptr (NwTrainer) t = NULL;
  NwBackend *b;
  NwTrainSpec hp;
  int held;

  CU_ASSERT_PTR_NOT_NULL (plan);
  CU_ASSERT (dev->n_buffers > before);
  dev->ops->chain_plan_free (dev, plan);
  CU_ASSERT_EQUAL (dev->n_buffers, before);
  /* A chain too large for the kernel gets no plan, and no buffer. */
  layers[0].out = layers[1].in = 100000;
  layers[1].w_off = 200000;
  layers[0].b_off = desc.n_weights = 300000;
  layers[1].b_off = 400000;
  desc.n_params = 400001;
  CU_ASSERT_PTR_NULL (dev->ops->chain_plan_new (dev, &desc));
  CU_ASSERT_EQUAL (dev->n_buffers, before);
  assert_no_errors ();

  t = nw_trainer_new (spec, NULL, nw_backend_cl_new (NULL, NULL, &error), &error);
  NW_ASSERT_NO_ERROR (error);
  b = nw_net_get_backend (nw_trainer_get_net (t));
  nw_trainer_steps (t, 50, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  held = b->n_buffers;
  hp = nw_trainer_get_spec (t)->train;
  hp.batch_size = 20;
  nw_trainer_set_hyper (t, &hp);
  nw_trainer_steps (t, 50, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (b->n_buffers, held);
}

/* The runner (the desktop program's trainer thread) on the fused path: it trains in chunks
 * of about 2 ms, so snapshots keep coming while it plays, a pause takes effect within a few
 * ms, and Step still advances exactly one step. */
static NwSnapshot *
take_within (NwRunner *r, int ms, gboolean want_playing, gint64 min_step, NwRunnerStatus *st)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      NwSnapshot *snap = NULL;
      if (nw_runner_take (r, &snap, st))
        {
          if (snap != NULL && st->playing == want_playing && snap->step >= min_step)
            return snap;
          nw_snapshot_free (snap);
          nw_runner_status_clear (st);
        }
      g_usleep (1000);
    }
  return NULL;
}

static void
test_fused_runner (void)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path ("examples/xor-deep-sigmoid.json");
  g_autoptr (NwSpec) spec = nw_spec_load (path, &error);
  const NwRunnerOptions options = { .publish_ms = 20, .grid_n = 16 };
  NwTrainer *t;
  NwRunner *r;
  NwSnapshot *snap;
  NwRunnerStatus st = { 0 };
  gint64 t0, paused_at;
  int snapshots = 0;
  double pause_ms;

  NW_ASSERT_NO_ERROR (error);
  t = nw_trainer_new (spec, NULL, nw_backend_cl_new (NULL, NULL, &error), &error);
  NW_ASSERT_NO_ERROR (error);
  r = nw_runner_new (t, &options);
  nw_runner_play (r);
  snap = take_within (r, 10000, TRUE, 20000, &st);
  CU_ASSERT_PTR_NOT_NULL_FATAL (snap);
  nw_snapshot_free (snap);
  nw_runner_status_clear (&st);
  /* Half a second of play: snapshots at about the requested rate. */
  t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < 500000)
    if ((snap = take_within (r, 100, TRUE, 0, &st)) != NULL)
      {
        snapshots++;
        CU_ASSERT (isfinite (snap->train_loss) && snap->n_layers == 10 && snap->grid_n == 16);
        nw_snapshot_free (snap);
        nw_runner_status_clear (&st);
      }
  t0 = g_get_monotonic_time ();
  nw_runner_pause (r);
  snap = take_within (r, 2000, FALSE, 0, &st);
  pause_ms = (g_get_monotonic_time () - t0) / 1e3;
  CU_ASSERT_PTR_NOT_NULL_FATAL (snap);
  g_print ("  %d snapshots in 0.5 s of play (one per 20 ms asked), %.0f steps/s; paused "
           "within %.1f ms, at step %" G_GINT64_FORMAT "\n", snapshots, st.steps_per_s,
           pause_ms, snap->step);
  CU_ASSERT (snapshots >= 5);
  CU_ASSERT (pause_ms < 200);
  CU_ASSERT_PTR_NULL (st.error);
  paused_at = snap->step;
  nw_snapshot_free (snap);
  nw_runner_status_clear (&st);
  nw_runner_step (r);
  snap = take_within (r, 2000, FALSE, paused_at + 1, &st);
  CU_ASSERT_PTR_NOT_NULL_FATAL (snap);
  CU_ASSERT_EQUAL (snap->step, paused_at + 1);
  nw_snapshot_free (snap);
  nw_runner_status_clear (&st);

  /* Pause conditions on the fused path: a step count exactly (the chunk's steps, and so the
   * launches in it, are cut there), then the step whose loss falls below 0.5. */
  {
    NwPauseWhen when = NW_PAUSE_WHEN_NONE;
    nw_runner_reset (r, spec->train.seed);
    when.at_step = 1000;
    nw_runner_pause_when (r, &when);
    nw_runner_play (r);
    snap = take_within (r, 10000, FALSE, 1, &st);
    CU_ASSERT_PTR_NOT_NULL_FATAL (snap);
    CU_ASSERT_EQUAL (snap->step, 1000);
    CU_ASSERT_EQUAL (st.paused_by, NW_PAUSE_AT_STEP);
    nw_snapshot_free (snap);
    nw_runner_status_clear (&st);
    when = NW_PAUSE_WHEN_NONE;
    when.loss_below = 0.5;
    nw_runner_pause_when (r, &when);
    nw_runner_play (r);
    snap = take_within (r, 10000, FALSE, 1001, &st);
    CU_ASSERT_PTR_NOT_NULL_FATAL (snap);
    g_print ("  paused at step 1000 exactly, then at step %" G_GINT64_FORMAT " for loss below 0.5\n",
             snap->step);
    CU_ASSERT_EQUAL (st.paused_by, NW_PAUSE_LOSS_BELOW);
    nw_snapshot_free (snap);
    nw_runner_status_clear (&st);
  }
  nw_runner_free (r);
}

/* ---- bad cases ---- */

static void
test_broken_kernel (void)
{
  GError *error = NULL;
  const NwClDeviceInfo *d = nw_backend_cl_get_device (dev);
  /* Line 4 of the file has the error; the prepended #defines must not shift it. */
  const char *source = "__kernel void\n"
                       "broken (__global float *x)\n"
                       "{\n"
                       "  x[0] = undeclared_thing + WIDTH;\n"
                       "}\n";
  cl_program p = nw_cl_build_program (nw_backend_cl_get_context (dev), d, "broken.cl", source,
                                      "#define WIDTH 4\n#define OTHER 5\n", NULL, TRUE, &error);
  CU_ASSERT_PTR_NULL (p);
  CU_ASSERT_PTR_NOT_NULL_FATAL (error);
  g_print ("  the error reads: %s\n", error->message);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "broken.cl", "broken.cl:4:", "undeclared_thing",
                   "CL_BUILD_PROGRAM_FAILURE");
  /* The same source without the fault builds (and then is released). */
  p = nw_cl_build_program (nw_backend_cl_get_context (dev), d, "fixed.cl",
                           "__kernel void fixed (__global float *x) { x[0] = WIDTH; }\n",
                           "#define WIDTH 4\n", NULL, TRUE, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (NW_CL_CHECK (clReleaseProgram (p), NULL));
}

static void
test_embedded_sources (void)
{
  GError *error = NULL;
  g_autoptr (GBytes) gemm = nw_cl_kernel_source ("gemm.cl", &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (strstr (g_bytes_get_data (gemm, NULL), "gemm_nn") != NULL);
  CU_ASSERT_PTR_NULL (nw_cl_kernel_source ("nope.cl", &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "nope.cl");
}

static void
test_too_large_buffer (void)
{
  GError *error = NULL;
  const NwClDeviceInfo *d = nw_backend_cl_get_device (dev);
  NwBuffer *b = dev->ops->buffer_new (dev, d->max_alloc + 1);
  float v = 3, back = 0;
  int before = dev->n_buffers;
  CU_ASSERT_PTR_NULL (b);
  CU_ASSERT (nw_backend_failed (dev));
  /* Sticky: later operations do nothing until the error is taken. */
  CU_ASSERT_PTR_NULL (nw_backend_alloc (dev, 4));
  CU_ASSERT_FALSE (nw_backend_take_error (dev, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_NO_MEMORY, "CL_DEVICE_MAX_MEM_ALLOC_SIZE", d->name);
  CU_ASSERT_EQUAL (dev->n_buffers, before);
  /* Usable again. */
  b = nw_backend_alloc (dev, 4);
  nw_backend_upload (dev, b, 1, &v, 1);
  nw_backend_download (dev, b, 1, &back, 1);
  CU_ASSERT_EQUAL (back, 3);
  /* A read outside the buffer is an error too, and taken the same way. */
  nw_backend_download (dev, b, 3, &back, 2);
  CU_ASSERT_FALSE (nw_backend_take_error (dev, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "outside the buffer");
  nw_backend_release (dev, &b);
  assert_no_errors ();
}

static void
test_unknown_device (void)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) list = nw_cl_list_devices (&error);
  const NwClDeviceInfo *first;
  NwClDeviceInfo *picked;
  g_autofree char *part = NULL;

  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (list->len > 0);
  first = list->pdata[0];
  CU_ASSERT_PTR_NULL (nw_backend_cl_new ("no-such-device-xyz", NULL, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "no-such-device-xyz", "0: ", first->name);
  CU_ASSERT_PTR_NULL (nw_cl_pick_device ("99", NULL, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "\"99\"", first->name);

  /* By index, and by a piece of the name in another case. */
  picked = nw_cl_pick_device ("0", NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_STRING_EQUAL (picked->name, first->name);
  nw_cl_device_info_free (picked);
  part = g_ascii_strup (first->name + strlen (first->name) / 3, 5);
  picked = nw_cl_pick_device (part, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL (picked);
  nw_cl_device_info_free (picked);
}

/* The device a program's options name is what every backend and device table takes, and
 * nothing below app/ reads the environment: NW_CL_DEVICE naming a device that does not exist
 * changes nothing here, while the same request in NwClOptions is honoured, and a failure names
 * it and where it came from. */
static void
test_device_options (void)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) list = nw_cl_list_devices (&error);
  g_autofree char *last_index = NULL;
  NwClOptions options = { .device = "no-such-device-xyz", .device_origin = "NW_CL_DEVICE" };
  const NwClDeviceInfo *last;
  NwDevices *devices;
  NwBackend *b;

  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (list->len > 0);
  last = list->pdata[list->len - 1];

  g_setenv ("NW_CL_DEVICE", "no-such-device-xyz", TRUE);
  b = nw_backend_cl_new (NULL, NULL, &error);
  g_unsetenv ("NW_CL_DEVICE");
  NW_ASSERT_NO_ERROR (error);
  nw_backend_free (b);

  CU_ASSERT_PTR_NULL (nw_backend_cl_new (NULL, &options, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "\"no-such-device-xyz\" (NW_CL_DEVICE)");
  /* A device table keeps its own copy of the options (the caller's may go). */
  devices = nw_cl_devices_new_full (&options);
  options.device = NULL;
  CU_ASSERT_PTR_NULL (nw_devices_open (devices, NULL, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "no-such-device-xyz");
  /* A device the call names wins over the options' default. */
  b = nw_devices_open (devices, "0", &error);
  NW_ASSERT_NO_ERROR (error);
  nw_backend_free (b);
  nw_devices_unref (devices);

  /* By index: the last device, which is the default only when there is one. */
  last_index = g_strdup_printf ("%u", list->len - 1);
  options.device = last_index;
  options.device_origin = NULL;
  b = nw_backend_cl_new (NULL, &options, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_STRING_EQUAL (nw_backend_cl_get_device (b)->name, last->name);
  nw_backend_free (b);
}

/* Malformed tuning options are errors naming the value and the variable they come from. */
static void
test_tuning_options (void)
{
  GError *error = NULL;
  NwClOptions bad_gemm = { .gemm_tuning = "3,8,2,4,512" };
  NwClOptions bad_chain = { .chain_wg = "100" };
  CU_ASSERT_PTR_NULL (nw_backend_cl_new (NULL, &bad_gemm, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "\"3,8,2,4,512\"", "NW_CL_GEMM_TUNING");
  CU_ASSERT_PTR_NULL (nw_backend_cl_new (NULL, &bad_chain, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "\"100\"", "NW_CL_CHAIN_WG");
}

static void
test_device_list (void)
{
  GError *error = NULL;
  g_auto (GStrv) skipped = NULL;
  g_autoptr (GPtrArray) list = nw_cl_list_devices_full (&skipped, &error);
  NW_ASSERT_NO_ERROR (error);
  for (guint i = 0; i < list->len; i++)
    {
      const NwClDeviceInfo *d = list->pdata[i];
      g_print ("  %d: %s (%s): %s [score %.4g]\n", d->index, d->name, d->platform, d->why, d->score);
      CU_ASSERT_EQUAL (d->index, (int) i);
      CU_ASSERT (d->compute_units > 0 && d->max_alloc > 0 && d->why != NULL);
      if (i > 0)
        CU_ASSERT (d->score <= ((NwClDeviceInfo *) list->pdata[i - 1])->score);
    }
  for (int i = 0; skipped[i] != NULL; i++)
    g_print ("  skipped: %s\n", skipped[i]);
  CU_ASSERT (g_str_has_prefix (dev->description, "OpenCL: "));
}

/* Stands in for an OpenCL call that fails, to see what the check makes of it. */
static cl_int
clFakeFinish (cl_command_queue queue)
{
  return CL_OUT_OF_RESOURCES;
}

static void
test_status_names (void)
{
  GError *error = NULL;
  cl_mem mem = NULL;
  cl_int st = CL_SUCCESS;
  CU_ASSERT_STRING_EQUAL (nw_cl_status_name (CL_SUCCESS), "CL_SUCCESS");
  CU_ASSERT_STRING_EQUAL (nw_cl_status_name (CL_INVALID_KERNEL_ARGS), "CL_INVALID_KERNEL_ARGS");
  CU_ASSERT_STRING_EQUAL (nw_cl_status_name (-1001), "CL_PLATFORM_NOT_FOUND_KHR");
  CU_ASSERT_STRING_EQUAL (nw_cl_status_name (-12345), "an unknown OpenCL status");
  /* Every OpenCL 1.2 code has its name: 0 to -19 and -30 to -68. */
  for (int code = -68; code <= 0; code++)
    if (code <= -30 || code >= -19)
      CU_ASSERT (g_str_has_prefix (nw_cl_status_name (code), "CL_"));
  CU_ASSERT (NW_CL_CHECK (CL_SUCCESS, &error));
  CU_ASSERT_FALSE (NW_CL_CHECK (clFakeFinish (NULL), &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "clFakeFinish failed",
                   "CL_OUT_OF_RESOURCES (-5)", "tests/test-cl.c:");
  /* The form for calls that return an object names the call too; a refused allocation is
   * NW_ERROR_NO_MEMORY. */
  CU_ASSERT_FALSE (NW_CL_CHECK ((mem = clCreateBuffer (nw_backend_cl_get_context (dev), CL_MEM_READ_WRITE,
                                                       0, NULL, &st), st), &error));
  CU_ASSERT_PTR_NULL (mem);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_BACKEND, "clCreateBuffer failed", "CL_INVALID_BUFFER_SIZE");
  CU_ASSERT_FALSE (NW_CL_CHECK (CL_MEM_OBJECT_ALLOCATION_FAILURE, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_NO_MEMORY, "CL_MEM_OBJECT_ALLOCATION_FAILURE");
}

/* Buffers are released on every path: a training loop on a net of the OpenCL backend, then
 * the net freed, leaves none; a trainer (which owns its backend) frees everything too (the
 * sanitizer build checks that). */
static void
test_no_buffers_left (void)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path ("examples/xor-deep-sigmoid.json");
  g_autoptr (NwSpec) spec = nw_spec_load (path, &error);
  NwBackend *b = nw_backend_cl_new (NULL, NULL, &error);
  NwTrainer *t;
  NwNet *net;
  NW_ASSERT_NO_ERROR (error);
  net = nw_net_new (spec, 2, 1, 0, b, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_net_reserve (net, 4, &error);
  for (int i = 0; i < 20; i++)
    {
      nw_net_forward (net, 4, TRUE, TRUE);
      nw_net_backward (net);
      nw_net_update (net, &spec->train);
    }
  CU_ASSERT (b->n_buffers > 0);
  nw_net_free (net);
  CU_ASSERT_EQUAL (b->n_buffers, 0);
  CU_ASSERT (nw_backend_take_error (b, &error));
  t = nw_trainer_new (spec, NULL, b, &error);
  NW_ASSERT_NO_ERROR (error);
  for (int i = 0; i < 20; i++)
    nw_trainer_step (t, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_trainer_free (t);
}

/* ---- the suite ---- */

static const NwTestCase memory_cases[] = {
  { "fill_copy_add", test_fill_copy_add },
  { "buffers_start_zeroed", test_buffers_start_zeroed },
  { "copy_cols", test_copy_cols },
  { "gather_rows", test_gather_rows },
  { NULL, NULL },
};

static const NwTestCase compute_cases[] = {
  { "gemm_auto", test_gemm_auto },
  { "gemm_tiled", test_gemm_tiled },
  { "gemm_small", test_gemm_small },
  { "gemm_app_shapes", test_gemm_app_shapes },
  { "bias_act", test_bias_act },
  { "act_backward", test_act_backward },
  { "bias_grad", test_bias_grad },
  { "loss", test_loss },
  { "dropout_masks_equal_cpu", test_dropout_masks_equal_cpu },
  { "norm", test_norm },
  { "update", test_update },
  { "update_flush", test_update_flush },
  { "sumsq", test_sumsq },
  { "act_stats", test_act_stats },
  { NULL, NULL },
};

static const NwTestCase run_cases[] = {
  { "xor_deep_sigmoid", test_run_xor },
  { "mnist_mlp", test_run_mnist },
  { "every_node_kind", test_run_graph },
  { "launches_per_step", test_launches_per_step },
  { NULL, NULL },
};

static const NwTestCase fused_cases[] = {
  { "xor_deep_sigmoid", test_fused_xor },
  { "minibatch_epochs", test_fused_minibatch },
  { "mse", test_fused_mse },
  { "softmax_xent", test_fused_softmax_xent },
  { "selu_step", test_fused_selu_step },
  { "optimizers", test_fused_optimizers },
  { "fallback", test_fused_fallback },
  { "hyper_change", test_fused_hyper_change },
  { "wide_work_group", test_fused_wide_group },
  { "fused_loss_below", test_fused_loss_below },
  { "kernel_work_group_cap", test_fused_kernel_cap },
  { "snapshot_probes", test_fused_snapshot },
  { "divergence", test_fused_divergence },
  { "buffers", test_fused_buffers },
  { "runner", test_fused_runner },
  { NULL, NULL },
};

/* NVIDIA's compiler ignores #line in its messages and calls the source "<kernel>", counting
 * the prepended lines (seen on an H100: "<kernel>:7:10: error: ..." for line 4 of broken.cl
 * behind three prepended lines). The log is rewritten to the file's own lines; references
 * into the prepended lines, and logs that already name the file, stay as they are. */
static void
test_log_lines (void)
{
  g_autofree char *nvidia = nw_cl_log_in_file_lines (
    "<kernel>:7:10: error: use of undeclared identifier 'undeclared_thing'\n"
    "  x[0] = undeclared_thing + WIDTH;\n"
    "         ^\n"
    "<kernel>:2:9: note: macro defined here\n"
    "warning in <kernel>:9: not at a line's start\n"
    "<source>:12:1: error: expected '}'",
    "broken.cl", 3);
  g_autofree char *pocl = nw_cl_log_in_file_lines (
    "broken.cl:4:10: error: use of undeclared identifier 'undeclared_thing'", "broken.cl", 3);

  CU_ASSERT_STRING_EQUAL (nvidia,
                          "broken.cl:4:10: error: use of undeclared identifier 'undeclared_thing'\n"
                          "  x[0] = undeclared_thing + WIDTH;\n"
                          "         ^\n"
                          "<kernel>:2:9: note: macro defined here\n"
                          "warning in <kernel>:9: not at a line's start\n"
                          "broken.cl:9:1: error: expected '}'");
  CU_ASSERT_STRING_EQUAL (pocl,
                          "broken.cl:4:10: error: use of undeclared identifier 'undeclared_thing'");
}

/* ---- lessons on OpenCL ------------------------------------------------------------------ */

static NwLesson *
lesson_fixture (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("tests/lessons/%s", name);
  g_autofree char *path = nw_test_source_path (rel);
  GError *error = NULL;
  NwLesson *l = nw_lesson_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (l);
  return l;
}

/* Weights typed in by hand go into the device's parameter buffer: they read back exactly and
 * give the CPU's outputs. */
static void
test_lesson_typed_weights (void)
{
  g_autoptr (NwLesson) l = lesson_fixture ("hand-weights.json");
  const float w1[] = { 5, 5, -7, -7 }, b1[] = { -8, 3 }, w2[] = { -11, -11 }, b2[] = { 6 };
  GError *error = NULL;
  g_autoptr (NwTrainer) c = nw_trainer_new (l->spec, NULL, NULL, &error);
  g_autoptr (NwTrainer) d = nw_trainer_new (l->spec, NULL, nw_backend_cl_new (NULL, NULL, &error), &error);
  NwTrainer *both[] = { c, d };
  float out[2][4];
  g_autofree float *pc = NULL, *pd = NULL;
  NwDataset *data;

  NW_ASSERT_NO_ERROR (error);
  for (int k = 0; k < 2; k++)
    {
      CU_ASSERT_TRUE (nw_trainer_set_node_param (both[k], "fc1", "weight", w1, 2, 2, &error));
      CU_ASSERT_TRUE (nw_trainer_set_node_param (both[k], "fc1", "bias", b1, 2, 1, &error));
      CU_ASSERT_TRUE (nw_trainer_set_node_param (both[k], "fc2", "weight", w2, 1, 2, &error));
      CU_ASSERT_TRUE (nw_trainer_set_node_param (both[k], "fc2", "bias", b2, 1, 1, &error));
      NW_ASSERT_NO_ERROR (error);
      data = nw_trainer_get_data (both[k]);
      CU_ASSERT_TRUE (nw_trainer_predict (both[k], data->train.x, 4, out[k], &error));
      NW_ASSERT_NO_ERROR (error);
    }
  pc = g_new (float, nw_net_n_params (nw_trainer_get_net (c)));
  pd = g_new (float, nw_net_n_params (nw_trainer_get_net (d)));
  nw_net_get_params (nw_trainer_get_net (c), pc);
  nw_net_get_params (nw_trainer_get_net (d), pd);
  CU_ASSERT_EQUAL (memcmp (pc, pd, sizeof (float) * nw_net_n_params (nw_trainer_get_net (c))), 0);
  for (int i = 0; i < 4; i++)
    NW_ASSERT_CLOSE (out[1][i], out[0][i], 1e-5, 1e-7);
  /* A wrong shape is refused on the device too, naming both shapes. */
  CU_ASSERT_FALSE (nw_trainer_set_node_param (d, "fc2", "weight", w1, 2, 2, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "'fc2'", "[1, 2]", "[2, 2]", NULL);
}

static NwBackend *
make_cl (gpointer user_data, char **why, GError **error)
{
  return nw_backend_cl_new (NULL, NULL, error);
}

/* The checker on OpenCL: every run there from the start, figures as the CPU's within float
 * rounding; and a `device` step moves a CPU run there and back. */
static void
test_lesson_check_on_cl (void)
{
  g_autoptr (NwLesson) perceptron = lesson_fixture ("perceptron.json");
  g_autoptr (NwLesson) all = lesson_fixture ("all-fields.json");
  NwLessonCheckOptions cl_opts = { 0 };
  g_autoptr (GPtrArray) rc = NULL, rd = NULL, moved = NULL;
  GError *error = NULL;

  cl_opts.opencl = make_cl;
  cl_opts.start_on_opencl = TRUE;
  CU_ASSERT_TRUE (nw_lesson_check (perceptron, NULL, &rc, &error));
  CU_ASSERT_TRUE (nw_lesson_check (perceptron, &cl_opts, &rd, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL_FATAL (rc->len, rd->len);
  for (guint i = 0; i < rc->len; i++)
    {
      const NwLessonCheckResult *a = g_ptr_array_index (rc, i), *b = g_ptr_array_index (rd, i);
      CU_ASSERT_EQUAL (b->status, NW_LESSON_RESULT_PASS);
      NW_ASSERT_CLOSE (b->figure, a->figure, 1e-3, 1e-5);
    }

  cl_opts.start_on_opencl = FALSE;
  CU_ASSERT_TRUE (nw_lesson_check (all, &cl_opts, &moved, &error));
  NW_ASSERT_NO_ERROR (error);
  for (guint i = 0; i < moved->len; i++)
    {
      const NwLessonCheckResult *r = g_ptr_array_index (moved, i);
      CU_ASSERT (r->status != NW_LESSON_RESULT_SKIPPED && r->status != NW_LESSON_RESULT_FAIL);
      if (r->status == NW_LESSON_RESULT_SKIPPED || r->status == NW_LESSON_RESULT_FAIL)
        g_printerr ("  %s: %s\n", r->check->label.en, r->reason != NULL ? r->reason : "");
    }
}

static const NwTestCase lesson_cases[] = {
  { "typed_weights", test_lesson_typed_weights },
  { "check_on_cl", test_lesson_check_on_cl },
  { NULL, NULL },
};

static const NwTestCase bad_cases[] = {
  { "broken_kernel", test_broken_kernel },
  { "log_lines", test_log_lines },
  { "embedded_sources", test_embedded_sources },
  { "too_large_buffer", test_too_large_buffer },
  { "unknown_device", test_unknown_device },
  { "device_list", test_device_list },
  { "device_options", test_device_options },
  { "tuning_options", test_tuning_options },
  { "status_names", test_status_names },
  { "no_buffers_left", test_no_buffers_left },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "cl-memory", memory_cases },
  { "cl-compute", compute_cases },
  { "cl-runs", run_cases },
  { "cl-fused", fused_cases },
  { "cl-errors", bad_cases },
  { "cl-lessons", lesson_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  int status;

  /* nw_test_main may re-execute the program (OpenBLAS kernel choice): do it before the
   * backends are made, not after. */
  nw_blas_reexec_if_needed (argv);
  devices = nw_cl_list_devices (&error);
  if (devices == NULL || devices->len == 0)
    {
      g_print ("no usable OpenCL device (%s): skipped\n",
               error != NULL ? error->message : "no platform or device found");
      g_clear_error (&error);
      return 77;
    }
  dev = nw_backend_cl_new (NULL, NULL, &error);
  if (dev == NULL)
    {
      g_printerr ("the OpenCL backend failed to start: %s\n", error->message);
      g_error_free (error);
      return 1;
    }
  g_print ("testing %s against the CPU backend\n", dev->description);
  cpu = nw_backend_cpu_new ();
  nw_rng_init (&rng, 20240607);
  status = nw_test_main (argc, argv, suites);
  if (cpu->n_buffers != 0 || dev->n_buffers != 0)
    {
      g_printerr ("buffers left: %d on the CPU, %d on the device\n", cpu->n_buffers, dev->n_buffers);
      status = 1;
    }
  nw_backend_free (cpu);
  nw_backend_free (dev);
  return status;
}
