/* nw-backend-cl.c: the OpenCL backend's life cycle (device, context, queue, programs and
 * kernels, tuning), its memory operations and the launch helpers. The compute operations are
 * in nw-backend-cl-ops.c and nw-backend-cl-gemm.c. */
#include "nw-backend-cl-private.h"
#include "nw-i18n.h"
#include "nw-activation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- kernels ---- */

typedef struct {
  ClProgramId program;
  const char *name;
} KernelDef;

static const char *const program_files[N_PROGRAMS] = {
  [P_GEMM] = "gemm.cl",
  [P_ELEMENTWISE] = "elementwise.cl",
  [P_REDUCE] = "reduce.cl",
  [P_NORM] = "norm.cl",
  [P_LOSS] = "loss.cl",
  [P_OPTIMIZER] = "optimizer.cl",
  [P_CHAIN] = "chain.cl",
};

/* Names of the kernels that are not one per activation. */
static const KernelDef fixed_kernels[N_KERNELS] = {
  [K_GEMM_NN] = { P_GEMM, "gemm_nn" },
  [K_GEMM_NT] = { P_GEMM, "gemm_nt" },
  [K_GEMM_TN] = { P_GEMM, "gemm_tn" },
  [K_GEMM_TT] = { P_GEMM, "gemm_tt" },
  [K_GEMM_NT_DOT] = { P_GEMM, "gemm_nt_dot" },
  [K_GEMM_SMALL] = { P_GEMM, "gemm_small" },
  [K_ACCUMULATE] = { P_ELEMENTWISE, "accumulate" },
  [K_COPY_COLS] = { P_ELEMENTWISE, "copy_cols" },
  [K_ADD] = { P_ELEMENTWISE, "add" },
  [K_GATHER_ROWS] = { P_ELEMENTWISE, "gather_rows" },
  [K_DROPOUT] = { P_ELEMENTWISE, "dropout" },
  [K_MUL] = { P_ELEMENTWISE, "mul" },
  [K_COLUMN_SUMS] = { P_REDUCE, "column_sums" },
  [K_SUMSQ] = { P_REDUCE, "sumsq" },
  [K_ACT_STATS] = { P_REDUCE, "act_stats" },
  [K_NORM_FORWARD] = { P_NORM, "norm_forward" },
  [K_NORM_BACKWARD_GROUPS] = { P_NORM, "norm_backward_groups" },
  [K_NORM_BACKWARD_FEATURES] = { P_NORM, "norm_backward_features" },
  [K_LOSS] = { P_LOSS, "loss" },
  [K_UPDATE_SGD] = { P_OPTIMIZER, "update_sgd" },
  [K_UPDATE_MOMENTUM] = { P_OPTIMIZER, "update_momentum" },
  [K_UPDATE_ADAGRAD] = { P_OPTIMIZER, "update_adagrad" },
  [K_UPDATE_RMSPROP] = { P_OPTIMIZER, "update_rmsprop" },
  [K_UPDATE_ADAM] = { P_OPTIMIZER, "update_adam" },
  [K_TRAIN_CHAIN] = { P_CHAIN, "train_chain" },
};

/* The kernel's name in its .cl file (new string). */
static char *
kernel_name (ClKernelId k, ClProgramId *program)
{
  if (k >= K_BIAS_ACT0 && k < K_BIAS_ACT0 + NW_N_ACTIVATIONS)
    {
      *program = P_ELEMENTWISE;
      return g_strconcat ("bias_act_", nw_activation_name ((NwActivation) (k - K_BIAS_ACT0)), NULL);
    }
  if (k >= K_ACT_BACKWARD0 && k < K_ACT_BACKWARD0 + NW_N_ACTIVATIONS)
    {
      *program = P_ELEMENTWISE;
      return g_strconcat ("act_backward_",
                          nw_activation_name ((NwActivation) (k - K_ACT_BACKWARD0)), NULL);
    }
  *program = fixed_kernels[k].program;
  return g_strdup (fixed_kernels[k].name);
}

/* ---- launches ---- */

