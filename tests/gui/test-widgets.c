/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pieces of the window on their own (suite "gui"): the undo history
 * (merging, undo, redo, clearing), the drafts on disk, a variable's row
 * (range, round steps, signals, errors, accessible names), the variables
 * panel (rows kept across undo, typed assignments), the preferences bound
 * to the settings, and that each is finalized.
 */
#include "config.h"

#include <math.h>

#include "sw-drafts.h"
#include "sw-history.h"
#include "sw-preferences-window.h"
#include "sw-variable-row.h"
#include "sw-variables-panel.h"

#include "test-gui-util.h"

static void
test_history (void)
{
  g_autoptr(SwHistory) history = sw_history_new ();
  gpointer weak = history;
  char *json;

  g_object_add_weak_pointer (G_OBJECT (history), &weak);
  g_assert_false (sw_history_get_can_undo (history));
  g_assert_null (sw_history_undo (history, g_strdup ("now")));

  /* Three quick edits of b merge; an edit of another key does not. */
  g_assert_false (sw_history_would_merge (history, "b"));
  sw_history_push (history, "b", "b", g_strdup ("b=30"));
  g_assert_true (sw_history_would_merge (history, "b"));
  sw_history_push (history, "b", "b", NULL);
  sw_history_push (history, "b", "b", g_strdup ("ignored"));
  g_assert_false (sw_history_would_merge (history, "nu_ext"));
  sw_history_push (history, "nu_ext", "ν", g_strdup ("b=60,nu=2.5"));
  g_assert_cmpstr (sw_history_get_undo_label (history), ==, "ν");

  json = sw_history_undo (history, g_strdup ("b=60,nu=5"));
  g_assert_cmpstr (json, ==, "b=60,nu=2.5");
  g_free (json);
  g_assert_true (sw_history_get_can_redo (history));
  json = sw_history_undo (history, g_strdup ("b=60,nu=2.5"));
  g_assert_cmpstr (json, ==, "b=30");
  g_free (json);
  g_assert_false (sw_history_get_can_undo (history));

  json = sw_history_redo (history, g_strdup ("b=30"));
  g_assert_cmpstr (json, ==, "b=60,nu=2.5");
  g_free (json);

  /* After an undo the next edit of the same key is a step of its own, and
   * a new edit drops what could be redone. */
  g_assert_false (sw_history_would_merge (history, "b"));
  sw_history_push (history, "b", "b", g_strdup ("b=60,nu=2.5"));
  g_assert_false (sw_history_get_can_redo (history));

  sw_history_clear (history);
  g_assert_false (sw_history_get_can_undo (history));
  g_clear_object (&history);
  g_assert_null (weak);
}

static void
test_drafts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = sw_draft_new_id ();
  g_autofree char *b = sw_draft_new_id ();
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpstr (a, !=, b);
  g_assert_true (sw_draft_write (a, "/home/x/model.swk", "{\"a\": 1}", &error));
  g_assert_no_error (error);
  g_assert_true (sw_draft_write (b, "preset:coba", "{\"b\": 2}", &error));
  /* Rewriting replaces. */
  g_assert_true (sw_draft_write (a, "/home/x/model.swk", "{\"a\": 3}", &error));

  list = sw_drafts_list ();
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      SwDraft *d = list->pdata[i];
      g_assert_true (g_file_get_contents (d->path, &text, NULL, NULL));
      if (g_str_equal (d->id, a))
        {
          g_assert_cmpstr (d->origin, ==, "/home/x/model.swk");
          g_assert_cmpstr (text, ==, "{\"a\": 3}");
        }
      else
        g_assert_cmpstr (d->origin, ==, "preset:coba");
      g_clear_pointer (&text, g_free);
    }

  sw_draft_discard (a);
  sw_draft_discard (b);
  sw_draft_discard ("never-written");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sw_drafts_list ();
  g_assert_cmpuint (list->len, ==, 0);
}

static void
count_double_cb (GtkWidget *row, double value, gpointer data)
{
  double *last = data;
  last[0] = value;
  last[1] += 1.0;
}

static void
text_cb (GtkWidget *row, const char *text, gpointer data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup (text);
}

