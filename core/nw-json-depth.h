/* nw-json-depth.h: refuse JSON nested too deeply before json-glib sees it.
 *
 * json-glib's parser recurses once per nested object or array, so a few hundred KB of "[[[["
 * (or {"a":{"a":...) overflow the stack and kill the program with SIGSEGV. Every file text that
 * goes to json-glib (spec files, safetensors headers) is checked here first, in one linear
 * pass that does not recurse. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Far above any real file (a spec is 4 levels deep, a safetensors header 3), far below the
 * depth that exhausts a thread's stack in json-glib. */
#define NW_JSON_MAX_DEPTH 256

/* TRUE when no object or array in text[0..len) is nested deeper than max_depth; brackets
 * inside strings (with their escapes) do not count. Otherwise FALSE and an NW_ERROR_FORMAT
 * error "nesting deeper than N levels at byte B of the JSON text" (B counted from `text`, from 0);
 * the caller adds the file's name. Unbalanced
 * or otherwise invalid text passes: that is the parser's to report. */
gboolean nw_json_check_depth (const char *text, gsize len, guint max_depth, GError **error);

/* TRUE when every integer literal (no fraction or exponent) outside strings fits gint64.
 * json-glib (1.6) reads the others as other numbers ("steps": 9223372036854775808 as
 * -9223372036854775808, anything from 2^64 up as -1), so a range check after parsing
 * reports a number that was never written. Otherwise FALSE and an NW_ERROR_RANGE error naming the line, the member the
 * number belongs to and the number as written; the caller adds the file's name. */
gboolean nw_json_check_integers (const char *text, gsize len, GError **error);

G_END_DECLS
