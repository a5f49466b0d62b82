/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwCellsWindow (see sw-cells-window.h) and sw_cells_window_present(), the
 * entry the application uses for documents of kind "cells".
 *
 * The document is touched on the main thread only: each run builds a fresh
 * simulation from it here and hands it to a SwCellsRun, whose worker
 * thread owns it from then on.  The frame clock drains the run's history:
 * the drawing follows the latest sample, the traces are rebuilt at most
 * about fifteen times a second.
 *
 * Clamps and synapses placed by a click are entries of the document's
 * "stimuli" and "synapses" (what `spikeworks-cli run` reads), so they are
 * saved with it; the markers are drawn from those entries.  Every edit (a
 * placement, a removal, a variable, a field of the selected clamp or
 * synapse) is one command of a SwHistory, the undo history the network
 * window uses: it keeps the document's text from before the edit.  A
 * click on a placement selects it: the sidebar's group of its kind then
 * shows and edits that entry instead of the settings of the next one.
 * The cells run when the window opens (the "auto-run" setting) and again
 * shortly after each edit.
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-cells-window.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sw-application.h"
#include "sw-cells-run.h"
#include "sw-document.h"
#include "sw-figure-view.h"
#include "sw-history.h"
#include "sw-kind-windows.h"
#include "sw-swc-layout.h"
#include "sw-variable-row.h"

#define MAX_SHOWN_CELLS 6
#define MAX_TRACES 8
#define MAX_SAMPLES 4000
#define TRACE_REFRESH_US 66000
/* An edit reruns the cells after this pause, so that a dragged slider
 * starts one run when it comes to rest rather than one per step. */
#define RERUN_DELAY_MS 250
/* Cells whose drawing is at least this much taller than wide go beside
 * the traces instead of above them. */
#define TALL_ASPECT 0.8

typedef struct
{
  int cell, node;
  char *label;
} Trace;

/* A clamp or synapse of the document drawn on a shown cell. */
typedef struct
{
  SwCellsClickMode kind;   /* CLAMP ("stimuli") or SYNAPSE ("synapses") */
  int cell, node;          /* shown cell and its compartment */
  gboolean inhibitory;
  guint index;             /* the entry in its array */
} Placed;

static const char *const receptor_presets[] = {
  "ampa", "nmda", "gabaa", "exp2_ampa", "exp2_nmda", "exp2_gabaa",
};

struct _SwCellsWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children. */
  AdwToastOverlay *toast_overlay;
  GtkWidget *run_button;
  GtkWidget *stop_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack *stack;
  AdwViewStackPage *cell_page;
  AdwViewStackPage *task_page;
  GtkStack *cell_stack;
  AdwStatusPage *cell_status;
  GtkLabel *description_label;
  GtkWidget *variables_group;
  GtkListBox *variables_list;
  GtkSpinButton *clamp_amp;
  GtkSpinButton *clamp_delay;
  GtkSpinButton *clamp_duration;
  GtkDropDown *synapse_type;
  GtkSpinButton *synapse_weight;
  GtkSpinButton *synapse_onset;
  AdwPreferencesGroup *clamp_group;
  AdwPreferencesGroup *synapse_group;
  GtkWidget *clamp_remove;
  GtkWidget *synapse_remove;
  GtkLabel *placed_label;
  GtkPaned *view_paned;
  GtkToggleButton *mode_trace;
  GtkToggleButton *mode_clamp;
  GtkToggleButton *mode_synapse;
  GtkLabel *time_label;
  SwMorphView *morph_view;
  GtkScale *time_scale;
  GtkAdjustment *time_adjustment;
  GtkBox *traces_box;
  SwBrcPanel *brc_panel;

  GtkWidget *trace_view;

  SwCellsDoc *doc;
  gboolean has_cells;
  gboolean has_brc;
  int shown_first[MAX_SHOWN_CELLS];   /* global index of each shown cell */
  int n_shown;
  char **shown_labels;
  double duration_ms;

  GArray *traces;     /* Trace */
  GArray *placed;     /* Placed, read from the document */
  /* The selected placement (kind TRACE: none), which the sidebar's group
   * of its kind shows and edits; the group's values for the next
   * placement wait meanwhile. */
  Placed selected;
  double next_clamp[3];      /* amplitude, delay, duration */
  guint next_receptor;
  double next_synapse[2];    /* weight, onset */
  gboolean filling;          /* the window sets the group's fields */
  gboolean editing;          /* a field of the selected entry is being written */
  char *clamp_desc, *synapse_desc;   /* the groups' descriptions without a selection */

  SwHistory *history;
  GSettings *settings;
  char *saved_json;   /* the document as last saved or opened */
  gboolean modified;
  gboolean close_after_save;
  gboolean close_confirmed;
  guint rerun_id;

  SwCellsRun *run;
  guint tick_id;
  int drawn_samples;
  gboolean follow;
  gboolean setting_cursor;
  gint64 last_trace_us;
  double seen_lo, seen_hi;   /* voltage range of the run so far, mV */
  double min_run_s;
};

G_DEFINE_FINAL_TYPE (SwCellsWindow, sw_cells_window, ADW_TYPE_APPLICATION_WINDOW)

static void
trace_clear (gpointer data)
{
  g_free (((Trace *) data)->label);
}

static void
toast (SwCellsWindow *self, const char *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* ------------------------------------------------------------------ */
/* Traces                                                              */

static SwRgba
trace_colour (int i)
{
  /* Okabe-Ito without its black, which would vanish on a hyperpolarised
   * cell, and with its yellow last, which is faint on white. */
  static const int order[] = { 1, 2, 3, 5, 6, 7, 4 };
  return sw_palette_okabe_ito ((size_t) order[i % G_N_ELEMENTS (order)]);
}

static SwFigure *
build_traces (gpointer data, const SwPlotTheme *theme)
{
  SwCellsWindow *self = data;
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);

  sw_figure_set_theme (fig, theme);
  sw_panel_set_x_label (p, _("Time"), "ms");
  sw_panel_set_y_label (p, _("Membrane voltage"), "mV");
  sw_panel_set_x_limits (p, 0, self->duration_ms > 0 ? self->duration_ms : 1);
  /* Beside a tall cell the traces are narrow: the legend goes inside. */
  sw_panel_set_legend (p, gtk_orientable_get_orientation (GTK_ORIENTABLE (self->view_paned))
                              == GTK_ORIENTATION_HORIZONTAL
                            ? SW_LEGEND_AUTO
                            : SW_LEGEND_OUTSIDE);
  if (self->traces->len == 0)
    {
      sw_panel_set_title (p, _("Click a compartment to trace its voltage"));
      sw_panel_set_y_limits (p, -90, 40);
      return fig;
    }
  sw_panel_set_title (p, _("Traced compartments"));
  for (guint i = 0; i < self->traces->len; i++)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, i);
      SwStyle style = { trace_colour ((int) i), 0, SW_DASH_AUTO, SW_MARKER_NONE, 0, FALSE };
      double *t = NULL, *v = NULL;
      int n = self->run ? sw_cells_run_get_n_samples (self->run) : 0;
      if (n > 0 && self->run->n_shown == self->n_shown)
        sw_cells_run_trace (self->run, tr->cell, tr->node, n, &t, &v);
      else
        n = 0;
      if (n == 0)
        {
          /* An entry in the legend before the run. */
          double x = NAN, y = NAN;
          sw_panel_add_line (p, &x, &y, 1, tr->label, &style, NULL);
        }
      else
        sw_panel_add_line (p, t, v, (size_t) n, tr->label, &style, NULL);
      g_free (t);
      g_free (v);
    }
  return fig;
}

static const char *string_member (JsonObject *obj, const char *name);
void sw_cells_window_run (SwCellsWindow *self);

/* Whether the "cells" of an entry include the first cell of its
 * population, the one shown: absent, "all", 0 or an array with 0. */
