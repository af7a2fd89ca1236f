/* elementwise.cl: copies, sums, the mini-batch gather, activations forward (fused with the
 * bias) and backward, dropout. The activations' formulas are act.cl's, which the host puts
 * in front of this file.
 *
 * Every kernel mirrors an operation of the CPU backend (core/nw-backend-cpu.c) expression
 * for expression, and FP_CONTRACT is off so that a * b + c is not fused into one rounding
 * where the CPU rounds twice. Offsets are in elements; sizes need not be multiples of the
 * work-group size (every kernel checks its bounds). Two-dimensional kernels take
 * (column, row) as (dimension 0, dimension 1): the contiguous index is dimension 0.
 * A gradient written without `accumulate` is 0 + d, as on the CPU (which clears, then
 * adds), so that -0 comes out as +0 there too. */

#pragma OPENCL FP_CONTRACT OFF

/* dst[i] += src[i] (copy with accumulate; a plain copy is clEnqueueCopyBuffer) */
__kernel void
accumulate (__global const float *src, const ulong soff, __global float *dst, const ulong doff,
            const ulong n)
{
  const size_t i = get_global_id (0);
  if (i < n)
    dst[doff + i] += src[soff + i];
}

/* dst[r, 0:cols] (+)= src[r, 0:cols] with row strides sld, dld (Concat) */
__kernel void
copy_cols (__global const float *src, const ulong soff, const int sld, __global float *dst,
           const ulong doff, const int dld, const int rows, const int cols, const int accumulate)
{
  const int c = get_global_id (0), r = get_global_id (1);
  if (c < cols && r < rows)
    {
      const float v = src[soff + (size_t) r * sld + c];
      __global float *d = dst + doff + (size_t) r * dld + c;
      *d = accumulate ? *d + v : v;
    }
}

/* y = a + b */
__kernel void
add (__global const float *a, const ulong aoff, __global const float *b, const ulong boff,
     __global float *y, const ulong yoff, const ulong n)
{
  const size_t i = get_global_id (0);
  if (i < n)
    y[yoff + i] = a[aoff + i] + b[boff + i];
}

/* dst[i, :] = src[idx[i], :] */
__kernel void
gather_rows (__global const float *src, const int cols, __global const int *idx,
             const ulong ioff, const int n_idx, __global float *dst, const ulong doff)
{
  const int c = get_global_id (0), i = get_global_id (1);
  if (c < cols && i < n_idx)
    dst[doff + (size_t) i * cols + c] = src[(size_t) idx[ioff + i] * cols + c];
}

/* ---- activations ---- */

/* The formulas F_<act> and D_<act> are act.cl's (prepended by the host). */

/* bias_act_<act>: Z[r, c] += bias[c] (when has_bias; Z is updated, as on the CPU), then
 * Y = act(Z). Y may be Z. One kernel per activation, so the branch is not per element. */
#define BIAS_ACT(KERNEL, F) \
__kernel void \
KERNEL (__global float *z, const ulong zoff, const int rows, const int cols, \
                 __global const float *bias, const ulong boff, const int has_bias, \
                 const float alpha, __global float *y, const ulong yoff) \
{ \
  const int c = get_global_id (0), r = get_global_id (1); \
  if (c < cols && r < rows) \
    { \
      const size_t i = (size_t) r * cols + c; \
      float x = z[zoff + i]; \
      if (has_bias) \
        { \
          x += bias[boff + c]; \
          z[zoff + i] = x; \
        } \
      y[yoff + i] = F (x, alpha); \
    } \
}

/* act_backward_<act>: dX (+)= act'(X) * dY */
#define ACT_BACKWARD(KERNEL, D) \
__kernel void \
KERNEL (const ulong n, const float alpha, __global const float *x, const ulong xoff, \
                     __global const float *y, const ulong yoff, __global const float *dy, \
                     const ulong dyoff, __global float *dx, const ulong dxoff, \
                     const int accumulate) \
{ \
  const size_t i = get_global_id (0); \
  if (i < n) \
    { \
      const float xi = x[xoff + i], yi = y[yoff + i], gi = dy[dyoff + i]; \
      const float d = D (xi, yi, gi, alpha); \
      dx[dxoff + i] = (accumulate ? dx[dxoff + i] : 0.0f) + d; \
    } \
}

/* One pair of kernels per elementwise activation in core's table (NW_ACT_LIST, from the
 * host): bias_act_<name>, act_backward_<name>. */
/* Pasted at once: a name such as tanh or step is also an OpenCL builtin, which some
 * compilers define as a macro, and an unpasted argument would be expanded. */
