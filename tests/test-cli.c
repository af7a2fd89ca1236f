/* test-cli.c: neurowire-cli as a user runs it: help, info on every example, training with
 * JSON progress, save/eval round trips, the `step` hook, and bad input of every kind failing
 * with one line on stderr that names the culprit, and writing nothing. */
#include "nw-test.h"
#include "nw-safetensors.h"
#include "nw-lesson.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

/* ---- running the tool ------------------------------------------------------------------- */

typedef struct {
  int      status;     /* exit status; -1 if it did not exit (a crash) */
  char    *out, *err;
} Run;

static void
run_free (Run *r)
{
  if (r == NULL)
    return;
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static char *
cli_path (void)
{
  const char *build = g_getenv ("NW_BUILD_DIR");
  return g_build_filename (build != NULL ? build : ".", "app", "neurowire-cli", NULL);
}

static char *
example (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("examples/%s", name);
  return nw_test_source_path (rel);
}

/* Runs neurowire-cli with the NULL-terminated arguments. */
static Run *
run_cli (const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  Run *r = g_new0 (Run, 1);
  int wait_status = 0;
  va_list ap;

  g_ptr_array_add (argv, cli_path ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out,
                     &r->err, &wait_status, &error))
    {
      g_printerr ("cannot run %s: %s\n", (char *) argv->pdata[0], error->message);
      CU_FAIL_FATAL ("cannot run neurowire-cli");
    }
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return r;
}

static int
count_lines (const char *text)
{
  int n = 0;
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* The run failed with `status` (-1: any failure), printed nothing on stdout and exactly one
 * line on stderr, "neurowire-cli: ...", containing every NULL-terminated needle. */
static void
assert_failed (const Run *r, int status, ...)
{
  va_list ap;
  const char *needle;

  CU_ASSERT (r->status > 0);
  if (status >= 0)
    CU_ASSERT_EQUAL (r->status, status);
  if (r->status <= 0 || (status >= 0 && r->status != status))
    g_printerr ("unexpected exit status %d: %s", r->status, r->err);
  CU_ASSERT_STRING_EQUAL (r->out, "");
  CU_ASSERT_EQUAL (count_lines (r->err), 1);
  CU_ASSERT (g_str_has_prefix (r->err, "neurowire-cli: "));
  CU_ASSERT (g_str_has_suffix (r->err, "\n"));
  CU_ASSERT (strstr (r->err, "CRITICAL") == NULL && strstr (r->err, "WARNING") == NULL);
  va_start (ap, status);
  while ((needle = va_arg (ap, const char *)) != NULL)
    if (strstr (r->err, needle) == NULL)
      {
        g_printerr ("error line \"%s\" lacks \"%s\"\n", g_strchomp (g_strdup (r->err)), needle);
        CU_FAIL ("error line lacks an expected part");
      }
  va_end (ap);
}

static void
assert_ok (const Run *r)
{
  if (r->status != 0)
    g_printerr ("neurowire-cli failed (%d): %s", r->status, r->err);
  CU_ASSERT_EQUAL_FATAL (r->status, 0);
  CU_ASSERT_STRING_EQUAL (r->err, "");
}

/* Every stdout line as a JSON object (each must parse). */
static GPtrArray *
json_lines (const char *text)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      JsonNode *root;
      if (lines[i][0] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, &error))
        {
          g_printerr ("not JSON: %s (%s)\n", lines[i], error->message);
          CU_FAIL ("an output line is not JSON");
          continue;
        }
      root = json_parser_get_root (parser);
      CU_ASSERT_FATAL (JSON_NODE_HOLDS_OBJECT (root));
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (root)));
    }
  return objects;
}

static const char *
event_of (JsonObject *o)
{
  return json_object_get_string_member_with_default (o, "event", "");
}

/* A number member; NAN for null or absent. */
static double
number (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NAN;
  return json_node_get_double (n);
}

/* The single object of a --json run with one line. */
static JsonObject *
single_object (const Run *r, const char *event)
{
  g_autoptr (GPtrArray) objs = json_lines (r->out);
  CU_ASSERT_EQUAL_FATAL (objs->len, 1);
  CU_ASSERT_STRING_EQUAL (event_of (g_ptr_array_index (objs, 0)), event);
  return json_object_ref (g_ptr_array_index (objs, 0));
}

