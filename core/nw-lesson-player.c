/* nw-lesson-player.c: a lesson played on a session (nw-lesson-player.h). */
#include "nw-lesson-player.h"
#include "nw-i18n.h"

#include "nw-handoff.h"
#include "nw-jobs.h"
#include "nw-net.h"

#include <glib/gstdio.h>
#include <math.h>

/* The network and weights as they were when a step was entered. */
typedef struct {
  NwSpec  *spec;
  char    *weights;     /* a file in the player's folder; NULL: no trainer then (a new run) */
  gboolean written;     /* the runner wrote it (FALSE while pending or when it failed) */
  gint64   step;        /* the run's step count then, as the lesson counts it */
  guint    id;          /* which capture a report is for */
} Capture;

struct _NwLessonPlayer
{
  GObject         parent_instance;

  NwSession      *session;
  NwLesson       *lesson;
  char           *dir;          /* the temporary folder: captures and save slots */
  int             step;         /* -1 before the start */
  GPtrArray      *captures;     /* Capture* or NULL, by step */
  guint           next_action;  /* the next action of the step to run */
  const NwLessonAction *train;  /* the train action under way, or NULL */
  gint64          train_from;   /* the lesson's step count when it started */
  guint           io_pending;   /* weight files being written on the runner's thread */
  gboolean        restore_wanted; /* put back the capture of `step` once the files are written */
  gboolean        run_wanted;     /* then run the step's actions */
  gint64          offset;       /* the lesson's step count = the run's + offset */
  gint64          run_step;     /* the lesson's step count at the newest snapshot */
  gint64          stopped_at;   /* the lesson's step count of the last stop for a check (-1) */
  gboolean        measuring;    /* a measurement of the run is under way on the runner */
  guint           moves;        /* bumped by every step entered: older measurements drop */
  double          last_loss;    /* the newest training loss and accuracy a snapshot had (one */
  double          last_acc;     /* taken while paused has none: no steps since the last) */
  NwLessonQuestionState question;
  int             choice;
  guint           views;
  NwLessonMode    mode;
  double          pace;
  GArray         *checks;       /* NwLessonCheckState, the current step's */
  GHashTable     *named;        /* check name -> double* figure, from every step so far */
  gboolean        left;
  guint           capture_ids;  /* the last Capture.id given */
};

enum {
  STEP_CHANGED, QUESTION_CHANGED, VIEWS_CHANGED, MODE_CHANGED, PACE_CHANGED, CHECK_MET,
  STEP_DONE, MESSAGE, LEFT, N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NwLessonPlayer, nw_lesson_player, G_TYPE_OBJECT)

static void run_actions (NwLessonPlayer *self);

static void
capture_free (gpointer data)
{
  Capture *c = data;
  if (c == NULL)
    return;
  nw_spec_free (c->spec);
  if (c->weights != NULL)
    g_unlink (c->weights);
  g_free (c->weights);
  g_free (c);
}

static const NwLessonStep *
current (NwLessonPlayer *self)
{
  if (self->step < 0 || (guint) self->step >= self->lesson->steps->len)
    return NULL;
  return g_ptr_array_index (self->lesson->steps, self->step);
}

static void G_GNUC_PRINTF (2, 3)
say (NwLessonPlayer *self, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit (self, signals[MESSAGE], 0, text);
}

/* ---- weights written on the runner's thread ---- */

typedef struct {
  GWeakRef      player;
  GMainContext *context;
  char         *path;
  int           step_index; /* the capture's step; -1 for a save slot */
  guint         capture_id;
  gint64        step;      /* the trainer's step count when written */
  gint64        offset;    /* the player's offset when it was asked */
  GError       *error;
} WriteJob;

