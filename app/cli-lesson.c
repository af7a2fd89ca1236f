/* cli-lesson.c: `neurowire-cli lesson list | show | check`: the course's lessons (or any
 * lesson file) listed, shown, and their checks run headless (core/nw-lesson-check.h), so that
 * a teacher can check a lesson before class and the tests can check them all. */
#include "cli-common.h"
#include "cli-json.h"
#include "nw-i18n.h"
#include "nw-lesson.h"
#include "nw-lesson-check.h"
#include "nw-backend-cl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const NwAppEnv *env;
  gboolean        json;
  char           *lang_opt;
  const char     *lang;
  gboolean        all;
  char           *course_dir;  /* --course: a folder with course.json, instead of the built-in */
  char           *backend;
  int             n_pass, n_fail, n_skipped, n_reported;
  const NwLesson *lesson;   /* the one being checked */
} Opts;

static gboolean
parse (const char *sub, const char *params, const char *summary, const GOptionEntry *entries,
       int argc, char **argv, char ***rest, int *n_rest, int *status)
{
  g_autoptr (GOptionContext) context = g_option_context_new (params);
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("neurowire-cli %s", sub);
  char **args = g_new0 (char *, argc + 1);
  int n_args = argc;

  g_set_prgname (prgname);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  memcpy (args, argv, sizeof (char *) * argc);
  *rest = args;
  if (!g_option_context_parse (context, &n_args, rest, &error))
    {
      *status = nw_cli_usage (sub, "%s", error->message);
      return FALSE;
    }
  *n_rest = n_args;
  return TRUE;
}

static gboolean
resolve_lang (Opts *o, const char *sub, int *status)
{
  if (o->lang_opt == NULL)
    o->lang = nw_lesson_lang_from_locale ();
  else if (strcmp (o->lang_opt, "ko") == 0 || strcmp (o->lang_opt, "en") == 0)
    o->lang = o->lang_opt;
  else
    {
      *status = nw_cli_usage (sub, _("--lang: '%s' is neither ko nor en"), o->lang_opt);
      return FALSE;
    }
  return TRUE;
}

/* A lesson of the course by its id, or a file (a path, or a name ending in .json). */
static NwLesson *
load_lesson (const char *what, NwCourse **course, GError **error)
{
  const NwLesson *found;
  if (strchr (what, '/') != NULL || g_str_has_suffix (what, ".json")
      || g_file_test (what, G_FILE_TEST_IS_REGULAR))
    return nw_lesson_load (what, error);
  if (*course == NULL && (*course = nw_course_load_builtin (error)) == NULL)
    return NULL;
  if ((found = nw_course_find (*course, what)) == NULL)
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                   _("the course has no lesson '%s' (see 'neurowire-cli lesson list'), and there is no file of that name"),
                   what);
      return NULL;
    }
  return nw_lesson_copy (found);
}

/* list ----------------------------------------------------------------------------------- */

