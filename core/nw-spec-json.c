/* nw-spec-json.c: reading and writing specs as JSON (docs/spec-format.md).
 *
 * Reading is strict: an unknown field, a wrong JSON type or a number out of range is an error
 * that names the file, the node (or "data", "training", the edge) and the field. Writing is
 * done by hand rather than with JsonGenerator so that doubles come out in their shortest
 * exact form ("0.1", not "0.10000000000000001"); they still read back bit for bit. A node's
 * settings are read and written as its kind's registry entry lists them (nw-node-kind.h). */
#include "nw-spec.h"
#include "nw-i18n.h"
#include "nw-json-value.h"
#include "nw-data.h"
#include "nw-json-writer.h"
#include "nw-json-depth.h"
#include "nw-activation.h"
#include "nw-node-kind.h"

#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define NW_SPEC_FORMAT  "neurowire-spec"
#define NW_SPEC_VERSION 1
#define NW_MAX_PORT     65535
#define NW_MAX_POINTS   10000000

/* Reading ------------------------------------------------------------------------------ */

typedef struct {
  const char *file;       /* the name used in messages */
  char       *where;      /* "node 'fc1'", "training", ...; NULL at the top level */
  GError    **error;
} Reader;

typedef enum {
  RANGE_FINITE,           /* any finite number */
  RANGE_NONNEG,           /* finite, >= 0 */
  RANGE_POSITIVE,         /* finite, > 0 */
  RANGE_UNIT_OPEN,        /* [0, 1) */
  RANGE_UNIT_CLOSED,      /* [0, 1] */
} DoubleRange;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Reader *r, int code, const char *format, ...)
{
  va_list ap;
  char *message;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (r->where != NULL)
    g_set_error (r->error, NW_ERROR, code, _("%s: %s: %s"), r->file, r->where, message);
  else
    g_set_error (r->error, NW_ERROR, code, _("%s: %s"), r->file, message);
  g_free (message);
  return FALSE;
}

static void G_GNUC_PRINTF (2, 3)
set_where (Reader *r, const char *format, ...)
{
  va_list ap;

  g_clear_pointer (&r->where, g_free);
  if (format == NULL)
    return;
  va_start (ap, format);
  r->where = g_strdup_vprintf (format, ap);
  va_end (ap);
}

/* "'p'" or "dropout 'p'": how a field is named in messages. */
static char *
label_of (const char *prefix, const char *name)
{
  return prefix != NULL ? g_strdup_printf ("%s '%s'", prefix, name) : g_strdup_printf ("'%s'", name);
}

/* Every member of `obj` must be in `allowed` (NULL-terminated); the first stranger is named. */
static gboolean
check_fields (Reader *r, JsonObject *obj, const char *const *allowed)
{
  GList *members = json_object_get_members (obj);
  gboolean ok = TRUE;

  for (GList *l = members; ok && l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = FALSE;
      for (int i = 0; !known && allowed[i] != NULL; i++)
        known = strcmp (allowed[i], name) == 0;
      if (!known)
        ok = fail (r, NW_ERROR_SPEC, _("unknown field '%s'"), name);
    }
  g_list_free (members);
  return ok;
}

/* Each reader leaves `*out` untouched when the field is absent and returns FALSE, with the
 * error set, when it is present but wrong. */

static gboolean
read_int (Reader *r, JsonObject *obj, const char *name, const char *prefix,
          gint64 min, gint64 max, gint64 *out)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *label = NULL;
  gint64 v;

  if (node == NULL)
    return TRUE;
  label = label_of (prefix, name);
  if (!nw_json_is_number (node))
    return fail (r, NW_ERROR_SPEC, _("%s must be an integer, not %s"), label, nw_json_type_name (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      if (!(d == floor (d) && d >= -9.2e18 && d <= 9.2e18))
        {
          nw_json_format_double (buf, d);
          return fail (r, NW_ERROR_SPEC, _("%s must be an integer (got %s)"), label, buf);
        }
      v = (gint64) d;
    }
  else
    v = json_node_get_int (node);

  if (v < min)
    {
      if (min == 1)
        return fail (r, NW_ERROR_RANGE, _("%s must be a positive integer (got %" PRId64 ")"),
                     label, v);
      return fail (r, NW_ERROR_RANGE, _("%s must be an integer >= %" PRId64
                   " (got %" PRId64 ")"), label, min, v);
    }
  if (v > max)
    return fail (r, NW_ERROR_RANGE, _("%s must be at most %" PRId64 " (got %" PRId64 ")"),
                 label, max, v);
  *out = v;
  return TRUE;
}

