/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The network editor (suite "gui", under Xvfb): it shows the preset's
 * populations and projections; an edit in the property panel changes the
 * document and the running network, and undo restores it; removing and
 * adding a projection rebuild the network and undo brings it back; moving
 * a node is kept in the document's "ui" object; the canvas is focusable
 * and accessible; the editor and the panel are finalized with the window.
 * Populations, sources and stimuli are added through the editor's dialogs
 * and removed (with what refers to them, after a confirmation), undone and
 * redone; a projection is made with the keyboard alone; a rate profile is
 * edited in the panel, reaches the running network without a rebuild and
 * is undone.
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

  /* Removing a population asks first: nothing changes until then. */
  g_signal_emit_by_name (editor, "remove", (int) SW_NETWORK_ITEM_POPULATION, "E");
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "E"));
  respond_to_dialogs (GTK_WINDOW (window), "cancel");
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

/* Keys as the canvas gets them: the class's key bindings live in a
 * shortcut controller of the widget; the one for @keyval (with @mods)
 * is activated as a key press would.  Returns whether one handled it. */
static gboolean
press_key (GtkWidget *widget, guint keyval, GdkModifierType mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (c), k);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static gboolean
has_name (GtkWidget *w, gconstpointer name)
{
  return g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

/* The one message dialog of @window. */
static AdwMessageDialog *
the_dialog (SwWindow *window)
{
  GList *dialogs = find_dialogs (GTK_WINDOW (window));
  AdwMessageDialog *dialog;

  g_assert_cmpuint (g_list_length (dialogs), ==, 1);
  dialog = dialogs->data;
  g_list_free (dialogs);
  return dialog;
}

static GtkWidget *
dialog_row (AdwMessageDialog *dialog, const char *name)
{
  GtkWidget *w = find_widget (GTK_WIDGET (dialog), has_name, name);

  g_assert_nonnull (w);
  return w;
}

static void
respond (AdwMessageDialog *dialog, const char *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin (0.05);
}

static SwNetSpec *
doc_spec (SwWindow *window)
{
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec = sw_document_build_spec (sw_window_get_document (window), &error);

  g_assert_no_error (error);
  return spec;
}

static gboolean
runner_has_n_pops (gpointer data)
{
  SpecWait *w = data;
  const SwNetSpec *spec = sw_runner_get_spec (sw_window_get_runner (w->window));

  return spec != NULL && spec->n_pops == (int) w->value;
}

static int
proj_index (const SwNetSpec *spec, const char *name)
{
  for (int i = 0; i < spec->n_projs; i++)
    if (g_str_equal (spec->projs[i].name, name))
      return i;
  return -1;
}

/* "Add Population…" opens a dialog; its population appears in the
 * document, the editor (selected) and the running network; undo removes
 * it, redo brings it back. */
static void
test_add_population (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, TRUE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  const SwNeuronType *const *types = sw_neuron_type_list ();
  g_autofree char *original = sw_document_to_json (sw_window_get_document (window));
  AdwMessageDialog *dialog;
  GtkWidget *name_row, *add_button;
  SpecWait w = { window, NULL, NULL, 3 };
  const char *selected = NULL;
  guint lif_delta = G_MAXUINT;
  double ix, iy;
  SwNetSpec *spec;
  int p;

  g_assert_true (wait_for (runner_has_n_pops, &w, 10.0));
  g_assert_true (sw_network_editor_get_node_position (editor, "I", &ix, &iy));
  /* The toolbar's button is there and does it. */
  add_button = find_button (GTK_WIDGET (window), "win.add-population");
  g_assert_nonnull (add_button);
  g_signal_emit_by_name (add_button, "clicked");
  spin (0.05);
  dialog = the_dialog (window);

  /* A free name is proposed; a taken or malformed one disables "Add". */
  name_row = dialog_row (dialog, "name-row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "P");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "E");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "2x");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "L5");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));

  /* The models are the core's. */
  {
    guint n_types = 0;
    for (guint k = 0; types[k] != NULL; k++, n_types++)
      if (g_str_equal (types[k]->name, "lif_delta"))
        lif_delta = k;
    g_assert_cmpuint (lif_delta, !=, G_MAXUINT);
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (
                        ADW_COMBO_ROW (dialog_row (dialog, "model-row")))), ==, n_types);
  }
  adw_combo_row_set_selected (ADW_COMBO_ROW (dialog_row (dialog, "model-row")), lif_delta);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (dialog_row (dialog, "size-spin")), 250);
  gtk_switch_set_active (GTK_SWITCH (dialog_row (dialog, "inhibitory-switch")), TRUE);
  respond (dialog, "add");

  spec = doc_spec (window);
  g_assert_cmpint (spec->n_pops, ==, 4);
  p = sw_net_spec_find_pop (spec, "L5");
  g_assert_cmpint (p, >=, 0);
  g_assert_true (spec->pops[p].type == &sw_lif_delta_type);
  g_assert_cmpint (spec->pops[p].n, ==, 250);
  g_assert_true (spec->pops[p].inhibitory);
  sw_net_spec_free (spec);
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "L5"));
  g_assert_cmpint (sw_network_editor_get_selection (editor, &selected), ==,
                   SW_NETWORK_ITEM_POPULATION);
  g_assert_cmpstr (selected, ==, "L5");
  /* It has a place of its own, inside the canvas, and the others stay
   * where they were. */
  {
    double x, y;
    g_assert_true (sw_network_editor_get_node_position (editor, "I", &x, &y));
    g_assert_cmpfloat (x, ==, ix);
    g_assert_cmpfloat (y, ==, iy);
    g_assert_true (sw_document_get_node_position (sw_window_get_document (window), "L5", &x,
                                                  &y));
    g_assert_cmpfloat (x, >=, 0.0);
    g_assert_cmpfloat (x, <=, 1.0);
  }
  w.value = 4;
  g_assert_true (wait_for (runner_has_n_pops, &w, 10.0));
  g_assert_true (sw_window_get_modified (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "L5"));
  {
    g_autofree char *now = sw_document_to_json (sw_window_get_document (window));
    g_assert_cmpstr (now, ==, original);
  }
  w.value = 3;
  g_assert_true (wait_for (runner_has_n_pops, &w, 10.0));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "L5"));
  spec = doc_spec (window);
  g_assert_cmpint (sw_net_spec_find_pop (spec, "L5"), >=, 0);
  sw_net_spec_free (spec);
  w.value = 4;
  g_assert_true (wait_for (runner_has_n_pops, &w, 10.0));

  /* A cancelled dialog changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-population", NULL);
  spin (0.05);
  respond (the_dialog (window), "cancel");
  spec = doc_spec (window);
  g_assert_cmpint (spec->n_pops, ==, 4);
  sw_net_spec_free (spec);
  destroy_window (window);
}

/* Sources and stimuli: a Poisson population through the dialog, and a
 * stimulus of a population from the node's menu entry; both undo. */
