/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwWindow (see sw-window.h).
 *
 * The document is the one source of truth: an edit changes it first
 * (sw_document_set, transactional), is recorded in the history as the
 * document's text from before, and then goes to the runner at once as a new
 * description (building one takes some 50 µs).  The runner's mailbox holds
 * only the newest description, so a slider dragged faster than the worker
 * takes them costs nothing; the worker applies the difference live or
 * rebuilds the network and says so.
 *
 * Each document gets a runner (and views) of its own: opening another
 * document replaces them, so nothing of the old network lingers in a view.
 */
#define G_LOG_DOMAIN "Spikeworks-Window"

#include "config.h"

#include "sw-window.h"

#include "sw-add-dialogs.h"
#include "sw-hdf5.h"
#include "sw-history.h"
#include "sw-live-hub.h"
#include "sw-phase-view.h"
#include "sw-preset-gallery.h"
#include "sw-kind-windows.h"
#include "sw-pynn.h"
#include "sw-raster-view.h"
#include "sw-rates-view.h"
#include "sw-recorded-view.h"
#include "sw-response-view.h"
#include "sw-sweep-view.h"
#include "sw-trace-view.h"

#include <glib/gi18n.h>
#include <math.h>

/* The draft is written this long after the last edit. */
#define DRAFT_DELAY_S 3
#define MAX_RECENT 10

/* The speeds of the speed menu, in its order (0: as fast as possible). */
static const double speeds[] = { 0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0 };

struct _SwWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *run_button;
  GtkDropDown *speed_dropdown;
  GtkLabel *time_label;
  GtkLabel *rtf_label;
  SwVariablesPanel *variables_panel;
  GtkBox *raster_box;
  GtkBox *rates_box;
  GtkBox *traces_box;
  SwPhaseView *phase_view;
  SwResponseView *response_view;
  SwSweepView *sweep_view;
  SwRecordedView *recorded_view;
  GMenu *recent_menu;
  AdwViewStack *views_stack;
  SwNetworkEditor *network_editor;
  SwPropertyPanel *property_panel;

  GSettings *settings;
  SwHistory *history;

  SwDocument *doc;
  char *path;              /* where Save writes; NULL: not saved yet */
  char *origin;            /* the path or "preset:NAME" it came from */
  char *origin_note;       /* the gallery's settings ("g=6, eta=4"), or NULL */
  char *saved_json;        /* the document as last saved; NULL: never */
  gboolean modified;
  gboolean presentation;

  SwRunner *runner;
  gboolean runner_built;   /* a runner's first "rebuilt" is its first build */
  SwLiveHub *hub;
  GtkWidget *raster_view;
  GtkWidget *rates_view;
  GtkWidget *trace_view;

  guint draft_source;
  char *draft_id;          /* the draft of this window's changes, or NULL */
  gboolean close_confirmed;
  gboolean close_after_save;
};

G_DEFINE_FINAL_TYPE (SwWindow, sw_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_MODIFIED,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  DOCUMENT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void close_after_decision (SwWindow *self);
static void network_refresh (SwWindow *self);

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */

static void
toast (SwWindow *self, const char *text)
{
  /* A toast's title is Pango markup; messages may hold '<' or '&'. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static AdwMessageDialog *
message_dialog (SwWindow *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_set_body_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
show_error (SwWindow *self, const char *heading, const char *message)
{
  AdwMessageDialog *dialog = message_dialog (self, heading, message);

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Title, recent files                                                       */

static char *
display_path (const char *path)
{
  const char *home = g_get_home_dir ();
  g_autofree char *shown = g_filename_display_name (path);

  if (home != NULL && g_str_has_prefix (path, home) && path[strlen (home)] == G_DIR_SEPARATOR)
    {
      g_autofree char *rest = g_filename_display_name (path + strlen (home));
      return g_strconcat ("~", rest, NULL);
    }
  return g_steal_pointer (&shown);
}

static void
update_title (SwWindow *self)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;
  const char *name;

  if (self->doc == NULL)
    return;

  name = sw_document_get_name (self->doc);
  if (self->path != NULL)
    {
      g_autofree char *base = g_filename_display_basename (self->path);
      title = g_strdup (name != NULL ? name : base);
      subtitle = display_path (self->path);
    }
  else
    {
      const char *preset = self->origin != NULL && g_str_has_prefix (self->origin, "preset:")
                             ? self->origin + strlen ("preset:") : NULL;
      title = g_strdup (name != NULL ? name : sw_document_get_display_name (self->doc));
      if (preset != NULL && self->origin_note != NULL)
        /* Translators: the subtitle of a model opened from a preset with
         * some values set: "Preset brunel-a, g=6, eta=4". */
        subtitle = g_strdup_printf (_("Preset %s, %s"), preset, self->origin_note);
      else if (preset != NULL)
        /* Translators: the subtitle of a model opened from a preset. */
        subtitle = g_strdup_printf (_("Preset %s"), preset);
      else
        subtitle = g_strdup (_("Not saved"));
    }

  if (self->modified)
    {
      /* A dot before the title marks unsaved changes, as in GNOME's editors. */
      char *marked = g_strconcat ("• ", title, NULL);
      g_free (title);
      title = marked;
    }
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* Translators: the window's title: the model, then the program. */
  window_title = g_strdup_printf (_("%s — Spikeworks"), title);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
update_recent_menu (SwWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-files");

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *base = g_filename_display_basename (recent[i]);
      g_autoptr(GString) label = g_string_new (base);
      g_autoptr(GMenuItem) item = NULL;

      /* Menu labels take mnemonics; a file name's underscores are literal. */
      g_string_replace (label, "_", "__", 0);
      item = g_menu_item_new (label->str, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_menu, item);
    }
  if (recent[0] == NULL)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Models"), "win.no-recent");
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
add_recent (SwWindow *self, const char *path)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-files");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  g_autofree char *folder = g_path_get_dirname (path);
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (old[i], path))
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-files", (const char *const *) updated);
  g_settings_set_string (self->settings, "last-folder", folder);
}

/* ------------------------------------------------------------------------ */
/* The runner                                                                */

static SwRunnerState
runner_state (SwWindow *self)
{
  return self->runner != NULL ? sw_runner_get_state (self->runner) : SW_RUNNER_EMPTY;
}

static void
update_run_actions (SwWindow *self)
{
  SwRunnerState state = runner_state (self);
  gboolean has_doc = self->doc != NULL;
  gboolean running = state == SW_RUNNER_RUNNING;
  GtkWidget *button = GTK_WIDGET (self->run_button);

  /* Before the first network is built (EMPTY) commands still apply: the
   * runner takes them in order after the build. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", has_doc && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-pause", has_doc);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", has_doc && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop",
                                 state == SW_RUNNER_RUNNING || state == SW_RUNNER_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset", has_doc);

  gtk_button_set_icon_name (self->run_button, running ? "media-playback-pause-symbolic"
                                                      : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (button, running ? _("Pause (Space)") : _("Run (Space)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  running ? _("Pause") : _("Run"), -1);
  if (running)
    gtk_widget_remove_css_class (button, "suggested-action");
  else
    gtk_widget_add_css_class (button, "suggested-action");
}

static void
update_clock (SwWindow *self)
{
  double t_ms = self->runner != NULL ? sw_runner_get_time_ms (self->runner) : 0.0;
  g_autofree char *text = NULL;

  /* Translators: simulated time in seconds, "12.35 s". */
  text = g_strdup_printf (_("%.2f s"), t_ms / 1000.0);
  gtk_label_set_label (self->time_label, text);
}

