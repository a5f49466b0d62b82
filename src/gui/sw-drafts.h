/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Autosaved drafts: while a window holds unsaved changes its document is
 * written, every few seconds, to a draft in the user's state folder
 * ($XDG_STATE_HOME/spikeworks/drafts).  Saving, discarding or closing the
 * window deletes the draft; a draft that is still there when the workbench
 * starts was left by a crash, and is offered back.
 *
 * A draft is two files: ID.swk (the document) and ID.draft (a key file with
 * where the document came from: a path or "preset:NAME").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *id;
  char *origin;     /* the path or "preset:NAME" the document came from */
  char *path;       /* the draft document */
  gint64 saved;     /* when it was written, seconds since the epoch */
} SwDraft;

void sw_draft_free (SwDraft *draft);

/* The folder of the drafts (newly allocated). */
char *sw_drafts_get_dir (void);

/* A new draft id. */
char *sw_draft_new_id (void);

/* Writes the draft @id (atomically, each file). */
gboolean sw_draft_write (const char *id, const char *origin, const char *json, GError **error);

/* Deletes the draft @id; missing files are fine. */
void sw_draft_discard (const char *id);

/* The drafts on disk, oldest first, as SwDraft (the array frees them). */
GPtrArray *sw_drafts_list (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwDraft, sw_draft_free)

G_END_DECLS
