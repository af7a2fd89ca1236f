/* nw-trainer.c: mini-batches, epochs, metrics, divergence and probes for one run.
 *
 * The data is copied to the backend once; each step gathers its batch there through an index
 * buffer uploaded once per epoch, so a step moves no data between host and device. */
#include "nw-trainer.h"
#include "nw-rng.h"

#include <math.h>
#include <string.h>

#define EVAL_CHUNK 1000

struct _NwTrainer {
  NwSpec    *spec;          /* own copy; spec->train holds the live hyperparameters */
  NwDataset *data;
  NwBackend *backend;
  NwNet     *net;
  int        target_width;
  NwBuffer  *train_x, *train_t, *test_x, *test_t, *perm;
  gint32    *perm_host;
  NwRng      shuffle_rng;
  gint64     step, epoch;
  int        pos;           /* next row of the permutation */
  int        capacity;
  /* training metrics since the last snapshot, folded in from the device after each step
   * (the device's sums are reset on every read, so they never grow large in float) */
  double     pending[NW_METRIC_SIZE];
  /* divergence */
  double     first_loss;
  double     last_good_loss;
  gint64     last_good_step;
  /* update ratio of the step after each snapshot */
  gboolean   ratio_pending;
  float     *ratio_before;
  double    *ratios;        /* per node */
};

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

static int
batch_rows (const NwTrainer *t)
{
  int bs = t->spec->train.batch_size;
  return bs <= 0 || bs > t->data->train.n ? t->data->train.n : bs;
}

static void
new_epoch_order (NwTrainer *t)
{
  int n = t->data->train.n;
  for (int i = 0; i < n; i++)
    t->perm_host[i] = i;
  /* A full batch sees every row each step, in any order: no shuffle, so a full-batch run
   * does not depend on the shuffle stream at all. */
  if (batch_rows (t) < n)
    nw_rng_shuffle (&t->shuffle_rng, t->perm_host, n);
  t->backend->ops->write (t->backend, t->perm, 0, t->perm_host, sizeof (gint32) * n);
  t->pos = 0;
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
  if (owned_data == NULL && (owned_data = nw_dataset_new (&spec->data, error)) == NULL)
    {
      nw_backend_free (backend);
      return NULL;
    }
  if (owned_data->train.n <= 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC, "data '%s': the training split is empty",
                   owned_data->name);
      nw_backend_free (backend);
      return NULL;
    }
  if (loss == NW_LOSS_SOFTMAX_XENT && owned_data->train.labels == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC,
                   "softmax_xent needs class labels, but data '%s' has none", owned_data->name);
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
  t->capacity = MAX (batch_rows (t), EVAL_CHUNK);
  if (!nw_net_reserve (t->net, t->capacity, error) || !nw_backend_take_error (backend, error))
    {
      g_prefix_error (error, "data '%s': ", t->data->name);
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
  int b = batch_rows (t);
  return (t->data->train.n + b - 1) / b;
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
  t->ratio_pending = TRUE;
  for (int i = 0; i < nw_net_n_nodes (t->net); i++)
    t->ratios[i] = NAN;
  new_epoch_order (t);
}

void
nw_trainer_set_hyper (NwTrainer *t, const NwTrainSpec *hp)
{
  int old_batch = batch_rows (t);
  guint64 seed = t->spec->train.seed;
  t->spec->train = *hp;
  t->spec->train.seed = seed;   /* the seed belongs to the run; reset to change it */
  if (batch_rows (t) != old_batch)
    {
      GError *error = NULL;
      if (batch_rows (t) > t->capacity)
        {
          if (nw_net_reserve (t->net, batch_rows (t), &error))
            t->capacity = batch_rows (t);
          else
            {
              /* Keep the old batch size rather than fail mid-run. */
              nw_backend_set_error (t->backend, error);
              t->spec->train.batch_size = old_batch;
            }
        }
      /* The rest of this epoch starts over in a fresh order; the epoch count is unchanged. */
      new_epoch_order (t);
    }
}

