/* nw-data-idx.c: IDX files (MNIST, Fashion-MNIST), read through a GMappedFile, or inflated in
 * memory when gzip-compressed (Debian's dataset-fashion-mnist ships *-ubyte.gz).
 *
 * IDX (yann.lecun.com/exdb/mnist): a big-endian header, magic 0x00000803 for images (unsigned
 * bytes, 3 dimensions: n, rows, cols) or 0x00000801 for labels (1 dimension: n), then the
 * bytes. Every header field is checked against the file's length before anything is
 * allocated, so a header claiming a billion images in a 28-byte file fails cleanly instead of
 * asking for gigabytes. */
#include "nw-data-private.h"
#include "nw-i18n.h"

#include <inttypes.h>
#include <gio/gio.h>
#include <string.h>

#define IDX_IMAGES_MAGIC   0x00000803u
#define IDX_LABELS_MAGIC   0x00000801u
#define IDX_IMAGES_HEADER  16
#define IDX_LABELS_HEADER  8
#define IDX_MAX_SIDE       4096
#define IDX_N_CLASSES      10

#define MNIST_FETCH_HINT N_("run tools/fetch-mnist.sh (or tools/setup.sh) to get the MNIST files")

static const char *const mnist_files[4] = {
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
};

/* Progress of a whole directory's load, on the loading thread, by image bytes converted.
 * Each image file is a share of the whole: the training images 6/7, the test images 1/7, as
 * in MNIST and Fashion-MNIST (60,000 and 10,000 images); exact enough for a progress bar
 * without reading every header (or inflating every gzip file) first. */
typedef struct {
  NwProgressFunc func;
  gpointer       data;
  double         base, span;   /* the current file's share of the whole */
  gboolean       stopped;
} Progress;

#define PROGRESS_CHUNK (1u << 20)

/* `done` of `total` bytes of the current file converted; FALSE (with the error set) once the
 * caller asked to stop. */
static gboolean
progress_report (Progress *p, gsize done, gsize total, const char *file, GError **error)
{
  if (p == NULL || p->func == NULL)
    return TRUE;
  if (!p->stopped
      && !p->func (MIN (1.0, p->base + p->span * (total > 0 ? (double) done / total : 1)), p->data))
    p->stopped = TRUE;
  if (p->stopped)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_CANCELLED, _("%s: loading was stopped"), file);
      return FALSE;
    }
  return TRUE;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | (guint32) p[3];
}

#define GZIP_MAX_OUTPUT ((gsize) 1 << 32)   /* 4 GiB: more than any IDX file we load */
#define GZIP_MAX_RATIO  1032                 /* deflate's largest ratio of output to input */
#define GZIP_MIN_BUFFER ((gsize) 4096)

