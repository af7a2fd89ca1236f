/* nw-plot.c: drawing helpers shared by the plot widgets. */
#include "nw-plot.h"

#include <math.h>
#include <string.h>

/* Styles ---------------------------------------------------------------------------------- */

/* What a widget's drawing needs of its style: its Pango context and font (text), its colours
 * (roles), and the layouts shaped with that context. One per widget, kept as its object data;
 * the fallback (no widget bound) is one per thread's default font map. */
#define TEXT_CACHE_MAX 512

typedef struct {
  PangoContext         *context;    /* the widget's own (or the fallback's), a reference */
  guint                 serial;     /* the context's, when the layouts and fonts were made */
  GHashTable           *layouts;    /* "quarter-px bold text" -> PangoLayout */
  GHashTable           *fonts;      /* quarter-px * 2 + bold -> PangoFontDescription */
  double                font_px;    /* the context's font size, pixels */
  guint32               role[6];    /* NW_COLOUR_INK .. NW_COLOUR_EMPTY as 0xRRGGBB */
  gboolean              dark;
} PlotStyle;

static const cairo_user_data_key_t style_key;
static const cairo_user_data_key_t record_key;

static void
plot_style_free (gpointer data)
{
  PlotStyle *st = data;
  g_clear_pointer (&st->layouts, g_hash_table_unref);
  g_clear_pointer (&st->fonts, g_hash_table_unref);
  g_clear_object (&st->context);
  g_free (st);
}

static guint32
pack_rgb (double r, double g, double b)
{
  return ((guint32) lround (CLAMP (r, 0, 1) * 255) << 16)
       | ((guint32) lround (CLAMP (g, 0, 1) * 255) << 8)
       | (guint32) lround (CLAMP (b, 0, 1) * 255);
}

static void
unpack (guint32 rgb, double c[3])
{
  c[0] = ((rgb >> 16) & 0xff) / 255.0;
  c[1] = ((rgb >> 8) & 0xff) / 255.0;
  c[2] = (rgb & 0xff) / 255.0;
}

/* a * t + b * (1 - t) */
static guint32
mix_rgb (guint32 a, guint32 b, double t)
{
  double ca[3], cb[3];
  unpack (a, ca);
  unpack (b, cb);
  return pack_rgb (ca[0] * t + cb[0] * (1 - t), ca[1] * t + cb[1] * (1 - t),
                   ca[2] * t + cb[2] * (1 - t));
}

static void
set_roles (PlotStyle *st, guint32 ink, guint32 paper)
{
  double ci[3], cp[3];
  unpack (ink, ci);
  unpack (paper, cp);
  /* Dark when the paper is darker than the ink (a dark theme's light text). */
  st->dark = 0.2126 * cp[0] + 0.7152 * cp[1] + 0.0722 * cp[2]
             < 0.2126 * ci[0] + 0.7152 * ci[1] + 0.0722 * ci[2];
  st->role[1] = ink;
  st->role[2] = mix_rgb (ink, paper, st->dark ? 0.68 : 0.62);
  st->role[3] = mix_rgb (ink, paper, st->dark ? 0.16 : 0.13);
  st->role[4] = paper;
  st->role[5] = mix_rgb (ink, paper, 0.05);
}

static double
context_font_px (PangoContext *context)
{
  const PangoFontDescription *desc = pango_context_get_font_description (context);
  double size, dpi;
  if (desc == NULL || pango_font_description_get_size (desc) <= 0)
    return NW_TEXT_DEFAULT_PX;
  size = pango_font_description_get_size (desc) / (double) PANGO_SCALE;
  if (pango_font_description_get_size_is_absolute (desc))
    return size;
  dpi = pango_cairo_context_get_resolution (context);
  return size * (dpi > 0 ? dpi : 96.0) / 72.0;
}

