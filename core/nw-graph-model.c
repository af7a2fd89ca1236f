/* nw-graph-model.c: the editor's model without a screen: the spec, its undo/redo history (a
 * stack of whole-spec snapshots: simple and exact), previewed moves, the selection, block
 * titles and graph queries, and the notifications after every change (what is derived,
 * widths and validation marks, is in nw-graph-model-check.c). What a view must do about a
 * change goes out as a signal or a property notification (nw-graph-model.h); this file calls
 * no view. */
#include "nw-graph-model-private.h"
#include "nw-i18n.h"
#include "nw-node-kind.h"
#include "nw-activation.h"

#include <math.h>
#include <string.h>

enum {
  PROP_0,
  PROP_VALID,
  PROP_INVALID_REASON,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_SELECTED,
  PROP_SELECTED_EDGE,
  N_PROPS
};

enum {
  CHANGED,
  RESET,
  VALIDATED,
  NODE_TOGGLED,
  NODE_RENAMED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NwGraphModel, nw_graph_model, G_TYPE_OBJECT)
G_DEFINE_QUARK (nw-graph-model-error-quark, nw_graph_model_error)

/* Kinds and titles ----------------------------------------------------------------------- */

const char *
nw_graph_model_kind_label (NwNodeKind kind)
{
  const NwNodeKindInfo *info = nw_node_kind_info (kind);
  return info != NULL ? _(info->label) : _("Block");
}

gboolean
nw_graph_model_node_has_toggle (const NwNodeSpec *node)
{
  return nw_node_kind_field (node->kind, "enabled") != NULL;
}

static const char *
activation_label (NwActivation a)
{
  const NwActivationInfo *info = nw_activation_info (a);
  return info != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, "activation", info->label) : _("Activation");
}

static const char *
loss_label (NwLoss l)
{
  /* Translators: the titles of loss blocks in the editor; BCE, CE and MSE are the losses'
   * short names */
  static const char *const labels[NW_N_LOSSES] = {
    N_("Loss: BCE"), N_("Loss: BCE logits"), N_("Loss: softmax CE"), N_("Loss: MSE"),
  };
  return (int) l >= 0 && l < NW_N_LOSSES ? _(labels[l]) : _("Loss");
}

char *
nw_graph_model_dup_node_title (NwGraphModel *self, const NwNodeSpec *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  switch (node->kind)
    {
    case NW_NODE_INPUT:
      /* Translators: the title of the input block in the editor, with its width */
      return self->input_width > 0 ? g_strdup_printf (_("Input %d"), self->input_width)
                                   : g_strdup (_("Input"));
    case NW_NODE_DENSE:
      /* Translators: the title of a dense (fully connected) block, with its units */
      return node->units > 0 ? g_strdup_printf (_("Dense %d"), node->units) : g_strdup (_("Dense ?"));
    case NW_NODE_ACTIVATION:
      if (nw_activation_info (node->activation) != NULL && nw_activation_info (node->activation)->has_alpha)
        return g_strdup_printf ("%s %s", activation_label (node->activation),
                                g_ascii_formatd (buf, sizeof buf, "%g", node->alpha));
      return g_strdup (activation_label (node->activation));
    case NW_NODE_DROPOUT:
      /* Translators: the title of a dropout block, with its probability */
      return g_strdup_printf (_("Dropout %s"), g_ascii_formatd (buf, sizeof buf, "%g", node->p));
    case NW_NODE_LOSS:
      return g_strdup (loss_label (node->loss));
    case NW_NODE_BATCHNORM:
    case NW_NODE_LAYERNORM:
    case NW_NODE_ADD:
    case NW_NODE_CONCAT:
    default:
      return g_strdup (nw_graph_model_kind_label (node->kind));
    }
}

/* Graph queries -------------------------------------------------------------------------- */

