/* nw-net.h: a network built from a spec, on a backend.
 *
 * All learnable parameters live in one buffer (Dense weights first, then every bias, scale
 * and shift), with a twin gradient buffer and the optimizer's state buffers beside them:
 * one transfer moves a whole model, per-layer norms are slices, and an optimizer step is two
 * backend calls (penalised weights, then the rest). BatchNorm's running statistics live in a
 * separate state buffer: they are saved, not trained. */
#pragma once

#include "nw-backend.h"
#include "nw-spec.h"
#include "nw-memory.h"
#include "nw-safetensors.h"

G_BEGIN_DECLS

typedef struct _NwNet NwNet;

/* One node as the outside sees it. Offsets are in elements of the parameter buffer
 * (state buffer for running statistics); counts are 0 where a node has no such tensor. */
typedef struct {
  const NwNodeSpec *spec;     /* borrowed from the net's own copy of the spec */
  int    width;               /* output width */
  int    in_width;            /* width of input port 0 (0 for the input node) */
  int    n_inputs;
  const int *inputs;          /* indices into the net's node list, in port order */
  gsize  w_off, w_n;          /* Dense weight [width, in_width]; Batch/LayerNorm scale */
  gsize  b_off, b_n;          /* Dense bias; Batch/LayerNorm shift */
  gsize  rs_off;              /* BatchNorm running mean (running var follows at + width) */
  int    seq_index;           /* index in the equivalent nn.Sequential, -1 if not a chain */
} NwNodeInfo;

NwNet      *nw_net_new            (const NwSpec *spec, int input_width, int target_width,
                                   int n_classes, NwBackend *backend, GError **error);
void        nw_net_free           (NwNet *net);

const NwSpec *nw_net_get_spec     (NwNet *net);
NwBackend  *nw_net_get_backend    (NwNet *net);
/* Nodes in execution (topological) order: input first, loss last. */
int         nw_net_n_nodes        (NwNet *net);
const NwNodeInfo *nw_net_node     (NwNet *net, int i);
int         nw_net_find_node      (NwNet *net, const char *id);
gsize       nw_net_n_params       (NwNet *net);
int         nw_net_input_width    (NwNet *net);
int         nw_net_output_width   (NwNet *net);   /* width of the loss node's input */
gboolean    nw_net_is_chain       (NwNet *net);

/* Draws every parameter from `seed` and resets running statistics and optimizer state. */
void        nw_net_init_params    (NwNet *net, guint64 seed);

/* Makes room for batches of up to `rows` rows. */
gboolean    nw_net_reserve        (NwNet *net, int rows, GError **error);
/* The memory training needs at `rows` rows a batch, plus `data_bytes` (nw-memory.h) */
void        nw_net_memory_estimate (NwNet *net, int rows, guint64 data_bytes,
                                    NwMemoryEstimate *out);
/* Where the next batch's inputs (rows x input width) and targets (rows x target width) go. */
NwBuffer   *nw_net_input          (NwNet *net);
NwBuffer   *nw_net_targets        (NwNet *net);

/* How a forward pass treats Dropout and BatchNorm. */
typedef enum {
  NW_FORWARD_EVAL,        /* dropout off; BatchNorm normalises with its running averages */
  NW_FORWARD_TRAIN,       /* a training step: dropout masks drawn (the dropout counter moves on),
                           * BatchNorm normalises with this batch's statistics and updates its
                           * running averages */
  NW_FORWARD_TRAIN_VIEW,  /* what training does to these rows, for a view, without touching the
                           * run: dropout on with masks from a stream of their own (the run's
                           * dropout counter does not move), BatchNorm with the statistics of the
                           * most recent training batch, frozen (the running averages are not
                           * updated; before any training step: mean 0, variance 1) */
} NwForwardMode;

/* Forward through every node; with `targets` also the loss (added to the metrics).
 * `train` selects training behaviour (dropout on, batch statistics): NW_FORWARD_TRAIN or
 * NW_FORWARD_EVAL. */
void        nw_net_forward        (NwNet *net, int rows, gboolean train, gboolean targets);
void        nw_net_forward_mode   (NwNet *net, int rows, NwForwardMode mode, gboolean targets);
/* Backward from the loss of the last forward, which must have been a training-mode forward
 * with targets: the loss writes its gradient only then, so that evaluation passes never touch
 * gradient buffers. */
