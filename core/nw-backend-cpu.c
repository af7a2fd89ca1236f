/* nw-backend-cpu.c: the CPU backend, the reference every other backend is checked against.
 *
 * Written for clarity first: plain loops, reductions in double, matrix products through CBLAS
 * (OpenBLAS) because that is where nearly all the time goes. */
#include "nw-backend.h"
#include "nw-i18n.h"
#include "nw-blas.h"
#include "nw-rng.h"
#include "layers/act-math.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef NW_REAL_DOUBLE
#define GEMM cblas_dgemm
#define GEMV cblas_dgemv
#define R_EXP exp
#define R_SQRT sqrt
#define R_FABS fabs
#define R_TINY DBL_MIN
#else
#define GEMM cblas_sgemm
#define GEMV cblas_sgemv
#define R_EXP expf
#define R_SQRT sqrtf
#define R_FABS fabsf
#define R_TINY FLT_MIN
#endif

typedef struct {
  gsize  bytes;
  void  *data;
} CpuBuffer;

typedef struct {
  NwBackend parent;
  double   *scratch;       /* per-column sums for BatchNorm */
  gsize     scratch_n;
} CpuBackend;

/* Element pointer of a buffer at an offset (in elements of type T). */
#define AT(T, buf, off) (((T *) ((CpuBuffer *) (buf))->data) + (off))
#define R(buf, off) AT (nw_real, buf, off)
#define FAILED(self) nw_backend_failed (self)

/* Hot elementwise loops get AVX-512, AVX2 and baseline clones, picked at load time. */
/* Not under ThreadSanitizer: the clones' ifunc resolvers run during relocation, before the
 * TSan runtime is up, and crash. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define NW_HOT __attribute__ ((target_clones ("avx512f", "avx2", "default")))
#else
#define NW_HOT
#endif

static double *
scratch (NwBackend *self, gsize n)
{
  CpuBackend *cpu = (CpuBackend *) self;
  if (cpu->scratch_n < n)
    {
      g_free (cpu->scratch);
      cpu->scratch = g_new (double, n);
      cpu->scratch_n = n;
    }
  memset (cpu->scratch, 0, n * sizeof (double));
  return cpu->scratch;
}

static void
cpu_destroy (NwBackend *self)
{
  CpuBackend *cpu = (CpuBackend *) self;
  g_free (cpu->scratch);
  g_free (cpu);
}

static NwBuffer *
cpu_buffer_new (NwBackend *self, gsize bytes)
{
  CpuBuffer *buf;
  if (FAILED (self))
    return NULL;
  buf = g_new (CpuBuffer, 1);
  buf->bytes = bytes;
  /* 64-byte alignment: whole cache lines, and full AVX-512 vectors for OpenBLAS. A refused
   * allocation is an error the caller sees, not an abort. */
  if (posix_memalign (&buf->data, 64, MAX (bytes, 64)) != 0)
    {
      g_free (buf);
      nw_backend_set_error (self, g_error_new (NW_ERROR, NW_ERROR_NO_MEMORY,
                                               _("CPU: cannot allocate %zu bytes"), bytes));
      return NULL;
    }
  memset (buf->data, 0, bytes);
  self->n_buffers++;
  return (NwBuffer *) buf;
}

static void
cpu_buffer_free (NwBackend *self, NwBuffer *buffer)
{
  CpuBuffer *buf = (CpuBuffer *) buffer;
  if (buf == NULL)
    return;
  free (buf->data);
  g_free (buf);
  self->n_buffers--;
}

static gboolean
in_range (NwBackend *self, NwBuffer *buf, gsize byte_off, gsize bytes, const char *what)
{
  CpuBuffer *b = (CpuBuffer *) buf;
  if (b == NULL || byte_off > b->bytes || bytes > b->bytes - byte_off)
    {
      nw_backend_set_error (self, g_error_new (NW_ERROR, NW_ERROR_BACKEND,
                                               _("CPU: %s of %zu bytes at %zu"
                                               " is outside the buffer (%zu bytes)"),
                                               what, bytes, byte_off, b != NULL ? b->bytes : 0));
      return FALSE;
    }
  return TRUE;
}

static void
cpu_write (NwBackend *self, NwBuffer *dst, gsize byte_off, const void *src, gsize bytes)
{
  /* Nothing to copy (an empty test split): its source may be NULL, and memcpy from NULL is
   * undefined behaviour even for 0 bytes (UBSan's nonnull-attribute). */
  if (FAILED (self) || !in_range (self, dst, byte_off, bytes, "write") || bytes == 0)
    return;
  memcpy ((guint8 *) ((CpuBuffer *) dst)->data + byte_off, src, bytes);
}

