/* nw-json-depth.c: checks on JSON text before json-glib parses it: nesting depth (its parser
 * recurses) and integers beyond gint64 (it wraps them). */
#include "nw-json-depth.h"
#include "nw-i18n.h"

#include "nw-types.h"

gboolean
nw_json_check_depth (const char *text, gsize len, guint max_depth, GError **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          /* A backslash escapes the next byte: skipping it keeps \" from ending the string
           * (\u escapes are plain hex digits after the u, nothing to skip). */
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '{':
        case '[':
          if (++depth > max_depth)
            {
              g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                           _("nesting deeper than %u levels at byte %zu of the JSON text (objects "
                             "and arrays inside one another)"),
                           max_depth, i);
              return FALSE;
            }
          break;
        case '}':
        case ']':
          /* Extra closers are a syntax error for the parser to report with its line. */
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* json-glib reads an integer beyond gint64 as another number: "steps": 2^63 arrives as
 * -9223372036854775808 and 99999999999999999999 as -1, so the reader's range checks see a
 * different number from the one written. Finds the first integer literal (no fraction, no
 * exponent: those are doubles, read correctly) outside strings that gint64 cannot hold and
 * refuses it as written, with its line and the member it belongs to. One linear pass. */
gboolean
nw_json_check_integers (const char *json, gsize len, GError **error)
{
  static const char max_digits[] = "9223372036854775807";   /* G_MAXINT64 */
  static const char min_digits[] = "9223372036854775808";   /* -G_MININT64 */
  gboolean in_string = FALSE;
  gsize string_start = 0, key_start = 0, key_len = 0, last_start = 0, last_len = 0;
  guint line = 1;

  for (gsize i = 0; i < len; i++)
    {
      char c = json[i];
      gsize start, digits, end;
      gboolean negative;
      int cmp;

      if (c == '\n')
        line++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              last_start = string_start;
              last_len = i - string_start;
            }
          continue;
        }
      if (c == '"')
        {
          in_string = TRUE;
          string_start = i + 1;
          continue;
        }
      if (c == ':')
        {
          key_start = last_start;
          key_len = last_len;
          continue;
        }
      if (c != '-' && !g_ascii_isdigit (c))
        continue;
      start = i;
      negative = c == '-';
      end = negative ? i + 1 : i;
      while (end < len && g_ascii_isdigit (json[end]))
        end++;
      i = end - 1;
      if (end < len && (json[end] == '.' || json[end] == 'e' || json[end] == 'E'))
        continue;   /* a double: the parser's syntax check covers the rest of the token */
      digits = end - start - (negative ? 1 : 0);
      if (digits < sizeof max_digits - 1)
        continue;
      /* Equal lengths compare as numbers do, digit by digit. */
      cmp = digits > sizeof max_digits - 1
            ? 1 : memcmp (json + end - digits, negative ? min_digits : max_digits, digits);
      if (cmp > 0)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                       _("line %u: '%.*s' is %.*s, out of range (a whole number here is between "
                         "-9223372036854775808 and 9223372036854775807)"),
                       line, (int) key_len, json + key_start, (int) (end - start), json + start);
          return FALSE;
        }
    }
  return TRUE;
}