/* Checks the metrics accumulated since the last check: NaN/Inf, or a loss that has grown a
 * thousandfold from its start, stops the run with a message a student can act on. */
/* Moves the device's metrics into `out` (added) and clears them there. */
static void
fold_metrics (NwTrainer *t, double out[NW_METRIC_SIZE])
{
  double m[NW_METRIC_SIZE];
  nw_net_read_metrics (t->net, m);
  nw_net_reset_metrics (t->net);
  for (int i = 0; i < NW_METRIC_SIZE; i++)
    out[i] += m[i];
}

/* Checks the last step's loss: NaN/Inf, or a loss that has grown a thousandfold from its
 * start, stops the run with a message a student can act on. */
static gboolean
check_divergence (NwTrainer *t, GError **error)
{
  double m[NW_METRIC_SIZE] = { 0 }, loss;
  fold_metrics (t, m);
  if (m[NW_METRIC_COUNT] <= 0)
    return TRUE;
  for (int i = 0; i < NW_METRIC_SIZE; i++)
    t->pending[i] += m[i];
  loss = m[NW_METRIC_LOSS] / m[NW_METRIC_COUNT];
  if (!isfinite (loss))
    {
      if (isfinite (t->last_good_loss))
        g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                     "training diverged at step %" G_GINT64_FORMAT ": the loss became %s "
                     "(it was %.4g at step %" G_GINT64_FORMAT "); try a smaller learning rate",
                     t->step, isnan (loss) ? "NaN" : "infinite", t->last_good_loss, t->last_good_step);
      else
        g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                     "training diverged at step %" G_GINT64_FORMAT ": the loss became %s",
                     t->step, isnan (loss) ? "NaN" : "infinite");
      return FALSE;
    }
  if (isnan (t->first_loss))
    t->first_loss = loss;
  else if (loss > 1000 * MAX (t->first_loss, 1.0))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_DIVERGED,
                   "training diverged at step %" G_GINT64_FORMAT ": the loss exploded to %.4g "
                   "(it started at %.4g); try a smaller learning rate",
                   t->step, loss, t->first_loss);
      return FALSE;
    }
  t->last_good_loss = loss;
  t->last_good_step = t->step;
  return TRUE;
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

gboolean
nw_trainer_step (NwTrainer *t, GError **error)
{
  NwBackend *b = t->backend;
  int n = t->data->train.n, rows;
  NwNet *net = t->net;

  if (t->pos >= n)
    {
      if (t->step > 0)
        t->epoch++;
      new_epoch_order (t);
    }
  rows = MIN (batch_rows (t), n - t->pos);
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
      new_epoch_order (t);
    }
  if (!nw_backend_take_error (b, error))
    return FALSE;
  return check_divergence (t, error);
}

static gboolean
evaluate_split (NwTrainer *t, const NwSplit *split, NwBuffer *x, NwBuffer *tg, double *loss,
                double *acc, GError **error)
{
  NwBackend *b = t->backend;
  NwNet *net = t->net;
  double m[NW_METRIC_SIZE] = { 0 };

  /* Training metrics not yet folded stay training metrics. */
  fold_metrics (t, t->pending);
  for (int start = 0; start < split->n; start += EVAL_CHUNK)
    {
      int rows = MIN (EVAL_CHUNK, split->n - start);
      b->ops->copy (b, x, (gsize) start * split->d, nw_net_input (net), 0, (gsize) rows * split->d, FALSE);
      b->ops->copy (b, tg, (gsize) start * t->target_width, nw_net_targets (net), 0,
                    (gsize) rows * t->target_width, FALSE);
      nw_net_forward (net, rows, FALSE, TRUE);
    }
  fold_metrics (t, m);
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
  const NwSplit *split = test_split ? &t->data->test : &t->data->train;
  double l, a;
  if (split->n == 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_RANGE, "data '%s': the %s split is empty",
                   t->data->name, test_split ? "test" : "training");
      return FALSE;
    }
  if (!evaluate_split (t, split, test_split ? t->test_x : t->train_x,
                       test_split ? t->test_t : t->train_t, &l, &a, error))
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

