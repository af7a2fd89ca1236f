/* test-graph-model.c: the editor's model (core/nw-graph-model.h) on its own, without a
 * display: edits and their errors, undo/redo and its limit, validation and the node or edge
 * it marks, inferred widths and parameter counts, the on/off switches, renames, the
 * selection, previewed moves and the automatic layout, and the signals each sends. */
#include "nw-test.h"
#include "nw-graph-model.h"

#include <math.h>
#include <string.h>

/* What the model said, in order. */
typedef struct {
  GString *log;           /* "changed:3 toggled:dropout1=0 ..." */
  int      changed, reset, validated, toggled, renamed;
  int      notify_valid, notify_reason, notify_undo, notify_redo, notify_selected;
  int      last_edit;
} Events;

static void
on_changed (NwGraphModel *m, int edit, Events *ev)
{
  ev->changed++;
  ev->last_edit = edit;
  g_string_append_printf (ev->log, "changed:%d ", edit);
}

static void
on_reset (NwGraphModel *m, Events *ev)
{
  ev->reset++;
  g_string_append (ev->log, "reset ");
}

static void
on_validated (NwGraphModel *m, Events *ev)
{
  ev->validated++;
}

static void
on_toggled (NwGraphModel *m, const char *id, gboolean enabled, Events *ev)
{
  ev->toggled++;
  g_string_append_printf (ev->log, "toggled:%s=%d ", id, enabled);
}

static void
on_renamed (NwGraphModel *m, const char *old_id, const char *new_id, Events *ev)
{
  ev->renamed++;
  g_string_append_printf (ev->log, "renamed:%s>%s ", old_id, new_id);
}

static void
on_notify (NwGraphModel *m, GParamSpec *pspec, Events *ev)
{
  const char *name = g_param_spec_get_name (pspec);
  if (strcmp (name, "valid") == 0)
    ev->notify_valid++;
  else if (strcmp (name, "invalid-reason") == 0)
    ev->notify_reason++;
  else if (strcmp (name, "can-undo") == 0)
    ev->notify_undo++;
  else if (strcmp (name, "can-redo") == 0)
    ev->notify_redo++;
  else if (strcmp (name, "selected") == 0)
    ev->notify_selected++;
}

static void
events_clear (Events *ev)
{
  GString *log = ev->log;
  memset (ev, 0, sizeof *ev);
  ev->log = log;
  ev->last_edit = -1;
  g_string_truncate (log, 0);
}

static NwGraphModel *
new_model (Events *ev)
{
  NwGraphModel *m = nw_graph_model_new ();
  memset (ev, 0, sizeof *ev);
  ev->log = g_string_new (NULL);
  ev->last_edit = -1;
  g_signal_connect (m, "changed", G_CALLBACK (on_changed), ev);
  g_signal_connect (m, "reset", G_CALLBACK (on_reset), ev);
  g_signal_connect (m, "validated", G_CALLBACK (on_validated), ev);
  g_signal_connect (m, "node-toggled", G_CALLBACK (on_toggled), ev);
  g_signal_connect (m, "node-renamed", G_CALLBACK (on_renamed), ev);
  g_signal_connect (m, "notify", G_CALLBACK (on_notify), ev);
  return m;
}

static void
free_model (NwGraphModel *m, Events *ev)
{
  g_object_unref (m);
  g_string_free (ev->log, TRUE);
}

static void
set_chain (NwGraphModel *m, const char *description)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain (description, &error);
  NW_ASSERT_NO_ERROR (error);
  nw_graph_model_set_spec (m, spec);
}

static char *
json (NwGraphModel *m)
{
  return nw_spec_to_json (nw_graph_model_get_spec (m));
}

static int
n_nodes (NwGraphModel *m)
{
  return (int) nw_graph_model_get_spec (m)->nodes->len;
}

static const NwNodeSpec *
node (NwGraphModel *m, const char *id)
{
  return nw_spec_find_node (nw_graph_model_get_spec (m), id);
}

static int
width (NwGraphModel *m, const char *id)
{
  return nw_graph_model_width_at (m, nw_graph_model_node_index (m, id));
}

/* Edits ---------------------------------------------------------------------------------- */

