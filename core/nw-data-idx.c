/* nw-data-idx.c: IDX files (MNIST, Fashion-MNIST), read through a GMappedFile.
 *
 * IDX (yann.lecun.com/exdb/mnist): a big-endian header, magic 0x00000803 for images (unsigned
 * bytes, 3 dimensions: n, rows, cols) or 0x00000801 for labels (1 dimension: n), then the
 * bytes. Every header field is checked against the file's length before anything is
 * allocated, so a header claiming a billion images in a 28-byte file fails cleanly instead of
 * asking for gigabytes. */
#include "nw-data.h"

#include <glib/gstdio.h>
#include <string.h>

#define IDX_IMAGES_MAGIC   0x00000803u
#define IDX_LABELS_MAGIC   0x00000801u
#define IDX_IMAGES_HEADER  16
#define IDX_LABELS_HEADER  8
#define IDX_MAX_SIDE       4096
#define IDX_N_CLASSES      10

#define MNIST_FETCH_HINT "run tools/fetch-mnist.sh (or tools/setup.sh) to get the MNIST files"

static const char *const mnist_files[4] = {
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
};

/* Progress over a whole directory's load, by bytes of image data converted. */
typedef struct {
  NwProgressFunc func;
  gpointer       data;
  guint64        done, total;
  gboolean       stopped;
} Progress;

#define PROGRESS_CHUNK (1u << 20)

/* Adds `bytes` done; FALSE (with the error set) once the caller asked to stop. */
static gboolean
progress_add (Progress *p, guint64 bytes, const char *file, GError **error)
{
  if (p == NULL || p->func == NULL)
    return TRUE;
  p->done += bytes;
  if (!p->stopped && !p->func (p->total > 0 ? MIN (1.0, (double) p->done / p->total) : 0, p->data))
    p->stopped = TRUE;
  if (p->stopped)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_CANCELLED, "%s: loading was stopped", file);
      return FALSE;
    }
  return TRUE;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | (guint32) p[3];
}

/* Maps `path`; on failure sets an NW_ERROR_IO naming it. */
static GMappedFile *
map_file (const char *path, const char *file, GError **error)
{
  GError *local = NULL;
  GMappedFile *mapped;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, "%s: no such file", file);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, "%s: is a directory, not an IDX file", file);
      return NULL;
    }
  mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, "%s: cannot read the IDX file: %s",
                   file, local->message);
      g_clear_error (&local);
    }
  return mapped;
}

/* Checks the length and magic every IDX file starts with. */
static gboolean
check_header (const guint8 *data, gsize length, gsize header, guint32 magic, const char *what,
              const char *file, GError **error)
{
  guint32 found;

  if (length < header)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s: truncated: header needs %" G_GSIZE_FORMAT " bytes, file has %"
                   G_GSIZE_FORMAT, file, header, length);
      return FALSE;
    }
  found = read_be32 (data);
  if (found != magic)
    {
      const char *hint = "";
      if ((found >> 16) == 0x1f8bu)
        hint = " (the file looks gzip-compressed: gunzip it first)";
      else if (found == IDX_IMAGES_MAGIC)
        hint = " (this is an IDX image file)";
      else if (found == IDX_LABELS_MAGIC)
        hint = " (this is an IDX label file)";
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s: wrong magic 0x%08x, expected 0x%08x for IDX %s%s",
                   file, found, magic, what, hint);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_images (const char *path, int *n, int *rows, int *cols, float **pixels, Progress *progress,
             GError **error)
{
  GMappedFile *mapped;
  const guint8 *data;
  gsize length;
  guint32 count, r, c;
  guint64 total, expected, bytes;
  float *out;
  char *file;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (n != NULL && rows != NULL && cols != NULL && pixels != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = g_filename_display_name (path);
  mapped = map_file (path, file, error);
  if (mapped == NULL)
    goto out;
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  if (!check_header (data, length, IDX_IMAGES_HEADER, IDX_IMAGES_MAGIC, "images", file, error))
    goto out;

  count = read_be32 (data + 4);
  r = read_be32 (data + 8);
  c = read_be32 (data + 12);
  if (count == 0 || count > (guint32) G_MAXINT)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s: image count %u out of range (1..%d)", file, count, G_MAXINT);
      goto out;
    }
  if (r == 0 || r > IDX_MAX_SIDE || c == 0 || c > IDX_MAX_SIDE)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s: image size %ux%u out of range (rows and cols 1..%d)",
                   file, r, c, IDX_MAX_SIDE);
      goto out;
    }
  if (!g_uint64_checked_mul (&total, (guint64) r * c, count)
      || !g_uint64_checked_add (&expected, total, IDX_IMAGES_HEADER))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s: header claims %u images of %ux%u, more than can be addressed",
                   file, count, r, c);
      goto out;
    }
  if (expected != (guint64) length)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s: size mismatch: header says %u images of %ux%u, which needs %"
                   G_GUINT64_FORMAT " bytes, file has %" G_GSIZE_FORMAT " bytes",
                   file, count, r, c, expected, length);
      goto out;
    }
  /* total <= length here, so it fits a gsize; times 4 may still not. */
  if (!g_uint64_checked_mul (&bytes, total, sizeof (float)) || bytes > G_MAXSIZE
      || (out = g_try_malloc ((gsize) bytes)) == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
                   "%s: cannot allocate %" G_GUINT64_FORMAT " floats for %u images",
                   file, total, count);
      goto out;
    }

  {
    const guint8 *src = data + IDX_IMAGES_HEADER;
    gsize m = (gsize) total;
    /* Tight loops the compiler vectorises, a chunk between progress reports; p / 255.0f
     * exactly, as documented. */
    for (gsize start = 0; start < m; start += PROGRESS_CHUNK)
      {
        gsize end = MIN (m, start + PROGRESS_CHUNK);
        for (gsize i = start; i < end; i++)
          out[i] = (float) src[i] / 255.0f;
        if (!progress_add (progress, end - start, file, error))
          {
            g_free (out);
            goto out;
          }
      }
  }

  *n = (int) count;
  *rows = (int) r;
  *cols = (int) c;
  *pixels = out;
  ok = TRUE;

