/* nw-confusion-view.c: the confusion matrix, coloured by row share, with hover and click. */
#include "nw-confusion-view.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>
#include <string.h>

struct _NwConfusionView
{
  GtkWidget  parent_instance;
  int        n;
  guint      counts[NW_CONFUSION_MAX_CLASSES * NW_CONFUSION_MAX_CLASSES];
  guint64    row_total[NW_CONFUSION_MAX_CLASSES];
  guint64    total;
  char      *names[NW_CONFUSION_MAX_CLASSES];
  char      *message;
  int        hover_true, hover_pred;
};

G_DEFINE_FINAL_TYPE (NwConfusionView, nw_confusion_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_TOTAL, N_PROPS };
static GParamSpec *properties[N_PROPS];
enum { SIGNAL_CELL_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define BOTTOM   4.0
#define RIGHT_COLOUR  NW_COLOUR_TRAIN
#define WRONG_COLOUR  NW_COLOUR_TEST

static const char *
name_of (NwConfusionView *self, int c, char *buf, gsize size)
{
  if (self->names[c] != NULL)
    return self->names[c];
  g_snprintf (buf, size, "%d", c);
  return buf;
}

/* The matrix's square, with room for the axis titles and class labels (left, top) and the
 * recall column (right) in the widget's font, bound to `cr`. */
static void
grid_rect_in (cairo_t *cr, NwConfusionView *self, int width, int height, double *x0, double *y0,
              double *cell)
{
  int n = MAX (self->n, 1);
  double lh = ceil (nw_plot_line_height (cr, NW_TEXT_SMALL));
  double label = nw_plot_text_width (cr, "Wm", NW_TEXT_SMALL, TRUE);
  double left = lh + 4 + label + 6;
  double top = lh + 4 + lh + 4;
  double right = 6 + MAX (nw_plot_text_width (cr, "100.0%", NW_TEXT_SMALL, FALSE),
                          nw_plot_text_width (cr, _("right"), NW_TEXT_SMALL, FALSE)) + 2;
  double side = MIN (width - left - right, height - top - BOTTOM);
  *cell = MAX (floor (side / n), 4);
  *x0 = left + floor ((width - left - right - *cell * n) / 2);
  *y0 = top;
}

static void
grid_rect (NwConfusionView *self, int width, int height, double *x0, double *y0, double *cell)
{
  cairo_t *cr = nw_plot_measure_context (GTK_WIDGET (self));
  grid_rect_in (cr, self, width, height, x0, y0, cell);
  cairo_destroy (cr);
}

gboolean
nw_confusion_view_cell_at (NwConfusionView *self, int width, int height, double x, double y,
                           int *true_class, int *predicted)
{
  double x0, y0, cell;
  int c, r;
  g_return_val_if_fail (NW_IS_CONFUSION_VIEW (self), FALSE);
  if (self->n == 0 || self->message != NULL)
    return FALSE;
  grid_rect (self, width, height, &x0, &y0, &cell);
  c = (int) floor ((x - x0) / cell);
  r = (int) floor ((y - y0) / cell);
  if (x < x0 || y < y0 || c >= self->n || r >= self->n)
    return FALSE;
  *true_class = r;
  *predicted = c;
  return TRUE;
}

char *
nw_confusion_view_describe_cell (NwConfusionView *self, int t, int p)
{
  char a[32], b[32];
  guint count;
  double share;
  g_return_val_if_fail (NW_IS_CONFUSION_VIEW (self), NULL);
  if (t < 0 || p < 0 || t >= self->n || p >= self->n)
    return NULL;
  count = self->counts[t * self->n + p];
  share = self->row_total[t] > 0 ? (double) count / self->row_total[t] : 0.0;
  if (t == p)
    /* Translators: a cell of the confusion matrix on the diagonal: the true class, the class
     * read, how many of that class's test digits were read right */
    return g_strdup_printf (_("True %s, read as %s: %u of %llu (%.1f%%) right"),
                            name_of (self, t, a, sizeof a), name_of (self, p, b, sizeof b), count,
                            (unsigned long long) self->row_total[t], 100 * share);
  /* Translators: a cell of the confusion matrix off the diagonal: the true class, the class
   * predicted, how many of that class's test digits were read so */
  return g_strdup_printf (_("True %s, predicted %s: %u of %llu (%.1f%%)"),
                          name_of (self, t, a, sizeof a), name_of (self, p, b, sizeof b), count,
                          (unsigned long long) self->row_total[t], 100 * share);
}

static void
cell_rgb (gboolean diagonal, double share, double *r, double *g, double *b, double *t_out)
{
  guint32 to = diagonal ? RIGHT_COLOUR : WRONG_COLOUR;
  /* Mistakes are small shares: their colour is stretched so a 4% confusion is plain to see. */
  double t = diagonal ? sqrt (share) : MIN (1.0, 2.0 * sqrt (share));
  nw_plot_tint_rgb (to, t, r, g, b);
  *t_out = t;
}

static void
short_count (guint count, char *buf, gsize size)
{
  if (count >= 10000)
    g_snprintf (buf, size, "%.0fk", count / 1000.0);
  else
    g_snprintf (buf, size, "%u", count);
}

void
nw_confusion_view_draw (NwConfusionView *self, cairo_t *cr, int width, int height)
{
  double x0, y0, cell, lh;
  int n = self->n;
  char buf[32];

  nw_plot_begin (cr, GTK_WIDGET (self));
  if (self->message != NULL || n == 0)
    {
      nw_plot_empty_message (cr, width, height,
                             self->message != NULL ? self->message : _("No confusion matrix yet"));
      return;
    }
  grid_rect_in (cr, self, width, height, &x0, &y0, &cell);
  lh = ceil (nw_plot_line_height (cr, NW_TEXT_SMALL));

  /* Axis titles and class labels. */
  nw_plot_text_fit (cr, _("predicted"), x0 + cell * n / 2, 2, 0.5, 0, NW_TEXT_SMALL,
                    NW_COLOUR_MUTED, FALSE, cell * n);
  cairo_save (cr);
  cairo_translate (cr, 2, y0 + cell * n / 2);
  cairo_rotate (cr, -G_PI / 2);
  nw_plot_text_fit (cr, _("true"), 0, 0, 0.5, 0, NW_TEXT_SMALL, NW_COLOUR_MUTED, FALSE, cell * n);
  cairo_restore (cr);
  for (int c = 0; c < n; c++)
    {
      const char *name = name_of (self, c, buf, sizeof buf);
      char shortname[16];
      /* Long (Fashion-MNIST) names do not fit a cell: their first letters, full on hover. */
      g_utf8_strncpy (shortname, name, strlen (name) > 2 ? 2 : 3);
      nw_plot_text (cr, shortname, x0 + (c + 0.5) * cell, y0 - 3, 0.5, 1.0, NW_TEXT_SMALL,
                    NW_COLOUR_INK, TRUE);
      nw_plot_text (cr, shortname, x0 - 5, y0 + (c + 0.5) * cell, 1.0, 0.5, NW_TEXT_SMALL,
                    NW_COLOUR_INK, TRUE);
    }

  for (int t = 0; t < n; t++)
    for (int p = 0; p < n; p++)
      {
        guint count = self->counts[t * n + p];
        double share = self->row_total[t] > 0 ? (double) count / self->row_total[t] : 0.0;
        double r, g, b, k, cx = x0 + p * cell, cy = y0 + t * cell;
        cell_rgb (t == p, share, &r, &g, &b, &k);
        cairo_set_source_rgb (cr, r, g, b);
        cairo_rectangle (cr, cx, cy, cell - 1, cell - 1);
        cairo_fill (cr);
        if (count > 0 && cell >= lh)
          {
            double scale = NW_TEXT_SMALL;
            gboolean bold;
            short_count (count, buf, sizeof buf);
            /* Four digits (MNIST's 1135 ones) must fit the cell too: regular weight, then
             * smaller down to the least readable size; a count that still does not fit is
             * left to the cell's colour and its hover text. On the cell's own colour: white
             * on a dark cell, near-black on a light one, in any theme. */
            bold = t == p && strlen (buf) < 4;
            if (nw_plot_text_width (cr, buf, scale, bold) > cell - 2)
              bold = FALSE;
            while (nw_plot_text_width (cr, buf, scale, bold) > cell - 2
                   && nw_plot_text_px (cr, scale) > NW_TEXT_MIN_PX)
              scale *= 0.9;
            if (nw_plot_text_width (cr, buf, scale, bold) <= cell - 2)
              nw_plot_text (cr, buf, cx + (cell - 1) / 2, cy + (cell - 1) / 2, 0.5, 0.5, scale,
                            k > 0.55 ? 0xffffff : 0x241f31, bold);
          }
      }
  /* Grid frame. */
  nw_plot_rgb (cr, NW_COLOUR_INK, 0.2);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x0 - 0.5, y0 - 0.5, cell * n, cell * n);
  cairo_stroke (cr);

