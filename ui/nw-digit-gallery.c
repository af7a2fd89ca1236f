/* nw-digit-gallery.c: a grid of digits with their true and predicted labels. */
#include "nw-digit-gallery.h"
#include "nw-i18n.h"

#include "nw-digit.h"
#include "nw-plot.h"

#include <math.h>
#include <string.h>

struct _NwDigitGallery
{
  GtkWidget   parent_instance;
  guint       n;
  int         n_classes;
  float      *images;        /* n x 784 */
  guint8     *true_labels;
  guint8     *predicted;
  float      *probs;         /* n x n_classes, or NULL */
  GPtrArray  *thumbs;        /* of cairo_surface_t, one per digit */
  int         selected;
  char       *message;
  /* GtkScrollable: the scrolled window scrolls through these instead of a viewport, so
   * that a frame draws the rows on screen, not all of up to 300 digits (their captions'
   * text was most of the main thread's work at an MNIST epoch's end). */
  GtkAdjustment *hadjustment, *vadjustment;
  GtkScrollablePolicy hscroll_policy, vscroll_policy;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (NwDigitGallery, nw_digit_gallery, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0, PROP_SELECTED, PROP_N_DIGITS, N_PROPS,
  /* GtkScrollable's, overridden */
  PROP_HADJUSTMENT = N_PROPS, PROP_VADJUSTMENT, PROP_HSCROLL_POLICY, PROP_VSCROLL_POLICY
};
static GParamSpec *properties[N_PROPS];
enum { SIGNAL_DIGIT_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define SCALE     2.0                       /* screen pixels per MNIST pixel */
#define IMG       (NW_DIGIT_SIDE * SCALE)   /* 56 */
/* The caption's height: a line of the widget's small text (the zoom, Large Text), at least
 * what it was drawn at before. */
#define CAPTION   caption_height (GTK_WIDGET (self))
#define GAP       6.0
#define PADDING   4.0
#define TILE_W    (IMG + 2 * PADDING)
#define TILE_H    (IMG + CAPTION + 2 * PADDING)
#define DEFAULT_MESSAGE _("No misclassified digits")

/* Measured once per font size: every tile's position asks for it. */
static double
caption_height (GtkWidget *widget)
{
  double px = nw_plot_widget_font_px (widget);
  double *cached = g_object_get_data (G_OBJECT (widget), "nw-caption-height");
  if (cached == NULL || cached[0] != px)
    {
      cairo_t *cr = nw_plot_measure_context (widget);
      if (cached == NULL)
        {
          cached = g_new0 (double, 2);
          g_object_set_data_full (G_OBJECT (widget), "nw-caption-height", cached, g_free);
        }
      cached[0] = px;
      cached[1] = MAX (ceil (nw_plot_line_height (cr, NW_TEXT_SMALL)) + 1, 15.0);
      cairo_destroy (cr);
    }
  return cached[1];
}

static int
columns_for (int width)
{
  return MAX (1, (int) floor ((width + GAP) / (TILE_W + GAP)));
}

int
nw_digit_gallery_height_for_width (NwDigitGallery *self, int width)
{
  int cols, rows;
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), 0);
  if (self->n == 0)
    return 60;
  cols = columns_for (width);
  rows = (int) ((self->n + cols - 1) / cols);
  return (int) ceil (rows * TILE_H + (rows - 1) * GAP);
}

int
nw_digit_gallery_index_at (NwDigitGallery *self, int width, double x, double y)
{
  int cols, c, r, i;
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), -1);
  if (self->n == 0 || x < 0 || y < 0)
    return -1;
  cols = columns_for (width);
  c = (int) floor (x / (TILE_W + GAP));
  r = (int) floor (y / (TILE_H + GAP));
  if (c >= cols || x - c * (TILE_W + GAP) > TILE_W || y - r * (TILE_H + GAP) > TILE_H)
    return -1;
  i = r * cols + c;
  return i < (int) self->n ? i : -1;
}

