/* nw-window-data.c: data that is loaded rather than generated (MNIST, a CSV file), in the
 * background with a progress bar in the data panel, and trainers for large data built off the
 * main thread. Until a loaded network is ready, and when loading fails, the window keeps the
 * network it had; a missing MNIST says how to get it.
 *
 * Every job holds a weak reference to its window, the window's cancellable for that job, and
 * the application (so that a program closing mid-load waits for the worker instead of exiting
 * under it); its result is dropped when the window is gone or the job was superseded. */
#include "nw-window-private.h"

#include "nw-data-loader.h"

#include <string.h>

/* Above this many values a trainer is built off the main thread (MNIST: 47 million). */
#define LARGE_DATA_VALUES 1000000

/* The loaded data of the current network, shared with the jobs that copy it for trainers. */
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

struct _NwWindowData {
  GCancellable *cancel;       /* the load or build in flight; NULL when none */
  Shared       *loaded;       /* the current network's loaded (non-2D) data, or NULL */
  NwDigitSet   *mixed;        /* the user's digits in the current trainer's data, or NULL */
};

struct _NwDataSource {
  GArray     *points;         /* 2D points, or NULL */
  char       *name;
  Shared     *shared;         /* loaded data, or NULL */
  NwDigitSet *digits;         /* the user's digits to add to its training split, or NULL */
};

/* Loaded data plus the user's digits (each NW_MNIST_PANEL_MIX_REPEAT times): a new dataset,
 * on any thread. */
static NwDataset *
copy_with_digits (const NwDataset *ds, const NwDigitSet *digits, GError **error)
{
  NwDataset *copy = nw_dataset_copy (ds);
  if (digits != NULL && !nw_dataset_append_digits (copy, digits, NW_MNIST_PANEL_MIX_REPEAT, error))
    g_clear_pointer (&copy, nw_dataset_free);
  return copy;
}

static gint n_jobs;

guint
nw_window_n_background_jobs (void)
{
  return (guint) g_atomic_int_get (&n_jobs) + nw_data_load_n_running ();
}

void
nw_window_job_started (NwWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_atomic_int_inc (&n_jobs);
  if (app != NULL)
    g_application_hold (G_APPLICATION (app));
}

void
nw_window_job_finished (GApplication *app)
{
  if (app != NULL)
    g_application_release (app);
  g_atomic_int_add (&n_jobs, -1);
}

/* ------------------------------------------------------------------------------------------ */
/* Data sources                                                                                 */

NwDataSource *
nw_window_data_source (NwWindow *self)
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
/* The panel                                                                                    */

/* Once laid out (a wrapped label's height settles over a frame or two: a short wait), the
 * settings panel scrolls so that the status is in view, near its top. */
static gboolean
scroll_status_into_view (gpointer data)
{
  GtkWidget *label = data;
  GtkWidget *scrolled = gtk_widget_get_ancestor (label, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = scrolled != NULL ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)) : NULL;
  GtkAdjustment *adj;
  double x = 0, y = 0;
  if (content == NULL || !gtk_widget_get_visible (label))
    return G_SOURCE_REMOVE;
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
#if GTK_CHECK_VERSION (4, 12, 0)
  {
    graphene_point_t p;
    if (!gtk_widget_compute_point (label, content, &GRAPHENE_POINT_INIT (0, 0), &p))
      return G_SOURCE_REMOVE;
    x = p.x;
    y = p.y;
  }
#else
  if (!gtk_widget_translate_coordinates (label, content, 0, 0, &x, &y))
    return G_SOURCE_REMOVE;
#endif
  (void) x;
  /* Coordinates inside a viewport already include the scroll offset. */
  if (y < gtk_adjustment_get_value (adj)
      || y + gtk_widget_get_height (label) > gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj))
    gtk_adjustment_set_value (adj, y - 48);
  return G_SOURCE_REMOVE;
}

