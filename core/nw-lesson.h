/* nw-lesson.h: a lesson (docs/lesson-format.md) as plain data, read from and written to JSON,
 * and the course: the lessons shipped in the programs' resources, in order.
 *
 * Everything here is public plain data so that the window (the lesson player, the browser)
 * and the headless checker (nw-lesson-check.h) read the same structs. A lesson is refused
 * as a whole when anything in it is wrong; the message names the file, the step (1-based,
 * with its id) and the field: "vanishing.json: step 3 ('plateau'): action 2: unknown action
 * \"trian\"". Strings are UTF-8 and owned by the struct that holds them. */
#pragma once

#include "nw-spec.h"

G_BEGIN_DECLS

#define NW_LESSON_ERROR (nw_lesson_error_quark ())
GQuark nw_lesson_error_quark (void);

typedef enum {
  NW_LESSON_ERROR_IO,        /* the file could not be read or written */
  NW_LESSON_ERROR_INVALID,   /* the file is not a valid lesson (or course): the message says where */
  NW_LESSON_ERROR_RUN,       /* a lesson's actions could not be carried out (the checker, the player) */
} NwLessonErrorCode;

/* Every text a person reads, in both languages (never NULL, never empty once loaded). */
typedef struct {
  char *ko;
  char *en;
} NwLessonText;

/* The views a lesson shows. Masks are (1u << view). */
typedef enum {
  NW_LESSON_VIEW_EDITOR,
  NW_LESSON_VIEW_BOUNDARY,
  NW_LESSON_VIEW_MAPS,
  NW_LESSON_VIEW_LOSS,
  NW_LESSON_VIEW_GRADIENTS,
  NW_LESSON_VIEW_ACTIVATIONS,
  NW_LESSON_VIEW_WEIGHTS,
  NW_LESSON_VIEW_DIGITS,
  NW_LESSON_VIEW_CONFUSION,
  NW_LESSON_N_VIEWS
} NwLessonView;

/* The controls a lesson hides or locks. Masks are (1u << control). */
typedef enum {
  NW_LESSON_CONTROL_EDITOR,
  NW_LESSON_CONTROL_DATA,
  NW_LESSON_CONTROL_OPTIMIZER,
  NW_LESSON_CONTROL_LR,
  NW_LESSON_CONTROL_BATCH,
  NW_LESSON_CONTROL_PENALTIES,
  NW_LESSON_CONTROL_SEED,
  NW_LESSON_CONTROL_SWITCHES,
  NW_LESSON_CONTROL_DEVICE,
  NW_LESSON_CONTROL_RESET,
  NW_LESSON_CONTROL_PACE,
  NW_LESSON_CONTROL_WEIGHTS,
  NW_LESSON_CONTROL_FILES,
  NW_LESSON_N_CONTROLS
} NwLessonControl;

#define NW_LESSON_BIT(v) (1u << (v))

typedef struct {
  NwLessonControl control;
  NwLessonText    reason;   /* shown in the locked control's tooltip */
} NwLessonLock;

typedef enum {
  NW_LESSON_ACTION_LOAD,
  NW_LESSON_ACTION_SET,
  NW_LESSON_ACTION_ENABLE,
  NW_LESSON_ACTION_RESET,
  NW_LESSON_ACTION_WEIGHTS,
  NW_LESSON_ACTION_TRAIN,
  NW_LESSON_ACTION_PACE,
  NW_LESSON_ACTION_SHOW,
  NW_LESSON_ACTION_MODE,
  NW_LESSON_ACTION_DEVICE,
  NW_LESSON_ACTION_SAVE,
  NW_LESSON_ACTION_RESTORE,
  NW_LESSON_N_ACTIONS
} NwLessonActionKind;

/* The value of a `set` action, as the file gives it. */
typedef enum {
  NW_LESSON_VALUE_NUMBER,
  NW_LESSON_VALUE_STRING,
  NW_LESSON_VALUE_BOOL,
} NwLessonValueType;