size_t
cl_pow2_at_least (gsize n, size_t cap)
{
  size_t p = 1;
  while (p < n && p < cap)
    p *= 2;
  return p;
}

void
cl_launch (ClBackend *cl, ClKernelId k, int dims, const size_t *global, const size_t *local,
           const ClArg *args, int n_args)
{
  size_t rounded[3];
  GError *error = NULL;
  cl_kernel kernel = cl->kernels[k];
  cl_event event = NULL;

  if (nw_backend_failed (&cl->parent))
    return;
  for (int d = 0; d < dims; d++)
    {
      if (global[d] == 0)
        return;
      rounded[d] = (global[d] + local[d] - 1) / local[d] * local[d];
    }
  for (int i = 0; i < n_args; i++)
    if (!NW_CL_CHECK (clSetKernelArg (kernel, (cl_uint) i, args[i].size, args[i].value), &error))
      goto failed;
  if (!NW_CL_CHECK (clEnqueueNDRangeKernel (cl->queue, kernel, (cl_uint) dims, NULL, rounded, local,
                                            0, NULL, cl->profile ? &event : NULL), &error))
    goto failed;
  cl->counters.launches++;
  if (cl->profile)
    {
      cl_ulong start = 0, end = 0;
      gboolean ok = NW_CL_CHECK (clWaitForEvents (1, &event), &error)
                    && NW_CL_CHECK (clGetEventProfilingInfo (event, CL_PROFILING_COMMAND_START,
                                                             sizeof start, &start, NULL), &error)
                    && NW_CL_CHECK (clGetEventProfilingInfo (event, CL_PROFILING_COMMAND_END,
                                                             sizeof end, &end, NULL), &error);
      NW_CL_CHECK (clReleaseEvent (event), ok ? &error : NULL);
      if (error != NULL)
        goto failed;
      cl->kernel_ns[k] += (double) (end - start);
      cl->kernel_calls[k]++;
    }
  return;

failed:
  {
    ClProgramId program;
    g_autofree char *name = kernel_name (k, &program);
    g_prefix_error (&error, _("OpenCL kernel %s (%s): "), name, program_files[program]);
    nw_backend_set_error (&cl->parent, error);
  }
}

void
cl_launch_1d (ClBackend *cl, ClKernelId k, gsize n, const ClArg *args, int n_args)
{
  size_t global = n, local = (size_t) cl->tune.ew1;
  cl_launch (cl, k, 1, &global, &local, args, n_args);
}

void
cl_launch_2d (ClBackend *cl, ClKernelId k, int cols, int rows, const ClArg *args, int n_args)
{
  size_t global[2] = { (size_t) MAX (cols, 0), (size_t) MAX (rows, 0) };
  size_t local[2] = { (size_t) cl->tune.ew2x, (size_t) cl->tune.ew2y };
  /* Narrow matrices (XOR's 1- to 10-wide layers) put the work-group along the rows. */
  if (cols < cl->tune.ew2x)
    {
      local[0] = cl_pow2_at_least ((gsize) cols, (size_t) cl->tune.ew2x);
      local[1] = (size_t) (cl->tune.ew2x * cl->tune.ew2y) / local[0];
    }
  cl_launch (cl, k, 2, global, local, args, n_args);
}

/* ---- memory ---- */

