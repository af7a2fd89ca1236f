/* test-ui-lesson.c: lessons in the window, under Xvfb: the lesson panel follows the player
 * (step n of N, text, the question and its explanation, the checks), the lesson's views and
 * hidden controls, locked controls (insensitive, the reason in the tooltip and the accessible
 * description, a lock marker) and "Unlock all", presenter mode, leaving with the network as
 * it is, a bad lesson file refused with the window unchanged, and "Save as Lesson…"'s lesson.
 * Exits 77 (skipped) when there is no display. */
#include "nw-test.h"

#include "nw-lesson-browser.h"
#include "nw-lesson-panel.h"
#include "nw-lesson-save.h"
#include "nw-ui.h"
#include "nw-window.h"
#include "nw-window-lesson.h"

#include <adwaita.h>
#include <gtk/gtk.h>
#include <string.h>

static NwJobs *test_jobs;

#define SPEC \
  "{\"format\": \"neurowire-spec\", \"version\": 1, \"name\": \"XOR 2-2-1\"," \
  " \"nodes\": [{\"id\": \"input\", \"type\": \"input\"}," \
  "  {\"id\": \"fc1\", \"type\": \"dense\", \"units\": 2}," \
  "  {\"id\": \"act1\", \"type\": \"activation\", \"activation\": \"sigmoid\"}," \
  "  {\"id\": \"fc2\", \"type\": \"dense\", \"units\": 1}," \
  "  {\"id\": \"act2\", \"type\": \"activation\", \"activation\": \"sigmoid\"}," \
  "  {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce\"}]," \
  " \"data\": {\"kind\": \"xor\"}," \
  " \"training\": {\"optimizer\": \"sgd\", \"lr\": 1.0, \"batch_size\": 0, \"steps\": 0, \"epochs\": 0, \"seed\": 1}}"

#define T(s) "{\"ko\": \"" s " (ko)\", \"en\": \"" s "\"}"

static const char lesson_json[] =
  "{\"format\": \"neurowire-lesson\", \"version\": 1, \"id\": \"window-test\","
  " \"chapter\": " T ("Tests") ", \"title\": " T ("Window lesson") ", \"summary\": " T ("A test") ","
  " \"minutes\": 1, \"spec\": " SPEC ","
  " \"views\": [\"boundary\", \"loss\"], \"hidden\": [\"device\"],"
  " \"locks\": [{\"control\": \"optimizer\", \"reason\": " T ("SGD only today") "},"
  "            {\"control\": \"reset\", \"reason\": " T ("Keep the run") "}],"
  " \"pace\": 0,"
  " \"steps\": ["
  "  {\"title\": " T ("First") ", \"text\": " T ("Train to 100") ","
  "   \"actions\": [{\"do\": \"train\", \"until\": {\"step\": 100}}],"
  "   \"checks\": [{\"metric\": \"step\", \"near\": 100, \"tol\": 0, \"label\": " T ("at 100") "}]},"
  "  {\"title\": " T ("Asked") ", \"text\": " T ("A question first") ","
  "   \"question\": {\"text\": " T ("What now?") ", \"choices\": [" T ("Up") ", " T ("Down") "],"
  "                 \"answer\": 1, \"explain\": " T ("It goes down") "},"
  "   \"actions\": [{\"do\": \"show\", \"views\": [\"loss\", \"gradients\"]},"
  "                 {\"do\": \"train\", \"until\": {\"step\": 200}}]},"
  "  {\"title\": " T ("Last") ", \"text\": " T ("The end") ", \"actions\": []}"
  " ]}";

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

static GtkWidget *
find_class (GtkWidget *root, const char *css_class)
{
  if (gtk_widget_has_css_class (root, css_class))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_class (c, css_class);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_type (GtkWidget *root, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_type (c, type, out);
}

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

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

/* GTK 4.8 has no gtk_widget_action_is_enabled: a button of the action says (its sensitivity
 * follows the action's). */
static gboolean
action_enabled (NwWindow *win, const char *action)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (win), action);
  CU_ASSERT_PTR_NOT_NULL_FATAL (button);
  return gtk_widget_get_sensitive (button);
}

static void
spin (int ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef gboolean (*Pred) (NwWindow *win);

static gboolean
spin_until (NwWindow *win, int ms, Pred pred)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      if (pred (win))
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return pred (win);
}

