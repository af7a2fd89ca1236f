/* nw-spec.c: building, copying and editing an NwSpec; the chain shorthand used by tests.
 *
 * JSON lives in nw-spec-json.c and graph validation in nw-spec-validate.c. */
#include "nw-spec.h"
#include "nw-i18n.h"
#include "nw-activation.h"
#include "nw-node-kind.h"

#include <math.h>
#include <string.h>


static void
node_spec_free (gpointer data)
{
  NwNodeSpec *node = data;
  if (node == NULL)
    return;
  g_free (node->id);
  g_free (node);
}

static void
edge_spec_free (gpointer data)
{
  NwEdgeSpec *edge = data;
  if (edge == NULL)
    return;
  g_free (edge->from);
  g_free (edge->to);
  g_free (edge);
}

NwSpec *
nw_spec_new (void)
{
  NwSpec *spec = g_new0 (NwSpec, 1);

  spec->nodes = g_ptr_array_new_with_free_func (node_spec_free);
  spec->edges = g_ptr_array_new_with_free_func (edge_spec_free);

  spec->data.kind = NW_DATA_XOR;
  spec->data.n = 200;
  spec->data.noise = 0.1;
  spec->data.test_ratio = 0.2;
  spec->data.seed = 1;
  spec->data.path = NULL;
  spec->data.train_limit = 0;

  spec->train.optimizer = NW_OPT_SGD;
  spec->train.lr = 0.1;
  spec->train.momentum = 0.0;
  spec->train.beta1 = 0.9;
  spec->train.beta2 = 0.999;
  spec->train.eps = 1e-8;
  spec->train.rho = 0.99;
  spec->train.weight_decay = 0.0;
  spec->train.l1 = 0.0;
  spec->train.l2 = 0.0;
  spec->train.batch_size = 0;
  spec->train.steps = 1000;
  spec->train.epochs = 0;
  spec->train.seed = 1;
  spec->train.log_every = 100;
  return spec;
}

void
nw_spec_free (NwSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->name);
  g_free (spec->description);
  g_ptr_array_unref (spec->nodes);
  g_ptr_array_unref (spec->edges);
  g_free (spec->data.path);
  g_free (spec);
}

NwSpec *
nw_spec_copy (const NwSpec *spec)
{
  NwSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = nw_spec_new ();
  copy->name = g_strdup (spec->name);
  copy->description = g_strdup (spec->description);
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      NwNodeSpec *dup = g_memdup2 (node, sizeof *node);
      dup->id = g_strdup (node->id);
      g_ptr_array_add (copy->nodes, dup);
    }
  for (guint i = 0; i < spec->edges->len; i++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, i);
      nw_spec_add_edge (copy, edge->from, edge->to, edge->port);
    }
  copy->data = spec->data;
  copy->data.path = g_strdup (spec->data.path);
  copy->train = spec->train;
  return copy;
}

NwNodeSpec *
nw_node_spec_new (NwNodeKind kind, const char *id)
{
  NwNodeSpec *node = g_new0 (NwNodeSpec, 1);

  node->id = g_strdup (id != NULL ? id : nw_node_kind_name (kind));
  node->kind = kind;
  node->units = 0;
  node->bias = TRUE;
  node->weight_init = NW_INIT_TORCH_DEFAULT;
  node->weight_init_param = 0.0;
  node->bias_init = NW_INIT_TORCH_DEFAULT;
  node->bias_init_param = 0.0;
  node->activation = NW_ACT_RELU;
  node->alpha = nw_activation_default_alpha (node->activation);
  node->p = 0.5;
  node->enabled = TRUE;
  node->momentum = 0.1;
  node->eps = 1e-5;
  node->affine = TRUE;
  node->loss = NW_LOSS_BCE;
  node->x = 0.0;
  node->y = 0.0;
  return node;
}

/* "dense1", "dense2", ...: the first that no node uses yet. */
static char *
fresh_id (const NwSpec *spec, NwNodeKind kind)
{
  const char *base = nw_node_kind_name (kind);
  for (guint n = 1;; n++)
    {
      char *id = g_strdup_printf ("%s%u", base != NULL ? base : "node", n);
      if (nw_spec_find_node (spec, id) == NULL)
        return id;
      g_free (id);
    }
}

