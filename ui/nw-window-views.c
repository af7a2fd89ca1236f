/* nw-window-views.c: snapshots to views: the metrics, the decision boundary in evaluation or
 * training mode, the neuron maps in the editor's blocks, the plots and the alarms, taken on
 * the frame clock. */
#include "nw-window-private.h"

#include "nw-activation.h"

#include <math.h>
#include <string.h>

/* Views that change slowly and cost the most to draw (activations, weight histograms, the
 * neuron maps) take at most one snapshot in this many microseconds while training. */
#define SLOW_VIEWS_US 140000
/* Text that changes with every snapshot (counters, loss, speed, alarms, the MNIST progress)
 * while playing: 4 times a second. A label whose text changes makes GTK lay the window out
 * again, and with MNIST's panel on screen that took 13 ms a frame, a whole core at 46
 * frames/s, which the trainer's BLAS threads then lacked (bench/gui_epoch.sh). Numbers that
 * change 30 times a second cannot be read anyway. */
#define LIVE_TEXT_US 250000

#define TRAIN_MODE_TIP \
  "Draw the boundary as training sees it: dropout drops units (a fresh mask each frame) and " \
  "BatchNorm normalises with the last training batch's statistics. Off: as evaluation sees " \
  "it, with dropout off and BatchNorm's running averages."
#define TRAIN_MODE_NONE_TIP \
  "This network has no Dropout or BatchNorm layer: it behaves the same in training and in " \
  "evaluation, so there is only one boundary to show."

static void
clear_grids (NwWindow *self)
{
  g_clear_pointer (&self->grid_eval, g_free);
  g_clear_pointer (&self->grid_train, g_free);
  self->grid_n = 0;
}

/* The boundary the switch asks for, from the last snapshot's grids. */
static void
show_boundary (NwWindow *self)
{
  gboolean train = gtk_switch_get_active (self->train_mode_switch)
                   && gtk_widget_get_sensitive (GTK_WIDGET (self->train_mode_switch));
  const float *grid = train && self->grid_train != NULL ? self->grid_train : self->grid_eval;
  nw_boundary_view_set_caption (self->boundary_view, train && self->grid_train != NULL
                                ? "training mode: dropout on, batch statistics" : NULL);
  if (nw_session_get_points (self->session) == NULL || grid == NULL)
    nw_boundary_view_set_grid (self->boundary_view, 0, NULL);
  else
    nw_boundary_view_set_grid (self->boundary_view, self->grid_n, grid);
}

static void
on_train_mode_changed (GtkSwitch *sw, GParamSpec *pspec, NwWindow *self)
{
  show_boundary (self);
}

void
nw_window_views_sync_train_switch (NwWindow *self)
{
  gboolean any = FALSE;
  int n;
  const NwSessionLayer *layers = nw_session_get_layers (self->session, &n);
  for (int i = 0; i < n; i++)
    any = any || layers[i].kind == NW_NODE_DROPOUT || layers[i].kind == NW_NODE_BATCHNORM;
  gtk_widget_set_sensitive (GTK_WIDGET (self->train_mode_switch), any);
  /* On the box too: it stays sensitive, so the reason shows however the pointer comes. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->train_mode_box), any ? TRAIN_MODE_TIP : TRAIN_MODE_NONE_TIP);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->train_mode_switch), any ? TRAIN_MODE_TIP : TRAIN_MODE_NONE_TIP);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->train_mode_switch),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  any ? TRAIN_MODE_TIP : TRAIN_MODE_NONE_TIP, -1);
  show_boundary (self);
}

void
nw_window_views_clear (NwWindow *self)
{
  int n;
  const NwSessionLayer *layers = nw_session_get_layers (self->session, &n);
  /* The ids the plots are labelled with, for the trainer the runner has now. */
  g_clear_pointer (&self->layer_ids, g_strfreev);
  self->layer_ids = g_new0 (char *, n + 1);
  for (int i = 0; i < n; i++)
    self->layer_ids[i] = g_strdup (layers[i].id);
  nw_loss_plot_clear (self->loss_plot);
  nw_grad_plot_clear (self->grad_plot);
  nw_activation_plot_clear (self->activation_plot);
  nw_weight_hist_clear (self->weight_hist);
  clear_grids (self);
  nw_boundary_view_set_grid (self->boundary_view, 0, NULL);
  nw_editor_clear_neuron_images (self->editor);
  nw_ui_set_value (self->loss_label, "–");
  nw_ui_set_value (self->accuracy_label, "");
  nw_ui_set_value (self->step_label, "0");
  nw_ui_set_value (self->epoch_label, "0");
  self->last_step = -1;
  self->maps_us = 0;
  self->epoch_logged = 0;
  nw_window_set_alarm (self, NULL);
  nw_window_views_sync_train_switch (self);
  nw_window_mnist_clear (self);
}

