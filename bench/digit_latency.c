/* digit_latency.c: how long the MNIST view takes to answer a stroke, and how long MNIST takes
 * to load. A benchmark, not a test (bench/REPORT.md has the figures and the command).
 *
 *   xvfb-run -a -s "-screen 0 1600x1000x24" env GSK_RENDERER=cairo build/bench/digit_latency [N]
 *
 * 1. Stroke update to bars on screen. The panel (ui/nw-mnist-panel.c) is shown in a window
 *    with the lessons' 784-256-256-10 MLP. A digit is drawn as N pointer positions, one per
 *    frame, from a tick callback: GTK runs tick callbacks in the frame's update phase, where
 *    it also delivers real pointer motion, so what follows is what a real stroke update gets
 *    in the same frame: the pad's "changed" -> preprocessing -> forward -> bars, strips and
 *    stages queued for redraw (the "update" time), then GTK's layout, the snapshot of every
 *    widget and the cairo renderer drawing the window and handing it to the X server, until
 *    the frame clock's "after-paint" (the "on screen" time).
 * 2. The parts alone: preprocessing of the 280x280 pad, one forward with the hidden layers.
 * 3. Loading MNIST's 60,000 training and 10,000 test images (nw_dataset_load_idx_dir), and
 *    Fashion-MNIST's gzipped files when they are installed.
 *
 * Prints one line per figure: median, 95th percentile and maximum, in milliseconds. */
#include "nw-blas.h"
#include "nw-digit-model.h"
#include "nw-digit-pad.h"
#include "nw-mnist-panel.h"
#include "nw-ui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  GtkWidget    *panel;
  NwDigitPad   *pad;
  GArray       *update_ms;     /* stroke update -> bars queued */
  GArray       *screen_ms;     /* stroke update -> frame painted */
  GArray       *layout_ms;     /* of that: GTK's layout phase */
  GArray       *paint_ms;      /* of that: GTK's paint phase (snapshot and render) */
  GArray       *present_ms;    /* of that: from the end of paint to after-paint */
  gint64        t_update_end, t_layout_end, t_paint_end;
  int           n_events;
  int           done_events;
  int           stroke_len;
  gint64        t_event;       /* when the last update began, 0 once painted */
  GMainLoop    *loop;
  gboolean      evaluated;
} Bench;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what, GArray *ms)
{
  double *v = (double *) ms->data;
  guint n = ms->len;
  if (n == 0)
    {
      printf ("%-44s no samples\n", what);
      return;
    }
  qsort (v, n, sizeof (double), cmp_double);
  printf ("%-44s median %7.3f ms   p95 %7.3f ms   max %7.3f ms   (n=%u)\n", what, v[n / 2],
          v[MIN (n - 1, (guint) (n * 0.95))], v[n - 1], n);
}

/* A point of a "2"-like figure: an arc, a diagonal, a base; t in [0, 1). */
static void
figure_point (double t, double *x, double *y)
{
  if (t < 0.45)
    {
      double a = G_PI * (1.1 + 1.25 * t / 0.45);
      *x = 140 + 60 * cos (a);
      *y = 95 + 55 * sin (a);
    }
  else if (t < 0.8)
    {
      double u = (t - 0.45) / 0.35;
      *x = 190 - 110 * u;
      *y = 120 + 100 * u;
    }
  else
    {
      double u = (t - 0.8) / 0.2;
      *x = 80 + 130 * u;
      *y = 222;
    }
}

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Bench *b = data;
  double x, y, t;
  gint64 t1;

  if (!b->evaluated)
    return G_SOURCE_CONTINUE;
  if (b->done_events >= b->n_events)
    {
      g_main_loop_quit (b->loop);
      return G_SOURCE_REMOVE;
    }
  /* One drawing of the figure per stroke_len events; a fresh pad for each. */
  t = (double) (b->done_events % b->stroke_len) / b->stroke_len;
  figure_point (t, &x, &y);
  b->t_event = g_get_monotonic_time ();
  if (b->done_events % b->stroke_len == 0)
    {
      nw_digit_pad_clear (b->pad);
      nw_digit_pad_begin_stroke (b->pad, x, y, 0.75);
    }
  else
    nw_digit_pad_extend_stroke (b->pad, x, y, 0.75);
  t1 = g_get_monotonic_time ();
  {
    double ms = (t1 - b->t_event) / 1000.0;
    g_array_append_val (b->update_ms, ms);
  }
  b->t_update_end = t1;
  b->t_layout_end = b->t_paint_end = 0;
  b->done_events++;
  return G_SOURCE_CONTINUE;
}

/* Connected after GTK's own handlers, so these mark the end of each phase. */
static void
on_layout (GdkFrameClock *clock, Bench *b)
{
  if (b->t_event != 0)
    b->t_layout_end = g_get_monotonic_time ();
}

