/* nw-loss-plot.c: loss and accuracy curves. */
#include "nw-loss-plot.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>

enum { COL_STEP, COL_TRAIN_LOSS, COL_TRAIN_ACC, COL_TEST_LOSS, COL_TEST_ACC, N_COLS };

struct _NwLossPlot
{
  GtkWidget  parent_instance;
  NwHistory  history;
  gboolean   log_scale;
  double     hover_x;
  double     test_loss, test_acc;   /* the last measured, carried until the next */
};

G_DEFINE_FINAL_TYPE (NwLossPlot, nw_loss_plot, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_LOG_SCALE, N_PROPS };
static GParamSpec *properties[N_PROPS];


void
nw_loss_plot_clear (NwLossPlot *self)
{
  g_return_if_fail (NW_IS_LOSS_PLOT (self));
  nw_history_clear (&self->history);
  self->test_loss = self->test_acc = NAN;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_loss_plot_add (NwLossPlot *self, gint64 step, double train_loss, double train_acc,
                  double test_loss, double test_acc)
{
  const NwHistory *h = &self->history;
  double row[N_COLS];
  g_return_if_fail (NW_IS_LOSS_PLOT (self));
  /* A step earlier than the last one means the run was reset or replaced. */
  if (h->n > 0 && step < nw_history_row (h, h->n - 1)[COL_STEP])
    nw_loss_plot_clear (self);
  /* The test split is measured every few snapshots: between two measurements the curve
   * holds the last one, so thinning the history never loses them. */
  if (isfinite (test_loss))
    {
      self->test_loss = test_loss;
      self->test_acc = test_acc;
    }
  row[COL_STEP] = (double) step;
  row[COL_TRAIN_LOSS] = train_loss;
  row[COL_TRAIN_ACC] = train_acc;
  row[COL_TEST_LOSS] = self->test_loss;
  row[COL_TEST_ACC] = self->test_acc;
  /* The same step again (a snapshot while paused): keep any test value already there. */
  if (h->n > 0 && step == nw_history_row (h, h->n - 1)[COL_STEP])
    {
      double *last = self->history.rows + (gsize) (h->n - 1) * N_COLS;
      for (int k = 1; k < N_COLS; k++)
        if (isfinite (row[k]))
          last[k] = row[k];
    }
  else if (isfinite (train_loss) || isfinite (test_loss))
    nw_history_push (&self->history, row);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_loss_plot_push_snapshot (NwLossPlot *self, const NwSnapshot *snap)
{
  g_return_if_fail (snap != NULL);
  nw_loss_plot_add (self, snap->step, snap->train_loss, snap->train_acc, snap->test_loss,
                    snap->test_acc);
}

int
nw_loss_plot_get_n_points (NwLossPlot *self)
{
  g_return_val_if_fail (NW_IS_LOSS_PLOT (self), 0);
  return self->history.n;
}

void
nw_loss_plot_set_log_scale (NwLossPlot *self, gboolean log_scale)
{
  g_return_if_fail (NW_IS_LOSS_PLOT (self));
  log_scale = !!log_scale;
  if (log_scale == self->log_scale)
    return;
  self->log_scale = log_scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
nw_loss_plot_get_log_scale (NwLossPlot *self)
{
  g_return_val_if_fail (NW_IS_LOSS_PLOT (self), FALSE);
  return self->log_scale;
}

void
nw_loss_plot_set_hover_x (NwLossPlot *self, double x)
{
  g_return_if_fail (NW_IS_LOSS_PLOT (self));
  if (x == self->hover_x)
    return;
  self->hover_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

typedef struct {
  double x0, y0, w, h;        /* plot area */
  double s_lo, s_hi;          /* steps */
  double l_lo, l_hi;          /* loss axis (log10 of it in log scale) */
  gboolean log;
} Frame;

static double
fx (const Frame *f, double step)
{
  return f->x0 + (step - f->s_lo) / (f->s_hi - f->s_lo) * f->w;
}

static double
fy_loss (const Frame *f, double loss)
{
  double v = f->log ? log10 (MAX (loss, 1e-12)) : loss;
  return f->y0 + f->h - (v - f->l_lo) / (f->l_hi - f->l_lo) * f->h;
}

static double
fy_acc (const Frame *f, double acc)
{
  return f->y0 + f->h - acc * f->h;
}

static void
draw_series (NwLossPlot *self, cairo_t *cr, const Frame *f, int col, guint32 colour,
             double width, gboolean dashed, gboolean is_acc)
{
  const NwHistory *h = &self->history;
  int drawn;
  double last_x = 0, last_y = 0;
  double col_x = -1, acc_y = 0;
  int acc_n = 0;
  NwPolyline line;
  cairo_save (cr);
  cairo_rectangle (cr, f->x0, f->y0 - 2, f->w, f->h + 4);
  cairo_clip (cr);
  nw_plot_rgb (cr, colour, is_acc ? 0.55 : 1.0);
  cairo_set_line_width (cr, width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (dashed)
    {
      static const double dash[] = { 5, 3 };
      cairo_set_dash (cr, dash, 2, 0);
    }
  /* At most one vertex per pixel column (the mean of the rows that fall there). */
  nw_polyline_begin (&line, cr);
  for (int i = 0; i <= h->n; i++)
    {
      const double *row = i < h->n ? nw_history_row (h, i) : NULL;
      double x = -2;
      if (row != NULL && !isfinite (row[col]))
        continue;   /* not measured: join the measured ones */
      if (row != NULL)
        x = floor (fx (f, row[COL_STEP]));
      if (acc_n > 0 && x != col_x)
        {
          last_x = col_x;
          last_y = acc_y / acc_n;
          nw_polyline_to (&line, last_x, last_y);
          acc_n = 0;
          acc_y = 0;
        }
      if (row == NULL)
        break;
      col_x = x;
      acc_y += is_acc ? fy_acc (f, row[col]) : fy_loss (f, row[col]);
      acc_n++;
    }
  drawn = nw_polyline_end (&line);
  if (drawn == 1)
    {
      cairo_arc (cr, last_x, last_y, width + 1, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/* The legend's items: a swatch 16 px wide, 4 px, the text, 14 px to the next. */
#define LEGEND_SWATCH 20.0
#define LEGEND_GAP    14.0

static void
legend_item (cairo_t *cr, double *x, double y, const char *text, guint32 colour, gboolean dashed)
{
  cairo_save (cr);
  nw_plot_rgb (cr, colour, dashed ? 0.55 : 1.0);
  cairo_set_line_width (cr, dashed ? 1.5 : 2.0);
  if (dashed)
    {
      static const double dash[] = { 4, 2 };
      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_move_to (cr, *x, y);
  cairo_line_to (cr, *x + 16, y);
  cairo_stroke (cr);
  cairo_restore (cr);
  *x += LEGEND_SWATCH + nw_plot_text (cr, text, *x + LEGEND_SWATCH, y, 0, 0.5, NW_TEXT_SMALL,
                                      NW_COLOUR_INK, FALSE) + LEGEND_GAP;
}

void
nw_loss_plot_draw (NwLossPlot *self, cairo_t *cr, int width, int height)
{
  const NwHistory *h = &self->history;
  Frame f = { 0 };
  double lo = INFINITY, hi = -INFINITY, ticks[16], lx = 0, left = 0, right, lh, top;
  const char *legend[4] = { _("train loss"), _("test loss"), _("train acc."), _("test acc.") };
  char labels[16][32];
  int n_ticks, legend_break = 4, every;
  char buf[32];

  nw_plot_begin (cr, GTK_WIDGET (self));
  f.log = self->log_scale;

  /* Ranges, from the data the plot keeps. */
  for (int i = 0; i < h->n; i++)
    {
      const double *row = nw_history_row (h, i);
      for (int c = COL_TRAIN_LOSS; c <= COL_TEST_LOSS; c += COL_TEST_LOSS - COL_TRAIN_LOSS)
        if (isfinite (row[c]) && (!f.log || row[c] > 0))
          {
            lo = MIN (lo, row[c]);
            hi = MAX (hi, row[c]);
          }
    }
  f.s_lo = h->n > 0 ? nw_history_row (h, 0)[COL_STEP] : 0;
  f.s_hi = h->n > 0 ? nw_history_row (h, h->n - 1)[COL_STEP] : 1;
  if (f.s_hi <= f.s_lo)
    f.s_hi = f.s_lo + 1;
  if (!isfinite (lo))
    {
      lo = f.log ? 0.01 : 0;
      hi = 1;
    }
  if (f.log)
    {
      f.l_lo = floor (log10 (MAX (lo, 1e-12)));
      f.l_hi = ceil (log10 (MAX (hi, 1e-12)));
      if (f.l_hi <= f.l_lo)
        f.l_hi = f.l_lo + 1;
    }
  else
    {
      f.l_lo = 0;
      f.l_hi = hi > 0 ? hi * 1.08 : 1;
    }

  /* The loss ticks and their labels first: the left margin is the widest label's. */
  if (f.log)
    {
      n_ticks = 0;
      for (double e = f.l_lo; e <= f.l_hi + 1e-9 && n_ticks < 16; e += 1)
        ticks[n_ticks++] = e;
    }
  else
    n_ticks = nw_plot_ticks (f.l_lo, f.l_hi, 5, ticks);
  for (int i = 0; i < n_ticks; i++)
    {
      if (f.log)
        g_snprintf (labels[i], sizeof labels[i], "1e%d", (int) ticks[i]);
      else
        nw_plot_format (ticks[i], labels[i], sizeof labels[i]);
      left = MAX (left, nw_plot_text_width (cr, labels[i], NW_TEXT_SMALL, FALSE));
    }
  left = ceil (MAX (left, nw_plot_text_width (cr, "0.8", NW_TEXT_SMALL, FALSE))) + 9;
  right = ceil (nw_plot_text_width (cr, "100%", NW_TEXT_SMALL, FALSE)) + 9;
  /* The legend in one row, or two when one is too narrow. */
  lh = ceil (nw_plot_line_height (cr, NW_TEXT_SMALL));
  {
    double row = 0;
    for (int k = 0; k < 4; k++)
      row += LEGEND_SWATCH + nw_plot_text_width (cr, legend[k], NW_TEXT_SMALL, FALSE) + LEGEND_GAP;
    if (left + row - LEGEND_GAP > width - 4)
      legend_break = 2;
  }
  top = (legend_break < 4 ? 2 : 1) * (lh + 2) + 6;
  f.x0 = left;
  f.y0 = top;
  f.w = width - left - right;
  f.h = height - top - lh - 8;
  if (f.w < 20 || f.h < 20)
    return;

  /* Paper, grid and loss ticks (left). */
  nw_plot_rgb (cr, NW_COLOUR_PAPER, 1.0);
  cairo_rectangle (cr, f.x0, f.y0, f.w, f.h);
  cairo_fill (cr);
  cairo_set_line_width (cr, 1.0);
  /* On a log axis of many decades, a label every so many that they never meet. */
  every = 1;
  if (f.log && n_ticks > 1)
    every = MAX (1, (int) ceil ((lh + 1) / MAX (f.h / (f.l_hi - f.l_lo), 1)));
  for (int i = 0; i < n_ticks; i++)
    {
      double y = f.log ? f.y0 + f.h - (ticks[i] - f.l_lo) / (f.l_hi - f.l_lo) * f.h
                       : fy_loss (&f, ticks[i]);
      y = round (y) + 0.5;
      nw_plot_rgb (cr, NW_COLOUR_GRID, 1.0);
      cairo_move_to (cr, f.x0, y);
      cairo_line_to (cr, f.x0 + f.w, y);
      cairo_stroke (cr);
      if (i % every == 0)
        nw_plot_text (cr, labels[i], f.x0 - 5, y, 1.0, 0.5, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
    }
  /* Accuracy ticks (right). */
  for (int p = 0; p <= 100; p += 50)
    {
      g_snprintf (buf, sizeof buf, "%d%%", p);
      nw_plot_text (cr, buf, f.x0 + f.w + 5, fy_acc (&f, p / 100.0), 0.0, 0.5, NW_TEXT_SMALL,
                    NW_COLOUR_MUTED, FALSE);
    }
  /* Step ticks (bottom). */
  n_ticks = nw_plot_ticks (f.s_lo, f.s_hi,
                           MAX (2, (int) (f.w / (nw_plot_text_width (cr, "000.0k", NW_TEXT_SMALL,
                                                                     FALSE) + 16))),
                           ticks);
  for (int i = 0; i < n_ticks; i++)
    {
      double x = round (fx (&f, ticks[i])) + 0.5;
      nw_plot_rgb (cr, NW_COLOUR_MUTED, 1.0);
      cairo_move_to (cr, x, f.y0 + f.h);
      cairo_line_to (cr, x, f.y0 + f.h + 4);
      cairo_stroke (cr);
      nw_plot_format (ticks[i], buf, sizeof buf);
      nw_plot_text (cr, buf, MIN (x, width - 2 - nw_plot_text_width (cr, buf, NW_TEXT_SMALL, FALSE) / 2),
                    f.y0 + f.h + 5, 0.5, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE);
    }
  nw_plot_rgb (cr, NW_COLOUR_INK, 0.35);
  cairo_rectangle (cr, f.x0 + 0.5, f.y0 + 0.5, f.w - 1, f.h - 1);
  cairo_stroke (cr);

  /* Legend. */
  for (int k = 0; k < 4; k++)
    {
      static const guint32 colours[4] = { NW_COLOUR_TRAIN, NW_COLOUR_TEST, NW_COLOUR_TRAIN,
                                          NW_COLOUR_TEST };
      double y = 3 + lh / 2 + (k >= legend_break ? lh + 2 : 0);
      if (k == 0 || k == legend_break)
        lx = f.x0;
      legend_item (cr, &lx, y, legend[k], colours[k], k >= 2);
    }

  if (h->n == 0)
    {
      nw_plot_text_wrapped (cr, _("Press Play to start training"), f.x0 + f.w / 2, f.y0 + f.h / 2,
                            f.w - 8, NW_TEXT_NORMAL, NW_COLOUR_MUTED);
      return;
    }

  draw_series (self, cr, &f, COL_TRAIN_ACC, NW_COLOUR_TRAIN, 1.5, TRUE, TRUE);
  draw_series (self, cr, &f, COL_TEST_ACC, NW_COLOUR_TEST, 1.5, TRUE, TRUE);
  draw_series (self, cr, &f, COL_TEST_LOSS, NW_COLOUR_TEST, 2.0, FALSE, FALSE);
  draw_series (self, cr, &f, COL_TRAIN_LOSS, NW_COLOUR_TRAIN, 2.0, FALSE, FALSE);

  /* The values under the pointer. */
  if (self->hover_x >= f.x0 && self->hover_x <= f.x0 + f.w)
    {
      double step = f.s_lo + (self->hover_x - f.x0) / f.w * (f.s_hi - f.s_lo);
      int best = 0;
      const double *row;
      double x, bx, by, bw, bh = 4 * (lh + 1) + 10;
      char lines[5][64];
      for (int i = 1; i < h->n; i++)
        if (fabs (nw_history_row (h, i)[COL_STEP] - step)
            < fabs (nw_history_row (h, best)[COL_STEP] - step))
          best = i;
      row = nw_history_row (h, best);
      x = round (fx (&f, row[COL_STEP])) + 0.5;
      nw_plot_rgb (cr, NW_COLOUR_INK, 0.4);
      cairo_move_to (cr, x, f.y0);
      cairo_line_to (cr, x, f.y0 + f.h);
      cairo_stroke (cr);
      g_snprintf (lines[0], sizeof lines[0], _("step %.0f"), row[COL_STEP]);
      g_snprintf (lines[1], sizeof lines[1], _("train loss %.4g"), row[COL_TRAIN_LOSS]);
      g_snprintf (lines[2], sizeof lines[2], isfinite (row[COL_TEST_LOSS]) ? _("test loss %.4g")
                  : _("test loss –"), row[COL_TEST_LOSS]);
      g_snprintf (lines[3], sizeof lines[3], _("accuracy %.1f%% / %s"), 100 * row[COL_TRAIN_ACC],
                  isfinite (row[COL_TEST_ACC]) ? "" : "–");
      if (isfinite (row[COL_TEST_ACC]))
        g_snprintf (lines[3], sizeof lines[3], _("accuracy %.1f%% / %.1f%%"),
                    100 * row[COL_TRAIN_ACC], 100 * row[COL_TEST_ACC]);
      bw = 0;
      for (int k = 0; k < 4; k++)
        bw = MAX (bw, nw_plot_text_width (cr, lines[k], NW_TEXT_SMALL, k == 0));
      bw += 16;
      bx = x + 8 + bw > f.x0 + f.w ? x - 8 - bw : x + 8;
      by = f.y0 + 6;
      nw_plot_round_rect (cr, bx, by, bw, bh, 4);
      nw_plot_rgb (cr, NW_COLOUR_PAPER, 0.94);
      cairo_fill_preserve (cr);
      nw_plot_rgb (cr, NW_COLOUR_INK, 0.25);
      cairo_stroke (cr);
      for (int k = 0; k < 4; k++)
        nw_plot_text (cr, lines[k], bx + 8, by + 5 + (lh + 1) * k, 0, 0, NW_TEXT_SMALL,
                      k == 1 ? NW_COLOUR_TRAIN : k == 2 ? NW_COLOUR_TEST : NW_COLOUR_INK, k == 0);
    }
}

static void
nw_loss_plot_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_loss_plot_draw (NW_LOSS_PLOT (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
nw_loss_plot_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                      int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  double em = nw_plot_widget_font_px (widget);
  *minimum = (int) ceil (orientation == GTK_ORIENTATION_HORIZONTAL ? 18 * em : 10 * em);
  *natural = (int) ceil (orientation == GTK_ORIENTATION_HORIZONTAL ? 36 * em : 16 * em);
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, NwLossPlot *self)
{
  nw_loss_plot_set_hover_x (self, x);
}

static void
on_leave (GtkEventControllerMotion *motion, NwLossPlot *self)
{
  nw_loss_plot_set_hover_x (self, -1);
}

static void
nw_loss_plot_finalize (GObject *object)
{
  NwLossPlot *self = NW_LOSS_PLOT (object);
  nw_history_free (&self->history);
  G_OBJECT_CLASS (nw_loss_plot_parent_class)->finalize (object);
}

static void
nw_loss_plot_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwLossPlot *self = NW_LOSS_PLOT (object);
  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      g_value_set_boolean (value, self->log_scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_loss_plot_set_property (GObject *object, guint prop_id, const GValue *value,
                           GParamSpec *pspec)
{
  NwLossPlot *self = NW_LOSS_PLOT (object);
  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      nw_loss_plot_set_log_scale (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_loss_plot_class_init (NwLossPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = nw_loss_plot_finalize;
  object_class->get_property = nw_loss_plot_get_property;
  object_class->set_property = nw_loss_plot_set_property;
  widget_class->snapshot = nw_loss_plot_snapshot;
  widget_class->measure = nw_loss_plot_measure;

  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "lossplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_loss_plot_init (NwLossPlot *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  nw_history_init (&self->history, N_COLS, 1200);
  self->hover_x = -1;
  self->test_loss = self->test_acc = NAN;
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Loss and accuracy plot"), -1);
}

GtkWidget *
nw_loss_plot_new (void)
{
  return g_object_new (NW_TYPE_LOSS_PLOT, NULL);
}