static gboolean
exists (const char *path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Names in the temporary directory, sorted and joined, to see that nothing appeared. */
static char *
tmpdir_listing (void)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (nw_test_tmpdir (), 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  if (dir != NULL)
    g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("\n", (char **) names->pdata);
}

/* ---- help ------------------------------------------------------------------------------- */

static const char *const subcommands[] = { "train", "eval", "predict", "step", "info", "latency" };

static void
test_help (void)
{
  g_autoptr (Run) r = run_cli ("--help", NULL);
  assert_ok (r);
  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    CU_ASSERT (strstr (r->out, subcommands[i]) != NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      g_autoptr (Run) s = run_cli (subcommands[i], "--help", NULL);
      assert_ok (s);
      CU_ASSERT (strstr (s->out, "--spec") != NULL);
      CU_ASSERT (strstr (s->out, subcommands[i]) != NULL);
    }
}

static void
test_usage_errors (void)
{
  g_autofree char *spec = example ("xor-2-2-1.json");
  g_autoptr (Run) unknown = run_cli ("frobnicate", NULL);
  g_autoptr (Run) none = run_cli (NULL);
  g_autoptr (Run) option = run_cli ("train", "--spec", spec, "--frobnicate", NULL);
  g_autoptr (Run) no_spec = run_cli ("train", "--steps", "10", NULL);
  g_autoptr (Run) both = run_cli ("train", "--spec", spec, "--steps", "10", "--epochs", "1", NULL);
  g_autoptr (Run) optimizer = run_cli ("train", "--spec", spec, "--optimizer", "adamm", NULL);
  g_autoptr (Run) extra = run_cli ("info", "--spec", spec, "surplus", NULL);
  /* An unknown --backend is a usage error (2) in every subcommand that takes it. */
  g_autoptr (Run) gpu_train = run_cli ("train", "--spec", spec, "--backend", "gpu", NULL);
  g_autoptr (Run) gpu_eval = run_cli ("eval", "--spec", spec, "--load", "w.safetensors", "--backend", "gpu", NULL);
  g_autoptr (Run) gpu_latency = run_cli ("latency", "--spec", spec, "--backend", "gpu", NULL);

  assert_failed (unknown, 2, "frobnicate", "--help", NULL);
  assert_failed (none, 2, "subcommand", NULL);
  assert_failed (option, 2, "--frobnicate", "train --help", NULL);
  assert_failed (no_spec, 2, "--spec", NULL);
  assert_failed (both, 2, "--steps", "--epochs", NULL);
  assert_failed (optimizer, 2, "adamm", NULL);
  assert_failed (extra, 2, "surplus", NULL);
  assert_failed (gpu_train, 2, "'gpu'", "auto, cpu or cl", "train --help", NULL);
  assert_failed (gpu_eval, 2, "'gpu'", "auto, cpu or cl", NULL);
  assert_failed (gpu_latency, 2, "'gpu'", "auto, cpu or cl", NULL);
}

/* ---- info ------------------------------------------------------------------------------- */

static void
test_info_params (void)
{
  static const struct { const char *file; gint64 params; } cases[] = {
    { "xor-perceptron.json", 2 + 1 },
    { "xor-2-2-1.json", 2 * 2 + 2 + 2 + 1 },
    { "xor-deep-sigmoid.json", 2 * 10 + 10 + 10 * 10 + 10 + 10 * 10 + 10 + 10 + 1 },
    { "circle-relu.json", 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1 },
    { "mnist-softmax.json", 784 * 10 + 10 },
    { "mnist-mlp.json", 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10 },
    { "mnist-mlp-dropout.json", 784 * 512 + 512 + 3 * (512 * 512 + 512) + 512 * 10 + 10 },
    /* Linear, then BatchNorm's scale and shift, twice; then the head */
    { "mnist-batchnorm.json", 784 * 100 + 100 + 200 + 100 * 100 + 100 + 200 + 100 * 10 + 10 },
  };
  CU_ASSERT_EQUAL (cases[2].params, 261);
  CU_ASSERT_EQUAL (cases[5].params, 269322);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *spec = example (cases[i].file);
      g_autoptr (Run) json = run_cli ("info", "--spec", spec, "--json", NULL);
      g_autoptr (Run) human = run_cli ("info", "--spec", spec, NULL);
      g_autoptr (JsonObject) o = NULL;
      g_autofree char *total = g_strdup_printf ("total parameters: %" G_GINT64_FORMAT "\n",
                                                cases[i].params);
      JsonArray *nodes;
      gint64 sum = 0;

      assert_ok (json);
      o = single_object (json, "info");
      if (json_object_get_int_member (o, "params") != cases[i].params)
        g_printerr ("%s: %" G_GINT64_FORMAT " parameters, expected %" G_GINT64_FORMAT "\n",
                    cases[i].file, json_object_get_int_member (o, "params"), cases[i].params);
      CU_ASSERT_EQUAL (json_object_get_int_member (o, "params"), cases[i].params);
      nodes = json_object_get_array_member (o, "nodes");
      CU_ASSERT_FATAL (nodes != NULL && json_array_get_length (nodes) >= 3);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (json_array_get_object_element (nodes, 0), "kind"),
                              "input");
      for (guint k = 0; k < json_array_get_length (nodes); k++)
        {
          JsonObject *node = json_array_get_object_element (nodes, k);
          CU_ASSERT (json_object_has_member (node, "id") && json_object_has_member (node, "width"));
          sum += json_object_get_int_member (node, "params");
        }
      CU_ASSERT_EQUAL (sum, cases[i].params);
      /* The memory training needs: 7 floats a parameter (nw-memory.h), and the activations
       * for at least the batch; BatchNorm adds 8 floats a feature. */
      {
        JsonObject *mem = json_object_get_object_member (o, "memory");
        CU_ASSERT_FATAL (mem != NULL);
        if (strstr (cases[i].file, "batchnorm") == NULL)
          CU_ASSERT_EQUAL (json_object_get_int_member (mem, "params_bytes"), cases[i].params * 28);
        CU_ASSERT (json_object_get_int_member (mem, "activation_rows") >= 1);
        CU_ASSERT (json_object_get_int_member (mem, "activations_bytes") > 0);
        CU_ASSERT_EQUAL (json_object_get_int_member (mem, "total_bytes"),
                         json_object_get_int_member (mem, "params_bytes")
                         + json_object_get_int_member (mem, "activations_bytes")
                         + json_object_get_int_member (mem, "data_bytes"));
      }

      assert_ok (human);
      CU_ASSERT (strstr (human->out, total) != NULL);
      CU_ASSERT (strstr (human->out, "memory to train: about ") != NULL);
    }
}

/* Without the MNIST files, info still works on MNIST's shape and says so. */
static void
test_info_mnist_fallback (void)
{
  g_autofree char *spec = example ("mnist-mlp.json");
  g_autofree char *empty = nw_test_path ("no-mnist-here");
  g_autoptr (Run) json = NULL;
  g_autoptr (Run) human = NULL;
  g_autoptr (JsonObject) o = NULL;

  g_mkdir (empty, 0700);
  json = run_cli ("info", "--spec", spec, "--data-dir", empty, "--json", NULL);
  human = run_cli ("info", "--spec", spec, "--data-dir", empty, NULL);
  assert_ok (json);
  o = single_object (json, "info");
  CU_ASSERT (json_object_get_boolean_member (o, "data_fallback"));
  CU_ASSERT_EQUAL (json_object_get_int_member (o, "input_width"), 784);
  CU_ASSERT_EQUAL (json_object_get_int_member (o, "params"), 269322);
  assert_ok (human);
  CU_ASSERT (strstr (human->out, "not found") != NULL);
  g_rmdir (empty);
}

/* info on a spec whose data is a CSV file: the file is named when there is one, and a spec
 * that names none is refused naming the spec and saying so. */
/* --test with an empty test split ("test_ratio": 0): the reports say there is none, never
 * "nan"; --json gives null for the test figures. */
static void
test_train_empty_test_split (void)
{
  static const char spec_text[] =
    "{\"format\": \"neurowire-spec\", \"version\": 1,\n"
    " \"nodes\": [{\"id\": \"input\", \"type\": \"input\"},\n"
    "           {\"id\": \"fc\", \"type\": \"dense\", \"units\": 1},\n"
    "           {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce_logits\"}],\n"
    " \"data\": {\"kind\": \"gaussians\", \"test_ratio\": 0},\n"
    " \"training\": {\"steps\": 50, \"log_every\": 25}}\n";
  g_autofree char *spec = nw_test_write ("no-test.json", spec_text, (gsize) -1);
  g_autoptr (Run) text = run_cli ("train", "--spec", spec, "--test", NULL);
  g_autoptr (Run) json = run_cli ("train", "--spec", spec, "--test", "--json", NULL);
  assert_ok (text);
  CU_ASSERT (strstr (text->out, "(no test split)") != NULL);
  CU_ASSERT (strstr (text->out, "no test split\n") != NULL);   /* the closing line too */
  CU_ASSERT (strstr (text->out, "nan") == NULL);
  assert_ok (json);
  CU_ASSERT (strstr (json->out, "\"test_loss\":null") != NULL);
  CU_ASSERT (strstr (json->out, "nan") == NULL);
  g_unlink (spec);
}

