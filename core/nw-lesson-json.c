/* nw-lesson-json.c: reading and writing lesson files (docs/lesson-format.md).
 *
 * Reading is strict, like the spec reader: an unknown field, a wrong JSON type, a missing or
 * empty language, an unknown name or a reference to something that does not exist is an
 * error that names the file, the step (1-based, with its id), the action or check (1-based)
 * and the field. Embedded specs are read by nw_spec_from_json and their errors are wrapped
 * with the lesson's location. The steps' `load`, `set` and `enable` actions are applied in
 * order to a copy of the starting spec while reading (nw_lesson_apply_to_spec), so that a
 * node a later action names is looked up in the network the run has at that point.
 *
 * Writing goes through the one JSON writer (nw-json-writer.h), specs through
 * nw_spec_write_json: every field, in a fixed order, numbers in their shortest exact form. */
#include "nw-lesson.h"
#include "nw-i18n.h"
#include "nw-json-value.h"
#include "nw-json-writer.h"
#include "nw-json-depth.h"
#include "nw-node-kind.h"

#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define NW_LESSON_FORMAT  "neurowire-lesson"
#define NW_LESSON_VERSION 1

/* Reading ------------------------------------------------------------------------------ */

typedef struct {
  const char *file;
  char       *step;      /* "step 3 ('plateau')", NULL outside steps */
  char       *part;      /* "action 2", "check 1", "question", "lock 1", NULL */
  GError    **error;
  NwLesson   *lesson;    /* being read */
  NwSpec     *current;   /* the network at this point of the steps */
  GHashTable *names;     /* check names seen so far */
  GHashTable *slots;     /* save slots seen so far */
  GHashTable *step_ids;
} Reader;

static gboolean G_GNUC_PRINTF (2, 3)
fail (Reader *r, const char *format, ...)
{
  va_list ap;
  g_autofree char *message = NULL;
  GString *where = g_string_new (r->file);

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (r->step != NULL)
    g_string_append_printf (where, ": %s", r->step);
  if (r->part != NULL)
    g_string_append_printf (where, ": %s", r->part);
  /* Translators: where in the lesson file (file: step 3 ('plateau'): action 2), and what is wrong */
  g_set_error (r->error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, _("%s: %s"), where->str, message);
  g_string_free (where, TRUE);
  return FALSE;
}

static void
set_part (Reader *r, char *part)
{
  g_free (r->part);
  r->part = part;
}

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
        ok = fail (r, _("unknown field '%s'"), name);
    }
  g_list_free (members);
  return ok;
}

static JsonNode *
require (Reader *r, JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  if (node == NULL)
    fail (r, _("'%s' is missing"), name);
  return node;
}

static gboolean
get_string (Reader *r, JsonObject *obj, const char *name, gboolean required, const char **out)
{
  JsonNode *node = json_object_get_member (obj, name);
  *out = NULL;
  if (node == NULL)
    return required ? fail (r, _("'%s' is missing"), name) : TRUE;
  if (!nw_json_is_string (node))
    return fail (r, _("'%s' must be a string, not %s"), name, nw_json_type_name (node));
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_number (Reader *r, JsonObject *obj, const char *name, gboolean required, double min,
            double *out)
{
  JsonNode *node = json_object_get_member (obj, name);
  double v;
  if (node == NULL)
    return required ? fail (r, _("'%s' is missing"), name) : TRUE;
  if (!nw_json_is_number (node))
    return fail (r, _("'%s' must be a number, not %s"), name, nw_json_type_name (node));
  v = json_node_get_double (node);
  if (!isfinite (v) || v < min)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      nw_json_format_double (buf, min);
      return fail (r, _("'%s' must be a finite number >= %s"), name, buf);
    }
  *out = v;
  return TRUE;
}

static gboolean
get_int (Reader *r, JsonObject *obj, const char *name, gboolean required, gint64 min, gint64 max,
         gint64 *out)
{
  JsonNode *node = json_object_get_member (obj, name);
  if (node == NULL)
    return required ? fail (r, _("'%s' is missing"), name) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (r, _("'%s' must be a whole number, not %s"), name, nw_json_type_name (node));
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return fail (r, _("'%s' must be from %" PRId64 " to %" PRId64 " (got %" PRId64 ")"), name,
                 min, max, *out);
  return TRUE;
}

static gboolean
get_bool (Reader *r, JsonObject *obj, const char *name, gboolean required, gboolean *out)
{
  JsonNode *node = json_object_get_member (obj, name);
  if (node == NULL)
    return required ? fail (r, _("'%s' is missing"), name) : TRUE;
  if (!nw_json_is_bool (node))
    return fail (r, _("'%s' must be true or false, not %s"), name, nw_json_type_name (node));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_container (Reader *r, JsonObject *obj, const char *name, gboolean required,
               JsonNodeType type, JsonNode **out)
{
  JsonNode *node = json_object_get_member (obj, name);
  *out = NULL;
  if (node == NULL)
    return required ? fail (r, _("'%s' is missing"), name) : TRUE;
  if (json_node_get_node_type (node) != type)
    return fail (r, _("'%s' must be %s, not %s"), name,
                 type == JSON_NODE_OBJECT ? _("an object") : _("an array"), nw_json_type_name (node));
  *out = node;
  return TRUE;
}

/* [a-z0-9-]+ */
static gboolean
lesson_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

/* A text: {"ko": "...", "en": "..."}, both non-empty. `name` NULL: an array element. */
static gboolean
read_text_node (Reader *r, JsonNode *node, const char *name, NwLessonText *out)
{
  static const char *const langs[] = { "ko", "en" };
  JsonObject *obj;
  const char *label = name != NULL ? name : _("choice");

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (r, _("'%s' must be a text in both languages, {\"ko\": \"…\", \"en\": \"…\"}, not %s"),
                 label, nw_json_type_name (node));
  obj = json_node_get_object (node);
  {
    GList *members = json_object_get_members (obj);
    for (GList *l = members; l != NULL; l = l->next)
      if (strcmp (l->data, "ko") != 0 && strcmp (l->data, "en") != 0)
        {
          g_autofree char *bad = g_strdup (l->data);
          g_list_free (members);
          return fail (r, _("'%s': unknown language '%s' (a text has \"ko\" and \"en\")"), label, bad);
        }
    g_list_free (members);
  }
  for (int i = 0; i < 2; i++)
    {
      JsonNode *v = json_object_get_member (obj, langs[i]);
      if (v == NULL || !nw_json_is_string (v) || *json_node_get_string (v) == '\0')
        /* Translators: '%s' is the text's field ("title"), then the language code ("ko", "en") */
        return fail (r, _("'%s': the \"%s\" text is missing or empty"), label, langs[i]);
      if (!g_utf8_validate (json_node_get_string (v), -1, NULL))
        return fail (r, _("'%s': the \"%s\" text is not valid UTF-8"), label, langs[i]);
    }
  nw_lesson_text_set (out, json_object_get_string_member (obj, "ko"),
                      json_object_get_string_member (obj, "en"));
  return TRUE;
}

static gboolean
read_text (Reader *r, JsonObject *obj, const char *name, gboolean required, NwLessonText *out,
           gboolean *present)
{
  JsonNode *node = json_object_get_member (obj, name);
  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return required ? fail (r, _("'%s' is missing"), name) : TRUE;
  return read_text_node (r, node, name, out);
}

/* A list of view names into a mask. */
static gboolean
read_views (Reader *r, JsonObject *obj, const char *name, gboolean required, guint *mask)
{
  JsonNode *node;
  JsonArray *array;

  if (!get_container (r, obj, name, required, JSON_NODE_ARRAY, &node))
    return FALSE;
  *mask = 0;
  if (node == NULL)
    return TRUE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *v = json_array_get_element (array, i);
      int view = nw_json_is_string (v) ? nw_lesson_view_from_name (json_node_get_string (v)) : -1;
      if (!nw_json_is_string (v))
        return fail (r, _("'%s': element %u must be a view's name, not %s"), name, i + 1, nw_json_type_name (v));
      if (view < 0)
        return fail (r, _("'%s': unknown view \"%s\" (editor, boundary, maps, loss, gradients, activations, weights, digits, confusion)"),
                     name, json_node_get_string (v));
      if (*mask & NW_LESSON_BIT (view))
        return fail (r, _("'%s': view \"%s\" is listed twice"), name, json_node_get_string (v));
      *mask |= NW_LESSON_BIT (view);
    }
  return TRUE;
}

