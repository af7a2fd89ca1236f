/* nw-window-lesson.c: lessons in the window (nw-window-lesson.h). */
#include "nw-window-lesson.h"
#include "nw-i18n.h"

#include "nw-lesson-browser.h"
#include "nw-lesson-panel.h"
#include "nw-lesson-save.h"
#include "nw-plot.h"
#include "nw-training-views.h"
#include "nw-ui.h"

#include <adwaita.h>
#include <math.h>

/* A control the lesson locked, and how it was before. */
typedef struct {
  GtkWidget *widget;
  char      *tooltip;
  gboolean   sensitive;
} Locked;

typedef struct {
  NwWindow        *window;          /* the owner (not a reference) */
  NwLessonPlayer  *player;          /* NULL without a lesson */
  NwLessonPanel   *panel;
  GtkWidget       *panel_box;       /* the panel and its separator, beside the views */
  GtkWidget       *banner;          /* "Lessons" at a start without a file */
  GtkWidget       *header_button;
  NwLessonBrowser *browser;         /* weak */
  NwCourse        *course;          /* loaded the first time the browser opens */
  char            *course_dir;      /* NULL: the built-in course */
  const char      *lang;            /* "ko" or "en" */
  GPtrArray       *locked;          /* Locked* */
  GPtrArray       *hidden;          /* GtkWidget* (references) the lesson hid */
  guint            locked_mask;     /* NwLessonControl bits locked now */
  gboolean         side_folded;     /* the lesson folded the side panel to make room */
  gboolean         presenter;
  gboolean         side_before;     /* the side panel shown before presenter mode */
  GPtrArray       *presenter_hidden;
  gulong           snapshot_id, valid_id, playing_id;
} Lesson;

#define LESSON_KEY "nw-window-lesson"

static Lesson *
lesson_of (NwWindow *window)
{
  return g_object_get_data (G_OBJECT (window), LESSON_KEY);
}

static GtkWidget *
window_child (NwWindow *window, const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), NW_TYPE_WINDOW, name));
}

static const char *
text (Lesson *l, const NwLessonText *t)
{
  return nw_lesson_text_get (t, l->lang);
}

