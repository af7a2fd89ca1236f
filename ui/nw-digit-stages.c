/* nw-digit-stages.c: three tiles: ink box, 20x20 fit, 28x28 input. */
#include "nw-digit-stages.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>
#include <string.h>

struct _NwDigitStagesView
{
  GtkWidget       parent_instance;
  NwDigitStages  *stages;      /* owned copy, crop included */
};

G_DEFINE_FINAL_TYPE (NwDigitStagesView, nw_digit_stages_view, GTK_TYPE_WIDGET)

#define GAP        10.0
/* Two caption lines (title, detail) in the widget's text, and gaps. */
#define CAPTION_H  (ceil (nw_plot_widget_font_px (GTK_WIDGET (self)) * 2.45) + 6)
#define INK_RGB    0x1a1c1e
#define ACCENT     NW_COLOUR_TEST

/* A grey image (0 paper .. 1 ink) as an opaque surface, ink dark on white. */
static cairo_surface_t *
grey_surface (const float *pixels, int w, int h, int stride)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  guint8 *data;
  int sstride;
  /* Paper 255 down to the ink's channel, in integer steps: this runs on every stroke update
   * for a few thousand pixels. */
  int ir = 255 - ((INK_RGB >> 16) & 0xff), ig = 255 - ((INK_RGB >> 8) & 0xff), ib = 255 - (INK_RGB & 0xff);
  cairo_surface_flush (s);
  data = cairo_image_surface_get_data (s);
  sstride = cairo_image_surface_get_stride (s);
  for (int y = 0; y < h; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * sstride);
      for (int x = 0; x < w; x++)
        {
          float f = pixels[(gsize) y * stride + x];
          int v = f > 0.0f ? (f < 1.0f ? (int) (f * 256.0f) : 256) : 0;   /* 0..256 */
          guint32 r = (guint32) (255 - ((ir * v + 128) >> 8));
          guint32 g = (guint32) (255 - ((ig * v + 128) >> 8));
          guint32 b = (guint32) (255 - ((ib * v + 128) >> 8));
          row[x] = 0xff000000u | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (s);
  return s;
}

/* Paints `s` (w x h pixels) into the rectangle, scaled by `scale`, pixels as squares or smooth. */
static void
paint_image (cairo_t *cr, cairo_surface_t *s, double x, double y, double scale, gboolean square)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, s, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), square ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
}

