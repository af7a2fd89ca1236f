/* nw-data-2d.c: the 2D toy sets (XOR, circle, spiral, ...), after TensorFlow Playground's
 * and scikit-learn's generators.
 *
 * The truth tables (XOR at +-1; XOR01, AND and OR at 0 and 1) are four fixed points. Every
 * other set is drawn the same way: n/2 points of class 0 and n - n/2 of class 1, each placed
 * by its generator in [-1, 1]^2, then Gaussian noise of std `noise` on both coordinates, then
 * one shuffle with the seed that puts the first n - round(n * test_ratio) points in the
 * training split and the rest in the test split. One NwRng seeded with `seed` draws it all. */
#include "nw-data.h"
#include "nw-i18n.h"
#include "nw-data-private.h"
#include "nw-rng.h"

#include <math.h>

#define NW_DATA_2D_MAX_POINTS 10000000
#define NW_DATA_2D_MAX_NOISE  1000.0   /* beyond this every float coordinate is noise anyway */

/* The four truth-table points, in the order the header documents. */
static const float xor_points[4][2] = { { -1, -1 }, { -1, 1 }, { 1, -1 }, { 1, 1 } };
static const guint8 xor_labels[4] = { 0, 1, 1, 0 };

/* The course notes' tables: inputs in {0, 1}^2, in the notes' order (the rows of
 * X = [[0,0],[0,1],[1,0],[1,1]]). */
