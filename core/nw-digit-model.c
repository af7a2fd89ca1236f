/* nw-digit-model.c: a 784 -> 10 classifier on its own CPU backend, for reading drawn digits. */
#include "nw-digit-model.h"
#include "nw-i18n.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#define EVAL_BATCH 256

typedef struct {
  int   node;
  int   width;
  char *name;
} Hidden;

struct _NwDigitModel {
  NwSpec     *spec;
  NwBackend  *backend;
  NwNet      *net;
  int         rows;          /* rows reserved in the net */
  GArray     *hidden;        /* of Hidden */
  int         hidden_total;
};

static void
hidden_clear (Hidden *h)
{
  g_free (h->name);
}

void
nw_digit_model_free (NwDigitModel *model)
{
  if (model == NULL)
    return;
  g_clear_pointer (&model->net, nw_net_free);
  g_clear_pointer (&model->backend, nw_backend_free);
  g_clear_pointer (&model->spec, nw_spec_free);
  g_clear_pointer (&model->hidden, g_array_unref);
  g_free (model);
}

/* Does node i feed the loss directly? */
static gboolean
feeds_loss (NwNet *net, int i)
{
  int last = nw_net_n_nodes (net) - 1;
  const NwNodeInfo *loss = nw_net_node (net, last);
  for (int k = 0; k < loss->n_inputs; k++)
    if (loss->inputs[k] == i)
      return TRUE;
  return FALSE;
}

static void
find_hidden (NwDigitModel *model)
{
  NwNet *net = model->net;
  for (int pass = 0; pass < 2 && model->hidden->len == 0; pass++)
    for (int i = 0; i < nw_net_n_nodes (net); i++)
      {
        const NwNodeInfo *info = nw_net_node (net, i);
        NwNodeKind want = pass == 0 ? NW_NODE_ACTIVATION : NW_NODE_DENSE;
        Hidden h;
        if (info->spec->kind != want || feeds_loss (net, i))
          continue;
        h.node = i;
        h.width = info->width;
        h.name = want == NW_NODE_ACTIVATION
                 ? g_strdup_printf ("%s (%s)", info->spec->id,
                                    nw_activation_name (info->spec->activation))
                 : g_strdup (info->spec->id);
        model->hidden_total += h.width;
        g_array_append_val (model->hidden, h);
      }
}

/* A network for `spec` on a fresh CPU backend, checked to be 784 -> 10. */
static NwDigitModel *
model_build (const NwSpec *spec, GError **error)
{
  g_autoptr (GError) local = NULL;
  NwDigitModel *model = g_new0 (NwDigitModel, 1);

  model->hidden = g_array_new (FALSE, TRUE, sizeof (Hidden));
  g_array_set_clear_func (model->hidden, (GDestroyNotify) hidden_clear);
  model->spec = nw_spec_copy (spec);
  model->backend = nw_backend_cpu_new ();
  model->net = nw_net_new (model->spec, NW_DIGIT_MODEL_INPUTS, NW_DIGIT_MODEL_CLASSES,
                           NW_DIGIT_MODEL_CLASSES, model->backend, &local);
  if (model->net == NULL)
    {
      if (spec->name != NULL && spec->name[0] != '\0')
        g_set_error (error, NW_ERROR, local->code,
                     _("network '%s' does not fit digits (784 inputs, 10 classes): %s"),
                     spec->name, local->message);
      else
        g_set_error (error, NW_ERROR, local->code,
                     _("the network does not fit digits (784 inputs, 10 classes): %s"),
                     local->message);
      nw_digit_model_free (model);
      return NULL;
    }
  if (nw_net_output_width (model->net) != NW_DIGIT_MODEL_CLASSES)
    {
      const NwNodeInfo *loss = nw_net_node (model->net, nw_net_n_nodes (model->net) - 1);
      g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                   _("model: node '%s' gives %d outputs, digits need %d"),
                   nw_net_node (model->net, loss->inputs[0])->spec->id,
                   nw_net_output_width (model->net), NW_DIGIT_MODEL_CLASSES);
      nw_digit_model_free (model);
      return NULL;
    }
  find_hidden (model);
  model->rows = 1;
  if (!nw_net_reserve (model->net, 1, error))
    {
      nw_digit_model_free (model);
      return NULL;
    }
  /* nw_net_new initialised the parameters from the spec's seed already. */
  return model;
}

