/* nw-window.h: Neurowire's main window: the editor, the training and data settings, the
 * decision boundary and the plots, driven by one NwRunner (the trainer on its own thread).
 * A tick callback takes the runner's newest snapshot every frame and hands it to the views;
 * no GTK call happens anywhere else. */
#pragma once

#include <gtk/gtk.h>

#include "nw-spec.h"

G_BEGIN_DECLS

#define NW_TYPE_WINDOW (nw_window_get_type ())
G_DECLARE_FINAL_TYPE (NwWindow, nw_window, NW, WINDOW, GtkApplicationWindow)

/* A window with the default network (examples/xor-deep-sigmoid.json). */
NwWindow   *nw_window_new           (GtkApplication *app);
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
/* Shows `spec` (taken) as the current network; `file` (may be NULL) is where it came from. */
void        nw_window_set_spec      (NwWindow *self, NwSpec *spec, GFile *file);
/* The current network (borrowed). */
const NwSpec *nw_window_get_spec    (NwWindow *self);
gboolean    nw_window_get_modified  (NwWindow *self);

/* Background work of all windows (data loads, trainers built off the main thread, the device
 * choice and moves between devices) that has not yet finished and let go of everything it
 * held. A closing window cancels its work; a program holds its GApplication while work runs,
 * and tests wait for 0 before they end. */
guint       nw_window_n_background_jobs (void);

G_END_DECLS
