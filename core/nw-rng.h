/* nw-rng.h: explicit random number generators; every state lives in its run.
 *
 * NwRng (xoshiro256**, seeded through splitmix64) draws initial weights, shuffles and
 * generated data. Dropout masks come from a counter-based generator instead: the bit at index
 * i of step s is a pure function of (seed, counter), so a CPU and an OpenCL backend can draw
 * the same mask without sharing state. resources/kernels must mirror nw_counter_uniform. */
#pragma once

#include "nw-types.h"

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];
  gboolean has_spare;
  double   spare;
} NwRng;

void    nw_rng_init      (NwRng *rng, guint64 seed);
guint64 nw_rng_next      (NwRng *rng);
double  nw_rng_uniform   (NwRng *rng);                 /* [0, 1) */
double  nw_rng_normal    (NwRng *rng);                 /* N(0, 1), Box-Muller */
guint32 nw_rng_below     (NwRng *rng, guint32 bound);  /* [0, bound), unbiased */
void    nw_rng_shuffle   (NwRng *rng, gint32 *items, gsize n);

static inline guint64
nw_mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 24 bits, a pure function of (seed, counter). */
static inline float
nw_counter_uniform (guint64 seed, guint64 counter)
{
  guint64 z = nw_mix64 (seed + (counter + 1) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  return (float) (z >> 40) * (1.0f / 16777216.0f);
}

G_END_DECLS