typedef enum {
  NW_LESSON_UNTIL_STEP,        /* the run's step count reaches `n` */
  NW_LESSON_UNTIL_EPOCHS,      /* `n` completed epochs */
  NW_LESSON_UNTIL_LOSS_BELOW,  /* the training loss below `loss`, or `n` steps (max_steps) */
} NwLessonUntil;

typedef enum {
  NW_LESSON_MODE_TRAIN,
  NW_LESSON_MODE_EVAL,
} NwLessonMode;

typedef enum {
  NW_LESSON_DEVICE_CPU,
  NW_LESSON_DEVICE_OPENCL,
} NwLessonDevice;

/* One tensor typed in by a `weights` action: "fc1.weight" is rows (the node's units) x cols
 * (its inputs), as PyTorch; "fc1.bias" has rank 1 (rows values, cols 1). */
typedef struct {
  char     *node;
  gboolean  bias;           /* "NODE.bias"; else "NODE.weight" */
  int       rank;           /* 2 for a weight, 1 for a bias */
  int       rows, cols;
  double   *values;         /* rows x cols, row-major */
} NwLessonParam;

typedef struct {
  NwLessonActionKind kind;
  /* LOAD: a variant of the lesson's networks, or "start" */
  char              *network;
  /* SET: "training.lr", "nodes.fc1.activation", "data.noise", ... */
  char              *field;
  NwLessonValueType  value_type;
  double             number;
  char              *string;
  gboolean           boolean;
  /* ENABLE */
  char              *node;
  gboolean           on;
  /* WEIGHTS: of NwLessonParam*, in the file's order */
  GPtrArray         *params;
  /* TRAIN */
  NwLessonUntil      until;
  gint64             n;          /* the step, the epochs, or max_steps */
  double             loss;       /* loss_below */
  /* PACE */
  double             steps_per_s;   /* 0: full speed */
  /* SHOW: a mask of NW_LESSON_BIT (NwLessonView) */
  guint              views;
  /* MODE */
  NwLessonMode       mode;
  /* DEVICE */
  NwLessonDevice     device;
  /* SAVE, RESTORE */
  char              *slot;
} NwLessonAction;

typedef enum {
  NW_LESSON_METRIC_LOSS,
  NW_LESSON_METRIC_ACCURACY,
  NW_LESSON_METRIC_TEST_LOSS,
  NW_LESSON_METRIC_TEST_ACCURACY,
  NW_LESSON_METRIC_GRAD_RATIO,
  NW_LESSON_METRIC_GRAD_NORM,
  NW_LESSON_METRIC_DEAD_UNITS,
  NW_LESSON_METRIC_OUTPUT,
  NW_LESSON_METRIC_STEP,
  NW_LESSON_METRIC_EPOCH,
  NW_LESSON_METRIC_DIVERGED,
  NW_LESSON_METRIC_STEPS_PER_S,
  NW_LESSON_N_METRICS
} NwLessonMetric;

typedef enum {
  NW_LESSON_COMPARE_NEAR,         /* |figure - value| <= tol */
  NW_LESSON_COMPARE_BELOW,        /* figure < value */
  NW_LESSON_COMPARE_ABOVE,        /* figure > value */
  NW_LESSON_COMPARE_BELOW_CHECK,  /* figure < the figure of the earlier check `other` */
  NW_LESSON_COMPARE_ABOVE_CHECK,
  NW_LESSON_COMPARE_REPORT,       /* printed, never judged */
  NW_LESSON_COMPARE_NEAR_CHECK,   /* |figure - the figure of the earlier check `other`| <= tol */
} NwLessonCompare;

