/* nw-window.c: the main window: controls, views, files, and the hand-off with the runner. */
#include "nw-window-private.h"

#include "nw-ui.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define N_2D_KINDS (NW_DATA_CHECKERBOARD + 1)

G_DEFINE_FINAL_TYPE (NwWindow, nw_window, GTK_TYPE_APPLICATION_WINDOW)

static void rebuild_trainer (NwWindow *self);
static void update_title (NwWindow *self);

/* ------------------------------------------------------------------------------------------ */
/* Messages and alarms                                                                         */

void
nw_window_show_message (NwWindow *self, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  nw_ui_set_label (self->message_label, text);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
}

void
nw_window_dismiss_message (NwWindow *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

void
nw_window_set_alarm (NwWindow *self, const char *text)
{
  if (text == NULL)
    {
      gtk_revealer_set_reveal_child (self->alarm_revealer, FALSE);
      return;
    }
  nw_ui_set_label (self->alarm_label, text);
  gtk_revealer_set_reveal_child (self->alarm_revealer, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* Play state                                                                                  */

void
nw_window_update_play_button (NwWindow *self)
{
  const char *name = self->playing ? "Pause" : "Play";
  gtk_image_set_from_icon_name (self->play_icon, self->playing ? "media-playback-pause-symbolic"
                                                               : "media-playback-start-symbolic");
  gtk_label_set_text (self->play_label, name);  /* the button carries the name */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (!self->valid)
    {
      g_autofree char *tip = g_strdup_printf ("The network cannot train: %s",
                                              self->invalid_reason ? self->invalid_reason : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                                 self->playing ? "Pause (Space)" : "Play (Space)");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play", self->valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", self->valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset", self->valid);
  if (!self->playing)
    nw_ui_set_value (self->speed_label, self->valid ? "paused" : "cannot train");
}

void
nw_window_set_playing (NwWindow *self, gboolean playing)
{
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
  if (self->playing && !playing)
    nw_window_mnist_fetch_model (self);   /* paused: the model as it is now */
  if (!self->playing && playing)
    {
      self->play_since_us = g_get_monotonic_time ();
      self->play_cpu_us = nw_window_thread_cpu_us ();
    }
  self->playing = playing;
  nw_window_update_play_button (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The network's state: modified, title                                                         */

static void
set_modified (NwWindow *self, gboolean modified)
{
  if (self->modified == modified)
    return;
  self->modified = modified;
  update_title (self);
}

static void
update_title (NwWindow *self)
{
  g_autofree char *base = self->file != NULL ? g_file_get_basename (self->file) : NULL;
  const char *name = self->spec != NULL && self->spec->name != NULL && self->spec->name[0]
    ? self->spec->name : "Untitled network";
  g_autofree char *subtitle = base != NULL
    ? g_strdup_printf ("%s%s — %s", self->modified ? "• " : "", name, base)
    : g_strdup_printf ("%s%s", self->modified ? "• " : "", name);
  g_autofree char *title = g_strdup_printf ("%s%s — Neurowire", self->modified ? "• " : "", name);
  nw_ui_set_label (self->subtitle_label, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
  if (self->spec != NULL && self->spec->description != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), self->spec->description);
}

/* ------------------------------------------------------------------------------------------ */
/* Controls <-> spec                                                                            */

static double
round_2_significant (double v)
{
  double mag;
  if (!(v > 0))
    return v;
  mag = pow (10, floor (log10 (v)) - 1);
  return round (v / mag) * mag;
}

static void
show_lr (NwWindow *self)
{
  char buf[32];
  g_snprintf (buf, sizeof buf, "%.2g", self->spec->train.lr);
  nw_ui_set_label (self->lr_value_label, buf);
}

gint64
nw_window_thread_cpu_us (void)
{
  struct timespec ts;
  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

gboolean
nw_window_kind_is_2d (NwDataKind kind)
{
  return (int) kind >= 0 && kind < N_2D_KINDS;
}

static void
update_data_controls (NwWindow *self)
{
  gboolean generated = nw_window_kind_is_2d (self->spec->data.kind);
  gboolean tunable = generated && self->spec->data.kind != NW_DATA_XOR;
  /* XOR's four corners and a CSV file: the settings shown, greyed (a CSV file is split by the
   * test share). Image files come split, with nothing to set: the settings are hidden and the
   * data line below says what was loaded. */
  gtk_widget_set_visible (self->generator_grid, !nw_window_kind_is_mnist (self->spec->data.kind));
  gtk_widget_set_visible (self->regenerate_button, generated);
  gtk_widget_set_sensitive (GTK_WIDGET (self->noise_spin), tunable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->size_spin), tunable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_ratio_spin), tunable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.regenerate", tunable);
}

static void on_switch_active (GtkSwitch *sw, GParamSpec *pspec, NwWindow *self);

/* One switch per Dropout/BatchNorm node: they take effect on the next step, while training. */
static void
rebuild_switches (NwWindow *self)
{
  GtkWidget *child;
  int n = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->switches_box))) != NULL)
    gtk_box_remove (self->switches_box, child);
  for (guint i = 0; i < self->spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (self->spec->nodes, i);
      g_autofree char *title = NULL, *detail = NULL, *a11y = NULL;
      GtkWidget *row, *labels, *label, *sw;
      if (node->kind != NW_NODE_DROPOUT && node->kind != NW_NODE_BATCHNORM)
        continue;
      n++;
      if (node->kind == NW_NODE_DROPOUT)
        {
          title = g_strdup_printf ("Dropout ‘%s’", node->id);
          detail = g_strdup_printf ("drops %.0f%% of its inputs while training", 100 * node->p);
        }
      else
        {
          title = g_strdup_printf ("BatchNorm ‘%s’", node->id);
          detail = g_strdup ("normalises each feature over the batch");
        }
      a11y = g_strdup_printf ("%s %s", node->kind == NW_NODE_DROPOUT ? "Dropout" : "BatchNorm",
                              node->id);
      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_widget_add_css_class (row, "switch-row");
      labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_set_hexpand (labels, TRUE);
      label = gtk_label_new (title);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (labels), label);
      label = gtk_label_new (detail);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (labels), label);
      gtk_box_append (GTK_BOX (row), labels);
      sw = gtk_switch_new ();
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (sw), node->enabled);
      gtk_widget_set_name (sw, node->id);
      gtk_widget_set_tooltip_text (sw, "Switch the layer on or off; takes effect on the next step");
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      g_object_set_data_full (G_OBJECT (sw), "node-id", g_strdup (node->id), g_free);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_switch_active), self);
      gtk_box_append (GTK_BOX (row), sw);
      gtk_box_append (self->switches_box, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->switches_heading), n > 0);
}

