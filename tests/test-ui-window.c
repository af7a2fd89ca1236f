/* test-ui-window.c: the main window with its trainer thread, driven through its actions and
 * template children: a step, play and pause, live settings, edited data, bad files that leave
 * the network as it was, divergence reported in plain words, closing while training, and what
 * the program's settings remember (window size, last network, device) and the preferences.
 * Runs under Xvfb (tests/meson.build); exits 77 (skipped) when there is no display. */
#include "nw-test.h"

#include "nw-boundary-view.h"
#include "nw-cl-devices.h"
#include "nw-confusion-view.h"
#include "nw-editor.h"
#include "nw-trainer.h"
#include "nw-plot.h"
#include "nw-ui.h"
#include "nw-window.h"
#include "nw-zoom.h"

#include <glib/gstdio.h>

#include <gtk/gtk.h>
#include <math.h>
#include "nw-mnist-panel.h"
#include "nw-preferences.h"
#include "nw-settings.h"

#include <adwaita.h>

#include <stdlib.h>
#include <string.h>

/* A template child by its id: the window's own, or one of the widgets of its own that the
 * window is made of (the training settings, data panel, views, device button...). */
static GObject *
find_template_child (GtkWidget *widget, const char *name)
{
  GObject *obj = NULL;
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Nw"))
    obj = gtk_widget_get_template_child (widget, G_OBJECT_TYPE (widget), name);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); obj == NULL && c != NULL;
       c = gtk_widget_get_next_sibling (c))
    obj = find_template_child (c, name);
  return obj;
}

static GtkWidget *
child (NwWindow *win, const char *name)
{
  GObject *obj = find_template_child (GTK_WIDGET (win), name);
  CU_ASSERT_PTR_NOT_NULL_FATAL (obj);
  return GTK_WIDGET (obj);
}

/* A label's text, or an inscription's (the values that change while training). */
static const char *
label_text (NwWindow *win, const char *name)
{
  GtkWidget *w = child (win, name);
  return GTK_IS_INSCRIPTION (w) ? gtk_inscription_get_text (GTK_INSCRIPTION (w))
                                : gtk_label_get_text (GTK_LABEL (w));
}

static gint64
step_count (NwWindow *win)
{
  return g_ascii_strtoll (label_text (win, "step_label"), NULL, 10);
}

typedef gboolean (*Pred) (NwWindow *win, gpointer data);

/* Runs the main loop (frames, the tick callback) until pred holds or `ms` pass. */
static gboolean
spin_until (NwWindow *win, int ms, Pred pred, gpointer data)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      if (pred (win, data))
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return pred (win, data);
}

static void
count_int (int *n)
{
  (*n)++;
}

static void
spin_for (int ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
steps_at_least (NwWindow *win, gpointer data)
{
  return step_count (win) >= GPOINTER_TO_INT (data);
}

static gboolean
steps_are (NwWindow *win, gpointer data)
{
  return step_count (win) == GPOINTER_TO_INT (data);
}

static gboolean
is_mapped (NwWindow *win, gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (win));
}

static gboolean
flag_set (NwWindow *win, gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
file_exists (NwWindow *win, gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* The question dialog over the window (nw_ui_ask), or NULL. */
static GtkWidget *
question_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

/* The button of `widget` (or a descendant) labelled `label`, or NULL. */
static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  GtkWidget *found = NULL;
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); found == NULL && c != NULL;
       c = gtk_widget_get_next_sibling (c))
    found = find_button (c, label);
  return found;
}

/* Answers the question as a user does: a click on the button labelled `label`. */
static void
answer_question (GtkWidget *dialog, const char *label)
{
  GtkWidget *button = find_button (dialog, label);
  CU_ASSERT_PTR_NOT_NULL_FATAL (button);
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
dialog_shown (NwWindow *win, gpointer data)
{
  return question_dialog () != NULL;
}

/* A question's text: its headline and its detail (free it). */
static char *
message_text (GtkWidget *dialog)
{
  g_autofree char *head = NULL, *detail = NULL;
  g_object_get (dialog, "heading", &head, "body", &detail, NULL);
  return g_strdup_printf ("%s\n%s", head != NULL ? head : "", detail != NULL ? detail : "");
}

/* The file chooser a GtkFileChooserNative shows without a portal, or NULL. */
static GtkWidget *
file_chooser_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);
      if (GTK_IS_FILE_CHOOSER_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

/* The chooser names the file in the folder it was sent to once it has loaded that folder. */
static gboolean
chooser_names (NwWindow *win, gpointer data)
{
  GtkWidget *chooser = file_chooser_dialog ();
  g_autoptr (GFile) file = chooser != NULL ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  return file != NULL && g_strcmp0 (g_file_peek_path (file), data) == 0;
}

static gboolean
chooser_shown (NwWindow *win, gpointer data)
{
  return file_chooser_dialog () != NULL;
}

static gboolean
revealed (NwWindow *win, gpointer data)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (child (win, data)));
}

/* What the program hands every window (app/neurowire.c): OpenCL through core's device table,
 * the first choice from NW_BACKEND (cpu here: see tests/meson.build), one jobs counter. */
static NwDevices *test_devices;
static NwJobs    *test_jobs;

/* data_root: where MNIST is looked for (NULL: the default folder). */
static NwWindow *
window_new_full (const char *data_root)
{
  const char *backend = g_getenv ("NW_BACKEND");
  int kind = nw_backend_kind_from_name (backend);
  g_autofree char *origin = backend != NULL ? g_strdup_printf ("NW_BACKEND=%s", backend) : NULL;
  NwWindowOptions options = {
    .session = {
      .devices = test_devices,
      .backend = kind < 0 ? NW_BACKEND_AUTO : (NwBackendKind) kind,
      .backend_origin = kind > 0 ? origin : NULL,
      .jobs = test_jobs,
      .data_root = data_root,
    },
  };
  NwWindow *win = nw_window_new_with_options (NULL, &options);
  gtk_window_set_default_size (GTK_WINDOW (win), 1400, 900);
  gtk_window_present (GTK_WINDOW (win));
  CU_ASSERT (spin_until (win, 5000, is_mapped, NULL));
  return win;
}

static NwWindow *
window_new (void)
{
  return window_new_full (NULL);
}

static void
on_flag_gone (gpointer flag, GObject *where_the_object_was)
{
  *(gboolean *) flag = TRUE;
}

static void
window_close (NwWindow *win)
{
  gboolean gone = FALSE;
  /* Destroying the window frees its session and runner, which joins the trainer thread; the
   * window itself goes once the main loop has let go of it. */
  g_object_weak_ref (G_OBJECT (win), on_flag_gone, &gone);
  gtk_window_destroy (GTK_WINDOW (win));
  CU_ASSERT (spin_until (NULL, 5000, flag_set, &gone));
}

static char *
write_spec (const char *name, const char *chain, NwDataKind kind, double lr)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain (chain, &error);
  char *path = nw_test_path (name);
  NW_ASSERT_NO_ERROR (error);
  spec->name = g_strdup (name);
  spec->data.kind = kind;
  spec->train.lr = lr;
  spec->train.optimizer = NW_OPT_SGD;
  spec->train.steps = 0;   /* no budget: these tests train on for as long as they look */
  CU_ASSERT_FATAL (nw_spec_save (spec, path, &error));
  return path;
}