  /* Recall per class, at the right. */
  nw_plot_text (cr, _("right"), x0 + cell * n + 6, y0 - 3, 0.0, 1.0, NW_TEXT_SMALL,
                NW_COLOUR_MUTED, FALSE);
  for (int t = 0; t < n; t++)
    {
      double recall = self->row_total[t] > 0 ? (double) self->counts[t * n + t] / self->row_total[t] : 0;
      if (self->row_total[t] == 0)
        g_strlcpy (buf, "\u2013", sizeof buf);
      else
        g_snprintf (buf, sizeof buf, "%.1f%%", 100 * recall);
      if (cell >= lh - 2 || t % 2 == 0)
        nw_plot_text (cr, buf, x0 + cell * n + 6, y0 + (t + 0.5) * cell, 0.0, 0.5, NW_TEXT_SMALL,
                      NW_COLOUR_MUTED, FALSE);
    }

  /* The hovered cell: a frame round it and its row and column labels in the accent. */
  if (self->hover_true >= 0 && self->hover_pred >= 0 && self->hover_true < n && self->hover_pred < n)
    {
      nw_plot_rgb (cr, NW_COLOUR_INK, 0.9);
      cairo_set_line_width (cr, 2.0);
      cairo_rectangle (cr, x0 + self->hover_pred * cell - 1, y0 + self->hover_true * cell - 1,
                       cell + 1, cell + 1);
      cairo_stroke (cr);
      nw_plot_rgb (cr, NW_COLOUR_INK, 0.08);
      cairo_rectangle (cr, x0, y0 + self->hover_true * cell, cell * n - 1, cell - 1);
      cairo_fill (cr);
      cairo_rectangle (cr, x0 + self->hover_pred * cell, y0, cell - 1, cell * n - 1);
      cairo_fill (cr);
    }
}