static gboolean
is_mapped (NwWindow *win)
{
  return gtk_widget_get_mapped (GTK_WIDGET (win));
}

static gboolean
step_done (NwWindow *win)
{
  NwLessonPlayer *p = nw_window_get_lesson_player (win);
  return p != NULL && nw_lesson_player_get_step_done (p);
}

static NwWindow *
window_new_sized (int width, int height)
{
  NwWindowOptions options = { .session = { .backend = NW_BACKEND_CPU, .jobs = test_jobs } };
  NwWindow *win = nw_window_new_with_options (NULL, &options);
  gtk_window_set_default_size (GTK_WINDOW (win), width, height);
  gtk_window_present (GTK_WINDOW (win));
  CU_ASSERT (spin_until (win, 5000, is_mapped));
  return win;
}

static NwWindow *
window_new (void)
{
  return window_new_sized (1560, 960);
}

static void
window_close (NwWindow *win)
{
  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  CU_ASSERT (nw_jobs_wait (test_jobs, 10000));
}

static NwWindow *
window_with_lesson_sized (int width, int height)
{
  NwWindow *win = window_new_sized (width, height);
  GError *error = NULL;
  NwLesson *lesson = nw_lesson_from_json (lesson_json, -1, "window-test.json", &error);
  NW_ASSERT_NO_ERROR (error);
  g_assert (lesson != NULL);
  CU_ASSERT (nw_window_start_lesson (win, lesson, &error));
  NW_ASSERT_NO_ERROR (error);
  return win;
}

static NwWindow *
window_with_lesson (void)
{
  return window_with_lesson_sized (1560, 960);
}

