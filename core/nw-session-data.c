/* nw-session-data.c: data that is loaded rather than generated (MNIST, a CSV file), in the
 * background with progress, and trainers for large data built off the main thread. Until a
 * loaded network is ready, and when loading fails, the session keeps the network it had; a
 * missing MNIST says how to get it.
 *
 * Every job holds a weak reference to its session, the session's cancellable for that job,
 * and a count in the session's NwJobs (so a closing program and the tests can wait for the
 * worker); its result is dropped when the session is gone or the job was superseded. */
#include "nw-session-private.h"
#include "nw-i18n.h"

#include "nw-data-loader.h"
#include "nw-handoff.h"

#include <string.h>

/* Above this many values a trainer is built off the main thread (MNIST: 47 million). */
#define LARGE_DATA_VALUES 1000000

/* The loaded data of the current network, shared with the jobs that copy it for trainers and
 * with readers (the digit view reads its test split in place). */
typedef struct {
  NwDataset *ds;
} Shared;

static void
shared_clear (gpointer data)
{
  nw_dataset_free (((Shared *) data)->ds);
}

static Shared *
shared_new (NwDataset *ds)
{
  Shared *s = g_atomic_rc_box_new0 (Shared);
  s->ds = ds;
  return s;
}

static void
shared_unref (Shared *s)
{
  if (s != NULL)
    g_atomic_rc_box_release_full (s, shared_clear);
}

struct _NwSessionData {
  GCancellable       *cancel;       /* the load or build in flight; NULL when none */
  Shared             *loaded;       /* the current network's loaded (non-2D) data, or NULL */
  NwDigitSet         *mixed;        /* the user's digits in the current trainer's data */
  NwSessionDigitsFunc digits_func;
  gpointer            digits_data;
};

struct _NwDataSource {
  GArray     *points;         /* 2D points, or NULL */
  char       *name;
  Shared     *shared;         /* loaded data, or NULL */
  NwDigitSet *digits;         /* the user's digits to add to its training split, or NULL */
};

/* Loaded data plus the user's digits (each NW_SESSION_MIX_REPEAT times): a new dataset, on
 * any thread. */
static NwDataset *
copy_with_digits (const NwDataset *ds, const NwDigitSet *digits, GError **error)
{
  NwDataset *copy = nw_dataset_copy (ds);
  if (digits != NULL && !nw_dataset_append_digits (copy, digits, NW_SESSION_MIX_REPEAT, error))
    g_clear_pointer (&copy, nw_dataset_free);
  return copy;
}

static NwDigitSet *
dup_mix_set (NwSession *self)
{
  NwSessionData *d = self->data;
  return d->digits_func != NULL ? d->digits_func (d->digits_data) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Data sources                                                                                 */

NwDataSource *
nw_session_data_source (NwSession *self)
{
  NwDataSource *src = g_new0 (NwDataSource, 1);
  if (self->points != NULL)
    {
      src->points = g_array_copy (self->points);
      src->name = g_strdup (nw_data_kind_name (self->spec->data.kind));
    }
  else if (self->data->loaded != NULL)
    {
      src->shared = g_atomic_rc_box_acquire (self->data->loaded);
      /* The same data as the running trainer's (a trainer on another device takes it over). */
      src->digits = self->data->mixed != NULL ? nw_digit_set_copy (self->data->mixed) : NULL;
    }
  return src;
}

NwDataset *
nw_data_source_make (NwDataSource *src)
{
  if (src->points != NULL)
    return nw_points_to_dataset ((const NwPoint *) src->points->data, src->points->len, src->name);
  if (src->shared != NULL)
    {
      g_autoptr (GError) error = NULL;
      NwDataset *ds = copy_with_digits (src->shared->ds, src->digits, &error);
      if (ds == NULL)
        {
          g_warning ("the user's digits were left out: %s", error->message);
          ds = nw_dataset_copy (src->shared->ds);
        }
      return ds;
    }
  return NULL;
}

gboolean
nw_data_source_is_spec_data (NwDataSource *src)
{
  return src->points == NULL;
}

void
nw_data_source_free (NwDataSource *src)
{
  if (src == NULL)
    return;
  g_clear_pointer (&src->points, g_array_unref);
  g_free (src->name);
  shared_unref (src->shared);
  g_clear_pointer (&src->digits, nw_digit_set_free);
  g_free (src);
}

/* ------------------------------------------------------------------------------------------ */
/* What the session says                                                                        */

static void
progress (NwSession *self, double fraction, const char *what)
{
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DATA_PROGRESS], 0, fraction, what);
}