static const float bits_points[4][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
static const guint8 xor01_labels[4] = { 0, 1, 1, 0 };
static const guint8 and_labels[4] = { 0, 0, 0, 1 };
static const guint8 or_labels[4] = { 0, 1, 1, 1 };

/* A truth table: its four points in the training split and again in the test split. */
static NwDataset *
new_truth_table (NwDataKind kind, const float (*points)[2], const guint8 *labels)
{
  NwDataset *ds = g_new0 (NwDataset, 1);
  ds->name = g_strdup (nw_data_kind_name (kind));
  ds->n_classes = 2;
  nw_split_fill_2d (&ds->train, &points[0][0], labels, NULL, 4);
  nw_split_fill_2d (&ds->test, &points[0][0], labels, NULL, 4);
  return ds;
}

/* A standard normal truncated to [lo, hi] after scaling, by rejection (the bounds used here
 * are at least 1.6 standard deviations away, so a few draws suffice). */
static double
truncated_normal (NwRng *rng, double mean, double std, double lo, double hi)
{
  for (;;)
    {
      double v = mean + std * nw_rng_normal (rng);
      if (v >= lo && v <= hi)
        return v;
    }
}

/* One point of class `label` before noise, in [-1, 1]^2. */
static void
draw_point (NwDataKind kind, NwRng *rng, int label, double *px, double *py)
{
  double u, v, r, t;

  switch (kind)
    {
    case NW_DATA_XOR_CLOUD:
      {
        /* Class 1 where the signs differ; kept 0.05 away from the axes. */
        double sx = nw_rng_below (rng, 2) ? 1.0 : -1.0;
        double sy = label ? -sx : sx;
        *px = sx * (0.05 + 0.95 * nw_rng_uniform (rng));
        *py = sy * (0.05 + 0.95 * nw_rng_uniform (rng));
      }
      break;

    case NW_DATA_CIRCLE:
      /* Uniform by area: class 1 in the disc r < 0.5, class 0 in the ring 0.7 <= r <= 1. */
      u = nw_rng_uniform (rng);
      r = label ? 0.5 * sqrt (u) : sqrt (0.49 + 0.51 * u);
      t = 2.0 * G_PI * nw_rng_uniform (rng);
      *px = r * cos (t);
      *py = r * sin (t);
      break;

    case NW_DATA_GAUSSIANS:
      {
        double c = label ? 0.5 : -0.5;
        *px = truncated_normal (rng, c, 0.3, -1.0, 1.0);
        *py = truncated_normal (rng, c, 0.3, -1.0, 1.0);
      }
      break;

    case NW_DATA_SPIRAL:
      /* TensorFlow Playground's arms: 1.75 turns each, the second rotated by pi. */
      u = nw_rng_uniform (rng);
      r = u;
      t = 1.75 * 2.0 * G_PI * u + (label ? G_PI : 0.0);
      *px = r * sin (t);
      *py = r * cos (t);
      break;

    case NW_DATA_MOONS:
      /* sklearn.datasets.make_moons: the outer moon over [-1, 1] x [0, 1], the inner over
       * [0, 2] x [-0.5, 0.5]; centred and scaled by 2/3 to [-1, 1] x [-0.5, 0.5]. */
      t = G_PI * nw_rng_uniform (rng);
      if (label)
        {
          u = 1.0 - cos (t);
          v = 0.5 - sin (t);
        }
      else
        {
          u = cos (t);
          v = sin (t);
        }
      *px = (u - 0.5) * (2.0 / 3.0);
      *py = (v - 0.25) * (2.0 / 3.0);
      break;

    case NW_DATA_CHECKERBOARD:
      {
        /* 4x4 cells of side 0.5; the class is the parity of column + row. */
        int ix = (int) nw_rng_below (rng, 4);
        int iy = 2 * (int) nw_rng_below (rng, 2) + ((ix + label) & 1);
        *px = -1.0 + 0.5 * (ix + nw_rng_uniform (rng));
        *py = -1.0 + 0.5 * (iy + nw_rng_uniform (rng));
      }
      break;

    case NW_DATA_XOR:
    case NW_DATA_XOR01:
    case NW_DATA_AND:
    case NW_DATA_OR:
    case NW_DATA_CSV:
    case NW_DATA_MNIST:
    case NW_DATA_FASHION_MNIST:
    case NW_N_DATA_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_generated_kind (NwDataKind kind)
{
  switch (kind)
    {
    case NW_DATA_XOR_CLOUD:
    case NW_DATA_CIRCLE:
    case NW_DATA_GAUSSIANS:
    case NW_DATA_SPIRAL:
    case NW_DATA_MOONS:
    case NW_DATA_CHECKERBOARD:
      return TRUE;
    case NW_DATA_XOR:
    case NW_DATA_XOR01:
    case NW_DATA_AND:
    case NW_DATA_OR:
    case NW_DATA_CSV:
    case NW_DATA_MNIST:
    case NW_DATA_FASHION_MNIST:
    case NW_N_DATA_KINDS:
    default:
      return FALSE;
    }
}

NwDataset *
nw_dataset_new_2d (NwDataKind kind, int n, double noise, double test_ratio, guint64 seed,
                   GError **error)
{
  NwDataset *ds;
  NwRng rng;
  float *xy;
  guint8 *labels;
  gint32 *rows;
  int n0, n_test;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (kind)
    {
    case NW_DATA_XOR:
      return new_truth_table (kind, xor_points, xor_labels);
    case NW_DATA_XOR01:
      return new_truth_table (kind, bits_points, xor01_labels);
    case NW_DATA_AND:
      return new_truth_table (kind, bits_points, and_labels);
    case NW_DATA_OR:
      return new_truth_table (kind, bits_points, or_labels);
    default:
      break;
    }
  if (!is_generated_kind (kind))
    {
      const char *name = nw_data_kind_name (kind);
      if (name != NULL)
        g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                     _("kind: '%s' is not a 2D generator"), name);
      else
        g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                     _("kind: %d is not a known data kind"), (int) kind);
      return NULL;
    }
  if (n < 4 || n > NW_DATA_2D_MAX_POINTS)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   _("n: must be between 4 and %d points, got %d"), NW_DATA_2D_MAX_POINTS, n);
      return NULL;
    }
  if (!isfinite (noise) || noise < 0.0 || noise > NW_DATA_2D_MAX_NOISE)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   _("noise: must be finite and between 0 and %g, got %g"),
                   NW_DATA_2D_MAX_NOISE, noise);
      return NULL;
    }
  if (!(test_ratio >= 0.0 && test_ratio < 1.0))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   _("test_ratio: must be in [0, 1), got %g"), test_ratio);
      return NULL;
    }

  nw_rng_init (&rng, seed);
  xy = g_new (float, (gsize) n * 2);
  labels = g_new (guint8, (gsize) n);
  rows = g_new (gint32, (gsize) n);
  n0 = n / 2;
  for (int i = 0; i < n; i++)
    {
      double px, py;
      int label = i >= n0;
      draw_point (kind, &rng, label, &px, &py);
      if (noise > 0.0)
        {
          px += noise * nw_rng_normal (&rng);
          py += noise * nw_rng_normal (&rng);
        }
      xy[2 * i] = (float) px;
      xy[2 * i + 1] = (float) py;
      labels[i] = (guint8) label;
      rows[i] = i;
    }
  nw_rng_shuffle (&rng, rows, (gsize) n);

  /* The training split always keeps at least one point. */
  n_test = (int) round (n * test_ratio);
  n_test = CLAMP (n_test, 0, n - 1);

  ds = g_new0 (NwDataset, 1);
  ds->name = g_strdup (nw_data_kind_name (kind));
  ds->n_classes = 2;
  nw_split_fill_2d (&ds->train, xy, labels, rows, n - n_test);
  nw_split_fill_2d (&ds->test, xy, labels, rows + (n - n_test), n_test);

  g_free (xy);
  g_free (labels);
  g_free (rows);
  return ds;
}
