/* nw-mnist-feed.h: feeds a session's MNIST (or Fashion-MNIST) run to a digit view.
 *
 *   - the test split once the data is loaded (or the reason it did not load);
 *   - every snapshot's epoch, place in the epoch and test accuracy (and the test passes of
 *     snapshots nobody took);
 *   - the trainer's model at each epoch end, on pause and after loading weights: the state
 *     dict is read on the trainer's thread (nw_runner_call, between two steps) and set on the
 *     main thread; a result for an older run (a generation bumped by every new trainer and
 *     reset) is dropped, and one fetch is in flight at a time;
 *   - the confusion matrix and gallery from the outputs of the trainer's own pass over the
 *     test split (NwSnapshot.test_outputs): the panel does not evaluate by itself
 *     (nw_mnist_panel_set_external_evaluation). A second pass beside training cost ~40 ms of
 *     the trainer's time per epoch plus, on a worker thread, ~250 ms of training at half
 *     speed (both sides' matrix products want both cores);
 *   - the user's digits, which the session mixes into the training split of the next trainer
 *     (nw_session_set_digits_func) when the panel's "mix-user-digits" is on.
 *
 * A model the panel refuses is said once, through "message". */
#pragma once

#include <glib-object.h>

#include "nw-mnist-panel.h"
#include "nw-session.h"
#include "nw-training-views.h"

G_BEGIN_DECLS

#define NW_TYPE_MNIST_FEED (nw_mnist_feed_get_type ())
G_DECLARE_FINAL_TYPE (NwMnistFeed, nw_mnist_feed, NW, MNIST_FEED, GObject)

/* Feeds `views`' digit view from `session` (references kept to both). */
NwMnistFeed *nw_mnist_feed_new                (NwSession *session, NwTrainingViews *views);
/* TRUE when a Reset must build new data (user digits to mix in, or mixed in and no longer
 * wanted) rather than only draw fresh weights. */
gboolean     nw_mnist_feed_reset_needs_rebuild (NwMnistFeed *self);

G_END_DECLS