/* A row: the slider spans the range with round steps, moves emit
 * "value-changed", Enter emits "text-entered", update() emits nothing. */
static void
test_variable_row (void)
{
  SwVariableInfo info = {
    .name = "b", .value = 30.0, .unit = "pA", .min = 0.0, .max = 150.0,
    .label = "Adaptation b", .description = "Jump of w at each spike",
  };
  GtkWidget *row = g_object_ref_sink (sw_variable_row_new (&info));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkRange *scale = GTK_RANGE (sw_variable_row_get_scale (SW_VARIABLE_ROW (row)));
  GtkAdjustment *adj = gtk_range_get_adjustment (scale);
  GtkWidget *entry = find_descendant (row, GTK_TYPE_ENTRY);
  double last[2] = { 0.0, 0.0 };
  g_autofree char *typed = NULL;
  gpointer weak = row;
  SwVariableInfo open = { .name = "x", .value = 4.0, .unit = "", .min = -INFINITY, .max = INFINITY };
  GtkWidget *open_row;

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (row), &weak);

  g_assert_cmpfloat (gtk_adjustment_get_lower (adj), ==, 0.0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, 150.0);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 30.0);
  /* 150 / 50 = 3 -> a step of 2, whole numbers. */
  g_assert_cmpfloat (gtk_adjustment_get_step_increment (adj), ==, 2.0);
  g_assert_cmpint (gtk_range_get_round_digits (scale), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "30");

  g_signal_connect (row, "value-changed", G_CALLBACK (count_double_cb), last);
  g_signal_connect (row, "text-entered", G_CALLBACK (text_cb), &typed);
  gtk_range_set_value (scale, 120.0);
  g_assert_cmpfloat (last[0], ==, 120.0);
  g_assert_cmpfloat (last[1], ==, 1.0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "120");

  info.value = 60.0;
  sw_variable_row_update (SW_VARIABLE_ROW (row), &info);
  g_assert_cmpfloat (last[1], ==, 1.0);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 60.0);

  /* A value beyond the range widens it. */
  info.value = 400.0;
  sw_variable_row_update (SW_VARIABLE_ROW (row), &info);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, 400.0);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 400.0);

  gtk_editable_set_text (GTK_EDITABLE (entry), " 75 pA ");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (typed, ==, "75 pA");

  sw_variable_row_set_error (SW_VARIABLE_ROW (row), "too big");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  sw_variable_row_set_error (SW_VARIABLE_ROW (row), NULL);
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  /* The entry is named with its label and unit for screen readers. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Adaptation b (pA)");

  /* Open ends: a range around the value, steps of a round size. */
  open_row = g_object_ref_sink (sw_variable_row_new (&open));
  adj = gtk_range_get_adjustment (GTK_RANGE (sw_variable_row_get_scale (SW_VARIABLE_ROW (open_row))));
  g_assert_cmpfloat (gtk_adjustment_get_lower (adj), ==, 0.0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, 12.0);
  g_assert_cmpfloat (gtk_adjustment_get_step_increment (adj), ==, 0.2);
  g_object_unref (open_row);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (row);
  assert_finalized (weak);
}

static gboolean
is_assign_entry (GtkWidget *w, gconstpointer data)
{
  return GTK_IS_ENTRY (w)
         && g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (w)), "E.tau_w = 300 ms") == 0;
}

static void
assign_cb (GtkWidget *panel, const char *name, const char *value, GPtrArray *seen)
{
  g_ptr_array_add (seen, g_strdup_printf ("%s=%s", name, value));
}

/* The panel: rows per variable, kept when the variables are the same,
 * typed assignments split at "=", errors shown under the entry. */