int
nw_graph_spec_node_index (const NwSpec *spec, const char *id)
{
  if (id == NULL)
    return -1;
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      if (g_strcmp0 (node->id, id) == 0)
        return (int) i;
    }
  return -1;
}

int
nw_graph_spec_edge_into (const NwSpec *spec, const char *to, int port)
{
  for (guint e = 0; e < spec->edges->len; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, e);
      if (edge->port == port && g_strcmp0 (edge->to, to) == 0)
        return (int) e;
    }
  return -1;
}

int
nw_graph_spec_n_fed_ports (const NwSpec *spec, const char *id)
{
  int n = 0;
  for (guint e = 0; e < spec->edges->len; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (spec->edges, e);
      if (g_strcmp0 (edge->to, id) == 0)
        n = MAX (n, edge->port + 1);
    }
  return n;
}

int
nw_graph_spec_source_of (const NwSpec *spec, int node, int port)
{
  const NwNodeSpec *n;
  int e;

  if (node < 0 || (guint) node >= spec->nodes->len)
    return -1;
  n = g_ptr_array_index (spec->nodes, (guint) node);
  e = nw_graph_spec_edge_into (spec, n->id, port);
  if (e < 0)
    return -1;
  return nw_graph_spec_node_index (spec, ((const NwEdgeSpec *) g_ptr_array_index (spec->edges, (guint) e))->from);
}

int
nw_graph_model_node_index (NwGraphModel *self, const char *id)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), -1);
  return nw_graph_spec_node_index (self->spec, id);
}

int
nw_graph_model_edge_into (NwGraphModel *self, const char *to, int port)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), -1);
  return nw_graph_spec_edge_into (self->spec, to, port);
}

int
nw_graph_model_source_of (NwGraphModel *self, int node, int port)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), -1);
  return nw_graph_spec_source_of (self->spec, node, port);
}

int
nw_graph_model_n_fed_ports (NwGraphModel *self, const NwNodeSpec *node)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), 0);
  g_return_val_if_fail (node != NULL, 0);
  return nw_graph_spec_n_fed_ports (self->spec, node->id);
}

/* Validation ---------------------------------------------------------------------------- */

void
nw_graph_model_revalidate (NwGraphModel *self)
{
  gboolean was_valid = self->valid;
  g_autofree char *old_reason = g_strdup (self->reason);

  nw_graph_model_check (self);
  if (was_valid != self->valid)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
  if (g_strcmp0 (old_reason, self->reason) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVALID_REASON]);
  g_signal_emit (self, signals[VALIDATED], 0);
}

/* Comparing specs ------------------------------------------------------------------------ */

static gboolean
same_settings (const NwNodeSpec *a, const NwNodeSpec *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && a->kind == b->kind && a->units == b->units
         && a->bias == b->bias && a->weight_init == b->weight_init
         && a->weight_init_param == b->weight_init_param && a->bias_init == b->bias_init
         && a->bias_init_param == b->bias_init_param && a->activation == b->activation
         && a->alpha == b->alpha && a->p == b->p && a->momentum == b->momentum
         && a->eps == b->eps && a->affine == b->affine && a->loss == b->loss;
}

NwGraphEdit
nw_graph_model_compare_specs (const NwSpec *a, const NwSpec *b)
{
  gboolean moved = FALSE, toggled = FALSE;

  g_return_val_if_fail (a != NULL && b != NULL, NW_GRAPH_EDIT_NONE);
  if (a->nodes->len != b->nodes->len || a->edges->len != b->edges->len)
    return NW_GRAPH_EDIT_STRUCTURE;
  for (guint e = 0; e < a->edges->len; e++)
    {
      const NwEdgeSpec *x = g_ptr_array_index (a->edges, e), *y = g_ptr_array_index (b->edges, e);
      if (g_strcmp0 (x->from, y->from) != 0 || g_strcmp0 (x->to, y->to) != 0 || x->port != y->port)
        return NW_GRAPH_EDIT_STRUCTURE;
    }
  for (guint i = 0; i < a->nodes->len; i++)
    {
      const NwNodeSpec *x = g_ptr_array_index (a->nodes, i), *y = g_ptr_array_index (b->nodes, i);
      if (!same_settings (x, y))
        return NW_GRAPH_EDIT_STRUCTURE;
      moved |= x->x != y->x || x->y != y->y;
      toggled |= x->enabled != y->enabled;
    }
  return toggled ? NW_GRAPH_EDIT_TOGGLE : moved ? NW_GRAPH_EDIT_LAYOUT : NW_GRAPH_EDIT_NONE;
}

