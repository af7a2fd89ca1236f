/* nw-window-device.c: the header's device label and menu, showing the session's device.
 *
 * The label shows what trains now (the reason in its tooltip, and what is under way); the
 * menu forces a choice: Automatic, CPU, or each device the session lists. The choice, the
 * listing and the moves between devices are the session's (core/nw-session-device.c), which
 * reaches OpenCL only through the NwDevices the program gave it: ui/ never sees OpenCL. */
#include "nw-window-private.h"

struct _NwWindowDevice {
  GSimpleActionGroup *actions;
  GSimpleAction      *device_action;
  GMenu              *menu;
  GMenu              *devices_section;
};

static void
show_device (NwSession *session, NwWindow *self)
{
  const char *description = nw_session_get_device_description (session);
  const char *why = nw_session_get_device_why (session);
  const char *state = nw_session_get_device_state (session);
  g_autofree char *label = NULL, *tip = NULL;
  label = state != NULL ? g_strdup_printf ("%s · %s", description, state) : g_strdup (description);
  tip = g_strdup_printf ("Training on %s%s%s.%s%s%s\nThe menu beside it chooses the device.",
                         description, why != NULL ? ": " : "", why != NULL ? why : "",
                         state != NULL ? " Now: " : "", state != NULL ? state : "",
                         state != NULL ? "." : "");
  nw_ui_set_label (self->backend_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->backend_label), tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->backend_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tip, -1);
}

static void
rebuild_device_menu (NwSession *session, NwWindow *self)
{
  NwWindowDevice *d = self->device;
  GPtrArray *devices = nw_session_get_devices (session);
  g_menu_remove_all (d->devices_section);
  if (nw_session_get_listing_devices (session))
    g_menu_append (d->devices_section, "Looking for OpenCL devices…", NULL);
  else if (devices == NULL)
    g_menu_append (d->devices_section, "Look for OpenCL Devices", "backend.list-devices");
  else if (devices->len == 0)
    g_menu_append (d->devices_section, "No OpenCL device", NULL);
  else
    for (guint i = 0; i < devices->len; i++)
      {
        const NwDeviceInfo *info = g_ptr_array_index (devices, i);
        g_autofree char *label = g_strdup_printf ("OpenCL: %s", nw_device_info_get_name (info));
        g_autofree char *target = g_strdup_printf ("cl:%s", nw_device_info_get_id (info));
        g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);
        g_menu_item_set_action_and_target_value (item, "backend.device", g_variant_new_string (target));
        g_menu_append_item (d->devices_section, item);
      }
}

static void
on_device_changed (GSimpleAction *action, GVariant *value, gpointer data)
{
  NwWindow *self = data;
  const char *choice = g_variant_get_string (value, NULL);
  g_simple_action_set_state (action, value);
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
  NwWindow *self = data;
  nw_session_list_devices (self->session);
}

/* The session holds its device choice until the window is on screen: its first frames
 * come first. */
static void
on_map (GtkWidget *widget, gpointer data)
{
  NwWindow *self = NW_WINDOW (widget);
  if (self->session != NULL)
    nw_session_release_device_choice (self->session);
}

void
nw_window_device_init (NwWindow *self)
{
  NwWindowDevice *d = g_new0 (NwWindowDevice, 1);
  NwBackendKind kind = nw_session_get_device_kind (self->session);
  g_autoptr (GSimpleAction) list = NULL;
  g_autoptr (GMenu) top = g_menu_new ();
  const char *initial = kind == NW_BACKEND_CPU ? "cpu" : kind == NW_BACKEND_CL ? "cl" : "auto";

  self->device = d;
  d->actions = g_simple_action_group_new ();
  d->device_action = g_simple_action_new_stateful ("device", G_VARIANT_TYPE_STRING,
                                                   g_variant_new_string (initial));
  g_signal_connect (d->device_action, "change-state", G_CALLBACK (on_device_changed), self);
  g_action_map_add_action (G_ACTION_MAP (d->actions), G_ACTION (d->device_action));
  list = g_simple_action_new ("list-devices", NULL);
  g_signal_connect (list, "activate", G_CALLBACK (on_list_devices), self);
  g_action_map_add_action (G_ACTION_MAP (d->actions), G_ACTION (list));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "backend", G_ACTION_GROUP (d->actions));

  d->menu = g_menu_new ();
  g_menu_append (top, "Automatic: a GPU, else the faster of OpenCL and the CPU",
                 "backend.device::auto");
  g_menu_append (top, "CPU", "backend.device::cpu");
  g_menu_append_section (d->menu, "Train on", G_MENU_MODEL (top));
  d->devices_section = g_menu_new ();
  g_menu_append_section (d->menu, "OpenCL devices", G_MENU_MODEL (d->devices_section));
  rebuild_device_menu (self->session, self);
  gtk_menu_button_set_menu_model (self->device_button, G_MENU_MODEL (d->menu));
  g_signal_connect (self->session, "device-changed", G_CALLBACK (show_device), self);
  g_signal_connect (self->session, "devices-changed", G_CALLBACK (rebuild_device_menu), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  show_device (self->session, self);
}

void
nw_window_device_dispose (NwWindow *self)
{
  NwWindowDevice *d = self->device;
  if (d == NULL)
    return;
  g_clear_object (&d->device_action);
  g_clear_object (&d->actions);
  g_clear_object (&d->menu);
  g_clear_object (&d->devices_section);
  g_clear_pointer (&self->device, g_free);
}
