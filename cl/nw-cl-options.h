/* nw-cl-options.h: the OpenCL backend's settings, chosen by the program (app/ reads the
 * environment once: NW_CL_DEVICE, NW_CL_CACHE, NW_CL_GEMM_TUNING, NW_CL_CHAIN_WG,
 * NW_CL_SIMULATE_CHAIN_WG, NW_CL_PROFILE) and passed down. Nothing in cl/ reads the
 * environment, so two backends in one process can be set up differently and a test says
 * what it wants instead of setting variables. A NULL NwClOptions pointer means all defaults
 * (a zeroed struct). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  /* The device used when a call names none: an index into the sorted list or part of a
   * name; NULL: the best device. */
  const char *device;
  /* Where `device` came from, for messages ("NW_CL_DEVICE"); NULL: "the options". */
  const char *device_origin;
  /* Build every program from source and keep no binaries on disk (NW_CL_CACHE=0). */
  gboolean    no_cache;
  /* Benchmarks: the tiled gemm's tiling, "VW,WPTM,RTSN,RTSM,KC[,KEEP_ACC[,WPTN]]"; NULL:
   * the device's. A string, so that a bad value is the backend's error naming it. */
  const char *gemm_tuning;
  /* Benchmarks: chain.cl's work-group size, a power of two in 1..1024; NULL: the device's. */
  const char *chain_wg;
  /* Tests: pretend the device allows train_chain at most this many work-items; 0: no. */
  guint       simulate_chain_wg;
  /* Time every kernel on the device (serialises the queue; for finding where time goes). */
  gboolean    profile;
} NwClOptions;

/* A deep copy (`options` NULL: the defaults), for what outlives its caller's struct (the
 * device table of a program). Free with nw_cl_options_free. */
NwClOptions *nw_cl_options_copy (const NwClOptions *options);
void         nw_cl_options_free (NwClOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwClOptions, nw_cl_options_free)

G_END_DECLS
