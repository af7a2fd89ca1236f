/* nw-mnist-panel.h: the MNIST view: draw a digit and watch a trained network read it.
 *
 * What it shows: the digit pad with its controls (stroke width, undo, clear), the
 * preprocessing stages and the 28x28 the network sees, ten probability bars with the top
 * guess large, the activations of every hidden layer, the user's own labelled digits ("Add to
 * training set", save, load, mix into training), the training's epoch progress and per-epoch
 * test accuracy, the confusion matrix on the test split and a gallery of misclassified test
 * digits (click one for its probabilities).
 *
 * How the window drives it (everything on the main thread):
 *
 *   - The model. nw_mnist_panel_set_model() (spec + the flat parameter array a trainer
 *     gives, nw_net_get_params()) or nw_mnist_panel_set_model_state() (spec + a state dict,
 *     nw_net_state_dict(): use it for networks with BatchNorm, whose running statistics are
 *     not parameters) builds the panel's OWN inference network on the CPU backend, so live
 *     prediction runs on the main thread in tens of microseconds and never waits for the
 *     trainer's thread. The network must take 784 inputs and give 10 outputs; any other is
 *     refused with a GError naming the node or shape, and the previous model stays. A state
 *     dict of the network the panel already has (same nodes and wiring, same name: the next
 *     epoch of the same run) is loaded into that network in place (nothing rebuilt).
 *     nw_mnist_panel_load_model() does the same from a spec JSON and safetensors weights
 *     (a model saved by neurowire-cli or by PyTorch, see README).
 *     Call these when a model is worth showing: at the end of an epoch, on pause, after
 *     loading. Every call also starts a new test-split evaluation (below), cancelling the
 *     one before, so calling it on every snapshot would keep the worker busy for nothing.
 *
 *   - The test data. nw_mnist_panel_set_test_data() copies the dataset's test split (the
 *     caller keeps the dataset: the trainer usually owns it), nw_mnist_panel_share_test_data()
 *     reads it in place while holding a reference the caller gives; both take the class names from
 *     its name ("fashion_mnist": T-shirt/top .. Ankle boot). NULL clears it.
 *     nw_mnist_panel_set_data_message() shows a message in the test-set views instead (for
 *     example how to get missing files).
 *
 *   - Evaluation. With a model and test data, the panel evaluates the whole test split in a
 *     GTask worker on its own copy of the network (no GTK off the main thread), then shows
 *     the confusion matrix and the misclassified digits. A newer model or new data cancels
 *     the computation under way; a result that arrives for an older model is dropped.
 *     "evaluating" is TRUE meanwhile; "evaluation-done" is emitted with the result shown.
 *
 *     An owner that evaluates the test split anyway can take this over
 *     (nw_mnist_panel_set_external_evaluation): the panel then never evaluates by itself
 *     and shows what nw_mnist_panel_set_test_outputs() gives it. The window does, from the
 *     pass its trainer makes at each epoch's end: one pass instead of two, and the matrix
 *     agrees with the epoch's listed accuracy to the digit.
 *
 *   - Progress. nw_mnist_panel_set_progress (epoch, fraction, test_accuracy) from each
 *     snapshot: `epoch` is the number of completed epochs, `fraction` the position in the
 *     current one [0, 1], `test_accuracy` in [0, 1] or NAN when the snapshot has none; each
 *     epoch's first finite accuracy is listed. The list keeps its newest epoch in view, as
 *     a log does, unless the user has scrolled up to older ones.
 *     nw_mnist_panel_reset_progress() for a new run.
 *
 *   - The user's digits. "Add to training set" stores the current 28x28 with the chosen
 *     label. nw_mnist_panel_get_digit_set() gives the set (borrowed); when "mix-user-digits"
 *     is TRUE, the window's session adds it to the training data of its next run, each digit
 *     NW_SESSION_MIX_REPEAT times (core/nw-session.h, nw_session_set_digits_func). Save and load go through the panel's buttons (file choosers)
 *     or nw_mnist_panel_save_digit_set() / _load_digit_set().
 *
 * Properties (read-only unless said):
 *   "has-model"        boolean
 *   "prediction"       int: the top class for the drawing, -1 for nothing to read / no model
 *   "evaluating"       boolean: a test-split evaluation is under way
 *   "mix-user-digits"  boolean, read-write: the "Mix into training" check button
 *   "n-user-digits"    int: digits in the user's set
 * Signals:
 *   "model-changed" ()         a new model is in place (set or loaded)
 *   "evaluation-done" ()       the confusion matrix and gallery show a new evaluation
 *   "digit-set-changed" ()     a digit was added or removed, or a set loaded
 *
 * Keyboard: Ctrl+Z undoes a stroke, Delete clears the pad, Ctrl+Return adds the drawing to the
 * training set. Every control has an accessible name ("Clear pad", "Undo stroke", "Stroke
 * width", "Add to training set", "Label for the drawn digit", ...); the prediction is also a
 * label named "Prediction" whose text is the class and a word for the confidence ("7 · sure"
 * at 90% or more, "7 · likely" from 60%, "7 · unsure" below) or why there is none ("Nothing to
 * read", "Draw a digit", "No model yet"); the numbers are in the bars and their description. */
#pragma once

#include <gtk/gtk.h>

#include "nw-data.h"
#include "nw-digit.h"
#include "nw-digit-set.h"
#include "nw-safetensors.h"
#include "nw-spec.h"

G_BEGIN_DECLS

