/* nw-i18n.h: the words a person reads, through gettext (po/, domain GETTEXT_PACKAGE).
 *
 * Every part includes this header, not <glib/gi18n.h>: _() looks a string up in Neurowire's
 * own domain (g_dgettext), so core's and cl's error messages and ui's labels are translated
 * whatever the default domain is. core needs no GTK for it (gettext is in libc). Nothing here
 * sets the locale: app/ does that (setlocale, bindtextdomain) before anything is translated;
 * a program that never does, such as the tests, keeps the English texts.
 *
 *   _("...")                   a string translated where it is used
 *   N_("...")                  marked in a static table (node kinds, fields, activations,
 *                              the CLI's subcommands), translated with _() where shown
 *   C_("context", "...")       the same words that translate differently by context
 *   g_dngettext (GETTEXT_PACKAGE, "%d unit", "%d units", n)   counts
 *
 * GETTEXT_PACKAGE comes from the top-level meson.build. */
#pragma once

#include <glib/gi18n-lib.h>
