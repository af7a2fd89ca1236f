/* nw-window-backend.c: which device trains, and moving the run there without blocking.
 *
 * The window builds every trainer on the CPU (at once, so that it is usable in well under a
 * second) and then, in a worker thread (a GTask), does what the engine would choose
 * (nw_trainer_new_on_backend: a GPU when there is one, else PoCL against the CPU by a
 * calibration that is cached) and builds a trainer on that device, kernels and all. The
 * running trainer then moves there between two steps (nw_runner_call + nw_trainer_take_over),
 * carrying its weights, step, optimizer state and everything else; when that cannot be done,
 * the new trainer waits for the next Reset and the header says so.
 *
 * The header shows the device in use (the reason in its tooltip) and a menu to force one:
 * Automatic, CPU, or each OpenCL device. NW_BACKEND=cpu (the tests) keeps the window on the
 * CPU without touching OpenCL until the user asks for the devices. No GTK call happens off the
 * main thread: the workers hand their results back through GTask and nw_ui_report_to_main,
 * to a weak reference of the window. */
#include "nw-window-private.h"

#include "nw-backend-choice.h"
#include "nw-backend-cl.h"
#include "nw-cl-device.h"

#include <string.h>

struct _NwWindowBackend {
  /* the choice */
  NwBackendKind kind;
  char         *device;        /* CL: an index into the device list; NULL: $NW_CL_DEVICE or best */
  char         *shape_key;     /* the installed network's shape */
  /* AUTO's last answer, per network shape: no new calibration for every edit */
  char         *decided_key;
  NwBackendKind decided_kind;
  char         *decided_device;
  char         *decided_why;
  /* what trains now */
  gboolean      on_cl;
  char         *description;
  char         *why;
  char         *state;         /* "choosing a device", "moving to …", NULL when settled */
  /* work */
  GCancellable *cancel;        /* the choice in flight */
  GCancellable *move_cancel;   /* the move queued on the runner (cancelled: it must not run) */
  gboolean      deferred;      /* a choice waits for the window to be shown */
  NwTrainer    *pending;       /* on the chosen device, waiting for the next Reset */
  guint         pending_generation;
  /* the menu */
  GSimpleActionGroup *actions;
  GMenu        *menu;
  GMenu        *devices_section;
  GPtrArray    *devices;       /* names by OpenCL index; NULL until listed */
  gboolean      listing;
};

/* ------------------------------------------------------------------------------------------ */
/* The header                                                                                   */

static void
show_backend (NwWindow *self)
{
  NwWindowBackend *b = self->backend;
  g_autofree char *label = NULL, *tip = NULL;
  label = b->state != NULL ? g_strdup_printf ("%s · %s", b->description, b->state)
                           : g_strdup (b->description);
  tip = g_strdup_printf ("Training on %s%s%s.%s%s%s\nThe menu beside it chooses the device.",
                         b->description, b->why != NULL ? ": " : "", b->why != NULL ? b->why : "",
                         b->state != NULL ? " Now: " : "", b->state != NULL ? b->state : "",
                         b->state != NULL ? "." : "");
  nw_ui_set_label (self->backend_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->backend_label), tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->backend_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tip, -1);
}

static void
set_state (NwWindow *self, const char *state)
{
  g_free (self->backend->state);
  self->backend->state = g_strdup (state);
  show_backend (self);
}

static void
set_in_use (NwWindow *self, NwBackend *backend, const char *why)
{
  NwWindowBackend *b = self->backend;
  g_free (b->description);
  b->description = g_strdup (backend != NULL && backend->description != NULL
                             ? backend->description : "CPU");
  b->on_cl = backend != NULL && g_strcmp0 (backend->ops->name, "cpu") != 0;
  g_free (b->why);
  b->why = g_strdup (why);
  g_clear_pointer (&b->state, g_free);
  show_backend (self);
}

