/* nw-points.h: the 2D points the boundary view shows and the user edits, and the dataset
 * they make. */
#pragma once

#include "nw-data.h"

G_BEGIN_DECLS

typedef struct {
  float  x, y;
  guint8 label;    /* 0 or 1 */
  guint8 test;     /* in the test split */
} NwPoint;

/* The points of a 2D, two-class dataset (train first, then test): a new GArray of NwPoint,
 * or NULL when the dataset is not one. */
GArray     *nw_points_from_dataset  (const NwDataset *ds);
/* A dataset from points (labels 0/1, one target column), named `name`. */
NwDataset  *nw_points_to_dataset    (const NwPoint *points, guint n, const char *name);
/* The index of the point nearest (x, y) within max_dist, or -1. */
int         nw_points_nearest       (const NwPoint *points, guint n, double x, double y,
                                     double max_dist);

G_END_DECLS
