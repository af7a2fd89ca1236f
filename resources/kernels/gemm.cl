/* gemm.cl: C = alpha * op(A) op(B) + beta * C, row-major, any sizes.
 *
 * gemm_nn/nt/tn/tt: a work-group computes a TSM x TSN tile of C. It copies a TSM x KC panel
 * of op(A) and a KC x TSN panel of op(B) into local memory (vector loads where the panel is
 * inside the matrix, zeros outside, so any M, N, K works), then each work-item computes
 * WPTM rows x WPTN vectors of VW columns: WPTM x WPTN accumulators of floatVW, WPTN vector
 * loads of B and WPTM scalar loads of A per k. Work-item dimension 0 walks the columns,
 * which are contiguous in memory.
 *
 * KEEP_ACC chooses where the partial sums live between K panels. GPUs keep them in registers
 * across the barriers (KEEP_ACC 1). CPU implementations (PoCL) turn values that live across
 * a barrier into per-work-item arrays in memory and lose their vectorised registers, so
 * there (KEEP_ACC 0) every panel's sums are added into C instead, and KC is made large
 * enough that the app's products need one panel only.
 *
 * gemm_nt_dot: C = alpha A B^T + beta C for CPUs. With B transposed both operands are
 * contiguous along k, so a work-item takes DOT_WM rows of A and DOT_WN rows of B and forms
 * their DOT_WM x DOT_WN dot products VW at a time, straight from global memory (the rows
 * stay in the core's cache), then folds each vector sum. The tiled kernel would have to
 * transpose B's panel into local memory one float at a time, which costs a CPU as much as
 * the product itself. Not for GPUs (each work-item reads whole rows: no coalescing).
 *
 * gemm_small: one work-item per element of C, for products too small to fill a tile.
 *
 * Tuning: the host prepends #defines per device; these are the defaults. Constraints
 * (checked by the host): VW in {2, 4, 8, 16}; KC, TSM and TSN multiples of VW. */

#ifndef VW
#define VW 16          /* floats per vector */
#endif
#ifndef WPTM
#define WPTM 8         /* rows per work-item */
#endif
#ifndef WPTN
#define WPTN 2         /* column vectors per work-item */
#endif
#ifndef RTSN
#define RTSN 2         /* work-group size, dimension 0 (columns) */
#endif
#ifndef RTSM
#define RTSM 4         /* work-group size, dimension 1 (rows) */
#endif
#ifndef KC
#define KC 512         /* depth of one K panel */
#endif
#ifndef KEEP_ACC
#define KEEP_ACC 0
#endif
#ifndef DOT_WM
#define DOT_WM 4       /* gemm_nt_dot: rows per work-item */
#endif
#ifndef DOT_WN
#define DOT_WN 4       /* gemm_nt_dot: columns per work-item */
#endif

#define TSN (RTSN * VW * WPTN)
#define TSM (RTSM * WPTM)
#define WG (RTSN * RTSM)

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatV CAT(float, VW)
#define vloadV CAT(vload, VW)
#define vstoreV CAT(vstore, VW)

/* dst[r * COLS + c] = src[(r0 + r) * ld + c0 + c] for r < rows, c < cols (cols a multiple of
 * VW, at most COLS), zero where the source index is outside R x C. Only the part of the
 * panel that the product reads is loaded: a short K (10, 100) loads 10 or 100 wide, not KC. */
inline void
load_panel (__local float *dst, __global const float *src, const int ld, const int r0,
            const int c0, const int R, const int C, const int COLS, const int rows,
            const int cols, const int tid)
{
  const int per_row = cols / VW;
  for (int id = tid; id < rows * per_row; id += WG)
    {
      const int r = id / per_row, cv = (id % per_row) * VW;
      const int gr = r0 + r, gc = c0 + cv;
      __local float *d = dst + r * COLS + cv;
      if (gr < R && gc + VW <= C)
        vstoreV (vloadV (0, src + (size_t) gr * ld + gc), 0, d);
      else
        for (int j = 0; j < VW; j++)
          d[j] = (gr < R && gc + j < C) ? src[(size_t) gr * ld + gc + j] : 0.0f;
    }
}

/* The same, stored transposed: dst[c * ROWS + r]. */
inline void
load_panel_t (__local float *dst, __global const float *src, const int ld, const int r0,
              const int c0, const int R, const int C, const int ROWS, const int rows,
              const int cols, const int tid)
{
  const int per_row = cols / VW;
  for (int id = tid; id < rows * per_row; id += WG)
    {
      const int r = id / per_row, cv = (id % per_row) * VW;
      const int gr = r0 + r, gc = c0 + cv;
      if (gr < R && gc + VW <= C)
        {
          float t[VW];
          vstoreV (vloadV (0, src + (size_t) gr * ld + gc), 0, t);
          for (int j = 0; j < VW; j++)
            dst[(cv + j) * ROWS + r] = t[j];
        }
      else
        for (int j = 0; j < VW; j++)
          dst[(cv + j) * ROWS + r] = (gr < R && gc + j < C) ? src[(size_t) gr * ld + gc + j] : 0.0f;
    }
}

