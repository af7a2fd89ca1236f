/* nw-mnist-panel.c: the MNIST view: pad -> preprocessing -> the panel's own model -> bars and
 * strips on every stroke update; the model, the data, the progress. The test-set evaluation is
 * in nw-mnist-panel-eval.c, the user's digits in nw-mnist-panel-digits.c. API and threading:
 * nw-mnist-panel.h. */
#include "nw-mnist-panel-private.h"
#include "nw-i18n.h"
#include "nw-ui.h"

#include <math.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (NwMnistPanel, nw_mnist_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0, PROP_HAS_MODEL, PROP_PREDICTION, PROP_EVALUATING, PROP_MIX_USER_DIGITS,
  PROP_N_USER_DIGITS, N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_MODEL_CHANGED, SIGNAL_EVALUATION_DONE, SIGNAL_DIGIT_SET_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- helpers ------------------------------------------------------------------------------- */

const char *
nw_mnist_panel_class_name (NwMnistPanel *self, int c)
{
  static const char *const digits[N_CLASSES] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };
  if (c < 0 || c >= N_CLASSES)
    return "?";
  return self->class_names[c] != NULL ? self->class_names[c] : digits[c];
}

/* "784-256-256-10" for a model's Dense widths. */
static char *
architecture (NwDigitModel *model)
{
  NwNet *net = nw_digit_model_get_net (model);
  GString *s = g_string_new ("784");
  for (int i = 0; i < nw_net_n_nodes (net); i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      if (info->spec->kind == NW_NODE_DENSE)
        g_string_append_printf (s, "-%d", info->width);
    }
  return g_string_free (s, FALSE);
}

/* ---- live reading -------------------------------------------------------------------------- */

static void
set_prediction (NwMnistPanel *self, int prediction)
{
  if (prediction == self->prediction)
    return;
  self->prediction = prediction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREDICTION]);
}

static void
show_layers (NwMnistPanel *self, gboolean with_values)
{
  int n;
  NwLayerStripLayer *layers;
  if (self->model == NULL)
    {
      nw_layer_strip_set_message (self->layer_strip, _("Train or load a model to see its hidden layers"));
      return;
    }
  n = nw_digit_model_n_hidden (self->model);
  if (n == 0)
    {
      nw_layer_strip_set_message (self->layer_strip,
                                  _("This model has no hidden layer: the pixels go straight to the ten outputs"));
      return;
    }
  nw_layer_strip_set_message (self->layer_strip, NULL);
  layers = g_newa (NwLayerStripLayer, n);
  for (int i = 0, off = 0; i < n; i++)
    {
      layers[i].name = nw_digit_model_hidden_name (self->model, i);
      layers[i].width = nw_digit_model_hidden_width (self->model, i);
      layers[i].values = self->hidden + off;
      off += layers[i].width;
    }
  nw_layer_strip_set_layers (self->layer_strip, n, layers);
  if (!with_values)
    nw_layer_strip_clear_values (self->layer_strip);
}

/* The pad's ink -> stages -> model -> bars, strips and the prediction label. Runs on every
 * "changed" of the pad, so it does only what the reading needs. */