static int
lesson_list (Opts *o, int argc, char **argv)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("One JSON object per lesson"), NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &o->lang_opt, N_("The texts' language: ko or en (default: the locale's)"), N_("LANG") },
    { NULL }
  };
  g_autoptr (NwCourse) course = NULL;
  g_autofree char **rest = NULL;
  int n_rest = 0;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;
  GPtrArray *lessons;

  if (!parse ("lesson list", NULL, _("Lists the course's lessons in order: chapter, id, title, minutes, summary."),
              entries, argc, argv, &rest, &n_rest, &status)
      || !resolve_lang (o, "lesson list", &status))
    return status;
  if (n_rest > 1)
    return nw_cli_usage ("lesson list", _("unexpected argument '%s'"), rest[1]);
  if ((course = nw_course_load_builtin (&error)) == NULL)
    return nw_cli_fail (error);
  lessons = nw_course_get_lessons (course);
  for (guint i = 0; i < lessons->len; i++)
    {
      const NwLesson *l = g_ptr_array_index (lessons, i);
      if (o->json)
        {
          NwJsonWriter *w = nw_cli_json_new ("lesson");
          nw_json_int (w, "index", i + 1);
          nw_json_string (w, "id", l->id);
          nw_json_string (w, "chapter", nw_lesson_text_get (&l->chapter, o->lang));
          nw_json_string (w, "title", nw_lesson_text_get (&l->title, o->lang));
          nw_json_int (w, "minutes", l->minutes);
          nw_json_string (w, "summary", nw_lesson_text_get (&l->summary, o->lang));
          nw_json_int (w, "steps", l->steps->len);
          nw_cli_json_print (w);
        }
      else
        {
          if (i == 0 || strcmp (nw_lesson_text_get (&l->chapter, o->lang),
                                nw_lesson_text_get (&((const NwLesson *) g_ptr_array_index (lessons, i - 1))->chapter, o->lang)) != 0)
            printf ("%s%s\n", i > 0 ? "\n" : "", nw_lesson_text_get (&l->chapter, o->lang));
          /* Translators: "neurowire-cli lesson list": number, id, title, minutes, then the summary */
          printf (_("%2u. %s: %s (%d min)\n      %s\n"), i + 1, l->id, nw_lesson_text_get (&l->title, o->lang),
                  l->minutes, nw_lesson_text_get (&l->summary, o->lang));
        }
    }
  if (!o->json)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u lesson\n", "%u lessons\n", lessons->len), lessons->len);
  else
    {
      NwJsonWriter *w = nw_cli_json_new ("summary");
      nw_json_int (w, "lessons", lessons->len);
      nw_cli_json_print (w);
    }
  return NW_CLI_EXIT_OK;
}

/* show ----------------------------------------------------------------------------------- */

