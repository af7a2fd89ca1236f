/* cli-train.c: `neurowire-cli train`: trains a network from a spec, reports progress, and
 * saves the weights. */
#include "cli-common.h"
#include "nw-i18n.h"
#include "cli-json.h"
#include "nw-backend-cl.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#define NOT_GIVEN G_MININT64

typedef struct {
  NwCliCommon c;           /* --spec, --load, --data-dir, --json, --backend, --device; the
                              spec and the trainer */
  char     *save_path, *optimizer, *lr;
  gint64    steps, epochs, seed, batch_size, log_every;
  gboolean  test, quiet;
  char     *backend_why;   /* which backend runs and why, for the header and the done line */
} Options;

/* What train holds beyond the common options (nw_cli_common_finish frees those). */
static void
options_clear (Options *o)
{
  g_free (o->save_path);
  g_free (o->optimizer);
  g_free (o->lr);
  g_free (o->backend_why);
}

static double
default_momentum (NwOptimizerKind k)
{
  return k == NW_OPT_MOMENTUM || k == NW_OPT_NESTEROV ? 0.9 : 0.0;
}

static double
default_eps (NwOptimizerKind k)
{
  return k == NW_OPT_ADAGRAD ? 1e-10 : 1e-8;
}

static double
default_weight_decay (NwOptimizerKind k)
{
  return k == NW_OPT_ADAMW ? 0.01 : 0.0;
}

/* Another optimizer from the command line: the settings that were the old one's defaults
 * become the new one's (the spec file would have done the same). */
static void
switch_optimizer (NwTrainSpec *train, NwOptimizerKind kind)
{
  NwOptimizerKind old = train->optimizer;
  if (train->momentum == default_momentum (old))
    train->momentum = default_momentum (kind);
  if (train->eps == default_eps (old))
    train->eps = default_eps (kind);
  if (train->weight_decay == default_weight_decay (old))
    train->weight_decay = default_weight_decay (kind);
  train->optimizer = kind;
}

static char *
optimizer_list (void)
{
  GString *s = g_string_new (NULL);
  for (int k = 0; k < NW_N_OPTIMIZERS; k++)
    g_string_append_printf (s, "%s%s", k > 0 ? ", " : "", nw_optimizer_name ((NwOptimizerKind) k));
  return g_string_free (s, FALSE);
}

/* Applies the command line over spec->train; a bad value is a usage error. */
static gboolean
apply_overrides (const Options *o, NwSpec *spec, int *status)
{
  NwTrainSpec *train = &spec->train;

  if (o->steps != NOT_GIVEN && o->epochs != NOT_GIVEN)
    return (*status = nw_cli_usage ("train", _("give --steps or --epochs, not both"))), FALSE;
  if (o->steps != NOT_GIVEN)
    {
      if (o->steps < 1)
        return (*status = nw_cli_usage ("train", _("--steps must be at least 1 (got %lld)"),
                                        (long long) o->steps)), FALSE;
      train->steps = o->steps;
      train->epochs = 0;
    }
  if (o->epochs != NOT_GIVEN)
    {
      if (o->epochs < 1)
        return (*status = nw_cli_usage ("train", _("--epochs must be at least 1 (got %lld)"),
                                        (long long) o->epochs)), FALSE;
      train->steps = 0;
      train->epochs = o->epochs;
    }
  if (o->seed != NOT_GIVEN)
    {
      if (o->seed < 0)
        return (*status = nw_cli_usage ("train", _("--seed must be in 0..2^63-1 (got %lld)"),
                                        (long long) o->seed)), FALSE;
      train->seed = (guint64) o->seed;
    }
  if (o->batch_size != NOT_GIVEN)
    {
      if (o->batch_size < 0 || o->batch_size > G_MAXINT)
        return (*status = nw_cli_usage ("train", _("--batch-size must be in 0..%d (0: the full training "
                                                          "set; got %lld)"),
                                        G_MAXINT, (long long) o->batch_size)), FALSE;
      train->batch_size = (int) o->batch_size;
    }
  if (o->log_every != NOT_GIVEN)
    {
      if (o->log_every < 1 || o->log_every > G_MAXINT)
        return (*status = nw_cli_usage ("train", _("--log-every must be in 1..%d (got %lld)"),
                                        G_MAXINT, (long long) o->log_every)), FALSE;
      train->log_every = (int) o->log_every;
    }
  if (o->lr != NULL)
    {
      char *end = NULL;
      double lr = g_ascii_strtod (o->lr, &end);
      if (end == o->lr || *end != '\0')
        return (*status = nw_cli_usage ("train", _("--lr: '%s' is not a number"), o->lr)), FALSE;
      if (!isfinite (lr) || lr < 0)
        return (*status = nw_cli_usage ("train", _("--lr must be finite and >= 0 (got %s)"), o->lr)), FALSE;
      train->lr = lr;
    }
  if (o->optimizer != NULL)
    {
      int kind = nw_optimizer_from_name (o->optimizer);
      if (kind < 0)
        {
          g_autofree char *known = optimizer_list ();
          *status = nw_cli_usage ("train", _("--optimizer: unknown optimizer '%s' (known: %s)"),
                                  o->optimizer, known);
          return FALSE;
        }
      switch_optimizer (train, (NwOptimizerKind) kind);
    }
  return TRUE;
}

