/* nw-data-loader.c: a GTask per load; progress handed to the caller's main context through
 * one idle source at a time. */
#include "nw-data-loader.h"
#include "nw-i18n.h"

#include "nw-handoff.h"
#include "nw-jobs.h"

#include <string.h>

typedef struct {
  gatomicrefcount    refs;
  NwDataSpec         spec;          /* own copy (path duplicated) */
  GMainContext      *context;       /* the caller's */
  GCancellable      *cancellable;   /* may be NULL */
  NwDataLoadProgress progress;
  gpointer           progress_data;
  /* progress hand-off, under `lock` */
  GMutex             lock;
  double             fraction;
  gboolean           idle_pending;
  /* main thread only */
  gboolean           finished;      /* the callback ran: no progress after it */
  NwJobs            *jobs;          /* counted there until the last reference goes; may be NULL */
} Job;

static Job *
job_ref (Job *job)
{
  g_atomic_ref_count_inc (&job->refs);
  return job;
}

static void
job_unref (gpointer data)
{
  Job *job = data;
  /* GLib's reference count is not instrumented: the last holder takes over from the others. */
  NW_HANDOFF_RELEASE (job);
  if (!g_atomic_ref_count_dec (&job->refs))
    return;
  NW_HANDOFF_ACQUIRE (job);
  g_free (job->spec.path);
  g_main_context_unref (job->context);
  g_clear_object (&job->cancellable);
  g_mutex_clear (&job->lock);
  if (job->jobs != NULL)
    {
      nw_jobs_end (job->jobs);
      nw_jobs_unref (job->jobs);
    }
  g_free (job);
}

/* GMutex, with its hand-off announced to ThreadSanitizer (nw-handoff.h). */
static void
job_lock (Job *job)
{
  g_mutex_lock (&job->lock);
  NW_HANDOFF_ACQUIRE (&job->lock);
}

static void
job_unlock (Job *job)
{
  NW_HANDOFF_RELEASE (&job->lock);
  g_mutex_unlock (&job->lock);
}

/* On the caller's main context. */
static gboolean
deliver_progress (gpointer data)
{
  Job *job = data;
  double fraction;
  job_lock (job);
  fraction = job->fraction;
  job->idle_pending = FALSE;
  job_unlock (job);
  if (!job->finished && job->progress != NULL
      && (job->cancellable == NULL || !g_cancellable_is_cancelled (job->cancellable)))
    job->progress (fraction, job->progress_data);
  return G_SOURCE_REMOVE;
}

/* On the worker: keeps the newest value, and one idle on its way at a time. */
static gboolean
report (double fraction, gpointer data)
{
  Job *job = data;
  gboolean schedule;
  job_lock (job);
  job->fraction = fraction;
  schedule = !job->idle_pending;
  job->idle_pending = TRUE;
  job_unlock (job);
  if (schedule)
    {
      GSource *idle = g_idle_source_new ();
      g_source_set_callback (idle, deliver_progress, job_ref (job), job_unref);
      g_source_set_static_name (idle, "[neurowire] data load progress");
      g_source_attach (idle, job->context);
      g_source_unref (idle);
    }
  return job->cancellable == NULL || !g_cancellable_is_cancelled (job->cancellable);
}

static void
load_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  NwDataset *ds;

  NW_HANDOFF_ACQUIRE (job);
  /* The IDX kinds' folder was filled in when the load began (nw_data_load_async). */
  if (job->spec.kind == NW_DATA_MNIST)
    {
      report (0, job);
      ds = nw_dataset_load_idx_dir_full (job->spec.path, job->spec.train_limit, report, job,
                                         &error);
    }
  else if (job->spec.kind == NW_DATA_FASHION_MNIST)
    {
      report (0, job);
      ds = nw_dataset_load_fashion_mnist_full (job->spec.path, job->spec.train_limit, report, job,
                                               &error);
    }
  else
    {
      report (-1, job);
      ds = nw_dataset_new (&job->spec, NULL, &error);
    }
  if (ds == NULL && g_error_matches (error, NW_ERROR, NW_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("loading was cancelled"));
    }
  if (ds != NULL && !g_cancellable_is_cancelled (job->cancellable))
    report (1, job);
  /* Done with the job and the dataset: whoever returns them takes them over. */
  NW_HANDOFF_RELEASE (job);
  if (ds == NULL)
    {
      /* The error (and its message) was made here and is read on the caller's thread. */
      NW_HANDOFF_RELEASE (error);
      g_task_return_error (task, error);
    }
  else if (g_task_return_error_if_cancelled (task))
    nw_dataset_free (ds);
  else
    {
      NW_HANDOFF_RELEASE (ds);
      g_task_return_pointer (task, ds, (GDestroyNotify) nw_dataset_free);
    }
}