/* How far the rows are scrolled (0 outside a scrolled window). */
static double
scroll_offset (NwDigitGallery *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

double
nw_digit_gallery_get_scroll_offset (NwDigitGallery *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), 0);
  return scroll_offset (self);
}

/* The adjustments for an allocation of width x height: the vertical one spans every row. */
static void
configure_adjustments (NwDigitGallery *self, int width, int height)
{
  if (self->vadjustment != NULL)
    {
      double upper = MAX (nw_digit_gallery_height_for_width (self, width), height);
      gtk_adjustment_configure (self->vadjustment,
                                CLAMP (gtk_adjustment_get_value (self->vadjustment), 0,
                                       upper - height),
                                0, upper, TILE_H + GAP, MAX (height * 0.9, 1), height);
    }
  if (self->hadjustment != NULL)
    gtk_adjustment_configure (self->hadjustment, 0, 0, width, width * 0.1, width * 0.9, width);
}

/* Scrolls just enough for digit `index` to show whole. */
static void
scroll_to (NwDigitGallery *self, int index)
{
  int cols = columns_for (gtk_widget_get_width (GTK_WIDGET (self)));
  double top, page, value;
  if (self->vadjustment == NULL || index < 0)
    return;
  top = (index / cols) * (TILE_H + GAP);
  page = gtk_adjustment_get_page_size (self->vadjustment);
  value = gtk_adjustment_get_value (self->vadjustment);
  if (top < value)
    gtk_adjustment_set_value (self->vadjustment, top);
  else if (top + TILE_H > value + page)
    gtk_adjustment_set_value (self->vadjustment, top + TILE_H - page);
}

static void
on_adjustment_changed (GtkAdjustment *adjustment, NwDigitGallery *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (NwDigitGallery *self, GtkAdjustment **slot, GtkAdjustment *adjustment)
{
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_changed, self);
      g_object_unref (*slot);
    }
  *slot = adjustment != NULL ? g_object_ref_sink (adjustment) : NULL;
  if (*slot != NULL)
    {
      g_signal_connect (*slot, "value-changed", G_CALLBACK (on_adjustment_changed), self);
      configure_adjustments (self, gtk_widget_get_width (GTK_WIDGET (self)),
                             gtk_widget_get_height (GTK_WIDGET (self)));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Ink 0x1a1c1e on white, as the pad draws, for 256 grey levels (MNIST's own): one table per
 * gallery update instead of three roundings per pixel of hundreds of thumbnails. */
static void
ink_table (guint32 ink[256])
{
  for (int i = 0; i < 256; i++)
    {
      double v = i / 255.0;
      ink[i] = 0xff000000u | (guint32) lround (255 - (255 - 0x1a) * v) << 16
               | (guint32) lround (255 - (255 - 0x1c) * v) << 8
               | (guint32) lround (255 - (255 - 0x1e) * v);
    }
}

static cairo_surface_t *
thumb_new (const float *pixels, const guint32 ink[256])
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, NW_DIGIT_SIDE, NW_DIGIT_SIDE);
  guint8 *data;
  int stride;
  cairo_surface_flush (s);
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  for (int y = 0; y < NW_DIGIT_SIDE; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);
      for (int x = 0; x < NW_DIGIT_SIDE; x++)
        {
          float v = pixels[y * NW_DIGIT_SIDE + x];
          row[x] = ink[v > 0 ? (v < 1 ? (int) (v * 255 + 0.5f) : 255) : 0];
        }
    }
  cairo_surface_mark_dirty (s);
  return s;
}

