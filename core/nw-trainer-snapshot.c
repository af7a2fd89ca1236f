/* nw-trainer-snapshot.c: what a snapshot shows of a run: metrics since the previous one,
 * probes of every node from the last step's buffers, the test split, the decision grid (in
 * evaluation and in training mode) and the neuron maps. Split from nw-trainer.c so the step
 * path and the views' probes can change apart. */
#include "nw-trainer-private.h"
#include "nw-activation.h"

#include <math.h>
#include <string.h>

void
nw_trainer_grid_point (int grid_n, int row, int col, float *x, float *y)
{
  double cell = 2 * NW_GRID_EXTENT / grid_n;
  *x = (float) (-NW_GRID_EXTENT + (col + 0.5) * cell);
  *y = (float) (NW_GRID_EXTENT - (row + 0.5) * cell);
}

/* The per-snapshot scans of every weight and gradient (MNIST: 269k of each, 8 snapshots a
 * second beside training) use independent running sums and extremes, which the compiler keeps
 * in flight at once; a single chain waits on each addition or comparison. */
#define LANES 8

static double
norm_of (const float *v, gsize n)
{
  double s[LANES] = { 0 }, total = 0;
  gsize i = 0;
  for (; i + LANES <= n; i += LANES)
    for (int k = 0; k < LANES; k++)
      s[k] += (double) v[i + k] * v[i + k];
  for (; i < n; i++)
    s[0] += (double) v[i] * v[i];
  for (int k = 0; k < LANES; k++)
    total += s[k];
  return sqrt (total);
}

/* Values in NW_STATS_BINS equal bins between their minimum and maximum. */
static void
histogram (const float *v, gsize n, float *lo, float *hi, float *bins)
{
  float mn[LANES], mx[LANES], scale;
  guint counts[NW_STATS_BINS] = { 0 };
  gsize i = 0;
  for (int k = 0; k < LANES; k++)
    mn[k] = mx[k] = n > 0 ? v[0] : 0;
  for (; i + LANES <= n; i += LANES)
    for (int k = 0; k < LANES; k++)
      {
        mn[k] = v[i + k] < mn[k] ? v[i + k] : mn[k];
        mx[k] = v[i + k] > mx[k] ? v[i + k] : mx[k];
      }
  for (; i < n; i++)
    {
      mn[0] = MIN (mn[0], v[i]);
      mx[0] = MAX (mx[0], v[i]);
    }
  for (int k = 1; k < LANES; k++)
    {
      mn[0] = MIN (mn[0], mn[k]);
      mx[0] = MAX (mx[0], mx[k]);
    }
  if (mx[0] <= mn[0])
    mx[0] = mn[0] + 1e-6f;
  scale = NW_STATS_BINS / (mx[0] - mn[0]);
  for (i = 0; i < n; i++)
    {
      /* Compared before the conversion: a NaN (a diverged run) counts in the first bin. */
      float f = (v[i] - mn[0]) * scale;
      counts[f >= 0 ? (f < NW_STATS_BINS ? (int) f : NW_STATS_BINS - 1) : 0]++;
    }
  for (int k = 0; k < NW_STATS_BINS; k++)
    bins[k] = (float) counts[k];
  *lo = mn[0];
  *hi = mx[0];
}

/* The share of units whose input was <= 0 on every row of the last batch: what "dead ReLU"
 * means. Half of a healthy layer's inputs are <= 0, so the share of inputs says little. */
static double
dead_unit_share (NwNet *net, int node, int rows, int width)
{
  g_autofree float *x = g_new (float, MAX ((gsize) rows * width, 1));
  int dead = 0;
  nw_net_read_node (net, node, rows, x);
  for (int j = 0; j < width; j++)
    {
      gboolean fired = FALSE;
      for (int r = 0; r < rows && !fired; r++)
        fired = x[(gsize) r * width + j] > 0;
      dead += !fired;
    }
  return width > 0 ? (double) dead / width : NAN;
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
  int rows = nw_trainer_batch_rows (t);
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
      p->act_mean = p->act_std = p->saturated = p->dead = p->dead_units = NAN;
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
      /* Before the first step the buffers hold no batch: zeros would read as "100% dead". */
      if (info->spec->kind == NW_NODE_ACTIVATION && t->step > 0)
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
          if (info->spec->activation == NW_ACT_RELU)
            p->dead_units = dead_unit_share (net, info->inputs[0], rows, info->width);
          for (int k = 0; k < NW_STATS_BINS; k++)
            p->hist[k] = (float) stats[NW_STATS_HIST0 + k];
        }
    }
  snap->first_last_ratio = first_dense >= 0 && snap->layers[last_dense].grad_norm > 0
    ? snap->layers[first_dense].grad_norm / snap->layers[last_dense].grad_norm : NAN;
  nw_backend_release (b, &out);
}

