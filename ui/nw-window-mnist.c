/* nw-window-mnist.c: MNIST mode. For MNIST and Fashion-MNIST networks the views area shows
 * the digit panel (NwMnistPanel) beside the training plots (a stack with a switcher; the 2D
 * boundary has nothing to draw for 784 inputs). The window feeds the panel:
 *
 *   - the test split once the data is loaded (or the reason it did not load);
 *   - every snapshot's epoch, place in the epoch and test accuracy;
 *   - the trainer's model at each epoch end, on pause and after loading weights: the state
 *     dict is read on the trainer's thread (nw_runner_call, between two steps) and set on the
 *     main thread; a result for an older trainer (generation) or a closed window is dropped;
 *   - the confusion matrix and gallery from the outputs of the trainer's own pass over the
 *     test split (NwSnapshot.test_outputs, at each epoch's end and while paused): the panel
 *     does not evaluate by itself (nw_mnist_panel_set_external_evaluation). A second pass
 *     beside training cost ~40 ms of the trainer's time per epoch plus, on a worker thread,
 *     ~250 ms of training at half speed (both sides' matrix products want both cores);
 *   - the user's digits, mixed into the training split of the next Reset or rebuild: the
 *     session asks for them (nw_session_set_digits_func) and appends them, off the main
 *     thread for large data (core/nw-session-data.c).
 *
 * It also holds the MNIST presets (examples/mnist-*.json, compiled in as GResources). */
#include "nw-window-private.h"

#include "nw-digit-model.h"

#include <math.h>

#define PRESET_PREFIX "/org/neurowire/Neurowire/presets/"

struct _NwWindowMnist {
  guint    generation;     /* bumped by every clear: fetches for older runs are dropped */
  gint64   model_epoch;    /* the epoch whose end the panel's model shows; -1: none */
  gint64   model_step;     /* the step of the last model fetched */
  gint64   eval_step;      /* the step of the last test outputs handed to the panel */
  gboolean fetching;       /* a fetch is in flight */
  gboolean fetch_again;    /* ... and another was asked for meanwhile */
  char    *last_error;     /* the last model error shown, so that it shows once */
  char    *pending_preset; /* a preset waiting for the unsaved-changes question */
};

gboolean
nw_window_kind_is_mnist (NwDataKind kind)
{
  return kind == NW_DATA_MNIST || kind == NW_DATA_FASHION_MNIST;
}

/* ------------------------------------------------------------------------------------------ */
/* The mode                                                                                     */

void
nw_window_mnist_sync_mode (NwWindow *self)
{
  gboolean mnist = nw_window_kind_is_mnist (nw_window_spec (self)->data.kind);
  gboolean was = gtk_widget_get_visible (self->views_switcher_box);
  gtk_widget_set_visible (self->views_switcher_box, mnist);
  gtk_widget_set_visible (self->boundary_card, !mnist);
  nw_mnist_panel_set_class_names (self->mnist_panel, nw_data_class_names (nw_window_spec (self)->data.kind));
  /* Without the stack's crossfade: the whole window's layout changes here anyway, and the
   * fade repainted the large view area for 200 ms, a core's worth of compositing taken from
   * a trainer that is often already running (bench/gui_epoch.sh). The switcher's own changes
   * keep the fade. */
  if (!mnist)
    gtk_stack_set_visible_child_full (self->views_stack, "plots", GTK_STACK_TRANSITION_TYPE_NONE);
  else if (!was)
    gtk_stack_set_visible_child_full (self->views_stack, "digits", GTK_STACK_TRANSITION_TYPE_NONE);
}

void
nw_window_mnist_data_loaded (NwWindow *self, const NwDataset *ds, gpointer owner,
                             GDestroyNotify owner_free)
{
  if (ds == NULL || ds->train.d != NW_DIGIT_MODEL_INPUTS || ds->n_classes != NW_DIGIT_MODEL_CLASSES)
    {
      owner_free (owner);
      nw_mnist_panel_set_test_data (self->mnist_panel, NULL);
      return;
    }
  nw_mnist_panel_set_data_message (self->mnist_panel, NULL);
  /* Read in place, not copied: a 31 MB copy on the main thread as training starts. */
  nw_mnist_panel_share_test_data (self->mnist_panel, ds, owner, owner_free);
}

void
nw_window_mnist_data_failed (NwWindow *self, const char *text)
{
  const NwDataset *ds = nw_session_get_dataset (self->session);
  /* A network that has its MNIST keeps its test views; the message is in the data panel. */
  if (ds != NULL && ds->train.d == NW_DIGIT_MODEL_INPUTS)
    return;
  nw_mnist_panel_set_data_message (self->mnist_panel, text);
}

/* ------------------------------------------------------------------------------------------ */
/* The model, from the trainer's thread                                                         */

typedef struct {
  GWeakRef      window;
  guint         generation;
  NwSpec       *spec;      /* the trainer's network */
  NwTensorFile *state;     /* its state dict */
  gint64        step, epoch;
} FetchJob;

