/* nw-cl-program.h: kernel sources (embedded GResources) and program builds.
 *
 * Kernels are standalone OpenCL C 1.2 files in resources/kernels/, compiled into the binary
 * under /org/neurowire/kernels/. Their tuning parameters are `#ifndef X / #define X ... /
 * #endif` defaults; the host prepends its own `#define`s per device, followed by
 * `#line 1 "<file>"`, so the compiler's messages give the file's own line numbers. Compilers
 * that ignore #line in their messages (NVIDIA's says "<kernel>:7:10") have their build logs
 * rewritten to the same form (nw_cl_log_in_file_lines). */
#pragma once

#include "nw-cl-device.h"

G_BEGIN_DECLS

/* The text of resources/kernels/<file_name> (new bytes, NUL-terminated). */
GBytes     *nw_cl_kernel_source  (const char *file_name, GError **error);

/* Builds `source` (the text of `file_name`) for one device: `header` (may be NULL) is
 * prepended verbatim (the tuning #defines), `options` (may be NULL) are the compiler options.
 * A built binary is kept on disk under $XDG_CACHE_HOME/neurowire/kernels, keyed by the
 * device, its driver, the options and the whole text, and reused by later builds;
 * `use_cache` FALSE (NwClOptions.no_cache) builds from source and stores nothing. A failed
 * build is an error naming the file and carrying the build log. Release the program with clReleaseProgram. */
cl_program  nw_cl_build_program  (cl_context context, const NwClDeviceInfo *device,
                                  const char *file_name, const char *source,
                                  const char *header, const char *options, gboolean use_cache,
                                  GError **error);

/* The same, with `prelude` (the text of the kernel file `prelude_name`, shared by several
 * programs: act.cl) between the header and the source, behind a #line of its own so that
 * messages about it name it. */
cl_program  nw_cl_build_program_with_prelude (cl_context context, const NwClDeviceInfo *device,
                                              const char *prelude_name, const char *prelude,
                                              const char *file_name, const char *source,
                                              const char *header, const char *options,
                                              gboolean use_cache, GError **error);

/* A build log with each "<name>:LINE:" at the start of a line (the compiler's name for the
 * source it was given, counting `header_lines` prepended lines) replaced by
 * "file_name:LINE-header_lines:"; references into the prepended lines stay as they are. */
char       *nw_cl_log_in_file_lines (const char *log, const char *file_name, int header_lines);

G_END_DECLS
