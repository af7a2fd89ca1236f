/* nw-backend-cl-ops.c: the OpenCL backend's compute operations other than gemm: each one a
 * launch (two for normalisation backward) of a kernel in resources/kernels/, with the CPU
 * backend's meaning (core/nw-backend-cpu.c), NULL arguments included. Nothing here waits for
 * the device. */
#include "nw-backend-cl-private.h"
#include "nw-i18n.h"

#include <math.h>

#define FAILED(self) nw_backend_failed (self)

void
cl_copy_cols (NwBackend *self, NwBuffer *src, gsize soff, int sld, NwBuffer *dst, gsize doff,
              int dld, int rows, int cols, gboolean accumulate)
{
  if (FAILED (self))
    return;
  CL_LAUNCH_2D (CL_BACKEND (self), K_COPY_COLS, cols, rows, ARG_BUF (src), ARG_ULONG (soff),
                ARG_INT (sld), ARG_BUF (dst), ARG_ULONG (doff), ARG_INT (dld), ARG_INT (rows),
                ARG_INT (cols), ARG_INT (accumulate != FALSE));
}

void
cl_add (NwBackend *self, NwBuffer *a, gsize aoff, NwBuffer *b, gsize boff, NwBuffer *y,
        gsize yoff, gsize n)
{
  if (FAILED (self))
    return;
  CL_LAUNCH_1D (CL_BACKEND (self), K_ADD, n, ARG_BUF (a), ARG_ULONG (aoff), ARG_BUF (b),
                ARG_ULONG (boff), ARG_BUF (y), ARG_ULONG (yoff), ARG_ULONG (n));
}

void
cl_gather_rows (NwBackend *self, NwBuffer *src, int cols, NwBuffer *idx, gsize ioff, int n_idx,
                NwBuffer *dst, gsize doff)
{
  if (FAILED (self))
    return;
  CL_LAUNCH_2D (CL_BACKEND (self), K_GATHER_ROWS, cols, n_idx, ARG_BUF (src), ARG_INT (cols),
                ARG_BUF (idx), ARG_ULONG (ioff), ARG_INT (n_idx), ARG_BUF (dst), ARG_ULONG (doff));
}

/* ---- activations ---- */

/* A work-group per row, as wide as the row (a power of two, at most row_wg). */
static void
launch_rows (ClBackend *cl, ClKernelId k, int rows, int cols, const ClArg *args, int n_args)
{
  size_t local = cl_pow2_at_least ((gsize) MAX (cols, 1), (size_t) cl->tune.row_wg);
  size_t global = (size_t) MAX (rows, 0) * local;
  if (cols <= 0)
    return;
  cl_launch (cl, k, 1, &global, &local, args, n_args);
}

static size_t
row_local_bytes (ClBackend *cl, int cols)
{
  return cl_pow2_at_least ((gsize) MAX (cols, 1), (size_t) cl->tune.row_wg) * sizeof (cl_float);
}

void
cl_bias_act (NwBackend *self, NwBuffer *z, gsize zoff, int rows, int cols, NwBuffer *bias,
             gsize boff, NwActivation act, nw_real alpha, NwBuffer *y, gsize yoff)
{
  ClBackend *cl = CL_BACKEND (self);
  if (FAILED (self))
    return;
  g_return_if_fail (act >= 0 && act < NW_N_ACTIVATIONS);
  if (act == NW_ACT_SOFTMAX)
    {
      const ClArg args[] = {
        ARG_BUF (z), ARG_ULONG (zoff), ARG_INT (rows), ARG_INT (cols),
        ARG_MEM (CL_MEM_OR_DUMMY (cl, bias)), ARG_ULONG (boff), ARG_INT (bias != NULL),
        ARG_FLOAT (alpha), ARG_BUF (y), ARG_ULONG (yoff), ARG_LOCAL (row_local_bytes (cl, cols)),
      };
      launch_rows (cl, K_BIAS_ACT0 + act, rows, cols, args, G_N_ELEMENTS (args));
    }
  else if (act == NW_ACT_LINEAR && bias == NULL && CL_MEM (z) == CL_MEM (y) && zoff == yoff)
    return;   /* the identity in place */
  else
    CL_LAUNCH_2D (cl, K_BIAS_ACT0 + act, cols, rows, ARG_BUF (z), ARG_ULONG (zoff), ARG_INT (rows),
                  ARG_INT (cols), ARG_MEM (CL_MEM_OR_DUMMY (cl, bias)), ARG_ULONG (boff),
                  ARG_INT (bias != NULL), ARG_FLOAT (alpha), ARG_BUF (y), ARG_ULONG (yoff));
}

