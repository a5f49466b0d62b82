/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwBrcPanel: the working-memory task of a cells document with a "brc"
 * section.  Runs the four cue conditions in the background (progress,
 * cancel), then shows the decoded cue (c1, c2) of held-out trials over time
 * against the target, and the four scores side by side with chance (4.0).
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-brc-task.h"

G_BEGIN_DECLS

#define SW_TYPE_BRC_PANEL (sw_brc_panel_get_type ())
G_DECLARE_FINAL_TYPE (SwBrcPanel, sw_brc_panel, SW, BRC_PANEL, GtkWidget)

GtkWidget *sw_brc_panel_new (void);

/* The parameters to run (copied); the trial length and repeats shown
 * start from them. */
void sw_brc_panel_set_params (SwBrcPanel *self, const SwBrcParams *params);
/* Trial length (ms) and repeats of the next run. */
void sw_brc_panel_set_trial (SwBrcPanel *self, double duration_ms, int repeats);
void sw_brc_panel_run (SwBrcPanel *self);
void sw_brc_panel_cancel (SwBrcPanel *self);
gboolean sw_brc_panel_is_running (SwBrcPanel *self);
/* The last result (owned by the panel), NULL before the first. */
const SwBrcTaskResult *sw_brc_panel_get_result (SwBrcPanel *self);

/* Signals:
 *   "finished" (gboolean ok): a run ended (FALSE: failed or cancelled). */

G_END_DECLS
