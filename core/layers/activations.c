/* activations.c: the activation table (nw-activation.h).
 *
 * The value and derivative functions are the double instances of act-formulas.inc, so the
 * plots and the gradient checks see the very expressions the CPU backend runs. */
#include "nw-activation.h"
#include "nw-i18n.h"
#include "act-math.h"

#include <math.h>

#define TABLE_FUNCTIONS(ENUM, name) \
  static double \
  value_##name (double x, double alpha) \
  { \
    return nw_act_f_##name##_d (x, alpha); \
  } \
  static double \
  derivative_##name (double x, double alpha) \
  { \
    return nw_act_d_##name##_d (x, nw_act_f_##name##_d (x, alpha), 1.0, alpha); \
  }
NW_ACT_ELEMENTWISE (TABLE_FUNCTIONS)
#undef TABLE_FUNCTIONS

/* Softmax is not a curve of one input: its panel shows the identity and says "along each
 * row". */
#define value_softmax value_linear
#define derivative_softmax derivative_linear

#define FUNCTIONS(name) .value = value_##name, .derivative = derivative_##name

static const NwActivationInfo table[NW_N_ACTIVATIONS] = {
  [NW_ACT_LINEAR] = {
    NW_ACT_LINEAR, "linear", NC_("activation", "Linear"), "x",
    .elementwise = TRUE, .out_lo = -INFINITY, .out_hi = INFINITY, FUNCTIONS (linear),
  },
  [NW_ACT_SIGMOID] = {
    NW_ACT_SIGMOID, "sigmoid", NC_("activation", "Sigmoid"), "1 / (1 + e^-x)",
    .elementwise = TRUE, .out_lo = 0, .out_hi = 1, .saturates = TRUE, FUNCTIONS (sigmoid),
  },
  [NW_ACT_TANH] = {
    NW_ACT_TANH, "tanh", NC_("activation", "Tanh"), "tanh(x)",
    .elementwise = TRUE, .out_lo = -1, .out_hi = 1, .saturates = TRUE, FUNCTIONS (tanh),
  },
  [NW_ACT_RELU] = {
    NW_ACT_RELU, "relu", NC_("activation", "ReLU"), "max(0, x)",
    .elementwise = TRUE, .out_lo = 0, .out_hi = INFINITY, .can_die = TRUE, FUNCTIONS (relu),
  },
  [NW_ACT_LEAKY_RELU] = {
    NW_ACT_LEAKY_RELU, "leaky_relu", NC_("activation", "Leaky ReLU"), "x > 0 ? x : alpha x",
    .has_alpha = TRUE, .default_alpha = 0.01, .alpha_label = N_("Slope below zero"),
    .elementwise = TRUE, .out_lo = -INFINITY, .out_hi = INFINITY, FUNCTIONS (leaky_relu),
  },
  [NW_ACT_ELU] = {
    NW_ACT_ELU, "elu", NC_("activation", "ELU"), "x > 0 ? x : alpha (e^x - 1)",
    .has_alpha = TRUE, .default_alpha = 1.0, .alpha_label = N_("Scale below zero"),
    .elementwise = TRUE, .out_lo = -1, .out_hi = INFINITY, FUNCTIONS (elu),
  },
  [NW_ACT_GELU] = {
    NW_ACT_GELU, "gelu", NC_("activation", "GELU"), "x Phi(x)",
    .elementwise = TRUE, .out_lo = -0.17, .out_hi = INFINITY, FUNCTIONS (gelu),
  },
  [NW_ACT_SOFTMAX] = {
    NW_ACT_SOFTMAX, "softmax", NC_("activation", "Softmax"), "e^x_i / sum_j e^x_j (along each row)",
    .elementwise = FALSE, .out_lo = 0, .out_hi = 1, FUNCTIONS (softmax),
  },
  [NW_ACT_SELU] = {
    NW_ACT_SELU, "selu", NC_("activation", "SELU"), "1.0507 (x > 0 ? x : 1.6733 (e^x - 1))",
    .elementwise = TRUE, .out_lo = -NW_SELU_NEG, .out_hi = INFINITY, FUNCTIONS (selu),
  },
  [NW_ACT_STEP] = {
    NW_ACT_STEP, "step", NC_("activation", "Step"), "x > 0 ? 1 : 0",
    .elementwise = TRUE, .gradient_zero = TRUE, .out_lo = 0, .out_hi = 1, FUNCTIONS (step),
  },
};

const NwActivationInfo *
nw_activation_info (NwActivation act)
{
  if ((int) act < 0 || act >= NW_N_ACTIVATIONS)
    return NULL;
  return &table[act];
}

gboolean
nw_activation_gradient_is_zero (NwActivation act)
{
  const NwActivationInfo *info = nw_activation_info (act);
  return info != NULL && info->gradient_zero;
}

double
nw_activation_default_alpha (NwActivation act)
{
  const NwActivationInfo *info = nw_activation_info (act);
  return info != NULL ? info->default_alpha : 0.0;
}

double
nw_activation_value (NwActivation act, double x)
{
  const NwActivationInfo *info = nw_activation_info (act);
  return info != NULL ? info->value (x, info->default_alpha) : x;
}

double
nw_activation_derivative (NwActivation act, double x)
{
  const NwActivationInfo *info = nw_activation_info (act);
  return info != NULL ? info->derivative (x, info->default_alpha) : 1.0;
}

const char *
nw_activation_name (NwActivation act)
{
  const NwActivationInfo *info = nw_activation_info (act);
  return info != NULL ? info->name : NULL;
}

int
nw_activation_from_name (const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; i < NW_N_ACTIVATIONS; i++)
    if (g_ascii_strcasecmp (table[i].name, name) == 0)
      return i;
  return -1;
}
