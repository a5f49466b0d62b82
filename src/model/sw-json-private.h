/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON helpers of the document layer: a pretty printer that writes numbers
 * in their shortest exact form (json-glib writes 0.1 as
 * 0.10000000000000001), and a locator that finds where a value sits in the
 * source text (line and column) for error messages, since json-glib keeps no
 * positions in its nodes.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Writes @node as indented JSON (two spaces), with small arrays and objects
 * on one line, ending in a newline. */
char *sw_json_to_string (JsonNode *node);

/* Appends the shortest decimal form of @value that reads back exactly. */
void sw_json_append_double (GString *out, double value);

/* One step of a path into a document: a member name, or an array index
 * when @key is NULL. */
typedef struct
{
  const char *key;
  int index;
} SwJsonPathItem;

/* Finds the value at @path (of @n_items steps) in the JSON @text; with
 * @want_key, the position of the last member's name instead.  Lines and
 * columns count from 1, columns in characters.  Returns FALSE when the path
 * is not there or the text is not JSON. */
gboolean sw_json_locate (const char *text, gsize length, const SwJsonPathItem *path,
                         guint n_items, gboolean want_key, guint *line, guint *column);

G_END_DECLS