static gboolean
control_from_node (Reader *r, JsonNode *v, const char *name, int *out)
{
  if (!nw_json_is_string (v))
    return fail (r, _("'%s' must be a control's name, not %s"), name, nw_json_type_name (v));
  *out = nw_lesson_control_from_name (json_node_get_string (v));
  if (*out < 0)
    return fail (r, _("'%s': unknown control \"%s\" (editor, data, optimizer, lr, batch, penalties, seed, switches, device, reset, pace, weights, files)"),
                 name, json_node_get_string (v));
  return TRUE;
}

/* A JSON value written back as text for nw_spec_from_json. Not json_to_string: json-glib's
 * generator writes 1e-08 as "1e-08.0", which no parser reads. The depth was checked before
 * parsing (nw_json_check_depth), so the recursion is bounded. */
static void
write_node_json (NwJsonWriter *w, const char *key, JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *obj = json_node_get_object (node);
        GList *members = json_object_get_members (obj);
        nw_json_begin_object (w, key);
        for (GList *l = members; l != NULL; l = l->next)
          write_node_json (w, l->data, json_object_get_member (obj, l->data));
        nw_json_end_object (w);
        g_list_free (members);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        nw_json_begin_array (w, key);
        for (guint i = 0; i < json_array_get_length (array); i++)
          write_node_json (w, NULL, json_array_get_element (array, i));
        nw_json_end_array (w);
      }
      break;
    case JSON_NODE_NULL:
      nw_json_null (w, key);
      break;
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);
        if (type == G_TYPE_STRING)
          nw_json_string (w, key, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          nw_json_bool (w, key, json_node_get_boolean (node));
        else if (type == G_TYPE_INT64)
          nw_json_int (w, key, json_node_get_int (node));
        else
          nw_json_double (w, key, json_node_get_double (node));
      }
      break;
    }
}

/* An embedded spec; its own errors come back with the lesson's location. */
static NwSpec *
read_spec (Reader *r, JsonNode *node, const char *name)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  NwSpec *spec;
  const char *msg;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (r, _("'%s' must be a network spec (an object), not %s"), name, nw_json_type_name (node));
      return NULL;
    }
  {
    NwJsonWriter *w = nw_json_writer_new (NW_JSON_COMPACT, NW_JSON_DOUBLE_SHORTEST);
    write_node_json (w, NULL, node);
    text = nw_json_writer_finish (w);
  }
  spec = nw_spec_from_json (text, -1, &local);
  if (spec != NULL)
    return spec;
  msg = local->message;
  if (g_str_has_prefix (msg, "<string>: "))
    msg += strlen ("<string>: ");
  fail (r, "%s: %s", name, msg);
  return NULL;
}

/* The current network's node `id`, or NULL after an error naming `field`. */
static NwNodeSpec *
find_node (Reader *r, const char *id, const char *field)
{
  NwNodeSpec *node = nw_spec_find_node (r->current, id);
  if (node == NULL)
    fail (r, _("'%s': the network has no node '%s' here"), field, id);
  return node;
}