static NwBuffer *
cl_buffer_new (NwBackend *self, gsize bytes)
{
  ClBackend *cl = CL_BACKEND (self);
  ClBuffer *buf;
  cl_mem mem = NULL;
  cl_int st = CL_SUCCESS;
  cl_uint zero = 0;
  /* Whole 32-bit words, at least one cache line: the fill below writes words. */
  gsize alloc = MAX ((bytes + 3) / 4 * 4, 64);

  if (nw_backend_failed (self))
    return NULL;
  if (bytes > cl->device->max_alloc)
    {
      g_autofree char *want = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *most = g_format_size_full (cl->device->max_alloc, G_FORMAT_SIZE_IEC_UNITS);
      nw_backend_set_error (self, g_error_new (NW_ERROR, NW_ERROR_NO_MEMORY,
                                               _("OpenCL: cannot allocate %zu bytes (%s) "
                                                 "on %s: its largest buffer is %s "
                                                 "(CL_DEVICE_MAX_MEM_ALLOC_SIZE)"),
                                               bytes, want, cl->device->name, most));
      return NULL;
    }
  if (!CL_OK (cl, (mem = clCreateBuffer (cl->context, CL_MEM_READ_WRITE, alloc, NULL, &st), st)))
    return NULL;
  /* Zeroed like the CPU backend's buffers: callers may count on it (metrics, optimizer
   * state). Queued, not waited for. */
  if (!CL_OK (cl, clEnqueueFillBuffer (cl->queue, mem, &zero, sizeof zero, 0, alloc, 0, NULL, NULL)))
    {
      CL_OK (cl, clReleaseMemObject (mem));
      return NULL;
    }
  cl->counters.commands++;
  buf = g_new (ClBuffer, 1);
  buf->mem = mem;
  buf->bytes = bytes;
  self->n_buffers++;
  return (NwBuffer *) buf;
}

static void
cl_buffer_free (NwBackend *self, NwBuffer *buffer)
{
  ClBuffer *buf = (ClBuffer *) buffer;
  if (buf == NULL)
    return;
  /* Released even after an error: the queue keeps the object alive until the commands that
   * use it have run. */
  CL_OK (CL_BACKEND (self), clReleaseMemObject (buf->mem));
  g_free (buf);
  self->n_buffers--;
}

static gboolean
in_range (ClBackend *cl, NwBuffer *buffer, gsize byte_off, gsize bytes, const char *what)
{
  ClBuffer *b = (ClBuffer *) buffer;
  if (b == NULL || byte_off > b->bytes || bytes > b->bytes - byte_off)
    {
      nw_backend_set_error (&cl->parent, g_error_new (NW_ERROR, NW_ERROR_BACKEND,
                                                      _("OpenCL: %s of %zu bytes at %"
                                                      "zu is outside the buffer (%"
                                                      "zu bytes)"),
                                                      what, bytes, byte_off, b != NULL ? b->bytes : 0));
      return FALSE;
    }
  return TRUE;
}

static void
cl_write (NwBackend *self, NwBuffer *dst, gsize byte_off, const void *src, gsize bytes)
{
  ClBackend *cl = CL_BACKEND (self);
  if (nw_backend_failed (self) || !in_range (cl, dst, byte_off, bytes, "write") || bytes == 0)
    return;
  /* Blocking: the caller may free or reuse `src` as soon as this returns. */
  CL_OK (cl, clEnqueueWriteBuffer (cl->queue, CL_MEM (dst), CL_TRUE, byte_off, bytes, src, 0, NULL, NULL));
  cl->counters.syncs++;
}

static void
cl_read (NwBackend *self, NwBuffer *src, gsize byte_off, void *dst, gsize bytes)
{
  ClBackend *cl = CL_BACKEND (self);
  if (nw_backend_failed (self) || !in_range (cl, src, byte_off, bytes, "read") || bytes == 0)
    return;
  CL_OK (cl, clEnqueueReadBuffer (cl->queue, CL_MEM (src), CL_TRUE, byte_off, bytes, dst, 0, NULL, NULL));
  cl->counters.syncs++;
}

static void
cl_fill (NwBackend *self, NwBuffer *buf, gsize off, gsize n, nw_real value)
{
  ClBackend *cl = CL_BACKEND (self);
  cl_float v = value;
  if (nw_backend_failed (self) || n == 0)
    return;
  if (CL_OK (cl, clEnqueueFillBuffer (cl->queue, CL_MEM (buf), &v, sizeof v, off * sizeof v,
                                      n * sizeof v, 0, NULL, NULL)))
    cl->counters.commands++;
}

