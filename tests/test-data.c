/* test-data.c: datasets: the 2D generators, CSV points, IDX files and the real MNIST. */
#include "nw-test.h"
#include "nw-data.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const NwDataKind generated_kinds[] = {
  NW_DATA_XOR_CLOUD, NW_DATA_CIRCLE, NW_DATA_GAUSSIANS, NW_DATA_SPIRAL, NW_DATA_MOONS,
  NW_DATA_CHECKERBOARD,
};
#define N_GENERATED G_N_ELEMENTS (generated_kinds)

/* ---- helpers ---------------------------------------------------------------------------- */

static gboolean
splits_equal (const NwSplit *a, const NwSplit *b)
{
  if (a->n != b->n || a->d != b->d || a->k != b->k)
    return FALSE;
  if (a->n == 0)
    return TRUE;
  return memcmp (a->x, b->x, (gsize) a->n * a->d * sizeof (float)) == 0
         && memcmp (a->y, b->y, (gsize) a->n * a->k * sizeof (float)) == 0
         && (a->labels == NULL) == (b->labels == NULL)
         && (a->labels == NULL || memcmp (a->labels, b->labels, (gsize) a->n) == 0);
}

static gboolean
datasets_equal (const NwDataset *a, const NwDataset *b)
{
  return g_strcmp0 (a->name, b->name) == 0 && a->n_classes == b->n_classes
         && splits_equal (&a->train, &b->train) && splits_equal (&a->test, &b->test);
}

/* Checks the invariants of a 2D classification split; counts its labels into `counts`. */
static void
check_2d_split (const NwSplit *s, int counts[2])
{
  CU_ASSERT_EQUAL (s->d, 2);
  CU_ASSERT_EQUAL (s->k, 1);
  if (s->n > 0)
    CU_ASSERT_PTR_NOT_NULL_FATAL (s->labels);
  for (int i = 0; i < s->n; i++)
    {
      CU_ASSERT (isfinite (s->x[2 * i]) && isfinite (s->x[2 * i + 1]));
      CU_ASSERT (s->labels[i] <= 1);
      CU_ASSERT_EQUAL (s->y[i], s->labels[i] ? 1.0f : 0.0f);
      counts[s->labels[i] & 1]++;
    }
}

static NwDataset *
make_2d (NwDataKind kind, int n, double noise, double ratio, guint64 seed)
{
  GError *error = NULL;
  NwDataset *ds = nw_dataset_new_2d (kind, n, noise, ratio, seed, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (ds);
  return ds;
}

/* ---- names ------------------------------------------------------------------------------ */

static void
test_kind_names (void)
{
  for (int k = 0; k < NW_N_DATA_KINDS; k++)
    {
      const char *name = nw_data_kind_name ((NwDataKind) k);
      char *upper;
      CU_ASSERT_PTR_NOT_NULL_FATAL (name);
      CU_ASSERT_EQUAL (nw_data_kind_from_name (name), k);
      upper = g_ascii_strup (name, -1);
      CU_ASSERT_EQUAL (nw_data_kind_from_name (upper), k);
      g_free (upper);
    }
  CU_ASSERT_STRING_EQUAL (nw_data_kind_name (NW_DATA_XOR_CLOUD), "xor_cloud");
  CU_ASSERT_STRING_EQUAL (nw_data_kind_name (NW_DATA_CHECKERBOARD), "checkerboard");
  CU_ASSERT_EQUAL (nw_data_kind_from_name ("Spiral"), NW_DATA_SPIRAL);
  CU_ASSERT_EQUAL (nw_data_kind_from_name ("nope"), -1);
  CU_ASSERT_EQUAL (nw_data_kind_from_name (""), -1);
  CU_ASSERT_EQUAL (nw_data_kind_from_name (NULL), -1);
  CU_ASSERT_PTR_NULL (nw_data_kind_name (NW_N_DATA_KINDS));
  CU_ASSERT_PTR_NULL (nw_data_kind_name ((NwDataKind) -1));
}

/* The default folders come from the caller's data root; core reads no environment variable
 * (NEUROWIRE_DATA_DIR is app/'s to read and pass down). */
static void
test_default_mnist_dir (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("NEUROWIRE_DATA_DIR"));
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "neurowire", "mnist", NULL);
  g_autofree char *root = nw_test_path ("data-root");
  g_autofree char *fashion = g_build_filename (root, "fashion-mnist", NULL);
  NwDataSpec mnist = { .kind = NW_DATA_MNIST };
  NwDataSpec fashion_spec = { .kind = NW_DATA_FASHION_MNIST };
  NwDataSpec xor = { .kind = NW_DATA_XOR };
  char *dir;

  dir = nw_data_default_mnist_dir ("/some/where");
  CU_ASSERT_STRING_EQUAL (dir, "/some/where/mnist");
  g_free (dir);

  g_setenv ("NEUROWIRE_DATA_DIR", "/not/read", TRUE);
  dir = nw_data_default_mnist_dir (NULL);
  CU_ASSERT_STRING_EQUAL (dir, expected);
  g_free (dir);
  dir = nw_data_default_mnist_dir ("");
  CU_ASSERT_STRING_EQUAL (dir, expected);
  g_free (dir);
  if (saved != NULL)
    g_setenv ("NEUROWIRE_DATA_DIR", saved, TRUE);
  else
    g_unsetenv ("NEUROWIRE_DATA_DIR");

  /* Fashion-MNIST under the root only where that folder exists. */
  dir = nw_data_default_fashion_mnist_dir (root);
  CU_ASSERT_STRING_NOT_EQUAL (dir, fashion);
  g_free (dir);
  g_mkdir_with_parents (fashion, 0700);
  dir = nw_data_default_fashion_mnist_dir (root);
  CU_ASSERT_STRING_EQUAL (dir, fashion);
  g_free (dir);

  /* A spec's own path wins; without one the root's folder is filled in; 2D has none. */
  dir = nw_data_spec_dir (&mnist, "/some/where");
  CU_ASSERT_STRING_EQUAL (dir, "/some/where/mnist");
  g_free (dir);
  CU_ASSERT_PTR_NULL (nw_data_spec_dir (&xor, "/some/where"));
  nw_data_spec_resolve (&fashion_spec, root);
  CU_ASSERT_STRING_EQUAL (fashion_spec.path, fashion);
  nw_data_spec_resolve (&fashion_spec, "/elsewhere");
  CU_ASSERT_STRING_EQUAL (fashion_spec.path, fashion);
  g_free (fashion_spec.path);
  nw_data_spec_resolve (&xor, root);
  CU_ASSERT_PTR_NULL (xor.path);
}