/* The default network, one step, then play and pause. */
static void
test_step_play_pause (void)
{
  NwWindow *win = window_new ();
  const NwSpec *spec = nw_window_get_spec (win);
  gint64 s1, s2;

  CU_ASSERT_STRING_EQUAL (spec->name, "XOR, deep sigmoid");
  CU_ASSERT_FALSE (nw_window_get_modified (win));
  CU_ASSERT_EQUAL (step_count (win), 0);
  /* Four layers with weights; the default network trains on XOR. */
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "points_label"))),
                          "4 training · 4 test points");

  gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL);
  CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (1)));
  CU_ASSERT_EQUAL (step_count (win), 1);
  CU_ASSERT (strtod (label_text (win, "loss_label"), NULL) > 0.5);

  /* 2000 steps/s (three rungs slower than full speed): the 3.5 s below stay inside the
   * network's budget of 10,001 steps, where it would stop. */
  for (int i = 0; i < 3; i++)
    gtk_widget_activate_action (GTK_WIDGET (win), "win.pace-slower", NULL);
  CU_ASSERT_EQUAL (nw_session_get_pace (nw_window_get_session (win)), 2000);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "play_label"))), "Pause");
  CU_ASSERT (spin_until (win, 10000, steps_at_least, GINT_TO_POINTER (2000)));
  CU_ASSERT (g_str_has_suffix (label_text (win, "speed_label"), "steps/s"));
  /* The values that change as it trains (step, epoch, loss, accuracy, steps/s) redraw
   * without laying the window out: no toplevel size computation (each a few round trips to
   * the X server) in a second of training, against several a second with labels. */
  {
    GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (win));
    g_autofree char *first = NULL;
    int sized = 0;
    gulong id;
    spin_for (1500);   /* the new window's own layouts settle first */
    first = g_strdup (label_text (win, "step_label"));
    id = g_signal_connect_swapped (surface, "compute-size", G_CALLBACK (count_int), &sized);
    spin_for (1000);
    g_signal_handler_disconnect (surface, id);
    g_print ("\n    (toplevel sized %d times in 1 s of training; step %s -> %s) ", sized, first,
             label_text (win, "step_label"));
    CU_ASSERT_STRING_NOT_EQUAL (label_text (win, "step_label"), first);
    CU_ASSERT (sized <= 1);
  }

  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);   /* pause */
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "play_label"))), "Play");
  spin_for (300);
  s1 = step_count (win);
  spin_for (300);
  s2 = step_count (win);
  CU_ASSERT_EQUAL (s1, s2);

  gtk_widget_activate_action (GTK_WIDGET (win), "win.reset", NULL);
  CU_ASSERT (spin_until (win, 5000, steps_are, GINT_TO_POINTER (0)));
  window_close (win);
}

static gboolean
label_is (NwWindow *win, gpointer data)
{
  const char *const *want = data;   /* { child, text } */
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (child (win, want[0]))), want[1]) == 0;
}

/* The header's speed control: named "Speed", it shows the session's pace and sets it (its
 * scale, the keys' actions), a pace set elsewhere (a lesson) shows on it; at full speed the
 * network's budget stops the run, the window says so and Play reads Continue, which goes on. */
static void
test_speed_control (void)
{
  NwWindow *win = window_new ();
  NwSession *session = nw_window_get_session (win);
  GtkWidget *button = child (win, "pace_button");
  GtkAdjustment *adj = GTK_ADJUSTMENT (find_template_child (button, "adjustment"));
  const char *continue_label[] = { "play_label", "Continue" };
  const char *pause_label[] = { "play_label", "Pause" };
  g_autofree char *wrong = gtk_test_accessible_check_property (
    GTK_ACCESSIBLE (find_template_child (button, "menu_button")),
    GTK_ACCESSIBLE_PROPERTY_LABEL, "Speed");

  CU_ASSERT_PTR_NULL (wrong);
  CU_ASSERT_PTR_NOT_NULL_FATAL (adj);
  CU_ASSERT_EQUAL (nw_session_get_pace (session), 0);   /* free play: full speed */
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "pace_label"))), "Full speed");
  /* The keys' actions: one rung slower, then faster again. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.pace-slower", NULL);
  CU_ASSERT_EQUAL (nw_session_get_pace (session), 10000);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "pace_label"))), "10000 steps/s");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.pace-faster", NULL);
  CU_ASSERT_EQUAL (nw_session_get_pace (session), 0);
  /* The scale: log10 of the pace. */
  gtk_adjustment_set_value (adj, 2);
  CU_ASSERT_EQUAL (nw_session_get_pace (session), 100);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "pace_label"))), "100 steps/s");
  gtk_adjustment_set_value (adj, 0);
  CU_ASSERT_EQUAL (nw_session_get_pace (session), 1);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "pace_label"))), "1 step/s");
  /* Set elsewhere: shown, the scale follows. */
  nw_session_set_pace (session, 150);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "pace_label"))), "150 steps/s");
  CU_ASSERT_DOUBLE_EQUAL (gtk_adjustment_get_value (adj), log10 (150), 1e-9);
  gtk_adjustment_set_value (adj, 5);
  CU_ASSERT_EQUAL (nw_session_get_pace (session), 0);

  /* Full speed into the budget (10,001 steps). */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 20000, label_is, continue_label));
  CU_ASSERT (!nw_session_get_playing (session));
  CU_ASSERT (spin_until (win, 5000, steps_are, GINT_TO_POINTER (10001)));
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "message_label"))),
                          "Stopped at the budget of 10,001 steps — Continue goes on");
  CU_ASSERT (gtk_revealer_get_reveal_child (GTK_REVEALER (child (win, "message_revealer"))));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 5000, label_is, pause_label));
  CU_ASSERT (spin_until (win, 10000, steps_at_least, GINT_TO_POINTER (12000)));
  CU_ASSERT (!gtk_revealer_get_reveal_child (GTK_REVEALER (child (win, "message_revealer"))));
  window_close (win);
}

static gboolean window_gone;

static void
on_window_gone (gpointer data, GObject *where)
{
  window_gone = TRUE;
}


/* The button in `widget`'s tree whose action is `action`, or NULL. */
static GtkWidget *
find_action_button (GtkWidget *widget, const char *action)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_action_button (c, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The window's zoom keys: a shortcut controller in the capture phase (so that the editor's
 * canvas, which has the focus, does not take them); the shortcut for `trigger` or NULL. */
static GtkShortcut *
zoom_shortcut (NwWindow *win, const char *trigger)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (win));
  GtkShortcut *found = NULL;
  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (c) || g_strcmp0 (gtk_event_controller_get_name (c), "nw-zoom-keys") != 0)
        continue;
      CU_ASSERT_EQUAL (gtk_event_controller_get_propagation_phase (c), GTK_PHASE_CAPTURE);
      for (guint k = 0; found == NULL && k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
        {
          g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
          g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (sc));
          if (g_strcmp0 (text, trigger) == 0)
            found = sc;
        }
    }
  g_object_unref (controllers);
  return found;
}

static gboolean
zoom_level_is (NwWindow *win, gpointer data)
{
  return fabs (nw_zoom_get_level (nw_zoom_get_default ()) - *(double *) data) < 1e-6;
}

static gboolean
font_px_above (NwWindow *win, gpointer data)
{
  return nw_plot_widget_font_px (child (win, "grad_plot")) > *(double *) data;
}

static gboolean
side_panel_is (NwWindow *win, gpointer data)
{
  return nw_window_get_side_panel_visible (win) == GPOINTER_TO_INT (data);
}

/* Issue 18: the header's counters show seven digits whole (the epoch counter showed
 * "119074" at step 1190744), and larger counts in seven characters; Ctrl+plus, Ctrl+minus
 * and Ctrl+0 zoom the window (the main menu's Zoom row says how much), its plots' text with
 * it; the side panel folds away when the zoom leaves the plots no room, comes back when it
 * does, and F9 shows and hides it. */
