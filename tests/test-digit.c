/* test-digit.c: the digit pad's preprocessing (core/nw-digit.c) and the user's digit set
 * (core/nw-digit-set.c).
 *
 * Suites "digit" and "digit-set" use small hand-made images and need nothing else. Suite
 * "digit-mnist" (run alone: `test-digit digit-mnist`, registered as the meson test
 * digit-mnist) is the accuracy test: a model trained here reads 1000 MNIST test digits
 * that were enlarged, thickened or thinned and moved off-centre on a pad-sized canvas, then
 * preprocessed, at least 97% as well as it reads the originals. It exits 77 (skipped) when the
 * MNIST files are missing, as test-mnist.c does. */
#include "nw-test.h"
#include "nw-digit.h"
#include "nw-digit-model.h"
#include "nw-digit-set.h"
#include "nw-rng.h"
#include "nw-trainer.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Hand-made canvases                                                                           */

static float *
canvas_new (int w, int h)
{
  return g_new0 (float, (gsize) w * h);
}

static void
fill_rect (float *c, int stride, int x, int y, int w, int h, float v)
{
  for (int r = y; r < y + h; r++)
    for (int col = x; col < x + w; col++)
      c[(gsize) r * stride + col] = v;
}

static double
sum (const float *p, gsize n)
{
  double s = 0;
  for (gsize i = 0; i < n; i++)
    s += p[i];
  return s;
}

/* An L: a vertical bar and a foot, with a faint fringe (below the box level) around it that
 * must not stretch the box, and faint ink counted as ink all the same. */
static void
test_bounding_box_of_l (void)
{
  enum { W = 40, H = 30 };
  g_autofree float *c = canvas_new (W, H);
  g_autoptr (NwDigitStages) st = nw_digit_stages_new ();
  int x, y, w, h;

  fill_rect (c, W, 4, 3, 5, 24, 0.05f);    /* fringe, left of and above the bar */
  fill_rect (c, W, 5, 4, 3, 22, 1.0f);     /* stem: x 5..7, y 4..25 */
  fill_rect (c, W, 5, 23, 16, 3, 1.0f);    /* foot: x 5..20, y 23..25 */
  c[1 * W + 38] = 0.09f;                   /* a faint speck far away */

  CU_ASSERT (nw_digit_bounding_box (c, W, H, W, &x, &y, &w, &h));
  CU_ASSERT_EQUAL (x, 5);
  CU_ASSERT_EQUAL (y, 4);
  CU_ASSERT_EQUAL (w, 16);
  CU_ASSERT_EQUAL (h, 22);

  CU_ASSERT_EQUAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_READABLE);
  CU_ASSERT_EQUAL (st->box_x, 5);
  CU_ASSERT_EQUAL (st->box_w, 16);
  CU_ASSERT_EQUAL (st->box_h, 22);
  /* The crop is the box's pixels: the stem's top-left is ink, the corner above the foot
   * is paper. */
  CU_ASSERT_DOUBLE_EQUAL (st->crop[0], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL (st->crop[15], 0.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL (st->crop[21 * 16 + 15], 1.0, 1e-6);
  /* Taller than wide: 20 high, 16/22 * 20 = 14.5 -> 15 wide. */
  CU_ASSERT_EQUAL (st->fit_h, 20);
  CU_ASSERT_EQUAL (st->fit_w, 15);
  /* The canvas's ink includes the faint pixels: nothing is thresholded. */
  CU_ASSERT_DOUBLE_EQUAL (st->ink, 22 * 3 + 13 * 3 + 0.05 * (5 * 24 - 3 * 22 - 3) + 0.09, 1e-3);

  /* A stride wider than the image reads the same box. */
  {
    enum { S = 50 };
    g_autofree float *wide = canvas_new (S, H);
    for (int r = 0; r < H; r++)
      memcpy (wide + r * S, c + r * W, sizeof (float) * W);
    for (int r = 0; r < H; r++)
      for (int col = W; col < S; col++)
        wide[r * S + col] = 1.0f;          /* beyond the width: must be ignored */
    CU_ASSERT (nw_digit_bounding_box (wide, W, H, S, &x, &y, &w, &h));
    CU_ASSERT (x == 5 && y == 4 && w == 16 && h == 22);
  }
}

/* A 2:1 bar keeps its aspect ratio: 20 x 10, solid, and the rest of the 20x20 box empty. */
static void
test_fit_keeps_aspect (void)
{
  enum { W = 120, H = 90 };
  g_autofree float *c = canvas_new (W, H);
  g_autoptr (NwDigitStages) st = nw_digit_stages_new ();

  fill_rect (c, W, 30, 40, 60, 30, 1.0f);
  CU_ASSERT_EQUAL_FATAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_READABLE);
  CU_ASSERT_EQUAL (st->box_w, 60);
  CU_ASSERT_EQUAL (st->box_h, 30);
  CU_ASSERT_EQUAL (st->fit_w, 20);
  CU_ASSERT_EQUAL (st->fit_h, 10);
  for (int r = 0; r < NW_DIGIT_FIT; r++)
    for (int col = 0; col < NW_DIGIT_FIT; col++)
      CU_ASSERT_DOUBLE_EQUAL (st->fit[r * NW_DIGIT_FIT + col], r < 10 ? 1.0 : 0.0, 1e-5);
  /* Its centre of mass is (9.5, 4.5): a whole-pixel shift puts it at 13.5 or 14.5, and
   * rounding 14 - 9.5 = 4.5 goes up, so columns 5..24 and rows 10..19. */
  CU_ASSERT_EQUAL (st->offset_x, 5);
  CU_ASSERT_EQUAL (st->offset_y, 10);
  CU_ASSERT_DOUBLE_EQUAL (st->com_x, 14.5, 1e-4);
  CU_ASSERT_DOUBLE_EQUAL (sum (st->image, NW_DIGIT_PIXELS), 200.0, 1e-3);

  /* Standing up (1:2): 10 x 20. */
  memset (c, 0, sizeof (float) * W * H);
  fill_rect (c, W, 10, 5, 35, 70, 1.0f);
  CU_ASSERT_EQUAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_READABLE);
  CU_ASSERT_EQUAL (st->fit_w, 10);
  CU_ASSERT_EQUAL (st->fit_h, 20);

  /* Area averaging keeps grey levels: a half-ink checkerboard of 2x2 cells shrunk by 2 is
   * uniformly 0.5 (a point sampler would give 0 or 1), and a box shrunk by 3 keeps its
   * mean. */
  {
    float src[8 * 8], dst[4 * 4], dst3[3 * 3];
    for (int r = 0; r < 8; r++)
      for (int col = 0; col < 8; col++)
        src[r * 8 + col] = ((r + col) & 1) ? 1.0f : 0.0f;
    nw_digit_resample (src, 8, 8, 8, dst, 4, 4, 4);
    for (int i = 0; i < 16; i++)
      CU_ASSERT_DOUBLE_EQUAL (dst[i], 0.5, 1e-6);
    nw_digit_resample (src, 8, 8, 8, dst3, 3, 3, 3);
    CU_ASSERT_DOUBLE_EQUAL (sum (dst3, 9) / 9, 0.5, 1e-3);
  }
}

