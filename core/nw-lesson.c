/* nw-lesson.c: the lesson's plain data: names, texts, freeing and copying, and the spec-level
 * meaning of the `load`, `set` and `enable` actions (shared by the checker and the window).
 *
 * Reading and writing JSON is in nw-lesson-json.c; the course in nw-course.c. */
#include "nw-lesson.h"
#include "nw-i18n.h"
#include "nw-data.h"
#include "nw-node-kind.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (nw-lesson-error-quark, nw_lesson_error)

static const char *const view_names[NW_LESSON_N_VIEWS] = {
  "editor", "boundary", "maps", "loss", "gradients", "activations", "weights", "digits",
  "confusion",
};

static const char *const control_names[NW_LESSON_N_CONTROLS] = {
  "editor", "data", "optimizer", "lr", "batch", "penalties", "seed", "switches", "device",
  "reset", "pace", "weights", "files",
};

static const char *const action_names[NW_LESSON_N_ACTIONS] = {
  "load", "set", "enable", "reset", "weights", "train", "pace", "show", "mode", "device",
  "save", "restore",
};

static const char *const metric_names[NW_LESSON_N_METRICS] = {
  "loss", "accuracy", "test_loss", "test_accuracy", "grad_ratio", "grad_norm", "dead_units",
  "output", "step", "epoch", "diverged", "steps_per_s",
};

static const char *const compare_names[] = {
  "near", "below", "above", "below_check", "above_check", "report", "near_check",
};

static int
name_index (const char *const *names, int n, const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; i < n; i++)
    if (strcmp (names[i], name) == 0)
      return i;
  return -1;
}

const char *
nw_lesson_view_name (NwLessonView view)
{
  return (int) view >= 0 && view < NW_LESSON_N_VIEWS ? view_names[view] : NULL;
}

int
nw_lesson_view_from_name (const char *name)
{
  return name_index (view_names, NW_LESSON_N_VIEWS, name);
}

const char *
nw_lesson_control_name (NwLessonControl control)
{
  return (int) control >= 0 && control < NW_LESSON_N_CONTROLS ? control_names[control] : NULL;
}

int
nw_lesson_control_from_name (const char *name)
{
  return name_index (control_names, NW_LESSON_N_CONTROLS, name);
}

const char *
nw_lesson_action_name (NwLessonActionKind kind)
{
  return (int) kind >= 0 && kind < NW_LESSON_N_ACTIONS ? action_names[kind] : NULL;
}

int
nw_lesson_action_from_name (const char *name)
{
  return name_index (action_names, NW_LESSON_N_ACTIONS, name);
}

const char *
nw_lesson_metric_name (NwLessonMetric metric)
{
  return (int) metric >= 0 && metric < NW_LESSON_N_METRICS ? metric_names[metric] : NULL;
}

int
nw_lesson_metric_from_name (const char *name)
{
  return name_index (metric_names, NW_LESSON_N_METRICS, name);
}

const char *
nw_lesson_compare_name (NwLessonCompare compare)
{
  return (int) compare >= 0 && (gsize) compare < G_N_ELEMENTS (compare_names)
         ? compare_names[compare] : NULL;
}

/* Texts ---------------------------------------------------------------------------------- */

const char *
nw_lesson_text_get (const NwLessonText *text, const char *lang)
{
  g_return_val_if_fail (text != NULL, NULL);
  if (g_strcmp0 (lang, "ko") == 0 && text->ko != NULL)
    return text->ko;
  return text->en != NULL ? text->en : text->ko;
}

const char *
nw_lesson_lang_from_locale (void)
{
  const char *const *names = g_get_language_names ();
  for (int i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "ko"))
        return "ko";
      if (g_str_has_prefix (names[i], "en") || strcmp (names[i], "C") == 0
          || strcmp (names[i], "POSIX") == 0)
        return "en";
    }
  return "en";
}

void
nw_lesson_text_clear (NwLessonText *text)
{
  if (text == NULL)
    return;
  g_clear_pointer (&text->ko, g_free);
  g_clear_pointer (&text->en, g_free);
}

