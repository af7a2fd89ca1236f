/* neurowire.c: the desktop program: an AdwApplication whose windows (NwWindow) wire, train and
 * show networks. `neurowire [FILE.json...]` opens networks; a second invocation hands its
 * files to the running instance (over D-Bus), which opens each in its window. Without a file
 * it reopens the network shown last (the settings' "last-network"). */
#include "nw-app-env.h"
#include "nw-app-settings.h"
#include "nw-blas.h"
#include "nw-cl-devices.h"
#include "nw-preferences.h"
#include "nw-settings.h"
#include "nw-renderer.h"
#include "nw-ui.h"
#include "nw-window.h"
#include "nw-window-lesson.h"
#include "nw-i18n.h"

#include <adwaita.h>
#include <locale.h>

#ifndef NW_VERSION
#define NW_VERSION "unknown"
#endif

#define APP_ID "org.neurowire.Neurowire"

/* What the program was told, from its command line and environment (read here once and
 * passed down to every window: nothing below app/ reads the environment for these). */
typedef struct {
  gboolean         play_at_start;    /* --play: train as soon as the window is up */
  char            *weights_at_start; /* --weights FILE: load into the network opened */
  char            *course_dir;       /* --course DIR: the lesson browser's course */
  char            *lesson_at_start;  /* --lesson ID|FILE: a lesson to open at once */
  NwWindowOptions  window;
  NwAppEnv         env;
  char            *backend_origin;
  NwDevices       *devices;
  NwJobs          *jobs;             /* every window's background work */
  GSettings       *settings;         /* NULL: no schema, nothing remembered */
  char            *saved_device;     /* the OpenCL device chosen last time, by id */
  NwRendererChoice renderer;         /* GTK's renderer for the windows, and why */
  char            *about_renderer;   /* the About window's debug information */
} Program;

/* NW_BACKEND=cpu|cl|auto chooses the first device (cpu: OpenCL is never touched, as the tests
 * want); the NW_CL_* settings go to every window's devices (NW_CL_DEVICE names the OpenCL
 * device); NEUROWIRE_DATA_DIR to every session; NW_DEBUG_FPS=1 prints frame rates (bench/). */
static void
program_read_environment (Program *p)
{
  const char *backend;
  int kind;
  NwBackendKind saved = NW_BACKEND_AUTO;

  nw_app_env_read (&p->env);
  backend = p->env.backend;
  kind = nw_backend_kind_from_name (backend);
  if (kind < 0)
    {
      g_printerr (_("neurowire: NW_BACKEND=%s is not one of auto, cpu, cl; using auto\n"), backend);
      kind = NW_BACKEND_AUTO;
    }
  if (kind != NW_BACKEND_AUTO)
    p->backend_origin = g_strdup_printf ("NW_BACKEND=%s", backend);
  /* Without NW_BACKEND and NW_CL_DEVICE, the device chosen in the menu last time. */
  else if (backend == NULL && p->env.cl.device == NULL
           && nw_app_settings_get_device (p->settings, &saved, &p->saved_device))
    kind = saved;
  p->devices = nw_cl_devices_new_full (&p->env.cl);
  p->jobs = nw_jobs_new ();
  p->window.session.devices = p->devices;
  p->window.session.backend = (NwBackendKind) kind;
  p->window.session.device = p->env.cl.device != NULL ? p->env.cl.device : p->saved_device;
  p->window.settings = p->settings;
  p->window.session.backend_origin = p->backend_origin;
  p->window.session.jobs = p->jobs;
  p->window.session.data_root = p->env.data_root;
  p->window.debug_fps = p->env.debug_fps;
}

static void
program_clear (Program *p)
{
  g_free (p->weights_at_start);
  g_free (p->course_dir);
  g_free (p->lesson_at_start);
  nw_app_env_clear (&p->env);
  g_free (p->backend_origin);
  nw_devices_unref (p->devices);
  nw_jobs_unref (p->jobs);
  g_clear_object (&p->settings);
  g_free (p->saved_device);
  nw_renderer_choice_clear (&p->renderer);
  g_free (p->about_renderer);
}

/* GTK's renderer, chosen before the first window (GTK reads GSK_RENDERER when it makes the
 * first one): the user's GSK_RENDERER stands; otherwise Cairo where OpenGL is software (a VM,
 * Xvfb) or missing, GTK's GL renderer on a graphics card (ui/nw-renderer.h). The choice and
 * its reason go to the log (G_MESSAGES_DEBUG=all), to stderr with NW_DEBUG_FPS, and to
 * the About dialog. */