static void
rebuild_device_menu (NwWindow *self)
{
  NwWindowBackend *b = self->backend;
  g_menu_remove_all (b->devices_section);
  if (b->listing)
    g_menu_append (b->devices_section, "Looking for OpenCL devices…", NULL);
  else if (b->devices == NULL)
    g_menu_append (b->devices_section, "Look for OpenCL Devices", "backend.list-devices");
  else if (b->devices->len == 0)
    g_menu_append (b->devices_section, "No OpenCL device", NULL);
  else
    for (guint i = 0; i < b->devices->len; i++)
      {
        g_autofree char *label = g_strdup_printf ("OpenCL: %s", (char *) g_ptr_array_index (b->devices, i));
        g_autofree char *target = g_strdup_printf ("cl:%u", i);
        g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);
        g_menu_item_set_action_and_target_value (item, "backend.device", g_variant_new_string (target));
        g_menu_append_item (b->devices_section, item);
      }
}

/* ------------------------------------------------------------------------------------------ */
/* The choice, on a worker                                                                     */

typedef struct {
  /* in */
  GWeakRef      window;
  GApplication *app;
  NwSpec       *spec;
  NwDataSource *source;
  NwBackendKind kind;
  char         *device;
  gboolean      list;          /* list the devices for the menu */
  gboolean      decide_only;   /* the devices alone (the menu asked) */
  char         *key;           /* AUTO: the network's shape */
  guint         generation;
  /* out */
  GPtrArray    *devices;
  NwTrainer    *trainer;       /* on the chosen device, for the window's data */
  char         *why;
  char         *chosen_device; /* CL: the device's index */
  NwBackendKind chosen_kind;
} Choice;

static void
choice_free (Choice *c)
{
  g_weak_ref_clear (&c->window);
  nw_spec_free (c->spec);
  nw_data_source_free (c->source);
  g_free (c->device);
  g_free (c->key);
  g_clear_pointer (&c->devices, g_ptr_array_unref);
  nw_trainer_free (c->trainer);
  g_free (c->why);
  g_free (c->chosen_device);
  /* on_chosen released the application on the main thread: GLib may drop the task's last
   * reference, and so free this, on the worker, where only plain memory may be touched. */
  g_warn_if_fail (c->app == NULL);
  g_free (c);
}

static GPtrArray *
list_device_names (void)
{
  g_autoptr (GPtrArray) devices = nw_cl_list_devices (NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    g_ptr_array_add (names, g_strdup (((NwClDeviceInfo *) g_ptr_array_index (devices, i))->name));
  return names;
}

/* A trainer for the window's data on `backend` (taken). */
static NwTrainer *
trainer_for_window (Choice *c, NwBackend *backend, GError **error)
{
  return nw_trainer_new (c->spec, nw_data_source_make (c->source), backend, error);
}

/* OpenCL's discovery is not safe to run on two threads at once (PoCL's first
 * clGetPlatformIDs, its device queries during set-up): one choice at a time, whichever window
 * started it. A choice superseded while it waited gives up at once. */
static GMutex opencl_lock;

static void choose_locked (GTask *task, Choice *c, GCancellable *cancellable);

static void
choose_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_mutex_lock (&opencl_lock);
  choose_locked (task, task_data, cancellable);
  g_mutex_unlock (&opencl_lock);
}

