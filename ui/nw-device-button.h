/* nw-device-button.h: the device a session trains on, and the menu that chooses it.
 *
 * The label shows what trains now, with the reason in its tooltip and what is under way
 * ("choosing a device", "moving to …"); the menu forces a choice: Automatic, CPU, or each
 * device the session lists ("backend.device" with "auto", "cpu" or "cl:ID";
 * "backend.list-devices"). The choice, the listing and the moves between devices are the
 * session's (core/nw-session-device.c), which reaches OpenCL only through the NwDevices the
 * program gave it. */
#pragma once

#include <gtk/gtk.h>

#include "nw-session.h"

G_BEGIN_DECLS

#define NW_TYPE_DEVICE_BUTTON (nw_device_button_get_type ())
G_DECLARE_FINAL_TYPE (NwDeviceButton, nw_device_button, NW, DEVICE_BUTTON, GtkBox)

GtkWidget  *nw_device_button_new         (void);
/* Shows and chooses `session`'s device (a reference is kept; NULL: none). */
void        nw_device_button_set_session (NwDeviceButton *self, NwSession *session);
/* The program's settings (kept; may be NULL): a device chosen in the menu is written to their
 * "device" key ("auto", "cpu", "cl:ID"), the one the program starts with next time. */
void        nw_device_button_set_settings (NwDeviceButton *self, GSettings *settings);

G_END_DECLS
