/* nw-activation-plot.h: one small panel per activation layer: the function and its derivative
 * over [hist_lo, hist_hi], the histogram of that layer's inputs drawn on the curve (a dot per
 * bin, as large as its share), the flat regions shaded, and the share of saturated (sigmoid,
 * tanh) or dead (ReLU) inputs — the picture that explains the gradient plot. */
#pragma once

#include <gtk/gtk.h>

#include "nw-trainer.h"

G_BEGIN_DECLS

#define NW_TYPE_ACTIVATION_PLOT (nw_activation_plot_get_type ())
G_DECLARE_FINAL_TYPE (NwActivationPlot, nw_activation_plot, NW, ACTIVATION_PLOT, GtkWidget)

GtkWidget  *nw_activation_plot_new            (void);
void        nw_activation_plot_clear          (NwActivationPlot *self);
/* `ids` names the snapshot's layers; NULL: the probes' own ids. */
void        nw_activation_plot_push_snapshot  (NwActivationPlot *self, const NwSnapshot *snap,
                                               const char *const *ids);
int         nw_activation_plot_get_n_panels   (NwActivationPlot *self);

/* The function and its derivative (exposed for tests). */
double      nw_activation_value               (NwActivation act, double x);
double      nw_activation_derivative          (NwActivation act, double x);

void        nw_activation_plot_draw           (NwActivationPlot *self, cairo_t *cr, int width,
                                               int height);
/* Panel i's plot area when drawn at width x height (for tests). */
void        nw_activation_plot_panel_area     (NwActivationPlot *self, int width, int height,
                                               int i, double *x, double *y, double *w,
                                               double *h);

G_END_DECLS
