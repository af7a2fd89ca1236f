/* nw-data-private.h: helpers shared by the dataset sources inside core. */
#pragma once

#include "nw-data.h"

/* Fills a 2D split (2 features, one 0/1 target column, labels) with the m points
 * xy[rows[i]] (rows NULL: the first m points in order). */
void nw_split_fill_2d (NwSplit *split, const float *xy, const guint8 *labels,
                       const gint32 *rows, int m);
