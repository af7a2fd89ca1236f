/* nw-editor-input.c: what the pointer, the wheel and the keys do on the canvas.
 *
 * One drag gesture does all pointer work, deciding at the press what it is: from an output
 * port it draws a wire (from a fed input port it picks the wire up, from a free one it draws
 * backwards to an output), from a block it moves the block, from empty canvas or with the
 * middle button it pans. A press that does not move is a click: a block opens its settings,
 * a switch toggles, a wire is selected, empty canvas deselects. Ctrl+wheel zooms about the
 * pointer; the wheel alone pans. Palette buttons are dropped onto the canvas as strings. */
#include "nw-editor-private.h"

#include <math.h>

#define CLICK_THRESHOLD 4.0

static const NwNodeSpec *
node_at (NwEditor *self, int i)
{
  if (i < 0 || (guint) i >= nw_editor_spec (self)->nodes->len)
    return NULL;
  return g_ptr_array_index (nw_editor_spec (self)->nodes, (guint) i);
}

static void
set_cursor (NwEditor *self, const char *name)
{
  gtk_widget_set_cursor_from_name (self->canvas, name);
}

static void
update_cursor (NwEditor *self)
{
  switch (self->drag_mode)
    {
    case NW_DRAG_MOVE:
    case NW_DRAG_PAN:
      if (self->dragged)
        {
          set_cursor (self, "grabbing");
          return;
        }
      break;
    case NW_DRAG_WIRE:
      set_cursor (self, "crosshair");
      return;
    case NW_DRAG_NONE:
    case NW_DRAG_CLICK:
    default:
      break;
    }
  switch (self->hover.kind)
    {
    case NW_HIT_INPUT_PORT:
    case NW_HIT_OUTPUT_PORT:
      set_cursor (self, "crosshair");
      break;
    case NW_HIT_TOGGLE:
    case NW_HIT_EDGE:
      set_cursor (self, "pointer");
      break;
    case NW_HIT_BLOCK:
    case NW_HIT_THUMB:
      set_cursor (self, "grab");
      break;
    case NW_HIT_NONE:
    default:
      set_cursor (self, NULL);
      break;
    }
}

/* Where a wire being drawn would land if released here. */
static NwHit
wire_target_at (NwEditor *self, double wx, double wy)
{
  NwHit none = { NW_HIT_NONE, -1, -1, -1, -1 };
  NwHit hit = nw_editor_hit_test (self, wx, wy);
  const NwNodeSpec *node = node_at (self, hit.node);

  if (node == NULL || hit.node == self->wire_node)
    return none;
  if (!self->wire_from_input)
    {
      if (node->kind == NW_NODE_INPUT)
        return none;
      if (hit.kind == NW_HIT_INPUT_PORT)
        return hit;
      if (hit.kind == NW_HIT_BLOCK || hit.kind == NW_HIT_THUMB || hit.kind == NW_HIT_TOGGLE)
        {
          /* Dropped on a block's body: its first free input. */
          int port = 0;
          if (node->kind == NW_NODE_ADD || node->kind == NW_NODE_CONCAT)
            while (nw_graph_model_edge_into (self->model, node->id, port) >= 0)
              port++;
          return (NwHit) { NW_HIT_INPUT_PORT, hit.node, port, -1, -1 };
        }
      return none;
    }
  if (node->kind == NW_NODE_LOSS)
    return none;
  if (hit.kind == NW_HIT_OUTPUT_PORT || hit.kind == NW_HIT_BLOCK || hit.kind == NW_HIT_THUMB
      || hit.kind == NW_HIT_TOGGLE)
    return (NwHit) { NW_HIT_OUTPUT_PORT, hit.node, -1, -1, -1 };
  return none;
}