static void
test_info_csv (void)
{
  g_autofree char *csv = nw_test_write ("info-points.csv", "x,y,label\n0,0,0\n1,1,0\n0,1,1\n1,0,1\n",
                                        (gsize) -1);
  g_autofree char *base = g_path_get_basename (csv);
  g_autofree char *with_text = g_strdup (
    "{\"format\": \"neurowire-spec\", \"version\": 1,\n"
    " \"nodes\": [{\"id\": \"input\", \"type\": \"input\"},\n"
    "           {\"id\": \"fc1\", \"type\": \"dense\", \"units\": 1},\n"
    "           {\"id\": \"act1\", \"type\": \"activation\", \"activation\": \"sigmoid\"},\n"
    "           {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce\"}],\n"
    " \"data\": {\"kind\": \"csv\"}}\n");
  g_autofree char *without = nw_test_write ("csv-no-path.json", with_text, (gsize) -1);
  g_autofree char *with_path_text = g_strdup_printf (
    "{\"format\": \"neurowire-spec\", \"version\": 1,\n"
    " \"nodes\": [{\"id\": \"input\", \"type\": \"input\"},\n"
    "           {\"id\": \"fc1\", \"type\": \"dense\", \"units\": 1},\n"
    "           {\"id\": \"act1\", \"type\": \"activation\", \"activation\": \"sigmoid\"},\n"
    "           {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce\"}],\n"
    " \"data\": {\"kind\": \"csv\", \"path\": \"%s\"}}\n", csv);
  g_autofree char *with = nw_test_write ("csv-with-path.json", with_path_text, (gsize) -1);
  g_autoptr (Run) r_without = run_cli ("info", "--spec", without, NULL);
  g_autoptr (Run) r_with = run_cli ("info", "--spec", with, NULL);

  assert_failed (r_without, 1, "csv-no-path.json", "names none", "\"path\"", NULL);
  assert_ok (r_with);
  CU_ASSERT (strstr (r_with->out, base) != NULL);
  g_unlink (without);
  g_unlink (with);
  g_unlink (csv);
}

/* ---- train ------------------------------------------------------------------------------ */

static void
test_train_json (void)
{
  g_autofree char *spec = example ("xor-deep-sigmoid.json");
  g_autoptr (Run) r = run_cli ("train", "--spec", spec, "--steps", "2000", "--json", NULL);
  g_autoptr (GPtrArray) objs = NULL;
  JsonObject *done;
  gint64 expect_step = 1000;

  assert_ok (r);
  objs = json_lines (r->out);
  CU_ASSERT_EQUAL_FATAL (objs->len, 3);   /* progress at 1000 and 2000, then done */
  for (guint i = 0; i + 1 < objs->len; i++)
    {
      JsonObject *p = g_ptr_array_index (objs, i);
      CU_ASSERT_STRING_EQUAL (event_of (p), "progress");
      CU_ASSERT_EQUAL (json_object_get_int_member (p, "step"), expect_step);
      expect_step += 1000;
      CU_ASSERT (isfinite (number (p, "loss")) && number (p, "loss") > 0);
      CU_ASSERT (number (p, "acc") >= 0 && number (p, "acc") <= 1);
      CU_ASSERT (json_object_has_member (p, "epoch") && json_object_has_member (p, "steps_per_s"));
      CU_ASSERT (!json_object_has_member (p, "test_loss"));   /* only with --test */
    }
  done = g_ptr_array_index (objs, objs->len - 1);
  CU_ASSERT_STRING_EQUAL (event_of (done), "done");
  CU_ASSERT_EQUAL (json_object_get_int_member (done, "steps"), 2000);
  CU_ASSERT (isfinite (number (done, "train_loss")) && number (done, "train_loss") >= 0);
  CU_ASSERT (isfinite (number (done, "test_loss")));
  CU_ASSERT (number (done, "seconds") >= 0 && number (done, "steps_per_s") > 0);
  CU_ASSERT (strlen (json_object_get_string_member_with_default (done, "backend", "")) > 0);
  CU_ASSERT (json_object_has_member (done, "epochs") && json_object_has_member (done, "train_acc")
             && json_object_has_member (done, "test_acc"));
}

/* A perceptron cannot learn XOR: the loss stays at ln 2 (the lesson of the first example). */
static void
test_train_perceptron (void)
{
  g_autofree char *spec = example ("xor-perceptron.json");
  g_autoptr (Run) r = run_cli ("train", "--spec", spec, "--json", "--quiet", NULL);
  g_autoptr (JsonObject) done = NULL;
  assert_ok (r);
  done = single_object (r, "done");
  NW_ASSERT_CLOSE (number (done, "train_loss"), log (2.0), 1e-3, 0);
  CU_ASSERT (number (done, "train_acc") <= 0.75);
}

/* Counting epochs: an epoch line at each epoch's end, with the test split under --test. */
static void
test_train_epochs (void)
{
  g_autofree char *spec = example ("circle-relu.json");
  g_autoptr (Run) r = run_cli ("train", "--spec", spec, "--epochs", "2", "--test", "--json", NULL);
  g_autoptr (Run) human = run_cli ("train", "--spec", spec, "--steps", "200", NULL);
  g_autoptr (GPtrArray) objs = NULL;
  int epochs = 0, progress = 0;
  gint64 last_epoch_step = -1;
  double last_elapsed = 0;

  assert_ok (r);
  objs = json_lines (r->out);
  for (guint i = 0; i < objs->len; i++)
    {
      JsonObject *o = g_ptr_array_index (objs, i);
      if (g_str_equal (event_of (o), "epoch"))
        {
          epochs++;
          CU_ASSERT_EQUAL (json_object_get_int_member (o, "epoch"), epochs);
          CU_ASSERT (isfinite (number (o, "test_loss")) && isfinite (number (o, "test_acc")));
          /* Wall time since training began: grows from epoch to epoch. */
          CU_ASSERT (number (o, "elapsed") > last_elapsed);
          last_elapsed = number (o, "elapsed");
          last_epoch_step = json_object_get_int_member (o, "step");
        }
      else if (g_str_equal (event_of (o), "progress"))
        {
          progress++;
          CU_ASSERT (json_object_has_member (o, "test_loss"));
        }
    }
  CU_ASSERT_EQUAL (epochs, 2);
  CU_ASSERT (progress >= 1);
  CU_ASSERT_STRING_EQUAL (event_of (g_ptr_array_index (objs, objs->len - 1)), "done");
  CU_ASSERT_EQUAL (json_object_get_int_member (g_ptr_array_index (objs, objs->len - 1), "steps"),
                   last_epoch_step);
  /* ... and holds the training time of the done line (which leaves the reports out). */
  CU_ASSERT (last_elapsed >= number (g_ptr_array_index (objs, objs->len - 1), "seconds"));

  assert_ok (human);
  CU_ASSERT_EQUAL (count_lines (human->out), 3 + 2 + 1);   /* header, 2 reports, done */
  /* The header says which backend runs and why (the tests pin the CPU: NW_BACKEND=cpu). */
  CU_ASSERT (strstr (human->out, "backend: the CPU backend, as asked") != NULL);
  CU_ASSERT (strstr (human->out, "step 200") != NULL);
  CU_ASSERT (strstr (human->out, "done: 200 steps in ") != NULL);
}

