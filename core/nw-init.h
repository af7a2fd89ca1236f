/* nw-init.h: parameter initializers, on the host, from the run's generator. */
#pragma once

#include "nw-rng.h"
#include "nw-types.h"

G_BEGIN_DECLS

/* Fills dst[0..n) for a layer with the given fans. constant uses `param` as its value;
 * normal (std) and uniform (bound) take 1 when `param` <= 0. For a bias, torch_default
 * is U(+-1/sqrt(fan_in)) like nn.Linear's; the fan-based initializers use the layer's fans. */
void nw_init_fill (NwInit kind, double param, int fan_in, int fan_out,
                   NwRng *rng, nw_real *dst, gsize n);

G_END_DECLS