static gboolean
targets_first_cell (JsonNode *cells)
{
  if (cells == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (cells))
    {
      GType t = json_node_get_value_type (cells);
      if (t == G_TYPE_STRING)
        return g_str_equal (json_node_get_string (cells), "all");
      return t == G_TYPE_INT64 && json_node_get_int (cells) == 0;
    }
  if (JSON_NODE_HOLDS_ARRAY (cells))
    {
      JsonArray *a = json_node_get_array (cells);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_INT64
              && json_node_get_int (e) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* Reads the current clamps ("stimuli" of type "iclamp") and the synapses
 * driven by their own events (no "source": those are the wiring of a
 * network) of the shown cells from the document. */
static void
collect_placed (SwCellsWindow *self)
{
  static const char *const sections[] = { "stimuli", "synapses" };

  g_array_set_size (self->placed, 0);
  if (!self->has_cells)
    return;
  for (int k = 0; k < 2; k++)
    {
      JsonNode *arr = sw_cells_doc_get_section (self->doc, sections[k]);
      if (arr == NULL || !JSON_NODE_HOLDS_ARRAY (arr))
        continue;
      JsonArray *a = json_node_get_array (arr);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          if (!JSON_NODE_HOLDS_OBJECT (e))
            continue;
          JsonObject *o = json_node_get_object (e);
          const char *pop = string_member (o, "population");
          const char *site = string_member (o, "site");
          int cell = -1;
          for (int c = 0; pop != NULL && c < self->n_shown; c++)
            if (g_str_equal (self->shown_labels[c], pop))
              cell = c;
          if (cell < 0 || site == NULL
              || !targets_first_cell (json_object_get_member (o, "cells")))
            continue;
          Placed pl = { k == 0 ? SW_CELLS_CLICK_CLAMP : SW_CELLS_CLICK_SYNAPSE, cell, -1, FALSE, i };
          if (k == 0)
            {
              const char *type = string_member (o, "type");
              if (type == NULL || !g_str_equal (type, "iclamp"))
                continue;
            }
          else
            {
              const char *receptor = string_member (o, "receptor");
              if (json_object_has_member (o, "source"))
                continue;
              pl.inhibitory = receptor != NULL && strstr (receptor, "gaba") != NULL;
            }
          pl.node = sw_cable_cell_site_parse (sw_morph_view_get_cell (self->morph_view, cell),
                                              site, NULL);
          if (pl.node >= 0)
            g_array_append_val (self->placed, pl);
        }
    }
}

static void
update_marks (SwCellsWindow *self)
{
  g_autoptr (GArray) marks = g_array_new (FALSE, FALSE, sizeof (SwMorphMark));
  g_autofree char *text = NULL;
  int n_clamps = 0, n_syn = 0;

  for (guint i = 0; i < self->placed->len; i++)
    {
      const Placed *pl = &g_array_index (self->placed, Placed, i);
      SwMorphMark m = { pl->cell, pl->node, SW_MORPH_MARK_CLAMP, 0, 0, 0 };
      if (pl->kind == SW_CELLS_CLICK_SYNAPSE)
        {
          m.kind = pl->inhibitory ? SW_MORPH_MARK_INHIBITORY : SW_MORPH_MARK_EXCITATORY;
          n_syn++;
        }
      else
        n_clamps++;
      g_array_append_val (marks, m);
    }
  for (guint i = 0; i < self->traces->len; i++)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, i);
      SwRgba c = trace_colour ((int) i);
      SwMorphMark m = { tr->cell, tr->node, SW_MORPH_MARK_TRACE, c.r, c.g, c.b };
      g_array_append_val (marks, m);
    }
  sw_morph_view_set_marks (self->morph_view, (SwMorphMark *) marks->data, (int) marks->len);
  if (self->selected.kind != SW_CELLS_CLICK_TRACE)
    sw_morph_view_set_selected (self->morph_view, self->selected.cell, self->selected.node);
  else
    sw_morph_view_set_selected (self->morph_view, -1, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-placement",
                                 self->selected.kind != SW_CELLS_CLICK_TRACE);

  if (n_clamps == 0 && n_syn == 0)
    text = g_strdup (_("No clamps or synapses on the cells shown."));
  else
    {
      /* Translators: how many clamps and synapses the cells shown have. */
      g_autofree char *c = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d clamp",
                                                         "%d clamps", n_clamps), n_clamps);
      g_autofree char *s = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d synapse",
                                                         "%d synapses", n_syn), n_syn);
      /* Translators: "2 clamps and 1 synapse on the cells shown". */
      text = g_strdup_printf (_("%s and %s on the cells shown."), c, s);
    }
  gtk_label_set_text (self->placed_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-placed", self->placed->len > 0);
}

static void
update_title (SwCellsWindow *self)
{
  const char *title = sw_cells_doc_get_title (self->doc);
  g_autofree char *base = g_path_get_basename (sw_cells_doc_get_display_name (self->doc));
  g_autofree char *shown = NULL;

  /* A dot before the title marks unsaved changes, as in the network window. */
  shown = g_strconcat (self->modified ? "• " : "", *title ? title : base, NULL);
  gtk_window_set_title (GTK_WINDOW (self), shown);
  adw_view_switcher_title_set_title (self->switcher_title, shown);
  adw_view_switcher_title_set_subtitle (self->switcher_title,
                                        sw_cells_doc_get_display_name (self->doc));
}

static gboolean
rerun_cb (gpointer data)
{
  SwCellsWindow *self = data;

  self->rerun_id = 0;
  sw_cells_window_run (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_rerun (SwCellsWindow *self)
{
  if (!self->has_cells)
    return;
  g_clear_handle_id (&self->rerun_id, g_source_remove);
  self->rerun_id = g_timeout_add (RERUN_DELAY_MS, rerun_cb, self);
}

static void sync_selection (SwCellsWindow *self);

/* After every change of the document: the markers, the title, a rerun. */
static void
document_changed (SwCellsWindow *self)
{
  g_autofree char *json = sw_cells_doc_to_json (self->doc);

  self->modified = self->saved_json == NULL || !g_str_equal (json, self->saved_json);
  collect_placed (self);
  sync_selection (self);
  update_marks (self);
  update_title (self);
  schedule_rerun (self);
}

/* An edit of its own (never merged with another): @before is the document
 * from before it (taken). */
static void
edit_done (SwCellsWindow *self, const char *label, char *before)
{
  sw_history_seal (self->history);
  sw_history_push (self->history, label, label, before);
  sw_history_seal (self->history);
  document_changed (self);
}

static char *
quantity (double value, const char *unit)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("%s %s", g_ascii_formatd (num, sizeof num, "%.6g", value), unit);
}

/* The entry a click places at (@cell, @node), with the settings of the
 * sidebar; NULL for a node out of range. */
static JsonNode *
placement_entry (SwCellsWindow *self, SwCellsClickMode mode, int cell, int node)
{
  g_autofree char *site = sw_cells_site_for_node (sw_morph_view_get_cell (self->morph_view, cell),
                                                  node);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (site == NULL)
    return NULL;
  json_builder_begin_object (b);
  if (mode == SW_CELLS_CLICK_CLAMP)
    {
      g_autofree char *delay = quantity (gtk_spin_button_get_value (self->clamp_delay), "ms");
      g_autofree char *dur = quantity (gtk_spin_button_get_value (self->clamp_duration), "ms");
      g_autofree char *amp = quantity (gtk_spin_button_get_value (self->clamp_amp), "nA");
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "iclamp");
      json_builder_set_member_name (b, "population");
      json_builder_add_string_value (b, self->shown_labels[cell]);
      json_builder_set_member_name (b, "cells");
      json_builder_add_int_value (b, 0);
      json_builder_set_member_name (b, "site");
      json_builder_add_string_value (b, site);
      json_builder_set_member_name (b, "delay");
      json_builder_add_string_value (b, delay);
      json_builder_set_member_name (b, "duration");
      json_builder_add_string_value (b, dur);
      json_builder_set_member_name (b, "amplitude");
      json_builder_add_string_value (b, amp);
    }
  else
    {
      guint r = MIN (gtk_drop_down_get_selected (self->synapse_type),
                     G_N_ELEMENTS (receptor_presets) - 1);
      g_autofree char *weight = quantity (gtk_spin_button_get_value (self->synapse_weight), "uS");
      g_autofree char *onset = quantity (gtk_spin_button_get_value (self->synapse_onset), "ms");
      json_builder_set_member_name (b, "population");
      json_builder_add_string_value (b, self->shown_labels[cell]);
      json_builder_set_member_name (b, "cells");
      json_builder_add_int_value (b, 0);
      json_builder_set_member_name (b, "site");
      json_builder_add_string_value (b, site);
      json_builder_set_member_name (b, "receptor");
      json_builder_add_string_value (b, receptor_presets[r]);
      /* Kinetic receptors take a peak conductance, double exponentials a
       * weight per event (docs/swk-format.md). */
      json_builder_set_member_name (b, g_str_has_prefix (receptor_presets[r], "exp2_") ? "weight"
                                                                                   : "g_max");
      json_builder_add_string_value (b, weight);
      json_builder_set_member_name (b, "events");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, onset);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Places a clamp or synapse at (@cell, @node) with the settings of the
 * sidebar: one edit of the document, refused with a toast when the
 * document would no longer build. */
static gboolean
place_new (SwCellsWindow *self, SwCellsClickMode mode, int cell, int node, GError **error)
{
  const char *section = mode == SW_CELLS_CLICK_CLAMP ? "stimuli" : "synapses";
  g_autofree char *before = sw_cells_doc_to_json (self->doc);
  const char *label;

  /* Every compartment drawn has a site (sw_cells_site_for_node()). */
  JsonNode *entry = placement_entry (self, mode, cell, node);
  g_return_val_if_fail (entry != NULL, FALSE);
  if (sw_cells_doc_append_entry (self->doc, section, entry) < 0)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_TYPE,
                   _("“%s” of the document is not a list; nothing was placed"), section);
      return FALSE;
    }
  /* The new entry must build, as the command line would read it. */
  SwCellsBuild *build = sw_cells_doc_build (self->doc, error);
  if (build == NULL)
    {
      g_autoptr (GError) local = NULL;
      if (!sw_cells_doc_replace_data (self->doc, before, -1, &local))
        g_critical ("Cannot restore the document: %s", local->message);
      return FALSE;
    }
  sw_cells_build_free (build);
  label = mode == SW_CELLS_CLICK_CLAMP ? _("Place Clamp") : _("Place Synapse");
  edit_done (self, label, g_steal_pointer (&before));
  return TRUE;
}