static void
update_accessible (NwConfusionView *self)
{
  char text[200], a[32], b[32];
  guint64 right = 0;
  guint worst = 0;
  int wt = -1, wp = -1;
  if (self->message != NULL || self->n == 0 || self->total == 0)
    {
      g_strlcpy (text, self->message != NULL ? self->message : _("Empty"), sizeof text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
      return;
    }
  for (int t = 0; t < self->n; t++)
    for (int p = 0; p < self->n; p++)
      {
        guint c = self->counts[t * self->n + p];
        if (t == p)
          right += c;
        else if (c > worst)
          {
            worst = c;
            wt = t;
            wp = p;
          }
      }
  if (wt >= 0)
    g_snprintf (text, sizeof text, _("%.1f%% right; most confused: %s read as %s, %u times"),
                100.0 * right / self->total, name_of (self, wt, a, sizeof a),
                name_of (self, wp, b, sizeof b), worst);
  else
    g_snprintf (text, sizeof text, _("%.1f%% right"), 100.0 * right / self->total);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

void
nw_confusion_view_set_counts (NwConfusionView *self, int n, const guint *counts)
{
  g_return_if_fail (NW_IS_CONFUSION_VIEW (self));
  g_return_if_fail (n >= 0 && n <= NW_CONFUSION_MAX_CLASSES);
  g_return_if_fail (n == 0 || counts != NULL);
  self->n = n;
  self->total = 0;
  memset (self->row_total, 0, sizeof self->row_total);
  if (n > 0)
    memcpy (self->counts, counts, sizeof (guint) * n * n);
  for (int t = 0; t < n; t++)
    for (int p = 0; p < n; p++)
      self->row_total[t] += counts[t * n + p];
  for (int t = 0; t < n; t++)
    self->total += self->row_total[t];
  g_clear_pointer (&self->message, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_confusion_view_set_class_names (NwConfusionView *self, const char *const *names, int n)
{
  g_return_if_fail (NW_IS_CONFUSION_VIEW (self));
  for (int c = 0; c < NW_CONFUSION_MAX_CLASSES; c++)
    g_clear_pointer (&self->names[c], g_free);
  for (int c = 0; names != NULL && c < MIN (n, NW_CONFUSION_MAX_CLASSES); c++)
    self->names[c] = g_strdup (names[c]);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_confusion_view_set_message (NwConfusionView *self, const char *message)
{
  g_return_if_fail (NW_IS_CONFUSION_VIEW (self));
  if (g_strcmp0 (message, self->message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint64
nw_confusion_view_get_total (NwConfusionView *self)
{
  g_return_val_if_fail (NW_IS_CONFUSION_VIEW (self), 0);
  return self->total;
}

guint
nw_confusion_view_get_count (NwConfusionView *self, int t, int p)
{
  g_return_val_if_fail (NW_IS_CONFUSION_VIEW (self), 0);
  if (t < 0 || p < 0 || t >= self->n || p >= self->n)
    return 0;
  return self->counts[t * self->n + p];
}

void
nw_confusion_view_set_hover (NwConfusionView *self, int t, int p)
{
  g_return_if_fail (NW_IS_CONFUSION_VIEW (self));
  if (t == self->hover_true && p == self->hover_pred)
    return;
  self->hover_true = t;
  self->hover_pred = p;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- input --------------------------------------------------------------------------------- */

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, NwConfusionView *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  int t, p;
  if (nw_confusion_view_cell_at (self, gtk_widget_get_width (w), gtk_widget_get_height (w), x, y,
                                 &t, &p))
    nw_confusion_view_set_hover (self, t, p);
  else
    nw_confusion_view_set_hover (self, -1, -1);
}

static void
on_leave (GtkEventControllerMotion *motion, NwConfusionView *self)
{
  nw_confusion_view_set_hover (self, -1, -1);
}

static void
on_pressed (GtkGestureClick *click, int n_press, double x, double y, NwConfusionView *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  int t, p;
  if (nw_confusion_view_cell_at (self, gtk_widget_get_width (w), gtk_widget_get_height (w), x, y,
                                 &t, &p))
    g_signal_emit (self, signals[SIGNAL_CELL_ACTIVATED], 0, t, p);
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  gpointer data)
{
  NwConfusionView *self = NW_CONFUSION_VIEW (widget);
  g_autofree char *text = NULL;
  int t, p;
  if (!nw_confusion_view_cell_at (self, gtk_widget_get_width (widget),
                                  gtk_widget_get_height (widget), x, y, &t, &p))
    return FALSE;
  text = nw_confusion_view_describe_cell (self, t, p);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
nw_confusion_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_confusion_view_draw (NW_CONFUSION_VIEW (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
nw_confusion_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline,
                           int *natural_baseline)
{
  double em = nw_plot_widget_font_px (widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (15 * em);
      *natural = (int) ceil (28.5 * em);
    }
  else
    {
      *minimum = (int) ceil (13.5 * em);
      *natural = (int) ceil (25.5 * em);
    }
}

static void
nw_confusion_view_finalize (GObject *object)
{
  NwConfusionView *self = NW_CONFUSION_VIEW (object);
  for (int c = 0; c < NW_CONFUSION_MAX_CLASSES; c++)
    g_free (self->names[c]);
  g_free (self->message);
  G_OBJECT_CLASS (nw_confusion_view_parent_class)->finalize (object);
}

static void
nw_confusion_view_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  NwConfusionView *self = NW_CONFUSION_VIEW (object);
  switch (prop_id)
    {
    case PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_confusion_view_class_init (NwConfusionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = nw_confusion_view_finalize;
  object_class->get_property = nw_confusion_view_get_property;
  widget_class->snapshot = nw_confusion_view_snapshot;
  widget_class->measure = nw_confusion_view_measure;

  properties[PROP_TOTAL] =
    g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CELL_ACTIVATED] =
    g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "confusionview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_confusion_view_init (NwConfusionView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->hover_true = self->hover_pred = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Confusion matrix"), -1);
  update_accessible (self);
}

GtkWidget *
nw_confusion_view_new (void)
{
  return g_object_new (NW_TYPE_CONFUSION_VIEW, NULL);
}