static void
write_job_free (gpointer data)
{
  WriteJob *job = data;
  NW_HANDOFF_ACQUIRE (job);
  g_weak_ref_clear (&job->player);
  g_main_context_unref (job->context);
  g_free (job->path);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
write_report (gpointer data)
{
  WriteJob *job = data;
  g_autoptr (NwLessonPlayer) self = NULL;
  NW_HANDOFF_ACQUIRE (job);
  self = g_weak_ref_get (&job->player);
  if (self != NULL)
    {
      Capture *c = job->step_index >= 0 && (guint) job->step_index < self->captures->len
                   ? g_ptr_array_index (self->captures, job->step_index) : NULL;
      self->io_pending--;
      /* Only if that capture is still the step's (a step entered again has a new one). */
      if (c != NULL && c->id == job->capture_id)
        {
          c->written = job->error == NULL;
          c->step = job->offset + job->step;
        }
      if (job->error != NULL && !self->left)
        say (self, _("The lesson could not keep the weights: %s"), job->error->message);
      if (self->io_pending == 0 && (self->restore_wanted || self->run_wanted) && !self->left)
        run_actions (self);
    }
  write_job_free (job);
  return G_SOURCE_REMOVE;
}

/* The runner closed before it wrote the file. */
static void
write_job_dropped (gpointer data)
{
  WriteJob *job = data;
  if (job->error == NULL)
    g_set_error_literal (&job->error, NW_LESSON_ERROR, NW_LESSON_ERROR_RUN,
                         _("training stopped before the weights were written"));
  NW_HANDOFF_RELEASE (job);
  nw_report_to_context (job->context, write_report, job);
}

static void
write_on_runner (NwTrainer *trainer, gpointer data)
{
  WriteJob *job = data;
  NW_HANDOFF_ACQUIRE (job);
  if (nw_net_save_weights (nw_trainer_get_net (trainer), job->path, &job->error))
    job->step = nw_trainer_get_step (trainer);
  NW_HANDOFF_RELEASE (job);
  nw_report_to_context (job->context, write_report, job);
}

/* Queues the weights of the running trainer into `path`: after every command sent before,
 * before every command sent after. FALSE when there is no runner. */
static gboolean
write_weights (NwLessonPlayer *self, const char *path, int step_index, guint capture_id)
{
  NwRunner *runner = nw_session_get_runner (self->session);
  WriteJob *job;
  if (runner == NULL)
    return FALSE;
  job = g_new0 (WriteJob, 1);
  g_weak_ref_init (&job->player, self);
  job->context = g_main_context_ref_thread_default ();
  job->path = g_strdup (path);
  job->step_index = step_index;
  job->offset = self->offset;
  job->capture_id = capture_id;
  self->io_pending++;
  NW_HANDOFF_RELEASE (job);
  nw_runner_call (runner, write_on_runner, job, write_job_dropped);
  return TRUE;
}

static char *
slot_path (NwLessonPlayer *self, const char *slot)
{
  g_autofree char *name = g_strdup_printf ("slot-%s.safetensors", slot);
  return g_build_filename (self->dir, name, NULL);
}

/* ---- the steps' actions ---- */

static gboolean
apply_spec_action (NwLessonPlayer *self, const NwLessonAction *action, GError **error)
{
  const NwSpec *now = nw_session_get_spec (self->session);
  g_autoptr (NwSpec) spec = now != NULL ? nw_spec_copy (now) : NULL;
  gboolean new_run = FALSE;
  if (spec == NULL)
    spec = nw_spec_copy (self->lesson->spec);
  if (!nw_lesson_apply_to_spec (self->lesson, action, spec, &new_run, error))
    return FALSE;
  if (new_run)
    {
      nw_session_set_spec (self->session, g_steal_pointer (&spec), NULL);
      self->offset = 0;
      self->run_step = 0;
      self->last_loss = self->last_acc = NAN;
    }
  else if (action->kind == NW_LESSON_ACTION_ENABLE)
    nw_session_set_node_enabled (self->session, action->node, action->on);
  else
    nw_session_set_train (self->session, &spec->train);
  return TRUE;
}

/* The weights are set (or failed): the step's checks may be met from the next snapshot. */
static void
params_done (NwSession *session, const GError *error, gpointer data)
{
  g_autoptr (NwLessonPlayer) self = g_weak_ref_get (data);
  g_weak_ref_clear (data);
  g_free (data);
  if (self == NULL)
    return;
  self->io_pending--;
  if (self->io_pending == 0 && (self->restore_wanted || self->run_wanted) && !self->left)
    run_actions (self);
}

/* A weights action: its tensors, as floats, to the running trainer. */
static gboolean
set_params (NwLessonPlayer *self, const NwLessonAction *action, GError **error)
{
  guint n = action->params->len;
  g_autofree NwSessionParam *params = g_new0 (NwSessionParam, n);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      const NwLessonParam *p = g_ptr_array_index (action->params, i);
      float *v = g_new (float, (gsize) p->rows * p->cols);
      for (int k = 0; k < p->rows * p->cols; k++)
        v[k] = (float) p->values[k];
      g_ptr_array_add (values, v);
      params[i] = (NwSessionParam) { .node = p->node, .which = p->bias ? "bias" : "weight",
                                     .values = v, .rows = p->rows, .cols = p->bias ? 1 : p->cols };
    }
  {
    GWeakRef *ref = g_new0 (GWeakRef, 1);
    g_weak_ref_init (ref, self);
    if (!nw_session_set_params (self->session, params, (int) n, params_done, ref, error))
      {
        g_weak_ref_clear (ref);
        g_free (ref);
        return FALSE;
      }
    self->io_pending++;   /* the checks wait for them */
    return TRUE;
  }
}

/* The first step count (the lesson's) after `after` where a check of the step not met yet
 * wants its figure, or -1. */
static gint64
next_check_stop (NwLessonPlayer *self, gint64 after)
{
  const NwLessonStep *step = current (self);
  gint64 best = -1;
  for (guint i = 0; step != NULL && i < step->checks->len && i < self->checks->len; i++)
    {
      const NwLessonCheck *check = g_ptr_array_index (step->checks, i);
      const NwLessonCheckState *st = &g_array_index (self->checks, NwLessonCheckState, i);
      if (!st->met && check->at_step > after && (best < 0 || check->at_step < best))
        best = check->at_step;
    }
  return best;
}

/* Starts (or, after a stop for a check, resumes) a train action: at the lesson's pace until
 * its condition, pausing on the way at each step a check measures at (at_step), so that its
 * figure is of that step exactly, as `lesson check` measures it. */