static gboolean
is_gzip (const guint8 *data, gsize length)
{
  return length >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/* The first buffer: the trailer's ISIZE (the length mod 2^32, one more so that a true ISIZE
 * never needs a second buffer), but never more than deflate can produce from `length` bytes
 * and never less than GZIP_MIN_BUFFER. A truncated file's "trailer" is arbitrary bytes. */
static gsize
gunzip_first_size (const guint8 *data, gsize length)
{
  gsize hint = length >= 18 ? (gsize) data[length - 4] | ((gsize) data[length - 3] << 8)
                              | ((gsize) data[length - 2] << 16) | ((gsize) data[length - 1] << 24)
                            : 0;
  gsize most = length <= GZIP_MAX_OUTPUT / GZIP_MAX_RATIO ? length * GZIP_MAX_RATIO
                                                          : GZIP_MAX_OUTPUT;
  return MAX (MIN (hint + 1, most), GZIP_MIN_BUFFER);
}

/* Inflates a whole gzip file held in memory; see nw-data-private.h. zlib counts in 32 bits,
 * so a call gets at most G_MAXUINT32 bytes of output; GIO's converter reports cut input as
 * G_IO_ERROR_PARTIAL_INPUT and a full buffer as progress, so the buffer grows whenever it is
 * full. */
GBytes *
nw_gunzip (const guint8 *data, gsize length, gsize first_size, const char *file, GError **error)
{
  g_autoptr (GConverter) z = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  gsize cap = first_size > 0 ? first_size : gunzip_first_size (data, length);
  gsize out_len = 0, in_off = 0;
  guint8 *out = g_try_malloc (cap);

  if (out == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
                   _("%s: cannot allocate %zu bytes to inflate it"), file, cap);
      return NULL;
    }
  for (;;)
    {
      g_autoptr (GError) local = NULL;
      gsize read = 0, written = 0;
      GConverterResult r;

      if (out_len == cap)
        {
          gsize grown_cap = MIN (cap * 2, GZIP_MAX_OUTPUT);
          guint8 *grown;
          if (cap >= GZIP_MAX_OUTPUT)
            {
              g_free (out);
              g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                           _("%s: inflates to more than %zu bytes"), file, cap);
              return NULL;
            }
          if ((grown = g_try_realloc (out, grown_cap)) == NULL)
            {
              g_free (out);
              g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
                           _("%s: cannot allocate %zu bytes to inflate it"), file,
                           grown_cap);
              return NULL;
            }
          out = grown;
          cap = grown_cap;
        }
      r = g_converter_convert (z, data + in_off, length - in_off, out + out_len,
                               MIN (cap - out_len, (gsize) G_MAXUINT32),
                               G_CONVERTER_INPUT_AT_END, &read, &written, &local);
      if (r == G_CONVERTER_ERROR)
        {
          g_free (out);
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                         _("%s: truncated gzip data (the file ends before its stream does)"), file);
          else
            g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: damaged gzip data: %s"), file,
                         local->message);
          return NULL;
        }
      in_off += read;
      out_len += written;
      if (r == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0 && out_len < cap)
        {
          /* No progress with room to write: the input ended (a converter that does not say
           * PARTIAL_INPUT). */
          g_free (out);
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: truncated gzip data"), file);
          return NULL;
        }
    }
  return g_bytes_new_take (out, out_len);
}

/* The bytes of an IDX file: mapped as it is, or inflated when it is gzip-compressed (by its
 * first bytes, whatever its name). A missing `path` whose `path`.gz exists reads that.
 * On failure sets an NW_ERROR_IO naming the file. */
