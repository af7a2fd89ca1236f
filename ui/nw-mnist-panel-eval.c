/* nw-mnist-panel-eval.c: the MNIST panel's test-set evaluation: a GTask worker runs the whole
 * test split through its own copy of the model; the result fills the confusion matrix and the
 * gallery of misclassified digits, and a click on either shows more. API: nw-mnist-panel.h. */
#include "nw-mnist-panel-private.h"
#include "nw-i18n.h"

#include <math.h>
#include <string.h>

static void
test_split_clear (TestSplit *t)
{
  if (t->owner != NULL)
    t->owner_free (t->owner);
  else
    {
      g_free ((gpointer) t->x);
      g_free ((gpointer) t->labels);
    }
}

void
nw_mnist_panel_test_split_unref (TestSplit *t)
{
  g_atomic_rc_box_release_full (t, (GDestroyNotify) test_split_clear);
}

typedef struct {
  NwDigitModel *model;     /* the worker's own copy */
  TestSplit    *test;      /* a reference */
  guint         generation;
  GWeakRef      panel;     /* the task does not keep the panel alive */
} EvalJob;

static void
eval_job_free (EvalJob *job)
{
  nw_digit_model_free (job->model);
  nw_mnist_panel_test_split_unref (job->test);
  g_weak_ref_clear (&job->panel);
  g_free (job);
}

static void
eval_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  EvalJob *job = data;
  GError *error = NULL;
  NwSplit split = { 0 };
  NwDigitEvaluation *eval;

  split.n = job->test->n;
  split.d = NW_DIGIT_PIXELS;
  split.k = N_CLASSES;
  /* NwSplit's arrays are not const; the evaluation only reads them (a const split). */
  split.x = (float *) job->test->x;
  split.labels = (guint8 *) job->test->labels;
  eval = nw_digit_model_evaluate (job->model, &split, NW_MNIST_PANEL_MAX_GALLERY, cancellable,
                                  &error);
  if (eval == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, eval, (GDestroyNotify) nw_digit_evaluation_free);
}

static void
set_evaluating (NwMnistPanel *self, gboolean on)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->eval_spinner)) == on)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->eval_spinner), on);
  gtk_spinner_set_spinning (self->eval_spinner, on);
  g_object_notify (G_OBJECT (self), "evaluating");
}

/* The gallery: the evaluation's mistakes, or one confusion cell's. */
void
nw_mnist_panel_show_gallery (NwMnistPanel *self)
{
  GArray *m;
  g_autofree float *images = NULL;
  g_autofree guint8 *truth = NULL, *guess = NULL;
  g_autofree float *probs = NULL;
  guint n = 0;
  char text[128];

  g_clear_pointer (&self->gallery_index, g_free);
  nw_prob_bars_set_nothing (self->gallery_bars, _("No digit selected"));
  nw_prob_bars_set_true_class (self->gallery_bars, -1);
  gtk_label_set_text (self->selected_label, _("Click a digit to see what the network thought"));
  if (self->eval == NULL || self->test == NULL)
    {
      nw_digit_gallery_set_digits (self->gallery, 0, NULL, NULL, NULL, NULL, 0);
      gtk_widget_set_visible (self->gallery_all_button, FALSE);
      return;
    }
  m = self->eval->mistakes;
  images = g_new (float, (gsize) MAX (m->len, 1) * NW_DIGIT_PIXELS);
  truth = g_new (guint8, MAX (m->len, 1));
  guess = g_new (guint8, MAX (m->len, 1));
  probs = g_new (float, (gsize) MAX (m->len, 1) * N_CLASSES);
  self->gallery_index = g_new (guint, MAX (m->len, 1));
  for (guint i = 0; i < m->len; i++)
    {
      const NwDigitMistake *k = &g_array_index (m, NwDigitMistake, i);
      if (self->filter_true >= 0 && (k->truth != self->filter_true || k->predicted != self->filter_pred))
        continue;
      memcpy (images + (gsize) n * NW_DIGIT_PIXELS, self->test->x + (gsize) k->index * NW_DIGIT_PIXELS,
              sizeof (float) * NW_DIGIT_PIXELS);
      truth[n] = k->truth;
      guess[n] = k->predicted;
      memcpy (probs + (gsize) n * N_CLASSES, k->probs, sizeof k->probs);
      self->gallery_index[n] = k->index;
      n++;
    }
  nw_digit_gallery_set_digits (self->gallery, n, images, truth, guess, probs, N_CLASSES);
  if (self->filter_true >= 0)
    {
      /* Translators: the misclassified digits shown: the true class, the class read */
      g_snprintf (text, sizeof text, g_dngettext (GETTEXT_PACKAGE, "%s read as %s: %u digit",
                                                  "%s read as %s: %u digits", n),
                  nw_mnist_panel_class_name (self, self->filter_true),
                  nw_mnist_panel_class_name (self, self->filter_pred), n);
      nw_digit_gallery_set_message (self->gallery, _("None in this cell among the most confident mistakes"));
    }
  else if (self->eval->n_mistakes > m->len)
    g_snprintf (text, sizeof text, _("the %u most confident of %u mistakes"), m->len,
                self->eval->n_mistakes);
  else
    g_snprintf (text, sizeof text, _("%u mistakes, most confident first"), m->len);
  gtk_label_set_text (self->gallery_label, text);
  gtk_widget_set_visible (self->gallery_all_button, self->filter_true >= 0);
}

