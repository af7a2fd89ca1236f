/* test-lesson.c: lesson files (docs/lesson-format.md): every field read, bad files refused
 * naming the file, the step and the field, the writer's round trip, the spec-level actions,
 * the course loader, hand-typed weights, and the headless checker on the fixtures in
 * tests/lessons/ (XOR data: fast). */
#include "nw-test.h"
#include "nw-lesson.h"
#include "nw-lesson-check.h"
#include "nw-trainer.h"
#include "nw-data.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static char *
fixture_path (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("tests/lessons/%s", name);
  return nw_test_source_path (rel);
}

static char *
fixture_text (const char *name)
{
  g_autofree char *path = fixture_path (name);
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  return text;
}

static NwLesson *
load_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  GError *error = NULL;
  NwLesson *l = nw_lesson_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (l);
  return l;
}

static GPtrArray *
check_lesson (const NwLesson *l, const NwLessonCheckOptions *opts)
{
  GPtrArray *results = NULL;
  GError *error = NULL;
  CU_ASSERT_TRUE (nw_lesson_check (l, opts, &results, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (results);
  return results;
}

static const NwLessonCheckResult *
result_by_label (GPtrArray *results, const char *label_en)
{
  for (guint i = 0; i < results->len; i++)
    {
      const NwLessonCheckResult *r = g_ptr_array_index (results, i);
      if (strcmp (r->check->label.en, label_en) == 0)
        return r;
    }
  g_printerr ("no result labelled '%s'\n", label_en);
  CU_FAIL_FATAL ("result not found");
  return NULL;
}

/* ---- reading --------------------------------------------------------------------------- */

static void
test_parse_all_fields (void)
{
  g_autoptr (NwLesson) l = load_fixture ("all-fields.json");
  const NwLessonStep *s1, *s2;
  const NwLessonAction *a;
  const NwLessonCheck *c;
  const NwLessonParam *p;

  CU_ASSERT_STRING_EQUAL (l->id, "all-fields");
  CU_ASSERT_STRING_EQUAL (l->origin, "all-fields.json");
  CU_ASSERT_STRING_EQUAL (l->chapter.ko, "테스트");
  CU_ASSERT_STRING_EQUAL (l->chapter.en, "Tests");
  CU_ASSERT_STRING_EQUAL (l->title.en, "Test all-fields");
  CU_ASSERT_STRING_EQUAL (l->summary.ko, "시험용 수업");
  CU_ASSERT_EQUAL (l->minutes, 1);
  CU_ASSERT_STRING_EQUAL (l->notes, "000");
  CU_ASSERT_PTR_NOT_NULL_FATAL (l->spec);
  CU_ASSERT_EQUAL (l->spec->nodes->len, 7);
  CU_ASSERT_EQUAL (l->spec->train.optimizer, NW_OPT_ADAM);
  CU_ASSERT_EQUAL (l->networks->len, 0);
  CU_ASSERT_EQUAL (l->views, NW_LESSON_BIT (NW_LESSON_VIEW_LOSS));
  CU_ASSERT_EQUAL (l->hidden, NW_LESSON_BIT (NW_LESSON_CONTROL_FILES) | NW_LESSON_BIT (NW_LESSON_CONTROL_SEED));
  CU_ASSERT_EQUAL_FATAL (l->locks->len, 2);
  CU_ASSERT_EQUAL (((NwLessonLock *) g_ptr_array_index (l->locks, 0))->control, NW_LESSON_CONTROL_LR);
  CU_ASSERT_STRING_EQUAL (nw_lesson_find_lock (l, NW_LESSON_CONTROL_PACE)->reason.en, "The pace is set.");
  CU_ASSERT_PTR_NULL (nw_lesson_find_lock (l, NW_LESSON_CONTROL_DATA));
  CU_ASSERT_EQUAL (l->pace, 0);
  CU_ASSERT_EQUAL_FATAL (l->steps->len, 2);

  s1 = g_ptr_array_index (l->steps, 0);
  CU_ASSERT_STRING_EQUAL (s1->id, "one");
  CU_ASSERT_STRING_EQUAL (s1->title.ko, "하나");
  CU_ASSERT (strstr (s1->text.en, "σ'(z) = σ(z)(1 − σ(z))") != NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (s1->question);
  CU_ASSERT_EQUAL (s1->question->choices->len, 3);
  CU_ASSERT_EQUAL (s1->question->answer, 2);
  CU_ASSERT_STRING_EQUAL (((NwLessonText *) g_ptr_array_index (s1->question->choices, 1))->ko, "나");
  CU_ASSERT_STRING_EQUAL (s1->question->explain.en, "Because.");
  CU_ASSERT_EQUAL_FATAL (s1->actions->len, 11);
  a = g_ptr_array_index (s1->actions, 0);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_PACE);
  CU_ASSERT_EQUAL (a->steps_per_s, 50);
  a = g_ptr_array_index (s1->actions, 1);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_SHOW);
  CU_ASSERT_EQUAL (a->views, NW_LESSON_BIT (NW_LESSON_VIEW_BOUNDARY) | NW_LESSON_BIT (NW_LESSON_VIEW_ACTIVATIONS)
                             | NW_LESSON_BIT (NW_LESSON_VIEW_WEIGHTS));
  a = g_ptr_array_index (s1->actions, 2);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_MODE);
  CU_ASSERT_EQUAL (a->mode, NW_LESSON_MODE_EVAL);
  a = g_ptr_array_index (s1->actions, 3);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_ENABLE);
  CU_ASSERT_STRING_EQUAL (a->node, "drop");
  CU_ASSERT_FALSE (a->on);
  a = g_ptr_array_index (s1->actions, 4);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_SET);
  CU_ASSERT_STRING_EQUAL (a->field, "training.optimizer");
  CU_ASSERT_EQUAL (a->value_type, NW_LESSON_VALUE_STRING);
  CU_ASSERT_STRING_EQUAL (a->string, "momentum");
  a = g_ptr_array_index (s1->actions, 6);
  CU_ASSERT_EQUAL (a->value_type, NW_LESSON_VALUE_NUMBER);
  CU_ASSERT_EQUAL (a->number, 7);
  CU_ASSERT_EQUAL (((NwLessonAction *) g_ptr_array_index (s1->actions, 7))->kind, NW_LESSON_ACTION_RESET);
  a = g_ptr_array_index (s1->actions, 8);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_WEIGHTS);
  CU_ASSERT_EQUAL_FATAL (a->params->len, 1);
  p = g_ptr_array_index (a->params, 0);
  CU_ASSERT_STRING_EQUAL (p->node, "fc2");
  CU_ASSERT_TRUE (p->bias);
  CU_ASSERT_EQUAL (p->rank, 1);
  CU_ASSERT_EQUAL (p->rows, 1);
  CU_ASSERT_EQUAL (p->values[0], 0.25);
  a = g_ptr_array_index (s1->actions, 9);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_TRAIN);
  CU_ASSERT_EQUAL (a->until, NW_LESSON_UNTIL_EPOCHS);
  CU_ASSERT_EQUAL (a->n, 30);
  a = g_ptr_array_index (s1->actions, 10);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_SAVE);
  CU_ASSERT_STRING_EQUAL (a->slot, "a.1");

  CU_ASSERT_EQUAL_FATAL (s1->checks->len, 8);
  c = g_ptr_array_index (s1->checks, 0);
  CU_ASSERT_EQUAL (c->metric, NW_LESSON_METRIC_EPOCH);
  CU_ASSERT_EQUAL (c->compare, NW_LESSON_COMPARE_NEAR);
  CU_ASSERT_EQUAL (c->value, 30);
  CU_ASSERT_EQUAL (c->tol, 0);
  CU_ASSERT_STRING_EQUAL (c->name, "ep");
  CU_ASSERT_EQUAL (c->at_step, -1);
  c = g_ptr_array_index (s1->checks, 1);
  CU_ASSERT_EQUAL (c->compare, NW_LESSON_COMPARE_ABOVE);
  CU_ASSERT_EQUAL (c->value, -1);
  c = g_ptr_array_index (s1->checks, 3);
  CU_ASSERT_EQUAL (c->metric, NW_LESSON_METRIC_GRAD_NORM);
  CU_ASSERT_STRING_EQUAL (c->node, "fc1");
  c = g_ptr_array_index (s1->checks, 5);
  CU_ASSERT_EQUAL (c->metric, NW_LESSON_METRIC_OUTPUT);
  CU_ASSERT_EQUAL (c->example, 3);
  CU_ASSERT_EQUAL (c->compare, NW_LESSON_COMPARE_REPORT);
  c = g_ptr_array_index (s1->checks, 7);
  CU_ASSERT_EQUAL (c->at_step, 10);
  CU_ASSERT_PTR_EQUAL (nw_lesson_find_check (l, "ep", NULL), g_ptr_array_index (s1->checks, 0));

  s2 = g_ptr_array_index (l->steps, 1);
  CU_ASSERT_PTR_NULL (s2->question);
  a = g_ptr_array_index (s2->actions, 0);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_DEVICE);
  CU_ASSERT_EQUAL (a->device, NW_LESSON_DEVICE_OPENCL);
  a = g_ptr_array_index (s2->actions, 1);
  CU_ASSERT_EQUAL (a->until, NW_LESSON_UNTIL_LOSS_BELOW);
  CU_ASSERT_EQUAL (a->loss, 0.2);
  CU_ASSERT_EQUAL (a->n, 500);
  CU_ASSERT_EQUAL (((NwLessonAction *) g_ptr_array_index (s2->actions, 2))->device, NW_LESSON_DEVICE_CPU);
  CU_ASSERT_EQUAL (((NwLessonAction *) g_ptr_array_index (s2->actions, 3))->kind, NW_LESSON_ACTION_RESTORE);
  a = g_ptr_array_index (s2->actions, 4);
  CU_ASSERT_EQUAL (a->kind, NW_LESSON_ACTION_LOAD);
  CU_ASSERT_STRING_EQUAL (a->network, "start");
}

