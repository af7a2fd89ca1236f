/* nw-session.c: the network, its file, the runner, and what a person does to them. */
#include "nw-session-private.h"
#include "nw-i18n.h"

#include "nw-activation.h"
#include "nw-handoff.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (NwSession, nw_session, G_TYPE_OBJECT)

enum {
  PROP_0, PROP_FILE, PROP_MODIFIED, PROP_VALID, PROP_PLAYING, PROP_BUSY, PROP_PACE,
  PROP_PAUSED_BY, N_PROPS
};
static GParamSpec *props[N_PROPS];
guint nw_session_signals[NW_SESSION_N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers shared by the session's files                                                       */

void
nw_session_message (NwSession *self, const char *format, ...)
{
  g_autofree char *text = NULL;
  if (format != NULL)
    {
      va_list args;
      va_start (args, format);
      text = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_MESSAGE], 0, text);
}

static char *
display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  return path != NULL ? g_filename_display_name (path) : g_file_get_uri (file);
}

/* ------------------------------------------------------------------------------------------ */
/* The network and its state                                                                    */

const NwSpec *
nw_session_get_spec (NwSession *self)
{
  g_return_val_if_fail (NW_IS_SESSION (self), NULL);
  return self->spec;
}

GFile *
nw_session_get_file (NwSession *self)
{
  g_return_val_if_fail (NW_IS_SESSION (self), NULL);
  return self->file;
}

gboolean
nw_session_get_modified (NwSession *self)
{
  g_return_val_if_fail (NW_IS_SESSION (self), FALSE);
  return self->modified;
}

void
nw_session_set_modified (NwSession *self, gboolean modified)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (modified)
    self->edits++;
  if (self->modified == !!modified)
    return;
  self->modified = !!modified;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODIFIED]);
}

gboolean
nw_session_get_valid (NwSession *self)
{
  return self->valid;
}

const char *
nw_session_get_invalid_reason (NwSession *self)
{
  return self->invalid_reason;
}

void
nw_session_set_valid (NwSession *self, gboolean valid, const char *reason)
{
  gboolean changed = self->valid != valid || g_strcmp0 (self->invalid_reason, reason) != 0;
  self->valid = valid;
  g_free (self->invalid_reason);
  self->invalid_reason = g_strdup (reason);
  if (!valid)
    nw_session_set_playing (self, FALSE);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VALID]);
}

NwRunner *
nw_session_get_runner (NwSession *self)
{
  return self->runner;
}

guint
nw_session_get_generation (NwSession *self)
{
  return self->generation;
}

const NwSessionLayer *
nw_session_get_layers (NwSession *self, int *n_layers)
{
  *n_layers = self->n_layers;
  return self->layers;
}

static const char *
activation_plural (NwActivation act)
{
  switch (act)
    {
    /* Translators: "Most %s in ‘%s’ are saturated" */
    case NW_ACT_SIGMOID: return _("sigmoids");
    case NW_ACT_TANH: return _("tanh units");
    default: return _("units");
    }
}

char *
nw_session_health_alarm (NwSession *self, const NwSnapshot *snap)
{
  g_return_val_if_fail (NW_IS_SESSION (self), NULL);
  if (snap == NULL || snap->step <= 0)
    return NULL;
  for (int i = 0; i < snap->n_layers && i < self->n_layers; i++)
    {
      const NwLayerProbe *p = &snap->layers[i];
      const NwActivationInfo *info = p->kind == NW_NODE_ACTIVATION
                                     ? nw_activation_info (p->activation) : NULL;
      const char *id = self->layers[i].id;
      if (info == NULL)
        continue;
      /* A step passes no gradient at all, by design: the layers before it cannot learn by
       * backpropagation. Said as what it is, not as a vanishing gradient. */
      if (info->gradient_zero)
        return g_strdup_printf (_("‘%s’ is a step function: its gradient is zero everywhere, so "
                                "no gradient reaches the layers before it and they do not "
                                "learn. That is how a step works, not a fault: the perceptron "
                                "of the course notes learned with the perceptron rule instead. "
                                "A sigmoid is the smooth step that backpropagation can train."),
                                id);
      if (self->layers[i].feeds_loss)
        continue;
      if (info->can_die && isfinite (p->dead_units) && p->dead_units > 0.5)
        /* Translators: the activation (ReLU, Leaky ReLU, ...), the layer, the share of its dead
         * units */
        return g_strdup_printf (_("Most %ss in ‘%s’ are dead: %.0f%% of its units got an input "
                                "at or below zero from every example of the last batch, so "
                                "they pass no gradient and the layers before them learn less. "
                                "A smaller learning rate or He initialisation helps; press "
                                "Reset to start again."), info->label, id, 100 * p->dead_units);
      if (info->saturates && isfinite (p->saturated) && p->saturated > 0.5)
        /* Translators: the units ("sigmoids"), the layer, the share of saturated inputs */
        return g_strdup_printf (_("Most %s in ‘%s’ are saturated: %.0f%% of their inputs sit where "
                                "the curve is flat, so almost no gradient gets through to the "
                                "layers before it. Smaller initial weights, BatchNorm or ReLU "
                                "help."), activation_plural (p->activation), id,
                                100 * p->saturated);
    }
  return NULL;
}

