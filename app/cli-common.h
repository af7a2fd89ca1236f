/* cli-common.h: what every subcommand of neurowire-cli shares: option parsing, the error and
 * usage conventions, loading a spec and building a trainer from it.
 *
 * Conventions: a failure prints exactly one line, "neurowire-cli: <message>", on stderr and
 * exits 1; a usage error prints one line ending in "see 'neurowire-cli SUB --help'" and
 * exits 2. Nothing else is printed on stderr. */
#pragma once

#include "nw-app-env.h"
#include "nw-trainer.h"

G_BEGIN_DECLS

enum {
  NW_CLI_EXIT_OK = 0,
  NW_CLI_EXIT_FAILED = 1,
  NW_CLI_EXIT_USAGE = 2,
};

/* Each subcommand: argv[0] is "neurowire-cli SUB"; `env` is the environment main() read.
 * Returns the exit status. */
int         nw_cli_train           (const NwAppEnv *env, int argc, char **argv);
int         nw_cli_eval            (const NwAppEnv *env, int argc, char **argv);
int         nw_cli_predict         (const NwAppEnv *env, int argc, char **argv);
int         nw_cli_step            (const NwAppEnv *env, int argc, char **argv);
int         nw_cli_info            (const NwAppEnv *env, int argc, char **argv);
int         nw_cli_latency         (const NwAppEnv *env, int argc, char **argv);
int         nw_cli_devices         (const NwAppEnv *env, int argc, char **argv);

/* Prints `error` (consumed) as the one error line; returns NW_CLI_EXIT_FAILED. */
int         nw_cli_fail            (GError *error);
/* The same for a message of our own. */
int         nw_cli_failf           (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* One usage line naming the subcommand's help (`sub` NULL: the tool's); returns
 * NW_CLI_EXIT_USAGE. */
int         nw_cli_usage           (const char *sub, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Parses a subcommand's options. `params` is the usage's parameter text, `summary` the
 * paragraph under it. --help prints the help and exits 0. Any other problem, including a
 * positional argument, is a usage error: returns FALSE with *status set. */
gboolean    nw_cli_parse_options   (const char *sub, const char *summary,
                                    const GOptionEntry *entries, int argc, char **argv,
                                    int *status);

/* Loads a spec; `data_dir` (may be NULL) replaces the IDX directory of an MNIST spec, and an
 * MNIST or Fashion-MNIST spec without one gets the default folder under env->data_root
 * (NEUROWIRE_DATA_DIR), so that every load and trainer below reads that folder. */
NwSpec     *nw_cli_load_spec       (const NwAppEnv *env, const char *path, const char *data_dir,
                                    GError **error);

/* The data a spec describes. With `fallback`, MNIST files that cannot be read are replaced by
 * a one-row stand-in of MNIST's shape (784 features, 10 classes) and *fell_back is set. */
NwDataset  *nw_cli_dataset_new     (const NwSpec *spec, gboolean fallback, gboolean *fell_back,
                                    GError **error);

/* --backend and --device, shared by the subcommands that train or evaluate. */
typedef struct {
  char *backend;   /* auto, cpu, cl; NULL: env->backend (NW_BACKEND), else auto */
  char *device;    /* an OpenCL device request (index or name part); NULL: env->cl.device */
} NwCliBackendOptions;

#define NW_CLI_BACKEND_ENTRIES(o) \
  { "backend", 0, 0, G_OPTION_ARG_STRING, &(o).backend, \
    "auto (default: a GPU, else the faster of OpenCL and CPU), cpu or cl", "KIND" }, \
  { "device", 0, 0, G_OPTION_ARG_STRING, &(o).device, \
    "OpenCL device: its index or part of its name (see 'neurowire-cli devices')", "DEVICE" }

void        nw_cli_backend_options_clear (NwCliBackendOptions *o);

/* A trainer for `spec`. With `data` (owned) or without `backend` options: over that data (NULL:
 * the spec's) on the CPU backend. Otherwise on the backend the options choose (falling back on
 * `env`'s), and `why` (may be NULL) receives the sentence that says which and why. Errors
 * about the graph are prefixed with the spec file's name. */
NwTrainer  *nw_cli_trainer_new     (const NwAppEnv *env, const NwSpec *spec, const char *spec_path,
                                    NwDataset *data,
                                    const NwCliBackendOptions *backend, char **why,
                                    GError **error);

/* The spec's loss kind (MSE if it has no loss node; validation reports that). */
NwLoss      nw_cli_spec_loss       (const NwSpec *spec);
/* Prefixes graph errors (NW_ERROR_SPEC, _SHAPE, _RANGE) with the spec file's base name. */
void        nw_cli_prefix_spec_error (GError **error, const char *spec_path);

/* Checks, before any long work, that `path` could be created: its folder exists and is a
 * folder. The error names the path. */
gboolean    nw_cli_check_writable  (const char *path, GError **error);

/* Monotonic time in seconds, at the clock's full resolution. */
double      nw_cli_now             (void);

G_END_DECLS
