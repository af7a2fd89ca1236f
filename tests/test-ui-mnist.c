/* test-ui-mnist.c: the MNIST view's widgets and panel (ui/nw-digit-pad.c ... nw-mnist-panel.c).
 *
 * Strokes are added to the pad from code; the stages, the 28x28 and the rendered widgets are
 * checked by pixel statistics on PNGs written and read back. Models are built from hand-made
 * weights whose answer is known (a vertical stroke reads as 1, a horizontal one as 4), so the
 * panel's own inference, its refusals of mismatched or corrupt models and its background
 * evaluation can be checked exactly. Runs under Xvfb (tests/meson.build); exits 77 (skipped)
 * without a display. Set NW_UI_TEST_OUTPUT=DIR to keep the PNGs (the whole panel included). */
#include "nw-test.h"
#include "nw-test-image.h"

#include "nw-confusion-view.h"
#include "nw-digit-gallery.h"
#include "nw-digit-model.h"
#include "nw-digit-pad.h"
#include "nw-digit-stages.h"
#include "nw-layer-strip.h"
#include "nw-mnist-panel.h"
#include "nw-plot.h"
#include "nw-prob-bars.h"
#include "nw-ui.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Images                                                                                       */


static GtkWidget *
sink (GtkWidget *widget)
{
  return g_object_ref_sink (widget);
}

static void
draw_pad (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_digit_pad_draw (NW_DIGIT_PAD (w), cr, width, height);
}

static void
draw_stages (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_digit_stages_view_draw (NW_DIGIT_STAGES_VIEW (w), cr, width, height);
}

static void
draw_bars (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_prob_bars_draw (NW_PROB_BARS (w), cr, width, height);
}

static void
draw_confusion (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_confusion_view_draw (NW_CONFUSION_VIEW (w), cr, width, height);
}

static void
draw_gallery (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_digit_gallery_draw (NW_DIGIT_GALLERY (w), cr, width, height);
}

static void
draw_strip (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_layer_strip_draw (NW_LAYER_STRIP (w), cr, width, height);
}

