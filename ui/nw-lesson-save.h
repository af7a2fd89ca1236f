/* nw-lesson-save.h: "Save as Lesson…": a dialog for the teacher's own lesson (title, summary,
 * chapter and the step's text, each in Korean and English, all required), then a file
 * chooser; the lesson holds the window's current network and data (its spec), the views
 * shown, the controls locked and the pace, and is written atomically (nw_lesson_save). */
#pragma once

#include "nw-window.h"
#include "nw-lesson.h"

G_BEGIN_DECLS

/* `playing` (may be NULL): the lesson being played, whose lock reasons and chapter are
 * offered; `views` and `locks` are masks of NW_LESSON_BIT. */
void      nw_lesson_save_dialog   (NwWindow *window, const NwLesson *playing, guint views,
                                   guint locks, double pace);
/* The lesson the dialog would write (new), or NULL and the error naming the empty field:
 * texts are {ko, en} pairs in the order title, summary, chapter, step text. For the tests. */
NwLesson *nw_lesson_save_build    (const NwSpec *spec, const char *const texts[8], guint views,
                                   guint locks, const NwLesson *playing, double pace,
                                   GError **error);

G_END_DECLS
