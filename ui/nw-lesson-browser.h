/* nw-lesson-browser.h: the lesson browser, a dialog over the window: the course in order,
 * grouped in chapters, each lesson a row with its title, one-line summary and minutes, and
 * "Open Lesson File…". It shows what it is given and says what was chosen ("lesson-chosen"
 * with the lesson's id, "open-file" with a GFile); the window opens the lesson. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* One lesson of the course, in the reader's language (borrowed while setting). */
typedef struct {
  const char *id;
  const char *chapter;
  const char *title;
  const char *summary;
  int         minutes;
} NwLessonBrowserEntry;

#define NW_TYPE_LESSON_BROWSER (nw_lesson_browser_get_type ())
G_DECLARE_FINAL_TYPE (NwLessonBrowser, nw_lesson_browser, NW, LESSON_BROWSER, AdwWindow)

NwLessonBrowser *nw_lesson_browser_new         (GtkWindow *parent);
/* The course: `n` lessons in order; a chapter begins where the chapter's name changes. */
void             nw_lesson_browser_set_entries (NwLessonBrowser *self,
                                                const NwLessonBrowserEntry *entries, int n);
/* The row of lesson `id` (borrowed; tests), or NULL. */
GtkWidget       *nw_lesson_browser_get_row     (NwLessonBrowser *self, const char *id);

G_END_DECLS