static void
update_rtf (SwWindow *self)
{
  g_autofree char *text = NULL;

  if (runner_state (self) == SW_RUNNER_RUNNING)
    {
      double rtf = sw_runner_get_real_time_factor (self->runner);
      /* Translators: the measured speed, simulated seconds per second: "0.93×". */
      text = g_strdup_printf (rtf < 10.0 ? _("%.2f×") : _("%.0f×"), rtf);
    }
  gtk_label_set_label (self->rtf_label, text != NULL ? text : "–");
}

static void
runner_state_cb (SwWindow *self)
{
  update_run_actions (self);
  update_rtf (self);
}

static void
runner_time_cb (SwWindow *self)
{
  update_clock (self);
}

static void
runner_rtf_cb (SwWindow *self)
{
  update_rtf (self);
}

static void
runner_rebuilt_cb (SwWindow *self, gboolean structural, const char *reason)
{
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;
  char *tail;

  /* The first network of a runner is no news. */
  if (!self->runner_built)
    {
      self->runner_built = TRUE;
      return;
    }
  if (!structural)
    return;
  /* The core's reason ends by saying that a rebuild is needed; the toast
   * says that it happened. */
  why = g_strdup (reason != NULL ? reason : "");
  if ((tail = g_strrstr (why, ": the network must be rebuilt")) != NULL)
    *tail = '\0';
  /* Translators: a toast; %s says why (from the simulation, in English). */
  text = g_strdup_printf (_("Network rebuilt: %s"), why);
  toast (self, text);
}

