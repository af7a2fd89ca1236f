/* nw-ui.h: the desktop program's widget library: one call that readies it. */
#pragma once

#include <gtk/gtk.h>

#include "nw-spec.h"

G_BEGIN_DECLS

/* Registers the UI resources (templates, CSS, the default network) and the widget types that
 * templates name. Idempotent; call before building any window (tests too). */
void        nw_ui_init              (void);
/* The program's style sheet on `display` (once per display), for a program that is not an
 * AdwApplication (the tests): AdwApplication loads style.css, and style-dark.css in the dark
 * style, from the resources itself. */
void        nw_ui_load_css          (GdkDisplay *display);
/* The default network (examples/xor-deep-sigmoid.json), as compiled into the program. */
GBytes     *nw_ui_default_spec_json (void);
/* A network of the MNIST presets compiled in (examples/mnist-*.json: "mnist-softmax",
 * "mnist-mlp", "mnist-mlp-dropout", "mnist-batchnorm", and "fashion-mlp", the MLP on
 * Fashion-MNIST), new; NULL and the error for another name. */
NwSpec     *nw_ui_load_preset       (const char *name, GError **error);

/* A modal file chooser over `parent` (may be NULL) for files matching `pattern` (named
 * `filter_name`; "All files" beside it), starting with `suggested` as the name (saving; may be
 * NULL). `done (owner, file, data)` runs once: with the chosen file, or NULL when the user
 * cancelled; `owner` (a widget) is kept alive until then. */
typedef void (*NwUiFileChosen) (GtkWidget *owner, GFile *file, gpointer data);
void        nw_ui_choose_file       (GtkWidget *owner, const char *title,
                                     GtkFileChooserAction action, const char *filter_name,
                                     const char *pattern, const char *suggested,
                                     NwUiFileChosen done, gpointer data);

/* A modal question (an AdwMessageDialog) over `parent` with buttons given as NULL-terminated
 * label/response pairs, `default_response` the default: `answered (parent, response, data)`
 * once it is answered. GTK_RESPONSE_REJECT's button is red (it loses work), the default's is
 * the suggested one unless it is GTK_RESPONSE_CANCEL, which Escape answers. The dialog's
 * response ids are "accept", "reject", "cancel", or the number (tests answer with
 * adw_message_dialog_response). */
typedef void (*NwUiAnswered) (GtkWindow *parent, int response, gpointer data);
void        nw_ui_ask               (GtkWindow *parent, const char *question,
                                     const char *detail, int default_response,
                                     NwUiAnswered answered, gpointer data,
                                     ...) G_GNUC_NULL_TERMINATED;

/* A passing message at the foot of the window `widget` is in (its "win.toast" action): a save
 * that worked, the network reopened at start. Errors stay in the window's message bar. */
void        nw_ui_toast             (GtkWidget *widget, const char *text);

/* Labels and inscriptions that show a changing value under a fixed accessible name ("Step
 * counter", "Prediction"): GTK names them after their text on every change, so screen
 * readers and the AT-SPI tests could not find them; their text stays readable through the
 * text interface. nw_ui_name_value gives the name; the setters skip an unchanged text (a
 * label's new text lays the window out again) and give the name back after a new one. */
void        nw_ui_name_value        (GtkWidget *widget, const char *name);
void        nw_ui_set_label         (GtkLabel *label, const char *text);
void        nw_ui_set_value         (GtkInscription *value, const char *text);

G_END_DECLS