static GBytes *
read_idx_bytes (const char *path, const char *file, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GMappedFile) mapped = NULL;
  g_autofree char *gz = NULL;
  const guint8 *data;
  gsize length;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gz = g_strconcat (path, ".gz", NULL);
      if (!g_file_test (gz, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: no such file"), file);
          return NULL;
        }
      path = gz;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: is a directory, not an IDX file"), file);
      return NULL;
    }
  mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s%s: cannot read the IDX file: %s"),
                   file, gz != NULL ? ".gz" : "", local->message);
      return NULL;
    }
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  if (is_gzip (data, length))
    {
      g_autofree char *shown = gz != NULL ? g_strconcat (file, ".gz", NULL) : g_strdup (file);
      return nw_gunzip (data, length, 0, shown, error);
    }
  return g_mapped_file_get_bytes (mapped);
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
                   _("%s: truncated: header needs %zu bytes, file has %zu"),
                   file, header, length);
      return FALSE;
    }
  found = read_be32 (data);
  if (found != magic)
    {
      /* Translators: the file; the magic number found; the one expected; what the file
       * should hold ("images", "labels") */
      if (found == IDX_IMAGES_MAGIC)
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     _("%s: wrong magic 0x%08x, expected 0x%08x for IDX %s (this is an IDX image "
                       "file)"), file, found, magic, what);
      else if (found == IDX_LABELS_MAGIC)
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     _("%s: wrong magic 0x%08x, expected 0x%08x for IDX %s (this is an IDX label "
                       "file)"), file, found, magic, what);
      else
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     _("%s: wrong magic 0x%08x, expected 0x%08x for IDX %s"), file, found, magic,
                     what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_images (const char *path, int *n, int *rows, int *cols, float **pixels, Progress *progress,
             GError **error)
{
  GBytes *contents = NULL;
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
  contents = read_idx_bytes (path, file, error);
  if (contents == NULL)
    goto out;
  data = g_bytes_get_data (contents, &length);
  if (!check_header (data, length, IDX_IMAGES_HEADER, IDX_IMAGES_MAGIC, "images", file, error))
    goto out;

  count = read_be32 (data + 4);
  r = read_be32 (data + 8);
  c = read_be32 (data + 12);
  if (count == 0 || count > (guint32) G_MAXINT)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: image count %u out of range (1..%d)"), file, count, G_MAXINT);
      goto out;
    }
  if (r == 0 || r > IDX_MAX_SIDE || c == 0 || c > IDX_MAX_SIDE)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: image size %ux%u out of range (rows and cols 1..%d)"),
                   file, r, c, IDX_MAX_SIDE);
      goto out;
    }
  if (!g_uint64_checked_mul (&total, (guint64) r * c, count)
      || !g_uint64_checked_add (&expected, total, IDX_IMAGES_HEADER))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: header claims %u images of %ux%u, more than can be addressed"),
                   file, count, r, c);
      goto out;
    }
  if (expected != (guint64) length)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: size mismatch: header says %u images of %ux%u, which needs %"
                   PRIu64 " bytes, file has %zu bytes"),
                   file, count, r, c, expected, length);
      goto out;
    }
  /* total <= length here, so it fits a gsize; times 4 may still not. */
  if (!g_uint64_checked_mul (&bytes, total, sizeof (float)) || bytes > G_MAXSIZE
      || (out = g_try_malloc ((gsize) bytes)) == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
                   _("%s: cannot allocate %" PRIu64 " floats for %u images"),
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
        if (!progress_report (progress, end, m, file, error))
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
  if (contents != NULL)
    g_bytes_unref (contents);
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
  GBytes *contents = NULL;
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
  contents = read_idx_bytes (path, file, error);
  if (contents == NULL)
    goto out;
  data = g_bytes_get_data (contents, &length);
  if (!check_header (data, length, IDX_LABELS_HEADER, IDX_LABELS_MAGIC, "labels", file, error))
    goto out;

  count = read_be32 (data + 4);
  if (count == 0 || count > (guint32) G_MAXINT)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: label count %u out of range (1..%d)"), file, count, G_MAXINT);
      goto out;
    }
  expected = (guint64) count + IDX_LABELS_HEADER;
  if (expected != (guint64) length)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: size mismatch: header says %u labels, which needs %" PRIu64
                   " bytes, file has %zu bytes"), file, count, expected, length);
      goto out;
    }
  for (guint32 i = 0; i < count; i++)
    if (data[IDX_LABELS_HEADER + i] >= IDX_N_CLASSES)
      {
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     _("%s: label %u at index %u is out of range (0..%d)"),
                     file, data[IDX_LABELS_HEADER + i], i, IDX_N_CLASSES - 1);
        goto out;
      }

  *labels = g_try_malloc (count);
  if (*labels == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
                   _("%s: cannot allocate %u labels"), file, count);
      goto out;
    }
  memcpy (*labels, data + IDX_LABELS_HEADER, count);
  *n = (int) count;
  ok = TRUE;

out:
  if (contents != NULL)
    g_bytes_unref (contents);
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
                   _("%s has %d images but %s has %d labels"), a, n_images, b, n_labels);
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
                   _("%s: cannot allocate one-hot targets for %d labels"), a, n);
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

/* What tells the IDX sets apart: their name, what to call them, how to get them. */
typedef struct {
  const char *name;       /* NwDataset.name */
  const char *title;      /* in messages */
  const char *hint;       /* how to get the files */
} IdxSet;

static const IdxSet mnist_set = { "mnist", "MNIST", MNIST_FETCH_HINT };
static const IdxSet fashion_set = {
  "fashion_mnist", "Fashion-MNIST",
  /* The folder is NW_FASHION_MNIST_SYSTEM_DIR, written out: xgettext sees no macros */
  N_("install Debian's dataset-fashion-mnist (tools/setup.sh does), which puts the files in "
     "/usr/share/datasets/fashion-mnist")
};

