/* act-math.h: the elementwise activations' formulas (act-formulas.inc) for double and for
 * float, the nw_real ones the backends use, and the list to generate dispatch from.
 *
 * Private to core (the CPU backend and the activation table include it). */
#pragma once

#include "nw-types.h"

#include <math.h>

/* torch.nn.SELU's constants (Klambauer et al. 2017), and their product, which PyTorch
 * multiplies by below zero. */
#define NW_SELU_SCALE 1.0507009873554804934193349852946
#define NW_SELU_ALPHA 1.6732632423543772848170429916717
#define NW_SELU_NEG   (NW_SELU_SCALE * NW_SELU_ALPHA)

#define NW_T double
#define NW_FN(name) nw_act_##name##_d
#define NW_EXP exp
#define NW_TANH tanh
#define NW_ERF erf
#include "act-formulas.inc"
#undef NW_T
#undef NW_FN
#undef NW_EXP
#undef NW_TANH
#undef NW_ERF

#define NW_T float
#define NW_FN(name) nw_act_##name##_f
#define NW_EXP expf
#define NW_TANH tanhf
#define NW_ERF erff
#include "act-formulas.inc"
#undef NW_T
#undef NW_FN
#undef NW_EXP
#undef NW_TANH
#undef NW_ERF

/* nw_act_f_NAME_r / nw_act_d_NAME_r: the nw_real versions. */
#ifdef NW_REAL_DOUBLE
#define NW_ACT_F(name) nw_act_f_##name##_d
#define NW_ACT_D(name) nw_act_d_##name##_d
#else
#define NW_ACT_F(name) nw_act_f_##name##_f
#define NW_ACT_D(name) nw_act_d_##name##_f
#endif

/* Every elementwise activation as X (ENUM, name): softmax, the one that works along a row,
 * is not in it. The CPU backend's loops and the table's functions are generated from it. */
#define NW_ACT_ELEMENTWISE(X) \
  X (NW_ACT_LINEAR, linear) \
  X (NW_ACT_SIGMOID, sigmoid) \
  X (NW_ACT_TANH, tanh) \
  X (NW_ACT_RELU, relu) \
  X (NW_ACT_LEAKY_RELU, leaky_relu) \
  X (NW_ACT_ELU, elu) \
  X (NW_ACT_GELU, gelu) \
  X (NW_ACT_SELU, selu) \
  X (NW_ACT_STEP, step)
