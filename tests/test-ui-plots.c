/* test-ui-plots.c: the plot widgets render known snapshots, checked by pixel statistics.
 *
 * Each widget draws a hand-made NwSnapshot (or data set through its setters) into an image
 * the size of a real pane; the image is written to a PNG, read back, and measured: colours of
 * regions, the heights of bars, where a curve lies. Runs under Xvfb (tests/meson.build); exits
 * 77 (skipped) when there is no display. Set NW_UI_TEST_OUTPUT=DIR to keep the PNGs. */
#include "nw-test.h"
#include "nw-test-image.h"

#include "nw-activation-plot.h"
#include "nw-boundary-view.h"
#include "nw-grad-plot.h"
#include "nw-loss-plot.h"
#include "nw-plot.h"
#include "nw-points.h"
#include "nw-ui.h"
#include "nw-weight-hist.h"
#include "nw-zoom.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Images                                                                                       */

static void
draw_boundary (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_boundary_view_draw (NW_BOUNDARY_VIEW (w), cr, width, height);
}

static void
draw_loss (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_loss_plot_draw (NW_LOSS_PLOT (w), cr, width, height);
}

static void
draw_grad (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_grad_plot_draw (NW_GRAD_PLOT (w), cr, width, height);
}

static void
draw_activation (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_activation_plot_draw (NW_ACTIVATION_PLOT (w), cr, width, height);
}

static void
draw_weights (GtkWidget *w, cairo_t *cr, int width, int height)
{
  nw_weight_hist_draw (NW_WEIGHT_HIST (w), cr, width, height);
}

static NwSnapshot *
snapshot_new (int n_layers, gint64 step)
{
  NwSnapshot *snap = g_new0 (NwSnapshot, 1);
  snap->step = step;
  snap->n_layers = n_layers;
  snap->layers = g_new0 (NwLayerProbe, n_layers);
  snap->train_loss = snap->train_acc = snap->test_loss = snap->test_acc = NAN;
  snap->first_last_ratio = NAN;
  for (int i = 0; i < n_layers; i++)
    {
      NwLayerProbe *p = &snap->layers[i];
      p->weight_norm = p->grad_norm = p->bias_grad_norm = p->input_grad_norm = NAN;
      p->act_mean = p->act_std = p->saturated = p->dead = p->dead_units = p->update_ratio = NAN;
    }
  return snap;
}

static GtkWidget *
sink (GtkWidget *widget)
{
  return g_object_ref_sink (widget);
}