static void
failed_response_cb (SwWindow *self, const char *response)
{
  if (g_str_equal (response, "undo"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.undo", NULL);
}

static void
runner_failed_cb (SwWindow *self, const char *message)
{
  AdwMessageDialog *dialog = message_dialog (self, _("The Simulation Stopped"), message);

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  if (sw_history_get_can_undo (self->history))
    {
      adw_message_dialog_add_response (dialog, "undo", _("_Undo Last Change"));
      adw_message_dialog_set_response_appearance (dialog, "undo", ADW_RESPONSE_SUGGESTED);
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (failed_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  /* NULL once the template is disposed. */
  if (box == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
teardown_live (SwWindow *self)
{
  if (self->runner != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->runner, self);
      sw_runner_stop (self->runner);
    }
  clear_box (self->raster_box);
  clear_box (self->rates_box);
  clear_box (self->traces_box);
  self->raster_view = self->rates_view = self->trace_view = NULL;
  g_clear_object (&self->hub);
  /* Disposing the runner joins its thread. */
  g_clear_object (&self->runner);
}

static void
neuron_activated_cb (SwWindow *self, int pop, int neuron)
{
  g_autofree char *text = NULL;

  sw_trace_view_add_neuron (SW_TRACE_VIEW (self->trace_view), pop, neuron);
  /* Translators: a toast after a click on the raster: population and neuron. */
  text = g_strdup_printf (_("Recording the membrane potential of %s %d"),
                          sw_runner_get_spec (self->runner) != NULL
                            ? sw_runner_get_spec (self->runner)->pops[pop].name : "?",
                          neuron);
  toast (self, text);
}

static void
add_views (SwWindow *self)
{
  GtkWidget *views[3];

  self->hub = sw_live_hub_new (self->runner);
  self->raster_view = sw_raster_view_new ();
  self->rates_view = sw_rates_view_new ();
  self->trace_view = sw_trace_view_new ();
  views[0] = self->raster_view;
  views[1] = self->rates_view;
  views[2] = self->trace_view;

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      sw_live_hub_add_view (self->hub, views[i]);
      g_object_bind_property (self, "presentation", views[i], "presentation",
                              G_BINDING_SYNC_CREATE);
      gtk_widget_set_vexpand (views[i], TRUE);
    }
  g_signal_connect_object (self->raster_view, "neuron-activated",
                           G_CALLBACK (neuron_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->raster_box, self->raster_view);
  gtk_box_append (self->rates_box, self->rates_view);
  gtk_box_append (self->traces_box, self->trace_view);
  g_settings_bind (self->settings, "raster-point-size", self->raster_view, "point-size",
                   G_SETTINGS_BIND_GET);
}

static void
setup_live (SwWindow *self)
{
  int threads = g_settings_get_int (self->settings, "threads");
  guint speed = gtk_drop_down_get_selected (self->speed_dropdown);

  teardown_live (self);

  self->runner = sw_runner_new ();
  self->runner_built = FALSE;
  if (threads > 0)
    sw_runner_set_threads (self->runner, threads);
  sw_runner_set_speed (self->runner, speeds[MIN (speed, G_N_ELEMENTS (speeds) - 1)]);
  g_signal_connect_swapped (self->runner, "notify::state", G_CALLBACK (runner_state_cb), self);
  g_signal_connect_swapped (self->runner, "notify::time-ms", G_CALLBACK (runner_time_cb), self);
  g_signal_connect_swapped (self->runner, "notify::real-time-factor",
                            G_CALLBACK (runner_rtf_cb), self);
  g_signal_connect_swapped (self->runner, "rebuilt", G_CALLBACK (runner_rebuilt_cb), self);
  g_signal_connect_swapped (self->runner, "failed", G_CALLBACK (runner_failed_cb), self);

  add_views (self);
  update_run_actions (self);
  update_clock (self);
  update_rtf (self);
}

/* ------------------------------------------------------------------------ */
/* The document                                                              */

static void
set_modified (SwWindow *self, gboolean modified)
{
  if (self->modified == modified)
    return;
  self->modified = modified;
  update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
discard_draft (SwWindow *self)
{
  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->draft_id != NULL)
    {
      sw_draft_discard (self->draft_id);
      g_clear_pointer (&self->draft_id, g_free);
    }
}

static gboolean
draft_timeout_cb (gpointer data)
{
  SwWindow *self = data;

  self->draft_source = 0;
  sw_window_save_draft (self);
  return G_SOURCE_REMOVE;
}

/* The draft follows unsaved changes a few seconds after the last edit. */
static void
schedule_draft (SwWindow *self)
{
  if (self->draft_source == 0)
    self->draft_source = g_timeout_add_seconds (DRAFT_DELAY_S, draft_timeout_cb, self);
}

/* Sends the document to the runner as a new description. */
static void
sync_now (SwWindow *self)
{
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec;

  if (self->runner == NULL || self->doc == NULL)
    return;
  spec = sw_document_build_spec (self->doc, &error);
  if (spec == NULL)
    {
      show_error (self, _("The Model Cannot Run"), error->message);
      return;
    }
  sw_runner_set_spec (self->runner, spec);
  sw_net_spec_free (spec);
}

/* After every change of the document: show it, work out whether it differs
 * from the saved file, and have the runner and the draft follow. */
static void
document_changed (SwWindow *self)
{
  g_autofree char *json = sw_document_to_json (self->doc);
  gboolean modified = self->saved_json == NULL || !g_str_equal (json, self->saved_json);

  sw_variables_panel_refresh (self->variables_panel);
  network_refresh (self);
  set_modified (self, modified);

  sync_now (self);
  g_signal_emit (self, signals[DOCUMENT_CHANGED], 0);

  if (modified)
    schedule_draft (self);
  else
    discard_draft (self);
}

/* Shows @doc (taken): a new history, a new runner and views. */
static void
install_document (SwWindow *self, SwDocument *doc, const char *path, const char *origin,
                  const char *note, gboolean modified)
{
  SwDocument *old = self->doc;

  discard_draft (self);
  self->doc = doc;
  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->origin);
  self->origin = g_strdup (origin);
  g_free (self->origin_note);
  self->origin_note = g_strdup (note);
  g_free (self->saved_json);
  self->saved_json = modified ? NULL : sw_document_to_json (doc);
  self->modified = modified;
  self->close_confirmed = FALSE;
  sw_history_clear (self->history);

  sw_variables_panel_set_document (self->variables_panel, doc);
  g_clear_pointer (&old, sw_document_free);

  setup_live (self);
  sync_now (self);
  if (g_settings_get_boolean (self->settings, "auto-run"))
    sw_runner_run (self->runner);

  network_refresh (self);
  update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  g_signal_emit (self, signals[DOCUMENT_CHANGED], 0);
  if (path != NULL)
    add_recent (self, path);
  if (modified)
    schedule_draft (self);
}

/* The document's text is @json (taken): the undo and redo of an edit. */
static void
restore_json (SwWindow *self, char *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = json;
  SwDocument *doc = sw_document_load_data (text, -1, sw_document_get_display_name (self->doc),
                                           &error);
  SwDocument *old = self->doc;

  if (doc == NULL)
    {
      /* A snapshot of a valid document is valid; this is a bug. */
      g_critical ("Cannot restore the document: %s", error->message);
      return;
    }
  self->doc = doc;
  sw_variables_panel_set_document (self->variables_panel, doc);
  sw_document_free (old);
  document_changed (self);
}

static char *
snapshot_unless_merging (SwWindow *self, const char *key)
{
  return sw_history_would_merge (self->history, key) ? NULL : sw_document_to_json (self->doc);
}

gboolean
sw_window_set_value (SwWindow *self, const char *name, const char *value, GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = sw_document_to_json (self->doc);
  if (!sw_document_set (self->doc, name, value, error))
    return FALSE;
  /* A typed value is an edit of its own, never merged. */
  sw_history_seal (self->history);
  sw_history_push (self->history, name, name, g_steal_pointer (&before));
  sw_history_seal (self->history);
  document_changed (self);
  return TRUE;
}

gboolean
sw_window_set_variable (SwWindow *self, const char *name, double value, GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = snapshot_unless_merging (self, name);
  if (!sw_document_set_variable (self->doc, name, value, error))
    return FALSE;
  sw_history_push (self->history, name, name, g_steal_pointer (&before));
  document_changed (self);
  return TRUE;
}

gboolean
sw_window_set_variables (SwWindow *self, const char *label, const char *const *names,
                         const double *values, guint n, GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (names != NULL && values != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  /* All or nothing: the edits go to a copy first, so that a refused value
   * leaves the document as it was. */
  before = sw_document_to_json (self->doc);
  {
    g_autoptr(SwDocument) probe = sw_document_load_data (before, -1,
                                                         sw_document_get_display_name (self->doc),
                                                         error);
    if (probe == NULL)
      return FALSE;
    for (guint i = 0; i < n; i++)
      if (!sw_document_set_variable (probe, names[i], values[i], error))
        return FALSE;
  }
  for (guint i = 0; i < n; i++)
    if (!sw_document_set_variable (self->doc, names[i], values[i], error))
      g_return_val_if_reached (FALSE);
  /* One edit, undone at once, never merged with a slider's. */
  sw_history_seal (self->history);
  sw_history_push (self->history, label != NULL ? label : names[0],
                   label != NULL ? label : names[0], g_steal_pointer (&before));
  sw_history_seal (self->history);
  document_changed (self);
  return TRUE;
}

static void
panel_variable_changed_cb (SwWindow *self, const char *name, double value)
{
  g_autoptr(GError) error = NULL;

  if (!sw_window_set_variable (self, name, value, &error))
    toast (self, error->message);
}

static void
panel_assign_cb (SwWindow *self, const char *name, const char *value)
{
  g_autoptr(GError) error = NULL;

  sw_window_set_value (self, name, value, &error);
  sw_variables_panel_set_result (self->variables_panel, error);
}

/* ------------------------------------------------------------------------ */
/* The network editor                                                        */

/* Shows the selection of the editor in the property panel. */
static void
update_property_panel (SwWindow *self)
{
  const char *name = NULL;
  SwNetworkItemKind kind;

  if (self->network_editor == NULL || self->property_panel == NULL)
    return;
  kind = sw_network_editor_get_selection (self->network_editor, &name);
  sw_property_panel_show (self->property_panel, self->doc, kind, name);
}

/* The editor follows the document (a new one, or a change). */
static void
network_refresh (SwWindow *self)
{
  if (self->network_editor == NULL)
    return;
  sw_network_editor_set_document (self->network_editor, self->doc);
  update_property_panel (self);
}

/* A structural edit: the document before it is recorded as one command of
 * its own, then the runner gets the new description and rebuilds the
 * network (its "rebuilt" signal brings the toast). */
static void
structural_edit_done (SwWindow *self, const char *label, char *before)
{
  sw_history_seal (self->history);
  sw_history_push (self->history, label, label, before);
  sw_history_seal (self->history);
  document_changed (self);
}

char *
sw_window_add_projection (SwWindow *self, const char *pre, const char *post, GError **error)
{
  g_autofree char *before = NULL;
  char *name;

  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (pre != NULL && post != NULL, NULL);
  g_return_val_if_fail (self->doc != NULL, NULL);

  before = sw_document_to_json (self->doc);
  name = sw_document_add_projection (self->doc, pre, post, error);
  if (name == NULL)
    return NULL;
  structural_edit_done (self, name, g_steal_pointer (&before));
  return name;
}

gboolean
sw_window_remove_projection (SwWindow *self, const char *name, GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = sw_document_to_json (self->doc);
  if (!sw_document_remove_projection (self->doc, name, error))
    return FALSE;
  structural_edit_done (self, name, g_steal_pointer (&before));
  return TRUE;
}

/* Populations without a stored place are laid out by the editor from how
 * many there are of each kind; after one came or went they would all move.
 * They keep where they are drawn now: their places go into the document,
 * in the same command as the change. */
static void
keep_node_positions (SwWindow *self)
{
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec = sw_document_build_spec (self->doc, &error);

  for (int i = 0; spec != NULL && i < spec->n_pops; i++)
    {
      const char *name = spec->pops[i].name;
      double x, y;

      if (!sw_document_get_node_position (self->doc, name, &x, &y)
          && sw_network_editor_get_node_position (self->network_editor, name, &x, &y))
        sw_document_set_node_position (self->doc, name, x, y);
    }
  g_clear_pointer (&spec, sw_net_spec_free);
}

/* A new population: at the place the editor suggests, in the same
 * command as the population itself, and selected. */
static void
population_added (SwWindow *self, const char *name, gboolean source, char *before)
{
  double x, y;

  keep_node_positions (self);
  sw_network_editor_suggest_position (self->network_editor, source, &x, &y);
  sw_document_set_node_position (self->doc, name, x, y);
  structural_edit_done (self, name, before);
  sw_network_editor_select (self->network_editor, SW_NETWORK_ITEM_POPULATION, name);
}

gboolean
sw_window_add_population (SwWindow *self, const char *name, const char *model, int n,
                          gboolean inhibitory, GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL && model != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = sw_document_to_json (self->doc);
  if (!sw_document_add_population (self->doc, name, model, n, inhibitory, error))
    return FALSE;
  population_added (self, name, FALSE, g_steal_pointer (&before));
  return TRUE;
}

gboolean
sw_window_add_poisson_source (SwWindow *self, const char *name, int n, double rate_hz,
                              GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = sw_document_to_json (self->doc);
  if (!sw_document_add_poisson_source (self->doc, name, n, rate_hz, error))
    return FALSE;
  population_added (self, name, TRUE, g_steal_pointer (&before));
  return TRUE;
}

gboolean
sw_window_remove_population (SwWindow *self, const char *name, GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = sw_document_to_json (self->doc);
  if (!sw_document_remove_population (self->doc, name, error))
    return FALSE;
  keep_node_positions (self);
  structural_edit_done (self, name, g_steal_pointer (&before));
  return TRUE;
}

char *
sw_window_add_stimulus (SwWindow *self, const char *target, SwStimKind kind, GError **error)
{
  g_autofree char *before = NULL;
  char *name;

  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (self->doc != NULL, NULL);

  before = sw_document_to_json (self->doc);
  name = sw_document_add_stimulus (self->doc, target, kind, error);
  if (name == NULL)
    return NULL;
  structural_edit_done (self, name, g_steal_pointer (&before));
  sw_network_editor_select (self->network_editor, SW_NETWORK_ITEM_STIMULUS, name);
  return name;
}

gboolean
sw_window_remove_stimulus (SwWindow *self, const char *name, GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = sw_document_to_json (self->doc);
  if (!sw_document_remove_stimulus (self->doc, name, error))
    return FALSE;
  structural_edit_done (self, name, g_steal_pointer (&before));
  return TRUE;
}

gboolean
sw_window_set_waveform (SwWindow *self, const char *item, guint index, SwWaveKind kind,
                        GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = sw_document_to_json (self->doc);
  if (!sw_document_set_waveform (self->doc, item, index, kind, error))
    return FALSE;
  /* A new shape is no structural change: the runner applies it live. */
  structural_edit_done (self, item, g_steal_pointer (&before));
  return TRUE;
}

gboolean
sw_window_remove_waveform (SwWindow *self, const char *item, guint index, GError **error)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (self->doc != NULL, FALSE);

  before = sw_document_to_json (self->doc);
  if (!sw_document_remove_waveform (self->doc, item, index, error))
    return FALSE;
  structural_edit_done (self, item, g_steal_pointer (&before));
  return TRUE;
}

void
sw_window_move_node (SwWindow *self, const char *pop, double x, double y)
{
  g_autofree char *key = NULL;
  char *before;

  g_return_if_fail (SW_IS_WINDOW (self));
  g_return_if_fail (pop != NULL);
  g_return_if_fail (self->doc != NULL);

  /* Keyed by node, so that a run of Ctrl+arrow moves undoes at once. */
  key = g_strconcat ("ui.network.", pop, NULL);
  before = snapshot_unless_merging (self, key);
  sw_document_set_node_position (self->doc, pop, x, y);
  sw_history_push (self->history, key, pop, before);
  document_changed (self);
}

static void
editor_node_moved_cb (SwWindow *self, const char *pop, double x, double y)
{
  sw_window_move_node (self, pop, x, y);
}

static void
editor_connect_cb (SwWindow *self, const char *pre, const char *post)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = sw_window_add_projection (self, pre, post, &error);

  if (name == NULL)
    {
      toast (self, error->message);
      return;
    }
  sw_network_editor_select (self->network_editor, SW_NETWORK_ITEM_PROJECTION, name);
}

static void
remove_population_response_cb (AdwMessageDialog *dialog, const char *response, SwWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = g_object_get_data (G_OBJECT (dialog), "sw-population");

  if (g_str_equal (response, "remove") && !sw_window_remove_population (self, name, &error))
    toast (self, error->message);
}

/* Removing a population takes the projections and stimuli that refer to
 * it along: the user confirms that, with their names before their eyes. */
static void
confirm_remove_population (SwWindow *self, const char *name)
{
  g_auto(GStrv) deps = sw_document_list_dependents (self->doc, name);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *list = NULL;
  guint n = g_strv_length (deps);
  AdwMessageDialog *dialog;

  if (n == 0)
    {
      g_autoptr(GError) error = NULL;
      if (!sw_window_remove_population (self, name, &error))
        toast (self, error->message);
      return;
    }
  /* Translators: a list of names in a sentence: "EE, EI, drive". */
  list = g_strjoinv (_(", "), deps);
  /* Translators: the heading of the confirmation; %s is a population. */
  heading = g_strdup_printf (_("Remove Population %s?"), name);
  body = g_strdup_printf (ngettext ("This projection or stimulus refers to it and is removed "
                                    "with it: %s. Undo brings everything back.",
                                    "These projections and stimuli refer to it and are removed "
                                    "with it: %s. Undo brings everything back.", n),
                          list);
  dialog = message_dialog (self, heading, body);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sw-population", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_population_response_cb), self,
                           0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
editor_remove_cb (SwWindow *self, int kind, const char *name)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  switch (kind)
    {
    case SW_NETWORK_ITEM_POPULATION:
      confirm_remove_population (self, name);
      return;
    case SW_NETWORK_ITEM_PROJECTION:
      ok = sw_window_remove_projection (self, name, &error);
      break;
    case SW_NETWORK_ITEM_STIMULUS:
      ok = sw_window_remove_stimulus (self, name, &error);
      break;
    case SW_NETWORK_ITEM_NONE:
    default:
      return;
    }
  if (!ok)
    toast (self, error->message);
}

static void
property_set_waveform_cb (SwWindow *self, const char *item, guint index, int kind)
{
  g_autoptr(GError) error = NULL;

  if (!sw_window_set_waveform (self, item, index, (SwWaveKind) kind, &error))
    sw_property_panel_set_result (self->property_panel, error);
}

static void
property_remove_waveform_cb (SwWindow *self, const char *item, guint index)
{
  g_autoptr(GError) error = NULL;

  if (!sw_window_remove_waveform (self, item, index, &error))
    sw_property_panel_set_result (self->property_panel, error);
}

static void
add_population_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->views_stack, "network");
  gtk_window_present (GTK_WINDOW (sw_add_population_dialog_new (self)));
}

static void
add_source_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  const char *target = parameter != NULL ? g_variant_get_string (parameter, NULL) : "";

  adw_view_stack_set_visible_child_name (self->views_stack, "network");
  gtk_window_present (GTK_WINDOW (sw_add_source_dialog_new (self, *target != '\0' ? target
                                                                                 : NULL)));
}

