/* test-spec.c: NwSpec construction, the chain shorthand, JSON load/save and graph validation. */
#include "nw-test.h"
#include "nw-json-depth.h"
#include "nw-memory.h"
#include "nw-spec.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* Helpers --------------------------------------------------------------------------------- */

static gboolean
same_double (double a, double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

/* Field by field, doubles bit for bit. */
static gboolean
spec_equal (const NwSpec *a, const NwSpec *b)
{
  if (g_strcmp0 (a->name, b->name) != 0 || g_strcmp0 (a->description, b->description) != 0)
    return FALSE;
  if (a->nodes->len != b->nodes->len || a->edges->len != b->edges->len)
    return FALSE;
  for (guint i = 0; i < a->nodes->len; i++)
    {
      const NwNodeSpec *x = g_ptr_array_index (a->nodes, i);
      const NwNodeSpec *y = g_ptr_array_index (b->nodes, i);
      if (g_strcmp0 (x->id, y->id) != 0 || x->kind != y->kind || x->units != y->units
          || x->bias != y->bias || x->weight_init != y->weight_init
          || !same_double (x->weight_init_param, y->weight_init_param)
          || x->bias_init != y->bias_init || !same_double (x->bias_init_param, y->bias_init_param)
          || x->activation != y->activation || !same_double (x->alpha, y->alpha)
          || !same_double (x->p, y->p) || x->enabled != y->enabled
          || !same_double (x->momentum, y->momentum) || !same_double (x->eps, y->eps)
          || x->affine != y->affine || x->loss != y->loss
          || !same_double (x->x, y->x) || !same_double (x->y, y->y))
        return FALSE;
    }
  for (guint i = 0; i < a->edges->len; i++)
    {
      const NwEdgeSpec *x = g_ptr_array_index (a->edges, i);
      const NwEdgeSpec *y = g_ptr_array_index (b->edges, i);
      if (g_strcmp0 (x->from, y->from) != 0 || g_strcmp0 (x->to, y->to) != 0 || x->port != y->port)
        return FALSE;
    }
  return a->data.kind == b->data.kind && a->data.n == b->data.n
         && same_double (a->data.noise, b->data.noise)
         && same_double (a->data.test_ratio, b->data.test_ratio)
         && a->data.seed == b->data.seed && g_strcmp0 (a->data.path, b->data.path) == 0
         && a->data.train_limit == b->data.train_limit
         && a->train.optimizer == b->train.optimizer && same_double (a->train.lr, b->train.lr)
         && same_double (a->train.momentum, b->train.momentum)
         && same_double (a->train.beta1, b->train.beta1)
         && same_double (a->train.beta2, b->train.beta2)
         && same_double (a->train.eps, b->train.eps) && same_double (a->train.rho, b->train.rho)
         && same_double (a->train.weight_decay, b->train.weight_decay)
         && same_double (a->train.l1, b->train.l1) && same_double (a->train.l2, b->train.l2)
         && a->train.batch_size == b->train.batch_size && a->train.steps == b->train.steps
         && a->train.epochs == b->train.epochs && a->train.seed == b->train.seed
         && a->train.log_every == b->train.log_every;
}

static const NwEdgeSpec *
edge (const NwSpec *spec, guint i)
{
  return g_ptr_array_index (spec->edges, i);
}

static NwNodeSpec *
node (const NwSpec *spec, guint i)
{
  return g_ptr_array_index (spec->nodes, i);
}

static NwNodeSpec *
dense (NwSpec *spec, const char *id, int units)
{
  NwNodeSpec *n = nw_spec_add_node (spec, NW_NODE_DENSE, id);
  n->units = units;
  return n;
}

/* The edge list, "a>b:0 b>c:0", to compare in one assertion. */
static char *
edges_text (const NwSpec *spec)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < spec->edges->len; i++)
    g_string_append_printf (s, "%s%s>%s:%d", i > 0 ? " " : "", edge (spec, i)->from,
                            edge (spec, i)->to, edge (spec, i)->port);
  return g_string_free (s, FALSE);
}

static char *
ids_text (const NwSpec *spec)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < spec->nodes->len; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? " " : "", node (spec, i)->id);
  return g_string_free (s, FALSE);
}

static char *
ints_text (const GArray *a)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (s, "%s%d", i > 0 ? " " : "", g_array_index (a, int, i));
  return g_string_free (s, FALSE);
}

#define ASSERT_TEXT(expr, expected) do { \
    char *text_ = (expr); \
    if (strcmp (text_, (expected)) != 0) \
      g_printerr ("%s:%d: got \"%s\", expected \"%s\"\n", __FILE__, __LINE__, text_, (expected)); \
    CU_ASSERT_STRING_EQUAL (text_, (expected)); \
    g_free (text_); \
  } while (0)

/* Construction ---------------------------------------------------------------------------- */

static void
test_defaults (void)
{
  g_autoptr (NwSpec) spec = nw_spec_new ();
  NwNodeSpec *n;

  CU_ASSERT_EQUAL (spec->nodes->len, 0);
  CU_ASSERT_EQUAL (spec->edges->len, 0);
  CU_ASSERT_PTR_NULL (spec->name);
  CU_ASSERT_EQUAL (spec->data.kind, NW_DATA_XOR);
  CU_ASSERT_EQUAL (spec->data.n, 200);
  CU_ASSERT_EQUAL (spec->data.noise, 0.1);
  CU_ASSERT_EQUAL (spec->data.test_ratio, 0.2);
  CU_ASSERT_EQUAL (spec->data.seed, 1);
  CU_ASSERT_PTR_NULL (spec->data.path);
  CU_ASSERT_EQUAL (spec->data.train_limit, 0);
  CU_ASSERT_EQUAL (spec->train.optimizer, NW_OPT_SGD);
  CU_ASSERT_EQUAL (spec->train.lr, 0.1);
  CU_ASSERT_EQUAL (spec->train.momentum, 0.0);
  CU_ASSERT_EQUAL (spec->train.beta1, 0.9);
  CU_ASSERT_EQUAL (spec->train.beta2, 0.999);
  CU_ASSERT_EQUAL (spec->train.eps, 1e-8);
  CU_ASSERT_EQUAL (spec->train.rho, 0.99);
  CU_ASSERT_EQUAL (spec->train.weight_decay, 0.0);
  CU_ASSERT_EQUAL (spec->train.batch_size, 0);
  CU_ASSERT_EQUAL (spec->train.steps, 1000);
  CU_ASSERT_EQUAL (spec->train.epochs, 0);
  CU_ASSERT_EQUAL (spec->train.seed, 1);
  CU_ASSERT_EQUAL (spec->train.log_every, 100);

  n = nw_spec_add_node (spec, NW_NODE_DENSE, "fc1");
  CU_ASSERT_STRING_EQUAL (n->id, "fc1");
  CU_ASSERT_EQUAL (n->units, 0);
  CU_ASSERT_TRUE (n->bias);
  CU_ASSERT_EQUAL (n->weight_init, NW_INIT_TORCH_DEFAULT);
  CU_ASSERT_EQUAL (n->bias_init, NW_INIT_TORCH_DEFAULT);
  CU_ASSERT_EQUAL (n->weight_init_param, 0.0);
  n = nw_spec_add_node (spec, NW_NODE_DROPOUT, "d");
  CU_ASSERT_EQUAL (n->p, 0.5);
  CU_ASSERT_TRUE (n->enabled);
  n = nw_spec_add_node (spec, NW_NODE_BATCHNORM, "bn");
  CU_ASSERT_EQUAL (n->momentum, 0.1);
  CU_ASSERT_EQUAL (n->eps, 1e-5);
  CU_ASSERT_TRUE (n->affine);
  CU_ASSERT_TRUE (n->enabled);
  n = nw_spec_add_node (spec, NW_NODE_LAYERNORM, "ln");
  CU_ASSERT_EQUAL (n->eps, 1e-5);
  CU_ASSERT_TRUE (n->affine);
  n = nw_spec_add_node (spec, NW_NODE_LOSS, "loss");
  CU_ASSERT_EQUAL (n->loss, NW_LOSS_BCE);
  CU_ASSERT_EQUAL (spec->nodes->len, 5);

  /* No id: a fresh one per kind. */
  n = nw_spec_add_node (spec, NW_NODE_DENSE, NULL);
  CU_ASSERT_STRING_EQUAL (n->id, "dense1");
  n = nw_spec_add_node (spec, NW_NODE_DENSE, NULL);
  CU_ASSERT_STRING_EQUAL (n->id, "dense2");

  n = nw_node_spec_new (NW_NODE_ACTIVATION, "a");
  CU_ASSERT_EQUAL (n->kind, NW_NODE_ACTIVATION);
  CU_ASSERT_TRUE (isfinite (n->alpha));
  g_free (n->id);
  g_free (n);
}

