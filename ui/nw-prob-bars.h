/* nw-prob-bars.h: a network's class probabilities: the top guess large, and one bar per
 * class (ten for MNIST), the top one highlighted. With no digit to read it shows a message
 * ("Nothing to read") instead of a guess, and no bars.
 *
 * The widget draws from a copy of what it was given. It can also mark the true class (the
 * misclassified-digit gallery does), so that a wrong guess and the right answer show together.
 *
 * Properties:
 *   "top-class"   int, read-only: the class with the highest probability; -1 when nothing is
 *                 shown (no probabilities, or the nothing-to-read state).
 *   "true-class"  int, -1 (none) .. n-1: the class marked as the right answer.
 *   "message"     string, read-only: the nothing-to-read message, NULL while showing bars.
 *
 * Accessible: role img, labelled "Class probabilities"; its description reads the guess
 * ("Reads 7 at 93%; next 1 at 4%") or the message, so screen readers and AT-SPI tests can
 * follow it. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NW_PROB_BARS_MAX_CLASSES 16

#define NW_TYPE_PROB_BARS (nw_prob_bars_get_type ())
G_DECLARE_FINAL_TYPE (NwProbBars, nw_prob_bars, NW, PROB_BARS, GtkWidget)

GtkWidget  *nw_prob_bars_new               (void);
/* n probabilities (2 .. NW_PROB_BARS_MAX_CLASSES), copied; leaves the nothing-to-read state.
 * Values are shown as given (they need not sum to 1); non-finite ones show as 0. */
void        nw_prob_bars_set_probabilities (NwProbBars *self, const float *probs, int n);
/* The nothing-to-read state with `message` (NULL: "Nothing to read"). */
void        nw_prob_bars_set_nothing       (NwProbBars *self, const char *message);
/* Labels for the classes (NULL: "0", "1", ...); copied. At least as many as the classes. */
void        nw_prob_bars_set_class_names   (NwProbBars *self, const char *const *names, int n);
void        nw_prob_bars_set_true_class    (NwProbBars *self, int label);

int         nw_prob_bars_get_top_class     (NwProbBars *self);
int         nw_prob_bars_get_n_classes     (NwProbBars *self);
/* Borrowed; NULL in the nothing-to-read state. */
const float *nw_prob_bars_get_probabilities (NwProbBars *self);
const char *nw_prob_bars_get_message       (NwProbBars *self);

void        nw_prob_bars_draw              (NwProbBars *self, cairo_t *cr, int width, int height);

G_END_DECLS
