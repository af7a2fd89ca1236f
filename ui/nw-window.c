/* nw-window.c: the main window: one session, shown by widgets of their own (training
 * settings, data panel, layer switches, training views, device button, the editor), and what
 * only the window does: the header's controls and counters, messages and alarms. Files and
 * the questions about unsaved changes are nw-file-actions.c's. */
#include "nw-window.h"
#include "nw-i18n.h"

#include "nw-data-panel.h"
#include "nw-device-button.h"
#include "nw-editor.h"
#include "nw-file-actions.h"
#include "nw-layer-switches.h"
#include "nw-mnist-feed.h"
#include "nw-pace-button.h"
#include "nw-settings.h"
#include "nw-training-settings.h"
#include "nw-training-views.h"
#include "nw-ui.h"
#include "nw-window-lesson.h"
#include "nw-plot.h"
#include "nw-zoom.h"

#include <adwaita.h>
#include <math.h>

struct _NwWindow
{
  GtkApplicationWindow parent_instance;

  /* template children */
  GtkToggleButton    *side_panel_button;
  GtkWidget          *left_paned;      /* the side panel: the editor and the settings */
  GtkPaned           *main_paned;
  GtkMenuButton      *menu_button;
  GtkImage           *play_icon;
  GtkLabel           *play_label;
  GtkWidget          *play_button;
  GtkDropDown        *dataset_dropdown;
  GtkLabel           *subtitle_label;
  NwDeviceButton     *device_chooser;
  NwPaceButton       *pace_button;
  /* Values that change while training are inscriptions: a new text redraws them without
   * laying the window out again (a GtkLabel's does, with X round trips for the toplevel's
   * size, several times a second beside the trainer). */
  GtkInscription     *speed_label;
  GtkInscription     *step_label;
  GtkInscription     *epoch_label;
  GtkRevealer        *message_revealer;
  GtkLabel           *message_label;
  GtkRevealer        *alarm_revealer;
  GtkLabel           *alarm_label;
  GtkWidget          *restore_button;  /* shown with a divergence alarm */
  GtkBox             *editor_slot;
  NwTrainingSettings *training_settings;
  NwDataPanel        *data_panel;
  NwLayerSwitches    *layer_switches;
  NwTrainingViews    *training_views;
  /* The window's child: not bound, as gtk_widget_dispose_template would unparent it behind
   * GtkWindow's back (a Gtk-CRITICAL as the window goes). */
  AdwToastOverlay    *toast_overlay;

  NwEditor           *editor;
  GSettings          *settings;        /* the program's (nw-settings.h); NULL: none */
  NwSession          *session;
  NwMnistFeed        *mnist_feed;
  gint64              speed_text_us;   /* when the steps/s text last changed */
  gint64              maps_us;         /* when the editor last took neuron maps */
  gboolean            syncing;         /* the dataset menu is being set from the session */
  gboolean            pause_said;      /* the message area says why the run paused itself */

  /* The zoom row of the main menu, and the side panel folding away when there is no room */
  GtkWidget          *zoom_label;
  NwZoom             *zoom;
  int                 fold_width;      /* the width last looked at */
  gboolean            fold_fits;       /* whether the side panel and the plots fitted then */
  gboolean            fold_auto;       /* the window folded the side panel (not the user) */
  gboolean            fold_setting;    /* the window is showing or hiding it */
  guint               fold_idle;
  double              side_width_1;    /* the side panel's width at 100% (it zooms too) */
  gboolean            side_zooming;    /* the window is setting its width */
};

G_DEFINE_FINAL_TYPE (NwWindow, nw_window, GTK_TYPE_APPLICATION_WINDOW)

/* The editor's neuron maps redraw every block: at most ~7 a second while training. */
#define MAPS_US 140000

/* The dataset menu: the 2D kinds in order (the generators, then the notes' truth tables),
 * then MNIST and Fashion-MNIST. */
#define N_2D_KINDS      (NW_DATA_OR + 1)
#define DATASET_MNIST   N_2D_KINDS
#define DATASET_FASHION (N_2D_KINDS + 1)

static const NwSpec *
spec_of (NwWindow *self)
{
  return nw_session_get_spec (self->session);
}

/* ---- messages and alarms ---- */

static void G_GNUC_PRINTF (2, 3)
show_message (NwWindow *self, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  nw_ui_set_label (self->message_label, text);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
}