/* The layouts and fonts made for an older state of the context go. */
static void
plot_style_sync (PlotStyle *st)
{
  guint serial = pango_context_get_serial (st->context);
  if (serial == st->serial && g_hash_table_size (st->layouts) < TEXT_CACHE_MAX)
    return;
  g_hash_table_remove_all (st->layouts);
  if (serial != st->serial)
    {
      g_hash_table_remove_all (st->fonts);
      st->font_px = context_font_px (st->context);
      st->serial = serial;
    }
}

static PlotStyle *
plot_style_new (PangoContext *context)
{
  PlotStyle *st = g_new0 (PlotStyle, 1);
  st->context = g_object_ref (context);
  st->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  st->fonts = g_hash_table_new_full (NULL, NULL, NULL,
                                     (GDestroyNotify) pango_font_description_free);
  st->serial = pango_context_get_serial (context) - 1;   /* synced on first use */
  set_roles (st, 0x2e3436, 0xffffff);
  return st;
}

/* Text drawn with no widget bound: "Sans" at GTK's default size, on the light theme. One per
 * thread's font map (Pango keeps one per thread), so two threads never share it. */
static PlotStyle *
fallback_style (void)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PlotStyle *st = g_object_get_data (G_OBJECT (map), "nw-plot-style");
  if (st == NULL)
    {
      PangoContext *context = pango_font_map_create_context (map);
      PangoFontDescription *desc = pango_font_description_from_string ("Sans");
      pango_font_description_set_absolute_size (desc, NW_TEXT_DEFAULT_PX * PANGO_SCALE);
      pango_context_set_font_description (context, desc);
      pango_font_description_free (desc);
      st = plot_style_new (context);
      g_object_unref (context);
      g_object_set_data_full (G_OBJECT (map), "nw-plot-style", st, plot_style_free);
    }
  return st;
}

static PlotStyle *
style_of (cairo_t *cr)
{
  PlotStyle *st = cr != NULL ? cairo_get_user_data (cr, &style_key) : NULL;
  st = st != NULL ? st : fallback_style ();
  plot_style_sync (st);
  return st;
}

static guint32
rgba_to_rgb (const GdkRGBA *c, guint32 under)
{
  double u[3];
  unpack (under, u);
  return pack_rgb (c->red * c->alpha + u[0] * (1 - c->alpha),
                   c->green * c->alpha + u[1] * (1 - c->alpha),
                   c->blue * c->alpha + u[2] * (1 - c->alpha));
}

void
nw_plot_begin (cairo_t *cr, GtkWidget *widget)
{
  PlotStyle *st;
  GtkStyleContext *style;
  GdkRGBA fg, base;
  guint32 paper;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  st = g_object_get_data (G_OBJECT (widget), "nw-plot-style");
  if (st == NULL)
    {
      st = plot_style_new (gtk_widget_get_pango_context (widget));
      g_object_set_data_full (G_OBJECT (widget), "nw-plot-style", st, plot_style_free);
    }
  /* The widget's colour and the theme's view background (GTK 4.8 has no
   * gtk_widget_get_color; the style context is how 4.8 reads them). A widget outside any
   * window has no theme (its CSS colour is the initial white): the light theme's roles. */
  if (gtk_widget_get_root (widget) == NULL)
    {
      set_roles (st, 0x2e3436, 0xffffff);
      cairo_set_user_data (cr, &style_key, st, NULL);
      return;
    }
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "theme_base_color", &base))
    base = (GdkRGBA) { 1, 1, 1, 1 };
  G_GNUC_END_IGNORE_DEPRECATIONS
  base.alpha = 1;
  paper = rgba_to_rgb (&base, 0xffffff);
  set_roles (st, rgba_to_rgb (&fg, paper), paper);
  cairo_set_user_data (cr, &style_key, st, NULL);
}

cairo_t *
nw_plot_measure_context (GtkWidget *widget)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  cairo_surface_destroy (surface);   /* the context holds it */
  nw_plot_begin (cr, widget);
  return cr;
}

