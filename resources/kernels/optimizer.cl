/* optimizer.cl: one kernel per update rule, the whole update of a parameter in one pass.
 *
 * PyTorch's rules, as core/nw-backend-cpu.c writes them (see docs/optimizers.md), expression
 * for expression; FP_CONTRACT is off and the host asks for correctly rounded division and
 * square root where the device offers them, so that an update gives the CPU's bits. The
 * penalised gradient is g + l2 * w + l1 * sign(w); the host passes l1 = l2 = 0 where the call
 * says not to penalise (biases). P, G, S1, S2 share one offset. */

#pragma OPENCL FP_CONTRACT OFF

/* Decaying running averages below the smallest normal float become 0, as on the CPU (see
 * FLUSH in core/nw-backend-cpu.c: subnormals are slow and move no weight). */
#define FLUSH(x) (fabs (x) < FLT_MIN ? 0.0f : (x))

#define PENALISED(i) (g[i] + l2 * w[i] + l1 * (float) ((w[i] > 0.0f) - (w[i] < 0.0f)))

#define UPDATE_PROLOGUE \
  const size_t i = get_global_id (0); \
  if (i >= n) \
    return; \
  w += off; \
  g += off;

__kernel void
update_sgd (const ulong n, __global float *w, __global const float *g, const ulong off,
            const float lr, const float l1, const float l2)
{
  UPDATE_PROLOGUE
  w[i] -= lr * PENALISED (i);
}

/* Heavy ball, or Nesterov (nesterov != 0): b = mu b + g; w -= lr (g + mu b) */
__kernel void
update_momentum (const ulong n, __global float *w, __global const float *g, __global float *b,
                 const ulong off, const float lr, const float mu, const int nesterov,
                 const float l1, const float l2)
{
  UPDATE_PROLOGUE
  const float gi = PENALISED (i);
  b += off;
  b[i] = FLUSH (mu * b[i] + gi);
  if (nesterov)
    w[i] -= lr * (gi + mu * b[i]);
  else
    w[i] -= lr * b[i];
}

__kernel void
update_adagrad (const ulong n, __global float *w, __global const float *g, __global float *s,
                const ulong off, const float lr, const float eps, const float l1, const float l2)
{
  UPDATE_PROLOGUE
  const float gi = PENALISED (i);
  s += off;
  s[i] += gi * gi;
  w[i] -= lr * gi / (sqrt (s[i]) + eps);
}

/* With momentum (mu > 0): b = mu b + g / (sqrt(s) + eps), w -= lr b */
__kernel void
update_rmsprop (const ulong n, __global float *w, __global const float *g, __global float *s,
                __global float *b, const ulong off, const float lr, const float rho,
                const float mu, const float eps, const float l1, const float l2)
{
  UPDATE_PROLOGUE
  const float gi = PENALISED (i);
  s += off;
  s[i] = FLUSH (rho * s[i] + (1.0f - rho) * gi * gi);
  if (mu > 0.0f)
    {
      b += off;
      b[i] = FLUSH (mu * b[i] + gi / (sqrt (s[i]) + eps));
      w[i] -= lr * b[i];
    }
  else
    w[i] -= lr * gi / (sqrt (s[i]) + eps);
}

/* Adam and AdamW: w = w * decay - step * m / (sqrt(v) * inv_sqrt_bc2 + eps), with
 * step = lr / bc1 and decay = 1 - lr * weight_decay (AdamW) or 1, from the host. */
__kernel void
update_adam (const ulong n, __global float *w, __global const float *g, __global float *m,
             __global float *v, const ulong off, const float step, const float inv_sqrt_bc2,
             const float b1, const float b2, const float eps, const float decay,
             const float l1, const float l2)
{
  UPDATE_PROLOGUE
  const float gi = PENALISED (i);
  m += off;
  v += off;
  m[i] = FLUSH (b1 * m[i] + (1.0f - b1) * gi);
  v[i] = FLUSH (b2 * v[i] + (1.0f - b2) * gi * gi);
  w[i] = w[i] * decay - step * m[i] / (sqrt (v[i]) * inv_sqrt_bc2 + eps);
}
