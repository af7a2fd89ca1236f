/* nw-preferences.h: the preferences window: the style (follow the system, light, dark) and
 * the language (the system's, Korean, English; applied at the next start), each bound to its
 * key of the program's settings (nw-settings.h). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NW_TYPE_PREFERENCES (nw_preferences_get_type ())
G_DECLARE_FINAL_TYPE (NwPreferences, nw_preferences, NW, PREFERENCES, AdwPreferencesWindow)

/* A preferences window over `parent` (may be NULL) that reads and writes `settings`
 * (kept; not NULL). */
GtkWidget  *nw_preferences_new       (GSettings *settings, GtkWindow *parent);

G_END_DECLS