static char *
node_label (SwCellsWindow *self, int cell, int node)
{
  const SwCableCell *def = sw_morph_view_get_cell (self->morph_view, cell);
  const SwCableMorph *morph = sw_cable_cell_get_morph (def);
  int sec = sw_cable_cell_node_section (def, node);

  return g_strdup_printf ("%s %s(%.3g)", self->shown_labels[cell],
                          sw_cable_morph_section_name (morph, sec),
                          sw_cable_cell_node_x (def, node));
}

/* The compartments of the document's voltage probes on the shown cells
 * are traced from the start, so that the first run shows traces. */
static void
trace_probes (SwCellsWindow *self)
{
  JsonNode *arr = sw_cells_doc_get_section (self->doc, "probes");

  if (arr == NULL || !JSON_NODE_HOLDS_ARRAY (arr))
    return;
  JsonArray *a = json_node_get_array (arr);
  for (guint i = 0; i < json_array_get_length (a) && self->traces->len < MAX_TRACES; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        continue;
      JsonObject *o = json_node_get_object (e);
      const char *pop = string_member (o, "population");
      const char *site = string_member (o, "site");
      const char *what = string_member (o, "what");
      int cell = -1;
      for (int c = 0; pop != NULL && c < self->n_shown; c++)
        if (g_str_equal (self->shown_labels[c], pop))
          cell = c;
      if (cell < 0 || site == NULL || (what != NULL && !g_str_equal (what, "v"))
          || !targets_first_cell (json_object_get_member (o, "cell")))
        continue;
      const SwCableCell *def = sw_morph_view_get_cell (self->morph_view, cell);
      int node = sw_cable_cell_site_parse (def, site, NULL);
      gboolean seen = FALSE;
      /* Only compartments that are drawn (not the zero-area junctions). */
      if (node < 0 || sw_cable_cell_node_area (def, node) <= 0.0)
        continue;
      for (guint k = 0; k < self->traces->len; k++)
        {
          const Trace *tr = &g_array_index (self->traces, Trace, k);
          seen = seen || (tr->cell == cell && tr->node == node);
        }
      if (seen)
        continue;
      Trace tr = { cell, node, node_label (self, cell, node) };
      g_array_append_val (self->traces, tr);
    }
}

/* Without voltage probes, the middle of the first cell's root section (its
 * soma, as a rule) is traced. */
static void
trace_root (SwCellsWindow *self)
{
  const SwCableCell *def;
  int node;

  if (self->traces->len > 0 || self->n_shown == 0)
    return;
  def = sw_morph_view_get_cell (self->morph_view, 0);
  node = sw_cable_cell_site (def, 0, 0.5);
  if (node >= 0 && sw_cable_cell_node_area (def, node) > 0.0)
    {
      Trace tr = { 0, node, node_label (self, 0, node) };
      g_array_append_val (self->traces, tr);
    }
}

/* ------------------------------------------------------------------ */
/* The selected clamp or synapse                                       */

static const char *
section_of (SwCellsClickMode kind)
{
  return kind == SW_CELLS_CLICK_CLAMP ? "stimuli" : "synapses";
}

/* Entry @index of the array of @kind in the document; NULL when there is
 * none or it is not an object. */
static JsonObject *
entry_object (SwCellsWindow *self, SwCellsClickMode kind, guint index)
{
  JsonNode *arr = sw_cells_doc_get_section (self->doc, section_of (kind));

  if (arr == NULL || !JSON_NODE_HOLDS_ARRAY (arr))
    return NULL;
  JsonArray *a = json_node_get_array (arr);
  if (index >= json_array_get_length (a))
    return NULL;
  JsonNode *e = json_array_get_element (a, index);
  return JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
}

/* Makes @widget editable or not, with @tip (NULL: none) on it and on its
 * row, where the tooltip shows while the field is insensitive. */
static void
set_field_state (GtkWidget *widget, gboolean editable, const char *tip)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

  gtk_widget_set_sensitive (widget, editable);
  gtk_widget_set_tooltip_text (widget, tip);
  if (row != NULL)
    gtk_widget_set_tooltip_text (row, tip);
}

/* Shows field @node of the selected entry, in @unit, in @spin.  A field
 * that uses variables (the step of brc-cell, "I") follows them: its value
 * is shown, but it is changed through the variable, not here; so is a
 * field that is absent or does not evaluate. */
static void
show_field (SwCellsWindow *self, GtkSpinButton *spin, JsonNode *node, const char *unit,
            const char *path)
{
  g_autofree char *tip = NULL;
  double value;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      SwExpr *expr = sw_expr_parse (json_node_get_string (node), NULL);
      if (expr != NULL && sw_expr_get_variables (expr)->len > 0)
        /* Translators: %s is the expression a clamp's or synapse's value
         * is given by in the document, e.g. "I". */
        tip = g_strdup_printf (_("Follows “%s”: change it under Variables"),
                               json_node_get_string (node));
      g_clear_pointer (&expr, sw_expr_free);
    }
  if (node != NULL && sw_cells_doc_eval (self->doc, node, unit, path, &value, NULL))
    gtk_spin_button_set_value (spin, value);
  else if (tip == NULL)
    tip = g_strdup (_("The document gives this value in a form that only the file can change"));
  set_field_state (GTK_WIDGET (spin), tip == NULL, tip);
}

/* The group of the selected entry shows that entry. */
static void
fill_selected (SwCellsWindow *self)
{
  const Placed *sel = &self->selected;
  JsonObject *o = entry_object (self, sel->kind, sel->index);
  g_autofree char *where = NULL;
  g_autofree char *desc = NULL;

  if (o == NULL)
    return;
  where = node_label (self, sel->cell, sel->node);
  self->filling = TRUE;
  if (sel->kind == SW_CELLS_CLICK_CLAMP)
    {
      show_field (self, self->clamp_amp, json_object_get_member (o, "amplitude"), "nA",
                  "amplitude");
      show_field (self, self->clamp_delay, json_object_get_member (o, "delay"), "ms", "delay");
      show_field (self, self->clamp_duration, json_object_get_member (o, "duration"), "ms",
                  "duration");
      /* Translators: %s names the compartment, e.g. "cell soma(0.5)". */
      desc = g_strdup_printf (_("The clamp at %s: a change edits it. Escape or a click beside "
                                "the cells leaves it."),
                              where);
      adw_preferences_group_set_description (self->clamp_group, desc);
      gtk_widget_set_visible (self->clamp_remove, TRUE);
    }
  else
    {
      const char *rec = string_member (o, "receptor");
      JsonNode *w = json_object_get_member (o, "weight");
      JsonNode *events = json_object_get_member (o, "events");
      JsonNode *onset = NULL;
      int r = -1;
      for (guint i = 0; rec != NULL && i < G_N_ELEMENTS (receptor_presets); i++)
        if (g_str_equal (rec, receptor_presets[i]))
          r = (int) i;
      if (r >= 0)
        gtk_drop_down_set_selected (self->synapse_type, (guint) r);
      set_field_state (GTK_WIDGET (self->synapse_type), r >= 0,
                       r >= 0 ? NULL
                              : _("The document gives a receptor of its own, which only the "
                                  "file can change"));
      if (w == NULL)
        w = json_object_get_member (o, "g_max");
      show_field (self, self->synapse_weight, w, "uS", "weight");
      /* One event, as placed: its time is the onset. */
      if (events != NULL && JSON_NODE_HOLDS_ARRAY (events)
          && json_array_get_length (json_node_get_array (events)) == 1)
        onset = json_array_get_element (json_node_get_array (events), 0);
      show_field (self, self->synapse_onset, onset, "ms", "events");
      /* Translators: %s names the compartment, e.g. "cell dend3(0.875)". */
      desc = g_strdup_printf (_("The synapse at %s: a change edits it. Escape or a click beside "
                                "the cells leaves it."),
                              where);
      adw_preferences_group_set_description (self->synapse_group, desc);
      gtk_widget_set_visible (self->synapse_remove, TRUE);
    }
  self->filling = FALSE;
}

/* The group of @kind shows the settings of the next placement again. */
static void
restore_group (SwCellsWindow *self, SwCellsClickMode kind)
{
  self->filling = TRUE;
  if (kind == SW_CELLS_CLICK_CLAMP)
    {
      GtkSpinButton *spins[] = { self->clamp_amp, self->clamp_delay, self->clamp_duration };
      for (int i = 0; i < 3; i++)
        {
          gtk_spin_button_set_value (spins[i], self->next_clamp[i]);
          set_field_state (GTK_WIDGET (spins[i]), TRUE, NULL);
        }
      adw_preferences_group_set_description (self->clamp_group, self->clamp_desc);
      gtk_widget_set_visible (self->clamp_remove, FALSE);
    }
  else
    {
      gtk_drop_down_set_selected (self->synapse_type, self->next_receptor);
      gtk_spin_button_set_value (self->synapse_weight, self->next_synapse[0]);
      gtk_spin_button_set_value (self->synapse_onset, self->next_synapse[1]);
      set_field_state (GTK_WIDGET (self->synapse_type), TRUE, NULL);
      set_field_state (GTK_WIDGET (self->synapse_weight), TRUE, NULL);
      set_field_state (GTK_WIDGET (self->synapse_onset), TRUE, NULL);
      adw_preferences_group_set_description (self->synapse_group, self->synapse_desc);
      gtk_widget_set_visible (self->synapse_remove, FALSE);
    }
  self->filling = FALSE;
}

