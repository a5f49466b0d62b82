/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sw-kind.h"

#include "sw-document.h"
#include "sw-presets.h"

#include <json-glib/json-glib.h>
#include <string.h>

static const char *const kind_names[] = { "network", "cells", "mass" };

const char *
sw_doc_kind_to_string (SwDocKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), "network");
  return kind_names[kind];
}

gboolean
sw_doc_kind_from_data (const char *data, gssize length, const char *location,
                       SwDocKind *kind, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root, *node;

  *kind = SW_DOC_KIND_NETWORK;
  if (!json_parser_load_from_data (parser, data, length, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  node = json_object_get_member (json_node_get_object (root), "kind");
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
        if (strcmp (text, kind_names[i]) == 0)
          {
            *kind = (SwDocKind) i;
            return TRUE;
          }
    }
  g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
               "%s: kind: expected \"network\" (point neurons), \"cells\" "
               "(multicompartment cells) or \"mass\" (neural masses)", location);
  return FALSE;
}

gboolean
sw_doc_kind_peek (const char *location, SwDocKind *kind, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_str_has_prefix (location, "preset:"))
    {
      bytes = sw_presets_lookup (location + strlen ("preset:"), error);
      if (bytes == NULL)
        return FALSE;
      return sw_doc_kind_from_data (g_bytes_get_data (bytes, NULL),
                                    (gssize) g_bytes_get_size (bytes), location, kind, error);
    }
  /* A file that cannot be read is the loader's to report, with its own
   * message. */
  *kind = SW_DOC_KIND_NETWORK;
  if (!g_file_get_contents (location, &contents, &length, NULL))
    return TRUE;
  return sw_doc_kind_from_data (contents, (gssize) length, location, kind, error);
}
