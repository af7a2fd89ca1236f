/* nw-layer-strip.c: hidden-layer activations as strips of coloured cells. */
#include "nw-layer-strip.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>
#include <string.h>

typedef struct {
  char  *name;
  int    width;
  float *values;      /* width values */
  float  scale;       /* largest |value|, 0 when all are zero */
  int    active;      /* units with a non-zero value */
} Layer;

struct _NwLayerStrip
{
  GtkWidget  parent_instance;
  GArray    *layers;        /* of Layer */
  gboolean   has_values;
  char      *message;
};

G_DEFINE_FINAL_TYPE (NwLayerStrip, nw_layer_strip, GTK_TYPE_WIDGET)

/* A layer's caption line: its name in the widget's text (the zoom, Large Text) and a gap. */
#define CAPTION_H  (ceil (nw_plot_widget_font_px (GTK_WIDGET (self)) * 1.3) + 3)
#define LAYER_GAP  8.0
#define MIN_CELL   6.0
#define MAX_CELL   16.0

static void
layer_clear (Layer *l)
{
  g_free (l->name);
  g_free (l->values);
}

/* Cells per row for a layer at this width: the units halved (rounding up) until the cells fit
 * at MIN_CELL or more, so rows are as even as they can be (256: 256, 128, 64, ...). */
static int
layer_cols (int units, double width)
{
  int cols = MAX (units, 1);
  while (cols > 8 && cols * MIN_CELL > width)
    cols = (cols + 1) / 2;
  return cols;
}

static double
layer_cell (int cols, double width)
{
  return MAX (1.0, MIN (MAX_CELL, floor (width / cols)));
}

int
nw_layer_strip_height_for_width (NwLayerStrip *self, int width)
{
  double h = 0;
  g_return_val_if_fail (NW_IS_LAYER_STRIP (self), 0);
  if (self->message != NULL || self->layers->len == 0)
    return 48;
  for (guint i = 0; i < self->layers->len; i++)
    {
      const Layer *l = &g_array_index (self->layers, Layer, i);
      int cols = layer_cols (l->width, width);
      int rows = (l->width + cols - 1) / cols;
      h += CAPTION_H + rows * layer_cell (cols, width) + (i > 0 ? LAYER_GAP : 0);
    }
  return (int) ceil (h);
}

static void
value_rgb (float v, float scale, double *r, double *g, double *b)
{
  /* White at zero, towards orange (positive) or blue (negative) with the magnitude. */
  guint32 to = v >= 0 ? NW_COLOUR_CLASS1 : NW_COLOUR_CLASS0;
  double t = scale > 0 ? MIN (fabs (v) / scale, 1.0) : 0.0;
  /* A square root lifts small activations into view; the strongest stay the darkest. */
  t = sqrt (t);
  nw_plot_tint_rgb (to, t, r, g, b);
}

void
nw_layer_strip_draw (NwLayerStrip *self, cairo_t *cr, int width, int height)
{
  double y = 0, caption_h;

  nw_plot_begin (cr, GTK_WIDGET (self));
  if (self->message != NULL || self->layers->len == 0)
    {
      nw_plot_empty_message (cr, width, height,
                             self->message != NULL ? self->message : _("No hidden layers"));
      return;
    }
  caption_h = CAPTION_H;
  for (guint i = 0; i < self->layers->len; i++)
    {
      const Layer *l = &g_array_index (self->layers, Layer, i);
      int cols = layer_cols (l->width, width);
      double cell = layer_cell (cols, width);
      int rows = (l->width + cols - 1) / cols;
      char detail[96];

      if (i > 0)
        y += LAYER_GAP;
      {
        double name_w = nw_plot_text_fit (cr, l->name, 0, y + 1, 0, 0, NW_TEXT_SMALL, NW_COLOUR_INK,
                                          TRUE, width);
        if (self->has_values)
          g_snprintf (detail, sizeof detail, _("%d units \u00b7 %.0f%% active \u00b7 max %.2g"),
                      l->width, 100.0 * l->active / MAX (l->width, 1), l->scale);
        else
          g_snprintf (detail, sizeof detail, g_dngettext (GETTEXT_PACKAGE, "%d unit", "%d units",
                                                          (gulong) l->width), l->width);
        /* The detail right-aligned, cut short where it would run into the name. */
        nw_plot_text_fit (cr, detail, width, y + 1, 1.0, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE,
                          width - name_w - 8);
      }
      y += caption_h;

      /* The cells as one image, written pixel by pixel and painted once: hundreds of small
       * fills would be replayed one by one on every frame while the user draws. A white line
       * separates cells big enough to need it. */
      {
        int c = (int) cell, iw = cols * c, ih = rows * c, stride;
        cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, iw, ih);
        guint8 *data;
        cairo_surface_flush (img);
        data = cairo_image_surface_get_data (img);
        stride = cairo_image_surface_get_stride (img);
        for (int py = 0; py < ih; py++)
          memset (data + (gsize) py * stride, 0xff, (gsize) iw * 4);
        for (int u = 0; u < l->width; u++)
          {
            double r, g, b;
            guint32 px;
            int x0 = (u % cols) * c, y0 = (u / cols) * c, inner = c > 4 ? c - 1 : c;
            if (self->has_values)
              value_rgb (l->values[u], l->scale, &r, &g, &b);
            else
              r = g = b = 0.965;
            px = 0xff000000u | ((guint32) (r * 255 + 0.5) << 16) | ((guint32) (g * 255 + 0.5) << 8)
                 | (guint32) (b * 255 + 0.5);
            for (int py = y0; py < y0 + inner; py++)
              {
                guint32 *row = (guint32 *) (data + (gsize) py * stride);
                for (int px_ = x0; px_ < x0 + inner; px_++)
                  row[px_] = px;
              }
          }
        cairo_surface_mark_dirty (img);
        cairo_set_source_surface (cr, img, 0, y);
        cairo_paint (cr);
        cairo_surface_destroy (img);
      }
      nw_plot_rgb (cr, NW_COLOUR_INK, 0.15);
      cairo_set_line_width (cr, 1.0);
      cairo_rectangle (cr, -0.5, y - 0.5, cols * cell, rows * cell);
      cairo_stroke (cr);
      y += rows * cell;
    }
}

