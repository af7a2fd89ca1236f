/* nw-window-private.h: NwWindow's widgets and what its parts share. Internal to ui/.
 *
 * The window shows one NwSession (core/nw-session.h), which holds the network, its file, its
 * data, the runner and the device; the window's parts show it and pass on what the user
 * does:
 *
 * nw-window.c          controls <-> session, files, actions, life cycle
 * nw-window-views.c    snapshots -> views: metrics, boundary (evaluation or training mode),
 *                      neuron maps in the editor, alarms; the frame-clock tick
 * nw-window-device.c   the device label and menu
 * nw-window-data.c     the data panel's progress and status while data loads
 * nw-window-mnist.c    MNIST mode: the digit panel fed from the run (test split, progress,
 *                      the model at each epoch end and on pause), presets, the user's digits */
#pragma once

#include "nw-window.h"

#include "nw-activation-plot.h"
#include "nw-boundary-view.h"
#include "nw-editor.h"
#include "nw-grad-plot.h"
#include "nw-loss-plot.h"
#include "nw-mnist-panel.h"
#include "nw-session.h"
#include "nw-ui.h"
#include "nw-weight-hist.h"

G_BEGIN_DECLS

typedef struct _NwWindowDevice NwWindowDevice;
typedef struct _NwWindowMnist  NwWindowMnist;

struct _NwWindow
{
  GtkApplicationWindow parent_instance;

  /* template children */
  GtkButton        *play_button;
  GtkImage         *play_icon;
  GtkLabel         *play_label;
  GtkButton        *step_button;
  GtkButton        *reset_button;
  GtkDropDown      *dataset_dropdown;
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkLabel         *backend_label;
  GtkMenuButton    *device_button;
  /* Values that change while training are inscriptions: a new text redraws them without
   * laying the window out again (a GtkLabel's does, with X round trips for the toplevel's
   * size, several times a second beside the trainer). */
  GtkInscription   *speed_label;
  GtkInscription   *step_label;
  GtkInscription   *epoch_label;
  GtkRevealer      *message_revealer;
  GtkLabel         *message_label;
  GtkRevealer      *alarm_revealer;
  GtkLabel         *alarm_label;
  GtkBox           *editor_slot;
  GtkDropDown      *optimizer_dropdown;
  GtkScale         *lr_scale;
  GtkLabel         *lr_value_label;
  GtkSpinButton    *batch_spin;
  GtkSpinButton    *l1_spin;
  GtkSpinButton    *l2_spin;
  GtkSpinButton    *seed_spin;
  GtkWidget        *generator_grid;   /* noise, size, test share: hidden for image data */
  GtkWidget        *regenerate_button;
  GtkSpinButton    *noise_spin;
  GtkSpinButton    *size_spin;
  GtkSpinButton    *test_ratio_spin;
  GtkBox           *load_box;
  GtkProgressBar   *load_progress;
  GtkLabel         *data_status_label;
  GtkLabel         *switches_heading;
  GtkBox           *switches_box;
  GtkCheckButton   *show_test_check;
  GtkBox           *train_mode_box;
  GtkSwitch        *train_mode_switch;
  GtkToggleButton  *class1_toggle;
  GtkToggleButton  *class0_toggle;
  GtkLabel         *points_label;
  GtkInscription   *loss_label;
  GtkInscription   *accuracy_label;
  GtkToggleButton  *log_toggle;
  NwBoundaryView   *boundary_view;
  NwLossPlot       *loss_plot;
  NwGradPlot       *grad_plot;
  NwActivationPlot *activation_plot;
  NwWeightHist     *weight_hist;
  GtkWidget        *views_switcher_box;
  GtkStack         *views_stack;
  GtkWidget        *boundary_card;
  NwMnistPanel     *mnist_panel;

  NwEditor         *editor;

  NwSession        *session;
  gboolean          close_after_save;
  gboolean          was_playing;     /* the session's playing, as the controls last showed it */
  NwRunner         *watched_runner;  /* the runner whose snapshots the views take */
  guint             tick_id;         /* polls the runner at each frame (2D data) */
  GSource          *runner_source;   /* or wakes the window when it publishes (images) */
  gint64            last_step;
  char            **layer_ids;       /* the session's layers' ids, for the plots' labels */

  /* views */
  gint64            slow_views_us;   /* when the activation and weight views last took one */
  gint64            maps_us;         /* when the editor last took neuron maps */
  gint64            live_text_us;    /* when the counters, loss and alarm labels last changed */
  gint64            text_epoch;      /* the epoch they showed (a new epoch shows at once) */
  gint64            speed_text_us;   /* when the steps/s label last changed */
  int               grid_n;          /* the last snapshot's grids, for the train/eval switch */
  float            *grid_eval;
  float            *grid_train;
  /* NW_DEBUG_FPS=1: frames and snapshots per second on stderr, every 2 s (for bench/) */
  gboolean          debug_fps;
  gint64            fps_since;
  int               fps_frames, fps_snapshots;
  double            fps_steps_per_s;
  gint64            play_since_us;   /* when Play last started this trainer (epoch times) */
  gint64            play_cpu_us;     /* the main thread's CPU time then (NW_DEBUG_FPS) */
  gint64            epoch_logged;    /* the last epoch whose time was printed */

