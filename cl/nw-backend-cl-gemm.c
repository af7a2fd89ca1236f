/* nw-backend-cl-gemm.c: C = alpha * op(A) op(B) + beta * C on the device.
 *
 * Three kernels of gemm.cl, chosen by size and device:
 * - gemm_small, one work-item per element of C, below tune.small_gemm_macs multiply-adds
 *   (XOR's 4 x 10 x 10), where a launch costs more than the arithmetic;
 * - gemm_nt_dot for A B^T on CPUs (the forward pass X W^T): both operands run along k, so
 *   each work-item takes dot products of rows, VW at a time, without a local-memory panel;
 * - the tiled kernels (local-memory panels, register blocks) for the rest; on GPUs, a
 *   product too small to give every compute unit a tile goes to gemm_small where that
 *   kernel's reads coalesce (tune.small_fills).
 * bench/README-cl.md has the measurements behind the choice, and CLBlast's figures: it is
 * slower than these kernels at every shape the app uses but one, so it is not used. */
#include "nw-backend-cl-private.h"

static const ClKernelId tiled[2][2] = {
  { K_GEMM_NN, K_GEMM_NT },
  { K_GEMM_TN, K_GEMM_TT },
};

/* On a GPU, a tiled launch with fewer work-groups than compute units leaves most of the
 * device idle, and one work-item per element of C then wins when neighbouring work-items
 * read neighbouring elements of B (B not transposed: the backward products), or C has only a
 * few columns (the output layer's forward). Measured on an H100 (bench/README-cl.md). */
static gboolean
small_fills_better (const ClBackend *cl, gboolean trans_b, int m, int n)
{
  const ClTuning *t = &cl->tune;
  gint64 tsn = (gint64) t->rtsn * t->vw * t->wptn, tsm = (gint64) t->rtsm * t->wptm;
  gint64 groups = ((n + tsn - 1) / tsn) * ((m + tsm - 1) / tsm);
  return groups < (gint64) cl->device->compute_units && (!trans_b || 2 * (gint64) n < tsn);
}

void
cl_gemm (NwBackend *self, gboolean trans_a, gboolean trans_b, int m, int n, int k, nw_real alpha,
         NwBuffer *a, gsize aoff, int lda, NwBuffer *b, gsize boff, int ldb, nw_real beta,
         NwBuffer *c, gsize coff, int ldc)
{
  ClBackend *cl = CL_BACKEND (self);
  const ClTuning *t = &cl->tune;
  gint64 macs = (gint64) m * n * k;
  gboolean small;

  if (nw_backend_failed (self) || m <= 0 || n <= 0)
    return;
  switch (cl->gemm_path)
    {
    case NW_CL_GEMM_TILED:
      small = FALSE;
      break;
    case NW_CL_GEMM_SMALL:
      small = TRUE;
      break;
    case NW_CL_GEMM_AUTO:
    default:
      small = macs < t->small_gemm_macs || (t->small_fills && small_fills_better (cl, trans_b, m, n));
      break;
    }
  /* K = 0 leaves C = beta * C, which only the small kernel writes. */
  if (small || k <= 0)
    {
      size_t global[2] = { (size_t) n, (size_t) m };
      size_t local[2];
      local[0] = cl_pow2_at_least ((gsize) n, (size_t) t->ew2x);
      local[1] = cl_pow2_at_least ((gsize) m, (size_t) (t->ew2x * t->ew2y) / local[0]);
      CL_LAUNCH (cl, K_GEMM_SMALL, 2, global, local, ARG_INT (trans_a != FALSE),
                 ARG_INT (trans_b != FALSE), ARG_INT (m), ARG_INT (n), ARG_INT (k),
                 ARG_FLOAT (alpha), ARG_BUF (a), ARG_ULONG (aoff), ARG_INT (lda), ARG_BUF (b),
                 ARG_ULONG (boff), ARG_INT (ldb), ARG_FLOAT (beta), ARG_BUF (c),
                 ARG_ULONG (coff), ARG_INT (ldc));
    }
  else if (!trans_a && trans_b && t->nt_dot && cl->gemm_path != NW_CL_GEMM_TILED)
    {
      size_t blocks_n = ((size_t) n + t->dot_wn - 1) / t->dot_wn;
      size_t blocks_m = ((size_t) m + t->dot_wm - 1) / t->dot_wm;
      size_t global[2] = { blocks_n, blocks_m };
      size_t local[2] = { cl_pow2_at_least (blocks_n, 16), 1 };
      CL_LAUNCH (cl, K_GEMM_NT_DOT, 2, global, local, ARG_INT (m), ARG_INT (n), ARG_INT (k),
                 ARG_FLOAT (alpha), ARG_BUF (a), ARG_ULONG (aoff), ARG_INT (lda), ARG_BUF (b),
                 ARG_ULONG (boff), ARG_INT (ldb), ARG_FLOAT (beta), ARG_BUF (c),
                 ARG_ULONG (coff), ARG_INT (ldc));
    }
  else
    {
      size_t tsn = (size_t) t->rtsn * t->vw * t->wptn, tsm = (size_t) t->rtsm * t->wptm;
      size_t local[2] = { (size_t) t->rtsn, (size_t) t->rtsm };
      size_t global[2] = { ((size_t) n + tsn - 1) / tsn * local[0],
                           ((size_t) m + tsm - 1) / tsm * local[1] };
      CL_LAUNCH (cl, tiled[trans_a != FALSE][trans_b != FALSE], 2, global, local, ARG_INT (m),
                 ARG_INT (n), ARG_INT (k), ARG_FLOAT (alpha), ARG_BUF (a), ARG_ULONG (aoff),
                 ARG_INT (lda), ARG_BUF (b), ARG_ULONG (boff), ARG_INT (ldb), ARG_FLOAT (beta),
                 ARG_BUF (c), ARG_ULONG (coff), ARG_INT (ldc));
    }
}
