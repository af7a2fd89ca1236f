/* nw-session-device.c: which device trains, and moving the run there without blocking.
 *
 * The session builds every trainer on the CPU (at once, so that it is usable in well under a
 * second) and then, in a worker thread (a GTask), does what the engine would choose
 * (nw_devices_choose: a GPU when there is one, else a CPU OpenCL device against the CPU by a
 * calibration that is cached) and builds a trainer on that device, kernels and all. The
 * running trainer then moves there between two steps (nw_runner_call + nw_trainer_take_over),
 * carrying its weights, step, optimizer state and everything else; when that cannot be done,
 * the new trainer waits for the next reset and the state says so.
 *
 * The devices are reached through the NwDevices the program gave (core never sees OpenCL);
 * without one, the CPU alone. Results come back on the session's context, to a weak
 * reference of the session. */
#include "nw-session-private.h"
#include "nw-i18n.h"

#include "nw-handoff.h"

#include <string.h>

struct _NwSessionDevice {
  NwDevices    *devices;
  char         *origin;        /* why the first choice is what it is (NW_BACKEND=cpu) */
  /* the choice */
  NwBackendKind kind;
  char         *device;        /* CL: a device id; NULL: the best */
  char         *shape_key;     /* the installed network's shape */
  /* AUTO's last answer, per network shape: no new calibration for every edit */
  char         *decided_key;
  NwBackendKind decided_kind;
  char         *decided_device;
  char         *decided_why;
  /* what trains now */
  gboolean      on_device;     /* not the CPU backend */
  char         *description;
  char         *why;
  char         *state;         /* "choosing a device", "moving to …", NULL when settled */
  /* work */
  GCancellable *cancel;        /* the choice in flight */
  GCancellable *move_cancel;   /* the move queued on the runner (cancelled: it must not run) */
  gboolean      held;          /* no choice until released */
  gboolean      deferred;      /* a choice waits for the release */
  NwTrainer    *pending;       /* on the chosen device, waiting for the next reset */
  guint         pending_generation;
  /* the list */
  GPtrArray    *devices_found; /* NwDeviceInfo; NULL until listed */
  gboolean      listing;
};

static void
changed (NwSession *self)
{
  g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DEVICE_CHANGED], 0);
}

static void
set_state (NwSession *self, const char *state)
{
  g_free (self->device->state);
  self->device->state = g_strdup (state);
  changed (self);
}

static void
set_why (NwSessionDevice *b, const char *why)
{
  char *old = b->why;
  b->why = g_strdup (why);
  g_free (old);
}

