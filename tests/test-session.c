/* test-session.c: NwSession without a display: two sessions training at once, files opened
 * and saved, bad files that leave a session as it was, loaded data in the background, and
 * the device choice through core's backend-neutral NwDevices (a test table, no OpenCL). */
#include "nw-test.h"

#include "nw-session.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* Runs the default main context until `done (data)` or `ms` passed; returns done's last. */
static gboolean
spin_until (int ms, gboolean (*done) (gpointer), gpointer data)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/* The newest step a session's runner published, or -1. Each call takes what is new. */
typedef struct {
  NwSession *session;
  gint64     step;
  gint64     target;
} Progress;

static void
progress_take (Progress *p)
{
  NwSnapshot *snap = NULL;
  NwRunnerStatus status = { 0 };
  NwRunner *runner = nw_session_get_runner (p->session);
  if (runner != NULL && nw_runner_take (runner, &snap, &status))
    {
      if (snap != NULL)
        p->step = snap->step;
      nw_snapshot_free (snap);
      nw_runner_status_clear (&status);
    }
}

static gboolean
reached (gpointer data)
{
  Progress *p = data;
  progress_take (p);
  return p->step >= p->target;
}

static NwSession *
session_new (NwJobs *jobs)
{
  NwSessionOptions options = { .backend = NW_BACKEND_CPU, .jobs = jobs };
  return nw_session_new (&options);
}