static void
connect_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->views_stack, "network");
  if (sw_network_editor_get_selection (self->network_editor, NULL) != SW_NETWORK_ITEM_POPULATION)
    {
      toast (self, _("Select the population the projection starts from first"));
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->network_editor), "editor.connect", NULL);
}

static void
editor_activate_cb (SwWindow *self)
{
  sw_property_panel_focus_first (self->property_panel);
}

static void
property_assign_cb (SwWindow *self, const char *name, const char *value)
{
  g_autoptr(GError) error = NULL;

  sw_window_set_value (self, name, value, &error);
  sw_property_panel_set_result (self->property_panel, error);
}

static void
show_view_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->views_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->views_stack, name);
}

/* ------------------------------------------------------------------------ */
/* Opening and saving                                                        */

static SwDocument *
load_preset (const char *name, const char *const *assignments, GError **error)
{
  g_autoptr(SwDocument) doc = sw_document_load_preset (name, error);

  if (doc == NULL)
    return NULL;
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    if (!sw_document_set (doc, assignments[i], NULL, error))
      return NULL;
  return g_steal_pointer (&doc);
}

gboolean
sw_window_open_preset (SwWindow *self, const char *name, const char *const *assignments,
                       GError **error)
{
  g_autofree char *origin = NULL;
  g_autofree char *note = NULL;
  SwDocument *doc;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  doc = load_preset (name, assignments, error);
  if (doc == NULL)
    return FALSE;
  origin = g_strconcat ("preset:", name, NULL);
  if (assignments != NULL && assignments[0] != NULL)
    note = g_strjoinv (", ", (char **) assignments);
  install_document (self, doc, NULL, origin, note, FALSE);
  return TRUE;
}

