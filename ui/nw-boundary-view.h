/* nw-boundary-view.h: the decision boundary: P(class 1) on a grid over [-1.5, 1.5]^2 as a
 * colour field (blue for class 0, orange for class 1), with the training points (filled) and
 * the test points (outlined) on it. A click adds a point of the chosen class (shift-click:
 * the other class), a right-click removes the nearest point; the view only reports these
 * ("point-added", "point-removed"): the owner edits the data and hands the points back. */
#pragma once

#include <gtk/gtk.h>

#include "nw-points.h"

G_BEGIN_DECLS

#define NW_TYPE_BOUNDARY_VIEW (nw_boundary_view_get_type ())
G_DECLARE_FINAL_TYPE (NwBoundaryView, nw_boundary_view, NW, BOUNDARY_VIEW, GtkWidget)

GtkWidget  *nw_boundary_view_new            (void);
/* grid_n x grid_n values of P(class 1), row 0 at the top (nw_trainer_grid_point's layout);
 * copied. n = 0 clears the field. */
void        nw_boundary_view_set_grid       (NwBoundaryView *self, int grid_n, const float *grid);
void        nw_boundary_view_set_points     (NwBoundaryView *self, const NwPoint *points, guint n);
/* A short line drawn over the field's top left corner (what the field shows, e.g. "training
 * mode"); NULL for none. It also goes into the accessible description. */
void        nw_boundary_view_set_caption    (NwBoundaryView *self, const char *caption);
/* The share of the field's cells where P(class 1) > 0.5 (0 without a field). */
double      nw_boundary_view_get_class1_share (NwBoundaryView *self);
/* A message instead of the field (e.g. "MNIST is not 2D data"); NULL for none. */
void        nw_boundary_view_set_message    (NwBoundaryView *self, const char *message);
void        nw_boundary_view_set_show_test  (NwBoundaryView *self, gboolean show_test);
gboolean    nw_boundary_view_get_show_test  (NwBoundaryView *self);
void        nw_boundary_view_set_add_class  (NwBoundaryView *self, int label);
int         nw_boundary_view_get_add_class  (NwBoundaryView *self);

/* Draws the view into `cr` at width x height (the widget's snapshot does this; tests too). */
void        nw_boundary_view_draw           (NwBoundaryView *self, cairo_t *cr, int width,
                                             int height);
/* Where a widget point falls in data coordinates for a width x height view; FALSE outside
 * the field. */
gboolean    nw_boundary_view_to_data        (NwBoundaryView *self, int width, int height,
                                             double px, double py, double *x, double *y);

G_END_DECLS
