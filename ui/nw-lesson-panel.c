/* nw-lesson-panel.c: the lesson panel (nw-lesson-panel.h). */
#include "nw-lesson-panel.h"
#include "nw-i18n.h"

#include "nw-ui.h"

struct _NwLessonPanel
{
  GtkBox     parent_instance;

  /* template children */
  GtkWidget *scroller;
  GtkLabel  *lesson_title_label;
  GtkLabel  *counter_label;
  GtkLabel  *step_title_label;
  GtkLabel  *text_label;
  GtkWidget *question_box;
  GtkLabel  *question_label;
  GtkBox    *choices_box;
  GtkWidget *reveal_button;
  GtkLabel  *explain_label;
  GtkBox    *checks_box;
  GtkLabel  *locks_label;

  GPtrArray *choice_buttons;   /* GtkButton, borrowed (children of choices_box) */
  GPtrArray *check_rows;       /* GtkBox rows of checks_box, borrowed */
  int        answer;
};

G_DEFINE_FINAL_TYPE (NwLessonPanel, nw_lesson_panel, GTK_TYPE_BOX)

static void
clear_box (GtkBox *box, gboolean keep_first)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box));
  if (keep_first && child != NULL)
    child = gtk_widget_get_next_sibling (child);
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);
      gtk_box_remove (box, child);
      child = next;
    }
}

void
nw_lesson_panel_set_lesson (NwLessonPanel *self, const char *title)
{
  g_return_if_fail (NW_IS_LESSON_PANEL (self));
  nw_ui_set_label (self->lesson_title_label, title != NULL ? title : "");
}

void
nw_lesson_panel_set_step (NwLessonPanel *self, int index, int n, const char *title,
                          const char *text)
{
  g_autofree char *counter = NULL;
  g_return_if_fail (NW_IS_LESSON_PANEL (self));
  /* Translators: where the lesson is: "Step 2 of 5" */
  counter = g_strdup_printf (_("Step %d of %d"), index + 1, n);
  nw_ui_set_label (self->counter_label, counter);
  nw_ui_set_label (self->step_title_label, title != NULL ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->step_title_label), title != NULL && *title);
  nw_ui_set_label (self->text_label, text != NULL ? text : "");
  nw_lesson_panel_set_question (self, NULL, NULL, -1, NULL);
  nw_lesson_panel_set_checks (self, NULL);
  /* A new step reads from its top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
}

void
nw_lesson_panel_set_question (NwLessonPanel *self, const char *text, const char *const *choices,
                              int answer, const char *explain)
{
  g_return_if_fail (NW_IS_LESSON_PANEL (self));
  clear_box (self->choices_box, FALSE);
  g_ptr_array_set_size (self->choice_buttons, 0);
  self->answer = answer;
  gtk_widget_set_visible (self->question_box, text != NULL);
  if (text == NULL)
    return;
  nw_ui_set_label (self->question_label, text);
  nw_ui_set_label (self->explain_label, explain != NULL ? explain : "");
  for (int i = 0; choices != NULL && choices[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      GtkWidget *button = gtk_button_new ();
      GtkWidget *label = gtk_label_new (choices[i]);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "lesson-choice");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.lesson-answer");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", i);
      /* Translators: the accessible name of an answer button: its number and its text */
      name = g_strdup_printf (_("Answer %d: %s"), i + 1, choices[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      gtk_box_append (self->choices_box, button);
      g_ptr_array_add (self->choice_buttons, button);
    }
  nw_lesson_panel_set_question_state (self, NW_LESSON_PANEL_ASKED, -1);
}

void
nw_lesson_panel_set_question_state (NwLessonPanel *self, NwLessonPanelQuestion state, int choice)
{
  gboolean open = state == NW_LESSON_PANEL_ASKED;
  g_return_if_fail (NW_IS_LESSON_PANEL (self));
  for (guint i = 0; i < self->choice_buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->choice_buttons, i);
      gtk_widget_remove_css_class (button, "success");
      gtk_widget_remove_css_class (button, "error");
      if (!open && (int) i == self->answer)
        gtk_widget_add_css_class (button, "success");
      else if (state == NW_LESSON_PANEL_ANSWERED && (int) i == choice)
        gtk_widget_add_css_class (button, "error");
      /* Once answered the choices stay readable but take no second answer. */
      gtk_widget_set_can_target (button, open);
      gtk_widget_set_focusable (button, open);
      if (open)
        gtk_widget_remove_css_class (button, "lesson-choice-closed");
      else
        gtk_widget_add_css_class (button, "lesson-choice-closed");
    }
  gtk_widget_set_visible (self->reveal_button, open);
  gtk_widget_set_visible (GTK_WIDGET (self->explain_label), !open);
}

void
nw_lesson_panel_set_checks (NwLessonPanel *self, const char *const *labels)
{
  g_return_if_fail (NW_IS_LESSON_PANEL (self));
  clear_box (self->checks_box, TRUE);
  g_ptr_array_set_size (self->check_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->checks_box), labels != NULL && labels[0] != NULL);
  for (int i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *icon = gtk_image_new_from_icon_name ("content-loading-symbolic");
      GtkWidget *label = gtk_label_new (labels[i]);
      GtkWidget *figure = gtk_label_new ("…");
      gtk_widget_add_css_class (row, "lesson-check");
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      /* Both wrap: a natural width of a few words lets the row share the panel's width
       * instead of asking for the whole sentence and getting it cut (Korean especially). */
      gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
      gtk_widget_add_css_class (figure, "numeric");
      gtk_widget_set_valign (figure, GTK_ALIGN_START);
      gtk_label_set_wrap (GTK_LABEL (figure), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (figure), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (figure), 10);
      gtk_label_set_xalign (GTK_LABEL (figure), 1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (figure), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      labels[i], -1);
      gtk_box_append (GTK_BOX (row), icon);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), figure);
      g_object_set_data (G_OBJECT (row), "icon", icon);
      g_object_set_data (G_OBJECT (row), "figure", figure);
      gtk_box_append (self->checks_box, row);
      g_ptr_array_add (self->check_rows, row);
    }
}

