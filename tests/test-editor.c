/* test-editor.c: the network editor canvas (ui/nw-editor.c): edits build the expected spec,
 * invalid wiring is marked where it is wrong, undo/redo restore the spec exactly, the settings
 * popover edits the spec, and the widget renders (checked by pixel statistics).
 *
 * Needs a display: without one it re-runs itself under xvfb-run, or is skipped (77). */
#include "nw-test.h"
#include "nw-editor-private.h"
#include "nw-plot.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* fontconfig keeps its caches for the life of the process; LeakSanitizer (the sanitizer
 * build) would report them. Nothing else is suppressed. */
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig\n";
}

/* Helpers -------------------------------------------------------------------------------- */

typedef struct {
  int changed;
  int toggled;
  char *toggled_id;
  gboolean toggled_enabled;
  int valid_notifies;
} Counts;

static void
on_changed (NwEditor *editor, Counts *c)
{
  c->changed++;
}

static void
on_toggled (NwEditor *editor, const char *id, gboolean enabled, Counts *c)
{
  c->toggled++;
  g_free (c->toggled_id);
  c->toggled_id = g_strdup (id);
  c->toggled_enabled = enabled;
}

static void
on_valid (GObject *object, GParamSpec *pspec, Counts *c)
{
  c->valid_notifies++;
}

static NwEditor *
new_editor (Counts *c)
{
  NwEditor *editor = g_object_ref_sink (nw_editor_new ());
  if (c != NULL)
    {
      memset (c, 0, sizeof *c);
      g_signal_connect (editor, "spec-changed", G_CALLBACK (on_changed), c);
      g_signal_connect (editor, "node-toggled", G_CALLBACK (on_toggled), c);
      g_signal_connect (editor, "notify::valid", G_CALLBACK (on_valid), c);
    }
  return editor;
}

static void
counts_clear (Counts *c)
{
  g_clear_pointer (&c->toggled_id, g_free);
}

static NwSpec *
chain (const char *description)
{
  GError *error = NULL;
  NwSpec *spec = nw_spec_new_chain (description, &error);
  NW_ASSERT_NO_ERROR (error);
  return spec;
}

static char *
editor_json (NwEditor *editor)
{
  return nw_spec_to_json (nw_editor_get_spec (editor));
}

static gboolean
valid (NwEditor *editor)
{
  return nw_editor_get_valid (editor, NULL);
}

static gboolean
reason_contains (NwEditor *editor, const char *needle)
{
  g_autofree char *reason = NULL;
  nw_editor_get_valid (editor, &reason);
  if (reason == NULL || strstr (reason, needle) == NULL)
    {
      g_printerr ("  reason \"%s\" lacks \"%s\"\n", reason ? reason : "(none)", needle);
      return FALSE;
    }
  return TRUE;
}

/* Every setting of every node, and every edge, in order; positions are not compared. */
static void
assert_same_graph (const NwSpec *a, const NwSpec *b)
{
  CU_ASSERT_EQUAL_FATAL (a->nodes->len, b->nodes->len);
  CU_ASSERT_EQUAL_FATAL (a->edges->len, b->edges->len);
  for (guint i = 0; i < a->nodes->len; i++)
    {
      const NwNodeSpec *x = g_ptr_array_index (a->nodes, i);
      const NwNodeSpec *y = g_ptr_array_index (b->nodes, i);
      CU_ASSERT_STRING_EQUAL (x->id, y->id);
      CU_ASSERT_EQUAL (x->kind, y->kind);
      CU_ASSERT_EQUAL (x->units, y->units);
      CU_ASSERT_EQUAL (x->bias, y->bias);
      CU_ASSERT_EQUAL (x->weight_init, y->weight_init);
      CU_ASSERT_EQUAL (x->weight_init_param, y->weight_init_param);
      CU_ASSERT_EQUAL (x->bias_init, y->bias_init);
      CU_ASSERT_EQUAL (x->bias_init_param, y->bias_init_param);
      CU_ASSERT_EQUAL (x->activation, y->activation);
      CU_ASSERT_EQUAL (x->alpha, y->alpha);
      CU_ASSERT_EQUAL (x->p, y->p);
      CU_ASSERT_EQUAL (x->enabled, y->enabled);
      CU_ASSERT_EQUAL (x->momentum, y->momentum);
      CU_ASSERT_EQUAL (x->eps, y->eps);
      CU_ASSERT_EQUAL (x->affine, y->affine);
      CU_ASSERT_EQUAL (x->loss, y->loss);
    }
  for (guint e = 0; e < a->edges->len; e++)
    {
      const NwEdgeSpec *x = g_ptr_array_index (a->edges, e);
      const NwEdgeSpec *y = g_ptr_array_index (b->edges, e);
      CU_ASSERT_STRING_EQUAL (x->from, y->from);
      CU_ASSERT_STRING_EQUAL (x->to, y->to);
      CU_ASSERT_EQUAL (x->port, y->port);
    }
}

