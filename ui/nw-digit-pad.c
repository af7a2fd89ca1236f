/* nw-digit-pad.c: the drawing pad. Strokes are kept as points (canvas coordinates, width per
 * point for pen pressure); the ink canvas grows by one segment per motion event and is
 * rebuilt from the points only when a stroke is undone. */
#include "nw-digit-pad.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>
#include <string.h>

typedef struct {
  float x, y, w;
} PadPoint;

struct _NwDigitPad
{
  GtkWidget        parent_instance;

  int              size;          /* canvas side, pixels */
  double           stroke_width;
  GPtrArray       *strokes;       /* of GArray of PadPoint */
  gboolean         drawing;       /* a stroke is open */
  double           drag_x, drag_y;  /* where the drag gesture began, widget coordinates */

  cairo_surface_t *surface;       /* A8, size x size: the ink as coverage */
  float           *ink;           /* size x size grey levels, kept in step with `surface` */

  /* The strokes as drawn on screen, cached at the widget's resolution so that a motion
   * event draws one new segment, not every stroke again. */
  cairo_surface_t *view;          /* A8, view_px x view_px device pixels */
  int              view_px, view_scale_factor;
  guint            view_stroke, view_point;   /* the next point not yet in `view` */
  gboolean         view_dirty;    /* rebuild from all strokes (undo, clear) */
};

G_DEFINE_FINAL_TYPE (NwDigitPad, nw_digit_pad, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STROKE_WIDTH, PROP_CANVAS_SIZE, PROP_N_STROKES, PROP_EMPTY, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_CHANGED, SIGNAL_STROKE_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define MOUSE_PRESSURE 0.75
#define FRAME_RADIUS   10.0

static double
width_for_pressure (NwDigitPad *self, double pressure)
{
  /* 0.75 (a mouse, or a pen pressed moderately) gives exactly stroke-width. */
  pressure = CLAMP (isfinite (pressure) ? pressure : MOUSE_PRESSURE, 0.0, 1.0);
  return self->stroke_width * (0.4 + 0.8 * pressure);
}

/* ---- the ink canvas ------------------------------------------------------------------------ */

/* Copies the A8 coverage in a rectangle to the float canvas. */
static void
sync_ink (NwDigitPad *self, int x0, int y0, int x1, int y1)
{
  const guint8 *data;
  int stride;
  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, self->size);
  y1 = MIN (y1, self->size);
  if (x0 >= x1 || y0 >= y1)
    return;
  cairo_surface_flush (self->surface);
  data = cairo_image_surface_get_data (self->surface);
  stride = cairo_image_surface_get_stride (self->surface);
  for (int y = y0; y < y1; y++)
    {
      const guint8 *row = data + (gsize) y * stride;
      float *out = self->ink + (gsize) y * self->size;
      for (int x = x0; x < x1; x++)
        out[x] = row[x] * (1.0f / 255.0f);
    }
}

static void
stroke_segment (cairo_t *cr, const PadPoint *a, const PadPoint *b)
{
  cairo_set_line_width (cr, (a->w + b->w) / 2);
  cairo_move_to (cr, a->x, a->y);
  cairo_line_to (cr, b->x, b->y);
  cairo_stroke (cr);
}

/* Paths for one stroke: one path with round joins when its width is even (a mouse), else a
 * segment at a time so each can have its own width (a pen). A single point is a round dot:
 * cairo caps a zero-length segment with a round cap. */
static void
draw_stroke (cairo_t *cr, GArray *stroke)
{
  const PadPoint *p = (const PadPoint *) stroke->data;
  gboolean even = TRUE;
  if (stroke->len == 0)
    return;
  for (guint i = 1; i < stroke->len && even; i++)
    even = p[i].w == p[0].w;
  if (stroke->len == 1)
    stroke_segment (cr, &p[0], &p[0]);
  else if (even)
    {
      cairo_set_line_width (cr, p[0].w);
      cairo_move_to (cr, p[0].x, p[0].y);
      for (guint i = 1; i < stroke->len; i++)
        cairo_line_to (cr, p[i].x, p[i].y);
      cairo_stroke (cr);
    }
  else
    for (guint i = 1; i < stroke->len; i++)
      stroke_segment (cr, &p[i - 1], &p[i]);
}

static cairo_t *
canvas_cairo (NwDigitPad *self)
{
  cairo_t *cr = cairo_create (self->surface);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_GOOD);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgba (cr, 0, 0, 0, 1);
  return cr;
}