static void
deselect (SwCellsWindow *self)
{
  if (self->selected.kind == SW_CELLS_CLICK_TRACE)
    return;
  restore_group (self, self->selected.kind);
  self->selected.kind = SW_CELLS_CLICK_TRACE;
  /* Edits of another selection do not merge with these. */
  sw_history_seal (self->history);
  update_marks (self);
}

static void
select_placed (SwCellsWindow *self, const Placed *pl)
{
  const Placed *sel = &self->selected;

  if (sel->kind == pl->kind && sel->index == pl->index && sel->cell == pl->cell
      && sel->node == pl->node)
    return;
  if (sel->kind == SW_CELLS_CLICK_TRACE)
    {
      /* The settings of the next placement wait. */
      self->next_clamp[0] = gtk_spin_button_get_value (self->clamp_amp);
      self->next_clamp[1] = gtk_spin_button_get_value (self->clamp_delay);
      self->next_clamp[2] = gtk_spin_button_get_value (self->clamp_duration);
      self->next_receptor = gtk_drop_down_get_selected (self->synapse_type);
      self->next_synapse[0] = gtk_spin_button_get_value (self->synapse_weight);
      self->next_synapse[1] = gtk_spin_button_get_value (self->synapse_onset);
    }
  else if (sel->kind != pl->kind)
    restore_group (self, sel->kind);
  sw_history_seal (self->history);
  self->selected = *pl;
  fill_selected (self);
  update_marks (self);
}

/* After the placements were read again (an edit, an undo): the selection
 * follows its entry, or ends when it is gone; its group shows the entry
 * as it is now. */
static void
sync_selection (SwCellsWindow *self)
{
  Placed *sel = &self->selected;
  const Placed *found = NULL;

  if (sel->kind == SW_CELLS_CLICK_TRACE)
    return;
  for (guint i = 0; i < self->placed->len && found == NULL; i++)
    {
      const Placed *pl = &g_array_index (self->placed, Placed, i);
      if (pl->kind == sel->kind && pl->index == sel->index && pl->cell == sel->cell
          && pl->node == sel->node)
        found = pl;
    }
  for (guint i = 0; i < self->placed->len && found == NULL; i++)
    {
      const Placed *pl = &g_array_index (self->placed, Placed, i);
      if (pl->kind == sel->kind && pl->cell == sel->cell && pl->node == sel->node)
        found = pl;
    }
  if (found == NULL)
    {
      deselect (self);
      return;
    }
  *sel = *found;
  if (!self->editing)
    fill_selected (self);
}

/* Writes @value (taken) as member @member of the selected entry: an edit
 * of the document, merged with the edits of the same field that follow
 * within a second (a spin button held down undoes in one step). */
static void
edit_selected (SwCellsWindow *self, const char *member, JsonNode *value, const char *label)
{
  JsonObject *o = entry_object (self, self->selected.kind, self->selected.index);
  g_autofree char *key = NULL;
  char *before = NULL;

  if (o == NULL)
    {
      json_node_unref (value);
      return;
    }
  key = g_strdup_printf ("%s/%u/%s", section_of (self->selected.kind), self->selected.index,
                         member);
  if (!sw_history_would_merge (self->history, key))
    before = sw_cells_doc_to_json (self->doc);
  json_object_set_member (o, member, value);
  sw_history_push (self->history, key, label, before);
  self->editing = TRUE;
  document_changed (self);
  self->editing = FALSE;
}

static JsonNode *
quantity_node (double value, const char *unit)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = quantity (value, unit);

  json_node_set_string (n, text);
  return n;
}

static void
clamp_changed_cb (GtkSpinButton *spin, SwCellsWindow *self)
{
  double v = gtk_spin_button_get_value (spin);

  if (self->filling || self->selected.kind != SW_CELLS_CLICK_CLAMP)
    return;
  /* A field that follows a variable is not written (through the API
   * either): it shows the entry's value again. */
  if (!gtk_widget_get_sensitive (GTK_WIDGET (spin)))
    {
      fill_selected (self);
      return;
    }
  if (spin == self->clamp_amp)
    edit_selected (self, "amplitude", quantity_node (v, "nA"), _("Clamp Amplitude"));
  else if (spin == self->clamp_delay)
    edit_selected (self, "delay", quantity_node (v, "ms"), _("Clamp Delay"));
  else
    edit_selected (self, "duration", quantity_node (v, "ms"), _("Clamp Duration"));
}

static void
synapse_changed_cb (GtkSpinButton *spin, SwCellsWindow *self)
{
  double v = gtk_spin_button_get_value (spin);
  JsonObject *o = entry_object (self, self->selected.kind, self->selected.index);

  if (self->filling || self->selected.kind != SW_CELLS_CLICK_SYNAPSE || o == NULL)
    return;
  if (!gtk_widget_get_sensitive (GTK_WIDGET (spin)))
    {
      fill_selected (self);
      return;
    }
  if (spin == self->synapse_weight)
    {
      /* The member the entry has: "weight" or, kinetic, "g_max". */
      const char *member = json_object_has_member (o, "weight") || !json_object_has_member (o, "g_max")
                             ? "weight"
                             : "g_max";
      edit_selected (self, member, quantity_node (v, "uS"), _("Synapse Weight"));
    }
  else
    {
      JsonArray *events = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      json_array_add_element (events, quantity_node (v, "ms"));
      json_node_take_array (node, events);
      edit_selected (self, "events", node, _("Synapse Onset"));
    }
}

static void
receptor_changed_cb (SwCellsWindow *self)
{
  guint r = gtk_drop_down_get_selected (self->synapse_type);
  JsonObject *o = entry_object (self, self->selected.kind, self->selected.index);

  if (self->filling || self->selected.kind != SW_CELLS_CLICK_SYNAPSE || o == NULL
      || r >= G_N_ELEMENTS (receptor_presets))
    return;
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->synapse_type)))
    {
      fill_selected (self);
      return;
    }
  /* A kinetic receptor takes "g_max", a double exponential "weight": the
   * value moves with the change, one step with it. */
  const char *want = g_str_has_prefix (receptor_presets[r], "exp2_") ? "weight" : "g_max";
  const char *other = g_str_equal (want, "weight") ? "g_max" : "weight";
  g_autofree char *key = g_strdup_printf ("synapses/%u/receptor", self->selected.index);
  char *before = sw_cells_doc_to_json (self->doc);
  if (json_object_has_member (o, other) && !json_object_has_member (o, want))
    {
      JsonNode *w = json_node_copy (json_object_get_member (o, other));
      json_object_remove_member (o, other);
      json_object_set_member (o, want, w);
    }
  json_object_set_string_member (o, "receptor", receptor_presets[r]);
  sw_history_seal (self->history);
  sw_history_push (self->history, key, _("Synapse Receptor"), before);
  sw_history_seal (self->history);
  self->editing = TRUE;
  document_changed (self);
  self->editing = FALSE;
}

static void
background_activated_cb (SwCellsWindow *self)
{
  deselect (self);
}

static void
mode_toggled_cb (GtkToggleButton *button, SwCellsWindow *self)
{
  SwCellsClickMode mode = button == self->mode_clamp     ? SW_CELLS_CLICK_CLAMP
                          : button == self->mode_synapse ? SW_CELLS_CLICK_SYNAPSE
                                                         : SW_CELLS_CLICK_TRACE;

  /* The selection lasts while clicks place its kind. */
  if (gtk_toggle_button_get_active (button) && mode != self->selected.kind)
    deselect (self);
}

static void
node_activated_cb (SwCellsWindow *self, int cell, int node)
{
  SwCellsClickMode mode = gtk_toggle_button_get_active (self->mode_clamp)     ? SW_CELLS_CLICK_CLAMP
                          : gtk_toggle_button_get_active (self->mode_synapse) ? SW_CELLS_CLICK_SYNAPSE
                                                                              : SW_CELLS_CLICK_TRACE;

  if (mode != SW_CELLS_CLICK_TRACE)
    {
      g_autoptr (GError) error = NULL;
      /* A click on a placement of the mode's kind selects it; elsewhere
       * it places a new one with the settings of the next placement. */
      for (guint i = self->placed->len; i-- > 0;)
        {
          const Placed *pl = &g_array_index (self->placed, Placed, i);
          if (pl->cell == cell && pl->node == node && pl->kind == mode)
            {
              select_placed (self, pl);
              return;
            }
        }
      deselect (self);
      if (!place_new (self, mode, cell, node, &error))
        toast (self, error->message);
      return;
    }
  for (guint i = 0; i < self->traces->len; i++)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, i);
      if (tr->cell == cell && tr->node == node)
        {
          g_array_remove_index (self->traces, i);
          goto done;
        }
    }
  if (self->traces->len >= MAX_TRACES)
    {
      toast (self, _("Eight traces at most: click a traced compartment to remove its trace."));
      return;
    }
  Trace tr = { cell, node, node_label (self, cell, node) };
  g_array_append_val (self->traces, tr);