static void
format_rate (char *buf, gsize size, double rate)
{
  if (!isfinite (rate))
    g_snprintf (buf, size, "-");
  else if (rate >= 100)
    g_snprintf (buf, size, "%.0f", rate);
  else
    g_snprintf (buf, size, "%.3g", rate);
}

static int
digits (gint64 v)
{
  int d = 1;
  while (v >= 10)
    {
      v /= 10;
      d++;
    }
  return d;
}

typedef struct {
  const Options *o;
  int            step_width, epoch_width;
  gboolean       no_test;   /* --test, but the test split is empty: said, not printed as nan */
} Report;

/* The test figures of a report line, or that there are none. */
static void
print_test (const Report *r, const NwSnapshot *snap)
{
  if (!r->o->test)
    return;
  if (r->no_test)
    /* Translators: a column of a progress line of "neurowire-cli train --test" */
    fputs (_("  (no test split)"), stdout);
  else
    /* Translators: a column of a progress line of "neurowire-cli train --test": the loss and
     * the accuracy in percent on the test split; keep the widths (%9.6f, %6.2f) */
    printf (_("  test loss %9.6f  acc %6.2f%%"), snap->test_loss, 100 * snap->test_acc);
}

static void
print_progress (const Report *r, const NwSnapshot *snap, double rate)
{
  if (r->o->c.json)
    {
      NwJsonWriter *w = nw_cli_json_new ("progress");
      nw_json_int (w, "step", snap->step);
      nw_json_int (w, "epoch", snap->epoch);
      nw_json_double (w, "loss", snap->train_loss);
      nw_json_double (w, "acc", snap->train_acc);
      if (r->o->test)
        {
          nw_json_double (w, "test_loss", snap->test_loss);
          nw_json_double (w, "test_acc", snap->test_acc);
        }
      nw_json_double (w, "steps_per_s", rate);
      nw_cli_json_print (w);
    }
  else
    {
      char rbuf[64];
      format_rate (rbuf, sizeof rbuf, rate);
      /* Translators: the start of a progress line of "neurowire-cli train": step, epoch,
       * loss and accuracy in percent; keep the widths (%*lld, %9.6f, %6.2f) */
      printf (_("step %*lld  epoch %*lld  loss %9.6f  acc %6.2f%%"),
              r->step_width, (long long) snap->step, r->epoch_width, (long long) snap->epoch,
              snap->train_loss, 100 * snap->train_acc);
      print_test (r, snap);
      /* Translators: the end of a progress line of "neurowire-cli train": the speed */
      printf (_("  %8s steps/s\n"), rbuf);
      fflush (stdout);
    }
}

/* `loss` and `acc` are the means over the epoch's steps; `elapsed` is the wall time from the
 * start of training to this epoch's last step, the reports before it included (what a
 * program that also evaluates the test split at each epoch's end spends per epoch). */