/* A lopsided blob in a corner: its centre of mass lands on (14, 14) within half a pixel, and
 * the stages agree with each other. */
static void
test_centre_of_mass (void)
{
  enum { W = 200, H = 160 };
  g_autofree float *c = canvas_new (W, H);
  g_autoptr (NwDigitStages) st = nw_digit_stages_new ();
  double cx, cy;

  /* A Gaussian blob with a heavy tail to one side, near the top-left corner. */
  for (int r = 0; r < H; r++)
    for (int col = 0; col < W; col++)
      {
        double dx = col - 30.0, dy = r - 25.0;
        double v = exp (-(dx * dx + dy * dy) / (2 * 9.0 * 9.0));
        if (col > 30 && col < 80 && fabs (dy) < 4)
          v = MAX (v, 0.8);
        c[r * W + col] = (float) v;
      }
  CU_ASSERT_EQUAL_FATAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_READABLE);
  CU_ASSERT (nw_digit_centre_of_mass (st->image, NW_DIGIT_SIDE, NW_DIGIT_SIDE, NW_DIGIT_SIDE,
                                      &cx, &cy));
  g_print ("\n    (box %dx%d at %d,%d; fit %dx%d; offset %d,%d; centre of mass %.3f, %.3f) ",
           st->box_w, st->box_h, st->box_x, st->box_y, st->fit_w, st->fit_h, st->offset_x,
           st->offset_y, cx, cy);
  CU_ASSERT (fabs (cx - 14.0) <= 0.5);
  CU_ASSERT (fabs (cy - 14.0) <= 0.5);
  CU_ASSERT_DOUBLE_EQUAL (st->com_x, cx, 1e-4);
  CU_ASSERT_DOUBLE_EQUAL (st->com_y, cy, 1e-4);
  /* The round blob outweighs its thin tail, so the mass sits left of the fit's middle and
   * the fit moves right of where centring its box would put it. */
  CU_ASSERT (st->offset_x > (NW_DIGIT_SIDE - st->fit_w) / 2);
  /* Nothing lost: the 28x28 holds all of the fit's ink. */
  CU_ASSERT_DOUBLE_EQUAL (sum (st->image, NW_DIGIT_PIXELS), sum (st->fit, NW_DIGIT_FIT * NW_DIGIT_FIT),
                          1e-3);
  /* Every value is a grey level in [0, 1]. */
  for (int i = 0; i < NW_DIGIT_PIXELS; i++)
    CU_ASSERT (st->image[i] >= 0.0f && st->image[i] <= 1.0f);

  /* The same blob anywhere on the canvas gives the same 28x28. */
  {
    g_autofree float *moved = canvas_new (W, H);
    g_autoptr (NwDigitStages) st2 = nw_digit_stages_new ();
    for (int r = 0; r + 70 < H; r++)
      for (int col = 0; col + 100 < W; col++)
        moved[(r + 70) * W + col + 100] = c[r * W + col];
    CU_ASSERT_EQUAL (nw_digit_preprocess (moved, W, H, W, st2), NW_DIGIT_READABLE);
    CU_ASSERT_EQUAL (st2->box_x, st->box_x + 100);
    CU_ASSERT (memcmp (st2->image, st->image, sizeof st->image) == 0);
  }
}