/* Selection ------------------------------------------------------------------------------ */

static void
set_selected_edge (NwGraphModel *self, int edge)
{
  if (self->selected_edge == edge)
    return;
  self->selected_edge = edge;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_EDGE]);
}

static void
set_selected (NwGraphModel *self, const char *id)
{
  if (g_strcmp0 (self->selected, id) == 0)
    return;
  g_free (self->selected);
  self->selected = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

gboolean
nw_graph_model_select (NwGraphModel *self, const char *id)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  if (id != NULL && nw_graph_spec_node_index (self->spec, id) < 0)
    return FALSE;
  set_selected_edge (self, -1);
  set_selected (self, id);
  return TRUE;
}

const char *
nw_graph_model_get_selected (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), NULL);
  return self->selected;
}

void
nw_graph_model_select_edge (NwGraphModel *self, int edge)
{
  g_return_if_fail (NW_IS_GRAPH_MODEL (self));
  if (edge < 0 || (guint) edge >= self->spec->edges->len)
    edge = -1;
  if (edge >= 0)
    set_selected (self, NULL);
  set_selected_edge (self, edge);
}

int
nw_graph_model_get_selected_edge (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), -1);
  return self->selected_edge;
}

/* Applying changes ----------------------------------------------------------------------- */

static void
notify_stacks (NwGraphModel *self, gboolean could_undo, gboolean could_redo)
{
  if (could_undo != (self->undo->len > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != (self->redo->len > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* Everything that follows a change of self->spec from `before` (borrowed). */
static void
after_change (NwGraphModel *self, const NwSpec *before, const char *renamed_from,
              const char *renamed_to)
{
  g_autoptr (GHashTable) before_by_id = g_hash_table_new (g_str_hash, g_str_equal);

  self->layout_fresh = FALSE;
  self->last_edit = nw_graph_model_compare_specs (before, self->spec);
  if (renamed_from != NULL && renamed_to != NULL)
    {
      if (g_strcmp0 (self->selected, renamed_from) == 0)
        set_selected (self, renamed_to);
      g_signal_emit (self, signals[NODE_RENAMED], 0, renamed_from, renamed_to);
    }
  set_selected_edge (self, -1);
  if (self->selected != NULL && nw_graph_spec_node_index (self->spec, self->selected) < 0)
    set_selected (self, NULL);
  nw_graph_model_revalidate (self);

  /* The switches the trainer takes live. The old nodes by id, once: a nw_spec_find_node per
   * node made every edit of a 20,000-node graph quadratic. */
  for (guint i = 0; i < before->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (before->nodes, i);
      if (node->id != NULL && !g_hash_table_contains (before_by_id, node->id))
        g_hash_table_insert (before_by_id, node->id, (gpointer) node);
    }
  for (guint i = 0; i < self->spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (self->spec->nodes, i);
      const NwNodeSpec *old = node->id != NULL ? g_hash_table_lookup (before_by_id, node->id) : NULL;
      if (old != NULL && old->kind == node->kind && nw_graph_model_node_has_toggle (node)
          && old->enabled != node->enabled)
        g_signal_emit (self, signals[NODE_TOGGLED], 0, node->id, node->enabled);
    }
  g_signal_emit (self, signals[CHANGED], 0, (int) self->last_edit);
}

static void
push_undo (NwGraphModel *self, NwSpec *before)
{
  g_ptr_array_add (self->undo, before);
  while (self->undo->len > NW_GRAPH_MODEL_UNDO_LIMIT)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
}

void
nw_graph_model_commit (NwGraphModel *self, NwSpec *after, const char *renamed_from,
                       const char *renamed_to)
{
  gboolean could_undo = self->undo->len > 0, could_redo = self->redo->len > 0;
  NwSpec *before = self->spec;

  /* a move being previewed is part of the spec that goes on the stack: its start is lost */
  g_clear_pointer (&self->move_before, nw_spec_free);
  self->spec = after;
  push_undo (self, before);
  after_change (self, before, renamed_from, renamed_to);
  notify_stacks (self, could_undo, could_redo);
}

/* Moves one spec from the top of `from` onto `to`, the current one onto `to`'s other. */
static gboolean
step_history (NwGraphModel *self, GPtrArray *from, GPtrArray *to)
{
  gboolean could_undo = self->undo->len > 0, could_redo = self->redo->len > 0;
  NwSpec *before;

  if (from->len == 0)
    return FALSE;
  nw_graph_model_cancel_move (self);
  before = self->spec;
  self->spec = g_ptr_array_steal_index (from, from->len - 1);
  g_ptr_array_add (to, before);
  after_change (self, before, NULL, NULL);
  notify_stacks (self, could_undo, could_redo);
  return TRUE;
}

gboolean
nw_graph_model_undo (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  return step_history (self, self->undo, self->redo);
}

gboolean
nw_graph_model_redo (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  return step_history (self, self->redo, self->undo);
}

gboolean
nw_graph_model_get_can_undo (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  return self->undo->len > 0;
}

gboolean
nw_graph_model_get_can_redo (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  return self->redo->len > 0;
}

guint
nw_graph_model_get_n_undo (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), 0);
  return self->undo->len;
}

NwGraphEdit
nw_graph_model_get_last_edit (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), NW_GRAPH_EDIT_NONE);
  return self->last_edit;
}

