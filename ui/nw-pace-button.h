/* nw-pace-button.h: the speed control in the header bar.
 *
 * A button that shows the session's pace ("150 steps/s", "Full speed") and opens a popover
 * with a scale: steps per second on a log scale from 1 to 10,000, and "full speed" at its
 * right end. It follows the session's "pace" property (a lesson may set it) and sets it
 * (nw_session_set_pace), also while training. Its accessible name is "Speed". The window
 * gives it keys (Ctrl+[ slower, Ctrl+] faster) through nw_pace_button_step. */
#pragma once

#include <gtk/gtk.h>

#include "nw-session.h"

G_BEGIN_DECLS

#define NW_PACE_MIN 1.0       /* steps/s at the scale's left end */
#define NW_PACE_MAX 10000.0   /* ... and its last stop before full speed */

#define NW_TYPE_PACE_BUTTON (nw_pace_button_get_type ())
G_DECLARE_FINAL_TYPE (NwPaceButton, nw_pace_button, NW, PACE_BUTTON, GtkBox)

GtkWidget  *nw_pace_button_new          (void);
/* Shows and sets `session`'s pace (a reference is kept; NULL: none). */
void        nw_pace_button_set_session  (NwPaceButton *self, NwSession *session);
/* The next pace on the ladder 1, 2, 5, 10, 20, 50, ... 10,000, full speed (0), slower
 * (direction < 0) or faster (> 0) than `pace` (which may be between two rungs). */
double      nw_pace_button_step         (double pace, int direction);
/* What the button shows for `pace`: "Full speed", "1 step/s", "150 steps/s" (new string). */
char       *nw_pace_button_format       (double pace);

G_END_DECLS
