/* nw-window.c: the main window: controls, views, files, and the hand-off with the runner. */
#include "nw-window-private.h"

#include "nw-ui.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define N_2D_KINDS (NW_DATA_CHECKERBOARD + 1)

G_DEFINE_FINAL_TYPE (NwWindow, nw_window, GTK_TYPE_APPLICATION_WINDOW)

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
  gboolean playing = nw_session_get_playing (self->session);
  gboolean valid = nw_session_get_valid (self->session);
  const char *reason = nw_session_get_invalid_reason (self->session);
  const char *name = playing ? "Pause" : "Play";
  gtk_image_set_from_icon_name (self->play_icon, playing ? "media-playback-pause-symbolic"
                                                               : "media-playback-start-symbolic");
  gtk_label_set_text (self->play_label, name);  /* the button carries the name */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (!valid)
    {
      g_autofree char *tip = g_strdup_printf ("The network cannot train: %s",
                                              reason ? reason : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                                 playing ? "Pause (Space)" : "Play (Space)");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play", valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset", valid);
  if (!playing)
    nw_ui_set_value (self->speed_label, valid ? "paused" : "cannot train");
}

void
nw_window_set_playing (NwWindow *self, gboolean playing)
{
  nw_session_set_playing (self->session, playing);
}

/* The session plays or pauses (by hand, or training stopped): the controls follow. */
static void
on_playing_changed (NwSession *session, GParamSpec *pspec, NwWindow *self)
{
  gboolean playing = nw_session_get_playing (session);
  if (self->was_playing && !playing)
    nw_window_mnist_fetch_model (self);   /* paused: the model as it is now */
  if (!self->was_playing && playing)
    {
      self->play_since_us = g_get_monotonic_time ();
      self->play_cpu_us = nw_window_thread_cpu_us ();
    }
  self->was_playing = playing;
  nw_window_update_play_button (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The network's state: modified, title                                                         */

static void
update_title (NwWindow *self)
{
  const NwSpec *spec = nw_window_spec (self);
  GFile *file = nw_session_get_file (self->session);
  gboolean modified = nw_session_get_modified (self->session);
  g_autofree char *base = file != NULL ? g_file_get_basename (file) : NULL;
  const char *name = spec != NULL && spec->name != NULL && spec->name[0]
    ? spec->name : "Untitled network";
  g_autofree char *subtitle = base != NULL
    ? g_strdup_printf ("%s%s — %s", modified ? "• " : "", name, base)
    : g_strdup_printf ("%s%s", modified ? "• " : "", name);
  g_autofree char *title = g_strdup_printf ("%s%s — Neurowire", modified ? "• " : "", name);
  nw_ui_set_label (self->subtitle_label, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
  if (spec != NULL && spec->description != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), spec->description);
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
  g_snprintf (buf, sizeof buf, "%.2g", nw_window_spec (self)->train.lr);
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
edit_train (NwWindow *self, const NwTrainSpec *train)
{
  nw_session_set_train (self->session, train);
}

static void
update_data_controls (NwWindow *self)
{
  NwDataKind kind = nw_window_spec (self)->data.kind;
  gboolean generated = nw_window_kind_is_2d (kind);
  gboolean tunable = generated && kind != NW_DATA_XOR;
  /* XOR's four corners and a CSV file: the settings shown, greyed (a CSV file is split by the
   * test share). Image files come split, with nothing to set: the settings are hidden and the
   * data line below says what was loaded. */
  gtk_widget_set_visible (self->generator_grid, !nw_window_kind_is_mnist (kind));
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
  const NwSpec *spec = nw_window_spec (self);
  GtkWidget *child;
  int n = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->switches_box))) != NULL)
    gtk_box_remove (self->switches_box, child);
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
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
  gtk_drop_down_set_selected (self->dataset_dropdown, dataset_position (nw_window_spec (self)->data.kind));
  self->syncing = was;
}

