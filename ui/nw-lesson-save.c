/* nw-lesson-save.c: "Save as Lesson…" (nw-lesson-save.h). */
#include "nw-lesson-save.h"
#include "nw-i18n.h"

#include "nw-ui.h"

#include <adwaita.h>

/* The lesson's id from its English title: "Vanishing gradients!" -> "vanishing-gradients". */
static char *
id_from_title (const char *title)
{
  GString *id = g_string_new (NULL);
  for (const char *p = title; *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);
      if (g_ascii_isalnum (c))
        g_string_append_c (id, c);
      else if (id->len > 0 && id->str[id->len - 1] != '-')
        g_string_append_c (id, '-');
    }
  while (id->len > 0 && id->str[id->len - 1] == '-')
    g_string_truncate (id, id->len - 1);
  if (id->len == 0)
    g_string_append (id, "my-lesson");
  return g_string_free (id, FALSE);
}

NwLesson *
nw_lesson_save_build (const NwSpec *spec, const char *const texts[8], guint views, guint locks,
                      const NwLesson *playing, double pace, GError **error)
{
  static const char *const fields[4] = { N_("title"), N_("summary"), N_("chapter"), N_("text") };
  g_autoptr (NwLesson) lesson = NULL;
  NwLessonStep *step;
  g_return_val_if_fail (spec != NULL, NULL);
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *t = g_strstrip (g_strdup (texts[i] != NULL ? texts[i] : ""));
      if (t[0] == '\0')
        {
          /* Translators: a required text of "Save as Lesson…" is empty: "the title in Korean" */
          g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                       i % 2 == 0 ? _("The %s in Korean is empty") : _("The %s in English is empty"),
                       _(fields[i / 2]));
          return NULL;
        }
    }
  lesson = nw_lesson_new ();
  lesson->id = id_from_title (texts[1]);
  nw_lesson_text_set (&lesson->title, texts[0], texts[1]);
  nw_lesson_text_set (&lesson->summary, texts[2], texts[3]);
  nw_lesson_text_set (&lesson->chapter, texts[4], texts[5]);
  lesson->minutes = 5;
  lesson->spec = nw_spec_copy (spec);
  lesson->views = views;
  lesson->pace = pace;
  for (int c = 0; c < NW_LESSON_N_CONTROLS; c++)
    if (locks & NW_LESSON_BIT (c))
      {
        const NwLessonLock *was = playing != NULL ? nw_lesson_find_lock (playing, c) : NULL;
        NwLessonLock *lock = g_new0 (NwLessonLock, 1);
        lock->control = c;
        if (was != NULL)
          nw_lesson_text_copy (&lock->reason, &was->reason);
        else
          nw_lesson_text_set (&lock->reason, "선생님이 잠갔습니다", "Locked by the teacher");
        g_ptr_array_add (lesson->locks, lock);
      }
  step = nw_lesson_step_new ();
  nw_lesson_text_set (&step->title, texts[0], texts[1]);
  nw_lesson_text_set (&step->text, texts[6], texts[7]);
  g_ptr_array_add (lesson->steps, step);
  if (!nw_lesson_validate (lesson, error))
    return NULL;
  return g_steal_pointer (&lesson);
}

/* ---- the dialog ---- */

typedef struct {
  NwWindow  *window;
  GtkWidget *dialog;
  GtkWidget *fields[8];   /* GtkEntry (title, summary, chapter) or GtkTextView (text), ko/en */
  GtkWidget *save_button;
  GtkWidget *error_label;
  NwLesson  *playing;     /* a copy, or NULL */
  guint      views, locks;
  double     pace;
} SaveDialog;

static void
save_dialog_free (gpointer data)
{
  SaveDialog *d = data;
  g_clear_pointer (&d->playing, nw_lesson_free);
  g_free (d);
}

static char *
field_text (GtkWidget *w)
{
  if (GTK_IS_TEXT_VIEW (w))
    {
      GtkTextBuffer *b = gtk_text_view_get_buffer (GTK_TEXT_VIEW (w));
      GtkTextIter s, e;
      gtk_text_buffer_get_bounds (b, &s, &e);
      return gtk_text_buffer_get_text (b, &s, &e, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (w)));
}

static NwLesson *
build (SaveDialog *d, GError **error)
{
  char *texts[8];
  NwLesson *lesson;
  for (int i = 0; i < 8; i++)
    texts[i] = field_text (d->fields[i]);
  lesson = nw_lesson_save_build (nw_window_get_spec (d->window), (const char *const *) texts,
                                 d->views, d->locks, d->playing, d->pace, error);
  for (int i = 0; i < 8; i++)
    g_free (texts[i]);
  return lesson;
}

static void
on_changed (SaveDialog *d)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NwLesson) lesson = NULL;
  if (d->error_label == NULL)
    return;   /* still being built (the chapter filled in); it is checked once done */
  lesson = build (d, &error);
  gtk_widget_set_sensitive (d->save_button, lesson != NULL);
  gtk_label_set_text (GTK_LABEL (d->error_label), error != NULL ? error->message : "");
}

