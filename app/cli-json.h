/* cli-json.h: the command line's --json output: one JSON object per line, through core's
 * writer (core/nw-json-writer.h) in its compact style with float precision (%.9g: every
 * float the engine computes reads back exactly, without a double's 17 digits of its
 * rounding), non-finite numbers as null. */
#pragma once

#include "nw-json-writer.h"

G_BEGIN_DECLS

/* Starts {"event": EVENT, ...; add members with nw_json_int, nw_json_double, ... and finish
 * with nw_cli_json_print, which frees the writer. */
NwJsonWriter *nw_cli_json_new   (const char *event);
/* Closes the object and prints it as one line on stdout (flushed: a reader sees each event
 * as it happens). */
void          nw_cli_json_print (NwJsonWriter *w);

G_END_DECLS