/* The train loss of the done line is what eval computes from the saved weights. */
static void
test_save_eval (void)
{
  g_autofree char *spec = example ("circle-relu.json");
  g_autofree char *weights = nw_test_path ("circle.safetensors");
  g_autoptr (Run) train = run_cli ("train", "--spec", spec, "--save", weights, "--json", "--quiet", NULL);
  g_autoptr (Run) eval = NULL;
  g_autoptr (Run) human = NULL;
  g_autoptr (Run) again = NULL;
  g_autoptr (JsonObject) done = NULL;
  g_autoptr (JsonObject) ev = NULL;
  g_autoptr (JsonObject) cont = NULL;

  assert_ok (train);
  done = single_object (train, "done");
  CU_ASSERT_FATAL (exists (weights));
  eval = run_cli ("eval", "--spec", spec, "--load", weights, "--json", NULL);
  assert_ok (eval);
  ev = single_object (eval, "eval");
  NW_ASSERT_CLOSE (number (ev, "train_loss"), number (done, "train_loss"), 1e-6, 0);
  NW_ASSERT_CLOSE (number (ev, "test_loss"), number (done, "test_loss"), 1e-6, 0);
  NW_ASSERT_CLOSE (number (ev, "train_acc"), number (done, "train_acc"), 1e-9, 0);
  CU_ASSERT (number (done, "train_acc") > 0.9);   /* the lesson: it does learn the circle */

  human = run_cli ("eval", "--spec", spec, "--load", weights, NULL);
  assert_ok (human);
  CU_ASSERT_EQUAL (count_lines (human->out), 2);

  /* --load continues from the saved weights: the loss starts where it ended. */
  again = run_cli ("train", "--spec", spec, "--load", weights, "--steps", "1", "--lr", "0",
                   "--json", "--quiet", NULL);
  assert_ok (again);
  cont = single_object (again, "done");
  NW_ASSERT_CLOSE (number (cont, "train_loss"), number (done, "train_loss"), 1e-6, 0);
  g_unlink (weights);
}

/* ---- predict, latency ------------------------------------------------------------------- */

static void
test_predict (void)
{
  g_autofree char *spec = example ("xor-2-2-1.json");
  g_autofree char *csv = nw_test_write ("rows.csv", "# two rows\nx,y\n1,1\n-1, 1\n", (gsize) -1);
  g_autoptr (Run) r = run_cli ("predict", "--spec", spec, "--input", "1,1;-1,1;1,-1", "--json", NULL);
  g_autoptr (Run) f = run_cli ("predict", "--spec", spec, "--input-file", csv, NULL);
  g_autoptr (GPtrArray) objs = NULL;

  assert_ok (r);
  objs = json_lines (r->out);
  CU_ASSERT_EQUAL_FATAL (objs->len, 3);
  for (guint i = 0; i < objs->len; i++)
    {
      JsonObject *o = g_ptr_array_index (objs, i);
      JsonArray *out = json_object_get_array_member (o, "output");
      CU_ASSERT_STRING_EQUAL (event_of (o), "predict");
      CU_ASSERT_EQUAL (json_object_get_int_member (o, "row"), i);
      CU_ASSERT_FATAL (out != NULL && json_array_get_length (out) == 1);
      CU_ASSERT (json_array_get_double_element (out, 0) > 0 && json_array_get_double_element (out, 0) < 1);
    }
  assert_ok (f);
  CU_ASSERT_EQUAL (count_lines (f->out), 2);
  g_unlink (csv);
}

static void
test_latency (void)
{
  g_autofree char *spec = example ("xor-2-2-1.json");
  g_autoptr (Run) r = run_cli ("latency", "--spec", spec, "--repeat", "500", "--json", NULL);
  g_autoptr (JsonObject) o = NULL;
  assert_ok (r);
  o = single_object (r, "latency");
  CU_ASSERT (number (o, "median_us") > 0 && number (o, "mean_us") > 0);
  CU_ASSERT_EQUAL (json_object_get_int_member (o, "repeat"), 500);
}

/* ---- step ------------------------------------------------------------------------------- */

static char *
write_batch (const char *name, int rows, int y_cols, gboolean with_y)
{
  g_autoptr (NwTensorFile) tf = nw_tensor_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree float *x = g_new (float, rows * 2);
  g_autofree float *y = g_new (float, rows * y_cols);
  gint64 xs[2] = { rows, 2 }, ys[2] = { rows, y_cols };
  char *path = nw_test_path (name);

  for (int i = 0; i < rows * 2; i++)
    x[i] = (float) sin (1.0 + i);
  for (int i = 0; i < rows * y_cols; i++)
    y[i] = (float) (i % 2);
  nw_tensor_file_add (tf, "x", NW_DTYPE_F32, 2, xs, x);
  if (with_y)
    nw_tensor_file_add (tf, "y", NW_DTYPE_F32, 2, ys, y);
  nw_safetensors_save (tf, path, &error);
  NW_ASSERT_NO_ERROR (error);
  return path;
}

static NwTensorFile *
load_tensors (const char *path)
{
  g_autoptr (GError) error = NULL;
  NwTensorFile *tf = nw_safetensors_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (tf);
  return tf;
}

static void
assert_shape (const NwTensor *t, int rank, gint64 d0, gint64 d1)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (t);
  CU_ASSERT_EQUAL (t->rank, rank);
  if (rank > 0)
    CU_ASSERT_EQUAL (t->shape[0], d0);
  if (rank > 1)
    CU_ASSERT_EQUAL (t->shape[1], d1);
}