static void
test_counters_zoom_side_panel (void)
{
  NwWindow *win;
  NwZoom *zoom = nw_zoom_get_default ();
  GtkWidget *reset_button;
  GtkShortcut *shortcut;
  double px0, want;
  char buf[32];

  nw_ui_load_css (gdk_display_get_default ());
  win = window_new ();
  CU_ASSERT_FATAL (spin_until (win, 5000, is_mapped, NULL));

  nw_window_format_counter (1190744, buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL (buf, "1190744");
  nw_window_format_counter (9999999, buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL (buf, "9999999");
  nw_window_format_counter (12345678, buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL (buf, "12.35M");
  nw_window_format_counter (123456789, buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL (buf, "123.5M");
  nw_window_format_counter (1234567890, buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL (buf, "1.235G");
  for (int k = 0; k < 2; k++)
    {
      GtkWidget *counter = child (win, k == 0 ? "step_label" : "epoch_label");
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (counter, "1190744");
      int text_w, text_h, min, nat;
      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      gtk_widget_measure (counter, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      g_print ("\n    %s: 1190744 is %d px wide; the counter at least %d px ",
               k == 0 ? "step" : "epoch", text_w, min);
      CU_ASSERT (min >= text_w);
    }

  /* The zoom, through the window's actions and its keys. */
  CU_ASSERT_DOUBLE_EQUAL (nw_zoom_get_level (zoom), 1.0, 1e-9);
  px0 = nw_plot_widget_font_px (child (win, "grad_plot"));
  reset_button = find_action_button (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (child (win, "menu_button")))),
                                     "win.zoom-reset");
  CU_ASSERT_PTR_NOT_NULL_FATAL (reset_button);
  CU_ASSERT_STRING_EQUAL (gtk_button_get_label (GTK_BUTTON (reset_button)), "100%");
  /* Named for screen readers (and AT-SPI), the level in the reset button's description. */
  {
    GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (child (win, "menu_button"))));
    static const char *const names[][2] = { { "win.zoom-in", "Zoom in" }, { "win.zoom-out", "Zoom out" },
                                            { "win.zoom-reset", "Reset zoom" } };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *wrong = gtk_test_accessible_check_property (
          GTK_ACCESSIBLE (find_action_button (popover, names[i][0])), GTK_ACCESSIBLE_PROPERTY_LABEL,
          names[i][1]);
        if (wrong != NULL)
          g_print ("\n    %s: %s ", names[i][0], wrong);
        CU_ASSERT_PTR_NULL (wrong);
      }
    {
      g_autofree char *wrong = gtk_test_accessible_check_property (
        GTK_ACCESSIBLE (reset_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "100%");
      CU_ASSERT_PTR_NULL (wrong);
    }
    {
      g_autofree char *wrong = gtk_test_accessible_check_property (
        GTK_ACCESSIBLE (child (win, "side_panel_button")), GTK_ACCESSIBLE_PROPERTY_LABEL, "Side panel");
      CU_ASSERT_PTR_NULL (wrong);
    }
  }
  gtk_widget_activate_action (GTK_WIDGET (win), "win.zoom-in", NULL);
  CU_ASSERT_DOUBLE_EQUAL (nw_zoom_get_level (zoom), 1.1, 1e-9);
  CU_ASSERT_STRING_EQUAL (gtk_button_get_label (GTK_BUTTON (reset_button)), "110%");
  shortcut = zoom_shortcut (win, "<Control>minus");
  CU_ASSERT_PTR_NOT_NULL_FATAL (shortcut);
  CU_ASSERT (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (win), NULL));
  CU_ASSERT_DOUBLE_EQUAL (nw_zoom_get_level (zoom), 1.0, 1e-9);
  for (int i = 0; i < 2; i++)
    {
      shortcut = zoom_shortcut (win, "<Control>plus");
      CU_ASSERT_PTR_NOT_NULL_FATAL (shortcut);
      CU_ASSERT (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (win), NULL));
    }
  CU_ASSERT_PTR_NOT_NULL (zoom_shortcut (win, "<Control>equal"));
  CU_ASSERT_DOUBLE_EQUAL (nw_zoom_get_level (zoom), 1.25, 1e-9);
  want = px0 * 1.2;
  CU_ASSERT (spin_until (win, 5000, font_px_above, &want));
  g_print ("\n    grad plot's font: %.1f px at 100%%, %.1f px at 125%% ", px0,
           nw_plot_widget_font_px (child (win, "grad_plot")));
  shortcut = zoom_shortcut (win, "<Control>0");
  CU_ASSERT_PTR_NOT_NULL_FATAL (shortcut);
  CU_ASSERT (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (win), NULL));
  CU_ASSERT_DOUBLE_EQUAL (nw_zoom_get_level (zoom), 1.0, 1e-9);
  CU_ASSERT_STRING_EQUAL (gtk_button_get_label (GTK_BUTTON (reset_button)), "100%");

  /* The side panel: F9's action, then folded by a zoom that leaves the plots no room. */
  CU_ASSERT_TRUE (nw_window_get_side_panel_visible (win));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.toggle-side-panel", NULL);
  CU_ASSERT_FALSE (nw_window_get_side_panel_visible (win));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.toggle-side-panel", NULL);
  CU_ASSERT_TRUE (nw_window_get_side_panel_visible (win));
  spin_for (200);
  nw_zoom_set_level (zoom, 2.0);
  CU_ASSERT (spin_until (win, 5000, side_panel_is, GINT_TO_POINTER (FALSE)));
  nw_zoom_set_level (zoom, 1.0);
  want = 1.0;
  CU_ASSERT (spin_until (win, 5000, zoom_level_is, &want));
  CU_ASSERT (spin_until (win, 5000, side_panel_is, GINT_TO_POINTER (TRUE)));
  window_close (win);
}

/* The learning rate changes while training, without a reset; the network is then modified. */
static void
test_live_learning_rate (void)
{
  NwWindow *win = window_new ();
  gint64 before;
  /* 2000 steps/s: the default network's budget (10,001 steps) is 5 s away. */
  nw_session_set_pace (nw_window_get_session (win), 2000);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 10000, steps_at_least, GINT_TO_POINTER (500)));
  before = step_count (win);
  gtk_range_set_value (GTK_RANGE (child (win, "lr_scale")), log10 (0.3));
  NW_ASSERT_CLOSE (nw_window_get_spec (win)->train.lr, 0.3, 1e-9, 0);
  CU_ASSERT_STRING_EQUAL (label_text (win, "lr_value_label"), "0.3");
  CU_ASSERT (nw_window_get_modified (win));
  CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER ((int) before + 500)));

  /* Closing a modified network asks first; "Close without Saving" closes (while training:
   * the runner stops mid-run). */
  {
    GtkWidget *dialog;
    window_gone = FALSE;
    g_object_weak_ref (G_OBJECT (win), on_window_gone, NULL);
    gtk_window_close (GTK_WINDOW (win));
    CU_ASSERT (spin_until (NULL, 5000, dialog_shown, NULL));
    CU_ASSERT_FALSE_FATAL (window_gone);
    dialog = question_dialog ();
    CU_ASSERT_PTR_NOT_NULL_FATAL (dialog);
    CU_ASSERT_STRING_EQUAL (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)),
                            "accept");
    answer_question (dialog, "Close _without Saving");
    CU_ASSERT (spin_until (NULL, 5000, flag_set, &window_gone));
    CU_ASSERT (question_dialog () == NULL);
  }
}