static void
print_epoch (const Report *r, const NwSnapshot *snap, double loss, double acc, double elapsed)
{
  if (r->o->c.json)
    {
      NwJsonWriter *w = nw_cli_json_new ("epoch");
      nw_json_int (w, "epoch", snap->epoch);
      nw_json_int (w, "step", snap->step);
      nw_json_double (w, "loss", loss);
      nw_json_double (w, "acc", acc);
      nw_json_double (w, "elapsed", elapsed);
      if (r->o->test)
        {
          nw_json_double (w, "test_loss", snap->test_loss);
          nw_json_double (w, "test_acc", snap->test_acc);
        }
      nw_cli_json_print (w);
    }
  else
    {
      /* Translators: a line of "neurowire-cli train --epochs": an epoch ended at a step, with
       * the loss and accuracy (percent) over its steps; keep the widths */
      printf (_("epoch %*lld done at step %*lld: loss %9.6f  acc %6.2f%%"),
              r->epoch_width, (long long) snap->epoch, r->step_width, (long long) snap->step,
              loss, 100 * acc);
      print_test (r, snap);
      printf ("\n");
      fflush (stdout);
    }
}

static void
print_header (const Options *o, NwTrainer *t, gint64 total, gboolean by_epochs)
{
  const NwSpec *spec = nw_trainer_get_spec (t);
  const NwTrainSpec *tr = &spec->train;
  NwDataset *data = nw_trainer_get_data (t);
  NwBackend *backend = nw_net_get_backend (nw_trainer_get_net (t));
  int batch = tr->batch_size <= 0 || tr->batch_size > data->train.n ? data->train.n : tr->batch_size;

  g_autofree char *steps = NULL;
  g_autofree char *batch_text = NULL;

  /* Translators: the first line of "neurowire-cli train": the network's name, the data set's
   * name, the rows of its two splits */
  printf (_("train: %s on '%s' (%d training rows, %d test rows)\n"),
          spec->name != NULL ? spec->name : _("unnamed network"), data->name, data->train.n,
          data->test.n);
  if (by_epochs)
    /* Translators: "neurowire-cli train": the steps to run, as epochs of a number of steps */
    steps = g_strdup_printf (_("%lld steps (%lld epochs of %d)"), (long long) total,
                             (long long) tr->epochs, nw_trainer_steps_per_epoch (t));
  else
    steps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld step", "%lld steps",
                                          (gulong) MIN (total, G_MAXLONG)), (long long) total);
  if (batch == data->train.n)
    /* Translators: "neurowire-cli train": the batch is the whole training set */
    batch_text = g_strdup_printf (_("batch %d (full)"), batch);
  else
    batch_text = g_strdup_printf (_("batch %d"), batch);
  /* Translators: the second line of "neurowire-cli train": the steps, the batch, the
   * optimizer, the learning rate, the seed, the number of parameters, the device */
  printf (_("       %s, %s, %s lr %g, seed %llu, %zu parameters, %s\n"),
          steps, batch_text, nw_optimizer_name (tr->optimizer), tr->lr,
          (unsigned long long) tr->seed, nw_net_n_params (nw_trainer_get_net (t)),
          backend->description);
  /* Translators: the third line of "neurowire-cli train": why this device trains */
  printf (_("       backend: %s\n"), o->backend_why);
  fflush (stdout);
}

/* What the training loop cost on an OpenCL device (for benchmarks): kernel launches and
 * host-device synchronisations, per step. */
typedef struct {
  gboolean cl;
  double   launches_per_step, syncs_per_step;
} LoopCounts;

static void
print_done (const Options *o, NwTrainer *t, gint64 steps, double seconds, double train_loss,
            double train_acc, double test_loss, double test_acc, const LoopCounts *counts)
{
  NwBackend *backend = nw_net_get_backend (nw_trainer_get_net (t));
  double rate = seconds > 0 ? steps / seconds : NAN;
  if (o->c.json)
    {
      NwJsonWriter *w = nw_cli_json_new ("done");
      nw_json_int (w, "steps", steps);
      nw_json_int (w, "epochs", nw_trainer_get_epoch (t));
      nw_json_double (w, "seconds", seconds);
      nw_json_double (w, "steps_per_s", rate);
      if (counts->cl)
        {
          nw_json_double (w, "launches_per_step", counts->launches_per_step);
          nw_json_double (w, "syncs_per_step", counts->syncs_per_step);
        }
      nw_json_double (w, "train_loss", train_loss);
      nw_json_double (w, "train_acc", train_acc);
      nw_json_double (w, "test_loss", test_loss);
      nw_json_double (w, "test_acc", test_acc);
      nw_json_string (w, "backend", backend->description);
      nw_json_string (w, "backend_why", o->backend_why);
      nw_cli_json_print (w);
    }
  else
    {
      char rbuf[64];
      format_rate (rbuf, sizeof rbuf, rate);
      /* Translators: the last line of "neurowire-cli train": steps, seconds, speed, and the
       * loss and accuracy (percent) on the training split; the test split's may follow */
      printf (_("done: %lld steps in %.*f s (%s steps/s); train loss %.6f acc %.2f%%"),
              (long long) steps, seconds < 0.01 ? 6 : 3, seconds, rbuf, train_loss,
              100 * train_acc);
      if (isfinite (test_loss))
        /* Translators: follows "done: ... train loss ... acc ...%" */
        printf (_("; test loss %.6f acc %.2f%%"), test_loss, 100 * test_acc);
      else if (nw_trainer_get_data (t)->test.n == 0)
        /* Translators: follows "done: ... train loss ... acc ...%" */
        fputs (_("; no test split"), stdout);
      printf ("\n");
      fflush (stdout);
    }
}