static void
sync_controls (NwWindow *self)
{
  const NwSpec *spec = nw_window_spec (self);
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
on_optimizer_selected (GtkDropDown *dropdown, GParamSpec *pspec, NwWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  NwTrainSpec t = nw_window_spec (self)->train;
  if (self->syncing || i >= NW_N_OPTIMIZERS || (guint) t.optimizer == i)
    return;
  t.optimizer = (NwOptimizerKind) i;
  /* Momentum without a momentum setting would be plain SGD. */
  if ((i == NW_OPT_MOMENTUM || i == NW_OPT_NESTEROV) && t.momentum <= 0)
    t.momentum = 0.9;
  edit_train (self, &t);
}

static void
on_lr_changed (GtkRange *range, NwWindow *self)
{
  double lr = round_2_significant (pow (10, gtk_range_get_value (range)));
  NwTrainSpec t = nw_window_spec (self)->train;
  if (self->syncing || lr == t.lr)
    return;
  t.lr = lr;
  edit_train (self, &t);
  show_lr (self);
}

static void
on_hyper_spin_changed (GtkSpinButton *spin, NwWindow *self)
{
  NwTrainSpec t = nw_window_spec (self)->train;
  if (self->syncing)
    return;
  if (spin == self->batch_spin)
    t.batch_size = gtk_spin_button_get_value_as_int (spin);
  else if (spin == self->l1_spin)
    t.l1 = gtk_spin_button_get_value (spin);
  else if (spin == self->l2_spin)
    t.l2 = gtk_spin_button_get_value (spin);
  edit_train (self, &t);
}

static void
on_seed_changed (GtkSpinButton *spin, NwWindow *self)
{
  NwTrainSpec t = nw_window_spec (self)->train;
  if (self->syncing)
    return;
  /* The seed makes the initial weights: it takes effect at the next Reset. */
  t.seed = (guint64) gtk_spin_button_get_value (spin);
  edit_train (self, &t);
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
  GArray *points = nw_session_get_points (self->session);
  guint n_test = 0;
  g_autofree char *text = NULL;
  nw_boundary_view_set_message (self->boundary_view, points == NULL
                                ? "This data is not 2D: there is no boundary to draw" : NULL);
  if (points == NULL)
    {
      nw_boundary_view_set_points (self->boundary_view, NULL, 0);
      nw_ui_set_label (self->points_label, "");
      return;
    }
  for (guint i = 0; i < points->len; i++)
    n_test += g_array_index (points, NwPoint, i).test != 0;
  nw_boundary_view_set_points (self->boundary_view, (const NwPoint *) points->data, points->len);
  text = g_strdup_printf ("%u training · %u test points", points->len - n_test, n_test);
  nw_ui_set_label (self->points_label, text);
}

static void
on_points_changed (NwSession *session, NwWindow *self)
{
  show_points (self);
}

static void
edit_data (NwWindow *self, const NwDataSpec *data)
{
  nw_session_set_data (self->session, data);
  update_data_controls (self);
}

static void
on_dataset_selected (GtkDropDown *dropdown, GParamSpec *pspec, NwWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  NwDataSpec d = nw_window_spec (self)->data;
  if (self->syncing || i == dataset_position (d.kind))
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
  if (nw_window_kind_is_mnist (d.kind))
    {
      /* A 2D set for a network of 784 inputs does not fit: open a 2D network instead. */
      sync_dataset (self);
      nw_window_show_message (self, "This network reads 784 pixels: open a network for 2D "
                              "data (Open Network…) to train on 2D points.");
      return;
    }
  d.kind = (NwDataKind) i;
  edit_data (self, &d);
}

static void
on_data_spin_changed (GtkSpinButton *spin, NwWindow *self)
{
  NwDataSpec d = nw_window_spec (self)->data;
  if (self->syncing)
    return;
  if (spin == self->noise_spin)
    d.noise = gtk_spin_button_get_value (spin);
  else if (spin == self->size_spin)
    d.n = gtk_spin_button_get_value_as_int (spin);
  else if (spin == self->test_ratio_spin)
    d.test_ratio = gtk_spin_button_get_value (spin);
  edit_data (self, &d);
}

static void
on_point_added (NwBoundaryView *view, double x, double y, int label, NwWindow *self)
{
  NwPoint p = { (float) x, (float) y, label ? 1 : 0, FALSE };
  nw_session_add_point (self->session, &p);
}

static void
on_point_removed (NwBoundaryView *view, int index, NwWindow *self)
{
  if (index >= 0)
    nw_session_remove_point (self->session, (guint) index);
}

static void
on_class_toggled (GtkToggleButton *toggle, NwWindow *self)
{
  nw_boundary_view_set_add_class (self->boundary_view,
                                  gtk_toggle_button_get_active (self->class1_toggle) ? 1 : 0);
}

/* ------------------------------------------------------------------------------------------ */
/* What the session says                                                                       */

static void
on_session_message (NwSession *session, const char *text, NwWindow *self)
{
  if (text != NULL)
    nw_window_show_message (self, "%s", text);
  else
    nw_window_dismiss_message (self);
}

static void
on_valid_changed (NwSession *session, GParamSpec *pspec, NwWindow *self)
{
  if (!nw_session_get_valid (session))
    nw_window_set_alarm (self, NULL);
  nw_window_update_play_button (self);
}

/* A new trainer: the views start empty, and a new runner is watched. */
static void
on_trainer_installed (NwSession *session, NwWindow *self)
{
  if (nw_session_get_runner (session) != self->watched_runner)
    {
      nw_window_views_unwatch_runner (self);
      nw_window_views_watch_runner (self);
    }
  nw_window_views_clear (self);
  nw_window_update_play_button (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The editor                                                                                   */

static void
set_editor_data_shape (NwWindow *self)
{
  const NwDataset *ds = nw_session_get_dataset (self->session);
  NwDataKind kind = nw_window_spec (self)->data.kind;
  /* 2D points: 2 features, one 0/1 target. Loaded data: what a trainer sees. */
  if (nw_session_get_points (self->session) != NULL || nw_window_kind_is_2d (kind))
    nw_editor_set_data_shape (self->editor, 2, 1, 2);
  else if (ds != NULL)
    nw_editor_set_data_shape (self->editor, ds->train.d, ds->train.k, ds->n_classes);
  else if (nw_window_kind_is_mnist (kind))
    nw_editor_set_data_shape (self->editor, 784, 10, 10);
}

static void
on_editor_node_toggled (NwEditor *editor, const char *id, gboolean enabled, NwWindow *self)
{
  nw_session_set_node_enabled (self->session, id, enabled);
  sync_switch (self, id, enabled);
}

static void
on_editor_spec_changed (NwEditor *editor, NwWindow *self)
{
  NwEditorEdit edit = nw_editor_get_last_edit (editor);
  /* "node-toggled" has told the runner of a toggle already; a layout changes no run. */
  gboolean rebuild = edit != NW_EDITOR_EDIT_LAYOUT && edit != NW_EDITOR_EDIT_NONE
                     && !(edit == NW_EDITOR_EDIT_TOGGLE && nw_session_get_valid (self->session));
  /* The editor marks a fault in place; Play waits until the graph is whole again. */
  const char *invalid = rebuild && !nw_editor_get_valid (editor, NULL)
                        ? nw_editor_get_invalid_reason (editor) : NULL;
  nw_session_set_graph (self->session, nw_editor_dup_spec (editor), rebuild, invalid);
  if (rebuild)
    rebuild_switches (self);
}

static void
on_switch_active (GtkSwitch *sw, GParamSpec *pspec, NwWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (sw), "node-id");
  gboolean enabled = gtk_switch_get_active (sw);
  if (self->syncing || id == NULL)
    return;
  /* Through the editor, so that it is one undoable edit there too ("node-toggled" follows). */
  if (nw_editor_set_node_setting (self->editor, id, "enabled", enabled ? "true" : "false"))
    return;
  nw_session_set_node_enabled (self->session, id, enabled);
}

/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                        */

/* A new network: every control shows it. */
static void
on_spec_changed (NwSession *session, NwWindow *self)
{
  update_title (self);
  sync_controls (self);
  nw_window_mnist_sync_mode (self);
  show_points (self);
  set_editor_data_shape (self);
  nw_editor_set_spec (self->editor, nw_window_spec (self));
}

static void
on_title_changed (NwSession *session, GParamSpec *pspec, NwWindow *self)
{
  update_title (self);
}

void
nw_window_set_spec (NwWindow *self, NwSpec *spec, GFile *file)
{
  g_return_if_fail (NW_IS_WINDOW (self));
  g_return_if_fail (spec != NULL);
  nw_session_set_spec (self->session, spec, file);
}

const NwSpec *
nw_window_get_spec (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), NULL);
  return nw_window_spec (self);
}

