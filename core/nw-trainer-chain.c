/* nw-trainer-chain.c: the trainer's fused path. Where the backend offers it (chain_* in
 * nw-backend.h; the OpenCL backend does), a plain chain Input -> [Dense -> activation]* ->
 * Loss runs many training steps in one backend call: the same batches in the same order
 * (through the epoch's order already on the device), the same updates, one read of the
 * steps' metrics per call, and each step's loss checked for divergence as nw_trainer_step
 * checks it. Everything else (the last step of a chunk, steps after a snapshot, networks the
 * backend cannot fuse) takes nw_trainer_step. */
#include "nw-trainer-private.h"
#include "nw-i18n.h"
#include "nw-activation.h"

#include <math.h>

/* The net as the backend sees a chain; FALSE for anything but Input, then Dense layers each
 * followed by at most one (non-softmax) activation, then the loss. `layers` has room for
 * every node. */
static gboolean
describe (NwTrainer *t, int rows, NwChainDesc *desc, NwChainLayer *layers)
{
  NwNet *net = t->net;
  int n = nw_net_n_nodes (net), n_layers = 0;

  if (!nw_net_is_chain (net) || n < 3 || nw_net_node (net, n - 1)->spec->kind != NW_NODE_LOSS)
    return FALSE;
  for (int i = 1; i < n - 1; i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      NwChainLayer *L = &layers[n_layers++];
      if (info->spec->kind != NW_NODE_DENSE || info->inputs[0] != i - 1)
        return FALSE;
      *L = (NwChainLayer) {
        .in = info->in_width, .out = info->width, .w_off = info->w_off,
        .bias = info->b_n > 0, .b_off = info->b_off, .act = NW_ACT_LINEAR,
      };
      if (i + 1 < n - 1 && nw_net_node (net, i + 1)->spec->kind == NW_NODE_ACTIVATION)
        {
          const NwNodeSpec *a = nw_net_node (net, ++i)->spec;
          if (!nw_activation_info (a->activation)->elementwise)
            return FALSE;
          L->act = a->activation;
          L->alpha = (float) a->alpha;
        }
    }
  *desc = (NwChainDesc) {
    .n_layers = n_layers, .layers = layers, .loss = nw_net_node (net, n - 1)->spec->loss,
    .in_width = t->data->train.d, .target_width = t->target_width,
    .n_params = nw_net_n_params (net), .n_weights = nw_net_n_weights (net), .max_rows = rows,
  };
  return TRUE;
}

void
nw_trainer_chain_clear (NwTrainer *t)
{
  NwBackend *b = t->backend;
  if (t->chain_plan != NULL)
    b->ops->chain_plan_free (b, g_steal_pointer (&t->chain_plan));
  nw_backend_release (b, &t->chain_out);
  t->chain_rows = 0;
}

/* The plan for the current batch size, asked for once per batch size; NULL when there is
 * none (a failure to make one that fits stays as the backend's sticky error, for the next
 * step to report). */
static NwChainPlan *
current_plan (NwTrainer *t)
{
  NwBackend *b = t->backend;
  int rows = nw_trainer_batch_rows (t);
  g_autofree NwChainLayer *layers = NULL;
  NwChainDesc desc;

  if (b->ops->chain_plan_new == NULL || t->chain_rows == rows)
    return t->chain_plan;
  nw_trainer_chain_clear (t);
  t->chain_rows = rows;
  layers = g_new0 (NwChainLayer, nw_net_n_nodes (t->net));
  if (describe (t, rows, &desc, layers))
    t->chain_plan = b->ops->chain_plan_new (b, &desc);
  if (t->chain_plan != NULL)
    {
      t->chain_out = nw_backend_alloc (b, 1 + 3 * (gsize) NW_CHAIN_MAX_STEPS);
      if (t->chain_out == NULL)
        nw_trainer_chain_clear (t);
    }
  return t->chain_plan;
}

