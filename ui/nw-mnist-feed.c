/* nw-mnist-feed.c: the digit view fed from a session's run. */
#include "nw-mnist-feed.h"
#include "nw-i18n.h"

#include "nw-digit-model.h"
#include "nw-ui.h"

#include <math.h>

struct _NwMnistFeed
{
  GObject          parent_instance;

  NwSession       *session;
  NwTrainingViews *views;
  NwMnistPanel    *panel;          /* the views' (borrowed while they are held) */
  guint            generation;     /* bumped by every clear: fetches for older runs are dropped */
  gint64           model_epoch;    /* the epoch whose end the panel's model shows; -1: none */
  gint64           model_step;     /* the step of the last model fetched */
  gint64           eval_step;      /* the step of the last test outputs handed to the panel */
  gboolean         fetching;       /* a fetch is in flight */
  gboolean         fetch_again;    /* ... and another was asked for meanwhile */
  char            *last_error;     /* the last model error said, so that it is said once */
};

enum { MESSAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NwMnistFeed, nw_mnist_feed, G_TYPE_OBJECT)

static gboolean
is_images (NwMnistFeed *self)
{
  const NwSpec *spec = nw_session_get_spec (self->session);
  return spec != NULL && nw_data_kind_is_image (spec->data.kind);
}

/* ---- the model, from the trainer's thread ---- */

typedef struct {
  GWeakRef      feed;
  guint         generation;
  NwSpec       *spec;      /* the trainer's network */
  NwTensorFile *state;     /* its state dict */
  gint64        step, epoch;
} FetchJob;

static void
fetch_job_free (FetchJob *job)
{
  g_weak_ref_clear (&job->feed);
  g_clear_pointer (&job->spec, nw_spec_free);
  g_clear_pointer (&job->state, nw_tensor_file_free);
  g_free (job);
}

static void fetch_model (NwMnistFeed *self);

