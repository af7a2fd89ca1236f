/* test-gradcheck.c: every layer, activation and loss against central finite differences.
 *
 * Built against the double-precision core (nw_real = double). With h = 1e-6 the central
 * difference has truncation error O(h^2 * f''') ~ 1e-12 and rounding error ~ eps/h ~ 1e-10
 * relative to the loss, so an agreement of 1e-6 relative (plus 1e-8 absolute, for gradients
 * that are nearly zero) separates a correct gradient from a wrong one by orders of magnitude:
 * a missing factor or a wrong sign shows up as an error of order 1. Inputs are drawn away
 * from the kinks of ReLU and leaky ReLU. Every check also asserts that the gradient is not
 * all zeros, so a layer that silently drops its gradient cannot pass. */
#include "nw-test.h"
#include "nw-net.h"
#include "nw-rng.h"

#include <math.h>

#define H 1e-6
#define RTOL 1e-6
#define ATOL 1e-8
#define ROWS 5

typedef struct {
  NwBackend *backend;
  NwNet     *net;
  int        d, k, rows;
  guint64    dropout_seed;
} Check;

static double
loss_at (Check *c)
{
  double m[NW_METRIC_SIZE];
  nw_net_reset_metrics (c->net);
  nw_net_set_dropout_state (c->net, c->dropout_seed, 0);   /* the same masks every time */
  nw_net_forward (c->net, c->rows, TRUE, TRUE);
  nw_net_read_metrics (c->net, m);
  return m[NW_METRIC_LOSS] / m[NW_METRIC_COUNT];
}

/* Random inputs in [-1.5, 1.5] kept at least 0.05 away from 0, and targets the loss accepts. */
static void
fill_batch (Check *c, NwLoss loss, guint64 seed)
{
  NwRng rng;
  g_autofree nw_real *x = g_new (nw_real, c->rows * c->d);
  g_autofree nw_real *t = g_new0 (nw_real, c->rows * c->k);
  nw_rng_init (&rng, seed);
  for (int i = 0; i < c->rows * c->d; i++)
    {
      double v = 0.05 + 1.45 * nw_rng_uniform (&rng);
      x[i] = nw_rng_uniform (&rng) < 0.5 ? -v : v;
    }
  for (int r = 0; r < c->rows; r++)
    {
      if (loss == NW_LOSS_SOFTMAX_XENT)
        t[r * c->k + nw_rng_below (&rng, c->k)] = 1;
      else if (loss == NW_LOSS_MSE)
        for (int j = 0; j < c->k; j++)
          t[r * c->k + j] = nw_rng_normal (&rng);
      else
        for (int j = 0; j < c->k; j++)
          t[r * c->k + j] = nw_rng_below (&rng, 2);
    }
  nw_backend_upload (c->backend, nw_net_input (c->net), 0, x, c->rows * c->d);
  nw_backend_upload (c->backend, nw_net_targets (c->net), 0, t, c->rows * c->k);
}

static NwLoss
spec_loss (const NwSpec *spec)
{
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      NwNodeSpec *n = g_ptr_array_index (spec->nodes, i);
      if (n->kind == NW_NODE_LOSS)
        return n->loss;
    }
  return NW_LOSS_MSE;
}

/* Builds the net for `spec` (d inputs, k targets), checks every parameter's gradient. With
 * `zero_id`, the node of that id feeds a step: its parameters' gradient must be exactly 0,
 * analytic and numeric alike (the step's inputs are asserted to be away from 0, where the
 * finite difference cannot cross it), and only the others must be non-zero. */