static void
start_training (NwLessonPlayer *self, const NwLessonAction *action, gboolean resume)
{
  NwPauseWhen when = NW_PAUSE_WHEN_NONE;
  gint64 end = -1, stop;
  self->train = action;
  if (!resume)
    {
      self->train_from = self->run_step;
      self->stopped_at = -1;
    }
  switch (action->until)
    {
    case NW_LESSON_UNTIL_STEP:
      end = action->n;
      break;
    case NW_LESSON_UNTIL_EPOCHS:
      when.at_epoch = action->n;
      break;
    case NW_LESSON_UNTIL_LOSS_BELOW:
      when.loss_below = action->loss;
      if (action->n > 0)
        end = action->n;   /* max_steps: the run's step count, as `lesson check` reads it */
      break;
    }
  stop = next_check_stop (self, MAX (self->run_step, self->stopped_at));
  if (stop > 0 && (end < 0 || stop < end))
    end = stop;
  if (end >= 0)
    when.at_step = MAX (end - self->offset, 1);
  nw_session_pause_when (self->session, &when);
  nw_session_play_when_ready (self->session);
}

/* ---- exact figures: the run measured on its own thread ---- */

typedef struct {
  GWeakRef      player;
  GMainContext *context;
  guint         moves;
  gint64        offset;
  gint64        step, epoch;
  double        loss, acc, test_loss, test_acc;
  gboolean      resume;    /* go on training after it (a stop for a check) */
  GError       *error;
} MeasureJob;