/* A window holding the editor, shown and laid out. */
static GtkWidget *
show_in_window (NwEditor *editor, int width, int height)
{
  GtkWidget *window = gtk_window_new ();
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  gtk_window_present (GTK_WINDOW (window));
  while ((!gtk_widget_get_mapped (GTK_WIDGET (editor)) || gtk_widget_get_width (GTK_WIDGET (editor)) == 0)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  CU_ASSERT_FATAL (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  return window;
}

static void
settle (void)
{
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

/* The editor as the screen shows it, through its own snapshot. */
static cairo_surface_t *
render_widget (GtkWidget *widget)
{
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (surface);
  GskRenderNode *node;

  settle ();   /* a frame: the paintable shows the widget's last rendering */
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (node != NULL)
    {
      gsk_render_node_draw (node, cr);
      gsk_render_node_unref (node);
    }
  cairo_destroy (cr);
  g_object_unref (paintable);
  cairo_surface_flush (surface);
  return surface;
}

static cairo_surface_t *
render (NwEditor *editor)
{
  return render_widget (GTK_WIDGET (editor));
}

/* Only the canvas, drawn directly: for states the pointer would undo (hovering). */
static cairo_surface_t *
render_canvas (NwEditor *editor)
{
  int w = gtk_widget_get_width (editor->canvas), h = gtk_widget_get_height (editor->canvas);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (surface);
  nw_editor_draw (editor, cr, w, h);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

typedef struct {
  int total, red, dense_blue, orange, neuron_blue, green, ink;
  int map_low, map_high;   /* the ends of the boundary view's scale (neuron maps) */
} Pixels;

static Pixels
count_pixels (cairo_surface_t *s)
{
  Pixels p = { 0 };
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  double lo[3], hi[3];
  int stride = cairo_image_surface_get_stride (s);
  const unsigned char *data = cairo_image_surface_get_data (s);

  nw_plot_probability_rgb (0, &lo[0], &lo[1], &lo[2]);
  nw_plot_probability_rgb (1, &hi[0], &hi[1], &hi[2]);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 v = *(const guint32 *) (const void *) (data + y * stride + x * 4);
        int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
        p.total++;
        p.red += r >= 180 && g <= 80 && b <= 80;
        p.dense_blue += abs (r - 0x99) <= 6 && abs (g - 0xc1) <= 6 && abs (b - 0xf1) <= 6;
        p.orange += abs (r - 245) <= 12 && abs (g - 147) <= 12 && abs (b - 34) <= 12;
        p.neuron_blue += abs (r - 8) <= 12 && abs (g - 119) <= 12 && abs (b - 189) <= 12;
        p.green += abs (r - 0x2e) <= 10 && abs (g - 0xc2) <= 10 && abs (b - 0x7e) <= 10;
        p.ink += r < 100 && g < 100 && b < 100;
        p.map_low += abs (r - (int) lround (lo[0] * 255)) <= 6 && abs (g - (int) lround (lo[1] * 255)) <= 6
                     && abs (b - (int) lround (lo[2] * 255)) <= 6;
        p.map_high += abs (r - (int) lround (hi[0] * 255)) <= 6 && abs (g - (int) lround (hi[1] * 255)) <= 6
                      && abs (b - (int) lround (hi[2] * 255)) <= 6;
      }
  return p;
}

static void
save_png (cairo_surface_t *s, const char *name)
{
  const char *dir = g_getenv ("NW_EDITOR_PNG_DIR");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, name, NULL) : nw_test_path (name);
  CU_ASSERT (cairo_surface_write_to_png (s, path) == CAIRO_STATUS_SUCCESS);
}

/* Building ------------------------------------------------------------------------------- */

/* Input -> Dense 4 -> Tanh -> Dense 1 -> Sigmoid -> BCE, block by block and wire by wire,
 * is what the chain shorthand makes. */
static void
test_edits_build_chain (void)
{
  Counts c;
  g_autoptr (NwEditor) editor = new_editor (&c);
  g_autoptr (NwSpec) expected = chain ("2 dense:4 tanh dense:1 sigmoid bce");
  g_autoptr (NwSpec) built = NULL;
  char *ids[6];

  CU_ASSERT_FALSE (valid (editor));
  CU_ASSERT_FALSE (nw_editor_get_can_undo (editor));
  ids[0] = nw_editor_add_node (editor, NW_NODE_INPUT, 40, 40);
  ids[1] = nw_editor_add_node (editor, NW_NODE_DENSE, 220, 40);
  ids[2] = nw_editor_add_node (editor, NW_NODE_ACTIVATION, 400, 40);
  ids[3] = nw_editor_add_node (editor, NW_NODE_DENSE, 580, 40);
  ids[4] = nw_editor_add_node (editor, NW_NODE_ACTIVATION, 760, 40);
  ids[5] = nw_editor_add_node (editor, NW_NODE_LOSS, 940, 40);
  CU_ASSERT_STRING_EQUAL (ids[0], "input");
  CU_ASSERT_STRING_EQUAL (ids[1], "dense1");
  CU_ASSERT_STRING_EQUAL (ids[2], "act1");
  CU_ASSERT_STRING_EQUAL (ids[3], "dense2");
  CU_ASSERT_STRING_EQUAL (ids[4], "act2");
  CU_ASSERT_STRING_EQUAL (ids[5], "loss");
  for (int i = 0; i < 5; i++)
    CU_ASSERT_TRUE (nw_editor_connect (editor, ids[i], ids[i + 1], 0));
  CU_ASSERT_TRUE (nw_editor_set_node_setting (editor, "dense1", "units", "4"));  /* the default: no step */
  CU_ASSERT_TRUE (nw_editor_set_node_setting (editor, "act1", "activation", "tanh"));
  CU_ASSERT_TRUE (nw_editor_set_node_setting (editor, "dense2", "units", "1"));
  CU_ASSERT_TRUE (nw_editor_set_node_setting (editor, "act2", "activation", "sigmoid"));
  CU_ASSERT_TRUE (nw_editor_set_node_setting (editor, "loss", "loss", "bce"));   /* unchanged */

  CU_ASSERT_EQUAL (c.changed, 6 + 5 + 3);
  CU_ASSERT_TRUE (valid (editor));
  CU_ASSERT_PTR_NULL (nw_editor_get_invalid_reason (editor));
  CU_ASSERT_PTR_NULL (nw_editor_get_error_node (editor));
  CU_ASSERT_TRUE (c.valid_notifies >= 1);

  built = nw_editor_dup_spec (editor);
  assert_same_graph (built, expected);
  /* positions are the editor's */
  CU_ASSERT_EQUAL (((NwNodeSpec *) g_ptr_array_index (built->nodes, 3))->x, 580);

  /* what the blocks show */
  CU_ASSERT_EQUAL (nw_editor_get_node_width (editor, "input"), 2);
  CU_ASSERT_EQUAL (nw_editor_get_node_width (editor, "act1"), 4);
  CU_ASSERT_EQUAL (nw_editor_get_param_count (editor, "dense1"), 2 * 4 + 4);
  CU_ASSERT_EQUAL (nw_editor_get_param_count (editor, "dense2"), 4 * 1 + 1);
  CU_ASSERT_EQUAL (nw_editor_get_param_count (editor, "act1"), 0);
  CU_ASSERT_EQUAL (nw_editor_get_param_count (editor, "nonesuch"), -1);

  /* the data decides the input width */
  nw_editor_set_data_shape (editor, 5, 1, 2);
  CU_ASSERT_TRUE (valid (editor));
  CU_ASSERT_EQUAL (nw_editor_get_param_count (editor, "dense1"), 5 * 4 + 4);
  nw_editor_set_data_shape (editor, 784, 10, 10);
  CU_ASSERT_FALSE (valid (editor));
  CU_ASSERT_STRING_EQUAL (nw_editor_get_error_node (editor), "loss");

  for (int i = 0; i < 6; i++)
    g_free (ids[i]);
  counts_clear (&c);
}

/* A spec set from outside is copied, laid out when it has no positions, and starts a fresh
 * history; nothing is emitted. */
static void
test_set_spec (void)
{
  Counts c;
  g_autoptr (NwEditor) editor = new_editor (&c);
  g_autoptr (NwSpec) spec = chain ("2 dense:10 sigmoid dense:10 sigmoid dense:10 sigmoid dense:1 sigmoid bce");
  g_autoptr (NwSpec) copy = NULL;
  g_autofree char *id = NULL;

  id = nw_editor_add_node (editor, NW_NODE_DENSE, 0, 0);
  CU_ASSERT_TRUE (nw_editor_get_can_undo (editor));
  c.changed = 0;
  nw_editor_set_spec (editor, spec);
  CU_ASSERT_EQUAL (c.changed, 0);
  CU_ASSERT_FALSE (nw_editor_get_can_undo (editor));
  CU_ASSERT_FALSE (nw_editor_undo (editor));
  CU_ASSERT_TRUE (valid (editor));
  copy = nw_editor_dup_spec (editor);
  assert_same_graph (copy, spec);
  /* laid out: no two blocks at the same place */
  for (guint i = 0; i < copy->nodes->len; i++)
    for (guint j = i + 1; j < copy->nodes->len; j++)
      {
        const NwNodeSpec *a = g_ptr_array_index (copy->nodes, i), *b = g_ptr_array_index (copy->nodes, j);
        CU_ASSERT (a->x != b->x || a->y != b->y);
      }
  /* the editor's spec is its own */
  ((NwNodeSpec *) g_ptr_array_index (spec->nodes, 1))->units = 99;
  CU_ASSERT_EQUAL (nw_editor_get_node_width (editor, "dense1"), 10);
  counts_clear (&c);
}

/* Wires the editor refuses outright, without an undo step. */
static void
test_connect_refusals (void)
{
  g_autoptr (NwEditor) editor = new_editor (NULL);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 relu dense:1 sigmoid bce");
  g_autofree char *before = NULL, *after = NULL, *add = NULL;

  nw_editor_set_spec (editor, spec);
  before = editor_json (editor);
  CU_ASSERT_FALSE (nw_editor_connect (editor, "dense1", "dense1", 0));   /* self-loop */
  CU_ASSERT_FALSE (nw_editor_connect (editor, "dense1", "input", 0));    /* into the input */
  CU_ASSERT_FALSE (nw_editor_connect (editor, "loss", "dense2", 0));     /* out of the loss */
  CU_ASSERT_FALSE (nw_editor_connect (editor, "nonesuch", "dense2", 0));
  CU_ASSERT_FALSE (nw_editor_connect (editor, "act1", "dense2", 1));     /* dense has one input */
  CU_ASSERT_FALSE (nw_editor_connect (editor, "act1", "dense2", 0));     /* already there */
  CU_ASSERT_FALSE (nw_editor_remove_edge (editor, "input", "dense2", 0));
  CU_ASSERT_FALSE (nw_editor_remove_node (editor, "nonesuch"));
  CU_ASSERT_FALSE (nw_editor_set_node_setting (editor, "dense1", "p", "0.5"));        /* not a dense field */
  CU_ASSERT_FALSE (nw_editor_set_node_setting (editor, "dense1", "units", "ten"));
  CU_ASSERT_FALSE (nw_editor_set_node_setting (editor, "dense1", "units", "0"));
  CU_ASSERT_FALSE (nw_editor_set_node_setting (editor, "act1", "activation", "swish"));
  CU_ASSERT_FALSE (nw_editor_set_node_setting (editor, "act1", "alpha", "nan"));
  CU_ASSERT_FALSE (nw_editor_set_node_setting (editor, "act1", "id", "dense1"));      /* taken */
  CU_ASSERT_FALSE (nw_editor_set_node_setting (editor, "act1", "id", "a b"));         /* not an id */
  CU_ASSERT_FALSE (nw_editor_set_node_setting (editor, "act1", "colour", "red"));
  after = editor_json (editor);
  CU_ASSERT_STRING_EQUAL (before, after);
  CU_ASSERT_FALSE (nw_editor_get_can_undo (editor));

  /* A port < 0 means the next free one; Add takes any number of inputs. */
  add = nw_editor_add_node (editor, NW_NODE_ADD, 0, 0);
  CU_ASSERT_TRUE (nw_editor_connect (editor, "dense1", add, -1));
  CU_ASSERT_TRUE (nw_editor_connect (editor, "act1", add, -1));
  CU_ASSERT_TRUE (nw_editor_connect (editor, "act1", add, 5));
  CU_ASSERT_EQUAL (nw_graph_model_edge_into (editor->model, add, 0) >= 0, TRUE);
  CU_ASSERT_EQUAL (nw_graph_model_edge_into (editor->model, add, 1) >= 0, TRUE);
  /* port 5 with 2..4 empty: marked */
  CU_ASSERT_FALSE (valid (editor));
}

/* Invalid wiring ------------------------------------------------------------------------- */

static void
test_cycle_marked (void)
{
  Counts c;
  g_autoptr (NwEditor) editor = new_editor (&c);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dense:1 sigmoid bce");

  nw_editor_set_spec (editor, spec);
  CU_ASSERT_TRUE (valid (editor));
  c.valid_notifies = 0;

  /* act1 -> dense1 replaces input -> dense1: dense1 -> act1 -> dense1 */
  CU_ASSERT_TRUE (nw_editor_connect (editor, "act1", "dense1", 0));
  CU_ASSERT_FALSE (valid (editor));
  CU_ASSERT_EQUAL (c.valid_notifies, 1);
  CU_ASSERT (reason_contains (editor, "cycle"));
  CU_ASSERT_STRING_EQUAL (nw_editor_get_error_node (editor), "dense1");
  CU_ASSERT_TRUE (nw_graph_model_node_is_marked (editor->model, "act1"));
  CU_ASSERT_TRUE (nw_graph_model_node_is_marked (editor->model, "dense1"));
  CU_ASSERT_FALSE (nw_graph_model_node_is_marked (editor->model, "dense2"));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_marked_edges (editor->model), 2);
  /* on the cycle, widths are still known where a block sets its own */
  CU_ASSERT_EQUAL (nw_editor_get_node_width (editor, "act1"), 4);

  /* fixed by wiring the input back in */
  CU_ASSERT_TRUE (nw_editor_connect (editor, "input", "dense1", 0));
  CU_ASSERT_TRUE (valid (editor));
  CU_ASSERT_EQUAL (c.valid_notifies, 2);
  CU_ASSERT_PTR_NULL (nw_editor_get_error_node (editor));
  CU_ASSERT_EQUAL (nw_graph_model_get_n_marked_nodes (editor->model), 0);

  /* and undo brings the cycle back */
  CU_ASSERT_TRUE (nw_editor_undo (editor));
  CU_ASSERT_FALSE (valid (editor));
  CU_ASSERT_STRING_EQUAL (nw_editor_get_error_node (editor), "dense1");
  counts_clear (&c);
}

static void
test_dangling_input_marked (void)
{
  g_autoptr (NwEditor) editor = new_editor (NULL);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dense:1 sigmoid bce");
  g_autofree char *id = NULL;
  g_autofree char *invalid_reason = NULL;

  nw_editor_set_spec (editor, spec);
  id = nw_editor_add_node (editor, NW_NODE_DENSE, 100, 300);
  CU_ASSERT_STRING_EQUAL (id, "dense3");
  CU_ASSERT_FALSE (valid (editor));
  CU_ASSERT (reason_contains (editor, "input port 0 is not connected"));
  CU_ASSERT_STRING_EQUAL (nw_editor_get_error_node (editor), "dense3");
  g_object_get (editor, "invalid-reason", &invalid_reason, NULL);
  CU_ASSERT_PTR_NOT_NULL (invalid_reason);
  CU_ASSERT (invalid_reason != NULL && strstr (invalid_reason, "'dense3'") != NULL);
  CU_ASSERT_EQUAL (nw_editor_get_param_count (editor, "dense3"), -1);   /* input unknown */

  /* wired in, its output still leads nowhere */
  CU_ASSERT_TRUE (nw_editor_connect (editor, "act1", "dense3", 0));
  CU_ASSERT (reason_contains (editor, "leads nowhere"));
  CU_ASSERT_STRING_EQUAL (nw_editor_get_error_node (editor), "dense3");
  CU_ASSERT_EQUAL (nw_editor_get_param_count (editor, "dense3"), 4 * 4 + 4);

  /* removed: valid again */
  CU_ASSERT_TRUE (nw_editor_remove_node (editor, "dense3"));
  CU_ASSERT_TRUE (valid (editor));
  CU_ASSERT_PTR_NULL (nw_editor_get_invalid_reason (editor));
}

/* input -> dense1 (4) -> act1 -> add.0; input (2) -> add.1: widths differ. */
static NwEditor *
mismatched_add_editor (void)
{
  NwEditor *editor = new_editor (NULL);
  g_autofree char *in = nw_editor_add_node (editor, NW_NODE_INPUT, 40, 120);
  g_autofree char *d1 = nw_editor_add_node (editor, NW_NODE_DENSE, 220, 40);
  g_autofree char *a1 = nw_editor_add_node (editor, NW_NODE_ACTIVATION, 400, 40);
  g_autofree char *add = nw_editor_add_node (editor, NW_NODE_ADD, 580, 120);
  g_autofree char *d2 = nw_editor_add_node (editor, NW_NODE_DENSE, 760, 120);
  g_autofree char *a2 = nw_editor_add_node (editor, NW_NODE_ACTIVATION, 940, 120);
  g_autofree char *loss = nw_editor_add_node (editor, NW_NODE_LOSS, 1120, 120);

  nw_editor_connect (editor, in, d1, 0);
  nw_editor_connect (editor, d1, a1, 0);
  nw_editor_connect (editor, a1, add, 0);
  nw_editor_connect (editor, in, add, 1);
  nw_editor_connect (editor, add, d2, 0);
  nw_editor_connect (editor, d2, a2, 0);
  nw_editor_connect (editor, a2, loss, 0);
  nw_editor_set_node_setting (editor, d2, "units", "1");
  nw_editor_set_node_setting (editor, a2, "activation", "sigmoid");
  return editor;
}

static void
test_add_widths_marked (void)
{
  g_autoptr (NwEditor) editor = mismatched_add_editor ();

  CU_ASSERT_FALSE (valid (editor));
  CU_ASSERT (reason_contains (editor, "add needs equal widths"));
  CU_ASSERT_STRING_EQUAL (nw_editor_get_error_node (editor), "add1");
  CU_ASSERT_EQUAL (nw_editor_get_node_width (editor, "add1"), -1);
  CU_ASSERT_TRUE (nw_editor_set_node_setting (editor, "dense1", "units", "2"));
  CU_ASSERT_TRUE (valid (editor));
  CU_ASSERT_EQUAL (nw_editor_get_node_width (editor, "add1"), 2);
  CU_ASSERT_EQUAL (nw_editor_get_param_count (editor, "dense2"), 2 + 1);
}

/* A wire the editor would not make, from a file: the error names the edge. */
static void
test_edge_marked (void)
{
  g_autoptr (NwEditor) editor = new_editor (NULL);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dense:1 sigmoid bce");
  const char *from = NULL, *to = NULL;

  ((NwEdgeSpec *) g_ptr_array_index (spec->edges, 0))->port = 1;   /* input -> dense1, port 1 */
  nw_editor_set_spec (editor, spec);
  CU_ASSERT_FALSE (valid (editor));
  CU_ASSERT (reason_contains (editor, "has 1 input, not port 1"));
  CU_ASSERT_TRUE (nw_editor_get_error_edge (editor, &from, &to));
  CU_ASSERT_STRING_EQUAL (from, "input");
  CU_ASSERT_STRING_EQUAL (to, "dense1");
  CU_ASSERT_PTR_NULL (nw_editor_get_error_node (editor));
  CU_ASSERT_TRUE (nw_editor_edge_is_marked (editor, g_ptr_array_index (nw_editor_get_spec (editor)->edges, 0)));
  CU_ASSERT_FALSE (nw_editor_edge_is_marked (editor, g_ptr_array_index (nw_editor_get_spec (editor)->edges, 1)));

  /* rewiring onto port 0 fixes it */
  CU_ASSERT_TRUE (nw_editor_remove_edge (editor, "input", "dense1", 1));
  CU_ASSERT_TRUE (nw_editor_connect (editor, "input", "dense1", 0));
  CU_ASSERT_TRUE (valid (editor));
  CU_ASSERT_FALSE (nw_editor_get_error_edge (editor, &from, &to));
}

/* Removing one input of a Concat closes up the ports after it. */
static void
test_remove_compacts_ports (void)
{
  g_autoptr (NwEditor) editor = new_editor (NULL);
  g_autoptr (NwSpec) spec = chain ("2 dense:3 relu dense:1 sigmoid bce");
  g_autofree char *cat = NULL, *d = NULL;
  const NwSpec *s;
  int e;

  nw_editor_set_spec (editor, spec);
  cat = nw_editor_add_node (editor, NW_NODE_CONCAT, 0, 300);
  d = nw_editor_add_node (editor, NW_NODE_DENSE, 0, 400);
  nw_editor_connect (editor, "input", cat, -1);
  nw_editor_connect (editor, d, cat, -1);
  nw_editor_connect (editor, "act1", cat, -1);
  CU_ASSERT_EQUAL (nw_graph_model_n_fed_ports (editor->model,
                                          nw_spec_find_node (nw_editor_get_spec (editor), cat)), 3);
  CU_ASSERT_TRUE (nw_editor_remove_node (editor, d));
  s = nw_editor_get_spec (editor);
  e = nw_graph_model_edge_into (editor->model, cat, 1);
  CU_ASSERT_FATAL (e >= 0);
  CU_ASSERT_STRING_EQUAL (((NwEdgeSpec *) g_ptr_array_index (s->edges, (guint) e))->from, "act1");
  CU_ASSERT_EQUAL (nw_graph_model_edge_into (editor->model, cat, 2), -1);
  CU_ASSERT_EQUAL (nw_editor_get_node_width (editor, cat), 2 + 3);
}

/* Undo and redo -------------------------------------------------------------------------- */

static void
test_undo_redo_exact (void)
{
  Counts c;
  g_autoptr (NwEditor) editor = new_editor (&c);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dense:1 sigmoid bce");
  char *json[11];
  g_autofree char *drop = NULL, *now = NULL, *last = NULL;

  nw_editor_set_spec (editor, spec);
  json[0] = editor_json (editor);

  /* ten edits of every kind */
  drop = nw_editor_add_node (editor, NW_NODE_DROPOUT, 300, 300);                 json[1] = editor_json (editor);
  nw_editor_connect (editor, "act1", drop, 0);                                  json[2] = editor_json (editor);
  nw_editor_connect (editor, drop, "dense2", 0);                                json[3] = editor_json (editor);
  nw_editor_set_node_setting (editor, drop, "p", "0.2");                        json[4] = editor_json (editor);
  nw_editor_set_node_setting (editor, "dense1", "units", "8");                  json[5] = editor_json (editor);
  nw_editor_move_node (editor, "dense1", 123, 456);                             json[6] = editor_json (editor);
  CU_ASSERT_EQUAL (nw_editor_get_last_edit (editor), NW_EDITOR_EDIT_LAYOUT);
  nw_editor_set_node_setting (editor, drop, "enabled", "false");                json[7] = editor_json (editor);
  CU_ASSERT_EQUAL (nw_editor_get_last_edit (editor), NW_EDITOR_EDIT_TOGGLE);
  CU_ASSERT_EQUAL (c.toggled, 1);
  CU_ASSERT_STRING_EQUAL (c.toggled_id, drop);
  CU_ASSERT_FALSE (c.toggled_enabled);
  nw_editor_set_node_setting (editor, "act1", "activation", "leaky_relu");      json[8] = editor_json (editor);
  CU_ASSERT_EQUAL (nw_editor_get_last_edit (editor), NW_EDITOR_EDIT_STRUCTURE);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "act1")->alpha, 0.01);
  nw_editor_set_node_setting (editor, "act1", "id", "hidden");                  json[9] = editor_json (editor);
  CU_ASSERT_PTR_NOT_NULL (nw_spec_find_node (nw_editor_get_spec (editor), "hidden"));
  nw_editor_remove_node (editor, "dense2");                                     json[10] = editor_json (editor);
  CU_ASSERT_EQUAL (c.changed, 10);
  for (int k = 1; k <= 10; k++)
    CU_ASSERT (strcmp (json[k], json[k - 1]) != 0);

  /* back to the start, one step at a time, and one more does nothing */
  for (int k = 9; k >= 0; k--)
    {
      g_autofree char *j = NULL;
      CU_ASSERT_TRUE (nw_editor_undo (editor));
      j = editor_json (editor);
      CU_ASSERT_STRING_EQUAL (j, json[k]);
    }
  CU_ASSERT_EQUAL (c.toggled, 2);           /* undoing the switch switched it back on */
  CU_ASSERT_TRUE (c.toggled_enabled);
  CU_ASSERT_FALSE (nw_editor_get_can_undo (editor));
  CU_ASSERT_FALSE (nw_editor_undo (editor));
  now = editor_json (editor);
  CU_ASSERT_STRING_EQUAL (now, json[0]);
  CU_ASSERT_EQUAL (c.changed, 20);

  /* forward again */
  for (int k = 1; k <= 10; k++)
    {
      g_autofree char *j = NULL;
      CU_ASSERT_TRUE (nw_editor_redo (editor));
      j = editor_json (editor);
      CU_ASSERT_STRING_EQUAL (j, json[k]);
    }
  CU_ASSERT_FALSE (nw_editor_redo (editor));
  CU_ASSERT_FALSE (nw_editor_get_can_redo (editor));

  /* a new edit after undo clears the redo stack */
  nw_editor_undo (editor);
  nw_editor_undo (editor);
  nw_editor_undo (editor);
  CU_ASSERT_TRUE (nw_editor_get_can_redo (editor));
  nw_editor_move_node (editor, "input", 0, 0);
  CU_ASSERT_FALSE (nw_editor_get_can_redo (editor));
  CU_ASSERT_FALSE (nw_editor_redo (editor));
  last = editor_json (editor);
  CU_ASSERT (strcmp (last, json[7]) != 0);
  CU_ASSERT_TRUE (nw_editor_undo (editor));
  {
    g_autofree char *j = editor_json (editor);
    CU_ASSERT_STRING_EQUAL (j, json[7]);
  }

  for (int k = 0; k <= 10; k++)
    g_free (json[k]);
  counts_clear (&c);
}