static gboolean
read_int32 (Reader *r, JsonObject *obj, const char *name, const char *prefix,
            gint64 min, gint64 max, int *out)
{
  gint64 v = *out;
  if (!read_int (r, obj, name, prefix, min, max, &v))
    return FALSE;
  *out = (int) v;
  return TRUE;
}

static gboolean
read_uint64 (Reader *r, JsonObject *obj, const char *name, guint64 *out)
{
  gint64 v = 0;
  if (json_object_get_member (obj, name) == NULL)
    return TRUE;
  if (!read_int (r, obj, name, NULL, 0, G_MAXINT64, &v))
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static gboolean
read_double (Reader *r, JsonObject *obj, const char *name, const char *prefix,
             DoubleRange range, double *out)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *label = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *want = NULL;
  double v;

  if (node == NULL)
    return TRUE;
  label = label_of (prefix, name);
  if (!nw_json_is_number (node))
    return fail (r, NW_ERROR_SPEC, _("%s must be a number, not %s"), label, nw_json_type_name (node));
  v = json_node_get_double (node);

  switch (range)
    {
    case RANGE_FINITE:
      if (!isfinite (v))
        want = _("finite");
      break;
    case RANGE_NONNEG:
      if (!isfinite (v) || v < 0.0)
        want = _("finite and >= 0");
      break;
    case RANGE_POSITIVE:
      if (!isfinite (v) || v <= 0.0)
        want = _("finite and > 0");
      break;
    case RANGE_UNIT_OPEN:
      if (!(v >= 0.0 && v < 1.0))
        want = _("in [0, 1)");
      break;
    case RANGE_UNIT_CLOSED:
      if (!(v >= 0.0 && v <= 1.0))
        want = _("in [0, 1]");
      break;
    default:
      g_assert_not_reached ();
    }
  if (want != NULL)
    {
      nw_json_format_double (buf, v);
      return fail (r, NW_ERROR_RANGE, _("%s must be %s (got %s)"), label, want, buf);
    }
  *out = v;
  return TRUE;
}

static gboolean
read_bool (Reader *r, JsonObject *obj, const char *name, gboolean *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (r, NW_ERROR_SPEC, _("'%s' must be true or false, not %s"), name, nw_json_type_name (node));
  *out = json_node_get_boolean (node) ? TRUE : FALSE;
  return TRUE;
}

/* A string (or, where `nullable`, null: *out becomes NULL). *out is replaced, not freed. */
/* The UTF-8 of U+FFFF, a noncharacter that no real text holds. */
#define NUL_SENTINEL "\xEF\xBF\xBF"

static gboolean
read_string (Reader *r, JsonObject *obj, const char *name, gboolean nullable, const char **out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    return TRUE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (!nw_json_is_string (node))
    return fail (r, NW_ERROR_SPEC, nullable ? _("'%s' must be a string or null, not %s")
                                            : _("'%s' must be a string, not %s"),
                 name, nw_json_type_name (node));
  *out = json_node_get_string (node);
  /* U+FFFF is what spec_from_data turned each \u0000 into: json-glib would have cut the
   * string there ("fc\u0000../x" read as "fc"), passing checks the whole text would fail. */
  if (strstr (*out, NUL_SENTINEL) != NULL)
    return fail (r, NW_ERROR_SPEC, _("'%s' holds the character NUL (\\u0000) or U+FFFF, "
                   "which no text in a spec may hold"), name);
  return TRUE;
}

typedef enum {
  ENUM_ACTIVATION,
  ENUM_LOSS,
  ENUM_INIT,
  ENUM_OPTIMIZER,
  ENUM_NODE_KIND,
  ENUM_DATA_KIND,
} EnumKind;

