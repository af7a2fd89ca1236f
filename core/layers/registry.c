/* registry.c: the table of node kinds (nw-node-kind.h) and what every kind's fields share:
 * reading, checking and setting a field by its description. */
#include "nw-node-kind.h"
#include "nw-i18n.h"
#include "nw-activation.h"

#include <math.h>
#include <string.h>

static const NwNodeKindInfo *const kinds[NW_N_NODE_KINDS] = {
  [NW_NODE_INPUT] = &nw_layer_input,
  [NW_NODE_DENSE] = &nw_layer_dense,
  [NW_NODE_ACTIVATION] = &nw_layer_activation,
  [NW_NODE_DROPOUT] = &nw_layer_dropout,
  [NW_NODE_BATCHNORM] = &nw_layer_batchnorm,
  [NW_NODE_LAYERNORM] = &nw_layer_layernorm,
  [NW_NODE_ADD] = &nw_layer_add,
  [NW_NODE_CONCAT] = &nw_layer_concat,
  [NW_NODE_LOSS] = &nw_layer_loss,
};

const NwNodeKindInfo *
nw_node_kind_info (NwNodeKind kind)
{
  if ((int) kind < 0 || kind >= NW_N_NODE_KINDS)
    return NULL;
  return kinds[kind];
}

const NwField *
nw_node_kind_field (NwNodeKind kind, const char *key)
{
  const NwNodeKindInfo *info = nw_node_kind_info (kind);
  if (info == NULL || key == NULL)
    return NULL;
  for (int f = 0; f < info->n_fields; f++)
    if (strcmp (info->fields[f].key, key) == 0)
      return &info->fields[f];
  return NULL;
}

const char *
nw_node_kind_name (NwNodeKind kind)
{
  const NwNodeKindInfo *info = nw_node_kind_info (kind);
  return info != NULL ? info->name : NULL;
}

int
nw_node_kind_from_name (const char *name)
{
  if (name == NULL)
    return -1;
  for (int k = 0; k < NW_N_NODE_KINDS; k++)
    if (g_ascii_strcasecmp (kinds[k]->name, name) == 0)
      return k;
  return -1;
}

#define FIELD_AT(T, node, field) ((T *) (void *) ((char *) (node) + (field)->offset))

double
nw_field_get (const NwField *field, const NwNodeSpec *node)
{
  switch (field->type)
    {
    case NW_FIELD_DOUBLE: return *FIELD_AT (const double, node, field);
    case NW_FIELD_BOOL:   return *FIELD_AT (const gboolean, node, field) ? 1 : 0;
    case NW_FIELD_INT:
    case NW_FIELD_ENUM:
    default:              return *FIELD_AT (const int, node, field);
    }
}

void
nw_field_set (const NwField *field, NwNodeSpec *node, double value)
{
  switch (field->type)
    {
    case NW_FIELD_DOUBLE:
      *FIELD_AT (double, node, field) = value;
      break;
    case NW_FIELD_BOOL:
      *FIELD_AT (gboolean, node, field) = value != 0;
      break;
    case NW_FIELD_INT:
    case NW_FIELD_ENUM:
    default:
      *FIELD_AT (int, node, field) = (int) value;
      break;
    }
}

gboolean
nw_field_check (const NwField *field, double value, const char **want)
{
  const char *w = NULL;
  switch (field->type)
    {
    case NW_FIELD_BOOL:
      break;
    case NW_FIELD_ENUM:
      if (!(value >= 0 && value < nw_field_enum_count (field)))
        w = _("one of its names");
      break;
    case NW_FIELD_INT:
    case NW_FIELD_DOUBLE:
    default:
      if (!isfinite (value) || (field->min_open ? value <= field->min : value < field->min)
          || (field->max_open ? value >= field->max : value > field->max))
        {
          if (field->type == NW_FIELD_INT)
            w = _("an integer in its range");
          else if (field->min == 0 && !field->min_open && field->max == 1)
            w = field->max_open ? _("in [0, 1)") : _("in [0, 1]");
          else if (field->min == 0 && field->min_open)
            w = _("finite and > 0");
          else if (field->min == 0)
            w = _("finite and >= 0");
          else
            w = _("finite");
        }
      break;
    }
  if (want != NULL)
    *want = w;
  return w == NULL;
}