static void
on_paint (GdkFrameClock *clock, Bench *b)
{
  if (b->t_event != 0)
    b->t_paint_end = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, Bench *b)
{
  if (b->t_event != 0)
    {
      double ms = (g_get_monotonic_time () - b->t_event) / 1000.0;
      g_array_append_val (b->screen_ms, ms);
      /* Layout runs only in frames where a size may have changed (a label's text). */
      if (b->t_layout_end != 0)
        {
          double l = (b->t_layout_end - b->t_update_end) / 1000.0;
          g_array_append_val (b->layout_ms, l);
        }
      if (b->t_paint_end != 0)
        {
          gint64 from = b->t_layout_end != 0 ? b->t_layout_end : b->t_update_end;
          double p = (b->t_paint_end - from) / 1000.0;
          double q = (g_get_monotonic_time () - b->t_paint_end) / 1000.0;
          g_array_append_val (b->paint_ms, p);
          g_array_append_val (b->present_ms, q);
        }
      b->t_event = 0;
    }
}

static void
on_evaluated (NwMnistPanel *panel, Bench *b)
{
  b->evaluated = TRUE;
}

static gboolean
give_up (gpointer data)
{
  Bench *b = data;
  fprintf (stderr, "digit_latency: gave up waiting (%d of %d events)\n", b->done_events, b->n_events);
  g_main_loop_quit (b->loop);
  return G_SOURCE_REMOVE;
}

static NwSpec *
mlp_spec (GError **error)
{
  g_autofree char *path = g_build_filename (NW_SOURCE_DIR, "examples", "mnist-mlp.json", NULL);
  return nw_spec_load (path, error);
}

static float *
fresh_params (const NwSpec *spec, gsize *n, GError **error)
{
  NwBackend *backend = nw_backend_cpu_new ();
  NwNet *net = nw_net_new (spec, 784, 10, 10, backend, error);
  float *p = NULL;
  if (net != NULL)
    {
      nw_net_init_params (net, 1);
      *n = nw_net_n_params (net);
      p = g_new (float, *n);
      nw_net_get_params (net, p);
      nw_net_free (net);
    }
  nw_backend_free (backend);
  return p;
}

static void
bench_parts (const NwSpec *spec, const float *params, gsize n_params, const float *ink, int size)
{
  g_autoptr (NwDigitStages) st = nw_digit_stages_new ();
  g_autoptr (NwDigitModel) model = nw_digit_model_new (spec, params, n_params, NULL);
  g_autoptr (GArray) pre = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) fwd = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree float *hidden = g_new (float, nw_digit_model_hidden_total (model));
  float probs[10];

  for (int i = 0; i < 2000; i++)
    {
      gint64 t0 = g_get_monotonic_time (), t1, t2;
      nw_digit_preprocess (ink, size, size, size, st);
      t1 = g_get_monotonic_time ();
      nw_digit_model_predict (model, st->image, probs, hidden, NULL);
      t2 = g_get_monotonic_time ();
      {
        double a = (t1 - t0) / 1000.0, b = (t2 - t1) / 1000.0;
        g_array_append_val (pre, a);
        g_array_append_val (fwd, b);
      }
    }
  report ("preprocess 280x280 pad (alone)", pre);
  report ("forward 784-256-256-10 + hidden layers (alone)", fwd);
}

/* `data_root`: NEUROWIRE_DATA_DIR, read in main (NULL: the default folder). */
static void
bench_load (const char *data_root)
{
  g_autoptr (GArray) mnist = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) fashion = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *mdir = nw_data_default_mnist_dir (data_root);
  g_autofree char *fdir = nw_data_default_fashion_mnist_dir (data_root);
  for (int i = 0; i < 5; i++)
    {
      GError *error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      NwDataset *ds = nw_dataset_load_idx_dir (mdir, 0, &error);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;
      if (ds == NULL)
        {
          printf ("MNIST load: %s\n", error->message);
          g_clear_error (&error);
          break;
        }
      g_array_append_val (mnist, ms);
      nw_dataset_free (ds);
    }
  report ("load MNIST (60k train + 10k test, IDX)", mnist);
  for (int i = 0; i < 3; i++)
    {
      GError *error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      NwDataset *ds = nw_dataset_load_fashion_mnist (fdir, 0, &error);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;
      if (ds == NULL)
        {
          printf ("Fashion-MNIST load: %s\n", error->message);
          g_clear_error (&error);
          break;
        }
      g_array_append_val (fashion, ms);
      nw_dataset_free (ds);
    }
  if (fashion->len > 0)
    report ("load Fashion-MNIST (gzipped IDX)", fashion);
}

