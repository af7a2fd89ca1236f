/* nw-editor-popover.c: the settings popover of a block, built for the block's kind each time
 * it opens, one row per field of the kind's registry entry (core's nw-node-kind.h). Every control carries its setting's field as its widget name ("units", "p", ...)
 * and an accessible label ("Units", "Dropout probability", ...); a change is one edit,
 * applied through nw_editor_set_node_setting like any other. */
#include "nw-editor-private.h"
#include "nw-i18n.h"
#include "nw-node-kind.h"
#include "nw-activation.h"

#include <math.h>
#include <string.h>

/* Translated where the dropdown is built. */
static const char *const init_labels[NW_N_INITS] = {
  /* Translators: the weight initializers of the block settings; "PyTorch default": what
   * PyTorch's nn.Linear does */
  N_("PyTorch default"), N_("Zeros"), N_("Constant"), N_("Normal"), N_("Uniform"),
  N_("Xavier uniform"), N_("Xavier normal"), N_("He uniform"), N_("He normal"),
  N_("LeCun normal"),
};
static const char *const loss_labels[NW_N_LOSSES] = {
  N_("Binary cross-entropy"), N_("BCE on logits"), N_("Softmax cross-entropy"),
  N_("Mean squared error"),
};

static const NwNodeSpec *
popover_node (NwEditor *self)
{
  return self->popover_node != NULL ? nw_spec_find_node (nw_editor_spec (self), self->popover_node) : NULL;
}

static void
update_title (NwEditor *self)
{
  const NwNodeSpec *node = popover_node (self);
  GtkWidget *title;
  g_autofree char *text = NULL;

  if (node == NULL || self->popover == NULL)
    return;
  title = g_object_get_data (G_OBJECT (self->popover), "nw-title");
  text = nw_graph_model_dup_node_title (self->model, node);
  if (title != NULL)
    gtk_label_set_text (GTK_LABEL (title), text);
}

static void
update_sensitivity (NwEditor *self)
{
  const NwNodeSpec *node = popover_node (self);
  GtkWidget *alpha;

  if (node == NULL || self->popover == NULL)
    return;
  alpha = g_object_get_data (G_OBJECT (self->popover), "nw-alpha");
  if (alpha != NULL)
    gtk_widget_set_sensitive (alpha, nw_activation_info (node->activation) != NULL
                                     && nw_activation_info (node->activation)->has_alpha);
}

static gboolean
apply (NwEditor *self, const char *field, const char *value)
{
  g_autofree char *id = g_strdup (self->popover_node);
  gboolean ok;

  if (id == NULL)
    return FALSE;
  self->popover_updating = TRUE;
  ok = nw_editor_set_node_setting (self, id, field, value);
  self->popover_updating = FALSE;
  update_title (self);
  update_sensitivity (self);
  return ok;
}

static void
spin_changed (GtkSpinButton *spin, NwEditor *self)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = g_strdup_printf ("%%.%uf", gtk_spin_button_get_digits (spin));
  g_ascii_formatd (buf, sizeof buf, format, gtk_spin_button_get_value (spin));
  apply (self, gtk_widget_get_name (GTK_WIDGET (spin)), buf);
}

static void
switch_changed (GtkSwitch *sw, GParamSpec *pspec, NwEditor *self)
{
  apply (self, gtk_widget_get_name (GTK_WIDGET (sw)), gtk_switch_get_active (sw) ? "true" : "false");
}

static void
dropdown_changed (GtkDropDown *dropdown, GParamSpec *pspec, NwEditor *self)
{
  const char *field = gtk_widget_get_name (GTK_WIDGET (dropdown));
  guint i = gtk_drop_down_get_selected (dropdown);
  const char *value;

  if (i == GTK_INVALID_LIST_POSITION)
    return;
  /* The field's own names, whatever its node's kind (nw-node-kind.h). */
  value = nw_field_enum_name (g_object_get_data (G_OBJECT (dropdown), "nw-field"), (int) i);
  if (value != NULL)
    apply (self, field, value);
}

static void
name_activated (GtkEntry *entry, NwEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  if (apply (self, "id", text))
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
}

static void
delete_clicked (GtkButton *button, NwEditor *self)
{
  g_autofree char *id = g_strdup (self->popover_node);
  nw_editor_popover_hide (self);
  if (id != NULL)
    nw_editor_remove_node (self, id);
}