/* The first Dense node reading the input, or NULL. */
static const NwNodeInfo *
first_dense (NwNet *net)
{
  for (int i = 0; i < nw_net_n_nodes (net); i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      if (info->spec->kind == NW_NODE_DENSE && info->in_width == NW_DIGIT_MODEL_INPUTS)
        return info;
    }
  return NULL;
}

NwDigitModel *
nw_digit_model_new (const NwSpec *spec, const float *params, gsize n_params, GError **error)
{
  NwDigitModel *model;
  gsize want;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (params != NULL || n_params == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = model_build (spec, error);
  if (model == NULL)
    return NULL;
  want = nw_net_n_params (model->net);
  if (n_params != want)
    {
      const NwNodeInfo *d = first_dense (model->net);
      /* Most often the parameters belong to a network for other inputs: say so, with the
       * first layer's name and the input width the count implies. */
      if (d != NULL && d->width > 0 && n_params < want && (want - n_params) % (gsize) d->width == 0
          && (want - n_params) / (gsize) d->width < NW_DIGIT_MODEL_INPUTS)
        g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                     _("model: %zu parameters given, the network needs %zu; node '%s' needs "
                       "%dx%d weights for 784-pixel digits, and these parameters fit %d inputs"),
                     n_params, want, d->spec->id, d->width, d->in_width,
                     NW_DIGIT_MODEL_INPUTS - (int) ((want - n_params) / (gsize) d->width));
      else
        g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                     _("model: %zu parameters given, the network needs %zu"), n_params, want);
      nw_digit_model_free (model);
      return NULL;
    }
  for (gsize i = 0; i < n_params; i++)
    if (!isfinite (params[i]))
      {
        g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                     _("model: parameter %zu is not a finite number"), i);
        nw_digit_model_free (model);
        return NULL;
      }
  nw_net_set_params (model->net, params);
  if (!nw_backend_take_error (model->backend, error))
    {
      nw_digit_model_free (model);
      return NULL;
    }
  return model;
}