static void
tile_frame (cairo_t *cr, double x, double y, double side)
{
  nw_plot_round_rect (cr, x + 0.5, y + 0.5, side - 1, side - 1, 4);
  /* White in any theme: the images are ink on paper. */
  nw_plot_rgb (cr, 0xffffff, 1.0);
  cairo_fill_preserve (cr);
  nw_plot_rgb (cr, NW_COLOUR_INK, 0.22);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

static void
caption (cairo_t *cr, double x, double y, double side, const char *title, const char *detail)
{
  double lh = nw_plot_line_height (cr, NW_TEXT_SMALL);
  /* Each line no wider than its tile and the gaps beside it. */
  nw_plot_text_fit (cr, title, x + side / 2, y + side + 4, 0.5, 0.0, NW_TEXT_SMALL, NW_COLOUR_INK,
                    TRUE, side + GAP);
  if (detail != NULL)
    nw_plot_text_fit (cr, detail, x + side / 2, y + side + 5 + lh, 0.5, 0.0, NW_TEXT_SMALL,
                      NW_COLOUR_MUTED, FALSE, side + GAP);
}

void
nw_digit_stages_view_draw (NwDigitStagesView *self, cairo_t *cr, int width, int height)
{
  const NwDigitStages *st = self->stages;
  gboolean ready = st != NULL && st->status == NW_DIGIT_READABLE;
  double side = floor (MIN ((width - 2 * GAP) / 3, height - CAPTION_H));
  double total = 3 * side + 2 * GAP, x = floor ((width - total) / 2), y = 0;
  char detail[64];

  nw_plot_begin (cr, GTK_WIDGET (self));
  if (side < 20)
    return;

  /* 1. The ink's box, smooth, keeping its aspect. */
  tile_frame (cr, x, y, side);
  if (ready)
    {
      double inner = side - 8, scale = inner / MAX (st->box_w, st->box_h);
      double ox = x + 4 + (inner - st->box_w * scale) / 2, oy = y + 4 + (inner - st->box_h * scale) / 2;
      cairo_surface_t *s;
      if (scale < 1)
        {
          /* Shrink with the preprocessing's own area averaging, then paint 1:1: cheaper than
           * cairo's good filter on a large crop, and the same look. */
          int tw = MAX (1, (int) lround (st->box_w * scale)), th = MAX (1, (int) lround (st->box_h * scale));
          g_autofree float *small = g_new (float, (gsize) tw * th);
          nw_digit_resample (st->crop, st->box_w, st->box_h, st->box_w, small, tw, th, tw);
          s = grey_surface (small, tw, th, tw);
          paint_image (cr, s, round (ox), round (oy), 1.0, TRUE);
        }
      else
        {
          s = grey_surface (st->crop, st->box_w, st->box_h, st->box_w);
          paint_image (cr, s, ox, oy, scale, FALSE);
        }
      cairo_surface_destroy (s);
      /* The box's edge, dashed. */
      cairo_save (cr);
      nw_plot_rgb (cr, ACCENT, 0.8);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, (double[]) { 3, 2 }, 2, 0);
      cairo_rectangle (cr, round (ox) + 0.5, round (oy) + 0.5, round (st->box_w * scale) - 1,
                       round (st->box_h * scale) - 1);
      cairo_stroke (cr);
      cairo_restore (cr);
      g_snprintf (detail, sizeof detail, _("%d\u00d7%d px"), st->box_w, st->box_h);
    }
  caption (cr, x, y, side, _("Ink box"), ready ? detail : "\u2013");

  /* 2. The fit, in the 20x20 box, pixels as squares. */
  x += side + GAP;
  tile_frame (cr, x, y, side);
  if (ready)
    {
      double cell = floor ((side - 8) / NW_DIGIT_FIT), inner = cell * NW_DIGIT_FIT;
      double bx = x + floor ((side - inner) / 2), by = y + floor ((side - inner) / 2);
      cairo_surface_t *s = grey_surface (st->fit, st->fit_w, st->fit_h, NW_DIGIT_FIT);
      double ox = bx + floor ((NW_DIGIT_FIT - st->fit_w) / 2.0) * cell;
      double oy = by + floor ((NW_DIGIT_FIT - st->fit_h) / 2.0) * cell;
      cairo_save (cr);
      nw_plot_rgb (cr, NW_COLOUR_GRID, 1.0);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, (double[]) { 3, 2 }, 2, 0);
      cairo_rectangle (cr, bx + 0.5, by + 0.5, inner - 1, inner - 1);
      cairo_stroke (cr);
      cairo_restore (cr);
      paint_image (cr, s, ox, oy, cell, TRUE);
      cairo_surface_destroy (s);
      g_snprintf (detail, sizeof detail, "%d\u00d7%d", st->fit_w, st->fit_h);
    }
  caption (cr, x, y, side, _("Fit 20\u00d720"), ready ? detail : "\u2013");

  /* 3. The 28x28 input with the centre of mass on the field's centre. */
  x += side + GAP;
  tile_frame (cr, x, y, side);
  if (ready)
    {
      double cell = floor ((side - 4) / NW_DIGIT_SIDE), inner = cell * NW_DIGIT_SIDE;
      double bx = x + floor ((side - inner) / 2), by = y + floor ((side - inner) / 2);
      cairo_surface_t *s = grey_surface (st->image, NW_DIGIT_SIDE, NW_DIGIT_SIDE, NW_DIGIT_SIDE);
      double cx = bx + (NW_DIGIT_CENTRE + 0.5) * cell, cy = by + (NW_DIGIT_CENTRE + 0.5) * cell;
      paint_image (cr, s, bx, by, cell, TRUE);
      cairo_surface_destroy (s);
      /* The field's centre, and the digit's centre of mass. */
      nw_plot_rgb (cr, ACCENT, 0.55);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, round (cx) + 0.5, by + inner * 0.3);
      cairo_line_to (cr, round (cx) + 0.5, by + inner * 0.7);
      cairo_move_to (cr, bx + inner * 0.3, round (cy) + 0.5);
      cairo_line_to (cr, bx + inner * 0.7, round (cy) + 0.5);
      cairo_stroke (cr);
      cairo_arc (cr, bx + (st->com_x + 0.5) * cell, by + (st->com_y + 0.5) * cell,
                 MAX (cell * 0.7, 2.5), 0, 2 * G_PI);
      nw_plot_rgb (cr, ACCENT, 1.0);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      g_snprintf (detail, sizeof detail, _("mass at %.1f, %.1f"), st->com_x, st->com_y);
    }
  caption (cr, x, y, side, _("Network input 28\u00d728"), ready ? detail : "\u2013");
}