static NwLessonPanel *
panel_of (NwWindow *win)
{
  GtkWidget *panel = find_type (GTK_WIDGET (win), NW_TYPE_LESSON_PANEL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (panel);
  return NW_LESSON_PANEL (panel);
}

/* The panel shows the step, its check's figure once the run is there; the question holds
 * the run, an answer shows the explanation; Next and Back move the panel with the player. */
static void
test_panel (void)
{
  NwWindow *win = window_with_lesson ();
  NwLessonPanel *panel = panel_of (win);
  NwLessonPlayer *player = nw_window_get_lesson_player (win);
  GtkWidget *choice;

  CU_ASSERT (gtk_widget_get_visible (GTK_WIDGET (panel)) && gtk_widget_get_mapped (GTK_WIDGET (panel)));
  CU_ASSERT_STRING_EQUAL (nw_lesson_panel_get_counter (panel), "Step 1 of 3");
  CU_ASSERT_STRING_EQUAL (nw_lesson_panel_get_text (panel), "Train to 100");
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "XOR 2-2-1");
  CU_ASSERT (spin_until (win, 20000, step_done));
  spin (300);
  CU_ASSERT_STRING_EQUAL (nw_lesson_panel_get_check_figure (panel, 0), "100");
  CU_ASSERT (!action_enabled (win, "win.lesson-back"));

  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-next", NULL);
  CU_ASSERT_EQUAL (nw_lesson_player_get_step (player), 1);
  CU_ASSERT_STRING_EQUAL (nw_lesson_panel_get_counter (panel), "Step 2 of 3");
  CU_ASSERT (!nw_lesson_panel_get_explain_visible (panel));
  spin (300);
  CU_ASSERT (!nw_session_get_playing (nw_window_get_session (win)));
  choice = nw_lesson_panel_get_choice_button (panel, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (choice);
  CU_ASSERT (gtk_widget_activate (choice));
  spin (400);   /* a button's activation clicks after its press shows (GTK's 250 ms) */
  CU_ASSERT_EQUAL (nw_lesson_player_get_question_state (player), NW_LESSON_QUESTION_ANSWERED);
  CU_ASSERT (nw_lesson_panel_get_explain_visible (panel));
  CU_ASSERT (gtk_widget_has_css_class (choice, "error"));
  CU_ASSERT (gtk_widget_has_css_class (nw_lesson_panel_get_choice_button (panel, 1), "success"));
  /* The step's `show`: loss and gradients, no boundary. */
  CU_ASSERT (!gtk_widget_get_visible (child (win, "boundary_card")));
  CU_ASSERT (gtk_widget_get_visible (gtk_widget_get_parent (child (win, "grad_plot"))));
  CU_ASSERT (spin_until (win, 20000, step_done));

  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-back", NULL);
  CU_ASSERT_STRING_EQUAL (nw_lesson_panel_get_counter (panel), "Step 1 of 3");
  window_close (win);
}

/* The lesson's views and hidden controls at its start; locked controls refuse, say why, and
 * come back with "Unlock all" as they were. */
static void
test_locks (void)
{
  NwWindow *win = window_with_lesson ();
  GtkWidget *optimizer = child (win, "optimizer_dropdown");
  GtkWidget *device = child (win, "device_chooser");
  g_autoptr (GPtrArray) reset = nw_window_lesson_dup_control_widgets (win, NW_LESSON_CONTROL_RESET);
  g_autoptr (GPtrArray) pace = nw_window_lesson_dup_control_widgets (win, NW_LESSON_CONTROL_PACE);
  g_autofree char *tip_before = NULL;
  const char *tip;

  /* views: boundary and loss */
  CU_ASSERT (gtk_widget_get_visible (child (win, "boundary_card")));
  CU_ASSERT (gtk_widget_get_visible (gtk_widget_get_parent (child (win, "loss_plot"))));
  CU_ASSERT (!gtk_widget_get_visible (gtk_widget_get_parent (child (win, "grad_plot"))));
  CU_ASSERT (!gtk_widget_get_visible (gtk_widget_get_parent (child (win, "weight_hist"))));
  /* hidden: device */
  CU_ASSERT (!gtk_widget_get_visible (device));
  /* locked: optimizer, reset */
  CU_ASSERT (!gtk_widget_get_sensitive (optimizer));
  tip = gtk_widget_get_tooltip_text (optimizer);
  CU_ASSERT (tip != NULL && strstr (tip, "SGD only today") != NULL);
  CU_ASSERT (gtk_widget_has_css_class (optimizer, "nw-locked"));
  CU_ASSERT_EQUAL (reset->len, 1);
  CU_ASSERT_EQUAL (pace->len, 1);   /* the header's speed control, lockable too */
  CU_ASSERT (!action_enabled (win, "win.reset"));
  if (reset->len == 1)
    {
      GtkWidget *b = g_ptr_array_index (reset, 0);
      CU_ASSERT (!gtk_widget_is_sensitive (b));
      CU_ASSERT (strstr (gtk_widget_get_tooltip_text (b), "Keep the run") != NULL);
    }
  /* A new network (the lesson's next run) keeps Reset locked: the window enables it for
   * every valid network, the lock disables it again. */
  nw_session_reset (nw_window_get_session (win));
  spin (100);
  CU_ASSERT (!action_enabled (win, "win.reset"));

  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-unlock-all", NULL);
  CU_ASSERT (gtk_widget_get_sensitive (optimizer));
  CU_ASSERT (!gtk_widget_has_css_class (optimizer, "nw-locked"));
  tip = gtk_widget_get_tooltip_text (optimizer);
  CU_ASSERT (tip == NULL || strstr (tip, "SGD only today") == NULL);
  CU_ASSERT (action_enabled (win, "win.reset"));
  CU_ASSERT (!action_enabled (win, "win.lesson-unlock-all"));
  /* Unlocking is not leaving: the lesson goes on. */
  CU_ASSERT_PTR_NOT_NULL (nw_window_get_lesson_player (win));
  (void) tip_before;
  window_close (win);
}

/* Leaving: the panel goes, every view and control is back, the network stays. */
static void
test_leave (void)
{
  NwWindow *win = window_with_lesson ();
  NwLessonPanel *panel = panel_of (win);
  CU_ASSERT (spin_until (win, 20000, step_done));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-leave", NULL);
  CU_ASSERT_PTR_NULL (nw_window_get_lesson_player (win));
  CU_ASSERT (!gtk_widget_get_mapped (GTK_WIDGET (panel)));
  CU_ASSERT (gtk_widget_get_visible (child (win, "device_chooser")));
  CU_ASSERT (gtk_widget_get_sensitive (child (win, "optimizer_dropdown")));
  CU_ASSERT (gtk_widget_get_visible (gtk_widget_get_parent (child (win, "grad_plot"))));
  CU_ASSERT (action_enabled (win, "win.reset"));
  CU_ASSERT (!action_enabled (win, "win.lesson-next"));
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "XOR 2-2-1");
  CU_ASSERT_DOUBLE_EQUAL (nw_session_get_pace (nw_window_get_session (win)), 0, 0);
  window_close (win);
}