/* Runs the main loop until `done` is set or `seconds` pass. */
static gboolean
wait_for (const gboolean *done, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  while (!*done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return *done;
}

/* For g_signal_connect_swapped: the flag comes first. */
static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static void
count_up (int *counter)
{
  (*counter)++;
}

/* The first GtkLabel under `widget` showing exactly `text`, or NULL. */
static GtkWidget *
find_label (GtkWidget *widget, const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Hand-made models                                                                             */

/* The strokes the tests draw, in pad coordinates (280 x 280). */
static const double vertical[] = { 140, 40, 142, 120, 144, 240 };
static const double horizontal[] = { 40, 140, 120, 142, 240, 144 };

/* 784 -> 4 ReLU -> 10: hidden unit 0 sums the middle four columns of the 28x28, unit 1 the
 * middle four rows, units 2 and 3 see nothing. Class 1 reads unit 0 and class 4 unit 1, so a
 * vertical bar is a 1 and a horizontal bar a 4; a small bias keeps class 0 ahead on a blank.
 * The weights go where the net says each tensor lives (w_off, b_off). */
static NwSpec *
bars_spec (void)
{
  GError *error = NULL;
  NwSpec *spec = nw_spec_new_chain ("784 dense:4 relu dense:10 softmax_xent", &error);
  NW_ASSERT_NO_ERROR (error);
  g_free (spec->name);
  spec->name = g_strdup ("bars");
  return spec;
}

static float *
bars_params (const NwSpec *spec, gsize *n_params, int input_width)
{
  GError *error = NULL;
  NwBackend *b = nw_backend_cpu_new ();
  NwNet *net = nw_net_new (spec, input_width, 10, 10, b, &error);
  float *p;
  int dense = 0;
  NW_ASSERT_NO_ERROR (error);
  *n_params = nw_net_n_params (net);
  p = g_new0 (float, *n_params);
  for (int i = 0; i < nw_net_n_nodes (net); i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      if (info->spec->kind != NW_NODE_DENSE)
        continue;
      if (dense == 0)
        for (int k = 0; k < input_width; k++)
          {
            int x = k % 28, y = k / 28;
            p[info->w_off + 0 * input_width + k] = (x >= 12 && x < 16) ? 0.2f : 0.0f;
            p[info->w_off + 1 * input_width + k] = (y >= 12 && y < 16) ? 0.2f : 0.0f;
          }
      else
        {
          p[info->w_off + 1 * 4 + 0] = 3.0f;   /* class 1 <- unit 0 */
          p[info->w_off + 4 * 4 + 1] = 3.0f;   /* class 4 <- unit 1 */
          p[info->b_off + 0] = 0.5f;           /* class 0 on a blank */
        }
      dense++;
    }
  nw_net_free (net);
  nw_backend_free (b);
  return p;
}

/* 784 -> 10 softmax regression that always says `label` (by its bias). */
static NwSpec *
constant_spec (void)
{
  GError *error = NULL;
  NwSpec *spec = nw_spec_new_chain ("784 dense:10 softmax_xent", &error);
  NW_ASSERT_NO_ERROR (error);
  return spec;
}

static float *
constant_params (int label, gsize *n)
{
  float *p;
  *n = 784 * 10 + 10;
  p = g_new0 (float, *n);
  p[784 * 10 + label] = 8.0f;   /* weights first, then the bias */
  return p;
}

static GtkWidget *
panel_with_bars_model (void)
{
  GtkWidget *panel = sink (nw_mnist_panel_new ());
  g_autoptr (NwSpec) spec = bars_spec ();
  gsize n = 0;
  g_autofree float *p = bars_params (spec, &n, 784);
  GError *error = NULL;
  CU_ASSERT (nw_mnist_panel_set_model (NW_MNIST_PANEL (panel), spec, p, n, &error));
  NW_ASSERT_NO_ERROR (error);
  return panel;
}

static NwDigitPad *
panel_pad (GtkWidget *panel)
{
  return NW_DIGIT_PAD (nw_mnist_panel_get_pad (NW_MNIST_PANEL (panel)));
}

/* ------------------------------------------------------------------------------------------ */
/* The pad                                                                                      */

static int n_changed;

static void
count_changed (NwDigitPad *pad, gpointer data)
{
  n_changed++;
}

static void
test_pad_strokes (void)
{
  g_autoptr (GtkWidget) pad = sink (nw_digit_pad_new ());
  NwDigitPad *p = NW_DIGIT_PAD (pad);
  const float *ink;
  int size;
  double sum = 0, col_sum = 0;
  cairo_surface_t *img;

  g_signal_connect (pad, "changed", G_CALLBACK (count_changed), NULL);
  n_changed = 0;
  CU_ASSERT (nw_digit_pad_is_empty (p));

  /* One "changed" per point while drawing, not only at the end. */
  nw_digit_pad_begin_stroke (p, 140, 40, 0.75);
  CU_ASSERT_EQUAL (n_changed, 1);
  for (int y = 50; y <= 240; y += 10)
    nw_digit_pad_extend_stroke (p, 140, y, 0.75);
  CU_ASSERT_EQUAL (n_changed, 1 + 20);
  nw_digit_pad_end_stroke (p);
  CU_ASSERT_EQUAL (nw_digit_pad_get_n_strokes (p), 1);

  /* The ink: a round-capped bar 22 px wide from y 29 to 251 at x 140. */
  ink = nw_digit_pad_get_ink (p, &size);
  CU_ASSERT_EQUAL_FATAL (size, 280);
  for (int i = 0; i < size * size; i++)
    sum += ink[i];
  for (int y = 0; y < size; y++)
    for (int x = 129; x <= 151; x++)
      col_sum += ink[y * size + x];
  g_print ("\n    (ink %.0f px, %.0f%% inside the stroke's columns) ", sum, 100 * col_sum / sum);
  CU_ASSERT (fabs (sum - (22.0 * 200 + G_PI * 11 * 11)) < 0.05 * sum);
  CU_ASSERT (col_sum > 0.99 * sum);
  CU_ASSERT (ink[140 * size + 140] > 0.99f);   /* solid in the middle */
  CU_ASSERT (ink[140 * size + 100] == 0.0f);   /* paper beside it */
  {
    /* Anti-aliased: the round caps leave partly covered pixels. */
    int partial = 0;
    for (int i = 0; i < size * size; i++)
      partial += ink[i] > 0.02f && ink[i] < 0.98f;
    CU_ASSERT (partial > 10);
  }

  /* Drawn on screen at another size: dark along the stroke, white beside it. */
  img = nw_test_render_png (pad, draw_pad, 420, 420, "pad-stroke");
  {
    double x, y;
    CU_ASSERT (nw_digit_pad_to_canvas (p, 420, 420, 210, 210, &x, &y));
    CU_ASSERT (fabs (x - 140) < 1.5 && fabs (y - 140) < 1.5);
    CU_ASSERT (nw_test_count_dark (img, 205, 150, 10, 100, 0.3) > 900);
    CU_ASSERT_EQUAL (nw_test_count_dark (img, 100, 150, 60, 100, 0.5), 0);
  }
  cairo_surface_destroy (img);

  /* A second stroke, undo, clear. */
  nw_digit_pad_add_stroke (p, horizontal, 3);
  CU_ASSERT_EQUAL (nw_digit_pad_get_n_strokes (p), 2);
  ink = nw_digit_pad_get_ink (p, &size);
  CU_ASSERT (ink[142 * size + 60] > 0.9f);
  n_changed = 0;
  CU_ASSERT (nw_digit_pad_undo (p));
  CU_ASSERT_EQUAL (n_changed, 1);
  ink = nw_digit_pad_get_ink (p, &size);
  CU_ASSERT (ink[142 * size + 60] == 0.0f);    /* the bar is gone */
  CU_ASSERT (ink[140 * size + 140] > 0.99f);   /* the stem stays */
  nw_digit_pad_clear (p);
  CU_ASSERT (nw_digit_pad_is_empty (p));
  ink = nw_digit_pad_get_ink (p, &size);
  for (int i = 0; i < size * size; i++)
    if (ink[i] != 0.0f)
      {
        CU_FAIL ("ink left after clear");
        break;
      }
  CU_ASSERT (!nw_digit_pad_undo (p));

  /* Width: clamped to its range, applies to the next stroke; pressure scales it. */
  nw_digit_pad_set_stroke_width (p, 1000);
  CU_ASSERT_DOUBLE_EQUAL (nw_digit_pad_get_stroke_width (p), NW_DIGIT_PAD_MAX_WIDTH, 1e-9);
  nw_digit_pad_set_stroke_width (p, 10);
  nw_digit_pad_begin_stroke (p, 100, 100, 0.75);
  nw_digit_pad_extend_stroke (p, 200, 100, 0.75);
  nw_digit_pad_end_stroke (p);
  ink = nw_digit_pad_get_ink (p, &size);
  CU_ASSERT (ink[104 * size + 150] > 0.4f && ink[107 * size + 150] == 0.0f);
  nw_digit_pad_clear (p);
  nw_digit_pad_begin_stroke (p, 100, 100, 0.0);    /* a light touch: 0.4 x 10 = 4 px */
  nw_digit_pad_extend_stroke (p, 200, 100, 0.0);
  ink = nw_digit_pad_get_ink (p, &size);
  CU_ASSERT (ink[103 * size + 150] == 0.0f);
  nw_digit_pad_end_stroke (p);

  /* Empty on screen: the hint, no ink-dark pixels outside the text. */
  nw_digit_pad_clear (p);
  img = nw_test_render_png (pad, draw_pad, 300, 300, "pad-empty");
  CU_ASSERT_EQUAL (nw_test_count_dark (img, 10, 10, 280, 100, 0.3), 0);
  cairo_surface_destroy (img);
}

/* ------------------------------------------------------------------------------------------ */
/* The panel's reading                                                                          */

static void
test_stages_of_a_stroke (void)
{
  g_autoptr (GtkWidget) panel = sink (nw_mnist_panel_new ());
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  const NwDigitStages *st;
  cairo_surface_t *img;
  double cx, cy, sum = 0;

  nw_digit_pad_add_stroke (panel_pad (panel), vertical, 3);
  st = nw_mnist_panel_get_stages (mp);
  CU_ASSERT_EQUAL_FATAL (st->status, NW_DIGIT_READABLE);
  /* The box of a 22-px bar from y 40 to 240 (caps 11 px each way, fringe below the box
   * level trimmed). */
  g_print ("\n    (box %dx%d at %d,%d; fit %dx%d; centre of mass %.2f, %.2f) ", st->box_w,
           st->box_h, st->box_x, st->box_y, st->fit_w, st->fit_h, st->com_x, st->com_y);
  CU_ASSERT (st->box_w >= 22 && st->box_w <= 28);
  CU_ASSERT (st->box_h >= 218 && st->box_h <= 224);
  CU_ASSERT_EQUAL (st->fit_h, 20);
  CU_ASSERT (st->fit_w >= 2 && st->fit_w <= 3);
  CU_ASSERT (nw_digit_centre_of_mass (st->image, 28, 28, 28, &cx, &cy));
  CU_ASSERT (fabs (cx - 14) <= 0.5 && fabs (cy - 14) <= 0.5);
  /* The 28x28: ink in the middle columns only, grey levels kept (not all 0 or 1). */
  {
    int grey = 0;
    for (int i = 0; i < 784; i++)
      {
        int x = i % 28;
        sum += st->image[i];
        if (x < 12 || x > 16)
          CU_ASSERT (st->image[i] == 0.0f);
        grey += st->image[i] > 0.05f && st->image[i] < 0.95f;
      }
    CU_ASSERT (sum > 30 && sum < 70);
    CU_ASSERT (grey > 0);
  }

  /* The stages view: three tiles, ink in each. */
  img = nw_test_render_png (nw_mnist_panel_get_stages_view (mp), draw_stages, 420, 150, "stages-bar");
  {
    /* Tiles of side min((420 - 20) / 3, 150 - 30) = 120, from x = 10. */
    int dark1 = nw_test_count_dark (img, 10, 0, 120, 120, 0.4);
    int dark2 = nw_test_count_dark (img, 140, 0, 120, 120, 0.4);
    int dark3 = nw_test_count_dark (img, 270, 0, 120, 120, 0.4);
    g_print ("(dark pixels per tile %d %d %d) ", dark1, dark2, dark3);
    CU_ASSERT (dark1 > 300 && dark2 > 300 && dark3 > 200);
    /* The third tile: the bar down its middle, paper at its sides. */
    CU_ASSERT (nw_test_count_dark (img, 318, 20, 24, 80, 0.7) > 300);
    CU_ASSERT_EQUAL (nw_test_count_dark (img, 280, 20, 30, 80, 0.4), 0);
  }
  cairo_surface_destroy (img);
}

static void
test_known_weights_read (void)
{
  g_autoptr (GtkWidget) panel = panel_with_bars_model ();
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  NwProbBars *bars = NW_PROB_BARS (nw_mnist_panel_get_prob_bars (mp));
  NwLayerStrip *strip = NW_LAYER_STRIP (nw_mnist_panel_get_layer_strip (mp));
  const float *probs;
  gboolean notified = FALSE;
  cairo_surface_t *img;

  g_signal_connect_swapped (panel, "notify::prediction", G_CALLBACK (set_flag), &notified);
  CU_ASSERT (nw_mnist_panel_has_model (mp));
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), -1);
  CU_ASSERT_STRING_EQUAL (nw_prob_bars_get_message (bars), "Draw a digit");

  nw_digit_pad_add_stroke (panel_pad (panel), vertical, 3);
  CU_ASSERT (notified);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 1);
  CU_ASSERT_EQUAL (nw_prob_bars_get_top_class (bars), 1);
  probs = nw_mnist_panel_get_probabilities (mp);
  CU_ASSERT_PTR_NOT_NULL_FATAL (probs);
  g_print ("\n    (vertical stroke: P(1) = %.3f) ", probs[1]);
  CU_ASSERT (probs[1] > 0.9f);
  /* One hidden layer of four, the first unit firing. */
  CU_ASSERT_EQUAL (nw_layer_strip_get_n_layers (strip), 1);

  /* The bars on screen: the bar of class 1 long and blue; the others short. */
  img = nw_test_render_png (GTK_WIDGET (bars), draw_bars, 480, 220, "bars-one");
  {
    int row_h = (220 - 12) / 10;
    int blue1 = nw_test_count_colour (img, 170, 6 + 1 * row_h, 260, row_h, NW_COLOUR_TRAIN, 0.15);
    int blue4 = nw_test_count_colour (img, 170, 6 + 4 * row_h, 260, row_h, NW_COLOUR_TRAIN, 0.15);
    g_print ("(blue pixels in row 1: %d, row 4: %d) ", blue1, blue4);
    CU_ASSERT (blue1 > 1500);
    CU_ASSERT (blue4 == 0);
  }
  cairo_surface_destroy (img);

  /* The layer strip: an orange cell for the firing unit. */
  img = nw_test_render_png (GTK_WIDGET (strip), draw_strip, 400, nw_layer_strip_height_for_width (strip, 400),
                    "strip-one");
  CU_ASSERT (nw_test_count_colour (img, 0, 17, 16, 16, NW_COLOUR_CLASS1, 0.2) > 40);
  cairo_surface_destroy (img);

  /* Add a horizontal stroke on a clear pad: a 4. */
  nw_digit_pad_clear (panel_pad (panel));
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), -1);
  nw_digit_pad_add_stroke (panel_pad (panel), horizontal, 3);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 4);
  CU_ASSERT_PTR_NOT_NULL (find_label (panel, "4 \u00b7 sure"));

  /* Fashion-MNIST test data brings its class names: class 4 is a coat. */
  {
    g_autoptr (NwDataset) ds = g_new0 (NwDataset, 1);
    ds->name = g_strdup ("fashion_mnist");
    nw_mnist_panel_set_test_data (mp, ds);
    CU_ASSERT_PTR_NOT_NULL (find_label (panel, "Coat \u00b7 sure"));
    nw_mnist_panel_set_class_names (mp, NULL);
    CU_ASSERT_PTR_NOT_NULL (find_label (panel, "4 \u00b7 sure"));
  }
}

