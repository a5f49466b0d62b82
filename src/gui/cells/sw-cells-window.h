/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwCellsWindow: the window of a cells document.  The header bar runs and
 * stops the simulation; the sidebar holds the document's variables and
 * the settings of the clamps and synapses a click places; the cells are
 * drawn coloured by membrane voltage while the run proceeds (on a worker
 * thread, handed over on the frame clock) with the traces of the clicked
 * compartments below.  Documents with a "brc" section also get the
 * working-memory task (SwBrcPanel).
 *
 * Placed clamps and synapses are entries of the document ("stimuli" and
 * "synapses"): saved with it, run by `spikeworks-cli run` as in the
 * window, and undone and redone (win.undo, win.redo) like every edit.
 * The cells run when the window opens (the "auto-run" setting) and again
 * after each edit.
 */
#pragma once

#include <adwaita.h>

#include "sw-brc-panel.h"
#include "sw-cells-doc.h"
#include "sw-morph-view.h"

G_BEGIN_DECLS

#define SW_TYPE_CELLS_WINDOW (sw_cells_window_get_type ())
G_DECLARE_FINAL_TYPE (SwCellsWindow, sw_cells_window, SW, CELLS_WINDOW, AdwApplicationWindow)

typedef enum
{
  SW_CELLS_CLICK_TRACE = 0,
  SW_CELLS_CLICK_CLAMP,
  SW_CELLS_CLICK_SYNAPSE,
} SwCellsClickMode;

/* A window for @doc (taken). */
SwCellsWindow *sw_cells_window_new (GtkApplication *app, SwCellsDoc *doc);

/* Runs the document as it is now; a run in progress is cancelled first. */
void sw_cells_window_run (SwCellsWindow *self);
void sw_cells_window_stop (SwCellsWindow *self);
gboolean sw_cells_window_is_running (SwCellsWindow *self);
/* Samples of the last run so far (0 before the first). */
int sw_cells_window_get_n_samples (SwCellsWindow *self);
/* Stretches short runs to at least @seconds of wall-clock time so that
 * they can be watched (default 1.5 s; 0 runs flat out). */
void sw_cells_window_set_min_run_seconds (SwCellsWindow *self, double seconds);

SwMorphView *sw_cells_window_get_morph_view (SwCellsWindow *self);
SwBrcPanel *sw_cells_window_get_brc_panel (SwCellsWindow *self);
void sw_cells_window_set_click_mode (SwCellsWindow *self, SwCellsClickMode mode);
/* Settings of the next placed clamp (nA, ms) and synapse (receptor index
 * as in the drop-down: 0-2 kinetic AMPA, NMDA, GABA-A; 3-5 double
 * exponential; weight µS; onset ms). */
void sw_cells_window_set_clamp (SwCellsWindow *self, double amp_na, double delay_ms,
                                double dur_ms);
void sw_cells_window_set_synapse (SwCellsWindow *self, int receptor, double weight_us,
                                  double onset_ms);
int sw_cells_window_get_n_traces (SwCellsWindow *self);
/* Clamps and synapses of the document drawn on the shown cells. */
int sw_cells_window_get_n_placed (SwCellsWindow *self);
/* What a click on (@cell, @node) of the shown cells does in the current
 * mode: a trace; in the clamp and synapse modes, the selection of the
 * placement of that kind there, or else a new placement (an edit of the
 * document).  FALSE for a compartment that is not there. */
gboolean sw_cells_window_activate_node (SwCellsWindow *self, int cell, int node);
/* The selected clamp or synapse: its kind and its entry in "stimuli" or
 * "synapses"; FALSE when none is.  While one is, the sidebar's group of
 * its kind (and sw_cells_window_set_clamp() or _set_synapse()) edits that
 * entry, each change one step of the undo history; win.remove-placement
 * (Delete) removes it.  Escape, a click beside the cells or this call end
 * the selection. */
gboolean sw_cells_window_get_selected (SwCellsWindow *self, SwCellsClickMode *kind,
                                       guint *index);
void sw_cells_window_deselect (SwCellsWindow *self);

/* The document (owned by the window; edits go through the window). */
SwCellsDoc *sw_cells_window_get_document (SwCellsWindow *self);
/* Whether the document differs from the file it was opened from or last
 * saved to. */
gboolean sw_cells_window_get_modified (SwCellsWindow *self);
/* Saves the document to @path atomically; it becomes the window's file. */
gboolean sw_cells_window_save_to (SwCellsWindow *self, const char *path, GError **error);

/* The last run's samples of (@cell, @node) of the shown cells; new
 * arrays, FALSE before the first run. */
gboolean sw_cells_window_get_trace (SwCellsWindow *self, int cell, int node, double **t_ms,
                                    double **v_mv, int *n);

gboolean sw_cells_window_export_morphology (SwCellsWindow *self, const char *path,
                                            GError **error);
gboolean sw_cells_window_export_traces (SwCellsWindow *self, const char *path, GError **error);
gboolean sw_cells_window_export_csv (SwCellsWindow *self, const char *path, GError **error);

G_END_DECLS