int
main (int argc, char **argv)
{
  Bench b = { 0 };
  GError *error = NULL;
  g_autoptr (NwSpec) spec = NULL;
  g_autofree float *params = NULL;
  NwDataset *ds;
  GtkWidget *window;
  GdkFrameClock *clock;
  gsize n_params = 0;
  int size;
  /* Where MNIST is, read once here as the programs do. */
  const char *data_root = g_getenv ("NEUROWIRE_DATA_DIR");
  g_autofree char *mnist_dir = nw_data_default_mnist_dir (data_root);

  /* The kernels the program itself runs (app/neurowire.c does the same). */
  nw_blas_reexec_if_needed (argv);
  b.n_events = argc > 1 ? atoi (argv[1]) : 600;
  b.stroke_len = 120;
  if (!gtk_init_check ())
    {
      fprintf (stderr, "digit_latency: no display (run it under xvfb-run)\n");
      return 1;
    }
  nw_ui_init ();
  nw_ui_load_css (gdk_display_get_default ());
  spec = mlp_spec (&error);
  if (spec == NULL || (params = fresh_params (spec, &n_params, &error)) == NULL)
    {
      fprintf (stderr, "digit_latency: %s\n", error->message);
      return 1;
    }

  /* DIGIT_LATENCY_GUI_ONLY=1: only the window part (for profiling it). */
  if (g_getenv ("DIGIT_LATENCY_GUI_ONLY") == NULL)
    bench_load (data_root);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 1000);
  b.panel = nw_mnist_panel_new ();
  b.pad = NW_DIGIT_PAD (nw_mnist_panel_get_pad (NW_MNIST_PANEL (b.panel)));
  gtk_window_set_child (GTK_WINDOW (window), b.panel);
  g_signal_connect (b.panel, "evaluation-done", G_CALLBACK (on_evaluated), &b);
  ds = nw_dataset_load_idx_dir (mnist_dir, 1, NULL);
  if (ds != NULL)
    nw_mnist_panel_set_test_data (NW_MNIST_PANEL (b.panel), ds);
  else
    b.evaluated = TRUE;   /* no MNIST: nothing to wait for */
  g_clear_pointer (&ds, nw_dataset_free);
  if (!nw_mnist_panel_set_model (NW_MNIST_PANEL (b.panel), spec, params, n_params, &error))
    {
      fprintf (stderr, "digit_latency: %s\n", error->message);
      return 1;
    }
  /* DIGIT_LATENCY_HIDE=strip,stages,bars,pad: hide those views (their cards) to see what each
   * costs a frame. */
  {
    const char *hide = g_getenv ("DIGIT_LATENCY_HIDE");
    NwMnistPanel *mp = NW_MNIST_PANEL (b.panel);
    struct { const char *name; GtkWidget *w; } parts[] = {
      { "strip", nw_mnist_panel_get_layer_strip (mp) },
      { "stages", nw_mnist_panel_get_stages_view (mp) },
      { "bars", nw_mnist_panel_get_prob_bars (mp) },
      { "pad", nw_mnist_panel_get_pad (mp) },
    };
    for (guint i = 0; hide != NULL && i < G_N_ELEMENTS (parts); i++)
      if (strstr (hide, parts[i].name) != NULL)
        gtk_widget_set_visible (gtk_widget_get_parent (parts[i].w), FALSE);
  }
  gtk_window_present (GTK_WINDOW (window));

  b.update_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.screen_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.layout_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.paint_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.present_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.loop = g_main_loop_new (NULL, FALSE);
  gtk_widget_realize (window);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout), &b);
  g_signal_connect_after (clock, "paint", G_CALLBACK (on_paint), &b);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &b);
  gtk_widget_add_tick_callback (b.panel, on_tick, &b, NULL);
  g_timeout_add_seconds (120, give_up, &b);
  g_main_loop_run (b.loop);

  printf ("panel %dx%d, %d pointer positions, one per frame\n", gtk_widget_get_width (b.panel),
          gtk_widget_get_height (b.panel), b.done_events);
  report ("stroke update -> bars queued (update)", b.update_ms);
  report ("stroke update -> frame painted (on screen)", b.screen_ms);
  report ("  of which GTK layout (frames that had one)", b.layout_ms);
  report ("  of which GTK paint (snapshot + render)", b.paint_ms);
  report ("  of which end of frame (to after-paint)", b.present_ms);
  if (g_getenv ("DIGIT_LATENCY_GUI_ONLY") == NULL)
  {
    const float *ink = nw_digit_pad_get_ink (b.pad, &size);
    g_autofree float *copy = g_memdup2 (ink, sizeof (float) * size * size);
    bench_parts (spec, params, n_params, copy, size);
  }
  g_array_unref (b.update_ms);
  g_array_unref (b.screen_ms);
  g_array_unref (b.layout_ms);
  g_array_unref (b.paint_ms);
  g_array_unref (b.present_ms);
  g_main_loop_unref (b.loop);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