static void
program_choose_renderer (Program *p)
{
  GdkDisplay *display;
  /* No display (neurowire --help on a console): nothing to draw, nothing to choose. */
  if (!gtk_init_check ())
    return;
  display = gdk_display_get_default ();
  nw_renderer_choose (display, p->env.gsk_renderer, &p->renderer);
  if (!p->renderer.user && p->renderer.renderer != NULL)
    g_setenv ("GSK_RENDERER", p->renderer.renderer, TRUE);
  p->about_renderer = nw_renderer_describe (&p->renderer);
  g_info ("%s (asked in %.0f ms)", p->about_renderer, p->renderer.probe_ms);
  if (p->env.debug_fps)
    g_printerr ("neurowire: renderer %s: %s (asked in %.0f ms)\n",
                p->renderer.renderer != NULL ? p->renderer.renderer : "default",
                p->renderer.reason, p->renderer.probe_ms);
}

static void
maybe_play (Program *p, GtkWindow *window)
{
  if (!p->play_at_start)
    return;
  p->play_at_start = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL);
}

static int
on_handle_local_options (GApplication *app, GVariantDict *options, gpointer data)
{
  Program *p = data;
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("neurowire %s\n", NW_VERSION);
      return 0;
    }
  p->play_at_start = g_variant_dict_contains (options, "play");
  g_variant_dict_lookup (options, "weights", "^ay", &p->weights_at_start);
  g_variant_dict_lookup (options, "course", "^ay", &p->course_dir);
  g_variant_dict_lookup (options, "lesson", "^ay", &p->lesson_at_start);
  /* Here, not earlier: --version and --help need no display; and not later: this is before
   * the application registers on D-Bus (and starts the thread that does), and before any
   * window, as g_setenv wants. */
  program_choose_renderer (p);
  return -1;
}

static void
action_about (GSimpleAction *action, GVariant *param, gpointer data)
{
  Program *p = data;
  GtkApplication *app = GTK_APPLICATION (g_application_get_default ());
  const char *developers[] = { _("The Neurowire authors"), NULL };
  GtkWidget *about = adw_about_window_new ();
  g_object_set (about,
                "transient-for", gtk_application_get_active_window (app),
                "application-name", "Neurowire",
                "application-icon", APP_ID,
                "version", NW_VERSION,
                "developer-name", _("The Neurowire authors"),
                "comments", _("Wire a neural network, train it live and watch it learn: "
                              "decision boundaries, activations and the gradient reaching "
                              "every layer."),
                "license-type", GTK_LICENSE_GPL_3_0,
                "developers", developers,
                /* Translators: your names, one per line ("Name <email>"); shown in About */
                "translator-credits", _("translator-credits"),
                "debug-info", p->about_renderer != NULL ? p->about_renderer : "",
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
action_preferences (GSimpleAction *action, GVariant *param, gpointer data)
{
  Program *p = data;
  GtkApplication *app = GTK_APPLICATION (g_application_get_default ());
  if (p->settings != NULL)
    gtk_window_present (GTK_WINDOW (nw_preferences_new (p->settings,
                                                        gtk_application_get_active_window (app))));
}

static void
action_quit (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplication *app = data;
  /* Each window asks about unsaved changes as it closes. */
  GList *windows = g_list_copy (gtk_application_get_windows (app));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = action_quit },
};
/* Those that read the program's state */
static const GActionEntry program_actions[] = {
  { .name = "about", .activate = action_about },
  { .name = "preferences", .activate = action_preferences },
};

static void
on_startup (GApplication *app, gpointer data)
{
  Program *p = data;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  /* Numbers in files and labels use a point, whatever the locale. */
  setlocale (LC_NUMERIC, "C");
  /* AdwApplication has loaded style.css (and style-dark.css) from the resources. */
  nw_settings_follow_color_scheme (p->settings);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/neurowire/Neurowire/icons");
  gtk_window_set_default_icon_name (APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), program_actions,
                                   G_N_ELEMENTS (program_actions), p);
  /* Without the schema there is nothing to set. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app),
                                                                             "preferences")),
                               p->settings != NULL);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_accels);
}

/* Background work still running when the last window closed (a load, a device choice) ends
 * before the program does, instead of the program exiting under its workers. */
static void
on_shutdown (GApplication *app, gpointer data)
{
  Program *p = data;
  if (!nw_jobs_wait (p->jobs, 60000))
    g_printerr (_("neurowire: background work did not finish within a minute\n"));
}

/* The network shown last, in a new window started without a file: when it still exists. */
static gboolean
reopen_last_network (Program *p, NwWindow *window)
{
  g_autofree char *uri = p->settings != NULL
    ? g_settings_get_string (p->settings, NW_SETTINGS_LAST_NETWORK) : NULL;
  g_autoptr (GFile) file = uri != NULL && uri[0] != '\0' ? g_file_new_for_uri (uri) : NULL;
  g_autofree char *name = NULL;
  if (file == NULL)
    return FALSE;
  if (!g_file_query_exists (file, NULL))
    {
      g_settings_set_string (p->settings, NW_SETTINGS_LAST_NETWORK, "");
      return FALSE;
    }
  name = g_file_get_basename (file);
  if (nw_window_open_file (window, file))
    {
      g_autofree char *shown = g_filename_display_name (name);
      /* Translators: the network file's name; said when the program starts */
      g_autofree char *text = g_strdup_printf (_("Opened “%s”, the network from last time"), shown);
      nw_window_add_toast (window, text);
      return TRUE;
    }
  return FALSE;
}

static void
on_activate (GApplication *app, gpointer data)
{
  Program *p = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      window = GTK_WINDOW (nw_window_new_with_options (GTK_APPLICATION (app), &p->window));
      if (p->course_dir != NULL)
        nw_window_set_course_dir (NW_WINDOW (window), p->course_dir);
      if (p->lesson_at_start != NULL)
        {
          gtk_window_present (window);
          nw_window_open_lesson (NW_WINDOW (window), p->lesson_at_start);
          g_clear_pointer (&p->lesson_at_start, g_free);
        }
      /* A start without a network of the user's: the course is offered first. */
      else if (!reopen_last_network (p, NW_WINDOW (window)))
        nw_window_show_lesson_banner (NW_WINDOW (window));
    }
  gtk_window_present (window);
  maybe_play (p, window);
}