gboolean
sw_window_open_path (SwWindow *self, const char *path, GError **error)
{
  SwDocument *doc;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  doc = sw_document_load_file (path, error);
  if (doc == NULL)
    return FALSE;
  install_document (self, doc, path, path, NULL, FALSE);
  return TRUE;
}

gboolean
sw_window_restore_draft (SwWindow *self, const SwDraft *draft, GError **error)
{
  g_autofree char *text = NULL;
  gsize length;
  gboolean from_file;
  SwDocument *doc;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  if (!g_file_get_contents (draft->path, &text, &length, error))
    return FALSE;
  doc = sw_document_load_data (text, (gssize) length, draft->origin, error);
  if (doc == NULL)
    return FALSE;
  from_file = !g_str_has_prefix (draft->origin, "preset:") && draft->origin[0] != '\0';
  install_document (self, doc, from_file ? draft->origin : NULL, draft->origin, NULL, TRUE);
  /* The draft goes on as this window's: it is replaced at the next
   * autosave and deleted when the changes are saved or discarded. */
  self->draft_id = g_strdup (draft->id);
  toast (self, _("Unsaved changes from the last session were restored"));
  return TRUE;
}

/* The window for a document the user opens: this one when nothing in it
 * would be lost, else a new one. */
static SwWindow *
window_for_new_document (SwWindow *self)
{
  SwWindow *window;

  if (!self->modified)
    return self;
  window = sw_window_new (SW_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
sw_window_open_file (SwWindow *self, GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  SwDocument *doc;

  g_return_if_fail (SW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message =
        /* Translators: %s is a URI */
        g_strdup_printf (_("%s: only files on this computer can be opened"), uri);
      show_error (self, _("Could Not Open the Model"), message);
      return;
    }

  /* Cells and neural masses open in windows of their own. */
  {
    gboolean handled = FALSE;

    if (!sw_kind_windows_open (gtk_window_get_application (GTK_WINDOW (self)), path, &handled,
                               &error) && handled)
      {
        show_error (self, _("Could Not Open the Model"), error->message);
        return;
      }
    if (handled)
      return;
  }

  /* Load first, so that a bad file leaves everything as it was. */
  doc = sw_document_load_file (path, &error);
  if (doc == NULL)
    {
      show_error (self, _("Could Not Open the Model"), error->message);
      return;
    }
  install_document (window_for_new_document (self), doc, path, path, NULL, FALSE);
}

gboolean
sw_window_save_to (SwWindow *self, const char *path, GError **error)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sw_document_save (self->doc, path, error))
    return FALSE;
  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->origin);
  self->origin = g_strdup (path);
  g_clear_pointer (&self->origin_note, g_free);
  g_free (self->saved_json);
  self->saved_json = sw_document_to_json (self->doc);
  sw_history_seal (self->history);
  discard_draft (self);
  add_recent (self, path);
  self->modified = TRUE;          /* so that set_modified() notifies */
  set_modified (self, FALSE);
  return TRUE;
}

void
sw_window_save_draft (SwWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  g_return_if_fail (SW_IS_WINDOW (self));

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (!self->modified || self->doc == NULL)
    return;
  if (self->draft_id == NULL)
    self->draft_id = sw_draft_new_id ();
  json = sw_document_to_json (self->doc);
  if (!sw_draft_write (self->draft_id, self->origin, json, &error))
    g_warning ("Could not write the draft: %s", error->message);
}

/* ------------------------------------------------------------------------ */
/* File choosers                                                             */

static void
add_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) models = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (models, _("Spikeworks Models"));
  gtk_file_filter_add_pattern (models, "*.swk");
  gtk_file_filter_add_mime_type (models, "application/x-spikeworks");
  gtk_file_chooser_add_filter (chooser, models);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_set_filter (chooser, models);
}

static void
set_start_folder (SwWindow *self, GtkFileChooser *chooser)
{
  g_autofree char *folder = NULL;

  if (self->path != NULL)
    folder = g_path_get_dirname (self->path);
  else
    folder = g_settings_get_string (self->settings, "last-folder");
  if (folder != NULL && *folder != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (folder);
      gtk_file_chooser_set_current_folder (chooser, file, NULL);
    }
}

static void
open_response_cb (GtkNativeDialog *chooser, int response, SwWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sw_window_open_file (self, file);
    }
  g_object_unref (chooser);
}

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open a Model"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filters (GTK_FILE_CHOOSER (chooser));
  set_start_folder (self, GTK_FILE_CHOOSER (chooser));
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  sw_window_open_file (SW_WINDOW (widget), file);
}

