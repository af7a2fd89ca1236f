/* nw-lesson-check.c: a lesson's steps run headless, its checks measured (nw-lesson-check.h).
 *
 * One trainer at a time, built when an action or a check first needs it (so that a `load`
 * before any training costs nothing), rebuilt from the seed after a change that needs a new
 * run. Each step's checks are measured during its `train` actions (those with an `at_step`:
 * training stops there) or after its actions, and judged at the end of the step, in the
 * lesson's order, so that a below_check can name a check measured later in time but earlier
 * in the file. */
#include "nw-lesson-check.h"
#include "nw-i18n.h"
#include "nw-data.h"
#include "nw-trainer.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#define DEFAULT_CHUNK 1000

typedef struct {
  const NwLesson             *lesson;
  const NwLessonCheckOptions *opts;
  NwSpec       *spec;          /* the network as the lesson has it now */
  NwTrainer    *trainer;       /* NULL until needed */
  gboolean      on_opencl;
  GHashTable   *datasets;      /* data key -> NwDataset* (loaded once, copied per trainer) */
  char         *tmpdir;        /* the save slots' folder, NULL until a save */
  GHashTable   *figures;       /* check name -> double* */
  /* the step being run */
  guint         step_index;
  gboolean      diverged;
  char         *diverged_message;
  char         *skip_reason;
  char         *no_data;       /* the network's data files cannot be read (MNIST not fetched):
                                * checks are skipped until a new network */
  double        steps_per_s;
  GPtrArray    *step_results;  /* of NwLessonCheckResult*, this step's, in file order */
  GError      **error;
} Run;

void
nw_lesson_check_result_free (NwLessonCheckResult *result)
{
  if (result == NULL)
    return;
  g_free (result->reason);
  g_free (result);
}

const char *
nw_lesson_result_status_name (NwLessonResultStatus status)
{
  switch (status)
    {
    case NW_LESSON_RESULT_PASS:     return "pass";
    case NW_LESSON_RESULT_FAIL:     return "FAIL";
    case NW_LESSON_RESULT_SKIPPED:  return "skipped";
    case NW_LESSON_RESULT_REPORTED: return "report";
    default:                        return NULL;
    }
}

/* "step 3 ('plateau')" */
static char *
step_label (const Run *run)
{
  const NwLessonStep *step = g_ptr_array_index (run->lesson->steps, run->step_index);
  if (step->id != NULL)
    return g_strdup_printf (_("step %u ('%s')"), run->step_index + 1, step->id);
  return g_strdup_printf (_("step %u"), run->step_index + 1);
}

/* An error of the run, with the lesson's file and the step. */
static gboolean G_GNUC_PRINTF (2, 3)
run_fail (Run *run, const char *format, ...)
{
  va_list ap;
  g_autofree char *message = NULL;
  g_autofree char *where = step_label (run);

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (run->error, NW_LESSON_ERROR, NW_LESSON_ERROR_RUN, _("%s: %s: %s"),
               run->lesson->origin != NULL ? run->lesson->origin : run->lesson->id, where, message);
  return FALSE;
}

static gboolean
run_fail_error (Run *run, GError *local)
{
  run_fail (run, "%s", local->message);
  g_error_free (local);
  return FALSE;
}

static char *
data_key (const NwDataSpec *d)
{
  return g_strdup_printf ("%d|%d|%.17g|%.17g|%" G_GUINT64_FORMAT "|%s|%d", d->kind, d->n, d->noise,
                          d->test_ratio, d->seed, d->path != NULL ? d->path : "", d->train_limit);
}

static NwBackend *
make_backend (Run *run, gboolean opencl, GError **error)
{
  if (!opencl)
    return nw_backend_cpu_new ();
  g_assert (run->opts->opencl != NULL);
  return run->opts->opencl (run->opts->opencl_data, NULL, error);
}