/* The training loop and its reports; returns FALSE with `error` set. */
static gboolean
run_training (const Options *o, NwTrainer *t, gint64 total, gboolean by_epochs, gint64 *out_us,
              LoopCounts *counts, GError **error)
{
  NwBackend *backend = nw_net_get_backend (nw_trainer_get_net (t));
  NwClCounters before = { 0 }, after = { 0 };
  const NwSpec *spec = nw_trainer_get_spec (t);
  Report r = { o, digits (MAX (total, 1)),
               MAX (digits (total / MAX (nw_trainer_steps_per_epoch (t), 1)), 3),
               nw_trainer_get_data (t)->test.n == 0 };
  gint64 log_every = MAX (spec->train.log_every, 1);
  gint64 start, probe_us = 0;
  gint64 last_step = 0, last_train_us = 0, epoch = nw_trainer_get_epoch (t);
  /* The epoch's training metrics: each snapshot's means (over the steps since the one before)
   * weighted by those steps. */
  gint64 last_snap_step = 0, epoch_steps = 0;
  gint64 per_epoch = MAX (nw_trainer_steps_per_epoch (t), 1);
  double epoch_loss = 0, epoch_acc = 0;

  counts->cl = nw_backend_is_cl (backend);
  if (counts->cl)
    nw_backend_cl_get_counters (backend, &before);
  start = g_get_monotonic_time ();
  while (nw_trainer_get_step (t) < total)
    {
      gint64 step = nw_trainer_get_step (t), probe_start, train_us, chunk = total - step;
      gboolean log_point, epoch_end;
      g_autoptr (NwSnapshot) snap = NULL;

      /* Train up to the next report in one call (the backend may fuse the steps): the next
       * log point, and the end of the epoch when counting epochs. The run starts at step 0
       * with a fixed batch size, so epochs end at multiples of per_epoch. */
      if (!o->quiet)
        {
          chunk = MIN (chunk, (step / log_every + 1) * log_every - step);
          if (by_epochs)
            chunk = MIN (chunk, (step / per_epoch + 1) * per_epoch - step);
        }
      if (!nw_trainer_steps (t, (int) MIN (chunk, G_MAXINT), NULL, error))
        return FALSE;
      step = nw_trainer_get_step (t);
      epoch_end = by_epochs && nw_trainer_get_epoch (t) > epoch;
      epoch = nw_trainer_get_epoch (t);
      log_point = step % log_every == 0 || step == total;
      if (o->quiet || !(log_point || epoch_end))
        continue;

      probe_start = g_get_monotonic_time ();
      train_us = probe_start - start - probe_us;
      if ((snap = nw_trainer_snapshot (t, o->test, 0, error)) == NULL)
        return FALSE;
      if (isfinite (snap->train_loss))
        {
          epoch_loss += snap->train_loss * (step - last_snap_step);
          epoch_acc += snap->train_acc * (step - last_snap_step);
          epoch_steps += step - last_snap_step;
        }
      last_snap_step = step;
      if (log_point)
        {
          double dt = (train_us - last_train_us) * 1e-6;
          print_progress (&r, snap, dt > 0 ? (step - last_step) / dt : NAN);
          last_step = step;
          last_train_us = train_us;
        }
      if (epoch_end)
        {
          print_epoch (&r, snap, epoch_steps > 0 ? epoch_loss / epoch_steps : NAN,
                       epoch_steps > 0 ? epoch_acc / epoch_steps : NAN,
                       (probe_start - start) * 1e-6);
          epoch_loss = epoch_acc = 0;
          epoch_steps = 0;
        }
      probe_us += g_get_monotonic_time () - probe_start;
    }
  *out_us = g_get_monotonic_time () - start - probe_us;
  /* With progress reports, their probes are counted too. */
  if (counts->cl)
    {
      nw_backend_cl_get_counters (backend, &after);
      counts->launches_per_step = (double) (after.launches - before.launches) / MAX (total, 1);
      counts->syncs_per_step = (double) (after.syncs - before.syncs) / MAX (total, 1);
    }
  return TRUE;
}