static void
set_in_use (NwSession *self, NwBackend *backend, const char *why)
{
  NwSessionDevice *b = self->device;
  g_free (b->description);
  b->description = g_strdup (backend != NULL && backend->description != NULL
                             ? backend->description : "CPU");
  b->on_device = backend != NULL && g_strcmp0 (backend->ops->name, "cpu") != 0;
  set_why (b, why);
  g_clear_pointer (&b->state, g_free);
  changed (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The choice, on a worker                                                                     */

typedef struct {
  /* in */
  GWeakRef      session;
  NwJobs       *jobs;
  NwDevices    *devices;
  NwSpec       *spec;
  NwDataSource *source;
  NwBackendKind kind;
  char         *device;
  gboolean      list;          /* list the devices */
  gboolean      list_only;     /* the devices alone (nw_session_list_devices) */
  char         *key;           /* AUTO: the network's shape */
  guint         generation;
  /* out */
  GPtrArray    *devices_found;
  NwTrainer    *trainer;       /* on the chosen device, for the session's data */
  char         *why;
  char         *chosen_device; /* its id */
  NwBackendKind chosen_kind;
} Choice;

/* Plain memory and thread-safe references only: GLib may free this on the worker. */
static void
choice_free (Choice *c)
{
  NW_HANDOFF_ACQUIRE (c);
  g_weak_ref_clear (&c->session);
  nw_spec_free (c->spec);
  nw_data_source_free (c->source);
  nw_devices_unref (c->devices);
  g_free (c->device);
  g_free (c->key);
  g_clear_pointer (&c->devices_found, g_ptr_array_unref);
  nw_trainer_free (c->trainer);
  g_free (c->why);
  g_free (c->chosen_device);
  nw_jobs_end (c->jobs);
  nw_jobs_unref (c->jobs);
  g_free (c);
}

/* A trainer for the session's data on `backend` (taken). */
static NwTrainer *
trainer_for_session (Choice *c, NwBackend *backend, GError **error)
{
  return nw_trainer_new (c->spec, nw_data_source_make (c->source), backend, error);
}

/* The choice itself, on the worker: fills `c` (the list, the trainer, why), or sets `error`
 * (cancelled, or it failed). */
static void
choose (Choice *c, GCancellable *cancellable, GError **error)
{
  NwTrainer *t0 = NULL;

  if (!c->list_only && g_cancellable_set_error_if_cancelled (cancellable, error))
    return;
  if (c->list)
    {
      c->devices_found = nw_devices_list (c->devices, NULL);
      if (c->devices_found == NULL)
        c->devices_found = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_device_info_free);
    }
  if (c->list_only || g_cancellable_set_error_if_cancelled (cancellable, error))
    return;

  if (c->kind == NW_BACKEND_CPU)
    {
      c->trainer = trainer_for_session (c, nw_backend_cpu_new (), error);
      if (c->why == NULL)
        c->why = g_strdup (_("the CPU backend, as chosen"));
      c->chosen_kind = NW_BACKEND_CPU;
    }
  else if (c->kind == NW_BACKEND_CL && c->device != NULL)
    {
      /* A device the user picked: that one, or the reason it cannot be. */
      NwBackend *backend = nw_devices_open (c->devices, c->device, error);
      if (backend != NULL)
        {
          if (c->why == NULL)
            c->why = g_strdup_printf (_("OpenCL on %s, as chosen"), backend->description);
          c->trainer = trainer_for_session (c, backend, error);
          c->chosen_kind = NW_BACKEND_CL;
          c->chosen_device = g_strdup (c->device);
        }
    }
  else
    {
      /* What the engine would choose for this network (the calibration is cached per device
       * and shape), then a trainer for the session's own data on that backend. */
      t0 = nw_devices_choose (c->devices, c->spec, c->kind, c->device, &c->why, error);
      if (t0 != NULL)
        {
          NwBackend *b0 = nw_net_get_backend (nw_trainer_get_net (t0));
          c->chosen_device = nw_devices_device_id (c->devices, b0);
          c->chosen_kind = c->chosen_device != NULL ? NW_BACKEND_CL : NW_BACKEND_CPU;
          if (nw_data_source_is_spec_data (c->source))
            c->trainer = g_steal_pointer (&t0);
          else if (c->chosen_device != NULL)
            {
              NwBackend *again = nw_devices_open (c->devices, c->chosen_device, error);
              if (again != NULL)
                c->trainer = trainer_for_session (c, again, error);
            }
          else
            c->trainer = trainer_for_session (c, nw_backend_cpu_new (), error);
        }
    }
  nw_trainer_free (t0);
}

static void
choose_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Choice *c = task_data;
  GError *error = NULL;
  gboolean list_only;

  NW_HANDOFF_ACQUIRE (c);
  list_only = c->list_only;
  choose (c, cancellable, &error);
  /* On every way out, a cancelled one too: on_chosen keeps what was listed even from a
   * choice that was called off, and choice_free frees what was built, on the main thread.
   * `c` is not touched after this. */
  NW_HANDOFF_RELEASE (c);
  if (error != NULL)
    g_task_return_error (task, error);
  else if (list_only || !g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* The move, between two steps on the trainer's thread                                         */

typedef struct {
  GWeakRef      session;
  GMainContext *context;
  NwJobs       *jobs;
  NwTrainer    *trainer;       /* the new one; after a move, the old one's insides */
  char         *why;           /* the new backend's description */
  gboolean      to_device;
  guint         generation;
  GCancellable *cancel;        /* the session's move_cancel when queued; checked on the worker */
  gboolean      called_off;    /* cancelled before it ran: nothing moved, nothing to report */
  gboolean      moved;
  GError       *error;
} Move;

static void
move_free (gpointer data)
{
  Move *m = data;
  NW_HANDOFF_ACQUIRE (m);
  g_weak_ref_clear (&m->session);
  g_main_context_unref (m->context);
  nw_trainer_free (m->trainer);
  g_free (m->why);
  g_clear_error (&m->error);
  g_clear_object (&m->cancel);
  nw_jobs_end (m->jobs);
  nw_jobs_unref (m->jobs);
  g_free (m);
}

static void start_choice (NwSession *self, gboolean list_only);

static gboolean
move_report (gpointer data)
{
  Move *m = data;
  g_autoptr (NwSession) self = NULL;
  NW_HANDOFF_ACQUIRE (m);
  self = g_weak_ref_get (&m->session);
  if (self != NULL && self->device != NULL && self->generation == m->generation
      && !m->called_off)
    {
      NwSessionDevice *b = self->device;
      gboolean superseded = g_cancellable_is_cancelled (m->cancel);
      if (b->move_cancel == m->cancel)
        g_clear_object (&b->move_cancel);
      if (m->moved)
        {
          /* The runner's trainer now lives on the new backend (the old one was freed on the
           * worker): say so, whatever the choice says now. */
          g_free (b->description);
          b->description = g_strdup (m->why);
          b->on_device = m->to_device;
          set_state (self, NULL);
          /* Called off too late (the user chose the CPU, or another device, after the worker
           * had moved the run): go where the choice says now. */
          if (superseded && b->cancel == NULL && (b->kind == NW_BACKEND_CPU) == b->on_device)
            start_choice (self, FALSE);
        }
      else if (superseded)
        ;   /* failed, and no longer wanted: nothing waits for the next reset */
      else
        {
          g_autofree char *state = g_strdup_printf (_("moves at the next Reset (%s)"), m->error->message);
          nw_trainer_free (b->pending);
          b->pending = g_steal_pointer (&m->trainer);
          b->pending_generation = m->generation;
          set_state (self, state);
        }
    }
  move_free (m);
  return G_SOURCE_REMOVE;
}

/* On the runner's thread. A move called off meanwhile (another device was chosen, a new
 * network came) does not run. */
static void
move_on_worker (NwTrainer *running, gpointer data)
{
  Move *m = data;
  GMainContext *context;
  NW_HANDOFF_ACQUIRE (m);
  if (g_cancellable_is_cancelled (m->cancel))
    m->called_off = TRUE;
  else
    m->moved = nw_trainer_take_over (running, m->trainer, &m->error);
  if (m->moved)
    g_clear_pointer (&m->trainer, nw_trainer_free);   /* the old backend's insides */
  context = m->context;
  NW_HANDOFF_RELEASE (m);
  nw_report_to_context (context, move_report, m);
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
cancel_work (NwSessionDevice *b)
{
  if (b->cancel != NULL)
    g_cancellable_cancel (b->cancel);
  g_clear_object (&b->cancel);
  if (b->move_cancel != NULL)
    g_cancellable_cancel (b->move_cancel);
  g_clear_object (&b->move_cancel);
}

/* Chooses (list_only: lists the devices, nothing else) in the background. */
static void
start_choice (NwSession *self, gboolean list_only)
{
  NwSessionDevice *b = self->device;
  Choice *c;
  g_autoptr (GTask) task = NULL;

  c = g_new0 (Choice, 1);
  g_weak_ref_init (&c->session, self);
  c->jobs = nw_jobs_ref (self->jobs);
  nw_jobs_begin (c->jobs);
  c->devices = nw_devices_ref (b->devices);
  if (!list_only)
    {
      /* A listing needs no network (a session may have none yet). */
      c->spec = nw_spec_copy (self->spec);
      /* nw_devices_choose builds from the spec alone (cl/ is not told the data folder). */
      nw_data_spec_resolve (&c->spec->data, self->data_root);
      c->source = nw_session_data_source (self);
    }
  c->kind = b->kind;
  c->device = g_strdup (b->device);
  c->list = b->devices_found == NULL && !b->listing;
  c->list_only = list_only;
  c->generation = self->generation;
  if (c->list)
    {
      b->listing = TRUE;
      g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DEVICES_CHANGED], 0);
    }
  if (list_only)
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
      set_state (self, _("choosing a device"));
      task = g_task_new (NULL, b->cancel, on_chosen, NULL);
    }
  g_task_set_name (task, "[neurowire] choose device");
  g_task_set_task_data (task, c, (GDestroyNotify) choice_free);
  NW_HANDOFF_RELEASE (c);
  g_task_run_in_thread (task, choose_in_thread);
}

