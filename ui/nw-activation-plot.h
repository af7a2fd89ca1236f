/* nw-activation-plot.h: one small panel per activation layer: the function and its derivative
 * over [hist_lo, hist_hi], the histogram of that layer's inputs drawn on the curve (a dot per
 * bin, as large as its share), the flat regions shaded, and the share of saturated (sigmoid,
 * tanh) or dead (ReLU) inputs — the picture that explains the gradient plot. A step layer
 * says its gradient is 0 by design (nothing is shaded as a fault). Values and derivatives
 * come from core's activation table (nw-activation.h). */
#pragma once

#include <gtk/gtk.h>

#include "nw-trainer.h"
#include "nw-activation.h"   /* nw_activation_value (), _derivative () */

G_BEGIN_DECLS

#define NW_TYPE_ACTIVATION_PLOT (nw_activation_plot_get_type ())
G_DECLARE_FINAL_TYPE (NwActivationPlot, nw_activation_plot, NW, ACTIVATION_PLOT, GtkWidget)

GtkWidget  *nw_activation_plot_new            (void);
void        nw_activation_plot_clear          (NwActivationPlot *self);
/* `ids` names the snapshot's layers; NULL: the probes' own ids. */
void        nw_activation_plot_push_snapshot  (NwActivationPlot *self, const NwSnapshot *snap,
                                               const char *const *ids);
int         nw_activation_plot_get_n_panels   (NwActivationPlot *self);
/* Whether panel i says "gradient 0 by design" (a step) instead of shading a fault. */
gboolean    nw_activation_plot_panel_gradient_zero (NwActivationPlot *self, int i);

void        nw_activation_plot_draw           (NwActivationPlot *self, cairo_t *cr, int width,
                                               int height);
/* Panel i's plot area when drawn at width x height (for tests). */
void        nw_activation_plot_panel_area     (NwActivationPlot *self, int width, int height,
                                               int i, double *x, double *y, double *w,
                                               double *h);

G_END_DECLS
