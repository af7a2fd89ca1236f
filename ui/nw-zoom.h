/* nw-zoom.h: the program's zoom, for a projector: one level (1.0 = 100%) that scales the text,
 * and with it every plot and the editor, in every Neurowire window.
 *
 * The level is applied through a CSS provider on the display: `window.neurowire { font-size:
 * N% }` (NwWindow carries the style class "neurowire"). Every label inherits the window's
 * font size; the plots and the editor read their widget's font (nw-plot.h), so their text,
 * margins and least sizes follow. Nothing else needs telling: a change restyles the windows.
 *
 * Remembered between runs: NwWindow binds the "level" property to the settings' "zoom" key
 * (data/org.neurowire.Neurowire.gschema.xml, same range). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NW_ZOOM_MIN     0.8
#define NW_ZOOM_MAX     2.0
#define NW_ZOOM_DEFAULT 1.0

#define NW_TYPE_ZOOM (nw_zoom_get_type ())
G_DECLARE_FINAL_TYPE (NwZoom, nw_zoom, NW, ZOOM, GObject)

/* The process's zoom, applied to the default display from the first call (borrowed; lives
 * until the process ends). Call on the main thread after gtk_init. */
NwZoom     *nw_zoom_get_default   (void);
/* A zoom of its own for `display` (tests); new. */
NwZoom     *nw_zoom_new           (GdkDisplay *display);

double      nw_zoom_get_level     (NwZoom *self);
/* Clamped to [NW_ZOOM_MIN, NW_ZOOM_MAX]; notifies "level" on a change. */
void        nw_zoom_set_level     (NwZoom *self, double level);
/* One step in (+1) or out (-1) along 80, 90, 100, 110, 125, 150, 175, 200%; 0: back to
 * 100%. Returns whether the level changed. */
gboolean    nw_zoom_step          (NwZoom *self, int direction);
gboolean    nw_zoom_can_step      (NwZoom *self, int direction);
/* "125%", new. */
char       *nw_zoom_dup_label     (NwZoom *self);
/* The CSS the level applies (for tests and the debug output), new. */
char       *nw_zoom_dup_css       (NwZoom *self);

G_END_DECLS
