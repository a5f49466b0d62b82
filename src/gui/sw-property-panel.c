/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPropertyPanel (see sw-property-panel.h).
 *
 * The values come from the document's evaluated description, so a field
 * written as an expression shows its value now; typing into it replaces
 * the expression.  Names, units, ranges and descriptions of model
 * parameters come from the core's tables (SwParamInfo); those of
 * projections and stimuli are the document format's own.
 *
 * A rate or current profile (Poisson sources, stimuli) shows one group per
 * component: its shape, chosen from the core's waveforms, and the fields
 * that shape takes (sw_document_waveform_fields()), with units, ranges and
 * descriptions.  A new shape changes which rows there are, so the panel
 * keeps a signature of its rows and builds them anew when it differs; a
 * value edit keeps the rows (and the focus).  Shape changes and added or
 * removed components are asked for from an idle callback, as answering
 * them rebuilds the rows of the widget that asked.
 */
#define G_LOG_DOMAIN "Spikeworks-PropertyPanel"

#include "config.h"

#include "sw-property-panel.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

struct _SwPropertyPanel
{
  GtkBox parent_instance;

  /* Template children */
  GtkLabel *empty_label;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkListBox *rows_list;
  GtkLabel *error_label;
  GtkLabel *hint_label;
  GtkButton *remove_button;
  GtkBox *profile_box;

  SwNetworkItemKind kind;
  char *name;
  char *layout;              /* what rows there are, beyond the item: "rate:pulse,sine" */
  gboolean updating;         /* rows being filled in, not edited */

  /* A shape change or a removed component waiting for the idle callback. */
  guint pending_source;
  char *pending_item;
  guint pending_index;
  int pending_kind;
  gboolean pending_remove;
  GHashTable *rows;          /* key ("E.tau_w") -> AdwEntryRow (owned by the list) */
  GPtrArray *order;          /* keys in order */
};

G_DEFINE_FINAL_TYPE (SwPropertyPanel, sw_property_panel, GTK_TYPE_BOX)

enum
{
  ASSIGN,
  REMOVE,
  SET_WAVEFORM,
  REMOVE_WAVEFORM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One row to show: what the core or the format says about a field. */
typedef struct
{
  const char *field;         /* "tau_w", "weight" */
  const char *unit;          /* "" for a pure number */
  double min, max;
  const char *description;   /* translated, or the core's English */
  double value;
  gboolean integer;
} Field;

static char *
format_value (const Field *f)
{
  g_autofree char *number = NULL;

  if (f->integer)
    number = g_strdup_printf ("%.0f", f->value);
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      /* Shortest text that reads back as the same number, in the C locale
       * as the document parser expects. */
      g_ascii_formatd (buf, sizeof buf, "%.6g", f->value);
      number = g_strdup (buf);
    }
  if (f->unit == NULL || *f->unit == '\0')
    return g_steal_pointer (&number);
  return g_strdup_printf ("%s %s", number, f->unit);
}

static char *
format_range (const Field *f)
{
  const char *unit = f->unit != NULL ? f->unit : "";

  if (isinf (f->min) && isinf (f->max))
    return NULL;
  if (isinf (f->max))
    /* Translators: the allowed range of a value: "at least 0 ms". */
    return g_strdup_printf (_("Allowed: at least %g %s"), f->min, unit);
  if (isinf (f->min))
    /* Translators: the allowed range of a value: "at most 0 mV". */
    return g_strdup_printf (_("Allowed: at most %g %s"), f->max, unit);
  /* Translators: the allowed range of a value: "from 0.1 to 1000 ms". */
  return g_strdup_printf (_("Allowed: from %g to %g %s"), f->min, f->max, unit);
}

static void
row_apply_cb (AdwEntryRow *row, SwPropertyPanel *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "sw-key");
  const char *shown = g_object_get_data (G_OBJECT (row), "sw-shown");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (g_strcmp0 (shown, text) == 0)
    return;
  g_signal_emit (self, signals[ASSIGN], 0, key, text);
}

