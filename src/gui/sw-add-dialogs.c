/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The network editor's "Add Population" and "Add Source or Stimulus" dialogs
 * (see sw-add-dialogs.h).  The neuron models come from the core's table
 * (sw_neuron_type_list()), so a new model appears here without a change.
 * A name is checked as the document checks it (letters, digits, '_' and
 * '-', starting with a letter or '_', at most 63 bytes, not a reserved
 * word, not taken) while it is typed, so that "Add" can only make an edit
 * the document takes.
 */
#define G_LOG_DOMAIN "Spikeworks-AddDialogs"

#include "config.h"

#include "sw-add-dialogs.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sw-network-editor.h"

/* The kinds of the source dialog, in the order of its list. */
enum
{
  KIND_POISSON_POPULATION,
  KIND_POISSON_INPUT,
  KIND_CURRENT_INPUT,
};

typedef struct
{
  SwWindow *window;          /* weak: the dialog is transient for it */
  AdwMessageDialog *dialog;
  AdwEntryRow *name_row;
  AdwComboRow *model_row;
  AdwComboRow *kind_row;
  AdwComboRow *target_row;
  GtkWidget *size_row;
  GtkWidget *rate_row;
  GtkSpinButton *size_spin;
  GtkSpinButton *rate_spin;
  GtkSwitch *inhibitory_switch;
  GtkLabel *caption;         /* under the list: what the chosen model or kind is */
  GPtrArray *targets;        /* names of the populations of neurons */
} Form;

static void
form_free (gpointer data)
{
  Form *f = data;

  g_clear_weak_pointer (&f->window);
  g_clear_pointer (&f->targets, g_ptr_array_unref);
  g_free (f);
}

/* Whether the document would take @name for a new item. */
static gboolean
name_is_free (SwDocument *doc, const char *name)
{
  g_autofree char *unique = NULL;

  if (name[0] == '\0' || strlen (name) > 63)
    return FALSE;
  if (!g_ascii_isalpha (name[0]) && name[0] != '_')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  if (g_str_equal (name, "simulation") || g_str_equal (name, "variables"))
    return FALSE;
  unique = sw_document_unique_name (doc, name);
  return g_str_equal (unique, name);
}

/* What each kind of the source dialog is, below its name. */
static const char *
kind_description (guint kind)
{
  switch (kind)
    {
    case KIND_POISSON_POPULATION:
      return _("A population of Poisson sources that projections start from");
    case KIND_POISSON_INPUT:
      return _("Independent Poisson trains into every neuron of a population");
    case KIND_CURRENT_INPUT:
    default:
      return _("A current pulse injected into every neuron of a population");
    }
}

static gboolean
wants_name (Form *f)
{
  return f->kind_row == NULL
         || adw_combo_row_get_selected (f->kind_row) == KIND_POISSON_POPULATION;
}

/* Shows the rows the chosen kind uses and enables "Add" when the form is
 * complete. */
static void
update_form (Form *f)
{
  SwDocument *doc = f->window != NULL ? sw_window_get_document (f->window) : NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (f->name_row));
  gboolean name_ok = doc != NULL && name_is_free (doc, name);
  gboolean ok;

  if (f->kind_row != NULL)
    {
      gboolean population = wants_name (f);

      gtk_widget_set_visible (GTK_WIDGET (f->name_row), population);
      gtk_widget_set_visible (f->size_row, population);
      gtk_widget_set_visible (f->rate_row, population);
      gtk_widget_set_visible (GTK_WIDGET (f->target_row), !population);
      gtk_label_set_label (f->caption,
                           kind_description (adw_combo_row_get_selected (f->kind_row)));
      ok = population ? name_ok : f->targets->len > 0;
    }
  else
    ok = name_ok;

  if (wants_name (f) && !name_ok)
    {
      gtk_widget_add_css_class (GTK_WIDGET (f->name_row), "error");
      /* Translators: the tooltip of the name field of a new population. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (f->name_row),
                                   _("A name of its own: letters, digits, “_” and “-”, "
                                     "starting with a letter"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (f->name_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (f->name_row), NULL);
    }
  adw_message_dialog_set_response_enabled (f->dialog, "add", ok);
}

static void
failed (Form *f, const char *heading, const GError *error)
{
  GtkWidget *dialog;

  if (f->window == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (f->window), heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
new_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_size_request (list, 400, -1);
  return list;
}

static AdwEntryRow *
add_name_row (Form *f, GtkWidget *list, const char *base)
{
  SwDocument *doc = sw_window_get_document (f->window);
  g_autofree char *name = sw_document_unique_name (doc, base);
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Name"));
  gtk_widget_set_name (GTK_WIDGET (row), "name-row");
  gtk_editable_set_text (GTK_EDITABLE (row), name);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (update_form), f);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
  return row;
}

/* A row with a spin button: @title, @subtitle, range and value. */
static GtkWidget *
add_spin_row (GtkWidget *list, const char *title, const char *subtitle, const char *name,
              double min, double max, double step, guint digits, double value,
              GtkSpinButton **spin_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_name (spin, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  *spin_out = GTK_SPIN_BUTTON (spin);
  return row;
}

/* The dialog around @list, with the caption under it. */
static AdwMessageDialog *
new_dialog (Form *f, const char *heading, const char *body, GtkWidget *list)
{
  AdwMessageDialog *dialog =
    ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (f->window), heading, body));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *caption = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_set_margin_start (caption, 6);
  gtk_widget_set_margin_end (caption, 6);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_add_css_class (caption, "caption");
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), caption);
  f->caption = GTK_LABEL (caption);

  adw_message_dialog_set_body_use_markup (dialog, FALSE);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "add");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