static void
on_open (GApplication *app, GFile **files, int n_files, const char *hint, gpointer data)
{
  Program *p = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL || !NW_IS_WINDOW (window))
    window = GTK_WINDOW (nw_window_new_with_options (GTK_APPLICATION (app), &p->window));
  gtk_window_present (window);
  /* One network per window: the last good file wins; each bad one is reported. */
  for (int i = 0; i < n_files; i++)
    nw_window_open_file (NW_WINDOW (window), files[i]);
  if (p->weights_at_start != NULL)
    {
      g_autoptr (GFile) weights = g_file_new_for_commandline_arg (p->weights_at_start);
      g_clear_pointer (&p->weights_at_start, g_free);
      nw_window_load_weights_when_ready (NW_WINDOW (window), weights);
    }
  /* The files' network, once its data is in; not the one shown while it loads. */
  if (p->play_at_start)
    {
      p->play_at_start = FALSE;
      nw_window_play_when_ready (NW_WINDOW (window));
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GtkApplication) app = NULL;
  Program program = { 0 };
  int status;

  /* Before anything else: OpenBLAS chose its kernels when it was loaded (see nw-blas.h). */
  nw_blas_reexec_if_needed (argv);
  /* The settings, and the language chosen in Preferences: before the locale is read. */
  program.settings = nw_app_settings_new ();
  nw_app_settings_apply_language (program.settings);
  /* Then the user's language (LANG, LANGUAGE, or the one just applied) and Neurowire's
   * translations, before any text. */
  nw_app_env_init_i18n ();
  g_set_application_name ("Neurowire");
  nw_ui_init ();
  /* Every view is drawn with Cairo. On software OpenGL (a VM, a classroom PC, Xvfb) GTK's GL
   * renderer drew the training window at ~5 frames/s against ~54 with its Cairo renderer
   * (bench/gui_fps.sh; decision 0028): Cairo there, GL on a graphics card, GSK_RENDERER set
   * by the user wins (program_choose_renderer, from on_handle_local_options). */
  program_read_environment (&program);
  app = GTK_APPLICATION (adw_application_new (APP_ID, G_APPLICATION_HANDLES_OPEN));
  g_application_add_main_option (G_APPLICATION (app), "play", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, N_("Start training at once"), NULL);
  g_application_add_main_option (G_APPLICATION (app), "weights", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME, N_("Load these weights (safetensors) into "
                                    "the network opened"), N_("FILE"));
  g_application_add_main_option (G_APPLICATION (app), "course", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME, N_("Show the course in this folder (course.json and "
                                    "its lessons) in the lesson browser"), N_("DIR"));
  g_application_add_main_option (G_APPLICATION (app), "lesson", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME, N_("Start with this lesson: an id of the course, "
                                    "or a lesson file"), N_("LESSON"));
  g_application_add_main_option (G_APPLICATION (app), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, N_("Show the version"), NULL);
  g_application_set_option_context_parameter_string (G_APPLICATION (app), "[NETWORK.json]");
  g_application_set_option_context_summary (G_APPLICATION (app),
    _("Wire a neural network, train it live and watch it learn."));
  g_signal_connect (app, "handle-local-options", G_CALLBACK (on_handle_local_options), &program);
  g_signal_connect (app, "startup", G_CALLBACK (on_startup), &program);
  g_signal_connect (app, "shutdown", G_CALLBACK (on_shutdown), &program);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), &program);
  g_signal_connect (app, "open", G_CALLBACK (on_open), &program);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  g_clear_object (&app);
  program_clear (&program);
  return status;
}
