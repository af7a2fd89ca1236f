/* nw-editor-draw.c: where things are on the canvas (canvas units; the view maps them to the
 * widget), what is under the pointer, the model's automatic layout given the blocks' drawn
 * heights and fitted to the canvas's shape, and drawing it all with Cairo (the model's spec,
 * marks and widths: core/nw-graph-model.h): wires with their shapes,
 * blocks with their titles, parameter counts, ports, switches and neuron thumbnails, the
 * error marks, the wire being drawn and the hovered neuron shown large. */
#include "nw-editor-private.h"
#include "nw-i18n.h"
#include "nw-plot.h"

#include <math.h>
#include <string.h>

/* On the blocks' own light colours, in any theme. */
#define TEXT_COLOR       0x241f31
/* The canvas, the wires and the labels on them follow the theme (nw-plot.h's roles). */
#define WIRE_COLOR       NW_COLOUR_MUTED
#define SELECT_COLOR     0x3584e4
#define ERROR_COLOR      0xe01b24
#define TARGET_COLOR     0x2ec27e
#define BACKGROUND_COLOR NW_COLOUR_EMPTY
#define GRID_COLOR       NW_COLOUR_GRID

/* Text on the canvas, in canvas units at a view scale of 1 with GTK's default font (the
 * editor's font grows the view instead: nw_editor_text_factor); on screen never under
 * NW_TEXT_MIN_PX where the block has the room (text_size). */
#define TITLE_SIZE       12.0
#define SUB_SIZE         9.5
#define LABEL_SIZE       9.5
#define THUMBS_TOP       44.0

/* Geometry ------------------------------------------------------------------------------- */

void
nw_editor_to_canvas (NwEditor *self, double wx, double wy, double *cx, double *cy)
{
  *cx = (wx - self->tx) / self->scale;
  *cy = (wy - self->ty) / self->scale;
}

void
nw_editor_to_widget (NwEditor *self, double cx, double cy, double *wx, double *wy)
{
  *wx = cx * self->scale + self->tx;
  *wy = cy * self->scale + self->ty;
}

int
nw_editor_n_input_ports (NwEditor *self, const NwNodeSpec *node)
{
  int fed = nw_graph_model_n_fed_ports (self->model, node);
  switch (node->kind)
    {
    case NW_NODE_INPUT:
      return fed;               /* none, unless a file wires into it (marked) */
    case NW_NODE_ADD:
    case NW_NODE_CONCAT:
      return MAX (fed + 1, 2);  /* one free port to wire the next input into */
    default:
      return MAX (fed, 1);
    }
}

int
nw_editor_n_thumbs (NwEditor *self, const NwNodeSpec *node)
{
  const NwNeuronImages *images;
  if (node->kind != NW_NODE_DENSE && node->kind != NW_NODE_ACTIVATION)
    return 0;
  images = g_hash_table_lookup (self->neuron_images, node->id);
  return images != NULL ? MIN (images->n_units, NW_THUMBS_MAX) : 0;
}

void
nw_editor_block_rect (NwEditor *self, const NwNodeSpec *node, NwRect *r)
{
  int ports = nw_editor_n_input_ports (self, node);
  int thumbs = nw_editor_n_thumbs (self, node);
  double h = MAX (NW_BLOCK_HEIGHT, ports * NW_PORT_SPACING + 14);

  if (thumbs > 0)
    {
      int rows = (thumbs + NW_THUMBS_PER_ROW - 1) / NW_THUMBS_PER_ROW;
      h = MAX (h, THUMBS_TOP + rows * (NW_THUMB_SIZE + NW_THUMB_GAP) + 4);
    }
  r->x = node->x;
  r->y = node->y;
  r->width = NW_BLOCK_WIDTH;
  r->height = h;
}

void
nw_editor_input_port_pos (NwEditor *self, const NwNodeSpec *node, int port, double *x, double *y)
{
  NwRect r;
  int n = MAX (nw_editor_n_input_ports (self, node), port + 1);
  nw_editor_block_rect (self, node, &r);
  *x = r.x;
  *y = r.y + r.height * (port + 1) / (n + 1);
}

void
nw_editor_output_port_pos (NwEditor *self, const NwNodeSpec *node, double *x, double *y)
{
  NwRect r;
  nw_editor_block_rect (self, node, &r);
  *x = r.x + r.width;
  *y = r.y + r.height / 2;
}

void
nw_editor_toggle_rect (NwEditor *self, const NwNodeSpec *node, NwRect *r)
{
  r->x = node->x + NW_BLOCK_WIDTH - 34;
  r->y = node->y + 8;
  r->width = 26;
  r->height = 14;
}

gboolean
nw_editor_thumb_rect (NwEditor *self, const NwNodeSpec *node, int unit, NwRect *r)
{
  double row_width = NW_THUMBS_PER_ROW * NW_THUMB_SIZE + (NW_THUMBS_PER_ROW - 1) * NW_THUMB_GAP;
  if (unit < 0 || unit >= nw_editor_n_thumbs (self, node))
    return FALSE;
  r->x = node->x + (NW_BLOCK_WIDTH - row_width) / 2
         + (unit % NW_THUMBS_PER_ROW) * (NW_THUMB_SIZE + NW_THUMB_GAP);
  r->y = node->y + THUMBS_TOP + (unit / NW_THUMBS_PER_ROW) * (NW_THUMB_SIZE + NW_THUMB_GAP);
  r->width = NW_THUMB_SIZE;
  r->height = NW_THUMB_SIZE;
  return TRUE;
}

static gboolean
in_rect (const NwRect *r, double x, double y)
{
  return x >= r->x && x <= r->x + r->width && y >= r->y && y <= r->y + r->height;
}

