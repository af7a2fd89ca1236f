/* nw-data-private.h: helpers shared by the dataset sources inside core. */
#pragma once

#include "nw-data.h"

/* Fills a 2D split (2 features, one 0/1 target column, labels) with the m points
 * xy[rows[i]] (rows NULL: the first m points in order). */
void nw_split_fill_2d (NwSplit *split, const float *xy, const guint8 *labels,
                       const gint32 *rows, int m);

/* Inflates a whole gzip file held in memory (`file` names it in errors). The first buffer
 * holds `first_size` bytes (0: the trailer's ISIZE, within deflate's largest ratio of
 * `length`); the output grows as needed. NW_ERROR_FORMAT for truncated or damaged data. */
GBytes *nw_gunzip (const guint8 *data, gsize length, gsize first_size, const char *file,
                   GError **error);
