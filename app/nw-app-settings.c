/* nw-app-settings.c: the program's GSettings, found, and the language applied. Its messages
 * come before the locale is set (see main), so they are in plain ASCII. */
#include "nw-app-settings.h"
#include "nw-app-env.h"

#include "nw-device.h"
#include "nw-settings.h"

#include <string.h>

static GSettingsSchema *
lookup_schema (void)
{
  GSettingsSchemaSource *installed = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = NULL;
#ifdef NW_BUILD_SCHEMA_DIR
  if (nw_app_env_running_from_build_tree ()
      && g_file_test (NW_BUILD_SCHEMA_DIR "/gschemas.compiled", G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GSettingsSchemaSource) built =
        g_settings_schema_source_new_from_directory (NW_BUILD_SCHEMA_DIR, installed, FALSE, &error);
      if (built != NULL)
        schema = g_settings_schema_source_lookup (built, NW_SETTINGS_SCHEMA_ID, FALSE);
      else
        g_printerr ("neurowire: %s\n", error->message);
    }
#endif
  /* GSETTINGS_SCHEMA_DIR, then the installed schemas (XDG_DATA_DIRS). */
  if (schema == NULL && installed != NULL)
    schema = g_settings_schema_source_lookup (installed, NW_SETTINGS_SCHEMA_ID, TRUE);
  return schema;
}

GSettings *
nw_app_settings_new (void)
{
  g_autoptr (GSettingsSchema) schema = lookup_schema ();
  if (schema == NULL)
    {
      g_printerr ("neurowire: the settings schema %s is not installed: nothing is remembered "
                  "(install the program, or run it from its build tree)\n", NW_SETTINGS_SCHEMA_ID);
      return NULL;
    }
  for (guint i = 0; nw_settings_keys[i] != NULL; i++)
    if (!g_settings_schema_has_key (schema, nw_settings_keys[i]))
      {
        g_printerr ("neurowire: the settings schema %s has no key '%s' (an older copy?): "
                    "nothing is remembered\n", NW_SETTINGS_SCHEMA_ID, nw_settings_keys[i]);
        return NULL;
      }
  return g_settings_new_full (schema, NULL, NULL);
}

/* The value a locale category gets from the environment, as setlocale reads it. */
static const char *
locale_of (const char *category)
{
  static const char *const names[] = { "LC_ALL", NULL, "LANG" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i] != NULL ? names[i] : category);
      if (value != NULL && value[0] != '\0')
        return value;
    }
  return NULL;
}

static gboolean
is_c_locale (const char *locale)
{
  return locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX");
}

void
nw_app_settings_apply_language (GSettings *settings)
{
  g_autofree char *language = settings != NULL
    ? g_settings_get_string (settings, NW_SETTINGS_LANGUAGE) : NULL;
  const char *all = g_getenv ("LC_ALL");
  if (language == NULL || language[0] == '\0')
    return;
  g_setenv ("LANGUAGE", language, TRUE);
  /* A machine without a locale (LANG unset or C) would ignore LANGUAGE: messages and text in
   * UTF-8 there. LC_ALL set to C is the user's word and wins. */
  if (all != NULL && all[0] != '\0')
    return;
  if (is_c_locale (locale_of ("LC_MESSAGES")))
    g_setenv ("LC_MESSAGES", "C.UTF-8", TRUE);
  if (is_c_locale (locale_of ("LC_CTYPE")))
    g_setenv ("LC_CTYPE", "C.UTF-8", TRUE);
}

gboolean
nw_app_settings_get_device (GSettings *settings, NwBackendKind *kind, char **id)
{
  g_autofree char *device = settings != NULL
    ? g_settings_get_string (settings, NW_SETTINGS_DEVICE) : NULL;
  *kind = NW_BACKEND_AUTO;
  *id = NULL;
  if (device == NULL)
    return FALSE;
  if (g_str_equal (device, "cpu"))
    *kind = NW_BACKEND_CPU;
  else if (g_str_has_prefix (device, "cl:") && device[3] != '\0')
    {
      *kind = NW_BACKEND_CL;
      *id = g_strdup (device + 3);
    }
  return *kind != NW_BACKEND_AUTO;
}
