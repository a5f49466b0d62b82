/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwHistory: the undo history of one window's document.  Every user edit
 * (a variable moved, a value set) is a reversible command; a command keeps
 * the document as JSON from before the edit, and undoing it swaps that text
 * with the document's current one, so any edit that goes through
 * sw_document_set() can be undone without knowing what it touched.
 *
 * Edits of one key (a variable name) that follow each other within a second
 * merge into one command, so that dragging a slider undoes in one step.
 * Loading a document clears the history.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SW_TYPE_HISTORY (sw_history_get_type ())
G_DECLARE_FINAL_TYPE (SwHistory, sw_history, SW, HISTORY, GObject)

SwHistory *sw_history_new (void);

/* TRUE when an edit of @key now would merge into the last command, so that
 * the caller need not serialise the document for sw_history_push(). */
gboolean sw_history_would_merge (SwHistory *self, const char *key);

/* Records an edit of @key (@label names it for people, e.g. "b"); @before
 * is the document before the edit (taken; NULL only when
 * sw_history_would_merge() said TRUE).  Clears what could be redone. */
void sw_history_push (SwHistory *self, const char *key, const char *label, char *before);

/* Undo and redo: @current is the document now (taken); returns the document
 * to restore (owned by the caller), or NULL when there is nothing to undo
 * or redo (then @current is freed). */
char *sw_history_undo (SwHistory *self, char *current);
char *sw_history_redo (SwHistory *self, char *current);

/* The label of the command that undo or redo would apply, or NULL. */
const char *sw_history_get_undo_label (SwHistory *self);
const char *sw_history_get_redo_label (SwHistory *self);

gboolean sw_history_get_can_undo (SwHistory *self);
gboolean sw_history_get_can_redo (SwHistory *self);

/* Ends merging: the next edit starts a new command even of the same key. */
void sw_history_seal (SwHistory *self);
void sw_history_clear (SwHistory *self);

G_END_DECLS