static void
measure_job_free (gpointer data)
{
  MeasureJob *job = data;
  NW_HANDOFF_ACQUIRE (job);
  g_weak_ref_clear (&job->player);
  g_main_context_unref (job->context);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
is_measured (NwLessonMetric metric)
{
  return metric == NW_LESSON_METRIC_LOSS || metric == NW_LESSON_METRIC_ACCURACY
         || metric == NW_LESSON_METRIC_TEST_LOSS || metric == NW_LESSON_METRIC_TEST_ACCURACY
         || metric == NW_LESSON_METRIC_STEP || metric == NW_LESSON_METRIC_EPOCH;
}

static void judge (NwLessonPlayer *self, const NwLessonCheck *check, NwLessonCheckState *st);

/* Every action of the step has run (a train action's condition met). */
static gboolean
step_settled (NwLessonPlayer *self)
{
  const NwLessonStep *step = current (self);
  return step != NULL && self->train == NULL && self->next_action >= step->actions->len
         && !self->restore_wanted && self->question != NW_LESSON_QUESTION_ASKED;
}

static void
mark (NwLessonPlayer *self, guint i, const NwLessonCheck *check, NwLessonCheckState *st)
{
  st->met = TRUE;
  if (isfinite (st->figure))
    judge (self, check, st);
  if (check->name != NULL && isfinite (st->figure))
    g_hash_table_insert (self->named, g_strdup (check->name), g_memdup2 (&st->figure, sizeof (double)));
  g_signal_emit (self, signals[CHECK_MET], 0, (int) i);
}

static gboolean
measure_report (gpointer data)
{
  MeasureJob *job = data;
  g_autoptr (NwLessonPlayer) self = NULL;
  NW_HANDOFF_ACQUIRE (job);
  self = g_weak_ref_get (&job->player);
  if (self != NULL && job->moves == self->moves && !self->left)
    {
      const NwLessonStep *step = current (self);
      gint64 at = job->offset + job->step;
      gboolean settled = step_settled (self);
      self->measuring = FALSE;
      for (guint i = 0; job->error == NULL && step != NULL && i < step->checks->len
                        && i < self->checks->len; i++)
        {
          const NwLessonCheck *check = g_ptr_array_index (step->checks, i);
          NwLessonCheckState *st = &g_array_index (self->checks, NwLessonCheckState, i);
          if (st->met || !is_measured (check->metric)
              || !(check->at_step >= 0 ? at >= check->at_step : settled && !job->resume))
            continue;
          switch (check->metric)
            {
            case NW_LESSON_METRIC_LOSS:          st->figure = job->loss; break;
            case NW_LESSON_METRIC_ACCURACY:      st->figure = job->acc; break;
            case NW_LESSON_METRIC_TEST_LOSS:     st->figure = job->test_loss; break;
            case NW_LESSON_METRIC_TEST_ACCURACY: st->figure = job->test_acc; break;
            case NW_LESSON_METRIC_STEP:          st->figure = (double) at; break;
            default:                             st->figure = (double) job->epoch; break;
            }
          mark (self, i, check, st);
        }
      if (job->error != NULL)
        say (self, _("The lesson could not measure the run: %s"), job->error->message);
      if (job->resume && self->train != NULL)
        start_training (self, self->train, TRUE);
    }
  measure_job_free (job);
  return G_SOURCE_REMOVE;
}

static void
measure_on_runner (NwTrainer *trainer, gpointer data)
{
  MeasureJob *job = data;
  NW_HANDOFF_ACQUIRE (job);
  job->step = nw_trainer_get_step (trainer);
  job->epoch = nw_trainer_get_epoch (trainer);
  job->loss = job->acc = job->test_loss = job->test_acc = NAN;
  if (nw_trainer_evaluate (trainer, FALSE, &job->loss, &job->acc, &job->error)
      && nw_trainer_get_data (trainer)->test.n > 0)
    nw_trainer_evaluate (trainer, TRUE, &job->test_loss, &job->test_acc, &job->error);
  NW_HANDOFF_RELEASE (job);
  nw_report_to_context (job->context, measure_report, job);
}

static void
measure_dropped (gpointer data)
{
  MeasureJob *job = data;
  if (job->error == NULL)
    g_set_error_literal (&job->error, NW_LESSON_ERROR, NW_LESSON_ERROR_RUN,
                         _("training stopped before the run was measured"));
  NW_HANDOFF_RELEASE (job);
  nw_report_to_context (job->context, measure_report, job);
}

/* Measures the run as it is once the commands sent so far are done: the figures of the
 * checks due there (loss and accuracy of a whole split in evaluation mode, step, epoch). */
static void
measure (NwLessonPlayer *self, gboolean resume)
{
  NwRunner *runner = nw_session_get_runner (self->session);
  MeasureJob *job;
  if (runner == NULL)
    {
      if (resume && self->train != NULL)
        start_training (self, self->train, TRUE);
      return;
    }
  job = g_new0 (MeasureJob, 1);
  g_weak_ref_init (&job->player, self);
  job->context = g_main_context_ref_thread_default ();
  job->moves = self->moves;
  job->offset = self->offset;
  job->resume = resume;
  self->measuring = TRUE;
  NW_HANDOFF_RELEASE (job);
  nw_runner_call (runner, measure_on_runner, job, measure_dropped);
}

/* Runs the step's actions from `next_action` until one waits (a train action, a question,
 * weights still being written), or to the end. */
static void
run_actions (NwLessonPlayer *self)
{
  const NwLessonStep *step = current (self);
  if (step == NULL || self->left)
    return;
  /* Putting a step's start back needs its weights on disk; anything else may go ahead of a
   * capture still being written (the runner writes it before the commands sent after). */
  if (self->restore_wanted && self->io_pending > 0)
    return;
  if (self->restore_wanted)
    {
      Capture *c = g_ptr_array_index (self->captures, self->step);
      g_autoptr (GFile) file = NULL;
      self->restore_wanted = FALSE;
      nw_session_set_playing (self->session, FALSE);
      nw_session_set_spec (self->session, nw_spec_copy (c->spec), NULL);
      self->offset = 0;
      if (c->written)
        {
          file = g_file_new_for_path (c->weights);
          nw_session_load_weights_when_ready (self->session, file);
          self->offset = c->step;
        }
      self->run_step = self->offset;
      self->last_loss = self->last_acc = NAN;
    }
  self->run_wanted = FALSE;
  while (self->train == NULL && self->next_action < step->actions->len)
    {
      const NwLessonAction *a = g_ptr_array_index (step->actions, self->next_action);
      g_autoptr (GError) error = NULL;
      if (a->kind == NW_LESSON_ACTION_TRAIN && self->question == NW_LESSON_QUESTION_ASKED)
        return;   /* the class answers first */
      if (a->kind == NW_LESSON_ACTION_RESTORE && self->io_pending > 0)
        {
          self->run_wanted = TRUE;   /* once the slot is written */
          return;
        }
      self->next_action++;
      switch (a->kind)
        {
        case NW_LESSON_ACTION_LOAD:
        case NW_LESSON_ACTION_SET:
        case NW_LESSON_ACTION_ENABLE:
          if (!apply_spec_action (self, a, &error))
            say (self, _("Step %d, action %u: %s"), self->step + 1, self->next_action,
                 error->message);
          break;
        case NW_LESSON_ACTION_RESET:
          nw_session_reset (self->session);
          self->offset = 0;
          self->run_step = 0;
          self->last_loss = self->last_acc = NAN;
      self->last_loss = self->last_acc = NAN;
          break;
        case NW_LESSON_ACTION_WEIGHTS:
          if (!set_params (self, a, &error))
            say (self, _("Step %d, action %u: %s"), self->step + 1, self->next_action,
                 error->message);
          break;
        case NW_LESSON_ACTION_TRAIN:
          start_training (self, a, FALSE);
          break;
        case NW_LESSON_ACTION_PACE:
          self->pace = a->steps_per_s;
          nw_session_set_pace (self->session, self->pace);
          g_signal_emit (self, signals[PACE_CHANGED], 0);
          break;
        case NW_LESSON_ACTION_SHOW:
          self->views = a->views;
          g_signal_emit (self, signals[VIEWS_CHANGED], 0);
          break;
        case NW_LESSON_ACTION_MODE:
          self->mode = a->mode;
          g_signal_emit (self, signals[MODE_CHANGED], 0);
          break;
        case NW_LESSON_ACTION_DEVICE:
          nw_session_set_device (self->session, a->device == NW_LESSON_DEVICE_CPU
                                 ? NW_BACKEND_CPU : NW_BACKEND_CL, NULL);
          break;
        case NW_LESSON_ACTION_SAVE:
          {
            g_autofree char *path = slot_path (self, a->slot);
            if (!write_weights (self, path, -1, 0))
              say (self, _("Step %d: there are no weights to save yet"), self->step + 1);
          }
          break;
        case NW_LESSON_ACTION_RESTORE:
          {
            g_autofree char *path = slot_path (self, a->slot);
            g_autoptr (GFile) file = g_file_new_for_path (path);
            if (!g_file_test (path, G_FILE_TEST_EXISTS))
              say (self, _("Step %d: no weights were saved as “%s”"), self->step + 1, a->slot);
            else
              {
                nw_session_load_weights_when_ready (self->session, file);
                self->offset = 0;
                self->run_step = 0;
                self->last_loss = self->last_acc = NAN;
          self->last_loss = self->last_acc = NAN;
      self->last_loss = self->last_acc = NAN;
              }
          }
          break;
        default:
          break;
        }
    }
  if (self->train == NULL && self->next_action >= step->actions->len)
    {
      g_signal_emit (self, signals[STEP_DONE], 0);
      measure (self, FALSE);   /* the figures of the checks of the step's end */
    }
}

/* ---- moving through the lesson ---- */

static void
reset_checks (NwLessonPlayer *self)
{
  const NwLessonStep *step = current (self);
  g_array_set_size (self->checks, 0);
  if (step != NULL)
    g_array_set_size (self->checks, step->checks->len);
  for (guint i = 0; i < self->checks->len; i++)
    {
      NwLessonCheckState *st = &g_array_index (self->checks, NwLessonCheckState, i);
      *st = (NwLessonCheckState) { .figure = NAN };
    }
}

/* Keeps the network and weights as they are now, as step `index`'s start. */
static void
capture (NwLessonPlayer *self, int index)
{
  const NwSpec *spec = nw_session_get_spec (self->session);
  g_autofree char *name = g_strdup_printf ("step-%d.safetensors", index + 1);
  Capture *c = g_new0 (Capture, 1);
  c->id = ++self->capture_ids;
  c->spec = nw_spec_copy (spec != NULL ? spec : self->lesson->spec);
  c->weights = g_build_filename (self->dir, name, NULL);
  c->step = self->run_step;
  if ((guint) index >= self->captures->len)
    g_ptr_array_set_size (self->captures, index + 1);
  capture_free (g_ptr_array_index (self->captures, index));
  g_ptr_array_index (self->captures, index) = c;
  if (!write_weights (self, c->weights, index, c->id))
    g_clear_pointer (&c->weights, g_free);
}

static void
enter (NwLessonPlayer *self, int index, gboolean restore)
{
  const NwLessonStep *step;
  nw_session_set_playing (self->session, FALSE);
  nw_session_pause_when (self->session, NULL);
  self->train = NULL;
  self->moves++;
  self->measuring = FALSE;
  self->step = index;
  step = current (self);
  if (!restore)
    capture (self, index);
  self->restore_wanted = restore;
  self->next_action = 0;
  self->question = step->question != NULL ? NW_LESSON_QUESTION_ASKED : NW_LESSON_QUESTION_NONE;
  self->choice = -1;
  reset_checks (self);
  g_signal_emit (self, signals[STEP_CHANGED], 0);
  g_signal_emit (self, signals[QUESTION_CHANGED], 0);
  self->run_wanted = TRUE;
  run_actions (self);
}

gboolean
nw_lesson_player_go (NwLessonPlayer *self, int index)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), FALSE);
  if (self->left || index < 0 || (guint) index >= self->lesson->steps->len)
    return FALSE;
  /* Back to a step entered before: as it was then. Forward: from the run as it is. */
  enter (self, index, index <= self->step && (guint) index < self->captures->len
                      && g_ptr_array_index (self->captures, index) != NULL);
  return TRUE;
}

