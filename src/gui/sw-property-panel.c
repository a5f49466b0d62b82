/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPropertyPanel (see sw-property-panel.h).
 *
 * The values come from the document's evaluated description, so a field
 * written as an expression shows its value now; typing into it replaces
 * the expression.  Names, units, ranges and descriptions of model
 * parameters come from the core's tables (SwParamInfo); those of
 * projections and stimuli are the document format's own.
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

  SwNetworkItemKind kind;
  char *name;
  GHashTable *rows;          /* key ("E.tau_w") -> AdwEntryRow (owned by the list) */
  GPtrArray *order;          /* keys in order */
};

G_DEFINE_FINAL_TYPE (SwPropertyPanel, sw_property_panel, GTK_TYPE_BOX)

enum
{
  ASSIGN,
  REMOVE,
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
add_row (SwPropertyPanel *self, const char *key, const Field *f)
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
  gtk_list_box_append (self->rows_list, GTK_WIDGET (row));
  g_hash_table_insert (self->rows, g_strdup (key), row);
  g_ptr_array_add (self->order, g_strdup (key));
}

static void
clear_rows (SwPropertyPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_list))) != NULL)
    gtk_list_box_remove (self->rows_list, child);
  g_hash_table_remove_all (self->rows);
  g_ptr_array_set_size (self->order, 0);
}

static void
add_field (SwPropertyPanel *self, const char *item, const Field *f)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", item, f->field);
  add_row (self, key, f);
}

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
    }
}

void
sw_property_panel_show (SwPropertyPanel *self, SwDocument *doc, SwNetworkItemKind kind,
                        const char *name)
{
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec = NULL;
  gboolean same;
  gboolean shown = FALSE;

  g_return_if_fail (SW_IS_PROPERTY_PANEL (self));

  same = kind == self->kind && g_strcmp0 (name, self->name) == 0;
  if (!same)
    {
      clear_rows (self);
      sw_property_panel_set_result (self, NULL);
    }
  self->kind = kind;
  g_free (self->name);
  self->name = g_strdup (name);

  if (doc != NULL && name != NULL && kind != SW_NETWORK_ITEM_NONE)
    spec = sw_document_build_spec (doc, &error);
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
      self->kind = SW_NETWORK_ITEM_NONE;
      g_clear_pointer (&self->name, g_free);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), !shown);
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->rows_list), shown && self->order->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), shown && self->order->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_button),
                          shown && kind == SW_NETWORK_ITEM_PROJECTION);
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
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_PROPERTY_PANEL);
  G_OBJECT_CLASS (sw_property_panel_parent_class)->dispose (object);
}

static void
sw_property_panel_finalize (GObject *object)
{
  SwPropertyPanel *self = SW_PROPERTY_PANEL (object);

  g_free (self->name);
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