/* Presenter mode: large text (the window's class), the side panel folded and the header
 * compact; leaving puts them back. */
static void
test_presenter (void)
{
  NwWindow *win = window_with_lesson ();
  gboolean side = nw_window_get_side_panel_visible (win);
  CU_ASSERT (side);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-presenter", NULL);
  CU_ASSERT (nw_window_get_presenter (win));
  CU_ASSERT (gtk_widget_has_css_class (GTK_WIDGET (win), "presenter"));
  CU_ASSERT (!nw_window_get_side_panel_visible (win));
  CU_ASSERT (!gtk_widget_get_visible (child (win, "dataset_dropdown")));
  spin (200);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-presenter", NULL);
  CU_ASSERT (!nw_window_get_presenter (win));
  CU_ASSERT (!gtk_widget_has_css_class (GTK_WIDGET (win), "presenter"));
  CU_ASSERT (nw_window_get_side_panel_visible (win));
  CU_ASSERT (gtk_widget_get_visible (child (win, "dataset_dropdown")));
  window_close (win);
}

/* At 1280x720 the side panel, the plots and the lesson panel do not fit side by side: the
 * side panel folds for the lesson, the window stays within the screen, and leaving shows the
 * side panel again. */
#define LONG_TEXT "A 2-10-10-10-1 network with three hidden layers: sigmoid everywhere, the default " \
  "initialization, full-batch SGD, learning rate 1. Watch the loss and the gradient plot together. "

/* A step as long as the course's: a long text, a question, three views. */
static const char presenter_json[] =
  "{\"format\": \"neurowire-lesson\", \"version\": 1, \"id\": \"presenter-test\","
  " \"chapter\": " T ("Tests") ", \"title\": " T ("Presenter") ", \"summary\": " T ("A test") ","
  " \"minutes\": 1, \"spec\": " SPEC ","
  " \"views\": [\"boundary\", \"loss\", \"gradients\"], \"pace\": 150,"
  " \"steps\": ["
  "  {\"title\": " T ("The plateau") ", \"text\": " T (LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT) ","
  "   \"question\": {\"text\": " T ("What will the loss do in the first 5,000 steps?") ","
  "                 \"choices\": [" T ("Fall to 0 at once") ", " T ("Stay at ln 2 = 0.6931") ", " T ("Diverge") "],"
  "                 \"answer\": 1, \"explain\": " T ("It stays") "},"
  "   \"actions\": [{\"do\": \"train\", \"until\": {\"step\": 5000}}]}"
  " ]}";

/* Presenter mode at 1280x720 with a long step: the question and its choices are in the window
 * without scrolling (the step text scrolls on its own), and the views' grid fits the room
 * beside the panel (its minimum width is not more than its scroller's width: nothing cut). */
static void
test_presenter_fits (void)
{
  NwWindow *win = window_new_sized (1280, 720);
  GError *error = NULL;
  NwLesson *lesson = nw_lesson_from_json (presenter_json, -1, "presenter-test.json", &error);   /* the window takes it */
  GtkWidget *question, *views, *grid, *scroller;
  graphene_rect_t qb;
  int grid_min = 0, nat;

  NW_ASSERT_NO_ERROR (error);
  g_assert (lesson != NULL);
  CU_ASSERT (nw_window_start_lesson (win, lesson, &error));
  NW_ASSERT_NO_ERROR (error);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-presenter", NULL);
  spin (500);

  question = find_class (GTK_WIDGET (win), "lesson-question");
  CU_ASSERT_PTR_NOT_NULL_FATAL (question);
  CU_ASSERT (gtk_widget_get_mapped (question));
  CU_ASSERT_FATAL (gtk_widget_compute_bounds (question, GTK_WIDGET (win), &qb));
  g_print ("  presenter: the question at y %.0f..%.0f of %d\n", qb.origin.y,
           qb.origin.y + qb.size.height, gtk_widget_get_height (GTK_WIDGET (win)));
  CU_ASSERT (qb.origin.y >= 0);
  CU_ASSERT (qb.origin.y + qb.size.height <= gtk_widget_get_height (GTK_WIDGET (win)));

  views = find_type (GTK_WIDGET (win), g_type_from_name ("NwTrainingViews"));
  CU_ASSERT_PTR_NOT_NULL_FATAL (views);
  /* The plots' grid: the shown grid in a scroller (the digit view's page is not shown). */
  {
    g_autoptr (GPtrArray) grids = g_ptr_array_new ();
    grid = scroller = NULL;
    collect_type (views, GTK_TYPE_GRID, grids);
    for (guint i = 0; i < grids->len && grid == NULL; i++)
      {
        GtkWidget *g = g_ptr_array_index (grids, i);
        GtkWidget *sw = gtk_widget_get_ancestor (g, GTK_TYPE_SCROLLED_WINDOW);
        if (sw != NULL && gtk_widget_get_mapped (g))
          grid = g, scroller = sw;
      }
  }
  CU_ASSERT_PTR_NOT_NULL_FATAL (grid);
  CU_ASSERT_PTR_NOT_NULL_FATAL (scroller);
  gtk_widget_measure (grid, GTK_ORIENTATION_HORIZONTAL, -1, &grid_min, &nat, NULL, NULL);
  g_print ("  presenter: the views need %d px of %d\n", grid_min, gtk_widget_get_width (scroller));
  CU_ASSERT (grid_min <= gtk_widget_get_width (scroller));

  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-presenter", NULL);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-leave", NULL);
  window_close (win);
}