done:
  update_marks (self);
  sw_figure_view_invalidate (SW_FIGURE_VIEW (self->trace_view));
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

static void
update_actions (SwCellsWindow *self)
{
  gboolean running = self->run != NULL && sw_cells_run_get_state (self->run) == SW_CELLS_RUN_RUNNING;
  gboolean has_run = self->run != NULL && sw_cells_run_get_n_samples (self->run) > 0;

  gboolean task_busy = sw_brc_panel_is_running (self->brc_panel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run",
                                 (self->has_cells && !running) || (self->has_brc && !task_busy));
  /* Stop (and Escape) also cancel the Memory Task's run or search. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running || task_busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-morphology", self->has_cells);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-traces", self->has_cells);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-csv",
                                 has_run && self->traces->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->time_scale), has_run && !running);
}

/* Shows sample @k of the run in the drawing. */
static void
show_sample (SwCellsWindow *self, int k)
{
  SwCellsRun *run = self->run;
  char buf[64];

  if (run == NULL || run->n_shown != self->n_shown)
    return;
  k = CLAMP (k, 0, sw_cells_run_get_n_samples (run) - 1);
  if (k < 0)
    return;
  double t = MIN (k * run->sample_ms, run->duration_ms);
  sw_morph_view_set_voltages (self->morph_view, run->history + (size_t) k * run->n_columns, t);
  /* Translators: the simulated time shown, and the whole run's length. */
  g_snprintf (buf, sizeof buf, _("%.1f of %.0f ms"), t, run->duration_ms);
  gtk_label_set_text (self->time_label, buf);
  self->setting_cursor = TRUE;
  gtk_adjustment_set_upper (self->time_adjustment, MAX (run->duration_ms, 1e-3));
  gtk_adjustment_set_value (self->time_adjustment, t);
  self->setting_cursor = FALSE;
}

/* Widens the colour scale to the voltages of samples @from .. @to - 1: the
 * range seen so far rounded out to 10 mV (at least 10 mV wide), so that a
 * passive cable's few millivolts show as well as a spike's hundred.  It
 * only grows during a run, so colours do not shift under the eye. */
static void
update_range (SwCellsWindow *self, int from, int to)
{
  SwCellsRun *run = self->run;

  for (int k = from; k < to; k++)
    {
      const float *row = run->history + (size_t) k * run->n_columns;
      for (int j = 0; j < run->n_columns; j++)
        if (isfinite (row[j]))
          {
            self->seen_lo = MIN (self->seen_lo, row[j]);
            self->seen_hi = MAX (self->seen_hi, row[j]);
          }
    }
  if (!(self->seen_hi >= self->seen_lo))
    return;
  double lo = floor (self->seen_lo / 10.0) * 10.0, hi = ceil (self->seen_hi / 10.0) * 10.0;
  if (hi - lo < 10.0)
    hi = lo + 10.0;
  sw_morph_view_set_range (self->morph_view, lo, hi);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (widget);
  SwCellsRun *run = self->run;

  if (run == NULL)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  /* Read the state before the count: every sample of a finished run is
   * then seen. */
  SwCellsRunState state = sw_cells_run_get_state (run);
  int n = sw_cells_run_get_n_samples (run);
  gint64 now = g_get_monotonic_time ();

  if (n > self->drawn_samples)
    {
      update_range (self, self->drawn_samples, n);
      self->drawn_samples = n;
      show_sample (self, n - 1);
      if (now - self->last_trace_us > TRACE_REFRESH_US || state != SW_CELLS_RUN_RUNNING)
        {
          self->last_trace_us = now;
          sw_figure_view_invalidate (SW_FIGURE_VIEW (self->trace_view));
        }
    }
  if (state == SW_CELLS_RUN_RUNNING)
    return G_SOURCE_CONTINUE;

  sw_figure_view_invalidate (SW_FIGURE_VIEW (self->trace_view));
  if (state == SW_CELLS_RUN_FAILED)
    {
      g_autofree char *text = g_strdup_printf (_("The run failed: %s"), run->error);
      toast (self, text);
    }
  self->tick_id = 0;
  update_actions (self);
  return G_SOURCE_REMOVE;
}

static void
show_cells (SwCellsWindow *self, SwCellsBuild *build)
{
  const SwCableCell *defs[MAX_SHOWN_CELLS];

  g_clear_pointer (&self->shown_labels, g_strfreev);
  self->n_shown = MIN ((int) build->pops->len, MAX_SHOWN_CELLS);
  self->shown_labels = g_new0 (char *, self->n_shown + 1);
  for (int i = 0; i < self->n_shown; i++)
    {
      const SwCellsPop *pop = build->pops->pdata[i];
      self->shown_first[i] = pop->first;
      defs[i] = sw_cable_sim_cell_def (build->sim, pop->first);
      self->shown_labels[i] = g_strdup (pop->name);
    }
  sw_morph_view_set_cells (self->morph_view, defs, (const char *const *) self->shown_labels,
                           self->n_shown);
  self->duration_ms = build->duration_ms;

  /* Cells traced in an SWC file are drawn where they were traced. */
  JsonNode *cells = sw_cells_doc_get_section (self->doc, "cells");
  for (int i = 0; cells != NULL && JSON_NODE_HOLDS_OBJECT (cells) && i < self->n_shown; i++)
    {
      const SwCellsPop *pop = build->pops->pdata[i];
      JsonNode *def = json_object_get_member (json_node_get_object (cells), pop->cell);
      const char *file = def && JSON_NODE_HOLDS_OBJECT (def)
                           ? string_member (json_node_get_object (def), "swc") : NULL;
      if (file == NULL)
        continue;
      const char *doc_path = sw_cells_doc_get_path (self->doc);
      g_autofree char *dir = doc_path ? g_path_get_dirname (doc_path) : g_get_current_dir ();
      g_autofree char *full = g_path_is_absolute (file) ? g_strdup (file)
                                                        : g_build_filename (dir, file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) lines =
        sw_swc_layout_load (full, sw_cable_cell_get_morph (defs[i]), &error);
      if (lines != NULL)
        sw_morph_view_set_cell_layout (self->morph_view, i, lines);
      else
        g_debug ("%s: drawn by the planar layout: %s", full, error->message);
    }
}

/* Whether @build has the cells shown (same populations and node counts). */
static gboolean
same_cells (SwCellsWindow *self, SwCellsBuild *build)
{
  if ((int) MIN (build->pops->len, MAX_SHOWN_CELLS) != self->n_shown)
    return FALSE;
  for (int i = 0; i < self->n_shown; i++)
    {
      const SwCellsPop *pop = build->pops->pdata[i];
      if (pop->first != self->shown_first[i]
          || sw_cable_cell_n_nodes (sw_cable_sim_cell_def (build->sim, pop->first))
               != sw_cable_cell_n_nodes (sw_morph_view_get_cell (self->morph_view, i)))
        return FALSE;
    }
  return TRUE;
}

void
sw_cells_window_run (SwCellsWindow *self)
{
  g_autoptr (GError) error = NULL;
  SwCellsBuild *build;

  g_return_if_fail (SW_IS_CELLS_WINDOW (self));
  g_clear_handle_id (&self->rerun_id, g_source_remove);
  if (!self->has_cells)
    return;
  build = sw_cells_doc_build (self->doc, &error);
  if (build == NULL)
    {
      toast (self, error->message);
      return;
    }
  if (!same_cells (self, build))
    {
      /* The variables changed the cells: the traced compartments no
       * longer point anywhere; the placed ones are read again. */
      g_array_set_size (self->traces, 0);
      show_cells (self, build);
      collect_placed (self);
      sync_selection (self);
      update_marks (self);
    }
  self->duration_ms = build->duration_ms;
  /* A run in progress gives way to the new one. */
  g_clear_pointer (&self->run, sw_cells_run_free);
  self->drawn_samples = 0;
  self->last_trace_us = 0;
  self->seen_lo = INFINITY;
  self->seen_hi = -INFINITY;
  self->run = sw_cells_run_start (build, self->shown_first, self->n_shown, MAX_SAMPLES,
                                  self->min_run_s);
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  update_actions (self);
}

void
sw_cells_window_stop (SwCellsWindow *self)
{
  g_return_if_fail (SW_IS_CELLS_WINDOW (self));
  if (self->run != NULL)
    sw_cells_run_cancel (self->run);
  sw_brc_panel_cancel (self->brc_panel);
}

gboolean
sw_cells_window_is_running (SwCellsWindow *self)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  return self->tick_id != 0
         || (self->run != NULL && sw_cells_run_get_state (self->run) == SW_CELLS_RUN_RUNNING);
}

int
sw_cells_window_get_n_samples (SwCellsWindow *self)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), 0);
  return self->run ? sw_cells_run_get_n_samples (self->run) : 0;
}

static void
time_changed_cb (SwCellsWindow *self)
{
  if (self->setting_cursor || self->run == NULL)
    return;
  show_sample (self, (int) llround (gtk_adjustment_get_value (self->time_adjustment)
                                    / self->run->sample_ms));
}