static void
test_add_source (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  AdwMessageDialog *dialog;
  const char *selected = NULL;
  SwNetSpec *spec;
  int p;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-source", "s", "");
  spin (0.05);
  dialog = the_dialog (window);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (dialog_row (dialog,
                                                                           "kind-row"))),
                    ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_row (dialog, "name-row"))), ==,
                   "ext2");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (dialog_row (dialog, "size-spin")), 300);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (dialog_row (dialog, "rate-spin")), 7.5);
  respond (dialog, "add");
  spec = doc_spec (window);
  p = sw_net_spec_find_pop (spec, "ext2");
  g_assert_cmpint (p, >=, 0);
  g_assert_cmpint (spec->pops[p].kind, ==, SW_POP_POISSON);
  g_assert_cmpint (spec->pops[p].n, ==, 300);
  g_assert_cmpfloat (spec->pops[p].rate[0].amplitude, ==, 7.5);
  sw_net_spec_free (spec);
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "ext2"));

  /* A stimulus of I, as the node's menu asks for it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-source", "s", "I");
  spin (0.05);
  dialog = the_dialog (window);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (dialog_row (dialog,
                                                                           "kind-row"))),
                    ==, 1);
  g_assert_false (gtk_widget_get_visible (dialog_row (dialog, "name-row")));
  /* The targets are the populations of neurons, I chosen. */
  {
    AdwComboRow *target = ADW_COMBO_ROW (dialog_row (dialog, "target-row"));
    GtkStringObject *item = g_list_model_get_item (adw_combo_row_get_model (target),
                                                   adw_combo_row_get_selected (target));
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "I");
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (target)), ==, 2);
    g_object_unref (item);
  }
  /* A current step instead. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (dialog_row (dialog, "kind-row")), 2);
  respond (dialog, "add");
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_STIMULUS, "current_I"));
  g_assert_cmpint (sw_network_editor_get_selection (editor, &selected), ==,
                   SW_NETWORK_ITEM_STIMULUS);
  g_assert_cmpstr (selected, ==, "current_I");
  spec = doc_spec (window);
  g_assert_cmpint (spec->n_stims, ==, 1);
  g_assert_cmpint (spec->stims[0].kind, ==, SW_STIM_CURRENT);
  sw_net_spec_free (spec);
  /* Its profile is in the panel. */
  g_assert_nonnull (sw_property_panel_get_row (sw_window_get_property_panel (window),
                                               "current_I.profile[0].amplitude"));

  /* Delete removes a stimulus; undo brings it back. */
  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Delete, 0));
  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_STIMULUS, "current_I"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_STIMULUS, "current_I"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_STIMULUS, "current_I"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "ext2"));
  destroy_window (window);
}

