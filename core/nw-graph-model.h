/* nw-graph-model.h: the network editor's model, without a screen.
 *
 * NwGraphModel owns the spec being edited (nodes, their settings and canvas positions,
 * edges), its undo/redo history, and what it derives after every change: validation against
 * the data's shape (nw_spec_validate), the node or edge at fault and the reason, and each
 * node's inferred output width and parameter count, even when the graph is invalid. Every
 * edit is one undoable step. The editor widget (ui/nw-editor.c) holds one and listens to it;
 * tests drive it without a display.
 *
 * Properties (read-only, notified on change): "valid" (gboolean), "invalid-reason" (string),
 * "can-undo", "can-redo" (gboolean), "selected" (string: a node id), "selected-edge" (int).
 * Signals, in the order they go out after an edit, undo or redo:
 *   "node-renamed"  (const char *old_id, const char *new_id)   a block's id was changed
 *   "validated"     ()        validation ran again (after every change of the spec or the
 *                             data shape): widths, marks and the reason may differ
 *   "node-toggled"  (const char *id, gboolean enabled)         a Dropout/BatchNorm block was
 *                             switched on or off (edit, undo or redo)
 *   "changed"       (int edit)   after every edit, undo and redo, with its NwGraphEdit (not
 *                             after nw_graph_model_set_spec)
 *   "reset"         ()        nw_graph_model_set_spec replaced the spec and the history
 * "selected" and "selected-edge" are notified before "validated" when an edit removes what
 * was selected. */
#pragma once

#include <glib-object.h>

#include "nw-spec.h"

G_BEGIN_DECLS

/* How many edits can be undone; older ones are forgotten. */
#define NW_GRAPH_MODEL_UNDO_LIMIT 200

/* Canvas units of the automatic layout: a block's width and its default height (the widget
 * draws blocks this size, taller with more ports or neuron thumbnails). */
#define NW_GRAPH_MODEL_BLOCK_WIDTH  136.0
#define NW_GRAPH_MODEL_BLOCK_HEIGHT 50.0

/* What an edit changed, so a window can keep training through edits that do not change the
 * network (positions) or that the trainer takes live (the on/off switches). */
typedef enum {
  NW_GRAPH_EDIT_NONE,        /* nothing yet (or nothing changed) */
  NW_GRAPH_EDIT_LAYOUT,      /* only block positions */
  NW_GRAPH_EDIT_TOGGLE,      /* only Dropout/BatchNorm "enabled" flags (and maybe positions) */
  NW_GRAPH_EDIT_STRUCTURE,   /* anything else: nodes, edges or settings */
} NwGraphEdit;

#define NW_GRAPH_MODEL_ERROR (nw_graph_model_error_quark ())
typedef enum {
  NW_GRAPH_MODEL_ERROR_UNKNOWN_NODE,   /* no node of that id */
  NW_GRAPH_MODEL_ERROR_UNKNOWN_EDGE,   /* no such wire */
  NW_GRAPH_MODEL_ERROR_UNKNOWN_FIELD,  /* the node's kind has no such setting */
  NW_GRAPH_MODEL_ERROR_INVALID_VALUE,  /* the text does not parse, or the id is taken */
  NW_GRAPH_MODEL_ERROR_REFUSED,        /* a wire the editor never makes (self-loop, ...) */
  NW_GRAPH_MODEL_ERROR_NO_CHANGE,      /* the wire is already there: no undo step */
} NwGraphModelError;
GQuark nw_graph_model_error_quark (void);

#define NW_TYPE_GRAPH_MODEL (nw_graph_model_get_type ())
G_DECLARE_FINAL_TYPE (NwGraphModel, nw_graph_model, NW, GRAPH_MODEL, GObject)

/* An empty spec, validated against 2 features, 1 target and 2 classes. */
NwGraphModel *nw_graph_model_new              (void);

/* The spec is copied; the history and the selection are cleared; "reset" follows. A spec
 * whose nodes all sit at (0, 0) is laid out (5 columns, blocks of the default height) and
 * counts as freshly laid out until the next edit. */
void          nw_graph_model_set_spec         (NwGraphModel *self,
                                               const NwSpec *spec);
