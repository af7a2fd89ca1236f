/* nw-editor-private.h: NwEditor's state and the functions its parts share.
 *
 * nw-editor.c          the widget: children (palette, canvas, popover), properties, signals
 * nw-editor-model.c    edits, undo/redo, validation and its marks, inferred widths, layout
 * nw-editor-draw.c     geometry in canvas units, hit testing, drawing with Cairo
 * nw-editor-input.c    pointer, scroll, key and drag-and-drop handling
 * nw-editor-popover.c  the settings popover of a block */
#pragma once

#include "nw-editor.h"

G_BEGIN_DECLS

#define NW_EDITOR_UNDO_LIMIT   200
#define NW_EDITOR_MIN_SCALE    0.25
#define NW_EDITOR_MAX_SCALE    3.0

/* Block geometry, canvas units. */
#define NW_BLOCK_WIDTH         136.0
#define NW_BLOCK_HEIGHT        50.0
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

  /* The model */
  NwSpec     *spec;
  GPtrArray  *undo;             /* of NwSpec*, oldest first */
  GPtrArray  *redo;             /* of NwSpec*, the next redo last */
  NwEditorEdit last_edit;
  int         input_width, target_width, n_classes;

  /* Derived from the spec after every change */
  gboolean    valid;
  char       *reason;           /* NULL when valid */
  char       *error_node;       /* the node the error names first */
  char       *error_from;       /* the edge it names */
  char       *error_to;
  GHashTable *marked_nodes;     /* ids drawn in red (a cycle marks every node on it) */
  GHashTable *marked_edges;     /* "from\nto" keys drawn in red */
  GArray     *widths;           /* int per node: inferred output width, -1 unknown */

  char       *selected;         /* node id, or NULL */
  int         selected_edge;    /* index in spec->edges, or -1 */

  /* The view: widget = canvas * scale + (tx, ty) */
  double      scale, tx, ty;
  gboolean    fit_pending;
  gboolean    view_touched;     /* panned or zoomed since the spec was set or fitted */
  gboolean    layout_fresh;     /* laid out by the editor and not edited since */
  int         view_w, view_h;   /* the canvas size the view was last fitted to */

  /* Pointer interaction */
  NwDragMode  drag_mode;
  NwHit       drag_hit;
  double      drag_x0, drag_y0;     /* widget coordinates where the drag began */
  double      drag_tx0, drag_ty0;   /* view offset then (pan) */
  double      drag_node_x0, drag_node_y0;
  gboolean    dragged;              /* moved past the click threshold */
  NwSpec     *drag_before;          /* the spec before a move began */
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
void      nw_editor_revalidate           (NwEditor *self);
/* Applies an edit made to a copy of the spec: `after` replaces the spec, the old one goes on
 * the undo stack, redo is cleared, everything derived is recomputed and signals go out. */
void      nw_editor_commit               (NwEditor *self, NwSpec *after);
/* The same when the spec was changed in place and `before` is a copy from before the change
 * (a drag of a block); takes `before`. */
void      nw_editor_commit_in_place      (NwEditor *self, NwSpec *before);
int       nw_editor_node_index           (NwEditor *self, const char *id);
int       nw_editor_width_at             (NwEditor *self, int node);
gint64    nw_editor_params_at            (NwEditor *self, int node);
int       nw_editor_source_of            (const NwSpec *spec, int node, int port);
int       nw_editor_edge_into            (const NwSpec *spec, const char *to, int port);
int       nw_editor_n_fed_ports          (const NwSpec *spec, const NwNodeSpec *node);
char     *nw_editor_node_title           (NwEditor *self, const NwNodeSpec *node);
gboolean  nw_editor_node_has_toggle      (const NwNodeSpec *node);
gboolean  nw_editor_edge_is_marked       (NwEditor *self, const NwEdgeSpec *edge);
void      nw_editor_auto_layout          (NwEditor *self, int columns);
/* The number of columns of a one-row layout (lays the spec out in one row). */
int       nw_editor_layout_depth         (NwEditor *self);
NwEditorEdit nw_editor_compare_specs     (const NwSpec *a, const NwSpec *b);
const char *nw_editor_kind_label         (NwNodeKind kind);
void      nw_editor_kind_color           (NwNodeKind kind, double rgb[3]);
char     *nw_editor_add_node_at_free_spot (NwEditor *self, NwNodeKind kind);
/* One step: removes edge `detach` (-1: none) and, if `from` is not NULL, wires from -> to
 * on `port` (as nw_editor_connect). FALSE if nothing changed. */
gboolean  nw_editor_rewire               (NwEditor *self, int detach, const char *from,
                                          const char *to, int port);

/* nw-editor-draw.c */
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
