/* test-backend-cpu.c: the CPU backend's special paths agree with its general one: one-row
 * products (matrix-vector, for single predictions) on dense and mostly-zero inputs against the
 * same product computed as part of a larger batch, before and after the weights change. */
#include "nw-test.h"
#include "nw-backend.h"
#include "nw-rng.h"

#include <math.h>

/* Float products of 784 terms in different orders: agreement within 1e-5 relative to the
 * sum of |terms| (rounding), far below any real error. */
static void
assert_rows_match (const nw_real *one, const nw_real *batch, int n, double scale)
{
  for (int j = 0; j < n; j++)
    CU_ASSERT (fabs ((double) one[j] - batch[j]) <= 1e-5 * scale);
}

static void
check_one_row (double zero_share)
{
  const int n = 256, k = 784, rows = 3;
  NwBackend *b = nw_backend_cpu_new ();
  NwBuffer *w = nw_backend_alloc (b, (gsize) n * k), *x = nw_backend_alloc (b, (gsize) rows * k);
  NwBuffer *y1 = nw_backend_alloc (b, n), *yb = nw_backend_alloc (b, (gsize) rows * n);
  g_autofree nw_real *hw = g_new (nw_real, (gsize) n * k), *hx = g_new (nw_real, (gsize) rows * k);
  g_autofree nw_real *o1 = g_new (nw_real, n), *ob = g_new (nw_real, (gsize) rows * n);
  NwUpdateArgs sgd = { .kind = NW_OPT_SGD, .lr = 0.5f, .t = 1 };
  GError *error = NULL;
  NwRng rng;

  nw_rng_init (&rng, 3);
  for (gsize i = 0; i < (gsize) n * k; i++)
    hw[i] = (nw_real) nw_rng_normal (&rng) * 0.05f;
  for (gsize i = 0; i < (gsize) rows * k; i++)
    hx[i] = nw_rng_uniform (&rng) < zero_share ? 0 : (nw_real) nw_rng_uniform (&rng);
  nw_backend_upload (b, w, 0, hw, (gsize) n * k);
  nw_backend_upload (b, x, 0, hx, (gsize) rows * k);

  for (int round = 0; round < 2; round++)
    {
      /* Row 1 alone (m = 1: the one-row paths) against the 3-row batch (general sgemm). */
      b->ops->gemm (b, FALSE, TRUE, 1, n, k, 1, x, k, k, w, 0, k, 0, y1, 0, n);
      b->ops->gemm (b, FALSE, TRUE, rows, n, k, 1, x, 0, k, w, 0, k, 0, yb, 0, n);
      nw_backend_download (b, y1, 0, o1, n);
      nw_backend_download (b, yb, 0, ob, (gsize) rows * n);
      assert_rows_match (o1, ob + n, n, 784 * 0.05 * 4);
      /* Change the weights (an optimizer step with W as its own gradient): the next one-row
       * product must see the new weights. */
      b->ops->update (b, &sgd, FALSE, (gsize) n * k, w, w, NULL, NULL, 0);
    }
  CU_ASSERT (nw_backend_take_error (b, &error));
  nw_backend_release (b, &w);
  nw_backend_release (b, &x);
  nw_backend_release (b, &y1);
  nw_backend_release (b, &yb);
  CU_ASSERT_EQUAL (b->n_buffers, 0);
  nw_backend_free (b);
}

static void test_one_row_dense (void) { check_one_row (0.0); }
static void test_one_row_sparse (void) { check_one_row (0.8); }

static const NwTestCase cases[] = {
  { "one_row_dense", test_one_row_dense },
  { "one_row_sparse_and_refreshed", test_one_row_sparse },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "backend-cpu", cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