static void
test_step (void)
{
  g_autofree char *spec = example ("circle-relu.json");
  g_autofree char *batch = write_batch ("batch.safetensors", 5, 1, TRUE);
  g_autofree char *out_train = nw_test_path ("step-train.safetensors");
  g_autofree char *out_eval = nw_test_path ("step-eval.safetensors");
  g_autofree char *out_update = nw_test_path ("step-update.safetensors");
  g_autoptr (Run) train = run_cli ("step", "--spec", spec, "--batch", batch, "--out", out_train, NULL);
  g_autoptr (Run) eval = run_cli ("step", "--spec", spec, "--batch", batch, "--out", out_eval,
                                  "--eval-mode", NULL);
  g_autoptr (Run) update = run_cli ("step", "--spec", spec, "--batch", batch, "--out", out_update,
                                    "--update", "--json", NULL);
  g_autoptr (NwTensorFile) a = NULL;
  g_autoptr (NwTensorFile) b = NULL;
  g_autoptr (NwTensorFile) c = NULL;
  static const char *const params[] = { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" };
  const NwTensor *loss;
  int n_grads = 0;

  assert_ok (train);
  assert_ok (eval);
  assert_ok (update);
  a = load_tensors (out_train);
  b = load_tensors (out_eval);
  c = load_tensors (out_update);

  assert_shape (nw_tensor_file_get (a, "output"), 2, 5, 1);
  assert_shape (nw_tensor_file_get (a, "probs"), 2, 5, 1);
  loss = nw_tensor_file_get (a, "loss");
  assert_shape (loss, 0, 0, 0);
  CU_ASSERT (isfinite (loss->f32[0]) && loss->f32[0] > 0);
  for (gsize i = 0; i < G_N_ELEMENTS (params); i++)
    {
      g_autofree char *gname = g_strdup_printf ("grad.%s", params[i]);
      const NwTensor *w = nw_tensor_file_get (a, params[i]);
      const NwTensor *g = nw_tensor_file_get (a, gname);
      const NwTensor *ge = nw_tensor_file_get (b, gname);
      const NwTensor *w_new = nw_tensor_file_get (c, params[i]);
      double norm = 0, moved = 0;
      CU_ASSERT_PTR_NOT_NULL_FATAL (w);
      CU_ASSERT_PTR_NOT_NULL_FATAL (g);
      CU_ASSERT_PTR_NOT_NULL_FATAL (ge);
      CU_ASSERT_PTR_NOT_NULL_FATAL (w_new);
      CU_ASSERT_EQUAL (g->rank, w->rank);
      CU_ASSERT_EQUAL (g->shape[0], w->shape[0]);
      if (w->rank == 2)
        CU_ASSERT_EQUAL (g->shape[1], w->shape[1]);
      CU_ASSERT_EQUAL_FATAL (g->numel, w->numel);
      for (gsize k = 0; k < g->numel; k++)
        {
          norm += (double) g->f32[k] * g->f32[k];
          moved += fabs ((double) w_new->f32[k] - w->f32[k]);
          /* No dropout or BatchNorm here: evaluation mode gives the same gradients. */
          NW_ASSERT_CLOSE (ge->f32[k], g->f32[k], 1e-5, 1e-7);
        }
      CU_ASSERT (isfinite (norm));
      n_grads += norm > 0;
      CU_ASSERT (moved > 0);   /* --update moved every parameter tensor */
    }
  CU_ASSERT (n_grads >= 4);
  /* Nothing else named grad.* than the parameters. */
  for (guint i = 0; i < a->tensors->len; i++)
    {
      const NwTensor *t = g_ptr_array_index (a->tensors, i);
      if (g_str_has_prefix (t->name, "grad."))
        CU_ASSERT_PTR_NOT_NULL (nw_tensor_file_get (a, t->name + 5));
    }
  g_unlink (out_train);
  g_unlink (out_eval);
  g_unlink (out_update);
  g_unlink (batch);
}

static void
test_step_bad_batch (void)
{
  g_autofree char *spec = example ("circle-relu.json");
  g_autofree char *no_y = write_batch ("no-y.safetensors", 4, 1, FALSE);
  g_autofree char *wide_y = write_batch ("wide-y.safetensors", 4, 3, TRUE);
  g_autofree char *out = nw_test_path ("step-out.safetensors");
  g_autoptr (Run) r1 = run_cli ("step", "--spec", spec, "--batch", no_y, "--out", out, NULL);
  g_autoptr (Run) r2 = run_cli ("step", "--spec", spec, "--batch", wide_y, "--out", out, NULL);

  assert_failed (r1, 1, "no-y.safetensors", "'y'", NULL);
  assert_failed (r2, 1, "y [4, 3]", NULL);
  CU_ASSERT (!exists (out));
  g_unlink (no_y);
  g_unlink (wide_y);
}

/* ---- bad input -------------------------------------------------------------------------- */

/* Runs `train` with extra arguments and --save; it must fail, name every needle, and leave
 * no weights file (nor anything else) behind. */
static void
assert_train_fails (int status, const char *const *args, const char *const *needles)
{
  g_autofree char *save = nw_test_path ("never-written.safetensors");
  g_autofree char *before = tmpdir_listing ();
  g_autofree char *after = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *cli = cli_path ();
  g_autofree char *out = NULL, *err = NULL;
  int wait_status = 0;
  Run r = { 0 };

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (char *) "train");
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, (char *) "--save");
  g_ptr_array_add (argv, save);
  g_ptr_array_add (argv, NULL);
  CU_ASSERT_FATAL (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &wait_status, &error));
  r.status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  r.out = out;
  r.err = err;
  assert_failed (&r, status, NULL);
  for (int i = 0; needles[i] != NULL; i++)
    if (strstr (err, needles[i]) == NULL)
      {
        g_printerr ("error line \"%s\" lacks \"%s\"\n", g_strchomp (g_strdup (err)), needles[i]);
        CU_FAIL ("error line lacks an expected part");
      }
  CU_ASSERT (!exists (save));
  after = tmpdir_listing ();
  if (strcmp (after, before) != 0)
    g_printerr ("before:\n%s\nafter:\n%s\n", before, after);
  CU_ASSERT_STRING_EQUAL (after, before);
}

static void
test_bad_spec_files (void)
{
  g_autofree char *missing = nw_test_path ("no-such-spec.json");
  g_autofree char *malformed = nw_test_write ("malformed.json",
                                              "{\"format\": \"neurowire-spec\", \"version\": 1,\n"
                                              " \"nodes\": [\n", (gsize) -1);
  g_autofree char *dangling = nw_test_write ("dangling.json",
    "{\"format\": \"neurowire-spec\", \"version\": 1,\n"
    " \"nodes\": [{\"id\": \"input\", \"type\": \"input\"},\n"
    "           {\"id\": \"fc1\", \"type\": \"dense\", \"units\": 1},\n"
    "           {\"id\": \"act1\", \"type\": \"activation\", \"activation\": \"sigmoid\"},\n"
    "           {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce\"}],\n"
    " \"edges\": [{\"from\": \"input\", \"to\": \"fc1\"}, {\"from\": \"fc1\", \"to\": \"fc9\"},\n"
    "           {\"from\": \"act1\", \"to\": \"loss\"}]}\n", (gsize) -1);
  const char *a1[] = { "--spec", missing, NULL }, *n1[] = { "no-such-spec.json", NULL };
  const char *a2[] = { "--spec", malformed, NULL }, *n2[] = { "malformed.json", "line", NULL };
  const char *a3[] = { "--spec", dangling, NULL }, *n3[] = { "dangling.json", "'fc9'", NULL };

  assert_train_fails (1, a1, n1);
  assert_train_fails (1, a2, n2);
  assert_train_fails (1, a3, n3);
  g_unlink (malformed);
  g_unlink (dangling);
}

static void
test_bad_options (void)
{
  g_autofree char *spec = example ("xor-2-2-1.json");
  const char *a1[] = { "--spec", spec, "--lr", "-1", NULL }, *n1[] = { "lr", "-1", NULL };
  const char *a2[] = { "--spec", spec, "--lr", "nan", NULL }, *n2[] = { "lr", NULL };
  const char *a3[] = { "--spec", spec, "--steps", "0", NULL }, *n3[] = { "--steps", NULL };
  const char *a4[] = { "--spec", spec, "--batch-size", "-3", NULL }, *n4[] = { "--batch-size", NULL };
  const char *a5[] = { "--spec", spec, "--steps", "many", NULL }, *n5[] = { "--steps", NULL };

  assert_train_fails (2, a1, n1);
  assert_train_fails (2, a2, n2);
  assert_train_fails (2, a3, n3);
  assert_train_fails (2, a4, n4);
  assert_train_fails (2, a5, n5);
}