void
cl_act_backward (NwBackend *self, NwActivation act, nw_real alpha, int rows, int cols,
                 NwBuffer *x, gsize xoff, NwBuffer *y, gsize yoff, NwBuffer *dy, gsize dyoff,
                 NwBuffer *dx, gsize dxoff, gboolean accumulate)
{
  ClBackend *cl = CL_BACKEND (self);
  gsize n = (gsize) MAX (rows, 0) * MAX (cols, 0);
  if (FAILED (self))
    return;
  g_return_if_fail (act >= 0 && act < NW_N_ACTIVATIONS);
  if (act == NW_ACT_SOFTMAX)
    {
      const ClArg args[] = {
        ARG_INT (rows), ARG_INT (cols), ARG_BUF (y), ARG_ULONG (yoff), ARG_BUF (dy),
        ARG_ULONG (dyoff), ARG_BUF (dx), ARG_ULONG (dxoff), ARG_INT (accumulate != FALSE),
        ARG_LOCAL (row_local_bytes (cl, cols)),
      };
      launch_rows (cl, K_ACT_BACKWARD0 + act, rows, cols, args, G_N_ELEMENTS (args));
    }
  else
    CL_LAUNCH_1D (cl, K_ACT_BACKWARD0 + act, n, ARG_ULONG (n), ARG_FLOAT (alpha), ARG_BUF (x),
                  ARG_ULONG (xoff), ARG_BUF (y), ARG_ULONG (yoff), ARG_BUF (dy), ARG_ULONG (dyoff),
                  ARG_BUF (dx), ARG_ULONG (dxoff), ARG_INT (accumulate != FALSE));
}

/* Column sums: work-groups of CW columns by RS row slices. */
static void
launch_columns (ClBackend *cl, ClKernelId k, int cols, const ClArg *args, int n_args)
{
  size_t global[2] = { (size_t) MAX (cols, 0), (size_t) cl->tune.rs };
  size_t local[2] = { (size_t) cl->tune.cw, (size_t) cl->tune.rs };
  cl_launch (cl, k, 2, global, local, args, n_args);
}

void
cl_bias_grad (NwBackend *self, NwBuffer *dz, gsize dzoff, int rows, int cols, NwBuffer *db,
              gsize dboff)
{
  ClBackend *cl = CL_BACKEND (self);
  const ClArg args[] = {
    ARG_BUF (dz), ARG_ULONG (dzoff), ARG_INT (rows), ARG_INT (cols), ARG_BUF (db), ARG_ULONG (dboff),
  };
  if (FAILED (self))
    return;
  launch_columns (cl, K_COLUMN_SUMS, cols, args, G_N_ELEMENTS (args));
}

/* ---- loss ---- */

void
cl_loss (NwBackend *self, NwLoss kind, int rows, int cols, NwBuffer *p, gsize poff, NwBuffer *t,
         gsize toff, NwBuffer *dp, gsize dpoff, gboolean accumulate, NwBuffer *metrics,
         gsize moff)
{
  ClBackend *cl = CL_BACKEND (self);
  size_t one = (size_t) cl->tune.lwg;
  if (FAILED (self) || rows <= 0)
    return;
  g_return_if_fail (kind >= 0 && kind < NW_N_LOSSES);
  /* One work-group does the whole batch, so that the metrics are added without atomics. */
  CL_LAUNCH (cl, K_LOSS, 1, &one, &one, ARG_INT (kind), ARG_INT (rows), ARG_INT (cols),
             ARG_BUF (p), ARG_ULONG (poff), ARG_BUF (t), ARG_ULONG (toff),
             ARG_MEM (CL_MEM_OR_DUMMY (cl, dp)), ARG_ULONG (dpoff), ARG_INT (dp != NULL),
             ARG_INT (accumulate != FALSE), ARG_MEM (CL_MEM_OR_DUMMY (cl, metrics)),
             ARG_ULONG (moff), ARG_INT (metrics != NULL));
}

