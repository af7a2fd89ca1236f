/* nw-mnist-panel-digits.c: the MNIST panel's user digit set: adding the drawing with a label,
 * the count, and saving and loading through file choosers. API: nw-mnist-panel.h. */
#include "nw-mnist-panel-private.h"
#include "nw-i18n.h"
#include "nw-ui.h"

#include <string.h>

static void
set_status (NwMnistPanel *self, const char *text, gboolean is_error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->set_status_label), text != NULL);
  gtk_label_set_text (self->set_status_label, text != NULL ? text : "");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->set_status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->set_status_label), "error");
}

void
nw_mnist_panel_digit_set_changed (NwMnistPanel *self)
{
  guint n, counts[N_CLASSES];
  char text[64];
  g_return_if_fail (NW_IS_MNIST_PANEL (self));
  n = nw_digit_set_get_n (self->digits);
  nw_digit_set_count_labels (self->digits, counts);
  if (n == 0)
    g_strlcpy (text, _("none yet"), sizeof text);
  else
    g_snprintf (text, sizeof text, g_dngettext (GETTEXT_PACKAGE, "%u digit", "%u digits", n), n);
  gtk_label_set_text (self->user_count_label, text);
  if (n > 0)
    {
      GString *tip = g_string_new (_("By label:"));
      for (int c = 0; c < N_CLASSES; c++)
        g_string_append_printf (tip, " %s\u00d7%u", nw_mnist_panel_class_name (self, c), counts[c]);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_count_label), tip->str);
      g_string_free (tip, TRUE);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_count_label), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mnist.save-set", n > 0);
  g_object_notify (G_OBJECT (self), "n-user-digits");
  g_signal_emit_by_name (self, "digit-set-changed");
}

NwDigitSet *
nw_mnist_panel_get_digit_set (NwMnistPanel *self)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), NULL);
  return self->digits;
}

gboolean
nw_mnist_panel_add_drawing (NwMnistPanel *self, int label)
{
  char text[96];
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  g_return_val_if_fail (label >= 0 && label < N_CLASSES, FALSE);
  if (self->stages->status != NW_DIGIT_READABLE)
    return FALSE;
  nw_digit_set_add (self->digits, self->stages->image, label);
  g_snprintf (text, sizeof text, _("Added a %s."), nw_mnist_panel_class_name (self, label));
  set_status (self, text, FALSE);
  nw_digit_pad_clear (self->pad);
  nw_mnist_panel_digit_set_changed (self);
  return TRUE;
}

gboolean
nw_mnist_panel_save_digit_set (NwMnistPanel *self, const char *path, GError **error)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  return nw_digit_set_save (self->digits, path, error);
}

gboolean
nw_mnist_panel_load_digit_set (NwMnistPanel *self, const char *path, GError **error)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  if (!nw_digit_set_load (self->digits, path, error))
    return FALSE;
  nw_mnist_panel_digit_set_changed (self);
  return TRUE;
}

gboolean
nw_mnist_panel_get_mix_user_digits (NwMnistPanel *self)
{
  g_return_val_if_fail (NW_IS_MNIST_PANEL (self), FALSE);
  return gtk_check_button_get_active (self->mix_check);
}

typedef void (*PathChosen) (NwMnistPanel *self, const char *path);

static void
on_file_chosen (GtkWidget *owner, GFile *file, gpointer data)
{
  PathChosen done = (PathChosen) data;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  if (path != NULL)
    done (NW_MNIST_PANEL (owner), path);
}

static void
choose_path (NwMnistPanel *self, const char *title, GtkFileChooserAction action,
             const char *suggested, PathChosen done)
{
  nw_ui_choose_file (GTK_WIDGET (self), title, action, _("Digit sets (*.nwdigits)"), "*.nwdigits",
                     suggested, on_file_chosen, (gpointer) done);
}

static void
save_chosen (NwMnistPanel *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);
  char text[256];
  if (!nw_mnist_panel_save_digit_set (self, path, &error))
    set_status (self, error->message, TRUE);
  else
    {
      g_snprintf (text, sizeof text, _("Saved %u digits to %s."), nw_digit_set_get_n (self->digits), base);
      set_status (self, text, FALSE);
    }
}

static void
load_chosen (NwMnistPanel *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);
  char text[256];
  if (!nw_mnist_panel_load_digit_set (self, path, &error))
    set_status (self, error->message, TRUE);
  else
    {
      g_snprintf (text, sizeof text, _("Loaded %u digits from %s."), nw_digit_set_get_n (self->digits), base);
      set_status (self, text, FALSE);
    }
}

void
nw_mnist_panel_choose_digit_set_file (NwMnistPanel *self, gboolean save)
{
  if (save)
    choose_path (self, _("Save Digit Set"), GTK_FILE_CHOOSER_ACTION_SAVE, "my-digits.nwdigits",
                 save_chosen);
  else
    choose_path (self, _("Load Digit Set"), GTK_FILE_CHOOSER_ACTION_OPEN, NULL, load_chosen);
}
