/* nw-trainer.c: mini-batches, epochs, metrics, divergence and evaluation for one run.
 *
 * The data is copied to the backend once; each step gathers its batch there through an index
 * buffer uploaded once per epoch, so a step moves no data between host and device. */
#include "nw-trainer-private.h"
#include "nw-i18n.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

static NwLoss
loss_kind (const NwSpec *spec)
{
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *n = g_ptr_array_index (spec->nodes, i);
      if (n->kind == NW_NODE_LOSS)
        return n->loss;
    }
  return NW_LOSS_MSE;
}

/* Targets as the loss wants them: one-hot over the classes for softmax cross-entropy (even
 * when the data stores a single 0/1 column), else the data's own columns. */
static float *
make_targets (const NwSplit *split, int width)
{
  float *t;
  if (width == split->k)
    return g_memdup2 (split->y, sizeof (float) * MAX ((gsize) split->n * split->k, 1));
  t = g_new0 (float, MAX ((gsize) split->n * width, 1));
  for (int r = 0; r < split->n; r++)
    t[(gsize) r * width + MIN (split->labels[r], width - 1)] = 1;
  return t;
}

static NwBuffer *
upload_floats (NwBackend *b, const float *src, gsize n)
{
  NwBuffer *buf = nw_backend_alloc (b, n);
#ifdef NW_REAL_DOUBLE
  g_autofree nw_real *tmp = g_new (nw_real, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    tmp[i] = src[i];
  nw_backend_upload (b, buf, 0, tmp, n);
#else
  nw_backend_upload (b, buf, 0, src, n);
#endif
  return buf;
}

static guint64
data_bytes (const NwTrainer *t)
{
  guint64 per_row = (guint64) t->data->train.d + (guint64) t->target_width;
  return ((guint64) t->data->train.n + (guint64) t->data->test.n) * per_row * sizeof (float);
}

/* Evaluation runs in chunks of up to NW_MEMORY_EVAL_ROWS rows, fewer when the network is so
 * wide that a chunk would take more than NW_MEMORY_EVAL_BUDGET; then the whole (batch, chunk and data)
 * must fit in this computer's memory, or the error names the layer that needs the most. */
static gboolean
size_for_memory (NwTrainer *t, GError **error)
{
  NwMemoryEstimate est;
  nw_net_memory_estimate (t->net, 1, 0, &est);
  t->eval_rows = nw_memory_eval_rows (est.per_row);
  t->capacity = MAX (nw_trainer_batch_rows (t), t->eval_rows);
  nw_net_memory_estimate (t->net, t->capacity, data_bytes (t), &est);
  if (!nw_memory_check (t->spec, &est, nw_memory_physical (), error))
    {
      g_prefix_error (error, "data '%s': ", t->data->name);
      return FALSE;
    }
  return TRUE;
}

int
nw_trainer_batch_rows (const NwTrainer *t)
{
  int bs = t->spec->train.batch_size;
  return bs <= 0 || bs > t->data->train.n ? t->data->train.n : bs;
}

void
nw_trainer_new_epoch_order (NwTrainer *t)
{
  int n = t->data->train.n;
  /* A full batch sees every row each step, in any order: no shuffle, so a full-batch run
   * does not depend on the shuffle stream at all, and the order already on the device
   * serves every epoch (no write, no host-device sync per step). */
  gboolean shuffle = nw_trainer_batch_rows (t) < n;
  t->pos = 0;
  if (!shuffle && t->perm_identity)
    return;
  for (int i = 0; i < n; i++)
    t->perm_host[i] = i;
  if (shuffle)
    nw_rng_shuffle (&t->shuffle_rng, t->perm_host, n);
  t->backend->ops->write (t->backend, t->perm, 0, t->perm_host, sizeof (gint32) * n);
  t->perm_identity = !shuffle;
}

NwTrainer *
nw_trainer_new (const NwSpec *spec, NwDataset *data, NwBackend *backend, GError **error)
{
  g_autoptr (NwDataset) owned_data = data;
  NwTrainer *t;
  NwLoss loss = loss_kind (spec);
  int target_width;

  if (backend == NULL)
    backend = nw_backend_cpu_new ();
  if (owned_data == NULL && (owned_data = nw_dataset_new (&spec->data, NULL, error)) == NULL)
    {
      nw_backend_free (backend);
      return NULL;
    }
  if (owned_data->train.n <= 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC, _("data '%s': the training split is empty"),
                   owned_data->name);
      nw_backend_free (backend);
      return NULL;
    }
  if (loss == NW_LOSS_SOFTMAX_XENT && owned_data->train.labels == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC,
                   _("softmax_xent needs class labels, but data '%s' has none"), owned_data->name);
      nw_backend_free (backend);
      return NULL;
    }
  target_width = loss == NW_LOSS_SOFTMAX_XENT ? owned_data->n_classes : owned_data->train.k;

  t = g_new0 (NwTrainer, 1);
  t->spec = nw_spec_copy (spec);
  t->backend = backend;
  t->data = g_steal_pointer (&owned_data);
  t->target_width = target_width;
  t->net = nw_net_new (t->spec, t->data->train.d, target_width, t->data->n_classes, backend, error);
  if (t->net == NULL)
    {
      nw_trainer_free (t);
      return NULL;
    }
  if (!size_for_memory (t, error))
    {
      nw_trainer_free (t);
      return NULL;
    }
  {
    g_autofree float *tt = make_targets (&t->data->train, target_width);
    g_autofree float *vt = make_targets (&t->data->test, target_width);
    t->train_x = upload_floats (backend, t->data->train.x, (gsize) t->data->train.n * t->data->train.d);
    t->train_t = upload_floats (backend, tt, (gsize) t->data->train.n * target_width);
    t->test_x = upload_floats (backend, t->data->test.x, (gsize) t->data->test.n * t->data->test.d);
    t->test_t = upload_floats (backend, vt, (gsize) t->data->test.n * target_width);
  }
  t->perm = backend->ops->buffer_new (backend, sizeof (gint32) * t->data->train.n);
  t->perm_host = g_new (gint32, t->data->train.n);
  t->ratios = g_new (double, nw_net_n_nodes (t->net));
  t->ratio_before = g_new (float, MAX (nw_net_n_params (t->net), 1));
  t->good_params = g_new (float, MAX (nw_net_n_params (t->net), 1));
  t->cand_params = g_new (float, MAX (nw_net_n_params (t->net), 1));
  t->good_step = t->cand_step = -1;
  if (!nw_net_reserve (t->net, t->capacity, error) || !nw_backend_take_error (backend, error))
    {
      g_prefix_error (error, _("data '%s': "), t->data->name);
      nw_trainer_free (t);
      return NULL;
    }
  nw_trainer_reset (t, t->spec->train.seed);
  return t;
}

