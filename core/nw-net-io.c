/* nw-net-io.c: a network's weights as a PyTorch state_dict in safetensors.
 *
 * A chain is named like the equivalent nn.Sequential (Linear "i.weight" [out, in], "i.bias";
 * BatchNorm1d adds "i.running_mean", "i.running_var", "i.num_batches_tracked"; LayerNorm
 * "i.weight", "i.bias"), so `model.load_state_dict(load_file(path))` works in PyTorch and a
 * PyTorch model's saved state loads here. Other graphs use the node id as the prefix. */
#include "nw-net-private.h"
#include "nw-i18n.h"

#include <math.h>
#include <string.h>

typedef enum { T_WEIGHT, T_BIAS, T_RUNNING_MEAN, T_RUNNING_VAR, T_BATCHES, N_TENSOR_ROLES } Role;
static const char *const role_names[N_TENSOR_ROLES] = {
  "weight", "bias", "running_mean", "running_var", "num_batches_tracked",
};

typedef struct {
  char    *name;
  int      node;
  Role     role;
  int      rank;
  gint64   shape[2];
  gsize    n;
} Slot;

static void
slot_clear (Slot *slot)
{
  g_free (slot->name);
}

/* Every tensor the state dict has, in PyTorch's order. */
static GArray *
list_slots (NwNet *net)
{
  GArray *slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  g_array_set_clear_func (slots, (GDestroyNotify) slot_clear);
  for (int i = 0; i < net->n_nodes; i++)
    {
      const NwNode *node = &net->nodes[i];
      const NwNodeInfo *info = &node->info;
      g_autofree char *prefix = info->seq_index >= 0 ? g_strdup_printf ("%d", info->seq_index)
                                                    : g_strdup (info->spec->id);
      for (int r = 0; r < N_TENSOR_ROLES; r++)
        {
          Slot slot = { NULL, i, (Role) r, 1, { info->width, 0 }, (gsize) info->width };
          gboolean dense = info->spec->kind == NW_NODE_DENSE;
          gboolean bn = info->spec->kind == NW_NODE_BATCHNORM;
          if ((r == T_WEIGHT && info->w_n == 0) || (r == T_BIAS && info->b_n == 0) ||
              (r >= T_RUNNING_MEAN && !bn))
            continue;
          if (r == T_WEIGHT && dense)
            {
              slot.rank = 2;
              slot.shape[1] = info->in_width;
              slot.n = info->w_n;
            }
          if (r == T_BATCHES)
            {
              slot.rank = 0;
              slot.n = 1;
            }
          slot.name = g_strdup_printf ("%s.%s", prefix, role_names[r]);
          g_array_append_val (slots, slot);
        }
    }
  return slots;
}

/* Where a slot's values live: (buffer, offset), or NULL for the host-side batch counter. */
static NwBuffer *
slot_location (NwNet *net, const Slot *slot, gsize *off)
{
  const NwNodeInfo *info = &net->nodes[slot->node].info;
  switch (slot->role)
    {
    case T_WEIGHT: *off = info->w_off; return net->params;
    case T_BIAS: *off = info->b_off; return net->params;
    case T_RUNNING_MEAN: *off = info->rs_off; return net->state;
    case T_RUNNING_VAR: *off = info->rs_off + info->width; return net->state;
    case T_BATCHES:
    case N_TENSOR_ROLES:
    default:
      *off = 0;
      return NULL;
    }
}

static float *
download_all (NwNet *net, NwBuffer *buf, gsize n)
{
  g_autofree nw_real *tmp = g_new (nw_real, MAX (n, 1));
  float *out = g_new (float, MAX (n, 1));
  nw_backend_download (net->backend, buf, 0, tmp, n);
  for (gsize i = 0; i < n; i++)
    out[i] = (float) tmp[i];
  return out;
}

NwTensorFile *
nw_net_state_dict (NwNet *net)
{
  g_autoptr (GArray) slots = list_slots (net);
  g_autofree float *params = download_all (net, net->params, net->n_params);
  g_autofree float *state = download_all (net, net->state, net->n_state);
  NwTensorFile *tf = nw_tensor_file_new ();

  for (guint k = 0; k < slots->len; k++)
    {
      const Slot *slot = &g_array_index (slots, Slot, k);
      gsize off;
      NwBuffer *buf = slot_location (net, slot, &off);
      if (buf == NULL)
        {
          float batches = (float) net->nodes[slot->node].batches_tracked;
          nw_tensor_file_add (tf, slot->name, NW_DTYPE_I64, 0, slot->shape, &batches);
        }
      else
        nw_tensor_file_add (tf, slot->name, NW_DTYPE_F32, slot->rank, slot->shape,
                            (buf == net->params ? params : state) + off);
    }
  g_hash_table_insert (tf->metadata, g_strdup ("neurowire.spec"), nw_spec_to_json (net->spec));
  return tf;
}

