/* nw-digit-pad.h: a square pad to draw a digit on, with the mouse, a finger or a pen.
 *
 * Strokes are anti-aliased and round-capped, drawn in *canvas* coordinates: a square of
 * canvas-size x canvas-size pixels (280 by default: ten times MNIST's 28) that the widget
 * scales to fit, so a digit keeps its shape when the window is resized. A pen's pressure
 * widens or narrows the stroke around stroke-width; a mouse draws at stroke-width.
 *
 * The pad keeps its ink as grey levels (0 paper, 1 ink) at canvas size, rendered with Cairo
 * into an A8 surface as the strokes grow (only the newest segment is drawn per motion event),
 * ready for nw_digit_preprocess().
 *
 * Properties:
 *   "stroke-width"  double, canvas pixels, [NW_DIGIT_PAD_MIN_WIDTH, NW_DIGIT_PAD_MAX_WIDTH],
 *                   default NW_DIGIT_PAD_DEFAULT_WIDTH; applies to strokes begun after it is set.
 *   "canvas-size"   int, construct-only, [28, 1024], default 280.
 *   "n-strokes"     int, read-only: strokes on the pad (what "Undo stroke" can take back).
 *   "empty"         boolean, read-only: no stroke at all.
 *
 * Signals:
 *   "changed" ()    every change of the ink: each point added while drawing (every motion
 *                   event, not only on release), a stroke undone, the pad cleared.
 *   "stroke-finished" ()  a stroke ended (button, finger or pen lifted).
 *
 * Accessible: role img, labelled "Digit pad"; its description says how many strokes it holds. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NW_DIGIT_PAD_DEFAULT_SIZE   280
#define NW_DIGIT_PAD_DEFAULT_WIDTH  22.0
#define NW_DIGIT_PAD_MIN_WIDTH       4.0
#define NW_DIGIT_PAD_MAX_WIDTH      60.0

#define NW_TYPE_DIGIT_PAD (nw_digit_pad_get_type ())
G_DECLARE_FINAL_TYPE (NwDigitPad, nw_digit_pad, NW, DIGIT_PAD, GtkWidget)

GtkWidget  *nw_digit_pad_new               (void);
GtkWidget  *nw_digit_pad_new_with_size     (int canvas_size);

void        nw_digit_pad_set_stroke_width  (NwDigitPad *self, double width);
double      nw_digit_pad_get_stroke_width  (NwDigitPad *self);
int         nw_digit_pad_get_canvas_size   (NwDigitPad *self);
guint       nw_digit_pad_get_n_strokes     (NwDigitPad *self);
gboolean    nw_digit_pad_is_empty          (NwDigitPad *self);

/* Removes every stroke. */
void        nw_digit_pad_clear             (NwDigitPad *self);
/* Removes the newest stroke; FALSE when there was none. */
gboolean    nw_digit_pad_undo              (NwDigitPad *self);

/* Drawing from code (tests, demos), in canvas coordinates; each call emits "changed" as the
 * pointer would. `pressure` in [0, 1] scales the width as a pen's does; pass 0.75 (or use
 * the simple forms) for exactly stroke-width. */
void        nw_digit_pad_begin_stroke      (NwDigitPad *self, double x, double y, double pressure);
void        nw_digit_pad_extend_stroke     (NwDigitPad *self, double x, double y, double pressure);
void        nw_digit_pad_end_stroke        (NwDigitPad *self);
/* A whole stroke through n points (xy: x0, y0, x1, y1, ...) at stroke-width. */
void        nw_digit_pad_add_stroke        (NwDigitPad *self, const double *xy, guint n_points);

/* The ink: canvas-size x canvas-size grey levels, row-major (stride = size). Borrowed from
 * the pad, valid until its next change. */
const float *nw_digit_pad_get_ink          (NwDigitPad *self, int *size);

/* Draws the pad into `cr` at width x height (the widget's snapshot does this; tests too). */
void        nw_digit_pad_draw              (NwDigitPad *self, cairo_t *cr, int width, int height);
/* Widget point -> canvas point for a width x height widget; FALSE outside the drawing square. */
gboolean    nw_digit_pad_to_canvas         (NwDigitPad *self, int width, int height,
                                            double px, double py, double *x, double *y);

G_END_DECLS
