/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPreferencesWindow (see sw-preferences-window.h).  Every control is
 * bound to its key, so a change applies at once (the application and the
 * windows follow the keys) and there is nothing to save.
 */
#define G_LOG_DOMAIN "Spikeworks-Preferences"

#include "config.h"

#include "sw-preferences-window.h"

#include <glib/gi18n.h>

struct _SwPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow *style_row;
  GtkSwitch *auto_run_switch;
  GtkAdjustment *threads_adjustment;
  GtkAdjustment *point_size_adjustment;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (SwPreferencesWindow, sw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* 0 threads or a point size of 0 means "choose automatically": the spin
 * buttons say so. */
static gboolean
automatic_output_cb (GtkSpinButton *spin)
{
  if (gtk_spin_button_get_value (spin) != 0.0)
    return FALSE;
  /* Translators: a number of threads or a size that the program chooses. */
  gtk_editable_set_text (GTK_EDITABLE (spin), _("Automatic"));
  return TRUE;
}

static int
automatic_input_cb (GtkSpinButton *spin, double *value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end;

  if (g_str_equal (text, _("Automatic")))
    {
      *value = 0.0;
      return TRUE;
    }
  *value = g_ascii_strtod (text, &end);
  return *end == '\0' && end != text ? TRUE : GTK_INPUT_ERROR;
}

/* The combo row lists the enum's values in its order: default, light, dark. */
static gboolean
style_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);
  guint index = g_str_equal (nick, "light") ? 1 : g_str_equal (nick, "dark") ? 2 : 0;

  g_value_set_uint (value, index);
  return TRUE;
}

static GVariant *
style_set_mapping (const GValue *value, const GVariantType *type, gpointer user_data)
{
  static const char *const nicks[] = { "default", "light", "dark" };
  guint index = g_value_get_uint (value);

  return g_variant_new_string (nicks[MIN (index, G_N_ELEMENTS (nicks) - 1)]);
}

static void
sw_preferences_window_constructed (GObject *object)
{
  SwPreferencesWindow *self = SW_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (sw_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "color-scheme", self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, style_get_mapping, style_set_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "auto-run", self->auto_run_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "threads", self->threads_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "raster-point-size", self->point_size_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
sw_preferences_window_dispose (GObject *object)
{
  SwPreferencesWindow *self = SW_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sw_preferences_window_parent_class)->dispose (object);
}

static void
sw_preferences_window_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  SwPreferencesWindow *self = SW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_preferences_window_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  SwPreferencesWindow *self = SW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_preferences_window_class_init (SwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sw_preferences_window_constructed;
  object_class->dispose = sw_preferences_window_dispose;
  object_class->set_property = sw_preferences_window_set_property;
  object_class->get_property = sw_preferences_window_get_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SwPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, SwPreferencesWindow, auto_run_switch);
  gtk_widget_class_bind_template_child (widget_class, SwPreferencesWindow, threads_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SwPreferencesWindow, point_size_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, automatic_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, automatic_input_cb);
}

static void
sw_preferences_window_init (SwPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sw_preferences_window_new (GtkWindow *parent, GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SW_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}