static void
check_spec_zero (NwSpec *spec, int d, int k, const char *label, const char *zero_id)
{
  Check c = { 0 };
  GError *error = NULL;
  NwLoss loss = spec_loss (spec);
  int n_classes = loss == NW_LOSS_SOFTMAX_XENT ? k : loss == NW_LOSS_MSE ? 0 : 2;
  gsize np;
  double max_err = 0, grad_sumsq = 0;
  int bad = 0;

  c.backend = nw_backend_cpu_new ();
  c.d = d;
  c.k = k;
  c.rows = ROWS;
  c.dropout_seed = 99;
  spec->train.seed = 3;
  c.net = nw_net_new (spec, d, k, n_classes, c.backend, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (nw_net_reserve (c.net, ROWS, &error));
  fill_batch (&c, loss, 17);
  np = nw_net_n_params (c.net);

  {
    g_autofree nw_real *p = g_new (nw_real, np);
    g_autofree nw_real *g = g_new (nw_real, np);
    g_autofree gboolean *zero = g_new0 (gboolean, np);
    int n_zero = 0;
    loss_at (&c);
    if (zero_id != NULL)
      {
        int z = nw_net_find_node (c.net, zero_id);
        const NwNodeInfo *info;
        int width;
        CU_ASSERT_FATAL (z > 0);
        info = nw_net_node (c.net, z);
        width = info->width;
        for (gsize i = 0; i < info->w_n; i++)
          zero[info->w_off + i] = TRUE;
        for (gsize i = 0; i < info->b_n; i++)
          zero[info->b_off + i] = TRUE;
        {
          g_autofree float *out = g_new (float, ROWS * width);
          float smallest = INFINITY;
          nw_net_read_node (c.net, z, ROWS, out);
          for (int i = 0; i < ROWS * width; i++)
            smallest = MIN (smallest, fabsf (out[i]));
          /* A step of 1e-6 in one parameter moves these by at most 1.5e-6. */
          CU_ASSERT (smallest > 1e-4);
        }
      }
    nw_net_backward (c.net);
    nw_backend_download (c.backend, nw_net_grads_buffer (c.net), 0, g, np);
    nw_backend_download (c.backend, nw_net_params_buffer (c.net), 0, p, np);
    for (gsize i = 0; i < np; i++)
      {
        nw_real keep = p[i];
        double up, down, numeric;
        p[i] = keep + H;
        nw_backend_upload (c.backend, nw_net_params_buffer (c.net), i, &p[i], 1);
        up = loss_at (&c);
        p[i] = keep - H;
        nw_backend_upload (c.backend, nw_net_params_buffer (c.net), i, &p[i], 1);
        down = loss_at (&c);
        p[i] = keep;
        nw_backend_upload (c.backend, nw_net_params_buffer (c.net), i, &p[i], 1);
        numeric = (up - down) / (2 * H);
        if (zero[i])
          {
            /* Behind the step: nothing at all, not merely something small. */
            CU_ASSERT_EQUAL (g[i], 0.0);
            CU_ASSERT_EQUAL (numeric, 0.0);
            n_zero++;
            continue;
          }
        max_err = MAX (max_err, fabs (numeric - g[i]));
        grad_sumsq += g[i] * g[i];
        if (fabs (numeric - g[i]) > ATOL + RTOL * MAX (fabs (numeric), fabs ((double) g[i])))
          {
            if (bad++ < 5)
              g_printerr ("%s: param %" G_GSIZE_FORMAT ": analytic %.10g numeric %.10g\n",
                          label, i, (double) g[i], numeric);
          }
      }
    if (zero_id != NULL)
      CU_ASSERT (n_zero > 0);
  }
  CU_ASSERT_EQUAL (bad, 0);
  CU_ASSERT (grad_sumsq > 1e-12);   /* the gradient is really there */
  CU_ASSERT (nw_backend_take_error (c.backend, &error));
  nw_net_free (c.net);
  nw_backend_free (c.backend);
  g_print ("  %s: %" G_GSIZE_FORMAT " parameters, max |analytic - numeric| = %.2e\n", label, np, max_err);
}

static void
check_spec (NwSpec *spec, int d, int k, const char *label)
{
  check_spec_zero (spec, d, k, label, NULL);
}

static void
check_chain (const char *description, int d, int k)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain (description, &error);
  NW_ASSERT_NO_ERROR (error);
  check_spec (spec, d, k, description);
}