static void
cl_copy (NwBackend *self, NwBuffer *src, gsize soff, NwBuffer *dst, gsize doff, gsize n,
         gboolean accumulate)
{
  ClBackend *cl = CL_BACKEND (self);
  const gsize w = sizeof (cl_float);
  if (nw_backend_failed (self) || n == 0)
    return;
  if (accumulate)
    CL_LAUNCH_1D (cl, K_ACCUMULATE, n, ARG_BUF (src), ARG_ULONG (soff), ARG_BUF (dst),
                  ARG_ULONG (doff), ARG_ULONG (n));
  else if (CL_MEM (src) == CL_MEM (dst) && soff < doff + n && doff < soff + n)
    {
      /* Overlapping ranges of one buffer (the CPU's memmove): through a temporary, since
       * clEnqueueCopyBuffer refuses overlaps. */
      cl_int st = CL_SUCCESS;
      cl_mem tmp = NULL;
      if (!CL_OK (cl, (tmp = clCreateBuffer (cl->context, CL_MEM_READ_WRITE, n * w, NULL, &st), st)))
        return;
      if (CL_OK (cl, clEnqueueCopyBuffer (cl->queue, CL_MEM (src), tmp, soff * w, 0, n * w, 0, NULL, NULL)))
        CL_OK (cl, clEnqueueCopyBuffer (cl->queue, tmp, CL_MEM (dst), 0, doff * w, n * w, 0, NULL, NULL));
      CL_OK (cl, clReleaseMemObject (tmp));
      cl->counters.commands += 2;
    }
  else if (CL_OK (cl, clEnqueueCopyBuffer (cl->queue, CL_MEM (src), CL_MEM (dst), soff * w, doff * w,
                                           n * w, 0, NULL, NULL)))
    cl->counters.commands++;
}

static void
cl_finish (NwBackend *self)
{
  ClBackend *cl = CL_BACKEND (self);
  if (nw_backend_failed (self))
    return;
  CL_OK (cl, clFinish (cl->queue));
  cl->counters.syncs++;
}

/* ---- life cycle ---- */

static void
cl_destroy (NwBackend *self)
{
  ClBackend *cl = CL_BACKEND (self);
  /* Status checked, but nowhere left to report it: the backend is going away. */
  if (cl->queue != NULL)
    NW_CL_CHECK (clFinish (cl->queue), NULL);
  for (int k = 0; k < N_KERNELS; k++)
    if (cl->kernels[k] != NULL)
      NW_CL_CHECK (clReleaseKernel (cl->kernels[k]), NULL);
  for (int p = 0; p < N_PROGRAMS; p++)
    if (cl->programs[p] != NULL)
      NW_CL_CHECK (clReleaseProgram (cl->programs[p]), NULL);
  if (cl->dummy != NULL)
    NW_CL_CHECK (clReleaseMemObject (cl->dummy), NULL);
  if (cl->queue != NULL)
    NW_CL_CHECK (clReleaseCommandQueue (cl->queue), NULL);
  if (cl->context != NULL)
    NW_CL_CHECK (clReleaseContext (cl->context), NULL);
  nw_cl_device_info_free (cl->device);
  g_free (cl);
}

/* Tuning per device kind. CPUs (PoCL): each work-item of the tiled kernel holds 8 rows x 2
 * vectors of the device's preferred width (16 accumulators, AVX-512's 32 registers), 2 x 4
 * work-groups (32 x 64 tiles), one K panel of 512 (see gemm.cl), small work-groups elsewhere
 * too (PoCL runs a work-group as loops on one core). GPUs: 4-wide, 8 x 4 per work-item,
 * 64 x 64 tiles, partial sums kept in registers, 256-wide reductions.
 * chain.cl (the fused path) on PoCL: one work-item (1, 8, 16, 32 and 64 measured within
 * noise of each other), and only for steps of at most 32k multiply-adds: a 2-W-W-1 ReLU
 * chain ran fused against per-operation at 0.14 / 0.17 s per 1000 steps at 30k, 0.31 / 0.24
 * at 112k (bench/README-cl.md). GPUs: 256 work-items, up to what local memory holds (not
 * timed on a GPU yet). */