int
nw_session_get_publish_ms (NwSession *self)
{
  return self->publish_ms;
}

NwJobs *
nw_session_get_jobs (NwSession *self)
{
  return self->jobs;
}

/* ------------------------------------------------------------------------------------------ */
/* The trainer                                                                                  */

static void
forget_layers (NwSession *self)
{
  for (int i = 0; i < self->n_layers; i++)
    g_free (self->layers[i].id);
  g_clear_pointer (&self->layers, g_free);
  self->n_layers = 0;
}

/* What the views need to know of the trainer's layers, copied before the runner owns it
 * (a snapshot's probes borrow from a trainer the worker may free after a replace). */
static void
record_layers (NwSession *self, NwTrainer *trainer)
{
  NwNet *net = nw_trainer_get_net (trainer);
  int n = nw_net_n_nodes (net), loss = n - 1;
  forget_layers (self);
  self->n_layers = n;
  self->layers = g_new0 (NwSessionLayer, n);
  for (int i = 0; i < n; i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      self->layers[i].id = g_strdup (info->spec->id);
      self->layers[i].kind = info->spec->kind;
      if (info->spec->kind == NW_NODE_LOSS)
        loss = i;
    }
  /* The activation right before the loss is an output: saturating there is what a trained
   * classifier does, not a vanishing gradient (the loss's own gradient makes up for it). */
  for (int k = 0; k < nw_net_node (net, loss)->n_inputs; k++)
    self->layers[nw_net_node (net, loss)->inputs[k]].feeds_loss = TRUE;
}

static int
test_every_for (NwTrainer *trainer)
{
  /* Small (2D) test splits in every snapshot; large ones (MNIST: 10,000 rows, as many
   * multiply-adds as a sixth of an epoch's forward passes) once per epoch, which is what the
   * digit view lists (bench/gui_epoch.sh: every 10th snapshot cost ~20% of an epoch). */
  return nw_trainer_get_data (trainer)->test.n <= 20000
         && nw_trainer_get_data (trainer)->train.d <= 16 ? 1 : NW_RUNNER_TEST_EACH_EPOCH;
}

static int
publish_ms_for (NwTrainer *trainer)
{
  return nw_trainer_get_data (trainer)->train.d <= 16 ? NW_SESSION_PUBLISH_MS
                                                      : NW_SESSION_PUBLISH_MS_IMAGES;
}

static void
set_paused_by (NwSession *self, NwPauseReason why, gint64 step)
{
  if (self->paused_by == why && self->paused_at_step == step)
    return;
  self->paused_by = why;
  self->paused_at_step = step;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAUSED_BY]);
}

/* The runner paused by itself (its pause source): playing follows, and whoever shows the
 * session is told why. */
static gboolean
on_runner_paused (gpointer data)
{
  NwSession *self = data;
  NwRunnerPause pause;
  if (self->runner == NULL || !nw_runner_take_pause (self->runner, &pause))
    return G_SOURCE_CONTINUE;
  if (pause.reason != NW_PAUSE_BUDGET && pause.reason != NW_PAUSE_ERROR)
    self->has_when = FALSE;   /* one-shot: the runner cleared them too */
  set_paused_by (self, pause.reason, pause.step);
  if (self->playing)
    {
      self->playing = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
    }
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_PAUSED], 0, (int) pause.reason,
                 pause.step);
  return G_SOURCE_CONTINUE;
}

static void
drop_runner (NwSession *self)
{
  if (self->pause_source != NULL)
    {
      g_source_destroy (self->pause_source);
      g_clear_pointer (&self->pause_source, g_source_unref);
    }
  g_clear_pointer (&self->runner, nw_runner_free);
}

/* The spec's budget: training.steps, or else .epochs (0 both: none). */
static void
budget_of (const NwTrainSpec *train, gint64 *steps, gint64 *epochs)
{
  *steps = train->steps;
  *epochs = train->steps > 0 ? 0 : train->epochs;
}