static void
dismiss_message (NwWindow *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

static void
on_message (GObject *source, const char *text, NwWindow *self)
{
  if (text != NULL)
    show_message (self, "%s", text);
  else
    dismiss_message (self);
}

static void
set_alarm (NwWindow *self, const char *text)
{
  if (text != NULL)
    nw_ui_set_label (self->alarm_label, text);
  gtk_revealer_set_reveal_child (self->alarm_revealer, text != NULL);
  gtk_widget_set_visible (self->restore_button, FALSE);
}

static void
show_toast (NwWindow *self, const char *text)
{
  AdwToast *toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- what the settings remember ---- */

static void
restore_window_state (NwWindow *self)
{
  if (self->settings == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, NW_SETTINGS_WINDOW_WIDTH),
                               g_settings_get_int (self->settings, NW_SETTINGS_WINDOW_HEIGHT));
  if (g_settings_get_boolean (self->settings, NW_SETTINGS_WINDOW_MAXIMIZED))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* The size is the unmaximized one (GTK keeps the default size while maximized). */
static void
save_window_state (NwWindow *self)
{
  int width = 0, height = 0;
  if (self->settings == NULL)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width >= 200 && width <= 32767 && height >= 200 && height <= 32767)
    {
      g_settings_set_int (self->settings, NW_SETTINGS_WINDOW_WIDTH, width);
      g_settings_set_int (self->settings, NW_SETTINGS_WINDOW_HEIGHT, height);
    }
  g_settings_set_boolean (self->settings, NW_SETTINGS_WINDOW_MAXIMIZED,
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

/* The file shown is the one to reopen at the next start (a preset, which has none, leaves the
 * last file as it was). */
static void
remember_file (NwWindow *self)
{
  GFile *file = nw_session_get_file (self->session);
  g_autofree char *uri = file != NULL ? g_file_get_uri (file) : NULL;
  if (self->settings != NULL && uri != NULL)
    g_settings_set_string (self->settings, NW_SETTINGS_LAST_NETWORK, uri);
}

/* ---- the header ---- */

static void
update_play_button (NwWindow *self)
{
  gboolean playing = nw_session_get_playing (self->session);
  gboolean valid = nw_session_get_valid (self->session);
  /* After the budget: Play goes on without it. */
  gboolean budget = !playing && nw_session_get_paused_by (self->session, NULL) == NW_PAUSE_BUDGET;
  const char *name = playing ? _("Pause") : budget ? _("Continue") : _("Play");
  gtk_image_set_from_icon_name (self->play_icon, playing ? "media-playback-pause-symbolic"
                                                         : "media-playback-start-symbolic");
  gtk_label_set_text (self->play_label, name);  /* the button carries the name */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (!valid)
    {
      const char *reason = nw_session_get_invalid_reason (self->session);
      g_autofree char *tip = g_strdup_printf (_("The network cannot train: %s"), reason ? reason : "");
      gtk_widget_set_tooltip_text (self->play_button, tip);
    }
  else
    gtk_widget_set_tooltip_text (self->play_button,
                                 playing ? _("Pause (Space)")
                                 : budget ? _("Continue past the network's budget of steps (Space)")
                                 : _("Play (Space)"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play", valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset",
                                 valid && !nw_window_lesson_locks (self, NW_LESSON_CONTROL_RESET));
  if (!playing)
    nw_ui_set_value (self->speed_label, valid ? _("paused") : _("cannot train"));
}

static void
update_title (NwWindow *self)
{
  const NwSpec *spec = spec_of (self);
  GFile *file = nw_session_get_file (self->session);
  const char *dot = nw_session_get_modified (self->session) ? "• " : "";
  g_autofree char *base = file != NULL ? g_file_get_basename (file) : NULL;
  const char *name = spec != NULL && spec->name != NULL && spec->name[0]
    ? spec->name : _("Untitled network");
  g_autofree char *subtitle = base != NULL ? g_strdup_printf ("%s%s — %s", dot, name, base)
                                           : g_strdup_printf ("%s%s", dot, name);
  g_autofree char *title = g_strdup_printf ("%s%s — Neurowire", dot, name);
  nw_ui_set_label (self->subtitle_label, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
  if (spec != NULL && spec->description != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), spec->description);
}

static guint
dataset_position (NwDataKind kind)
{
  if (nw_data_kind_is_2d (kind))
    return (guint) kind;
  return kind == NW_DATA_MNIST ? DATASET_MNIST : kind == NW_DATA_FASHION_MNIST ? DATASET_FASHION
                                                                             : GTK_INVALID_LIST_POSITION;
}

static void
sync_dataset (NwWindow *self)
{
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->dataset_dropdown, dataset_position (spec_of (self)->data.kind));
  self->syncing = FALSE;
}

static void
on_dataset_selected (GtkDropDown *dropdown, GParamSpec *pspec, NwWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  NwDataSpec d = spec_of (self)->data;
  if (self->syncing || i == dataset_position (d.kind))
    return;
  sync_dataset (self);   /* the menu shows the network's data until another is in place */
  if (i == DATASET_MNIST || i == DATASET_FASHION)
    /* A new network for 784 inputs (asked about when there are unsaved changes). */
    gtk_widget_activate_action (GTK_WIDGET (self), "win.preset", "s",
                                i == DATASET_MNIST ? "mnist-mlp" : "fashion-mlp");
  else if (nw_data_kind_is_image (d.kind))
    /* A 2D set for a network of 784 inputs does not fit: open a 2D network instead. */
    show_message (self, _("This network reads 784 pixels: open a network for 2D data (Open "
                    "Network…) to train on 2D points."));
  else if (i < N_2D_KINDS)
    {
      d.kind = (NwDataKind) i;
      nw_session_set_data (self->session, &d);
    }
}

/* A counter in at most seven characters: exact up to 9,999,999, then 12.35M, 123.5M, 1.235G:
 * the header keeps room for seven digits (.counter.steps in style.css). */
void
nw_window_format_counter (gint64 value, char *buf, gsize size)
{
  double v = (double) value;
  if (value < 10000000)
    g_snprintf (buf, size, "%" G_GINT64_FORMAT, value);
  else if (v < 1e8)
    g_snprintf (buf, size, "%.2fM", v / 1e6);
  else if (v < 1e9)
    g_snprintf (buf, size, "%.1fM", v / 1e6);
  else if (v < 1e10)
    g_snprintf (buf, size, "%.3fG", v / 1e9);
  else if (v < 1e11)
    g_snprintf (buf, size, "%.2fG", v / 1e9);
  else
    g_snprintf (buf, size, "%.0fG", v / 1e9);
}

/* What every snapshot changes outside the views: the counters, the speed, the alarm, the
 * editor's neuron maps. */
static void
on_snapshot (NwTrainingViews *views, const NwSnapshot *snap, const NwRunnerStatus *status,
             gboolean text_due, NwWindow *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean playing = nw_session_get_playing (self->session);
  char buf[64];
  if (snap != NULL && text_due)
    {
      g_autofree char *alarm = status->error == NULL
                               ? nw_session_health_alarm (self->session, snap) : NULL;
      nw_window_format_counter (snap->step, buf, sizeof buf);
      nw_ui_set_value (self->step_label, buf);
      nw_window_format_counter (snap->epoch, buf, sizeof buf);
      nw_ui_set_value (self->epoch_label, buf);
      if (status->error == NULL)
        set_alarm (self, alarm);
    }
  if (snap != NULL && (snap->map_n > 0 || self->maps_us == 0) && (!playing || now - self->maps_us >= MAPS_US))
    {
      /* Each hidden unit's output over the boundary's window, drawn in its block. */
      nw_editor_show_snapshot_maps (self->editor, snap, nw_training_views_get_layer_ids (views));
      self->maps_us = now;
    }
  if (status->error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Training stopped: %s. Press Reset to start "
                                                 "again."), status->error);
      set_alarm (self, text);   /* the session paused: the runner stopped by itself */
      gtk_widget_set_visible (self->restore_button, TRUE);
    }
  if (playing && status->playing && now - self->speed_text_us >= NW_TRAINING_VIEWS_LIVE_TEXT_US)
    {
      self->speed_text_us = now;
      if (status->steps_per_s >= 10000)
        g_snprintf (buf, sizeof buf, _("%.0fk steps/s"), status->steps_per_s / 1000);
      else
        g_snprintf (buf, sizeof buf, _("%.0f steps/s"), status->steps_per_s);
      nw_ui_set_value (self->speed_label, buf);
    }
}

/* A new trainer or a reset: the counters and the editor's maps start again. */
static void
on_new_run (NwSession *session, NwWindow *self)
{
  nw_ui_set_value (self->step_label, "0");
  nw_ui_set_value (self->epoch_label, "0");
  nw_editor_clear_neuron_images (self->editor);
  self->maps_us = 0;
  set_alarm (self, NULL);
  update_play_button (self);
}

/* ---- the session's state ---- */

static void
on_spec_changed (NwSession *session, NwWindow *self)
{
  const NwSpec *spec = spec_of (self);
  const NwDataset *ds = nw_session_get_dataset (session);
  update_title (self);
  sync_dataset (self);
  /* The editor checks widths against the data: 2D points have 2 features and one 0/1
   * target; loaded data, what a trainer sees. */
  if (nw_session_get_points (session) != NULL || nw_data_kind_is_2d (spec->data.kind))
    nw_editor_set_data_shape (self->editor, 2, 1, 2);
  else if (ds != NULL)
    nw_editor_set_data_shape (self->editor, ds->train.d, ds->train.k, ds->n_classes);
  else if (nw_data_kind_is_image (spec->data.kind))
    nw_editor_set_data_shape (self->editor, 784, 10, 10);
  nw_editor_set_spec (self->editor, spec);
}

static void
on_title_changed (NwSession *session, GParamSpec *pspec, NwWindow *self)
{
  update_title (self);
}

static void
on_file_changed (NwSession *session, GParamSpec *pspec, NwWindow *self)
{
  update_title (self);
  remember_file (self);
}

static void
on_play_state_changed (NwSession *session, GParamSpec *pspec, NwWindow *self)
{
  if (!nw_session_get_valid (session))
    set_alarm (self, NULL);
  /* Playing again: why it paused no longer applies. */
  if (nw_session_get_playing (session) && self->pause_said)
    {
      self->pause_said = FALSE;
      dismiss_message (self);
    }
  update_play_button (self);
}

/* 10001 as "10,001": counts in the messages, grouped as in English and Korean alike. */
static char *
group_digits (gint64 value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, ABS (value));
  GString *out = g_string_new (value < 0 ? "-" : "");
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* The run paused by itself: the message area says why (an error says so in the alarm, from
 * the snapshot that carries it). */
static void
on_paused (NwSession *session, int reason, gint64 step, NwWindow *self)
{
  g_autofree char *at = group_digits (step);
  const NwSpec *spec = spec_of (self);
  switch (reason)
    {
    case NW_PAUSE_BUDGET:
      if (spec != NULL && spec->train.steps <= 0 && spec->train.epochs > 0)
        {
          g_autofree char *epochs = group_digits (spec->train.epochs);
          /* Translators: the budget is the network's training.epochs */
          show_message (self, g_dngettext (GETTEXT_PACKAGE,
                                           "Stopped at the budget of %s epoch (step %s) — "
                                           "Continue goes on",
                                           "Stopped at the budget of %s epochs (step %s) — "
                                           "Continue goes on", (gulong) spec->train.epochs),
                        epochs, at);
        }
      else
        /* Translators: the budget is the network's training.steps */
        show_message (self, g_dngettext (GETTEXT_PACKAGE,
                                         "Stopped at the budget of %s step — Continue goes on",
                                         "Stopped at the budget of %s steps — Continue goes on",
                                         (gulong) step), at);
      break;
    case NW_PAUSE_AT_STEP:
      show_message (self, _("Paused at step %s"), at);
      break;
    case NW_PAUSE_LOSS_BELOW:
      show_message (self, _("Paused at step %s: the training loss fell below the lesson's mark"), at);
      break;
    case NW_PAUSE_EPOCH_END:
      show_message (self, _("Paused at the end of an epoch, at step %s"), at);
      break;
    default:
      update_play_button (self);
      return;
    }
  self->pause_said = TRUE;
  update_play_button (self);
}

/* ---- the editor and the switches ---- */

static void
on_editor_node_toggled (NwEditor *editor, const char *id, gboolean enabled, NwWindow *self)
{
  nw_session_set_node_enabled (self->session, id, enabled);
}

static void
on_editor_spec_changed (NwEditor *editor, NwWindow *self)
{
  NwEditorEdit edit = nw_editor_get_last_edit (editor);
  /* "node-toggled" has told the runner of a toggle already; a layout changes no run. */
  gboolean rebuild = edit != NW_EDITOR_EDIT_LAYOUT && edit != NW_EDITOR_EDIT_NONE
                     && !(edit == NW_EDITOR_EDIT_TOGGLE && nw_session_get_valid (self->session));
  /* The editor marks a fault in place; Play waits until the graph is whole again. */
  const char *invalid = rebuild && !nw_editor_get_valid (editor, NULL)
                        ? nw_editor_get_invalid_reason (editor) : NULL;
  nw_session_set_graph (self->session, nw_editor_dup_spec (editor), rebuild, invalid);
}

/* Through the editor, so that it is one undoable edit there too ("node-toggled" follows). */
static void
on_layer_switched (NwLayerSwitches *switches, const char *id, gboolean enabled, NwWindow *self)
{
  if (!nw_editor_set_node_setting (self->editor, id, "enabled", enabled ? "true" : "false"))
    nw_session_set_node_enabled (self->session, id, enabled);
}

/* ---- files ---- */

gboolean
nw_window_open_file (NwWindow *self, GFile *file)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  return nw_file_actions_open (self->session, file);
}