static NwDataset *
load_idx_set (const IdxSet *set, const char *dir, int train_limit, NwProgressFunc func,
              gpointer user_data, GError **error)
{
  Progress progress = { func, user_data, 0, 6.0 / 7, FALSE };
  NwDataset *ds = NULL;
  char *shown_dir = g_filename_display_name (dir);
  int train_rows = 0, train_cols = 0, test_rows = 0, test_cols = 0;

  if (train_limit < 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   _("train_limit: must be 0 (all) or a positive row count, got %d"), train_limit);
      goto out;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      char *first = g_build_filename (shown_dir, mnist_files[0], NULL);
      g_set_error (error, NW_ERROR, NW_ERROR_IO,
                   _("%s: %s directory not found (so %s is missing); %s"),
                   shown_dir, set->title, first, _(set->hint));
      g_free (first);
      goto out;
    }
  /* Every file present, plain or gzipped, before reading any. */
  for (int i = 0; i < 4; i++)
    {
      char *path = g_build_filename (dir, mnist_files[i], NULL);
      char *gz = g_strconcat (path, ".gz", NULL);
      gboolean present = g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (gz, G_FILE_TEST_EXISTS);
      if (!present)
        {
          char *shown = g_filename_display_name (path);
          g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: missing %s file (nor %s.gz); %s"),
                       shown, set->title, mnist_files[i], _(set->hint));
          g_free (shown);
        }
      g_free (gz);
      g_free (path);
      if (!present)
        goto out;
    }

  ds = g_new0 (NwDataset, 1);
  ds->name = g_strdup (set->name);
  ds->n_classes = IDX_N_CLASSES;
  if (!load_split (dir, mnist_files[0], mnist_files[1], train_limit, &ds->train,
                   &train_rows, &train_cols, &progress, error)
      || (progress.base = 6.0 / 7, progress.span = 1.0 / 7,
          !load_split (dir, mnist_files[2], mnist_files[3], 0, &ds->test,
                       &test_rows, &test_cols, &progress, error)))
    {
      g_clear_pointer (&ds, nw_dataset_free);
      goto out;
    }
  if (train_rows != test_rows || train_cols != test_cols)
    {
      char *a = g_build_filename (shown_dir, mnist_files[0], NULL);
      char *b = g_build_filename (shown_dir, mnist_files[2], NULL);
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s has %dx%d images but %s has %dx%d images"),
                   a, train_rows, train_cols, b, test_rows, test_cols);
      g_free (a);
      g_free (b);
      g_clear_pointer (&ds, nw_dataset_free);
      goto out;
    }

out:
  g_free (shown_dir);
  return ds;
}

NwDataset *
nw_dataset_load_idx_dir (const char *dir, int train_limit, GError **error)
{
  g_autofree char *owned = NULL;
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (dir == NULL)
    dir = owned = nw_data_default_mnist_dir (NULL);
  return load_idx_set (&mnist_set, dir, train_limit, NULL, NULL, error);
}

NwDataset *
nw_dataset_load_idx_dir_full (const char *dir, int train_limit, NwProgressFunc func,
                              gpointer user_data, GError **error)
{
  g_autofree char *owned = NULL;
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (dir == NULL)
    dir = owned = nw_data_default_mnist_dir (NULL);
  return load_idx_set (&mnist_set, dir, train_limit, func, user_data, error);
}

NwDataset *
nw_dataset_load_fashion_mnist (const char *dir, int train_limit, GError **error)
{
  g_autofree char *owned = NULL;
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (dir == NULL)
    dir = owned = nw_data_default_fashion_mnist_dir (NULL);
  return nw_dataset_load_fashion_mnist_full (dir, train_limit, NULL, NULL, error);
}

NwDataset *
nw_dataset_load_fashion_mnist_full (const char *dir, int train_limit, NwProgressFunc func,
                                    gpointer user_data, GError **error)
{
  g_autofree char *owned = NULL;
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (dir == NULL)
    dir = owned = nw_data_default_fashion_mnist_dir (NULL);
  return load_idx_set (&fashion_set, dir, train_limit, func, user_data, error);
}
