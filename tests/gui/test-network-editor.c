/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The network editor (suite "gui", under Xvfb): it shows the preset's
 * populations and projections; an edit in the property panel changes the
 * document and the running network, and undo restores it; removing and
 * adding a projection rebuild the network and undo brings it back; moving
 * a node is kept in the document's "ui" object; the canvas is focusable
 * and accessible; the editor and the panel are finalized with the window.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "sw-network-editor.h"
#include "sw-property-panel.h"

#include "test-gui-util.h"

typedef struct
{
  SwWindow *window;
  const char *pop, *param;
  double value;
} SpecWait;

static double
spec_param (const SwNetSpec *spec, const char *pop, const char *name)
{
  int p = sw_net_spec_find_pop (spec, pop);
  const SwPopSpec *ps;

  g_assert_cmpint (p, >=, 0);
  ps = &spec->pops[p];
  return ps->params[sw_param_find (ps->type->params, ps->type->n_params, name)];
}

static double
doc_param (SwWindow *window, const char *pop, const char *name)
{
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec = sw_document_build_spec (sw_window_get_document (window), &error);
  double v;

  g_assert_no_error (error);
  v = spec_param (spec, pop, name);
  sw_net_spec_free (spec);
  return v;
}

static gboolean
runner_param_is (gpointer data)
{
  SpecWait *w = data;
  const SwNetSpec *spec = sw_runner_get_spec (sw_window_get_runner (w->window));

  return spec != NULL && spec_param (spec, w->pop, w->param) == w->value;
}

static gboolean
runner_has_n_projs (gpointer data)
{
  SpecWait *w = data;
  const SwNetSpec *spec = sw_runner_get_spec (sw_window_get_runner (w->window));

  return spec != NULL && spec->n_projs == (int) w->value;
}

static void
rebuilt_cb (SwRunner *runner, gboolean structural, const char *reason, int *count)
{
  if (structural)
    (*count)++;
}

static gboolean
int_positive (gpointer data)
{
  return *(int *) data > 0;
}

/* The editor shows the default preset: three populations (one a Poisson
 * source) and six projections, laid out inside the canvas. */
static void
test_shows_preset (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  static const char *const pops[] = { "E", "I", "ext" };
  static const char *const projs[] = { "EE", "EI", "IE", "II", "extE", "extI" };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s",
                                             "network"));
  spin (0.2);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));

  g_assert_cmpuint (sw_network_editor_get_n_items (editor, SW_NETWORK_ITEM_POPULATION), ==, 3);
  g_assert_cmpuint (sw_network_editor_get_n_items (editor, SW_NETWORK_ITEM_PROJECTION), ==, 6);
  g_assert_cmpuint (sw_network_editor_get_n_items (editor, SW_NETWORK_ITEM_STIMULUS), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (pops); i++)
    {
      double x, y;
      g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, pops[i]));
      g_assert_true (sw_network_editor_get_node_position (editor, pops[i], &x, &y));
      g_assert_cmpfloat (x, >=, 0.0);
      g_assert_cmpfloat (x, <=, 1.0);
      g_assert_cmpfloat (y, >=, 0.0);
      g_assert_cmpfloat (y, <=, 1.0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (projs); i++)
    g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_PROJECTION, projs[i]));

  /* Keyboard and assistive technologies reach it. */
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (editor)));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (editor)));
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (editor),
                                               GTK_ACCESSIBLE_ROLE_IMG));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (editor),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (editor),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));

  /* Nothing selected: the panel shows no rows. */
  g_assert_null (sw_property_panel_get_row (sw_window_get_property_panel (window), "E.tau_w"));
  destroy_window (window);
}

/* Selecting E and typing a value for tau_w into the property panel
 * changes the document and the running network; undo restores both. */