/* ------------------------------------------------------------------ */
/* Variables                                                           */

/* The number @name of @obj, @fallback when it is absent or not a number
 * (the document layer has checked the variables already). */
static double
number_member (JsonObject *obj, const char *name, double fallback)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  GType t = json_node_get_value_type (n);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE ? json_node_get_double (n) : fallback;
}

static const char *
string_member (JsonObject *obj, const char *name)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
variable_info (SwCellsWindow *self, const char *name, SwVariableInfo *info)
{
  JsonNode *vars = sw_cells_doc_get_section (self->doc, "variables");
  JsonObject *v;

  if (vars == NULL || !JSON_NODE_HOLDS_OBJECT (vars))
    return FALSE;
  JsonNode *node = json_object_get_member (json_node_get_object (vars), name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  v = json_node_get_object (node);
  memset (info, 0, sizeof *info);
  info->name = name;
  info->unit = string_member (v, "unit");
  if (info->unit == NULL)
    info->unit = "";
  info->min = number_member (v, "min", -INFINITY);
  info->max = number_member (v, "max", INFINITY);
  info->label = string_member (v, "label");
  info->description = string_member (v, "description");
  if (!sw_scope_lookup_in_unit (sw_cells_doc_get_scope (self->doc), name, &info->value, NULL))
    info->value = NAN;
  return TRUE;
}

static void
variables_changed (SwCellsWindow *self)
{
  SwBrcParams params;
  g_autoptr (GError) error = NULL;

  if (sw_cells_doc_get_section (self->doc, "brc") == NULL)
    return;
  if (sw_brc_task_read_params (self->doc, &params, &error))
    sw_brc_panel_set_params (self->brc_panel, &params);
  else
    toast (self, error->message);
}

/* Sets a variable from its row: an edit of the document, merged with the
 * edits of the same variable that follow within a second (a dragged
 * slider undoes in one step) unless @sealed. */
static void
set_variable (SwCellsWindow *self, SwVariableRow *row, const char *text, gboolean sealed)
{
  const char *name = sw_variable_row_get_name (row);
  g_autofree char *assignment = g_strdup_printf ("%s=%s", name, text);
  g_autofree char *before = sw_cells_doc_to_json (self->doc);
  g_autoptr (GError) error = NULL;

  /* A refused value leaves the document as it was. */
  if (!sw_cells_doc_set (self->doc, assignment, &error))
    {
      sw_variable_row_set_error (row, error->message);
      return;
    }
  sw_variable_row_set_error (row, NULL);
  if (sealed)
    sw_history_seal (self->history);
  sw_history_push (self->history, name, name, g_steal_pointer (&before));
  if (sealed)
    sw_history_seal (self->history);
  variables_changed (self);
  document_changed (self);
}

static void
row_value_changed_cb (SwVariableRow *row, double value, SwCellsWindow *self)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];

  set_variable (self, row, g_ascii_dtostr (num, sizeof num, value), FALSE);
}

static void
row_text_entered_cb (SwVariableRow *row, const char *text, SwCellsWindow *self)
{
  SwVariableInfo info;

  set_variable (self, row, text, TRUE);
  if (variable_info (self, sw_variable_row_get_name (row), &info))
    sw_variable_row_update (row, &info);
}

/* The rows show the values of the document (after an undo). */
static void
refresh_variables (SwCellsWindow *self)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->variables_list)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    {
      SwVariableInfo info;
      if (SW_IS_VARIABLE_ROW (w)
          && variable_info (self, sw_variable_row_get_name (SW_VARIABLE_ROW (w)), &info))
        {
          sw_variable_row_update (SW_VARIABLE_ROW (w), &info);
          sw_variable_row_set_error (SW_VARIABLE_ROW (w), NULL);
        }
    }
}

static void
fill_variables (SwCellsWindow *self)
{
  JsonNode *vars = sw_cells_doc_get_section (self->doc, "variables");

  if (vars == NULL || !JSON_NODE_HOLDS_OBJECT (vars))
    {
      gtk_widget_set_visible (self->variables_group, FALSE);
      return;
    }
  g_autoptr (GList) names = json_object_get_members (json_node_get_object (vars));
  for (GList *l = names; l != NULL; l = l->next)
    {
      SwVariableInfo info;
      if (!variable_info (self, l->data, &info))
        continue;
      GtkWidget *row = sw_variable_row_new (&info);
      g_signal_connect (row, "value-changed", G_CALLBACK (row_value_changed_cb), self);
      g_signal_connect (row, "text-entered", G_CALLBACK (row_text_entered_cb), self);
      gtk_list_box_append (self->variables_list, row);
    }
  gtk_widget_set_visible (self->variables_group, names != NULL);
}

/* ------------------------------------------------------------------ */
/* Exports                                                             */

gboolean
sw_cells_window_export_morphology (SwCellsWindow *self, const char *path, GError **error)
{
  int w = MAX (gtk_widget_get_width (GTK_WIDGET (self->morph_view)), 800);
  int h = MAX (gtk_widget_get_height (GTK_WIDGET (self->morph_view)), 560);

  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  return sw_morph_view_export (self->morph_view, path, w, h, error);
}

gboolean
sw_cells_window_export_traces (SwCellsWindow *self, const char *path, GError **error)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  return sw_figure_view_export (SW_FIGURE_VIEW (self->trace_view), path, 900, 420, error);
}

gboolean
sw_cells_window_export_csv (SwCellsWindow *self, const char *path, GError **error)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  int n = self->run ? sw_cells_run_get_n_samples (self->run) : 0;
  if (n == 0 || self->traces->len == 0 || self->run->n_shown != self->n_shown)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: there are no traces to write; run the cells and click a compartment"),
                   path);
      return FALSE;
    }
  g_autoptr (GString) s = g_string_new ("t_ms");
  g_autoptr (GPtrArray) cols = g_ptr_array_new_with_free_func (g_free);
  double *t = NULL;
  for (guint i = 0; i < self->traces->len; i++)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, i);
      double *tt, *v;
      g_autofree char *quoted = NULL;
      sw_cells_run_trace (self->run, tr->cell, tr->node, n, &tt, &v);
      if (t == NULL)
        t = tt;
      else
        g_free (tt);
      g_ptr_array_add (cols, v);
      /* Labels hold no commas or quotes, but a cell name might. */
      if (strpbrk (tr->label, ",\"") != NULL)
        {
          g_autofree char *esc = NULL;
          GString *q = g_string_new (tr->label);
          g_string_replace (q, "\"", "\"\"", 0);
          esc = g_string_free (q, FALSE);
          quoted = g_strdup_printf ("\"%s_mV\"", esc);
        }
      else
        quoted = g_strdup_printf ("%s_mV", tr->label);
      g_string_append_printf (s, ",%s", quoted);
    }
  g_string_append_c (s, '\n');
  for (int k = 0; k < n; k++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", t[k]));
      for (guint i = 0; i < cols->len; i++)
        {
          g_string_append_c (s, ',');
          g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g",
                                               ((double *) cols->pdata[i])[k]));
        }
      g_string_append_c (s, '\n');
    }
  g_free (t);
  return g_file_set_contents (path, s->str, (gssize) s->len, error);
}

typedef enum
{
  EXPORT_MORPHOLOGY,
  EXPORT_TRACES,
  EXPORT_CSV,
} ExportKind;

static void
export_response_cb (GtkNativeDialog *dialog, int response, SwCellsWindow *self)
{
  ExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "export-kind"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      gboolean ok = kind == EXPORT_MORPHOLOGY ? sw_cells_window_export_morphology (self, path, &error)
                    : kind == EXPORT_TRACES   ? sw_cells_window_export_traces (self, path, &error)
                                              : sw_cells_window_export_csv (self, path, &error);
      if (!ok)
        toast (self, error->message);
      else
        {
          g_autofree char *base = g_file_get_basename (file);
          g_autofree char *text = g_strdup_printf (_("Saved %s"), base);
          toast (self, text);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_with_dialog (SwCellsWindow *self, ExportKind kind)
{
  GtkFileChooserNative *dialog;
  const char *names[] = { "morphology.png", "traces.png", "traces.csv" };

  dialog = gtk_file_chooser_native_new (kind == EXPORT_CSV ? _("Export Traces as CSV")
                                        : kind == EXPORT_TRACES ? _("Export Traces")
                                                                : _("Export Morphology"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), names[kind]);
  g_object_set_data (G_OBJECT (dialog), "export-kind", GINT_TO_POINTER (kind));
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static void
run_action (GtkWidget *widget, const char *name, GVariant *param)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (widget);

  if (adw_view_stack_get_visible_child (self->stack) == GTK_WIDGET (self->brc_panel))
    sw_brc_panel_run (self->brc_panel);
  else
    sw_cells_window_run (self);
}

static void
stop_action (GtkWidget *widget, const char *name, GVariant *param)
{
  sw_cells_window_stop (SW_CELLS_WINDOW (widget));
}

static void
clear_placed_action (GtkWidget *widget, const char *name, GVariant *param)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (widget);
  g_autofree char *before = NULL;

  if (self->placed->len == 0)
    return;
  before = sw_cells_doc_to_json (self->doc);
  /* Last first, so that the indices of the others stay. */
  for (guint i = self->placed->len; i-- > 0;)
    {
      const Placed *pl = &g_array_index (self->placed, Placed, i);
      sw_cells_doc_remove_entry (self->doc, pl->kind == SW_CELLS_CLICK_CLAMP ? "stimuli" : "synapses",
                                 pl->index);
    }
  edit_done (self, _("Remove Clamps and Synapses"), g_steal_pointer (&before));
}

static void
remove_placement_action (GtkWidget *widget, const char *name, GVariant *param)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (widget);
  Placed pl = self->selected;
  g_autofree char *before = NULL;

  if (pl.kind == SW_CELLS_CLICK_TRACE)
    return;
  before = sw_cells_doc_to_json (self->doc);
  deselect (self);
  if (!sw_cells_doc_remove_entry (self->doc, section_of (pl.kind), pl.index))
    return;
  edit_done (self, pl.kind == SW_CELLS_CLICK_CLAMP ? _("Remove Clamp") : _("Remove Synapse"),
             g_steal_pointer (&before));
}