/* Removing a population asks, naming what refers to it; then it goes
 * with its projections, in the document, the editor and the running
 * network; undo brings everything back. */
static void
test_remove_population (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, TRUE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  g_autofree char *original = sw_document_to_json (sw_window_get_document (window));
  AdwMessageDialog *dialog;
  SpecWait w = { window, NULL, NULL, 3 };
  const char *body;
  SwNetSpec *spec;

  g_assert_true (wait_for (runner_has_n_pops, &w, 10.0));
  g_assert_true (sw_network_editor_select (editor, SW_NETWORK_ITEM_POPULATION, "I"));
  gtk_widget_grab_focus (GTK_WIDGET (editor));
  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Delete, 0));
  dialog = the_dialog (window);
  body = adw_message_dialog_get_body (dialog);
  for (guint i = 0; i < 4; i++)
    {
      static const char *const names[] = { "EI", "IE", "II", "extI" };
      g_assert_nonnull (strstr (body, names[i]));
    }
  g_assert_null (strstr (body, "EE"));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "I"));
  respond (dialog, "remove");

  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "I"));
  g_assert_cmpuint (sw_network_editor_get_n_items (editor, SW_NETWORK_ITEM_POPULATION), ==, 2);
  g_assert_cmpuint (sw_network_editor_get_n_items (editor, SW_NETWORK_ITEM_PROJECTION), ==, 2);
  spec = doc_spec (window);
  g_assert_cmpint (spec->n_pops, ==, 2);
  g_assert_cmpint (spec->n_projs, ==, 2);
  g_assert_cmpint (proj_index (spec, "EE"), >=, 0);
  g_assert_cmpint (proj_index (spec, "extE"), >=, 0);
  sw_net_spec_free (spec);
  w.value = 2;
  g_assert_true (wait_for (runner_has_n_pops, &w, 10.0));
  /* The views go on with the smaller network. */
  spin (0.3);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  {
    g_autofree char *now = sw_document_to_json (sw_window_get_document (window));
    g_assert_cmpstr (now, ==, original);
  }
  g_assert_cmpuint (sw_network_editor_get_n_items (editor, SW_NETWORK_ITEM_PROJECTION), ==, 6);
  w.value = 3;
  g_assert_true (wait_for (runner_has_n_pops, &w, 10.0));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_POPULATION, "I"));
  destroy_window (window);
}

/* Without a mouse: Tab reaches the canvas and walks its items, C starts a
 * connection from the selected population, arrows choose the target,
 * Escape cancels, Enter makes the projection. */