static void
status (NwSession *self, gboolean error, const char *text)
{
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DATA_STATUS], 0, text, error);
}

static const char *
data_title (const NwDataSpec *spec)
{
  /* Translators: what is loading, in "Loading %s…" and "Could not load %s: …" */
  return spec->kind == NW_DATA_MNIST ? "MNIST"
         : spec->kind == NW_DATA_FASHION_MNIST ? "Fashion-MNIST"
         : spec->kind == NW_DATA_CSV ? _("the CSV file") : _("the data");
}

/* What the trainer learns from: the loaded data, and the user's digits mixed in. */
static void
show_loaded_status (NwSession *self, const NwDataset *ds, const NwDigitSet *digits)
{
  guint n_mixed = digits != NULL ? nw_digit_set_get_n (digits) : 0;
  g_autofree char *text = NULL;
  if (n_mixed > 0)
    /* Translators: the data set; its training rows; the user's digits mixed in, and how
     * often each; its test rows; the values of a row */
    text = g_strdup_printf (_("%s: %d training (and %u of your digits, each %d times) and %d "
                              "test examples of %d values"), ds->name, ds->train.n, n_mixed,
                            NW_SESSION_MIX_REPEAT, ds->test.n, ds->train.d);
  else
    /* Translators: the data set; its training rows; its test rows; the values of a row */
    text = g_strdup_printf (_("%s: %d training and %d test examples of %d values"), ds->name,
                            ds->train.n, ds->test.n, ds->train.d);
  status (self, FALSE, text);
}

/* ------------------------------------------------------------------------------------------ */
/* Jobs                                                                                         */

typedef struct {
  GWeakRef      session;
  NwJobs       *jobs;
  GCancellable *cancel;
  NwSpec       *spec;         /* what to open, or a copy of the network to rebuild */
  GFile        *file;         /* where it came from (opening); may be NULL */
  char         *name;         /* for messages */
  Shared       *shared;       /* the loaded data */
  NwDigitSet   *digits;       /* the user's digits to mix in (rebuilds), or NULL */
  GTask        *open_task;    /* nw_session_open_async's, or NULL */
  guint         generation;   /* rebuilds: the session's when started */
  gboolean      open;         /* opening (the network is adopted) rather than rebuilding */
} Job;

static Job *
job_new (NwSession *self, NwSpec *spec, GFile *file, gboolean open)
{
  Job *job = g_new0 (Job, 1);
  gboolean was_busy = nw_session_get_busy (self);
  g_weak_ref_init (&job->session, self);
  job->jobs = nw_jobs_ref (self->jobs);
  nw_jobs_begin (job->jobs);
  /* A new job supersedes the one before. */
  if (self->data->cancel != NULL)
    g_cancellable_cancel (self->data->cancel);
  g_clear_object (&self->data->cancel);
  self->data->cancel = g_cancellable_new ();
  job->cancel = g_object_ref (self->data->cancel);
  job->spec = spec;
  job->file = file != NULL ? g_object_ref (file) : NULL;
  if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);
      job->name = path != NULL ? g_filename_display_name (path) : g_file_get_uri (file);
    }
  else
    job->name = g_strdup (spec->name != NULL ? spec->name : _("the network"));
  job->generation = self->generation;
  job->open = open;
  if (!was_busy)
    nw_session_notify_busy (self);
  return job;
}