static void
update_accessible (NwLayerStrip *self)
{
  GString *s = g_string_new (NULL);
  if (self->message != NULL)
    g_string_append (s, self->message);
  for (guint i = 0; self->message == NULL && i < self->layers->len; i++)
    {
      const Layer *l = &g_array_index (self->layers, Layer, i);
      if (i > 0)
        g_string_append (s, "; ");
      if (self->has_values)
        /* Translators: a hidden layer in the layer strip's description: its name, its units,
         * the share of them active for the digit on the pad */
        g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%s: %d unit, %.0f%% active",
                                                "%s: %d units, %.0f%% active", (gulong) l->width),
                                l->name, l->width, 100.0 * l->active / MAX (l->width, 1));
      else
        g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%s: %d unit", "%s: %d units",
                                                (gulong) l->width), l->name, l->width);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  s->str, -1);
  g_string_free (s, TRUE);
}

void
nw_layer_strip_set_layers (NwLayerStrip *self, int n, const NwLayerStripLayer *layers)
{
  gboolean same_layout;
  g_return_if_fail (NW_IS_LAYER_STRIP (self));
  g_return_if_fail (n == 0 || layers != NULL);

  same_layout = (guint) n == self->layers->len;
  for (int i = 0; i < n && same_layout; i++)
    {
      const Layer *l = &g_array_index (self->layers, Layer, i);
      same_layout = l->width == layers[i].width && g_strcmp0 (l->name, layers[i].name) == 0;
    }
  if (!same_layout)
    {
      g_array_set_size (self->layers, 0);
      for (int i = 0; i < n; i++)
        {
          Layer l = { g_strdup (layers[i].name), MAX (layers[i].width, 0), NULL, 0, 0 };
          l.values = g_new0 (float, MAX (l.width, 1));
          g_array_append_val (self->layers, l);
        }
    }
  self->has_values = TRUE;
  for (int i = 0; i < n; i++)
    {
      Layer *l = &g_array_index (self->layers, Layer, i);
      l->scale = 0;
      l->active = 0;
      for (int u = 0; u < l->width; u++)
        {
          float v = layers[i].values != NULL && isfinite (layers[i].values[u]) ? layers[i].values[u] : 0.0f;
          l->values[u] = v;
          l->scale = MAX (l->scale, fabsf (v));
          l->active += v != 0.0f;
        }
    }
  if (!same_layout)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_layer_strip_clear_values (NwLayerStrip *self)
{
  g_return_if_fail (NW_IS_LAYER_STRIP (self));
  if (!self->has_values)
    return;
  self->has_values = FALSE;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_layer_strip_set_message (NwLayerStrip *self, const char *message)
{
  g_return_if_fail (NW_IS_LAYER_STRIP (self));
  if (g_strcmp0 (message, self->message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

int
nw_layer_strip_get_n_layers (NwLayerStrip *self)
{
  g_return_val_if_fail (NW_IS_LAYER_STRIP (self), 0);
  return (int) self->layers->len;
}

static void
nw_layer_strip_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_layer_strip_draw (NW_LAYER_STRIP (widget), cr, width, height);
  cairo_destroy (cr);
}

static GtkSizeRequestMode
nw_layer_strip_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
nw_layer_strip_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                        int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  NwLayerStrip *self = NW_LAYER_STRIP (widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 520;
    }
  else
    *minimum = *natural = nw_layer_strip_height_for_width (self, for_size > 0 ? for_size : 520);
}

static void
nw_layer_strip_finalize (GObject *object)
{
  NwLayerStrip *self = NW_LAYER_STRIP (object);
  g_clear_pointer (&self->layers, g_array_unref);
  g_clear_pointer (&self->message, g_free);
  G_OBJECT_CLASS (nw_layer_strip_parent_class)->finalize (object);
}

static void
nw_layer_strip_class_init (NwLayerStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = nw_layer_strip_finalize;
  widget_class->snapshot = nw_layer_strip_snapshot;
  widget_class->measure = nw_layer_strip_measure;
  widget_class->get_request_mode = nw_layer_strip_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "layerstrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_layer_strip_init (NwLayerStrip *self)
{
  self->layers = g_array_new (FALSE, TRUE, sizeof (Layer));
  g_array_set_clear_func (self->layers, (GDestroyNotify) layer_clear);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Hidden layer activations"), -1);
  update_accessible (self);
}

GtkWidget *
nw_layer_strip_new (void)
{
  return g_object_new (NW_TYPE_LAYER_STRIP, NULL);
}
