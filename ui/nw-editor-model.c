/* nw-editor-model.c: NwEditor's side of its NwGraphModel. The model (core/nw-graph-model.c)
 * holds the spec, the edits, undo/redo, validation and the selection, and calls no view;
 * here the editor's public API hands calls on to it, and the model's signals and property
 * notifications become what the widget does: redraw, keep the settings popover in step,
 * carry the neuron maps over renames and removals, and re-emit the editor's own
 * "spec-changed" and "node-toggled" and notify its properties. */
#include "nw-editor-private.h"

/* What the model says ---------------------------------------------------------------- */

static void
model_validated (NwGraphModel *model, NwEditor *self)
{
  if (self->canvas != NULL)
    gtk_widget_queue_draw (self->canvas);
}

/* The model's properties that the editor has too ("valid", "can-undo", "selected", ...) are
 * the editor's, by the same names; a selected wire only shows. */
static void
model_notify (NwGraphModel *model, GParamSpec *pspec, NwEditor *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (self), name) != NULL)
    g_object_notify (G_OBJECT (self), name);
  else if (self->canvas != NULL)
    gtk_widget_queue_draw (self->canvas);
}

static void
model_node_renamed (NwGraphModel *model, const char *old_id, const char *new_id, NwEditor *self)
{
  gpointer images = NULL;

  if (g_hash_table_steal_extended (self->neuron_images, old_id, NULL, &images))
    {
      g_hash_table_insert (self->neuron_images, g_strdup (new_id), images);
      nw_editor_describe_neuron_images (self);
    }
  if (g_strcmp0 (self->popover_node, old_id) == 0)
    {
      g_free (self->popover_node);
      self->popover_node = g_strdup (new_id);
    }
}

static void
model_node_toggled (NwGraphModel *model, const char *id, gboolean enabled, NwEditor *self)
{
  g_signal_emit_by_name (self, "node-toggled", id, enabled);
}

/* Maps of blocks that are gone go with them. */
static void
drop_orphan_images (NwEditor *self)
{
  GHashTableIter iter;
  gpointer key;
  gboolean dropped = FALSE;

  g_hash_table_iter_init (&iter, self->neuron_images);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (nw_editor_node_index (self, key) < 0)
      {
        g_hash_table_iter_remove (&iter);
        dropped = TRUE;
      }
  if (dropped)
    nw_editor_describe_neuron_images (self);
}

static void
model_changed (NwGraphModel *model, int edit, NwEditor *self)
{
  drop_orphan_images (self);
  nw_editor_popover_sync (self);
  g_signal_emit_by_name (self, "spec-changed");
}

/* A new spec: whatever was in progress on the old one ends. */
static void
model_reset (NwGraphModel *model, NwEditor *self)
{
  nw_editor_popover_hide (self);
  self->drag_mode = NW_DRAG_NONE;
  self->dragged = FALSE;
  self->wire_node = -1;
  self->wire_detached = -1;
  self->hover.kind = NW_HIT_NONE;
  self->drag_hit.kind = NW_HIT_NONE;
  self->drag_hit.node = -1;
  /* The model laid it out with blocks of one height; the real ones may be taller. */
  if (nw_graph_model_get_layout_fresh (self->model))
    nw_editor_auto_layout (self, 5);   /* until the canvas's shape is known */
  self->view_touched = FALSE;
  self->view_w = self->view_h = 0;
  self->fit_pending = TRUE;
  if (self->canvas != NULL)
    gtk_widget_queue_draw (self->canvas);
}

/* The public API, handed on ------------------------------------------------------------ */

NwGraphModel *
nw_editor_get_model (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return self->model;
}

void
nw_editor_set_spec (NwEditor *self, const NwSpec *spec)
{
  g_return_if_fail (NW_IS_EDITOR (self));
  g_return_if_fail (spec != NULL);
  nw_graph_model_set_spec (self->model, spec);
}

NwSpec *
nw_editor_dup_spec (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return nw_graph_model_dup_spec (self->model);
}

const NwSpec *
nw_editor_get_spec (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return nw_graph_model_get_spec (self->model);
}

