/* cli-json.c: the streaming one-line JSON writer of the command-line tool. */
#include "cli-json.h"

#include <math.h>
#include <stdio.h>

struct _NwJsonWriter {
  GString  *s;
  gboolean  need_comma;
};

static void
append_escaped (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    switch (*p)
      {
      case '"': g_string_append (s, "\\\""); break;
      case '\\': g_string_append (s, "\\\\"); break;
      case '\n': g_string_append (s, "\\n"); break;
      case '\r': g_string_append (s, "\\r"); break;
      case '\t': g_string_append (s, "\\t"); break;
      default:
        if (*p < 0x20)
          g_string_append_printf (s, "\\u%04x", *p);
        else
          g_string_append_c (s, (char) *p);
      }
  g_string_append_c (s, '"');
}

static void
begin_value (NwJsonWriter *w, const char *key)
{
  if (w->need_comma)
    g_string_append_c (w->s, ',');
  if (key != NULL)
    {
      append_escaped (w->s, key);
      g_string_append_c (w->s, ':');
    }
  w->need_comma = TRUE;
}

static void
append_double (GString *s, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (value))
    g_string_append (s, "null");
  else
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.9g", value));
}

NwJsonWriter *
nw_json_new (const char *event)
{
  NwJsonWriter *w = g_new0 (NwJsonWriter, 1);
  w->s = g_string_new ("{");
  nw_json_string (w, "event", event);
  return w;
}

void
nw_json_print (NwJsonWriter *w)
{
  g_string_append (w->s, "}\n");
  fputs (w->s->str, stdout);
  fflush (stdout);
  g_string_free (w->s, TRUE);
  g_free (w);
}

void
nw_json_int (NwJsonWriter *w, const char *key, gint64 value)
{
  begin_value (w, key);
  g_string_append_printf (w->s, "%" G_GINT64_FORMAT, value);
}

void
nw_json_double (NwJsonWriter *w, const char *key, double value)
{
  begin_value (w, key);
  append_double (w->s, value);
}

void
nw_json_string (NwJsonWriter *w, const char *key, const char *value)
{
  begin_value (w, key);
  if (value == NULL)
    g_string_append (w->s, "null");
  else
    append_escaped (w->s, value);
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

void
nw_json_floats (NwJsonWriter *w, const char *key, const float *values, gsize n)
{
  nw_json_begin_array (w, key);
  for (gsize i = 0; i < n; i++)
    nw_json_double (w, NULL, values[i]);
  nw_json_end_array (w);
}

void
nw_json_begin_object (NwJsonWriter *w, const char *key)
{
  begin_value (w, key);
  g_string_append_c (w->s, '{');
  w->need_comma = FALSE;
}

void
nw_json_end_object (NwJsonWriter *w)
{
  g_string_append_c (w->s, '}');
  w->need_comma = TRUE;
}

void
nw_json_begin_array (NwJsonWriter *w, const char *key)
{
  begin_value (w, key);
  g_string_append_c (w->s, '[');
  w->need_comma = FALSE;
}

void
nw_json_end_array (NwJsonWriter *w)
{
  g_string_append_c (w->s, ']');
  w->need_comma = TRUE;
}