/* An MNIST spec without a path reads the folder under the data root it is given, and the
 * error for missing files names that folder. */
static void
test_data_root_missing_mnist (void)
{
  GError *error = NULL;
  g_autofree char *root = nw_test_path ("empty-root");
  g_autofree char *folder = g_build_filename (root, "mnist", NULL);
  NwDataSpec spec = { .kind = NW_DATA_MNIST };

  g_mkdir_with_parents (root, 0700);
  CU_ASSERT_PTR_NULL (nw_dataset_new (&spec, root, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, folder, "tools/fetch-mnist.sh");
}

/* ---- 2D generators ---------------------------------------------------------------------- */

static void
test_xor_points (void)
{
  static const float expect_x[8] = { -1, -1, -1, 1, 1, -1, 1, 1 };
  static const guint8 expect_l[4] = { 0, 1, 1, 0 };
  /* n, noise and test_ratio are ignored, even when out of range. */
  NwDataset *ds = make_2d (NW_DATA_XOR, 1, 5.0, 0.99, 7);

  CU_ASSERT_STRING_EQUAL (ds->name, "xor");
  CU_ASSERT_EQUAL (ds->n_classes, 2);
  for (int s = 0; s < 2; s++)
    {
      const NwSplit *split = s == 0 ? &ds->train : &ds->test;
      CU_ASSERT_EQUAL_FATAL (split->n, 4);
      CU_ASSERT_EQUAL (split->d, 2);
      CU_ASSERT_EQUAL (split->k, 1);
      CU_ASSERT (memcmp (split->x, expect_x, sizeof expect_x) == 0);
      CU_ASSERT (memcmp (split->labels, expect_l, sizeof expect_l) == 0);
      for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL (split->y[i], (float) expect_l[i]);
    }
  nw_dataset_free (ds);
}

/* The course notes' truth tables: inputs in {0, 1}^2 in the notes' row order, the same four
 * points in both splits, whatever n, noise, test_ratio and seed say; through nw_dataset_new
 * (what a spec's "kind": "and" reaches) as well; and 2D kinds with nothing to tune. */
static void
test_truth_tables_01 (void)
{
  static const float expect_x[8] = { 0, 0, 0, 1, 1, 0, 1, 1 };
  static const struct { NwDataKind kind; const char *name; guint8 labels[4]; } tables[] = {
    { NW_DATA_XOR01, "xor01", { 0, 1, 1, 0 } },
    { NW_DATA_AND, "and", { 0, 0, 0, 1 } },
    { NW_DATA_OR, "or", { 0, 1, 1, 1 } },
  };

  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      GError *error = NULL;
      NwDataSpec spec = { .kind = tables[t].kind, .n = 500, .noise = 0.3, .test_ratio = 0.5,
                          .seed = 99 };
      NwDataset *ds = make_2d (tables[t].kind, 1, 5.0, 0.99, 7 + t);
      NwDataset *via_spec = nw_dataset_new (&spec, NULL, &error);
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (via_spec);

      CU_ASSERT_STRING_EQUAL (nw_data_kind_name (tables[t].kind), tables[t].name);
      CU_ASSERT_EQUAL (nw_data_kind_from_name (tables[t].name), (int) tables[t].kind);
      CU_ASSERT (nw_data_kind_is_2d (tables[t].kind));
      CU_ASSERT (nw_data_kind_is_truth_table (tables[t].kind));
      CU_ASSERT (!nw_data_kind_is_image (tables[t].kind));
      CU_ASSERT_PTR_NULL (nw_data_class_names (tables[t].kind));

      CU_ASSERT_STRING_EQUAL (ds->name, tables[t].name);
      CU_ASSERT_EQUAL (ds->n_classes, 2);
      for (int s = 0; s < 2; s++)
        {
          const NwSplit *split = s == 0 ? &ds->train : &ds->test;
          int counts[2] = { 0, 0 };
          CU_ASSERT_EQUAL_FATAL (split->n, 4);
          check_2d_split (split, counts);
          CU_ASSERT (memcmp (split->x, expect_x, sizeof expect_x) == 0);
          CU_ASSERT (memcmp (split->labels, tables[t].labels, 4) == 0);
          for (int i = 0; i < 4; i++)
            CU_ASSERT_EQUAL (split->y[i], (float) tables[t].labels[i]);
        }
      CU_ASSERT (datasets_equal (ds, via_spec));
      nw_dataset_free (ds);
      nw_dataset_free (via_spec);
    }
  /* The old XOR at +-1 is a truth table too and did not move; the generators are not. */
  CU_ASSERT (nw_data_kind_is_truth_table (NW_DATA_XOR));
  for (gsize k = 0; k < N_GENERATED; k++)
    CU_ASSERT (!nw_data_kind_is_truth_table (generated_kinds[k]));
  CU_ASSERT (!nw_data_kind_is_truth_table (NW_DATA_CSV));
  CU_ASSERT (!nw_data_kind_is_truth_table (NW_DATA_MNIST));
  CU_ASSERT (!nw_data_kind_is_2d (NW_DATA_CSV));
  CU_ASSERT_STRING_EQUAL (nw_data_kind_name (NW_DATA_CSV), "csv");
}

static void
test_generators_deterministic (void)
{
  for (gsize k = 0; k < N_GENERATED; k++)
    {
      NwDataset *a = make_2d (generated_kinds[k], 300, 0.1, 0.2, 42);
      NwDataset *b = make_2d (generated_kinds[k], 300, 0.1, 0.2, 42);
      NwDataset *c = make_2d (generated_kinds[k], 300, 0.1, 0.2, 43);
      NwDataset *d = make_2d (generated_kinds[k], 300, 0.0, 0.2, 42);
      NwDataset *e = make_2d (generated_kinds[k], 300, 0.0, 0.2, 43);
      CU_ASSERT (datasets_equal (a, b));
      CU_ASSERT (!datasets_equal (a, c));
      CU_ASSERT (!datasets_equal (d, e));   /* the positions too, not only the noise */
      CU_ASSERT_STRING_EQUAL (a->name, nw_data_kind_name (generated_kinds[k]));
      nw_dataset_free (a);
      nw_dataset_free (b);
      nw_dataset_free (c);
      nw_dataset_free (d);
      nw_dataset_free (e);
    }
}

