/* test-lesson-player.c: a lesson played on a real NwSession, headless, with a main loop: the
 * steps' actions, a train action that stops where its condition says, a question that holds
 * training until it is answered, Back that puts back the network and weights of the step,
 * weights typed in by hand, and leaving with the network as it is. */
#include "nw-test.h"

#include "nw-lesson-check.h"
#include "nw-lesson-player.h"
#include "nw-safetensors.h"

#include <math.h>
#include <string.h>

/* 2-2-1 sigmoid on XOR, full batch; a budget of 0 (none): the lesson's train actions stop it. */
#define SPEC \
  "{\"format\": \"neurowire-spec\", \"version\": 1, \"name\": \"XOR 2-2-1\"," \
  " \"nodes\": [{\"id\": \"input\", \"type\": \"input\"}," \
  "  {\"id\": \"fc1\", \"type\": \"dense\", \"units\": 2}," \
  "  {\"id\": \"act1\", \"type\": \"activation\", \"activation\": \"sigmoid\"}," \
  "  {\"id\": \"fc2\", \"type\": \"dense\", \"units\": 1}," \
  "  {\"id\": \"act2\", \"type\": \"activation\", \"activation\": \"sigmoid\"}," \
  "  {\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce\"}]," \
  " \"data\": {\"kind\": \"xor\"}," \
  " \"training\": {\"optimizer\": \"sgd\", \"lr\": 1.0, \"batch_size\": 0, \"steps\": 0, \"epochs\": 0, \"seed\": 1}}"

#define T(s) "{\"ko\": \"" s " (ko)\", \"en\": \"" s "\"}"

static const char lesson_json[] =
  "{\"format\": \"neurowire-lesson\", \"version\": 1, \"id\": \"player-test\","
  " \"chapter\": " T ("Tests") ", \"title\": " T ("Player") ", \"summary\": " T ("A test") ","
  " \"minutes\": 1, \"spec\": " SPEC ","
  " \"views\": [\"boundary\", \"loss\"], \"locks\": [], \"pace\": 0,"
  " \"steps\": ["
  "  {\"id\": \"first\", \"title\": " T ("First") ", \"text\": " T ("Train to 200") ","
  "   \"actions\": [{\"do\": \"train\", \"until\": {\"step\": 200}}],"
  "   \"checks\": [{\"metric\": \"step\", \"near\": 200, \"tol\": 0, \"label\": " T ("at 200") "},"
  "                {\"metric\": \"loss\", \"below\": 5, \"label\": " T ("a loss") "}]},"
  "  {\"id\": \"asked\", \"title\": " T ("Asked") ", \"text\": " T ("A question first") ","
  "   \"question\": {\"text\": " T ("What now?") ", \"choices\": [" T ("Up") ", " T ("Down") "],"
  "                 \"answer\": 1, \"explain\": " T ("It goes down") "},"
  "   \"actions\": [{\"do\": \"set\", \"field\": \"training.lr\", \"value\": 0.5},"
  "                 {\"do\": \"show\", \"views\": [\"loss\", \"gradients\"]},"
  "                 {\"do\": \"train\", \"until\": {\"step\": 400}}],"
  "   \"checks\": [{\"metric\": \"step\", \"at_step\": 400, \"near\": 400, \"tol\": 0, \"label\": " T ("at 400") "}]},"
  "  {\"id\": \"typed\", \"title\": " T ("Typed") ", \"text\": " T ("Weights by hand") ","
  "   \"actions\": [{\"do\": \"weights\", \"values\": {\"fc1.weight\": [[5, 5], [-7, -7]],"
  "                  \"fc1.bias\": [-8, 3], \"fc2.weight\": [[-11, -11]], \"fc2.bias\": [6]}},"
  "                 {\"do\": \"mode\", \"view\": \"train\"}]}"
  " ]}";