/* The first widget under `root` (itself included) whose action is `action`. */
static GtkWidget *
find_actionable (GtkWidget *root, const char *action)
{
  if (GTK_IS_ACTIONABLE (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_actionable (c, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- the controls a lesson hides or locks ---- */

static const char *const file_actions[] = {
  "win.open", "win.save", "win.save-as", "win.preset", "win.load-weights", "win.save-weights",
  "win.save-as-lesson",
};

static void
add_child (GPtrArray *out, GtkWidget *root, GType type, const char *name)
{
  GObject *w = gtk_widget_get_template_child (root, type, name);
  if (w != NULL && GTK_IS_WIDGET (w))
    g_ptr_array_add (out, w);
}

GPtrArray *
nw_window_lesson_dup_control_widgets (NwWindow *window, NwLessonControl control)
{
  GPtrArray *out = g_ptr_array_new ();
  GtkWidget *w = GTK_WIDGET (window);
  GtkWidget *settings = window_child (window, "training_settings");
  GType st = G_OBJECT_TYPE (settings);
  switch (control)
    {
    case NW_LESSON_CONTROL_EDITOR:
      add_child (out, w, NW_TYPE_WINDOW, "editor_slot");
      break;
    case NW_LESSON_CONTROL_DATA:
      add_child (out, w, NW_TYPE_WINDOW, "dataset_dropdown");
      add_child (out, w, NW_TYPE_WINDOW, "data_panel");
      break;
    case NW_LESSON_CONTROL_OPTIMIZER:
      add_child (out, settings, st, "optimizer_dropdown");
      break;
    case NW_LESSON_CONTROL_LR:
      add_child (out, settings, st, "lr_scale");
      break;
    case NW_LESSON_CONTROL_BATCH:
      add_child (out, settings, st, "batch_spin");
      break;
    case NW_LESSON_CONTROL_PENALTIES:
      add_child (out, settings, st, "l1_spin");
      add_child (out, settings, st, "l2_spin");
      break;
    case NW_LESSON_CONTROL_SEED:
      add_child (out, settings, st, "seed_spin");
      break;
    case NW_LESSON_CONTROL_SWITCHES:
      add_child (out, w, NW_TYPE_WINDOW, "layer_switches");
      break;
    case NW_LESSON_CONTROL_DEVICE:
      add_child (out, w, NW_TYPE_WINDOW, "device_chooser");
      break;
    case NW_LESSON_CONTROL_RESET:
      {
        GtkWidget *b = find_actionable (w, "win.reset");
        if (b != NULL)
          g_ptr_array_add (out, b);
      }
      break;
    case NW_LESSON_CONTROL_PACE:
      add_child (out, w, NW_TYPE_WINDOW, "pace_button");
      break;
    default:
      /* WEIGHTS (the editor's weight field) and FILES (menu items) are actions */
      break;
    }
  return out;
}

/* The actions a control stands for: locked, they are disabled (their keys too). */
static void
control_actions (NwLessonControl control, const char *const **actions, guint *n)
{
  static const char *const reset[] = { "win.reset" };
  *actions = NULL;
  *n = 0;
  if (control == NW_LESSON_CONTROL_FILES)
    {
      *actions = file_actions;
      *n = G_N_ELEMENTS (file_actions);
    }
  else if (control == NW_LESSON_CONTROL_RESET)
    {
      *actions = reset;
      *n = 1;
    }
}

static const char *
control_title (NwLessonControl control)
{
  static const char *const titles[NW_LESSON_N_CONTROLS] = {
    N_("network editor"), N_("data"), N_("optimizer"), N_("learning rate"), N_("batch size"),
    N_("penalties"), N_("seed"), N_("Dropout and BatchNorm switches"), N_("device"),
    N_("reset"), N_("speed"), N_("weights"), N_("files"),
  };
  return control < NW_LESSON_N_CONTROLS ? _(titles[control]) : "";
}

gboolean
nw_window_lesson_locks (NwWindow *window, NwLessonControl control)
{
  Lesson *l = lesson_of (window);
  return l != NULL && (l->locked_mask & NW_LESSON_BIT (control)) != 0;
}

static void
locked_free (gpointer data)
{
  Locked *lk = data;
  g_object_unref (lk->widget);
  g_free (lk->tooltip);
  g_free (lk);
}

/* Disables the locked controls' actions again (the window enables Reset with every valid
 * network). */
static void
reapply_actions (Lesson *l)
{
  for (int c = 0; c < NW_LESSON_N_CONTROLS; c++)
    if (l->locked_mask & NW_LESSON_BIT (c))
      {
        const char *const *actions;
        guint n;
        control_actions (c, &actions, &n);
        for (guint i = 0; i < n; i++)
          gtk_widget_action_set_enabled (GTK_WIDGET (l->window), actions[i], FALSE);
      }
}

static void
lock_control (Lesson *l, NwLessonControl control, const char *reason)
{
  g_autoptr (GPtrArray) widgets = nw_window_lesson_dup_control_widgets (l->window, control);
  /* Translators: the tooltip of a control a lesson locked; %s is the lesson's reason */
  g_autofree char *tip = g_strdup_printf (_("Locked by the lesson: %s"), reason);
  l->locked_mask |= NW_LESSON_BIT (control);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (widgets, i);
      Locked *lk = g_new0 (Locked, 1);
      lk->widget = g_object_ref (w);
      lk->tooltip = g_strdup (gtk_widget_get_tooltip_text (w));
      lk->sensitive = gtk_widget_get_sensitive (w);
      g_ptr_array_add (l->locked, lk);
      gtk_widget_set_sensitive (w, FALSE);
      gtk_widget_set_tooltip_text (w, tip);
      gtk_widget_add_css_class (w, "nw-locked");
      gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      tip, -1);
    }
  reapply_actions (l);
}

static void
unlock_all (Lesson *l)
{
  guint mask = l->locked_mask;
  l->locked_mask = 0;
  for (guint i = 0; i < l->locked->len; i++)
    {
      Locked *lk = g_ptr_array_index (l->locked, i);
      gtk_widget_set_sensitive (lk->widget, lk->sensitive);
      gtk_widget_set_tooltip_text (lk->widget, lk->tooltip);
      gtk_widget_remove_css_class (lk->widget, "nw-locked");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (lk->widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  g_ptr_array_set_size (l->locked, 0);
  for (int c = 0; c < NW_LESSON_N_CONTROLS; c++)
    if (mask & NW_LESSON_BIT (c))
      {
        const char *const *actions;
        guint n;
        control_actions (c, &actions, &n);
        for (guint i = 0; i < n; i++)
          gtk_widget_action_set_enabled (GTK_WIDGET (l->window), actions[i],
                                         !g_str_equal (actions[i], "win.reset")
                                         || nw_session_get_valid (nw_window_get_session (l->window)));
      }
  nw_lesson_panel_set_locks_text (l->panel, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (l->window), "win.lesson-unlock-all", FALSE);
}

static void
show_hidden (Lesson *l)
{
  for (guint i = 0; i < l->hidden->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (l->hidden, i), TRUE);
  g_ptr_array_set_size (l->hidden, 0);
}

static void
apply_controls (Lesson *l)
{
  const NwLesson *lesson = nw_lesson_player_get_lesson (l->player);
  g_autoptr (GString) names = g_string_new (NULL);
  for (int c = 0; c < NW_LESSON_N_CONTROLS; c++)
    if (lesson->hidden & NW_LESSON_BIT (c))
      {
        g_autoptr (GPtrArray) widgets = nw_window_lesson_dup_control_widgets (l->window, c);
        for (guint i = 0; i < widgets->len; i++)
          {
            GtkWidget *w = g_ptr_array_index (widgets, i);
            if (gtk_widget_get_visible (w))
              {
                gtk_widget_set_visible (w, FALSE);
                g_ptr_array_add (l->hidden, g_object_ref (w));
              }
          }
      }
  for (guint i = 0; i < lesson->locks->len; i++)
    {
      const NwLessonLock *lock = g_ptr_array_index (lesson->locks, i);
      lock_control (l, lock->control, text (l, &lock->reason));
      if (names->len > 0)
        g_string_append (names, _(", "));
      g_string_append (names, control_title (lock->control));
    }
  nw_lesson_panel_set_locks_text (l->panel, names->len > 0 ? names->str : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (l->window), "win.lesson-unlock-all", lesson->locks->len > 0);
}

/* ---- the views ---- */

static void
apply_views (Lesson *l)
{
  guint views = nw_lesson_player_get_views (l->player);
  NwTrainingViews *tv = NW_TRAINING_VIEWS (window_child (l->window, "training_views"));
  nw_training_views_set_shown (tv,
                               views & NW_LESSON_BIT (NW_LESSON_VIEW_BOUNDARY),
                               views & NW_LESSON_BIT (NW_LESSON_VIEW_LOSS),
                               views & NW_LESSON_BIT (NW_LESSON_VIEW_GRADIENTS),
                               views & NW_LESSON_BIT (NW_LESSON_VIEW_ACTIVATIONS),
                               views & NW_LESSON_BIT (NW_LESSON_VIEW_WEIGHTS));
  /* Image data: the digit view (and its confusion matrix) or the plots, as the lesson says */
  {
    const NwSpec *spec = nw_window_get_spec (l->window);
    GObject *stack = gtk_widget_get_template_child (GTK_WIDGET (tv), NW_TYPE_TRAINING_VIEWS,
                                                    "views_stack");
    if (spec != NULL && nw_data_kind_is_image (spec->data.kind) && GTK_IS_STACK (stack))
      gtk_stack_set_visible_child_name (GTK_STACK (stack),
                                        views & (NW_LESSON_BIT (NW_LESSON_VIEW_DIGITS)
                                                 | NW_LESSON_BIT (NW_LESSON_VIEW_CONFUSION))
                                        ? "digits" : "plots");
  }
  /* The editor (its blocks draw each unit's map) */
  gtk_widget_set_visible (window_child (l->window, "editor_slot"),
                          views & (NW_LESSON_BIT (NW_LESSON_VIEW_EDITOR)
                                   | NW_LESSON_BIT (NW_LESSON_VIEW_MAPS)));
}

static void
show_all_views (Lesson *l)
{
  NwTrainingViews *tv = NW_TRAINING_VIEWS (window_child (l->window, "training_views"));
  nw_training_views_set_shown (tv, TRUE, TRUE, TRUE, TRUE, TRUE);
  gtk_widget_set_visible (window_child (l->window, "editor_slot"), TRUE);
}

static void
apply_mode (Lesson *l)
{
  NwTrainingViews *tv = NW_TRAINING_VIEWS (window_child (l->window, "training_views"));
  GObject *sw = gtk_widget_get_template_child (GTK_WIDGET (tv), NW_TYPE_TRAINING_VIEWS,
                                               "train_mode_switch");
  if (GTK_IS_SWITCH (sw) && gtk_widget_get_sensitive (GTK_WIDGET (sw)))
    gtk_switch_set_active (GTK_SWITCH (sw), nw_lesson_player_get_mode (l->player) == NW_LESSON_MODE_TRAIN);
}

/* ---- the panel follows the player ---- */

static void
sync_question (Lesson *l)
{
  switch (nw_lesson_player_get_question_state (l->player))
    {
    case NW_LESSON_QUESTION_ASKED:
      nw_lesson_panel_set_question_state (l->panel, NW_LESSON_PANEL_ASKED, -1);
      break;
    case NW_LESSON_QUESTION_ANSWERED:
      nw_lesson_panel_set_question_state (l->panel, NW_LESSON_PANEL_ANSWERED,
                                          nw_lesson_player_get_choice (l->player));
      break;
    case NW_LESSON_QUESTION_REVEALED:
      nw_lesson_panel_set_question_state (l->panel, NW_LESSON_PANEL_REVEALED, -1);
      break;
    default:
      break;
    }
}

static void
sync_step (Lesson *l)
{
  const NwLessonStep *step = nw_lesson_player_get_current (l->player);
  int index = nw_lesson_player_get_step (l->player);
  int n = nw_lesson_player_get_n_steps (l->player);
  if (step == NULL)
    return;
  nw_lesson_panel_set_step (l->panel, index, n, text (l, &step->title), text (l, &step->text));
  if (step->question != NULL)
    {
      g_autofree const char **choices = g_new0 (const char *, step->question->choices->len + 1);
      for (guint i = 0; i < step->question->choices->len; i++)
        choices[i] = text (l, g_ptr_array_index (step->question->choices, i));
      nw_lesson_panel_set_question (l->panel, text (l, &step->question->text), choices,
                                    step->question->answer, text (l, &step->question->explain));
      sync_question (l);
    }
  if (step->checks->len > 0)
    {
      g_autofree const char **labels = g_new0 (const char *, step->checks->len + 1);
      for (guint i = 0; i < step->checks->len; i++)
        labels[i] = text (l, &((NwLessonCheck *) g_ptr_array_index (step->checks, i))->label);
      nw_lesson_panel_set_checks (l->panel, labels);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (l->window), "win.lesson-back", index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (l->window), "win.lesson-next", index + 1 < n);
}

static void
on_check_met (NwLessonPlayer *player, int i, Lesson *l)
{
  int n = 0;
  const NwLessonCheckState *st = nw_lesson_player_get_checks (player, &n);
  char buf[64];
  if (i < 0 || i >= n)
    return;
  if (!isfinite (st[i].figure))
    /* Translators: a check's figure that only `neurowire-cli lesson check` computes */
    g_strlcpy (buf, _("see lesson check"), sizeof buf);
  else if (st[i].figure == floor (st[i].figure) && fabs (st[i].figure) < 1e9)
    g_snprintf (buf, sizeof buf, "%.0f", st[i].figure);   /* steps, epochs, 0 or 1 */
  else if (fabs (st[i].figure) >= 1e5 || fabs (st[i].figure) < 1e-3)
    g_snprintf (buf, sizeof buf, "%.3g", st[i].figure);
  else
    g_snprintf (buf, sizeof buf, "%.4f", st[i].figure);
  nw_lesson_panel_set_check_figure (l->panel, i, buf, st[i].judged, st[i].passed);
}

static void
on_player_message (NwLessonPlayer *player, const char *message, Lesson *l)
{
  nw_session_message (nw_window_get_session (l->window), "%s", message);
}

static void on_player_left (NwLessonPlayer *player, Lesson *l);

static void
on_snapshot (NwTrainingViews *views, const NwSnapshot *snap, const NwRunnerStatus *status,
             gboolean text_due, Lesson *l)
{
  if (l->player != NULL)
    nw_lesson_player_take_snapshot (l->player, snap, status);
}

static void
on_valid (NwSession *session, GParamSpec *pspec, Lesson *l)
{
  reapply_actions (l);
}

static void
set_lesson_actions (Lesson *l, gboolean on)
{
  static const char *const actions[] = {
    "win.lesson-back", "win.lesson-next", "win.lesson-restart", "win.lesson-leave",
    "win.lesson-answer", "win.lesson-reveal", "win.lesson-unlock-all",
  };
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (l->window), actions[i], on);
}

/* ---- presenter mode ---- */

static void
load_presenter_css (GdkDisplay *display)
{
  GtkCssProvider *provider;
  if (display == NULL || g_object_get_data (G_OBJECT (display), "nw-presenter-css") != NULL)
    return;
  provider = gtk_css_provider_new ();
  /* Above the zoom's rule (nw-zoom.c, APPLICATION + 1): presenter mode's text size wins. */
  gtk_css_provider_load_from_data (provider,
                                   "window.neurowire.presenter { font-size: 150%; }\n"
                                   /* The plots ask for their least size in ems: at 150% the
                                    * views' grid is wider than a 1280-pixel screen leaves
                                    * beside the lesson panel. 80% of 150% is 120%. */
                                   "window.neurowire.presenter .views { font-size: 80%; }\n",
                                   -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 2);
  g_object_set_data_full (G_OBJECT (display), "nw-presenter-css", provider, g_object_unref);
}

void
nw_window_set_presenter (NwWindow *window, gboolean presenter)
{
  Lesson *l = lesson_of (window);
  GtkToggleButton *side = GTK_TOGGLE_BUTTON (window_child (window, "side_panel_button"));
  /* The speed shows on the pace button too; the steps/s counter beside it goes. */
  static const char *const compact[] = { "dataset_dropdown", "device_chooser", "step_button",
                                         "speed_label" };
  g_return_if_fail (l != NULL);
  if (l->presenter == presenter)
    return;
  l->presenter = presenter;
  if (presenter)
    {
      load_presenter_css (gtk_widget_get_display (GTK_WIDGET (window)));
      l->side_before = gtk_toggle_button_get_active (side);
      gtk_toggle_button_set_active (side, FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (window), "presenter");
      /* A compact header: what the lesson needs (play, reset, the counters, the menu). */
      for (guint i = 0; i < G_N_ELEMENTS (compact); i++)
        {
          GtkWidget *w = window_child (window, compact[i]);
          if (w == NULL && g_str_equal (compact[i], "step_button"))
            w = find_actionable (GTK_WIDGET (window), "win.step");
          if (w != NULL && gtk_widget_get_visible (w))
            {
              gtk_widget_set_visible (w, FALSE);
              g_ptr_array_add (l->presenter_hidden, g_object_ref (w));
            }
        }
      {
        GtkWidget *dropdown = window_child (window, "dataset_dropdown");
        GtkWidget *caption = dropdown != NULL ? gtk_widget_get_prev_sibling (dropdown) : NULL;
        if (GTK_IS_LABEL (caption) && gtk_widget_get_visible (caption))
          {
            gtk_widget_set_visible (caption, FALSE);
            g_ptr_array_add (l->presenter_hidden, g_object_ref (caption));
          }
      }
      gtk_window_fullscreen (GTK_WINDOW (window));
    }
  else
    {
      gtk_window_unfullscreen (GTK_WINDOW (window));
      gtk_widget_remove_css_class (GTK_WIDGET (window), "presenter");
      for (guint i = 0; i < l->presenter_hidden->len; i++)
        gtk_widget_set_visible (g_ptr_array_index (l->presenter_hidden, i), TRUE);
      g_ptr_array_set_size (l->presenter_hidden, 0);
      gtk_toggle_button_set_active (side, l->side_before);
    }
}

gboolean
nw_window_get_presenter (NwWindow *window)
{
  Lesson *l = lesson_of (window);
  return l != NULL && l->presenter;
}

/* ---- starting and leaving a lesson ---- */

static void
end_lesson (Lesson *l)
{
  if (l->player == NULL)
    return;
  g_signal_handlers_disconnect_by_data (l->player, l);
  nw_lesson_player_leave (l->player);
  g_clear_object (&l->player);
  unlock_all (l);
  show_hidden (l);
  show_all_views (l);
  set_lesson_actions (l, FALSE);
  gtk_widget_set_visible (l->panel_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (l->panel), FALSE);
  nw_window_set_presenter (l->window, FALSE);
  if (l->side_folded)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (window_child (l->window, "side_panel_button")), TRUE);
  l->side_folded = FALSE;
}

static void
on_player_left (NwLessonPlayer *player, Lesson *l)
{
  end_lesson (l);
}

static void
on_step_changed (NwLessonPlayer *player, Lesson *l)
{
  sync_step (l);
}

static void
on_question_changed (NwLessonPlayer *player, Lesson *l)
{
  sync_question (l);
}

static void
on_views_changed (NwLessonPlayer *player, Lesson *l)
{
  apply_views (l);
}

static void
on_mode_changed (NwLessonPlayer *player, Lesson *l)
{
  apply_mode (l);
}

/* The lesson panel takes room beside the views: where the side panel, the plots at their
 * readable width (nw-window.c's 52 em) and the panel do not fit, the side panel folds for the
 * lesson (F9 shows it again), as the window folds it when the plots lack room. */
static void
make_room (Lesson *l)
{
  GtkWidget *w = GTK_WIDGET (l->window);
  GtkToggleButton *side = GTK_TOGGLE_BUTTON (window_child (l->window, "side_panel_button"));
  double em = nw_plot_widget_font_px (w);
  int width = gtk_widget_get_width (w), height;
  int side_width = gtk_paned_get_position (GTK_PANED (window_child (l->window, "main_paned")));
  if (width <= 0)
    gtk_window_get_default_size (GTK_WINDOW (w), &width, &height);
  if (gtk_toggle_button_get_active (side) && width < MAX (side_width, 300) + (52 + 22) * em)
    {
      gtk_toggle_button_set_active (side, FALSE);
      l->side_folded = TRUE;
    }
}

/* The run paused where the lesson asked: the lesson panel says what comes next, not the
 * window's message bar. */
static void
on_paused (NwSession *session, int reason, gint64 step, Lesson *l)
{
  if (l->player != NULL && (reason == NW_PAUSE_AT_STEP || reason == NW_PAUSE_LOSS_BELOW
                            || reason == NW_PAUSE_EPOCH_END))
    gtk_widget_activate_action (GTK_WIDGET (l->window), "win.dismiss-message", NULL);
}

gboolean
nw_window_start_lesson (NwWindow *window, NwLesson *lesson, GError **error)
{
  Lesson *l = lesson_of (window);
  g_autoptr (NwLessonPlayer) player = NULL;
  g_return_val_if_fail (l != NULL && lesson != NULL, FALSE);
  player = nw_lesson_player_new (nw_window_get_session (window), lesson);
  end_lesson (l);
  g_signal_connect (player, "step-changed", G_CALLBACK (on_step_changed), l);
  g_signal_connect (player, "question-changed", G_CALLBACK (on_question_changed), l);
  g_signal_connect (player, "views-changed", G_CALLBACK (on_views_changed), l);
  g_signal_connect (player, "mode-changed", G_CALLBACK (on_mode_changed), l);
  g_signal_connect (player, "check-met", G_CALLBACK (on_check_met), l);
  g_signal_connect (player, "message", G_CALLBACK (on_player_message), l);
  g_signal_connect (player, "left", G_CALLBACK (on_player_left), l);
  l->player = g_object_ref (player);
  make_room (l);
  nw_lesson_panel_set_lesson (l->panel, text (l, &lesson->title));
  gtk_widget_set_visible (l->panel_box, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (l->panel), TRUE);
  set_lesson_actions (l, TRUE);
  apply_controls (l);
  if (!nw_lesson_player_start (player, error))
    {
      end_lesson (l);
      return FALSE;
    }
  gtk_widget_set_visible (l->banner, FALSE);
  return TRUE;
}

void
nw_window_leave_lesson (NwWindow *window)
{
  Lesson *l = lesson_of (window);
  if (l != NULL)
    end_lesson (l);
}

NwLessonPlayer *
nw_window_get_lesson_player (NwWindow *window)
{
  Lesson *l = lesson_of (window);
  return l != NULL ? l->player : NULL;
}

/* A lesson that cannot be played: a dialog naming the file, the step and the field. */
static void
refuse (Lesson *l, const char *what, const GError *error)
{
  g_autofree char *question = g_strdup_printf (_("“%s” cannot be played"), what);
  nw_ui_ask (GTK_WINDOW (l->window), question, error->message, GTK_RESPONSE_CANCEL,
             NULL, NULL, _("_Close"), GTK_RESPONSE_CANCEL, NULL);
}

gboolean
nw_window_open_lesson_file (NwWindow *window, GFile *file)
{
  Lesson *l = lesson_of (window);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr (GError) error = NULL;
  NwLesson *lesson;
  g_return_val_if_fail (l != NULL, FALSE);
  lesson = path != NULL ? nw_lesson_load (path, &error) : NULL;
  if (lesson == NULL && error == NULL)
    g_set_error (&error, NW_LESSON_ERROR, NW_LESSON_ERROR_IO, _("%s: not a local file"), name);
  if (lesson == NULL || !nw_window_start_lesson (window, lesson, &error))
    {
      refuse (l, name, error);
      return FALSE;
    }
  return TRUE;
}

/* ---- starting one from the browser, a file or the command line ---- */

static void
start_or_refuse (Lesson *l, NwLesson *lesson)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title = g_strdup (text (l, &lesson->title));
  if (!nw_window_start_lesson (l->window, lesson, &error))
    refuse (l, title, error);
}

static void
replace_answered (GtkWindow *window, int response, gpointer data)
{
  NwLesson *lesson = data;
  Lesson *l = lesson_of (NW_WINDOW (window));
  if (response == GTK_RESPONSE_ACCEPT && l != NULL)
    start_or_refuse (l, lesson);
  else
    nw_lesson_free (lesson);
}

/* Plays `lesson` (taken), asking first when it would replace a network with unsaved changes
 * (a lesson's own network, changed during it, is not asked about). */
static void
start_asking (Lesson *l, NwLesson *lesson)
{
  if (l->player != NULL || !nw_session_get_modified (nw_window_get_session (l->window)))
    {
      start_or_refuse (l, lesson);
      return;
    }
  nw_ui_ask (GTK_WINDOW (l->window), _("Replace the network with the lesson’s?"),
             _("The network or its settings were changed since they were last saved; the "
               "changes will be lost."),
             GTK_RESPONSE_CANCEL, replace_answered, lesson, _("_Cancel"), GTK_RESPONSE_CANCEL,
             _("_Replace"), GTK_RESPONSE_ACCEPT, NULL);
}

/* ---- the browser ---- */

static NwCourse *
course_of (Lesson *l, GError **error)
{
  if (l->course == NULL)
    l->course = l->course_dir != NULL ? nw_course_load_dir (l->course_dir, error)
                                      : nw_course_load_builtin (error);
  return l->course;
}

void
nw_window_set_course_dir (NwWindow *window, const char *dir)
{
  Lesson *l = lesson_of (window);
  g_return_if_fail (l != NULL);
  g_free (l->course_dir);
  l->course_dir = g_strdup (dir);
  g_clear_pointer (&l->course, nw_course_free);
}

gboolean
nw_window_open_lesson (NwWindow *window, const char *what)
{
  Lesson *l = lesson_of (window);
  g_autoptr (GError) error = NULL;
  NwCourse *course;
  const NwLesson *lesson;
  g_return_val_if_fail (l != NULL && what != NULL, FALSE);
  course = g_regex_match_simple ("^[a-z0-9-]+$", what, 0, 0) ? course_of (l, &error) : NULL;
  lesson = course != NULL ? nw_course_find (course, what) : NULL;
  if (lesson != NULL)
    {
      if (nw_window_start_lesson (window, nw_lesson_copy (lesson), &error))
        return TRUE;
      refuse (l, text (l, &lesson->title), error);
      return FALSE;
    }
  {
    g_autoptr (GFile) file = g_file_new_for_commandline_arg (what);
    return nw_window_open_lesson_file (window, file);
  }
}

static void
on_lesson_chosen (NwLessonBrowser *browser, const char *id, Lesson *l)
{
  const NwLesson *lesson = l->course != NULL ? nw_course_find (l->course, id) : NULL;
  if (lesson == NULL)
    return;
  gtk_window_close (GTK_WINDOW (browser));
  start_asking (l, nw_lesson_copy (lesson));
}

static void
on_browser_open_file (NwLessonBrowser *browser, GFile *file, Lesson *l)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr (GError) error = NULL;
  NwLesson *lesson = path != NULL ? nw_lesson_load (path, &error) : NULL;
  gtk_window_close (GTK_WINDOW (browser));
  if (lesson == NULL && error == NULL)
    g_set_error (&error, NW_LESSON_ERROR, NW_LESSON_ERROR_IO, _("%s: not a local file"), name);
  if (lesson == NULL)
    refuse (l, name, error);
  else
    start_asking (l, lesson);
}