static void
on_file_chosen (GtkWidget *owner, GFile *file, gpointer data)
{
  SaveDialog *d = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NwLesson) lesson = NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  if (file == NULL)
    return;
  lesson = build (d, &error);
  if (lesson != NULL && path == NULL)
    g_set_error (&error, NW_LESSON_ERROR, NW_LESSON_ERROR_IO, _("not a local file"));
  if (lesson != NULL && path != NULL && nw_lesson_save (lesson, path, &error))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *said = g_strdup_printf (_("Saved the lesson “%s”"), name);
      nw_window_add_toast (d->window, said);
      gtk_window_destroy (GTK_WINDOW (d->dialog));
      return;
    }
  gtk_label_set_text (GTK_LABEL (d->error_label), error->message);
}

static void
on_save (GtkButton *button, SaveDialog *d)
{
  g_autofree char *en = field_text (d->fields[1]);
  g_autofree char *id = id_from_title (en);
  g_autofree char *suggested = g_strconcat (id, ".json", NULL);
  nw_ui_choose_file (d->dialog, _("Save Lesson"), GTK_FILE_CHOOSER_ACTION_SAVE,
                     _("Lesson files"), "*.json", suggested, on_file_chosen, d);
}

static GtkWidget *
add_row (GtkGrid *grid, int row, const char *caption, const char *name_ko, const char *name_en,
         gboolean multiline, GtkWidget **ko, GtkWidget **en, SaveDialog *d)
{
  GtkWidget *label = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_valign (label, multiline ? GTK_ALIGN_START : GTK_ALIGN_CENTER);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  for (int lang = 0; lang < 2; lang++)
    {
      GtkWidget *w;
      if (multiline)
        {
          GtkWidget *scroller = gtk_scrolled_window_new ();
          w = gtk_text_view_new ();
          gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (w), GTK_WRAP_WORD_CHAR);
          gtk_widget_set_size_request (scroller, 260, 120);
          gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), w);
          gtk_widget_add_css_class (scroller, "card");
          g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (w)), "changed",
                                    G_CALLBACK (on_changed), d);
          gtk_grid_attach (grid, scroller, 1 + lang, row, 1, 1);
        }
      else
        {
          w = gtk_entry_new ();
          gtk_widget_set_hexpand (w, TRUE);
          g_signal_connect_swapped (w, "changed", G_CALLBACK (on_changed), d);
          gtk_grid_attach (grid, w, 1 + lang, row, 1, 1);
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      lang == 0 ? name_ko : name_en, -1);
      *(lang == 0 ? ko : en) = w;
    }
  return label;
}

void
nw_lesson_save_dialog (NwWindow *window, const NwLesson *playing, guint views, guint locks,
                       double pace)
{
  SaveDialog *d = g_new0 (SaveDialog, 1);
  GtkWidget *content, *header, *grid, *label, *cancel;
  d->window = window;
  d->playing = playing != NULL ? nw_lesson_copy (playing) : NULL;
  d->views = views;
  d->locks = locks;
  d->pace = pace;
  d->dialog = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (d->dialog), _("Save as Lesson"));
  gtk_window_set_transient_for (GTK_WINDOW (d->dialog), GTK_WINDOW (window));
  gtk_window_set_modal (GTK_WINDOW (d->dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (d->dialog), 720, -1);
  g_object_set_data_full (G_OBJECT (d->dialog), "nw-save-dialog", d, save_dialog_free);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  cancel = gtk_button_new_with_label (_("Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), d->dialog);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  d->save_button = gtk_button_new_with_label (_("Save…"));
  gtk_widget_add_css_class (d->save_button, "suggested-action");
  gtk_accessible_update_property (GTK_ACCESSIBLE (d->save_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Save lesson"), -1);
  g_signal_connect (d->save_button, "clicked", G_CALLBACK (on_save), d);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), d->save_button);
  gtk_box_append (GTK_BOX (content), header);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 10);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  gtk_widget_set_margin_top (grid, 12);
  gtk_widget_set_margin_bottom (grid, 18);
  label = gtk_label_new (_("The lesson keeps the network and data as they are now, the views "
                           "shown, the controls locked and the pace. Every text is needed in "
                           "Korean and in English."));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 3, 1);
  label = gtk_label_new (_("Korean"));
  gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (GTK_GRID (grid), label, 1, 1, 1, 1);
  label = gtk_label_new (_("English"));
  gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (GTK_GRID (grid), label, 2, 1, 1, 1);
  add_row (GTK_GRID (grid), 2, _("Title"), _("Title in Korean"), _("Title in English"), FALSE,
           &d->fields[0], &d->fields[1], d);
  add_row (GTK_GRID (grid), 3, _("Summary"), _("Summary in Korean"), _("Summary in English"),
           FALSE, &d->fields[2], &d->fields[3], d);
  add_row (GTK_GRID (grid), 4, _("Chapter"), _("Chapter in Korean"), _("Chapter in English"),
           FALSE, &d->fields[4], &d->fields[5], d);
  add_row (GTK_GRID (grid), 5, _("Text"), _("Step text in Korean"), _("Step text in English"),
           TRUE, &d->fields[6], &d->fields[7], d);
  if (playing != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (d->fields[4]), playing->chapter.ko);
      gtk_editable_set_text (GTK_EDITABLE (d->fields[5]), playing->chapter.en);
    }
  d->error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (d->error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (d->error_label), TRUE);
  gtk_widget_add_css_class (d->error_label, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), d->error_label, 0, 6, 3, 1);
  gtk_box_append (GTK_BOX (content), grid);
  adw_window_set_content (ADW_WINDOW (d->dialog), content);
  on_changed (d);
  gtk_window_present (GTK_WINDOW (d->dialog));
}