static void
test_set_spec (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);

  CU_ASSERT_FALSE (nw_graph_model_get_valid (m));   /* empty: no input, no loss */
  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  CU_ASSERT_EQUAL (ev.reset, 1);
  CU_ASSERT_EQUAL (ev.changed, 0);                 /* setting is not an edit */
  CU_ASSERT_TRUE (ev.validated >= 1);
  CU_ASSERT_EQUAL (ev.notify_valid, 1);
  CU_ASSERT_TRUE (nw_graph_model_get_valid (m));
  CU_ASSERT_PTR_NULL (nw_graph_model_get_invalid_reason (m));
  CU_ASSERT_EQUAL (n_nodes (m), 6);
  CU_ASSERT_FALSE (nw_graph_model_get_can_undo (m));
  CU_ASSERT_EQUAL (nw_graph_model_get_last_edit (m), NW_GRAPH_EDIT_NONE);

  /* the model keeps its own copy */
  {
    g_autoptr (NwSpec) copy = nw_graph_model_dup_spec (m);
    CU_ASSERT_PTR_NOT_EQUAL (copy, nw_graph_model_get_spec (m));
    CU_ASSERT_EQUAL (copy->nodes->len, 6);
  }
  free_model (m, &ev);
}

static void
test_edits (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  g_autoptr (GError) error = NULL;
  g_autofree char *d = NULL, *cat = NULL;

  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  events_clear (&ev);

  d = nw_graph_model_add_node (m, NW_NODE_DENSE, 10.4, 20.6);
  CU_ASSERT_STRING_EQUAL (d, "dense3");            /* dense1 and dense2 are taken */
  CU_ASSERT_EQUAL (node (m, d)->units, 4);
  CU_ASSERT_EQUAL (node (m, d)->x, 10);
  CU_ASSERT_EQUAL (node (m, d)->y, 21);
  CU_ASSERT_EQUAL (ev.changed, 1);
  CU_ASSERT_EQUAL (ev.last_edit, NW_GRAPH_EDIT_STRUCTURE);
  CU_ASSERT_EQUAL (ev.notify_undo, 1);
  CU_ASSERT_TRUE (nw_graph_model_get_can_undo (m));
  /* an unconnected block makes the graph invalid, and says which */
  CU_ASSERT_FALSE (nw_graph_model_get_valid (m));
  CU_ASSERT_STRING_EQUAL (nw_graph_model_get_error_node (m), "dense3");

  /* refused wires name what was refused, and change nothing */
  events_clear (&ev);
  CU_ASSERT_FALSE (nw_graph_model_connect (m, d, d, 0, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_REFUSED, "dense3");
  CU_ASSERT_FALSE (nw_graph_model_connect (m, "act1", "input", 0, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_REFUSED, "'act1' -> 'input'");
  CU_ASSERT_FALSE (nw_graph_model_connect (m, "loss", d, 0, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_REFUSED, "loss");
  CU_ASSERT_FALSE (nw_graph_model_connect (m, "nope", d, 0, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_NODE, "'nope'");
  CU_ASSERT_FALSE (nw_graph_model_connect (m, "act1", d, 1, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_REFUSED, "port 1");
  CU_ASSERT_FALSE (nw_graph_model_connect (m, "input", "dense1", 0, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_NO_CHANGE, "already");
  CU_ASSERT_EQUAL (ev.changed, 0);
  CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), 1);

  /* Concat: free ports fill in order; removing a source closes them up */
  cat = nw_graph_model_add_node (m, NW_NODE_CONCAT, 0, 300);
  CU_ASSERT_TRUE (nw_graph_model_connect (m, "input", cat, -1, NULL));
  CU_ASSERT_TRUE (nw_graph_model_connect (m, d, cat, -1, NULL));
  CU_ASSERT_TRUE (nw_graph_model_connect (m, "act1", cat, -1, NULL));
  CU_ASSERT_EQUAL (nw_graph_model_n_fed_ports (m, node (m, cat)), 3);
  CU_ASSERT_TRUE (nw_graph_model_remove_node (m, d, NULL));
  CU_ASSERT_PTR_NULL (node (m, d));
  CU_ASSERT_EQUAL (nw_graph_model_n_fed_ports (m, node (m, cat)), 2);
  CU_ASSERT_EQUAL (nw_graph_model_source_of (m, nw_graph_model_node_index (m, cat), 1),
                   nw_graph_model_node_index (m, "act1"));
  CU_ASSERT_FALSE (nw_graph_model_remove_node (m, d, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_NODE, "'dense3'");

  /* removing a wire: only the one named */
  CU_ASSERT_FALSE (nw_graph_model_remove_edge (m, "act1", cat, 0, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_EDGE, "'act1' -> 'concat1'");
  CU_ASSERT_TRUE (nw_graph_model_remove_edge (m, "input", cat, 0, NULL));
  CU_ASSERT_EQUAL (nw_graph_model_edge_into (m, cat, 1), -1);
  CU_ASSERT_TRUE (nw_graph_model_edge_into (m, cat, 0) >= 0);

  /* moves: a layout edit; the same place is no step */
  events_clear (&ev);
  CU_ASSERT_TRUE (nw_graph_model_move_node (m, "dense1", 500, 600, NULL));
  CU_ASSERT_EQUAL (ev.last_edit, NW_GRAPH_EDIT_LAYOUT);
  CU_ASSERT_EQUAL (node (m, "dense1")->x, 500);
  {
    guint steps = nw_graph_model_get_n_undo (m);
    CU_ASSERT_TRUE (nw_graph_model_move_node (m, "dense1", 500, 600, NULL));
    CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), steps);
    CU_ASSERT_EQUAL (ev.changed, 1);
  }
  CU_ASSERT_FALSE (nw_graph_model_move_node (m, "ghost", 1, 1, &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_NODE, "'ghost'");

  /* a wire picked up off its port and dropped on another block's: one step */
  {
    int e = nw_graph_model_edge_into (m, "dense2", 0);        /* act1 -> dense2 */
    guint steps = nw_graph_model_get_n_undo (m);
    /* onto the loss's own port, already fed by act2: replaced */
    CU_ASSERT_TRUE (nw_graph_model_rewire (m, e, "act1", "loss", 0, NULL));
    CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), steps + 1);
    CU_ASSERT_EQUAL (nw_graph_model_edge_into (m, "dense2", 0), -1);
    /* put back where it was: nothing to do */
    CU_ASSERT_TRUE (nw_graph_model_undo (m));
    e = nw_graph_model_edge_into (m, "dense2", 0);
    CU_ASSERT_FALSE (nw_graph_model_rewire (m, e, "act1", "dense2", 0, &error));
    NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_NO_CHANGE, "already");
  }
  free_model (m, &ev);
}

/* Undo and redo -------------------------------------------------------------------------- */

static void
test_undo_redo (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  g_autofree char *j0 = NULL, *j1 = NULL, *j2 = NULL, *d = NULL;

  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  j0 = json (m);
  events_clear (&ev);
  CU_ASSERT_FALSE (nw_graph_model_undo (m));
  CU_ASSERT_FALSE (nw_graph_model_redo (m));
  CU_ASSERT_EQUAL (ev.changed, 0);

  CU_ASSERT_TRUE (nw_graph_model_set_node_setting (m, "dense1", "units", "7", NULL));
  j1 = json (m);
  d = nw_graph_model_add_node (m, NW_NODE_DROPOUT, 100, 100);
  j2 = json (m);
  CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), 2);

  events_clear (&ev);
  CU_ASSERT_TRUE (nw_graph_model_undo (m));
  CU_ASSERT_EQUAL (ev.changed, 1);
  CU_ASSERT_EQUAL (ev.last_edit, NW_GRAPH_EDIT_STRUCTURE);
  CU_ASSERT_EQUAL (ev.notify_redo, 1);
  {
    g_autofree char *now = json (m);
    CU_ASSERT_STRING_EQUAL (now, j1);
  }
  CU_ASSERT_TRUE (nw_graph_model_undo (m));
  {
    g_autofree char *now = json (m);
    CU_ASSERT_STRING_EQUAL (now, j0);
  }
  CU_ASSERT_FALSE (nw_graph_model_get_can_undo (m));
  CU_ASSERT_EQUAL (width (m, "dense1"), 4);
  CU_ASSERT_TRUE (nw_graph_model_redo (m));
  CU_ASSERT_EQUAL (width (m, "dense1"), 7);        /* widths follow undo/redo */
  CU_ASSERT_TRUE (nw_graph_model_redo (m));
  {
    g_autofree char *now = json (m);
    CU_ASSERT_STRING_EQUAL (now, j2);
  }
  CU_ASSERT_FALSE (nw_graph_model_get_can_redo (m));

  /* a new edit after an undo drops the redo stack */
  CU_ASSERT_TRUE (nw_graph_model_undo (m));
  CU_ASSERT_TRUE (nw_graph_model_get_can_redo (m));
  CU_ASSERT_TRUE (nw_graph_model_move_node (m, "loss", 900, 900, NULL));
  CU_ASSERT_FALSE (nw_graph_model_get_can_redo (m));
  CU_ASSERT_FALSE (nw_graph_model_redo (m));

  /* set_spec clears the history */
  set_chain (m, "2 dense:1 sigmoid bce");
  CU_ASSERT_FALSE (nw_graph_model_get_can_undo (m));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), 0);
  free_model (m, &ev);
}

