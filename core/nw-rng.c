/* nw-rng.c: xoshiro256** (Blackman & Vigna), seeded by splitmix64. */
#include "nw-rng.h"

#include <math.h>

void
nw_rng_init (NwRng *rng, guint64 seed)
{
  guint64 x = seed;
  for (int i = 0; i < 4; i++)
    {
      x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
      rng->s[i] = nw_mix64 (x);
    }
  rng->has_spare = FALSE;
  rng->spare = 0;
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
nw_rng_next (NwRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

double
nw_rng_uniform (NwRng *rng)
{
  return (double) (nw_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

double
nw_rng_normal (NwRng *rng)
{
  double u, v;
  if (rng->has_spare)
    {
      rng->has_spare = FALSE;
      return rng->spare;
    }
  do
    u = nw_rng_uniform (rng);
  while (u <= 0.0);
  v = nw_rng_uniform (rng);
  rng->spare = sqrt (-2.0 * log (u)) * sin (2.0 * G_PI * v);
  rng->has_spare = TRUE;
  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

guint32
nw_rng_below (NwRng *rng, guint32 bound)
{
  /* Lemire's multiply-and-reject: unbiased without a division in the common case. */
  guint64 m = (nw_rng_next (rng) >> 32) * (guint64) bound;
  guint32 l = (guint32) m;
  if (l < bound)
    {
      guint32 threshold = (guint32) (-bound) % bound;
      while (l < threshold)
        {
          m = (nw_rng_next (rng) >> 32) * (guint64) bound;
          l = (guint32) m;
        }
    }
  return (guint32) (m >> 32);
}

void
nw_rng_shuffle (NwRng *rng, gint32 *items, gsize n)
{
  for (gsize i = n; i > 1; i--)
    {
      gsize j = nw_rng_below (rng, (guint32) i);
      gint32 t = items[i - 1];
      items[i - 1] = items[j];
      items[j] = t;
    }
}
