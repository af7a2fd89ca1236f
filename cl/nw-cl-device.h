/* nw-cl-device.h: every OpenCL platform and device, scored, and the choice among them.
 *
 * No platform at all (no ICD installed, CL_PLATFORM_NOT_FOUND_KHR) is not an error: the list
 * is empty and the caller falls back to the CPU backend. A platform or device that fails a
 * query is skipped, and why is kept for the messages. */
#pragma once

#include "nw-cl-check.h"
#include "nw-cl-options.h"

G_BEGIN_DECLS

typedef struct {
  char          *name;            /* "NVIDIA H100 80GB HBM3" */
  char          *vendor;
  char          *platform;        /* platform name */
  char          *type;            /* "GPU", "CPU", "accelerator", "other" */
  char          *driver;          /* driver version (part of the kernel cache key) */
  char          *version;         /* device OpenCL version string */
  guint          compute_units;
  guint          clock_mhz;
  guint64        global_mem;      /* bytes */
  guint64        max_alloc;       /* bytes, CL_DEVICE_MAX_MEM_ALLOC_SIZE */
  gsize          max_work_group;  /* CL_DEVICE_MAX_WORK_GROUP_SIZE */
  guint64        local_mem;       /* bytes */
  gboolean       correct_sqrt;    /* CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT for float */
  double         score;           /* higher is better: type, then CUs x MHz, then memory */
  char          *why;             /* "GPU, 132 CUs x 1980 MHz, 80 GiB" */
  int            index;           /* position in the sorted list, as NW_CL_DEVICE accepts */
  cl_platform_id platform_id;
  cl_device_id   device_id;
} NwClDeviceInfo;

void            nw_cl_device_info_free (NwClDeviceInfo *info);
NwClDeviceInfo *nw_cl_device_info_copy (const NwClDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwClDeviceInfo, nw_cl_device_info_free)

/* Every usable device, best first (a new array of NwClDeviceInfo, freeing its elements).
 * `skipped` (may be NULL) receives one sentence per platform or device left out and why
 * (a new NULL-terminated array, possibly empty). Fails only when the platform query itself
 * fails with something other than "no platform". */
GPtrArray      *nw_cl_list_devices_full (GStrv *skipped, GError **error);
GPtrArray      *nw_cl_list_devices      (GError **error);

/* The device a request names: NULL means options->device if set and not empty (`options`
 * may be NULL), else the best device; otherwise an index into the sorted list ("0") or a case-insensitive substring of
 * a device name ("h100", "pthread"). Returns a new NwClDeviceInfo; an unknown request, or no
 * device at all, is an error naming the request and listing the devices that exist. */
NwClDeviceInfo *nw_cl_pick_device      (const char *request, const NwClOptions *options,
                                        GError **error);

/* One line per device, "0: name (platform): why", for messages and `--list-devices`. */
char           *nw_cl_describe_devices (GPtrArray *devices);

G_END_DECLS
