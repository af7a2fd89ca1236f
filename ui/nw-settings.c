/* nw-settings.c: the settings that act on the whole program (colour scheme, zoom). */
#include "nw-settings.h"

#include <adwaita.h>

const char *const nw_settings_keys[] = {
  NW_SETTINGS_WINDOW_WIDTH, NW_SETTINGS_WINDOW_HEIGHT, NW_SETTINGS_WINDOW_MAXIMIZED,
  NW_SETTINGS_LAST_NETWORK, NW_SETTINGS_DEVICE, NW_SETTINGS_LANGUAGE, NW_SETTINGS_ZOOM,
  NW_SETTINGS_COLOR_SCHEME, NULL
};

static void
apply_color_scheme (GSettings *settings, const char *key, gpointer data)
{
  /* In the enum's order: default, light, dark. */
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK,
  };
  int i = g_settings_get_enum (settings, NW_SETTINGS_COLOR_SCHEME);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      schemes[CLAMP (i, 0, (int) G_N_ELEMENTS (schemes) - 1)]);
}

void
nw_settings_follow_color_scheme (GSettings *settings)
{
  if (settings == NULL)
    return;
  g_signal_connect (settings, "changed::" NW_SETTINGS_COLOR_SCHEME,
                    G_CALLBACK (apply_color_scheme), NULL);
  apply_color_scheme (settings, NW_SETTINGS_COLOR_SCHEME, NULL);
}
