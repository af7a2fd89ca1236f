/* chain.cl: many training steps of a small dense chain in one launch.
 *
 * For networks such as XOR's 2-10-10-10-1, a training step is a few thousand multiply-adds
 * spread over some 28 kernel launches: the launches are all the cost. train_chain runs `steps`
 * whole steps (gather the batch, forward, loss, backward, optimizer update) in ONE work-group
 * of FWG work-items, with the parameters, their gradients and every activation in local
 * memory, separated by barriers. Parameters go back to global memory at the end; the
 * optimizer state stays in global memory (each element is touched by the same work-item at
 * every step, so it needs no barrier).
 *
 * The arithmetic is the per-operation kernels', expression for expression: products summed
 * in k order from 0 (gemm_small), the bias added after the product (bias_act), activations
 * and their derivatives of elementwise.cl, the loss and metrics of loss.cl, the updates of
 * optimizer.cl. Only sums of several work-items' shares (bias gradients, the loss over rows)
 * may add in another order. FP_CONTRACT is off, as there.
 *
 * The chain: input -> layer 0 -> ... -> layer n_layers-1 -> loss, where a layer is a Dense
 * (optionally with bias) and the elementwise activation that follows it (linear when none).
 * `table` holds L_FIELDS ints per layer (below). Local memory `lm` holds, at the offsets the
 * host computed: P, G (n_params each) at 0 and n_params, the batch's inputs X and targets T,
 * each layer's Z (pre-activation) and Y (= Z for linear), and two gradient buffers D0, D1 of
 * batch x (widest layer). `red` is 2 x FWG floats for the loss's sums.
 *
 * Step j takes rows perm[start .. start + rows) with start = pos + j * stride and
 * rows = min(batch, n_rows - start). It writes loss * rows, correct and rows (as loss.cl adds
 * them to the metrics) to out[1 + 3j ...]. A step whose mean loss is not finite or above
 * loss_limit is the last one run (its update included, as in the per-operation path, whose
 * divergence check comes after the update). A step whose mean loss is below loss_floor is
 * not run at all: the launch stops before its backward pass and update. out[0] = the number
 * of steps run. */

#pragma OPENCL FP_CONTRACT OFF

#ifndef FWG
#define FWG 64         /* work-items of the one work-group (a power of two) */
#endif

/* Fields of one layer in `table`. */
#define L_IN 0         /* input width */
#define L_OUT 1        /* output width */
#define L_W 2          /* weights [out][in] at P + L_W */
#define L_B 3          /* bias at P + L_B; -1: no bias */
#define L_ACT 4        /* NwActivation (never softmax) */
#define L_ALPHA 5      /* leaky ReLU slope / ELU alpha, float bits */
#define L_Z 6          /* Z [rows][out] at lm + L_Z */
#define L_Y 7          /* Y [rows][out] at lm + L_Y (== L_Z for linear) */
#define L_FIELDS 8

/* ACT_<name> (NwActivation) and LOSS_* are defined with act.cl, in front of this file. */

/* NwOptimizerKind */
#define OPT_SGD 0
#define OPT_MOMENTUM 1
#define OPT_NESTEROV 2
#define OPT_ADAGRAD 3
#define OPT_RMSPROP 4
#define OPT_ADAM 5
#define OPT_ADAMW 6

/* elementwise.cl's bias_act_<act>: act.cl's F_<act> */
inline float
act_forward (const int act, const float x, const float alpha)
{
  switch (act)
    {
#define FORWARD_CASE(NAME, ID) case ID: return F_##NAME (x, alpha);
    NW_ACT_LIST (FORWARD_CASE)
#undef FORWARD_CASE
    default:
      return x;
    }
}

/* elementwise.cl's act_backward_<act>: act.cl's D_<act>, dY * act'(X) from X and Y = act(X) */
inline float
act_backward (const int act, const float x, const float y, const float dy, const float alpha)
{
  switch (act)
    {
#define BACKWARD_CASE(NAME, ID) case ID: return D_##NAME (x, y, dy, alpha);
    NW_ACT_LIST (BACKWARD_CASE)
#undef BACKWARD_CASE
    default:
      return dy;
    }
}

/* The first index of the largest value (as the CPU's argmax). */
inline int
argmax_local (__local const float *v, const int n)
{
  int best = 0;
  for (int i = 1; i < n; i++)
    if (v[i] > v[best])
      best = i;
  return best;
}

/* Decaying running averages below the smallest normal float become 0 (optimizer.cl). */
#define FLUSH(x) (fabs (x) < FLT_MIN ? 0.0f : (x))

