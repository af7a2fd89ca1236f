/* fuzz-safetensors.c: safetensors files from arbitrary bytes (the header is JSON; the
 * offsets and shapes must be checked against the file before anything is read). */
#include "nw-safetensors.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  NwTensorFile *tf = nw_safetensors_parse (data, size, "fuzz.safetensors", &error);
  if (tf == NULL)
    {
      g_assert (error != NULL);
      g_error_free (error);
      return 0;
    }
  nw_tensor_file_free (tf);
  return 0;
}