static void
test_empty_is_nothing (void)
{
  enum { W = 280, H = 280 };
  g_autofree float *c = canvas_new (W, H);
  g_autoptr (NwDigitStages) st = nw_digit_stages_new ();

  CU_ASSERT_EQUAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_NOTHING);
  CU_ASSERT_EQUAL (st->status, NW_DIGIT_NOTHING);
  CU_ASSERT_PTR_NULL (st->crop);
  CU_ASSERT_DOUBLE_EQUAL (sum (st->image, NW_DIGIT_PIXELS), 0.0, 0.0);

  /* Nearly empty: a short scratch of 30 pixels' worth on a 280x280 pad (the threshold is
   * 0.0005 * 280 * 280 = 39.2). */
  fill_rect (c, W, 100, 100, 10, 3, 1.0f);
  CU_ASSERT_EQUAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_NOTHING);
  /* Faint everywhere (no pixel reaches the box level), much ink in total: nothing. */
  memset (c, 0, sizeof (float) * W * H);
  fill_rect (c, W, 0, 0, W, H, 0.05f);
  CU_ASSERT_EQUAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_NOTHING);
  /* Above the threshold: readable. */
  memset (c, 0, sizeof (float) * W * H);
  fill_rect (c, W, 100, 100, 10, 5, 1.0f);
  CU_ASSERT_EQUAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_READABLE);
  /* ... and back to nothing clears the stages. */
  memset (c, 0, sizeof (float) * W * H);
  CU_ASSERT_EQUAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_NOTHING);
  CU_ASSERT_PTR_NULL (st->crop);
  /* Zero-sized and NaN canvases are nothing, not a crash. */
  CU_ASSERT_EQUAL (nw_digit_preprocess (NULL, 0, 0, 0, st), NW_DIGIT_NOTHING);
  fill_rect (c, W, 0, 0, 20, 20, NAN);
  CU_ASSERT_EQUAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_NOTHING);
}

/* A single dot and one-pixel-thin lines: no division by zero, a sensible image. */
static void
test_single_dot (void)
{
  enum { S = 28 };
  float c[S * S] = { 0 };
  g_autoptr (NwDigitStages) st = nw_digit_stages_new ();
  double cx, cy;

  c[3 * S + 25] = 1.0f;
  CU_ASSERT_EQUAL_FATAL (nw_digit_preprocess (c, S, S, S, st), NW_DIGIT_READABLE);
  CU_ASSERT (st->box_w == 1 && st->box_h == 1);
  CU_ASSERT (st->fit_w == 20 && st->fit_h == 20);
  CU_ASSERT (nw_digit_centre_of_mass (st->image, S, S, S, &cx, &cy));
  CU_ASSERT (fabs (cx - 14) <= 0.5 && fabs (cy - 14) <= 0.5);
  for (int i = 0; i < NW_DIGIT_PIXELS; i++)
    CU_ASSERT (isfinite (st->image[i]));

  /* A horizontal line one pixel high: 20 x 1. */
  memset (c, 0, sizeof c);
  fill_rect (c, S, 2, 20, 24, 1, 1.0f);
  CU_ASSERT_EQUAL (nw_digit_preprocess (c, S, S, S, st), NW_DIGIT_READABLE);
  CU_ASSERT (st->fit_w == 20 && st->fit_h == 1);
  CU_ASSERT_EQUAL (st->offset_y, 14);
  /* A vertical one: 1 x 20. */
  memset (c, 0, sizeof c);
  fill_rect (c, S, 7, 1, 1, 26, 0.6f);
  CU_ASSERT_EQUAL (nw_digit_preprocess (c, S, S, S, st), NW_DIGIT_READABLE);
  CU_ASSERT (st->fit_w == 1 && st->fit_h == 20);
  CU_ASSERT_EQUAL (st->offset_x, 14);
  CU_ASSERT_DOUBLE_EQUAL (st->image[14 * S + 14], 0.6, 1e-5);   /* grey kept */

  /* A single dot on a pad-sized canvas is below the threshold: nothing, no crash. */
  {
    g_autofree float *pad = canvas_new (280, 280);
    pad[140 * 280 + 140] = 1.0f;
    CU_ASSERT_EQUAL (nw_digit_preprocess (pad, 280, 280, 280, st), NW_DIGIT_NOTHING);
  }
}

/* A stroke that runs off the canvas's edge is cropped at the edge, and an ink mass far to one
 * side of a wide fit cannot push the fit out of the field. */
static void
test_edges (void)
{
  enum { W = 60, H = 60 };
  g_autofree float *c = canvas_new (W, H);
  g_autoptr (NwDigitStages) st = nw_digit_stages_new ();
  fill_rect (c, W, 0, 0, 60, 2, 1.0f);   /* a bar along the top edge */
  fill_rect (c, W, 0, 0, 2, 60, 1.0f);   /* and down the left edge */
  CU_ASSERT_EQUAL_FATAL (nw_digit_preprocess (c, W, H, W, st), NW_DIGIT_READABLE);
  CU_ASSERT (st->box_x == 0 && st->box_y == 0 && st->box_w == 60 && st->box_h == 60);
  CU_ASSERT (st->offset_x >= 0 && st->offset_x + st->fit_w <= NW_DIGIT_SIDE);
  CU_ASSERT (st->offset_y >= 0 && st->offset_y + st->fit_h <= NW_DIGIT_SIDE);
  /* The mass sits in the top-left corner of the 20x20 fit, so the whole-pixel shift that
   * would centre it is clamped at 8 (28 - 20): the centre of mass ends as near as it can. */
  CU_ASSERT_EQUAL (st->offset_x, 8);
  CU_ASSERT (st->com_x > 8 && st->com_x < 14);
}

/* ------------------------------------------------------------------------------------------ */
/* The user's digit set                                                                         */

static void
digit_image (float *img, int seed)
{
  for (int i = 0; i < NW_DIGIT_PIXELS; i++)
    img[i] = (float) ((i * 31 + seed * 17) % 256) / 255.0f;
}

static NwDigitSet *
make_set (int n)
{
  NwDigitSet *set = nw_digit_set_new ();
  float img[NW_DIGIT_PIXELS];
  for (int i = 0; i < n; i++)
    {
      digit_image (img, i);
      nw_digit_set_add (set, img, i % 10);
    }
  return set;
}

