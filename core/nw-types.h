/* nw-types.h: the scalar type, the error domain and the enums shared by every part of core.
 *
 * core is built twice: `nw_real` is float for the program (and the OpenCL backend), and
 * double (NW_REAL_DOUBLE) for the finite-difference gradient checks, which need the extra
 * precision to tell a wrong gradient from rounding noise. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#ifdef NW_REAL_DOUBLE
typedef double nw_real;
#else
typedef float nw_real;
#endif

#define NW_ERROR (nw_error_quark ())
GQuark nw_error_quark (void);

typedef enum {
  NW_ERROR_FAILED,      /* anything without a better code */
  NW_ERROR_IO,          /* a file could not be read or written */
  NW_ERROR_FORMAT,      /* a file's bytes are not what its format says */
  NW_ERROR_SPEC,        /* a network spec is invalid (the message names node or edge) */
  NW_ERROR_SHAPE,       /* tensor shapes do not agree */
  NW_ERROR_RANGE,       /* a number is out of its allowed range */
  NW_ERROR_DIVERGED,    /* training produced NaN/Inf or an exploding loss */
  NW_ERROR_NO_MEMORY,   /* an allocation was refused or would overflow */
  NW_ERROR_BACKEND,     /* a compute backend failed */
  NW_ERROR_CANCELLED,   /* the caller stopped a long operation (a load) */
} NwErrorCode;

typedef enum {
  NW_ACT_LINEAR,
  NW_ACT_SIGMOID,
  NW_ACT_TANH,
  NW_ACT_RELU,
  NW_ACT_LEAKY_RELU,    /* slope `alpha` for x < 0 */
  NW_ACT_ELU,           /* alpha * (exp(x) - 1) for x < 0 */
  NW_ACT_GELU,          /* exact (erf) form, as torch.nn.GELU() */
  NW_ACT_SOFTMAX,       /* along each row */
  NW_ACT_SELU,          /* torch.nn.SELU: fixed scale and alpha */
  NW_ACT_STEP,          /* Heaviside: 1 for x > 0, else 0; its gradient is 0 by design */
  NW_N_ACTIVATIONS
} NwActivation;

typedef enum {
  NW_LOSS_BCE,          /* binary cross-entropy on probabilities in (0,1) */
  NW_LOSS_BCE_LOGITS,   /* binary cross-entropy on logits (sigmoid folded in) */
  NW_LOSS_SOFTMAX_XENT, /* softmax cross-entropy on logits, one-hot targets */
  NW_LOSS_MSE,          /* mean squared error, averaged over every element */
  NW_N_LOSSES
} NwLoss;

typedef enum {
  NW_INIT_TORCH_DEFAULT, /* nn.Linear's: kaiming_uniform(a=sqrt 5) weights, U(+-1/sqrt fan_in) bias */
  NW_INIT_ZEROS,
  NW_INIT_CONSTANT,      /* value = param */
  NW_INIT_NORMAL,        /* N(0, param^2), param defaults to 1 like torch.nn.init.normal_ */
  NW_INIT_UNIFORM,       /* U(-param, param), param defaults to 1 */
  NW_INIT_XAVIER_UNIFORM,
  NW_INIT_XAVIER_NORMAL,
  NW_INIT_HE_UNIFORM,
  NW_INIT_HE_NORMAL,
  NW_INIT_LECUN_NORMAL,
  NW_N_INITS
} NwInit;

typedef enum {
  NW_OPT_SGD,
  NW_OPT_MOMENTUM,
  NW_OPT_NESTEROV,
  NW_OPT_ADAGRAD,
  NW_OPT_RMSPROP,
  NW_OPT_ADAM,
  NW_OPT_ADAMW,
  NW_N_OPTIMIZERS
} NwOptimizerKind;

typedef enum {
  NW_NODE_INPUT,
  NW_NODE_DENSE,
  NW_NODE_ACTIVATION,
  NW_NODE_DROPOUT,
  NW_NODE_BATCHNORM,
  NW_NODE_LAYERNORM,
  NW_NODE_ADD,
  NW_NODE_CONCAT,
  NW_NODE_LOSS,
  NW_N_NODE_KINDS
} NwNodeKind;

/* Names as they appear in files and on the command line; NULL/-1 for out-of-range values.
 * The activations' come from their table (nw-activation.h). */
const char *nw_activation_name     (NwActivation a);
const char *nw_loss_name           (NwLoss l);
const char *nw_init_name           (NwInit i);
const char *nw_optimizer_name      (NwOptimizerKind o);
const char *nw_node_kind_name      (NwNodeKind k);
int         nw_activation_from_name (const char *name);
int         nw_loss_from_name       (const char *name);
int         nw_init_from_name       (const char *name);
int         nw_optimizer_from_name  (const char *name);
int         nw_node_kind_from_name  (const char *name);

G_END_DECLS