/* The history is capped; the oldest steps go first. */
static void
test_undo_limit (void)
{
  g_autoptr (NwEditor) editor = new_editor (NULL);
  g_autofree char *id = nw_editor_add_node (editor, NW_NODE_DENSE, 0, 0);
  int undone = 0;

  for (int i = 1; i <= NW_EDITOR_UNDO_LIMIT + 50; i++)
    nw_editor_move_node (editor, id, i, 0);
  while (nw_editor_undo (editor))
    undone++;
  CU_ASSERT_EQUAL (undone, NW_EDITOR_UNDO_LIMIT);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), id)->x, 50);
}

/* The popover ---------------------------------------------------------------------------- */

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_popover_edits (void)
{
  Counts c;
  NwEditor *editor = new_editor (&c);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dropout:0.5 batchnorm dense:1 sigmoid bce");
  GtkWidget *window, *popover, *w;

  nw_editor_set_spec (editor, spec);
  window = show_in_window (editor, 1000, 600);

  nw_editor_popup_settings (editor, "dense1");
  popover = nw_editor_get_popover (editor);
  CU_ASSERT_PTR_NOT_NULL_FATAL (popover);
  settle ();
  CU_ASSERT_TRUE (gtk_widget_get_visible (popover));
  CU_ASSERT_STRING_EQUAL (nw_editor_get_selected (editor), "dense1");
  w = find_named (popover, "units");
  CU_ASSERT_FATAL (w != NULL && GTK_IS_SPIN_BUTTON (w));
  CU_ASSERT_EQUAL (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (w)), 4);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (w), 7);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "dense1")->units, 7);
  CU_ASSERT_TRUE (nw_editor_get_can_undo (editor));
  w = find_named (popover, "weight_init");
  CU_ASSERT_FATAL (w != NULL && GTK_IS_DROP_DOWN (w));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w), NW_INIT_HE_NORMAL);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "dense1")->weight_init, NW_INIT_HE_NORMAL);
  {
    /* The popover lays out its new rows over a few frames (slower under sanitizers): up to
     * 5 s for its labels to be drawn. */
    cairo_surface_t *s = render_widget (popover);
    for (int tries = 0; tries < 25 && count_pixels (s).ink <= 200; tries++)
      {
        cairo_surface_destroy (s);
        settle ();
        s = render_widget (popover);
      }
    save_png (s, "editor-popover-dense.png");
    CU_ASSERT (count_pixels (s).ink > 200);   /* labels drawn */
    cairo_surface_destroy (s);
  }

  nw_editor_popup_settings (editor, "act1");
  w = find_named (popover, "activation");
  CU_ASSERT_FATAL (w != NULL && GTK_IS_DROP_DOWN (w));
  CU_ASSERT_EQUAL (gtk_drop_down_get_selected (GTK_DROP_DOWN (w)), NW_ACT_TANH);
  CU_ASSERT_FALSE (gtk_widget_get_sensitive (find_named (popover, "alpha")));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w), NW_ACT_ELU);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "act1")->activation, NW_ACT_ELU);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "act1")->alpha, 1.0);
  CU_ASSERT_TRUE (gtk_widget_get_sensitive (find_named (popover, "alpha")));

  nw_editor_popup_settings (editor, "dropout1");
  w = find_named (popover, "p");
  CU_ASSERT_FATAL (w != NULL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (w), 0.25);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "dropout1")->p, 0.25);
  w = find_named (popover, "enabled");
  CU_ASSERT_FATAL (w != NULL && GTK_IS_SWITCH (w));
  c.toggled = 0;
  gtk_switch_set_active (GTK_SWITCH (w), FALSE);
  CU_ASSERT_EQUAL (c.toggled, 1);
  CU_ASSERT_STRING_EQUAL (c.toggled_id, "dropout1");
  CU_ASSERT_FALSE (nw_spec_find_node (nw_editor_get_spec (editor), "dropout1")->enabled);

  nw_editor_popup_settings (editor, "bn1");
  CU_ASSERT_PTR_NOT_NULL (find_named (popover, "momentum"));
  CU_ASSERT_PTR_NOT_NULL (find_named (popover, "eps"));
  CU_ASSERT_PTR_NOT_NULL (find_named (popover, "affine"));

  nw_editor_popup_settings (editor, "loss");
  w = find_named (popover, "loss");
  CU_ASSERT_FATAL (w != NULL && GTK_IS_DROP_DOWN (w));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w), NW_LOSS_MSE);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "loss")->loss, NW_LOSS_MSE);

  /* rename through the entry, then delete through the button */
  nw_editor_popup_settings (editor, "dense2");
  w = find_named (popover, "id");
  CU_ASSERT_FATAL (w != NULL && GTK_IS_ENTRY (w));
  gtk_editable_set_text (GTK_EDITABLE (w), "out");
  g_signal_emit_by_name (w, "activate");
  CU_ASSERT_PTR_NOT_NULL (nw_spec_find_node (nw_editor_get_spec (editor), "out"));
  CU_ASSERT_STRING_EQUAL (nw_editor_get_selected (editor), "out");
  w = find_named (popover, "delete");
  CU_ASSERT_FATAL (w != NULL);
  g_signal_emit_by_name (w, "clicked");
  CU_ASSERT_PTR_NULL (nw_spec_find_node (nw_editor_get_spec (editor), "out"));
  CU_ASSERT_PTR_NULL (nw_editor_get_selected (editor));
  settle ();
  CU_ASSERT_FALSE (gtk_widget_get_visible (popover));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (editor);
  counts_clear (&c);
}

