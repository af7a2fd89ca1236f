/* nw-file-actions.h: what a window showing a session does with files: the actions
 * "win.open", "win.save", "win.save-as", "win.load-weights", "win.save-weights" and
 * "win.preset" (a network of the MNIST presets), and the question before closing (or
 * replacing the network) with unsaved changes. Failures are said through the session's
 * "message" signal, naming the file; the network stays as it was. */
#pragma once

#include <gtk/gtk.h>

#include "nw-session.h"

G_BEGIN_DECLS

/* The session a window shows (borrowed). */
typedef NwSession *(*NwFileActionsSession) (GtkWidget *window);

/* Installs the actions on a window class (and Ctrl+O, Ctrl+S, Ctrl+Shift+S). */
void      nw_file_actions_install       (GtkWidgetClass *window_class, NwFileActionsSession session);
/* For the window's close-request: FALSE when it may close now; TRUE when it asked about
 * unsaved changes first (the answer closes it, or saves then closes, or not). */
gboolean  nw_file_actions_ask_to_close  (GtkWindow *window, NwSession *session);
/* Opens, loads weights, saves weights (from the trainer's thread): FALSE (said) on failure. */
gboolean  nw_file_actions_open          (NwSession *session, GFile *file);
gboolean  nw_file_actions_load_weights  (NwSession *session, GFile *file);
void      nw_file_actions_save_weights  (GtkWidget *window, NwSession *session, GFile *file);

G_END_DECLS
