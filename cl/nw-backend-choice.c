/* nw-backend-choice.c: forced choices, GPU preference, and the PoCL-vs-CPU calibration. */
#include "nw-backend-choice.h"
#include "nw-i18n.h"
#include "nw-backend-cl.h"
#include "nw-cl-device.h"

#include <glib/gstdio.h>
#include <string.h>

#define CALIBRATION_WARMUP 3
#define CALIBRATION_STEPS 20         /* at least this many steps ... */
#define CALIBRATION_MIN_US 50000     /* ... and this long, */
#define CALIBRATION_MAX_US 1500000   /* but stop timing a backend after 1.5 s */

/* Steps per second of `spec` on `backend` (taken), or < 0 on failure. The steps run as the
 * programs run them, in chunks (nw_trainer_steps, fused where the backend can), doubling
 * from one step; the warm-up takes the first fused launch too, which on PoCL compiles the
 * kernel for its work-group size. */
static double
measure (const NwSpec *spec, NwDataset *data, NwBackend *backend)
{
  GError *error = NULL;
  g_autoptr (NwTrainer) t = nw_trainer_new (spec, data, backend, &error);
  gint64 start, elapsed = 0;
  int steps = 0, chunk = 1, done = 0;
  if (t == NULL)
    {
      g_clear_error (&error);
      return -1;
    }
  if (!nw_trainer_steps (t, CALIBRATION_WARMUP, NULL, &error))
    {
      g_clear_error (&error);
      return -1;
    }
  start = g_get_monotonic_time ();
  while ((steps < CALIBRATION_STEPS || elapsed < CALIBRATION_MIN_US) && elapsed < CALIBRATION_MAX_US)
    {
      if (!nw_trainer_steps (t, chunk, &done, &error))
        {
          g_clear_error (&error);
          return -1;
        }
      steps += done;
      chunk = MIN (chunk * 2, 1 << 16);
      elapsed = g_get_monotonic_time () - start;
    }
  /* Every chunk reads its losses back (divergence check), so the device has finished the
   * work counted here. */
  return steps / MAX (elapsed / 1e6, 1e-9);
}

/* The calibration's cache key: the device and the network's shape (widths and batch). */
static char *
shape_key (const NwSpec *spec, const NwClDeviceInfo *dev, const NwDataset *data)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_autoptr (GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  /* "chunks": timed with nw_trainer_steps (older entries timed single steps, which leaves
   * out the fused path). */
  g_string_append_printf (s, "chunks|%s|%s|%s|batch %d|rows %d|", dev->name, dev->platform,
                          dev->driver, spec->train.batch_size, data->train.n);
  nw_spec_validate (spec, data->train.d, data->train.k, data->n_classes, NULL, widths, NULL);
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *n = g_ptr_array_index (spec->nodes, i);
      g_string_append_printf (s, "%s:%d,", nw_node_kind_name (n->kind),
                              i < widths->len ? g_array_index (widths, int, i) : 0);
    }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, s->str, -1);
}

static char *
cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "neurowire", "backend-calibration.ini", NULL);
}

static gboolean
cached_choice (const char *key, double *cl_rate, double *cpu_rate)
{
  g_autofree char *path = cache_path ();
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  GError *error = NULL;
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  *cl_rate = g_key_file_get_double (kf, key, "opencl", &error);
  if (error == NULL)
    *cpu_rate = g_key_file_get_double (kf, key, "cpu", &error);
  if (error != NULL)
    {
      g_error_free (error);
      return FALSE;
    }
  return TRUE;
}

static void
remember_choice (const char *key, double cl_rate, double cpu_rate)
{
  g_autofree char *path = cache_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_double (kf, key, "opencl", cl_rate);
  g_key_file_set_double (kf, key, "cpu", cpu_rate);
  /* A cache: failing to write it only means calibrating again next time. */
  if (g_mkdir_with_parents (dir, 0700) == 0)
    g_key_file_save_to_file (kf, path, NULL);
}