static void
test_chain (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("2 dense:10 sigmoid dense:1 sigmoid bce", &error);
  g_autoptr (NwSpec) deep = NULL;

  NW_ASSERT_NO_ERROR (error);
  ASSERT_TEXT (ids_text (spec), "input dense1 act1 dense2 act2 loss");
  ASSERT_TEXT (edges_text (spec),
               "input>dense1:0 dense1>act1:0 act1>dense2:0 dense2>act2:0 act2>loss:0");
  CU_ASSERT_EQUAL (node (spec, 0)->kind, NW_NODE_INPUT);
  CU_ASSERT_EQUAL (node (spec, 1)->units, 10);
  CU_ASSERT_EQUAL (node (spec, 2)->activation, NW_ACT_SIGMOID);
  CU_ASSERT_EQUAL (node (spec, 3)->units, 1);
  CU_ASSERT_EQUAL (node (spec, 5)->kind, NW_NODE_LOSS);
  CU_ASSERT_EQUAL (node (spec, 5)->loss, NW_LOSS_BCE);
  CU_ASSERT_TRUE (nw_spec_validate (spec, 2, 1, 2, NULL, NULL, &error));
  NW_ASSERT_NO_ERROR (error);

  deep = nw_spec_new_chain ("  784\tdense:64 leaky_relu dropout:0.25 batchnorm dense:32 "
                            "leaky_relu:0.2 layernorm elu:0.5 dropout dense:10 softmax_xent\n",
                            &error);
  NW_ASSERT_NO_ERROR (error);
  ASSERT_TEXT (ids_text (deep),
               "input dense1 act1 dropout1 bn1 dense2 act2 ln1 act3 dropout2 dense3 loss");
  CU_ASSERT_EQUAL (node (deep, 2)->activation, NW_ACT_LEAKY_RELU);
  CU_ASSERT_EQUAL (node (deep, 2)->alpha, 0.01);
  CU_ASSERT_EQUAL (node (deep, 3)->p, 0.25);
  CU_ASSERT_EQUAL (node (deep, 4)->kind, NW_NODE_BATCHNORM);
  CU_ASSERT_EQUAL (node (deep, 6)->alpha, 0.2);
  CU_ASSERT_EQUAL (node (deep, 7)->kind, NW_NODE_LAYERNORM);
  CU_ASSERT_EQUAL (node (deep, 8)->activation, NW_ACT_ELU);
  CU_ASSERT_EQUAL (node (deep, 8)->alpha, 0.5);
  CU_ASSERT_EQUAL (node (deep, 9)->p, 0.5);
  CU_ASSERT_EQUAL (node (deep, 11)->loss, NW_LOSS_SOFTMAX_XENT);
  CU_ASSERT_EQUAL (deep->edges->len, 11);
  CU_ASSERT_TRUE (nw_spec_validate (deep, 784, 10, 10, NULL, NULL, &error));
  NW_ASSERT_NO_ERROR (error);

  {
    g_autoptr (NwSpec) elu = nw_spec_new_chain ("1 elu mse", &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_EQUAL (node (elu, 1)->alpha, 1.0);
    CU_ASSERT_EQUAL (node (elu, 2)->loss, NW_LOSS_MSE);
  }
}

static void
test_chain_errors (void)
{
  static const struct { const char *text, *needle; } cases[] = {
    { "", "empty" },
    { "   ", "empty" },
    { "dense:10 bce", "'dense:10'" },
    { "0 dense:1 bce", "'0'" },
    { "2.5 dense:1 bce", "'2.5'" },
    { "2", "loss" },
    { "2 dense:0 bce", "'dense:0'" },
    { "2 dense:2000000 bce", "'dense:2000000'" },
    { "2 dense bce", "'dense'" },
    { "2 dense:x bce", "'dense:x'" },
    { "2 convolution bce", "'convolution'" },
    { "2 bce dense:1", "'bce'" },
    { "2 dense:1 sigmoid", "'sigmoid'" },
    { "2 relu:0.3 dense:1 bce", "'relu:0.3'" },
    { "2 leaky_relu:abc dense:1 bce", "'leaky_relu:abc'" },
    { "2 dropout:1.5 dense:1 bce", "'dropout:1.5'" },
    { "2 dropout:-0.1 dense:1 bce", "'dropout:-0.1'" },
    { "2 batchnorm:3 dense:1 bce", "'batchnorm:3'" },
    { "2 dense:1 bce:2", "'bce:2'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GError *error = NULL;
      NwSpec *spec = nw_spec_new_chain (cases[i].text, &error);
      CU_ASSERT_PTR_NULL (spec);
      nw_spec_free (spec);
      NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SPEC, cases[i].needle);
    }
}

static void
test_copy_find_remove (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("2 dense:10 tanh dense:1 sigmoid bce", &error);
  g_autoptr (NwSpec) copy = NULL;

  NW_ASSERT_NO_ERROR (error);
  spec->name = g_strdup ("orig");
  spec->data.path = g_strdup ("/data/points.csv");
  copy = nw_spec_copy (spec);
  CU_ASSERT_TRUE (spec_equal (spec, copy));
  CU_ASSERT_PTR_NOT_EQUAL (copy->name, spec->name);
  CU_ASSERT_PTR_NOT_EQUAL (copy->data.path, spec->data.path);
  CU_ASSERT_PTR_NOT_EQUAL (node (copy, 1), node (spec, 1));
  CU_ASSERT_PTR_NOT_EQUAL (node (copy, 1)->id, node (spec, 1)->id);
  CU_ASSERT_PTR_NOT_EQUAL (edge (copy, 1)->from, edge (spec, 1)->from);

  /* Changing the copy leaves the original alone. */
  nw_spec_find_node (copy, "dense1")->units = 99;
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "dense1")->units, 10);
  CU_ASSERT_PTR_NULL (nw_spec_find_node (spec, "nope"));
  CU_ASSERT_PTR_NULL (nw_spec_find_node (spec, NULL));
  CU_ASSERT_PTR_EQUAL (nw_spec_find_node (spec, "act1"), node (spec, 2));

  CU_ASSERT_TRUE (nw_spec_remove_node (copy, "act1"));
  CU_ASSERT_FALSE (nw_spec_remove_node (copy, "act1"));
  ASSERT_TEXT (ids_text (copy), "input dense1 dense2 act2 loss");
  ASSERT_TEXT (edges_text (copy), "input>dense1:0 dense2>act2:0 act2>loss:0");
  ASSERT_TEXT (ids_text (spec), "input dense1 act1 dense2 act2 loss");
  CU_ASSERT_EQUAL (spec->edges->len, 5);

  nw_spec_add_edge (copy, "dense1", "dense2", 0);
  CU_ASSERT_TRUE (nw_spec_validate (copy, 2, 1, 2, NULL, NULL, &error));
  NW_ASSERT_NO_ERROR (error);
}

/* JSON ------------------------------------------------------------------------------------ */

#define HEAD "{\"format\": \"neurowire-spec\", \"version\": 1, "
#define CHAIN_NODES \
  "\"nodes\": [{\"id\": \"input\", \"type\": \"input\"}, " \
  "{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 4}, " \
  "{\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"mse\"}]"

/* A spec with every kind of node and awkward values. */
static NwSpec *
awkward_spec (void)
{
  NwSpec *spec = nw_spec_new ();
  NwNodeSpec *n;

  spec->name = g_strdup ("Quotes \" and \\ backslash, tab\t, newline\n, unicode \xc3\xa9\xe2\x86\x92");
  spec->description = NULL;
  n = nw_spec_add_node (spec, NW_NODE_INPUT, "input");
  n->x = -12.5;
  n->y = 1e-300;
  n = dense (spec, "fc1", 7);
  n->bias = FALSE;
  n->weight_init = NW_INIT_NORMAL;
  n->weight_init_param = 0.1;
  n->bias_init = NW_INIT_CONSTANT;
  n->bias_init_param = -1.0 / 3.0;
  n->x = 0.30000000000000004;
  n = nw_spec_add_node (spec, NW_NODE_ACTIVATION, "act.1");
  n->activation = NW_ACT_LEAKY_RELU;
  n->alpha = 0.2;
  n = nw_spec_add_node (spec, NW_NODE_DROPOUT, "drop-1");
  n->p = 0.1;
  n->enabled = FALSE;
  n = nw_spec_add_node (spec, NW_NODE_BATCHNORM, "bn_1");
  n->momentum = 1.0;
  n->eps = 1e-5;
  n->affine = FALSE;
  n->enabled = FALSE;
  n = nw_spec_add_node (spec, NW_NODE_LAYERNORM, "LN1");
  n->eps = 4.9406564584124654e-324;   /* the smallest denormal */
  n->affine = FALSE;
  nw_spec_add_node (spec, NW_NODE_ADD, "sum");
  nw_spec_add_node (spec, NW_NODE_CONCAT, "cat");
  n = nw_spec_add_node (spec, NW_NODE_LOSS, "loss");
  n->loss = NW_LOSS_SOFTMAX_XENT;
  n->y = 1.7976931348623157e308;
  nw_spec_add_edge (spec, "input", "fc1", 0);
  nw_spec_add_edge (spec, "fc1", "cat", 3);   /* the graph need not be valid to be saved */
  nw_spec_add_edge (spec, "x", "y", 0);

  spec->data.kind = NW_DATA_MNIST;
  spec->data.n = 1234;
  spec->data.noise = 0.7;
  spec->data.test_ratio = 1.0 / 7.0;
  spec->data.seed = G_MAXINT64;
  spec->data.path = g_strdup ("/home/st\xc3\xbc" "dent/mnist");
  spec->data.train_limit = 5000;
  spec->train.optimizer = NW_OPT_ADAMW;
  spec->train.lr = 3e-4;
  spec->train.momentum = 0.95;
  spec->train.beta1 = 0.85;
  spec->train.beta2 = 0.9999;
  spec->train.eps = 1e-10;
  spec->train.rho = 0.9;
  spec->train.weight_decay = 0.05;
  spec->train.l1 = 1e-6;
  spec->train.l2 = 0.001;
  spec->train.batch_size = 64;
  spec->train.steps = G_GINT64_CONSTANT (5000000000);
  spec->train.epochs = 3;
  spec->train.seed = 42;
  spec->train.log_every = 7;
  return spec;
}

static void
test_json_roundtrip (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = awkward_spec ();
  g_autoptr (NwSpec) back = NULL;
  g_autoptr (NwSpec) again = NULL;
  g_autofree char *json = nw_spec_to_json (spec);
  g_autofree char *json2 = NULL;
  g_autofree char *path = nw_test_path ("roundtrip.json");
  g_autofree char *saved = NULL;

  back = nw_spec_from_json (json, -1, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (spec_equal (spec, back));

  /* save, load, save, load: same spec, same bytes */
  CU_ASSERT_TRUE (nw_spec_save (back, path, &error));
  NW_ASSERT_NO_ERROR (error);
  again = nw_spec_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (spec_equal (spec, again));
  json2 = nw_spec_to_json (again);
  CU_ASSERT_STRING_EQUAL (json, json2);
  CU_ASSERT_TRUE (g_file_get_contents (path, &saved, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (saved, json);

  /* Readable numbers, every field, explicit edges, 2-space indentation. */
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\n  \"nodes\": [\n    {\n      \"id\": \"input\","));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"weight_init_param\": 0.1,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"eps\": 1e-05,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"lr\": 0.0003,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"momentum\": 1.0,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"description\": null,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"steps\": 5000000000,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"edges\": ["));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"port\": 3"));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"kind\": \"mnist\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"optimizer\": \"adamw\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"log_every\": 7\n"));

  /* An empty spec roundtrips too. */
  {
    g_autoptr (NwSpec) empty = nw_spec_new ();
    g_autofree char *text = nw_spec_to_json (empty);
    g_autoptr (NwSpec) loaded = nw_spec_from_json (text, -1, &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_TRUE (spec_equal (empty, loaded));
    CU_ASSERT_PTR_NOT_NULL (strstr (text, "\"nodes\": [],"));
  }
}

