/* nw-blas.c: OpenBLAS kernel detection, corrected for CPUs OpenBLAS does not recognise. */
#include "nw-blas.h"

#include <cblas.h>
#include <string.h>

const char *
nw_blas_corename (void)
{
#ifdef OPENBLAS_VERSION
  return openblas_get_corename ();
#else
  return "generic CBLAS";
#endif
}

int
nw_blas_threads (void)
{
#ifdef OPENBLAS_VERSION
  return openblas_get_num_threads ();
#else
  return 1;
#endif
}

static gboolean
is_one_of (const char *name, const char *const *names)
{
  for (; *names != NULL; names++)
    if (g_ascii_strcasecmp (name, *names) == 0)
      return TRUE;
  return FALSE;
}

const char *
nw_blas_better_coretype (void)
{
#if defined(OPENBLAS_VERSION) && defined(__x86_64__) && defined(__GNUC__)
  static const char *const avx512_cores[] = { "SkylakeX", "Cooperlake", "SapphireRapids", NULL };
  static const char *const avx2_cores[] = {
    "Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids", NULL
  };
  const char *running = openblas_get_corename ();

  if (g_getenv ("OPENBLAS_CORETYPE") != NULL)
    return NULL;   /* the user chose; benchmarks rely on that being honoured */
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw") &&
      __builtin_cpu_supports ("avx512vl") && __builtin_cpu_supports ("avx512dq") &&
      !is_one_of (running, avx512_cores))
    return "SkylakeX";
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma") &&
      !is_one_of (running, avx2_cores))
    return "Haswell";
#endif
  return NULL;
}
