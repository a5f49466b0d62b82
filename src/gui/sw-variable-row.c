/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwVariableRow (see sw-variable-row.h).  The slider's range is the
 * variable's [min, max]; an open end is chosen around the value.  Slider
 * steps are round numbers (1, 2 or 5 times a power of ten, about a
 * fiftieth of the range) so that dragging writes values such as 37 or 0.9
 * into the document, not 37.2846.
 */
#define G_LOG_DOMAIN "Spikeworks-Variables"

#include "config.h"

#include "sw-variable-row.h"

#include <glib/gi18n.h>
#include <math.h>

struct _SwVariableRow
{
  GtkListBoxRow parent_instance;

  GtkLabel *name_label;
  GtkEntry *value_entry;
  GtkLabel *unit_label;
  GtkScale *scale;
  GtkAdjustment *adjustment;
  GtkLabel *description_label;
  GtkLabel *error_label;

  char *name;
  double value;
  gboolean updating;    /* set while the row shows a value it was given */
};

G_DEFINE_FINAL_TYPE (SwVariableRow, sw_variable_row, GTK_TYPE_LIST_BOX_ROW)

enum
{
  VALUE_CHANGED,
  TEXT_ENTERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
format_number (char *buf, gsize size, double value)
{
  /* The C locale's decimal point: what the document and its expressions
   * read back. */
  g_ascii_formatd (buf, size, "%.6g", value);
}

static void
show_value (SwVariableRow *self)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  format_number (text, sizeof text, self->value);
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->value_entry), text);
  gtk_adjustment_set_value (self->adjustment, self->value);
  self->updating = FALSE;
}

static void
scale_value_changed_cb (SwVariableRow *self, GtkRange *range)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  double value = gtk_range_get_value (range);

  if (self->updating || value == self->value)
    return;
  self->value = value;
  format_number (text, sizeof text, value);
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->value_entry), text);
  self->updating = FALSE;
  sw_variable_row_set_error (self, NULL);
  g_signal_emit (self, signals[VALUE_CHANGED], 0, value);
}

static void
entry_activate_cb (SwVariableRow *self, GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    {
      show_value (self);
      return;
    }
  g_signal_emit (self, signals[TEXT_ENTERED], 0, text);
}

static void
entry_focus_leave_cb (SwVariableRow *self)
{
  /* Text typed but not applied with Enter is dropped; the entry shows the
   * value in force again, unless it shows an error about that text. */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    show_value (self);
}

static void
sw_variable_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SW_TYPE_VARIABLE_ROW);
  G_OBJECT_CLASS (sw_variable_row_parent_class)->dispose (object);
}

static void
sw_variable_row_finalize (GObject *object)
{
  SwVariableRow *self = SW_VARIABLE_ROW (object);

  g_free (self->name);
  G_OBJECT_CLASS (sw_variable_row_parent_class)->finalize (object);
}

