/* nw-activation.h: the table of activation functions.
 *
 * One row per NwActivation says everything the program knows about it outside the backends'
 * loops: its name in files, its label, whether it takes `alpha` and its default, whether it
 * is elementwise (all but softmax), whether its gradient is zero by design (the step), its
 * output range, what kind of trouble its probes look for, and its value and derivative in
 * double precision (plots, tests). The formulas themselves are in layers/act-formulas.inc
 * (CPU) and resources/kernels/act.cl (OpenCL). */
#pragma once

#include "nw-types.h"

G_BEGIN_DECLS

typedef struct {
  NwActivation id;
  const char  *name;          /* in files and on the command line: "leaky_relu" */
  const char  *label;         /* English, NC_("activation", ...)-marked: "Leaky ReLU"; shown
                               * through g_dpgettext2 (GETTEXT_PACKAGE, "activation", label) */
  const char  *formula;       /* plain text for `neurowire-cli info`: "max(0, x)" */
  gboolean     has_alpha;     /* the node's `alpha` setting means something */
  double       default_alpha; /* what a new node stores (0 where it has none) */
  const char  *alpha_label;   /* N_()-marked, NULL where it has none */
  gboolean     elementwise;   /* FALSE: along each row (softmax) */
  gboolean     gradient_zero; /* its derivative is 0 wherever it exists, by design */
  double       out_lo, out_hi;/* the range of its output at the default alpha (+-INFINITY) */
  gboolean     saturates;     /* probes count saturated inputs (|f'| < 1% of its peak) */
  gboolean     can_die;       /* probes count dead inputs and units (x <= 0 passes nothing) */
  /* f(x) and f'(x) at `alpha`; for softmax, the identity (its plot is not a curve) */
  double     (*value)         (double x, double alpha);
  double     (*derivative)    (double x, double alpha);
} NwActivationInfo;

/* Borrowed, static; NULL for a value out of range. */
const NwActivationInfo *nw_activation_info            (NwActivation act);
/* TRUE for an activation whose gradient is 0 everywhere by design (the step): the layers
 * before it learn nothing, and a vanishing-gradient alarm would be wrong about why. */
gboolean                nw_activation_gradient_is_zero (NwActivation act);
double                  nw_activation_default_alpha   (NwActivation act);
/* f(x) and f'(x) at the default alpha (plots, tests). */
double                  nw_activation_value           (NwActivation act, double x);
double                  nw_activation_derivative      (NwActivation act, double x);

G_END_DECLS
