/* test-optim.c: each optimizer's update against values computed by hand.
 *
 * One parameter w = 1 with a constant gradient g = 0.5 and lr = 0.1, two steps; the expected
 * values below were worked out on paper from PyTorch's documented update rules (see
 * docs/optimizers.md). Float arithmetic: agreement within 1e-6 absolute. */
#include "nw-test.h"
#include "nw-backend.h"

#include <math.h>

#define TOL 1e-6

typedef struct {
  NwOptimizerKind kind;
  float momentum, eps, wd, l1, l2;
  float w0;
  double expect[2];
} Case;

static void
run_case (const Case *c)
{
  NwBackend *b = nw_backend_cpu_new ();
  NwBuffer *p = nw_backend_alloc (b, 1), *g = nw_backend_alloc (b, 1);
  NwBuffer *s1 = nw_backend_alloc (b, 1), *s2 = nw_backend_alloc (b, 1);
  nw_real w = c->w0, grad = 0.5f, zero = 0;
  NwUpdateArgs args = {
    .kind = c->kind, .lr = 0.1f, .momentum = c->momentum, .beta1 = 0.9f, .beta2 = 0.999f,
    .eps = c->eps, .rho = 0.99f, .weight_decay = c->wd, .l1 = c->l1, .l2 = c->l2,
  };
  GError *error = NULL;

  nw_backend_upload (b, p, 0, &w, 1);
  nw_backend_upload (b, g, 0, &grad, 1);
  nw_backend_upload (b, s1, 0, &zero, 1);
  nw_backend_upload (b, s2, 0, &zero, 1);
  for (int t = 1; t <= 2; t++)
    {
      args.t = t;
      b->ops->update (b, &args, TRUE, 1, p, g, s1, s2, 0);
      nw_backend_download (b, p, 0, &w, 1);
      if (fabs (w - c->expect[t - 1]) > TOL)
        g_printerr ("%s step %d: got %.9g, expected %.9g\n", nw_optimizer_name (c->kind), t,
                    (double) w, c->expect[t - 1]);
      CU_ASSERT (fabs (w - c->expect[t - 1]) <= TOL);
    }
  /* The gradient itself is left alone (probes read it after the update). */
  nw_backend_download (b, g, 0, &grad, 1);
  CU_ASSERT_EQUAL (grad, 0.5f);
  CU_ASSERT (nw_backend_take_error (b, &error));
  nw_backend_release (b, &p);
  nw_backend_release (b, &g);
  nw_backend_release (b, &s1);
  nw_backend_release (b, &s2);
  CU_ASSERT_EQUAL (b->n_buffers, 0);
  nw_backend_free (b);
}

/* w1 = 1 - 0.1 * 0.5 = 0.95; w2 = 0.9 */
static void test_sgd (void) { run_case (&(Case) { NW_OPT_SGD, 0, 0, 0, 0, 0, 1, { 0.95, 0.90 } }); }

/* b1 = 0.5, w1 = 0.95; b2 = 0.9 * 0.5 + 0.5 = 0.95, w2 = 0.95 - 0.095 = 0.855 */
static void test_momentum (void) { run_case (&(Case) { NW_OPT_MOMENTUM, 0.9f, 0, 0, 0, 0, 1, { 0.95, 0.855 } }); }

/* b1 = 0.5, w1 = 1 - 0.1 * (0.5 + 0.9 * 0.5) = 0.905;
 * b2 = 0.95, w2 = 0.905 - 0.1 * (0.5 + 0.9 * 0.95) = 0.7695 */
static void test_nesterov (void) { run_case (&(Case) { NW_OPT_NESTEROV, 0.9f, 0, 0, 0, 0, 1, { 0.905, 0.7695 } }); }

/* s1 = 0.25, w1 = 1 - 0.1 * 0.5 / 0.5 = 0.9; s2 = 0.5, w2 = 0.9 - 0.05 / sqrt(0.5) = 0.829289322 */
static void test_adagrad (void) { run_case (&(Case) { NW_OPT_ADAGRAD, 0, 1e-10f, 0, 0, 0, 1, { 0.9, 0.829289322 } }); }

/* s1 = 0.01 * 0.25 = 0.0025, w1 = 1 - 0.05 / 0.05 = 0;
 * s2 = 0.99 * 0.0025 + 0.0025 = 0.004975, w2 = -0.05 / sqrt(0.004975) = -0.708881205 */
static void test_rmsprop (void) { run_case (&(Case) { NW_OPT_RMSPROP, 0, 1e-8f, 0, 0, 0, 1, { 0.0, -0.708881205 } }); }

/* RMSProp with momentum 0.9: b1 = 0.5/0.05 = 10, w1 = 1 - 1 = 0;
 * b2 = 0.9 * 10 + 0.5 / sqrt(0.004975) = 9 + 7.08881205, w2 = 0 - 1.608881205 */
static void test_rmsprop_momentum (void) { run_case (&(Case) { NW_OPT_RMSPROP, 0.9f, 1e-8f, 0, 0, 0, 1, { 0.0, -1.608881205 } }); }

/* With a constant gradient Adam's bias-corrected m/sqrt(v) is exactly g/|g| = 1 each step:
 * w1 = 1 - 0.1 = 0.9, w2 = 0.8 (eps shifts this by 2e-9). */
static void test_adam (void) { run_case (&(Case) { NW_OPT_ADAM, 0, 1e-8f, 0, 0, 0, 1, { 0.9, 0.8 } }); }