static void
test_generators_sizes (void)
{
  static const struct { int n; double ratio; int n_test; } cases[] = {
    { 200, 0.25, 50 }, { 201, 0.25, 50 }, { 4, 0.0, 0 }, { 4, 0.9, 3 }, { 1000, 0.5, 500 },
    { 7, 0.3, 2 },
  };
  for (gsize k = 0; k < N_GENERATED; k++)
    for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        NwDataset *ds = make_2d (generated_kinds[k], cases[c].n, 0.2, cases[c].ratio, 1);
        int counts[2] = { 0, 0 };
        CU_ASSERT_EQUAL (ds->n_classes, 2);
        CU_ASSERT_EQUAL (ds->test.n, cases[c].n_test);
        CU_ASSERT_EQUAL (ds->train.n, cases[c].n - cases[c].n_test);
        check_2d_split (&ds->train, counts);
        check_2d_split (&ds->test, counts);
        CU_ASSERT_EQUAL (counts[0] + counts[1], cases[c].n);
        CU_ASSERT (abs (counts[0] - counts[1]) <= 1);
        nw_dataset_free (ds);
      }
}

/* The shapes, without noise: every point where its generator says. */
static void
test_generators_geometry (void)
{
  for (gsize k = 0; k < N_GENERATED; k++)
    {
      NwDataKind kind = generated_kinds[k];
      NwDataset *ds = make_2d (kind, 2000, 0.0, 0.0, 5);
      double sum[2][2] = { { 0, 0 }, { 0, 0 } };
      int count[2] = { 0, 0 };
      const NwSplit *s = &ds->train;

      CU_ASSERT_EQUAL (s->n, 2000);
      for (int i = 0; i < s->n; i++)
        {
          double x = s->x[2 * i], y = s->x[2 * i + 1], r = hypot (x, y);
          int l = s->labels[i];
          CU_ASSERT (fabs (x) <= 1.0 && fabs (y) <= 1.0);
          sum[l][0] += x;
          sum[l][1] += y;
          count[l]++;
          switch (kind)
            {
            case NW_DATA_XOR_CLOUD:
              CU_ASSERT (fabs (x) >= 0.05 - 1e-6 && fabs (y) >= 0.05 - 1e-6);
              CU_ASSERT_EQUAL (l, (x > 0) != (y > 0));
              break;
            case NW_DATA_CIRCLE:
              if (l == 1)
                {
                  CU_ASSERT (r <= 0.5 + 1e-6);
                }
              else
                {
                  CU_ASSERT (r >= 0.7 - 1e-6 && r <= 1.0 + 1e-6);
                }
              break;
            case NW_DATA_SPIRAL:
              CU_ASSERT (r <= 1.0 + 1e-6);
              break;
            case NW_DATA_CHECKERBOARD:
              {
                int ix = CLAMP ((int) floor ((x + 1.0) / 0.5), 0, 3);
                int iy = CLAMP ((int) floor ((y + 1.0) / 0.5), 0, 3);
                /* Points exactly on a cell edge may round either way. */
                if (fabs (x * 2 - round (x * 2)) > 1e-6 && fabs (y * 2 - round (y * 2)) > 1e-6)
                  CU_ASSERT_EQUAL (l, (ix + iy) & 1);
              }
              break;
            case NW_DATA_XOR:
            case NW_DATA_GAUSSIANS:
            case NW_DATA_MOONS:
            case NW_DATA_CSV:
            case NW_DATA_MNIST:
            case NW_N_DATA_KINDS:
            default:
              break;
            }
        }
      if (kind == NW_DATA_GAUSSIANS)
        {
          /* Blob centres near (-0.5,-0.5) and (0.5,0.5) (the truncation pulls them in a bit). */
          for (int l = 0; l < 2; l++)
            for (int c = 0; c < 2; c++)
              CU_ASSERT (fabs (sum[l][c] / count[l] - (l ? 0.5 : -0.5)) < 0.1);
        }
      if (kind == NW_DATA_MOONS)
        {
          /* The upper moon is class 0, the lower class 1. */
          CU_ASSERT (sum[0][1] / count[0] > sum[1][1] / count[1]);
        }
      nw_dataset_free (ds);
    }
}

static void
test_generators_noise (void)
{
  /* Noise moves points: with a large std some leave [-1, 1]^2, all stay finite. */
  NwDataset *ds = make_2d (NW_DATA_CIRCLE, 1000, 1.0, 0.0, 3);
  int outside = 0;
  for (int i = 0; i < ds->train.n; i++)
    {
      CU_ASSERT (isfinite (ds->train.x[2 * i]) && isfinite (ds->train.x[2 * i + 1]));
      if (fabs (ds->train.x[2 * i]) > 1.0 || fabs (ds->train.x[2 * i + 1]) > 1.0)
        outside++;
    }
  CU_ASSERT (outside > 100);
  nw_dataset_free (ds);
}

static void
test_generators_bad_arguments (void)
{
  GError *error = NULL;

  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_CIRCLE, 3, 0.1, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "n", "3");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_CIRCLE, 10000001, 0.1, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "n", "10000001");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_SPIRAL, -5, 0.1, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "n");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_MOONS, 100, -0.1, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "noise");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_MOONS, 100, NAN, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "noise");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_MOONS, 100, INFINITY, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "noise");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_GAUSSIANS, 100, 0.1, 1.0, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "test_ratio");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_GAUSSIANS, 100, 0.1, -0.1, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "test_ratio");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_GAUSSIANS, 100, 0.1, NAN, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "test_ratio");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_CSV, 100, 0.1, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "kind", "csv");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d (NW_DATA_MNIST, 100, 0.1, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "kind", "mnist");
  CU_ASSERT_PTR_NULL (nw_dataset_new_2d ((NwDataKind) 99, 100, 0.1, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "kind", "99");
}

