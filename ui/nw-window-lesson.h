/* nw-window-lesson.h: lessons in the window: the lesson browser (Ctrl+L, the main menu, a
 * header button and a banner at a start without a file), the lesson panel beside the views,
 * the lesson's views, hidden and locked controls (a lock marker, the reason in the tooltip,
 * "Unlock all"), presenter mode (F5: full screen, large text, the side panel folded; Esc or
 * F5 leaves it), "Save as Lesson…", and the keys a presentation clicker sends (Page Up/Down,
 * Left/Right).
 *
 * nw-window.c calls three functions: _install from its class_init (the actions and keys),
 * _attach once its session exists, _detach from its dispose. Everything else lives here,
 * reaching the window's widgets through their template ids. */
#pragma once

#include "nw-window.h"
#include "nw-lesson-player.h"

G_BEGIN_DECLS

void            nw_window_lesson_install  (GtkWidgetClass *window_class);
void            nw_window_lesson_attach   (NwWindow *window);
void            nw_window_lesson_detach   (NwWindow *window);

/* Opens the lesson browser over the window. */
void            nw_window_show_lessons    (NwWindow *window);
/* Plays `lesson` (taken) in the window. FALSE and the error (the window as it was) when it
 * cannot start. */
gboolean        nw_window_start_lesson    (NwWindow *window, NwLesson *lesson, GError **error);
/* Opens a lesson file: a bad one is shown in a dialog naming the file, the step and the
 * field, and the window stays as it was. */
gboolean        nw_window_open_lesson_file (NwWindow *window, GFile *file);
/* The lesson being played (borrowed), or NULL. */
NwLessonPlayer *nw_window_get_lesson_player (NwWindow *window);
/* Leaves the lesson (the network as it is). */
void            nw_window_leave_lesson    (NwWindow *window);
gboolean        nw_window_get_presenter   (NwWindow *window);
void            nw_window_set_presenter   (NwWindow *window, gboolean presenter);
/* The lesson browser shows the course in `dir` (course.json and its lessons: a teacher's own
 * course) instead of the built-in one. A course that does not load is reported when the
 * browser opens. */
void            nw_window_set_course_dir  (NwWindow *window, const char *dir);
/* Opens lesson `what`: an id of the course, else a lesson file (refused in a dialog, as
 * nw_window_open_lesson_file). */
gboolean        nw_window_open_lesson     (NwWindow *window, const char *what);
/* The banner that offers the lessons (a start without a file shows it). */
void            nw_window_show_lesson_banner (NwWindow *window);
/* Whether the lesson locks `control` now (the window keeps Reset's action off then). */
gboolean        nw_window_lesson_locks    (NwWindow *window, NwLessonControl control);
/* The widgets of a control (NwLessonControl) the lesson may hide or lock (borrowed; tests). */
GPtrArray      *nw_window_lesson_dup_control_widgets (NwWindow *window, NwLessonControl control);

G_END_DECLS
