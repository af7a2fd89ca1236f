/* nw-init.c: the initializers, as torch.nn.init defines them. */
#include "nw-init.h"

#include <math.h>

static void
fill_uniform (NwRng *rng, double bound, nw_real *dst, gsize n)
{
  for (gsize i = 0; i < n; i++)
    dst[i] = (nw_real) ((2 * nw_rng_uniform (rng) - 1) * bound);
}

static void
fill_normal (NwRng *rng, double std, nw_real *dst, gsize n)
{
  for (gsize i = 0; i < n; i++)
    dst[i] = (nw_real) (nw_rng_normal (rng) * std);
}

void
nw_init_fill (NwInit kind, double param, int fan_in, int fan_out, NwRng *rng,
              nw_real *dst, gsize n)
{
  double fi = MAX (fan_in, 1), fo = MAX (fan_out, 1);
  switch (kind)
    {
    case NW_INIT_TORCH_DEFAULT:
      /* kaiming_uniform_(a=sqrt(5)): gain sqrt(2/(1+5)), bound gain*sqrt(3/fan_in) =
       * 1/sqrt(fan_in); the bias uses the same bound. */
      fill_uniform (rng, 1.0 / sqrt (fi), dst, n);
      break;
    case NW_INIT_ZEROS:
      for (gsize i = 0; i < n; i++)
        dst[i] = 0;
      break;
    case NW_INIT_CONSTANT:
      for (gsize i = 0; i < n; i++)
        dst[i] = (nw_real) param;
      break;
    case NW_INIT_NORMAL:
      fill_normal (rng, param > 0 ? param : 1.0, dst, n);
      break;
    case NW_INIT_UNIFORM:
      fill_uniform (rng, param > 0 ? param : 1.0, dst, n);
      break;
    case NW_INIT_XAVIER_UNIFORM:
      fill_uniform (rng, sqrt (6.0 / (fi + fo)), dst, n);
      break;
    case NW_INIT_XAVIER_NORMAL:
      fill_normal (rng, sqrt (2.0 / (fi + fo)), dst, n);
      break;
    case NW_INIT_HE_UNIFORM:
      fill_uniform (rng, sqrt (6.0 / fi), dst, n);
      break;
    case NW_INIT_HE_NORMAL:
      fill_normal (rng, sqrt (2.0 / fi), dst, n);
      break;
    case NW_INIT_LECUN_NORMAL:
      fill_normal (rng, sqrt (1.0 / fi), dst, n);
      break;
    default:
      g_assert_not_reached ();
    }
}