void
nw_digit_gallery_draw (NwDigitGallery *self, cairo_t *cr, int width, int height)
{
  int cols;
  char buf[32];
  double clip_y0, clip_y1, cx0, cx1;

  nw_plot_begin (cr, GTK_WIDGET (self));
  if (self->n == 0)
    {
      nw_plot_empty_message (cr, width, MIN (height, 60),
                             self->message != NULL ? self->message : DEFAULT_MESSAGE);
      return;
    }
  cols = columns_for (width);
  /* Only the rows inside the clip: a scrolled gallery of hundreds draws what shows. */
  cairo_clip_extents (cr, &cx0, &clip_y0, &cx1, &clip_y1);
  for (guint i = 0; i < self->n; i++)
    {
      int c = (int) (i % cols), r = (int) (i / cols);
      double x = c * (TILE_W + GAP), y = r * (TILE_H + GAP);
      gboolean wrong = self->true_labels[i] != self->predicted[i];
      gboolean sel = (int) i == self->selected;
      double w;

      if (y > clip_y1 || y + TILE_H < clip_y0)
        continue;
      nw_plot_round_rect (cr, x + 0.5, y + 0.5, TILE_W - 1, TILE_H - 1, 5);
      nw_plot_rgb (cr, NW_COLOUR_PAPER, 1.0);
      cairo_fill_preserve (cr);
      nw_plot_rgb (cr, NW_COLOUR_TRAIN, sel ? 0.12 : 0.0);
      cairo_fill_preserve (cr);
      nw_plot_rgb (cr, sel ? NW_COLOUR_TRAIN : NW_COLOUR_INK, sel ? 1.0 : 0.15);
      cairo_set_line_width (cr, sel ? 2.0 : 1.0);
      cairo_stroke (cr);

      cairo_save (cr);
      cairo_translate (cr, x + PADDING, y + PADDING);
      cairo_scale (cr, SCALE, SCALE);
      cairo_set_source_surface (cr, g_ptr_array_index (self->thumbs, i), 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
      cairo_paint (cr);
      cairo_restore (cr);

      /* "4 → 9": the truth in ink, the guess in red when wrong. */
      g_snprintf (buf, sizeof buf, "%u \u2192 ", self->true_labels[i]);
      w = nw_plot_text_width (cr, buf, NW_TEXT_SMALL, TRUE);
      {
        char guess[8];
        double gw, tx;
        g_snprintf (guess, sizeof guess, "%u", self->predicted[i]);
        gw = nw_plot_text_width (cr, guess, NW_TEXT_SMALL, TRUE);
        tx = x + (TILE_W - w - gw) / 2;
        nw_plot_text (cr, buf, tx, y + PADDING + IMG + 1, 0, 0, NW_TEXT_SMALL, NW_COLOUR_INK, TRUE);
        nw_plot_text (cr, guess, tx + w, y + PADDING + IMG + 1, 0, 0, NW_TEXT_SMALL,
                      wrong ? NW_COLOUR_ALARM : NW_COLOUR_INK, TRUE);
      }
    }
}

static void
update_accessible (NwDigitGallery *self)
{
  char text[160];
  if (self->n == 0)
    g_strlcpy (text, self->message != NULL ? self->message : DEFAULT_MESSAGE, sizeof text);
  else if (self->selected < 0)
    g_snprintf (text, sizeof text, _("%u digits; none selected"), self->n);
  else
    {
      guint i = (guint) self->selected;
      double p = self->probs != NULL ? self->probs[i * self->n_classes + self->predicted[i]] : NAN;
      g_snprintf (text, sizeof text, _("Digit %u of %u: a %u read as %u"), i + 1, self->n,
                  self->true_labels[i], self->predicted[i]);
      if (isfinite (p))
        g_snprintf (text + strlen (text), sizeof text - strlen (text), " (%.0f%%)", 100 * p);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

void
nw_digit_gallery_set_digits (NwDigitGallery *self, guint n, const float *images,
                             const guint8 *true_labels, const guint8 *predicted,
                             const float *probs, int n_classes)
{
  g_return_if_fail (NW_IS_DIGIT_GALLERY (self));
  g_return_if_fail (n == 0 || (images != NULL && true_labels != NULL && predicted != NULL));
  g_return_if_fail (probs == NULL || n_classes > 0);

  g_clear_pointer (&self->images, g_free);
  g_clear_pointer (&self->true_labels, g_free);
  g_clear_pointer (&self->predicted, g_free);
  g_clear_pointer (&self->probs, g_free);
  g_ptr_array_set_size (self->thumbs, 0);
  self->n = n;
  self->n_classes = probs != NULL ? n_classes : 0;
  if (n > 0)
    {
      guint32 ink[256];
      self->images = g_memdup2 (images, sizeof (float) * NW_DIGIT_PIXELS * n);
      self->true_labels = g_memdup2 (true_labels, n);
      self->predicted = g_memdup2 (predicted, n);
      if (probs != NULL)
        self->probs = g_memdup2 (probs, sizeof (float) * n_classes * n);
      ink_table (ink);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (self->thumbs, thumb_new (self->images + (gsize) i * NW_DIGIT_PIXELS, ink));
    }
  if (self->selected != -1)
    {
      self->selected = -1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DIGITS]);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
nw_digit_gallery_set_message (NwDigitGallery *self, const char *message)
{
  g_return_if_fail (NW_IS_DIGIT_GALLERY (self));
  if (g_strcmp0 (message, self->message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
nw_digit_gallery_get_n_digits (NwDigitGallery *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), 0);
  return self->n;
}

void
nw_digit_gallery_set_selected (NwDigitGallery *self, int index)
{
  g_return_if_fail (NW_IS_DIGIT_GALLERY (self));
  if (index < -1 || index >= (int) self->n)
    index = -1;
  if (index == self->selected)
    return;
  self->selected = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
nw_digit_gallery_get_selected (NwDigitGallery *self)
{
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), -1);
  return self->selected;
}

const float *
nw_digit_gallery_get_probabilities (NwDigitGallery *self, guint index)
{
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), NULL);
  if (index >= self->n || self->probs == NULL)
    return NULL;
  return self->probs + (gsize) index * self->n_classes;
}

int
nw_digit_gallery_get_true_label (NwDigitGallery *self, guint index)
{
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), -1);
  return index < self->n ? self->true_labels[index] : -1;
}

