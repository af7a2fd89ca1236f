/* nw-trainer-private.h: the trainer's state, shared by nw-trainer.c (steps, evaluation)
 * and nw-trainer-snapshot.c (probes and snapshots). Not for use outside core/. */
#pragma once

#include "nw-trainer.h"
#include "nw-rng.h"

struct _NwTrainer {
  NwSpec    *spec;          /* own copy; spec->train holds the live hyperparameters */
  NwDataset *data;
  NwBackend *backend;
  NwNet     *net;
  int        target_width;
  NwBuffer  *train_x, *train_t, *test_x, *test_t, *perm;
  gint32    *perm_host;
  gboolean   perm_identity; /* perm holds 0..n-1 (a full batch's order, every epoch) */
  NwRng      shuffle_rng;
  gint64     step, epoch;
  int        pos;           /* next row of the permutation */
  int        capacity;      /* rows the net's buffers hold: MAX (batch, eval_rows) */
  int        eval_rows;     /* rows an evaluation pass takes at a time (nw_trainer_new) */
  /* training metrics since the last snapshot, folded in from the device after each step
   * (the device's sums are reset on every read, so they never grow large in float) */
  double     pending[NW_METRIC_SIZE];
  /* divergence */
  double     first_loss;
  double     last_good_loss;
  gint64     last_good_step;
  /* Weights kept for after a divergence (nw_trainer_keep_weights). `cand` holds the
   * parameters as they were before step cand_step + 1, not yet vouched for; once that step's
   * loss passes the check they become `good`, the weights at step good_step (-1: none). */
  float     *good_params, *cand_params;
  gint64     good_step, cand_step;
  /* update ratio of the step after each snapshot */
  gboolean   ratio_pending;
  float     *ratio_before;
  double    *ratios;        /* per node */
  /* the backend's fused path (nw-trainer-chain.c), for the current batch size */
  int          chain_rows;  /* batch rows the plan below was asked for; 0: not yet */
  NwChainPlan *chain_plan;  /* NULL: the backend has no fused path for this net */
  NwBuffer    *chain_out;   /* per-step metrics of a fused run */
};

/* Rows in one training batch: the batch size, or the whole split when it is larger or 0. */
int  nw_trainer_batch_rows   (const NwTrainer *t);
/* Moves the device's metrics into `out` (added) and clears them there. */
void nw_trainer_fold_metrics (NwTrainer *t, double out[NW_METRIC_SIZE]);
/* The next epoch's order of the training rows (shuffled unless the batch is the whole split),
 * on the device; the next batch starts at its beginning. */
void nw_trainer_new_epoch_order (NwTrainer *t);
/* The divergence check of one step's metrics `m` (NW_METRIC_*): added to the pending
 * metrics; FALSE with NW_ERROR_DIVERGED naming t->step when the loss is not finite or has
 * grown a thousandfold from its start. */
gboolean nw_trainer_check_loss (NwTrainer *t, const double m[NW_METRIC_SIZE], GError **error);
/* Before a step (or a fused run) at t->step: copies the parameters as the next candidate
 * for the last good weights when one is due, and refuses (NW_ERROR_DIVERGED) parameters
 * that hold NaN or Inf. */
gboolean nw_trainer_keep_weights (NwTrainer *t, GError **error);
/* The mean loss at which a step counts as diverged: a thousandfold the first loss, or for BCE
 * a quarter of its clamp (nw-trainer.c says why). The fused path stops there too. */
double   nw_trainer_loss_limit   (const NwTrainer *t);

/* The fused path (nw-trainer-chain.c). How many of the next `want` steps can run fused
 * now: 0 when the backend has no fused path for this net, when no loss has been seen yet,
 * or when a new epoch's order is due first; never past the end of the epoch for mini-batches
 * (its order is drawn on the host). */
int      nw_trainer_chain_steps_ahead (NwTrainer *t, int want);
/* Runs `steps` (as nw_trainer_chain_steps_ahead allowed) in one backend call, then reads
 * their metrics once and checks each step as nw_trainer_step would. The launch stops before
 * a step whose mean loss is below `loss_floor` (-INFINITY: never), leaving that step not run:
 * then fewer steps than asked ran, perhaps none. */
gboolean nw_trainer_chain_run   (NwTrainer *t, int steps, double loss_floor, GError **error);
/* Frees the plan and its buffer (a new batch size, or the trainer's end). */
void     nw_trainer_chain_clear (NwTrainer *t);