static gboolean
choose_tuning (ClBackend *cl, const NwClOptions *opts, GError **error)
{
  ClTuning *t = &cl->tune;
  const NwClDeviceInfo *d = cl->device;
  cl_uint vec = 0;
  gboolean gpu = strcmp (d->type, "CPU") != 0;

  if (!NW_CL_CHECK (clGetDeviceInfo (d->device_id, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT,
                                     sizeof vec, &vec, NULL), error))
    return FALSE;
  if (gpu)
    *t = (ClTuning) {
      /* 32 x 32 tiles: MNIST's products (100 rows) make few work-groups, and on an H100
       * these beat 64 x 64 ones by 28% per training step (bench/README-cl.md, "On a GPU") */
      .vw = 4, .wptm = 4, .wptn = 1, .rtsn = 8, .rtsm = 8, .kc = 32, .keep_acc = TRUE,
      .nt_dot = FALSE, .dot_wm = 4, .dot_wn = 4,
      .cw = 32, .rs = 8, .rwg = 256, .lwg = 256,
      .row_wg = 256, .ew1 = 256, .ew2x = 32, .ew2y = 8,
      .small_gemm_macs = 16 * 1024, .small_fills = TRUE,
      .fwg = 256, .chain_max_macs = 1 << 20,
    };
  else
    *t = (ClTuning) {
      .vw = vec >= 16 ? 16 : vec >= 8 ? 8 : 4, .wptm = 8, .wptn = 2, .rtsn = 2, .rtsm = 4, .kc = 512,
      .keep_acc = FALSE, .nt_dot = TRUE, .dot_wm = 4, .dot_wn = 4,
      .cw = 16, .rs = 4, .rwg = 64, .lwg = 64,
      .row_wg = 64, .ew1 = 64, .ew2x = 16, .ew2y = 4,
      .small_gemm_macs = 64 * 1024,
      .fwg = 1, .chain_max_macs = 32 * 1024,
    };
  /* For benchmarks (bench/cl_gemm.c): gemm_tuning "VW,WPTM,RTSN,RTSM,KC[,KEEP_ACC[,WPTN]]"
   * replaces the tiled kernel's tiling. */
  if (opts->gemm_tuning != NULL)
    {
      const char *env = opts->gemm_tuning;
      int v[7] = { t->vw, t->wptm, t->rtsn, t->rtsm, t->kc, t->keep_acc, t->wptn };
      if (sscanf (env, "%d,%d,%d,%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) >= 5
          && (v[0] == 2 || v[0] == 4 || v[0] == 8 || v[0] == 16) && v[1] > 0 && v[2] > 0 && v[3] > 0
          && v[4] > 0 && v[6] > 0 && v[4] % v[0] == 0 && (v[3] * v[1]) % v[0] == 0)
        {
          t->vw = v[0];
          t->wptm = v[1];
          t->rtsn = v[2];
          t->rtsm = v[3];
          t->kc = v[4];
          t->keep_acc = v[5] != 0;
          t->wptn = v[6];
        }
      else
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                       _("gemm tuning \"%s\" (NW_CL_GEMM_TUNING) is not VW,WPTM,RTSN,RTSM,KC[,KEEP_ACC[,WPTN]] with "
                         "VW in 2, 4, 8, 16 and KC, RTSM x WPTM multiples of VW"), env);
          return FALSE;
        }
    }
  /* Fit the device: work-groups of at most max_work_group items, panels in local memory
   * (with 1 KiB to spare). */
  while ((size_t) t->rtsn * t->rtsm > d->max_work_group && t->rtsm > 1
         && (t->rtsm / 2 * t->wptm) % t->vw == 0)
    t->rtsm /= 2;
  while ((size_t) t->rtsn * t->rtsm > d->max_work_group && t->rtsn > 1)
    t->rtsn /= 2;
  while ((guint64) (t->rtsm * t->wptm + t->rtsn * t->vw * t->wptn) * t->kc * 4 + 1024 > d->local_mem
         && t->kc > t->vw)
    t->kc = MAX (t->kc / 2 / t->vw * t->vw, t->vw);
  while ((size_t) (t->cw * t->rs) > d->max_work_group && t->rs > 1)
    t->rs /= 2;
  while ((size_t) t->rwg > d->max_work_group)
    t->rwg /= 2;
  while ((size_t) t->lwg > d->max_work_group)
    t->lwg /= 2;
  while ((size_t) t->row_wg > d->max_work_group)
    t->row_wg /= 2;
  /* For benchmarks: chain_wg N (a power of two) replaces chain.cl's work-group size. */
  if (opts->chain_wg != NULL)
    {
      const char *env = opts->chain_wg;
      int wg = atoi (env);
      if (wg < 1 || wg > 1024 || (wg & (wg - 1)) != 0)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                       _("chain work-group size \"%s\" (NW_CL_CHAIN_WG) is not a power of two in 1..1024"), env);
          return FALSE;
        }
      t->fwg = wg;
    }
  while ((size_t) t->fwg > d->max_work_group)
    t->fwg /= 2;
  return TRUE;
}