void
nw_lesson_text_set (NwLessonText *text, const char *ko, const char *en)
{
  char *k = g_strdup (ko), *e = g_strdup (en);
  nw_lesson_text_clear (text);
  text->ko = k;
  text->en = e;
}

void
nw_lesson_text_copy (NwLessonText *dst, const NwLessonText *src)
{
  nw_lesson_text_set (dst, src->ko, src->en);
}

static NwLessonText *
text_dup (const NwLessonText *src)
{
  NwLessonText *t = g_new0 (NwLessonText, 1);
  nw_lesson_text_copy (t, src);
  return t;
}

static void
text_free (gpointer data)
{
  NwLessonText *t = data;
  nw_lesson_text_clear (t);
  g_free (t);
}

/* Freeing and copying ------------------------------------------------------------------- */

void
nw_lesson_param_free (NwLessonParam *param)
{
  if (param == NULL)
    return;
  g_free (param->node);
  g_free (param->values);
  g_free (param);
}

static NwLessonParam *
param_dup (const NwLessonParam *src)
{
  NwLessonParam *p = g_memdup2 (src, sizeof *src);
  p->node = g_strdup (src->node);
  p->values = g_memdup2 (src->values, sizeof (double) * (gsize) src->rows * (gsize) src->cols);
  return p;
}

NwLessonAction *
nw_lesson_action_new (NwLessonActionKind kind)
{
  NwLessonAction *a = g_new0 (NwLessonAction, 1);
  a->kind = kind;
  a->on = TRUE;
  return a;
}

void
nw_lesson_action_free (NwLessonAction *action)
{
  if (action == NULL)
    return;
  g_free (action->network);
  g_free (action->field);
  g_free (action->string);
  g_free (action->node);
  g_clear_pointer (&action->params, g_ptr_array_unref);
  g_free (action->slot);
  g_free (action);
}

static NwLessonAction *
action_dup (const NwLessonAction *src)
{
  NwLessonAction *a = g_memdup2 (src, sizeof *src);
  a->network = g_strdup (src->network);
  a->field = g_strdup (src->field);
  a->string = g_strdup (src->string);
  a->node = g_strdup (src->node);
  a->slot = g_strdup (src->slot);
  a->params = NULL;
  if (src->params != NULL)
    {
      a->params = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_lesson_param_free);
      for (guint i = 0; i < src->params->len; i++)
        g_ptr_array_add (a->params, param_dup (g_ptr_array_index (src->params, i)));
    }
  return a;
}

NwLessonCheck *
nw_lesson_check_new (NwLessonMetric metric)
{
  NwLessonCheck *c = g_new0 (NwLessonCheck, 1);
  c->metric = metric;
  c->at_step = -1;
  c->compare = NW_LESSON_COMPARE_REPORT;
  return c;
}

void
nw_lesson_check_free (NwLessonCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->other);
  g_free (check->name);
  g_free (check->node);
  nw_lesson_text_clear (&check->label);
  g_free (check);
}

static NwLessonCheck *
check_dup (const NwLessonCheck *src)
{
  NwLessonCheck *c = g_memdup2 (src, sizeof *src);
  c->other = g_strdup (src->other);
  c->name = g_strdup (src->name);
  c->node = g_strdup (src->node);
  memset (&c->label, 0, sizeof c->label);
  nw_lesson_text_copy (&c->label, &src->label);
  return c;
}

void
nw_lesson_question_free (NwLessonQuestion *question)
{
  if (question == NULL)
    return;
  nw_lesson_text_clear (&question->text);
  nw_lesson_text_clear (&question->explain);
  g_clear_pointer (&question->choices, g_ptr_array_unref);
  g_free (question);
}

static NwLessonQuestion *
question_new (void)
{
  NwLessonQuestion *q = g_new0 (NwLessonQuestion, 1);
  q->choices = g_ptr_array_new_with_free_func (text_free);
  return q;
}