/* The runner hands out no snapshot of a replaced trainer (nw_runner_take), so this holds; it
 * stays as a guard for the views, which index the window's layer ids by the snapshot's. */
static gboolean
snapshot_matches (NwWindow *self, const NwSnapshot *snap)
{
  int n;
  const NwSessionLayer *layers = nw_session_get_layers (self->session, &n);
  if (snap->n_layers != n)
    return FALSE;
  for (int i = 0; i < snap->n_layers; i++)
    if (snap->layers[i].kind != layers[i].kind)
      return FALSE;
  return TRUE;
}

static const char *
activation_plural (NwActivation act)
{
  switch (act)
    {
    case NW_ACT_SIGMOID: return "sigmoids";
    case NW_ACT_TANH: return "tanh units";
    default: return "ReLUs";
    }
}

/* Plain words for what is going wrong, or NULL. */
static char *
health_alarm (NwWindow *self, const NwSnapshot *snap)
{
  int n;
  const NwSessionLayer *layers = nw_session_get_layers (self->session, &n);
  if (snap->step <= 0)
    return NULL;
  for (int i = 0; i < snap->n_layers && i < n; i++)
    {
      const NwLayerProbe *p = &snap->layers[i];
      /* A step passes no gradient at all, by design: the layers before it cannot learn by
       * backpropagation. Said as what it is, not as a vanishing gradient. */
      if (p->kind == NW_NODE_ACTIVATION && nw_activation_gradient_is_zero (p->activation))
        return g_strdup_printf ("‘%s’ is a step function: its gradient is zero everywhere, so "
                                "no gradient reaches the layers before it and they do not "
                                "learn. That is how a step works, not a fault: the perceptron "
                                "of the course notes learned with the perceptron rule instead. "
                                "A sigmoid is the smooth step that backpropagation can train.",
                                layers[i].id);
      if (p->kind != NW_NODE_ACTIVATION || layers[i].feeds_loss)
        continue;
      if (p->activation == NW_ACT_RELU && isfinite (p->dead_units) && p->dead_units > 0.5)
        return g_strdup_printf ("Most ReLUs in ‘%s’ are dead: %.0f%% of its units got an input "
                                "at or below zero from every example of the last batch, so "
                                "they pass no gradient and the layers before them learn less. "
                                "A smaller learning rate or He initialisation helps; press "
                                "Reset to start again.", layers[i].id, 100 * p->dead_units);
      if ((p->activation == NW_ACT_SIGMOID || p->activation == NW_ACT_TANH)
          && isfinite (p->saturated) && p->saturated > 0.5)
        return g_strdup_printf ("Most %s in ‘%s’ are saturated: %.0f%% of their inputs sit where "
                                "the curve is flat, so almost no gradient gets through to the "
                                "layers before it. Smaller initial weights, BatchNorm or ReLU "
                                "help.", activation_plural (p->activation), layers[i].id,
                                100 * p->saturated);
    }
  return NULL;
}

static void
show_metrics (NwWindow *self, const NwSnapshot *snap)
{
  char buf[128];
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, snap->step);
  nw_ui_set_value (self->step_label, buf);
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, snap->epoch);
  nw_ui_set_value (self->epoch_label, buf);
  if (isfinite (snap->train_loss))
    {
      g_snprintf (buf, sizeof buf, snap->train_loss >= 0.001 ? "%.4f" : "%.2e", snap->train_loss);
      nw_ui_set_value (self->loss_label, buf);
      g_snprintf (buf, sizeof buf, "accuracy %.1f%%", 100 * snap->train_acc);
      nw_ui_set_value (self->accuracy_label, buf);
    }
  if (isfinite (snap->test_loss) && isfinite (snap->train_acc))
    {
      g_snprintf (buf, sizeof buf, "accuracy %.1f%% · test loss %.4f, accuracy %.1f%%",
                  100 * snap->train_acc, snap->test_loss, 100 * snap->test_acc);
      nw_ui_set_value (self->accuracy_label, buf);
    }
  else if (isfinite (snap->test_loss))
    {
      g_snprintf (buf, sizeof buf, "test loss %.4f, accuracy %.1f%%", snap->test_loss,
                  100 * snap->test_acc);
      nw_ui_set_value (self->accuracy_label, buf);
    }
}

