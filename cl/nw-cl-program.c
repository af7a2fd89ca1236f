/* nw-cl-program.c: kernel sources from GResources, program builds, and the binary cache. */
#include "nw-cl-program.h"
#include "nw-i18n.h"
#include "nw-kernels-resources.h"
#include "nw-types.h"

#include <glib/gstdio.h>
#include <string.h>

#define KERNEL_RESOURCE_DIR "/org/neurowire/kernels/"

GBytes *
nw_cl_kernel_source (const char *file_name, GError **error)
{
  g_autofree char *path = g_strconcat (KERNEL_RESOURCE_DIR, file_name, NULL);
  GError *local = NULL;
  /* The resource is looked up directly (not through the global registry), which also makes
   * the linker keep it when the static library is linked into a program. */
  GBytes *bytes = g_resource_lookup_data (nw_kernels_get_resource (), path,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, &local);
  if (bytes == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_BACKEND, _("kernel source %s is not in the program: %s"),
                   file_name, local->message);
      g_error_free (local);
    }
  return bytes;
}

static char *
build_log (cl_program program, cl_device_id device)
{
  size_t size = 0;
  char *log;
  GError *error = NULL;
  if (!NW_CL_CHECK (clGetProgramBuildInfo (program, device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size), &error))
    goto failed;
  log = g_malloc0 (size + 1);
  if (!NW_CL_CHECK (clGetProgramBuildInfo (program, device, CL_PROGRAM_BUILD_LOG, size, log, NULL), &error))
    {
      g_free (log);
      goto failed;
    }
  return g_strstrip (log);
failed:
  log = g_strdup_printf ("(no build log: %s)", error->message);
  g_error_free (error);
  return log;
}

/* The pieces of a program's text after the prepended header: each file behind its own
 * #line directive. A log line number n maps into the piece whose lines hold it. */
typedef struct
{
  const char *file_name;
  int         first;     /* the text's line number of the file's line 1 */
  int         n_lines;   /* -1: to the end */
} LogPiece;

typedef struct
{
  const LogPiece *pieces;
  int             n_pieces;
} LogLines;

static gboolean
log_line_replace (const GMatchInfo *match, GString *out, gpointer data)
{
  const LogLines *where = data;
  g_autofree char *whole = g_match_info_fetch (match, 0);
  g_autofree char *number = g_match_info_fetch (match, 1);
  gint64 line = g_ascii_strtoll (number, NULL, 10);

  for (int i = 0; i < where->n_pieces; i++)
    {
      const LogPiece *p = &where->pieces[i];
      if (line >= p->first && (p->n_lines < 0 || line < p->first + p->n_lines))
        {
          g_string_append_printf (out, "%s:%" G_GINT64_FORMAT ":", p->file_name, line - p->first + 1);
          return FALSE;
        }
    }
  g_string_append (out, whole);
  return FALSE;
}

static char *
log_in_pieces (const char *log, const LogPiece *pieces, int n_pieces)
{
  /* Only bracketed names: a real path in the log already went through #line. */
  g_autoptr (GRegex) re = g_regex_new ("^<[^>\n]*>:([0-9]+):", G_REGEX_MULTILINE, 0, NULL);
  LogLines where = { pieces, n_pieces };
  char *out = g_regex_replace_eval (re, log, -1, 0, 0, log_line_replace, &where, NULL);
  return out != NULL ? out : g_strdup (log);
}

char *
nw_cl_log_in_file_lines (const char *log, const char *file_name, int header_lines)
{
  LogPiece piece = { file_name, header_lines + 1, -1 };
  return log_in_pieces (log, &piece, 1);
}

static int
count_lines (const char *text)
{
  int n = 0;
  for (; *text != '\0'; text++)
    n += *text == '\n';
  return n;
}

/* ---- the on-disk binary cache ---- */

static char *
cache_path (const NwClDeviceInfo *device, const char *options, const char *text)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = NULL;
  const char *parts[] = { device->platform, device->name, device->driver, device->version,
                          options != NULL ? options : "", text };
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    /* Each part with its terminating NUL, so that "ab"+"c" and "a"+"bc" differ. */
    g_checksum_update (sum, (const guchar *) parts[i], strlen (parts[i]) + 1);
  name = g_strconcat (g_checksum_get_string (sum), ".bin", NULL);
  return g_build_filename (g_get_user_cache_dir (), "neurowire", "kernels", name, NULL);
}

/* A program from a cached binary, built; NULL when there is none or it does not load (the
 * caller then builds from source, so failures here are not errors). */
