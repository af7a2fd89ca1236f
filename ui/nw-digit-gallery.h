/* nw-digit-gallery.h: a grid of 28x28 digits, each with its true and predicted label under it
 * ("4 → 9": the true label in ink, the network's guess in red where it is wrong). The MNIST
 * panel fills it with the misclassified test digits, most confidently wrong first. Clicking a
 * digit (or moving with the arrow keys) selects it; its ten probabilities travel with it so a
 * neighbouring NwProbBars can show them.
 *
 * The grid wraps to the widget's width (height-for-width). It is a GtkScrollable: in a
 * GtkScrolledWindow it scrolls itself and draws only the rows that show.
 *
 * Properties:
 *   "selected"  int, -1 (none) .. n-1: the selected digit.
 *   "n-digits"  int, read-only.
 * Signals:
 *   "digit-activated" (int index): a digit was clicked or chosen with Enter.
 *
 * Accessible: one drawn widget, so role img (its digits are not separate accessible
 * children), focusable, labelled "Misclassified digits"; its description names the selected
 * digit ("Digit 3 of 212: a 4 read as 9 (87%)"). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NW_TYPE_DIGIT_GALLERY (nw_digit_gallery_get_type ())
G_DECLARE_FINAL_TYPE (NwDigitGallery, nw_digit_gallery, NW, DIGIT_GALLERY, GtkWidget)

GtkWidget  *nw_digit_gallery_new              (void);
/* n digits: images n x 784 grey levels, true and predicted labels, and probs n x n_classes
 * (may be NULL); all copied. Clears the selection. n = 0 empties the gallery. */
void        nw_digit_gallery_set_digits       (NwDigitGallery *self, guint n, const float *images,
                                               const guint8 *true_labels,
                                               const guint8 *predicted, const float *probs,
                                               int n_classes);
/* A message shown when there are no digits ("No test data", "Computing…"); NULL: the default
 * "No misclassified digits". */
void        nw_digit_gallery_set_message      (NwDigitGallery *self, const char *message);
guint       nw_digit_gallery_get_n_digits     (NwDigitGallery *self);
void        nw_digit_gallery_set_selected     (NwDigitGallery *self, int index);
int         nw_digit_gallery_get_selected     (NwDigitGallery *self);
/* Of digit `index`: its probabilities (borrowed; NULL if none were given), labels, image
 * (borrowed, 784 floats). */
const float *nw_digit_gallery_get_probabilities (NwDigitGallery *self, guint index);
int         nw_digit_gallery_get_true_label   (NwDigitGallery *self, guint index);
int         nw_digit_gallery_get_predicted    (NwDigitGallery *self, guint index);
const float *nw_digit_gallery_get_image       (NwDigitGallery *self, guint index);

/* How far the rows are scrolled, in pixels (0 when not in a scrolled window). */
double      nw_digit_gallery_get_scroll_offset (NwDigitGallery *self);
/* The digit under a point of the content (y counted from the first row, scrolled or not) of
 * a widget `width` wide; -1 if none. */
int         nw_digit_gallery_index_at         (NwDigitGallery *self, int width, double x, double y);
int         nw_digit_gallery_height_for_width (NwDigitGallery *self, int width);
/* Draws the content, rows from the top, skipping those outside `cr`'s clip. */
void        nw_digit_gallery_draw             (NwDigitGallery *self, cairo_t *cr, int width,
                                               int height);

G_END_DECLS
