/* nw-lesson-check.h: `lesson check`: a lesson's steps run headless, every check measured.
 *
 * The steps run in order on an NwTrainer, synchronously: `load`, `set` and `enable` through
 * nw_lesson_apply_to_spec (a new trainer from the seed, or the run goes on with new
 * hyperparameters or a node switched), `reset`, `weights` (nw_trainer_set_node_param),
 * `train` (stopping at every check's `at_step` on the way to measure it), `save` and `restore`
 * (safetensors files in a temporary folder of the run, removed at the end), `device` (the
 * run moves to OpenCL when the options give a way to make an OpenCL backend; otherwise that
 * step's checks are skipped, saying why); `pace`, `show` and `mode` do nothing headless.
 * Metrics are those of docs/lesson-format.md. */
#pragma once

#include "nw-lesson.h"
#include "nw-backend.h"

G_BEGIN_DECLS

typedef enum {
  NW_LESSON_RESULT_PASS,
  NW_LESSON_RESULT_FAIL,
  NW_LESSON_RESULT_SKIPPED,   /* not measured: `reason` says why */
  NW_LESSON_RESULT_REPORTED,  /* "report": true: the figure, never judged */
} NwLessonResultStatus;

typedef struct {
  guint                 step_index;   /* 0-based */
  const NwLessonStep   *step;         /* borrowed from the lesson */
  const NwLessonCheck  *check;        /* borrowed from the lesson */
  double                figure;       /* NAN when skipped */
  double                expected;     /* near/below/above's value, or the other check's figure;
                                       * NAN for a report or a skip */
  NwLessonResultStatus  status;
  char                 *reason;       /* skipped: why; fail: what was wrong; else NULL */
} NwLessonCheckResult;

void        nw_lesson_check_result_free (NwLessonCheckResult *result);
const char *nw_lesson_result_status_name (NwLessonResultStatus status);  /* "pass", "FAIL", ... */

/* Makes an OpenCL backend (cl/ is not core's to call): NULL with an error when there is none;
 * `why` (may be NULL) may receive a sentence naming the device. */
typedef NwBackend *(*NwLessonBackendFactory) (gpointer user_data, char **why, GError **error);

typedef struct {
  const char            *data_root;    /* MNIST's folder's parent (NULL: the default place) */
  NwLessonBackendFactory opencl;       /* NULL: no OpenCL */
  gpointer               opencl_data;
  gboolean               start_on_opencl;  /* every run starts on OpenCL (needs `opencl`) */
  /* Called with each result as it is measured (may be NULL). */
  void                 (*on_result)    (const NwLessonCheckResult *result, gpointer user_data);
  gpointer               user_data;
  int                    chunk;        /* steps per nw_trainer_steps call; 0: 1000 */
} NwLessonCheckOptions;

/* Runs the lesson's steps and measures its checks. `results` (may be NULL) receives every
 * check's result (NwLessonCheckResult*, freed with the array) in the lesson's order. A check
 * that fails is not an error: the call returns TRUE and the result says FAIL. Errors are
 * what stops the run: data that cannot be loaded, a network that does not build, a backend
 * failure, an `at_step` the run has already passed (naming the step and the check), hand-typed
 * weights of the wrong shape. A `train` action that diverges is not an error: the run stops
 * there and the step's `diverged` checks see 1. */
gboolean    nw_lesson_check              (const NwLesson *lesson, const NwLessonCheckOptions *opts,
                                          GPtrArray **results, GError **error);

G_END_DECLS