static void
rebuild_ink (NwDigitPad *self)
{
  cairo_t *cr = cairo_create (self->surface);
  self->view_dirty = TRUE;
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_destroy (cr);
  cr = canvas_cairo (self);
  for (guint i = 0; i < self->strokes->len; i++)
    draw_stroke (cr, g_ptr_array_index (self->strokes, i));
  cairo_destroy (cr);
  sync_ink (self, 0, 0, self->size, self->size);
}

/* Draws the segment ending at the newest point of the open stroke, and updates the float
 * canvas under it only. */
static void
add_segment (NwDigitPad *self, GArray *stroke)
{
  const PadPoint *b = &g_array_index (stroke, PadPoint, stroke->len - 1);
  const PadPoint *a = stroke->len > 1 ? b - 1 : b;
  double r = MAX (a->w, b->w) / 2 + 2;
  cairo_t *cr = canvas_cairo (self);
  stroke_segment (cr, a, b);
  cairo_destroy (cr);
  sync_ink (self, (int) floor (MIN (a->x, b->x) - r), (int) floor (MIN (a->y, b->y) - r),
            (int) ceil (MAX (a->x, b->x) + r), (int) ceil (MAX (a->y, b->y) + r));
}

/* ---- strokes ------------------------------------------------------------------------------- */