static gboolean
read_weights (Reader *r, JsonObject *obj, NwLessonAction *a)
{
  JsonNode *values;
  JsonObject *vobj;
  GList *members;
  gboolean ok = TRUE;

  if (!get_container (r, obj, "values", TRUE, JSON_NODE_OBJECT, &values))
    return FALSE;
  vobj = json_node_get_object (values);
  a->params = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_lesson_param_free);
  members = json_object_get_members (vobj);
  if (members == NULL)
    ok = fail (r, _("'values' names no parameter"));
  for (GList *l = members; ok && l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *dot = strrchr (key, '.');
      JsonNode *v = json_object_get_member (vobj, key);
      NwLessonParam *p;
      NwNodeSpec *node;
      JsonArray *rows;
      g_autofree char *id = NULL;

      if (dot == NULL || dot == key || (strcmp (dot, ".weight") != 0 && strcmp (dot, ".bias") != 0))
        {
          ok = fail (r, _("'values': \"%s\" is not NODE.weight or NODE.bias"), key);
          break;
        }
      id = g_strndup (key, (gsize) (dot - key));
      if ((node = find_node (r, id, key)) == NULL)
        {
          ok = FALSE;
          break;
        }
      if (node->kind != NW_NODE_DENSE)
        {
          ok = fail (r, _("'%s': node '%s' is a %s node; weights are typed into Dense nodes"), key, id,
                     nw_node_kind_name (node->kind));
          break;
        }
      p = g_new0 (NwLessonParam, 1);
      p->node = g_strdup (id);
      p->bias = strcmp (dot, ".bias") == 0;
      p->rank = p->bias ? 1 : 2;
      g_ptr_array_add (a->params, p);
      if (p->bias && !node->bias)
        {
          ok = fail (r, _("'%s': node '%s' has no bias"), key, id);
          break;
        }
      if (!JSON_NODE_HOLDS_ARRAY (v) || json_array_get_length (json_node_get_array (v)) == 0)
        {
          ok = fail (r, p->bias ? _("'%s' must be a list of numbers, one per unit")
                                : _("'%s' must be a list of rows (one per unit) of numbers (one per input)"),
                     key);
          break;
        }
      rows = json_node_get_array (v);
      p->rows = (int) json_array_get_length (rows);
      if (p->rows != node->units)
        {
          ok = fail (r, _("'%s' has %d rows, but node '%s' has %d units"), key, p->rows, id, node->units);
          break;
        }
      if (p->bias)
        {
          p->cols = 1;
          p->values = g_new (double, p->rows);
          for (int i = 0; ok && i < p->rows; i++)
            {
              JsonNode *e = json_array_get_element (rows, (guint) i);
              if (!nw_json_is_number (e) || !isfinite (json_node_get_double (e)))
                ok = fail (r, _("'%s': value %d must be a finite number, not %s"), key, i + 1, nw_json_type_name (e));
              else
                p->values[i] = json_node_get_double (e);
            }
          continue;
        }
      for (int i = 0; ok && i < p->rows; i++)
        {
          JsonNode *row = json_array_get_element (rows, (guint) i);
          JsonArray *cols;
          if (!JSON_NODE_HOLDS_ARRAY (row) || json_array_get_length (json_node_get_array (row)) == 0)
            {
              ok = fail (r, _("'%s': row %d must be a list of numbers (one per input)"), key, i + 1);
              break;
            }
          cols = json_node_get_array (row);
          if (i == 0)
            {
              p->cols = (int) json_array_get_length (cols);
              p->values = g_new (double, (gsize) p->rows * (gsize) p->cols);
            }
          else if ((int) json_array_get_length (cols) != p->cols)
            {
              ok = fail (r, _("'%s': row %d has %u values, row 1 has %d"), key, i + 1,
                         json_array_get_length (cols), p->cols);
              break;
            }
          for (int j = 0; ok && j < p->cols; j++)
            {
              JsonNode *e = json_array_get_element (cols, (guint) j);
              if (!nw_json_is_number (e) || !isfinite (json_node_get_double (e)))
                ok = fail (r, _("'%s': row %d, value %d must be a finite number, not %s"), key, i + 1,
                           j + 1, nw_json_type_name (e));
              else
                p->values[(gsize) i * (gsize) p->cols + (gsize) j] = json_node_get_double (e);
            }
        }
    }
  g_list_free (members);
  return ok;
}

static gboolean
read_until (Reader *r, JsonObject *obj, NwLessonAction *a)
{
  static const char *const fields[] = { "step", "epochs", "loss_below", "max_steps", NULL };
  JsonNode *node;
  JsonObject *u;
  int given;

  if (!get_container (r, obj, "until", TRUE, JSON_NODE_OBJECT, &node))
    return FALSE;
  u = json_node_get_object (node);
  if (!check_fields (r, u, fields))
    return FALSE;
  given = json_object_has_member (u, "step") + json_object_has_member (u, "epochs")
          + json_object_has_member (u, "loss_below");
  if (given != 1)
    return fail (r, _("'until' takes exactly one of \"step\", \"epochs\" and \"loss_below\""));
  if (json_object_has_member (u, "step"))
    {
      a->until = NW_LESSON_UNTIL_STEP;
      return get_int (r, u, "step", TRUE, 0, G_MAXINT64, &a->n)
             && (!json_object_has_member (u, "max_steps")
                 || fail (r, _("'max_steps' goes with \"loss_below\"")));
    }
  if (json_object_has_member (u, "epochs"))
    {
      a->until = NW_LESSON_UNTIL_EPOCHS;
      return get_int (r, u, "epochs", TRUE, 1, G_MAXINT, &a->n)
             && (!json_object_has_member (u, "max_steps")
                 || fail (r, _("'max_steps' goes with \"loss_below\"")));
    }
  a->until = NW_LESSON_UNTIL_LOSS_BELOW;
  return get_number (r, u, "loss_below", TRUE, 0, &a->loss)
         && get_int (r, u, "max_steps", TRUE, 1, G_MAXINT64, &a->n);
}