static void
choose_locked (GTask *task, Choice *c, GCancellable *cancellable)
{
  GError *error = NULL;
  NwTrainer *t0 = NULL;

  if (!c->decide_only && g_task_return_error_if_cancelled (task))
    return;
  if (c->list)
    c->devices = list_device_names ();
  if (c->decide_only)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  if (c->kind == NW_BACKEND_CPU)
    {
      c->trainer = trainer_for_window (c, nw_backend_cpu_new (), &error);
      if (c->why == NULL)
        c->why = g_strdup ("the CPU backend, as chosen");
      c->chosen_kind = NW_BACKEND_CPU;
    }
  else if (c->kind == NW_BACKEND_CL && c->device != NULL)
    {
      /* A device the user picked: that one, or the reason it cannot be. */
      NwBackend *cl = nw_backend_cl_new (c->device, &error);
      if (cl != NULL)
        {
          if (c->why == NULL)
            c->why = g_strdup_printf ("OpenCL on %s, as chosen", nw_backend_cl_get_device (cl)->name);
          c->trainer = trainer_for_window (c, cl, &error);
          c->chosen_kind = NW_BACKEND_CL;
          c->chosen_device = g_strdup (c->device);
        }
    }
  else
    {
      /* What the engine would choose for this network (the calibration is cached per device
       * and shape), then a trainer for the window's own data on that backend. */
      t0 = nw_trainer_new_on_backend (c->spec, c->kind, c->device, &c->why, &error);
      if (t0 != NULL)
        {
          NwBackend *b0 = nw_net_get_backend (nw_trainer_get_net (t0));
          gboolean cl = nw_backend_is_cl (b0);
          c->chosen_kind = cl ? NW_BACKEND_CL : NW_BACKEND_CPU;
          if (cl)
            c->chosen_device = g_strdup_printf ("%d", nw_backend_cl_get_device (b0)->index);
          if (nw_data_source_is_spec_data (c->source))
            c->trainer = g_steal_pointer (&t0);
          else if (cl)
            {
              NwBackend *again = nw_backend_cl_new (c->chosen_device, &error);
              if (again != NULL)
                c->trainer = trainer_for_window (c, again, &error);
            }
          else
            c->trainer = trainer_for_window (c, nw_backend_cpu_new (), &error);
        }
    }
  nw_trainer_free (t0);
  if (error != NULL)
    g_task_return_error (task, error);
  else if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* The move, between two steps on the trainer's thread                                         */

typedef struct {
  GWeakRef      window;
  GApplication *app;
  NwTrainer    *trainer;       /* the new one; after a move, the old one's insides */
  char         *why;          /* the new backend's description */
  gboolean      to_cl;
  guint         generation;
  GCancellable *cancel;        /* the window's move_cancel when queued; checked on the worker */
  gboolean      called_off;    /* cancelled before it ran: nothing moved, nothing to report */
  gboolean      moved;
  GError       *error;
} Move;

static void
move_free (gpointer data)
{
  Move *m = data;
  g_weak_ref_clear (&m->window);
  nw_trainer_free (m->trainer);
  g_free (m->why);
  g_clear_error (&m->error);
  g_clear_object (&m->cancel);
  nw_window_job_finished (m->app);
  g_clear_object (&m->app);
  g_free (m);
}

static void start_choice (NwWindow *self, gboolean decide_only);

static gboolean
move_report (gpointer data)
{
  Move *m = data;
  g_autoptr (NwWindow) self = g_weak_ref_get (&m->window);
  if (self != NULL && self->backend != NULL && self->generation == m->generation
      && !m->called_off)
    {
      NwWindowBackend *b = self->backend;
      gboolean superseded = g_cancellable_is_cancelled (m->cancel);
      if (b->move_cancel == m->cancel)
        g_clear_object (&b->move_cancel);
      if (m->moved)
        {
          /* The runner's trainer now lives on the new backend (the old one was freed on the
           * worker): say so, whatever the menu says now. */
          g_free (b->description);
          b->description = g_strdup (m->why);
          b->on_cl = m->to_cl;
          set_state (self, NULL);
          /* Called off too late (the user chose the CPU, or another device, after the worker
           * had moved the run): go where the menu says now. */
          if (superseded && b->cancel == NULL && (b->kind == NW_BACKEND_CPU) == b->on_cl)
            start_choice (self, FALSE);
        }
      else if (superseded)
        ;   /* failed, and no longer wanted: nothing waits for the next Reset */
      else
        {
          g_autofree char *state = g_strdup_printf ("moves at the next Reset (%s)", m->error->message);
          nw_trainer_free (b->pending);
          b->pending = g_steal_pointer (&m->trainer);
          b->pending_generation = m->generation;
          set_state (self, state);
        }
    }
  move_free (m);
  return G_SOURCE_REMOVE;
}

/* On the runner's thread: no GTK. A move the window called off meanwhile (the user chose
 * another device, a new network came) does not run. */
static void
move_on_worker (NwTrainer *running, gpointer data)
{
  Move *m = data;
  if (g_cancellable_is_cancelled (m->cancel))
    m->called_off = TRUE;
  else
    m->moved = nw_trainer_take_over (running, m->trainer, &m->error);
  if (m->moved)
    g_clear_pointer (&m->trainer, nw_trainer_free);   /* the old backend's insides */
  nw_ui_report_to_main (move_report, m);
}

/* ------------------------------------------------------------------------------------------ */

static char *
shape_key (NwTrainer *trainer)
{
  NwNet *net = nw_trainer_get_net (trainer);
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "rows %d batch %d|", nw_trainer_get_data (trainer)->train.n,
                          nw_trainer_get_spec (trainer)->train.batch_size);
  for (int i = 0; i < nw_net_n_nodes (net); i++)
    g_string_append_printf (s, "%d:%d,", nw_net_node (net, i)->spec->kind, nw_net_node (net, i)->width);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void on_chosen (GObject *source, GAsyncResult *result, gpointer data);

/* Cancels the choice in flight and calls off a move queued on the runner. */
static void
cancel_work (NwWindowBackend *b)
{
  if (b->cancel != NULL)
    g_cancellable_cancel (b->cancel);
  g_clear_object (&b->cancel);
  if (b->move_cancel != NULL)
    g_cancellable_cancel (b->move_cancel);
  g_clear_object (&b->move_cancel);
}

/* Chooses (decide_only: lists the devices for the menu, nothing else) in the background. */
static void
start_choice (NwWindow *self, gboolean decide_only)
{
  NwWindowBackend *b = self->backend;
  Choice *c;
  g_autoptr (GTask) task = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  c = g_new0 (Choice, 1);
  g_weak_ref_init (&c->window, self);
  c->app = app != NULL ? g_object_ref (G_APPLICATION (app)) : NULL;
  nw_window_job_started (self);
  c->spec = nw_spec_copy (self->spec);
  c->source = nw_window_data_source (self);
  c->kind = b->kind;
  c->device = g_strdup (b->device);
  c->list = b->devices == NULL && !b->listing;
  c->decide_only = decide_only;
  c->generation = self->generation;
  if (c->list)
    {
      b->listing = TRUE;
      rebuild_device_menu (self);
    }
  if (decide_only)
    task = g_task_new (NULL, NULL, on_chosen, NULL);
  else
    {
      if (c->kind == NW_BACKEND_AUTO && b->decided_key != NULL
          && g_strcmp0 (b->decided_key, b->shape_key) == 0)
        {
          /* Decided for this shape already: straight to that device. */
          c->kind = b->decided_kind;
          g_free (c->device);
          c->device = g_strdup (b->decided_device);
          c->why = g_strdup (b->decided_why);
        }
      else if (c->kind == NW_BACKEND_AUTO)
        c->key = g_strdup (b->shape_key);
      cancel_work (b);
      b->cancel = g_cancellable_new ();
      set_state (self, "choosing a device");
      task = g_task_new (NULL, b->cancel, on_chosen, NULL);
    }
  g_task_set_name (task, "[neurowire] choose device");
  g_task_set_task_data (task, c, (GDestroyNotify) choice_free);
  g_task_run_in_thread (task, choose_in_thread);
}

static void chosen (Choice *c, GAsyncResult *result);

/* On the main thread, always called: applies the choice, then ends the job and lets the
 * application go (g_application_release is for the main thread only). */
static void
on_chosen (GObject *source, GAsyncResult *result, gpointer data)
{
  Choice *c = g_task_get_task_data (G_TASK (result));
  GApplication *app = g_steal_pointer (&c->app);
  chosen (c, result);
  nw_window_job_finished (app);
  g_clear_object (&app);
}

static void
chosen (Choice *c, GAsyncResult *result)
{
  g_autoptr (NwWindow) self = g_weak_ref_get (&c->window);
  g_autoptr (GError) error = NULL;
  NwWindowBackend *b;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL || self->backend == NULL)
    return;
  b = self->backend;
  /* The devices it listed go to the menu, even from a choice that was superseded. */
  if (c->list)
    {
      b->listing = FALSE;
      if (c->devices != NULL)
        {
          g_clear_pointer (&b->devices, g_ptr_array_unref);
          b->devices = g_steal_pointer (&c->devices);
        }
      rebuild_device_menu (self);
    }
  if (c->decide_only || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&b->cancel);
  if (c->generation != self->generation)
    return;   /* another trainer came meanwhile: its own choice runs */
  if (!ok)
    {
      g_autofree char *why = g_strdup_printf ("the CPU backend: %s", error->message);
      g_free (b->why);
      b->why = g_steal_pointer (&why);
      set_state (self, NULL);
      return;
    }
  if (c->key != NULL)
    {
      /* Remember the answer for this network's shape. */
      g_free (b->decided_key);
      b->decided_key = g_strdup (c->key);
      g_free (b->decided_device);
      g_free (b->decided_why);
      b->decided_kind = c->chosen_kind;
      b->decided_device = g_strdup (c->chosen_device);
      b->decided_why = g_strdup (c->why);
    }
  if (c->chosen_kind == NW_BACKEND_CPU && !b->on_cl)
    {
      /* Staying on the CPU, where the trainer already is. */
      g_free (b->why);
      b->why = g_strdup (c->why);
      set_state (self, NULL);
      return;
    }
  {
    Move *m = g_new0 (Move, 1);
    NwBackend *nb = nw_net_get_backend (nw_trainer_get_net (c->trainer));
    g_autofree char *state = g_strdup_printf ("moving to %s", nb->description);
    GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
    g_weak_ref_init (&m->window, self);
    m->app = app != NULL ? g_object_ref (G_APPLICATION (app)) : NULL;
    nw_window_job_started (self);
    m->trainer = g_steal_pointer (&c->trainer);
    m->why = g_strdup (nb->description);
    m->to_cl = c->chosen_kind == NW_BACKEND_CL;
    m->generation = self->generation;
    g_clear_object (&b->move_cancel);
    b->move_cancel = g_cancellable_new ();
    m->cancel = g_object_ref (b->move_cancel);
    g_free (b->why);
    b->why = g_strdup (c->why);
    set_state (self, state);
    if (self->runner != NULL)
      nw_runner_call (self->runner, move_on_worker, m, move_free);
    else
      move_free (m);
  }
}

