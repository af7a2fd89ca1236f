/* nw-digit-set.h: digits drawn and labelled by users, kept to be mixed into training.
 *
 * A set holds 28x28 images with labels 0-9. Pixels are kept as bytes (grey * 255, rounded),
 * as in MNIST's own files, so that what is saved is exactly what is trained on and a save/load
 * round trip changes nothing.
 *
 * File format ("Neurowire digit set", version 1), every integer little-endian:
 *
 *   offset  size              field
 *   0       8                 magic: the ASCII bytes "NWDIGITS"
 *   8       4                 version: 1
 *   12      4                 count: number of digits (0 .. NW_DIGIT_SET_MAX)
 *   16      4                 rows: 28
 *   20      4                 cols: 28
 *   24      count             labels, one byte each, 0-9
 *   24+c    count*rows*cols   pixels, one byte each (0 paper .. 255 ink), row-major, digit after digit
 *   end-32  32                SHA-256 of every byte before it
 *
 * The length must be exactly 24 + count * (1 + rows * cols) + 32 bytes. Files are written
 * atomically (g_file_set_contents: a temporary file renamed over the old one), so a crash
 * while saving leaves the previous file. Loading checks everything before changing the set:
 * a bad file leaves it as it was and the GError names the file and what is wrong. */
#pragma once

#include "nw-data.h"
#include "nw-digit.h"

G_BEGIN_DECLS

#define NW_DIGIT_SET_MAX      1000000   /* digits in one set (a sanity bound for files) */
#define NW_DIGIT_SET_VERSION  1

typedef struct _NwDigitSet NwDigitSet;

NwDigitSet *nw_digit_set_new          (void);
/* An independent copy (for another thread). */
NwDigitSet *nw_digit_set_copy         (const NwDigitSet *set);
void        nw_digit_set_free         (NwDigitSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwDigitSet, nw_digit_set_free)

guint       nw_digit_set_get_n        (const NwDigitSet *set);
/* Appends a 28x28 image (grey levels in [0, 1], clamped) with its label (0-9); returns its
 * index. The image is copied. */
guint       nw_digit_set_add          (NwDigitSet *set, const float *image, int label);
/* Removes digit `index` (later ones move down by one); FALSE when out of range. */
gboolean    nw_digit_set_remove       (NwDigitSet *set, guint index);
void        nw_digit_set_clear        (NwDigitSet *set);
int         nw_digit_set_get_label    (const NwDigitSet *set, guint index);
/* The image as floats (k / 255) into `out` (784 floats). */
void        nw_digit_set_get_image    (const NwDigitSet *set, guint index, float *out);
/* The image's 784 bytes, borrowed: valid until the set changes. */
const guint8 *nw_digit_set_peek_pixels (const NwDigitSet *set, guint index);
/* How many digits of each label (counts[10]). */
void        nw_digit_set_count_labels (const NwDigitSet *set, guint *counts);

gboolean    nw_digit_set_save         (const NwDigitSet *set, const char *path, GError **error);
/* Replaces the set's contents with the file's; on any error the set is unchanged. */
gboolean    nw_digit_set_load         (NwDigitSet *set, const char *path, GError **error);

/* Mixes the set into a dataset's training split: every digit is appended `repeat` times
 * (>= 1; a few copies give a handful of drawn digits weight among 60,000), as pixel rows and
 * one-hot targets. The dataset must have 784 features and 10 classes (MNIST's shape). The
 * trainer reshuffles every epoch, so appended rows need no shuffling. On error the dataset is
 * unchanged. An empty set is not an error. */
gboolean    nw_dataset_append_digits  (NwDataset *ds, const NwDigitSet *set, int repeat,
                                       GError **error);

G_END_DECLS