static gboolean
sets_equal (const NwDigitSet *a, const NwDigitSet *b)
{
  if (nw_digit_set_get_n (a) != nw_digit_set_get_n (b))
    return FALSE;
  for (guint i = 0; i < nw_digit_set_get_n (a); i++)
    if (nw_digit_set_get_label (a, i) != nw_digit_set_get_label (b, i)
        || memcmp (nw_digit_set_peek_pixels (a, i), nw_digit_set_peek_pixels (b, i),
                   NW_DIGIT_PIXELS) != 0)
      return FALSE;
  return TRUE;
}

static void
test_set_add_remove (void)
{
  g_autoptr (NwDigitSet) set = make_set (12);
  float img[NW_DIGIT_PIXELS], back[NW_DIGIT_PIXELS];
  guint counts[10];

  CU_ASSERT_EQUAL (nw_digit_set_get_n (set), 12);
  CU_ASSERT_EQUAL (nw_digit_set_get_label (set, 11), 1);
  nw_digit_set_count_labels (set, counts);
  CU_ASSERT (counts[0] == 2 && counts[1] == 2 && counts[2] == 1 && counts[9] == 1);

  /* Stored as bytes: the image comes back within half a grey step, out-of-range clamped. */
  digit_image (img, 3);
  img[0] = -0.5f;
  img[1] = 7.0f;
  CU_ASSERT_EQUAL (nw_digit_set_add (set, img, 7), 12);
  nw_digit_set_get_image (set, 12, back);
  CU_ASSERT_DOUBLE_EQUAL (back[0], 0.0, 0.0);
  CU_ASSERT_DOUBLE_EQUAL (back[1], 1.0, 0.0);
  for (int i = 2; i < NW_DIGIT_PIXELS; i++)
    CU_ASSERT (fabs (back[i] - img[i]) <= 0.5 / 255 + 1e-7);

  /* Remove the first: the rest move down. */
  CU_ASSERT (nw_digit_set_remove (set, 0));
  CU_ASSERT_EQUAL (nw_digit_set_get_n (set), 12);
  CU_ASSERT_EQUAL (nw_digit_set_get_label (set, 0), 1);
  CU_ASSERT_EQUAL (nw_digit_set_get_label (set, 11), 7);
  CU_ASSERT (!nw_digit_set_remove (set, 12));
  nw_digit_set_clear (set);
  CU_ASSERT_EQUAL (nw_digit_set_get_n (set), 0);
}

