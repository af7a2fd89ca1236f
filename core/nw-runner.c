/* nw-runner.c: the worker thread, its command queue and its snapshot mailbox. */
#include "nw-runner.h"

#include <math.h>
#include <string.h>

#include "nw-handoff.h"

/* GLib's GMutex and GAsyncQueue wait on raw futexes, which ThreadSanitizer cannot see; under
 * TSan the hand-offs are announced to it (nw-handoff.h). */
#define HANDOFF_RELEASE(p) NW_HANDOFF_RELEASE (p)
#define HANDOFF_ACQUIRE(p) NW_HANDOFF_ACQUIRE (p)

typedef enum {
  CMD_PLAY, CMD_PAUSE, CMD_STEP, CMD_RESET, CMD_HYPER, CMD_ENABLED, CMD_REPLACE, CMD_SNAPSHOT,
  CMD_CALL, CMD_PACE, CMD_PAUSE_WHEN, CMD_BUDGET, CMD_QUIT,
} CmdKind;

typedef struct {
  CmdKind     kind;
  guint64     seed;
  NwTrainSpec hp;
  char       *node_id;
  gboolean    enabled;
  NwTrainer  *trainer;
  gboolean    play;          /* CMD_REPLACE: go on playing with the new trainer */
  guint       generation;    /* CMD_REPLACE, CMD_RESET: the run this command starts */
  guint       play_seq;      /* CMD_PLAY, _PAUSE, _STEP, _REPLACE: NwRunner.play_seq then */
  double      pace;          /* CMD_PACE */
  gboolean    has_when;      /* CMD_PAUSE_WHEN: FALSE clears */
  NwPauseWhen when;
  gint64      budget_steps, budget_epochs;   /* CMD_BUDGET */
  NwRunnerFunc   func;
  gpointer       data;
  GDestroyNotify destroy;
} Cmd;

struct _NwRunner {
  GThread        *thread;
  GAsyncQueue    *commands;      /* of Cmd*, main -> worker */
  NwRunnerOptions options;
  /* The mailbox: written by the worker, emptied by the reader, under `lock`. */
  GMutex          lock;
  gboolean        mailbox_fresh;
  NwSnapshot     *mailbox;
  NwRunnerStatus  mailbox_status;
  GSource        *wake;          /* nw_runner_source_new's, woken on publishing; under `lock` */
  /* Runs: each replace and reset starts one (the caller's side, under `lock`); the mailbox's
   * snapshot is of run `mailbox_generation`. One of an earlier run, published before the
   * worker came to the command, is never handed out: it may have the same step as the new
   * run's first (step 0 after loading weights) and be taken for it. */
  guint           generation;
  guint           mailbox_generation;
  /* Pauses the run made by itself, for nw_runner_take_pause (under `lock`): each command
   * that decides playing or not counts in play_seq (the caller's side); a pause is current
   * while no such command came after the last the worker had applied when it paused. */
  guint           play_seq;
  gboolean        pause_fresh;
  NwRunnerPause   pause;
  guint           pause_seq;
  GSource        *pause_wake;
  /* Owned by the worker thread alone after nw_runner_new. */
  NwTrainer      *trainer;
};

static void
cmd_free (Cmd *cmd)
{
  g_free (cmd->node_id);
  nw_trainer_free (cmd->trainer);
  if (cmd->destroy != NULL)
    cmd->destroy (cmd->data);
  g_free (cmd);
}

void
nw_runner_status_clear (NwRunnerStatus *status)
{
  g_clear_pointer (&status->error, g_free);
  g_clear_pointer (&status->missed_tests, g_array_unref);
}

/* The unread snapshot about to be replaced: its test pass (and those kept before it) go with
 * the new snapshot's status if both are of the same run; an earlier run's are never handed
 * out. */