static gboolean
fetch_report (gpointer data)
{
  FetchJob *job = data;
  g_autoptr (NwMnistFeed) self = g_weak_ref_get (&job->feed);
  if (self != NULL && self->panel != NULL)
    {
      if (job->generation == self->generation)
        self->fetching = FALSE;
      if (job->generation == self->generation && job->state != NULL)
        {
          g_autoptr (GError) error = NULL;
          if (nw_mnist_panel_set_model_state (self->panel, job->spec, job->state, &error))
            {
              self->model_step = job->step;
              g_clear_pointer (&self->last_error, g_free);
            }
          else if (g_strcmp0 (self->last_error, error->message) != 0)
            {
              g_autofree char *text = g_strdup_printf (_("The digit view cannot read with this "
                                                         "network: %s"), error->message);
              g_free (self->last_error);
              self->last_error = g_strdup (error->message);
              g_signal_emit (self, signals[MESSAGE], 0, text);
            }
        }
      if (self->fetch_again)
        {
          self->fetch_again = FALSE;
          fetch_model (self);
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
  nw_report_to_context (NULL, fetch_report, job);   /* the report frees the job */
}

static void
fetch_model (NwMnistFeed *self)
{
  NwRunner *runner = nw_session_get_runner (self->session);
  FetchJob *job;
  if (self->panel == NULL || runner == NULL || !nw_session_get_valid (self->session)
      || !is_images (self))
    return;
  if (self->fetching)
    {
      self->fetch_again = TRUE;
      return;
    }
  job = g_new0 (FetchJob, 1);
  g_weak_ref_init (&job->feed, self);
  job->generation = self->generation;
  self->fetching = TRUE;
  /* If the runner closes first, the job is freed unrun; a feed still there then has a new
   * runner and a new generation, so `fetching` is cleared by the next clear. */
  nw_runner_call (runner, fetch_on_worker, job, (GDestroyNotify) fetch_job_free);
}

/* ---- what the session and the views say ---- */

/* A new trainer or a reset: the panel's progress starts again and its model is dropped. */
static void
clear (NwMnistFeed *self)
{
  self->generation++;
  self->fetching = FALSE;
  self->fetch_again = FALSE;
  self->model_epoch = -1;
  self->model_step = -1;
  self->eval_step = -1;
  nw_mnist_panel_reset_progress (self->panel);
  nw_mnist_panel_clear_model (self->panel);
}

static void
on_new_run (NwSession *session, NwMnistFeed *self)
{
  clear (self);
}

static void
on_data_loaded (NwSession *session, NwMnistFeed *self)
{
  const NwDataset *ds = nw_session_get_dataset (session);
  if (ds == NULL || ds->train.d != NW_DIGIT_MODEL_INPUTS || ds->n_classes != NW_DIGIT_MODEL_CLASSES)
    {
      nw_mnist_panel_set_test_data (self->panel, NULL);
      return;
    }
  nw_mnist_panel_set_data_message (self->panel, NULL);
  /* Read in place, not copied: a 31 MB copy on the main thread as training starts. */
  nw_mnist_panel_share_test_data (self->panel, ds, nw_session_ref_dataset (session),
                                  nw_session_unref_dataset);
}

static void
on_data_failed (NwSession *session, const char *text, NwMnistFeed *self)
{
  const NwDataset *ds = nw_session_get_dataset (session);
  /* A network that has its MNIST keeps its test views; the message is in the data panel. */
  if (ds != NULL && ds->train.d == NW_DIGIT_MODEL_INPUTS)
    return;
  nw_mnist_panel_set_data_message (self->panel, text);
}

/* Paused: the model as it is now. Weights loaded: the model that reads with them. */
static void
on_playing_changed (NwSession *session, GParamSpec *pspec, NwMnistFeed *self)
{
  if (!nw_session_get_playing (session))
    fetch_model (self);
}

static void
on_weights_loaded (NwSession *session, NwMnistFeed *self)
{
  fetch_model (self);
}

static void
on_snapshot (NwTrainingViews *views, const NwSnapshot *snap, const NwRunnerStatus *status,
             gboolean show_text, NwMnistFeed *self)
{
  if (!is_images (self))
    return;
  /* Epochs whose snapshots nobody took are listed all the same. */
  for (guint i = 0; status->missed_tests != NULL && i < status->missed_tests->len; i++)
    {
      const NwRunnerTest *t = &g_array_index (status->missed_tests, NwRunnerTest, i);
      nw_mnist_panel_list_accuracy (self->panel, (int) t->epoch, t->test_acc);
    }
  if (snap == NULL)
    return;
  /* A test accuracy is shown whenever it comes (once per epoch). */
  if (show_text || isfinite (snap->test_acc))
    nw_mnist_panel_set_progress (self->panel, (int) snap->epoch, snap->epoch_progress,
                                 isfinite (snap->test_acc) && isfinite (snap->test_loss)
                                 ? snap->test_acc : NAN);
  /* An epoch ended: the model worth showing. While paused (a step, a request), the model of
   * this step if the panel's is older. */
  if (snap->epoch > 0 && snap->epoch > self->model_epoch)
    {
      self->model_epoch = snap->epoch;
      fetch_model (self);
    }
  else if (!nw_session_get_playing (self->session) && !self->fetching && snap->step > 0
           && snap->step != self->model_step)
    {
      self->model_step = snap->step;
      fetch_model (self);
    }
  /* The trainer's pass over the test split (an epoch's end, or paused), once per step, for
   * the model the panel shows or is about to get (not for an untrained network, which it
   * does not show). */
  if (snap->test_outputs != NULL && snap->step != self->eval_step
      && (self->fetching || nw_mnist_panel_has_model (self->panel))
      && nw_mnist_panel_set_test_outputs (self->panel, snap->test_outputs, snap->test_n,
                                          snap->test_width))
    self->eval_step = snap->step;
}

/* ---- the user's digits ---- */

/* The session asks for them when it builds a trainer for loaded data. */
static NwDigitSet *
dup_mix_set (gpointer data)
{
  NwMnistFeed *self = data;
  NwDigitSet *set;
  if (self->panel == NULL || !is_images (self) || !nw_mnist_panel_get_mix_user_digits (self->panel))
    return NULL;
  set = nw_mnist_panel_get_digit_set (self->panel);
  if (set == NULL || nw_digit_set_get_n (set) == 0)
    return NULL;
  return nw_digit_set_copy (set);
}

gboolean
nw_mnist_feed_reset_needs_rebuild (NwMnistFeed *self)
{
  NwDigitSet *set;
  guint wanted = 0;
  if (self->panel == NULL || !is_images (self))
    return FALSE;
  set = nw_mnist_panel_get_digit_set (self->panel);
  if (nw_mnist_panel_get_mix_user_digits (self->panel) && set != NULL)
    wanted = nw_digit_set_get_n (set);
  /* Digits to mix in (the set may have changed since), or mixed in and no longer wanted. */
  return wanted > 0 || nw_session_get_n_mixed (self->session) > 0;
}

/* ---- life cycle ---- */

static void
nw_mnist_feed_dispose (GObject *object)
{
  NwMnistFeed *self = NW_MNIST_FEED (object);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      nw_session_set_digits_func (self->session, NULL, NULL);
    }
  if (self->views != NULL)
    g_signal_handlers_disconnect_by_data (self->views, self);
  g_clear_object (&self->session);
  g_clear_object (&self->views);
  self->panel = NULL;
  G_OBJECT_CLASS (nw_mnist_feed_parent_class)->dispose (object);
}

static void
nw_mnist_feed_finalize (GObject *object)
{
  g_free (NW_MNIST_FEED (object)->last_error);
  G_OBJECT_CLASS (nw_mnist_feed_parent_class)->finalize (object);
}

static void
nw_mnist_feed_class_init (NwMnistFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = nw_mnist_feed_dispose;
  object_class->finalize = nw_mnist_feed_finalize;
  /* (text): something the user should read (a model the digit view cannot use). */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
nw_mnist_feed_init (NwMnistFeed *self)
{
  self->model_epoch = -1;
  self->model_step = -1;
  self->eval_step = -1;
}

NwMnistFeed *
nw_mnist_feed_new (NwSession *session, NwTrainingViews *views)
{
  NwMnistFeed *self = g_object_new (NW_TYPE_MNIST_FEED, NULL);
  self->session = g_object_ref (session);
  self->views = g_object_ref (views);
  self->panel = nw_training_views_get_mnist_panel (views);
  nw_mnist_panel_set_external_evaluation (self->panel, TRUE);
  nw_session_set_digits_func (session, dup_mix_set, self);
  g_signal_connect (session, "trainer-installed", G_CALLBACK (on_new_run), self);
  g_signal_connect (session, "reset", G_CALLBACK (on_new_run), self);
  g_signal_connect (session, "data-loaded", G_CALLBACK (on_data_loaded), self);
  g_signal_connect (session, "data-failed", G_CALLBACK (on_data_failed), self);
  g_signal_connect (session, "notify::playing", G_CALLBACK (on_playing_changed), self);
  g_signal_connect (session, "weights-loaded", G_CALLBACK (on_weights_loaded), self);
  g_signal_connect (views, "snapshot", G_CALLBACK (on_snapshot), self);
  return self;
}
