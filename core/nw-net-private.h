/* nw-net-private.h: NwNet's insides, shared by nw-net.c (compute) and nw-net-io.c (files). */
#pragma once

#include "nw-net.h"

typedef struct {
  NwNodeInfo info;
  int       *inputs;         /* owned; info.inputs points here */
  int        n_consumers;
  NwBuffer  *y, *dy;         /* rows x width; the input node has no dy */
  NwBuffer  *mask;           /* Dropout */
  NwBuffer  *mean, *invstd;  /* Batch/LayerNorm statistics saved for backward; BatchNorm's
                              * hold the last training batch's (kept from build to free,
                              * through reserves and evaluation passes) */
  NwBuffer  *eval_mean, *eval_invstd;  /* BatchNorm: what an evaluation or view pass used */
  NwBuffer  *frozen;         /* BatchNorm: the last batch's mean and variance in the running
                              * statistics' layout, for view passes */
  int        fused_dense;    /* Activation: the Dense whose bias it adds, else -1 */
  gboolean   bias_deferred;  /* Dense: its bias is added by the Activation after it */
  gboolean   dy_written;     /* during backward: the first writer overwrites */
  gint64     batches_tracked;
} NwNode;

struct _NwNet {
  NwSpec     *spec;          /* own copy */
  NwBackend  *backend;       /* borrowed */
  NwNode     *nodes;         /* topological order */
  int         n_nodes;
  int         n_classes, target_width;
  gboolean    chain;
  gsize       n_params, n_weights;  /* weights: the penalised prefix */
  gsize       n_state;
  NwBuffer   *params, *grads, *s1, *s2, *state, *targets, *metrics;
  int         capacity;      /* rows the activation buffers hold */
  int         last_rows;
  NwForwardMode last_mode;
  NwOptimizerKind opt_kind;
  gint64      updates;
  guint64     dropout_seed, dropout_counter;
  guint64     view_counter;  /* view passes' dropout masks: a stream apart from training's */
};

/* For the node kinds' passes (core/layers/): */
/* Where a backward pass writes the gradient for input `from`: overwrite the first time, add
 * after that. FALSE for the input node, which needs no gradient. */
gboolean nw_net_grad_target    (NwNet *net, int from, gboolean *accumulate);
/* Whether a Dropout node drops in a pass of `mode` (an NwForwardMode). */
gboolean nw_net_dropout_active (const NwNodeSpec *s, int mode);
/* Batch (axis 0) or layer (axis 1) normalisation's backward pass. */
void     nw_net_norm_backward  (NwNet *net, NwNode *node, int rows, int axis);
