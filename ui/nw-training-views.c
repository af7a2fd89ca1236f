/* nw-training-views.c: the training views, and taking the runner's snapshots for them. */
#include "nw-training-views.h"
#include "nw-i18n.h"

#include "nw-activation-plot.h"
#include "nw-boundary-view.h"
#include "nw-grad-plot.h"
#include "nw-loss-plot.h"
#include "nw-ui.h"
#include "nw-weight-hist.h"

#include <math.h>
#include <string.h>
#include <time.h>

/* Views that change slowly and cost the most to draw (activations, weight histograms) take
 * at most one snapshot in this many microseconds while training. */
#define SLOW_VIEWS_US 140000

/* The training-mode switch's tooltips (translated where set; xgettext reads no macros) */
static const char *const train_mode_tip =
  N_("Draw the boundary as training sees it: dropout drops units (a fresh mask each frame) and "
     "BatchNorm normalises with the last training batch's statistics. Off: as evaluation sees "
     "it, with dropout off and BatchNorm's running averages.");
static const char *const train_mode_none_tip =
  N_("This network has no Dropout or BatchNorm layer: it behaves the same in training and in "
     "evaluation, so there is only one boundary to show.");

struct _NwTrainingViews
{
  GtkBox            parent_instance;

  /* template children */
  GtkWidget        *views_switcher_box;
  GtkStack         *views_stack;
  NwMnistPanel     *mnist_panel;
  GtkWidget        *boundary_card;
  GtkBox           *train_mode_box;
  GtkSwitch        *train_mode_switch;
  GtkCheckButton   *show_test_check;
  NwBoundaryView   *boundary_view;
  GtkToggleButton  *class1_toggle;
  GtkLabel         *points_label;
  GtkInscription   *loss_label;
  GtkInscription   *accuracy_label;
  GtkToggleButton  *log_toggle;
  NwLossPlot       *loss_plot;
  NwGradPlot       *grad_plot;
  NwActivationPlot *activation_plot;
  NwWeightHist     *weight_hist;

  NwSession        *session;
  /* taking snapshots */
  NwRunner         *watched_runner;
  guint             tick_id;         /* polls the runner at each frame (2D data) */
  GSource          *runner_source;   /* or wakes the views when it publishes (images) */
  char            **layer_ids;       /* the trainer's layers, copied when it is installed */
  /* the last snapshot's grids, for the train/eval switch */
  int               grid_n;
  float            *grid_eval;
  float            *grid_train;
  gint64            slow_views_us;   /* when the activation and weight views last took one */
  gint64            live_text_us;    /* when the loss and accuracy text last changed */
  gint64            text_epoch;      /* the epoch it showed (a new epoch shows at once) */
  /* NW_DEBUG_FPS */
  gboolean          debug_fps;
  gint64            fps_since;
  int               fps_frames, fps_snapshots;
  double            fps_steps_per_s;
  gint64            play_since_us;   /* when Play last started (epoch times) */
  gint64            play_cpu_us;     /* the main thread's CPU time then */
  gint64            epoch_logged;
  gboolean          was_playing;
  gboolean          boundary_wanted;  /* a lesson may hide the boundary */
};

enum { SNAPSHOT, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NwTrainingViews, nw_training_views, GTK_TYPE_BOX)

static void watch_runner (NwTrainingViews *self);

/* CPU time of this thread, in microseconds (NW_DEBUG_FPS's figures). */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;
  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* ---- the boundary and the points ---- */

static void
clear_grids (NwTrainingViews *self)
{
  g_clear_pointer (&self->grid_eval, g_free);
  g_clear_pointer (&self->grid_train, g_free);
  self->grid_n = 0;
}

/* The boundary the switch asks for, from the last snapshot's grids. */
static void
show_boundary (NwTrainingViews *self)
{
  gboolean train = gtk_switch_get_active (self->train_mode_switch)
                   && gtk_widget_get_sensitive (GTK_WIDGET (self->train_mode_switch));
  const float *grid = train && self->grid_train != NULL ? self->grid_train : self->grid_eval;
  nw_boundary_view_set_caption (self->boundary_view, train && self->grid_train != NULL
                                ? _("training mode: dropout on, batch statistics") : NULL);
  if (self->session == NULL || nw_session_get_points (self->session) == NULL || grid == NULL)
    nw_boundary_view_set_grid (self->boundary_view, 0, NULL);
  else
    nw_boundary_view_set_grid (self->boundary_view, self->grid_n, grid);
}

