/* nw-prob-bars.c: the top guess and one bar per class. */
#include "nw-prob-bars.h"
#include "nw-i18n.h"

#include "nw-plot.h"

#include <math.h>
#include <string.h>

struct _NwProbBars
{
  GtkWidget  parent_instance;

  int        n;                                 /* classes shown; 0 in the nothing state */
  float      probs[NW_PROB_BARS_MAX_CLASSES];
  int        top;
  int        true_class;
  char      *message;                           /* the nothing state's text */
  char      *names[NW_PROB_BARS_MAX_CLASSES];   /* NULL: the class number */
  int        n_names;
};

G_DEFINE_FINAL_TYPE (NwProbBars, nw_prob_bars, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_TOP_CLASS, PROP_TRUE_CLASS, PROP_MESSAGE, N_PROPS };
static GParamSpec *properties[N_PROPS];

#define DEFAULT_MESSAGE _("Nothing to read")
#define BAR_COLOUR      NW_COLOUR_TRAIN
#define BAR_MUTED       0x9a9996
#define PAD             6.0

static const char *
class_name (NwProbBars *self, int c, char *buf, gsize size)
{
  if (c < self->n_names && self->names[c] != NULL)
    return self->names[c];
  g_snprintf (buf, size, "%d", c);
  return buf;
}

static void
update_accessible (NwProbBars *self)
{
  char text[256], a[32], b[32];
  if (self->n == 0)
    g_strlcpy (text, self->message != NULL ? self->message : DEFAULT_MESSAGE, sizeof text);
  else
    {
      int second = -1;
      for (int c = 0; c < self->n; c++)
        if (c != self->top && (second < 0 || self->probs[c] > self->probs[second]))
          second = c;
      g_snprintf (text, sizeof text, _("Reads %s at %.0f%%; next %s at %.0f%%"),
                  class_name (self, self->top, a, sizeof a), 100.0 * self->probs[self->top],
                  class_name (self, second, b, sizeof b), 100.0 * self->probs[second]);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
set_top (NwProbBars *self, int top)
{
  if (top == self->top)
    return;
  self->top = top;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOP_CLASS]);
}

