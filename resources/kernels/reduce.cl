/* reduce.cl: sums that fold many values into few: the bias gradient (column sums) and the
 * probes (sum of squares, activation statistics). Correct for any size: each output's sum
 * is split over the work-items of one work-group and folded by a tree in local memory.
 *
 * Tuning: CW x RS is the work-group of the column sums (CW columns, contiguous in memory, by
 * RS slices of rows); RWG is the size of the single work-group of the whole-buffer sums (a
 * power of two). */

#pragma OPENCL FP_CONTRACT OFF

#ifndef CW
#define CW 16
#endif
#ifndef RS
#define RS 16
#endif
#ifndef RWG
#define RWG 256
#endif

#define NW_STATS_BINS 32
/* The layout of core/nw-backend.h: sum, sumsq, saturated, dead, min, max, histogram. */
#define S_SUM 0
#define S_SUMSQ 1
#define S_SATURATED 2
#define S_DEAD 3
#define S_MIN 4
#define S_MAX 5
#define S_HIST0 6

/* Activation kinds, as NwActivation numbers them. */
#define ACT_SIGMOID 1
#define ACT_TANH 2
#define ACT_RELU 3

/* db[c] = sum over rows of dZ[r, c]. Work-group (CW, RS); dimension 0 picks the column. */
__kernel __attribute__ ((reqd_work_group_size (CW, RS, 1))) void
column_sums (__global const float *x, const ulong xoff, const int rows, const int cols,
             __global float *out, const ulong ooff)
{
  __local float tmp[RS][CW];
  const int lx = get_local_id (0), ly = get_local_id (1);
  const int c = get_group_id (0) * CW + lx;
  float s = 0.0f;
  if (c < cols)
    for (int r = ly; r < rows; r += RS)
      s += x[xoff + (size_t) r * cols + c];
  tmp[ly][lx] = s;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (int h = RS / 2; h > 0; h /= 2)
    {
      if (ly < h)
        tmp[ly][lx] += tmp[ly + h][lx];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (ly == 0 && c < cols)
    out[ooff + c] = tmp[0][lx];
}

/* Folds tmp[0 .. RWG) into tmp[0] with `op`; every work-item calls it. */
#define TREE(tmp, op) \
  do \
    { \
      barrier (CLK_LOCAL_MEM_FENCE); \
      for (int h_ = RWG / 2; h_ > 0; h_ /= 2) \
        { \
          if (lid < h_) \
            tmp[lid] = op (tmp[lid], tmp[lid + h_]); \
          barrier (CLK_LOCAL_MEM_FENCE); \
        } \
    } \
  while (0)

#define PLUS(a, b) ((a) + (b))

/* out = sum of x^2 over n elements. One work-group of RWG. */
__kernel __attribute__ ((reqd_work_group_size (RWG, 1, 1))) void
sumsq (__global const float *x, const ulong xoff, const ulong n, __global float *out,
       const ulong ooff)
{
  __local float tmp[RWG];
  const int lid = get_local_id (0);
  float s = 0.0f;
  for (size_t i = lid; i < n; i += RWG)
    {
      const float v = x[xoff + i];
      s += v * v;
    }
  tmp[lid] = s;
  TREE (tmp, PLUS);
  if (lid == 0)
    out[ooff] = tmp[0];
}

/* The NW_STATS_SIZE statistics of the activation inputs X (see core/nw-backend.h). One
 * work-group of RWG; the histogram is counted with local integer atomics. */
__kernel __attribute__ ((reqd_work_group_size (RWG, 1, 1))) void
act_stats (const int act, const float alpha, const ulong n, __global const float *x,
           const ulong xoff, const float lo, const float hi, __global float *out,
           const ulong ooff)
{
  __local float tmp[RWG];
  __local int hist[NW_STATS_BINS];
  const int lid = get_local_id (0);
  /* The CPU divides in float, then widens: the same width here. */
  const float width = (hi - lo) / NW_STATS_BINS;
  float sum = 0.0f, sq = 0.0f, sat = 0.0f, dead = 0.0f, mn = INFINITY, mx = -INFINITY;
  float result[6];

  for (int b = lid; b < NW_STATS_BINS; b += RWG)
    hist[b] = 0;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (size_t i = lid; i < n; i += RWG)
    {
      const float v = x[xoff + i];
      const float fb = floor ((v - lo) / width);
      /* Clamped before the conversion (out-of-range and NaN land in the end bins, as on the
       * CPU, where NaN converts to INT_MIN). */
      const int bin = isnan (fb) || fb < 0.0f ? 0 : fb > NW_STATS_BINS - 1 ? NW_STATS_BINS - 1 : (int) fb;
      sum += v;
      sq += v * v;
      mn = fmin (mn, v);
      mx = fmax (mx, v);
      atomic_inc (&hist[bin]);
      /* Saturated: the derivative is below 1% of its peak (sigmoid 0.25, tanh 1). */
      if (act == ACT_SIGMOID)
        {
          const float s = 1.0f / (1.0f + exp (-v));
          sat += s * (1.0f - s) < 0.0025f ? 1.0f : 0.0f;
        }
      else if (act == ACT_TANH)
        {
          const float t = tanh (v);
          sat += 1.0f - t * t < 0.01f ? 1.0f : 0.0f;
        }
      else if (act == ACT_RELU)
        dead += v <= 0.0f ? 1.0f : 0.0f;
    }

  tmp[lid] = sum;
  TREE (tmp, PLUS);
  result[S_SUM] = tmp[0];
  barrier (CLK_LOCAL_MEM_FENCE);
  tmp[lid] = sq;
  TREE (tmp, PLUS);
  result[S_SUMSQ] = tmp[0];
  barrier (CLK_LOCAL_MEM_FENCE);
  tmp[lid] = sat;
  TREE (tmp, PLUS);
  result[S_SATURATED] = tmp[0];
  barrier (CLK_LOCAL_MEM_FENCE);
  tmp[lid] = dead;
  TREE (tmp, PLUS);
  result[S_DEAD] = tmp[0];
  barrier (CLK_LOCAL_MEM_FENCE);
  tmp[lid] = mn;
  TREE (tmp, fmin);
  result[S_MIN] = n > 0 ? tmp[0] : 0.0f;
  barrier (CLK_LOCAL_MEM_FENCE);
  tmp[lid] = mx;
  TREE (tmp, fmax);
  result[S_MAX] = n > 0 ? tmp[0] : 0.0f;

  if (lid == 0)
    for (int k = 0; k < 6; k++)
      out[ooff + k] = result[k];
  for (int b = lid; b < NW_STATS_BINS; b += RWG)
    out[ooff + S_HIST0 + b] = (float) hist[b];
}