gboolean
nw_lesson_player_next (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), FALSE);
  return nw_lesson_player_go (self, self->step + 1);
}

gboolean
nw_lesson_player_back (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), FALSE);
  return nw_lesson_player_go (self, self->step - 1);
}

void
nw_lesson_player_restart (NwLessonPlayer *self)
{
  g_return_if_fail (NW_IS_LESSON_PLAYER (self));
  if (!self->left && current (self) != NULL)
    nw_lesson_player_go (self, self->step);
}

gboolean
nw_lesson_player_start (NwLessonPlayer *self, GError **error)
{
  const NwSpec *before;
  g_autoptr (NwSpec) previous = NULL;
  g_autoptr (GFile) previous_file = NULL;
  gboolean previous_modified;
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), FALSE);
  g_return_val_if_fail (self->step < 0, FALSE);
  before = nw_session_get_spec (self->session);
  previous = before != NULL ? nw_spec_copy (before) : NULL;
  if (nw_session_get_file (self->session) != NULL)
    previous_file = g_object_ref (nw_session_get_file (self->session));
  previous_modified = nw_session_get_modified (self->session);
  nw_session_set_playing (self->session, FALSE);
  nw_session_set_spec (self->session, nw_spec_copy (self->lesson->spec), NULL);
  /* A network that cannot train: the session goes back to what it showed. (Loaded data is
   * checked once it is in; the session reports a failure there itself.) */
  if (!nw_session_get_busy (self->session) && !nw_session_get_valid (self->session))
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_RUN, "%s: spec: %s",
                   self->lesson->origin != NULL ? self->lesson->origin : self->lesson->id,
                   nw_session_get_invalid_reason (self->session));
      if (previous != NULL)
        {
          nw_session_set_spec (self->session, g_steal_pointer (&previous), previous_file);
          nw_session_set_modified (self->session, previous_modified);
        }
      return FALSE;
    }
  self->offset = 0;
  self->run_step = 0;
  self->last_loss = self->last_acc = NAN;
  self->views = self->lesson->views;
  self->mode = NW_LESSON_MODE_EVAL;
  self->pace = self->lesson->pace;
  nw_session_set_pace (self->session, self->pace);
  g_signal_emit (self, signals[VIEWS_CHANGED], 0);
  g_signal_emit (self, signals[MODE_CHANGED], 0);
  g_signal_emit (self, signals[PACE_CHANGED], 0);
  enter (self, 0, FALSE);
  return TRUE;
}