/* A new data set, then the user's own points. */
static void
test_dataset_and_points (void)
{
  NwWindow *win = window_new ();
  GtkWidget *view = child (win, "boundary_view");
  const char *text;
  /* XOR's four corners: the generator's settings shown, greyed. */
  CU_ASSERT (gtk_widget_get_visible (child (win, "generator_grid")));
  CU_ASSERT_FALSE (gtk_widget_get_sensitive (child (win, "noise_spin")));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (win, "dataset_dropdown")), NW_DATA_CIRCLE);
  CU_ASSERT_EQUAL (nw_window_get_spec (win)->data.kind, NW_DATA_CIRCLE);
  CU_ASSERT (gtk_widget_get_visible (child (win, "generator_grid")));
  CU_ASSERT (gtk_widget_get_sensitive (child (win, "noise_spin")));
  text = gtk_label_get_text (GTK_LABEL (child (win, "points_label")));
  CU_ASSERT_STRING_EQUAL (text, "160 training · 40 test points");
  g_signal_emit_by_name (view, "point-added", 0.1, 0.2, 1);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "points_label"))),
                          "161 training · 40 test points");
  g_signal_emit_by_name (view, "point-removed", 0);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "points_label"))),
                          "160 training · 40 test points");
  /* It still trains on the edited data. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL);
  CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (1)));
  window_close (win);
}

/* Bad files are reported in the window, naming the file; the network stays as it was. */
static void
test_bad_files (void)
{
  NwWindow *win = window_new ();
  const NwSpec *before = nw_window_get_spec (win);
  g_autofree char *corrupt = nw_test_write ("corrupt.json", "{\"format\": \"neurowire", 21);
  static const char wrong_json[] =
    "{\"format\": \"neurowire-spec\", \"version\": 1, \"nodes\": [{\"id\": \"input\", \"type\": \"input\"},"
    " {\"id\": \"fc1\", \"type\": \"dense\", \"units\": 0}]}";
  g_autofree char *wrong = nw_test_write ("wrong.json", wrong_json, strlen (wrong_json));
  g_autoptr (GFile) f1 = g_file_new_for_path (corrupt);
  g_autoptr (GFile) f2 = g_file_new_for_path (wrong);
  g_autoptr (GFile) f3 = g_file_new_for_path ("/nonexistent/net.json");
  g_autofree char *good = write_spec ("good.json", "2 dense:4 tanh dense:1 sigmoid bce",
                                      NW_DATA_XOR, 0.5);
  g_autoptr (GFile) f4 = g_file_new_for_path (good);

  CU_ASSERT_FALSE (nw_window_open_file (win, f1));
  CU_ASSERT (revealed (win, "message_revealer"));
  CU_ASSERT (strstr (label_text (win, "message_label"), "corrupt.json") != NULL);
  CU_ASSERT (strstr (label_text (win, "message_label"), "not changed") != NULL);
  CU_ASSERT_PTR_EQUAL (nw_window_get_spec (win), before);
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "XOR, deep sigmoid");

  CU_ASSERT_FALSE (nw_window_open_file (win, f2));
  CU_ASSERT (strstr (label_text (win, "message_label"), "wrong.json") != NULL);
  CU_ASSERT_PTR_EQUAL (nw_window_get_spec (win), before);

  CU_ASSERT_FALSE (nw_window_open_file (win, f3));
  CU_ASSERT (strstr (label_text (win, "message_label"), "net.json") != NULL);
  CU_ASSERT_PTR_EQUAL (nw_window_get_spec (win), before);

  /* A good file replaces the network and clears the message. */
  CU_ASSERT (nw_window_open_file (win, f4));
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "good.json");
  CU_ASSERT_FALSE (revealed (win, "message_revealer"));
  CU_ASSERT_FALSE (nw_window_get_modified (win));

  /* A save that fails (its folder went away) keeps the network and offers Save As. */
  {
    g_autoptr (NwSpec) changed = nw_spec_copy (nw_window_get_spec (win));
    g_autoptr (GFile) gone = g_file_new_for_path ("/nonexistent/saved.json");
    g_autofree char *text = NULL;
    GtkWidget *dialog;
    nw_window_set_spec (win, g_steal_pointer (&changed), gone);
    nw_session_set_modified (nw_window_get_session (win), TRUE);
    gtk_widget_activate_action (GTK_WIDGET (win), "win.save", NULL);
    CU_ASSERT (spin_until (NULL, 5000, dialog_shown, NULL));
    dialog = question_dialog ();
    CU_ASSERT_PTR_NOT_NULL_FATAL (dialog);
    text = message_text (dialog);
    CU_ASSERT (strstr (text, "saved.json") != NULL && strstr (text, "still open") != NULL);
    answer_question (dialog, "_Cancel");
    CU_ASSERT (nw_window_get_modified (win));
    CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "good.json");
    nw_session_set_modified (nw_window_get_session (win), FALSE);
  }
  window_close (win);
}

/* Weights: a bad file leaves training as it was; a good one (saved by the CLI's path, here by
 * core) is taken. */
static void
test_load_weights_checks (void)
{
  GError *error = NULL;
  NwWindow *win = window_new ();
  g_autofree char *spec_path = write_spec ("w.json", "2 dense:4 tanh dense:1 sigmoid bce",
                                           NW_DATA_XOR, 0.5);
  g_autoptr (GFile) spec_file = g_file_new_for_path (spec_path);
  g_autofree char *bad = nw_test_write ("bad.safetensors", "not a tensor file", 17);
  g_autofree char *good = nw_test_path ("good.safetensors");
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (NwTrainer) t = NULL;

  CU_ASSERT_FATAL (nw_window_open_file (win, spec_file));
  spec = nw_spec_load (spec_path, &error);
  NW_ASSERT_NO_ERROR (error);
  t = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (nw_net_save_weights (nw_trainer_get_net (t), good, &error));

  /* Through the function the file chooser calls. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (100)));
  {
    g_autoptr (GFile) f = g_file_new_for_path (bad);
    gint64 s1;
    CU_ASSERT_FALSE (nw_window_load_weights (win, f));
    CU_ASSERT (strstr (label_text (win, "message_label"), "bad.safetensors") != NULL);
    /* Training paused, but its trainer is the same: the count goes on from where it was. */
    CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (100)));
    s1 = step_count (win);
    CU_ASSERT (s1 >= 100);
    gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL);
    CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER ((int) s1 + 1)));
  }
  {
    g_autoptr (GFile) f = g_file_new_for_path (good);
    CU_ASSERT (nw_window_load_weights (win, f));
    CU_ASSERT_FALSE (revealed (win, "message_revealer"));
    CU_ASSERT (spin_until (win, 5000, steps_are, GINT_TO_POINTER (0)));
  }
  /* Save weights while training: the save runs on the trainer's thread; the file then loads
   * into a trainer of the same network. A folder that does not exist is reported. */
  {
    g_autofree char *live = nw_test_path ("live.safetensors");
    g_autofree char *nowhere = nw_test_path ("no-such-folder/w.safetensors");
    g_autoptr (GFile) f = g_file_new_for_path (live);
    g_autoptr (GFile) g = g_file_new_for_path (nowhere);
    gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
    CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (50)));
    nw_window_save_weights (win, f);
    CU_ASSERT (spin_until (win, 5000, file_exists, live));
    CU_ASSERT (nw_net_load_weights (nw_trainer_get_net (t), live, &error));
    NW_ASSERT_NO_ERROR (error);
    nw_window_save_weights (win, g);
    CU_ASSERT (spin_until (win, 5000, revealed, (gpointer) "message_revealer"));
    CU_ASSERT (strstr (label_text (win, "message_label"), "w.safetensors") != NULL);
    /* ... and the weights are not lost: the window offers Save As, and the file chooser it
     * opens saves them where the user says. */
    CU_ASSERT (spin_until (NULL, 5000, dialog_shown, NULL));
    {
      GtkWidget *dialog = question_dialog ();
      g_autofree char *rescued = nw_test_path ("rescued.safetensors");
      g_autofree char *text = NULL, *old_cwd = NULL;
      GtkWidget *chooser;
      CU_ASSERT_PTR_NOT_NULL_FATAL (dialog);
      text = message_text (dialog);
      CU_ASSERT (strstr (text, "w.safetensors") != NULL && strstr (text, "still in") != NULL);
      g_remove (rescued);
      /* GtkFileChooserNative's own dialog (no portal here) answers with the name in the
       * working directory it was opened in, whatever folder the dialog is sent to later. */
      {
        g_autofree char *dir = g_path_get_dirname (rescued);
        old_cwd = g_get_current_dir ();
        CU_ASSERT_FATAL (g_chdir (dir) == 0);
      }
      answer_question (dialog, "Save _As…");
      CU_ASSERT (spin_until (NULL, 5000, chooser_shown, NULL));
      chooser = file_chooser_dialog ();
      CU_ASSERT_PTR_NOT_NULL_FATAL (chooser);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "rescued.safetensors");
      CU_ASSERT (spin_until (win, 5000, chooser_names, rescued));
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
      CU_ASSERT (g_chdir (old_cwd) == 0);
      CU_ASSERT (spin_until (win, 5000, file_exists, rescued));
      CU_ASSERT (nw_net_load_weights (nw_trainer_get_net (t), rescued, &error));
      NW_ASSERT_NO_ERROR (error);
    }
  }
  window_close (win);
}

/* A hidden step layer passes no gradient: the alarm says that is the step's nature (the
 * perceptron of the course notes), not a vanishing gradient, and training goes on. */
static void
test_step_alarm (void)
{
  NwWindow *win = window_new ();
  g_autofree char *path = write_spec ("step.json", "2 dense:4 step dense:1 sigmoid bce",
                                      NW_DATA_XOR, 0.5);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  const char *text;
  CU_ASSERT_FATAL (nw_window_open_file (win, file));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 10000, revealed, (gpointer) "alarm_revealer"));
  text = label_text (win, "alarm_label");
  g_print ("  alarm: %s\n", text);
  CU_ASSERT (strstr (text, "step function") != NULL && strstr (text, "zero") != NULL);
  CU_ASSERT (strstr (text, "Training stopped") == NULL);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "play_label"))), "Pause");
  window_close (win);
}