static void
print_outline (const NwLesson *l, const char *lang)
{
  printf ("%s — %s\n", nw_lesson_text_get (&l->chapter, lang), nw_lesson_text_get (&l->title, lang));
  printf ("%s\n", nw_lesson_text_get (&l->summary, lang));
  /* Translators: "neurowire-cli lesson show": the lesson's id, length and the notes it follows */
  printf (_("id: %s, about %d min, notes: %s\n"), l->id, l->minutes, l->notes != NULL ? l->notes : "-");
  printf (_("network: %s (%u nodes)\n"), l->spec->name != NULL ? l->spec->name : _("unnamed"),
          l->spec->nodes->len);
  for (guint s = 0; s < l->steps->len; s++)
    {
      const NwLessonStep *step = g_ptr_array_index (l->steps, s);
      printf ("\n%u. %s%s%s%s\n", s + 1, nw_lesson_text_get (&step->title, lang),
              step->id != NULL ? " (" : "", step->id != NULL ? step->id : "", step->id != NULL ? ")" : "");
      printf ("   %s\n", nw_lesson_text_get (&step->text, lang));
      if (step->question != NULL)
        {
          printf (_("   question: %s\n"), nw_lesson_text_get (&step->question->text, lang));
          for (guint c = 0; c < step->question->choices->len; c++)
            printf ("     %c %s\n", (int) c == step->question->answer ? '*' : '-',
                    nw_lesson_text_get (g_ptr_array_index (step->question->choices, c), lang));
        }
      for (guint a = 0; a < step->actions->len; a++)
        {
          const NwLessonAction *act = g_ptr_array_index (step->actions, a);
          printf ("   > %s", nw_lesson_action_name (act->kind));
          if (act->kind == NW_LESSON_ACTION_LOAD)
            printf (" %s", act->network);
          else if (act->kind == NW_LESSON_ACTION_SET && act->value_type == NW_LESSON_VALUE_STRING)
            printf (" %s = %s", act->field, act->string);
          else if (act->kind == NW_LESSON_ACTION_SET && act->value_type == NW_LESSON_VALUE_BOOL)
            printf (" %s = %s", act->field, act->boolean ? "true" : "false");
          else if (act->kind == NW_LESSON_ACTION_SET)
            printf (" %s = %g", act->field, act->number);
          else if (act->kind == NW_LESSON_ACTION_ENABLE)
            printf (" %s %s", act->node, act->on ? "on" : "off");
          else if (act->kind == NW_LESSON_ACTION_WEIGHTS)
            for (guint k = 0; k < act->params->len; k++)
              {
                const NwLessonParam *p = g_ptr_array_index (act->params, k);
                printf ("%s%s.%s", k > 0 ? ", " : " ", p->node, p->bias ? "bias" : "weight");
              }
          else if (act->kind == NW_LESSON_ACTION_PACE)
            printf (" %g", act->steps_per_s);
          else if (act->kind == NW_LESSON_ACTION_SHOW)
            for (int v = 0, first = 1; v < NW_LESSON_N_VIEWS; v++)
              if (act->views & NW_LESSON_BIT (v))
                {
                  printf ("%s%s", first ? " " : ", ", nw_lesson_view_name (v));
                  first = 0;
                }
          if (act->kind == NW_LESSON_ACTION_MODE)
            printf (" %s", act->mode == NW_LESSON_MODE_EVAL ? "eval" : "train");
          else if (act->kind == NW_LESSON_ACTION_DEVICE)
            printf (" %s", act->device == NW_LESSON_DEVICE_OPENCL ? "opencl" : "cpu");
          else if (act->kind == NW_LESSON_ACTION_TRAIN)
            {
              if (act->until == NW_LESSON_UNTIL_LOSS_BELOW)
                printf (" loss_below %g", act->loss);
              printf (act->until == NW_LESSON_UNTIL_STEP ? " step %" G_GINT64_FORMAT
                      : act->until == NW_LESSON_UNTIL_EPOCHS ? " epochs %" G_GINT64_FORMAT
                      : " max_steps %" G_GINT64_FORMAT, act->n);
            }
          else if (act->kind == NW_LESSON_ACTION_SAVE || act->kind == NW_LESSON_ACTION_RESTORE)
            printf (" %s", act->slot);
          printf ("\n");
        }
      for (guint c = 0; c < step->checks->len; c++)
        {
          const NwLessonCheck *check = g_ptr_array_index (step->checks, c);
          printf ("   ? %s (%s)\n", nw_lesson_text_get (&check->label, lang), nw_lesson_metric_name (check->metric));
        }
    }
}

static int
lesson_show (Opts *o, int argc, char **argv)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("The whole lesson as a lesson file, its specs included"), NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &o->lang_opt, N_("The texts' language: ko or en (default: the locale's)"), N_("LANG") },
    { NULL }
  };
  g_autoptr (NwCourse) course = NULL;
  g_autoptr (NwLesson) lesson = NULL;
  g_autofree char **rest = NULL;
  int n_rest = 0;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;

  if (!parse ("lesson show", _("ID|FILE"), _("Shows a lesson of the course (by its id) or a lesson file: an outline, or with\n--json the whole lesson file."),
              entries, argc, argv, &rest, &n_rest, &status)
      || !resolve_lang (o, "lesson show", &status))
    return status;
  if (n_rest != 2)
    return n_rest < 2 ? nw_cli_usage ("lesson show", _("which lesson? give its id or file"))
                                    : nw_cli_usage ("lesson show", _("unexpected argument '%s'"), rest[2]);
  if ((lesson = load_lesson (rest[1], &course, &error)) == NULL)
    return nw_cli_fail (error);
  if (o->json)
    {
      g_autofree char *json = nw_lesson_to_json (lesson);
      fputs (json, stdout);
    }
  else
    print_outline (lesson, o->lang);
  return NW_CLI_EXIT_OK;
}

/* check ---------------------------------------------------------------------------------- */

