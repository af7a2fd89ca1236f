/* nw-layer-strip.h: the activations of each hidden layer for one input: a strip of cells per
 * layer, one cell per unit, wrapped into rows (256 units: four rows of 64). A cell's colour
 * is the unit's value over the largest magnitude in its layer: orange for positive, blue for
 * negative (the app's two class colours), white for zero - so a ReLU layer shows which units
 * fire and how many stay dark. Each strip is captioned with its name, width and the share of
 * units active (non-zero).
 *
 * The widget draws from a copy of what it was given. The height follows the width
 * (height-for-width): fewer, longer rows on a wide pane.
 *
 * Accessible: role img, labelled "Hidden layer activations", described per layer ("act1:
 * 256 units, 31% active"). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One layer as given to nw_layer_strip_set_layers (copied). */
typedef struct {
  const char  *name;     /* "act1 (relu)" */
  int          width;    /* units */
  const float *values;   /* width values */
} NwLayerStripLayer;

#define NW_TYPE_LAYER_STRIP (nw_layer_strip_get_type ())
G_DECLARE_FINAL_TYPE (NwLayerStrip, nw_layer_strip, NW, LAYER_STRIP, GtkWidget)

GtkWidget  *nw_layer_strip_new          (void);
/* Replaces the layers (n = 0: none). When only the values change (same names and widths),
 * the layout stays and only a redraw is queued. */
void        nw_layer_strip_set_layers   (NwLayerStrip *self, int n, const NwLayerStripLayer *layers);
/* Keeps the layers' names and widths but shows no values (the nothing-to-read state). */
void        nw_layer_strip_clear_values (NwLayerStrip *self);
/* A message shown instead of any strip ("Set a model to see its layers"); NULL for none. */
void        nw_layer_strip_set_message  (NwLayerStrip *self, const char *message);
int         nw_layer_strip_get_n_layers (NwLayerStrip *self);

/* Draws into `cr` at width x height; the height a given width needs. */
void        nw_layer_strip_draw         (NwLayerStrip *self, cairo_t *cr, int width, int height);
int         nw_layer_strip_height_for_width (NwLayerStrip *self, int width);

G_END_DECLS