static void
test_bad_weights (void)
{
  g_autofree char *small = example ("xor-2-2-1.json");
  g_autofree char *deep = example ("xor-deep-sigmoid.json");
  g_autofree char *small_w = nw_test_path ("small.safetensors");
  /* 8-byte header length far beyond the file */
  static const guint8 corrupt_bytes[] = { 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, '{', '}' };
  g_autofree char *corrupt = nw_test_write ("corrupt.safetensors", corrupt_bytes, sizeof corrupt_bytes);
  g_autoptr (Run) saved = run_cli ("train", "--spec", small, "--steps", "3", "--save", small_w,
                                   "--quiet", NULL);
  const char *a1[] = { "--spec", small, "--load", corrupt, NULL };
  const char *n1[] = { "corrupt.safetensors", "header length", NULL };
  const char *a2[] = { "--spec", deep, "--load", small_w, NULL };
  const char *n2[] = { "small.safetensors", "'0.weight'", "[2, 2]", NULL };
  g_autoptr (Run) eval = NULL;

  assert_ok (saved);
  CU_ASSERT_FATAL (exists (small_w));
  assert_train_fails (1, a1, n1);
  assert_train_fails (1, a2, n2);
  eval = run_cli ("eval", "--spec", deep, "--load", small_w, NULL);
  assert_failed (eval, 1, "'0.weight'", NULL);
  g_unlink (small_w);
  g_unlink (corrupt);
}

static void
test_unwritable_save (void)
{
  g_autofree char *spec = example ("xor-2-2-1.json");
  g_autofree char *file = nw_test_write ("plain-file", "x", 1);
  g_autofree char *target = g_build_filename (file, "w.safetensors", NULL);
  g_autofree char *before = tmpdir_listing ();
  g_autofree char *after = NULL;
  g_autofree char *no_dir = nw_test_path ("no-such-folder/w.safetensors");
  /* Checked before training: a usage error (2), the header and progress never printed. */
  g_autoptr (Run) r = run_cli ("train", "--spec", spec, "--steps", "5", "--save", target, NULL);
  g_autoptr (Run) r2 = run_cli ("train", "--spec", spec, "--steps", "5", "--save", no_dir, NULL);

  assert_failed (r, 2, target, "--save", NULL);
  assert_failed (r2, 2, no_dir, "no folder", NULL);
  CU_ASSERT (!exists (target));
  CU_ASSERT (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  after = tmpdir_listing ();
  CU_ASSERT_STRING_EQUAL (after, before);
  g_unlink (file);
}


/* The target passed the check, but its folder is gone when training ends: the weights go to
 * a temporary file, and the error says where (exit 1). The folder is removed once the first
 * progress line is out; the run goes on for about 1.5 s more (500,000 steps at ~300,000 a
 * second here, slower under sanitizers). */
static void
test_save_rescued (void)
{
  g_autofree char *spec = example ("xor-deep-sigmoid.json");
  g_autofree char *dir = nw_test_path ("goes-away");
  g_autofree char *target = g_build_filename (dir, "w.safetensors", NULL);
  g_autofree char *cli = cli_path ();
  g_autofree char *line = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  const char *rescued;
  char path[4096] = "";

  CU_ASSERT_FATAL (g_mkdir_with_parents (dir, 0755) == 0);
  p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                        cli, "train", "--spec", spec, "--steps", "500000", "--log-every", "1000",
                        "--save", target, NULL);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  /* The header, then the first progress line ("step ...") */
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL
         && strstr (line, "1000") == NULL)
    g_clear_pointer (&line, g_free);
  CU_ASSERT_PTR_NOT_NULL_FATAL (line);
  CU_ASSERT (g_rmdir (dir) == 0);
  {
    g_autoptr (GInputStream) rest = g_object_ref (G_INPUT_STREAM (out));
    g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();
    g_output_stream_splice (sink, rest, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL);
  }
  CU_ASSERT (g_subprocess_wait (p, NULL, &error));
  {
    g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();
    g_output_stream_splice (sink, g_subprocess_get_stderr_pipe (p),
                            G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL);
    g_output_stream_write (sink, "", 1, NULL, NULL);
    err = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (sink));
  }
  g_print ("  %s", err);
  CU_ASSERT_EQUAL (g_subprocess_get_exit_status (p), 1);
  CU_ASSERT (strstr (err, target) != NULL);
  rescued = strstr (err, "the weights were saved to ");
  CU_ASSERT_PTR_NOT_NULL_FATAL (rescued);
  sscanf (rescued + strlen ("the weights were saved to "), "%4095s", path);
  CU_ASSERT (g_str_has_suffix (path, ".safetensors"));
  /* What was rescued is the trained network: eval reads it back. */
  {
    g_autoptr (Run) eval = run_cli ("eval", "--spec", spec, "--load", path, NULL);
    assert_ok (eval);
  }
  g_unlink (path);
}

static void
test_diverged (void)
{
  g_autofree char *spec = nw_test_write ("exploding.json",
    "{\"format\": \"neurowire-spec\", \"version\": 1,\n"
    " \"nodes\": [{\"id\": \"input\", \"type\": \"input\"},\n"
    "           {\"id\": \"fc1\", \"type\": \"dense\", \"units\": 8},\n"
    "           {\"id\": \"act1\", \"type\": \"activation\", \"activation\": \"relu\"},\n"
    "           {\"id\": \"fc2\", \"type\": \"dense\", \"units\": 1},\n"
    "           {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"mse\"}],\n"
    " \"data\": {\"kind\": \"circle\", \"n\": 200},\n"
    " \"training\": {\"lr\": 10, \"steps\": 200}}\n", (gsize) -1);
  g_autofree char *save = nw_test_path ("diverged.safetensors");
  g_autofree char *deep = example ("xor-deep-sigmoid.json");
  g_autoptr (Run) r = NULL, bce = NULL, nosave = NULL, eval = NULL;

  /* --quiet: the progress lines before the explosion would be on stdout. Exit 3, and --save
   * writes the last good weights, saying so. */
  r = run_cli ("train", "--spec", spec, "--quiet", "--save", save, NULL);
  assert_failed (r, 3, "diverged at step", "saved the last good weights, from step", save, NULL);
  CU_ASSERT (exists (save));
  g_unlink (save);
  /* Sigmoid + BCE: the clamped loss (50) is divergence too; the weights saved give back a
   * finite loss near the start's ln 2. */
  bce = run_cli ("train", "--spec", deep, "--lr", "1e6", "--steps", "200", "--save", save,
                 "--quiet", NULL);
  assert_failed (bce, 3, "diverged at step", "0 or 1", "last good weights", NULL);
  CU_ASSERT_FATAL (exists (save));
  eval = run_cli ("eval", "--spec", deep, "--load", save, "--json", NULL);
  assert_ok (eval);
  {
    g_autoptr (JsonObject) o = single_object (eval, "eval");
    CU_ASSERT (json_object_get_double_member (o, "train_loss") < 1.0);
  }
  g_unlink (save);
  /* Without --save nothing is written, same exit. */
  nosave = run_cli ("train", "--spec", deep, "--lr", "1e6", "--steps", "200", "--quiet", NULL);
  assert_failed (nosave, 3, "diverged at step", NULL);
  g_unlink (spec);
}