static NwLessonQuestion *
question_dup (const NwLessonQuestion *src)
{
  NwLessonQuestion *q = question_new ();
  nw_lesson_text_copy (&q->text, &src->text);
  nw_lesson_text_copy (&q->explain, &src->explain);
  q->answer = src->answer;
  for (guint i = 0; i < src->choices->len; i++)
    g_ptr_array_add (q->choices, text_dup (g_ptr_array_index (src->choices, i)));
  return q;
}

NwLessonStep *
nw_lesson_step_new (void)
{
  NwLessonStep *s = g_new0 (NwLessonStep, 1);
  s->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_lesson_action_free);
  s->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_lesson_check_free);
  return s;
}

void
nw_lesson_step_free (NwLessonStep *step)
{
  if (step == NULL)
    return;
  g_free (step->id);
  nw_lesson_text_clear (&step->title);
  nw_lesson_text_clear (&step->text);
  nw_lesson_question_free (step->question);
  g_ptr_array_unref (step->actions);
  g_ptr_array_unref (step->checks);
  g_free (step);
}

static NwLessonStep *
step_dup (const NwLessonStep *src)
{
  NwLessonStep *s = nw_lesson_step_new ();
  s->id = g_strdup (src->id);
  nw_lesson_text_copy (&s->title, &src->title);
  nw_lesson_text_copy (&s->text, &src->text);
  s->question = src->question != NULL ? question_dup (src->question) : NULL;
  for (guint i = 0; i < src->actions->len; i++)
    g_ptr_array_add (s->actions, action_dup (g_ptr_array_index (src->actions, i)));
  for (guint i = 0; i < src->checks->len; i++)
    g_ptr_array_add (s->checks, check_dup (g_ptr_array_index (src->checks, i)));
  return s;
}

static void
network_free (gpointer data)
{
  NwLessonNetwork *n = data;
  g_free (n->id);
  nw_spec_free (n->spec);
  g_free (n);
}

static void
lock_free (gpointer data)
{
  NwLessonLock *l = data;
  nw_lesson_text_clear (&l->reason);
  g_free (l);
}

NwLesson *
nw_lesson_new (void)
{
  NwLesson *l = g_new0 (NwLesson, 1);
  l->networks = g_ptr_array_new_with_free_func (network_free);
  l->locks = g_ptr_array_new_with_free_func (lock_free);
  l->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_lesson_step_free);
  return l;
}

void
nw_lesson_free (NwLesson *lesson)
{
  if (lesson == NULL)
    return;
  g_free (lesson->id);
  nw_lesson_text_clear (&lesson->chapter);
  nw_lesson_text_clear (&lesson->title);
  nw_lesson_text_clear (&lesson->summary);
  g_free (lesson->notes);
  nw_spec_free (lesson->spec);
  g_ptr_array_unref (lesson->networks);
  g_ptr_array_unref (lesson->locks);
  g_ptr_array_unref (lesson->steps);
  g_free (lesson->origin);
  g_free (lesson);
}

NwLesson *
nw_lesson_copy (const NwLesson *src)
{
  NwLesson *l;

  g_return_val_if_fail (src != NULL, NULL);
  l = nw_lesson_new ();
  l->id = g_strdup (src->id);
  nw_lesson_text_copy (&l->chapter, &src->chapter);
  nw_lesson_text_copy (&l->title, &src->title);
  nw_lesson_text_copy (&l->summary, &src->summary);
  l->minutes = src->minutes;
  l->notes = g_strdup (src->notes);
  l->spec = src->spec != NULL ? nw_spec_copy (src->spec) : NULL;
  for (guint i = 0; i < src->networks->len; i++)
    {
      const NwLessonNetwork *n = g_ptr_array_index (src->networks, i);
      NwLessonNetwork *copy = g_new0 (NwLessonNetwork, 1);
      copy->id = g_strdup (n->id);
      copy->spec = nw_spec_copy (n->spec);
      g_ptr_array_add (l->networks, copy);
    }
  l->views = src->views;
  l->hidden = src->hidden;
  for (guint i = 0; i < src->locks->len; i++)
    {
      const NwLessonLock *k = g_ptr_array_index (src->locks, i);
      NwLessonLock *copy = g_new0 (NwLessonLock, 1);
      copy->control = k->control;
      nw_lesson_text_copy (&copy->reason, &k->reason);
      g_ptr_array_add (l->locks, copy);
    }
  l->pace = src->pace;
  for (guint i = 0; i < src->steps->len; i++)
    g_ptr_array_add (l->steps, step_dup (g_ptr_array_index (src->steps, i)));
  l->origin = g_strdup (src->origin);
  return l;
}

