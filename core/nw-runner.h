/* nw-runner.h: a trainer on its own thread, driven by commands, publishing snapshots.
 *
 * The runner owns a trainer and a GThread. Callers (the UI's main thread) send commands,
 * which the worker applies between steps, and take the newest snapshot from a one-slot
 * mailbox: a new snapshot replaces an unread one, so the worker never waits for its reader.
 * Nothing here calls GTK; the UI takes snapshots from its frame clock, or when the runner's
 * source (nw_runner_source_new) says that one was published. */
#pragma once

#include <math.h>

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
  gint64   max_steps;     /* the budget in steps (0: none): the run pauses by itself when its
                             step count reaches it (NW_PAUSE_BUDGET), once per run: playing on
                             from there goes on without it until the next reset or replace
                             (nw_runner_set_budget) */
  gint64   max_epochs;    /* the budget in completed epochs (0: none), the same way */
  double   pace;          /* steps per second while playing (0: full speed; nw_runner_set_pace) */
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

/* Why a run is paused. USER: by a command (pause, step, replace without play) or never
 * played; the others are the run pausing by itself: BUDGET (nw_runner_set_budget), AT_STEP,
 * LOSS_BELOW, EPOCH_END (nw_runner_pause_when's at_epoch or epoch_end), ERROR (divergence or
 * a backend failure; the status's error says which). */
typedef enum {
  NW_PAUSE_NONE, NW_PAUSE_USER, NW_PAUSE_BUDGET, NW_PAUSE_AT_STEP, NW_PAUSE_LOSS_BELOW,
  NW_PAUSE_EPOCH_END, NW_PAUSE_ERROR,
} NwPauseReason;

/* "Pause when ..." conditions; 0 / NAN / FALSE for the ones not wanted. Each is checked after
 * every step, never overshot: at_step 6300 pauses with the step count exactly 6300 at full
 * speed too, where a chunk runs thousands of steps (chunks, and the OpenCL fused launches
 * within them, are cut at the condition). A condition that already holds when it is set, or
 * when the run starts playing, pauses at once. */
typedef struct {
  gint64   at_step;      /* pause once the step count reaches this (0: no) */
  double   loss_below;   /* pause once a step's training loss is below this (NAN: no): the
                            mean over its mini-batch, before its update (nw_trainer_steps_until:
                            checked per step on the fused path as well) */
  gint64   at_epoch;     /* pause once this many epochs are complete (0: no) */
  gboolean epoch_end;    /* pause at the end of the current epoch (the one under way when
                            the worker takes the command) */
} NwPauseWhen;
#define NW_PAUSE_WHEN_NONE ((NwPauseWhen) { 0, NAN, 0, FALSE })

/* A pause the run made by itself (nw_runner_take_pause). */
typedef struct {
  NwPauseReason reason;
  gint64        step, epoch;   /* where it paused */
} NwRunnerPause;

/* Status published with each snapshot. */
typedef struct {
  gboolean playing;
  NwPauseReason paused_by;    /* NW_PAUSE_NONE while playing, else why it is paused */
  gint64   paused_at_step;    /* the step count when it paused (while paused) */
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
/* Steps per second while playing; 0: full speed. Exact over time (each step has its due
 * time, counted from when the pace was set or play began; a trainer that falls behind by more
 * than 0.1 s of steps starts counting again rather than rushing), taking effect at the next
 * chunk: a worker waiting for its next step's time waits on the command queue, so a new pace
 * wakes it. Below the snapshot rate (1000 / publish_ms) every step gets its snapshot. */
void        nw_runner_set_pace       (NwRunner *runner, double steps_per_s);
/* One-shot conditions (NULL clears them): the first that holds pauses the run and clears
 * them all. They stay across resets and replaces. One met at the same step as the budget is
 * the reason given (NW_PAUSE_AT_STEP rather than NW_PAUSE_BUDGET), and the budget is spent
 * with it. */
void        nw_runner_pause_when     (NwRunner *runner, const NwPauseWhen *when);
/* The budget (NwRunnerOptions.max_steps, .max_epochs; 0: none), armed again: it pauses the
 * run when reached, unless the run is already there or past it (then it waits for the next
 * reset or replace, which arm it again). */
void        nw_runner_set_budget     (NwRunner *runner, gint64 steps, gint64 epochs);
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

/* For whoever keeps a "playing" state of its own (a session): a GSource, made like
 * nw_runner_source_new's but its own, that becomes ready when the run pauses by itself
 * (budget, condition, error). Its callback calls nw_runner_take_pause. */
GSource    *nw_runner_pause_source_new (NwRunner *runner);
/* TRUE and the newest pause the run made by itself, if there is one not yet taken and it is
 * still current: no play, pause, step or replace was sent after the worker paused (those
 * decide the state themselves). A pause of an earlier run (before a reset) counts. */
gboolean    nw_runner_take_pause     (NwRunner *runner, NwRunnerPause *pause);

G_END_DECLS
