/* test-net-io.c: weights as a PyTorch state_dict in safetensors: names, shapes, round trips,
 * and bad files that must leave the network exactly as it was. */
#include "nw-test.h"
#include "nw-net.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  NwBackend *backend;
  NwNet     *net;
} Fixture;

static Fixture
make_net (const char *chain, int d, int k, int classes, guint64 seed)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain (chain, &error);
  Fixture f;
  NW_ASSERT_NO_ERROR (error);
  spec->train.seed = seed;
  f.backend = nw_backend_cpu_new ();
  f.net = nw_net_new (spec, d, k, classes, f.backend, &error);
  NW_ASSERT_NO_ERROR (error);
  return f;
}

static void
fixture_free (Fixture *f)
{
  nw_net_free (f->net);
  CU_ASSERT_EQUAL (f->backend->n_buffers, 0);
  nw_backend_free (f->backend);
}

static float *
params_of (NwNet *net)
{
  float *p = g_new (float, nw_net_n_params (net));
  nw_net_get_params (net, p);
  return p;
}

#define CHAIN "4 dense:3 relu batchnorm dense:2 softmax_xent"

/* nn.Sequential(Linear(4,3), ReLU(), BatchNorm1d(3), Linear(3,2)) has exactly these keys. */
static void
test_sequential_names (void)
{
  Fixture f = make_net (CHAIN, 4, 2, 2, 1);
  g_autoptr (NwTensorFile) sd = nw_net_state_dict (f.net);
  const char *names[] = { "0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean",
                          "2.running_var", "2.num_batches_tracked", "3.weight", "3.bias" };
  NwTensor *w;
  CU_ASSERT_EQUAL (sd->tensors->len, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    CU_ASSERT_PTR_NOT_NULL (nw_tensor_file_get (sd, names[i]));
  w = nw_tensor_file_get (sd, "0.weight");
  CU_ASSERT (w->rank == 2 && w->shape[0] == 3 && w->shape[1] == 4);   /* [out, in] */
  CU_ASSERT_EQUAL (nw_tensor_file_get (sd, "2.num_batches_tracked")->dtype, NW_DTYPE_I64);
  CU_ASSERT_EQUAL (nw_tensor_file_get (sd, "2.num_batches_tracked")->rank, 0);
  CU_ASSERT_EQUAL (nw_tensor_file_get (sd, "2.running_var")->f32[0], 1.0f);
  fixture_free (&f);
}

static void
test_round_trip (void)
{
  GError *error = NULL;
  Fixture a = make_net (CHAIN, 4, 2, 2, 1), b = make_net (CHAIN, 4, 2, 2, 2);
  g_autofree char *path = nw_test_path ("roundtrip.safetensors");
  g_autofree float *pa = params_of (a.net), *pb = NULL;
  gsize n = nw_net_n_params (a.net);

  CU_ASSERT (nw_net_save_weights (a.net, path, &error));
  NW_ASSERT_NO_ERROR (error);
  pb = params_of (b.net);
  CU_ASSERT (memcmp (pa, pb, n * sizeof (float)) != 0);   /* different seeds */
  g_free (pb);
  CU_ASSERT (nw_net_load_weights (b.net, path, &error));
  NW_ASSERT_NO_ERROR (error);
  pb = params_of (b.net);
  CU_ASSERT (memcmp (pa, pb, n * sizeof (float)) == 0);
  fixture_free (&a);
  fixture_free (&b);
}

/* Graphs that are not chains are named by node id. */
static void
test_dag_names (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new ();
  NwBackend *backend = nw_backend_cpu_new ();
  NwNet *net;
  g_autoptr (NwTensorFile) sd = NULL;
  nw_spec_add_node (spec, NW_NODE_INPUT, "input");
  nw_spec_add_node (spec, NW_NODE_DENSE, "fc1")->units = 2;
  nw_spec_add_node (spec, NW_NODE_ADD, "skip");
  nw_spec_add_node (spec, NW_NODE_LOSS, "loss")->loss = NW_LOSS_MSE;
  nw_spec_add_edge (spec, "input", "fc1", 0);
  nw_spec_add_edge (spec, "fc1", "skip", 0);
  nw_spec_add_edge (spec, "input", "skip", 1);
  nw_spec_add_edge (spec, "skip", "loss", 0);
  net = nw_net_new (spec, 2, 2, 0, backend, &error);
  NW_ASSERT_NO_ERROR (error);
  sd = nw_net_state_dict (net);
  CU_ASSERT_PTR_NOT_NULL (nw_tensor_file_get (sd, "fc1.weight"));
  CU_ASSERT_PTR_NOT_NULL (nw_tensor_file_get (sd, "fc1.bias"));
  CU_ASSERT_FALSE (nw_net_is_chain (net));
  nw_net_free (net);
  nw_backend_free (backend);
}

/* Writes `sd` with one tensor replaced or removed, and checks that loading it fails with a
 * message containing `needle` and leaves the parameters untouched. */
static void
expect_load_failure (NwTensorFile *file, const char *name, const char *needle)
{
  GError *error = NULL;
  Fixture f = make_net (CHAIN, 4, 2, 2, 5);
  g_autofree char *path = nw_test_path (name);
  g_autofree float *before = params_of (f.net), *after = NULL;

  CU_ASSERT (nw_safetensors_save (file, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FALSE (nw_net_load_weights (f.net, path, &error));
  /* the file as given (its full path), not only its base name */
  NW_ASSERT_ERROR (error, NW_ERROR, -1, path, needle);
  after = params_of (f.net);
  CU_ASSERT (memcmp (before, after, nw_net_n_params (f.net) * sizeof (float)) == 0);
  fixture_free (&f);
}

static NwTensorFile *
copy_without (const NwTensorFile *src, const char *skip)
{
  NwTensorFile *tf = nw_tensor_file_new ();
  for (guint i = 0; i < src->tensors->len; i++)
    {
      NwTensor *t = g_ptr_array_index (src->tensors, i);
      if (g_strcmp0 (t->name, skip) != 0)
        nw_tensor_file_add (tf, t->name, t->dtype, t->rank, t->shape, t->f32);
    }
  return tf;
}

static void
test_wrong_shape (void)
{
  Fixture f = make_net (CHAIN, 4, 2, 2, 1);
  g_autoptr (NwTensorFile) sd = nw_net_state_dict (f.net);
  g_autoptr (NwTensorFile) bad = copy_without (sd, "3.weight");
  gint64 shape[2] = { 2, 5 };
  float zeros[10] = { 0 };
  nw_tensor_file_add (bad, "3.weight", NW_DTYPE_F32, 2, shape, zeros);
  expect_load_failure (bad, "shape.safetensors", "'3.weight' has shape [2, 5]");
  fixture_free (&f);
}

static void
test_missing_tensor (void)
{
  Fixture f = make_net (CHAIN, 4, 2, 2, 1);
  g_autoptr (NwTensorFile) sd = nw_net_state_dict (f.net);
  g_autoptr (NwTensorFile) bad = copy_without (sd, "0.bias");
  expect_load_failure (bad, "missing.safetensors", "'0.bias' is missing");
  fixture_free (&f);
}

static void
test_unexpected_tensor (void)
{
  Fixture f = make_net (CHAIN, 4, 2, 2, 1);
  g_autoptr (NwTensorFile) sd = nw_net_state_dict (f.net);
  g_autoptr (NwTensorFile) bad = copy_without (sd, "");
  gint64 shape[1] = { 1 };
  float one = 1;
  nw_tensor_file_add (bad, "9.weight", NW_DTYPE_F32, 1, shape, &one);
  expect_load_failure (bad, "extra.safetensors", "unexpected tensor '9.weight'");
  fixture_free (&f);
}

static void
test_corrupt_file (void)
{
  GError *error = NULL;
  Fixture f = make_net (CHAIN, 4, 2, 2, 1);
  guint8 bytes[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, '{', '}' };
  g_autofree char *path = nw_test_write ("corrupt.safetensors", bytes, sizeof bytes);
  g_autofree float *before = params_of (f.net), *after = NULL;
  CU_ASSERT_FALSE (nw_net_load_weights (f.net, path, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "corrupt.safetensors", "header length");
  after = params_of (f.net);
  CU_ASSERT (memcmp (before, after, nw_net_n_params (f.net) * sizeof (float)) == 0);
  fixture_free (&f);
}

static void
test_unwritable_path (void)
{
  GError *error = NULL;
  Fixture f = make_net (CHAIN, 4, 2, 2, 1);
  g_autofree char *file = nw_test_write ("a-file", "x", 1);
  g_autofree char *path = g_build_filename (file, "w.safetensors", NULL);
  CU_ASSERT_FALSE (nw_net_save_weights (f.net, path, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, "w.safetensors");
  CU_ASSERT_FALSE (g_file_test (path, G_FILE_TEST_EXISTS));
  fixture_free (&f);
}

static const NwTestCase cases[] = {
  { "sequential_names", test_sequential_names },
  { "round_trip", test_round_trip },
  { "dag_names", test_dag_names },
  { "wrong_shape", test_wrong_shape },
  { "missing_tensor", test_missing_tensor },
  { "unexpected_tensor", test_unexpected_tensor },
  { "corrupt_file", test_corrupt_file },
  { "unwritable_path", test_unwritable_path },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "weights", cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
