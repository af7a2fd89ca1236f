/* nw-ui.h: the desktop program's widget library: one call that readies it. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Registers the UI resources (templates, CSS, the default network) and the widget types that
 * templates name. Idempotent; call before building any window (tests too). */
void        nw_ui_init              (void);
/* The program's style sheet on `display` (once per display). */
void        nw_ui_load_css          (GdkDisplay *display);
/* The default network (examples/xor-deep-sigmoid.json), as compiled into the program. */
GBytes     *nw_ui_default_spec_json (void);

G_END_DECLS