static const char *
enum_name (EnumKind kind, int value)
{
  switch (kind)
    {
    case ENUM_ACTIVATION: return nw_activation_name ((NwActivation) value);
    case ENUM_LOSS:       return nw_loss_name ((NwLoss) value);
    case ENUM_INIT:       return nw_init_name ((NwInit) value);
    case ENUM_OPTIMIZER:  return nw_optimizer_name ((NwOptimizerKind) value);
    case ENUM_NODE_KIND:  return nw_node_kind_name ((NwNodeKind) value);
    case ENUM_DATA_KIND:  return nw_data_kind_name ((NwDataKind) value);
    default:              return NULL;
    }
}

static int
enum_value (EnumKind kind, const char *name)
{
  switch (kind)
    {
    case ENUM_ACTIVATION: return nw_activation_from_name (name);
    case ENUM_LOSS:       return nw_loss_from_name (name);
    case ENUM_INIT:       return nw_init_from_name (name);
    case ENUM_OPTIMIZER:  return nw_optimizer_from_name (name);
    case ENUM_NODE_KIND:  return nw_node_kind_from_name (name);
    case ENUM_DATA_KIND:  return nw_data_kind_from_name (name);
    default:              return -1;
    }
}

static int
enum_count (EnumKind kind)
{
  switch (kind)
    {
    case ENUM_ACTIVATION: return NW_N_ACTIVATIONS;
    case ENUM_LOSS:       return NW_N_LOSSES;
    case ENUM_INIT:       return NW_N_INITS;
    case ENUM_OPTIMIZER:  return NW_N_OPTIMIZERS;
    case ENUM_NODE_KIND:  return NW_N_NODE_KINDS;
    case ENUM_DATA_KIND:  return NW_N_DATA_KINDS;
    default:              return 0;
    }
}

/* "unknown activation 'sigmod' (one of: linear, sigmoid, ...)"; `what` names the enum. */
static gboolean
read_enum (Reader *r, JsonObject *obj, const char *name, EnumKind kind, const char *what, int *out)
{
  const char *text = NULL;
  GString *choices;
  int value;

  if (json_object_get_member (obj, name) == NULL)
    return TRUE;
  if (!read_string (r, obj, name, FALSE, &text))
    return FALSE;
  value = enum_value (kind, text);
  if (value >= 0)
    {
      *out = value;
      return TRUE;
    }
  choices = g_string_new (NULL);
  for (int i = 0; i < enum_count (kind); i++)
    {
      const char *choice = enum_name (kind, i);
      if (choice != NULL)
        g_string_append_printf (choices, "%s%s", choices->len > 0 ? ", " : "", choice);
    }
  fail (r, NW_ERROR_SPEC, _("unknown %s '%s' (one of: %s)"), what, text, choices->str);
  g_string_free (choices, TRUE);
  return FALSE;
}

static gboolean
require (Reader *r, JsonObject *obj, const char *name)
{
  if (json_object_get_member (obj, name) != NULL)
    return TRUE;
  return fail (r, NW_ERROR_SPEC, _("'%s' is missing"), name);
}


static EnumKind
field_enum (const NwField *field, const char **what)
{
  switch (field->enum_kind)
    {
    case NW_FIELD_ENUM_ACTIVATION: *what = "activation"; return ENUM_ACTIVATION;
    case NW_FIELD_ENUM_LOSS:       *what = "loss"; return ENUM_LOSS;
    case NW_FIELD_ENUM_INIT:
    case NW_FIELD_ENUM_NONE:
    default:                       *what = "initializer"; return ENUM_INIT;
    }
}

/* A number field's range as the reader states it; narrower than "finite" is named with the
 * kind ("dropout 'p' must be in [0, 1)"). */
static DoubleRange
field_range (const NwField *field)
{
  if (field->min == 0 && !field->min_open && field->max == 1)
    return field->max_open ? RANGE_UNIT_OPEN : RANGE_UNIT_CLOSED;
  if (field->min == 0)
    return field->min_open ? RANGE_POSITIVE : RANGE_NONNEG;
  return RANGE_FINITE;
}