static void
test_set_save_load (void)
{
  g_autoptr (NwDigitSet) set = make_set (25);
  g_autoptr (NwDigitSet) back = nw_digit_set_new ();
  g_autoptr (NwDigitSet) empty = nw_digit_set_new ();
  g_autofree char *path = nw_test_path ("digits.nwdigits");
  g_autofree char *path0 = nw_test_path ("empty.nwdigits");
  GError *error = NULL;
  gsize len = 0;
  g_autofree char *data = NULL;

  CU_ASSERT (nw_digit_set_save (set, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (g_file_get_contents (path, &data, &len, NULL));
  CU_ASSERT_EQUAL (len, 24 + 25 * 785 + 32);
  CU_ASSERT (memcmp (data, "NWDIGITS", 8) == 0);
  CU_ASSERT (nw_digit_set_load (back, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (sets_equal (set, back));

  /* An empty set round-trips too. */
  CU_ASSERT (nw_digit_set_save (empty, path0, &error));
  CU_ASSERT (nw_digit_set_load (back, path0, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (nw_digit_set_get_n (back), 0);

  /* Saving over an existing file replaces it whole. */
  CU_ASSERT (nw_digit_set_save (empty, path, &error));
  CU_ASSERT (nw_digit_set_load (back, path, &error));
  CU_ASSERT_EQUAL (nw_digit_set_get_n (back), 0);

  /* An unwritable place: an error naming it. */
  {
    g_autofree char *bad = nw_test_path ("no-such-dir/digits.nwdigits");
    CU_ASSERT (!nw_digit_set_save (set, bad, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, "no-such-dir");
  }
}

/* Every kind of bad file is refused with the file and the fault named, and the set keeps what
 * it had. */
static void
test_set_bad_files (void)
{
  g_autoptr (NwDigitSet) set = make_set (5);
  g_autoptr (NwDigitSet) kept = make_set (3);
  g_autofree char *good = nw_test_path ("good.nwdigits");
  g_autofree char *data = NULL;
  gsize len = 0;
  GError *error = NULL;

  struct {
    const char *name;
    gsize       length;       /* bytes of `data` to write (0: all) */
    gsize       flip;         /* byte to change (0: none) */
    guint8      value;
    int         code;
    const char *needle;
  } cases[] = {
    { "truncated.nwdigits", 24 + 5 + 784 * 2, 0, 0, NW_ERROR_FORMAT, "truncated" },
    { "header-only.nwdigits", 10, 0, 0, NW_ERROR_FORMAT, "truncated" },
    { "magic.nwdigits", 0, 2, 'X', NW_ERROR_FORMAT, "not a Neurowire digit set" },
    { "version.nwdigits", 0, 8, 9, NW_ERROR_FORMAT, "version 9" },
    { "count.nwdigits", 0, 12, 6, NW_ERROR_FORMAT, "6 digits" },
    { "rows.nwdigits", 0, 16, 27, NW_ERROR_FORMAT, "27x28" },
    { "label.nwdigits", 0, 24 + 2, 12, NW_ERROR_FORMAT, "checksum" },
    { "pixel.nwdigits", 0, 24 + 5 + 400, 1, NW_ERROR_FORMAT, "checksum" },
  };

  CU_ASSERT (nw_digit_set_save (set, good, &error));
  CU_ASSERT (g_file_get_contents (good, &data, &len, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bytes = g_memdup2 (data, len);
      g_autofree char *path = NULL;
      if (cases[i].flip > 0)
        bytes[cases[i].flip] = (char) cases[i].value;
      path = nw_test_write (cases[i].name, bytes, cases[i].length > 0 ? cases[i].length : len);
      CU_ASSERT (!nw_digit_set_load (kept, path, &error));
      NW_ASSERT_ERROR (error, NW_ERROR, cases[i].code, cases[i].name, cases[i].needle);
      CU_ASSERT_EQUAL (nw_digit_set_get_n (kept), 3);
    }
  /* Trailing bytes, a missing file, a directory. */
  {
    g_autofree char *longer = g_malloc0 (len + 4);
    g_autofree char *path = NULL;
    memcpy (longer, data, len);
    path = nw_test_write ("trailing.nwdigits", longer, len + 4);
    CU_ASSERT (!nw_digit_set_load (kept, path, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "trailing.nwdigits", "trailing bytes");
  }
  {
    g_autofree char *path = nw_test_path ("missing.nwdigits");
    CU_ASSERT (!nw_digit_set_load (kept, path, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, "missing.nwdigits");
    CU_ASSERT (!nw_digit_set_load (kept, nw_test_tmpdir (), &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, "directory");
  }
  /* A label out of range with a checksum that matches (a file written by another program). */
  {
    g_autoptr (NwDigitSet) one = make_set (1);
    g_autofree char *p1 = nw_test_path ("one.nwdigits");
    g_autofree char *raw = NULL;
    gsize n = 0;
    GChecksum *ck = g_checksum_new (G_CHECKSUM_SHA256);
    gsize dlen = 32;
    nw_digit_set_save (one, p1, &error);
    g_file_get_contents (p1, &raw, &n, NULL);
    raw[24] = 10;
    g_checksum_update (ck, (const guchar *) raw, n - 32);
    g_checksum_get_digest (ck, (guint8 *) raw + n - 32, &dlen);
    g_checksum_free (ck);
    g_file_set_contents (p1, raw, (gssize) n, NULL);
    CU_ASSERT (!nw_digit_set_load (kept, p1, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "one.nwdigits", "label 10");
    CU_ASSERT_EQUAL (nw_digit_set_get_n (kept), 3);
  }
}

static NwDataset *
small_mnist_like (int n_train)
{
  NwDataset *ds = g_new0 (NwDataset, 1);
  ds->name = g_strdup ("mnist");
  ds->n_classes = 10;
  ds->train.n = n_train;
  ds->train.d = 784;
  ds->train.k = 10;
  ds->train.x = g_new0 (float, (gsize) n_train * 784);
  ds->train.y = g_new0 (float, (gsize) n_train * 10);
  ds->train.labels = g_new0 (guint8, n_train);
  for (int i = 0; i < n_train; i++)
    {
      ds->train.labels[i] = (guint8) (i % 10);
      ds->train.y[i * 10 + i % 10] = 1;
      ds->train.x[(gsize) i * 784] = 0.25f;
    }
  ds->test.d = 784;
  ds->test.k = 10;
  ds->test.x = g_new0 (float, 1);
  ds->test.y = g_new0 (float, 1);
  ds->test.labels = g_new0 (guint8, 1);
  return ds;
}

static void
test_set_mix_into_training (void)
{
  g_autoptr (NwDigitSet) set = make_set (4);
  g_autoptr (NwDataset) ds = small_mnist_like (6);
  g_autoptr (NwDigitSet) empty = nw_digit_set_new ();
  GError *error = NULL;
  float img[NW_DIGIT_PIXELS];

  CU_ASSERT (nw_dataset_append_digits (ds, set, 3, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (ds->train.n, 6 + 12);
  /* The originals are untouched; the appended rows cycle through the set three times. */
  CU_ASSERT_EQUAL (ds->train.x[5 * 784], 0.25f);
  CU_ASSERT_EQUAL (ds->train.labels[5], 5);
  for (int r = 0; r < 12; r++)
    {
      int src = r % 4, row = 6 + r;
      nw_digit_set_get_image (set, src, img);
      CU_ASSERT (memcmp (ds->train.x + (gsize) row * 784, img, sizeof img) == 0);
      CU_ASSERT_EQUAL (ds->train.labels[row], src);
      CU_ASSERT_EQUAL (ds->train.y[row * 10 + src], 1.0f);
      CU_ASSERT_DOUBLE_EQUAL (sum (ds->train.y + row * 10, 10), 1.0, 0);
    }
  /* An empty set adds nothing; bad arguments change nothing. */
  CU_ASSERT (nw_dataset_append_digits (ds, empty, 1, &error));
  CU_ASSERT_EQUAL (ds->train.n, 18);
  CU_ASSERT (!nw_dataset_append_digits (ds, set, 0, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "repeat");
  {
    g_autoptr (NwDataset) xor = nw_dataset_new_2d (NW_DATA_XOR, 4, 0, 0, 1, NULL);
    int n = xor->train.n;
    CU_ASSERT (!nw_dataset_append_digits (xor, set, 1, &error));
    NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "xor", "784");
    CU_ASSERT_EQUAL (xor->train.n, n);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* MNIST digits drawn big, off-centre and bolder or thinner, read back                          */

/* Bilinear enlargement of a 28x28 image to s x s. */
static void
enlarge (const float *src, int s, float *dst)
{
  double f = s / 28.0;
  for (int y = 0; y < s; y++)
    for (int x = 0; x < s; x++)
      {
        double sx = (x + 0.5) / f - 0.5, sy = (y + 0.5) / f - 0.5;
        int x0 = (int) floor (sx), y0 = (int) floor (sy);
        double ax = sx - x0, ay = sy - y0, v = 0;
        for (int dy = 0; dy < 2; dy++)
          for (int dx = 0; dx < 2; dx++)
            {
              int xx = x0 + dx, yy = y0 + dy;
              double w = (dx ? ax : 1 - ax) * (dy ? ay : 1 - ay);
              if (xx >= 0 && xx < 28 && yy >= 0 && yy < 28)
                v += w * src[yy * 28 + xx];
            }
        dst[y * s + x] = (float) v;
      }
}

/* Grey dilation (max) or erosion (min) over a 3x3 neighbourhood: strokes one pixel bolder or
 * thinner on each side at the enlarged scale. */
static void
morph (const float *src, int s, gboolean dilate, float *dst)
{
  for (int y = 0; y < s; y++)
    for (int x = 0; x < s; x++)
      {
        float v = src[y * s + x];
        for (int dy = -1; dy <= 1; dy++)
          for (int dx = -1; dx <= 1; dx++)
            {
              int xx = x + dx, yy = y + dy;
              float n = xx >= 0 && xx < s && yy >= 0 && yy < s ? src[yy * s + xx] : 0.0f;
              v = dilate ? MAX (v, n) : MIN (v, n);
            }
        dst[y * s + x] = v;
      }
}

static int
argmax10 (const float *p)
{
  int best = 0;
  for (int c = 1; c < 10; c++)
    if (p[c] > p[best])
      best = c;
  return best;
}

static void
test_pad_reads_like_mnist (void)
{
  enum { N = 1000, PAD = 280 };
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("784 dense:256 relu dense:10 softmax_xent", &error);
  g_autoptr (NwTrainer) trainer = NULL;
  NwDataset *ds;
  g_autofree float *probs = g_new (float, (gsize) N * 10);
  g_autofree float *pad_images = g_new (float, (gsize) N * NW_DIGIT_PIXELS);
  g_autofree float *pad_probs = g_new (float, (gsize) N * 10);
  g_autofree float *canvas = g_new (float, PAD * PAD);
  g_autofree float *big = g_new (float, 112 * 112);
  g_autofree float *shaped = g_new (float, 112 * 112);
  g_autoptr (NwDigitStages) st = nw_digit_stages_new ();
  NwRng rng;
  int steps, right = 0, pad_right = 0, agree = 0, nothing = 0, bolder = 0, thinner = 0;
  double acc, pad_acc, ratio;
  gint64 t0 = g_get_monotonic_time ();

  NW_ASSERT_NO_ERROR (error);
  spec->train.optimizer = NW_OPT_ADAM;
  spec->train.lr = 1e-3;
  spec->train.batch_size = 100;
  spec->train.seed = 7;
  spec->data.kind = NW_DATA_MNIST;
  {
    g_autofree char *dir = nw_data_default_mnist_dir (nw_test_data_root ());
    ds = nw_dataset_load_idx_dir (dir, 0, &error);
  }
  NW_ASSERT_NO_ERROR (error);
  trainer = nw_trainer_new (spec, ds, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  ds = nw_trainer_get_data (trainer);

  /* Two epochs of 784-256-10 ReLU with Adam: about 97% on MNIST's test digits. */
  steps = 2 * nw_trainer_steps_per_epoch (trainer);
  for (int s = 0; s < steps; s++)
    if (!nw_trainer_step (trainer, &error))
      break;
  NW_ASSERT_NO_ERROR (error);
  g_print ("\n    (trained 784-256-10 for 2 epochs in %.1f s) ", (g_get_monotonic_time () - t0) / 1e6);

  CU_ASSERT (nw_trainer_predict (trainer, ds->test.x, N, probs, &error));
  NW_ASSERT_NO_ERROR (error);

  nw_rng_init (&rng, 2024);
  for (int i = 0; i < N; i++)
    {
      const float *orig = ds->test.x + (gsize) i * NW_DIGIT_PIXELS;
      int s = 56 + (int) nw_rng_below (&rng, 57);          /* 2x to 4x: 56..112 pixels */
      int op = (int) nw_rng_below (&rng, 3);               /* 0 as is, 1 bolder, 2 thinner */
      int ox = (int) nw_rng_below (&rng, (guint32) (PAD - s + 1));
      int oy = (int) nw_rng_below (&rng, (guint32) (PAD - s + 1));
      const float *src = big;

      enlarge (orig, s, big);
      if (op > 0)
        {
          morph (big, s, op == 1, shaped);
          src = shaped;
          bolder += op == 1;
          thinner += op == 2;
        }
      memset (canvas, 0, sizeof (float) * PAD * PAD);
      for (int y = 0; y < s; y++)
        memcpy (canvas + (gsize) (oy + y) * PAD + ox, src + (gsize) y * s, sizeof (float) * s);
      if (nw_digit_preprocess (canvas, PAD, PAD, PAD, st) == NW_DIGIT_NOTHING)
        {
          nothing++;
          memset (pad_images + (gsize) i * NW_DIGIT_PIXELS, 0, sizeof (float) * NW_DIGIT_PIXELS);
        }
      else
        memcpy (pad_images + (gsize) i * NW_DIGIT_PIXELS, st->image, sizeof st->image);
    }
  CU_ASSERT (nw_trainer_predict (trainer, pad_images, N, pad_probs, &error));
  NW_ASSERT_NO_ERROR (error);

  for (int i = 0; i < N; i++)
    {
      int label = ds->test.labels[i];
      int a = argmax10 (probs + i * 10), b = argmax10 (pad_probs + i * 10);
      right += a == label;
      pad_right += b == label;
      agree += a == b;
    }
  acc = (double) right / N;
  pad_acc = (double) pad_right / N;
  ratio = pad_acc / acc;
  g_print ("\n    (original digits %.1f%%, through the pad %.1f%% = %.1f%% of it; "
           "%d bolder, %d thinner; predictions agree on %.1f%%; %d read as nothing; %.1f s) ",
           100 * acc, 100 * pad_acc, 100 * ratio, bolder, thinner, 100.0 * agree / N, nothing,
           (g_get_monotonic_time () - t0) / 1e6);
  CU_ASSERT (acc > 0.93);
  CU_ASSERT (ratio >= 0.97);
  CU_ASSERT_EQUAL (nothing, 0);
}

/* ------------------------------------------------------------------------------------------ */

/* An evaluation from outputs computed elsewhere (the window's trainer pass) is the model's own
 * evaluation: a random 784-32-10 network on 300 random images, its one-row predictions turned
 * into an evaluation, against nw_digit_model_evaluate's batched pass. The two passes multiply
 * in other blockings (probabilities within 1e-5); random weights leave no near-ties, so the
 * counts and the mistakes' order match exactly. */
static void
test_evaluation_from_outputs (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_new_chain ("784 dense:32 relu dense:10 softmax_xent", &error);
  g_autoptr (NwDigitModel) model = NULL;
  g_autoptr (NwDigitEvaluation) direct = NULL, given = NULL;
  NwRng rng;
  const int n = 300;
  g_autofree float *params = NULL, *x = g_new (float, (gsize) n * 784), *out = g_new (float, (gsize) n * 10);
  g_autofree guint8 *labels = g_new (guint8, n);
  NwSplit split = { .n = n, .d = 784, .k = 10 };
  gsize np = 784 * 32 + 32 * 10 + 32 + 10;

  NW_ASSERT_NO_ERROR (error);
  nw_rng_init (&rng, 11);
  params = g_new (float, np);
  for (gsize i = 0; i < np; i++)
    params[i] = (float) (nw_rng_uniform (&rng) - 0.5) * 0.2f;
  model = nw_digit_model_new (spec, params, np, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (model != NULL);
  for (gsize i = 0; i < (gsize) n * 784; i++)
    x[i] = (float) nw_rng_uniform (&rng);
  for (int i = 0; i < n; i++)
    labels[i] = (guint8) (i % 10);
  split.x = x;
  split.labels = labels;
  direct = nw_digit_model_evaluate (model, &split, 50, NULL, &error);
  NW_ASSERT_NO_ERROR (error);
  for (int i = 0; i < n; i++)
    CU_ASSERT (nw_digit_model_predict (model, x + (gsize) i * 784, out + (gsize) i * 10, NULL, &error));
  given = nw_digit_evaluation_new_from_outputs (out, labels, n, 50);
  CU_ASSERT_FATAL (direct != NULL && given != NULL);
  CU_ASSERT_EQUAL (given->n, direct->n);
  CU_ASSERT_EQUAL (given->correct, direct->correct);
  CU_ASSERT_EQUAL (given->n_mistakes, direct->n_mistakes);
  CU_ASSERT (memcmp (given->counts, direct->counts, sizeof given->counts) == 0);
  CU_ASSERT_EQUAL_FATAL (given->mistakes->len, direct->mistakes->len);
  CU_ASSERT (given->n_mistakes > 200);   /* random weights: mostly wrong, a real ordering */
  for (guint i = 0; i < given->mistakes->len; i++)
    {
      const NwDigitMistake *a = &g_array_index (given->mistakes, NwDigitMistake, i);
      const NwDigitMistake *b = &g_array_index (direct->mistakes, NwDigitMistake, i);
      CU_ASSERT_EQUAL (a->index, b->index);
      CU_ASSERT_EQUAL (a->predicted, b->predicted);
      for (int c = 0; c < 10; c++)
        CU_ASSERT (fabsf (a->probs[c] - b->probs[c]) < 1e-5f);
    }
}

/* A newer state of the same network loads in place (the window's model at each epoch's end)
 * and predicts exactly what a model built from that state predicts: the same network on the
 * same backend, so bit for bit. BatchNorm's running statistics come with it. A state of
 * another network is refused, naming the tensor, and leaves the model predicting as before;
 * what counts as the same network ignores the name, the training settings and the layout. */
static void
test_state_loaded_in_place (void)
{
  GError *error = NULL;
  const char *chain = "784 dense:32 batchnorm relu dense:10 softmax_xent";
  g_autoptr (NwSpec) spec = nw_spec_new_chain (chain, &error);
  g_autoptr (NwSpec) other = nw_spec_new_chain ("784 dense:16 relu dense:10 softmax_xent", &error);
  g_autoptr (NwSpec) renamed = NULL, tanh_spec = NULL, bn_off = NULL;
  g_autoptr (NwDigitModel) a = NULL, b = NULL, fresh = NULL;
  g_autoptr (NwTensorFile) state_b = NULL, state_c = NULL;
  NwRng rng;
  gsize np = 784 * 32 + 32 + 32 + 32 + 32 * 10 + 10;
  g_autofree float *pa = g_new (float, np), *pb = g_new (float, np);
  float x[784], out_a[10], out_b[10], out_fresh[10], before[10];
  NwTensor *mean;

  NW_ASSERT_NO_ERROR (error);
  nw_rng_init (&rng, 5);
  for (gsize i = 0; i < np; i++)
    {
      pa[i] = (float) (nw_rng_uniform (&rng) - 0.5) * 0.2f;
      pb[i] = (float) (nw_rng_uniform (&rng) - 0.5) * 0.2f;
    }
  for (int i = 0; i < 784; i++)
    x[i] = (float) nw_rng_uniform (&rng);
  a = nw_digit_model_new (spec, pa, np, &error);
  NW_ASSERT_NO_ERROR (error);
  b = nw_digit_model_new (spec, pb, np, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (a != NULL && b != NULL);
  state_b = nw_net_state_dict (nw_digit_model_get_net (b));
  /* Running statistics other than the initial 0 and 1, so that loading them shows. */
  mean = (NwTensor *) nw_tensor_file_get (state_b, "1.running_mean");
  CU_ASSERT_FATAL (mean != NULL && mean->numel == 32);
  for (gsize i = 0; i < mean->numel; i++)
    mean->f32[i] = 0.05f * (float) (i % 7);

  /* The same network, whatever its name, training settings and layout; not another. */
  renamed = nw_spec_copy (spec);
  g_free (renamed->name);
  renamed->name = g_strdup ("renamed");
  renamed->train.lr = 0.5;
  ((NwNodeSpec *) g_ptr_array_index (renamed->nodes, 1))->x += 40;
  CU_ASSERT (nw_digit_model_same_network (a, spec));
  CU_ASSERT (nw_digit_model_same_network (a, renamed));
  CU_ASSERT (!nw_digit_model_same_network (a, other));
  tanh_spec = nw_spec_new_chain ("784 dense:32 batchnorm tanh dense:10 softmax_xent", &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT (!nw_digit_model_same_network (a, tanh_spec));
  bn_off = nw_spec_copy (spec);
  ((NwNodeSpec *) g_ptr_array_index (bn_off->nodes, 2))->enabled = FALSE;
  CU_ASSERT_EQUAL (((NwNodeSpec *) g_ptr_array_index (bn_off->nodes, 2))->kind, NW_NODE_BATCHNORM);
  CU_ASSERT (!nw_digit_model_same_network (a, bn_off));

  CU_ASSERT (nw_digit_model_predict (a, x, before, NULL, &error));
  CU_ASSERT (nw_digit_model_load_state (a, state_b, "state", &error));
  NW_ASSERT_NO_ERROR (error);
  fresh = nw_digit_model_new_from_state (spec, state_b, "state", &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (fresh != NULL);
  CU_ASSERT (nw_digit_model_predict (a, x, out_a, NULL, &error));
  CU_ASSERT (nw_digit_model_predict (fresh, x, out_fresh, NULL, &error));
  CU_ASSERT (nw_digit_model_predict (b, x, out_b, NULL, &error));
  CU_ASSERT (memcmp (out_a, out_fresh, sizeof out_a) == 0);
  CU_ASSERT (memcmp (out_a, before, sizeof out_a) != 0);
  /* b has the initial running statistics: the loaded ones made a difference. */
  CU_ASSERT (memcmp (out_a, out_b, sizeof out_a) != 0);

  /* Another network's state: refused, the tensor named, the model as it was. */
  {
    g_autoptr (NwDigitModel) small = nw_digit_model_new (other, pa, 784 * 16 + 16 + 16 * 10 + 10, &error);
    NW_ASSERT_NO_ERROR (error);
    CU_ASSERT_FATAL (small != NULL);
    state_c = nw_net_state_dict (nw_digit_model_get_net (small));
  }
  CU_ASSERT (!nw_digit_model_load_state (a, state_c, "other.safetensors", &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SHAPE, "other.safetensors");
  g_clear_error (&error);
  CU_ASSERT (nw_digit_model_predict (a, x, before, NULL, &error));
  CU_ASSERT (memcmp (out_a, before, sizeof out_a) == 0);
}

static const NwTestCase digit_cases[] = {
  { "bounding box of an L", test_bounding_box_of_l },
  { "fit keeps the aspect ratio", test_fit_keeps_aspect },
  { "centre of mass at (14, 14)", test_centre_of_mass },
  { "empty is nothing", test_empty_is_nothing },
  { "single dot and thin lines", test_single_dot },
  { "edges", test_edges },
  { "evaluation from outputs", test_evaluation_from_outputs },
  { "state loaded in place", test_state_loaded_in_place },
  { NULL, NULL },
};

static const NwTestCase set_cases[] = {
  { "add, remove, clear", test_set_add_remove },
  { "save and load", test_set_save_load },
  { "bad files refused, set kept", test_set_bad_files },
  { "mixed into training", test_set_mix_into_training },
  { NULL, NULL },
};

static const NwTestCase mnist_cases[] = {
  { "pad reads like MNIST", test_pad_reads_like_mnist },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "digit", digit_cases },
  { "digit-set", set_cases },
  { NULL, NULL },
};

static const NwTestSuite mnist_suites[] = {
  { "digit-mnist", mnist_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  if (argc > 1 && strcmp (argv[1], "digit-mnist") == 0)
    {
      g_autofree char *dir = nw_data_default_mnist_dir (nw_test_data_root ());
      g_autofree char *probe = g_build_filename (dir, "t10k-labels-idx1-ubyte", NULL);
      if (!g_file_test (probe, G_FILE_TEST_EXISTS))
        {
          g_print ("MNIST is not installed in %s (run tools/fetch-mnist.sh): skipped\n", dir);
          return 77;
        }
      return nw_test_main (argc, argv, mnist_suites);
    }
  return nw_test_main (argc, argv, suites);
}
