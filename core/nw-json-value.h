/* nw-json-value.h: what a JSON value is, for the readers that name it in their messages.
 *
 * The spec reader and the lesson reader both check each value's type before they take it and
 * say what they found instead ("'lr' is a string, not a number"), and both report json-glib's
 * parse errors by line: these are their shared words for it. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "an object", "an array", "null", "a string", "a boolean" or "a number" (translated). */
const char *nw_json_type_name (JsonNode *node);
/* The kind of plain value; FALSE for NULL, objects, arrays and null. */
gboolean    nw_json_is_number (JsonNode *node);
gboolean    nw_json_is_string (JsonNode *node);
gboolean    nw_json_is_bool   (JsonNode *node);

/* json-glib's parse error ("<data>:4:12: Parse error: ...") as a reader says it after the
 * file's name: "line 4: Parse error: ..." (new string; the message as it is when it has no
 * line). */
char       *nw_json_parse_error_message (const GError *json_error);

G_END_DECLS