double
nw_plot_widget_font_px (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NW_TEXT_DEFAULT_PX);
  return context_font_px (gtk_widget_get_pango_context (widget));
}

double
nw_plot_font_px (cairo_t *cr)
{
  return style_of (cr)->font_px;
}

gboolean
nw_plot_is_dark (cairo_t *cr)
{
  return style_of (cr)->dark;
}

guint32
nw_plot_resolve_rgb (cairo_t *cr, guint32 rgb)
{
  guint32 role = rgb & ~NW_COLOUR_ROLE;
  if ((rgb & NW_COLOUR_ROLE) == 0)
    return rgb & 0xffffff;
  return role < G_N_ELEMENTS (((PlotStyle *) NULL)->role) && role > 0 ? style_of (cr)->role[role]
                                                                      : 0x808080;
}

void
nw_plot_rgb (cairo_t *cr, guint32 rgb, double alpha)
{
  rgb = nw_plot_resolve_rgb (cr, rgb);
  cairo_set_source_rgba (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0, alpha);
}

void
nw_plot_unpack_rgb (guint32 rgb, double c[3])
{
  unpack (nw_plot_resolve_rgb (NULL, rgb), c);
}

void
nw_plot_tint_rgb (guint32 rgb, double t, double *r, double *g, double *b)
{
  double c[3];
  nw_plot_unpack_rgb (rgb, c);
  *r = 1.0 + (c[0] - 1.0) * t;
  *g = 1.0 + (c[1] - 1.0) * t;
  *b = 1.0 + (c[2] - 1.0) * t;
}

void
nw_plot_probability_rgb (double p, double *r, double *g, double *b)
{
  double lo[3], mid[3], hi[3], t;
  const double *from, *to;
  if (!isfinite (p))
    p = 0.5;
  p = CLAMP (p, 0.0, 1.0);
  nw_plot_unpack_rgb (NW_COLOUR_CLASS0, lo);
  nw_plot_unpack_rgb (NW_COLOUR_NEUTRAL, mid);
  nw_plot_unpack_rgb (NW_COLOUR_CLASS1, hi);
  /* Lighter than the points themselves, so the points stand out on the field. */
  for (int k = 0; k < 3; k++)
    {
      lo[k] = lo[k] * 0.75 + 0.25;
      hi[k] = hi[k] * 0.75 + 0.25;
    }
  if (p < 0.5)
    {
      from = lo;
      to = mid;
      t = p / 0.5;
    }
  else
    {
      from = mid;
      to = hi;
      t = (p - 0.5) / 0.5;
    }
  *r = from[0] + (to[0] - from[0]) * t;
  *g = from[1] + (to[1] - from[1]) * t;
  *b = from[2] + (to[2] - from[2]) * t;
}

guint32
nw_plot_layer_colour (int i, int n)
{
  /* A short sequential ramp (viridis-like, without the pale yellow end). */
  static const guint32 ramp[] = { 0x2ec27e, 0x26a269, 0x1a8a8a, 0x1c71d8, 0x3d4fb3, 0x613583 };
  double t = n > 1 ? (double) i / (n - 1) : 0.0;
  double pos = t * (G_N_ELEMENTS (ramp) - 1);
  int k = MIN ((int) pos, (int) G_N_ELEMENTS (ramp) - 2);
  double f = pos - k, a[3], b[3];
  nw_plot_unpack_rgb (ramp[k], a);
  nw_plot_unpack_rgb (ramp[k + 1], b);
  return ((guint32) lround ((a[0] + (b[0] - a[0]) * f) * 255) << 16)
       | ((guint32) lround ((a[1] + (b[1] - a[1]) * f) * 255) << 8)
       | (guint32) lround ((a[2] + (b[2] - a[2]) * f) * 255);
}

/* Text ------------------------------------------------------------------------------------ */