gboolean
nw_window_load_weights (NwWindow *self, GFile *file)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  return nw_file_actions_load_weights (self->session, file);
}

void
nw_window_save_weights (NwWindow *self, GFile *file)
{
  g_return_if_fail (NW_IS_WINDOW (self));
  nw_file_actions_save_weights (GTK_WIDGET (self), self->session, file);
}

static NwSession *
session_of_window (GtkWidget *window)
{
  return NW_WINDOW (window)->session;
}

static gboolean
nw_window_close_request (GtkWindow *window)
{
  NwWindow *self = NW_WINDOW (window);
  save_window_state (self);
  if (nw_file_actions_ask_to_close (window, self->session))
    return TRUE;
  return GTK_WINDOW_CLASS (nw_window_parent_class)->close_request (window);
}

/* ---- actions ---- */

static void
action_run (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  if (g_str_equal (name, "win.play"))
    nw_session_set_playing (self->session, !nw_session_get_playing (self->session));
  else if (g_str_equal (name, "win.step"))
    nw_session_step (self->session);
  else if (g_str_equal (name, "win.reset") && self->mnist_feed != NULL
           && nw_mnist_feed_reset_needs_rebuild (self->mnist_feed))
    /* The user's digits go into (or out of) the training split: new data, a new trainer. */
    nw_session_rebuild (self->session);
  else if (g_str_equal (name, "win.reset"))
    nw_session_reset (self->session);
  else if (g_str_equal (name, "win.dismiss-message"))
    dismiss_message (self);
  else if (g_str_equal (name, "win.pace-slower") || g_str_equal (name, "win.pace-faster"))
    nw_session_set_pace (self->session,
                         nw_pace_button_step (nw_session_get_pace (self->session),
                                              g_str_equal (name, "win.pace-faster") ? 1 : -1));
  else if (g_str_equal (name, "win.restore-good"))
    {
      set_alarm (self, NULL);
      nw_session_restore_last_good (self->session);
    }
  else if (g_str_equal (name, "win.toast"))
    show_toast (self, g_variant_get_string (param, NULL));
  else if (g_str_equal (name, "win.zoom-in"))
    nw_zoom_step (self->zoom, +1);
  else if (g_str_equal (name, "win.zoom-out"))
    nw_zoom_step (self->zoom, -1);
  else if (g_str_equal (name, "win.zoom-reset"))
    nw_zoom_step (self->zoom, 0);
  else if (g_str_equal (name, "win.toggle-side-panel"))
    gtk_toggle_button_set_active (self->side_panel_button,
                                  !gtk_toggle_button_get_active (self->side_panel_button));
}