static void
test_edit_parameter (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  SwPropertyPanel *panel = sw_window_get_property_panel (window);
  SpecWait w = { window, "E", "tau_w", 300.0 };
  const char *name = NULL;
  const char *tooltip;
  GtkWidget *row;

  g_assert_true (sw_network_editor_select (editor, SW_NETWORK_ITEM_POPULATION, "E"));
  g_assert_cmpint (sw_network_editor_get_selection (editor, &name), ==,
                   SW_NETWORK_ITEM_POPULATION);
  g_assert_cmpstr (name, ==, "E");

  /* The row comes from the core's metadata: unit in the title, the
   * description and range in the tooltip, the value with its unit. */
  row = sw_property_panel_get_row (panel, "E.tau_w");
  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "tau_w (ms)");
  tooltip = gtk_widget_get_tooltip_text (row);
  g_assert_nonnull (strstr (tooltip, "Adaptation time constant"));
  g_assert_nonnull (strstr (tooltip, "ms"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "500 ms");
  g_assert_nonnull (sw_property_panel_get_row (panel, "E.n"));

  gtk_editable_set_text (GTK_EDITABLE (row), "300 ms");
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpfloat (doc_param (window, "E", "tau_w"), ==, 300.0);
  g_assert_true (sw_window_get_modified (window));
  g_assert_true (wait_for (runner_param_is, &w, 10.0));
  /* The same row shows the new value (it was updated in place). */
  g_assert_true (sw_property_panel_get_row (panel, "E.tau_w") == row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "300 ms");

  /* A refused value changes nothing. */
  gtk_editable_set_text (GTK_EDITABLE (row), "-3 mV");
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpfloat (doc_param (window, "E", "tau_w"), ==, 300.0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpfloat (doc_param (window, "E", "tau_w"), ==, 500.0);
  g_assert_false (sw_window_get_modified (window));
  w.value = 500.0;
  g_assert_true (wait_for (runner_param_is, &w, 10.0));
  /* The selection and the panel follow. */
  g_assert_cmpint (sw_network_editor_get_selection (editor, NULL), ==,
                   SW_NETWORK_ITEM_POPULATION);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sw_property_panel_get_row (panel,
                                                                                    "E.tau_w"))),
                   ==, "500 ms");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  g_assert_cmpfloat (doc_param (window, "E", "tau_w"), ==, 300.0);

  /* A projection's fields: EE.weight and EE.p. */
  g_assert_true (sw_network_editor_select (editor, SW_NETWORK_ITEM_PROJECTION, "EE"));
  row = sw_property_panel_get_row (panel, "EE.weight");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "1.5 nS");
  g_assert_nonnull (sw_property_panel_get_row (panel, "EE.p"));
  gtk_editable_set_text (GTK_EDITABLE (sw_property_panel_get_row (panel, "EE.p")), "0.1");
  g_signal_emit_by_name (sw_property_panel_get_row (panel, "EE.p"), "apply");
  {
    g_autoptr(GError) error = NULL;
    SwNetSpec *spec = sw_document_build_spec (sw_window_get_document (window), &error);
    for (int i = 0; i < spec->n_projs; i++)
      if (g_str_equal (spec->projs[i].name, "EE"))
        g_assert_cmpfloat (spec->projs[i].p, ==, 0.1);
    sw_net_spec_free (spec);
  }
  destroy_window (window);
}

/* Removing a projection rebuilds the running network (the window's toast
 * says so); undo brings it back.  Connecting two populations adds one. */