void
nw_session_install_trainer (NwSession *self, NwTrainer *trainer, gboolean keep_playing)
{
  gint64 budget_steps, budget_epochs;
  /* Playing on (or starting, for a pending play) from the first snapshot. */
  gboolean play = keep_playing && (self->playing || self->pending_play);
  gboolean was_playing = self->playing;
  int test_every = test_every_for (trainer);
  int publish_ms = publish_ms_for (trainer);
  gint64 first_step = nw_trainer_get_step (trainer);   /* read before the runner owns it */
  budget_of (&nw_trainer_get_spec (trainer)->train, &budget_steps, &budget_epochs);
  self->pending_play = FALSE;
  self->generation++;
  record_layers (self, trainer);
  /* Read before the runner's thread owns it: the device it is on, its network's shape. */
  nw_session_device_trainer_installed (self, trainer);
  /* A different cadence needs a new runner (its options are fixed); otherwise the runner
   * swaps trainers between two steps. */
  if (self->runner != NULL && (test_every != self->test_every || publish_ms != self->publish_ms))
    drop_runner (self);
  if (self->runner == NULL)
    {
      NwRunnerOptions options = {
        .publish_ms = publish_ms, .grid_n = NW_SESSION_GRID_N, .test_every = test_every,
        .max_steps = budget_steps, .max_epochs = budget_epochs, .pace = self->pace,
        /* The digit view's matrix and gallery come from the same pass. */
        .test_outputs = test_every == NW_RUNNER_TEST_EACH_EPOCH,
        /* Playing on at once: no paused first snapshot (an MNIST test pass of the untrained
         * network, in the first epoch). */
        .start_playing = play,
      };
      self->runner = nw_runner_new (trainer, &options);
      self->test_every = test_every;
      self->publish_ms = publish_ms;
      if (self->has_when)
        nw_runner_pause_when (self->runner, &self->when);
      self->pause_source = nw_runner_pause_source_new (self->runner);
      g_source_set_callback (self->pause_source, on_runner_paused, self, NULL);
      g_source_attach (self->pause_source, self->context);
    }
  else
    {
      /* The replace arms the budget again (unless the run is past it: a device move). */
      nw_runner_set_budget (self->runner, budget_steps, budget_epochs);
      if (play)
        nw_runner_replace_and_play (self->runner, trainer);
      else
        nw_runner_replace (self->runner, trainer);   /* the runner pauses on a replace */
    }
  self->playing = play;
  set_paused_by (self, play ? NW_PAUSE_NONE : NW_PAUSE_USER, first_step);
  nw_session_set_valid (self, TRUE, NULL);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_TRAINER_INSTALLED], 0);
  if (play != was_playing)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
}

/* Builds a trainer from the current spec and data and hands it to the runner; an invalid
 * network leaves the runner paused with what it had, and says why. */
void
nw_session_rebuild (NwSession *self)
{
  g_autoptr (GError) error = NULL;
  g_return_if_fail (NW_IS_SESSION (self));
  if (!nw_session_data_rebuild (self, &error))
    {
      nw_session_set_valid (self, FALSE, error->message);
      nw_session_message (self, _("The network cannot train: %s"), error->message);
      return;
    }
  nw_session_message (self, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Playing                                                                                      */

gboolean
nw_session_get_playing (NwSession *self)
{
  return self->playing;
}

void
nw_session_set_playing (NwSession *self, gboolean playing)
{
  g_return_if_fail (NW_IS_SESSION (self));
  playing = playing && self->valid && self->runner != NULL;
  if (!playing)
    self->pending_play = FALSE;   /* paused by hand: a network being opened stays paused */
  if (self->runner != NULL)
    {
      if (playing)
        nw_runner_play (self->runner);
      else if (self->playing)
        nw_runner_pause (self->runner);
    }
  if (playing)
    set_paused_by (self, NW_PAUSE_NONE, 0);
  else if (self->playing)
    set_paused_by (self, NW_PAUSE_USER, self->paused_at_step);
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
}

void
nw_session_play_when_ready (NwSession *self)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (nw_session_get_busy (self))
    self->pending_play = TRUE;
  else
    nw_session_set_playing (self, TRUE);
}

void
nw_session_step (NwSession *self)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (!self->valid || self->runner == NULL)
    return;
  nw_session_set_playing (self, FALSE);
  nw_runner_step (self->runner);
}

void
nw_session_reset (NwSession *self)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (!self->valid || self->runner == NULL)
    return;
  /* A trainer on the chosen device that could not take the run over takes this one. */
  if (nw_session_device_take_pending (self))
    return;
  nw_runner_reset (self->runner, self->spec->train.seed);
  /* A new run: the budget holds again (the runner arms it), so "Continue" is "Play" again. */
  if (self->paused_by == NW_PAUSE_BUDGET)
    set_paused_by (self, NW_PAUSE_USER, 0);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_RESET], 0);
}

void
nw_session_set_pace (NwSession *self, double steps_per_s)
{
  g_return_if_fail (NW_IS_SESSION (self));
  steps_per_s = isfinite (steps_per_s) && steps_per_s > 0 ? steps_per_s : 0;
  if (self->pace == steps_per_s)
    return;
  self->pace = steps_per_s;
  if (self->runner != NULL)
    nw_runner_set_pace (self->runner, steps_per_s);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PACE]);
}