gboolean
nw_window_get_modified (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  return nw_session_get_modified (self->session);
}

NwSession *
nw_window_get_session (NwWindow *self)
{
  g_return_val_if_fail (NW_IS_WINDOW (self), NULL);
  return self->session;
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
  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  if (!nw_session_open (self->session, file, &error))
    {
      g_autofree char *name = nw_window_display_name (file);
      nw_window_show_message (self, "Could not open “%s”: %s. The network was not changed.",
                              name, error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_to (NwWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  if (!nw_session_save (self->session, file, &error))
    {
      g_autofree char *name = nw_window_display_name (file);
      nw_window_show_message (self, "Could not save “%s”: %s", name, error->message);
      return FALSE;
    }
  nw_window_dismiss_message (self);
  return TRUE;
}

typedef void (*FileChosen) (NwWindow *self, GFile *file);

static void
on_file_chosen (GtkWidget *parent, GFile *file, gpointer data)
{
  FileChosen done = data;
  NwWindow *self = NW_WINDOW (parent);
  if (file != NULL)
    done (self, file);
  else
    self->close_after_save = FALSE;
}

static void
choose_file (NwWindow *self, const char *title, GtkFileChooserAction action,
             const char *filter_name, const char *pattern, const char *suggested,
             FileChosen done)
{
  nw_ui_choose_file (GTK_WIDGET (self), title, action, filter_name, pattern, suggested,
                     on_file_chosen, (gpointer) done);
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
  g_return_val_if_fail (NW_IS_WINDOW (self), FALSE);
  if (!nw_session_load_weights (self->session, file, &error))
    {
      g_autofree char *name = nw_window_display_name (file);
      nw_window_show_message (self, "Could not load weights from “%s”: %s. The network was not changed.",
                              name, error->message);
      return FALSE;
    }
  return TRUE;
}

/* The digit view reads with the loaded weights. */
static void
on_weights_loaded (NwSession *session, NwWindow *self)
{
  nw_window_mnist_fetch_model (self);
}

void
nw_window_play_when_ready (NwWindow *self)
{
  g_return_if_fail (NW_IS_WINDOW (self));
  nw_session_play_when_ready (self->session);
}

void
nw_window_load_weights_when_ready (NwWindow *self, GFile *file)
{
  g_return_if_fail (NW_IS_WINDOW (self));
  nw_session_load_weights_when_ready (self->session, file);
}

static void
load_weights_chosen (NwWindow *self, GFile *file)
{
  nw_window_load_weights (self, file);
}

static char *
suggested_name (NwWindow *self, const char *extension)
{
  const NwSpec *spec = nw_window_spec (self);
  const char *name = spec->name != NULL && spec->name[0] ? spec->name : "network";
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
  nw_session_set_playing (self->session, !nw_session_get_playing (self->session));
}

static void
action_step (GtkWidget *widget, const char *name, GVariant *param)
{
  nw_session_step (NW_WINDOW (widget)->session);
}

static void
action_reset (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  if (!nw_session_get_valid (self->session) || nw_session_get_runner (self->session) == NULL)
    return;
  /* The user's digits go into (or out of) the training split: new data, a new trainer. */
  if (nw_window_mnist_reset_needs_rebuild (self))
    {
      nw_session_rebuild (self->session);
      return;
    }
  nw_session_reset (self->session);
  nw_window_views_clear (self);
}

static void
action_regenerate (GtkWidget *widget, const char *name, GVariant *param)
{
  NwWindow *self = NW_WINDOW (widget);
  NwDataSpec d = nw_window_spec (self)->data;
  d.seed++;
  edit_data (self, &d);
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
  GFile *file = nw_session_get_file (self->session);
  if (file != NULL)
    save_to (self, file);
  else
    action_save_as (widget, name, param);
}

static void
action_load_weights (GtkWidget *widget, const char *name, GVariant *param)
{
  choose_file (NW_WINDOW (widget), "Load Weights", GTK_FILE_CHOOSER_ACTION_OPEN,
               "Weights (safetensors)", "*.safetensors", NULL, load_weights_chosen);
}

/* Saving weights runs on the trainer's thread (the session's); the window may close
 * meanwhile. */
typedef struct {
  GWeakRef window;
  char    *name;
} SaveWeights;

static void
on_weights_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  SaveWeights *job = data;
  g_autoptr (NwWindow) self = g_weak_ref_get (&job->window);
  g_autoptr (GError) error = NULL;
  gboolean ok = nw_session_save_weights_finish (NW_SESSION (source), result, &error);
  if (self != NULL)
    {
      if (!ok)
        nw_window_show_message (self, "Could not save weights to “%s”: %s", job->name,
                                error->message);
      else
        nw_window_dismiss_message (self);
    }
  g_weak_ref_clear (&job->window);
  g_free (job->name);
  g_free (job);
}

void
nw_window_save_weights (NwWindow *self, GFile *file)
{
  SaveWeights *job = g_new0 (SaveWeights, 1);
  g_weak_ref_init (&job->window, self);
  job->name = nw_window_display_name (file);
  nw_session_save_weights_async (self->session, file, on_weights_saved, job);
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
      nw_session_set_modified (self->session, FALSE);
      gtk_window_destroy (GTK_WINDOW (self));
    }
  else if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = nw_session_get_file (self->session);
      if (file != NULL)
        {
          if (save_to (self, file))
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
  const NwSpec *spec = nw_window_spec (self);
  const char *name = spec->name != NULL && spec->name[0] ? spec->name : "Untitled network";
  if (!nw_session_get_modified (self->session))
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
  nw_window_mnist_dispose (self);
  /* Stops the trainer's worker (mid-step or not) and joins it; work in the background is
   * cancelled and drops its results when it comes back. */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  nw_window_device_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_WINDOW);
  G_OBJECT_CLASS (nw_window_parent_class)->dispose (object);
}

static void
nw_window_finalize (GObject *object)
{
  NwWindow *self = NW_WINDOW (object);
  nw_window_views_finalize (self);
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
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, nw_window_action_cancel_load);
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);

  self->editor = nw_editor_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->editor), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Network editor", -1);
  g_signal_connect (self->editor, "spec-changed", G_CALLBACK (on_editor_spec_changed), self);
  g_signal_connect (self->editor, "node-toggled", G_CALLBACK (on_editor_node_toggled), self);
  gtk_widget_set_vexpand (GTK_WIDGET (self->editor), TRUE);
  gtk_box_append (self->editor_slot, GTK_WIDGET (self->editor));

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
}

