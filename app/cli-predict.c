/* cli-predict.c: `neurowire-cli predict`: output probabilities for rows given on the command
 * line, in a CSV file, or one image of an IDX file. */
#include "cli-common.h"
#include "nw-i18n.h"
#include "cli-json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Parses one row of comma-separated numbers into `out` (width values). `where` names the row
 * in errors. Returns FALSE for a row that is not `width` finite numbers. */
static gboolean
parse_row (const char *text, int width, float *out, const char *where, GError **error)
{
  g_auto (GStrv) fields = g_strsplit (text, ",", -1);
  int n = (int) g_strv_length (fields);

  if (n != width)
    {
      /* Translators: where (a row of --input, a line of a file); the network's input width;
       * the number of features found */
      g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s: expected %d feature (the network's input width), got %d",
                                "%s: expected %d features (the network's input width), got %d",
                                (gulong) width), where, width, n);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      char *field = g_strstrip (fields[i]), *end = NULL;
      double v;
      errno = 0;
      v = g_ascii_strtod (field, &end);
      if (field[0] == '\0' || end == field || *end != '\0')
        {
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s, field %d: '%s' is not a number"),
                       where, i + 1, field);
          return FALSE;
        }
      if (!isfinite (v) || fabs (v) > G_MAXFLOAT)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE, _("%s, field %d: '%s' is not a finite number"),
                       where, i + 1, field);
          return FALSE;
        }
      out[i] = (float) v;
    }
  return TRUE;
}

static gboolean
is_blank (const char *s)
{
  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

/* The header rule, the same as the training CSV loader's (core/nw-data-csv.c) and said in
 * --help: a first line is a header only when none of its fields reads as a number. A guess
 * from letters would take "5,abc" or "0.1,nan" for a header and silently drop a row of
 * features; under this rule such a line is a data row and its bad field is reported.
 * "nan" and "inf" count as numbers here (they parse), so they are reported as not finite. */
static gboolean
is_header (const char *line)
{
  g_auto (GStrv) fields = g_strsplit (line, ",", -1);
  for (int i = 0; fields[i] != NULL; i++)
    {
      char *field = g_strstrip (fields[i]), *end = NULL;
      if (field[0] == '\0')
        continue;
      (void) g_ascii_strtod (field, &end);
      if (end != field && *end == '\0')
        return FALSE;
    }
  return TRUE;
}

/* "x1,x2;x1,x2": rows separated by ';' (or new lines). */
static GArray *
parse_inline (const char *text, int width, GError **error)
{
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (float));
  g_auto (GStrv) parts = g_strsplit_set (text, ";\n", -1);
  g_autofree float *row = g_new (float, width);
  int r = 0;

  for (int i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *where = NULL;
      if (is_blank (parts[i]))
        continue;
      where = g_strdup_printf (_("--input: row %d"), r);
      if (!parse_row (parts[i], width, row, where, error))
        return NULL;
      g_array_append_vals (rows, row, width);
      r++;
    }
  if (r == 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("--input: no rows (give them as \"x1,x2;x1,x2\")"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* A CSV file of feature rows; blank lines and '#' comments are skipped, and a first line none
 * of whose fields is a number is taken as a header (is_header). Any other line must be
 * `width` finite numbers; a bad one is refused with its line and field number. */
static GArray *
parse_csv (const char *path, int width, GError **error)
{
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (float));
  g_autofree char *contents = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree float *row = g_new (float, width);
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) local = NULL;
  gboolean first = TRUE;
  int r = 0;

  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot read: %s"), path, local->message);
      return NULL;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *where = NULL;
      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (first)
        {
          first = FALSE;
          if (is_header (line))
            continue;
        }
      where = g_strdup_printf (_("%s: line %d (row %d)"), base, i + 1, r);
      if (!parse_row (line, width, row, where, error))
        return NULL;
      g_array_append_vals (rows, row, width);
      r++;
    }
  if (r == 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: no rows of features"), base);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static GArray *
read_idx_image (const char *path, gint64 index, int width, GError **error)
{
  g_autofree float *pixels = NULL;
  int n = 0, h = 0, w = 0;
  GArray *rows;

  if (!nw_idx_load_images (path, &n, &h, &w, &pixels, error))
    return NULL;
  if (index < 0 || index >= n)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                   _("%s: --index %lld is out of range (the file has %d images)"), path,
                   (long long) index, n);
      return NULL;
    }
  if ((gint64) h * w != width)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SHAPE, _("%s: images of %dx%d = %d pixels, but the "
                     "network takes %d inputs"), path, h, w, h * w, width);
      return NULL;
    }
  rows = g_array_new (FALSE, FALSE, sizeof (float));
  g_array_append_vals (rows, pixels + (gsize) index * width, width);
  return rows;
}