/* Geometry and hit testing --------------------------------------------------------------- */

static void
test_hit_testing (void)
{
  g_autoptr (NwEditor) editor = new_editor (NULL);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 dropout batchnorm dense:1 sigmoid bce");
  const NwNodeSpec *dense, *drop;
  double x, y, wx, wy;
  NwRect r;
  NwHit hit;

  nw_editor_set_spec (editor, spec);
  editor->scale = 0.5;
  editor->tx = 10;
  editor->ty = 20;
  editor->fit_pending = FALSE;
  dense = nw_spec_find_node (nw_editor_get_spec (editor), "dense1");
  drop = nw_spec_find_node (nw_editor_get_spec (editor), "dropout1");

  nw_editor_output_port_pos (editor, dense, &x, &y);
  nw_editor_to_widget (editor, x, y, &wx, &wy);
  hit = nw_editor_hit_test (editor, wx + 2, wy - 2);
  CU_ASSERT_EQUAL (hit.kind, NW_HIT_OUTPUT_PORT);
  CU_ASSERT_EQUAL (hit.node, nw_editor_node_index (editor, "dense1"));

  nw_editor_input_port_pos (editor, drop, 0, &x, &y);
  nw_editor_to_widget (editor, x, y, &wx, &wy);
  hit = nw_editor_hit_test (editor, wx, wy);
  CU_ASSERT_EQUAL (hit.kind, NW_HIT_INPUT_PORT);
  CU_ASSERT_EQUAL (hit.port, 0);

  nw_editor_toggle_rect (editor, drop, &r);
  nw_editor_to_widget (editor, r.x + r.width / 2, r.y + r.height / 2, &wx, &wy);
  CU_ASSERT_EQUAL (nw_editor_hit_test (editor, wx, wy).kind, NW_HIT_TOGGLE);

  nw_editor_block_rect (editor, dense, &r);
  nw_editor_to_widget (editor, r.x + r.width / 2, r.y + r.height - 4, &wx, &wy);
  CU_ASSERT_EQUAL (nw_editor_hit_test (editor, wx, wy).kind, NW_HIT_BLOCK);
  nw_editor_to_widget (editor, r.x + r.width / 2, r.y + r.height + 200, &wx, &wy);
  CU_ASSERT_EQUAL (nw_editor_hit_test (editor, wx, wy).kind, NW_HIT_NONE);

  /* Add shows one free port more than it has inputs */
  {
    g_autofree char *add = nw_editor_add_node (editor, NW_NODE_ADD, 0, 600);
    CU_ASSERT_EQUAL (nw_editor_n_input_ports (editor, nw_spec_find_node (nw_editor_get_spec (editor), add)), 2);
    nw_editor_connect (editor, "input", add, -1);
    nw_editor_connect (editor, "dense1", add, -1);
    CU_ASSERT_EQUAL (nw_editor_n_input_ports (editor, nw_spec_find_node (nw_editor_get_spec (editor), add)), 3);
  }

  /* zooming keeps the point under the pointer */
  nw_editor_to_canvas (editor, 200, 150, &x, &y);
  nw_editor_zoom_at (editor, 1.7, 200, 150);
  nw_editor_to_widget (editor, x, y, &wx, &wy);
  NW_ASSERT_CLOSE (wx, 200, 0, 1e-9);
  NW_ASSERT_CLOSE (wy, 150, 0, 1e-9);
}