void
nw_window_show_lessons (NwWindow *window)
{
  Lesson *l = lesson_of (window);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) entries = g_array_new (FALSE, TRUE, sizeof (NwLessonBrowserEntry));
  GPtrArray *lessons;
  g_return_if_fail (l != NULL);
  if (l->browser != NULL)
    {
      gtk_window_present (GTK_WINDOW (l->browser));
      return;
    }
  if (course_of (l, &error) == NULL)
    nw_session_message (nw_window_get_session (window), _("The course did not load: %s"),
                        error->message);
  lessons = l->course != NULL ? nw_course_get_lessons (l->course) : NULL;
  for (guint i = 0; lessons != NULL && i < lessons->len; i++)
    {
      const NwLesson *lesson = g_ptr_array_index (lessons, i);
      NwLessonBrowserEntry e = {
        .id = lesson->id, .chapter = text (l, &lesson->chapter), .title = text (l, &lesson->title),
        .summary = text (l, &lesson->summary), .minutes = lesson->minutes,
      };
      g_array_append_val (entries, e);
    }
  l->browser = nw_lesson_browser_new (GTK_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (l->browser), (gpointer *) &l->browser);
  nw_lesson_browser_set_entries (l->browser, (NwLessonBrowserEntry *) (gpointer) entries->data,
                                 (int) entries->len);
  g_signal_connect (l->browser, "lesson-chosen", G_CALLBACK (on_lesson_chosen), l);
  g_signal_connect (l->browser, "open-file", G_CALLBACK (on_browser_open_file), l);
  gtk_window_present (GTK_WINDOW (l->browser));
}

