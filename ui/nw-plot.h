/* nw-plot.h: what the plot widgets share: colours, text, ticks, number formats, and a
 * decimating history buffer. Internal to ui/. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The palette (0xRRGGBB). Class 0 is blue and class 1 orange, as in TensorFlow Playground. */
#define NW_COLOUR_CLASS0     0x0877bd
#define NW_COLOUR_CLASS1     0xf59322
#define NW_COLOUR_NEUTRAL    0xe8eaeb
#define NW_COLOUR_INK        0x2e3436
#define NW_COLOUR_MUTED      0x77767b
#define NW_COLOUR_GRID       0xdeddda
#define NW_COLOUR_PAPER      0xffffff
#define NW_COLOUR_TRAIN      0x1c71d8
#define NW_COLOUR_TEST       0xe66100
#define NW_COLOUR_ALARM      0xc01c28

void        nw_plot_rgb            (cairo_t *cr, guint32 rgb, double alpha);
/* 0xRRGGBB as three channels in [0, 1]. */
void        nw_plot_unpack_rgb     (guint32 rgb, double c[3]);
/* White (t = 0) to `rgb` (t = 1). */
void        nw_plot_tint_rgb       (guint32 rgb, double t, double *r, double *g, double *b);
/* P(class 1) in [0, 1] to a colour between blue (0), near-white (0.5) and orange (1). */
void        nw_plot_probability_rgb (double p, double *r, double *g, double *b);
/* The colour of layer i of n: from light teal (first) to deep purple (last). */
guint32     nw_plot_layer_colour   (int i, int n);

/* Text at (x, y); align_x/align_y in [0, 1] say which point of its box sits there (0, 0:
 * top left; 0.5, 0.5: centre). Returns the text's width. */
double      nw_plot_text           (cairo_t *cr, const char *text, double x, double y,
                                    double align_x, double align_y, double size_pt,
                                    guint32 rgb, gboolean bold);
double      nw_plot_text_width     (cairo_t *cr, const char *text, double size_pt, gboolean bold);

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

/* A hint in the middle of an empty plot ("Press Play to start training"). */
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
