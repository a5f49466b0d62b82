/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPresetGallery: the dialog that starts a new model from a preset, for
 * the classroom: each entry is a preset, possibly with some of its
 * variables set (the four states of the Brunel network are four entries),
 * with a short explanation written for students.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct
{
  const char *preset;             /* "brunel-a" */
  const char *assignments[3];     /* NAME=VALUE, NULL-terminated */
  const char *tag;                /* a short name of the state ("AI"), not translated */
  const char *title;              /* translatable (N_) */
  const char *explanation;        /* translatable (N_) */
} SwGalleryEntry;

#define SW_TYPE_PRESET_GALLERY (sw_preset_gallery_get_type ())
G_DECLARE_FINAL_TYPE (SwPresetGallery, sw_preset_gallery, SW, PRESET_GALLERY, AdwWindow)

GtkWidget *sw_preset_gallery_new (GtkWindow *parent);

/* The entries, in the order shown. */
const SwGalleryEntry *sw_preset_gallery_get_entries (guint *n_entries);

/* Signals:
 *   "entry-chosen" (guint index): the user picked entry @index of
 *     sw_preset_gallery_get_entries(); the gallery closes itself. */

G_END_DECLS