/* ------------------------------------------------------------------------ */
/* Population                                                                */

static void
model_selected_cb (Form *f)
{
  const SwNeuronType *const *types = sw_neuron_type_list ();
  guint i = adw_combo_row_get_selected (f->model_row);

  /* The core's sentence about the model. */
  if (f->caption != NULL)
    gtk_label_set_label (f->caption,
                         i != GTK_INVALID_LIST_POSITION ? types[i]->description : "");
}

static void
population_response_cb (AdwMessageDialog *dialog, const char *response, Form *f)
{
  const SwNeuronType *const *types = sw_neuron_type_list ();
  g_autoptr(GError) error = NULL;
  guint model;

  if (!g_str_equal (response, "add") || f->window == NULL)
    return;
  model = adw_combo_row_get_selected (f->model_row);
  if (model == GTK_INVALID_LIST_POSITION)
    return;
  if (!sw_window_add_population (f->window, gtk_editable_get_text (GTK_EDITABLE (f->name_row)),
                                 types[model]->name,
                                 gtk_spin_button_get_value_as_int (f->size_spin),
                                 gtk_switch_get_active (f->inhibitory_switch), &error))
    failed (f, _("Could Not Add the Population"), error);
}

GtkWidget *
sw_add_population_dialog_new (SwWindow *window)
{
  const SwNeuronType *const *types = sw_neuron_type_list ();
  Form *f = g_new0 (Form, 1);
  SwDocument *doc;
  GtkWidget *list = new_list ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec;
  guint preferred = 0;
  GtkWidget *row;
  GtkWidget *sw;

  g_return_val_if_fail (SW_IS_WINDOW (window), NULL);

  g_set_weak_pointer (&f->window, window);
  doc = sw_window_get_document (window);

  /* The model of the document's first neurons comes first to hand. */
  spec = sw_document_build_spec (doc, &error);
  for (int i = 0; spec != NULL && i < spec->n_pops; i++)
    if (spec->pops[i].kind == SW_POP_NEURONS)
      {
        for (guint k = 0; types[k] != NULL; k++)
          if (types[k] == spec->pops[i].type)
            preferred = k;
        break;
      }
  g_clear_pointer (&spec, sw_net_spec_free);

  f->name_row = add_name_row (f, list, "P");

  for (guint k = 0; types[k] != NULL; k++)
    gtk_string_list_append (labels, types[k]->label);
  f->model_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->model_row), _("Neuron model"));
  adw_combo_row_set_use_subtitle (f->model_row, TRUE);
  gtk_widget_set_name (GTK_WIDGET (f->model_row), "model-row");
  adw_combo_row_set_model (f->model_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (f->model_row, preferred);
  g_signal_connect_swapped (f->model_row, "notify::selected", G_CALLBACK (model_selected_cb), f);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (f->model_row));

  f->size_row = add_spin_row (list, _("Neurons"), NULL, "size-spin", 1, 1 << 30, 100, 0, 1000,
                              &f->size_spin);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Inhibitory"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Its projections inhibit their targets unless they name "
                                 "a receptor"));
  sw = gtk_switch_new ();
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_widget_set_name (sw, "inhibitory-switch");
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Inhibitory"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  f->inhibitory_switch = GTK_SWITCH (sw);

  f->dialog = new_dialog (f, _("Add Population"),
                          _("A population of neurons of one model, with the model’s default "
                            "parameters; change them in the properties afterwards."),
                          list);
  g_object_set_data_full (G_OBJECT (f->dialog), "sw-form", f, form_free);
  g_signal_connect (f->dialog, "response", G_CALLBACK (population_response_cb), f);
  model_selected_cb (f);
  update_form (f);
  return GTK_WIDGET (f->dialog);
}

