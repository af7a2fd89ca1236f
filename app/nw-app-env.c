/* nw-app-env.c: the programs' environment variables, read once. */
#include "nw-app-env.h"

/* A copy of a variable's value; NULL when unset or empty (an empty value means "not set" for
 * every variable here, as `VAR= program` is how a shell unsets one for a command). */
static char *
dup_env (const char *name)
{
  const char *value = g_getenv (name);
  return value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

void
nw_app_env_read (NwAppEnv *env)
{
  const char *cache = g_getenv ("NW_CL_CACHE");
  const char *simulate = g_getenv ("NW_CL_SIMULATE_CHAIN_WG");

  *env = (NwAppEnv) { 0 };
  env->backend = dup_env ("NW_BACKEND");
  env->data_root = dup_env ("NEUROWIRE_DATA_DIR");
  env->debug_fps = g_getenv ("NW_DEBUG_FPS") != NULL;
  env->cl.device = dup_env ("NW_CL_DEVICE");
  env->cl.device_origin = env->cl.device != NULL ? g_strdup ("NW_CL_DEVICE") : NULL;
  env->cl.no_cache = g_strcmp0 (cache, "0") == 0;
  /* Set but malformed is the backend's error (it names the value), not silently ignored. */
  env->cl.gemm_tuning = g_strdup (g_getenv ("NW_CL_GEMM_TUNING"));
  env->cl.chain_wg = g_strdup (g_getenv ("NW_CL_CHAIN_WG"));
  if (simulate != NULL && simulate[0] != '\0')
    env->cl.simulate_chain_wg = (guint) CLAMP (g_ascii_strtoull (simulate, NULL, 10), 1, G_MAXUINT);
  env->cl.profile = g_strcmp0 (g_getenv ("NW_CL_PROFILE"), "1") == 0;
}

void
nw_app_env_clear (NwAppEnv *env)
{
  g_free (env->backend);
  g_free (env->data_root);
  g_free ((char *) env->cl.device);
  g_free ((char *) env->cl.device_origin);
  g_free ((char *) env->cl.gemm_tuning);
  g_free ((char *) env->cl.chain_wg);
  *env = (NwAppEnv) { 0 };
}
