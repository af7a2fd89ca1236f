/* nw-training-views.h: what a session's training looks like: the decision boundary (in
 * evaluation or training mode) with the points the user edits, loss and accuracy, the
 * gradient reaching each layer, the activations with their inputs, the weights; for MNIST and
 * Fashion-MNIST the digit view beside the plots.
 *
 * The views take the newest snapshot of the session's runner: on the frame clock for 2D data
 * (~30 snapshots a second, the views change with nearly every frame), or when the runner
 * says it published one for images (8 a second: a tick would wake the main thread 60 times a
 * second beside the trainer's BLAS threads; bench/gui_epoch.sh). After showing one they
 * emit "snapshot" for whatever else shows it (the header's counters, the alarm, the editor's
 * neuron maps, the digit view). */
#pragma once

#include <gtk/gtk.h>

#include "nw-mnist-panel.h"
#include "nw-session.h"

G_BEGIN_DECLS

#define NW_TYPE_TRAINING_VIEWS (nw_training_views_get_type ())
G_DECLARE_FINAL_TYPE (NwTrainingViews, nw_training_views, NW, TRAINING_VIEWS, GtkBox)

/* Text that changes with every snapshot (counters, loss, speed, alarms, the MNIST progress)
 * changes at most this often while playing: a label's new text lays the window out again,
 * and with MNIST's panel on screen that took 13 ms a frame (bench/gui_epoch.sh). */
#define NW_TRAINING_VIEWS_LIVE_TEXT_US 250000

GtkWidget    *nw_training_views_new         (void);
/* Shows `session` (a reference is kept; NULL: none). */
void          nw_training_views_set_session (NwTrainingViews *self, NwSession *session);
/* The digit view (borrowed). */
NwMnistPanel *nw_training_views_get_mnist_panel (NwTrainingViews *self);
/* Empties every view (a reset). A new trainer in the session does this by itself. */
void          nw_training_views_clear       (NwTrainingViews *self);
/* Which views show (a lesson's `views`): the boundary (2D data only), the loss, the gradients,
 * the activations, the weights. All TRUE: every view, as without a lesson. */
void          nw_training_views_set_shown   (NwTrainingViews *self, gboolean boundary,
                                             gboolean loss, gboolean gradients,
                                             gboolean activations, gboolean weights);
/* NW_DEBUG_FPS: frames and snapshots per second on stderr, every 2 s (bench/). */
void          nw_training_views_set_debug_fps (NwTrainingViews *self, gboolean debug_fps);
/* The ids of the layers of the runner's trainer, in execution order (borrowed,
 * NULL-terminated), for labelling snapshot probes. */
const char *const *nw_training_views_get_layer_ids (NwTrainingViews *self);

G_END_DECLS