typedef struct {
  GAsyncReadyCallback callback;
  gpointer            user_data;
} Done;

/* Marks the job finished (no progress after this), then hands the result on. */
static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Done *done = data;
  Job *job = g_task_get_task_data (G_TASK (result));
  /* Given back when this returns: the last reference may go on the worker (job_unref). */
  NW_HANDOFF_HOLD (job);
  job->finished = TRUE;
  done->callback (NULL, result, done->user_data);
  g_free (done);
}

void
nw_data_load_async (const NwDataSpec *spec, const char *data_root, NwJobs *jobs,
                    GCancellable *cancellable,
                    NwDataLoadProgress progress, gpointer progress_data,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job = g_new0 (Job, 1);
  Done *done = g_new0 (Done, 1);
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (spec != NULL && callback != NULL);
  g_atomic_ref_count_init (&job->refs);
  if (jobs != NULL)
    {
      job->jobs = nw_jobs_ref (jobs);
      nw_jobs_begin (jobs);
    }
  job->spec = *spec;
  job->spec.path = g_strdup (spec->path);
  nw_data_spec_resolve (&job->spec, data_root);
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->progress = progress;
  job->progress_data = progress_data;
  g_mutex_init (&job->lock);
  done->callback = callback;
  done->user_data = user_data;

  task = g_task_new (NULL, cancellable, on_done, done);
  g_task_set_source_tag (task, nw_data_load_async);
  g_task_set_name (task, "[neurowire] load data");
  g_task_set_task_data (task, job, job_unref);
  NW_HANDOFF_RELEASE (job);
  g_task_run_in_thread (task, load_in_thread);
}

NwDataset *
nw_data_load_finish (GAsyncResult *result, GError **error)
{
  NwDataset *ds = NULL;
  GError *local = NULL;
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == nw_data_load_async, NULL);
  ds = g_task_propagate_pointer (G_TASK (result), &local);
  if (ds != NULL)
    NW_HANDOFF_ACQUIRE (ds);
  if (local != NULL)
    {
      NW_HANDOFF_ACQUIRE (local);
      g_propagate_error (error, local);
    }
  return ds;
}

char *
nw_data_mnist_fetch_command (const char *dir)
{
  /* What the script fetches into without an argument (it reads NEUROWIRE_DATA_DIR itself,
   * which a program with another data folder need not have): name every other folder. */
  g_autofree char *default_dir = nw_data_default_mnist_dir (NULL);
  g_autofree char *quoted = NULL;
  if (dir == NULL || dir[0] == '\0' || g_strcmp0 (dir, default_dir) == 0)
    return g_strdup ("bash tools/fetch-mnist.sh");
  quoted = g_shell_quote (dir);
  return g_strdup_printf ("bash tools/fetch-mnist.sh %s", quoted);
}

/* Whether `message` holds the text `format` makes: its pieces between the %s, in order. The
 * formats are the loader's, translated as the loader translated them, so this works in any
 * language (the English words "not found" do not appear in a Korean message). */
static gboolean
made_by_format (const char *message, const char *format)
{
  g_auto (GStrv) pieces = g_strsplit (format, "%s", -1);
  const char *p = message;
  for (int i = 0; pieces[i] != NULL; i++)
    {
      if (pieces[i][0] == '\0')
        continue;
      p = strstr (p, pieces[i]);
      if (p == NULL)
        return FALSE;
      p += strlen (pieces[i]);
    }
  return TRUE;
}

gboolean
nw_data_error_is_missing_mnist (const NwDataSpec *spec, const GError *error)
{
  /* The two messages of nw-data-idx.c's load_idx_set for files that are not there */
  return spec->kind == NW_DATA_MNIST && g_error_matches (error, NW_ERROR, NW_ERROR_IO)
         && (made_by_format (error->message, _("%s: %s directory not found (so %s is missing); %s"))
             || made_by_format (error->message, _("%s: missing %s file (nor %s.gz); %s")));
}
