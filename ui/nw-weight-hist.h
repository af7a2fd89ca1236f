/* nw-weight-hist.h: per parameter layer, histograms of its weights over time, stacked as
 * TensorBoard's histogram view does: the oldest at the back (top), the newest in front. */
#pragma once

#include <gtk/gtk.h>

#include "nw-trainer.h"

G_BEGIN_DECLS

#define NW_TYPE_WEIGHT_HIST (nw_weight_hist_get_type ())
G_DECLARE_FINAL_TYPE (NwWeightHist, nw_weight_hist, NW, WEIGHT_HIST, GtkWidget)

GtkWidget  *nw_weight_hist_new            (void);
void        nw_weight_hist_clear          (NwWeightHist *self);
/* `ids` names the snapshot's layers; NULL: the probes' own ids. */
void        nw_weight_hist_push_snapshot  (NwWeightHist *self, const NwSnapshot *snap,
                                           const char *const *ids);
int         nw_weight_hist_get_n_layers   (NwWeightHist *self);
/* Histograms kept for layer i. */
int         nw_weight_hist_get_depth      (NwWeightHist *self, int i);

void        nw_weight_hist_draw           (NwWeightHist *self, cairo_t *cr, int width,
                                           int height);

G_END_DECLS
