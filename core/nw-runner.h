/* nw-runner.h: a trainer on its own thread, driven by commands, publishing snapshots.
 *
 * The runner owns a trainer and a GThread. Callers (the UI's main thread) send commands,
 * which the worker applies between steps, and take the newest snapshot from a one-slot
 * mailbox: a new snapshot replaces an unread one, so the worker never waits for its reader.
 * Nothing here calls GTK; the UI takes snapshots from its frame clock, or when the runner's
 * source (nw_runner_source_new) says that one was published. */
#pragma once

#include "nw-trainer.h"

G_BEGIN_DECLS

typedef struct _NwRunner NwRunner;

#define NW_RUNNER_TEST_EACH_EPOCH (-1)

typedef struct {
  int      publish_ms;    /* at most one snapshot per this many ms while playing (33: ~30/s) */
  int      grid_n;        /* decision-boundary grid for 2D data (0: none) */
  int      test_every;    /* evaluate the test split every this many snapshots (0: never;
                             NW_RUNNER_TEST_EACH_EPOCH: in a snapshot taken at each epoch's
                             end, right after its last step (the model the CLI's --test
                             evaluates), and in every snapshot taken while paused; not while
                             playing in epoch 0) */
  gint64   max_steps;     /* pause by itself after this many steps (0: no limit) */
  gboolean test_outputs;  /* snapshots that evaluate the test split keep every row's outputs
                             (NwSnapshot.test_outputs) */
  gboolean start_playing; /* play from the start: the first snapshot is a playing one */
} NwRunnerOptions;

/* A test pass of a snapshot the reader never took. A status keeps at most this many, the
 * newest: a reader that takes nothing for longer loses the oldest. */
#define NW_RUNNER_MISSED_TESTS_MAX 4096

typedef struct {
  gint64 epoch, step;
  double test_loss, test_acc;
} NwRunnerTest;

/* Status published with each snapshot. */
typedef struct {
  gboolean playing;
  double   steps_per_s;   /* over the last publish interval */
  gint64   epoch_end_us;  /* g_get_monotonic_time () at the end of the chunk of steps that
                             completed the latest epoch (0: none yet): an epoch's wall time
                             without the wait for the next snapshot */
  char    *error;         /* set when training stopped on an error (divergence) */
  GArray  *missed_tests;  /* NwRunnerTest, oldest first, or NULL: the test passes of this
                             run's snapshots that a newer one replaced unread. Epochs of a
                             small network can end faster than a busy reader takes them (~75
                             ms for MNIST's softmax regression); a reader that lists each
                             epoch's accuracy lists these before the snapshot's own */
} NwRunnerStatus;

/* Takes ownership of `trainer`; starts paused unless options->start_playing. */
NwRunner   *nw_runner_new            (NwTrainer *trainer, const NwRunnerOptions *options);
/* Stops the worker (mid-step or not), joins it and frees everything. */
void        nw_runner_free           (NwRunner *runner);

void        nw_runner_play           (NwRunner *runner);
void        nw_runner_pause          (NwRunner *runner);
void        nw_runner_step           (NwRunner *runner);           /* one step, then paused */
void        nw_runner_reset          (NwRunner *runner, guint64 seed);
void        nw_runner_set_hyper      (NwRunner *runner, const NwTrainSpec *hp);
void        nw_runner_set_enabled    (NwRunner *runner, const char *node_id, gboolean enabled);
/* Replaces the trainer (a new network or data); takes ownership. The runner pauses, or with
 * _and_play goes on playing with the new trainer, its first snapshot a playing one (a replace
 * followed by a play could take a paused snapshot in between: a test pass for nothing). */
void        nw_runner_replace        (NwRunner *runner, NwTrainer *trainer);
void        nw_runner_replace_and_play (NwRunner *runner, NwTrainer *trainer);
/* Runs `func (trainer, data)` on the worker, between two steps, with the trainer current at
 * that point. For work that needs the trainer itself, such as saving its weights. Once called,
 * `func` owns `data`; `destroy` (may be NULL) is called instead, on whichever thread frees the
 * runner, only if the runner closes before `func` ran. `func` must not call GTK: to report
 * back, hand the result to the main loop with an idle source (nw_report_to_context, core/nw-jobs.h),
 * not g_main_context_invoke, which runs the function at once, on this thread, whenever no
 * one holds the main context. */
typedef void (*NwRunnerFunc) (NwTrainer *trainer, gpointer data);
void        nw_runner_call           (NwRunner *runner, NwRunnerFunc func, gpointer data,
                                      GDestroyNotify destroy);
/* Asks for a snapshot now (also while paused). */
void        nw_runner_request_snapshot (NwRunner *runner);

/* What the worker published since the last call: TRUE and the newest snapshot (NULL if taking
 * it failed; the status then says why) with its status, transfer full; FALSE if nothing new.
 * After nw_runner_replace or nw_runner_reset returns, nothing of the run before is handed
 * out, even what the worker published before it came to that command. */
gboolean    nw_runner_take           (NwRunner *runner, NwSnapshot **snapshot,
                                      NwRunnerStatus *status);
void        nw_runner_status_clear   (NwRunnerStatus *status);

/* A GSource that becomes ready each time the worker publishes, for a reader that should not
 * wake at its frame rate to poll (at MNIST's 8 snapshots a second, a 60 Hz frame clock woke
 * the main thread ~250 times a second, each time taking a core from the trainer's BLAS
 * threads). Attach it to the reader's main context and give it a GSourceFunc that calls
 * nw_runner_take. Returns a new reference to the runner's one source; the runner wakes it
 * from the worker thread until it is freed, and waking a destroyed source does nothing, so
 * the reader may destroy it at any time. */
GSource    *nw_runner_source_new     (NwRunner *runner);

G_END_DECLS
