/* nw-trainer-snapshot.c: what a snapshot shows of a run: metrics since the previous one,
 * probes of every node from the last step's buffers, the test split and the decision grid.
 * Split from nw-trainer.c so the step path and the views' probes can change apart. */
#include "nw-trainer-private.h"

#include <math.h>
#include <string.h>

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