static void
cpu_read (NwBackend *self, NwBuffer *src, gsize byte_off, void *dst, gsize bytes)
{
  /* As in cpu_write: a 0-byte read may have a NULL destination (or buffer). */
  if (FAILED (self) || !in_range (self, src, byte_off, bytes, "read") || bytes == 0)
    return;
  memcpy (dst, (guint8 *) ((CpuBuffer *) src)->data + byte_off, bytes);
}

static void
cpu_fill (NwBackend *self, NwBuffer *buf, gsize off, gsize n, nw_real value)
{
  nw_real *x;
  if (FAILED (self))
    return;
  x = R (buf, off);
  for (gsize i = 0; i < n; i++)
    x[i] = value;
}

NW_HOT static void
cpu_copy (NwBackend *self, NwBuffer *src, gsize soff, NwBuffer *dst, gsize doff, gsize n,
          gboolean accumulate)
{
  const nw_real *s;
  nw_real *d;
  if (FAILED (self))
    return;
  s = R (src, soff);
  d = R (dst, doff);
  if (accumulate)
    for (gsize i = 0; i < n; i++)
      d[i] += s[i];
  else
    memmove (d, s, n * sizeof (nw_real));
}

static void
cpu_copy_cols (NwBackend *self, NwBuffer *src, gsize soff, int sld, NwBuffer *dst, gsize doff,
               int dld, int rows, int cols, gboolean accumulate)
{
  if (FAILED (self))
    return;
  for (int r = 0; r < rows; r++)
    cpu_copy (self, src, soff + (gsize) r * sld, dst, doff + (gsize) r * dld, cols, accumulate);
}

NW_HOT static void
cpu_add (NwBackend *self, NwBuffer *a, gsize aoff, NwBuffer *b, gsize boff, NwBuffer *y,
         gsize yoff, gsize n)
{
  const nw_real *pa, *pb;
  nw_real *py;
  if (FAILED (self))
    return;
  pa = R (a, aoff);
  pb = R (b, boff);
  py = R (y, yoff);
  for (gsize i = 0; i < n; i++)
    py[i] = pa[i] + pb[i];
}

static void
cpu_gather_rows (NwBackend *self, NwBuffer *src, int cols, NwBuffer *idx, gsize ioff, int n_idx,
                 NwBuffer *dst, gsize doff)
{
  const gint32 *ix;
  if (FAILED (self))
    return;
  ix = AT (gint32, idx, ioff);
  for (int i = 0; i < n_idx; i++)
    memcpy (R (dst, doff + (gsize) i * cols), R (src, (gsize) ix[i] * cols), cols * sizeof (nw_real));
}

/* Below this many multiply-adds a plain loop beats a BLAS call, whose fixed cost (argument
 * checks, buffer locks, packing copies) is a few microseconds: the XOR networks' products are
 * 4 x 10 x 10. */
#define SMALL_GEMM_MACS 32768

/* Each layout the network uses gets loops whose innermost index walks memory contiguously,
 * so they vectorise: NN (forward through W^T is NT, see nw-net.c), NT, TN. */
NW_HOT static void
small_gemm (gboolean ta, gboolean tb, int m, int n, int k, nw_real alpha, const nw_real *a, int lda,
            const nw_real *b, int ldb, nw_real beta, nw_real *restrict c, int ldc)
{
  /* beta == 0 must ignore C entirely (it may hold NaN), as BLAS does. */
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      c[(gsize) i * ldc + j] = beta != 0 ? beta * c[(gsize) i * ldc + j] : 0;

  if (!ta && !tb)
    for (int i = 0; i < m; i++)
      for (int p = 0; p < k; p++)
        {
          nw_real av = alpha * a[(gsize) i * lda + p];
          const nw_real *brow = b + (gsize) p * ldb;
          nw_real *crow = c + (gsize) i * ldc;
          for (int j = 0; j < n; j++)
            crow[j] += av * brow[j];
        }
  else if (!ta && tb)
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++)
        {
          const nw_real *arow = a + (gsize) i * lda, *brow = b + (gsize) j * ldb;
          nw_real acc = 0;
          for (int p = 0; p < k; p++)
            acc += arow[p] * brow[p];
          c[(gsize) i * ldc + j] += alpha * acc;
        }
  else if (ta && !tb)
    for (int p = 0; p < k; p++)
      for (int i = 0; i < m; i++)
        {
          nw_real av = alpha * a[(gsize) p * lda + i];
          const nw_real *brow = b + (gsize) p * ldb;
          nw_real *crow = c + (gsize) i * ldc;
          for (int j = 0; j < n; j++)
            crow[j] += av * brow[j];
        }
  else
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++)
        {
          nw_real acc = 0;
          for (int p = 0; p < k; p++)
            acc += a[(gsize) p * lda + i] * b[(gsize) j * ldb + p];
          c[(gsize) i * ldc + j] += alpha * acc;
        }
}

