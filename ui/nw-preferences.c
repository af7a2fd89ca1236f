/* nw-preferences.c: the preferences window. */
#include "nw-preferences.h"

#include "nw-settings.h"
#include "nw-ui.h"

#include "nw-i18n.h"

struct _NwPreferences
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow *style_row;
  AdwComboRow *language_row;

  GSettings   *settings;
};

G_DEFINE_FINAL_TYPE (NwPreferences, nw_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/* The rows' items, in order, as the keys' values. */
static const char *const style_choices[] = { "default", "light", "dark", NULL };
static const char *const language_choices[] = { "", "ko", "en", NULL };

static gboolean
choice_to_position (GValue *value, GVariant *variant, gpointer data)
{
  const char *const *choices = data;
  const char *choice = g_variant_get_string (variant, NULL);
  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choice, choices[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
position_to_choice (const GValue *value, const GVariantType *type, gpointer data)
{
  const char *const *choices = data;
  guint position = g_value_get_uint (value);
  return position < g_strv_length ((char **) choices)
         ? g_variant_new_string (choices[position]) : NULL;
}

static void
bind_row (NwPreferences *self, const char *key, AdwComboRow *row, const char *const *choices)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_to_position, position_to_choice, (gpointer) choices,
                                NULL);
}

static void
on_language_chosen (AdwComboRow *row, GParamSpec *pspec, NwPreferences *self)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Neurowire starts in this language next time")));
}

static void
nw_preferences_dispose (GObject *object)
{
  NwPreferences *self = NW_PREFERENCES (object);
  if (self->settings != NULL)
    {
      g_settings_unbind (self->style_row, "selected");
      g_settings_unbind (self->language_row, "selected");
    }
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_PREFERENCES);
  G_OBJECT_CLASS (nw_preferences_parent_class)->dispose (object);
}

static void
nw_preferences_class_init (NwPreferencesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nw_preferences_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, NwPreferences, style_row);
  gtk_widget_class_bind_template_child (widget_class, NwPreferences, language_row);
}

static void
nw_preferences_init (NwPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
nw_preferences_new (GSettings *settings, GtkWindow *parent)
{
  NwPreferences *self;
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  nw_ui_init ();
  adw_init ();
  self = g_object_new (NW_TYPE_PREFERENCES, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  bind_row (self, NW_SETTINGS_COLOR_SCHEME, self->style_row, style_choices);
  bind_row (self, NW_SETTINGS_LANGUAGE, self->language_row, language_choices);
  /* After the binding has shown the current choice: only the user's choices from here. */
  g_signal_connect (self->language_row, "notify::selected", G_CALLBACK (on_language_chosen), self);
  return GTK_WIDGET (self);
}