static void
test_nothing_to_read (void)
{
  g_autoptr (GtkWidget) panel = panel_with_bars_model ();
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  NwProbBars *bars = NW_PROB_BARS (nw_mnist_panel_get_prob_bars (mp));
  NwDigitPad *pad = panel_pad (panel);
  cairo_surface_t *img;
  double dot[] = { 200, 200 };

  /* A tiny speck with the thinnest pen: nothing to read. */
  nw_digit_pad_set_stroke_width (pad, NW_DIGIT_PAD_MIN_WIDTH);
  nw_digit_pad_add_stroke (pad, dot, 1);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_stages (mp)->status, NW_DIGIT_NOTHING);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), -1);
  CU_ASSERT_PTR_NULL (nw_mnist_panel_get_probabilities (mp));
  CU_ASSERT_STRING_EQUAL (nw_prob_bars_get_message (bars), "Nothing to read");
  img = nw_test_render_png (GTK_WIDGET (bars), draw_bars, 480, 220, "bars-nothing");
  CU_ASSERT_EQUAL (nw_test_count_colour (img, 0, 0, 480, 220, NW_COLOUR_TRAIN, 0.15), 0);
  cairo_surface_destroy (img);

  /* A single dot with the default pen: read as something, and nothing breaks. */
  nw_digit_pad_clear (pad);
  nw_digit_pad_set_stroke_width (pad, NW_DIGIT_PAD_DEFAULT_WIDTH);
  nw_digit_pad_add_stroke (pad, dot, 1);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_stages (mp)->status, NW_DIGIT_READABLE);
  CU_ASSERT (nw_mnist_panel_get_prediction (mp) >= 0);
  for (int i = 0; i < 10; i++)
    CU_ASSERT (isfinite (nw_mnist_panel_get_probabilities (mp)[i]));
  /* Without a model: the stages still show, the bars say so. */
  nw_mnist_panel_clear_model (mp);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), -1);
  CU_ASSERT_STRING_EQUAL (nw_prob_bars_get_message (bars), "No model yet");
  CU_ASSERT_EQUAL (nw_mnist_panel_get_stages (mp)->status, NW_DIGIT_READABLE);
}

/* ------------------------------------------------------------------------------------------ */
/* Models refused                                                                               */

static void
test_mismatched_models_refused (void)
{
  g_autoptr (GtkWidget) panel = panel_with_bars_model ();
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  GError *error = NULL;

  nw_digit_pad_add_stroke (panel_pad (panel), vertical, 3);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 1);

  /* 784 -> 12: the output layer does not give ten classes. */
  {
    g_autoptr (NwSpec) spec = nw_spec_new_chain ("784 dense:64 relu dense:12 softmax_xent", &error);
    g_autofree float *p = g_new0 (float, 784 * 64 + 64 + 64 * 12 + 12);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT (!nw_mnist_panel_set_model (mp, spec, p, 784 * 64 + 64 + 64 * 12 + 12, &error));
    CU_ASSERT_PTR_NOT_NULL (error);
    if (error != NULL)
      g_print ("\n    (784->12: %s) ", error->message);
    NW_ASSERT_ERROR (error, NW_ERROR, -1, "784 inputs, 10 classes", "12");
  }
  /* Parameters of a 100-input network: the first layer named, the input width found. */
  {
    g_autoptr (NwSpec) spec = bars_spec ();
    gsize n = 0;
    g_autofree float *p = bars_params (spec, &n, 100);
    CU_ASSERT (!nw_mnist_panel_set_model (mp, spec, p, n, &error));
    if (error != NULL)
      g_print ("(100 inputs: %s) ", error->message);
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "4x784", "fit 100 inputs");
  }
  /* A non-finite parameter. */
  {
    g_autoptr (NwSpec) spec = bars_spec ();
    gsize n = 0;
    g_autofree float *p = bars_params (spec, &n, 784);
    p[5] = NAN;
    CU_ASSERT (!nw_mnist_panel_set_model (mp, spec, p, n, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "parameter 5");
  }
  /* The previous model is still there and still reads the stroke. */
  CU_ASSERT (nw_mnist_panel_has_model (mp));
  CU_ASSERT_STRING_EQUAL (nw_mnist_panel_get_spec (mp)->name, "bars");
  nw_digit_pad_clear (panel_pad (panel));
  nw_digit_pad_add_stroke (panel_pad (panel), vertical, 3);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 1);
}