static void
print_row (gboolean json, int r, const float *p, int width, int cls)
{
  if (json)
    {
      NwJsonWriter *w = nw_cli_json_new ("predict");
      nw_json_int (w, "row", r);
      nw_json_floats (w, "output", p, width);
      if (cls >= 0)
        nw_json_int (w, "class", cls);
      nw_cli_json_print (w);
      return;
    }
  printf (_("row %3d: "), r);
  for (int c = 0; c < width; c++)
    printf ("%s%.6f", c > 0 ? " " : "", p[c]);
  if (cls >= 0)
    printf (_("  class %d"), cls);
  printf ("\n");
}

int
nw_cli_predict (const NwAppEnv *env, int argc, char **argv)
{
  NwCliCommon c = NW_CLI_COMMON_INIT (env, "predict");
  char *input = NULL, *input_file = NULL, *input_idx = NULL;
  gint64 index = 0;
  const GOptionEntry entries[] = {
    NW_CLI_SPEC_ENTRY (c),
    NW_CLI_LOAD_ENTRY (c, N_("The weights (safetensors; default: fresh ones from the seed)")),
    { "input", 0, 0, G_OPTION_ARG_STRING, &input, N_("Rows of features, \"x1,x2;x1,x2\""), N_("ROWS") },
    { "input-file", 0, 0, G_OPTION_ARG_FILENAME, &input_file, N_("A CSV file with one row of features per line (header: see below)"), N_("FILE") },
    { "input-idx", 0, 0, G_OPTION_ARG_FILENAME, &input_idx, N_("An IDX images file (MNIST format)"), N_("FILE") },
    { "index", 0, 0, G_OPTION_ARG_INT64, &index, N_("Which image of --input-idx (default 0)"), "N" },
    NW_CLI_JSON_ENTRY (c, N_("Print one JSON object per row")),
    { NULL }
  };
  g_autoptr (GArray) rows = NULL;
  g_autofree float *out = NULL;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK, width, n_rows, n_out;
  NwLoss loss;
  NwDataset *data;
  NwTrainer *t;

  if (!nw_cli_common_parse (&c,
                            _("Prints the network's output probabilities (evaluation mode) for each row of\n"
                              "input features, and the predicted class. Give exactly one of --input,\n"
                              "--input-file and --input-idx.\n\n"
                              "In --input-file, blank lines and lines starting with '#' are skipped. The\n"
                              "first line is a header only if none of its fields is a number (\"x,y\");\n"
                              "any other line must hold one number per input, and a line that does not\n"
                              "is refused with its line and field number."),
                            entries, argc, argv, NULL, NULL, &status))
    goto out;
  if ((input != NULL) + (input_file != NULL) + (input_idx != NULL) != 1)
    {
      status = nw_cli_usage ("predict", _("give exactly one of --input, --input-file and --input-idx"));
      goto out;
    }
  if (!nw_cli_common_load_spec (&c, &error))
    goto out;
  /* Weights matter here, not the data: MNIST files may be absent. */
  if ((data = nw_cli_dataset_new (c.spec, TRUE, NULL, &error)) == NULL
      || !nw_cli_common_trainer (&c, data, FALSE, NULL, &error)
      || !nw_cli_common_load_weights (&c, &error))
    goto out;
  t = c.trainer;

  width = nw_net_input_width (nw_trainer_get_net (t));
  if (input != NULL)
    rows = parse_inline (input, width, &error);
  else if (input_file != NULL)
    rows = parse_csv (input_file, width, &error);
  else
    rows = read_idx_image (input_idx, index, width, &error);
  if (rows == NULL)
    goto out;

  n_rows = (int) (rows->len / width);
  n_out = nw_net_output_width (nw_trainer_get_net (t));
  out = g_new (float, (gsize) n_rows * n_out);
  if (!nw_trainer_predict (t, (const float *) rows->data, n_rows, out, &error))
    goto out;
  loss = nw_cli_spec_loss (c.spec);
  for (int r = 0; r < n_rows; r++)
    {
      const float *p = out + (gsize) r * n_out;
      int cls = -1;
      if (loss != NW_LOSS_MSE)
        {
          if (n_out == 1)
            cls = p[0] >= 0.5f;
          else
            {
              cls = 0;
              for (int c = 1; c < n_out; c++)
                if (p[c] > p[cls])
                  cls = c;
            }
        }
      print_row (c.json, r, p, n_out, cls);
    }
  fflush (stdout);
  goto out;

out:
  g_free (input);
  g_free (input_file);
  g_free (input_idx);
  return nw_cli_common_finish (&c, error, status);
}