NwTrainer *
nw_trainer_new_on_backend (const NwSpec *spec, NwBackendKind kind, const char *device,
                           const NwClOptions *options, char **why, GError **error)
{
  g_autoptr (NwDataset) data = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (NwClDeviceInfo) dev = NULL;
  GError *local = NULL;
  NwBackend *backend;
  NwTrainer *t;

  if (kind == NW_BACKEND_CPU)
    {
      t = nw_trainer_new (spec, NULL, nw_backend_cpu_new (), error);
      if (t != NULL && why != NULL)
        *why = g_strdup (_("the CPU backend, as asked"));
      return t;
    }
  if (kind == NW_BACKEND_CL)
    {
      /* Forced: any failure is the user's answer, not a reason to fall back. */
      backend = nw_backend_cl_new (device, options, error);
      if (backend == NULL)
        return NULL;
      t = nw_trainer_new (spec, NULL, backend, error);
      if (t != NULL && why != NULL)
        *why = g_strdup (_("OpenCL, as asked"));
      return t;
    }

  /* auto */
  devices = nw_cl_list_devices (&local);
  if (devices == NULL || devices->len == 0)
    {
      if (why != NULL)
        *why = local != NULL
          ? g_strdup_printf (_("the CPU backend: no OpenCL device (%s)"), local->message)
          : g_strdup (_("the CPU backend: no OpenCL device"));
      g_clear_error (&local);
      return nw_trainer_new (spec, NULL, nw_backend_cpu_new (), error);
    }
  dev = nw_cl_pick_device (device, options, &local);
  if (dev == NULL)
    {
      if (device != NULL)   /* the call named a device that is not there */
        {
          g_propagate_error (error, local);
          return NULL;
        }
      if (why != NULL)
        *why = g_strdup_printf (_("the CPU backend: %s"), local->message);
      g_clear_error (&local);
      return nw_trainer_new (spec, NULL, nw_backend_cpu_new (), error);
    }

  if (g_strcmp0 (dev->type, "GPU") == 0)
    {
      backend = nw_backend_cl_new (device, options, &local);
      if (backend != NULL)
        {
          t = nw_trainer_new (spec, NULL, backend, error);
          if (t != NULL && why != NULL)
            *why = g_strdup_printf (_("OpenCL on the GPU %s"), dev->name);
          return t;
        }
      if (why != NULL)
        *why = g_strdup_printf (_("the CPU backend: the GPU %s failed (%s)"), dev->name, local->message);
      g_clear_error (&local);
      return nw_trainer_new (spec, NULL, nw_backend_cpu_new (), error);
    }

  /* Only a CPU OpenCL device: whichever trains this network faster. */
  data = nw_dataset_new (&spec->data, NULL, error);
  if (data == NULL)
    return NULL;
  {
    g_autofree char *key = shape_key (spec, dev, data);
    double cl_rate = -1, cpu_rate = -1;
    gboolean cached = cached_choice (key, &cl_rate, &cpu_rate);
    NwDataset *copy;
    if (!cached)
      {
        NwBackend *cl = nw_backend_cl_new (device, options, &local);
        g_clear_error (&local);
        if (cl != NULL)
          {
            /* measure() consumes its dataset; hand it a load of its own. */
            copy = nw_dataset_new (&spec->data, NULL, NULL);
            cl_rate = copy != NULL ? measure (spec, copy, cl) : -1;
            if (copy == NULL)
              nw_backend_free (cl);
          }
        copy = nw_dataset_new (&spec->data, NULL, NULL);
        cpu_rate = copy != NULL ? measure (spec, copy, nw_backend_cpu_new ()) : -1;
        if (cl_rate >= 0 && cpu_rate >= 0)
          remember_choice (key, cl_rate, cpu_rate);
      }
    if (cl_rate > cpu_rate)
      {
        backend = nw_backend_cl_new (device, options, &local);
        if (backend != NULL)
          {
            if (why != NULL)
              /* Translators: why OpenCL trains: the device, its speed and the CPU backend's,
               * measured now or on an earlier run */
              *why = g_strdup_printf (cached ? _("OpenCL on %s: calibrated earlier at %.0f steps/s "
                                                 "against the CPU backend's %.0f")
                                             : _("OpenCL on %s: calibrated at %.0f steps/s against "
                                                 "the CPU backend's %.0f"),
                                      dev->name, cl_rate, cpu_rate);
            return nw_trainer_new (spec, g_steal_pointer (&data), backend, error);
          }
        g_clear_error (&local);
      }
    if (why != NULL)
      *why = cl_rate < 0
        ? g_strdup_printf (_("the CPU backend: OpenCL on %s did not work for this network"), dev->name)
        /* Translators: why the CPU trains: its speed, OpenCL's, the device */
        : g_strdup_printf (cached ? _("the CPU backend: calibrated earlier at %.0f steps/s against "
                                      "OpenCL's %.0f on %s")
                                  : _("the CPU backend: calibrated at %.0f steps/s against OpenCL's "
                                      "%.0f on %s"),
                           cpu_rate, cl_rate, dev->name);
    return nw_trainer_new (spec, g_steal_pointer (&data), nw_backend_cpu_new (), error);
  }
}
