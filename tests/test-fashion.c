/* test-fashion.c: gzip-compressed IDX files (as Debian's dataset-fashion-mnist ships them) load
 * like plain ones; damaged ones are named (test 'fashion', always runs). Fashion-MNIST itself
 * loads when it is installed (test 'fashion-real': argument "fashion-real", exits 77, which
 * meson counts as skipped, when the files are missing). */
#include "nw-test.h"
#include "nw-data.h"
#include "nw-data-private.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

/* n images of r x c with pixel (i, j) = (7 * i + j) % 256, and labels i % 10. */
static GBytes *
make_images (guint32 n, guint32 r, guint32 c)
{
  gsize len = 16 + (gsize) n * r * c;
  guint8 *b = g_malloc (len);
  put_be32 (b, 0x803);
  put_be32 (b + 4, n);
  put_be32 (b + 8, r);
  put_be32 (b + 12, c);
  for (gsize i = 0; i < (gsize) n * r * c; i++)
    b[16 + i] = (guint8) ((7 * (i / (r * c)) + i % (r * c)) % 256);
  return g_bytes_new_take (b, len);
}

static GBytes *
make_labels (guint32 n)
{
  guint8 *b = g_malloc (8 + n);
  put_be32 (b, 0x801);
  put_be32 (b + 4, n);
  for (guint32 i = 0; i < n; i++)
    b[8 + i] = (guint8) (i % 10);
  return g_bytes_new_take (b, 8 + n);
}

static GBytes *
gzip_bytes (GBytes *plain)
{
  g_autoptr (GConverter) z = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9));
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) out = g_converter_output_stream_new (mem, z);
  gsize size;
  const void *data = g_bytes_get_data (plain, &size);
  GError *error = NULL;
  g_output_stream_write_all (out, data, size, NULL, NULL, &error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static void
write_bytes (const char *path, GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  GError *error = NULL;
  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
}

/* The four IDX files in `dir`, each plain or gzipped (NAME.gz) as `gz` says. */
static void
write_dir (const char *dir, const gboolean gz[4])
{
  static const char *const names[4] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  };
  GBytes *files[4] = { make_images (30, 5, 4), make_labels (30), make_images (12, 5, 4),
                       make_labels (12) };
  g_mkdir_with_parents (dir, 0755);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *gzpath = g_strconcat (path, ".gz", NULL);
      if (gz[i])
        {
          GBytes *packed = gzip_bytes (files[i]);
          write_bytes (gzpath, packed);
          g_bytes_unref (packed);
        }
      else
        write_bytes (path, files[i]);
      g_bytes_unref (files[i]);
    }
}

static gboolean
splits_equal (const NwSplit *a, const NwSplit *b)
{
  return a->n == b->n && a->d == b->d && a->k == b->k
         && memcmp (a->x, b->x, sizeof (float) * a->n * a->d) == 0
         && memcmp (a->y, b->y, sizeof (float) * a->n * a->k) == 0
         && memcmp (a->labels, b->labels, a->n) == 0;
}