/* ---- dropout ---- */

void
cl_dropout (NwBackend *self, gsize n, float p, guint64 seed, guint64 counter, NwBuffer *x,
            gsize xoff, NwBuffer *mask, gsize moff, NwBuffer *y, gsize yoff)
{
  /* The CPU's scale, computed the same way. */
  nw_real keep_scale = (nw_real) (1.0 / (1.0 - p));
  if (FAILED (self))
    return;
  CL_LAUNCH_1D (CL_BACKEND (self), K_DROPOUT, n, ARG_ULONG (n), ARG_FLOAT (p),
                ARG_FLOAT (keep_scale), ARG_ULONG (seed), ARG_ULONG (counter), ARG_BUF (x),
                ARG_ULONG (xoff), ARG_BUF (mask), ARG_ULONG (moff), ARG_BUF (y), ARG_ULONG (yoff));
}

void
cl_mul (NwBackend *self, gsize n, NwBuffer *dy, gsize dyoff, NwBuffer *mask, gsize moff,
        NwBuffer *dx, gsize dxoff, gboolean accumulate)
{
  if (FAILED (self))
    return;
  CL_LAUNCH_1D (CL_BACKEND (self), K_MUL, n, ARG_ULONG (n), ARG_BUF (dy), ARG_ULONG (dyoff),
                ARG_BUF (mask), ARG_ULONG (moff), ARG_BUF (dx), ARG_ULONG (dxoff),
                ARG_INT (accumulate != FALSE));
}

/* ---- normalisation ---- */

/* A work-group per group (column for axis 0, row for axis 1). */
static void
launch_groups (ClBackend *cl, ClKernelId k, int axis, int rows, int cols, const ClArg *args,
               int n_args)
{
  int groups = axis == 0 ? cols : rows, per = axis == 0 ? rows : cols;
  size_t local = cl_pow2_at_least ((gsize) MAX (per, 1), (size_t) cl->tune.row_wg);
  size_t global = (size_t) MAX (groups, 0) * local;
  if (per <= 0)
    return;
  cl_launch (cl, k, 1, &global, &local, args, n_args);
}

void
cl_norm_forward (NwBackend *self, int axis, gboolean use_running, int rows, int cols,
                 NwBuffer *x, gsize xoff, NwBuffer *y, gsize yoff, NwBuffer *gamma, gsize goff,
                 NwBuffer *beta, gsize boff, NwBuffer *running, gsize roff, float momentum,
                 float eps, gboolean update_running, NwBuffer *mean, NwBuffer *invstd, gsize soff)
{
  ClBackend *cl = CL_BACKEND (self);
  int per = axis == 0 ? rows : cols;
  if (FAILED (self))
    return;
  {
    const ClArg args[] = {
      ARG_INT (axis), ARG_INT (use_running != FALSE), ARG_INT (rows), ARG_INT (cols),
      ARG_BUF (x), ARG_ULONG (xoff), ARG_BUF (y), ARG_ULONG (yoff),
      ARG_MEM (CL_MEM_OR_DUMMY (cl, gamma)), ARG_ULONG (goff),
      ARG_MEM (CL_MEM_OR_DUMMY (cl, beta)), ARG_ULONG (boff), ARG_INT (gamma != NULL),
      ARG_MEM (CL_MEM_OR_DUMMY (cl, running)), ARG_ULONG (roff), ARG_FLOAT (momentum),
      ARG_FLOAT (eps), ARG_INT (update_running && running != NULL),
      ARG_BUF (mean), ARG_BUF (invstd), ARG_ULONG (soff),
      ARG_LOCAL (cl_pow2_at_least ((gsize) MAX (per, 1), (size_t) cl->tune.row_wg) * sizeof (cl_float)),
    };
    launch_groups (cl, K_NORM_FORWARD, axis, rows, cols, args, G_N_ELEMENTS (args));
  }
}