/* A NULL id gets a fresh one ("dense3"). The id is not checked for uniqueness here:
 * nw_spec_validate reports duplicates. */
NwNodeSpec *
nw_spec_add_node (NwSpec *spec, NwNodeKind kind, const char *id)
{
  NwNodeSpec *node;

  g_return_val_if_fail (spec != NULL, NULL);

  node = nw_node_spec_new (kind, id);
  if (id == NULL)
    {
      g_free (node->id);
      node->id = fresh_id (spec, kind);
    }
  g_ptr_array_add (spec->nodes, node);
  return node;
}

void
nw_spec_add_edge (NwSpec *spec, const char *from, const char *to, int port)
{
  NwEdgeSpec *edge;

  g_return_if_fail (spec != NULL && from != NULL && to != NULL);

  edge = g_new0 (NwEdgeSpec, 1);
  edge->from = g_strdup (from);
  edge->to = g_strdup (to);
  edge->port = port;
  g_ptr_array_add (spec->edges, edge);
}

NwNodeSpec *
nw_spec_find_node (const NwSpec *spec, const char *id)
{
  g_return_val_if_fail (spec != NULL, NULL);

  if (id == NULL)
    return NULL;
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      if (g_strcmp0 (node->id, id) == 0)
        return node;
    }
  return NULL;
}

gboolean
nw_spec_remove_node (NwSpec *spec, const char *id)
{
  gboolean found = FALSE;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (id == NULL)
    return FALSE;
  for (guint i = spec->edges->len; i-- > 0;)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, i);
      if (g_strcmp0 (edge->from, id) == 0 || g_strcmp0 (edge->to, id) == 0)
        g_ptr_array_remove_index (spec->edges, i);
    }
  for (guint i = spec->nodes->len; i-- > 0;)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      if (g_strcmp0 (node->id, id) == 0)
        {
          g_ptr_array_remove_index (spec->nodes, i);
          found = TRUE;
        }
    }
  return found;
}

/* The chain shorthand ------------------------------------------------------------------- */

