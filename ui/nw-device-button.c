/* nw-device-button.c: the device label and menu. */
#include "nw-device-button.h"
#include "nw-i18n.h"

#include "nw-settings.h"
#include "nw-ui.h"

struct _NwDeviceButton
{
  GtkBox              parent_instance;

  GtkLabel           *backend_label;
  GtkMenuButton      *device_button;

  NwSession          *session;
  GSettings          *settings;   /* where the choice is remembered; NULL: nowhere */
  GSimpleActionGroup *actions;
  GSimpleAction      *device_action;
  GMenu              *menu;
  GMenu              *devices_section;
};

G_DEFINE_FINAL_TYPE (NwDeviceButton, nw_device_button, GTK_TYPE_BOX)

static void
show_device (NwSession *session, NwDeviceButton *self)
{
  const char *description = nw_session_get_device_description (session);
  const char *why = nw_session_get_device_why (session);
  const char *state = nw_session_get_device_state (session);
  g_autofree char *label = NULL, *tip = NULL;
  label = state != NULL ? g_strdup_printf ("%s · %s", description, state) : g_strdup (description);
  /* Translators: the device button's tooltip: the device, why it was chosen, what it is
   * doing now (each case a whole text) */
  if (why != NULL && state != NULL)
    tip = g_strdup_printf (_("Training on %s: %s. Now: %s.\nThe menu beside it chooses the device."),
                           description, why, state);
  else if (why != NULL)
    tip = g_strdup_printf (_("Training on %s: %s.\nThe menu beside it chooses the device."),
                           description, why);
  else if (state != NULL)
    tip = g_strdup_printf (_("Training on %s. Now: %s.\nThe menu beside it chooses the device."),
                           description, state);
  else
    tip = g_strdup_printf (_("Training on %s.\nThe menu beside it chooses the device."),
                           description);
  nw_ui_set_label (self->backend_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->backend_label), tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->backend_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tip, -1);
}

static void
rebuild_menu (NwSession *session, NwDeviceButton *self)
{
  GPtrArray *devices = session != NULL ? nw_session_get_devices (session) : NULL;
  g_menu_remove_all (self->devices_section);
  if (session != NULL && nw_session_get_listing_devices (session))
    g_menu_append (self->devices_section, _("Looking for OpenCL devices…"), NULL);
  else if (devices == NULL)
    g_menu_append (self->devices_section, _("Look for OpenCL Devices"), "backend.list-devices");
  else if (devices->len == 0)
    g_menu_append (self->devices_section, _("No OpenCL device"), NULL);
  else
    for (guint i = 0; i < devices->len; i++)
      {
        const NwDeviceInfo *info = g_ptr_array_index (devices, i);
        g_autofree char *label = g_strdup_printf ("OpenCL: %s", nw_device_info_get_name (info));
        g_autofree char *target = g_strdup_printf ("cl:%s", nw_device_info_get_id (info));
        g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);
        g_menu_item_set_action_and_target_value (item, "backend.device", g_variant_new_string (target));
        g_menu_append_item (self->devices_section, item);
      }
}

static void
on_device_chosen (GSimpleAction *action, GVariant *value, gpointer data)
{
  NwDeviceButton *self = data;
  const char *choice = g_variant_get_string (value, NULL);
  g_simple_action_set_state (action, value);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, NW_SETTINGS_DEVICE, choice);
  if (self->session == NULL)
    return;
  if (g_str_equal (choice, "cpu"))
    nw_session_set_device (self->session, NW_BACKEND_CPU, NULL);
  else if (g_str_has_prefix (choice, "cl:"))
    nw_session_set_device (self->session, NW_BACKEND_CL, choice + 3);
  else
    nw_session_set_device (self->session, NW_BACKEND_AUTO, NULL);
}

static void
on_list_devices (GSimpleAction *action, GVariant *param, gpointer data)
{
  NwDeviceButton *self = data;
  if (self->session != NULL)
    nw_session_list_devices (self->session);
}

void
nw_device_button_set_session (NwDeviceButton *self, NwSession *session)
{
  g_return_if_fail (NW_IS_DEVICE_BUTTON (self));
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  rebuild_menu (session, self);
  if (session == NULL)
    return;
  {
    NwBackendKind kind = nw_session_get_device_kind (session);
    g_simple_action_set_state (self->device_action, g_variant_new_string (
      kind == NW_BACKEND_CPU ? "cpu" : kind == NW_BACKEND_CL ? "cl" : "auto"));
  }
  g_signal_connect (session, "device-changed", G_CALLBACK (show_device), self);
  g_signal_connect (session, "devices-changed", G_CALLBACK (rebuild_menu), self);
  show_device (session, self);
}

void
nw_device_button_set_settings (NwDeviceButton *self, GSettings *settings)
{
  g_return_if_fail (NW_IS_DEVICE_BUTTON (self));
  g_set_object (&self->settings, settings);
}

static void
nw_device_button_dispose (GObject *object)
{
  NwDeviceButton *self = NW_DEVICE_BUTTON (object);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->device_action);
  g_clear_object (&self->actions);
  g_clear_object (&self->menu);
  g_clear_object (&self->devices_section);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_DEVICE_BUTTON);
  G_OBJECT_CLASS (nw_device_button_parent_class)->dispose (object);
}

static void
nw_device_button_class_init (NwDeviceButtonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nw_device_button_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-device-button.ui");
  gtk_widget_class_bind_template_child (widget_class, NwDeviceButton, backend_label);
  gtk_widget_class_bind_template_child (widget_class, NwDeviceButton, device_button);
}

static void
nw_device_button_init (NwDeviceButton *self)
{
  g_autoptr (GSimpleAction) list = NULL;
  g_autoptr (GMenu) top = g_menu_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  nw_ui_name_value (GTK_WIDGET (self->backend_label), _("Backend"));
  self->actions = g_simple_action_group_new ();
  self->device_action = g_simple_action_new_stateful ("device", G_VARIANT_TYPE_STRING,
                                                      g_variant_new_string ("auto"));
  g_signal_connect (self->device_action, "change-state", G_CALLBACK (on_device_chosen), self);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (self->device_action));
  list = g_simple_action_new ("list-devices", NULL);
  g_signal_connect (list, "activate", G_CALLBACK (on_list_devices), self);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (list));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "backend", G_ACTION_GROUP (self->actions));

  self->menu = g_menu_new ();
  g_menu_append (top, _("Automatic: a GPU, else the faster of OpenCL and the CPU"),
                 "backend.device::auto");
  g_menu_append (top, "CPU", "backend.device::cpu");
  g_menu_append_section (self->menu, _("Train on"), G_MENU_MODEL (top));
  self->devices_section = g_menu_new ();
  g_menu_append_section (self->menu, _("OpenCL devices"), G_MENU_MODEL (self->devices_section));
  rebuild_menu (NULL, self);
  gtk_menu_button_set_menu_model (self->device_button, G_MENU_MODEL (self->menu));
}

GtkWidget *
nw_device_button_new (void)
{
  return g_object_new (NW_TYPE_DEVICE_BUTTON, NULL);
}
