/* nw-backend.h: the table of compute operations that layers are written against.
 *
 * core/ has the CPU backend (the reference); cl/ has the OpenCL one. Buffers are opaque and
 * belong to the backend that made them; offsets and sizes are in elements (nw_real unless an
 * operation says int32). Matrices are row-major.
 *
 * Errors are sticky: the first failing operation records a GError in the backend and later
 * operations do nothing, so a training step is a straight line of calls followed by one
 * nw_backend_take_error(). That keeps layer code free of error plumbing and matches how a
 * device queue reports failures anyway (late). Backward operations that write an input's
 * gradient take `accumulate`: FALSE overwrites, TRUE adds (a node that feeds several others
 * receives the sum of their gradients). */
#pragma once

#include "nw-types.h"

G_BEGIN_DECLS

typedef struct _NwBuffer NwBuffer;
typedef struct _NwBackend NwBackend;

/* Hyperparameters of one optimizer update, as the backend needs them. */
typedef struct {
  NwOptimizerKind kind;
  float    lr, momentum, beta1, beta2, eps, rho, weight_decay;
  float    l1, l2;        /* applied only where the update call says so (weights) */
  gint64   t;             /* 1-based step number, for Adam's bias correction */
} NwUpdateArgs;

/* Layout of the activation-statistics probe written by act_stats (NW_STATS_HIST bins). */
enum {
  NW_STATS_SUM, NW_STATS_SUMSQ, NW_STATS_SATURATED, NW_STATS_DEAD, NW_STATS_MIN, NW_STATS_MAX,
  NW_STATS_HIST0,
};
#define NW_STATS_BINS 32
#define NW_STATS_SIZE (NW_STATS_HIST0 + NW_STATS_BINS)
/* Metrics accumulated by `loss` (summed until the host resets them). */
enum { NW_METRIC_LOSS, NW_METRIC_CORRECT, NW_METRIC_COUNT, NW_METRIC_SIZE };

/* ---- fused training of small dense chains (optional: chain_* below) ----
 *
 * For tiny networks a training step costs far more in launches and synchronisations than in
 * arithmetic. A backend may offer to run many whole steps (gather, forward, loss, backward,
 * update) of a plain chain Input -> [Dense -> elementwise activation]* -> Loss in one go.
 * core/nw-trainer-chain.c describes the network, asks for a plan once, and runs steps
 * through it; core/ never sees how the backend does it. */

/* One Dense and the activation after it (NW_ACT_LINEAR when none; never softmax). */
typedef struct {
  int          in, out;        /* widths */
  gsize        w_off;          /* weights [out][in] in the parameter buffer */
  gboolean     bias;
  gsize        b_off;          /* the bias, when there is one */
  NwActivation act;
  float        alpha;          /* leaky ReLU slope, ELU alpha */
} NwChainLayer;

typedef struct {
  int                 n_layers;
  const NwChainLayer *layers;
  NwLoss              loss;     /* on the last layer's output */
  int                 in_width, target_width;
  gsize               n_params, n_weights;  /* weights: the penalised prefix */
  int                 max_rows; /* rows of the largest batch */
} NwChainDesc;

/* Whatever the backend keeps for one described chain (its own type). */
typedef struct _NwChainPlan NwChainPlan;

/* Steps per chain_train call, at most. */
#define NW_CHAIN_MAX_STEPS 4096

/* One run of `steps` training steps. Step j takes the rows perm[start .. start + rows), with
 * start = pos + j * stride and rows = min(batch, n_rows - start), and updates with
 * update.t + j as its step number. The run stops after the first step whose mean loss is not
 * finite or above loss_limit (that step's update included), or before the first step whose
 * mean loss is below loss_floor (not run: no update; the run may then be 0 steps long).
 * `out` receives 1 + 3 * steps
 * floats: the number of steps run, then per step what `loss` adds to the metrics
 * (NW_METRIC_LOSS, _CORRECT, _COUNT). */
typedef struct {
  NwBuffer    *params, *s1, *s2;     /* the net's parameters and optimizer state */
  NwBuffer    *x, *t, *perm;         /* training rows, their targets, the epoch's order */
  int          n_rows;
  int          pos, stride, batch, steps;
  NwUpdateArgs update;
  float        loss_limit;
  float        loss_floor;           /* stop *before* a step whose mean loss is below this
                                        (its update not made, not counted); -FLT_MAX: never */
  NwBuffer    *out;
} NwChainRun;

