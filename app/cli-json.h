/* cli-json.h: one JSON object per output line, written as it is built.
 *
 * A small streaming writer rather than JsonBuilder + JsonGenerator: numbers come out at the
 * precision they have (%.9g: every float round-trips) instead of 17 digits of binary noise,
 * non-finite numbers come out as null, and a line costs one GString. */
#pragma once

#include <glib.h>

typedef struct _NwJsonWriter NwJsonWriter;

/* Starts {"event": EVENT, ...; finish with nw_json_print(), which frees the writer. */
NwJsonWriter *nw_json_new          (const char *event);
void          nw_json_print        (NwJsonWriter *w);

/* `key` NULL for array elements. */
void          nw_json_int          (NwJsonWriter *w, const char *key, gint64 value);
void          nw_json_double       (NwJsonWriter *w, const char *key, double value);
void          nw_json_string       (NwJsonWriter *w, const char *key, const char *value);
void          nw_json_bool         (NwJsonWriter *w, const char *key, gboolean value);
void          nw_json_null         (NwJsonWriter *w, const char *key);
void          nw_json_floats       (NwJsonWriter *w, const char *key, const float *values, gsize n);
void          nw_json_begin_object (NwJsonWriter *w, const char *key);
void          nw_json_end_object   (NwJsonWriter *w);
void          nw_json_begin_array  (NwJsonWriter *w, const char *key);
void          nw_json_end_array    (NwJsonWriter *w);
