/* test-snapshot.c: what the views get from a run without changing it: the decision grid in
 * training mode (dropout with a fresh mask, BatchNorm with the last batch's statistics) beside
 * the evaluation grid, the per-neuron maps from the same pass, and moving a run to another
 * backend between two steps (nw_trainer_take_over), on the CPU and, when there is one, on an
 * OpenCL device. */
#include "nw-test.h"
#include "nw-trainer.h"
#include "nw-backend-cl.h"

#include <math.h>
#include <string.h>

static NwSpec *
spec_for (const char *chain, NwDataKind kind, int batch, NwOptimizerKind opt, double lr)
{
  GError *error = NULL;
  NwSpec *spec = nw_spec_new_chain (chain, &error);
  NW_ASSERT_NO_ERROR (error);
  spec->data.kind = kind;
  spec->data.n = 200;
  spec->data.noise = 0.1;
  spec->data.test_ratio = 0.2;
  spec->train.optimizer = opt;
  spec->train.lr = lr;
  spec->train.batch_size = batch;
  spec->train.seed = 7;
  return spec;
}

static NwTrainer *
trainer_for (const NwSpec *spec, NwBackend *backend)
{
  GError *error = NULL;
  NwTrainer *t = nw_trainer_new (spec, NULL, backend, &error);
  NW_ASSERT_NO_ERROR (error);
  return t;
}

static void
steps (NwTrainer *t, int n)
{
  GError *error = NULL;
  for (int i = 0; i < n; i++)
    CU_ASSERT_FATAL (nw_trainer_step (t, &error));
  NW_ASSERT_NO_ERROR (error);
}

static float *
params_of (NwTrainer *t)
{
  NwNet *net = nw_trainer_get_net (t);
  float *p = g_new (float, MAX (nw_net_n_params (net), 1));
  nw_net_get_params (net, p);
  return p;
}

/* Dropout p = 0.5: the training-mode grid is another picture than the evaluation grid, and
 * computing it leaves the run bit for bit where it was (the dropout counter is not moved). */
static void
test_train_grid_dropout (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = spec_for ("2 dense:16 relu dropout:0.5 dense:8 tanh dense:1 sigmoid bce",
                                      NW_DATA_CIRCLE, 16, NW_OPT_ADAM, 0.02);
  g_autoptr (NwTrainer) a = trainer_for (spec, NULL);
  g_autoptr (NwTrainer) b = trainer_for (spec, NULL);
  g_autoptr (NwSnapshot) sa = NULL;
  g_autoptr (NwSnapshot) sb = NULL;
  g_autofree float *pa = NULL, *pb = NULL;
  guint64 counter;
  int differ = 0;
  double max_diff = 0;

  steps (a, 40);
  steps (b, 40);
  counter = nw_net_get_dropout_counter (nw_trainer_get_net (a));
  CU_ASSERT (counter > 0);
  sa = nw_trainer_snapshot (a, TRUE, 32, &error);
  NW_ASSERT_NO_ERROR (error);
  sb = nw_trainer_snapshot (b, TRUE, 0, &error);   /* no grids at all */
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (nw_net_get_dropout_counter (nw_trainer_get_net (a)), counter);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sa->grid_train);
  CU_ASSERT_PTR_NULL (sb->grid_train);
  for (int i = 0; i < 32 * 32; i++)
    {
      double d = fabs (sa->grid_train[i] - sa->grid[i]);
      CU_ASSERT_FATAL (sa->grid_train[i] >= 0 && sa->grid_train[i] <= 1);
      differ += d > 1e-3;
      max_diff = MAX (max_diff, d);
    }
  g_print ("  dropout 0.5: %d of 1024 cells differ, by up to %.3f\n", differ, max_diff);
  CU_ASSERT (differ > 200);

  /* The next steps are the same bits with or without the grids having been computed. */
  steps (a, 25);
  steps (b, 25);
  pa = params_of (a);
  pb = params_of (b);
  CU_ASSERT (memcmp (pa, pb, sizeof (float) * nw_net_n_params (nw_trainer_get_net (a))) == 0);
  CU_ASSERT_EQUAL (nw_net_get_dropout_counter (nw_trainer_get_net (a)),
                   nw_net_get_dropout_counter (nw_trainer_get_net (b)));

  /* Dropout switched off: both grids agree. */
  CU_ASSERT (nw_net_set_enabled (nw_trainer_get_net (a), "dropout1", FALSE, &error));
  g_clear_pointer (&sa, nw_snapshot_free);
  sa = nw_trainer_snapshot (a, FALSE, 16, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (memcmp (sa->grid, sa->grid_train, sizeof (float) * 16 * 16) == 0);
}