static double
segment_distance (double px, double py, double ax, double ay, double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = CLAMP (t, 0, 1);
  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

/* A wire from an output port (x0, y0) to an input port (x3, y3). Forward, it is one cubic
 * Bézier leaving and entering horizontally. Backward (the input is left of the output: a
 * wrapped row, a cycle), it turns round after the output, runs back along `ymid` (between
 * the rows, or below the blocks when they share a row) and turns into the input. */
typedef struct {
  double   x0, y0, x3, y3;
  gboolean back;
  double   ymid;
} WireGeom;

#define WIRE_TURN 50.0

/* A height at which a wire can run back from x0 to x3 without crossing a block: between the
 * two ports' heights when they are far apart (a wrapped row), else below `below`. */
static double
free_line (NwEditor *self, double x0, double y0, double x3, double y3, double below)
{
  double xa = MIN (x0, x3) - WIRE_TURN, xb = MAX (x0, x3) + WIRE_TURN;
  gboolean between = fabs (y3 - y0) >= 70;
  double start = between ? (y0 + y3) / 2 : below;

  for (int k = 0; k < 80; k++)
    {
      /* between: alternate around the middle; below: downwards */
      double y = between ? start + ((k + 1) / 2) * 6.0 * (k % 2 ? 1 : -1) : start + k * 6.0;
      gboolean clear = TRUE;
      if (between && (y <= MIN (y0, y3) || y >= MAX (y0, y3)))
        break;
      for (guint i = 0; clear && i < nw_editor_spec (self)->nodes->len; i++)
        {
          NwRect r;
          nw_editor_block_rect (self, g_ptr_array_index (nw_editor_spec (self)->nodes, i), &r);
          if (r.x - 6 < xb && r.x + r.width + 6 > xa && y > r.y - 8 && y < r.y + r.height + 8)
            clear = FALSE;
        }
      if (clear)
        return y;
    }
  return start;
}

/* A wire counts as backward when its input is well left of its output; a little left, an
 * S-shaped curve reads better than a detour. */
static void
wire_geom (NwEditor *self, double x0, double y0, double x3, double y3, double below, WireGeom *g)
{
  g->x0 = x0, g->y0 = y0, g->x3 = x3, g->y3 = y3;
  g->back = below > -G_MAXDOUBLE && x3 < x0 - 60;
  g->ymid = g->back ? free_line (self, x0, y0, x3, y3, below) : 0;
}

static void
cubic_at (const double p[8], double t, double *x, double *y)
{
  double u = 1 - t;
  *x = u * u * u * p[0] + 3 * u * u * t * p[2] + 3 * u * t * t * p[4] + t * t * t * p[6];
  *y = u * u * u * p[1] + 3 * u * u * t * p[3] + 3 * u * t * t * p[5] + t * t * t * p[7];
}

/* The wire's cubic pieces (control polygons of 4 points); a straight piece is a cubic too. */
static int
wire_pieces (const WireGeom *g, double pieces[3][8])
{
  if (!g->back)
    {
      double d = MAX (40.0, fabs (g->x3 - g->x0) / 2);
      double p[8] = { g->x0, g->y0, g->x0 + d, g->y0, g->x3 - d, g->y3, g->x3, g->y3 };
      memcpy (pieces[0], p, sizeof p);
      return 1;
    }
  {
    double a[8] = { g->x0, g->y0, g->x0 + WIRE_TURN, g->y0, g->x0 + WIRE_TURN, g->ymid, g->x0, g->ymid };
    double b[8] = { g->x0, g->ymid, g->x0, g->ymid, g->x3, g->ymid, g->x3, g->ymid };
    double c[8] = { g->x3, g->ymid, g->x3 - WIRE_TURN, g->ymid, g->x3 - WIRE_TURN, g->y3, g->x3, g->y3 };
    memcpy (pieces[0], a, sizeof a);
    memcpy (pieces[1], b, sizeof b);
    memcpy (pieces[2], c, sizeof c);
    return 3;
  }
}

static void
wire_path (cairo_t *cr, const WireGeom *g)
{
  double pieces[3][8];
  int n = wire_pieces (g, pieces);
  cairo_new_path (cr);
  cairo_move_to (cr, pieces[0][0], pieces[0][1]);
  for (int k = 0; k < n; k++)
    cairo_curve_to (cr, pieces[k][2], pieces[k][3], pieces[k][4], pieces[k][5], pieces[k][6], pieces[k][7]);
}

static void
wire_midpoint (const WireGeom *g, double *x, double *y)
{
  double pieces[3][8];
  int n = wire_pieces (g, pieces);
  cubic_at (pieces[n / 2], 0.5, x, y);
}

/* Distance from (x, y) to the wire, on 24 points per piece. */
static double
wire_distance (const WireGeom *g, double x, double y)
{
  double pieces[3][8], best = G_MAXDOUBLE;
  int n = wire_pieces (g, pieces);
  for (int k = 0; k < n; k++)
    {
      double px = pieces[k][0], py = pieces[k][1];
      for (int s = 1; s <= 24; s++)
        {
          double qx, qy;
          cubic_at (pieces[k], s / 24.0, &qx, &qy);
          best = MIN (best, segment_distance (x, y, px, py, qx, qy));
          px = qx, py = qy;
        }
    }
  return best;
}

static gboolean
edge_geom (NwEditor *self, const NwEdgeSpec *edge, WireGeom *g)
{
  const NwNodeSpec *a = nw_spec_find_node (nw_editor_spec (self), edge->from);
  const NwNodeSpec *b = nw_spec_find_node (nw_editor_spec (self), edge->to);
  double x0, y0, x3, y3;
  NwRect ra, rb;
  if (a == NULL || b == NULL || edge->port < 0)
    return FALSE;
  nw_editor_output_port_pos (self, a, &x0, &y0);
  nw_editor_input_port_pos (self, b, edge->port, &x3, &y3);
  nw_editor_block_rect (self, a, &ra);
  nw_editor_block_rect (self, b, &rb);
  wire_geom (self, x0, y0, x3, y3, MAX (ra.y + ra.height, rb.y + rb.height) + 22, g);
  return TRUE;
}


/* Blocks are drawn in spec order with the selected one last (on top); hits go the other way. */
static int
draw_order (NwEditor *self, guint k)
{
  guint n = nw_editor_spec (self)->nodes->len;
  int sel = nw_editor_node_index (self, nw_graph_model_get_selected (self->model));
  if (sel < 0)
    return (int) k;
  if (k == n - 1)
    return sel;
  return (int) k >= sel ? (int) k + 1 : (int) k;
}

NwHit
nw_editor_hit_test (NwEditor *self, double wx, double wy)
{
  NwHit hit = { NW_HIT_NONE, -1, -1, -1, -1 };
  guint n = nw_editor_spec (self)->nodes->len;
  double cx, cy, tol = 9.0 / self->scale;

  nw_editor_to_canvas (self, wx, wy, &cx, &cy);

  /* Ports first: they sit on block edges and must win over a neighbour's body. */
  for (guint k = n; k-- > 0;)
    {
      int i = draw_order (self, k);
      const NwNodeSpec *node = g_ptr_array_index (nw_editor_spec (self)->nodes, (guint) i);
      double px, py;
      int ports = nw_editor_n_input_ports (self, node);
      if (node->kind != NW_NODE_LOSS)
        {
          nw_editor_output_port_pos (self, node, &px, &py);
          if (hypot (cx - px, cy - py) <= tol)
            return (NwHit) { NW_HIT_OUTPUT_PORT, i, -1, -1, -1 };
        }
      for (int p = 0; p < ports; p++)
        {
          nw_editor_input_port_pos (self, node, p, &px, &py);
          if (hypot (cx - px, cy - py) <= tol)
            return (NwHit) { NW_HIT_INPUT_PORT, i, p, -1, -1 };
        }
    }
  for (guint k = n; k-- > 0;)
    {
      int i = draw_order (self, k);
      const NwNodeSpec *node = g_ptr_array_index (nw_editor_spec (self)->nodes, (guint) i);
      NwRect r;
      nw_editor_block_rect (self, node, &r);
      if (!in_rect (&r, cx, cy))
        continue;
      if (nw_graph_model_node_has_toggle (node))
        {
          NwRect t;
          nw_editor_toggle_rect (self, node, &t);
          t.x -= 3, t.y -= 3, t.width += 6, t.height += 6;
          if (in_rect (&t, cx, cy))
            return (NwHit) { NW_HIT_TOGGLE, i, -1, -1, -1 };
        }
      for (int u = 0; u < nw_editor_n_thumbs (self, node); u++)
        {
          NwRect t;
          nw_editor_thumb_rect (self, node, u, &t);
          if (in_rect (&t, cx, cy))
            return (NwHit) { NW_HIT_THUMB, i, -1, u, -1 };
        }
      return (NwHit) { NW_HIT_BLOCK, i, -1, -1, -1 };
    }
  for (guint e = 0; e < nw_editor_spec (self)->edges->len; e++)
    {
      const NwEdgeSpec *edge = g_ptr_array_index (nw_editor_spec (self)->edges, e);
      WireGeom g;
      if (edge_geom (self, edge, &g) && wire_distance (&g, cx, cy) <= 6.0 / self->scale)
        {
          hit.kind = NW_HIT_EDGE;
          hit.edge = (int) e;
          return hit;
        }
    }
  return hit;
}

/* Text ----------------------------------------------------------------------------------- */

/* How much bigger than GTK's default the canvas's font is (the theme's font size, Large Text,
 * the window's zoom): the view's largest scale, so that blocks and their text grow
 * together and the layout in canvas units stays as it is. */
double
nw_editor_text_factor (NwEditor *self)
{
  return CLAMP (nw_plot_widget_font_px (self->canvas) / NW_TEXT_DEFAULT_PX, 0.5, 4.0);
}

/* A size in canvas units, grown (up to `most`) so that it is at least NW_TEXT_MIN_PX on
 * screen at the view's scale, where a zoomed-out view would shrink it below. */
static double
text_size (NwEditor *self, double size, double most)
{
  return CLAMP (NW_TEXT_MIN_PX / MAX (self->scale, 0.05), size, MAX (size, most));
}

/* The canvas's own font (family, features, language: Hangul through its fallback) at `size`
 * canvas units. */
static PangoLayout *
make_layout (NwEditor *self, const char *text, double size, gboolean bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (self->canvas, text);
  const PangoFontDescription *base =
    pango_context_get_font_description (gtk_widget_get_pango_context (self->canvas));
  PangoFontDescription *font = base != NULL ? pango_font_description_copy (base)
                                            : pango_font_description_new ();
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}

/* Shows `text` at (x, y); returns its logical height. */
static double
show_text (NwEditor *self, cairo_t *cr, const char *text, double x, double y, double size,
           gboolean bold, double max_width)
{
  PangoLayout *layout = make_layout (self, text, size, bold);
  int w, h;
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x, y);
  nw_plot_record_layout (cr, layout);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
  g_object_unref (layout);
  return h;
}