static void
test_undo_limit (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  int undone = 0;

  set_chain (m, "2 dense:1 sigmoid bce");
  for (int i = 1; i <= NW_GRAPH_MODEL_UNDO_LIMIT + 50; i++)
    CU_ASSERT_TRUE (nw_graph_model_move_node (m, "dense1", i, 0, NULL));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), NW_GRAPH_MODEL_UNDO_LIMIT);
  CU_ASSERT_EQUAL (NW_GRAPH_MODEL_UNDO_LIMIT, 200);
  while (nw_graph_model_undo (m))
    undone++;
  CU_ASSERT_EQUAL (undone, NW_GRAPH_MODEL_UNDO_LIMIT);
  /* the oldest 50 steps were forgotten: undo stops at the 50th move */
  CU_ASSERT_EQUAL (node (m, "dense1")->x, 50);
  free_model (m, &ev);
}

/* Validation ----------------------------------------------------------------------------- */

static void
test_cycle_marks (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);

  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  events_clear (&ev);

  /* act1 -> dense1 replaces input -> dense1: dense1 -> act1 -> dense1 */
  CU_ASSERT_TRUE (nw_graph_model_connect (m, "act1", "dense1", 0, NULL));
  CU_ASSERT_FALSE (nw_graph_model_get_valid (m));
  CU_ASSERT_EQUAL (ev.notify_valid, 1);
  CU_ASSERT_EQUAL (ev.notify_reason, 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (nw_graph_model_get_invalid_reason (m), "cycle"));
  CU_ASSERT_STRING_EQUAL (nw_graph_model_get_error_node (m), "dense1");
  CU_ASSERT_TRUE (nw_graph_model_node_is_marked (m, "dense1"));
  CU_ASSERT_TRUE (nw_graph_model_node_is_marked (m, "act1"));
  CU_ASSERT_FALSE (nw_graph_model_node_is_marked (m, "dense2"));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_marked_nodes (m), 2);
  CU_ASSERT_TRUE (nw_graph_model_edge_is_marked (m, "dense1", "act1"));
  CU_ASSERT_TRUE (nw_graph_model_edge_is_marked (m, "act1", "dense1"));
  CU_ASSERT_FALSE (nw_graph_model_edge_is_marked (m, "act1", "dense2"));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_marked_edges (m), 2);
  CU_ASSERT_FALSE (nw_graph_model_get_error_edge (m, NULL, NULL));
  /* on the cycle a block that sets its own width still has it */
  CU_ASSERT_EQUAL (width (m, "dense1"), 4);
  CU_ASSERT_EQUAL (width (m, "act1"), 4);

  /* fixed: no marks, no reason */
  CU_ASSERT_TRUE (nw_graph_model_connect (m, "input", "dense1", 0, NULL));
  CU_ASSERT_TRUE (nw_graph_model_get_valid (m));
  CU_ASSERT_EQUAL (ev.notify_valid, 2);
  CU_ASSERT_PTR_NULL (nw_graph_model_get_error_node (m));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_marked_nodes (m), 0);
  CU_ASSERT_EQUAL (nw_graph_model_get_n_marked_edges (m), 0);

  /* undo brings the cycle and its marks back */
  CU_ASSERT_TRUE (nw_graph_model_undo (m));
  CU_ASSERT_STRING_EQUAL (nw_graph_model_get_error_node (m), "dense1");
  CU_ASSERT_TRUE (nw_graph_model_node_is_marked (m, "act1"));
  free_model (m, &ev);
}

