/* nw-json-writer.c: JSON text written as it is built (see nw-json-writer.h for why ours). */
#include "nw-json-writer.h"

#include <math.h>
#include <string.h>

struct _NwJsonWriter {
  GString       *s;
  NwJsonStyle    style;
  NwJsonDoubles  doubles;
  int            depth;   /* open objects and arrays */
  gboolean       first;   /* nothing written yet in the innermost one (or at the top) */
};

NwJsonWriter *
nw_json_writer_new (NwJsonStyle style, NwJsonDoubles doubles)
{
  NwJsonWriter *w = g_new0 (NwJsonWriter, 1);
  w->s = g_string_new (NULL);
  w->style = style;
  w->doubles = doubles;
  w->first = TRUE;
  return w;
}

void
nw_json_writer_free (NwJsonWriter *w)
{
  if (w == NULL)
    return;
  g_string_free (w->s, TRUE);
  g_free (w);
}

char *
nw_json_writer_finish (NwJsonWriter *w)
{
  char *text;
  g_return_val_if_fail (w != NULL, NULL);
  text = g_string_free (w->s, FALSE);
  g_free (w);
  return text;
}

static void
newline (NwJsonWriter *w)
{
  g_string_append_c (w->s, '\n');
  for (int i = 0; i < w->depth; i++)
    g_string_append (w->s, "  ");
}

static void
append_string (GString *s, const char *text)
{
  /* JSON text is UTF-8: a name read from a file or a device may not be. */
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_string_append_c (s, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      switch (c)
        {
        case '"':  g_string_append (s, "\\\""); break;
        case '\\': g_string_append (s, "\\\\"); break;
        case '\n': g_string_append (s, "\\n"); break;
        case '\r': g_string_append (s, "\\r"); break;
        case '\t': g_string_append (s, "\\t"); break;
        case '\b': g_string_append (s, "\\b"); break;
        case '\f': g_string_append (s, "\\f"); break;
        default:
          /* DEL is allowed raw, but escaped it cannot upset a terminal or an editor. */
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (s, "\\u%04x", c);
          else
            g_string_append_c (s, (char) c);
        }
    }
  g_string_append_c (s, '"');
}

/* The comma, line break and key in front of a value. */
static void
begin_value (NwJsonWriter *w, const char *key)
{
  if (!w->first)
    g_string_append_c (w->s, ',');
  w->first = FALSE;
  if (w->style == NW_JSON_PRETTY && w->depth > 0)
    newline (w);
  if (key != NULL)
    {
      append_string (w->s, key);
      g_string_append (w->s, w->style == NW_JSON_PRETTY ? ": " : ":");
    }
}

static void
open_container (NwJsonWriter *w, const char *key, char bracket)
{
  begin_value (w, key);
  g_string_append_c (w->s, bracket);
  w->depth++;
  w->first = TRUE;
}

static void
close_container (NwJsonWriter *w, char bracket)
{
  g_return_if_fail (w->depth > 0);
  w->depth--;
  if (w->style == NW_JSON_PRETTY && !w->first)
    newline (w);
  g_string_append_c (w->s, bracket);
  w->first = FALSE;
}

void
nw_json_begin_object (NwJsonWriter *w, const char *key)
{
  open_container (w, key, '{');
}

void
nw_json_end_object (NwJsonWriter *w)
{
  close_container (w, '}');
}

void
nw_json_begin_array (NwJsonWriter *w, const char *key)
{
  open_container (w, key, '[');
}

void
nw_json_end_array (NwJsonWriter *w)
{
  close_container (w, ']');
}

void
nw_json_string (NwJsonWriter *w, const char *key, const char *value)
{
  begin_value (w, key);
  if (value == NULL)
    g_string_append (w->s, "null");
  else
    append_string (w->s, value);
}

void
nw_json_int (NwJsonWriter *w, const char *key, gint64 value)
{
  begin_value (w, key);
  g_string_append_printf (w->s, "%" G_GINT64_FORMAT, value);
}

void
nw_json_uint (NwJsonWriter *w, const char *key, guint64 value)
{
  begin_value (w, key);
  g_string_append_printf (w->s, "%" G_GUINT64_FORMAT, value);
}

void
nw_json_bool (NwJsonWriter *w, const char *key, gboolean value)
{
  begin_value (w, key);
  g_string_append (w->s, value ? "true" : "false");
}

void
nw_json_null (NwJsonWriter *w, const char *key)
{
  begin_value (w, key);
  g_string_append (w->s, "null");
}

/* The shortest "%.Ng" that reads back as exactly `v`, always with a '.' or an exponent. */
void
nw_json_format_double (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, format, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  if (isfinite (v) && strpbrk (buf, ".eEn") == NULL && strlen (buf) + 3 < G_ASCII_DTOSTR_BUF_SIZE)
    strcat (buf, ".0");
}

void
nw_json_double (NwJsonWriter *w, const char *key, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  begin_value (w, key);
  if (!isfinite (value))
    g_string_append (w->s, "null");
  else if (w->doubles == NW_JSON_DOUBLE_SHORTEST)
    {
      nw_json_format_double (buf, value);
      g_string_append (w->s, buf);
    }
  else
    g_string_append (w->s, g_ascii_formatd (buf, sizeof buf, "%.9g", value));
}

void
nw_json_floats (NwJsonWriter *w, const char *key, const float *values, gsize n)
{
  nw_json_begin_array (w, key);
  for (gsize i = 0; i < n; i++)
    nw_json_double (w, NULL, values[i]);
  nw_json_end_array (w);
}