static char *program_tuning (ClBackend *cl, ClProgramId p);

/* Programs that share act.cl, the activations' and losses' arithmetic. */
static gboolean
uses_act_prelude (ClProgramId p)
{
  return p == P_ELEMENTWISE || p == P_CHAIN || p == P_LOSS;
}

/* What act.cl expects in front of it: NW_ACT_LIST(X), X (name, id) for every elementwise
 * activation of core's table, and ACT_<name> as each one's id. Generated here so that an
 * activation added to the table needs nothing in cl/. */
static char *
activation_defines (void)
{
  GString *s = g_string_new ("#define NW_ACT_LIST(X)");
  GString *ids = g_string_new (NULL);
  for (int a = 0; a < NW_N_ACTIVATIONS; a++)
    {
      const NwActivationInfo *info = nw_activation_info ((NwActivation) a);
      if (!info->elementwise)
        continue;
      g_string_append_printf (s, " X (%s, %d)", info->name, a);
      g_string_append_printf (ids, "#define ACT_%s %d\n", info->name, a);
    }
  g_string_append_c (s, '\n');
  g_string_append (s, ids->str);
  g_string_free (ids, TRUE);
  return g_string_free (s, FALSE);
}

static char *
program_header (ClBackend *cl, ClProgramId p)
{
  g_autofree char *tuning = program_tuning (cl, p);
  g_autofree char *acts = uses_act_prelude (p) ? activation_defines () : NULL;
  return g_strconcat (tuning, acts, NULL);
}

static char *
program_tuning (ClBackend *cl, ClProgramId p)
{
  const ClTuning *t = &cl->tune;
  switch (p)
    {
    case P_GEMM:
      return g_strdup_printf ("#define VW %d\n#define WPTM %d\n#define WPTN %d\n#define RTSN %d\n"
                              "#define RTSM %d\n#define KC %d\n#define KEEP_ACC %d\n"
                              "#define DOT_WM %d\n#define DOT_WN %d\n",
                              t->vw, t->wptm, t->wptn, t->rtsn, t->rtsm, t->kc, t->keep_acc ? 1 : 0,
                              t->dot_wm, t->dot_wn);
    case P_REDUCE:
      return g_strdup_printf ("#define CW %d\n#define RS %d\n#define RWG %d\n", t->cw, t->rs, t->rwg);
    case P_NORM:
      return g_strdup_printf ("#define CW %d\n#define RS %d\n", t->cw, t->rs);
    case P_LOSS:
      return g_strdup_printf ("#define LWG %d\n", t->lwg);
    case P_CHAIN:
      return g_strdup_printf ("#define FWG %d\n", t->fwg);
    case P_ELEMENTWISE:
    case P_OPTIMIZER:
    case N_PROGRAMS:
    default:
      return g_strdup ("");
    }
}

/* train_chain is built with reqd_work_group_size(FWG), but a GPU may cap a kernel below its
 * device's maximum (registers, local memory): the plan compares against what the kernel
 * itself allows. opts->simulate_chain_wg N (tests) pretends the kernel allows at most N. */