int
nw_trainer_chain_steps_ahead (NwTrainer *t, int want)
{
  int n = t->data->train.n, rows = nw_trainer_batch_rows (t);

  /* Without a first loss the divergence limit is unknown: a normal step sets it. */
  if (want <= 0 || t->ratio_pending || isnan (t->first_loss) || nw_backend_failed (t->backend)
      || current_plan (t) == NULL)
    return 0;
  if (rows < n)
    {
      if (t->pos >= n)
        return 0;
      want = MIN (want, nw_trainer_steps_left_in_epoch (t));
    }
  else if (t->pos != 0)
    return 0;
  return MIN (want, NW_CHAIN_MAX_STEPS);
}

gboolean
nw_trainer_chain_run (NwTrainer *t, int steps, double loss_floor, GError **error)
{
  NwBackend *b = t->backend;
  NwNet *net = t->net;
  const NwTrainSpec *hp = &t->spec->train;
  int n = t->data->train.n, rows = nw_trainer_batch_rows (t), ran;
  g_autofree nw_real *out = g_new0 (nw_real, 1 + 3 * (gsize) steps);
  /* The kernel stops after a step whose loss the check below would call diverged. Its float
   * mean may round either side of the limit, so it stops a little below it: it may stop
   * early (the next run goes on), never late. */
  double limit = nw_trainer_loss_limit (t) * (1 - 1e-5);
  gboolean ok = TRUE;
  NwChainRun run = {
    .params = nw_net_params_buffer (net), .x = t->train_x, .t = t->train_t, .perm = t->perm,
    .n_rows = n, .pos = t->pos, .stride = rows < n ? rows : 0, .batch = rows, .steps = steps,
    .update = {
      .kind = hp->optimizer, .lr = (float) hp->lr, .momentum = (float) hp->momentum,
      .beta1 = (float) hp->beta1, .beta2 = (float) hp->beta2, .eps = (float) hp->eps,
      .rho = (float) hp->rho, .weight_decay = (float) hp->weight_decay, .l1 = (float) hp->l1,
      .l2 = (float) hp->l2,
    },
    .loss_limit = (float) MIN (limit, G_MAXFLOAT),
    .loss_floor = (float) CLAMP (loss_floor, -G_MAXFLOAT, G_MAXFLOAT),
    .out = t->chain_out,
  };

  g_return_val_if_fail (t->chain_plan != NULL && steps > 0 && steps <= NW_CHAIN_MAX_STEPS, FALSE);
  if (!nw_trainer_keep_weights (t, error))
    return FALSE;
  nw_net_get_optimizer_state (net, &run.s1, &run.s2);
  run.update.t = nw_net_begin_updates (net, hp) + 1;
  b->ops->chain_train (b, t->chain_plan, &run);
  nw_backend_download (b, t->chain_out, 0, out, 1 + 3 * (gsize) steps);
  if (!nw_backend_take_error (b, error))
    return FALSE;
  ran = CLAMP ((int) out[0], 0, steps);
  if (ran == 0 && loss_floor > -G_MAXFLOAT)
    return TRUE;   /* its first step's loss is below the floor: that step runs on its own */
  if (ran == 0)
    {
      /* The kernel always runs its first step: none means it did not run at all. */
      g_set_error (error, NW_ERROR, NW_ERROR_BACKEND,
                   _("%s: a fused run of %d steps took none"), b->description, steps);
      return FALSE;
    }
  nw_net_count_updates (net, ran);
  /* Each step as nw_trainer_step counts it: step, batch position, epoch, then the check.
   * After a failed check the remaining steps (none, unless the two sides rounded the limit
   * differently) are still counted: the parameters have taken them. */
  for (int j = 0; j < ran; j++)
    {
      const nw_real *mj = out + 1 + 3 * (gsize) j;
      double m[NW_METRIC_SIZE] = { mj[NW_METRIC_LOSS], mj[NW_METRIC_CORRECT], mj[NW_METRIC_COUNT] };
      t->step++;
      t->pos += MIN (rows, n - t->pos);
      if (t->pos >= n)
        {
          t->epoch++;
          nw_trainer_new_epoch_order (t);
        }
      if (ok)
        ok = nw_trainer_check_loss (t, m, error);
    }
  return ok && nw_backend_take_error (b, error);
}
