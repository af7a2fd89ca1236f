/* nw-training-settings.h: the training settings of a session: optimizer, learning rate (a
 * log scale), batch size, L1 and L2 penalties, seed. Every change goes to the session at
 * once (nw_session_set_train): the runner takes it between two steps, the seed at the next
 * Reset. A new network in the session shows its settings. */
#pragma once

#include <gtk/gtk.h>

#include "nw-session.h"

G_BEGIN_DECLS

#define NW_TYPE_TRAINING_SETTINGS (nw_training_settings_get_type ())
G_DECLARE_FINAL_TYPE (NwTrainingSettings, nw_training_settings, NW, TRAINING_SETTINGS, GtkBox)

GtkWidget  *nw_training_settings_new         (void);
/* Shows `session`'s settings and edits them (a reference is kept; NULL: none). */
void        nw_training_settings_set_session (NwTrainingSettings *self, NwSession *session);

G_END_DECLS