/* ---- the question ---- */

void
nw_lesson_player_answer (NwLessonPlayer *self, int choice)
{
  const NwLessonStep *step;
  g_return_if_fail (NW_IS_LESSON_PLAYER (self));
  step = current (self);
  if (self->left || step == NULL || step->question == NULL
      || self->question != NW_LESSON_QUESTION_ASKED
      || choice < 0 || (guint) choice >= step->question->choices->len)
    return;
  self->question = NW_LESSON_QUESTION_ANSWERED;
  self->choice = choice;
  g_signal_emit (self, signals[QUESTION_CHANGED], 0);
  run_actions (self);
}

void
nw_lesson_player_reveal (NwLessonPlayer *self)
{
  const NwLessonStep *step;
  g_return_if_fail (NW_IS_LESSON_PLAYER (self));
  step = current (self);
  if (self->left || step == NULL || self->question != NW_LESSON_QUESTION_ASKED)
    return;
  self->question = NW_LESSON_QUESTION_REVEALED;
  g_signal_emit (self, signals[QUESTION_CHANGED], 0);
  run_actions (self);
}

/* ---- snapshots: train conditions and checks ---- */

/* The figure of `check` in `snap`; FALSE when a snapshot does not give it (the output of one
 * example: `neurowire-cli lesson check` computes it). */
static gboolean
figure_of (NwLessonPlayer *self, const NwLessonCheck *check, const NwSnapshot *snap,
           const NwRunnerStatus *status, double *figure)
{
  switch (check->metric)
    {
    case NW_LESSON_METRIC_LOSS:          *figure = self->last_loss; return isfinite (*figure);
    case NW_LESSON_METRIC_ACCURACY:      *figure = self->last_acc; return isfinite (*figure);
    case NW_LESSON_METRIC_TEST_LOSS:     *figure = snap->test_loss; return isfinite (*figure);
    case NW_LESSON_METRIC_TEST_ACCURACY: *figure = snap->test_acc; return isfinite (*figure);
    case NW_LESSON_METRIC_GRAD_RATIO:    *figure = snap->first_last_ratio; return isfinite (*figure);
    case NW_LESSON_METRIC_STEP:          *figure = (double) self->run_step; return TRUE;
    case NW_LESSON_METRIC_EPOCH:         *figure = (double) snap->epoch; return TRUE;
    case NW_LESSON_METRIC_DIVERGED:      *figure = status->error != NULL ? 1 : 0; return TRUE;
    case NW_LESSON_METRIC_STEPS_PER_S:   *figure = status->steps_per_s; return TRUE;
    case NW_LESSON_METRIC_GRAD_NORM:
    case NW_LESSON_METRIC_DEAD_UNITS:
      for (int i = 0; i < snap->n_layers; i++)
        if (g_strcmp0 (snap->layers[i].id, check->node) == 0)
          {
            *figure = check->metric == NW_LESSON_METRIC_GRAD_NORM
                      ? snap->layers[i].grad_norm : snap->layers[i].dead_units;
            return isfinite (*figure);
          }
      return FALSE;
    default:
      return FALSE;
    }
}

static void
judge (NwLessonPlayer *self, const NwLessonCheck *check, NwLessonCheckState *st)
{
  const double *other = check->other != NULL ? g_hash_table_lookup (self->named, check->other) : NULL;
  st->judged = TRUE;
  switch (check->compare)
    {
    case NW_LESSON_COMPARE_NEAR:  st->passed = fabs (st->figure - check->value) <= check->tol; break;
    case NW_LESSON_COMPARE_BELOW: st->passed = st->figure < check->value; break;
    case NW_LESSON_COMPARE_ABOVE: st->passed = st->figure > check->value; break;
    case NW_LESSON_COMPARE_BELOW_CHECK:
      st->judged = other != NULL;
      st->passed = other != NULL && st->figure < *other;
      break;
    case NW_LESSON_COMPARE_ABOVE_CHECK:
      st->judged = other != NULL;
      st->passed = other != NULL && st->figure > *other;
      break;
    case NW_LESSON_COMPARE_NEAR_CHECK:
      st->judged = other != NULL;
      st->passed = other != NULL && fabs (st->figure - *other) <= check->tol;
      break;
    default:
      st->judged = FALSE;
      st->passed = TRUE;
      break;
    }
}