void
nw_trainer_grid_point (int grid_n, int row, int col, float *x, float *y)
{
  double cell = 2 * NW_GRID_EXTENT / grid_n;
  *x = (float) (-NW_GRID_EXTENT + (col + 0.5) * cell);
  *y = (float) (NW_GRID_EXTENT - (row + 0.5) * cell);
}

static double
norm_of (const float *v, gsize n)
{
  double s = 0;
  for (gsize i = 0; i < n; i++)
    s += (double) v[i] * v[i];
  return sqrt (s);
}

static void
histogram (const float *v, gsize n, float *lo, float *hi, float *bins)
{
  float mn = n > 0 ? v[0] : 0, mx = mn;
  for (gsize i = 1; i < n; i++)
    {
      mn = MIN (mn, v[i]);
      mx = MAX (mx, v[i]);
    }
  if (mx <= mn)
    mx = mn + 1e-6f;
  memset (bins, 0, sizeof (float) * NW_STATS_BINS);
  for (gsize i = 0; i < n; i++)
    bins[CLAMP ((int) ((v[i] - mn) / (mx - mn) * NW_STATS_BINS), 0, NW_STATS_BINS - 1)] += 1;
  *lo = mn;
  *hi = mx;
}

/* Probes of every node from the buffers the last training step left behind. */
static void
probe_layers (NwTrainer *t, NwSnapshot *snap)
{
  NwNet *net = t->net;
  NwBackend *b = t->backend;
  int n_nodes = nw_net_n_nodes (net);
  gsize np = nw_net_n_params (net);
  g_autofree float *params = g_new (float, MAX (np, 1));
  g_autofree float *grads = g_new (float, MAX (np, 1));
  NwBuffer *out = nw_backend_alloc (b, NW_STATS_SIZE);
  int rows = batch_rows (t);
  int first_dense = -1, last_dense = -1;

  nw_net_get_params (net, params);
  nw_net_get_grads (net, grads);
  snap->n_layers = n_nodes;
  snap->layers = g_new0 (NwLayerProbe, n_nodes);
  for (int i = 0; i < n_nodes; i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      NwLayerProbe *p = &snap->layers[i];
      p->id = g_strdup (info->spec->id);
      p->kind = info->spec->kind;
      p->activation = info->spec->activation;
      p->width = info->width;
      p->weight_norm = p->grad_norm = p->bias_grad_norm = p->input_grad_norm = NAN;
      p->update_ratio = t->ratios[i];
      p->act_mean = p->act_std = p->saturated = p->dead = NAN;
      if (info->w_n > 0)
        {
          p->weight_norm = norm_of (params + info->w_off, info->w_n);
          p->grad_norm = norm_of (grads + info->w_off, info->w_n);
          histogram (params + info->w_off, info->w_n, &p->whist_lo, &p->whist_hi, p->whist);
          if (info->spec->kind == NW_NODE_DENSE)
            {
              if (first_dense < 0)
                first_dense = i;
              last_dense = i;
            }
        }
      if (info->b_n > 0)
        p->bias_grad_norm = norm_of (grads + info->b_off, info->b_n);
      if (info->n_inputs > 0 && info->inputs[0] != 0 && info->spec->kind != NW_NODE_LOSS)
        {
          nw_real ss = 0;
          b->ops->sumsq (b, nw_net_node_grad (net, info->inputs[0]), 0,
                         (gsize) rows * info->in_width, out, 0);
          nw_backend_download (b, out, 0, &ss, 1);
          p->input_grad_norm = sqrt ((double) ss / MAX (rows, 1));
        }
      if (info->spec->kind == NW_NODE_ACTIVATION)
        {
          nw_real stats[NW_STATS_SIZE];
          gsize n = (gsize) rows * info->width;
          double mean, var;
          p->hist_lo = -6;
          p->hist_hi = 6;
          b->ops->act_stats (b, info->spec->activation, (nw_real) info->spec->alpha, n,
                             nw_net_node_output (net, info->inputs[0]), 0, p->hist_lo, p->hist_hi,
                             out, 0);
          nw_backend_download (b, out, 0, stats, NW_STATS_SIZE);
          mean = stats[NW_STATS_SUM] / MAX (n, 1);
          var = stats[NW_STATS_SUMSQ] / MAX (n, 1) - mean * mean;
          p->act_mean = mean;
          p->act_std = sqrt (MAX (var, 0));
          p->saturated = stats[NW_STATS_SATURATED] / MAX (n, 1);
          p->dead = stats[NW_STATS_DEAD] / MAX (n, 1);
          for (int k = 0; k < NW_STATS_BINS; k++)
            p->hist[k] = (float) stats[NW_STATS_HIST0 + k];
        }
    }
  snap->first_last_ratio = first_dense >= 0 && snap->layers[last_dense].grad_norm > 0
    ? snap->layers[first_dense].grad_norm / snap->layers[last_dense].grad_norm : NAN;
  nw_backend_release (b, &out);
}

