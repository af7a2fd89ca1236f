/* nw-zoom.c: the program's zoom level and the CSS that applies it (nw-zoom.h). */
#include "nw-zoom.h"

#include <math.h>

struct _NwZoom
{
  GObject         parent_instance;
  double          level;
  GdkDisplay     *display;
  GtkCssProvider *provider;
};

G_DEFINE_FINAL_TYPE (NwZoom, nw_zoom, G_TYPE_OBJECT)

enum { PROP_0, PROP_LEVEL, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* The steps, as GNOME's apps take them near 100%. */
static const double steps[] = { 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0 };

char *
nw_zoom_dup_css (NwZoom *self)
{
  int percent = (int) lround (self->level * 100);
  g_return_val_if_fail (NW_IS_ZOOM (self), NULL);
  if (percent == 100)
    return g_strdup ("");
  /* The window's font, which every label inherits and the plots and the editor read; the
   * symbolic icons in buttons grow with it. Percentages of the theme's font, so Large Text
   * and the theme's size still count. */
  return g_strdup_printf ("window.neurowire { font-size: %d%%; }\n"
                          "window.neurowire button image, window.neurowire menubutton image,\n"
                          "window.neurowire popover image { -gtk-icon-size: %dpx; }\n",
                          percent, (int) lround (16 * self->level));
}

static void
apply (NwZoom *self)
{
  g_autofree char *css = NULL;
  if (self->display == NULL)
    return;
  css = nw_zoom_dup_css (self);
  if (self->provider == NULL)
    {
      self->provider = gtk_css_provider_new ();
      /* Above the program's own style sheet (nw_ui_load_css): the zoom wins. */
      gtk_style_context_add_provider_for_display (self->display,
                                                  GTK_STYLE_PROVIDER (self->provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  gtk_css_provider_load_from_data (self->provider, css, -1);
}

double
nw_zoom_get_level (NwZoom *self)
{
  g_return_val_if_fail (NW_IS_ZOOM (self), NW_ZOOM_DEFAULT);
  return self->level;
}

void
nw_zoom_set_level (NwZoom *self, double level)
{
  g_return_if_fail (NW_IS_ZOOM (self));
  if (!isfinite (level))
    level = NW_ZOOM_DEFAULT;
  level = CLAMP (level, NW_ZOOM_MIN, NW_ZOOM_MAX);
  if (fabs (level - self->level) < 1e-6)
    return;
  self->level = level;
  apply (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}

/* The next step above (direction > 0) or below the level, or the level itself at the end. */
static double
next_step (double level, int direction)
{
  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        if (steps[i] > level + 1e-6)
          return steps[i];
    }
  else
    {
      for (guint i = G_N_ELEMENTS (steps); i-- > 0;)
        if (steps[i] < level - 1e-6)
          return steps[i];
    }
  return level;
}

gboolean
nw_zoom_can_step (NwZoom *self, int direction)
{
  g_return_val_if_fail (NW_IS_ZOOM (self), FALSE);
  if (direction == 0)
    return fabs (self->level - NW_ZOOM_DEFAULT) > 1e-6;
  return fabs (next_step (self->level, direction) - self->level) > 1e-6;
}

gboolean
nw_zoom_step (NwZoom *self, int direction)
{
  double before;
  g_return_val_if_fail (NW_IS_ZOOM (self), FALSE);
  before = self->level;
  nw_zoom_set_level (self, direction == 0 ? NW_ZOOM_DEFAULT : next_step (self->level, direction));
  return self->level != before;
}

char *
nw_zoom_dup_label (NwZoom *self)
{
  g_return_val_if_fail (NW_IS_ZOOM (self), NULL);
  return g_strdup_printf ("%d%%", (int) lround (self->level * 100));
}

static void
nw_zoom_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NwZoom *self = NW_ZOOM (object);
  switch (prop_id)
    {
    case PROP_LEVEL:
      g_value_set_double (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_zoom_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  NwZoom *self = NW_ZOOM (object);
  switch (prop_id)
    {
    case PROP_LEVEL:
      nw_zoom_set_level (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nw_zoom_dispose (GObject *object)
{
  NwZoom *self = NW_ZOOM (object);
  if (self->provider != NULL && self->display != NULL)
    gtk_style_context_remove_provider_for_display (self->display,
                                                   GTK_STYLE_PROVIDER (self->provider));
  g_clear_object (&self->provider);
  g_clear_object (&self->display);
  G_OBJECT_CLASS (nw_zoom_parent_class)->dispose (object);
}

static void
nw_zoom_class_init (NwZoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = nw_zoom_get_property;
  object_class->set_property = nw_zoom_set_property;
  object_class->dispose = nw_zoom_dispose;
  /* The property a GSettings key binds to (g_settings_bind (settings, "zoom", zoom, "level",
   * G_SETTINGS_BIND_DEFAULT)). */
  properties[PROP_LEVEL] =
    g_param_spec_double ("level", NULL, NULL, NW_ZOOM_MIN, NW_ZOOM_MAX, NW_ZOOM_DEFAULT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nw_zoom_init (NwZoom *self)
{
  self->level = NW_ZOOM_DEFAULT;
}

NwZoom *
nw_zoom_new (GdkDisplay *display)
{
  NwZoom *self = g_object_new (NW_TYPE_ZOOM, NULL);
  self->display = display != NULL ? g_object_ref (display) : NULL;
  apply (self);
  return self;
}

NwZoom *
nw_zoom_get_default (void)
{
  /* One zoom per display, kept on the display itself (no static state): every window of the
   * program shares it; NwWindow binds it to the settings' "zoom" where there are settings. */
  GdkDisplay *display = gdk_display_get_default ();
  NwZoom *zoom = g_object_get_data (G_OBJECT (display), "nw-zoom");
  if (zoom == NULL)
    {
      zoom = nw_zoom_new (display);
      g_object_set_data_full (G_OBJECT (display), "nw-zoom", zoom, g_object_unref);
    }
  return zoom;
}
