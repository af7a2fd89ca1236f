/* nw-plot.h: what the plot widgets share: colours, text, ticks, number formats, and a
 * decimating history buffer. Internal to ui/. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The palette (0xRRGGBB). Class 0 is blue and class 1 orange, as in TensorFlow Playground.
 * These are the data's colours and read on light and dark backgrounds alike. */
#define NW_COLOUR_CLASS0     0x0877bd
#define NW_COLOUR_CLASS1     0xf59322
#define NW_COLOUR_NEUTRAL    0xe8eaeb
#define NW_COLOUR_TRAIN      0x1c71d8
#define NW_COLOUR_TEST       0xe66100
#define NW_COLOUR_ALARM      0xc01c28

/* Colour roles: not colours but the widget's own, resolved by nw_plot_rgb () from the style
 * that nw_plot_begin () bound to the cairo context: its CSS colour (ink), the theme's view
 * background (paper) and mixes of the two, so that a plot reads in a dark theme as in a light
 * one. Without a bound style they are the light theme's. */
#define NW_COLOUR_ROLE       0x01000000
#define NW_COLOUR_INK        (NW_COLOUR_ROLE | 1)  /* text and curves: the widget's colour */
#define NW_COLOUR_MUTED      (NW_COLOUR_ROLE | 2)  /* ticks, captions, hints */
#define NW_COLOUR_GRID       (NW_COLOUR_ROLE | 3)  /* grid lines */
#define NW_COLOUR_PAPER      (NW_COLOUR_ROLE | 4)  /* what plots draw on */
#define NW_COLOUR_EMPTY      (NW_COLOUR_ROLE | 5)  /* an empty field, a little off the paper */

/* `rgb` (0xRRGGBB or a role) as the source, with `alpha`. */
void        nw_plot_rgb            (cairo_t *cr, guint32 rgb, double alpha);
/* 0xRRGGBB (or a role, resolved as nw_plot_rgb does) as three channels in [0, 1]. */
void        nw_plot_unpack_rgb     (guint32 rgb, double c[3]);
/* A role (or 0xRRGGBB) as 0xRRGGBB, resolved against the style bound to `cr`. */
guint32     nw_plot_resolve_rgb    (cairo_t *cr, guint32 rgb);
/* White (t = 0) to `rgb` (t = 1). */
void        nw_plot_tint_rgb       (guint32 rgb, double t, double *r, double *g, double *b);
/* P(class 1) in [0, 1] to a colour between blue (0), near-white (0.5) and orange (1). */
void        nw_plot_probability_rgb (double p, double *r, double *g, double *b);
/* The colour of layer i of n: from light teal (first) to deep purple (last). */
guint32     nw_plot_layer_colour   (int i, int n);

/* Text. Every draw function starts with nw_plot_begin (cr, widget): the text that follows on
 * `cr` is laid out with that widget's own Pango context and font (the theme's font, its CSS
 * font-size, so the window's zoom and Large Text apply; Hangul through the font map's
 * fallback), and the colour roles above take its colours. Sizes are relative to that font:
 * NW_TEXT_SMALL for ticks, legends and captions, NW_TEXT_NORMAL for titles (bold) and hints.
 * No text is drawn smaller than NW_TEXT_MIN_PX pixels. Shaped layouts are cached per widget
 * (the digit view redraws its texts with every stroke), dropped when its font changes. */
#define NW_TEXT_SMALL        0.85
#define NW_TEXT_NORMAL       1.0
#define NW_TEXT_MIN_PX       10.0
/* The font size a widget's text is measured against when a widget has none (no style bound):
 * 10 pt at 96 dpi, GTK's default. */
#define NW_TEXT_DEFAULT_PX   (10.0 * 96.0 / 72.0)

void        nw_plot_begin          (cairo_t *cr, GtkWidget *widget);
/* The bound widget's font size in pixels (NW_TEXT_DEFAULT_PX when none is bound). */
double      nw_plot_font_px        (cairo_t *cr);
/* A scratch cairo context with `widget`'s style bound, for measuring text outside a draw
 * (layouts that tests and input handlers ask for). Free with cairo_destroy (). */
