/* nw-app-env.c: the programs' environment variables, read once. */
#include "nw-app-env.h"
#include "nw-i18n.h"

#include <locale.h>
#include <string.h>

#ifndef LOCALEDIR
#error "LOCALEDIR must be defined (app/meson.build)"
#endif

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
  env->gsk_renderer = dup_env ("GSK_RENDERER");
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
  g_free (env->gsk_renderer);
  g_free ((char *) env->cl.device);
  g_free ((char *) env->cl.device_origin);
  g_free ((char *) env->cl.gemm_tuning);
  g_free ((char *) env->cl.chain_wg);
  *env = (NwAppEnv) { 0 };
}

gboolean
nw_app_env_running_from_build_tree (void)
{
#ifdef NW_BUILD_APP_DIR
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  g_autofree char *built = g_canonicalize_filename (NW_BUILD_APP_DIR, NULL);
  return dir != NULL && strcmp (dir, built) == 0;
#else
  return FALSE;
#endif
}

void
nw_app_env_init_i18n (void)
{
  g_autofree char *bound = NULL;

  /* LANGUAGE (a list such as "ko:en") only counts once the locale is not "C": it is read by
   * gettext at each lookup, after this. */
  setlocale (LC_ALL, "");
  bound = dup_env ("NEUROWIRE_LOCALEDIR");
#ifdef NW_BUILD_LOCALEDIR
  if (bound == NULL && nw_app_env_running_from_build_tree ()
      && g_file_test (NW_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    bound = g_strdup (NW_BUILD_LOCALEDIR);
#endif
  if (bound == NULL)
    bound = g_strdup (LOCALEDIR);
  bindtextdomain (GETTEXT_PACKAGE, bound);   /* gettext keeps its own copy */
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