static void
show_progress (NwWindow *self, double fraction, const char *what)
{
  gtk_widget_set_visible (GTK_WIDGET (self->load_box), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->data_status_label), FALSE);
  if (fraction < 0)
    {
      gtk_progress_bar_pulse (self->load_progress);
      gtk_progress_bar_set_text (self->load_progress, what);
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("%s %.0f%%", what, 100 * fraction);
      gtk_progress_bar_set_fraction (self->load_progress, fraction);
      gtk_progress_bar_set_text (self->load_progress, text);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", TRUE);
}

static void
show_status (NwWindow *self, gboolean error, const char *text)
{
  /* A fraction ends the bar's pulsing: hidden, it would go on ticking the frame clock at 60
   * frames a second for the window's life (two X round trips each, beside the trainer). */
  gtk_progress_bar_set_fraction (self->load_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->load_box), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->data_status_label), text != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->data_status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->data_status_label), "error");
  nw_ui_set_label (self->data_status_label, text != NULL ? text : "");
  if (text != NULL)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 150, scroll_status_into_view,
                        g_object_ref (self->data_status_label), g_object_unref);
}

static const char *
data_title (const NwDataSpec *spec)
{
  return spec->kind == NW_DATA_MNIST ? "MNIST"
         : spec->kind == NW_DATA_FASHION_MNIST ? "Fashion-MNIST"
         : spec->kind == NW_DATA_CSV ? "the CSV file" : "the data";
}

/* ------------------------------------------------------------------------------------------ */
/* Jobs                                                                                         */

typedef struct {
  GWeakRef      window;
  GApplication *app;
  GCancellable *cancel;
  NwSpec       *spec;         /* what to open, or a copy of the network to rebuild */
  GFile        *file;         /* where it came from (opening); may be NULL */
  char         *name;         /* for messages */
  Shared       *shared;       /* the loaded data */
  NwDigitSet   *digits;       /* the user's digits to mix in (rebuilds), or NULL */
  guint         generation;   /* rebuilds: the window's when started */
  gboolean      open;         /* opening (the network is adopted) rather than rebuilding */
  gboolean      finished;     /* job_finish has released the application */
} Job;

static Job *
job_new (NwWindow *self, NwSpec *spec, GFile *file, gboolean open)
{
  Job *job = g_new0 (Job, 1);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_weak_ref_init (&job->window, self);
  job->app = app != NULL ? g_object_ref (G_APPLICATION (app)) : NULL;
  nw_window_job_started (self);
  /* A new job supersedes the one before. */
  if (self->data->cancel != NULL)
    g_cancellable_cancel (self->data->cancel);
  g_clear_object (&self->data->cancel);
  self->data->cancel = g_cancellable_new ();
  job->cancel = g_object_ref (self->data->cancel);
  job->spec = spec;
  job->file = file != NULL ? g_object_ref (file) : NULL;
  job->name = file != NULL ? nw_window_display_name (file)
                           : g_strdup (spec->name != NULL ? spec->name : "the network");
  job->generation = self->generation;
  job->open = open;
  return job;
}

/* Releases the application (and the job count) once, on the main thread: a GTask may drop
 * its task data, and so call job_free, on its worker thread, where GApplication must not be
 * touched. Every completion callback calls this first; job_free only for jobs that never
 * reached one. */
static void
job_finish (Job *job)
{
  if (job->finished)
    return;
  job->finished = TRUE;
  nw_window_job_finished (job->app);
  g_clear_object (&job->app);
}

/* Plain memory and thread-safe references only, once job_finish has run (see there). */
static void
job_free (Job *job)
{
  g_weak_ref_clear (&job->window);
  g_clear_object (&job->cancel);
  g_clear_pointer (&job->spec, nw_spec_free);
  g_clear_object (&job->file);
  g_free (job->name);
  shared_unref (job->shared);
  g_clear_pointer (&job->digits, nw_digit_set_free);
  job_finish (job);
  g_free (job);
}

/* The window, if it is still there and the job still current; else NULL. */
static NwWindow *
job_window (Job *job)
{
  NwWindow *self = g_weak_ref_get (&job->window);
  if (self != NULL && (g_cancellable_is_cancelled (job->cancel) || self->data == NULL))
    g_clear_object (&self);
  return self;
}