double
nw_session_get_pace (NwSession *self)
{
  g_return_val_if_fail (NW_IS_SESSION (self), 0);
  return self->pace;
}

void
nw_session_pause_when (NwSession *self, const NwPauseWhen *when)
{
  g_return_if_fail (NW_IS_SESSION (self));
  self->has_when = when != NULL;
  if (when != NULL)
    self->when = *when;
  if (self->runner != NULL)
    nw_runner_pause_when (self->runner, when);
}

NwPauseReason
nw_session_get_paused_by (NwSession *self, gint64 *step)
{
  g_return_val_if_fail (NW_IS_SESSION (self), NW_PAUSE_NONE);
  if (step != NULL)
    *step = self->paused_at_step;
  return self->paused_by;
}

/* ------------------------------------------------------------------------------------------ */
/* Edits                                                                                        */

void
nw_session_set_train (NwSession *self, const NwTrainSpec *train)
{
  gboolean new_budget;
  g_return_if_fail (NW_IS_SESSION (self) && self->spec != NULL);
  if (memcmp (&self->spec->train, train, sizeof *train) == 0)
    return;
  new_budget = self->spec->train.steps != train->steps || self->spec->train.epochs != train->epochs;
  self->spec->train = *train;
  nw_session_set_modified (self, TRUE);
  if (self->runner != NULL && self->valid)
    nw_runner_set_hyper (self->runner, &self->spec->train);
  if (self->runner != NULL && new_budget)
    {
      gint64 steps, epochs;
      budget_of (&self->spec->train, &steps, &epochs);
      nw_runner_set_budget (self->runner, steps, epochs);
    }
}

void
nw_session_set_node_enabled (NwSession *self, const char *id, gboolean enabled)
{
  NwNodeSpec *node;
  g_return_if_fail (NW_IS_SESSION (self) && self->spec != NULL);
  node = nw_spec_find_node (self->spec, id);
  if (node == NULL)
    return;
  if (node->enabled != enabled)
    nw_session_set_modified (self, TRUE);
  node->enabled = enabled;
  if (self->runner != NULL && self->valid)
    nw_runner_set_enabled (self->runner, id, enabled);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_NODE_ENABLED], 0, id, enabled);
}

void
nw_session_set_graph (NwSession *self, NwSpec *graph, gboolean rebuild,
                      const char *invalid_reason)
{
  GPtrArray *tmp;
  g_return_if_fail (NW_IS_SESSION (self) && self->spec != NULL);
  tmp = self->spec->nodes;
  self->spec->nodes = graph->nodes;
  graph->nodes = tmp;
  tmp = self->spec->edges;
  self->spec->edges = graph->edges;
  graph->edges = tmp;
  nw_spec_free (graph);
  nw_session_set_modified (self, TRUE);
  if (!rebuild)
    return;
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_GRAPH_CHANGED], 0);
  if (invalid_reason != NULL)
    {
      nw_session_set_valid (self, FALSE, invalid_reason);
      return;
    }
  nw_session_rebuild (self);
}

/* Points from `spec`'s 2D generator (a new array), or NULL and the error. */
static GArray *
generate_points (const NwSpec *spec, GError **error)
{
  g_autoptr (NwDataset) ds = nw_dataset_new (&spec->data, NULL, error);   /* 2D: no folder */
  return ds != NULL ? nw_points_from_dataset (ds) : NULL;
}

static void
set_points (NwSession *self, GArray *points)
{
  g_clear_pointer (&self->points, g_array_unref);
  self->points = points;
  if (points != NULL)
    nw_session_data_forget (self);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_POINTS_CHANGED], 0);
}

GArray *
nw_session_get_points (NwSession *self)
{
  return self->points;
}

void
nw_session_add_point (NwSession *self, const NwPoint *point)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (self->points == NULL)
    return;
  g_array_append_val (self->points, *point);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_POINTS_CHANGED], 0);
  nw_session_rebuild (self);
}

void
nw_session_remove_point (NwSession *self, guint index)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (self->points == NULL || index >= self->points->len)
    return;
  g_array_remove_index (self->points, index);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_POINTS_CHANGED], 0);
  nw_session_rebuild (self);
}