static void
test_names_and_texts (void)
{
  NwLessonText t = { (char *) "한국어", (char *) "English" };
  for (int v = 0; v < NW_LESSON_N_VIEWS; v++)
    CU_ASSERT_EQUAL (nw_lesson_view_from_name (nw_lesson_view_name (v)), v);
  for (int c = 0; c < NW_LESSON_N_CONTROLS; c++)
    CU_ASSERT_EQUAL (nw_lesson_control_from_name (nw_lesson_control_name (c)), c);
  for (int a = 0; a < NW_LESSON_N_ACTIONS; a++)
    CU_ASSERT_EQUAL (nw_lesson_action_from_name (nw_lesson_action_name (a)), a);
  for (int m = 0; m < NW_LESSON_N_METRICS; m++)
    CU_ASSERT_EQUAL (nw_lesson_metric_from_name (nw_lesson_metric_name (m)), m);
  CU_ASSERT_EQUAL (nw_lesson_view_from_name ("boundary"), NW_LESSON_VIEW_BOUNDARY);
  CU_ASSERT_EQUAL (nw_lesson_view_from_name ("Boundary"), -1);
  CU_ASSERT_EQUAL (nw_lesson_control_from_name ("switches"), NW_LESSON_CONTROL_SWITCHES);
  CU_ASSERT_PTR_NULL (nw_lesson_view_name (NW_LESSON_N_VIEWS));
  CU_ASSERT_STRING_EQUAL (nw_lesson_text_get (&t, "ko"), "한국어");
  CU_ASSERT_STRING_EQUAL (nw_lesson_text_get (&t, "en"), "English");
  CU_ASSERT_STRING_EQUAL (nw_lesson_text_get (&t, "fr"), "English");
  /* The tests run with LANGUAGE=C. */
  CU_ASSERT_STRING_EQUAL (nw_lesson_lang_from_locale (), "en");
}

/* A bad file: perceptron.json with `from` replaced by `to`, refused with an error holding
 * every needle. */
static void
assert_refused (const char *from, const char *to, ...)
{
  g_autofree char *good = fixture_text ("perceptron.json");
  g_autoptr (GString) bad = g_string_new (good);
  g_autoptr (GError) error = NULL;
  g_autoptr (NwLesson) l = NULL;
  const char *needle;
  va_list ap;

  if (strstr (good, from) == NULL)
    {
      g_printerr ("fixture lacks \"%s\"\n", from);
      CU_FAIL_FATAL ("bad test: the fixture lacks the text to replace");
    }
  g_string_replace (bad, from, to, 1);
  l = nw_lesson_from_json (bad->str, (gssize) bad->len, "perceptron.json", &error);
  CU_ASSERT_PTR_NULL (l);
  if (error == NULL)
    {
      g_printerr ("accepted: \"%s\" -> \"%s\"\n", from, to);
      CU_FAIL ("a bad lesson was accepted");
      return;
    }
  CU_ASSERT (g_error_matches (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID));
  CU_ASSERT (g_str_has_prefix (error->message, "perceptron.json: "));
  va_start (ap, to);
  while ((needle = va_arg (ap, const char *)) != NULL)
    if (strstr (error->message, needle) == NULL)
      {
        g_printerr ("error \"%s\" lacks \"%s\"\n", error->message, needle);
        CU_FAIL ("error message lacks an expected part");
      }
  va_end (ap);
}

