/* nw-plot.c: drawing helpers shared by the plot widgets. */
#include "nw-plot.h"

#include <math.h>
#include <string.h>

void
nw_plot_rgb (cairo_t *cr, guint32 rgb, double alpha)
{
  cairo_set_source_rgba (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0, alpha);
}

void
nw_plot_unpack_rgb (guint32 rgb, double c[3])
{
  c[0] = ((rgb >> 16) & 0xff) / 255.0;
  c[1] = ((rgb >> 8) & 0xff) / 255.0;
  c[2] = (rgb & 0xff) / 255.0;
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

/* One Pango context for every plot, and a shaped layout per (text, size, weight): a fresh
 * context per label (pango_cairo_create_layout) costs a font-map lookup each time, and
 * shaping a text again on every draw was most of the digit view's text cost (its class
 * names, captions and layer names redraw with every stroke; bench/digit_latency). Layouts
 * are dropped when the context changes (font options, resolution: its serial moves) and
 * when there are more than TEXT_CACHE_MAX (the numbers in labels are many). The cache
 * belongs to the thread's default font map (Pango keeps one per thread), so it is freed with
 * it and two threads never share one. */
#define TEXT_CACHE_MAX 512

typedef struct {
  PangoContext         *context;
  guint                 serial;     /* the context's, when the layouts were made */
  GHashTable           *layouts;    /* "size weight text" -> PangoLayout */
  PangoFontDescription *fonts[2][64];   /* [bold][size in quarter points] */
} TextCache;

static void
text_cache_free (gpointer data)
{
  TextCache *c = data;
  for (int b = 0; b < 2; b++)
    for (int i = 0; i < 64; i++)
      g_clear_pointer (&c->fonts[b][i], pango_font_description_free);
  g_clear_pointer (&c->layouts, g_hash_table_unref);
  g_clear_object (&c->context);
  g_free (c);
}

static PangoLayout *
shared_layout (cairo_t *cr, const char *text, double size_pt, gboolean bold)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  TextCache *c = g_object_get_data (G_OBJECT (map), "nw-plot-text-cache");
  int px = CLAMP ((int) lround (size_pt * 4), 1, 63);   /* quarter points */
  PangoFontDescription **font;
  PangoLayout *layout;
  char buf[128], *key = buf;

  if (c == NULL)
    {
      c = g_new0 (TextCache, 1);
      c->context = pango_font_map_create_context (map);
      c->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_object_set_data_full (G_OBJECT (map), "nw-plot-text-cache", c, text_cache_free);
    }
  pango_cairo_update_context (cr, c->context);
  if (pango_context_get_serial (c->context) != c->serial
      || g_hash_table_size (c->layouts) >= TEXT_CACHE_MAX)
    {
      g_hash_table_remove_all (c->layouts);
      c->serial = pango_context_get_serial (c->context);
    }
  /* Looked up without an allocation unless the text is long. */
  if (g_snprintf (buf, sizeof buf, "%d %d %s", px, bold ? 1 : 0, text) >= (gint) sizeof buf)
    key = g_strdup_printf ("%d %d %s", px, bold ? 1 : 0, text);
  layout = g_hash_table_lookup (c->layouts, key);
  if (layout != NULL)
    {
      if (key != buf)
        g_free (key);
      return layout;
    }
  font = &c->fonts[bold ? 1 : 0][px];
  if (*font == NULL)
    {
      *font = pango_font_description_new ();
      pango_font_description_set_family (*font, "Sans");
      pango_font_description_set_absolute_size (*font, px / 4.0 * PANGO_SCALE * 4.0 / 3.0);
      pango_font_description_set_weight (*font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    }
  layout = pango_layout_new (c->context);
  pango_layout_set_font_description (layout, *font);
  pango_layout_set_text (layout, text, -1);
  g_hash_table_insert (c->layouts, key == buf ? g_strdup (buf) : key, layout);
  return layout;
}

double
nw_plot_text_width (cairo_t *cr, const char *text, double size_pt, gboolean bold)
{
  PangoLayout *layout = shared_layout (cr, text, size_pt, bold);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

double
nw_plot_text (cairo_t *cr, const char *text, double x, double y, double align_x,
              double align_y, double size_pt, guint32 rgb, gboolean bold)
{
  PangoLayout *layout = shared_layout (cr, text, size_pt, bold);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_save (cr);
  nw_plot_rgb (cr, rgb, 1.0);
  cairo_move_to (cr, round (x - align_x * w), round (y - align_y * h));
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  return w;
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
  nw_plot_text (cr, text, width / 2.0, height / 2.0, 0.5, 0.5, 9.5, NW_COLOUR_MUTED, FALSE);
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
