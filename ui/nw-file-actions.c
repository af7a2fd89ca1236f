/* nw-file-actions.c: files, presets and the questions about unsaved changes. The window
 * keeps no state for them: what waits for an answer (the preset asked about, a close that
 * waits for Save As) is kept on the window object under the keys below. */
#include "nw-file-actions.h"
#include "nw-i18n.h"

#include "nw-ui.h"

#define SESSION_FUNC_KEY  "nw-file-actions-session"
#define CLOSE_AFTER_SAVE  "nw-file-actions-close-after-save"

static NwSession *
session_of (GtkWidget *window)
{
  NwFileActionsSession get = g_type_get_qdata (G_OBJECT_TYPE (window),
                                               g_quark_from_static_string (SESSION_FUNC_KEY));
  return get (window);
}

static char *
display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  return path != NULL ? g_filename_display_name (path) : g_file_get_uri (file);
}

/* ---- files ---- */

gboolean
nw_file_actions_open (NwSession *session, GFile *file)
{
  g_autoptr (GError) error = NULL;
  if (!nw_session_open (session, file, &error))
    {
      g_autofree char *name = display_name (file);
      nw_session_message (session, _("Could not open “%s”: %s. The network was not changed."),
                          name, error->message);
      return FALSE;
    }
  return TRUE;
}

/* After a failed save the work is still there (the network in the session, the weights in
 * the running trainer): the window says so and offers to save it somewhere else. A close
 * that waited for the save still closes after that Save As. */
typedef struct {
  const char *action;        /* "win.save-as" or "win.save-weights" */
  gboolean    close_after;
} Retry;

static void
retry_answered (GtkWindow *window, int response, gpointer data)
{
  g_autofree Retry *retry = data;
  if (response != GTK_RESPONSE_ACCEPT)
    return;
  if (retry->close_after)
    g_object_set_data (G_OBJECT (window), CLOSE_AFTER_SAVE, GINT_TO_POINTER (TRUE));
  gtk_widget_activate_action (GTK_WIDGET (window), retry->action, NULL);
}

static void
offer_save_as (GtkWidget *window, const char *question, const char *detail, const char *action,
               gboolean close_after)
{
  Retry *retry = g_new0 (Retry, 1);
  retry->action = action;
  retry->close_after = close_after;
  nw_ui_ask (GTK_WINDOW (window), question, detail, GTK_RESPONSE_ACCEPT, retry_answered, retry,
             _("_Cancel"), GTK_RESPONSE_CANCEL, _("Save _As…"), GTK_RESPONSE_ACCEPT, NULL);
}

static gboolean
save_to (GtkWidget *window, NwSession *session, GFile *file, gboolean close_after)
{
  g_autoptr (GError) error = NULL;
  if (!nw_session_save (session, file, &error))
    {
      g_autofree char *name = display_name (file);
      g_autofree char *question = g_strdup_printf (_("Could not save “%s”"), name);
      g_autofree char *detail = g_strdup_printf (_("%s. The network is still open, unchanged; "
                                                   "save it somewhere else?"), error->message);
      nw_session_message (session, _("Could not save “%s”: %s"), name, error->message);
      offer_save_as (window, question, detail, "win.save-as", close_after);
      return FALSE;
    }
  nw_session_message (session, NULL);
  return TRUE;
}

gboolean
nw_file_actions_load_weights (NwSession *session, GFile *file)
{
  g_autoptr (GError) error = NULL;
  if (!nw_session_load_weights (session, file, &error))
    {
      /* The error names the file (the loaders' messages all do). */
      nw_session_message (session, _("Could not load weights: %s. The network was not changed."),
                          error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  GWeakRef window;           /* to offer Save As on, if it is still open */
  char    *name;
} WeightsSave;

static void
on_weights_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  WeightsSave *job = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkWidget) window = g_weak_ref_get (&job->window);
  NwSession *session = NW_SESSION (source);
  if (!nw_session_save_weights_finish (session, result, &error))
    {
      nw_session_message (session, _("Could not save weights to “%s”: %s"), job->name,
                          error->message);
      if (window != NULL)
        {
          g_autofree char *question = g_strdup_printf (_("Could not save the weights to “%s”"),
                                                       job->name);
          g_autofree char *detail = g_strdup_printf (_("%s. The trained weights are still in "
                                                       "the network; save them somewhere else?"),
                                                     error->message);
          offer_save_as (window, question, detail, "win.save-weights", FALSE);
        }
    }
  else
    nw_session_message (session, NULL);
  g_weak_ref_clear (&job->window);
  g_free (job->name);
  g_free (job);
}

/* Runs on the trainer's thread, between two steps; the task holds the session. A window
 * (may be NULL) is offered Save As if the file cannot be written. */
void
nw_file_actions_save_weights (GtkWidget *window, NwSession *session, GFile *file)
{
  WeightsSave *job = g_new0 (WeightsSave, 1);
  g_weak_ref_init (&job->window, window);
  job->name = display_name (file);
  nw_session_save_weights_async (session, file, on_weights_saved, job);
}

static void
on_file_chosen (GtkWidget *window, GFile *file, gpointer data)
{
  NwSession *session = session_of (window);
  const char *what = data;
  gboolean close_after = GPOINTER_TO_INT (g_object_steal_data (G_OBJECT (window), CLOSE_AFTER_SAVE));
  if (file == NULL)
    return;
  if (g_str_equal (what, "open"))
    nw_file_actions_open (session, file);
  else if (g_str_equal (what, "load-weights"))
    nw_file_actions_load_weights (session, file);
  else if (g_str_equal (what, "save-weights"))
    nw_file_actions_save_weights (window, session, file);
  else if (save_to (window, session, file, close_after) && close_after)
    gtk_window_destroy (GTK_WINDOW (window));
}

