/* nw-layer-switches.c: the Dropout and BatchNorm switches. */
#include "nw-layer-switches.h"
#include "nw-i18n.h"

struct _NwLayerSwitches
{
  GtkBox     parent_instance;

  GtkLabel  *switches_heading;
  GtkBox    *switches_box;

  NwSession *session;
  gboolean   syncing;   /* a switch is being set from the session */
};

enum { SWITCHED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NwLayerSwitches, nw_layer_switches, GTK_TYPE_BOX)

static void
on_switch_active (GtkSwitch *sw, GParamSpec *pspec, NwLayerSwitches *self)
{
  const char *id = g_object_get_data (G_OBJECT (sw), "node-id");
  if (!self->syncing && id != NULL)
    g_signal_emit (self, signals[SWITCHED], 0, id, gtk_switch_get_active (sw));
}

static GtkWidget *
switch_row (NwLayerSwitches *self, const NwNodeSpec *node)
{
  g_autofree char *title = NULL, *detail = NULL, *a11y = NULL;
  GtkWidget *row, *labels, *label, *sw;
  if (node->kind == NW_NODE_DROPOUT)
    {
      title = g_strdup_printf (_("Dropout ‘%s’"), node->id);
      detail = g_strdup_printf (_("drops %.0f%% of its inputs while training"), 100 * node->p);
    }
  else
    {
      title = g_strdup_printf (_("BatchNorm ‘%s’"), node->id);
      detail = g_strdup (_("normalises each feature over the batch"));
    }
  /* Translators: the accessible name of a layer's on/off switch: the kind and the layer's id
   * (the first is also the title of a dropout block in the editor, with its probability) */
  a11y = g_strdup_printf (node->kind == NW_NODE_DROPOUT ? _("Dropout %s") : _("BatchNorm %s"),
                          node->id);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (row, "switch-row");
  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (labels, TRUE);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (labels), label);
  label = gtk_label_new (detail);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (labels), label);
  gtk_box_append (GTK_BOX (row), labels);
  sw = gtk_switch_new ();
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (sw), node->enabled);
  gtk_widget_set_name (sw, node->id);
  gtk_widget_set_tooltip_text (sw, _("Switch the layer on or off; takes effect on the next step"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data_full (G_OBJECT (sw), "node-id", g_strdup (node->id), g_free);
  g_signal_connect (sw, "notify::active", G_CALLBACK (on_switch_active), self);
  gtk_box_append (GTK_BOX (row), sw);
  return row;
}

static void
rebuild (NwLayerSwitches *self)
{
  const NwSpec *spec = self->session != NULL ? nw_session_get_spec (self->session) : NULL;
  GtkWidget *child;
  int n = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->switches_box))) != NULL)
    gtk_box_remove (self->switches_box, child);
  for (guint i = 0; spec != NULL && i < spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      if (node->kind != NW_NODE_DROPOUT && node->kind != NW_NODE_BATCHNORM)
        continue;
      n++;
      gtk_box_append (self->switches_box, switch_row (self, node));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->switches_heading), n > 0);
}

static void
on_graph (NwSession *session, NwLayerSwitches *self)
{
  rebuild (self);
}

static void
on_node_enabled (NwSession *session, const char *id, gboolean enabled, NwLayerSwitches *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->switches_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *sw = gtk_widget_get_last_child (row);
      if (GTK_IS_SWITCH (sw)
          && g_strcmp0 (g_object_get_data (G_OBJECT (sw), "node-id"), id) == 0
          && gtk_switch_get_active (GTK_SWITCH (sw)) != enabled)
        {
          self->syncing = TRUE;
          gtk_switch_set_active (GTK_SWITCH (sw), enabled);
          self->syncing = FALSE;
        }
    }
}

void
nw_layer_switches_set_session (NwLayerSwitches *self, NwSession *session)
{
  g_return_if_fail (NW_IS_LAYER_SWITCHES (self));
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect (session, "spec-changed", G_CALLBACK (on_graph), self);
      g_signal_connect (session, "graph-changed", G_CALLBACK (on_graph), self);
      g_signal_connect (session, "node-enabled", G_CALLBACK (on_node_enabled), self);
    }
  rebuild (self);
}

static void
nw_layer_switches_dispose (GObject *object)
{
  NwLayerSwitches *self = NW_LAYER_SWITCHES (object);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), NW_TYPE_LAYER_SWITCHES);
  G_OBJECT_CLASS (nw_layer_switches_parent_class)->dispose (object);
}

static void
nw_layer_switches_class_init (NwLayerSwitchesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nw_layer_switches_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurowire/Neurowire/nw-layer-switches.ui");
  gtk_widget_class_bind_template_child (widget_class, NwLayerSwitches, switches_heading);
  gtk_widget_class_bind_template_child (widget_class, NwLayerSwitches, switches_box);
  /* (node id, enabled): the user flipped a switch. */
  signals[SWITCHED] = g_signal_new ("switched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                    G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
nw_layer_switches_init (NwLayerSwitches *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
nw_layer_switches_new (void)
{
  return g_object_new (NW_TYPE_LAYER_SWITCHES, NULL);
}
