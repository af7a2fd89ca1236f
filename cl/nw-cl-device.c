/* nw-cl-device.c: enumerate, score and pick OpenCL devices. */
#include "nw-cl-device.h"
#include "nw-i18n.h"
#include "nw-types.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#ifndef CL_PLATFORM_NOT_FOUND_KHR
#define CL_PLATFORM_NOT_FOUND_KHR -1001
#endif

void
nw_cl_device_info_free (NwClDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->vendor);
  g_free (info->platform);
  g_free (info->type);
  g_free (info->driver);
  g_free (info->version);
  g_free (info->why);
  g_free (info);
}

NwClDeviceInfo *
nw_cl_device_info_copy (const NwClDeviceInfo *info)
{
  NwClDeviceInfo *copy = g_memdup2 (info, sizeof *info);
  copy->name = g_strdup (info->name);
  copy->vendor = g_strdup (info->vendor);
  copy->platform = g_strdup (info->platform);
  copy->type = g_strdup (info->type);
  copy->driver = g_strdup (info->driver);
  copy->version = g_strdup (info->version);
  copy->why = g_strdup (info->why);
  return copy;
}

/* String queries: size first, then the bytes; NULL (and *error set) on failure. */
static char *
platform_string (cl_platform_id platform, cl_platform_info what, GError **error)
{
  size_t size = 0;
  char *s;
  if (!NW_CL_CHECK (clGetPlatformInfo (platform, what, 0, NULL, &size), error))
    return NULL;
  s = g_malloc0 (size + 1);
  if (!NW_CL_CHECK (clGetPlatformInfo (platform, what, size, s, NULL), error))
    {
      g_free (s);
      return NULL;
    }
  return g_strstrip (s);
}

static char *
device_string (cl_device_id device, cl_device_info what, GError **error)
{
  size_t size = 0;
  char *s;
  if (!NW_CL_CHECK (clGetDeviceInfo (device, what, 0, NULL, &size), error))
    return NULL;
  s = g_malloc0 (size + 1);
  if (!NW_CL_CHECK (clGetDeviceInfo (device, what, size, s, NULL), error))
    {
      g_free (s);
      return NULL;
    }
  return g_strstrip (s);
}

static int
type_weight (cl_device_type type)
{
  if (type & CL_DEVICE_TYPE_GPU)
    return 3;
  if (type & CL_DEVICE_TYPE_ACCELERATOR)
    return 2;
  if (type & CL_DEVICE_TYPE_CPU)
    return 1;
  return 0;
}

static const char *
type_name (cl_device_type type)
{
  if (type & CL_DEVICE_TYPE_GPU)
    return "GPU";
  if (type & CL_DEVICE_TYPE_ACCELERATOR)
    return "accelerator";
  if (type & CL_DEVICE_TYPE_CPU)
    return "CPU";
  return "other";
}

static char *
format_memory (guint64 bytes)
{
  double gib = bytes / (1024.0 * 1024 * 1024);
  if (gib >= 10)
    return g_strdup_printf ("%.0f GiB", gib);
  if (gib >= 1)
    return g_strdup_printf ("%.1f GiB", gib);
  return g_strdup_printf ("%.0f MiB", bytes / (1024.0 * 1024));
}

