/* nw-data-csv.c: the user's own 2D points as "x,y,label" rows.
 *
 * Reading: an optional header line (a first line none of whose fields is a number), blank
 * lines and '#' comments skipped, whitespace around fields allowed, CRLF and a UTF-8 BOM
 * accepted. Every error names "FILE:LINE: " and what is wrong with the line. Writing goes
 * through g_file_set_contents (a temporary file renamed over the target), so a failed save
 * never leaves half a file under the real name. */
#include "nw-data.h"
#include "nw-i18n.h"
#include "nw-data-private.h"
#include "nw-rng.h"

#include <math.h>
#include <string.h>

#define NW_CSV_MAX_POINTS 10000000
#define NW_CSV_QUOTE_MAX  40   /* characters of a bad field repeated in a message */

static const char *const field_names[3] = { "x", "y", "label" };

/* A bad field as it can be shown in a message: valid UTF-8, at most NW_CSV_QUOTE_MAX
 * characters. */
static char *
quote_field (const char *field)
{
  char *valid = g_utf8_make_valid (field, -1);
  if (g_utf8_strlen (valid, -1) > NW_CSV_QUOTE_MAX)
    {
      char *end = g_utf8_offset_to_pointer (valid, NW_CSV_QUOTE_MAX);
      char *shortened = g_strdup_printf ("%.*s...", (int) (end - valid), valid);
      g_free (valid);
      return shortened;
    }
  return valid;
}

static gboolean
parse_number (const char *s, double *value)
{
  char *end = NULL;
  if (s[0] == '\0')
    return FALSE;
  *value = g_ascii_strtod (s, &end);
  return end != s && *end == '\0';
}

/* Parses one data line's fields (already split and stripped). */
static gboolean
parse_row (char **fields, int n_fields, const char *file, int line, double out[3],
           GError **error)
{
  if (n_fields != 3)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s:%d: expected 3 fields (x,y,label), found %d"), file, line, n_fields);
      return FALSE;
    }
  for (int f = 0; f < 3; f++)
    {
      if (fields[f][0] == '\0')
        {
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                       _("%s:%d: field %d (%s) is empty"), file, line, f + 1, field_names[f]);
          return FALSE;
        }
      if (!parse_number (fields[f], &out[f]))
        {
          char *q = quote_field (fields[f]);
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                       _("%s:%d: field %d (%s) is not a number: '%s'"),
                       file, line, f + 1, field_names[f], q);
          g_free (q);
          return FALSE;
        }
      if (!isfinite (out[f]))
        {
          char *q = quote_field (fields[f]);
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                       _("%s:%d: field %d (%s) is not finite: '%s'"),
                       file, line, f + 1, field_names[f], q);
          g_free (q);
          return FALSE;
        }
    }
  if (out[2] != 0.0 && out[2] != 1.0)
    {
      char *q = quote_field (fields[2]);
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s:%d: label must be 0 or 1, got '%s'"), file, line, q);
      g_free (q);
      return FALSE;
    }
  if (fabs (out[0]) > G_MAXFLOAT || fabs (out[1]) > G_MAXFLOAT)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s:%d: coordinate out of the range of a float"), file, line);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_header (char **fields, int n_fields)
{
  for (int f = 0; f < n_fields; f++)
    {
      double v;
      if (parse_number (fields[f], &v))
        return FALSE;
    }
  return TRUE;
}

/* Reads every point of `contents` into xy (2 floats a point) and labels. */
static gboolean
parse_contents (const char *contents, gsize length, const char *file, GArray *xy,
                GArray *labels, GError **error)
{
  const char *p = contents;
  const char *end = contents + length;
  gboolean first = TRUE;   /* no data or header line seen yet */
  int line = 0;

  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *stop = nl != NULL ? nl : end;
      char *text = g_strndup (p, (gsize) (stop - p));
      char *hash = strchr (text, '#');
      char **fields;
      int n_fields;
      double row[3];
      gboolean ok;

      line++;
      p = nl != NULL ? nl + 1 : end;
      if (hash != NULL)
        *hash = '\0';
      g_strstrip (text);   /* also drops a CR before the LF */
      if (text[0] == '\0')
        {
          g_free (text);
          continue;
        }

      fields = g_strsplit (text, ",", -1);
      n_fields = (int) g_strv_length (fields);
      for (int f = 0; f < n_fields; f++)
        g_strstrip (fields[f]);

      if (first && is_header (fields, n_fields))
        {
          first = FALSE;
          g_strfreev (fields);
          g_free (text);
          continue;
        }
      first = FALSE;

      ok = parse_row (fields, n_fields, file, line, row, error);
      g_strfreev (fields);
      g_free (text);
      if (!ok)
        return FALSE;

      if (labels->len >= NW_CSV_MAX_POINTS)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                       _("%s:%d: too many points (at most %d)"), file, line, NW_CSV_MAX_POINTS);
          return FALSE;
        }
      {
        float pt[2] = { (float) row[0], (float) row[1] };
        guint8 label = (guint8) row[2];
        g_array_append_vals (xy, pt, 2);
        g_array_append_val (labels, label);
      }
    }
  return TRUE;
}