/* The snapshot's grids, kept for the train/eval switch. */
static void
take_grids (NwTrainingViews *self, const NwSnapshot *snap)
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

static void
sync_train_switch (NwTrainingViews *self)
{
  gboolean any = FALSE;
  int n = 0;
  const NwSessionLayer *layers = self->session != NULL
                                 ? nw_session_get_layers (self->session, &n) : NULL;
  const char *tip;
  for (int i = 0; i < n; i++)
    any = any || layers[i].kind == NW_NODE_DROPOUT || layers[i].kind == NW_NODE_BATCHNORM;
  tip = _(any ? train_mode_tip : train_mode_none_tip);
  gtk_widget_set_sensitive (GTK_WIDGET (self->train_mode_switch), any);
  /* On the box too: it stays sensitive, so the reason shows however the pointer comes. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->train_mode_box), tip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->train_mode_switch), tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->train_mode_switch),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tip, -1);
  show_boundary (self);
}

static void
show_points (NwTrainingViews *self)
{
  GArray *points = self->session != NULL ? nw_session_get_points (self->session) : NULL;
  guint n_test = 0;
  g_autofree char *text = NULL;
  nw_boundary_view_set_message (self->boundary_view, points == NULL
                                ? _("This data is not 2D: there is no boundary to draw") : NULL);
  if (points == NULL)
    {
      nw_boundary_view_set_points (self->boundary_view, NULL, 0);
      nw_ui_set_label (self->points_label, "");
      return;
    }
  for (guint i = 0; i < points->len; i++)
    n_test += g_array_index (points, NwPoint, i).test != 0;
  nw_boundary_view_set_points (self->boundary_view, (const NwPoint *) points->data, points->len);
  text = g_strdup_printf (_("%u training · %u test points"), points->len - n_test, n_test);
  nw_ui_set_label (self->points_label, text);
}

/* MNIST and Fashion-MNIST show the digit view beside the plots (a stack with a switcher;
 * there is no boundary for 784 inputs). Without the stack's crossfade: the whole layout
 * changes here anyway, and the fade repainted the large view area for 200 ms, a core's worth
 * of compositing taken from a trainer that is often already running (bench/gui_epoch.sh). */
static void
sync_mode (NwTrainingViews *self)
{
  const NwSpec *spec = self->session != NULL ? nw_session_get_spec (self->session) : NULL;
  gboolean images = spec != NULL && nw_data_kind_is_image (spec->data.kind);
  gboolean was = gtk_widget_get_visible (self->views_switcher_box);
  gtk_widget_set_visible (self->views_switcher_box, images);
  gtk_widget_set_visible (self->boundary_card, !images && self->boundary_wanted);
  nw_mnist_panel_set_class_names (self->mnist_panel,
                                  spec != NULL ? nw_data_class_names (spec->data.kind) : NULL);
  if (!images)
    gtk_stack_set_visible_child_full (self->views_stack, "plots", GTK_STACK_TRANSITION_TYPE_NONE);
  else if (!was)
    gtk_stack_set_visible_child_full (self->views_stack, "digits", GTK_STACK_TRANSITION_TYPE_NONE);
}

void
nw_training_views_set_shown (NwTrainingViews *self, gboolean boundary, gboolean loss,
                             gboolean gradients, gboolean activations, gboolean weights)
{
  g_return_if_fail (NW_IS_TRAINING_VIEWS (self));
  self->boundary_wanted = boundary;
  /* Each plot's card is its parent (the heading and the plot) */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->loss_plot)), loss);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->grad_plot)), gradients);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->activation_plot)), activations);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->weight_hist)), weights);
  /* With the right column empty, the left one takes its room. */
  gtk_widget_set_hexpand (self->boundary_card, !gradients && !activations && !weights);
  sync_mode (self);
}

/* ---- snapshots ---- */

void
nw_training_views_clear (NwTrainingViews *self)
{
  nw_loss_plot_clear (self->loss_plot);
  nw_grad_plot_clear (self->grad_plot);
  nw_activation_plot_clear (self->activation_plot);
  nw_weight_hist_clear (self->weight_hist);
  clear_grids (self);
  nw_boundary_view_set_grid (self->boundary_view, 0, NULL);
  nw_ui_set_value (self->loss_label, "–");
  nw_ui_set_value (self->accuracy_label, "");
  self->epoch_logged = 0;
  sync_train_switch (self);
}