static NwBackend *
make_opencl (gpointer user_data, char **why, GError **error)
{
  const NwAppEnv *env = user_data;
  return nw_backend_cl_new (env->cl.device, &env->cl, error);
}

static void
fmt_number (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  if (isnan (v))
    g_strlcpy (buf, "-", G_ASCII_DTOSTR_BUF_SIZE);
  else
    g_snprintf (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6g", v);
}

/* What the check expects, as a person reads it: "≈ 0.6931 ± 0.001", "< 0.5", "< 'stuck'". */
static char *
expected_text (const NwLessonCheck *c)
{
  char v[G_ASCII_DTOSTR_BUF_SIZE], t[G_ASCII_DTOSTR_BUF_SIZE];
  fmt_number (v, c->value);
  fmt_number (t, c->tol);
  switch (c->compare)
    {
    case NW_LESSON_COMPARE_NEAR:        return g_strdup_printf ("%s ± %s", v, t);
    case NW_LESSON_COMPARE_BELOW:       return g_strdup_printf ("< %s", v);
    case NW_LESSON_COMPARE_ABOVE:       return g_strdup_printf ("> %s", v);
    case NW_LESSON_COMPARE_BELOW_CHECK: return g_strdup_printf ("< '%s'", c->other);
    case NW_LESSON_COMPARE_ABOVE_CHECK: return g_strdup_printf ("> '%s'", c->other);
    case NW_LESSON_COMPARE_NEAR_CHECK:  return g_strdup_printf ("'%s' ± %s", c->other, t);
    case NW_LESSON_COMPARE_REPORT:
    default:                            return g_strdup (_("(reported)"));
    }
}

static void
on_result (const NwLessonCheckResult *r, gpointer user_data)
{
  Opts *o = user_data;
  const NwLessonCheck *c = r->check;
  g_autofree char *expected = expected_text (c);
  char figure[G_ASCII_DTOSTR_BUF_SIZE];

  switch (r->status)
    {
    case NW_LESSON_RESULT_PASS:     o->n_pass++; break;
    case NW_LESSON_RESULT_FAIL:     o->n_fail++; break;
    case NW_LESSON_RESULT_SKIPPED:  o->n_skipped++; break;
    case NW_LESSON_RESULT_REPORTED:
    default:                        o->n_reported++; break;
    }
  if (o->json)
    {
      NwJsonWriter *w = nw_cli_json_new ("check");
      nw_json_string (w, "lesson", o->lesson->id);
      nw_json_int (w, "step", r->step_index + 1);
      nw_json_string (w, "step_id", r->step->id);
      nw_json_string (w, "metric", nw_lesson_metric_name (c->metric));
      nw_json_string (w, "label", nw_lesson_text_get (&c->label, o->lang));
      nw_json_double (w, "figure", r->figure);
      nw_json_string (w, "compare", nw_lesson_compare_name (c->compare));
      nw_json_double (w, "expected", r->expected);
      if (c->compare == NW_LESSON_COMPARE_NEAR || c->compare == NW_LESSON_COMPARE_NEAR_CHECK)
        nw_json_double (w, "tol", c->tol);
      nw_json_string (w, "status", r->status == NW_LESSON_RESULT_FAIL ? "fail"
                                   : nw_lesson_result_status_name (r->status));
      nw_json_string (w, "reason", r->reason);
      nw_cli_json_print (w);
      return;
    }
  fmt_number (figure, r->figure);
  /* The verdicts stay as they are ("pass", "FAIL", "skipped"): scripts grep them. */
  if (r->status == NW_LESSON_RESULT_SKIPPED)
    /* Translators: lesson id, step number, the check's label, its figure, what it expects, and
     * why it was skipped; keep "skipped" */
    printf (_("%s  step %u  %s: %s (expected %s)  skipped (%s)\n"), o->lesson->id, r->step_index + 1,
            nw_lesson_text_get (&c->label, o->lang), figure, expected, r->reason);
  else if (r->status == NW_LESSON_RESULT_FAIL && r->reason != NULL)
    printf (_("%s  step %u  %s: %s (expected %s)  FAIL: %s\n"), o->lesson->id, r->step_index + 1,
            nw_lesson_text_get (&c->label, o->lang), figure, expected, r->reason);
  else
    printf (_("%s  step %u  %s: %s (expected %s)  %s\n"), o->lesson->id, r->step_index + 1,
            nw_lesson_text_get (&c->label, o->lang), figure, expected,
            r->status == NW_LESSON_RESULT_REPORTED ? "report" : nw_lesson_result_status_name (r->status));
  fflush (stdout);
}

static gboolean
check_one (Opts *o, const NwLesson *lesson, GError **error)
{
  NwLessonCheckOptions opts = { 0 };
  g_autoptr (GPtrArray) results = NULL;

  opts.data_root = o->env->data_root;
  opts.on_result = on_result;
  opts.user_data = o;
  if (g_strcmp0 (o->backend, "cpu") != 0)
    {
      opts.opencl = make_opencl;
      opts.opencl_data = (gpointer) o->env;
      opts.start_on_opencl = g_strcmp0 (o->backend, "opencl") == 0;
    }
  o->lesson = lesson;
  return nw_lesson_check (lesson, &opts, &results, error);
}

static int
lesson_check (Opts *o, int argc, char **argv)
{
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &o->all, N_("Every lesson of the course, in order"), NULL },
    { "course", 0, 0, G_OPTION_ARG_FILENAME, &o->course_dir,
      N_("With --all: the course in this folder (its course.json and lesson files) instead of the built-in one"),
      N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("One JSON object per check, and a summary"), NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &o->lang_opt, N_("The labels' language: ko or en (default: the locale's)"), N_("LANG") },
    { "backend", 0, 0, G_OPTION_ARG_STRING, &o->backend,
      N_("cpu (no OpenCL at all), opencl (every run on OpenCL) or auto (default: the CPU, and OpenCL for the steps that ask for it); without it, NW_BACKEND's choice"),
      N_("KIND") },
    { NULL }
  };
  g_autoptr (NwCourse) course = NULL;
  g_autofree char **rest = NULL;
  int n_rest = 0;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;
  guint n_lessons = 0, n_broken = 0;
  double t0 = nw_cli_now ();

  if (!parse ("lesson check", _("ID|FILE|--all"),
              _("Runs a lesson's steps headless and prints each check's figure with pass or FAIL\n"
                "(or skipped, and why). Exits 1 when a check fails or a lesson does not load or run."),
              entries, argc, argv, &rest, &n_rest, &status)
      || !resolve_lang (o, "lesson check", &status))
    return status;
  /* Without --backend, NW_BACKEND's choice (its "cl" is "opencl" here). */
  if (o->backend == NULL && o->env->backend != NULL)
    o->backend = g_strdup (strcmp (o->env->backend, "cl") == 0 ? "opencl" : o->env->backend);
  if (o->backend != NULL && strcmp (o->backend, "cpu") != 0 && strcmp (o->backend, "opencl") != 0
      && strcmp (o->backend, "auto") != 0)
    return nw_cli_usage ("lesson check", _("--backend: unknown backend '%s'; choose cpu, opencl or auto"), o->backend);
  if (o->course_dir != NULL && !o->all)
    return nw_cli_usage ("lesson check", _("--course goes with --all"));
  if (o->all ? n_rest != 1 : n_rest != 2)
    return o->all ? nw_cli_usage ("lesson check", _("--all checks every lesson: give no id or file"))
           : n_rest < 2 ? nw_cli_usage ("lesson check", _("which lesson? give its id or file, or --all"))
           : nw_cli_usage ("lesson check", _("unexpected argument '%s'"), rest[2]);
  if (o->all)
    {
      GPtrArray *lessons;
      course = o->course_dir != NULL ? nw_course_load_dir (o->course_dir, &error)
                                     : nw_course_load_builtin (&error);
      if (course == NULL)
        return nw_cli_fail (error);
      lessons = nw_course_get_lessons (course);
      /* A lesson that cannot be run is reported and the others still run: a teacher checking
       * the course before class wants every verdict, not the first fault. */
      for (guint i = 0; i < lessons->len; i++)
        {
          const NwLesson *lesson = g_ptr_array_index (lessons, i);
          if (!check_one (o, lesson, &error))
            {
              /* Translators: "neurowire-cli lesson check --all": a lesson's id and why it could
               * not be checked; the others go on */
              g_printerr (_("neurowire-cli: lesson %s could not be checked: %s\n"), lesson->id,
                          error->message);
              g_clear_error (&error);
              n_broken++;
            }
          n_lessons++;
        }
    }
  else
    {
      g_autoptr (NwLesson) lesson = load_lesson (rest[1], &course, &error);
      if (lesson == NULL || !check_one (o, lesson, &error))
        return nw_cli_fail (error);
      n_lessons = 1;
    }
  if (o->json)
    {
      NwJsonWriter *w = nw_cli_json_new ("summary");
      nw_json_int (w, "lessons", n_lessons);
      nw_json_int (w, "pass", o->n_pass);
      nw_json_int (w, "fail", o->n_fail);
      nw_json_int (w, "skipped", o->n_skipped);
      nw_json_int (w, "reported", o->n_reported);
      nw_json_int (w, "not_checked", n_broken);
      nw_json_double (w, "seconds", nw_cli_now () - t0);
      nw_cli_json_print (w);
    }
  else
    /* Translators: the summary of "neurowire-cli lesson check": counts of lessons and checks */
    printf (g_dngettext (GETTEXT_PACKAGE, "%u lesson: %d passed, %d failed, %d skipped, %d reported (%.1f s)\n",
                         "%u lessons: %d passed, %d failed, %d skipped, %d reported (%.1f s)\n", n_lessons),
            n_lessons, o->n_pass, o->n_fail, o->n_skipped, o->n_reported, nw_cli_now () - t0);
  if (n_broken > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u lesson could not be checked\n",
                         "%u lessons could not be checked\n", n_broken), n_broken);
  return o->n_fail > 0 || n_broken > 0 ? NW_CLI_EXIT_FAILED : NW_CLI_EXIT_OK;
}

