/* nw-test-image.c: PNG round trips and pixel statistics for the widget tests. */
#include "nw-test-image.h"
#include "nw-test.h"
#include "nw-plot.h"

#include <math.h>

cairo_surface_t *
nw_test_save_and_reload (cairo_surface_t *surface, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  const char *keep = g_getenv ("NW_UI_TEST_OUTPUT");
  cairo_surface_t *back;
  path = keep != NULL ? g_build_filename (keep, file, NULL) : nw_test_path (file);
  if (keep != NULL)
    g_mkdir_with_parents (keep, 0755);
  CU_ASSERT_EQUAL_FATAL (cairo_surface_write_to_png (surface, path), CAIRO_STATUS_SUCCESS);
  back = cairo_image_surface_create_from_png (path);
  CU_ASSERT_EQUAL_FATAL (cairo_surface_status (back), CAIRO_STATUS_SUCCESS);
  CU_ASSERT_EQUAL (cairo_image_surface_get_width (back), cairo_image_surface_get_width (surface));
  return back;
}

cairo_surface_t *
nw_test_render_png (GtkWidget *widget, NwTestDrawFunc draw, int width, int height,
                    const char *name)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_surface_t *back;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  draw (widget, cr, width, height);
  cairo_destroy (cr);
  back = nw_test_save_and_reload (surface, name);
  cairo_surface_destroy (surface);
  return back;
}

cairo_surface_t *
nw_test_render_node_png (GskRenderNode *node, int width, int height, const char *name)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_surface_t *back;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  gsk_render_node_unref (node);
  back = nw_test_save_and_reload (surface, name);
  cairo_surface_destroy (surface);
  return back;
}

NwRgb
nw_test_pixel (cairo_surface_t *s, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  guint32 p = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
  NwRgb c = { ((p >> 16) & 0xff) / 255.0, ((p >> 8) & 0xff) / 255.0, (p & 0xff) / 255.0 };
  return c;
}

NwRgb
nw_test_mean_rgb (cairo_surface_t *s, int x0, int y0, int w, int h)
{
  NwRgb m = { 0, 0, 0 };
  for (int y = y0; y < y0 + h; y++)
    for (int x = x0; x < x0 + w; x++)
      {
        NwRgb c = nw_test_pixel (s, x, y);
        m.r += c.r;
        m.g += c.g;
        m.b += c.b;
      }
  m.r /= (double) w * h;
  m.g /= (double) w * h;
  m.b /= (double) w * h;
  return m;
}

double
nw_test_distance_to (NwRgb c, guint32 rgb)
{
  /* A colour role (NW_COLOUR_INK, _MUTED, ...): the light theme's, which the tests draw in. */
  guint32 v = nw_plot_resolve_rgb (NULL, rgb);
  double r = ((v >> 16) & 0xff) / 255.0, g = ((v >> 8) & 0xff) / 255.0, b = (v & 0xff) / 255.0;
  return sqrt ((c.r - r) * (c.r - r) + (c.g - g) * (c.g - g) + (c.b - b) * (c.b - b));
}

int
nw_test_count_colour (cairo_surface_t *s, int x0, int y0, int w, int h, guint32 rgb, double tol)
{
  int n = 0;
  for (int y = y0; y < y0 + h; y++)
    for (int x = x0; x < x0 + w; x++)
      n += nw_test_distance_to (nw_test_pixel (s, x, y), rgb) < tol;
  return n;
}

int
nw_test_count_dark (cairo_surface_t *s, int x0, int y0, int w, int h, double level)
{
  int n = 0;
  for (int y = y0; y < y0 + h; y++)
    for (int x = x0; x < x0 + w; x++)
      {
        NwRgb c = nw_test_pixel (s, x, y);
        n += (c.r + c.g + c.b) / 3 < level;
      }
  return n;
}

int
nw_test_top_of_colour (cairo_surface_t *s, int x, int y0, int y1, guint32 rgb, double tol)
{
  for (int y = y0; y < y1; y++)
    if (nw_test_distance_to (nw_test_pixel (s, x, y), rgb) < tol)
      return y;
  return -1;
}