/* ------------------------------------------------------------------------------------------ */

void
nw_window_backend_trainer_installed (NwWindow *self, NwTrainer *trainer)
{
  NwWindowBackend *b = self->backend;
  NwBackend *backend = nw_net_get_backend (nw_trainer_get_net (trainer));
  const char *env = g_getenv ("NW_BACKEND");

  g_clear_pointer (&b->pending, nw_trainer_free);
  cancel_work (b);
  g_free (b->shape_key);
  b->shape_key = shape_key (trainer);
  set_in_use (self, backend, b->kind != NW_BACKEND_CPU
              ? "built at once on the CPU; the device is chosen in the background"
              : g_strcmp0 (env, "cpu") == 0 ? "the CPU backend (NW_BACKEND=cpu)"
              : "the CPU backend, as chosen");
  /* Already where the choice wants it. */
  b->deferred = FALSE;
  if ((b->kind == NW_BACKEND_CPU) == !b->on_cl)
    return;
  /* Decided already for this shape: the CPU, where it is. */
  if (b->kind == NW_BACKEND_AUTO && b->decided_kind == NW_BACKEND_CPU && !b->on_cl
      && b->decided_key != NULL && g_strcmp0 (b->decided_key, b->shape_key) == 0)
    {
      g_free (b->why);
      b->why = g_strdup (b->decided_why);
      show_backend (self);
      return;
    }
  /* Not before the window is on screen: its first frames come first, and the choice then
   * holds the application (which a window gets only after it is built). */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      b->deferred = TRUE;
      return;
    }
  start_choice (self, FALSE);
}

