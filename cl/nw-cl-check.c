/* nw-cl-check.c: OpenCL status codes as names, and the check behind NW_CL_CHECK. */
#include "nw-cl-check.h"
#include "nw-i18n.h"
#include "nw-types.h"

#include <string.h>

typedef struct {
  cl_int      code;
  const char *name;
} StatusName;

/* Written as numbers so the table does not depend on which CL_VERSION_* the header was
 * told to expose; the values are fixed by the specification. */
static const StatusName status_names[] = {
  { 0, "CL_SUCCESS" },
  { -1, "CL_DEVICE_NOT_FOUND" },
  { -2, "CL_DEVICE_NOT_AVAILABLE" },
  { -3, "CL_COMPILER_NOT_AVAILABLE" },
  { -4, "CL_MEM_OBJECT_ALLOCATION_FAILURE" },
  { -5, "CL_OUT_OF_RESOURCES" },
  { -6, "CL_OUT_OF_HOST_MEMORY" },
  { -7, "CL_PROFILING_INFO_NOT_AVAILABLE" },
  { -8, "CL_MEM_COPY_OVERLAP" },
  { -9, "CL_IMAGE_FORMAT_MISMATCH" },
  { -10, "CL_IMAGE_FORMAT_NOT_SUPPORTED" },
  { -11, "CL_BUILD_PROGRAM_FAILURE" },
  { -12, "CL_MAP_FAILURE" },
  { -13, "CL_MISALIGNED_SUB_BUFFER_OFFSET" },
  { -14, "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST" },
  { -15, "CL_COMPILE_PROGRAM_FAILURE" },
  { -16, "CL_LINKER_NOT_AVAILABLE" },
  { -17, "CL_LINK_PROGRAM_FAILURE" },
  { -18, "CL_DEVICE_PARTITION_FAILED" },
  { -19, "CL_KERNEL_ARG_INFO_NOT_AVAILABLE" },
  { -30, "CL_INVALID_VALUE" },
  { -31, "CL_INVALID_DEVICE_TYPE" },
  { -32, "CL_INVALID_PLATFORM" },
  { -33, "CL_INVALID_DEVICE" },
  { -34, "CL_INVALID_CONTEXT" },
  { -35, "CL_INVALID_QUEUE_PROPERTIES" },
  { -36, "CL_INVALID_COMMAND_QUEUE" },
  { -37, "CL_INVALID_HOST_PTR" },
  { -38, "CL_INVALID_MEM_OBJECT" },
  { -39, "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR" },
  { -40, "CL_INVALID_IMAGE_SIZE" },
  { -41, "CL_INVALID_SAMPLER" },
  { -42, "CL_INVALID_BINARY" },
  { -43, "CL_INVALID_BUILD_OPTIONS" },
  { -44, "CL_INVALID_PROGRAM" },
  { -45, "CL_INVALID_PROGRAM_EXECUTABLE" },
  { -46, "CL_INVALID_KERNEL_NAME" },
  { -47, "CL_INVALID_KERNEL_DEFINITION" },
  { -48, "CL_INVALID_KERNEL" },
  { -49, "CL_INVALID_ARG_INDEX" },
  { -50, "CL_INVALID_ARG_VALUE" },
  { -51, "CL_INVALID_ARG_SIZE" },
  { -52, "CL_INVALID_KERNEL_ARGS" },
  { -53, "CL_INVALID_WORK_DIMENSION" },
  { -54, "CL_INVALID_WORK_GROUP_SIZE" },
  { -55, "CL_INVALID_WORK_ITEM_SIZE" },
  { -56, "CL_INVALID_GLOBAL_OFFSET" },
  { -57, "CL_INVALID_EVENT_WAIT_LIST" },
  { -58, "CL_INVALID_EVENT" },
  { -59, "CL_INVALID_OPERATION" },
  { -60, "CL_INVALID_GL_OBJECT" },
  { -61, "CL_INVALID_BUFFER_SIZE" },
  { -62, "CL_INVALID_MIP_LEVEL" },
  { -63, "CL_INVALID_GLOBAL_WORK_SIZE" },
  { -64, "CL_INVALID_PROPERTY" },
  { -65, "CL_INVALID_IMAGE_DESCRIPTOR" },
  { -66, "CL_INVALID_COMPILER_OPTIONS" },
  { -67, "CL_INVALID_LINKER_OPTIONS" },
  { -68, "CL_INVALID_DEVICE_PARTITION_COUNT" },
  { -69, "CL_INVALID_PIPE_SIZE" },
  { -70, "CL_INVALID_DEVICE_QUEUE" },
  { -71, "CL_INVALID_SPEC_ID" },
  { -72, "CL_MAX_SIZE_RESTRICTION_EXCEEDED" },
  { -1001, "CL_PLATFORM_NOT_FOUND_KHR" },
  { -1057, "CL_INVALID_COMMAND_BUFFER_KHR" },
};

const char *
nw_cl_status_name (cl_int status)
{
  for (gsize i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (status_names[i].code == status)
      return status_names[i].name;
  return _("an unknown OpenCL status");
}

/* The first "clXxx" identifier in the checked text, as a new string ("an OpenCL call" if
 * the text names none). */
static char *
call_name (const char *expr)
{
  for (const char *p = expr; p != NULL && *p != '\0'; p++)
    {
      gboolean at_word = p == expr || !(g_ascii_isalnum (p[-1]) || p[-1] == '_');
      if (at_word && p[0] == 'c' && p[1] == 'l' && g_ascii_isupper (p[2]))
        {
          const char *end = p + 2;
          while (g_ascii_isalnum (*end) || *end == '_')
            end++;
          return g_strndup (p, end - p);
        }
    }
  return g_strdup (_("an OpenCL call"));
}

/* Sites arrive as the compiler saw them ("../cl/nw-backend-cl.c:123"); the message shows
 * them from the source root. */
static const char *
short_site (const char *site)
{
  while (g_str_has_prefix (site, "../"))
    site += 3;
  return site;
}

gboolean
nw_cl_check (cl_int status, const char *expr, const char *site, GError **error)
{
  g_autofree char *call = NULL;
  int code;
  if (status == CL_SUCCESS)
    return TRUE;
  if (error == NULL || *error != NULL)
    return FALSE;
  call = call_name (expr);
  code = status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_HOST_MEMORY
           ? NW_ERROR_NO_MEMORY : NW_ERROR_BACKEND;
  g_set_error (error, NW_ERROR, code, _("%s failed: %s (%d) at %s"), call,
               nw_cl_status_name (status), (int) status, short_site (site));
  return FALSE;
}