static NwLessonAction *
read_action (Reader *r, JsonNode *node)
{
  static const char *const f_load[] = { "do", "network", NULL };
  static const char *const f_set[] = { "do", "field", "value", NULL };
  static const char *const f_enable[] = { "do", "node", "on", NULL };
  static const char *const f_bare[] = { "do", NULL };
  static const char *const f_weights[] = { "do", "values", NULL };
  static const char *const f_train[] = { "do", "until", NULL };
  static const char *const f_pace[] = { "do", "steps_per_s", NULL };
  static const char *const f_show[] = { "do", "views", NULL };
  static const char *const f_mode[] = { "do", "view", NULL };
  static const char *const f_device[] = { "do", "backend", NULL };
  static const char *const f_slot[] = { "do", "slot", NULL };
  g_autoptr (NwLessonAction) a = NULL;
  JsonObject *obj;
  const char *what = NULL, *s = NULL;
  int kind;
  g_autoptr (GError) local = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (r, _("an action must be an object, not %s"), nw_json_type_name (node));
      return NULL;
    }
  obj = json_node_get_object (node);
  if (!get_string (r, obj, "do", TRUE, &what))
    return NULL;
  kind = nw_lesson_action_from_name (what);
  if (kind < 0)
    {
      fail (r, _("unknown action \"%s\""), what);
      return NULL;
    }
  a = nw_lesson_action_new ((NwLessonActionKind) kind);
  switch (a->kind)
    {
    case NW_LESSON_ACTION_LOAD:
      if (!check_fields (r, obj, f_load) || !get_string (r, obj, "network", TRUE, &s))
        return NULL;
      a->network = g_strdup (s);
      if (nw_lesson_find_network (r->lesson, s) == NULL)
        {
          fail (r, _("'network': the lesson has no network \"%s\" (\"start\" or an id of 'networks')"), s);
          return NULL;
        }
      break;

    case NW_LESSON_ACTION_SET:
      {
        JsonNode *v;
        if (!check_fields (r, obj, f_set) || !get_string (r, obj, "field", TRUE, &s)
            || (v = require (r, obj, "value")) == NULL)
          return NULL;
        a->field = g_strdup (s);
        if (nw_json_is_number (v))
          {
            a->value_type = NW_LESSON_VALUE_NUMBER;
            a->number = json_node_get_double (v);
          }
        else if (nw_json_is_string (v))
          {
            a->value_type = NW_LESSON_VALUE_STRING;
            a->string = g_strdup (json_node_get_string (v));
          }
        else if (nw_json_is_bool (v))
          {
            a->value_type = NW_LESSON_VALUE_BOOL;
            a->boolean = json_node_get_boolean (v);
          }
        else
          {
            fail (r, _("'value' must be a number, a string or a boolean, not %s"), nw_json_type_name (v));
            return NULL;
          }
      }
      break;

    case NW_LESSON_ACTION_ENABLE:
      if (!check_fields (r, obj, f_enable) || !get_string (r, obj, "node", TRUE, &s)
          || !get_bool (r, obj, "on", TRUE, &a->on))
        return NULL;
      a->node = g_strdup (s);
      break;

    case NW_LESSON_ACTION_RESET:
      if (!check_fields (r, obj, f_bare))
        return NULL;
      break;

    case NW_LESSON_ACTION_WEIGHTS:
      if (!check_fields (r, obj, f_weights) || !read_weights (r, obj, a))
        return NULL;
      break;

    case NW_LESSON_ACTION_TRAIN:
      if (!check_fields (r, obj, f_train) || !read_until (r, obj, a))
        return NULL;
      break;

    case NW_LESSON_ACTION_PACE:
      if (!check_fields (r, obj, f_pace) || !get_number (r, obj, "steps_per_s", TRUE, 0, &a->steps_per_s))
        return NULL;
      break;

    case NW_LESSON_ACTION_SHOW:
      if (!check_fields (r, obj, f_show) || !read_views (r, obj, "views", TRUE, &a->views))
        return NULL;
      break;

    case NW_LESSON_ACTION_MODE:
      if (!check_fields (r, obj, f_mode) || !get_string (r, obj, "view", TRUE, &s))
        return NULL;
      if (strcmp (s, "train") != 0 && strcmp (s, "eval") != 0)
        {
          fail (r, _("'view' is \"train\" or \"eval\", not \"%s\""), s);
          return NULL;
        }
      a->mode = strcmp (s, "eval") == 0 ? NW_LESSON_MODE_EVAL : NW_LESSON_MODE_TRAIN;
      break;

    case NW_LESSON_ACTION_DEVICE:
      if (!check_fields (r, obj, f_device) || !get_string (r, obj, "backend", TRUE, &s))
        return NULL;
      if (strcmp (s, "cpu") != 0 && strcmp (s, "opencl") != 0)
        {
          fail (r, _("'backend' is \"cpu\" or \"opencl\", not \"%s\""), s);
          return NULL;
        }
      a->device = strcmp (s, "opencl") == 0 ? NW_LESSON_DEVICE_OPENCL : NW_LESSON_DEVICE_CPU;
      break;

    case NW_LESSON_ACTION_SAVE:
    case NW_LESSON_ACTION_RESTORE:
      if (!check_fields (r, obj, f_slot) || !get_string (r, obj, "slot", TRUE, &s))
        return NULL;
      if (!nw_spec_id_is_valid (s))
        {
          fail (r, _("'slot' must be letters, digits, '_', '.' or '-', not \"%s\""), s);
          return NULL;
        }
      a->slot = g_strdup (s);
      if (a->kind == NW_LESSON_ACTION_SAVE)
        g_hash_table_add (r->slots, g_strdup (s));
      else if (!g_hash_table_contains (r->slots, s))
        {
          fail (r, _("'slot': no earlier action saves slot \"%s\""), s);
          return NULL;
        }
      break;

    case NW_LESSON_N_ACTIONS:
    default:
      g_assert_not_reached ();
    }

  /* The network as the run has it from here. */
  if (!nw_lesson_apply_to_spec (r->lesson, a, r->current, NULL, &local))
    {
      fail (r, "%s", local->message);
      return NULL;
    }
  return g_steal_pointer (&a);
}