static gboolean
train_done (NwLessonPlayer *self, const NwSnapshot *snap, const NwRunnerStatus *status)
{
  const NwLessonAction *a = self->train;
  if (status->error != NULL)
    return TRUE;   /* diverged: nothing more comes of this run */
  switch (a->until)
    {
    case NW_LESSON_UNTIL_STEP:
      return self->run_step >= a->n;
    case NW_LESSON_UNTIL_EPOCHS:
      return snap->epoch >= a->n;
    case NW_LESSON_UNTIL_LOSS_BELOW:
      /* The loss's own stop is the runner's (a step's loss, not a snapshot's mean): "paused" */
      return a->n > 0 && self->run_step >= a->n;   /* max_steps: the run's step count */
    }
  return TRUE;
}

/* The run paused by itself: a train action's condition (exact, never overshot), the budget
 * or an error. A pause that belongs to an earlier train action (the class moved on as it
 * came) does not end this one. */
static void
on_paused (NwSession *session, int reason, gint64 step, NwLessonPlayer *self)
{
  const NwLessonAction *a = self->train;
  gint64 at = step + self->offset;
  gboolean ours;
  if (a == NULL || self->left)
    return;
  switch (reason)
    {
    case NW_PAUSE_AT_STEP:
      /* the end of a train action, its max_steps, or a stop for a check */
      ours = (a->until == NW_LESSON_UNTIL_STEP && at >= a->n)
             || a->until == NW_LESSON_UNTIL_LOSS_BELOW
             || at == next_check_stop (self, MAX (at - 1, self->stopped_at));
      break;
    case NW_PAUSE_LOSS_BELOW:
      ours = a->until == NW_LESSON_UNTIL_LOSS_BELOW;
      break;
    case NW_PAUSE_EPOCH_END:
      ours = a->until == NW_LESSON_UNTIL_EPOCHS;
      break;
    case NW_PAUSE_BUDGET:
    case NW_PAUSE_ERROR:
      ours = TRUE;
      break;
    default:
      ours = FALSE;
      break;
    }
  if (!ours)
    return;
  self->run_step = at;
  if (reason == NW_PAUSE_AT_STEP && at == next_check_stop (self, MAX (at - 1, self->stopped_at))
      && !(a->until == NW_LESSON_UNTIL_STEP && at >= a->n))
    {
      /* A stop for a check on the way: measure there, then train on. */
      self->stopped_at = at;
      if (nw_session_get_runner (session) != NULL)
        nw_runner_request_snapshot (nw_session_get_runner (session));
      measure (self, TRUE);
      return;
    }
  self->train = NULL;
  /* The views (and the checks) get the network as it paused. */
  if (nw_session_get_runner (session) != NULL)
    nw_runner_request_snapshot (nw_session_get_runner (session));
  run_actions (self);
}

void
nw_lesson_player_take_snapshot (NwLessonPlayer *self, const NwSnapshot *snap,
                                const NwRunnerStatus *status)
{
  const NwLessonStep *step;
  gboolean settled;
  g_return_if_fail (NW_IS_LESSON_PLAYER (self));
  step = current (self);
  if (self->left || step == NULL || snap == NULL || status == NULL)
    return;
  self->run_step = snap->step + self->offset;
  if (isfinite (snap->train_loss))
    {
      self->last_loss = snap->train_loss;
      self->last_acc = snap->train_acc;
    }
  if (self->train != NULL && train_done (self, snap, status))
    {
      self->train = NULL;
      nw_session_pause_when (self->session, NULL);
      /* The runner paused at the condition already; the session may not have heard yet. */
      nw_session_set_playing (self->session, FALSE);
      run_actions (self);
    }
  /* Checks without a step of their own are met once the step's actions have all run. */
  settled = self->train == NULL && self->next_action >= step->actions->len
            && self->io_pending == 0 && !self->restore_wanted
            && self->question != NW_LESSON_QUESTION_ASKED;
  for (guint i = 0; i < self->checks->len && i < step->checks->len; i++)
    {
      const NwLessonCheck *check = g_ptr_array_index (step->checks, i);
      NwLessonCheckState *st = &g_array_index (self->checks, NwLessonCheckState, i);
      gboolean due = check->at_step >= 0 ? self->run_step >= check->at_step : settled;
      /* loss, accuracy, step and epoch are measured on the runner (measure ()), exactly */
      if (st->met || !due || self->question == NW_LESSON_QUESTION_ASKED
          || (is_measured (check->metric) && nw_session_get_runner (self->session) != NULL))
        continue;
      if (!figure_of (self, check, snap, status, &st->figure))
        {
          if (check->metric != NW_LESSON_METRIC_OUTPUT)
            continue;   /* the next snapshot may have it (a test pass) */
          st->figure = NAN;
        }
      st->met = TRUE;
      if (isfinite (st->figure))
        judge (self, check, st);
      if (check->name != NULL && isfinite (st->figure))
        g_hash_table_insert (self->named, g_strdup (check->name), g_memdup2 (&st->figure, sizeof (double)));
      g_signal_emit (self, signals[CHECK_MET], 0, (int) i);
    }
}

/* ---- leaving ---- */