void
nw_prob_bars_set_probabilities (NwProbBars *self, const float *probs, int n)
{
  int top = 0;
  g_return_if_fail (NW_IS_PROB_BARS (self));
  g_return_if_fail (probs != NULL && n >= 2 && n <= NW_PROB_BARS_MAX_CLASSES);
  for (int c = 0; c < n; c++)
    {
      self->probs[c] = isfinite (probs[c]) ? probs[c] : 0.0f;
      if (self->probs[c] > self->probs[top])
        top = c;
    }
  self->n = n;
  if (self->message != NULL)
    {
      g_clear_pointer (&self->message, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  set_top (self, top);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_prob_bars_set_nothing (NwProbBars *self, const char *message)
{
  g_return_if_fail (NW_IS_PROB_BARS (self));
  if (message == NULL)
    message = DEFAULT_MESSAGE;
  if (self->n == 0 && g_strcmp0 (message, self->message) == 0)
    return;
  self->n = 0;
  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  set_top (self, -1);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_prob_bars_set_class_names (NwProbBars *self, const char *const *names, int n)
{
  g_return_if_fail (NW_IS_PROB_BARS (self));
  for (int c = 0; c < NW_PROB_BARS_MAX_CLASSES; c++)
    g_clear_pointer (&self->names[c], g_free);
  self->n_names = names != NULL ? MIN (n, NW_PROB_BARS_MAX_CLASSES) : 0;
  for (int c = 0; c < self->n_names; c++)
    self->names[c] = g_strdup (names[c]);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nw_prob_bars_set_true_class (NwProbBars *self, int label)
{
  g_return_if_fail (NW_IS_PROB_BARS (self));
  label = CLAMP (label, -1, NW_PROB_BARS_MAX_CLASSES - 1);
  if (label == self->true_class)
    return;
  self->true_class = label;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUE_CLASS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
nw_prob_bars_get_top_class (NwProbBars *self)
{
  g_return_val_if_fail (NW_IS_PROB_BARS (self), -1);
  return self->top;
}

int
nw_prob_bars_get_n_classes (NwProbBars *self)
{
  g_return_val_if_fail (NW_IS_PROB_BARS (self), 0);
  return self->n;
}

const float *
nw_prob_bars_get_probabilities (NwProbBars *self)
{
  g_return_val_if_fail (NW_IS_PROB_BARS (self), NULL);
  return self->n > 0 ? self->probs : NULL;
}

const char *
nw_prob_bars_get_message (NwProbBars *self)
{
  g_return_val_if_fail (NW_IS_PROB_BARS (self), NULL);
  return self->message;
}

/* ---- drawing ------------------------------------------------------------------------------- */

static void
format_percent (double p, char *buf, gsize size)
{
  p *= 100;
  if (p >= 99.95)
    g_strlcpy (buf, "100%", size);
  else if (p >= 9.95)
    g_snprintf (buf, size, "%.0f%%", p);
  else if (p >= 0.05)
    g_snprintf (buf, size, "%.1f%%", p);
  else
    g_strlcpy (buf, "0%", size);
}

void
nw_prob_bars_draw (NwProbBars *self, cairo_t *cr, int width, int height)
{
  int rows = self->n > 0 ? self->n : 10;
  double guess_w = width >= 250 ? MIN (MIN (width * 0.32, 150.0), height * 0.95) : 0;
  double x0 = guess_w > 0 ? guess_w + 10 : 0;
  double row_h = (height - 2 * PAD) / rows;
  double label_w = 0, pct_w, bar_x, bar_w, em, text_pt;
  char buf[32], pct[16];

  /* Sizes that follow the drawing's geometry (the guess, as big as its card) are pixels
   * turned into the relative sizes nw_plot_text takes; the rows' text is the widget's small
   * text, smaller only when the rows are (never under NW_TEXT_MIN_PX). */
  nw_plot_begin (cr, GTK_WIDGET (self));
  em = nw_plot_font_px (cr);
  text_pt = MIN (NW_TEXT_SMALL, row_h * 0.72 / em);

  /* The guess, large, on a tinted card. */
  if (guess_w > 0)
    {
      double gh = MIN (height - 2 * PAD, guess_w * 1.15);
      double gy = (height - gh) / 2;
      nw_plot_round_rect (cr, 0.5, gy + 0.5, guess_w - 1, gh - 1, 10);
      nw_plot_rgb (cr, self->n > 0 ? BAR_COLOUR : NW_COLOUR_NEUTRAL, self->n > 0 ? 0.08 : 0.6);
      cairo_fill (cr);
      if (self->n > 0)
        {
          const char *name = class_name (self, self->top, buf, sizeof buf);
          double big = (strlen (name) <= 2 ? gh * 0.56 : MIN (gh * 0.17, guess_w * 0.15)) / em;
          format_percent (self->probs[self->top], pct, sizeof pct);
          nw_plot_text_fit (cr, name, guess_w / 2, gy + gh * 0.44, 0.5, 0.5, big, NW_COLOUR_INK,
                            TRUE, guess_w - 8);
          nw_plot_text (cr, pct, guess_w / 2, gy + gh * 0.82, 0.5, 0.5,
                        MAX (NW_TEXT_SMALL, gh * 0.12 / em), BAR_COLOUR, TRUE);
        }
      else
        {
          nw_plot_text (cr, "?", guess_w / 2, gy + gh * 0.42, 0.5, 0.5, gh * 0.48 / em,
                        NW_COLOUR_GRID, TRUE);
          nw_plot_text_wrapped (cr, self->message != NULL ? self->message : DEFAULT_MESSAGE,
                                guess_w / 2, gy + gh * 0.82, guess_w - 10, NW_TEXT_SMALL,
                                NW_COLOUR_MUTED);
        }
    }

  for (int c = 0; c < rows; c++)
    label_w = MAX (label_w, nw_plot_text_width (cr, class_name (self, c, buf, sizeof buf),
                                                text_pt, TRUE));
  pct_w = nw_plot_text_width (cr, "100%", text_pt, FALSE) + 6;
  bar_x = x0 + label_w + 8;
  bar_w = MAX (width - bar_x - pct_w - 2, 10);

  for (int c = 0; c < rows; c++)
    {
      double y = PAD + c * row_h, bh = MAX (row_h * 0.62, 2), by = y + (row_h - bh) / 2;
      gboolean top = self->n > 0 && c == self->top;
      gboolean truth = c == self->true_class;
      double p = self->n > 0 ? CLAMP (self->probs[c], 0.0f, 1.0f) : 0.0;

      if (truth)
        {
          /* The right answer: a soft green band behind its row. */
          nw_plot_round_rect (cr, x0, y + 1, width - x0, row_h - 2, 4);
          nw_plot_rgb (cr, 0x2ec27e, 0.16);
          cairo_fill (cr);
        }
      nw_plot_text (cr, class_name (self, c, buf, sizeof buf), x0 + label_w, y + row_h / 2, 1.0,
                    0.5, text_pt, top ? NW_COLOUR_INK : NW_COLOUR_MUTED, top || truth);
      /* Track, then the bar. */
      nw_plot_round_rect (cr, bar_x, by, bar_w, bh, MIN (bh / 2, 3));
      nw_plot_rgb (cr, NW_COLOUR_NEUTRAL, 0.7);
      cairo_fill (cr);
      if (p > 0)
        {
          nw_plot_round_rect (cr, bar_x, by, MAX (bar_w * p, MIN (bh, 3)), bh, MIN (bh / 2, 3));
          nw_plot_rgb (cr, top ? BAR_COLOUR : BAR_MUTED, 1.0);
          cairo_fill (cr);
        }
      /* Shares under half a percent stay blank: the eye goes to the ones that count (and
       * there is less text to lay out on every stroke). */
      if (self->n > 0 && (p >= 0.005 || top))
        {
          format_percent (p, pct, sizeof pct);
          nw_plot_text (cr, pct, bar_x + bar_w + 4, y + row_h / 2, 0.0, 0.5, text_pt,
                        top ? NW_COLOUR_INK : NW_COLOUR_MUTED, top);
        }
    }
}

static void
nw_prob_bars_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  nw_prob_bars_draw (NW_PROB_BARS (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
nw_prob_bars_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                      int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 240;
    }
  else
    {
      *minimum = 140;
      *natural = 200;
    }
}

static void
nw_prob_bars_finalize (GObject *object)
{
  NwProbBars *self = NW_PROB_BARS (object);
  g_clear_pointer (&self->message, g_free);
  for (int c = 0; c < NW_PROB_BARS_MAX_CLASSES; c++)
    g_clear_pointer (&self->names[c], g_free);
  G_OBJECT_CLASS (nw_prob_bars_parent_class)->finalize (object);
}

static void
nw_prob_bars_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwProbBars *self = NW_PROB_BARS (object);
  switch (prop_id)
    {
    case PROP_TOP_CLASS:
      g_value_set_int (value, self->top);
      break;
    case PROP_TRUE_CLASS:
      g_value_set_int (value, self->true_class);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_prob_bars_set_property (GObject *object, guint prop_id, const GValue *value,
                           GParamSpec *pspec)
{
  NwProbBars *self = NW_PROB_BARS (object);
  switch (prop_id)
    {
    case PROP_TRUE_CLASS:
      nw_prob_bars_set_true_class (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_prob_bars_class_init (NwProbBarsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = nw_prob_bars_finalize;
  object_class->get_property = nw_prob_bars_get_property;
  object_class->set_property = nw_prob_bars_set_property;
  widget_class->snapshot = nw_prob_bars_snapshot;
  widget_class->measure = nw_prob_bars_measure;

  properties[PROP_TOP_CLASS] =
    g_param_spec_int ("top-class", NULL, NULL, -1, NW_PROB_BARS_MAX_CLASSES - 1, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRUE_CLASS] =
    g_param_spec_int ("true-class", NULL, NULL, -1, NW_PROB_BARS_MAX_CLASSES - 1, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "probbars");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_prob_bars_init (NwProbBars *self)
{
  self->top = -1;
  self->true_class = -1;
  self->message = g_strdup (DEFAULT_MESSAGE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Class probabilities"), -1);
  update_accessible (self);
}

GtkWidget *
nw_prob_bars_new (void)
{
  return g_object_new (NW_TYPE_PROB_BARS, NULL);
}
