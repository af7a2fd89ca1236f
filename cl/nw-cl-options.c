/* nw-cl-options.c: copying the OpenCL backend's settings. */
#include "nw-cl-options.h"

NwClOptions *
nw_cl_options_copy (const NwClOptions *options)
{
  NwClOptions *copy = g_new0 (NwClOptions, 1);
  if (options == NULL)
    return copy;
  *copy = *options;
  /* The copy owns its strings (the fields are const for the callers, who lend theirs). */
  copy->device = g_strdup (options->device);
  copy->device_origin = g_strdup (options->device_origin);
  copy->gemm_tuning = g_strdup (options->gemm_tuning);
  copy->chain_wg = g_strdup (options->chain_wg);
  return copy;
}

void
nw_cl_options_free (NwClOptions *options)
{
  if (options == NULL)
    return;
  g_free ((char *) options->device);
  g_free ((char *) options->device_origin);
  g_free ((char *) options->gemm_tuning);
  g_free ((char *) options->chain_wg);
  g_free (options);
}
