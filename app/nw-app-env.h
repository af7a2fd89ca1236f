/* nw-app-env.h: the environment variables the programs honour, read once at start (in main)
 * and passed down as options: nothing below app/ reads the environment (core/nw-blas.h's
 * re-exec check aside, which runs before this).
 *
 *   NW_BACKEND          auto | cpu | cl: the first choice of backend
 *   NEUROWIRE_DATA_DIR  the folder that holds mnist/ and fashion-mnist/
 *   NW_DEBUG_FPS        frame and epoch times on stderr (the desktop program; bench/)
 *   NW_CL_DEVICE, NW_CL_CACHE, NW_CL_GEMM_TUNING, NW_CL_CHAIN_WG, NW_CL_SIMULATE_CHAIN_WG,
 *   NW_CL_PROFILE       the OpenCL backend's settings (cl/nw-cl-options.h)
 *   GSK_RENDERER        GTK's renderer, when the user chose one: the desktop program then
 *                       leaves it (else it takes Cairo on software OpenGL: ui/nw-renderer.h)
 *   NEUROWIRE_LOCALEDIR the folder of the compiled translations (<lang>/LC_MESSAGES/neurowire.mo)
 *                       instead of the installed one; read by nw_app_env_init_i18n
 *   LANGUAGE, LANG, LC_* the language, as for every program (setlocale, gettext) */
#pragma once

#include "nw-cl-options.h"

G_BEGIN_DECLS

typedef struct {
  char        *backend;    /* NW_BACKEND; NULL when unset or empty */
  char        *data_root;  /* NEUROWIRE_DATA_DIR; NULL when unset or empty (the default) */
  gboolean     debug_fps;  /* NW_DEBUG_FPS set */
  char        *gsk_renderer; /* GSK_RENDERER as the user set it; NULL when unset or empty */
  NwClOptions  cl;         /* its strings owned here */
} NwAppEnv;

/* Fills `env` from the process environment. */
void nw_app_env_read  (NwAppEnv *env);
void nw_app_env_clear (NwAppEnv *env);

/* The user's locale (setlocale (LC_ALL, "")) and Neurowire's translations: binds the gettext
 * domain to NEUROWIRE_LOCALEDIR when set, else to the build tree's po/ when this program runs
 * from the build tree (build/app/neurowire, as the README starts it), else to the installed
 * locale folder. Call first thing in main, before any string is translated. */
void        nw_app_env_init_i18n (void);
/* Whether this program is the one the build tree made: its executable lies in the folder meson
 * built it in (NW_BUILD_APP_DIR). An installed copy lies elsewhere, even while the build tree
 * still exists. */
gboolean    nw_app_env_running_from_build_tree (void);

G_END_DECLS