static void
test_remove_connect (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, TRUE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *original = sw_document_to_json (sw_window_get_document (window));
  g_autofree char *now = NULL;
  SpecWait w = { window, NULL, NULL, 6 };
  int rebuilds = 0;

  g_assert_true (wait_for (runner_has_n_projs, &w, 10.0));
  g_signal_connect (sw_window_get_runner (window), "rebuilt", G_CALLBACK (rebuilt_cb),
                    &rebuilds);

  /* Delete, as the canvas says it. */
  g_assert_true (sw_network_editor_select (editor, SW_NETWORK_ITEM_PROJECTION, "EE"));
  g_signal_emit_by_name (editor, "remove", (int) SW_NETWORK_ITEM_PROJECTION, "EE");
  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_PROJECTION, "EE"));
  g_assert_cmpuint (sw_network_editor_get_n_items (editor, SW_NETWORK_ITEM_PROJECTION), ==, 5);
  /* The selection went with it. */
  g_assert_cmpint (sw_network_editor_get_selection (editor, NULL), ==, SW_NETWORK_ITEM_NONE);
  w.value = 5;
  g_assert_true (wait_for (runner_has_n_projs, &w, 10.0));
  g_assert_true (wait_for (int_positive, &rebuilds, 10.0));

  /* Populations cannot be removed here: nothing changes. */
  g_signal_emit_by_name (editor, "remove", (int) SW_NETWORK_ITEM_POPULATION, "E");
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "E"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  now = sw_document_to_json (sw_window_get_document (window));
  g_assert_cmpstr (now, ==, original);
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_PROJECTION, "EE"));
  w.value = 6;
  g_assert_true (wait_for (runner_has_n_projs, &w, 10.0));

  /* A drag from I to E makes a projection "IE2" with the defaults. */
  g_signal_emit_by_name (editor, "connect", "I", "E");
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_PROJECTION, "IE2"));
  {
    const char *name = NULL;
    g_assert_cmpint (sw_network_editor_get_selection (editor, &name), ==,
                     SW_NETWORK_ITEM_PROJECTION);
    g_assert_cmpstr (name, ==, "IE2");
  }
  w.value = 7;
  g_assert_true (wait_for (runner_has_n_projs, &w, 10.0));
  /* Nothing ends on a source: refused, with the document as it was. */
  g_assert_null (sw_window_add_projection (window, "E", "ext", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (sw_network_editor_get_n_items (editor, SW_NETWORK_ITEM_PROJECTION), ==, 7);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_PROJECTION, "IE2"));
  g_signal_handlers_disconnect_by_func (sw_window_get_runner (window), rebuilt_cb, &rebuilds);
  destroy_window (window);
}

/* Moving a node is kept in the document's "ui" object and undone. */
static void
test_move_node (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  double x = 0, y = 0;

  g_assert_false (sw_document_get_node_position (sw_window_get_document (window), "I", &x, &y));
  g_signal_emit_by_name (editor, "node-moved", "I", 0.25, 0.5);
  g_assert_true (sw_document_get_node_position (sw_window_get_document (window), "I", &x, &y));
  g_assert_cmpfloat (x, ==, 0.25);
  g_assert_cmpfloat (y, ==, 0.5);
  g_assert_true (sw_network_editor_get_node_position (editor, "I", &x, &y));
  g_assert_cmpfloat (x, ==, 0.25);
  g_assert_true (sw_window_get_modified (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_false (sw_document_get_node_position (sw_window_get_document (window), "I", &x, &y));
  g_assert_false (sw_window_get_modified (window));
  destroy_window (window);
}

/* The editor and its panel go with the window. */
static void
test_finalized (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  gpointer editor = sw_window_get_network_editor (window);
  gpointer panel = sw_window_get_property_panel (window);

  sw_network_editor_select (editor, SW_NETWORK_ITEM_POPULATION, "E");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "network");
  spin (0.1);
  g_object_add_weak_pointer (G_OBJECT (editor), &editor);
  g_object_add_weak_pointer (G_OBJECT (panel), &panel);
  destroy_window (window);
  assert_finalized (editor);
  assert_finalized (panel);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/network-editor/shows-preset", test_shows_preset);
  g_test_add_func ("/gui/network-editor/edit-parameter", test_edit_parameter);
  g_test_add_func ("/gui/network-editor/remove-connect", test_remove_connect);
  g_test_add_func ("/gui/network-editor/move-node", test_move_node);
  g_test_add_func ("/gui/network-editor/finalized", test_finalized);

  return gui_test_run ();
}
