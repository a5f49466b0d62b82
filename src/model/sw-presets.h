/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model presets compiled into the program: the .swk files of
 * data/presets, in a GResource.  A preset is named by its file name without
 * ".swk" ("destexhe-adex") and loaded with sw_document_load_preset().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;          /* "brunel-a" */
  char *title;         /* the document's "name", or the preset name */
  char *description;   /* the document's one-line "description", or "" */
  char *kind;          /* "network", "cells" or "mass" (sw-kind.h) */
} SwPresetInfo;

void sw_preset_info_free (SwPresetInfo *info);

/* The presets sorted by name, as SwPresetInfo (the array frees them). */
GPtrArray *sw_presets_list (void);

/* The preset names sorted, NULL-terminated; free with g_strfreev(). */
char **sw_presets_get_names (void);

/* The text of preset @name, or NULL with SW_DOCUMENT_ERROR_NOT_FOUND (the
 * message suggests the nearest name and lists the others). */
GBytes *sw_presets_lookup (const char *name, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwPresetInfo, sw_preset_info_free)

G_END_DECLS