static void
cpu_gemm (NwBackend *self, gboolean trans_a, gboolean trans_b, int m, int n, int k, nw_real alpha,
          NwBuffer *a, gsize aoff, int lda, NwBuffer *b, gsize boff, int ldb, nw_real beta,
          NwBuffer *c, gsize coff, int ldc)
{
  if (FAILED (self) || m == 0 || n == 0)
    return;
  if (m == 1 && !trans_a && (gint64) n * k > SMALL_GEMM_MACS)
    {
      /* One row (a single prediction): a matrix-vector product. sgemm would first pack B
       * into its panel layout on every call. */
      nw_real *y = R (c, coff);
      if (beta == 0)
        memset (y, 0, n * sizeof (nw_real));
      if (trans_b)
        GEMV (CblasRowMajor, CblasNoTrans, n, k, alpha, R (b, boff), ldb, R (a, aoff), 1, beta, y, 1);
      else
        GEMV (CblasRowMajor, CblasTrans, k, n, alpha, R (b, boff), ldb, R (a, aoff), 1, beta, y, 1);
    }
  else if ((gint64) m * n * k <= SMALL_GEMM_MACS)
    small_gemm (trans_a, trans_b, m, n, k, alpha, R (a, aoff), lda, R (b, boff), ldb, beta,
                R (c, coff), ldc);
  else
    GEMM (CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
          m, n, k, alpha, R (a, aoff), lda, R (b, boff), ldb, beta, R (c, coff), ldc);
}

/* ---- activations ---- */

/* The logit losses' sigmoid: the activation's own formula. */
static inline nw_real
sigmoid (nw_real x)
{
  return NW_ACT_F (sigmoid) (x, 0);
}
static void
softmax_rows (int rows, int cols, const nw_real *z, nw_real *y)
{
  for (int r = 0; r < rows; r++)
    {
      const nw_real *zr = z + (gsize) r * cols;
      nw_real *yr = y + (gsize) r * cols;
      nw_real max = zr[0];
      double sum = 0;
      for (int c = 1; c < cols; c++)
        max = MAX (max, zr[c]);
      for (int c = 0; c < cols; c++)
        {
          yr[c] = R_EXP (zr[c] - max);
          sum += yr[c];
        }
      for (int c = 0; c < cols; c++)
        yr[c] = (nw_real) (yr[c] / sum);
    }
}

NW_HOT static void
cpu_bias_act (NwBackend *self, NwBuffer *zbuf, gsize zoff, int rows, int cols, NwBuffer *bias,
              gsize boff, NwActivation act, nw_real alpha, NwBuffer *ybuf, gsize yoff)
{
  nw_real *z, *y;
  gsize n = (gsize) rows * cols;
  if (FAILED (self))
    return;
  z = R (zbuf, zoff);
  y = R (ybuf, yoff);
  if (bias != NULL)
    {
      const nw_real *b = R (bias, boff);
      for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
          z[(gsize) r * cols + c] += b[c];
    }
  /* One loop per activation, generated from the list, so each vectorises on its own. */
  switch (act)
    {
#define FORWARD(ENUM, name) \
    case ENUM: \
      for (gsize i = 0; i < n; i++) \
        y[i] = NW_ACT_F (name) (z[i], alpha); \
      break;
    NW_ACT_ELEMENTWISE (FORWARD)
#undef FORWARD
    case NW_ACT_SOFTMAX:
      softmax_rows (rows, cols, z, y);
      break;
    default:
      g_assert_not_reached ();
    }
}