static GArray *
keep_missed_test (NwRunner *r, guint generation)
{
  GArray *missed = g_steal_pointer (&r->mailbox_status.missed_tests);
  const NwSnapshot *old = r->mailbox;
  if (missed != NULL && r->mailbox_generation != generation)
    g_clear_pointer (&missed, g_array_unref);
  if (r->mailbox_fresh && old != NULL && r->mailbox_generation == generation
      && isfinite (old->test_acc) && isfinite (old->test_loss))
    {
      NwRunnerTest test = { old->epoch, old->step, old->test_loss, old->test_acc };
      if (missed == NULL)
        missed = g_array_new (FALSE, FALSE, sizeof (NwRunnerTest));
      else if (missed->len >= NW_RUNNER_MISSED_TESTS_MAX)
        g_array_remove_index (missed, 0);
      g_array_append_val (missed, test);
    }
  return missed;
}

static void
publish (NwRunner *r, guint generation, NwSnapshot *snap, gboolean playing,
         NwPauseReason paused_by, gint64 paused_at_step, double steps_per_s,
         gint64 epoch_end_us, const char *error)
{
  GArray *missed;
  g_mutex_lock (&r->lock);
  HANDOFF_ACQUIRE (&r->lock);
  missed = keep_missed_test (r, generation);
  g_clear_pointer (&r->mailbox, nw_snapshot_free);
  nw_runner_status_clear (&r->mailbox_status);
  r->mailbox_status.missed_tests = missed;
  r->mailbox = snap;
  r->mailbox_generation = generation;
  r->mailbox_fresh = TRUE;
  r->mailbox_status.playing = playing;
  r->mailbox_status.paused_by = paused_by;
  r->mailbox_status.paused_at_step = paused_at_step;
  r->mailbox_status.steps_per_s = steps_per_s;
  r->mailbox_status.epoch_end_us = epoch_end_us;
  r->mailbox_status.error = g_strdup (error);
  /* Thread-safe: it wakes the source's main context (a no-op once the source is destroyed);
   * the runner's reference keeps the source alive until nw_runner_free. */
  if (r->wake != NULL)
    g_source_set_ready_time (r->wake, 0);
  HANDOFF_RELEASE (&r->lock);
  g_mutex_unlock (&r->lock);
}

static gboolean
wake_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  /* Unready before the callback takes the mailbox: a publish during the callback wakes it
   * again rather than being missed. */
  g_source_set_ready_time (source, -1);
  return callback != NULL ? callback (data) : G_SOURCE_CONTINUE;
}

static GSourceFuncs wake_funcs = { .dispatch = wake_dispatch };

/* The pause source: made on demand like the publish source. */
static GSource *
make_wake (const char *name, gboolean ready)
{
  GSource *source = g_source_new (&wake_funcs, sizeof (GSource));
  g_source_set_static_name (source, name);
  g_source_set_ready_time (source, ready ? 0 : -1);
  return source;
}

GSource *
nw_runner_pause_source_new (NwRunner *r)
{
  GSource *source;
  g_mutex_lock (&r->lock);
  HANDOFF_ACQUIRE (&r->lock);
  if (r->pause_wake == NULL)
    r->pause_wake = make_wake ("nw-runner pause", r->pause_fresh);
  source = g_source_ref (r->pause_wake);
  HANDOFF_RELEASE (&r->lock);
  g_mutex_unlock (&r->lock);
  return source;
}

gboolean
nw_runner_take_pause (NwRunner *r, NwRunnerPause *pause)
{
  gboolean current;
  g_mutex_lock (&r->lock);
  HANDOFF_ACQUIRE (&r->lock);
  current = r->pause_fresh && r->pause_seq == r->play_seq;
  r->pause_fresh = FALSE;
  if (current)
    *pause = r->pause;
  HANDOFF_RELEASE (&r->lock);
  g_mutex_unlock (&r->lock);
  return current;
}

GSource *
nw_runner_source_new (NwRunner *r)
{
  GSource *source;
  g_mutex_lock (&r->lock);
  HANDOFF_ACQUIRE (&r->lock);
  if (r->wake == NULL)
    r->wake = make_wake ("nw-runner publish", r->mailbox_fresh);   /* it may hold one */
  source = g_source_ref (r->wake);
  HANDOFF_RELEASE (&r->lock);
  g_mutex_unlock (&r->lock);
  return source;
}

/* A chunk of steps (one nw_trainer_steps call) should take about this long: long enough for
 * a fused backend to run hundreds of steps per launch, short enough that commands wait at
 * most a few ms and snapshots come out at the requested rate. */
#define CHUNK_TARGET_US 2000
#define CHUNK_MAX_STEPS (1 << 20)