/* The pointer ---------------------------------------------------------------------------- */

static void
block_center (NwEditor *editor, const char *id, double *wx, double *wy)
{
  NwRect r;
  nw_editor_block_rect (editor, nw_spec_find_node (nw_editor_get_spec (editor), id), &r);
  nw_editor_to_widget (editor, r.x + r.width / 2, r.y + r.height - 6, wx, wy);
}

static void
out_port (NwEditor *editor, const char *id, double *wx, double *wy)
{
  double x, y;
  nw_editor_output_port_pos (editor, nw_spec_find_node (nw_editor_get_spec (editor), id), &x, &y);
  nw_editor_to_widget (editor, x, y, wx, wy);
}

static void
in_port (NwEditor *editor, const char *id, int port, double *wx, double *wy)
{
  double x, y;
  nw_editor_input_port_pos (editor, nw_spec_find_node (nw_editor_get_spec (editor), id), port, &x, &y);
  nw_editor_to_widget (editor, x, y, wx, wy);
}

/* Press at (x0, y0), move in steps to (x1, y1), release. */
static void
drag (NwEditor *editor, guint button, double x0, double y0, double x1, double y1)
{
  nw_editor_pointer_press (editor, button, x0, y0);
  for (int k = 1; k <= 5; k++)
    nw_editor_pointer_drag (editor, (x1 - x0) * k / 5, (y1 - y0) * k / 5);
  nw_editor_pointer_release (editor, button, x1 - x0, y1 - y0);
}