static void
test_bad_files (void)
{
  /* The three: unknown action, bad spec, missing language. */
  assert_refused ("\"do\": \"train\"", "\"do\": \"trian\"",
                  "perceptron.json: step 1 ('stuck'): action 1: unknown action \"trian\"", NULL);
  assert_refused ("\"lr\": 1.0, \"batch_size\": 0, \"steps\": 10001, \"seed\": 1}\n  },",
                  "\"lr\": -1, \"batch_size\": 0, \"steps\": 10001, \"seed\": 1}\n  },",
                  "perceptron.json: spec: training", "'lr'", NULL);
  assert_refused ("{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 1}",
                  "{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 1, \"colour\": 3}",
                  "spec: node 'fc1'", "colour", NULL);
  assert_refused ("\"en\": \"Watch the loss.\"", "\"en\": \"\"",
                  "step 1 ('stuck'): 'text': the \"en\" text is missing or empty", NULL);
  assert_refused ("\"text\": {\"ko\": \"손실을 보세요.\", \"en\": \"Watch the loss.\"}",
                  "\"text\": {\"en\": \"Watch the loss.\"}",
                  "step 1 ('stuck')", "\"ko\" text is missing", NULL);
  assert_refused ("\"title\": {\"ko\": \"퍼셉트론과 XOR\", \"en\": \"The perceptron and XOR\"}",
                  "\"title\": {\"ko\": \"퍼셉트론과 XOR\"}", "perceptron.json: 'title'", "\"en\"", NULL);
  assert_refused ("\"title\": {\"ko\": \"퍼셉트론과 XOR\", \"en\": \"The perceptron and XOR\"}",
                  "\"title\": \"The perceptron and XOR\"", "'title' must be a text in both languages", NULL);
  /* A load of an unknown network. */
  assert_refused ("{\"do\": \"load\", \"network\": \"hidden\"}", "{\"do\": \"load\", \"network\": \"hiden\"}",
                  "step 2 ('hidden-layer'): action 1: 'network'", "\"hiden\"", NULL);
  /* below_check to an unknown name and to a later check. */
  assert_refused ("\"below_check\": \"stuck\"", "\"below_check\": \"nothere\"",
                  "step 2 ('hidden-layer'): check 1: 'below_check': no earlier check is named \"nothere\"", NULL);
  assert_refused ("\"near\": 0.6931, \"tol\": 0.001, \"name\": \"early\"",
                  "\"below_check\": \"stuck\", \"name\": \"early\"",
                  "step 1 ('stuck'): check 1: 'below_check': no earlier check is named \"stuck\"", NULL);
  /* near_check needs its tol; tol goes with near or near_check only. */
  assert_refused ("\"below_check\": \"stuck\"", "\"near_check\": \"stuck\"",
                  "step 2 ('hidden-layer'): check 1", "'tol'", NULL);
  assert_refused ("\"below_check\": \"stuck\"", "\"below_check\": \"stuck\", \"tol\": 1",
                  "step 2 ('hidden-layer'): check 1: 'tol' goes with \"near\" or \"near_check\"", NULL);
  assert_refused ("\"below_check\": \"stuck\"", "\"near_check\": \"nothere\", \"tol\": 1",
                  "'near_check': no earlier check is named \"nothere\"", NULL);
  /* A check compares with itself: not earlier either. */
  assert_refused ("\"near\": 0.6931, \"tol\": 0.001, \"name\": \"early\"",
                  "\"below_check\": \"early\", \"name\": \"early\"", "check 1", "\"early\"", NULL);
  assert_refused ("\"name\": \"stuck\"", "\"name\": \"early\"", "check 2: 'name'", "already named \"early\"", NULL);
  /* The question's answer out of range. */
  assert_refused ("\"answer\": 1", "\"answer\": 2",
                  "step 1 ('stuck'): question: 'answer' is 2, but the choices are numbered 0 to 1", NULL);
  assert_refused ("\"answer\": 1", "\"answer\": -1", "question", "'answer'", NULL);
  /* Unknown view and control. */
  assert_refused ("\"views\": [\"boundary\", \"loss\"]", "\"views\": [\"boundary\", \"los\"]",
                  "perceptron.json: 'views': unknown view \"los\"", NULL);
  assert_refused ("\"show\", \"views\": [\"boundary\", \"maps\", \"loss\"]",
                  "\"show\", \"views\": [\"boundary\", \"map\", \"loss\"]",
                  "step 2 ('hidden-layer'): action 4: 'views': unknown view \"map\"", NULL);
  assert_refused ("\"hidden\": [\"device\", \"files\"]", "\"hidden\": [\"device\", \"filez\"]",
                  "'hidden': unknown control \"filez\"", NULL);
  assert_refused ("{\"control\": \"optimizer\"", "{\"control\": \"optimiser\"",
                  "lock 1: 'control': unknown control \"optimiser\"", NULL);
  /* Checks: the metric, exactly one comparison, tol with near. */
  assert_refused ("{\"metric\": \"step\"", "{\"metric\": \"steps\"", "step 1 ('stuck'): check 3: unknown metric \"steps\"", NULL);
  assert_refused ("\"near\": 2000, \"tol\": 0,", "\"near\": 2000, \"tol\": 0, \"below\": 3,", "check 3", "exactly one of", NULL);
  assert_refused ("\"near\": 2000, \"tol\": 0,", "\"near\": 2000,", "check 3: 'tol' is missing", NULL);
  assert_refused ("\"near\": 2000, \"tol\": 0,", "\"report\": false,", "check 3", "'report'", NULL);
  /* Actions' fields. */
  assert_refused ("\"field\": \"training.lr\", \"value\": 2", "\"field\": \"training.learning_rate\", \"value\": 2",
                  "step 2 ('hidden-layer'): action 2", "training.learning_rate", NULL);
  assert_refused ("\"field\": \"training.lr\", \"value\": 2", "\"field\": \"training.lr\", \"value\": -2",
                  "step 2 ('hidden-layer'): action 2", "'lr'", NULL);
  assert_refused ("\"field\": \"training.lr\", \"value\": 2", "\"field\": \"nodes.fc9.units\", \"value\": 2",
                  "action 2", "no node 'fc9'", NULL);
  assert_refused ("\"field\": \"training.lr\", \"value\": 2", "\"field\": \"nodes.act1.activation\", \"value\": \"sigmoidal\"",
                  "action 2", "'activation'", "sigmoidal", NULL);
  assert_refused ("{\"do\": \"train\", \"until\": {\"step\": 2000}}", "{\"do\": \"train\", \"until\": {\"steps\": 2000}}",
                  "step 1 ('stuck'): action 1: unknown field 'steps'", NULL);
  assert_refused ("{\"do\": \"train\", \"until\": {\"step\": 2000}}", "{\"do\": \"train\", \"until\": {\"loss_below\": 0.1}}",
                  "action 1: 'max_steps' is missing", NULL);
  assert_refused ("{\"do\": \"train\", \"until\": {\"step\": 2000}}", "{\"do\": \"enable\", \"node\": \"fc1\", \"on\": false}",
                  "action 1", "node 'fc1' is a dense node", NULL);
  assert_refused ("{\"do\": \"train\", \"until\": {\"step\": 2000}}", "{\"do\": \"restore\", \"slot\": \"s\"}",
                  "action 1: 'slot': no earlier action saves slot \"s\"", NULL);
  assert_refused ("{\"do\": \"train\", \"until\": {\"step\": 2000}}",
                  "{\"do\": \"weights\", \"values\": {\"fc1.weight\": [[1, 2], [3, 4]]}}",
                  "action 1: 'fc1.weight' has 2 rows, but node 'fc1' has 1 units", NULL);
  assert_refused ("{\"do\": \"train\", \"until\": {\"step\": 2000}}",
                  "{\"do\": \"weights\", \"values\": {\"fc1.kernel\": [[1, 2]]}}",
                  "action 1", "NODE.weight or NODE.bias", NULL);
  assert_refused ("{\"do\": \"train\", \"until\": {\"step\": 2000}}", "{\"do\": \"mode\", \"view\": \"test\"}",
                  "action 1: 'view' is \"train\" or \"eval\"", NULL);
  assert_refused ("{\"do\": \"train\", \"until\": {\"step\": 2000}}", "{\"do\": \"device\", \"backend\": \"gpu\"}",
                  "action 1: 'backend'", NULL);
  /* The document. */
  assert_refused ("\"format\": \"neurowire-lesson\"", "\"format\": \"neurowire-spec\"", "'format'", NULL);
  assert_refused ("\"version\": 1,\n  \"id\"", "\"version\": 2,\n  \"id\"", "unsupported version 2", NULL);
  assert_refused ("\"id\": \"perceptron\"", "\"id\": \"Perceptron\"", "'id'", NULL);
  assert_refused ("\"id\": \"hidden-layer\"", "\"id\": \"stuck\"", "step 2 ('stuck')", "already called 'stuck'", NULL);
  assert_refused ("\"minutes\": 5", "\"minutes\": 0", "'minutes'", NULL);
  assert_refused ("\"pace\": 200", "\"pace\": -1", "'pace'", NULL);
  assert_refused ("\"pace\": 200", "\"pase\": 200", "unknown field 'pase'", NULL);
  assert_refused ("\"networks\": {\n    \"hidden\"", "\"networks\": {\n    \"start\"", "'networks'", NULL);
  assert_refused ("\"pace\": 200,", "\"pace\": 200,,", "perceptron.json: line ", NULL);
}

/* ---- writing --------------------------------------------------------------------------- */

