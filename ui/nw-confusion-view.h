/* nw-confusion-view.h: a confusion matrix: rows are the true class, columns the predicted one.
 * Each cell shows its count; its colour is the row-normalised share (the share of that class's
 * digits that went there): blue on the diagonal (read right), orange off it (the mistakes), so
 * a class's confusions stand out whatever its size. A column at the right gives each class's
 * recall. Hovering a cell highlights it and its tooltip gives the count and the share;
 * clicking it emits "cell-activated".
 *
 * Properties:
 *   "total"  guint64, read-only: the number of digits counted.
 * Signals:
 *   "cell-activated" (int true_class, int predicted_class): a cell was clicked.
 *
 * Accessible: role img, labelled "Confusion matrix", described by the overall accuracy and the
 * largest confusion ("97.8% right; most confused: 4 read as 9, 12 times"). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NW_CONFUSION_MAX_CLASSES 16

#define NW_TYPE_CONFUSION_VIEW (nw_confusion_view_get_type ())
G_DECLARE_FINAL_TYPE (NwConfusionView, nw_confusion_view, NW, CONFUSION_VIEW, GtkWidget)

GtkWidget  *nw_confusion_view_new            (void);
/* n x n counts, row-major (counts[true * n + predicted]); copied. n = 0 clears. */
void        nw_confusion_view_set_counts     (NwConfusionView *self, int n, const guint *counts);
void        nw_confusion_view_set_class_names (NwConfusionView *self, const char *const *names,
                                               int n);
/* A message instead of the matrix ("Computing…", "No test data"); NULL for none. */
void        nw_confusion_view_set_message    (NwConfusionView *self, const char *message);
guint64     nw_confusion_view_get_total      (NwConfusionView *self);
guint       nw_confusion_view_get_count      (NwConfusionView *self, int true_class, int predicted);

/* The cell under a widget point of a width x height view; FALSE outside the matrix. */
gboolean    nw_confusion_view_cell_at        (NwConfusionView *self, int width, int height,
                                              double x, double y, int *true_class,
                                              int *predicted);
/* The hover text for a cell ("True 4, predicted 9: 12 of 982 fours (1.2%)"); newly allocated. */
char       *nw_confusion_view_describe_cell  (NwConfusionView *self, int true_class,
                                              int predicted);
/* The hovered cell (-1, -1 for none); the pointer sets it, tests may too. */
void        nw_confusion_view_set_hover      (NwConfusionView *self, int true_class, int predicted);

void        nw_confusion_view_draw           (NwConfusionView *self, cairo_t *cr, int width,
                                              int height);

G_END_DECLS