static G_GNUC_UNUSED void
sync_switch (NwWindow *self, const char *id, gboolean enabled)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->switches_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *sw = gtk_widget_get_last_child (row);
      if (GTK_IS_SWITCH (sw)
          && g_strcmp0 (g_object_get_data (G_OBJECT (sw), "node-id"), id) == 0
          && gtk_switch_get_active (GTK_SWITCH (sw)) != enabled)
        {
          self->syncing = TRUE;
          gtk_switch_set_active (GTK_SWITCH (sw), enabled);
          self->syncing = FALSE;
        }
    }
}

/* The dataset menu: the 2D kinds in order, then MNIST and Fashion-MNIST. */
#define DATASET_MNIST   N_2D_KINDS
#define DATASET_FASHION (N_2D_KINDS + 1)

static guint
dataset_position (NwDataKind kind)
{
  if (nw_window_kind_is_2d (kind))
    return (guint) kind;
  return kind == NW_DATA_MNIST ? DATASET_MNIST : kind == NW_DATA_FASHION_MNIST ? DATASET_FASHION
                                                                             : GTK_INVALID_LIST_POSITION;
}

static void
sync_dataset (NwWindow *self)
{
  gboolean was = self->syncing;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->dataset_dropdown, dataset_position (self->spec->data.kind));
  self->syncing = was;
}

static void
sync_controls (NwWindow *self)
{
  const NwSpec *spec = self->spec;
  self->syncing = TRUE;
  sync_dataset (self);
  gtk_drop_down_set_selected (self->optimizer_dropdown, spec->train.optimizer);
  gtk_range_set_value (GTK_RANGE (self->lr_scale), log10 (MAX (spec->train.lr, 1e-5)));
  gtk_spin_button_set_value (self->batch_spin, spec->train.batch_size);
  gtk_spin_button_set_value (self->l1_spin, spec->train.l1);
  gtk_spin_button_set_value (self->l2_spin, spec->train.l2);
  gtk_spin_button_set_value (self->seed_spin, (double) spec->train.seed);
  gtk_spin_button_set_value (self->noise_spin, spec->data.noise);
  gtk_spin_button_set_value (self->size_spin, spec->data.n);
  gtk_spin_button_set_value (self->test_ratio_spin, spec->data.test_ratio);
  self->syncing = FALSE;
  show_lr (self);
  update_data_controls (self);
  rebuild_switches (self);
}

static void
send_hyper (NwWindow *self)
{
  set_modified (self, TRUE);
  if (self->runner != NULL)
    nw_runner_set_hyper (self->runner, &self->spec->train);
}

static void
on_optimizer_selected (GtkDropDown *dropdown, GParamSpec *pspec, NwWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  if (self->syncing || i >= NW_N_OPTIMIZERS || (guint) self->spec->train.optimizer == i)
    return;
  self->spec->train.optimizer = (NwOptimizerKind) i;
  /* Momentum without a momentum setting would be plain SGD. */
  if ((i == NW_OPT_MOMENTUM || i == NW_OPT_NESTEROV) && self->spec->train.momentum <= 0)
    self->spec->train.momentum = 0.9;
  send_hyper (self);
}

static void
on_lr_changed (GtkRange *range, NwWindow *self)
{
  double lr = round_2_significant (pow (10, gtk_range_get_value (range)));
  if (self->syncing || lr == self->spec->train.lr)
    return;
  self->spec->train.lr = lr;
  show_lr (self);
  send_hyper (self);
}

static void
on_hyper_spin_changed (GtkSpinButton *spin, NwWindow *self)
{
  NwTrainSpec *t = &self->spec->train;
  if (self->syncing)
    return;
  if (spin == self->batch_spin)
    t->batch_size = gtk_spin_button_get_value_as_int (spin);
  else if (spin == self->l1_spin)
    t->l1 = gtk_spin_button_get_value (spin);
  else if (spin == self->l2_spin)
    t->l2 = gtk_spin_button_get_value (spin);
  send_hyper (self);
}

static void
on_seed_changed (GtkSpinButton *spin, NwWindow *self)
{
  if (self->syncing)
    return;
  /* The seed makes the initial weights: it takes effect at the next Reset. */
  self->spec->train.seed = (guint64) gtk_spin_button_get_value (spin);
  set_modified (self, TRUE);
}

static gboolean
on_batch_output (GtkSpinButton *spin, NwWindow *self)
{
  if (gtk_spin_button_get_value_as_int (spin) != 0)
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (spin), "full batch");
  return TRUE;
}