  NwWindowDevice   *device;          /* nw-window-device.c */
  NwWindowMnist    *mnist;           /* nw-window-mnist.c */

  gboolean          syncing;         /* controls are being set from the spec */
};

/* The session's network (borrowed: it changes only through the session). */
static inline const NwSpec *
nw_window_spec (NwWindow *self)
{
  return nw_session_get_spec (self->session);
}

/* nw-window.c */
void        nw_window_show_message      (NwWindow *self, const char *format, ...) G_GNUC_PRINTF (2, 3);
void        nw_window_dismiss_message   (NwWindow *self);
void        nw_window_set_alarm         (NwWindow *self, const char *text);
void        nw_window_update_play_button (NwWindow *self);
void        nw_window_set_playing       (NwWindow *self, gboolean playing);
gboolean    nw_window_kind_is_2d        (NwDataKind kind);
char       *nw_window_display_name      (GFile *file);
/* CPU time of the calling thread, in microseconds (NW_DEBUG_FPS's figures). */
gint64      nw_window_thread_cpu_us     (void);

/* nw-window-views.c */
void        nw_window_views_init        (NwWindow *self);
void        nw_window_views_finalize    (NwWindow *self);
/* Empties every view (a new trainer). */
void        nw_window_views_clear       (NwWindow *self);
/* The train/eval switch's state for the current network. */
void        nw_window_views_sync_train_switch (NwWindow *self);
/* How the window takes the runner's snapshots: polled at each frame, or when the runner's
 * source says it published (images: see nw-window-views.c); for the runner it has now. */
void        nw_window_views_watch_runner   (NwWindow *self);
void        nw_window_views_unwatch_runner (NwWindow *self);

/* nw-window-device.c */
void        nw_window_device_init       (NwWindow *self);
void        nw_window_device_dispose    (NwWindow *self);

/* nw-window-data.c: the session's data signals, shown in the data panel */
void        nw_window_on_data_progress  (NwSession *session, double fraction, const char *what,
                                         NwWindow *self);
void        nw_window_on_data_status    (NwSession *session, const char *text, gboolean error,
                                         NwWindow *self);
void        nw_window_on_data_loaded    (NwSession *session, NwWindow *self);
void        nw_window_on_data_failed    (NwSession *session, const char *text, NwWindow *self);
void        nw_window_on_busy_changed   (NwSession *session, GParamSpec *pspec, NwWindow *self);
void        nw_window_action_cancel_load (GtkWidget *widget, const char *name, GVariant *param);

/* nw-window-mnist.c */
void        nw_window_mnist_class_init  (GtkWidgetClass *widget_class);
void        nw_window_mnist_init        (NwWindow *self);
void        nw_window_mnist_dispose     (NwWindow *self);
/* MNIST or Fashion-MNIST: 784 grey levels, 10 classes, the digit view. */
gboolean    nw_window_kind_is_mnist     (NwDataKind kind);
/* Shows the digit view or the 2D one for the current network's data. */
void        nw_window_mnist_sync_mode   (NwWindow *self);
/* The loaded data is in place: its test split goes to the panel, which reads it while it
 * holds `owner` (taken; released with `owner_free`). */
void        nw_window_mnist_data_loaded (NwWindow *self, const NwDataset *ds, gpointer owner,
                                         GDestroyNotify owner_free);
/* Loading failed: `text` says why (NULL: nothing to say). */
void        nw_window_mnist_data_failed (NwWindow *self, const char *text);
/* A new trainer or a reset: the panel's progress starts again and its model is dropped. */
void        nw_window_mnist_clear       (NwWindow *self);
/* Asks the trainer's thread for the current model and hands it to the panel (main loop). */
void        nw_window_mnist_fetch_model (NwWindow *self);
/* show_text: whether the progress text is due (it changes at most 4 times a second while
 * playing, see nw-window-views.c); the model is fetched at every epoch's end regardless. */
void        nw_window_mnist_snapshot    (NwWindow *self, const NwSnapshot *snap,
                                         gboolean show_text);
void        nw_window_mnist_missed_test (NwWindow *self, const NwRunnerTest *test);
/* TRUE when Reset must rebuild the data (user digits to mix in, or mixed in and no longer
 * wanted) rather than only draw fresh weights. */
gboolean    nw_window_mnist_reset_needs_rebuild (NwWindow *self);

G_END_DECLS