NwSnapshot *
nw_trainer_snapshot (NwTrainer *t, gboolean with_test, int grid_n, GError **error)
{
  g_autoptr (NwSnapshot) snap = g_new0 (NwSnapshot, 1);

  fold_metrics (t, t->pending);
  snap->step = t->step;
  snap->epoch = t->epoch;
  snap->epoch_progress = (double) t->pos / t->data->train.n;
  snap->train_loss = t->pending[NW_METRIC_COUNT] > 0
    ? t->pending[NW_METRIC_LOSS] / t->pending[NW_METRIC_COUNT] : NAN;
  snap->train_acc = t->pending[NW_METRIC_COUNT] > 0
    ? t->pending[NW_METRIC_CORRECT] / t->pending[NW_METRIC_COUNT] : NAN;
  memset (t->pending, 0, sizeof t->pending);
  snap->test_loss = snap->test_acc = NAN;

  probe_layers (t, snap);
  t->ratio_pending = TRUE;
  if (with_test && t->data->test.n > 0 &&
      !nw_trainer_evaluate (t, TRUE, &snap->test_loss, &snap->test_acc, error))
    return NULL;
  if (grid_n > 0 && t->data->train.d == 2)
    {
      gsize cells = (gsize) grid_n * grid_n;
      int w = nw_net_output_width (t->net);
      g_autofree float *pts = g_new (float, 2 * cells);
      g_autofree float *probs = g_new (float, cells * w);
      for (int r = 0; r < grid_n; r++)
        for (int c = 0; c < grid_n; c++)
          nw_trainer_grid_point (grid_n, r, c, &pts[2 * ((gsize) r * grid_n + c)],
                                 &pts[2 * ((gsize) r * grid_n + c) + 1]);
      if (!nw_trainer_predict (t, pts, (int) cells, probs, error))
        return NULL;
      snap->grid_n = grid_n;
      snap->grid = g_new (float, cells);
      /* P(class 1): the single output, or the second of two softmax outputs. */
      for (gsize i = 0; i < cells; i++)
        snap->grid[i] = probs[i * w + (w > 1 ? 1 : 0)];
    }
  if (!nw_backend_take_error (t->backend, error))
    return NULL;
  return g_steal_pointer (&snap);
}

void
nw_snapshot_free (NwSnapshot *snap)
{
  if (snap == NULL)
    return;
  for (int i = 0; snap->layers != NULL && i < snap->n_layers; i++)
    g_free (snap->layers[i].id);
  g_free (snap->layers);
  g_free (snap->grid);
  g_free (snap);
}