static void
test_keyboard_connect (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  GtkWidget *widget = GTK_WIDGET (editor);
  const char *name = NULL;
  const char *first;
  SwNetSpec *spec;
  int n_projs;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "network");
  spin (0.1);
  spec = doc_spec (window);
  n_projs = spec->n_projs;
  sw_net_spec_free (spec);

  /* Tab into the canvas selects the first item, the next Tab the one
   * after it. */
  g_assert_true (gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_has_focus (widget));
  g_assert_cmpint (sw_network_editor_get_selection (editor, &name), ==,
                   SW_NETWORK_ITEM_POPULATION);
  g_assert_cmpstr (name, ==, "E");
  g_assert_true (gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD));
  sw_network_editor_get_selection (editor, &name);
  g_assert_cmpstr (name, ==, "I");
  g_assert_true (gtk_widget_child_focus (widget, GTK_DIR_TAB_BACKWARD));
  sw_network_editor_get_selection (editor, &name);
  g_assert_cmpstr (name, ==, "E");
  /* Shift+Tab on the first item leaves the canvas. */
  g_assert_false (gtk_widget_child_focus (widget, GTK_DIR_TAB_BACKWARD));

  /* C from E: a target is highlighted and said. */
  g_assert_null (sw_network_editor_get_connect_target (editor));
  g_assert_true (press_key (widget, GDK_KEY_c, 0));
  first = sw_network_editor_get_connect_target (editor);
  g_assert_nonnull (first);
  g_assert_cmpstr (first, ==, "I");
  /* Arrows go round the populations that can receive (not ext). */
  g_assert_true (press_key (widget, GDK_KEY_Right, 0));
  g_assert_cmpstr (sw_network_editor_get_connect_target (editor), ==, "E");
  g_assert_true (press_key (widget, GDK_KEY_Right, 0));
  g_assert_cmpstr (sw_network_editor_get_connect_target (editor), ==, "I");
  g_assert_true (press_key (widget, GDK_KEY_Left, 0));
  g_assert_cmpstr (sw_network_editor_get_connect_target (editor), ==, "E");
  /* Escape: nothing made. */
  g_assert_true (press_key (widget, GDK_KEY_Escape, 0));
  g_assert_null (sw_network_editor_get_connect_target (editor));
  spec = doc_spec (window);
  g_assert_cmpint (spec->n_projs, ==, n_projs);
  sw_net_spec_free (spec);

  /* Again, from ext to I with Tab, and Enter. */
  g_assert_true (sw_network_editor_select (editor, SW_NETWORK_ITEM_POPULATION, "ext"));
  g_assert_true (press_key (widget, GDK_KEY_c, 0));
  while (g_strcmp0 (sw_network_editor_get_connect_target (editor), "I") != 0)
    g_assert_true (gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD));
  g_assert_true (press_key (widget, GDK_KEY_Return, 0));
  g_assert_null (sw_network_editor_get_connect_target (editor));
  spec = doc_spec (window);
  g_assert_cmpint (spec->n_projs, ==, n_projs + 1);
  g_assert_cmpint (proj_index (spec, "extI2"), >=, 0);
  g_assert_cmpstr (spec->pops[spec->projs[proj_index (spec, "extI2")].pre].name, ==, "ext");
  g_assert_cmpstr (spec->pops[spec->projs[proj_index (spec, "extI2")].post].name, ==, "I");
  sw_net_spec_free (spec);
  g_assert_true (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_PROJECTION, "extI2"));
  g_assert_cmpint (sw_network_editor_get_selection (editor, &name), ==,
                   SW_NETWORK_ITEM_PROJECTION);
  g_assert_cmpstr (name, ==, "extI2");

  /* C needs a population: on a projection it does nothing. */
  press_key (widget, GDK_KEY_c, 0);
  g_assert_null (sw_network_editor_get_connect_target (editor));

  /* And undo takes it back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_false (sw_network_editor_has_item (editor, SW_NETWORK_ITEM_PROJECTION, "extI2"));
  destroy_window (window);
}

static SwPropertyPanel *current_panel;

static gboolean
has_row (gpointer key)
{
  return sw_property_panel_get_row (current_panel, key) != NULL;
}

static gboolean
is_add_part (GtkWidget *w, gconstpointer data)
{
  GtkWidget *child = GTK_IS_BUTTON (w) ? gtk_button_get_child (GTK_BUTTON (w)) : NULL;

  return child != NULL && ADW_IS_BUTTON_CONTENT (child)
         && g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)),
                       "Add _Part") == 0;
}

static gboolean
runner_tau1_is (gpointer data)
{
  SpecWait *w = data;
  const SwNetSpec *spec = sw_runner_get_spec (sw_window_get_runner (w->window));
  int p = spec != NULL ? sw_net_spec_find_pop (spec, "ext") : -1;

  return p >= 0 && spec->pops[p].rate[0].tau1_ms == w->value;
}

static gboolean
runner_rate_kind_is (gpointer data)
{
  SpecWait *w = data;
  const SwNetSpec *spec = sw_runner_get_spec (sw_window_get_runner (w->window));
  int p = spec != NULL ? sw_net_spec_find_pop (spec, "ext") : -1;

  return p >= 0 && spec->pops[p].rate[0].kind == (SwWaveKind) w->value;
}

/* The rate profile of the Poisson sources in the panel: a field with its
 * unit and tooltip, a new value reaching the running network without a
 * rebuild, a new shape with its own fields, a second part; undo takes
 * each back. */