/* A label in a rounded box: the shape on a wire, the reason beside a marked block. With
 * bounds (> 0), the box is moved to lie inside (0, 0, bounds_w, bounds_h), in the units of
 * `cr`. */
static void
boxed_label (NwEditor *self, cairo_t *cr, const char *text, double x, double y, double size,
             double wrap, guint32 fg, guint32 border, gboolean center, double bounds_w,
             double bounds_h)
{
  PangoLayout *layout = make_layout (self, text, size, FALSE);
  PangoRectangle ink, logical;
  double w, h, pad = size * 0.35;

  if (wrap > 0)
    {
      pango_layout_set_width (layout, (int) (wrap * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  w = logical.width + 2 * pad;
  h = logical.height + pad;
  if (center)
    {
      x -= w / 2;
      y -= h / 2;
    }
  if (bounds_w > 0 && bounds_h > 0)
    {
      x = MAX (MIN (x, bounds_w - 4 - w), 4);
      if (y + h > bounds_h - 4)
        y = MAX (bounds_h - 4 - h, 4);
    }
  nw_plot_round_rect (cr, x, y, w, h, MIN (h / 2, 6));
  nw_plot_rgb (cr, NW_COLOUR_PAPER, 0.94);
  cairo_fill_preserve (cr);
  nw_plot_rgb (cr, border, 1.0);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  nw_plot_rgb (cr, fg, 1.0);
  cairo_move_to (cr, x + pad - logical.x, y + pad / 2 - logical.y);
  nw_plot_record_layout (cr, layout);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
  g_object_unref (layout);
}

static char *
format_count (gint64 n)
{
  if (n < 10000)
    return g_strdup_printf ("%" G_GINT64_FORMAT, n);
  if (n < 1000000)
    return g_strdup_printf ("%.1fk", n / 1000.0);
  return g_strdup_printf ("%.2fM", n / 1e6);
}

static char *
block_subtitle (NwEditor *self, int i, const NwNodeSpec *node)
{
  g_autofree char *count = NULL;
  gint64 params;

  switch (node->kind)
    {
    case NW_NODE_DENSE:
    case NW_NODE_BATCHNORM:
    case NW_NODE_LAYERNORM:
      params = nw_graph_model_params_at (self->model, i);
      if (params < 0)
        /* Translators: a block's subtitle: its id and its number of parameters, not known
         * yet */
        return g_strdup_printf (_("%s · ? params"), node->id);
      count = format_count (params);
      /* Translators: a block's subtitle: its id and its number of parameters ("1.2k") */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s param", "%s · %s params",
                                           (gulong) MIN (params, G_MAXLONG)),
                              node->id, count);
    default:
      /* Translators: a block's subtitle: its id, and that it has no parameters */
      return g_strdup_printf (_("%s · 0 params"), node->id);
    }
}

/* Drawing -------------------------------------------------------------------------------- */

static void
draw_background (NwEditor *self, cairo_t *cr, int width, int height)
{
  double step = 24.0 * self->scale;
  nw_plot_rgb (cr, BACKGROUND_COLOR, 1.0);
  cairo_paint (cr);
  if (step < 8)
    return;
  nw_plot_rgb (cr, GRID_COLOR, 1.0);
  for (double x = fmod (self->tx, step); x < width; x += step)
    for (double y = fmod (self->ty, step); y < height; y += step)
      cairo_rectangle (cr, floor (x), floor (y), 1.5, 1.5);
  cairo_fill (cr);
}

/* Wires first, then their shape labels on top of every wire (blocks come after both). */
static void
draw_edges (NwEditor *self, cairo_t *cr)
{
  for (int pass = 0; pass < 2; pass++)
    for (guint e = 0; e < nw_editor_spec (self)->edges->len; e++)
      {
        const NwEdgeSpec *edge = g_ptr_array_index (nw_editor_spec (self)->edges, e);
        gboolean marked = nw_editor_edge_is_marked (self, edge);
        gboolean selected = (int) e == nw_graph_model_get_selected_edge (self->model);
        WireGeom g;
        double mx, my;
        int width;
        g_autofree char *label = NULL;

        if ((int) e == self->wire_detached && self->drag_mode == NW_DRAG_WIRE)
          continue;
        if (!edge_geom (self, edge, &g))
          continue;
        if (pass == 0)
          {
            wire_path (cr, &g);
            nw_plot_rgb (cr, marked ? ERROR_COLOR : selected ? SELECT_COLOR : WIRE_COLOR, 1.0);
            cairo_set_line_width (cr, marked || selected ? 3.0 : 2.0);
            cairo_stroke (cr);
            continue;
          }
        wire_midpoint (&g, &mx, &my);
        width = nw_graph_model_width_at (self->model, nw_editor_node_index (self, edge->from));
        label = width > 0 ? g_strdup_printf ("×%d", width) : g_strdup ("×?");
        boxed_label (self, cr, label, mx, my, text_size (self, LABEL_SIZE, 13), 0,
                     marked ? ERROR_COLOR : NW_COLOUR_INK,
                     marked ? ERROR_COLOR : selected ? SELECT_COLOR : NW_COLOUR_GRID, TRUE, 0, 0);
      }
}

static void
draw_port (cairo_t *cr, double x, double y, gboolean filled, gboolean target, gboolean free_extra)
{
  cairo_new_path (cr);
  cairo_arc (cr, x, y, target ? NW_PORT_RADIUS + 2 : NW_PORT_RADIUS, 0, 2 * G_PI);
  if (target)
    nw_plot_rgb (cr, TARGET_COLOR, 1.0);
  else
    nw_plot_rgb (cr, filled ? 0x5e5c64 : 0xffffff, 1.0);
  cairo_fill_preserve (cr);
  nw_plot_rgb (cr, 0x3d3846, 1.0);
  cairo_set_line_width (cr, 1.2);
  if (free_extra)
    {
      double dash[] = { 2.0, 2.0 };
      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
draw_toggle (NwEditor *self, cairo_t *cr, const NwNodeSpec *node)
{
  NwRect t;
  double knob;
  nw_editor_toggle_rect (self, node, &t);
  nw_plot_round_rect (cr, t.x, t.y, t.width, t.height, t.height / 2);
  nw_plot_rgb (cr, node->enabled ? SELECT_COLOR : 0x9a9996, 1.0);
  cairo_fill (cr);
  knob = node->enabled ? t.x + t.width - t.height / 2 : t.x + t.height / 2;
  cairo_arc (cr, knob, t.y + t.height / 2, t.height / 2 - 2, 0, 2 * G_PI);
  nw_plot_rgb (cr, 0xffffff, 1.0);
  cairo_fill (cr);
}

static void
draw_thumb (cairo_t *cr, cairo_surface_t *surface, int grid_n, const NwRect *r, cairo_filter_t filter)
{
  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_clip (cr);
  cairo_translate (cr, r->x, r->y);
  cairo_scale (cr, r->width / grid_n, r->height / grid_n);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), filter);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
}

static void
draw_block (NwEditor *self, cairo_t *cr, int i)
{
  const NwNodeSpec *node = g_ptr_array_index (nw_editor_spec (self)->nodes, (guint) i);
  gboolean selected = g_strcmp0 (nw_graph_model_get_selected (self->model), node->id) == 0;
  gboolean marked = nw_graph_model_node_is_marked (self->model, node->id);
  gboolean off = nw_graph_model_node_has_toggle (node) && !node->enabled;
  gboolean has_toggle = nw_graph_model_node_has_toggle (node);
  g_autofree char *title = nw_graph_model_dup_node_title (self->model, node);
  g_autofree char *sub = block_subtitle (self, i, node);
  int ports = nw_editor_n_input_ports (self, node);
  int fed = nw_graph_model_n_fed_ports (self->model, node);
  int thumbs = nw_editor_n_thumbs (self, node);
  gboolean has_output = FALSE;
  double rgb[3];
  NwRect r;

  nw_editor_block_rect (self, node, &r);
  nw_editor_kind_color (node->kind, rgb);

  /* shadow, body, outline */
  nw_plot_round_rect (cr, r.x + 1.5, r.y + 2.5, r.width, r.height, 8);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.10);
  cairo_fill (cr);
  if (selected)
    {
      nw_plot_round_rect (cr, r.x - 4, r.y - 4, r.width + 8, r.height + 8, 11);
      nw_plot_rgb (cr, SELECT_COLOR, 0.35);
      cairo_fill (cr);
    }
  nw_plot_round_rect (cr, r.x, r.y, r.width, r.height, 8);
  nw_plot_rgb (cr, 0xffffff, 1.0);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], off ? 0.35 : 1.0);
  cairo_fill_preserve (cr);
  if (marked)
    {
      nw_plot_rgb (cr, ERROR_COLOR, 1.0);
      cairo_set_line_width (cr, 3.0);
    }
  else if (selected)
    {
      nw_plot_rgb (cr, SELECT_COLOR, 1.0);
      cairo_set_line_width (cr, 2.5);
    }
  else
    {
      cairo_set_source_rgb (cr, rgb[0] * 0.55, rgb[1] * 0.55, rgb[2] * 0.55);
      cairo_set_line_width (cr, 1.2);
    }
  if (off && !marked && !selected)
    {
      double dash[] = { 4.0, 3.0 };
      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* title and subtitle: grown up to what the block holds above its thumbnails when the view
   * is zoomed out, the subtitle right under the title */
  {
    double title_h, sub_y, sub_size = text_size (self, SUB_SIZE, 14), room, sub_h;
    nw_plot_rgb (cr, TEXT_COLOR, off ? 0.55 : 1.0);
    title_h = show_text (self, cr, title, r.x + 10, r.y + 6, text_size (self, TITLE_SIZE, 15.5),
                         TRUE, r.width - (has_toggle ? 48 : 20));
    /* The subtitle between the title and the thumbnails (or the block's foot): smaller when
     * a font with tall lines (Hangul) would reach them. */
    sub_y = r.y + 6 + MAX (title_h, 18);
    room = (thumbs > 0 ? r.y + THUMBS_TOP - 1 : r.y + r.height - 3) - sub_y;
    {
      PangoLayout *probe = make_layout (self, sub, sub_size, FALSE);
      int w, h;
      pango_layout_get_pixel_size (probe, &w, &h);
      g_object_unref (probe);
      sub_h = h;
    }
    if (sub_h > room && room > 4)
      sub_size = MAX (SUB_SIZE * 0.8, sub_size * room / sub_h);
    nw_plot_rgb (cr, TEXT_COLOR, off ? 0.45 : 0.72);
    show_text (self, cr, sub, r.x + 10, sub_y, sub_size, FALSE, r.width - 20);
  }

  if (has_toggle)
    draw_toggle (self, cr, node);

  if (thumbs > 0)
    {
      const NwNeuronImages *images = g_hash_table_lookup (self->neuron_images, node->id);
      for (int u = 0; u < thumbs; u++)
        {
          NwRect t;
          gboolean hovered = self->hover.kind == NW_HIT_THUMB && self->hover.node == i
                             && self->hover.unit == u;
          nw_editor_thumb_rect (self, node, u, &t);
          draw_thumb (cr, images->surfaces[u], images->grid_n, &t, CAIRO_FILTER_GOOD);
          cairo_rectangle (cr, t.x, t.y, t.width, t.height);
          nw_plot_rgb (cr, hovered ? SELECT_COLOR : 0x3d3846, hovered ? 1.0 : 0.5);
          cairo_set_line_width (cr, hovered ? 2.0 : 0.8);
          cairo_stroke (cr);
        }
      if (images->n_units > thumbs)
        {
          g_autofree char *more = g_strdup_printf ("+%d", images->n_units - thumbs);
          nw_plot_rgb (cr, TEXT_COLOR, 0.7);
          show_text (self, cr, more, r.x + r.width - 30, r.y + r.height - 14, SUB_SIZE, FALSE, 0);
        }
    }

  /* ports */
  for (int p = 0; p < ports; p++)
    {
      double px, py;
      gboolean target = self->drag_mode == NW_DRAG_WIRE && !self->wire_from_input
                        && self->wire_target.kind == NW_HIT_INPUT_PORT
                        && self->wire_target.node == i && self->wire_target.port == p;
      nw_editor_input_port_pos (self, node, p, &px, &py);
      draw_port (cr, px, py, nw_graph_model_edge_into (self->model, node->id, p) >= 0, target,
                 p >= fed && (node->kind == NW_NODE_ADD || node->kind == NW_NODE_CONCAT));
    }
  if (node->kind != NW_NODE_LOSS)
    {
      double px, py;
      gboolean target = self->drag_mode == NW_DRAG_WIRE && self->wire_from_input
                        && self->wire_target.kind == NW_HIT_OUTPUT_PORT
                        && self->wire_target.node == i;
      for (guint e = 0; !has_output && e < nw_editor_spec (self)->edges->len; e++)
        has_output = g_strcmp0 (((NwEdgeSpec *) g_ptr_array_index (nw_editor_spec (self)->edges, e))->from,
                                node->id) == 0;
      nw_editor_output_port_pos (self, node, &px, &py);
      draw_port (cr, px, py, has_output, target, FALSE);
    }
}