/* Plain memory and thread-safe references only: a GTask may free its data on its worker. */
static void
job_free (Job *job)
{
  NW_HANDOFF_ACQUIRE (job);
  g_weak_ref_clear (&job->session);
  g_clear_object (&job->cancel);
  g_clear_pointer (&job->spec, nw_spec_free);
  g_clear_object (&job->file);
  g_free (job->name);
  shared_unref (job->shared);
  g_clear_pointer (&job->digits, nw_digit_set_free);
  if (job->open_task != NULL)
    {
      /* Superseded (another network was opened, or the load cancelled) before it was in
       * place: open_task_return has not run. */
      g_task_return_new_error (job->open_task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("the network was not opened: its loading was called off"));
      g_clear_object (&job->open_task);
    }
  nw_jobs_end (job->jobs);
  nw_jobs_unref (job->jobs);
  g_free (job);
}

/* The session, if it is still there and the job still current; else NULL. */
static NwSession *
job_session (Job *job)
{
  NwSession *self = g_weak_ref_get (&job->session);
  if (self != NULL && (g_cancellable_is_cancelled (job->cancel) || self->data == NULL))
    g_clear_object (&self);
  return self;
}

static void
job_done (NwSession *self, Job *job)
{
  if (self->data->cancel == job->cancel)
    {
      g_clear_object (&self->data->cancel);
      nw_session_notify_busy (self);
    }
}

static void
open_task_return (Job *job, const GError *error)
{
  if (job->open_task == NULL)
    return;
  if (error != NULL)
    g_task_return_error (job->open_task, g_error_copy (error));
  else
    g_task_return_boolean (job->open_task, TRUE);
  g_clear_object (&job->open_task);
}

static void
build_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  NwDataset *ds;
  NwTrainer *trainer;
  NW_HANDOFF_ACQUIRE (job);
  ds = copy_with_digits (job->shared->ds, job->digits, &error);
  trainer = ds != NULL ? nw_trainer_new (job->spec, ds, NULL, &error) : NULL;
  NW_HANDOFF_RELEASE (job);
  if (trainer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trainer, (GDestroyNotify) nw_trainer_free);
}

static void
on_built (GObject *source, GAsyncResult *result, gpointer data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (NwSession) self = NULL;
  g_autoptr (GError) error = NULL;
  NwTrainer *trainer;
  /* Given back on every return: GLib may free `job` on the worker after this (job_free). */
  NW_HANDOFF_HOLD (job);
  self = job_session (job);
  trainer = g_task_propagate_pointer (G_TASK (result), &error);

  if (self == NULL || (!job->open && job->generation != self->generation))
    {
      nw_trainer_free (trainer);
      return;
    }
  job_done (self, job);
  if (trainer == NULL)
    {
      self->pending_play = FALSE;
      status (self, TRUE, error->message);
      open_task_return (job, error);
      if (job->open)
        nw_session_message (self, _("Could not open “%s”: %s. The network was not changed."),
                            job->name, error->message);
      else
        {
          nw_session_set_valid (self, FALSE, error->message);
          nw_session_message (self, _("The network cannot train: %s"), error->message);
        }
      return;
    }
  show_loaded_status (self, job->shared->ds, job->digits);
  g_clear_pointer (&self->data->loaded, shared_unref);
  self->data->loaded = g_atomic_rc_box_acquire (job->shared);
  g_clear_pointer (&self->data->mixed, nw_digit_set_free);
  self->data->mixed = g_steal_pointer (&job->digits);
  if (job->open)
    {
      g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DATA_LOADED], 0);
      nw_session_adopt (self, g_steal_pointer (&job->spec), job->file, NULL, trainer);
      open_task_return (job, NULL);
    }
  else
    {
      nw_session_message (self, NULL);
      nw_session_install_trainer (self, trainer, TRUE);
    }
}