/* A name for a new file from the network's name. */
static char *
suggested_name (NwSession *session, const char *extension)
{
  const char *name = nw_session_get_spec (session)->name;
  g_autoptr (GString) s = g_string_new (NULL);
  for (const char *c = name != NULL && name[0] ? name : "network"; *c; c++)
    g_string_append_c (s, g_ascii_isalnum (*c) ? g_ascii_tolower (*c) : '-');
  g_string_append (s, extension);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
action_files (GtkWidget *window, const char *name, GVariant *param)
{
  NwSession *session = session_of (window);
  GFile *file = nw_session_get_file (session);
  g_autofree char *json = suggested_name (session, ".json");
  g_autofree char *weights = suggested_name (session, ".safetensors");
  if (g_str_equal (name, "win.open"))
    nw_ui_choose_file (window, _("Open Network"), GTK_FILE_CHOOSER_ACTION_OPEN,
                       _("Neurowire networks"), "*.json", NULL, on_file_chosen, (gpointer) "open");
  else if (g_str_equal (name, "win.save") && file != NULL)
    save_to (window, session, file, FALSE);
  else if (g_str_equal (name, "win.save") || g_str_equal (name, "win.save-as"))
    nw_ui_choose_file (window, _("Save Network"), GTK_FILE_CHOOSER_ACTION_SAVE,
                       _("Neurowire networks"), "*.json", json, on_file_chosen, (gpointer) "save");
  else if (g_str_equal (name, "win.load-weights"))
    nw_ui_choose_file (window, _("Load Weights"), GTK_FILE_CHOOSER_ACTION_OPEN,
                       _("Weights (safetensors)"), "*.safetensors", NULL, on_file_chosen,
                       (gpointer) "load-weights");
  else if (g_str_equal (name, "win.save-weights"))
    nw_ui_choose_file (window, _("Save Weights"), GTK_FILE_CHOOSER_ACTION_SAVE,
                       _("Weights (safetensors)"), "*.safetensors", weights, on_file_chosen,
                       (gpointer) "save-weights");
}

/* ---- questions about unsaved changes ---- */

static void
close_answered (GtkWindow *window, int response, gpointer data)
{
  NwSession *session = session_of (GTK_WIDGET (window));
  GFile *file = nw_session_get_file (session);
  if (response == GTK_RESPONSE_REJECT)
    {
      nw_session_set_modified (session, FALSE);
      gtk_window_destroy (window);
    }
  else if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    {
      if (save_to (GTK_WIDGET (window), session, file, TRUE))
        gtk_window_destroy (window);
    }
  else if (response == GTK_RESPONSE_ACCEPT)
    {
      g_object_set_data (G_OBJECT (window), CLOSE_AFTER_SAVE, GINT_TO_POINTER (TRUE));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.save-as", NULL);
    }
}

gboolean
nw_file_actions_ask_to_close (GtkWindow *window, NwSession *session)
{
  const char *name = nw_session_get_spec (session)->name;
  g_autofree char *question = NULL;
  if (!nw_session_get_modified (session))
    return FALSE;
  question = g_strdup_printf (_("Save the changes to “%s” before closing?"),
                              name != NULL && name[0] ? name : _("Untitled network"));
  nw_ui_ask (window, question, _("The network or its settings were changed since they were "
               "last saved."), GTK_RESPONSE_ACCEPT, close_answered, NULL, _("Close _without Saving"),
             GTK_RESPONSE_REJECT, _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Save"), GTK_RESPONSE_ACCEPT,
             NULL);
  return TRUE;
}

/* Presets open like a file without one (Save asks where); MNIST loads in the background and
 * the current network stays until it is there. */
static void
open_preset (NwSession *session, const char *name)
{
  g_autoptr (GError) error = NULL;
  NwSpec *spec = nw_ui_load_preset (name, &error);
  if (spec == NULL)
    {
      nw_session_message (session, _("Could not open the preset “%s”: %s"), name, error->message);
      return;
    }
  nw_session_set_playing (session, FALSE);
  nw_session_message (session, NULL);
  nw_session_set_spec (session, spec, NULL);
}

static void
preset_answered (GtkWindow *window, int response, gpointer data)
{
  g_autofree char *name = data;
  if (response == GTK_RESPONSE_ACCEPT)
    open_preset (session_of (GTK_WIDGET (window)), name);
}

static void
action_preset (GtkWidget *window, const char *action, GVariant *param)
{
  NwSession *session = session_of (window);
  const char *name = g_variant_get_string (param, NULL);
  if (!nw_session_get_modified (session))
    {
      open_preset (session, name);
      return;
    }
  nw_ui_ask (GTK_WINDOW (window), _("Replace the network with the preset?"), _("The network or its "
               "settings were changed since they were last saved; the changes will be lost."),
             GTK_RESPONSE_CANCEL, preset_answered, g_strdup (name), _("_Cancel"),
             GTK_RESPONSE_CANCEL, _("_Replace"), GTK_RESPONSE_ACCEPT, NULL);
}

void
nw_file_actions_install (GtkWidgetClass *window_class, NwFileActionsSession session)
{
  static const char *const files[] = { "win.open", "win.save", "win.save-as", "win.load-weights",
                                       "win.save-weights" };
  g_type_set_qdata (G_TYPE_FROM_CLASS (window_class),
                    g_quark_from_static_string (SESSION_FUNC_KEY), (gpointer) session);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    gtk_widget_class_install_action (window_class, files[i], NULL, action_files);
  gtk_widget_class_install_action (window_class, "win.preset", "s", action_preset);
  gtk_widget_class_add_binding_action (window_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (window_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (window_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
}
