/* nw-digit.c: the digit pad's preprocessing (bounding box, fit to 20x20, centre of mass in
 * 28x28), as MNIST was made. Why an integer shift: see nw-digit.h. */
#include "nw-digit.h"

#include <math.h>
#include <string.h>

NwDigitStages *
nw_digit_stages_new (void)
{
  NwDigitStages *stages = g_new0 (NwDigitStages, 1);
  stages->status = NW_DIGIT_NOTHING;
  return stages;
}

void
nw_digit_stages_clear (NwDigitStages *stages)
{
  g_return_if_fail (stages != NULL);
  g_clear_pointer (&stages->crop, g_free);
  memset (stages, 0, sizeof *stages);
  stages->status = NW_DIGIT_NOTHING;
}

void
nw_digit_stages_free (NwDigitStages *stages)
{
  if (stages == NULL)
    return;
  g_free (stages->crop);
  g_free (stages);
}

static inline float
clamp01 (float v)
{
  /* NaN becomes paper: a broken canvas reads as nothing rather than as ink. */
  return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
}

gboolean
nw_digit_bounding_box (const float *canvas, int width, int height, int stride,
                       int *x, int *y, int *w, int *h)
{
  int x0 = width, y0 = height, x1 = -1, y1 = -1;

  g_return_val_if_fail (canvas != NULL || width * height == 0, FALSE);
  for (int r = 0; r < height; r++)
    {
      const float *row = canvas + (gsize) r * stride;
      int first = -1, last = -1;
      for (int c = 0; c < width; c++)
        if (row[c] > NW_DIGIT_BOX_LEVEL)
          {
            if (first < 0)
              first = c;
            last = c;
          }
      if (first < 0)
        continue;
      x0 = MIN (x0, first);
      x1 = MAX (x1, last);
      y0 = MIN (y0, r);
      y1 = r;
    }
  if (x1 < 0)
    {
      *x = *y = *w = *h = 0;
      return FALSE;
    }
  *x = x0;
  *y = y0;
  *w = x1 - x0 + 1;
  *h = y1 - y0 + 1;
  return TRUE;
}

/* One axis of an area-averaging resample: for every destination sample j, the source samples
 * its interval [j * scale, (j + 1) * scale) overlaps and how much. Written out as (first,
 * count, weights) so the 2D passes are plain loops. */
typedef struct {
  int    first, count;
  float *weights;       /* count weights, summing to 1 */
} Taps;

static Taps *
taps_new (int src_n, int dst_n)
{
  Taps *taps = g_new (Taps, dst_n);
  double scale = (double) src_n / dst_n;
  for (int j = 0; j < dst_n; j++)
    {
      double a = j * scale, b = (j + 1) * scale;
      int i0 = (int) floor (a), i1 = MIN ((int) ceil (b), src_n);
      taps[j].first = i0;
      taps[j].count = MAX (i1 - i0, 1);
      taps[j].weights = g_new (float, taps[j].count);
      for (int i = i0; i < i0 + taps[j].count; i++)
        {
          double lo = MAX (a, (double) i), hi = MIN (b, (double) (i + 1));
          taps[j].weights[i - i0] = (float) (MAX (hi - lo, 0.0) / scale);
        }
    }
  return taps;
}

static void
taps_free (Taps *taps, int n)
{
  for (int j = 0; j < n; j++)
    g_free (taps[j].weights);
  g_free (taps);
}

void
nw_digit_resample (const float *src, int src_w, int src_h, int src_stride,
                   float *dst, int dst_w, int dst_h, int dst_stride)
{
  Taps *tx, *ty;
  float *tmp;

  g_return_if_fail (src != NULL && dst != NULL);
  g_return_if_fail (src_w > 0 && src_h > 0 && dst_w > 0 && dst_h > 0);

  tx = taps_new (src_w, dst_w);
  ty = taps_new (src_h, dst_h);
  /* Rows first (src_h x dst_w), then columns. */
  tmp = g_new (float, (gsize) src_h * dst_w);
  for (int r = 0; r < src_h; r++)
    {
      const float *row = src + (gsize) r * src_stride;
      for (int j = 0; j < dst_w; j++)
        {
          float s = 0.0f;
          for (int k = 0; k < tx[j].count; k++)
            s += tx[j].weights[k] * row[tx[j].first + k];
          tmp[(gsize) r * dst_w + j] = s;
        }
    }
  for (int i = 0; i < dst_h; i++)
    {
      float *out = dst + (gsize) i * dst_stride;
      for (int j = 0; j < dst_w; j++)
        out[j] = 0.0f;
      for (int k = 0; k < ty[i].count; k++)
        {
          const float *in = tmp + (gsize) (ty[i].first + k) * dst_w;
          float wk = ty[i].weights[k];
          for (int j = 0; j < dst_w; j++)
            out[j] += wk * in[j];
        }
      for (int j = 0; j < dst_w; j++)
        out[j] = clamp01 (out[j]);
    }
  g_free (tmp);
  taps_free (tx, dst_w);
  taps_free (ty, dst_h);
}