/* The runner hands out no snapshot of a replaced trainer (nw_runner_take): this is a guard
 * for the views, which label the snapshot's layers with the session's ids. */
static gboolean
snapshot_matches (NwTrainingViews *self, const NwSnapshot *snap)
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

static void
show_loss_text (NwTrainingViews *self, const NwSnapshot *snap)
{
  char buf[128];
  if (isfinite (snap->train_loss))
    {
      g_snprintf (buf, sizeof buf, snap->train_loss >= 0.001 ? "%.4f" : "%.2e", snap->train_loss);
      nw_ui_set_value (self->loss_label, buf);
      g_snprintf (buf, sizeof buf, _("accuracy %.1f%%"), 100 * snap->train_acc);
      nw_ui_set_value (self->accuracy_label, buf);
    }
  if (isfinite (snap->test_loss) && isfinite (snap->train_acc))
    {
      g_snprintf (buf, sizeof buf, _("accuracy %.1f%% · test loss %.4f, accuracy %.1f%%"),
                  100 * snap->train_acc, snap->test_loss, 100 * snap->test_acc);
      nw_ui_set_value (self->accuracy_label, buf);
    }
  else if (isfinite (snap->test_loss))
    {
      g_snprintf (buf, sizeof buf, _("test loss %.4f, accuracy %.1f%%"), snap->test_loss,
                  100 * snap->test_acc);
      nw_ui_set_value (self->accuracy_label, buf);
    }
}

/* NW_DEBUG_FPS: when each epoch ended while playing (bench/gui_epoch.sh), as the runner
 * timed it, and when its snapshot was shown (up to one publish interval and a test-set
 * evaluation later). */
static void
log_epoch (NwTrainingViews *self, const NwSnapshot *snap, const NwRunnerStatus *status,
           gint64 now)
{
  const NwSpec *spec = nw_session_get_spec (self->session);
  gint64 ended = status->epoch_end_us >= self->play_since_us ? status->epoch_end_us : now;
  g_printerr ("neurowire: %s data: epoch %" G_GINT64_FORMAT " ended %.3f s after Play, "
              "shown %.3f s after Play at step %" G_GINT64_FORMAT "; main thread %.1f ms "
              "of CPU since Play\n",
              nw_data_kind_name (spec->data.kind), snap->epoch,
              (ended - self->play_since_us) / 1e6, (now - self->play_since_us) / 1e6,
              snap->step, (thread_cpu_us () - self->play_cpu_us) / 1e3);
  self->epoch_logged = snap->epoch;
}

static void
show_snapshot (NwTrainingViews *self, const NwSnapshot *snap, const NwRunnerStatus *status)
{
  const char *const *ids = (const char *const *) self->layer_ids;
  gboolean playing = nw_session_get_playing (self->session);
  gint64 now = g_get_monotonic_time ();
  gboolean text_due = !playing || now - self->live_text_us >= NW_TRAINING_VIEWS_LIVE_TEXT_US;

  if (snap != NULL && !snapshot_matches (self, snap))
    snap = NULL;
  /* The test passes of snapshots nobody took (epochs that ended while the main thread was
   * busy) come before the snapshot's own. */
  for (guint i = 0; status->missed_tests != NULL && i < status->missed_tests->len; i++)
    {
      const NwRunnerTest *t = &g_array_index (status->missed_tests, NwRunnerTest, i);
      nw_loss_plot_add (self->loss_plot, t->step, NAN, NAN, t->test_loss, t->test_acc);
    }
  if (snap != NULL)
    {
      text_due = text_due || snap->epoch != self->text_epoch;
      if (text_due)
        {
          show_loss_text (self, snap);
          self->live_text_us = now;
          self->text_epoch = snap->epoch;
        }
      take_grids (self, snap);
      nw_loss_plot_push_snapshot (self->loss_plot, snap);
      nw_grad_plot_push_snapshot (self->grad_plot, snap, ids);
      if (self->debug_fps && snap->epoch > self->epoch_logged && playing)
        log_epoch (self, snap, status, now);
      /* Activations and weight histograms change slowly and cost the most to draw: while
       * playing they take at most ~7 snapshots a second. */
      if (!playing || now - self->slow_views_us >= SLOW_VIEWS_US)
        {
          nw_activation_plot_push_snapshot (self->activation_plot, snap, ids);
          nw_weight_hist_push_snapshot (self->weight_hist, snap, ids);
          self->slow_views_us = now;
        }
    }
  g_signal_emit (self, signals[SNAPSHOT], 0, snap, status, text_due);
}