static void
set_row_value (AdwEntryRow *row, const char *text)
{
  g_object_set_data_full (G_OBJECT (row), "sw-shown", g_strdup (text), g_free);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
add_row_to (SwPropertyPanel *self, GtkWidget *parent, const char *key, const Field *f)
{
  g_autofree char *value = format_value (f);
  g_autofree char *range = format_range (f);
  g_autofree char *title = NULL;
  g_autofree char *tooltip = NULL;
  AdwEntryRow *row = g_hash_table_lookup (self->rows, key);

  if (row != NULL)
    {
      /* The same item again: update in place, keeping the focus. */
      set_row_value (row, value);
      return;
    }

  row = ADW_ENTRY_ROW (adw_entry_row_new ());
  if (f->unit != NULL && *f->unit != '\0')
    /* Translators: a parameter and its unit: "tau_w (ms)". */
    title = g_strdup_printf (_("%s (%s)"), f->field, f->unit);
  else
    title = g_strdup (f->field);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (row, TRUE);
  tooltip = range != NULL ? g_strdup_printf ("%s. %s.", f->description, range)
                          : g_strdup_printf ("%s.", f->description);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  tooltip, -1);
  g_object_set_data_full (G_OBJECT (row), "sw-key", g_strdup (key), g_free);
  set_row_value (row, value);
  g_signal_connect (row, "apply", G_CALLBACK (row_apply_cb), self);
  g_signal_connect (row, "entry-activated", G_CALLBACK (row_apply_cb), self);
  if (parent != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (parent), GTK_WIDGET (row));
  else
    gtk_list_box_append (self->rows_list, GTK_WIDGET (row));
  g_hash_table_insert (self->rows, g_strdup (key), row);
  g_ptr_array_add (self->order, g_strdup (key));
}

static void
add_row (SwPropertyPanel *self, const char *key, const Field *f)
{
  add_row_to (self, NULL, key, f);
}

static void
clear_rows (SwPropertyPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_list))) != NULL)
    gtk_list_box_remove (self->rows_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->profile_box))) != NULL)
    gtk_box_remove (self->profile_box, child);
  g_clear_pointer (&self->layout, g_free);
  g_hash_table_remove_all (self->rows);
  g_ptr_array_set_size (self->order, 0);
}

static void
add_field (SwPropertyPanel *self, const char *item, const Field *f)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", item, f->field);
  add_row (self, key, f);
}

static void show_profile (SwPropertyPanel *self, const char *item, const char *word,
                          const SwWaveform *waves, int n, gboolean is_rate,
                          const char *amplitude_unit);

static void
show_population (SwPropertyPanel *self, const SwPopSpec *p)
{
  Field size = { "n", "", 0, INFINITY, NULL, p->n, TRUE };
  g_autofree char *subtitle = NULL;

  gtk_label_set_label (self->title_label, p->name);
  if (p->kind == SW_POP_NEURONS)
    /* Translators: below a population's name: its kind, then its neuron
     * model ("AdEx, conductance synapses", in English). */
    subtitle = g_strdup_printf (_("%s\nModel: %s"),
                                p->inhibitory ? _("Inhibitory population")
                                              : _("Excitatory population"),
                                p->type->label);
  else if (p->kind == SW_POP_POISSON)
    subtitle = g_strdup (_("Poisson sources"));
  else
    subtitle = g_strdup (_("Sources firing at given times"));
  gtk_label_set_label (self->subtitle_label, subtitle);

  size.description = p->kind == SW_POP_NEURONS ? _("Number of neurons; changing it rebuilds "
                                                   "the network")
                                               : _("Number of sources; changing it rebuilds "
                                                   "the network");
  add_field (self, p->name, &size);
  if (p->kind == SW_POP_POISSON)
    show_profile (self, p->name, "rate", p->rate, p->n_rate, TRUE, "Hz");
  if (p->kind != SW_POP_NEURONS)
    return;
  for (int i = 0; i < p->type->n_params; i++)
    {
      const SwParamInfo *info = &p->type->params[i];
      Field f = { info->name, info->unit, info->min, info->max, info->description,
                  p->params[i], (info->flags & SW_PARAM_INTEGER) != 0 };
      add_field (self, p->name, &f);
    }
}