static gboolean
parse_int (const char *text, gint64 min, gint64 max, gint64 *out)
{
  return text != NULL && g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

gboolean
nw_spec_parse_double (const char *text, double *out)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0' || g_ascii_isspace (*text))
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
chain_fail (GError **error, const char *token, const char *why)
{
  g_set_error (error, NW_ERROR, NW_ERROR_SPEC, _("chain token '%s': %s"), token, why);
  return FALSE;
}

/* Adds the node one token describes and the edge into it from `*prev` (updated). */
static gboolean
chain_token (NwSpec *spec, const char *token, gboolean last, int counts[NW_N_NODE_KINDS],
             const char **prev, GError **error)
{
  static const char *const prefixes[NW_N_NODE_KINDS] = {
    [NW_NODE_DENSE] = "dense", [NW_NODE_ACTIVATION] = "act", [NW_NODE_DROPOUT] = "dropout",
    [NW_NODE_BATCHNORM] = "bn", [NW_NODE_LAYERNORM] = "ln",
  };
  const char *colon = strchr (token, ':');
  char *head = colon != NULL ? g_strndup (token, (gsize) (colon - token)) : g_strdup (token);
  const char *arg = colon != NULL ? colon + 1 : NULL;
  NwNodeSpec *node = NULL;
  gboolean ok = FALSE;
  int activation = nw_activation_from_name (head);
  int loss = nw_loss_from_name (head);
  gint64 units;
  double value;

  if (g_ascii_strcasecmp (head, "dense") == 0)
    {
      if (!parse_int (arg, 1, NW_MAX_UNITS, &units))
        {
          chain_fail (error, token, _("dense needs its units, an integer in 1..1048576 (dense:N)"));
          goto out;
        }
      node = nw_node_spec_new (NW_NODE_DENSE, NULL);
      node->units = (int) units;
    }
  else if (activation >= 0)
    {
      node = nw_node_spec_new (NW_NODE_ACTIVATION, NULL);
      node->activation = (NwActivation) activation;
      node->alpha = nw_activation_default_alpha (node->activation);
      if (arg != NULL)
        {
          if (!nw_activation_info ((NwActivation) activation)->has_alpha)
            {
              chain_fail (error, token, _("only leaky_relu and elu take a parameter"));
              goto out;
            }
          if (!nw_spec_parse_double (arg, &value))
            {
              chain_fail (error, token, _("the parameter must be a finite number"));
              goto out;
            }
          node->alpha = value;
        }
    }
  else if (g_ascii_strcasecmp (head, "dropout") == 0)
    {
      node = nw_node_spec_new (NW_NODE_DROPOUT, NULL);
      if (arg != NULL)
        {
          if (!nw_spec_parse_double (arg, &value) || value < 0.0 || value >= 1.0)
            {
              chain_fail (error, token, _("dropout's p must be a number in [0, 1)"));
              goto out;
            }
          node->p = value;
        }
    }
  else if (g_ascii_strcasecmp (head, "batchnorm") == 0 || g_ascii_strcasecmp (head, "layernorm") == 0)
    {
      if (arg != NULL)
        {
          chain_fail (error, token, _("takes no parameter"));
          goto out;
        }
      node = nw_node_spec_new (g_ascii_strcasecmp (head, "batchnorm") == 0
                               ? NW_NODE_BATCHNORM : NW_NODE_LAYERNORM, NULL);
    }
  else if (loss >= 0)
    {
      if (arg != NULL)
        {
          chain_fail (error, token, _("a loss takes no parameter"));
          goto out;
        }
      if (!last)
        {
          chain_fail (error, token, _("the loss must be the last token"));
          goto out;
        }
      node = nw_node_spec_new (NW_NODE_LOSS, "loss");
      node->loss = (NwLoss) loss;
    }
  else
    {
      chain_fail (error, token,
                  _("unknown layer (dense:N, an activation name, dropout:P, batchnorm, "
                    "layernorm, or a loss last)"));
      goto out;
    }

  if (node->kind != NW_NODE_LOSS)
    {
      if (last)
        {
          chain_fail (error, token,
                      _("the chain must end with a loss (bce, bce_logits, softmax_xent, mse)"));
          goto out;
        }
      g_free (node->id);
      node->id = g_strdup_printf ("%s%d", prefixes[node->kind], ++counts[node->kind]);
    }
  g_ptr_array_add (spec->nodes, node);
  nw_spec_add_edge (spec, *prev, node->id, 0);
  *prev = node->id;
  node = NULL;
  ok = TRUE;

out:
  node_spec_free (node);
  g_free (head);
  return ok;
}

NwSpec *
nw_spec_new_chain (const char *description, GError **error)
{
  g_autoptr (NwSpec) spec = NULL;
  g_auto (GStrv) tokens = NULL;
  GPtrArray *words;
  int counts[NW_N_NODE_KINDS] = { 0 };
  const char *prev;
  gint64 width;
  gboolean ok = TRUE;

  g_return_val_if_fail (description != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tokens = g_strsplit_set (description, " \t\r\n", -1);
  words = g_ptr_array_new ();
  for (int i = 0; tokens[i] != NULL; i++)
    if (tokens[i][0] != '\0')
      g_ptr_array_add (words, tokens[i]);

  if (words->len == 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC, _("chain '%s': empty description"), description);
      g_ptr_array_unref (words);
      return NULL;
    }
  if (!parse_int (g_ptr_array_index (words, 0), 1, G_MAXINT, &width))
    {
      chain_fail (error, g_ptr_array_index (words, 0),
                  _("the first token must be the input width, a positive integer"));
      g_ptr_array_unref (words);
      return NULL;
    }
  if (words->len == 1)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC,
                   _("chain '%s': the chain must end with a loss (bce, bce_logits, softmax_xent, mse)"),
                   description);
      g_ptr_array_unref (words);
      return NULL;
    }

  spec = nw_spec_new ();
  prev = nw_spec_add_node (spec, NW_NODE_INPUT, "input")->id;
  for (guint i = 1; ok && i < words->len; i++)
    ok = chain_token (spec, g_ptr_array_index (words, i), i + 1 == words->len, counts, &prev, error);
  g_ptr_array_unref (words);
  return ok ? g_steal_pointer (&spec) : NULL;
}

gboolean
nw_spec_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}