static void
test_room_at_1280 (void)
{
  NwWindow *win = window_with_lesson_sized (1280, 720);
  spin (300);
  CU_ASSERT (!nw_window_get_side_panel_visible (win));
  CU_ASSERT (gtk_widget_get_width (GTK_WIDGET (win)) <= 1280);
  g_print ("  window %d x %d with the lesson panel\n", gtk_widget_get_width (GTK_WIDGET (win)),
           gtk_widget_get_height (GTK_WIDGET (win)));
  /* Presenter mode's larger text still fits a 1280-pixel screen (full screen forces it). */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-presenter", NULL);
  spin (300);
  {
    int min_w = 0, min_h = 0, nat;
    gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_VERTICAL, 1280, &min_h, &nat, NULL, NULL);
    g_print ("  presenter mode needs at least %d x %d\n", min_w, min_h);
    CU_ASSERT (min_w <= 1280);
    CU_ASSERT (min_h <= 720);
  }
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-presenter", NULL);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lesson-leave", NULL);
  CU_ASSERT (nw_window_get_side_panel_visible (win));
  window_close (win);
}

static GtkWindow *
toplevel_of_type (GType type)
{
  GListModel *tops = gtk_window_get_toplevels ();   /* borrowed */
  GtkWindow *found = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        found = GTK_WINDOW (w);
    }
  return found;
}

/* The browser shows a course from a folder, in its chapters; a lesson chosen there over a
 * network with unsaved changes is asked about first: Cancel keeps the network, Replace
 * plays the lesson. */
