/* layer-private.h: what the node kinds' files (core/layers/) share: the registry, the net's
 * insides and the shorthands their fields and passes are written with. */
#pragma once

#include "nw-node-kind.h"
#include "nw-net-private.h"
#include "nw-i18n.h"
#include "nw-rng.h"

#include <stddef.h>

#define NW_NODE(net, i) (&(net)->nodes[(i)])
#define NW_OPS(net) ((net)->backend->ops)

/* Field shorthands: a member of NwNodeSpec, its type, range, default and words. */
#define NW_FIELD_OFF(member) offsetof (NwNodeSpec, member)
#define NW_ANY_FINITE -G_MAXDOUBLE, G_MAXDOUBLE, FALSE, FALSE

/* Appends `v` as %g (locale-independent) through `format`, which has one %s for it. */
static inline void
nw_layer_append_double (GString *out, const char *format, double v)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_printf (out, format, g_ascii_formatd (num, sizeof num, "%g", v));
}