static int
find_edge (NwEditor *editor, const char *from, const char *to, int port)
{
  const NwSpec *s = nw_editor_get_spec (editor);
  int e = nw_graph_model_edge_into (editor->model, to, port);
  if (e >= 0 && strcmp (((NwEdgeSpec *) g_ptr_array_index (s->edges, (guint) e))->from, from) != 0)
    return -1;
  return e;
}

static gboolean
press_key (NwEditor *editor, guint keyval, GdkModifierType state)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (editor));
  gboolean handled = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      GtkEventController *controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      g_object_unref (controller);
    }
  g_object_unref (controllers);
  return handled;
}

static void
test_keys (void)
{
  NwEditor *editor = new_editor (NULL);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dense:1 sigmoid bce");
  g_autofree char *start = NULL;
  GtkWidget *window;
  double x;

  nw_editor_set_spec (editor, spec);
  window = show_in_window (editor, 900, 500);
  start = editor_json (editor);

  nw_editor_select (editor, "dense2");
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_Delete, 0));
  CU_ASSERT_PTR_NULL (nw_spec_find_node (nw_editor_get_spec (editor), "dense2"));
  CU_ASSERT_PTR_NULL (nw_editor_get_selected (editor));
  CU_ASSERT_FALSE (press_key (editor, GDK_KEY_BackSpace, 0));     /* nothing selected */
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_z, GDK_CONTROL_MASK));
  CU_ASSERT_PTR_NOT_NULL (nw_spec_find_node (nw_editor_get_spec (editor), "dense2"));
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  CU_ASSERT_PTR_NULL (nw_spec_find_node (nw_editor_get_spec (editor), "dense2"));
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_z, GDK_CONTROL_MASK));

  /* arrows move the selected block when the canvas has the focus */
  nw_editor_select (editor, "act1");
  gtk_widget_grab_focus (editor->canvas);
  x = nw_spec_find_node (nw_editor_get_spec (editor), "act1")->x;
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_Right, 0));
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "act1")->x, x + 8);
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_z, GDK_CONTROL_MASK));

  /* a wire selected by a click is deleted the same way */
  nw_editor_select (editor, NULL);
  nw_graph_model_select_edge (editor->model, nw_graph_model_edge_into (editor->model, "act2", 0));
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_Delete, 0));
  CU_ASSERT_EQUAL (nw_graph_model_edge_into (editor->model, "act2", 0), -1);
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_z, GDK_CONTROL_MASK));
  {
    g_autofree char *now = editor_json (editor);
    CU_ASSERT_STRING_EQUAL (now, start);
  }

  /* Escape during a move puts the block back; the release then does nothing */
  {
    NwRect r;
    double wx, wy, y0 = nw_spec_find_node (nw_editor_get_spec (editor), "dense1")->y;
    gboolean could_undo = nw_editor_get_can_undo (editor);
    nw_editor_block_rect (editor, nw_spec_find_node (nw_editor_get_spec (editor), "dense1"), &r);
    nw_editor_to_widget (editor, r.x + r.width / 2, r.y + r.height - 6, &wx, &wy);
    nw_editor_pointer_press (editor, GDK_BUTTON_PRIMARY, wx, wy);
    nw_editor_pointer_drag (editor, 0, 80);
    CU_ASSERT (nw_spec_find_node (nw_editor_get_spec (editor), "dense1")->y > y0);
    CU_ASSERT_TRUE (press_key (editor, GDK_KEY_Escape, 0));
    CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "dense1")->y, y0);
    nw_editor_pointer_drag (editor, 0, 90);
    nw_editor_pointer_release (editor, GDK_BUTTON_PRIMARY, 0, 90);
    CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "dense1")->y, y0);
    CU_ASSERT_EQUAL (nw_editor_get_can_undo (editor), could_undo);
    CU_ASSERT_PTR_NULL (nw_editor_get_popover (editor));   /* no click, no popover */
  }

  /* zoom keys */
  x = editor->scale;
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_minus, GDK_CONTROL_MASK));
  CU_ASSERT (editor->scale < x);
  CU_ASSERT_TRUE (press_key (editor, GDK_KEY_0, GDK_CONTROL_MASK));
  NW_ASSERT_CLOSE (editor->scale, x, 0, 1e-9);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (editor);
}