static void
test_bad_predict (void)
{
  g_autofree char *spec = example ("xor-2-2-1.json");
  g_autofree char *csv = nw_test_write ("bad-rows.csv", "1,1\n1,2,3\n", (gsize) -1);
  g_autoptr (Run) r1 = run_cli ("predict", "--spec", spec, "--input", "1,1;1,2,3", NULL);
  g_autoptr (Run) r2 = run_cli ("predict", "--spec", spec, "--input", "1,abc", NULL);
  g_autoptr (Run) r3 = run_cli ("predict", "--spec", spec, "--input-file", csv, NULL);
  g_autoptr (Run) r4 = run_cli ("predict", "--spec", spec, NULL);
  /* A first row with one number in it is data, not a header: its bad field is refused with
   * the line and field, never dropped (issue 19). */
  g_autofree char *nan_first = nw_test_write ("nan-first.csv", "0.1,nan\n1,1\n", (gsize) -1);
  g_autofree char *word_first = nw_test_write ("word-first.csv", "# c\n\n5,abc\n1,1\n", (gsize) -1);
  g_autofree char *word_later = nw_test_write ("word-later.csv", "x,y\n1,1\nz,2\n", (gsize) -1);
  g_autoptr (Run) r5 = run_cli ("predict", "--spec", spec, "--input-file", nan_first, NULL);
  g_autoptr (Run) r6 = run_cli ("predict", "--spec", spec, "--input-file", word_first, NULL);
  g_autoptr (Run) r7 = run_cli ("predict", "--spec", spec, "--input-file", word_later, NULL);

  assert_failed (r5, 1, "nan-first.csv", "line 1", "field 2", "'nan'", NULL);
  assert_failed (r6, 1, "word-first.csv", "line 3", "field 2", "'abc'", NULL);
  assert_failed (r7, 1, "word-later.csv", "line 3", "field 1", "'z'", NULL);
  g_unlink (nan_first);
  g_unlink (word_first);
  g_unlink (word_later);
  assert_failed (r1, 1, "row 1", "3", NULL);
  assert_failed (r2, 1, "row 0", "abc", NULL);
  assert_failed (r3, 1, "bad-rows.csv", "line 2", "row 1", NULL);
  assert_failed (r4, 2, "--input", NULL);
  g_unlink (csv);
}

/* ---- lesson ----------------------------------------------------------------------------- */

static char *
lesson_fixture (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("tests/lessons/%s", name);
  return nw_test_source_path (rel);
}

static int
count_substr (const char *text, const char *needle)
{
  int n = 0;
  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The course in order: as many "lesson" objects as the summary counts, numbered 1..n, and
 * the plain list says the same count (the built-in course, whatever it holds). */
static void
test_lesson_list (void)
{
  g_autoptr (Run) json = run_cli ("lesson", "list", "--json", NULL);
  g_autoptr (Run) plain = NULL, ko = NULL;
  g_autoptr (GPtrArray) objs = NULL;
  JsonObject *summary;
  gint64 n;
  g_autofree char *count = NULL;

  assert_ok (json);
  objs = json_lines (json->out);
  CU_ASSERT_FATAL (objs->len >= 1);
  summary = g_ptr_array_index (objs, objs->len - 1);
  CU_ASSERT_STRING_EQUAL (event_of (summary), "summary");
  n = json_object_get_int_member (summary, "lessons");
  CU_ASSERT_EQUAL (n, (gint64) objs->len - 1);
  for (guint i = 0; i + 1 < objs->len; i++)
    {
      JsonObject *o = g_ptr_array_index (objs, i);
      CU_ASSERT_STRING_EQUAL (event_of (o), "lesson");
      CU_ASSERT_EQUAL (json_object_get_int_member (o, "index"), (gint64) i + 1);
      CU_ASSERT (json_object_get_int_member (o, "minutes") > 0);
      CU_ASSERT (strlen (json_object_get_string_member (o, "title")) > 0);
    }
  plain = run_cli ("lesson", "list", NULL);
  assert_ok (plain);
  count = g_strdup_printf (n == 1 ? "%" G_GINT64_FORMAT " lesson\n" : "%" G_GINT64_FORMAT " lessons\n", n);
  CU_ASSERT (g_str_has_suffix (plain->out, count));
  ko = run_cli ("lesson", "list", "--lang", "ko", NULL);
  assert_ok (ko);
  CU_ASSERT_EQUAL (count_lines (ko->out), count_lines (plain->out));
}

/* show --json is the whole lesson, and reads back equal to the file. */
static void
test_lesson_show (void)
{
  g_autofree char *path = lesson_fixture ("all-fields.json");
  g_autoptr (Run) r = run_cli ("lesson", "show", path, "--json", NULL);
  g_autoptr (Run) outline = NULL, ko = NULL;
  g_autoptr (NwLesson) file = NULL, shown = NULL;
  GError *error = NULL;

  assert_ok (r);
  shown = nw_lesson_from_json (r->out, -1, "stdout", &error);
  NW_ASSERT_NO_ERROR (error);
  file = nw_lesson_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (nw_lesson_equal (file, shown));
  CU_ASSERT_PTR_NOT_NULL (strstr (r->out, "\"format\": \"neurowire-spec\""));

  outline = run_cli ("lesson", "show", path, "--lang", "en", NULL);
  assert_ok (outline);
  CU_ASSERT_PTR_NOT_NULL (strstr (outline->out, "1. One (one)"));
  CU_ASSERT_PTR_NOT_NULL (strstr (outline->out, "fc1's gradient"));
  ko = run_cli ("lesson", "show", path, "--lang", "ko", NULL);
  assert_ok (ko);
  CU_ASSERT_PTR_NOT_NULL (strstr (ko->out, "1. 하나 (one)"));
}

static void
test_lesson_check (void)
{
  g_autofree char *good = lesson_fixture ("perceptron.json");
  g_autofree char *wrong = lesson_fixture ("wrong-check.json");
  g_autofree char *all = lesson_fixture ("all-fields.json");
  g_autoptr (Run) ok = run_cli ("lesson", "check", good, NULL);
  g_autoptr (Run) fail = NULL, json = NULL, cpu = NULL;
  g_autoptr (GPtrArray) objs = NULL;
  JsonObject *summary;

  assert_ok (ok);
  /* one line per check, then the summary */
  CU_ASSERT_EQUAL (count_lines (ok->out), 6);
  CU_ASSERT_EQUAL (count_substr (ok->out, "  pass\n"), 5);
  CU_ASSERT_PTR_NOT_NULL (strstr (ok->out, "perceptron  step 1  the loss is ln 2: 0.693147 (expected 0.6931 ± 0.001)  pass\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (ok->out, "1 lesson: 5 passed, 0 failed, 0 skipped, 0 reported"));
  CU_ASSERT_PTR_NULL (strstr (ok->out, "FAIL"));

  fail = run_cli ("lesson", "check", wrong, NULL);
  CU_ASSERT_EQUAL (fail->status, 1);
  CU_ASSERT_STRING_EQUAL (fail->err, "");
  CU_ASSERT_EQUAL (count_substr (fail->out, "FAIL"), 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (fail->out, "the loss is 0.1 (wrong on purpose): 0.693147 (expected 0.1 ± 0.01)  FAIL: "));
  CU_ASSERT_PTR_NOT_NULL (strstr (fail->out, "3 passed, 1 failed"));

  json = run_cli ("lesson", "check", wrong, "--json", NULL);
  CU_ASSERT_EQUAL (json->status, 1);
  objs = json_lines (json->out);
  CU_ASSERT_EQUAL_FATAL (objs->len, 5);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (g_ptr_array_index (objs, 0), "status"), "pass");
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (g_ptr_array_index (objs, 3), "status"), "fail");
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (g_ptr_array_index (objs, 3), "lesson"), "wrong-check");
  CU_ASSERT_EQUAL (json_object_get_int_member (g_ptr_array_index (objs, 3), "step"), 1);
  summary = g_ptr_array_index (objs, 4);
  CU_ASSERT_STRING_EQUAL (event_of (summary), "summary");
  CU_ASSERT_EQUAL (json_object_get_int_member (summary, "fail"), 1);
  CU_ASSERT_EQUAL (json_object_get_int_member (summary, "pass"), 3);

  /* --backend cpu: the OpenCL step's checks are skipped, saying why; that is no failure. */
  cpu = run_cli ("lesson", "check", all, "--backend", "cpu", NULL);
  assert_ok (cpu);
  CU_ASSERT_PTR_NOT_NULL (strstr (cpu->out, "test accuracy: - (expected (reported))  skipped (no OpenCL device"));
}

