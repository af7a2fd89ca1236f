/* nw-app-env.h: the environment variables the programs honour, read once at start (in main)
 * and passed down as options: nothing below app/ reads the environment (core/nw-blas.h's
 * re-exec check aside, which runs before this).
 *
 *   NW_BACKEND          auto | cpu | cl: the first choice of backend
 *   NEUROWIRE_DATA_DIR  the folder that holds mnist/ and fashion-mnist/
 *   NW_DEBUG_FPS        frame and epoch times on stderr (the desktop program; bench/)
 *   NW_CL_DEVICE, NW_CL_CACHE, NW_CL_GEMM_TUNING, NW_CL_CHAIN_WG, NW_CL_SIMULATE_CHAIN_WG,
 *   NW_CL_PROFILE       the OpenCL backend's settings (cl/nw-cl-options.h) */
#pragma once

#include "nw-cl-options.h"

G_BEGIN_DECLS

typedef struct {
  char        *backend;    /* NW_BACKEND; NULL when unset or empty */
  char        *data_root;  /* NEUROWIRE_DATA_DIR; NULL when unset or empty (the default) */
  gboolean     debug_fps;  /* NW_DEBUG_FPS set */
  NwClOptions  cl;         /* its strings owned here */
} NwAppEnv;

/* Fills `env` from the process environment. */
void nw_app_env_read  (NwAppEnv *env);
void nw_app_env_clear (NwAppEnv *env);

G_END_DECLS
