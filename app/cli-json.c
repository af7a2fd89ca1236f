/* cli-json.c: one JSON object per output line of the command-line tool. */
#include "cli-json.h"

#include <stdio.h>

NwJsonWriter *
nw_cli_json_new (const char *event)
{
  NwJsonWriter *w = nw_json_writer_new (NW_JSON_COMPACT, NW_JSON_DOUBLE_FLOAT);
  nw_json_begin_object (w, NULL);
  nw_json_string (w, "event", event);
  return w;
}

void
nw_cli_json_print (NwJsonWriter *w)
{
  g_autofree char *line = NULL;
  nw_json_end_object (w);
  line = nw_json_writer_finish (w);
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}
