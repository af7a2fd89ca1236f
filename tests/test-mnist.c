/* test-mnist.c: the MNIST MLP of the lessons (784-256-256-10 ReLU, Xavier, Adam 1e-3,
 * batch 100) reaches at least 97.5% test accuracy in 5 epochs.
 * Skipped (exit 77) when the MNIST files are not installed (tools/fetch-mnist.sh). */
#include "nw-test.h"
#include "nw-trainer.h"

#include <stdlib.h>

static void
test_mlp_reaches_97_5 (void)
{
  GError *error = NULL;
  g_autofree char *path = nw_test_source_path ("examples/mnist-mlp.json");
  g_autoptr (NwSpec) spec = nw_spec_load (path, &error);
  g_autoptr (NwTrainer) t = NULL;
  double loss = 0, acc = 0;
  gint64 start;
  int spe;

  NW_ASSERT_NO_ERROR (error);
  t = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  spe = nw_trainer_steps_per_epoch (t);
  CU_ASSERT_EQUAL (spe, 600);
  for (int epoch = 1; epoch <= 5; epoch++)
    {
      start = g_get_monotonic_time ();
      for (int s = 0; s < spe; s++)
        if (!nw_trainer_step (t, &error))
          break;
      NW_ASSERT_NO_ERROR (error);
      nw_trainer_evaluate (t, TRUE, &loss, &acc, &error);
      NW_ASSERT_NO_ERROR (error);
      g_print ("  epoch %d: test loss %.4f, accuracy %.2f%% (%.2f s)\n", epoch, loss, 100 * acc,
               (g_get_monotonic_time () - start) / 1e6);
    }
  CU_ASSERT (acc >= 0.975);
  CU_ASSERT_EQUAL (nw_trainer_get_epoch (t), 5);
}

static const NwTestCase cases[] = {
  { "mlp_reaches_97_5_percent", test_mlp_reaches_97_5 },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "mnist", cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  g_autofree char *dir = nw_data_default_mnist_dir (nw_test_data_root ());
  g_autofree char *probe = g_build_filename (dir, "t10k-labels-idx1-ubyte", NULL);
  if (!g_file_test (probe, G_FILE_TEST_EXISTS))
    {
      g_print ("MNIST is not installed in %s (run tools/fetch-mnist.sh): skipped\n", dir);
      return 77;
    }
  return nw_test_main (argc, argv, suites);
}