typedef struct {
  gboolean playing;
  int      pending_steps;
  int      chunk;            /* steps per chunk, adapted to CHUNK_TARGET_US; 1 after any
                              * command that may change the cost of a step */
  gboolean want_snapshot;
  gboolean quit;
  gint64   last_publish_us;
  gint64   last_publish_step;
  gint64   epoch_end_us;     /* when the latest epoch ended (0: none yet) */
  int      snapshots;
  gint64   tested_epoch;     /* NW_RUNNER_TEST_EACH_EPOCH: the epoch last evaluated (-1: none) */
  guint    generation;       /* the run of the trainer (NwRunner.generation) */
  guint    play_seq;         /* of the last play, pause, step or replace applied */
  char    *error;
  NwPauseReason paused_by;
  gint64   paused_at_step;
  /* The pace: step s0 + k is due at t0 + k / pace (t0 < 0: not anchored; anchored at the
   * next step, when play begins, the pace changes or a command moved the step count). */
  double   pace;
  gint64   pace_t0, pace_s0;
  /* Pause conditions (NwPauseWhen; at_epoch already includes epoch_end) and the budget. */
  gboolean has_when;
  NwPauseWhen when;
  gint64   budget_steps, budget_epochs;
  gboolean budget_armed;
} WorkerState;

static void
arm_budget (NwRunner *r, WorkerState *w)
{
  gint64 step = nw_trainer_get_step (r->trainer), epoch = nw_trainer_get_epoch (r->trainer);
  w->budget_armed = (w->budget_steps > 0 && step < w->budget_steps)
                    || (w->budget_epochs > 0 && epoch < w->budget_epochs);
}

static void
set_when (NwRunner *r, WorkerState *w, const NwPauseWhen *when)
{
  w->has_when = when != NULL;
  if (when == NULL)
    return;
  w->when = *when;
  if (when->epoch_end)
    {
      gint64 next = nw_trainer_get_epoch (r->trainer) + 1;
      w->when.at_epoch = w->when.at_epoch > 0 ? MIN (w->when.at_epoch, next) : next;
    }
  w->has_when = w->when.at_step > 0 || !isnan (w->when.loss_below) || w->when.at_epoch > 0;
}

/* Paused by a command: the reason changes only if it was playing (a pause after the run
 * paused by itself keeps that reason). */
static void
stop_playing (WorkerState *w, NwPauseReason why, gint64 step)
{
  if (w->playing || w->pending_steps > 0)
    {
      w->paused_by = why;
      w->paused_at_step = step;
    }
  w->playing = FALSE;
  w->pending_steps = 0;
}

/* The run pauses by itself: the status says why, and a pause source is woken. */
static void
pause_by_itself (NwRunner *r, WorkerState *w, NwPauseReason why)
{
  gint64 step = nw_trainer_get_step (r->trainer);
  w->playing = FALSE;
  w->pending_steps = 0;
  w->paused_by = why;
  w->paused_at_step = step;
  w->want_snapshot = TRUE;
  g_mutex_lock (&r->lock);
  HANDOFF_ACQUIRE (&r->lock);
  r->pause = (NwRunnerPause) { why, step, nw_trainer_get_epoch (r->trainer) };
  r->pause_seq = w->play_seq;
  r->pause_fresh = TRUE;
  if (r->pause_wake != NULL)
    g_source_set_ready_time (r->pause_wake, 0);
  HANDOFF_RELEASE (&r->lock);
  g_mutex_unlock (&r->lock);
}

/* The first pause condition that holds now (`below`: the last chunk stopped at the loss
 * floor), or NW_PAUSE_NONE. */
static NwPauseReason
when_met (NwRunner *r, WorkerState *w, gboolean below)
{
  gint64 step = nw_trainer_get_step (r->trainer), epoch = nw_trainer_get_epoch (r->trainer);
  if (!w->has_when)
    return NW_PAUSE_NONE;
  if (w->when.at_step > 0 && step >= w->when.at_step)
    return NW_PAUSE_AT_STEP;
  if (below)
    return NW_PAUSE_LOSS_BELOW;
  if (w->when.at_epoch > 0 && epoch >= w->when.at_epoch)
    return NW_PAUSE_EPOCH_END;
  return NW_PAUSE_NONE;
}