static void
test_edge_marks (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("2 dense:4 tanh dense:1 sigmoid bce", &error);
  const char *from = NULL, *to = NULL;

  NW_ASSERT_NO_ERROR (error);
  ((NwEdgeSpec *) g_ptr_array_index (spec->edges, 0))->port = 1;   /* input -> dense1, port 1 */
  nw_graph_model_set_spec (m, spec);
  CU_ASSERT_FALSE (nw_graph_model_get_valid (m));
  CU_ASSERT_TRUE (nw_graph_model_get_error_edge (m, &from, &to));
  CU_ASSERT_STRING_EQUAL (from, "input");
  CU_ASSERT_STRING_EQUAL (to, "dense1");
  CU_ASSERT_PTR_NULL (nw_graph_model_get_error_node (m));
  CU_ASSERT_TRUE (nw_graph_model_edge_is_marked (m, "input", "dense1"));
  CU_ASSERT_FALSE (nw_graph_model_edge_is_marked (m, "dense1", "act1"));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_marked_nodes (m), 0);

  CU_ASSERT_TRUE (nw_graph_model_remove_edge (m, "input", "dense1", 1, NULL));
  CU_ASSERT_TRUE (nw_graph_model_connect (m, "input", "dense1", 0, NULL));
  CU_ASSERT_TRUE (nw_graph_model_get_valid (m));
  CU_ASSERT_FALSE (nw_graph_model_get_error_edge (m, &from, &to));
  CU_ASSERT_PTR_NULL (from);
  CU_ASSERT_EQUAL (nw_graph_model_get_n_marked_edges (m), 0);
  free_model (m, &ev);
}