/* ---- the zoom ---- */

static void
sync_zoom (NwWindow *self)
{
  g_autofree char *label = nw_zoom_dup_label (self->zoom);
  gtk_button_set_label (GTK_BUTTON (self->zoom_label), label);
  /* A button names itself after its label: the name stays, the level is its description. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->zoom_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reset zoom"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-in", nw_zoom_can_step (self->zoom, +1));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-out", nw_zoom_can_step (self->zoom, -1));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-reset", nw_zoom_can_step (self->zoom, 0));
}

/* The side panel's width follows the zoom, as its text does: the editor's canvas would
 * otherwise shrink as its palette grows. A width the user drags it to counts at 100%. */
static void
on_side_width_changed (GtkPaned *paned, GParamSpec *pspec, NwWindow *self)
{
  if (!self->side_zooming)
    self->side_width_1 = gtk_paned_get_position (paned) / nw_zoom_get_level (self->zoom);
}

static void
on_zoom_changed (NwZoom *zoom, GParamSpec *pspec, NwWindow *self)
{
  self->side_zooming = TRUE;
  gtk_paned_set_position (self->main_paned,
                          (int) lround (self->side_width_1 * nw_zoom_get_level (zoom)));
  self->side_zooming = FALSE;
  sync_zoom (self);
  /* The plots want more room: the side panel may no longer fit beside them. */
  self->fold_width = -1;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static GtkWidget *
zoom_button (const char *icon, const char *action, const char *name, const char *tooltip)
{
  GtkWidget *button = icon != NULL ? gtk_button_new_from_icon_name (icon) : gtk_button_new ();
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return button;
}

/* The main menu's first row, as GNOME's apps have it: −, the level (back to 100%), +. */
static GtkWidget *
zoom_row_new (NwWindow *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *title = gtk_label_new (_("Zoom"));
  gtk_widget_add_css_class (row, "zoom-row");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_margin_start (title, 12);
  gtk_box_append (GTK_BOX (row), title);
  gtk_box_append (GTK_BOX (row), zoom_button ("zoom-out-symbolic", "win.zoom-out", _("Zoom out"),
                                              _("Zoom out (Ctrl+−)")));
  self->zoom_label = zoom_button (NULL, "win.zoom-reset", _("Reset zoom"),
                                  _("Back to 100% (Ctrl+0)"));
  gtk_widget_set_size_request (self->zoom_label, 64, -1);
  gtk_box_append (GTK_BOX (row), self->zoom_label);
  gtk_box_append (GTK_BOX (row), zoom_button ("zoom-in-symbolic", "win.zoom-in", _("Zoom in"),
                                              _("Zoom in (Ctrl++)")));
  return row;
}

/* ---- the side panel ---- */

/* The room the plots need beside the side panel: a boundary and a column of plots at their
 * readable sizes, in the window's font (which the zoom sets). */
static gboolean
side_panel_fits (NwWindow *self, int width)
{
  double em = nw_plot_widget_font_px (GTK_WIDGET (self));
  int side = MAX (gtk_paned_get_position (self->main_paned), 300);
  return width >= side + 52 * em;
}

static gboolean
fold_side_panel (gpointer data)
{
  NwWindow *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  gboolean fits = side_panel_fits (self, width);
  gboolean shown = gtk_toggle_button_get_active (self->side_panel_button);
  self->fold_idle = 0;
  /* Only when the room changes across the line, so that a panel the user shows again in a
   * narrow window stays. */
  self->fold_setting = TRUE;
  if (!fits && self->fold_fits && shown)
    {
      gtk_toggle_button_set_active (self->side_panel_button, FALSE);
      self->fold_auto = TRUE;
    }
  else if (fits && !self->fold_fits && !shown && self->fold_auto)
    {
      gtk_toggle_button_set_active (self->side_panel_button, TRUE);
      self->fold_auto = FALSE;
    }
  self->fold_setting = FALSE;
  self->fold_fits = fits;
  return G_SOURCE_REMOVE;
}

static void
on_side_panel_toggled (GtkToggleButton *button, NwWindow *self)
{
  gtk_widget_set_visible (self->left_paned, gtk_toggle_button_get_active (button));
  if (!self->fold_setting)
    self->fold_auto = FALSE;   /* the user's choice stands */
}

static void
nw_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  NwWindow *self = NW_WINDOW (widget);
  GTK_WIDGET_CLASS (nw_window_parent_class)->size_allocate (widget, width, height, baseline);
  /* Not here: showing or hiding a child during an allocation would lay out again inside it. */
  if (width != self->fold_width && self->fold_idle == 0)
    {
      self->fold_width = width;
      self->fold_idle = g_idle_add (fold_side_panel, self);
    }
}

gboolean
nw_window_get_side_panel_visible (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->left_paned);
}

