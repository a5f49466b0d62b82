/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of the GUI tests: an application that is registered but never
 * runs its own loop, waiting on the main context for a condition with a
 * deadline, finding dialogs, and checking that objects are finalized.
 */
#pragma once

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw-application.h"
#include "sw-window.h"

/* Set by gui_test_init(). */
static SwApplication *test_app;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @cond (@data) holds or @timeout_s passed;
 * returns whether it holds. */
G_GNUC_UNUSED static gboolean
wait_for (gboolean (*cond) (gpointer data), gpointer data, double timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  /* A wake-up every few milliseconds, so that a blocking iteration returns
   * to check the condition and the deadline. */
  guint tick = g_timeout_add (5, tick_cb, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Runs the main context for @seconds. */
G_GNUC_UNUSED static void
spin (double seconds)
{
  wait_for (never, NULL, seconds);
}

/* The message dialogs transient for @window (a new list). */
G_GNUC_UNUSED static GList *
find_dialogs (GtkWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GList *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == window)
        found = g_list_prepend (found, w);
    }
  return found;
}

/* The first descendant of @widget of type @type, depth first. */
G_GNUC_UNUSED static GtkWidget *
find_descendant (GtkWidget *widget, GType type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)) != NULL)
        return found;
    }
  return NULL;
}

/* The first descendant of @widget for which @match holds, depth first. */
G_GNUC_UNUSED static GtkWidget *
find_widget (GtkWidget *widget, gboolean (*match) (GtkWidget *w, gconstpointer data),
             gconstpointer data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child, data))
        return child;
      if ((found = find_widget (child, match, data)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_button_for (GtkWidget *w, gconstpointer action)
{
  return GTK_IS_BUTTON (w)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0;
}

/* The button of @window that activates @action. */
G_GNUC_UNUSED static GtkWidget *
find_button (GtkWidget *window, const char *action)
{
  return find_widget (window, is_button_for, action);
}

/* Answers every message dialog of @window with @response, as a click on
 * that button does: the response, then the dialog goes. */
G_GNUC_UNUSED static void
respond_to_dialogs (GtkWindow *window, const char *response)
{
  GList *dialogs = find_dialogs (window);

  for (GList *l = dialogs; l != NULL; l = l->next)
    {
      adw_message_dialog_response (l->data, response);
      gtk_window_destroy (l->data);
    }
  g_list_free (dialogs);
  spin (0.05);
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Asserts that the object behind the weak pointer @ptr goes away. */
#define assert_finalized(ptr)                                                \
  G_STMT_START                                                               \
    {                                                                        \
      if (!wait_for (pointer_is_null, &(ptr), 5.0))                          \
        g_error ("%s (%s) was not finalized", #ptr,                          \
                 G_OBJECT_TYPE_NAME (ptr));                                  \
    }                                                                        \
  G_STMT_END

/* A window on @preset (its simulation running when @run), presented. */
G_GNUC_UNUSED static SwWindow *
new_window_on (const char *preset, gboolean run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.spikeworks.Spikeworks");
  SwWindow *window;

  g_settings_set_boolean (settings, "auto-run", run);
  window = sw_window_new (test_app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sw_window_open_preset (window, preset, NULL, &error));
  g_assert_no_error (error);
  return window;
}

/* Destroys @window whatever its changes and checks that it, its runner and
 * its panel are finalized. */
G_GNUC_UNUSED static void
destroy_window (SwWindow *window)
{
  gpointer w = window;
  gpointer runner = sw_window_get_runner (window);
  gpointer panel = sw_window_get_variables_panel (window);
  gpointer hub = sw_window_get_hub (window);

  g_object_add_weak_pointer (G_OBJECT (window), &w);
  if (runner != NULL)
    g_object_add_weak_pointer (G_OBJECT (runner), &runner);
  g_object_add_weak_pointer (G_OBJECT (panel), &panel);
  if (hub != NULL)
    g_object_add_weak_pointer (G_OBJECT (hub), &hub);

  respond_to_dialogs (GTK_WINDOW (window), "close");
  gtk_window_destroy (GTK_WINDOW (window));

  assert_finalized (w);
  if (runner != NULL)
    assert_finalized (runner);
  assert_finalized (panel);
  if (hub != NULL)
    assert_finalized (hub);
}

static char *test_home;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

/* Test set-up: the user's folders in a temporary folder (drafts, recent
 * files), in-memory settings, an application that is registered (so it
 * started up) and held.  Not G_TEST_OPTION_ISOLATE_DIRS: it hides the
 * system's data folders too, where the MIME database that tells GTK an
 * SVG icon from other files lives. */
G_GNUC_UNUSED static void
gui_test_init (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;
  static const char *const vars[] = { "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                      "XDG_STATE_HOME" };

  /* meson runs these under xvfb-run; without it and without a display
   * there is nothing to test on. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display (install xvfb)\n");
      exit (0);
    }

  test_home = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (test_home, vars[i], NULL);
      g_mkdir (dir, 0700);
      g_setenv (vars[i], dir, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_init (argc, argv, NULL);
  test_app = sw_application_new (G_APPLICATION_NON_UNIQUE);
}

static int test_status;

static gboolean
run_tests_idle (gpointer data)
{
  test_status = g_test_run ();
  g_application_release (G_APPLICATION (test_app));
  return G_SOURCE_REMOVE;
}

/* The first activation runs the tests instead of opening a window; later
 * ones (the tests' own) reach SwApplication. */
static void
first_activate_cb (GApplication *app, gpointer data)
{
  g_signal_handlers_disconnect_by_func (app, first_activate_cb, data);
  g_signal_stop_emission_by_name (app, "activate");
  g_application_hold (app);
  g_idle_add (run_tests_idle, NULL);
}

/* Runs the tests inside the application's own g_application_run(), so that
 * it starts up and shuts down as it does for users, then checks that it is
 * finalized. */
G_GNUC_UNUSED static int
gui_test_run (void)
{
  char *args[] = { (char *) g_get_prgname (), NULL };
  gpointer app = test_app;

  g_signal_connect (test_app, "activate", G_CALLBACK (first_activate_cb), NULL);
  g_application_run (G_APPLICATION (test_app), 1, args);
  g_object_add_weak_pointer (G_OBJECT (app), &app);
  g_clear_object (&test_app);
  g_assert_null (app);
  remove_tree (test_home);
  g_free (test_home);
  return test_status;
}