/* Whether node i gets neuron maps: a hidden Dense or Activation of at most NW_MAP_MAX_UNITS
 * units. A Dense that an Activation alone follows is left to it: the unit is the activation's
 * output (and such a Dense leaves its bias to the activation, so its own output lacks it). */
static gboolean
wants_maps (NwNet *net, int i)
{
  const NwNodeInfo *info = nw_net_node (net, i);
  int consumers = 0, activations = 0;
  if ((info->spec->kind != NW_NODE_DENSE && info->spec->kind != NW_NODE_ACTIVATION)
      || info->width > NW_MAP_MAX_UNITS)
    return FALSE;
  for (int j = i + 1; j < nw_net_n_nodes (net); j++)
    {
      const NwNodeInfo *to = nw_net_node (net, j);
      for (int k = 0; k < to->n_inputs; k++)
        if (to->inputs[k] == i)
          {
            if (to->spec->kind == NW_NODE_LOSS)
              return FALSE;   /* the output: the boundary view shows it */
            consumers++;
            activations += to->spec->kind == NW_NODE_ACTIVATION;
          }
    }
  return consumers > 0 && !(info->spec->kind == NW_NODE_DENSE && consumers == 1 && activations == 1);
}

static gboolean
has_train_behaviour (NwNet *net)
{
  for (int i = 0; i < nw_net_n_nodes (net); i++)
    {
      NwNodeKind kind = nw_net_node (net, i)->spec->kind;
      if (kind == NW_NODE_DROPOUT || kind == NW_NODE_BATCHNORM)
        return TRUE;
    }
  return FALSE;
}

/* One pass of the grid's points through the net in `mode`, in chunks the net has room for:
 * P(class 1) per cell into `grid`, and with `full` (per node, NULL where not wanted) every
 * unit's output, unit-major, at full resolution. */
static void
grid_pass (NwTrainer *t, const float *pts, int cells, NwForwardMode mode, float *grid,
           float **full)
{
  NwNet *net = t->net;
  NwBackend *b = t->backend;
  int w = nw_net_output_width (net), n_nodes = nw_net_n_nodes (net);
  g_autofree float *probs = g_new (float, (gsize) MIN (t->capacity, cells) * w);
  g_autofree float *out = NULL;

  if (full != NULL)
    out = g_new (float, (gsize) MIN (t->capacity, cells) * NW_MAP_MAX_UNITS);
  for (int start = 0; start < cells; start += t->capacity)
    {
      int n = MIN (t->capacity, cells - start);
#ifdef NW_REAL_DOUBLE
      g_autofree nw_real *tmp = g_new (nw_real, (gsize) n * 2);
      for (gsize i = 0; i < (gsize) n * 2; i++)
        tmp[i] = pts[(gsize) start * 2 + i];
      nw_backend_upload (b, nw_net_input (net), 0, tmp, (gsize) n * 2);
#else
      nw_backend_upload (b, nw_net_input (net), 0, pts + (gsize) start * 2, (gsize) n * 2);
#endif
      nw_net_forward_mode (net, n, mode, FALSE);
      nw_net_read_output (net, n, probs);
      /* P(class 1): the single output, or the second of two softmax outputs. */
      for (int r = 0; r < n; r++)
        grid[start + r] = probs[(gsize) r * w + (w > 1 ? 1 : 0)];
      for (int i = 0; full != NULL && i < n_nodes; i++)
        {
          int units = nw_net_node (net, i)->width;
          if (full[i] == NULL)
            continue;
          nw_net_read_node (net, i, n, out);
          for (int r = 0; r < n; r++)
            for (int u = 0; u < units; u++)
              full[i][(gsize) u * cells + start + r] = out[(gsize) r * units + u];
        }
    }
}

/* A node's full-resolution maps averaged down to map_n x map_n, with their range. */
static void
shrink_maps (const float *full, int units, int grid_n, int map_n, NwActivation act,
             gboolean is_activation, NwLayerProbe *p)
{
  int f = grid_n / map_n;
  double m = 0;
  p->maps = g_new (float, (gsize) units * map_n * map_n);
  for (int u = 0; u < units; u++)
    for (int r = 0; r < map_n; r++)
      for (int c = 0; c < map_n; c++)
        {
          double sum = 0;
          float v;
          for (int dr = 0; dr < f; dr++)
            for (int dc = 0; dc < f; dc++)
              sum += full[(gsize) u * grid_n * grid_n + (gsize) (r * f + dr) * grid_n + c * f + dc];
          v = (float) (sum / (f * f));
          p->maps[((gsize) u * map_n + r) * map_n + c] = v;
          if (isfinite (v))
            m = MAX (m, fabs (v));
        }
  /* A bounded activation's maps are drawn on its own range ([0, 1] sigmoid, [-1, 1] tanh). */
  if (is_activation && isfinite (nw_activation_info (act)->out_lo)
      && isfinite (nw_activation_info (act)->out_hi))
    {
      p->map_lo = (float) nw_activation_info (act)->out_lo;
      p->map_hi = (float) nw_activation_info (act)->out_hi;
    }
  else
    {
      p->map_hi = (float) MAX (m, 1e-6);
      p->map_lo = -p->map_hi;
    }
}

