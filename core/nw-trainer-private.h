/* nw-trainer-private.h: the trainer's state, shared by nw-trainer.c (steps, evaluation)
 * and nw-trainer-snapshot.c (probes and snapshots). Not for use outside core/. */
#pragma once

#include "nw-trainer.h"
#include "nw-rng.h"

#define EVAL_CHUNK 1000

struct _NwTrainer {
  NwSpec    *spec;          /* own copy; spec->train holds the live hyperparameters */
  NwDataset *data;
  NwBackend *backend;
  NwNet     *net;
  int        target_width;
  NwBuffer  *train_x, *train_t, *test_x, *test_t, *perm;
  gint32    *perm_host;
  NwRng      shuffle_rng;
  gint64     step, epoch;
  int        pos;           /* next row of the permutation */
  int        capacity;
  /* training metrics since the last snapshot, folded in from the device after each step
   * (the device's sums are reset on every read, so they never grow large in float) */
  double     pending[NW_METRIC_SIZE];
  /* divergence */
  double     first_loss;
  double     last_good_loss;
  gint64     last_good_step;
  /* update ratio of the step after each snapshot */
  gboolean   ratio_pending;
  float     *ratio_before;
  double    *ratios;        /* per node */
};

/* Rows in one training batch: the batch size, or the whole split when it is larger or 0. */
int  nw_trainer_batch_rows   (const NwTrainer *t);
/* Moves the device's metrics into `out` (added) and clears them there. */
void nw_trainer_fold_metrics (NwTrainer *t, double out[NW_METRIC_SIZE]);