static void
test_data_shape (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  g_autofree char *title = NULL;

  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  CU_ASSERT_EQUAL (nw_graph_model_params_at (m, nw_graph_model_node_index (m, "dense1")), 2 * 4 + 4);
  events_clear (&ev);

  nw_graph_model_set_data_shape (m, 3, 1, 2);
  CU_ASSERT_EQUAL (ev.validated, 1);
  CU_ASSERT_EQUAL (ev.changed, 0);                 /* the data is not an edit */
  CU_ASSERT_EQUAL (nw_graph_model_get_input_width (m), 3);
  CU_ASSERT_EQUAL (width (m, "input"), 3);
  CU_ASSERT_EQUAL (nw_graph_model_params_at (m, nw_graph_model_node_index (m, "dense1")), 3 * 4 + 4);
  title = nw_graph_model_dup_node_title (m, node (m, "input"));
  CU_ASSERT_STRING_EQUAL (title, "Input 3");
  /* the same shape again: nothing to do */
  nw_graph_model_set_data_shape (m, 3, 1, 2);
  CU_ASSERT_EQUAL (ev.validated, 1);

  /* ten classes do not fit a one-unit sigmoid head: the head is named */
  nw_graph_model_set_data_shape (m, 3, 1, 10);
  CU_ASSERT_FALSE (nw_graph_model_get_valid (m));
  CU_ASSERT_EQUAL (ev.notify_valid, 1);
  CU_ASSERT_PTR_NOT_NULL (nw_graph_model_get_error_node (m));
  CU_ASSERT_TRUE (nw_graph_model_node_is_marked (m, nw_graph_model_get_error_node (m)));
  free_model (m, &ev);
}

/* Widths --------------------------------------------------------------------------------- */

static void
test_widths (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  g_autofree char *cat = NULL, *add = NULL, *loose = NULL;

  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  CU_ASSERT_EQUAL (width (m, "input"), 2);
  CU_ASSERT_EQUAL (width (m, "dense1"), 4);
  CU_ASSERT_EQUAL (width (m, "act1"), 4);
  CU_ASSERT_EQUAL (width (m, "dense2"), 1);
  CU_ASSERT_EQUAL (width (m, "loss"), 1);
  CU_ASSERT_EQUAL (nw_graph_model_params_at (m, nw_graph_model_node_index (m, "dense2")), 4 + 1);
  CU_ASSERT_EQUAL (nw_graph_model_params_at (m, nw_graph_model_node_index (m, "act1")), 0);
  CU_ASSERT_EQUAL (nw_graph_model_width_at (m, -1), -1);
  CU_ASSERT_EQUAL (nw_graph_model_width_at (m, 99), -1);

  /* Concat adds its inputs' widths */
  cat = nw_graph_model_add_node (m, NW_NODE_CONCAT, 0, 300);
  CU_ASSERT_EQUAL (width (m, cat), -1);             /* nothing in yet */
  nw_graph_model_connect (m, "input", cat, -1, NULL);
  nw_graph_model_connect (m, "act1", cat, -1, NULL);
  CU_ASSERT_EQUAL (width (m, cat), 2 + 4);

  /* Add needs equal widths: unknown until they are */
  add = nw_graph_model_add_node (m, NW_NODE_ADD, 0, 400);
  nw_graph_model_connect (m, "input", add, -1, NULL);
  nw_graph_model_connect (m, "act1", add, -1, NULL);
  CU_ASSERT_EQUAL (width (m, add), -1);
  CU_ASSERT_TRUE (nw_graph_model_set_node_setting (m, "dense1", "units", "2", NULL));
  CU_ASSERT_EQUAL (width (m, add), 2);
  CU_ASSERT_EQUAL (width (m, cat), 2 + 2);

  /* an unconnected block: its own width if it has one, else unknown; params unknown */
  loose = nw_graph_model_add_node (m, NW_NODE_ACTIVATION, 0, 500);
  CU_ASSERT_EQUAL (width (m, loose), -1);
  g_free (loose);
  loose = nw_graph_model_add_node (m, NW_NODE_DENSE, 0, 600);
  CU_ASSERT_EQUAL (width (m, loose), 4);
  CU_ASSERT_EQUAL (nw_graph_model_params_at (m, nw_graph_model_node_index (m, loose)), -1);
  free_model (m, &ev);
}

/* Toggles and renames -------------------------------------------------------------------- */