void
nw_trainer_free (NwTrainer *t)
{
  if (t == NULL)
    return;
  if (t->backend != NULL)
    {
      nw_trainer_chain_clear (t);
      nw_backend_release (t->backend, &t->train_x);
      nw_backend_release (t->backend, &t->train_t);
      nw_backend_release (t->backend, &t->test_x);
      nw_backend_release (t->backend, &t->test_t);
      if (t->perm != NULL)
        t->backend->ops->buffer_free (t->backend, t->perm);
    }
  nw_net_free (t->net);
  nw_backend_free (t->backend);
  nw_dataset_free (t->data);
  nw_spec_free (t->spec);
  g_free (t->perm_host);
  g_free (t->ratios);
  g_free (t->ratio_before);
  g_free (t->good_params);
  g_free (t->cand_params);
  g_free (t);
}

NwNet *nw_trainer_get_net (NwTrainer *t) { return t->net; }
NwDataset *nw_trainer_get_data (NwTrainer *t) { return t->data; }
const NwSpec *nw_trainer_get_spec (NwTrainer *t) { return t->spec; }
gint64 nw_trainer_get_step (NwTrainer *t) { return t->step; }
gint64 nw_trainer_get_epoch (NwTrainer *t) { return t->epoch; }

int
nw_trainer_steps_per_epoch (NwTrainer *t)
{
  int b = nw_trainer_batch_rows (t);
  return (t->data->train.n + b - 1) / b;
}

gboolean
nw_trainer_set_node_param (NwTrainer *t, const char *node_id, const char *which,
                           const float *values, int rows, int cols, GError **error)
{
  if (!nw_net_set_node_param (t->net, node_id, which, values, rows, cols, error))
    return FALSE;
  /* The kept weights are of the run before these; the next steps keep new ones. */
  t->good_step = t->cand_step = -1;
  return TRUE;
}

