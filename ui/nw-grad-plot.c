/* nw-grad-plot.c: gradient norms per layer, now and over time. */
#include "nw-grad-plot.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>
#include <string.h>

struct _NwGradPlot
{
  GtkWidget  parent_instance;
  GPtrArray *names;        /* of char*, one per parameter layer */
  double    *norms;        /* current, one per layer */
  double     ratio;
  char      *zero_by;      /* the step layer that makes the first layers' gradient 0 by design */
  gint64     step;
  NwHistory  history;      /* step, then log10 of each layer's norm */
};

G_DEFINE_FINAL_TYPE (NwGradPlot, nw_grad_plot, GTK_TYPE_WIDGET)

#define M_RIGHT  10.0
#define GAP      26.0
#define LOG_FLOOR -12.0

void
nw_grad_plot_clear (NwGradPlot *self)
{
  g_return_if_fail (NW_IS_GRAD_PLOT (self));
  g_ptr_array_set_size (self->names, 0);
  g_clear_pointer (&self->norms, g_free);
  nw_history_free (&self->history);
  self->ratio = NAN;
  g_clear_pointer (&self->zero_by, g_free);
  self->step = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
same_names (NwGradPlot *self, const NwSnapshot *snap, const char *const *ids)
{
  guint k = 0;
  for (int i = 0; i < snap->n_layers; i++)
    {
      const char *id = ids != NULL ? ids[i] : snap->layers[i].id;
      if (!isfinite (snap->layers[i].grad_norm))
        continue;
      if (k >= self->names->len || g_strcmp0 (id, g_ptr_array_index (self->names, k)) != 0)
        return FALSE;
      k++;
    }
  return k == self->names->len;
}

void
nw_grad_plot_push_snapshot (NwGradPlot *self, const NwSnapshot *snap, const char *const *ids)
{
  guint k = 0;
  double *row;
  g_return_if_fail (NW_IS_GRAD_PLOT (self));
  g_return_if_fail (snap != NULL);

  if (!same_names (self, snap, ids) || snap->step < self->step)
    {
      nw_grad_plot_clear (self);
      for (int i = 0; i < snap->n_layers; i++)
        if (isfinite (snap->layers[i].grad_norm))
          g_ptr_array_add (self->names, g_strdup (ids != NULL ? ids[i] : snap->layers[i].id));
      self->norms = g_new0 (double, MAX (self->names->len, 1));
      nw_history_init (&self->history, 1 + self->names->len, 400);
    }
  row = g_newa (double, 1 + self->names->len);
  row[0] = (double) snap->step;
  for (int i = 0; i < snap->n_layers; i++)
    if (isfinite (snap->layers[i].grad_norm))
      {
        self->norms[k] = snap->layers[i].grad_norm;
        row[1 + k] = self->norms[k] > 0 ? log10 (self->norms[k]) : LOG_FLOOR;
        k++;
      }
  self->ratio = snap->first_last_ratio;
  g_free (self->zero_by);
  self->zero_by = g_strdup (nw_snapshot_zero_gradient_layer (snap));
  /* Step 0 has no gradient yet: nothing to draw over time. */
  if (snap->step > 0 && snap->step != self->step)
    nw_history_push (&self->history, row);
  self->step = snap->step;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
nw_grad_plot_get_alarm (NwGradPlot *self)
{
  g_return_val_if_fail (NW_IS_GRAD_PLOT (self), FALSE);
  return self->zero_by == NULL && isfinite (self->ratio) && self->ratio > 0 && self->ratio < 0.01;
}

const char *
nw_grad_plot_get_zero_by_design (NwGradPlot *self)
{
  g_return_val_if_fail (NW_IS_GRAD_PLOT (self), NULL);
  return self->zero_by;
}

int
nw_grad_plot_get_n_layers (NwGradPlot *self)
{
  g_return_val_if_fail (NW_IS_GRAD_PLOT (self), 0);
  return self->names->len;
}

double
nw_grad_plot_get_ratio (NwGradPlot *self)
{
  g_return_val_if_fail (NW_IS_GRAD_PLOT (self), NAN);
  return self->ratio;
}

/* The log10 range shown: whole decades around every norm now and in the history. */
static void
log_range (NwGradPlot *self, double *lo, double *hi)
{
  double mn = INFINITY, mx = -INFINITY;
  guint n = self->names->len;
  for (guint k = 0; k < n; k++)
    if (self->norms[k] > 0)
      {
        mn = MIN (mn, log10 (self->norms[k]));
        mx = MAX (mx, log10 (self->norms[k]));
      }
  for (int i = 0; i < self->history.n; i++)
    for (guint k = 0; k < n; k++)
      {
        double v = nw_history_row (&self->history, i)[1 + k];
        if (v > LOG_FLOOR)
          {
            mn = MIN (mn, v);
            mx = MAX (mx, v);
          }
      }
  if (!isfinite (mn))
    {
      mn = -4;
      mx = 0;
    }
  *lo = floor (mn);
  *hi = ceil (mx + 1e-9);
  if (*hi - *lo < 2)
    *lo = *hi - 2;
}

typedef struct {
  double bars_x, bars_w, line_x, line_w, y0, h;
  double top;        /* the captions' band above the axes */
} Layout;

/* Margins from the text they hold: the captions above, the layer names and step ticks below,
 * the widest decade label on the left. `cr` has the widget's style bound. */
static void
layout (cairo_t *cr, int width, int height, double lo, Layout *l)
{
  char buf[16];
  double inner, left;
  /* At GTK's default font these are the margins the plot always had (44, 24, 34). */
  g_snprintf (buf, sizeof buf, "1e%d", (int) MIN (lo, -10));
  left = MAX (44, ceil (nw_plot_text_width (cr, buf, NW_TEXT_SMALL, FALSE)) + 9);
  inner = width - left - M_RIGHT;
  l->top = MAX (24, ceil (nw_plot_line_height (cr, NW_TEXT_NORMAL)) + 6);
  l->bars_x = left;
  l->bars_w = MAX (inner * 0.38, 40);
  l->line_x = l->bars_x + l->bars_w + GAP + 8;
  l->line_w = MAX (width - M_RIGHT - l->line_x, 20);
  l->y0 = l->top;
  l->h = MAX (height - l->top - MAX (34, ceil (nw_plot_line_height (cr, NW_TEXT_SMALL)) + 10), 10);
}

/* The layout without drawing (the widget's style, on a scratch context). */
static void
layout_for (NwGradPlot *self, int width, int height, Layout *l)
{
  cairo_t *cr = nw_plot_measure_context (GTK_WIDGET (self));
  double lo, hi;
  log_range (self, &lo, &hi);
  layout (cr, width, height, lo, l);
  cairo_destroy (cr);
}

double
nw_grad_plot_bar_centre (NwGradPlot *self, int width, int height, int i)
{
  Layout l;
  guint n = MAX (self->names->len, 1);
  layout_for (self, width, height, &l);
  return l.bars_x + (i + 0.5) * l.bars_w / n;
}

static double
ly (const Layout *l, double lo, double hi, double v)
{
  return l->y0 + l->h - (CLAMP (v, lo, hi) - lo) / (hi - lo) * l->h;
}

static void
axis (cairo_t *cr, const Layout *l, double x, double w, double lo, double hi, gboolean labels)
{
  char buf[16];
  /* A label every so many decades that the labels never meet. */
  double per_decade = l->h / MAX (hi - lo, 1);
  int every = MAX (hi - lo > 8 ? 2 : 1,
                   (int) ceil ((nw_plot_line_height (cr, NW_TEXT_SMALL) + 1) / MAX (per_decade, 1)));
  nw_plot_rgb (cr, NW_COLOUR_PAPER, 1.0);
  cairo_rectangle (cr, x, l->y0, w, l->h);
  cairo_fill (cr);
  cairo_set_line_width (cr, 1.0);
  for (double e = lo; e <= hi + 1e-9; e += 1)
    {
      double y = round (ly (l, lo, hi, e)) + 0.5;
      nw_plot_rgb (cr, NW_COLOUR_GRID, 1.0);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + w, y);
      cairo_stroke (cr);
      if (labels && ((int) (e - lo)) % every == 0)
        {
          g_snprintf (buf, sizeof buf, "1e%d", (int) e);
          nw_plot_text (cr, buf, x - 5, y, 1.0, 0.5, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
        }
    }
  nw_plot_rgb (cr, NW_COLOUR_INK, 0.35);
  cairo_rectangle (cr, x + 0.5, l->y0 + 0.5, w - 1, l->h - 1);
  cairo_stroke (cr);
}

/* The layer names under the bars: each in its bar's slot, cut short with an ellipsis when it
 * is wider; when even that leaves too little, only every k-th name, in k slots. */
static void
draw_names (NwGradPlot *self, cairo_t *cr, const Layout *l)
{
  guint n = self->names->len;
  double bw = l->bars_w / n, widest = 0;
  double least = nw_plot_text_width (cr, "fc…", NW_TEXT_SMALL, FALSE);
  guint every = 1;
  for (guint k = 0; k < n; k++)
    widest = MAX (widest, nw_plot_text_width (cr, g_ptr_array_index (self->names, k),
                                              NW_TEXT_SMALL, FALSE));
  if (widest + 4 > bw)
    while (every < n && every * bw - 4 < MIN (widest, least))
      every++;
  for (guint k = 0; k < n; k += every)
    nw_plot_text_fit (cr, g_ptr_array_index (self->names, k), l->bars_x + (k + 0.5) * bw,
                      l->y0 + l->h + 4, 0.5, 0, NW_TEXT_SMALL, NW_COLOUR_INK, FALSE,
                      every * bw - 4);
}

void
nw_grad_plot_draw (NwGradPlot *self, cairo_t *cr, int width, int height)
{
  guint n = self->names->len;
  double lo, hi, bw, cap_y;
  char buf[64];
  Layout l;

  nw_plot_begin (cr, GTK_WIDGET (self));
  log_range (self, &lo, &hi);
  layout (cr, width, height, lo, &l);
  axis (cr, &l, l.bars_x, l.bars_w, lo, hi, TRUE);
  axis (cr, &l, l.line_x, l.line_w, lo, hi, FALSE);

  cap_y = l.top / 2 - 1;
  {
    /* The ratio, right-aligned over the timeline, is the number the plot is about: it may
     * reach back over the bars' caption, which then goes, and is drawn smaller before it is
     * ever cut. */
    g_autofree char *ratio = NULL;
    guint32 ratio_rgb = NW_COLOUR_MUTED;
    double ratio_scale = NW_TEXT_SMALL, ratio_w = 0;
    gboolean ratio_bold = FALSE;
    double caption_w = nw_plot_text_width (cr, _("now, per layer"), NW_TEXT_SMALL, FALSE);
    double all = l.line_x + l.line_w - l.bars_x;
    if (self->zero_by != NULL)
      /* Not a vanishing gradient: a step passes none, by design. */
      ratio = g_strdup_printf (_("gradient 0 before '%s' by design (step)"), self->zero_by);
    else if (isfinite (self->ratio) && self->ratio > 0)
      {
        nw_plot_format (self->ratio, buf, sizeof buf);
        ratio = g_strdup_printf (_("first ÷ last layer  %s"), buf);
        ratio_rgb = nw_grad_plot_get_alarm (self) ? NW_COLOUR_ALARM : NW_COLOUR_INK;
        ratio_scale = NW_TEXT_NORMAL;
        ratio_bold = TRUE;
        if (nw_plot_text_width (cr, ratio, ratio_scale, TRUE) > all)
          ratio_scale = NW_TEXT_SMALL;
      }
    if (ratio != NULL)
      ratio_w = nw_plot_text_width (cr, ratio, ratio_scale, ratio_bold);
    if (caption_w + 12 + ratio_w <= all)
      nw_plot_text_fit (cr, _("now, per layer"), l.bars_x, cap_y, 0, 0.5, NW_TEXT_SMALL,
                        NW_COLOUR_MUTED, FALSE, l.bars_w + GAP);
    if (ratio != NULL)
      ratio_w = nw_plot_text_fit (cr, ratio, l.line_x + l.line_w, cap_y, 1.0, 0.5, ratio_scale,
                                  ratio_rgb, ratio_bold, all);
    /* The caption only where it does not run into the ratio. */
    if (nw_plot_text_width (cr, _("over the steps"), NW_TEXT_SMALL, FALSE) + ratio_w + 12 < l.line_w)
      nw_plot_text (cr, _("over the steps"), l.line_x, cap_y, 0, 0.5, NW_TEXT_SMALL,
                    NW_COLOUR_MUTED, FALSE);
  }

  if (n > 0 && self->step <= 0)
    {
      /* Each hint in its own axes, wrapped to them: they never meet. */
      nw_plot_text_wrapped (cr, _("No gradient before the first step"), l.bars_x + l.bars_w / 2,
                            l.y0 + l.h / 2, l.bars_w - 8, NW_TEXT_SMALL, NW_COLOUR_MUTED);
      nw_plot_text_wrapped (cr, _("Press Play or Step"), l.line_x + l.line_w / 2, l.y0 + l.h / 2,
                            l.line_w - 8, NW_TEXT_NORMAL, NW_COLOUR_MUTED);
      return;
    }
  if (n == 0)
    {
      nw_plot_text_wrapped (cr, _("No layer with weights yet"), l.bars_x + l.bars_w / 2,
                            l.y0 + l.h / 2, l.bars_w - 8, NW_TEXT_NORMAL, NW_COLOUR_MUTED);
      return;
    }

  /* Bars, one per layer, from the bottom of the axis. */
  bw = l.bars_w / n;
  for (guint k = 0; k < n; k++)
    {
      double v = self->norms[k] > 0 ? log10 (self->norms[k]) : lo;
      double x = l.bars_x + k * bw + MAX (bw * 0.18, 2);
      double w = bw - 2 * MAX (bw * 0.18, 2);
      double top = ly (&l, lo, hi, v);
      double lh = nw_plot_line_height (cr, NW_TEXT_SMALL);
      nw_plot_rgb (cr, nw_plot_layer_colour (k, n), 1.0);
      cairo_rectangle (cr, round (x), round (top), MAX (round (w), 1), l.y0 + l.h - 1 - round (top));
      cairo_fill (cr);
      nw_plot_format (self->norms[k], buf, sizeof buf);
      /* The value above its bar, where it fits in the slot (inside the axes' top when the
       * bar reaches it). */
      if (nw_plot_text_width (cr, buf, NW_TEXT_SMALL, FALSE) <= bw - 2)
        nw_plot_text (cr, buf, x + w / 2, MAX (top - 2, l.y0 + 2), 0.5,
                      top - 2 > l.y0 + lh + 2 ? 1.0 : 0.0, NW_TEXT_SMALL, NW_COLOUR_INK, FALSE);
    }
  draw_names (self, cr, &l);

  /* Timeline: one line per layer over the steps. */
  if (self->history.n > 0)
    {
      const NwHistory *h = &self->history;
      double s_lo = nw_history_row (h, 0)[0], s_hi = nw_history_row (h, h->n - 1)[0];
      int n_ticks;
      double ticks[16];
      if (s_hi <= s_lo)
        s_hi = s_lo + 1;
      cairo_save (cr);
      cairo_rectangle (cr, l.line_x, l.y0, l.line_w, l.h);
      cairo_clip (cr);
      cairo_set_line_width (cr, 1.8);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint k = 0; k < n; k++)
        {
          /* At most one vertex per two pixel columns (the mean of the rows there), smoothed
           * as TensorBoard smooths its scalars (an exponential moving average): a norm that
           * jitters from batch to batch would otherwise fill the plot with a scribble, which
           * says less and costs cairo a great deal to stroke. */
          double acc_y = 0, col = -1, smooth = NAN;
          int acc_n = 0;
          NwPolyline line;
          nw_plot_rgb (cr, nw_plot_layer_colour (k, n), 1.0);
          nw_polyline_begin (&line, cr);
          for (int i = 0; i <= h->n; i++)
            {
              const double *row = i < h->n ? nw_history_row (h, i) : NULL;
              double x = row != NULL
                ? 2 * floor ((l.line_x + (row[0] - s_lo) / (s_hi - s_lo) * l.line_w) / 2) : -2;
              if (acc_n > 0 && x != col)
                {
                  smooth = isnan (smooth) ? acc_y / acc_n : smooth + 0.4 * (acc_y / acc_n - smooth);
                  nw_polyline_to (&line, col, smooth);
                  acc_n = 0;
                  acc_y = 0;
                }
              if (row == NULL)
                break;
              col = x;
              acc_y += ly (&l, lo, hi, row[1 + k]);
              acc_n++;
            }
          nw_polyline_end (&line);
        }
      cairo_restore (cr);
      n_ticks = nw_plot_ticks (s_lo, s_hi,
                               MAX (2, (int) (l.line_w / (nw_plot_text_width (cr, "000.0k", NW_TEXT_SMALL,
                                                                              FALSE) + 12))),
                               ticks);
      for (int i = 0; i < n_ticks; i++)
        {
          double x = round (l.line_x + (ticks[i] - s_lo) / (s_hi - s_lo) * l.line_w) + 0.5;
          nw_plot_format (ticks[i], buf, sizeof buf);
          nw_plot_rgb (cr, NW_COLOUR_MUTED, 1.0);
          cairo_set_line_width (cr, 1.0);
          cairo_move_to (cr, x, l.y0 + l.h);
          cairo_line_to (cr, x, l.y0 + l.h + 4);
          cairo_stroke (cr);
          {
            /* Kept inside the widget: the last label would run off the right edge. */
            double tw = nw_plot_text_width (cr, buf, NW_TEXT_SMALL, FALSE);
            double tx = MIN (x, width - 2 - tw / 2);
            nw_plot_text (cr, buf, tx, l.y0 + l.h + 5, 0.5, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
          }
        }
    }
  else
    nw_plot_text_wrapped (cr, _("Press Play or Step"), l.line_x + l.line_w / 2, l.y0 + l.h / 2,
                          l.line_w - 8, NW_TEXT_NORMAL, NW_COLOUR_MUTED);
}

static void
nw_grad_plot_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_grad_plot_draw (NW_GRAD_PLOT (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
nw_grad_plot_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                      int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  /* In ems: the captions, names and ticks grow with the font (the zoom, Large Text). */
  double em = nw_plot_widget_font_px (widget);
  *minimum = (int) ceil (orientation == GTK_ORIENTATION_HORIZONTAL ? 20 * em : 9.5 * em);
  *natural = (int) ceil (orientation == GTK_ORIENTATION_HORIZONTAL ? 39 * em : 15 * em);
}

static void
nw_grad_plot_finalize (GObject *object)
{
  NwGradPlot *self = NW_GRAD_PLOT (object);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->norms, g_free);
  g_clear_pointer (&self->zero_by, g_free);
  nw_history_free (&self->history);
  G_OBJECT_CLASS (nw_grad_plot_parent_class)->finalize (object);
}

static void
nw_grad_plot_class_init (NwGradPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->finalize = nw_grad_plot_finalize;
  widget_class->snapshot = nw_grad_plot_snapshot;
  widget_class->measure = nw_grad_plot_measure;
  gtk_widget_class_set_css_name (widget_class, "gradplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_grad_plot_init (NwGradPlot *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->ratio = NAN;
  self->step = -1;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Gradient magnitude per layer"), -1);
}

GtkWidget *
nw_grad_plot_new (void)
{
  return g_object_new (NW_TYPE_GRAD_PLOT, NULL);
}
