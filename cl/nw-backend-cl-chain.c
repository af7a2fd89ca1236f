/* nw-backend-cl-chain.c: the fused training path (resources/kernels/chain.cl): many steps of
 * a small dense chain in one launch of one work-group.
 *
 * A plan is made once per chain and batch size: the layer table goes to the device, and the
 * local-memory layout is fixed. A chain gets no plan (and the trainer keeps to the
 * per-operation kernels) when its working set does not fit the device's local memory (next to
 * what the kernel itself uses), when the kernel as built cannot run with the work-group it
 * was built for (CL_KERNEL_WORK_GROUP_SIZE below FWG: the launch would fail and stop the run),
 * or when one step is more arithmetic than one work-group should take on
 * (tune.chain_max_macs: beyond it the per-operation kernels, spread over every compute unit,
 * win). A run is one
 * launch; Adam's per-step constants are computed on the host as cl_update computes them and
 * written once per run. */
#include "nw-backend-cl-private.h"
#include "nw-i18n.h"
#include "nw-activation.h"

#include <math.h>

/* Fields of a layer in the table (chain.cl's L_*). */
enum { L_IN, L_OUT, L_W, L_B, L_ACT, L_ALPHA, L_Z, L_Y, L_FIELDS };

struct _NwChainPlan {
  NwBuffer *table;        /* L_FIELDS ints per layer */
  NwBuffer *adam;         /* 2 floats per step: Adam's step size and 1 / sqrt(bc2) */
  float    *adam_host;
  int       n_layers;
  NwLoss    loss;
  int       d, tw, n_params, n_weights, max_rows;
  int       x_off, t_off, d0_off, d1_off;   /* local memory, in floats */
  gsize     local_floats;
};

/* Lays out local memory for `c` (see chain.cl) into `plan` and `table`; FALSE when the chain
 * is not one chain.cl takes, or too large for this device. */
static gboolean
lay_out (ClBackend *cl, const NwChainDesc *c, NwChainPlan *plan, gint32 *table)
{
  const ClTuning *tune = &cl->tune;
  guint64 floats, macs = 0, limit;
  int widest = 0;

  if (c->n_layers < 1 || c->max_rows < 1 || c->n_params > G_MAXINT32 / 4)
    return FALSE;
  /* P, G, then the batch's X and T. */
  floats = 2 * (guint64) c->n_params;
  plan->x_off = (int) floats;
  floats += (guint64) c->max_rows * c->in_width;
  plan->t_off = (int) floats;
  floats += (guint64) c->max_rows * c->target_width;
  for (int l = 0; l < c->n_layers; l++)
    {
      const NwChainLayer *L = &c->layers[l];
      gint32 *row = table + l * L_FIELDS;
      union { float f; gint32 i; } alpha = { .f = L->alpha };
      const NwActivationInfo *act = nw_activation_info (L->act);
      if (act == NULL || !act->elementwise || L->in < 1 || L->out < 1 || L->in != (l == 0 ? c->in_width : c->layers[l - 1].out)
          || floats > G_MAXINT32 / 4)
        return FALSE;
      row[L_IN] = L->in;
      row[L_OUT] = L->out;
      row[L_W] = (gint32) L->w_off;
      row[L_B] = L->bias ? (gint32) L->b_off : -1;
      row[L_ACT] = L->act;
      row[L_ALPHA] = alpha.i;
      row[L_Z] = (gint32) floats;
      floats += (guint64) c->max_rows * L->out;
      if (L->act != NW_ACT_LINEAR)
        floats += (guint64) c->max_rows * L->out;
      row[L_Y] = (gint32) (floats - (guint64) c->max_rows * L->out);
      widest = MAX (widest, L->out);
      macs += (guint64) L->in * L->out;
    }
  if (c->layers[c->n_layers - 1].out != c->target_width)
    return FALSE;
  plan->d0_off = (int) floats;
  floats += (guint64) c->max_rows * widest;
  plan->d1_off = (int) floats;
  floats += (guint64) c->max_rows * widest;
  macs *= (guint64) c->max_rows;
  /* The loss's sums (2 x FWG) next to the kernel's own local memory, and 1 KiB to spare. */
  limit = cl->device->local_mem > cl->chain_static_local + 1024
            ? (cl->device->local_mem - cl->chain_static_local - 1024) / sizeof (cl_float) : 0;
  if (floats + 2 * (guint64) tune->fwg > limit || floats > G_MAXINT32 / 4
      || macs > (guint64) tune->chain_max_macs || (size_t) tune->fwg > cl->chain_max_wg)
    return FALSE;
  plan->local_floats = (gsize) floats;
  return TRUE;
}