/* The pixel size of relative size `scale`, in quarter pixels (the cache's unit). */
static int
quarter_px (PlotStyle *st, double scale)
{
  double px = MAX (st->font_px * scale, NW_TEXT_MIN_PX);
  return CLAMP ((int) lround (px * 4), 4, 4 * 400);
}

double
nw_plot_text_px (cairo_t *cr, double scale)
{
  return quarter_px (style_of (cr), scale) / 4.0;
}

static const PangoFontDescription *
font_at (PlotStyle *st, int qpx, gboolean bold)
{
  gpointer key = GINT_TO_POINTER (qpx * 2 + (bold ? 1 : 0));
  PangoFontDescription *font = g_hash_table_lookup (st->fonts, key);
  if (font == NULL)
    {
      /* The widget's font (family, style, features), at this size and weight. */
      const PangoFontDescription *base = pango_context_get_font_description (st->context);
      font = base != NULL ? pango_font_description_copy (base) : pango_font_description_new ();
      pango_font_description_set_absolute_size (font, qpx / 4.0 * PANGO_SCALE);
      pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
      g_hash_table_insert (st->fonts, key, font);
    }
  return font;
}

/* A shaped layout per (text, size, weight), made with the widget's own context and kept: a
 * fresh context per label (pango_cairo_create_layout) costs a font-map lookup each time, and
 * shaping a text again on every draw was most of the digit view's text cost (its class names,
 * captions and layer names redraw with every stroke; bench/digit_latency). The layouts go
 * when the context changes (a new font or size: the zoom, Large Text, the theme; font
 * options, resolution: its serial moves) and when there are more than TEXT_CACHE_MAX (the
 * numbers in labels are many). Borrowed: valid until the next call. */
static PangoLayout *
cached_layout (cairo_t *cr, const char *text, double scale, gboolean bold)
{
  PlotStyle *st = style_of (cr);
  int qpx = quarter_px (st, scale);
  PangoLayout *layout;
  char buf[128], *key = buf;

  /* Looked up without an allocation unless the text is long. */
  if (g_snprintf (buf, sizeof buf, "%d %d %s", qpx, bold ? 1 : 0, text) >= (gint) sizeof buf)
    key = g_strdup_printf ("%d %d %s", qpx, bold ? 1 : 0, text);
  layout = g_hash_table_lookup (st->layouts, key);
  if (layout != NULL)
    {
      if (key != buf)
        g_free (key);
      return layout;
    }
  layout = pango_layout_new (st->context);
  pango_layout_set_font_description (layout, font_at (st, qpx, bold));
  pango_layout_set_text (layout, text, -1);
  g_hash_table_insert (st->layouts, key == buf ? g_strdup (buf) : key, layout);
  return layout;
}

double
nw_plot_line_height (cairo_t *cr, double scale)
{
  /* The tallest line a label has: Latin letters and digits, and where the language writes
   * them, Hangul (or kanji, hanzi), whose fonts have taller lines. */
  PangoLanguage *language = pango_context_get_language (style_of (cr)->context);
  const char *tag = language != NULL ? pango_language_to_string (language) : "";
  gboolean cjk = g_str_has_prefix (tag, "ko") || g_str_has_prefix (tag, "ja")
                 || g_str_has_prefix (tag, "zh");
  PangoLayout *layout = cached_layout (cr, cjk ? "0.9Ag한" : "0.9Ag", scale, FALSE);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  return h;
}

