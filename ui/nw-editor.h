/* nw-editor.h: the network editor canvas.
 *
 * NwEditor edits an NwSpec's graph (nodes, their settings and canvas positions, edges): a
 * palette of block kinds on the left, a canvas on the right where blocks are placed, moved,
 * wired and clicked to edit their settings. Every edit is one undoable step. The graph is
 * validated after every edit against the data's shape; an invalid graph is marked where it is
 * wrong (the block or wire named by nw_spec_validate in red, the reason beside it) and the
 * "valid"/"invalid-reason" properties say so, so the window can disable Play.
 *
 * The spec, its edits, undo/redo, validation and the selection live in an NwGraphModel
 * (core/nw-graph-model.h), which works without a screen; the editor draws it, turns the
 * pointer and keys into its edits, and hands its signals and properties on as the ones below.
 *
 * Properties (read-only, notified on change): "valid", "invalid-reason", "can-undo",
 * "can-redo", "selected".
 * Signals:
 *   "spec-changed" ()                       after every edit, undo and redo (not after
 *                                           nw_editor_set_spec); nw_editor_get_last_edit()
 *                                           says what kind of change it was.
 *   "node-toggled" (const char *id, gboolean enabled)
 *                                           a Dropout/BatchNorm block was switched on or off
 *                                           (by its switch, its popover, a setting or an
 *                                           undo/redo); emitted just before "spec-changed". */
#pragma once

#include <gtk/gtk.h>

#include "nw-graph-model.h"
#include "nw-spec.h"
#include "nw-trainer.h"

G_BEGIN_DECLS

#define NW_TYPE_EDITOR (nw_editor_get_type ())
G_DECLARE_FINAL_TYPE (NwEditor, nw_editor, NW, EDITOR, GtkWidget)

/* What the last edit changed: core's NwGraphEdit (nw-graph-model.h), by its older names. */
typedef NwGraphEdit NwEditorEdit;
#define NW_EDITOR_EDIT_NONE      NW_GRAPH_EDIT_NONE
#define NW_EDITOR_EDIT_LAYOUT    NW_GRAPH_EDIT_LAYOUT
#define NW_EDITOR_EDIT_TOGGLE    NW_GRAPH_EDIT_TOGGLE
#define NW_EDITOR_EDIT_STRUCTURE NW_GRAPH_EDIT_STRUCTURE

NwEditor     *nw_editor_new                (void);
/* The model the editor shows and edits (borrowed; lives as long as the editor). Edits made
 * on it directly show, and go out as the editor's signals, as the editor's own do. */
NwGraphModel *nw_editor_get_model          (NwEditor     *self);

/* The spec is copied; the undo history is cleared. A spec whose nodes all sit at (0, 0)
 * (nw_spec_new_chain's, or a file without positions) is laid out automatically. */
void          nw_editor_set_spec           (NwEditor     *self,
                                            const NwSpec *spec);
/* A copy of the edited spec (free it), and the edited spec itself (borrowed: valid until the
 * next edit). The training and data settings are those given to nw_editor_set_spec. */
NwSpec       *nw_editor_dup_spec           (NwEditor     *self);
const NwSpec *nw_editor_get_spec           (NwEditor     *self);

/* The data the network is validated against (defaults: 2 features, 1 target, 2 classes). */
void          nw_editor_set_data_shape     (NwEditor     *self,
                                            int           input_width,
                                            int           target_width,
                                            int           n_classes);

/* Validation. `reason` (may be NULL) receives a copy of the reason (NULL when valid). */
gboolean      nw_editor_get_valid          (NwEditor     *self,
                                            char        **reason);
/* Borrowed; NULL when valid. */
const char   *nw_editor_get_invalid_reason (NwEditor     *self);
/* The node the validation error names and marks (borrowed; NULL if it names none). */
const char   *nw_editor_get_error_node     (NwEditor     *self);
/* The edge the validation error names and marks (borrowed strings); FALSE if it names none. */
gboolean      nw_editor_get_error_edge     (NwEditor     *self,
                                            const char  **from,
                                            const char  **to);
/* What the editor infers for a node even when the graph is invalid: its output width and its
 * parameter count (-1: unknown, e.g. an unconnected input). */
int           nw_editor_get_node_width     (NwEditor     *self,
                                            const char   *id);
gint64        nw_editor_get_param_count    (NwEditor     *self,
                                            const char   *id);

