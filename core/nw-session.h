/* nw-session.h: one run of one network, without a window.
 *
 * A session holds what a person works on: the spec, the file it came from and whether it was
 * changed since, its data (2D points the user edits, or a dataset loaded in the background),
 * the runner that trains it on its own thread (and the generation that tells an old run's
 * results from the current one's), and the device it trains on, chosen in the background. A
 * window shows a session; a lesson, the command line and the tests drive one directly;
 * several live in one process at once (comparison lanes), each with its own runner and
 * device choice.
 *
 * Every function is for the thread that made the session (its main context), as are its
 * signals: background work (loads, trainers for large data, device choices, moves between
 * devices) reports back there, and a session freed meanwhile drops what comes back. */
#pragma once

#include <gio/gio.h>

#include "nw-device.h"
#include "nw-digit-set.h"
#include "nw-jobs.h"
#include "nw-points.h"
#include "nw-runner.h"

G_BEGIN_DECLS

/* Snapshots ~30 times a second for 2D data, 8 for images (a step is slow, the views change
 * slowly, and each snapshot costs the reader's main thread a layout of the large digit view:
 * at 30 a second that was a core the trainer's BLAS threads lacked on 2 cores). */
#define NW_SESSION_PUBLISH_MS        33
#define NW_SESSION_PUBLISH_MS_IMAGES 125
#define NW_SESSION_GRID_N            64
/* Each of the user's digits goes into a training split this many times: a dozen drawn digits
 * then weigh like a few hundred of MNIST's 60,000. */
#define NW_SESSION_MIX_REPEAT        20

typedef struct {
  NwDevices     *devices;        /* what OpenCL offers (borrowed); NULL: the CPU alone */
  NwBackendKind  backend;        /* the first choice of device */
  const char    *device;         /* with NW_BACKEND_CL: the device's id; NULL: the best */
  /* Why `backend` is what it is, when the user did not choose it in the program (the window
   * says "the CPU backend (NW_BACKEND=cpu)"); NULL otherwise. */
  const char    *backend_origin;
  NwJobs        *jobs;           /* counts this session's background work (borrowed); NULL:
                                    a counter of its own */
  gboolean       hold_device_choice; /* no choice until nw_session_release_device_choice */
  /* The folder that holds mnist/ and fashion-mnist/ for data specs without a path (copied):
   * what the program read from NEUROWIRE_DATA_DIR or its command line; NULL: the default,
   * $XDG_DATA_HOME/neurowire (nw_data_default_mnist_dir). Messages about missing files name
   * the folder under it. */
  const char    *data_root;
} NwSessionOptions;

/* A layer of the running trainer, in execution order (the views match snapshots to these). */
typedef struct {
  char      *id;
  NwNodeKind kind;
  gboolean   feeds_loss;  /* an output: saturating there is what a trained classifier does */
} NwSessionLayer;

#define NW_TYPE_SESSION (nw_session_get_type ())
G_DECLARE_FINAL_TYPE (NwSession, nw_session, NW, SESSION, GObject)

/* A session with nothing in it (no spec, no runner) until a spec is set or opened. */
NwSession      *nw_session_new              (const NwSessionOptions *options);

/* ---- the network and its file ---- */

/* The current network (borrowed; NULL before the first). */
const NwSpec   *nw_session_get_spec         (NwSession *self);
GFile          *nw_session_get_file         (NwSession *self);
gboolean        nw_session_get_modified     (NwSession *self);
void            nw_session_set_modified     (NwSession *self, gboolean modified);
/* Shows `spec` (taken) as the current network from `file` (may be NULL): generated data at
 * once, loaded data in the background (the network changes once it is there). */
void            nw_session_set_spec         (NwSession *self, NwSpec *spec, GFile *file);
/* Reads `file` and takes its network: FALSE and the error (the session unchanged) when it
 * does not load or cannot train. Loaded data then comes in the background; a failure there
 * is reported through "message" and leaves the session unchanged too. */