/* Takes what the runner published, if anything, and shows it. */
static void
take_published (NwTrainingViews *self)
{
  NwSnapshot *snap = NULL;
  NwRunnerStatus status = { 0 };
  NwRunner *runner = self->session != NULL ? nw_session_get_runner (self->session) : NULL;
  if (runner != NULL && nw_runner_take (runner, &snap, &status))
    {
      show_snapshot (self, snap, &status);
      self->fps_snapshots++;
      self->fps_steps_per_s = status.steps_per_s;
      nw_snapshot_free (snap);
      nw_runner_status_clear (&status);
    }
}

/* NW_DEBUG_FPS: frames (ticks of the frame clock; 0 while the runner's source wakes the
 * views instead) and snapshots per second, every 2 s. */
static void
debug_fps (NwTrainingViews *self, gint64 now, double clock_fps)
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
  NwTrainingViews *self = NW_TRAINING_VIEWS (widget);
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
  NwTrainingViews *self = data;
  take_published (self);
  if (self->debug_fps)
    debug_fps (self, g_get_monotonic_time (), 0);
  return G_SOURCE_CONTINUE;
}

static void
unwatch_runner (NwTrainingViews *self)
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
  self->watched_runner = NULL;
}

/* At 30 snapshots a second (2D data) the frame clock polls the runner at every frame: the
 * views change with nearly every frame anyway. At 8 (images), a tick callback would keep the
 * frame clock, and the main thread, waking 60 times a second (~250 wake-ups with the frame's
 * own work), each time taking a core from the trainer's two BLAS threads on a 2-core machine
 * (bench/gui_epoch.sh); the runner's source wakes the views once per snapshot and the frame
 * clock runs only for what that snapshot redraws. */
static void
watch_runner (NwTrainingViews *self)
{
  NwRunner *runner = self->session != NULL ? nw_session_get_runner (self->session) : NULL;
  unwatch_runner (self);
  self->watched_runner = runner;
  if (runner == NULL)
    return;
  if (nw_session_get_publish_ms (self->session) >= NW_SESSION_PUBLISH_MS_IMAGES)
    {
      self->runner_source = nw_runner_source_new (runner);
      g_source_set_callback (self->runner_source, on_published, self, NULL);
      g_source_attach (self->runner_source, NULL);
    }
  else
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

/* ---- the session ---- */

/* A new trainer: the views start empty, labelled with its layers; a new runner is watched. */
static void
on_trainer_installed (NwSession *session, NwTrainingViews *self)
{
  int n;
  const NwSessionLayer *layers = nw_session_get_layers (session, &n);
  g_strfreev (self->layer_ids);
  self->layer_ids = g_new0 (char *, n + 1);
  for (int i = 0; i < n; i++)
    self->layer_ids[i] = g_strdup (layers[i].id);
  if (nw_session_get_runner (session) != self->watched_runner)
    watch_runner (self);
  nw_training_views_clear (self);
}

static void
on_points_changed (NwSession *session, NwTrainingViews *self)
{
  show_points (self);
}

static void
on_spec_changed (NwSession *session, NwTrainingViews *self)
{
  sync_mode (self);
  show_points (self);
}

static void
on_playing_changed (NwSession *session, GParamSpec *pspec, NwTrainingViews *self)
{
  gboolean playing = nw_session_get_playing (session);
  if (!self->was_playing && playing)
    {
      self->play_since_us = g_get_monotonic_time ();
      self->play_cpu_us = thread_cpu_us ();
    }
  self->was_playing = playing;
}

/* ---- template callbacks ---- */

static void
on_point_added (NwBoundaryView *view, double x, double y, int label, NwTrainingViews *self)
{
  NwPoint p = { (float) x, (float) y, label ? 1 : 0, FALSE };
  if (self->session != NULL)
    nw_session_add_point (self->session, &p);
}

static void
on_point_removed (NwBoundaryView *view, int index, NwTrainingViews *self)
{
  if (self->session != NULL && index >= 0)
    nw_session_remove_point (self->session, (guint) index);
}

static void
on_class_toggled (GtkToggleButton *toggle, NwTrainingViews *self)
{
  nw_boundary_view_set_add_class (self->boundary_view,
                                  gtk_toggle_button_get_active (self->class1_toggle) ? 1 : 0);
}

static void
on_train_mode_changed (GtkSwitch *sw, GParamSpec *pspec, NwTrainingViews *self)
{
  show_boundary (self);
}

/* ---- public ---- */

void
nw_training_views_set_session (NwTrainingViews *self, NwSession *session)
{
  g_return_if_fail (NW_IS_TRAINING_VIEWS (self));
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect (session, "trainer-installed", G_CALLBACK (on_trainer_installed), self);
      g_signal_connect_swapped (session, "reset", G_CALLBACK (nw_training_views_clear), self);
      g_signal_connect (session, "points-changed", G_CALLBACK (on_points_changed), self);
      g_signal_connect (session, "spec-changed", G_CALLBACK (on_spec_changed), self);
      g_signal_connect (session, "notify::playing", G_CALLBACK (on_playing_changed), self);
      if (nw_session_get_spec (session) != NULL)
        {
          on_spec_changed (session, self);
          on_trainer_installed (session, self);
        }
    }
  else
    unwatch_runner (self);
}

