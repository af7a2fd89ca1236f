/* neurowire-cli.c: the command-line tool's entry point: picks the subcommand and hands it the
 * rest of the command line. Each subcommand lives in its own cli-SUB.c. */
#include "nw-blas.h"
#include "cli-common.h"
#include "nw-i18n.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#ifndef NW_VERSION
#define NW_VERSION "unknown"
#endif

typedef struct {
  const char *name;
  const char *summary;
  int       (*run) (const NwAppEnv *env, int argc, char **argv);
} Command;

/* The summaries are translated where the help shows them. */
static const Command commands[] = {
  { "train",   N_("train a network from a spec, report progress, save its weights"), nw_cli_train },
  { "eval",    N_("loss and accuracy of saved weights on the training and test splits"), nw_cli_eval },
  { "predict", N_("the network's output probabilities for given inputs"), nw_cli_predict },
  { "step",    N_("one forward/backward pass on a batch file; writes outputs and gradients"), nw_cli_step },
  { "info",    N_("the network's nodes, output shapes and parameter counts"), nw_cli_info },
  { "latency", N_("time single-row inference"), nw_cli_latency },
  { "devices", N_("list the OpenCL devices and which one would train"), nw_cli_devices },
  { "lesson",  N_("the course's lessons: list, show, and check them headless"), nw_cli_lesson },
};

static void
print_help (FILE *out)
{
  /* Translators: the first part of "neurowire-cli --help"; keep the command and the words
   * in capitals as they are (they are typed) */
  fputs (_("Usage:\n"
           "  neurowire-cli SUBCOMMAND [OPTION...]\n"
           "\n"
           "Train, evaluate and inspect Neurowire networks without the desktop program.\n"
           "\n"
           "Subcommands:\n"), out);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-9s %s\n", commands[i].name, _(commands[i].summary));
  /* Translators: the end of "neurowire-cli --help"; keep the options, "SUBCOMMAND" and the
   * exit codes as they are */
  fputs (_("\n"
           "Options:\n"
           "  -h, --help     show this help\n"
           "  --version      show the version\n"
           "\n"
           "'neurowire-cli SUBCOMMAND --help' shows a subcommand's options.\n"
           "Errors print one line on stderr and exit 1; usage errors exit 2; a training\n"
           "run that diverged exits 3.\n"), out);
}

static const Command *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

/* Runs a subcommand with the environment read once, here: the subcommands and everything
 * below them take what they need from `env`. */
static int
run_command (const Command *cmd, int argc, char **argv)
{
  g_autofree char *name = g_strdup_printf ("neurowire-cli %s", cmd->name);
  g_autofree char **args = g_new0 (char *, argc + 1);
  NwAppEnv env;
  int status;
  args[0] = name;
  for (int i = 1; i < argc; i++)
    args[i] = argv[i];
  nw_app_env_read (&env);
  status = cmd->run (&env, argc, args);
  nw_app_env_clear (&env);
  return status;
}

int
main (int argc, char **argv)
{
  const Command *cmd;

  /* Before anything else: OpenBLAS chose its kernels when it was loaded, and for CPU models
   * it does not know it chose slow generic ones (see core/nw-blas.h). */
  nw_blas_reexec_if_needed (argv);

  /* The user's language (LANG, LANGUAGE) for our messages and GLib's, and the character set;
   * numbers stay "C" (a point for the decimal separator), whatever the locale. */
  nw_app_env_init_i18n ();
  setlocale (LC_NUMERIC, "C");
  g_set_prgname ("neurowire-cli");
  if (argc < 2)
    return nw_cli_usage (NULL, _("no subcommand given"));
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      /* "help SUB" is "SUB --help". */
      if (strcmp (argv[1], "help") == 0 && argc > 2)
        {
          char *help_args[] = { argv[0], (char *) "--help", NULL };
          if ((cmd = find_command (argv[2])) == NULL)
            return nw_cli_usage (NULL, _("unknown subcommand '%s'"), argv[2]);
          return run_command (cmd, 2, help_args);
        }
      print_help (stdout);
      return NW_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("neurowire-cli %s\n", NW_VERSION);
      return NW_CLI_EXIT_OK;
    }
  if (argv[1][0] == '-')
    return nw_cli_usage (NULL, _("expected a subcommand before '%s'"), argv[1]);
  if ((cmd = find_command (argv[1])) == NULL)
    return nw_cli_usage (NULL, _("unknown subcommand '%s'"), argv[1]);
  return run_command (cmd, argc - 1, argv + 1);
}
