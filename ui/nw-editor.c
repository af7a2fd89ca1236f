/* nw-editor.c: the NwEditor widget: a palette of block kinds (real buttons: click to add a
 * block, or drag one onto the canvas) beside the canvas (a GtkDrawingArea drawn by
 * nw-editor-draw.c), its properties and signals. The model is core's NwGraphModel
 * (nw-graph-model.h), which the editor listens to in nw-editor-model.c; the pointer and keys
 * are in nw-editor-input.c, the settings popover in nw-editor-popover.c. */
#include "nw-editor-private.h"
#include "nw-i18n.h"

#include <math.h>

enum {
  PROP_0,
  PROP_VALID,
  PROP_INVALID_REASON,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_SELECTED,
  N_PROPS
};

enum {
  SPEC_CHANGED,
  NODE_TOGGLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NwEditor, nw_editor, GTK_TYPE_WIDGET)

/* The palette ---------------------------------------------------------------------------- */

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NwNodeKind kind = (NwNodeKind) GPOINTER_TO_INT (data);
  double rgb[3], r = 3;

  nw_editor_kind_color (kind, rgb);
  cairo_new_sub_path (cr);
  cairo_arc (cr, width - r - 0.5, r + 0.5, r, -G_PI / 2, 0);
  cairo_arc (cr, width - r - 0.5, height - r - 0.5, r, 0, G_PI / 2);
  cairo_arc (cr, r + 0.5, height - r - 0.5, r, G_PI / 2, G_PI);
  cairo_arc (cr, r + 0.5, r + 0.5, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, rgb[0] * 0.55, rgb[1] * 0.55, rgb[2] * 0.55);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

/* A new block goes in the middle of what the canvas shows, moved down and right until it
 * covers no other block (the canvas's size is the widget's, so this is not the model's). */
static char *
add_node_at_free_spot (NwEditor *self, NwNodeKind kind)
{
  const NwSpec *spec = nw_editor_spec (self);
  double w = gtk_widget_get_width (self->canvas);
  double h = gtk_widget_get_height (self->canvas);
  double cx, cy;

  if (w <= 0 || h <= 0)
    cx = 40, cy = 40;
  else
    {
      nw_editor_to_canvas (self, w / 2, h / 2, &cx, &cy);
      cx -= NW_BLOCK_WIDTH / 2;
      cy -= NW_BLOCK_HEIGHT / 2;
    }
  cx = round (cx / 8) * 8;
  cy = round (cy / 8) * 8;
  for (int attempt = 0; attempt < 40; attempt++)
    {
      gboolean clear = TRUE;
      for (guint i = 0; clear && i < spec->nodes->len; i++)
        {
          NwRect r;
          nw_editor_block_rect (self, g_ptr_array_index (spec->nodes, i), &r);
          if (cx < r.x + r.width + 8 && cx + NW_BLOCK_WIDTH + 8 > r.x
              && cy < r.y + r.height + 8 && cy + NW_BLOCK_HEIGHT + 8 > r.y)
            clear = FALSE;
        }
      if (clear)
        break;
      cx += 24;
      cy += 24;
    }
  return nw_editor_add_node (self, kind, cx, cy);
}

static void
palette_clicked (GtkButton *button, NwEditor *self)
{
  NwNodeKind kind = (NwNodeKind) (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "nw-kind")) - 1);
  g_autofree char *id = add_node_at_free_spot (self, kind);
  nw_editor_select (self, id);
}

static GdkContentProvider *
palette_drag_prepare (GtkDragSource *source, double x, double y, NwEditor *self)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  NwNodeKind kind = (NwNodeKind) (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "nw-kind")) - 1);
  return gdk_content_provider_new_typed (G_TYPE_STRING, nw_node_kind_name (kind));
}

static void
palette_drag_begin (GtkDragSource *source, GdkDrag *drag, NwEditor *self)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  GdkPaintable *paintable = gtk_widget_paintable_new (button);
  gtk_drag_source_set_icon (source, paintable, 12, 12);
  g_object_unref (paintable);
}

