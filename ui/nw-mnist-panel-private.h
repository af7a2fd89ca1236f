/* nw-mnist-panel-private.h: what the MNIST panel's files share (nw-mnist-panel.c: the widget,
 * the reading and the model; nw-mnist-panel-eval.c: the test-set evaluation, the confusion
 * matrix and the gallery; nw-mnist-panel-digits.c: the user's digit set). Internal to ui/. */
#pragma once

#include "nw-mnist-panel.h"

#include "nw-confusion-view.h"
#include "nw-digit-gallery.h"
#include "nw-digit-model.h"
#include "nw-digit-pad.h"
#include "nw-digit-stages.h"
#include "nw-layer-strip.h"
#include "nw-prob-bars.h"

G_BEGIN_DECLS

#define N_CLASSES NW_DIGIT_MODEL_CLASSES

/* The panel's test split, shared read-only with the evaluation worker: its own copy, or a
 * dataset's arrays kept alive by a reference to their owner. */
typedef struct {
  int            n;
  const float   *x;           /* n x 784 */
  const guint8  *labels;
  gpointer       owner;       /* NULL: x and labels are the split's own copies */
  GDestroyNotify owner_free;
} TestSplit;

struct _NwMnistPanel
{
  GtkWidget          parent_instance;

  /* template children */
  GtkWidget         *scroller;
  NwDigitPad        *pad;
  GtkScale          *width_scale;
  GtkLabel          *prediction_label;
  GtkLabel          *model_label;
  NwProbBars        *prob_bars;
  NwDigitStagesView *stages_view;
  NwLayerStrip      *layer_strip;
  GtkLabel          *user_count_label;
  GtkDropDown       *label_dropdown;
  GtkCheckButton    *mix_check;
  GtkLabel          *set_status_label;
  GtkLabel          *epoch_label;
  GtkProgressBar    *epoch_progress;
  GtkInscription    *epoch_progress_text;   /* not the bar's own text: a new one would lay
                                             * the window out again, 4 times a second */
  GtkScrolledWindow *accuracy_scroll;
  GtkFlowBox        *accuracy_list;
  GtkSpinner        *eval_spinner;
  GtkLabel          *eval_label;
  NwConfusionView   *confusion_view;
  GtkLabel          *gallery_label;
  GtkWidget         *gallery_all_button;
  NwDigitGallery    *gallery;
  GtkLabel          *selected_label;
  NwProbBars        *gallery_bars;

  /* the reading */
  NwDigitModel      *model;
  NwDigitStages     *stages;
  float              probs[N_CLASSES];
  float             *hidden;            /* the model's hidden total */
  int                prediction;        /* -1: nothing */

  /* the test set and its evaluation */
  TestSplit         *test;              /* g_atomic_rc_box, shared with the worker */
  char              *data_message;
  GCancellable      *eval_cancel;
  gboolean           external_eval;  /* evaluations come from nw_mnist_panel_set_test_outputs */
  guint              eval_generation;
  NwDigitEvaluation *eval;              /* the result shown */
  int                filter_true, filter_pred;   /* gallery restricted to one cell, or -1 */
  guint             *gallery_index;     /* test rows of the gallery's digits */

  char              *class_names[N_CLASSES];
  NwDigitSet        *digits;
  int                last_listed_epoch;
  gboolean           accuracy_follows;   /* the list kept scrolled to its newest epoch */
  int                can_add, can_edit;   /* action states last set (-1: unknown) */
};

/* nw-mnist-panel.c */
const char *nw_mnist_panel_class_name        (NwMnistPanel *self, int c);

/* nw-mnist-panel-eval.c */
void        nw_mnist_panel_test_split_unref  (TestSplit *t);
/* Connects the confusion matrix and the gallery to the panel (from init). */
void        nw_mnist_panel_eval_init         (NwMnistPanel *self);
/* Starts evaluating the test split with the current model, cancelling any run under way; with
 * no model, data or with a data message, says so in the views instead. */
void        nw_mnist_panel_evaluate          (NwMnistPanel *self);
void        nw_mnist_panel_cancel_evaluation (NwMnistPanel *self);
/* The gallery from the last evaluation (all mistakes, or the chosen confusion cell's). */
void        nw_mnist_panel_show_gallery      (NwMnistPanel *self);
void        nw_mnist_panel_show_all_mistakes (NwMnistPanel *self);

/* nw-mnist-panel-digits.c */
/* A file chooser to save (TRUE) or load the digit set; the result shows in the panel. */
void        nw_mnist_panel_choose_digit_set_file (NwMnistPanel *self, gboolean save);

G_END_DECLS