static void
show_projection (SwPropertyPanel *self, const SwNetSpec *spec, const SwProjSpec *p)
{
  const SwPopSpec *post = &spec->pops[p->post];
  const char *unit = post->type != NULL && p->receptor >= 0
                       ? post->type->receptor_units[p->receptor] : "";
  Field weight = { "weight", unit, -INFINITY, INFINITY,
                   _("Synaptic weight, in the unit of the target's receptor"), p->weight.a,
                   FALSE };
  Field delay = { "delay", "ms", 0, INFINITY, _("Transmission delay"), p->delay_ms.a, FALSE };
  g_autofree char *subtitle = NULL;

  gtk_label_set_label (self->title_label, p->name);
  /* Translators: below a projection's name: "Projection from E to I". */
  subtitle = g_strdup_printf (_("Projection from %s to %s"), spec->pops[p->pre].name,
                              post->name);
  gtk_label_set_label (self->subtitle_label, subtitle);

  if (p->rule == SW_CONN_FIXED_PROBABILITY)
    {
      Field prob = { "p", "", 0, 1, _("Probability that a pair of neurons is connected"), p->p,
                     FALSE };
      add_field (self, p->name, &prob);
    }
  else if (p->rule == SW_CONN_FIXED_INDEGREE || p->rule == SW_CONN_FIXED_OUTDEGREE)
    {
      Field k = { "k", "", 0, INFINITY,
                  p->rule == SW_CONN_FIXED_INDEGREE ? _("Inputs each target neuron receives")
                                                    : _("Targets each source neuron reaches"),
                  p->k, TRUE };
      add_field (self, p->name, &k);
    }
  add_field (self, p->name, &weight);
  add_field (self, p->name, &delay);
}

/* ------------------------------------------------------------------------ */
/* Rate and current profiles                                                 */

/* The shapes, in the order of SwWaveKind. */
static const char *const wave_labels[SW_N_WAVES] = {
  [SW_WAVE_CONSTANT] = N_("Constant"),
  [SW_WAVE_PULSE] = N_("Pulse"),
  [SW_WAVE_GAUSSIAN_RISE] = N_("Gaussian rise"),
  [SW_WAVE_DOUBLE_GAUSSIAN] = N_("Double Gaussian"),
  [SW_WAVE_SINE] = N_("Sine"),
  [SW_WAVE_RAMP] = N_("Ramp"),
};

static const char *const wave_explanations[SW_N_WAVES] = {
  [SW_WAVE_CONSTANT] = N_("The amplitude from t0 on (t0 = 0: always)."),
  [SW_WAVE_PULSE] = N_("The amplitude from t0 for the duration, else nothing."),
  [SW_WAVE_GAUSSIAN_RISE] = N_("Rises like a Gaussian of width tau1 to the amplitude at t0, "
                               "then stays."),
  [SW_WAVE_DOUBLE_GAUSSIAN] = N_("Rises like a Gaussian of width tau1 to the amplitude at t0, "
                                 "then falls with width tau2."),
  [SW_WAVE_SINE] = N_("Swings between 0 and the amplitude at freq from t0 for the duration "
                      "(0: forever)."),
  [SW_WAVE_RAMP] = N_("Rises in a straight line from 0 at t0 to the amplitude after the "
                      "duration, then stays."),
};

/* The metadata of a field of a component: unit, range and description.
 * The amplitude's unit is the profile's (Hz for rates, the model's current
 * unit for currents). */