void
nw_lesson_panel_set_check_figure (NwLessonPanel *self, int i, const char *figure,
                                  gboolean judged, gboolean passed)
{
  GtkWidget *row;
  g_return_if_fail (NW_IS_LESSON_PANEL (self));
  if (i < 0 || (guint) i >= self->check_rows->len)
    return;
  row = g_ptr_array_index (self->check_rows, i);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "figure"), figure);
  gtk_image_set_from_icon_name (g_object_get_data (G_OBJECT (row), "icon"),
                                !judged ? "find-location-symbolic"
                                : passed ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (row, "success");
  gtk_widget_remove_css_class (row, "error");
  if (judged)
    gtk_widget_add_css_class (row, passed ? "success" : "error");
}

void
nw_lesson_panel_set_locks_text (NwLessonPanel *self, const char *text)
{
  g_return_if_fail (NW_IS_LESSON_PANEL (self));
  if (text != NULL)
    {
      /* Translators: the lesson panel's line that lists the controls a lesson locks */
      g_autofree char *line = g_strdup_printf (_("Locked by the lesson: %s"), text);
      nw_ui_set_label (self->locks_label, line);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->locks_label), text != NULL);
}

const char *
nw_lesson_panel_get_text (NwLessonPanel *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PANEL (self), NULL);
  return gtk_label_get_text (self->text_label);
}

const char *
nw_lesson_panel_get_counter (NwLessonPanel *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PANEL (self), NULL);
  return gtk_label_get_text (self->counter_label);
}

GtkWidget *
nw_lesson_panel_get_choice_button (NwLessonPanel *self, int i)
{
  g_return_val_if_fail (NW_IS_LESSON_PANEL (self), NULL);
  return i >= 0 && (guint) i < self->choice_buttons->len ? g_ptr_array_index (self->choice_buttons, i) : NULL;
}

const char *
nw_lesson_panel_get_check_figure (NwLessonPanel *self, int i)
{
  g_return_val_if_fail (NW_IS_LESSON_PANEL (self), NULL);
  if (i < 0 || (guint) i >= self->check_rows->len)
    return NULL;
  return gtk_label_get_text (g_object_get_data (g_ptr_array_index (self->check_rows, i), "figure"));
}

gboolean
nw_lesson_panel_get_explain_visible (NwLessonPanel *self)
{
  g_return_val_if_fail (NW_IS_LESSON_PANEL (self), FALSE);
  return gtk_widget_get_visible (self->question_box)
         && gtk_widget_get_visible (GTK_WIDGET (self->explain_label));
}

static void
nw_lesson_panel_finalize (GObject *object)
{
  NwLessonPanel *self = NW_LESSON_PANEL (object);
  g_ptr_array_unref (self->choice_buttons);
  g_ptr_array_unref (self->check_rows);
  G_OBJECT_CLASS (nw_lesson_panel_parent_class)->finalize (object);
}

static void
nw_lesson_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NW_TYPE_LESSON_PANEL);
  G_OBJECT_CLASS (nw_lesson_panel_parent_class)->dispose (object);
}

static void
nw_lesson_panel_class_init (NwLessonPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nw_lesson_panel_dispose;
  G_OBJECT_CLASS (klass)->finalize = nw_lesson_panel_finalize;
  nw_ui_init ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/neurowire/Neurowire/nw-lesson-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NwLessonPanel, name)
  BIND (scroller);
  BIND (lesson_title_label);
  BIND (counter_label);
  BIND (step_title_label);
  BIND (text_label);
  BIND (question_box);
  BIND (question_label);
  BIND (choices_box);
  BIND (reveal_button);
  BIND (explain_label);
  BIND (checks_box);
  BIND (locks_label);
#undef BIND
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
nw_lesson_panel_init (NwLessonPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->choice_buttons = g_ptr_array_new ();
  self->check_rows = g_ptr_array_new ();
  self->answer = -1;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Lesson panel"), -1);
  /* Labels whose text changes keep a fixed accessible name (a new text would rename them) */
  nw_ui_name_value (GTK_WIDGET (self->lesson_title_label), _("Lesson"));
  nw_ui_name_value (GTK_WIDGET (self->counter_label), _("Step of the lesson"));
  nw_ui_name_value (GTK_WIDGET (self->step_title_label), _("Step title"));
  nw_ui_name_value (GTK_WIDGET (self->text_label), _("Step text"));
  nw_ui_name_value (GTK_WIDGET (self->question_label), _("Question"));
  nw_ui_name_value (GTK_WIDGET (self->explain_label), _("Explanation"));
  nw_ui_name_value (GTK_WIDGET (self->locks_label), _("Locked controls"));
}

GtkWidget *
nw_lesson_panel_new (void)
{
  return g_object_new (NW_TYPE_LESSON_PANEL, NULL);
}