/* Saves to `path`; if that fails after all (the folder went away, the disk filled), the
 * weights go to a temporary file instead, and the error says where, so that the run is not
 * lost. FALSE in both failure cases: the file asked for was not written. */
static gboolean
save_or_rescue (NwNet *net, const char *path, GError **error)
{
  g_autoptr (GError) rescue_error = NULL;
  g_autofree char *rescue = NULL;
  int fd;

  if (nw_net_save_weights (net, path, error))
    return TRUE;
  fd = g_file_open_tmp ("neurowire-weights-XXXXXX.safetensors", &rescue, &rescue_error);
  if (fd >= 0)
    {
      close (fd);
      if (!nw_net_save_weights (net, rescue, &rescue_error))
        g_unlink (rescue);
    }
  if (rescue_error != NULL)
    /* Translators: why no temporary file could be written, then (after the colon) why the
     * file asked for could not */
    g_prefix_error (error, _("the weights are lost (no temporary file either: %s): "),
                    rescue_error->message);
  else
    {
      /* Translators: why the file asked for could not be written; the temporary file */
      char *message = g_strdup_printf (_("%s; the weights were saved to %s instead"),
                                       (*error)->message, rescue);
      g_free ((*error)->message);
      (*error)->message = message;
    }
  return FALSE;
}

/* After a divergence the weights are ruined: --save writes the last good ones instead (the
 * trainer's copy from before the run went wrong), and the one error line says so, or says
 * that nothing was written. Consumes `error`; returns NW_CLI_EXIT_DIVERGED. */
static int
diverged (Options *o, NwTrainer *t, GError *error)
{
  g_autoptr (GError) save_error = NULL;
  g_autofree char *note = NULL;
  gint64 good = nw_trainer_get_last_good_step (t);

  if (o->save_path == NULL)
    ;
  else if (good < 0)
    note = g_strdup_printf (_("nothing was saved to %s: there are no good weights (the first "
                              "step already went wrong)"), o->save_path);
  else if (!nw_trainer_restore_last_good (t, &save_error)
           || !save_or_rescue (nw_trainer_get_net (t), o->save_path, &save_error))
    note = g_strdup_printf (_("the last good weights could not be saved: %s"), save_error->message);
  else
    note = g_strdup_printf (_("saved the last good weights, from step %lld, to %s, not the "
                              "diverged ones"), (long long) good, o->save_path);
  if (note != NULL)
    {
      /* Translators: how training diverged; what --save did about it */
      char *message = g_strdup_printf (_("%s; %s"), error->message, note);
      g_free (error->message);
      error->message = message;
    }
  nw_cli_fail (error);
  return NW_CLI_EXIT_DIVERGED;
}