static void
wave_field_info (const char *field, gboolean is_rate, const char *amplitude_unit, Field *f)
{
  f->field = field;
  f->min = -INFINITY;
  f->max = INFINITY;
  f->integer = FALSE;
  if (g_str_equal (field, "amplitude"))
    {
      f->unit = amplitude_unit;
      if (is_rate)
        {
          f->min = 0;
          f->description = _("Rate of each source at the full height of this component");
        }
      else
        f->description = _("Injected current at the full height of this component");
    }
  else if (g_str_equal (field, "t0"))
    {
      f->unit = "ms";
      f->description = _("When it starts; for the Gaussian shapes, when it peaks");
    }
  else if (g_str_equal (field, "duration"))
    {
      f->unit = "ms";
      f->min = 0;
      f->description = _("How long it lasts; for a ramp, how long it rises");
    }
  else if (g_str_equal (field, "tau1"))
    {
      f->unit = "ms";
      f->description = _("Width of the Gaussian rise; must be positive");
    }
  else if (g_str_equal (field, "tau2"))
    {
      f->unit = "ms";
      f->description = _("Width of the Gaussian decay; must be positive");
    }
  else
    {
      f->unit = "Hz";
      f->min = 0;
      f->description = _("Frequency of the sine");
    }
}

static double
wave_value (const SwWaveform *w, const char *field)
{
  if (g_str_equal (field, "amplitude"))
    return w->amplitude;
  if (g_str_equal (field, "t0"))
    return w->t0_ms;
  if (g_str_equal (field, "duration"))
    return w->duration_ms;
  if (g_str_equal (field, "tau1"))
    return w->tau1_ms;
  if (g_str_equal (field, "tau2"))
    return w->tau2_ms;
  return w->freq_hz;
}

/* What rows a profile has: its word and the shapes of its components. */
static char *
profile_layout (const char *word, const SwWaveform *waves, int n)
{
  GString *out = g_string_new (word);

  g_string_append_c (out, ':');
  for (int k = 0; k < n; k++)
    {
      if (k > 0)
        g_string_append_c (out, ',');
      g_string_append (out, sw_waveform_kind_name (waves[k].kind));
    }
  return g_string_free (out, FALSE);
}

static gboolean
pending_cb (gpointer data)
{
  SwPropertyPanel *self = data;
  g_autofree char *item = g_steal_pointer (&self->pending_item);

  self->pending_source = 0;
  if (item == NULL)
    return G_SOURCE_REMOVE;
  if (self->pending_remove)
    g_signal_emit (self, signals[REMOVE_WAVEFORM], 0, item, self->pending_index);
  else
    g_signal_emit (self, signals[SET_WAVEFORM], 0, item, self->pending_index,
                   self->pending_kind);
  return G_SOURCE_REMOVE;
}

static void
ask_later (SwPropertyPanel *self, const char *item, guint index, int kind, gboolean remove)
{
  g_free (self->pending_item);
  self->pending_item = g_strdup (item);
  self->pending_index = index;
  self->pending_kind = kind;
  self->pending_remove = remove;
  if (self->pending_source == 0)
    /* At the priority of input, not below drawing: the live views redraw
     * every frame and would hold an idle back. */
    self->pending_source = g_idle_add_full (G_PRIORITY_DEFAULT, pending_cb, self, NULL);
}

static void
shape_selected_cb (AdwComboRow *row, GParamSpec *pspec, SwPropertyPanel *self)
{
  guint kind = adw_combo_row_get_selected (row);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "sw-index"));

  if (self->updating || kind == GTK_INVALID_LIST_POSITION || self->name == NULL)
    return;
  ask_later (self, self->name, index, (int) kind, FALSE);
}

static void
remove_component_cb (GtkButton *button, SwPropertyPanel *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "sw-index"));

  if (self->name != NULL)
    ask_later (self, self->name, index, 0, TRUE);
}

static void
add_component_cb (GtkButton *button, SwPropertyPanel *self)
{
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "sw-index"));

  if (self->name != NULL)
    ask_later (self, self->name, n, SW_WAVE_CONSTANT, FALSE);
}

/* The components of the profile @word ("rate" or "profile") of item
 * @item, one group each, below the other rows. */