gboolean
nw_lesson_equal (const NwLesson *a, const NwLesson *b)
{
  g_autofree char *ja = NULL, *jb = NULL;
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  /* The writer writes every field, in a fixed order, numbers in their shortest exact form:
   * two lessons are equal when their documents are. */
  ja = nw_lesson_to_json (a);
  jb = nw_lesson_to_json (b);
  return strcmp (ja, jb) == 0;
}

const NwSpec *
nw_lesson_find_network (const NwLesson *lesson, const char *id)
{
  g_return_val_if_fail (lesson != NULL && id != NULL, NULL);
  if (strcmp (id, "start") == 0)
    return lesson->spec;
  for (guint i = 0; i < lesson->networks->len; i++)
    {
      const NwLessonNetwork *n = g_ptr_array_index (lesson->networks, i);
      if (strcmp (n->id, id) == 0)
        return n->spec;
    }
  return NULL;
}

const NwLessonLock *
nw_lesson_find_lock (const NwLesson *lesson, NwLessonControl control)
{
  g_return_val_if_fail (lesson != NULL, NULL);
  for (guint i = 0; i < lesson->locks->len; i++)
    {
      const NwLessonLock *k = g_ptr_array_index (lesson->locks, i);
      if (k->control == control)
        return k;
    }
  return NULL;
}

const NwLessonCheck *
nw_lesson_find_check (const NwLesson *lesson, const char *name, guint *step_index)
{
  g_return_val_if_fail (lesson != NULL && name != NULL, NULL);
  for (guint s = 0; s < lesson->steps->len; s++)
    {
      const NwLessonStep *step = g_ptr_array_index (lesson->steps, s);
      for (guint c = 0; c < step->checks->len; c++)
        {
          const NwLessonCheck *check = g_ptr_array_index (step->checks, c);
          if (g_strcmp0 (check->name, name) == 0)
            {
              if (step_index != NULL)
                *step_index = s;
              return check;
            }
        }
    }
  return NULL;
}

/* Actions on a spec --------------------------------------------------------------------- */

/* The value of a `set` as the text nw_node_spec_set_field reads. */
static char *
value_text (const NwLessonAction *a)
{
  switch (a->value_type)
    {
    case NW_LESSON_VALUE_STRING:
      return g_strdup (a->string != NULL ? a->string : "");
    case NW_LESSON_VALUE_BOOL:
      return g_strdup (a->boolean ? "true" : "false");
    case NW_LESSON_VALUE_NUMBER:
    default:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        if (a->number == floor (a->number) && fabs (a->number) < 1e15)
          return g_strdup_printf ("%.0f", a->number);
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, a->number));
      }
    }
}

static gboolean
want_number (const NwLessonAction *a, GError **error)
{
  if (a->value_type == NW_LESSON_VALUE_NUMBER)
    return TRUE;
  g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
               _("'%s' takes a number"), a->field);
  return FALSE;
}

static gboolean
want_integer (const NwLessonAction *a, double min, double max, GError **error)
{
  if (!want_number (a, error))
    return FALSE;
  if (a->number != floor (a->number) || a->number < min || a->number > max)
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                   _("'%s' takes a whole number from %.0f to %.0f"), a->field, min, max);
      return FALSE;
    }
  return TRUE;
}