static gboolean
budget_met (NwRunner *r, WorkerState *w)
{
  gint64 step = nw_trainer_get_step (r->trainer), epoch = nw_trainer_get_epoch (r->trainer);
  return w->budget_armed && ((w->budget_steps > 0 && step >= w->budget_steps)
                             || (w->budget_epochs > 0 && epoch >= w->budget_epochs));
}

/* Pauses when the budget is reached or a condition holds: what is met is spent (the budget for
 * this run, the conditions all). When both are met at once (a lesson's "until step 10,001" on
 * a network whose budget is 10,001), the condition is the reason given and both are spent, so
 * that playing on does not stop again at once. TRUE if it paused. */
static gboolean
check_conditions (NwRunner *r, WorkerState *w, gboolean below)
{
  NwPauseReason why = when_met (r, w, below);
  gboolean budget = budget_met (r, w);
  if (why == NW_PAUSE_NONE && !budget)
    return FALSE;
  if (budget)
    w->budget_armed = FALSE;
  if (why != NW_PAUSE_NONE)
    w->has_when = FALSE;
  pause_by_itself (r, w, why != NW_PAUSE_NONE ? why : NW_PAUSE_BUDGET);
  return TRUE;
}

static void
apply (NwRunner *r, WorkerState *w, Cmd *cmd)
{
  GError *error = NULL;
  switch (cmd->kind)
    {
    case CMD_PLAY:
      w->play_seq = cmd->play_seq;
      if (!w->playing)
        w->pace_t0 = -1;
      w->playing = TRUE;
      w->paused_by = NW_PAUSE_NONE;
      g_clear_pointer (&w->error, g_free);
      /* A condition that holds already pauses at once. */
      check_conditions (r, w, FALSE);
      break;
    case CMD_PAUSE:
      w->play_seq = cmd->play_seq;
      stop_playing (w, NW_PAUSE_USER, nw_trainer_get_step (r->trainer));
      w->want_snapshot = TRUE;
      break;
    case CMD_STEP:
      w->play_seq = cmd->play_seq;
      if (w->playing)
        stop_playing (w, NW_PAUSE_USER, nw_trainer_get_step (r->trainer));
      w->paused_by = NW_PAUSE_USER;
      w->pending_steps++;
      break;
    case CMD_RESET:
      w->generation = cmd->generation;
      w->tested_epoch = -1;
      w->epoch_end_us = 0;
      nw_trainer_reset (r->trainer, cmd->seed);
      w->chunk = 1;
      w->pace_t0 = -1;
      g_clear_pointer (&w->error, g_free);
      w->want_snapshot = TRUE;
      arm_budget (r, w);
      if (!w->playing)
        {
          /* A new run, paused: not by itself (a budget stop is over). */
          w->paused_by = NW_PAUSE_USER;
          w->paused_at_step = 0;
        }
      break;
    case CMD_HYPER:
      nw_trainer_set_hyper (r->trainer, &cmd->hp);
      w->chunk = 1;   /* a larger batch, another optimizer: another cost per step */
      break;
    case CMD_ENABLED:
      if (!nw_net_set_enabled (nw_trainer_get_net (r->trainer), cmd->node_id, cmd->enabled, &error))
        {
          g_free (w->error);
          w->error = g_strdup (error->message);
          g_error_free (error);
        }
      w->chunk = 1;
      w->want_snapshot = TRUE;
      break;
    case CMD_REPLACE:
      w->play_seq = cmd->play_seq;
      w->generation = cmd->generation;
      w->tested_epoch = -1;
      w->epoch_end_us = 0;
      nw_trainer_free (r->trainer);
      r->trainer = g_steal_pointer (&cmd->trainer);
      w->chunk = 1;   /* the new network's steps may cost 1000x the old one's */
      w->pace_t0 = -1;
      w->playing = cmd->play;
      w->pending_steps = 0;
      w->paused_by = cmd->play ? NW_PAUSE_NONE : NW_PAUSE_USER;
      w->paused_at_step = nw_trainer_get_step (r->trainer);
      g_clear_pointer (&w->error, g_free);
      w->want_snapshot = TRUE;
      arm_budget (r, w);
      if (w->playing)
        check_conditions (r, w, FALSE);
      break;
    case CMD_SNAPSHOT:
      w->want_snapshot = TRUE;
      break;
    case CMD_CALL:
      cmd->destroy = NULL;   /* the data is func's now */
      cmd->func (r->trainer, cmd->data);
      w->chunk = 1;   /* the trainer may be on another backend now */
      w->pace_t0 = -1;
      break;
    case CMD_PACE:
      w->pace = cmd->pace;
      w->pace_t0 = -1;
      w->chunk = 1;
      break;
    case CMD_PAUSE_WHEN:
      set_when (r, w, cmd->has_when ? &cmd->when : NULL);
      if (w->playing)
        check_conditions (r, w, FALSE);
      break;
    case CMD_BUDGET:
      w->budget_steps = cmd->budget_steps;
      w->budget_epochs = cmd->budget_epochs;
      arm_budget (r, w);
      break;
    case CMD_QUIT:
    default:
      w->quit = TRUE;
      break;
    }
}

