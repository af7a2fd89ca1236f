/* nw-lesson-panel.h: the lesson panel beside the training views: the lesson's title, "step n
 * of N", the step's title and text, the question with a button per choice, Reveal and the
 * explanation, the checks with their figures as the run reaches them, and the buttons that
 * move through the lesson. It shows what it is told (strings, already in the reader's
 * language); its buttons act through the window's actions (win.lesson-back, -next,
 * -restart, -leave, -answer (int), -reveal, -unlock-all, -presenter), which
 * nw-window-lesson.c installs. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  NW_LESSON_PANEL_ASKED,     /* the choices wait for the class */
  NW_LESSON_PANEL_ANSWERED,  /* a choice was taken: right or wrong shows, and the explanation */
  NW_LESSON_PANEL_REVEALED,  /* the teacher showed the answer without a choice */
} NwLessonPanelQuestion;

#define NW_TYPE_LESSON_PANEL (nw_lesson_panel_get_type ())
G_DECLARE_FINAL_TYPE (NwLessonPanel, nw_lesson_panel, NW, LESSON_PANEL, GtkBox)

GtkWidget  *nw_lesson_panel_new            (void);
void        nw_lesson_panel_set_lesson     (NwLessonPanel *self, const char *title);
/* Step `index` (0-based) of `n`, its title and text. Clears the question and the checks. */
void        nw_lesson_panel_set_step       (NwLessonPanel *self, int index, int n,
                                            const char *title, const char *text);
/* The step's question (`text` NULL: none): the choices (NULL-terminated), the right one's
 * index and the explanation shown once answered or revealed. */
void        nw_lesson_panel_set_question   (NwLessonPanel *self, const char *text,
                                            const char *const *choices, int answer,
                                            const char *explain);
/* Where the question stands; `choice` is the class's answer with ANSWERED. */
void        nw_lesson_panel_set_question_state (NwLessonPanel *self, NwLessonPanelQuestion state,
                                                int choice);
/* The step's checks, by their labels (NULL-terminated; NULL: none). */
void        nw_lesson_panel_set_checks     (NwLessonPanel *self, const char *const *labels);
/* Check `i` reached: its figure ("0.6931") and whether it passed; a figure only reported (or
 * one the window cannot judge) shows without a verdict. */
void        nw_lesson_panel_set_check_figure (NwLessonPanel *self, int i, const char *figure,
                                              gboolean judged, gboolean passed);
/* The controls the lesson locks, in words ("optimizer, learning rate"), or NULL. */
void        nw_lesson_panel_set_locks_text (NwLessonPanel *self, const char *text);
/* The step's text as shown (tests). */
const char *nw_lesson_panel_get_text       (NwLessonPanel *self);
const char *nw_lesson_panel_get_counter    (NwLessonPanel *self);
/* The answer buttons (borrowed; tests). */
GtkWidget  *nw_lesson_panel_get_choice_button (NwLessonPanel *self, int i);
const char *nw_lesson_panel_get_check_figure  (NwLessonPanel *self, int i);
gboolean    nw_lesson_panel_get_explain_visible (NwLessonPanel *self);

G_END_DECLS