/* The reason beside what it marks, drawn on the widget (not scaled with the view) and kept
 * inside the canvas: a marked block at its edge would push the box out of sight. FALSE if it
 * names nothing on the canvas. */
static gboolean
draw_reason (NwEditor *self, cairo_t *cr, int width, int height)
{
  const char *reason = nw_graph_model_get_invalid_reason (self->model);
  const char *error_node = nw_graph_model_get_error_node (self->model);
  const char *error_from = NULL, *error_to = NULL;
  double x, y;

  if (nw_graph_model_get_valid (self->model) || reason == NULL)
    return TRUE;
  nw_graph_model_get_error_edge (self->model, &error_from, &error_to);
  if (error_node != NULL)
    {
      const NwNodeSpec *node = nw_spec_find_node (nw_editor_spec (self), error_node);
      NwRect r;
      if (node == NULL)
        return FALSE;
      nw_editor_block_rect (self, node, &r);
      x = r.x;
      y = r.y + r.height + 8;
      /* below the wires that run back under the block, if any */
      for (guint e = 0; e < nw_editor_spec (self)->edges->len; e++)
        {
          WireGeom g;
          if (edge_geom (self, g_ptr_array_index (nw_editor_spec (self)->edges, e), &g) && g.back
              && g.ymid > r.y + r.height && g.ymid < y + 20
              && MIN (g.x0, g.x3) - WIRE_TURN < r.x + r.width && MAX (g.x0, g.x3) + WIRE_TURN > r.x)
            y = g.ymid + 12;
        }
    }
  else if (error_from != NULL)
    {
      const NwEdgeSpec *edge = NULL;
      WireGeom g;
      for (guint e = 0; edge == NULL && e < nw_editor_spec (self)->edges->len; e++)
        {
          const NwEdgeSpec *candidate = g_ptr_array_index (nw_editor_spec (self)->edges, e);
          if (g_strcmp0 (candidate->from, error_from) == 0
              && g_strcmp0 (candidate->to, error_to) == 0)
            edge = candidate;
        }
      if (edge == NULL || !edge_geom (self, edge, &g))
        return FALSE;
      wire_midpoint (&g, &x, &y);
      y += 14;
    }
  else
    return FALSE;
  nw_editor_to_widget (self, x, y, &x, &y);
  {
    double size = nw_plot_text_px (cr, NW_TEXT_SMALL);
    boxed_label (self, cr, reason, x, y, size, MIN (width - 24, 24 * size), ERROR_COLOR,
                 ERROR_COLOR, FALSE, width, height);
  }
  return TRUE;
}