static void
take_snapshot (NwRunner *r, WorkerState *w)
{
  GError *error = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 step = nw_trainer_get_step (r->trainer);
  double dt = (now - w->last_publish_us) / 1e6;
  double rate = dt > 0 && w->last_publish_us > 0 ? (step - w->last_publish_step) / dt : 0;
  gboolean with_test = r->options.test_every > 0 && w->snapshots % r->options.test_every == 0;
  NwSnapshot *snap;
  if (r->options.test_every == NW_RUNNER_TEST_EACH_EPOCH)
    {
      /* Paused: the model as it is. Playing: once after each epoch's end, never for the
       * untrained network of a run that starts playing at once (--play, Reset while
       * playing): that pass would cost an MNIST run a test pass in its first epoch and list
       * nothing; a paused run was evaluated when it paused. */
      gint64 epoch = nw_trainer_get_epoch (r->trainer);
      with_test = !w->playing || (epoch != w->tested_epoch && epoch > 0);
      w->tested_epoch = epoch;
    }
  snap = nw_trainer_snapshot (r->trainer,
                              !with_test ? 0
                              : r->options.test_outputs ? NW_SNAPSHOT_TEST_OUTPUTS : NW_SNAPSHOT_TEST,
                              r->options.grid_n, &error);
  if (snap == NULL)
    {
      g_free (w->error);
      w->error = g_strdup (error->message);
      g_error_free (error);
      if (w->playing)
        pause_by_itself (r, w, NW_PAUSE_ERROR);
    }
  w->snapshots++;
  w->last_publish_us = now;
  w->last_publish_step = step;
  w->want_snapshot = FALSE;
  publish (r, w->generation, snap, w->playing, w->playing ? NW_PAUSE_NONE : w->paused_by,
           w->paused_at_step, rate, w->epoch_end_us, w->error);
}

/* At most this factor more steps in the next chunk than in the last: a chunk of a few fast
 * steps says little about the cost of many (caches, a fused backend's launches). */
#define CHUNK_MAX_GROWTH 4
/* A paced run that falls this far behind its due times (a slow step, a long snapshot) starts
 * counting again from now rather than running the missed steps in a burst. */
#define PACE_MAX_LAG_US 100000

/* Playing at a pace: how many steps are due now (>= 1), or 0 and in `wait_us` how long until
 * the next one is. Anchors the count at the first step after a change. */
static gint64
pace_due (NwRunner *r, WorkerState *w, gint64 now, gint64 *wait_us)
{
  gint64 step = nw_trainer_get_step (r->trainer), due;
  double us_per_step = 1e6 / w->pace;
  *wait_us = 0;
  if (w->pace_t0 < 0)
    {
      w->pace_t0 = now;
      w->pace_s0 = step;
    }
  /* Step s0 + k is due at t0 + k * us_per_step: those up to now, less those taken. */
  due = w->pace_s0 + (gint64) floor ((double) (now - w->pace_t0) / us_per_step) + 1 - step;
  if (due * us_per_step > PACE_MAX_LAG_US && due > 1)
    {
      w->pace_t0 = now;
      w->pace_s0 = step;
      due = 1;
    }
  if (due <= 0)
    *wait_us = MAX (w->pace_t0 + (gint64) ceil ((double) (step - w->pace_s0) * us_per_step) - now, 1);
  return MAX (due, 0);
}