static void
read_pad (NwMnistPanel *self)
{
  int size;
  const float *ink = nw_digit_pad_get_ink (self->pad, &size);
  NwDigitStatus status = nw_digit_preprocess (ink, size, size, size, self->stages);
  gboolean empty = nw_digit_pad_is_empty (self->pad);
  g_autoptr (GError) error = NULL;
  char text[96];

  nw_digit_stages_view_set_stages (self->stages_view, self->stages);
  /* Only on a change: the buttons re-read their action's state whenever it is set. */
  if (self->can_add != (status == NW_DIGIT_READABLE))
    {
      self->can_add = status == NW_DIGIT_READABLE;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "mnist.add", self->can_add);
    }
  if (self->can_edit != !empty)
    {
      self->can_edit = !empty;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "mnist.undo", self->can_edit);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "mnist.clear", self->can_edit);
    }

  if (status == NW_DIGIT_NOTHING || self->model == NULL)
    {
      const char *message = self->model == NULL ? _("No model yet")
                            : empty ? _("Draw a digit") : _("Nothing to read");
      nw_prob_bars_set_nothing (self->prob_bars, message);
      nw_ui_set_label (self->prediction_label, message);
      if (self->model != NULL)
        show_layers (self, FALSE);
      set_prediction (self, -1);
      return;
    }
  if (!nw_digit_model_predict (self->model, self->stages->image, self->probs, self->hidden, &error))
    {
      /* The CPU backend does not fail on a built network; say so if it ever does. */
      nw_prob_bars_set_nothing (self->prob_bars, _("The model failed"));
      nw_ui_set_label (self->prediction_label, error->message);
      set_prediction (self, -1);
      return;
    }
  nw_prob_bars_set_probabilities (self->prob_bars, self->probs, N_CLASSES);
  show_layers (self, TRUE);
  set_prediction (self, nw_prob_bars_get_top_class (self->prob_bars));
  /* The class and a word for the confidence (the bars give the numbers): this label's text,
   * and so the window's layout, changes only when the reading does, not on every stroke. */
  {
    float p = self->probs[self->prediction];
    /* Translators: the digit pad's reading: the class, and how sure the network is
     * (probability at least 0.9, at least 0.6, below) */
    g_snprintf (text, sizeof text,
                p >= 0.9f ? _("%s \u00b7 sure") : p >= 0.6f ? _("%s \u00b7 likely") : _("%s \u00b7 unsure"),
                nw_mnist_panel_class_name (self, self->prediction));
  }
  nw_ui_set_label (self->prediction_label, text);
}

static void
on_pad_changed (NwDigitPad *pad, NwMnistPanel *self)
{
  read_pad (self);
}

/* ---- the model ----------------------------------------------------------------------------- */

/* The model in place changed (a new one, or newer weights): read the pad again, say so, and
 * evaluate it unless an evaluation given from outside belongs to it (it came with it). */
static void
model_changed (NwMnistPanel *self)
{
  read_pad (self);
  g_signal_emit (self, signals[SIGNAL_MODEL_CHANGED], 0);
  if (!self->external_eval || self->eval == NULL)
    nw_mnist_panel_evaluate (self);
}

static void
install_model (NwMnistPanel *self, NwDigitModel *model)
{
  g_autofree char *arch = NULL;
  g_autofree char *text = NULL;
  const NwSpec *spec;
  gboolean had = self->model != NULL;

  g_clear_pointer (&self->model, nw_digit_model_free);
  g_clear_pointer (&self->hidden, g_free);
  self->model = model;
  self->hidden = g_new0 (float, MAX (nw_digit_model_hidden_total (model), 1));
  spec = nw_digit_model_get_spec (model);
  arch = architecture (model);
  /* The spec's name, and the layer widths unless the name already gives them. */
  if (spec->name == NULL || spec->name[0] == '\0')
    text = g_strdup (arch);
  else if (strstr (spec->name, arch) != NULL)
    text = g_strdup (spec->name);
  else
    text = g_strdup_printf ("%s \u00b7 %s", spec->name, arch);
  nw_ui_set_label (self->model_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->model_label), text);
  /* The layout of the strips changes with the model: rebuild it before the reading. */
  nw_layer_strip_set_layers (self->layer_strip, 0, NULL);
  show_layers (self, FALSE);
  if (!had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MODEL]);
  model_changed (self);
}

gboolean
nw_mnist_panel_set_model (NwMnistPanel *self, const NwSpec *spec, const float *params,
                          gsize n_params, GError **error)
{
  NwDigitModel *model;
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  model = nw_digit_model_new (spec, params, n_params, error);
  if (model == NULL)
    return FALSE;
  install_model (self, model);
  return TRUE;
}

gboolean
nw_mnist_panel_set_model_state (NwMnistPanel *self, const NwSpec *spec,
                                const NwTensorFile *state, GError **error)
{
  NwDigitModel *model;
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  g_return_val_if_fail (spec != NULL && state != NULL, FALSE);
  /* The same network with newer weights (an epoch's end): loaded in place, without building
   * a network and its buffers again on the main thread while the trainer runs. */
  if (self->model != NULL && nw_digit_model_same_network (self->model, spec)
      && g_strcmp0 (spec->name, nw_digit_model_get_spec (self->model)->name) == 0)
    {
      if (!nw_digit_model_load_state (self->model, state, "state", error))
        return FALSE;
      model_changed (self);
      return TRUE;
    }
  model = nw_digit_model_new_from_state (spec, state, "state", error);
  if (model == NULL)
    return FALSE;
  install_model (self, model);
  return TRUE;
}