static void
draw_wire_in_progress (NwEditor *self, cairo_t *cr)
{
  const NwNodeSpec *node = g_ptr_array_index (nw_editor_spec (self)->nodes, (guint) self->wire_node);
  double px, py, cx, cy;
  double dash[] = { 6.0, 4.0 };
  WireGeom g;

  /* The wire being drawn follows the pointer: always a plain curve. */
  nw_editor_to_canvas (self, self->pointer_x, self->pointer_y, &cx, &cy);
  if (self->wire_from_input)
    {
      nw_editor_input_port_pos (self, node, self->wire_port, &px, &py);
      wire_geom (self, cx, cy, px, py, -G_MAXDOUBLE, &g);
    }
  else
    {
      nw_editor_output_port_pos (self, node, &px, &py);
      wire_geom (self, px, py, cx, cy, -G_MAXDOUBLE, &g);
    }
  wire_path (cr, &g);
  nw_plot_rgb (cr, self->wire_target.kind != NW_HIT_NONE ? TARGET_COLOR : SELECT_COLOR, 1.0);
  cairo_set_line_width (cr, 2.5);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
draw_hovered_neuron (NwEditor *self, cairo_t *cr, int width, int height)
{
  const NwNodeSpec *node;
  const NwNeuronImages *images;
  g_autofree char *caption = NULL;
  double size = 168, x, y, line;
  NwRect r;

  if (self->hover.kind != NW_HIT_THUMB || self->drag_mode != NW_DRAG_NONE
      || self->hover.node < 0 || (guint) self->hover.node >= nw_editor_spec (self)->nodes->len)
    return;
  node = g_ptr_array_index (nw_editor_spec (self)->nodes, (guint) self->hover.node);
  images = g_hash_table_lookup (self->neuron_images, node->id);
  if (images == NULL || self->hover.unit >= images->n_units)
    return;
  x = self->pointer_x + 18;
  y = self->pointer_y + 18;
  if (x + size + 8 > width)
    x = self->pointer_x - size - 18;
  if (y + size + 40 > height)
    y = self->pointer_y - size - 44;
  x = MAX (x, 4);
  y = MAX (y, 4);

  nw_plot_round_rect (cr, x - 6, y - 6, size + 12, size + 44, 8);
  nw_plot_rgb (cr, NW_COLOUR_PAPER, 0.97);
  cairo_fill_preserve (cr);
  nw_plot_rgb (cr, NW_COLOUR_INK, 0.4);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  r = (NwRect) { x, y, size, size };
  draw_thumb (cr, images->surfaces[self->hover.unit], images->grid_n, &r, CAIRO_FILTER_BILINEAR);
  {
    g_autofree char *title = nw_graph_model_dup_node_title (self->model, node);
    caption = g_strdup_printf (_("%s ‘%s’ · unit %d of %d"), title, node->id, self->hover.unit + 1,
                               images->n_units);
  }
  nw_plot_rgb (cr, NW_COLOUR_INK, 1.0);
  line = show_text (self, cr, caption, x, y + size + 4, nw_plot_text_px (cr, NW_TEXT_SMALL), FALSE,
                    size);
  {
    char lo[32], hi[32];
    g_autofree char *range = NULL;
    nw_plot_format (images->lo, lo, sizeof lo);
    nw_plot_format (images->hi, hi, sizeof hi);
    range = g_strdup_printf (_("blue %s · orange %s"), lo, hi);
    nw_plot_rgb (cr, NW_COLOUR_MUTED, 1.0);
    show_text (self, cr, range, x, y + size + 4 + line, nw_plot_text_px (cr, NW_TEXT_SMALL), FALSE,
               size);
  }
}

static void
draw_banner (NwEditor *self, cairo_t *cr, const char *text, int width, int height)
{
  boxed_label (self, cr, text, 12, 12, nw_plot_text_px (cr, NW_TEXT_NORMAL), MAX (width - 40, 60),
               ERROR_COLOR, ERROR_COLOR, FALSE, width, height);
}

/* The box every block (and the wires turning round them) lies in. */
static void
content_bounds (NwEditor *self, double *x0, double *y0, double *x1, double *y1)
{
  *x0 = *y0 = G_MAXDOUBLE;
  *x1 = *y1 = -G_MAXDOUBLE;
  for (guint i = 0; i < nw_editor_spec (self)->nodes->len; i++)
    {
      NwRect r;
      nw_editor_block_rect (self, g_ptr_array_index (nw_editor_spec (self)->nodes, i), &r);
      *x0 = MIN (*x0, r.x - 40);           /* ports and turning wires stick out */
      *y0 = MIN (*y0, r.y);
      *x1 = MAX (*x1, r.x + r.width + 40);
      *y1 = MAX (*y1, r.y + r.height + 24); /* room for a reason label */
    }
}

#define FIT_MARGIN 16.0

static double
fit_scale (NwEditor *self, int width, int height)
{
  double x0, y0, x1, y1;
  content_bounds (self, &x0, &y0, &x1, &y1);
  return MIN (nw_editor_text_factor (self),
              MIN ((width - 2 * FIT_MARGIN) / (x1 - x0), (height - 2 * FIT_MARGIN) / (y1 - y0)));
}

void
nw_editor_kind_color (NwNodeKind kind, double rgb[3])
{
  /* GNOME palette, light shades; red is kept for errors. */
  static const guint32 colors[NW_N_NODE_KINDS] = {
    0x8ff0a4, /* input: green */
    0x99c1f1, /* dense: blue */
    0xf9f06b, /* activation: yellow */
    0xffbe6f, /* dropout: orange */
    0xdc8add, /* batchnorm: purple */
    0xe5c1f0, /* layernorm: light purple */
    0xdeddda, /* add: light grey */
    0xcdab8f, /* concat: brown */
    0x93ddd5, /* loss: teal */
  };
  guint32 c = (int) kind >= 0 && kind < NW_N_NODE_KINDS ? colors[kind] : 0xc0bfbc;
  rgb[0] = ((c >> 16) & 0xff) / 255.0;
  rgb[1] = ((c >> 8) & 0xff) / 255.0;
  rgb[2] = (c & 0xff) / 255.0;
}

/* Layout --------------------------------------------------------------------------------- */

/* Blocks grow with their ports and neuron thumbnails, which only the widget knows: the model
 * lays them out with the heights they are drawn at. */
void
nw_editor_auto_layout (NwEditor *self, int columns)
{
  const NwSpec *spec = nw_editor_spec (self);
  g_autofree double *heights = g_new0 (double, MAX (spec->nodes->len, 1));

  for (guint i = 0; i < spec->nodes->len; i++)
    {
      NwRect r;
      nw_editor_block_rect (self, g_ptr_array_index (spec->nodes, i), &r);
      heights[i] = r.height;
    }
  nw_graph_model_auto_layout (self->model, columns, heights);
}

/* The number of columns that shows the network largest on this canvas (at 1:1, the most). */
static void
adapt_layout (NwEditor *self, int width, int height)
{
  int depth = nw_graph_model_get_layout_depth (self->model);
  int best = 1;
  double best_scale = -1;

  for (int columns = 1; columns <= depth; columns++)
    {
      double s;
      nw_editor_auto_layout (self, columns);
      s = fit_scale (self, width, height);
      if (s >= best_scale - 1e-9)
        {
          best = columns;
          best_scale = s;
        }
    }
  nw_editor_auto_layout (self, best);
}

void
nw_editor_do_fit_view (NwEditor *self, int width, int height)
{
  double x0, y0, x1, y1;
  double margin = FIT_MARGIN, s;

  if (width <= 0 || height <= 0)
    return;
  if (nw_editor_spec (self)->nodes->len == 0)
    {
      self->scale = 1;
      self->tx = self->ty = 0;
      return;
    }
  content_bounds (self, &x0, &y0, &x1, &y1);
  s = MIN ((width - 2 * margin) / (x1 - x0), (height - 2 * margin) / (y1 - y0));
  s = CLAMP (s, NW_EDITOR_MIN_SCALE, nw_editor_text_factor (self));
  self->scale = s;
  self->tx = (width - (x1 - x0) * s) / 2 - x0 * s;
  self->ty = (height - (y1 - y0) * s) / 2 - y0 * s;
  /* Too big to fit: show the top-left corner rather than the middle. */
  if ((x1 - x0) * s > width - 2 * margin)
    self->tx = margin - x0 * s;
  if ((y1 - y0) * s > height - 2 * margin)
    self->ty = margin - y0 * s;
}

void
nw_editor_draw (NwEditor *self, cairo_t *cr, int width, int height)
{
  guint n = nw_editor_spec (self)->nodes->len;
  gboolean reason_drawn;

  nw_plot_begin (cr, self->canvas);
  if (width > 0 && height > 0
      && (width != self->view_w || height != self->view_h
          || nw_editor_text_factor (self) != self->view_text_factor))
    {
      /* A new size or font (the zoom): a layout the editor made takes the canvas's shape,
       * and a view the user has not moved is fitted again. */
      self->view_w = width;
      self->view_h = height;
      self->view_text_factor = nw_editor_text_factor (self);
      if (nw_graph_model_get_layout_fresh (self->model))
        adapt_layout (self, width, height);
      if (!self->view_touched)
        self->fit_pending = TRUE;
    }
  if (self->fit_pending && width > 0 && height > 0)
    {
      nw_editor_do_fit_view (self, width, height);
      self->fit_pending = FALSE;
    }

  draw_background (self, cr, width, height);

  if (n == 0)
    {
      nw_plot_empty_message (cr, width, height,
                             _("Drag blocks here from the palette, or click one "
                               "to add it.\nWire a block's output (right) to "
                               "another's input (left)."));
      return;
    }

  cairo_save (cr);
  cairo_translate (cr, self->tx, self->ty);
  cairo_scale (cr, self->scale, self->scale);
  draw_edges (self, cr);
  for (guint k = 0; k < n; k++)
    draw_block (self, cr, draw_order (self, k));
  if (self->drag_mode == NW_DRAG_WIRE && self->wire_node >= 0 && (guint) self->wire_node < n)
    draw_wire_in_progress (self, cr);
  cairo_restore (cr);
  reason_drawn = draw_reason (self, cr, width, height);
  if (!reason_drawn)
    draw_banner (self, cr, nw_graph_model_get_invalid_reason (self->model), width, height);

  draw_hovered_neuron (self, cr, width, height);
}

/* Neuron images -------------------------------------------------------------------------- */

void
nw_neuron_images_free (gpointer data)
{
  NwNeuronImages *images = data;
  if (images == NULL)
    return;
  for (int u = 0; u < images->n_units; u++)
    cairo_surface_destroy (images->surfaces[u]);
  g_free (images->surfaces);
  g_free (images);
}

/* The boundary view's scale, so that a unit's map and the boundary read alike: low blue,
 * the middle neutral, high orange. */
static guint32
map_colour (float v, float lo, float hi)
{
  double r, g, b;
  if (!isfinite (v))
    return 0x000000;
  nw_plot_probability_rgb (hi > lo ? (v - lo) / (hi - lo) : 0.5, &r, &g, &b);
  return ((guint32) lround (r * 255) << 16) | ((guint32) lround (g * 255) << 8) | (guint32) lround (b * 255);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Which blocks show their units' maps, in words (screen readers, the AT-SPI tests); set only
 * when that changes, not with every new map. */
void
nw_editor_describe_neuron_images (NwEditor *self)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL, *list = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->neuron_images);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      int n = ((NwNeuronImages *) value)->n_units;
      /* Translators: a layer with neuron maps in the editor's description: its id, its units */
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%d unit)",
                                                            "%s (%d units)", (gulong) n),
                                               (const char *) key, n));
    }
  g_ptr_array_sort (parts, compare_strings);
  g_ptr_array_add (parts, NULL);
  list = g_strjoinv (", ", (char **) parts->pdata);
  text = parts->len > 1 ? g_strdup_printf (_("Each unit's output over the data plane, in %s"), list)
                        : g_strdup ("");
  if (g_strcmp0 (text, self->maps_description) == 0)
    return;
  g_free (self->maps_description);
  self->maps_description = g_steal_pointer (&text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->maps_description, -1);
}