out:
  if (mapped != NULL)
    g_mapped_file_unref (mapped);
  g_free (file);
  return ok;
}

gboolean
nw_idx_load_images (const char *path, int *n, int *rows, int *cols, float **pixels,
                    GError **error)
{
  return load_images (path, n, rows, cols, pixels, NULL, error);
}

gboolean
nw_idx_load_labels (const char *path, int *n, guint8 **labels, GError **error)
{
  GMappedFile *mapped;
  const guint8 *data;
  gsize length;
  guint32 count;
  guint64 expected;
  char *file;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (n != NULL && labels != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = g_filename_display_name (path);
  mapped = map_file (path, file, error);
  if (mapped == NULL)
    goto out;
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  if (!check_header (data, length, IDX_LABELS_HEADER, IDX_LABELS_MAGIC, "labels", file, error))
    goto out;

  count = read_be32 (data + 4);
  if (count == 0 || count > (guint32) G_MAXINT)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s: label count %u out of range (1..%d)", file, count, G_MAXINT);
      goto out;
    }
  expected = (guint64) count + IDX_LABELS_HEADER;
  if (expected != (guint64) length)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s: size mismatch: header says %u labels, which needs %" G_GUINT64_FORMAT
                   " bytes, file has %" G_GSIZE_FORMAT " bytes", file, count, expected, length);
      goto out;
    }
  for (guint32 i = 0; i < count; i++)
    if (data[IDX_LABELS_HEADER + i] >= IDX_N_CLASSES)
      {
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     "%s: label %u at index %u is out of range (0..%d)",
                     file, data[IDX_LABELS_HEADER + i], i, IDX_N_CLASSES - 1);
        goto out;
      }

  *labels = g_try_malloc (count);
  if (*labels == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
                   "%s: cannot allocate %u labels", file, count);
      goto out;
    }
  memcpy (*labels, data + IDX_LABELS_HEADER, count);
  *n = (int) count;
  ok = TRUE;

out:
  if (mapped != NULL)
    g_mapped_file_unref (mapped);
  g_free (file);
  return ok;
}