/* The data is there: a trainer for it, off the main thread. */
static void
start_build (NwSession *self, Job *job)
{
  g_autoptr (GTask) task = g_task_new (NULL, job->cancel, on_built, NULL);
  g_task_set_name (task, "[neurowire] build trainer");
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  progress (self, -1, _("Preparing the data for training…"));
  NW_HANDOFF_RELEASE (job);
  g_task_run_in_thread (task, build_in_thread);
}

static void
on_load_progress (double fraction, gpointer data)
{
  Job *job = data;
  g_autoptr (NwSession) self = job_session (job);
  if (self != NULL)
    {
      g_autofree char *what = g_strdup_printf (_("Loading %s…"), data_title (&job->spec->data));
      progress (self, fraction, what);
    }
}

static void
report_load_failure (NwSession *self, Job *job, const GError *error)
{
  const NwDataSpec *d = &job->spec->data;
  self->pending_play = FALSE;   /* nothing new to play: the network shown stays paused */
  open_task_return (job, error);
  if (nw_data_error_is_missing_mnist (d, error))
    {
      g_autofree char *dir = nw_data_spec_dir (d, self->data_root);
      g_autofree char *command = nw_data_mnist_fetch_command (dir);
      g_autofree char *text =
        g_strdup_printf (_("MNIST is not on this computer: no files in %s. Get them with\n    %s\n"
                           "(or bash tools/setup.sh, which sets up everything). The network was "
                           "not changed."), dir, command);
      status (self, TRUE, text);
      g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DATA_FAILED], 0, text);
      nw_session_message (self, _("Could not open “%s”: MNIST is not on this computer (no "
                            "files in %s). Get it with “%s”; the network was not changed."),
                          job->name, dir, command);
      return;
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Could not load %s: %s. The network was not "
                                                 "changed."), data_title (d), error->message);
      status (self, TRUE, text);
      g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DATA_FAILED], 0, text);
    }
  nw_session_message (self, _("Could not open “%s”: %s. The network was not changed."),
                      job->name, error->message);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  Job *job = data;
  g_autoptr (NwSession) self = job_session (job);
  g_autoptr (GError) error = NULL;
  NwDataset *ds = nw_data_load_finish (result, &error);
  GArray *points;

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      nw_dataset_free (ds);
      job_free (job);
      return;
    }
  if (ds == NULL)
    {
      job_done (self, job);
      report_load_failure (self, job, error);
      job_free (job);
      return;
    }
  /* 2D points (a CSV file): the session edits and shows them; small, built here. */
  points = nw_points_from_dataset (ds);
  if (points != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s: %u points"), job->name, points->len);
      nw_dataset_free (ds);
      job_done (self, job);
      status (self, FALSE, text);
      nw_session_adopt (self, g_steal_pointer (&job->spec), job->file, points, NULL);
      open_task_return (job, NULL);
      job_free (job);
      return;
    }
  job->shared = shared_new (ds);
  start_build (self, job);
}

void
nw_session_data_open (NwSession *self, NwSpec *spec, GFile *file, GTask *task)
{
  Job *job = job_new (self, spec, file, TRUE);
  g_autofree char *what = g_strdup_printf (_("Loading %s…"), data_title (&spec->data));
  job->open_task = task;
  progress (self, nw_data_kind_is_image (spec->data.kind) ? 0 : -1, what);
  nw_data_load_async (&spec->data, self->data_root, self->jobs, job->cancel, on_load_progress, job,
                      on_loaded, job);
}

/* ------------------------------------------------------------------------------------------ */
/* Trainers for the current network                                                             */

gboolean
nw_session_data_needs_load (const NwSpec *spec)
{
  return nw_data_kind_is_image (spec->data.kind) || spec->data.kind == NW_DATA_CSV;
}

gboolean
nw_session_get_busy (NwSession *self)
{
  return self->data != NULL && self->data->cancel != NULL;
}

guint
nw_session_get_n_mixed (NwSession *self)
{
  return self->data->mixed != NULL ? nw_digit_set_get_n (self->data->mixed) : 0;
}