/* A learning rate far too large: the loss explodes, training stops and says so. */
static void
test_divergence_alarm (void)
{
  NwWindow *win = window_new ();
  g_autofree char *path = write_spec ("explode.json", "2 dense:16 tanh dense:1 mse",
                                      NW_DATA_XOR_CLOUD, 1e4);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  CU_ASSERT_FATAL (nw_window_open_file (win, file));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 10000, revealed, (gpointer) "alarm_revealer"));
  g_print ("  alarm: %s\n", label_text (win, "alarm_label"));
  CU_ASSERT (strstr (label_text (win, "alarm_label"), "Training stopped") != NULL);
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "play_label"))), "Play");
  /* The weights from before it diverged come back on request, and the alarm goes. */
  CU_ASSERT (gtk_widget_get_visible (child (win, "restore_button")));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.restore-good", NULL);
  CU_ASSERT (spin_until (win, 10000, revealed, (gpointer) "message_revealer"));
  g_print ("  message: %s\n", label_text (win, "message_label"));
  CU_ASSERT (strstr (label_text (win, "message_label"), "back as they were at step") != NULL);
  CU_ASSERT_FALSE (revealed (win, "alarm_revealer"));
  CU_ASSERT_FALSE (gtk_widget_get_visible (child (win, "restore_button")));
  window_close (win);
}

/* Runs the main loop until every window's background work has finished and let go. */
static gboolean
no_background_jobs (NwWindow *win, gpointer data)
{
  return nw_jobs_get_n (test_jobs) == 0;
}

static void
wait_for_background (int ms)
{
  CU_ASSERT (spin_until (NULL, ms, no_background_jobs, NULL));
}

static gboolean
label_contains (NwWindow *win, gpointer data)
{
  const char **what = data;   /* label name, text */
  return strstr (label_text (win, what[0]), what[1]) != NULL;
}

static gboolean
label_lacks (NwWindow *win, gpointer data)
{
  const char **what = data;
  return strstr (label_text (win, what[0]), what[1]) == NULL;
}

static gboolean
act1_has_maps (NwWindow *win, gpointer editor)
{
  return nw_editor_get_n_neuron_images (editor, "act1") > 0;
}

static NwEditor *
editor_of (NwWindow *win)
{
  return NW_EDITOR (gtk_widget_get_first_child (child (win, "editor_slot")));
}

/* The boundary view drawn into an image. */
static cairo_surface_t *
render_boundary (NwWindow *win)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 400);
  cairo_t *cr = cairo_create (s);
  nw_boundary_view_draw (NW_BOUNDARY_VIEW (child (win, "boundary_view")), cr, 400, 400);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static int
pixels_differing (cairo_surface_t *a, cairo_surface_t *b)
{
  const guint32 *pa = (const guint32 *) (const void *) cairo_image_surface_get_data (a);
  const guint32 *pb = (const guint32 *) (const void *) cairo_image_surface_get_data (b);
  int n = 0;
  for (int i = 0; i < 400 * 400; i++)
    {
      int d = 0;
      for (int k = 0; k < 24; k += 8)
        d += abs ((int) ((pa[i] >> k) & 0xff) - (int) ((pb[i] >> k) & 0xff));
      n += d > 30;
    }
  return n;
}

/* NW_BACKEND=cpu (the tests' setting) keeps the window on the CPU without touching OpenCL:
 * no OpenCL driver is loaded. */
static void
test_backend_env_cpu (void)
{
  NwWindow *win = window_new ();
  g_autofree char *maps = NULL;
  const char *tip;
  CU_ASSERT_STRING_EQUAL (g_getenv ("NW_BACKEND"), "cpu");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (200)));
  CU_ASSERT (g_str_has_prefix (label_text (win, "backend_label"), "CPU"));
  tip = gtk_widget_get_tooltip_text (child (win, "backend_label"));
  CU_ASSERT (tip != NULL && strstr (tip, "NW_BACKEND=cpu") != NULL);
  CU_ASSERT_EQUAL (nw_jobs_get_n (test_jobs), 0);
  CU_ASSERT (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  CU_ASSERT (maps == NULL || strstr (maps, "libpocl") == NULL);
  window_close (win);
}

/* The device menu moves the running trainer to an OpenCL device and back, carrying the run
 * (the step count goes on); closing while a choice runs in the background is clean. */
static void
test_backend_switch (void)
{
  g_autoptr (GPtrArray) devices = nw_devices_list (test_devices, NULL);
  const char *on_cl[] = { "backend_label", "OpenCL" };
  const char *settled[] = { "backend_label", "·" };
  const char *on_cpu[] = { "backend_label", "CPU" };
  NwWindow *win;
  gint64 before;

  if (devices == NULL || devices->len == 0)
    {
      g_print ("  no OpenCL device: skipped\n");
      return;
    }
  win = window_new ();
  /* No budget: PoCL may take a minute to build its kernels, and the run goes on meanwhile. */
  {
    NwSession *session = nw_window_get_session (win);
    NwTrainSpec train = nw_session_get_spec (session)->train;
    train.steps = train.epochs = 0;
    nw_session_set_train (session, &train);
  }
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (300)));
  before = step_count (win);
  gtk_widget_activate_action (child (win, "device_button"), "backend.device", "s", "cl:0");
  /* PoCL builds its kernels the first time (seconds), from its cache after that. */
  CU_ASSERT (spin_until (win, 90000, label_contains, on_cl));
  CU_ASSERT (spin_until (win, 90000, label_lacks, settled));
  g_print ("  moved to: %s\n", label_text (win, "backend_label"));
  CU_ASSERT (spin_until (win, 10000, steps_at_least, GINT_TO_POINTER ((int) before + 100)));
  CU_ASSERT (g_str_has_prefix (label_text (win, "play_label"), "Pause"));

  gtk_widget_activate_action (child (win, "device_button"), "backend.device", "s", "cpu");
  CU_ASSERT (spin_until (win, 30000, label_contains, on_cpu));
  CU_ASSERT (spin_until (win, 30000, label_lacks, settled));
  before = step_count (win);
  CU_ASSERT (spin_until (win, 10000, steps_at_least, GINT_TO_POINTER ((int) before + 100)));

  /* A choice (calibration) in flight when the window closes. */
  gtk_widget_activate_action (child (win, "device_button"), "backend.device", "s", "auto");
  window_close (win);
  wait_for_background (90000);
}

/* The train/eval switch: insensitive, with the reason, without Dropout or BatchNorm; with
 * dropout 0.5 the boundary drawn in training mode is another picture. */
static void
test_train_mode_switch (void)
{
  NwWindow *win = window_new ();
  GtkWidget *sw = child (win, "train_mode_switch");
  g_autofree char *path = write_spec ("dropout.json", "2 dense:16 relu dropout:0.5 dense:16 relu dense:1 sigmoid bce",
                                      NW_DATA_CIRCLE, 0.1);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  cairo_surface_t *eval, *train;
  int differ;

  CU_ASSERT_FALSE (gtk_widget_get_sensitive (sw));
  CU_ASSERT (strstr (gtk_widget_get_tooltip_text (child (win, "train_mode_box")),
                     "no Dropout or BatchNorm") != NULL);

  CU_ASSERT_FATAL (nw_window_open_file (win, file));
  CU_ASSERT (gtk_widget_get_sensitive (sw));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 10000, steps_at_least, GINT_TO_POINTER (300)));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  spin_for (300);
  eval = render_boundary (win);
  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);   /* redrawn at once, from the kept grids */
  train = render_boundary (win);
  differ = pixels_differing (eval, train);
  g_print ("  dropout 0.5: %d of 160000 pixels change in training mode\n", differ);
  CU_ASSERT (differ > 2000);
  cairo_surface_destroy (train);
  /* Back to evaluation: the same picture as before. */
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  train = render_boundary (win);
  CU_ASSERT_EQUAL (pixels_differing (eval, train), 0);
  cairo_surface_destroy (train);
  cairo_surface_destroy (eval);
  window_close (win);
}