/* C[row, col .. col + VW) = alpha * acc + bt * C (bt == 0: C is not read, it may hold NaN). */
inline void
store_row (__global float *c, const int ldc, const int M, const int N, const int row,
           const int col, const floatV acc, const float alpha, const float bt)
{
  __global float *cr = c + (size_t) row * ldc + col;
  if (row >= M)
    return;
  if (col + VW <= N)
    {
      floatV v = alpha * acc;
      if (bt != 0.0f)
        v += bt * vloadV (0, cr);
      vstoreV (v, 0, cr);
    }
  else
    {
      float t[VW];
      vstoreV (acc, 0, t);
      for (int j = 0; j < VW && col + j < N; j++)
        cr[j] = alpha * t[j] + (bt != 0.0f ? bt * cr[j] : 0.0f);
    }
}

/* Panels in local memory: op(A)'s is [TSM][KC] when A is not transposed (rows of A copied
 * as they lie) and [KC][TSM] when it is; op(B)'s is always [KC][TSN], so that a k row of it
 * is one vector load per work-item. */
#define A_AT(TA, m, k) ((TA) ? Asub[(k) * TSM + (m)] : Asub[(m) * KC + (k)])

/* kc: the panel's depth, kp: kc rounded up to VW (what is loaded of it). */
#define LOAD_PANELS(TA, TB) \
  if (TA) load_panel (Asub, a, lda, k0, row0, K, M, TSM, kc, TSM, tid); \
  else load_panel (Asub, a, lda, row0, k0, M, K, KC, TSM, kp, tid); \
  if (TB) load_panel_t (Bsub, b, ldb, col0, k0, N, K, TSN, TSN, kp, tid); \
  else load_panel (Bsub, b, ldb, k0, col0, K, N, TSN, kc, TSN, tid);

/* Work-item (tx, ty) owns rows ty * WPTM + wm and the column vectors starting at
 * (wn * RTSN + tx) * VW: for each wn, neighbouring work-items hold neighbouring vectors. */
#define MULTIPLY_PANEL(TA) \
  for (int k = 0; k < kc; k++) \
    { \
      floatV bv[WPTN]; \
      _Pragma ("unroll") for (int wn = 0; wn < WPTN; wn++) \
        bv[wn] = vloadV (0, Bsub + k * TSN + (wn * RTSN + tx) * VW); \
      _Pragma ("unroll") for (int wm = 0; wm < WPTM; wm++) \
        { \
          const float av = A_AT (TA, ty * WPTM + wm, k); \
          _Pragma ("unroll") for (int wn = 0; wn < WPTN; wn++) \
            acc[wm][wn] += av * bv[wn]; \
        } \
    }

#define CLEAR_ACC \
  _Pragma ("unroll") for (int wm = 0; wm < WPTM; wm++) \
    _Pragma ("unroll") for (int wn = 0; wn < WPTN; wn++) \
      acc[wm][wn] = (floatV) 0.0f;

#define STORE_ACC(bt) \
  for (int wm = 0; wm < WPTM; wm++) \
    for (int wn = 0; wn < WPTN; wn++) \
      store_row (c, ldc, M, N, row0 + ty * WPTM + wm, col0 + (wn * RTSN + tx) * VW, \
                 acc[wm][wn], alpha, (bt));

#if KEEP_ACC
#define GEMM_BODY(TA, TB) \
  floatV acc[WPTM][WPTN]; \
  CLEAR_ACC \
  for (int k0 = 0; k0 < K; k0 += KC) \
    { \
      const int kc = min (KC, K - k0), kp = (kc + VW - 1) / VW * VW; \
      barrier (CLK_LOCAL_MEM_FENCE); \
      LOAD_PANELS (TA, TB) \
      barrier (CLK_LOCAL_MEM_FENCE); \
      MULTIPLY_PANEL (TA) \
    } \
  STORE_ACC (beta)
#else
#define GEMM_BODY(TA, TB) \
  for (int k0 = 0; k0 < K; k0 += KC) \
    { \
      const int kc = min (KC, K - k0), kp = (kc + VW - 1) / VW * VW; \
      barrier (CLK_LOCAL_MEM_FENCE); \
      LOAD_PANELS (TA, TB) \
      barrier (CLK_LOCAL_MEM_FENCE); \
      floatV acc[WPTM][WPTN]; \
      CLEAR_ACC \
      MULTIPLY_PANEL (TA) \
      STORE_ACC (k0 == 0 ? beta : 1.0f) \
    }
#endif

#define GEMM_KERNEL(NAME, TA, TB) \
__kernel __attribute__ ((reqd_work_group_size (RTSN, RTSM, 1))) \
void NAME (const int M, const int N, const int K, const float alpha, \
           __global const float *restrict a, const ulong aoff, const int lda, \
           __global const float *restrict b, const ulong boff, const int ldb, \
           const float beta, __global float *restrict c, const ulong coff, const int ldc) \
{ \
  __local float Asub[KC * TSM]; \
  __local float Bsub[KC * TSN]; \
  const int tx = get_local_id (0), ty = get_local_id (1); \
  const int tid = ty * RTSN + tx; \
  const int col0 = get_group_id (0) * TSN, row0 = get_group_id (1) * TSM; \
  a += aoff; \
  b += boff; \
  c += coff; \
  GEMM_BODY (TA, TB) \
}