/* The edited spec (borrowed: valid until the next change), and a copy (free it). */
const NwSpec *nw_graph_model_get_spec         (NwGraphModel *self);
NwSpec       *nw_graph_model_dup_spec         (NwGraphModel *self);

/* The data the network is validated against; validates again if it changed. */
void          nw_graph_model_set_data_shape   (NwGraphModel *self,
                                               int           input_width,
                                               int           target_width,
                                               int           n_classes);
int           nw_graph_model_get_input_width  (NwGraphModel *self);

/* Edits, one undoable step each. Each emits "changed" (see the top of this file) or, when it
 * is refused, returns FALSE (NULL) with `error` naming the node, edge or field.
 * add_node: a block of `kind` with default settings (Dense: 4 units) whose top-left corner is
 * at (x, y) in canvas units (rounded, clamped to +-1e6); returns its new id (free it). */
char         *nw_graph_model_add_node         (NwGraphModel *self,
                                               NwNodeKind    kind,
                                               double        x,
                                               double        y);
/* Wires `from`'s output into input `port` of `to` (port < 0: the first free one), replacing
 * any wire already on that port. Refuses self-loops, unknown nodes, wires out of the loss or
 * into the input, and ports a block does not have; cycles and shape mismatches are allowed
 * (and marked). A wire already there is NW_GRAPH_MODEL_ERROR_NO_CHANGE. */
gboolean      nw_graph_model_connect          (NwGraphModel *self,
                                               const char   *from,
                                               const char   *to,
                                               int           port,
                                               GError      **error);
/* One step: removes edge number `detach` (-1: none) and, if `from` is not NULL, wires
 * from -> to on `port` as nw_graph_model_connect does (a wire picked up and dropped on
 * another port). NW_GRAPH_MODEL_ERROR_NO_CHANGE if it would change nothing. */
gboolean      nw_graph_model_rewire           (NwGraphModel *self,
                                               int           detach,
                                               const char   *from,
                                               const char   *to,
                                               int           port,
                                               GError      **error);
/* Removes a block and its wires; the inputs of an Add/Concat it fed close up. */
gboolean      nw_graph_model_remove_node      (NwGraphModel *self,
                                               const char   *id,
                                               GError      **error);
gboolean      nw_graph_model_remove_edge      (NwGraphModel *self,
                                               const char   *from,
                                               const char   *to,
                                               int           port,
                                               GError      **error);
/* TRUE and no undo step when the block is already there. */
gboolean      nw_graph_model_move_node        (NwGraphModel *self,
                                               const char   *id,
                                               double        x,
                                               double        y,
                                               GError      **error);
/* One setting from text, as a file writes it: the fields of the node's kind in
 * core/nw-node-kind.h ("units", "activation", "p", "enabled", ...) and "id" (renames the
 * block and its wires; "node-renamed" goes out). A number out of range is stored (validation
 * marks it); text that does not parse is refused. TRUE and no undo step when the value is
 * unchanged. */
gboolean      nw_graph_model_set_node_setting (NwGraphModel *self,
                                               const char   *id,
                                               const char   *field,
                                               const char   *value,
                                               GError      **error);

/* A block dragged across the canvas: each preview moves it without an undo step or
 * "changed" (the first remembers the spec before); end_move makes all the moves since one
 * undoable step (FALSE if there were none), cancel_move puts the blocks back. */
void          nw_graph_model_preview_move     (NwGraphModel *self,
                                               const char   *id,
                                               double        x,
                                               double        y);
gboolean      nw_graph_model_end_move         (NwGraphModel *self);
void          nw_graph_model_cancel_move      (NwGraphModel *self);

/* Undo and redo: FALSE (and nothing happens) when there is nothing to undo/redo. */
gboolean      nw_graph_model_undo             (NwGraphModel *self);
gboolean      nw_graph_model_redo             (NwGraphModel *self);
gboolean      nw_graph_model_get_can_undo     (NwGraphModel *self);
gboolean      nw_graph_model_get_can_redo     (NwGraphModel *self);
/* Steps on the undo stack (at most NW_GRAPH_MODEL_UNDO_LIMIT). */
guint         nw_graph_model_get_n_undo       (NwGraphModel *self);
NwGraphEdit   nw_graph_model_get_last_edit    (NwGraphModel *self);
/* What changed from `a` to `b` (NONE: nothing). */
NwGraphEdit   nw_graph_model_compare_specs    (const NwSpec *a,
                                               const NwSpec *b);