static void
test_browser_asks (void)
{
  NwWindow *win = window_new ();
  g_autofree char *dir = nw_test_source_path ("tests/e2e/lessons");
  g_autofree char *name_before = g_strdup (nw_window_get_spec (win)->name);
  NwLessonBrowser *browser;
  AdwMessageDialog *dialog;
  nw_window_set_course_dir (win, dir);
  nw_session_set_modified (nw_window_get_session (win), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lessons", NULL);
  spin (200);
  browser = NW_LESSON_BROWSER (toplevel_of_type (NW_TYPE_LESSON_BROWSER));
  CU_ASSERT_PTR_NOT_NULL_FATAL (browser);
  CU_ASSERT_PTR_NOT_NULL (nw_lesson_browser_get_row (browser, "xor-hidden"));
  CU_ASSERT_PTR_NOT_NULL (nw_lesson_browser_get_row (browser, "lr-demo"));
  CU_ASSERT_PTR_NULL (nw_lesson_browser_get_row (browser, "perceptron"));
  g_signal_emit_by_name (browser, "lesson-chosen", "lr-demo");
  spin (200);
  dialog = ADW_MESSAGE_DIALOG (toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  CU_ASSERT_PTR_NOT_NULL_FATAL (dialog);
  adw_message_dialog_response (dialog, "cancel");
  spin (200);
  CU_ASSERT_PTR_NULL (nw_window_get_lesson_player (win));
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, name_before);

  gtk_widget_activate_action (GTK_WIDGET (win), "win.lessons", NULL);
  spin (200);
  browser = NW_LESSON_BROWSER (toplevel_of_type (NW_TYPE_LESSON_BROWSER));
  CU_ASSERT_PTR_NOT_NULL_FATAL (browser);
  g_signal_emit_by_name (browser, "lesson-chosen", "lr-demo");
  spin (200);
  dialog = ADW_MESSAGE_DIALOG (toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  CU_ASSERT_PTR_NOT_NULL_FATAL (dialog);
  adw_message_dialog_response (dialog, "accept");
  spin (200);
  CU_ASSERT_PTR_NOT_NULL_FATAL (nw_window_get_lesson_player (win));
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, "XOR, 2-4-1");
  window_close (win);
}

/* A lesson file with an error: refused in a dialog naming the file, the step and the fault;
 * the window as it was. */
static void
test_bad_file (void)
{
  NwWindow *win = window_new ();
  g_autofree char *bad = g_strdup (lesson_json);
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *name_before = g_strdup (nw_window_get_spec (win)->name);
  AdwMessageDialog *dialog = NULL;
  char *at = strstr (bad, "\"do\": \"show\"");
  g_assert (at != NULL);
  memcpy (at, "\"do\": \"shwo\"", strlen ("\"do\": \"shwo\""));
  path = nw_test_write ("bad-lesson.json", bad, strlen (bad));
  file = g_file_new_for_path (path);
  /* The banner of a first start goes once a network file of the user's is open. */
  {
    g_autofree char *example = nw_test_source_path ("examples/xor-2-2-1.json");
    g_autoptr (GFile) net = g_file_new_for_path (example);
    GtkWidget *browse = find_button (GTK_WIDGET (win), "Browse Lessons");
    CU_ASSERT_PTR_NOT_NULL_FATAL (browse);
    nw_window_show_lesson_banner (win);
    CU_ASSERT (gtk_widget_get_visible (gtk_widget_get_parent (browse)));
    CU_ASSERT (nw_window_open_file (win, net));
    CU_ASSERT (!gtk_widget_get_visible (gtk_widget_get_parent (browse)));
    g_free (name_before);
    name_before = g_strdup (nw_window_get_spec (win)->name);
  }
  CU_ASSERT (!nw_window_open_lesson_file (win, file));
  CU_ASSERT_PTR_NULL (nw_window_get_lesson_player (win));
  CU_ASSERT_STRING_EQUAL (nw_window_get_spec (win)->name, name_before);
  spin (100);
  {
    GListModel *tops = gtk_window_get_toplevels ();   /* borrowed */
    for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
      {
        g_autoptr (GObject) w = g_list_model_get_item (tops, i);
        if (ADW_IS_MESSAGE_DIALOG (w))
          dialog = ADW_MESSAGE_DIALOG (w);
      }
  }
  CU_ASSERT_PTR_NOT_NULL_FATAL (dialog);
  {
    const char *body = adw_message_dialog_get_body (dialog);
    g_print ("  refused: %s\n", body);
    CU_ASSERT (strstr (body, "bad-lesson.json") != NULL);
    CU_ASSERT (strstr (body, "step 2") != NULL);
    CU_ASSERT (strstr (body, "shwo") != NULL);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  window_close (win);
}

/* "Save as Lesson…": every text in both languages is needed; the lesson holds the network,
 * the views and the locks, and reads back equal. */
static void
test_save_as_lesson (void)
{
  NwWindow *win = window_with_lesson ();
  const char *texts[8] = { "내 레슨", "My lesson", "요약", "Summary", "장", "Chapter", "본문", "" };
  const NwLesson *playing = nw_lesson_player_get_lesson (nw_window_get_lesson_player (win));
  guint locks = NW_LESSON_BIT (NW_LESSON_CONTROL_OPTIMIZER);
  g_autofree char *path = nw_test_path ("saved-lesson.json");
  GError *error = NULL;
  NwLesson *lesson;
  lesson = nw_lesson_save_build (nw_window_get_spec (win), texts, NW_LESSON_BIT (NW_LESSON_VIEW_LOSS),
                                 locks, playing, 30, &error);
  CU_ASSERT_PTR_NULL (lesson);
  CU_ASSERT (error != NULL && strstr (error->message, "English") != NULL);
  g_clear_error (&error);
  texts[7] = "The text";
  lesson = nw_lesson_save_build (nw_window_get_spec (win), texts, NW_LESSON_BIT (NW_LESSON_VIEW_LOSS),
                                 locks, playing, 30, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (lesson);
  CU_ASSERT_STRING_EQUAL (lesson->id, "my-lesson");
  CU_ASSERT (nw_lesson_save (lesson, path, &error));
  NW_ASSERT_NO_ERROR (error);
  {
    g_autoptr (NwLesson) back = nw_lesson_load (path, &error);
    const NwLessonLock *lock;
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_PTR_NOT_NULL_FATAL (back);
    CU_ASSERT (nw_lesson_equal (lesson, back));
    CU_ASSERT_EQUAL (back->views, NW_LESSON_BIT (NW_LESSON_VIEW_LOSS));
    lock = nw_lesson_find_lock (back, NW_LESSON_CONTROL_OPTIMIZER);
    CU_ASSERT (lock != NULL && g_str_equal (lock->reason.en, "SGD only today"));
    CU_ASSERT_STRING_EQUAL (back->spec->name, "XOR 2-2-1");
    CU_ASSERT_STRING_EQUAL (((NwLessonStep *) g_ptr_array_index (back->steps, 0))->text.ko, "본문");
  }
  nw_lesson_free (lesson);

  /* The dialog: Save stays off until every text is there in both languages. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.save-as-lesson", NULL);
  spin (200);
  {
    GtkWindow *dialog = NULL;
    GListModel *tops = gtk_window_get_toplevels ();   /* borrowed */
    for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
      {
        g_autoptr (GObject) w = g_list_model_get_item (tops, i);
        if (ADW_IS_WINDOW (w) && g_strcmp0 (gtk_window_get_title (GTK_WINDOW (w)), "Save as Lesson") == 0)
          dialog = GTK_WINDOW (w);
      }
    CU_ASSERT_PTR_NOT_NULL_FATAL (dialog);
    {
      GtkWidget *save = find_button (GTK_WIDGET (dialog), "Save…");
      GPtrArray *entries = g_ptr_array_new ();
      const char *fill[6] = { "내 레슨", "My lesson", "요약", "Summary", NULL, NULL };
      GtkWidget *views[2] = { NULL, NULL };
      int nv = 0;
      collect_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
      CU_ASSERT_PTR_NOT_NULL_FATAL (save);
      CU_ASSERT_EQUAL_FATAL (entries->len, 6);
      /* The chapter comes from the lesson being played. */
      CU_ASSERT_STRING_EQUAL (gtk_editable_get_text (g_ptr_array_index (entries, 4)), "Tests (ko)");
      CU_ASSERT_STRING_EQUAL (gtk_editable_get_text (g_ptr_array_index (entries, 5)), "Tests");
      CU_ASSERT (!gtk_widget_get_sensitive (save));
      for (int i = 0; i < 4; i++)
        gtk_editable_set_text (g_ptr_array_index (entries, i), fill[i]);
      CU_ASSERT (!gtk_widget_get_sensitive (save));   /* the step's texts are still empty */
      {
        g_autoptr (GPtrArray) tv = g_ptr_array_new ();
        collect_type (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW, tv);
        CU_ASSERT_EQUAL_FATAL (tv->len, 2);
        views[0] = g_ptr_array_index (tv, 0);
        views[1] = g_ptr_array_index (tv, 1);
        nv = 2;
      }
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (views[0])), "본문", -1);
      CU_ASSERT (!gtk_widget_get_sensitive (save));   /* English still missing */
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (views[1])), "Text", -1);
      CU_ASSERT (gtk_widget_get_sensitive (save));
      (void) nv;
      g_ptr_array_unref (entries);
    }
    gtk_window_destroy (dialog);
  }
  window_close (win);
}

static const NwTestCase lesson_cases[] = {
  { "the panel follows the lesson; a question holds the run", test_panel },
  { "views, hidden and locked controls; Unlock all", test_locks },
  { "leaving keeps the network and puts the window back", test_leave },
  { "presenter mode in and out", test_presenter },
  { "at 1280x720 the side panel folds for the lesson", test_room_at_1280 },
  { "presenter mode at 1280x720: the question in sight, the views whole", test_presenter_fits },
  { "a bad lesson file is refused, the window unchanged", test_bad_file },
  { "the browser's course from a folder; unsaved changes asked about", test_browser_asks },
  { "Save as Lesson builds a lesson that reads back", test_save_as_lesson },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "ui-lesson", lesson_cases },
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
  test_jobs = nw_jobs_new ();
  status = nw_test_main (argc, argv, suites);
  nw_jobs_unref (test_jobs);
  return status;
}