void        nw_net_backward       (NwNet *net);
/* One optimizer step with these hyperparameters; the step counter advances. A change of
 * optimizer kind clears the optimizer's state. */
void        nw_net_update         (NwNet *net, const NwTrainSpec *hp);
gint64      nw_net_get_updates    (NwNet *net);

/* Loss sum, correct count and rows accumulated since the last reset (reads the device). */
void        nw_net_read_metrics   (NwNet *net, double out[NW_METRIC_SIZE]);
void        nw_net_reset_metrics  (NwNet *net);

/* The last forward's prediction for `rows` rows as probabilities (sigmoid/softmax applied
 * for the logit losses), rows x output width, into `out`. */
void        nw_net_read_output    (NwNet *net, int rows, float *out);
/* The output of node i (rows x width) of the last forward, into `out`. */
void        nw_net_read_node      (NwNet *net, int i, int rows, float *out);

/* Enable or disable a Dropout or BatchNorm node between steps (no rebuild). */
gboolean    nw_net_set_enabled    (NwNet *net, const char *id, gboolean enabled, GError **error);

/* Parameters, gradients and state as host floats. */
void        nw_net_get_params     (NwNet *net, float *dst);
void        nw_net_set_params     (NwNet *net, const float *src);
void        nw_net_get_grads      (NwNet *net, float *dst);
NwBuffer   *nw_net_params_buffer  (NwNet *net);
NwBuffer   *nw_net_grads_buffer   (NwNet *net);
NwBuffer   *nw_net_node_output    (NwNet *net, int i);  /* device buffer, rows x width */
NwBuffer   *nw_net_node_grad      (NwNet *net, int i);  /* NULL for the input node */

/* Weights as a PyTorch state_dict: a chain is named like nn.Sequential ("0.weight", ...),
 * any other graph by node id ("fc1.weight"). Load checks every name, shape and value
 * before changing anything. */
/* Parameters typed in by hand: node `node_id`'s "weight" (rows = its units, cols = its inputs,
 * as PyTorch's Linear.weight) or "bias" (rows = its units, cols = 1), written into the
 * parameter buffer on the backend (any backend: the values go up in one upload). A node
 * without that tensor, or values of another shape, are refused naming the node and both
 * shapes, changing nothing. The optimizer's state (momentum, Adam's moments) is left as it
 * was: the run goes on from the new weights as from weights it reached itself. */
gboolean    nw_net_set_node_param (NwNet *net, const char *node_id, const char *which,
                                   const float *values, int rows, int cols, GError **error);
NwTensorFile *nw_net_state_dict   (NwNet *net);
gboolean    nw_net_load_state_dict (NwNet *net, const NwTensorFile *tf, const char *file_name,
                                    GError **error);
gboolean    nw_net_save_weights   (NwNet *net, const char *path, GError **error);
gboolean    nw_net_load_weights   (NwNet *net, const char *path, GError **error);

G_END_DECLS

G_BEGIN_DECLS
/* Dropout masks are drawn from (seed, counter); the counter advances by the mask's size on
 * every training forward. Setting it back replays the same masks (gradient checks do). */
void        nw_net_set_dropout_state (NwNet *net, guint64 seed, guint64 counter);
guint64     nw_net_get_dropout_counter (NwNet *net);
G_END_DECLS

G_BEGIN_DECLS
/* For a backend's fused training path (core/nw-trainer-chain.c), which updates the
 * parameters itself. */
gsize       nw_net_n_weights      (NwNet *net);   /* the penalised prefix (Dense weights) */
/* The optimizer's two state buffers (borrowed), parameter-shaped. */
void        nw_net_get_optimizer_state (NwNet *net, NwBuffer **s1, NwBuffer **s2);
/* Before updates done elsewhere with these hyperparameters: clears the optimizer's state on
 * a change of optimizer kind, as nw_net_update does. Returns the updates counted so far (the
 * next update is number + 1, Adam's t). */
gint64      nw_net_begin_updates  (NwNet *net, const NwTrainSpec *hp);
/* Counts `n` updates done elsewhere. */
void        nw_net_count_updates  (NwNet *net, gint64 n);
G_END_DECLS