static void
test_pointer (void)
{
  Counts c;
  NwEditor *editor = new_editor (&c);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dense:1 sigmoid bce");
  g_autofree char *drop = NULL, *add = NULL;
  GtkWidget *window;
  const NwNodeSpec *node;
  double x0, y0, x1, y1, nx, ny, tx;
  int steps;

  nw_editor_set_spec (editor, spec);
  window = show_in_window (editor, 1000, 600);
  settle ();
  CU_ASSERT_FALSE (editor->fit_pending);

  /* moving a block is one step, of layout only */
  node = nw_spec_find_node (nw_editor_get_spec (editor), "dense1");
  nx = node->x, ny = node->y;
  block_center (editor, "dense1", &x0, &y0);
  drag (editor, GDK_BUTTON_PRIMARY, x0, y0, x0 + 60 * editor->scale, y0 + 30 * editor->scale);
  node = nw_spec_find_node (nw_editor_get_spec (editor), "dense1");
  NW_ASSERT_CLOSE (node->x, nx + 60, 0, 1.0);
  NW_ASSERT_CLOSE (node->y, ny + 30, 0, 1.0);
  CU_ASSERT_EQUAL (c.changed, 1);
  CU_ASSERT_EQUAL (nw_editor_get_last_edit (editor), NW_EDITOR_EDIT_LAYOUT);
  nw_editor_undo (editor);
  CU_ASSERT_EQUAL (nw_spec_find_node (nw_editor_get_spec (editor), "dense1")->x, nx);
  nw_editor_redo (editor);

  /* a click on a block selects it and opens its settings */
  block_center (editor, "act1", &x0, &y0);
  drag (editor, GDK_BUTTON_PRIMARY, x0, y0, x0 + 1, y0);
  CU_ASSERT_STRING_EQUAL (nw_editor_get_selected (editor), "act1");
  CU_ASSERT_PTR_NOT_NULL_FATAL (nw_editor_get_popover (editor));
  CU_ASSERT_TRUE (gtk_widget_get_visible (nw_editor_get_popover (editor)));
  CU_ASSERT_PTR_NOT_NULL (find_named (nw_editor_get_popover (editor), "activation"));
  gtk_popover_popdown (GTK_POPOVER (nw_editor_get_popover (editor)));

  /* wiring: act1's output onto a new Dropout's input port */
  node = nw_spec_find_node (nw_editor_get_spec (editor), "act1");
  drop = nw_editor_add_node (editor, NW_NODE_DROPOUT, node->x, node->y + 160);
  steps = (int) nw_graph_model_get_n_undo (editor->model);
  out_port (editor, "act1", &x0, &y0);
  in_port (editor, drop, 0, &x1, &y1);
  {
    /* while dragging: a dashed wire to the pointer, the port it would land on in green */
    cairo_surface_t *shot;
    Pixels px;
    nw_editor_pointer_press (editor, GDK_BUTTON_PRIMARY, x0, y0);
    nw_editor_pointer_drag (editor, (x1 - x0) / 2, (y1 - y0) / 2);
    nw_editor_pointer_drag (editor, x1 + 2 - x0, y1 - 2 - y0);
    CU_ASSERT_EQUAL (editor->wire_target.kind, NW_HIT_INPUT_PORT);
    shot = render_canvas (editor);
    px = count_pixels (shot);
    save_png (shot, "editor-wiring.png");
    cairo_surface_destroy (shot);
    CU_ASSERT (px.green > 20);
    nw_editor_pointer_release (editor, GDK_BUTTON_PRIMARY, x1 + 2 - x0, y1 - 2 - y0);
  }
  CU_ASSERT (find_edge (editor, "act1", drop, 0) >= 0);
  CU_ASSERT_EQUAL ((int) nw_graph_model_get_n_undo (editor->model), steps + 1);

  /* picking up the wire into dense2 and dropping it on empty canvas removes it */
  in_port (editor, "dense2", 0, &x0, &y0);
  drag (editor, GDK_BUTTON_PRIMARY, x0, y0, x0 - 5, y0 + 400);
  CU_ASSERT_EQUAL (find_edge (editor, "act1", "dense2", 0), -1);
  CU_ASSERT (reason_contains (editor, "'dense2': input port 0 is not connected"));

  /* a wire dropped on a block's body goes into its free input */
  out_port (editor, drop, &x0, &y0);
  block_center (editor, "dense2", &x1, &y1);
  drag (editor, GDK_BUTTON_PRIMARY, x0, y0, x1, y1);
  CU_ASSERT (find_edge (editor, drop, "dense2", 0) >= 0);
  CU_ASSERT_TRUE (valid (editor));

  /* the switch on the Dropout block */
  {
    NwRect t;
    c.toggled = 0;
    nw_editor_toggle_rect (editor, nw_spec_find_node (nw_editor_get_spec (editor), drop), &t);
    nw_editor_to_widget (editor, t.x + t.width / 2, t.y + t.height / 2, &x0, &y0);
    drag (editor, GDK_BUTTON_PRIMARY, x0, y0, x0, y0);
    CU_ASSERT_EQUAL (c.toggled, 1);
    CU_ASSERT_FALSE (c.toggled_enabled);
    CU_ASSERT_FALSE (nw_spec_find_node (nw_editor_get_spec (editor), drop)->enabled);
    CU_ASSERT_EQUAL (nw_editor_get_last_edit (editor), NW_EDITOR_EDIT_TOGGLE);
  }

  /* backwards: from an Add's free input to act1's output */
  add = nw_editor_add_node (editor, NW_NODE_ADD, 40, 500);
  in_port (editor, add, 0, &x0, &y0);
  out_port (editor, "act1", &x1, &y1);
  drag (editor, GDK_BUTTON_PRIMARY, x0, y0, x1, y1);
  CU_ASSERT (find_edge (editor, "act1", add, 0) >= 0);

  /* a click on a wire selects it */
  {
    int e = find_edge (editor, "input", "dense1", 0);
    double ax, ay, bx, by;
    out_port (editor, "input", &ax, &ay);
    in_port (editor, "dense1", 0, &bx, &by);
    CU_ASSERT_FATAL (e >= 0);
    /* dense1 was moved down-right: the wire's middle is between the two ports */
    drag (editor, GDK_BUTTON_PRIMARY, (ax + bx) / 2, (ay + by) / 2, (ax + bx) / 2, (ay + by) / 2);
    CU_ASSERT_EQUAL (nw_graph_model_get_selected_edge (editor->model), e);
    CU_ASSERT_PTR_NULL (nw_editor_get_selected (editor));
  }

  /* panning with the middle button or on empty canvas moves the view, not the network */
  {
    g_autofree char *before = editor_json (editor);
    g_autofree char *after = NULL;
    tx = editor->tx;
    drag (editor, GDK_BUTTON_MIDDLE, 500, 300, 550, 320);
    NW_ASSERT_CLOSE (editor->tx, tx + 50, 0, 1e-9);
    tx = editor->tx;
    drag (editor, GDK_BUTTON_PRIMARY, 5, 5, 25, 5);
    NW_ASSERT_CLOSE (editor->tx, tx + 20, 0, 1e-9);
    after = editor_json (editor);
    CU_ASSERT_STRING_EQUAL (before, after);
  }

  /* a click on empty canvas deselects */
  nw_editor_select (editor, "dense1");
  drag (editor, GDK_BUTTON_PRIMARY, 5, 5, 5, 5);
  CU_ASSERT_PTR_NULL (nw_editor_get_selected (editor));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (editor);
  counts_clear (&c);
}

/* Rendering ------------------------------------------------------------------------------ */

static void
test_render_marks_only_invalid (void)
{
  NwEditor *editor = new_editor (NULL);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dense:1 sigmoid bce");
  GtkWidget *window;
  cairo_surface_t *s;
  Pixels valid_px, invalid_px, empty_px;

  window = show_in_window (editor, 1000, 560);

  s = render (editor);
  empty_px = count_pixels (s);
  save_png (s, "editor-empty.png");
  cairo_surface_destroy (s);
  CU_ASSERT_EQUAL (empty_px.red, 0);          /* an empty canvas is not shouted at */
  CU_ASSERT (empty_px.ink > 100);             /* the hint and the palette */

  nw_editor_set_spec (editor, spec);
  nw_editor_select (editor, "dense2");
  s = render (editor);
  valid_px = count_pixels (s);
  save_png (s, "editor-valid.png");
  cairo_surface_destroy (s);
  g_print ("  valid: red %d, dense blue %d, ink %d of %d\n", valid_px.red, valid_px.dense_blue,
           valid_px.ink, valid_px.total);
  CU_ASSERT_EQUAL (valid_px.red, 0);
  CU_ASSERT (valid_px.dense_blue > 2000);     /* two Dense blocks */
  CU_ASSERT (valid_px.ink > 500);             /* text */

  CU_ASSERT_TRUE (nw_editor_connect (editor, "act1", "dense1", 0));    /* a cycle */
  s = render (editor);
  invalid_px = count_pixels (s);
  save_png (s, "editor-cycle.png");
  cairo_surface_destroy (s);
  g_print ("  cycle: red %d\n", invalid_px.red);
  CU_ASSERT (invalid_px.red > 200);

  nw_editor_undo (editor);
  s = render (editor);
  CU_ASSERT_EQUAL (count_pixels (s).red, 0);
  cairo_surface_destroy (s);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (editor);
}


/* The reason beside a marked block stays on the canvas, even when the block is at its right
 * edge or near the bottom (it was drawn from the block's left to 230 canvas units on, past
 * the edge). */