/* ---- the public API ---- */

void
nw_window_set_spec (NwWindow *self, NwSpec *spec, GFile *file)
{
  g_return_if_fail (NW_IS_WINDOW (self) && spec != NULL);
  nw_session_set_spec (self->session, spec, file);
}

const NwSpec *
nw_window_get_spec (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), NULL);
  return spec_of (self);
}

gboolean
nw_window_get_modified (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  return nw_session_get_modified (self->session);
}

NwSession *
nw_window_get_session (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), NULL);
  return self->session;
}

GSettings *
nw_window_get_settings (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), NULL);
  return self->settings;
}

double
nw_window_get_zoom (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), 1.0);
  return nw_zoom_get_level (self->zoom);
}

void
nw_window_add_toast (NwWindow *self, const char *text)
{
  g_return_if_fail (NW_IS_WINDOW (self) && text != NULL);
  show_toast (self, text);
}

void
nw_window_play_when_ready (NwWindow *self)
{
  g_return_if_fail (NW_IS_WINDOW (self));
  nw_session_play_when_ready (self->session);
}

void
nw_window_load_weights_when_ready (NwWindow *self, GFile *file)
{
  g_return_if_fail (NW_IS_WINDOW (self));
  nw_session_load_weights_when_ready (self->session, file);
}

