/* nw-backend-cl.h: the OpenCL backend: core's backend table (nw-backend.h) on an OpenCL
 * device.
 *
 * Buffers are cl_mem on the device and data stays there: only `read` copies back (blocking),
 * `write` is blocking too (the source may be freed when it returns), everything else is
 * queued on one in-order command queue. Programs are built once per backend, from the
 * kernels embedded as resources, with tuning #defines chosen for the device. */
#pragma once

#include "nw-backend.h"
#include "nw-cl-device.h"

G_BEGIN_DECLS

/* A backend on the device that `request` names (see nw_cl_pick_device: NULL means
 * options->device or the best device), set up as `options` (NULL: the defaults; read only
 * during the call) say. NULL and an error when there is no such device, a tuning option is
 * malformed or the kernels do not build. Free with nw_backend_free (or hand it to a trainer,
 * which owns it). */
NwBackend            *nw_backend_cl_new          (const char *request, const NwClOptions *options,
                                                  GError **error);

/* TRUE for a backend made by nw_backend_cl_new. */
gboolean              nw_backend_is_cl           (NwBackend *backend);

/* The backend's device, context and queue (borrowed: do not free or release). */
const NwClDeviceInfo *nw_backend_cl_get_device   (NwBackend *backend);
cl_context            nw_backend_cl_get_context  (NwBackend *backend);
cl_command_queue      nw_backend_cl_get_queue    (NwBackend *backend);
/* The cl_mem behind a buffer of this backend (borrowed). */
cl_mem                nw_backend_cl_buffer_mem   (NwBuffer *buffer);

/* Counters since the backend was made: kernel launches and other enqueued commands
 * (copies, fills), and host-device synchronisations (blocking reads and writes, finish). */
typedef struct {
  guint64 launches;
  guint64 commands;
  guint64 syncs;
} NwClCounters;
void                  nw_backend_cl_get_counters (NwBackend *backend, NwClCounters *out);

/* With NwClOptions.profile (NW_CL_PROFILE=1) when the backend is made, every kernel is timed
 * on the device (which serialises the queue: for finding where time goes, not for speed).
 * A table of the time per kernel since the backend was made, most first (new string; an
 * empty one without profiling). */
char                 *nw_backend_cl_profile_report (NwBackend *backend);

/* Which matrix-product kernel gemm uses: the choice by size (AUTO, the default), or always
 * the tiled or the one-element-per-work-item kernel (benchmarks and tests). */
typedef enum {
  NW_CL_GEMM_AUTO,
  NW_CL_GEMM_TILED,
  NW_CL_GEMM_SMALL,
} NwClGemmPath;
void                  nw_backend_cl_set_gemm_path (NwBackend *backend, NwClGemmPath path);

G_END_DECLS