void
nw_editor_pointer_press (NwEditor *self, guint button, double x, double y)
{
  NwHit hit = nw_editor_hit_test (self, x, y);
  const NwNodeSpec *node = node_at (self, hit.node);

  gtk_widget_grab_focus (self->canvas);
  self->drag_x0 = x;
  self->drag_y0 = y;
  self->pointer_x = x;
  self->pointer_y = y;
  self->dragged = FALSE;
  self->drag_hit = hit;
  self->wire_detached = -1;
  self->wire_target = (NwHit) { NW_HIT_NONE, -1, -1, -1, -1 };
  nw_graph_model_cancel_move (self->model);   /* a move whose release never came */

  if (button != GDK_BUTTON_PRIMARY || hit.kind == NW_HIT_NONE)
    {
      self->drag_mode = button == GDK_BUTTON_SECONDARY && hit.kind != NW_HIT_NONE
                        ? NW_DRAG_CLICK : NW_DRAG_PAN;
      self->drag_tx0 = self->tx;
      self->drag_ty0 = self->ty;
      return;
    }
  switch (hit.kind)
    {
    case NW_HIT_OUTPUT_PORT:
      self->drag_mode = NW_DRAG_WIRE;
      self->wire_node = hit.node;
      self->wire_from_input = FALSE;
      break;
    case NW_HIT_INPUT_PORT:
      {
        int e = nw_graph_model_edge_into (self->model, node->id, hit.port);
        self->drag_mode = NW_DRAG_WIRE;
        if (e >= 0)
          {
            /* Pick the wire up by its end: it follows the pointer from its source. */
            const NwEdgeSpec *edge = g_ptr_array_index (nw_editor_spec (self)->edges, (guint) e);
            self->wire_node = nw_editor_node_index (self, edge->from);
            self->wire_from_input = FALSE;
            self->wire_detached = e;
            if (self->wire_node < 0)
              self->drag_mode = NW_DRAG_CLICK;
          }
        else
          {
            self->wire_node = hit.node;
            self->wire_from_input = TRUE;
            self->wire_port = hit.port;
          }
      }
      break;
    case NW_HIT_BLOCK:
    case NW_HIT_THUMB:
      self->drag_mode = NW_DRAG_MOVE;
      self->drag_node_x0 = node->x;
      self->drag_node_y0 = node->y;
      break;
    case NW_HIT_TOGGLE:
    case NW_HIT_EDGE:
    case NW_HIT_NONE:
    default:
      self->drag_mode = NW_DRAG_CLICK;
      break;
    }
}

void
nw_editor_pointer_drag (NwEditor *self, double ox, double oy)
{
  self->pointer_x = self->drag_x0 + ox;
  self->pointer_y = self->drag_y0 + oy;
  if (!self->dragged && hypot (ox, oy) < CLICK_THRESHOLD)
    return;
  self->dragged = TRUE;

  switch (self->drag_mode)
    {
    case NW_DRAG_PAN:
      self->tx = self->drag_tx0 + ox;
      self->ty = self->drag_ty0 + oy;
      self->view_touched = TRUE;
      break;
    case NW_DRAG_MOVE:
      {
        const NwNodeSpec *node = node_at (self, self->drag_hit.node);
        if (node == NULL)
          break;
        nw_editor_popover_hide (self);
        /* one undo step at the release, not one per motion */
        nw_graph_model_preview_move (self->model, node->id,
                                     self->drag_node_x0 + ox / self->scale,
                                     self->drag_node_y0 + oy / self->scale);
      }
      break;
    case NW_DRAG_WIRE:
      self->wire_target = wire_target_at (self, self->pointer_x, self->pointer_y);
      break;
    case NW_DRAG_CLICK:
    case NW_DRAG_NONE:
    default:
      break;
    }
  update_cursor (self);
  gtk_widget_queue_draw (self->canvas);
}

