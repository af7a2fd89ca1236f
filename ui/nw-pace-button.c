/* nw-pace-button.c: the pace on a log scale, in a popover of the header bar. */
#include "nw-pace-button.h"
#include "nw-i18n.h"

#include <math.h>

/* The scale's positions: log10 of the pace from 0 (1 step/s) to 4 (10,000), then full speed
 * at FULL_POS; a position past SNAP_POS is full speed, one between 4 and it is 10,000. */
#define LOG_MAX   4.0
#define FULL_POS  5.0
#define SNAP_POS  4.5

struct _NwPaceButton
{
  GtkBox          parent_instance;

  GtkMenuButton  *menu_button;
  GtkLabel       *pace_label;
  GtkScale       *scale;
  GtkAdjustment  *adjustment;

  NwSession      *session;
  gboolean        syncing;   /* showing the session's pace: not a choice of the user */
};

G_DEFINE_FINAL_TYPE (NwPaceButton, nw_pace_button, GTK_TYPE_BOX)

static const double ladder[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };

double
nw_pace_button_step (double pace, int direction)
{
  guint n = G_N_ELEMENTS (ladder);
  gboolean full = !(pace > 0);
  if (direction > 0)
    {
      if (full)
        return 0;
      for (guint i = 0; i < n; i++)
        if (ladder[i] > pace * (1 + 1e-9))
          return ladder[i];
      return 0;   /* past 10,000: full speed */
    }
  if (direction < 0)
    {
      if (full)
        return ladder[n - 1];
      for (guint i = n; i-- > 0;)
        if (ladder[i] < pace * (1 - 1e-9))
          return ladder[i];
      return ladder[0];   /* the slowest stays */
    }
  return full ? 0 : pace;
}

char *
nw_pace_button_format (double pace)
{
  gulong n;
  if (!(pace > 0))
    return g_strdup (_("Full speed"));
  n = (gulong) MAX (round (pace), 1);
  /* Translators: the pace of training shown in the header bar */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu step/s", "%lu steps/s", n), n);
}

/* The pace at a position of the scale, rounded to two significant digits (1, 1.5, ... 32,
 * 150, 2,400): a log scale gives 31.6 where a person reads 32; near a mark, the mark's. */
static double
pace_at (double pos)
{
  double p, mag;
  if (pos > SNAP_POS)
    return 0;
  if (fabs (pos - round (pos)) < 0.06)
    pos = round (pos);   /* on a mark: 1, 10, 100, 1,000, 10,000 */
  p = pow (10, CLAMP (pos, 0, LOG_MAX));
  mag = pow (10, floor (log10 (p)) - 1);
  return CLAMP (round (p / mag) * mag, NW_PACE_MIN, NW_PACE_MAX);
}

static double
pos_of (double pace)
{
  return pace > 0 ? CLAMP (log10 (pace), 0, LOG_MAX) : FULL_POS;
}

static void
show_pace (NwPaceButton *self, double pace)
{
  g_autofree char *text = nw_pace_button_format (pace);
  gtk_label_set_text (self->pace_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
  /* The scale where the pace is, unless the user is moving it there. */
  if (pace_at (gtk_adjustment_get_value (self->adjustment)) != pace)
    {
      self->syncing = TRUE;
      gtk_adjustment_set_value (self->adjustment, pos_of (pace));
      self->syncing = FALSE;
    }
}

static void
on_session_pace (NwSession *session, GParamSpec *pspec, NwPaceButton *self)
{
  show_pace (self, nw_session_get_pace (session));
}

static void
on_scale_moved (GtkAdjustment *adjustment, NwPaceButton *self)
{
  double pace = pace_at (gtk_adjustment_get_value (adjustment));
  if (self->syncing)
    return;
  if (self->session != NULL)
    nw_session_set_pace (self->session, pace);   /* its notify shows it */
  else
    show_pace (self, pace);
}

void
nw_pace_button_set_session (NwPaceButton *self, NwSession *session)
{
  g_return_if_fail (NW_IS_PACE_BUTTON (self));
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session == NULL)
    return;
  g_signal_connect (session, "notify::pace", G_CALLBACK (on_session_pace), self);
  show_pace (self, nw_session_get_pace (session));
}

GtkWidget *
nw_pace_button_new (void)
{
  return g_object_new (NW_TYPE_PACE_BUTTON, NULL);
}

static void
nw_pace_button_dispose (GObject *object)
{
  NwPaceButton *self = NW_PACE_BUTTON (object);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_PACE_BUTTON);
  G_OBJECT_CLASS (nw_pace_button_parent_class)->dispose (object);
}

static void
nw_pace_button_class_init (NwPaceButtonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nw_pace_button_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-pace-button.ui");
  gtk_widget_class_bind_template_child (widget_class, NwPaceButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, NwPaceButton, pace_label);
  gtk_widget_class_bind_template_child (widget_class, NwPaceButton, scale);
  gtk_widget_class_bind_template_child (widget_class, NwPaceButton, adjustment);
}

static void
nw_pace_button_init (NwPaceButton *self)
{
  /* Translators: the marks of the speed scale (steps per second; "Full" is full speed) */
  static const struct { double pos; const char *label; } marks[] = {
    { 0, "1" }, { 1, "10" }, { 2, "100" }, { 3, "1k" }, { 4, "10k" }, { FULL_POS, N_("Full") },
  };
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    gtk_scale_add_mark (self->scale, marks[i].pos, GTK_POS_BOTTOM,
                        marks[i].pos == FULL_POS ? _(marks[i].label) : marks[i].label);
  g_signal_connect (self->adjustment, "value-changed", G_CALLBACK (on_scale_moved), self);
  show_pace (self, 0);
}