static void
job_done (NwWindow *self, Job *job)
{
  if (self->data->cancel == job->cancel)
    g_clear_object (&self->data->cancel);
}

/* What the trainer learns from: the loaded data, and the user's digits mixed in. */
static void
show_loaded_status (NwWindow *self, const NwDataset *ds, const NwDigitSet *digits)
{
  guint n_mixed = digits != NULL ? nw_digit_set_get_n (digits) : 0;
  g_autofree char *mixed = n_mixed > 0
    ? g_strdup_printf (" (and %u of your digits, each %d times)", n_mixed, NW_MNIST_PANEL_MIX_REPEAT)
    : g_strdup ("");
  g_autofree char *text = g_strdup_printf ("%s: %d training%s and %d test examples of %d values",
                                           ds->name, ds->train.n, mixed, ds->test.n, ds->train.d);
  show_status (self, FALSE, text);
}

static void
on_build_progress_pulse (NwWindow *self)
{
  show_progress (self, -1, "Preparing the data for training…");
}

static void
build_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  NwDataset *ds = copy_with_digits (job->shared->ds, job->digits, &error);
  NwTrainer *trainer = ds != NULL ? nw_trainer_new (job->spec, ds, NULL, &error) : NULL;
  if (trainer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trainer, (GDestroyNotify) nw_trainer_free);
}

static void
on_built (GObject *source, GAsyncResult *result, gpointer data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (NwWindow) self = job_window (job);
  g_autoptr (GError) error = NULL;
  NwTrainer *trainer = g_task_propagate_pointer (G_TASK (result), &error);

  job_finish (job);
  if (self == NULL || (!job->open && job->generation != self->generation))
    {
      nw_trainer_free (trainer);
      return;
    }
  job_done (self, job);
  if (trainer == NULL)
    {
      self->pending_play = FALSE;
      show_status (self, TRUE, error->message);
      if (job->open)
        nw_window_show_message (self, "Could not open “%s”: %s. The network was not changed.",
                                job->name, error->message);
      else
        {
          nw_window_set_valid (self, FALSE, error->message);
          nw_window_show_message (self, "The network cannot train: %s", error->message);
        }
      return;
    }
  show_loaded_status (self, job->shared->ds, job->digits);
  g_clear_pointer (&self->data->loaded, shared_unref);
  self->data->loaded = g_atomic_rc_box_acquire (job->shared);
  g_clear_pointer (&self->data->mixed, nw_digit_set_free);
  self->data->mixed = g_steal_pointer (&job->digits);
  if (job->open)
    nw_window_mnist_data_loaded (self, job->shared->ds, g_atomic_rc_box_acquire (job->shared),
                                 (GDestroyNotify) shared_unref);
  if (job->open)
    nw_window_adopt (self, g_steal_pointer (&job->spec), job->file, NULL, trainer);
  else
    {
      nw_window_dismiss_message (self);
      nw_window_install_trainer (self, trainer, TRUE);
    }
}

/* The data is there: a trainer for it, off the main thread. */
static void
start_build (NwWindow *self, Job *job)
{
  g_autoptr (GTask) task = g_task_new (NULL, job->cancel, on_built, NULL);
  g_task_set_name (task, "[neurowire] build trainer");
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  on_build_progress_pulse (self);
  g_task_run_in_thread (task, build_in_thread);
}

static void
on_load_progress (double fraction, gpointer data)
{
  Job *job = data;
  g_autoptr (NwWindow) self = job_window (job);
  if (self != NULL)
    {
      g_autofree char *what = g_strdup_printf ("Loading %s…", data_title (&job->spec->data));
      show_progress (self, fraction, what);
    }
}

