/* nw-session-private.h: what the session's three files share (nw-session.c: the network,
 * runner and files; nw-session-data.c: loaded data and trainers built in the background;
 * nw-session-device.c: the device choice and moves). Internal to core/. */
#pragma once

#include "nw-session.h"

G_BEGIN_DECLS

typedef struct _NwSessionData   NwSessionData;
typedef struct _NwSessionDevice NwSessionDevice;

struct _NwSession
{
  GObject          parent_instance;

  GMainContext    *context;         /* where results are reported */
  NwJobs          *jobs;
  char            *data_root;     /* holds mnist/ and fashion-mnist/; NULL: the default */
  NwSpec          *spec;
  GFile           *file;
  gboolean         modified;
  guint            edits;           /* counts changes: a save that began before one keeps it */
  GArray          *points;          /* of NwPoint; NULL for data that is not 2D */

  NwRunner        *runner;
  guint            generation;
  NwSessionLayer  *layers;
  int              n_layers;
  int              test_every;      /* the runner's options */
  int              publish_ms;
  gboolean         valid;
  char            *invalid_reason;
  gboolean         playing;
  gboolean         pending_play;    /* play once the network being opened is in place */
  double           pace;            /* steps/s while playing; 0: full speed */
  gboolean         has_when;        /* pause conditions given to the runner, not yet met */
  NwPauseWhen      when;
  NwPauseReason    paused_by;       /* why it is paused (NONE while playing) */
  gint64           paused_at_step;
  GSource         *pause_source;    /* the runner's nw_runner_pause_source_new */
  GFile           *pending_weights; /* load once the network being opened is in place */

  NwSessionData   *data;
  NwSessionDevice *device;
};

enum {
  NW_SESSION_SIGNAL_SPEC_CHANGED,
  NW_SESSION_SIGNAL_TRAINER_INSTALLED,
  NW_SESSION_SIGNAL_MESSAGE,
  NW_SESSION_SIGNAL_DATA_PROGRESS,
  NW_SESSION_SIGNAL_DATA_STATUS,
  NW_SESSION_SIGNAL_DATA_LOADED,
  NW_SESSION_SIGNAL_DATA_FAILED,
  NW_SESSION_SIGNAL_POINTS_CHANGED,
  NW_SESSION_SIGNAL_WEIGHTS_LOADED,
  NW_SESSION_SIGNAL_DEVICE_CHANGED,
  NW_SESSION_SIGNAL_DEVICES_CHANGED,
  NW_SESSION_SIGNAL_GRAPH_CHANGED,
  NW_SESSION_SIGNAL_NODE_ENABLED,
  NW_SESSION_SIGNAL_RESET,
  NW_SESSION_SIGNAL_DATA_CHANGED,
  NW_SESSION_SIGNAL_PAUSED,
  NW_SESSION_N_SIGNALS
};
extern guint nw_session_signals[NW_SESSION_N_SIGNALS];

/* nw-session.c */
void        nw_session_set_valid        (NwSession *self, gboolean valid, const char *reason);
/* Hands the runner `trainer` (taken); keep_playing: a playing run (or a pending play) goes on. */
void        nw_session_install_trainer  (NwSession *self, NwTrainer *trainer, gboolean keep_playing);
/* Takes `spec` (and `points`, 2D data, or NULL) as the network shown, with `trainer` (taken;
 * NULL: built here). */
void        nw_session_adopt            (NwSession *self, NwSpec *spec, GFile *file,
                                         GArray *points, NwTrainer *trainer);
void        nw_session_notify_busy      (NwSession *self);

/* nw-session-data.c */
void        nw_session_data_init        (NwSession *self);
void        nw_session_data_dispose     (NwSession *self);
/* The loaded data goes: the network's data is 2D points now. */
void        nw_session_data_forget      (NwSession *self);
gboolean    nw_session_data_needs_load  (const NwSpec *spec);
/* Loads `spec`'s data in the background, then builds its trainer and adopts it (taking
 * `spec`); until then, and if that fails, the current network stays. `task` (may be NULL,
 * taken) is returned TRUE once adopted, or the error. */
void        nw_session_data_open        (NwSession *self, NwSpec *spec, GFile *file, GTask *task);
/* A trainer for the current network and data: built here for small data, else in the
 * background and installed when ready (FALSE and `error` for an invalid network). */
gboolean    nw_session_data_rebuild     (NwSession *self, GError **error);
/* What a trainer for the current network is built from, usable on any thread. */
typedef struct _NwDataSource NwDataSource;
NwDataSource *nw_session_data_source    (NwSession *self);
NwDataset  *nw_data_source_make         (NwDataSource *src);
gboolean    nw_data_source_is_spec_data (NwDataSource *src);
void        nw_data_source_free         (NwDataSource *src);

/* nw-session-device.c */
void        nw_session_device_init      (NwSession *self, const NwSessionOptions *options);
void        nw_session_device_dispose   (NwSession *self);
/* The runner has a new trainer, on the CPU: moves it to the chosen device if there is one. */
void        nw_session_device_trainer_installed (NwSession *self, NwTrainer *trainer);
/* Reset: TRUE when a trainer waiting for the next reset (on the chosen device) was installed
 * instead. */
gboolean    nw_session_device_take_pending (NwSession *self);

G_END_DECLS