/* One setting of a node, as its kind's registry entry describes it. */
static gboolean
read_field (Reader *r, JsonObject *obj, const NwNodeKindInfo *kind, const NwField *field,
            NwNodeSpec *node)
{
  double value = nw_field_get (field, node);

  if (field->required && !require (r, obj, field->key))
    return FALSE;
  switch (field->type)
    {
    case NW_FIELD_INT:
      {
        int v = (int) value;
        if (!read_int32 (r, obj, field->key, NULL, (gint64) field->min, (gint64) field->max, &v))
          return FALSE;
        value = v;
      }
      break;
    case NW_FIELD_BOOL:
      {
        gboolean v = value != 0;
        if (!read_bool (r, obj, field->key, &v))
          return FALSE;
        value = v;
      }
      break;
    case NW_FIELD_ENUM:
      {
        const char *what = NULL;
        EnumKind ek = field_enum (field, &what);
        int v = (int) value;
        if (!read_enum (r, obj, field->key, ek, what, &v))
          return FALSE;
        value = v;
        /* A file that names an activation and leaves alpha out means its default. */
        if (field->enum_kind == NW_FIELD_ENUM_ACTIVATION)
          node->alpha = nw_activation_default_alpha ((NwActivation) v);
      }
      break;
    case NW_FIELD_DOUBLE:
    default:
      {
        DoubleRange range = field_range (field);
        if (!read_double (r, obj, field->key, range == RANGE_FINITE ? NULL : kind->name, range,
                          &value))
          return FALSE;
      }
      break;
    }
  nw_field_set (field, node, value);
  return TRUE;
}

static NwNodeSpec *
read_node (Reader *r, JsonNode *json, guint index)
{
  JsonObject *obj;
  const char *type = NULL, *id = NULL;
  NwNodeSpec *node = NULL;
  const NwNodeKindInfo *info;
  int kind = -1;
  gboolean ok;

  /* Translators: where in a spec file a problem is: the node's place in "nodes" */
  set_where (r, _("node %u"), index);
  if (!JSON_NODE_HOLDS_OBJECT (json))
    {
      fail (r, NW_ERROR_SPEC, _("must be an object, not %s"), nw_json_type_name (json));
      return NULL;
    }
  obj = json_node_get_object (json);

  if (!require (r, obj, "type") || !read_string (r, obj, "type", FALSE, &type))
    return NULL;
  kind = nw_node_kind_from_name (type);
  if (kind < 0)
    {
      fail (r, NW_ERROR_SPEC, _("unknown type '%s'"), type);
      return NULL;
    }
  if (!require (r, obj, "id") || !read_string (r, obj, "id", FALSE, &id))
    return NULL;
  if (!nw_spec_id_is_valid (id))
    {
      /* Translators: keep 'id', "name" and "description" as they are: they are fields of the
       * file */
      fail (r, NW_ERROR_SPEC, _("'id' must be ASCII letters, digits, '_', '.' or '-' (got '%s'); "
                                "Korean or other text belongs in the network's \"name\" or "
                                "\"description\""), id);
      return NULL;
    }

  set_where (r, _("node '%s'"), id);
  info = nw_node_kind_info ((NwNodeKind) kind);
  {
    g_autofree const char **allowed = g_new0 (const char *, info->n_fields + 5);
    allowed[0] = "id", allowed[1] = "type", allowed[2] = "x", allowed[3] = "y";
    for (int f = 0; f < info->n_fields; f++)
      allowed[4 + f] = info->fields[f].key;
    if (!check_fields (r, obj, allowed))
      return NULL;
  }

  node = nw_node_spec_new ((NwNodeKind) kind, id);
  ok = read_double (r, obj, "x", NULL, RANGE_FINITE, &node->x)
       && read_double (r, obj, "y", NULL, RANGE_FINITE, &node->y);
  for (int f = 0; ok && f < info->n_fields; f++)
    ok = read_field (r, obj, info, &info->fields[f], node);

  if (!ok)
    {
      g_free (node->id);
      g_free (node);
      return NULL;
    }
  return node;
}