/* Shows `eval` (taken) in the matrix, the label and the gallery. */
static void
show_evaluation (NwMnistPanel *self, NwDigitEvaluation *eval)
{
  char text[96];
  g_clear_pointer (&self->eval, nw_digit_evaluation_free);
  self->eval = eval;
  self->filter_true = self->filter_pred = -1;
  nw_confusion_view_set_counts (self->confusion_view, N_CLASSES, eval->counts);
  g_snprintf (text, sizeof text, _("%.2f%% of %u test digits right"),
              eval->n > 0 ? 100.0 * eval->correct / eval->n : 0.0, eval->n);
  gtk_label_set_text (self->eval_label, text);
  nw_mnist_panel_show_gallery (self);
  g_signal_emit_by_name (self, "evaluation-done");
}

/* Any evaluation under way is cancelled and its result, when it comes, dropped. */
void
nw_mnist_panel_cancel_evaluation (NwMnistPanel *self)
{
  self->eval_generation++;
  if (self->eval_cancel != NULL)
    {
      g_cancellable_cancel (self->eval_cancel);
      g_clear_object (&self->eval_cancel);
    }
}

static void
on_eval_done (GObject *source, GAsyncResult *result, gpointer data)
{
  EvalJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (NwMnistPanel) self = g_weak_ref_get (&job->panel);
  g_autoptr (GError) error = NULL;
  NwDigitEvaluation *eval = g_task_propagate_pointer (G_TASK (result), &error);

  /* A result for a panel that is gone or being torn down, or for an older model or data, is
   * dropped. */
  if (self == NULL || job->generation != self->eval_generation || self->confusion_view == NULL)
    {
      nw_digit_evaluation_free (eval);
      return;
    }
  set_evaluating (self, FALSE);
  g_clear_object (&self->eval_cancel);
  if (eval == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          nw_confusion_view_set_message (self->confusion_view, error->message);
          gtk_label_set_text (self->eval_label, _("evaluation failed"));
        }
      return;
    }
  show_evaluation (self, eval);
}

void
nw_mnist_panel_set_external_evaluation (NwMnistPanel *self, gboolean external)
{
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  if (self->external_eval == external)
    return;
  self->external_eval = external;
  nw_mnist_panel_evaluate (self);
}

gboolean
nw_mnist_panel_set_test_outputs (NwMnistPanel *self, const float *outputs, int n, int width)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  if (self->test == NULL || self->data_message != NULL || outputs == NULL || n != self->test->n
      || width != N_CLASSES)
    return FALSE;
  nw_mnist_panel_cancel_evaluation (self);
  set_evaluating (self, FALSE);
  show_evaluation (self, nw_digit_evaluation_new_from_outputs (outputs, self->test->labels, n,
                                                               NW_MNIST_PANEL_MAX_GALLERY));
  return TRUE;
}