static int
on_batch_input (GtkSpinButton *spin, double *value, NwWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  if (g_str_has_prefix (text, "full"))
    {
      *value = 0;
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Data                                                                                         */

static void
show_points (NwWindow *self)
{
  guint n_test = 0;
  g_autofree char *text = NULL;
  if (self->points == NULL)
    {
      nw_boundary_view_set_points (self->boundary_view, NULL, 0);
      nw_ui_set_label (self->points_label, "");
      return;
    }
  for (guint i = 0; i < self->points->len; i++)
    n_test += g_array_index (self->points, NwPoint, i).test != 0;
  nw_boundary_view_set_points (self->boundary_view, (const NwPoint *) self->points->data,
                               self->points->len);
  text = g_strdup_printf ("%u training · %u test points", self->points->len - n_test, n_test);
  nw_ui_set_label (self->points_label, text);
}

/* Points from `spec`'s 2D generator (a new array), or NULL and the error. */
static GArray *
generate_points (const NwSpec *spec, GError **error)
{
  g_autoptr (NwDataset) ds = nw_dataset_new (&spec->data, error);
  return ds != NULL ? nw_points_from_dataset (ds) : NULL;
}

/* The window's data is now `points` (taken; NULL: data that is not 2D). */
static void
set_points (NwWindow *self, GArray *points)
{
  g_clear_pointer (&self->points, g_array_unref);
  self->points = points;
  if (points != NULL)
    nw_window_data_forget (self);
  nw_boundary_view_set_message (self->boundary_view, self->points == NULL
                                ? "This data is not 2D: there is no boundary to draw" : NULL);
  show_points (self);
}

/* New points from the spec's data settings (2D generators). */
static gboolean
regenerate_points (NwWindow *self, GError **error)
{
  GError *local = NULL;
  GArray *points = generate_points (self->spec, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  set_points (self, points);   /* NULL: data that is not 2D, no points to show */
  return TRUE;
}

static void
data_changed (NwWindow *self, gboolean modified)
{
  g_autoptr (GError) error = NULL;
  if (modified)
    set_modified (self, TRUE);
  update_data_controls (self);
  if (!regenerate_points (self, &error))
    {
      nw_window_show_message (self, "Could not make the data: %s", error->message);
      return;
    }
  rebuild_trainer (self);
}

static void
on_dataset_selected (GtkDropDown *dropdown, GParamSpec *pspec, NwWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  if (self->syncing || i == dataset_position (self->spec->data.kind))
    return;
  if (i == DATASET_MNIST || i == DATASET_FASHION)
    {
      /* A new network for 784 inputs (asked about when there are unsaved changes); the menu
       * shows the current network's data until it is in place. */
      sync_dataset (self);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.preset", "s",
                                  i == DATASET_MNIST ? "mnist-mlp" : "fashion-mlp");
      return;
    }
  if (i >= N_2D_KINDS)
    return;
  if (nw_window_kind_is_mnist (self->spec->data.kind))
    {
      /* A 2D set for a network of 784 inputs does not fit: open a 2D network instead. */
      sync_dataset (self);
      nw_window_show_message (self, "This network reads 784 pixels: open a network for 2D "
                              "data (Open Network…) to train on 2D points.");
      return;
    }
  self->spec->data.kind = (NwDataKind) i;
  data_changed (self, TRUE);
}

static void
on_data_spin_changed (GtkSpinButton *spin, NwWindow *self)
{
  NwDataSpec *d = &self->spec->data;
  if (self->syncing)
    return;
  if (spin == self->noise_spin)
    d->noise = gtk_spin_button_get_value (spin);
  else if (spin == self->size_spin)
    d->n = gtk_spin_button_get_value_as_int (spin);
  else if (spin == self->test_ratio_spin)
    d->test_ratio = gtk_spin_button_get_value (spin);
  data_changed (self, TRUE);
}

static void
on_point_added (NwBoundaryView *view, double x, double y, int label, NwWindow *self)
{
  NwPoint p = { (float) x, (float) y, label ? 1 : 0, FALSE };
  if (self->points == NULL)
    return;
  g_array_append_val (self->points, p);
  show_points (self);
  rebuild_trainer (self);
}

static void
on_point_removed (NwBoundaryView *view, int index, NwWindow *self)
{
  if (self->points == NULL || index < 0 || (guint) index >= self->points->len)
    return;
  g_array_remove_index (self->points, index);
  show_points (self);
  rebuild_trainer (self);
}

static void
on_class_toggled (GtkToggleButton *toggle, NwWindow *self)
{
  nw_boundary_view_set_add_class (self->boundary_view,
                                  gtk_toggle_button_get_active (self->class1_toggle) ? 1 : 0);
}

/* ------------------------------------------------------------------------------------------ */
/* The trainer                                                                                  */

static void
forget_layers (NwWindow *self)
{
  g_clear_pointer (&self->layer_ids, g_strfreev);
  g_clear_pointer (&self->layer_kinds, g_free);
  g_clear_pointer (&self->layer_feeds_loss, g_free);
  self->n_layers = 0;
}

/* Copies what the views need to know about the trainer's layers before the runner owns it. */
static void
record_layers (NwWindow *self, NwTrainer *trainer)
{
  NwNet *net = nw_trainer_get_net (trainer);
  int n = nw_net_n_nodes (net), loss = n - 1;
  forget_layers (self);
  self->n_layers = n;
  self->layer_ids = g_new0 (char *, n + 1);
  self->layer_kinds = g_new0 (NwNodeKind, n);
  self->layer_feeds_loss = g_new0 (gboolean, n);
  for (int i = 0; i < n; i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      self->layer_ids[i] = g_strdup (info->spec->id);
      self->layer_kinds[i] = info->spec->kind;
      if (info->spec->kind == NW_NODE_LOSS)
        loss = i;
    }
  /* The activation right before the loss is an output: saturating there is what a trained
   * classifier does, not a vanishing gradient (the loss's own gradient makes up for it). */
  for (int k = 0; k < nw_net_node (net, loss)->n_inputs; k++)
    self->layer_feeds_loss[nw_net_node (net, loss)->inputs[k]] = TRUE;
}

/* A trainer for the current network and data, on the CPU, built here (fresh weights). */
static NwTrainer *
make_trainer (NwWindow *self, GError **error)
{
  NwDataSource *src = nw_window_data_source (self);
  NwTrainer *t = nw_trainer_new (self->spec, nw_data_source_make (src), NULL, error);
  nw_data_source_free (src);
  return t;
}

void
nw_window_set_valid (NwWindow *self, gboolean valid, const char *reason)
{
  self->valid = valid;
  g_free (self->invalid_reason);
  self->invalid_reason = g_strdup (reason);
  if (!valid)
    nw_window_set_playing (self, FALSE);
  nw_window_update_play_button (self);
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

/* Snapshots per second: ~30 for 2D data, whose boundary and neuron maps move with every
 * few steps; 8 for images (MNIST), where a step is slow, the views change slowly and each
 * snapshot costs the main thread a layout and paint of the large digit view: at 30 a second
 * that was a whole core, which the trainer's two BLAS threads then lacked on a 2-core machine
 * (bench/gui_epoch.sh). */
static int
publish_ms_for (NwTrainer *trainer)
{
  return nw_trainer_get_data (trainer)->train.d <= 16 ? NW_WINDOW_PUBLISH_MS
                                                      : NW_WINDOW_PUBLISH_MS_IMAGES;
}

/* Hands the runner `trainer` (taken): a new network, new data or loaded weights. */
void
nw_window_install_trainer (NwWindow *self, NwTrainer *trainer, gboolean keep_playing)
{
  gboolean was_playing = self->playing;
  /* Playing on (or starting, for nw_window_play_when_ready) from the first snapshot. */
  gboolean play = keep_playing && (was_playing || self->pending_play);
  int test_every = test_every_for (trainer);
  int publish_ms = publish_ms_for (trainer);
  self->pending_play = FALSE;
  self->generation++;
  record_layers (self, trainer);
  /* Read before the runner's thread owns it: the device it is on, its network's shape. */
  nw_window_backend_trainer_installed (self, trainer);
  /* A different cadence needs a new runner (its options are fixed); otherwise the runner
   * swaps trainers between two steps. */
  if (self->runner != NULL && (test_every != self->test_every || publish_ms != self->publish_ms))
    {
      nw_window_views_unwatch_runner (self);
      g_clear_pointer (&self->runner, nw_runner_free);
    }
  if (self->runner == NULL)
    {
      NwRunnerOptions options = {
        .publish_ms = publish_ms, .grid_n = NW_WINDOW_GRID_N, .test_every = test_every,
        .max_steps = 0,
        /* The digit view's matrix and gallery come from the same pass (nw-window-mnist.c). */
        .test_outputs = test_every == NW_RUNNER_TEST_EACH_EPOCH,
        /* Playing on at once: no paused first snapshot (an MNIST test pass of the untrained
         * network, in the first epoch). */
        .start_playing = play,
      };
      self->runner = nw_runner_new (trainer, &options);
      self->test_every = test_every;
      self->publish_ms = publish_ms;
      nw_window_views_watch_runner (self);
    }
  else if (play)
    nw_runner_replace_and_play (self->runner, trainer);
  else
    nw_runner_replace (self->runner, trainer);   /* the runner pauses on a replace */
  self->playing = FALSE;
  nw_window_views_clear (self);
  nw_window_set_valid (self, TRUE, NULL);
  if (play)
    nw_window_set_playing (self, TRUE);   /* the runner plays already; the controls follow */
  else
    nw_window_update_play_button (self);
}

/* Builds a trainer from the current spec and data and hands it to the runner; an invalid
 * network leaves the runner paused with what it had, and says why. */
static void
rebuild_trainer (NwWindow *self)
{
  g_autoptr (GError) error = NULL;
  if (!nw_window_data_rebuild (self, &error))
    {
      nw_window_set_valid (self, FALSE, error->message);
      nw_window_set_alarm (self, NULL);
      nw_window_show_message (self, "The network cannot train: %s", error->message);
      return;
    }
  nw_window_dismiss_message (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The editor                                                                                   */

static void
set_editor_data_shape (NwWindow *self)
{
  const NwDataset *ds = nw_window_data_get (self);
  /* 2D points: 2 features, one 0/1 target. Loaded data: what a trainer sees. */
  if (self->points != NULL || nw_window_kind_is_2d (self->spec->data.kind))
    nw_editor_set_data_shape (self->editor, 2, 1, 2);
  else if (ds != NULL)
    nw_editor_set_data_shape (self->editor, ds->train.d, ds->train.k, ds->n_classes);
  else if (nw_window_kind_is_mnist (self->spec->data.kind))
    nw_editor_set_data_shape (self->editor, 784, 10, 10);
}

/* The editor's graph (nodes, edges, positions) with the window's training and data settings. */
static void
adopt_editor_graph (NwWindow *self)
{
  NwSpec *edited = nw_editor_dup_spec (self->editor);
  GPtrArray *tmp;
  tmp = self->spec->nodes;
  self->spec->nodes = edited->nodes;
  edited->nodes = tmp;
  tmp = self->spec->edges;
  self->spec->edges = edited->edges;
  edited->edges = tmp;
  nw_spec_free (edited);
}

static void
on_editor_node_toggled (NwEditor *editor, const char *id, gboolean enabled, NwWindow *self)
{
  NwNodeSpec *node = nw_spec_find_node (self->spec, id);
  if (node != NULL)
    node->enabled = enabled;
  sync_switch (self, id, enabled);
  if (self->runner != NULL && self->valid)
    nw_runner_set_enabled (self->runner, id, enabled);
}

static void
on_editor_spec_changed (NwEditor *editor, NwWindow *self)
{
  NwEditorEdit edit = nw_editor_get_last_edit (editor);
  adopt_editor_graph (self);
  set_modified (self, TRUE);
  if (edit == NW_EDITOR_EDIT_LAYOUT || edit == NW_EDITOR_EDIT_NONE)
    return;
  if (edit == NW_EDITOR_EDIT_TOGGLE && self->valid)
    return;   /* "node-toggled" has told the runner already */
  rebuild_switches (self);
  if (!nw_editor_get_valid (editor, NULL))
    {
      /* The editor marks the fault in place; Play waits until the graph is whole again. */
      nw_window_set_valid (self, FALSE, nw_editor_get_invalid_reason (editor));
      nw_window_set_alarm (self, NULL);
      return;
    }
  rebuild_trainer (self);
}

static void
on_switch_active (GtkSwitch *sw, GParamSpec *pspec, NwWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (sw), "node-id");
  gboolean enabled = gtk_switch_get_active (sw);
  NwNodeSpec *node;
  if (self->syncing || id == NULL)
    return;
  /* Through the editor, so that it is one undoable edit there too ("node-toggled" follows). */
  if (nw_editor_set_node_setting (self->editor, id, "enabled", enabled ? "true" : "false"))
    return;
  node = nw_spec_find_node (self->spec, id);
  if (node == NULL)
    return;
  node->enabled = enabled;
  set_modified (self, TRUE);
  if (self->runner != NULL && self->valid)
    nw_runner_set_enabled (self->runner, id, enabled);
}

/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                        */

void
nw_window_adopt (NwWindow *self, NwSpec *spec, GFile *file, GArray *points, NwTrainer *trainer)
{
  gboolean play_after;
  if (self->spec != spec)
    {
      g_clear_pointer (&self->spec, nw_spec_free);
      self->spec = spec;
    }
  g_set_object (&self->file, file);
  self->modified = FALSE;
  update_title (self);
  sync_controls (self);
  nw_window_mnist_sync_mode (self);
  set_points (self, points);
  set_editor_data_shape (self);
  nw_editor_set_spec (self->editor, self->spec);
  if (trainer != NULL)
    {
      /* A pending play starts with this trainer (install_trainer takes it), unless weights
       * are to be loaded: their trainer replaces this one at once and plays instead. */
      play_after = self->pending_play && self->pending_weights != NULL;
      if (play_after)
        self->pending_play = FALSE;
      nw_window_dismiss_message (self);
      nw_window_install_trainer (self, trainer, TRUE);
    }
  else
    {
      play_after = self->pending_play;
      self->pending_play = FALSE;
      rebuild_trainer (self);
    }
  if (self->pending_weights != NULL)
    {
      g_autoptr (GFile) weights = g_steal_pointer (&self->pending_weights);
      nw_window_load_weights (self, weights);
    }
  if (play_after)
    nw_window_set_playing (self, TRUE);
}

void
nw_window_set_spec (NwWindow *self, NwSpec *spec, GFile *file)
{
  g_autoptr (GError) error = NULL;
  GArray *points;
  g_return_if_fail (NW_IS_WINDOW (self));
  g_return_if_fail (spec != NULL);
  if (nw_window_data_needs_load (spec))
    {
      nw_window_data_open (self, spec, file);
      return;
    }
  points = generate_points (spec, &error);
  if (error != NULL)
    nw_window_show_message (self, "Could not make the data: %s", error->message);
  nw_window_adopt (self, spec, file, points, NULL);
}

const NwSpec *
nw_window_get_spec (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), NULL);
  return self->spec;
}

gboolean
nw_window_get_modified (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  return self->modified;
}

char *
nw_window_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  return path != NULL ? g_filename_display_name (path) : g_file_get_uri (file);
}

gboolean
nw_window_open_file (NwWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = nw_window_display_name (file);
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (NwDataset) ds = NULL;
  g_autoptr (NwTrainer) probe = NULL;

  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  if (path == NULL)
    {
      nw_window_show_message (self, "Could not open “%s”: only local files can be opened", name);
      return FALSE;
    }
  spec = nw_spec_load (path, &error);
  /* Data to load (MNIST, a CSV file) loads in the background; the network changes once it
   * is there and the network fits it, and stays as it is when not. */
  if (spec != NULL && nw_window_data_needs_load (spec))
    {
      nw_window_dismiss_message (self);
      nw_window_data_open (self, g_steal_pointer (&spec), file);
      return TRUE;
    }
  /* A file that loads but cannot train (a broken graph, data that does not fit) is refused
   * too: the current network stays as it was. */
  if (spec != NULL && nw_window_kind_is_2d (spec->data.kind))
    {
      ds = nw_dataset_new (&spec->data, &error);
      if (ds != NULL)
        probe = nw_trainer_new (spec, g_steal_pointer (&ds), NULL, &error);
    }
  else if (spec != NULL)
    probe = nw_trainer_new (spec, NULL, NULL, &error);
  if (spec == NULL || probe == NULL)
    {
      nw_window_show_message (self, "Could not open “%s”: %s. The network was not changed.", name,
                    error->message);
      return FALSE;
    }
  g_clear_pointer (&probe, nw_trainer_free);
  nw_window_dismiss_message (self);
  nw_window_set_playing (self, FALSE);
  nw_window_set_spec (self, g_steal_pointer (&spec), file);
  return TRUE;
}

static gboolean
save_to (NwWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = nw_window_display_name (file);
  if (path == NULL || !nw_spec_save (self->spec, path, &error))
    {
      nw_window_show_message (self, "Could not save “%s”: %s", name,
                    error != NULL ? error->message : "not a local file");
      return FALSE;
    }
  g_set_object (&self->file, file);
  self->modified = TRUE;
  set_modified (self, FALSE);
  update_title (self);
  nw_window_dismiss_message (self);
  return TRUE;
}

static GtkFileFilter *
filter_new (const char *name, const char *pattern)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  return filter;
}

