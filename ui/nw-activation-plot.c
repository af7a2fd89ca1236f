/* nw-activation-plot.c: activation functions with the inputs' histogram on the curve. */
#include "nw-activation-plot.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>
#include <string.h>

typedef struct {
  char        *name;
  NwActivation activation;
  double       lo, hi;
  double       hist[NW_STATS_BINS];   /* share of the inputs per bin (sums to 1) */
  double       saturated, dead, dead_units, mean, std;
} Panel;

struct _NwActivationPlot
{
  GtkWidget  parent_instance;
  GArray    *panels;     /* of Panel */
};

G_DEFINE_FINAL_TYPE (NwActivationPlot, nw_activation_plot, GTK_TYPE_WIDGET)

static void
panel_clear (gpointer data)
{
  Panel *p = data;
  g_free (p->name);
}

void
nw_activation_plot_clear (NwActivationPlot *self)
{
  g_return_if_fail (NW_IS_ACTIVATION_PLOT (self));
  if (self->panels->len > 0)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  g_array_set_size (self->panels, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_activation_plot_push_snapshot (NwActivationPlot *self, const NwSnapshot *snap,
                                  const char *const *ids)
{
  guint n_before;
  g_return_if_fail (NW_IS_ACTIVATION_PLOT (self));
  g_return_if_fail (snap != NULL);
  n_before = self->panels->len;
  g_array_set_size (self->panels, 0);
  for (int i = 0; i < snap->n_layers; i++)
    {
      const NwLayerProbe *probe = &snap->layers[i];
      Panel p = { 0 };
      double total = 0;
      if (probe->kind != NW_NODE_ACTIVATION)
        continue;
      p.name = g_strdup (ids != NULL ? ids[i] : probe->id);
      p.activation = probe->activation;
      p.lo = probe->hist_lo;
      p.hi = probe->hist_hi > probe->hist_lo ? probe->hist_hi : probe->hist_lo + 1;
      for (int k = 0; k < NW_STATS_BINS; k++)
        total += MAX (probe->hist[k], 0);
      /* Normalised here, once: shares of the batch's inputs. */
      for (int k = 0; k < NW_STATS_BINS; k++)
        p.hist[k] = total > 0 ? MAX (probe->hist[k], 0) / total : 0;
      p.saturated = probe->saturated;
      p.dead = probe->dead;
      p.dead_units = probe->dead_units;
      p.mean = probe->act_mean;
      p.std = probe->act_std;
      g_array_append_val (self->panels, p);
    }
  /* More or fewer panels want another height; the same number, only a redraw. */
  if (self->panels->len != n_before)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
nw_activation_plot_panel_gradient_zero (NwActivationPlot *self, int i)
{
  g_return_val_if_fail (NW_IS_ACTIVATION_PLOT (self), FALSE);
  g_return_val_if_fail (i >= 0 && (guint) i < self->panels->len, FALSE);
  return nw_activation_gradient_is_zero (g_array_index (self->panels, Panel, i).activation);
}

int
nw_activation_plot_get_n_panels (NwActivationPlot *self)
{
  g_return_val_if_fail (NW_IS_ACTIVATION_PLOT (self), 0);
  return self->panels->len;
}

#define PANEL_GAP   12.0

/* A panel's parts in pixels, from the widget's text: the title above, the axis labels below,
 * and the least height and width a plot area reads at. */
typedef struct {
  double title, axis, min_plot_h, min_w;
} PanelMetrics;

static void
panel_metrics (cairo_t *cr, PanelMetrics *m)
{
  double em = nw_plot_font_px (cr);
  m->title = ceil (nw_plot_line_height (cr, NW_TEXT_NORMAL)) + 3;
  m->axis = ceil (nw_plot_line_height (cr, NW_TEXT_SMALL)) + 3;
  m->min_plot_h = ceil (3.5 * em);
  m->min_w = ceil (10 * em);
}

static void
grid_shape (guint n, int width, double min_w, int *cols, int *rows)
{
  int c = (int) MIN (n, 4);
  /* Wide enough panels: never narrower than min_w. */
  while (c > 1 && (width - (c - 1) * PANEL_GAP) / c < min_w)
    c--;
  *cols = MAX (c, 1);
  *rows = MAX (((int) n + *cols - 1) / *cols, 1);
}

static void
panel_area (NwActivationPlot *self, const PanelMetrics *m, int width, int height, int i,
            double *x, double *y, double *w, double *h)
{
  int cols, rows;
  double pw, ph;
  grid_shape (self->panels->len, width, m->min_w, &cols, &rows);
  pw = (width - 8 - (cols - 1) * PANEL_GAP) / cols;
  ph = (height - (rows - 1) * PANEL_GAP) / rows;
  *x = 4 + (i % cols) * (pw + PANEL_GAP);
  *y = (i / cols) * (ph + PANEL_GAP) + m->title;
  *w = pw;
  *h = MAX (ph - m->title - m->axis, 10);
}

void
nw_activation_plot_panel_area (NwActivationPlot *self, int width, int height, int i,
                               double *x, double *y, double *w, double *h)
{
  cairo_t *cr = nw_plot_measure_context (GTK_WIDGET (self));
  PanelMetrics m;
  panel_metrics (cr, &m);
  panel_area (self, &m, width, height, i, x, y, w, h);
  cairo_destroy (cr);
}

static void
draw_panel (cairo_t *cr, const PanelMetrics *m, const Panel *p, double x0, double y0, double w,
            double h)
{
  double f_lo = INFINITY, f_hi = -INFINITY, d_max = 0, hmax = 0;
  const int samples = 160;
  const NwActivationInfo *info = nw_activation_info (p->activation);
  gboolean elementwise = info != NULL && info->elementwise;
  gboolean relu_like = info != NULL && info->can_die;
  gboolean saturating = info != NULL && info->saturates;
  /* The step passes no gradient anywhere, by design: nothing to shade as a fault. */
  gboolean zero_by_design = nw_activation_gradient_is_zero (p->activation);
  /* ReLU: the alarm is for dead units; the share of inputs at or below zero is shown too
   * (about half in a healthy layer). */
  double share = relu_like ? p->dead_units : saturating ? p->saturated : NAN;
  char buf[96];

#define PX(v) (x0 + ((v) - p->lo) / (p->hi - p->lo) * w)

  for (int s = 0; s <= samples; s++)
    {
      double x = p->lo + (p->hi - p->lo) * s / samples;
      double f = nw_activation_value (p->activation, x);
      f_lo = MIN (f_lo, f);
      f_hi = MAX (f_hi, f);
      d_max = MAX (d_max, nw_activation_derivative (p->activation, x));
    }
  if (f_hi - f_lo < 1e-9)
    f_hi = f_lo + 1;
  /* A little air above and below the curve. */
  {
    double pad = (f_hi - f_lo) * 0.08;
    f_lo -= pad;
    f_hi += pad;
  }
#define PY(f) (y0 + h - ((f) - f_lo) / (f_hi - f_lo) * h)
#define DY(d) (y0 + h - (d) / (d_max > 0 ? d_max : 1) * h * 0.92)

  nw_plot_rgb (cr, NW_COLOUR_PAPER, 1.0);
  cairo_rectangle (cr, x0, y0, w, h);
  cairo_fill (cr);

  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, w, h);
  cairo_clip (cr);

  /* Where the derivative is (almost) zero: the inputs that pass no gradient. */
  if (elementwise && (relu_like || saturating))
    {
      const double step = (p->hi - p->lo) / samples;
      for (int s = 0; s < samples; s++)
        {
          double x = p->lo + step * (s + 0.5);
          double d = nw_activation_derivative (p->activation, x);
          if (relu_like ? x <= 0 : d < 0.01 * d_max)
            {
              nw_plot_rgb (cr, NW_COLOUR_ALARM, 0.07);
              cairo_rectangle (cr, PX (x - step / 2), y0, w / samples + 0.5, h);
              cairo_fill (cr);
            }
        }
    }

  /* The inputs' histogram: faint bars along the bottom... */
  for (int k = 0; k < NW_STATS_BINS; k++)
    hmax = MAX (hmax, p->hist[k]);
  for (int k = 0; k < NW_STATS_BINS && hmax > 0; k++)
    {
      double bx = x0 + w * k / NW_STATS_BINS, bh = p->hist[k] / hmax * h * 0.35;
      nw_plot_rgb (cr, NW_COLOUR_MUTED, 0.22);
      cairo_rectangle (cr, bx + 0.5, y0 + h - bh, w / NW_STATS_BINS - 1, bh);
      cairo_fill (cr);
    }

  /* ...the derivative (dashed)... */
  if (elementwise)
    {
      static const double dash[] = { 4, 3 };
      cairo_new_path (cr);
      for (int s = 0; s <= samples; s++)
        {
          double x = p->lo + (p->hi - p->lo) * s / samples;
          double y = DY (nw_activation_derivative (p->activation, x));
          if (s == 0)
            cairo_move_to (cr, PX (x), y);
          else
            cairo_line_to (cr, PX (x), y);
        }
      cairo_save (cr);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_set_line_width (cr, 1.4);
      nw_plot_rgb (cr, NW_COLOUR_TEST, 0.9);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  /* ...the function... */
  cairo_new_path (cr);
  for (int s = 0; s <= samples; s++)
    {
      double x = p->lo + (p->hi - p->lo) * s / samples;
      double y = PY (nw_activation_value (p->activation, x));
      if (s == 0)
        cairo_move_to (cr, PX (x), y);
      else
        cairo_line_to (cr, PX (x), y);
    }
  cairo_set_line_width (cr, 2.0);
  nw_plot_rgb (cr, NW_COLOUR_INK, 0.85);
  cairo_stroke (cr);

  /* ...and the histogram on the curve: a dot per bin, its area the bin's share. */
  for (int k = 0; k < NW_STATS_BINS && hmax > 0; k++)
    {
      double x = p->lo + (p->hi - p->lo) * (k + 0.5) / NW_STATS_BINS;
      double r = sqrt (p->hist[k] / hmax) * MIN (w / NW_STATS_BINS * 1.6, 9);
      if (p->hist[k] <= 0)
        continue;
      cairo_new_path (cr);
      cairo_arc (cr, PX (x), PY (nw_activation_value (p->activation, x)), MAX (r, 1.2), 0, 2 * G_PI);
      nw_plot_rgb (cr, NW_COLOUR_TRAIN, 0.55);
      cairo_fill (cr);
    }
  cairo_restore (cr);

  nw_plot_rgb (cr, NW_COLOUR_INK, 0.35);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, w - 1, h - 1);
  cairo_stroke (cr);

  /* Axis: lo, 0, hi (the 0 where it clears the two ends). */
  {
    double lo_w, hi_w, zero_w = nw_plot_text_width (cr, "0", NW_TEXT_SMALL, FALSE);
    g_snprintf (buf, sizeof buf, "%g", p->lo);
    lo_w = nw_plot_text (cr, buf, x0, y0 + h + 2, 0, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
    g_snprintf (buf, sizeof buf, "%g", p->hi);
    hi_w = nw_plot_text (cr, buf, x0 + w, y0 + h + 2, 1, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
    if (p->lo < 0 && p->hi > 0 && PX (0) - zero_w / 2 > x0 + lo_w + 4
        && PX (0) + zero_w / 2 < x0 + w - hi_w - 4)
      nw_plot_text (cr, "0", PX (0), y0 + h + 2, 0.5, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
  }

  /* Title, and inside the plot's top-left corner (empty for these rising curves) the share
   * of inputs that pass no gradient, on a veil so the dots and the curve do not cross it.
   * Cut short with an ellipsis when the panel is narrow; ReLU's second figure goes first. */
  {
    /* The layer's id and its activation's label, in the reader's language ("act1 · Sigmoid",
     * "act1 · 시그모이드") */
    const NwActivationInfo *info = nw_activation_info (p->activation);
    g_snprintf (buf, sizeof buf, "%s · %s", p->name,
                info != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, "activation", info->label)
                             : nw_activation_name (p->activation));
  }
  nw_plot_text_fit (cr, buf, x0, y0 - m->title / 2 - 1, 0, 0.5, NW_TEXT_NORMAL, NW_COLOUR_INK,
                    TRUE, w);
  buf[0] = '\0';
  if (isfinite (share))
    {
      if (relu_like)
        {
          g_snprintf (buf, sizeof buf, _("dead units %.0f%% · inputs \u2264 0: %.0f%%"), 100 * share,
                      100 * p->dead);
          if (nw_plot_text_width (cr, buf, NW_TEXT_SMALL, share > 0.5) > w - 8)
            g_snprintf (buf, sizeof buf, _("dead units %.0f%%"), 100 * share);
        }
      else
        g_snprintf (buf, sizeof buf, _("saturated %.0f%%"), 100 * share);
    }
  else if (zero_by_design)
    g_strlcpy (buf, _("gradient 0 by design"), sizeof buf);
  else if (!elementwise)
    g_strlcpy (buf, _("along each row"), sizeof buf);
  if (buf[0] != '\0')
    {
      gboolean alarm = isfinite (share) && share > 0.5;
      double tw = MIN (nw_plot_text_width (cr, buf, NW_TEXT_SMALL, alarm), w - 8);
      double th = nw_plot_line_height (cr, NW_TEXT_SMALL);
      nw_plot_rgb (cr, NW_COLOUR_PAPER, 0.8);
      cairo_rectangle (cr, x0 + 1, y0 + 1, tw + 6, th + 3);
      cairo_fill (cr);
      nw_plot_text_fit (cr, buf, x0 + 4, y0 + 2, 0, 0, NW_TEXT_SMALL,
                        alarm ? NW_COLOUR_ALARM : NW_COLOUR_MUTED, alarm, w - 8);
    }
#undef PX
#undef PY
#undef DY
}

void
nw_activation_plot_draw (NwActivationPlot *self, cairo_t *cr, int width, int height)
{
  PanelMetrics m;
  nw_plot_begin (cr, GTK_WIDGET (self));
  if (self->panels->len == 0)
    {
      nw_plot_empty_message (cr, width, height, _("No activation layer"));
      return;
    }
  panel_metrics (cr, &m);
  for (guint i = 0; i < self->panels->len; i++)
    {
      double x, y, w, h;
      panel_area (self, &m, width, height, i, &x, &y, &w, &h);
      draw_panel (cr, &m, &g_array_index (self->panels, Panel, i), x, y, w, h);
    }
}

static void
nw_activation_plot_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_activation_plot_draw (NW_ACTIVATION_PLOT (widget), cr, width, height);
  cairo_destroy (cr);
}

/* Height for width: as many rows of panels as the width leaves, each tall enough to read. */
static void
nw_activation_plot_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                            int *minimum, int *natural, int *minimum_baseline,
                            int *natural_baseline)
{
  NwActivationPlot *self = NW_ACTIVATION_PLOT (widget);
  cairo_t *cr = nw_plot_measure_context (widget);
  PanelMetrics m;
  panel_metrics (cr, &m);
  cairo_destroy (cr);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (m.min_w + 8);
      *natural = (int) ceil (MAX (self->panels->len, 1) * (m.min_w * 1.3 + PANEL_GAP) + 8);
    }
  else
    {
      int cols, rows;
      double panel = m.title + m.axis + m.min_plot_h;
      grid_shape (MAX (self->panels->len, 1), for_size > 0 ? for_size : (int) (m.min_w + 8),
                  m.min_w, &cols, &rows);
      *minimum = (int) ceil (rows * panel + (rows - 1) * PANEL_GAP);
      *natural = (int) ceil (rows * (panel + m.min_plot_h * 0.5) + (rows - 1) * PANEL_GAP);
    }
}

static GtkSizeRequestMode
nw_activation_plot_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
nw_activation_plot_finalize (GObject *object)
{
  NwActivationPlot *self = NW_ACTIVATION_PLOT (object);
  g_clear_pointer (&self->panels, g_array_unref);
  G_OBJECT_CLASS (nw_activation_plot_parent_class)->finalize (object);
}

static void
nw_activation_plot_class_init (NwActivationPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->finalize = nw_activation_plot_finalize;
  widget_class->snapshot = nw_activation_plot_snapshot;
  widget_class->measure = nw_activation_plot_measure;
  widget_class->get_request_mode = nw_activation_plot_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "activationplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_activation_plot_init (NwActivationPlot *self)
{
  self->panels = g_array_new (FALSE, TRUE, sizeof (Panel));
  g_array_set_clear_func (self->panels, panel_clear);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Activations"), -1);
}

GtkWidget *
nw_activation_plot_new (void)
{
  return g_object_new (NW_TYPE_ACTIVATION_PLOT, NULL);
}