static void test_dense_mse (void) { check_chain ("3 dense:4 dense:2 mse", 3, 2); }
static void test_dense_no_bias (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("3 dense:4 tanh dense:2 mse", &error);
  NW_ASSERT_NO_ERROR (error);
  nw_spec_find_node (spec, "dense1")->bias = FALSE;
  check_spec (spec, 3, 2, "dense without bias");
}
static void test_sigmoid (void) { check_chain ("3 dense:4 sigmoid dense:2 mse", 3, 2); }
static void test_tanh (void) { check_chain ("3 dense:4 tanh dense:2 mse", 3, 2); }
static void test_relu (void) { check_chain ("3 dense:4 relu dense:2 mse", 3, 2); }
static void test_leaky_relu (void) { check_chain ("3 dense:4 leaky_relu:0.2 dense:2 mse", 3, 2); }
static void test_elu (void) { check_chain ("3 dense:4 elu:0.7 dense:2 mse", 3, 2); }
static void test_gelu (void) { check_chain ("3 dense:4 gelu dense:2 mse", 3, 2); }
static void test_selu (void) { check_chain ("3 dense:4 selu dense:2 mse", 3, 2); }
/* The perceptron's step: the Dense after it learns, the one before it gets exactly 0. */
static void
test_step (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("3 dense:4 step dense:2 mse", &error);
  NW_ASSERT_NO_ERROR (error);
  check_spec_zero (spec, 3, 2, "3 dense:4 step dense:2 mse", "dense1");
}
static void test_linear (void) { check_chain ("3 dense:4 linear dense:2 mse", 3, 2); }
static void test_softmax_act (void) { check_chain ("3 dense:4 softmax dense:2 mse", 3, 2); }
static void test_bce (void) { check_chain ("3 dense:4 tanh dense:1 sigmoid bce", 3, 1); }
static void test_bce_logits (void) { check_chain ("3 dense:4 tanh dense:1 bce_logits", 3, 1); }
static void test_softmax_xent (void) { check_chain ("3 dense:4 tanh dense:3 softmax_xent", 3, 3); }
static void test_dropout (void) { check_chain ("3 dense:6 tanh dropout:0.4 dense:2 mse", 3, 2); }
static void test_batchnorm (void) { check_chain ("3 dense:4 batchnorm tanh dense:2 mse", 3, 2); }
static void test_batchnorm_first (void) { check_chain ("3 batchnorm dense:2 mse", 3, 2); }
static void test_layernorm (void) { check_chain ("3 dense:4 layernorm tanh dense:2 mse", 3, 2); }
static void test_deep_sigmoid (void)
{
  check_chain ("2 dense:10 sigmoid dense:10 sigmoid dense:10 sigmoid dense:1 sigmoid bce", 2, 1);
}

/* input -> d1 -> a1 (tanh) -> d2 -> add(a1, d2) -> a2 (sigmoid) -> cat(a2, a1) -> d3 -> loss.
 * a1 feeds three nodes, so its gradient is a sum; the skip and the concatenation both route
 * gradients around d2. */
static void
test_dag_add_concat (void)
{
  g_autoptr (NwSpec) spec = nw_spec_new ();
  nw_spec_add_node (spec, NW_NODE_INPUT, "input");
  nw_spec_add_node (spec, NW_NODE_DENSE, "d1")->units = 4;
  nw_spec_add_node (spec, NW_NODE_ACTIVATION, "a1")->activation = NW_ACT_TANH;
  nw_spec_add_node (spec, NW_NODE_DENSE, "d2")->units = 4;
  nw_spec_add_node (spec, NW_NODE_ADD, "sum");
  nw_spec_add_node (spec, NW_NODE_ACTIVATION, "a2")->activation = NW_ACT_SIGMOID;
  nw_spec_add_node (spec, NW_NODE_CONCAT, "cat");
  nw_spec_add_node (spec, NW_NODE_DENSE, "d3")->units = 2;
  nw_spec_add_node (spec, NW_NODE_LOSS, "loss")->loss = NW_LOSS_MSE;
  nw_spec_add_edge (spec, "input", "d1", 0);
  nw_spec_add_edge (spec, "d1", "a1", 0);
  nw_spec_add_edge (spec, "a1", "d2", 0);
  nw_spec_add_edge (spec, "a1", "sum", 0);
  nw_spec_add_edge (spec, "d2", "sum", 1);
  nw_spec_add_edge (spec, "sum", "a2", 0);
  nw_spec_add_edge (spec, "a2", "cat", 0);
  nw_spec_add_edge (spec, "a1", "cat", 1);
  nw_spec_add_edge (spec, "cat", "d3", 0);
  nw_spec_add_edge (spec, "d3", "loss", 0);
  check_spec (spec, 3, 2, "dag");
}

static const NwTestCase layer_cases[] = {
  { "dense_mse", test_dense_mse },
  { "dense_no_bias", test_dense_no_bias },
  { "dropout", test_dropout },
  { "batchnorm", test_batchnorm },
  { "batchnorm_on_input", test_batchnorm_first },
  { "layernorm", test_layernorm },
  { "deep_sigmoid", test_deep_sigmoid },
  { "dag_add_concat", test_dag_add_concat },
  { NULL, NULL },
};

static const NwTestCase activation_cases[] = {
  { "sigmoid", test_sigmoid },
  { "tanh", test_tanh },
  { "relu", test_relu },
  { "leaky_relu", test_leaky_relu },
  { "elu", test_elu },
  { "gelu", test_gelu },
  { "linear", test_linear },
  { "softmax", test_softmax_act },
  { "selu", test_selu },
  { "step", test_step },
  { NULL, NULL },
};

static const NwTestCase loss_cases[] = {
  { "bce", test_bce },
  { "bce_logits", test_bce_logits },
  { "softmax_xent", test_softmax_xent },
  { "mse", test_dense_mse },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "gradcheck-layers", layer_cases },
  { "gradcheck-activations", activation_cases },
  { "gradcheck-losses", loss_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