static cl_program
load_cached (cl_context context, const NwClDeviceInfo *device, const char *path,
             const char *options)
{
  g_autofree char *bytes = NULL;
  gsize length = 0;
  const unsigned char *binary;
  cl_int st = CL_SUCCESS, bst = CL_SUCCESS;
  cl_program program = NULL;
  GError *error = NULL;

  if (!g_file_get_contents (path, &bytes, &length, NULL) || length == 0)
    return NULL;
  binary = (const unsigned char *) bytes;
  if (!NW_CL_CHECK ((program = clCreateProgramWithBinary (context, 1, &device->device_id, &length,
                                                          &binary, &bst, &st), st), &error)
      || !nw_cl_check (bst, "clCreateProgramWithBinary (binary status)", G_STRLOC, &error))
    {
      if (program != NULL)
        NW_CL_CHECK (clReleaseProgram (program), NULL);
      g_debug ("kernel cache %s not loaded: %s", path, error->message);
      g_error_free (error);
      g_unlink (path);
      return NULL;
    }
  if (!NW_CL_CHECK (clBuildProgram (program, 1, &device->device_id, options, NULL, NULL), &error))
    {
      g_debug ("kernel cache %s not built: %s", path, error->message);
      g_error_free (error);
      NW_CL_CHECK (clReleaseProgram (program), NULL);
      g_unlink (path);
      return NULL;
    }
  return program;
}

static void
store_cached (cl_program program, const char *path)
{
  size_t size = 0;
  g_autofree unsigned char *binary = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  GError *error = NULL;

  if (!NW_CL_CHECK (clGetProgramInfo (program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL), &error)
      || size == 0)
    goto failed;
  binary = g_malloc (size);
  if (!NW_CL_CHECK (clGetProgramInfo (program, CL_PROGRAM_BINARIES, sizeof binary, &binary, NULL), &error))
    goto failed;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return;
  /* Temp file and rename: a reader never sees half a binary. */
  g_file_set_contents (path, (const char *) binary, (gssize) size, NULL);
  return;
failed:
  if (error != NULL)
    {
      g_debug ("kernel binary not cached: %s", error->message);
      g_error_free (error);
    }
}

cl_program
nw_cl_build_program (cl_context context, const NwClDeviceInfo *device, const char *file_name,
                     const char *source, const char *header, const char *options,
                     gboolean use_cache, GError **error)
{
  return nw_cl_build_program_with_prelude (context, device, NULL, NULL, file_name, source, header,
                                           options, use_cache, error);
}

cl_program
nw_cl_build_program_with_prelude (cl_context context, const NwClDeviceInfo *device,
                                  const char *prelude_name, const char *prelude,
                                  const char *file_name, const char *source, const char *header,
                                  const char *options, gboolean use_cache, GError **error)
{
  /* Each #line directive makes the compiler count the next file's lines from 1 again, after
   * the prepended #defines (and the prelude), and name the file in its messages. */
  gboolean has_header = header != NULL && *header != '\0';
  g_autofree char *head = g_strdup_printf ("%s%s", has_header ? header : "",
                                           has_header && !g_str_has_suffix (header, "\n") ? "\n" : "");
  g_autofree char *before = prelude != NULL
    ? g_strdup_printf ("#line 1 \"%s\"\n%s%s", prelude_name, prelude,
                       g_str_has_suffix (prelude, "\n") ? "" : "\n")
    : g_strdup ("");
  g_autofree char *prefix = g_strdup_printf ("%s%s#line 1 \"%s\"\n", head, before, file_name);
  g_autofree char *text = g_strconcat (prefix, source, NULL);
  g_autofree char *path = use_cache ? cache_path (device, options, text) : NULL;
  const char *texts[] = { text };
  cl_program program = NULL;
  cl_int st = CL_SUCCESS;
  GError *local = NULL;

  if (path != NULL && (program = load_cached (context, device, path, options)) != NULL)
    return program;

  if (!NW_CL_CHECK ((program = clCreateProgramWithSource (context, 1, texts, NULL, &st), st), error))
    return NULL;
  if (!NW_CL_CHECK (clBuildProgram (program, 1, &device->device_id, options, NULL, NULL), &local))
    {
      /* The log's line numbers are the file's own (see the #line above), also where the
       * compiler ignored #line. */
      g_autofree char *raw = build_log (program, device->device_id);
      int head_lines = count_lines (head), before_lines = count_lines (before);
      /* The prelude's text starts after its #line; the file's after its own. */
      LogPiece pieces[] = {
        { prelude_name, head_lines + 2, before_lines - 1 },
        { file_name, head_lines + before_lines + 2, -1 },
      };
      g_autofree char *log = prelude != NULL ? log_in_pieces (raw, pieces, 2)
                                             : log_in_pieces (raw, &pieces[1], 1);
      g_set_error (error, NW_ERROR, NW_ERROR_BACKEND, _("building %s for %s failed (%s):\n%s"),
                   file_name, device->name, local->message, log);
      g_error_free (local);
      NW_CL_CHECK (clReleaseProgram (program), NULL);
      return NULL;
    }
  if (path != NULL)
    store_cached (program, path);
  return program;
}
