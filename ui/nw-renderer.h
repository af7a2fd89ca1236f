/* nw-renderer.h: which GSK renderer the program's windows get, and why.
 *
 * GTK's GL renderer is its default. On a machine whose OpenGL is software (a school PC in a
 * VM, llvmpipe; Xvfb) it draws the training window at a few frames a second where GTK's Cairo
 * renderer draws fifty (docs/decisions/0028-text-zoom-renderer.md): there the program takes
 * Cairo. A renderer the user chose (GSK_RENDERER) always wins.
 *
 * GTK reads GSK_RENDERER once, when it makes the first window's renderer: app/ decides with
 * nw_renderer_choose after gtk_init and before any window, and sets the variable itself. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  char    *renderer;     /* "cairo", "gl", ... as GSK_RENDERER names them; NULL: GTK's
                            default (its GL renderer), left to GTK */
  char    *reason;       /* why, in a sentence a person reads (About, the log) */
  char    *gl_renderer;  /* the OpenGL renderer's name (GL_RENDERER), when one was asked */
  gboolean user;         /* the user chose (GSK_RENDERER was set) */
  double   probe_ms;     /* how long asking OpenGL took */
} NwRendererChoice;

/* Decides for `display`. `user_choice` is GSK_RENDERER as the program found it (NULL or ""
 * when unset): kept as it is. Otherwise OpenGL is asked through a throwaway GdkGLContext:
 * software (nw_renderer_is_software) or none at all gives "cairo", a graphics card NULL. */
void        nw_renderer_choose        (GdkDisplay *display, const char *user_choice,
                                       NwRendererChoice *choice);
void        nw_renderer_choice_clear  (NwRendererChoice *choice);
/* Whether an OpenGL renderer's name (GL_RENDERER) is a software rasteriser: llvmpipe,
 * softpipe, swrast, lavapipe, SwiftShader, Microsoft's Basic Render Driver, "Software". */
gboolean    nw_renderer_is_software   (const char *gl_renderer);
/* "Renderer: cairo — software OpenGL (llvmpipe …)", new: the About dialog's line. */
char       *nw_renderer_describe      (const NwRendererChoice *choice);

G_END_DECLS