cairo_t    *nw_plot_measure_context (GtkWidget *widget);
/* `widget`'s font size in pixels, without drawing (for measure functions: sizes in ems). */
double      nw_plot_widget_font_px (GtkWidget *widget);
/* The pixel size text of relative size `scale` is drawn at. */
double      nw_plot_text_px        (cairo_t *cr, double scale);
/* The height of a line of text of relative size `scale` (its logical extent), in pixels. */
double      nw_plot_line_height    (cairo_t *cr, double scale);
/* Whether the bound style is dark (light ink on dark paper). */
gboolean    nw_plot_is_dark        (cairo_t *cr);

/* Text at (x, y); align_x/align_y in [0, 1] say which point of its box sits there (0, 0:
 * top left; 0.5, 0.5: centre). `scale` is relative to the widget's font. Returns the text's
 * width. */
double      nw_plot_text           (cairo_t *cr, const char *text, double x, double y,
                                    double align_x, double align_y, double scale,
                                    guint32 rgb, gboolean bold);
double      nw_plot_text_width     (cairo_t *cr, const char *text, double scale, gboolean bold);
/* Like nw_plot_text, but no wider than `max_width`: cut with an ellipsis when it is. */
double      nw_plot_text_fit       (cairo_t *cr, const char *text, double x, double y,
                                    double align_x, double align_y, double scale,
                                    guint32 rgb, gboolean bold, double max_width);

/* `text` wrapped at `max_width` (at word, else character, boundaries), each line centred, the
 * block's centre at (cx, cy). Returns the block's height. */
double      nw_plot_text_wrapped   (cairo_t *cr, const char *text, double cx, double cy,
                                    double max_width, double scale, guint32 rgb);

/* For tests: from now on, the ink rectangle (device pixels) and text of everything drawn
 * through nw_plot_text* or nw_plot_record_layout on `cr` are appended to `rects` (an array
 * of NwPlotTextRect whose texts it frees: nw_plot_text_rects_new ()). */
typedef struct {
  double x, y, width, height;
  char  *text;
} NwPlotTextRect;

GArray     *nw_plot_text_rects_new (void);
void        nw_plot_record_text    (cairo_t *cr, GArray *rects);
/* Records `layout` about to be shown at the current point of `cr` (for drawing code that makes
 * its own layouts, such as the editor's). */
void        nw_plot_record_layout  (cairo_t *cr, PangoLayout *layout);

/* Up to max_n "nice" ticks (1, 2, 5 x 10^k steps) inside [lo, hi]; returns how many. */
int         nw_plot_ticks          (double lo, double hi, int max_n, double *ticks);
/* A short label: "0.5", "0.012", "1.2e-05", "3k". */
void        nw_plot_format         (double v, char *buf, gsize size);

/* A rounded rectangle path. */
void        nw_plot_round_rect     (cairo_t *cr, double x, double y, double w, double h, double r);
/* A polyline stroked in short runs: cairo's stroker slows down badly on one long, noisy
 * path that crosses itself (a jittery gradient norm: 50 ms a draw), not on short ones. The
 * source, width and dash are the caller's. */
typedef struct {
  cairo_t *cr;
  int      n;
} NwPolyline;

void        nw_polyline_begin      (NwPolyline *line, cairo_t *cr);
void        nw_polyline_to         (NwPolyline *line, double x, double y);
/* Strokes what is left; returns how many points were given. */
int         nw_polyline_end        (NwPolyline *line);

/* A hint in the middle of an empty plot ("Press Play to start training"), wrapped to the
 * width. */
void        nw_plot_empty_message  (cairo_t *cr, int width, int height, const char *text);

/* A history that keeps at most `cap` rows of `cols` doubles spread over the whole run: when it
 * is full, every other row goes and from then on only every `stride`-th pushed row is kept. */
typedef struct {
  int     cols, cap, n;
  int     stride, skipped;
  gboolean tail_provisional;  /* the last row is the newest, not yet kept for good */
  double *rows;               /* cap * cols */
} NwHistory;

void        nw_history_init        (NwHistory *h, int cols, int cap);
void        nw_history_clear       (NwHistory *h);
void        nw_history_free        (NwHistory *h);
/* The newest row is always the last; returns TRUE when it is kept for good. */
gboolean    nw_history_push        (NwHistory *h, const double *row);
static inline const double *
nw_history_row (const NwHistory *h, int i) { return h->rows + (gsize) i * h->cols; }

G_END_DECLS
