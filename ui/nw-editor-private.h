/* nw-editor-private.h: NwEditor's state and the functions its parts share.
 *
 * nw-editor.c          the widget: children (palette, canvas, popover), properties, signals
 * nw-editor-model.c    the widget's side of its NwGraphModel (core/nw-graph-model.h, which
 *                      holds the spec, edits, undo/redo, validation, widths and selection):
 *                      the public edit API handed on, and what the widget does when the
 *                      model changes (redraw, the popover, its own signals)
 * nw-editor-draw.c     geometry in canvas units, hit testing, layout with the blocks' real
 *                      heights, drawing with Cairo
 * nw-editor-input.c    pointer, scroll, key and drag-and-drop handling
 * nw-editor-popover.c  the settings popover of a block */
#pragma once

#include "nw-editor.h"
#include "nw-graph-model.h"

G_BEGIN_DECLS

#define NW_EDITOR_UNDO_LIMIT   NW_GRAPH_MODEL_UNDO_LIMIT
#define NW_EDITOR_MIN_SCALE    0.25
#define NW_EDITOR_MAX_SCALE    3.0

/* Block geometry, canvas units. */
#define NW_BLOCK_WIDTH         NW_GRAPH_MODEL_BLOCK_WIDTH
#define NW_BLOCK_HEIGHT        NW_GRAPH_MODEL_BLOCK_HEIGHT
#define NW_PORT_SPACING        18.0
#define NW_PORT_RADIUS         5.0
#define NW_THUMB_SIZE          20.0
#define NW_THUMB_GAP           4.0
#define NW_THUMBS_PER_ROW      5
#define NW_THUMBS_MAX          20

typedef struct {
  double x, y, width, height;
} NwRect;

typedef enum {
  NW_HIT_NONE,
  NW_HIT_BLOCK,
  NW_HIT_INPUT_PORT,
  NW_HIT_OUTPUT_PORT,
  NW_HIT_TOGGLE,
  NW_HIT_THUMB,
  NW_HIT_EDGE,
} NwHitKind;

typedef struct {
  NwHitKind kind;
  int       node;      /* index in spec->nodes, or -1 */
  int       port;      /* input port (NW_HIT_INPUT_PORT) */
  int       unit;      /* thumbnail (NW_HIT_THUMB) */
  int       edge;      /* index in spec->edges (NW_HIT_EDGE), or -1 */
} NwHit;

typedef enum {
  NW_DRAG_NONE,
  NW_DRAG_PAN,
  NW_DRAG_MOVE,
  NW_DRAG_WIRE,
  NW_DRAG_CLICK,       /* pressed on something that only reacts to a click */
} NwDragMode;

typedef struct {
  int               n_units;
  int               grid_n;
  float             lo, hi;     /* the scale the surfaces were drawn on */
  cairo_surface_t **surfaces;   /* one per unit, grid_n x grid_n */
} NwNeuronImages;

struct _NwEditor
{
  GtkWidget   parent_instance;

  GtkWidget  *palette;          /* GtkScrolledWindow with the block buttons */
  GtkWidget  *canvas;           /* GtkDrawingArea */
  GtkWidget  *popover;          /* settings; built on first use */
  GtkWidget  *undo_button;
  GtkWidget  *redo_button;
  char       *popover_node;     /* id whose settings the popover shows */
  gboolean    popover_updating; /* the popover's own edit is being applied */

  /* The spec, its history, validation, widths and the selection (core/nw-graph-model.h) */
  NwGraphModel *model;

  /* The view: widget = canvas * scale + (tx, ty) */
  double      scale, tx, ty;
  gboolean    fit_pending;
  gboolean    view_touched;     /* panned or zoomed since the spec was set or fitted */
  int         view_w, view_h;   /* the canvas size the view was last fitted to */
  double      view_text_factor; /* and the font's size then (nw_editor_text_factor) */