/* The window's session, its signals, and the first network. */
static void
start (NwWindow *self, const NwWindowOptions *options)
{
  NwSessionOptions session_options = options->session;
  g_autoptr (GBytes) json = NULL;
  g_autoptr (GError) error = NULL;
  NwSpec *spec = NULL;

  /* Not before the window is on screen: its first frames come first. */
  session_options.hold_device_choice = TRUE;
  self->session = nw_session_new (&session_options);
  self->debug_fps = options->debug_fps;
  g_signal_connect (self->session, "spec-changed", G_CALLBACK (on_spec_changed), self);
  g_signal_connect (self->session, "notify::modified", G_CALLBACK (on_title_changed), self);
  g_signal_connect (self->session, "notify::file", G_CALLBACK (on_title_changed), self);
  g_signal_connect (self->session, "notify::playing", G_CALLBACK (on_playing_changed), self);
  g_signal_connect (self->session, "notify::valid", G_CALLBACK (on_valid_changed), self);
  g_signal_connect (self->session, "notify::busy", G_CALLBACK (nw_window_on_busy_changed), self);
  g_signal_connect (self->session, "trainer-installed", G_CALLBACK (on_trainer_installed), self);
  g_signal_connect (self->session, "message", G_CALLBACK (on_session_message), self);
  g_signal_connect (self->session, "points-changed", G_CALLBACK (on_points_changed), self);
  g_signal_connect (self->session, "weights-loaded", G_CALLBACK (on_weights_loaded), self);
  g_signal_connect (self->session, "data-progress", G_CALLBACK (nw_window_on_data_progress), self);
  g_signal_connect (self->session, "data-status", G_CALLBACK (nw_window_on_data_status), self);
  g_signal_connect (self->session, "data-loaded", G_CALLBACK (nw_window_on_data_loaded), self);
  g_signal_connect (self->session, "data-failed", G_CALLBACK (nw_window_on_data_failed), self);

  nw_window_views_init (self);
  nw_window_device_init (self);
  nw_window_mnist_init (self);

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
  nw_session_set_spec (self->session, spec, NULL);
  nw_window_update_play_button (self);
}

NwWindow *
nw_window_new_with_options (GtkApplication *app, const NwWindowOptions *options)
{
  NwWindow *self = g_object_new (NW_TYPE_WINDOW, "application", app, NULL);
  start (self, options);
  return self;
}

NwWindow *
nw_window_new (GtkApplication *app)
{
  static const NwWindowOptions defaults = { .session = { .backend = NW_BACKEND_AUTO } };
  return nw_window_new_with_options (app, &defaults);
}