static NwLessonCheck *
read_check (Reader *r, JsonNode *node)
{
  static const char *const fields[] = {
    "metric", "at_step", "near", "tol", "below", "above", "below_check", "above_check", "near_check", "name",
    "report", "label", "node", "example", NULL,
  };
  static const char *const compares[] = { "near", "below", "above", "below_check", "above_check", "report",
                                          "near_check" };
  g_autoptr (NwLessonCheck) c = NULL;
  JsonObject *obj;
  const char *s = NULL;
  int metric, given = 0, which = -1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (r, _("a check must be an object, not %s"), nw_json_type_name (node));
      return NULL;
    }
  obj = json_node_get_object (node);
  if (!check_fields (r, obj, fields) || !get_string (r, obj, "metric", TRUE, &s))
    return NULL;
  metric = nw_lesson_metric_from_name (s);
  if (metric < 0)
    {
      fail (r, _("unknown metric \"%s\" (loss, accuracy, test_loss, test_accuracy, grad_ratio, grad_norm, dead_units, output, step, epoch, diverged, steps_per_s)"),
            s);
      return NULL;
    }
  c = nw_lesson_check_new ((NwLessonMetric) metric);
  if (!get_int (r, obj, "at_step", FALSE, 0, G_MAXINT64, &c->at_step))
    return NULL;
  for (int i = 0; i < (int) G_N_ELEMENTS (compares); i++)
    if (json_object_has_member (obj, compares[i]))
      {
        given++;
        which = i;
      }
  if (given != 1)
    {
      fail (r, _("a check takes exactly one of \"near\", \"below\", \"above\", \"below_check\", \"above_check\", \"near_check\" and \"report\""));
      return NULL;
    }
  c->compare = (NwLessonCompare) which;
  switch (c->compare)
    {
    case NW_LESSON_COMPARE_NEAR:
      if (!get_number (r, obj, "near", TRUE, -G_MAXDOUBLE, &c->value)
          || !get_number (r, obj, "tol", TRUE, 0, &c->tol))
        return NULL;
      break;
    case NW_LESSON_COMPARE_BELOW:
    case NW_LESSON_COMPARE_ABOVE:
      if (!get_number (r, obj, compares[which], TRUE, -G_MAXDOUBLE, &c->value))
        return NULL;
      break;
    case NW_LESSON_COMPARE_BELOW_CHECK:
    case NW_LESSON_COMPARE_ABOVE_CHECK:
    case NW_LESSON_COMPARE_NEAR_CHECK:
      if (c->compare == NW_LESSON_COMPARE_NEAR_CHECK
          && !get_number (r, obj, "tol", TRUE, 0, &c->tol))
        return NULL;
      if (!get_string (r, obj, compares[which], TRUE, &s))
        return NULL;
      if (!g_hash_table_contains (r->names, s))
        {
          fail (r, _("'%s': no earlier check is named \"%s\""), compares[which], s);
          return NULL;
        }
      c->other = g_strdup (s);
      break;
    case NW_LESSON_COMPARE_REPORT:
    default:
      {
        gboolean report = FALSE;
        if (!get_bool (r, obj, "report", TRUE, &report))
          return NULL;
        if (!report)
          {
            fail (r, _("'report' is only ever true (leave it out otherwise)"));
            return NULL;
          }
      }
      break;
    }
  if (c->compare != NW_LESSON_COMPARE_NEAR && c->compare != NW_LESSON_COMPARE_NEAR_CHECK
      && json_object_has_member (obj, "tol"))
    {
      fail (r, _("'tol' goes with \"near\" or \"near_check\""));
      return NULL;
    }
  if (c->metric == NW_LESSON_METRIC_STEPS_PER_S && c->compare != NW_LESSON_COMPARE_REPORT)
    {
      fail (r, _("metric \"steps_per_s\" is only reported (\"report\": true), never judged"));
      return NULL;
    }
  if (c->metric == NW_LESSON_METRIC_GRAD_NORM || c->metric == NW_LESSON_METRIC_DEAD_UNITS)
    {
      NwNodeSpec *n;
      if (!get_string (r, obj, "node", TRUE, &s) || (n = find_node (r, s, "node")) == NULL)
        return NULL;
      if (c->metric == NW_LESSON_METRIC_GRAD_NORM && n->kind != NW_NODE_DENSE)
        {
          fail (r, _("'node': grad_norm is measured on a Dense node's weights; '%s' is a %s node"), s,
                nw_node_kind_name (n->kind));
          return NULL;
        }
      if (c->metric == NW_LESSON_METRIC_DEAD_UNITS && n->kind != NW_NODE_ACTIVATION)
        {
          fail (r, _("'node': dead_units is measured on an Activation node; '%s' is a %s node"), s,
                nw_node_kind_name (n->kind));
          return NULL;
        }
      c->node = g_strdup (s);
    }
  else if (json_object_has_member (obj, "node"))
    {
      fail (r, _("'node' goes with the metrics grad_norm and dead_units"));
      return NULL;
    }
  if (c->metric == NW_LESSON_METRIC_OUTPUT)
    {
      gint64 ex = 0;
      if (!get_int (r, obj, "example", TRUE, 0, G_MAXINT, &ex))
        return NULL;
      c->example = (int) ex;
    }
  else if (json_object_has_member (obj, "example"))
    {
      fail (r, _("'example' goes with the metric output"));
      return NULL;
    }
  if (!get_string (r, obj, "name", FALSE, &s))
    return NULL;
  if (s != NULL)
    {
      if (!nw_spec_id_is_valid (s))
        {
          fail (r, _("'name' must be letters, digits, '_', '.' or '-', not \"%s\""), s);
          return NULL;
        }
      if (g_hash_table_contains (r->names, s))
        {
          fail (r, _("'name': another check is already named \"%s\""), s);
          return NULL;
        }
      c->name = g_strdup (s);
    }
  if (!read_text (r, obj, "label", TRUE, &c->label, NULL))
    return NULL;
  /* Only now: a check cannot compare with itself. */
  if (c->name != NULL)
    g_hash_table_add (r->names, g_strdup (c->name));
  return g_steal_pointer (&c);
}

static void
text_free (gpointer data)
{
  nw_lesson_text_clear (data);
  g_free (data);
}

/* NULL after an error. */
static NwLessonQuestion *
read_question (Reader *r, JsonNode *node)
{
  static const char *const fields[] = { "text", "choices", "answer", "explain", NULL };
  NwLessonQuestion *q;
  JsonObject *obj;
  JsonNode *choices;
  JsonArray *array;
  gint64 answer = 0;

  set_part (r, g_strdup (_("question")));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (r, _("must be an object, not %s"), nw_json_type_name (node));
      return NULL;
    }
  obj = json_node_get_object (node);
  q = g_new0 (NwLessonQuestion, 1);
  q->choices = g_ptr_array_new_with_free_func (text_free);
  if (!check_fields (r, obj, fields)
      || !read_text (r, obj, "text", TRUE, &q->text, NULL)
      || !get_container (r, obj, "choices", TRUE, JSON_NODE_ARRAY, &choices))
    goto fail;
  array = json_node_get_array (choices);
  if (json_array_get_length (array) < 2)
    {
      fail (r, _("'choices' needs at least two choices"));
      goto fail;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      NwLessonText *t = g_new0 (NwLessonText, 1);
      g_autofree char *field = g_strdup_printf (_("choice %u"), i + 1);
      g_ptr_array_add (q->choices, t);
      if (!read_text_node (r, json_array_get_element (array, i), field, t))
        goto fail;
    }
  if (!get_int (r, obj, "answer", TRUE, 0, G_MAXINT, &answer))
    goto fail;
  if (answer >= (gint64) q->choices->len)
    {
      fail (r, _("'answer' is %" PRId64 ", but the choices are numbered 0 to %u"), answer,
            q->choices->len - 1);
      goto fail;
    }
  q->answer = (int) answer;
  if (!read_text (r, obj, "explain", TRUE, &q->explain, NULL))
    goto fail;
  set_part (r, NULL);
  return q;

fail:
  nw_lesson_question_free (q);
  return NULL;
}