static void
fetch_job_free (FetchJob *job)
{
  g_weak_ref_clear (&job->window);
  g_clear_pointer (&job->spec, nw_spec_free);
  g_clear_pointer (&job->state, nw_tensor_file_free);
  g_free (job);
}

static void
show_model_error (NwWindow *self, const GError *error)
{
  if (g_strcmp0 (self->mnist->last_error, error->message) == 0)
    return;
  g_free (self->mnist->last_error);
  self->mnist->last_error = g_strdup (error->message);
  nw_window_show_message (self, "The digit view cannot read with this network: %s",
                          error->message);
}

static gboolean
fetch_report (gpointer data)
{
  FetchJob *job = data;
  g_autoptr (NwWindow) self = g_weak_ref_get (&job->window);
  if (self != NULL && self->mnist != NULL)
    {
      NwWindowMnist *m = self->mnist;
      if (job->generation == m->generation)
        m->fetching = FALSE;
      if (job->generation == m->generation && job->state != NULL)
        {
          g_autoptr (GError) error = NULL;
          if (nw_mnist_panel_set_model_state (self->mnist_panel, job->spec, job->state, &error))
            {
              m->model_step = job->step;
              g_clear_pointer (&m->last_error, g_free);
            }
          else
            show_model_error (self, error);
        }
      if (m->fetch_again)
        {
          m->fetch_again = FALSE;
          nw_window_mnist_fetch_model (self);
        }
    }
  fetch_job_free (job);
  return G_SOURCE_REMOVE;
}

/* On the runner's thread: no GTK here. */
static void
fetch_on_worker (NwTrainer *trainer, gpointer data)
{
  FetchJob *job = data;
  job->spec = nw_spec_copy (nw_trainer_get_spec (trainer));
  job->state = nw_net_state_dict (nw_trainer_get_net (trainer));
  job->step = nw_trainer_get_step (trainer);
  job->epoch = nw_trainer_get_epoch (trainer);
  nw_ui_report_to_main (fetch_report, job);   /* the report frees the job */
}

void
nw_window_mnist_fetch_model (NwWindow *self)
{
  NwWindowMnist *m = self->mnist;
  FetchJob *job;
  NwRunner *runner = nw_session_get_runner (self->session);
  if (m == NULL || runner == NULL || !nw_session_get_valid (self->session)
      || !nw_window_kind_is_mnist (nw_window_spec (self)->data.kind))
    return;
  if (m->fetching)
    {
      m->fetch_again = TRUE;
      return;
    }
  job = g_new0 (FetchJob, 1);
  g_weak_ref_init (&job->window, self);
  job->generation = m->generation;
  m->fetching = TRUE;
  /* If the runner closes first, the job is freed unrun; a window still there then has a new
   * runner and a new generation, so `fetching` is cleared by the next clear. */
  nw_runner_call (runner, fetch_on_worker, job, (GDestroyNotify) fetch_job_free);
}

void
nw_window_mnist_clear (NwWindow *self)
{
  NwWindowMnist *m = self->mnist;
  if (m == NULL)
    return;
  m->generation++;
  m->fetching = FALSE;
  m->fetch_again = FALSE;
  m->model_epoch = -1;
  m->model_step = -1;
  m->eval_step = -1;
  nw_mnist_panel_reset_progress (self->mnist_panel);
  nw_mnist_panel_clear_model (self->mnist_panel);
}

void
nw_window_mnist_snapshot (NwWindow *self, const NwSnapshot *snap, gboolean show_text)
{
  NwWindowMnist *m = self->mnist;
  if (m == NULL || !nw_window_kind_is_mnist (nw_window_spec (self)->data.kind))
    return;
  /* A test accuracy is shown whenever it comes (once per epoch). */
  if (show_text || isfinite (snap->test_acc))
    nw_mnist_panel_set_progress (self->mnist_panel, (int) snap->epoch, snap->epoch_progress,
                                 isfinite (snap->test_acc) && isfinite (snap->test_loss)
                                 ? snap->test_acc : NAN);
  /* An epoch ended: the model worth showing. While paused (a step, a request), the model of
   * this step if the panel's is older. */
  if (snap->epoch > 0 && snap->epoch > m->model_epoch)
    {
      m->model_epoch = snap->epoch;
      nw_window_mnist_fetch_model (self);
    }
  else if (!nw_session_get_playing (self->session) && !m->fetching && snap->step > 0 && snap->step != m->model_step)
    {
      m->model_step = snap->step;
      nw_window_mnist_fetch_model (self);
    }
  /* The trainer's pass over the test split (an epoch's end, or paused), once per step, for
   * the model the panel shows or is about to get (not for an untrained network, which it
   * does not show). */
  if (snap->test_outputs != NULL && snap->step != m->eval_step
      && (m->fetching || nw_mnist_panel_has_model (self->mnist_panel))
      && nw_mnist_panel_set_test_outputs (self->mnist_panel, snap->test_outputs, snap->test_n,
                                          snap->test_width))
    m->eval_step = snap->step;
}