static GtkWidget *
palette_button (NwEditor *self, NwNodeKind kind)
{
  const char *label = nw_graph_model_kind_label (kind);
  g_autofree char *name = g_strdup_printf (_("Add %s block"), label);
  g_autofree char *tip = g_strdup_printf (_("Add a %s block: click, or drag it onto the canvas"), label);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *swatch = g_object_new (GTK_TYPE_DRAWING_AREA,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                    "content-width", 14, "content-height", 14,
                                    "valign", GTK_ALIGN_CENTER, NULL);
  GtkWidget *text = gtk_label_new (label);
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, GINT_TO_POINTER (kind), NULL);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), text);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data (G_OBJECT (button), "nw-kind", GINT_TO_POINTER ((int) kind + 1));
  g_signal_connect (button, "clicked", G_CALLBACK (palette_clicked), self);

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (palette_drag_prepare), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (palette_drag_begin), self);
  gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (source));
  return button;
}

static GtkWidget *
tool_button (const char *icon, const char *name, const char *tip, GCallback cb, NwEditor *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_signal_connect_swapped (button, "clicked", cb, self);
  return button;
}

static GtkWidget *
build_palette (NwEditor *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *heading = gtk_label_new (_("Blocks"));
  GtkWidget *tools = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *fit;

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_margin_start (heading, 6);
  gtk_widget_set_margin_bottom (heading, 4);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_box_append (GTK_BOX (box), heading);
  for (int k = 0; k < NW_N_NODE_KINDS; k++)
    gtk_box_append (GTK_BOX (box), palette_button (self, (NwNodeKind) k));

  self->undo_button = tool_button ("edit-undo-symbolic", _("Undo"), _("Undo (Ctrl+Z)"),
                                   G_CALLBACK (nw_editor_undo), self);
  self->redo_button = tool_button ("edit-redo-symbolic", _("Redo"), _("Redo (Ctrl+Shift+Z)"),
                                   G_CALLBACK (nw_editor_redo), self);
  fit = tool_button ("zoom-fit-best-symbolic", _("Fit network in view"), _("Fit in view"),
                     G_CALLBACK (nw_editor_fit_view), self);
  g_object_bind_property (self, "can-undo", self->undo_button, "sensitive", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "can-redo", self->redo_button, "sensitive", G_BINDING_SYNC_CREATE);
  gtk_widget_set_margin_top (tools, 8);
  gtk_widget_set_halign (tools, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (tools), self->undo_button);
  gtk_box_append (GTK_BOX (tools), self->redo_button);
  gtk_box_append (GTK_BOX (tools), fit);
  gtk_box_append (GTK_BOX (box), tools);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scroller), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Block palette"), -1);
  return scroller;
}

/* The canvas ----------------------------------------------------------------------------- */

static void
draw_canvas (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NwEditor *self = data;
  nw_editor_draw (self, cr, width, height);
  /* the line between palette and canvas */
  cairo_set_source_rgb (cr, 0xde / 255.0, 0xdd / 255.0, 0xda / 255.0);
  cairo_rectangle (cr, 0, 0, 1, height);
  cairo_fill (cr);
}

/* Widget --------------------------------------------------------------------------------- */

static void
nw_editor_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                   int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  NwEditor *self = NW_EDITOR (widget);
  int pmin = 0, pnat = 0;

  gtk_widget_measure (self->palette, orientation, -1, &pmin, &pnat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = pmin + 240;
      *natural = pnat + 640;
    }
  else
    {
      *minimum = MAX (MIN (pmin, 200), 200);
      *natural = MAX (pnat, 420);
    }
}

static void
nw_editor_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  NwEditor *self = NW_EDITOR (widget);
  int pmin = 0, pnat = 0, pw;

  gtk_widget_measure (self->palette, GTK_ORIENTATION_HORIZONTAL, height, &pmin, &pnat, NULL, NULL);
  pw = MAX (pmin, MIN (pnat, width / 2));
  gtk_widget_size_allocate (self->palette, &(GtkAllocation) { 0, 0, pw, height }, -1);
  gtk_widget_size_allocate (self->canvas, &(GtkAllocation) { pw, 0, MAX (width - pw, 0), height }, -1);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
