/* nw-digit-set.c: the user's labelled digits, their file (format in nw-digit-set.h) and how
 * they join a dataset's training split. */
#include "nw-digit-set.h"
#include "nw-i18n.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#define MAGIC          "NWDIGITS"
#define MAGIC_LEN      8
#define HEADER_LEN     24
#define CHECKSUM_LEN   32
#define N_CLASSES      10

struct _NwDigitSet {
  GByteArray *labels;   /* n bytes */
  GByteArray *pixels;   /* n * 784 bytes */
};

NwDigitSet *
nw_digit_set_new (void)
{
  NwDigitSet *set = g_new0 (NwDigitSet, 1);
  set->labels = g_byte_array_new ();
  set->pixels = g_byte_array_new ();
  return set;
}

NwDigitSet *
nw_digit_set_copy (const NwDigitSet *set)
{
  NwDigitSet *copy = nw_digit_set_new ();
  g_byte_array_append (copy->labels, set->labels->data, set->labels->len);
  g_byte_array_append (copy->pixels, set->pixels->data, set->pixels->len);
  return copy;
}

void
nw_digit_set_free (NwDigitSet *set)
{
  if (set == NULL)
    return;
  g_byte_array_unref (set->labels);
  g_byte_array_unref (set->pixels);
  g_free (set);
}

guint
nw_digit_set_get_n (const NwDigitSet *set)
{
  g_return_val_if_fail (set != NULL, 0);
  return set->labels->len;
}

static inline guint8
to_byte (float v)
{
  if (!(v > 0.0f))
    return 0;
  if (v >= 1.0f)
    return 255;
  return (guint8) lrintf (v * 255.0f);
}

guint
nw_digit_set_add (NwDigitSet *set, const float *image, int label)
{
  guint8 bytes[NW_DIGIT_PIXELS];
  guint8 l;
  g_return_val_if_fail (set != NULL && image != NULL, 0);
  g_return_val_if_fail (label >= 0 && label < N_CLASSES, 0);
  for (int i = 0; i < NW_DIGIT_PIXELS; i++)
    bytes[i] = to_byte (image[i]);
  l = (guint8) label;
  g_byte_array_append (set->labels, &l, 1);
  g_byte_array_append (set->pixels, bytes, NW_DIGIT_PIXELS);
  return set->labels->len - 1;
}

gboolean
nw_digit_set_remove (NwDigitSet *set, guint index)
{
  g_return_val_if_fail (set != NULL, FALSE);
  if (index >= set->labels->len)
    return FALSE;
  g_byte_array_remove_index (set->labels, index);
  g_byte_array_remove_range (set->pixels, index * NW_DIGIT_PIXELS, NW_DIGIT_PIXELS);
  return TRUE;
}

void
nw_digit_set_clear (NwDigitSet *set)
{
  g_return_if_fail (set != NULL);
  g_byte_array_set_size (set->labels, 0);
  g_byte_array_set_size (set->pixels, 0);
}

int
nw_digit_set_get_label (const NwDigitSet *set, guint index)
{
  g_return_val_if_fail (set != NULL && index < set->labels->len, -1);
  return set->labels->data[index];
}

const guint8 *
nw_digit_set_peek_pixels (const NwDigitSet *set, guint index)
{
  g_return_val_if_fail (set != NULL && index < set->labels->len, NULL);
  return set->pixels->data + (gsize) index * NW_DIGIT_PIXELS;
}

void
nw_digit_set_get_image (const NwDigitSet *set, guint index, float *out)
{
  const guint8 *p = nw_digit_set_peek_pixels (set, index);
  g_return_if_fail (p != NULL && out != NULL);
  for (int i = 0; i < NW_DIGIT_PIXELS; i++)
    out[i] = (float) p[i] / 255.0f;
}

void
nw_digit_set_count_labels (const NwDigitSet *set, guint *counts)
{
  g_return_if_fail (set != NULL && counts != NULL);
  memset (counts, 0, sizeof (guint) * N_CLASSES);
  for (guint i = 0; i < set->labels->len; i++)
    counts[set->labels->data[i]]++;
}

static void
put_le32 (guint8 *p, guint32 v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static guint32
get_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static void
sha256 (const guint8 *data, gsize length, guint8 *digest)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n = CHECKSUM_LEN;
  g_checksum_update (sum, data, length);
  g_checksum_get_digest (sum, digest, &n);
  g_checksum_free (sum);
}

