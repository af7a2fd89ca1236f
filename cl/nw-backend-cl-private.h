/* nw-backend-cl-private.h: what the OpenCL backend's files share: its structs, the kernel
 * table and the launch helpers. Not for use outside cl/. */
#pragma once

#include "nw-backend-cl.h"
#include "nw-cl-program.h"

G_BEGIN_DECLS

typedef struct {
  cl_mem mem;
  gsize  bytes;
} ClBuffer;

typedef enum {
  P_GEMM,
  P_ELEMENTWISE,
  P_REDUCE,
  P_NORM,
  P_LOSS,
  P_OPTIMIZER,
  P_CHAIN,
  N_PROGRAMS
} ClProgramId;

typedef enum {
  K_GEMM_NN, K_GEMM_NT, K_GEMM_TN, K_GEMM_TT, K_GEMM_NT_DOT, K_GEMM_SMALL,
  K_ACCUMULATE, K_COPY_COLS, K_ADD, K_GATHER_ROWS,
  K_BIAS_ACT0,                                    /* + NwActivation */
  K_ACT_BACKWARD0 = K_BIAS_ACT0 + NW_N_ACTIVATIONS, /* + NwActivation */
  K_DROPOUT = K_ACT_BACKWARD0 + NW_N_ACTIVATIONS,
  K_MUL,
  K_COLUMN_SUMS, K_SUMSQ, K_ACT_STATS,
  K_NORM_FORWARD, K_NORM_BACKWARD_GROUPS, K_NORM_BACKWARD_FEATURES,
  K_LOSS,
  K_UPDATE_SGD, K_UPDATE_MOMENTUM, K_UPDATE_ADAGRAD, K_UPDATE_RMSPROP, K_UPDATE_ADAM,
  K_TRAIN_CHAIN,
  N_KERNELS
} ClKernelId;

/* Tuning for one device: the #defines the kernels are built with, and the host's matching
 * launch sizes. */
typedef struct {
  /* gemm.cl */
  int vw, wptm, wptn, rtsn, rtsm, kc;
  gboolean keep_acc;
  gboolean nt_dot;                 /* A B^T by gemm_nt_dot (CPUs) */
  int dot_wm, dot_wn;
  /* reduce.cl, norm.cl: column sums (CW x RS); whole-buffer sums (RWG); loss.cl (LWG) */
  int cw, rs, rwg, lwg;
  /* host only: largest work-group for one row/group reduction (a power of two), and the
   * work-groups of elementwise kernels (1-D; 2-D as columns x rows) */
  int row_wg, ew1, ew2x, ew2y;
  /* below this many multiply-adds gemm uses the one-element-per-work-item kernel */
  gint64 small_gemm_macs;
  /* GPUs: a product whose tiled launch would leave compute units idle goes to the
   * one-element kernel too, where that kernel's reads of B coalesce (B not transposed) or C
   * is narrower than half a tile */
  gboolean small_fills;
  /* chain.cl: work-items of its one work-group (a power of two), and the most multiply-adds
   * of one step's forward pass it takes on (above that, per-operation kernels are faster) */
  int fwg;
  gint64 chain_max_macs;
} ClTuning;

typedef struct {
  NwBackend        parent;
  NwClDeviceInfo  *device;
  cl_context       context;
  cl_command_queue queue;
  cl_program       programs[N_PROGRAMS];
  cl_kernel        kernels[N_KERNELS];
  cl_mem           dummy;          /* stands in for optional (NULL) buffer arguments */
  ClTuning         tune;
  /* What the device allows train_chain (queried once its kernel exists, before any argument
   * is set): its largest work-group and its own (static) local memory in bytes. A plan
   * needs tune.fwg work-items and its local memory on top of chain_static_local. */
  size_t           chain_max_wg;
  guint64          chain_static_local;
  NwClGemmPath     gemm_path;
  NwClCounters     counters;
  gboolean         profile;        /* NwClOptions.profile: time every kernel (serialises) */
  double           kernel_ns[N_KERNELS];
  guint64          kernel_calls[N_KERNELS];
} ClBackend;

