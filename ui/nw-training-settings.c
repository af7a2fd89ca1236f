/* nw-training-settings.c: the training settings widget. */
#include "nw-training-settings.h"
#include "nw-i18n.h"

#include "nw-ui.h"

#include <math.h>
#include <string.h>

struct _NwTrainingSettings
{
  GtkBox         parent_instance;

  GtkDropDown   *optimizer_dropdown;
  GtkScale      *lr_scale;
  GtkLabel      *lr_value_label;
  GtkSpinButton *batch_spin;
  GtkSpinButton *l1_spin;
  GtkSpinButton *l2_spin;
  GtkSpinButton *seed_spin;

  NwSession     *session;
  gboolean       syncing;   /* the controls are being set from the session */
};

G_DEFINE_FINAL_TYPE (NwTrainingSettings, nw_training_settings, GTK_TYPE_BOX)

/* The learning rate to two significant digits: the scale moves in steps of 0.1 decades. */
static double
round_2_significant (double v)
{
  double mag;
  if (!(v > 0))
    return v;
  mag = pow (10, floor (log10 (v)) - 1);
  return round (v / mag) * mag;
}

static const NwTrainSpec *
current (NwTrainingSettings *self)
{
  const NwSpec *spec = self->session != NULL ? nw_session_get_spec (self->session) : NULL;
  return spec != NULL ? &spec->train : NULL;
}

static void
show_lr (NwTrainingSettings *self)
{
  char buf[32];
  g_snprintf (buf, sizeof buf, "%.2g", current (self)->lr);
  nw_ui_set_label (self->lr_value_label, buf);
}

static void
sync_controls (NwTrainingSettings *self)
{
  const NwTrainSpec *t = current (self);
  if (t == NULL)
    return;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->optimizer_dropdown, t->optimizer);
  gtk_range_set_value (GTK_RANGE (self->lr_scale), log10 (MAX (t->lr, 1e-5)));
  gtk_spin_button_set_value (self->batch_spin, t->batch_size);
  gtk_spin_button_set_value (self->l1_spin, t->l1);
  gtk_spin_button_set_value (self->l2_spin, t->l2);
  gtk_spin_button_set_value (self->seed_spin, (double) t->seed);
  self->syncing = FALSE;
  show_lr (self);
}

static void
on_spec_changed (NwSession *session, NwTrainingSettings *self)
{
  sync_controls (self);
}

/* ---- template callbacks ---- */

static void
on_optimizer_selected (GtkDropDown *dropdown, GParamSpec *pspec, NwTrainingSettings *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  NwTrainSpec t;
  if (self->syncing || current (self) == NULL)
    return;
  t = *current (self);
  if (i >= NW_N_OPTIMIZERS || (guint) t.optimizer == i)
    return;
  t.optimizer = (NwOptimizerKind) i;
  /* Momentum without a momentum setting would be plain SGD. */
  if ((i == NW_OPT_MOMENTUM || i == NW_OPT_NESTEROV) && t.momentum <= 0)
    t.momentum = 0.9;
  nw_session_set_train (self->session, &t);
}

static void
on_lr_changed (GtkRange *range, NwTrainingSettings *self)
{
  double lr = round_2_significant (pow (10, gtk_range_get_value (range)));
  NwTrainSpec t;
  if (self->syncing || current (self) == NULL || lr == current (self)->lr)
    return;
  t = *current (self);
  t.lr = lr;
  nw_session_set_train (self->session, &t);
  show_lr (self);
}

static void
on_hyper_changed (GtkSpinButton *spin, NwTrainingSettings *self)
{
  NwTrainSpec t;
  if (self->syncing || current (self) == NULL)
    return;
  t = *current (self);
  if (spin == self->batch_spin)
    t.batch_size = gtk_spin_button_get_value_as_int (spin);
  else if (spin == self->l1_spin)
    t.l1 = gtk_spin_button_get_value (spin);
  else if (spin == self->l2_spin)
    t.l2 = gtk_spin_button_get_value (spin);
  nw_session_set_train (self->session, &t);
}

static void
on_seed_changed (GtkSpinButton *spin, NwTrainingSettings *self)
{
  NwTrainSpec t;
  if (self->syncing || current (self) == NULL)
    return;
  /* The seed makes the initial weights: it takes effect at the next Reset. */
  t = *current (self);
  t.seed = (guint64) gtk_spin_button_get_value (spin);
  nw_session_set_train (self->session, &t);
}

static gboolean
on_batch_output (GtkSpinButton *spin, NwTrainingSettings *self)
{
  if (gtk_spin_button_get_value_as_int (spin) != 0)
    return FALSE;
  /* Translators: the batch size spin button's text for 0 (the whole training set); typing it,
   * or "full", sets 0 */
  gtk_editable_set_text (GTK_EDITABLE (spin), _("full batch"));
  return TRUE;
}

static int
on_batch_input (GtkSpinButton *spin, double *value, NwTrainingSettings *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  if (g_str_has_prefix (text, "full") || strcmp (text, _("full batch")) == 0)
    {
      *value = 0;
      return TRUE;
    }
  return FALSE;
}

/* ---- life cycle ---- */

void
nw_training_settings_set_session (NwTrainingSettings *self, NwSession *session)
{
  g_return_if_fail (NW_IS_TRAINING_SETTINGS (self));
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect (session, "spec-changed", G_CALLBACK (on_spec_changed), self);
  sync_controls (self);
}

static void
nw_training_settings_dispose (GObject *object)
{
  NwTrainingSettings *self = NW_TRAINING_SETTINGS (object);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_TRAINING_SETTINGS);
  G_OBJECT_CLASS (nw_training_settings_parent_class)->dispose (object);
}

static void
nw_training_settings_class_init (NwTrainingSettingsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nw_training_settings_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-training-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, NwTrainingSettings, optimizer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NwTrainingSettings, lr_scale);
  gtk_widget_class_bind_template_child (widget_class, NwTrainingSettings, lr_value_label);
  gtk_widget_class_bind_template_child (widget_class, NwTrainingSettings, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, NwTrainingSettings, l1_spin);
  gtk_widget_class_bind_template_child (widget_class, NwTrainingSettings, l2_spin);
  gtk_widget_class_bind_template_child (widget_class, NwTrainingSettings, seed_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_optimizer_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_lr_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hyper_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_seed_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_batch_output);
  gtk_widget_class_bind_template_callback (widget_class, on_batch_input);
}

static void
nw_training_settings_init (NwTrainingSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  nw_ui_name_value (GTK_WIDGET (self->lr_value_label), _("Learning rate value"));
}

GtkWidget *
nw_training_settings_new (void)
{
  return g_object_new (NW_TYPE_TRAINING_SETTINGS, NULL);
}