  /* Pointer interaction */
  NwDragMode  drag_mode;
  NwHit       drag_hit;
  double      drag_x0, drag_y0;     /* widget coordinates where the drag began */
  double      drag_tx0, drag_ty0;   /* view offset then (pan) */
  double      drag_node_x0, drag_node_y0;
  gboolean    dragged;              /* moved past the click threshold */
  int         wire_node;            /* the fixed end of the wire being drawn */
  gboolean    wire_from_input;      /* dragging from an input port towards an output */
  int         wire_port;            /* that input port */
  int         wire_detached;        /* edge picked up off an input port, or -1 */
  NwHit       wire_target;          /* where the wire would land */
  double      pointer_x, pointer_y; /* widget coordinates */
  gboolean    pointer_in;
  NwHit       hover;

  GHashTable *neuron_images;    /* id -> NwNeuronImages* */
  char       *maps_description; /* the accessible description they make */
};

/* nw-editor-model.c */
void      nw_editor_model_init           (NwEditor *self);
void      nw_editor_model_finalize       (NwEditor *self);

/* The edited spec (borrowed: valid until the next change). */
static inline const NwSpec *
nw_editor_spec (NwEditor *self)
{
  return nw_graph_model_get_spec (self->model);
}

static inline int
nw_editor_node_index (NwEditor *self, const char *id)
{
  return nw_graph_model_node_index (self->model, id);
}

static inline gboolean
nw_editor_edge_is_marked (NwEditor *self, const NwEdgeSpec *edge)
{
  return nw_graph_model_edge_is_marked (self->model, edge->from, edge->to);
}

/* nw-editor-draw.c */
/* The canvas's font size against GTK's default: the view's largest scale. */
double    nw_editor_text_factor          (NwEditor *self);
void      nw_editor_kind_color           (NwNodeKind kind, double rgb[3]);
/* The model's automatic layout with each block as tall as it is drawn. */
void      nw_editor_auto_layout          (NwEditor *self, int columns);
int       nw_editor_n_input_ports        (NwEditor *self, const NwNodeSpec *node);
void      nw_editor_block_rect           (NwEditor *self, const NwNodeSpec *node, NwRect *r);
void      nw_editor_input_port_pos       (NwEditor *self, const NwNodeSpec *node, int port,
                                          double *x, double *y);
void      nw_editor_output_port_pos      (NwEditor *self, const NwNodeSpec *node,
                                          double *x, double *y);
void      nw_editor_toggle_rect          (NwEditor *self, const NwNodeSpec *node, NwRect *r);
gboolean  nw_editor_thumb_rect           (NwEditor *self, const NwNodeSpec *node, int unit,
                                          NwRect *r);
int       nw_editor_n_thumbs             (NwEditor *self, const NwNodeSpec *node);
NwHit     nw_editor_hit_test             (NwEditor *self, double wx, double wy);
void      nw_editor_to_canvas            (NwEditor *self, double wx, double wy,
                                          double *cx, double *cy);
void      nw_editor_to_widget            (NwEditor *self, double cx, double cy,
                                          double *wx, double *wy);
void      nw_editor_draw                 (NwEditor *self, cairo_t *cr, int width, int height);
void      nw_editor_do_fit_view          (NwEditor *self, int width, int height);
void      nw_neuron_images_free          (gpointer data);
/* Updates the accessible description that lists the blocks showing neuron maps. */
void      nw_editor_describe_neuron_images (NwEditor *self);

/* nw-editor-input.c */
void      nw_editor_input_init           (NwEditor *self);
/* What the drag gesture reports, in canvas-widget coordinates (the drag as offsets from the
 * press); tests drive the pointer through these. */
void      nw_editor_pointer_press        (NwEditor *self, guint button, double x, double y);
void      nw_editor_pointer_drag         (NwEditor *self, double ox, double oy);
void      nw_editor_pointer_release      (NwEditor *self, guint button, double ox, double oy);
void      nw_editor_zoom_at              (NwEditor *self, double factor, double wx, double wy);

/* nw-editor-popover.c */
void      nw_editor_popover_show         (NwEditor *self, const char *id);
void      nw_editor_popover_hide         (NwEditor *self);
/* The node the popover edits was removed, renamed or changed under it. */
void      nw_editor_popover_sync         (NwEditor *self);

G_END_DECLS
