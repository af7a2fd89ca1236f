/* nw-digit-model.h: an MNIST-shaped classifier for reading drawn digits: a network of 784
 * inputs and 10 outputs on its own CPU backend, with one-row prediction that also returns the
 * activations of each hidden layer, and evaluation of a test split into a confusion matrix
 * and a list of mistakes.
 *
 * A model is used by one thread at a time. The desktop program keeps one on the main thread
 * for live prediction (one row costs tens of microseconds) and gives a copy
 * (nw_digit_model_copy) to a worker thread for evaluating the test split.
 *
 * Any network the spec can describe works, as long as it takes 784 inputs and gives 10
 * outputs; building one that does not fails with a GError naming the node or shape. */
#pragma once

#include <gio/gio.h>

#include "nw-data.h"
#include "nw-net.h"
#include "nw-safetensors.h"

G_BEGIN_DECLS

#define NW_DIGIT_MODEL_INPUTS   784
#define NW_DIGIT_MODEL_CLASSES  10

typedef struct _NwDigitModel NwDigitModel;

/* From a spec and its learnable parameters, laid out as nw_net_get_params() gives them (Dense
 * weights first, then biases, scales and shifts; see nw-net.h). BatchNorm's running statistics
 * are not parameters: a model made this way starts them at mean 0, variance 1. Use
 * nw_digit_model_new_from_state() for a network with BatchNorm. */
NwDigitModel *nw_digit_model_new            (const NwSpec *spec, const float *params,
                                             gsize n_params, GError **error);
/* From a spec and a state dict (nw_net_state_dict(), or a safetensors file's tensors): every
 * name and shape is checked. `what` names the source in errors ("weights.safetensors"). */
NwDigitModel *nw_digit_model_new_from_state (const NwSpec *spec, const NwTensorFile *state,
                                             const char *what, GError **error);
/* Whether `spec` describes the model's network: the same nodes (kind, width, activation,
 * Dropout and BatchNorm settings, on or off) wired the same way, whatever its name, data,
 * training settings and the editor's layout. */
gboolean      nw_digit_model_same_network   (NwDigitModel *model, const NwSpec *spec);
/* A newer state dict of the model's own network, loaded in place: what the desktop program
 * does at each MNIST epoch's end instead of building the network and its buffers again (check
 * nw_digit_model_same_network first: a state dict of another network whose tensors happen to
 * have the same names and shapes would load too). On an error, naming `what` and the tensor,
 * the model is left as it was. */
gboolean      nw_digit_model_load_state     (NwDigitModel *model, const NwTensorFile *state,
                                             const char *what, GError **error);
/* A saved model: spec JSON and safetensors weights. Errors name the file at fault. */
NwDigitModel *nw_digit_model_load           (const char *spec_path, const char *weights_path,
                                             GError **error);
/* An independent copy (its own network and backend) for another thread. */
NwDigitModel *nw_digit_model_copy           (NwDigitModel *model, GError **error);
void          nw_digit_model_free           (NwDigitModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwDigitModel, nw_digit_model_free)

/* Borrowed. */
const NwSpec *nw_digit_model_get_spec       (NwDigitModel *model);
NwNet        *nw_digit_model_get_net        (NwDigitModel *model);

/* The hidden layers shown for a digit: every Activation node whose output does not go
 * straight to the loss (for a network without activations, every Dense node that does not),
 * in execution order. Names are "id (activation)"; borrowed. */
int           nw_digit_model_n_hidden       (NwDigitModel *model);
const char   *nw_digit_model_hidden_name    (NwDigitModel *model, int i);
int           nw_digit_model_hidden_width   (NwDigitModel *model, int i);
/* Sum of the hidden widths: the size of `hidden` below. */
int           nw_digit_model_hidden_total   (NwDigitModel *model);

/* One 28x28 image (784 grey levels) -> 10 probabilities, and (when `hidden` is not NULL) the
 * hidden layers' activations, concatenated in nw_digit_model_hidden_name order. Evaluation
 * mode (dropout off, BatchNorm's running statistics). */
gboolean      nw_digit_model_predict        (NwDigitModel *model, const float *image, float *probs,
                                             float *hidden, GError **error);

/* One mistake in an evaluation. */
typedef struct {
  guint   index;                           /* row of the split */
  guint8  truth, predicted;
  float   probs[NW_DIGIT_MODEL_CLASSES];
} NwDigitMistake;

typedef struct {
  guint   n;                               /* rows evaluated */
  guint   correct;
  guint   counts[NW_DIGIT_MODEL_CLASSES * NW_DIGIT_MODEL_CLASSES];  /* [truth * 10 + predicted] */
  GArray *mistakes;                        /* of NwDigitMistake: most confident first, at most
                                              max_mistakes */
  guint   n_mistakes;                      /* all of them, kept or not */
} NwDigitEvaluation;

void          nw_digit_evaluation_free      (NwDigitEvaluation *eval);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwDigitEvaluation, nw_digit_evaluation_free)

/* The same evaluation from outputs computed elsewhere (a trainer's pass over the test split,
 * NwSnapshot.test_outputs): n rows of 10 outputs and their labels. */
NwDigitEvaluation *nw_digit_evaluation_new_from_outputs (const float *outputs,
                                                         const guint8 *labels, int n,
                                                         guint max_mistakes);

/* Runs the whole split (784 features, labels 0-9) in batches; checks `cancellable` between
 * batches (a cancelled run fails with G_IO_ERROR_CANCELLED). */
NwDigitEvaluation *nw_digit_model_evaluate  (NwDigitModel *model, const NwSplit *split,
                                             guint max_mistakes, GCancellable *cancellable,
                                             GError **error);

G_END_DECLS