static NwTrainer *
new_trainer (Run *run, gboolean opencl, GError **error)
{
  g_autofree char *key = data_key (&run->spec->data);
  NwDataset *data = g_hash_table_lookup (run->datasets, key);
  NwBackend *backend;

  if (data == NULL)
    {
      data = nw_dataset_new (&run->spec->data, run->opts->data_root, error);
      if (data == NULL)
        return NULL;
      g_hash_table_insert (run->datasets, g_steal_pointer (&key), data);
    }
  if ((backend = make_backend (run, opencl, error)) == NULL)
    return NULL;
  return nw_trainer_new (run->spec, nw_dataset_copy (data), backend, error);
}

static gboolean
is_file_data (NwDataKind kind)
{
  return kind == NW_DATA_MNIST || kind == NW_DATA_FASHION_MNIST;
}

/* The trainer, built from the seed when there is none. When the data's files are not there
 * (MNIST not fetched) that is no error of the lesson: the trainer stays NULL, run->no_data
 * says why, and the checks until the next network are skipped with that reason. */
static gboolean
ensure_trainer (Run *run)
{
  GError *local = NULL;
  if (run->trainer != NULL || run->no_data != NULL)
    return TRUE;
  run->trainer = new_trainer (run, run->on_opencl, &local);
  if (run->trainer != NULL)
    return TRUE;
  if (is_file_data (run->spec->data.kind) && g_error_matches (local, NW_ERROR, NW_ERROR_IO))
    {
      run->no_data = g_strdup_printf (_("the data files cannot be read: %s"), local->message);
      g_error_free (local);
      g_free (run->skip_reason);
      run->skip_reason = g_strdup (run->no_data);
      return TRUE;
    }
  return run_fail_error (run, local);
}

static void
drop_trainer (Run *run)
{
  g_clear_pointer (&run->trainer, nw_trainer_free);
  /* A new network may have its data: the step's checks are measured again. */
  if (run->no_data != NULL && g_strcmp0 (run->skip_reason, run->no_data) == 0)
    g_clear_pointer (&run->skip_reason, g_free);
  g_clear_pointer (&run->no_data, g_free);
}

/* Measuring ------------------------------------------------------------------------------ */

static NwLessonCheckResult *
result_for (Run *run, const NwLessonCheck *check)
{
  const NwLessonStep *step = g_ptr_array_index (run->lesson->steps, run->step_index);
  for (guint i = 0; i < step->checks->len; i++)
    if (g_ptr_array_index (step->checks, i) == check)
      return g_ptr_array_index (run->step_results, i);
  g_assert_not_reached ();
  return NULL;
}

static const NwLayerProbe *
find_probe (const NwSnapshot *snap, const char *id)
{
  for (int i = 0; i < snap->n_layers; i++)
    if (g_strcmp0 (snap->layers[i].id, id) == 0)
      return &snap->layers[i];
  return NULL;
}

/* The check's figure now, into its result (or a reason it was not measured). FALSE on an
 * error of the run. */