static gboolean
spin_until (int ms, gboolean (*done) (gpointer), gpointer data)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/* What the window's views do: hand each snapshot of the session's runner to the player. */
static void
feed (NwLessonPlayer *player)
{
  NwRunner *runner = nw_session_get_runner (nw_lesson_player_get_session (player));
  NwSnapshot *snap = NULL;
  NwRunnerStatus status = { 0 };
  if (runner != NULL && nw_runner_take (runner, &snap, &status))
    {
      if (snap != NULL)
        nw_lesson_player_take_snapshot (player, snap, &status);
      nw_snapshot_free (snap);
      nw_runner_status_clear (&status);
    }
}

static gboolean
step_done (gpointer data)
{
  NwLessonPlayer *player = data;
  feed (player);
  return nw_lesson_player_get_step_done (player);
}

/* Every check of the step met (their figures are measured on the runner's thread). */
static gboolean
all_checks_met (gpointer data)
{
  NwLessonPlayer *player = data;
  int n = 0;
  const NwLessonCheckState *st;
  feed (player);
  st = nw_lesson_player_get_checks (player, &n);
  for (int i = 0; i < n; i++)
    if (!st[i].met)
      return FALSE;
  return TRUE;
}

/* Spins for `ms` feeding snapshots (asking for one now and then, as a paused runner sends
 * none by itself). */
static void
idle_for (NwLessonPlayer *player, int ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      NwRunner *runner = nw_session_get_runner (nw_lesson_player_get_session (player));
      if (runner != NULL)
        nw_runner_request_snapshot (runner);
      feed (player);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
}

/* The weights the running trainer has now, from its own thread. */
typedef struct { gboolean done; GError *error; } Saved;

static void
on_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  Saved *s = data;
  nw_session_save_weights_finish (NW_SESSION (source), result, &s->error);
  s->done = TRUE;
}

static gboolean
saved_done (gpointer data)
{
  return ((Saved *) data)->done;
}

static NwTensorFile *
weights_now (NwSession *session, const char *name)
{
  g_autofree char *path = nw_test_path (name);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  Saved s = { 0 };
  GError *error = NULL;
  NwTensorFile *tf;
  nw_session_save_weights_async (session, file, on_saved, &s);
  CU_ASSERT (spin_until (10000, saved_done, &s));
  NW_ASSERT_NO_ERROR (s.error);
  tf = nw_safetensors_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  return tf;
}

static gboolean
same_weights (const NwTensorFile *a, const NwTensorFile *b)
{
  if (a == NULL || b == NULL || a->tensors->len != b->tensors->len)
    return FALSE;
  for (guint i = 0; i < a->tensors->len; i++)
    {
      const NwTensor *ta = g_ptr_array_index (a->tensors, i), *tb = g_ptr_array_index (b->tensors, i);
      if (ta->numel != tb->numel || memcmp (ta->f32, tb->f32, ta->numel * sizeof (float)) != 0)
        return FALSE;
    }
  return TRUE;
}

static NwLessonPlayer *
player_new (NwJobs *jobs, NwSession **session_out)
{
  NwSessionOptions options = { .backend = NW_BACKEND_CPU, .jobs = jobs };
  NwSession *session = nw_session_new (&options);
  GError *error = NULL;
  NwLesson *lesson = nw_lesson_from_json (lesson_json, -1, "player-test.json", &error);
  NwLessonPlayer *player;
  NW_ASSERT_NO_ERROR (error);
  g_assert (lesson != NULL);
  player = nw_lesson_player_new (session, lesson);
  *session_out = session;
  return player;
}

static void
count (gpointer object, gpointer data)
{
  (*(int *) data)++;
}

static void
count_check (gpointer object, int index, gpointer data)
{
  (*(int *) data)++;
}

/* Step 1 trains to exactly step 200 (the pause condition, not a later snapshot) and stops;
 * its check is met with that figure. */
