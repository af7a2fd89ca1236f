/* nw-data-panel.c: the data panel. Its actions ("data.regenerate", "data.cancel-load") are
 * the widget's own, so a window of several sessions can have a panel per session. */
#include "nw-data-panel.h"
#include "nw-i18n.h"

#include "nw-ui.h"

struct _NwDataPanel
{
  GtkBox          parent_instance;

  GtkWidget      *regenerate_button;
  GtkWidget      *generator_grid;   /* noise, size, test share: hidden for image data */
  GtkSpinButton  *noise_spin;
  GtkSpinButton  *size_spin;
  GtkSpinButton  *test_ratio_spin;
  GtkBox         *load_box;
  GtkProgressBar *load_progress;
  GtkLabel       *data_status_label;

  NwSession      *session;
  gboolean        syncing;
};

G_DEFINE_FINAL_TYPE (NwDataPanel, nw_data_panel, GTK_TYPE_BOX)

static const NwDataSpec *
current (NwDataPanel *self)
{
  const NwSpec *spec = self->session != NULL ? nw_session_get_spec (self->session) : NULL;
  return spec != NULL ? &spec->data : NULL;
}

/* A truth table's four corners and a CSV file: the settings shown, greyed (a CSV file is split by the
 * test share). Image files come split, with nothing to set: the settings are hidden and the
 * status line says what was loaded. */
static void
sync_controls (NwDataPanel *self)
{
  const NwDataSpec *d = current (self);
  gboolean generated, tunable;
  if (d == NULL)
    return;
  generated = nw_data_kind_is_2d (d->kind);
  tunable = generated && !nw_data_kind_is_truth_table (d->kind);
  self->syncing = TRUE;
  gtk_spin_button_set_value (self->noise_spin, d->noise);
  gtk_spin_button_set_value (self->size_spin, d->n);
  gtk_spin_button_set_value (self->test_ratio_spin, d->test_ratio);
  self->syncing = FALSE;
  gtk_widget_set_visible (self->generator_grid, !nw_data_kind_is_image (d->kind));
  gtk_widget_set_visible (self->regenerate_button, generated);
  gtk_widget_set_sensitive (GTK_WIDGET (self->noise_spin), tunable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->size_spin), tunable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_ratio_spin), tunable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.regenerate", tunable);
}

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
on_progress (NwSession *session, double fraction, const char *what, NwDataPanel *self)
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-load", TRUE);
}

static void
on_status (NwSession *session, const char *text, gboolean error, NwDataPanel *self)
{
  /* A fraction ends the bar's pulsing: hidden, it would go on ticking the frame clock at 60
   * frames a second for the window's life (two X round trips each, beside the trainer). */
  gtk_progress_bar_set_fraction (self->load_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->load_box), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-load", FALSE);
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

static void
on_busy_changed (NwSession *session, GParamSpec *pspec, NwDataPanel *self)
{
  if (!nw_session_get_busy (session))
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-load", FALSE);
}

static void
on_spec_changed (NwSession *session, NwDataPanel *self)
{
  sync_controls (self);
}

static void
edit (NwDataPanel *self, const NwDataSpec *d)
{
  nw_session_set_data (self->session, d);
}

/* ---- template callbacks and actions ---- */

static void
on_generator_changed (GtkSpinButton *spin, NwDataPanel *self)
{
  NwDataSpec d;
  if (self->syncing || current (self) == NULL)
    return;
  d = *current (self);
  if (spin == self->noise_spin)
    d.noise = gtk_spin_button_get_value (spin);
  else if (spin == self->size_spin)
    d.n = gtk_spin_button_get_value_as_int (spin);
  else if (spin == self->test_ratio_spin)
    d.test_ratio = gtk_spin_button_get_value (spin);
  edit (self, &d);
}

static void
action_regenerate (GtkWidget *widget, const char *name, GVariant *param)
{
  NwDataPanel *self = NW_DATA_PANEL (widget);
  NwDataSpec d;
  if (current (self) == NULL)
    return;
  d = *current (self);
  d.seed++;
  edit (self, &d);
}

static void
action_cancel_load (GtkWidget *widget, const char *name, GVariant *param)
{
  NwDataPanel *self = NW_DATA_PANEL (widget);
  if (self->session != NULL)
    nw_session_cancel_load (self->session);
}

/* ---- life cycle ---- */

void
nw_data_panel_set_session (NwDataPanel *self, NwSession *session)
{
  g_return_if_fail (NW_IS_DATA_PANEL (self));
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect (session, "spec-changed", G_CALLBACK (on_spec_changed), self);
      g_signal_connect (session, "data-changed", G_CALLBACK (on_spec_changed), self);
      g_signal_connect (session, "data-progress", G_CALLBACK (on_progress), self);
      g_signal_connect (session, "data-status", G_CALLBACK (on_status), self);
      g_signal_connect (session, "notify::busy", G_CALLBACK (on_busy_changed), self);
    }
  sync_controls (self);
}

static void
nw_data_panel_dispose (GObject *object)
{
  NwDataPanel *self = NW_DATA_PANEL (object);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_DATA_PANEL);
  G_OBJECT_CLASS (nw_data_panel_parent_class)->dispose (object);
}

static void
nw_data_panel_class_init (NwDataPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nw_data_panel_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-data-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, NwDataPanel, regenerate_button);
  gtk_widget_class_bind_template_child (widget_class, NwDataPanel, generator_grid);
  gtk_widget_class_bind_template_child (widget_class, NwDataPanel, noise_spin);
  gtk_widget_class_bind_template_child (widget_class, NwDataPanel, size_spin);
  gtk_widget_class_bind_template_child (widget_class, NwDataPanel, test_ratio_spin);
  gtk_widget_class_bind_template_child (widget_class, NwDataPanel, load_box);
  gtk_widget_class_bind_template_child (widget_class, NwDataPanel, load_progress);
  gtk_widget_class_bind_template_child (widget_class, NwDataPanel, data_status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_generator_changed);
  gtk_widget_class_install_action (widget_class, "data.regenerate", NULL, action_regenerate);
  gtk_widget_class_install_action (widget_class, "data.cancel-load", NULL, action_cancel_load);
}

static void
nw_data_panel_init (NwDataPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  nw_ui_name_value (GTK_WIDGET (self->data_status_label), _("Data status"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-load", FALSE);
}

GtkWidget *
nw_data_panel_new (void)
{
  return g_object_new (NW_TYPE_DATA_PANEL, NULL);
}