NwMnistPanel *
nw_training_views_get_mnist_panel (NwTrainingViews *self)
{
  return self->mnist_panel;
}

const char *const *
nw_training_views_get_layer_ids (NwTrainingViews *self)
{
  return (const char *const *) self->layer_ids;
}

void
nw_training_views_set_debug_fps (NwTrainingViews *self, gboolean debug_fps)
{
  self->debug_fps = debug_fps;
}

static void
nw_training_views_dispose (GObject *object)
{
  NwTrainingViews *self = NW_TRAINING_VIEWS (object);
  unwatch_runner (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_TRAINING_VIEWS);
  G_OBJECT_CLASS (nw_training_views_parent_class)->dispose (object);
}

static void
nw_training_views_finalize (GObject *object)
{
  NwTrainingViews *self = NW_TRAINING_VIEWS (object);
  clear_grids (self);
  g_strfreev (self->layer_ids);
  G_OBJECT_CLASS (nw_training_views_parent_class)->finalize (object);
}

static void
nw_training_views_class_init (NwTrainingViewsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = nw_training_views_dispose;
  object_class->finalize = nw_training_views_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-training-views.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NwTrainingViews, name)
  BIND (views_switcher_box);
  BIND (views_stack);
  BIND (mnist_panel);
  BIND (boundary_card);
  BIND (train_mode_box);
  BIND (train_mode_switch);
  BIND (show_test_check);
  BIND (boundary_view);
  BIND (class1_toggle);
  BIND (points_label);
  BIND (loss_label);
  BIND (accuracy_label);
  BIND (log_toggle);
  BIND (loss_plot);
  BIND (grad_plot);
  BIND (activation_plot);
  BIND (weight_hist);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_point_added);
  gtk_widget_class_bind_template_callback (widget_class, on_point_removed);
  gtk_widget_class_bind_template_callback (widget_class, on_class_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_train_mode_changed);
  /* (snapshot or NULL, status, text-due): a snapshot was taken and shown; text-due says
   * whether text that changes with it is due (at most 4 times a second while playing). The
   * snapshot and status are borrowed for the emission. */
  signals[SNAPSHOT] = g_signal_new ("snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                    G_TYPE_POINTER, G_TYPE_POINTER, G_TYPE_BOOLEAN);
}

static void
nw_training_views_init (NwTrainingViews *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->boundary_wanted = TRUE;
  nw_ui_name_value (GTK_WIDGET (self->points_label), _("Points"));
  nw_ui_name_value (GTK_WIDGET (self->loss_label), _("Loss"));
  nw_ui_name_value (GTK_WIDGET (self->accuracy_label), _("Accuracy"));
  g_object_bind_property (self->show_test_check, "active", self->boundary_view, "show-test",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->log_toggle, "active", self->loss_plot, "log-scale",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mnist_panel),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Digit view"), -1);
}

GtkWidget *
nw_training_views_new (void)
{
  return g_object_new (NW_TYPE_TRAINING_VIEWS, NULL);
}