gboolean
nw_mnist_panel_load_model (NwMnistPanel *self, const char *spec_path, const char *weights_path,
                           GError **error)
{
  NwDigitModel *model;
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  model = nw_digit_model_load (spec_path, weights_path, error);
  if (model == NULL)
    return FALSE;
  install_model (self, model);
  return TRUE;
}

void
nw_mnist_panel_clear_model (NwMnistPanel *self)
{
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  if (self->model == NULL)
    {
      if (self->eval != NULL)   /* given from outside ahead of its model */
        nw_mnist_panel_evaluate (self);
      return;
    }
  g_clear_pointer (&self->model, nw_digit_model_free);
  g_clear_pointer (&self->hidden, g_free);
  nw_ui_set_label (self->model_label, _("Train or load a model to read digits"));
  show_layers (self, FALSE);
  read_pad (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MODEL]);
  nw_mnist_panel_evaluate (self);
}

gboolean
nw_mnist_panel_has_model (NwMnistPanel *self)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  return self->model != NULL;
}

const NwSpec *
nw_mnist_panel_get_spec (NwMnistPanel *self)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), NULL);
  return self->model != NULL ? nw_digit_model_get_spec (self->model) : NULL;
}

/* ---- data and class names ------------------------------------------------------------------ */

static void
apply_class_names (NwMnistPanel *self)
{
  const char *names[N_CLASSES];
  g_autoptr (GtkStringList) list = NULL;
  guint selected = gtk_drop_down_get_selected (self->label_dropdown);
  for (int c = 0; c < N_CLASSES; c++)
    names[c] = nw_mnist_panel_class_name (self, c);
  nw_prob_bars_set_class_names (self->prob_bars, names, N_CLASSES);
  nw_prob_bars_set_class_names (self->gallery_bars, names, N_CLASSES);
  nw_confusion_view_set_class_names (self->confusion_view, names, N_CLASSES);
  list = gtk_string_list_new (NULL);
  for (int c = 0; c < N_CLASSES; c++)
    gtk_string_list_append (list, names[c]);
  gtk_drop_down_set_model (self->label_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->label_dropdown,
                              selected < N_CLASSES ? selected : 0);
}

void
nw_mnist_panel_set_class_names (NwMnistPanel *self, const char *const *names)
{
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  for (int c = 0; c < N_CLASSES; c++)
    {
      g_free (self->class_names[c]);
      /* core's names are N_()-marked: shown translated */
      self->class_names[c] = names != NULL ? g_strdup (_(names[c])) : NULL;
    }
  apply_class_names (self);
  read_pad (self);
}

static gboolean
has_digit_test_split (const NwDataset *ds)
{
  return ds != NULL && ds->test.n > 0 && ds->test.d == NW_DIGIT_PIXELS && ds->test.labels != NULL;
}

/* `owner` NULL: copies of the split's arrays; else they are borrowed while `owner` is held. */
static void
set_test_split (NwMnistPanel *self, const NwDataset *ds, gpointer owner, GDestroyNotify owner_free)
{
  g_clear_pointer (&self->test, nw_mnist_panel_test_split_unref);
  if (has_digit_test_split (ds))
    {
      TestSplit *t = g_atomic_rc_box_new0 (TestSplit);
      t->n = ds->test.n;
      t->owner = owner;
      t->owner_free = owner_free;
      t->x = owner != NULL ? ds->test.x
                           : g_memdup2 (ds->test.x, sizeof (float) * NW_DIGIT_PIXELS * (gsize) t->n);
      t->labels = owner != NULL ? ds->test.labels : g_memdup2 (ds->test.labels, (gsize) t->n);
      self->test = t;
    }
  else if (owner != NULL)
    owner_free (owner);
  if (ds != NULL && g_strcmp0 (ds->name, nw_data_kind_name (NW_DATA_FASHION_MNIST)) == 0)
    nw_mnist_panel_set_class_names (self, nw_data_class_names (NW_DATA_FASHION_MNIST));
  else if (ds != NULL)
    nw_mnist_panel_set_class_names (self, NULL);
  nw_mnist_panel_evaluate (self);
}

void
nw_mnist_panel_set_test_data (NwMnistPanel *self, const NwDataset *ds)
{
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  set_test_split (self, ds, NULL, NULL);
}

