/* nw-trainer.h: one training run: a network, its data and its backend, stepped on demand.
 *
 * The trainer is synchronous and owns everything it touches; the desktop program runs one in
 * a worker thread and talks to it through a mailbox (see DESIGN.md), the CLI drives it
 * directly. One *step* is one mini-batch; an *epoch* is one pass over the training split,
 * reshuffled (from the run's seed) at the start of every epoch. */
#pragma once

#include "nw-data.h"
#include "nw-net.h"

G_BEGIN_DECLS

typedef struct _NwTrainer NwTrainer;

/* Probes of one node; NAN where a value does not apply to the node. */
typedef struct {
  char        *id;            /* owned by the snapshot: it may outlive its trainer */
  NwNodeKind   kind;
  NwActivation activation;    /* activation nodes */
  int          width;
  double       weight_norm;   /* ||W|| (Dense weight, norm scale) */
  double       grad_norm;     /* ||dL/dW|| of the last step */
  double       bias_grad_norm;
  double       input_grad_norm;  /* ||dL/dX|| reaching the node's input (RMS per row) */
  double       update_ratio;  /* ||W_after - W_before|| / ||W_before|| of a recent step */
  /* Activation nodes: statistics of the node's *inputs* over the last training batch. */
  double       act_mean, act_std;
  double       saturated;     /* share of inputs where the derivative is < 1% of its peak */
  double       dead;          /* ReLU: share of inputs <= 0 (normal: about half) */
  double       dead_units;    /* ReLU: share of units whose input was <= 0 for every row of the
                               * batch, so they passed no gradient at all: dead units */
  float        hist_lo, hist_hi;
  float        hist[NW_STATS_BINS];   /* counts of the inputs, [hist_lo, hist_hi] */
  /* Parameter nodes: histogram of the weights. */
  float        whist_lo, whist_hi;
  float        whist[NW_STATS_BINS];
  /* Neuron maps (2D data, a snapshot with a grid): for a hidden unit-bearing node (an
   * Activation, or a Dense that no Activation follows) of at most NW_MAP_MAX_UNITS units, each
   * unit's output over the grid's window in evaluation mode: `width` maps of map_n x map_n
   * (unit-major, row 0 at the top), with the range to draw them on: the activation's own
   * ([0, 1] sigmoid, [-1, 1] tanh), else symmetric around 0 (-m, m with m the largest |value|
   * in the node's maps). NULL for other nodes; owned by the snapshot. */
  float       *maps;
  float        map_lo, map_hi;
} NwLayerProbe;

#define NW_MAP_MAX_UNITS 16
#define NW_MAP_MAX_N     32

typedef struct {
  gint64        step;
  gint64        epoch;           /* completed epochs */
  double        epoch_progress;  /* step position within the epoch, [0, 1) */
  double        train_loss;      /* mean over the steps since the previous snapshot */
  double        train_acc;
  double        test_loss;       /* NAN unless evaluated for this snapshot */
  double        test_acc;
  int           n_layers;
  NwLayerProbe *layers;          /* one per node in execution order (input and loss too) */
  double        first_last_ratio; /* gradient norm of the first Dense over the last's */
  int           grid_n;          /* 0 when there is no grid */
  float        *grid;            /* grid_n x grid_n: P(class 1) at nw_trainer_grid_point() */
  /* The same grid as training sees it (NW_FORWARD_TRAIN_VIEW): dropout on with a fresh mask,
   * BatchNorm with the last training batch's statistics. NULL when the network has no Dropout
   * or BatchNorm node. Computing it changes nothing in the run. */
  float        *grid_train;
  int           map_n;           /* neuron maps' side (layers[i].maps); 0 when there are none */
  /* With NW_SNAPSHOT_TEST_OUTPUTS: the outputs of the pass that gave test_loss and test_acc,
   * for every test row (test_n x test_width, as nw_net_read_output gives them), so that a
   * view of single test digits needs no second pass. NULL otherwise. */
  float        *test_outputs;
  int           test_n, test_width;
} NwSnapshot;