#define CL_BACKEND(b) ((ClBackend *) (b))
#define CL_MEM(buf) (((ClBuffer *) (buf))->mem)
/* A buffer argument that may be NULL (the kernel is told separately whether it is there). */
#define CL_MEM_OR_DUMMY(cl, buf) ((buf) != NULL ? CL_MEM (buf) : (cl)->dummy)

/* One kernel argument: its size and a pointer to its value (NULL with a size: local memory
 * of that many bytes). */
typedef struct {
  size_t      size;
  const void *value;
} ClArg;

#define ARG_MEM(m)    ((ClArg) { sizeof (cl_mem), &(cl_mem) { (m) } })
#define ARG_BUF(b)    ARG_MEM (CL_MEM (b))
#define ARG_INT(v)    ((ClArg) { sizeof (cl_int), &(cl_int) { (cl_int) (v) } })
#define ARG_ULONG(v)  ((ClArg) { sizeof (cl_ulong), &(cl_ulong) { (cl_ulong) (v) } })
#define ARG_FLOAT(v)  ((ClArg) { sizeof (cl_float), &(cl_float) { (cl_float) (v) } })
#define ARG_LOCAL(n)  ((ClArg) { (n), NULL })

/* Sets the arguments and enqueues kernel `k` over `global` (rounded up to multiples of
 * `local`) in `dims` dimensions. Nothing happens for an empty range. Failures become the
 * backend's sticky error, naming the kernel. */
void cl_launch (ClBackend *cl, ClKernelId k, int dims, const size_t *global, const size_t *local,
                const ClArg *args, int n_args);

#define CL_LAUNCH(cl, k, dims, global, local, ...) \
  cl_launch ((cl), (k), (dims), (global), (local), (const ClArg[]) { __VA_ARGS__ }, \
             (int) (sizeof ((const ClArg[]) { __VA_ARGS__ }) / sizeof (ClArg)))

/* Launch shapes: n elements in 1-D; cols x rows in 2-D (columns in dimension 0). */
void cl_launch_1d (ClBackend *cl, ClKernelId k, gsize n, const ClArg *args, int n_args);
void cl_launch_2d (ClBackend *cl, ClKernelId k, int cols, int rows, const ClArg *args, int n_args);
#define CL_LAUNCH_1D(cl, k, n, ...) \
  cl_launch_1d ((cl), (k), (n), (const ClArg[]) { __VA_ARGS__ }, \
                (int) (sizeof ((const ClArg[]) { __VA_ARGS__ }) / sizeof (ClArg)))
#define CL_LAUNCH_2D(cl, k, cols, rows, ...) \
  cl_launch_2d ((cl), (k), (cols), (rows), (const ClArg[]) { __VA_ARGS__ }, \
                (int) (sizeof ((const ClArg[]) { __VA_ARGS__ }) / sizeof (ClArg)))

/* The smallest power of two >= n, capped at `cap` (itself a power of two). */
size_t cl_pow2_at_least (gsize n, size_t cap);

/* Records a failed status as the sticky error (TRUE when status is CL_SUCCESS). */
#define CL_OK(cl, expr) nw_cl_check ((cl_int) (expr), #expr, G_STRLOC, &(cl)->parent.error)

/* The operations, by file. */
void cl_gemm (NwBackend *self, gboolean trans_a, gboolean trans_b, int m, int n, int k,
              nw_real alpha, NwBuffer *a, gsize aoff, int lda, NwBuffer *b, gsize boff, int ldb,
              nw_real beta, NwBuffer *c, gsize coff, int ldc);