static void
on_chosen (GObject *source, GAsyncResult *result, gpointer data)
{
  Choice *c = g_task_get_task_data (G_TASK (result));
  g_autoptr (NwSession) self = NULL;
  g_autoptr (GError) error = NULL;
  NwSessionDevice *b;
  gboolean ok;
  /* Given back on every return: GLib may free `c` on the worker after this (choice_free). */
  NW_HANDOFF_HOLD (c);
  self = g_weak_ref_get (&c->session);
  ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL || self->device == NULL)
    return;
  b = self->device;
  /* The devices it listed are kept, even from a choice that was superseded. */
  if (c->list)
    {
      b->listing = FALSE;
      if (c->devices_found != NULL)
        {
          g_clear_pointer (&b->devices_found, g_ptr_array_unref);
          b->devices_found = g_steal_pointer (&c->devices_found);
        }
      g_signal_emit (self, nw_session_signals[NW_SESSION_SIGNAL_DEVICES_CHANGED], 0);
    }
  if (c->list_only || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&b->cancel);
  if (c->generation != self->generation)
    return;   /* another trainer came meanwhile: its own choice runs */
  if (!ok)
    {
      g_autofree char *why = g_strdup_printf (_("the CPU backend: %s"), error->message);
      set_why (b, why);
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
  if (c->chosen_kind == NW_BACKEND_CPU && !b->on_device)
    {
      /* Staying on the CPU, where the trainer already is. */
      set_why (b, c->why);
      set_state (self, NULL);
      return;
    }
  {
    Move *m = g_new0 (Move, 1);
    NwBackend *nb = nw_net_get_backend (nw_trainer_get_net (c->trainer));
    g_autofree char *state = g_strdup_printf (_("moving to %s"), nb->description);
    g_weak_ref_init (&m->session, self);
    m->context = g_main_context_ref (self->context);
    m->jobs = nw_jobs_ref (self->jobs);
    nw_jobs_begin (m->jobs);
    m->trainer = g_steal_pointer (&c->trainer);
    m->why = g_strdup (nb->description);
    m->to_device = c->chosen_kind == NW_BACKEND_CL;
    m->generation = self->generation;
    g_clear_object (&b->move_cancel);
    b->move_cancel = g_cancellable_new ();
    m->cancel = g_object_ref (b->move_cancel);
    set_why (b, c->why);
    set_state (self, state);
    NW_HANDOFF_RELEASE (m);
    if (self->runner != NULL)
      nw_runner_call (self->runner, move_on_worker, m, move_free);
    else
      move_free (m);
  }
}