void
nw_session_set_data (NwSession *self, const NwDataSpec *data)
{
  g_autoptr (GError) error = NULL;
  GArray *points;
  char *path;
  g_return_if_fail (NW_IS_SESSION (self) && self->spec != NULL);
  path = self->spec->data.path;
  self->spec->data = *data;
  self->spec->data.path = g_strdup (data->path);
  g_free (path);
  nw_session_set_modified (self, TRUE);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DATA_CHANGED], 0);
  points = generate_points (self->spec, &error);
  if (error != NULL)
    {
      nw_session_message (self, _("Could not make the data: %s"), error->message);
      return;
    }
  set_points (self, points);   /* NULL: data that is not 2D, no points to show */
  nw_session_rebuild (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                        */

void
nw_session_adopt (NwSession *self, NwSpec *spec, GFile *file, GArray *points, NwTrainer *trainer)
{
  gboolean play_after;
  if (self->spec != spec)
    {
      g_clear_pointer (&self->spec, nw_spec_free);
      self->spec = spec;
    }
  g_set_object (&self->file, file);
  self->modified = FALSE;
  set_points (self, points);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_SPEC_CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODIFIED]);
  if (trainer != NULL)
    {
      /* A pending play starts with this trainer (install_trainer takes it), unless weights
       * are to be loaded: their trainer replaces this one at once and plays instead. */
      play_after = self->pending_play && self->pending_weights != NULL;
      if (play_after)
        self->pending_play = FALSE;
      nw_session_message (self, NULL);
      nw_session_install_trainer (self, trainer, TRUE);
    }
  else
    {
      play_after = self->pending_play;
      self->pending_play = FALSE;
      nw_session_rebuild (self);
    }
  if (self->pending_weights != NULL)
    {
      g_autoptr (GFile) weights = g_steal_pointer (&self->pending_weights);
      nw_session_load_weights_when_ready (self, weights);
    }
  if (play_after)
    nw_session_set_playing (self, TRUE);
}

void
nw_session_set_spec (NwSession *self, NwSpec *spec, GFile *file)
{
  g_autoptr (GError) error = NULL;
  GArray *points;
  g_return_if_fail (NW_IS_SESSION (self));
  g_return_if_fail (spec != NULL);
  if (nw_session_data_needs_load (spec))
    {
      nw_session_data_open (self, spec, file, NULL);
      return;
    }
  points = generate_points (spec, &error);
  if (error != NULL)
    nw_session_message (self, _("Could not make the data: %s"), error->message);
  nw_session_adopt (self, spec, file, points, NULL);
}

/* Reads and checks `file`: a network that loads and can train (its data generated here, or
 * to be loaded), or NULL and the error. */
static NwSpec *
read_network (GFile *file, GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (NwDataset) ds = NULL;
  g_autoptr (NwTrainer) probe = NULL;
  GError *local = NULL;

  if (path == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("only local files can be opened"));
      return NULL;
    }
  spec = nw_spec_load (path, error);
  if (spec == NULL)
    return NULL;
  /* Loaded data is checked once it is there. */
  if (nw_session_data_needs_load (spec))
    return g_steal_pointer (&spec);
  /* A file that loads but cannot train (a broken graph, data that does not fit) is refused
   * too: the current network stays as it was. */
  if (nw_data_kind_is_2d (spec->data.kind))
    {
      ds = nw_dataset_new (&spec->data, NULL, &local);   /* 2D: no folder */
      if (ds != NULL)
        probe = nw_trainer_new (spec, g_steal_pointer (&ds), NULL, &local);
    }
  else
    probe = nw_trainer_new (spec, NULL, NULL, &local);
  if (probe == NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&spec);
}

static gboolean
open_file (NwSession *self, GFile *file, GTask *task, GError **error)
{
  NwSpec *spec = read_network (file, error);
  if (spec == NULL)
    {
      g_clear_object (&task);
      return FALSE;
    }
  nw_session_message (self, NULL);
  if (nw_session_data_needs_load (spec))
    {
      /* The network changes once its data is there and fits it, and stays when not. */
      nw_session_data_open (self, spec, file, task);
      return TRUE;
    }
  nw_session_set_playing (self, FALSE);
  nw_session_set_spec (self, spec, file);
  if (task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  return TRUE;
}

gboolean
nw_session_open (NwSession *self, GFile *file, GError **error)
{
  g_return_val_if_fail (NW_IS_SESSION (self), FALSE);
  return open_file (self, file, NULL, error);
}

void
nw_session_open_async (NwSession *self, GFile *file, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  GError *error = NULL;
  g_return_if_fail (NW_IS_SESSION (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nw_session_open_async);
  if (!open_file (self, file, g_object_ref (task), &error))
    g_task_return_error (task, error);
  g_object_unref (task);
}

gboolean
nw_session_open_finish (NwSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
nw_session_save (NwSession *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;
  g_return_val_if_fail (NW_IS_SESSION (self) && self->spec != NULL, FALSE);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("not a local file"));
      return FALSE;
    }
  if (!nw_spec_save (self->spec, path, error))
    return FALSE;
  if (self->file == NULL || !g_file_equal (self->file, file))
    {
      g_set_object (&self->file, file);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILE]);
    }
  nw_session_set_modified (self, FALSE);
  return TRUE;
}