/* Previewed moves ------------------------------------------------------------------------ */

void
nw_graph_model_preview_move (NwGraphModel *self, const char *id, double x, double y)
{
  NwNodeSpec *node;

  g_return_if_fail (NW_IS_GRAPH_MODEL (self));
  node = nw_spec_find_node (self->spec, id);
  if (node == NULL || !isfinite (x) || !isfinite (y))
    return;
  if (self->move_before == NULL)
    self->move_before = nw_spec_copy (self->spec);
  node->x = round (CLAMP (x, -1e6, 1e6));
  node->y = round (CLAMP (y, -1e6, 1e6));
}

gboolean
nw_graph_model_end_move (NwGraphModel *self)
{
  gboolean could_undo, could_redo;
  NwSpec *before;

  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  if (self->move_before == NULL)
    return FALSE;
  could_undo = self->undo->len > 0;
  could_redo = self->redo->len > 0;
  before = g_steal_pointer (&self->move_before);
  push_undo (self, before);
  after_change (self, before, NULL, NULL);
  notify_stacks (self, could_undo, could_redo);
  return TRUE;
}

void
nw_graph_model_cancel_move (NwGraphModel *self)
{
  g_return_if_fail (NW_IS_GRAPH_MODEL (self));
  if (self->move_before == NULL)
    return;
  nw_spec_free (self->spec);
  self->spec = g_steal_pointer (&self->move_before);
  nw_graph_model_revalidate (self);
}

/* Setting the spec and the data ---------------------------------------------------------- */