static gboolean
read_nodes (Reader *r, JsonArray *array, NwSpec *spec)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      NwNodeSpec *node = read_node (r, json_array_get_element (array, i), i);
      gpointer first;
      if (node == NULL)
        return FALSE;
      g_ptr_array_add (spec->nodes, node);
      if (g_hash_table_lookup_extended (seen, node->id, NULL, &first))
        return fail (r, NW_ERROR_SPEC, _("the id '%s' is used twice (nodes %u and %u)"),
                     node->id, GPOINTER_TO_UINT (first), i);
      g_hash_table_insert (seen, node->id, GUINT_TO_POINTER (i));
    }
  return TRUE;
}

static gboolean
read_edges (Reader *r, JsonArray *array, NwSpec *spec)
{
  static const char *const edge_fields[] = { "from", "to", "port", NULL };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *json = json_array_get_element (array, i);
      JsonObject *obj;
      const char *from = NULL, *to = NULL;
      int port = 0;

      set_where (r, _("edge %u"), i);
      if (!JSON_NODE_HOLDS_OBJECT (json))
        return fail (r, NW_ERROR_SPEC, _("must be an object, not %s"), nw_json_type_name (json));
      obj = json_node_get_object (json);
      if (!check_fields (r, obj, edge_fields)
          || !require (r, obj, "from") || !read_string (r, obj, "from", FALSE, &from)
          || !require (r, obj, "to") || !read_string (r, obj, "to", FALSE, &to))
        return FALSE;
      set_where (r, _("edge '%s' -> '%s'"), from, to);
      if (!read_int32 (r, obj, "port", NULL, 0, NW_MAX_PORT, &port))
        return FALSE;
      nw_spec_add_edge (spec, from, to, port);
    }
  return TRUE;
}

static gboolean
read_data (Reader *r, JsonObject *obj, NwDataSpec *data)
{
  static const char *const data_fields[] = {
    "kind", "n", "noise", "test_ratio", "seed", "path", "train_limit", NULL,
  };
  const char *path = data->path;
  int kind = data->kind;

  set_where (r, "data");
  if (!check_fields (r, obj, data_fields)
      || !read_enum (r, obj, "kind", ENUM_DATA_KIND, "data kind", &kind)
      || !read_int32 (r, obj, "n", NULL, 1, NW_MAX_POINTS, &data->n)
      || !read_double (r, obj, "noise", NULL, RANGE_NONNEG, &data->noise)
      || !read_double (r, obj, "test_ratio", NULL, RANGE_UNIT_OPEN, &data->test_ratio)
      || !read_uint64 (r, obj, "seed", &data->seed)
      || !read_string (r, obj, "path", TRUE, &path)
      || !read_int32 (r, obj, "train_limit", NULL, 0, G_MAXINT, &data->train_limit))
    return FALSE;
  data->kind = (NwDataKind) kind;
  if (path != data->path)
    {
      g_free (data->path);
      data->path = g_strdup (path);
    }
  return TRUE;
}

static gboolean
read_training (Reader *r, JsonObject *obj, NwTrainSpec *train)
{
  static const char *const training_fields[] = {
    "optimizer", "lr", "momentum", "beta1", "beta2", "eps", "rho", "weight_decay", "l1", "l2",
    "batch_size", "steps", "epochs", "seed", "log_every", NULL,
  };
  int optimizer = train->optimizer;

  set_where (r, "training");
  if (!check_fields (r, obj, training_fields)
      || !read_enum (r, obj, "optimizer", ENUM_OPTIMIZER, "optimizer", &optimizer))
    return FALSE;

  /* What a field the file leaves out means depends on the optimizer. */
  train->optimizer = (NwOptimizerKind) optimizer;
  train->momentum = optimizer == NW_OPT_MOMENTUM || optimizer == NW_OPT_NESTEROV ? 0.9 : 0.0;
  train->eps = optimizer == NW_OPT_ADAGRAD ? 1e-10 : 1e-8;
  train->weight_decay = optimizer == NW_OPT_ADAMW ? 0.01 : 0.0;

  return read_double (r, obj, "lr", NULL, RANGE_NONNEG, &train->lr)
         && read_double (r, obj, "momentum", NULL, RANGE_UNIT_OPEN, &train->momentum)
         && read_double (r, obj, "beta1", NULL, RANGE_UNIT_OPEN, &train->beta1)
         && read_double (r, obj, "beta2", NULL, RANGE_UNIT_OPEN, &train->beta2)
         && read_double (r, obj, "eps", NULL, RANGE_POSITIVE, &train->eps)
         && read_double (r, obj, "rho", NULL, RANGE_UNIT_OPEN, &train->rho)
         && read_double (r, obj, "weight_decay", NULL, RANGE_NONNEG, &train->weight_decay)
         && read_double (r, obj, "l1", NULL, RANGE_NONNEG, &train->l1)
         && read_double (r, obj, "l2", NULL, RANGE_NONNEG, &train->l2)
         && read_int32 (r, obj, "batch_size", NULL, 0, G_MAXINT, &train->batch_size)
         && read_int (r, obj, "steps", NULL, 0, G_MAXINT64, &train->steps)
         && read_int (r, obj, "epochs", NULL, 0, G_MAXINT64, &train->epochs)
         && read_uint64 (r, obj, "seed", &train->seed)
         && read_int32 (r, obj, "log_every", NULL, 1, G_MAXINT, &train->log_every);
}