typedef void (*FileChosen) (NwWindow *self, GFile *file);

static void
on_chooser_response (GtkNativeDialog *dialog, int response, NwWindow *self)
{
  FileChosen done = g_object_get_data (G_OBJECT (dialog), "nw-done");
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL)
        done (self, file);
    }
  else
    self->close_after_save = FALSE;
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_file (NwWindow *self, const char *title, GtkFileChooserAction action,
             const char *filter_name, const char *pattern, const char *suggested,
             FileChosen done)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, NULL, NULL);
  g_autoptr (GtkFileFilter) filter = filter_new (filter_name, pattern);
  g_autoptr (GtkFileFilter) all = filter_new ("All files", "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  if (suggested != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "nw-done", (gpointer) done);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_chosen (NwWindow *self, GFile *file)
{
  nw_window_open_file (self, file);
}

static void
save_chosen (NwWindow *self, GFile *file)
{
  if (save_to (self, file) && self->close_after_save)
    gtk_window_destroy (GTK_WINDOW (self));
  self->close_after_save = FALSE;
}

gboolean
nw_window_load_weights (NwWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = nw_window_display_name (file);
  NwTrainer *trainer;

  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  /* A fresh trainer on this thread takes the weights; only if they load does it replace the
   * running one, so a bad file leaves training as it was. */
  nw_window_set_playing (self, FALSE);
  trainer = make_trainer (self, &error);
  if (trainer != NULL && (path == NULL
                          || !nw_net_load_weights (nw_trainer_get_net (trainer), path, &error)))
    g_clear_pointer (&trainer, nw_trainer_free);
  if (trainer == NULL)
    {
      nw_window_show_message (self, "Could not load weights from “%s”: %s. The network was not changed.",
                    name, error != NULL ? error->message : "not a local file");
      return FALSE;
    }
  nw_window_dismiss_message (self);
  nw_window_install_trainer (self, trainer, FALSE);
  nw_window_mnist_fetch_model (self);   /* the digit view reads with the loaded weights */
  return TRUE;
}

void
nw_window_play_when_ready (NwWindow *self)
{
  g_return_if_fail (NW_IS_WINDOW (self));
  if (nw_window_data_busy (self))
    self->pending_play = TRUE;
  else
    nw_window_set_playing (self, TRUE);
}

void
nw_window_load_weights_when_ready (NwWindow *self, GFile *file)
{
  g_return_if_fail (NW_IS_WINDOW (self));
  if (nw_window_data_busy (self))
    g_set_object (&self->pending_weights, file);
  else
    nw_window_load_weights (self, file);
}

static void
load_weights_chosen (NwWindow *self, GFile *file)
{
  nw_window_load_weights (self, file);
}

static char *
suggested_name (NwWindow *self, const char *extension)
{
  const char *name = self->spec->name != NULL && self->spec->name[0] ? self->spec->name : "network";
  g_autoptr (GString) s = g_string_new (NULL);
  for (const char *c = name; *c; c++)
    g_string_append_c (s, g_ascii_isalnum (*c) ? g_ascii_tolower (*c) : '-');
  g_string_append (s, extension);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                      */

static void
action_play (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  nw_window_set_playing (self, !self->playing);
}

static void
action_step (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  if (!self->valid || self->runner == NULL)
    return;
  nw_window_set_playing (self, FALSE);
  nw_runner_step (self->runner);
}

static void
action_reset (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  if (!self->valid || self->runner == NULL)
    return;
  /* A trainer on the chosen device that could not take the run over takes this one. */
  if (nw_window_backend_take_pending (self))
    return;
  /* The user's digits go into (or out of) the training split: new data, a new trainer. */
  if (nw_window_mnist_reset_needs_rebuild (self))
    {
      rebuild_trainer (self);
      return;
    }
  nw_runner_reset (self->runner, self->spec->train.seed);
  nw_window_views_clear (self);
}

static void
action_regenerate (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  self->spec->data.seed++;
  data_changed (self, TRUE);
}

static void
action_open (GtkWidget *widget, const char *name, GVariant *param)
{
  choose_file (NW_WINDOW (widget), "Open Network", GTK_FILE_CHOOSER_ACTION_OPEN,
               "Neurowire networks", "*.json", NULL, open_chosen);
}

static void
action_save_as (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  g_autofree char *suggested = suggested_name (self, ".json");
  choose_file (self, "Save Network", GTK_FILE_CHOOSER_ACTION_SAVE, "Neurowire networks",
               "*.json", suggested, save_chosen);
}

static void
action_save (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  if (self->file != NULL)
    save_to (self, self->file);
  else
    action_save_as (widget, name, param);
}

static void
action_load_weights (GtkWidget *widget, const char *name, GVariant *param)
{
  choose_file (NW_WINDOW (widget), "Load Weights", GTK_FILE_CHOOSER_ACTION_OPEN,
               "Weights (safetensors)", "*.safetensors", NULL, load_weights_chosen);
}

/* Saving weights: the trainer belongs to the runner's thread, so the save runs there,
 * between two steps (nw_runner_call), and the result comes back on the main loop to a window
 * that may have closed meanwhile. */
typedef struct {
  GWeakRef  window;
  char     *path;
  char     *name;
  GError   *error;
} SaveWeightsJob;

static void
save_weights_job_free (SaveWeightsJob *job)
{
  g_weak_ref_clear (&job->window);
  g_free (job->path);
  g_free (job->name);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
save_weights_report (gpointer data)
{
  SaveWeightsJob *job = data;
  g_autoptr (NwWindow) self = g_weak_ref_get (&job->window);
  if (self != NULL)
    {
      if (job->error != NULL)
        nw_window_show_message (self, "Could not save weights to “%s”: %s", job->name, job->error->message);
      else
        nw_window_dismiss_message (self);
    }
  save_weights_job_free (job);
  return G_SOURCE_REMOVE;
}

/* On the runner's thread: no GTK here. */
static void
save_weights_on_worker (NwTrainer *trainer, gpointer data)
{
  SaveWeightsJob *job = data;
  nw_net_save_weights (nw_trainer_get_net (trainer), job->path, &job->error);
  nw_ui_report_to_main (save_weights_report, job);   /* the report frees the job */
}

/* The runner closed before the save ran: nobody else has the job. */
static void
save_weights_dropped (gpointer data)
{
  save_weights_job_free (data);
}

void
nw_window_save_weights (NwWindow *self, GFile *file)
{
  SaveWeightsJob *job;
  g_autofree char *path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = nw_window_display_name (file);
      nw_window_show_message (self, "Could not save weights to “%s”: not a local file", name);
      return;
    }
  job = g_new0 (SaveWeightsJob, 1);
  g_weak_ref_init (&job->window, self);
  job->path = g_steal_pointer (&path);
  job->name = nw_window_display_name (file);
  nw_runner_call (self->runner, save_weights_on_worker, job, save_weights_dropped);
}

static void
action_save_weights (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  g_autofree char *suggested = suggested_name (self, ".safetensors");
  choose_file (self, "Save Weights", GTK_FILE_CHOOSER_ACTION_SAVE, "Weights (safetensors)",
               "*.safetensors", suggested, nw_window_save_weights);
}

static void
action_dismiss (GtkWidget *widget, const char *name, GVariant *param)
{
  nw_window_dismiss_message (NW_WINDOW (widget));
}

/* ------------------------------------------------------------------------------------------ */
/* Closing                                                                                      */

static void
on_close_response (GtkDialog *dialog, int response, NwWindow *self)
{
  /* Unparent the dialog first: it is finalised only after this handler returns, and would
   * then disconnect from a window that may already be gone. */
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_REJECT)
    {
      self->modified = FALSE;
      gtk_window_destroy (GTK_WINDOW (self));
    }
  else if (response == GTK_RESPONSE_ACCEPT)
    {
      if (self->file != NULL)
        {
          if (save_to (self, self->file))
            gtk_window_destroy (GTK_WINDOW (self));
        }
      else
        {
          self->close_after_save = TRUE;
          action_save_as (GTK_WIDGET (self), "win.save-as", NULL);
        }
    }
}

static gboolean
nw_window_close_request (GtkWindow *window)
{
  NwWindow *self = NW_WINDOW (window);
  GtkWidget *dialog;
  const char *name = self->spec->name != NULL && self->spec->name[0] ? self->spec->name
                                                                     : "Untitled network";
  if (!self->modified)
    return GTK_WINDOW_CLASS (nw_window_parent_class)->close_request (window);
  /* GtkAlertDialog is GTK 4.10; GtkMessageDialog does the same here. */
  dialog = gtk_message_dialog_new (window, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "Save the changes to “%s” before closing?", name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            "The network or its settings were changed since "
                                            "they were last saved.");
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), "Close _without Saving", GTK_RESPONSE_REJECT,
                          "_Cancel", GTK_RESPONSE_CANCEL, "_Save", GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Life cycle                                                                                   */

static void
nw_window_dispose (GObject *object)
{
  NwWindow *self = NW_WINDOW (object);
  nw_window_views_unwatch_runner (self);
  /* Stops the worker (mid-step or not) and joins it; work in the background is cancelled and
   * drops its results when it comes back. */
  g_clear_pointer (&self->runner, nw_runner_free);
  nw_window_data_dispose (self);
  nw_window_backend_dispose (self);
  nw_window_mnist_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_WINDOW);
  G_OBJECT_CLASS (nw_window_parent_class)->dispose (object);
}