static NwSession *
session_open (const char *example, NwJobs *jobs)
{
  g_autofree char *path = nw_test_source_path (example);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  NwSession *s = session_new (jobs);
  CU_ASSERT (nw_session_open (s, file, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (nw_session_get_valid (s));
  CU_ASSERT_PTR_NOT_NULL (nw_session_get_runner (s));
  CU_ASSERT (!nw_session_get_modified (s));
  return s;
}

static gboolean
not_playing (gpointer data)
{
  return !nw_session_get_playing (data);
}

/* Two sessions on different networks train at the same time, each on its own runner: pausing
 * one leaves the other going, and both free cleanly while playing. */
static void
test_two_sessions (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *a = session_open ("examples/xor-2-2-1.json", jobs);
  NwSession *b = session_open ("examples/circle-relu.json", jobs);
  Progress pa = { a, -1, 500 }, pb = { b, -1, 500 };
  gint64 paused_at;

  CU_ASSERT_PTR_NOT_EQUAL (nw_session_get_runner (a), nw_session_get_runner (b));
  CU_ASSERT_STRING_NOT_EQUAL (nw_session_get_spec (a)->name, nw_session_get_spec (b)->name);
  nw_session_set_playing (a, TRUE);
  nw_session_set_playing (b, TRUE);
  CU_ASSERT (nw_session_get_playing (a) && nw_session_get_playing (b));
  CU_ASSERT (spin_until (20000, reached, &pa));
  CU_ASSERT (spin_until (20000, reached, &pb));
  g_print ("  both playing: a at step %" G_GINT64_FORMAT ", b at %" G_GINT64_FORMAT "\n",
           pa.step, pb.step);
  /* circle-relu's budget is 500 steps: b paused itself there; Continue goes on without it. */
  CU_ASSERT (spin_until (10000, not_playing, b));
  CU_ASSERT_EQUAL (nw_session_get_paused_by (b, NULL), NW_PAUSE_BUDGET);
  nw_session_set_playing (b, TRUE);

  /* a pauses; b goes on, a stays where it stopped. */
  nw_session_set_playing (a, FALSE);
  CU_ASSERT (!nw_session_get_playing (a));
  g_usleep (100000);
  progress_take (&pa);
  nw_runner_request_snapshot (nw_session_get_runner (a));
  g_usleep (50000);
  progress_take (&pa);
  paused_at = pa.step;
  pb.target = pb.step + 2000;
  CU_ASSERT (spin_until (20000, reached, &pb));
  nw_runner_request_snapshot (nw_session_get_runner (a));
  g_usleep (50000);
  progress_take (&pa);
  CU_ASSERT_EQUAL (pa.step, paused_at);
  g_print ("  a paused at %" G_GINT64_FORMAT ", b went on to %" G_GINT64_FORMAT "\n",
           paused_at, pb.step);

  /* Different networks: different layers. */
  {
    int na, nb;
    nw_session_get_layers (a, &na);
    nw_session_get_layers (b, &nb);
    CU_ASSERT (na > 0 && nb > 0);
  }
  g_object_unref (a);
  g_object_unref (b);   /* still playing: its worker stops and is joined */
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  GError **error = data;
  CU_ASSERT (nw_session_save_finish (NW_SESSION (source), result, error));
}

static gboolean
error_or_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_saved_flag (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;
  GError *error = NULL;
  CU_ASSERT (nw_session_save_finish (NW_SESSION (source), result, &error));
  NW_ASSERT_NO_ERROR (error);
  *done = TRUE;
}

/* A changed network saved (asynchronously, from a copy) and opened again in another session
 * is the same network; the first session is no longer modified and has the new file. */
static void
test_open_save_round_trip (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *s = session_open ("examples/xor-deep-sigmoid.json", jobs);
  NwSession *t;
  NwTrainSpec train = nw_session_get_spec (s)->train;
  g_autofree char *path = nw_test_path ("saved.json");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *json_s = NULL, *json_t = NULL;
  GError *error = NULL;
  gboolean done = FALSE;

  train.lr = 0.37;
  train.optimizer = NW_OPT_ADAM;
  nw_session_set_train (s, &train);
  CU_ASSERT (nw_session_get_modified (s));
  nw_session_save_async (s, file, NULL, on_saved_flag, &done);
  CU_ASSERT (spin_until (10000, error_or_done, &done));
  CU_ASSERT (!nw_session_get_modified (s));
  CU_ASSERT (nw_session_get_file (s) != NULL && g_file_equal (nw_session_get_file (s), file));

  t = session_new (jobs);
  CU_ASSERT (nw_session_open (t, file, &error));
  NW_ASSERT_NO_ERROR (error);
  json_s = nw_spec_to_json (nw_session_get_spec (s));
  json_t = nw_spec_to_json (nw_session_get_spec (t));
  CU_ASSERT_STRING_EQUAL (json_s, json_t);
  CU_ASSERT_DOUBLE_EQUAL (nw_session_get_spec (t)->train.lr, 0.37, 1e-12);

  /* The synchronous save too, to a file that cannot be written: an error, nothing changed. */
  train.lr = 0.5;
  nw_session_set_train (t, &train);
  {
    g_autoptr (GFile) bad = g_file_new_for_path ("/nonexistent-dir/x.json");
    CU_ASSERT (!nw_session_save (t, bad, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, -1, "nonexistent-dir");
    CU_ASSERT (nw_session_get_modified (t));
    CU_ASSERT (g_file_equal (nw_session_get_file (t), file));
  }
  (void) on_saved;
  g_object_unref (s);
  g_object_unref (t);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* Files that do not load, or load but cannot train, leave the session as it was: the same
 * network (the same object), file, modified state and runner. */
static void
test_bad_file_leaves_session (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *s = session_open ("examples/xor-2-2-1.json", jobs);
  const NwSpec *before = nw_session_get_spec (s);
  NwRunner *runner = nw_session_get_runner (s);
  GFile *file_before = nw_session_get_file (s);
  guint generation = nw_session_get_generation (s);
  NwTrainSpec train = before->train;
  static const struct { const char *name, *text, *expect; } bad[] = {
    { "truncated.json", "{\"format\": \"neurowire-spec\", \"nodes\": [", "truncated.json" },
    { "unknown-field.json",
      "{\"format\": \"neurowire-spec\", \"version\": 1, \"nodez\": []}", "nodez" },
    /* Loads, but the graph is broken: a dense layer reads a node that does not exist. */
    { "dangling.json",
      "{\"format\": \"neurowire-spec\", \"version\": 1, \"nodes\": ["
      "{\"id\": \"input\", \"type\": \"input\"},"
      "{\"id\": \"fc\", \"type\": \"dense\", \"units\": 1},"
      "{\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce_logits\"}],"
      "\"edges\": [{\"from\": \"input\", \"to\": \"fc\"},"
      "{\"from\": \"nowhere\", \"to\": \"loss\"}],"
      "\"data\": {\"kind\": \"xor\"}}", "nowhere" },
  };

  train.lr = 0.25;   /* an unsaved change that must survive */
  nw_session_set_train (s, &train);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = nw_test_write (bad[i].name, bad[i].text, strlen (bad[i].text));
      g_autoptr (GFile) file = g_file_new_for_path (path);
      GError *error = NULL;
      CU_ASSERT (!nw_session_open (s, file, &error));
      CU_ASSERT_PTR_NOT_NULL (error);
      if (error != NULL)
        {
          g_print ("  %s: %s\n", bad[i].name, error->message);
          CU_ASSERT (strstr (error->message, bad[i].expect) != NULL);
          g_clear_error (&error);
        }
      CU_ASSERT_PTR_EQUAL (nw_session_get_spec (s), before);
      CU_ASSERT_PTR_EQUAL (nw_session_get_runner (s), runner);
      CU_ASSERT_PTR_EQUAL (nw_session_get_file (s), file_before);
      CU_ASSERT_EQUAL (nw_session_get_generation (s), generation);
      CU_ASSERT (nw_session_get_modified (s));
      CU_ASSERT_DOUBLE_EQUAL (nw_session_get_spec (s)->train.lr, 0.25, 1e-12);
    }

  /* Weights that do not fit: refused, training as it was. */
  {
    g_autofree char *path = nw_test_write ("bad.safetensors", "not safetensors", 15);
    g_autoptr (GFile) file = g_file_new_for_path (path);
    GError *error = NULL;
    CU_ASSERT (!nw_session_load_weights (s, file, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, -1, "bad.safetensors");
    CU_ASSERT_EQUAL (nw_session_get_generation (s), generation);
  }
  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

static void
on_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  GError **error = data;
  gboolean ok = nw_session_open_finish (NW_SESSION (source), result, error);
  CU_ASSERT (ok == (*error == NULL));
  if (*error == NULL)
    *error = g_error_new_literal (NW_ERROR, 0, "opened");   /* "done" marker */
}

static gboolean
set (gpointer data)
{
  return *(GError **) data != NULL;
}

static void
count_signal (gpointer instance, gpointer data)
{
  (*(int *) data)++;
}

static void
count_status (gpointer instance, const char *text, gboolean error, gpointer data)
{
  (*(int *) data)++;
}

/* A network whose data is a CSV file opens in the background (open_async finishes once it is
 * in place); one whose file is missing fails there and leaves the session as it was. */
static void
test_open_async_loaded_data (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *s = session_open ("examples/xor-2-2-1.json", jobs);
  const NwSpec *before = nw_session_get_spec (s);
  g_autoptr (GString) csv = g_string_new ("x,y,label\n");
  g_autofree char *csv_path = NULL, *spec_path = NULL, *missing_path = NULL, *json = NULL;
  g_autoptr (GFile) spec_file = NULL;
  g_autoptr (GFile) missing_file = NULL;
  GError *error = NULL;
  int spec_changed = 0, statuses = 0;

  for (int i = 0; i < 40; i++)
    g_string_append_printf (csv, "%g,%g,%d\n", (i % 7) / 7.0 - 0.5, (i % 5) / 5.0 - 0.5,
                            (i % 7 < 3) ^ (i % 5 < 2));
  csv_path = nw_test_write ("points.csv", csv->str, csv->len);
  json = g_strdup_printf ("{\"format\": \"neurowire-spec\", \"version\": 1, \"name\": \"CSV\","
                          "\"nodes\": [{\"id\": \"input\", \"type\": \"input\"},"
                          "{\"id\": \"fc\", \"type\": \"dense\", \"units\": 1},"
                          "{\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce_logits\"}],"
                          "\"data\": {\"kind\": \"csv\", \"path\": \"%s\"}}", csv_path);
  spec_path = nw_test_write ("csv-net.json", json, strlen (json));
  spec_file = g_file_new_for_path (spec_path);
  g_signal_connect (s, "spec-changed", G_CALLBACK (count_signal), &spec_changed);
  g_signal_connect (s, "data-status", G_CALLBACK (count_status), &statuses);

  nw_session_open_async (s, spec_file, NULL, on_opened, &error);
  CU_ASSERT (nw_session_get_busy (s));
  CU_ASSERT_PTR_EQUAL (nw_session_get_spec (s), before);   /* until the data is there */
  CU_ASSERT (spin_until (10000, set, &error));
  CU_ASSERT (g_error_matches (error, NW_ERROR, 0) && strcmp (error->message, "opened") == 0);
  g_clear_error (&error);
  CU_ASSERT (!nw_session_get_busy (s));
  CU_ASSERT_STRING_EQUAL (nw_session_get_spec (s)->name, "CSV");
  CU_ASSERT_EQUAL (spec_changed, 1);
  CU_ASSERT (statuses >= 1);
  /* 2D points from the file: the session edits them. */
  CU_ASSERT (nw_session_get_points (s) != NULL && nw_session_get_points (s)->len == 40);
  CU_ASSERT (nw_session_get_valid (s));

  /* The same network with its CSV file gone: fails in the background, nothing changes. */
  before = nw_session_get_spec (s);
  missing_path = g_strdup (csv_path);
  g_remove (missing_path);
  missing_file = g_file_new_for_path (spec_path);
  nw_session_open_async (s, missing_file, NULL, on_opened, &error);
  CU_ASSERT (spin_until (10000, set, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  if (error != NULL)
    {
      g_print ("  missing CSV: %s\n", error->message);
      CU_ASSERT (strstr (error->message, "points.csv") != NULL);
      g_clear_error (&error);
    }
  CU_ASSERT_PTR_EQUAL (nw_session_get_spec (s), before);
  CU_ASSERT_EQUAL (spec_changed, 1);
  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

static void
keep_text (gpointer instance, const char *text, gpointer data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup (text);
}

/* The data folder is the session's option, not the environment: an MNIST network without a
 * path looks under options.data_root (NEUROWIRE_DATA_DIR names another folder here, which
 * must not matter), and the message for missing files names that folder and the command that
 * fetches into it. */
static void
test_data_root (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  g_autofree char *root = nw_test_path ("session-data-root");
  g_autofree char *folder = g_build_filename (root, "mnist", NULL);
  g_autofree char *quoted = g_shell_quote (folder);
  g_autofree char *command = g_strdup_printf ("bash tools/fetch-mnist.sh %s", quoted);
  g_autofree char *example = nw_test_source_path ("examples/mnist-mlp.json");
  g_autofree char *saved = g_strdup (g_getenv ("NEUROWIRE_DATA_DIR"));
  g_autofree char *failed = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (example);
  NwSessionOptions options = { .backend = NW_BACKEND_CPU, .jobs = jobs, .data_root = root };
  NwSession *s;
  GError *error = NULL;

  g_mkdir_with_parents (root, 0700);
  g_setenv ("NEUROWIRE_DATA_DIR", "/not/read/by/core", TRUE);
  s = nw_session_new (&options);
  g_signal_connect (s, "data-failed", G_CALLBACK (keep_text), &failed);
  nw_session_open_async (s, file, NULL, on_opened, &error);
  CU_ASSERT (spin_until (10000, set, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  g_clear_error (&error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (failed);
  g_print ("  missing MNIST: %s\n", failed);
  CU_ASSERT (strstr (failed, folder) != NULL);
  CU_ASSERT (strstr (failed, command) != NULL);
  CU_ASSERT (strstr (failed, "/not/read") == NULL);
  if (saved != NULL)
    g_setenv ("NEUROWIRE_DATA_DIR", saved, TRUE);
  else
    g_unsetenv ("NEUROWIRE_DATA_DIR");
  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* ---- the device choice through a test NwDevices ---------------------------------------- */

/* One "device": CPU backends it made itself, which it names "t0". Counts its calls. */
typedef struct {
  GMutex     lock;
  GPtrArray *made;      /* backends it made (borrowed pointers, compared only) */
  int        chooses, opens, lists;
  /* gated: the listing waits, inside the worker, until the test opens the gate */
  gboolean   gated;
  gint       in_list, gate_open;   /* atomics: plain flags TSan sees (GMutex it cannot) */
} Fake;

static GPtrArray *
fake_list (gpointer impl, GError **error)
{
  Fake *f = impl;
  GPtrArray *list;
  if (f->gated)
    {
      g_atomic_int_set (&f->in_list, 1);
      while (!g_atomic_int_get (&f->gate_open))
        g_usleep (1000);
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_device_info_free);
  f->lists++;
  g_ptr_array_add (list, nw_device_info_new ("t0", "Test device", "GPU", "made up"));
  return list;
}

static NwBackend *
fake_open (gpointer impl, const char *id, GError **error)
{
  Fake *f = impl;
  NwBackend *b;
  if (id != NULL && strcmp (id, "t0") != 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_BACKEND, "no device “%s”", id);
      return NULL;
    }
  b = nw_backend_cpu_new ();
  g_mutex_lock (&f->lock);
  g_ptr_array_add (f->made, b);
  g_mutex_unlock (&f->lock);
  f->opens++;
  return b;
}

static NwTrainer *
fake_choose (gpointer impl, const NwSpec *spec, NwBackendKind kind, const char *id, char **why,
             GError **error)
{
  Fake *f = impl;
  NwBackend *b = fake_open (impl, id, error);
  f->chooses++;
  if (b == NULL)
    return NULL;
  if (why != NULL)
    *why = g_strdup ("the test device, by choice");
  return nw_trainer_new (spec, NULL, b, error);
}

static char *
fake_device_id (gpointer impl, NwBackend *backend)
{
  Fake *f = impl;
  gboolean ours;
  g_mutex_lock (&f->lock);
  ours = g_ptr_array_find (f->made, backend, NULL);
  g_mutex_unlock (&f->lock);
  return ours ? g_strdup ("t0") : NULL;
}

static const NwDevicesFuncs fake_funcs = {
  .list = fake_list, .open = fake_open, .choose = fake_choose, .device_id = fake_device_id,
};

typedef struct {
  NwSession *session;
  gboolean   settled;
} DeviceWait;

static gboolean
device_settled (gpointer data)
{
  NwSession *s = data;
  return nw_session_get_device_state (s) == NULL;
}

static gboolean
devices_listed (gpointer data)
{
  return nw_session_get_devices (NW_SESSION (data)) != NULL;
}

/* AUTO asks the device table in the background and moves the running trainer to what it
 * chose between two steps, carrying the step count; a held choice waits for the release;
 * the listing comes from the table; CPU moves it back. */
static void
test_device_choice (void)
{
  Fake fake = { 0 };
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwDevices *devices;
  NwSession *s;
  NwSessionOptions options = { .backend = NW_BACKEND_AUTO, .jobs = jobs,
                               .hold_device_choice = TRUE };
  g_autofree char *path = nw_test_source_path ("examples/xor-2-2-1.json");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GError *error = NULL;
  Progress p;

  g_mutex_init (&fake.lock);
  fake.made = g_ptr_array_new ();
  devices = nw_devices_new (&fake_funcs, &fake);
  options.devices = devices;
  s = nw_session_new (&options);
  CU_ASSERT (nw_session_open (s, file, &error));
  NW_ASSERT_NO_ERROR (error);
  /* No budget: the run goes on past the example's 10,001 steps while devices change. */
  {
    NwTrainSpec train = nw_session_get_spec (s)->train;
    train.steps = train.epochs = 0;
    nw_session_set_train (s, &train);
  }
  /* Held: built on the CPU at once, nothing chosen yet. */
  CU_ASSERT (g_str_has_prefix (nw_session_get_device_description (s), "CPU"));
  g_usleep (50000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  CU_ASSERT_EQUAL (fake.chooses, 0);

  p = (Progress) { s, -1, 200 };
  nw_session_set_playing (s, TRUE);
  CU_ASSERT (spin_until (10000, reached, &p));
  nw_session_release_device_choice (s);
  CU_ASSERT_STRING_EQUAL (nw_session_get_device_state (s), "choosing a device");
  CU_ASSERT (spin_until (10000, device_settled, s));
  CU_ASSERT_EQUAL (fake.chooses, 1);
  CU_ASSERT_STRING_EQUAL (nw_session_get_device_why (s), "the test device, by choice");
  g_print ("  on %s: %s\n", nw_session_get_device_description (s), nw_session_get_device_why (s));
  /* The run went on from where it was, on the new backend. */
  p.target = p.step + 500;
  CU_ASSERT (spin_until (10000, reached, &p));

  nw_session_list_devices (s);
  CU_ASSERT (spin_until (10000, devices_listed, s));
  CU_ASSERT_EQUAL (nw_session_get_devices (s)->len, 1);
  CU_ASSERT_STRING_EQUAL (nw_device_info_get_name (g_ptr_array_index (nw_session_get_devices (s), 0)),
                          "Test device");

  /* A device that is not there: the choice fails, the run stays where it is and says why. */
  nw_session_set_device (s, NW_BACKEND_CL, "t9");
  CU_ASSERT (spin_until (10000, device_settled, s));
  CU_ASSERT (strstr (nw_session_get_device_why (s), "t9") != NULL);
  p.target = p.step + 200;
  CU_ASSERT (spin_until (10000, reached, &p));

  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
  nw_devices_unref (devices);
  g_ptr_array_unref (fake.made);
  g_mutex_clear (&fake.lock);
}

static gboolean
in_list (gpointer data)
{
  return g_atomic_int_get (&((Fake *) data)->in_list);
}

static gboolean
listing_done (gpointer data)
{
  NwSession *s = data;
  return nw_session_get_devices (s) != NULL && !nw_session_get_listing_devices (s);
}

/* A choice called off (the user picked the CPU) while its worker lists the devices: the
 * list still reaches the menu, and the worker's cancelled path hands it to the main thread as
 * visibly as a finished choice does (under ThreadSanitizer, session-tsan: before that path
 * announced its hand-off, reading the list in on_chosen was reported as a race). */
static void
test_device_choice_called_off (void)
{
  Fake fake = { .gated = TRUE };
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwDevices *devices;
  NwSession *s;
  NwSessionOptions options = { .backend = NW_BACKEND_AUTO, .jobs = jobs,
                               .hold_device_choice = TRUE };
  g_autofree char *path = nw_test_source_path ("examples/xor-2-2-1.json");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GError *error = NULL;
  GPtrArray *found;

  g_mutex_init (&fake.lock);
  fake.made = g_ptr_array_new ();
  devices = nw_devices_new (&fake_funcs, &fake);
  options.devices = devices;
  s = nw_session_new (&options);
  CU_ASSERT (nw_session_open (s, file, &error));
  NW_ASSERT_NO_ERROR (error);
  nw_session_release_device_choice (s);
  CU_ASSERT_STRING_EQUAL (nw_session_get_device_state (s), "choosing a device");
  CU_ASSERT (spin_until (10000, in_list, &fake));
  /* The worker is inside the listing: call the choice off, then let it go on. */
  nw_session_set_device (s, NW_BACKEND_CPU, NULL);
  CU_ASSERT (nw_session_get_device_state (s) == NULL);
  g_atomic_int_set (&fake.gate_open, 1);
  CU_ASSERT (spin_until (10000, listing_done, s));
  found = nw_session_get_devices (s);
  CU_ASSERT_FATAL (found != NULL && found->len == 1);
  CU_ASSERT_STRING_EQUAL (nw_device_info_get_name (g_ptr_array_index (found, 0)), "Test device");
  CU_ASSERT_STRING_EQUAL (nw_device_info_get_id (g_ptr_array_index (found, 0)), "t0");
  /* Called off before it chose: nothing chosen, nothing moved. */
  CU_ASSERT_EQUAL (fake.chooses, 0);
  CU_ASSERT (g_str_has_prefix (nw_session_get_device_description (s), "CPU"));
  CU_ASSERT (nw_session_get_device_state (s) == NULL);

  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
  nw_devices_unref (devices);
  g_ptr_array_unref (fake.made);
  g_mutex_clear (&fake.lock);
}

/* The devices can be listed before the session has a network (the listing copied the network
 * for nothing, and crashed without one). */
static void
test_device_list_without_network (void)
{
  Fake fake = { 0 };
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwDevices *devices;
  NwSession *s;
  NwSessionOptions options = { .backend = NW_BACKEND_CPU, .jobs = jobs };

  g_mutex_init (&fake.lock);
  fake.made = g_ptr_array_new ();
  devices = nw_devices_new (&fake_funcs, &fake);
  options.devices = devices;
  s = nw_session_new (&options);
  CU_ASSERT (nw_session_get_runner (s) == NULL);
  nw_session_list_devices (s);
  CU_ASSERT (nw_session_get_listing_devices (s));
  CU_ASSERT_FATAL (spin_until (10000, listing_done, s));
  CU_ASSERT_EQUAL (nw_session_get_devices (s)->len, 1);
  CU_ASSERT_EQUAL (fake.lists, 1);
  CU_ASSERT_EQUAL (fake.chooses, 0);
  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
  nw_devices_unref (devices);
  g_ptr_array_unref (fake.made);
  g_mutex_clear (&fake.lock);
}

/* Two sessions (two windows) share the program's device table: its lock serialises their
 * workers' calls, and ThreadSanitizer sees it do so (session-tsan; before the table announced
 * its lock, the second listing's count of the table's calls was reported as a race with the
 * first's). */
static void
test_device_table_shared (void)
{
  Fake fake = { .gated = TRUE };
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwDevices *devices;
  NwSession *a, *b;
  NwSessionOptions options = { .backend = NW_BACKEND_CPU, .jobs = jobs };

  g_mutex_init (&fake.lock);
  fake.made = g_ptr_array_new ();
  devices = nw_devices_new (&fake_funcs, &fake);
  options.devices = devices;
  a = nw_session_new (&options);
  b = nw_session_new (&options);
  nw_session_list_devices (a);
  CU_ASSERT (spin_until (10000, in_list, &fake));
  /* a's worker is inside the table; b's waits for it. */
  nw_session_list_devices (b);
  g_usleep (20000);
  g_atomic_int_set (&fake.gate_open, 1);
  CU_ASSERT (spin_until (10000, listing_done, a));
  CU_ASSERT (spin_until (10000, listing_done, b));
  CU_ASSERT_EQUAL (fake.lists, 2);
  g_object_unref (a);
  g_object_unref (b);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
  nw_devices_unref (devices);
  g_ptr_array_unref (fake.made);
  g_mutex_clear (&fake.lock);
}

static void
on_weights_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  GError *error = NULL;
  CU_ASSERT (nw_session_save_weights_finish (NW_SESSION (source), result, &error));
  NW_ASSERT_NO_ERROR (error);
  *(gboolean *) data = TRUE;
}

/* Weights saved from the trainer's own thread while it plays load back into another session
 * of the same network, which then starts from them (paused, a new generation). */
static void
test_weights_round_trip (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *a = session_open ("examples/xor-2-2-1.json", jobs);
  NwSession *b = session_open ("examples/xor-2-2-1.json", jobs);
  g_autofree char *path = nw_test_path ("w.safetensors");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  Progress p = { a, -1, 300 };
  gboolean saved = FALSE;
  guint generation = nw_session_get_generation (b);
  GError *error = NULL;
  int weights_loaded = 0;

  nw_session_set_playing (a, TRUE);
  CU_ASSERT (spin_until (10000, reached, &p));
  nw_session_save_weights_async (a, file, on_weights_saved, &saved);
  CU_ASSERT (spin_until (10000, error_or_done, &saved));
  CU_ASSERT (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_signal_connect (b, "weights-loaded", G_CALLBACK (count_signal), &weights_loaded);
  CU_ASSERT (nw_session_load_weights (b, file, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (weights_loaded, 1);
  CU_ASSERT (nw_session_get_generation (b) == generation + 1);
  CU_ASSERT (!nw_session_get_playing (b));
  g_object_unref (a);
  g_object_unref (b);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* "paused" signals, recorded. */
typedef struct {
  int           n;
  NwPauseReason reason;
  gint64        step;
} Paused;

static void
on_paused (NwSession *s, int reason, gint64 step, Paused *p)
{
  CU_ASSERT (!nw_session_get_playing (s));   /* playing followed before the signal */
  p->n++;
  p->reason = reason;
  p->step = step;
}

static void
count_notify (GObject *obj, GParamSpec *pspec, int *n)
{
  (*n)++;
}

/* The spec's training.steps is a budget: the run stops exactly there by itself, the session's
 * "playing" follows without anyone taking snapshots, and "paused" says why; Play (Continue)
 * then goes on without the budget; a reset arms it again. */
static void
test_budget_then_continue (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *s = session_open ("examples/xor-2-2-1.json", jobs);
  Paused paused = { 0 };
  Progress p = { s, -1, 0 };
  int playing_notes = 0;
  gint64 at = -1;

  CU_ASSERT_EQUAL (nw_session_get_spec (s)->train.steps, 10001);
  CU_ASSERT_EQUAL (nw_session_get_paused_by (s, NULL), NW_PAUSE_USER);
  g_signal_connect (s, "paused", G_CALLBACK (on_paused), &paused);
  g_signal_connect (s, "notify::playing", G_CALLBACK (count_notify), &playing_notes);
  nw_session_set_playing (s, TRUE);
  CU_ASSERT_EQUAL (nw_session_get_paused_by (s, NULL), NW_PAUSE_NONE);
  CU_ASSERT (spin_until (20000, not_playing, s));
  CU_ASSERT_EQUAL (playing_notes, 2);   /* on, then off by itself */
  CU_ASSERT_EQUAL (paused.n, 1);
  CU_ASSERT_EQUAL (paused.reason, NW_PAUSE_BUDGET);
  CU_ASSERT_EQUAL (paused.step, 10001);
  CU_ASSERT_EQUAL (nw_session_get_paused_by (s, &at), NW_PAUSE_BUDGET);
  CU_ASSERT_EQUAL (at, 10001);
  /* The snapshot there says so too. */
  {
    NwSnapshot *snap = NULL;
    NwRunnerStatus st = { 0 };
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < end
           && !(nw_runner_take (nw_session_get_runner (s), &snap, &st) && snap != NULL
                && !st.playing))
      {
        g_clear_pointer (&snap, nw_snapshot_free);
        nw_runner_status_clear (&st);
        g_usleep (2000);
      }
    CU_ASSERT_PTR_NOT_NULL_FATAL (snap);
    CU_ASSERT_EQUAL (snap->step, 10001);
    CU_ASSERT_EQUAL (st.paused_by, NW_PAUSE_BUDGET);
    CU_ASSERT_EQUAL (st.paused_at_step, 10001);
    nw_snapshot_free (snap);
    nw_runner_status_clear (&st);
  }

  /* Continue: past the budget, until paused by hand. */
  nw_session_set_playing (s, TRUE);
  p.target = 12000;
  CU_ASSERT (spin_until (20000, reached, &p));
  CU_ASSERT (nw_session_get_playing (s));
  nw_session_set_playing (s, FALSE);
  CU_ASSERT_EQUAL (nw_session_get_paused_by (s, NULL), NW_PAUSE_USER);
  CU_ASSERT_EQUAL (paused.n, 1);

  /* A reset arms it again. */
  nw_session_reset (s);
  nw_session_set_playing (s, TRUE);
  CU_ASSERT (spin_until (20000, not_playing, s));
  CU_ASSERT_EQUAL (paused.n, 2);
  CU_ASSERT_EQUAL (paused.reason, NW_PAUSE_BUDGET);
  CU_ASSERT_EQUAL (paused.step, 10001);
  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* The pace is the session's: kept across a reset and a new network, and the runner keeps it:
 * at 200 steps/s, 0.5 s of play is about 100 steps. The upper bound is the pace's own
 * guarantee (a step is never taken before its due time: 1 + 200 x the elapsed time, measured
 * around the play, over-estimated); the lower bound, a quarter of that, allows for a worker
 * descheduled on a loaded 2-core machine (a lag of over 0.1 s is forgiven, not caught up). */
static void
test_pace_kept (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *s = session_open ("examples/xor-deep-sigmoid.json", jobs);
  g_autofree char *path = nw_test_source_path ("examples/xor-2-2-1.json");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  Progress p = { s, -1, 0 };
  int notes = 0;
  gint64 t0, t1;
  double max_steps;

  CU_ASSERT_EQUAL (nw_session_get_pace (s), 0);   /* free play: full speed */
  g_signal_connect (s, "notify::pace", G_CALLBACK (count_notify), &notes);
  nw_session_set_pace (s, 200);
  nw_session_set_pace (s, 200);
  CU_ASSERT_EQUAL (notes, 1);
  nw_session_reset (s);
  CU_ASSERT_EQUAL (nw_session_get_pace (s), 200);
  CU_ASSERT (nw_session_open (s, file, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (nw_session_get_pace (s), 200);
  {
    double pace = 0;
    g_object_get (s, "pace", &pace, NULL);
    CU_ASSERT_EQUAL (pace, 200);
  }

  t0 = g_get_monotonic_time ();
  nw_session_set_playing (s, TRUE);
  g_usleep (500000);
  nw_session_set_playing (s, FALSE);
  t1 = g_get_monotonic_time ();
  nw_runner_request_snapshot (nw_session_get_runner (s));
  p.target = 1;
  CU_ASSERT (spin_until (5000, reached, &p));
  g_usleep (50000);
  progress_take (&p);
  max_steps = 1 + 200.0 * (t1 - t0) / 1e6;
  g_print ("  200 steps/s for %.3f s: %" G_GINT64_FORMAT " steps (at most %.0f)\n",
           (t1 - t0) / 1e6, p.step, max_steps);
  CU_ASSERT (p.step <= max_steps);
  CU_ASSERT (p.step >= 0.25 * 200 * 0.5);
  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* A condition pauses the run at its step exactly; "playing" follows the runner's own pause
 * with nobody taking snapshots; the condition is spent. */
static void
test_playing_follows_runner (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *s = session_open ("examples/xor-deep-sigmoid.json", jobs);
  Paused paused = { 0 };
  NwPauseWhen when = NW_PAUSE_WHEN_NONE;
  gint64 at = -1;

  g_signal_connect (s, "paused", G_CALLBACK (on_paused), &paused);
  when.at_step = 6300;
  nw_session_pause_when (s, &when);
  nw_session_set_playing (s, TRUE);
  CU_ASSERT (spin_until (20000, not_playing, s));
  CU_ASSERT_EQUAL (paused.n, 1);
  CU_ASSERT_EQUAL (paused.reason, NW_PAUSE_AT_STEP);
  CU_ASSERT_EQUAL (paused.step, 6300);
  CU_ASSERT_EQUAL (nw_session_get_paused_by (s, &at), NW_PAUSE_AT_STEP);
  CU_ASSERT_EQUAL (at, 6300);
  /* Spent: playing on reaches the budget (10,001), not 6300 again. */
  nw_session_set_playing (s, TRUE);
  CU_ASSERT (spin_until (20000, not_playing, s));
  CU_ASSERT_EQUAL (paused.n, 2);
  CU_ASSERT_EQUAL (paused.reason, NW_PAUSE_BUDGET);
  CU_ASSERT_EQUAL (paused.step, 10001);
  g_object_unref (s);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

static const NwTestCase session_cases[] = {
  { "the budget stops the run; Continue goes on", test_budget_then_continue },
  { "the pace is kept across resets and networks", test_pace_kept },
  { "playing follows the runner's own pause", test_playing_follows_runner },
  { "two sessions train at once", test_two_sessions },
  { "open and save round trip", test_open_save_round_trip },
  { "a bad file leaves the session", test_bad_file_leaves_session },
  { "loaded data opens in the background", test_open_async_loaded_data },
  { "the data folder is an option, named when MNIST is missing", test_data_root },
  { "the device choice through NwDevices", test_device_choice },
  { "a device choice called off while it lists", test_device_choice_called_off },
  { "the devices listed before any network", test_device_list_without_network },
  { "two sessions share the device table", test_device_table_shared },
  { "weights saved from the trainer's thread load back", test_weights_round_trip },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "session", session_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