/* Escape leaves the selected clamp or synapse; without one, it stops. */
static gboolean
escape_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (widget);

  if (self->selected.kind != SW_CELLS_CLICK_TRACE)
    {
      deselect (self);
      return TRUE;
    }
  return gtk_widget_activate_action (widget, "win.stop", NULL);
}

/* The document's text is @json (taken): the undo or redo of an edit. */
static void
restore_json (SwCellsWindow *self, char *json)
{
  g_autofree char *text = json;
  g_autoptr (GError) error = NULL;

  if (!sw_cells_doc_replace_data (self->doc, text, -1, &error))
    {
      /* A snapshot of a document that loaded loads; this is a bug. */
      g_critical ("Cannot restore the document: %s", error->message);
      return;
    }
  refresh_variables (self);
  variables_changed (self);
  document_changed (self);
}

static void
undo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (widget);
  char *json = sw_history_undo (self->history, sw_cells_doc_to_json (self->doc));

  if (json != NULL)
    restore_json (self, json);
}

static void
redo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (widget);
  char *json = sw_history_redo (self->history, sw_cells_doc_to_json (self->doc));

  if (json != NULL)
    restore_json (self, json);
}

static void
history_changed_cb (SwCellsWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 sw_history_get_can_undo (self->history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 sw_history_get_can_redo (self->history));
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */

gboolean
sw_cells_window_save_to (SwCellsWindow *self, const char *path, GError **error)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sw_cells_doc_save (self->doc, path, error))
    return FALSE;
  g_free (self->saved_json);
  self->saved_json = sw_cells_doc_to_json (self->doc);
  self->modified = FALSE;
  sw_history_seal (self->history);
  update_title (self);
  return TRUE;
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* Closes the window once the user decided about its changes, from an idle:
 * the decision comes from a dialog of this window, which must finish first. */
static void
close_after_decision (SwCellsWindow *self)
{
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

static void
save_response_cb (GtkNativeDialog *dialog, int response, SwCellsWindow *self)
{
  gboolean close_after = self->close_after_save;

  self->close_after_save = FALSE;
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (path == NULL)
        toast (self, _("Only files on this computer can be written"));
      else if (!sw_cells_window_save_to (self, path, &error))
        toast (self, error->message);
      else if (close_after)
        close_after_decision (self);
      else
        toast (self, _("Saved"));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_as (SwCellsWindow *self)
{
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Save the Model"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  const char *path = sw_cells_doc_get_path (self->doc);

  if (path != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_path (path);
      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, NULL);
    }
  else
    {
      const char *display = sw_cells_doc_get_display_name (self->doc);
      const char *base = g_str_has_prefix (display, "preset:") ? display + strlen ("preset:")
                                                                 : "cells";
      g_autofree char *name = g_strconcat (base, ".swk", NULL);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    }
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (widget);
  const char *path = sw_cells_doc_get_path (self->doc);
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    save_as (self);
  else if (!sw_cells_window_save_to (self, path, &error))
    toast (self, error->message);
  else
    toast (self, _("Saved"));
}

static void
save_as_action (GtkWidget *widget, const char *name, GVariant *param)
{
  save_as (SW_CELLS_WINDOW (widget));
}

static void
close_response_cb (SwCellsWindow *self, const char *response)
{
  const char *path = sw_cells_doc_get_path (self->doc);
  g_autoptr (GError) error = NULL;

  if (g_str_equal (response, "discard"))
    close_after_decision (self);
  else if (!g_str_equal (response, "save"))
    return;
  else if (path == NULL)
    {
      self->close_after_save = TRUE;
      save_as (self);
    }
  else if (!sw_cells_window_save_to (self, path, &error))
    toast (self, error->message);
  else
    close_after_decision (self);
}

static gboolean
sw_cells_window_close_request (GtkWindow *window)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (window);

  if (self->modified && !self->close_confirmed)
    {
      const char *title = sw_cells_doc_get_title (self->doc);
      /* Translators: %s is the model's name. */
      g_autofree char *body = g_strdup_printf (_("“%s” has changes that are not saved. Changes "
                                                 "you do not save are lost."),
                                               *title ? title
                                                      : sw_cells_doc_get_display_name (self->doc));
      GtkWidget *dialog = adw_message_dialog_new (window, _("Save Changes?"), body);
      adw_message_dialog_set_body_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                        "discard", _("_Discard"), "save", _("_Save"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (sw_cells_window_parent_class)->close_request (window);
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ExportKind kind = g_str_equal (name, "win.export-morphology") ? EXPORT_MORPHOLOGY
                    : g_str_equal (name, "win.export-traces")   ? EXPORT_TRACES
                                                                : EXPORT_CSV;
  export_with_dialog (SW_CELLS_WINDOW (widget), kind);
}

/* ------------------------------------------------------------------ */
/* API and GObject                                                     */

SwMorphView *
sw_cells_window_get_morph_view (SwCellsWindow *self)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), NULL);
  return self->morph_view;
}

SwBrcPanel *
sw_cells_window_get_brc_panel (SwCellsWindow *self)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), NULL);
  return self->brc_panel;
}

void
sw_cells_window_set_click_mode (SwCellsWindow *self, SwCellsClickMode mode)
{
  g_return_if_fail (SW_IS_CELLS_WINDOW (self));
  gtk_toggle_button_set_active (mode == SW_CELLS_CLICK_CLAMP     ? self->mode_clamp
                                : mode == SW_CELLS_CLICK_SYNAPSE ? self->mode_synapse
                                                                 : self->mode_trace,
                                TRUE);
}

void
sw_cells_window_set_clamp (SwCellsWindow *self, double amp_na, double delay_ms, double dur_ms)
{
  g_return_if_fail (SW_IS_CELLS_WINDOW (self));
  gtk_spin_button_set_value (self->clamp_amp, amp_na);
  gtk_spin_button_set_value (self->clamp_delay, delay_ms);
  gtk_spin_button_set_value (self->clamp_duration, dur_ms);
}

void
sw_cells_window_set_synapse (SwCellsWindow *self, int receptor, double weight_us, double onset_ms)
{
  g_return_if_fail (SW_IS_CELLS_WINDOW (self));
  gtk_drop_down_set_selected (self->synapse_type, (guint) CLAMP (receptor, 0, 5));
  gtk_spin_button_set_value (self->synapse_weight, weight_us);
  gtk_spin_button_set_value (self->synapse_onset, onset_ms);
}

gboolean
sw_cells_window_get_selected (SwCellsWindow *self, SwCellsClickMode *kind, guint *index)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  if (kind != NULL)
    *kind = self->selected.kind;
  if (index != NULL)
    *index = self->selected.index;
  return self->selected.kind != SW_CELLS_CLICK_TRACE;
}

void
sw_cells_window_deselect (SwCellsWindow *self)
{
  g_return_if_fail (SW_IS_CELLS_WINDOW (self));
  deselect (self);
}

int
sw_cells_window_get_n_traces (SwCellsWindow *self)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), 0);
  return (int) self->traces->len;
}

int
sw_cells_window_get_n_placed (SwCellsWindow *self)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), 0);
  return (int) self->placed->len;
}

SwCellsDoc *
sw_cells_window_get_document (SwCellsWindow *self)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), NULL);
  return self->doc;
}

gboolean
sw_cells_window_get_modified (SwCellsWindow *self)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  return self->modified;
}

gboolean
sw_cells_window_activate_node (SwCellsWindow *self, int cell, int node)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  if (cell < 0 || cell >= self->n_shown || node < 0
      || node >= sw_cable_cell_n_nodes (sw_morph_view_get_cell (self->morph_view, cell)))
    return FALSE;
  node_activated_cb (self, cell, node);
  return TRUE;
}

void
sw_cells_window_set_min_run_seconds (SwCellsWindow *self, double seconds)
{
  g_return_if_fail (SW_IS_CELLS_WINDOW (self));
  self->min_run_s = MAX (seconds, 0.0);
}