static void
test_panel (void)
{
  g_autoptr(SwDocument) doc = sw_document_load_preset ("brunel-a", NULL);
  g_autoptr(SwDocument) same = sw_document_load_preset ("brunel-a", NULL);
  g_autoptr(SwDocument) other = sw_document_load_preset ("coba", NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = sw_variables_panel_new ();
  gpointer weak = panel;
  GtkWidget *scale_g;
  GtkWidget *entry;

  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (panel), &weak);

  sw_variables_panel_set_document (SW_VARIABLES_PANEL (panel), doc);
  scale_g = sw_variables_panel_get_scale (SW_VARIABLES_PANEL (panel), "g");
  g_assert_nonnull (scale_g);
  g_assert_nonnull (sw_variables_panel_get_scale (SW_VARIABLES_PANEL (panel), "eta"));
  g_assert_null (sw_variables_panel_get_scale (SW_VARIABLES_PANEL (panel), "b"));
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale_g)), ==, 5.0);

  /* Same variables: same rows, new values. */
  g_assert_true (sw_document_set_variable (same, "g", 6.0, NULL));
  sw_variables_panel_set_document (SW_VARIABLES_PANEL (panel), same);
  g_assert_true (sw_variables_panel_get_scale (SW_VARIABLES_PANEL (panel), "g") == scale_g);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale_g)), ==, 6.0);

  /* Assignments typed as NAME = VALUE. */
  g_signal_connect (panel, "assign", G_CALLBACK (assign_cb), seen);
  entry = find_widget (panel, is_assign_entry, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "E.tau_m = 10 ms");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (seen->pdata[0], ==, "E.tau_m=10 ms");
  g_set_error (&error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNIT, "not a time");
  sw_variables_panel_set_result (SW_VARIABLES_PANEL (panel), error);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "E.tau_m = 10 ms");
  sw_variables_panel_set_result (SW_VARIABLES_PANEL (panel), NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  /* Without "=" nothing is emitted and the entry says how. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "E.tau_m");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));

  /* Other variables: new rows. */
  sw_variables_panel_set_document (SW_VARIABLES_PANEL (panel), other);
  g_assert_null (sw_variables_panel_get_scale (SW_VARIABLES_PANEL (panel), "g"));

  sw_variables_panel_set_document (SW_VARIABLES_PANEL (panel), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  assert_finalized (weak);
}

/* The preferences edit the settings in place. */
static void
test_preferences (void)
{
  GSettings *settings = sw_application_get_settings (test_app);
  GtkWidget *prefs = sw_preferences_window_new (NULL, settings);
  gpointer weak = prefs;
  GtkWidget *spin;
  GtkWidget *sw;

  g_object_add_weak_pointer (G_OBJECT (prefs), &weak);
  gtk_window_present (GTK_WINDOW (prefs));

  sw = find_descendant (prefs, GTK_TYPE_SWITCH);
  g_assert_nonnull (sw);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "auto-run"));
  g_settings_reset (settings, "auto-run");

  spin = find_descendant (prefs, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_settings_set_int (settings, "threads", 3);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 3.0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2.0);
  g_assert_cmpint (g_settings_get_int (settings, "threads"), ==, 2);
  g_settings_reset (settings, "threads");

  g_settings_set_string (settings, "color-scheme", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);
  g_settings_reset (settings, "color-scheme");
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (prefs));
  assert_finalized (weak);
}

static gboolean
runner_running (gpointer data)
{
  SwRunner *runner = sw_window_get_runner (data);
  return runner != NULL && sw_runner_get_state (runner) == SW_RUNNER_RUNNING;
}

/* Icon-only buttons of the window have accessible names; the run button's
 * name follows the state. */
static void
test_accessible_names (void)
{
  SwWindow *window = new_window_on ("cuba", FALSE);
  static const char *actions[] = { "win.step", "win.stop", "win.reset", "win.open" };
  GtkWidget *run;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GtkWidget *button = find_button (GTK_WIDGET (window), actions[i]);

      g_assert_nonnull (button);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL));
    }

  run = find_button (GTK_WIDGET (window), "win.run-pause");
  g_assert_nonnull (run);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (run), GTK_ACCESSIBLE_PROPERTY_LABEL, "Run");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (wait_for (runner_running, window, 10.0));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (run), GTK_ACCESSIBLE_PROPERTY_LABEL, "Pause");
  destroy_window (window);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/history", test_history);
  g_test_add_func ("/gui/drafts", test_drafts);
  g_test_add_func ("/gui/variable-row", test_variable_row);
  g_test_add_func ("/gui/variables-panel", test_panel);
  g_test_add_func ("/gui/preferences", test_preferences);
  g_test_add_func ("/gui/accessible-names", test_accessible_names);

  return gui_test_run ();
}