/* A network with neither Dropout nor BatchNorm has one grid only. */
static void
test_no_train_grid_without_dropout (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = spec_for ("2 dense:4 tanh dense:1 sigmoid bce", NW_DATA_XOR, 0,
                                      NW_OPT_SGD, 0.5);
  g_autoptr (NwTrainer) t = trainer_for (spec, NULL);
  g_autoptr (NwSnapshot) snap = NULL;
  steps (t, 3);
  snap = nw_trainer_snapshot (t, FALSE, 16, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL (snap->grid);
  CU_ASSERT_PTR_NULL (snap->grid_train);
}

static double
sigmoid (double z)
{
  return 1 / (1 + exp (-z));
}

/* P(class 1) of "2 batchnorm dense:1 sigmoid bce" at (x, y), normalising with mean/var. */
static double
bn_net_output (const float *params, const NwNodeInfo *bn, const NwNodeInfo *fc, const double *mean,
               const double *var, double eps, float x, float y)
{
  double in[2] = { x, y }, z = params[fc->b_off];
  for (int k = 0; k < 2; k++)
    {
      double h = (in[k] - mean[k]) / sqrt (var[k] + eps) * params[bn->w_off + k]
                 + params[bn->b_off + k];
      z += params[fc->w_off + k] * h;
    }
  return sigmoid (z);
}

/* BatchNorm: the training-mode grid normalises with the statistics of the last training batch
 * (here the whole training split: full batch), the evaluation grid with the running averages;
 * neither moves the running averages. */
static void
train_grid_batchnorm_on (NwBackend *backend, double tolerance)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = spec_for ("2 batchnorm dense:1 sigmoid bce", NW_DATA_GAUSSIANS, 0,
                                      NW_OPT_SGD, 0.3);
  g_autoptr (NwTrainer) t = NULL;
  g_autoptr (NwSnapshot) snap = NULL;
  g_autoptr (NwTensorFile) before = NULL;
  g_autoptr (NwTensorFile) after = NULL;
  g_autofree float *params = NULL;
  NwNet *net;
  const NwSplit *train;
  const NwNodeInfo *bn, *fc;
  double mean[2] = { 0, 0 }, var[2] = { 0, 0 }, rmean[2], rvar[2];
  double worst_train = 0, worst_eval = 0, apart = 0;
  NwTensor *rm, *rv;
  const int n = 16;

  spec->data.kind = NW_DATA_GAUSSIANS;
  t = trainer_for (spec, backend);
  net = nw_trainer_get_net (t);
  steps (t, 3);
  /* The statistics of the last batch: every training row. */
  train = &nw_trainer_get_data (t)->train;
  for (int r = 0; r < train->n; r++)
    for (int k = 0; k < 2; k++)
      mean[k] += train->x[r * 2 + k] / (double) train->n;
  for (int r = 0; r < train->n; r++)
    for (int k = 0; k < 2; k++)
      var[k] += pow (train->x[r * 2 + k] - mean[k], 2) / train->n;

  before = nw_net_state_dict (net);
  snap = nw_trainer_snapshot (t, TRUE, n, &error);
  NW_ASSERT_NO_ERROR (error);
  after = nw_net_state_dict (net);
  rm = nw_tensor_file_get (after, "0.running_mean");
  rv = nw_tensor_file_get (after, "0.running_var");
  CU_ASSERT_FATAL (rm != NULL && rv != NULL);
  CU_ASSERT (memcmp (rm->f32, nw_tensor_file_get (before, "0.running_mean")->f32, 2 * sizeof (float)) == 0);
  CU_ASSERT (memcmp (rv->f32, nw_tensor_file_get (before, "0.running_var")->f32, 2 * sizeof (float)) == 0);
  CU_ASSERT (nw_tensor_file_get (after, "0.num_batches_tracked")->f32[0] == 3);
  for (int k = 0; k < 2; k++)
    {
      rmean[k] = rm->f32[k];
      rvar[k] = rv->f32[k];
    }

  params = params_of (t);
  bn = nw_net_node (net, 1);
  fc = nw_net_node (net, 2);
  CU_ASSERT_FATAL (snap->grid_train != NULL);
  for (int r = 0; r < n; r++)
    for (int c = 0; c < n; c++)
      {
        float x, y;
        double pt, pe;
        nw_trainer_grid_point (n, r, c, &x, &y);
        pt = bn_net_output (params, bn, fc, mean, var, bn->spec->eps, x, y);
        pe = bn_net_output (params, bn, fc, rmean, rvar, bn->spec->eps, x, y);
        worst_train = MAX (worst_train, fabs (snap->grid_train[r * n + c] - pt));
        worst_eval = MAX (worst_eval, fabs (snap->grid[r * n + c] - pe));
        apart = MAX (apart, fabs (pt - pe));
      }
  g_print ("  batchnorm: train grid off by %.2g, eval grid by %.2g; the two %.3f apart\n",
           worst_train, worst_eval, apart);
  CU_ASSERT (worst_train < tolerance);
  CU_ASSERT (worst_eval < tolerance);
  CU_ASSERT (apart > 0.05);
}