static void
update_accessible (NwDigitStagesView *self)
{
  const NwDigitStages *st = self->stages;
  char text[160];
  if (st == NULL || st->status != NW_DIGIT_READABLE)
    g_strlcpy (text, _("No digit"), sizeof text);
  else
    g_snprintf (text, sizeof text,
                _("Ink box %dx%d px, fitted to %dx%d, centre of mass at %.1f, %.1f"),
                st->box_w, st->box_h, st->fit_w, st->fit_h, st->com_x, st->com_y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

void
nw_digit_stages_view_set_stages (NwDigitStagesView *self, const NwDigitStages *stages)
{
  g_return_if_fail (NW_IS_DIGIT_STAGES_VIEW (self));
  if (stages == NULL || stages->status != NW_DIGIT_READABLE)
    {
      if (self->stages != NULL && self->stages->status == NW_DIGIT_NOTHING)
        return;
      if (self->stages == NULL)
        self->stages = nw_digit_stages_new ();
      nw_digit_stages_clear (self->stages);
      if (stages != NULL)
        self->stages->ink = stages->ink;
    }
  else
    {
      float *crop;
      gsize n = (gsize) stages->box_w * stages->box_h;
      if (self->stages == NULL)
        self->stages = nw_digit_stages_new ();
      /* Keep our crop buffer when it is large enough: the pad calls this on every motion. */
      crop = self->stages->crop;
      if (crop == NULL || (gsize) self->stages->box_w * self->stages->box_h < n)
        {
          g_free (crop);
          crop = g_new (float, n);
        }
      memcpy (self->stages, stages, sizeof *stages);
      memcpy (crop, stages->crop, n * sizeof (float));
      self->stages->crop = crop;
    }
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const NwDigitStages *
nw_digit_stages_view_get_stages (NwDigitStagesView *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_STAGES_VIEW (self), NULL);
  return self->stages;
}

static void
nw_digit_stages_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_digit_stages_view_draw (NW_DIGIT_STAGES_VIEW (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
nw_digit_stages_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                              int *minimum, int *natural, int *minimum_baseline,
                              int *natural_baseline)
{
  NwDigitStagesView *self = NW_DIGIT_STAGES_VIEW (widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 3 * 56 + 2 * (int) GAP;
      *natural = 3 * 100 + 2 * (int) GAP;
    }
  else
    {
      *minimum = 56 + (int) CAPTION_H;
      *natural = 100 + (int) CAPTION_H;
    }
}

static void
nw_digit_stages_view_finalize (GObject *object)
{
  NwDigitStagesView *self = NW_DIGIT_STAGES_VIEW (object);
  g_clear_pointer (&self->stages, nw_digit_stages_free);
  G_OBJECT_CLASS (nw_digit_stages_view_parent_class)->finalize (object);
}

static void
nw_digit_stages_view_class_init (NwDigitStagesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = nw_digit_stages_view_finalize;
  widget_class->snapshot = nw_digit_stages_view_snapshot;
  widget_class->measure = nw_digit_stages_view_measure;
  gtk_widget_class_set_css_name (widget_class, "digitstages");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_digit_stages_view_init (NwDigitStagesView *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preprocessing stages"), -1);
  update_accessible (self);
}

GtkWidget *
nw_digit_stages_view_new (void)
{
  return g_object_new (NW_TYPE_DIGIT_STAGES_VIEW, NULL);
}