#define ACT_KERNELS(NAME, ID) \
  BIAS_ACT (bias_act_##NAME, F_##NAME) ACT_BACKWARD (act_backward_##NAME, D_##NAME)
NW_ACT_LIST (ACT_KERNELS)

/* ---- softmax: one work-group per row, its size a power of two (host-chosen) ---- */

/* The sum (or max) of v over the work-group, in every work-item. tmp: local_size floats. */
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

inline float
group_max (float v, __local float *tmp)
{
  const int lid = get_local_id (0);
  tmp[lid] = v;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (int s = get_local_size (0) / 2; s > 0; s /= 2)
    {
      if (lid < s)
        tmp[lid] = fmax (tmp[lid], tmp[lid + s]);
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  v = tmp[0];
  barrier (CLK_LOCAL_MEM_FENCE);
  return v;
}

/* Z[r, :] += bias (when has_bias), Y[r, :] = softmax(Z[r, :]). Y may be Z: each element is
 * read and written by the same work-item. */
__kernel void
bias_act_softmax (__global float *z, const ulong zoff, const int rows, const int cols,
                  __global const float *bias, const ulong boff, const int has_bias,
                  const float alpha, __global float *y, const ulong yoff, __local float *tmp)
{
  const int r = get_group_id (0), lid = get_local_id (0), lsz = get_local_size (0);
  __global float *zr = z + zoff + (size_t) r * cols;
  __global float *yr = y + yoff + (size_t) r * cols;
  float mx = -INFINITY, sum = 0.0f;
  for (int c = lid; c < cols; c += lsz)
    {
      float v = zr[c];
      if (has_bias)
        {
          v += bias[boff + c];
          zr[c] = v;
        }
      mx = fmax (mx, v);
    }
  mx = group_max (mx, tmp);
  for (int c = lid; c < cols; c += lsz)
    {
      const float e = exp (zr[c] - mx);
      yr[c] = e;
      sum += e;
    }
  sum = group_sum (sum, tmp);
  for (int c = lid; c < cols; c += lsz)
    yr[c] = yr[c] / sum;
}

/* dX[r, :] (+)= Y * (dY - <Y, dY>) per row */
__kernel void
act_backward_softmax (const int rows, const int cols, __global const float *y, const ulong yoff,
                      __global const float *dy, const ulong dyoff, __global float *dx,
                      const ulong dxoff, const int accumulate, __local float *tmp)
{
  const int r = get_group_id (0), lid = get_local_id (0), lsz = get_local_size (0);
  const size_t row = (size_t) r * cols;
  float dot = 0.0f;
  for (int c = lid; c < cols; c += lsz)
    dot += y[yoff + row + c] * dy[dyoff + row + c];
  dot = group_sum (dot, tmp);
  for (int c = lid; c < cols; c += lsz)
    {
      const float d = y[yoff + row + c] * (dy[dyoff + row + c] - dot);
      __global float *o = dx + dxoff + row + c;
      *o = (accumulate ? *o : 0.0f) + d;
    }
}

/* ---- dropout ---- */

/* nw_mix64 and nw_counter_uniform of core/nw-rng.h, bit for bit. */
inline ulong
mix64 (ulong z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
  return z ^ (z >> 31);
}

inline float
counter_uniform (const ulong seed, const ulong counter)
{
  const ulong z = mix64 (seed + (counter + 1) * 0x9e3779b97f4a7c15UL);
  return (float) (z >> 40) * (1.0f / 16777216.0f);
}

/* mask[i] = u(seed, counter + i) >= p ? keep_scale : 0, Y = X * mask */
__kernel void
dropout (const ulong n, const float p, const float keep_scale, const ulong seed,
         const ulong counter, __global const float *x, const ulong xoff, __global float *mask,
         const ulong moff, __global float *y, const ulong yoff)
{
  const size_t i = get_global_id (0);
  if (i < n)
    {
      const float m = counter_uniform (seed, counter + i) >= p ? keep_scale : 0.0f;
      mask[moff + i] = m;
      y[yoff + i] = x[xoff + i] * m;
    }
}

/* dX (+)= dY * mask */
__kernel void
mul (const ulong n, __global const float *dy, const ulong dyoff, __global const float *mask,
     const ulong moff, __global float *dx, const ulong dxoff, const int accumulate)
{
  const size_t i = get_global_id (0);
  if (i < n)
    {
      const float d = dy[dyoff + i] * mask[moff + i];
      dx[dxoff + i] = (accumulate ? dx[dxoff + i] : 0.0f) + d;
    }
}
