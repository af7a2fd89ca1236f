/* fuzz-lesson.c: lesson files from arbitrary bytes. A lesson that loads must write and read
 * back equal; one that does not must say why. */
#include "nw-lesson.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  NwLesson *lesson = nw_lesson_from_json ((const char *) data, (gssize) size, "fuzz.json", &error);
  if (lesson == NULL)
    {
      g_assert (error != NULL);
      g_error_free (error);
      return 0;
    }
  {
    char *json = nw_lesson_to_json (lesson);
    NwLesson *again = nw_lesson_from_json (json, -1, "again.json", &error);
    /* What was written must read back, the same. */
    g_assert (again != NULL);
    g_assert (nw_lesson_equal (lesson, again));
    nw_lesson_free (again);
    g_free (json);
  }
  nw_lesson_free (lesson);
  return 0;
}
