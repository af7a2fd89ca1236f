/* fuzz-csv.c: the training CSV loader from arbitrary bytes: a bad row is an error naming the
 * line, never a crash. */
#include "nw-data.h"
#include "fuzz-common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = fuzz_write_input (data, size, "input.csv");
  GError *error = NULL;
  NwDataset *ds;
  if (path == NULL)
    return 0;
  ds = nw_dataset_load_csv (path, 0.2, 1, &error);
  if (ds != NULL)
    nw_dataset_free (ds);
  else
    g_clear_error (&error);
  return 0;
}
