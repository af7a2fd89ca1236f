/* nw-device.c: the device table's lock and reference count, and the CPU-only table. */
#include "nw-device.h"
#include "nw-i18n.h"

#include "nw-handoff.h"

struct _NwDeviceInfo {
  char *id, *name, *kind, *why;
};

struct _NwDevices {
  const NwDevicesFuncs *funcs;
  gpointer              impl;
  GMutex                lock;   /* every call into funcs: see nw-device.h */
};

int
nw_backend_kind_from_name (const char *name)
{
  if (name == NULL || g_ascii_strcasecmp (name, "auto") == 0)
    return NW_BACKEND_AUTO;
  if (g_ascii_strcasecmp (name, "cpu") == 0)
    return NW_BACKEND_CPU;
  if (g_ascii_strcasecmp (name, "cl") == 0 || g_ascii_strcasecmp (name, "opencl") == 0)
    return NW_BACKEND_CL;
  return -1;
}

NwDeviceInfo *
nw_device_info_new (const char *id, const char *name, const char *type, const char *why)
{
  NwDeviceInfo *info = g_new0 (NwDeviceInfo, 1);
  info->id = g_strdup (id);
  info->name = g_strdup (name);
  info->kind = g_strdup (type);
  info->why = g_strdup (why);
  return info;
}

void
nw_device_info_free (NwDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->kind);
  g_free (info->why);
  g_free (info);
}

const char *nw_device_info_get_id   (const NwDeviceInfo *info) { return info->id; }
const char *nw_device_info_get_name (const NwDeviceInfo *info) { return info->name; }
const char *nw_device_info_get_kind (const NwDeviceInfo *info) { return info->kind; }
const char *nw_device_info_get_why  (const NwDeviceInfo *info) { return info->why; }

NwDevices *
nw_devices_new (const NwDevicesFuncs *funcs, gpointer impl)
{
  NwDevices *d = g_atomic_rc_box_new0 (NwDevices);
  d->funcs = funcs;
  d->impl = impl;
  g_mutex_init (&d->lock);
  return d;
}

NwDevices *
nw_devices_ref (NwDevices *devices)
{
  return g_atomic_rc_box_acquire (devices);
}

static void
devices_clear (gpointer data)
{
  NwDevices *d = data;
  if (d->funcs->free != NULL)
    d->funcs->free (d->impl);
  g_mutex_clear (&d->lock);
}

void
nw_devices_unref (NwDevices *devices)
{
  if (devices != NULL)
    g_atomic_rc_box_release_full (devices, devices_clear);
}

/* The table's GMutex, announced to ThreadSanitizer (nw-handoff.h): the workers of every session
 * that shares the table take turns in `impl`. */
static void
devices_lock (NwDevices *devices)
{
  g_mutex_lock (&devices->lock);
  NW_HANDOFF_ACQUIRE (&devices->lock);
}

static void
devices_unlock (NwDevices *devices)
{
  NW_HANDOFF_RELEASE (&devices->lock);
  g_mutex_unlock (&devices->lock);
}

GPtrArray *
nw_devices_list (NwDevices *devices, GError **error)
{
  GPtrArray *list;
  devices_lock (devices);
  list = devices->funcs->list (devices->impl, error);
  devices_unlock (devices);
  return list;
}

NwBackend *
nw_devices_open (NwDevices *devices, const char *id, GError **error)
{
  NwBackend *backend;
  devices_lock (devices);
  backend = devices->funcs->open (devices->impl, id, error);
  devices_unlock (devices);
  return backend;
}

NwTrainer *
nw_devices_choose (NwDevices *devices, const NwSpec *spec, NwBackendKind kind, const char *id,
                   char **why, GError **error)
{
  NwTrainer *t;
  devices_lock (devices);
  t = devices->funcs->choose (devices->impl, spec, kind, id, why, error);
  devices_unlock (devices);
  return t;
}

char *
nw_devices_device_id (NwDevices *devices, NwBackend *backend)
{
  char *id;
  devices_lock (devices);
  id = devices->funcs->device_id (devices->impl, backend);
  devices_unlock (devices);
  return id;
}

/* ------------------------------------------------------------------------------------------ */
/* The CPU alone                                                                                */

static GPtrArray *
cpu_list (gpointer impl, GError **error)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) nw_device_info_free);
}

static NwBackend *
cpu_open (gpointer impl, const char *id, GError **error)
{
  g_set_error (error, NW_ERROR, NW_ERROR_BACKEND,
               _("no device “%s”: this program was built without OpenCL"), id != NULL ? id : "");
  return NULL;
}

static NwTrainer *
cpu_choose (gpointer impl, const NwSpec *spec, NwBackendKind kind, const char *id, char **why,
            GError **error)
{
  NwTrainer *t;
  if (kind == NW_BACKEND_CL)
    {
      cpu_open (impl, id, error);
      return NULL;
    }
  t = nw_trainer_new (spec, NULL, nw_backend_cpu_new (), error);
  if (t != NULL && why != NULL)
    *why = g_strdup (kind == NW_BACKEND_CPU ? _("the CPU backend, as asked")
                                            : _("the CPU backend: no OpenCL in this program"));
  return t;
}

static char *
cpu_device_id (gpointer impl, NwBackend *backend)
{
  return NULL;
}

static const NwDevicesFuncs cpu_funcs = {
  .list = cpu_list, .open = cpu_open, .choose = cpu_choose, .device_id = cpu_device_id,
};

NwDevices *
nw_devices_new_cpu_only (void)
{
  return nw_devices_new (&cpu_funcs, NULL);
}