/* ---- actions and keys ---- */

static void
action_lesson (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *window = NW_WINDOW (widget);
  Lesson *l = lesson_of (window);
  if (l == NULL)
    return;
  if (g_str_equal (name, "win.lessons"))
    nw_window_show_lessons (window);
  else if (g_str_equal (name, "win.lesson-presenter"))
    nw_window_set_presenter (window, !l->presenter);
  else if (g_str_equal (name, "win.save-as-lesson"))
    {
      /* What shows now: the lesson's views, or every view of the free program. */
      guint views = l->player != NULL ? nw_lesson_player_get_views (l->player)
                    : NW_LESSON_BIT (NW_LESSON_VIEW_EDITOR) | NW_LESSON_BIT (NW_LESSON_VIEW_BOUNDARY)
                      | NW_LESSON_BIT (NW_LESSON_VIEW_MAPS) | NW_LESSON_BIT (NW_LESSON_VIEW_LOSS)
                      | NW_LESSON_BIT (NW_LESSON_VIEW_GRADIENTS) | NW_LESSON_BIT (NW_LESSON_VIEW_ACTIVATIONS)
                      | NW_LESSON_BIT (NW_LESSON_VIEW_WEIGHTS);
      nw_lesson_save_dialog (window, l->player != NULL ? nw_lesson_player_get_lesson (l->player) : NULL,
                             views, l->locked_mask,
                             l->player != NULL ? nw_lesson_player_get_pace (l->player) : 0);
    }
  else if (l->player == NULL)
    return;
  else if (g_str_equal (name, "win.lesson-next"))
    nw_lesson_player_next (l->player);
  else if (g_str_equal (name, "win.lesson-back"))
    nw_lesson_player_back (l->player);
  else if (g_str_equal (name, "win.lesson-restart"))
    nw_lesson_player_restart (l->player);
  else if (g_str_equal (name, "win.lesson-leave"))
    end_lesson (l);
  else if (g_str_equal (name, "win.lesson-answer"))
    nw_lesson_player_answer (l->player, g_variant_get_int32 (param));
  else if (g_str_equal (name, "win.lesson-reveal"))
    nw_lesson_player_reveal (l->player);
  else if (g_str_equal (name, "win.lesson-unlock-all"))
    unlock_all (l);
}