/* An object or array member: absent is fine (*out NULL); anything else is an error. */
static gboolean
read_container (Reader *r, JsonObject *obj, const char *name, JsonNodeType type, JsonNode **out)
{
  JsonNode *node = json_object_get_member (obj, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (json_node_get_node_type (node) != type)
    return fail (r, NW_ERROR_SPEC, _("'%s' must be %s, not %s"), name,
                 type == JSON_NODE_OBJECT ? _("an object") : _("an array"), nw_json_type_name (node));
  *out = node;
  return TRUE;
}

static gboolean
read_document (Reader *r, JsonNode *root, NwSpec *spec)
{
  static const char *const top_fields[] = {
    "format", "version", "name", "description", "nodes", "edges", "data", "training", NULL,
  };
  JsonObject *obj;
  JsonNode *nodes, *edges, *data, *training;
  const char *format = NULL, *name = NULL, *description = NULL;
  gint64 version = 0;

  if (root == NULL)
    return fail (r, NW_ERROR_SPEC, _("the document is empty"));
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (r, NW_ERROR_SPEC, _("the document must be a JSON object, not %s"), nw_json_type_name (root));
  obj = json_node_get_object (root);

  if (!require (r, obj, "format") || !read_string (r, obj, "format", FALSE, &format))
    return FALSE;
  if (strcmp (format, NW_SPEC_FORMAT) != 0)
    return fail (r, NW_ERROR_SPEC, _("'format' is not '%s' (got '%s')"), NW_SPEC_FORMAT, format);
  if (!require (r, obj, "version") || !read_int (r, obj, "version", NULL, G_MININT64, G_MAXINT64, &version))
    return FALSE;
  if (version != NW_SPEC_VERSION)
    return fail (r, NW_ERROR_SPEC, _("unsupported version %" PRId64
                 " (this program reads version %d)"), version, NW_SPEC_VERSION);
  if (!check_fields (r, obj, top_fields)
      || !read_string (r, obj, "name", TRUE, &name)
      || !read_string (r, obj, "description", TRUE, &description)
      || !require (r, obj, "nodes")
      || !read_container (r, obj, "nodes", JSON_NODE_ARRAY, &nodes)
      || !read_container (r, obj, "edges", JSON_NODE_ARRAY, &edges)
      || !read_container (r, obj, "data", JSON_NODE_OBJECT, &data)
      || !read_container (r, obj, "training", JSON_NODE_OBJECT, &training))
    return FALSE;
  spec->name = g_strdup (name);
  spec->description = g_strdup (description);

  if (!read_nodes (r, json_node_get_array (nodes), spec))
    return FALSE;
  if (edges != NULL)
    {
      if (!read_edges (r, json_node_get_array (edges), spec))
        return FALSE;
    }
  else
    {
      /* No edges: a chain in the order the nodes are listed. */
      for (guint i = 1; i < spec->nodes->len; i++)
        {
          const NwNodeSpec *a = g_ptr_array_index (spec->nodes, i - 1);
          const NwNodeSpec *b = g_ptr_array_index (spec->nodes, i);
          nw_spec_add_edge (spec, a->id, b->id, 0);
        }
    }
  if (data != NULL && !read_data (r, json_node_get_object (data), &spec->data))
    return FALSE;
  if (training != NULL && !read_training (r, json_node_get_object (training), &spec->train))
    return FALSE;
  return TRUE;
}

static void
parse_error (Reader *r, const GError *json_error)
{
  g_autofree char *msg = nw_json_parse_error_message (json_error);
  fail (r, NW_ERROR_SPEC, "%s", msg);
}

/* json-glib keeps strings NUL-terminated, so a \u0000 inside one silently ends it. Returns a
 * copy of json with every \u0000 escape inside a string turned into \uFFFF, which read_string
 * refuses naming the node and field; NULL when there is none (the common case, no copy).
 * One pass that follows strings and their escapes, as nw_json_check_depth does. */
static char *
nul_escapes_to_sentinel (const char *json, gsize len)
{
  char *copy = NULL;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!in_string)
        {
          in_string = json[i] == '"';
          continue;
        }
      if (json[i] == '"')
        in_string = FALSE;
      else if (json[i] == '\\' && i + 1 < len)
        {
          if (json[i + 1] == 'u' && i + 6 <= len && memcmp (json + i + 2, "0000", 4) == 0)
            {
              if (copy == NULL)
                {
                  copy = g_malloc (len + 1);
                  memcpy (copy, json, len);
                  copy[len] = '\0';
                }
              memcpy (copy + i + 2, "FFFF", 4);
            }
          i++;
        }
    }
  return copy;
}