/* Undo and redo: each returns FALSE (and does nothing) when there is nothing to undo/redo. */
gboolean      nw_editor_undo               (NwEditor     *self);
gboolean      nw_editor_redo               (NwEditor     *self);
gboolean      nw_editor_get_can_undo       (NwEditor     *self);
gboolean      nw_editor_get_can_redo       (NwEditor     *self);
NwEditorEdit  nw_editor_get_last_edit      (NwEditor     *self);

/* Edits, one undoable step each, as the user makes them.
 * add_node: a block of `kind` with default settings (Dense: 4 units) whose top-left corner is
 * at (x, y) in canvas units; returns its new id (free it). */
char         *nw_editor_add_node           (NwEditor     *self,
                                            NwNodeKind    kind,
                                            double        x,
                                            double        y);
/* Wires `from`'s output into input `port` of `to` (port < 0: the first free one), replacing
 * any wire already on that port. Refuses self-loops, unknown nodes, wires out of the loss or
 * into the input, and ports a block does not have; cycles and shape mismatches are allowed
 * (and marked). FALSE if refused or if the wire is already there. */
gboolean      nw_editor_connect            (NwEditor     *self,
                                            const char   *from,
                                            const char   *to,
                                            int           port);
/* Removes a block and its wires; the inputs of an Add/Concat it fed close up. */
gboolean      nw_editor_remove_node        (NwEditor     *self,
                                            const char   *id);
gboolean      nw_editor_remove_edge        (NwEditor     *self,
                                            const char   *from,
                                            const char   *to,
                                            int           port);
gboolean      nw_editor_move_node          (NwEditor     *self,
                                            const char   *id,
                                            double        x,
                                            double        y);
/* One setting from text, as a file writes it: "units" "10", "activation" "tanh", "alpha",
 * "weight_init"/"bias_init" (initializer names), "weight_init_param", "bias_init_param",
 * "p", "enabled"/"affine"/"bias" ("true"/"false"), "momentum", "eps", "loss" (loss names),
 * and "id" (renames the block and its wires). Choosing an activation resets alpha to that
 * activation's default. FALSE for an unknown node or field, a field the block does not have,
 * or a value that does not parse; TRUE (and no undo step) when the value is unchanged. */
gboolean      nw_editor_set_node_setting   (NwEditor     *self,
                                            const char   *id,
                                            const char   *field,
                                            const char   *value);

/* Selection (not an edit). NULL deselects. The selected id is borrowed. */
void          nw_editor_select             (NwEditor     *self,
                                            const char   *id);
const char   *nw_editor_get_selected       (NwEditor     *self);
/* Opens the settings popover of a block (what a click on it does). */
void          nw_editor_popup_settings     (NwEditor     *self,
                                            const char   *id);
/* The popover when it has been built (borrowed, NULL before the first popup): tests look
 * up its controls by widget name (the setting's field: "units", "activation", "p", ...). */
GtkWidget    *nw_editor_get_popover        (NwEditor     *self);

/* Per-neuron thumbnails inside a Dense or Activation block: `values` holds `n_units` images
 * of grid_n x grid_n values each (unit-major, rows top to bottom) over the decision boundary's
 * window, drawn on the boundary view's scale: `lo` blue, the middle of [lo, hi] neutral, `hi`
 * orange (clamped). The images are turned into surfaces here, once per call, so drawing the
 * canvas only scales them. NULL values removes them. Hovering a thumbnail shows it large,
 * beside the pointer, with the layer and unit named. */
void          nw_editor_set_neuron_images  (NwEditor     *self,
                                            const char   *node_id,
                                            const float  *values,
                                            int           n_units,
                                            int           grid_n,
                                            float         lo,
                                            float         hi);
/* Units with a thumbnail in a block (0: none). */
int           nw_editor_get_n_neuron_images (NwEditor    *self,
                                            const char   *node_id);
void          nw_editor_clear_neuron_images (NwEditor    *self);
/* The neuron maps of every hidden Dense and Activation node in `snap` (whose layers `ids`
 * names in execution order); nodes without maps lose theirs. */
void          nw_editor_show_snapshot_maps (NwEditor     *self,
                                            const NwSnapshot *snap,
                                            const char *const *ids);

/* Zooms and pans so that every block is in view (at most 1:1). */
void          nw_editor_fit_view           (NwEditor     *self);

G_END_DECLS
