/* test-train.c: the classic results the lessons rest on, and the trainer's contracts:
 * determinism, train/eval behaviour of Dropout and BatchNorm, divergence, live changes. */
#include "nw-test.h"
#include "nw-trainer.h"

#include <math.h>
#include <string.h>

static NwTrainer *
xor_trainer (const char *chain, guint64 seed, double lr)
{
  GError *error = NULL;
  NwSpec *spec = nw_spec_new_chain (chain, &error);
  NwTrainer *t;
  NW_ASSERT_NO_ERROR (error);
  spec->data.kind = NW_DATA_XOR;
  spec->train.optimizer = NW_OPT_SGD;
  spec->train.lr = lr;
  spec->train.batch_size = 0;
  spec->train.seed = seed;
  t = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_spec_free (spec);
  return t;
}

static double
train_and_loss (NwTrainer *t, int steps)
{
  GError *error = NULL;
  double loss = NAN;
  for (int i = 0; i < steps; i++)
    if (!nw_trainer_step (t, &error))
      break;
  NW_ASSERT_NO_ERROR (error);
  nw_trainer_evaluate (t, FALSE, &loss, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  return loss;
}

/* A single sigmoid unit cannot separate XOR: the best it can do is output 1/2 everywhere,
 * loss ln 2. Gradient descent gets there and stays (1e-3 margin, 5 seeds, 10001 steps). */
static void
test_xor_perceptron_stuck_at_ln2 (void)
{
  for (guint64 seed = 1; seed <= 5; seed++)
    {
      g_autoptr (NwTrainer) t = xor_trainer ("2 dense:1 sigmoid bce", seed, 1.0);
      double loss = train_and_loss (t, 10001);
      g_print ("  seed %" G_GUINT64_FORMAT ": loss %.6f (ln 2 = %.6f)\n", seed, loss, G_LN2);
      CU_ASSERT (fabs (loss - G_LN2) < 1e-3);
    }
}

/* 2-10-10-10-1 all sigmoid, SGD lr 1, full batch: it learns XOR, slowly (the gradient reaching
 * the first layer is small), below 0.01 within 10001 steps for at least 3 of 5 seeds. */
static void
test_xor_deep_sigmoid_learns (void)
{
  int solved = 0;
  for (guint64 seed = 1; seed <= 5; seed++)
    {
      g_autoptr (NwTrainer) t = xor_trainer (
        "2 dense:10 sigmoid dense:10 sigmoid dense:10 sigmoid dense:1 sigmoid bce", seed, 1.0);
      double loss = train_and_loss (t, 10001);
      g_print ("  seed %" G_GUINT64_FORMAT ": loss %.6f\n", seed, loss);
      solved += loss < 0.01;
    }
  CU_ASSERT (solved >= 3);
}

/* The vanishing gradient, measured: in the deep sigmoid net the first layer's weight gradient
 * is much smaller than the last layer's at the start of training. */
static void
test_deep_sigmoid_gradient_vanishes (void)
{
  GError *error = NULL;
  g_autoptr (NwTrainer) t = xor_trainer (
    "2 dense:10 sigmoid dense:10 sigmoid dense:10 sigmoid dense:1 sigmoid bce", 1, 1.0);
  g_autoptr (NwSnapshot) snap = NULL;
  nw_trainer_step (t, &error);
  NW_ASSERT_NO_ERROR (error);
  snap = nw_trainer_snapshot (t, FALSE, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  g_print ("  first/last layer gradient ratio %.3g\n", snap->first_last_ratio);
  CU_ASSERT (snap->first_last_ratio < 0.1);
}

static GArray *
loss_curve (guint64 seed)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("2 dense:16 relu dropout:0.3 dense:16 batchnorm tanh dense:1 sigmoid bce", &error);
  g_autoptr (NwTrainer) t = NULL;
  GArray *curve = g_array_new (FALSE, FALSE, sizeof (double));
  NW_ASSERT_NO_ERROR (error);
  spec->data.kind = NW_DATA_CIRCLE;
  spec->data.n = 300;
  spec->train.optimizer = NW_OPT_ADAM;
  spec->train.lr = 0.01;
  spec->train.batch_size = 32;
  spec->train.seed = seed;
  t = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  for (int i = 0; i < 200; i++)
    {
      nw_trainer_step (t, &error);
      if (i % 10 == 9)
        {
          g_autoptr (NwSnapshot) snap = nw_trainer_snapshot (t, TRUE, 0, &error);
          NW_ASSERT_NO_ERROR (error);
          g_array_append_val (curve, snap->train_loss);
          g_array_append_val (curve, snap->test_loss);
        }
    }
  return curve;
}

/* Same seed, same settings: bit-identical loss curves (shuffling, dropout masks, BatchNorm
 * statistics included); another seed: a different curve. */
static void
test_determinism (void)
{
  g_autoptr (GArray) a = loss_curve (11), b = loss_curve (11), c = loss_curve (12);
  CU_ASSERT_EQUAL (a->len, b->len);
  CU_ASSERT (memcmp (a->data, b->data, a->len * sizeof (double)) == 0);
  CU_ASSERT (memcmp (a->data, c->data, a->len * sizeof (double)) != 0);
  CU_ASSERT (g_array_index (a, double, a->len - 2) < g_array_index (a, double, 0));
}

/* Dropout in training: about p of the units are zero and the rest scaled by 1/(1-p);
 * in evaluation: the identity. */
static void
test_dropout_train_vs_eval (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("4 dropout:0.25 mse", &error);
  NwBackend *b = nw_backend_cpu_new ();
  NwNet *net;
  const int rows = 2000, d = 4;
  g_autofree nw_real *x = g_new (nw_real, rows * d);
  g_autofree float *y = g_new (float, rows * d);
  int zeros = 0, scaled = 0;

  net = nw_net_new (spec, d, d, 0, b, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_net_reserve (net, rows, &error);
  for (int i = 0; i < rows * d; i++)
    x[i] = 1 + (i % 7);
  nw_backend_upload (b, nw_net_input (net), 0, x, rows * d);

  nw_net_forward (net, rows, TRUE, FALSE);
  nw_net_read_node (net, 1, rows, y);
  for (int i = 0; i < rows * d; i++)
    {
      zeros += y[i] == 0;
      scaled += fabsf (y[i] - x[i] / 0.75f) < 1e-5f;
    }
  /* 8000 draws of p = 0.25: standard deviation 39; margin 5 sigma. */
  CU_ASSERT (abs (zeros - 2000) < 200);
  CU_ASSERT_EQUAL (zeros + scaled, rows * d);

  nw_net_forward (net, rows, FALSE, FALSE);
  nw_net_read_node (net, 1, rows, y);
  for (int i = 0; i < rows * d; i++)
    CU_ASSERT_EQUAL_FATAL (y[i], x[i]);

  /* Switched off, it is the identity in training too. */
  CU_ASSERT (nw_net_set_enabled (net, "dropout1", FALSE, &error));
  nw_net_forward (net, rows, TRUE, FALSE);
  nw_net_read_node (net, 1, rows, y);
  CU_ASSERT (memcmp (y, x, 0) == 0 && y[5] == x[5] && y[rows * d - 1] == x[rows * d - 1]);
  nw_net_free (net);
  CU_ASSERT_EQUAL (b->n_buffers, 0);
  nw_backend_free (b);
}

/* BatchNorm in training normalises with the batch's statistics and moves the running ones by
 * momentum 0.1 (unbiased variance, like PyTorch); in evaluation it uses the running ones. */
static void
test_batchnorm_train_vs_eval (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("2 batchnorm mse", &error);
  NwBackend *b = nw_backend_cpu_new ();
  NwNet *net;
  const int rows = 4;
  nw_real x[8] = { 1, 10, 2, 20, 3, 30, 6, 40 };   /* column 0: mean 3, column 1: mean 25 */
  float y[8];
  double var0 = (4 + 1 + 0 + 9) / 4.0, var1 = (225 + 25 + 25 + 225) / 4.0;
  g_autoptr (NwTensorFile) sd = NULL;
  NwTensor *rm, *rv, *nb;

  net = nw_net_new (spec, 2, 2, 0, b, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_net_reserve (net, rows, &error);
  nw_backend_upload (b, nw_net_input (net), 0, x, 8);
  nw_net_forward (net, rows, TRUE, FALSE);
  nw_net_read_node (net, 1, rows, y);
  NW_ASSERT_CLOSE (y[0], (1 - 3) / sqrt (var0 + 1e-5), 1e-5, 1e-6);
  NW_ASSERT_CLOSE (y[7], (40 - 25) / sqrt (var1 + 1e-5), 1e-5, 1e-6);

  sd = nw_net_state_dict (net);
  rm = nw_tensor_file_get (sd, "0.running_mean");
  rv = nw_tensor_file_get (sd, "0.running_var");
  nb = nw_tensor_file_get (sd, "0.num_batches_tracked");
  CU_ASSERT_FATAL (rm != NULL && rv != NULL && nb != NULL);
  NW_ASSERT_CLOSE (rm->f32[0], 0.1 * 3, 1e-6, 1e-7);
  NW_ASSERT_CLOSE (rm->f32[1], 0.1 * 25, 1e-6, 1e-7);
  NW_ASSERT_CLOSE (rv->f32[0], 0.9 + 0.1 * var0 * 4 / 3, 1e-6, 1e-7);
  NW_ASSERT_CLOSE (rv->f32[1], 0.9 + 0.1 * var1 * 4 / 3, 1e-6, 1e-7);
  CU_ASSERT_EQUAL (nb->f32[0], 1);

  nw_net_forward (net, rows, FALSE, FALSE);
  nw_net_read_node (net, 1, rows, y);
  NW_ASSERT_CLOSE (y[0], (1 - rm->f32[0]) / sqrt (rv->f32[0] + 1e-5), 1e-5, 1e-6);
  NW_ASSERT_CLOSE (y[7], (40 - rm->f32[1]) / sqrt (rv->f32[1] + 1e-5), 1e-5, 1e-6);
  nw_net_free (net);
  nw_backend_free (b);
}

/* A learning rate far too large makes the loss explode: training stops with a message that
 * says what happened and when. */
static void
test_divergence_detected (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("2 dense:32 relu dense:32 relu dense:1 mse", &error);
  g_autoptr (NwTrainer) t = NULL;
  int i;
  spec->data.kind = NW_DATA_GAUSSIANS;
  spec->train.optimizer = NW_OPT_SGD;
  spec->train.lr = 50;
  t = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  for (i = 0; i < 1000 && nw_trainer_step (t, &error); i++)
    ;
  CU_ASSERT (i < 1000);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_DIVERGED, "diverged at step", "learning rate");
}

/* Sigmoid + BCE at lr 1e6: BCE's clamp holds the loss at 50, far below a thousandfold its
 * start, yet the run is ruined. It stops, naming the step and the clamp; the last good weights
 * are the ones before the bad step, finite and giving the starting loss back. */
static void
test_divergence_bce_clamp_keeps_last_good (void)
{
  GError *error = NULL;
  g_autoptr (NwTrainer) t = xor_trainer (
    "2 dense:10 sigmoid dense:10 sigmoid dense:10 sigmoid dense:1 sigmoid bce", 1, 1e6);
  NwNet *net = nw_trainer_get_net (t);
  gsize n = nw_net_n_params (net);
  g_autofree float *start = g_new (float, n);
  g_autofree float *back = g_new (float, n);
  double loss0 = NAN, loss = NAN;
  int i;

  nw_net_get_params (net, start);
  nw_trainer_evaluate (t, FALSE, &loss0, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (nw_trainer_get_last_good_step (t), -1);
  for (i = 0; i < 200 && nw_trainer_step (t, &error); i++)
    ;
  CU_ASSERT (i < 200);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_DIVERGED, "diverged at step", "0 or 1", "learning rate");
  g_clear_error (&error);
  CU_ASSERT (nw_trainer_get_last_good_step (t) >= 0);
  /* Every step of a 261-parameter net is copied: the copy taken before the failing step is
   * unproven, the one before it is the last good. */
  CU_ASSERT_EQUAL (nw_trainer_get_last_good_step (t), nw_trainer_get_step (t) - 2);
  CU_ASSERT_FATAL (nw_trainer_restore_last_good (t, &error));
  NW_ASSERT_NO_ERROR (error);
  nw_net_get_params (net, back);
  for (gsize k = 0; k < n; k++)
    CU_ASSERT_FATAL (isfinite (back[k]));
  /* Diverged at once: the last good weights are the initial ones, exactly. */
  if (nw_trainer_get_last_good_step (t) == 0)
    CU_ASSERT (memcmp (start, back, n * sizeof (float)) == 0);
  nw_trainer_evaluate (t, FALSE, &loss, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (loss < 1.0);
}

/* Weights that hold NaN (set from outside, as a bad file could) stop the next step with a
 * message naming the weights; with no good weights yet, there is nothing to restore. */
static void
test_divergence_nan_weights (void)
{
  GError *error = NULL;
  g_autoptr (NwTrainer) t = xor_trainer ("2 dense:2 sigmoid dense:1 sigmoid bce", 1, 1.0);
  NwNet *net = nw_trainer_get_net (t);
  gsize n = nw_net_n_params (net);
  g_autofree float *p = g_new (float, n);

  nw_net_get_params (net, p);
  p[n - 1] = NAN;
  nw_net_set_params (net, p);
  CU_ASSERT_FALSE (nw_trainer_step (t, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_DIVERGED, "step 0", "weights", "NaN");
  g_clear_error (&error);
  CU_ASSERT_EQUAL (nw_trainer_get_last_good_step (t), -1);
  CU_ASSERT_FALSE (nw_trainer_restore_last_good (t, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_DIVERGED, "no good weights");
  g_clear_error (&error);
}

/* An empty test split ("test_ratio": 0) is valid: training runs, and evaluating the test split
 * says there are no test figures instead of NaN. Uploading the empty split copied 0 bytes
 * from a NULL pointer in the CPU backend, which the sanitizer build (UBSan, nonnull-attribute)
 * stops at; the guarded copy passes there too. */
static void
test_empty_test_split (void)
{
  GError *error = NULL;
  /* BCE on probabilities: a sigmoid before it (without one the clamped loss is divergence). */
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("2 dense:4 relu dense:1 sigmoid bce", &error);
  g_autoptr (NwTrainer) t = NULL;
  double loss = NAN, acc = NAN;

  NW_ASSERT_NO_ERROR (error);
  spec->data.kind = NW_DATA_GAUSSIANS;
  spec->data.test_ratio = 0;
  t = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (t);
  for (int i = 0; i < 5; i++)
    CU_ASSERT_TRUE (nw_trainer_step (t, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (nw_trainer_evaluate (t, FALSE, &loss, &acc, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (isfinite (loss) && isfinite (acc));

  loss = acc = 7;
  CU_ASSERT_FALSE (nw_trainer_evaluate (t, TRUE, &loss, &acc, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "the test split is empty");
  CU_ASSERT_EQUAL (loss, 7);
  CU_ASSERT_EQUAL (acc, 7);
}

/* Hyperparameters change between steps without a reset: the step count goes on and the new
 * learning rate takes effect (lr 0 freezes the weights). */
static void
test_live_hyperparameters (void)
{
  GError *error = NULL;
  g_autoptr (NwTrainer) t = xor_trainer ("2 dense:4 tanh dense:1 sigmoid bce", 1, 0.5);
  NwTrainSpec hp;
  gsize np = nw_net_n_params (nw_trainer_get_net (t));
  g_autofree float *before = g_new (float, np), *after = g_new (float, np);
  for (int i = 0; i < 10; i++)
    nw_trainer_step (t, &error);
  hp = nw_trainer_get_spec (t)->train;
  hp.lr = 0;
  nw_trainer_set_hyper (t, &hp);
  nw_net_get_params (nw_trainer_get_net (t), before);
  nw_trainer_step (t, &error);
  nw_net_get_params (nw_trainer_get_net (t), after);
  CU_ASSERT (memcmp (before, after, np * sizeof (float)) == 0);
  CU_ASSERT_EQUAL (nw_trainer_get_step (t), 11);
  hp.lr = 0.5;
  hp.optimizer = NW_OPT_ADAM;
  nw_trainer_set_hyper (t, &hp);
  nw_trainer_step (t, &error);
  nw_net_get_params (nw_trainer_get_net (t), after);
  CU_ASSERT (memcmp (before, after, np * sizeof (float)) != 0);
  NW_ASSERT_NO_ERROR (error);
}

/* Before the first step there is no batch to describe: the activation statistics are
 * missing (NAN), not the zeros of fresh buffers, which a ReLU plot would show as "100% dead". */
static void
test_snapshot_before_first_step (void)
{
  GError *error = NULL;
  g_autoptr (NwTrainer) t = xor_trainer ("2 dense:8 relu dense:1 sigmoid bce", 1, 0.5);
  g_autoptr (NwSnapshot) snap = nw_trainer_snapshot (t, FALSE, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL_FATAL (snap->n_layers, 6);
  CU_ASSERT_EQUAL (snap->layers[2].kind, NW_NODE_ACTIVATION);
  CU_ASSERT (isnan (snap->layers[2].dead) && isnan (snap->layers[2].act_mean));
  nw_trainer_step (t, &error);
  g_clear_pointer (&snap, nw_snapshot_free);
  snap = nw_trainer_snapshot (t, FALSE, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (snap->layers[2].dead >= 0 && snap->layers[2].dead <= 1);
}

/* A dead ReLU unit gets an input <= 0 from every example; a healthy layer has many inputs
 * <= 0 but few dead units. The window's alarm reads dead units, not the share of inputs. */
static void
test_dead_relu_units (void)
{
  GError *error = NULL;
  g_autoptr (NwTrainer) t = xor_trainer ("2 dense:8 relu dense:1 sigmoid bce", 3, 0.5);
  NwNet *net = nw_trainer_get_net (t);
  const NwNodeInfo *fc = nw_net_node (net, 1);
  gsize np = nw_net_n_params (net);
  g_autofree float *params = g_new (float, np);
  g_autoptr (NwSnapshot) snap = NULL;

  for (int i = 0; i < 20; i++)
    nw_trainer_step (t, &error);
  snap = nw_trainer_snapshot (t, FALSE, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (snap->layers[2].dead > 0.2);                   /* many inputs <= 0 ... */
  CU_ASSERT (snap->layers[2].dead_units < 0.5);             /* ... few units dead */
  CU_ASSERT (snap->layers[2].dead_units <= snap->layers[2].dead + 1e-12);
  CU_ASSERT (isnan (snap->layers[4].dead_units));           /* sigmoid */

  /* Zero weights and a bias of -1 on units 0-5: those six are dead for every input. */
  nw_net_get_params (net, params);
  for (int j = 0; j < 6; j++)
    {
      for (int k = 0; k < 2; k++)
        params[fc->w_off + (gsize) j * 2 + k] = 0;
      params[fc->b_off + j] = -1;
    }
  nw_net_set_params (net, params);
  nw_trainer_step (t, &error);
  g_clear_pointer (&snap, nw_snapshot_free);
  snap = nw_trainer_snapshot (t, FALSE, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (snap->layers[2].dead_units >= 6.0 / 8 - 1e-12);
}

/* Snapshots carry the probes the views draw: gradient norms per layer, activation statistics
 * with a histogram of every input, and the decision boundary on a grid. */
static void
test_snapshot_probes (void)
{
  GError *error = NULL;
  g_autoptr (NwTrainer) t = xor_trainer ("2 dense:8 relu dense:8 sigmoid dense:1 sigmoid bce", 1, 0.5);
  g_autoptr (NwSnapshot) snap = NULL;
  double hist_total = 0;
  for (int i = 0; i < 5; i++)
    nw_trainer_step (t, &error);
  snap = nw_trainer_snapshot (t, TRUE, 16, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (snap->step, 5);
  CU_ASSERT (isfinite (snap->train_loss) && isfinite (snap->test_loss));
  CU_ASSERT_EQUAL (snap->n_layers, 8);   /* input, 3 x (dense, activation), loss */
  CU_ASSERT (snap->layers[1].grad_norm > 0 && snap->layers[1].weight_norm > 0);
  CU_ASSERT (snap->layers[1].update_ratio > 0);
  CU_ASSERT (isnan (snap->layers[1].input_grad_norm));   /* fed by the data */
  CU_ASSERT (snap->layers[3].input_grad_norm > 0);
  CU_ASSERT (snap->layers[2].activation == NW_ACT_RELU);
  for (int k = 0; k < NW_STATS_BINS; k++)
    hist_total += snap->layers[2].hist[k];
  CU_ASSERT_EQUAL (hist_total, 4 * 8);
  CU_ASSERT (snap->layers[2].dead >= 0 && snap->layers[2].dead <= 1);
  CU_ASSERT_EQUAL (snap->grid_n, 16);
  for (int i = 0; i < 16 * 16; i++)
    CU_ASSERT_FATAL (snap->grid[i] >= 0 && snap->grid[i] <= 1);
}


/* A 2^20-unit hidden layer on XOR trains: its evaluation goes 16 rows at a time instead of
 * 1,000 (which would be 16 GB of activations); the whole run needs about 370 MB. */
static void
test_wide_layer_trains (void)
{
  g_autoptr (NwTrainer) t = xor_trainer ("2 dense:1048576 relu dense:1 sigmoid bce", 1, 0.001);
  GError *error = NULL;
  double before = NAN, after;
  NwMemoryEstimate est;

  CU_ASSERT_FATAL (t != NULL);
  nw_net_memory_estimate (nw_trainer_get_net (t), 1, 0, &est);
  CU_ASSERT (nw_memory_eval_rows (est.per_row) < 20);
  nw_trainer_evaluate (t, FALSE, &before, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  after = train_and_loss (t, 3);
  CU_ASSERT (isfinite (before) && isfinite (after));
}

static const NwTestCase lesson_cases[] = {
  { "xor_perceptron_stuck_at_ln2", test_xor_perceptron_stuck_at_ln2 },
  { "xor_deep_sigmoid_learns", test_xor_deep_sigmoid_learns },
  { "deep_sigmoid_gradient_vanishes", test_deep_sigmoid_gradient_vanishes },
  { NULL, NULL },
};

static const NwTestCase trainer_cases[] = {
  { "determinism", test_determinism },
  { "dropout_train_vs_eval", test_dropout_train_vs_eval },
  { "batchnorm_train_vs_eval", test_batchnorm_train_vs_eval },
  { "divergence_detected", test_divergence_detected },
  { "divergence_bce_clamp_keeps_last_good", test_divergence_bce_clamp_keeps_last_good },
  { "divergence_nan_weights", test_divergence_nan_weights },
  { "live_hyperparameters", test_live_hyperparameters },
  { "snapshot_probes", test_snapshot_probes },
  { "snapshot_before_first_step", test_snapshot_before_first_step },
  { "dead_relu_units", test_dead_relu_units },
  { "empty_test_split", test_empty_test_split },
  { "wide_layer_trains", test_wide_layer_trains },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "lessons", lesson_cases },
  { "trainer", trainer_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