/* AdamW decays first: w1 = 1 * (1 - 0.1 * 0.01) - 0.1 = 0.899; w2 = 0.899 * 0.999 - 0.1 = 0.798101 */
static void test_adamw (void) { run_case (&(Case) { NW_OPT_ADAMW, 0, 1e-8f, 0.01f, 0, 0, 1, { 0.899, 0.798101 } }); }

/* L2 0.1 adds 0.1 * w: w1 = 1 - 0.1 * (0.5 + 0.1) = 0.94; w2 = 0.94 - 0.1 * (0.5 + 0.094) = 0.8806 */
static void test_l2 (void) { run_case (&(Case) { NW_OPT_SGD, 0, 0, 0, 0, 0.1f, 1, { 0.94, 0.8806 } }); }

/* L1 0.2 adds 0.2 * sign(w); from w = -1: w1 = -1 - 0.1 * (0.5 - 0.2) = -1.03, w2 = -1.06 */
static void test_l1 (void) { run_case (&(Case) { NW_OPT_SGD, 0, 0, 0, 0.2f, 0, -1, { -1.03, -1.06 } }); }

static void
test_penalty_only_where_asked (void)
{
  NwBackend *b = nw_backend_cpu_new ();
  NwBuffer *p = nw_backend_alloc (b, 1), *g = nw_backend_alloc (b, 1);
  nw_real w = 1, grad = 0.5f;
  NwUpdateArgs args = { .kind = NW_OPT_SGD, .lr = 0.1f, .l2 = 0.1f, .l1 = 0.1f, .t = 1 };
  nw_backend_upload (b, p, 0, &w, 1);
  nw_backend_upload (b, g, 0, &grad, 1);
  b->ops->update (b, &args, FALSE, 1, p, g, NULL, NULL, 0);   /* a bias: no penalty */
  nw_backend_download (b, p, 0, &w, 1);
  CU_ASSERT (fabs (w - 0.95) < TOL);
  nw_backend_release (b, &p);
  nw_backend_release (b, &g);
  nw_backend_free (b);
}

/* A decaying running average that falls below FLT_MIN becomes exactly 0 instead of a
 * subnormal (slow arithmetic on most CPUs; core/nw-backend-cpu.c, FLUSH). With a zero
 * gradient the state only decays: from 1e-36 momentum's b (x0.9 per step) stays a normal
 * number for 42 steps and is 0 after 43; RMSProp's s (x0.99) and Adam's v (x0.999) decay
 * slower and must just never be subnormal. The weight moves by less than 1e-30 throughout. */
static void
test_state_flushed_not_subnormal (void)
{
  static const NwOptimizerKind kinds[] = { NW_OPT_MOMENTUM, NW_OPT_NESTEROV, NW_OPT_RMSPROP, NW_OPT_ADAM };
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      NwBackend *b = nw_backend_cpu_new ();
      NwBuffer *p = nw_backend_alloc (b, 1), *g = nw_backend_alloc (b, 1);
      NwBuffer *s1 = nw_backend_alloc (b, 1), *s2 = nw_backend_alloc (b, 1);
      nw_real w = 1, zero = 0, start = 1e-36f, st[2];
      NwUpdateArgs args = {
        .kind = kinds[k], .lr = 0.1f, .momentum = 0.9f, .beta1 = 0.9f, .beta2 = 0.999f,
        .eps = 1e-8f, .rho = 0.99f,
      };
      int subnormal = 0, first_zero = -1;
      nw_backend_upload (b, p, 0, &w, 1);
      nw_backend_upload (b, g, 0, &zero, 1);
      nw_backend_upload (b, s1, 0, &start, 1);
      nw_backend_upload (b, s2, 0, &start, 1);
      for (int t = 1; t <= 60; t++)
        {
          args.t = t;
          b->ops->update (b, &args, TRUE, 1, p, g, s1, s2, 0);
          nw_backend_download (b, s1, 0, &st[0], 1);
          nw_backend_download (b, s2, 0, &st[1], 1);
          for (int j = 0; j < 2; j++)
            subnormal += fpclassify (st[j]) == FP_SUBNORMAL;
          /* momentum's b, RMSProp's b (momentum 0.9), Adam's m: the x0.9 state */
          if (first_zero < 0 && st[kinds[k] == NW_OPT_RMSPROP ? 1 : 0] == 0)
            first_zero = t;
        }
      nw_backend_download (b, p, 0, &w, 1);
      CU_ASSERT_EQUAL (subnormal, 0);
      if (first_zero != 43)
        g_printerr ("%s: the x0.9 state became 0 at step %d, expected 43\n",
                    nw_optimizer_name (kinds[k]), first_zero);
      CU_ASSERT_EQUAL (first_zero, 43);
      CU_ASSERT (fabs (w - 1) < 1e-30);
      nw_backend_release (b, &p);
      nw_backend_release (b, &g);
      nw_backend_release (b, &s1);
      nw_backend_release (b, &s2);
      nw_backend_free (b);
    }
}

static const NwTestCase cases[] = {
  { "sgd", test_sgd },
  { "momentum", test_momentum },
  { "nesterov", test_nesterov },
  { "adagrad", test_adagrad },
  { "rmsprop", test_rmsprop },
  { "rmsprop_momentum", test_rmsprop_momentum },
  { "adam", test_adam },
  { "adamw", test_adamw },
  { "l2", test_l2 },
  { "l1", test_l1 },
  { "penalty_only_on_weights", test_penalty_only_where_asked },
  { "state_flushed_not_subnormal", test_state_flushed_not_subnormal },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "optimizers", cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