/* What a snapshot evaluates beyond the last step's probes. */
typedef enum {
  NW_SNAPSHOT_TEST         = 1 << 0,   /* test loss and accuracy */
  NW_SNAPSHOT_TEST_OUTPUTS = 1 << 1,   /* ... and keep every row's outputs */
} NwSnapshotFlags;

void        nw_snapshot_free        (NwSnapshot *snap);
/* The id of the first activation layer whose gradient is 0 by design (a step) with a Dense
 * before it in execution order (borrowed), or NULL. Behind it the first layers' gradient is
 * 0 because the step passes none, not because it vanished: a first/last gradient ratio of 0
 * is then no alarm. */
const char *nw_snapshot_zero_gradient_layer (const NwSnapshot *snap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwSnapshot, nw_snapshot_free)

/* Takes ownership of `data` (NULL: loaded or generated from spec->data, an MNIST spec without
 * a path from the default folder, nw_dataset_new (spec, NULL): a caller with a data folder of
 * its own loads the data or resolves the path first) and of `backend` (NULL: the CPU
 * backend). Validates the spec against the data. */
NwTrainer  *nw_trainer_new          (const NwSpec *spec, NwDataset *data, NwBackend *backend,
                                     GError **error);
void        nw_trainer_free         (NwTrainer *trainer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwTrainer, nw_trainer_free)

NwNet      *nw_trainer_get_net      (NwTrainer *trainer);
NwDataset  *nw_trainer_get_data     (NwTrainer *trainer);
const NwSpec *nw_trainer_get_spec   (NwTrainer *trainer);
gint64      nw_trainer_get_step     (NwTrainer *trainer);
gint64      nw_trainer_get_epoch    (NwTrainer *trainer);
int         nw_trainer_steps_per_epoch (NwTrainer *trainer);
/* Steps up to and including the one that ends the current epoch (at least 1): after that
 * many, nw_trainer_get_epoch() has moved on. Counted from the place in the epoch, so right
 * after a change of batch size too. */
int         nw_trainer_steps_left_in_epoch (NwTrainer *trainer);

/* One mini-batch: forward, loss, backward, update. Fails on a backend error or when training
 * diverged (NW_ERROR_DIVERGED: the message says what happened and at which step). */
gboolean    nw_trainer_step         (NwTrainer *trainer, GError **error);

/* `max_steps` steps (fewer only on failure), as that many calls of nw_trainer_step would run
 * them: same batches, epochs, metrics and divergence messages. Where the backend has a fused
 * path for this network (small dense chains on OpenCL), the steps before the last run many
 * to a launch (a launch never crosses the end of a mini-batch epoch), with one read of their
 * metrics per launch. The last step, and the first after a snapshot, run on their own, so a
 * snapshot taken after this sees the buffers of a normal step. Keep `max_steps` to what
 * should run between two looks at the caller's own state: the call does not return early.
 * `done` (may be NULL) receives the steps taken, also on failure (the step that diverged
 * included). */
gboolean    nw_trainer_steps        (NwTrainer *trainer, int max_steps, int *done,
                                     GError **error);
/* nw_trainer_steps that also stops right after the first step whose training loss (the mean
 * over its mini-batch, computed before its update, as the divergence check sees it) is below
 * `loss_below` (NAN: never); `below` (may be NULL) says whether it stopped there. The check is
 * per step on every path: a fused launch stops *before* a step whose loss may be below (with a
 * margin of 1e-5 relative for the device's float mean), and that step then runs on its own,
 * so the stop is at that very step and a snapshot sees a normal step's buffers. */
gboolean    nw_trainer_steps_until  (NwTrainer *trainer, int max_steps, double loss_below,
                                     int *done, gboolean *below, GError **error);
/* The training loss of the last step (NAN before the first step of a run). */
double      nw_trainer_get_last_loss (NwTrainer *trainer);

/* The last good weights, for after a divergence. The trainer keeps a copy of the parameters
 * every few steps (every step for small networks; nw-trainer.c says how often) and counts a
 * copy as good once the step that starts from it passes the divergence check. The step they
 * are the weights at (after that many steps), or -1 when there are none: not yet copied, or
 * the run went wrong at once. */