static void
test_toggles (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  GError *error = NULL;

  set_chain (m, "2 dense:4 relu dropout:0.5 dense:1 sigmoid bce");
  CU_ASSERT_PTR_NOT_NULL_FATAL (node (m, "dropout1"));
  CU_ASSERT_TRUE (nw_graph_model_node_has_toggle (node (m, "dropout1")));
  CU_ASSERT_FALSE (nw_graph_model_node_has_toggle (node (m, "dense1")));
  events_clear (&ev);

  CU_ASSERT_TRUE (nw_graph_model_set_node_setting (m, "dropout1", "enabled", "false", &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_STRING_EQUAL (ev.log->str, "toggled:dropout1=0 changed:2 ");
  CU_ASSERT_EQUAL (nw_graph_model_get_last_edit (m), NW_GRAPH_EDIT_TOGGLE);
  CU_ASSERT_FALSE (node (m, "dropout1")->enabled);

  /* unchanged: no step, no signal */
  events_clear (&ev);
  CU_ASSERT_TRUE (nw_graph_model_set_node_setting (m, "dropout1", "enabled", "false", NULL));
  CU_ASSERT_EQUAL (ev.changed + ev.toggled, 0);
  CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), 1);

  /* undo and redo switch it back and forth, and say so */
  CU_ASSERT_TRUE (nw_graph_model_undo (m));
  CU_ASSERT_STRING_EQUAL (ev.log->str, "toggled:dropout1=1 changed:2 ");
  CU_ASSERT_TRUE (nw_graph_model_redo (m));
  CU_ASSERT_EQUAL (ev.toggled, 2);
  CU_ASSERT_FALSE (node (m, "dropout1")->enabled);

  /* a setting of another kind is not a toggle */
  events_clear (&ev);
  CU_ASSERT_TRUE (nw_graph_model_set_node_setting (m, "dropout1", "p", "0.25", NULL));
  CU_ASSERT_EQUAL (ev.toggled, 0);
  CU_ASSERT_EQUAL (ev.last_edit, NW_GRAPH_EDIT_STRUCTURE);
  CU_ASSERT_DOUBLE_EQUAL (node (m, "dropout1")->p, 0.25, 1e-12);
  free_model (m, &ev);
}