NwChainPlan *
cl_chain_plan_new (NwBackend *self, const NwChainDesc *c)
{
  ClBackend *cl = CL_BACKEND (self);
  g_autofree gint32 *table = NULL;
  NwChainPlan *plan;

  if (nw_backend_failed (self) || c->n_layers < 1 || c->n_layers > 4096)
    return NULL;
  table = g_new0 (gint32, (gsize) c->n_layers * L_FIELDS);
  plan = g_new0 (NwChainPlan, 1);
  if (!lay_out (cl, c, plan, table))
    {
      g_free (plan);
      return NULL;
    }
  plan->n_layers = c->n_layers;
  plan->loss = c->loss;
  plan->d = c->in_width;
  plan->tw = c->target_width;
  plan->n_params = (int) c->n_params;
  plan->n_weights = (int) c->n_weights;
  plan->max_rows = c->max_rows;
  plan->table = self->ops->buffer_new (self, sizeof (gint32) * (gsize) c->n_layers * L_FIELDS);
  plan->adam = nw_backend_alloc (self, 2 * NW_CHAIN_MAX_STEPS);
  plan->adam_host = g_new (float, 2 * NW_CHAIN_MAX_STEPS);
  self->ops->write (self, plan->table, 0, table, sizeof (gint32) * (gsize) c->n_layers * L_FIELDS);
  if (nw_backend_failed (self))
    {
      cl_chain_plan_free (self, plan);
      return NULL;
    }
  return plan;
}

void
cl_chain_plan_free (NwBackend *self, NwChainPlan *plan)
{
  if (plan == NULL)
    return;
  if (plan->table != NULL)
    self->ops->buffer_free (self, plan->table);
  nw_backend_release (self, &plan->adam);
  g_free (plan->adam_host);
  g_free (plan);
}

void
cl_chain_train (NwBackend *self, NwChainPlan *plan, const NwChainRun *run)
{
  ClBackend *cl = CL_BACKEND (self);
  const NwUpdateArgs *a = &run->update;
  gboolean adam = a->kind == NW_OPT_ADAM || a->kind == NW_OPT_ADAMW;
  float decay = 1;
  size_t one = (size_t) cl->tune.fwg;

  if (nw_backend_failed (self) || run->steps <= 0)
    return;
  /* The kernel trusts these: every batch inside the data, `out` large enough. */
  if (run->steps > NW_CHAIN_MAX_STEPS || run->batch > plan->max_rows || run->batch < 1
      || run->pos < 0 || run->stride < 0 || run->pos >= run->n_rows
      || (gint64) run->pos + (gint64) (run->steps - 1) * run->stride >= run->n_rows
      || ((ClBuffer *) run->out)->bytes < sizeof (cl_float) * (1 + 3 * (gsize) run->steps)
      || a->kind < 0 || a->kind >= NW_N_OPTIMIZERS)
    {
      nw_backend_set_error (self, g_error_new (NW_ERROR, NW_ERROR_BACKEND,
                                               _("OpenCL: a fused run of %d steps of %d rows from "
                                                 "row %d (stride %d) of %d does not fit its plan "
                                                 "(at most %d steps of %d rows) or its buffers"),
                                               run->steps, run->batch, run->pos, run->stride,
                                               run->n_rows, NW_CHAIN_MAX_STEPS, plan->max_rows));
      return;
    }
  if (adam)
    {
      for (int j = 0; j < run->steps; j++)
        cl_adam_constants (a, a->t + j, &plan->adam_host[2 * j], &plan->adam_host[2 * j + 1],
                           &decay);
      self->ops->write (self, plan->adam, 0, plan->adam_host, 2 * sizeof (float) * run->steps);
    }
  CL_LAUNCH (cl, K_TRAIN_CHAIN, 1, &one, &one,
             ARG_INT (plan->n_layers), ARG_BUF (plan->table), ARG_INT (plan->loss),
             ARG_INT (plan->d), ARG_INT (plan->tw), ARG_INT (plan->n_params),
             ARG_INT (plan->n_weights), ARG_BUF (run->params), ARG_BUF (run->s1),
             ARG_BUF (run->s2), ARG_BUF (run->x), ARG_BUF (run->t), ARG_BUF (run->perm),
             ARG_INT (run->n_rows), ARG_INT (run->pos), ARG_INT (run->stride),
             ARG_INT (run->batch), ARG_INT (run->steps), ARG_INT (a->kind), ARG_FLOAT (a->lr),
             ARG_FLOAT (a->momentum), ARG_FLOAT (a->eps), ARG_FLOAT (a->rho),
             ARG_FLOAT (a->beta1), ARG_FLOAT (a->beta2), ARG_FLOAT (decay), ARG_FLOAT (a->l1),
             ARG_FLOAT (a->l2), ARG_MEM (adam ? CL_MEM (plan->adam) : cl->dummy),
             ARG_FLOAT (run->loss_limit), ARG_FLOAT (run->loss_floor), ARG_BUF (run->out),
             ARG_LOCAL (plan->local_floats * sizeof (cl_float)), ARG_INT (plan->x_off),
             ARG_INT (plan->t_off), ARG_INT (plan->d0_off), ARG_INT (plan->d1_off),
             ARG_LOCAL (2 * sizeof (cl_float) * (gsize) cl->tune.fwg));
}