int
nw_digit_gallery_get_predicted (NwDigitGallery *self, guint index)
{
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), -1);
  return index < self->n ? self->predicted[index] : -1;
}

const float *
nw_digit_gallery_get_image (NwDigitGallery *self, guint index)
{
  g_return_val_if_fail (NW_IS_DIGIT_GALLERY (self), NULL);
  return index < self->n ? self->images + (gsize) index * NW_DIGIT_PIXELS : NULL;
}

/* ---- input --------------------------------------------------------------------------------- */

static void
on_pressed (GtkGestureClick *click, int n_press, double x, double y, NwDigitGallery *self)
{
  int i = nw_digit_gallery_index_at (self, gtk_widget_get_width (GTK_WIDGET (self)), x,
                                     y + scroll_offset (self));
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (i < 0)
    return;
  nw_digit_gallery_set_selected (self, i);
  g_signal_emit (self, signals[SIGNAL_DIGIT_ACTIVATED], 0, i);
}

static gboolean
on_key (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
        NwDigitGallery *self)
{
  int cols = columns_for (gtk_widget_get_width (GTK_WIDGET (self)));
  int i = self->selected, n = (int) self->n;
  if (n == 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left: i = i < 0 ? 0 : MAX (i - 1, 0); break;
    case GDK_KEY_Right: i = i < 0 ? 0 : MIN (i + 1, n - 1); break;
    case GDK_KEY_Up: i = i < 0 ? 0 : (i - cols >= 0 ? i - cols : i); break;
    case GDK_KEY_Down: i = i < 0 ? 0 : (i + cols < n ? i + cols : i); break;
    case GDK_KEY_Home: i = 0; break;
    case GDK_KEY_End: i = n - 1; break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (i >= 0)
        g_signal_emit (self, signals[SIGNAL_DIGIT_ACTIVATED], 0, i);
      return TRUE;
    default:
      return FALSE;
    }
  nw_digit_gallery_set_selected (self, i);
  scroll_to (self, i);
  return TRUE;
}