typedef struct {
  NwLessonMetric  metric;
  gint64          at_step;    /* -1: after the step's actions */
  NwLessonCompare compare;
  double          value;      /* near, below, above */
  double          tol;        /* near, near_check */
  char           *other;      /* below_check, above_check, near_check: the earlier check's name */
  char           *name;       /* NULL or unique in the lesson */
  char           *node;       /* grad_norm, dead_units: the node */
  int             example;    /* output: the training example (0-based) */
  NwLessonText    label;
} NwLessonCheck;

typedef struct {
  NwLessonText  text;
  GPtrArray    *choices;      /* of NwLessonText*, at least 2 */
  int           answer;       /* 0-based index into choices */
  NwLessonText  explain;
} NwLessonQuestion;

typedef struct {
  char             *id;       /* NULL or [a-z0-9-]+ */
  NwLessonText      title;
  NwLessonText      text;
  NwLessonQuestion *question; /* NULL when the step asks nothing */
  GPtrArray        *actions;  /* of NwLessonAction*, run in order */
  GPtrArray        *checks;   /* of NwLessonCheck* */
} NwLessonStep;

/* A variant of the lesson's network, for the `load` action. */
typedef struct {
  char   *id;
  NwSpec *spec;
} NwLessonNetwork;

typedef struct {
  char         *id;        /* [a-z0-9-]+ */
  NwLessonText  chapter;
  NwLessonText  title;
  NwLessonText  summary;
  int           minutes;
  char         *notes;     /* NULL or plain text */
  NwSpec       *spec;      /* the starting network */
  GPtrArray    *networks;  /* of NwLessonNetwork*, in the file's order */
  guint         views;     /* mask of NW_LESSON_BIT (NwLessonView) shown at the start */
  guint         hidden;    /* mask of NW_LESSON_BIT (NwLessonControl) */
  GPtrArray    *locks;     /* of NwLessonLock*, at most one per control */
  double        pace;      /* steps per second at the start; 0: full speed */
  GPtrArray    *steps;     /* of NwLessonStep*, at least one */
  char         *origin;    /* the file name messages use ("vanishing.json"); not written */
} NwLesson;

/* Names as files write them; NULL / -1 out of range or unknown. */
const char *nw_lesson_view_name          (NwLessonView view);
int         nw_lesson_view_from_name     (const char *name);
const char *nw_lesson_control_name       (NwLessonControl control);
int         nw_lesson_control_from_name  (const char *name);
const char *nw_lesson_action_name        (NwLessonActionKind kind);
int         nw_lesson_action_from_name   (const char *name);
const char *nw_lesson_metric_name        (NwLessonMetric metric);
int         nw_lesson_metric_from_name   (const char *name);
const char *nw_lesson_compare_name       (NwLessonCompare compare);

/* The text in `lang` ("ko" or "en"; anything else: English). Borrowed. */
const char *nw_lesson_text_get           (const NwLessonText *text, const char *lang);
/* "ko" when the first of g_get_language_names() that is ko or en (or their variants,
 * "ko_KR.UTF-8") is Korean, else "en". Static string. */
const char *nw_lesson_lang_from_locale   (void);

void        nw_lesson_text_clear         (NwLessonText *text);
void        nw_lesson_text_copy          (NwLessonText *dst, const NwLessonText *src);
void        nw_lesson_text_set           (NwLessonText *text, const char *ko, const char *en);

NwLessonAction *nw_lesson_action_new     (NwLessonActionKind kind);
void        nw_lesson_action_free        (NwLessonAction *action);
NwLessonCheck *nw_lesson_check_new       (NwLessonMetric metric);
void        nw_lesson_check_free         (NwLessonCheck *check);
NwLessonStep *nw_lesson_step_new         (void);
void        nw_lesson_step_free          (NwLessonStep *step);
void        nw_lesson_question_free      (NwLessonQuestion *question);
void        nw_lesson_param_free         (NwLessonParam *param);