typedef struct {
  NwSpec *spec;
  char   *path;
  GFile  *file;
  guint   edits;   /* the session's count of edits when the copy was taken */
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  NW_HANDOFF_ACQUIRE (job);
  nw_spec_free (job->spec);
  g_free (job->path);
  g_clear_object (&job->file);
  g_free (job);
}

static void
save_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  SaveJob *job = data;
  GError *error = NULL;
  gboolean ok;
  NW_HANDOFF_ACQUIRE (job);
  ok = nw_spec_save (job->spec, job->path, &error);
  NW_HANDOFF_RELEASE (job);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
nw_session_save_async (NwSession *self, GFile *file, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  SaveJob *job;
  g_return_if_fail (NW_IS_SESSION (self) && self->spec != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nw_session_save_async);
  job = g_new0 (SaveJob, 1);
  job->path = g_file_get_path (file);
  job->file = g_object_ref (file);
  job->edits = self->edits;
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  if (job->path == NULL)
    {
      g_task_return_new_error (task, NW_ERROR, NW_ERROR_IO, _("not a local file"));
      return;
    }
  /* Written from a copy: the network may change while the file is written. */
  job->spec = nw_spec_copy (self->spec);
  NW_HANDOFF_RELEASE (job);
  g_task_run_in_thread (task, save_in_thread);
}

gboolean
nw_session_save_finish (NwSession *self, GAsyncResult *result, GError **error)
{
  SaveJob *job;
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  NW_HANDOFF_ACQUIRE (job);
  if (self->file == NULL || !g_file_equal (self->file, job->file))
    {
      g_set_object (&self->file, job->file);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILE]);
    }
  /* Changed again while it was written: still modified. */
  if (self->edits == job->edits)
    nw_session_set_modified (self, FALSE);
  /* GLib may free the job on the worker after this (save_job_free). */
  NW_HANDOFF_RELEASE (job);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Weights                                                                                      */

gboolean
nw_session_load_weights (NwSession *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;
  NwDataSource *src;
  NwTrainer *trainer;

  g_return_val_if_fail (NW_IS_SESSION (self) && self->spec != NULL, FALSE);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = display_name (file);
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: not a local file"), name);
      return FALSE;
    }
  /* A fresh trainer on this thread takes the weights; only if they load does it replace the
   * running one, so a bad file leaves training as it was. */
  nw_session_set_playing (self, FALSE);
  src = nw_session_data_source (self);
  trainer = nw_trainer_new (self->spec, nw_data_source_make (src), NULL, error);
  nw_data_source_free (src);
  if (trainer != NULL && !nw_net_load_weights (nw_trainer_get_net (trainer), path, error))
    g_clear_pointer (&trainer, nw_trainer_free);
  if (trainer == NULL)
    return FALSE;
  nw_session_message (self, NULL);
  nw_session_install_trainer (self, trainer, FALSE);
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_WEIGHTS_LOADED], 0);
  return TRUE;
}

void
nw_session_load_weights_when_ready (NwSession *self, GFile *file)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (nw_session_get_busy (self))
    g_set_object (&self->pending_weights, file);
  else
    {
      g_autoptr (GError) error = NULL;
      /* The error names the file (the loaders' messages all do). */
      if (!nw_session_load_weights (self, file, &error))
        nw_session_message (self, _("Could not load weights: %s. The network was not changed."),
                            error->message);
    }
}

/* Restoring the last good weights: on the runner's thread, reported on the session's. */
typedef struct {
  GWeakRef      session;
  GMainContext *context;
  guint         generation;
  gint64        step;      /* the step they are from; -1: none */
  GError       *error;
} RestoreJob;