void
nw_lesson_player_leave (NwLessonPlayer *self)
{
  g_return_if_fail (NW_IS_LESSON_PLAYER (self));
  if (self->left)
    return;
  self->left = TRUE;
  self->train = NULL;
  nw_session_set_playing (self->session, FALSE);
  nw_session_pause_when (self->session, NULL);
  nw_session_set_pace (self->session, 0);
  g_signal_emit (self, signals[LEFT], 0);
}

gboolean
nw_lesson_player_get_left (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), TRUE);
  return self->left;
}

/* ---- getters ---- */

const NwLesson *
nw_lesson_player_get_lesson (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), NULL);
  return self->lesson;
}

NwSession *
nw_lesson_player_get_session (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), NULL);
  return self->session;
}

int
nw_lesson_player_get_step (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), -1);
  return self->step;
}

int
nw_lesson_player_get_n_steps (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), 0);
  return (int) self->lesson->steps->len;
}

const NwLessonStep *
nw_lesson_player_get_current (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), NULL);
  return current (self);
}

NwLessonQuestionState
nw_lesson_player_get_question_state (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), NW_LESSON_QUESTION_NONE);
  return self->question;
}

int
nw_lesson_player_get_choice (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), -1);
  return self->choice;
}

guint
nw_lesson_player_get_views (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), 0);
  return self->views;
}

NwLessonMode
nw_lesson_player_get_mode (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), NW_LESSON_MODE_EVAL);
  return self->mode;
}

double
nw_lesson_player_get_pace (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), 0);
  return self->pace;
}

gboolean
nw_lesson_player_get_training (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), FALSE);
  return self->train != NULL;
}

gboolean
nw_lesson_player_get_step_done (NwLessonPlayer *self)
{
  const NwLessonStep *step;
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), FALSE);
  step = current (self);
  return step != NULL && self->train == NULL && self->next_action >= step->actions->len
         && !self->restore_wanted && self->question != NW_LESSON_QUESTION_ASKED;
}

gint64
nw_lesson_player_get_run_step (NwLessonPlayer *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), 0);
  return self->run_step;
}

const NwLessonCheckState *
nw_lesson_player_get_checks (NwLessonPlayer *self, int *n)
{
  g_return_val_if_fail (NW_IS_LESSON_PLAYER (self), NULL);
  if (n != NULL)
    *n = (int) self->checks->len;
  return (const NwLessonCheckState *) (gpointer) self->checks->data;
}

/* ---- life cycle ---- */

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
nw_lesson_player_dispose (GObject *object)
{
  NwLessonPlayer *self = NW_LESSON_PLAYER (object);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  G_OBJECT_CLASS (nw_lesson_player_parent_class)->dispose (object);
}

static void
nw_lesson_player_finalize (GObject *object)
{
  NwLessonPlayer *self = NW_LESSON_PLAYER (object);
  g_ptr_array_unref (self->captures);
  g_array_unref (self->checks);
  g_hash_table_unref (self->named);
  nw_lesson_free (self->lesson);
  g_clear_object (&self->session);
  /* Weights still being written land in a folder that is gone: their write fails, and the
   * report finds no player. */
  if (self->dir != NULL)
    remove_dir (self->dir);
  g_free (self->dir);
  G_OBJECT_CLASS (nw_lesson_player_parent_class)->finalize (object);
}

static void
nw_lesson_player_class_init (NwLessonPlayerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nw_lesson_player_dispose;
  G_OBJECT_CLASS (klass)->finalize = nw_lesson_player_finalize;
#define SIGNAL(id, name) \
  signals[id] = g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, \
                              NULL, NULL, NULL, G_TYPE_NONE, 0)
  SIGNAL (STEP_CHANGED, "step-changed");
  SIGNAL (QUESTION_CHANGED, "question-changed");
  SIGNAL (VIEWS_CHANGED, "views-changed");
  SIGNAL (MODE_CHANGED, "mode-changed");
  SIGNAL (PACE_CHANGED, "pace-changed");
  SIGNAL (STEP_DONE, "step-done");
  SIGNAL (LEFT, "left");
#undef SIGNAL
  signals[CHECK_MET] = g_signal_new ("check-met", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
nw_lesson_player_init (NwLessonPlayer *self)
{
  self->step = -1;
  self->choice = -1;
  self->captures = g_ptr_array_new_with_free_func (capture_free);
  self->checks = g_array_new (FALSE, TRUE, sizeof (NwLessonCheckState));
  self->last_loss = self->last_acc = NAN;
  self->named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

NwLessonPlayer *
nw_lesson_player_new (NwSession *session, NwLesson *lesson)
{
  NwLessonPlayer *self;
  g_autoptr (GError) error = NULL;
  g_return_val_if_fail (NW_IS_SESSION (session) && lesson != NULL, NULL);
  self = g_object_new (NW_TYPE_LESSON_PLAYER, NULL);
  self->session = g_object_ref (session);
  self->lesson = lesson;
  g_signal_connect (session, "paused", G_CALLBACK (on_paused), self);
  self->dir = g_dir_make_tmp ("neurowire-lesson-XXXXXX", &error);
  if (self->dir == NULL)
    g_warning ("no temporary folder for the lesson's weights: %s", error->message);
  return self;
}