void
nw_editor_set_data_shape (NwEditor *self, int input_width, int target_width, int n_classes)
{
  g_return_if_fail (NW_IS_EDITOR (self));
  nw_graph_model_set_data_shape (self->model, input_width, target_width, n_classes);
}

gboolean
nw_editor_get_valid (NwEditor *self, char **reason)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (reason != NULL)
    *reason = g_strdup (nw_graph_model_get_invalid_reason (self->model));
  return nw_graph_model_get_valid (self->model);
}

const char *
nw_editor_get_invalid_reason (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return nw_graph_model_get_invalid_reason (self->model);
}

const char *
nw_editor_get_error_node (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return nw_graph_model_get_error_node (self->model);
}

gboolean
nw_editor_get_error_edge (NwEditor *self, const char **from, const char **to)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  return nw_graph_model_get_error_edge (self->model, from, to);
}

int
nw_editor_get_node_width (NwEditor *self, const char *id)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), -1);
  return nw_graph_model_width_at (self->model, nw_editor_node_index (self, id));
}

gint64
nw_editor_get_param_count (NwEditor *self, const char *id)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), -1);
  return nw_graph_model_params_at (self->model, nw_editor_node_index (self, id));
}

/* Undo and redo close the popover: the block it shows may be another one now. */
gboolean
nw_editor_undo (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (!nw_graph_model_get_can_undo (self->model))
    return FALSE;
  nw_editor_popover_hide (self);
  return nw_graph_model_undo (self->model);
}

gboolean
nw_editor_redo (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (!nw_graph_model_get_can_redo (self->model))
    return FALSE;
  nw_editor_popover_hide (self);
  return nw_graph_model_redo (self->model);
}

gboolean
nw_editor_get_can_undo (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  return nw_graph_model_get_can_undo (self->model);
}

gboolean
nw_editor_get_can_redo (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  return nw_graph_model_get_can_redo (self->model);
}

NwEditorEdit
nw_editor_get_last_edit (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NW_EDITOR_EDIT_NONE);
  return nw_graph_model_get_last_edit (self->model);
}

char *
nw_editor_add_node (NwEditor *self, NwNodeKind kind, double x, double y)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return nw_graph_model_add_node (self->model, kind, x, y);
}

/* The editor's edits answer yes or no; why not is the model's GError, which the canvas has
 * no place to show (a refused wire simply does not land). */
gboolean
nw_editor_connect (NwEditor *self, const char *from, const char *to, int port)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);
  return nw_graph_model_connect (self->model, from, to, port, NULL);
}

gboolean
nw_editor_remove_node (NwEditor *self, const char *id)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  return nw_graph_model_remove_node (self->model, id, NULL);
}

gboolean
nw_editor_remove_edge (NwEditor *self, const char *from, const char *to, int port)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  return nw_graph_model_remove_edge (self->model, from, to, port, NULL);
}

gboolean
nw_editor_move_node (NwEditor *self, const char *id, double x, double y)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  return nw_graph_model_move_node (self->model, id, x, y, NULL);
}

gboolean
nw_editor_set_node_setting (NwEditor *self, const char *id, const char *field, const char *value)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), FALSE);
  if (id == NULL || field == NULL || value == NULL)
    return FALSE;
  return nw_graph_model_set_node_setting (self->model, id, field, value, NULL);
}

/* Life cycle --------------------------------------------------------------------------- */

void
nw_editor_model_init (NwEditor *self)
{
  self->model = nw_graph_model_new ();
  self->neuron_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               nw_neuron_images_free);
  g_signal_connect_object (self->model, "validated", G_CALLBACK (model_validated), self, 0);
  g_signal_connect_object (self->model, "notify", G_CALLBACK (model_notify), self, 0);
  g_signal_connect_object (self->model, "node-renamed", G_CALLBACK (model_node_renamed), self, 0);
  g_signal_connect_object (self->model, "node-toggled", G_CALLBACK (model_node_toggled), self, 0);
  g_signal_connect_object (self->model, "changed", G_CALLBACK (model_changed), self, 0);
  g_signal_connect_object (self->model, "reset", G_CALLBACK (model_reset), self, 0);
}

void
nw_editor_model_finalize (NwEditor *self)
{
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->neuron_images, g_hash_table_unref);
  g_clear_pointer (&self->maps_description, g_free);
}