NwDigitModel *
nw_digit_model_new_from_state (const NwSpec *spec, const NwTensorFile *state, const char *what,
                               GError **error)
{
  NwDigitModel *model;
  g_return_val_if_fail (spec != NULL && state != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  model = model_build (spec, error);
  if (model == NULL)
    return NULL;
  if (!nw_net_load_state_dict (model->net, state, what, error))
    {
      nw_digit_model_free (model);
      return NULL;
    }
  return model;
}

/* What a node computes at evaluation: everything but where the editor draws it and how its
 * parameters were first initialised (a state dict replaces them). */
static gboolean
same_node (const NwNodeSpec *a, const NwNodeSpec *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && a->kind == b->kind && a->units == b->units
         && a->bias == b->bias && a->activation == b->activation && a->alpha == b->alpha
         && a->p == b->p && a->enabled == b->enabled && a->momentum == b->momentum
         && a->eps == b->eps && a->affine == b->affine && a->loss == b->loss;
}

gboolean
nw_digit_model_same_network (NwDigitModel *model, const NwSpec *spec)
{
  const NwSpec *own;
  g_return_val_if_fail (model != NULL && spec != NULL, FALSE);
  own = model->spec;
  if (own->nodes->len != spec->nodes->len || own->edges->len != spec->edges->len)
    return FALSE;
  for (guint i = 0; i < own->nodes->len; i++)
    if (!same_node (g_ptr_array_index (own->nodes, i), g_ptr_array_index (spec->nodes, i)))
      return FALSE;
  for (guint i = 0; i < own->edges->len; i++)
    {
      const NwEdgeSpec *a = g_ptr_array_index (own->edges, i), *b = g_ptr_array_index (spec->edges, i);
      if (g_strcmp0 (a->from, b->from) != 0 || g_strcmp0 (a->to, b->to) != 0 || a->port != b->port)
        return FALSE;
    }
  return TRUE;
}

gboolean
nw_digit_model_load_state (NwDigitModel *model, const NwTensorFile *state, const char *what,
                           GError **error)
{
  g_return_val_if_fail (model != NULL && state != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  /* nw_net_load_state_dict checks every tensor before it changes any. */
  return nw_net_load_state_dict (model->net, state, what, error)
         && nw_backend_take_error (model->backend, error);
}

NwDigitModel *
nw_digit_model_load (const char *spec_path, const char *weights_path, GError **error)
{
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (NwTensorFile) tf = NULL;
  g_autofree char *base = NULL;
  g_autoptr (GError) local = NULL;
  NwDigitModel *model;

  g_return_val_if_fail (spec_path != NULL && weights_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  spec = nw_spec_load (spec_path, error);
  if (spec == NULL)
    return NULL;
  tf = nw_safetensors_load (weights_path, error);
  if (tf == NULL)
    return NULL;
  base = g_path_get_basename (weights_path);
  model = nw_digit_model_new_from_state (spec, tf, base, &local);
  if (model == NULL)
    {
      /* Say which spec the weights were checked against. */
      g_autofree char *spec_base = g_path_get_basename (spec_path);
      g_set_error (error, local->domain, local->code, _("%s (with network %s)"), local->message,
                   spec_base);
    }
  return model;
}

NwDigitModel *
nw_digit_model_copy (NwDigitModel *model, GError **error)
{
  g_autoptr (NwTensorFile) tf = NULL;
  g_return_val_if_fail (model != NULL, NULL);
  tf = nw_net_state_dict (model->net);
  if (!nw_backend_take_error (model->backend, error))
    return NULL;
  return nw_digit_model_new_from_state (model->spec, tf, "copy", error);
}

const NwSpec *
nw_digit_model_get_spec (NwDigitModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->spec;
}

NwNet *
nw_digit_model_get_net (NwDigitModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->net;
}

int
nw_digit_model_n_hidden (NwDigitModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return (int) model->hidden->len;
}

const char *
nw_digit_model_hidden_name (NwDigitModel *model, int i)
{
  g_return_val_if_fail (model != NULL && i >= 0 && i < (int) model->hidden->len, NULL);
  return g_array_index (model->hidden, Hidden, i).name;
}

int
nw_digit_model_hidden_width (NwDigitModel *model, int i)
{
  g_return_val_if_fail (model != NULL && i >= 0 && i < (int) model->hidden->len, 0);
  return g_array_index (model->hidden, Hidden, i).width;
}

int
nw_digit_model_hidden_total (NwDigitModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->hidden_total;
}

static void
upload_rows (NwDigitModel *model, const float *x, int rows)
{
  gsize n = (gsize) rows * NW_DIGIT_MODEL_INPUTS;
#ifdef NW_REAL_DOUBLE
  g_autofree nw_real *tmp = g_new (nw_real, n);
  for (gsize i = 0; i < n; i++)
    tmp[i] = x[i];
  nw_backend_upload (model->backend, nw_net_input (model->net), 0, tmp, n);
#else
  nw_backend_upload (model->backend, nw_net_input (model->net), 0, x, n);
#endif
}

gboolean
nw_digit_model_predict (NwDigitModel *model, const float *image, float *probs, float *hidden,
                        GError **error)
{
  g_return_val_if_fail (model != NULL && image != NULL && probs != NULL, FALSE);
  upload_rows (model, image, 1);
  nw_net_forward (model->net, 1, FALSE, FALSE);
  nw_net_read_output (model->net, 1, probs);
  if (hidden != NULL)
    for (guint i = 0, off = 0; i < model->hidden->len; i++)
      {
        const Hidden *h = &g_array_index (model->hidden, Hidden, i);
        nw_net_read_node (model->net, h->node, 1, hidden + off);
        off += (guint) h->width;
      }
  return nw_backend_take_error (model->backend, error);
}

void
nw_digit_evaluation_free (NwDigitEvaluation *eval)
{
  if (eval == NULL)
    return;
  g_clear_pointer (&eval->mistakes, g_array_unref);
  g_free (eval);
}

static int
by_confidence (gconstpointer a, gconstpointer b)
{
  const NwDigitMistake *x = a, *y = b;
  float px = x->probs[x->predicted], py = y->probs[y->predicted];
  if (px != py)
    return px > py ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static NwDigitEvaluation *
evaluation_new (void)
{
  NwDigitEvaluation *eval = g_new0 (NwDigitEvaluation, 1);
  eval->mistakes = g_array_new (FALSE, FALSE, sizeof (NwDigitMistake));
  return eval;
}

/* Counts rows first..first+rows-1 (outputs `out`, rows x 10) into `eval`. */
static void
evaluation_add (NwDigitEvaluation *eval, const float *out, const guint8 *labels, int first,
                int rows)
{
  for (int r = 0; r < rows; r++)
    {
      const float *p = out + (gsize) r * NW_DIGIT_MODEL_CLASSES;
      guint8 truth = labels[first + r], guess = 0;
      for (int c = 1; c < NW_DIGIT_MODEL_CLASSES; c++)
        if (p[c] > p[guess])
          guess = (guint8) c;
      if (truth >= NW_DIGIT_MODEL_CLASSES)
        continue;
      eval->n++;
      eval->counts[truth * NW_DIGIT_MODEL_CLASSES + guess]++;
      if (guess == truth)
        eval->correct++;
      else
        {
          NwDigitMistake m = { (guint) (first + r), truth, guess, { 0 } };
          memcpy (m.probs, p, sizeof m.probs);
          g_array_append_val (eval->mistakes, m);
          eval->n_mistakes++;
        }
    }
}

static NwDigitEvaluation *
evaluation_finish (NwDigitEvaluation *eval, guint max_mistakes)
{
  g_array_sort (eval->mistakes, by_confidence);
  if (eval->mistakes->len > max_mistakes)
    g_array_set_size (eval->mistakes, max_mistakes);
  return eval;
}

NwDigitEvaluation *
nw_digit_evaluation_new_from_outputs (const float *outputs, const guint8 *labels, int n,
                                      guint max_mistakes)
{
  NwDigitEvaluation *eval;
  g_return_val_if_fail ((outputs != NULL && labels != NULL) || n == 0, NULL);
  eval = evaluation_new ();
  evaluation_add (eval, outputs, labels, 0, MAX (n, 0));
  return evaluation_finish (eval, max_mistakes);
}

NwDigitEvaluation *
nw_digit_model_evaluate (NwDigitModel *model, const NwSplit *split, guint max_mistakes,
                         GCancellable *cancellable, GError **error)
{
  g_autoptr (NwDigitEvaluation) eval = NULL;
  g_autofree float *out = NULL;
  int batch;

  g_return_val_if_fail (model != NULL && split != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (split->d != NW_DIGIT_MODEL_INPUTS || split->labels == NULL)
    {
      if (split->labels == NULL)
        g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                     _("test data: %d features per row and no labels; digits need 784 and labels"),
                     split->d);
      else
        g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                     _("test data: %d features per row; digits need 784 and labels"), split->d);
      return NULL;
    }
  batch = MIN (EVAL_BATCH, MAX (split->n, 1));
  if (batch > model->rows)
    {
      if (!nw_net_reserve (model->net, batch, error))
        return NULL;
      model->rows = batch;
    }
  eval = evaluation_new ();
  out = g_new (float, (gsize) batch * NW_DIGIT_MODEL_CLASSES);

  for (int start = 0; start < split->n; start += batch)
    {
      int rows = MIN (batch, split->n - start);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      upload_rows (model, split->x + (gsize) start * NW_DIGIT_MODEL_INPUTS, rows);
      nw_net_forward (model->net, rows, FALSE, FALSE);
      nw_net_read_output (model->net, rows, out);
      if (!nw_backend_take_error (model->backend, error))
        return NULL;
      evaluation_add (eval, out, split->labels, start, rows);
    }
  return evaluation_finish (g_steal_pointer (&eval), max_mistakes);
}