/* training.* and data.*: set on `spec`. Ranges are checked afterwards by the spec's reader. */
static gboolean
set_training (NwTrainSpec *t, const NwLessonAction *a, const char *key, GError **error)
{
  struct { const char *key; double *field; } doubles[] = {
    { "lr", &t->lr }, { "momentum", &t->momentum }, { "l1", &t->l1 }, { "l2", &t->l2 },
    { "beta1", &t->beta1 }, { "beta2", &t->beta2 }, { "eps", &t->eps }, { "rho", &t->rho },
    { "weight_decay", &t->weight_decay },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (doubles); i++)
    if (strcmp (key, doubles[i].key) == 0)
      {
        if (!want_number (a, error))
          return FALSE;
        *doubles[i].field = a->number;
        return TRUE;
      }
  if (strcmp (key, "optimizer") == 0)
    {
      int o = a->value_type == NW_LESSON_VALUE_STRING ? nw_optimizer_from_name (a->string) : -1;
      if (o < 0)
        {
          g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                       _("'%s' takes an optimizer's name (sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw)"),
                       a->field);
          return FALSE;
        }
      t->optimizer = (NwOptimizerKind) o;
      return TRUE;
    }
  if (strcmp (key, "batch_size") == 0)
    {
      if (!want_integer (a, 0, G_MAXINT, error))
        return FALSE;
      t->batch_size = (int) a->number;
      return TRUE;
    }
  if (strcmp (key, "seed") == 0)
    {
      if (!want_integer (a, 0, 9007199254740992.0, error))
        return FALSE;
      t->seed = (guint64) a->number;
      return TRUE;
    }
  g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, _("unknown field '%s'"), a->field);
  return FALSE;
}

static gboolean
set_data (NwDataSpec *d, const NwLessonAction *a, const char *key, GError **error)
{
  if (strcmp (key, "kind") == 0)
    {
      int k = a->value_type == NW_LESSON_VALUE_STRING ? nw_data_kind_from_name (a->string) : -1;
      if (k < 0)
        {
          g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                       _("'%s' takes a data kind's name"), a->field);
          return FALSE;
        }
      d->kind = (NwDataKind) k;
      return TRUE;
    }
  if (strcmp (key, "noise") == 0 || strcmp (key, "test_ratio") == 0)
    {
      if (!want_number (a, error))
        return FALSE;
      *(strcmp (key, "noise") == 0 ? &d->noise : &d->test_ratio) = a->number;
      return TRUE;
    }
  if (strcmp (key, "n") == 0 || strcmp (key, "train_limit") == 0)
    {
      if (!want_integer (a, 0, G_MAXINT, error))
        return FALSE;
      *(strcmp (key, "n") == 0 ? &d->n : &d->train_limit) = (int) a->number;
      return TRUE;
    }
  if (strcmp (key, "seed") == 0)
    {
      if (!want_integer (a, 0, 9007199254740992.0, error))
        return FALSE;
      d->seed = (guint64) a->number;
      return TRUE;
    }
  if (strcmp (key, "path") == 0)
    {
      if (a->value_type != NW_LESSON_VALUE_STRING)
        {
          g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                       _("'%s' takes a string"), a->field);
          return FALSE;
        }
      g_free (d->path);
      d->path = g_strdup (a->string);
      return TRUE;
    }
  g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, _("unknown field '%s'"), a->field);
  return FALSE;
}

/* Replaces the contents of `dst` by those of `src` (dst's pointer stays valid). */
static void
spec_swap_in (NwSpec *dst, NwSpec *src)
{
  NwSpec tmp = *dst;
  *dst = *src;
  *src = tmp;
  nw_spec_free (src);
}

/* Checks every setting's range the way a spec file's are checked, by reading the edited spec
 * back; the message without the reader's "<string>: ". */
static gboolean
check_ranges (const NwSpec *spec, GError **error)
{
  g_autofree char *json = nw_spec_to_json (spec);
  g_autoptr (GError) local = NULL;
  g_autoptr (NwSpec) back = nw_spec_from_json (json, -1, &local);
  const char *msg;

  if (back != NULL)
    return TRUE;
  msg = local->message;
  if (g_str_has_prefix (msg, "<string>: "))
    msg += strlen ("<string>: ");
  g_set_error_literal (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, msg);
  return FALSE;
}