/* The update rules of optimizer.cl for one parameter (gi already penalised). */
inline float
update_one (const int opt, float w, const float gi, __global float *m, __global float *v,
            const float lr, const float mu, const float eps, const float rho, const float b1,
            const float b2, const float step, const float inv_sqrt_bc2, const float decay)
{
  switch (opt)
    {
    case OPT_MOMENTUM:
    case OPT_NESTEROV:
      *m = FLUSH (mu * *m + gi);
      if (opt == OPT_NESTEROV)
        w -= lr * (gi + mu * *m);
      else
        w -= lr * *m;
      return w;
    case OPT_ADAGRAD:
      *m += gi * gi;
      w -= lr * gi / (sqrt (*m) + eps);
      return w;
    case OPT_RMSPROP:
      *m = FLUSH (rho * *m + (1.0f - rho) * gi * gi);
      if (mu > 0.0f)
        {
          *v = FLUSH (mu * *v + gi / (sqrt (*m) + eps));
          w -= lr * *v;
        }
      else
        w -= lr * gi / (sqrt (*m) + eps);
      return w;
    case OPT_ADAM:
    case OPT_ADAMW:
      *m = FLUSH (b1 * *m + (1.0f - b1) * gi);
      *v = FLUSH (b2 * *v + (1.0f - b2) * gi * gi);
      return w * decay - step * *m / (sqrt (*v) * inv_sqrt_bc2 + eps);
    default:
      return w - lr * gi;
    }
}