static void
sw_variable_row_class_init (SwVariableRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_variable_row_dispose;
  object_class->finalize = sw_variable_row_finalize;

  signals[VALUE_CHANGED] =
    g_signal_new ("value-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  signals[TEXT_ENTERED] =
    g_signal_new ("text-entered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sw-variable-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SwVariableRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, SwVariableRow, value_entry);
  gtk_widget_class_bind_template_child (widget_class, SwVariableRow, unit_label);
  gtk_widget_class_bind_template_child (widget_class, SwVariableRow, scale);
  gtk_widget_class_bind_template_child (widget_class, SwVariableRow, adjustment);
  gtk_widget_class_bind_template_child (widget_class, SwVariableRow, description_label);
  gtk_widget_class_bind_template_child (widget_class, SwVariableRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, scale_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_focus_leave_cb);
}

static void
sw_variable_row_init (SwVariableRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The slider's ends: the variable's range, or an open end chosen around
 * the value. */
static void
slider_range (const SwVariableInfo *info, double *lo, double *hi)
{
  double v = info->value;
  double span = fabs (v) > 0.0 ? fabs (v) : 1.0;

  *lo = isfinite (info->min) ? info->min : (v >= 0.0 ? 0.0 : v - 2.0 * span);
  *hi = isfinite (info->max) ? info->max : MAX (*lo, v) + 2.0 * span;
  if (!(*hi > *lo))
    *hi = *lo + 1.0;
}

/* A round step of about a fiftieth of @range: 1, 2 or 5 times a power of
 * ten; *@digits gets the decimals it needs. */
static double
round_step (double range, int *digits)
{
  double raw = range / 50.0;
  double p = pow (10.0, floor (log10 (raw)));
  double m = raw / p;
  double step = (m < 2.0 ? 1.0 : m < 5.0 ? 2.0 : 5.0) * p;

  *digits = MAX (0, (int) -floor (log10 (step) + 1e-9));
  return step;
}

static void
set_range (SwVariableRow *self, const SwVariableInfo *info)
{
  char lo_text[G_ASCII_DTOSTR_BUF_SIZE], hi_text[G_ASCII_DTOSTR_BUF_SIZE];
  double lo, hi, step;
  int digits;

  slider_range (info, &lo, &hi);
  step = round_step (hi - lo, &digits);
  self->updating = TRUE;
  gtk_adjustment_configure (self->adjustment, CLAMP (info->value, lo, hi), lo, hi,
                            step, (hi - lo) / 10.0, 0.0);
  self->updating = FALSE;
  gtk_range_set_round_digits (GTK_RANGE (self->scale), digits);
  gtk_scale_set_digits (self->scale, digits);

  gtk_scale_clear_marks (self->scale);
  format_number (lo_text, sizeof lo_text, lo);
  format_number (hi_text, sizeof hi_text, hi);
  gtk_scale_add_mark (self->scale, lo, GTK_POS_BOTTOM, lo_text);
  gtk_scale_add_mark (self->scale, hi, GTK_POS_BOTTOM, hi_text);
}

GtkWidget *
sw_variable_row_new (const SwVariableInfo *info)
{
  SwVariableRow *self;
  const char *label;

  g_return_val_if_fail (info != NULL && info->name != NULL, NULL);

  self = g_object_new (SW_TYPE_VARIABLE_ROW, NULL);
  self->name = g_strdup (info->name);
  label = info->label != NULL ? info->label : info->name;
  gtk_label_set_label (self->name_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), info->name);
  gtk_label_set_label (self->unit_label, info->unit);
  gtk_widget_set_visible (GTK_WIDGET (self->unit_label), info->unit[0] != '\0');
  gtk_label_set_label (self->description_label,
                       info->description != NULL ? info->description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), info->description != NULL);
  gtk_widget_set_name (GTK_WIDGET (self->scale), info->name);

  set_range (self, info);
  sw_variable_row_update (self, info);
  return GTK_WIDGET (self);
}

const char *
sw_variable_row_get_name (SwVariableRow *self)
{
  g_return_val_if_fail (SW_IS_VARIABLE_ROW (self), NULL);
  return self->name;
}

void
sw_variable_row_update (SwVariableRow *self, const SwVariableInfo *info)
{
  g_autofree char *entry_label = NULL;

  g_return_if_fail (SW_IS_VARIABLE_ROW (self));
  g_return_if_fail (info != NULL);

  self->value = info->value;
  /* A value outside the slider's range widens it rather than being
   * clamped away. */
  if (info->value < gtk_adjustment_get_lower (self->adjustment)
      || info->value > gtk_adjustment_get_upper (self->adjustment))
    {
      SwVariableInfo wider = *info;
      wider.min = MIN (gtk_adjustment_get_lower (self->adjustment), info->value);
      wider.max = MAX (gtk_adjustment_get_upper (self->adjustment), info->value);
      set_range (self, &wider);
    }
  show_value (self);

  /* A variable computed from others moves with them, not by hand; typing
   * a number replaces the expression. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale), info->expression == NULL);
  if (info->expression != NULL)
    {
      g_autofree char *tip = g_strdup_printf (_("Computed from %s"), info->expression);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->value_entry), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->value_entry), NULL);

  if (info->unit[0] != '\0')
    /* Translators: accessible name of a variable's entry, the variable's
     * label and its unit: "Adaptation b (pA)". */
    entry_label = g_strdup_printf (_("%s (%s)"), info->label != NULL ? info->label : info->name,
                                   info->unit);
  else
    entry_label = g_strdup (info->label != NULL ? info->label : info->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->value_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, entry_label, -1);
}

void
sw_variable_row_set_error (SwVariableRow *self, const char *message)
{
  g_return_if_fail (SW_IS_VARIABLE_ROW (self));

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->value_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->value_entry), "error");
}

GtkWidget *
sw_variable_row_get_scale (SwVariableRow *self)
{
  g_return_val_if_fail (SW_IS_VARIABLE_ROW (self), NULL);
  return GTK_WIDGET (self->scale);
}
