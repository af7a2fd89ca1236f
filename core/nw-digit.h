/* nw-digit.h: a drawn digit turned into what an MNIST network expects, the way MNIST was made.
 *
 * MNIST's recipe (LeCun et al.): the ink's bounding box is scaled to fit a 20x20 box keeping
 * its aspect ratio, with anti-aliasing (grey levels come from the resampling, nothing is
 * thresholded), and the result is placed in a 28x28 field so that its centre of mass sits at
 * the field's centre.
 *
 * The centring shift is a whole number of pixels, as in MNIST itself: over MNIST's 10,000 test
 * digits the centre of mass (pixel i weighing at coordinate i) lies in [13.5, 14.5] in both
 * axes, spread evenly across that interval - the signature of a rounded, integer shift that
 * puts the centre of mass at 14 +- 0.5. A sub-pixel (bilinear) shift would put every digit at
 * exactly 14.0 but blur it, and the network was trained on unblurred, integer-shifted digits;
 * matching the training data is the point, so we shift by whole pixels too.
 *
 * Coordinates: a pixel (x, y) of an image carries its grey level at coordinate (x, y) for the
 * centre of mass; the 28x28 field's target centre is therefore (14, 14) in those coordinates,
 * as in MNIST. Grey levels: 0 is paper, 1 is full ink. */
#pragma once

#include "nw-types.h"

G_BEGIN_DECLS

#define NW_DIGIT_SIDE      28     /* the network's input is NW_DIGIT_SIDE^2 = 784 values */
#define NW_DIGIT_FIT       20     /* the box the ink is scaled to fit */
#define NW_DIGIT_PIXELS    (NW_DIGIT_SIDE * NW_DIGIT_SIDE)
#define NW_DIGIT_CENTRE    14.0   /* where the centre of mass goes, in pixel-index coordinates */

/* A canvas pixel belongs to the bounding box when its ink is above this level: the faint
 * anti-aliased fringe of a stroke (and stray specks of under a tenth of ink) does not stretch
 * the box. Pixels below it still count as ink everywhere else (nothing is thresholded). */
#define NW_DIGIT_BOX_LEVEL 0.1f

/* "Nothing to read": the canvas's total ink (sum of grey levels) is below
 * MAX (NW_DIGIT_MIN_INK, NW_DIGIT_MIN_INK_SHARE * width * height) pixels' worth, or no pixel
 * reaches NW_DIGIT_BOX_LEVEL. On a 280x280 pad that is 39 pixels' worth: a stray click of a
 * thin pen, not a digit. On a 28x28 image it is one pixel's worth. */
#define NW_DIGIT_MIN_INK        1.0
#define NW_DIGIT_MIN_INK_SHARE  0.0005

typedef enum {
  NW_DIGIT_READABLE,       /* every stage below is filled */
  NW_DIGIT_NOTHING,        /* empty or nearly empty canvas: no stage is filled, do not predict */
} NwDigitStatus;

/* Every stage of the preprocessing, so that a UI can show them. Fixed-size stages live in the
 * struct; the crop is as large as the ink's bounding box and owned by the struct. */
typedef struct {
  NwDigitStatus status;
  double  ink;                /* total ink of the canvas, in pixels' worth */

  /* Stage 1: the bounding box of the ink, in canvas pixels, and a copy of it. */
  int     box_x, box_y, box_w, box_h;
  float  *crop;               /* box_w x box_h, row-major, owned (NULL when NOTHING) */

  /* Stage 2: the box scaled to fit 20x20 keeping its aspect ratio (area-averaged): the
   * longer side becomes 20, the shorter one round(20 * short / long), at least 1. The image
   * sits in the top-left fit_w x fit_h corner of `fit`; the rest is 0. */
  int     fit_w, fit_h;
  float   fit[NW_DIGIT_FIT * NW_DIGIT_FIT];

  /* Stage 3: the 28x28 image the network sees. `fit` is placed with its top-left corner at
   * (offset_x, offset_y); the centre of mass of `image` is (com_x, com_y), within 0.5 px of
   * (14, 14) unless the fit had to be kept inside the field. */
  int     offset_x, offset_y;
  double  com_x, com_y;
  float   image[NW_DIGIT_PIXELS];
} NwDigitStages;

NwDigitStages *nw_digit_stages_new  (void);
void           nw_digit_stages_free (NwDigitStages *stages);
/* Releases the crop and marks the stages NOTHING; the struct can be reused. */
void           nw_digit_stages_clear (NwDigitStages *stages);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwDigitStages, nw_digit_stages_free)

/* Runs every stage on a grey canvas of width x height floats (row stride `stride` floats,
 * >= width), filling `stages` (whose previous crop is released). Returns the status; a
 * canvas of any size works, a single dot included (it is scaled up to fill the box). Values
 * outside [0, 1] are clamped. */
NwDigitStatus  nw_digit_preprocess  (const float *canvas, int width, int height, int stride,
                                     NwDigitStages *stages);

/* The parts, for tests and for other callers. */

/* The bounding box of pixels above NW_DIGIT_BOX_LEVEL; FALSE when there is none. */
gboolean       nw_digit_bounding_box (const float *canvas, int width, int height, int stride,
                                      int *x, int *y, int *w, int *h);
/* Area-averaging resample of a src_w x src_h image (stride src_stride) to dst_w x dst_h
 * (stride dst_stride): every destination pixel is the mean of the source area it covers,
 * partly covered source pixels weighing by their covered share. Enlarging repeats pixels
 * (with blended edges), shrinking anti-aliases. */
void           nw_digit_resample     (const float *src, int src_w, int src_h, int src_stride,
                                      float *dst, int dst_w, int dst_h, int dst_stride);
/* Centre of mass (grey levels as weights, pixel (x, y) at coordinate (x, y)); FALSE and
 * (0, 0) when the image has no ink. */
gboolean       nw_digit_centre_of_mass (const float *image, int width, int height, int stride,
                                        double *cx, double *cy);

G_END_DECLS