static void
show_profile (SwPropertyPanel *self, const char *item, const char *word, const SwWaveform *waves,
              int n, gboolean is_rate, const char *amplitude_unit)
{
  gboolean build = gtk_widget_get_first_child (GTK_WIDGET (self->profile_box)) == NULL;

  self->updating = TRUE;
  for (int k = 0; k < n; k++)
    {
      const SwWaveform *w = &waves[k];
      const char *const *fields = sw_document_waveform_fields (w->kind);
      g_autofree char *shape_key = g_strdup_printf ("%s.%s[%d]", item, word, k);
      GtkWidget *group = NULL;

      if (build)
        {
          g_autoptr(GtkStringList) shapes = gtk_string_list_new (NULL);
          g_autofree char *title = NULL;
          GtkWidget *shape;

          group = adw_preferences_group_new ();
          if (n == 1)
            title = g_strdup (is_rate ? _("Rate over time") : _("Current over time"));
          else
            /* Translators: the title of one of the summed parts of a rate
             * profile: "Rate, part 2". */
            title = g_strdup_printf (is_rate ? _("Rate, part %d") : _("Current, part %d"),
                                     k + 1);
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                                 _(wave_explanations[w->kind]));
          if (n > 1)
            {
              GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
              gtk_widget_add_css_class (remove, "flat");
              gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
              gtk_widget_set_tooltip_text (remove, _("Remove this part"));
              gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              _("Remove this part"), -1);
              g_object_set_data (G_OBJECT (remove), "sw-index", GUINT_TO_POINTER (k));
              g_signal_connect (remove, "clicked", G_CALLBACK (remove_component_cb), self);
              adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), remove);
            }

          for (int i = 0; i < SW_N_WAVES; i++)
            gtk_string_list_append (shapes, _(wave_labels[i]));
          shape = adw_combo_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (shape), _("Shape"));
          gtk_widget_set_tooltip_text (shape, _("How it changes over time"));
          adw_combo_row_set_model (ADW_COMBO_ROW (shape), G_LIST_MODEL (shapes));
          adw_combo_row_set_selected (ADW_COMBO_ROW (shape), w->kind);
          g_object_set_data (G_OBJECT (shape), "sw-index", GUINT_TO_POINTER (k));
          g_signal_connect (shape, "notify::selected", G_CALLBACK (shape_selected_cb), self);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), shape);
          g_hash_table_insert (self->rows, g_strdup (shape_key), shape);
          g_ptr_array_add (self->order, g_strdup (shape_key));
          gtk_box_append (self->profile_box, group);
        }

      for (int i = 0; fields[i] != NULL; i++)
        {
          g_autofree char *key = g_strdup_printf ("%s.%s", shape_key, fields[i]);
          Field f;

          wave_field_info (fields[i], is_rate, amplitude_unit, &f);
          f.value = wave_value (w, fields[i]);
          add_row_to (self, group, key, &f);
        }
    }

  if (build && n < SW_MAX_COMPONENTS)
    {
      GtkWidget *add = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "list-add-symbolic");
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("Add _Part"));
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      gtk_button_set_child (GTK_BUTTON (add), content);
      gtk_widget_set_halign (add, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (add, is_rate ? _("Add a part to the rate; the parts are "
                                                    "summed")
                                                : _("Add a part to the current; the parts "
                                                    "are summed"));
      g_object_set_data (G_OBJECT (add), "sw-index", GUINT_TO_POINTER (n));
      g_signal_connect (add, "clicked", G_CALLBACK (add_component_cb), self);
      gtk_box_append (self->profile_box, add);
    }
  self->updating = FALSE;
}

