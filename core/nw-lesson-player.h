/* nw-lesson-player.h: plays a lesson (nw-lesson.h) on one NwSession, without a screen.
 *
 * The player holds the lesson, the current step and where its actions stand. Entering a
 * step runs its actions in order: spec-level ones (load, set, enable) through
 * nw_lesson_apply_to_spec and the session; reset; weights typed in (set on the runner's
 * trainer between two steps); train (the lesson's pace, "pause when" the condition, play);
 * pace; show and mode (state the window follows: "views-changed", "mode-changed"); save and
 * restore (the weights into a temporary folder of the player's and back). A train action
 * holds the actions after it until the run gets there; a step with a question runs no train
 * action until the class answers or the teacher reveals the answer.
 *
 * When a step is entered the player keeps the network and its weights as they were (a
 * safetensors file in its temporary folder, written on the runner's thread between two
 * steps), so that Back and "start this step again" put them back before the step's actions
 * run again. Leaving the lesson keeps the network as it is, at full speed.
 *
 * The player takes no snapshots itself: whoever reads the session's runner (the window's
 * views, a test) hands each snapshot to nw_lesson_player_take_snapshot, which moves a train
 * action on when its condition is met and marks the checks the run reaches ("check-met").
 * Steps are 0-based here (files and messages count from 1). Main thread only. */
#pragma once

#include "nw-lesson.h"
#include "nw-session.h"

G_BEGIN_DECLS

typedef enum {
  NW_LESSON_QUESTION_NONE,      /* the step asks nothing */
  NW_LESSON_QUESTION_ASKED,     /* waiting for an answer: no training yet */
  NW_LESSON_QUESTION_ANSWERED,  /* the class chose (nw_lesson_player_get_choice) */
  NW_LESSON_QUESTION_REVEALED,  /* the teacher revealed the answer */
} NwLessonQuestionState;

/* A check's state in the current step. */
typedef struct {
  gboolean met;      /* the run got there: figure is what it showed */
  gboolean judged;   /* FALSE for "report" checks and figures a snapshot cannot give */
  gboolean passed;
  double   figure;
} NwLessonCheckState;

#define NW_TYPE_LESSON_PLAYER (nw_lesson_player_get_type ())
G_DECLARE_FINAL_TYPE (NwLessonPlayer, nw_lesson_player, NW, LESSON_PLAYER, GObject)

/* A player of `lesson` (taken) on `session` (a reference is kept). Nothing happens until
 * nw_lesson_player_start. */
NwLessonPlayer *nw_lesson_player_new        (NwSession *session, NwLesson *lesson);
/* Puts the lesson's network into the session, sets its pace and enters step 0. FALSE and the
 * error (the session as it was) when the lesson's network cannot train. */
gboolean        nw_lesson_player_start      (NwLessonPlayer *self, GError **error);

const NwLesson *nw_lesson_player_get_lesson (NwLessonPlayer *self);
NwSession      *nw_lesson_player_get_session (NwLessonPlayer *self);
int             nw_lesson_player_get_step   (NwLessonPlayer *self);
int             nw_lesson_player_get_n_steps (NwLessonPlayer *self);
const NwLessonStep *nw_lesson_player_get_current (NwLessonPlayer *self);

/* Moves to step `index`: forward (Next) keeps the run as it is and captures it; back puts
 * back the network and weights captured when that step was entered. Then the step's actions
 * run. FALSE (nothing changed) when out of range. */
gboolean        nw_lesson_player_go         (NwLessonPlayer *self, int index);
gboolean        nw_lesson_player_next       (NwLessonPlayer *self);
gboolean        nw_lesson_player_back       (NwLessonPlayer *self);
/* The network and weights as they were when this step was entered; its actions again. */
void            nw_lesson_player_restart    (NwLessonPlayer *self);

NwLessonQuestionState nw_lesson_player_get_question_state (NwLessonPlayer *self);
int             nw_lesson_player_get_choice (NwLessonPlayer *self);
/* The class's answer (0-based): the explanation shows and the step's training starts. */
void            nw_lesson_player_answer     (NwLessonPlayer *self, int choice);
/* The teacher shows the answer without one. */
void            nw_lesson_player_reveal     (NwLessonPlayer *self);

/* What the window shows: a mask of NW_LESSON_BIT (NwLessonView), and train/eval mode. */
guint           nw_lesson_player_get_views  (NwLessonPlayer *self);
NwLessonMode    nw_lesson_player_get_mode   (NwLessonPlayer *self);
double          nw_lesson_player_get_pace   (NwLessonPlayer *self);
/* TRUE while a train action of this step waits for its condition. */
gboolean        nw_lesson_player_get_training (NwLessonPlayer *self);
/* TRUE once every action of the step has run (a train action's condition met). */
gboolean        nw_lesson_player_get_step_done (NwLessonPlayer *self);
/* The run's step count as the lesson counts it (a step restored by Back counts from where
 * it was captured), from the newest snapshot. */
gint64          nw_lesson_player_get_run_step (NwLessonPlayer *self);

/* The current step's checks (borrowed; check i of the step is element i). */
const NwLessonCheckState *nw_lesson_player_get_checks (NwLessonPlayer *self, int *n);

/* A snapshot of the session's runner and its status (borrowed), for train conditions and
 * checks. */
void            nw_lesson_player_take_snapshot (NwLessonPlayer *self, const NwSnapshot *snap,
                                                const NwRunnerStatus *status);

/* Back to free play: the network as it is, paused, at full speed. The player does nothing
 * after this ("left"). */
void            nw_lesson_player_leave      (NwLessonPlayer *self);
gboolean        nw_lesson_player_get_left   (NwLessonPlayer *self);

G_END_DECLS
