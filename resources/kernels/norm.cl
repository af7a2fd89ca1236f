/* norm.cl: BatchNorm (axis 0: each column normalised over the rows) and LayerNorm (axis 1:
 * each row over the columns), forward and backward, as core/nw-backend-cpu.c computes them.
 *
 * A "group" is what one mean/invstd pair describes (a column for axis 0, a row for axis 1);
 * a "feature" is what one gamma/beta pair scales (always a column). Group kernels run one
 * work-group per group, its size a power of two chosen by the host, and reduce in local
 * memory; the feature kernel (dgamma, dbeta) is a column sum over rows.
 *
 * Tuning: CW x RS is the work-group of the column sums. */

#pragma OPENCL FP_CONTRACT OFF

#ifndef CW
#define CW 16
#endif
#ifndef RS
#define RS 16
#endif

inline float
group_sum (float v, __local float *tmp)
{
  const int lid = get_local_id (0);
  tmp[lid] = v;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (int s = get_local_size (0) / 2; s > 0; s /= 2)
    {
      if (lid < s)
        tmp[lid] += tmp[lid + s];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  v = tmp[0];
  barrier (CLK_LOCAL_MEM_FENCE);
  return v;
}

/* Element j of group g is at g * gstride + j * estride; its feature (column) is g or j. */
#define GROUP_LAYOUT \
  const int g = get_group_id (0), lid = get_local_id (0), lsz = get_local_size (0); \
  const int per = axis == 0 ? rows : cols; \
  const size_t gstride = axis == 0 ? 1 : (size_t) cols; \
  const size_t estride = axis == 0 ? (size_t) cols : 1; \
  const size_t base = (size_t) g * gstride;

/* Y = (X - mean) * invstd (* gamma + beta). Batch statistics (two passes: the variance from
 * centred values) unless use_running; training BatchNorm also moves the running mean and
 * (unbiased) variance, stored at roff and roff + cols. */
__kernel void
norm_forward (const int axis, const int use_running, const int rows, const int cols,
              __global const float *x, const ulong xoff, __global float *y, const ulong yoff,
              __global const float *gamma, const ulong goff, __global const float *beta,
              const ulong boff, const int affine, __global float *running, const ulong roff,
              const float momentum, const float eps, const int update_running,
              __global float *mean, __global float *invstd, const ulong soff,
              __local float *tmp)
{
  GROUP_LAYOUT
  /* The barriers in group_sum are reached by every work-item whatever use_running says:
   * with running statistics the loops are empty and the sums unused. */
  const int n_stat = use_running ? 0 : per;
  float s = 0.0f, d2 = 0.0f, m, is;
  x += xoff + base;
  y += yoff + base;
  for (int j = lid; j < n_stat; j += lsz)
    s += x[j * estride];
  m = group_sum (s, tmp) / per;
  for (int j = lid; j < n_stat; j += lsz)
    {
      const float d = x[j * estride] - m;
      d2 += d * d;
    }
  d2 = group_sum (d2, tmp);
  if (use_running)
    {
      m = running[roff + g];
      is = 1.0f / sqrt (running[roff + cols + g] + eps);
    }
  else
    {
      const float var = d2 / per;
      is = 1.0f / sqrt (var + eps);
      if (update_running && axis == 0 && lid == 0)
        {
          const float unbiased = per > 1 ? d2 / (per - 1) : var;
          running[roff + g] = (1.0f - momentum) * running[roff + g] + momentum * m;
          running[roff + cols + g] = (1.0f - momentum) * running[roff + cols + g] + momentum * unbiased;
        }
    }
  if (lid == 0)
    {
      mean[soff + g] = m;
      invstd[soff + g] = is;
    }
  for (int j = lid; j < per; j += lsz)
    {
      float v = (x[j * estride] - m) * is;
      if (affine)
        {
          const int c = axis == 0 ? g : j;
          v = v * gamma[goff + c] + beta[boff + c];
        }
      y[j * estride] = v;
    }
}

/* dX (+)= the input gradient, per group. With xhat = (x - mean) * invstd, d = dy * gamma:
 * dx = invstd * (d - mean(d) - xhat * mean(d * xhat)) (batch statistics),
 * dx = invstd * d (running statistics: the normalisation is a fixed affine map). */
__kernel void
norm_backward_groups (const int axis, const int used_running, const int rows, const int cols,
                      __global const float *x, const ulong xoff, __global const float *dy,
                      const ulong dyoff, __global const float *gamma, const ulong goff,
                      const int has_gamma, __global const float *mean,
                      __global const float *invstd, const ulong soff, __global float *dx,
                      const ulong dxoff, const int accumulate, __local float *tmp)
{
  GROUP_LAYOUT
  const float m = mean[soff + g], is = invstd[soff + g];
  float sum_d = 0.0f, sum_dx = 0.0f;
  x += xoff + base;
  dy += dyoff + base;
  dx += dxoff + base;
  /* Every work-item reaches the barriers; with running statistics the sums are unused. */
  for (int j = lid; j < (used_running ? 0 : per); j += lsz)
    {
      const size_t i = j * estride;
      const float xhat = (x[i] - m) * is;
      const float d = dy[i] * (has_gamma ? gamma[goff + (axis == 0 ? g : j)] : 1.0f);
      sum_d += d;
      sum_dx += d * xhat;
    }
  sum_d = group_sum (sum_d, tmp);
  sum_dx = group_sum (sum_dx, tmp);
  for (int j = lid; j < per; j += lsz)
    {
      const size_t i = j * estride;
      const float xhat = (x[i] - m) * is;
      const float d = dy[i] * (has_gamma ? gamma[goff + (axis == 0 ? g : j)] : 1.0f);
      const float v = used_running ? is * d : is * (d - sum_d / per - xhat * sum_dx / per);
      dx[i] = (accumulate ? dx[i] : 0.0f) + v;
    }
}

/* dgamma[c] = sum over rows of dy * xhat, dbeta[c] = sum over rows of dy. Work-group
 * (CW, RS): CW columns by RS slices of rows. */
__kernel __attribute__ ((reqd_work_group_size (CW, RS, 1))) void
norm_backward_features (const int axis, const int rows, const int cols,
                        __global const float *x, const ulong xoff, __global const float *dy,
                        const ulong dyoff, __global const float *mean,
                        __global const float *invstd, const ulong soff,
                        __global float *dgamma, const ulong dgoff, __global float *dbeta,
                        const ulong dboff)
{
  __local float tg[RS][CW], tb[RS][CW];
  const int lx = get_local_id (0), ly = get_local_id (1);
  const int c = get_group_id (0) * CW + lx;
  float sg = 0.0f, sb = 0.0f;
  if (c < cols)
    for (int r = ly; r < rows; r += RS)
      {
        const size_t i = (size_t) r * cols + c;
        const int g = axis == 0 ? c : r;
        const float xhat = (x[xoff + i] - mean[soff + g]) * invstd[soff + g];
        const float d = dy[dyoff + i];
        sg += d * xhat;
        sb += d;
      }
  tg[ly][lx] = sg;
  tb[ly][lx] = sb;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (int h = RS / 2; h > 0; h /= 2)
    {
      if (ly < h)
        {
          tg[ly][lx] += tg[ly + h][lx];
          tb[ly][lx] += tb[ly + h][lx];
        }
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (ly == 0 && c < cols)
    {
      dgamma[dgoff + c] = tg[0][lx];
      dbeta[dboff + c] = tb[0][lx];
    }
}