static void
test_train_grid_batchnorm (void)
{
  train_grid_batchnorm_on (NULL, 1e-5);
}

/* The same on an OpenCL device, when there is one (its float arithmetic: a looser margin). */
static void
test_train_grid_batchnorm_cl (void)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) devices = nw_cl_list_devices (NULL);
  NwBackend *cl;
  if (devices == NULL || devices->len == 0)
    {
      g_print ("  no OpenCL device: skipped\n");
      return;
    }
  cl = nw_backend_cl_new (NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  train_grid_batchnorm_on (cl, 1e-4);
}

/* Neuron maps: for hidden units only (not the output, not a Dense an activation follows),
 * from the same evaluation pass as the boundary, on the activation's range. */
static void
test_neuron_maps (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = spec_for ("2 dense:6 tanh dense:4 relu dense:20 sigmoid dense:3 dense:1 sigmoid bce",
                                      NW_DATA_CIRCLE, 32, NW_OPT_ADAM, 0.01);
  g_autoptr (NwTrainer) t = trainer_for (spec, NULL);
  g_autoptr (NwSnapshot) snap = NULL;
  const NwLayerProbe *tanh_p, *relu_p, *linear_p;
  int m;

  steps (t, 20);
  snap = nw_trainer_snapshot (t, FALSE, 64, &error);
  NW_ASSERT_NO_ERROR (error);
  /* input, dense1, act1, dense2, act2, dense3, act3, dense4, dense5, act5, loss */
  CU_ASSERT_EQUAL_FATAL (snap->n_layers, 11);
  CU_ASSERT_EQUAL (snap->map_n, 32);
  m = snap->map_n;
  CU_ASSERT_PTR_NULL (snap->layers[1].maps);    /* dense1: act1 shows its units */
  CU_ASSERT_PTR_NULL (snap->layers[5].maps);
  CU_ASSERT_PTR_NULL (snap->layers[6].maps);    /* 20 units: too many */
  CU_ASSERT_PTR_NULL (snap->layers[9].maps);    /* the output */
  tanh_p = &snap->layers[2];
  relu_p = &snap->layers[4];
  linear_p = &snap->layers[7];                  /* a Dense no activation follows */
  CU_ASSERT_FATAL (tanh_p->maps != NULL && relu_p->maps != NULL && linear_p->maps != NULL);
  CU_ASSERT (tanh_p->map_lo == -1 && tanh_p->map_hi == 1);
  CU_ASSERT (relu_p->map_lo == -relu_p->map_hi && relu_p->map_hi > 0);
  for (int i = 0; i < 6 * m * m; i++)
    CU_ASSERT_FATAL (tanh_p->maps[i] >= -1 && tanh_p->maps[i] <= 1);
  for (int i = 0; i < 4 * m * m; i++)
    CU_ASSERT_FATAL (relu_p->maps[i] >= 0 && relu_p->maps[i] <= relu_p->map_hi);

  /* The map is the unit's output at the cells, averaged 2 x 2: check one unit against a
   * prediction-free forward of those four points through the net's own pass. */
  {
    NwNet *net = nw_trainer_get_net (t);
    float pts[8], out[4 * 6];
    double want = 0;
    int r = 5, c = 9, u = 3;
    for (int k = 0; k < 4; k++)
      nw_trainer_grid_point (64, 2 * r + k / 2, 2 * c + k % 2, &pts[2 * k], &pts[2 * k + 1]);
    nw_backend_upload (nw_net_get_backend (net), nw_net_input (net), 0, pts, 8);
    nw_net_forward (net, 4, FALSE, FALSE);
    nw_net_read_node (net, 2, 4, out);
    for (int k = 0; k < 4; k++)
      want += out[k * 6 + u] / 4;
    NW_ASSERT_CLOSE (tanh_p->maps[(u * m + r) * m + c], want, 1e-5, 1e-6);
  }
}