static void
click (NwEditor *self, guint button)
{
  const NwHit *hit = &self->drag_hit;
  const NwNodeSpec *node = node_at (self, hit->node);
  NwHitKind kind = hit->kind;

  /* what was under the press may have gone since (a spec set meanwhile) */
  if ((kind != NW_HIT_EDGE && node == NULL)
      || (kind == NW_HIT_EDGE && (hit->edge < 0 || (guint) hit->edge >= nw_editor_spec (self)->edges->len)))
    kind = NW_HIT_NONE;

  switch (kind)
    {
    case NW_HIT_BLOCK:
    case NW_HIT_THUMB:
      nw_editor_popup_settings (self, node->id);
      break;
    case NW_HIT_TOGGLE:
      if (button == GDK_BUTTON_PRIMARY)
        {
          g_autofree char *id = g_strdup (node->id);
          nw_editor_select (self, id);
          nw_editor_set_node_setting (self, id, "enabled", node->enabled ? "false" : "true");
        }
      else
        nw_editor_popup_settings (self, node->id);
      break;
    case NW_HIT_INPUT_PORT:
    case NW_HIT_OUTPUT_PORT:
      nw_editor_select (self, node->id);
      break;
    case NW_HIT_EDGE:
      nw_editor_select (self, NULL);
      nw_editor_popover_hide (self);
      nw_graph_model_select_edge (self->model, hit->edge);
      gtk_widget_queue_draw (self->canvas);
      break;
    case NW_HIT_NONE:
    default:
      nw_editor_select (self, NULL);
      nw_editor_popover_hide (self);
      break;
    }
}

void
nw_editor_pointer_release (NwEditor *self, guint button, double ox, double oy)
{
  NwDragMode mode = self->drag_mode;
  gboolean dragged = self->dragged;

  self->drag_mode = NW_DRAG_NONE;
  self->dragged = FALSE;

  if (!dragged)
    {
      nw_graph_model_cancel_move (self->model);
      click (self, button);
    }
  else if (mode == NW_DRAG_MOVE)
    nw_graph_model_end_move (self->model);
  else if (mode == NW_DRAG_WIRE)
    {
      NwHit target = wire_target_at (self, self->drag_x0 + ox, self->drag_y0 + oy);
      const NwNodeSpec *fixed = node_at (self, self->wire_node);
      const NwNodeSpec *other = node_at (self, target.node);
      g_autofree char *fixed_id = fixed != NULL ? g_strdup (fixed->id) : NULL;
      g_autofree char *other_id = other != NULL ? g_strdup (other->id) : NULL;

      if (fixed_id != NULL && other_id != NULL && !self->wire_from_input)
        nw_graph_model_rewire (self->model, self->wire_detached, fixed_id, other_id, target.port, NULL);
      else if (fixed_id != NULL && other_id != NULL)
        nw_graph_model_rewire (self->model, -1, other_id, fixed_id, self->wire_port, NULL);
      else if (self->wire_detached >= 0)
        nw_graph_model_rewire (self->model, self->wire_detached, NULL, NULL, 0, NULL);   /* dropped: removed */
    }

  self->wire_node = -1;
  self->wire_detached = -1;
  self->wire_target = (NwHit) { NW_HIT_NONE, -1, -1, -1, -1 };
  self->hover = nw_editor_hit_test (self, self->drag_x0 + ox, self->drag_y0 + oy);
  update_cursor (self);
  gtk_widget_queue_draw (self->canvas);
}

static void
drag_begin (GtkGestureDrag *gesture, double x, double y, NwEditor *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  nw_editor_pointer_press (self, button, x, y);
}

static void
drag_update (GtkGestureDrag *gesture, double ox, double oy, NwEditor *self)
{
  nw_editor_pointer_drag (self, ox, oy);
}

static void
drag_end (GtkGestureDrag *gesture, double ox, double oy, NwEditor *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  nw_editor_pointer_release (self, button, ox, oy);
}

/* Escape or a cancelled gesture: a move in progress is undone (nothing else has changed the
 * model yet); the release that follows does nothing. */
static void
cancel_drag (NwEditor *self)
{
  nw_graph_model_cancel_move (self->model);
  self->drag_mode = NW_DRAG_NONE;
  self->drag_hit.kind = NW_HIT_NONE;
  self->dragged = TRUE;
  self->wire_node = -1;
  self->wire_detached = -1;
  self->wire_target.kind = NW_HIT_NONE;
  update_cursor (self);
  gtk_widget_queue_draw (self->canvas);
}

