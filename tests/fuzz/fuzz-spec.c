/* fuzz-spec.c: network specs from arbitrary bytes: reading, validation, writing back. A spec
 * that loads must validate or fail with an error, and must write and read back. */
#include "nw-spec.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  NwSpec *spec = nw_spec_from_json ((const char *) data, (gssize) size, &error);
  if (spec == NULL)
    {
      g_assert (error != NULL);
      g_error_free (error);
      return 0;
    }
  {
    char *json = nw_spec_to_json (spec);
    NwSpec *again = nw_spec_from_json (json, -1, &error);
    /* What was written must read back. */
    g_assert (again != NULL);
    nw_spec_free (again);
    g_free (json);
  }
  if (!nw_spec_validate (spec, 2, 1, 2, NULL, NULL, &error))
    g_clear_error (&error);
  nw_spec_free (spec);
  return 0;
}