static void
show_stimulus (SwPropertyPanel *self, const SwNetSpec *spec, const SwStimSpec *s)
{
  const SwPopSpec *target = &spec->pops[s->target];
  g_autofree char *subtitle = NULL;

  gtk_label_set_label (self->title_label, s->name);
  /* Translators: below a stimulus's name: "Stimulus of E". */
  subtitle = g_strdup_printf (_("Stimulus of %s"), target->name);
  gtk_label_set_label (self->subtitle_label, subtitle);
  if (s->kind == SW_STIM_POISSON)
    {
      const char *unit = target->type != NULL && s->receptor >= 0
                           ? target->type->receptor_units[s->receptor] : "";
      Field n = { "n_sources", "", 1, INFINITY, _("Poisson trains per target neuron"),
                  s->n_sources, TRUE };
      Field w = { "weight", unit, -INFINITY, INFINITY,
                  _("Weight of each event, in the unit of the target's receptor"), s->weight,
                  FALSE };
      add_field (self, s->name, &n);
      add_field (self, s->name, &w);
      show_profile (self, s->name, "rate", s->profile, s->n_profile, TRUE, "Hz");
    }
  else
    show_profile (self, s->name, "profile", s->profile, s->n_profile, FALSE,
                  target->type != NULL ? target->type->current_unit : "");
}

/* The signature of the rows of an item beyond its plain fields: the
 * shapes of its profile, or "". */
static char *
item_layout (const SwNetSpec *spec, SwNetworkItemKind kind, const char *name)
{
  if (kind == SW_NETWORK_ITEM_POPULATION)
    {
      int i = sw_net_spec_find_pop (spec, name);
      if (i >= 0 && spec->pops[i].kind == SW_POP_POISSON)
        return profile_layout ("rate", spec->pops[i].rate, spec->pops[i].n_rate);
    }
  else if (kind == SW_NETWORK_ITEM_STIMULUS)
    {
      for (int i = 0; i < spec->n_stims; i++)
        if (g_str_equal (spec->stims[i].name, name))
          return profile_layout (spec->stims[i].kind == SW_STIM_POISSON ? "rate" : "profile",
                                 spec->stims[i].profile, spec->stims[i].n_profile);
    }
  return g_strdup ("");
}

void
sw_property_panel_show (SwPropertyPanel *self, SwDocument *doc, SwNetworkItemKind kind,
                        const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *layout = NULL;
  SwNetSpec *spec = NULL;
  gboolean same;
  gboolean shown = FALSE;

  g_return_if_fail (SW_IS_PROPERTY_PANEL (self));

  if (doc != NULL && name != NULL && kind != SW_NETWORK_ITEM_NONE)
    spec = sw_document_build_spec (doc, &error);
  layout = spec != NULL ? item_layout (spec, kind, name) : NULL;

  same = kind == self->kind && g_strcmp0 (name, self->name) == 0;
  if (!same)
    sw_property_panel_set_result (self, NULL);
  if (!same || g_strcmp0 (layout, self->layout) != 0)
    clear_rows (self);
  self->kind = kind;
  g_free (self->name);
  self->name = g_strdup (name);
  g_free (self->layout);
  self->layout = g_steal_pointer (&layout);

  if (spec != NULL)
    {
      if (kind == SW_NETWORK_ITEM_POPULATION)
        {
          int i = sw_net_spec_find_pop (spec, name);
          if (i >= 0)
            {
              show_population (self, &spec->pops[i]);
              shown = TRUE;
            }
        }
      else if (kind == SW_NETWORK_ITEM_PROJECTION)
        {
          for (int i = 0; i < spec->n_projs && !shown; i++)
            if (g_str_equal (spec->projs[i].name, name))
              {
                show_projection (self, spec, &spec->projs[i]);
                shown = TRUE;
              }
        }
      else
        {
          for (int i = 0; i < spec->n_stims && !shown; i++)
            if (g_str_equal (spec->stims[i].name, name))
              {
                show_stimulus (self, spec, &spec->stims[i]);
                shown = TRUE;
              }
        }
      sw_net_spec_free (spec);
    }

  if (!shown)
    {
      clear_rows (self);
      g_clear_pointer (&self->layout, g_free);
      self->kind = SW_NETWORK_ITEM_NONE;
      g_clear_pointer (&self->name, g_free);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), !shown);
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->rows_list), shown && self->order->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), shown && self->order->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->profile_box),
                          shown && gtk_widget_get_first_child (GTK_WIDGET (self->profile_box))
                                     != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), shown);
  if (shown)
    {
      const char *label = kind == SW_NETWORK_ITEM_POPULATION ? _("_Remove Population")
                          : kind == SW_NETWORK_ITEM_STIMULUS ? _("_Remove Stimulus")
                          : _("_Remove Projection");
      const char *tooltip = kind == SW_NETWORK_ITEM_POPULATION
                              ? _("Remove the population with the projections and stimuli "
                                  "that refer to it (Delete in the network)")
                            : kind == SW_NETWORK_ITEM_STIMULUS
                              ? _("Remove the stimulus (Delete in the network)")
                              : _("Remove the projection (Delete in the network)");
      gtk_button_set_label (self->remove_button, label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->remove_button), tooltip);
    }
}

