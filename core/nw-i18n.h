/* nw-i18n.h: marking strings for translation in core.
 *
 * core has no gettext domain of its own (yet): the strings of its static tables (the labels
 * and tooltips of node kinds, fields and activations) are marked with N_() so that xgettext
 * finds them, and the UI translates them with _() where it shows them. */
#pragma once

#ifndef N_
#define N_(s) (s)
#endif