static void
save_response_cb (GtkNativeDialog *chooser, int response, SwWindow *self)
{
  gboolean close_after = self->close_after_save;

  self->close_after_save = FALSE;
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !g_str_has_suffix (path, ".swk") && !g_file_query_exists (file, NULL))
        {
          char *with_suffix = g_strconcat (path, ".swk", NULL);
          g_free (path);
          path = with_suffix;
        }
      if (path == NULL)
        show_error (self, _("Could Not Save the Model"), _("Only files on this computer can be written"));
      else if (!sw_window_save_to (self, path, &error))
        show_error (self, _("Could Not Save the Model"), error->message);
      else
        {
          toast (self, _("Saved"));
          if (close_after)
            close_after_decision (self);
        }
    }
  g_object_unref (chooser);
}

static void
save_as (SwWindow *self, gboolean close_after)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Save the Model"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  g_autofree char *name = NULL;

  self->close_after_save = close_after;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filters (GTK_FILE_CHOOSER (chooser));
  set_start_folder (self, GTK_FILE_CHOOSER (chooser));
  if (self->path != NULL)
    name = g_path_get_basename (self->path);
  else if (self->origin != NULL && g_str_has_prefix (self->origin, "preset:"))
    name = g_strconcat (self->origin + strlen ("preset:"), ".swk", NULL);
  else
    name = g_strdup (_("Untitled.swk"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save (SwWindow *self, gboolean close_after)
{
  g_autoptr(GError) error = NULL;

  if (self->path == NULL)
    {
      save_as (self, close_after);
      return;
    }
  if (!sw_window_save_to (self, self->path, &error))
    {
      show_error (self, _("Could Not Save the Model"), error->message);
      return;
    }
  if (close_after)
    close_after_decision (self);
}

/* Export as a PyNN script: the script is written when the file is chosen;
 * what PyNN cannot express is reported before the file chooser opens. */

static void
export_pynn_response_cb (GtkNativeDialog *chooser, int response, SwWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->doc != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      if (path == NULL)
        show_error (self, _("Could Not Export the Model"), _("Only files on this computer can be written"));
      else if ((text = sw_pynn_export (self->doc, &error)) == NULL
               || !g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
        show_error (self, _("Could Not Export the Model"), error->message);
      else
        toast (self, _("PyNN script written"));
    }
  g_object_unref (chooser);
}

static void
export_pynn_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) scripts = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->doc == NULL)
    return;
  text = sw_pynn_export (self->doc, &error);
  if (text == NULL)
    {
      show_error (self, _("Could Not Export the Model"), error->message);
      return;
    }
  chooser = gtk_file_chooser_native_new (_("Export a PyNN Script"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (scripts, _("Python Scripts"));
  gtk_file_filter_add_pattern (scripts, "*.py");
  gtk_file_filter_add_mime_type (scripts, "text/x-python3");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), scripts);
  set_start_folder (self, GTK_FILE_CHOOSER (chooser));
  if (self->path != NULL)
    {
      g_autofree char *base = g_path_get_basename (self->path);
      if (g_str_has_suffix (base, ".swk"))
        base[strlen (base) - strlen (".swk")] = '\0';
      name = g_strconcat (base, ".py", NULL);
    }
  else if (self->origin != NULL && g_str_has_prefix (self->origin, "preset:"))
    name = g_strconcat (self->origin + strlen ("preset:"), ".py", NULL);
  else
    name = g_strdup ("model.py");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_pynn_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------ */
/* Spike files: NWB import, SONATA export                                    */

gboolean
sw_window_import_nwb (SwWindow *self, const char *path, GError **error)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sw_recorded_view_load (self->recorded_view, path, error))
    return FALSE;
  adw_view_stack_set_visible_child_name (self->views_stack, "recorded");
  return TRUE;
}

static void
import_nwb_response_cb (GtkNativeDialog *chooser, int response, SwWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        show_error (self, _("Could Not Import the Recording"), _("Only files on this computer can be read"));
      else if (!sw_window_import_nwb (self, path, &error))
        show_error (self, _("Could Not Import the Recording"), error->message);
    }
  g_object_unref (chooser);
}

static void
import_nwb_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  g_autoptr(GtkFileFilter) nwb = gtk_file_filter_new ();
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Import Recorded Spikes"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (nwb, _("NWB Files"));
  gtk_file_filter_add_pattern (nwb, "*.nwb");
  gtk_file_filter_add_pattern (nwb, "*.h5");
  gtk_file_filter_add_pattern (nwb, "*.hdf5");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), nwb);
  set_start_folder (self, GTK_FILE_CHOOSER (chooser));
  g_signal_connect_object (chooser, "response", G_CALLBACK (import_nwb_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The spikes the raster keeps, as SONATA populations (one per population
 * of neurons, sorted by time); *@n_spikes and the span kept (ms). */
static SwSonataPopulation *
kept_spikes (SwWindow *self, int *n_pops, gsize *n_spikes, double *t0_ms, double *t1_ms, GError **error)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  g_autoptr(GArray) kept = NULL;
  SwSonataPopulation *pops;
  double dt;
  int np;

  if (spec == NULL || self->raster_view == NULL)
    {
      g_set_error_literal (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY,
                           _("There are no spikes to export yet: run the network first"));
      return NULL;
    }
  dt = sw_live_hub_get_dt_ms (self->hub);
  np = MIN (spec->n_pops, sw_live_hub_get_n_pops (self->hub));
  kept = sw_raster_view_copy_kept (SW_RASTER_VIEW (self->raster_view), t0_ms, t1_ms);
  pops = g_new0 (SwSonataPopulation, MAX (np, 1));
  *n_pops = 0;
  *n_spikes = 0;
  for (int p = 0; p < np; p++)
    {
      SwSonataPopulation *out;
      gsize n = 0;

      if (spec->pops[p].kind != SW_POP_NEURONS)
        continue;
      out = &pops[(*n_pops)++];
      out->name = g_strdup (spec->pops[p].name);
      out->sorting = SW_SONATA_SORT_BY_TIME;
      for (guint k = 0; k < kept->len; k++)
        n += g_array_index (kept, SwSpike, k).pop == p;
      out->node_ids = g_new (guint64, MAX (n, 1));
      out->timestamps_ms = g_new (double, MAX (n, 1));
      /* The raster keeps the spikes in the order of their steps. */
      for (guint k = 0; k < kept->len; k++)
        {
          const SwSpike *sp = &g_array_index (kept, SwSpike, k);
          if (sp->pop != p)
            continue;
          out->node_ids[out->n] = (guint64) sp->neuron;
          out->timestamps_ms[out->n] = sp->step * dt;
          out->n++;
        }
      *n_spikes += n;
    }
  if (*n_spikes == 0)
    {
      sw_sonata_free (pops, *n_pops);
      g_set_error_literal (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY,
                           _("There are no spikes to export yet: run the network first"));
      return NULL;
    }
  return pops;
}

gboolean
sw_window_export_sonata (SwWindow *self, const char *path, GError **error)
{
  SwSonataPopulation *pops;
  int n_pops = 0;
  gsize n_spikes;
  double t0, t1;
  gboolean ok;

  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  pops = kept_spikes (self, &n_pops, &n_spikes, &t0, &t1, error);
  if (pops == NULL)
    return FALSE;
  ok = sw_sonata_write (path, pops, n_pops, error);
  sw_sonata_free (pops, n_pops);
  return ok;
}

static void
export_sonata_response_cb (GtkNativeDialog *chooser, int response, SwWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        show_error (self, _("Could Not Export the Spikes"), _("Only files on this computer can be written"));
      else if (!sw_window_export_sonata (self, path, &error))
        show_error (self, _("Could Not Export the Spikes"), error->message);
      else
        toast (self, _("SONATA spike file written"));
    }
  g_object_unref (chooser);
}