/* The full example in docs/spec-format.md loads, validates, and roundtrips. */
static void
test_json_doc_example (void)
{
  GError *error = NULL;
  g_autofree char *doc_path = nw_test_source_path ("docs/spec-format.md");
  g_autofree char *doc = NULL;
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (NwSpec) small = NULL;
  g_autoptr (NwSpec) back = NULL;
  g_autoptr (GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *json = NULL;
  const char *start, *end;

  CU_ASSERT_FATAL (g_file_get_contents (doc_path, &doc, NULL, NULL));
  start = strstr (doc, "```json\n");
  CU_ASSERT_FATAL (start != NULL);
  start += strlen ("```json\n");
  end = strstr (start, "```");
  CU_ASSERT_FATAL (end != NULL);
  spec = nw_spec_from_json (start, end - start, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_STRING_EQUAL (spec->name, "XOR with a skip");
  CU_ASSERT_EQUAL (spec->nodes->len, 12);
  CU_ASSERT_EQUAL (spec->edges->len, 13);
  CU_ASSERT_EQUAL (spec->data.kind, NW_DATA_XOR_CLOUD);
  CU_ASSERT_EQUAL (spec->train.optimizer, NW_OPT_ADAM);
  CU_ASSERT_EQUAL (spec->train.batch_size, 32);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "fc1")->weight_init, NW_INIT_XAVIER_UNIFORM);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "fc1")->bias_init, NW_INIT_ZEROS);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "input")->x, 40.0);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "prob")->activation, NW_ACT_SIGMOID);
  CU_ASSERT_TRUE (nw_spec_validate (spec, 2, 1, 2, NULL, widths, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (g_array_index (widths, int, 8), 10);   /* cat: 8 + 2 */

  json = nw_spec_to_json (spec);
  back = nw_spec_from_json (json, -1, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (spec_equal (spec, back));

  /* The second example: a chain without edges, defaults for the rest. */
  start = strstr (end + 3, "```json\n");
  CU_ASSERT_FATAL (start != NULL);
  start += strlen ("```json\n");
  end = strstr (start, "```");
  CU_ASSERT_FATAL (end != NULL);
  small = nw_spec_from_json (start, end - start, &error);
  NW_ASSERT_NO_ERROR (error);
  ASSERT_TEXT (edges_text (small), "input>fc1:0 fc1>act1:0 act1>fc2:0 fc2>act2:0 act2>loss:0");
  CU_ASSERT_EQUAL (small->train.lr, 1.0);
  CU_ASSERT_EQUAL (small->train.steps, 10001);
  CU_ASSERT_TRUE (nw_spec_validate (small, 2, 1, 2, NULL, NULL, &error));
  NW_ASSERT_NO_ERROR (error);
}

static void
test_json_defaults (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) defaults = nw_spec_new ();
  g_autoptr (NwSpec) spec = nw_spec_from_json (HEAD CHAIN_NODES "}", -1, &error);
  static const struct { const char *optimizer; double momentum, eps, weight_decay; } opt[] = {
    { "sgd", 0.0, 1e-8, 0.0 },
    { "momentum", 0.9, 1e-8, 0.0 },
    { "nesterov", 0.9, 1e-8, 0.0 },
    { "adagrad", 0.0, 1e-10, 0.0 },
    { "rmsprop", 0.0, 1e-8, 0.0 },
    { "adam", 0.0, 1e-8, 0.0 },
    { "adamw", 0.0, 1e-8, 0.01 },
  };

  NW_ASSERT_NO_ERROR (error);
  /* edges absent: chained in order */
  ASSERT_TEXT (edges_text (spec), "input>fc1:0 fc1>loss:0");
  CU_ASSERT_PTR_NULL (spec->name);
  CU_ASSERT_PTR_NULL (spec->description);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "loss")->loss, NW_LOSS_MSE);
  CU_ASSERT_TRUE (nw_spec_find_node (spec, "fc1")->bias);
  /* data and training absent: every default */
  CU_ASSERT_EQUAL (memcmp (&spec->train, &defaults->train, sizeof spec->train), 0);
  CU_ASSERT_EQUAL (spec->data.n, 200);
  CU_ASSERT_EQUAL (spec->data.noise, 0.1);
  CU_ASSERT_EQUAL (spec->data.kind, NW_DATA_XOR);

  for (guint i = 0; i < G_N_ELEMENTS (opt); i++)
    {
      g_autofree char *json = g_strdup_printf (HEAD CHAIN_NODES ", \"data\": {\"kind\": \"spiral\"}, "
                                               "\"training\": {\"lr\": 0.5, \"optimizer\": \"%s\"}}",
                                               opt[i].optimizer);
      g_autoptr (NwSpec) s = nw_spec_from_json (json, -1, &error);
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT_EQUAL (s->train.optimizer, (NwOptimizerKind) i);
      CU_ASSERT_EQUAL (s->train.momentum, opt[i].momentum);
      CU_ASSERT_EQUAL (s->train.eps, opt[i].eps);
      CU_ASSERT_EQUAL (s->train.weight_decay, opt[i].weight_decay);
      CU_ASSERT_EQUAL (s->train.lr, 0.5);
      CU_ASSERT_EQUAL (s->train.beta2, 0.999);
      CU_ASSERT_EQUAL (s->data.kind, NW_DATA_SPIRAL);
      CU_ASSERT_EQUAL (s->data.test_ratio, 0.2);
    }

  /* An explicit value wins whatever the order of the fields. */
  {
    g_autoptr (NwSpec) s = nw_spec_from_json (
      HEAD CHAIN_NODES ", \"edges\": [], \"training\": {\"momentum\": 0.5, \"eps\": 0.001, "
      "\"optimizer\": \"nesterov\", \"seed\": 9223372036854775807, \"steps\": 0, \"epochs\": 5}}",
      -1, &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_EQUAL (s->edges->len, 0);   /* explicit empty edges: none */
    CU_ASSERT_EQUAL (s->train.optimizer, NW_OPT_NESTEROV);
    CU_ASSERT_EQUAL (s->train.momentum, 0.5);
    CU_ASSERT_EQUAL (s->train.eps, 0.001);
    CU_ASSERT_EQUAL (s->train.seed, (guint64) G_MAXINT64);
    CU_ASSERT_EQUAL (s->train.epochs, 5);
  }

  /* Activation alpha follows the activation unless given; integral doubles are integers. */
  {
    g_autoptr (NwSpec) s = nw_spec_from_json (
      HEAD "\"nodes\": [{\"id\": \"a\", \"type\": \"activation\", \"activation\": \"leaky_relu\"},"
      "{\"id\": \"b\", \"type\": \"activation\", \"activation\": \"elu\"},"
      "{\"id\": \"c\", \"type\": \"activation\", \"alpha\": 0.3, \"activation\": \"leaky_relu\"},"
      "{\"id\": \"d\", \"type\": \"dense\", \"units\": 10.0, \"x\": 3, \"y\": -4.5},"
      "{\"id\": \"e\", \"type\": \"activation\", \"activation\": \"GELU\"}],"
      "\"name\": \"n\", \"description\": \"d\", \"data\": {\"path\": \"a.csv\", \"kind\": \"csv\"}}",
      -1, &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_EQUAL (node (s, 0)->alpha, 0.01);
    CU_ASSERT_EQUAL (node (s, 1)->alpha, 1.0);
    CU_ASSERT_EQUAL (node (s, 2)->alpha, 0.3);
    CU_ASSERT_EQUAL (node (s, 3)->units, 10);
    CU_ASSERT_EQUAL (node (s, 3)->x, 3.0);
    CU_ASSERT_EQUAL (node (s, 3)->y, -4.5);
    CU_ASSERT_EQUAL (node (s, 4)->activation, NW_ACT_GELU);
    CU_ASSERT_STRING_EQUAL (s->name, "n");
    CU_ASSERT_STRING_EQUAL (s->description, "d");
    CU_ASSERT_STRING_EQUAL (s->data.path, "a.csv");
    CU_ASSERT_EQUAL (s->data.kind, NW_DATA_CSV);
  }
}

/* Loads `json` from a file called xor.json and checks the error. */
static void
check_load_error (int line, const char *json, int code, const char *needle1, const char *needle2)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_write ("xor.json", json, strlen (json));
  NwSpec *spec = nw_spec_load (path, &error);

  if (spec != NULL)
    g_printerr ("test-spec.c:%d: loaded, expected an error\n", line);
  CU_ASSERT_PTR_NULL (spec);
  nw_spec_free (spec);
  if (error != NULL && (strstr (error->message, needle1) == NULL
                        || (needle2 != NULL && strstr (error->message, needle2) == NULL)))
    g_printerr ("test-spec.c:%d: (case)\n", line);
  NW_ASSERT_ERROR (error, NW_ERROR, code, "xor.json: ", needle1, needle2);
}

#define LOAD_ERROR(json, code, needle) check_load_error (__LINE__, json, code, needle, NULL)
#define LOAD_ERROR2(json, code, n1, n2) check_load_error (__LINE__, json, code, n1, n2)
#define NODE(fields) HEAD "\"nodes\": [{\"id\": \"input\", \"type\": \"input\"}, " fields "]}"
#define TRAIN(fields) HEAD CHAIN_NODES ", \"training\": {" fields "}}"
#define DATA(fields) HEAD CHAIN_NODES ", \"data\": {" fields "}}"
#define EDGES(fields) HEAD CHAIN_NODES ", \"edges\": [" fields "]}"

/* Nested JSON: `n` objects ({"a":{"a":...1...}}) or `n` arrays ([[[...]]]), inside the
 * 'description' of a spec so that only the depth is wrong. New string. */
static char *
deep_spec_text (guint n, gboolean objects)
{
  GString *s = g_string_new (HEAD CHAIN_NODES ", \"description\": ");
  for (guint i = 0; i < n; i++)
    g_string_append (s, objects ? "{\"a\":" : "[");
  g_string_append (s, objects ? "1" : "");
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, objects ? '}' : ']');
  g_string_append (s, "}");
  return g_string_free (s, FALSE);
}

/* json-glib's parser recurses per level: these overflowed the stack (SIGSEGV) before the
 * depth check; now they are refused with the file's name and the limit. */
