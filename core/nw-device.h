/* nw-device.h: the devices a network can train on, without naming how they are driven.
 *
 * core/ cannot include OpenCL; ui/ must not. Both reach the devices through an NwDevices: a
 * table of functions that a backend library implements (cl/: nw_cl_devices_new) and the
 * program hands down (app/), or the CPU alone (nw_devices_new_cpu_only). Every call into it
 * is serialised by a lock inside it: OpenCL's discovery is not safe on two threads at once
 * (PoCL's first clGetPlatformIDs and its device queries crashed when two windows' choices
 * overlapped), whichever session or window makes the call. The calls block (a discovery, a
 * calibration of up to a few seconds): call them from a worker thread. */
#pragma once

#include "nw-trainer.h"

G_BEGIN_DECLS

typedef enum {
  NW_BACKEND_AUTO,   /* a GPU, else whichever of a CPU OpenCL device and the CPU is faster */
  NW_BACKEND_CPU,
  NW_BACKEND_CL,
} NwBackendKind;

/* "auto" (or NULL), "cpu", "cl" (also "opencl"); -1 if unknown. */
int           nw_backend_kind_from_name (const char *name);

/* One device, as the user sees it. Opaque; the strings are borrowed from it. */
typedef struct _NwDeviceInfo NwDeviceInfo;

NwDeviceInfo *nw_device_info_new      (const char *id, const char *name, const char *type,
                                       const char *why);
void          nw_device_info_free     (NwDeviceInfo *info);
/* What nw_devices_open takes to name this device ("0": its place in the list). */
const char   *nw_device_info_get_id   (const NwDeviceInfo *info);
const char   *nw_device_info_get_name (const NwDeviceInfo *info);
/* "GPU", "CPU", "accelerator", "other" */
const char   *nw_device_info_get_kind (const NwDeviceInfo *info);
/* Why it ranks where it does ("GPU, 132 CUs x 1980 MHz, 80 GiB"). */
const char   *nw_device_info_get_why  (const NwDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwDeviceInfo, nw_device_info_free)

/* What a backend library implements. `impl` is its own state; each function is called with
 * the NwDevices lock held. */
typedef struct {
  /* Every usable device, best first: a new array of NwDeviceInfo that frees its elements.
   * No device at all is an empty array, not an error. */
  GPtrArray *(*list)      (gpointer impl, GError **error);
  /* A backend on the device `id` names (NULL: the best, or the one the options name). */
  NwBackend *(*open)      (gpointer impl, const char *id, GError **error);
  /* A trainer for `spec` (its data from spec->data) on what `kind` chooses, and one sentence
   * for the user saying why (see nw_devices_choose). */
  NwTrainer *(*choose)    (gpointer impl, const NwSpec *spec, NwBackendKind kind,
                           const char *id, char **why, GError **error);
  /* The id of the device that `backend` (made by `open` or `choose`) runs on; NULL when it
   * is not one of this library's (the CPU backend). */
  char      *(*device_id) (gpointer impl, NwBackend *backend);
  void       (*free)      (gpointer impl);
} NwDevicesFuncs;

typedef struct _NwDevices NwDevices;

/* `funcs` must outlive every NwDevices made with it (a static table); `impl` is taken. */
NwDevices    *nw_devices_new          (const NwDevicesFuncs *funcs, gpointer impl);
/* The CPU backend only: lists no device, chooses the CPU. */
NwDevices    *nw_devices_new_cpu_only (void);
NwDevices    *nw_devices_ref          (NwDevices *devices);
void          nw_devices_unref        (NwDevices *devices);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwDevices, nw_devices_unref)

GPtrArray    *nw_devices_list         (NwDevices *devices, GError **error);
NwBackend    *nw_devices_open         (NwDevices *devices, const char *id, GError **error);
/* CPU forces the CPU backend; CL forces the device `id` (NULL: the best), and failing is an
 * error, not a fallback; AUTO takes a GPU when there is one, else measures (and caches) this
 * network on a CPU OpenCL device against the CPU backend and takes the faster, and falls back
 * to the CPU when there is no device. `why` (may be NULL) gets a sentence for the user. */
NwTrainer    *nw_devices_choose       (NwDevices *devices, const NwSpec *spec, NwBackendKind kind,
                                       const char *id, char **why, GError **error);
/* The device id of `backend`, or NULL for the CPU backend (new string). */
char         *nw_devices_device_id    (NwDevices *devices, NwBackend *backend);

G_END_DECLS