/* The decision boundary on a grid_n x grid_n grid in evaluation mode, with the neuron maps
 * from the same pass, and again in training mode when the network behaves differently there.
 * The training-mode pass draws its dropout masks from a stream of its own and normalises with
 * frozen batch statistics (NW_FORWARD_TRAIN_VIEW): the run itself is left exactly as it was,
 * which the dropout counter's check below holds the net to. */
static void
grids (NwTrainer *t, NwSnapshot *snap, int grid_n)
{
  NwNet *net = t->net;
  int n_nodes = nw_net_n_nodes (net), cells = grid_n * grid_n;
  int map_n = grid_n;
  guint64 counter = nw_net_get_dropout_counter (net);
  g_autofree float *pts = g_new (float, 2 * (gsize) cells);
  float **full = g_new0 (float *, n_nodes);
  gboolean any_maps = FALSE;

  while (map_n > NW_MAP_MAX_N)
    map_n /= 2;
  if (grid_n % map_n != 0)
    map_n = grid_n;
  for (int r = 0; r < grid_n; r++)
    for (int c = 0; c < grid_n; c++)
      nw_trainer_grid_point (grid_n, r, c, &pts[2 * ((gsize) r * grid_n + c)],
                             &pts[2 * ((gsize) r * grid_n + c) + 1]);
  for (int i = 0; i < n_nodes; i++)
    if (map_n <= NW_MAP_MAX_N && wants_maps (net, i))
      {
        full[i] = g_new (float, (gsize) nw_net_node (net, i)->width * cells);
        any_maps = TRUE;
      }

  snap->grid_n = grid_n;
  snap->grid = g_new (float, cells);
  grid_pass (t, pts, cells, NW_FORWARD_EVAL, snap->grid, any_maps ? full : NULL);
  for (int i = 0; i < n_nodes; i++)
    if (full[i] != NULL)
      {
        const NwNodeInfo *info = nw_net_node (net, i);
        shrink_maps (full[i], info->width, grid_n, map_n, info->spec->activation,
                     info->spec->kind == NW_NODE_ACTIVATION, &snap->layers[i]);
        g_free (full[i]);
      }
  g_free (full);
  snap->map_n = any_maps ? map_n : 0;

  if (has_train_behaviour (net))
    {
      snap->grid_train = g_new (float, cells);
      grid_pass (t, pts, cells, NW_FORWARD_TRAIN_VIEW, snap->grid_train, NULL);
    }
  g_warn_if_fail (nw_net_get_dropout_counter (net) == counter);
}

NwSnapshot *
nw_trainer_snapshot (NwTrainer *t, guint test, int grid_n, GError **error)
{
  g_autoptr (NwSnapshot) snap = g_new0 (NwSnapshot, 1);

  nw_trainer_fold_metrics (t, t->pending);
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
  if ((test & (NW_SNAPSHOT_TEST | NW_SNAPSHOT_TEST_OUTPUTS)) != 0 && t->data->test.n > 0)
    {
      if ((test & NW_SNAPSHOT_TEST_OUTPUTS) != 0)
        {
          snap->test_n = t->data->test.n;
          snap->test_width = nw_net_output_width (t->net);
          snap->test_outputs = g_new (float, (gsize) snap->test_n * snap->test_width);
        }
      if (!nw_trainer_evaluate_outputs (t, TRUE, &snap->test_loss, &snap->test_acc,
                                        snap->test_outputs, error))
        return NULL;
    }
  if (grid_n > 0 && t->data->train.d == 2)
    grids (t, snap, grid_n);
  if (!nw_backend_take_error (t->backend, error))
    return NULL;
  return g_steal_pointer (&snap);
}

const char *
nw_snapshot_zero_gradient_layer (const NwSnapshot *snap)
{
  gboolean dense_before = FALSE;

  g_return_val_if_fail (snap != NULL, NULL);
  for (int i = 0; i < snap->n_layers; i++)
    {
      const NwLayerProbe *p = &snap->layers[i];
      if (p->kind == NW_NODE_DENSE)
        dense_before = TRUE;
      else if (dense_before && p->kind == NW_NODE_ACTIVATION
               && nw_activation_gradient_is_zero (p->activation))
        return p->id;
    }
  return NULL;
}

void
nw_snapshot_free (NwSnapshot *snap)
{
  if (snap == NULL)
    return;
  for (int i = 0; snap->layers != NULL && i < snap->n_layers; i++)
    {
      g_free (snap->layers[i].id);
      g_free (snap->layers[i].maps);
    }
  g_free (snap->layers);
  g_free (snap->grid);
  g_free (snap->grid_train);
  g_free (snap->test_outputs);
  g_free (snap);
}
