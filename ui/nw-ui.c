/* nw-ui.c: resource registration, the style sheet, and helpers the widgets share. */
#include "nw-ui.h"
#include "nw-i18n.h"

#include "nw-activation-plot.h"
#include "nw-boundary-view.h"
#include "nw-data-panel.h"
#include "nw-device-button.h"
#include "nw-pace-button.h"
#include "nw-grad-plot.h"
#include "nw-layer-switches.h"
#include "nw-loss-plot.h"
#include "nw-mnist-panel.h"
#include "nw-training-settings.h"
#include "nw-training-views.h"
#include "nw-weight-hist.h"
#include "nw-ui-resources.h"

#include <adwaita.h>

void
nw_ui_init (void)
{
  static gsize once = 0;
  if (g_once_init_enter (&once))
    {
      nw_ui_register_resource ();
      g_type_ensure (NW_TYPE_BOUNDARY_VIEW);
      g_type_ensure (NW_TYPE_LOSS_PLOT);
      g_type_ensure (NW_TYPE_GRAD_PLOT);
      g_type_ensure (NW_TYPE_ACTIVATION_PLOT);
      g_type_ensure (NW_TYPE_WEIGHT_HIST);
      g_type_ensure (NW_TYPE_MNIST_PANEL);
      g_type_ensure (NW_TYPE_TRAINING_SETTINGS);
      g_type_ensure (NW_TYPE_DATA_PANEL);
      g_type_ensure (NW_TYPE_LAYER_SWITCHES);
      g_type_ensure (NW_TYPE_TRAINING_VIEWS);
      g_type_ensure (NW_TYPE_DEVICE_BUTTON);
      g_type_ensure (NW_TYPE_PACE_BUTTON);
      g_once_init_leave (&once, 1);
    }
}

void
nw_ui_load_css (GdkDisplay *display)
{
  GtkCssProvider *provider;
  if (display == NULL || g_object_get_data (G_OBJECT (display), "nw-css") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/neurowire/Neurowire/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "nw-css", provider, g_object_unref);
}

NwSpec *
nw_ui_load_preset (const char *name, GError **error)
{
  /* "fashion-mlp": the 784-256-256-10 network on Fashion-MNIST. */
  gboolean fashion = g_strcmp0 (name, "fashion-mlp") == 0;
  g_autofree char *path = g_strconcat ("/org/neurowire/Neurowire/presets/",
                                       fashion ? "mnist-mlp" : name, ".json", NULL);
  g_autoptr (GBytes) json = NULL;
  NwSpec *spec;
  nw_ui_init ();
  json = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (json == NULL)
    return NULL;
  spec = nw_spec_from_json (g_bytes_get_data (json, NULL), g_bytes_get_size (json), error);
  if (spec != NULL && fashion)
    {
      spec->data.kind = NW_DATA_FASHION_MNIST;
      g_free (spec->name);
      spec->name = g_strdup ("Fashion-MNIST, 784-256-256-10 MLP");
    }
  return spec;
}

GBytes *
nw_ui_default_spec_json (void)
{
  nw_ui_init ();
  return g_resources_lookup_data ("/org/neurowire/Neurowire/default-spec.json",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

typedef struct {
  GtkWidget     *owner;
  NwUiFileChosen done;
  gpointer       data;
} Chooser;

static GtkFileFilter *
filter_new (const char *name, const char *pattern)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  return filter;
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  Chooser *c = data;
  g_autoptr (GFile) file = response == GTK_RESPONSE_ACCEPT
    ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog)) : NULL;
  c->done (c->owner, file, c->data);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (c->owner);
  g_free (c);
}

void
nw_ui_choose_file (GtkWidget *owner, const char *title, GtkFileChooserAction action,
                   const char *filter_name, const char *pattern, const char *suggested,
                   NwUiFileChosen done, gpointer data)
{
  GtkRoot *root = gtk_widget_get_root (owner);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 action, NULL, NULL);
  g_autoptr (GtkFileFilter) filter = filter_new (filter_name, pattern);
  g_autoptr (GtkFileFilter) all = filter_new (_("All files"), "*");
  Chooser *c = g_new0 (Chooser, 1);
  c->owner = g_object_ref (owner);
  c->done = done;
  c->data = data;
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  if (suggested != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), c);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct {
  GtkWindow   *parent;
  NwUiAnswered answered;
  gpointer     data;
} Question;

/* The dialog's response ids for GTK's response numbers: "accept", "reject", "cancel", or the
 * number. */
static char *
response_id (int response)
{
  switch (response)
    {
    case GTK_RESPONSE_ACCEPT: return g_strdup ("accept");
    case GTK_RESPONSE_REJECT: return g_strdup ("reject");
    case GTK_RESPONSE_CANCEL: return g_strdup ("cancel");
    default:                  return g_strdup_printf ("%d", response);
    }
}

static int
response_number (const char *id)
{
  if (g_str_equal (id, "accept"))
    return GTK_RESPONSE_ACCEPT;
  if (g_str_equal (id, "reject"))
    return GTK_RESPONSE_REJECT;
  if (g_str_equal (id, "cancel"))
    return GTK_RESPONSE_CANCEL;
  return (int) g_ascii_strtoll (id, NULL, 10);
}

static void
on_question_response (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  Question *q = data;
  /* The dialog closes itself after this signal; the answer may destroy the window under it,
   * so the dialog lets go of that window first. */
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  q->answered (q->parent, response_number (response), q->data);
  g_object_unref (q->parent);
  g_free (q);
}

void
nw_ui_ask (GtkWindow *parent, const char *question, const char *detail, int default_response,
           NwUiAnswered answered, gpointer data, ...)
{
  GtkWidget *dialog;
  Question *q = g_new0 (Question, 1);
  g_autofree char *default_id = response_id (default_response);
  va_list args;
  const char *label;

  adw_init ();
  dialog = adw_message_dialog_new (parent, question, detail);
  q->parent = g_object_ref (parent);
  q->answered = answered;
  q->data = data;
  va_start (args, data);
  while ((label = va_arg (args, const char *)) != NULL)
    {
      int response = va_arg (args, int);
      g_autofree char *id = response_id (response);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), id, label);
      /* Losing work is red; the default, when it is not cancelling, is the suggested one. */
      if (response == GTK_RESPONSE_REJECT)
        adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), id,
                                                    ADW_RESPONSE_DESTRUCTIVE);
      else if (response == default_response && response != GTK_RESPONSE_CANCEL)
        adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), id,
                                                    ADW_RESPONSE_SUGGESTED);
    }
  va_end (args);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), default_id);
  /* Escape answers "cancel" (every question here has a _Cancel button). */
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_question_response), q);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
nw_ui_toast (GtkWidget *widget, const char *text)
{
  gtk_widget_activate_action (widget, "win.toast", "s", text);
}

#define A11Y_NAME_KEY "nw-a11y-name"

void
nw_ui_name_value (GtkWidget *widget, const char *name)
{
  g_object_set_data (G_OBJECT (widget), A11Y_NAME_KEY, (gpointer) name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* After a new text: the fixed accessible name again, where nw_ui_name_value gave one. */
static void
keep_name (gpointer widget)
{
  const char *name = g_object_get_data (G_OBJECT (widget), A11Y_NAME_KEY);
  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

void
nw_ui_set_label (GtkLabel *label, const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) == 0)
    return;
  gtk_label_set_text (label, text);
  keep_name (label);
}

void
nw_ui_set_value (GtkInscription *value, const char *text)
{
  if (g_strcmp0 (gtk_inscription_get_text (value), text) == 0)
    return;
  gtk_inscription_set_text (value, text);
  keep_name (value);
}
