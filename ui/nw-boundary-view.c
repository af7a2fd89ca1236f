/* nw-boundary-view.c: the decision boundary as a colour field, with the data on it. */
#include "nw-boundary-view.h"
#include "nw-i18n.h"

#include "nw-plot.h"
#include "nw-trainer.h"

#include <math.h>
#include <string.h>

struct _NwBoundaryView
{
  GtkWidget        parent_instance;

  int              grid_n;
  float           *grid;         /* owned copy */
  cairo_surface_t *field;        /* the grid as colours, one pixel per cell */
  GArray          *points;       /* of NwPoint */
  char            *message;
  char            *caption;
  char            *description;  /* the accessible description last set */
  double           class1_share;
  gboolean         show_test;
  int              add_class;
};

G_DEFINE_FINAL_TYPE (NwBoundaryView, nw_boundary_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SHOW_TEST, PROP_ADD_CLASS, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_POINT_ADDED, SIGNAL_POINT_REMOVED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define MARGIN_OTHER   8.0
#define REMOVE_RADIUS_PX 14.0

/* The square the field occupies in a width x height view, with room on the left and below
 * for the tick labels in the widget's font (bound to `cr`). */
static void
field_rect (cairo_t *cr, int width, int height, double *x0, double *y0, double *side)
{
  double left = ceil (nw_plot_text_width (cr, "-1.5", NW_TEXT_SMALL, FALSE)) + 10;
  double bottom = ceil (nw_plot_line_height (cr, NW_TEXT_SMALL)) + 8;
  /* The last tick's label is centred under the right edge: half of it sticks out. */
  double right = MAX (MARGIN_OTHER, ceil (nw_plot_text_width (cr, "1.5", NW_TEXT_SMALL, FALSE) / 2) + 2);
  double s = MIN (width - left - right, height - bottom - MARGIN_OTHER);
  *side = MAX (s, 10);
  *x0 = left + floor ((width - left - right - *side) / 2);
  *y0 = MARGIN_OTHER + floor ((height - bottom - MARGIN_OTHER - *side) / 2);
}

static void
field_rect_of (NwBoundaryView *self, int width, int height, double *x0, double *y0, double *side)
{
  cairo_t *cr = nw_plot_measure_context (GTK_WIDGET (self));
  field_rect (cr, width, height, x0, y0, side);
  cairo_destroy (cr);
}

gboolean
nw_boundary_view_to_data (NwBoundaryView *self, int width, int height, double px, double py,
                          double *x, double *y)
{
  double x0, y0, side;
  g_return_val_if_fail (NW_IS_BOUNDARY_VIEW (self), FALSE);
  field_rect_of (self, width, height, &x0, &y0, &side);
  *x = -NW_GRID_EXTENT + (px - x0) / side * 2 * NW_GRID_EXTENT;
  *y = NW_GRID_EXTENT - (py - y0) / side * 2 * NW_GRID_EXTENT;
  return px >= x0 && px <= x0 + side && py >= y0 && py <= y0 + side;
}

/* What the field shows, in words, for screen readers (and the AT-SPI tests): changed only
 * when the words change, not with every frame's grid. */
static void
update_description (NwBoundaryView *self)
{
  g_autofree char *text = NULL;
  if (self->grid_n <= 0 || self->message != NULL)
    text = g_strdup (self->message != NULL ? self->message : _("No boundary yet"));
  else if (self->caption != NULL)
    /* Translators: the boundary view's description: its caption (such as "training mode:
     * dropout on, batch statistics"), then the share of the plane the network calls class 1 */
    text = g_strdup_printf (_("%s; %.0f%% of the field is orange (class 1)"), self->caption,
                            100 * self->class1_share);
  else
    text = g_strdup_printf (_("%.0f%% of the field is orange (class 1)"),
                            100 * self->class1_share);
  if (g_strcmp0 (text, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_steal_pointer (&text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description, -1);
}

static void
rebuild_field (NwBoundaryView *self)
{
  unsigned char *data;
  int stride;
  gsize orange = 0;
  g_clear_pointer (&self->field, cairo_surface_destroy);
  self->class1_share = 0;
  if (self->grid_n <= 0)
    return;
  for (gsize i = 0; i < (gsize) self->grid_n * self->grid_n; i++)
    orange += self->grid[i] > 0.5f;
  self->class1_share = (double) orange / ((gsize) self->grid_n * self->grid_n);
  self->field = cairo_image_surface_create (CAIRO_FORMAT_RGB24, self->grid_n, self->grid_n);
  cairo_surface_flush (self->field);
  data = cairo_image_surface_get_data (self->field);
  stride = cairo_image_surface_get_stride (self->field);
  for (int r = 0; r < self->grid_n; r++)
    {
      guint32 *row = (guint32 *) (data + (gsize) r * stride);
      for (int c = 0; c < self->grid_n; c++)
        {
          double R, G, B;
          nw_plot_probability_rgb (self->grid[(gsize) r * self->grid_n + c], &R, &G, &B);
          row[c] = 0xff000000u | ((guint32) lround (R * 255) << 16)
                 | ((guint32) lround (G * 255) << 8) | (guint32) lround (B * 255);
        }
    }
  cairo_surface_mark_dirty (self->field);
}

void
nw_boundary_view_set_grid (NwBoundaryView *self, int grid_n, const float *grid)
{
  g_return_if_fail (NW_IS_BOUNDARY_VIEW (self));
  if (grid == NULL)
    grid_n = 0;
  if (grid_n == self->grid_n && grid_n > 0
      && memcmp (grid, self->grid, sizeof (float) * grid_n * grid_n) == 0)
    return;
  g_clear_pointer (&self->grid, g_free);
  self->grid_n = MAX (grid_n, 0);
  if (self->grid_n > 0)
    self->grid = g_memdup2 (grid, sizeof (float) * grid_n * grid_n);
  rebuild_field (self);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_boundary_view_set_caption (NwBoundaryView *self, const char *caption)
{
  g_return_if_fail (NW_IS_BOUNDARY_VIEW (self));
  if (g_strcmp0 (caption, self->caption) == 0)
    return;
  g_free (self->caption);
  self->caption = g_strdup (caption);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
nw_boundary_view_get_class1_share (NwBoundaryView *self)
{
  g_return_val_if_fail (NW_IS_BOUNDARY_VIEW (self), 0);
  return self->class1_share;
}

void
nw_boundary_view_set_points (NwBoundaryView *self, const NwPoint *points, guint n)
{
  g_return_if_fail (NW_IS_BOUNDARY_VIEW (self));
  if (self->points->len == n && (n == 0 || memcmp (self->points->data, points, sizeof (NwPoint) * n) == 0))
    return;
  g_array_set_size (self->points, 0);
  if (n > 0)
    g_array_append_vals (self->points, points, n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_boundary_view_set_message (NwBoundaryView *self, const char *message)
{
  g_return_if_fail (NW_IS_BOUNDARY_VIEW (self));
  if (g_strcmp0 (message, self->message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_boundary_view_set_show_test (NwBoundaryView *self, gboolean show_test)
{
  g_return_if_fail (NW_IS_BOUNDARY_VIEW (self));
  show_test = !!show_test;
  if (show_test == self->show_test)
    return;
  self->show_test = show_test;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_TEST]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
nw_boundary_view_get_show_test (NwBoundaryView *self)
{
  g_return_val_if_fail (NW_IS_BOUNDARY_VIEW (self), FALSE);
  return self->show_test;
}

void
nw_boundary_view_set_add_class (NwBoundaryView *self, int label)
{
  g_return_if_fail (NW_IS_BOUNDARY_VIEW (self));
  label = label ? 1 : 0;
  if (label == self->add_class)
    return;
  self->add_class = label;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADD_CLASS]);
}

int
nw_boundary_view_get_add_class (NwBoundaryView *self)
{
  g_return_val_if_fail (NW_IS_BOUNDARY_VIEW (self), 0);
  return self->add_class;
}

static void
draw_point (cairo_t *cr, double x, double y, const NwPoint *p, double radius)
{
  guint32 colour = p->label ? NW_COLOUR_CLASS1 : NW_COLOUR_CLASS0;
  cairo_new_path (cr);
  cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  /* White, not the paper: the points lie on the field's own light colours in any theme. */
  if (p->test)
    {
      nw_plot_rgb (cr, 0xffffff, 0.85);
      cairo_fill_preserve (cr);
      nw_plot_rgb (cr, colour, 1.0);
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
    }
  else
    {
      nw_plot_rgb (cr, colour, 1.0);
      cairo_fill_preserve (cr);
      nw_plot_rgb (cr, 0xffffff, 1.0);
      cairo_set_line_width (cr, 1.2);
      cairo_stroke (cr);
    }
}

void
nw_boundary_view_draw (NwBoundaryView *self, cairo_t *cr, int width, int height)
{
  double x0, y0, side, radius;
  double ticks[16];
  int n_ticks;

  nw_plot_begin (cr, GTK_WIDGET (self));
  field_rect (cr, width, height, &x0, &y0, &side);

  /* The field, or an empty frame. */
  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, side, side);
  cairo_clip (cr);
  if (self->field != NULL && self->message == NULL)
    {
      cairo_pattern_t *pattern;
      cairo_matrix_t m;
      pattern = cairo_pattern_create_for_surface (self->field);
      cairo_matrix_init_scale (&m, self->grid_n / side, self->grid_n / side);
      cairo_matrix_translate (&m, -x0, -y0);
      cairo_pattern_set_matrix (pattern, &m);
      cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
      cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
      cairo_set_source (cr, pattern);
      cairo_paint (cr);
      cairo_pattern_destroy (pattern);
    }
  else
    {
      nw_plot_rgb (cr, NW_COLOUR_EMPTY, 1.0);
      cairo_paint (cr);
    }
  cairo_restore (cr);

  /* Ticks and axis labels. */
  n_ticks = nw_plot_ticks (-NW_GRID_EXTENT, NW_GRID_EXTENT, 7, ticks);
  cairo_set_line_width (cr, 1.0);
  for (int i = 0; i < n_ticks; i++)
    {
      char buf[32];
      double px = x0 + (ticks[i] + NW_GRID_EXTENT) / (2 * NW_GRID_EXTENT) * side;
      double py = y0 + (NW_GRID_EXTENT - ticks[i]) / (2 * NW_GRID_EXTENT) * side;
      nw_plot_format (ticks[i], buf, sizeof buf);
      nw_plot_rgb (cr, NW_COLOUR_MUTED, 1.0);
      cairo_move_to (cr, round (px) + 0.5, y0 + side);
      cairo_line_to (cr, round (px) + 0.5, y0 + side + 4);
      cairo_move_to (cr, x0 - 4, round (py) + 0.5);
      cairo_line_to (cr, x0, round (py) + 0.5);
      cairo_stroke (cr);
      nw_plot_text (cr, buf, px, y0 + side + 5, 0.5, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
      nw_plot_text (cr, buf, x0 - 6, py, 1.0, 0.5, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
    }
  /* Faint axes through the origin. */
  if (self->field != NULL && self->message == NULL)
    {
      nw_plot_rgb (cr, NW_COLOUR_INK, 0.12);
      cairo_move_to (cr, x0 + side / 2 + 0.5, y0);
      cairo_line_to (cr, x0 + side / 2 + 0.5, y0 + side);
      cairo_move_to (cr, x0, y0 + side / 2 + 0.5);
      cairo_line_to (cr, x0 + side, y0 + side / 2 + 0.5);
      cairo_stroke (cr);
    }

  /* The points: test ones first, so training points stay on top. A handful (the truth tables'
   * four corners) are drawn large, to be seen from the back of a lecture hall. */
  radius = self->points->len <= 16 ? CLAMP (side / 28.0, 6.0, 14.0) : CLAMP (side / 110.0, 3.0, 5.5);
  if (self->message == NULL)
    {
      cairo_save (cr);
      cairo_rectangle (cr, x0, y0, side, side);
      cairo_clip (cr);
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < self->points->len; i++)
          {
            const NwPoint *p = &g_array_index (self->points, NwPoint, i);
            if ((pass == 0) != (p->test != 0) || (p->test && !self->show_test))
              continue;
            draw_point (cr, x0 + (p->x + NW_GRID_EXTENT) / (2 * NW_GRID_EXTENT) * side,
                        y0 + (NW_GRID_EXTENT - p->y) / (2 * NW_GRID_EXTENT) * side, p, radius);
          }
      cairo_restore (cr);
    }

  /* Frame. */
  nw_plot_rgb (cr, NW_COLOUR_INK, 0.35);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, side - 1, side - 1);
  cairo_stroke (cr);

  if (self->caption != NULL && self->field != NULL && self->message == NULL)
    {
      double tw = MIN (nw_plot_text_width (cr, self->caption, NW_TEXT_SMALL, TRUE), side - 24);
      double th = ceil (nw_plot_line_height (cr, NW_TEXT_SMALL));
      nw_plot_round_rect (cr, x0 + 6, y0 + 6, tw + 12, th + 4, 4);
      nw_plot_rgb (cr, NW_COLOUR_PAPER, 0.85);
      cairo_fill (cr);
      nw_plot_text_fit (cr, self->caption, x0 + 12, y0 + 8 + th / 2, 0, 0.5, NW_TEXT_SMALL,
                        NW_COLOUR_INK, TRUE, side - 24);
    }
  if (self->message != NULL)
    nw_plot_text_wrapped (cr, self->message, x0 + side / 2, y0 + side / 2, side - 16,
                          NW_TEXT_NORMAL, NW_COLOUR_MUTED);
  else if (self->field == NULL)
    nw_plot_text_wrapped (cr, _("The boundary appears with the first snapshot"), x0 + side / 2,
                          y0 + side / 2, side - 16, NW_TEXT_NORMAL, NW_COLOUR_MUTED);
}

static void
nw_boundary_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_boundary_view_draw (NW_BOUNDARY_VIEW (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
nw_boundary_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                          int *minimum, int *natural, int *minimum_baseline,
                          int *natural_baseline)
{
  double em = nw_plot_widget_font_px (widget);
  *minimum = (int) ceil (12 * em);
  *natural = (int) ceil (31 * em);
}

static void
on_pressed (GtkGestureClick *gesture, int n_press, double px, double py, NwBoundaryView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double x, y;

  if (self->message != NULL || !nw_boundary_view_to_data (self, width, height, px, py, &x, &y))
    return;
  if (button == GDK_BUTTON_PRIMARY)
    {
      int label = (state & GDK_SHIFT_MASK) ? !self->add_class : self->add_class;
      g_signal_emit (self, signals[SIGNAL_POINT_ADDED], 0, x, y, label);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    }
  else if (button == GDK_BUTTON_SECONDARY)
    {
      double x0, y0, side;
      int i;
      field_rect_of (self, width, height, &x0, &y0, &side);
      i = nw_points_nearest ((const NwPoint *) self->points->data, self->points->len, x, y,
                             REMOVE_RADIUS_PX / side * 2 * NW_GRID_EXTENT);
      if (i >= 0)
        g_signal_emit (self, signals[SIGNAL_POINT_REMOVED], 0, i);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    }
}

static void
nw_boundary_view_finalize (GObject *object)
{
  NwBoundaryView *self = NW_BOUNDARY_VIEW (object);
  g_clear_pointer (&self->grid, g_free);
  g_clear_pointer (&self->field, cairo_surface_destroy);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->caption, g_free);
  g_clear_pointer (&self->description, g_free);
  G_OBJECT_CLASS (nw_boundary_view_parent_class)->finalize (object);
}

static void
nw_boundary_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwBoundaryView *self = NW_BOUNDARY_VIEW (object);
  switch (prop_id)
    {
    case PROP_SHOW_TEST:
      g_value_set_boolean (value, self->show_test);
      break;
    case PROP_ADD_CLASS:
      g_value_set_int (value, self->add_class);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_boundary_view_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  NwBoundaryView *self = NW_BOUNDARY_VIEW (object);
  switch (prop_id)
    {
    case PROP_SHOW_TEST:
      nw_boundary_view_set_show_test (self, g_value_get_boolean (value));
      break;
    case PROP_ADD_CLASS:
      nw_boundary_view_set_add_class (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_boundary_view_class_init (NwBoundaryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = nw_boundary_view_finalize;
  object_class->get_property = nw_boundary_view_get_property;
  object_class->set_property = nw_boundary_view_set_property;
  widget_class->snapshot = nw_boundary_view_snapshot;
  widget_class->measure = nw_boundary_view_measure;

  properties[PROP_SHOW_TEST] =
    g_param_spec_boolean ("show-test", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADD_CLASS] =
    g_param_spec_int ("add-class", NULL, NULL, 0, 1, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (x, y, label): the user asked for a point of class `label` at (x, y). */
  signals[SIGNAL_POINT_ADDED] =
    g_signal_new ("point-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_INT);
  /* (index): the user asked to remove the point at this index of the points last set. */
  signals[SIGNAL_POINT_REMOVED] =
    g_signal_new ("point-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "boundaryview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_boundary_view_init (NwBoundaryView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  self->points = g_array_new (FALSE, FALSE, sizeof (NwPoint));
  self->show_test = TRUE;
  self->add_class = 1;
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Decision boundary"), -1);
}

GtkWidget *
nw_boundary_view_new (void)
{
  return g_object_new (NW_TYPE_BOUNDARY_VIEW, NULL);
}