gint64      nw_trainer_get_last_good_step (NwTrainer *trainer);
/* Puts the last good weights back into the network (the step count and the optimizer's
 * state are left as they are; a Reset starts over). FALSE with NW_ERROR_DIVERGED when there
 * are none. */
gboolean    nw_trainer_restore_last_good (NwTrainer *trainer, GError **error);

/* New hyperparameters, effective from the next step (no reset): learning rate, optimizer and
 * its settings, penalties, batch size (the epoch restarts its batches). */
void        nw_trainer_set_hyper    (NwTrainer *trainer, const NwTrainSpec *hp);

/* nw_net_set_node_param on the trainer's network, between steps, on any backend. The step
 * count, the optimizer's state and the hyperparameters stay; the weights kept for after a
 * divergence (nw_trainer_get_last_good_step) are dropped, being of the weights before. */
gboolean    nw_trainer_set_node_param (NwTrainer *trainer, const char *node_id, const char *which,
                                       const float *values, int rows, int cols, GError **error);

/* Fresh weights from `seed`, step and epoch 0. */
void        nw_trainer_reset        (NwTrainer *trainer, guint64 seed);

/* Loss and accuracy on a whole split in evaluation mode (dropout off, running statistics). */
gboolean    nw_trainer_evaluate     (NwTrainer *trainer, gboolean test_split, double *loss,
                                     double *accuracy, GError **error);
/* The same, also keeping every row's outputs (`outputs`: rows x output width, as
 * nw_net_read_output gives them; NULL: not kept). */
gboolean    nw_trainer_evaluate_outputs (NwTrainer *trainer, gboolean test_split, double *loss,
                                     double *accuracy, float *outputs, GError **error);

/* Probabilities for `rows` inputs (rows x input width) in evaluation mode, into `out`
 * (rows x output width). */
gboolean    nw_trainer_predict      (NwTrainer *trainer, const float *x, int rows, float *out,
                                     GError **error);

/* Metrics since the previous snapshot, probes of the last step, optionally the test split
 * (`test`: NwSnapshotFlags; TRUE is NW_SNAPSHOT_TEST) and, for 2D data, the decision
 * boundary on a grid_n x grid_n grid. */
NwSnapshot *nw_trainer_snapshot     (NwTrainer *trainer, guint test, int grid_n,
                                     GError **error);

/* Moves the run of `running` onto the backend of `fresh`, between two steps: `fresh` must be a
 * trainer for the same network and data (as nw_trainer_new made it, on another backend). It
 * takes the parameters, optimizer state, BatchNorm statistics, step, epoch, the place in the
 * epoch and its order, the shuffle and dropout streams, the live hyperparameters and switches
 * and the metrics not yet reported; then the two exchange their insides, so that `running`
 * (the pointer its owner holds) goes on with the same run on the new backend while `fresh` now
 * holds the old backend, to be freed. Fails when the two do not train the same network on the
 * same data (then changing neither) or when a transfer fails. After a failed transfer `running`
 * goes on with its run unchanged (its unreported metrics were only folded from the device into
 * the host's sums, as a snapshot does; a backend error it had recorded is the one returned),
 * but `fresh` is left partly overwritten: hyperparameters and seed, Dropout/BatchNorm switches,
 * some or all of the parameters, optimizer and BatchNorm state, step, epoch and its order.
 * Before training with it, reset it (nw_trainer_reset) and set its hyperparameters and
 * switches again. */
gboolean    nw_trainer_take_over    (NwTrainer *running, NwTrainer *fresh, GError **error);

/* The grid's window: [-NW_GRID_EXTENT, NW_GRID_EXTENT]^2; cell (row, col) is centred at
 * x = -E + (col + 0.5) * 2E/n, y = E - (row + 0.5) * 2E/n (row 0 at the top). */
#define NW_GRID_EXTENT 1.5
void        nw_trainer_grid_point   (int grid_n, int row, int col, float *x, float *y);

G_END_DECLS