void cl_add          (NwBackend *self, NwBuffer *a, gsize aoff, NwBuffer *b, gsize boff, NwBuffer *y, gsize yoff, gsize n);
void cl_copy_cols    (NwBackend *self, NwBuffer *src, gsize soff, int sld, NwBuffer *dst, gsize doff, int dld, int rows, int cols, gboolean accumulate);
void cl_gather_rows  (NwBackend *self, NwBuffer *src, int cols, NwBuffer *idx, gsize ioff, int n_idx, NwBuffer *dst, gsize doff);
void cl_bias_act     (NwBackend *self, NwBuffer *z, gsize zoff, int rows, int cols, NwBuffer *bias, gsize boff, NwActivation act, nw_real alpha, NwBuffer *y, gsize yoff);
void cl_act_backward (NwBackend *self, NwActivation act, nw_real alpha, int rows, int cols, NwBuffer *x, gsize xoff, NwBuffer *y, gsize yoff, NwBuffer *dy, gsize dyoff, NwBuffer *dx, gsize dxoff, gboolean accumulate);
void cl_bias_grad    (NwBackend *self, NwBuffer *dz, gsize dzoff, int rows, int cols, NwBuffer *db, gsize dboff);
void cl_loss         (NwBackend *self, NwLoss kind, int rows, int cols, NwBuffer *p, gsize poff, NwBuffer *t, gsize toff, NwBuffer *dp, gsize dpoff, gboolean accumulate, NwBuffer *metrics, gsize moff);
void cl_dropout      (NwBackend *self, gsize n, float p, guint64 seed, guint64 counter, NwBuffer *x, gsize xoff, NwBuffer *mask, gsize moff, NwBuffer *y, gsize yoff);
void cl_mul          (NwBackend *self, gsize n, NwBuffer *dy, gsize dyoff, NwBuffer *mask, gsize moff, NwBuffer *dx, gsize dxoff, gboolean accumulate);
void cl_norm_forward (NwBackend *self, int axis, gboolean use_running, int rows, int cols, NwBuffer *x, gsize xoff, NwBuffer *y, gsize yoff, NwBuffer *gamma, gsize goff, NwBuffer *beta, gsize boff, NwBuffer *running, gsize roff, float momentum, float eps, gboolean update_running, NwBuffer *mean, NwBuffer *invstd, gsize soff);
void cl_norm_backward (NwBackend *self, int axis, gboolean used_running, int rows, int cols, NwBuffer *x, gsize xoff, NwBuffer *dy, gsize dyoff, NwBuffer *gamma, gsize goff, NwBuffer *mean, NwBuffer *invstd, gsize soff, NwBuffer *dx, gsize dxoff, gboolean accumulate, NwBuffer *dgamma, gsize dgoff, NwBuffer *dbeta, gsize dboff);
void cl_update       (NwBackend *self, const NwUpdateArgs *args, gboolean penalize, gsize n, NwBuffer *p, NwBuffer *g, NwBuffer *s1, NwBuffer *s2, gsize off);
/* Adam's per-step constants for step number t, computed as the CPU backend does (double,
 * then float): lr / (1 - beta1^t), 1 / sqrt(1 - beta2^t), and the decay factor (AdamW). */
void cl_adam_constants (const NwUpdateArgs *a, gint64 t, float *step, float *inv_sqrt_bc2,
                        float *decay);
/* The fused path (nw-backend-cl-chain.c). */
NwChainPlan *cl_chain_plan_new  (NwBackend *self, const NwChainDesc *chain);
void         cl_chain_plan_free (NwBackend *self, NwChainPlan *plan);
void         cl_chain_train     (NwBackend *self, NwChainPlan *plan, const NwChainRun *run);
void cl_sumsq        (NwBackend *self, NwBuffer *x, gsize xoff, gsize n, NwBuffer *out, gsize ooff);
void cl_act_stats    (NwBackend *self, NwActivation act, nw_real alpha, gsize n, NwBuffer *x, gsize xoff, float lo, float hi, NwBuffer *out, gsize ooff);

extern const NwBackendOps cl_ops;

G_END_DECLS