static void
test_load_model_files (void)
{
  g_autoptr (GtkWidget) panel = panel_with_bars_model ();
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  g_autoptr (NwSpec) spec = bars_spec ();
  g_autofree char *spec_path = nw_test_path ("bars.json");
  g_autofree char *weights = nw_test_path ("bars.safetensors");
  g_autofree char *weights100 = nw_test_path ("bars100.safetensors");
  g_autofree char *data = NULL;
  gsize len = 0, n = 0;
  GError *error = NULL;

  /* A model that reads everything as 3, saved as spec + safetensors. */
  {
    g_autofree float *p = constant_params (3, &n);
    g_autoptr (NwSpec) cspec = constant_spec ();
    NwBackend *b = nw_backend_cpu_new ();
    NwNet *net = nw_net_new (cspec, 784, 10, 10, b, &error);
    NW_ASSERT_NO_ERROR (error);
    nw_net_set_params (net, p);
    CU_ASSERT (nw_net_save_weights (net, weights, &error));
    CU_ASSERT (nw_spec_save (cspec, spec_path, &error));
    NW_ASSERT_NO_ERROR (error);
    nw_net_free (net);
    nw_backend_free (b);
  }
  /* Weights for 100 inputs. */
  {
    g_autoptr (NwSpec) cspec = constant_spec ();
    NwBackend *b = nw_backend_cpu_new ();
    NwNet *net = nw_net_new (cspec, 100, 10, 10, b, &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT (nw_net_save_weights (net, weights100, &error));
    nw_net_free (net);
    nw_backend_free (b);
  }

  nw_digit_pad_add_stroke (panel_pad (panel), vertical, 3);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 1);

  /* A truncated weights file. */
  CU_ASSERT (g_file_get_contents (weights, &data, &len, NULL));
  {
    g_autofree char *cut = nw_test_write ("cut.safetensors", data, len / 2);
    CU_ASSERT (!nw_mnist_panel_load_model (mp, spec_path, cut, &error));
    if (error != NULL)
      g_print ("\n    (truncated: %s) ", error->message);
    NW_ASSERT_ERROR (error, NW_ERROR, -1, "cut.safetensors");
  }
  /* Garbage. */
  {
    g_autofree char *junk = nw_test_write ("junk.safetensors", "not a safetensors file at all", 29);
    CU_ASSERT (!nw_mnist_panel_load_model (mp, spec_path, junk, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, -1, "junk.safetensors");
  }
  /* Weights of the wrong shape: the tensor and the node named. */
  CU_ASSERT (!nw_mnist_panel_load_model (mp, spec_path, weights100, &error));
  if (error != NULL)
    g_print ("(100 inputs: %s) ", error->message);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "bars100.safetensors", "0.weight", "[10, 100]",
                   "[10, 784]");
  /* A spec that does not parse. */
  {
    g_autofree char *bad = nw_test_write ("bad.json", "{\"format\": ", 11);
    CU_ASSERT (!nw_mnist_panel_load_model (mp, bad, weights, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, -1, "bad.json");
  }
  /* Weights that do not belong to the spec (a hidden layer the file lacks). */
  {
    g_autofree char *bars_json = nw_test_path ("bars-spec.json");
    CU_ASSERT (nw_spec_save (spec, bars_json, &error));
    CU_ASSERT (!nw_mnist_panel_load_model (mp, bars_json, weights, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "bars.safetensors");
  }
  /* Still the old model. */
  CU_ASSERT_STRING_EQUAL (nw_mnist_panel_get_spec (mp)->name, "bars");
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 1);

  /* The good pair loads and reads a 3. */
  CU_ASSERT (nw_mnist_panel_load_model (mp, spec_path, weights, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 3);
}

/* ------------------------------------------------------------------------------------------ */
/* Test-set evaluation in the background                                                        */

/* n rows of a blank-ish image, labels cycling 0..9. */
static NwDataset *
fake_test_set (int n)
{
  NwDataset *ds = g_new0 (NwDataset, 1);
  ds->name = g_strdup ("mnist");
  ds->n_classes = 10;
  ds->train.d = ds->test.d = 784;
  ds->train.k = ds->test.k = 10;
  ds->test.n = n;
  ds->test.x = g_new0 (float, (gsize) n * 784);
  ds->test.y = g_new0 (float, (gsize) n * 10);
  ds->test.labels = g_new0 (guint8, n);
  for (int i = 0; i < n; i++)
    {
      ds->test.labels[i] = (guint8) (i % 10);
      ds->test.x[(gsize) i * 784 + (i * 37) % 784] = 1.0f;   /* a speck, so images differ */
    }
  return ds;
}

static void
test_background_evaluation (void)
{
  g_autoptr (GtkWidget) panel = sink (nw_mnist_panel_new ());
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  NwConfusionView *cv = NW_CONFUSION_VIEW (nw_mnist_panel_get_confusion_view (mp));
  NwDigitGallery *gallery = NW_DIGIT_GALLERY (nw_mnist_panel_get_gallery (mp));
  g_autoptr (NwDataset) ds = fake_test_set (500);
  g_autoptr (NwSpec) spec = constant_spec ();
  g_autofree float *p1 = NULL, *p3 = NULL;
  gsize n = 0;
  gboolean done = FALSE;
  int n_done = 0;
  GError *error = NULL;

  g_signal_connect_swapped (panel, "evaluation-done", G_CALLBACK (set_flag), &done);
  g_signal_connect_swapped (panel, "evaluation-done", G_CALLBACK (count_up), &n_done);
  nw_mnist_panel_set_test_data (mp, ds);
  nw_dataset_free (g_steal_pointer (&ds));   /* the panel has its own copy */
  CU_ASSERT (!nw_mnist_panel_is_evaluating (mp));   /* no model yet */

  /* Two models in a row: the first one's evaluation is cancelled or dropped, the second's
   * is shown: everything read as 3. */
  p1 = constant_params (1, &n);
  p3 = constant_params (3, &n);
  CU_ASSERT (nw_mnist_panel_set_model (mp, spec, p1, n, &error));
  CU_ASSERT (nw_mnist_panel_is_evaluating (mp));
  CU_ASSERT (nw_mnist_panel_set_model (mp, spec, p3, n, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (wait_for (&done, 20));
  /* Let any stale result arrive: it must not be shown. */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  CU_ASSERT_EQUAL (n_done, 1);
  CU_ASSERT (!nw_mnist_panel_is_evaluating (mp));
  CU_ASSERT_EQUAL (nw_confusion_view_get_total (cv), 500);
  for (int t = 0; t < 10; t++)
    {
      CU_ASSERT_EQUAL (nw_confusion_view_get_count (cv, t, 3), 50);
      CU_ASSERT_EQUAL (nw_confusion_view_get_count (cv, t, 1), 0);
    }
  /* The gallery: the 450 mistakes, capped, each a non-3 read as 3. */
  CU_ASSERT_EQUAL (nw_digit_gallery_get_n_digits (gallery), NW_MNIST_PANEL_MAX_GALLERY);
  for (guint i = 0; i < nw_digit_gallery_get_n_digits (gallery); i++)
    {
      CU_ASSERT_EQUAL (nw_digit_gallery_get_predicted (gallery, i), 3);
      CU_ASSERT_NOT_EQUAL (nw_digit_gallery_get_true_label (gallery, i), 3);
    }
  /* Selecting a digit shows its probabilities, the true class marked. */
  {
    NwProbBars *bars = NULL;
    GtkWidget *w;
    nw_digit_gallery_set_selected (gallery, 0);
    /* The gallery's bars are the panel's second NwProbBars: find it by walking up from
     * the gallery to its card. */
    for (w = gtk_widget_get_parent (GTK_WIDGET (gallery)); w != NULL && bars == NULL;
         w = gtk_widget_get_parent (w))
      {
        GtkWidget *c;
        for (c = gtk_widget_get_first_child (w); c != NULL && bars == NULL; c = gtk_widget_get_next_sibling (c))
          {
            GtkWidget *d;
            for (d = gtk_widget_get_first_child (c); d != NULL; d = gtk_widget_get_next_sibling (d))
              if (NW_IS_PROB_BARS (d))
                bars = NW_PROB_BARS (d);
          }
      }
    CU_ASSERT_PTR_NOT_NULL_FATAL (bars);
    CU_ASSERT_EQUAL (nw_prob_bars_get_top_class (bars), 3);
    {
      int truth = -1;
      g_object_get (bars, "true-class", &truth, NULL);
      CU_ASSERT_EQUAL (truth, nw_digit_gallery_get_true_label (gallery, 0));
    }
  }
  /* A confusion cell clicked: the gallery shows that cell's digits only. */
  g_signal_emit_by_name (cv, "cell-activated", 7, 3);
  for (guint i = 0; i < nw_digit_gallery_get_n_digits (gallery); i++)
    CU_ASSERT_EQUAL (nw_digit_gallery_get_true_label (gallery, i), 7);
  CU_ASSERT (nw_digit_gallery_get_n_digits (gallery) > 0);

  /* Data message: the views say it, no evaluation runs. */
  nw_mnist_panel_set_data_message (mp, "MNIST is missing: run tools/fetch-mnist.sh");
  CU_ASSERT (!nw_mnist_panel_is_evaluating (mp));
  CU_ASSERT_EQUAL (nw_digit_gallery_get_n_digits (gallery), 0);

  /* Destroying the panel while an evaluation runs is safe. */
  nw_mnist_panel_set_data_message (mp, NULL);
  CU_ASSERT (nw_mnist_panel_is_evaluating (mp));
}

/* External evaluation (the window's): no evaluation of the panel's own, ever; outputs given
 * for the test split fill the matrix and gallery exactly; outputs that do not fit the split
 * are refused with the shown evaluation kept; a new model keeps it, no model clears it. */
/* The state dict of the constant model for `label`, as the window's trainer gives one. */
static NwTensorFile *
constant_state (const NwSpec *spec, int label)
{
  GError *error = NULL;
  gsize n = 0;
  g_autofree float *p = constant_params (label, &n);
  g_autoptr (NwDigitModel) model = nw_digit_model_new (spec, p, n, &error);
  NW_ASSERT_NO_ERROR (error);
  return nw_net_state_dict (nw_digit_model_get_net (model));
}

/* The window gives the panel its trainer's state at each epoch's end: the same network is
 * updated in place (its spec stays the very same object) and the pad read again with the new
 * weights; another name or network builds a new model; a state that does not fit is refused,
 * naming the tensor, and the model keeps reading as before. */
static void
test_epoch_state_in_place (void)
{
  g_autoptr (GtkWidget) panel = sink (nw_mnist_panel_new ());
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  g_autoptr (NwSpec) spec = constant_spec ();
  g_autoptr (NwSpec) renamed = nw_spec_copy (spec);
  g_autoptr (NwSpec) other = NULL;
  g_autoptr (NwTensorFile) s3 = constant_state (spec, 3), s7 = constant_state (spec, 7);
  g_autoptr (NwTensorFile) s_other = NULL;
  const NwSpec *first;
  int n_changed_models = 0;
  GError *error = NULL;

  g_signal_connect_swapped (panel, "model-changed", G_CALLBACK (count_up), &n_changed_models);
  CU_ASSERT (nw_mnist_panel_set_model_state (mp, spec, s3, &error));
  NW_ASSERT_NO_ERROR (error);
  nw_digit_pad_add_stroke (panel_pad (panel), vertical, 3);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 3);
  first = nw_mnist_panel_get_spec (mp);

  CU_ASSERT (nw_mnist_panel_set_model_state (mp, spec, s7, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_EQUAL (nw_mnist_panel_get_spec (mp), first);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 7);
  CU_ASSERT_EQUAL (n_changed_models, 2);

  /* A state of another network, given with this one's spec: refused, the model kept. */
  other = nw_spec_new_chain ("784 dense:16 relu dense:10 softmax_xent", &error);
  NW_ASSERT_NO_ERROR (error);
  {
    g_autoptr (NwDigitModel) m = NULL;
    g_autofree float *p = g_new0 (float, 784 * 16 + 16 + 16 * 10 + 10);
    m = nw_digit_model_new (other, p, 784 * 16 + 16 + 16 * 10 + 10, &error);
    NW_ASSERT_NO_ERROR (error);
    s_other = nw_net_state_dict (nw_digit_model_get_net (m));
  }
  CU_ASSERT (!nw_mnist_panel_set_model_state (mp, spec, s_other, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "state", "shape");
  CU_ASSERT_PTR_EQUAL (nw_mnist_panel_get_spec (mp), first);
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 7);
  CU_ASSERT_EQUAL (n_changed_models, 2);

  /* Renamed (the label shows the name): a new model. */
  g_free (renamed->name);
  renamed->name = g_strdup ("renamed");
  CU_ASSERT (nw_mnist_panel_set_model_state (mp, renamed, s3, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (nw_mnist_panel_get_spec (mp) != first);
  CU_ASSERT_STRING_EQUAL (nw_mnist_panel_get_spec (mp)->name, "renamed");
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 3);
  CU_ASSERT_EQUAL (n_changed_models, 3);
}

static void
test_external_evaluation (void)
{
  g_autoptr (GtkWidget) panel = sink (nw_mnist_panel_new ());
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  NwConfusionView *cv = NW_CONFUSION_VIEW (nw_mnist_panel_get_confusion_view (mp));
  NwDigitGallery *gallery = NW_DIGIT_GALLERY (nw_mnist_panel_get_gallery (mp));
  g_autoptr (NwDataset) ds = fake_test_set (200);
  g_autoptr (NwSpec) spec = constant_spec ();
  g_autofree float *p1 = NULL, *out = g_new0 (float, 200 * 10);
  gsize n = 0;
  int n_done = 0;
  GError *error = NULL;

  g_signal_connect_swapped (panel, "evaluation-done", G_CALLBACK (count_up), &n_done);
  nw_mnist_panel_set_external_evaluation (mp, TRUE);
  nw_mnist_panel_set_test_data (mp, ds);
  p1 = constant_params (1, &n);
  CU_ASSERT (nw_mnist_panel_set_model (mp, spec, p1, n, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (!nw_mnist_panel_is_evaluating (mp));
  CU_ASSERT_EQUAL (nw_confusion_view_get_total (cv), 0);

  /* Row i: 0.9 on its label, except every 4th row, read as (label + 1) % 10 with 0.6. */
  for (int i = 0; i < 200; i++)
    {
      int label = i % 10, guess = i % 4 == 0 ? (label + 1) % 10 : label;
      for (int c = 0; c < 10; c++)
        out[i * 10 + c] = c == guess ? (i % 4 == 0 ? 0.6f : 0.9f) : 0.01f;
    }
  CU_ASSERT (nw_mnist_panel_set_test_outputs (mp, out, 200, 10));
  CU_ASSERT_EQUAL (n_done, 1);
  CU_ASSERT (!nw_mnist_panel_is_evaluating (mp));
  CU_ASSERT_EQUAL (nw_confusion_view_get_total (cv), 200);
  for (int t = 0; t < 10; t++)
    {
      guint right = 0, wrong = 0;
      for (int i = t; i < 200; i += 10)
        i % 4 == 0 ? wrong++ : right++;
      CU_ASSERT_EQUAL (nw_confusion_view_get_count (cv, t, t), right);
      CU_ASSERT_EQUAL (nw_confusion_view_get_count (cv, t, (t + 1) % 10), wrong);
    }
  CU_ASSERT_EQUAL (nw_digit_gallery_get_n_digits (gallery), 50);
  for (guint i = 0; i < nw_digit_gallery_get_n_digits (gallery); i++)
    CU_ASSERT_EQUAL (nw_digit_gallery_get_predicted (gallery, i),
                     (nw_digit_gallery_get_true_label (gallery, i) + 1) % 10);

  /* Outputs of another split or width: refused, the evaluation kept. */
  CU_ASSERT_FALSE (nw_mnist_panel_set_test_outputs (mp, out, 199, 10));
  CU_ASSERT_FALSE (nw_mnist_panel_set_test_outputs (mp, out, 100, 20));
  CU_ASSERT_EQUAL (nw_confusion_view_get_total (cv), 200);

  /* A new model keeps the evaluation (it came with the model); no model clears it. */
  CU_ASSERT (nw_mnist_panel_set_model (mp, spec, p1, n, &error));
  CU_ASSERT (!nw_mnist_panel_is_evaluating (mp));
  CU_ASSERT_EQUAL (nw_confusion_view_get_total (cv), 200);
  nw_mnist_panel_clear_model (mp);
  CU_ASSERT_EQUAL (nw_digit_gallery_get_n_digits (gallery), 0);
  CU_ASSERT_EQUAL (n_done, 1);
}

/* Test data shared rather than copied (the window's MNIST: 31 MB): the panel reads the
 * dataset's own rows while it holds the owner's reference, and lets go of it exactly once,
 * when other data replaces it. */
static void
release_owner (gpointer data)
{
  (*(int *) data)++;
}

static void
test_shared_test_data (void)
{
  g_autoptr (GtkWidget) panel = sink (nw_mnist_panel_new ());
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  NwDigitGallery *gallery = NW_DIGIT_GALLERY (nw_mnist_panel_get_gallery (mp));
  g_autoptr (NwDataset) ds = fake_test_set (40);
  g_autoptr (NwSpec) spec = constant_spec ();
  g_autofree float *p1 = NULL, *out = g_new0 (float, 40 * 10);
  gsize n = 0;
  int released = 0;
  GError *error = NULL;

  nw_mnist_panel_set_external_evaluation (mp, TRUE);
  nw_mnist_panel_share_test_data (mp, ds, &released, release_owner);
  p1 = constant_params (1, &n);
  CU_ASSERT (nw_mnist_panel_set_model (mp, spec, p1, n, &error));
  NW_ASSERT_NO_ERROR (error);
  /* Every row read as (label + 1) % 10: all 40 in the gallery, each the dataset's image. */
  for (int i = 0; i < 40; i++)
    out[i * 10 + (i + 1) % 10] = 0.9f;
  CU_ASSERT (nw_mnist_panel_set_test_outputs (mp, out, 40, 10));
  CU_ASSERT_EQUAL_FATAL (nw_digit_gallery_get_n_digits (gallery), 40);
  for (guint i = 0; i < 40; i++)
    {
      const float *img = nw_digit_gallery_get_image (gallery, i);
      int row = -1;
      for (int r = 0; r < 40 && row < 0; r++)
        if (memcmp (img, ds->test.x + (gsize) r * 784, 784 * sizeof (float)) == 0)
          row = r;
      CU_ASSERT (row >= 0 && ds->test.labels[row] == nw_digit_gallery_get_true_label (gallery, i));
    }
  CU_ASSERT_EQUAL (released, 0);
  nw_mnist_panel_set_test_data (mp, NULL);
  CU_ASSERT_EQUAL (released, 1);
  /* A split that is not digits is not kept: its owner is let go at once. */
  ds->test.d = 10;
  nw_mnist_panel_share_test_data (mp, ds, &released, release_owner);
  CU_ASSERT_EQUAL (released, 2);
}

/* ------------------------------------------------------------------------------------------ */
/* Views rendered from known data                                                               */

static void
test_confusion_render (void)
{
  g_autoptr (GtkWidget) view = sink (nw_confusion_view_new ());
  NwConfusionView *cv = NW_CONFUSION_VIEW (view);
  guint counts[100] = { 0 };
  cairo_surface_t *img;
  g_autofree char *text = NULL;
  int t, p;
  enum { W = 400, H = 360 };

  /* 100 of each class right, except 4: 70 right and 30 read as 9. */
  for (int c = 0; c < 10; c++)
    counts[c * 10 + c] = 100;
  counts[4 * 10 + 4] = 70;
  counts[4 * 10 + 9] = 30;
  nw_confusion_view_set_counts (cv, 10, counts);
  CU_ASSERT_EQUAL (nw_confusion_view_get_total (cv), 1000);
  img = nw_test_render_png (view, draw_confusion, W, H, "confusion");

  /* Find cells through the view's own mapping, then look at their centres. */
  {
    double cx[10], cy[10];
    for (int k = 0; k < 10; k++)
      cx[k] = cy[k] = -1;
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
        if (nw_confusion_view_cell_at (cv, W, H, x + 0.5, y + 0.5, &t, &p))
          {
            if (cy[t] < 0 && p == 0)
              cy[t] = y;
            if (cx[p] < 0 && t == 0)
              cx[p] = x;
          }
    CU_ASSERT_FATAL (cx[9] > 0 && cy[9] > 0);
    {
      double cell = cx[1] - cx[0];
      /* A corner of each cell (away from the count's text). */
      NwRgb diag = nw_test_pixel (img, (int) (cx[2] + 2), (int) (cy[2] + 2));
      NwRgb wrong = nw_test_pixel (img, (int) (cx[9] + 2), (int) (cy[4] + 2));
      NwRgb zero = nw_test_pixel (img, (int) (cx[5] + 2), (int) (cy[2] + 2));
      NwRgb diag4 = nw_test_pixel (img, (int) (cx[4] + 2), (int) (cy[4] + 2));
      g_print ("\n    (cell %.0f px; diagonal (%.2f %.2f %.2f), 4->9 (%.2f %.2f %.2f)) ", cell,
               diag.r, diag.g, diag.b, wrong.r, wrong.g, wrong.b);
      CU_ASSERT (cell >= 25);
      CU_ASSERT (nw_test_distance_to (diag, NW_COLOUR_TRAIN) < 0.05);          /* 100%: full blue */
      CU_ASSERT (wrong.r > wrong.b + 0.4);                              /* 30% wrong: orange */
      CU_ASSERT (zero.r > 0.97 && zero.g > 0.97 && zero.b > 0.97);     /* nothing: white */
      CU_ASSERT (diag4.b > diag4.r && diag4.r > diag.r);               /* 70%: lighter blue */
      /* Counts are written in the cells: dark or white text pixels in 4->9's middle. */
      CU_ASSERT (nw_test_count_dark (img, (int) (cx[9] + cell * 0.25), (int) (cy[4] + cell * 0.25),
                             (int) (cell * 0.5), (int) (cell * 0.5), 0.45) > 5);
    }
  }
  cairo_surface_destroy (img);

  /* Hover text: the count and the share of the row. */
  text = nw_confusion_view_describe_cell (cv, 4, 9);
  CU_ASSERT_STRING_EQUAL (text, "True 4, predicted 9: 30 of 100 (30.0%)");
  g_free (g_steal_pointer (&text));
  text = nw_confusion_view_describe_cell (cv, 4, 4);
  CU_ASSERT (strstr (text, "70 of 100") != NULL);
  /* Hover draws a frame. */
  nw_confusion_view_set_hover (cv, 4, 9);
  img = nw_test_render_png (view, draw_confusion, W, H, "confusion-hover");
  cairo_surface_destroy (img);
  /* A message instead of the matrix. */
  nw_confusion_view_set_message (cv, "Reading the test set…");
  CU_ASSERT (!nw_confusion_view_cell_at (cv, W, H, W / 2.0, H / 2.0, &t, &p));
  img = nw_test_render_png (view, draw_confusion, W, H, "confusion-message");
  CU_ASSERT_EQUAL (nw_test_count_colour (img, 0, 0, W, H, NW_COLOUR_TRAIN, 0.1), 0);
  cairo_surface_destroy (img);
}

static void
test_gallery_render (void)
{
  g_autoptr (GtkWidget) w = sink (nw_digit_gallery_new ());
  NwDigitGallery *g = NW_DIGIT_GALLERY (w);
  enum { N = 7, W = 300 };
  float images[N * 784] = { 0 };
  guint8 truth[N] = { 4, 7, 2, 9, 1, 3, 5 };
  guint8 guess[N] = { 9, 1, 7, 4, 7, 5, 3 };
  float probs[N * 10] = { 0 };
  cairo_surface_t *img;
  int h;

  /* Digit i: a solid square whose size grows with i. */
  for (int i = 0; i < N; i++)
    {
      for (int y = 14 - 2 - i; y < 14 + 2 + i; y++)
        for (int x = 14 - 2 - i; x < 14 + 2 + i; x++)
          images[i * 784 + y * 28 + x] = 1.0f;
      probs[i * 10 + guess[i]] = 0.8f;
      probs[i * 10 + truth[i]] = 0.2f;
    }
  nw_digit_gallery_set_digits (g, N, images, truth, guess, probs, 10);
  CU_ASSERT_EQUAL (nw_digit_gallery_get_n_digits (g), N);
  /* 300 px: four tiles of 64 (+6) a row, two rows. */
  h = nw_digit_gallery_height_for_width (g, W);
  CU_ASSERT_EQUAL (h, 2 * (56 + 15 + 8) + 6);
  img = nw_test_render_png (w, draw_gallery, W, h, "gallery");
  /* Tile 0's image: a 4x4 square at 2x = 8x8 dark pixels in its middle. */
  CU_ASSERT (nw_test_count_dark (img, 4, 4, 56, 56, 0.3) >= 60 && nw_test_count_dark (img, 4, 4, 56, 56, 0.3) <= 72);
  /* Tile 5 (row 1, column 1) holds a 14x14 square: 28x28 dark pixels. */
  CU_ASSERT (nw_test_count_dark (img, 70 + 4, 85 + 4, 56, 56, 0.3) > 700);
  /* Each caption has a red guess. */
  CU_ASSERT (nw_test_count_colour (img, 0, 60, 64, 19, NW_COLOUR_ALARM, 0.25) > 5);
  cairo_surface_destroy (img);

  /* Hit testing and selection. */
  CU_ASSERT_EQUAL (nw_digit_gallery_index_at (g, W, 30, 30), 0);
  CU_ASSERT_EQUAL (nw_digit_gallery_index_at (g, W, 100, 100), 5);
  CU_ASSERT_EQUAL (nw_digit_gallery_index_at (g, W, 67, 30), -1);   /* in the gap */
  CU_ASSERT_EQUAL (nw_digit_gallery_index_at (g, W, 250, 100), -1); /* after the last */
  nw_digit_gallery_set_selected (g, 5);
  CU_ASSERT_EQUAL (nw_digit_gallery_get_selected (g), 5);
  CU_ASSERT_DOUBLE_EQUAL (nw_digit_gallery_get_probabilities (g, 5)[5], 0.8, 1e-6);
  img = nw_test_render_png (w, draw_gallery, W, h, "gallery-selected");
  CU_ASSERT (nw_test_count_colour (img, 70, 85, 64, 79, NW_COLOUR_TRAIN, 0.15) > 100);   /* its frame */
  cairo_surface_destroy (img);
  nw_digit_gallery_set_selected (g, 99);
  CU_ASSERT_EQUAL (nw_digit_gallery_get_selected (g), -1);

  /* Prob bars with the true class marked, as the panel shows a selected digit. */
  {
    g_autoptr (GtkWidget) bw = sink (nw_prob_bars_new ());
    NwProbBars *bars = NW_PROB_BARS (bw);
    nw_prob_bars_set_probabilities (bars, probs, 10);   /* digit 0: 4 read as 9 */
    nw_prob_bars_set_true_class (bars, truth[0]);
    CU_ASSERT_EQUAL (nw_prob_bars_get_top_class (bars), 9);
    img = nw_test_render_png (bw, draw_bars, 220, 200, "gallery-bars");
    /* No big guess at this width; the green band on row 4. */
    {
      int row_h = (200 - 12) / 10;
      CU_ASSERT (nw_test_count_colour (img, 40, 6 + 4 * row_h + 2, 100, row_h - 4, 0xd5f2e5, 0.08) > 50);
    }
    cairo_surface_destroy (img);
  }
}

static void
test_digit_set_in_panel (void)
{
  g_autoptr (GtkWidget) panel = sink (nw_mnist_panel_new ());
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  g_autofree char *path = nw_test_path ("panel.nwdigits");
  gboolean changed = FALSE;
  GError *error = NULL;
  int n = 0;

  g_signal_connect_swapped (panel, "digit-set-changed", G_CALLBACK (set_flag), &changed);
  /* Nothing drawn: nothing added. */
  CU_ASSERT (!nw_mnist_panel_add_drawing (mp, 7));
  nw_digit_pad_add_stroke (panel_pad (panel), vertical, 3);
  CU_ASSERT (nw_mnist_panel_add_drawing (mp, 7));
  CU_ASSERT (changed);
  CU_ASSERT (nw_digit_pad_is_empty (panel_pad (panel)));   /* cleared for the next one */
  g_object_get (panel, "n-user-digits", &n, NULL);
  CU_ASSERT_EQUAL (n, 1);
  CU_ASSERT_EQUAL (nw_digit_set_get_label (nw_mnist_panel_get_digit_set (mp), 0), 7);

  CU_ASSERT (nw_mnist_panel_save_digit_set (mp, path, &error));
  NW_ASSERT_NO_ERROR (error);
  nw_digit_set_clear (nw_mnist_panel_get_digit_set (mp));
  nw_mnist_panel_digit_set_changed (mp);
  CU_ASSERT (nw_mnist_panel_load_digit_set (mp, path, &error));
  NW_ASSERT_NO_ERROR (error);
  g_object_get (panel, "n-user-digits", &n, NULL);
  CU_ASSERT_EQUAL (n, 1);
  {
    g_autofree char *bad = nw_test_write ("bad.nwdigits", "NWDIGITS\1\0\0\0", 12);
    CU_ASSERT (!nw_mnist_panel_load_digit_set (mp, bad, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "bad.nwdigits", "truncated");
    CU_ASSERT_EQUAL (nw_digit_set_get_n (nw_mnist_panel_get_digit_set (mp)), 1);
  }
  g_object_set (panel, "mix-user-digits", TRUE, NULL);
  CU_ASSERT (nw_mnist_panel_get_mix_user_digits (mp));
}

/* The whole panel in a window, through GTK's own rendering (CSS, templates, every child):
 * the picture a user sees, kept as mnist-panel.png with NW_UI_TEST_OUTPUT. */
/* In a scrolled window the gallery scrolls itself (no viewport around it): its adjustment
 * spans every row, and a frame draws only what shows, the rows scrolled into view. */
static void
test_gallery_scrolls (void)
{
  enum { N = 40 };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *sw = gtk_scrolled_window_new ();
  GtkWidget *w = nw_digit_gallery_new ();
  NwDigitGallery *g = NW_DIGIT_GALLERY (w);
  float *images = g_new0 (float, N * 784);
  guint8 truth[N], guess[N];
  GtkAdjustment *vadj;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  graphene_rect_t bounds;
  cairo_surface_t *back;
  int width, height, cols, first, side, dark;
  gint64 end;

  /* Digit i: a solid square of side 2 + 2 (i % 10) MNIST pixels, drawn at 2x. */
  for (int i = 0; i < N; i++)
    {
      int half = 1 + i % 10;
      for (int y = 14 - half; y < 14 + half; y++)
        for (int x = 14 - half; x < 14 + half; x++)
          images[i * 784 + y * 28 + x] = 1.0f;
      truth[i] = (guint8) (i % 10);
      guess[i] = (guint8) ((i + 1) % 10);
    }
  nw_digit_gallery_set_digits (g, N, images, truth, guess, NULL, 10);
  g_free (images);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (sw), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (sw), w);
  gtk_window_set_child (GTK_WINDOW (window), sw);
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 250);
  gtk_window_present (GTK_WINDOW (window));
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (gtk_widget_get_height (w) < 100 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  width = gtk_widget_get_width (w);
  height = gtk_widget_get_height (w);
  CU_ASSERT_FATAL (width >= 200 && height >= 100);

  CU_ASSERT_PTR_EQUAL (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (sw)), w);
  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
  CU_ASSERT_DOUBLE_EQUAL (gtk_adjustment_get_upper (vadj),
                          nw_digit_gallery_height_for_width (g, width), 0.5);
  CU_ASSERT_DOUBLE_EQUAL (gtk_adjustment_get_page_size (vadj), height, 0.5);
  CU_ASSERT (gtk_adjustment_get_upper (vadj) > 2 * height);

  /* Two rows down (a row is 79 px and a gap of 6). */
  cols = MAX (1, (int) floor ((width + 6.0) / 70.0));
  gtk_adjustment_set_value (vadj, 2 * 85);
  CU_ASSERT_DOUBLE_EQUAL (nw_digit_gallery_get_scroll_offset (g), 170, 1e-9);
  CU_ASSERT_EQUAL (nw_digit_gallery_index_at (g, width, 30, 30 + 170), 2 * cols);

  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (w)->snapshot (w, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  CU_ASSERT_PTR_NOT_NULL_FATAL (node);
  /* What a frame draws is the allocation, not all the rows. */
  gsk_render_node_get_bounds (node, &bounds);
  CU_ASSERT (bounds.size.height <= height + 0.5);
  back = nw_test_render_node_png (node, width, height, "gallery-scrolled");
  /* The top-left tile is digit 2 x cols: its square's dark pixels, not digit 0's. */
  first = 2 * cols;
  side = 2 * (2 + 2 * (first % 10));
  dark = nw_test_count_dark (back, 4, 4, 56, 56, 0.3);
  g_print ("\n    (%d columns; first tile shown: digit %d, %d dark pixels for %d) ", cols, first,
           dark, side * side);
  CU_ASSERT (abs (dark - side * side) <= side * side / 6 + 8);
  cairo_surface_destroy (back);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_panel_in_window (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = panel_with_bars_model ();
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  g_autoptr (NwDataset) ds = fake_test_set (300);
  g_autoptr (GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  cairo_surface_t *back;
  gboolean done = FALSE;
  int w, h;

  nw_ui_load_css (gdk_display_get_default ());
  g_signal_connect_swapped (panel, "evaluation-done", G_CALLBACK (set_flag), &done);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 1000);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  g_object_unref (panel);   /* the window holds it now */
  nw_mnist_panel_set_test_data (mp, ds);
  nw_mnist_panel_set_progress (mp, 2, 0.5, 0.9731);
  nw_mnist_panel_set_progress (mp, 3, 0.1, 0.9788);
  gtk_window_present (GTK_WINDOW (window));
  nw_digit_pad_add_stroke (panel_pad (panel), vertical, 3);
  CU_ASSERT (wait_for (&done, 20));
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (gtk_widget_get_width (panel) < 600 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  w = gtk_widget_get_width (panel);
  h = gtk_widget_get_height (panel);
  CU_ASSERT_FATAL (w >= 600 && h >= 400);

  paintable = gtk_widget_paintable_new (panel);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  CU_ASSERT_PTR_NOT_NULL_FATAL (node);
  back = nw_test_render_node_png (node, w, h, "mnist-panel");
  /* The prediction's blue bar and the pad's ink are on screen. */
  g_print ("\n    (panel %dx%d: %d blue, %d dark pixels) ", w, h,
           nw_test_count_colour (back, 0, 0, w, MIN (h, 400), NW_COLOUR_TRAIN, 0.12),
           nw_test_count_dark (back, 0, 0, MIN (w, 450), MIN (h, 400), 0.2));
  CU_ASSERT (nw_test_count_colour (back, 0, 0, w, MIN (h, 400), NW_COLOUR_TRAIN, 0.12) > 1000);
  CU_ASSERT (nw_test_count_dark (back, 0, 0, MIN (w, 450), MIN (h, 400), 0.2) > 2000);
  cairo_surface_destroy (back);

  /* The prediction label, as AT-SPI would read it. */
  CU_ASSERT_EQUAL (nw_mnist_panel_get_prediction (mp), 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
set_flag_once (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The main loop for `ms` (frames come and go meanwhile). */
static void
spin_ms (int ms)
{
  gboolean done = FALSE;
  g_timeout_add (ms, set_flag_once, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The main loop until the accuracy list's scroller is laid out (a page) with `upper` other
 * than `not` and at least `at_least` (or 5 s), then for the frames that follow, where the list
 * scrolls itself. */
static void
wait_for_upper (GtkAdjustment *adj, double at_least, double not)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((gtk_adjustment_get_page_size (adj) <= 0 || gtk_adjustment_get_upper (adj) < at_least
          || gtk_adjustment_get_upper (adj) == not)
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  spin_ms (100);
}

static gboolean
shows_end (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj)
         >= gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - 0.5;
}

/* After 40 epochs the newest accuracy is in view (the list shows three rows); scrolled up by
 * the user, the list stays where they put it as epochs come; scrolled back to the end, it
 * follows again. */
static void
test_accuracy_list_follows (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = nw_mnist_panel_new ();   /* the window's, once its child */
  NwMnistPanel *mp = NW_MNIST_PANEL (panel);
  GtkWidget *list = nw_mnist_panel_get_accuracy_list (mp);
  GtkWidget *sw = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;
  double upper;
  int epoch = 0;

  CU_ASSERT_PTR_NOT_NULL_FATAL (sw);
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
  nw_ui_load_css (gdk_display_get_default ());
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 1000);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  while (epoch < 40)
    {
      epoch++;
      nw_mnist_panel_set_progress (mp, epoch, 0.0, 0.9 + epoch / 1000.0);
    }
  wait_for_upper (adj, 150, -1);   /* 40 chips: 14 rows or more, 64-96 px shown */
  upper = gtk_adjustment_get_upper (adj);
  g_print ("\n    (list %.0f px, %.0f shown) ", upper, gtk_adjustment_get_page_size (adj));
  CU_ASSERT (upper > 2 * gtk_adjustment_get_page_size (adj));
  CU_ASSERT (gtk_adjustment_get_value (adj) > 0);
  CU_ASSERT (shows_end (adj));

  /* The user scrolls to the first epochs: twelve more do not move the list. */
  gtk_adjustment_set_value (adj, 0);
  for (int i = 0; i < 12; i++)
    {
      epoch++;
      nw_mnist_panel_set_progress (mp, epoch, 0.0, 0.95);
    }
  wait_for_upper (adj, upper + 1, -1);
  CU_ASSERT (gtk_adjustment_get_upper (adj) > upper);
  CU_ASSERT_DOUBLE_EQUAL (gtk_adjustment_get_value (adj), 0, 1e-9);

  /* Back at the end, the next epochs are followed. */
  upper = gtk_adjustment_get_upper (adj);
  gtk_adjustment_set_value (adj, upper - gtk_adjustment_get_page_size (adj));
  for (int i = 0; i < 12; i++)
    {
      epoch++;
      nw_mnist_panel_set_progress (mp, epoch, 0.0, 0.96);
    }
  wait_for_upper (adj, upper + 1, -1);
  CU_ASSERT (gtk_adjustment_get_upper (adj) > upper);
  CU_ASSERT (shows_end (adj));

  /* Epochs the window never took a snapshot of are listed once, in order. */
  {
    int before = 0, after = 0;
    GtkWidget *last;
    for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
      before++;
    nw_mnist_panel_list_accuracy (mp, epoch + 1, 0.961);
    nw_mnist_panel_list_accuracy (mp, epoch + 2, 0.962);
    nw_mnist_panel_list_accuracy (mp, epoch + 2, 0.5);   /* again: not listed */
    nw_mnist_panel_list_accuracy (mp, 3, 0.5);           /* older: not listed */
    nw_mnist_panel_list_accuracy (mp, epoch + 3, NAN);   /* not measured: not listed */
    for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
      after++;
    CU_ASSERT_EQUAL (before, epoch);
    CU_ASSERT_EQUAL (after, epoch + 2);
    last = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (gtk_widget_get_last_child (list)));
    CU_ASSERT_STRING_EQUAL (gtk_label_get_text (GTK_LABEL (last)), "Epoch 66: 96.20%");
  }

  /* Scrolled up when the run ends; a new run's list follows its newest epoch again. */
  gtk_adjustment_set_value (adj, 0);
  upper = gtk_adjustment_get_upper (adj);
  nw_mnist_panel_reset_progress (mp);
  for (int i = 1; i <= 40; i++)
    nw_mnist_panel_set_progress (mp, i, 0.0, 0.97);
  wait_for_upper (adj, 150, upper);
  CU_ASSERT (gtk_adjustment_get_upper (adj) < upper);   /* 40 chips, no longer 66 */
  CU_ASSERT (gtk_adjustment_get_value (adj) > 0);
  CU_ASSERT (shows_end (adj));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ------------------------------------------------------------------------------------------ */

static const NwTestCase pad_cases[] = {
  { "strokes, undo, clear, width", test_pad_strokes },
  { "stages of a stroke", test_stages_of_a_stroke },
  { NULL, NULL },
};

static const NwTestCase reading_cases[] = {
  { "known weights give the expected class", test_known_weights_read },
  { "empty pad and single dot", test_nothing_to_read },
  { "mismatched models refused, old one kept", test_mismatched_models_refused },
  { "model files: corrupt and mismatched refused", test_load_model_files },
  { "background evaluation, newest wins", test_background_evaluation },
  { "evaluation from outside", test_external_evaluation },
  { "each epoch's state loaded in place", test_epoch_state_in_place },
  { "shared test data", test_shared_test_data },
  { "digit set in the panel", test_digit_set_in_panel },
  { NULL, NULL },
};

static const NwTestCase view_cases[] = {
  { "confusion matrix", test_confusion_render },
  { "gallery and its bars", test_gallery_render },
  { "gallery scrolls itself", test_gallery_scrolls },
  { "whole panel in a window", test_panel_in_window },
  { "accuracy list follows the newest epoch", test_accuracy_list_follows },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "pad", pad_cases },
  { "reading", reading_cases },
  { "views", view_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  if (!gtk_init_check ())
    {
      g_printerr ("no display: skipped\n");
      return 77;
    }
  nw_ui_init ();
  return nw_test_main (argc, argv, suites);
}