void
nw_mnist_panel_evaluate (NwMnistPanel *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  EvalJob *job;

  nw_mnist_panel_cancel_evaluation (self);
  g_clear_pointer (&self->eval, nw_digit_evaluation_free);
  self->filter_true = self->filter_pred = -1;
  if (self->data_message != NULL || self->test == NULL || self->model == NULL || self->external_eval)
    {
      const char *why = self->data_message != NULL ? self->data_message
                        : self->test == NULL ? _("No test data")
                        : self->model == NULL ? _("No model yet")
                        : _("The test set is read at the end of each epoch");
      set_evaluating (self, FALSE);
      nw_confusion_view_set_message (self->confusion_view, why);
      nw_digit_gallery_set_message (self->gallery, why);
      gtk_label_set_text (self->eval_label, _("test set"));
      gtk_label_set_text (self->gallery_label, _("most confident mistakes first"));
      nw_mnist_panel_show_gallery (self);
      return;
    }
  job = g_new0 (EvalJob, 1);
  job->model = nw_digit_model_copy (self->model, &error);
  if (job->model == NULL)
    {
      g_free (job);
      nw_confusion_view_set_message (self->confusion_view, error->message);
      return;
    }
  job->test = g_atomic_rc_box_acquire (self->test);
  job->generation = self->eval_generation;
  g_weak_ref_init (&job->panel, self);
  self->eval_cancel = g_cancellable_new ();
  task = g_task_new (NULL, self->eval_cancel, on_eval_done, NULL);
  g_task_set_source_tag (task, nw_mnist_panel_evaluate);
  g_task_set_task_data (task, job, (GDestroyNotify) eval_job_free);
  g_task_run_in_thread (task, eval_thread);
  set_evaluating (self, TRUE);
  nw_confusion_view_set_message (self->confusion_view, _("Reading the test set…"));
  nw_digit_gallery_set_message (self->gallery, _("Reading the test set…"));
  gtk_label_set_text (self->eval_label, _("evaluating…"));
  nw_mnist_panel_show_gallery (self);
}

static void
on_cell_activated (NwConfusionView *view, int t, int p, NwMnistPanel *self)
{
  if (t == p)
    self->filter_true = self->filter_pred = -1;
  else
    {
      self->filter_true = t;
      self->filter_pred = p;
    }
  nw_mnist_panel_show_gallery (self);
}

static void
on_gallery_selected (NwDigitGallery *gallery, GParamSpec *pspec, NwMnistPanel *self)
{
  int i = nw_digit_gallery_get_selected (gallery);
  const float *p;
  char text[160];
  if (i < 0 || (p = nw_digit_gallery_get_probabilities (gallery, (guint) i)) == NULL)
    {
      nw_prob_bars_set_nothing (self->gallery_bars, _("No digit selected"));
      nw_prob_bars_set_true_class (self->gallery_bars, -1);
      return;
    }
  nw_prob_bars_set_probabilities (self->gallery_bars, p, N_CLASSES);
  nw_prob_bars_set_true_class (self->gallery_bars, nw_digit_gallery_get_true_label (gallery, (guint) i));
  g_snprintf (text, sizeof text, _("Test digit #%u: a %s, read as %s (%.0f%%)"),
              self->gallery_index != NULL ? self->gallery_index[i] : (guint) i,
              nw_mnist_panel_class_name (self, nw_digit_gallery_get_true_label (gallery, (guint) i)),
              nw_mnist_panel_class_name (self, nw_digit_gallery_get_predicted (gallery, (guint) i)),
              100.0 * p[nw_digit_gallery_get_predicted (gallery, (guint) i)]);
  gtk_label_set_text (self->selected_label, text);
}

void
nw_mnist_panel_show_all_mistakes (NwMnistPanel *self)
{
  self->filter_true = self->filter_pred = -1;
  nw_mnist_panel_show_gallery (self);
}

void
nw_mnist_panel_eval_init (NwMnistPanel *self)
{
  g_signal_connect (self->confusion_view, "cell-activated", G_CALLBACK (on_cell_activated), self);
  g_signal_connect (self->gallery, "notify::selected", G_CALLBACK (on_gallery_selected), self);
}
