/* loss.cl: a loss, its gradient and the step's metrics in one pass (one launch).
 *
 * One work-group of LWG work-items (a power of two) takes the rows in turn: each work-item
 * computes its rows' loss terms, writes their gradient (dP (+)= dLoss/dP of the batch mean)
 * and counts its correct predictions; the group then folds the sums in local memory and
 * work-item 0 ADDS loss * rows, the correct count and rows to metrics[moff + 0, 1, 2], as
 * core/nw-backend-cpu.c does. Any rows x cols. */

#pragma OPENCL FP_CONTRACT OFF

#ifndef LWG
#define LWG 256
#endif

/* LOSS_*, sigmoid and loss_term are act.cl's (prepended by the host). */

/* The first index of the largest value (as the CPU's argmax). */
inline int
argmax (__global const float *v, const int n)
{
  int best = 0;
  for (int i = 1; i < n; i++)
    if (v[i] > v[best])
      best = i;
  return best;
}

__kernel __attribute__ ((reqd_work_group_size (LWG, 1, 1))) void
loss (const int kind, const int rows, const int cols, __global const float *p, const ulong poff,
      __global const float *t, const ulong toff, __global float *dp, const ulong dpoff,
      const int has_dp, const int accumulate, __global float *metrics, const ulong moff,
      const int has_metrics)
{
  __local float tl[LWG], tc[LWG];
  const int lid = get_local_id (0);
  const size_t n = (size_t) rows * cols;
  /* The gradient of the mean: over every element, or over rows for softmax. */
  const float scale = 1.0f / (kind == LOSS_SOFTMAX_XENT ? (float) rows : (float) n);
  float total = 0.0f, correct = 0.0f;

  for (int r = lid; r < rows; r += LWG)
    {
      __global const float *pr = p + poff + (size_t) r * cols;
      __global const float *tr = t + toff + (size_t) r * cols;
      __global float *dr = dp + dpoff + (size_t) r * cols;

      if (kind == LOSS_SOFTMAX_XENT)
        {
          const float mx = pr[argmax (pr, cols)];
          float sum = 0.0f, lse, tsum = 0.0f;
          for (int c = 0; c < cols; c++)
            sum += exp (pr[c] - mx);
          lse = mx + log (sum);
          for (int c = 0; c < cols; c++)
            {
              total += tr[c] * (lse - pr[c]);
              tsum += tr[c];
            }
          if (has_dp)
            for (int c = 0; c < cols; c++)
              {
                const float g = scale * (exp (pr[c] - lse) * tsum - tr[c]);
                dr[c] = (accumulate ? dr[c] : 0.0f) + g;
              }
        }
      else
        for (int c = 0; c < cols; c++)
          {
            const float pi = pr[c], ti = tr[c];
            float g;
            total += loss_term (kind, pi, ti, scale, &g);
            if (has_dp)
              dr[c] = (accumulate ? dr[c] : 0.0f) + g;
          }

      if (cols == 1)
        {
          correct += (pr[0] > one_output_threshold (kind)) == (tr[0] > 0.5f) ? 1.0f : 0.0f;
        }
      else
        correct += argmax (pr, cols) == argmax (tr, cols) ? 1.0f : 0.0f;
    }

  tl[lid] = total;
  tc[lid] = correct;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (int h = LWG / 2; h > 0; h /= 2)
    {
      if (lid < h)
        {
          tl[lid] += tl[lid + h];
          tc[lid] += tc[lid + h];
        }
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (lid == 0 && has_metrics)
    {
      metrics[moff + 0] += tl[0] * scale * rows;
      metrics[moff + 1] += tc[0];
      metrics[moff + 2] += rows;
    }
}