/* What shows: the allocation, the rows scrolled into it (nw_digit_gallery_draw skips the
 * rows outside the clip). */
static void
nw_digit_gallery_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  NwDigitGallery *self = NW_DIGIT_GALLERY (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  double offset = self->n > 0 ? scroll_offset (self) : 0;
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_translate (cr, 0, -offset);
  nw_digit_gallery_draw (self, cr, width, (int) ceil (height + offset));
  cairo_destroy (cr);
}

static void
nw_digit_gallery_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  configure_adjustments (NW_DIGIT_GALLERY (widget), width, height);
}

static GtkSizeRequestMode
nw_digit_gallery_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
nw_digit_gallery_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                          int *minimum, int *natural, int *minimum_baseline,
                          int *natural_baseline)
{
  NwDigitGallery *self = NW_DIGIT_GALLERY (widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) TILE_W;
      *natural = (int) (6 * TILE_W + 5 * GAP);
    }
  else
    {
      *natural = nw_digit_gallery_height_for_width (self, for_size > 0 ? for_size
                                                        : (int) (6 * TILE_W + 5 * GAP));
      /* Scrolled, one row is enough; else every row. */
      *minimum = self->vadjustment != NULL ? MIN (*natural, (int) ceil (TILE_H)) : *natural;
    }
}

static void
nw_digit_gallery_finalize (GObject *object)
{
  NwDigitGallery *self = NW_DIGIT_GALLERY (object);
  g_free (self->images);
  g_free (self->true_labels);
  g_free (self->predicted);
  g_free (self->probs);
  g_free (self->message);
  g_ptr_array_unref (self->thumbs);
  G_OBJECT_CLASS (nw_digit_gallery_parent_class)->finalize (object);
}

static void
nw_digit_gallery_dispose (GObject *object)
{
  NwDigitGallery *self = NW_DIGIT_GALLERY (object);
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);
  G_OBJECT_CLASS (nw_digit_gallery_parent_class)->dispose (object);
}

static void
nw_digit_gallery_get_property (GObject *object, guint prop_id, GValue *value,
                               GParamSpec *pspec)
{
  NwDigitGallery *self = NW_DIGIT_GALLERY (object);
  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    case PROP_N_DIGITS:
      g_value_set_int (value, (int) self->n);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_digit_gallery_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  NwDigitGallery *self = NW_DIGIT_GALLERY (object);
  switch (prop_id)
    {
    case PROP_SELECTED:
      nw_digit_gallery_set_selected (self, g_value_get_int (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_digit_gallery_class_init (NwDigitGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nw_digit_gallery_dispose;
  object_class->finalize = nw_digit_gallery_finalize;
  object_class->get_property = nw_digit_gallery_get_property;
  object_class->set_property = nw_digit_gallery_set_property;
  widget_class->snapshot = nw_digit_gallery_snapshot;
  widget_class->measure = nw_digit_gallery_measure;
  widget_class->size_allocate = nw_digit_gallery_size_allocate;
  widget_class->get_request_mode = nw_digit_gallery_get_request_mode;

  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DIGITS] =
    g_param_spec_int ("n-digits", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  signals[SIGNAL_DIGIT_ACTIVATED] =
    g_signal_new ("digit-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "digitgallery");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nw_digit_gallery_init (NwDigitGallery *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *key = gtk_event_controller_key_new ();

  self->selected = -1;
  self->thumbs = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Misclassified digits"), -1);
  update_accessible (self);
}

GtkWidget *
nw_digit_gallery_new (void)
{
  return g_object_new (NW_TYPE_DIGIT_GALLERY, NULL);
}