/* Everything about one device, or NULL with *error saying which query failed. */
static NwClDeviceInfo *
query_device (cl_platform_id platform, const char *platform_name, cl_device_id device,
              GError **error)
{
  g_autoptr (NwClDeviceInfo) info = g_new0 (NwClDeviceInfo, 1);
  cl_device_type type = 0;
  cl_uint units = 0, clock = 0;
  cl_ulong global = 0, max_alloc = 0, local = 0;
  size_t max_wg = 0;
  cl_bool available = CL_FALSE, compiler = CL_FALSE;
  cl_device_fp_config fp = 0;
  g_autofree char *mem = NULL;

  info->platform_id = platform;
  info->device_id = device;
  info->platform = g_strdup (platform_name);
  if ((info->name = device_string (device, CL_DEVICE_NAME, error)) == NULL
      || (info->vendor = device_string (device, CL_DEVICE_VENDOR, error)) == NULL
      || (info->driver = device_string (device, CL_DRIVER_VERSION, error)) == NULL
      || (info->version = device_string (device, CL_DEVICE_VERSION, error)) == NULL
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_TYPE, sizeof type, &type, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof clock, &clock, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global, &global, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_LOCAL_MEM_SIZE, sizeof local, &local, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof max_wg, &max_wg, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_AVAILABLE, sizeof available, &available, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_COMPILER_AVAILABLE, sizeof compiler, &compiler, NULL), error)
      || !NW_CL_CHECK (clGetDeviceInfo (device, CL_DEVICE_SINGLE_FP_CONFIG, sizeof fp, &fp, NULL), error))
    return NULL;
  if (!available || !compiler)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_BACKEND, "%s", !available ? _("the device is not available")
                   : _("the device has no compiler (kernels are built from source)"));
      return NULL;
    }
  if (max_wg < 64 || local < 16 * 1024)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_BACKEND,
                   _("work-groups of %zu items and %" PRIu64
                   " bytes of local memory are too small (64 items and 16 KiB needed)"),
                   (gsize) max_wg, (guint64) local);
      return NULL;
    }
  info->type = g_strdup (type_name (type));
  info->compute_units = units;
  info->clock_mhz = clock;
  info->global_mem = global;
  info->max_alloc = max_alloc;
  info->local_mem = local;
  info->max_work_group = max_wg;
  info->correct_sqrt = (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
  /* Lexicographic in effect: the type dominates, then throughput, then memory (GiB, capped
   * so that it only breaks ties). */
  info->score = type_weight (type) * 1e12 + (double) units * clock * 1e3
                + MIN (global / (1024.0 * 1024 * 1024), 999.0);
  mem = format_memory (global);
  info->why = g_strdup_printf (_("%s, %u CUs x %u MHz, %s"), info->type, units, clock, mem);
  return g_steal_pointer (&info);
}

static int
compare_devices (gconstpointer pa, gconstpointer pb)
{
  const NwClDeviceInfo *a = *(NwClDeviceInfo **) pa, *b = *(NwClDeviceInfo **) pb;
  return a->score > b->score ? -1 : a->score < b->score ? 1 : 0;
}

static void
list_platform (cl_platform_id platform, GPtrArray *devices, GPtrArray *skipped)
{
  GError *error = NULL;
  g_autofree char *pname = platform_string (platform, CL_PLATFORM_NAME, &error);
  g_autofree cl_device_id *ids = NULL;
  cl_uint n = 0;
  cl_int status;

  if (pname == NULL)
    {
      g_ptr_array_add (skipped, g_strdup_printf (_("a platform: %s"), error->message));
      g_error_free (error);
      return;
    }
  status = clGetDeviceIDs (platform, CL_DEVICE_TYPE_ALL, 0, NULL, &n);
  if (status == CL_DEVICE_NOT_FOUND || (status == CL_SUCCESS && n == 0))
    {
      g_ptr_array_add (skipped, g_strdup_printf (_("platform %s: it has no devices"), pname));
      return;
    }
  ids = g_new0 (cl_device_id, MAX (n, 1));
  /* The status of the first clGetDeviceIDs above, checked under its call's name. */
  if (!nw_cl_check (status, "clGetDeviceIDs", G_STRLOC, &error)
      || !NW_CL_CHECK (clGetDeviceIDs (platform, CL_DEVICE_TYPE_ALL, n, ids, NULL), &error))
    {
      g_ptr_array_add (skipped, g_strdup_printf (_("platform %s: %s"), pname, error->message));
      g_error_free (error);
      return;
    }
  for (cl_uint d = 0; d < n; d++)
    {
      NwClDeviceInfo *info = query_device (platform, pname, ids[d], &error);
      if (info != NULL)
        g_ptr_array_add (devices, info);
      else
        {
          g_ptr_array_add (skipped, g_strdup_printf (_("device %u of platform %s: %s"), d, pname,
                                                     error->message));
          g_clear_error (&error);
        }
    }
}