/* The snapshot's grids, kept for the train/eval switch. */
static void
take_grids (NwWindow *self, const NwSnapshot *snap)
{
  gsize cells = (gsize) snap->grid_n * snap->grid_n;
  if (snap->grid_n <= 0 || snap->grid == NULL)
    return;
  if (snap->grid_n != self->grid_n)
    {
      clear_grids (self);
      self->grid_n = snap->grid_n;
      self->grid_eval = g_new (float, cells);
    }
  memcpy (self->grid_eval, snap->grid, cells * sizeof (float));
  if (snap->grid_train != NULL)
    {
      if (self->grid_train == NULL)
        self->grid_train = g_new (float, cells);
      memcpy (self->grid_train, snap->grid_train, cells * sizeof (float));
    }
  else
    g_clear_pointer (&self->grid_train, g_free);
  show_boundary (self);
}

/* Each hidden unit's output over the boundary's window, drawn in its block. */
static void
take_neuron_maps (NwWindow *self, const NwSnapshot *snap)
{
  for (int i = 0; i < snap->n_layers; i++)
    {
      const NwLayerProbe *p = &snap->layers[i];
      if (p->maps != NULL && snap->map_n > 0)
        nw_editor_set_neuron_images (self->editor, self->layer_ids[i], p->maps, p->width,
                                     snap->map_n, p->map_lo, p->map_hi);
      else if (p->kind == NW_NODE_DENSE || p->kind == NW_NODE_ACTIVATION)
        nw_editor_set_neuron_images (self->editor, self->layer_ids[i], NULL, 0, 0, 0, 0);
    }
}

/* The test passes of snapshots the window never took (epochs that ended while it was busy),
 * before the snapshot's own: on the loss plot and in the MNIST view's accuracy list. */
static void
apply_missed_tests (NwWindow *self, const GArray *missed)
{
  for (guint i = 0; missed != NULL && i < missed->len; i++)
    {
      const NwRunnerTest *t = &g_array_index (missed, NwRunnerTest, i);
      nw_loss_plot_add (self->loss_plot, t->step, NAN, NAN, t->test_loss, t->test_acc);
      nw_window_mnist_missed_test (self, t);
    }
}

static void
apply_snapshot (NwWindow *self, const NwSnapshot *snap, const NwRunnerStatus *status)
{
  const char *const *ids = (const char *const *) self->layer_ids;
  if (snap != NULL && snapshot_matches (self, snap))
    {
      gint64 now = g_get_monotonic_time ();
      gboolean playing = nw_session_get_playing (self->session);
      gboolean text_due = !playing || now - self->live_text_us >= LIVE_TEXT_US
                          || snap->epoch != self->text_epoch;
      if (text_due)
        {
          show_metrics (self, snap);
          self->live_text_us = now;
          self->text_epoch = snap->epoch;
        }
      take_grids (self, snap);
      apply_missed_tests (self, status->missed_tests);
      nw_loss_plot_push_snapshot (self->loss_plot, snap);
      nw_grad_plot_push_snapshot (self->grad_plot, snap, ids);
      nw_window_mnist_snapshot (self, snap, text_due);
      /* NW_DEBUG_FPS: when each epoch ended while playing (bench/gui_epoch.sh), as the runner
       * timed it, and when its snapshot was shown (up to one publish interval and a test-set
       * evaluation later). */
      if (self->debug_fps && snap->epoch > self->epoch_logged && playing)
        {
          gint64 ended = status->epoch_end_us >= self->play_since_us ? status->epoch_end_us : now;
          g_printerr ("neurowire: %s data: epoch %" G_GINT64_FORMAT " ended %.3f s after Play, "
                      "shown %.3f s after Play at step %" G_GINT64_FORMAT "; main thread %.1f ms "
                      "of CPU since Play\n",
                      nw_data_kind_name (nw_window_spec (self)->data.kind), snap->epoch,
                      (ended - self->play_since_us) / 1e6, (now - self->play_since_us) / 1e6,
                      snap->step, (nw_window_thread_cpu_us () - self->play_cpu_us) / 1e3);
          self->epoch_logged = snap->epoch;
        }
      /* Activations and weight histograms change slowly and cost the most to draw: while
       * playing they take at most ~7 snapshots a second. */
      if (!playing || now - self->slow_views_us >= SLOW_VIEWS_US)
        {
          nw_activation_plot_push_snapshot (self->activation_plot, snap, ids);
          nw_weight_hist_push_snapshot (self->weight_hist, snap, ids);
          self->slow_views_us = now;
        }
      /* So do the neuron maps; every one redraws the editor. */
      if (snap->map_n > 0 || self->maps_us == 0)
        if (!playing || now - self->maps_us >= SLOW_VIEWS_US)
          {
            take_neuron_maps (self, snap);
            self->maps_us = now;
          }
      if (status->error == NULL && text_due)
        {
          g_autofree char *alarm = health_alarm (self, snap);
          nw_window_set_alarm (self, alarm);
        }
      self->last_step = snap->step;
    }
  if (status->error != NULL)
    {
      g_autofree char *text = g_strdup_printf ("Training stopped: %s. Press Reset to start "
                                               "again.", status->error);
      /* The runner paused itself: the session (and the controls) follow. */
      nw_session_set_playing (self->session, FALSE);
      nw_window_set_alarm (self, text);
    }
  if (nw_session_get_playing (self->session) && status->playing && g_get_monotonic_time () - self->speed_text_us >= LIVE_TEXT_US)
    {
      char buf[64];
      self->speed_text_us = g_get_monotonic_time ();
      if (status->steps_per_s >= 10000)
        g_snprintf (buf, sizeof buf, "%.0fk steps/s", status->steps_per_s / 1000);
      else
        g_snprintf (buf, sizeof buf, "%.0f steps/s", status->steps_per_s);
      nw_ui_set_value (self->speed_label, buf);
    }
}

