/* nw-data-panel.h: the data settings of a session and the state of its data. For the 2D
 * generators: noise, points, test share and Regenerate (the truth tables and CSV files show
 * them greyed, image data hides them); for data that loads in the background: a progress bar with Cancel,
 * then one line saying what was loaded, or why it was not. Edits go to the session
 * (nw_session_set_data) and make a new run. */
#pragma once

#include <gtk/gtk.h>

#include "nw-session.h"

G_BEGIN_DECLS

#define NW_TYPE_DATA_PANEL (nw_data_panel_get_type ())
G_DECLARE_FINAL_TYPE (NwDataPanel, nw_data_panel, NW, DATA_PANEL, GtkBox)

GtkWidget  *nw_data_panel_new         (void);
/* Shows `session`'s data and edits it (a reference is kept; NULL: none). */
void        nw_data_panel_set_session (NwDataPanel *self, NwSession *session);

G_END_DECLS