static void
nw_window_finalize (GObject *object)
{
  NwWindow *self = NW_WINDOW (object);
  g_clear_pointer (&self->spec, nw_spec_free);
  g_clear_object (&self->file);
  g_clear_object (&self->pending_weights);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->invalid_reason, g_free);
  nw_window_views_finalize (self);
  forget_layers (self);
  G_OBJECT_CLASS (nw_window_parent_class)->finalize (object);
}

static void
nw_window_class_init (NwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = nw_window_dispose;
  object_class->finalize = nw_window_finalize;
  window_class->close_request = nw_window_close_request;

  nw_ui_init ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NwWindow, name)
  BIND (play_button);
  BIND (play_icon);
  BIND (play_label);
  BIND (step_button);
  BIND (reset_button);
  BIND (dataset_dropdown);
  BIND (title_label);
  BIND (subtitle_label);
  BIND (backend_label);
  BIND (device_button);
  BIND (speed_label);
  BIND (step_label);
  BIND (epoch_label);
  BIND (message_revealer);
  BIND (message_label);
  BIND (alarm_revealer);
  BIND (alarm_label);
  BIND (editor_slot);
  BIND (optimizer_dropdown);
  BIND (lr_scale);
  BIND (lr_value_label);
  BIND (batch_spin);
  BIND (l1_spin);
  BIND (l2_spin);
  BIND (seed_spin);
  BIND (generator_grid);
  BIND (regenerate_button);
  BIND (noise_spin);
  BIND (size_spin);
  BIND (test_ratio_spin);
  BIND (load_box);
  BIND (load_progress);
  BIND (data_status_label);
  BIND (switches_heading);
  BIND (switches_box);
  BIND (show_test_check);
  BIND (train_mode_box);
  BIND (train_mode_switch);
  BIND (class1_toggle);
  BIND (class0_toggle);
  BIND (points_label);
  BIND (loss_label);
  BIND (accuracy_label);
  BIND (log_toggle);
  BIND (boundary_view);
  BIND (loss_plot);
  BIND (grad_plot);
  BIND (activation_plot);
  BIND (weight_hist);
  BIND (views_switcher_box);
  BIND (views_stack);
  BIND (boundary_card);
  BIND (mnist_panel);
