/* nw-json-writer.h: the one JSON writer: spec files (nw-spec-json.c) and the command line's
 * --json lines (app/cli-json.c) both write through it.
 *
 * Our own rather than json-glib's JsonBuilder + JsonGenerator because of numbers: the
 * generator prints every double with 17 significant digits ("lr": 0.10000000000000001 for the
 * 0.1 a person typed, and 0.100000001490116 for a float's 0.1), and has no null for NaN or
 * infinity. Here a file gets the shortest digits that read back as the same double, and the
 * command line the 9 digits that a float has. It also writes as it goes (one GString), and
 * escapes every control character. Reading stays json-glib's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  NW_JSON_COMPACT,  /* one line, no spaces: {"a":1,"b":[2,3]} (--json output, one per line) */
  NW_JSON_PRETTY,   /* a member or element per line, indented by two spaces, "key": value,
                       empty containers as {} and [] (files a person reads and diffs) */
} NwJsonStyle;

typedef enum {
  /* The shortest of %.15g, %.16g, %.17g that reads back as exactly the same double, with
   * ".0" added to integral values so that they read back as numbers with a fraction: for
   * files, where 0.1 typed by a person must come back as 0.1 and load as the same double. */
  NW_JSON_DOUBLE_SHORTEST,
  /* %.9g: enough for every float to read back exactly, and no more digits than a float has:
   * for values computed in single precision (losses, outputs, gradients on the command line),
   * whose 17-digit double forms would print the float's rounding as if it were data. */
  NW_JSON_DOUBLE_FLOAT,
} NwJsonDoubles;

typedef struct _NwJsonWriter NwJsonWriter;

NwJsonWriter *nw_json_writer_new     (NwJsonStyle style, NwJsonDoubles doubles);
void          nw_json_writer_free    (NwJsonWriter *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwJsonWriter, nw_json_writer_free)
/* The text written so far (no newline is added), and frees the writer. New string. */
char         *nw_json_writer_finish  (NwJsonWriter *w);

/* Every value takes a `key`: the member's name inside an object, NULL for an element of an
 * array or for the top-level value. Strings are written as valid UTF-8 (invalid bytes become
 * U+FFFD) with '"', '\\' and every control character escaped; a NULL string is null.
 * Non-finite doubles (NaN, infinities) are null: JSON has no number for them. */
void          nw_json_begin_object   (NwJsonWriter *w, const char *key);
void          nw_json_end_object     (NwJsonWriter *w);
void          nw_json_begin_array    (NwJsonWriter *w, const char *key);
void          nw_json_end_array      (NwJsonWriter *w);
void          nw_json_string         (NwJsonWriter *w, const char *key, const char *value);
void          nw_json_int            (NwJsonWriter *w, const char *key, gint64 value);
void          nw_json_uint           (NwJsonWriter *w, const char *key, guint64 value);
void          nw_json_bool           (NwJsonWriter *w, const char *key, gboolean value);
void          nw_json_null           (NwJsonWriter *w, const char *key);
void          nw_json_double         (NwJsonWriter *w, const char *key, double value);
/* An array of `n` floats, each as nw_json_double writes it. */
void          nw_json_floats         (NwJsonWriter *w, const char *key, const float *values,
                                      gsize n);

/* A double as NW_JSON_DOUBLE_SHORTEST writes it (non-finite ones as "nan", "inf", "-inf"),
 * for messages that quote a number from a file. */
void          nw_json_format_double  (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v);

G_END_DECLS
