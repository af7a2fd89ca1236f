/* nw-test.h: the shared CUnit runner. Each test executable lists its suites and calls
 * nw_test_main(); the run prints CUnit's summary and exits non-zero on any failure (or 77,
 * meson's "skipped", when nw_test_skip() was called before any test ran). */
#pragma once

#include <CUnit/CUnit.h>
#include <glib.h>

typedef struct {
  const char *name;
  void      (*func) (void);
} NwTestCase;

typedef struct {
  const char       *name;
  const NwTestCase *cases;   /* terminated by { NULL, NULL } */
} NwTestSuite;

int   nw_test_main      (int argc, char **argv, const NwTestSuite *suites);

/* A fresh temporary directory for this process (removed at exit), and a path inside it. */
const char *nw_test_tmpdir (void);
char       *nw_test_path   (const char *name);
/* Writes bytes to a file in the temporary directory; returns its path (free it). */
char       *nw_test_write  (const char *name, const void *bytes, gsize length);
/* Source tree paths: NW_SOURCE_DIR/rel (free it). */
char       *nw_test_source_path (const char *rel);
/* NEUROWIRE_DATA_DIR, the folder that holds mnist/ (NULL: the default one): the test
 * programs read it as app/'s programs do, once, and pass it to the code they test. */
const char *nw_test_data_root (void);

/* Asserts that `error` is set, in `domain`/`code` (code -1: any), and its message contains
 * every NULL-terminated substring given; then clears it. */
#define NW_ASSERT_ERROR(error, domain, code, ...) \
  nw_test_assert_error (&(error), domain, code, __FILE__, __LINE__, __VA_ARGS__, NULL)
void  nw_test_assert_error (GError **error, GQuark domain, int code,
                            const char *file, int line, ...) G_GNUC_NULL_TERMINATED;

#define NW_ASSERT_NO_ERROR(error) do { \
    if ((error) != NULL) { \
      g_printerr ("%s:%d: unexpected error: %s\n", __FILE__, __LINE__, (error)->message); \
      g_clear_error (&(error)); \
      CU_FAIL_FATAL ("unexpected error"); \
    } } while (0)

#define NW_ASSERT_CLOSE(a, b, rtol, atol) \
  CU_ASSERT (fabs ((double) (a) - (double) (b)) <= (atol) + (rtol) * fabs ((double) (b)))
