/* nw-loss-plot.h: training and test loss (left axis, linear or log) and accuracy (right axis,
 * 0-100%) over the steps, with the values under the pointer. */
#pragma once

#include <gtk/gtk.h>

#include "nw-trainer.h"

G_BEGIN_DECLS

#define NW_TYPE_LOSS_PLOT (nw_loss_plot_get_type ())
G_DECLARE_FINAL_TYPE (NwLossPlot, nw_loss_plot, NW, LOSS_PLOT, GtkWidget)

GtkWidget  *nw_loss_plot_new            (void);
void        nw_loss_plot_clear          (NwLossPlot *self);
/* One point; NAN for a value that was not measured (the test split is measured less often). */
void        nw_loss_plot_add            (NwLossPlot *self, gint64 step, double train_loss,
                                         double train_acc, double test_loss, double test_acc);
void        nw_loss_plot_push_snapshot  (NwLossPlot *self, const NwSnapshot *snap);
int         nw_loss_plot_get_n_points   (NwLossPlot *self);
void        nw_loss_plot_set_log_scale  (NwLossPlot *self, gboolean log_scale);
gboolean    nw_loss_plot_get_log_scale  (NwLossPlot *self);
/* Shows the values at this widget x (-1: none), as the pointer does. */
void        nw_loss_plot_set_hover_x    (NwLossPlot *self, double x);

void        nw_loss_plot_draw           (NwLossPlot *self, cairo_t *cr, int width, int height);

G_END_DECLS