static gboolean
query_chain_kernel (ClBackend *cl, const NwClOptions *opts, GError **error)
{
  cl_kernel k = cl->kernels[K_TRAIN_CHAIN];
  cl_device_id id = cl->device->device_id;
  size_t wg = 0;
  cl_ulong local = 0;

  if (!NW_CL_CHECK (clGetKernelWorkGroupInfo (k, id, CL_KERNEL_WORK_GROUP_SIZE, sizeof wg, &wg,
                                              NULL), error)
      || !NW_CL_CHECK (clGetKernelWorkGroupInfo (k, id, CL_KERNEL_LOCAL_MEM_SIZE, sizeof local,
                                                 &local, NULL), error))
    {
      g_prefix_error (error, _("OpenCL kernel train_chain (chain.cl): "));
      return FALSE;
    }
  if (opts->simulate_chain_wg > 0)
    wg = MIN (wg, (size_t) opts->simulate_chain_wg);
  cl->chain_max_wg = wg;
  cl->chain_static_local = local;
  return TRUE;
}

static gboolean
build_programs (ClBackend *cl, const NwClOptions *opts, GError **error)
{
  /* Correctly rounded division and square root make the optimizer updates bit-identical to
   * the CPU's where the device can do it. */
  const char *options = cl->device->correct_sqrt
                          ? "-cl-std=CL1.2 -cl-fp32-correctly-rounded-divide-sqrt"
                          : "-cl-std=CL1.2";
  g_autoptr (GBytes) act = nw_cl_kernel_source ("act.cl", error);

  if (act == NULL)
    return FALSE;
  for (int p = 0; p < N_PROGRAMS; p++)
    {
      g_autoptr (GBytes) source = nw_cl_kernel_source (program_files[p], error);
      g_autofree char *header = NULL;
      gboolean prelude = uses_act_prelude ((ClProgramId) p);
      if (source == NULL)
        return FALSE;
      header = program_header (cl, (ClProgramId) p);
      cl->programs[p] = nw_cl_build_program_with_prelude (cl->context, cl->device,
                                                          prelude ? "act.cl" : NULL,
                                                          prelude ? g_bytes_get_data (act, NULL) : NULL,
                                                          program_files[p],
                                                          g_bytes_get_data (source, NULL), header,
                                                          options, !opts->no_cache, error);
      if (cl->programs[p] == NULL)
        return FALSE;
    }
  for (int k = 0; k < N_KERNELS; k++)
    {
      ClProgramId p;
      g_autofree char *name = kernel_name ((ClKernelId) k, &p);
      cl_int st = CL_SUCCESS;
      if (!NW_CL_CHECK ((cl->kernels[k] = clCreateKernel (cl->programs[p], name, &st), st), error))
        {
          g_prefix_error (error, _("OpenCL kernel %s (%s): "), name, program_files[p]);
          return FALSE;
        }
    }
  return query_chain_kernel (cl, opts, error);
}

NwBackend *
nw_backend_cl_new (const char *request, const NwClOptions *options, GError **error)
{
  static const NwClOptions defaults = { 0 };
  const NwClOptions *opts = options != NULL ? options : &defaults;
  ClBackend *cl;
  cl_int st = CL_SUCCESS;
  cl_context_properties props[3] = { CL_CONTEXT_PLATFORM, 0, 0 };
  NwClDeviceInfo *device = nw_cl_pick_device (request, opts, error);

  if (device == NULL)
    return NULL;
  cl = g_new0 (ClBackend, 1);
  cl->parent.ops = &cl_ops;
  cl->device = device;
  cl->parent.description = g_strdup_printf ("OpenCL: %s (%s)", device->name, device->platform);
  props[1] = (cl_context_properties) device->platform_id;
  cl->profile = opts->profile;

  if (!NW_CL_CHECK ((cl->context = clCreateContext (props, 1, &device->device_id, NULL, NULL, &st), st), error)
      || !NW_CL_CHECK ((cl->queue = clCreateCommandQueue (cl->context, device->device_id,
                                                          cl->profile ? CL_QUEUE_PROFILING_ENABLE : 0,
                                                          &st), st), error)
      || !NW_CL_CHECK ((cl->dummy = clCreateBuffer (cl->context, CL_MEM_READ_WRITE, 64, NULL, &st), st), error)
      || !choose_tuning (cl, opts, error)
      || !build_programs (cl, opts, error))
    {
      nw_backend_free (&cl->parent);
      return NULL;
    }
  return &cl->parent;
}

