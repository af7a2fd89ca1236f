/* cli-common.c: option parsing, error lines, spec and trainer set-up shared by the
 * subcommands of neurowire-cli. */
#include "cli-common.h"
#include "nw-backend-choice.h"
#include "nw-i18n.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* One line, whatever the message holds. */
static void
print_error_line (const char *message)
{
  g_autofree char *line = g_strdup (message);
  for (char *p = line; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  fflush (stdout);
  fprintf (stderr, "neurowire-cli: %s\n", line);
  fflush (stderr);
}

int
nw_cli_fail (GError *error)
{
  print_error_line (error != NULL ? error->message : _("unknown error"));
  g_clear_error (&error);
  return NW_CLI_EXIT_FAILED;
}

int
nw_cli_failf (const char *format, ...)
{
  va_list ap;
  g_autofree char *message = NULL;
  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  print_error_line (message);
  return NW_CLI_EXIT_FAILED;
}

int
nw_cli_usage (const char *sub, const char *format, ...)
{
  va_list ap;
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  g_autofree char *command = NULL;
  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  command = sub != NULL ? g_strdup_printf ("neurowire-cli %s", sub) : g_strdup ("neurowire-cli");
  /* Translators: what went wrong, then the command whose --help to read ("neurowire-cli
   * train"); keep "--help" as it is */
  line = g_strdup_printf (_("%s; see '%s --help'"), message, command);
  print_error_line (line);
  return NW_CLI_EXIT_USAGE;
}

gboolean
nw_cli_parse_options (const char *sub, const char *summary, const GOptionEntry *entries,
                      int argc, char **argv, int *status)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("neurowire-cli %s", sub);
  g_autofree char **args = g_new0 (char *, argc + 1);
  int n_args = argc;
  char **parsed;

  /* GOption names the program in its usage line after the program's name. */
  g_set_prgname (prgname);
  /* The entries' descriptions are N_()-marked; GOption translates them, and its own texts,
   * in this domain. The summary comes translated. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  /* A copy of the pointers: parsing moves them around. */
  memcpy (args, argv, sizeof (char *) * argc);
  parsed = args;
  if (!g_option_context_parse (context, &n_args, &parsed, &error))
    {
      *status = nw_cli_usage (sub, "%s", error->message);
      return FALSE;
    }
  if (n_args > 1)
    {
      *status = nw_cli_usage (sub, _("unexpected argument '%s'"), parsed[1]);
      return FALSE;
    }
  return TRUE;
}

NwSpec *
nw_cli_load_spec (const NwAppEnv *env, const char *path, const char *data_dir, GError **error)
{
  NwSpec *spec = nw_spec_load (path, error);
  if (spec == NULL)
    return NULL;
  if (data_dir != NULL && spec->data.kind == NW_DATA_MNIST)
    {
      g_free (spec->data.path);
      spec->data.path = g_strdup (data_dir);
    }
  nw_data_spec_resolve (&spec->data, env->data_root);
  return spec;
}

NwLoss
nw_cli_spec_loss (const NwSpec *spec)
{
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *n = g_ptr_array_index (spec->nodes, i);
      if (n->kind == NW_NODE_LOSS)
        return n->loss;
    }
  return NW_LOSS_MSE;
}

/* A one-row dataset with MNIST's shape: enough to build and size a network. */
static NwDataset *
mnist_stand_in (void)
{
  NwDataset *ds = g_new0 (NwDataset, 1);
  ds->name = g_strdup ("mnist");
  ds->n_classes = 10;
  ds->train.n = 1;
  ds->train.d = 28 * 28;
  ds->train.k = 10;
  ds->train.x = g_new0 (float, ds->train.d);
  ds->train.y = g_new0 (float, ds->train.k);
  ds->train.y[0] = 1;
  ds->train.labels = g_new0 (guint8, 1);
  /* An empty test split, with buffers so that nothing copies from NULL. */
  ds->test.d = ds->train.d;
  ds->test.k = ds->train.k;
  ds->test.x = g_new0 (float, 1);
  ds->test.y = g_new0 (float, 1);
  ds->test.labels = g_new0 (guint8, 1);
  return ds;
}

NwDataset *
nw_cli_dataset_new (const NwSpec *spec, gboolean fallback, gboolean *fell_back, GError **error)
{
  g_autoptr (GError) local = NULL;
  NwDataset *ds;

  if (fell_back != NULL)
    *fell_back = FALSE;
  /* The folder was filled in by nw_cli_load_spec. */
  ds = nw_dataset_new (&spec->data, NULL, &local);
  if (ds != NULL)
    return ds;
  if (fallback && spec->data.kind == NW_DATA_MNIST
      && local->domain == NW_ERROR && local->code == NW_ERROR_IO)
    {
      if (fell_back != NULL)
        *fell_back = TRUE;
      return mnist_stand_in ();
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

void
nw_cli_prefix_spec_error (GError **error, const char *spec_path)
{
  g_autofree char *base = NULL;
  if (error == NULL || *error == NULL || (*error)->domain != NW_ERROR)
    return;
  if ((*error)->code != NW_ERROR_SPEC && (*error)->code != NW_ERROR_SHAPE
      && (*error)->code != NW_ERROR_RANGE)
    return;
  base = g_path_get_basename (spec_path);
  if (!g_str_has_prefix ((*error)->message, base))
    g_prefix_error (error, "%s: ", base);
}

void
nw_cli_backend_options_clear (NwCliBackendOptions *o)
{
  g_clear_pointer (&o->backend, g_free);
  g_clear_pointer (&o->device, g_free);
}

NwTrainer *
nw_cli_trainer_new (const NwAppEnv *env, const NwSpec *spec, const char *spec_path, NwDataset *data,
                    const NwCliBackendOptions *backend, char **why, GError **error)
{
  NwTrainer *t;
  if (data != NULL || backend == NULL)
    {
      t = nw_trainer_new (spec, data, NULL, error);
      if (t != NULL && why != NULL)
        *why = g_strdup (_("the CPU backend"));
    }
  else
    {
      const char *name = backend->backend != NULL ? backend->backend : env->backend;
      int kind = nw_backend_kind_from_name (name != NULL && *name != '\0' ? name : NULL);
      if (kind < 0)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                       _("unknown backend '%s': auto, cpu or cl"), name);
          return NULL;
        }
      t = nw_trainer_new_on_backend (spec, kind, backend->device, &env->cl, why, error);
    }
  if (t == NULL)
    nw_cli_prefix_spec_error (error, spec_path);
  return t;
}