static void
test_enter_and_train (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *session = NULL;
  NwLessonPlayer *player = player_new (jobs, &session);
  GError *error = NULL;
  int checks_met = 0, n = 0;
  const NwLessonCheckState *checks;

  g_signal_connect (player, "check-met", G_CALLBACK (count_check), &checks_met);
  CU_ASSERT (nw_lesson_player_start (player, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (nw_lesson_player_get_step (player), 0);
  CU_ASSERT_EQUAL (nw_lesson_player_get_n_steps (player), 3);
  CU_ASSERT_STRING_EQUAL (nw_session_get_spec (session)->name, "XOR 2-2-1");
  CU_ASSERT_EQUAL (nw_lesson_player_get_views (player),
                   NW_LESSON_BIT (NW_LESSON_VIEW_BOUNDARY) | NW_LESSON_BIT (NW_LESSON_VIEW_LOSS));
  CU_ASSERT (nw_lesson_player_get_training (player));
  CU_ASSERT (spin_until (20000, step_done, player));
  CU_ASSERT (!nw_session_get_playing (session));
  CU_ASSERT_EQUAL (nw_lesson_player_get_run_step (player), 200);
  idle_for (player, 200);
  /* Paused: it stays there. */
  CU_ASSERT_EQUAL (nw_lesson_player_get_run_step (player), 200);
  checks = nw_lesson_player_get_checks (player, &n);
  CU_ASSERT_EQUAL (n, 2);
  CU_ASSERT_EQUAL (checks_met, 2);
  CU_ASSERT (checks[0].met && checks[0].judged && checks[0].passed);
  CU_ASSERT_DOUBLE_EQUAL (checks[0].figure, 200, 0);
  /* Met while paused, where a snapshot has no training loss of its own (no steps since the
   * one before): the loss of the last steps, a BCE on XOR between 0 and ln 2 + a little. */
  CU_ASSERT (checks[1].met && checks[1].judged && checks[1].passed);
  CU_ASSERT (checks[1].figure > 0 && checks[1].figure < 0.8);
  g_object_unref (player);
  g_object_unref (session);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* A step with a question runs nothing of its training until the class answers: the run
 * stays at step 200 however long it waits; then it trains to 400 with the new rate. Back
 * then puts back step 2's start: the rate before the step's `set`, the weights of step 200,
 * and the question asked again. */
static void
test_question_and_back (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *session = NULL;
  NwLessonPlayer *player = player_new (jobs, &session);
  g_autoptr (NwTensorFile) at_200 = NULL, after_back = NULL, at_400 = NULL;
  GError *error = NULL;
  int views_changed = 0;

  CU_ASSERT (nw_lesson_player_start (player, &error));
  CU_ASSERT (spin_until (20000, step_done, player));
  at_200 = weights_now (session, "at-200.safetensors");

  g_signal_connect (player, "views-changed", G_CALLBACK (count), &views_changed);
  CU_ASSERT (nw_lesson_player_next (player));
  CU_ASSERT_EQUAL (nw_lesson_player_get_step (player), 1);
  CU_ASSERT_EQUAL (nw_lesson_player_get_question_state (player), NW_LESSON_QUESTION_ASKED);
  /* The actions before the train action ran; the training waits. */
  CU_ASSERT_DOUBLE_EQUAL (nw_session_get_spec (session)->train.lr, 0.5, 1e-12);
  CU_ASSERT_EQUAL (views_changed, 1);
  CU_ASSERT (!nw_lesson_player_get_training (player));
  idle_for (player, 500);
  CU_ASSERT (!nw_session_get_playing (session));
  CU_ASSERT_EQUAL (nw_lesson_player_get_run_step (player), 200);
  CU_ASSERT (!nw_lesson_player_get_step_done (player));

  nw_lesson_player_answer (player, 0);
  CU_ASSERT_EQUAL (nw_lesson_player_get_question_state (player), NW_LESSON_QUESTION_ANSWERED);
  CU_ASSERT_EQUAL (nw_lesson_player_get_choice (player), 0);
  nw_lesson_player_answer (player, 1);   /* one answer only */
  CU_ASSERT_EQUAL (nw_lesson_player_get_choice (player), 0);
  CU_ASSERT (nw_lesson_player_get_training (player));
  CU_ASSERT (spin_until (20000, step_done, player));
  CU_ASSERT_EQUAL (nw_lesson_player_get_run_step (player), 400);
  CU_ASSERT (spin_until (5000, all_checks_met, player));
  {
    int n = 0;
    const NwLessonCheckState *checks = nw_lesson_player_get_checks (player, &n);
    CU_ASSERT (n == 1 && checks[0].met && checks[0].passed);
  }
  at_400 = weights_now (session, "at-400.safetensors");
  CU_ASSERT (!same_weights (at_200, at_400));

  /* Back to step 1 and forward again is not what Back does to step 2: restart step 2. */
  nw_lesson_player_restart (player);
  CU_ASSERT_EQUAL (nw_lesson_player_get_step (player), 1);
  CU_ASSERT_EQUAL (nw_lesson_player_get_question_state (player), NW_LESSON_QUESTION_ASKED);
  idle_for (player, 300);
  CU_ASSERT_EQUAL (nw_lesson_player_get_run_step (player), 200);
  after_back = weights_now (session, "after-back.safetensors");
  CU_ASSERT (same_weights (at_200, after_back));
  CU_ASSERT_DOUBLE_EQUAL (nw_session_get_spec (session)->train.lr, 0.5, 1e-12);

  /* Back to step 1: its start was the fresh network at step 0, with the rate of 1. */
  CU_ASSERT (nw_lesson_player_back (player));
  CU_ASSERT_EQUAL (nw_lesson_player_get_step (player), 0);
  CU_ASSERT_DOUBLE_EQUAL (nw_session_get_spec (session)->train.lr, 1.0, 1e-12);
  CU_ASSERT (spin_until (20000, step_done, player));
  CU_ASSERT_EQUAL (nw_lesson_player_get_run_step (player), 200);
  {
    g_autoptr (NwTensorFile) again = weights_now (session, "again-200.safetensors");
    /* The same seed and the same 200 full-batch steps: the same weights. */
    CU_ASSERT (same_weights (at_200, again));
  }
  CU_ASSERT (!nw_lesson_player_back (player));   /* there is no step before the first */
  g_object_unref (player);
  g_object_unref (session);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* The teacher reveals the answer: training starts as with an answer. */
static void
test_reveal (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *session = NULL;
  NwLessonPlayer *player = player_new (jobs, &session);
  CU_ASSERT (nw_lesson_player_start (player, NULL));
  CU_ASSERT (nw_lesson_player_go (player, 1));
  CU_ASSERT_EQUAL (nw_lesson_player_get_question_state (player), NW_LESSON_QUESTION_ASKED);
  nw_lesson_player_reveal (player);
  CU_ASSERT_EQUAL (nw_lesson_player_get_question_state (player), NW_LESSON_QUESTION_REVEALED);
  CU_ASSERT_EQUAL (nw_lesson_player_get_choice (player), -1);
  CU_ASSERT (nw_lesson_player_get_training (player));
  CU_ASSERT (spin_until (20000, step_done, player));
  CU_ASSERT (!nw_lesson_player_go (player, 3));
  g_object_unref (player);
  g_object_unref (session);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* Weights typed in by hand reach the trainer (the lecture's XOR weights); the mode follows;
 * leaving keeps that network, paused, at full speed. */
static void
test_weights_and_leave (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSession *session = NULL;
  NwLessonPlayer *player = player_new (jobs, &session);
  g_autoptr (NwTensorFile) typed = NULL;
  const NwTensor *w1, *b1, *w2, *b2;
  int left = 0;
  CU_ASSERT (nw_lesson_player_start (player, NULL));
  CU_ASSERT (spin_until (20000, step_done, player));
  CU_ASSERT (nw_lesson_player_go (player, 2));
  CU_ASSERT_EQUAL (nw_lesson_player_get_mode (player), NW_LESSON_MODE_TRAIN);
  CU_ASSERT (spin_until (10000, step_done, player));
  typed = weights_now (session, "typed.safetensors");
  g_assert (typed != NULL && typed->tensors->len == 4);
  /* File order: the first Dense's weight and bias, then the second's. */
  w1 = g_ptr_array_index (typed->tensors, 0);
  b1 = g_ptr_array_index (typed->tensors, 1);
  w2 = g_ptr_array_index (typed->tensors, 2);
  b2 = g_ptr_array_index (typed->tensors, 3);
  CU_ASSERT (w1->numel == 4 && w1->f32[0] == 5 && w1->f32[1] == 5 && w1->f32[2] == -7 && w1->f32[3] == -7);
  CU_ASSERT (b1->numel == 2 && b1->f32[0] == -8 && b1->f32[1] == 3);
  CU_ASSERT (w2->numel == 2 && w2->f32[0] == -11 && w2->f32[1] == -11);
  CU_ASSERT (b2->numel == 1 && b2->f32[0] == 6);

  g_signal_connect (player, "left", G_CALLBACK (count), &left);
  nw_lesson_player_leave (player);
  CU_ASSERT_EQUAL (left, 1);
  CU_ASSERT (nw_lesson_player_get_left (player));
  CU_ASSERT (!nw_session_get_playing (session));
  CU_ASSERT_DOUBLE_EQUAL (nw_session_get_pace (session), 0, 0);
  /* The network stays: the lesson's (step 2's `set` never ran: the class went from step 1
   * straight to step 3). */
  CU_ASSERT_STRING_EQUAL (nw_session_get_spec (session)->name, "XOR 2-2-1");
  CU_ASSERT_DOUBLE_EQUAL (nw_session_get_spec (session)->train.lr, 1.0, 1e-12);
  {
    g_autoptr (NwTensorFile) after = weights_now (session, "after-leave.safetensors");
    CU_ASSERT (same_weights (typed, after));
  }
  /* A player that left does nothing. */
  CU_ASSERT (!nw_lesson_player_next (player));
  g_object_unref (player);
  g_object_unref (session);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* A lesson whose network cannot train leaves the session as it was. */
static void
test_bad_network_leaves_session (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSessionOptions options = { .backend = NW_BACKEND_CPU, .jobs = jobs };
  NwSession *session = nw_session_new (&options);
  g_autofree char *path = nw_test_source_path ("examples/xor-2-2-1.json");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GError *error = NULL;
  NwLesson *lesson = nw_lesson_from_json (lesson_json, -1, "player-test.json", &error);
  NwLessonPlayer *player;
  NwNodeSpec *fc2;
  g_assert (lesson != NULL);
  CU_ASSERT (nw_session_open (session, file, NULL));
  /* Two outputs into a binary loss: it builds no trainer. */
  fc2 = nw_spec_find_node (lesson->spec, "fc2");
  fc2->units = 2;
  player = nw_lesson_player_new (session, lesson);
  CU_ASSERT (!nw_lesson_player_start (player, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  if (error != NULL)
    CU_ASSERT (strstr (error->message, "player-test.json") != NULL);
  g_clear_error (&error);
  CU_ASSERT_STRING_EQUAL (nw_session_get_spec (session)->name, "XOR, 2-2-1");
  CU_ASSERT (nw_session_get_valid (session));
  CU_ASSERT (g_file_equal (nw_session_get_file (session), file));
  g_object_unref (player);
  g_object_unref (session);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

/* The figures the window shows are the ones `lesson check` prints: a train action stops at
 * each step a check measures at, and loss and accuracy are measured there on the runner's
 * thread (the whole split, evaluation mode), not read from a snapshot taken later. */
static const char exact_json[] =
  "{\"format\": \"neurowire-lesson\", \"version\": 1, \"id\": \"exact\","
  " \"chapter\": " T ("Tests") ", \"title\": " T ("Exact") ", \"summary\": " T ("A test") ","
  " \"minutes\": 1, \"spec\": " SPEC ", \"views\": [\"loss\"], \"pace\": 0,"
  " \"steps\": [{\"title\": " T ("One") ", \"text\": " T ("Train") ","
  "   \"actions\": [{\"do\": \"train\", \"until\": {\"step\": 300}}],"
  "   \"checks\": [{\"metric\": \"loss\", \"at_step\": 100, \"report\": true, \"label\": " T ("a") "},"
  "                {\"metric\": \"loss\", \"at_step\": 237, \"report\": true, \"label\": " T ("b") "},"
  "                {\"metric\": \"accuracy\", \"at_step\": 237, \"report\": true, \"label\": " T ("c") "},"
  "                {\"metric\": \"loss\", \"report\": true, \"label\": " T ("d") "},"
  "                {\"metric\": \"step\", \"report\": true, \"label\": " T ("e") "}]}]}";

static void
test_figures_as_lesson_check (void)
{
  g_autoptr (NwJobs) jobs = nw_jobs_new ();
  NwSessionOptions options = { .backend = NW_BACKEND_CPU, .jobs = jobs };
  NwSession *session = nw_session_new (&options);
  GError *error = NULL;
  NwLesson *lesson = nw_lesson_from_json (exact_json, -1, "exact.json", &error);
  g_autoptr (NwLesson) copy = NULL;
  g_autoptr (GPtrArray) results = NULL;
  NwLessonCheckOptions check_options = { 0 };
  NwLessonPlayer *player;
  const NwLessonCheckState *st;
  int n = 0;
  NW_ASSERT_NO_ERROR (error);
  g_assert (lesson != NULL);
  copy = nw_lesson_copy (lesson);
  player = nw_lesson_player_new (session, lesson);
  CU_ASSERT (nw_lesson_player_start (player, &error));
  CU_ASSERT (spin_until (20000, step_done, player));
  CU_ASSERT (spin_until (5000, all_checks_met, player));
  CU_ASSERT_EQUAL (nw_lesson_player_get_run_step (player), 300);
  CU_ASSERT (nw_lesson_check (copy, &check_options, &results, &error));
  NW_ASSERT_NO_ERROR (error);
  st = nw_lesson_player_get_checks (player, &n);
  CU_ASSERT_EQUAL_FATAL (n, 5);
  CU_ASSERT_EQUAL_FATAL (results->len, 5);
  for (int i = 0; i < n; i++)
    {
      const NwLessonCheckResult *r = g_ptr_array_index (results, i);
      g_print ("  check %d: window %.9g, lesson check %.9g\n", i, st[i].figure, r->figure);
      CU_ASSERT (st[i].met);
      NW_ASSERT_CLOSE (st[i].figure, r->figure, 1e-6, 1e-7);
    }
  /* the loss at 100 and at 237 differ: the stops were where the checks are */
  CU_ASSERT (st[0].figure > st[1].figure);
  g_object_unref (player);
  g_object_unref (session);
  CU_ASSERT (nw_jobs_wait (jobs, 10000));
}

static const NwTestCase player_cases[] = {
  { "the window's figures are lesson check's", test_figures_as_lesson_check },
  { "a train action stops at its step; its check is met", test_enter_and_train },
  { "a question holds training; restart and Back put the step's start back", test_question_and_back },
  { "Reveal lets the step run", test_reveal },
  { "weights typed in reach the trainer; leaving keeps the network", test_weights_and_leave },
  { "a network that cannot train leaves the session as it was", test_bad_network_leaves_session },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "lesson-player", player_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
