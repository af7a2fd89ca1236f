/* nw-layer-switches.h: a switch per Dropout and BatchNorm node of a session's network, acting
 * on the next step while training. A switch the user flips is announced ("switched": the
 * window routes it through the editor, so that it is one undoable edit there too); the
 * switches follow the session (a new network, a new graph, a node switched elsewhere). */
#pragma once

#include <gtk/gtk.h>

#include "nw-session.h"

G_BEGIN_DECLS

#define NW_TYPE_LAYER_SWITCHES (nw_layer_switches_get_type ())
G_DECLARE_FINAL_TYPE (NwLayerSwitches, nw_layer_switches, NW, LAYER_SWITCHES, GtkBox)

GtkWidget  *nw_layer_switches_new         (void);
/* Follows `session` (a reference is kept; NULL: none). */
void        nw_layer_switches_set_session (NwLayerSwitches *self, NwSession *session);

G_END_DECLS