/* Steps until `epochs` epochs are complete (more than the trainer's now), at the current
 * batch size. */
static gint64
steps_to_epoch (NwRunner *r, gint64 epochs)
{
  NwTrainer *t = r->trainer;
  return nw_trainer_steps_left_in_epoch (t)
         + (epochs - nw_trainer_get_epoch (t) - 1) * (gint64) nw_trainer_steps_per_epoch (t);
}

/* Steps until the next look at the command queue: the steps asked for one by one, else a
 * chunk sized to take about CHUNK_TARGET_US, never past the budget, a pause condition or the
 * steps the pace allows (`due`, 0: full speed). After each chunk the next is the last one's
 * steps scaled by CHUNK_TARGET_US / time taken (growing at most CHUNK_MAX_GROWTH-fold,
 * shrinking at once to what fits), so a step that became 1000x slower costs one long chunk
 * at most, never a run of halvings. */
static void
run_chunk (NwRunner *r, WorkerState *w, gint64 due)
{
  GError *error = NULL;
  gint64 start = g_get_monotonic_time (), step = nw_trainer_get_step (r->trainer), took;
  gint64 epoch = nw_trainer_get_epoch (r->trainer);
  gint64 want = w->pending_steps > 0 ? MIN (w->pending_steps, w->chunk) : w->chunk;
  gboolean stop_at_epoch_end = FALSE, below = FALSE;
  gboolean running = w->playing || w->pending_steps > 0;
  double loss_below = NAN;
  int done = 0;

  if (w->playing && w->pending_steps == 0)
    {
      if (due > 0)
        want = MIN (want, due);
      if (w->budget_armed && w->budget_steps > step)
        want = MIN (want, w->budget_steps - step);
      if (w->has_when && w->when.at_step > step)
        want = MIN (want, w->when.at_step - step);
      if (w->budget_armed && w->budget_epochs > epoch)
        want = MIN (want, steps_to_epoch (r, w->budget_epochs));
      if (w->has_when && w->when.at_epoch > epoch)
        want = MIN (want, steps_to_epoch (r, w->when.at_epoch));
      /* Each epoch's test pass is of the model at the epoch's end, as the CLI's --test makes
       * it, not of one up to a publish interval into the next epoch: the chunk stops there,
       * and the snapshot is taken at once (below). */
      if (r->options.test_every == NW_RUNNER_TEST_EACH_EPOCH)
        stop_at_epoch_end = TRUE;
      if (stop_at_epoch_end)
        want = MIN (want, nw_trainer_steps_left_in_epoch (r->trainer));
    }
  if (w->has_when)
    loss_below = w->when.loss_below;
  want = MAX (want, 1);
  if (!nw_trainer_steps_until (r->trainer, (int) want, loss_below, &done, &below, &error))
    {
      /* Divergence or a backend failure: stop and say so. */
      g_free (w->error);
      w->error = g_strdup (error->message);
      g_error_free (error);
      pause_by_itself (r, w, NW_PAUSE_ERROR);
    }
  else
    {
      if (w->pending_steps > 0 && (w->pending_steps -= MIN (done, w->pending_steps)) == 0)
        w->want_snapshot = TRUE;
      /* Playing, or stepping by hand onto a condition: the run pauses there. */
      if (running)
        check_conditions (r, w, below);
    }
  took = MAX (g_get_monotonic_time () - start, 1);
  if (nw_trainer_get_epoch (r->trainer) != epoch)
    {
      w->epoch_end_us = start + took;   /* within one chunk (~2 ms) of the epoch's last step */
      if (r->options.test_every == NW_RUNNER_TEST_EACH_EPOCH && w->playing)
        w->want_snapshot = TRUE;
    }
  /* Slow motion draws every step: below the snapshot rate, each step gets its snapshot. */
  if (w->playing && w->pace > 0 && w->pace * MAX (r->options.publish_ms, 1) < 1000)
    w->want_snapshot = TRUE;
  if (done > 0)
    {
      double next = (double) done * CHUNK_TARGET_US / (double) took;
      next = MIN (next, (double) w->chunk * CHUNK_MAX_GROWTH);
      w->chunk = (int) CLAMP (next, 1, CHUNK_MAX_STEPS);
    }
  else
    w->chunk = 1;
}

