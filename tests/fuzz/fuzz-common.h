/* fuzz-common.h: what the libFuzzer harnesses share. Loaders that read files get the input
 * through a file of this process's own (the fuzzer runs one input at a time). */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Writes the input to a file in a directory of this process's own; returns its path
 * (borrowed: the same path every call). */
static inline const char *
fuzz_write_input (const guint8 *data, size_t size, const char *name)
{
  static char *dir, *path;   /* one process, one input at a time: libFuzzer's model */
  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("neurowire-fuzz-XXXXXX", NULL);
      path = g_build_filename (dir, name, NULL);
    }
  if (!g_file_set_contents (path, (const char *) data, (gssize) size, NULL))
    return NULL;
  return path;
}