/* --all goes on past a lesson that cannot be run (its check is at a step the run has passed),
 * names it on stderr, checks the next one and exits 1. */
static void
test_lesson_check_all_goes_on (void)
{
  g_autofree char *dir = lesson_fixture ("course-with-fault");
  g_autoptr (Run) r = run_cli ("lesson", "check", "--all", "--course", dir, NULL);
  g_autoptr (Run) usage = run_cli ("lesson", "check", "perceptron", "--course", dir, NULL);

  CU_ASSERT_EQUAL (r->status, 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (r->err, "lesson late-check could not be checked: late-check.json: step 2 ('stuck'): check 1: 'at_step' is 10"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r->out, "perceptron  step 1  the loss is ln 2: 0.693147"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r->out, "2 lessons: 5 passed, 0 failed"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r->out, "1 lesson could not be checked"));
  CU_ASSERT_EQUAL (usage->status, 2);
}

static void
test_lesson_errors (void)
{
  g_autofree char *good = lesson_fixture ("perceptron.json");
  g_autofree char *text = NULL;
  g_autofree char *bad = NULL;
  g_autoptr (GString) s = NULL;
  g_autoptr (Run) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL, r7 = NULL;

  g_file_get_contents (good, &text, NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  s = g_string_new (text);
  g_string_replace (s, "\"do\": \"load\"", "\"do\": \"lode\"", 1);
  bad = nw_test_write ("bad-lesson.json", s->str, s->len);
  r1 = run_cli ("lesson", "check", bad, NULL);
  assert_failed (r1, 1, "bad-lesson.json: step 2 ('hidden-layer'): action 1: unknown action \"lode\"", NULL);
  r2 = run_cli ("lesson", "show", bad, "--json", NULL);
  assert_failed (r2, 1, "step 2 ('hidden-layer')", NULL);
  r3 = run_cli ("lesson", "check", "no-such-lesson", NULL);
  assert_failed (r3, 1, "no-such-lesson", NULL);
  r4 = run_cli ("lesson", NULL);
  assert_failed (r4, 2, "list, show or check", NULL);
  r5 = run_cli ("lesson", "frob", NULL);
  assert_failed (r5, 2, "'frob'", NULL);
  r6 = run_cli ("lesson", "check", NULL);
  assert_failed (r6, 2, "--all", NULL);
  r7 = run_cli ("lesson", "check", good, "--backend", "gpu", NULL);
  assert_failed (r7, 2, "'gpu'", NULL);
  {
    g_autoptr (Run) top = run_cli ("--help", NULL);
    g_autoptr (Run) help = run_cli ("lesson", "--help", NULL);
    g_autoptr (Run) check_help = run_cli ("lesson", "check", "--help", NULL);
    g_autoptr (Run) via_help = run_cli ("help", "lesson", NULL);
    assert_ok (top);
    CU_ASSERT_PTR_NOT_NULL (strstr (top->out, "  lesson "));
    assert_ok (help);
    CU_ASSERT_PTR_NOT_NULL (strstr (help->out, "neurowire-cli lesson check ID|FILE|--all"));
    assert_ok (via_help);
    CU_ASSERT_STRING_EQUAL (via_help->out, help->out);
    assert_ok (check_help);
    CU_ASSERT_PTR_NOT_NULL (strstr (check_help->out, "--all"));
    CU_ASSERT_PTR_NOT_NULL (strstr (check_help->out, "--backend"));
  }
  g_unlink (bad);
}

static const NwTestCase cli_cases[] = {
  { "help", test_help },
  { "usage errors", test_usage_errors },
  { "info parameter counts", test_info_params },
  { "info without MNIST files", test_info_mnist_fallback },
  { "info on CSV data", test_info_csv },
  { "train --test without a test split", test_train_empty_test_split },
  { "train --json", test_train_json },
  { "train: perceptron stays at ln 2", test_train_perceptron },
  { "train by epochs", test_train_epochs },
  { "save, eval and load", test_save_eval },
  { "predict", test_predict },
  { "latency", test_latency },
  { "step", test_step },
  { "step: bad batch", test_step_bad_batch },
  { "bad spec files", test_bad_spec_files },
  { "bad options", test_bad_options },
  { "bad weights", test_bad_weights },
  { "unwritable --save", test_unwritable_save },
  { "--save rescued to a temporary file", test_save_rescued },
  { "diverged", test_diverged },
  { "bad predict input", test_bad_predict },
  { "lesson list", test_lesson_list },
  { "lesson show", test_lesson_show },
  { "lesson check", test_lesson_check },
  { "lesson check --all goes on", test_lesson_check_all_goes_on },
  { "lesson errors", test_lesson_errors },
  { NULL, NULL }
};

static const NwTestSuite suites[] = {
  { "cli", cli_cases },
  { NULL, NULL }
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