static NwLessonStep *
read_step (Reader *r, JsonNode *node, guint index)
{
  static const char *const fields[] = { "id", "title", "text", "question", "actions", "checks", NULL };
  g_autoptr (NwLessonStep) step = NULL;
  JsonObject *obj;
  JsonNode *actions, *checks, *question;
  const char *id = NULL;

  g_free (r->step);
  r->step = g_strdup_printf (_("step %u"), index + 1);
  set_part (r, NULL);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (r, _("a step must be an object, not %s"), nw_json_type_name (node));
      return NULL;
    }
  obj = json_node_get_object (node);
  /* The id first, so that every later message names it. */
  if (!get_string (r, obj, "id", FALSE, &id))
    return NULL;
  if (id != NULL)
    {
      g_free (r->step);
      /* Translators: "step 3 ('plateau')": a step's number and its id */
      r->step = g_strdup_printf (_("step %u ('%s')"), index + 1, id);
      if (!lesson_id_is_valid (id))
        {
          fail (r, _("'id' must be lower-case letters, digits and '-'"));
          return NULL;
        }
      if (g_hash_table_contains (r->step_ids, id))
        {
          fail (r, _("'id': another step is already called '%s'"), id);
          return NULL;
        }
      g_hash_table_add (r->step_ids, g_strdup (id));
    }
  step = nw_lesson_step_new ();
  step->id = g_strdup (id);
  if (!check_fields (r, obj, fields)
      || !read_text (r, obj, "title", TRUE, &step->title, NULL)
      || !read_text (r, obj, "text", TRUE, &step->text, NULL)
      || !get_container (r, obj, "question", FALSE, JSON_NODE_OBJECT, &question)
      || !get_container (r, obj, "actions", FALSE, JSON_NODE_ARRAY, &actions)
      || !get_container (r, obj, "checks", FALSE, JSON_NODE_ARRAY, &checks))
    return NULL;
  if (question != NULL)
    {
      if ((step->question = read_question (r, question)) == NULL)
        return NULL;
    }
  if (actions != NULL)
    {
      JsonArray *array = json_node_get_array (actions);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          NwLessonAction *a;
          set_part (r, g_strdup_printf (_("action %u"), i + 1));
          if ((a = read_action (r, json_array_get_element (array, i))) == NULL)
            return NULL;
          g_ptr_array_add (step->actions, a);
        }
    }
  if (checks != NULL)
    {
      JsonArray *array = json_node_get_array (checks);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          NwLessonCheck *c;
          set_part (r, g_strdup_printf (_("check %u"), i + 1));
          if ((c = read_check (r, json_array_get_element (array, i))) == NULL)
            return NULL;
          g_ptr_array_add (step->checks, c);
        }
    }
  set_part (r, NULL);
  return g_steal_pointer (&step);
}

static gboolean
read_document (Reader *r, JsonNode *root)
{
  static const char *const fields[] = {
    "format", "version", "id", "chapter", "title", "summary", "minutes", "notes", "spec",
    "networks", "views", "hidden", "locks", "pace", "steps", NULL,
  };
  NwLesson *l = r->lesson;
  JsonObject *obj;
  JsonNode *spec, *networks, *hidden, *locks, *steps;
  const char *s = NULL;
  gint64 version = 0, minutes = 0;

  if (root == NULL)
    return fail (r, _("the document is empty"));
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (r, _("the document must be a JSON object, not %s"), nw_json_type_name (root));
  obj = json_node_get_object (root);
  if (!get_string (r, obj, "format", TRUE, &s))
    return FALSE;
  if (strcmp (s, NW_LESSON_FORMAT) != 0)
    return fail (r, _("'format' is not '%s' (got '%s')"), NW_LESSON_FORMAT, s);
  if (!get_int (r, obj, "version", TRUE, G_MININT64, G_MAXINT64, &version))
    return FALSE;
  if (version != NW_LESSON_VERSION)
    return fail (r, _("unsupported version %" PRId64 " (this program reads version %d)"), version,
                 NW_LESSON_VERSION);
  if (!check_fields (r, obj, fields) || !get_string (r, obj, "id", TRUE, &s))
    return FALSE;
  if (!lesson_id_is_valid (s))
    return fail (r, _("'id' must be lower-case letters, digits and '-', not \"%s\""), s);
  l->id = g_strdup (s);
  if (!read_text (r, obj, "chapter", TRUE, &l->chapter, NULL)
      || !read_text (r, obj, "title", TRUE, &l->title, NULL)
      || !read_text (r, obj, "summary", TRUE, &l->summary, NULL)
      || !get_int (r, obj, "minutes", TRUE, 1, 1000, &minutes)
      || !get_string (r, obj, "notes", FALSE, &s))
    return FALSE;
  l->minutes = (int) minutes;
  l->notes = g_strdup (s);
  if ((spec = require (r, obj, "spec")) == NULL || (l->spec = read_spec (r, spec, "spec")) == NULL)
    return FALSE;
  if (!get_container (r, obj, "networks", FALSE, JSON_NODE_OBJECT, &networks))
    return FALSE;
  if (networks != NULL)
    {
      JsonObject *nobj = json_node_get_object (networks);
      GList *members = json_object_get_members (nobj);
      gboolean ok = TRUE;
      for (GList *m = members; ok && m != NULL; m = m->next)
        {
          const char *id = m->data;
          g_autofree char *label = g_strdup_printf ("networks '%s'", id);
          NwLessonNetwork *n;
          if (!nw_spec_id_is_valid (id) || strcmp (id, "start") == 0)
            {
              ok = fail (r, _("'networks': \"%s\" is not a network id (letters, digits, '_', '.', '-'; not \"start\")"),
                         id);
              break;
            }
          n = g_new0 (NwLessonNetwork, 1);
          n->id = g_strdup (id);
          g_ptr_array_add (l->networks, n);
          if ((n->spec = read_spec (r, json_object_get_member (nobj, id), label)) == NULL)
            ok = FALSE;
        }
      g_list_free (members);
      if (!ok)
        return FALSE;
    }
  if (!read_views (r, obj, "views", TRUE, &l->views)
      || !get_container (r, obj, "hidden", FALSE, JSON_NODE_ARRAY, &hidden)
      || !get_container (r, obj, "locks", FALSE, JSON_NODE_ARRAY, &locks)
      || !get_number (r, obj, "pace", FALSE, 0, &l->pace)
      || !get_container (r, obj, "steps", TRUE, JSON_NODE_ARRAY, &steps))
    return FALSE;
  if (hidden != NULL)
    {
      JsonArray *array = json_node_get_array (hidden);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          int control;
          if (!control_from_node (r, json_array_get_element (array, i), "hidden", &control))
            return FALSE;
          if (l->hidden & NW_LESSON_BIT (control))
            return fail (r, _("'hidden': control \"%s\" is listed twice"), nw_lesson_control_name (control));
          l->hidden |= NW_LESSON_BIT (control);
        }
    }
  if (locks != NULL)
    {
      static const char *const lock_fields[] = { "control", "reason", NULL };
      JsonArray *array = json_node_get_array (locks);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          JsonObject *lobj;
          JsonNode *cnode;
          NwLessonLock *lock;
          int control;
          set_part (r, g_strdup_printf (_("lock %u"), i + 1));
          if (!JSON_NODE_HOLDS_OBJECT (e))
            return fail (r, _("a lock must be an object, not %s"), nw_json_type_name (e));
          lobj = json_node_get_object (e);
          if (!check_fields (r, lobj, lock_fields) || (cnode = require (r, lobj, "control")) == NULL
              || !control_from_node (r, cnode, "control", &control))
            return FALSE;
          if (nw_lesson_find_lock (l, control) != NULL)
            return fail (r, _("'control': \"%s\" is locked twice"), nw_lesson_control_name (control));
          lock = g_new0 (NwLessonLock, 1);
          lock->control = control;
          g_ptr_array_add (l->locks, lock);
          if (!read_text (r, lobj, "reason", TRUE, &lock->reason, NULL))
            return FALSE;
        }
      set_part (r, NULL);
    }
  {
    JsonArray *array = json_node_get_array (steps);
    if (json_array_get_length (array) == 0)
      return fail (r, _("'steps' is empty: a lesson has at least one step"));
    r->current = nw_spec_copy (l->spec);
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        NwLessonStep *step = read_step (r, json_array_get_element (array, i), i);
        if (step == NULL)
          return FALSE;
        g_ptr_array_add (l->steps, step);
      }
  }
  return TRUE;
}