void
cl_norm_backward (NwBackend *self, int axis, gboolean used_running, int rows, int cols,
                  NwBuffer *x, gsize xoff, NwBuffer *dy, gsize dyoff, NwBuffer *gamma,
                  gsize goff, NwBuffer *mean, NwBuffer *invstd, gsize soff, NwBuffer *dx,
                  gsize dxoff, gboolean accumulate, NwBuffer *dgamma, gsize dgoff,
                  NwBuffer *dbeta, gsize dboff)
{
  ClBackend *cl = CL_BACKEND (self);
  int per = axis == 0 ? rows : cols;
  if (FAILED (self))
    return;
  g_return_if_fail (dgamma == NULL || dbeta != NULL);   /* both, or neither, as on the CPU */
  /* dx NULL: the input is the data; only the scale and shift want gradients. */
  if (dx != NULL)
    {
      const ClArg args[] = {
        ARG_INT (axis), ARG_INT (used_running != FALSE), ARG_INT (rows), ARG_INT (cols),
        ARG_BUF (x), ARG_ULONG (xoff), ARG_BUF (dy), ARG_ULONG (dyoff),
        ARG_MEM (CL_MEM_OR_DUMMY (cl, gamma)), ARG_ULONG (goff), ARG_INT (gamma != NULL),
        ARG_BUF (mean), ARG_BUF (invstd), ARG_ULONG (soff), ARG_BUF (dx), ARG_ULONG (dxoff),
        ARG_INT (accumulate != FALSE),
        ARG_LOCAL (cl_pow2_at_least ((gsize) MAX (per, 1), (size_t) cl->tune.row_wg) * sizeof (cl_float)),
      };
      launch_groups (cl, K_NORM_BACKWARD_GROUPS, axis, rows, cols, args, G_N_ELEMENTS (args));
    }
  if (dgamma != NULL)
    {
      const ClArg args[] = {
        ARG_INT (axis), ARG_INT (rows), ARG_INT (cols), ARG_BUF (x), ARG_ULONG (xoff),
        ARG_BUF (dy), ARG_ULONG (dyoff), ARG_BUF (mean), ARG_BUF (invstd), ARG_ULONG (soff),
        ARG_BUF (dgamma), ARG_ULONG (dgoff), ARG_BUF (dbeta), ARG_ULONG (dboff),
      };
      launch_columns (cl, K_NORM_BACKWARD_FEATURES, cols, args, G_N_ELEMENTS (args));
    }
}

/* ---- optimizers ---- */

void
cl_adam_constants (const NwUpdateArgs *a, gint64 t, float *step, float *inv_sqrt_bc2,
                   float *decay)
{
  /* The CPU backend's constants, computed the same way (double, then float). */
  double bc1 = 1 - pow (a->beta1, (double) t), bc2 = 1 - pow (a->beta2, (double) t);
  *decay = a->kind == NW_OPT_ADAMW ? 1 - a->lr * a->weight_decay : 1;
  *step = (float) (a->lr / bc1);
  *inv_sqrt_bc2 = (float) (1 / sqrt (bc2));
}

