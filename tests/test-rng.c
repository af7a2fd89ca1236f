/* test-rng.c: the generators are deterministic per seed and statistically sane. */
#include "nw-test.h"
#include "nw-rng.h"

#include <math.h>

static void
test_deterministic (void)
{
  NwRng a, b;
  nw_rng_init (&a, 42);
  nw_rng_init (&b, 42);
  for (int i = 0; i < 1000; i++)
    CU_ASSERT_EQUAL (nw_rng_next (&a), nw_rng_next (&b));
  nw_rng_init (&b, 43);
  CU_ASSERT_NOT_EQUAL (nw_rng_next (&a), nw_rng_next (&b));
}

static void
test_uniform_and_normal_moments (void)
{
  NwRng rng;
  double sum = 0, sumsq = 0, nsum = 0, nsumsq = 0;
  const int n = 200000;
  nw_rng_init (&rng, 7);
  for (int i = 0; i < n; i++)
    {
      double u = nw_rng_uniform (&rng), z = nw_rng_normal (&rng);
      CU_ASSERT (u >= 0 && u < 1);
      sum += u;
      sumsq += u * u;
      nsum += z;
      nsumsq += z * z;
    }
  /* Standard errors at n = 2e5: mean of U(0,1) 6.5e-4, of N(0,1) 2.2e-3; margins are ~5 sigma. */
  CU_ASSERT (fabs (sum / n - 0.5) < 0.004);
  CU_ASSERT (fabs (sumsq / n - 1.0 / 3) < 0.004);
  CU_ASSERT (fabs (nsum / n) < 0.012);
  CU_ASSERT (fabs (nsumsq / n - 1) < 0.02);
}

static void
test_below_and_shuffle (void)
{
  NwRng rng;
  int counts[3] = { 0 };
  gint32 items[50];
  gboolean seen[50] = { FALSE };
  nw_rng_init (&rng, 1);
  for (int i = 0; i < 30000; i++)
    counts[nw_rng_below (&rng, 3)]++;
  for (int k = 0; k < 3; k++)
    CU_ASSERT (abs (counts[k] - 10000) < 500);
  for (int i = 0; i < 50; i++)
    items[i] = i;
  nw_rng_shuffle (&rng, items, 50);
  for (int i = 0; i < 50; i++)
    seen[items[i]] = TRUE;
  for (int i = 0; i < 50; i++)
    CU_ASSERT (seen[i]);
}

static void
test_counter_uniform (void)
{
  /* A pure function of (seed, counter): the property the OpenCL backend relies on. */
  double sum = 0;
  int below_half = 0;
  CU_ASSERT_EQUAL (nw_counter_uniform (9, 123), nw_counter_uniform (9, 123));
  CU_ASSERT_NOT_EQUAL (nw_counter_uniform (9, 123), nw_counter_uniform (9, 124));
  CU_ASSERT_NOT_EQUAL (nw_counter_uniform (9, 123), nw_counter_uniform (10, 123));
  for (guint64 i = 0; i < 100000; i++)
    {
      float u = nw_counter_uniform (5, i);
      CU_ASSERT (u >= 0 && u < 1);
      sum += u;
      below_half += u < 0.5f;
    }
  CU_ASSERT (fabs (sum / 100000 - 0.5) < 0.005);
  CU_ASSERT (abs (below_half - 50000) < 800);
}

static const NwTestCase rng_cases[] = {
  { "deterministic", test_deterministic },
  { "uniform_and_normal_moments", test_uniform_and_normal_moments },
  { "below_and_shuffle", test_below_and_shuffle },
  { "counter_uniform", test_counter_uniform },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "rng", rng_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