static NwSpec *
spec_from_data (const char *file, const char *json, gssize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (NwSpec) spec = NULL;
  g_autoptr (GError) json_error = NULL;
  Reader r = { file, NULL, error };
  g_autoptr (GError) depth_error = NULL;
  g_autoptr (GError) int_error = NULL;
  g_autofree char *nul_free = NULL;
  gsize text_len = length < 0 ? strlen (json) : (gsize) length;
  gboolean ok;

  /* Before json-glib: its parser recurses per level and overflows the stack on deep input. */
  if (!nw_json_check_depth (json, text_len, NW_JSON_MAX_DEPTH, &depth_error))
    {
      fail (&r, NW_ERROR_SPEC, _("%s"), depth_error->message);
      return NULL;
    }
  if (!nw_json_check_integers (json, text_len, &int_error))
    {
      fail (&r, NW_ERROR_RANGE, _("%s"), int_error->message);
      return NULL;
    }
  nul_free = nul_escapes_to_sentinel (json, text_len);
  if (!json_parser_load_from_data (parser, nul_free != NULL ? nul_free : json, (gssize) text_len,
                                   &json_error))
    {
      parse_error (&r, json_error);
      return NULL;
    }
  spec = nw_spec_new ();
  ok = read_document (&r, json_parser_get_root (parser), spec);
  g_free (r.where);
  return ok ? g_steal_pointer (&spec) : NULL;
}

NwSpec *
nw_spec_from_json (const char *json, gssize length, GError **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return spec_from_data ("<string>", json, length, error);
}

NwSpec *
nw_spec_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  g_autoptr (GError) io_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &io_error))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("cannot read '%s': %s"), path, io_error->message);
      return NULL;
    }
  if (length > G_MAXSSIZE)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("cannot read '%s': the file is too large"), path);
      return NULL;
    }
  base = g_path_get_basename (path);
  return spec_from_data (base, contents, (gssize) length, error);
}

/* Writing ------------------------------------------------------------------------------ */

/* Files are pretty-printed (a person reads and diffs them) with the shortest digits that
 * read back as the same double (0.1 stays 0.1). */
static void
write_node (NwJsonWriter *w, const NwNodeSpec *node)
{
  const NwNodeKindInfo *info = nw_node_kind_info (node->kind);
  nw_json_begin_object (w, NULL);
  nw_json_string (w, "id", node->id);
  nw_json_string (w, "type", nw_node_kind_name (node->kind));
  for (int f = 0; info != NULL && f < info->n_fields; f++)
    {
      const NwField *field = &info->fields[f];
      double v = nw_field_get (field, node);
      switch (field->type)
        {
        case NW_FIELD_INT:    nw_json_int (w, field->key, (gint64) v); break;
        case NW_FIELD_BOOL:   nw_json_bool (w, field->key, v != 0); break;
        case NW_FIELD_ENUM:   nw_json_string (w, field->key, nw_field_enum_name (field, (int) v)); break;
        case NW_FIELD_DOUBLE:
        default:              nw_json_double (w, field->key, v); break;   /* NaN: null, refused on load */
        }
    }
  nw_json_double (w, "x", node->x);
  nw_json_double (w, "y", node->y);
  nw_json_end_object (w);
}