GEMM_KERNEL (gemm_nn, 0, 0)
GEMM_KERNEL (gemm_nt, 0, 1)
GEMM_KERNEL (gemm_tn, 1, 0)
GEMM_KERNEL (gemm_tt, 1, 1)

/* The sum of a vector's lanes. */
inline float
lane_sum (const floatV v)
{
#if VW == 16
  const float8 h8 = v.lo + v.hi;
  const float4 h4 = h8.lo + h8.hi;
  const float2 h2 = h4.lo + h4.hi;
#elif VW == 8
  const float4 h4 = v.lo + v.hi;
  const float2 h2 = h4.lo + h4.hi;
#elif VW == 4
  const float2 h2 = v.lo + v.hi;
#else
  const float2 h2 = v;
#endif
  return h2.x + h2.y;
}

/* (dimension 0, dimension 1) = (block of DOT_WN columns, block of DOT_WM rows). */
__kernel void
gemm_nt_dot (const int M, const int N, const int K, const float alpha,
             __global const float *restrict a, const ulong aoff, const int lda,
             __global const float *restrict b, const ulong boff, const int ldb,
             const float beta, __global float *restrict c, const ulong coff, const int ldc)
{
  const int j0 = get_global_id (0) * DOT_WN, i0 = get_global_id (1) * DOT_WM;
  __global const float *ar[DOT_WM], *br[DOT_WN];
  floatV acc[DOT_WM][DOT_WN];
  float sum[DOT_WM][DOT_WN];
  int k = 0;
  if (i0 >= M || j0 >= N)
    return;
  /* Rows past the edge read the last row again; their results are not stored. */
  for (int wm = 0; wm < DOT_WM; wm++)
    ar[wm] = a + aoff + (size_t) min (i0 + wm, M - 1) * lda;
  for (int wn = 0; wn < DOT_WN; wn++)
    br[wn] = b + boff + (size_t) min (j0 + wn, N - 1) * ldb;
  _Pragma ("unroll") for (int wm = 0; wm < DOT_WM; wm++)
    _Pragma ("unroll") for (int wn = 0; wn < DOT_WN; wn++)
      acc[wm][wn] = (floatV) 0.0f;
  for (; k + VW <= K; k += VW)
    {
      floatV av[DOT_WM], bv[DOT_WN];
      _Pragma ("unroll") for (int wm = 0; wm < DOT_WM; wm++)
        av[wm] = vloadV (0, ar[wm] + k);
      _Pragma ("unroll") for (int wn = 0; wn < DOT_WN; wn++)
        bv[wn] = vloadV (0, br[wn] + k);
      _Pragma ("unroll") for (int wm = 0; wm < DOT_WM; wm++)
        _Pragma ("unroll") for (int wn = 0; wn < DOT_WN; wn++)
          acc[wm][wn] += av[wm] * bv[wn];
    }
  _Pragma ("unroll") for (int wm = 0; wm < DOT_WM; wm++)
    _Pragma ("unroll") for (int wn = 0; wn < DOT_WN; wn++)
      sum[wm][wn] = lane_sum (acc[wm][wn]);
  for (; k < K; k++)
    _Pragma ("unroll") for (int wm = 0; wm < DOT_WM; wm++)
      _Pragma ("unroll") for (int wn = 0; wn < DOT_WN; wn++)
        sum[wm][wn] += ar[wm][k] * br[wn][k];
  for (int wm = 0; wm < DOT_WM && i0 + wm < M; wm++)
    for (int wn = 0; wn < DOT_WN && j0 + wn < N; wn++)
      {
        __global float *o = c + coff + (size_t) (i0 + wm) * ldc + j0 + wn;
        *o = alpha * sum[wm][wn] + (beta != 0.0f ? beta * *o : 0.0f);
      }
}

/* One work-item per element of C; (dimension 0, dimension 1) = (column, row). K may be 0
 * (C = beta * C). */
__kernel void
gemm_small (const int trans_a, const int trans_b, const int M, const int N, const int K,
            const float alpha, __global const float *a, const ulong aoff, const int lda,
            __global const float *b, const ulong boff, const int ldb, const float beta,
            __global float *c, const ulong coff, const int ldc)
{
  const int j = get_global_id (0), i = get_global_id (1);
  const size_t as_i = trans_a ? 1 : (size_t) lda, as_p = trans_a ? (size_t) lda : 1;
  const size_t bs_p = trans_b ? 1 : (size_t) ldb, bs_j = trans_b ? (size_t) ldb : 1;
  float acc = 0.0f;
  if (i >= M || j >= N)
    return;
  a += aoff + i * as_i;
  b += boff + j * bs_j;
  for (int p = 0; p < K; p++)
    acc += a[p * as_p] * b[p * bs_p];
  c += coff + (size_t) i * ldc + j;
  *c = alpha * acc + (beta != 0.0f ? beta * *c : 0.0f);
}