void
nw_trainer_reset (NwTrainer *t, guint64 seed)
{
  t->spec->train.seed = seed;
  nw_net_init_params (t->net, seed);
  /* The shuffle stream is separate from the initialisation stream, so changing the batch
   * size never changes the initial weights. */
  nw_rng_init (&t->shuffle_rng, nw_mix64 (seed ^ G_GUINT64_CONSTANT (0x5851f42d4c957f2d)));
  t->step = 0;
  t->epoch = 0;
  memset (t->pending, 0, sizeof t->pending);
  nw_net_reset_metrics (t->net);
  t->first_loss = NAN;
  t->last_good_loss = NAN;
  t->last_good_step = 0;
  t->good_step = t->cand_step = -1;
  t->ratio_pending = TRUE;
  for (int i = 0; i < nw_net_n_nodes (t->net); i++)
    t->ratios[i] = NAN;
  nw_trainer_new_epoch_order (t);
}

void
nw_trainer_set_hyper (NwTrainer *t, const NwTrainSpec *hp)
{
  int old_batch = nw_trainer_batch_rows (t);
  guint64 seed = t->spec->train.seed;
  t->spec->train = *hp;
  t->spec->train.seed = seed;   /* the seed belongs to the run; reset to change it */
  if (nw_trainer_batch_rows (t) != old_batch)
    {
      GError *error = NULL;
      if (nw_trainer_batch_rows (t) > t->capacity)
        {
          NwMemoryEstimate est;
          nw_net_memory_estimate (t->net, nw_trainer_batch_rows (t), data_bytes (t), &est);
          if (nw_memory_check (t->spec, &est, nw_memory_physical (), &error)
              && nw_net_reserve (t->net, nw_trainer_batch_rows (t), &error))
            t->capacity = nw_trainer_batch_rows (t);
          else
            {
              /* Keep the old batch size rather than fail mid-run. */
              nw_backend_set_error (t->backend, error);
              t->spec->train.batch_size = old_batch;
            }
        }
      /* The rest of this epoch starts over in a fresh order; the epoch count is unchanged. */
      nw_trainer_new_epoch_order (t);
    }
}

void
nw_trainer_fold_metrics (NwTrainer *t, double out[NW_METRIC_SIZE])
{
  double m[NW_METRIC_SIZE];
  nw_net_read_metrics (t->net, m);
  nw_net_reset_metrics (t->net);
  for (int i = 0; i < NW_METRIC_SIZE; i++)
    out[i] += m[i];
}

/* BCE's logs are clamped at -100 (PyTorch's BCELoss; core/nw-backend-cpu.c and
 * resources/kernels/loss.cl), so one output's loss is at most 100 and the mean can never grow
 * the thousandfold the explosion rule waits for: a diverged sigmoid + BCE run ends on a flat
 * 50 or 100 and looked fine. A mean of a quarter of the clamp means the outputs sit at 0 or 1
 * in float, wrong on a large share of the rows: the sigmoid is saturated, its gradient is
 * gone, and the run cannot come back. A network still learning is far below it (chance is
 * ln 2 = 0.69). */
#define NW_BCE_LOG_CLAMP       100.0
#define NW_BCE_DIVERGED_LOSS   (NW_BCE_LOG_CLAMP / 4)

/* The loss node comes last in execution order. */
static gboolean
loss_is_clamped_bce (const NwTrainer *t)
{
  int n = nw_net_n_nodes (t->net);
  return n > 0 && nw_net_node (t->net, n - 1)->spec->loss == NW_LOSS_BCE;
}

double
nw_trainer_loss_limit (const NwTrainer *t)
{
  double limit = 1000 * MAX (t->first_loss, 1.0);
  if (loss_is_clamped_bce (t))
    limit = MIN (limit, NW_BCE_DIVERGED_LOSS);
  return limit;
}