void
nw_spec_write_json (const NwSpec *spec, NwJsonWriter *w, const char *key)
{
  const NwDataSpec *data;
  const NwTrainSpec *train;

  g_return_if_fail (spec != NULL && w != NULL);

  data = &spec->data;
  train = &spec->train;
  nw_json_begin_object (w, key);
  nw_json_string (w, "format", NW_SPEC_FORMAT);
  nw_json_int (w, "version", NW_SPEC_VERSION);
  nw_json_string (w, "name", spec->name);
  nw_json_string (w, "description", spec->description);

  nw_json_begin_array (w, "nodes");
  for (guint i = 0; i < spec->nodes->len; i++)
    write_node (w, g_ptr_array_index (spec->nodes, i));
  nw_json_end_array (w);

  nw_json_begin_array (w, "edges");
  for (guint i = 0; i < spec->edges->len; i++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, i);
      nw_json_begin_object (w, NULL);
      nw_json_string (w, "from", edge->from);
      nw_json_string (w, "to", edge->to);
      nw_json_int (w, "port", edge->port);
      nw_json_end_object (w);
    }
  nw_json_end_array (w);

  nw_json_begin_object (w, "data");
  nw_json_string (w, "kind", nw_data_kind_name (data->kind));
  nw_json_int (w, "n", data->n);
  nw_json_double (w, "noise", data->noise);
  nw_json_double (w, "test_ratio", data->test_ratio);
  nw_json_uint (w, "seed", data->seed);
  nw_json_string (w, "path", data->path);
  nw_json_int (w, "train_limit", data->train_limit);
  nw_json_end_object (w);

  nw_json_begin_object (w, "training");
  nw_json_string (w, "optimizer", nw_optimizer_name (train->optimizer));
  nw_json_double (w, "lr", train->lr);
  nw_json_double (w, "momentum", train->momentum);
  nw_json_double (w, "beta1", train->beta1);
  nw_json_double (w, "beta2", train->beta2);
  nw_json_double (w, "eps", train->eps);
  nw_json_double (w, "rho", train->rho);
  nw_json_double (w, "weight_decay", train->weight_decay);
  nw_json_double (w, "l1", train->l1);
  nw_json_double (w, "l2", train->l2);
  nw_json_int (w, "batch_size", train->batch_size);
  nw_json_int (w, "steps", train->steps);
  nw_json_int (w, "epochs", train->epochs);
  nw_json_uint (w, "seed", train->seed);
  nw_json_int (w, "log_every", train->log_every);
  nw_json_end_object (w);

  nw_json_end_object (w);
}

char *
nw_spec_to_json (const NwSpec *spec)
{
  g_autoptr (NwJsonWriter) w = NULL;
  char *text;

  g_return_val_if_fail (spec != NULL, NULL);

  w = nw_json_writer_new (NW_JSON_PRETTY, NW_JSON_DOUBLE_SHORTEST);
  nw_spec_write_json (spec, w, NULL);
  text = nw_json_writer_finish (g_steal_pointer (&w));
  /* A text file ends with a newline. */
  {
    char *file = g_strconcat (text, "\n", NULL);
    g_free (text);
    return file;
  }
}

gboolean
nw_spec_save (const NwSpec *spec, const char *path, GError **error)
{
  g_autofree char *json = NULL;
  g_autoptr (GError) io_error = NULL;

  g_return_val_if_fail (spec != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  json = nw_spec_to_json (spec);
  /* g_file_set_contents writes a temporary file beside `path` and renames it over `path`:
   * on failure the old file, if any, is left as it was. */
  if (!g_file_set_contents (path, json, -1, &io_error))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("cannot save '%s': %s"), path, io_error->message);
      return FALSE;
    }
  return TRUE;
}