NwDataset *
nw_dataset_load_csv (const char *path, double test_ratio, guint64 seed, GError **error)
{
  GError *local = NULL;
  NwDataset *ds = NULL;
  char *contents = NULL;
  gsize length = 0;
  char *file;
  GArray *xy = NULL, *labels = NULL;
  gint32 *rows = NULL;
  NwRng rng;
  int n, n_test;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_filename_display_name (path);
  if (!(test_ratio >= 0.0 && test_ratio < 1.0))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   _("%s: test_ratio must be in [0, 1), got %g"), file, test_ratio);
      goto out;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: no such file"), file);
      goto out;
    }
  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot read the CSV file: %s"),
                   file, local->message);
      g_clear_error (&local);
      goto out;
    }

  xy = g_array_new (FALSE, FALSE, sizeof (float));
  labels = g_array_new (FALSE, FALSE, sizeof (guint8));
  if (!parse_contents (contents, length, file, xy, labels, error))
    goto out;

  n = (int) labels->len;
  if (n < 2)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: needs at least 2 points (x,y,label rows), found %d"), file, n);
      goto out;
    }

  nw_rng_init (&rng, seed);
  rows = g_new (gint32, (gsize) n);
  for (int i = 0; i < n; i++)
    rows[i] = i;
  nw_rng_shuffle (&rng, rows, (gsize) n);
  n_test = (int) round (n * test_ratio);
  n_test = CLAMP (n_test, 0, n - 1);   /* the training split keeps at least one point */

  ds = g_new0 (NwDataset, 1);
  ds->name = g_path_get_basename (path);
  ds->n_classes = 2;
  {
    const float *points = (const float *) (void *) xy->data;
    const guint8 *classes = (const guint8 *) labels->data;
    nw_split_fill_2d (&ds->train, points, classes, rows, n - n_test);
    nw_split_fill_2d (&ds->test, points, classes, rows + (n - n_test), n_test);
  }

out:
  g_free (rows);
  if (xy != NULL)
    g_array_free (xy, TRUE);
  if (labels != NULL)
    g_array_free (labels, TRUE);
  g_free (contents);
  g_free (file);
  return ds;
}

static gboolean
append_split (GString *out, const NwSplit *split, const char *which, const char *file,
              GError **error)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (split->n == 0)
    return TRUE;
  if (split->d != 2 || split->x == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                   _("%s: cannot save as CSV: the %s split has %d features per row, CSV holds 2"),
                   file, which, split->d);
      return FALSE;
    }
  if (split->labels == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: cannot save as CSV: the %s split has no class labels"), file, which);
      return FALSE;
    }
  for (int i = 0; i < split->n; i++)
    {
      if (split->labels[i] > 1)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                       _("%s: cannot save as CSV: %s row %d has label %d, CSV holds 0 or 1"),
                       file, which, i, split->labels[i]);
          return FALSE;
        }
      g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.9g", split->x[2 * i]));
      g_string_append_c (out, ',');
      g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.9g", split->x[2 * i + 1]));
      g_string_append_printf (out, ",%d\n", split->labels[i]);
    }
  return TRUE;
}

gboolean
nw_dataset_save_csv (const NwDataset *ds, const char *path, GError **error)
{
  GError *local = NULL;
  GString *out;
  char *file;
  gboolean ok = FALSE;

  g_return_val_if_fail (ds != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = g_filename_display_name (path);
  out = g_string_new ("x,y,label\n");
  if (!append_split (out, &ds->train, "train", file, error)
      || !append_split (out, &ds->test, "test", file, error))
    goto done;
  if (!g_file_set_contents (path, out->str, (gssize) out->len, &local))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot write the CSV file: %s"),
                   file, local->message);
      g_clear_error (&local);
      goto done;
    }
  ok = TRUE;

done:
  g_string_free (out, TRUE);
  g_free (file);
  return ok;
}