int
nw_cli_train (const NwAppEnv *env, int argc, char **argv)
{
  Options o = { .c = NW_CLI_COMMON_INIT (env, "train"), .steps = NOT_GIVEN, .epochs = NOT_GIVEN,
                .seed = NOT_GIVEN, .batch_size = NOT_GIVEN, .log_every = NOT_GIVEN };
  const GOptionEntry entries[] = {
    NW_CLI_SPEC_ENTRY (o.c),
    { "steps", 0, 0, G_OPTION_ARG_INT64, &o.steps, N_("Train this many steps (overrides the spec)"), "N" },
    { "epochs", 0, 0, G_OPTION_ARG_INT64, &o.epochs, N_("Train this many epochs (overrides the spec)"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, N_("Seed of initialisation, shuffling and dropout"), "N" },
    { "batch-size", 0, 0, G_OPTION_ARG_INT64, &o.batch_size, N_("Rows per step (0: the full training set)"), "N" },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &o.lr, N_("Learning rate"), "X" },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &o.optimizer,
      N_("sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw"), N_("NAME") },
    { "log-every", 0, 0, G_OPTION_ARG_INT64, &o.log_every, N_("Steps between progress lines"), "N" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &o.save_path, N_("Save the trained weights (safetensors)"), N_("FILE") },
    NW_CLI_LOAD_ENTRY (o.c, N_("Start from these weights (safetensors)")),
    NW_CLI_DATA_DIR_ENTRY (o.c),
    { "test", 0, 0, G_OPTION_ARG_NONE, &o.test, N_("Also evaluate the test split at every report"), NULL },
    NW_CLI_JSON_ENTRY (o.c, N_("Print one JSON object per line")),
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, N_("Print only the final line"), NULL },
    NW_CLI_BACKEND_ENTRIES (o.c.backend),
    { NULL }
  };
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;
  NwSpec *spec;
  NwTrainer *t;
  gint64 total, train_us = 0;
  gboolean by_epochs;
  double train_loss = NAN, train_acc = NAN, test_loss = NAN, test_acc = NAN;
  LoopCounts counts = { 0 };

  if (!nw_cli_common_parse (&o.c,
                            _("Trains the network a spec describes on the spec's data, printing progress\n"
                              "every --log-every steps (and at each epoch's end when counting epochs), then\n"
                              "the loss and accuracy on both splits. Steps per second leave out the time\n"
                              "spent on progress reports and the final evaluation.\n\n"
                              "A run that diverges (a loss that is NaN, infinite, a thousandfold its start,\n"
                              "or for BCE near its clamp; weights that are NaN or infinite) stops with the\n"
                              "step and what happened, and exits 3. --save then writes the last good weights\n"
                              "(the error line says from which step), or nothing if there are none."),
                            entries, argc, argv, NULL, NULL, &status))
    goto out;
  if (!nw_cli_common_load_spec (&o.c, &error))
    goto out;
  spec = o.c.spec;
  if (!apply_overrides (&o, spec, &status))
    goto out;
  /* Found before any step: a target that cannot be written is a mistake on the command line
   * (exit 2), not hours of training thrown away at the end. */
  if (o.save_path != NULL && !nw_cli_check_writable (o.save_path, &error))
    {
      status = nw_cli_usage ("train", _("--save: %s"), error->message);
      g_clear_error (&error);
      goto out;
    }
  if (!nw_cli_common_trainer (&o.c, NULL, TRUE, &o.backend_why, &error)
      || !nw_cli_common_load_weights (&o.c, &error))
    goto out;
  t = o.c.trainer;

  by_epochs = spec->train.steps <= 0;
  if (!by_epochs)
    total = spec->train.steps;
  else
    {
      int spe = nw_trainer_steps_per_epoch (t);
      if (spec->train.epochs > G_MAXINT64 / MAX (spe, 1))
        {
          status = nw_cli_failf (_("%lld epochs of %d steps are too many steps"),
                                 (long long) spec->train.epochs, spe);
          goto out;
        }
      total = spec->train.epochs * spe;
    }

  if (!o.quiet && !o.c.json)
    print_header (&o, t, total, by_epochs);
  if (!run_training (&o, t, total, by_epochs, &train_us, &counts, &error))
    {
      if (g_error_matches (error, NW_ERROR, NW_ERROR_DIVERGED))
        status = diverged (&o, t, g_steal_pointer (&error));
      goto out;
    }
  if (!nw_trainer_evaluate (t, FALSE, &train_loss, &train_acc, &error))
    goto out;
  if (nw_trainer_get_data (t)->test.n > 0
      && !nw_trainer_evaluate (t, TRUE, &test_loss, &test_acc, &error))
    goto out;
  if (o.save_path != NULL && !save_or_rescue (nw_trainer_get_net (t), o.save_path, &error))
    goto out;
  print_done (&o, t, nw_trainer_get_step (t), train_us * 1e-6, train_loss, train_acc, test_loss,
              test_acc, &counts);
  goto out;

out:
  options_clear (&o);
  return nw_cli_common_finish (&o.c, error, status);
}
