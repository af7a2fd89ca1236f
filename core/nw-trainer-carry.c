/* nw-trainer-carry.c: moving a run from one backend to another between two steps (the
 * desktop program starts on the CPU and moves to the device it chose in the background). */
#include "nw-trainer-private.h"
#include "nw-i18n.h"
#include "nw-net-private.h"

#include <string.h>

/* The two trainers train the same network on the same data: node for node the same ids,
 * kinds, widths and activations, the same parameter layout, and the same rows. */
static gboolean
same_run (NwTrainer *a, NwTrainer *b, GError **error)
{
  NwNet *na = a->net, *nb = b->net;
  const NwSplit *da = &a->data->train, *db = &b->data->train;

  if (na->n_nodes != nb->n_nodes || na->n_params != nb->n_params || na->n_state != nb->n_state)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC,
                   _("cannot carry the run over: the networks differ (%d against %d nodes, "
                     "%zu against %zu parameters)"),
                   na->n_nodes, nb->n_nodes, na->n_params, nb->n_params);
      return FALSE;
    }
  for (int i = 0; i < na->n_nodes; i++)
    {
      const NwNodeInfo *x = &na->nodes[i].info, *y = &nb->nodes[i].info;
      if (g_strcmp0 (x->spec->id, y->spec->id) != 0 || x->spec->kind != y->spec->kind
          || x->width != y->width || x->spec->activation != y->spec->activation)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_SPEC,
                       _("cannot carry the run over: node %d is '%s' in one network and '%s' in "
                         "the other"), i, x->spec->id, y->spec->id);
          return FALSE;
        }
    }
  if (da->n != db->n || da->d != db->d || a->target_width != b->target_width
      || a->data->test.n != b->data->test.n
      || memcmp (da->x, db->x, sizeof (float) * (gsize) da->n * da->d) != 0
      || memcmp (da->y, db->y, sizeof (float) * (gsize) da->n * da->k) != 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC,
                   _("cannot carry the run over: data '%s' and '%s' differ"), a->data->name,
                   b->data->name);
      return FALSE;
    }
  return TRUE;
}

/* n reals of `from` (on its backend) into `to` (on the other's). */
static void
carry_buffer (NwBackend *fb, NwBuffer *from, NwBackend *tb, NwBuffer *to, gsize n)
{
  g_autofree nw_real *host = NULL;
  if (from == NULL || to == NULL || n == 0)
    return;
  host = g_new (nw_real, n);
  nw_backend_download (fb, from, 0, host, n);
  nw_backend_upload (tb, to, 0, host, n);
}

static void
carry_net (NwNet *from, NwNet *to)
{
  NwBackend *fb = from->backend, *tb = to->backend;
  int rows = MIN (from->capacity, to->capacity);

  carry_buffer (fb, from->params, tb, to->params, from->n_params);
  carry_buffer (fb, from->s1, tb, to->s1, from->n_params);
  carry_buffer (fb, from->s2, tb, to->s2, from->n_params);
  carry_buffer (fb, from->state, tb, to->state, from->n_state);
  to->updates = from->updates;
  to->opt_kind = from->opt_kind;
  to->dropout_seed = from->dropout_seed;
  to->dropout_counter = from->dropout_counter;
  to->view_counter = from->view_counter;
  to->last_rows = MIN (from->last_rows, rows);
  to->last_mode = from->last_mode;
  for (int i = 0; i < from->n_nodes; i++)
    {
      NwNode *f = &from->nodes[i], *t = &to->nodes[i];
      gsize n = (gsize) rows * f->info.width;
      NwNodeSpec *ts = (NwNodeSpec *) t->info.spec;   /* the net's own copy */
      ts->enabled = f->info.spec->enabled;
      t->batches_tracked = f->batches_tracked;
      if (f->info.spec->kind == NW_NODE_BATCHNORM)
        {
          carry_buffer (fb, f->mean, tb, t->mean, f->info.width);
          carry_buffer (fb, f->invstd, tb, t->invstd, f->info.width);
        }
      /* What the last pass left behind: the next snapshot's probes read it. */
      carry_buffer (fb, f->y, tb, t->y, n);
      carry_buffer (fb, f->dy, tb, t->dy, n);
      carry_buffer (fb, f->mask, tb, t->mask, n);
    }
  carry_buffer (fb, from->grads, tb, to->grads, from->n_params);
}

gboolean
nw_trainer_take_over (NwTrainer *running, NwTrainer *fresh, GError **error)
{
  NwTrainer tmp;
  int n;

  g_return_val_if_fail (running != NULL && fresh != NULL && running != fresh, FALSE);
  if (!same_run (running, fresh, error))
    return FALSE;
  /* Metrics the device holds are folded into the host's before it changes. */
  nw_trainer_fold_metrics (running, running->pending);
  nw_trainer_set_hyper (fresh, &running->spec->train);
  fresh->spec->train.seed = running->spec->train.seed;
  carry_net (running->net, fresh->net);

  n = running->data->train.n;
  fresh->step = running->step;
  fresh->epoch = running->epoch;
  fresh->pos = running->pos;
  fresh->shuffle_rng = running->shuffle_rng;
  memcpy (fresh->perm_host, running->perm_host, sizeof (gint32) * n);
  fresh->backend->ops->write (fresh->backend, fresh->perm, 0, fresh->perm_host, sizeof (gint32) * n);
  memcpy (fresh->pending, running->pending, sizeof fresh->pending);
  fresh->first_loss = running->first_loss;
  fresh->last_good_loss = running->last_good_loss;
  fresh->last_good_step = running->last_good_step;
  fresh->ratio_pending = running->ratio_pending;
  memcpy (fresh->ratios, running->ratios, sizeof (double) * nw_net_n_nodes (running->net));
  if (!nw_backend_take_error (running->backend, error)
      || !nw_backend_take_error (fresh->backend, error))
    {
      g_prefix_error (error, _("cannot carry the run over: "));
      return FALSE;
    }
  /* The owner's pointer goes on with the run, now on the new backend. */
  tmp = *running;
  *running = *fresh;
  *fresh = tmp;
  return TRUE;
}