static void
test_dataset_new_dispatch (void)
{
  GError *error = NULL;
  NwDataSpec spec = { .kind = NW_DATA_SPIRAL, .n = 100, .noise = 0.1, .test_ratio = 0.2,
                      .seed = 9 };
  NwDataset *a = nw_dataset_new (&spec, NULL, &error);
  NwDataset *b;
  NW_ASSERT_NO_ERROR (error);
  b = make_2d (NW_DATA_SPIRAL, 100, 0.1, 0.2, 9);
  CU_ASSERT (datasets_equal (a, b));
  nw_dataset_free (a);
  nw_dataset_free (b);

  spec.kind = NW_DATA_CSV;
  CU_ASSERT_PTR_NULL (nw_dataset_new (&spec, NULL, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, -1, "csv", "path");

  spec.kind = NW_DATA_MNIST;
  spec.path = nw_test_path ("no-mnist-here");
  CU_ASSERT_PTR_NULL (nw_dataset_new (&spec, NULL, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, "no-mnist-here", "tools/fetch-mnist.sh",
                   "tools/setup.sh");
  g_free (spec.path);

  spec.kind = NW_N_DATA_KINDS;
  CU_ASSERT_PTR_NULL (nw_dataset_new (&spec, NULL, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "kind");
}

/* ---- CSV -------------------------------------------------------------------------------- */

static char *
write_text (const char *name, const char *text)
{
  return nw_test_write (name, text, strlen (text));
}

/* Sorted copy of every (x, y, label) of both splits, for comparisons that ignore order. */
typedef struct { float x, y; int l; } Point;

static int
point_cmp (const void *a, const void *b)
{
  const Point *p = a, *q = b;
  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  if (p->y != q->y)
    return p->y < q->y ? -1 : 1;
  return p->l - q->l;
}

static Point *
sorted_points (const NwDataset *ds, int *n)
{
  Point *pts = g_new (Point, (gsize) (ds->train.n + ds->test.n) + 1);
  int m = 0;
  for (int s = 0; s < 2; s++)
    {
      const NwSplit *split = s == 0 ? &ds->train : &ds->test;
      for (int i = 0; i < split->n; i++, m++)
        {
          pts[m].x = split->x[2 * i];
          pts[m].y = split->x[2 * i + 1];
          pts[m].l = split->labels[i];
        }
    }
  qsort (pts, (gsize) m, sizeof (Point), point_cmp);
  *n = m;
  return pts;
}

static void
test_csv_good (void)
{
  GError *error = NULL;
  char *path = write_text ("good.csv",
                           "\xEF\xBB\xBF x , y , label \r\n"
                           "# a comment\n"
                           "\n"
                           "  0.5, -0.25 ,1\r\n"
                           "-1e-1,2,0   # trailing comment\n"
                           "\t3 ,4, 1.0\n"
                           "   \n"
                           "5,6,0");   /* no final newline */
  NwDataset *ds = nw_dataset_load_csv (path, 0.0, 1, &error);
  Point *pts;
  int n;

  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_STRING_EQUAL (ds->name, "good.csv");
  CU_ASSERT_EQUAL (ds->n_classes, 2);
  CU_ASSERT_EQUAL (ds->train.n, 4);
  CU_ASSERT_EQUAL (ds->test.n, 0);
  {
    int counts[2] = { 0, 0 };
    check_2d_split (&ds->train, counts);
    CU_ASSERT_EQUAL (counts[0], 2);
    CU_ASSERT_EQUAL (counts[1], 2);
  }
  pts = sorted_points (ds, &n);
  CU_ASSERT_EQUAL_FATAL (n, 4);
  CU_ASSERT (pts[0].x == -0.1f && pts[0].y == 2.0f && pts[0].l == 0);
  CU_ASSERT (pts[1].x == 0.5f && pts[1].y == -0.25f && pts[1].l == 1);
  CU_ASSERT (pts[2].x == 3.0f && pts[2].y == 4.0f && pts[2].l == 1);
  CU_ASSERT (pts[3].x == 5.0f && pts[3].y == 6.0f && pts[3].l == 0);
  g_free (pts);
  nw_dataset_free (ds);
  g_free (path);
}

static void
test_csv_no_header_split (void)
{
  GError *error = NULL;
  GString *text = g_string_new (NULL);
  char *path;
  NwDataset *a, *b, *c;

  for (int i = 0; i < 40; i++)
    g_string_append_printf (text, "%d,%d,%d\n", i, -i, i % 2);
  path = write_text ("plain.csv", text->str);
  a = nw_dataset_load_csv (path, 0.25, 3, &error);
  NW_ASSERT_NO_ERROR (error);
  b = nw_dataset_load_csv (path, 0.25, 3, &error);
  NW_ASSERT_NO_ERROR (error);
  c = nw_dataset_load_csv (path, 0.25, 4, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (a->train.n, 30);
  CU_ASSERT_EQUAL (a->test.n, 10);
  CU_ASSERT (datasets_equal (a, b));
  CU_ASSERT (!datasets_equal (a, c));
  for (int s = 0; s < 2; s++)
    {
      const NwSplit *split = s == 0 ? &a->train : &a->test;
      for (int i = 0; i < split->n; i++)
        {
          CU_ASSERT_EQUAL (split->x[2 * i + 1], -split->x[2 * i]);
          CU_ASSERT_EQUAL (split->labels[i], ((int) split->x[2 * i]) % 2);
        }
    }
  CU_ASSERT_PTR_NULL (nw_dataset_load_csv (path, 1.0, 3, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "test_ratio", "plain.csv");
  nw_dataset_free (a);
  nw_dataset_free (b);
  nw_dataset_free (c);
  g_string_free (text, TRUE);
  g_free (path);
}

static void
test_csv_bad (void)
{
  static const struct { const char *name, *text; int code; const char *what; } cases[] = {
    { "fields2.csv", "x,y,label\n1,2,1\n3,4\n", NW_ERROR_FORMAT, ":3:" },
    { "fields4.csv", "1,2,1\n# c\n3,4,0,5\n", NW_ERROR_FORMAT, ":3:" },
    { "notnum.csv", "x,y,label\n1,2,1\n\n1,abc,0\n", NW_ERROR_FORMAT, ":4:" },
    { "notnum1.csv", "abc,1,0\n1,2,1\n", NW_ERROR_FORMAT, ":1:" },
    { "empty-field.csv", "1,2,1\n1,,0\n", NW_ERROR_FORMAT, ":2:" },
    { "nan.csv", "1,2,1\nnan,1,0\n", NW_ERROR_FORMAT, ":2:" },
    { "inf.csv", "1,2,1\n1,-inf,0\n", NW_ERROR_FORMAT, ":2:" },
    { "huge.csv", "1,2,1\n1e300,1,0\n", NW_ERROR_FORMAT, ":2:" },
    { "label2.csv", "1,2,1\n1,2,2\n", NW_ERROR_FORMAT, ":2:" },
    { "labelhalf.csv", "1,2,0.5\n1,2,1\n", NW_ERROR_FORMAT, ":1:" },
    { "labelneg.csv", "x,y,label\n1,2,1\n1,2,-1\n", NW_ERROR_FORMAT, ":3:" },
    { "trailing.csv", "1,2,1\n1,2x,1\n", NW_ERROR_FORMAT, ":2:" },
  };
  static const char *const messages[] = {
    "3 fields", "3 fields", "not a number", "not a number", "empty", "not finite", "not finite",
    "float", "0 or 1", "0 or 1", "0 or 1", "not a number",
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (cases) == G_N_ELEMENTS (messages));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GError *error = NULL;
      char *path = write_text (cases[i].name, cases[i].text);
      char *where = g_strconcat (cases[i].name, cases[i].what, NULL);
      CU_ASSERT_PTR_NULL (nw_dataset_load_csv (path, 0.2, 1, &error));
      NW_ASSERT_ERROR (error, NW_ERROR, cases[i].code, path, where, messages[i]);
      g_free (where);
      g_free (path);
    }
}

static void
test_csv_too_few_and_missing (void)
{
  GError *error = NULL;
  char *one = write_text ("one.csv", "x,y,label\n1,2,1\n");
  char *empty = write_text ("empty.csv", "");
  char *comments = write_text ("comments.csv", "# nothing\n\n");
  char *missing = nw_test_path ("missing.csv");

  CU_ASSERT_PTR_NULL (nw_dataset_load_csv (one, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "one.csv", "2 points", "found 1");
  CU_ASSERT_PTR_NULL (nw_dataset_load_csv (empty, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "empty.csv", "found 0");
  CU_ASSERT_PTR_NULL (nw_dataset_load_csv (comments, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "comments.csv", "found 0");
  CU_ASSERT_PTR_NULL (nw_dataset_load_csv (missing, 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, missing);
  CU_ASSERT_PTR_NULL (nw_dataset_load_csv (nw_test_tmpdir (), 0.2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, nw_test_tmpdir ());

  g_free (one);
  g_free (empty);
  g_free (comments);
  g_free (missing);
}

static void
test_csv_round_trip (void)
{
  GError *error = NULL;
  char *path = nw_test_path ("round.csv");
  NwDataset *ds = make_2d (NW_DATA_MOONS, 301, 0.3, 0.3, 11);
  NwDataset *back;
  char *text = NULL;
  Point *p, *q;
  int n, m;

  CU_ASSERT (nw_dataset_save_csv (ds, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (g_file_get_contents (path, &text, NULL, NULL));
  CU_ASSERT (g_str_has_prefix (text, "x,y,label\n"));
  /* The training split comes first. */
  {
    char first[64];
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    g_snprintf (first, sizeof first, "x,y,label\n%s,%s,%d\n",
                g_ascii_formatd (a, sizeof a, "%.9g", ds->train.x[0]),
                g_ascii_formatd (b, sizeof b, "%.9g", ds->train.x[1]), ds->train.labels[0]);
    CU_ASSERT (g_str_has_prefix (text, first));
  }
  g_free (text);

  back = nw_dataset_load_csv (path, 0.0, 1, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (back->train.n, 301);
  p = sorted_points (ds, &n);
  q = sorted_points (back, &m);
  CU_ASSERT_EQUAL_FATAL (n, m);
  CU_ASSERT (memcmp (p, q, sizeof (Point) * (gsize) n) == 0);   /* %.9g round-trips floats */
  g_free (p);
  g_free (q);
  nw_dataset_free (back);

  /* XOR's two identical splits save as eight rows. */
  {
    NwDataset *x = make_2d (NW_DATA_XOR, 4, 0, 0, 0);
    CU_ASSERT (nw_dataset_save_csv (x, path, &error));
    NW_ASSERT_NO_ERROR (error);
    back = nw_dataset_load_csv (path, 0.5, 1, &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_EQUAL (back->train.n + back->test.n, 8);
    CU_ASSERT_EQUAL (back->test.n, 4);
    nw_dataset_free (back);
    nw_dataset_free (x);
  }
  g_free (path);

  /* A folder that does not exist: an I/O error naming the path. */
  path = nw_test_path ("no/such/dir/out.csv");
  CU_ASSERT (!nw_dataset_save_csv (ds, path, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, "out.csv");
  CU_ASSERT (!g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (path);
  nw_dataset_free (ds);
}

static void
test_csv_save_refuses (void)
{
  GError *error = NULL;
  char *path = nw_test_path ("refused.csv");
  NwDataset *ds = g_new0 (NwDataset, 1);

  ds->name = g_strdup ("wide");
  ds->train.n = 2;
  ds->train.d = 3;
  ds->train.k = 1;
  ds->train.x = g_new0 (float, 6);
  ds->train.y = g_new0 (float, 2);
  ds->train.labels = g_new0 (guint8, 2);
  CU_ASSERT (!nw_dataset_save_csv (ds, path, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "refused.csv", "3 features");

  ds->train.d = 2;
  ds->train.labels[1] = 7;
  CU_ASSERT (!nw_dataset_save_csv (ds, path, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "refused.csv", "label 7");

  g_clear_pointer (&ds->train.labels, g_free);
  CU_ASSERT (!nw_dataset_save_csv (ds, path, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "refused.csv", "labels");
  CU_ASSERT (!g_file_test (path, G_FILE_TEST_EXISTS));

  nw_dataset_free (ds);
  g_free (path);
}

static void
test_csv_via_spec (void)
{
  GError *error = NULL;
  NwDataSpec spec = { .kind = NW_DATA_CSV, .test_ratio = 0.5, .seed = 2 };
  NwDataset *ds;

  spec.path = write_text ("spec.csv", "1,1,1\n2,2,0\n3,3,1\n4,4,0\n");
  ds = nw_dataset_new (&spec, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (ds->train.n, 2);
  CU_ASSERT_EQUAL (ds->test.n, 2);
  nw_dataset_free (ds);
  g_free (spec.path);
}

/* ---- IDX -------------------------------------------------------------------------------- */

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

/* An IDX image file: header claiming `claimed` images of rows x cols, then `present` images
 * whose pixel j of image i is (i * 37 + j * 11) % 256. */
static char *
write_images (const char *name, guint32 magic, guint32 claimed, guint32 present, guint32 rows,
              guint32 cols)
{
  gsize len = 16 + (gsize) present * rows * cols;
  guint8 *buf = g_malloc0 (len);
  char *path;
  put_be32 (buf, magic);
  put_be32 (buf + 4, claimed);
  put_be32 (buf + 8, rows);
  put_be32 (buf + 12, cols);
  for (gsize i = 0; i < (gsize) present * rows * cols; i++)
    buf[16 + i] = (guint8) (((i / (rows * cols)) * 37 + (i % (rows * cols)) * 11) % 256);
  path = nw_test_write (name, buf, len);
  g_free (buf);
  return path;
}

static char *
write_labels (const char *name, guint32 magic, guint32 claimed, guint32 present,
              const guint8 *values)
{
  gsize len = 8 + present;
  guint8 *buf = g_malloc0 (len);
  char *path;
  put_be32 (buf, magic);
  put_be32 (buf + 4, claimed);
  for (guint32 i = 0; i < present; i++)
    buf[8 + i] = values != NULL ? values[i] : (guint8) (i % 10);
  path = nw_test_write (name, buf, len);
  g_free (buf);
  return path;
}

static void
test_idx_images (void)
{
  GError *error = NULL;
  char *path = write_images ("img3", 0x803, 3, 3, 2, 2);
  float *pixels = NULL;
  int n = 0, rows = 0, cols = 0;

  CU_ASSERT (nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (n, 3);
  CU_ASSERT_EQUAL (rows, 2);
  CU_ASSERT_EQUAL (cols, 2);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      {
        guint8 p = (guint8) ((i * 37 + j * 11) % 256);
        CU_ASSERT_EQUAL (pixels[i * 4 + j], p / 255.0f);
      }
  g_free (pixels);
  g_free (path);

  /* Extremes: 0 and 255 map to exactly 0 and 1. */
  {
    guint8 buf[16 + 2] = { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255 };
    path = nw_test_write ("img-ext", buf, sizeof buf);
    CU_ASSERT (nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_EQUAL (pixels[0], 0.0f);
    CU_ASSERT_EQUAL (pixels[1], 1.0f);
    g_free (pixels);
    g_free (path);
  }
}

static void
test_idx_labels (void)
{
  GError *error = NULL;
  static const guint8 values[5] = { 5, 0, 4, 1, 9 };
  char *path = write_labels ("lab5", 0x801, 5, 5, values);
  guint8 *labels = NULL;
  int n = 0;

  CU_ASSERT (nw_idx_load_labels (path, &n, &labels, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (n, 5);
  CU_ASSERT (memcmp (labels, values, 5) == 0);
  g_free (labels);
  g_free (path);
}

static void
test_idx_bad_images (void)
{
  GError *error = NULL;
  float *pixels = NULL;
  int n = -1, rows = -1, cols = -1;
  char *path;

  /* Truncated header: 10 bytes. */
  {
    guint8 buf[10] = { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0 };
    path = nw_test_write ("trunc", buf, sizeof buf);
    CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "truncated", "16 bytes",
                     "file has 10");
    g_free (path);
  }
  path = nw_test_write ("empty-idx", "", 0);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "truncated", "file has 0");
  g_free (path);

  /* Wrong magic: a label file's; and bytes that start like gzip but are not (gzipped IDX
   * files are read: tests/test-fashion.c). */
  path = write_images ("magic", 0x801, 3, 3, 2, 2);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "0x00000801", "0x00000803");
  g_free (path);
  path = write_images ("gz", 0x1f8b0800, 3, 3, 2, 2);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "gzip");
  g_free (path);

  /* A header claiming a billion images in a 32-byte file fails before allocating. */
  path = write_images ("liar", 0x803, 1000000000u, 1, 2, 2);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "1000000000", "4000000016 bytes",
                   "file has 20 bytes");
  g_free (path);
  /* The largest counts and sizes, too. */
  path = write_images ("liar-max", 0x803, 0xffffffffu, 1, 4096, 4096);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "4294967295");
  g_free (path);
  path = write_images ("liar-big", 0x803, 0x7fffffffu, 1, 4096, 4096);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "needs", "bytes");
  g_free (path);
  /* One byte too many is wrong as well. */
  {
    guint8 buf[16 + 5] = { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2 };
    path = nw_test_write ("extra", buf, sizeof buf);
    CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "20 bytes", "file has 21");
    g_free (path);
  }

  /* Dimensions out of range. */
  path = write_images ("zero-n", 0x803, 0, 0, 2, 2);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "count 0");
  g_free (path);
  path = write_images ("zero-rows", 0x803, 1, 0, 0, 2);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "0x2");
  g_free (path);
  path = write_images ("wide", 0x803, 1, 0, 2, 5000);
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "2x5000");
  g_free (path);

  /* Missing file, and a directory. */
  path = nw_test_path ("no-such-idx");
  CU_ASSERT (!nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, path);
  g_free (path);
  CU_ASSERT (!nw_idx_load_images (nw_test_tmpdir (), &n, &rows, &cols, &pixels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, nw_test_tmpdir ());

  /* Nothing was written on failure. */
  CU_ASSERT_PTR_NULL (pixels);
  CU_ASSERT_EQUAL (n, -1);
}

static void
test_idx_bad_labels (void)
{
  GError *error = NULL;
  static const guint8 bad[4] = { 1, 2, 10, 3 };
  guint8 *labels = NULL;
  int n = -1;
  char *path;

  path = write_labels ("lab-over9", 0x801, 4, 4, bad);
  CU_ASSERT (!nw_idx_load_labels (path, &n, &labels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "label 10", "index 2");
  g_free (path);

  path = write_labels ("lab-magic", 0x803, 4, 4, NULL);
  CU_ASSERT (!nw_idx_load_labels (path, &n, &labels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "0x00000803", "0x00000801");
  g_free (path);

  path = write_labels ("lab-liar", 0x801, 1000000000u, 3, NULL);
  CU_ASSERT (!nw_idx_load_labels (path, &n, &labels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "1000000008 bytes",
                   "file has 11 bytes");
  g_free (path);

  {
    guint8 buf[5] = { 0, 0, 8, 1, 0 };
    path = nw_test_write ("lab-trunc", buf, sizeof buf);
    CU_ASSERT (!nw_idx_load_labels (path, &n, &labels, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "truncated", "8 bytes",
                     "file has 5");
    g_free (path);
  }

  path = write_labels ("lab-zero", 0x801, 0, 0, NULL);
  CU_ASSERT (!nw_idx_load_labels (path, &n, &labels, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "count 0");
  g_free (path);

  CU_ASSERT_PTR_NULL (labels);
  CU_ASSERT_EQUAL (n, -1);
}

/* A directory `name` with the four MNIST file names: n_train and n_test images of 2x2. */
static char *
write_idx_dir (const char *name, guint32 n_train, guint32 n_train_labels, guint32 n_test,
               guint32 test_cols)
{
  char *dir = nw_test_path (name);
  const struct { const char *file; gboolean images; guint32 n, cols; } files[4] = {
    { "train-images-idx3-ubyte", TRUE, n_train, 2 },
    { "train-labels-idx1-ubyte", FALSE, n_train_labels, 0 },
    { "t10k-images-idx3-ubyte", TRUE, n_test, test_cols },
    { "t10k-labels-idx1-ubyte", FALSE, n_test, 0 },
  };
  g_mkdir_with_parents (dir, 0700);
  for (int i = 0; i < 4; i++)
    {
      char *rel = g_build_filename (name, files[i].file, NULL);
      char *path = files[i].images
                   ? write_images (rel, 0x803, files[i].n, files[i].n, 2, files[i].cols)
                   : write_labels (rel, 0x801, files[i].n, files[i].n, NULL);
      g_free (path);
      g_free (rel);
    }
  return dir;
}

static void
test_idx_dir (void)
{
  GError *error = NULL;
  char *dir = write_idx_dir ("mnist-small", 3, 3, 2, 2);
  NwDataset *ds = nw_dataset_load_idx_dir (dir, 0, &error);

  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_STRING_EQUAL (ds->name, "mnist");
  CU_ASSERT_EQUAL (ds->n_classes, 10);
  CU_ASSERT_EQUAL (ds->train.n, 3);
  CU_ASSERT_EQUAL (ds->test.n, 2);
  for (int s = 0; s < 2; s++)
    {
      const NwSplit *split = s == 0 ? &ds->train : &ds->test;
      CU_ASSERT_EQUAL (split->d, 4);
      CU_ASSERT_EQUAL (split->k, 10);
      for (int i = 0; i < split->n; i++)
        {
          CU_ASSERT_EQUAL (split->labels[i], i % 10);
          for (int c = 0; c < 10; c++)
            CU_ASSERT_EQUAL (split->y[i * 10 + c], c == split->labels[i] ? 1.0f : 0.0f);
          for (int j = 0; j < 4; j++)
            CU_ASSERT_EQUAL (split->x[i * 4 + j], (float) ((i * 37 + j * 11) % 256) / 255.0f);
        }
    }
  nw_dataset_free (ds);

  /* train_limit keeps the first rows; a limit above the count keeps them all. */
  ds = nw_dataset_load_idx_dir (dir, 2, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (ds->train.n, 2);
  CU_ASSERT_EQUAL (ds->test.n, 2);
  CU_ASSERT_EQUAL (ds->train.x[4], 37 / 255.0f);
  nw_dataset_free (ds);
  ds = nw_dataset_load_idx_dir (dir, 100, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (ds->train.n, 3);
  nw_dataset_free (ds);

  CU_ASSERT_PTR_NULL (nw_dataset_load_idx_dir (dir, -1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "train_limit");

  /* Through a spec. */
  {
    NwDataSpec spec = { .kind = NW_DATA_MNIST, .path = dir, .train_limit = 1 };
    ds = nw_dataset_new (&spec, NULL, &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_EQUAL (ds->train.n, 1);
    nw_dataset_free (ds);
  }
  g_free (dir);
}

typedef struct {
  int    calls, stop_after;
  double last;
  gboolean monotone;
} ProgressLog;

static gboolean
log_progress (double fraction, gpointer data)
{
  ProgressLog *log = data;
  log->monotone = log->monotone && fraction >= log->last && fraction <= 1;
  log->last = fraction;
  return ++log->calls < log->stop_after;
}

/* The progress variant reports by bytes converted and ends at 1; a caller that says stop
 * gets NW_ERROR_CANCELLED and no dataset. */
static void
test_idx_dir_progress (void)
{
  GError *error = NULL;
  g_autofree char *dir = write_idx_dir ("mnist-progress", 3, 3, 2, 2);
  ProgressLog log = { 0, 100, 0, TRUE };
  NwDataset *ds = nw_dataset_load_idx_dir_full (dir, 0, log_progress, &log, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (ds->train.n, 3);
  CU_ASSERT_EQUAL (log.calls, 2);   /* one chunk per image file */
  CU_ASSERT (log.monotone);
  CU_ASSERT_EQUAL (log.last, 1.0);
  nw_dataset_free (ds);

  log = (ProgressLog) { 0, 1, 0, TRUE };
  CU_ASSERT_PTR_NULL (nw_dataset_load_idx_dir_full (dir, 0, log_progress, &log, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_CANCELLED, "train-images-idx3-ubyte", "stopped");
}

static void
test_idx_dir_bad (void)
{
  GError *error = NULL;
  char *dir, *file;

  /* Count mismatch: the message names both files. */
  dir = write_idx_dir ("mnist-mismatch", 3, 2, 2, 2);
  CU_ASSERT_PTR_NULL (nw_dataset_load_idx_dir (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "train-images-idx3-ubyte",
                   "train-labels-idx1-ubyte", "3 images", "2 labels", dir);
  g_free (dir);

  /* Train and test images of different sizes. */
  dir = write_idx_dir ("mnist-shape", 3, 3, 2, 3);
  CU_ASSERT_PTR_NULL (nw_dataset_load_idx_dir (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "train-images-idx3-ubyte",
                   "t10k-images-idx3-ubyte", "2x2", "2x3");
  g_free (dir);

  /* A bad file inside the directory: its own error, naming it. */
  dir = write_idx_dir ("mnist-badlabel", 3, 3, 2, 2);
  {
    static const guint8 bad[2] = { 1, 42 };
    char *rel = g_build_filename ("mnist-badlabel", "t10k-labels-idx1-ubyte", NULL);
    file = write_labels (rel, 0x801, 2, 2, bad);
    g_free (rel);
  }
  CU_ASSERT_PTR_NULL (nw_dataset_load_idx_dir (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, file, "label 42");
  g_free (file);
  g_free (dir);

  /* Missing directory, and one missing file. */
  dir = nw_test_path ("mnist-nowhere");
  CU_ASSERT_PTR_NULL (nw_dataset_load_idx_dir (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, dir, "train-images-idx3-ubyte",
                   "run tools/fetch-mnist.sh (or tools/setup.sh)");
  g_free (dir);

  dir = write_idx_dir ("mnist-partial", 3, 3, 2, 2);
  file = g_build_filename (dir, "t10k-labels-idx1-ubyte", NULL);
  g_unlink (file);
  CU_ASSERT_PTR_NULL (nw_dataset_load_idx_dir (dir, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, file,
                   "run tools/fetch-mnist.sh (or tools/setup.sh)");
  /* A gzipped copy beside it is read instead; a damaged one is named. */
  {
    char *gz = g_strconcat (file, ".gz", NULL);
    g_file_set_contents (gz, "\x1f\x8b", 2, NULL);
    CU_ASSERT_PTR_NULL (nw_dataset_load_idx_dir (dir, 0, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "t10k-labels-idx1-ubyte.gz", "gzip");
    g_free (gz);
  }
  g_free (file);
  g_free (dir);
}

/* ---- the real MNIST --------------------------------------------------------------------- */

static gboolean
mnist_present (const char *dir)
{
  static const char *const names[4] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  };
  for (int i = 0; i < 4; i++)
    {
      char *path = g_build_filename (dir, names[i], NULL);
      gboolean ok = g_file_test (path, G_FILE_TEST_IS_REGULAR);
      g_free (path);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static void
test_real_mnist (void)
{
  GError *error = NULL;
  char *dir = nw_data_default_mnist_dir (nw_test_data_root ());
  NwDataset *ds;
  gint64 start;
  double seconds;

  if (!mnist_present (dir))
    {
      g_print ("\n    (MNIST not in %s: skipped; tools/fetch-mnist.sh fetches it) ", dir);
      g_free (dir);
      return;
    }
  start = g_get_monotonic_time ();
  ds = nw_dataset_load_idx_dir (dir, 0, &error);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  NW_ASSERT_NO_ERROR (error);
  g_print ("\n    (MNIST from %s loaded in %.3f s) ", dir, seconds);

  CU_ASSERT_EQUAL (ds->train.n, 60000);
  CU_ASSERT_EQUAL (ds->test.n, 10000);
  CU_ASSERT_EQUAL (ds->train.d, 784);
  CU_ASSERT_EQUAL (ds->test.d, 784);
  CU_ASSERT_EQUAL (ds->train.k, 10);
  CU_ASSERT_EQUAL (ds->train.labels[0], 5);
  CU_ASSERT_EQUAL (ds->test.labels[0], 7);
  CU_ASSERT_EQUAL (ds->train.y[5], 1.0f);
  {
    /* The first training image (a 5) has ink, and every pixel is in [0, 1]. */
    double sum = 0;
    for (int j = 0; j < 784; j++)
      {
        CU_ASSERT (ds->train.x[j] >= 0.0f && ds->train.x[j] <= 1.0f);
        sum += ds->train.x[j];
      }
    CU_ASSERT (sum > 10.0);
  }
  nw_dataset_free (ds);

  ds = nw_dataset_load_idx_dir (dir, 1000, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (ds->train.n, 1000);
  CU_ASSERT_EQUAL (ds->test.n, 10000);
  CU_ASSERT_EQUAL (ds->train.labels[0], 5);
  nw_dataset_free (ds);
  g_free (dir);
}

/* ---- runner ----------------------------------------------------------------------------- */

static const NwTestCase names_cases[] = {
  { "kind_names", test_kind_names },
  { "default_mnist_dir", test_default_mnist_dir },
  { "data_root_missing_mnist", test_data_root_missing_mnist },
  { NULL, NULL },
};

static const NwTestCase generator_cases[] = {
  { "xor_points", test_xor_points },
  { "truth_tables_01", test_truth_tables_01 },
  { "deterministic", test_generators_deterministic },
  { "sizes_and_balance", test_generators_sizes },
  { "geometry", test_generators_geometry },
  { "noise", test_generators_noise },
  { "bad_arguments", test_generators_bad_arguments },
  { "dataset_new_dispatch", test_dataset_new_dispatch },
  { NULL, NULL },
};

static const NwTestCase csv_cases[] = {
  { "good", test_csv_good },
  { "no_header_split", test_csv_no_header_split },
  { "bad_lines", test_csv_bad },
  { "too_few_and_missing", test_csv_too_few_and_missing },
  { "round_trip", test_csv_round_trip },
  { "save_refuses", test_csv_save_refuses },
  { "via_spec", test_csv_via_spec },
  { NULL, NULL },
};

static const NwTestCase idx_cases[] = {
  { "images", test_idx_images },
  { "labels", test_idx_labels },
  { "bad_images", test_idx_bad_images },
  { "bad_labels", test_idx_bad_labels },
  { "dir", test_idx_dir },
  { "dir_progress", test_idx_dir_progress },
  { "dir_bad", test_idx_dir_bad },
  { "real_mnist", test_real_mnist },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  static const NwTestSuite suites[] = {
    { "names", names_cases },
    { "generators", generator_cases },
    { "csv", csv_cases },
    { "idx", idx_cases },
    { NULL, NULL },
  };
  return nw_test_main (argc, argv, suites);
}
