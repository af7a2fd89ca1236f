/* nw-json-value.c: what a JSON value is (see the header). */
#include "nw-json-value.h"
#include "nw-i18n.h"

#include <inttypes.h>
#include <string.h>

const char *
nw_json_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return _("an object");
    case JSON_NODE_ARRAY:  return _("an array");
    case JSON_NODE_NULL:   return "null";
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);
        if (type == G_TYPE_STRING)
          return _("a string");
        if (type == G_TYPE_BOOLEAN)
          return _("a boolean");
        return _("a number");
      }
    }
}

static gboolean
holds (JsonNode *node, GType type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
nw_json_is_number (JsonNode *node)
{
  return holds (node, G_TYPE_INT64) || holds (node, G_TYPE_DOUBLE);
}

gboolean
nw_json_is_string (JsonNode *node)
{
  return holds (node, G_TYPE_STRING);
}

gboolean
nw_json_is_bool (JsonNode *node)
{
  return holds (node, G_TYPE_BOOLEAN);
}

char *
nw_json_parse_error_message (const GError *json_error)
{
  const char *p = json_error->message;
  char *end = NULL;
  guint64 line;

  if (!g_str_has_prefix (p, "<data>:"))
    return g_strdup (json_error->message);
  p += strlen ("<data>:");
  line = g_ascii_strtoull (p, &end, 10);
  if (end == p || *end != ':')
    return g_strdup (json_error->message);
  p = end + 1;
  g_ascii_strtoull (p, &end, 10);   /* the column */
  if (end == p || *end != ':')
    return g_strdup (json_error->message);
  p = end + 1;
  while (*p == ' ')
    p++;
  return g_strdup_printf (_("line %" PRIu64 ": %s"), line, p);
}
