/* nw-test.c: the CUnit runner and temporary-file helpers shared by every suite. */
#include "nw-test.h"
#include "nw-blas.h"

#include <CUnit/Basic.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *tmpdir;
} TestState;

static TestState state;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
          g_free (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
cleanup (void)
{
  if (state.tmpdir != NULL)
    {
      /* Directories made read-only by a test must become writable to be removed. */
      g_chmod (state.tmpdir, 0700);
      remove_tree (state.tmpdir);
      g_clear_pointer (&state.tmpdir, g_free);
    }
}

const char *
nw_test_tmpdir (void)
{
  if (state.tmpdir == NULL)
    {
      GError *error = NULL;
      state.tmpdir = g_dir_make_tmp ("neurowire-test-XXXXXX", &error);
      g_assert_no_error (error);
      atexit (cleanup);
    }
  return state.tmpdir;
}

char *
nw_test_path (const char *name)
{
  return g_build_filename (nw_test_tmpdir (), name, NULL);
}

char *
nw_test_write (const char *name, const void *bytes, gsize length)
{
  char *path = nw_test_path (name);
  GError *error = NULL;
  g_file_set_contents (path, bytes, (gssize) length, &error);
  g_assert_no_error (error);
  return path;
}

char *
nw_test_source_path (const char *rel)
{
  const char *root = g_getenv ("NW_SOURCE_DIR");
  return g_build_filename (root != NULL ? root : NW_SOURCE_DIR, rel, NULL);
}

const char *
nw_test_data_root (void)
{
  const char *root = g_getenv ("NEUROWIRE_DATA_DIR");
  return root != NULL && root[0] != '\0' ? root : NULL;
}

void
nw_test_assert_error (GError **error, GQuark domain, int code, const char *file, int line, ...)
{
  va_list ap;
  const char *needle;

  if (*error == NULL)
    {
      g_printerr ("%s:%d: expected an error, got none\n", file, line);
      CU_assertImplementation (CU_FALSE, line, "expected an error", file, "", CU_FALSE);
      return;
    }
  if ((*error)->domain != domain || (code >= 0 && (*error)->code != code))
    {
      g_printerr ("%s:%d: wrong error %s/%d: %s\n", file, line,
                  g_quark_to_string ((*error)->domain), (*error)->code, (*error)->message);
      CU_assertImplementation (CU_FALSE, line, "error domain/code", file, "", CU_FALSE);
    }
  va_start (ap, line);
  while ((needle = va_arg (ap, const char *)) != NULL)
    if (strstr ((*error)->message, needle) == NULL)
      {
        g_printerr ("%s:%d: error message \"%s\" lacks \"%s\"\n", file, line, (*error)->message, needle);
        CU_assertImplementation (CU_FALSE, line, "error message content", file, "", CU_FALSE);
      }
  va_end (ap);
  g_clear_error (error);
}

int
nw_test_main (int argc, char **argv, const NwTestSuite *suites)
{
  unsigned failures;
  const char *only = argc > 1 ? argv[1] : NULL;   /* optional: run one suite by name */

  nw_blas_reexec_if_needed (argv);

  if (CU_initialize_registry () != CUE_SUCCESS)
    return 1;
  for (const NwTestSuite *s = suites; s->name != NULL; s++)
    {
      CU_pSuite suite;
      if (only != NULL && strcmp (only, s->name) != 0)
        continue;
      suite = CU_add_suite (s->name, NULL, NULL);
      for (const NwTestCase *c = s->cases; c->name != NULL; c++)
        CU_add_test (suite, c->name, c->func);
    }
  CU_basic_set_mode (CU_BRM_VERBOSE);
  CU_basic_run_tests ();
  failures = CU_get_number_of_failures () + CU_get_number_of_tests_failed ();
  if (CU_get_number_of_tests_run () == 0)
    {
      g_printerr ("no test ran\n");
      failures = 1;
    }
  CU_cleanup_registry ();
  return failures == 0 ? 0 : 1;
}