/* The last good weights are copied from the device every so many steps, not every step: a
 * copy is a download of every parameter and a check that each is finite. For an MNIST MLP
 * that is about a megabyte, as much as a small step; for the 2D examples it is cheap, but a
 * step is cheap too: a copy at every step of the deep-sigmoid XOR net cost 7.2% more
 * instructions a step (callgrind, 20,000 steps), one every 16 steps 0.6%, and on OpenCL each
 * copy is a wait for the device. So: one step between copies per 4096 parameters, at least
 * 16 (every 65 steps for 784-256-256-10), at most 100. A diverged run loses at most that many
 * steps of its progress. */
static gint64
keep_every (const NwTrainer *t)
{
  return CLAMP ((gint64) (nw_net_n_params (t->net) / 4096), 16, 100);
}

static gboolean
all_finite (const float *v, gsize n, gsize *bad)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]))
      {
        *bad = i;
        return FALSE;
      }
  return TRUE;
}

gboolean
nw_trainer_keep_weights (NwTrainer *t, GError **error)
{
  gsize n = nw_net_n_params (t->net), bad = 0;
  if (t->cand_step == t->step)
    return TRUE;
  if (t->good_step >= 0 && t->step - t->good_step < keep_every (t))
    return TRUE;
  nw_net_get_params (t->net, t->cand_params);
  if (!all_finite (t->cand_params, n, &bad))
    {
      t->cand_step = -1;
      g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                   _("training diverged at step %" PRId64 ": the weights became %s "
                     "(parameter %zu of %zu); try a smaller "
                     "learning rate"), t->step, isnan (t->cand_params[bad]) ? "NaN" : _("infinite"),
                   bad, n);
      return FALSE;
    }
  t->cand_step = t->step;
  return TRUE;
}

/* Checks one step's loss: NaN/Inf, a loss that has grown a thousandfold from its start, or a
 * BCE loss at its clamp stops the run with a message a student can act on. A step that
 * passes vouches for the weights it started from (the candidate copy, if one was taken). */
gboolean
nw_trainer_check_loss (NwTrainer *t, const double m[NW_METRIC_SIZE], GError **error)
{
  double loss;
  if (m[NW_METRIC_COUNT] <= 0)
    return TRUE;
  for (int i = 0; i < NW_METRIC_SIZE; i++)
    t->pending[i] += m[i];
  loss = m[NW_METRIC_LOSS] / m[NW_METRIC_COUNT];
  if (!isfinite (loss))
    {
      if (isfinite (t->last_good_loss))
        g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                     _("training diverged at step %" PRId64 ": the loss became %s "
                       "(it was %.4g at step %" PRId64 "); try a smaller learning rate"),
                     t->step, isnan (loss) ? "NaN" : _("infinite"), t->last_good_loss, t->last_good_step);
      else
        g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                     _("training diverged at step %" PRId64 ": the loss became %s"),
                     t->step, isnan (loss) ? "NaN" : _("infinite"));
      return FALSE;
    }
  if (isnan (t->first_loss))
    t->first_loss = loss;
  if (loss >= NW_BCE_DIVERGED_LOSS && loss_is_clamped_bce (t))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                   _("training diverged at step %" PRId64 ": the loss reached %.4g "
                     "(it started at %.4g; BCE counts at most %g for an output): the outputs are "
                     "stuck at 0 or 1 and wrong, and the saturated sigmoid no longer learns; try "
                     "a smaller learning rate"), t->step, loss, t->first_loss, NW_BCE_LOG_CLAMP);
      return FALSE;
    }
  if (loss > 1000 * MAX (t->first_loss, 1.0))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                   _("training diverged at step %" PRId64 ": the loss exploded to %.4g "
                     "(it started at %.4g); try a smaller learning rate"),
                   t->step, loss, t->first_loss);
      return FALSE;
    }
  t->last_good_loss = loss;
  t->last_good_step = t->step;
  if (t->cand_step >= 0 && t->cand_step == t->step - 1)
    {
      float *swap = t->good_params;
      t->good_params = t->cand_params;
      t->cand_params = swap;
      t->good_step = t->cand_step;
      t->cand_step = -1;
    }
  return TRUE;
}

gint64
nw_trainer_get_last_good_step (NwTrainer *t)
{
  g_return_val_if_fail (t != NULL, -1);
  return t->good_step;
}

