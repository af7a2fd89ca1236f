/* nw-lesson-browser.c: the lesson browser (nw-lesson-browser.h). */
#include "nw-lesson-browser.h"
#include "nw-i18n.h"

#include "nw-ui.h"

struct _NwLessonBrowser
{
  AdwWindow           parent_instance;

  AdwPreferencesPage *page;
  GtkWidget          *open_button;

  GPtrArray          *groups;   /* AdwPreferencesGroup, borrowed (the page's) */
  GHashTable         *rows;     /* id -> AdwActionRow, borrowed */
};

enum { LESSON_CHOSEN, OPEN_FILE, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NwLessonBrowser, nw_lesson_browser, ADW_TYPE_WINDOW)

static void
on_row_activated (AdwActionRow *row, NwLessonBrowser *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "lesson-id");
  g_signal_emit (self, signals[LESSON_CHOSEN], 0, id);
}

static void
on_file_chosen (GtkWidget *owner, GFile *file, gpointer data)
{
  NwLessonBrowser *self = NW_LESSON_BROWSER (owner);
  if (file != NULL)
    g_signal_emit (self, signals[OPEN_FILE], 0, file);
}

static void
on_open_clicked (NwLessonBrowser *self)
{
  nw_ui_choose_file (GTK_WIDGET (self), _("Open Lesson File"), GTK_FILE_CHOOSER_ACTION_OPEN,
                     _("Lesson files"), "*.json", NULL, on_file_chosen, NULL);
}

void
nw_lesson_browser_set_entries (NwLessonBrowser *self, const NwLessonBrowserEntry *entries, int n)
{
  AdwPreferencesGroup *group = NULL;
  const char *chapter = NULL;
  g_return_if_fail (NW_IS_LESSON_BROWSER (self));
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_hash_table_remove_all (self->rows);
  for (int i = 0; i < n; i++)
    {
      const NwLessonBrowserEntry *e = &entries[i];
      g_autofree char *minutes = NULL, *number = NULL;
      GtkWidget *row, *label;
      if (group == NULL || g_strcmp0 (chapter, e->chapter) != 0)
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, e->chapter);
          adw_preferences_page_add (self->page, group);
          g_ptr_array_add (self->groups, group);
          chapter = e->chapter;
        }
      row = adw_action_row_new ();
      /* Lesson titles hold no markup: a "&" stays a "&". */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      number = g_strdup_printf ("%d. %s", i + 1, e->title);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), number);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), e->summary);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      /* Translators: a lesson's length in the browser */
      minutes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min", "%d min", e->minutes),
                                 e->minutes);
      label = gtk_label_new (minutes);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "lesson-id", g_strdup (e->id), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
      adw_preferences_group_add (group, row);
      g_hash_table_insert (self->rows, g_strdup (e->id), row);
    }
}

GtkWidget *
nw_lesson_browser_get_row (NwLessonBrowser *self, const char *id)
{
  g_return_val_if_fail (NW_IS_LESSON_BROWSER (self), NULL);
  return g_hash_table_lookup (self->rows, id);
}

static void
nw_lesson_browser_finalize (GObject *object)
{
  NwLessonBrowser *self = NW_LESSON_BROWSER (object);
  g_ptr_array_unref (self->groups);
  g_hash_table_unref (self->rows);
  G_OBJECT_CLASS (nw_lesson_browser_parent_class)->finalize (object);
}

static void
nw_lesson_browser_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NW_TYPE_LESSON_BROWSER);
  G_OBJECT_CLASS (nw_lesson_browser_parent_class)->dispose (object);
}

static void
nw_lesson_browser_class_init (NwLessonBrowserClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nw_lesson_browser_dispose;
  G_OBJECT_CLASS (klass)->finalize = nw_lesson_browser_finalize;
  nw_ui_init ();
  adw_init ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/neurowire/Neurowire/nw-lesson-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, NwLessonBrowser, page);
  gtk_widget_class_bind_template_child (widget_class, NwLessonBrowser, open_button);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  signals[LESSON_CHOSEN] = g_signal_new ("lesson-chosen", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_FILE] = g_signal_new ("open-file", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_FILE);
}

static void
nw_lesson_browser_init (NwLessonBrowser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

NwLessonBrowser *
nw_lesson_browser_new (GtkWindow *parent)
{
  return g_object_new (NW_TYPE_LESSON_BROWSER, "transient-for", parent, NULL);
}