void
cl_update (NwBackend *self, const NwUpdateArgs *a, gboolean penalize, gsize n, NwBuffer *p,
           NwBuffer *g, NwBuffer *s1, NwBuffer *s2, gsize off)
{
  ClBackend *cl = CL_BACKEND (self);
  nw_real l1 = penalize ? a->l1 : 0, l2 = penalize ? a->l2 : 0;
  if (FAILED (self))
    return;
  switch (a->kind)
    {
    case NW_OPT_SGD:
      CL_LAUNCH_1D (cl, K_UPDATE_SGD, n, ARG_ULONG (n), ARG_BUF (p), ARG_BUF (g), ARG_ULONG (off),
                    ARG_FLOAT (a->lr), ARG_FLOAT (l1), ARG_FLOAT (l2));
      break;
    case NW_OPT_MOMENTUM:
    case NW_OPT_NESTEROV:
      CL_LAUNCH_1D (cl, K_UPDATE_MOMENTUM, n, ARG_ULONG (n), ARG_BUF (p), ARG_BUF (g), ARG_BUF (s1),
                    ARG_ULONG (off), ARG_FLOAT (a->lr), ARG_FLOAT (a->momentum),
                    ARG_INT (a->kind == NW_OPT_NESTEROV), ARG_FLOAT (l1), ARG_FLOAT (l2));
      break;
    case NW_OPT_ADAGRAD:
      CL_LAUNCH_1D (cl, K_UPDATE_ADAGRAD, n, ARG_ULONG (n), ARG_BUF (p), ARG_BUF (g), ARG_BUF (s1),
                    ARG_ULONG (off), ARG_FLOAT (a->lr), ARG_FLOAT (a->eps), ARG_FLOAT (l1),
                    ARG_FLOAT (l2));
      break;
    case NW_OPT_RMSPROP:
      /* s2 holds the momentum buffer; without momentum it is not touched (may be NULL). */
      CL_LAUNCH_1D (cl, K_UPDATE_RMSPROP, n, ARG_ULONG (n), ARG_BUF (p), ARG_BUF (g), ARG_BUF (s1),
                    ARG_MEM (CL_MEM_OR_DUMMY (cl, s2)), ARG_ULONG (off), ARG_FLOAT (a->lr),
                    ARG_FLOAT (a->rho), ARG_FLOAT (a->momentum), ARG_FLOAT (a->eps),
                    ARG_FLOAT (l1), ARG_FLOAT (l2));
      break;
    case NW_OPT_ADAM:
    case NW_OPT_ADAMW:
      {
        float step, inv_sqrt_bc2, decay;
        cl_adam_constants (a, a->t, &step, &inv_sqrt_bc2, &decay);
        CL_LAUNCH_1D (cl, K_UPDATE_ADAM, n, ARG_ULONG (n), ARG_BUF (p), ARG_BUF (g), ARG_BUF (s1),
                      ARG_BUF (s2), ARG_ULONG (off), ARG_FLOAT (step), ARG_FLOAT (inv_sqrt_bc2),
                      ARG_FLOAT (a->beta1), ARG_FLOAT (a->beta2), ARG_FLOAT (a->eps),
                      ARG_FLOAT (decay), ARG_FLOAT (l1), ARG_FLOAT (l2));
      }
      break;
    case NW_N_OPTIMIZERS:
    default:
      nw_backend_set_error (self, g_error_new (NW_ERROR, NW_ERROR_BACKEND,
                                               _("OpenCL: unknown optimizer %d"), (int) a->kind));
      break;
    }
}

/* ---- probes ---- */

void
cl_sumsq (NwBackend *self, NwBuffer *x, gsize xoff, gsize n, NwBuffer *out, gsize ooff)
{
  ClBackend *cl = CL_BACKEND (self);
  size_t one = (size_t) cl->tune.rwg;
  if (FAILED (self))
    return;
  CL_LAUNCH (cl, K_SUMSQ, 1, &one, &one, ARG_BUF (x), ARG_ULONG (xoff), ARG_ULONG (n),
             ARG_BUF (out), ARG_ULONG (ooff));
}

void
cl_act_stats (NwBackend *self, NwActivation act, nw_real alpha, gsize n, NwBuffer *x, gsize xoff,
              float lo, float hi, NwBuffer *out, gsize ooff)
{
  ClBackend *cl = CL_BACKEND (self);
  size_t one = (size_t) cl->tune.rwg;
  if (FAILED (self))
    return;
  CL_LAUNCH (cl, K_ACT_STATS, 1, &one, &one, ARG_INT (act), ARG_FLOAT (alpha), ARG_ULONG (n),
             ARG_BUF (x), ARG_ULONG (xoff), ARG_FLOAT (lo), ARG_FLOAT (hi), ARG_BUF (out),
             ARG_ULONG (ooff));
}