/* Rows ----------------------------------------------------------------------------------- */

static void
add_row (GtkGrid *grid, int *row, const char *label_text, const char *field, GtkWidget *control)
{
  GtkWidget *label = gtk_label_new (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_name (control, field);
  gtk_widget_set_hexpand (control, TRUE);
  if (GTK_IS_SWITCH (control))
    gtk_widget_set_halign (control, GTK_ALIGN_END);
  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, label_text, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_grid_attach (grid, label, 0, *row, 1, 1);
  gtk_grid_attach (grid, control, 1, *row, 1, 1);
  (*row)++;
}

static GtkWidget *
spin (NwEditor *self, double value, double lower, double upper, double step, guint digits)
{
  GtkAdjustment *adj = gtk_adjustment_new (CLAMP (value, lower, upper), lower, upper, step, step * 10, 0);
  GtkWidget *spin = gtk_spin_button_new (adj, step, digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_size_request (spin, 130, -1);
  g_signal_connect (spin, "value-changed", G_CALLBACK (spin_changed), self);
  return spin;
}

static GtkWidget *
toggle (NwEditor *self, gboolean active)
{
  GtkWidget *sw = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (sw), active);
  g_signal_connect (sw, "notify::active", G_CALLBACK (switch_changed), self);
  return sw;
}

static GtkWidget *
dropdown (NwEditor *self, const char *const *labels, int n, int selected)
{
  g_autofree const char **strings = g_new0 (const char *, n + 1);
  GtkWidget *dd;
  for (int i = 0; i < n; i++)
    strings[i] = labels[i];
  dd = gtk_drop_down_new_from_strings (strings);
  if (selected >= 0 && selected < n)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dd), (guint) selected);
  g_signal_connect (dd, "notify::selected", G_CALLBACK (dropdown_changed), self);
  return dd;
}

/* The control for one registry field: a spin button, a switch or a dropdown of the enum's
 * labels (activations: their table's labels). */
static GtkWidget *
field_control (NwEditor *self, const NwField *field, const NwNodeSpec *node)
{
  double v = nw_field_get (field, node);
  switch (field->type)
    {
    case NW_FIELD_BOOL:
      return toggle (self, v != 0);
    case NW_FIELD_ENUM:
      {
        int n = nw_field_enum_count (field);
        g_autofree const char **labels = g_new0 (const char *, n + 1);
        GtkWidget *dd;
        for (int i = 0; i < n; i++)
          labels[i] = field->enum_kind == NW_FIELD_ENUM_ACTIVATION
                        ? g_dpgettext2 (GETTEXT_PACKAGE, "activation",
                                        nw_activation_info ((NwActivation) i)->label)
                        : _(field->enum_kind == NW_FIELD_ENUM_LOSS ? loss_labels[i] : init_labels[i]);
        dd = dropdown (self, labels, n, (int) v);
        g_object_set_data (G_OBJECT (dd), "nw-field", (gpointer) field);
        return dd;
      }
    case NW_FIELD_INT:
    case NW_FIELD_DOUBLE:
    default:
      return spin (self, v, field->ui_min, field->ui_max, field->ui_step, (guint) field->ui_digits);
    }
}

