/* fuzz-idx.c: IDX image and label files (MNIST's format) from arbitrary bytes, plain and
 * gzipped: every header field must be checked against the file's size. */
#include "nw-data.h"
#include "fuzz-common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = fuzz_write_input (data, size, "input-idx-ubyte");
  GError *error = NULL;
  int n = 0, rows = 0, cols = 0;
  float *pixels = NULL;
  guint8 *labels = NULL;
  if (path == NULL)
    return 0;
  if (nw_idx_load_images (path, &n, &rows, &cols, &pixels, &error))
    g_free (pixels);
  else
    g_clear_error (&error);
  if (nw_idx_load_labels (path, &n, &labels, &error))
    g_free (labels);
  else
    g_clear_error (&error);
  return 0;
}