static void
test_json_errors_deep (void)
{
  GError *error = NULL;
  g_autofree char *objects = deep_spec_text (60000, TRUE);
  g_autofree char *arrays = deep_spec_text (200000, FALSE);
  g_autofree char *path = nw_test_write ("deep.json", objects, strlen (objects));
  g_autofree char *at_limit = deep_spec_text (NW_JSON_MAX_DEPTH - 1, FALSE);
  g_autofree char *over_limit = deep_spec_text (NW_JSON_MAX_DEPTH, FALSE);
  NwSpec *spec;

  spec = nw_spec_load (path, &error);
  CU_ASSERT_PTR_NULL (spec);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SPEC, "deep.json: ", "nesting deeper than 256 levels");

  spec = nw_spec_from_json (arrays, -1, &error);
  CU_ASSERT_PTR_NULL (spec);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SPEC, "<string>: ", "nesting deeper than 256 levels");

  /* the document's own object is level 1: 255 arrays inside it reach the limit and parse,
   * to the description's type error; one more is refused before the parser */
  spec = nw_spec_from_json (at_limit, -1, &error);
  CU_ASSERT_PTR_NULL (spec);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SPEC, "'description'");
  spec = nw_spec_from_json (over_limit, -1, &error);
  CU_ASSERT_PTR_NULL (spec);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SPEC, "nesting deeper than 256 levels");
}

/* Brackets inside strings are text, not nesting: a description of 100,000 of them (with
 * escaped quotes and backslashes among them) loads. */
static void
test_json_deep_string (void)
{
  GError *error = NULL;
  GString *s = g_string_new (HEAD CHAIN_NODES ", \"description\": \"");
  g_autofree char *text = NULL;
  g_autoptr (NwSpec) spec = NULL;

  for (guint i = 0; i < 25000; i++)
    g_string_append (s, "[{\\\"\\\\");   /* [{\"\\ : an escaped quote, an escaped backslash */
  for (guint i = 0; i < 50000; i++)
    g_string_append_c (s, i % 2 ? '[' : '{');
  g_string_append (s, "\"}");
  text = g_string_free (s, FALSE);

  spec = nw_spec_from_json (text, -1, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (spec);
  CU_ASSERT_EQUAL (strlen (spec->description), 25000 * 4 + 50000);
  CU_ASSERT_EQUAL (spec->description[0], '[');
  CU_ASSERT_EQUAL (spec->description[2], '"');
  CU_ASSERT_EQUAL (spec->description[3], '\\');
}

/* The checker itself: strings with escapes, closers, unbalanced text left to the parser. */
static void
test_json_check_depth (void)
{
  GError *error = NULL;
  static const char ok[] = "{\"a\": [[1], {\"b\": \"]]]}}}\\\"[[[[\"}]}";

  CU_ASSERT_TRUE (nw_json_check_depth (ok, strlen (ok), 3, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FALSE (nw_json_check_depth (ok, strlen (ok), 2, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "nesting deeper than 2 levels at byte ");
  /* "[[]]]]]][[[" never holds more than 2 open at once if extra closers do not go negative */
  CU_ASSERT_TRUE (nw_json_check_depth ("[[]]]]]][[", 10, 2, &error));
  CU_ASSERT_FALSE (nw_json_check_depth ("[[]]]]]][[[", 11, 2, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "at byte 10");
  /* a string that never ends hides everything after its quote */
  CU_ASSERT_TRUE (nw_json_check_depth ("[\"[[[[", 6, 1, &error));
  CU_ASSERT_TRUE (nw_json_check_depth ("", 0, 1, &error));
  NW_ASSERT_NO_ERROR (error);
}

/* json-glib ends a string at a \u0000: "fc\u0000../../etc" was read as the id "fc", and the
 * id's character check never saw the rest. Now refused, naming the node and the field. */
static void
test_json_errors_nul (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = NULL;

  LOAD_ERROR (NODE ("{\"id\": \"fc\\u0000../../etc\", \"type\": \"dense\", \"units\": 4}"),
              NW_ERROR_SPEC, "xor.json: node 1: 'id' holds the character NUL");
  LOAD_ERROR (NODE ("{\"id\": \"fc\", \"type\": \"dense\\u0000x\", \"units\": 4}"),
              NW_ERROR_SPEC, "node 1: 'type' holds the character NUL");
  LOAD_ERROR (HEAD "\"name\": \"xor\\u0000\", " CHAIN_NODES "}", NW_ERROR_SPEC,
              "xor.json: 'name' holds the character NUL");
  LOAD_ERROR (NODE ("{\"id\": \"fc\", \"type\": \"activation\", \"activation\": \"relu\\u0000\"}"),
              NW_ERROR_SPEC, "node 'fc': 'activation' holds the character NUL");
  LOAD_ERROR (EDGES ("{\"from\": \"input\\u0000\", \"to\": \"fc1\"}"), NW_ERROR_SPEC,
              "'from' holds the character NUL");

  /* an escaped backslash before u0000 is the six characters \u0000, not a NUL */
  spec = nw_spec_from_json (HEAD "\"description\": \"a\\\\u0000b \\\"\\\\\\\\u0000\", " CHAIN_NODES "}",
                            -1, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (spec);
  CU_ASSERT_STRING_EQUAL (spec->description, "a\\u0000b \"\\\\u0000");
}

/* json-glib wraps integers beyond gint64: "steps": 2^63 was read (and reported) as
 * -9223372036854775808, 99999999999999999999 as -1. Refused as written, naming the field. */
static void
test_json_errors_huge_integer (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = NULL;

  LOAD_ERROR2 (TRAIN ("\"steps\": 9223372036854775808"), NW_ERROR_RANGE,
               "xor.json: line 1: 'steps' is 9223372036854775808, out of range", "9223372036854775807");
  LOAD_ERROR (TRAIN ("\"epochs\": 99999999999999999999"), NW_ERROR_RANGE,
              "'epochs' is 99999999999999999999, out of range");
  LOAD_ERROR (HEAD "\"version\": -9223372036854775809, " CHAIN_NODES "}", NW_ERROR_RANGE,
              "'version' is -9223372036854775809, out of range");
  /* the limits themselves reach the reader's own checks; a string or a double is not one */
  LOAD_ERROR (TRAIN ("\"steps\": -9223372036854775808"), NW_ERROR_RANGE, "(got -9223372036854775808)");
  spec = nw_spec_from_json (HEAD "\"description\": \"99999999999999999999\", " CHAIN_NODES
                            ", \"training\": {\"steps\": 9223372036854775807, \"lr\": 99999999999999999999.0}}",
                            -1, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (spec);
  CU_ASSERT_EQUAL (spec->train.steps, G_MAXINT64);
}

static void
test_json_errors_document (void)
{
  GError *error = NULL;
  g_autofree char *missing = nw_test_path ("no-such-spec.json");
  NwSpec *spec;

  LOAD_ERROR ("{\n  \"format\": \"neurowire-spec\",\n  \"version\": 1,\n  \"nodes\": [,]\n}",
              NW_ERROR_SPEC, "xor.json: line 4: ");
  LOAD_ERROR ("{\"format\": \"neurowire-spec\"", NW_ERROR_SPEC, "line 1: ");
  LOAD_ERROR ("", NW_ERROR_SPEC, "empty");
  LOAD_ERROR ("[1, 2]", NW_ERROR_SPEC, "must be a JSON object");
  LOAD_ERROR ("{\"format\": \"neurowire-spec\", \"version\": 1, \"nodes\": [], \"lr\": NaN}",
              NW_ERROR_SPEC, "line 1: ");
  LOAD_ERROR ("{\"format\": \"other\", \"version\": 1, \"nodes\": []}", NW_ERROR_SPEC,
              "xor.json: 'format' is not 'neurowire-spec'");
  LOAD_ERROR ("{\"version\": 1, \"nodes\": []}", NW_ERROR_SPEC, "'format' is missing");
  LOAD_ERROR ("{\"format\": 1, \"version\": 1, \"nodes\": []}", NW_ERROR_SPEC, "'format' must be a string");
  LOAD_ERROR ("{\"format\": \"neurowire-spec\", \"version\": 2, \"nodes\": []}", NW_ERROR_SPEC,
              "xor.json: unsupported version 2");
  LOAD_ERROR ("{\"format\": \"neurowire-spec\", \"nodes\": []}", NW_ERROR_SPEC, "'version' is missing");
  LOAD_ERROR ("{\"format\": \"neurowire-spec\", \"version\": \"1\", \"nodes\": []}", NW_ERROR_SPEC,
              "'version' must be an integer");
  LOAD_ERROR (HEAD "\"nodes\": [], \"trainig\": {}}", NW_ERROR_SPEC, "xor.json: unknown field 'trainig'");
  LOAD_ERROR (HEAD "\"name\": 3, \"nodes\": []}", NW_ERROR_SPEC, "'name' must be a string or null");
  LOAD_ERROR (HEAD "\"description\": [], \"nodes\": []}", NW_ERROR_SPEC, "'description'");
  LOAD_ERROR (HEAD "\"edges\": []}", NW_ERROR_SPEC, "'nodes' is missing");
  LOAD_ERROR (HEAD "\"nodes\": {}}", NW_ERROR_SPEC, "'nodes' must be an array, not an object");
  LOAD_ERROR (HEAD CHAIN_NODES ", \"edges\": {}}", NW_ERROR_SPEC, "'edges' must be an array");
  LOAD_ERROR (HEAD CHAIN_NODES ", \"data\": []}", NW_ERROR_SPEC, "'data' must be an object");
  LOAD_ERROR (HEAD CHAIN_NODES ", \"training\": null}", NW_ERROR_SPEC, "'training' must be an object, not null");

  /* nw_spec_from_json names the text "<string>" */
  spec = nw_spec_from_json (HEAD "\"nodes\": [1]}", -1, &error);
  CU_ASSERT_PTR_NULL (spec);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SPEC, "<string>: node 0: must be an object, not a number");

  /* a file that is not there */
  spec = nw_spec_load (missing, &error);
  CU_ASSERT_PTR_NULL (spec);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, missing);
}

static void
test_json_errors_nodes (void)
{
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"unit\": 3}"), NW_ERROR_SPEC,
              "xor.json: node 'fc1': unknown field 'unit'");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": -3}"), NW_ERROR_RANGE,
              "xor.json: node 'fc1': 'units' must be a positive integer (got -3)");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 0}"), NW_ERROR_RANGE,
              "node 'fc1': 'units' must be a positive integer (got 0)");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 1048577}"), NW_ERROR_RANGE,
              "node 'fc1': 'units' must be at most 1048576 (got 1048577)");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": \"ten\"}"), NW_ERROR_SPEC,
              "node 'fc1': 'units' must be an integer, not a string");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 2.5}"), NW_ERROR_SPEC,
              "node 'fc1': 'units' must be an integer (got 2.5)");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\"}"), NW_ERROR_SPEC,
              "node 'fc1': 'units' is missing");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 3, \"bias\": 1}"), NW_ERROR_SPEC,
              "node 'fc1': 'bias' must be true or false, not a number");
  LOAD_ERROR2 (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 3, \"weight_init\": \"glorot\"}"),
               NW_ERROR_SPEC, "node 'fc1': unknown initializer 'glorot'", "xavier_uniform");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 3, \"bias_init\": null}"),
              NW_ERROR_SPEC, "node 'fc1': 'bias_init' must be a string, not null");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 3, \"weight_init_param\": \"1\"}"),
              NW_ERROR_SPEC, "node 'fc1': 'weight_init_param' must be a number, not a string");
  LOAD_ERROR (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 3, \"p\": 0.5}"), NW_ERROR_SPEC,
              "node 'fc1': unknown field 'p'");
  LOAD_ERROR (NODE ("{\"id\": \"drop1\", \"type\": \"dropout\", \"p\": 1.5}"), NW_ERROR_RANGE,
              "xor.json: node 'drop1': dropout 'p' must be in [0, 1) (got 1.5)");
  LOAD_ERROR (NODE ("{\"id\": \"drop1\", \"type\": \"dropout\", \"p\": 1}"), NW_ERROR_RANGE,
              "node 'drop1': dropout 'p' must be in [0, 1) (got 1.0)");
  LOAD_ERROR (NODE ("{\"id\": \"drop1\", \"type\": \"dropout\", \"p\": -0.1}"), NW_ERROR_RANGE,
              "dropout 'p' must be in [0, 1) (got -0.1)");
  LOAD_ERROR (NODE ("{\"id\": \"drop1\", \"type\": \"dropout\", \"enabled\": \"yes\"}"), NW_ERROR_SPEC,
              "node 'drop1': 'enabled' must be true or false, not a string");
  LOAD_ERROR (NODE ("{\"id\": \"bn1\", \"type\": \"batchnorm\", \"momentum\": 1.5}"), NW_ERROR_RANGE,
              "node 'bn1': batchnorm 'momentum' must be in [0, 1] (got 1.5)");
  LOAD_ERROR (NODE ("{\"id\": \"bn1\", \"type\": \"batchnorm\", \"eps\": 0}"), NW_ERROR_RANGE,
              "node 'bn1': batchnorm 'eps' must be finite and > 0 (got 0.0)");
  LOAD_ERROR (NODE ("{\"id\": \"bn1\", \"type\": \"batchnorm\", \"affine\": null}"), NW_ERROR_SPEC,
              "node 'bn1': 'affine' must be true or false, not null");
  LOAD_ERROR (NODE ("{\"id\": \"bn1\", \"type\": \"batchnorm\", \"eps\": 1e999}"), NW_ERROR_RANGE,
              "node 'bn1': batchnorm 'eps' must be finite and > 0");
  LOAD_ERROR (NODE ("{\"id\": \"ln1\", \"type\": \"layernorm\", \"eps\": -1e-5}"), NW_ERROR_RANGE,
              "node 'ln1': layernorm 'eps' must be finite and > 0 (got -1e-05)");
  LOAD_ERROR (NODE ("{\"id\": \"ln1\", \"type\": \"layernorm\", \"enabled\": true}"), NW_ERROR_SPEC,
              "node 'ln1': unknown field 'enabled'");
  LOAD_ERROR2 (NODE ("{\"id\": \"act1\", \"type\": \"activation\", \"activation\": \"sigmod\"}"),
               NW_ERROR_SPEC, "node 'act1': unknown activation 'sigmod'", "sigmoid");
  LOAD_ERROR (NODE ("{\"id\": \"act1\", \"type\": \"activation\", \"alpha\": \"big\"}"), NW_ERROR_SPEC,
              "node 'act1': 'alpha' must be a number, not a string");
  LOAD_ERROR (NODE ("{\"id\": \"act1\", \"type\": \"activation\", \"alpha\": -1e999}"), NW_ERROR_RANGE,
              "node 'act1': 'alpha' must be finite");
  LOAD_ERROR2 (NODE ("{\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"hinge\"}"), NW_ERROR_SPEC,
               "node 'loss': unknown loss 'hinge'", "softmax_xent");
  LOAD_ERROR (NODE ("{\"id\": \"loss\", \"type\": \"loss\", \"x\": \"left\"}"), NW_ERROR_SPEC,
              "node 'loss': 'x' must be a number, not a string");
  LOAD_ERROR (NODE ("{\"id\": \"sum\", \"type\": \"add\", \"units\": 3}"), NW_ERROR_SPEC,
              "node 'sum': unknown field 'units'");
  LOAD_ERROR (HEAD "\"nodes\": [{\"id\": \"input\", \"type\": \"input\", \"units\": 2}]}", NW_ERROR_SPEC,
              "node 'input': unknown field 'units'");
  LOAD_ERROR (NODE ("{\"id\": \"a\", \"type\": \"add\"}, {\"id\": \"b\", \"type\": \"add\"}, "
                    "{\"id\": \"conv1\", \"type\": \"convolution\"}"), NW_ERROR_SPEC,
              "xor.json: node 3: unknown type 'convolution'");
  LOAD_ERROR (NODE ("{\"id\": \"a\"}"), NW_ERROR_SPEC, "node 1: 'type' is missing");
  LOAD_ERROR (NODE ("{\"id\": \"a\", \"type\": 7}"), NW_ERROR_SPEC, "node 1: 'type' must be a string");
  LOAD_ERROR (NODE ("{\"type\": \"add\"}"), NW_ERROR_SPEC, "node 1: 'id' is missing");
  LOAD_ERROR2 (NODE ("{\"id\": \"a b\", \"type\": \"add\"}"), NW_ERROR_SPEC, "node 1: 'id' must be", "'a b'");
  LOAD_ERROR (NODE ("{\"id\": \"\", \"type\": \"add\"}"), NW_ERROR_SPEC, "node 1: 'id' must be");
  LOAD_ERROR (NODE ("\"fc1\""), NW_ERROR_SPEC, "node 1: must be an object, not a string");
  LOAD_ERROR2 (NODE ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 3}, {\"id\": \"a\", \"type\": \"add\"}, "
                     "{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 5}"),
               NW_ERROR_SPEC, "node 'fc1': the id 'fc1' is used twice", "nodes 1 and 3");
}