const NwDataset *
nw_session_get_dataset (NwSession *self)
{
  return self->data->loaded != NULL ? self->data->loaded->ds : NULL;
}

gpointer
nw_session_ref_dataset (NwSession *self)
{
  return self->data->loaded != NULL ? g_atomic_rc_box_acquire (self->data->loaded) : NULL;
}

void
nw_session_unref_dataset (gpointer ref)
{
  shared_unref (ref);
}

void
nw_session_set_digits_func (NwSession *self, NwSessionDigitsFunc func, gpointer data)
{
  self->data->digits_func = func;
  self->data->digits_data = data;
}

void
nw_session_data_forget (NwSession *self)
{
  g_clear_pointer (&self->data->loaded, shared_unref);
  g_clear_pointer (&self->data->mixed, nw_digit_set_free);
}

gboolean
nw_session_data_rebuild (NwSession *self, GError **error)
{
  const NwDataset *ds = nw_session_get_dataset (self);
  NwTrainer *trainer;

  if (self->points == NULL && ds != NULL
      && (gsize) ds->train.n * ds->train.d + (gsize) ds->test.n * ds->test.d > LARGE_DATA_VALUES)
    {
      Job *job;
      NwLoss loss = NW_LOSS_MSE;
      for (guint i = 0; i < self->spec->nodes->len; i++)
        if (((NwNodeSpec *) g_ptr_array_index (self->spec->nodes, i))->kind == NW_NODE_LOSS)
          loss = ((NwNodeSpec *) g_ptr_array_index (self->spec->nodes, i))->loss;
      /* The graph is checked here, at once; the data is copied and uploaded off the main
       * thread. */
      if (!nw_spec_validate (self->spec, ds->train.d,
                             loss == NW_LOSS_SOFTMAX_XENT ? ds->n_classes : ds->train.k,
                             ds->n_classes, NULL, NULL, error))
        return FALSE;
      job = job_new (self, nw_spec_copy (self->spec), NULL, FALSE);
      job->shared = g_atomic_rc_box_acquire (self->data->loaded);
      job->digits = dup_mix_set (self);
      start_build (self, job);
      return TRUE;
    }
  {
    NwDataSource *src = nw_session_data_source (self);
    NwDigitSet *wanted = self->points == NULL && ds != NULL ? dup_mix_set (self) : NULL;
    g_clear_pointer (&src->digits, nw_digit_set_free);
    src->digits = wanted != NULL ? nw_digit_set_copy (wanted) : NULL;
    trainer = nw_trainer_new (self->spec, nw_data_source_make (src), NULL, error);
    nw_data_source_free (src);
    if (trainer == NULL)
      {
        nw_digit_set_free (wanted);
        return FALSE;
      }
    if (self->data->loaded != NULL)
      {
        g_clear_pointer (&self->data->mixed, nw_digit_set_free);
        self->data->mixed = wanted;
        show_loaded_status (self, self->data->loaded->ds, wanted);
      }
    else
      nw_digit_set_free (wanted);
  }
  nw_session_install_trainer (self, trainer, TRUE);
  return TRUE;
}

void
nw_session_cancel_load (NwSession *self)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (self->data->cancel == NULL)
    return;
  g_cancellable_cancel (self->data->cancel);
  g_clear_object (&self->data->cancel);
  nw_session_notify_busy (self);
  status (self, FALSE, _("Loading was cancelled; the network was not changed."));
}

void
nw_session_data_init (NwSession *self)
{
  self->data = g_new0 (NwSessionData, 1);
}

void
nw_session_data_dispose (NwSession *self)
{
  if (self->data == NULL)
    return;
  if (self->data->cancel != NULL)
    g_cancellable_cancel (self->data->cancel);
  g_clear_object (&self->data->cancel);
  g_clear_pointer (&self->data->loaded, shared_unref);
  g_clear_pointer (&self->data->mixed, nw_digit_set_free);
  g_clear_pointer (&self->data, g_free);
}