int
nw_cli_lesson (const NwAppEnv *env, int argc, char **argv)
{
  Opts o = { 0 };
  int status;

  o.env = env;
  if (argc < 2)
    return nw_cli_usage ("lesson", _("no action given: list, show or check"));
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      fputs (_("Usage:\n"
               "  neurowire-cli lesson list [--json] [--lang ko|en]\n"
               "  neurowire-cli lesson show ID|FILE [--json] [--lang ko|en]\n"
               "  neurowire-cli lesson check ID|FILE|--all [--course DIR] [--json] [--lang ko|en] [--backend cpu|opencl|auto]\n"
               "\n"
               "The course's lessons, and lesson files (docs/lesson-format.md).\n"
               "'neurowire-cli lesson ACTION --help' shows an action's options.\n"), stdout);
      return NW_CLI_EXIT_OK;
    }
  {
    const char *action = argv[1];
    /* The action's own options follow it: argv[1..] is "ACTION OPTION..." with ACTION in
     * the program's place. */
    if (strcmp (action, "list") == 0)
      status = lesson_list (&o, argc - 1, argv + 1);
    else if (strcmp (action, "show") == 0)
      status = lesson_show (&o, argc - 1, argv + 1);
    else if (strcmp (action, "check") == 0)
      status = lesson_check (&o, argc - 1, argv + 1);
    else
      status = nw_cli_usage ("lesson", _("unknown action '%s': list, show or check"), action);
  }
  g_free (o.lang_opt);
  g_free (o.backend);
  g_free (o.course_dir);
  return status;
}
