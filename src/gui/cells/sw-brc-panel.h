/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwBrcPanel: the working-memory task of a cells document with a "brc"
 * section.  Runs the four cue conditions in the background (progress,
 * cancel), then shows the decoded cue (c1, c2) of held-out trials over time
 * against the target, and the four scores side by side with chance (4.0).
 * A parameter search for one condition (rounds x draws, progress per draw,
 * cancel) applies its best draw to the next run and lists what it changed.
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-brc-search-task.h"
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
/* Cancels the run or the search under way. */
void sw_brc_panel_cancel (SwBrcPanel *self);
/* A run or a search is under way. */
gboolean sw_brc_panel_is_running (SwBrcPanel *self);
gboolean sw_brc_panel_is_searching (SwBrcPanel *self);
/* The last result (owned by the panel), NULL before the first. */
const SwBrcTaskResult *sw_brc_panel_get_result (SwBrcPanel *self);
/* The parameters of the next run (before its trial length and repeats):
 * the document's, or with the last search's best draw applied. */
const SwBrcParams *sw_brc_panel_get_params (SwBrcPanel *self);

/* Condition and size of the next search. */
void sw_brc_panel_set_search (SwBrcPanel *self, SwBrcCondition condition, int rounds,
                              int per_round);
/* Starts a search with the trial length and repeats of the next run. */
void sw_brc_panel_search (SwBrcPanel *self);
/* The next run uses the document's parameters again. */
void sw_brc_panel_restore_params (SwBrcPanel *self);
/* The last search's result (owned by the panel), NULL before the first. */
const SwBrcSearchResult *sw_brc_panel_get_search_result (SwBrcPanel *self);
/* The progress the panel last showed of the search under way or last run:
 * draws scored, draws in all, best score so far (+inf before the first). */
void sw_brc_panel_get_search_progress (SwBrcPanel *self, int *n_done, int *n_total,
                                       double *best);

/* Signals:
 *   "finished" (gboolean ok): a run ended (FALSE: failed or cancelled).
 *   "search-finished" (gboolean ok): a search ended; on TRUE its best draw
 *     is applied. */

G_END_DECLS
