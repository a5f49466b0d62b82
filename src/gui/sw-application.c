/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwApplication (see sw-application.h).
 */
#define G_LOG_DOMAIN "Spikeworks-Application"

#include "config.h"

#include "sw-application.h"
#include "sw-kind-windows.h"

#include "sw-drafts.h"
#include "sw-preferences-window.h"
#include "sw-window.h"

#include <glib/gi18n.h>

struct _SwApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (SwApplication, sw_application, ADW_TYPE_APPLICATION)

/* Accelerators of the application's and the windows' actions; Space is a
 * binding of the window (it must not steal the key from entries). */
static const struct
{
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Shift><Control>n", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.new", { "<Control>n", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Shift><Control>s", NULL } },
  { "win.undo", { "<Control>z", NULL } },
  { "win.redo", { "<Shift><Control>z", "<Control>y", NULL } },
  { "win.fullscreen", { "F11", NULL } },
  { "win.presentation", { "F5", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

static SwWindow *
new_window (SwApplication *self)
{
  SwWindow *window = sw_window_new (self);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* A window on the default preset; it always loads. */
static SwWindow *
new_default_window (SwApplication *self)
{
  g_autoptr(GError) error = NULL;
  SwWindow *window = new_window (self);

  if (!sw_window_open_preset (window, SW_DEFAULT_PRESET, NULL, &error))
    g_critical ("The default preset does not load: %s", error->message);
  return window;
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Each window asks about its unsaved changes; the application ends when
   * the last one is gone. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
new_window_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  new_default_window (SW_APPLICATION (user_data));
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SwApplication *self = SW_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (sw_preferences_window_new (parent, self->settings)));
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Spikeworks developers", NULL };
  GtkWidget *about = adw_about_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (app));
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), "Spikeworks");
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), APP_ID);
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_developer_name (ADW_ABOUT_WINDOW (about), _("The Spikeworks developers"));
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 _("A workbench for spiking networks and neural dynamics"));
  adw_about_window_set_website (ADW_ABOUT_WINDOW (about),
                                "https://github.com/spikeworks/spikeworks");
  adw_about_window_set_issue_url (ADW_ABOUT_WINDOW (about),
                                  "https://github.com/spikeworks/spikeworks/issues");
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  /* Translators: your names, one per line, to appear in the About window. */
  adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  { "new-window", new_window_activated, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_activated, NULL, NULL, NULL, { 0 } },
  { "about", about_activated, NULL, NULL, NULL, { 0 } },
};

static gboolean
color_scheme_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  if (g_str_equal (nick, "light"))
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_str_equal (nick, "dark"))
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    g_value_set_enum (value, ADW_COLOR_SCHEME_DEFAULT);
  return TRUE;
}

static void
sw_application_startup (GApplication *application)
{
  SwApplication *self = SW_APPLICATION (application);

  G_APPLICATION_CLASS (sw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                adw_style_manager_get_default (), "color-scheme",
                                G_SETTINGS_BIND_GET, color_scheme_get_mapping, NULL,
                                NULL, NULL);
  gtk_window_set_default_icon_name (APP_ID);
}

static void
sw_application_activate (GApplication *application)
{
  SwApplication *self = SW_APPLICATION (application);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GPtrArray) drafts = NULL;
  gboolean restored = FALSE;

  if (active != NULL)
    {
      gtk_window_present (active);
      return;
    }

  /* Drafts still on disk at start were left by a crash. */
  drafts = sw_drafts_list ();
  for (guint i = 0; i < drafts->len; i++)
    {
      g_autoptr(GError) error = NULL;
      SwWindow *window = new_window (self);

      if (sw_window_restore_draft (window, drafts->pdata[i], &error))
        restored = TRUE;
      else
        {
          g_warning ("Could not restore a draft: %s", error->message);
          gtk_window_destroy (GTK_WINDOW (window));
        }
    }
  if (!restored)
    new_default_window (self);
}

static void
sw_application_open (GApplication *application, GFile **files, int n_files, const char *hint)
{
  SwApplication *self = SW_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      /* `spikeworks preset:brunel-a` opens a preset. */
      if (g_file_has_uri_scheme (files[i], "preset"))
        {
          g_autoptr(GError) error = NULL;
          gboolean handled;
          SwWindow *window;

          /* Cells and neural masses have windows of their own. */
          sw_kind_windows_open (GTK_APPLICATION (self), uri, &handled, &error);
          if (handled)
            {
              if (error != NULL)
                {
                  g_printerr ("%s\n", error->message);
                  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
                    new_default_window (self);
                }
              continue;
            }
          window = new_window (self);

          if (!sw_window_open_preset (window, uri + strlen ("preset:"), NULL, &error))
            {
              g_printerr ("%s\n", error->message);
              gtk_window_destroy (GTK_WINDOW (window));
              if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
                new_default_window (self);
            }
          continue;
        }
      else
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *path = g_file_get_path (files[i]);
          gboolean handled = FALSE;
          SwWindow *window;

          /* A cells or neural-mass document that opens has its own window;
           * one that does not is reported by a network window below. */
          if (path != NULL && sw_kind_windows_open (GTK_APPLICATION (self), path, &handled, NULL)
              && handled)
            continue;
          window = new_window (self);

          if (path == NULL || !sw_window_open_path (window, path, &error))
            {
              /* The window starts on the default model and says why the
               * file did not open. */
              sw_window_open_preset (window, SW_DEFAULT_PRESET, NULL, NULL);
              sw_window_open_file (window, files[i]);
            }
        }
    }
}

static void
sw_application_dispose (GObject *object)
{
  SwApplication *self = SW_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (sw_application_parent_class)->dispose (object);
}

static void
sw_application_class_init (SwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sw_application_dispose;
  app_class->startup = sw_application_startup;
  app_class->activate = sw_application_activate;
  app_class->open = sw_application_open;
}

static void
sw_application_init (SwApplication *self)
{
  self->settings = g_settings_new ("io.github.spikeworks.Spikeworks");
}

SwApplication *
sw_application_new (GApplicationFlags flags)
{
  return g_object_new (SW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

GSettings *
sw_application_get_settings (SwApplication *self)
{
  g_return_val_if_fail (SW_IS_APPLICATION (self), NULL);
  return self->settings;
}
