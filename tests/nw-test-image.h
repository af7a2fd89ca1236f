/* nw-test-image.h: rendering a widget's Cairo drawing to a PNG, reading it back, and the pixel
 * statistics the widget tests check (test-ui-plots.c, test-ui-mnist.c). */
#pragma once

#include <gtk/gtk.h>

typedef void (*NwTestDrawFunc) (GtkWidget *widget, cairo_t *cr, int width, int height);

typedef struct { double r, g, b; } NwRgb;

/* Writes `surface` to NAME.png (in NW_UI_TEST_OUTPUT=DIR when set, else the test's scratch
 * folder) and returns the image read back from the file. */
cairo_surface_t *nw_test_save_and_reload (cairo_surface_t *surface, const char *name);
/* `draw` on white at width x height, through nw_test_save_and_reload. */
cairo_surface_t *nw_test_render_png      (GtkWidget *widget, NwTestDrawFunc draw, int width,
                                          int height, const char *name);

/* `node` (taken) drawn on white at width x height, through nw_test_save_and_reload. */
cairo_surface_t *nw_test_render_node_png (GskRenderNode *node, int width, int height,
                                          const char *name);

NwRgb   nw_test_pixel        (cairo_surface_t *s, int x, int y);
NwRgb   nw_test_mean_rgb     (cairo_surface_t *s, int x0, int y0, int w, int h);
/* Euclidean distance in [0,1]^3 between a pixel and 0xRRGGBB (or a colour role of
 * nw-plot.h, as the light theme has it). */
double  nw_test_distance_to  (NwRgb c, guint32 rgb);
/* Pixels of a rectangle within `tol` of a colour. */
int     nw_test_count_colour (cairo_surface_t *s, int x0, int y0, int w, int h, guint32 rgb,
                              double tol);
/* Pixels of a rectangle darker than `level` (mean of r, g, b). */
int     nw_test_count_dark   (cairo_surface_t *s, int x0, int y0, int w, int h, double level);
/* The topmost row of column x in [y0, y1) within `tol` of a colour; -1 if none. */
int     nw_test_top_of_colour (cairo_surface_t *s, int x, int y0, int y1, guint32 rgb,
                               double tol);