static void
drag_cancel (GtkGesture *gesture, GdkEventSequence *sequence, NwEditor *self)
{
  cancel_drag (self);
  self->dragged = FALSE;
}

static void
double_click (GtkGestureClick *gesture, int n_press, double x, double y, NwEditor *self)
{
  if (n_press == 2 && nw_editor_hit_test (self, x, y).kind == NW_HIT_NONE)
    nw_editor_fit_view (self);
}

static void
motion (GtkEventControllerMotion *controller, double x, double y, NwEditor *self)
{
  NwHit old = self->hover;

  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_in = TRUE;
  if (self->drag_mode != NW_DRAG_NONE)
    return;
  self->hover = nw_editor_hit_test (self, x, y);
  update_cursor (self);
  if (old.kind != self->hover.kind || old.node != self->hover.node || old.port != self->hover.port
      || old.unit != self->hover.unit || self->hover.kind == NW_HIT_THUMB)
    gtk_widget_queue_draw (self->canvas);
}

static void
leave (GtkEventControllerMotion *controller, NwEditor *self)
{
  self->pointer_in = FALSE;
  if (self->hover.kind != NW_HIT_NONE)
    {
      self->hover = (NwHit) { NW_HIT_NONE, -1, -1, -1, -1 };
      gtk_widget_queue_draw (self->canvas);
    }
}

void
nw_editor_zoom_at (NwEditor *self, double factor, double wx, double wy)
{
  double s = CLAMP (self->scale * factor, NW_EDITOR_MIN_SCALE, NW_EDITOR_MAX_SCALE);
  double cx, cy;

  nw_editor_to_canvas (self, wx, wy, &cx, &cy);
  self->scale = s;
  self->tx = wx - cx * s;
  self->ty = wy - cy * s;
  self->fit_pending = FALSE;
  self->view_touched = TRUE;
  gtk_widget_queue_draw (self->canvas);
}

static gboolean
scroll (GtkEventControllerScroll *controller, double dx, double dy, NwEditor *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (state & GDK_CONTROL_MASK)
    {
      double factor = wheel ? pow (1.15, -dy) : exp (-dy * 0.01);
      double x = self->pointer_in ? self->pointer_x : gtk_widget_get_width (self->canvas) / 2.0;
      double y = self->pointer_in ? self->pointer_y : gtk_widget_get_height (self->canvas) / 2.0;
      nw_editor_zoom_at (self, factor, x, y);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK && dx == 0)
    dx = dy, dy = 0;
  self->tx -= dx * (wheel ? 40 : 1);
  self->ty -= dy * (wheel ? 40 : 1);
  self->fit_pending = FALSE;
  self->view_touched = TRUE;
  gtk_widget_queue_draw (self->canvas);
  return TRUE;
}