/* Each hidden unit of the deep sigmoid net gets its map in the editor; the output does not. */
static void
test_neuron_maps (void)
{
  NwWindow *win = window_new ();
  NwEditor *editor = editor_of (win);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL);
  CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (1)));
  CU_ASSERT (spin_until (win, 5000, act1_has_maps, editor));
  CU_ASSERT_EQUAL (nw_editor_get_n_neuron_images (editor, "act1"), 10);
  CU_ASSERT_EQUAL (nw_editor_get_n_neuron_images (editor, "act2"), 10);
  CU_ASSERT_EQUAL (nw_editor_get_n_neuron_images (editor, "act3"), 10);
  CU_ASSERT_EQUAL (nw_editor_get_n_neuron_images (editor, "act4"), 0);   /* the output */
  CU_ASSERT_EQUAL (nw_editor_get_n_neuron_images (editor, "fc1"), 0);    /* act1 shows them */
  window_close (win);
}

/* Opening an MNIST network without the MNIST files: the data panel says how to get them and
 * the network stays as it was. */
static void
test_mnist_missing (void)
{
  g_autofree char *empty = nw_test_path ("no-data");
  NwWindow *win = window_new_full (empty);   /* MNIST looked for in an empty folder */
  g_autofree char *example = nw_test_source_path ("examples/mnist-mlp.json");
  g_autoptr (GFile) file = g_file_new_for_path (example);
  const NwSpec *before = nw_window_get_spec (win);
  const char *status;

  g_mkdir_with_parents (empty, 0700);
  CU_ASSERT (nw_window_open_file (win, file));
  wait_for_background (10000);
  CU_ASSERT (gtk_widget_get_visible (child (win, "data_status_label")));
  status = label_text (win, "data_status_label");
  g_print ("  data status: %s\n", status);
  CU_ASSERT (strstr (status, "bash tools/fetch-mnist.sh") != NULL);
  CU_ASSERT (strstr (status, "not changed") != NULL);
  CU_ASSERT (revealed (win, "message_revealer"));
  CU_ASSERT_PTR_EQUAL (nw_window_get_spec (win), before);
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "XOR, deep sigmoid");
  /* It still trains. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL);
  CU_ASSERT (spin_until (win, 5000, steps_at_least, GINT_TO_POINTER (1)));
  /* MNIST from the Data menu (the 784-256-256-10 preset): the same message; the menu goes
   * back to the network's own data, which stays. */
  {
    GtkDropDown *dd = GTK_DROP_DOWN (child (win, "dataset_dropdown"));
    guint xor_pos = gtk_drop_down_get_selected (dd);
    gtk_drop_down_set_selected (dd, g_list_model_get_n_items (gtk_drop_down_get_model (dd)) - 2);
    CU_ASSERT_EQUAL (gtk_drop_down_get_selected (dd), xor_pos);
    wait_for_background (10000);
    CU_ASSERT (strstr (label_text (win, "data_status_label"), "bash tools/fetch-mnist.sh") != NULL);
    CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "XOR, deep sigmoid");
    CU_ASSERT_EQUAL (gtk_drop_down_get_selected (dd), xor_pos);
  }
  CU_ASSERT (strstr (label_text (win, "data_status_label"), "no-data") != NULL);
  window_close (win);
}

/* IDX files of n random 28 x 28 images and labels under dir. */
static void
write_fake_mnist (const char *dir, guint32 n_train, guint32 n_test)
{
  const char *names[4] = { "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" };
  g_mkdir_with_parents (dir, 0700);
  for (int f = 0; f < 4; f++)
    {
      guint32 n = f < 2 ? n_train : n_test;
      gboolean images = f % 2 == 0;
      gsize header = images ? 16 : 8, size = header + (gsize) n * (images ? 784 : 1);
      g_autofree guint8 *bytes = g_malloc0 (size);
      g_autofree char *path = g_build_filename (dir, names[f], NULL);
      guint32 be[4] = { GUINT32_TO_BE (images ? 0x803 : 0x801), GUINT32_TO_BE (n),
                        GUINT32_TO_BE (28), GUINT32_TO_BE (28) };
      memcpy (bytes, be, header);
      for (gsize i = header; i < size; i++)
        bytes[i] = images ? (guint8) ((i * 2654435761u) >> 24) : (guint8) (i % 10);
      CU_ASSERT_FATAL (g_file_set_contents (path, (const char *) bytes, (gssize) size, NULL));
    }
}

static char *
write_mnist_spec (const char *name, const char *dir)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("784 dense:16 relu dense:10 softmax_xent", &error);
  char *path = nw_test_path (name);
  NW_ASSERT_NO_ERROR (error);
  spec->name = g_strdup (name);
  spec->data.kind = NW_DATA_MNIST;
  spec->data.path = g_strdup (dir);
  spec->train.batch_size = 50;
  CU_ASSERT_FATAL (nw_spec_save (spec, path, &error));
  return path;
}

static gboolean
spec_named (NwWindow *win, gpointer data)
{
  return g_strcmp0 (nw_window_get_spec (win)->name, data) == 0;
}

/* Opens a 784-16-10 network on fake MNIST files (1000 training rows, 200 test) in `dir`,
 * saved as `name`, and waits until the window has it. */
static void
open_fake_mnist (NwWindow *win, const char *dir, const char *name)
{
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  write_fake_mnist (dir, 1000, 200);
  path = write_mnist_spec (name, dir);
  file = g_file_new_for_path (path);
  CU_ASSERT_FATAL (nw_window_open_file (win, file));
  CU_ASSERT_FATAL (spin_until (win, 20000, spec_named, (gpointer) name));
}

/* IDX data loads in the background with a progress bar, the network changes once it is
 * there, and it trains; closing the window mid-load or mid-build leaves nothing behind. */
static void
test_load_idx_in_background (void)
{
  NwWindow *win = window_new ();
  g_autofree char *dir = nw_test_path ("fake-mnist");
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  gint64 t0;

  write_fake_mnist (dir, 4000, 500);   /* 3.5 million values: built off the main thread too */
  path = write_mnist_spec ("idx.json", dir);
  file = g_file_new_for_path (path);
  t0 = g_get_monotonic_time ();
  CU_ASSERT (nw_window_open_file (win, file));
  /* It returns at once, the bar showing; the old network is there until the new one is. */
  CU_ASSERT (g_get_monotonic_time () - t0 < 100000);
  CU_ASSERT (gtk_widget_get_visible (child (win, "load_box")));
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "XOR, deep sigmoid");
  CU_ASSERT (spin_until (win, 20000, spec_named, (gpointer) "idx.json"));
  CU_ASSERT_FALSE (gtk_widget_get_visible (child (win, "load_box")));
  g_print ("  data status: %s\n", label_text (win, "data_status_label"));
  CU_ASSERT (strstr (label_text (win, "data_status_label"), "4000 training") != NULL);
  /* The hidden load bar has stopped pulsing (its progress node loses .pulse, as GTK's CSS
   * nodes document): a pulsing bar, hidden, ticked the window's frame clock at 60 frames a
   * second for the window's life, each frame two round trips to the X server beside the
   * trainer (trainer threads' context switches 472 -> 87 per second once it stopped). */
  {
    GtkWidget *trough = gtk_widget_get_first_child (child (win, "load_progress"));
    GtkWidget *progress;
    while (trough != NULL && g_strcmp0 (gtk_widget_get_css_name (trough), "trough") != 0)
      trough = gtk_widget_get_next_sibling (trough);
    progress = trough != NULL ? gtk_widget_get_first_child (trough) : NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL (progress);
    CU_ASSERT_STRING_EQUAL (gtk_widget_get_css_name (progress), "progress");
    CU_ASSERT_FALSE (gtk_widget_has_css_class (progress, "pulse"));
  }
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 10000, steps_at_least, GINT_TO_POINTER (100)));
  window_close (win);
  wait_for_background (10000);

  /* `neurowire --play FILE`: the network shown while FILE's data loads stays paused, and
   * FILE's network trains once it is in place. */
  win = window_new ();
  CU_ASSERT (nw_window_open_file (win, file));
  nw_window_play_when_ready (win);
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "XOR, deep sigmoid");
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "play_label"))), "Play");
  CU_ASSERT (spin_until (win, 20000, spec_named, (gpointer) "idx.json"));
  CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (child (win, "play_label"))), "Pause");
  CU_ASSERT (spin_until (win, 10000, steps_at_least, GINT_TO_POINTER (50)));
  window_close (win);
  wait_for_background (10000);

  /* Closed at once: mid-load. */
  win = window_new ();
  CU_ASSERT (nw_window_open_file (win, file));
  window_close (win);
  wait_for_background (20000);

  /* Closed while the trainer is being built. */
  win = window_new ();
  CU_ASSERT (nw_window_open_file (win, file));
  {
    for (int i = 0; i < 20000; i++)
      {
        const char *text = gtk_progress_bar_get_text (GTK_PROGRESS_BAR (child (win, "load_progress")));
        if (text != NULL && g_str_has_prefix (text, "Preparing"))
          break;
        g_main_context_iteration (NULL, FALSE);
        g_usleep (500);
      }
  }
  window_close (win);
  wait_for_background (20000);
  CU_ASSERT_EQUAL (nw_jobs_get_n (test_jobs), 0);
}