gboolean
nw_digit_set_save (const NwDigitSet *set, const char *path, GError **error)
{
  gsize n, length;
  g_autofree guint8 *bytes = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (set != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = set->labels->len;
  length = HEADER_LEN + n * (1 + NW_DIGIT_PIXELS) + CHECKSUM_LEN;
  bytes = g_malloc (length);
  memcpy (bytes, MAGIC, MAGIC_LEN);
  put_le32 (bytes + 8, NW_DIGIT_SET_VERSION);
  put_le32 (bytes + 12, (guint32) n);
  put_le32 (bytes + 16, NW_DIGIT_SIDE);
  put_le32 (bytes + 20, NW_DIGIT_SIDE);
  if (n > 0)
    {
      memcpy (bytes + HEADER_LEN, set->labels->data, n);
      memcpy (bytes + HEADER_LEN + n, set->pixels->data, n * NW_DIGIT_PIXELS);
    }
  sha256 (bytes, length - CHECKSUM_LEN, bytes + length - CHECKSUM_LEN);
  if (!g_file_set_contents (path, (const char *) bytes, (gssize) length, &local))
    {
      g_autofree char *shown = g_filename_display_name (path);
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot save the digit set: %s"), shown,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

/* Checks a whole file's bytes; on success the labels and pixels are at the returned offsets. */
static gboolean
check_file (const guint8 *data, gsize length, const char *file, guint32 *count, GError **error)
{
  guint32 version, n, rows, cols;
  guint64 expected;
  guint8 digest[CHECKSUM_LEN];

  if (length < HEADER_LEN)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: truncated: a digit set's header needs %d bytes, the file has %zu"),
                   file, HEADER_LEN, length);
      return FALSE;
    }
  if (memcmp (data, MAGIC, MAGIC_LEN) != 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: not a Neurowire digit set (it does not start with \"%s\")"), file, MAGIC);
      return FALSE;
    }
  version = get_le32 (data + 8);
  n = get_le32 (data + 12);
  rows = get_le32 (data + 16);
  cols = get_le32 (data + 20);
  if (version != NW_DIGIT_SET_VERSION)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: digit set version %u, this program reads version %d"), file, version,
                   NW_DIGIT_SET_VERSION);
      return FALSE;
    }
  if (rows != NW_DIGIT_SIDE || cols != NW_DIGIT_SIDE)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: digits of %ux%u pixels, expected %dx%d"), file, rows, cols,
                   NW_DIGIT_SIDE, NW_DIGIT_SIDE);
      return FALSE;
    }
  if (n > NW_DIGIT_SET_MAX)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: header claims %u digits, more than the %d a set may hold"), file, n,
                   NW_DIGIT_SET_MAX);
      return FALSE;
    }
  expected = HEADER_LEN + (guint64) n * (1 + NW_DIGIT_PIXELS) + CHECKSUM_LEN;
  if (expected != (guint64) length)
    {
      if ((guint64) length < expected)
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     _("%s: truncated: the header says %u digits, which needs %" PRIu64
                       " bytes, the file has %zu"), file, n, expected, length);
      else
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     _("%s: trailing bytes: the header says %u digits, which needs %" PRIu64
                       " bytes, the file has %zu"), file, n, expected, length);
      return FALSE;
    }
  sha256 (data, length - CHECKSUM_LEN, digest);
  if (memcmp (digest, data + length - CHECKSUM_LEN, CHECKSUM_LEN) != 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: checksum mismatch: the file is damaged"), file);
      return FALSE;
    }
  for (guint32 i = 0; i < n; i++)
    if (data[HEADER_LEN + i] >= N_CLASSES)
      {
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     _("%s: digit %u has label %u, labels are 0-9"), file, i, data[HEADER_LEN + i]);
        return FALSE;
      }
  *count = n;
  return TRUE;
}

gboolean
nw_digit_set_load (NwDigitSet *set, const char *path, GError **error)
{
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *shown = NULL;
  const guint8 *data;
  gsize length;
  guint32 n = 0;

  g_return_val_if_fail (set != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  shown = g_filename_display_name (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: is a directory, not a digit set"), shown);
      return FALSE;
    }
  mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot read the digit set: %s"), shown,
                   local->message);
      return FALSE;
    }
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  if (!check_file (data, length, shown, &n, error))
    return FALSE;

  g_byte_array_set_size (set->labels, 0);
  g_byte_array_set_size (set->pixels, 0);
  if (n > 0)
    {
      g_byte_array_append (set->labels, data + HEADER_LEN, n);
      g_byte_array_append (set->pixels, data + HEADER_LEN + n, (guint) ((gsize) n * NW_DIGIT_PIXELS));
    }
  return TRUE;
}

gboolean
nw_dataset_append_digits (NwDataset *ds, const NwDigitSet *set, int repeat, GError **error)
{
  NwSplit *tr;
  gsize n_new, total, d = NW_DIGIT_PIXELS, k = N_CLASSES;
  float *x, *y;
  guint8 *labels;

  g_return_val_if_fail (ds != NULL && set != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tr = &ds->train;
  if (repeat < 1)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   _("user digits: repeat must be at least 1, got %d"), repeat);
      return FALSE;
    }
  if (tr->d != NW_DIGIT_PIXELS || tr->k != N_CLASSES || ds->n_classes != N_CLASSES
      || tr->labels == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                   _("user digits: data set '%s' has %d features and %d classes; drawn digits "
                     "need %d features and %d classes (MNIST's shape)"), ds->name ? ds->name : "?",
                   tr->d, ds->n_classes, NW_DIGIT_PIXELS, N_CLASSES);
      return FALSE;
    }
  if (set->labels->len == 0)
    return TRUE;
  n_new = (gsize) set->labels->len * (gsize) repeat;
  total = (gsize) tr->n + n_new;
  if (total > G_MAXINT)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   _("user digits: %zu training rows would be too many"), total);
      return FALSE;
    }
  /* Grow all three first; a refusal leaves n as it was, so the split stays consistent. */
  x = g_try_realloc_n (tr->x, total, d * sizeof (float));
  if (x == NULL)
    goto no_memory;
  tr->x = x;
  y = g_try_realloc_n (tr->y, total, k * sizeof (float));
  if (y == NULL)
    goto no_memory;
  tr->y = y;
  labels = g_try_realloc (tr->labels, total);
  if (labels == NULL)
    goto no_memory;
  tr->labels = labels;

  for (gsize r = 0; r < n_new; r++)
    {
      gsize row = (gsize) tr->n + r;
      guint src = (guint) (r % set->labels->len);
      const guint8 *p = set->pixels->data + (gsize) src * d;
      guint8 label = set->labels->data[src];
      for (gsize i = 0; i < d; i++)
        tr->x[row * d + i] = (float) p[i] / 255.0f;
      memset (tr->y + row * k, 0, k * sizeof (float));
      tr->y[row * k + label] = 1.0f;
      tr->labels[row] = label;
    }
  tr->n = (int) total;
  return TRUE;

no_memory:
  g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
               _("user digits: cannot grow the training split to %zu rows"), total);
  return FALSE;
}