nw_editor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwEditor *self = NW_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, nw_graph_model_get_valid (self->model));
      break;
    case PROP_INVALID_REASON:
      g_value_set_string (value, nw_graph_model_get_invalid_reason (self->model));
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, nw_editor_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, nw_editor_get_can_redo (self));
      break;
    case PROP_SELECTED:
      g_value_set_string (value, nw_graph_model_get_selected (self->model));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_editor_dispose (GObject *object)
{
  NwEditor *self = NW_EDITOR (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->palette, gtk_widget_unparent);
  g_clear_pointer (&self->canvas, gtk_widget_unparent);
  G_OBJECT_CLASS (nw_editor_parent_class)->dispose (object);
}

static void
nw_editor_finalize (GObject *object)
{
  NwEditor *self = NW_EDITOR (object);

  nw_editor_model_finalize (self);
  g_clear_pointer (&self->popover_node, g_free);
  G_OBJECT_CLASS (nw_editor_parent_class)->finalize (object);
}

static void
nw_editor_class_init (NwEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = nw_editor_get_property;
  object_class->dispose = nw_editor_dispose;
  object_class->finalize = nw_editor_finalize;
  widget_class->measure = nw_editor_measure;
  widget_class->size_allocate = nw_editor_size_allocate;

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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SPEC_CHANGED] =
    g_signal_new ("spec-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[NODE_TOGGLED] =
    g_signal_new ("node-toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_css_name (widget_class, "nw-editor");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
nw_editor_init (NwEditor *self)
{
  self->scale = 1.0;
  self->fit_pending = TRUE;
  self->wire_node = -1;
  self->wire_detached = -1;
  self->hover.kind = NW_HIT_NONE;
  self->drag_hit.kind = NW_HIT_NONE;
  self->wire_target.kind = NW_HIT_NONE;

  nw_editor_model_init (self);

  self->palette = build_palette (self);
  gtk_widget_set_parent (self->palette, GTK_WIDGET (self));

  self->canvas = g_object_new (GTK_TYPE_DRAWING_AREA,
                               "accessible-role", GTK_ACCESSIBLE_ROLE_IMG, NULL);
  gtk_widget_set_focusable (self->canvas, TRUE);
  gtk_widget_set_hexpand (self->canvas, TRUE);
  gtk_widget_set_vexpand (self->canvas, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Network canvas"), -1);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->canvas), draw_canvas, self, NULL);
  gtk_widget_set_parent (self->canvas, GTK_WIDGET (self));

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Network editor"), -1);

  nw_editor_input_init (self);
}

/* Public --------------------------------------------------------------------------------- */

NwEditor *
nw_editor_new (void)
{
  return g_object_new (NW_TYPE_EDITOR, NULL);
}

void
nw_editor_select (NwEditor *self, const char *id)
{
  g_return_if_fail (NW_IS_EDITOR (self));

  /* "selected" is notified as the model's is (nw-editor-model.c) */
  if (nw_graph_model_select (self->model, id))
    gtk_widget_queue_draw (self->canvas);
}

const char *
nw_editor_get_selected (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return nw_graph_model_get_selected (self->model);
}

void
nw_editor_popup_settings (NwEditor *self, const char *id)
{
  g_return_if_fail (NW_IS_EDITOR (self));
  if (nw_editor_node_index (self, id) < 0)
    return;
  nw_editor_select (self, id);
  nw_editor_popover_show (self, id);
}

GtkWidget *
nw_editor_get_popover (NwEditor *self)
{
  g_return_val_if_fail (NW_IS_EDITOR (self), NULL);
  return self->popover;
}

void
nw_editor_fit_view (NwEditor *self)
{
  int w, h;

  g_return_if_fail (NW_IS_EDITOR (self));
  w = gtk_widget_get_width (self->canvas);
  h = gtk_widget_get_height (self->canvas);
  self->view_touched = FALSE;
  if (w > 0 && h > 0)
    nw_editor_do_fit_view (self, w, h);
  else
    self->fit_pending = TRUE;
  gtk_widget_queue_draw (self->canvas);
}