/* ---- life cycle ---- */

/* The session holds its device choice until the window is on screen: its first frames come
 * first. */
static void
on_map (GtkWidget *widget, gpointer data)
{
  NwWindow *self = NW_WINDOW (widget);
  if (self->session != NULL)
    nw_session_release_device_choice (self->session);
}

static void
nw_window_dispose (GObject *object)
{
  NwWindow *self = NW_WINDOW (object);
  g_clear_handle_id (&self->fold_idle, g_source_remove);
  if (self->zoom != NULL)
    g_signal_handlers_disconnect_by_data (self->zoom, self);
  self->zoom = NULL;
  g_clear_object (&self->mnist_feed);
  nw_window_lesson_detach (self);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      nw_training_views_set_session (self->training_views, NULL);
      nw_training_settings_set_session (self->training_settings, NULL);
      nw_data_panel_set_session (self->data_panel, NULL);
      nw_layer_switches_set_session (self->layer_switches, NULL);
      nw_device_button_set_session (self->device_chooser, NULL);
    }
  /* Stops the trainer's worker (mid-step or not) and joins it; work in the background is
   * cancelled and drops its results when it comes back. */
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_WINDOW);
  G_OBJECT_CLASS (nw_window_parent_class)->dispose (object);
}

static void
nw_window_class_init (NwWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *const run[] = { "win.play", "win.step", "win.reset", "win.dismiss-message",
                                     "win.restore-good", "win.zoom-in", "win.zoom-out",
                                     "win.zoom-reset", "win.toggle-side-panel", "win.pace-slower",
                                     "win.pace-faster" };

  G_OBJECT_CLASS (klass)->dispose = nw_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = nw_window_close_request;
  widget_class->size_allocate = nw_window_size_allocate;
  nw_ui_init ();
  /* The template has libadwaita's widgets; AdwApplication has done this already, a test that
   * makes a window without one has not. */
  adw_init ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/neurowire/Neurowire/nw-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NwWindow, name)
  BIND (side_panel_button);
  BIND (left_paned);
  BIND (main_paned);
  BIND (menu_button);
  BIND (play_icon);
  BIND (play_label);
  BIND (play_button);
  BIND (dataset_dropdown);
  BIND (subtitle_label);
  BIND (device_chooser);
  BIND (pace_button);
  BIND (speed_label);
  BIND (step_label);
  BIND (epoch_label);
  BIND (message_revealer);
  BIND (message_label);
  BIND (alarm_revealer);
  BIND (alarm_label);
  BIND (restore_button);
  BIND (editor_slot);
  BIND (training_settings);
  BIND (data_panel);
  BIND (layer_switches);
  BIND (training_views);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_dataset_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_layer_switched);
  gtk_widget_class_bind_template_callback (widget_class, on_snapshot);
  for (guint i = 0; i < G_N_ELEMENTS (run); i++)
    gtk_widget_class_install_action (widget_class, run[i], NULL, action_run);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", action_run);
  nw_file_actions_install (widget_class, session_of_window);
  nw_window_lesson_install (widget_class);

  /* Window bindings act in the bubble phase: a text field that takes the key (typing an "s"
   * into a block's name) keeps it, everywhere else the key drives training. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "win.step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "win.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-side-panel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft, GDK_CONTROL_MASK,
                                       "win.pace-slower", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright, GDK_CONTROL_MASK,
                                       "win.pace-faster", NULL);
}

/* The zoom's keys, as every GNOME app has them (plus is shift-equal on most layouts), in the
 * capture phase: they zoom the window wherever the focus is, the editor's canvas included
 * (which zooms only itself with these keys when it is used on its own; here Ctrl+scroll and
 * its fit button do that). */