/* Takes what the runner published, if anything, and shows it. */
static void
take_published (NwWindow *self)
{
  NwSnapshot *snap = NULL;
  NwRunnerStatus status = { 0 };
  NwRunner *runner = nw_session_get_runner (self->session);
  if (runner != NULL && nw_runner_take (runner, &snap, &status))
    {
      apply_snapshot (self, snap, &status);
      self->fps_snapshots++;
      self->fps_steps_per_s = status.steps_per_s;
      nw_snapshot_free (snap);
      nw_runner_status_clear (&status);
    }
}

/* NW_DEBUG_FPS: frames (ticks of the frame clock; 0 while the runner's source wakes the
 * window instead) and snapshots per second, every 2 s. */
static void
debug_fps (NwWindow *self, gint64 now, double clock_fps)
{
  double dt;
  if (self->fps_since == 0)
    {
      self->fps_since = now;
      return;
    }
  if (now - self->fps_since < 2 * G_USEC_PER_SEC)
    return;
  dt = (now - self->fps_since) / 1e6;
  g_printerr ("neurowire: %.1f frames/s (clock %.1f), %.1f snapshots/s, %.0f steps/s\n",
              self->fps_frames / dt, clock_fps, self->fps_snapshots / dt, self->fps_steps_per_s);
  self->fps_since = now;
  self->fps_frames = self->fps_snapshots = 0;
}

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  NwWindow *self = NW_WINDOW (widget);
  take_published (self);
  if (self->debug_fps)
    {
      self->fps_frames++;
      debug_fps (self, gdk_frame_clock_get_frame_time (clock), gdk_frame_clock_get_fps (clock));
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_published (gpointer data)
{
  NwWindow *self = data;
  take_published (self);
  if (self->debug_fps)
    debug_fps (self, g_get_monotonic_time (), 0);
  return G_SOURCE_CONTINUE;
}

void
nw_window_views_unwatch_runner (NwWindow *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  if (self->runner_source != NULL)
    {
      g_source_destroy (self->runner_source);
      g_clear_pointer (&self->runner_source, g_source_unref);
    }
}

void
nw_window_views_watch_runner (NwWindow *self)
{
  NwRunner *runner = nw_session_get_runner (self->session);
  nw_window_views_unwatch_runner (self);
  /* At 30 snapshots a second (2D data) the frame clock polls the runner at every frame: the
   * views change with nearly every frame anyway. At 8 (images), a tick callback would keep
   * the frame clock, and the main thread, waking 60 times a second (~250 wake-ups with the
   * frame's own work), each time taking a core from the trainer's two BLAS threads on a
   * 2-core machine (bench/gui_epoch.sh); the runner's source wakes it once per snapshot and
   * the frame clock runs only for what that snapshot redraws. */
  self->watched_runner = runner;
  if (runner != NULL && nw_session_get_publish_ms (self->session) >= NW_SESSION_PUBLISH_MS_IMAGES)
    {
      self->runner_source = nw_runner_source_new (runner);
      g_source_set_callback (self->runner_source, on_published, self, NULL);
      g_source_attach (self->runner_source, NULL);
    }
  else
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

void
nw_window_views_init (NwWindow *self)
{
  g_signal_connect (self->train_mode_switch, "notify::active", G_CALLBACK (on_train_mode_changed),
                    self);
}

void
nw_window_views_finalize (NwWindow *self)
{
  clear_grids (self);
  g_clear_pointer (&self->layer_ids, g_strfreev);
}