/* nw_trainer_take_over moves a run between two steps: the moved run goes on exactly as one
 * that was never moved (CPU to CPU: bit for bit), through epochs, a changed learning rate,
 * dropout, BatchNorm and Adam's state. */
static void
test_take_over_cpu (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = spec_for ("2 dense:12 relu batchnorm dropout:0.3 dense:6 tanh dense:1 sigmoid bce",
                                      NW_DATA_MOONS, 24, NW_OPT_ADAM, 0.01);
  g_autoptr (NwSpec) other = spec_for ("2 dense:12 relu dense:1 sigmoid bce", NW_DATA_MOONS, 24,
                                       NW_OPT_ADAM, 0.01);
  g_autoptr (NwTrainer) moved = trainer_for (spec, NULL);
  g_autoptr (NwTrainer) stay = trainer_for (spec, NULL);
  g_autoptr (NwTrainer) fresh = trainer_for (spec, NULL);
  g_autoptr (NwTrainer) wrong = trainer_for (other, NULL);
  NwBackend *old_backend;
  NwTrainSpec hp = spec->train;
  g_autofree float *pm = NULL, *ps = NULL;
  g_autoptr (NwSnapshot) sm = NULL;
  g_autoptr (NwSnapshot) ss = NULL;

  hp.lr = 0.005;
  steps (moved, 10);
  steps (stay, 10);
  nw_trainer_set_hyper (moved, &hp);
  nw_trainer_set_hyper (stay, &hp);
  steps (moved, 7);   /* 160 training rows in batches of 24: the epoch ends at step 7 */
  steps (stay, 7);

  /* A different network is refused, and nothing changes. */
  CU_ASSERT_FALSE (nw_trainer_take_over (moved, wrong, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, -1, "cannot carry the run over");
  CU_ASSERT_EQUAL (nw_trainer_get_step (moved), 17);

  old_backend = nw_net_get_backend (nw_trainer_get_net (moved));
  CU_ASSERT_FATAL (nw_trainer_take_over (moved, fresh, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (nw_net_get_backend (nw_trainer_get_net (moved)) != old_backend);
  CU_ASSERT (nw_net_get_backend (nw_trainer_get_net (fresh)) == old_backend);
  g_clear_pointer (&fresh, nw_trainer_free);   /* the old backend goes with it */
  CU_ASSERT_EQUAL (nw_trainer_get_step (moved), 17);
  CU_ASSERT_EQUAL (nw_trainer_get_epoch (moved), nw_trainer_get_epoch (stay));

  steps (moved, 30);
  steps (stay, 30);
  CU_ASSERT_EQUAL (nw_trainer_get_step (moved), 47);
  CU_ASSERT_EQUAL (nw_trainer_get_epoch (moved), nw_trainer_get_epoch (stay));
  CU_ASSERT_EQUAL (nw_trainer_get_spec (moved)->train.lr, 0.005);
  pm = params_of (moved);
  ps = params_of (stay);
  CU_ASSERT (memcmp (pm, ps, sizeof (float) * nw_net_n_params (nw_trainer_get_net (moved))) == 0);
  sm = nw_trainer_snapshot (moved, TRUE, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  ss = nw_trainer_snapshot (stay, TRUE, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (sm->train_loss, ss->train_loss);
  CU_ASSERT_EQUAL (sm->test_loss, ss->test_loss);
}

/* CPU to OpenCL, when a device is there: the moved run keeps its step and goes on close to
 * the CPU's (the two backends agree within rounding). */
static void
test_take_over_cl (void)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) devices = nw_cl_list_devices (NULL);
  g_autoptr (NwSpec) spec = spec_for ("2 dense:8 tanh dense:8 tanh dense:1 sigmoid bce",
                                      NW_DATA_CIRCLE, 32, NW_OPT_MOMENTUM, 0.05);
  g_autoptr (NwTrainer) moved = NULL, stay = NULL, fresh = NULL;
  g_autofree float *pm = NULL, *ps = NULL;
  NwBackend *cl;
  double worst = 0;

  if (devices == NULL || devices->len == 0)
    {
      g_print ("  no OpenCL device: skipped\n");
      return;
    }
  spec->train.momentum = 0.9;
  cl = nw_backend_cl_new (NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  moved = trainer_for (spec, NULL);
  stay = trainer_for (spec, NULL);
  fresh = trainer_for (spec, cl);
  steps (moved, 12);
  steps (stay, 12);
  CU_ASSERT_FATAL (nw_trainer_take_over (moved, fresh, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (nw_backend_is_cl (nw_net_get_backend (nw_trainer_get_net (moved))));
  g_clear_pointer (&fresh, nw_trainer_free);
  steps (moved, 20);
  steps (stay, 20);
  CU_ASSERT_EQUAL (nw_trainer_get_step (moved), 32);
  pm = params_of (moved);
  ps = params_of (stay);
  for (gsize i = 0; i < nw_net_n_params (nw_trainer_get_net (moved)); i++)
    worst = MAX (worst, fabs (pm[i] - ps[i]));
  g_print ("  CPU -> OpenCL after 12 steps, 20 more: parameters within %.2g of the CPU's\n", worst);
  CU_ASSERT (worst < 1e-4);
}

/* NW_SNAPSHOT_TEST_OUTPUTS keeps the outputs of the pass that gives test loss and accuracy:
 * row for row what nw_trainer_predict gives for the test split, and their argmax (here the
 * sigmoid's side of 0.5) is the accuracy the snapshot reports. Without the flag there are none. */
static void
test_test_outputs (void)
{
  g_autoptr (NwSpec) spec = spec_for ("2 dense:8 tanh dense:1 sigmoid bce", NW_DATA_XOR, 16,
                                      NW_OPT_ADAM, 0.05);
  g_autoptr (NwTrainer) t = trainer_for (spec, NULL);
  const NwSplit *test = &nw_trainer_get_data (t)->test;
  g_autoptr (NwSnapshot) plain = NULL, with = NULL;
  g_autofree float *expect = g_new (float, MAX (test->n, 1));
  GError *error = NULL;
  int right = 0;

  steps (t, 40);
  plain = nw_trainer_snapshot (t, NW_SNAPSHOT_TEST, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NULL (plain->test_outputs);
  with = nw_trainer_snapshot (t, NW_SNAPSHOT_TEST_OUTPUTS, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (with->test_outputs != NULL);
  CU_ASSERT_EQUAL_FATAL (with->test_n, test->n);
  CU_ASSERT_EQUAL_FATAL (with->test_width, 1);
  CU_ASSERT_EQUAL (with->test_loss, plain->test_loss);
  CU_ASSERT (nw_trainer_predict (t, test->x, test->n, expect, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (memcmp (expect, with->test_outputs, sizeof (float) * test->n) == 0);
  for (int i = 0; i < test->n; i++)
    right += (with->test_outputs[i] > 0.5f) == (test->y[i] > 0.5f);
  CU_ASSERT (fabs ((double) right / test->n - with->test_acc) < 1e-9);
}

/* The weight probes every snapshot carries (norms of weights and gradients, the weight
 * histogram), against plain double-precision loops over the same values. The histogram's
 * bins are [lo + k w, lo + (k + 1) w) with w = (hi - lo) / bins; a value within float rounding
 * (1e-4 of a bin) of an edge may fall on either side, so each such value allows one count of
 * difference in two bins. The norms are sums of squares in double: 1e-9 relative. */
static void
test_weight_probes (void)
{
  g_autoptr (NwSpec) spec = spec_for ("2 dense:50 tanh dense:30 tanh dense:1 sigmoid bce",
                                      NW_DATA_XOR, 16, NW_OPT_ADAM, 0.05);
  g_autoptr (NwTrainer) t = trainer_for (spec, NULL);
  NwNet *net = nw_trainer_get_net (t);
  g_autoptr (NwSnapshot) snap = NULL;
  g_autofree float *params = NULL;
  g_autofree float *grads = g_new (float, nw_net_n_params (net));
  GError *error = NULL;
  int checked = 0;

  steps (t, 5);
  params = params_of (t);
  nw_net_get_grads (net, grads);
  snap = nw_trainer_snapshot (t, 0, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  for (int i = 0; i < snap->n_layers; i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      const NwLayerProbe *p = &snap->layers[i];
      const float *w = params + info->w_off, *g = grads + info->w_off;
      double ww = 0, gg = 0, lo = INFINITY, hi = -INFINITY, bins[NW_STATS_BINS] = { 0 };
      double total = 0, diff = 0;
      int edges = 0;
      if (info->w_n == 0)
        continue;
      for (gsize k = 0; k < info->w_n; k++)
        {
          ww += (double) w[k] * w[k];
          gg += (double) g[k] * g[k];
          lo = MIN (lo, w[k]);
          hi = MAX (hi, w[k]);
        }
      for (gsize k = 0; k < info->w_n; k++)
        {
          double at = (w[k] - lo) / (hi - lo) * NW_STATS_BINS;
          bins[MIN ((int) at, NW_STATS_BINS - 1)] += 1;
          edges += at > 0.5 && at < NW_STATS_BINS - 0.5 && fabs (at - round (at)) < 1e-4;
        }
      CU_ASSERT (fabs (p->weight_norm - sqrt (ww)) <= 1e-9 * sqrt (ww));
      CU_ASSERT (fabs (p->grad_norm - sqrt (gg)) <= 1e-9 * sqrt (gg));
      CU_ASSERT_EQUAL (p->whist_lo, (float) lo);
      CU_ASSERT_EQUAL (p->whist_hi, (float) hi);
      for (int k = 0; k < NW_STATS_BINS; k++)
        {
          total += p->whist[k];
          diff += fabs (p->whist[k] - bins[k]);
        }
      CU_ASSERT_EQUAL (total, (double) info->w_n);
      CU_ASSERT (diff <= 2 * edges);
      checked++;
    }
  CU_ASSERT_EQUAL (checked, 3);
}

static const NwTestCase cases[] = {
  { "train_grid_dropout", test_train_grid_dropout },
  { "no_train_grid_without_dropout", test_no_train_grid_without_dropout },
  { "train_grid_batchnorm", test_train_grid_batchnorm },
  { "train_grid_batchnorm_cl", test_train_grid_batchnorm_cl },
  { "neuron_maps", test_neuron_maps },
  { "take_over_cpu", test_take_over_cpu },
  { "take_over_cl", test_take_over_cl },
  { "test_outputs", test_test_outputs },
  { "weight_probes", test_weight_probes },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "snapshot", cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