gboolean
nw_digit_centre_of_mass (const float *image, int width, int height, int stride,
                         double *cx, double *cy)
{
  double m = 0, sx = 0, sy = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double v = image[(gsize) y * stride + x];
        m += v;
        sx += v * x;
        sy += v * y;
      }
  if (!(m > 0))
    {
      *cx = *cy = 0;
      return FALSE;
    }
  *cx = sx / m;
  *cy = sy / m;
  return TRUE;
}

/* The offset that puts a centre of mass at `c` (in the fit's coordinates) nearest the field's
 * centre, kept so the fit stays inside the field. */
static int
centring_offset (double c, int size)
{
  int off = (int) floor (NW_DIGIT_CENTRE - c + 0.5);
  return CLAMP (off, 0, NW_DIGIT_SIDE - size);
}

NwDigitStatus
nw_digit_preprocess (const float *canvas, int width, int height, int stride,
                     NwDigitStages *stages)
{
  double ink = 0, min_ink, fx = 0, fy = 0;
  int bx, by, bw, bh, longer;

  g_return_val_if_fail (stages != NULL, NW_DIGIT_NOTHING);
  nw_digit_stages_clear (stages);
  g_return_val_if_fail (canvas != NULL || (gsize) width * (gsize) height == 0, NW_DIGIT_NOTHING);
  g_return_val_if_fail (width >= 0 && height >= 0 && stride >= width, NW_DIGIT_NOTHING);

  for (int r = 0; r < height; r++)
    {
      const float *row = canvas + (gsize) r * stride;
      float s = 0.0f;
      for (int c = 0; c < width; c++)
        s += clamp01 (row[c]);
      ink += s;
    }
  stages->ink = ink;
  min_ink = MAX (NW_DIGIT_MIN_INK, NW_DIGIT_MIN_INK_SHARE * (double) width * (double) height);
  if (ink < min_ink || !nw_digit_bounding_box (canvas, width, height, stride, &bx, &by, &bw, &bh))
    return NW_DIGIT_NOTHING;

  /* Stage 1: the crop. */
  stages->box_x = bx;
  stages->box_y = by;
  stages->box_w = bw;
  stages->box_h = bh;
  stages->crop = g_new (float, (gsize) bw * bh);
  for (int r = 0; r < bh; r++)
    {
      const float *row = canvas + (gsize) (by + r) * stride + bx;
      for (int c = 0; c < bw; c++)
        stages->crop[(gsize) r * bw + c] = clamp01 (row[c]);
    }

  /* Stage 2: the longer side to 20, the shorter in proportion. */
  longer = MAX (bw, bh);
  stages->fit_w = bw == longer ? NW_DIGIT_FIT
                               : MAX (1, (int) floor ((double) NW_DIGIT_FIT * bw / longer + 0.5));
  stages->fit_h = bh == longer ? NW_DIGIT_FIT
                               : MAX (1, (int) floor ((double) NW_DIGIT_FIT * bh / longer + 0.5));
  nw_digit_resample (stages->crop, bw, bh, bw, stages->fit, stages->fit_w, stages->fit_h,
                     NW_DIGIT_FIT);

  /* Stage 3: into 28x28, centre of mass on (14, 14) by a whole-pixel shift. A fit with no ink
   * left (cannot happen: the box holds a pixel above NW_DIGIT_BOX_LEVEL) would be centred by
   * its box. */
  if (!nw_digit_centre_of_mass (stages->fit, stages->fit_w, stages->fit_h, NW_DIGIT_FIT, &fx, &fy))
    {
      fx = (stages->fit_w - 1) / 2.0;
      fy = (stages->fit_h - 1) / 2.0;
    }
  stages->offset_x = centring_offset (fx, stages->fit_w);
  stages->offset_y = centring_offset (fy, stages->fit_h);
  for (int r = 0; r < stages->fit_h; r++)
    memcpy (stages->image + (gsize) (stages->offset_y + r) * NW_DIGIT_SIDE + stages->offset_x,
            stages->fit + (gsize) r * NW_DIGIT_FIT, sizeof (float) * stages->fit_w);
  stages->com_x = stages->offset_x + fx;
  stages->com_y = stages->offset_y + fy;
  stages->status = NW_DIGIT_READABLE;
  return NW_DIGIT_READABLE;
}