/* What a focused widget does with the arrow keys itself: text, sliders, spin buttons, the
 * editor's canvas, lists. There the arrows stay theirs; Page Up/Down still move the lesson. */
static gboolean
focus_takes_arrows (GtkWidget *focus)
{
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w) || GTK_IS_TEXT_VIEW (w) || GTK_IS_RANGE (w) || GTK_IS_SPIN_BUTTON (w)
        || GTK_IS_DROP_DOWN (w) || GTK_IS_LIST_BOX (w) || GTK_IS_POPOVER (w)
        || g_str_equal (G_OBJECT_TYPE_NAME (w), "NwEditor"))
      return TRUE;
  return FALSE;
}

static gboolean
on_key (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
        NwWindow *window)
{
  Lesson *l = lesson_of (window);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  if (l == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;
  if (keyval == GDK_KEY_Escape && l->presenter)
    {
      nw_window_set_presenter (window, FALSE);
      return TRUE;
    }
  if (l->player == NULL)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      nw_lesson_player_next (l->player);
      return TRUE;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      nw_lesson_player_back (l->player);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_Left:
      if (focus_takes_arrows (focus))
        return FALSE;
      if (keyval == GDK_KEY_Right)
        nw_lesson_player_next (l->player);
      else
        nw_lesson_player_back (l->player);
      return TRUE;
    default:
      return FALSE;
    }
}

