/* nw-grad-plot.h: the size of the gradient reaching each layer: a bar per parameter layer
 * (log scale) for the current step, a timeline with one line per layer, and the ratio of the
 * first layer's gradient norm to the last's as a number (the vanishing gradient at a glance).
 * Behind a step activation the gradient is 0 by design, and the plot says so instead. */
#pragma once

#include <gtk/gtk.h>

#include "nw-trainer.h"

G_BEGIN_DECLS

#define NW_TYPE_GRAD_PLOT (nw_grad_plot_get_type ())
G_DECLARE_FINAL_TYPE (NwGradPlot, nw_grad_plot, NW, GRAD_PLOT, GtkWidget)

GtkWidget  *nw_grad_plot_new            (void);
void        nw_grad_plot_clear          (NwGradPlot *self);
/* Takes the gradient norms of every layer that has weights. `ids` names the snapshot's layers
 * (snap->n_layers of them); NULL: the probes' own ids. */
void        nw_grad_plot_push_snapshot  (NwGradPlot *self, const NwSnapshot *snap,
                                         const char *const *ids);
int         nw_grad_plot_get_n_layers   (NwGradPlot *self);
double      nw_grad_plot_get_ratio      (NwGradPlot *self);
/* Whether the ratio is shown as a vanishing-gradient alarm (below 0.01, and not zero by
 * design); the id of the step layer that makes the first layers' gradient 0 by design, or
 * NULL (borrowed). */
gboolean    nw_grad_plot_get_alarm      (NwGradPlot *self);
const char *nw_grad_plot_get_zero_by_design (NwGradPlot *self);

void        nw_grad_plot_draw           (NwGradPlot *self, cairo_t *cr, int width, int height);
/* The x of bar i's centre when drawn at width x height (for tests). */
double      nw_grad_plot_bar_centre     (NwGradPlot *self, int width, int height, int i);

G_END_DECLS
