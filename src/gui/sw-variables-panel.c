/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwVariablesPanel (see sw-variables-panel.h).
 */
#define G_LOG_DOMAIN "Spikeworks-Variables"

#include "config.h"

#include "sw-variables-panel.h"

#include "sw-variable-row.h"

#include <glib/gi18n.h>
#include <string.h>

struct _SwVariablesPanel
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *title_label;
  GtkLabel *description_label;
  GtkListBox *variables_list;
  GtkLabel *no_variables_label;
  GtkEntry *assign_entry;
  GtkLabel *assign_error;
  GtkExpander *explanation_expander;
  GtkLabel *explanation_label;

  SwDocument *doc;          /* not owned */
  GPtrArray *rows;          /* SwVariableRow, in document order (borrowed) */
  SwVariableRow *asking;    /* the row whose "assign" awaits its result, or NULL */
};

G_DEFINE_FINAL_TYPE (SwVariablesPanel, sw_variables_panel, GTK_TYPE_WIDGET)

enum
{
  VARIABLE_CHANGED,
  ASSIGN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
row_value_changed_cb (SwVariablesPanel *self, double value, SwVariableRow *row)
{
  g_signal_emit (self, signals[VARIABLE_CHANGED], 0, sw_variable_row_get_name (row), value);
}

static void
row_text_entered_cb (SwVariablesPanel *self, const char *text, SwVariableRow *row)
{
  self->asking = row;
  g_signal_emit (self, signals[ASSIGN], 0, sw_variable_row_get_name (row), text);
}

static void
apply_assignment (SwVariablesPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->assign_entry));
  const char *eq = strchr (text, '=');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (*text == '\0')
    return;
  self->asking = NULL;
  if (eq == NULL)
    {
      g_autoptr(GError) error = NULL;
      /* Translators: keep NAME and VALUE as they are or translate both;
       * the example is literal. */
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Write NAME = VALUE, for example E.tau_w = 300 ms"));
      sw_variables_panel_set_result (self, error);
      return;
    }
  name = g_strstrip (g_strndup (text, eq - text));
  value = g_strstrip (g_strdup (eq + 1));
  g_signal_emit (self, signals[ASSIGN], 0, name, value);
}

static void
assign_activate_cb (SwVariablesPanel *self)
{
  apply_assignment (self);
}

static void
assign_icon_release_cb (SwVariablesPanel *self, GtkEntryIconPosition position)
{
  if (position == GTK_ENTRY_ICON_SECONDARY)
    apply_assignment (self);
}

static void
assign_changed_cb (SwVariablesPanel *self)
{
  /* The message was about the text as it was. */
  gtk_widget_set_visible (GTK_WIDGET (self->assign_error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->assign_entry), "error");
}

static void
sw_variables_panel_dispose (GObject *object)
{
  SwVariablesPanel *self = SW_VARIABLES_PANEL (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->doc = NULL;
  self->asking = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_VARIABLES_PANEL);

  G_OBJECT_CLASS (sw_variables_panel_parent_class)->dispose (object);
}

static void
sw_variables_panel_class_init (SwVariablesPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_variables_panel_dispose;

  signals[VARIABLE_CHANGED] =
    g_signal_new ("variable-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DOUBLE);
  signals[ASSIGN] =
    g_signal_new ("assign", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sw-variables-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, box);
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, description_label);
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, variables_list);
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, no_variables_label);
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, assign_entry);
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, assign_error);
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, explanation_expander);
  gtk_widget_class_bind_template_child (widget_class, SwVariablesPanel, explanation_label);
  gtk_widget_class_bind_template_callback (widget_class, assign_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, assign_icon_release_cb);
  gtk_widget_class_bind_template_callback (widget_class, assign_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "variablespanel");
}

static void
sw_variables_panel_init (SwVariablesPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

GtkWidget *
sw_variables_panel_new (void)
{
  return g_object_new (SW_TYPE_VARIABLES_PANEL, NULL);
}

/* TRUE when the rows shown are those of @doc's variables, in order. */
static gboolean
same_variables (SwVariablesPanel *self, SwDocument *doc)
{
  guint n = sw_document_get_n_variables (doc);

  if (n != self->rows->len)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      SwVariableInfo info;
      sw_document_get_variable (doc, i, &info);
      if (g_strcmp0 (info.name, sw_variable_row_get_name (self->rows->pdata[i])) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
set_text (GtkLabel *label, const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

void
sw_variables_panel_set_document (SwVariablesPanel *self, SwDocument *doc)
{
  g_return_if_fail (SW_IS_VARIABLES_PANEL (self));

  self->doc = doc;
  self->asking = NULL;

  if (doc == NULL || !same_variables (self, doc))
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->variables_list))) != NULL)
        gtk_list_box_remove (self->variables_list, child);
      g_ptr_array_set_size (self->rows, 0);

      for (guint i = 0; doc != NULL && i < sw_document_get_n_variables (doc); i++)
        {
          SwVariableInfo info;
          GtkWidget *row;

          sw_document_get_variable (doc, i, &info);
          row = sw_variable_row_new (&info);
          g_signal_connect_object (row, "value-changed", G_CALLBACK (row_value_changed_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (row, "text-entered", G_CALLBACK (row_text_entered_cb),
                                   self, G_CONNECT_SWAPPED);
          gtk_list_box_append (self->variables_list, row);
          g_ptr_array_add (self->rows, row);
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->variables_list), self->rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_variables_label),
                          doc != NULL && self->rows->len == 0);
  if (doc != NULL)
    {
      const char *name = sw_document_get_name (doc);
      set_text (self->title_label, name != NULL ? name : sw_document_get_display_name (doc));
      set_text (self->description_label, sw_document_get_description (doc));
      set_text (self->explanation_label, sw_document_get_explanation (doc));
      gtk_widget_set_visible (GTK_WIDGET (self->explanation_expander),
                              sw_document_get_explanation (doc) != NULL);
    }
  else
    {
      set_text (self->title_label, NULL);
      set_text (self->description_label, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->explanation_expander), FALSE);
    }
  sw_variables_panel_refresh (self);
}

void
sw_variables_panel_refresh (SwVariablesPanel *self)
{
  g_return_if_fail (SW_IS_VARIABLES_PANEL (self));

  if (self->doc == NULL)
    return;
  for (guint i = 0; i < self->rows->len; i++)
    {
      SwVariableInfo info;
      if (sw_document_get_variable (self->doc, i, &info))
        sw_variable_row_update (self->rows->pdata[i], &info);
    }
}

void
sw_variables_panel_set_result (SwVariablesPanel *self, const GError *error)
{
  g_return_if_fail (SW_IS_VARIABLES_PANEL (self));

  if (self->asking != NULL)
    {
      sw_variable_row_set_error (self->asking, error != NULL ? error->message : NULL);
      self->asking = NULL;
      return;
    }

  if (error == NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->assign_entry), "");
  gtk_label_set_label (self->assign_error, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->assign_error), error != NULL);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->assign_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->assign_entry), "error");
}

GtkWidget *
sw_variables_panel_get_scale (SwVariablesPanel *self, const char *name)
{
  g_return_val_if_fail (SW_IS_VARIABLES_PANEL (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    if (g_str_equal (sw_variable_row_get_name (self->rows->pdata[i]), name))
      return sw_variable_row_get_scale (self->rows->pdata[i]);
  return NULL;
}