typedef struct {
  const char *name;       /* "cpu", "opencl" */

  void      (*destroy)       (NwBackend *self);

  /* memory */
  NwBuffer *(*buffer_new)    (NwBackend *self, gsize bytes);
  void      (*buffer_free)   (NwBackend *self, NwBuffer *buf);
  void      (*write)         (NwBackend *self, NwBuffer *dst, gsize byte_off, const void *src, gsize bytes);
  void      (*read)          (NwBackend *self, NwBuffer *src, gsize byte_off, void *dst, gsize bytes);
  void      (*fill)          (NwBackend *self, NwBuffer *buf, gsize off, gsize n, nw_real value);
  /* dst (+)= src, n elements */
  void      (*copy)          (NwBackend *self, NwBuffer *src, gsize soff, NwBuffer *dst, gsize doff,
                              gsize n, gboolean accumulate);
  /* dst[r, 0:cols] (+)= src[r, 0:cols] for r < rows, with row strides sld and dld (Concat) */
  void      (*copy_cols)     (NwBackend *self, NwBuffer *src, gsize soff, int sld,
                              NwBuffer *dst, gsize doff, int dld, int rows, int cols,
                              gboolean accumulate);
  /* y = a + b, n elements (Add) */
  void      (*add)           (NwBackend *self, NwBuffer *a, gsize aoff, NwBuffer *b, gsize boff,
                              NwBuffer *y, gsize yoff, gsize n);
  /* dst[i, :] = src[idx[i], :] for i < n_idx; idx is int32 (mini-batch gather) */
  void      (*gather_rows)   (NwBackend *self, NwBuffer *src, int cols, NwBuffer *idx, gsize ioff,
                              int n_idx, NwBuffer *dst, gsize doff);

  /* C = alpha * op(A) op(B) + beta * C; op(A) is M x K, op(B) K x N */
  void      (*gemm)          (NwBackend *self, gboolean trans_a, gboolean trans_b,
                              int m, int n, int k, nw_real alpha,
                              NwBuffer *a, gsize aoff, int lda,
                              NwBuffer *b, gsize boff, int ldb, nw_real beta,
                              NwBuffer *c, gsize coff, int ldc);

  /* Z[r, :] += bias (if bias != NULL), then Y = act(Z) (Y may be Z for linear);
   * softmax is along each row. Fuses Dense's bias with the activation that follows it. */
  void      (*bias_act)      (NwBackend *self, NwBuffer *z, gsize zoff, int rows, int cols,
                              NwBuffer *bias, gsize boff, NwActivation act, nw_real alpha,
                              NwBuffer *y, gsize yoff);
  /* dX (+)= act'(X) * dY, from the input X and output Y (softmax: its Jacobian) */
  void      (*act_backward)  (NwBackend *self, NwActivation act, nw_real alpha, int rows, int cols,
                              NwBuffer *x, gsize xoff, NwBuffer *y, gsize yoff,
                              NwBuffer *dy, gsize dyoff, NwBuffer *dx, gsize dxoff,
                              gboolean accumulate);
  /* db[c] = sum over rows of dZ[r, c] */
  void      (*bias_grad)     (NwBackend *self, NwBuffer *dz, gsize dzoff, int rows, int cols,
                              NwBuffer *db, gsize dboff);

  /* Loss of predictions P (rows x cols) against targets T: writes dP (+)= dLoss/dP of the
   * batch mean, and adds loss*rows, the count of correct predictions and rows to
   * metrics[moff + NW_METRIC_*]. */
  void      (*loss)          (NwBackend *self, NwLoss kind, int rows, int cols,
                              NwBuffer *p, gsize poff, NwBuffer *t, gsize toff,
                              NwBuffer *dp, gsize dpoff, gboolean accumulate,
                              NwBuffer *metrics, gsize moff);

  /* Inverted dropout: mask[i] = u(seed, counter + i) >= p ? 1/(1-p) : 0, Y = X * mask,
   * where u is nw_counter_uniform (nw-rng.h), so every backend draws the same mask. */
  void      (*dropout)       (NwBackend *self, gsize n, float p, guint64 seed, guint64 counter,
                              NwBuffer *x, gsize xoff, NwBuffer *mask, gsize moff,
                              NwBuffer *y, gsize yoff);
  /* dX (+)= dY * mask */
  void      (*mul)           (NwBackend *self, gsize n, NwBuffer *dy, gsize dyoff,
                              NwBuffer *mask, gsize moff, NwBuffer *dx, gsize dxoff,
                              gboolean accumulate);

  /* Normalisation over rows of each column (BatchNorm, axis 0) or over the columns of each
   * row (LayerNorm, axis 1). Training BatchNorm uses the batch statistics and updates the
   * running ones (unbiased variance, like PyTorch); evaluation uses the running ones.
   * gamma/beta may be NULL (no affine). mean/invstd (per column or per row) are saved for
   * the backward pass. `running` holds the running mean at roff and the running variance at
   * roff + cols (BatchNorm only; NULL for LayerNorm). dx may be NULL in backward (the input
   * is the data, which needs no gradient) while dgamma/dbeta are still wanted. */
  void      (*norm_forward)  (NwBackend *self, int axis, gboolean use_running, int rows, int cols,
                              NwBuffer *x, gsize xoff, NwBuffer *y, gsize yoff,
                              NwBuffer *gamma, gsize goff, NwBuffer *beta, gsize boff,
                              NwBuffer *running, gsize roff,
                              float momentum, float eps, gboolean update_running,
                              NwBuffer *mean, NwBuffer *invstd, gsize soff);
  void      (*norm_backward) (NwBackend *self, int axis, gboolean used_running, int rows, int cols,
                              NwBuffer *x, gsize xoff, NwBuffer *dy, gsize dyoff,
                              NwBuffer *gamma, gsize goff, NwBuffer *mean, NwBuffer *invstd,
                              gsize soff, NwBuffer *dx, gsize dxoff, gboolean accumulate,
                              NwBuffer *dgamma, gsize dgoff, NwBuffer *dbeta, gsize dboff);

  /* One optimizer step over n parameters P with gradients G and state S1, S2 (same offsets).
   * `penalize` adds the L1/L2 terms (weights, not biases). Gradients are left as they are. */
  void      (*update)        (NwBackend *self, const NwUpdateArgs *args, gboolean penalize,
                              gsize n, NwBuffer *p, NwBuffer *g, NwBuffer *s1, NwBuffer *s2,
                              gsize off);

  /* Probes, written (not added) to out[ooff...]: */
  /* out = sum of x^2 over n elements */
  void      (*sumsq)         (NwBackend *self, NwBuffer *x, gsize xoff, gsize n,
                              NwBuffer *out, gsize ooff);
  /* NW_STATS_SIZE values for the activation inputs X (see the enum above): histogram of X
   * over [lo, hi] in NW_STATS_BINS bins (values outside are clamped into the end bins);
   * saturated: |act'(x)| < 0.01 of its maximum (sigmoid, tanh); dead: x <= 0 (ReLU). */
  void      (*act_stats)     (NwBackend *self, NwActivation act, nw_real alpha, gsize n,
                              NwBuffer *x, gsize xoff, float lo, float hi,
                              NwBuffer *out, gsize ooff);

  /* Blocks until every queued operation has finished. */
  void      (*finish)        (NwBackend *self);

  /* Optional, NULL where the backend has no fused path (the CPU backend). chain_plan_new
   * returns NULL, without an error, for a chain the backend cannot fuse (too large for it);
   * a failure to prepare one that fits is the sticky error. chain_train queues a run (see
   * NwChainRun) and waits for nothing. */
  NwChainPlan *(*chain_plan_new)  (NwBackend *self, const NwChainDesc *chain);
  void         (*chain_plan_free) (NwBackend *self, NwChainPlan *plan);
  void         (*chain_train)     (NwBackend *self, NwChainPlan *plan, const NwChainRun *run);
} NwBackendOps;