double
nw_plot_text_width (cairo_t *cr, const char *text, double scale, gboolean bold)
{
  PangoLayout *layout = cached_layout (cr, text, scale, bold);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

static void
text_rect_clear (gpointer data)
{
  g_free (((NwPlotTextRect *) data)->text);
}

GArray *
nw_plot_text_rects_new (void)
{
  GArray *rects = g_array_new (FALSE, TRUE, sizeof (NwPlotTextRect));
  g_array_set_clear_func (rects, text_rect_clear);
  return rects;
}

void
nw_plot_record_text (cairo_t *cr, GArray *rects)
{
  cairo_set_user_data (cr, &record_key, g_array_ref (rects), (cairo_destroy_func_t) g_array_unref);
}

/* The ink of `layout` shown at (x, y), in device pixels, when a test records. */
static void
record_at (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  GArray *rects = cairo_get_user_data (cr, &record_key);
  PangoRectangle ink;
  NwPlotTextRect r;
  double x0, y0, x1, y1;
  if (rects == NULL)
    return;
  pango_layout_get_pixel_extents (layout, &ink, NULL);
  if (ink.width <= 0 || ink.height <= 0)
    return;
  x0 = x + ink.x, y0 = y + ink.y;
  x1 = x0 + ink.width, y1 = y0 + ink.height;
  cairo_user_to_device (cr, &x0, &y0);
  cairo_user_to_device (cr, &x1, &y1);
  r.x = MIN (x0, x1);
  r.y = MIN (y0, y1);
  r.width = fabs (x1 - x0);
  r.height = fabs (y1 - y0);
  r.text = g_strdup (pango_layout_get_text (layout));
  g_array_append_val (rects, r);
}

void
nw_plot_record_layout (cairo_t *cr, PangoLayout *layout)
{
  double x = 0, y = 0;
  if (cairo_get_user_data (cr, &record_key) == NULL)
    return;
  if (cairo_has_current_point (cr))
    cairo_get_current_point (cr, &x, &y);
  record_at (cr, layout, x, y);
}

static double
show_at (cairo_t *cr, PangoLayout *layout, double x, double y, double align_x, double align_y,
         guint32 rgb)
{
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  x = round (x - align_x * w);
  y = round (y - align_y * h);
  cairo_save (cr);
  nw_plot_rgb (cr, rgb, 1.0);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  record_at (cr, layout, x, y);
  return w;
}

double
nw_plot_text (cairo_t *cr, const char *text, double x, double y, double align_x,
              double align_y, double scale, guint32 rgb, gboolean bold)
{
  return show_at (cr, cached_layout (cr, text, scale, bold), x, y, align_x, align_y, rgb);
}

double
nw_plot_text_fit (cairo_t *cr, const char *text, double x, double y, double align_x,
                  double align_y, double scale, guint32 rgb, gboolean bold, double max_width)
{
  PangoLayout *layout = cached_layout (cr, text, scale, bold);
  g_autoptr (PangoLayout) cut = NULL;
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  if (w <= max_width)
    return show_at (cr, layout, x, y, align_x, align_y, rgb);
  if (max_width < 1)
    return 0;
  cut = pango_layout_copy (layout);
  pango_layout_set_width (cut, (int) (max_width * PANGO_SCALE));
  pango_layout_set_ellipsize (cut, PANGO_ELLIPSIZE_END);
  return show_at (cr, cut, x, y, align_x, align_y, rgb);
}

double
nw_plot_text_wrapped (cairo_t *cr, const char *text, double cx, double cy, double max_width,
                      double scale, guint32 rgb)
{
  g_autoptr (PangoLayout) layout = pango_layout_copy (cached_layout (cr, text, scale, FALSE));
  int w, h;
  pango_layout_set_width (layout, (int) (MAX (max_width, 1) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &w, &h);
  /* A centred layout's lines sit in a box max_width wide. */
  show_at (cr, layout, cx - MAX (max_width, 1) / 2, cy - h / 2.0, 0, 0, rgb);
  return h;
}

int
nw_plot_ticks (double lo, double hi, int max_n, double *ticks)
{
  double span = hi - lo, raw, mag, step, first;
  int n = 0;
  if (!(span > 0) || !isfinite (span) || max_n < 2)
    return 0;
  raw = span / (max_n - 1);
  mag = pow (10, floor (log10 (raw)));
  step = raw / mag <= 1 ? mag : raw / mag <= 2 ? 2 * mag : raw / mag <= 5 ? 5 * mag : 10 * mag;
  first = ceil (lo / step - 1e-9) * step;
  for (double t = first; t <= hi + step * 1e-9 && n < max_n + 1; t += step)
    ticks[n++] = fabs (t) < step * 1e-9 ? 0.0 : t;
  return n;
}

void
nw_plot_format (double v, char *buf, gsize size)
{
  double a = fabs (v);
  if (!isfinite (v))
    g_strlcpy (buf, "–", size);
  else if (a == 0)
    g_strlcpy (buf, "0", size);
  else if (a >= 1e6 && a < 1e9 && fabs (v / 1e6 - round (v / 1e5) / 10) < 1e-9)
    g_snprintf (buf, size, "%gM", round (v / 1e5) / 10);
  else if (a >= 1e6 || a < 1e-3)
    g_snprintf (buf, size, "%.1e", v);
  else if (a >= 10000)
    g_snprintf (buf, size, "%.0fk", v / 1000);
  else if (a >= 100)
    g_snprintf (buf, size, "%.0f", v);
  else
    {
      g_snprintf (buf, size, "%.3g", v);
    }
}

void
nw_plot_round_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

#define POLYLINE_RUN 16

void
nw_polyline_begin (NwPolyline *line, cairo_t *cr)
{
  line->cr = cr;
  line->n = 0;
  cairo_new_path (cr);
}

void
nw_polyline_to (NwPolyline *line, double x, double y)
{
  if (line->n == 0)
    cairo_move_to (line->cr, x, y);
  else
    cairo_line_to (line->cr, x, y);
  if (++line->n % POLYLINE_RUN == 0)
    {
      cairo_stroke (line->cr);
      cairo_move_to (line->cr, x, y);
    }
}

int
nw_polyline_end (NwPolyline *line)
{
  if (line->n % POLYLINE_RUN != 0)
    cairo_stroke (line->cr);
  else
    cairo_new_path (line->cr);
  return line->n;
}

void
nw_plot_empty_message (cairo_t *cr, int width, int height, const char *text)
{
  nw_plot_text_wrapped (cr, text, width / 2.0, height / 2.0, MAX (width - 16, 40), NW_TEXT_NORMAL,
                        NW_COLOUR_MUTED);
}

void
nw_history_init (NwHistory *h, int cols, int cap)
{
  memset (h, 0, sizeof *h);
  h->cols = cols;
  h->cap = MAX (cap, 4) & ~1;
  h->stride = 1;
  h->rows = g_new0 (double, (gsize) h->cap * cols);
}

void
nw_history_clear (NwHistory *h)
{
  h->n = 0;
  h->stride = 1;
  h->skipped = 0;
  h->tail_provisional = FALSE;
}

void
nw_history_free (NwHistory *h)
{
  g_clear_pointer (&h->rows, g_free);
  h->n = h->cap = 0;
}

gboolean
nw_history_push (NwHistory *h, const double *row)
{
  gboolean keep;
  if (h->rows == NULL)
    return FALSE;
  /* The newest row is always the last one, kept for good only every `stride`-th time. */
  if (h->n > 0 && h->tail_provisional)
    h->n--;
  keep = ++h->skipped >= h->stride || h->n == 0;
  if (keep)
    h->skipped = 0;
  if (h->n == h->cap)
    {
      /* Keep rows 0, 2, 4, ...: the history still spans the whole run, half as dense. */
      for (int i = 0; i < h->cap / 2; i++)
        memmove (h->rows + (gsize) i * h->cols, h->rows + (gsize) (2 * i) * h->cols,
                 sizeof (double) * h->cols);
      h->n = h->cap / 2;
      h->stride *= 2;
    }
  memcpy (h->rows + (gsize) h->n * h->cols, row, sizeof (double) * h->cols);
  h->n++;
  h->tail_provisional = !keep;
  return keep;
}