/* ------------------------------------------------------------------------ */
/* Source or stimulus                                                        */

static void
source_response_cb (AdwMessageDialog *dialog, const char *response, Form *f)
{
  g_autoptr(GError) error = NULL;
  guint kind;

  if (!g_str_equal (response, "add") || f->window == NULL)
    return;
  kind = adw_combo_row_get_selected (f->kind_row);
  if (kind == KIND_POISSON_POPULATION)
    {
      if (!sw_window_add_poisson_source (f->window,
                                         gtk_editable_get_text (GTK_EDITABLE (f->name_row)),
                                         gtk_spin_button_get_value_as_int (f->size_spin),
                                         gtk_spin_button_get_value (f->rate_spin), &error))
        failed (f, _("Could Not Add the Sources"), error);
    }
  else
    {
      guint target = adw_combo_row_get_selected (f->target_row);
      g_autofree char *name = NULL;

      if (target >= f->targets->len)
        return;
      name = sw_window_add_stimulus (f->window, f->targets->pdata[target],
                                     kind == KIND_POISSON_INPUT ? SW_STIM_POISSON
                                                                : SW_STIM_CURRENT,
                                     &error);
      if (name == NULL)
        failed (f, _("Could Not Add the Stimulus"), error);
    }
}

GtkWidget *
sw_add_source_dialog_new (SwWindow *window, const char *target)
{
  Form *f = g_new0 (Form, 1);
  GtkWidget *list = new_list ();
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) targets = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec;
  guint chosen = 0;

  g_return_val_if_fail (SW_IS_WINDOW (window), NULL);

  g_set_weak_pointer (&f->window, window);
  f->targets = g_ptr_array_new_with_free_func (g_free);
  spec = sw_document_build_spec (sw_window_get_document (window), &error);
  for (int i = 0; spec != NULL && i < spec->n_pops; i++)
    if (spec->pops[i].kind == SW_POP_NEURONS)
      {
        if (target != NULL && g_str_equal (target, spec->pops[i].name))
          chosen = f->targets->len;
        g_ptr_array_add (f->targets, g_strdup (spec->pops[i].name));
        gtk_string_list_append (targets, spec->pops[i].name);
      }
  g_clear_pointer (&spec, sw_net_spec_free);

  gtk_string_list_append (kinds, _("Poisson sources"));
  gtk_string_list_append (kinds, _("Poisson stimulus"));
  gtk_string_list_append (kinds, _("Current step"));
  f->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->kind_row), _("Kind"));
  gtk_widget_set_name (GTK_WIDGET (f->kind_row), "kind-row");
  adw_combo_row_set_model (f->kind_row, G_LIST_MODEL (kinds));
  adw_combo_row_set_use_subtitle (f->kind_row, TRUE);
  /* Opened on a population: a stimulus of it. */
  adw_combo_row_set_selected (f->kind_row,
                              target != NULL && *target != '\0' && f->targets->len > 0
                                ? KIND_POISSON_INPUT : KIND_POISSON_POPULATION);
  g_signal_connect_swapped (f->kind_row, "notify::selected", G_CALLBACK (update_form), f);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (f->kind_row));

  f->name_row = add_name_row (f, list, "ext");
  f->size_row = add_spin_row (list, _("Sources"), NULL, "size-spin", 1, 1 << 30, 100, 0, 1000,
                              &f->size_spin);
  f->rate_row = add_spin_row (list, _("Rate (Hz)"),
                              _("Of each source; a time course can be set in the properties"),
                              "rate-spin", 0, 10000, 1, 1, 5, &f->rate_spin);

  f->target_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->target_row), _("Into population"));
  gtk_widget_set_name (GTK_WIDGET (f->target_row), "target-row");
  adw_combo_row_set_model (f->target_row, G_LIST_MODEL (targets));
  adw_combo_row_set_use_subtitle (f->target_row, TRUE);
  adw_combo_row_set_selected (f->target_row, chosen);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (f->target_row));

  f->dialog = new_dialog (f, _("Add Source or Stimulus"),
                          _("Sources are a population that projections start from; a stimulus "
                            "drives the neurons of one population directly. Strengths and time "
                            "courses are set in the properties afterwards."),
                          list);
  g_object_set_data_full (G_OBJECT (f->dialog), "sw-form", f, form_free);
  g_signal_connect (f->dialog, "response", G_CALLBACK (source_response_cb), f);
  update_form (f);
  return GTK_WIDGET (f->dialog);
}