static void
test_json_errors_settings (void)
{
  LOAD_ERROR (TRAIN ("\"lr\": -0.1"), NW_ERROR_RANGE,
              "xor.json: training: 'lr' must be finite and >= 0 (got -0.1)");
  LOAD_ERROR (TRAIN ("\"lr\": \"fast\""), NW_ERROR_SPEC, "training: 'lr' must be a number, not a string");
  LOAD_ERROR (TRAIN ("\"lr\": 1e400"), NW_ERROR_RANGE, "training: 'lr' must be finite");
  LOAD_ERROR2 (TRAIN ("\"optimizer\": \"lbfgs\""), NW_ERROR_SPEC, "training: unknown optimizer 'lbfgs'", "adamw");
  LOAD_ERROR (TRAIN ("\"momentum\": 1.0"), NW_ERROR_RANGE, "training: 'momentum' must be in [0, 1) (got 1.0)");
  LOAD_ERROR (TRAIN ("\"beta1\": 1"), NW_ERROR_RANGE, "training: 'beta1' must be in [0, 1)");
  LOAD_ERROR (TRAIN ("\"beta2\": -0.5"), NW_ERROR_RANGE, "training: 'beta2' must be in [0, 1)");
  LOAD_ERROR (TRAIN ("\"rho\": 1.0"), NW_ERROR_RANGE, "training: 'rho' must be in [0, 1)");
  LOAD_ERROR (TRAIN ("\"eps\": 0"), NW_ERROR_RANGE, "training: 'eps' must be finite and > 0");
  LOAD_ERROR (TRAIN ("\"weight_decay\": -1"), NW_ERROR_RANGE, "training: 'weight_decay' must be finite and >= 0");
  LOAD_ERROR (TRAIN ("\"l1\": -0.001"), NW_ERROR_RANGE, "training: 'l1' must be finite and >= 0");
  LOAD_ERROR (TRAIN ("\"l2\": -2"), NW_ERROR_RANGE, "training: 'l2' must be finite and >= 0");
  LOAD_ERROR (TRAIN ("\"batch_size\": -1"), NW_ERROR_RANGE, "training: 'batch_size' must be an integer >= 0 (got -1)");
  LOAD_ERROR (TRAIN ("\"batch_size\": 3000000000"), NW_ERROR_RANGE, "training: 'batch_size' must be at most");
  LOAD_ERROR (TRAIN ("\"steps\": -5"), NW_ERROR_RANGE, "training: 'steps' must be an integer >= 0");
  LOAD_ERROR (TRAIN ("\"epochs\": -1"), NW_ERROR_RANGE, "training: 'epochs' must be an integer >= 0");
  LOAD_ERROR (TRAIN ("\"steps\": 1.5"), NW_ERROR_SPEC, "training: 'steps' must be an integer (got 1.5)");
  LOAD_ERROR (TRAIN ("\"seed\": -1"), NW_ERROR_RANGE, "training: 'seed' must be an integer >= 0");
  LOAD_ERROR (TRAIN ("\"log_every\": 0"), NW_ERROR_RANGE, "training: 'log_every' must be a positive integer");
  LOAD_ERROR (TRAIN ("\"learning_rate\": 0.1"), NW_ERROR_SPEC, "training: unknown field 'learning_rate'");

  LOAD_ERROR (DATA ("\"n\": 0"), NW_ERROR_RANGE, "xor.json: data: 'n' must be a positive integer (got 0)");
  LOAD_ERROR (DATA ("\"n\": 10000001"), NW_ERROR_RANGE, "data: 'n' must be at most 10000000");
  LOAD_ERROR (DATA ("\"noise\": -0.1"), NW_ERROR_RANGE, "data: 'noise' must be finite and >= 0 (got -0.1)");
  LOAD_ERROR (DATA ("\"test_ratio\": 1"), NW_ERROR_RANGE, "data: 'test_ratio' must be in [0, 1)");
  LOAD_ERROR2 (DATA ("\"kind\": \"iris\""), NW_ERROR_SPEC, "data: unknown data kind 'iris'", "checkerboard");
  LOAD_ERROR (DATA ("\"path\": 3"), NW_ERROR_SPEC, "data: 'path' must be a string or null, not a number");
  LOAD_ERROR (DATA ("\"seed\": \"x\""), NW_ERROR_SPEC, "data: 'seed' must be an integer");
  LOAD_ERROR (DATA ("\"train_limit\": -1"), NW_ERROR_RANGE, "data: 'train_limit' must be an integer >= 0");
  LOAD_ERROR (DATA ("\"size\": 3"), NW_ERROR_SPEC, "data: unknown field 'size'");

  LOAD_ERROR (EDGES ("{\"from\": \"input\"}"), NW_ERROR_SPEC, "xor.json: edge 0: 'to' is missing");
  LOAD_ERROR (EDGES ("{\"from\": \"input\", \"to\": \"fc1\"}, {\"to\": \"fc1\"}"), NW_ERROR_SPEC,
              "edge 1: 'from' is missing");
  LOAD_ERROR (EDGES ("{\"from\": 1, \"to\": \"fc1\"}"), NW_ERROR_SPEC, "edge 0: 'from' must be a string");
  LOAD_ERROR (EDGES ("{\"from\": \"input\", \"to\": \"fc1\", \"weight\": 1}"), NW_ERROR_SPEC,
              "edge 0: unknown field 'weight'");
  LOAD_ERROR (EDGES ("{\"from\": \"input\", \"to\": \"fc1\", \"port\": -1}"), NW_ERROR_RANGE,
              "edge 'input' -> 'fc1': 'port' must be an integer >= 0 (got -1)");
  LOAD_ERROR (EDGES ("{\"from\": \"input\", \"to\": \"fc1\", \"port\": \"1\"}"), NW_ERROR_SPEC,
              "edge 'input' -> 'fc1': 'port' must be an integer, not a string");
  LOAD_ERROR (EDGES ("[\"input\", \"fc1\"]"), NW_ERROR_SPEC, "edge 0: must be an object, not an array");
}