/* An empty lesson: no steps, views and hidden 0, no spec. */
NwLesson   *nw_lesson_new                (void);
void        nw_lesson_free               (NwLesson *lesson);
/* A deep copy (specs included). */
NwLesson   *nw_lesson_copy               (const NwLesson *lesson);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwLesson, nw_lesson_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwLessonStep, nw_lesson_step_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwLessonAction, nw_lesson_action_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwLessonCheck, nw_lesson_check_free)

/* Borrowed; NULL when absent. "start" is the lesson's own spec. */
const NwSpec *nw_lesson_find_network     (const NwLesson *lesson, const char *id);
/* The lock of `control`, borrowed, or NULL. */
const NwLessonLock *nw_lesson_find_lock  (const NwLesson *lesson, NwLessonControl control);
/* The check named `name` in any step, borrowed, or NULL; `step_index` (may be NULL) its step. */
const NwLessonCheck *nw_lesson_find_check (const NwLesson *lesson, const char *name,
                                           guint *step_index);

/* Reading. Validates everything docs/lesson-format.md says (see the top of this file for the
 * messages). `origin` is the file name used in messages (NULL: "<string>"); the lesson keeps
 * it. nw_lesson_load uses the file's base name. */
NwLesson   *nw_lesson_from_json          (const char *json, gssize length, const char *origin,
                                          GError **error);
NwLesson   *nw_lesson_load               (const char *path, GError **error);
/* Validates a lesson built in memory (the window's "Save as lesson…") as nw_lesson_from_json
 * would validate its file. */
gboolean    nw_lesson_validate           (const NwLesson *lesson, GError **error);

/* Writing: the whole lesson, specs included, pretty-printed with a final newline; it reads
 * back equal (nw_lesson_equal). nw_lesson_save writes atomically (a temporary file renamed
 * over `path`: on failure an old file is left as it was). */
char       *nw_lesson_to_json            (const NwLesson *lesson);
gboolean    nw_lesson_save               (const NwLesson *lesson, const char *path, GError **error);
/* Field-by-field equality (specs compared through their JSON; `origin` ignored). */
gboolean    nw_lesson_equal              (const NwLesson *a, const NwLesson *b);

/* The spec-level meaning of LOAD, SET and ENABLE, shared by the checker and the window's
 * player: edits `spec` in place (LOAD replaces its contents by a copy of the variant) and sets
 * `*new_run` (may be NULL): TRUE when the change needs a new run from the seed (LOAD; `set` of
 * nodes.* and data.*), FALSE when the run goes on with the edited spec (`set` of training.*:
 * nw_trainer_set_hyper; ENABLE: nw_net_set_enabled). Any other action: FALSE, spec untouched,
 * *new_run FALSE. On error (an unknown node, a value out of range: the message names the
 * field) the spec is left as it was. */
gboolean    nw_lesson_apply_to_spec      (const NwLesson *lesson, const NwLessonAction *action,
                                          NwSpec *spec, gboolean *new_run, GError **error);

/* The course: the lessons of resources/lessons/course.json, in its order. */
typedef struct _NwCourse NwCourse;

typedef struct {
  const NwLessonText *title;   /* borrowed from its first lesson */
  GPtrArray          *lessons; /* of const NwLesson*, borrowed, in the course's order */
} NwCourseChapter;

/* The course compiled into the programs. */
NwCourse   *nw_course_load_builtin       (GError **error);
/* A course from a folder holding course.json and <id>.json for each of its ids. */
NwCourse   *nw_course_load_dir           (const char *dir, GError **error);
void        nw_course_free               (NwCourse *course);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwCourse, nw_course_free)
/* Of const NwLesson*, borrowed, in the course's order. */
GPtrArray  *nw_course_get_lessons        (NwCourse *course);
/* Of NwCourseChapter*, borrowed: chapters in the order of their first lesson. */
GPtrArray  *nw_course_get_chapters       (NwCourse *course);
/* Borrowed; NULL when the course has no such lesson. */
const NwLesson *nw_course_find           (NwCourse *course, const char *id);
G_END_DECLS