NW_HOT static void
cpu_act_backward (NwBackend *self, NwActivation act, nw_real alpha, int rows, int cols,
                  NwBuffer *xb, gsize xoff, NwBuffer *yb, gsize yoff, NwBuffer *dyb, gsize dyoff,
                  NwBuffer *dxb, gsize dxoff, gboolean accumulate)
{
  const nw_real *x, *y, *dy;
  nw_real *dx;
  gsize n = (gsize) rows * cols;
  if (FAILED (self))
    return;
  x = R (xb, xoff);
  y = R (yb, yoff);
  dy = R (dyb, dyoff);
  dx = R (dxb, dxoff);

  /* Every case adds f'(x) dy, so overwriting is adding to zeros. */
  if (!accumulate)
    memset (dx, 0, n * sizeof (nw_real));
  switch (act)
    {
#define BACKWARD(ENUM, name) \
    case ENUM: \
      for (gsize i = 0; i < n; i++) \
        dx[i] += NW_ACT_D (name) (x[i], y[i], dy[i], alpha); \
      break;
    NW_ACT_ELEMENTWISE (BACKWARD)
#undef BACKWARD
    case NW_ACT_SOFTMAX:
      for (int r = 0; r < rows; r++)
        {
          const nw_real *yr = y + (gsize) r * cols, *dyr = dy + (gsize) r * cols;
          nw_real *dxr = dx + (gsize) r * cols;
          double dot = 0;
          for (int c = 0; c < cols; c++)
            dot += (double) yr[c] * dyr[c];
          for (int c = 0; c < cols; c++)
            dxr[c] += yr[c] * (dyr[c] - (nw_real) dot);
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

NW_HOT static void
cpu_bias_grad (NwBackend *self, NwBuffer *dzb, gsize dzoff, int rows, int cols, NwBuffer *dbb,
               gsize dboff)
{
  const nw_real *dz;
  nw_real *db;
  double *acc;
  if (FAILED (self))
    return;
  dz = R (dzb, dzoff);
  db = R (dbb, dboff);
  acc = scratch (self, cols);
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      acc[c] += dz[(gsize) r * cols + c];
  for (int c = 0; c < cols; c++)
    db[c] = (nw_real) acc[c];
}

/* ---- losses ---- */

static int
argmax (const nw_real *v, int n)
{
  int best = 0;
  for (int i = 1; i < n; i++)
    if (v[i] > v[best])
      best = i;
  return best;
}

static void
cpu_loss (NwBackend *self, NwLoss kind, int rows, int cols, NwBuffer *pb, gsize poff,
          NwBuffer *tb, gsize toff, NwBuffer *dpb, gsize dpoff, gboolean accumulate,
          NwBuffer *metrics, gsize moff)
{
  const nw_real *p, *t;
  nw_real *dp, *m;
  gsize n = (gsize) rows * cols;
  double total = 0, scale;
  int correct = 0;
  if (FAILED (self) || rows == 0)
    return;
  p = R (pb, poff);
  t = R (tb, toff);
  dp = dpb != NULL ? R (dpb, dpoff) : NULL;
  if (dp != NULL && !accumulate)
    memset (dp, 0, n * sizeof (nw_real));

  switch (kind)
    {
    case NW_LOSS_BCE:
      /* PyTorch's BCELoss: logs clamped at -100, gradient denominator at least 1e-12. */
      scale = 1.0 / n;
      for (gsize i = 0; i < n; i++)
        {
          double pi = p[i], ti = t[i];
          double lp = MAX (log (pi), -100.0), l1p = MAX (log1p (-pi), -100.0);
          total -= ti * lp + (1 - ti) * l1p;
          if (dp != NULL)
            dp[i] += (nw_real) (scale * (pi - ti) / MAX ((1 - pi) * pi, 1e-12));
        }
      total *= scale;
      break;
    case NW_LOSS_BCE_LOGITS:
      scale = 1.0 / n;
      for (gsize i = 0; i < n; i++)
        {
          double z = p[i], ti = t[i];
          total += MAX (z, 0) - z * ti + log1p (exp (-fabs (z)));
          if (dp != NULL)
            dp[i] += (nw_real) (scale * ((double) sigmoid (p[i]) - ti));
        }
      total *= scale;
      break;
    case NW_LOSS_SOFTMAX_XENT:
      scale = 1.0 / rows;
      for (int r = 0; r < rows; r++)
        {
          const nw_real *z = p + (gsize) r * cols, *tr = t + (gsize) r * cols;
          double max = z[argmax (z, cols)], sum = 0, lse, tsum = 0;
          for (int c = 0; c < cols; c++)
            sum += exp (z[c] - max);
          lse = max + log (sum);
          for (int c = 0; c < cols; c++)
            {
              total += tr[c] * (lse - z[c]);
              tsum += tr[c];
            }
          if (dp != NULL)
            for (int c = 0; c < cols; c++)
              dp[(gsize) r * cols + c] += (nw_real) (scale * (exp (z[c] - lse) * tsum - tr[c]));
        }
      total *= scale;
      break;
    case NW_LOSS_MSE:
      scale = 1.0 / n;
      for (gsize i = 0; i < n; i++)
        {
          double d = (double) p[i] - t[i];
          total += d * d;
          if (dp != NULL)
            dp[i] += (nw_real) (2 * scale * d);
        }
      total *= scale;
      break;
    default:
      g_assert_not_reached ();
    }

  for (int r = 0; r < rows; r++)
    {
      const nw_real *pr = p + (gsize) r * cols, *tr = t + (gsize) r * cols;
      if (cols == 1)
        {
          nw_real threshold = kind == NW_LOSS_BCE_LOGITS ? 0 : (nw_real) 0.5;
          correct += (pr[0] > threshold) == (tr[0] > (nw_real) 0.5);
        }
      else
        correct += argmax (pr, cols) == argmax (tr, cols);
    }
  if (metrics != NULL)
    {
      m = R (metrics, moff);
      m[NW_METRIC_LOSS] += (nw_real) (total * rows);
      m[NW_METRIC_CORRECT] += correct;
      m[NW_METRIC_COUNT] += rows;
    }
}

/* ---- dropout ---- */

NW_HOT static void
cpu_dropout (NwBackend *self, gsize n, float p, guint64 seed, guint64 counter, NwBuffer *xb,
             gsize xoff, NwBuffer *maskb, gsize moff, NwBuffer *yb, gsize yoff)
{
  const nw_real *x;
  nw_real *mask, *y;
  nw_real keep_scale = (nw_real) (1.0 / (1.0 - p));
  if (FAILED (self))
    return;
  x = R (xb, xoff);
  mask = R (maskb, moff);
  y = R (yb, yoff);
  for (gsize i = 0; i < n; i++)
    {
      mask[i] = nw_counter_uniform (seed, counter + i) >= p ? keep_scale : 0;
      y[i] = x[i] * mask[i];
    }
}

NW_HOT static void
cpu_mul (NwBackend *self, gsize n, NwBuffer *dyb, gsize dyoff, NwBuffer *maskb, gsize moff,
         NwBuffer *dxb, gsize dxoff, gboolean accumulate)
{
  const nw_real *dy, *mask;
  nw_real *dx;
  if (FAILED (self))
    return;
  dy = R (dyb, dyoff);
  mask = R (maskb, moff);
  dx = R (dxb, dxoff);
  for (gsize i = 0; i < n; i++)
    dx[i] = (accumulate ? dx[i] : 0) + dy[i] * mask[i];
}

/* ---- normalisation ----
 * Element (r, c) of a rows x cols matrix; BatchNorm (axis 0) normalises each column over the
 * rows, LayerNorm (axis 1) each row over the columns. `group` is the index of the statistic
 * an element belongs to, `feature` the index of its gamma/beta. */

static void
cpu_norm_forward (NwBackend *self, int axis, gboolean use_running, int rows, int cols,
                  NwBuffer *xb, gsize xoff, NwBuffer *yb, gsize yoff, NwBuffer *gb, gsize goff,
                  NwBuffer *bb, gsize boff, NwBuffer *running, gsize roff,
                  float momentum, float eps, gboolean update_running, NwBuffer *meanb,
                  NwBuffer *invstdb, gsize soff)
{
  const nw_real *x, *gamma, *beta;
  nw_real *y, *mean, *invstd;
  int groups = axis == 0 ? cols : rows;
  int per = axis == 0 ? rows : cols;
  double *sum, *sumsq;
  if (FAILED (self))
    return;
  x = R (xb, xoff);
  y = R (yb, yoff);
  gamma = gb != NULL ? R (gb, goff) : NULL;
  beta = bb != NULL ? R (bb, boff) : NULL;
  mean = R (meanb, soff);
  invstd = R (invstdb, soff);

  if (use_running)
    {
      const nw_real *rm = R (running, roff), *rv = R (running, roff + cols);
      for (int g = 0; g < groups; g++)
        {
          mean[g] = rm[g];
          invstd[g] = (nw_real) (1.0 / sqrt ((double) rv[g] + eps));
        }
    }
  else
    {
      sum = scratch (self, 2 * (gsize) groups);
      sumsq = sum + groups;
      for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
          {
            int g = axis == 0 ? c : r;
            double v = x[(gsize) r * cols + c];
            sum[g] += v;
          }
      for (int g = 0; g < groups; g++)
        sum[g] /= per;
      /* Two passes: the variance from centred values, not E[x^2] - E[x]^2, which cancels. */
      for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
          {
            int g = axis == 0 ? c : r;
            double d = x[(gsize) r * cols + c] - sum[g];
            sumsq[g] += d * d;
          }
      for (int g = 0; g < groups; g++)
        {
          double var = sumsq[g] / per;
          mean[g] = (nw_real) sum[g];
          invstd[g] = (nw_real) (1.0 / sqrt (var + eps));
          if (update_running && axis == 0)
            {
              nw_real *rm = R (running, roff), *rv = R (running, roff + cols);
              double unbiased = per > 1 ? sumsq[g] / (per - 1) : var;
              rm[g] = (nw_real) ((1 - momentum) * rm[g] + momentum * sum[g]);
              rv[g] = (nw_real) ((1 - momentum) * rv[g] + momentum * unbiased);
            }
        }
    }

  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      {
        gsize i = (gsize) r * cols + c;
        int g = axis == 0 ? c : r;
        nw_real v = (x[i] - mean[g]) * invstd[g];
        if (gamma != NULL)
          v = v * gamma[c] + beta[c];
        y[i] = v;
      }
}

static void
cpu_norm_backward (NwBackend *self, int axis, gboolean used_running, int rows, int cols,
                   NwBuffer *xb, gsize xoff, NwBuffer *dyb, gsize dyoff, NwBuffer *gb, gsize goff,
                   NwBuffer *meanb, NwBuffer *invstdb, gsize soff, NwBuffer *dxb, gsize dxoff,
                   gboolean accumulate, NwBuffer *dgb, gsize dgoff, NwBuffer *dbb, gsize dboff)
{
  const nw_real *x, *dy, *gamma, *mean, *invstd;
  nw_real *dx;
  int groups = axis == 0 ? cols : rows;
  int per = axis == 0 ? rows : cols;
  double *sum_d, *sum_dx, *dg, *db;
  if (FAILED (self))
    return;
  x = R (xb, xoff);
  dy = R (dyb, dyoff);
  gamma = gb != NULL ? R (gb, goff) : NULL;
  mean = R (meanb, soff);
  invstd = R (invstdb, soff);
  dx = dxb != NULL ? R (dxb, dxoff) : NULL;

  sum_d = scratch (self, 2 * (gsize) groups + 2 * (gsize) cols);
  sum_dx = sum_d + groups;
  dg = sum_dx + groups;
  db = dg + cols;
  /* With xhat = (x - mean) * invstd and d = dy * gamma:
   * dx = invstd * (d - mean(d) - xhat * mean(d * xhat)) over each group (batch statistics),
   * dx = invstd * d (running statistics: the normalisation is a fixed affine map). */
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      {
        gsize i = (gsize) r * cols + c;
        int g = axis == 0 ? c : r;
        double xhat = (x[i] - mean[g]) * invstd[g];
        double d = dy[i] * (gamma != NULL ? gamma[c] : 1);
        sum_d[g] += d;
        sum_dx[g] += d * xhat;
        dg[c] += dy[i] * xhat;
        db[c] += dy[i];
      }
  for (int r = 0; r < rows && dx != NULL; r++)
    for (int c = 0; c < cols; c++)
      {
        gsize i = (gsize) r * cols + c;
        int g = axis == 0 ? c : r;
        double xhat = (x[i] - mean[g]) * invstd[g];
        double d = dy[i] * (gamma != NULL ? gamma[c] : 1);
        double v = used_running ? invstd[g] * d
                                : invstd[g] * (d - sum_d[g] / per - xhat * sum_dx[g] / per);
        dx[i] = (nw_real) ((accumulate ? dx[i] : 0) + v);
      }
  if (dgb != NULL)
    {
      nw_real *pg = R (dgb, dgoff), *pb = R (dbb, dboff);
      for (int c = 0; c < cols; c++)
        {
          pg[c] = (nw_real) dg[c];
          pb[c] = (nw_real) db[c];
        }
    }
}

/* ---- optimizers (PyTorch's update rules, see docs/optimizers.md) ----
 * One loop per rule with nothing but arithmetic in it, so that the compiler vectorises it
 * (NW_HOT). Contraction into FMA is off for core (meson.build), so every clone computes the
 * same bits. */


/* A running average that decays (momentum's b, RMSProp's s and b, Adam's m and v) is set to
 * 0 once it falls below the smallest normal number. Weights whose gradient is nearly always
 * 0 (MNIST's border pixels, dead units) otherwise decay into subnormals within ~800 steps,
 * and arithmetic on subnormals is many times slower: the CLI's MNIST epochs 2-3 ran at 600
 * steps/s against 730 in epoch 1. Such a value moves its weight by less than 1e-30. The
 * OpenCL kernels flush the same way, so the backends keep computing the same bits. */
#define FLUSH(x) (R_FABS (x) < R_TINY ? 0 : (x))

/* The penalised gradient: g + l2 * w + l1 * sign(w) (l1 = l2 = 0 for biases). */
#define PENALISED(i) (g[i] + l2 * w[i] + l1 * (nw_real) ((w[i] > 0) - (w[i] < 0)))

NW_HOT static void
update_sgd (gsize n, nw_real *restrict w, const nw_real *restrict g, nw_real lr, nw_real l1, nw_real l2)
{
  for (gsize i = 0; i < n; i++)
    w[i] -= lr * PENALISED (i);
}

NW_HOT static void
update_momentum (gsize n, nw_real *restrict w, const nw_real *restrict g, nw_real *restrict b,
                 nw_real lr, nw_real mu, gboolean nesterov, nw_real l1, nw_real l2)
{
  if (nesterov)
    for (gsize i = 0; i < n; i++)
      {
        nw_real gi = PENALISED (i);
        b[i] = FLUSH (mu * b[i] + gi);
        w[i] -= lr * (gi + mu * b[i]);
      }
  else
    for (gsize i = 0; i < n; i++)
      {
        b[i] = FLUSH (mu * b[i] + PENALISED (i));
        w[i] -= lr * b[i];
      }
}

NW_HOT static void
update_adagrad (gsize n, nw_real *restrict w, const nw_real *restrict g, nw_real *restrict s,
                nw_real lr, nw_real eps, nw_real l1, nw_real l2)
{
  for (gsize i = 0; i < n; i++)
    {
      nw_real gi = PENALISED (i);
      s[i] += gi * gi;
      w[i] -= lr * gi / (R_SQRT (s[i]) + eps);
    }
}

NW_HOT static void
update_rmsprop (gsize n, nw_real *restrict w, const nw_real *restrict g, nw_real *restrict s,
                nw_real *restrict b, nw_real lr, nw_real rho, nw_real mu, nw_real eps, nw_real l1,
                nw_real l2)
{
  if (mu > 0)
    for (gsize i = 0; i < n; i++)
      {
        nw_real gi = PENALISED (i);
        s[i] = FLUSH (rho * s[i] + (1 - rho) * gi * gi);
        b[i] = FLUSH (mu * b[i] + gi / (R_SQRT (s[i]) + eps));
        w[i] -= lr * b[i];
      }
  else
    for (gsize i = 0; i < n; i++)
      {
        nw_real gi = PENALISED (i);
        s[i] = FLUSH (rho * s[i] + (1 - rho) * gi * gi);
        w[i] -= lr * gi / (R_SQRT (s[i]) + eps);
      }
}

/* PyTorch's Adam: w -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps); AdamW first multiplies
 * w by (1 - lr * weight_decay). */
NW_HOT static void
update_adam (gsize n, nw_real *restrict w, const nw_real *restrict g, nw_real *restrict m,
             nw_real *restrict v, nw_real step, nw_real inv_sqrt_bc2, nw_real b1, nw_real b2,
             nw_real eps, nw_real decay, nw_real l1, nw_real l2)
{
  for (gsize i = 0; i < n; i++)
    {
      nw_real gi = PENALISED (i);
      m[i] = FLUSH (b1 * m[i] + (1 - b1) * gi);
      v[i] = FLUSH (b2 * v[i] + (1 - b2) * gi * gi);
      w[i] = w[i] * decay - step * m[i] / (R_SQRT (v[i]) * inv_sqrt_bc2 + eps);
    }
}

static void
cpu_update (NwBackend *self, const NwUpdateArgs *a, gboolean penalize, gsize n, NwBuffer *pb,
            NwBuffer *gb, NwBuffer *s1b, NwBuffer *s2b, gsize off)
{
  nw_real *w, *s1, *s2;
  const nw_real *g;
  nw_real l1 = penalize ? a->l1 : 0, l2 = penalize ? a->l2 : 0;
  if (FAILED (self))
    return;
  w = R (pb, off);
  g = R (gb, off);
  s1 = s1b != NULL ? R (s1b, off) : NULL;
  s2 = s2b != NULL ? R (s2b, off) : NULL;

  switch (a->kind)
    {
    case NW_OPT_SGD:
      update_sgd (n, w, g, a->lr, l1, l2);
      break;
    case NW_OPT_MOMENTUM:
    case NW_OPT_NESTEROV:
      update_momentum (n, w, g, s1, a->lr, a->momentum, a->kind == NW_OPT_NESTEROV, l1, l2);
      break;
    case NW_OPT_ADAGRAD:
      update_adagrad (n, w, g, s1, a->lr, a->eps, l1, l2);
      break;
    case NW_OPT_RMSPROP:
      update_rmsprop (n, w, g, s1, s2, a->lr, a->rho, a->momentum, a->eps, l1, l2);
      break;
    case NW_OPT_ADAM:
    case NW_OPT_ADAMW:
      {
        double bc1 = 1 - pow (a->beta1, (double) a->t), bc2 = 1 - pow (a->beta2, (double) a->t);
        nw_real decay = a->kind == NW_OPT_ADAMW ? 1 - a->lr * a->weight_decay : 1;
        update_adam (n, w, g, s1, s2, (nw_real) (a->lr / bc1), (nw_real) (1 / sqrt (bc2)),
                     a->beta1, a->beta2, a->eps, decay, l1, l2);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- probes ---- */

static void
cpu_sumsq (NwBackend *self, NwBuffer *xb, gsize xoff, gsize n, NwBuffer *out, gsize ooff)
{
  const nw_real *x;
  double s = 0;
  if (FAILED (self))
    return;
  x = R (xb, xoff);
  for (gsize i = 0; i < n; i++)
    s += (double) x[i] * x[i];
  *R (out, ooff) = (nw_real) s;
}

static void
cpu_act_stats (NwBackend *self, NwActivation act, nw_real alpha, gsize n, NwBuffer *xb, gsize xoff,
               float lo, float hi, NwBuffer *out, gsize ooff)
{
  const nw_real *x;
  nw_real *o;
  double sum = 0, sumsq = 0, sat = 0, dead = 0, mn = INFINITY, mx = -INFINITY;
  double hist[NW_STATS_BINS] = { 0 };
  double width = (hi - lo) / NW_STATS_BINS;
  if (FAILED (self))
    return;
  x = R (xb, xoff);
  o = R (out, ooff);
  for (gsize i = 0; i < n; i++)
    {
      double v = x[i];
      int bin = (int) floor ((v - lo) / width);
      sum += v;
      sumsq += v * v;
      mn = MIN (mn, v);
      mx = MAX (mx, v);
      hist[CLAMP (bin, 0, NW_STATS_BINS - 1)] += 1;
      /* Saturated: the derivative is below 1% of its peak (sigmoid 0.25, tanh 1). */
      if (act == NW_ACT_SIGMOID)
        {
          double s = 1 / (1 + exp (-v));
          sat += s * (1 - s) < 0.0025;
        }
      else if (act == NW_ACT_TANH)
        {
          double t = tanh (v);
          sat += 1 - t * t < 0.01;
        }
      else if (act == NW_ACT_RELU)
        dead += v <= 0;
    }
  o[NW_STATS_SUM] = (nw_real) sum;
  o[NW_STATS_SUMSQ] = (nw_real) sumsq;
  o[NW_STATS_SATURATED] = (nw_real) sat;
  o[NW_STATS_DEAD] = (nw_real) dead;
  o[NW_STATS_MIN] = (nw_real) (n > 0 ? mn : 0);
  o[NW_STATS_MAX] = (nw_real) (n > 0 ? mx : 0);
  for (int b = 0; b < NW_STATS_BINS; b++)
    o[NW_STATS_HIST0 + b] = (nw_real) hist[b];
}

static void
cpu_finish (NwBackend *self)
{
}

static const NwBackendOps cpu_ops = {
  .name = "cpu",
  .destroy = cpu_destroy,
  .buffer_new = cpu_buffer_new,
  .buffer_free = cpu_buffer_free,
  .write = cpu_write,
  .read = cpu_read,
  .fill = cpu_fill,
  .copy = cpu_copy,
  .copy_cols = cpu_copy_cols,
  .add = cpu_add,
  .gather_rows = cpu_gather_rows,
  .gemm = cpu_gemm,
  .bias_act = cpu_bias_act,
  .act_backward = cpu_act_backward,
  .bias_grad = cpu_bias_grad,
  .loss = cpu_loss,
  .dropout = cpu_dropout,
  .mul = cpu_mul,
  .norm_forward = cpu_norm_forward,
  .norm_backward = cpu_norm_backward,
  .update = cpu_update,
  .sumsq = cpu_sumsq,
  .act_stats = cpu_act_stats,
  .finish = cpu_finish,
};

NwBackend *
nw_backend_cpu_new (void)
{
  CpuBackend *cpu = g_new0 (CpuBackend, 1);
  cpu->parent.ops = &cpu_ops;
  cpu->parent.description = g_strdup_printf (_("CPU (OpenBLAS %s, %d threads)"), nw_blas_corename (),
                                             nw_blas_threads ());
  return &cpu->parent;
}