static gboolean
measure (Run *run, const NwLessonCheck *check)
{
  NwLessonCheckResult *res = result_for (run, check);
  GError *local = NULL;
  double loss = NAN, acc = NAN;

  res->figure = NAN;
  if (check->metric == NW_LESSON_METRIC_DIVERGED)
    {
      res->figure = run->diverged ? 1.0 : 0.0;
      return TRUE;
    }
  if (check->metric == NW_LESSON_METRIC_STEPS_PER_S)
    {
      res->figure = run->steps_per_s;
      if (isnan (run->steps_per_s))
        res->reason = g_strdup (_("this step trained no steps"));
      return TRUE;
    }
  if (!ensure_trainer (run))
    return FALSE;
  if (run->trainer == NULL)
    return TRUE;   /* no data: skipped */
  switch (check->metric)
    {
    case NW_LESSON_METRIC_LOSS:
    case NW_LESSON_METRIC_ACCURACY:
    case NW_LESSON_METRIC_TEST_LOSS:
    case NW_LESSON_METRIC_TEST_ACCURACY:
      {
        gboolean test = check->metric == NW_LESSON_METRIC_TEST_LOSS
                        || check->metric == NW_LESSON_METRIC_TEST_ACCURACY;
        if (test && nw_trainer_get_data (run->trainer)->test.n == 0)
          {
            res->reason = g_strdup (_("the data has no test split"));
            return TRUE;
          }
        if (!nw_trainer_evaluate (run->trainer, test, &loss, &acc, &local))
          return run_fail_error (run, local);
        res->figure = check->metric == NW_LESSON_METRIC_LOSS || check->metric == NW_LESSON_METRIC_TEST_LOSS
                      ? loss : acc;
      }
      break;

    case NW_LESSON_METRIC_GRAD_RATIO:
    case NW_LESSON_METRIC_GRAD_NORM:
    case NW_LESSON_METRIC_DEAD_UNITS:
      {
        g_autoptr (NwSnapshot) snap = NULL;
        const NwLayerProbe *probe;
        if (nw_trainer_get_step (run->trainer) == 0)
          {
            res->reason = g_strdup (_("no training step has run yet: there is no gradient to measure"));
            return TRUE;
          }
        if ((snap = nw_trainer_snapshot (run->trainer, 0, 0, &local)) == NULL)
          return run_fail_error (run, local);
        if (check->metric == NW_LESSON_METRIC_GRAD_RATIO)
          {
            res->figure = snap->first_last_ratio;
            break;
          }
        if ((probe = find_probe (snap, check->node)) == NULL)
          return run_fail (run, _("the network has no node '%s'"), check->node);
        res->figure = check->metric == NW_LESSON_METRIC_GRAD_NORM ? probe->grad_norm : probe->dead_units;
      }
      break;

    case NW_LESSON_METRIC_OUTPUT:
      {
        NwDataset *data = nw_trainer_get_data (run->trainer);
        NwNet *net = nw_trainer_get_net (run->trainer);
        int width = nw_net_output_width (net);
        g_autofree float *out = g_new (float, width);
        if (check->example >= data->train.n)
          return run_fail (run, _("'example' is %d, but the training split has %d examples"),
                           check->example, data->train.n);
        if (!nw_trainer_predict (run->trainer, data->train.x + (gsize) check->example * (gsize) data->train.d,
                                 1, out, &local))
          return run_fail_error (run, local);
        res->figure = width == 1 ? out[0] : out[1];
      }
      break;

    case NW_LESSON_METRIC_STEP:
      res->figure = (double) nw_trainer_get_step (run->trainer);
      break;
    case NW_LESSON_METRIC_EPOCH:
      res->figure = (double) nw_trainer_get_epoch (run->trainer);
      break;
    case NW_LESSON_METRIC_DIVERGED:
    case NW_LESSON_METRIC_STEPS_PER_S:
    case NW_LESSON_N_METRICS:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* Every check of this step whose at_step is the run's step now; an at_step already passed is
 * an error. */
static gboolean
measure_due (Run *run, gboolean *measured)
{
  const NwLessonStep *step = g_ptr_array_index (run->lesson->steps, run->step_index);
  gint64 now = run->trainer != NULL ? nw_trainer_get_step (run->trainer) : 0;

  for (guint i = 0; i < step->checks->len; i++)
    {
      const NwLessonCheck *check = g_ptr_array_index (step->checks, i);
      if (check->at_step < 0 || measured[i])
        continue;
      if (check->at_step < now)
        return run_fail (run, _("check %u: 'at_step' is %" PRId64 ", but the run is already at step %" PRId64 " when it gets there"),
                         i + 1, check->at_step, now);
      if (check->at_step == now)
        {
          if (!measure (run, check))
            return FALSE;
          measured[i] = TRUE;
        }
    }
  return TRUE;
}

/* The nearest at_step of this step still ahead of the run, or G_MAXINT64. */
static gint64
next_stop (Run *run, const gboolean *measured)
{
  const NwLessonStep *step = g_ptr_array_index (run->lesson->steps, run->step_index);
  gint64 best = G_MAXINT64;
  for (guint i = 0; i < step->checks->len; i++)
    {
      const NwLessonCheck *check = g_ptr_array_index (step->checks, i);
      if (check->at_step >= 0 && !measured[i])
        best = MIN (best, check->at_step);
    }
  return best;
}

/* Actions -------------------------------------------------------------------------------- */

static gboolean
train (Run *run, const NwLessonAction *a, gboolean *measured)
{
  NwTrainer *t;
  int chunk = run->opts->chunk > 0 ? run->opts->chunk : DEFAULT_CHUNK;
  gint64 start_step;
  double t0;

  if (run->diverged)
    return TRUE;   /* the step's run has stopped */
  if (!ensure_trainer (run))
    return FALSE;
  if (run->trainer == NULL)
    return TRUE;   /* no data: skipped */
  t = run->trainer;
  start_step = nw_trainer_get_step (t);
  t0 = g_get_monotonic_time () / 1e6;
  for (;;)
    {
      gint64 now = nw_trainer_get_step (t);
      gint64 stop, want;
      int done = 0;
      gboolean below = FALSE;
      GError *local = NULL;

      /* The checks due here first: the next stop is the nearest one still ahead. */
      if (!measure_due (run, measured))
        return FALSE;
      stop = next_stop (run, measured);
      switch (a->until)
        {
        case NW_LESSON_UNTIL_STEP:
        case NW_LESSON_UNTIL_LOSS_BELOW:   /* n is max_steps */
          want = a->n - now;
          break;
        case NW_LESSON_UNTIL_EPOCHS:
        default:
          want = nw_trainer_get_epoch (t) >= a->n ? 0 : nw_trainer_steps_left_in_epoch (t);
          break;
        }
      if (want <= 0)
        break;
      want = MIN (want, chunk);
      if (stop > now)
        want = MIN (want, stop - now);
      /* loss_below: the window's pause condition, step by step (nw_trainer_steps_until): the
       * run stops right after the first step whose training loss is below the value. */
      if (!nw_trainer_steps_until (t, (int) want, a->until == NW_LESSON_UNTIL_LOSS_BELOW ? a->loss : NAN,
                                   &done, &below, &local))
        {
          if (g_error_matches (local, NW_ERROR, NW_ERROR_DIVERGED))
            {
              run->diverged = TRUE;
              g_free (run->diverged_message);
              run->diverged_message = g_strdup (local->message);
              g_error_free (local);
              break;
            }
          return run_fail_error (run, local);
        }
      if (below)
        break;
    }
  {
    double elapsed = g_get_monotonic_time () / 1e6 - t0;
    gint64 steps = nw_trainer_get_step (t) - start_step;
    run->steps_per_s = steps > 0 && elapsed > 0 ? steps / elapsed : NAN;
  }
  return TRUE;
}

/* Moves the run onto the CPU or OpenCL (between two steps, as the window's device moves). */
static gboolean
move_device (Run *run, gboolean opencl)
{
  g_autoptr (NwTrainer) fresh = NULL;
  GError *local = NULL;

  if (opencl && run->opts->opencl == NULL)
    {
      g_free (run->skip_reason);
      run->skip_reason = g_strdup (_("no OpenCL device: this step trains on OpenCL"));
      return TRUE;
    }
  if (run->on_opencl == opencl)
    return TRUE;
  if (run->trainer == NULL)
    {
      /* Try the backend now, so that a missing device skips this step's checks. */
      NwBackend *probe = make_backend (run, opencl, &local);
      if (probe == NULL)
        {
          g_free (run->skip_reason);
          run->skip_reason = g_strdup_printf (_("no OpenCL device: %s"), local->message);
          g_error_free (local);
          return TRUE;
        }
      nw_backend_free (probe);
      run->on_opencl = opencl;
      return TRUE;
    }
  if ((fresh = new_trainer (run, opencl, &local)) == NULL)
    {
      if (opencl)
        {
          g_free (run->skip_reason);
          run->skip_reason = g_strdup_printf (_("no OpenCL device: %s"), local->message);
          g_error_free (local);
          return TRUE;
        }
      return run_fail_error (run, local);
    }
  if (!nw_trainer_take_over (run->trainer, fresh, &local))
    return run_fail_error (run, local);
  run->on_opencl = opencl;
  return TRUE;
}

static char *
slot_path (Run *run, const char *slot, GError **error)
{
  g_autofree char *file = NULL;
  if (run->tmpdir == NULL && (run->tmpdir = g_dir_make_tmp ("neurowire-lesson-XXXXXX", error)) == NULL)
    return NULL;
  file = g_strconcat (slot, ".safetensors", NULL);
  return g_build_filename (run->tmpdir, file, NULL);
}

static gboolean
run_action (Run *run, const NwLessonAction *a, gboolean *measured)
{
  GError *local = NULL;

  switch (a->kind)
    {
    case NW_LESSON_ACTION_LOAD:
    case NW_LESSON_ACTION_SET:
    case NW_LESSON_ACTION_ENABLE:
      {
        gboolean new_run = FALSE;
        if (!nw_lesson_apply_to_spec (run->lesson, a, run->spec, &new_run, &local))
          return run_fail_error (run, local);
        if (new_run)
          {
            drop_trainer (run);
            run->diverged = FALSE;
          }
        else if (run->trainer != NULL && a->kind == NW_LESSON_ACTION_SET)
          nw_trainer_set_hyper (run->trainer, &run->spec->train);
        else if (run->trainer != NULL && a->kind == NW_LESSON_ACTION_ENABLE
                 && !nw_net_set_enabled (nw_trainer_get_net (run->trainer), a->node, a->on, &local))
          return run_fail_error (run, local);
      }
      return TRUE;

    case NW_LESSON_ACTION_RESET:
      if (run->trainer != NULL)
        nw_trainer_reset (run->trainer, run->spec->train.seed);
      run->diverged = FALSE;
      return TRUE;

    case NW_LESSON_ACTION_WEIGHTS:
      if (!ensure_trainer (run))
        return FALSE;
      if (run->trainer == NULL)
        return TRUE;   /* no data: skipped */
      for (guint i = 0; i < a->params->len; i++)
        {
          const NwLessonParam *p = g_ptr_array_index (a->params, i);
          gsize n = (gsize) p->rows * (gsize) p->cols;
          g_autofree float *values = g_new (float, MAX (n, 1));
          for (gsize k = 0; k < n; k++)
            values[k] = (float) p->values[k];
          if (!nw_trainer_set_node_param (run->trainer, p->node, p->bias ? "bias" : "weight", values,
                                          p->rows, p->cols, &local))
            return run_fail_error (run, local);
        }
      return TRUE;

    case NW_LESSON_ACTION_TRAIN:
      return train (run, a, measured);

    case NW_LESSON_ACTION_DEVICE:
      return move_device (run, a->device == NW_LESSON_DEVICE_OPENCL);

    case NW_LESSON_ACTION_SAVE:
    case NW_LESSON_ACTION_RESTORE:
      {
        g_autofree char *path = NULL;
        gboolean ok;
        if (!ensure_trainer (run))
          return FALSE;
        if (run->trainer == NULL)
          return TRUE;   /* no data: skipped */
        if ((path = slot_path (run, a->slot, &local)) == NULL)
          return run_fail_error (run, local);
        if (a->kind == NW_LESSON_ACTION_SAVE)
          ok = nw_net_save_weights (nw_trainer_get_net (run->trainer), path, &local);
        else
          {
            /* A new run from the saved weights, as the window's weight loading makes one:
             * step 0 and a fresh optimizer state (the file holds neither). */
            nw_trainer_reset (run->trainer, nw_trainer_get_spec (run->trainer)->train.seed);
            ok = nw_net_load_weights (nw_trainer_get_net (run->trainer), path, &local);
          }
        return ok || run_fail_error (run, local);
      }

    case NW_LESSON_ACTION_PACE:
    case NW_LESSON_ACTION_SHOW:
    case NW_LESSON_ACTION_MODE:
    case NW_LESSON_N_ACTIONS:
    default:
      return TRUE;   /* the window's business */
    }
}

/* Judging -------------------------------------------------------------------------------- */

static void
fmt (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  g_snprintf (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6g", v);
}

static void
judge (Run *run, NwLessonCheckResult *res)
{
  const NwLessonCheck *c = res->check;
  char f[G_ASCII_DTOSTR_BUF_SIZE], e[G_ASCII_DTOSTR_BUF_SIZE], tol[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean ok = FALSE;

  res->expected = NAN;
  if (run->skip_reason != NULL)
    {
      res->status = NW_LESSON_RESULT_SKIPPED;
      g_free (res->reason);
      res->reason = g_strdup (run->skip_reason);
      res->figure = NAN;
      return;
    }
  if (res->status == NW_LESSON_RESULT_SKIPPED)
    return;   /* decided while measuring */
  switch (c->compare)
    {
    case NW_LESSON_COMPARE_REPORT:
      res->status = NW_LESSON_RESULT_REPORTED;
      return;
    case NW_LESSON_COMPARE_NEAR:
    case NW_LESSON_COMPARE_BELOW:
    case NW_LESSON_COMPARE_ABOVE:
      res->expected = c->value;
      break;
    case NW_LESSON_COMPARE_BELOW_CHECK:
    case NW_LESSON_COMPARE_ABOVE_CHECK:
    case NW_LESSON_COMPARE_NEAR_CHECK:
    default:
      {
        const double *other = g_hash_table_lookup (run->figures, c->other);
        if (other == NULL || isnan (*other))
          {
            res->status = NW_LESSON_RESULT_SKIPPED;
            g_free (res->reason);
            res->reason = g_strdup_printf (_("check '%s' has no figure to compare with"), c->other);
            return;
          }
        res->expected = *other;
      }
      break;
    }
  if (res->reason != NULL && isnan (res->figure))
    {
      /* Not measurable (no test split, no step yet): a check that cannot be measured fails. */
      res->status = NW_LESSON_RESULT_FAIL;
      return;
    }
  g_clear_pointer (&res->reason, g_free);
  fmt (f, res->figure);
  fmt (e, res->expected);
  switch (c->compare)
    {
    case NW_LESSON_COMPARE_NEAR:
      ok = fabs (res->figure - c->value) <= c->tol;
      fmt (tol, c->tol);
      if (!ok)
        res->reason = g_strdup_printf (_("%s is not within %s of %s"), f, tol, e);
      break;
    case NW_LESSON_COMPARE_NEAR_CHECK:
      ok = fabs (res->figure - res->expected) <= c->tol;
      fmt (tol, c->tol);
      if (!ok)
        res->reason = g_strdup_printf (_("%s is not within %s of %s"), f, tol, e);
      break;
    case NW_LESSON_COMPARE_BELOW:
    case NW_LESSON_COMPARE_BELOW_CHECK:
      ok = res->figure < res->expected;
      if (!ok)
        res->reason = g_strdup_printf (_("%s is not below %s"), f, e);
      break;
    case NW_LESSON_COMPARE_ABOVE:
    case NW_LESSON_COMPARE_ABOVE_CHECK:
    case NW_LESSON_COMPARE_REPORT:
    default:
      ok = res->figure > res->expected;
      if (!ok)
        res->reason = g_strdup_printf (_("%s is not above %s"), f, e);
      break;
    }
  if (!ok && run->diverged && c->metric != NW_LESSON_METRIC_DIVERGED && run->diverged_message != NULL)
    {
      char *r = g_strdup_printf (_("%s (training diverged: %s)"), res->reason, run->diverged_message);
      g_free (res->reason);
      res->reason = r;
    }
  res->status = ok ? NW_LESSON_RESULT_PASS : NW_LESSON_RESULT_FAIL;
}

static gboolean
run_step (Run *run, GPtrArray *all)
{
  const NwLessonStep *step = g_ptr_array_index (run->lesson->steps, run->step_index);
  g_autofree gboolean *measured = g_new0 (gboolean, MAX (step->checks->len, 1));

  run->diverged = FALSE;
  g_clear_pointer (&run->diverged_message, g_free);
  g_clear_pointer (&run->skip_reason, g_free);
  if (run->no_data != NULL)
    run->skip_reason = g_strdup (run->no_data);
  run->steps_per_s = NAN;
  g_ptr_array_set_size (run->step_results, 0);
  for (guint i = 0; i < step->checks->len; i++)
    {
      NwLessonCheckResult *res = g_new0 (NwLessonCheckResult, 1);
      res->step_index = run->step_index;
      res->step = step;
      res->check = g_ptr_array_index (step->checks, i);
      res->figure = res->expected = NAN;
      res->status = NW_LESSON_RESULT_FAIL;
      g_ptr_array_add (run->step_results, res);
    }

  for (guint i = 0; i < step->actions->len; i++)
    if (!run_action (run, g_ptr_array_index (step->actions, i), measured))
      return FALSE;

  /* What the step's actions left: the checks due now, the others with their at_step not
   * reached. */
  if (run->skip_reason == NULL && !measure_due (run, measured))
    return FALSE;
  for (guint i = 0; i < step->checks->len; i++)
    {
      const NwLessonCheck *check = g_ptr_array_index (step->checks, i);
      NwLessonCheckResult *res = g_ptr_array_index (run->step_results, i);
      if (measured[i] || run->skip_reason != NULL)
        continue;
      if (check->at_step >= 0)
        {
          gint64 now = run->trainer != NULL ? nw_trainer_get_step (run->trainer) : 0;
          res->reason = g_strdup_printf (_("the run stopped at step %" PRId64 " before step %" PRId64),
                                         now, check->at_step);
          continue;
        }
      if (!measure (run, check))
        return FALSE;
    }
  for (guint i = 0; i < step->checks->len; i++)
    {
      NwLessonCheckResult *res = g_ptr_array_index (run->step_results, i);
      judge (run, res);
      if (res->check->name != NULL)
        g_hash_table_insert (run->figures, g_strdup (res->check->name), g_memdup2 (&res->figure, sizeof (double)));
      if (run->opts->on_result != NULL)
        run->opts->on_result (res, run->opts->user_data);
    }
  /* Hand the results over. */
  for (guint i = 0; i < run->step_results->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (run->step_results, i));
  g_ptr_array_set_free_func (run->step_results, NULL);
  g_ptr_array_set_size (run->step_results, 0);
  g_ptr_array_set_free_func (run->step_results, (GDestroyNotify) nw_lesson_check_result_free);
  return TRUE;
}

static void
remove_tmpdir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}

gboolean
nw_lesson_check (const NwLesson *lesson, const NwLessonCheckOptions *opts, GPtrArray **results,
                 GError **error)
{
  NwLessonCheckOptions defaults = { 0 };
  g_autoptr (GPtrArray) all = NULL;
  Run run = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (lesson != NULL && lesson->spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (results != NULL)
    *results = NULL;
  run.lesson = lesson;
  run.opts = opts != NULL ? opts : &defaults;
  run.spec = nw_spec_copy (lesson->spec);
  run.on_opencl = run.opts->start_on_opencl && run.opts->opencl != NULL;
  run.datasets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) nw_dataset_free);
  run.figures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run.step_results = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_lesson_check_result_free);
  run.error = error;
  all = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_lesson_check_result_free);

  for (run.step_index = 0; ok && run.step_index < lesson->steps->len; run.step_index++)
    ok = run_step (&run, all);

  drop_trainer (&run);
  nw_spec_free (run.spec);
  g_hash_table_unref (run.datasets);
  g_hash_table_unref (run.figures);
  g_ptr_array_unref (run.step_results);
  g_free (run.diverged_message);
  g_free (run.skip_reason);
  g_free (run.no_data);
  if (run.tmpdir != NULL)
    remove_tmpdir (run.tmpdir);
  g_free (run.tmpdir);
  if (ok && results != NULL)
    *results = g_steal_pointer (&all);
  return ok;
}