/* The gallery shows at most this many misclassified digits, most confidently wrong first. */
#define NW_MNIST_PANEL_MAX_GALLERY 300

#define NW_TYPE_MNIST_PANEL (nw_mnist_panel_get_type ())
G_DECLARE_FINAL_TYPE (NwMnistPanel, nw_mnist_panel, NW, MNIST_PANEL, GtkWidget)

GtkWidget  *nw_mnist_panel_new                (void);

/* The model (see above). All return FALSE with `error` set and the previous model kept when
 * the network does not fit 784 -> 10 or the parameters do not fit the network. */
gboolean    nw_mnist_panel_set_model          (NwMnistPanel *self, const NwSpec *spec,
                                               const float *params, gsize n_params,
                                               GError **error);
gboolean    nw_mnist_panel_set_model_state    (NwMnistPanel *self, const NwSpec *spec,
                                               const NwTensorFile *state, GError **error);
gboolean    nw_mnist_panel_load_model         (NwMnistPanel *self, const char *spec_path,
                                               const char *weights_path, GError **error);
void        nw_mnist_panel_clear_model        (NwMnistPanel *self);
gboolean    nw_mnist_panel_has_model          (NwMnistPanel *self);
/* The model's spec, borrowed; NULL without a model. */
const NwSpec *nw_mnist_panel_get_spec         (NwMnistPanel *self);

/* TRUE: the panel does not evaluate models itself (see above); a model set keeps the
 * evaluation shown, new test data or no model clears it. */
void        nw_mnist_panel_set_external_evaluation (NwMnistPanel *self, gboolean external);
/* An evaluation from outputs computed elsewhere: `n` rows of `width` outputs (probabilities,
 * as nw_net_read_output gives them) for the panel's test split, in its order. FALSE, and
 * nothing changed, when they do not fit it (no test data, another row count, not 10 wide).
 * Any evaluation of the panel's own under way is cancelled. */
gboolean    nw_mnist_panel_set_test_outputs   (NwMnistPanel *self, const float *outputs, int n,
                                               int width);

/* The test split is copied; `ds` stays the caller's. NULL clears. */
void        nw_mnist_panel_set_test_data      (NwMnistPanel *self, const NwDataset *ds);
/* The same without a copy (MNIST's test images are 31 MB): the panel reads `ds`'s test split
 * for as long as it holds `owner` (taken), which must keep `ds` alive and unchanged, and
 * releases it with `owner_free`, on whichever thread lets go of the split last (the
 * evaluation worker may). */
void        nw_mnist_panel_share_test_data    (NwMnistPanel *self, const NwDataset *ds,
                                               gpointer owner, GDestroyNotify owner_free);
/* A message in the confusion matrix and gallery (e.g. missing files); NULL for none. */
void        nw_mnist_panel_set_data_message   (NwMnistPanel *self, const char *message);
/* Class names (10, copied) for bars, matrix and label chooser; NULL: "0".."9". */
void        nw_mnist_panel_set_class_names    (NwMnistPanel *self, const char *const *names);

void        nw_mnist_panel_set_progress       (NwMnistPanel *self, int epoch, double fraction,
                                               double test_accuracy);
/* Only the listing: an epoch's accuracy from a snapshot its owner never showed. */
void        nw_mnist_panel_list_accuracy      (NwMnistPanel *self, int epoch,
                                               double test_accuracy);
void        nw_mnist_panel_reset_progress     (NwMnistPanel *self);

/* The user's digits, borrowed. After changing the set directly, call
 * nw_mnist_panel_digit_set_changed() so the panel's count follows. */
NwDigitSet *nw_mnist_panel_get_digit_set      (NwMnistPanel *self);
void        nw_mnist_panel_digit_set_changed  (NwMnistPanel *self);
gboolean    nw_mnist_panel_save_digit_set     (NwMnistPanel *self, const char *path,
                                               GError **error);
gboolean    nw_mnist_panel_load_digit_set     (NwMnistPanel *self, const char *path,
                                               GError **error);
/* Adds the current drawing with `label`; FALSE (and nothing added) when there is nothing to
 * read. Clears the pad after adding. */
gboolean    nw_mnist_panel_add_drawing        (NwMnistPanel *self, int label);
gboolean    nw_mnist_panel_get_mix_user_digits (NwMnistPanel *self);

/* The current reading: top class (-1: nothing), probabilities (borrowed, NULL when nothing),
 * and the preprocessing stages (borrowed). */
int         nw_mnist_panel_get_prediction     (NwMnistPanel *self);
const float *nw_mnist_panel_get_probabilities (NwMnistPanel *self);
const NwDigitStages *nw_mnist_panel_get_stages (NwMnistPanel *self);
gboolean    nw_mnist_panel_is_evaluating      (NwMnistPanel *self);

/* The parts, borrowed (tests and benchmarks draw on the pad and read the views). */
GtkWidget  *nw_mnist_panel_get_pad            (NwMnistPanel *self);
GtkWidget  *nw_mnist_panel_get_prob_bars      (NwMnistPanel *self);
GtkWidget  *nw_mnist_panel_get_stages_view    (NwMnistPanel *self);
GtkWidget  *nw_mnist_panel_get_layer_strip    (NwMnistPanel *self);
GtkWidget  *nw_mnist_panel_get_confusion_view (NwMnistPanel *self);
GtkWidget  *nw_mnist_panel_get_gallery        (NwMnistPanel *self);
GtkWidget  *nw_mnist_panel_get_accuracy_list  (NwMnistPanel *self);   /* a GtkFlowBox */

G_END_DECLS