/* One split from an image file and its label file, keeping at most `limit` rows (0: all). */
static gboolean
load_split (const char *dir, const char *images_name, const char *labels_name, int limit,
            NwSplit *split, int *rows_out, int *cols_out, Progress *progress, GError **error)
{
  char *images_path = g_build_filename (dir, images_name, NULL);
  char *labels_path = g_build_filename (dir, labels_name, NULL);
  float *pixels = NULL;
  guint8 *labels = NULL;
  int n_images = 0, n_labels = 0, rows = 0, cols = 0, n, d;
  gboolean ok = FALSE;

  if (!load_images (images_path, &n_images, &rows, &cols, &pixels, progress, error)
      || !nw_idx_load_labels (labels_path, &n_labels, &labels, error))
    goto out;
  if (n_images != n_labels)
    {
      char *a = g_filename_display_name (images_path);
      char *b = g_filename_display_name (labels_path);
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s has %d images but %s has %d labels", a, n_images, b, n_labels);
      g_free (a);
      g_free (b);
      goto out;
    }

  n = limit > 0 && limit < n_images ? limit : n_images;
  d = rows * cols;
  if (n < n_images)
    {
      pixels = g_realloc (pixels, (gsize) n * (gsize) d * sizeof (float));
      labels = g_realloc (labels, (gsize) n);
    }
  split->y = g_try_malloc0_n ((gsize) n, IDX_N_CLASSES * sizeof (float));
  if (split->y == NULL)
    {
      char *a = g_filename_display_name (labels_path);
      g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
                   "%s: cannot allocate one-hot targets for %d labels", a, n);
      g_free (a);
      goto out;
    }
  for (int i = 0; i < n; i++)
    split->y[(gsize) i * IDX_N_CLASSES + labels[i]] = 1.0f;
  split->n = n;
  split->d = d;
  split->k = IDX_N_CLASSES;
  split->x = g_steal_pointer (&pixels);
  split->labels = g_steal_pointer (&labels);
  *rows_out = rows;
  *cols_out = cols;
  ok = TRUE;

out:
  g_free (pixels);
  g_free (labels);
  g_free (images_path);
  g_free (labels_path);
  return ok;
}

NwDataset *
nw_dataset_load_idx_dir (const char *dir, int train_limit, GError **error)
{
  return nw_dataset_load_idx_dir_full (dir, train_limit, NULL, NULL, error);
}

NwDataset *
nw_dataset_load_idx_dir_full (const char *dir, int train_limit, NwProgressFunc func,
                              gpointer user_data, GError **error)
{
  Progress progress = { func, user_data, 0, 0, FALSE };
  NwDataset *ds = NULL;
  char *owned_dir = NULL;
  char *shown_dir;
  int train_rows = 0, train_cols = 0, test_rows = 0, test_cols = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (dir == NULL)
    dir = owned_dir = nw_data_default_mnist_dir ();
  shown_dir = g_filename_display_name (dir);

  if (train_limit < 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   "train_limit: must be 0 (all) or a positive row count, got %d", train_limit);
      goto out;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      char *first = g_build_filename (shown_dir, mnist_files[0], NULL);
      g_set_error (error, NW_ERROR, NW_ERROR_IO,
                   "%s: MNIST directory not found (so %s is missing); " MNIST_FETCH_HINT,
                   shown_dir, first);
      g_free (first);
      goto out;
    }
  for (int i = 0; i < 4; i++)
    {
      char *path = g_build_filename (dir, mnist_files[i], NULL);
      gboolean present = g_file_test (path, G_FILE_TEST_EXISTS);
      if (!present)
        {
          char *gz = g_strconcat (path, ".gz", NULL);
          char *shown = g_filename_display_name (path);
          if (g_file_test (gz, G_FILE_TEST_EXISTS))
            g_set_error (error, NW_ERROR, NW_ERROR_IO,
                         "%s: missing MNIST file (found %s.gz: gunzip it, or "
                         MNIST_FETCH_HINT ")", shown, mnist_files[i]);
          else
            g_set_error (error, NW_ERROR, NW_ERROR_IO,
                         "%s: missing MNIST file; " MNIST_FETCH_HINT, shown);
          g_free (shown);
          g_free (gz);
        }
      if (present && (i == 0 || i == 2))
        {
          GStatBuf st;
          if (g_stat (path, &st) == 0 && st.st_size > IDX_IMAGES_HEADER)
            progress.total += (guint64) st.st_size - IDX_IMAGES_HEADER;
        }
      g_free (path);
      if (!present)
        goto out;
    }

  ds = g_new0 (NwDataset, 1);
  ds->name = g_strdup ("mnist");
  ds->n_classes = IDX_N_CLASSES;
  if (!load_split (dir, mnist_files[0], mnist_files[1], train_limit, &ds->train,
                   &train_rows, &train_cols, &progress, error)
      || !load_split (dir, mnist_files[2], mnist_files[3], 0, &ds->test,
                      &test_rows, &test_cols, &progress, error))
    {
      g_clear_pointer (&ds, nw_dataset_free);
      goto out;
    }
  if (train_rows != test_rows || train_cols != test_cols)
    {
      char *a = g_build_filename (shown_dir, mnist_files[0], NULL);
      char *b = g_build_filename (shown_dir, mnist_files[2], NULL);
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   "%s has %dx%d images but %s has %dx%d images",
                   a, train_rows, train_cols, b, test_rows, test_cols);
      g_free (a);
      g_free (b);
      g_clear_pointer (&ds, nw_dataset_free);
      goto out;
    }

out:
  g_free (shown_dir);
  g_free (owned_dir);
  return ds;
}