static void
export_sonata_chosen_cb (AdwMessageDialog *dialog, const char *response, SwWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) h5 = gtk_file_filter_new ();

  if (!g_str_equal (response, "export"))
    return;
  chooser = gtk_file_chooser_native_new (_("Export Spikes (SONATA)"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (h5, _("SONATA Spike Files"));
  gtk_file_filter_add_pattern (h5, "*.h5");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), h5);
  set_start_folder (self, GTK_FILE_CHOOSER (chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "spikes.h5");
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_sonata_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Says first what will be written: the raster keeps the last 10 s of
 * simulated time, not the whole run. */
static void
export_sonata_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  SwSonataPopulation *pops;
  int n_pops = 0;
  gsize n_spikes;
  double t0, t1;

  pops = kept_spikes (self, &n_pops, &n_spikes, &t0, &t1, &error);
  if (pops == NULL)
    {
      show_error (self, _("Could Not Export the Spikes"), error->message);
      return;
    }
  sw_sonata_free (pops, n_pops);
  /* Translators: before the SONATA export: the workbench keeps only the
   * last seconds of a run; %zu spikes between %.3f s and %.3f s. */
  body = g_strdup_printf (_("The workbench keeps the spikes of the last 10 s of simulated time, not the "
                            "whole run: %zu spikes from %.3f s to %.3f s will be written."),
                          n_spikes, t0 * 1e-3, t1 * 1e-3);
  dialog = message_dialog (self, _("Export Spikes (SONATA)"), body);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "export", _("_Choose File…"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "export", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "export");
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_sonata_chosen_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                   */

static void
gallery_entry_chosen_cb (SwWindow *self, guint index)
{
  g_autoptr(GError) error = NULL;
  const SwGalleryEntry *entry = &sw_preset_gallery_get_entries (NULL)[index];
  g_autofree char *note = NULL;
  g_autofree char *origin = g_strconcat ("preset:", entry->preset, NULL);
  gboolean handled = FALSE;
  SwDocument *doc;

  /* Models of other kinds (neural masses, cells) open in their own windows. */
  if (entry->assignments[0] == NULL
      && (!sw_kind_windows_open (gtk_window_get_application (GTK_WINDOW (self)), origin, &handled, &error)
          || handled))
    {
      if (error != NULL)
        show_error (self, _("Could Not Open the Model"), error->message);
      return;
    }
  doc = load_preset (entry->preset, entry->assignments, &error);
  if (doc == NULL)
    {
      show_error (self, _("Could Not Open the Model"), error->message);
      return;
    }
  if (entry->assignments[0] != NULL)
    note = g_strjoinv (", ", (char **) entry->assignments);
  install_document (window_for_new_document (self), doc, NULL, origin, note, FALSE);
}

static void
new_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  GtkWidget *gallery = sw_preset_gallery_new (GTK_WINDOW (self));

  g_signal_connect_object (gallery, "entry-chosen", G_CALLBACK (gallery_entry_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (gallery));
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  save (SW_WINDOW (widget), FALSE);
}

static void
save_as_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  save_as (SW_WINDOW (widget), FALSE);
}

static void
undo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  char *json = sw_history_undo (self->history, sw_document_to_json (self->doc));

  if (json != NULL)
    restore_json (self, json);
}

static void
redo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);
  char *json = sw_history_redo (self->history, sw_document_to_json (self->doc));

  if (json != NULL)
    restore_json (self, json);
}

static void
run_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sw_runner_run (SW_WINDOW (widget)->runner);
}

static void
pause_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sw_runner_pause (SW_WINDOW (widget)->runner);
}

static void
run_pause_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwWindow *self = SW_WINDOW (widget);

  if (runner_state (self) == SW_RUNNER_RUNNING)
    pause_action (widget, action_name, parameter);
  else
    run_action (widget, action_name, parameter);
}

static void
step_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sw_runner_step (SW_WINDOW (widget)->runner);
}

static void
stop_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sw_runner_stop (SW_WINDOW (widget)->runner);
}

static void
reset_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sw_runner_reset (SW_WINDOW (widget)->runner);
}

static void
history_changed_cb (SwWindow *self)
{
  const char *undo = sw_history_get_undo_label (self->history);
  const char *redo = sw_history_get_redo_label (self->history);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", undo != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", redo != NULL);
}

static void
speed_selected_cb (SwWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->speed_dropdown);

  if (i >= G_N_ELEMENTS (speeds))
    return;
  g_settings_set_double (self->settings, "speed", speeds[i]);
  if (self->runner != NULL)
    sw_runner_set_speed (self->runner, speeds[i]);
}

static void
threads_changed_cb (SwWindow *self)
{
  if (self->runner != NULL)
    sw_runner_set_threads (self->runner, g_settings_get_int (self->settings, "threads"));
}

/* Escape leaves presentation mode or full screen; otherwise it goes on to
 * whatever else wants it. */