static void
test_reason_inside_canvas (void)
{
  NwEditor *editor = new_editor (NULL);
  g_autoptr (NwSpec) spec = chain ("2 dense:4 tanh dense:1 sigmoid bce");
  g_autofree char *id = NULL;
  g_autoptr (GArray) rects = nw_plot_text_rects_new ();
  GtkWidget *window = show_in_window (editor, 560, 360);
  cairo_surface_t *surface;
  cairo_t *cr;
  int w, h;
  gboolean reason_seen = FALSE;

  nw_editor_set_spec (editor, spec);
  id = nw_editor_add_node (editor, NW_NODE_DENSE, 1000, 420);   /* far right, not wired */
  CU_ASSERT_FALSE (valid (editor));
  settle ();
  w = gtk_widget_get_width (editor->canvas);
  h = gtk_widget_get_height (editor->canvas);
  /* The view at 1:1 with the block against the canvas's right edge and low down, as a user
   * may pan it. */
  {
    const NwNodeSpec *node = nw_spec_find_node (nw_editor_get_spec (editor), id);
    NwRect r;
    nw_editor_block_rect (editor, node, &r);
    editor->scale = 1.0;
    editor->tx = w - 8 - (r.x + r.width);
    editor->ty = h - 40 - (r.y + r.height);
    editor->view_touched = TRUE;
    editor->fit_pending = FALSE;
  }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  nw_plot_record_text (cr, rects);
  nw_editor_draw (editor, cr, w, h);
  cairo_destroy (cr);
  save_png (surface, "editor-reason-edge.png");
  cairo_surface_destroy (surface);
  for (guint i = 0; i < rects->len; i++)
    {
      const NwPlotTextRect *r = &g_array_index (rects, NwPlotTextRect, i);
      gboolean inside = r->x >= -0.5 && r->y >= -0.5 && r->x + r->width <= w + 0.5
                        && r->y + r->height <= h + 0.5;
      /* The reason (not the block's subtitle, "dense3 · ? params"); the other blocks are
       * panned out of sight on purpose. */
      if (strstr (r->text, id) == NULL || strstr (r->text, "·") != NULL)
        continue;
      reason_seen = TRUE;
      if (!inside)
        g_print ("\n    '%s' at (%.0f, %.0f, %.0f x %.0f) is outside the %dx%d canvas", r->text,
                 r->x, r->y, r->width, r->height, w, h);
      CU_ASSERT (inside);
    }
  CU_ASSERT (reason_seen);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (editor);
}

static void
test_render_add_and_neurons (void)
{
  NwEditor *editor = mismatched_add_editor ();
  g_autoptr (NwSpec) deep = chain ("2 dense:6 tanh dropout:0.2 batchnorm dense:3 relu dense:1 sigmoid bce");
  GtkWidget *window;
  cairo_surface_t *s;
  Pixels px;
  float *values;
  int grid = 16;
  NwRect before, after;

  window = show_in_window (editor, 1100, 600);
  s = render (editor);
  px = count_pixels (s);
  save_png (s, "editor-add-widths.png");
  cairo_surface_destroy (s);
  CU_ASSERT (px.red > 200);
  CU_ASSERT_TRUE (nw_editor_set_node_setting (editor, "dense1", "units", "2"));
  s = render (editor);
  CU_ASSERT_EQUAL (count_pixels (s).red, 0);
  cairo_surface_destroy (s);

  /* neuron thumbnails in a Dense block: a gradient from -1 to 1 per unit */
  nw_editor_set_spec (editor, deep);
  nw_editor_block_rect (editor, nw_spec_find_node (nw_editor_get_spec (editor), "dense1"), &before);
  values = g_new (float, 6 * grid * grid);
  for (int u = 0; u < 6; u++)
    for (int i = 0; i < grid * grid; i++)
      {
        /* a boundary at a different angle per unit, saturated away from it */
        double x = (i % grid) / (grid - 1.0) * 2 - 1, y = (i / grid) / (grid - 1.0) * 2 - 1;
        double a = u * G_PI / 3;
        values[u * grid * grid + i] = (float) tanh (4 * (x * cos (a) + y * sin (a)));
      }
  nw_editor_set_neuron_images (editor, "dense1", values, 6, grid, -1, 1);
  nw_editor_set_neuron_images (editor, "act1", values, 6, grid, -1, 1);
  nw_editor_set_neuron_images (editor, "bn1", values, 6, grid, -1, 1);   /* not shown there */
  CU_ASSERT_EQUAL (nw_editor_get_n_neuron_images (editor, "act1"), 6);
  g_free (values);
  nw_editor_block_rect (editor, nw_spec_find_node (nw_editor_get_spec (editor), "dense1"), &after);
  CU_ASSERT (after.height > before.height);
  CU_ASSERT_EQUAL (nw_editor_n_thumbs (editor, nw_spec_find_node (nw_editor_get_spec (editor), "bn1")), 0);
  nw_editor_fit_view (editor);

  /* hovering the second neuron shows it large */
  {
    NwRect t;
    double wx, wy;
    const NwNodeSpec *node = nw_spec_find_node (nw_editor_get_spec (editor), "dense1");
    settle ();   /* pointer events from the server first: they would reset the hover */
    nw_editor_thumb_rect (editor, node, 1, &t);
    nw_editor_to_widget (editor, t.x + t.width / 2, t.y + t.height / 2, &wx, &wy);
    editor->hover = nw_editor_hit_test (editor, wx, wy);
    CU_ASSERT_EQUAL (editor->hover.kind, NW_HIT_THUMB);
    CU_ASSERT_EQUAL (editor->hover.unit, 1);
    editor->pointer_x = wx;
    editor->pointer_y = wy;
  }
  s = render_canvas (editor);
  px = count_pixels (s);
  save_png (s, "editor-neurons.png");
  cairo_surface_destroy (s);
  g_print ("  neurons: high (orange) %d, low (blue) %d, red %d\n", px.map_high, px.map_low, px.red);
  /* The boundary view's scale: -1 blue, +1 orange. The large one alone is 168 x 168. */
  CU_ASSERT (px.map_high > 2000);
  CU_ASSERT (px.map_low > 2000);
  CU_ASSERT_EQUAL (px.red, 0);

  nw_editor_clear_neuron_images (editor);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (editor);
}

static const NwTestCase model_cases[] = {
  { "edits_build_chain", test_edits_build_chain },
  { "set_spec", test_set_spec },
  { "connect_refusals", test_connect_refusals },
  { "remove_compacts_ports", test_remove_compacts_ports },
  { NULL, NULL },
};

static const NwTestCase validation_cases[] = {
  { "cycle_marked", test_cycle_marked },
  { "dangling_input_marked", test_dangling_input_marked },
  { "add_widths_marked", test_add_widths_marked },
  { "edge_marked", test_edge_marked },
  { NULL, NULL },
};

static const NwTestCase undo_cases[] = {
  { "undo_redo_exact", test_undo_redo_exact },
  { "undo_limit", test_undo_limit },
  { NULL, NULL },
};

static const NwTestCase widget_cases[] = {
  { "popover_edits", test_popover_edits },
  { "hit_testing", test_hit_testing },
  { "pointer", test_pointer },
  { "keys", test_keys },
  { "render_marks_only_invalid", test_render_marks_only_invalid },
  { "reason_inside_canvas", test_reason_inside_canvas },
  { "render_add_and_neurons", test_render_add_and_neurons },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "model", model_cases },
  { "validation", validation_cases },
  { "undo", undo_cases },
  { "widget", widget_cases },
  { NULL, NULL },
};

/* Without a display, run again under xvfb-run (once), or skip. */
static void
ensure_display (char **argv)
{
  g_autofree char *xvfb = NULL;
  g_autofree char *self = NULL;
  GPtrArray *args;

  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL
      || g_getenv ("NW_TEST_UNDER_XVFB") != NULL)
    return;
  xvfb = g_find_program_in_path ("xvfb-run");
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (xvfb == NULL || self == NULL)
    return;
  g_setenv ("NW_TEST_UNDER_XVFB", "1", TRUE);
  args = g_ptr_array_new ();
  g_ptr_array_add (args, xvfb);
  g_ptr_array_add (args, (char *) "-a");
  g_ptr_array_add (args, (char *) "-s");
  g_ptr_array_add (args, (char *) "-screen 0 1280x1024x24");
  g_ptr_array_add (args, self);
  for (int i = 1; argv[i] != NULL; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  execv (xvfb, (char **) args->pdata);
  g_ptr_array_unref (args);   /* exec failed: go on without */
}

int
main (int argc, char **argv)
{
  ensure_display (argv);
  if (!gtk_init_check ())
    {
      g_printerr ("test-editor: no display (and no xvfb-run): skipped\n");
      return 77;
    }
  return nw_test_main (argc, argv, suites);
}