/* ------------------------------------------------------------------------------------------ */

void
nw_session_device_trainer_installed (NwSession *self, NwTrainer *trainer)
{
  NwSessionDevice *b = self->device;
  NwBackend *backend = nw_net_get_backend (nw_trainer_get_net (trainer));
  g_autofree char *cpu_why = b->origin != NULL
    ? g_strdup_printf (_("the CPU backend (%s)"), b->origin) : g_strdup (_("the CPU backend, as chosen"));

  g_clear_pointer (&b->pending, nw_trainer_free);
  cancel_work (b);
  g_free (b->shape_key);
  b->shape_key = shape_key (trainer);
  set_in_use (self, backend, b->kind != NW_BACKEND_CPU
              ? _("built at once on the CPU; the device is chosen in the background") : cpu_why);
  /* Already where the choice wants it. */
  b->deferred = FALSE;
  if ((b->kind == NW_BACKEND_CPU) == !b->on_device)
    return;
  /* Decided already for this shape: the CPU, where it is. */
  if (b->kind == NW_BACKEND_AUTO && b->decided_kind == NW_BACKEND_CPU && !b->on_device
      && b->decided_key != NULL && g_strcmp0 (b->decided_key, b->shape_key) == 0)
    {
      set_why (b, b->decided_why);
      changed (self);
      return;
    }
  if (b->held)
    {
      b->deferred = TRUE;
      return;
    }
  start_choice (self, FALSE);
}