static void
restore_job_free (gpointer data)
{
  RestoreJob *job = data;
  NW_HANDOFF_ACQUIRE (job);
  g_weak_ref_clear (&job->session);
  g_main_context_unref (job->context);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
restore_report (gpointer data)
{
  RestoreJob *job = data;
  g_autoptr (NwSession) self = NULL;
  NW_HANDOFF_ACQUIRE (job);
  self = g_weak_ref_get (&job->session);
  if (self != NULL && self->generation == job->generation)
    {
      if (job->error != NULL)
        nw_session_message (self, _("Could not restore earlier weights: %s"), job->error->message);
      else
        {
          nw_session_message (self, _("The weights are back as they were at step %" PRId64
                              ", before training diverged. Lower the learning rate before "
                                "you press Play again."), job->step);
          if (self->runner != NULL)
            nw_runner_request_snapshot (self->runner);
        }
    }
  restore_job_free (job);
  return G_SOURCE_REMOVE;
}

static void
restore_on_worker (NwTrainer *trainer, gpointer data)
{
  RestoreJob *job = data;
  GMainContext *context;
  NW_HANDOFF_ACQUIRE (job);
  job->step = nw_trainer_get_last_good_step (trainer);
  nw_trainer_restore_last_good (trainer, &job->error);
  context = job->context;
  NW_HANDOFF_RELEASE (job);
  nw_report_to_context (context, restore_report, job);
}

void
nw_session_restore_last_good (NwSession *self)
{
  RestoreJob *job;
  g_return_if_fail (NW_IS_SESSION (self));
  if (self->runner == NULL)
    return;
  nw_session_set_playing (self, FALSE);
  job = g_new0 (RestoreJob, 1);
  g_weak_ref_init (&job->session, self);
  job->context = g_main_context_ref (self->context);
  job->generation = self->generation;
  NW_HANDOFF_RELEASE (job);
  nw_runner_call (self->runner, restore_on_worker, job, restore_job_free);
}

/* Saving weights: the trainer belongs to the runner's thread, so the save runs there,
 * between two steps (nw_runner_call), and the result comes back on the session's context. */
typedef struct {
  GTask *task;
  char  *path;
} SaveWeightsJob;

static gboolean
save_weights_report (gpointer data)
{
  NW_HANDOFF_ACQUIRE (data);
  /* The task returns on the context it was made on: this one. */
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* On the runner's thread. */
static void
save_weights_on_worker (NwTrainer *trainer, gpointer data)
{
  SaveWeightsJob *job = data;
  GError *error = NULL;
  GTask *task;
  if (nw_net_save_weights (nw_trainer_get_net (trainer), job->path, &error))
    g_task_return_boolean (job->task, TRUE);
  else
    g_task_return_error (job->task, error);
  /* The last reference goes on the session's context, never on this thread. */
  g_free (job->path);
  task = job->task;
  g_free (job);
  NW_HANDOFF_RELEASE (task);
  nw_report_to_context (g_task_get_context (task), save_weights_report, task);
}

/* The runner closed before the save ran. */
static void
save_weights_dropped (gpointer data)
{
  SaveWeightsJob *job = data;
  g_task_return_new_error (job->task, NW_ERROR, NW_ERROR_CANCELLED,
                           _("training was closed before the weights were saved"));
  nw_report_to_context (g_task_get_context (job->task), save_weights_report, job->task);
  g_free (job->path);
  g_free (job);
}

void
nw_session_save_weights_async (NwSession *self, GFile *file, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  GTask *task;
  SaveWeightsJob *job;
  g_autofree char *path = NULL;
  g_return_if_fail (NW_IS_SESSION (self));
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, nw_session_save_weights_async);
  path = g_file_get_path (file);
  if (path == NULL || self->runner == NULL)
    {
      g_task_return_new_error (task, NW_ERROR, NW_ERROR_IO, path == NULL
                               ? _("not a local file") : _("the network cannot train"));
      g_object_unref (task);
      return;
    }
  job = g_new0 (SaveWeightsJob, 1);
  job->task = task;
  job->path = g_steal_pointer (&path);
  nw_runner_call (self->runner, save_weights_on_worker, job, save_weights_dropped);
}

gboolean
nw_session_save_weights_finish (NwSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  NW_HANDOFF_ACQUIRE (result);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Life cycle                                                                                   */

static void
nw_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwSession *self = NW_SESSION (object);
  switch (prop_id)
    {
    case PROP_FILE:     g_value_set_object (value, self->file); break;
    case PROP_MODIFIED: g_value_set_boolean (value, self->modified); break;
    case PROP_VALID:    g_value_set_boolean (value, self->valid); break;
    case PROP_PLAYING:  g_value_set_boolean (value, self->playing); break;
    case PROP_BUSY:     g_value_set_boolean (value, nw_session_get_busy (self)); break;
    case PROP_PACE:     g_value_set_double (value, self->pace); break;
    case PROP_PAUSED_BY: g_value_set_int (value, self->paused_by); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  NwSession *self = NW_SESSION (object);
  switch (prop_id)
    {
    case PROP_PACE: nw_session_set_pace (self, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
nw_session_notify_busy (NwSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

static void
nw_session_dispose (GObject *object)
{
  NwSession *self = NW_SESSION (object);
  /* Stops the worker (mid-step or not) and joins it; work in the background is cancelled and
   * drops its results when it comes back. */
  drop_runner (self);
  nw_session_data_dispose (self);
  nw_session_device_dispose (self);
  G_OBJECT_CLASS (nw_session_parent_class)->dispose (object);
}

static void
nw_session_finalize (GObject *object)
{
  NwSession *self = NW_SESSION (object);
  g_clear_pointer (&self->spec, nw_spec_free);
  g_clear_object (&self->file);
  g_clear_object (&self->pending_weights);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->invalid_reason, g_free);
  forget_layers (self);
  nw_jobs_unref (self->jobs);
  g_free (self->data_root);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (nw_session_parent_class)->finalize (object);
}

static void
nw_session_class_init (NwSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = nw_session_get_property;
  object_class->set_property = nw_session_set_property;
  object_class->dispose = nw_session_dispose;
  object_class->finalize = nw_session_finalize;

  props[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_MODIFIED] = g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_VALID] = g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Steps per second while playing, 0: full speed (nw_session_set_pace). */
  props[PROP_PACE] = g_param_spec_double ("pace", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                          | G_PARAM_STATIC_STRINGS);
  /* NwPauseReason (nw_session_get_paused_by). */
  props[PROP_PAUSED_BY] = g_param_spec_int ("paused-by", NULL, NULL, NW_PAUSE_NONE,
                                            NW_PAUSE_ERROR, NW_PAUSE_USER,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

#define SIGNAL(id, name, n, ...) \
  nw_session_signals[id] = g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, \
                                         0, NULL, NULL, NULL, G_TYPE_NONE, n, ##__VA_ARGS__)
  /* A new network (opened, set): every control shows it anew. */
  SIGNAL (NW_SESSION_SIGNAL_SPEC_CHANGED, "spec-changed", 0);
  /* The runner has a new trainer (perhaps a new runner): views start empty. */
  SIGNAL (NW_SESSION_SIGNAL_TRAINER_INSTALLED, "trainer-installed", 0);
  /* (text or NULL): a message for the user (NULL: the last one no longer applies). */
  SIGNAL (NW_SESSION_SIGNAL_MESSAGE, "message", 1, G_TYPE_STRING);
  /* (fraction, what): loading; fraction < 0 when it cannot be told. */
  SIGNAL (NW_SESSION_SIGNAL_DATA_PROGRESS, "data-progress", 2, G_TYPE_DOUBLE, G_TYPE_STRING);
  /* (text or NULL, is-error): what the data is, or why it failed; loading is over. */
  SIGNAL (NW_SESSION_SIGNAL_DATA_STATUS, "data-status", 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  /* Loaded data is in place (nw_session_get_dataset). */
  SIGNAL (NW_SESSION_SIGNAL_DATA_LOADED, "data-loaded", 0);
  /* (text): loading failed; the network stays as it was. */
  SIGNAL (NW_SESSION_SIGNAL_DATA_FAILED, "data-failed", 1, G_TYPE_STRING);
  SIGNAL (NW_SESSION_SIGNAL_POINTS_CHANGED, "points-changed", 0);
  SIGNAL (NW_SESSION_SIGNAL_WEIGHTS_LOADED, "weights-loaded", 0);
  /* The device's description, reason or state changed. */
  SIGNAL (NW_SESSION_SIGNAL_DEVICE_CHANGED, "device-changed", 0);
  /* A listing of devices started or finished. */
  SIGNAL (NW_SESSION_SIGNAL_DEVICES_CHANGED, "devices-changed", 0);
  /* The nodes or edges changed (nw_session_set_graph): views of the graph follow. */
  SIGNAL (NW_SESSION_SIGNAL_GRAPH_CHANGED, "graph-changed", 0);
  /* (id, enabled): a Dropout or BatchNorm node was switched on or off. */
  SIGNAL (NW_SESSION_SIGNAL_NODE_ENABLED, "node-enabled", 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  /* The run starts again from fresh weights, the same trainer (views start empty). */
  SIGNAL (NW_SESSION_SIGNAL_RESET, "reset", 0);
  /* The data settings changed (nw_session_set_data): new points, a new run follow. */
  SIGNAL (NW_SESSION_SIGNAL_DATA_CHANGED, "data-changed", 0);
  /* (reason, step): the run paused by itself (an int NwPauseReason: budget, a condition of
   * nw_session_pause_when, an error) at that step count; "playing" is FALSE already. */
  SIGNAL (NW_SESSION_SIGNAL_PAUSED, "paused", 2, G_TYPE_INT, G_TYPE_INT64);
#undef SIGNAL
}

static void
nw_session_init (NwSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->paused_by = NW_PAUSE_USER;
  self->when = NW_PAUSE_WHEN_NONE;
}

NwSession *
nw_session_new (const NwSessionOptions *options)
{
  static const NwSessionOptions defaults = { .backend = NW_BACKEND_AUTO };
  NwSession *self = g_object_new (NW_TYPE_SESSION, NULL);
  if (options == NULL)
    options = &defaults;
  self->jobs = options->jobs != NULL ? nw_jobs_ref (options->jobs) : nw_jobs_new ();
  self->data_root = g_strdup (options->data_root);
  nw_session_data_init (self);
  nw_session_device_init (self, options);
  return self;
}