static void
test_save_atomic (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("2 dense:3 relu dense:1 sigmoid bce", &error);
  g_autofree char *dir = nw_test_path ("save");
  g_autofree char *path = g_build_filename (dir, "net.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "net.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GDir *d;
  const char *name;
  int count = 0;

  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL_FATAL (g_mkdir (dir, 0700), 0);

  /* A save into a missing directory fails, names the path and creates nothing. */
  CU_ASSERT_FALSE (nw_spec_save (spec, bad, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, bad);
  CU_ASSERT_FALSE (g_file_test (bad, G_FILE_TEST_EXISTS));

  /* Save, then overwrite: one file, no temporaries left, the new content. */
  CU_ASSERT_TRUE (nw_spec_save (spec, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (g_file_get_contents (path, &before, NULL, NULL));
  node (spec, 1)->units = 5;
  CU_ASSERT_TRUE (nw_spec_save (spec, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (g_file_get_contents (path, &after, NULL, NULL));
  CU_ASSERT_STRING_NOT_EQUAL (before, after);
  d = g_dir_open (dir, 0, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      CU_ASSERT_STRING_EQUAL (name, "net.json");
      count++;
    }
  g_dir_close (d);
  CU_ASSERT_EQUAL (count, 1);

  /* A failed overwrite leaves the old file as it was (where permissions can make it fail). */
  if (geteuid () != 0)
    {
      g_autofree char *kept = NULL;
      node (spec, 1)->units = 6;
      CU_ASSERT_EQUAL (g_chmod (dir, 0500), 0);
      CU_ASSERT_FALSE (nw_spec_save (spec, path, &error));
      NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, path);
      g_chmod (dir, 0700);
      CU_ASSERT_TRUE (g_file_get_contents (path, &kept, NULL, NULL));
      CU_ASSERT_STRING_EQUAL (kept, after);
    }

  /* A directory where the file should be: the save fails, the directory stays. */
  {
    g_autofree char *sub = g_build_filename (dir, "sub.json", NULL);
    CU_ASSERT_EQUAL (g_mkdir (sub, 0700), 0);
    CU_ASSERT_FALSE (nw_spec_save (spec, sub, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, sub);
    CU_ASSERT_TRUE (g_file_test (sub, G_FILE_TEST_IS_DIR));
    count = 0;
    d = g_dir_open (dir, 0, NULL);
    while ((name = g_dir_read_name (d)) != NULL)
      count++;
    g_dir_close (d);
    CU_ASSERT_EQUAL (count, 2);   /* net.json and sub.json: no temporary left behind */
  }
}

/* Validation ------------------------------------------------------------------------------ */

static NwSpec *
chain (const char *text)
{
  GError *error = NULL;
  NwSpec *spec = nw_spec_new_chain (text, &error);
  NW_ASSERT_NO_ERROR (error);
  return spec;
}

static void
check_invalid (int line, NwSpec *spec, int in, int out, int classes, int code,
               const char *needle1, const char *needle2)
{
  GError *error = NULL;
  gboolean ok = nw_spec_validate (spec, in, out, classes, NULL, NULL, &error);
  if (ok)
    g_printerr ("test-spec.c:%d: validated, expected an error\n", line);
  CU_ASSERT_FALSE (ok);
  if (error != NULL && (strstr (error->message, needle1) == NULL
                        || (needle2 != NULL && strstr (error->message, needle2) == NULL)))
    g_printerr ("test-spec.c:%d: (case)\n", line);
  NW_ASSERT_ERROR (error, NW_ERROR, code, needle1, needle2);
  nw_spec_free (spec);
}

#define INVALID(spec, in, out, classes, needle) \
  check_invalid (__LINE__, spec, in, out, classes, NW_ERROR_SPEC, needle, NULL)

/* Builds input -> a(dense 10) ... by hand: the test names its own ids. */
static NwSpec *
two_branch (int units_a, int units_b, NwNodeKind join)
{
  NwSpec *spec = nw_spec_new ();
  NwNodeSpec *loss;
  nw_spec_add_node (spec, NW_NODE_INPUT, "input");
  dense (spec, "a", units_a);
  dense (spec, "b", units_b);
  nw_spec_add_node (spec, join, join == NW_NODE_ADD ? "sum" : "cat");
  dense (spec, "out", 1);
  loss = nw_spec_add_node (spec, NW_NODE_LOSS, "loss");
  loss->loss = NW_LOSS_BCE_LOGITS;
  nw_spec_add_edge (spec, "input", "a", 0);
  nw_spec_add_edge (spec, "input", "b", 0);
  nw_spec_add_edge (spec, "a", join == NW_NODE_ADD ? "sum" : "cat", 0);
  nw_spec_add_edge (spec, "b", join == NW_NODE_ADD ? "sum" : "cat", 1);
  nw_spec_add_edge (spec, join == NW_NODE_ADD ? "sum" : "cat", "out", 0);
  nw_spec_add_edge (spec, "out", "loss", 0);
  return spec;
}

static void
test_validate_chain (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = chain ("2 dense:10 sigmoid dropout:0.2 batchnorm dense:1 layernorm sigmoid bce");
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  int junk[3] = { 7, 7, 7 };

  /* order and widths are cleared first */
  g_array_append_vals (order, junk, 3);
  g_array_append_vals (widths, junk, 3);
  CU_ASSERT_TRUE (nw_spec_validate (spec, 2, 1, 2, order, widths, &error));
  NW_ASSERT_NO_ERROR (error);
  ASSERT_TEXT (ints_text (order), "0 1 2 3 4 5 6 7 8");
  ASSERT_TEXT (ints_text (widths), "2 10 10 10 10 1 1 1 1");   /* layernorm on width 1 is fine */

  /* regression: mse with 3 targets, no classes */
  {
    g_autoptr (NwSpec) reg = chain ("5 dense:8 tanh dense:3 mse");
    CU_ASSERT_TRUE (nw_spec_validate (reg, 5, 3, 0, order, NULL, &error));
    NW_ASSERT_NO_ERROR (error);
    ASSERT_TEXT (ints_text (order), "0 1 2 3 4");
  }
  /* batchnorm on width 1 */
  {
    g_autoptr (NwSpec) bn = chain ("1 batchnorm dense:1 batchnorm bce_logits");
    CU_ASSERT_TRUE (nw_spec_validate (bn, 1, 1, 2, NULL, widths, &error));
    NW_ASSERT_NO_ERROR (error);
    ASSERT_TEXT (ints_text (widths), "1 1 1 1 1");
  }
}

static void
test_validate_dag (void)
{
  GError *error = NULL;
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (NwSpec) res = NULL;
  g_autoptr (NwSpec) rev = nw_spec_new ();

  /* A residual block: input -> fc1 -> act1 -> fc2 -> act2; sum = act1 + act2; then a concat
   * of sum and the raw input, listed in an order that is not topological. */
  res = nw_spec_new ();
  nw_spec_add_node (res, NW_NODE_LOSS, "loss");
  nw_spec_add_node (res, NW_NODE_CONCAT, "cat");
  nw_spec_add_node (res, NW_NODE_INPUT, "input");
  nw_spec_add_node (res, NW_NODE_ADD, "sum");
  dense (res, "fc2", 6);
  nw_spec_add_node (res, NW_NODE_ACTIVATION, "act2");
  dense (res, "fc1", 6);
  nw_spec_add_node (res, NW_NODE_ACTIVATION, "act1");
  dense (res, "out", 1);
  nw_spec_add_node (res, NW_NODE_ACTIVATION, "prob")->activation = NW_ACT_SIGMOID;
  nw_spec_add_edge (res, "prob", "loss", 0);
  nw_spec_add_edge (res, "out", "prob", 0);
  nw_spec_add_edge (res, "cat", "out", 0);
  nw_spec_add_edge (res, "input", "cat", 1);
  nw_spec_add_edge (res, "sum", "cat", 0);
  nw_spec_add_edge (res, "act2", "sum", 1);
  nw_spec_add_edge (res, "act1", "sum", 0);
  nw_spec_add_edge (res, "fc2", "act2", 0);
  nw_spec_add_edge (res, "act1", "fc2", 0);
  nw_spec_add_edge (res, "fc1", "act1", 0);
  nw_spec_add_edge (res, "input", "fc1", 0);
  CU_ASSERT_TRUE (nw_spec_validate (res, 2, 1, 2, order, widths, &error));
  NW_ASSERT_NO_ERROR (error);
  /* input(2) fc1(6) act1(7) fc2(4) act2(5) sum(3) cat(1) out(8) prob(9) loss(0) */
  ASSERT_TEXT (ints_text (order), "2 6 7 4 5 3 1 8 9 0");
  /*                       loss cat input sum fc2 act2 fc1 act1 out prob */
  ASSERT_TEXT (ints_text (widths), "1 8 2 6 6 6 6 6 1 1");

  /* Two branches ready at once: the lower-listed goes first. */
  nw_spec_add_node (rev, NW_NODE_LOSS, "loss");
  dense (rev, "out", 4);
  nw_spec_add_node (rev, NW_NODE_CONCAT, "cat");
  dense (rev, "b", 5);
  dense (rev, "a", 3);
  nw_spec_add_node (rev, NW_NODE_INPUT, "input");
  nw_spec_add_edge (rev, "input", "a", 0);
  nw_spec_add_edge (rev, "input", "b", 0);
  nw_spec_add_edge (rev, "a", "cat", 0);
  nw_spec_add_edge (rev, "b", "cat", 1);
  nw_spec_add_edge (rev, "cat", "out", 0);
  nw_spec_add_edge (rev, "out", "loss", 0);
  nw_spec_find_node (rev, "loss")->loss = NW_LOSS_SOFTMAX_XENT;
  CU_ASSERT_TRUE (nw_spec_validate (rev, 3, 4, 4, order, widths, &error));
  NW_ASSERT_NO_ERROR (error);
  ASSERT_TEXT (ints_text (order), "5 3 4 2 1 0");
  ASSERT_TEXT (ints_text (widths), "1 4 8 5 3 3");

  /* A three-way add. */
  {
    g_autoptr (NwSpec) three = two_branch (4, 4, NW_NODE_ADD);
    dense (three, "c", 4);
    nw_spec_add_edge (three, "input", "c", 0);
    nw_spec_add_edge (three, "c", "sum", 2);
    CU_ASSERT_TRUE (nw_spec_validate (three, 2, 1, 2, order, widths, &error));
    NW_ASSERT_NO_ERROR (error);
    ASSERT_TEXT (ints_text (order), "0 1 2 6 3 4 5");
    ASSERT_TEXT (ints_text (widths), "2 4 4 4 1 1 4");
  }
}

static void
test_validate_edges (void)
{
  NwSpec *spec;

  /* an edge naming a node that does not exist */
  spec = chain ("2 dense:3 dense:1 bce");
  nw_spec_add_edge (spec, "dense1", "fc9", 0);
  INVALID (spec, 2, 1, 2, "edge 'dense1' -> 'fc9': no node 'fc9'");
  spec = chain ("2 dense:3 dense:1 bce");
  nw_spec_add_edge (spec, "ghost", "dense1", 0);
  INVALID (spec, 2, 1, 2, "edge 'ghost' -> 'dense1': no node 'ghost'");
  spec = chain ("2 dense:3 dense:1 bce");
  nw_spec_add_edge (spec, "dense1", "dense2", 0);   /* would be doubly fed: missing comes first */
  nw_spec_add_edge (spec, "x", "y", 0);
  INVALID (spec, 2, 1, 2, "edge 'x' -> 'y': no node 'x'");

  /* a port out of range */
  spec = chain ("2 dense:3 dense:1 bce");
  nw_spec_add_node (spec, NW_NODE_DENSE, "a")->units = 3;
  nw_spec_add_edge (spec, "a", "dense1", 1);
  INVALID (spec, 2, 1, 2, "edge 'a' -> 'dense1': 'dense1' (dense) has 1 input, not port 1");
  spec = chain ("2 dense:1 bce");
  nw_spec_add_edge (spec, "input", "loss", 2);
  INVALID (spec, 2, 1, 2, "edge 'input' -> 'loss': 'loss' (loss) has 1 input, not port 2");
  spec = two_branch (3, 3, NW_NODE_CONCAT);
  nw_spec_add_edge (spec, "input", "cat", -1);
  INVALID (spec, 2, 1, 2, "edge 'input' -> 'cat': port -1 is not valid");
  /* an edge into the input node */
  spec = chain ("2 dense:1 bce");
  nw_spec_add_edge (spec, "dense1", "input", 0);
  INVALID (spec, 2, 1, 2, "edge 'dense1' -> 'input': the input node has no inputs");

  /* a port fed twice */
  spec = chain ("2 dense:3 relu dense:1 bce");
  nw_spec_add_edge (spec, "act1", "dense1", 0);
  INVALID (spec, 2, 1, 2, "node 'dense1': input port 0 is fed twice ('input' and 'act1')");
  spec = two_branch (3, 3, NW_NODE_ADD);
  nw_spec_add_edge (spec, "input", "sum", 1);
  INVALID (spec, 2, 1, 2, "node 'sum': input port 1 is fed twice ('b' and 'input')");

  /* the loss feeding anything */
  spec = chain ("2 dense:1 bce");
  dense (spec, "x", 1);
  nw_spec_add_edge (spec, "loss", "x", 0);
  INVALID (spec, 2, 1, 2, "edge 'loss' -> 'x': the loss node has no output");
}

/* A negative standard deviation (or uniform bound) was accepted and nw_init_fill quietly used
 * 1 instead; a negative constant is a value like any other. */
static void
test_validate_init_param (void)
{
  GError *error = NULL;
  NwSpec *spec;
  NwNodeSpec *n;

  spec = chain ("2 dense:1 bce");
  n = nw_spec_find_node (spec, "dense1");
  n->weight_init = NW_INIT_NORMAL;
  n->weight_init_param = -0.5;
  check_invalid (__LINE__, spec, 2, 1, 2, NW_ERROR_RANGE,
                 "node 'dense1': 'weight_init_param' is the normal's standard deviation", "-0.5");

  spec = chain ("2 dense:1 bce");
  n = nw_spec_find_node (spec, "dense1");
  n->bias_init = NW_INIT_UNIFORM;
  n->bias_init_param = -2;
  check_invalid (__LINE__, spec, 2, 1, 2, NW_ERROR_RANGE,
                 "node 'dense1': 'bias_init_param' is the uniform's bound", "-2");

  spec = chain ("2 dense:1 bce");
  n = nw_spec_find_node (spec, "dense1");
  n->weight_init = NW_INIT_CONSTANT;
  n->weight_init_param = -0.5;
  n->bias_init = NW_INIT_NORMAL;
  n->bias_init_param = 0.25;
  CU_ASSERT_TRUE (nw_spec_validate (spec, 2, 1, 2, NULL, NULL, &error));
  NW_ASSERT_NO_ERROR (error);
  nw_spec_free (spec);
}

/* A chain of 20,003 nodes (input, 10,000 dense + activation pairs, loss) validates and comes
 * back in chain order. Validation was quadratic in the nodes (1.5 s for 10,003 in
 * `neurowire-cli info`); this checks the result, the timings are in the commit message. */
static void
test_validate_long_chain (void)
{
  GError *error = NULL;
  GString *text = g_string_new ("2");
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *chain_text = NULL;
  gboolean in_order = TRUE;

  for (int i = 0; i < 10000; i++)
    g_string_append (text, " dense:3 relu");
  g_string_append (text, " dense:1 bce");
  chain_text = g_string_free (text, FALSE);
  spec = nw_spec_new_chain (chain_text, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL_FATAL (spec->nodes->len, 20003);

  CU_ASSERT_TRUE (nw_spec_validate (spec, 2, 1, 2, order, widths, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL_FATAL (order->len, 20003);
  for (guint k = 0; k < order->len; k++)
    in_order &= g_array_index (order, int, k) == (int) k;
  CU_ASSERT_TRUE (in_order);
  CU_ASSERT_EQUAL (g_array_index (widths, int, 20001), 1);

  /* the same chain with its last edge doubled: still found, named as before */
  nw_spec_add_edge (spec, "act10000", "dense10001", 0);
  CU_ASSERT_FALSE (nw_spec_validate (spec, 2, 1, 2, NULL, NULL, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SPEC,
                   "node 'dense10001': input port 0 is fed twice ('act10000' and 'act10000')");
}

static void
test_validate_structure (void)
{
  NwSpec *spec;
  NwNodeSpec *n;

  /* one input, one loss */
  spec = chain ("2 dense:1 bce");
  nw_spec_remove_node (spec, "input");
  INVALID (spec, 2, 1, 2, "the network needs exactly one input node (found 0)");
  spec = chain ("2 dense:1 bce");
  nw_spec_add_node (spec, NW_NODE_INPUT, "input2");
  INVALID (spec, 2, 1, 2, "the network needs exactly one input node (found 2)");
  spec = chain ("2 dense:1 bce");
  nw_spec_remove_node (spec, "loss");
  INVALID (spec, 2, 1, 2, "the network needs exactly one loss node (found 0)");
  spec = chain ("2 dense:1 bce");
  nw_spec_add_node (spec, NW_NODE_LOSS, "loss2");
  INVALID (spec, 2, 1, 2, "the network needs exactly one loss node (found 2)");
  spec = nw_spec_new ();
  INVALID (spec, 2, 1, 2, "exactly one input node (found 0)");

  /* dangling ports */
  spec = chain ("2 dense:3 relu dense:1 bce");
  nw_spec_remove_node (spec, "act1");
  INVALID (spec, 2, 1, 2, "node 'dense2': input port 0 is not connected");
  spec = chain ("2 dense:3 relu dense:1 bce");
  nw_spec_remove_node (spec, "dense2");
  INVALID (spec, 2, 1, 2, "node 'loss': input port 0 is not connected");
  spec = two_branch (3, 3, NW_NODE_ADD);
  nw_spec_remove_node (spec, "b");
  INVALID (spec, 2, 1, 2, "node 'sum': add needs at least 2 inputs (has 1)");
  spec = two_branch (3, 3, NW_NODE_CONCAT);
  nw_spec_remove_node (spec, "a");
  nw_spec_remove_node (spec, "b");
  INVALID (spec, 2, 1, 2, "node 'cat': concat needs at least 2 inputs (has 0)");
  spec = two_branch (3, 3, NW_NODE_CONCAT);
  g_ptr_array_remove_index (spec->edges, 3);       /* b -> cat port 1 */
  nw_spec_add_edge (spec, "b", "cat", 2);
  INVALID (spec, 2, 1, 2, "node 'cat': input port 1 is not connected");

  /* cycles */
  spec = nw_spec_new ();
  nw_spec_add_node (spec, NW_NODE_INPUT, "input");
  nw_spec_add_node (spec, NW_NODE_ADD, "a");
  dense (spec, "b", 2);
  nw_spec_add_node (spec, NW_NODE_LOSS, "loss")->loss = NW_LOSS_MSE;
  nw_spec_add_edge (spec, "input", "a", 0);
  nw_spec_add_edge (spec, "b", "a", 1);
  nw_spec_add_edge (spec, "a", "b", 0);
  nw_spec_add_edge (spec, "b", "loss", 0);
  INVALID (spec, 2, 2, 0, "node 'a' is on a cycle: a -> b -> a");
  /* a longer cycle, found from its lowest-listed node */
  spec = nw_spec_new ();
  dense (spec, "d", 2);
  nw_spec_add_node (spec, NW_NODE_INPUT, "input");
  dense (spec, "c", 2);
  nw_spec_add_node (spec, NW_NODE_ADD, "j");
  nw_spec_add_node (spec, NW_NODE_LOSS, "loss")->loss = NW_LOSS_MSE;
  nw_spec_add_edge (spec, "input", "j", 0);
  nw_spec_add_edge (spec, "d", "j", 1);
  nw_spec_add_edge (spec, "j", "c", 0);
  nw_spec_add_edge (spec, "c", "d", 0);
  nw_spec_add_edge (spec, "d", "loss", 0);
  INVALID (spec, 2, 2, 0, "node 'd' is on a cycle: d -> j -> c -> d");
  /* a self-loop */
  spec = nw_spec_new ();
  nw_spec_add_node (spec, NW_NODE_INPUT, "input");
  nw_spec_add_node (spec, NW_NODE_CONCAT, "self");
  nw_spec_add_node (spec, NW_NODE_LOSS, "loss")->loss = NW_LOSS_MSE;
  nw_spec_add_edge (spec, "input", "self", 0);
  nw_spec_add_edge (spec, "self", "self", 1);
  nw_spec_add_edge (spec, "self", "loss", 0);
  INVALID (spec, 2, 2, 0, "node 'self' is on a cycle: self -> self");

  /* a node that leads nowhere */
  spec = chain ("2 dense:3 dense:1 bce");
  dense (spec, "fc3", 4);
  nw_spec_add_edge (spec, "dense1", "fc3", 0);
  INVALID (spec, 2, 1, 2, "node 'fc3': its output leads nowhere (not to the loss)");

  /* node settings the editor could leave wrong */
  spec = chain ("2 dense:3 dense:1 bce");
  nw_spec_find_node (spec, "dense1")->units = 0;
  check_invalid (__LINE__, spec, 2, 1, 2, NW_ERROR_RANGE, "node 'dense1': 'units'", NULL);
  spec = chain ("2 dense:3 dropout dense:1 bce");
  nw_spec_find_node (spec, "dropout1")->p = 1.0;
  check_invalid (__LINE__, spec, 2, 1, 2, NW_ERROR_RANGE, "node 'dropout1': dropout 'p'", NULL);
  spec = chain ("2 dense:3 batchnorm dense:1 bce");
  nw_spec_find_node (spec, "bn1")->eps = 0.0;
  check_invalid (__LINE__, spec, 2, 1, 2, NW_ERROR_RANGE, "node 'bn1': batchnorm 'eps'", NULL);
  spec = chain ("2 dense:3 dense:1 bce");
  n = nw_spec_add_node (spec, NW_NODE_DENSE, "dense1");   /* the same id twice */
  n->units = 1;
  INVALID (spec, 2, 1, 2, "node 'dense1': the id is used twice");
  spec = chain ("2 dense:3 dense:1 bce");
  g_free (node (spec, 1)->id);
  node (spec, 1)->id = g_strdup ("bad id");
  INVALID (spec, 2, 1, 2, "'bad id' is not valid");
}

static void
test_validate_shapes (void)
{
  NwSpec *spec;

  spec = two_branch (10, 5, NW_NODE_ADD);
  INVALID (spec, 2, 1, 2, "node 'sum': inputs have widths 10 ('a') and 5 ('b'); add needs equal widths");

  /* the head against the data */
  spec = chain ("784 dense:10 sigmoid bce");
  INVALID (spec, 784, 10, 10, "node 'loss': bce is for two classes, but the data has 10");
  spec = chain ("784 dense:10 bce_logits");
  INVALID (spec, 784, 10, 10, "node 'loss': bce_logits is for two classes");
  spec = nw_spec_new ();
  nw_spec_add_node (spec, NW_NODE_INPUT, "input");
  dense (spec, "fc2", 3);
  nw_spec_add_node (spec, NW_NODE_LOSS, "loss");
  nw_spec_add_edge (spec, "input", "fc2", 0);
  nw_spec_add_edge (spec, "fc2", "loss", 0);
  INVALID (spec, 2, 1, 2, "node 'loss': bce needs 1 input for 2 classes, but 'fc2' gives 3");
  spec = chain ("784 dense:32 relu dense:5 softmax_xent");
  INVALID (spec, 784, 10, 10, "node 'loss': softmax_xent needs 10 inputs (one per class), but 'dense2' gives 5");
  spec = chain ("2 dense:1 softmax_xent");
  INVALID (spec, 2, 1, 0, "node 'loss': softmax_xent needs class labels");
  spec = chain ("2 dense:2 mse");
  INVALID (spec, 2, 3, 0, "node 'loss': mse needs 3 inputs (one per target), but 'dense1' gives 2");

  /* softmax_xent with two classes and one target column is fine */
  {
    GError *error = NULL;
    g_autoptr (NwSpec) ok = chain ("2 dense:2 softmax_xent");
    CU_ASSERT_TRUE (nw_spec_validate (ok, 2, 1, 2, NULL, NULL, &error));
    NW_ASSERT_NO_ERROR (error);
  }

  /* the data itself */
  spec = chain ("2 dense:1 bce");
  INVALID (spec, 0, 1, 2, "the data has no features");
  spec = chain ("2 dense:1 bce");
  INVALID (spec, 2, 0, 2, "the data has no targets");
}

static const NwTestCase construct_cases[] = {
  { "defaults", test_defaults },
  { "chain", test_chain },
  { "chain_errors", test_chain_errors },
  { "copy_find_remove", test_copy_find_remove },
  { NULL, NULL },
};


/* Validation estimates the memory training needs and refuses what cannot fit in this
 * computer, naming the layer that needs the most (a 2^20 x 2^20 Dense layer: 4 TiB of
 * weights, 28 TiB with gradients, optimizer state and copies, beyond any machine this runs
 * on). A single 2^20-unit layer on XOR (117 MB) is accepted. */
static void
test_validate_memory (void)
{
  NwMemoryEstimate est;
  GError *error = NULL;
  g_autoptr (NwSpec) wide = chain ("2 dense:1048576 relu dense:1 sigmoid bce");
  /* input, dense1 (2 -> 2), act (sigmoid), dense2 (2 -> 1), act, loss; indexed like nodes */
  const int widths[] = { 2, 2, 2, 1, 1, 1 }, in_widths[] = { 0, 2, 2, 2, 1, 1 };
  g_autoptr (NwSpec) small = chain ("2 dense:2 sigmoid dense:1 sigmoid bce");
  NwSpec *spec;

  check_invalid (__LINE__, chain ("2 dense:1048576 relu dense:1048576 relu dense:1 sigmoid bce"),
                 2, 1, 2, NW_ERROR_NO_MEMORY, "node 'dense2': training this network",
                 "make the layer or the batch smaller");
  /* The batch counts too: 2^24 rows of a 2^16-wide layer is 8 TiB of activations. */
  spec = chain ("2 dense:65536 relu dense:1 sigmoid bce");
  spec->train.batch_size = 1 << 24;
  check_invalid (__LINE__, spec, 2, 1, 2, NW_ERROR_NO_MEMORY, "with batches of 16777216 rows",
                 NULL);

  CU_ASSERT_TRUE (nw_spec_validate (wide, 2, 1, 2, NULL, NULL, &error));
  NW_ASSERT_NO_ERROR (error);

  /* The figures, by hand: 9 parameters x 7 floats; per row 2 (input) + 2x2 (dense1 and its
   * gradient) + 2x2 (sigmoid) + 2x1 + 2x1, no loss activations = 14 floats. */
  CU_ASSERT_EQUAL_FATAL (small->nodes->len, G_N_ELEMENTS (widths));
  nw_memory_estimate (small, widths, in_widths, 4, 96, &est);
  CU_ASSERT_EQUAL (est.params, 9 * 7 * 4);
  CU_ASSERT_EQUAL (est.per_row, 14 * 4);
  CU_ASSERT_EQUAL (est.activations, 4 * 14 * 4);
  CU_ASSERT_EQUAL (est.total, 9 * 7 * 4 + 4 * 14 * 4 + 96);
  CU_ASSERT_EQUAL (est.largest, 1);        /* dense1: 6 parameters and 4 floats a row */
  /* An evaluation chunk shrinks for wide networks, never below a row. */
  CU_ASSERT_EQUAL (nw_memory_eval_rows (14 * 4), NW_MEMORY_EVAL_ROWS);
  CU_ASSERT_EQUAL (nw_memory_eval_rows ((guint64) 1 << 24), 16);
  CU_ASSERT_EQUAL (nw_memory_eval_rows ((guint64) 1 << 40), 1);
  /* Sizes far past 2^64 bytes saturate instead of wrapping round to something that fits. */
  {
    const int huge_w[] = { 2, 2147483647, 2147483647, 2147483647, 2147483647, 1 };
    const int huge_in[] = { 0, 2, 2147483647, 2147483647, 2147483647, 2147483647 };
    g_autoptr (NwSpec) four = chain ("2 dense:8 dense:8 dense:8 dense:8 mse");
    nw_memory_estimate (four, huge_w, huge_in, 1 << 24, 0, &est);
    CU_ASSERT_EQUAL (est.total, G_MAXUINT64);
    CU_ASSERT_FALSE (nw_memory_check (four, &est, nw_memory_physical (), &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_NO_MEMORY, "node 'dense", NULL);
  }
}

static const NwTestCase json_cases[] = {
  { "roundtrip", test_json_roundtrip },
  { "doc_example", test_json_doc_example },
  { "defaults", test_json_defaults },
  { "errors_document", test_json_errors_document },
  { "errors_deep", test_json_errors_deep },
  { "errors_nul", test_json_errors_nul },
  { "errors_huge_integer", test_json_errors_huge_integer },
  { "deep_string", test_json_deep_string },
  { "check_depth", test_json_check_depth },
  { "errors_nodes", test_json_errors_nodes },
  { "errors_settings", test_json_errors_settings },
  { "save_atomic", test_save_atomic },
  { NULL, NULL },
};

static const NwTestCase validate_cases[] = {
  { "chain", test_validate_chain },
  { "dag", test_validate_dag },
  { "edges", test_validate_edges },
  { "structure", test_validate_structure },
  { "init_param", test_validate_init_param },
  { "long_chain", test_validate_long_chain },
  { "shapes", test_validate_shapes },
  { "memory", test_validate_memory },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "construct", construct_cases },
  { "json", json_cases },
  { "validate", validate_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