gboolean        nw_session_open             (NwSession *self, GFile *file, GError **error);
/* The same, finishing once the network is in place (or its data failed). */
void            nw_session_open_async       (NwSession *self, GFile *file,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean        nw_session_open_finish      (NwSession *self, GAsyncResult *result,
                                             GError **error);
/* Writes the network (atomically) and makes `file` its file; FALSE and the error (nothing
 * changed) when it cannot. */
gboolean        nw_session_save             (NwSession *self, GFile *file, GError **error);
void            nw_session_save_async       (NwSession *self, GFile *file,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean        nw_session_save_finish      (NwSession *self, GAsyncResult *result,
                                             GError **error);

/* A message for whoever shows the session ("message"): printf-style; NULL: the last one no
 * longer applies. The session's own failures come this way, and so may a view's (a file
 * that could not be written). */
void            nw_session_message          (NwSession *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* ---- edits ---- */

/* New training settings: the runner takes the learning rate, optimizer, batch size and
 * penalties between two steps; the seed counts at the next reset. */
void            nw_session_set_train        (NwSession *self, const NwTrainSpec *train);
/* New data settings (a 2D generator, noise, size, test share): new points, a new run. */
void            nw_session_set_data         (NwSession *self, const NwDataSpec *data);
/* A Dropout or BatchNorm node on or off, in the spec and at the runner's next step. */
void            nw_session_set_node_enabled (NwSession *self, const char *id, gboolean enabled);
/* A new graph (the nodes and edges of `graph`, taken; its training and data settings are
 * ignored). With `rebuild`, a new run when it builds; `invalid_reason` (NULL: the build's own
 * error) says why it cannot train. Without (a moved block, a switch the runner was told
 * of), the run goes on. */
void            nw_session_set_graph        (NwSession *self, NwSpec *graph, gboolean rebuild,
                                             const char *invalid_reason);

/* ---- data ---- */

/* The 2D points (borrowed; NULL for data that is not 2D). */
GArray         *nw_session_get_points       (NwSession *self);
void            nw_session_add_point        (NwSession *self, const NwPoint *point);
void            nw_session_remove_point     (NwSession *self, guint index);
/* The loaded (not 2D) data (borrowed, NULL if none), and a reference that keeps it alive. */
const NwDataset *nw_session_get_dataset     (NwSession *self);
gpointer        nw_session_ref_dataset      (NwSession *self);
void            nw_session_unref_dataset    (gpointer ref);
/* TRUE while data loads or a trainer is built in the background. */
gboolean        nw_session_get_busy         (NwSession *self);
void            nw_session_cancel_load      (NwSession *self);
/* The user's digits to mix into the training split of the next trainer built for loaded
 * image data: `func` returns a new set, or NULL for none. */
typedef NwDigitSet *(*NwSessionDigitsFunc) (gpointer data);
void            nw_session_set_digits_func  (NwSession *self, NwSessionDigitsFunc func,
                                             gpointer data);
/* How many of the user's digits the running trainer's data has. */
guint           nw_session_get_n_mixed      (NwSession *self);

/* ---- training ---- */

/* The runner (borrowed; NULL while the network cannot train and before the first). */
NwRunner       *nw_session_get_runner       (NwSession *self);
/* Bumped with every new trainer (a new network, data, weights, device-pending reset). */
guint           nw_session_get_generation   (NwSession *self);
const NwSessionLayer *nw_session_get_layers (NwSession *self, int *n_layers);
/* Plain words for what is going wrong in `snap` (a snapshot of this session's runner), or
 * NULL (new string): a step layer that passes no gradient by design, most ReLUs of a hidden
 * layer dead, most sigmoid or tanh inputs of one saturated. Outputs (the activation before
 * the loss) may saturate: that is what a trained classifier does. */
char           *nw_session_health_alarm     (NwSession *self, const NwSnapshot *snap);
/* The runner's snapshot interval (NW_SESSION_PUBLISH_MS or _IMAGES). */
int             nw_session_get_publish_ms   (NwSession *self);
gboolean        nw_session_get_valid        (NwSession *self);
const char     *nw_session_get_invalid_reason (NwSession *self);
gboolean        nw_session_get_playing      (NwSession *self);
void            nw_session_set_playing      (NwSession *self, gboolean playing);
/* Plays now, or once a network whose data loads is in place. */
void            nw_session_play_when_ready  (NwSession *self);
void            nw_session_step             (NwSession *self);
/* The pace while playing, in steps per second (0: full speed, the default): property "pace".
 * Kept across new trainers, resets and new networks; a lesson sets it, nothing stores it. */
void            nw_session_set_pace         (NwSession *self, double steps_per_s);
double          nw_session_get_pace         (NwSession *self);
/* One-shot "pause when ..." conditions for the runner (NULL clears them; nw-runner.h says
 * how each is checked): the first that holds pauses the run, says so ("paused") and clears
 * them. Kept for a runner made anew (another data cadence) until met. */
void            nw_session_pause_when       (NwSession *self, const NwPauseWhen *when);
/* Why training is paused: NW_PAUSE_NONE while playing, NW_PAUSE_USER after a pause by hand
 * (or before the first play), else the reason the run paused by itself, with the step count
 * there (`step`, may be NULL). Property "paused-by" (an int: NwPauseReason). The budget is the
 * spec's training.steps (or .epochs): the run pauses there (NW_PAUSE_BUDGET) once per run;
 * playing on from there goes on without it until the next reset or new network.
 *
 * The session follows the runner: when the run pauses by itself (budget, condition,
 * divergence), "playing" turns FALSE and "paused" (reason, step) is emitted, on the session's
 * context, from the runner's pause source (nw_runner_pause_source_new), whether or not anyone
 * takes snapshots. */
NwPauseReason   nw_session_get_paused_by    (NwSession *self, gint64 *step);
/* Fresh weights from the seed (a trainer waiting for the chosen device takes over here). */
void            nw_session_reset            (NwSession *self);
/* A new trainer from the current network and data (the user's digits taken anew). */
void            nw_session_rebuild          (NwSession *self);
/* Weights (safetensors) into a fresh trainer that replaces the running one only if they
 * load: FALSE and the error, training unchanged, when not. */
gboolean        nw_session_load_weights     (NwSession *self, GFile *file, GError **error);
/* The same once loaded data is in place (at once when none loads). */
void            nw_session_load_weights_when_ready (NwSession *self, GFile *file);
/* After training diverged: the weights of the last step that was fine go back into the
 * trainer, on its own thread (nw_trainer_restore_last_good); the session then says what it
 * restored, or that there was nothing to restore, through "message", and the views get a
 * snapshot of the restored network. Training stays paused. */
void            nw_session_restore_last_good (NwSession *self);
/* Saves the running trainer's weights from its own thread, between two steps; the result
 * comes back to `callback` on this thread (nw_session_save_weights_finish). */
void            nw_session_save_weights_async (NwSession *self, GFile *file,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean        nw_session_save_weights_finish (NwSession *self, GAsyncResult *result,
                                                GError **error);

/* Parameters typed in by hand (a lesson's `weights` action): node `node`'s "weight" (rows =
 * its units, cols = its inputs, as PyTorch) or "bias" (rows = its units, cols = 1). */
typedef struct {
  const char  *node;
  const char  *which;
  const float *values;   /* rows x cols, row-major (copied) */
  int          rows, cols;
} NwSessionParam;
/* Sets them on the running trainer from its own thread, between two steps
 * (nw_trainer_set_node_param), in order; the run goes on from them and the views get a
 * snapshot. A node or shape that does not fit is reported through "message" (the weights
 * before it stay set). `done` (may be NULL) is called on this thread once they are set (or
 * failed), unless the session went first or its trainer was replaced meanwhile (then with an
 * error). FALSE and the error when there is no runner. */
typedef void (*NwSessionParamsDone) (NwSession *self, const GError *error, gpointer data);
gboolean        nw_session_set_params       (NwSession *self, const NwSessionParam *params,
                                             int n, NwSessionParamsDone done, gpointer data,
                                             GError **error);

/* ---- the device ---- */

/* What trains now ("CPU", a device's name), why, and what is under way ("choosing a
 * device", "moving to …"; NULL when settled). Borrowed. */
const char     *nw_session_get_device_description (NwSession *self);
const char     *nw_session_get_device_why   (NwSession *self);
const char     *nw_session_get_device_state (NwSession *self);
/* The choice: AUTO, CPU, or CL with a device id from nw_session_get_devices. */
NwBackendKind   nw_session_get_device_kind  (NwSession *self);
void            nw_session_set_device       (NwSession *self, NwBackendKind kind, const char *id);
/* Lets a held choice run (a window: once it is on screen, its first frames come first). */
void            nw_session_release_device_choice (NwSession *self);
/* Looks for devices in the background ("devices-changed" when done). */
void            nw_session_list_devices     (NwSession *self);
/* The devices found (borrowed array of NwDeviceInfo), or NULL before a listing finished. */
GPtrArray      *nw_session_get_devices      (NwSession *self);
gboolean        nw_session_get_listing_devices (NwSession *self);

/* The background work of this session not yet finished (the shared counter's, if given). */
NwJobs         *nw_session_get_jobs         (NwSession *self);

G_END_DECLS