gboolean
nw_lesson_apply_to_spec (const NwLesson *lesson, const NwLessonAction *action, NwSpec *spec,
                         gboolean *new_run, GError **error)
{
  g_autoptr (NwSpec) edited = NULL;
  gboolean run = FALSE;

  g_return_val_if_fail (lesson != NULL && action != NULL && spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (new_run != NULL)
    *new_run = FALSE;
  switch (action->kind)
    {
    case NW_LESSON_ACTION_LOAD:
      {
        const NwSpec *variant = nw_lesson_find_network (lesson, action->network);
        if (variant == NULL)
          {
            g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                         _("the lesson has no network '%s'"), action->network);
            return FALSE;
          }
        spec_swap_in (spec, nw_spec_copy (variant));
        if (new_run != NULL)
          *new_run = TRUE;
        return TRUE;
      }

    case NW_LESSON_ACTION_ENABLE:
      {
        NwNodeSpec *node = nw_spec_find_node (spec, action->node);
        if (node == NULL)
          {
            g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                         _("the network has no node '%s'"), action->node);
            return FALSE;
          }
        if (node->kind != NW_NODE_DROPOUT && node->kind != NW_NODE_BATCHNORM)
          {
            g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                         _("node '%s' is a %s node: only Dropout and BatchNorm nodes are switched on and off"),
                         action->node, nw_node_kind_name (node->kind));
            return FALSE;
          }
        node->enabled = action->on;
        return TRUE;
      }

    case NW_LESSON_ACTION_SET:
      {
        const char *field = action->field;
        edited = nw_spec_copy (spec);
        if (field == NULL)
          {
            g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, _("'field' is missing"));
            return FALSE;
          }
        if (g_str_has_prefix (field, "training."))
          {
            if (!set_training (&edited->train, action, field + strlen ("training."), error))
              return FALSE;
          }
        else if (g_str_has_prefix (field, "data."))
          {
            if (!set_data (&edited->data, action, field + strlen ("data."), error))
              return FALSE;
            run = TRUE;
          }
        else if (g_str_has_prefix (field, "nodes."))
          {
            /* nodes.ID.KEY: ids may hold dots, keys do not. */
            const char *id_start = field + strlen ("nodes.");
            const char *dot = strrchr (id_start, '.');
            g_autofree char *id = NULL;
            g_autofree char *text = NULL;
            g_autoptr (GError) local = NULL;
            NwNodeSpec *node;
            if (dot == NULL || dot == id_start || dot[1] == '\0')
              {
                g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                             _("'%s' is not nodes.ID.SETTING"), field);
                return FALSE;
              }
            id = g_strndup (id_start, (gsize) (dot - id_start));
            node = nw_spec_find_node (edited, id);
            if (node == NULL)
              {
                g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                             _("the network has no node '%s'"), id);
                return FALSE;
              }
            text = value_text (action);
            if (!nw_node_spec_set_field (node, dot + 1, text, &local))
              {
                g_set_error_literal (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, local->message);
                return FALSE;
              }
            run = TRUE;
          }
        else
          {
            g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                         _("unknown field '%s' (training.*, nodes.ID.*, data.*)"), field);
            return FALSE;
          }
        if (!check_ranges (edited, error))
          return FALSE;
        spec_swap_in (spec, g_steal_pointer (&edited));
        if (new_run != NULL)
          *new_run = run;
        return TRUE;
      }

    case NW_LESSON_ACTION_RESET:
    case NW_LESSON_ACTION_WEIGHTS:
    case NW_LESSON_ACTION_TRAIN:
    case NW_LESSON_ACTION_PACE:
    case NW_LESSON_ACTION_SHOW:
    case NW_LESSON_ACTION_MODE:
    case NW_LESSON_ACTION_DEVICE:
    case NW_LESSON_ACTION_SAVE:
    case NW_LESSON_ACTION_RESTORE:
    case NW_LESSON_N_ACTIONS:
    default:
      return TRUE;
    }
}