void
sw_property_panel_set_result (SwPropertyPanel *self, const GError *error)
{
  g_return_if_fail (SW_IS_PROPERTY_PANEL (self));

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  gtk_label_set_label (self->error_label, error != NULL ? error->message : "");
}

GtkWidget *
sw_property_panel_get_row (SwPropertyPanel *self, const char *key)
{
  g_return_val_if_fail (SW_IS_PROPERTY_PANEL (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->rows, key);
}

void
sw_property_panel_focus_first (SwPropertyPanel *self)
{
  GtkWidget *row;

  g_return_if_fail (SW_IS_PROPERTY_PANEL (self));

  if (self->order->len == 0)
    return;
  row = g_hash_table_lookup (self->rows, self->order->pdata[0]);
  gtk_widget_grab_focus (row);
}

static void
remove_clicked_cb (SwPropertyPanel *self)
{
  if (self->name != NULL)
    g_signal_emit (self, signals[REMOVE], 0, (int) self->kind, self->name);
}

static void
sw_property_panel_dispose (GObject *object)
{
  SwPropertyPanel *self = SW_PROPERTY_PANEL (object);

  if (self->rows != NULL)
    g_hash_table_remove_all (self->rows);
  g_clear_handle_id (&self->pending_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_PROPERTY_PANEL);
  G_OBJECT_CLASS (sw_property_panel_parent_class)->dispose (object);
}

static void
sw_property_panel_finalize (GObject *object)
{
  SwPropertyPanel *self = SW_PROPERTY_PANEL (object);

  g_free (self->name);
  g_free (self->layout);
  g_free (self->pending_item);
  g_hash_table_unref (self->rows);
  g_ptr_array_unref (self->order);
  G_OBJECT_CLASS (sw_property_panel_parent_class)->finalize (object);
}

static void
sw_property_panel_class_init (SwPropertyPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_property_panel_dispose;
  object_class->finalize = sw_property_panel_finalize;

  signals[ASSIGN] =
    g_signal_new ("assign", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  /* (item, index, SwWaveKind): component @index of the profile of @item
   * gets a new shape; index = the number of components adds one. */
  signals[SET_WAVEFORM] =
    g_signal_new ("set-waveform", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT);
  signals[REMOVE_WAVEFORM] =
    g_signal_new ("remove-waveform", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sw-property-panel.ui");
  gtk_widget_class_set_css_name (widget_class, "propertypanel");
  gtk_widget_class_bind_template_child (widget_class, SwPropertyPanel, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SwPropertyPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, SwPropertyPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SwPropertyPanel, rows_list);
  gtk_widget_class_bind_template_child (widget_class, SwPropertyPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, SwPropertyPanel, hint_label);
  gtk_widget_class_bind_template_child (widget_class, SwPropertyPanel, remove_button);
  gtk_widget_class_bind_template_child (widget_class, SwPropertyPanel, profile_box);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
sw_property_panel_init (SwPropertyPanel *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->order = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  sw_property_panel_show (self, NULL, SW_NETWORK_ITEM_NONE, NULL);
}

GtkWidget *
sw_property_panel_new (void)
{
  return g_object_new (SW_TYPE_PROPERTY_PANEL, NULL);
}
