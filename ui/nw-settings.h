/* nw-settings.h: Neurowire's GSettings (data/org.neurowire.Neurowire.gschema.xml) as the
 * window uses them. The program looks the schema up (app/nw-app-settings.c) and hands the
 * GSettings down (NwWindowOptions.settings); where there is none (no schema installed, or a
 * test that wants nothing remembered) every function here takes NULL and gives the default. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NW_SETTINGS_SCHEMA_ID "org.neurowire.Neurowire"

/* The keys, as the schema names them. */
#define NW_SETTINGS_WINDOW_WIDTH     "window-width"
#define NW_SETTINGS_WINDOW_HEIGHT    "window-height"
#define NW_SETTINGS_WINDOW_MAXIMIZED "window-maximized"
#define NW_SETTINGS_LAST_NETWORK     "last-network"   /* a URI; "" for none */
#define NW_SETTINGS_DEVICE           "device"         /* "auto", "cpu" or "cl:ID" */
#define NW_SETTINGS_LANGUAGE         "language"       /* "", "ko" or "en"; read at start */
#define NW_SETTINGS_ZOOM             "zoom"           /* 0.8 to 2.0 (NW_ZOOM_MIN, NW_ZOOM_MAX) */
#define NW_SETTINGS_COLOR_SCHEME     "color-scheme"   /* "default", "light" or "dark" */

/* Every key the program reads, NULL-terminated: a schema that lacks one (an older copy
 * installed) is not used. */
extern const char *const nw_settings_keys[];

/* Applies the colour-scheme key to libadwaita's style manager (default: the system's
 * preference, light otherwise), now and whenever the key changes. Call once after adw_init
 * (AdwApplication's startup). Without settings, the system's preference. */
void    nw_settings_follow_color_scheme  (GSettings *settings);

G_END_DECLS