static gboolean
escape_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  SwWindow *self = SW_WINDOW (widget);

  if (self->presentation)
    {
      sw_window_set_presentation (self, FALSE);
      return TRUE;
    }
  if (gtk_window_is_fullscreen (GTK_WINDOW (self)))
    {
      gtk_window_unfullscreen (GTK_WINDOW (self));
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Closing                                                                   */

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* Closes the window once the user decided about its changes, from an idle:
 * the decision comes from a dialog of this window, which must finish its
 * "response" before its parent goes. */
static void
close_after_decision (SwWindow *self)
{
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

static void
close_response_cb (SwWindow *self, const char *response)
{
  if (g_str_equal (response, "save"))
    save (self, TRUE);
  else if (g_str_equal (response, "discard"))
    close_after_decision (self);
}

static void
ask_before_closing (SwWindow *self)
{
  const char *name = sw_document_get_name (self->doc);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is the model's name. */
  body = g_strdup_printf (_("“%s” has changes that are not saved. Changes you do not save are "
                            "lost."),
                          name != NULL ? name : sw_document_get_display_name (self->doc));
  dialog = message_dialog (self, _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
sw_window_close_request (GtkWindow *window)
{
  SwWindow *self = SW_WINDOW (window);
  int width, height;

  if (self->modified && !self->close_confirmed)
    {
      ask_before_closing (self);
      return TRUE;
    }

  /* The size of the last window closed is the size of the next one. */
  gtk_window_get_default_size (window, &width, &height);
  if (!gtk_window_is_maximized (window) && !gtk_window_is_fullscreen (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  /* Closing is the user's decision about the changes: the draft goes. */
  discard_draft (self);
  teardown_live (self);

  return GTK_WINDOW_CLASS (sw_window_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

static void
sw_window_constructed (GObject *object)
{
  SwWindow *self = SW_WINDOW (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  double speed;
  guint best = 0;

  G_OBJECT_CLASS (sw_window_parent_class)->constructed (object);

  self->settings = app != NULL ? g_object_ref (sw_application_get_settings (SW_APPLICATION (app)))
                               : g_settings_new ("io.github.spikeworks.Spikeworks");

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  speed = g_settings_get_double (self->settings, "speed");
  for (guint i = 1; i < G_N_ELEMENTS (speeds); i++)
    if (fabs (speeds[i] - speed) < fabs (speeds[best] - speed))
      best = i;
  gtk_drop_down_set_selected (self->speed_dropdown, best);
  g_signal_connect_object (self->speed_dropdown, "notify::selected",
                           G_CALLBACK (speed_selected_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->settings, "changed::recent-files",
                           G_CALLBACK (update_recent_menu), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::threads",
                           G_CALLBACK (threads_changed_cb), self, G_CONNECT_SWAPPED);
  update_recent_menu (self);
}

static void
sw_window_dispose (GObject *object)
{
  SwWindow *self = SW_WINDOW (object);

  teardown_live (self);
  g_clear_handle_id (&self->draft_source, g_source_remove);
  /* The panel shows the document: it lets go first. */
  if (self->variables_panel != NULL)
    sw_variables_panel_set_document (self->variables_panel, NULL);
  if (self->network_editor != NULL)
    sw_network_editor_set_document (self->network_editor, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_WINDOW);
  g_clear_pointer (&self->doc, sw_document_free);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sw_window_parent_class)->dispose (object);
}

static void
sw_window_finalize (GObject *object)
{
  SwWindow *self = SW_WINDOW (object);

  g_free (self->path);
  g_free (self->origin);
  g_free (self->origin_note);
  g_free (self->saved_json);
  g_free (self->draft_id);

  G_OBJECT_CLASS (sw_window_parent_class)->finalize (object);
}

static void
sw_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwWindow *self = SW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SwWindow *self = SW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      sw_window_set_presentation (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_window_class_init (SwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sw_window_constructed;
  object_class->dispose = sw_window_dispose;
  object_class->finalize = sw_window_finalize;
  object_class->get_property = sw_window_get_property;
  object_class->set_property = sw_window_set_property;
  window_class->close_request = sw_window_close_request;

  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After every change of the document, and when another document is
   * shown: views that follow the document (phase diagram, responsiveness)
   * read it again. */
  signals[DOCUMENT_CHANGED] =
    g_signal_new ("document-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SW_TYPE_VARIABLES_PANEL);
  g_type_ensure (SW_TYPE_NETWORK_EDITOR);
  g_type_ensure (SW_TYPE_PROPERTY_PANEL);
  g_type_ensure (SW_TYPE_PHASE_VIEW);
  g_type_ensure (SW_TYPE_RESPONSE_VIEW);
  g_type_ensure (SW_TYPE_SWEEP_VIEW);
  g_type_ensure (SW_TYPE_RECORDED_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/sw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, rtf_label);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, variables_panel);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, raster_box);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, rates_box);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, traces_box);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, phase_view);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, response_view);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, sweep_view);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, recorded_view);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, views_stack);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, network_editor);
  gtk_widget_class_bind_template_child (widget_class, SwWindow, property_panel);

  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.export-pynn", NULL, export_pynn_action);
  gtk_widget_class_install_action (widget_class, "win.import-nwb", NULL, import_nwb_action);
  gtk_widget_class_install_action (widget_class, "win.export-sonata", NULL, export_sonata_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "win.run-pause", NULL, run_pause_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.add-population", NULL,
                                   add_population_action);
  gtk_widget_class_install_action (widget_class, "win.add-source", "s", add_source_action);
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");

  /* Space runs and pauses when nothing that has focus takes the key
   * (entries and buttons do): a binding acts after the focus widget. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.run-pause", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
}

static void
sw_window_init (SwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_str_equal (PROFILE, "Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->history = sw_history_new ();
  g_signal_connect_object (self->history, "notify::can-undo", G_CALLBACK (history_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::can-redo", G_CALLBACK (history_changed_cb),
                           self, G_CONNECT_SWAPPED);
  history_changed_cb (self);

  g_signal_connect_object (self->variables_panel, "variable-changed",
                           G_CALLBACK (panel_variable_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->variables_panel, "assign", G_CALLBACK (panel_assign_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_editor, "selection-changed",
                           G_CALLBACK (update_property_panel), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_editor, "activate-selection",
                           G_CALLBACK (editor_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_editor, "node-moved",
                           G_CALLBACK (editor_node_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_editor, "connect", G_CALLBACK (editor_connect_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_editor, "remove", G_CALLBACK (editor_remove_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->property_panel, "assign", G_CALLBACK (property_assign_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->property_panel, "remove", G_CALLBACK (editor_remove_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->property_panel, "set-waveform",
                           G_CALLBACK (property_set_waveform_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->property_panel, "remove-waveform",
                           G_CALLBACK (property_remove_waveform_cb), self, G_CONNECT_SWAPPED);
  sw_phase_view_set_window (self->phase_view, self);
  sw_response_view_set_window (self->response_view, self);
  g_object_bind_property (self, "presentation", self->phase_view, "presentation", 0);
  g_object_bind_property (self, "presentation", self->response_view, "presentation", 0);
  sw_sweep_view_set_window (self->sweep_view, self);
  g_object_bind_property (self, "presentation", self->sweep_view, "presentation", 0);
  g_object_bind_property (self, "presentation", self->recorded_view, "presentation", 0);
  /* GTK 4.8 shows no tooltips on menu items: the Recorded tab says why. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-nwb", sw_hdf5_available ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-sonata", sw_hdf5_available ());
  update_run_actions (self);
}

SwWindow *
sw_window_new (SwApplication *app)
{
  return g_object_new (SW_TYPE_WINDOW, "application", app, NULL);
}

SwDocument *
sw_window_get_document (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return self->doc;
}

const char *
sw_window_get_path (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return self->path;
}

gboolean
sw_window_get_modified (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  return self->modified;
}

SwRunner *
sw_window_get_runner (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return self->runner;
}

SwLiveHub *
sw_window_get_hub (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return self->hub;
}

GtkWidget *
sw_window_get_phase_view (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->phase_view);
}

GtkWidget *
sw_window_get_response_view (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->response_view);
}

GtkWidget *
sw_window_get_sweep_view (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->sweep_view);
}

GtkWidget *
sw_window_get_recorded_view (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->recorded_view);
}

SwNetworkEditor *
sw_window_get_network_editor (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return self->network_editor;
}

SwPropertyPanel *
sw_window_get_property_panel (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return self->property_panel;
}

SwVariablesPanel *
sw_window_get_variables_panel (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), NULL);
  return self->variables_panel;
}

gboolean
sw_window_get_presentation (SwWindow *self)
{
  g_return_val_if_fail (SW_IS_WINDOW (self), FALSE);
  return self->presentation;
}

void
sw_window_set_presentation (SwWindow *self, gboolean presentation)
{
  g_return_if_fail (SW_IS_WINDOW (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  if (presentation)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}