static char *
shape_string (int rank, const gint64 *shape)
{
  GString *s = g_string_new ("[");
  for (int i = 0; i < rank; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

gboolean
nw_net_load_state_dict (NwNet *net, const NwTensorFile *tf, const char *file_name, GError **error)
{
  g_autoptr (GArray) slots = list_slots (net);
  g_autofree float *params = download_all (net, net->params, net->n_params);
  g_autofree float *state = download_all (net, net->state, net->n_state);
  g_autofree gint64 *batches = g_new0 (gint64, net->n_nodes);
  const char *fname = file_name != NULL ? file_name : "weights";
  guint matched = 0;

  for (int i = 0; i < net->n_nodes; i++)
    batches[i] = net->nodes[i].batches_tracked;

  /* Check everything first, then change anything: a bad file leaves the model as it was. */
  for (guint k = 0; k < slots->len; k++)
    {
      const Slot *slot = &g_array_index (slots, Slot, k);
      const NwTensor *t = nw_tensor_file_get (tf, slot->name);
      gboolean same = TRUE;
      gsize off;
      NwBuffer *buf;

      if (t == NULL)
        {
          if (slot->role == T_BATCHES)
            continue;   /* optional: older PyTorch files and hand-made ones lack it */
          g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                       _("%s: tensor '%s' is missing (node '%s' needs it)"), fname, slot->name,
                       net->nodes[slot->node].info.spec->id);
          return FALSE;
        }
      matched++;
      if (t->rank != slot->rank)
        same = FALSE;
      for (int d = 0; d < slot->rank && same; d++)
        same = t->shape[d] == slot->shape[d];
      if (!same)
        {
          g_autofree char *want = shape_string (slot->rank, slot->shape);
          g_autofree char *got = shape_string (t->rank, t->shape);
          g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                       _("%s: tensor '%s' has shape %s, but node '%s' needs %s"), fname, slot->name,
                       got, net->nodes[slot->node].info.spec->id, want);
          return FALSE;
        }
      buf = slot_location (net, slot, &off);
      if (buf == NULL)
        batches[slot->node] = (gint64) t->f32[0];
      else
        memcpy ((buf == net->params ? params : state) + off, t->f32, slot->n * sizeof (float));
    }
  if (matched < tf->tensors->len)
    for (guint k = 0; k < tf->tensors->len; k++)
      {
        const NwTensor *t = g_ptr_array_index (tf->tensors, k);
        gboolean known = FALSE;
        for (guint j = 0; j < slots->len && !known; j++)
          known = g_strcmp0 (g_array_index (slots, Slot, j).name, t->name) == 0;
        if (!known)
          {
            g_set_error (error, NW_ERROR, NW_ERROR_SHAPE,
                         _("%s: unexpected tensor '%s' (this network has no such parameter)"), fname,
                         t->name);
            return FALSE;
          }
      }

  {
    g_autofree nw_real *p = g_new (nw_real, MAX (net->n_params, 1));
    g_autofree nw_real *s = g_new (nw_real, MAX (net->n_state, 1));
    for (gsize i = 0; i < net->n_params; i++)
      p[i] = params[i];
    for (gsize i = 0; i < net->n_state; i++)
      s[i] = state[i];
    nw_backend_upload (net->backend, net->params, 0, p, net->n_params);
    nw_backend_upload (net->backend, net->state, 0, s, net->n_state);
  }
  for (int i = 0; i < net->n_nodes; i++)
    net->nodes[i].batches_tracked = batches[i];
  return nw_backend_take_error (net->backend, error);
}

gboolean
nw_net_set_node_param (NwNet *net, const char *node_id, const char *which, const float *values,
                       int rows, int cols, GError **error)
{
  const NwNodeInfo *info;
  gboolean bias;
  gsize off, n;
  int want_rows, want_cols, i;
  g_autofree nw_real *p = NULL;

  g_return_val_if_fail (net != NULL && node_id != NULL && which != NULL, FALSE);
  g_return_val_if_fail (values != NULL || rows * cols == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((i = nw_net_find_node (net, node_id)) < 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC, _("the network has no node '%s'"), node_id);
      return FALSE;
    }
  info = &net->nodes[i].info;
  bias = strcmp (which, "bias") == 0;
  if (!bias && strcmp (which, "weight") != 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC, _("node '%s': no parameter '%s' (weight or bias)"),
                   node_id, which);
      return FALSE;
    }
  n = bias ? info->b_n : info->w_n;
  if (n == 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SHAPE, _("node '%s' has no %s"), node_id, which);
      return FALSE;
    }
  off = bias ? info->b_off : info->w_off;
  want_rows = info->width;
  want_cols = bias || info->spec->kind != NW_NODE_DENSE ? 1 : info->in_width;
  if (rows != want_rows || cols != want_cols)
    {
      /* Translators: node id, "weight" or "bias", its shape, the shape given ("[2, 2]") */
      g_set_error (error, NW_ERROR, NW_ERROR_SHAPE, _("node '%s': its %s is [%d, %d], the values given are [%d, %d]"),
                   node_id, which, want_rows, want_cols, rows, cols);
      return FALSE;
    }
  p = g_new (nw_real, n);
  for (gsize k = 0; k < n; k++)
    {
      if (!isfinite (values[k]))
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE, _("node '%s': %s value %d is not finite"),
                       node_id, which, (int) k + 1);
          return FALSE;
        }
      p[k] = values[k];
    }
  nw_backend_upload (net->backend, net->params, off, p, n);
  return nw_backend_take_error (net->backend, error);
}

gboolean
nw_net_save_weights (NwNet *net, const char *path, GError **error)
{
  g_autoptr (NwTensorFile) tf = nw_net_state_dict (net);
  if (!nw_backend_take_error (net->backend, error))
    return FALSE;
  return nw_safetensors_save (tf, path, error);
}

gboolean
nw_net_load_weights (NwNet *net, const char *path, GError **error)
{
  g_autoptr (NwTensorFile) tf = nw_safetensors_load (path, error);
  if (tf == NULL)
    return FALSE;
  /* The path as given, not its base name: "model.safetensors" alone does not say which of
   * a student's folders holds the file that lacks a tensor. */
  return nw_net_load_state_dict (net, tf, path, error);
}