static void
spin_iterations (int n)
{
  for (int i = 0; i < n; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Decision boundary                                                                            */

/* A grid that is 1 on the left half and 0 on the right: the left of the field is orange-ish,
 * the right blue-ish, and the training points sit where they belong in their own colours. */
static void
test_boundary_halves (void)
{
  g_autoptr (GtkWidget) view = sink (nw_boundary_view_new ());
  enum { N = 32, W = 460, H = 440 };
  float grid[N * N];
  NwPoint points[] = {
    { -1.0f, 1.0f, 0, FALSE },   /* a blue point on the orange side */
    { 1.0f, -1.0f, 1, FALSE },   /* an orange point on the blue side */
    { 0.9f, 0.9f, 1, TRUE },     /* a test point (outlined) */
  };
  cairo_surface_t *img;
  double px, py, x, y;
  NwRgb left, right, c;

  for (int r = 0; r < N; r++)
    for (int col = 0; col < N; col++)
      grid[r * N + col] = col < N / 2 ? 1.0f : 0.0f;
  nw_boundary_view_set_grid (NW_BOUNDARY_VIEW (view), N, grid);
  nw_boundary_view_set_points (NW_BOUNDARY_VIEW (view), points, G_N_ELEMENTS (points));
  img = nw_test_render_png (view, draw_boundary, W, H, "boundary-halves");

  /* The field's data -> pixel map: (0, 0) is the centre of the square. */
  CU_ASSERT (nw_boundary_view_to_data (NW_BOUNDARY_VIEW (view), W, H, W / 2.0 + 11, (H - 22 + 8) / 2.0, &x, &y));
  CU_ASSERT (fabs (x) < 0.05 && fabs (y) < 0.05);

  /* Mean colours of the left and right quarter bands (avoiding points and the edge). */
  {
    double fx0 = 0, fy0 = 0, side = 0;
    /* Find the square from the mapping: data -1.4 and +1.4 in pixels. */
    for (px = 0; px < W; px++)
      if (nw_boundary_view_to_data (NW_BOUNDARY_VIEW (view), W, H, px, H / 2.0, &x, &y))
        {
          fx0 = px;
          break;
        }
    for (py = 0; py < H; py++)
      if (nw_boundary_view_to_data (NW_BOUNDARY_VIEW (view), W, H, W / 2.0, py, &x, &y))
        {
          fy0 = py;
          break;
        }
    for (px = W - 1; px > 0; px--)
      if (nw_boundary_view_to_data (NW_BOUNDARY_VIEW (view), W, H, px, H / 2.0, &x, &y))
        break;
    side = px - fx0;
    CU_ASSERT (side > 300);
    left = nw_test_mean_rgb (img, (int) (fx0 + side * 0.05), (int) (fy0 + side * 0.55), (int) (side * 0.3),
                     (int) (side * 0.1));
    right = nw_test_mean_rgb (img, (int) (fx0 + side * 0.65), (int) (fy0 + side * 0.15), (int) (side * 0.3),
                      (int) (side * 0.1));
    g_print ("  left (%.2f %.2f %.2f) right (%.2f %.2f %.2f)\n", left.r, left.g, left.b,
             right.r, right.g, right.b);
    CU_ASSERT (left.r > left.b + 0.3);     /* orange */
    CU_ASSERT (right.b > right.r + 0.3);   /* blue */

    /* The blue point at (-1, 1) on the orange side is blue at its centre. */
    c = nw_test_pixel (img, (int) (fx0 + (-1.0 + 1.5) / 3.0 * side), (int) (fy0 + (1.5 - 1.0) / 3.0 * side));
    CU_ASSERT (nw_test_distance_to (c, NW_COLOUR_CLASS0) < 0.1);
    c = nw_test_pixel (img, (int) (fx0 + (1.0 + 1.5) / 3.0 * side), (int) (fy0 + (1.5 + 1.0) / 3.0 * side));
    CU_ASSERT (nw_test_distance_to (c, NW_COLOUR_CLASS1) < 0.1);
    /* The test point is outlined: pale in the middle, on the blue half. */
    {
      int tx = (int) (fx0 + (0.9 + 1.5) / 3.0 * side), ty = (int) (fy0 + (1.5 - 0.9) / 3.0 * side);
      NwRgb centre = nw_test_pixel (img, tx, ty);
      CU_ASSERT (centre.r > 0.85 && centre.g > 0.85 && centre.b > 0.85);
      cairo_surface_destroy (img);
      /* Hidden test points: the field's own colour there. */
      nw_boundary_view_set_show_test (NW_BOUNDARY_VIEW (view), FALSE);
      img = nw_test_render_png (view, draw_boundary, W, H, "boundary-no-test");
      centre = nw_test_pixel (img, tx, ty);
      CU_ASSERT (centre.b > centre.r + 0.3);
    }
  }
  cairo_surface_destroy (img);
}

/* The notes' truth tables (XOR01, AND, OR) have four points at 0 and 1, inside the [-1.5, 1.5]
 * field: drawn large enough to be seen in a lecture hall (a radius of at least 6 px: the class
 * colour 5 px from the centre), while a cloud of 200 points keeps small dots. */
static void
test_boundary_few_points_large (void)
{
  g_autoptr (GtkWidget) view = sink (nw_boundary_view_new ());
  enum { N = 16, W = 460, H = 440, MANY = 200 };
  float grid[N * N];
  NwPoint corners[] = {
    { 0.0f, 0.0f, 0, FALSE }, { 0.0f, 1.0f, 1, FALSE }, { 1.0f, 0.0f, 1, FALSE }, { 1.0f, 1.0f, 0, FALSE },
  };
  NwPoint many[MANY];
  cairo_surface_t *img;
  double fx0 = -1, fy0 = -1, fx1 = -1, x, y;

  for (int i = 0; i < N * N; i++)
    grid[i] = 0.5f;   /* a neutral field */
  nw_boundary_view_set_grid (NW_BOUNDARY_VIEW (view), N, grid);
  nw_boundary_view_set_points (NW_BOUNDARY_VIEW (view), corners, G_N_ELEMENTS (corners));
  img = nw_test_render_png (view, draw_boundary, W, H, "boundary-truth-table");
  for (double px = 0; px < W && fx0 < 0; px++)
    if (nw_boundary_view_to_data (NW_BOUNDARY_VIEW (view), W, H, px, H / 2.0, &x, &y))
      fx0 = px;
  for (double px = W - 1; px > 0 && fx1 < 0; px--)
    if (nw_boundary_view_to_data (NW_BOUNDARY_VIEW (view), W, H, px, H / 2.0, &x, &y))
      fx1 = px;
  for (double py = 0; py < H && fy0 < 0; py++)
    if (nw_boundary_view_to_data (NW_BOUNDARY_VIEW (view), W, H, W / 2.0, py, &x, &y))
      fy0 = py;
  CU_ASSERT_FATAL (fx0 >= 0 && fx1 > fx0 && fy0 >= 0);
  {
    double side = fx1 - fx0;
    for (gsize i = 0; i < G_N_ELEMENTS (corners); i++)
      {
        int cx = (int) (fx0 + (corners[i].x + 1.5) / 3.0 * side);
        int cy = (int) (fy0 + (1.5 - corners[i].y) / 3.0 * side);
        guint32 colour = corners[i].label ? NW_COLOUR_CLASS1 : NW_COLOUR_CLASS0;
        CU_ASSERT (nw_test_distance_to (nw_test_pixel (img, cx, cy), colour) < 0.1);
        CU_ASSERT (nw_test_distance_to (nw_test_pixel (img, cx + 5, cy), colour) < 0.1);
        CU_ASSERT (nw_test_distance_to (nw_test_pixel (img, cx, cy - 5), colour) < 0.1);
      }
    cairo_surface_destroy (img);

    /* Many points: small dots (5 px right of a lone point's centre is the field). */
    for (int i = 0; i < MANY; i++)
      many[i] = (NwPoint) { -1.4f + 0.001f * i, -1.4f, (guint8) (i & 1), FALSE };
    many[0] = (NwPoint) { 0.0f, 1.0f, 1, FALSE };
    nw_boundary_view_set_points (NW_BOUNDARY_VIEW (view), many, MANY);
    img = nw_test_render_png (view, draw_boundary, W, H, "boundary-many-points");
    {
      int cx = (int) (fx0 + 1.5 / 3.0 * side), cy = (int) (fy0 + 0.5 / 3.0 * side);
      CU_ASSERT (nw_test_distance_to (nw_test_pixel (img, cx, cy), NW_COLOUR_CLASS1) < 0.1);
      CU_ASSERT (nw_test_distance_to (nw_test_pixel (img, cx + 8, cy), NW_COLOUR_CLASS1) > 0.2);
    }
  }
  cairo_surface_destroy (img);
}

static int n_notified;

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  n_notified++;
}

/* Setters compare, store and notify; the click signals carry data coordinates. */
static void
test_boundary_setters (void)
{
  g_autoptr (GtkWidget) view = sink (nw_boundary_view_new ());
  n_notified = 0;
  g_signal_connect (view, "notify::show-test", G_CALLBACK (on_notify), NULL);
  g_signal_connect (view, "notify::add-class", G_CALLBACK (on_notify), NULL);
  CU_ASSERT (nw_boundary_view_get_show_test (NW_BOUNDARY_VIEW (view)));
  nw_boundary_view_set_show_test (NW_BOUNDARY_VIEW (view), TRUE);     /* same: no notify */
  CU_ASSERT_EQUAL (n_notified, 0);
  nw_boundary_view_set_show_test (NW_BOUNDARY_VIEW (view), FALSE);
  nw_boundary_view_set_add_class (NW_BOUNDARY_VIEW (view), 0);
  CU_ASSERT_EQUAL (n_notified, 2);
  CU_ASSERT_EQUAL (nw_boundary_view_get_add_class (NW_BOUNDARY_VIEW (view)), 0);
}

/* A message replaces the field (data that is not 2D). */
static void
test_boundary_message (void)
{
  g_autoptr (GtkWidget) view = sink (nw_boundary_view_new ());
  float grid[4] = { 1, 1, 1, 1 };
  cairo_surface_t *img;
  nw_boundary_view_set_grid (NW_BOUNDARY_VIEW (view), 2, grid);
  nw_boundary_view_set_message (NW_BOUNDARY_VIEW (view), "not 2D");
  img = nw_test_render_png (view, draw_boundary, 300, 300, "boundary-message");
  /* No orange field anywhere. */
  CU_ASSERT (nw_test_count_colour (img, 0, 0, 300, 300, NW_COLOUR_CLASS1, 0.25) == 0);
  cairo_surface_destroy (img);
}

/* ------------------------------------------------------------------------------------------ */
/* Loss                                                                                         */

/* A falling training loss: its curve starts high on the left and ends low on the right. */
static void
test_loss_curve_falls (void)
{
  g_autoptr (GtkWidget) plot = sink (nw_loss_plot_new ());
  enum { W = 520, H = 240 };
  cairo_surface_t *img;
  int left_top, right_top;

  for (int s = 0; s <= 100; s++)
    nw_loss_plot_add (NW_LOSS_PLOT (plot), s * 10, 0.7 * exp (-s / 25.0), 0.5 + s / 200.0,
                      s % 5 == 0 ? 0.75 * exp (-s / 30.0) : NAN,
                      s % 5 == 0 ? 0.5 + s / 220.0 : NAN);
  CU_ASSERT_EQUAL (nw_loss_plot_get_n_points (NW_LOSS_PLOT (plot)), 101);
  img = nw_test_render_png (plot, draw_loss, W, H, "loss-falls");
  left_top = nw_test_top_of_colour (img, 60, 30, H - 22, NW_COLOUR_TRAIN, 0.12);
  right_top = nw_test_top_of_colour (img, W - 60, 30, H - 22, NW_COLOUR_TRAIN, 0.12);
  g_print ("  train loss at left y=%d, right y=%d\n", left_top, right_top);
  CU_ASSERT (left_top > 0 && right_top > 0);
  /* Right is lower on the screen than left, by a good part of the height... but the dashed
   * accuracy line shares the colour; it rises, so compare the lowest train-coloured pixel. */
  {
    int left_low = -1, right_low = -1;
    for (int y = H - 23; y > 24 && (left_low < 0 || right_low < 0); y--)
      {
        if (left_low < 0 && nw_test_distance_to (nw_test_pixel (img, 60, y), NW_COLOUR_TRAIN) < 0.12)
          left_low = y;
        if (right_low < 0 && nw_test_distance_to (nw_test_pixel (img, W - 60, y), NW_COLOUR_TRAIN) < 0.12)
          right_low = y;
      }
    g_print ("  lowest train-coloured pixel: left y=%d, right y=%d\n", left_low, right_low);
    CU_ASSERT (right_low > left_low + 60);
  }
  /* The test curve is drawn too. */
  CU_ASSERT (nw_test_count_colour (img, 46, 24, W - 86, H - 46, NW_COLOUR_TEST, 0.12) > 100);
  cairo_surface_destroy (img);
}

/* The log scale and the hover box change the picture; a reset (step going back) clears. */
static void
test_loss_log_hover_reset (void)
{
  g_autoptr (GtkWidget) plot = sink (nw_loss_plot_new ());
  cairo_surface_t *a, *b, *c;
  int diff_log = 0, ink_a, ink_c;

  for (int s = 1; s <= 50; s++)
    nw_loss_plot_add (NW_LOSS_PLOT (plot), s, 1.0 / (s * s), 0.9, NAN, NAN);
  a = nw_test_render_png (plot, draw_loss, 400, 200, "loss-linear");
  n_notified = 0;
  g_signal_connect (plot, "notify::log-scale", G_CALLBACK (on_notify), NULL);
  nw_loss_plot_set_log_scale (NW_LOSS_PLOT (plot), TRUE);
  nw_loss_plot_set_log_scale (NW_LOSS_PLOT (plot), TRUE);
  CU_ASSERT_EQUAL (n_notified, 1);
  b = nw_test_render_png (plot, draw_loss, 400, 200, "loss-log");
  for (int y = 24; y < 178; y++)
    diff_log += nw_test_distance_to (nw_test_pixel (a, 300, y), NW_COLOUR_TRAIN) < 0.12
             && nw_test_distance_to (nw_test_pixel (b, 300, y), NW_COLOUR_TRAIN) >= 0.12;
  CU_ASSERT (diff_log > 0);   /* the curve moved */
  nw_loss_plot_set_hover_x (NW_LOSS_PLOT (plot), 200);
  c = nw_test_render_png (plot, draw_loss, 400, 200, "loss-hover");
  ink_a = 400 * 200 - nw_test_count_colour (b, 0, 0, 400, 200, 0xffffff, 0.02);
  ink_c = 400 * 200 - nw_test_count_colour (c, 0, 0, 400, 200, 0xffffff, 0.02);
  CU_ASSERT (ink_c > ink_a + 200);   /* the value box and its text */
  nw_loss_plot_add (NW_LOSS_PLOT (plot), 0, 0.7, 0.5, NAN, NAN);
  CU_ASSERT_EQUAL (nw_loss_plot_get_n_points (NW_LOSS_PLOT (plot)), 1);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  cairo_surface_destroy (c);
}

/* ------------------------------------------------------------------------------------------ */
/* Gradients                                                                                    */

static NwSnapshot *
grad_snapshot (gint64 step, double n1, double n2, double n3)
{
  /* input, fc1, act1, fc2, act2, fc3, loss */
  NwSnapshot *snap = snapshot_new (7, step);
  const char *ids[] = { "input", "fc1", "act1", "fc2", "act2", "fc3", "loss" };
  NwNodeKind kinds[] = { NW_NODE_INPUT, NW_NODE_DENSE, NW_NODE_ACTIVATION, NW_NODE_DENSE,
                         NW_NODE_ACTIVATION, NW_NODE_DENSE, NW_NODE_LOSS };
  for (int i = 0; i < 7; i++)
    {
      snap->layers[i].id = g_strdup (ids[i]);
      snap->layers[i].kind = kinds[i];
      snap->layers[i].activation = NW_ACT_SIGMOID;
    }
  snap->layers[1].grad_norm = n1;
  snap->layers[3].grad_norm = n2;
  snap->layers[5].grad_norm = n3;
  snap->first_last_ratio = n1 / n3;
  return snap;
}

/* Bars as tall as the (log) norms: 1e-4 < 1e-2 < 1. */
static void
test_grad_bars_ordered (void)
{
  g_autoptr (GtkWidget) plot = sink (nw_grad_plot_new ());
  enum { W = 560, H = 220 };
  cairo_surface_t *img;
  int tops[3];

  for (int s = 1; s <= 20; s++)
    {
      g_autoptr (NwSnapshot) snap = grad_snapshot (s * 100, 1e-4 * (1 + s * 0.01), 1e-2, 1.0);
      nw_grad_plot_push_snapshot (NW_GRAD_PLOT (plot), snap, NULL);
    }
  CU_ASSERT_EQUAL (nw_grad_plot_get_n_layers (NW_GRAD_PLOT (plot)), 3);
  NW_ASSERT_CLOSE (nw_grad_plot_get_ratio (NW_GRAD_PLOT (plot)), 1.2e-4, 1e-6, 0);
  img = nw_test_render_png (plot, draw_grad, W, H, "grad-bars");
  for (int k = 0; k < 3; k++)
    {
      int x = (int) nw_grad_plot_bar_centre (NW_GRAD_PLOT (plot), W, H, k);
      tops[k] = nw_test_top_of_colour (img, x, 20, H - 30, nw_plot_layer_colour (k, 3), 0.08);
      g_print ("  bar %d: top at y=%d\n", k, tops[k]);
      CU_ASSERT (tops[k] > 0);
    }
  CU_ASSERT (tops[0] > tops[1] + 20);
  CU_ASSERT (tops[1] > tops[2] + 20);
  /* The timeline: each layer's colour appears right of the bars. */
  for (int k = 0; k < 3; k++)
    CU_ASSERT (nw_test_count_colour (img, W / 2, 20, W / 2 - 12, H - 50, nw_plot_layer_colour (k, 3), 0.08) > 50);
  /* The ratio is drawn in the alarm colour (vanishing: < 1%). */
  CU_ASSERT (nw_test_count_colour (img, W / 2, 0, W / 2, 22, NW_COLOUR_ALARM, 0.15) > 10);
  cairo_surface_destroy (img);
}

/* Behind a step the first layer's gradient is 0 by design: the plot says so, and no ratio in
 * the alarm colour (the same norms with sigmoids, above, are an alarm). */
static void
test_grad_step_zero_by_design (void)
{
  g_autoptr (GtkWidget) plot = sink (nw_grad_plot_new ());
  enum { W = 560, H = 220 };
  cairo_surface_t *img;

  for (int s = 1; s <= 5; s++)
    {
      g_autoptr (NwSnapshot) snap = grad_snapshot (s * 100, 0, 1e-2, 1.0);
      snap->layers[2].activation = NW_ACT_STEP;
      nw_grad_plot_push_snapshot (NW_GRAD_PLOT (plot), snap, NULL);
    }
  CU_ASSERT_STRING_EQUAL (nw_grad_plot_get_zero_by_design (NW_GRAD_PLOT (plot)), "act1");
  CU_ASSERT_FALSE (nw_grad_plot_get_alarm (NW_GRAD_PLOT (plot)));
  img = nw_test_render_png (plot, draw_grad, W, H, "grad-step");
  CU_ASSERT (nw_test_count_colour (img, W / 2, 0, W / 2, 22, NW_COLOUR_ALARM, 0.15) == 0);
  /* ...but the caption is there, in the muted colour. */
  CU_ASSERT (nw_test_count_colour (img, W / 2, 0, W / 2, 22, NW_COLOUR_MUTED, 0.15) > 10);
  cairo_surface_destroy (img);

  /* A step before every Dense blocks nothing that has weights: no such note. */
  {
    g_autoptr (NwSnapshot) snap = grad_snapshot (700, 1e-4, 1e-2, 1.0);
    snap->layers[1].kind = NW_NODE_ACTIVATION;
    snap->layers[1].activation = NW_ACT_STEP;
    CU_ASSERT_PTR_NULL (nw_snapshot_zero_gradient_layer (snap));
  }
}

/* A different network (other layer names) or a reset starts the timeline again. */
static void
test_grad_resets (void)
{
  g_autoptr (GtkWidget) plot = sink (nw_grad_plot_new ());
  const char *other[] = { "input", "a", "act1", "b", "act2", "c", "loss" };
  g_autoptr (NwSnapshot) s1 = grad_snapshot (10, 0.1, 0.2, 0.3);
  g_autoptr (NwSnapshot) s2 = grad_snapshot (20, 0.1, 0.2, 0.3);
  nw_grad_plot_push_snapshot (NW_GRAD_PLOT (plot), s1, NULL);
  nw_grad_plot_push_snapshot (NW_GRAD_PLOT (plot), s2, other);
  CU_ASSERT_EQUAL (nw_grad_plot_get_n_layers (NW_GRAD_PLOT (plot)), 3);
  nw_grad_plot_clear (NW_GRAD_PLOT (plot));
  CU_ASSERT_EQUAL (nw_grad_plot_get_n_layers (NW_GRAD_PLOT (plot)), 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Activations                                                                                  */

/* A saturated sigmoid: its inputs piled at the right end, where the curve is flat; the dots on
 * the curve sit there, and the share is written in the alarm colour. A ReLU next to it. */
static void
test_activation_on_curve (void)
{
  g_autoptr (GtkWidget) plot = sink (nw_activation_plot_new ());
  g_autoptr (NwSnapshot) snap = snapshot_new (4, 50);
  enum { W = 600, H = 180 };
  cairo_surface_t *img;
  double x, y, w, h;
  int right, left;

  snap->layers[0].kind = NW_NODE_INPUT;
  snap->layers[0].id = g_strdup ("input");
  snap->layers[1].kind = NW_NODE_ACTIVATION;
  snap->layers[1].id = g_strdup ("act1");
  snap->layers[1].activation = NW_ACT_SIGMOID;
  snap->layers[1].hist_lo = -6;
  snap->layers[1].hist_hi = 6;
  snap->layers[1].hist[NW_STATS_BINS - 2] = 50;
  snap->layers[1].hist[NW_STATS_BINS - 1] = 400;
  snap->layers[1].hist[NW_STATS_BINS / 2] = 10;
  snap->layers[1].saturated = 0.9;
  snap->layers[2].kind = NW_NODE_ACTIVATION;
  snap->layers[2].id = g_strdup ("act2");
  snap->layers[2].activation = NW_ACT_RELU;
  snap->layers[2].hist_lo = -6;
  snap->layers[2].hist_hi = 6;
  for (int k = 0; k < NW_STATS_BINS; k++)
    snap->layers[2].hist[k] = k < NW_STATS_BINS / 2 ? 30 : 10;
  snap->layers[2].dead = 0.2;
  snap->layers[2].dead_units = 0.1;
  snap->layers[3].kind = NW_NODE_LOSS;
  snap->layers[3].id = g_strdup ("loss");

  nw_activation_plot_push_snapshot (NW_ACTIVATION_PLOT (plot), snap, NULL);
  CU_ASSERT_EQUAL (nw_activation_plot_get_n_panels (NW_ACTIVATION_PLOT (plot)), 2);
  img = nw_test_render_png (plot, draw_activation, W, H, "activation-saturated");
  nw_activation_plot_panel_area (NW_ACTIVATION_PLOT (plot), W, H, 0, &x, &y, &w, &h);
  /* Dots (the train colour, translucent) mostly in the right fifth of the sigmoid's panel. */
  right = 0;
  left = 0;
  for (int py = (int) y; py < (int) (y + h); py++)
    for (int px = (int) x; px < (int) (x + w); px++)
      {
        NwRgb c = nw_test_pixel (img, px, py);
        gboolean bluish = c.b > c.r + 0.2 && c.b > 0.6;
        if (bluish && px > x + 0.8 * w)
          right++;
        else if (bluish && px < x + 0.2 * w)
          left++;
      }
  g_print ("  sigmoid dots: %d right, %d left\n", right, left);
  CU_ASSERT (right > 40);
  CU_ASSERT (right > 10 * (left + 1));
  /* The near-flat region is where the dots are: the curve there is near its top. */
  CU_ASSERT (nw_test_top_of_colour (img, (int) (x + 0.97 * w), (int) y, (int) (y + h), NW_COLOUR_INK, 0.35)
             < y + 0.25 * h);
  /* "saturated 90%" in the alarm colour, inside the first panel only. */
  CU_ASSERT (nw_test_count_colour (img, (int) x, (int) y, (int) (w / 2), 16, NW_COLOUR_ALARM, 0.2) > 5);
  nw_activation_plot_panel_area (NW_ACTIVATION_PLOT (plot), W, H, 1, &x, &y, &w, &h);
  CU_ASSERT (nw_test_count_colour (img, (int) x, (int) y, (int) (w / 2), 16, NW_COLOUR_ALARM, 0.2) == 0);
  cairo_surface_destroy (img);
}

/* A step layer's panel says its gradient is 0 by design and shades nothing in the alarm
 * colour, even with all its inputs on the flat parts of the curve. */
static void
test_activation_step_panel (void)
{
  g_autoptr (GtkWidget) plot = sink (nw_activation_plot_new ());
  g_autoptr (NwSnapshot) snap = snapshot_new (3, 50);
  enum { W = 300, H = 180 };
  cairo_surface_t *img;

  snap->layers[0].kind = NW_NODE_INPUT;
  snap->layers[0].id = g_strdup ("input");
  snap->layers[1].kind = NW_NODE_ACTIVATION;
  snap->layers[1].id = g_strdup ("act1");
  snap->layers[1].activation = NW_ACT_STEP;
  snap->layers[1].hist_lo = -6;
  snap->layers[1].hist_hi = 6;
  for (int k = 0; k < NW_STATS_BINS; k++)
    snap->layers[1].hist[k] = 10;
  snap->layers[2].kind = NW_NODE_LOSS;
  snap->layers[2].id = g_strdup ("loss");
  nw_activation_plot_push_snapshot (NW_ACTIVATION_PLOT (plot), snap, NULL);
  CU_ASSERT_EQUAL_FATAL (nw_activation_plot_get_n_panels (NW_ACTIVATION_PLOT (plot)), 1);
  CU_ASSERT (nw_activation_plot_panel_gradient_zero (NW_ACTIVATION_PLOT (plot), 0));
  img = nw_test_render_png (plot, draw_activation, W, H, "activation-step");
  CU_ASSERT (nw_test_count_colour (img, 0, 0, W, H, NW_COLOUR_ALARM, 0.1) == 0);
  cairo_surface_destroy (img);

  /* A sigmoid's panel is no such thing. */
  snap->layers[1].activation = NW_ACT_SIGMOID;
  nw_activation_plot_push_snapshot (NW_ACTIVATION_PLOT (plot), snap, NULL);
  CU_ASSERT_FALSE (nw_activation_plot_panel_gradient_zero (NW_ACTIVATION_PLOT (plot), 0));
}

static void
test_activation_functions (void)
{
  NW_ASSERT_CLOSE (nw_activation_value (NW_ACT_SIGMOID, 0), 0.5, 1e-12, 0);
  NW_ASSERT_CLOSE (nw_activation_derivative (NW_ACT_SIGMOID, 0), 0.25, 1e-12, 0);
  NW_ASSERT_CLOSE (nw_activation_derivative (NW_ACT_TANH, 0), 1, 1e-12, 0);
  CU_ASSERT_EQUAL (nw_activation_value (NW_ACT_RELU, -2), 0);
  CU_ASSERT_EQUAL (nw_activation_derivative (NW_ACT_RELU, -2), 0);
  NW_ASSERT_CLOSE (nw_activation_value (NW_ACT_GELU, 1), 0.8413447460685429, 1e-9, 0);
  /* SELU: torch.nn.SELU's constants; the step: 0 or 1, its derivative 0 everywhere. */
  NW_ASSERT_CLOSE (nw_activation_value (NW_ACT_SELU, 1), 1.0507009873554805, 1e-12, 0);
  NW_ASSERT_CLOSE (nw_activation_value (NW_ACT_SELU, -1), 1.7580993408473766 * (exp (-1) - 1), 1e-12, 0);
  CU_ASSERT_EQUAL (nw_activation_value (NW_ACT_STEP, 0.3), 1);
  CU_ASSERT_EQUAL (nw_activation_value (NW_ACT_STEP, 0), 0);
  CU_ASSERT_EQUAL (nw_activation_value (NW_ACT_STEP, -0.3), 0);
  CU_ASSERT (nw_activation_gradient_is_zero (NW_ACT_STEP));
  for (int a = 0; a < NW_N_ACTIVATIONS; a++)
    if (a != NW_ACT_STEP)
      CU_ASSERT_FALSE (nw_activation_gradient_is_zero (a));
  for (double x = -3.1; x < 3; x += 0.7)
    CU_ASSERT_EQUAL (nw_activation_derivative (NW_ACT_STEP, x), 0);
  /* Derivatives against central differences (x never within 1e-6 of the kinks at 0). */
  for (int a = NW_ACT_LINEAR; a < NW_N_ACTIVATIONS; a++)
    for (double x = -3.1; x < 3; x += 0.7)
      {
        double d = (nw_activation_value (a, x + 1e-6) - nw_activation_value (a, x - 1e-6)) / 2e-6;
        if (a == NW_ACT_SOFTMAX)
          continue;   /* not a function of one input */
        NW_ASSERT_CLOSE (nw_activation_derivative (a, x), d, 1e-5, 1e-6);
      }
}

/* ------------------------------------------------------------------------------------------ */
/* Weights                                                                                      */

static NwSnapshot *
weight_snapshot (gint64 step, double shift)
{
  NwSnapshot *snap = snapshot_new (3, step);
  snap->layers[0].kind = NW_NODE_INPUT;
  snap->layers[0].id = g_strdup ("input");
  snap->layers[1].kind = NW_NODE_DENSE;
  snap->layers[1].id = g_strdup ("fc1");
  snap->layers[1].weight_norm = 1;
  snap->layers[1].whist_lo = (float) (-1 + shift);
  snap->layers[1].whist_hi = (float) (1 + shift);
  for (int k = 0; k < NW_STATS_BINS; k++)
    snap->layers[1].whist[k] = (float) exp (-0.5 * pow ((k - 15.5) / 5.0, 2));
  snap->layers[2].kind = NW_NODE_LOSS;
  snap->layers[2].id = g_strdup ("loss");
  return snap;
}

/* Histograms stack up over the steps; the newest (front) is the most opaque; a reset starts
 * again. */
static void
test_weight_hist_stack (void)
{
  g_autoptr (GtkWidget) plot = sink (nw_weight_hist_new ());
  cairo_surface_t *img;
  int strong = 0, faint = 0;
  guint32 colour = nw_plot_layer_colour (0, 1);

  for (int s = 0; s < 10; s++)
    {
      g_autoptr (NwSnapshot) snap = weight_snapshot (s * 10, s * 0.2);
      nw_weight_hist_push_snapshot (NW_WEIGHT_HIST (plot), snap, NULL);
    }
  CU_ASSERT_EQUAL (nw_weight_hist_get_n_layers (NW_WEIGHT_HIST (plot)), 1);
  CU_ASSERT_EQUAL (nw_weight_hist_get_depth (NW_WEIGHT_HIST (plot), 0), 10);
  img = nw_test_render_png (plot, draw_weights, 300, 200, "weights-stack");
  /* The front ridge is in the layer's full colour, the back ones paler. */
  strong = nw_test_count_colour (img, 0, 100, 300, 85, colour, 0.1);
  faint = nw_test_count_colour (img, 0, 18, 300, 60, colour, 0.1);
  g_print ("  full-colour pixels: front %d, back %d\n", strong, faint);
  CU_ASSERT (strong > 100);
  CU_ASSERT (strong > faint);
  /* The newest histogram is shifted right: the front ridge's mass is right of centre. */
  {
    int r = nw_test_count_colour (img, 150, 100, 150, 85, colour, 0.1);
    int l = nw_test_count_colour (img, 0, 100, 150, 85, colour, 0.1);
    CU_ASSERT (r > l);
  }
  cairo_surface_destroy (img);
  {
    g_autoptr (NwSnapshot) snap = weight_snapshot (0, 0);
    nw_weight_hist_push_snapshot (NW_WEIGHT_HIST (plot), snap, NULL);
    CU_ASSERT_EQUAL (nw_weight_hist_get_depth (NW_WEIGHT_HIST (plot), 0), 1);
  }
}


/* ------------------------------------------------------------------------------------------ */
/* Text that reads: inside the plot, clear of other text, in the widget's font and colours     */

/* Draws `plot` at w x h, recording every text it draws (nw_plot_record_text); returns them. */
static GArray *
record_texts (GtkWidget *plot, NwTestDrawFunc draw, int w, int h)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (surface);
  GArray *rects = nw_plot_text_rects_new ();
  nw_plot_record_text (cr, rects);
  draw (plot, cr, w, h);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return rects;
}

/* Every text lies inside w x h and no two overlap (by more than half a pixel either way);
 * returns how many texts were drawn. Prints what is wrong. */
static guint
assert_texts_fit (GtkWidget *plot, NwTestDrawFunc draw, int w, int h, const char *what)
{
  g_autoptr (GArray) rects = record_texts (plot, draw, w, h);
  for (guint i = 0; i < rects->len; i++)
    {
      const NwPlotTextRect *a = &g_array_index (rects, NwPlotTextRect, i);
      gboolean inside = a->x >= -0.5 && a->y >= -0.5 && a->x + a->width <= w + 0.5
                        && a->y + a->height <= h + 0.5;
      if (!inside)
        g_print ("\n    %s %dx%d: '%s' at (%.0f, %.0f, %.0f x %.0f) is cut off", what, w, h,
                 a->text, a->x, a->y, a->width, a->height);
      CU_ASSERT (inside);
      for (guint j = i + 1; j < rects->len; j++)
        {
          const NwPlotTextRect *b = &g_array_index (rects, NwPlotTextRect, j);
          double ox = MIN (a->x + a->width, b->x + b->width) - MAX (a->x, b->x);
          double oy = MIN (a->y + a->height, b->y + b->height) - MAX (a->y, b->y);
          if (ox > 0.5 && oy > 0.5)
            g_print ("\n    %s %dx%d: '%s' and '%s' overlap", what, w, h, a->text, b->text);
          CU_ASSERT (!(ox > 0.5 && oy > 0.5));
        }
    }
  return rects->len;
}

/* The tallest text a plot drew, in pixels. */
static double
tallest_text (GtkWidget *plot, NwTestDrawFunc draw, int w, int h)
{
  g_autoptr (GArray) rects = record_texts (plot, draw, w, h);
  double most = 0;
  for (guint i = 0; i < rects->len; i++)
    most = MAX (most, g_array_index (rects, NwPlotTextRect, i).height);
  return most;
}

/* Four layers of Dense with long names, and four activations: a deep network's plots. */
static NwSnapshot *
deep_snapshot (gint64 step, const char *const *dense_ids)
{
  NwSnapshot *snap = snapshot_new (10, step);
  snap->layers[0].kind = NW_NODE_INPUT;
  snap->layers[0].id = g_strdup ("input");
  for (int k = 0; k < 4; k++)
    {
      NwLayerProbe *d = &snap->layers[1 + 2 * k], *a = &snap->layers[2 + 2 * k];
      d->kind = NW_NODE_DENSE;
      d->id = g_strdup (dense_ids[k]);
      d->grad_norm = pow (10, -7 + k * 0.4);
      d->weight_norm = 1;
      d->whist_lo = -2.5f;
      d->whist_hi = 2.5f;
      for (int b = 0; b < NW_STATS_BINS; b++)
        d->whist[b] = (float) exp (-0.5 * pow ((b - 15.5) / 5.0, 2));
      a->kind = NW_NODE_ACTIVATION;
      a->id = g_strdup_printf ("act%d", k + 1);
      a->activation = k == 3 ? NW_ACT_RELU : NW_ACT_SIGMOID;
      a->hist_lo = -6;
      a->hist_hi = 6;
      for (int b = 0; b < NW_STATS_BINS; b++)
        a->hist[b] = 1 + b % 3;
      a->saturated = 0.1 * k;
      a->dead = 0.45;
      a->dead_units = 0.25;
    }
  snap->layers[9].kind = NW_NODE_LOSS;
  snap->layers[9].id = g_strdup ("loss");
  snap->first_last_ratio = 0.21;
  return snap;
}

/* The sizes the panes have in a 1280x720 window (measured on the screenshots, side panel
 * shown), a roomier one, and a narrow one: no text is cut off or runs into another. Without
 * the fixes of issue 18: the loss plot's y ticks cut (".5e+12"), the layer names running
 * together ("fc1dense1fc2"), "No gradient before the first step" over "Press Play or Step",
 * the ratio over "now, per layer", the activation captions cut by the panel. */
static void
test_texts_fit (void)
{
  static const char *const long_ids[4] = { "fc1", "dense1", "fc2", "dense_out" };
  static const int grad_sizes[][2] = { { 330, 150 }, { 520, 220 }, { 260, 130 } };
  static const int act_sizes[][2] = { { 330, 190 }, { 680, 170 }, { 200, 330 } };
  g_autoptr (GtkWidget) grad = sink (nw_grad_plot_new ());
  g_autoptr (GtkWidget) loss = sink (nw_loss_plot_new ());
  g_autoptr (GtkWidget) act = sink (nw_activation_plot_new ());
  g_autoptr (GtkWidget) weights = sink (nw_weight_hist_new ());
  g_autoptr (GtkWidget) boundary = sink (nw_boundary_view_new ());

  /* The gradient plot before the first step: two hints side by side. */
  {
    g_autoptr (NwSnapshot) snap = deep_snapshot (0, long_ids);
    nw_grad_plot_push_snapshot (NW_GRAD_PLOT (grad), snap, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (grad_sizes); i++)
      CU_ASSERT (assert_texts_fit (grad, draw_grad, grad_sizes[i][0], grad_sizes[i][1],
                                   "gradient, step 0") >= 3);
  }
  /* ...and training, with long layer names under narrow bars. */
  for (int s = 1; s <= 30; s++)
    {
      g_autoptr (NwSnapshot) snap = deep_snapshot (s * 40000, long_ids);
      nw_grad_plot_push_snapshot (NW_GRAD_PLOT (grad), snap, NULL);
      nw_activation_plot_push_snapshot (NW_ACTIVATION_PLOT (act), snap, NULL);
      nw_weight_hist_push_snapshot (NW_WEIGHT_HIST (weights), snap, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (grad_sizes); i++)
    CU_ASSERT (assert_texts_fit (grad, draw_grad, grad_sizes[i][0], grad_sizes[i][1],
                                 "gradient") >= 5);
  for (guint i = 0; i < G_N_ELEMENTS (act_sizes); i++)
    {
      CU_ASSERT (assert_texts_fit (act, draw_activation, act_sizes[i][0], act_sizes[i][1],
                                   "activations") >= 12);
      CU_ASSERT (assert_texts_fit (weights, draw_weights, act_sizes[i][0], act_sizes[i][1],
                                   "weights") >= 8);
    }

  /* A loss that diverges to 1.5e12, over a million steps. */
  for (int s = 0; s <= 60; s++)
    nw_loss_plot_add (NW_LOSS_PLOT (loss), s * 20000, s < 40 ? 0.7 : 1.5e12 * (s - 39) / 21.0,
                      0.5, NAN, NAN);
  CU_ASSERT (assert_texts_fit (loss, draw_loss, 470, 150, "loss") >= 8);
  CU_ASSERT (assert_texts_fit (loss, draw_loss, 300, 170, "loss") >= 8);
  nw_loss_plot_set_log_scale (NW_LOSS_PLOT (loss), TRUE);
  CU_ASSERT (assert_texts_fit (loss, draw_loss, 470, 150, "loss, log") >= 8);
  nw_loss_plot_set_hover_x (NW_LOSS_PLOT (loss), 440);
  assert_texts_fit (loss, draw_loss, 470, 150, "loss, hover");

  /* The boundary with its caption, empty, and with a message. */
  {
    float grid[4] = { 1, 0, 1, 0 };
    nw_boundary_view_set_caption (NW_BOUNDARY_VIEW (boundary),
                                  "training mode: dropout on, batch statistics");
    CU_ASSERT (assert_texts_fit (boundary, draw_boundary, 300, 290, "boundary, empty") >= 13);
    nw_boundary_view_set_grid (NW_BOUNDARY_VIEW (boundary), 2, grid);
    CU_ASSERT (assert_texts_fit (boundary, draw_boundary, 300, 290, "boundary") >= 13);
    nw_boundary_view_set_message (NW_BOUNDARY_VIEW (boundary),
                                  "This data is not 2D: there is no boundary to draw");
    CU_ASSERT (assert_texts_fit (boundary, draw_boundary, 300, 290, "boundary, message") >= 13);
  }
}

static gboolean
font_px_above (GtkWidget *widget, double px)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (nw_plot_widget_font_px (widget) <= px && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return nw_plot_widget_font_px (widget) > px;
}

/* The zoom scales a plot's text through the window's CSS: 150% makes its text half as tall
 * again, and the plot asks for more room; its text still fits. No text is drawn under
 * NW_TEXT_MIN_PX, even at 80%. */
static void
test_zoom_scales_text (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *plot = nw_grad_plot_new ();
  g_autoptr (NwZoom) zoom = nw_zoom_new (gtk_widget_get_display (window));
  static const char *const ids[4] = { "fc1", "fc2", "fc3", "fc4" };
  double px0, h0, h1;
  int min0, min1, nat;

  gtk_widget_add_css_class (window, "neurowire");
  gtk_window_set_child (GTK_WINDOW (window), plot);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 200);
  gtk_window_present (GTK_WINDOW (window));
  for (int s = 1; s <= 10; s++)
    {
      g_autoptr (NwSnapshot) snap = deep_snapshot (s * 100, ids);
      nw_grad_plot_push_snapshot (NW_GRAD_PLOT (plot), snap, NULL);
    }
  spin_iterations (20);
  px0 = nw_plot_widget_font_px (plot);
  h0 = tallest_text (plot, draw_grad, 520, 220);
  gtk_widget_measure (plot, GTK_ORIENTATION_VERTICAL, -1, &min0, &nat, NULL, NULL);

  nw_zoom_set_level (zoom, 1.5);
  CU_ASSERT_FATAL (font_px_above (plot, px0 * 1.4));
  NW_ASSERT_CLOSE (nw_plot_widget_font_px (plot), px0 * 1.5, 0.02, 0.5);
  h1 = tallest_text (plot, draw_grad, 520, 220);
  gtk_widget_measure (plot, GTK_ORIENTATION_VERTICAL, -1, &min1, &nat, NULL, NULL);
  g_print ("  font %.1f px -> %.1f px; tallest text %.0f -> %.0f px; least height %d -> %d ",
           px0, nw_plot_widget_font_px (plot), h0, h1, min0, min1);
  CU_ASSERT (h1 > h0 * 1.3);
  CU_ASSERT (min1 > min0 * 1.3);
  assert_texts_fit (plot, draw_grad, 520, 220, "gradient at 150%");

  /* 80%: smaller, but no text under the least readable size. */
  nw_zoom_set_level (zoom, 0.8);
  spin_iterations (20);
  {
    g_autoptr (GArray) rects = record_texts (plot, draw_grad, 520, 220);
    cairo_t *cr = nw_plot_measure_context (plot);
    CU_ASSERT (nw_plot_text_px (cr, NW_TEXT_SMALL) >= NW_TEXT_MIN_PX);
    CU_ASSERT (nw_plot_text_px (cr, 0.1) >= NW_TEXT_MIN_PX);
    cairo_destroy (cr);
    CU_ASSERT (rects->len > 0);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* With the dark style the plot draws on the theme's dark view colour in light ink (it drew
 * white paper and dark ink whatever the theme). */
static void
test_dark_style (void)
{
  GtkSettings *settings = gtk_settings_get_default ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *plot = nw_grad_plot_new ();
  static const char *const ids[4] = { "fc1", "fc2", "fc3", "fc4" };
  cairo_surface_t *light, *dark;
  NwRgb paper_light, paper_dark;
  int w = 420, h = 200;

  gtk_window_set_child (GTK_WINDOW (window), plot);
  gtk_window_present (GTK_WINDOW (window));
  for (int s = 1; s <= 10; s++)
    {
      g_autoptr (NwSnapshot) snap = deep_snapshot (s * 100, ids);
      nw_grad_plot_push_snapshot (NW_GRAD_PLOT (plot), snap, NULL);
    }
  spin_iterations (20);
  light = nw_test_render_png (plot, draw_grad, w, h, "grad-light");
  g_object_set (settings, "gtk-application-prefer-dark-theme", TRUE, NULL);
  spin_iterations (40);
  dark = nw_test_render_png (plot, draw_grad, w, h, "grad-dark");
  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
  /* Inside the timeline's axes, above the lines: paper. */
  paper_light = nw_test_mean_rgb (light, w - 60, 30, 20, 8);
  paper_dark = nw_test_mean_rgb (dark, w - 60, 30, 20, 8);
  g_print ("  paper: light %.2f, dark %.2f ", paper_light.g, paper_dark.g);
  CU_ASSERT (paper_light.g > 0.9);
  CU_ASSERT (paper_dark.g < 0.35);
  /* Light ink on it: bright pixels among the labels left of the bars. */
  CU_ASSERT (nw_test_count_dark (dark, 0, 20, 40, h - 40, 0.5) < 40 * (h - 40) - 20);
  cairo_surface_destroy (light);
  cairo_surface_destroy (dark);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                      */

/* The thinning history keeps the whole run: the first row, the newest row, at most `cap`. */
static void
test_history_thins (void)
{
  NwHistory h;
  nw_history_init (&h, 2, 64);
  for (int i = 0; i < 10000; i++)
    {
      double row[2] = { i, i * 2.0 };
      nw_history_push (&h, row);
      CU_ASSERT_FATAL (h.n <= 64);
      CU_ASSERT_EQUAL (nw_history_row (&h, h.n - 1)[0], i);
    }
  CU_ASSERT_EQUAL (nw_history_row (&h, 0)[0], 0);
  CU_ASSERT (h.n >= 32);
  for (int i = 1; i < h.n; i++)
    CU_ASSERT (nw_history_row (&h, i)[0] > nw_history_row (&h, i - 1)[0]);
  nw_history_free (&h);
}

static void
test_ticks_and_format (void)
{
  double t[16];
  char buf[32];
  int n = nw_plot_ticks (-1.5, 1.5, 7, t);
  CU_ASSERT (n >= 5 && n <= 8);
  CU_ASSERT_EQUAL (t[0], -1.5);
  for (int i = 0; i < n; i++)
    CU_ASSERT (t[i] >= -1.5 && t[i] <= 1.5);
  nw_plot_format (0.5, buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL (buf, "0.5");
  nw_plot_format (1.2e-5, buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL (buf, "1.2e-05");
  nw_plot_format (25000, buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL (buf, "25k");
}

/* Points to a dataset and back. */
static void
test_points_roundtrip (void)
{
  GError *error = NULL;
  g_autoptr (NwDataset) ds = nw_dataset_new_2d (NW_DATA_CIRCLE, 100, 0.1, 0.2, 7, &error);
  g_autoptr (GArray) pts = NULL;
  g_autoptr (NwDataset) back = NULL;
  NW_ASSERT_NO_ERROR (error);
  pts = nw_points_from_dataset (ds);
  CU_ASSERT_PTR_NOT_NULL_FATAL (pts);
  CU_ASSERT_EQUAL (pts->len, (guint) (ds->train.n + ds->test.n));
  back = nw_points_to_dataset ((const NwPoint *) pts->data, pts->len, "circle");
  CU_ASSERT_EQUAL (back->train.n, ds->train.n);
  CU_ASSERT_EQUAL (back->test.n, ds->test.n);
  CU_ASSERT (memcmp (back->train.x, ds->train.x, sizeof (float) * 2 * ds->train.n) == 0);
  CU_ASSERT (memcmp (back->test.labels, ds->test.labels, ds->test.n) == 0);
  for (int i = 0; i < back->train.n; i++)
    CU_ASSERT_EQUAL (back->train.y[i], back->train.labels[i]);
  CU_ASSERT_EQUAL (nw_points_nearest ((const NwPoint *) pts->data, pts->len,
                                      g_array_index (pts, NwPoint, 5).x + 0.001,
                                      g_array_index (pts, NwPoint, 5).y, 0.01), 5);
  CU_ASSERT_EQUAL (nw_points_nearest ((const NwPoint *) pts->data, pts->len, 9, 9, 0.1), -1);
}

/* ------------------------------------------------------------------------------------------ */
/* Through GTK's own rendering: the widget in a window, snapshotted to render nodes.           */

static void
test_widget_snapshot (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = nw_boundary_view_new ();
  float grid[4] = { 1, 0, 1, 0 };
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  cairo_surface_t *surface;
  cairo_t *cr;
  gint64 end;
  int w, h;
  NwRgb left, right;

  gtk_window_set_default_size (GTK_WINDOW (window), 420, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  nw_boundary_view_set_grid (NW_BOUNDARY_VIEW (view), 2, grid);
  gtk_window_present (GTK_WINDOW (window));
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (gtk_widget_get_width (view) < 100 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  w = gtk_widget_get_width (view);
  h = gtk_widget_get_height (view);
  CU_ASSERT_FATAL (w >= 100 && h >= 100);

  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (view)->snapshot (view, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  CU_ASSERT_PTR_NOT_NULL_FATAL (node);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  gsk_render_node_unref (node);
  left = nw_test_mean_rgb (surface, w / 2 - 60, h / 2 - 60, 20, 20);
  right = nw_test_mean_rgb (surface, w / 2 + 50, h / 2 - 60, 20, 20);
  CU_ASSERT (left.r > left.b + 0.2);
  CU_ASSERT (right.b > right.r + 0.2);
  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
}

static const NwTestCase boundary_cases[] = {
  { "halves: orange left, blue right", test_boundary_halves },
  { "truth tables: four large points, a cloud small", test_boundary_few_points_large },
  { "setters notify once", test_boundary_setters },
  { "message replaces the field", test_boundary_message },
  { "rendered through GTK", test_widget_snapshot },
  { NULL, NULL },
};

static const NwTestCase plot_cases[] = {
  { "loss curve falls", test_loss_curve_falls },
  { "loss log scale, hover, reset", test_loss_log_hover_reset },
  { "gradient bars ordered like the norms", test_grad_bars_ordered },
  { "gradient behind a step: zero by design, no alarm", test_grad_step_zero_by_design },
  { "gradient plot resets", test_grad_resets },
  { "activation histogram on the curve", test_activation_on_curve },
  { "activation functions and derivatives", test_activation_functions },
  { "a step's panel: gradient zero by design", test_activation_step_panel },
  { "weight histograms stack", test_weight_hist_stack },
  { "every text inside its plot, none over another", test_texts_fit },
  { "the zoom scales a plot's text", test_zoom_scales_text },
  { "dark style: dark paper, light ink", test_dark_style },
  { NULL, NULL },
};

static const NwTestCase helper_cases[] = {
  { "history thins", test_history_thins },
  { "ticks and number format", test_ticks_and_format },
  { "points round trip", test_points_roundtrip },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "boundary", boundary_cases },
  { "plots", plot_cases },
  { "helpers", helper_cases },
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