void
nw_mnist_panel_share_test_data (NwMnistPanel *self, const NwDataset *ds, gpointer owner,
                                GDestroyNotify owner_free)
{
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  g_return_if_fail (ds != NULL && owner != NULL && owner_free != NULL);
  set_test_split (self, ds, owner, owner_free);
}

void
nw_mnist_panel_set_data_message (NwMnistPanel *self, const char *message)
{
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  if (g_strcmp0 (message, self->data_message) == 0)
    return;
  g_free (self->data_message);
  self->data_message = g_strdup (message);
  nw_mnist_panel_evaluate (self);
}

/* ---- progress ------------------------------------------------------------------------------ */

/* The accuracy list shows three rows of epochs; after a long run the newest would be out of
 * sight below them. The list follows its newest epoch, as a log does, until the user scrolls
 * up to older ones, and again once they scroll back to the bottom. */
static gboolean
adjustment_at_end (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj)
         >= gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - 0.5;
}

static void
on_accuracy_scrolled (GtkAdjustment *adj, NwMnistPanel *self)
{
  self->accuracy_follows = adjustment_at_end (adj);
}

static void
on_accuracy_resized (GtkAdjustment *adj, NwMnistPanel *self)
{
  if (self->accuracy_follows && !adjustment_at_end (adj))
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj)
                                   - gtk_adjustment_get_page_size (adj));
}

void
nw_mnist_panel_set_progress (NwMnistPanel *self, int epoch, double fraction,
                             double test_accuracy)
{
  char text[64];
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  fraction = isfinite (fraction) ? CLAMP (fraction, 0.0, 1.0) : 0.0;
  gtk_progress_bar_set_fraction (self->epoch_progress, fraction);
  g_snprintf (text, sizeof text, _("epoch %d \u00b7 %.0f%%"), epoch + 1, 100 * fraction);
  nw_ui_set_value (self->epoch_progress_text, text);
  g_snprintf (text, sizeof text, g_dngettext (GETTEXT_PACKAGE, "%d epoch done",
                                              "%d epochs done", (gulong) MAX (epoch, 0)), epoch);
  gtk_label_set_text (self->epoch_label, text);
  nw_mnist_panel_list_accuracy (self, epoch, test_accuracy);
}

void
nw_mnist_panel_list_accuracy (NwMnistPanel *self, int epoch, double test_accuracy)
{
  char text[64];
  GtkWidget *label;
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  if (!isfinite (test_accuracy) || epoch <= self->last_listed_epoch)
    return;
  g_snprintf (text, sizeof text, _("Epoch %d: %.2f%%"), epoch, 100 * test_accuracy);
  label = gtk_label_new (text);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "accuracy-chip");
  gtk_flow_box_append (self->accuracy_list, label);
  self->last_listed_epoch = epoch;
}

void
nw_mnist_panel_reset_progress (NwMnistPanel *self)
{
  GtkWidget *child;
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accuracy_list))) != NULL)
    gtk_flow_box_remove (self->accuracy_list, child);
  self->last_listed_epoch = 0;
  self->accuracy_follows = TRUE;
  gtk_progress_bar_set_fraction (self->epoch_progress, 0);
  nw_ui_set_value (self->epoch_progress_text, "\u2013");
  gtk_label_set_text (self->epoch_label, _("not started"));
}

/* ---- accessors ----------------------------------------------------------------------------- */

int
nw_mnist_panel_get_prediction (NwMnistPanel *self)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), -1);
  return self->prediction;
}

const float *
nw_mnist_panel_get_probabilities (NwMnistPanel *self)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), NULL);
  return self->prediction >= 0 ? self->probs : NULL;
}

const NwDigitStages *
nw_mnist_panel_get_stages (NwMnistPanel *self)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), NULL);
  return self->stages;
}

gboolean
nw_mnist_panel_is_evaluating (NwMnistPanel *self)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  return self->eval_cancel != NULL;
}

#define PART_GETTER(name, field) \
  GtkWidget * \
  nw_mnist_panel_get_##name (NwMnistPanel *self) \
  { \
    g_return_val_if_fail (NW_IS_MNIST_PANEL (self), NULL); \
    return GTK_WIDGET (self->field); \
  }