static void
update_accessible (NwDigitPad *self)
{
  char text[96];
  guint n = self->strokes->len;
  if (n == 0)
    g_strlcpy (text, _("Empty. Draw a digit with the mouse, a finger or a pen."), sizeof text);
  else
    g_snprintf (text, sizeof text, g_dngettext (GETTEXT_PACKAGE, "%u stroke drawn",
                                                "%u strokes drawn", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
strokes_changed (NwDigitPad *self, gboolean count_changed)
{
  if (count_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
      if (self->strokes->len <= 1)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
      update_accessible (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
nw_digit_pad_begin_stroke (NwDigitPad *self, double x, double y, double pressure)
{
  GArray *stroke;
  PadPoint p;
  g_return_if_fail (NW_IS_DIGIT_PAD (self));
  if (!isfinite (x) || !isfinite (y))
    return;
  stroke = g_array_new (FALSE, FALSE, sizeof (PadPoint));
  p.x = (float) x;
  p.y = (float) y;
  p.w = (float) width_for_pressure (self, pressure);
  g_array_append_val (stroke, p);
  g_ptr_array_add (self->strokes, stroke);
  self->drawing = TRUE;
  add_segment (self, stroke);
  strokes_changed (self, TRUE);
}

void
nw_digit_pad_extend_stroke (NwDigitPad *self, double x, double y, double pressure)
{
  GArray *stroke;
  PadPoint p;
  const PadPoint *last;
  g_return_if_fail (NW_IS_DIGIT_PAD (self));
  if (!self->drawing || self->strokes->len == 0 || !isfinite (x) || !isfinite (y))
    return;
  stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);
  last = &g_array_index (stroke, PadPoint, stroke->len - 1);
  /* A motion event that does not move the pointer by a tenth of a pixel adds nothing. */
  if (fabs (last->x - x) < 0.1 && fabs (last->y - y) < 0.1)
    return;
  p.x = (float) x;
  p.y = (float) y;
  p.w = (float) width_for_pressure (self, pressure);
  g_array_append_val (stroke, p);
  add_segment (self, stroke);
  strokes_changed (self, FALSE);
}

void
nw_digit_pad_end_stroke (NwDigitPad *self)
{
  g_return_if_fail (NW_IS_DIGIT_PAD (self));
  if (!self->drawing)
    return;
  self->drawing = FALSE;
  g_signal_emit (self, signals[SIGNAL_STROKE_FINISHED], 0);
}

void
nw_digit_pad_add_stroke (NwDigitPad *self, const double *xy, guint n_points)
{
  g_return_if_fail (NW_IS_DIGIT_PAD (self));
  g_return_if_fail (xy != NULL || n_points == 0);
  if (n_points == 0)
    return;
  nw_digit_pad_begin_stroke (self, xy[0], xy[1], MOUSE_PRESSURE);
  for (guint i = 1; i < n_points; i++)
    nw_digit_pad_extend_stroke (self, xy[2 * i], xy[2 * i + 1], MOUSE_PRESSURE);
  nw_digit_pad_end_stroke (self);
}

void
nw_digit_pad_clear (NwDigitPad *self)
{
  g_return_if_fail (NW_IS_DIGIT_PAD (self));
  self->drawing = FALSE;
  if (self->strokes->len == 0)
    return;
  g_ptr_array_set_size (self->strokes, 0);
  rebuild_ink (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
nw_digit_pad_undo (NwDigitPad *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_PAD (self), FALSE);
  self->drawing = FALSE;
  if (self->strokes->len == 0)
    return FALSE;
  g_ptr_array_set_size (self->strokes, self->strokes->len - 1);
  rebuild_ink (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
  if (self->strokes->len == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

const float *
nw_digit_pad_get_ink (NwDigitPad *self, int *size)
{
  g_return_val_if_fail (NW_IS_DIGIT_PAD (self), NULL);
  if (size != NULL)
    *size = self->size;
  return self->ink;
}

guint
nw_digit_pad_get_n_strokes (NwDigitPad *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_PAD (self), 0);
  return self->strokes->len;
}

gboolean
nw_digit_pad_is_empty (NwDigitPad *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_PAD (self), TRUE);
  return self->strokes->len == 0;
}

int
nw_digit_pad_get_canvas_size (NwDigitPad *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_PAD (self), 0);
  return self->size;
}

void
nw_digit_pad_set_stroke_width (NwDigitPad *self, double width)
{
  g_return_if_fail (NW_IS_DIGIT_PAD (self));
  width = CLAMP (width, NW_DIGIT_PAD_MIN_WIDTH, NW_DIGIT_PAD_MAX_WIDTH);
  if (width == self->stroke_width)
    return;
  self->stroke_width = width;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STROKE_WIDTH]);
}

double
nw_digit_pad_get_stroke_width (NwDigitPad *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_PAD (self), 0);
  return self->stroke_width;
}

/* ---- drawing ------------------------------------------------------------------------------- */

/* The square the canvas occupies in a width x height widget. */
static void
square_rect (int width, int height, double *x0, double *y0, double *side)
{
  *side = MAX (MIN (width, height) - 2.0, 1.0);
  *x0 = floor ((width - *side) / 2);
  *y0 = floor ((height - *side) / 2);
}

gboolean
nw_digit_pad_to_canvas (NwDigitPad *self, int width, int height, double px, double py,
                        double *x, double *y)
{
  double x0, y0, side;
  g_return_val_if_fail (NW_IS_DIGIT_PAD (self), FALSE);
  square_rect (width, height, &x0, &y0, &side);
  *x = (px - x0) / side * self->size;
  *y = (py - y0) / side * self->size;
  return *x >= 0 && *y >= 0 && *x <= self->size && *y <= self->size;
}

/* Draws what the view cache lacks: everything after a resize, an undo or a clear, otherwise
 * the segments added since the last draw. */
static void
update_view (NwDigitPad *self, double side, double scale)
{
  int sf = MAX (gtk_widget_get_scale_factor (GTK_WIDGET (self)), 1);
  int px = (int) ceil (side * sf);
  cairo_t *cr;

  if (self->view == NULL || px != self->view_px || sf != self->view_scale_factor || self->view_dirty)
    {
      g_clear_pointer (&self->view, cairo_surface_destroy);
      self->view = cairo_image_surface_create (CAIRO_FORMAT_A8, px, px);
      cairo_surface_set_device_scale (self->view, sf, sf);
      self->view_px = px;
      self->view_scale_factor = sf;
      self->view_stroke = 0;
      self->view_point = 0;
      self->view_dirty = FALSE;
    }
  if (self->strokes->len == 0)
    return;
  cr = cairo_create (self->view);
  cairo_scale (cr, scale, scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgba (cr, 0, 0, 0, 1);
  for (guint i = self->view_stroke; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);
      const PadPoint *p = (const PadPoint *) stroke->data;
      guint first = i == self->view_stroke ? self->view_point : 0;
      if (first == 0 && stroke->len > 0)
        {
          /* A stroke not started in the cache: whole, as one path where it can be. */
          draw_stroke (cr, stroke);
          continue;
        }
      for (guint j = first; j < stroke->len; j++)
        stroke_segment (cr, &p[j - 1], &p[j]);
    }
  cairo_destroy (cr);
  self->view_stroke = self->strokes->len - 1;
  self->view_point = ((GArray *) g_ptr_array_index (self->strokes, self->view_stroke))->len;
}

void
nw_digit_pad_draw (NwDigitPad *self, cairo_t *cr, int width, int height)
{
  double x0, y0, side, s;

  nw_plot_begin (cr, GTK_WIDGET (self));
  square_rect (width, height, &x0, &y0, &side);
  s = side / self->size;

  /* Paper with a soft frame. */
  nw_plot_round_rect (cr, x0 + 0.5, y0 + 0.5, side - 1, side - 1, FRAME_RADIUS);
  /* White in any theme: the pad is paper, the ink dark, as the digits were written. */
  nw_plot_rgb (cr, 0xffffff, 1.0);
  cairo_fill_preserve (cr);
  nw_plot_rgb (cr, NW_COLOUR_INK, 0.25);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  /* A faint guide: the centre cross, where a digit's centre of mass will go. */
  cairo_save (cr);
  nw_plot_rgb (cr, 0xdeddda, 1.0);
  cairo_set_line_width (cr, 1.0);
  {
    double dash[] = { 4, 4 }, cx = x0 + side / 2, cy = y0 + side / 2;
    cairo_set_dash (cr, dash, 2, 0);
    cairo_move_to (cr, round (cx) + 0.5, y0 + side * 0.12);
    cairo_line_to (cr, round (cx) + 0.5, y0 + side * 0.88);
    cairo_move_to (cr, x0 + side * 0.12, round (cy) + 0.5);
    cairo_line_to (cr, x0 + side * 0.88, round (cy) + 0.5);
    cairo_stroke (cr);
  }
  cairo_restore (cr);

  if (self->strokes->len == 0)
    {
      double lh = nw_plot_line_height (cr, 1.3);
      nw_plot_text_fit (cr, _("Draw a digit here"), x0 + side / 2, y0 + side / 2 - 2, 0.5, 1.0,
                        1.3, 0x77767b, FALSE, side - 12);
      nw_plot_text_fit (cr, _("mouse, finger or pen"), x0 + side / 2, y0 + side / 2 + lh * 0.1,
                        0.5, 0.0, NW_TEXT_SMALL, 0x77767b, FALSE, side - 12);
      return;
    }

  /* The strokes, from the cache at the widget's resolution (the same geometry as the ink
   * canvas, scaled), brought up to date first. */
  update_view (self, side, s);
  cairo_save (cr);
  nw_plot_round_rect (cr, x0 + 1, y0 + 1, side - 2, side - 2, FRAME_RADIUS);
  cairo_clip (cr);
  nw_plot_rgb (cr, 0x1a1c1e, 1.0);
  cairo_mask_surface (cr, self->view, x0, y0);
  cairo_restore (cr);
}

static void
nw_digit_pad_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_digit_pad_draw (NW_DIGIT_PAD (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
nw_digit_pad_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                      int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = 140;
  *natural = 300;
}

static GtkSizeRequestMode
nw_digit_pad_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

/* ---- input --------------------------------------------------------------------------------- */

static void
widget_to_canvas (NwDigitPad *self, double px, double py, double *x, double *y)
{
  GtkWidget *w = GTK_WIDGET (self);
  nw_digit_pad_to_canvas (self, gtk_widget_get_width (w), gtk_widget_get_height (w), px, py, x, y);
}

/* A pen also produces pointer events; the stylus gesture handles those (with pressure). */
static gboolean
event_is_from_pen (GtkGesture *gesture)
{
  GdkEventSequence *seq = gtk_gesture_single_get_current_sequence (GTK_GESTURE_SINGLE (gesture));
  GdkEvent *event = gtk_gesture_get_last_event (gesture, seq);
  return event != NULL && gdk_event_get_device_tool (event) != NULL;
}

static void
on_drag_begin (GtkGestureDrag *gesture, double sx, double sy, NwDigitPad *self)
{
  double x, y;
  if (event_is_from_pen (GTK_GESTURE (gesture)))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_x = sx;
  self->drag_y = sy;
  widget_to_canvas (self, sx, sy, &x, &y);
  nw_digit_pad_begin_stroke (self, x, y, MOUSE_PRESSURE);
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, NwDigitPad *self)
{
  double x, y;
  widget_to_canvas (self, self->drag_x + dx, self->drag_y + dy, &x, &y);
  nw_digit_pad_extend_stroke (self, x, y, MOUSE_PRESSURE);
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, NwDigitPad *self)
{
  nw_digit_pad_end_stroke (self);
}

static double
stylus_pressure (GtkGestureStylus *gesture)
{
  double p;
  return gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &p) ? p : MOUSE_PRESSURE;
}

static void
on_stylus_down (GtkGestureStylus *gesture, double px, double py, NwDigitPad *self)
{
  double x, y;
  widget_to_canvas (self, px, py, &x, &y);
  nw_digit_pad_begin_stroke (self, x, y, stylus_pressure (gesture));
}

static void
on_stylus_motion (GtkGestureStylus *gesture, double px, double py, NwDigitPad *self)
{
  double x, y;
  if (!self->drawing)
    return;   /* a pen hovering above the tablet */
  widget_to_canvas (self, px, py, &x, &y);
  nw_digit_pad_extend_stroke (self, x, y, stylus_pressure (gesture));
}

static void
on_stylus_up (GtkGestureStylus *gesture, double px, double py, NwDigitPad *self)
{
  nw_digit_pad_end_stroke (self);
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
nw_digit_pad_constructed (GObject *object)
{
  NwDigitPad *self = NW_DIGIT_PAD (object);
  G_OBJECT_CLASS (nw_digit_pad_parent_class)->constructed (object);
  self->surface = cairo_image_surface_create (CAIRO_FORMAT_A8, self->size, self->size);
  self->ink = g_new0 (float, (gsize) self->size * self->size);
}

static void
nw_digit_pad_finalize (GObject *object)
{
  NwDigitPad *self = NW_DIGIT_PAD (object);
  g_clear_pointer (&self->strokes, g_ptr_array_unref);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_pointer (&self->view, cairo_surface_destroy);
  g_clear_pointer (&self->ink, g_free);
  G_OBJECT_CLASS (nw_digit_pad_parent_class)->finalize (object);
}

static void
nw_digit_pad_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwDigitPad *self = NW_DIGIT_PAD (object);
  switch (prop_id)
    {
    case PROP_STROKE_WIDTH:
      g_value_set_double (value, self->stroke_width);
      break;
    case PROP_CANVAS_SIZE:
      g_value_set_int (value, self->size);
      break;
    case PROP_N_STROKES:
      g_value_set_int (value, (int) self->strokes->len);
      break;
    case PROP_EMPTY:
      g_value_set_boolean (value, self->strokes->len == 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_digit_pad_set_property (GObject *object, guint prop_id, const GValue *value,
                           GParamSpec *pspec)
{
  NwDigitPad *self = NW_DIGIT_PAD (object);
  switch (prop_id)
    {
    case PROP_STROKE_WIDTH:
      nw_digit_pad_set_stroke_width (self, g_value_get_double (value));
      break;
    case PROP_CANVAS_SIZE:
      self->size = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_digit_pad_class_init (NwDigitPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = nw_digit_pad_constructed;
  object_class->finalize = nw_digit_pad_finalize;
  object_class->get_property = nw_digit_pad_get_property;
  object_class->set_property = nw_digit_pad_set_property;
  widget_class->snapshot = nw_digit_pad_snapshot;
  widget_class->measure = nw_digit_pad_measure;
  widget_class->get_request_mode = nw_digit_pad_get_request_mode;

  properties[PROP_STROKE_WIDTH] =
    g_param_spec_double ("stroke-width", NULL, NULL, NW_DIGIT_PAD_MIN_WIDTH,
                         NW_DIGIT_PAD_MAX_WIDTH, NW_DIGIT_PAD_DEFAULT_WIDTH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CANVAS_SIZE] =
    g_param_spec_int ("canvas-size", NULL, NULL, 28, 1024, NW_DIGIT_PAD_DEFAULT_SIZE,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_STROKES] =
    g_param_spec_int ("n-strokes", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STROKE_FINISHED] =
    g_signal_new ("stroke-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "digitpad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_digit_pad_init (NwDigitPad *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *stylus = gtk_gesture_stylus_new ();

  self->size = NW_DIGIT_PAD_DEFAULT_SIZE;
  self->stroke_width = NW_DIGIT_PAD_DEFAULT_WIDTH;
  self->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (stylus, "down", G_CALLBACK (on_stylus_down), self);
  g_signal_connect (stylus, "motion", G_CALLBACK (on_stylus_motion), self);
  g_signal_connect (stylus, "up", G_CALLBACK (on_stylus_up), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (stylus));

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Digit pad"), -1);
  update_accessible (self);
}

GtkWidget *
nw_digit_pad_new (void)
{
  return g_object_new (NW_TYPE_DIGIT_PAD, NULL);
}

GtkWidget *
nw_digit_pad_new_with_size (int canvas_size)
{
  return g_object_new (NW_TYPE_DIGIT_PAD, "canvas-size", canvas_size, NULL);
}
