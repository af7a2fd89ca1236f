/* nw-window.h: Neurowire's main window: the editor, the training and data settings, the
 * decision boundary and the plots, showing one NwSession (core/nw-session.h: the network,
 * its data, the trainer on its own thread and the device). The window takes the runner's
 * newest snapshot on its frame clock (or when it publishes) and hands it to the views; no
 * GTK call happens anywhere else. */
#pragma once

#include <gtk/gtk.h>

#include "nw-session.h"

G_BEGIN_DECLS

#define NW_TYPE_WINDOW (nw_window_get_type ())
G_DECLARE_FINAL_TYPE (NwWindow, nw_window, NW, WINDOW, GtkApplicationWindow)

/* What the program read from its command line and environment (app/), passed down. */
typedef struct {
  NwSessionOptions session;   /* devices, the first device choice, the jobs counter */
  gboolean         debug_fps; /* frames and snapshots per second on stderr (bench/) */
  /* The program's settings (nw-settings.h; kept): the window takes its size from them and
   * writes there its size when it closes, the file it shows and the device chosen in its
   * menu. NULL: nothing is read or remembered (the tests). */
  GSettings       *settings;
} NwWindowOptions;

/* A window with the default network (examples/xor-deep-sigmoid.json). */
NwWindow   *nw_window_new_with_options (GtkApplication *app, const NwWindowOptions *options);
/* The same with the CPU alone and a jobs counter of the window's own. */
NwWindow   *nw_window_new           (GtkApplication *app);
/* The session it shows (borrowed). */
NwSession  *nw_window_get_session   (NwWindow *self);
/* Opens a network file. A bad file is reported in the window (which file, what is wrong) and
 * the current network stays as it was; returns whether it was opened. */
gboolean    nw_window_open_file     (NwWindow *self, GFile *file);
/* Loads safetensors weights into a fresh trainer for the current network and data, which then
 * replaces the running one (paused, step 0). A bad file is reported in the window and training
 * stays as it was; returns whether they were loaded. */
gboolean    nw_window_load_weights  (NwWindow *self, GFile *file);
/* The same once a network whose data is loading in the background is in place (at once when
 * nothing is loading): `neurowire --weights FILE NETWORK.json`. */
void        nw_window_load_weights_when_ready (NwWindow *self, GFile *file);
/* Starts training, or, while a network's data loads in the background, starts that network
 * once it is in place (the network shown meanwhile stays paused): `neurowire --play FILE`. */
void        nw_window_play_when_ready (NwWindow *self);
/* Saves the running trainer's weights (safetensors) from its own thread, between two steps;
 * a failure is reported in the window. Returns at once. */
void        nw_window_save_weights  (NwWindow *self, GFile *file);
/* The program's settings (borrowed), or NULL. */
GSettings  *nw_window_get_settings  (NwWindow *self);
/* The zoom level of the windows (nw-zoom.h), bound to the settings' "zoom" where there are
 * settings: 1.0 is 100%. */
double      nw_window_get_zoom      (NwWindow *self);
/* A passing message at the foot of the window (the "win.toast" action, nw_ui_toast, does the
 * same from any widget in it). */
void        nw_window_add_toast     (NwWindow *self, const char *text);
/* Shows `spec` (taken) as the current network; `file` (may be NULL) is where it came from. */
void        nw_window_set_spec      (NwWindow *self, NwSpec *spec, GFile *file);
/* The current network (borrowed). */
const NwSpec *nw_window_get_spec    (NwWindow *self);
gboolean    nw_window_get_modified  (NwWindow *self);
/* Whether the side panel (the editor and the settings) shows: F9 and the header's toggle, or
 * folded away by the window when the plots would not have room beside it. */
gboolean    nw_window_get_side_panel_visible (NwWindow *self);
/* A step or epoch counter as the header shows it, in at most seven characters (exact up to
 * 9,999,999, then "12.35M"). */
void        nw_window_format_counter (gint64 value, char *buf, gsize size);

G_END_DECLS