__kernel __attribute__ ((reqd_work_group_size (FWG, 1, 1))) void
train_chain (const int n_layers, __global const int *table, const int loss_kind,
             const int d, const int tw, const int n_params, const int n_weights,
             __global float *params, __global float *s1, __global float *s2,
             __global const float *x, __global const float *t, __global const int *perm,
             const int n_rows, const int pos, const int stride, const int batch,
             const int steps, const int opt, const float lr, const float mu, const float eps,
             const float rho, const float b1, const float b2, const float decay,
             const float l1, const float l2, __global const float *adam,
             const float loss_limit, const float loss_floor, __global float *out,
             __local float *lm,
             const int x_off, const int t_off, const int d0_off, const int d1_off,
             __local float *red)
{
  const int lid = get_local_id (0);
  __local float *P = lm, *G = lm + n_params, *X = lm + x_off, *T = lm + t_off;
  const int last = n_layers - 1;
  const int cols = table[last * L_FIELDS + L_OUT];
  int done = 0;

  for (int i = lid; i < n_params; i += FWG)
    P[i] = params[i];
  barrier (CLK_LOCAL_MEM_FENCE);

  for (int j = 0; j < steps; j++)
    {
      const int start = pos + j * stride;
      const int rows = min (batch, n_rows - start);
      __local float *in = X, *dcur = lm + d0_off, *dnext = lm + d1_off, *tmp;
      int iw = d;
      float total = 0.0f, correct = 0.0f, scale, metric_loss, mean;

      /* ---- the batch, through the epoch's order */
      for (int e = lid; e < rows * d; e += FWG)
        {
          const int r = e / d;
          X[e] = x[(size_t) perm[start + r] * d + (e - r * d)];
        }
      for (int e = lid; e < rows * tw; e += FWG)
        {
          const int r = e / tw;
          T[e] = t[(size_t) perm[start + r] * tw + (e - r * tw)];
        }
      barrier (CLK_LOCAL_MEM_FENCE);

      /* ---- forward: Z = X W^T (+ b), Y = act(Z) */
      for (int l = 0; l < n_layers; l++)
        {
          __global const int *L = table + l * L_FIELDS;
          const int ow = L[L_OUT], act = L[L_ACT], b_off = L[L_B];
          const float alpha = as_float (L[L_ALPHA]);
          __local const float *W = P + L[L_W];
          __local float *Z = lm + L[L_Z], *Y = lm + L[L_Y];
          for (int e = lid; e < rows * ow; e += FWG)
            {
              const int r = e / ow, o = e - r * ow;
              float acc = 0.0f;
              for (int k = 0; k < iw; k++)
                acc += in[r * iw + k] * W[o * iw + k];
              if (b_off >= 0)
                acc += P[b_off + o];
              Z[e] = acc;
              if (act != ACT_linear)
                Y[e] = act_forward (act, acc, alpha);
            }
          barrier (CLK_LOCAL_MEM_FENCE);
          in = Y;
          iw = ow;
        }

      /* ---- loss (loss.cl): its gradient of the batch mean into dcur, its sums into red */
      scale = 1.0f / (loss_kind == LOSS_SOFTMAX_XENT ? (float) rows : (float) (rows * cols));
      for (int r = lid; r < rows; r += FWG)
        {
          __local const float *pr = in + r * cols, *tr = T + r * tw;
          __local float *dr = dcur + r * cols;
          if (loss_kind == LOSS_SOFTMAX_XENT)
            {
              const float mx = pr[argmax_local (pr, cols)];
              float sum = 0.0f, lse, tsum = 0.0f;
              for (int c = 0; c < cols; c++)
                sum += exp (pr[c] - mx);
              lse = mx + log (sum);
              for (int c = 0; c < cols; c++)
                {
                  total += tr[c] * (lse - pr[c]);
                  tsum += tr[c];
                }
              for (int c = 0; c < cols; c++)
                dr[c] = 0.0f + scale * (exp (pr[c] - lse) * tsum - tr[c]);
            }
          else
            for (int c = 0; c < cols; c++)
              {
                const float pi = pr[c], ti = tr[c];
                float g;
                total += loss_term (loss_kind, pi, ti, scale, &g);
                dr[c] = 0.0f + g;
              }
          if (cols == 1)
            {
              correct += (pr[0] > one_output_threshold (loss_kind)) == (tr[0] > 0.5f) ? 1.0f : 0.0f;
            }
          else
            correct += argmax_local (pr, cols) == argmax_local (tr, tw) ? 1.0f : 0.0f;
        }
      red[lid] = total;
      red[FWG + lid] = correct;
      barrier (CLK_LOCAL_MEM_FENCE);
      for (int h = FWG / 2; h > 0; h /= 2)
        {
          if (lid < h)
            {
              red[lid] += red[lid + h];
              red[FWG + lid] += red[FWG + lid + h];
            }
          barrier (CLK_LOCAL_MEM_FENCE);
        }
      metric_loss = red[0] * scale * rows;
      correct = red[FWG];
      /* A step whose mean loss is below loss_floor is not run (no update, not counted): the
       * host runs it on its own. Every work-item reads the same red[0]. */
      if (metric_loss / rows < loss_floor)
        break;

      /* ---- backward: dZ = act'(Z) dY; dW = dZ^T X; db = column sums of dZ; dX = dZ W */
      for (int l = last; l >= 0; l--)
        {
          __global const int *L = table + l * L_FIELDS;
          const int ow = L[L_OUT], act = L[L_ACT], b_off = L[L_B], w_off = L[L_W];
          const int lw = L[L_IN];
          const float alpha = as_float (L[L_ALPHA]);
          __local const float *Z = lm + L[L_Z], *Y = lm + L[L_Y];
          __local const float *lin = l > 0 ? lm + table[(l - 1) * L_FIELDS + L_Y] : X;
          if (act != ACT_linear)
            {
              for (int e = lid; e < rows * ow; e += FWG)
                dcur[e] = 0.0f + act_backward (act, Z[e], Y[e], dcur[e], alpha);
              barrier (CLK_LOCAL_MEM_FENCE);
            }
          for (int e = lid; e < ow * lw; e += FWG)
            {
              const int o = e / lw, k = e - o * lw;
              float acc = 0.0f;
              for (int r = 0; r < rows; r++)
                acc += dcur[r * ow + o] * lin[r * lw + k];
              G[w_off + e] = acc;
            }
          if (b_off >= 0)
            for (int o = lid; o < ow; o += FWG)
              {
                float acc = 0.0f;
                for (int r = 0; r < rows; r++)
                  acc += dcur[r * ow + o];
                G[b_off + o] = acc;
              }
          if (l > 0)
            for (int e = lid; e < rows * lw; e += FWG)
              {
                const int r = e / lw, k = e - r * lw;
                float acc = 0.0f;
                for (int o = 0; o < ow; o++)
                  acc += dcur[r * ow + o] * P[w_off + o * lw + k];
                dnext[e] = acc;
              }
          barrier (CLK_LOCAL_MEM_FENCE);
          tmp = dcur;
          dcur = dnext;
          dnext = tmp;
        }

      /* ---- the update (optimizer.cl); the penalties apply to the weights only */
      {
        const float step = opt == OPT_ADAM || opt == OPT_ADAMW ? adam[2 * j] : 0.0f;
        const float inv_sqrt_bc2 = opt == OPT_ADAM || opt == OPT_ADAMW ? adam[2 * j + 1] : 0.0f;
        for (int i = lid; i < n_params; i += FWG)
          {
            const float w = P[i];
            const float pl1 = i < n_weights ? l1 : 0.0f, pl2 = i < n_weights ? l2 : 0.0f;
            const float gi = G[i] + pl2 * w + pl1 * (float) ((w > 0.0f) - (w < 0.0f));
            P[i] = update_one (opt, w, gi, s1 + i, s2 + i, lr, mu, eps, rho, b1, b2, step,
                               inv_sqrt_bc2, decay);
          }
      }

      if (lid == 0)
        {
          out[1 + 3 * j] = metric_loss;
          out[2 + 3 * j] = correct;
          out[3 + 3 * j] = rows;
        }
      done = j + 1;
      /* Every work-item reads the same red[0], so all leave together. */
      mean = metric_loss / rows;
      barrier (CLK_LOCAL_MEM_FENCE);
      if (!isfinite (mean) || mean > loss_limit)
        break;
    }

  for (int i = lid; i < n_params; i += FWG)
    params[i] = P[i];
  if (lid == 0)
    out[0] = done;
}