PART_GETTER (pad, pad)
PART_GETTER (prob_bars, prob_bars)
PART_GETTER (stages_view, stages_view)
PART_GETTER (layer_strip, layer_strip)
PART_GETTER (confusion_view, confusion_view)
PART_GETTER (gallery, gallery)
PART_GETTER (accuracy_list, accuracy_list)
#undef PART_GETTER

/* ---- actions and signals from the children ------------------------------------------------- */

static void
action_undo (GtkWidget *widget, const char *name, GVariant *param)
{
  nw_digit_pad_undo (NW_MNIST_PANEL (widget)->pad);
}

static void
action_clear (GtkWidget *widget, const char *name, GVariant *param)
{
  nw_digit_pad_clear (NW_MNIST_PANEL (widget)->pad);
}

static void
action_add (GtkWidget *widget, const char *name, GVariant *param)
{
  NwMnistPanel *self = NW_MNIST_PANEL (widget);
  nw_mnist_panel_add_drawing (self, (int) gtk_drop_down_get_selected (self->label_dropdown));
}

static void
action_gallery_all (GtkWidget *widget, const char *name, GVariant *param)
{
  nw_mnist_panel_show_all_mistakes (NW_MNIST_PANEL (widget));
}

static void
action_save_set (GtkWidget *widget, const char *name, GVariant *param)
{
  nw_mnist_panel_choose_digit_set_file (NW_MNIST_PANEL (widget), TRUE);
}

static void
action_load_set (GtkWidget *widget, const char *name, GVariant *param)
{
  nw_mnist_panel_choose_digit_set_file (NW_MNIST_PANEL (widget), FALSE);
}

static void
on_width_changed (GtkRange *range, NwMnistPanel *self)
{
  nw_digit_pad_set_stroke_width (self->pad, gtk_range_get_value (range));
}

static void
on_mix_toggled (GtkCheckButton *check, GParamSpec *pspec, NwMnistPanel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIX_USER_DIGITS]);
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
nw_mnist_panel_dispose (GObject *object)
{
  NwMnistPanel *self = NW_MNIST_PANEL (object);
  nw_mnist_panel_cancel_evaluation (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_MNIST_PANEL);
  G_OBJECT_CLASS (nw_mnist_panel_parent_class)->dispose (object);
}

static void
nw_mnist_panel_finalize (GObject *object)
{
  NwMnistPanel *self = NW_MNIST_PANEL (object);
  g_clear_pointer (&self->model, nw_digit_model_free);
  g_clear_pointer (&self->stages, nw_digit_stages_free);
  g_clear_pointer (&self->hidden, g_free);
  g_clear_pointer (&self->test, nw_mnist_panel_test_split_unref);
  g_clear_pointer (&self->data_message, g_free);
  g_clear_pointer (&self->eval, nw_digit_evaluation_free);
  g_clear_pointer (&self->gallery_index, g_free);
  g_clear_pointer (&self->digits, nw_digit_set_free);
  for (int c = 0; c < N_CLASSES; c++)
    g_clear_pointer (&self->class_names[c], g_free);
  G_OBJECT_CLASS (nw_mnist_panel_parent_class)->finalize (object);
}