static gpointer
worker (gpointer data)
{
  NwRunner *r = data;
  WorkerState w = {
    .chunk = 1, .tested_epoch = -1, .playing = r->options.start_playing,
    .paused_by = r->options.start_playing ? NW_PAUSE_NONE : NW_PAUSE_USER,
    .pace = MAX (r->options.pace, 0), .pace_t0 = -1,
    .budget_steps = r->options.max_steps, .budget_epochs = r->options.max_epochs,
  };
  gint64 publish_us = (gint64) MAX (r->options.publish_ms, 1) * 1000;

  arm_budget (r, &w);
  w.last_publish_us = g_get_monotonic_time ();
  while (!w.quit)
    {
      gint64 due = 0, wait_us = 0;
      gboolean paced = w.playing && w.pending_steps == 0 && w.pace > 0;
      Cmd *cmd;
      if (paced)
        due = pace_due (r, &w, g_get_monotonic_time (), &wait_us);
      /* Idle: block until told something. Waiting for the pace's next step: until then, or
       * until told something (a new pace takes effect at once). Busy: only look. */
      if (!(w.playing || w.pending_steps > 0 || w.want_snapshot))
        cmd = g_async_queue_pop (r->commands);
      else if (wait_us > 0 && !w.want_snapshot)
        cmd = g_async_queue_timeout_pop (r->commands, (guint64) wait_us);
      else
        cmd = g_async_queue_try_pop (r->commands);
      if (cmd != NULL)
        {
          HANDOFF_ACQUIRE (cmd);
          apply (r, &w, cmd);
          cmd_free (cmd);
          continue;   /* drain every queued command before the next step */
        }
      /* Paced and not yet due: the wait timed out, look again (or take the snapshot asked
       * for first). */
      if ((w.playing || w.pending_steps > 0) && !(paced && due == 0))
        run_chunk (r, &w, due);
      else if (paced && !w.want_snapshot)
        continue;
      if (w.want_snapshot || (w.playing && g_get_monotonic_time () - w.last_publish_us >= publish_us))
        take_snapshot (r, &w);
    }
  g_free (w.error);
  return NULL;
}

NwRunner *
nw_runner_new (NwTrainer *trainer, const NwRunnerOptions *options)
{
  NwRunner *r = g_new0 (NwRunner, 1);
  r->trainer = trainer;
  r->options = *options;
  r->commands = g_async_queue_new_full ((GDestroyNotify) cmd_free);
  g_mutex_init (&r->lock);
  r->thread = g_thread_new ("nw-trainer", worker, r);
  nw_runner_request_snapshot (r);
  return r;
}

static void
send (NwRunner *r, Cmd *cmd)
{
  gboolean new_run = cmd->kind == CMD_REPLACE || cmd->kind == CMD_RESET;
  gboolean decides_play = cmd->kind == CMD_PLAY || cmd->kind == CMD_PAUSE
                          || cmd->kind == CMD_STEP || cmd->kind == CMD_REPLACE;
  if (new_run || decides_play)
    {
      g_mutex_lock (&r->lock);
      HANDOFF_ACQUIRE (&r->lock);
      if (new_run)
        cmd->generation = ++r->generation;
      if (decides_play)
        cmd->play_seq = ++r->play_seq;
      HANDOFF_RELEASE (&r->lock);
      g_mutex_unlock (&r->lock);
    }
  HANDOFF_RELEASE (cmd);
  g_async_queue_push (r->commands, cmd);
}

static Cmd *
cmd_new (CmdKind kind)
{
  Cmd *cmd = g_new0 (Cmd, 1);
  cmd->kind = kind;
  return cmd;
}