void
nw_graph_model_set_spec (NwGraphModel *self, const NwSpec *spec)
{
  gboolean could_undo, could_redo;

  g_return_if_fail (NW_IS_GRAPH_MODEL (self));
  g_return_if_fail (spec != NULL);

  could_undo = self->undo->len > 0;
  could_redo = self->redo->len > 0;
  g_clear_pointer (&self->move_before, nw_spec_free);
  nw_spec_free (self->spec);
  self->spec = nw_spec_copy (spec);
  self->layout_fresh = nw_graph_spec_needs_layout (self->spec);
  if (self->layout_fresh)
    nw_graph_model_auto_layout (self, 5, NULL);   /* until a view says its shape */
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  self->last_edit = NW_GRAPH_EDIT_NONE;
  set_selected_edge (self, -1);
  set_selected (self, NULL);
  nw_graph_model_revalidate (self);
  notify_stacks (self, could_undo, could_redo);
  g_signal_emit (self, signals[RESET], 0);
}

const NwSpec *
nw_graph_model_get_spec (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), NULL);
  return self->spec;
}

NwSpec *
nw_graph_model_dup_spec (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), NULL);
  return nw_spec_copy (self->spec);
}

void
nw_graph_model_set_data_shape (NwGraphModel *self, int input_width, int target_width,
                               int n_classes)
{
  g_return_if_fail (NW_IS_GRAPH_MODEL (self));
  if (self->input_width == input_width && self->target_width == target_width
      && self->n_classes == n_classes)
    return;
  self->input_width = input_width;
  self->target_width = target_width;
  self->n_classes = n_classes;
  nw_graph_model_revalidate (self);
}

int
nw_graph_model_get_input_width (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), 0);
  return self->input_width;
}

gboolean
nw_graph_model_get_layout_fresh (NwGraphModel *self)
{
  g_return_val_if_fail (NW_IS_GRAPH_MODEL (self), FALSE);
  return self->layout_fresh;
}

/* GObject -------------------------------------------------------------------------------- */

static void
nw_graph_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwGraphModel *self = NW_GRAPH_MODEL (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_INVALID_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->undo->len > 0);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->redo->len > 0);
      break;
    case PROP_SELECTED:
      g_value_set_string (value, self->selected);
      break;
    case PROP_SELECTED_EDGE:
      g_value_set_int (value, self->selected_edge);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_graph_model_finalize (GObject *object)
{
  NwGraphModel *self = NW_GRAPH_MODEL (object);

  g_clear_pointer (&self->spec, nw_spec_free);
  g_clear_pointer (&self->move_before, nw_spec_free);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_pointer (&self->widths, g_array_unref);
  g_clear_pointer (&self->marked_nodes, g_hash_table_unref);
  g_clear_pointer (&self->marked_edges, g_hash_table_unref);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->error_node, g_free);
  g_clear_pointer (&self->error_from, g_free);
  g_clear_pointer (&self->error_to, g_free);
  g_clear_pointer (&self->selected, g_free);
  G_OBJECT_CLASS (nw_graph_model_parent_class)->finalize (object);
}

static void
nw_graph_model_class_init (NwGraphModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = nw_graph_model_get_property;
  object_class->finalize = nw_graph_model_finalize;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INVALID_REASON] =
    g_param_spec_string ("invalid-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_string ("selected", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_EDGE] =
    g_param_spec_int ("selected-edge", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[RESET] =
    g_signal_new ("reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[VALIDATED] =
    g_signal_new ("validated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[NODE_TOGGLED] =
    g_signal_new ("node-toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[NODE_RENAMED] =
    g_signal_new ("node-renamed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
nw_graph_model_init (NwGraphModel *self)
{
  self->spec = nw_spec_new ();
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_spec_free);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_spec_free);
  self->widths = g_array_new (FALSE, TRUE, sizeof (int));
  self->marked_nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->marked_edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->input_width = 2;
  self->target_width = 1;
  self->n_classes = 2;
  self->selected_edge = -1;
  self->valid = FALSE;
  nw_graph_model_revalidate (self);
}

NwGraphModel *
nw_graph_model_new (void)
{
  return g_object_new (NW_TYPE_GRAPH_MODEL, NULL);
}
