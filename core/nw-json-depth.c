/* nw-json-depth.c: a nesting-depth check for JSON text, before json-glib's recursive parser. */
#include "nw-json-depth.h"

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
                           "nesting deeper than %u levels at byte %" G_GSIZE_FORMAT
                           " of the JSON text (objects and arrays inside one another)",
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