void
nw_runner_free (NwRunner *r)
{
  if (r == NULL)
    return;
  /* QUIT jumps the queue: a closing window must not wait for queued work. */
  {
    Cmd *quit = cmd_new (CMD_QUIT);
    HANDOFF_RELEASE (quit);
    g_async_queue_push_front (r->commands, quit);
  }
  g_thread_join (r->thread);
  g_async_queue_unref (r->commands);
  nw_trainer_free (r->trainer);
  g_clear_pointer (&r->mailbox, nw_snapshot_free);
  nw_runner_status_clear (&r->mailbox_status);
  g_clear_pointer (&r->wake, g_source_unref);
  g_clear_pointer (&r->pause_wake, g_source_unref);
  g_mutex_clear (&r->lock);
  g_free (r);
}

void nw_runner_play (NwRunner *r) { send (r, cmd_new (CMD_PLAY)); }
void nw_runner_pause (NwRunner *r) { send (r, cmd_new (CMD_PAUSE)); }
void nw_runner_step (NwRunner *r) { send (r, cmd_new (CMD_STEP)); }
void nw_runner_request_snapshot (NwRunner *r) { send (r, cmd_new (CMD_SNAPSHOT)); }

void
nw_runner_set_pace (NwRunner *r, double steps_per_s)
{
  Cmd *cmd = cmd_new (CMD_PACE);
  cmd->pace = isfinite (steps_per_s) && steps_per_s > 0 ? steps_per_s : 0;
  send (r, cmd);
}

void
nw_runner_pause_when (NwRunner *r, const NwPauseWhen *when)
{
  Cmd *cmd = cmd_new (CMD_PAUSE_WHEN);
  cmd->has_when = when != NULL;
  if (when != NULL)
    cmd->when = *when;
  send (r, cmd);
}

void
nw_runner_set_budget (NwRunner *r, gint64 steps, gint64 epochs)
{
  Cmd *cmd = cmd_new (CMD_BUDGET);
  cmd->budget_steps = MAX (steps, 0);
  cmd->budget_epochs = MAX (epochs, 0);
  send (r, cmd);
}

void
nw_runner_reset (NwRunner *r, guint64 seed)
{
  Cmd *cmd = cmd_new (CMD_RESET);
  cmd->seed = seed;
  send (r, cmd);
}

void
nw_runner_set_hyper (NwRunner *r, const NwTrainSpec *hp)
{
  Cmd *cmd = cmd_new (CMD_HYPER);
  cmd->hp = *hp;
  send (r, cmd);
}

void
nw_runner_set_enabled (NwRunner *r, const char *node_id, gboolean enabled)
{
  Cmd *cmd = cmd_new (CMD_ENABLED);
  cmd->node_id = g_strdup (node_id);
  cmd->enabled = enabled;
  send (r, cmd);
}

void
nw_runner_call (NwRunner *r, NwRunnerFunc func, gpointer data, GDestroyNotify destroy)
{
  Cmd *cmd = cmd_new (CMD_CALL);
  cmd->func = func;
  cmd->data = data;
  cmd->destroy = destroy;
  send (r, cmd);
}

static void
replace (NwRunner *r, NwTrainer *trainer, gboolean play)
{
  Cmd *cmd = cmd_new (CMD_REPLACE);
  cmd->trainer = trainer;
  cmd->play = play;
  send (r, cmd);
}

void
nw_runner_replace (NwRunner *r, NwTrainer *trainer)
{
  replace (r, trainer, FALSE);
}

void
nw_runner_replace_and_play (NwRunner *r, NwTrainer *trainer)
{
  replace (r, trainer, TRUE);
}

gboolean
nw_runner_take (NwRunner *r, NwSnapshot **snapshot, NwRunnerStatus *status)
{
  gboolean fresh;
  g_mutex_lock (&r->lock);
  HANDOFF_ACQUIRE (&r->lock);
  fresh = r->mailbox_fresh;
  r->mailbox_fresh = FALSE;
  if (r->mailbox_generation != r->generation)
    {
      fresh = FALSE;   /* an earlier run's: dropped */
      g_clear_pointer (&r->mailbox, nw_snapshot_free);
      nw_runner_status_clear (&r->mailbox_status);
    }
  *snapshot = g_steal_pointer (&r->mailbox);
  *status = r->mailbox_status;
  r->mailbox_status.error = NULL;
  r->mailbox_status.missed_tests = NULL;
  HANDOFF_RELEASE (&r->lock);
  g_mutex_unlock (&r->lock);
  return fresh;
}