#undef BIND

  gtk_widget_class_install_action (widget_class, "win.play", NULL, action_play);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, action_reset);
  gtk_widget_class_install_action (widget_class, "win.regenerate", NULL, action_regenerate);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, action_open);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, action_save);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, action_save_as);
  gtk_widget_class_install_action (widget_class, "win.load-weights", NULL, action_load_weights);
  gtk_widget_class_install_action (widget_class, "win.save-weights", NULL, action_save_weights);
  gtk_widget_class_install_action (widget_class, "win.dismiss-message", NULL, action_dismiss);
  nw_window_data_class_init (widget_class);
  nw_window_mnist_class_init (widget_class);

  /* Window bindings act in the bubble phase: a text field that takes the key (typing an "s"
   * into a block's name) keeps it, everywhere else the key drives training. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "win.step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "win.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
}

static void
nw_window_init (NwWindow *self)
{
  g_autoptr (GBytes) json = NULL;
  g_autoptr (GError) error = NULL;
  NwSpec *spec = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->last_step = -1;
  nw_ui_name_value (GTK_WIDGET (self->subtitle_label), "Network");
  nw_ui_name_value (GTK_WIDGET (self->backend_label), "Backend");
  nw_ui_name_value (GTK_WIDGET (self->speed_label), "Steps per second");
  nw_ui_name_value (GTK_WIDGET (self->step_label), "Step counter");
  nw_ui_name_value (GTK_WIDGET (self->epoch_label), "Epoch counter");
  nw_ui_name_value (GTK_WIDGET (self->message_label), "Message");
  nw_ui_name_value (GTK_WIDGET (self->alarm_label), "Alarm");
  nw_ui_name_value (GTK_WIDGET (self->lr_value_label), "Learning rate value");
  nw_ui_name_value (GTK_WIDGET (self->points_label), "Points");
  nw_ui_name_value (GTK_WIDGET (self->loss_label), "Loss");
  nw_ui_name_value (GTK_WIDGET (self->accuracy_label), "Accuracy");
  nw_ui_name_value (GTK_WIDGET (self->data_status_label), "Data status");

  self->editor = nw_editor_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->editor), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Network editor", -1);
  g_signal_connect (self->editor, "spec-changed", G_CALLBACK (on_editor_spec_changed), self);
  g_signal_connect (self->editor, "node-toggled", G_CALLBACK (on_editor_node_toggled), self);
  gtk_widget_set_vexpand (GTK_WIDGET (self->editor), TRUE);
  gtk_box_append (self->editor_slot, GTK_WIDGET (self->editor));

  nw_window_views_init (self);
  nw_window_data_init (self);
  nw_window_backend_init (self);
  nw_window_mnist_init (self);

  g_signal_connect (self->dataset_dropdown, "notify::selected", G_CALLBACK (on_dataset_selected), self);
  g_signal_connect (self->optimizer_dropdown, "notify::selected", G_CALLBACK (on_optimizer_selected), self);
  g_signal_connect (self->lr_scale, "value-changed", G_CALLBACK (on_lr_changed), self);
  g_signal_connect (self->batch_spin, "value-changed", G_CALLBACK (on_hyper_spin_changed), self);
  g_signal_connect (self->batch_spin, "output", G_CALLBACK (on_batch_output), self);
  g_signal_connect (self->batch_spin, "input", G_CALLBACK (on_batch_input), self);
  g_signal_connect (self->l1_spin, "value-changed", G_CALLBACK (on_hyper_spin_changed), self);
  g_signal_connect (self->l2_spin, "value-changed", G_CALLBACK (on_hyper_spin_changed), self);
  g_signal_connect (self->seed_spin, "value-changed", G_CALLBACK (on_seed_changed), self);
  g_signal_connect (self->noise_spin, "value-changed", G_CALLBACK (on_data_spin_changed), self);
  g_signal_connect (self->size_spin, "value-changed", G_CALLBACK (on_data_spin_changed), self);
  g_signal_connect (self->test_ratio_spin, "value-changed", G_CALLBACK (on_data_spin_changed), self);
  g_signal_connect (self->class1_toggle, "toggled", G_CALLBACK (on_class_toggled), self);
  g_signal_connect (self->boundary_view, "point-added", G_CALLBACK (on_point_added), self);
  g_signal_connect (self->boundary_view, "point-removed", G_CALLBACK (on_point_removed), self);
  g_object_bind_property (self->show_test_check, "active", self->boundary_view, "show-test",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->log_toggle, "active", self->loss_plot, "log-scale",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  /* The default network, compiled in. */
  json = nw_ui_default_spec_json ();
  if (json != NULL)
    spec = nw_spec_from_json (g_bytes_get_data (json, NULL), g_bytes_get_size (json), &error);
  if (spec == NULL)
    {
      g_warning ("the built-in network did not load: %s", error ? error->message : "missing");
      spec = nw_spec_new_chain ("2 dense:8 tanh dense:1 sigmoid bce", NULL);
      spec->data.kind = NW_DATA_XOR;
    }
  nw_window_set_spec (self, spec, NULL);
  /* The first network's runner is watched already; none if it could not be built. */
  if (self->tick_id == 0 && self->runner_source == NULL)
    nw_window_views_watch_runner (self);
}

NwWindow *
nw_window_new (GtkApplication *app)
{
  return g_object_new (NW_TYPE_WINDOW, "application", app, NULL);
}