/* Validation. The reason is borrowed (NULL when valid). The error names one node or one
 * edge (borrowed strings); the marks are everything it points at: a cycle marks every node
 * and wire on it. */
gboolean      nw_graph_model_get_valid        (NwGraphModel *self);
const char   *nw_graph_model_get_invalid_reason (NwGraphModel *self);
const char   *nw_graph_model_get_error_node   (NwGraphModel *self);
gboolean      nw_graph_model_get_error_edge   (NwGraphModel *self,
                                               const char  **from,
                                               const char  **to);
gboolean      nw_graph_model_node_is_marked   (NwGraphModel *self,
                                               const char   *id);
gboolean      nw_graph_model_edge_is_marked   (NwGraphModel *self,
                                               const char   *from,
                                               const char   *to);
guint         nw_graph_model_get_n_marked_nodes (NwGraphModel *self);
guint         nw_graph_model_get_n_marked_edges (NwGraphModel *self);

/* What is inferred for node number `node` (-1: unknown, e.g. an unconnected input). */
int           nw_graph_model_width_at         (NwGraphModel *self,
                                               int           node);
gint64        nw_graph_model_params_at        (NwGraphModel *self,
                                               int           node);
/* A block's title as the canvas shows it ("Dense 4", "Input 2", ...); free it. */
char         *nw_graph_model_dup_node_title   (NwGraphModel *self,
                                               const NwNodeSpec *node);
const char   *nw_graph_model_kind_label       (NwNodeKind    kind);
/* Kinds with an "enabled" setting, switched on and off on the canvas. */
gboolean      nw_graph_model_node_has_toggle  (const NwNodeSpec *node);

/* Graph queries on the model's spec. Node and edge numbers index spec->nodes/edges. */
int           nw_graph_model_node_index       (NwGraphModel *self,
                                               const char   *id);
/* The edge into port `port` of node `to`, or -1. */
int           nw_graph_model_edge_into        (NwGraphModel *self,
                                               const char   *to,
                                               int           port);
/* The node feeding port `port` of node number `node`, or -1. */
int           nw_graph_model_source_of        (NwGraphModel *self,
                                               int           node,
                                               int           port);
/* 1 + the highest input port of `node` that is fed (0: none). */
int           nw_graph_model_n_fed_ports      (NwGraphModel *self,
                                               const NwNodeSpec *node);

/* Selection (not an edit): a node, or an edge number (-1: none); selecting one clears the
 * other. An unknown id is ignored (FALSE). Edits that remove the selected node clear it; every
 * edit clears the selected edge (its number may now mean another). */
gboolean      nw_graph_model_select           (NwGraphModel *self,
                                               const char   *id);
const char   *nw_graph_model_get_selected     (NwGraphModel *self);
void          nw_graph_model_select_edge      (NwGraphModel *self,
                                               int           edge);
int           nw_graph_model_get_selected_edge (NwGraphModel *self);

/* Automatic layout, in canvas units. Not an edit: no undo step, no signal (the caller that
 * asks for it redraws). Columns by depth (the longest path from a node without inputs),
 * wrapping after `columns` columns as lines of text do; blocks of one depth stack.
 * `heights` holds each node's height (spec order), as the widget draws it; NULL: every block
 * NW_GRAPH_MODEL_BLOCK_HEIGHT tall. */
void          nw_graph_model_auto_layout      (NwGraphModel *self,
                                               int           columns,
                                               const double *heights);
/* The number of columns of a one-row layout (the longest path, in nodes). */
int           nw_graph_model_get_layout_depth (NwGraphModel *self);
/* Laid out by nw_graph_model_set_spec and not edited since: the widget may lay it out again
 * for its own shape. */
gboolean      nw_graph_model_get_layout_fresh (NwGraphModel *self);

G_END_DECLS