gboolean
sw_cells_window_get_trace (SwCellsWindow *self, int cell, int node, double **t_ms,
                           double **v_mv, int *n)
{
  g_return_val_if_fail (SW_IS_CELLS_WINDOW (self), FALSE);
  if (self->run == NULL || cell < 0 || cell >= self->run->n_shown)
    return FALSE;
  *n = sw_cells_run_get_n_samples (self->run);
  sw_cells_run_trace (self->run, cell, node, *n, t_ms, v_mv);
  return TRUE;
}

static void
sw_cells_window_dispose (GObject *object)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->rerun_id, g_source_remove);
  g_clear_pointer (&self->run, sw_cells_run_free);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_CELLS_WINDOW);
  G_OBJECT_CLASS (sw_cells_window_parent_class)->dispose (object);
}

static void
sw_cells_window_finalize (GObject *object)
{
  SwCellsWindow *self = SW_CELLS_WINDOW (object);

  g_clear_pointer (&self->doc, sw_cells_doc_free);
  g_clear_pointer (&self->shown_labels, g_strfreev);
  g_free (self->saved_json);
  g_free (self->clamp_desc);
  g_free (self->synapse_desc);
  g_array_unref (self->traces);
  g_array_unref (self->placed);
  G_OBJECT_CLASS (sw_cells_window_parent_class)->finalize (object);
}

static void
sw_cells_window_class_init (SwCellsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_cells_window_dispose;
  object_class->finalize = sw_cells_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = sw_cells_window_close_request;

  g_type_ensure (SW_TYPE_MORPH_VIEW);
  g_type_ensure (SW_TYPE_BRC_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spikeworks/Spikeworks/cells/sw-cells-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, SwCellsWindow, name)
  BIND (toast_overlay);
  BIND (run_button);
  BIND (stop_button);
  BIND (switcher_title);
  BIND (stack);
  BIND (cell_page);
  BIND (task_page);
  BIND (cell_stack);
  BIND (cell_status);
  BIND (description_label);
  BIND (variables_group);
  BIND (variables_list);
  BIND (clamp_amp);
  BIND (clamp_delay);
  BIND (clamp_duration);
  BIND (synapse_type);
  BIND (synapse_weight);
  BIND (synapse_onset);
  BIND (clamp_group);
  BIND (synapse_group);
  BIND (clamp_remove);
  BIND (synapse_remove);
  BIND (placed_label);
  BIND (view_paned);
  BIND (mode_trace);
  BIND (mode_clamp);
  BIND (mode_synapse);
  BIND (time_label);
  BIND (morph_view);
  BIND (time_scale);
  BIND (time_adjustment);
  BIND (traces_box);
  BIND (brc_panel);
#undef BIND

  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.clear-placed", NULL, clear_placed_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.export-morphology", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-traces", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-csv", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_install_action (widget_class, "win.remove-placement", NULL,
                                   remove_placement_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.remove-placement",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "win.remove-placement", NULL);
}

static void
sw_cells_window_init (SwCellsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->traces = g_array_new (FALSE, FALSE, sizeof (Trace));
  g_array_set_clear_func (self->traces, trace_clear);
  self->placed = g_array_new (FALSE, FALSE, sizeof (Placed));
  self->min_run_s = 1.5;
  self->follow = TRUE;
  self->history = sw_history_new ();
  g_signal_connect_object (self->history, "notify::can-undo", G_CALLBACK (history_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::can-redo", G_CALLBACK (history_changed_cb),
                           self, G_CONNECT_SWAPPED);
  history_changed_cb (self);

  self->trace_view = sw_figure_view_new (build_traces, self);
  gtk_widget_set_vexpand (self->trace_view, TRUE);
  gtk_widget_set_margin_start (self->trace_view, 6);
  gtk_widget_set_margin_end (self->trace_view, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->trace_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Voltage traces"), -1);
  gtk_box_append (self->traces_box, self->trace_view);

  g_signal_connect_swapped (self->morph_view, "node-activated", G_CALLBACK (node_activated_cb), self);
  g_signal_connect_swapped (self->morph_view, "background-activated",
                            G_CALLBACK (background_activated_cb), self);
  self->selected.kind = SW_CELLS_CLICK_TRACE;
  self->clamp_desc = g_strdup (adw_preferences_group_get_description (self->clamp_group));
  self->synapse_desc = g_strdup (adw_preferences_group_get_description (self->synapse_group));
  g_signal_connect (self->clamp_amp, "value-changed", G_CALLBACK (clamp_changed_cb), self);
  g_signal_connect (self->clamp_delay, "value-changed", G_CALLBACK (clamp_changed_cb), self);
  g_signal_connect (self->clamp_duration, "value-changed", G_CALLBACK (clamp_changed_cb), self);
  g_signal_connect (self->synapse_weight, "value-changed", G_CALLBACK (synapse_changed_cb), self);
  g_signal_connect (self->synapse_onset, "value-changed", G_CALLBACK (synapse_changed_cb), self);
  g_signal_connect_swapped (self->synapse_type, "notify::selected",
                            G_CALLBACK (receptor_changed_cb), self);
  g_signal_connect (self->mode_trace, "toggled", G_CALLBACK (mode_toggled_cb), self);
  g_signal_connect (self->mode_clamp, "toggled", G_CALLBACK (mode_toggled_cb), self);
  g_signal_connect (self->mode_synapse, "toggled", G_CALLBACK (mode_toggled_cb), self);
  g_signal_connect_swapped (self->brc_panel, "busy-changed", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (self->time_adjustment, "value-changed", G_CALLBACK (time_changed_cb), self);
}

SwCellsWindow *
sw_cells_window_new (GtkApplication *app, SwCellsDoc *doc)
{
  SwCellsWindow *self = g_object_new (SW_TYPE_CELLS_WINDOW, "application", app, NULL);
  g_autoptr (GError) error = NULL;
  JsonNode *desc = sw_cells_doc_get_section (doc, "description");

  self->doc = doc;
  self->saved_json = sw_cells_doc_to_json (doc);
  self->settings = app != NULL && SW_IS_APPLICATION (app)
                     ? g_object_ref (sw_application_get_settings (SW_APPLICATION (app)))
                     : g_settings_new ("io.github.spikeworks.Spikeworks");
  update_title (self);
  if (desc != NULL && JSON_NODE_HOLDS_VALUE (desc) && json_node_get_value_type (desc) == G_TYPE_STRING)
    gtk_label_set_text (self->description_label, json_node_get_string (desc));
  else
    gtk_widget_set_visible (GTK_WIDGET (self->description_label), FALSE);
  fill_variables (self);

  SwCellsBuild *build = sw_cells_doc_build (doc, &error);
  if (build != NULL)
    {
      self->has_cells = TRUE;
      show_cells (self, build);
      sw_cells_build_free (build);
      trace_probes (self);
      trace_root (self);
      gtk_stack_set_visible_child_name (self->cell_stack, "cells");
      /* Tall cells (a pyramidal cell) go beside the traces, where they
       * have the window's height; wide ones above. */
      double aspect = sw_morph_view_get_aspect (self->morph_view);
      if (aspect < TALL_ASPECT)
        {
          /* As wide as the cells need at the height of a window of the
           * default size (about 610 px for the drawing, 100 px for the
           * margins and the colour bar), but no narrower than the row of
           * the click modes. */
          gtk_orientable_set_orientation (GTK_ORIENTABLE (self->view_paned),
                                          GTK_ORIENTATION_HORIZONTAL);
          gtk_paned_set_shrink_start_child (self->view_paned, FALSE);
          gtk_paned_set_position (self->view_paned, (int) MAX (aspect * 610 + 100, 380));
        }
    }
  else
    {
      adw_status_page_set_description (self->cell_status, error->message);
      gtk_stack_set_visible_child_name (self->cell_stack, "error");
      g_clear_error (&error);
    }

  if (sw_cells_doc_get_section (doc, "brc") != NULL)
    {
      SwBrcParams params;
      self->has_brc = TRUE;
      adw_view_stack_page_set_visible (self->task_page, TRUE);
      if (sw_brc_task_read_params (doc, &params, &error))
        sw_brc_panel_set_params (self->brc_panel, &params);
      else
        toast (self, error->message);
      if (!self->has_cells)
        adw_view_stack_set_visible_child_name (self->stack, "task");
    }
  else
    adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
  collect_placed (self);
  update_marks (self);
  update_actions (self);
  if (self->has_cells && g_settings_get_boolean (self->settings, "auto-run"))
    sw_cells_window_run (self);
  return self;
}

gboolean
sw_cells_window_present (GtkApplication *app, const char *location, GError **error)
{
  SwCellsDoc *doc = sw_cells_doc_load (location, error);

  if (doc == NULL)
    return FALSE;
  /* A document that builds no cells is only worth a window for its task. */
  if (sw_cells_doc_get_section (doc, "brc") == NULL)
    {
      SwCellsBuild *build = sw_cells_doc_build (doc, error);
      if (build == NULL)
        {
          sw_cells_doc_free (doc);
          return FALSE;
        }
      sw_cells_build_free (build);
    }
  gtk_window_present (GTK_WINDOW (sw_cells_window_new (app, doc)));
  return TRUE;
}