static void
on_map (GtkWidget *widget, gpointer data)
{
  NwWindow *self = NW_WINDOW (widget);
  if (self->backend != NULL && self->backend->deferred && self->runner != NULL)
    {
      self->backend->deferred = FALSE;
      start_choice (self, FALSE);
    }
}

gboolean
nw_window_backend_take_pending (NwWindow *self)
{
  NwWindowBackend *b = self->backend;
  NwTrainer *trainer;
  if (b->pending == NULL || b->pending_generation != self->generation)
    return FALSE;
  trainer = g_steal_pointer (&b->pending);
  /* Built (and, after a failed take-over, partly overwritten) before the latest settings:
   * fresh weights, then the window's hyperparameters and Dropout/BatchNorm switches. */
  nw_trainer_reset (trainer, self->spec->train.seed);
  nw_trainer_set_hyper (trainer, &self->spec->train);
  for (guint i = 0; i < self->spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (self->spec->nodes, i);
      g_autoptr (GError) error = NULL;
      if ((node->kind == NW_NODE_DROPOUT || node->kind == NW_NODE_BATCHNORM)
          && !nw_net_set_enabled (nw_trainer_get_net (trainer), node->id, node->enabled, &error))
        g_warning ("%s", error->message);
    }
  nw_window_install_trainer (self, trainer, TRUE);
  return TRUE;
}