void
nw_editor_set_neuron_images (NwEditor *self, const char *node_id, const float *values,
                             int n_units, int grid_n, float lo, float hi)
{
  NwNeuronImages *images;

  g_return_if_fail (NW_IS_EDITOR (self));
  g_return_if_fail (node_id != NULL);

  if (values == NULL || n_units <= 0 || grid_n <= 0 || grid_n > 1024)
    {
      if (g_hash_table_remove (self->neuron_images, node_id))
        {
          nw_editor_describe_neuron_images (self);
          gtk_widget_queue_draw (self->canvas);
        }
      return;
    }
  images = g_new0 (NwNeuronImages, 1);
  images->n_units = n_units;
  images->grid_n = grid_n;
  images->lo = lo;
  images->hi = hi;
  images->surfaces = g_new0 (cairo_surface_t *, n_units);
  for (int u = 0; u < n_units; u++)
    {
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, grid_n, grid_n);
      unsigned char *data = cairo_image_surface_get_data (s);
      int stride = cairo_image_surface_get_stride (s);
      const float *v = values + (gsize) u * grid_n * grid_n;
      cairo_surface_flush (s);
      for (int row = 0; row < grid_n; row++)
        {
          guint32 *line = (guint32 *) (void *) (data + (gsize) row * stride);
          for (int col = 0; col < grid_n; col++)
            line[col] = map_colour (v[row * grid_n + col], lo, hi);
        }
      cairo_surface_mark_dirty (s);
      images->surfaces[u] = s;
    }
  {
    gboolean had = g_hash_table_contains (self->neuron_images, node_id);
    g_hash_table_insert (self->neuron_images, g_strdup (node_id), images);
    if (!had && nw_graph_model_get_layout_fresh (self->model))
      self->view_w = self->view_h = 0;   /* blocks grew: lay out and fit again */
  }
  nw_editor_describe_neuron_images (self);
  gtk_widget_queue_draw (self->canvas);
}

int
nw_editor_get_n_neuron_images (NwEditor *self, const char *node_id)
{
  const NwNeuronImages *images;
  g_return_val_if_fail (NW_IS_EDITOR (self), 0);
  images = g_hash_table_lookup (self->neuron_images, node_id);
  return images != NULL ? images->n_units : 0;
}

void
nw_editor_show_snapshot_maps (NwEditor *self, const NwSnapshot *snap, const char *const *ids)
{
  for (int i = 0; i < snap->n_layers; i++)
    {
      const NwLayerProbe *p = &snap->layers[i];
      if (p->maps != NULL && snap->map_n > 0)
        nw_editor_set_neuron_images (self, ids[i], p->maps, p->width, snap->map_n,
                                     p->map_lo, p->map_hi);
      else if (p->kind == NW_NODE_DENSE || p->kind == NW_NODE_ACTIVATION)
        nw_editor_set_neuron_images (self, ids[i], NULL, 0, 0, 0, 0);
    }
}

void
nw_editor_clear_neuron_images (NwEditor *self)
{
  g_return_if_fail (NW_IS_EDITOR (self));
  g_hash_table_remove_all (self->neuron_images);
  nw_editor_describe_neuron_images (self);
  gtk_widget_queue_draw (self->canvas);
}
