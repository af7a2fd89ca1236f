/* nw-renderer.c: the renderer choice (nw-renderer.h). */
#include "nw-renderer.h"
#include "nw-i18n.h"

#include <epoxy/gl.h>
#include <string.h>

gboolean
nw_renderer_is_software (const char *gl_renderer)
{
  static const char *const names[] = {
    "llvmpipe", "softpipe", "swrast", "lavapipe", "swiftshader", "software rasterizer",
    "basic render driver", "software",
  };
  g_autofree char *lower = NULL;
  if (gl_renderer == NULL)
    return FALSE;
  lower = g_ascii_strdown (gl_renderer, -1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strstr (lower, names[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The OpenGL renderer's name through a context made for asking only; NULL and the error when
 * the display has no OpenGL. */
static char *
ask_gl_renderer (GdkDisplay *display, GError **error)
{
  g_autoptr (GdkGLContext) context = gdk_display_create_gl_context (display, error);
  const char *name;
  char *copy;
  if (context == NULL || !gdk_gl_context_realize (context, error))
    return NULL;
  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  copy = g_strdup (name != NULL ? name : "");
  gdk_gl_context_clear_current ();
  return copy;
}

void
nw_renderer_choose (GdkDisplay *display, const char *user_choice, NwRendererChoice *choice)
{
  g_autoptr (GError) error = NULL;
  gint64 t0;

  *choice = (NwRendererChoice) { 0 };
  if (user_choice != NULL && user_choice[0] != '\0')
    {
      choice->user = TRUE;
      choice->renderer = g_strdup (user_choice);
      /* Translators: why the program draws with this renderer: the user said so */
      choice->reason = g_strdup_printf (_("GSK_RENDERER=%s, set by the user"), user_choice);
      return;
    }
  if (display == NULL)
    {
      choice->reason = g_strdup (_("no display to ask: GTK's default"));
      return;
    }
  t0 = g_get_monotonic_time ();
  choice->gl_renderer = ask_gl_renderer (display, &error);
  choice->probe_ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (choice->gl_renderer == NULL)
    {
      choice->renderer = g_strdup ("cairo");
      /* Translators: why the program draws with GTK's Cairo renderer: OpenGL failed, and why */
      choice->reason = g_strdup_printf (_("no OpenGL (%s)"),
                                        error != NULL ? error->message : "?");
    }
  else if (nw_renderer_is_software (choice->gl_renderer))
    {
      choice->renderer = g_strdup ("cairo");
      /* Translators: why the program draws with GTK's Cairo renderer: the computer's OpenGL
       * is drawn by the processor (its name, such as llvmpipe), where Cairo is faster */
      choice->reason = g_strdup_printf (_("software OpenGL (%s): Cairo draws faster there"),
                                        choice->gl_renderer);
    }
  else
    /* Translators: why the program leaves GTK's OpenGL renderer: a graphics card (its name) */
    choice->reason = g_strdup_printf (_("OpenGL on the graphics card (%s)"), choice->gl_renderer);
}

void
nw_renderer_choice_clear (NwRendererChoice *choice)
{
  g_clear_pointer (&choice->renderer, g_free);
  g_clear_pointer (&choice->reason, g_free);
  g_clear_pointer (&choice->gl_renderer, g_free);
}

char *
nw_renderer_describe (const NwRendererChoice *choice)
{
  /* Translators: the About dialog's line: the renderer (cairo, gl, ...), then why */
  return g_strdup_printf (_("Renderer: %s — %s"),
                          choice->renderer != NULL ? choice->renderer : _("GTK's default (OpenGL)"),
                          choice->reason != NULL ? choice->reason : "");
}