static gboolean
panel_has_model (NwWindow *win, gpointer data)
{
  return nw_mnist_panel_has_model (NW_MNIST_PANEL (child (win, "mnist_panel")));
}

static gboolean
panel_evaluated (NwWindow *win, gpointer data)
{
  return !nw_mnist_panel_is_evaluating (NW_MNIST_PANEL (child (win, "mnist_panel")));
}

static gboolean
matrix_total_is (NwWindow *win, gpointer data)
{
  NwMnistPanel *panel = NW_MNIST_PANEL (child (win, "mnist_panel"));
  return nw_confusion_view_get_total (NW_CONFUSION_VIEW (nw_mnist_panel_get_confusion_view (panel)))
         == (guint64) GPOINTER_TO_INT (data);
}

/* MNIST mode: the digit view shows instead of the boundary, gets the model at an epoch's end
 * and after loading weights; mismatched weights are refused naming file and shape with the
 * model kept; the user's digits go into the next Reset's training split; the window closes
 * cleanly while the panel evaluates. */
static void
test_mnist_mode (void)
{
  GError *error = NULL;
  NwWindow *win = window_new ();
  g_autofree char *dir = nw_test_path ("fake-mnist-mode");
  g_autofree char *wrong = nw_test_path ("wrong-shape.safetensors");
  NwMnistPanel *panel;
  const char *status_mixed[] = { "data_status_label", "of your digits" };

  open_fake_mnist (win, dir, "mode.json");
  panel = NW_MNIST_PANEL (child (win, "mnist_panel"));
  CU_ASSERT_STRING_EQUAL (gtk_stack_get_visible_child_name (GTK_STACK (child (win, "views_stack"))),
                          "digits");
  CU_ASSERT (gtk_widget_get_visible (child (win, "views_switcher_box")));
  CU_ASSERT_FALSE (gtk_widget_get_visible (child (win, "boundary_card")));
  CU_ASSERT_FALSE (nw_mnist_panel_has_model (panel));
  /* No point generator for images: its settings and Regenerate are hidden, not greyed. */
  CU_ASSERT_FALSE (gtk_widget_get_visible (child (win, "generator_grid")));
  CU_ASSERT_FALSE (gtk_widget_get_visible (child (win, "regenerate_button")));

  /* 1000 rows, batch 50: an epoch is 20 steps; its end hands the panel the model. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 20000, panel_has_model, NULL));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);   /* pause */
  /* The confusion matrix comes from the trainer's own pass over the 200 test digits; the
   * panel never runs one of its own. */
  CU_ASSERT (spin_until (win, 20000, matrix_total_is, GINT_TO_POINTER (200)));
  CU_ASSERT (panel_evaluated (win, NULL));

  /* Weights of another shape: refused, naming the file and the shape; the model stays. */
  {
    g_autoptr (NwSpec) other = nw_spec_new_chain ("784 dense:32 relu dense:10 softmax_xent", &error);
    g_autoptr (NwTrainer) t = NULL;
    g_autoptr (GFile) f = g_file_new_for_path (wrong);
    NW_ASSERT_NO_ERROR (error);
    other->data.kind = NW_DATA_MNIST;
    other->data.path = g_strdup (dir);
    t = nw_trainer_new (other, NULL, NULL, &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_FATAL (nw_net_save_weights (nw_trainer_get_net (t), wrong, &error));
    CU_ASSERT_FALSE (nw_window_load_weights (win, f));
    g_print ("  message: %s\n", label_text (win, "message_label"));
    CU_ASSERT (strstr (label_text (win, "message_label"), "wrong-shape.safetensors") != NULL);
    CU_ASSERT (strstr (label_text (win, "message_label"), "[32, 784]") != NULL);
    CU_ASSERT (nw_mnist_panel_has_model (panel));
  }

  /* User digits, mixed in at the next Reset (a new trainer on MNIST + the set). */
  {
    float image[784] = { 0 };
    for (int i = 0; i < 784; i++)
      image[i] = (i % 28 > 10 && i % 28 < 16) ? 1.0f : 0.0f;
    nw_digit_set_add (nw_mnist_panel_get_digit_set (panel), image, 1);
    nw_digit_set_add (nw_mnist_panel_get_digit_set (panel), image, 1);
    nw_mnist_panel_digit_set_changed (panel);
    g_object_set (panel, "mix-user-digits", TRUE, NULL);
    gtk_widget_activate_action (GTK_WIDGET (win), "win.reset", NULL);
    CU_ASSERT (spin_until (win, 20000, label_contains, status_mixed));
    g_print ("  data status: %s\n", label_text (win, "data_status_label"));
  }

  /* Back to the model, then closed while the panel evaluates the test split. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 20000, panel_has_model, NULL));
  window_close (win);
  wait_for_background (20000);
  CU_ASSERT_EQUAL (nw_jobs_get_n (test_jobs), 0);
}

static int
n_listed (NwWindow *win)
{
  GtkWidget *list = nw_mnist_panel_get_accuracy_list (NW_MNIST_PANEL (child (win, "mnist_panel")));
  int n = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static gboolean
listed_at_least (NwWindow *win, gpointer data)
{
  return n_listed (win) >= GPOINTER_TO_INT (data);
}

/* Epochs that end while the main thread is busy are listed all the same, each once, in order:
 * an epoch here is 20 steps of a 784-16-10 network, so hundreds end in a 1 s stall, and the
 * window takes only the newest snapshot after it. */
static void
test_mnist_no_epoch_skipped (void)
{
  NwWindow *win = window_new ();
  g_autofree char *dir = nw_test_path ("fake-mnist-stall");
  GtkWidget *list;
  int n = 0, before;

  open_fake_mnist (win, dir, "stall.json");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);
  CU_ASSERT (spin_until (win, 20000, listed_at_least, GINT_TO_POINTER (1)));
  before = n_listed (win);
  g_usleep (G_USEC_PER_SEC);   /* busy: the trainer goes on */
  CU_ASSERT (spin_until (win, 20000, listed_at_least, GINT_TO_POINTER (before + 10)));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.play", NULL);   /* pause */
  list = nw_mnist_panel_get_accuracy_list (NW_MNIST_PANEL (child (win, "mnist_panel")));
  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    {
      const char *text = gtk_label_get_text (
          GTK_LABEL (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c))));
      int epoch = -1;
      CU_ASSERT (sscanf (text, "Epoch %d:", &epoch) == 1);
      CU_ASSERT_EQUAL (epoch, n + 1);
      if (epoch != n + 1)
        {
          g_print ("  after epoch %d: %s\n", n, text);
          break;
        }
      n++;
    }
  g_print ("  %d epochs listed, %d before the stall\n", n, before);
  CU_ASSERT (n >= before + 10);
  window_close (win);
  wait_for_background (20000);
}

/* What the trainer's thread hands the window (a model, a move, a save) runs on the main
 * thread, in a later iteration, even when no thread holds the main context at that moment:
 * g_main_context_invoke ran it on the worker then, and a window finalized there joined its
 * own runner thread ("Resource deadlock avoided", 1 run of this suite in 4). */
typedef struct {
  GThread *ran_on;
  int      runs;
} Report;

static gboolean
report_here (gpointer data)
{
  Report *r = data;
  r->ran_on = g_thread_self ();
  r->runs++;
  return G_SOURCE_REMOVE;
}

static gpointer
report_from_worker (gpointer data)
{
  nw_report_to_context (NULL, report_here, data);
  return NULL;
}