const char *
nw_field_enum_name (const NwField *field, int value)
{
  switch (field->enum_kind)
    {
    case NW_FIELD_ENUM_INIT:       return nw_init_name ((NwInit) value);
    case NW_FIELD_ENUM_ACTIVATION: return nw_activation_name ((NwActivation) value);
    case NW_FIELD_ENUM_LOSS:       return nw_loss_name ((NwLoss) value);
    case NW_FIELD_ENUM_NONE:
    default:                       return NULL;
    }
}

int
nw_field_enum_value (const NwField *field, const char *name)
{
  switch (field->enum_kind)
    {
    case NW_FIELD_ENUM_INIT:       return nw_init_from_name (name);
    case NW_FIELD_ENUM_ACTIVATION: return nw_activation_from_name (name);
    case NW_FIELD_ENUM_LOSS:       return nw_loss_from_name (name);
    case NW_FIELD_ENUM_NONE:
    default:                       return -1;
    }
}

int
nw_field_enum_count (const NwField *field)
{
  switch (field->enum_kind)
    {
    case NW_FIELD_ENUM_INIT:       return NW_N_INITS;
    case NW_FIELD_ENUM_ACTIVATION: return NW_N_ACTIVATIONS;
    case NW_FIELD_ENUM_LOSS:       return NW_N_LOSSES;
    case NW_FIELD_ENUM_NONE:
    default:                       return 0;
    }
}

static gboolean
parse_bool (const char *text, double *out)
{
  if (g_ascii_strcasecmp (text, "true") == 0 || g_ascii_strcasecmp (text, "on") == 0
      || g_ascii_strcasecmp (text, "yes") == 0 || strcmp (text, "1") == 0)
    *out = 1;
  else if (g_ascii_strcasecmp (text, "false") == 0 || g_ascii_strcasecmp (text, "off") == 0
           || g_ascii_strcasecmp (text, "no") == 0 || strcmp (text, "0") == 0)
    *out = 0;
  else
    return FALSE;
  return TRUE;
}

gboolean
nw_node_spec_set_field (NwNodeSpec *node, const char *key, const char *text, GError **error)
{
  const NwField *field;
  const char *want = NULL;
  double value = 0;
  gboolean ok;

  g_return_val_if_fail (node != NULL && key != NULL && text != NULL, FALSE);

  field = nw_node_kind_field (node->kind, key);
  if (field == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_SPEC, _("node '%s': a %s node has no setting '%s'"),
                   node->id, nw_node_kind_name (node->kind), key);
      return FALSE;
    }
  switch (field->type)
    {
    case NW_FIELD_BOOL:
      ok = parse_bool (text, &value);
      break;
    case NW_FIELD_ENUM:
      value = nw_field_enum_value (field, text);
      ok = value >= 0;
      break;
    case NW_FIELD_INT:
      {
        gint64 v = 0;
        ok = g_ascii_string_to_signed (text, 10, G_MININT, G_MAXINT, &v, NULL);
        value = (double) v;
      }
      break;
    case NW_FIELD_DOUBLE:
    default:
      {
        char *end = NULL;
        ok = *text != '\0' && !g_ascii_isspace (*text);
        value = g_ascii_strtod (text, &end);
        ok = ok && end != text && *end == '\0';
      }
      break;
    }
  if (!ok || !nw_field_check (field, value, &want))
    {
      if (want != NULL)
        /* Translators: the node; its setting; the value given; what the value must be ("finite
         * and > 0") */
        g_set_error (error, NW_ERROR, NW_ERROR_RANGE, _("node '%s': '%s' cannot be '%s': it must be %s"),
                     node->id, key, text, want);
      else
        g_set_error (error, NW_ERROR, NW_ERROR_RANGE, _("node '%s': '%s' cannot be '%s'"),
                     node->id, key, text);
      return FALSE;
    }
  /* A new activation brings its own alpha (leaky ReLU's slope, ELU's scale). */
  if (field->enum_kind == NW_FIELD_ENUM_ACTIVATION && (int) value != (int) nw_field_get (field, node))
    node->alpha = nw_activation_default_alpha ((NwActivation) value);
  nw_field_set (field, node, value);
  return TRUE;
}