gboolean
nw_cli_check_writable (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot write: it is a folder"), path);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot write: no folder '%s'"), path, dir);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot write: '%s' is not a folder"),
                   path, dir);
      return FALSE;
    }
  /* Permissions, a read-only file system, quotas: only trying tells. A temporary file next
   * to the target, removed at once, finds out before any work is done. */
  {
    g_autofree char *probe = g_build_filename (dir, ".neurowire-write-test-XXXXXX", NULL);
    int fd = g_mkstemp (probe);
    if (fd < 0)
      {
        int saved = errno;
        g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot write in the folder '%s': %s"),
                     path, dir, g_strerror (saved));
        return FALSE;
      }
    close (fd);
    g_unlink (probe);
  }
  return TRUE;
}

double
nw_cli_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

gboolean
nw_cli_common_parse (NwCliCommon *c, const char *summary, const GOptionEntry *entries, int argc,
                     char **argv, char **const *others, const char *missing, int *status)
{
  gboolean given;
  if (!nw_cli_parse_options (c->sub, summary, entries, argc, argv, status))
    return FALSE;
  given = c->spec_path != NULL;
  for (int i = 0; others != NULL && others[i] != NULL; i++)
    given = given && *others[i] != NULL;
  if (!given)
    {
      *status = nw_cli_usage (c->sub, "%s", missing != NULL ? missing : _("--spec FILE is required"));
      return FALSE;
    }
  /* A misspelt --backend is a usage error like any bad option (exit 2, as --help says), found
   * before the spec is read. NW_BACKEND from the environment is not an option the user typed
   * here, so a bad one stays a failure of the run (nw_cli_trainer_new). */
  if (c->backend.backend != NULL && c->backend.backend[0] != '\0'
      && nw_backend_kind_from_name (c->backend.backend) < 0)
    {
      *status = nw_cli_usage (c->sub, _("--backend: unknown backend '%s'; choose auto, cpu or cl"),
                              c->backend.backend);
      return FALSE;
    }
  return TRUE;
}

gboolean
nw_cli_common_load_spec (NwCliCommon *c, GError **error)
{
  g_clear_pointer (&c->spec, nw_spec_free);
  c->spec = nw_cli_load_spec (c->env, c->spec_path, c->data_dir, error);
  return c->spec != NULL;
}

gboolean
nw_cli_common_trainer (NwCliCommon *c, NwDataset *data, gboolean choose_backend, char **why,
                       GError **error)
{
  g_clear_pointer (&c->trainer, nw_trainer_free);
  c->trainer = nw_cli_trainer_new (c->env, c->spec, c->spec_path, data,
                                   choose_backend ? &c->backend : NULL, why, error);
  return c->trainer != NULL;
}

gboolean
nw_cli_common_net (NwCliCommon *c, int d, int target_width, int n_classes, GError **error)
{
  if (c->cpu == NULL)
    c->cpu = nw_backend_cpu_new ();
  g_clear_pointer (&c->net, nw_net_free);
  c->net = nw_net_new (c->spec, d, target_width, n_classes, c->cpu, error);
  if (c->net == NULL)
    nw_cli_prefix_spec_error (error, c->spec_path);
  return c->net != NULL;
}

gboolean
nw_cli_common_load_weights (NwCliCommon *c, GError **error)
{
  NwNet *net = c->trainer != NULL ? nw_trainer_get_net (c->trainer) : c->net;
  if (c->load_path == NULL)
    return TRUE;
  g_return_val_if_fail (net != NULL, FALSE);
  return nw_net_load_weights (net, c->load_path, error);
}

void
nw_cli_common_clear (NwCliCommon *c)
{
  /* A trainer owns its backend; a bare network only borrows c->cpu. */
  g_clear_pointer (&c->trainer, nw_trainer_free);
  g_clear_pointer (&c->net, nw_net_free);
  g_clear_pointer (&c->cpu, nw_backend_free);
  g_clear_pointer (&c->spec, nw_spec_free);
  g_clear_pointer (&c->spec_path, g_free);
  g_clear_pointer (&c->load_path, g_free);
  g_clear_pointer (&c->data_dir, g_free);
  nw_cli_backend_options_clear (&c->backend);
}

int
nw_cli_common_finish (NwCliCommon *c, GError *error, int status)
{
  if (error != NULL)
    status = nw_cli_fail (error);
  nw_cli_common_clear (c);
  return status;
}