static void
test_round_trip (void)
{
  static const char *const names[] = {
    "perceptron.json", "all-fields.json", "hand-weights.json", "save-restore.json", "diverge.json",
    "wrong-check.json",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (NwLesson) l = load_fixture (names[i]);
      g_autofree char *json = nw_lesson_to_json (l);
      g_autofree char *again = NULL;
      g_autofree char *path = nw_test_path (names[i]);
      g_autoptr (NwLesson) back = NULL, saved = NULL, copy = NULL;
      GError *error = NULL;

      back = nw_lesson_from_json (json, -1, names[i], &error);
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (back);
      CU_ASSERT_TRUE (nw_lesson_equal (l, back));
      again = nw_lesson_to_json (back);
      CU_ASSERT_STRING_EQUAL (json, again);
      CU_ASSERT_TRUE (g_str_has_suffix (json, "}\n"));
      /* Specs inside are whole neurowire-spec documents. */
      CU_ASSERT_PTR_NOT_NULL (strstr (json, "\"format\": \"neurowire-spec\""));
      /* The same fields as read: the steps, the spec's nodes. */
      CU_ASSERT_EQUAL (back->steps->len, l->steps->len);
      CU_ASSERT_EQUAL (back->spec->nodes->len, l->spec->nodes->len);
      CU_ASSERT_EQUAL (back->spec->train.lr, l->spec->train.lr);

      CU_ASSERT_TRUE (nw_lesson_save (l, path, &error));
      NW_ASSERT_NO_ERROR (error);
      saved = nw_lesson_load (path, &error);
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT_TRUE (nw_lesson_equal (l, saved));
      copy = nw_lesson_copy (l);
      CU_ASSERT_TRUE (nw_lesson_equal (l, copy));
      CU_ASSERT_TRUE (nw_lesson_validate (copy, &error));
      NW_ASSERT_NO_ERROR (error);
      g_unlink (path);
    }
  {
    /* A change is seen. */
    g_autoptr (NwLesson) a = load_fixture ("perceptron.json");
    g_autoptr (NwLesson) b = nw_lesson_copy (a);
    NwLessonStep *s = g_ptr_array_index (b->steps, 0);
    nw_lesson_text_set (&s->text, "다름", "different");
    CU_ASSERT_FALSE (nw_lesson_equal (a, b));
    b->spec->train.lr = 0.5;
    nw_lesson_text_set (&s->text, a->steps->pdata[0] != NULL ? ((NwLessonStep *) a->steps->pdata[0])->text.ko : "",
                        ((NwLessonStep *) a->steps->pdata[0])->text.en);
    CU_ASSERT_FALSE (nw_lesson_equal (a, b));
  }
  {
    /* Saving over a file in a folder that does not exist fails and says where. */
    g_autoptr (NwLesson) l = load_fixture ("perceptron.json");
    g_autofree char *path = nw_test_path ("no/such/folder/x.json");
    GError *error = NULL;
    CU_ASSERT_FALSE (nw_lesson_save (l, path, &error));
    NW_ASSERT_ERROR (error, NW_LESSON_ERROR, NW_LESSON_ERROR_IO, "x.json", NULL);
  }
}

/* ---- the spec-level actions ------------------------------------------------------------ */

static void
test_apply_to_spec (void)
{
  g_autoptr (NwLesson) l = load_fixture ("perceptron.json");
  g_autoptr (NwSpec) spec = nw_spec_copy (l->spec);
  g_autoptr (NwLessonAction) load = nw_lesson_action_new (NW_LESSON_ACTION_LOAD);
  g_autoptr (NwLessonAction) set = nw_lesson_action_new (NW_LESSON_ACTION_SET);
  g_autoptr (NwLessonAction) enable = nw_lesson_action_new (NW_LESSON_ACTION_ENABLE);
  g_autoptr (NwLessonAction) train = nw_lesson_action_new (NW_LESSON_ACTION_TRAIN);
  GError *error = NULL;
  gboolean new_run = FALSE;
  g_autofree char *before = NULL, *after = NULL;

  /* load: the variant, a new run */
  load->network = g_strdup ("hidden");
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, load, spec, &new_run, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (new_run);
  CU_ASSERT_EQUAL (spec->nodes->len, 6);
  CU_ASSERT_PTR_NOT_NULL (nw_spec_find_node (spec, "fc2"));

  /* set training.*: the run goes on */
  set->field = g_strdup ("training.lr");
  set->value_type = NW_LESSON_VALUE_NUMBER;
  set->number = 0.25;
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FALSE (new_run);
  CU_ASSERT_EQUAL (spec->train.lr, 0.25);
  g_free (set->field);
  set->field = g_strdup ("training.optimizer");
  set->value_type = NW_LESSON_VALUE_STRING;
  set->string = g_strdup ("rmsprop");
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (spec->train.optimizer, NW_OPT_RMSPROP);
  CU_ASSERT_FALSE (new_run);

  /* set nodes.ID.KEY: a new run */
  g_free (set->field);
  set->field = g_strdup ("nodes.act1.activation");
  g_free (set->string);
  set->string = g_strdup ("relu");
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (new_run);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "act1")->activation, NW_ACT_RELU);
  g_free (set->field);
  set->field = g_strdup ("nodes.fc1.units");
  set->value_type = NW_LESSON_VALUE_NUMBER;
  set->number = 5;
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "fc1")->units, 5);

  /* set data.*: a new run */
  g_free (set->field);
  set->field = g_strdup ("data.noise");
  set->number = 0.3;
  new_run = FALSE;
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (new_run);
  CU_ASSERT_EQUAL (spec->data.noise, 0.3);

  /* Errors leave the spec as it was. */
  before = nw_spec_to_json (spec);
  set->number = -1;
  CU_ASSERT_FALSE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, "noise", NULL);
  g_free (set->field);
  set->field = g_strdup ("training.lr");
  set->number = -0.5;
  CU_ASSERT_FALSE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, "'lr'", NULL);
  set->value_type = NW_LESSON_VALUE_STRING;
  CU_ASSERT_FALSE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, "training.lr", "number", NULL);
  g_free (set->field);
  set->field = g_strdup ("nodes.nope.units");
  CU_ASSERT_FALSE (nw_lesson_apply_to_spec (l, set, spec, &new_run, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, "nope", NULL);
  enable->node = g_strdup ("fc1");
  CU_ASSERT_FALSE (nw_lesson_apply_to_spec (l, enable, spec, &new_run, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, "fc1", "Dropout", NULL);
  g_free (load->network);
  load->network = g_strdup ("nothing");
  CU_ASSERT_FALSE (nw_lesson_apply_to_spec (l, load, spec, &new_run, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, "nothing", NULL);
  after = nw_spec_to_json (spec);
  CU_ASSERT_STRING_EQUAL (before, after);

  /* Other actions change nothing. */
  new_run = TRUE;
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, train, spec, &new_run, &error));
  CU_ASSERT_FALSE (new_run);
  g_free (after);
  after = nw_spec_to_json (spec);
  CU_ASSERT_STRING_EQUAL (before, after);

  /* load "start": the lesson's own spec again */
  g_free (load->network);
  load->network = g_strdup ("start");
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, load, spec, &new_run, &error));
  CU_ASSERT_EQUAL (spec->nodes->len, 4);
  CU_ASSERT_EQUAL (spec->train.lr, 1.0);
}

