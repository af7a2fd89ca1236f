/* nw-points.c: 2D points to and from datasets. */
#include "nw-points.h"

static void
append_split (GArray *out, const NwSplit *split, gboolean test)
{
  for (int i = 0; i < split->n; i++)
    {
      NwPoint p = { split->x[2 * i], split->x[2 * i + 1], split->labels[i] ? 1 : 0, test };
      g_array_append_val (out, p);
    }
}

GArray *
nw_points_from_dataset (const NwDataset *ds)
{
  GArray *out;
  if (ds == NULL || ds->n_classes != 2 || ds->train.d != 2 || ds->train.labels == NULL
      || (ds->test.n > 0 && (ds->test.d != 2 || ds->test.labels == NULL)))
    return NULL;
  out = g_array_sized_new (FALSE, FALSE, sizeof (NwPoint), ds->train.n + ds->test.n);
  append_split (out, &ds->train, FALSE);
  append_split (out, &ds->test, TRUE);
  return out;
}

static void
fill_split (NwSplit *split, const NwPoint *points, guint n, gboolean test)
{
  int m = 0, k = 0;
  for (guint i = 0; i < n; i++)
    m += (points[i].test != 0) == test;
  split->n = m;
  split->d = 2;
  split->k = 1;
  split->x = g_new (float, (gsize) MAX (m, 1) * 2);
  split->y = g_new (float, MAX (m, 1));
  split->labels = g_new (guint8, MAX (m, 1));
  for (guint i = 0; i < n; i++)
    if ((points[i].test != 0) == test)
      {
        split->x[2 * k] = points[i].x;
        split->x[2 * k + 1] = points[i].y;
        split->labels[k] = points[i].label ? 1 : 0;
        split->y[k] = split->labels[k];
        k++;
      }
}

NwDataset *
nw_points_to_dataset (const NwPoint *points, guint n, const char *name)
{
  NwDataset *ds = g_new0 (NwDataset, 1);
  ds->name = g_strdup (name != NULL ? name : "points");
  ds->n_classes = 2;
  fill_split (&ds->train, points, n, FALSE);
  fill_split (&ds->test, points, n, TRUE);
  return ds;
}

int
nw_points_nearest (const NwPoint *points, guint n, double x, double y, double max_dist)
{
  int best = -1;
  double best_d2 = max_dist * max_dist;
  for (guint i = 0; i < n; i++)
    {
      double dx = points[i].x - x, dy = points[i].y - y, d2 = dx * dx + dy * dy;
      if (d2 <= best_d2)
        {
          best_d2 = d2;
          best = (int) i;
        }
    }
  return best;
}