struct _NwBackend {
  const NwBackendOps *ops;
  char               *description;  /* for the UI and logs: "CPU (OpenBLAS, 2 threads)" */
  GError             *error;        /* first error, sticky until taken */
  gint                n_buffers;    /* live buffers, for leak tests */
};

/* The CPU reference backend. */
NwBackend *nw_backend_cpu_new       (void);

void       nw_backend_free          (NwBackend *backend);
/* Moves the sticky error to `error`; TRUE if there was none. */
gboolean   nw_backend_take_error    (NwBackend *backend, GError **error);
/* Records `error` as the sticky error unless one is already there (then frees it). */
void       nw_backend_set_error     (NwBackend *backend, GError *error);
/* TRUE once an error is recorded: operations return at once. */
#define    nw_backend_failed(b)     ((b)->error != NULL)

/* Convenience wrappers for nw_real arrays. */
void       nw_backend_upload        (NwBackend *b, NwBuffer *dst, gsize off, const nw_real *src, gsize n);
void       nw_backend_download      (NwBackend *b, NwBuffer *src, gsize off, nw_real *dst, gsize n);
NwBuffer  *nw_backend_alloc         (NwBackend *b, gsize n_reals);
void       nw_backend_release       (NwBackend *b, NwBuffer **buf);

G_END_DECLS
