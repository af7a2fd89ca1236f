/* nw-app-settings.h: the program's GSettings (data/org.neurowire.Neurowire.gschema.xml,
 * ui/nw-settings.h): found where it is installed, or in the build tree when the program runs
 * from there; and the one setting that acts before anything else, the language. */
#pragma once

#include <gio/gio.h>

#include "nw-device.h"

G_BEGIN_DECLS

/* The settings, new; NULL (said once on stderr) when the schema is not installed or lacks a
 * key the program reads: the program then runs on the defaults and remembers nothing.
 * A program run from the build tree (build/app/neurowire) uses the build tree's compiled
 * schema (build/data), before GSETTINGS_SCHEMA_DIR and the installed ones (an installed copy
 * may be older); an installed program uses GSETTINGS_SCHEMA_DIR, then the installed ones. */
GSettings  *nw_app_settings_new            (void);
/* The language chosen in Preferences ("" the system's, "ko", "en"), for this run: sets
 * LANGUAGE, and a UTF-8 message locale where the user has none (gettext ignores LANGUAGE in
 * the C locale). Call before the locale is read (setlocale) and before any text is
 * translated. Nothing with NULL settings or the system's language. */
void        nw_app_settings_apply_language (GSettings *settings);
/* The device chosen last ("auto", "cpu", "cl:ID"), for the first choice of a program where
 * NW_BACKEND and NW_CL_DEVICE are unset: `kind` is NW_BACKEND_AUTO, _CPU or _CL and `id`
 * (new, or NULL) the OpenCL device's id. FALSE with NULL settings or "auto". */
gboolean    nw_app_settings_get_device     (GSettings *settings, NwBackendKind *kind,
                                            char **id);

G_END_DECLS