static void
test_settings_errors (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  GError *error = NULL;

  set_chain (m, "2 dense:4 relu dropout:0.5 dense:1 sigmoid bce");
  events_clear (&ev);
  CU_ASSERT_FALSE (nw_graph_model_set_node_setting (m, "dense1", "p", "0.5", &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_FIELD, "'dense1'", "'p'");
  CU_ASSERT_FALSE (nw_graph_model_set_node_setting (m, "dense1", "units", "many", &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_INVALID_VALUE, "'dense1'", "'units'");
  CU_ASSERT_FALSE (nw_graph_model_set_node_setting (m, "ghost", "units", "3", &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_UNKNOWN_NODE, "'ghost'");
  CU_ASSERT_EQUAL (ev.changed, 0);

  /* a number out of range is stored, and validation marks it */
  CU_ASSERT_TRUE (nw_graph_model_set_node_setting (m, "dropout1", "p", "1.5", NULL));
  CU_ASSERT_DOUBLE_EQUAL (nw_spec_find_node (nw_graph_model_get_spec (m), "dropout1")->p, 1.5, 1e-12);
  CU_ASSERT_FALSE (nw_graph_model_get_valid (m));
  CU_ASSERT_EQUAL (g_strcmp0 (nw_graph_model_get_error_node (m), "dropout1"), 0);
  CU_ASSERT_TRUE (nw_graph_model_node_is_marked (m, "dropout1"));
  free_model (m, &ev);
}

static void
test_renames (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  GError *error = NULL;

  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  CU_ASSERT_TRUE (nw_graph_model_select (m, "dense1"));
  events_clear (&ev);

  CU_ASSERT_TRUE (nw_graph_model_set_node_setting (m, "dense1", "id", "hidden", &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_STRING_EQUAL (ev.log->str, "renamed:dense1>hidden changed:3 ");
  CU_ASSERT_PTR_NULL (node (m, "dense1"));
  CU_ASSERT_PTR_NOT_NULL (node (m, "hidden"));
  /* its wires and the selection follow */
  CU_ASSERT_TRUE (nw_graph_model_edge_into (m, "hidden", 0) >= 0);
  CU_ASSERT_EQUAL (nw_graph_model_source_of (m, nw_graph_model_node_index (m, "act1"), 0),
                   nw_graph_model_node_index (m, "hidden"));
  CU_ASSERT_STRING_EQUAL (nw_graph_model_get_selected (m), "hidden");
  CU_ASSERT_EQUAL (ev.notify_selected, 1);
  CU_ASSERT_TRUE (nw_graph_model_get_valid (m));

  /* ids that are not ids, or are taken, are refused and named */
  CU_ASSERT_FALSE (nw_graph_model_set_node_setting (m, "hidden", "id", "two words", &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_INVALID_VALUE, "'hidden'", "'two words'");
  CU_ASSERT_FALSE (nw_graph_model_set_node_setting (m, "hidden", "id", "act1", &error));
  NW_ASSERT_ERROR (error, NW_GRAPH_MODEL_ERROR, NW_GRAPH_MODEL_ERROR_INVALID_VALUE, "'hidden'", "'act1'");
  /* the same id: nothing to do */
  CU_ASSERT_TRUE (nw_graph_model_set_node_setting (m, "hidden", "id", "hidden", NULL));
  CU_ASSERT_EQUAL (ev.renamed, 1);

  /* undo is a plain change back (the old spec), no rename signal */
  CU_ASSERT_TRUE (nw_graph_model_undo (m));
  CU_ASSERT_PTR_NOT_NULL (node (m, "dense1"));
  CU_ASSERT_TRUE (nw_graph_model_get_valid (m));
  free_model (m, &ev);
}

/* Selection, moves, layout --------------------------------------------------------------- */

static void
test_selection (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);

  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  events_clear (&ev);
  CU_ASSERT_FALSE (nw_graph_model_select (m, "ghost"));
  CU_ASSERT_PTR_NULL (nw_graph_model_get_selected (m));
  CU_ASSERT_TRUE (nw_graph_model_select (m, "act1"));
  CU_ASSERT_STRING_EQUAL (nw_graph_model_get_selected (m), "act1");
  CU_ASSERT_EQUAL (ev.notify_selected, 1);
  CU_ASSERT_TRUE (nw_graph_model_select (m, "act1"));
  CU_ASSERT_EQUAL (ev.notify_selected, 1);            /* no change, no notification */

  /* an edge and a node are not selected together */
  nw_graph_model_select_edge (m, 1);
  CU_ASSERT_EQUAL (nw_graph_model_get_selected_edge (m), 1);
  CU_ASSERT_PTR_NULL (nw_graph_model_get_selected (m));
  CU_ASSERT_TRUE (nw_graph_model_select (m, "dense1"));
  CU_ASSERT_EQUAL (nw_graph_model_get_selected_edge (m), -1);
  nw_graph_model_select_edge (m, 99);
  CU_ASSERT_EQUAL (nw_graph_model_get_selected_edge (m), -1);

  /* an edit clears the selected edge; removing the selected node clears it */
  nw_graph_model_select_edge (m, 0);
  CU_ASSERT_TRUE (nw_graph_model_move_node (m, "loss", 1, 2, NULL));
  CU_ASSERT_EQUAL (nw_graph_model_get_selected_edge (m), -1);
  CU_ASSERT_TRUE (nw_graph_model_select (m, "act1"));
  events_clear (&ev);
  CU_ASSERT_TRUE (nw_graph_model_remove_node (m, "act1", NULL));
  CU_ASSERT_PTR_NULL (nw_graph_model_get_selected (m));
  CU_ASSERT_EQUAL (ev.notify_selected, 1);
  free_model (m, &ev);
}

static void
test_preview_move (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  double x0, y0;

  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  x0 = node (m, "dense1")->x;
  y0 = node (m, "dense1")->y;
  events_clear (&ev);

  /* a drag: many previews, no step until it ends */
  CU_ASSERT_FALSE (nw_graph_model_end_move (m));
  nw_graph_model_preview_move (m, "dense1", x0 + 10.4, y0);
  nw_graph_model_preview_move (m, "dense1", x0 + 30, y0 + 40);
  CU_ASSERT_EQUAL (node (m, "dense1")->x, x0 + 30);
  CU_ASSERT_EQUAL (ev.changed, 0);
  CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), 0);
  CU_ASSERT_TRUE (nw_graph_model_end_move (m));
  CU_ASSERT_EQUAL (ev.changed, 1);
  CU_ASSERT_EQUAL (ev.last_edit, NW_GRAPH_EDIT_LAYOUT);
  CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), 1);
  CU_ASSERT_FALSE (nw_graph_model_end_move (m));
  CU_ASSERT_TRUE (nw_graph_model_undo (m));
  CU_ASSERT_EQUAL (node (m, "dense1")->x, x0);
  CU_ASSERT_EQUAL (node (m, "dense1")->y, y0);

  /* a cancelled drag puts the block back, with no step */
  nw_graph_model_preview_move (m, "dense1", x0 + 500, y0 + 500);
  nw_graph_model_cancel_move (m);
  CU_ASSERT_EQUAL (node (m, "dense1")->x, x0);
  CU_ASSERT_FALSE (nw_graph_model_end_move (m));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_undo (m), 0);
  free_model (m, &ev);
}