gboolean
nw_trainer_restore_last_good (NwTrainer *t, GError **error)
{
  g_return_val_if_fail (t != NULL, FALSE);
  if (t->good_step < 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                   _("no good weights to go back to: the run went wrong at its first step"));
      return FALSE;
    }
  nw_net_set_params (t->net, t->good_params);
  return nw_backend_take_error (t->backend, error);
}

/* The last step's loss, from the device's metrics (read and reset). */
static gboolean
check_divergence (NwTrainer *t, GError **error)
{
  double m[NW_METRIC_SIZE] = { 0 };
  nw_trainer_fold_metrics (t, m);
  return nw_trainer_check_loss (t, m, error);
}

static void
record_update_ratios (NwTrainer *t, const float *before)
{
  NwNet *net = t->net;
  g_autofree float *after = g_new (float, MAX (nw_net_n_params (net), 1));
  nw_net_get_params (net, after);
  for (int i = 0; i < nw_net_n_nodes (net); i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      double num = 0, den = 0;
      for (gsize k = info->w_off; k < info->w_off + info->w_n; k++)
        {
          double d = (double) after[k] - before[k];
          num += d * d;
          den += (double) before[k] * before[k];
        }
      t->ratios[i] = info->w_n > 0 && den > 0 ? sqrt (num / den) : NAN;
    }
}

int
nw_trainer_steps_left_in_epoch (NwTrainer *t)
{
  int n = t->data->train.n, rows = nw_trainer_batch_rows (t);
  /* At pos >= n the next step starts a new epoch (nw_trainer_step). */
  int left = t->pos >= n ? n : n - t->pos;
  return MAX ((left + rows - 1) / rows, 1);
}

gboolean
nw_trainer_step (NwTrainer *t, GError **error)
{
  NwBackend *b = t->backend;
  int n = t->data->train.n, rows;
  NwNet *net = t->net;

  if (!nw_trainer_keep_weights (t, error))
    return FALSE;
  if (t->pos >= n)
    {
      if (t->step > 0)
        t->epoch++;
      nw_trainer_new_epoch_order (t);
    }
  rows = MIN (nw_trainer_batch_rows (t), n - t->pos);
  b->ops->gather_rows (b, t->train_x, t->data->train.d, t->perm, t->pos, rows,
                       nw_net_input (net), 0);
  b->ops->gather_rows (b, t->train_t, t->target_width, t->perm, t->pos, rows,
                       nw_net_targets (net), 0);
  t->pos += rows;

  nw_net_forward (net, rows, TRUE, TRUE);
  nw_net_backward (net);
  if (t->ratio_pending)
    nw_net_get_params (net, t->ratio_before);
  nw_net_update (net, &t->spec->train);
  if (t->ratio_pending)
    {
      record_update_ratios (t, t->ratio_before);
      t->ratio_pending = FALSE;
    }
  t->step++;
  if (t->pos >= n)
    {
      t->epoch++;
      nw_trainer_new_epoch_order (t);
    }
  if (!nw_backend_take_error (b, error))
    return FALSE;
  return check_divergence (t, error);
}

gboolean
nw_trainer_steps (NwTrainer *t, int max_steps, int *done, GError **error)
{
  return nw_trainer_steps_until (t, max_steps, NAN, done, NULL, error);
}

double
nw_trainer_get_last_loss (NwTrainer *t)
{
  g_return_val_if_fail (t != NULL, NAN);
  return t->step > 0 ? t->last_good_loss : NAN;
}

gboolean
nw_trainer_steps_until (NwTrainer *t, int max_steps, double loss_below, int *done,
                        gboolean *below, GError **error)
{
  gint64 first = t->step;
  gboolean ok = TRUE, hit = FALSE, alone = FALSE;
  /* The fused kernel stops before a step whose float mean is below this: a little above
   * the floor, so that it stops early (the step then runs on its own and is judged here),
   * never late. */
  double floor = isnan (loss_below) ? -INFINITY : loss_below + fabs (loss_below) * 1e-5;

  while (ok && !hit && t->step - first < max_steps)
    {
      /* The last step runs on its own, as does a step whose update ratio the next snapshot
       * wants: every buffer a snapshot probes (node outputs, gradients, metrics) is then what
       * a normal step leaves behind. The steps before it run fused where the backend can. */
      int left = (int) (max_steps - (t->step - first));
      int k = alone ? 0 : nw_trainer_chain_steps_ahead (t, left - 1);
      gint64 before = t->step;
      alone = FALSE;
      if (k > 0)
        {
          ok = nw_trainer_chain_run (t, k, floor, error);
          /* Stopped short at the floor (or just under the divergence limit): the next step
           * runs on its own. */
          alone = ok && t->step - before < k;
        }
      else
        ok = nw_trainer_step (t, error);
      /* The loss of a step taken just now (a launch of none took none); FALSE for NAN. */
      hit = ok && t->step > before && t->last_good_loss < loss_below;
    }
  if (done != NULL)
    *done = (int) (t->step - first);
  if (below != NULL)
    *below = hit;
  return ok;
}