static void
test_rate_profile (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, TRUE);
  SwNetworkEditor *editor = sw_window_get_network_editor (window);
  SwPropertyPanel *panel = sw_window_get_property_panel (window);
  SpecWait w = { window, NULL, NULL, 20.0 };
  GtkWidget *row, *shape;
  int rebuilds = 0;
  SwNetSpec *spec;
  int p;

  g_assert_true (wait_for (runner_tau1_is, &w, 10.0));
  g_signal_connect (sw_window_get_runner (window), "rebuilt", G_CALLBACK (rebuilt_cb),
                    &rebuilds);
  g_assert_true (sw_network_editor_select (editor, SW_NETWORK_ITEM_POPULATION, "ext"));
  current_panel = panel;

  shape = sw_property_panel_get_row (panel, "ext.rate[0]");
  g_assert_nonnull (shape);
  g_assert_true (ADW_IS_COMBO_ROW (shape));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (shape)), ==,
                    SW_WAVE_GAUSSIAN_RISE);
  row = sw_property_panel_get_row (panel, "ext.rate[0].tau1");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "tau1 (ms)");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "20 ms");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "Gaussian"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     sw_property_panel_get_row (panel, "ext.rate[0].amplitude"))), ==,
                   "amplitude (Hz)");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (sw_property_panel_get_row (
                              panel, "ext.rate[0].amplitude")), "at least 0 Hz"));
  /* A pulse's duration is no field of a Gaussian rise. */
  g_assert_null (sw_property_panel_get_row (panel, "ext.rate[0].duration"));

  /* A value: the document, the running network (no rebuild), undo. */
  gtk_editable_set_text (GTK_EDITABLE (row), "35 ms");
  g_signal_emit_by_name (row, "apply");
  spec = doc_spec (window);
  p = sw_net_spec_find_pop (spec, "ext");
  g_assert_cmpfloat (spec->pops[p].rate[0].tau1_ms, ==, 35.0);
  sw_net_spec_free (spec);
  w.value = 35.0;
  g_assert_true (wait_for (runner_tau1_is, &w, 10.0));
  g_assert_cmpint (rebuilds, ==, 0);
  g_assert_true (sw_property_panel_get_row (panel, "ext.rate[0].tau1") == row);
  /* A refused value (a negative width) changes nothing. */
  gtk_editable_set_text (GTK_EDITABLE (row), "-2 ms");
  g_signal_emit_by_name (row, "apply");
  spec = doc_spec (window);
  g_assert_cmpfloat (spec->pops[p].rate[0].tau1_ms, ==, 35.0);
  sw_net_spec_free (spec);

  /* A new shape: its own fields, live as well. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (shape), SW_WAVE_PULSE);
  g_assert_true (wait_for (has_row, (gpointer) "ext.rate[0].duration", 5.0));
  spec = doc_spec (window);
  g_assert_cmpint (spec->pops[p].rate[0].kind, ==, SW_WAVE_PULSE);
  g_assert_cmpfloat (spec->pops[p].rate[0].duration_ms, ==, 100.0);
  sw_net_spec_free (spec);
  g_assert_nonnull (sw_property_panel_get_row (panel, "ext.rate[0].duration"));
  g_assert_null (sw_property_panel_get_row (panel, "ext.rate[0].tau1"));
  w.value = SW_WAVE_PULSE;
  g_assert_true (wait_for (runner_rate_kind_is, &w, 10.0));
  g_assert_cmpint (rebuilds, ==, 0);

  /* A second part, summed: a constant, then a sine. */
  {
    GtkWidget *add = find_widget (GTK_WIDGET (panel), is_add_part, NULL);
    g_assert_nonnull (add);
    g_signal_emit_by_name (add, "clicked");
    g_assert_true (wait_for (has_row, (gpointer) "ext.rate[1]", 5.0));
  }
  spec = doc_spec (window);
  g_assert_cmpint (spec->pops[p].n_rate, ==, 2);
  g_assert_cmpint (spec->pops[p].rate[1].kind, ==, SW_WAVE_CONSTANT);
  sw_net_spec_free (spec);
  adw_combo_row_set_selected (ADW_COMBO_ROW (sw_property_panel_get_row (panel, "ext.rate[1]")),
                              SW_WAVE_SINE);
  g_assert_true (wait_for (has_row, (gpointer) "ext.rate[1].freq", 5.0));
  g_assert_nonnull (sw_property_panel_get_row (panel, "ext.rate[1].freq"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));

  /* Undo: one part, then the Gaussian rise of width 35 ms, then 20 ms. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_null (sw_property_panel_get_row (panel, "ext.rate[1].freq"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  spec = doc_spec (window);
  g_assert_cmpint (spec->pops[p].rate[0].kind, ==, SW_WAVE_GAUSSIAN_RISE);
  g_assert_cmpfloat (spec->pops[p].rate[0].tau1_ms, ==, 35.0);
  sw_net_spec_free (spec);
  shape = sw_property_panel_get_row (panel, "ext.rate[0]");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (shape)), ==,
                    SW_WAVE_GAUSSIAN_RISE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sw_property_panel_get_row (
                     panel, "ext.rate[0].tau1"))), ==, "20 ms");
  w.value = 20.0;
  g_assert_true (wait_for (runner_tau1_is, &w, 10.0));
  g_assert_cmpint (rebuilds, ==, 0);
  g_signal_handlers_disconnect_by_func (sw_window_get_runner (window), rebuilt_cb, &rebuilds);
  destroy_window (window);
}

static gboolean
is_connect_shortcut (GtkWidget *w, gconstpointer data)
{
  g_autofree char *title = NULL;
  g_autofree char *accel = NULL;

  if (!GTK_IS_SHORTCUTS_SHORTCUT (w))
    return FALSE;
  g_object_get (w, "title", &title, "accelerator", &accel, NULL);
  return g_strcmp0 (title, "Connect the selected population") == 0
         && g_strcmp0 (accel, "c") == 0;
}

/* The shortcuts window lists the editor's keys, and lays them out without
 * complaint (warnings are fatal here). */
static void
test_shortcuts_window (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  GtkWindow *overlay;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay",
                                             NULL));
  spin (0.3);
  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (
    GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_nonnull (find_widget (GTK_WIDGET (overlay), is_connect_shortcut, NULL));
  gtk_window_close (overlay);
  spin (0.1);
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
  g_test_add_func ("/gui/network-editor/add-population", test_add_population);
  g_test_add_func ("/gui/network-editor/add-source", test_add_source);
  g_test_add_func ("/gui/network-editor/remove-population", test_remove_population);
  g_test_add_func ("/gui/network-editor/keyboard-connect", test_keyboard_connect);
  g_test_add_func ("/gui/network-editor/rate-profile", test_rate_profile);
  g_test_add_func ("/gui/network-editor/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/gui/network-editor/finalized", test_finalized);

  return gui_test_run ();
}