static GtkWidget *
note (const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 34);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static GtkWidget *
build_content (NwEditor *self, const NwNodeSpec *node)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_with_label (_("Delete block"));
  GtkGrid *g = GTK_GRID (grid);
  const NwNodeKindInfo *info = nw_node_kind_info (node->kind);
  int row = 0;

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);
  g_object_set_data (G_OBJECT (self->popover), "nw-title", title);
  g_object_set_data (G_OBJECT (self->popover), "nw-alpha", NULL);

  gtk_grid_set_row_spacing (g, 6);
  gtk_grid_set_column_spacing (g, 12);
  gtk_editable_set_text (GTK_EDITABLE (name), node->id);
  gtk_widget_set_tooltip_text (name, _("ASCII letters, digits, '_', '.' or '-'; press Enter to rename"));
  g_signal_connect (name, "activate", G_CALLBACK (name_activated), self);
  add_row (g, &row, _("Block name"), "id", name);

  /* One row per setting of the kind, as core's registry describes it. */
  for (int f = 0; f < info->n_fields; f++)
    {
      const NwField *field = &info->fields[f];
      GtkWidget *control = field_control (self, field, node);
      add_row (g, &row, _(field->label), field->key, control);
      if (field->tooltip != NULL)
        gtk_widget_set_tooltip_text (control, _(field->tooltip));
      if (strcmp (field->key, "alpha") == 0)
        g_object_set_data (G_OBJECT (self->popover), "nw-alpha", control);
    }
  if (node->kind == NW_NODE_INPUT && nw_graph_model_get_input_width (self->model) > 0)
    {
      int width = nw_graph_model_get_input_width (self->model);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Its width comes from the data: %d feature.",
                                                            "Its width comes from the data: %d features.",
                                                            (gulong) width), width);
      gtk_grid_attach (g, note (text), 0, row++, 2, 1);
    }
  else if (info->n_inputs < 0)
    {
      int fed = nw_graph_model_n_fed_ports (self->model, node);
      /* Translators: under the settings of an Add or Concat block: how many inputs it has;
       * the block's own note follows (%s, maybe empty) */
      g_autofree char *text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE,
                     "%d input. Wire another output into the free port to add one. %s",
                     "%d inputs. Wire another output into the free port to add one. %s",
                     (gulong) fed), fed, info->note != NULL ? _(info->note) : "");
      gtk_grid_attach (g, note (text), 0, row++, 2, 1);
    }
  else if (info->note != NULL)
    gtk_grid_attach (g, note (_(info->note)), 0, row++, 2, 1);
  gtk_box_append (GTK_BOX (box), grid);

  gtk_widget_add_css_class (remove, "destructive-action");
  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  gtk_widget_set_name (remove, "delete");
  g_signal_connect (remove, "clicked", G_CALLBACK (delete_clicked), self);
  gtk_box_append (GTK_BOX (box), remove);
  return box;
}

/* Showing -------------------------------------------------------------------------------- */

static void
popover_closed (GtkPopover *popover, NwEditor *self)
{
  g_clear_pointer (&self->popover_node, g_free);
  gtk_widget_grab_focus (self->canvas);
}

static void
point_at_node (NwEditor *self, const NwNodeSpec *node)
{
  NwRect r;
  double x0, y0, x1, y1, ox = 0, oy = 0;

  nw_editor_block_rect (self, node, &r);
  nw_editor_to_widget (self, r.x, r.y, &x0, &y0);
  nw_editor_to_widget (self, r.x + r.width, r.y + r.height, &x1, &y1);
  gtk_widget_translate_coordinates (self->canvas, GTK_WIDGET (self), 0, 0, &ox, &oy);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) (x0 + ox), (int) (y0 + oy),
                                                 MAX ((int) (x1 - x0), 1), MAX ((int) (y1 - y0), 1) });
}

static void
rebuild (NwEditor *self, const NwNodeSpec *node)
{
  gtk_popover_set_child (GTK_POPOVER (self->popover), build_content (self, node));
  update_title (self);
  update_sensitivity (self);
  point_at_node (self, node);
}

void
nw_editor_popover_show (NwEditor *self, const char *id)
{
  const NwNodeSpec *node = nw_spec_find_node (nw_editor_spec (self), id);

  if (node == NULL)
    return;
  if (self->popover == NULL)
    {
      self->popover = gtk_popover_new ();
      gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_BOTTOM);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->popover), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Block settings"), -1);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      g_signal_connect (self->popover, "closed", G_CALLBACK (popover_closed), self);
    }
  g_free (self->popover_node);
  self->popover_node = g_strdup (node->id);
  rebuild (self, node);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

void
nw_editor_popover_hide (NwEditor *self)
{
  if (self->popover != NULL && gtk_widget_get_visible (self->popover))
    gtk_popover_popdown (GTK_POPOVER (self->popover));
}

void
nw_editor_popover_sync (NwEditor *self)
{
  const NwNodeSpec *node;

  if (self->popover == NULL || !gtk_widget_get_visible (self->popover))
    return;
  node = popover_node (self);
  if (node == NULL)
    {
      nw_editor_popover_hide (self);
      return;
    }
  if (self->popover_updating)
    {
      point_at_node (self, node);   /* the block may have grown */
      return;
    }
  rebuild (self, node);
}