static void
parse_error (Reader *r, const GError *json_error)
{
  g_autofree char *msg = nw_json_parse_error_message (json_error);
  fail (r, "%s", msg);
}

NwLesson *
nw_lesson_from_json (const char *json, gssize length, const char *origin, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) json_error = NULL;
  g_autoptr (GError) check_error = NULL;
  g_autoptr (NwLesson) lesson = nw_lesson_new ();
  gsize text_len;
  Reader r = { 0 };
  gboolean ok;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text_len = length < 0 ? strlen (json) : (gsize) length;
  r.file = origin != NULL ? origin : "<string>";
  r.error = error;
  r.lesson = lesson;
  lesson->origin = g_strdup (r.file);
  if (!nw_json_check_depth (json, text_len, NW_JSON_MAX_DEPTH, &check_error)
      || !nw_json_check_integers (json, text_len, &check_error))
    {
      fail (&r, "%s", check_error->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, json, (gssize) text_len, &json_error))
    {
      parse_error (&r, json_error);
      return NULL;
    }
  r.names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.step_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = read_document (&r, json_parser_get_root (parser));
  g_free (r.step);
  g_free (r.part);
  nw_spec_free (r.current);
  g_hash_table_unref (r.names);
  g_hash_table_unref (r.slots);
  g_hash_table_unref (r.step_ids);
  return ok ? g_steal_pointer (&lesson) : NULL;
}

NwLesson *
nw_lesson_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  g_autoptr (GError) io_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &io_error))
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_IO, _("cannot read '%s': %s"), path,
                   io_error->message);
      return NULL;
    }
  if (length > G_MAXSSIZE)
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_IO, _("cannot read '%s': the file is too large"), path);
      return NULL;
    }
  base = g_path_get_basename (path);
  return nw_lesson_from_json (contents, (gssize) length, base, error);
}

gboolean
nw_lesson_validate (const NwLesson *lesson, GError **error)
{
  g_autofree char *json = NULL;
  g_autoptr (NwLesson) back = NULL;

  g_return_val_if_fail (lesson != NULL, FALSE);
  if (lesson->spec == NULL)
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, _("%s: 'spec' is missing"),
                   lesson->origin != NULL ? lesson->origin : "<lesson>");
      return FALSE;
    }
  json = nw_lesson_to_json (lesson);
  back = nw_lesson_from_json (json, -1, lesson->origin, error);
  return back != NULL;
}

/* Writing ------------------------------------------------------------------------------ */

static void
write_text (NwJsonWriter *w, const char *key, const NwLessonText *text)
{
  nw_json_begin_object (w, key);
  nw_json_string (w, "ko", text->ko);
  nw_json_string (w, "en", text->en);
  nw_json_end_object (w);
}

static void
write_mask (NwJsonWriter *w, const char *key, guint mask, int n,
            const char *(*name) (int))
{
  nw_json_begin_array (w, key);
  for (int i = 0; i < n; i++)
    if (mask & NW_LESSON_BIT (i))
      nw_json_string (w, NULL, name (i));
  nw_json_end_array (w);
}

static const char *
view_name_int (int i)
{
  return nw_lesson_view_name ((NwLessonView) i);
}

static const char *
control_name_int (int i)
{
  return nw_lesson_control_name ((NwLessonControl) i);
}

static void
write_action (NwJsonWriter *w, const NwLessonAction *a)
{
  nw_json_begin_object (w, NULL);
  nw_json_string (w, "do", nw_lesson_action_name (a->kind));
  switch (a->kind)
    {
    case NW_LESSON_ACTION_LOAD:
      nw_json_string (w, "network", a->network);
      break;
    case NW_LESSON_ACTION_SET:
      nw_json_string (w, "field", a->field);
      if (a->value_type == NW_LESSON_VALUE_STRING)
        nw_json_string (w, "value", a->string);
      else if (a->value_type == NW_LESSON_VALUE_BOOL)
        nw_json_bool (w, "value", a->boolean);
      else if (a->number == floor (a->number) && fabs (a->number) < 9007199254740992.0)
        nw_json_int (w, "value", (gint64) a->number);
      else
        nw_json_double (w, "value", a->number);
      break;
    case NW_LESSON_ACTION_ENABLE:
      nw_json_string (w, "node", a->node);
      nw_json_bool (w, "on", a->on);
      break;
    case NW_LESSON_ACTION_WEIGHTS:
      nw_json_begin_object (w, "values");
      for (guint i = 0; a->params != NULL && i < a->params->len; i++)
        {
          const NwLessonParam *p = g_ptr_array_index (a->params, i);
          g_autofree char *key = g_strdup_printf ("%s.%s", p->node, p->bias ? "bias" : "weight");
          nw_json_begin_array (w, key);
          for (int r = 0; r < p->rows; r++)
            {
              if (!p->bias)
                nw_json_begin_array (w, NULL);
              for (int c = 0; c < p->cols; c++)
                nw_json_double (w, NULL, p->values[(gsize) r * (gsize) p->cols + (gsize) c]);
              if (!p->bias)
                nw_json_end_array (w);
            }
          nw_json_end_array (w);
        }
      nw_json_end_object (w);
      break;
    case NW_LESSON_ACTION_TRAIN:
      nw_json_begin_object (w, "until");
      if (a->until == NW_LESSON_UNTIL_STEP)
        nw_json_int (w, "step", a->n);
      else if (a->until == NW_LESSON_UNTIL_EPOCHS)
        nw_json_int (w, "epochs", a->n);
      else
        {
          nw_json_double (w, "loss_below", a->loss);
          nw_json_int (w, "max_steps", a->n);
        }
      nw_json_end_object (w);
      break;
    case NW_LESSON_ACTION_PACE:
      nw_json_double (w, "steps_per_s", a->steps_per_s);
      break;
    case NW_LESSON_ACTION_SHOW:
      write_mask (w, "views", a->views, NW_LESSON_N_VIEWS, view_name_int);
      break;
    case NW_LESSON_ACTION_MODE:
      nw_json_string (w, "view", a->mode == NW_LESSON_MODE_EVAL ? "eval" : "train");
      break;
    case NW_LESSON_ACTION_DEVICE:
      nw_json_string (w, "backend", a->device == NW_LESSON_DEVICE_OPENCL ? "opencl" : "cpu");
      break;
    case NW_LESSON_ACTION_SAVE:
    case NW_LESSON_ACTION_RESTORE:
      nw_json_string (w, "slot", a->slot);
      break;
    case NW_LESSON_ACTION_RESET:
    case NW_LESSON_N_ACTIONS:
    default:
      break;
    }
  nw_json_end_object (w);
}

