/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Autosaved drafts on disk (see sw-drafts.h).
 */
#define G_LOG_DOMAIN "Spikeworks-Drafts"

#include "config.h"

#include "sw-drafts.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define GROUP "Draft"

void
sw_draft_free (SwDraft *draft)
{
  if (draft == NULL)
    return;
  g_free (draft->id);
  g_free (draft->origin);
  g_free (draft->path);
  g_free (draft);
}

char *
sw_drafts_get_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "spikeworks", "drafts", NULL);
}

char *
sw_draft_new_id (void)
{
  return g_uuid_string_random ();
}

static char *
draft_file (const char *id, const char *extension)
{
  g_autofree char *dir = sw_drafts_get_dir ();
  g_autofree char *name = g_strconcat (id, extension, NULL);

  return g_build_filename (dir, name, NULL);
}

gboolean
sw_draft_write (const char *id, const char *origin, const char *json, GError **error)
{
  g_autofree char *dir = sw_drafts_get_dir ();
  g_autofree char *doc_path = draft_file (id, ".swk");
  g_autofree char *key_path = draft_file (id, ".draft");
  g_autoptr(GKeyFile) key = g_key_file_new ();

  g_return_val_if_fail (id != NULL && json != NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (doc_path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  g_key_file_set_string (key, GROUP, "origin", origin != NULL ? origin : "");
  g_key_file_set_int64 (key, GROUP, "saved", g_get_real_time () / G_USEC_PER_SEC);
  return g_key_file_save_to_file (key, key_path, error);
}

void
sw_draft_discard (const char *id)
{
  g_autofree char *doc_path = NULL;
  g_autofree char *key_path = NULL;

  if (id == NULL)
    return;
  doc_path = draft_file (id, ".swk");
  key_path = draft_file (id, ".draft");
  /* The key file first: a draft without one is never offered. */
  g_unlink (key_path);
  g_unlink (doc_path);
}

static int
compare_saved (gconstpointer a, gconstpointer b)
{
  const SwDraft *da = *(SwDraft * const *) a;
  const SwDraft *db = *(SwDraft * const *) b;

  return (da->saved > db->saved) - (da->saved < db->saved);
}

GPtrArray *
sw_drafts_list (void)
{
  g_autofree char *dir_path = sw_drafts_get_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) sw_draft_free);
  const char *name;

  if (dir == NULL)
    return drafts;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GKeyFile) key = g_key_file_new ();
      g_autofree char *key_path = NULL;
      g_autoptr(SwDraft) draft = NULL;

      if (!g_str_has_suffix (name, ".draft"))
        continue;
      key_path = g_build_filename (dir_path, name, NULL);
      if (!g_key_file_load_from_file (key, key_path, G_KEY_FILE_NONE, NULL))
        continue;

      draft = g_new0 (SwDraft, 1);
      draft->id = g_strndup (name, strlen (name) - strlen (".draft"));
      draft->origin = g_key_file_get_string (key, GROUP, "origin", NULL);
      draft->saved = g_key_file_get_int64 (key, GROUP, "saved", NULL);
      draft->path = draft_file (draft->id, ".swk");
      if (draft->origin == NULL || !g_file_test (draft->path, G_FILE_TEST_IS_REGULAR))
        continue;
      g_ptr_array_add (drafts, g_steal_pointer (&draft));
    }
  g_ptr_array_sort (drafts, compare_saved);
  return drafts;
}
