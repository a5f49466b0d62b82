/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRecordedView: spikes recorded in an experiment, read from an NWB file
 * (sw-hdf5.h), beside the simulated data of the window: a raster of the
 * file's units on its own time axis (seconds of the recording), the
 * trials and event series of the file listed, and a peri-stimulus time
 * histogram of every unit's spikes aligned to the events chosen (a
 * dropdown of the file's events; bin width and the span before and after
 * each event).
 *
 * The PSTH counts spike t of any unit in bin k when
 * e - before + k bin <= t < e - before + (k + 1) bin for an event e; its
 * rate is the count divided by (events × units × bin), in Hz per unit.
 *
 * Exports (a menu in the view): PNG, SVG, PDF (raster and PSTH) and CSV
 * (the PSTH: bin start and end in s, count, rate).
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-hdf5.h"

G_BEGIN_DECLS

#define SW_TYPE_RECORDED_VIEW (sw_recorded_view_get_type ())
G_DECLARE_FINAL_TYPE (SwRecordedView, sw_recorded_view, SW, RECORDED_VIEW, GtkWidget)

GtkWidget *sw_recorded_view_new (void);

/* Reads the NWB file at @path and shows it (replacing what was shown).
 * The errors of sw_nwb_read. */
gboolean sw_recorded_view_load (SwRecordedView *self, const char *path, GError **error);
/* The file shown, or NULL. */
const SwNwbFile *sw_recorded_view_get_file (SwRecordedView *self);

/* The events the PSTH is aligned to (by name; FALSE when the file has
 * none of that name), the bin width (ms, 0.1 .. 10000) and the span
 * before and after each event (s). */
gboolean sw_recorded_view_set_event (SwRecordedView *self, const char *name);
void sw_recorded_view_set_bin_ms (SwRecordedView *self, double bin_ms);
void sw_recorded_view_set_span (SwRecordedView *self, double before_s, double after_s);

/* The PSTH shown: *@n_bins counts (owned by the view) starting at
 * *@t0_s relative to the events, *@bin_s wide; NULL without one. */
const guint *sw_recorded_view_get_psth (SwRecordedView *self, guint *n_bins, double *t0_s,
                                        double *bin_s);
/* Lines in the list of trials and events (for tests). */
guint sw_recorded_view_get_n_list_rows (SwRecordedView *self);

/* Writes .png, .svg, .pdf (raster and PSTH) or .csv (the PSTH).
 * SW_LIVE_ERROR_EMPTY without a file. */
gboolean sw_recorded_view_export (SwRecordedView *self, const char *path, GError **error);

G_END_DECLS