void
nw_session_release_device_choice (NwSession *self)
{
  NwSessionDevice *b = self->device;
  g_return_if_fail (NW_IS_SESSION (self));
  b->held = FALSE;
  if (b->deferred && self->runner != NULL)
    {
      b->deferred = FALSE;
      start_choice (self, FALSE);
    }
}

gboolean
nw_session_device_take_pending (NwSession *self)
{
  NwSessionDevice *b = self->device;
  NwTrainer *trainer;
  if (b->pending == NULL || b->pending_generation != self->generation)
    return FALSE;
  trainer = g_steal_pointer (&b->pending);
  /* Built (and, after a failed take-over, partly overwritten) before the latest settings:
   * fresh weights, then the session's hyperparameters and Dropout/BatchNorm switches. */
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
  nw_session_install_trainer (self, trainer, TRUE);
  return TRUE;
}

void
nw_session_set_device (NwSession *self, NwBackendKind kind, const char *id)
{
  NwSessionDevice *b = self->device;
  g_return_if_fail (NW_IS_SESSION (self));
  g_clear_pointer (&b->device, g_free);
  g_clear_pointer (&b->decided_key, g_free);
  g_clear_pointer (&b->origin, g_free);
  b->kind = kind;
  b->device = kind == NW_BACKEND_CL ? g_strdup (id) : NULL;
  if (self->runner == NULL || !self->valid || b->held)
    {
      b->deferred = b->kind != NW_BACKEND_CPU || b->on_device;
      return;
    }
  if (b->kind == NW_BACKEND_CPU && !b->on_device)
    {
      set_why (b, _("the CPU backend, as chosen"));
      /* Also a move to a device already queued on the runner: it must not run now. */
      cancel_work (b);
      set_state (self, NULL);
      return;
    }
  start_choice (self, FALSE);
}

void
nw_session_list_devices (NwSession *self)
{
  g_return_if_fail (NW_IS_SESSION (self));
  if (!self->device->listing)
    start_choice (self, TRUE);
}

GPtrArray *
nw_session_get_devices (NwSession *self)
{
  return self->device->devices_found;
}

gboolean
nw_session_get_listing_devices (NwSession *self)
{
  return self->device->listing;
}

NwBackendKind
nw_session_get_device_kind (NwSession *self)
{
  return self->device->kind;
}

const char *
nw_session_get_device_description (NwSession *self)
{
  return self->device->description;
}

const char *
nw_session_get_device_why (NwSession *self)
{
  return self->device->why;
}

const char *
nw_session_get_device_state (NwSession *self)
{
  return self->device->state;
}

void
nw_session_device_init (NwSession *self, const NwSessionOptions *options)
{
  NwSessionDevice *b = g_new0 (NwSessionDevice, 1);
  self->device = b;
  b->devices = options->devices != NULL ? nw_devices_ref (options->devices)
                                        : nw_devices_new_cpu_only ();
  b->kind = options->backend;
  b->device = g_strdup (options->device);
  b->origin = g_strdup (options->backend_origin);
  b->held = options->hold_device_choice;
  b->description = g_strdup ("CPU");
}

void
nw_session_device_dispose (NwSession *self)
{
  NwSessionDevice *b = self->device;
  if (b == NULL)
    return;
  cancel_work (b);
  g_clear_pointer (&b->pending, nw_trainer_free);
  g_clear_pointer (&b->devices_found, g_ptr_array_unref);
  nw_devices_unref (b->devices);
  g_free (b->origin);
  g_free (b->device);
  g_free (b->shape_key);
  g_free (b->decided_key);
  g_free (b->decided_device);
  g_free (b->decided_why);
  g_free (b->description);
  g_free (b->why);
  g_free (b->state);
  g_clear_pointer (&self->device, g_free);
}
