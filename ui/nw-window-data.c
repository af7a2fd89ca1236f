/* nw-window-data.c: the data panel's view of the session's data: progress while data loads
 * in the background, what was loaded (or why not), and Cancel. The loading itself is the
 * session's (core/nw-session-data.c). */
#include "nw-window-private.h"

#include <string.h>

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

/* ------------------------------------------------------------------------------------------ */
/* What the session says                                                                       */

void
nw_window_on_data_progress (NwSession *session, double fraction, const char *what, NwWindow *self)
{
  show_progress (self, fraction, what);
}

void
nw_window_on_data_status (NwSession *session, const char *text, gboolean error, NwWindow *self)
{
  show_status (self, error, text);
}

void
nw_window_on_data_loaded (NwSession *session, NwWindow *self)
{
  nw_window_mnist_data_loaded (self, nw_session_get_dataset (session),
                               nw_session_ref_dataset (session), nw_session_unref_dataset);
}

void
nw_window_on_data_failed (NwSession *session, const char *text, NwWindow *self)
{
  nw_window_mnist_data_failed (self, text);
}

void
nw_window_on_busy_changed (NwSession *session, GParamSpec *pspec, NwWindow *self)
{
  if (!nw_session_get_busy (session))
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);
}

void
nw_window_action_cancel_load (GtkWidget *widget, const char *name, GVariant *param)
{
  nw_session_cancel_load (NW_WINDOW (widget)->session);
}