static void
test_layout (void)
{
  Events ev;
  NwGraphModel *m = new_model (&ev);
  const NwSpec *spec;
  double heights[6];
  g_autofree char *bn = NULL;

  /* a chain straight from its description sits at (0, 0): it is laid out, one column a depth */
  set_chain (m, "2 dense:4 tanh dense:1 sigmoid bce");
  CU_ASSERT_TRUE (nw_graph_model_get_layout_fresh (m));
  CU_ASSERT_EQUAL (nw_graph_model_get_layout_depth (m), 6);
  spec = nw_graph_model_get_spec (m);
  /* 5 columns: the sixth node wraps to a second row */
  CU_ASSERT_TRUE (node (m, "input")->x < node (m, "dense1")->x);
  CU_ASSERT_TRUE (node (m, "dense1")->x < node (m, "act1")->x);
  CU_ASSERT_EQUAL (node (m, "loss")->x, node (m, "input")->x);
  CU_ASSERT_TRUE (node (m, "loss")->y > node (m, "input")->y + NW_GRAPH_MODEL_BLOCK_HEIGHT);

  /* one row */
  nw_graph_model_auto_layout (m, 100, NULL);
  CU_ASSERT_EQUAL (node (m, "loss")->y, node (m, "input")->y);
  CU_ASSERT_TRUE (node (m, "loss")->x > node (m, "act2")->x);

  /* two columns: rows as tall as their tallest block */
  for (guint i = 0; i < spec->nodes->len; i++)
    heights[i] = 50;
  heights[nw_graph_model_node_index (m, "dense1")] = 200;
  nw_graph_model_auto_layout (m, 2, heights);
  CU_ASSERT_EQUAL (node (m, "act1")->x, node (m, "input")->x);
  CU_ASSERT_TRUE (node (m, "act1")->y >= node (m, "input")->y + 200);

  /* the first edit ends the fresh layout */
  bn = nw_graph_model_add_node (m, NW_NODE_BATCHNORM, 0, 0);
  CU_ASSERT_FALSE (nw_graph_model_get_layout_fresh (m));

  /* blocks at one depth stack */
  nw_graph_model_connect (m, "input", bn, 0, NULL);
  nw_graph_model_auto_layout (m, 100, NULL);
  CU_ASSERT_EQUAL (node (m, bn)->x, node (m, "dense1")->x);
  CU_ASSERT_TRUE (fabs (node (m, bn)->y - node (m, "dense1")->y) >= NW_GRAPH_MODEL_BLOCK_HEIGHT);

  /* a spec with positions keeps them */
  {
    g_autoptr (NwSpec) copy = nw_graph_model_dup_spec (m);
    nw_graph_model_set_spec (m, copy);
    CU_ASSERT_FALSE (nw_graph_model_get_layout_fresh (m));
    CU_ASSERT_EQUAL (node (m, bn)->x, ((NwNodeSpec *) nw_spec_find_node (copy, bn))->x);
  }
  free_model (m, &ev);
}

static void
test_compare_specs (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) a = nw_spec_new_chain ("2 dense:4 relu dropout:0.5 dense:1 sigmoid bce", &error);
  g_autoptr (NwSpec) b = NULL;

  NW_ASSERT_NO_ERROR (error);
  b = nw_spec_copy (a);
  CU_ASSERT_EQUAL (nw_graph_model_compare_specs (a, b), NW_GRAPH_EDIT_NONE);
  nw_spec_find_node (b, "dense1")->x = 5;
  CU_ASSERT_EQUAL (nw_graph_model_compare_specs (a, b), NW_GRAPH_EDIT_LAYOUT);
  nw_spec_find_node (b, "dropout1")->enabled = FALSE;
  CU_ASSERT_EQUAL (nw_graph_model_compare_specs (a, b), NW_GRAPH_EDIT_TOGGLE);
  nw_spec_find_node (b, "dense1")->units = 5;
  CU_ASSERT_EQUAL (nw_graph_model_compare_specs (a, b), NW_GRAPH_EDIT_STRUCTURE);
}

static const NwTestCase edit_cases[] = {
  { "set_spec", test_set_spec },
  { "edits", test_edits },
  { "undo_redo", test_undo_redo },
  { "undo_limit", test_undo_limit },
  { "compare_specs", test_compare_specs },
  { NULL, NULL },
};

static const NwTestCase validate_cases[] = {
  { "cycle_marks", test_cycle_marks },
  { "edge_marks", test_edge_marks },
  { "data_shape", test_data_shape },
  { "widths", test_widths },
  { NULL, NULL },
};

static const NwTestCase setting_cases[] = {
  { "toggles", test_toggles },
  { "errors", test_settings_errors },
  { "renames", test_renames },
  { NULL, NULL },
};

static const NwTestCase view_cases[] = {
  { "selection", test_selection },
  { "preview_move", test_preview_move },
  { "layout", test_layout },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "edits", edit_cases },
  { "validation", validate_cases },
  { "settings", setting_cases },
  { "view", view_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
