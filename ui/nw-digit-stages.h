/* nw-digit-stages.h: the preprocessing's stages, small, side by side: the ink's bounding box
 * (cropped from the pad), the crop scaled to fit 20x20, and the 28x28 image the network sees
 * with its centre of mass marked on the field's centre. Pixels are drawn as squares, so that a
 * class can see how coarse the network's view is.
 *
 * The view draws from a copy of the NwDigitStages it was given (core/nw-digit.h); a stage
 * struct in the NOTHING state shows empty tiles. No properties or signals.
 *
 * Accessible: role img, labelled "Preprocessing stages", described in words ("Ink box
 * 180x212 px, fitted to 17x20, centre of mass at 14.1, 13.9"). */
#pragma once

#include <gtk/gtk.h>

#include "nw-digit.h"

G_BEGIN_DECLS

#define NW_TYPE_DIGIT_STAGES_VIEW (nw_digit_stages_view_get_type ())
G_DECLARE_FINAL_TYPE (NwDigitStagesView, nw_digit_stages_view, NW, DIGIT_STAGES_VIEW, GtkWidget)

GtkWidget  *nw_digit_stages_view_new        (void);
/* Copies `stages` (NULL: empty tiles). */
void        nw_digit_stages_view_set_stages (NwDigitStagesView *self, const NwDigitStages *stages);
/* Borrowed: the view's copy. */
const NwDigitStages *nw_digit_stages_view_get_stages (NwDigitStagesView *self);

void        nw_digit_stages_view_draw       (NwDigitStagesView *self, cairo_t *cr, int width,
                                             int height);

G_END_DECLS
