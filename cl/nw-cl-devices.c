/* nw-cl-devices.c: core's device table on OpenCL. */
#include "nw-cl-devices.h"

#include "nw-backend-choice.h"
#include "nw-backend-cl.h"
#include "nw-cl-device.h"

static GPtrArray *
cl_list (gpointer impl, GError **error)
{
  g_autoptr (GPtrArray) devices = nw_cl_list_devices (error);
  GPtrArray *list;
  if (devices == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_device_info_free);
  for (guint i = 0; i < devices->len; i++)
    {
      const NwClDeviceInfo *d = g_ptr_array_index (devices, i);
      g_autofree char *id = g_strdup_printf ("%d", d->index);
      g_ptr_array_add (list, nw_device_info_new (id, d->name, d->type, d->why));
    }
  return list;
}

/* `impl` is the table's own NwClOptions. */
static NwBackend *
cl_open (gpointer impl, const char *id, GError **error)
{
  return nw_backend_cl_new (id, impl, error);
}

static NwTrainer *
cl_choose (gpointer impl, const NwSpec *spec, NwBackendKind kind, const char *id, char **why,
           GError **error)
{
  return nw_trainer_new_on_backend (spec, kind, id, impl, why, error);
}

static char *
devices_cl_device_id (gpointer impl, NwBackend *backend)
{
  if (backend == NULL || !nw_backend_is_cl (backend))
    return NULL;
  return g_strdup_printf ("%d", nw_backend_cl_get_device (backend)->index);
}

static void
cl_free (gpointer impl)
{
  nw_cl_options_free (impl);
}

static const NwDevicesFuncs cl_funcs = {
  .list = cl_list, .open = cl_open, .choose = cl_choose, .device_id = devices_cl_device_id,
  .free = cl_free,
};

NwDevices *
nw_cl_devices_new_full (const NwClOptions *options)
{
  return nw_devices_new (&cl_funcs, nw_cl_options_copy (options));
}

NwDevices *
nw_cl_devices_new (void)
{
  return nw_cl_devices_new_full (NULL);
}