static gboolean
key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
             GdkModifierType state, NwEditor *self)
{
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;
  gboolean shift = (state & GDK_SHIFT_MASK) != 0;

  if (self->popover != NULL && gtk_widget_get_visible (self->popover))
    return FALSE;
  if (self->drag_mode != NW_DRAG_NONE)
    {
      if (keyval != GDK_KEY_Escape)
        return FALSE;
      cancel_drag (self);
      return TRUE;
    }

  if (ctrl)
    switch (keyval)
      {
      case GDK_KEY_z:
      case GDK_KEY_Z:
        if (shift)
          nw_editor_redo (self);
        else
          nw_editor_undo (self);
        return TRUE;
      case GDK_KEY_y:
      case GDK_KEY_Y:
        nw_editor_redo (self);
        return TRUE;
      /* The canvas's own zoom. In NwWindow the window's zoom takes these three keys first
       * (its capture-phase shortcuts): there the canvas zooms with Ctrl+scroll. */
      case GDK_KEY_0:
      case GDK_KEY_KP_0:
        nw_editor_fit_view (self);
        return TRUE;
      case GDK_KEY_plus:
      case GDK_KEY_equal:
      case GDK_KEY_KP_Add:
        nw_editor_zoom_at (self, 1.25, gtk_widget_get_width (self->canvas) / 2.0,
                           gtk_widget_get_height (self->canvas) / 2.0);
        return TRUE;
      case GDK_KEY_minus:
      case GDK_KEY_KP_Subtract:
        nw_editor_zoom_at (self, 0.8, gtk_widget_get_width (self->canvas) / 2.0,
                           gtk_widget_get_height (self->canvas) / 2.0);
        return TRUE;
      default:
        return FALSE;
      }

  switch (keyval)
    {
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
    case GDK_KEY_BackSpace:
      if (nw_graph_model_get_selected (self->model) != NULL)
        {
          g_autofree char *id = g_strdup (nw_graph_model_get_selected (self->model));
          return nw_editor_remove_node (self, id);
        }
      if (nw_graph_model_get_selected_edge (self->model) >= 0 && (guint) nw_graph_model_get_selected_edge (self->model) < nw_editor_spec (self)->edges->len)
        {
          const NwEdgeSpec *edge = g_ptr_array_index (nw_editor_spec (self)->edges, (guint) nw_graph_model_get_selected_edge (self->model));
          g_autofree char *from = g_strdup (edge->from);
          g_autofree char *to = g_strdup (edge->to);
          return nw_editor_remove_edge (self, from, to, edge->port);
        }
      return FALSE;
    case GDK_KEY_Escape:
      if (nw_graph_model_get_selected (self->model) == NULL && nw_graph_model_get_selected_edge (self->model) < 0)
        return FALSE;
      nw_editor_select (self, NULL);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (nw_graph_model_get_selected (self->model) == NULL || !gtk_widget_has_focus (self->canvas))
        return FALSE;
      nw_editor_popup_settings (self, nw_graph_model_get_selected (self->model));
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_Right:
    case GDK_KEY_Up:
    case GDK_KEY_Down:
      {
        const NwNodeSpec *node = nw_spec_find_node (nw_editor_spec (self), nw_graph_model_get_selected (self->model));
        double step = shift ? 40 : 8;
        g_autofree char *id = NULL;
        if (node == NULL || !gtk_widget_has_focus (self->canvas))
          return FALSE;
        id = g_strdup (node->id);
        nw_editor_move_node (self, id,
                             node->x + (keyval == GDK_KEY_Left ? -step : keyval == GDK_KEY_Right ? step : 0),
                             node->y + (keyval == GDK_KEY_Up ? -step : keyval == GDK_KEY_Down ? step : 0));
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static gboolean
drop (GtkDropTarget *target, const GValue *value, double x, double y, NwEditor *self)
{
  const char *name = G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;
  int kind = nw_node_kind_from_name (name);
  double cx, cy;
  g_autofree char *id = NULL;

  if (kind < 0)
    return FALSE;
  nw_editor_to_canvas (self, x, y, &cx, &cy);
  id = nw_editor_add_node (self, (NwNodeKind) kind, cx - NW_BLOCK_WIDTH / 2, cy - NW_BLOCK_HEIGHT / 2);
  nw_editor_select (self, id);
  gtk_widget_grab_focus (self->canvas);
  return TRUE;
}

void
nw_editor_input_init (NwEditor *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *clicks = gtk_gesture_click_new ();
  GtkEventController *motion_controller = gtk_event_controller_motion_new ();
  GtkEventController *scroll_controller =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (drag_cancel), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (clicks, "pressed", G_CALLBACK (double_click), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (clicks));

  g_signal_connect (motion_controller, "motion", G_CALLBACK (motion), self);
  g_signal_connect (motion_controller, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (self->canvas, motion_controller);

  g_signal_connect (scroll_controller, "scroll", G_CALLBACK (scroll), self);
  gtk_widget_add_controller (self->canvas, scroll_controller);

  g_signal_connect (target, "drop", G_CALLBACK (drop), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (target));

  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
