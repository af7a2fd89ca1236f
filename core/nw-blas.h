/* nw-blas.h: which OpenBLAS kernel runs, and which one should.
 *
 * OpenBLAS picks its kernels from the CPU model at load time; for a model it does not know
 * (common in virtual machines, including this project's CI) it falls back to the generic
 * "Prescott" SSE3 kernels, 3-4 times slower than the AVX-512 ones the CPU has. The choice is
 * made before main() runs and can only be changed through OPENBLAS_CORETYPE, so programs
 * (not core) re-execute themselves once with it set: see nw_blas_reexec_if_needed() in the
 * program's main. */
#pragma once

#include <glib.h>
#include <unistd.h>

G_BEGIN_DECLS

/* The kernel set OpenBLAS runs ("SkylakeX", "Haswell", "Prescott", ...). */
const char *nw_blas_corename          (void);
int         nw_blas_threads           (void);
/* The kernel set this CPU supports when it is better than the running one and the user has
 * not chosen one with OPENBLAS_CORETYPE; NULL otherwise. */
const char *nw_blas_better_coretype   (void);

/* For programs' main() only (core never calls it): when OpenBLAS runs a weaker kernel than
 * the CPU supports, re-executes the program with OPENBLAS_CORETYPE set. Returns if it did not
 * (nothing better, or the exec failed: then the program simply runs slower). */
static inline void
nw_blas_reexec_if_needed (char **argv)
{
  const char *better = nw_blas_better_coretype ();
  if (better == NULL || g_getenv ("NW_NO_BLAS_REEXEC") != NULL)
    return;
  g_setenv ("OPENBLAS_CORETYPE", better, TRUE);
  execv ("/proc/self/exe", argv);
  g_unsetenv ("OPENBLAS_CORETYPE");
}

G_END_DECLS