static void
write_check (NwJsonWriter *w, const NwLessonCheck *c)
{
  nw_json_begin_object (w, NULL);
  nw_json_string (w, "metric", nw_lesson_metric_name (c->metric));
  if (c->node != NULL)
    nw_json_string (w, "node", c->node);
  if (c->metric == NW_LESSON_METRIC_OUTPUT)
    nw_json_int (w, "example", c->example);
  if (c->at_step >= 0)
    nw_json_int (w, "at_step", c->at_step);
  switch (c->compare)
    {
    case NW_LESSON_COMPARE_NEAR:
      nw_json_double (w, "near", c->value);
      nw_json_double (w, "tol", c->tol);
      break;
    case NW_LESSON_COMPARE_BELOW:
    case NW_LESSON_COMPARE_ABOVE:
      nw_json_double (w, nw_lesson_compare_name (c->compare), c->value);
      break;
    case NW_LESSON_COMPARE_BELOW_CHECK:
    case NW_LESSON_COMPARE_ABOVE_CHECK:
      nw_json_string (w, nw_lesson_compare_name (c->compare), c->other);
      break;
    case NW_LESSON_COMPARE_NEAR_CHECK:
      nw_json_string (w, "near_check", c->other);
      nw_json_double (w, "tol", c->tol);
      break;
    case NW_LESSON_COMPARE_REPORT:
    default:
      nw_json_bool (w, "report", TRUE);
      break;
    }
  if (c->name != NULL)
    nw_json_string (w, "name", c->name);
  write_text (w, "label", &c->label);
  nw_json_end_object (w);
}

static void
write_step (NwJsonWriter *w, const NwLessonStep *s)
{
  nw_json_begin_object (w, NULL);
  if (s->id != NULL)
    nw_json_string (w, "id", s->id);
  write_text (w, "title", &s->title);
  write_text (w, "text", &s->text);
  if (s->question != NULL)
    {
      const NwLessonQuestion *q = s->question;
      nw_json_begin_object (w, "question");
      write_text (w, "text", &q->text);
      nw_json_begin_array (w, "choices");
      for (guint i = 0; i < q->choices->len; i++)
        write_text (w, NULL, g_ptr_array_index (q->choices, i));
      nw_json_end_array (w);
      nw_json_int (w, "answer", q->answer);
      write_text (w, "explain", &q->explain);
      nw_json_end_object (w);
    }
  nw_json_begin_array (w, "actions");
  for (guint i = 0; i < s->actions->len; i++)
    write_action (w, g_ptr_array_index (s->actions, i));
  nw_json_end_array (w);
  nw_json_begin_array (w, "checks");
  for (guint i = 0; i < s->checks->len; i++)
    write_check (w, g_ptr_array_index (s->checks, i));
  nw_json_end_array (w);
  nw_json_end_object (w);
}

char *
nw_lesson_to_json (const NwLesson *l)
{
  g_autoptr (NwJsonWriter) w = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (l != NULL, NULL);

  w = nw_json_writer_new (NW_JSON_PRETTY, NW_JSON_DOUBLE_SHORTEST);
  nw_json_begin_object (w, NULL);
  nw_json_string (w, "format", NW_LESSON_FORMAT);
  nw_json_int (w, "version", NW_LESSON_VERSION);
  nw_json_string (w, "id", l->id);
  write_text (w, "chapter", &l->chapter);
  write_text (w, "title", &l->title);
  write_text (w, "summary", &l->summary);
  nw_json_int (w, "minutes", l->minutes);
  if (l->notes != NULL)
    nw_json_string (w, "notes", l->notes);
  if (l->spec != NULL)
    nw_spec_write_json (l->spec, w, "spec");
  if (l->networks->len > 0)
    {
      nw_json_begin_object (w, "networks");
      for (guint i = 0; i < l->networks->len; i++)
        {
          const NwLessonNetwork *n = g_ptr_array_index (l->networks, i);
          nw_spec_write_json (n->spec, w, n->id);
        }
      nw_json_end_object (w);
    }
  write_mask (w, "views", l->views, NW_LESSON_N_VIEWS, view_name_int);
  write_mask (w, "hidden", l->hidden, NW_LESSON_N_CONTROLS, control_name_int);
  nw_json_begin_array (w, "locks");
  for (guint i = 0; i < l->locks->len; i++)
    {
      const NwLessonLock *k = g_ptr_array_index (l->locks, i);
      nw_json_begin_object (w, NULL);
      nw_json_string (w, "control", nw_lesson_control_name (k->control));
      write_text (w, "reason", &k->reason);
      nw_json_end_object (w);
    }
  nw_json_end_array (w);
  nw_json_double (w, "pace", l->pace);
  nw_json_begin_array (w, "steps");
  for (guint i = 0; i < l->steps->len; i++)
    write_step (w, g_ptr_array_index (l->steps, i));
  nw_json_end_array (w);
  nw_json_end_object (w);
  text = nw_json_writer_finish (g_steal_pointer (&w));
  return g_strconcat (text, "\n", NULL);
}

gboolean
nw_lesson_save (const NwLesson *lesson, const char *path, GError **error)
{
  g_autofree char *json = NULL;
  g_autoptr (GError) io_error = NULL;

  g_return_val_if_fail (lesson != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  json = nw_lesson_to_json (lesson);
  /* As nw_spec_save: a temporary file beside `path`, renamed over it. */
  if (!g_file_set_contents (path, json, -1, &io_error))
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_IO, _("cannot save '%s': %s"), path,
                   io_error->message);
      return FALSE;
    }
  return TRUE;
}