static void
report_load_failure (NwWindow *self, Job *job, const GError *error)
{
  const NwDataSpec *d = &job->spec->data;
  self->pending_play = FALSE;   /* nothing new to play: the network shown stays paused */
  if (nw_data_error_is_missing_mnist (d, error))
    {
      g_autofree char *dir = d->path != NULL && d->path[0] != '\0' ? g_strdup (d->path)
                                                                  : nw_data_default_mnist_dir ();
      g_autofree char *command = nw_data_mnist_fetch_command (dir);
      g_autofree char *text =
        g_strdup_printf ("MNIST is not on this computer: no files in %s. Get them with\n    %s\n"
                         "(or bash tools/setup.sh, which sets up everything). The network was "
                         "not changed.", dir, command);
      show_status (self, TRUE, text);
      nw_window_mnist_data_failed (self, text);
      nw_window_show_message (self, "Could not open “%s”: MNIST is not on this computer (no "
                              "files in %s). Get it with “%s”; the network was not changed.",
                              job->name, dir, command);
      return;
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("Could not load %s: %s. The network was not "
                                               "changed.", data_title (d), error->message);
      show_status (self, TRUE, text);
      nw_window_mnist_data_failed (self, text);
    }
  nw_window_show_message (self, "Could not open “%s”: %s. The network was not changed.",
                          job->name, error->message);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  Job *job = data;
  g_autoptr (NwWindow) self = job_window (job);
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
  /* 2D points (a CSV file): the window edits and shows them; small, built here. */
  points = nw_points_from_dataset (ds);
  if (points != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s: %u points", job->name, points->len);
      nw_dataset_free (ds);
      job_done (self, job);
      show_status (self, FALSE, text);
      nw_window_adopt (self, g_steal_pointer (&job->spec), job->file, points, NULL);
      job_free (job);
      return;
    }
  job->shared = shared_new (ds);
  start_build (self, job);
}

void
nw_window_data_open (NwWindow *self, NwSpec *spec, GFile *file)
{
  Job *job = job_new (self, spec, file, TRUE);
  g_autofree char *what = g_strdup_printf ("Loading %s…", data_title (&spec->data));
  show_progress (self, nw_window_kind_is_mnist (spec->data.kind) ? 0 : -1, what);
  nw_data_load_async (&spec->data, job->cancel, on_load_progress, job, on_loaded, job);
}

/* ------------------------------------------------------------------------------------------ */
/* Trainers for the current network                                                             */

gboolean
nw_window_data_needs_load (const NwSpec *spec)
{
  return nw_window_kind_is_mnist (spec->data.kind) || spec->data.kind == NW_DATA_CSV;
}

gboolean
nw_window_data_busy (NwWindow *self)
{
  return self->data->cancel != NULL;
}

guint
nw_window_data_n_mixed (NwWindow *self)
{
  return self->data->mixed != NULL ? nw_digit_set_get_n (self->data->mixed) : 0;
}

const NwDataset *
nw_window_data_get (NwWindow *self)
{
  return self->data->loaded != NULL ? self->data->loaded->ds : NULL;
}

void
nw_window_data_forget (NwWindow *self)
{
  g_clear_pointer (&self->data->loaded, shared_unref);
  g_clear_pointer (&self->data->mixed, nw_digit_set_free);
}

gboolean
nw_window_data_rebuild (NwWindow *self, GError **error)
{
  const NwDataset *ds = nw_window_data_get (self);
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
      job->digits = nw_window_mnist_dup_mix_set (self);
      start_build (self, job);
      return TRUE;
    }
  {
    NwDataSource *src = nw_window_data_source (self);
    NwDigitSet *wanted = self->points == NULL && ds != NULL ? nw_window_mnist_dup_mix_set (self) : NULL;
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
  nw_window_install_trainer (self, trainer, TRUE);
  return TRUE;
}

static void
action_cancel_load (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  if (self->data->cancel == NULL)
    return;
  g_cancellable_cancel (self->data->cancel);
  g_clear_object (&self->data->cancel);
  show_status (self, FALSE, "Loading was cancelled; the network was not changed.");
}

void
nw_window_data_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, action_cancel_load);
}

void
nw_window_data_init (NwWindow *self)
{
  self->data = g_new0 (NwWindowData, 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);
}

void
nw_window_data_dispose (NwWindow *self)
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