static void
test_gzip_loads_like_plain (void)
{
  const gboolean plain[4] = { FALSE, FALSE, FALSE, FALSE };
  const gboolean all_gz[4] = { TRUE, TRUE, TRUE, TRUE };
  const gboolean mixed[4] = { TRUE, FALSE, FALSE, TRUE };
  g_autofree char *d_plain = nw_test_path ("idx-plain");
  g_autofree char *d_gz = nw_test_path ("idx-gz");
  g_autofree char *d_mixed = nw_test_path ("idx-mixed");
  GError *error = NULL;
  NwDataset *a, *b, *c;

  write_dir (d_plain, plain);
  write_dir (d_gz, all_gz);
  write_dir (d_mixed, mixed);
  a = nw_dataset_load_idx_dir (d_plain, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  b = nw_dataset_load_fashion_mnist (d_gz, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  c = nw_dataset_load_idx_dir (d_mixed, 0, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (a->train.n, 30);
  CU_ASSERT_EQUAL (a->test.n, 12);
  CU_ASSERT_EQUAL (a->train.d, 20);
  CU_ASSERT (splits_equal (&a->train, &b->train) && splits_equal (&a->test, &b->test));
  CU_ASSERT (splits_equal (&a->train, &c->train) && splits_equal (&a->test, &c->test));
  CU_ASSERT_STRING_EQUAL (a->name, "mnist");
  CU_ASSERT_STRING_EQUAL (b->name, "fashion_mnist");
  nw_dataset_free (a);
  nw_dataset_free (b);
  nw_dataset_free (c);

  /* A gzipped file named without .gz is told by its bytes. */
  {
    g_autofree char *path = nw_test_path ("images-no-suffix");
    GBytes *img = make_images (3, 2, 2), *packed = gzip_bytes (img);
    int n = 0, rows = 0, cols = 0;
    float *pixels = NULL;
    write_bytes (path, packed);
    CU_ASSERT (nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT (n == 3 && rows == 2 && cols == 2);
    CU_ASSERT_DOUBLE_EQUAL (pixels[5], 8 / 255.0, 1e-7);   /* image 1, pixel 1: 7 + 1 */
    g_free (pixels);
    g_bytes_unref (img);
    g_bytes_unref (packed);
  }
}

static void
test_gzip_damaged (void)
{
  const gboolean all_gz[4] = { TRUE, TRUE, TRUE, TRUE };
  g_autofree char *dir = nw_test_path ("idx-gz-bad");
  g_autofree char *file = NULL;
  gchar *data = NULL;
  gsize len = 0;
  GError *error = NULL;

  write_dir (dir, all_gz);
  file = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);
  g_file_get_contents (file, &data, &len, &error);
  NW_ASSERT_NO_ERROR (error);

  /* Cut in half: the inflater runs out of input. */
  g_file_set_contents (file, data, (gssize) (len / 2), &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NULL (nw_dataset_load_fashion_mnist (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "train-images-idx3-ubyte.gz", "gzip");

  /* Bytes flipped in the middle of the deflate stream. */
  for (gsize i = len / 3; i < len / 3 + 8; i++)
    data[i] ^= 0x5a;
  g_file_set_contents (file, data, (gssize) len, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NULL (nw_dataset_load_fashion_mnist (dir, 0, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  if (error != NULL)
    {
      g_print ("\n    (damaged: %s) ", error->message);
      CU_ASSERT (strstr (error->message, "train-images-idx3-ubyte") != NULL);
      g_clear_error (&error);
    }
  g_free (data);

  /* Missing altogether: the hint names the Debian package. */
  g_unlink (file);
  CU_ASSERT_PTR_NULL (nw_dataset_load_fashion_mnist (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, "train-images-idx3-ubyte", "Fashion-MNIST",
                   "dataset-fashion-mnist");
}

/* The gzip trailer's ISIZE only sizes the first buffer: a cut file, one whose trailer lies,
 * and a first buffer far too small are each told apart. */
static void
test_gzip_trailer (void)
{
  const gboolean all_gz[4] = { TRUE, TRUE, TRUE, TRUE };
  g_autofree char *dir = nw_test_path ("idx-gz-trailer");
  g_autofree char *file = NULL;
  gchar *data = NULL;
  gsize len = 0;
  GError *error = NULL;

  write_dir (dir, all_gz);
  file = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);
  g_file_get_contents (file, &data, &len, &error);
  NW_ASSERT_NO_ERROR (error);

  /* Cut short: "truncated", not a generic failure to inflate. */
  g_file_set_contents (file, data, (gssize) (len - 12), &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NULL (nw_dataset_load_fashion_mnist (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "train-images-idx3-ubyte.gz", "truncated");

  /* Cut short with its last four bytes claiming 4 GiB: the same, without asking for 4 GiB. */
  {
    gchar *cut = g_memdup2 (data, len - 12);
    memset (cut + len - 16, 0xff, 4);
    g_file_set_contents (file, cut, (gssize) (len - 12), &error);
    NW_ASSERT_NO_ERROR (error);
    g_free (cut);
  }
  CU_ASSERT_PTR_NULL (nw_dataset_load_fashion_mnist (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "train-images-idx3-ubyte.gz", "truncated");

  /* Whole, but the trailer's ISIZE lies (huge): zlib checks it, so the data is damaged, and
   * the first buffer stays within deflate's ratio of the compressed size. */
  {
    gchar *lying = g_memdup2 (data, len);
    memset (lying + len - 4, 0xff, 4);
    g_file_set_contents (file, lying, (gssize) len, &error);
    NW_ASSERT_NO_ERROR (error);
    g_free (lying);
  }
  CU_ASSERT_PTR_NULL (nw_dataset_load_fashion_mnist (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "train-images-idx3-ubyte.gz", "damaged");

  /* A first buffer far smaller than the output (as ISIZE, the length mod 2^32, gives for a
   * file over 4 GiB): the output grows and the file inflates whole. */
  {
    GBytes *plain = make_images (300, 28, 28), *packed = gzip_bytes (plain);
    gsize plen, glen;
    const guint8 *pdata = g_bytes_get_data (plain, &plen);
    const guint8 *gdata = g_bytes_get_data (packed, &glen);
    GBytes *out;
    for (gsize first = 1; first <= 4096; first *= 64)
      {
        out = nw_gunzip (gdata, glen, first, "small.gz", &error);
        NW_ASSERT_NO_ERROR (error);
        CU_ASSERT_PTR_NOT_NULL_FATAL (out);
        CU_ASSERT_EQUAL (g_bytes_get_size (out), plen);
        CU_ASSERT (memcmp (g_bytes_get_data (out, NULL), pdata, plen) == 0);
        g_bytes_unref (out);
      }
    /* Cut, through the same function: named and called truncated. */
    CU_ASSERT_PTR_NULL (nw_gunzip (gdata, glen / 2, 0, "half.gz", &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "half.gz", "truncated");
    g_bytes_unref (plain);
    g_bytes_unref (packed);
  }
  g_free (data);
}

static void
test_kind_and_names (void)
{
  const char *const *names = nw_data_class_names (NW_DATA_FASHION_MNIST);
  CU_ASSERT_EQUAL (nw_data_kind_from_name ("fashion_mnist"), NW_DATA_FASHION_MNIST);
  CU_ASSERT_STRING_EQUAL (nw_data_kind_name (NW_DATA_FASHION_MNIST), "fashion_mnist");
  CU_ASSERT_PTR_NOT_NULL_FATAL (names);
  CU_ASSERT_STRING_EQUAL (names[0], "T-shirt/top");
  CU_ASSERT_STRING_EQUAL (names[9], "Ankle boot");
  CU_ASSERT_STRING_EQUAL (nw_data_class_names (NW_DATA_MNIST)[7], "7");
  CU_ASSERT_PTR_NULL (nw_data_class_names (NW_DATA_XOR));
}

/* Whether Fashion-MNIST is in `dir` (plain or gzipped). */
static gboolean
fashion_installed (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "t10k-labels-idx1-ubyte.gz", NULL);
  g_autofree char *probe_plain = g_build_filename (dir, "t10k-labels-idx1-ubyte", NULL);
  return g_file_test (probe, G_FILE_TEST_EXISTS) || g_file_test (probe_plain, G_FILE_TEST_EXISTS);
}

/* The real thing, from Debian's package (or $NEUROWIRE_DATA_DIR/fashion-mnist, passed as the
 * data root). */
static void
test_real_fashion_mnist (void)
{
  g_autofree char *dir = nw_data_default_fashion_mnist_dir (nw_test_data_root ());
  NwDataSpec spec = { .kind = NW_DATA_FASHION_MNIST };
  GError *error = NULL;
  NwDataset *ds;
  gint64 start;
  guint counts[10] = { 0 };

  start = g_get_monotonic_time ();
  ds = nw_dataset_new (&spec, nw_test_data_root (), &error);
  NW_ASSERT_NO_ERROR (error);
  g_print ("\n    (Fashion-MNIST from %s loaded in %.3f s) ", dir,
           (g_get_monotonic_time () - start) / 1e6);
  CU_ASSERT_STRING_EQUAL (ds->name, "fashion_mnist");
  CU_ASSERT_EQUAL (ds->train.n, 60000);
  CU_ASSERT_EQUAL (ds->test.n, 10000);
  CU_ASSERT_EQUAL (ds->train.d, 784);
  CU_ASSERT_EQUAL (ds->n_classes, 10);
  /* Zalando's first training image is an ankle boot (9), the first test image too. */
  CU_ASSERT_EQUAL (ds->train.labels[0], 9);
  CU_ASSERT_EQUAL (ds->test.labels[0], 9);
  /* Balanced: 1000 test images per class. */
  for (int i = 0; i < ds->test.n; i++)
    counts[ds->test.labels[i]]++;
  for (int c = 0; c < 10; c++)
    CU_ASSERT_EQUAL (counts[c], 1000);
  nw_dataset_free (ds);
}

static const NwTestCase cases[] = {
  { "gzip loads like plain", test_gzip_loads_like_plain },
  { "damaged gzip named", test_gzip_damaged },
  { "gzip trailer only a hint", test_gzip_trailer },
  { "kind and class names", test_kind_and_names },
  { NULL, NULL },
};

static const NwTestCase real_cases[] = {
  { "real Fashion-MNIST", test_real_fashion_mnist },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "fashion", cases },
  { NULL, NULL },
};

static const NwTestSuite real_suites[] = {
  { "fashion-real", real_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  if (argc > 1 && strcmp (argv[1], "fashion-real") == 0)
    {
      g_autofree char *dir = nw_data_default_fashion_mnist_dir (nw_test_data_root ());
      if (!fashion_installed (dir))
        {
          g_print ("Fashion-MNIST is not in %s (apt-get install dataset-fashion-mnist): skipped\n",
                   dir);
          return 77;
        }
      return nw_test_main (argc, argv, real_suites);
    }
  return nw_test_main (argc, argv, suites);
}