static void
test_report_to_main (void)
{
  Report r = { NULL, 0 };
  gint64 end;
  int held = 0;
  /* Nothing holds the default context while the worker reports, as between two iterations
   * of a main loop (GTK's set-up left this thread holding it). */
  while (g_main_context_is_owner (NULL))
    {
      g_main_context_release (NULL);
      held++;
    }
  g_thread_join (g_thread_new ("worker", report_from_worker, &r));
  for (int i = 0; i < held; i++)
    CU_ASSERT (g_main_context_acquire (NULL));
  CU_ASSERT_EQUAL (r.runs, 0);
  end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (r.runs == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  CU_ASSERT_EQUAL (r.runs, 1);
  CU_ASSERT_PTR_EQUAL (r.ran_on, g_thread_self ());
}

/* The program's settings: the window takes its size from them and writes it back as it
 * closes, the file it shows is the one to reopen, the device chosen in its menu is kept, the
 * zoom is read; the preferences window and the colour scheme follow the keys. The settings
 * live in memory (GSETTINGS_BACKEND=memory), with the build tree's schema. */
static void
test_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = source != NULL
    ? g_settings_schema_source_lookup (source, NW_SETTINGS_SCHEMA_ID, TRUE) : NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *path = NULL, *uri = NULL, *last = NULL, *device = NULL, *scheme = NULL;
  g_autofree char *language = NULL;
  g_autoptr (GFile) file = NULL;
  NwWindowOptions options = {
    .session = { .devices = test_devices, .backend = NW_BACKEND_CPU, .jobs = test_jobs },
  };
  NwWindow *win;
  GtkWidget *prefs;
  int width = 0, height = 0;
  gboolean gone = FALSE;

  if (schema == NULL)
    {
      g_print ("  no %s schema (GSETTINGS_SCHEMA_DIR): skipped\n", NW_SETTINGS_SCHEMA_ID);
      return;
    }
  settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_set_int (settings, NW_SETTINGS_WINDOW_WIDTH, 1100);
  g_settings_set_int (settings, NW_SETTINGS_WINDOW_HEIGHT, 700);
  g_settings_set_boolean (settings, NW_SETTINGS_WINDOW_MAXIMIZED, FALSE);
  g_settings_set_double (settings, NW_SETTINGS_ZOOM, 1.25);
  options.settings = settings;
  win = nw_window_new_with_options (NULL, &options);
  gtk_window_get_default_size (GTK_WINDOW (win), &width, &height);
  CU_ASSERT_EQUAL (width, 1100);
  CU_ASSERT_EQUAL (height, 700);
  NW_ASSERT_CLOSE (nw_window_get_zoom (win), 1.25, 1e-12, 0);
  /* ... and a zoom the user makes is written back (then 100% again for the tests after). */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.zoom-reset", NULL);
  NW_ASSERT_CLOSE (g_settings_get_double (settings, NW_SETTINGS_ZOOM), 1.0, 1e-12, 0);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.zoom-in", NULL);
  CU_ASSERT (g_settings_get_double (settings, NW_SETTINGS_ZOOM) > 1.0);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.zoom-reset", NULL);
  gtk_window_present (GTK_WINDOW (win));
  CU_ASSERT (spin_until (win, 5000, is_mapped, NULL));

  /* The file shown, as a URI. */
  path = write_spec ("remembered.json", "2 dense:4 tanh dense:1 sigmoid bce", NW_DATA_XOR, 0.1);
  file = g_file_new_for_path (path);
  CU_ASSERT_FATAL (nw_window_open_file (win, file));
  uri = g_file_get_uri (file);
  last = g_settings_get_string (settings, NW_SETTINGS_LAST_NETWORK);
  CU_ASSERT_STRING_EQUAL (last, uri);

  /* The device chosen in the menu. */
  gtk_widget_activate_action (child (win, "device_button"), "backend.device", "s", "cpu");
  device = g_settings_get_string (settings, NW_SETTINGS_DEVICE);
  CU_ASSERT_STRING_EQUAL (device, "cpu");

  /* The preferences window writes the keys, and shows what they say. */
  prefs = nw_preferences_new (settings, GTK_WINDOW (win));
  {
    AdwComboRow *style = ADW_COMBO_ROW (gtk_widget_get_template_child (prefs, NW_TYPE_PREFERENCES,
                                                                       "style_row"));
    AdwComboRow *lang = ADW_COMBO_ROW (gtk_widget_get_template_child (prefs, NW_TYPE_PREFERENCES,
                                                                      "language_row"));
    CU_ASSERT_EQUAL (adw_combo_row_get_selected (style), 0);   /* "default" */
    CU_ASSERT_EQUAL (adw_combo_row_get_selected (lang), 0);    /* the system's */
    nw_settings_follow_color_scheme (settings);
    adw_combo_row_set_selected (style, 2);
    scheme = g_settings_get_string (settings, NW_SETTINGS_COLOR_SCHEME);
    CU_ASSERT_STRING_EQUAL (scheme, "dark");
    CU_ASSERT_EQUAL (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()),
                     ADW_COLOR_SCHEME_FORCE_DARK);
    g_settings_set_string (settings, NW_SETTINGS_COLOR_SCHEME, "light");
    CU_ASSERT_EQUAL (adw_combo_row_get_selected (style), 1);
    CU_ASSERT_EQUAL (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()),
                     ADW_COLOR_SCHEME_FORCE_LIGHT);
    adw_combo_row_set_selected (lang, 1);
    language = g_settings_get_string (settings, NW_SETTINGS_LANGUAGE);
    CU_ASSERT_STRING_EQUAL (language, "ko");
    g_settings_reset (settings, NW_SETTINGS_COLOR_SCHEME);
    g_settings_reset (settings, NW_SETTINGS_LANGUAGE);
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  /* Closing writes the size back (the network is saved: no question). */
  gtk_window_set_default_size (GTK_WINDOW (win), 1000, 750);
  g_object_weak_ref (G_OBJECT (win), on_flag_gone, &gone);
  gtk_window_close (GTK_WINDOW (win));
  CU_ASSERT (spin_until (NULL, 5000, flag_set, &gone));
  CU_ASSERT_EQUAL (g_settings_get_int (settings, NW_SETTINGS_WINDOW_WIDTH), 1000);
  CU_ASSERT_EQUAL (g_settings_get_int (settings, NW_SETTINGS_WINDOW_HEIGHT), 750);
  CU_ASSERT_FALSE (g_settings_get_boolean (settings, NW_SETTINGS_WINDOW_MAXIMIZED));
  g_remove (path);
}

static const NwTestCase window_cases[] = {
  { "NW_BACKEND=cpu stays on the CPU", test_backend_env_cpu },
  { "step, play, pause, reset", test_step_play_pause },
  { "the speed control and the budget", test_speed_control },
  { "counters, zoom, side panel", test_counters_zoom_side_panel },
  { "learning rate while training", test_live_learning_rate },
  { "dataset and the user's points", test_dataset_and_points },
  { "bad files leave the network", test_bad_files },
  { "load weights", test_load_weights_checks },
  { "divergence alarm, and the last good weights back", test_divergence_alarm },
  { "train/eval switch", test_train_mode_switch },
  { "neuron maps in the editor", test_neuron_maps },
  { "missing MNIST says how to get it", test_mnist_missing },
  { "MNIST mode: digit view, model, wrong shapes, user digits", test_mnist_mode },
  { "MNIST: no epoch skipped while the window is busy", test_mnist_no_epoch_skipped },
  { "IDX data loads in the background", test_load_idx_in_background },
  { "a step layer's zero gradient is said as such", test_step_alarm },
  { "device menu moves the run", test_backend_switch },
  { "reports from workers run on the main thread", test_report_to_main },
  { "settings remembered, preferences", test_settings },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "window", window_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  int status;
  if (!gtk_init_check ())
    {
      g_printerr ("no display: skipped\n");
      return 77;
    }
  nw_ui_init ();
  test_devices = nw_cl_devices_new ();
  test_jobs = nw_jobs_new ();
  status = nw_test_main (argc, argv, suites);
  nw_devices_unref (test_devices);
  nw_jobs_unref (test_jobs);
  return status;
}