static void
nw_mnist_panel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwMnistPanel *self = NW_MNIST_PANEL (object);
  switch (prop_id)
    {
    case PROP_HAS_MODEL:
      g_value_set_boolean (value, self->model != NULL);
      break;
    case PROP_PREDICTION:
      g_value_set_int (value, self->prediction);
      break;
    case PROP_EVALUATING:
      g_value_set_boolean (value, self->eval_cancel != NULL);
      break;
    case PROP_MIX_USER_DIGITS:
      g_value_set_boolean (value, nw_mnist_panel_get_mix_user_digits (self));
      break;
    case PROP_N_USER_DIGITS:
      g_value_set_int (value, (int) nw_digit_set_get_n (self->digits));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_mnist_panel_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  NwMnistPanel *self = NW_MNIST_PANEL (object);
  switch (prop_id)
    {
    case PROP_MIX_USER_DIGITS:
      gtk_check_button_set_active (self->mix_check, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_mnist_panel_class_init (NwMnistPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nw_mnist_panel_dispose;
  object_class->finalize = nw_mnist_panel_finalize;
  object_class->get_property = nw_mnist_panel_get_property;
  object_class->set_property = nw_mnist_panel_set_property;

  properties[PROP_HAS_MODEL] =
    g_param_spec_boolean ("has-model", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREDICTION] =
    g_param_spec_int ("prediction", NULL, NULL, -1, N_CLASSES - 1, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVALUATING] =
    g_param_spec_boolean ("evaluating", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIX_USER_DIGITS] =
    g_param_spec_boolean ("mix-user-digits", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_USER_DIGITS] =
    g_param_spec_int ("n-user-digits", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MODEL_CHANGED] =
    g_signal_new ("model-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_EVALUATION_DONE] =
    g_signal_new ("evaluation-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DIGIT_SET_CHANGED] =
    g_signal_new ("digit-set-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (NW_TYPE_DIGIT_PAD);
  g_type_ensure (NW_TYPE_DIGIT_STAGES_VIEW);
  g_type_ensure (NW_TYPE_PROB_BARS);
  g_type_ensure (NW_TYPE_LAYER_STRIP);
  g_type_ensure (NW_TYPE_CONFUSION_VIEW);
  g_type_ensure (NW_TYPE_DIGIT_GALLERY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-mnist-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NwMnistPanel, name)
  BIND (scroller);
  BIND (pad);
  BIND (width_scale);
  BIND (prediction_label);
  BIND (model_label);
  BIND (prob_bars);
  BIND (stages_view);
  BIND (layer_strip);
  BIND (user_count_label);
  BIND (label_dropdown);
  BIND (mix_check);
  BIND (set_status_label);
  BIND (epoch_label);
  BIND (epoch_progress);
  BIND (epoch_progress_text);
  BIND (accuracy_scroll);
  BIND (accuracy_list);
  BIND (eval_spinner);
  BIND (eval_label);
  BIND (confusion_view);
  BIND (gallery_label);
  BIND (gallery_all_button);
  BIND (gallery);
  BIND (selected_label);
  BIND (gallery_bars);
#undef BIND

  gtk_widget_class_install_action (widget_class, "mnist.undo", NULL, action_undo);
  gtk_widget_class_install_action (widget_class, "mnist.clear", NULL, action_clear);
  gtk_widget_class_install_action (widget_class, "mnist.add", NULL, action_add);
  gtk_widget_class_install_action (widget_class, "mnist.save-set", NULL, action_save_set);
  gtk_widget_class_install_action (widget_class, "mnist.load-set", NULL, action_load_set);
  gtk_widget_class_install_action (widget_class, "mnist.gallery-all", NULL, action_gallery_all);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "mnist.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "mnist.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "mnist.add", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mnistpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
nw_mnist_panel_init (NwMnistPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->stages = nw_digit_stages_new ();
  self->digits = nw_digit_set_new ();
  self->prediction = -1;
  self->filter_true = self->filter_pred = -1;
  self->can_add = self->can_edit = -1;

  g_signal_connect (self->pad, "changed", G_CALLBACK (on_pad_changed), self);
  g_signal_connect (self->width_scale, "value-changed", G_CALLBACK (on_width_changed), self);
  g_signal_connect (self->mix_check, "notify::active", G_CALLBACK (on_mix_toggled), self);
  {
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->accuracy_scroll);
    self->accuracy_follows = TRUE;
    g_signal_connect_object (adj, "value-changed", G_CALLBACK (on_accuracy_scrolled), self, 0);
    g_signal_connect_object (adj, "changed", G_CALLBACK (on_accuracy_resized), self, 0);
  }
  nw_mnist_panel_eval_init (self);
  nw_digit_pad_set_stroke_width (self->pad, gtk_range_get_value (GTK_RANGE (self->width_scale)));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("MNIST digit reader"), -1);
  nw_ui_name_value (GTK_WIDGET (self->prediction_label), _("Prediction"));
  nw_ui_name_value (GTK_WIDGET (self->model_label), _("Model"));
  nw_ui_name_value (GTK_WIDGET (self->epoch_progress_text), _("Epoch progress text"));
  apply_class_names (self);
  nw_mnist_panel_digit_set_changed (self);
  show_layers (self, FALSE);
  read_pad (self);
  nw_mnist_panel_evaluate (self);
}

GtkWidget *
nw_mnist_panel_new (void)
{
  return g_object_new (NW_TYPE_MNIST_PANEL, NULL);
}
