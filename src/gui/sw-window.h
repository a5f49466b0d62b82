/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwWindow: one document and its simulation.  The header bar runs, pauses,
 * steps, stops and resets the simulation and sets its speed; the sidebar
 * (SwVariablesPanel) edits the document's variables while it runs; the
 * views show its activity.  Every edit is recorded for undo and reaches the
 * running network within 100 ms (edits are coalesced, then the document is
 * built into a description for the runner).
 *
 * Documents: New (from the preset gallery), Open, Save, Save As (atomic),
 * recent files, an autosaved draft while there are unsaved changes, and a
 * question before closing with unsaved changes.  A file that does not open
 * shows the loader's message and leaves the window's document as it was.
 *
 * "document-changed" is emitted after every change of the document and
 * when another document is shown.
 *
 * "presentation" (boolean) is the classroom mode: full screen, larger text
 * and lines, high contrast.  The window carries the CSS class
 * "presentation" meanwhile; views read the property from their window.
 */
#pragma once

#include <adwaita.h>

#include "sw-application.h"
#include "sw-document.h"
#include "sw-drafts.h"
#include "sw-live-hub.h"
#include "sw-network-editor.h"
#include "sw-property-panel.h"
#include "sw-runner.h"
#include "sw-variables-panel.h"

G_BEGIN_DECLS

#define SW_TYPE_WINDOW (sw_window_get_type ())
G_DECLARE_FINAL_TYPE (SwWindow, sw_window, SW, WINDOW, AdwApplicationWindow)

SwWindow *sw_window_new (SwApplication *app);

/* Opening.  Each shows the new document (and runs it when the "auto-run"
 * setting says so), or returns FALSE with @error and keeps the document
 * shown. */
gboolean sw_window_open_preset (SwWindow *self, const char *name,
                                const char *const *assignments, GError **error);
gboolean sw_window_open_path (SwWindow *self, const char *path, GError **error);
gboolean sw_window_restore_draft (SwWindow *self, const SwDraft *draft, GError **error);

/* Opens @file as the user asked for it: into this window when its
 * document has no unsaved changes, else into a new window; a failure shows
 * the loader's message in a dialog. */
void sw_window_open_file (SwWindow *self, GFile *file);

/* Saves the document to @path (atomically); it becomes the window's file. */
gboolean sw_window_save_to (SwWindow *self, const char *path, GError **error);

/* Edits, as the variables panel makes them: recorded for undo and sent to
 * the running network.  @value is what sw_document_set() takes. */
gboolean sw_window_set_value (SwWindow *self, const char *name, const char *value,
                              GError **error);
gboolean sw_window_set_variable (SwWindow *self, const char *name, double value,
                                 GError **error);
/* Several variables at once (a click on the phase diagram): one edit for
 * undo, labelled @label (NULL: the first name); all are set or none. */
gboolean sw_window_set_variables (SwWindow *self, const char *label, const char *const *names,
                                  const double *values, guint n, GError **error);

SwDocument *sw_window_get_document (SwWindow *self);
/* The file Save writes to, or NULL (a preset or a new model). */
const char *sw_window_get_path (SwWindow *self);
gboolean sw_window_get_modified (SwWindow *self);
SwRunner *sw_window_get_runner (SwWindow *self);
SwLiveHub *sw_window_get_hub (SwWindow *self);
SwVariablesPanel *sw_window_get_variables_panel (SwWindow *self);
/* The network editor and its property panel. */
SwNetworkEditor *sw_window_get_network_editor (SwWindow *self);
SwPropertyPanel *sw_window_get_property_panel (SwWindow *self);

/* Structural edits, as the network editor makes them: recorded for undo
 * and sent to the runner, which rebuilds the network.  add returns the new
 * projection's name (free it) or NULL with @error. */
char *sw_window_add_projection (SwWindow *self, const char *pre, const char *post,
                                GError **error);
gboolean sw_window_remove_projection (SwWindow *self, const char *name, GError **error);
/* Populations, sources and stimuli (see sw_document_add_population() and
 * the others), the same way; a new population is placed where the editor
 * suggests and selected, and so is a new stimulus (its name is returned;
 * free it).  Removing a population removes what refers to it. */
gboolean sw_window_add_population (SwWindow *self, const char *name, const char *model, int n,
                                   gboolean inhibitory, GError **error);
gboolean sw_window_add_poisson_source (SwWindow *self, const char *name, int n, double rate_hz,
                                       GError **error);
gboolean sw_window_remove_population (SwWindow *self, const char *name, GError **error);
char *sw_window_add_stimulus (SwWindow *self, const char *target, SwStimKind kind,
                              GError **error);
gboolean sw_window_remove_stimulus (SwWindow *self, const char *name, GError **error);
/* Rate and current profiles (see sw_document_set_waveform()): undoable, and
 * applied to the running network without a rebuild. */
gboolean sw_window_set_waveform (SwWindow *self, const char *item, guint index, SwWaveKind kind,
                                 GError **error);
gboolean sw_window_remove_waveform (SwWindow *self, const char *item, guint index,
                                    GError **error);
/* Moves population @pop's node in the editor (kept in the document's "ui"
 * object); moves of one node within a second undo as one. */
void sw_window_move_node (SwWindow *self, const char *pop, double x, double y);
/* The phase-diagram and responsiveness views (SwPhaseView,
 * SwResponseView). */
GtkWidget *sw_window_get_phase_view (SwWindow *self);
GtkWidget *sw_window_get_response_view (SwWindow *self);
/* The simulated phase diagram (SwSweepView) and the recorded spikes
 * (SwRecordedView). */
GtkWidget *sw_window_get_sweep_view (SwWindow *self);
GtkWidget *sw_window_get_recorded_view (SwWindow *self);
/* Reads the NWB file at @path into the Recorded view and shows it. */
gboolean sw_window_import_nwb (SwWindow *self, const char *path, GError **error);
/* Writes the spikes the raster keeps (the last 10 s of simulated time) to
 * @path as a SONATA spike file, atomically; SW_LIVE_ERROR_EMPTY while it
 * keeps none. */
gboolean sw_window_export_sonata (SwWindow *self, const char *path, GError **error);

gboolean sw_window_get_presentation (SwWindow *self);
void sw_window_set_presentation (SwWindow *self, gboolean presentation);

/* Writes the autosave draft now when there are unsaved changes (a timer
 * does it a few seconds after each edit). */
void sw_window_save_draft (SwWindow *self);

G_END_DECLS