GPtrArray *
nw_cl_list_devices_full (GStrv *skipped_out, GError **error)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_cl_device_info_free);
  g_autoptr (GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  g_autofree cl_platform_id *platforms = NULL;
  cl_uint n = 0;
  cl_int status = clGetPlatformIDs (0, NULL, &n);

  /* No ICD installed: the loader says CL_PLATFORM_NOT_FOUND_KHR (ocl-icd) or reports zero
   * platforms. Neither is an error: there is simply no OpenCL here. */
  if (status == CL_PLATFORM_NOT_FOUND_KHR || (status == CL_SUCCESS && n == 0))
    g_ptr_array_add (skipped, g_strdup (_("no OpenCL platform is installed (no ICD found)")));
  else
    {
      if (!nw_cl_check (status, "clGetPlatformIDs", G_STRLOC, error))
        {
          g_ptr_array_unref (devices);
          return NULL;
        }
      platforms = g_new0 (cl_platform_id, n);
      if (!NW_CL_CHECK (clGetPlatformIDs (n, platforms, NULL), error))
        {
          g_ptr_array_unref (devices);
          return NULL;
        }
      for (cl_uint p = 0; p < n; p++)
        list_platform (platforms[p], devices, skipped);
    }
  g_ptr_array_sort (devices, compare_devices);
  for (guint i = 0; i < devices->len; i++)
    ((NwClDeviceInfo *) devices->pdata[i])->index = (int) i;
  if (skipped_out != NULL)
    {
      g_ptr_array_add (skipped, NULL);
      *skipped_out = (GStrv) g_ptr_array_free (g_steal_pointer (&skipped), FALSE);
    }
  return devices;
}

GPtrArray *
nw_cl_list_devices (GError **error)
{
  return nw_cl_list_devices_full (NULL, error);
}

char *
nw_cl_describe_devices (GPtrArray *devices)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < devices->len; i++)
    {
      const NwClDeviceInfo *d = devices->pdata[i];
      g_string_append_printf (s, "%s%d: %s (%s): %s", i > 0 ? "\n" : "", d->index, d->name,
                              d->platform, d->why);
    }
  return g_string_free (s, FALSE);
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

NwClDeviceInfo *
nw_cl_pick_device (const char *request, const NwClOptions *options, GError **error)
{
  g_autoptr (GPtrArray) devices = NULL;
  g_auto (GStrv) skipped = NULL;
  g_autofree char *listing = NULL;
  const char *source = "requested";

  if (request == NULL && options != NULL)
    {
      request = options->device;
      source = options->device_origin != NULL ? options->device_origin : _("the options");
      if (request != NULL && *request == '\0')
        request = NULL;
    }
  devices = nw_cl_list_devices_full (&skipped, error);
  if (devices == NULL)
    return NULL;
  if (devices->len == 0)
    {
      g_autofree char *why = g_strjoinv ("; ", skipped);
      g_set_error (error, NW_ERROR, NW_ERROR_BACKEND, _("no OpenCL device found (%s)"), why);
      return NULL;
    }
  if (request == NULL)
    return nw_cl_device_info_copy (devices->pdata[0]);

  if (all_digits (request))
    {
      guint64 index = g_ascii_strtoull (request, NULL, 10);
      if (index < devices->len)
        return nw_cl_device_info_copy (devices->pdata[index]);
    }
  else
    {
      g_autofree char *needle = g_utf8_casefold (request, -1);
      for (guint i = 0; i < devices->len; i++)
        {
          const NwClDeviceInfo *d = devices->pdata[i];
          g_autofree char *name = g_utf8_casefold (d->name, -1);
          if (strstr (name, needle) != NULL)
            return nw_cl_device_info_copy (d);
        }
    }
  listing = nw_cl_describe_devices (devices);
  g_set_error (error, NW_ERROR, NW_ERROR_BACKEND,
               _("no OpenCL device matches \"%s\" (%s); the devices are:\n%s"), request, source,
               listing);
  return NULL;
}
