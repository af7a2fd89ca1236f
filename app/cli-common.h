/* cli-common.h: what every subcommand of neurowire-cli shares: option parsing, the error and
 * usage conventions, loading a spec and building a trainer from it.
 *
 * Conventions: a failure prints exactly one line, "neurowire-cli: <message>", on stderr and
 * exits 1; a usage error prints one line ending in "see 'neurowire-cli SUB --help'" and
 * exits 2. Nothing else is printed on stderr. */
#pragma once

#include "nw-app-env.h"
#include "nw-trainer.h"
#include "nw-i18n.h"

G_BEGIN_DECLS

enum {
  NW_CLI_EXIT_OK = 0,
  NW_CLI_EXIT_FAILED = 1,
  NW_CLI_EXIT_USAGE = 2,
  /* train: the run diverged and stopped; --save wrote the last good weights, if any (the
   * error line says which step they are from, or that none were written) */
  NW_CLI_EXIT_DIVERGED = 3,
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
int         nw_cli_lesson          (const NwAppEnv *env, int argc, char **argv);

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
    N_("auto (default: a GPU, else the faster of OpenCL and CPU), cpu or cl"), N_("KIND") }, \
  { "device", 0, 0, G_OPTION_ARG_STRING, &(o).device, \
    N_("OpenCL device: its index or part of its name (see 'neurowire-cli devices')"), N_("DEVICE") }

void        nw_cli_backend_options_clear (NwCliBackendOptions *o);

/* A trainer for `spec`. With `data` (owned) or without `backend` options: over that data (NULL:
 * the spec's) on the CPU backend. Otherwise on the backend the options choose (falling back on
 * `env`'s), and `why` (may be NULL) receives the sentence that says which and why. Errors
 * about the graph are prefixed with the spec file's name. */
NwTrainer  *nw_cli_trainer_new     (const NwAppEnv *env, const NwSpec *spec, const char *spec_path,
                                    NwDataset *data,
                                    const NwCliBackendOptions *backend, char **why,
                                    GError **error);

/* What most subcommands share: the --spec, --load, --data-dir and --json options, --backend
 * and --device, and the spec, trainer or bare network they build from them, freed together by
 * nw_cli_common_clear. Start one with NW_CLI_COMMON_INIT and put the entries below in the
 * subcommand's own table where its help lists them. */
typedef struct {
  const NwAppEnv      *env;
  const char          *sub;         /* "eval", for usage lines */
  char                *spec_path;   /* --spec */
  char                *load_path;   /* --load */
  char                *data_dir;    /* --data-dir */
  gboolean             json;        /* --json */
  NwCliBackendOptions  backend;     /* --backend, --device */
  NwSpec              *spec;        /* nw_cli_common_load_spec */
  NwTrainer           *trainer;     /* nw_cli_common_trainer */
  NwBackend           *cpu;         /* under `net` (nw_cli_common_net) */
  NwNet               *net;
} NwCliCommon;

#define NW_CLI_COMMON_INIT(env_, sub_) { .env = (env_), .sub = (sub_) }

#define NW_CLI_SPEC_ENTRY(c) \
  { "spec", 0, 0, G_OPTION_ARG_FILENAME, &(c).spec_path, N_("The network spec (JSON; required)"), N_("FILE") }
#define NW_CLI_LOAD_ENTRY(c, help) \
  { "load", 0, 0, G_OPTION_ARG_FILENAME, &(c).load_path, help, N_("FILE") }
#define NW_CLI_DATA_DIR_ENTRY(c) \
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &(c).data_dir, \
    N_("Folder of the MNIST IDX files (MNIST specs)"), N_("DIR") }
#define NW_CLI_JSON_ENTRY(c, help) \
  { "json", 0, 0, G_OPTION_ARG_NONE, &(c).json, help, NULL }

/* nw_cli_parse_options for c->sub, then the check every subcommand with --spec makes: a
 * usage error `missing` (NULL: "--spec FILE is required") unless --spec and every other
 * required option were given (`others`: NULL, or a NULL-terminated list of the variables of
 * other required options, checked after parsing). FALSE with *status set on a usage error. */
gboolean    nw_cli_common_parse    (NwCliCommon *c, const char *summary,
                                    const GOptionEntry *entries, int argc, char **argv,
                                    char **const *others, const char *missing, int *status);
/* c->spec from --spec, with --data-dir and the environment's data folder (nw_cli_load_spec). */
gboolean    nw_cli_common_load_spec (NwCliCommon *c, GError **error);
/* c->trainer for c->spec (nw_cli_trainer_new): over `data` (taken) on the CPU, or with
 * `choose_backend` on what --backend and --device choose. */
gboolean    nw_cli_common_trainer  (NwCliCommon *c, NwDataset *data, gboolean choose_backend,
                                    char **why, GError **error);
/* c->net: c->spec built on a CPU backend of its own for inputs of width `d`, without data;
 * graph errors name the spec file. */
gboolean    nw_cli_common_net      (NwCliCommon *c, int d, int target_width, int n_classes,
                                    GError **error);
/* The --load weights, if given, into the trainer's network (else c->net). */
gboolean    nw_cli_common_load_weights (NwCliCommon *c, GError **error);
void        nw_cli_common_clear    (NwCliCommon *c);
/* Where every subcommand ends: clears `c` and returns the exit status, which is the failure
 * line's (nw_cli_fail) when `error` (consumed) is set, else `status`. */
int         nw_cli_common_finish   (NwCliCommon *c, GError *error, int status);

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
