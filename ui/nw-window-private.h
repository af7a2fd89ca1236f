/* nw-window-private.h: NwWindow's state and what its parts share. Internal to ui/.
 *
 * nw-window.c          controls <-> spec, 2D points, files, actions, life cycle
 * nw-window-views.c    snapshots -> views: metrics, boundary (evaluation or training mode),
 *                      neuron maps in the editor, alarms; the frame-clock tick
 * nw-window-backend.c  the device in use: the choice in the background, the device menu,
 *                      moving the running trainer to another backend
 * nw-window-data.c     data that is loaded (MNIST, CSV): in the background with progress,
 *                      trainers for large data built off the main thread
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
#include "nw-points.h"
#include "nw-runner.h"
#include "nw-ui.h"
#include "nw-weight-hist.h"

G_BEGIN_DECLS

/* The snapshot cadence: ~30 per second while playing, the boundary on a 64 x 64 grid. The
 * mailbox keeps only the newest snapshot, so a frame that comes late loses the ones before
 * it: small (2D) test splits are therefore evaluated in every snapshot, large ones (MNIST)
 * in the first snapshot after each epoch's end (see test_every_for). */
#define NW_WINDOW_PUBLISH_MS 33
#define NW_WINDOW_PUBLISH_MS_IMAGES 125
#define NW_WINDOW_GRID_N     64

typedef struct _NwWindowBackend NwWindowBackend;
typedef struct _NwWindowData    NwWindowData;
typedef struct _NwWindowMnist   NwWindowMnist;

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

  /* the network and where it lives on disk */
  NwSpec           *spec;
  GFile            *file;
  GFile            *pending_weights; /* to load once the network being opened is in place */
  gboolean          pending_play;    /* play once the network being opened is in place */
  gboolean          modified;
  gboolean          close_after_save;

  /* the data, when it is 2D: the points the view shows and the user edits */
  GArray           *points;          /* of NwPoint; NULL for other data */

  /* training */
  NwRunner         *runner;
  gboolean          valid;           /* the network builds: Play is possible */
  char             *invalid_reason;
  gboolean          playing;
  guint             tick_id;         /* polls the runner at each frame (2D data) */
  GSource          *runner_source;   /* or wakes the window when it publishes (images) */
  /* Bumped whenever the runner gets a trainer for another network or data: work started for
   * an older one (a trainer built in the background) is dropped when it comes back. */
  guint             generation;
  /* The layers of the trainer the runner has now, in execution order: snapshots are matched
   * against them (ids are copied here, never read from a snapshot's probes, which borrow
   * from a trainer the worker may already have freed after a replace). */
  char            **layer_ids;
  NwNodeKind       *layer_kinds;
  gboolean         *layer_feeds_loss;
  int               n_layers;
  gint64            last_step;
  int               test_every;      /* the runner's */
  int               publish_ms;      /* the runner's */

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

  NwWindowBackend  *backend;         /* nw-window-backend.c */
  NwWindowData     *data;            /* nw-window-data.c */
  NwWindowMnist    *mnist;           /* nw-window-mnist.c */

  gboolean          syncing;         /* controls are being set from the spec */
};

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
/* Hands the runner `trainer` (taken): a new network, new data or loaded weights. */
void        nw_window_install_trainer   (NwWindow *self, NwTrainer *trainer, gboolean keep_playing);
/* Shows `spec` (taken) with its data ready: `points` (taken; 2D data; NULL for loaded data,
 * which nw-window-data.c keeps) and `trainer` (taken; NULL: built here). */
void        nw_window_adopt             (NwWindow *self, NwSpec *spec, GFile *file, GArray *points,
                                         NwTrainer *trainer);
/* An invalid network: Play is off, with the reason. */
void        nw_window_set_valid         (NwWindow *self, gboolean valid, const char *reason);

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

/* nw-window-backend.c */
void        nw_window_backend_init      (NwWindow *self);
void        nw_window_backend_dispose   (NwWindow *self);
/* The runner has a new trainer, on the CPU: moves it to the chosen device if there is one. */
void        nw_window_backend_trainer_installed (NwWindow *self, NwTrainer *trainer);
/* Reset: TRUE when a trainer waiting for the next reset (on the chosen device, its state
 * could not be carried over) was installed instead of resetting the running one. */
gboolean    nw_window_backend_take_pending (NwWindow *self);

/* nw-window-data.c */
void        nw_window_data_class_init   (GtkWidgetClass *widget_class);
void        nw_window_data_init         (NwWindow *self);
/* The current network's data is no longer the loaded one (2D points now). */
void        nw_window_data_forget       (NwWindow *self);
void        nw_window_data_dispose      (NwWindow *self);
/* TRUE when `spec`'s data has to be loaded (MNIST, a CSV file) rather than generated. */
gboolean    nw_window_data_needs_load   (const NwSpec *spec);
/* Loads `spec`'s data in the background, then builds its trainer and shows it (taking
 * `spec`); until then, and if that fails, the current network stays. */
void        nw_window_data_open         (NwWindow *self, NwSpec *spec, GFile *file);
/* A trainer for the current network and data: built here for small data, else in the
 * background and installed when ready (FALSE and `error` for an invalid network). */
gboolean    nw_window_data_rebuild      (NwWindow *self, GError **error);
/* User digits mixed into the current trainer's training split (each repeated
 * NW_MNIST_PANEL_MIX_REPEAT times). */
guint       nw_window_data_n_mixed      (NwWindow *self);
/* TRUE while data loads or a trainer is built in the background. */
gboolean    nw_window_data_busy         (NwWindow *self);
/* The loaded (non-2D) data of the current network, or NULL. */
const NwDataset *nw_window_data_get     (NwWindow *self);
/* What a trainer for the current network is built from, usable on any thread. */
typedef struct _NwDataSource NwDataSource;
NwDataSource *nw_window_data_source     (NwWindow *self);
/* A new dataset from `src` (any thread); NULL: the spec's own data (generated). */
NwDataset  *nw_data_source_make         (NwDataSource *src);
/* TRUE when the data came from the spec unchanged (a trainer built from spec->data has it). */
gboolean    nw_data_source_is_spec_data (NwDataSource *src);
void        nw_data_source_free         (NwDataSource *src);
/* Background work of every window (loads, builds, device choices): counted so that a closing
 * program and the tests can wait for it. */
void        nw_window_job_started       (NwWindow *self);
void        nw_window_job_finished      (GApplication *app);

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
/* A copy of the user's digits when they are to be mixed into the next run's training data,
 * else NULL. */
NwDigitSet *nw_window_mnist_dup_mix_set (NwWindow *self);
/* TRUE when Reset must rebuild the data (user digits to mix in, or mixed in and no longer
 * wanted) rather than only draw fresh weights. */
gboolean    nw_window_mnist_reset_needs_rebuild (NwWindow *self);

G_END_DECLS