/* ---- accessors ---- */

gboolean
nw_backend_is_cl (NwBackend *backend)
{
  return backend != NULL && backend->ops == &cl_ops;
}

const NwClDeviceInfo *
nw_backend_cl_get_device (NwBackend *backend)
{
  g_return_val_if_fail (nw_backend_is_cl (backend), NULL);
  return CL_BACKEND (backend)->device;
}

cl_context
nw_backend_cl_get_context (NwBackend *backend)
{
  g_return_val_if_fail (nw_backend_is_cl (backend), NULL);
  return CL_BACKEND (backend)->context;
}

cl_command_queue
nw_backend_cl_get_queue (NwBackend *backend)
{
  g_return_val_if_fail (nw_backend_is_cl (backend), NULL);
  return CL_BACKEND (backend)->queue;
}

cl_mem
nw_backend_cl_buffer_mem (NwBuffer *buffer)
{
  return buffer != NULL ? CL_MEM (buffer) : NULL;
}

void
nw_backend_cl_get_counters (NwBackend *backend, NwClCounters *out)
{
  g_return_if_fail (nw_backend_is_cl (backend));
  *out = CL_BACKEND (backend)->counters;
}

void
nw_backend_cl_set_gemm_path (NwBackend *backend, NwClGemmPath path)
{
  g_return_if_fail (nw_backend_is_cl (backend));
  CL_BACKEND (backend)->gemm_path = path;
}

static int
compare_time (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *ns = data;
  int ka = *(const int *) a, kb = *(const int *) b;
  return ns[ka] < ns[kb] ? 1 : ns[ka] > ns[kb] ? -1 : 0;
}

char *
nw_backend_cl_profile_report (NwBackend *backend)
{
  ClBackend *cl;
  GString *s = g_string_new (NULL);
  int order[N_KERNELS];
  double total = 0;
  g_return_val_if_fail (nw_backend_is_cl (backend), NULL);
  cl = CL_BACKEND (backend);
  if (!cl->profile)
    return g_string_free (s, FALSE);
  for (int k = 0; k < N_KERNELS; k++)
    {
      order[k] = k;
      total += cl->kernel_ns[k];
    }
  g_qsort_with_data (order, N_KERNELS, sizeof (int), compare_time, cl->kernel_ns);
  for (int i = 0; i < N_KERNELS && cl->kernel_calls[order[i]] > 0; i++)
    {
      ClProgramId p;
      g_autofree char *name = kernel_name ((ClKernelId) order[i], &p);
      g_string_append_printf (s, "%-24s %8" G_GUINT64_FORMAT " calls %10.3f ms %8.1f us/call %5.1f%%\n",
                              name, cl->kernel_calls[order[i]], cl->kernel_ns[order[i]] / 1e6,
                              cl->kernel_ns[order[i]] / 1e3 / cl->kernel_calls[order[i]],
                              100 * cl->kernel_ns[order[i]] / MAX (total, 1));
    }
  return g_string_free (s, FALSE);
}

/* ---- the table ---- */

const NwBackendOps cl_ops = {
  .name = "opencl",
  .destroy = cl_destroy,
  .buffer_new = cl_buffer_new,
  .buffer_free = cl_buffer_free,
  .write = cl_write,
  .read = cl_read,
  .fill = cl_fill,
  .copy = cl_copy,
  .copy_cols = cl_copy_cols,
  .add = cl_add,
  .gather_rows = cl_gather_rows,
  .gemm = cl_gemm,
  .bias_act = cl_bias_act,
  .act_backward = cl_act_backward,
  .bias_grad = cl_bias_grad,
  .loss = cl_loss,
  .dropout = cl_dropout,
  .mul = cl_mul,
  .norm_forward = cl_norm_forward,
  .norm_backward = cl_norm_backward,
  .update = cl_update,
  .sumsq = cl_sumsq,
  .act_stats = cl_act_stats,
  .finish = cl_finish,
  .chain_plan_new = cl_chain_plan_new,
  .chain_plan_free = cl_chain_plan_free,
  .chain_train = cl_chain_train,
};
