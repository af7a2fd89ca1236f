/* nw-graph-model-private.h: NwGraphModel's state, shared by its two files.
 *
 * nw-graph-model.c       the object: history, signals and notifications, queries, selection
 * nw-graph-model-check.c what is derived after every change: widths, parameter counts,
 *                        validation and its marks
 * nw-graph-model-edit.c  the edits (pure functions on a copy of the spec, then committed)
 *                        and the automatic layout */
#pragma once

#include "nw-graph-model.h"

G_BEGIN_DECLS

struct _NwGraphModel
{
  GObject      parent_instance;

  NwSpec      *spec;
  GPtrArray   *undo;             /* of NwSpec*, oldest first */
  GPtrArray   *redo;             /* of NwSpec*, the next redo last */
  NwSpec      *move_before;      /* the spec before a previewed move began, or NULL */
  NwGraphEdit  last_edit;
  int          input_width, target_width, n_classes;
  gboolean     layout_fresh;     /* laid out by set_spec and not edited since */

  /* Derived from the spec after every change */
  gboolean     valid;
  char        *reason;           /* NULL when valid */
  char        *error_node;       /* the node the error names first */
  char        *error_from;       /* the edge it names */
  char        *error_to;
  GHashTable  *marked_nodes;     /* ids (a cycle marks every node on it) */
  GHashTable  *marked_edges;     /* "from\nto" keys */
  GArray      *widths;           /* int per node: inferred output width, -1 unknown */

  char        *selected;         /* node id, or NULL */
  int          selected_edge;    /* index in spec->edges, or -1 */
};

/* nw-graph-model.c */
/* Applies an edit made to a copy of the spec: `after` replaces the spec, the old one goes on
 * the undo stack, redo is cleared, everything derived is recomputed and signals go out.
 * `renamed_from`/`renamed_to` (both NULL unless the edit renamed a node) go out first as
 * "node-renamed". */
void  nw_graph_model_commit         (NwGraphModel *self,
                                     NwSpec       *after,
                                     const char   *renamed_from,
                                     const char   *renamed_to);
void  nw_graph_model_revalidate     (NwGraphModel *self);
int   nw_graph_spec_node_index      (const NwSpec *spec, const char *id);
int   nw_graph_spec_edge_into       (const NwSpec *spec, const char *to, int port);
int   nw_graph_spec_n_fed_ports     (const NwSpec *spec, const char *id);
/* The node feeding port `port` of node number `node`, or -1. */
int   nw_graph_spec_source_of       (const NwSpec *spec, int node, int port);

/* nw-graph-model-check.c */
/* Recomputes widths, the verdict, the reason and the marks; notifies nothing. */
void  nw_graph_model_check          (NwGraphModel *self);

/* nw-graph-model-edit.c */
gboolean nw_graph_spec_needs_layout (const NwSpec *spec);

G_END_DECLS