static void
test_enable_on_dropout (void)
{
  g_autoptr (NwLesson) l = load_fixture ("all-fields.json");
  g_autoptr (NwSpec) spec = nw_spec_copy (l->spec);
  g_autoptr (NwLessonAction) enable = nw_lesson_action_new (NW_LESSON_ACTION_ENABLE);
  GError *error = NULL;
  gboolean new_run = TRUE;

  enable->node = g_strdup ("drop");
  enable->on = FALSE;
  CU_ASSERT_TRUE (nw_lesson_apply_to_spec (l, enable, spec, &new_run, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FALSE (new_run);
  CU_ASSERT_FALSE (nw_spec_find_node (spec, "drop")->enabled);
}

/* ---- the course ------------------------------------------------------------------------ */

static void
copy_fixture (const char *dir, const char *name, const char *as)
{
  g_autofree char *text = fixture_text (name);
  g_autofree char *path = g_build_filename (dir, as != NULL ? as : name, NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  NW_ASSERT_NO_ERROR (error);
}

static void
write_course (const char *dir, const char *ids)
{
  g_autofree char *path = g_build_filename (dir, "course.json", NULL);
  g_autofree char *text = g_strdup_printf ("{\"format\": \"neurowire-course\", \"version\": 1, \"lessons\": [%s]}", ids);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  NW_ASSERT_NO_ERROR (error);
}

static void
test_course (void)
{
  g_autofree char *dir = nw_test_path ("course");
  g_autoptr (NwCourse) builtin = NULL, course = NULL;
  GError *error = NULL;
  GPtrArray *lessons, *chapters;
  g_autofree char *hw_as_other = NULL;

  /* The built-in course loads (every lesson in it is valid). */
  builtin = nw_course_load_builtin (&error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (builtin);
  for (guint i = 0; i < nw_course_get_lessons (builtin)->len; i++)
    {
      const NwLesson *l = g_ptr_array_index (nw_course_get_lessons (builtin), i);
      CU_ASSERT_PTR_EQUAL (nw_course_find (builtin, l->id), l);
    }

  g_mkdir_with_parents (dir, 0700);
  copy_fixture (dir, "perceptron.json", NULL);
  copy_fixture (dir, "hand-weights.json", NULL);
  copy_fixture (dir, "all-fields.json", NULL);
  write_course (dir, "\"hand-weights\", \"perceptron\", \"all-fields\"");
  course = nw_course_load_dir (dir, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (course);
  lessons = nw_course_get_lessons (course);
  CU_ASSERT_EQUAL_FATAL (lessons->len, 3);
  CU_ASSERT_STRING_EQUAL (((NwLesson *) g_ptr_array_index (lessons, 0))->id, "hand-weights");
  CU_ASSERT_STRING_EQUAL (((NwLesson *) g_ptr_array_index (lessons, 1))->id, "perceptron");
  CU_ASSERT_PTR_EQUAL (nw_course_find (course, "perceptron"), g_ptr_array_index (lessons, 1));
  CU_ASSERT_PTR_NULL (nw_course_find (course, "vanishing"));
  /* All three are in the chapter "Tests". */
  chapters = nw_course_get_chapters (course);
  CU_ASSERT_EQUAL_FATAL (chapters->len, 1);
  CU_ASSERT_STRING_EQUAL (((NwCourseChapter *) g_ptr_array_index (chapters, 0))->title->en, "Tests");
  CU_ASSERT_EQUAL (((NwCourseChapter *) g_ptr_array_index (chapters, 0))->lessons->len, 3);
  g_clear_pointer (&course, nw_course_free);

  /* Chapters in the order of their first lesson. */
  {
    g_autoptr (NwLesson) l = load_fixture ("hand-weights.json");
    g_autofree char *path = g_build_filename (dir, "hand-weights.json", NULL);
    nw_lesson_text_set (&l->chapter, "처음", "First");
    CU_ASSERT_TRUE (nw_lesson_save (l, path, &error));
    NW_ASSERT_NO_ERROR (error);
    write_course (dir, "\"perceptron\", \"hand-weights\", \"all-fields\"");
    course = nw_course_load_dir (dir, &error);
    NW_ASSERT_NO_ERROR (error);
    chapters = nw_course_get_chapters (course);
    CU_ASSERT_EQUAL_FATAL (chapters->len, 2);
    CU_ASSERT_STRING_EQUAL (((NwCourseChapter *) g_ptr_array_index (chapters, 0))->title->en, "Tests");
    CU_ASSERT_EQUAL (((NwCourseChapter *) g_ptr_array_index (chapters, 0))->lessons->len, 2);
    CU_ASSERT_STRING_EQUAL (((NwCourseChapter *) g_ptr_array_index (chapters, 1))->title->ko, "처음");
    g_clear_pointer (&course, nw_course_free);
  }

  /* An id without its file names both. */
  write_course (dir, "\"perceptron\", \"vanishing\"");
  CU_ASSERT_PTR_NULL (nw_course_load_dir (dir, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, -1, "course.json", "'vanishing'", "vanishing.json", NULL);
  /* A file whose lesson has another id names both. */
  copy_fixture (dir, "perceptron.json", "other.json");
  write_course (dir, "\"other\"");
  CU_ASSERT_PTR_NULL (nw_course_load_dir (dir, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, -1, "other.json", "'perceptron'", "'other'", NULL);
  /* A bad lesson in the course is refused with its file, step and field. */
  {
    g_autofree char *text = fixture_text ("perceptron.json");
    g_autoptr (GString) bad = g_string_new (text);
    g_autofree char *path = g_build_filename (dir, "perceptron.json", NULL);
    g_string_replace (bad, "\"do\": \"train\"", "\"do\": \"trian\"", 1);
    g_file_set_contents (path, bad->str, -1, NULL);
    write_course (dir, "\"perceptron\"");
    CU_ASSERT_PTR_NULL (nw_course_load_dir (dir, &error));
    NW_ASSERT_ERROR (error, NW_LESSON_ERROR, -1, "perceptron.json: step 1 ('stuck'): action 1", "trian", NULL);
  }
  /* Listed twice; not a course. */
  copy_fixture (dir, "perceptron.json", NULL);
  write_course (dir, "\"perceptron\", \"perceptron\"");
  CU_ASSERT_PTR_NULL (nw_course_load_dir (dir, &error));
  NW_ASSERT_ERROR (error, NW_LESSON_ERROR, -1, "twice", NULL);
  {
    g_autofree char *path = g_build_filename (dir, "course.json", NULL);
    g_file_set_contents (path, "{\"format\": \"neurowire-lesson\", \"version\": 1, \"lessons\": []}", -1, NULL);
    CU_ASSERT_PTR_NULL (nw_course_load_dir (dir, &error));
    NW_ASSERT_ERROR (error, NW_LESSON_ERROR, -1, "neurowire-course", NULL);
  }
  (void) hw_as_other;
}

/* ---- parameters typed by hand ---------------------------------------------------------- */

static void
test_set_node_param (void)
{
  g_autoptr (NwLesson) l = load_fixture ("hand-weights.json");
  GError *error = NULL;
  g_autoptr (NwTrainer) t = nw_trainer_new (l->spec, NULL, NULL, &error);
  const float w[] = { 1, 2, 3, 4 };
  const float b[] = { 0.5f, -0.5f };
  float *params;
  NwNet *net;
  const NwNodeInfo *info;

  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (t);
  net = nw_trainer_get_net (t);
  CU_ASSERT_TRUE (nw_trainer_set_node_param (t, "fc1", "weight", w, 2, 2, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (nw_trainer_set_node_param (t, "fc1", "bias", b, 2, 1, &error));
  NW_ASSERT_NO_ERROR (error);
  params = g_new (float, nw_net_n_params (net));
  nw_net_get_params (net, params);
  info = nw_net_node (net, nw_net_find_node (net, "fc1"));
  for (int i = 0; i < 4; i++)
    CU_ASSERT_EQUAL (params[info->w_off + (gsize) i], w[i]);
  CU_ASSERT_EQUAL (params[info->b_off], 0.5f);
  CU_ASSERT_EQUAL (params[info->b_off + 1], -0.5f);
  g_free (params);

  /* Other shapes are refused naming the node and both shapes. */
  CU_ASSERT_FALSE (nw_trainer_set_node_param (t, "fc1", "weight", w, 1, 4, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "'fc1'", "[2, 2]", "[1, 4]", NULL);
  CU_ASSERT_FALSE (nw_trainer_set_node_param (t, "fc2", "bias", b, 2, 1, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "'fc2'", "[1, 1]", "[2, 1]", NULL);
  CU_ASSERT_FALSE (nw_trainer_set_node_param (t, "act1", "weight", w, 2, 2, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "'act1'", NULL);
  CU_ASSERT_FALSE (nw_trainer_set_node_param (t, "fc9", "weight", w, 2, 2, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, -1, "'fc9'", NULL);
}

static double
sigmoid (double z)
{
  return 1.0 / (1.0 + exp (-z));
}

static void
test_check_typed_weights (void)
{
  g_autoptr (NwLesson) l = load_fixture ("hand-weights.json");
  g_autoptr (GPtrArray) results = check_lesson (l, NULL);
  g_autoptr (NwDataset) xor = NULL;
  GError *error = NULL;
  const double w1[2][2] = { { 5, 5 }, { -7, -7 } }, b1[2] = { -8, 3 };
  const double w2[2] = { -11, -11 }, b2 = 6;

  xor = nw_dataset_new (&l->spec->data, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL_FATAL (xor->train.n, 4);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *label = g_strdup_printf ("output %d", i);
      const NwLessonCheckResult *r = result_by_label (results, label);
      const float *x = xor->train.x + 2 * i;
      double h[2], out;
      for (int u = 0; u < 2; u++)
        h[u] = sigmoid (w1[u][0] * x[0] + w1[u][1] * x[1] + b1[u]);
      out = sigmoid (w2[0] * h[0] + w2[1] * h[1] + b2);
      CU_ASSERT_EQUAL (r->status, NW_LESSON_RESULT_REPORTED);
      /* float arithmetic in the network against double here */
      NW_ASSERT_CLOSE (r->figure, out, 1e-5, 1e-7);
    }
  CU_ASSERT_EQUAL (result_by_label (results, "still step 0")->status, NW_LESSON_RESULT_PASS);
  CU_ASSERT_EQUAL (result_by_label (results, "step 100")->status, NW_LESSON_RESULT_PASS);
}

/* ---- the checker ----------------------------------------------------------------------- */

typedef struct {
  int calls;
  guint last_step;
  gboolean in_order;
} Seen;

static void
count_result (const NwLessonCheckResult *r, gpointer user_data)
{
  Seen *seen = user_data;
  if (seen->calls > 0 && r->step_index < seen->last_step)
    seen->in_order = FALSE;
  seen->last_step = r->step_index;
  seen->calls++;
}

static void
test_check_perceptron (void)
{
  g_autoptr (NwLesson) l = load_fixture ("perceptron.json");
  Seen seen = { 0, 0, TRUE };
  NwLessonCheckOptions opts = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  const NwLessonCheckResult *r;

  opts.on_result = count_result;
  opts.user_data = &seen;
  results = check_lesson (l, &opts);
  CU_ASSERT_EQUAL (results->len, 5);
  CU_ASSERT_EQUAL (seen.calls, 5);
  CU_ASSERT_TRUE (seen.in_order);
  for (guint i = 0; i < results->len; i++)
    {
      r = g_ptr_array_index (results, i);
      CU_ASSERT_EQUAL (r->status, NW_LESSON_RESULT_PASS);
      CU_ASSERT_PTR_NULL (r->reason);
    }
  /* ln 2, as the notes print it */
  r = result_by_label (results, "the loss is ln 2");
  NW_ASSERT_CLOSE (r->figure, log (2.0), 0, 1e-4);
  CU_ASSERT_EQUAL (r->expected, 0.6931);
  CU_ASSERT_EQUAL (r->step_index, 0);
  CU_ASSERT_PTR_EQUAL (r->step, g_ptr_array_index (l->steps, 0));
  /* below_check compares with the figure of the check it names */
  r = result_by_label (results, "the loss fell");
  CU_ASSERT_EQUAL (r->expected, result_by_label (results, "the loss is ln 2")->figure);
  CU_ASSERT (r->figure < 0.05);
}

/* near_check: within tol of an earlier check's figure passes, farther fails; written back
 * as it was read. The trained loss (under 0.05) is about 0.65 from the stuck one (ln 2). */
static void
test_check_near_check (void)
{
  g_autofree char *text = fixture_text ("perceptron.json");
  const double tols[] = { 1.0, 0.1 };
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (GString) s = g_string_new (text);
      g_autoptr (NwLesson) l = NULL, back = NULL;
      g_autoptr (GPtrArray) results = NULL;
      g_autofree char *json = NULL;
      char with[96];
      const NwLessonCheckResult *r, *stuck;
      GError *error = NULL;

      g_snprintf (with, sizeof with, "\"near_check\": \"stuck\", \"tol\": %g", tols[i]);
      g_string_replace (s, "\"below_check\": \"stuck\"", with, 1);
      l = nw_lesson_from_json (s->str, -1, "near.json", &error);
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (l);
      json = nw_lesson_to_json (l);
      back = nw_lesson_from_json (json, -1, "back.json", &error);
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT (back != NULL && nw_lesson_equal (l, back));
      results = check_lesson (l, NULL);
      r = result_by_label (results, "the loss fell");
      stuck = result_by_label (results, "the loss is ln 2");
      CU_ASSERT_EQUAL (r->expected, stuck->figure);
      CU_ASSERT_EQUAL (r->status, fabs (r->figure - stuck->figure) <= tols[i]
                                  ? NW_LESSON_RESULT_PASS : NW_LESSON_RESULT_FAIL);
      CU_ASSERT_EQUAL (r->status, i == 0 ? NW_LESSON_RESULT_PASS : NW_LESSON_RESULT_FAIL);
    }
}

static void
test_check_wrong (void)
{
  g_autoptr (NwLesson) l = load_fixture ("wrong-check.json");
  g_autoptr (GPtrArray) results = check_lesson (l, NULL);
  const NwLessonCheckResult *r = result_by_label (results, "the loss is 0.1 (wrong on purpose)");
  CU_ASSERT_EQUAL (r->status, NW_LESSON_RESULT_FAIL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r->reason);
  CU_ASSERT_PTR_NOT_NULL (strstr (r->reason, "not within 0.01 of 0.1"));
  CU_ASSERT_EQUAL (result_by_label (results, "the loss is ln 2")->status, NW_LESSON_RESULT_PASS);
}

/* at_step: the figure after that many steps, measured on the way to the step's end; the
 * same as a run of that many steps gives. */
static void
test_check_at_step (void)
{
  g_autofree char *text = fixture_text ("perceptron.json");
  g_autoptr (GString) early = g_string_new (text);
  g_autoptr (NwLesson) l = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (NwTrainer) t = NULL;
  GError *error = NULL;
  double loss3, loss2000, acc;
  int done = 0;

  /* The perceptron sits at ln 2 from about step 1000 on (in float, exactly): look at step 3,
   * where the loss still moves. */
  g_string_replace (early, "\"at_step\": 1000, \"near\": 0.6931, \"tol\": 0.001", "\"at_step\": 3, \"report\": true", 1);
  /* A second stop a few steps after the first (far closer than a chunk of steps). */
  g_string_replace (early, "{\"metric\": \"step\", \"near\": 2000, \"tol\": 0,",
                    "{\"metric\": \"step\", \"at_step\": 7, \"near\": 7, \"tol\": 0,", 1);
  l = nw_lesson_from_json (early->str, -1, "early.json", &error);
  NW_ASSERT_NO_ERROR (error);
  results = check_lesson (l, NULL);
  t = nw_trainer_new (l->spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_TRUE (nw_trainer_steps (t, 3, &done, &error));
  CU_ASSERT_TRUE (nw_trainer_evaluate (t, FALSE, &loss3, &acc, &error));
  CU_ASSERT_TRUE (nw_trainer_steps (t, 1997, &done, &error));
  CU_ASSERT_TRUE (nw_trainer_evaluate (t, FALSE, &loss2000, &acc, &error));
  NW_ASSERT_NO_ERROR (error);
  /* On the CPU, exactly. */
  CU_ASSERT_EQUAL (result_by_label (results, "the loss at step 1000 is ln 2")->figure, loss3);
  CU_ASSERT_EQUAL (result_by_label (results, "the loss is ln 2")->figure, loss2000);
  CU_ASSERT_EQUAL (result_by_label (results, "step 2000")->figure, 7);
  CU_ASSERT_EQUAL (result_by_label (results, "step 2000")->status, NW_LESSON_RESULT_PASS);
  /* The two differ, so the stop was really made. */
  CU_ASSERT (fabs (loss3 - loss2000) > 1e-4);

  /* A check whose at_step the run has already passed is an error naming the step and
   * check; one the run never reaches fails. */
  {
    g_autofree char *text = fixture_text ("perceptron.json");
    g_autoptr (GString) s = g_string_new (text);
    g_autoptr (NwLesson) bad = NULL;
    g_autoptr (GPtrArray) r2 = NULL;
    /* Step 2 goes on with the run at step 2000 (no load): step 1500 is behind it. */
    g_string_replace (s, "{\"do\": \"load\", \"network\": \"hidden\"}", "{\"do\": \"pace\", \"steps_per_s\": 10}", 1);
    g_string_replace (s, "{\"metric\": \"loss\", \"below_check\": \"stuck\",",
                      "{\"metric\": \"loss\", \"at_step\": 1500, \"below_check\": \"stuck\",", 1);
    bad = nw_lesson_from_json (s->str, -1, "passed.json", &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_FALSE (nw_lesson_check (bad, NULL, &r2, &error));
    CU_ASSERT_PTR_NULL (r2);
    NW_ASSERT_ERROR (error, NW_LESSON_ERROR, NW_LESSON_ERROR_RUN, "passed.json: step 2 ('hidden-layer'): check 1",
                     "'at_step' is 1500", "already at step 2000", NULL);
  }
  {
    g_autofree char *text = fixture_text ("perceptron.json");
    g_autoptr (GString) s = g_string_new (text);
    g_autoptr (NwLesson) late = NULL;
    g_autoptr (GPtrArray) r3 = NULL;
    g_string_replace (s, "\"at_step\": 1000", "\"at_step\": 3000", 1);
    late = nw_lesson_from_json (s->str, -1, "late.json", &error);
    NW_ASSERT_NO_ERROR (error);
    r3 = check_lesson (late, NULL);
    {
      const NwLessonCheckResult *r = result_by_label (r3, "the loss at step 1000 is ln 2");
      CU_ASSERT_EQUAL (r->status, NW_LESSON_RESULT_FAIL);
      CU_ASSERT_PTR_NOT_NULL (strstr (r->reason, "stopped at step 2000 before step 3000"));
    }
  }
}

static void
test_check_save_restore (void)
{
  g_autoptr (NwLesson) l = load_fixture ("save-restore.json");
  g_autoptr (GPtrArray) results = check_lesson (l, NULL);
  const NwLessonCheckResult *saved = result_by_label (results, "the loss saved");
  const NwLessonCheckResult *later = result_by_label (results, "the loss fell");
  const NwLessonCheckResult *restored = result_by_label (results, "the saved loss is back");

  CU_ASSERT (isfinite (saved->figure));
  CU_ASSERT (later->figure < saved->figure);
  /* On the CPU the saved weights give back the saved loss exactly. */
  CU_ASSERT_EQUAL (restored->figure, saved->figure);
  CU_ASSERT_EQUAL (restored->status, NW_LESSON_RESULT_PASS);
  CU_ASSERT_EQUAL (result_by_label (results, "a new run from step 0")->status, NW_LESSON_RESULT_PASS);
}

static void
test_check_diverged (void)
{
  g_autoptr (NwLesson) l = load_fixture ("diverge.json");
  g_autoptr (GPtrArray) results = check_lesson (l, NULL);
  const NwLessonCheckResult *calm = result_by_label (results, "no divergence");
  const NwLessonCheckResult *boom = result_by_label (results, "it diverged");
  const NwLessonCheckResult *early = result_by_label (results, "stopped early");

  CU_ASSERT_EQUAL (calm->figure, 0);
  CU_ASSERT_EQUAL (calm->status, NW_LESSON_RESULT_PASS);
  CU_ASSERT_EQUAL (boom->figure, 1);
  CU_ASSERT_EQUAL (boom->status, NW_LESSON_RESULT_PASS);
  CU_ASSERT (early->figure > 200 && early->figure < 400);
  CU_ASSERT_EQUAL (result_by_label (results, "test loss")->status, NW_LESSON_RESULT_REPORTED);
  CU_ASSERT (isfinite (result_by_label (results, "test loss")->figure));
}

/* Without a way to make an OpenCL backend, the checks of a step with a `device` action to
 * OpenCL are skipped, saying why; the other steps run. */
static void
test_check_device_skipped (void)
{
  g_autoptr (NwLesson) l = load_fixture ("all-fields.json");
  g_autoptr (GPtrArray) results = check_lesson (l, NULL);
  const NwLessonCheckResult *r = result_by_label (results, "test accuracy");

  CU_ASSERT_EQUAL (r->status, NW_LESSON_RESULT_SKIPPED);
  CU_ASSERT (isnan (r->figure));
  CU_ASSERT_PTR_NOT_NULL (strstr (r->reason, "OpenCL"));
  CU_ASSERT_EQUAL (result_by_label (results, "30 epochs")->status, NW_LESSON_RESULT_PASS);
  CU_ASSERT_EQUAL (result_by_label (results, "fc1's gradient")->status, NW_LESSON_RESULT_PASS);
  CU_ASSERT_EQUAL (result_by_label (results, "speed")->status, NW_LESSON_RESULT_REPORTED);
  CU_ASSERT (result_by_label (results, "speed")->figure > 0);
  CU_ASSERT (isfinite (result_by_label (results, "gradient ratio")->figure));
  /* The output is a probability. */
  CU_ASSERT (result_by_label (results, "output 3")->figure > 0 && result_by_label (results, "output 3")->figure < 1);
}

/* loss_below stops right after the first step whose training loss is below the value, as the
 * window's pause condition does: the same step as stepping one by one finds. */
static void
test_check_loss_below (void)
{
  g_autofree char *text = fixture_text ("perceptron.json");
  g_autoptr (GString) s = g_string_new (text);
  g_autoptr (NwLesson) l = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (NwTrainer) t = NULL;
  GError *error = NULL;
  gint64 want = -1;

  g_string_replace (s, "{\"metric\": \"accuracy\", \"near\": 1, \"tol\": 0,",
                    "{\"metric\": \"step\", \"report\": true, \"label\": {\"ko\": \"스텝\", \"en\": \"stop step\"}},\n"
                    "        {\"metric\": \"accuracy\", \"near\": 1, \"tol\": 0,", 1);
  l = nw_lesson_from_json (s->str, -1, "below.json", &error);
  NW_ASSERT_NO_ERROR (error);
  results = check_lesson (l, NULL);

  spec = nw_spec_copy (nw_lesson_find_network (l, "hidden"));
  spec->train.lr = 2;
  t = nw_trainer_new (spec, NULL, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  while (nw_trainer_get_step (t) < 5000)
    {
      CU_ASSERT_TRUE_FATAL (nw_trainer_step (t, &error));
      if (nw_trainer_get_last_loss (t) < 0.05)
        {
          want = nw_trainer_get_step (t);
          break;
        }
    }
  CU_ASSERT_FATAL (want > 0);
  CU_ASSERT_EQUAL (result_by_label (results, "stop step")->figure, (double) want);
}

/* A lesson on MNIST where the files are not there (not fetched): its checks are skipped,
 * saying why, which is no failure and no error; a later `load` of another network runs. */
static void
test_check_no_data (void)
{
  g_autofree char *nowhere = nw_test_path ("no-mnist-here");
  g_autofree char *json = g_strdup_printf (
    "{\"format\": \"neurowire-lesson\", \"version\": 1, \"id\": \"no-data\",\n"
    " \"chapter\": {\"ko\": \"가\", \"en\": \"A\"}, \"title\": {\"ko\": \"나\", \"en\": \"B\"},\n"
    " \"summary\": {\"ko\": \"다\", \"en\": \"C\"}, \"minutes\": 1, \"views\": [\"loss\"],\n"
    " \"spec\": {\"format\": \"neurowire-spec\", \"version\": 1,\n"
    "   \"nodes\": [{\"id\": \"input\", \"type\": \"input\"}, {\"id\": \"fc\", \"type\": \"dense\", \"units\": 10},\n"
    "             {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"softmax_xent\"}],\n"
    "   \"data\": {\"kind\": \"mnist\", \"path\": \"%s\"}, \"training\": {\"batch_size\": 32}},\n"
    " \"networks\": {\"xor\": {\"format\": \"neurowire-spec\", \"version\": 1,\n"
    "   \"nodes\": [{\"id\": \"input\", \"type\": \"input\"}, {\"id\": \"fc\", \"type\": \"dense\", \"units\": 1},\n"
    "             {\"id\": \"act\", \"type\": \"activation\", \"activation\": \"sigmoid\"},\n"
    "             {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce\"}],\n"
    "   \"data\": {\"kind\": \"xor\"}, \"training\": {\"lr\": 1}}},\n"
    " \"steps\": [\n"
    "  {\"title\": {\"ko\": \"가\", \"en\": \"A\"}, \"text\": {\"ko\": \"가\", \"en\": \"A\"},\n"
    "   \"actions\": [{\"do\": \"train\", \"until\": {\"epochs\": 1}}, {\"do\": \"save\", \"slot\": \"s\"}],\n"
    "   \"checks\": [{\"metric\": \"test_accuracy\", \"above\": 0.9, \"label\": {\"ko\": \"가\", \"en\": \"mnist accuracy\"}}]},\n"
    "  {\"title\": {\"ko\": \"나\", \"en\": \"B\"}, \"text\": {\"ko\": \"나\", \"en\": \"B\"},\n"
    "   \"actions\": [{\"do\": \"restore\", \"slot\": \"s\"}],\n"
    "   \"checks\": [{\"metric\": \"loss\", \"report\": true, \"label\": {\"ko\": \"나\", \"en\": \"still no data\"}}]},\n"
    "  {\"title\": {\"ko\": \"다\", \"en\": \"C\"}, \"text\": {\"ko\": \"다\", \"en\": \"C\"},\n"
    "   \"actions\": [{\"do\": \"load\", \"network\": \"xor\"}, {\"do\": \"train\", \"until\": {\"step\": 500}}],\n"
    "   \"checks\": [{\"metric\": \"loss\", \"near\": 0.6931, \"tol\": 0.001, \"label\": {\"ko\": \"다\", \"en\": \"xor at ln 2\"}}]}]}\n",
    nowhere);
  GError *error = NULL;
  g_autoptr (NwLesson) l = nw_lesson_from_json (json, -1, "no-data.json", &error);
  g_autoptr (GPtrArray) results = NULL;
  const NwLessonCheckResult *r;

  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (l);
  results = check_lesson (l, NULL);
  r = result_by_label (results, "mnist accuracy");
  CU_ASSERT_EQUAL (r->status, NW_LESSON_RESULT_SKIPPED);
  CU_ASSERT_PTR_NOT_NULL (strstr (r->reason, "the data files cannot be read"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r->reason, "no-mnist-here"));
  CU_ASSERT_EQUAL (result_by_label (results, "still no data")->status, NW_LESSON_RESULT_SKIPPED);
  CU_ASSERT_EQUAL (result_by_label (results, "xor at ln 2")->status, NW_LESSON_RESULT_PASS);
}

/* A factory that fails: the step's checks are skipped with its reason. */
static NwBackend *
no_opencl (gpointer user_data, char **why, GError **error)
{
  g_set_error (error, NW_ERROR, NW_ERROR_BACKEND, "no platform here");
  return NULL;
}

static void
test_check_device_factory_fails (void)
{
  g_autoptr (NwLesson) l = load_fixture ("all-fields.json");
  NwLessonCheckOptions opts = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  const NwLessonCheckResult *r;

  opts.opencl = no_opencl;
  results = check_lesson (l, &opts);
  r = result_by_label (results, "test accuracy");
  CU_ASSERT_EQUAL (r->status, NW_LESSON_RESULT_SKIPPED);
  CU_ASSERT_PTR_NOT_NULL (strstr (r->reason, "no platform here"));
}

/* A factory that makes a CPU backend stands in for OpenCL: the run moves and goes on, and
 * the figures are those of a run that never moved. */
static NwBackend *
cpu_as_opencl (gpointer user_data, char **why, GError **error)
{
  int *made = user_data;
  (*made)++;
  return nw_backend_cpu_new ();
}

static void
test_check_device_moves (void)
{
  g_autoptr (NwLesson) l = load_fixture ("all-fields.json");
  NwLessonCheckOptions opts = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  int made = 0;

  opts.opencl = cpu_as_opencl;
  opts.opencl_data = &made;
  results = check_lesson (l, &opts);
  CU_ASSERT_EQUAL (result_by_label (results, "test accuracy")->status, NW_LESSON_RESULT_REPORTED);
  CU_ASSERT (made >= 1);
}

static const NwTestCase lesson_cases[] = {
  { "every field read", test_parse_all_fields },
  { "names and texts", test_names_and_texts },
  { "bad files refused with the step and field", test_bad_files },
  { "to_json round trip and save", test_round_trip },
  { "apply_to_spec", test_apply_to_spec },
  { "enable on a dropout node", test_enable_on_dropout },
  { "course", test_course },
  { "parameters set by hand", test_set_node_param },
  { NULL, NULL }
};

static const NwTestCase check_cases[] = {
  { "perceptron at ln 2", test_check_perceptron },
  { "a wrong check fails", test_check_wrong },
  { "near_check against an earlier figure", test_check_near_check },
  { "at_step measured on the way", test_check_at_step },
  { "loss_below stops at the step", test_check_loss_below },
  { "data files missing", test_check_no_data },
  { "typed weights give the hand computation", test_check_typed_weights },
  { "save, train, restore", test_check_save_restore },
  { "diverged", test_check_diverged },
  { "device without OpenCL", test_check_device_skipped },
  { "device factory that fails", test_check_device_factory_fails },
  { "device move", test_check_device_moves },
  { NULL, NULL }
};

static const NwTestSuite suites[] = {
  { "lesson", lesson_cases },
  { "check", check_cases },
  { NULL, NULL }
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
