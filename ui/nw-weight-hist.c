/* nw-weight-hist.c: weight histograms over time, stacked. */
#include "nw-weight-hist.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>
#include <string.h>

enum { COL_STEP, COL_LO, COL_HI, COL_BIN0, N_COLS = COL_BIN0 + NW_STATS_BINS };

typedef struct {
  char      *name;
  NwHistory  history;     /* step, lo, hi, then the bins normalised to a peak of 1 */
} Layer;

struct _NwWeightHist
{
  GtkWidget  parent_instance;
  GArray    *layers;      /* of Layer */
  gint64     step;
};

G_DEFINE_FINAL_TYPE (NwWeightHist, nw_weight_hist, GTK_TYPE_WIDGET)

#define DEPTH 20
#define GAP   14.0

static void
layer_clear (gpointer data)
{
  Layer *l = data;
  g_free (l->name);
  nw_history_free (&l->history);
}

void
nw_weight_hist_clear (NwWeightHist *self)
{
  g_return_if_fail (NW_IS_WEIGHT_HIST (self));
  g_array_set_size (self->layers, 0);
  self->step = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
has_weights (const NwLayerProbe *p)
{
  return isfinite (p->weight_norm) && p->whist_hi > p->whist_lo;
}

static gboolean
same_layers (NwWeightHist *self, const NwSnapshot *snap, const char *const *ids)
{
  guint k = 0;
  for (int i = 0; i < snap->n_layers; i++)
    {
      if (!has_weights (&snap->layers[i]))
        continue;
      if (k >= self->layers->len
          || g_strcmp0 (ids != NULL ? ids[i] : snap->layers[i].id,
                        g_array_index (self->layers, Layer, k).name) != 0)
        return FALSE;
      k++;
    }
  return k == self->layers->len;
}

void
nw_weight_hist_push_snapshot (NwWeightHist *self, const NwSnapshot *snap, const char *const *ids)
{
  guint k = 0;
  g_return_if_fail (NW_IS_WEIGHT_HIST (self));
  g_return_if_fail (snap != NULL);

  if (!same_layers (self, snap, ids) || snap->step < self->step)
    {
      nw_weight_hist_clear (self);
      for (int i = 0; i < snap->n_layers; i++)
        if (has_weights (&snap->layers[i]))
          {
            Layer l = { g_strdup (ids != NULL ? ids[i] : snap->layers[i].id) };
            nw_history_init (&l.history, N_COLS, DEPTH);
            g_array_append_val (self->layers, l);
          }
      gtk_widget_queue_resize (GTK_WIDGET (self));   /* rows of panels: another height */
    }
  if (snap->step == self->step && self->layers->len > 0
      && g_array_index (self->layers, Layer, 0).history.n > 0)
    return;   /* nothing new: a snapshot while paused */
  self->step = snap->step;
  for (int i = 0; i < snap->n_layers; i++)
    {
      const NwLayerProbe *p = &snap->layers[i];
      double row[N_COLS], peak = 0;
      if (!has_weights (p))
        continue;
      row[COL_STEP] = (double) snap->step;
      row[COL_LO] = p->whist_lo;
      row[COL_HI] = p->whist_hi;
      /* Smoothed a little ([1 4 6 4 1] / 16): a small layer's few weights would otherwise
       * draw as spikes; then scaled to a peak of 1. */
      for (int b = 0; b < NW_STATS_BINS; b++)
        {
          static const double kernel[5] = { 1, 4, 6, 4, 1 };
          double v = 0;
          for (int k = -2; k <= 2; k++)
            if (b + k >= 0 && b + k < NW_STATS_BINS)
              v += kernel[k + 2] * p->whist[b + k] / 16.0;
          row[COL_BIN0 + b] = v;
          peak = MAX (peak, v);
        }
      for (int b = 0; b < NW_STATS_BINS; b++)
        row[COL_BIN0 + b] = peak > 0 ? row[COL_BIN0 + b] / peak : 0;
      nw_history_push (&g_array_index (self->layers, Layer, k).history, row);
      k++;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
nw_weight_hist_get_n_layers (NwWeightHist *self)
{
  g_return_val_if_fail (NW_IS_WEIGHT_HIST (self), 0);
  return self->layers->len;
}

int
nw_weight_hist_get_depth (NwWeightHist *self, int i)
{
  g_return_val_if_fail (NW_IS_WEIGHT_HIST (self), 0);
  g_return_val_if_fail (i >= 0 && (guint) i < self->layers->len, 0);
  return g_array_index (self->layers, Layer, i).history.n;
}

static void
draw_layer (cairo_t *cr, const Layer *l, double x0, double y0, double w, double h, double title,
            guint32 colour)
{
  const NwHistory *hist = &l->history;
  double lo = INFINITY, hi = -INFINITY, ridge_h = h * 0.42, ticks[8], name_w;
  int n = hist->n, n_ticks;
  char buf[64];

  /* The name first; the step beside it only where both fit. */
  name_w = nw_plot_text_fit (cr, l->name, x0, y0 - title / 2 - 1, 0, 0.5, NW_TEXT_NORMAL,
                             NW_COLOUR_INK, TRUE, w);
  if (n == 0)
    return;
  for (int i = 0; i < n; i++)
    {
      lo = MIN (lo, nw_history_row (hist, i)[COL_LO]);
      hi = MAX (hi, nw_history_row (hist, i)[COL_HI]);
    }
  if (hi <= lo)
    hi = lo + 1;

  nw_plot_rgb (cr, NW_COLOUR_PAPER, 1.0);
  cairo_rectangle (cr, x0, y0, w, h);
  cairo_fill (cr);
  n_ticks = nw_plot_ticks (lo, hi, 4, ticks);
  cairo_set_line_width (cr, 1.0);
  for (int t = 0; t < n_ticks; t++)
    {
      double x = round (x0 + (ticks[t] - lo) / (hi - lo) * w) + 0.5;
      nw_plot_rgb (cr, NW_COLOUR_GRID, 1.0);
      cairo_move_to (cr, x, y0);
      cairo_line_to (cr, x, y0 + h);
      cairo_stroke (cr);
      nw_plot_format (ticks[t], buf, sizeof buf);
      {
        /* Kept under the panel: the end labels would run into the next one. */
        double tw = nw_plot_text_width (cr, buf, NW_TEXT_SMALL, FALSE);
        double tx = CLAMP (x, x0 + tw / 2, x0 + w - tw / 2);
        if (tw < w)
          nw_plot_text (cr, buf, tx, y0 + h + 2, 0.5, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
      }
    }

  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, w, h);
  cairo_clip (cr);
  for (int i = 0; i < n; i++)
    {
      const double *row = nw_history_row (hist, i);
      double age = n > 1 ? (double) i / (n - 1) : 1.0;   /* 0 oldest, 1 newest */
      double base = y0 + ridge_h + 2 + age * (h - ridge_h - 4);
      double bw = (row[COL_HI] - row[COL_LO]) / NW_STATS_BINS;
      cairo_new_path (cr);
      cairo_move_to (cr, x0 + (row[COL_LO] - lo) / (hi - lo) * w, base);
      for (int b = 0; b < NW_STATS_BINS; b++)
        {
          double xc = row[COL_LO] + (b + 0.5) * bw;
          cairo_line_to (cr, x0 + (xc - lo) / (hi - lo) * w, base - row[COL_BIN0 + b] * ridge_h);
        }
      cairo_line_to (cr, x0 + (row[COL_HI] - lo) / (hi - lo) * w, base);
      cairo_close_path (cr);
      nw_plot_rgb (cr, colour, 0.18 + 0.72 * age);
      cairo_fill (cr);
      /* The ridge line on top, without the baseline (cheaper than stroking the outline). */
      cairo_move_to (cr, x0 + (row[COL_LO] - lo) / (hi - lo) * w, base);
      for (int b = 0; b < NW_STATS_BINS; b++)
        {
          double xc = row[COL_LO] + (b + 0.5) * bw;
          cairo_line_to (cr, x0 + (xc - lo) / (hi - lo) * w, base - row[COL_BIN0 + b] * ridge_h);
        }
      cairo_line_to (cr, x0 + (row[COL_HI] - lo) / (hi - lo) * w, base);
      nw_plot_rgb (cr, NW_COLOUR_PAPER, 0.9);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  nw_plot_rgb (cr, NW_COLOUR_INK, 0.35);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, w - 1, h - 1);
  cairo_stroke (cr);
  g_snprintf (buf, sizeof buf, _("step %.0f"), nw_history_row (hist, n - 1)[COL_STEP]);
  if (name_w + 8 + nw_plot_text_width (cr, buf, NW_TEXT_SMALL, FALSE) <= w)
    nw_plot_text (cr, buf, x0 + w, y0 - title / 2 - 1, 1, 0.5, NW_TEXT_SMALL, NW_COLOUR_MUTED,
                  FALSE);
}

/* The panels' grid: as many columns as fit panels min_w wide. */
static void
panel_grid (guint n, int width, double min_w, int *cols, int *rows)
{
  int c = (int) MIN (n, 4);
  while (c > 1 && (width - (c - 1) * GAP) / c < min_w)
    c--;
  *cols = MAX (c, 1);
  *rows = MAX (((int) n + *cols - 1) / *cols, 1);
}

void
nw_weight_hist_draw (NwWeightHist *self, cairo_t *cr, int width, int height)
{
  guint n = self->layers->len;
  int cols, rows;
  double pw, ph, title, axis;
  nw_plot_begin (cr, GTK_WIDGET (self));
  if (n == 0)
    {
      nw_plot_empty_message (cr, width, height, _("No layer with weights"));
      return;
    }
  title = ceil (nw_plot_line_height (cr, NW_TEXT_NORMAL)) + 3;
  axis = ceil (nw_plot_line_height (cr, NW_TEXT_SMALL)) + 3;
  panel_grid (n, width, 9 * nw_plot_font_px (cr), &cols, &rows);
  pw = (width - 8 - (cols - 1) * GAP) / cols;
  ph = (height - (rows - 1) * GAP) / rows;
  for (guint i = 0; i < n; i++)
    draw_layer (cr, &g_array_index (self->layers, Layer, i),
                4 + (i % cols) * (pw + GAP), (i / cols) * (ph + GAP) + title, pw,
                MAX (ph - title - axis, 10), title, nw_plot_layer_colour (i, n));
}

static void
nw_weight_hist_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_weight_hist_draw (NW_WEIGHT_HIST (widget), cr, width, height);
  cairo_destroy (cr);
}

/* Height for width: a row of panels per 4 layers or fewer, each tall enough to read. */
static void
nw_weight_hist_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                        int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  NwWeightHist *self = NW_WEIGHT_HIST (widget);
  double em = nw_plot_widget_font_px (widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (9 * em + 8);
      *natural = (int) ceil (MAX (self->layers->len, 1) * (12 * em + GAP) + 8);
    }
  else
    {
      int cols, rows;
      /* title + axis (about 1.4 em each) and a plot of 3.2 em */
      double panel = 6 * em;
      panel_grid (MAX (self->layers->len, 1), for_size > 0 ? for_size : (int) (9 * em + 8),
                  9 * em, &cols, &rows);
      *minimum = (int) ceil (rows * panel + (rows - 1) * GAP);
      *natural = (int) ceil (rows * (panel + 2 * em) + (rows - 1) * GAP);
    }
}

static GtkSizeRequestMode
nw_weight_hist_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
nw_weight_hist_finalize (GObject *object)
{
  NwWeightHist *self = NW_WEIGHT_HIST (object);
  g_clear_pointer (&self->layers, g_array_unref);
  G_OBJECT_CLASS (nw_weight_hist_parent_class)->finalize (object);
}

static void
nw_weight_hist_class_init (NwWeightHistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->finalize = nw_weight_hist_finalize;
  widget_class->snapshot = nw_weight_hist_snapshot;
  widget_class->measure = nw_weight_hist_measure;
  widget_class->get_request_mode = nw_weight_hist_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "weighthist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_weight_hist_init (NwWeightHist *self)
{
  self->layers = g_array_new (FALSE, TRUE, sizeof (Layer));
  g_array_set_clear_func (self->layers, layer_clear);
  self->step = -1;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Weight histograms"), -1);
}

GtkWidget *
nw_weight_hist_new (void)
{
  return g_object_new (NW_TYPE_WEIGHT_HIST, NULL);
}