void
nw_window_lesson_install (GtkWidgetClass *window_class)
{
  static const char *const plain[] = {
    "win.lessons", "win.lesson-presenter", "win.save-as-lesson", "win.lesson-next",
    "win.lesson-back", "win.lesson-restart", "win.lesson-leave", "win.lesson-reveal",
    "win.lesson-unlock-all",
  };
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    gtk_widget_class_install_action (window_class, plain[i], NULL, action_lesson);
  gtk_widget_class_install_action (window_class, "win.lesson-answer", "i", action_lesson);
  gtk_widget_class_add_binding_action (window_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lessons", NULL);
  gtk_widget_class_add_binding_action (window_class, GDK_KEY_F5, 0, "win.lesson-presenter", NULL);
}

static void
lesson_free (gpointer data)
{
  Lesson *l = data;
  g_clear_pointer (&l->course, nw_course_free);
  g_free (l->course_dir);
  g_ptr_array_unref (l->locked);
  g_ptr_array_unref (l->hidden);
  g_ptr_array_unref (l->presenter_hidden);
  g_free (l);
}

static void
on_banner_close (GtkButton *button, Lesson *l)
{
  gtk_widget_set_visible (l->banner, FALSE);
}

/* A network in place (loaded data comes later than the lesson's `views`): the lesson's views
 * again, after the training views' own choice of page. */
static void
on_spec_changed (NwSession *session, Lesson *l)
{
  if (l->player != NULL)
    apply_views (l);
}

/* A network file of the user's opened: the offer of the course has done its job. */
static void
on_file_changed (NwSession *session, GParamSpec *pspec, Lesson *l)
{
  if (nw_session_get_file (session) != NULL)
    gtk_widget_set_visible (l->banner, FALSE);
}

/* The header button, the banner and the panel go in beside the template's widgets. */
void
nw_window_lesson_attach (NwWindow *window)
{
  Lesson *l = g_new0 (Lesson, 1);
  GtkWidget *paned = window_child (window, "main_paned");
  GtkWidget *column = gtk_widget_get_parent (paned);
  GtkWidget *before = gtk_widget_get_prev_sibling (paned);
  GtkWidget *row, *header, *label, *button, *box;
  GtkEventController *keys;

  l->window = window;
  l->lang = nw_lesson_lang_from_locale ();
  l->locked = g_ptr_array_new_with_free_func (locked_free);
  l->hidden = g_ptr_array_new_with_free_func (g_object_unref);
  l->presenter_hidden = g_ptr_array_new_with_free_func (g_object_unref);
  g_object_set_data_full (G_OBJECT (window), LESSON_KEY, l, lesson_free);

  /* The lesson panel, right of the views */
  g_object_ref (paned);
  gtk_box_remove (GTK_BOX (column), paned);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_vexpand (row, TRUE);
  gtk_box_append (GTK_BOX (row), paned);
  g_object_unref (paned);
  gtk_widget_set_hexpand (paned, TRUE);
  l->panel_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_append (GTK_BOX (l->panel_box), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  l->panel = NW_LESSON_PANEL (nw_lesson_panel_new ());
  gtk_box_append (GTK_BOX (l->panel_box), GTK_WIDGET (l->panel));
  gtk_widget_set_visible (l->panel_box, FALSE);
  gtk_box_append (GTK_BOX (row), l->panel_box);
  gtk_box_insert_child_after (GTK_BOX (column), row, before);

  /* The banner: the course at a start without a file (nw_window_show_lesson_banner) */
  l->banner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  gtk_widget_add_css_class (l->banner, "banner");
  gtk_widget_add_css_class (l->banner, "lesson-banner");
  box = gtk_image_new_from_icon_name ("accessories-dictionary-symbolic");
  gtk_box_append (GTK_BOX (l->banner), box);
  label = gtk_label_new (_("New here? The lessons walk through the course notes step by step: "
                           "perceptrons, XOR, vanishing gradients, optimizers, MNIST."));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (l->banner), label);
  /* No mnemonic: its label would name it a second time beside the accessible name. */
  button = gtk_button_new_with_label (_("Browse Lessons"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.lessons");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Browse lessons"), -1);
  gtk_box_append (GTK_BOX (l->banner), button);
  button = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Hide this"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Hide the lessons banner"), -1);
  g_signal_connect (button, "clicked", G_CALLBACK (on_banner_close), l);
  gtk_box_append (GTK_BOX (l->banner), button);
  gtk_widget_set_visible (l->banner, FALSE);
  gtk_box_insert_child_after (GTK_BOX (column), l->banner, before);

  /* The header's "Lessons" button, before the main menu */
  header = gtk_widget_get_ancestor (window_child (window, "menu_button"), GTK_TYPE_HEADER_BAR);
  l->header_button = gtk_button_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("accessories-dictionary-symbolic"));
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("Lessons")));
  gtk_button_set_child (GTK_BUTTON (l->header_button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (l->header_button), "win.lessons");
  gtk_widget_set_tooltip_text (l->header_button, _("The course's lessons (Ctrl+L)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (l->header_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Lessons"), -1);
  if (header != NULL)
    gtk_header_bar_pack_end (GTK_HEADER_BAR (header), l->header_button);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (keys, "nw-lesson-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key), window);
  gtk_widget_add_controller (GTK_WIDGET (window), keys);

  l->snapshot_id = g_signal_connect (window_child (window, "training_views"), "snapshot",
                                     G_CALLBACK (on_snapshot), l);
  /* After the window's own handlers, which enable Reset for every valid network. */
  l->valid_id = g_signal_connect (nw_window_get_session (window), "notify::valid",
                                  G_CALLBACK (on_valid), l);
  l->playing_id = g_signal_connect (nw_window_get_session (window), "notify::playing",
                                    G_CALLBACK (on_valid), l);
  g_signal_connect_swapped (nw_window_get_session (window), "trainer-installed",
                            G_CALLBACK (reapply_actions), l);
  g_signal_connect_swapped (nw_window_get_session (window), "reset",
                            G_CALLBACK (reapply_actions), l);
  g_signal_connect (nw_window_get_session (window), "paused", G_CALLBACK (on_paused), l);
  g_signal_connect (nw_window_get_session (window), "notify::file", G_CALLBACK (on_file_changed), l);
  g_signal_connect (nw_window_get_session (window), "spec-changed", G_CALLBACK (on_spec_changed), l);
  set_lesson_actions (l, FALSE);
}

void
nw_window_lesson_detach (NwWindow *window)
{
  Lesson *l = lesson_of (window);
  if (l == NULL)
    return;
  if (l->browser != NULL)
    {
      GtkWindow *browser = GTK_WINDOW (l->browser);
      g_object_remove_weak_pointer (G_OBJECT (browser), (gpointer *) &l->browser);
      l->browser = NULL;
      g_signal_handlers_disconnect_by_data (browser, l);
      gtk_window_destroy (browser);
    }
  if (l->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (l->player, l);
      g_clear_object (&l->player);
    }
  g_signal_handlers_disconnect_by_data (nw_window_get_session (window), l);
  l->valid_id = l->playing_id = 0;
  g_clear_signal_handler (&l->snapshot_id, window_child (window, "training_views"));
}

void
nw_window_show_lesson_banner (NwWindow *window)
{
  Lesson *l = lesson_of (window);
  if (l != NULL && l->player == NULL)
    gtk_widget_set_visible (l->banner, TRUE);
}