static void
on_device_changed (GSimpleAction *action, GVariant *value, gpointer data)
{
  NwWindow *self = data;
  NwWindowBackend *b = self->backend;
  const char *choice = g_variant_get_string (value, NULL);
  g_simple_action_set_state (action, value);
  g_clear_pointer (&b->device, g_free);
  g_clear_pointer (&b->decided_key, g_free);
  if (g_str_equal (choice, "cpu"))
    b->kind = NW_BACKEND_CPU;
  else if (g_str_has_prefix (choice, "cl:"))
    {
      b->kind = NW_BACKEND_CL;
      b->device = g_strdup (choice + 3);
    }
  else
    b->kind = NW_BACKEND_AUTO;
  if (self->runner == NULL || !self->valid || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      b->deferred = b->kind != NW_BACKEND_CPU || b->on_cl;
      return;
    }
  if (b->kind == NW_BACKEND_CPU && !b->on_cl)
    {
      g_free (b->why);
      b->why = g_strdup ("the CPU backend, as chosen");
      /* Also a move to a device already queued on the runner: it must not run now. */
      cancel_work (b);
      set_state (self, NULL);
      return;
    }
  start_choice (self, FALSE);
}

static void
on_list_devices (GSimpleAction *action, GVariant *param, gpointer data)
{
  NwWindow *self = data;
  if (!self->backend->listing)
    start_choice (self, TRUE);
}

void
nw_window_backend_init (NwWindow *self)
{
  NwWindowBackend *b = g_new0 (NwWindowBackend, 1);
  const char *env = g_getenv ("NW_BACKEND");
  int kind = nw_backend_kind_from_name (env != NULL && env[0] != '\0' ? env : NULL);
  g_autoptr (GSimpleAction) device = NULL;
  g_autoptr (GSimpleAction) list = NULL;
  g_autoptr (GMenu) top = g_menu_new ();
  const char *initial;

  self->backend = b;
  b->kind = kind < 0 ? NW_BACKEND_AUTO : (NwBackendKind) kind;
  b->description = g_strdup ("CPU");
  initial = b->kind == NW_BACKEND_CPU ? "cpu" : b->kind == NW_BACKEND_CL ? "cl" : "auto";

  b->actions = g_simple_action_group_new ();
  device = g_simple_action_new_stateful ("device", G_VARIANT_TYPE_STRING, g_variant_new_string (initial));
  g_signal_connect (device, "change-state", G_CALLBACK (on_device_changed), self);
  g_action_map_add_action (G_ACTION_MAP (b->actions), G_ACTION (device));
  list = g_simple_action_new ("list-devices", NULL);
  g_signal_connect (list, "activate", G_CALLBACK (on_list_devices), self);
  g_action_map_add_action (G_ACTION_MAP (b->actions), G_ACTION (list));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "backend", G_ACTION_GROUP (b->actions));

  b->menu = g_menu_new ();
  g_menu_append (top, "Automatic: a GPU, else the faster of OpenCL and the CPU",
                 "backend.device::auto");
  g_menu_append (top, "CPU", "backend.device::cpu");
  g_menu_append_section (b->menu, "Train on", G_MENU_MODEL (top));
  b->devices_section = g_menu_new ();
  g_menu_append_section (b->menu, "OpenCL devices", G_MENU_MODEL (b->devices_section));
  rebuild_device_menu (self);
  gtk_menu_button_set_menu_model (self->device_button, G_MENU_MODEL (b->menu));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

void
nw_window_backend_dispose (NwWindow *self)
{
  NwWindowBackend *b = self->backend;
  if (b == NULL)
    return;
  cancel_work (b);
  g_clear_pointer (&b->pending, nw_trainer_free);
  g_clear_object (&b->actions);
  g_clear_object (&b->menu);
  g_clear_object (&b->devices_section);
  g_clear_pointer (&b->devices, g_ptr_array_unref);
  g_free (b->device);
  g_free (b->shape_key);
  g_free (b->decided_key);
  g_free (b->decided_device);
  g_free (b->decided_why);
  g_free (b->description);
  g_free (b->why);
  g_free (b->state);
  g_clear_pointer (&self->backend, g_free);
}
