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
  CMD_CALL, CMD_QUIT,
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
publish (NwRunner *r, guint generation, NwSnapshot *snap, gboolean playing, double steps_per_s,
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

GSource *
nw_runner_source_new (NwRunner *r)
{
  GSource *source;
  g_mutex_lock (&r->lock);
  HANDOFF_ACQUIRE (&r->lock);
  if (r->wake == NULL)
    {
      r->wake = g_source_new (&wake_funcs, sizeof (GSource));
      g_source_set_static_name (r->wake, "nw-runner publish");
      /* Something may already wait in the mailbox. */
      g_source_set_ready_time (r->wake, r->mailbox_fresh ? 0 : -1);
    }
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
  char    *error;
} WorkerState;

static void
apply (NwRunner *r, WorkerState *w, Cmd *cmd)
{
  GError *error = NULL;
  switch (cmd->kind)
    {
    case CMD_PLAY:
      w->playing = TRUE;
      g_clear_pointer (&w->error, g_free);
      break;
    case CMD_PAUSE:
      w->playing = FALSE;
      w->want_snapshot = TRUE;
      break;
    case CMD_STEP:
      w->playing = FALSE;
      w->pending_steps++;
      break;
    case CMD_RESET:
      w->generation = cmd->generation;
      w->tested_epoch = -1;
      w->epoch_end_us = 0;
      nw_trainer_reset (r->trainer, cmd->seed);
      w->chunk = 1;
      g_clear_pointer (&w->error, g_free);
      w->want_snapshot = TRUE;
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
      w->generation = cmd->generation;
      w->tested_epoch = -1;
      w->epoch_end_us = 0;
      nw_trainer_free (r->trainer);
      r->trainer = g_steal_pointer (&cmd->trainer);
      w->chunk = 1;   /* the new network's steps may cost 1000x the old one's */
      w->playing = cmd->play;
      g_clear_pointer (&w->error, g_free);
      w->want_snapshot = TRUE;
      break;
    case CMD_SNAPSHOT:
      w->want_snapshot = TRUE;
      break;
    case CMD_CALL:
      cmd->destroy = NULL;   /* the data is func's now */
      cmd->func (r->trainer, cmd->data);
      w->chunk = 1;   /* the trainer may be on another backend now */
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
      w->playing = FALSE;
    }
  w->snapshots++;
  w->last_publish_us = now;
  w->last_publish_step = step;
  w->want_snapshot = FALSE;
  publish (r, w->generation, snap, w->playing, rate, w->epoch_end_us, w->error);
}

/* At most this factor more steps in the next chunk than in the last: a chunk of a few fast
 * steps says little about the cost of many (caches, a fused backend's launches). */
#define CHUNK_MAX_GROWTH 4

/* Steps until the next look at the command queue: the steps asked for one by one, else a
 * chunk sized to take about CHUNK_TARGET_US, never past max_steps. After each chunk the next
 * is the last one's steps scaled by CHUNK_TARGET_US / time taken (growing at most
 * CHUNK_MAX_GROWTH-fold, shrinking at once to what fits), so a step that became 1000x slower
 * costs one long chunk at most, never a run of halvings. */
static void
run_chunk (NwRunner *r, WorkerState *w)
{
  GError *error = NULL;
  gint64 start = g_get_monotonic_time (), step = nw_trainer_get_step (r->trainer), took;
  gint64 epoch = nw_trainer_get_epoch (r->trainer);
  int want = w->pending_steps > 0 ? MIN (w->pending_steps, w->chunk) : w->chunk, done = 0;

  if (r->options.max_steps > 0 && w->playing && w->pending_steps == 0)
    want = (int) CLAMP (r->options.max_steps - step, 1, want);
  /* Each epoch's test pass is of the model at the epoch's end, as the CLI's --test makes it,
   * not of one up to a publish interval into the next epoch: the chunk stops there, and the
   * snapshot is taken at once (below). */
  if (r->options.test_every == NW_RUNNER_TEST_EACH_EPOCH && w->playing && w->pending_steps == 0)
    want = MIN (want, nw_trainer_steps_left_in_epoch (r->trainer));
  if (!nw_trainer_steps (r->trainer, want, &done, &error))
    {
      /* Divergence or a backend failure: stop and say so. */
      g_free (w->error);
      w->error = g_strdup (error->message);
      g_error_free (error);
      w->playing = FALSE;
      w->pending_steps = 0;
      w->want_snapshot = TRUE;
    }
  if (w->pending_steps > 0 && (w->pending_steps -= MIN (done, w->pending_steps)) == 0)
    w->want_snapshot = TRUE;
  if (r->options.max_steps > 0 && nw_trainer_get_step (r->trainer) >= r->options.max_steps
      && w->playing)
    {
      w->playing = FALSE;
      w->want_snapshot = TRUE;
    }
  took = MAX (g_get_monotonic_time () - start, 1);
  if (nw_trainer_get_epoch (r->trainer) != epoch)
    {
      w->epoch_end_us = start + took;   /* within one chunk (~2 ms) of the epoch's last step */
      if (r->options.test_every == NW_RUNNER_TEST_EACH_EPOCH && w->playing)
        w->want_snapshot = TRUE;
    }
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
  WorkerState w = { .chunk = 1, .tested_epoch = -1, .playing = r->options.start_playing };
  gint64 publish_us = (gint64) MAX (r->options.publish_ms, 1) * 1000;

  w.last_publish_us = g_get_monotonic_time ();
  while (!w.quit)
    {
      /* Idle: block until told something. Busy: only look. */
      Cmd *cmd = (w.playing || w.pending_steps > 0 || w.want_snapshot)
        ? g_async_queue_try_pop (r->commands) : g_async_queue_pop (r->commands);
      if (cmd != NULL)
        {
          HANDOFF_ACQUIRE (cmd);
          apply (r, &w, cmd);
          cmd_free (cmd);
          continue;   /* drain every queued command before the next step */
        }
      if (w.playing || w.pending_steps > 0)
        run_chunk (r, &w);
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
  if (cmd->kind == CMD_REPLACE || cmd->kind == CMD_RESET)
    {
      g_mutex_lock (&r->lock);
      HANDOFF_ACQUIRE (&r->lock);
      cmd->generation = ++r->generation;
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
  g_mutex_clear (&r->lock);
  g_free (r);
}

void nw_runner_play (NwRunner *r) { send (r, cmd_new (CMD_PLAY)); }
void nw_runner_pause (NwRunner *r) { send (r, cmd_new (CMD_PAUSE)); }
void nw_runner_step (NwRunner *r) { send (r, cmd_new (CMD_STEP)); }
void nw_runner_request_snapshot (NwRunner *r) { send (r, cmd_new (CMD_SNAPSHOT)); }

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