/* An epoch's test pass in a snapshot the window never took (it ended while the main thread
 * was busy): listed all the same. */
void
nw_window_mnist_missed_test (NwWindow *self, const NwRunnerTest *test)
{
  if (self->mnist != NULL && nw_window_kind_is_mnist (nw_window_spec (self)->data.kind))
    nw_mnist_panel_list_accuracy (self->mnist_panel, (int) test->epoch, test->test_acc);
}

/* ------------------------------------------------------------------------------------------ */
/* The user's digits                                                                            */

/* The session asks for them when it builds a trainer for loaded data. */
static NwDigitSet *
dup_mix_set (gpointer data)
{
  NwWindow *self = data;
  NwDigitSet *set;
  if (self->mnist == NULL || !nw_window_kind_is_mnist (nw_window_spec (self)->data.kind)
      || !nw_mnist_panel_get_mix_user_digits (self->mnist_panel))
    return NULL;
  set = nw_mnist_panel_get_digit_set (self->mnist_panel);
  if (set == NULL || nw_digit_set_get_n (set) == 0)
    return NULL;
  return nw_digit_set_copy (set);
}

gboolean
nw_window_mnist_reset_needs_rebuild (NwWindow *self)
{
  NwDigitSet *set;
  guint wanted = 0;
  if (self->mnist == NULL || !nw_window_kind_is_mnist (nw_window_spec (self)->data.kind))
    return FALSE;
  set = nw_mnist_panel_get_digit_set (self->mnist_panel);
  if (nw_mnist_panel_get_mix_user_digits (self->mnist_panel) && set != NULL)
    wanted = nw_digit_set_get_n (set);
  /* Digits to mix in (the set may have changed since), or mixed in and no longer wanted. */
  return wanted > 0 || nw_session_get_n_mixed (self->session) > 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Presets                                                                                      */

static void
open_preset (NwWindow *self, const char *name)
{
  /* "fashion-mlp": the 784-256-256-10 network on Fashion-MNIST. */
  gboolean fashion = g_strcmp0 (name, "fashion-mlp") == 0;
  g_autofree char *path = g_strconcat (PRESET_PREFIX, fashion ? "mnist-mlp" : name, ".json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) json = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  NwSpec *spec = NULL;
  if (json != NULL)
    spec = nw_spec_from_json (g_bytes_get_data (json, NULL), g_bytes_get_size (json), &error);
  if (spec == NULL)
    {
      nw_window_show_message (self, "Could not open the preset “%s”: %s", name, error->message);
      return;
    }
  if (fashion)
    {
      spec->data.kind = NW_DATA_FASHION_MNIST;
      g_free (spec->name);
      spec->name = g_strdup ("Fashion-MNIST, 784-256-256-10 MLP");
    }
  nw_window_set_playing (self, FALSE);
  nw_window_dismiss_message (self);
  /* Like opening a file (without one: Save asks where); MNIST loads in the background and the
   * current network stays until it is there. */
  nw_window_set_spec (self, spec, NULL);
}

static void
on_preset_response (GtkDialog *dialog, int response, NwWindow *self)
{
  g_autofree char *name = g_steal_pointer (&self->mnist->pending_preset);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT && name != NULL)
    open_preset (self, name);
}

static void
action_preset (GtkWidget *widget, const char *action, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  const char *name = g_variant_get_string (param, NULL);
  GtkWidget *dialog;
  if (!nw_window_get_modified (self))
    {
      open_preset (self, name);
      return;
    }
  g_free (self->mnist->pending_preset);
  self->mnist->pending_preset = g_strdup (name);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "Replace the network with the preset?");
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            "The network or its settings were changed since they "
                                            "were last saved; the changes will be lost.");
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), "_Cancel", GTK_RESPONSE_CANCEL,
                          "_Replace", GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect (dialog, "response", G_CALLBACK (on_preset_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------ */
/* Life cycle                                                                                   */

void
nw_window_mnist_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.preset", "s", action_preset);
}

void
nw_window_mnist_init (NwWindow *self)
{
  self->mnist = g_new0 (NwWindowMnist, 1);
  self->mnist->model_epoch = -1;
  self->mnist->model_step = -1;
  self->mnist->eval_step = -1;
  nw_mnist_panel_set_external_evaluation (self->mnist_panel, TRUE);
  nw_session_set_digits_func (self->session, dup_mix_set, self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mnist_panel),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Digit view", -1);
}

void
nw_window_mnist_dispose (NwWindow *self)
{
  if (self->mnist == NULL)
    return;
  g_free (self->mnist->last_error);
  g_free (self->mnist->pending_preset);
  g_clear_pointer (&self->mnist, g_free);
}