static void
add_zoom_keys (NwWindow *self)
{
  static const struct { guint keyval; const char *action; } keys[] = {
    { GDK_KEY_plus, "win.zoom-in" }, { GDK_KEY_equal, "win.zoom-in" },
    { GDK_KEY_KP_Add, "win.zoom-in" }, { GDK_KEY_minus, "win.zoom-out" },
    { GDK_KEY_KP_Subtract, "win.zoom-out" }, { GDK_KEY_0, "win.zoom-reset" },
    { GDK_KEY_KP_0, "win.zoom-reset" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (controller, "nw-zoom-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval, GDK_CONTROL_MASK),
                        gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
nw_window_init (NwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toast_overlay = ADW_TOAST_OVERLAY (gtk_window_get_child (GTK_WINDOW (self)));
  /* The zoom's CSS applies to windows of this class (nw-zoom.h). */
  gtk_widget_add_css_class (GTK_WIDGET (self), "neurowire");
  self->zoom = nw_zoom_get_default ();
  g_signal_connect (self->zoom, "notify::level", G_CALLBACK (on_zoom_changed), self);
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (gtk_menu_button_get_popover (self->menu_button)),
                              zoom_row_new (self), "zoom");
  sync_zoom (self);
  add_zoom_keys (self);
  /* The template's width is the width at 100%. */
  self->side_width_1 = gtk_paned_get_position (self->main_paned);
  if (nw_zoom_get_level (self->zoom) != NW_ZOOM_DEFAULT)
    on_zoom_changed (self->zoom, NULL, self);
  g_signal_connect (self->main_paned, "notify::position", G_CALLBACK (on_side_width_changed), self);
  self->fold_fits = TRUE;
  self->fold_width = -1;
  g_signal_connect (self->side_panel_button, "toggled", G_CALLBACK (on_side_panel_toggled), self);
  nw_ui_name_value (GTK_WIDGET (self->subtitle_label), _("Network"));
  nw_ui_name_value (GTK_WIDGET (self->speed_label), _("Steps per second"));
  nw_ui_name_value (GTK_WIDGET (self->step_label), _("Step counter"));
  nw_ui_name_value (GTK_WIDGET (self->epoch_label), _("Epoch counter"));
  nw_ui_name_value (GTK_WIDGET (self->message_label), _("Message"));
  nw_ui_name_value (GTK_WIDGET (self->alarm_label), _("Alarm"));
  self->editor = nw_editor_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->editor), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Network editor"), -1);
  g_signal_connect (self->editor, "spec-changed", G_CALLBACK (on_editor_spec_changed), self);
  g_signal_connect (self->editor, "node-toggled", G_CALLBACK (on_editor_node_toggled), self);
  gtk_widget_set_vexpand (GTK_WIDGET (self->editor), TRUE);
  gtk_box_append (self->editor_slot, GTK_WIDGET (self->editor));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

/* The window's session, the widgets that show it, and the first network. */
static void
start (NwWindow *self, const NwWindowOptions *options)
{
  NwSessionOptions session_options = options->session;
  g_autoptr (GBytes) json = nw_ui_default_spec_json ();
  g_autoptr (GError) error = NULL;
  NwSpec *spec = NULL;

  /* Not before the window is on screen: its first frames come first. */
  session_options.hold_device_choice = TRUE;
  self->settings = options->settings != NULL ? g_object_ref (options->settings) : NULL;
  /* The zoom is remembered between runs (nw-zoom.h) */
  if (self->settings != NULL)
    g_settings_bind (self->settings, NW_SETTINGS_ZOOM, self->zoom, "level", G_SETTINGS_BIND_DEFAULT);
  restore_window_state (self);
  self->session = nw_session_new (&session_options);
  g_signal_connect (self->session, "spec-changed", G_CALLBACK (on_spec_changed), self);
  g_signal_connect_swapped (self->session, "data-changed", G_CALLBACK (sync_dataset), self);
  g_signal_connect (self->session, "notify::modified", G_CALLBACK (on_title_changed), self);
  g_signal_connect (self->session, "notify::file", G_CALLBACK (on_file_changed), self);
  g_signal_connect (self->session, "notify::playing", G_CALLBACK (on_play_state_changed), self);
  g_signal_connect (self->session, "notify::valid", G_CALLBACK (on_play_state_changed), self);
  g_signal_connect (self->session, "trainer-installed", G_CALLBACK (on_new_run), self);
  g_signal_connect (self->session, "reset", G_CALLBACK (on_new_run), self);
  g_signal_connect (self->session, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->session, "notify::paused-by", G_CALLBACK (on_play_state_changed), self);
  g_signal_connect (self->session, "paused", G_CALLBACK (on_paused), self);
  nw_training_settings_set_session (self->training_settings, self->session);
  nw_data_panel_set_session (self->data_panel, self->session);
  nw_layer_switches_set_session (self->layer_switches, self->session);
  nw_training_views_set_session (self->training_views, self->session);
  nw_training_views_set_debug_fps (self->training_views, options->debug_fps);
  nw_device_button_set_session (self->device_chooser, self->session);
  nw_device_button_set_settings (self->device_chooser, self->settings);
  nw_pace_button_set_session (self->pace_button, self->session);
  self->mnist_feed = nw_mnist_feed_new (self->session, self->training_views);
  g_signal_connect (self->mnist_feed, "message", G_CALLBACK (on_message), self);
  nw_window_lesson_attach (self);

  /* The default network, compiled in. */
  if (json != NULL)
    spec = nw_spec_from_json (g_bytes_get_data (json, NULL), g_bytes_get_size (json), &error);
  if (spec == NULL)
    {
      g_warning ("the built-in network did not load: %s", error ? error->message : "missing");
      spec = nw_spec_new_chain ("2 dense:8 tanh dense:1 sigmoid bce", NULL);
      spec->data.kind = NW_DATA_XOR;
    }
  nw_session_set_spec (self->session, spec, NULL);
  update_play_button (self);
}

NwWindow *
nw_window_new_with_options (GtkApplication *app, const NwWindowOptions *options)
{
  NwWindow *self = g_object_new (NW_TYPE_WINDOW, "application", app, NULL);
  start (self, options);
  return self;
}

NwWindow *
nw_window_new (GtkApplication *app)
{
  static const NwWindowOptions defaults = { .session = { .backend = NW_BACKEND_AUTO } };
  return nw_window_new_with_options (app, &defaults);
}