/* `outputs` (NULL: not wanted): split->n x output width, each row's outputs. */
static gboolean
evaluate_split (NwTrainer *t, const NwSplit *split, NwBuffer *x, NwBuffer *tg, double *loss,
                double *acc, float *outputs, GError **error)
{
  NwBackend *b = t->backend;
  NwNet *net = t->net;
  double m[NW_METRIC_SIZE] = { 0 };

  /* Training metrics not yet folded stay training metrics. */
  nw_trainer_fold_metrics (t, t->pending);
  for (int start = 0; start < split->n; start += t->eval_rows)
    {
      int rows = MIN (t->eval_rows, split->n - start);
      b->ops->copy (b, x, (gsize) start * split->d, nw_net_input (net), 0, (gsize) rows * split->d, FALSE);
      b->ops->copy (b, tg, (gsize) start * t->target_width, nw_net_targets (net), 0,
                    (gsize) rows * t->target_width, FALSE);
      nw_net_forward (net, rows, FALSE, TRUE);
      if (outputs != NULL)
        nw_net_read_output (net, rows, outputs + (gsize) start * nw_net_output_width (net));
    }
  nw_trainer_fold_metrics (t, m);
  if (!nw_backend_take_error (b, error))
    return FALSE;
  *loss = m[NW_METRIC_COUNT] > 0 ? m[NW_METRIC_LOSS] / m[NW_METRIC_COUNT] : NAN;
  *acc = m[NW_METRIC_COUNT] > 0 ? m[NW_METRIC_CORRECT] / m[NW_METRIC_COUNT] : NAN;
  return TRUE;
}

gboolean
nw_trainer_evaluate (NwTrainer *t, gboolean test_split, double *loss, double *accuracy,
                     GError **error)
{
  return nw_trainer_evaluate_outputs (t, test_split, loss, accuracy, NULL, error);
}

gboolean
nw_trainer_evaluate_outputs (NwTrainer *t, gboolean test_split, double *loss, double *accuracy,
                             float *outputs, GError **error)
{
  const NwSplit *split = test_split ? &t->data->test : &t->data->train;
  double l, a;
  if (split->n == 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE, _("data '%s': the %s split is empty"),
                   t->data->name, test_split ? "test" : "training");
      return FALSE;
    }
  if (!evaluate_split (t, split, test_split ? t->test_x : t->train_x,
                       test_split ? t->test_t : t->train_t, &l, &a, outputs, error))
    return FALSE;
  if (loss != NULL)
    *loss = l;
  if (accuracy != NULL)
    *accuracy = a;
  return TRUE;
}

gboolean
nw_trainer_predict (NwTrainer *t, const float *x, int rows, float *out, GError **error)
{
  NwBackend *b = t->backend;
  NwNet *net = t->net;
  int d = nw_net_input_width (net), w = nw_net_output_width (net);
  for (int start = 0; start < rows; start += t->capacity)
    {
      int n = MIN (t->capacity, rows - start);
#ifdef NW_REAL_DOUBLE
      g_autofree nw_real *tmp = g_new (nw_real, (gsize) n * d);
      for (gsize i = 0; i < (gsize) n * d; i++)
        tmp[i] = x[(gsize) start * d + i];
      nw_backend_upload (b, nw_net_input (net), 0, tmp, (gsize) n * d);
#else
      nw_backend_upload (b, nw_net_input (net), 0, x + (gsize) start * d, (gsize) n * d);
#endif
      nw_net_forward (net, n, FALSE, FALSE);
      nw_net_read_output (net, n, out + (gsize) start * w);
    }
  return nw_backend_take_error (b, error);
}

