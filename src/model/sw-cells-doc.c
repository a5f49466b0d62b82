/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents of "kind": "cells": reading, variables, evaluation of numeric
 * fields with units, and building the cable simulation they describe.
 * Every error names the document, the JSON path of the field and what was
 * expected.
 */
#include "config.h"

#include "sw-cells-doc.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "sw-document.h"
#include "sw-json-private.h"
#include "sw-presets.h"
#include "sw-swc.h"

struct _SwCellsDoc
{
  char *display;
  char *path;
  char *base_dir;
  JsonNode *root;
  JsonNode *brc;
  SwScope *scope;
  char *title;
  /* Variables: name → unit (for --set of plain numbers). */
  GHashTable *var_unit;
  GHashTable *var_min, *var_max;   /* name → double* (in the variable's unit) */
  double dt_override, duration_override;
  gboolean force_exact;
};

static gboolean fail (SwCellsDoc *doc, GError **error, int code, const char *path,
                      const char *format, ...) G_GNUC_PRINTF (5, 6);

static gboolean
fail (SwCellsDoc *doc, GError **error, int code, const char *path, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (path != NULL && *path != '\0')
    g_set_error (error, SW_DOCUMENT_ERROR, code, "%s: %s: %s", doc->display, path, msg);
  else
    g_set_error (error, SW_DOCUMENT_ERROR, code, "%s: %s", doc->display, msg);
  return FALSE;
}

static const char *const top_fields[] = {
  "format", "version", "kind", "name", "description", "explanation", "references",
  "variables", "simulation", "cells", "populations", "synapses", "stimuli", "probes",
  "brc", "ui", NULL
};

void
sw_cells_doc_free (SwCellsDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->display);
  g_free (doc->path);
  g_free (doc->base_dir);
  g_free (doc->title);
  if (doc->root)
    json_node_unref (doc->root);
  if (doc->brc)
    json_node_unref (doc->brc);
  if (doc->scope)
    sw_scope_free (doc->scope);
  g_clear_pointer (&doc->var_unit, g_hash_table_unref);
  g_clear_pointer (&doc->var_min, g_hash_table_unref);
  g_clear_pointer (&doc->var_max, g_hash_table_unref);
  g_free (doc);
}

static JsonObject *
root_obj (SwCellsDoc *doc)
{
  return json_node_get_object (doc->root);
}

static JsonNode *
member (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
}

static gboolean
check_fields (SwCellsDoc *doc, JsonObject *o, const char *const *allowed, const char *path,
              GError **error)
{
  JsonObjectIter it;
  const char *name;
  JsonNode *m;
  json_object_iter_init (&it, o);
  while (json_object_iter_next (&it, &name, &m))
    if (!g_strv_contains (allowed, name))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) allowed);
        return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD, path,
                     "unknown field '%s'; expected one of %s", name, list);
      }
  return TRUE;
}

/* Variables ----------------------------------------------------------- */

static gboolean
define_variable (SwCellsDoc *doc, const char *name, JsonNode *node, const char *path,
                 GError **error)
{
  g_autoptr (GError) local = NULL;
  const char *unit = "";
  JsonNode *value = node;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      static const char *const fields[] = { "value", "unit", "min", "max", "label", "description", NULL };
      JsonObject *o = json_node_get_object (node);
      if (!check_fields (doc, o, fields, path, error))
        return FALSE;
      value = member (o, "value");
      if (value == NULL)
        return fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, path,
                     "the variable needs a \"value\"");
      JsonNode *u = member (o, "unit");
      if (u != NULL)
        {
          if (!JSON_NODE_HOLDS_VALUE (u) || json_node_get_value_type (u) != G_TYPE_STRING)
            return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path, "unit: expected a string such as \"nA\"");
          unit = json_node_get_string (u);
        }
      for (int k = 0; k < 2; k++)
        {
          JsonNode *b = member (o, k ? "max" : "min");
          if (b == NULL)
            continue;
          if (!JSON_NODE_HOLDS_VALUE (b) || json_node_get_value_type (b) == G_TYPE_STRING
              || json_node_get_value_type (b) == G_TYPE_BOOLEAN)
            return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path, "%s: expected a number in the "
                         "variable's unit", k ? "max" : "min");
          double *d = g_new (double, 1);
          *d = json_node_get_double (b);
          g_hash_table_insert (k ? doc->var_max : doc->var_min, g_strdup (name), d);
        }
    }
  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path,
                 "expected a number or an expression such as \"10 nA\"");
  gboolean ok;
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    ok = sw_scope_define (doc->scope, name, json_node_get_string (value), 0, unit, &local);
  else
    ok = sw_scope_define (doc->scope, name, NULL, json_node_get_double (value), unit, &local);
  if (!ok)
    return fail (doc, error, SW_DOCUMENT_ERROR_EXPRESSION, path, "%s", local->message);
  g_hash_table_insert (doc->var_unit, g_strdup (name), g_strdup (unit));
  return TRUE;
}

static gboolean
check_variable_ranges (SwCellsDoc *doc, GError **error)
{
  GHashTableIter it;
  gpointer k, v;
  for (int pass = 0; pass < 2; pass++)
    {
      g_hash_table_iter_init (&it, pass ? doc->var_max : doc->var_min);
      while (g_hash_table_iter_next (&it, &k, &v))
        {
          double value;
          g_autoptr (GError) local = NULL;
          if (!sw_scope_lookup_in_unit (doc->scope, k, &value, &local))
            return fail (doc, error, SW_DOCUMENT_ERROR_EXPRESSION, "variables", "%s: %s",
                         (char *) k, local->message);
          double bound = *(double *) v;
          if (pass ? value > bound : value < bound)
            {
              const char *unit = g_hash_table_lookup (doc->var_unit, k);
              return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, NULL,
                           "variables.%s = %g %s is %s its %s %g %s", (char *) k, value,
                           unit ? unit : "", pass ? "above" : "below", pass ? "maximum" : "minimum",
                           bound, unit ? unit : "");
            }
        }
    }
  return TRUE;
}

gboolean
sw_cells_doc_set (SwCellsDoc *doc, const char *assignment, GError **error)
{
  const char *eq = strchr (assignment, '=');
  if (eq == NULL || eq == assignment)
    return fail (doc, error, SW_DOCUMENT_ERROR_ASSIGNMENT, NULL,
                 "'%s' is not an assignment; write NAME=VALUE, such as I=10", assignment);
  g_autofree char *name = g_strstrip (g_strndup (assignment, eq - assignment));
  g_autofree char *text = g_strstrip (g_strdup (eq + 1));
  if (!g_hash_table_contains (doc->var_unit, name))
    {
      g_autoptr (GString) list = g_string_new (NULL);
      const GPtrArray *names = sw_scope_get_names (doc->scope);
      for (guint i = 0; i < names->len; i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "", (char *) names->pdata[i]);
      return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, NULL,
                   "--set %s: the document has no variable '%s'%s%s", name, name,
                   list->len ? "; its variables are " : " (it defines none)", list->str);
    }
  if (*text == '\0')
    return fail (doc, error, SW_DOCUMENT_ERROR_ASSIGNMENT, NULL, "%s: the value is empty", name);
  const char *unit = g_hash_table_lookup (doc->var_unit, name);
  char *end;
  double number = g_ascii_strtod (text, &end);
  g_autoptr (GError) local = NULL;
  gboolean ok;
  if (end != text && *end == '\0' && isfinite (number))
    ok = sw_scope_define (doc->scope, name, NULL, number, unit, &local);
  else
    ok = sw_scope_define (doc->scope, name, text, 0, unit, &local);
  if (!ok)
    return fail (doc, error, SW_DOCUMENT_ERROR_EXPRESSION, NULL, "%s: '%s': %s", name, text,
                 local->message);
  double v;
  if (!sw_scope_lookup_in_unit (doc->scope, name, &v, &local))
    return fail (doc, error, SW_DOCUMENT_ERROR_EXPRESSION, NULL, "%s: '%s': %s", name, text,
                 local->message);
  if (!check_variable_ranges (doc, error))
    {
      /* A refused value leaves the variable as the text has it. */
      JsonNode *kept = json_object_get_member (json_node_get_object (member (root_obj (doc),
                                                                             "variables")),
                                               name);
      define_variable (doc, name, kept, "variables", NULL);
      return FALSE;
    }
  /* The text follows, so that a saved document keeps the value: a number
   * stays a number, anything else is kept as the expression it was. */
  JsonObject *vars = json_node_get_object (member (root_obj (doc), "variables"));
  JsonNode *entry = json_object_get_member (vars, name);
  JsonNode *value = json_node_new (JSON_NODE_VALUE);
  if (end != text && *end == '\0' && isfinite (number))
    json_node_set_double (value, number);
  else
    json_node_set_string (value, text);
  if (JSON_NODE_HOLDS_OBJECT (entry))
    json_object_set_member (json_node_get_object (entry), "value", value);
  else
    json_object_set_member (vars, name, value);
  return TRUE;
}

gboolean
sw_cells_doc_eval (SwCellsDoc *doc, JsonNode *node, const char *unit, const char *path,
                   double *value, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path,
                 "expected a number%s%s%s or an expression with units", *unit ? " (in " : "",
                 unit, *unit ? ")" : "");
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *value = json_node_get_double (node);
      if (!isfinite (*value))
        return fail (doc, error, SW_DOCUMENT_ERROR_VALUE, path, "expected a finite number");
      return TRUE;
    }
  g_autoptr (GError) local = NULL;
  if (!sw_expr_eval_in_unit (json_node_get_string (node), doc->scope, unit, value, &local))
    {
      int code = SW_DOCUMENT_ERROR_EXPRESSION;
      if (local->domain == SW_EXPR_ERROR)
        switch (local->code)
          {
          case SW_EXPR_ERROR_UNKNOWN_UNIT:
          case SW_EXPR_ERROR_DIMENSION:
            code = SW_DOCUMENT_ERROR_UNIT;
            break;
          case SW_EXPR_ERROR_UNDEFINED:
            code = SW_DOCUMENT_ERROR_UNDEFINED_VARIABLE;
            break;
          case SW_EXPR_ERROR_CYCLE:
            code = SW_DOCUMENT_ERROR_CYCLE;
            break;
          default:
            break;
          }
      return fail (doc, error, code, path, "'%s': %s", json_node_get_string (node), local->message);
    }
  return TRUE;
}

/* Loading ------------------------------------------------------------- */

SwCellsDoc *
sw_cells_doc_load_data (const char *data, gssize length, const char *display,
                        const char *base_dir, GError **error)
{
  g_autoptr (SwCellsDoc) doc = g_new0 (SwCellsDoc, 1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  doc->display = g_strdup (display ? display : "<data>");
  doc->base_dir = g_strdup (base_dir ? base_dir : ".");
  doc->scope = sw_scope_new ();
  doc->title = g_strdup ("");
  doc->var_unit = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  doc->var_min = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  doc->var_max = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      fail (doc, error, SW_DOCUMENT_ERROR_SYNTAX, NULL, "not JSON: %s", local->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (doc, error, SW_DOCUMENT_ERROR_FORMAT, NULL, "expected a JSON object with \"kind\": \"cells\"");
      return NULL;
    }
  doc->root = json_node_copy (root);
  JsonObject *o = root_obj (doc);
  if (!check_fields (doc, o, top_fields, "", error))
    return NULL;
  JsonNode *kind = member (o, "kind");
  if (kind == NULL || !JSON_NODE_HOLDS_VALUE (kind)
      || json_node_get_value_type (kind) != G_TYPE_STRING
      || strcmp (json_node_get_string (kind), "cells") != 0)
    {
      fail (doc, error, SW_DOCUMENT_ERROR_FORMAT, "kind", "expected \"cells\"");
      return NULL;
    }
  JsonNode *fmt = member (o, "format");
  if (fmt != NULL && (!JSON_NODE_HOLDS_VALUE (fmt) || json_node_get_value_type (fmt) != G_TYPE_STRING
                      || strcmp (json_node_get_string (fmt), "spikeworks") != 0))
    {
      fail (doc, error, SW_DOCUMENT_ERROR_FORMAT, "format", "expected \"spikeworks\"");
      return NULL;
    }
  JsonNode *ver = member (o, "version");
  if (ver != NULL && (!JSON_NODE_HOLDS_VALUE (ver) || json_node_get_value_type (ver) != G_TYPE_INT64
                      || json_node_get_int (ver) != 1))
    {
      fail (doc, error, SW_DOCUMENT_ERROR_VERSION, "version", "expected 1");
      return NULL;
    }
  JsonNode *name = member (o, "name");
  if (name != NULL && JSON_NODE_HOLDS_VALUE (name) && json_node_get_value_type (name) == G_TYPE_STRING)
    {
      g_free (doc->title);
      doc->title = g_strdup (json_node_get_string (name));
    }
  JsonNode *vars = member (o, "variables");
  if (vars != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (vars))
        {
          fail (doc, error, SW_DOCUMENT_ERROR_TYPE, "variables",
                "expected an object {\"NAME\": {\"value\": ..., \"unit\": ...}}");
          return NULL;
        }
      JsonObjectIter it;
      const char *vn;
      JsonNode *vm;
      json_object_iter_init (&it, json_node_get_object (vars));
      while (json_object_iter_next (&it, &vn, &vm))
        {
          g_autofree char *path = g_strdup_printf ("variables.%s", vn);
          if (!define_variable (doc, vn, vm, path, error))
            return NULL;
        }
      if (!check_variable_ranges (doc, error))
        return NULL;
    }
  JsonNode *brc = member (o, "brc");
  if (brc != NULL)
    doc->brc = json_node_copy (brc);
  return g_steal_pointer (&doc);
}

SwCellsDoc *
sw_cells_doc_load_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, SW_DOCUMENT_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? SW_DOCUMENT_ERROR_NOT_FOUND : SW_DOCUMENT_ERROR_READ,
                   "%s: %s", display, local->message);
      return NULL;
    }
  SwCellsDoc *doc = sw_cells_doc_load_data (contents, (gssize) len, display, dir, error);
  if (doc != NULL)
    doc->path = g_strdup (path);
  return doc;
}

SwCellsDoc *
sw_cells_doc_load (const char *what, GError **error)
{
  if (g_str_has_prefix (what, "preset:"))
    {
      const char *name = what + strlen ("preset:");
      g_autoptr (GBytes) bytes = sw_presets_lookup (name, error);
      if (bytes == NULL)
        return NULL;
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);
      return sw_cells_doc_load_data (data, (gssize) size, what, NULL, error);
    }
  return sw_cells_doc_load_file (what, error);
}

const char *
sw_cells_doc_get_display_name (SwCellsDoc *doc)
{
  return doc->display;
}

const char *
sw_cells_doc_get_path (SwCellsDoc *doc)
{
  return doc->path;
}

const char *
sw_cells_doc_get_title (SwCellsDoc *doc)
{
  return doc->title;
}

SwScope *
sw_cells_doc_get_scope (SwCellsDoc *doc)
{
  return doc->scope;
}

JsonNode *
sw_cells_doc_get_section (SwCellsDoc *doc, const char *name)
{
  if (strcmp (name, "brc") == 0)
    return doc->brc;
  return member (root_obj (doc), name);
}

void
sw_cells_doc_override (SwCellsDoc *doc, double dt_ms, double duration_ms)
{
  doc->dt_override = dt_ms;
  doc->duration_override = duration_ms;
}

void
sw_cells_doc_force_exact_rates (SwCellsDoc *doc)
{
  doc->force_exact = TRUE;
}

/* Editing and saving ---------------------------------------------------- */

char *
sw_cells_doc_to_json (SwCellsDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return sw_json_to_string (doc->root);
}

gboolean
sw_cells_doc_replace_data (SwCellsDoc *doc, const char *data, gssize length, GError **error)
{
  g_return_val_if_fail (doc != NULL && data != NULL, FALSE);
  SwCellsDoc *fresh = sw_cells_doc_load_data (data, length, doc->display, doc->base_dir, error);
  if (fresh == NULL)
    return FALSE;
  /* The content moves over; what names the document stays. */
#define SWAP(field)                                                                                \
  do                                                                                               \
    {                                                                                              \
      gpointer tmp_ = (gpointer) doc->field;                                                       \
      doc->field = fresh->field;                                                                   \
      fresh->field = tmp_;                                                                         \
    }                                                                                              \
  while (0)
  SWAP (root);
  SWAP (brc);
  SWAP (scope);
  SWAP (title);
  SWAP (var_unit);
  SWAP (var_min);
  SWAP (var_max);
#undef SWAP
  sw_cells_doc_free (fresh);
  return TRUE;
}

int
sw_cells_doc_append_entry (SwCellsDoc *doc, const char *section, JsonNode *entry)
{
  g_return_val_if_fail (doc != NULL && section != NULL && entry != NULL, -1);
  JsonObject *root = root_obj (doc);
  JsonNode *arr = member (root, section);
  if (arr == NULL)
    {
      json_object_set_array_member (root, section, json_array_new ());
      arr = member (root, section);
    }
  if (!JSON_NODE_HOLDS_ARRAY (arr))
    {
      json_node_unref (entry);
      return -1;
    }
  JsonArray *a = json_node_get_array (arr);
  json_array_add_element (a, entry);
  return (int) json_array_get_length (a) - 1;
}

gboolean
sw_cells_doc_remove_entry (SwCellsDoc *doc, const char *section, guint index)
{
  g_return_val_if_fail (doc != NULL && section != NULL, FALSE);
  JsonNode *arr = member (root_obj (doc), section);
  if (arr == NULL || !JSON_NODE_HOLDS_ARRAY (arr)
      || index >= json_array_get_length (json_node_get_array (arr)))
    return FALSE;
  json_array_remove_element (json_node_get_array (arr), index);
  return TRUE;
}

/* Relative "swc" files of @root were relative to @from; makes them
 * absolute (the folder the document is saved in is another). */
static void
anchor_swc_paths (JsonNode *root, const char *from)
{
  JsonNode *cells = json_object_get_member (json_node_get_object (root), "cells");
  if (cells == NULL || !JSON_NODE_HOLDS_OBJECT (cells))
    return;
  JsonObjectIter it;
  const char *name;
  JsonNode *def;
  json_object_iter_init (&it, json_node_get_object (cells));
  while (json_object_iter_next (&it, &name, &def))
    {
      if (!JSON_NODE_HOLDS_OBJECT (def))
        continue;
      JsonNode *swc = json_object_get_member (json_node_get_object (def), "swc");
      if (swc == NULL || !JSON_NODE_HOLDS_VALUE (swc)
          || json_node_get_value_type (swc) != G_TYPE_STRING
          || g_path_is_absolute (json_node_get_string (swc)))
        continue;
      g_autofree char *full = g_build_filename (from, json_node_get_string (swc), NULL);
      g_autofree char *canon = g_canonicalize_filename (full, NULL);
      json_node_set_string (swc, canon);
    }
}

gboolean
sw_cells_doc_save (SwCellsDoc *doc, const char *path, GError **error)
{
  g_autofree char *display = NULL;
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *old_dir = NULL;
  g_autofree char *new_dir = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  GStatBuf st;
  int mode = 0666;

  g_return_val_if_fail (doc != NULL && path != NULL, FALSE);
  display = g_filename_display_name (path);
  dir = g_path_get_dirname (path);
  old_dir = g_canonicalize_filename (doc->base_dir, NULL);
  new_dir = g_canonicalize_filename (dir, NULL);
  if (strcmp (old_dir, new_dir) != 0)
    anchor_swc_paths (doc->root, old_dir);
  text = sw_cells_doc_to_json (doc);

  /* Replace what a link points to, not the link. */
  target = g_strdup (path);
  for (int hops = 0; hops < 16 && g_file_test (target, G_FILE_TEST_IS_SYMLINK); hops++)
    {
      g_autofree char *link = g_file_read_link (target, NULL);
      if (link == NULL)
        break;
      g_autofree char *link_dir = g_path_get_dirname (target);
      g_free (target);
      target = g_path_is_absolute (link) ? g_steal_pointer (&link)
                                         : g_build_filename (link_dir, link, NULL);
    }
  if (g_stat (target, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        return fail (doc, error, SW_DOCUMENT_ERROR_WRITE, NULL, "cannot save to %s: it is a folder",
                     display);
      mode = st.st_mode & 0777;
    }
  /* A temporary file beside the target, flushed, then renamed over it. */
  if (!g_file_set_contents_full (target, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, mode,
                                 &local))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_WRITE, "%s: cannot save: %s",
                   display, local->message);
      return FALSE;
    }
  g_free (doc->path);
  doc->path = g_strdup (path);
  g_free (doc->display);
  doc->display = g_steal_pointer (&display);
  g_free (doc->base_dir);
  doc->base_dir = g_steal_pointer (&dir);
  return TRUE;
}

char *
sw_cells_site_for_node (const SwCableCell *cell, int node)
{
  g_return_val_if_fail (cell != NULL, NULL);
  if (node < 0 || node >= sw_cable_cell_n_nodes (cell))
    return NULL;
  const SwCableMorph *m = sw_cable_cell_get_morph (cell);
  int sec = sw_cable_cell_node_section (cell, node);
  if (sec >= 0)
    {
      /* The centre of the segment, short when that parses back. */
      char num[G_ASCII_DTOSTR_BUF_SIZE];
      double x = sw_cable_cell_node_x (cell, node);
      for (int digits = 6; digits <= 17; digits += 11)
        {
          char fmt[8];
          g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
          g_ascii_formatd (num, sizeof num, fmt, x);
          char *site = g_strdup_printf ("%s(%s)", sw_cable_morph_section_name (m, sec), num);
          if (sw_cable_cell_site_parse (cell, site, NULL) == node)
            return site;
          g_free (site);
        }
    }
  /* A junction: the end of a section or the start of one. */
  for (int s = 0; s < sw_cable_morph_n_sections (m); s++)
    for (int end = 0; end < 2; end++)
      if (sw_cable_cell_site (cell, s, end) == node)
        return g_strdup_printf ("%s(%d)", sw_cable_morph_section_name (m, s), end);
  return NULL;
}

/* Simulation settings ----------------------------------------------------- */

static gboolean
get_string (SwCellsDoc *doc, JsonNode *node, const char *path, const char **out, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path, "expected a string");
  *out = json_node_get_string (node);
  return TRUE;
}

/* The member @name of the "simulation" object @o, one of @names (NULL
 * terminated): its index goes to *@out; *@out stays when it is absent. */
static gboolean
get_choice (SwCellsDoc *doc, JsonObject *o, const char *name, const char *const *names, int *out,
            GError **error)
{
  JsonNode *n = member (o, name);
  if (n == NULL)
    return TRUE;
  g_autofree char *path = g_strdup_printf ("simulation.%s", name);
  const char *s;
  if (!get_string (doc, n, path, &s, error))
    return FALSE;
  for (int k = 0; names[k] != NULL; k++)
    if (strcmp (s, names[k]) == 0)
      {
        *out = k;
        return TRUE;
      }
  g_autoptr (GString) expected = g_string_new (NULL);
  for (int k = 0; names[k] != NULL; k++)
    g_string_append_printf (expected, "%s\"%s\"",
                            k == 0 ? "" : names[k + 1] == NULL ? " or " : ", ", names[k]);
  return fail (doc, error, SW_DOCUMENT_ERROR_VALUE, path, "'%s': expected %s", s, expected->str);
}

gboolean
sw_cells_doc_get_config (SwCellsDoc *doc, SwCableConfig *cfg, double *duration_ms, GError **error)
{
  static const char *const fields[] = { "dt", "duration", "seed", "method", "order", "celsius",
                                        "record_dt", "cat_tau", "exact_rates", NULL };
  sw_cable_config_init (cfg);
  *duration_ms = 1000;
  JsonNode *sim = member (root_obj (doc), "simulation");
  if (sim != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (sim))
        return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, "simulation", "expected an object");
      JsonObject *o = json_node_get_object (sim);
      if (!check_fields (doc, o, fields, "simulation", error))
        return FALSE;
      JsonNode *n;
      if ((n = member (o, "dt")) != NULL)
        {
          if (!sw_cells_doc_eval (doc, n, "ms", "simulation.dt", &cfg->dt_ms, error))
            return FALSE;
          if (!(cfg->dt_ms > 0 && cfg->dt_ms <= 10))
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, "simulation.dt",
                         "%g ms: expected 0 < dt <= 10 ms", cfg->dt_ms);
        }
      if ((n = member (o, "duration")) != NULL)
        {
          if (!sw_cells_doc_eval (doc, n, "ms", "simulation.duration", duration_ms, error))
            return FALSE;
          if (!(*duration_ms > 0 && *duration_ms <= 1e8))
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, "simulation.duration",
                         "%g ms: expected a positive duration", *duration_ms);
        }
      if ((n = member (o, "record_dt")) != NULL)
        {
          if (!sw_cells_doc_eval (doc, n, "ms", "simulation.record_dt", &cfg->record_dt_ms, error))
            return FALSE;
          if (!(cfg->record_dt_ms > 0))
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, "simulation.record_dt",
                         "expected a positive interval");
        }
      if ((n = member (o, "celsius")) != NULL)
        {
          if (!sw_cells_doc_eval (doc, n, "", "simulation.celsius", &cfg->celsius, error))
            return FALSE;
          if (!(cfg->celsius >= -50 && cfg->celsius <= 60))
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, "simulation.celsius",
                         "%g: expected a temperature from -50 to 60 (°C)", cfg->celsius);
        }
      if ((n = member (o, "seed")) != NULL)
        {
          if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64
              || json_node_get_int (n) < 0)
            return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, "simulation.seed",
                         "expected a whole number >= 0");
          cfg->seed = (uint64_t) json_node_get_int (n);
        }
      if ((n = member (o, "exact_rates")) != NULL)
        {
          if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
            return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, "simulation.exact_rates",
                         "expected true or false");
          cfg->exact_rates = json_node_get_boolean (n);
        }
      /* The names in the order of the enums' values. */
      static const char *const methods[] = { "backward_euler", "crank_nicolson", NULL };
      static const char *const orders[] = { "neuron", "brc", NULL };
      static const char *const cat_taus[] = { "brc", "paper", NULL };
      int method = cfg->method, order = cfg->order, cat_tau = cfg->cat_tau;
      if (!get_choice (doc, o, "method", methods, &method, error)
          || !get_choice (doc, o, "order", orders, &order, error)
          || !get_choice (doc, o, "cat_tau", cat_taus, &cat_tau, error))
        return FALSE;
      cfg->method = (SwCableMethod) method;
      cfg->order = (SwCableOrder) order;
      cfg->cat_tau = (SwCableCatTau) cat_tau;
    }
  if (doc->force_exact)
    cfg->exact_rates = true;
  if (doc->dt_override > 0)
    cfg->dt_ms = doc->dt_override;
  if (doc->duration_override > 0)
    *duration_ms = doc->duration_override;
  return TRUE;
}

/* Cells ------------------------------------------------------------------- */

/* A per-section value: a number or expression for every section, or an
 * object {"SECTION": value, ...}. */
typedef SwStatus (*SectionSetter) (SwCableCell *cell, int section, double value, SwError *err);

static gboolean
apply_per_section (SwCellsDoc *doc, SwCableCell *cell, JsonNode *node, const char *unit,
                   const char *path, SectionSetter set, GError **error)
{
  const SwCableMorph *m = sw_cable_cell_get_morph (cell);
  SwError err = { { 0 } };
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter it;
      const char *sec;
      JsonNode *v;
      json_object_iter_init (&it, json_node_get_object (node));
      while (json_object_iter_next (&it, &sec, &v))
        {
          g_autofree char *p = g_strdup_printf ("%s.%s", path, sec);
          int s = strcmp (sec, "all") == 0 ? -1 : sw_cable_morph_find (m, sec);
          if (s < 0 && strcmp (sec, "all") != 0)
            return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, p,
                         "the cell has no section '%s'", sec);
          double x;
          if (!sw_cells_doc_eval (doc, v, unit, p, &x, error))
            return FALSE;
          if (set (cell, s, x, &err) != SW_OK)
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, p, "%s", err.text);
        }
      return TRUE;
    }
  double x;
  if (!sw_cells_doc_eval (doc, node, unit, path, &x, error))
    return FALSE;
  if (set (cell, -1, x, &err) != SW_OK)
    return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, path, "%s", err.text);
  return TRUE;
}

/* Sections listed as "all", a name, or an array of names; -1 in @out[0]
 * for all. */
static gboolean
read_sections (SwCellsDoc *doc, const SwCableMorph *m, JsonNode *node, const char *path,
               GArray *out, GError **error)
{
  if (node == NULL)
    {
      int all = -1;
      g_array_append_val (out, all);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      int k = strcmp (s, "all") == 0 ? -1 : sw_cable_morph_find (m, s);
      if (k < 0 && strcmp (s, "all") != 0)
        return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, path,
                     "the cell has no section '%s'", s);
      g_array_append_val (out, k);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path,
                 "expected \"all\", a section name or an array of section names");
  JsonArray *a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *p = g_strdup_printf ("%s[%u]", path, i);
      JsonNode *e = json_array_get_element (a, i);
      const char *s;
      if (!get_string (doc, e, p, &s, error))
        return FALSE;
      int k = sw_cable_morph_find (m, s);
      if (k < 0)
        return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, p, "the cell has no section '%s'", s);
      g_array_append_val (out, k);
    }
  return TRUE;
}

static SwCableMorph *
read_morphology (SwCellsDoc *doc, JsonArray *secs, const char *path, GError **error)
{
  SwCableMorph *m = sw_cable_morph_new ();
  static const char *const fields[] = { "name", "L", "d", "nseg", "parent", "x", NULL };
  for (guint i = 0; i < json_array_get_length (secs); i++)
    {
      g_autofree char *p = g_strdup_printf ("%s[%u]", path, i);
      JsonNode *e = json_array_get_element (secs, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        {
          fail (doc, error, SW_DOCUMENT_ERROR_TYPE, p, "expected a section {\"name\", \"L\", \"d\", ...}");
          goto fail;
        }
      JsonObject *o = json_node_get_object (e);
      if (!check_fields (doc, o, fields, p, error))
        goto fail;
      const char *name;
      g_autofree char *pn = g_strdup_printf ("%s.name", p);
      if (!get_string (doc, member (o, "name"), pn, &name, error))
        goto fail;
      double l, d, x = 1, nseg = 1;
      g_autofree char *pl = g_strdup_printf ("%s.L", p);
      g_autofree char *pd = g_strdup_printf ("%s.d", p);
      if (!sw_cells_doc_eval (doc, member (o, "L"), "um", pl, &l, error)
          || !sw_cells_doc_eval (doc, member (o, "d"), "um", pd, &d, error))
        goto fail;
      if (member (o, "nseg"))
        {
          g_autofree char *ps = g_strdup_printf ("%s.nseg", p);
          if (!sw_cells_doc_eval (doc, member (o, "nseg"), "", ps, &nseg, error))
            goto fail;
          if (nseg != floor (nseg) || nseg < 1 || nseg > 100000)
            {
              fail (doc, error, SW_DOCUMENT_ERROR_RANGE, ps, "%g: expected a whole number from 1 to 100000", nseg);
              goto fail;
            }
        }
      int parent = -1;
      if (member (o, "parent"))
        {
          const char *pname;
          g_autofree char *pp = g_strdup_printf ("%s.parent", p);
          if (!get_string (doc, member (o, "parent"), pp, &pname, error))
            goto fail;
          parent = sw_cable_morph_find (m, pname);
          if (parent < 0)
            {
              fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, pp,
                    "no earlier section '%s'; list parents before their children", pname);
              goto fail;
            }
        }
      else if (i > 0)
        {
          fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, p,
                "only the first section is the root; the others need a \"parent\"");
          goto fail;
        }
      if (member (o, "x"))
        {
          g_autofree char *px = g_strdup_printf ("%s.x", p);
          if (!sw_cells_doc_eval (doc, member (o, "x"), "", px, &x, error))
            goto fail;
        }
      SwError err = { { 0 } };
      if (sw_cable_morph_add_section (m, name, parent, x, l, d, (int) nseg, &err) < 0)
        {
          fail (doc, error, SW_DOCUMENT_ERROR_RANGE, p, "%s", err.text);
          goto fail;
        }
    }
  if (sw_cable_morph_n_sections (m) == 0)
    {
      fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, path, "expected at least one section");
      goto fail;
    }
  return m;
fail:
  sw_cable_morph_free (m);
  return NULL;
}

static gboolean
apply_mechanisms (SwCellsDoc *doc, SwCableCell *cell, JsonNode *node, const char *path,
                  GError **error)
{
  static const char *const fields[] = { "name", "sections", "params", NULL };
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path,
                 "expected an array of {\"name\": MECHANISM, \"sections\": ..., \"params\": {...}}");
  const SwCableMorph *m = sw_cable_cell_get_morph (cell);
  JsonArray *a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *p = g_strdup_printf ("%s[%u]", path, i);
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, p, "expected an object");
      JsonObject *o = json_node_get_object (e);
      if (!check_fields (doc, o, fields, p, error))
        return FALSE;
      const char *name;
      g_autofree char *pn = g_strdup_printf ("%s.name", p);
      if (!get_string (doc, member (o, "name"), pn, &name, error))
        return FALSE;
      const SwCableMechType *type = sw_cable_mech_find (name);
      if (type == NULL)
        {
          g_autoptr (GString) list = g_string_new (NULL);
          const SwCableMechType *const *all = sw_cable_mech_list ();
          for (int k = 0; all[k]; k++)
            g_string_append_printf (list, "%s%s", k ? ", " : "", all[k]->name);
          return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, pn,
                       "unknown mechanism '%s'; expected one of %s", name, list->str);
        }
      g_autoptr (GArray) secs = g_array_new (FALSE, FALSE, sizeof (int));
      g_autofree char *ps = g_strdup_printf ("%s.sections", p);
      if (!read_sections (doc, m, member (o, "sections"), ps, secs, error))
        return FALSE;
      for (guint k = 0; k < secs->len; k++)
        sw_cable_cell_insert (cell, g_array_index (secs, int, k), name, NULL);
      JsonNode *params = member (o, "params");
      if (params == NULL)
        continue;
      g_autofree char *pp = g_strdup_printf ("%s.params", p);
      if (!JSON_NODE_HOLDS_OBJECT (params))
        return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, pp, "expected an object {\"PARAM\": value}");
      JsonObjectIter it;
      const char *pname;
      JsonNode *pv;
      json_object_iter_init (&it, json_node_get_object (params));
      while (json_object_iter_next (&it, &pname, &pv))
        {
          g_autofree char *pq = g_strdup_printf ("%s.%s", pp, pname);
          int k = sw_cable_mech_param_index (type, pname);
          if (k < 0)
            {
              g_autoptr (GString) list = g_string_new (NULL);
              for (int q = 0; q < type->n_params; q++)
                g_string_append_printf (list, "%s%s", q ? ", " : "", type->params[q].name);
              return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, pq,
                           "mechanism '%s' has no parameter '%s'; it has %s", name, pname, list->str);
            }
          double v;
          if (!sw_cells_doc_eval (doc, pv, type->params[k].unit, pq, &v, error))
            return FALSE;
          for (guint q = 0; q < secs->len; q++)
            {
              SwError err = { { 0 } };
              if (sw_cable_cell_set_param (cell, g_array_index (secs, int, q), name, pname, v, &err)
                  != SW_OK)
                return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pq, "%s", err.text);
            }
        }
    }
  return TRUE;
}

SwCableCell *
sw_cells_doc_build_cell (SwCellsDoc *doc, const char *name, GError **error)
{
  static const char *const fields[] = { "builtin", "swc", "sections", "area", "d_lambda",
                                        "d_lambda_freq", "Ra", "cm", "v_init", "mechanisms",
                                        "gates", "detect", "description", NULL };
  JsonNode *cells = member (root_obj (doc), "cells");
  if (cells == NULL || !JSON_NODE_HOLDS_OBJECT (cells))
    {
      fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "cells",
            "expected an object of cell definitions {\"NAME\": {\"builtin\": ...}}");
      return NULL;
    }
  JsonNode *node = member (json_node_get_object (cells), name);
  g_autofree char *path = g_strdup_printf ("cells.%s", name);
  if (node == NULL)
    {
      fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "cells", "no cell named '%s'", name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path, "expected an object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (node);
  if (!check_fields (doc, o, fields, path, error))
    return NULL;
  int sources = (member (o, "builtin") != NULL) + (member (o, "swc") != NULL)
                + (member (o, "sections") != NULL);
  if (sources != 1)
    {
      fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, path,
            "expected exactly one of \"builtin\", \"swc\" and \"sections\"");
      return NULL;
    }
  SwCableCell *cell = NULL;
  JsonNode *n;
  if ((n = member (o, "builtin")) != NULL)
    {
      const char *b;
      g_autofree char *pb = g_strdup_printf ("%s.builtin", path);
      if (!get_string (doc, n, pb, &b, error))
        return NULL;
      if (member (o, "area"))
        {
          if (strcmp (b, "hh") != 0)
            {
              fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD, path,
                    "\"area\" goes with \"builtin\": \"hh\" only");
              return NULL;
            }
          double area;
          g_autofree char *pa = g_strdup_printf ("%s.area", path);
          if (!sw_cells_doc_eval (doc, member (o, "area"), "um^2", pa, &area, error))
            return NULL;
          if (!(area > 0 && area < 1e9))
            {
              fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pa, "expected a positive area");
              return NULL;
            }
          cell = sw_cable_cell_new_hh (area);
        }
      else
        cell = sw_cable_cell_new_builtin (b);
      if (cell == NULL)
        {
          g_autofree char *list = g_strjoinv (", ", (char **) sw_cable_cell_builtin_names ());
          fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, pb, "unknown cell '%s'; expected one of %s",
                b, list);
          return NULL;
        }
    }
  else
    {
      SwCableMorph *m;
      if ((n = member (o, "swc")) != NULL)
        {
          const char *file;
          g_autofree char *ps = g_strdup_printf ("%s.swc", path);
          if (!get_string (doc, n, ps, &file, error))
            return NULL;
          g_autofree char *full = g_path_is_absolute (file) ? g_strdup (file)
                                                            : g_build_filename (doc->base_dir, file, NULL);
          g_autoptr (GError) local = NULL;
          m = sw_swc_load (full, &local);
          if (m == NULL)
            {
              fail (doc, error, SW_DOCUMENT_ERROR_INVALID, ps, "%s", local->message);
              return NULL;
            }
        }
      else
        {
          g_autofree char *ps = g_strdup_printf ("%s.sections", path);
          if (!JSON_NODE_HOLDS_ARRAY (member (o, "sections")))
            {
              fail (doc, error, SW_DOCUMENT_ERROR_TYPE, ps, "expected an array of sections");
              return NULL;
            }
          m = read_morphology (doc, json_node_get_array (member (o, "sections")), ps, error);
          if (m == NULL)
            return NULL;
        }
      /* Automatic segment counts: the d_lambda rule (0.1 at 100 Hz unless
       * given) for SWC morphologies, and for listed sections when
       * "d_lambda" is given. */
      double ra = 100, cm = 1;
      if (member (o, "Ra") && !JSON_NODE_HOLDS_OBJECT (member (o, "Ra")))
        {
          g_autofree char *pr = g_strdup_printf ("%s.Ra", path);
          if (!sw_cells_doc_eval (doc, member (o, "Ra"), "ohm*cm", pr, &ra, error))
            goto fail_morph;
        }
      if (member (o, "cm") && !JSON_NODE_HOLDS_OBJECT (member (o, "cm")))
        {
          g_autofree char *pc = g_strdup_printf ("%s.cm", path);
          if (!sw_cells_doc_eval (doc, member (o, "cm"), "uF/cm^2", pc, &cm, error))
            goto fail_morph;
        }
      if (member (o, "swc") || member (o, "d_lambda"))
        {
          double dl = 0.1, f = 100;
          if (member (o, "d_lambda"))
            {
              g_autofree char *pl = g_strdup_printf ("%s.d_lambda", path);
              if (!sw_cells_doc_eval (doc, member (o, "d_lambda"), "", pl, &dl, error))
                goto fail_morph;
              if (!(dl > 0 && dl <= 10))
                {
                  fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pl, "%g: expected 0 < d_lambda <= 10", dl);
                  goto fail_morph;
                }
            }
          if (member (o, "d_lambda_freq"))
            {
              g_autofree char *pf = g_strdup_printf ("%s.d_lambda_freq", path);
              if (!sw_cells_doc_eval (doc, member (o, "d_lambda_freq"), "Hz", pf, &f, error))
                goto fail_morph;
              if (!(f > 0))
                {
                  fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pf, "expected a positive frequency");
                  goto fail_morph;
                }
            }
          if (ra > 0 && cm > 0)
            sw_cable_morph_apply_d_lambda (m, dl, f, ra, cm);
        }
      cell = sw_cable_cell_new (m);
      sw_cable_morph_free (m);
      if (cell == NULL)
        {
          fail (doc, error, SW_DOCUMENT_ERROR_INVALID, path, "out of memory");
          return NULL;
        }
      goto built;
    fail_morph:
      sw_cable_morph_free (m);
      return NULL;
    }
built:
  if ((n = member (o, "Ra")) != NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.Ra", path);
      if (!apply_per_section (doc, cell, n, "ohm*cm", p, sw_cable_cell_set_ra, error))
        goto fail;
    }
  if ((n = member (o, "cm")) != NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.cm", path);
      if (!apply_per_section (doc, cell, n, "uF/cm^2", p, sw_cable_cell_set_cm, error))
        goto fail;
    }
  if ((n = member (o, "v_init")) != NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.v_init", path);
      if (!apply_per_section (doc, cell, n, "mV", p, sw_cable_cell_set_v_init, error))
        goto fail;
    }
  if ((n = member (o, "mechanisms")) != NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.mechanisms", path);
      if (!apply_mechanisms (doc, cell, n, p, error))
        goto fail;
    }
  if ((n = member (o, "gates")) != NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.gates", path);
      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
          && strcmp (json_node_get_string (n), "steady") == 0)
        sw_cable_cell_set_gate_init (cell, true, 0.2);
      else
        {
          double g;
          if (!sw_cells_doc_eval (doc, n, "", p, &g, error))
            goto fail;
          if (!(g >= 0 && g <= 1))
            {
              fail (doc, error, SW_DOCUMENT_ERROR_RANGE, p, "%g: expected \"steady\" or a value in [0, 1]", g);
              goto fail;
            }
          sw_cable_cell_set_gate_init (cell, false, g);
        }
    }
  if ((n = member (o, "detect")) != NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.detect", path);
      const char *s;
      if (!get_string (doc, n, p, &s, error))
        goto fail;
      if (strcmp (s, "none") == 0)
        {
          sw_cable_cell_set_detect (cell, -1);
          return cell;
        }
      SwError err = { { 0 } };
      int det = sw_cable_cell_site_parse (cell, s, &err);
      if (det < 0)
        {
          fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, p, "%s", err.text);
          goto fail;
        }
      sw_cable_cell_set_detect (cell, det);
    }
  return cell;
fail:
  sw_cable_cell_free (cell);
  return NULL;
}

/* Building -------------------------------------------------------------- */

static void
pop_free (SwCellsPop *p)
{
  g_free (p->name);
  g_free (p->cell);
  g_free (p);
}

static void
probe_free (SwCellsProbe *p)
{
  g_free (p->label);
  g_free (p);
}

void
sw_cells_build_free (SwCellsBuild *b)
{
  if (b == NULL)
    return;
  sw_cable_sim_free (b->sim);
  g_ptr_array_unref (b->pops);
  g_ptr_array_unref (b->probes);
  g_ptr_array_unref (b->cells);
  g_free (b);
}

const SwCellsPop *
sw_cells_build_find_pop (const SwCellsBuild *b, const char *name)
{
  for (guint i = 0; i < b->pops->len; i++)
    {
      const SwCellsPop *p = b->pops->pdata[i];
      if (strcmp (p->name, name) == 0)
        return p;
    }
  return NULL;
}

/* The population of an entry ("population": NAME) and its cells ("cells":
 * "all", an index or an array of indices), as global indices. */
static const SwCellsPop *
read_targets (SwCellsDoc *doc, SwCellsBuild *b, JsonObject *o, const char *path, GArray *cells,
              GError **error)
{
  const char *name;
  g_autofree char *pp = g_strdup_printf ("%s.population", path);
  if (!get_string (doc, member (o, "population"), pp, &name, error))
    return NULL;
  const SwCellsPop *pop = sw_cells_build_find_pop (b, name);
  if (pop == NULL)
    {
      fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, pp, "no population '%s'", name);
      return NULL;
    }
  JsonNode *c = member (o, "cells");
  g_autofree char *pc = g_strdup_printf ("%s.cells", path);
  if (c == NULL || (JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_STRING
                    && strcmp (json_node_get_string (c), "all") == 0))
    {
      for (int i = 0; i < pop->n; i++)
        {
          int g = pop->first + i;
          g_array_append_val (cells, g);
        }
      return pop;
    }
  GPtrArray *items = g_ptr_array_new ();
  if (JSON_NODE_HOLDS_ARRAY (c))
    {
      JsonArray *a = json_node_get_array (c);
      for (guint i = 0; i < json_array_get_length (a); i++)
        g_ptr_array_add (items, json_array_get_element (a, i));
    }
  else
    g_ptr_array_add (items, c);
  for (guint i = 0; i < items->len; i++)
    {
      JsonNode *e = items->pdata[i];
      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64
          || json_node_get_int (e) < 0 || json_node_get_int (e) >= pop->n)
        {
          g_ptr_array_unref (items);
          fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pc,
                "expected \"all\", or cell indices from 0 to %d of population '%s'", pop->n - 1,
                pop->name);
          return NULL;
        }
      int g = pop->first + (int) json_node_get_int (e);
      g_array_append_val (cells, g);
    }
  g_ptr_array_unref (items);
  return pop;
}

static int
read_site (SwCellsDoc *doc, SwCellsBuild *b, const SwCellsPop *pop, JsonObject *o, const char *path,
           const char *dflt, GError **error)
{
  const SwCableCell *cell = sw_cable_sim_cell_def (b->sim, pop->first);
  const char *s = dflt;
  g_autofree char *ps = g_strdup_printf ("%s.site", path);
  if (member (o, "site") != NULL && !get_string (doc, member (o, "site"), ps, &s, error))
    return -1;
  if (s == NULL)
    {
      fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, path, "expected a \"site\" such as \"soma(0.5)\"");
      return -1;
    }
  SwError err = { { 0 } };
  int node = sw_cable_cell_site_parse (cell, s, &err);
  if (node < 0)
    fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, ps, "%s (cell '%s' of population '%s')",
          err.text, pop->cell, pop->name);
  return node;
}

static gboolean
opt_eval (SwCellsDoc *doc, JsonObject *o, const char *field, const char *unit, const char *path,
          double *value, GError **error)
{
  JsonNode *n = member (o, field);
  if (n == NULL)
    return TRUE;
  g_autofree char *p = g_strdup_printf ("%s.%s", path, field);
  return sw_cells_doc_eval (doc, n, unit, p, value, error);
}

static gboolean
read_event_times (SwCellsDoc *doc, JsonNode *n, const char *path, GArray *times, GError **error)
{
  if (JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          g_autofree char *p = g_strdup_printf ("%s[%u]", path, i);
          double t;
          if (!sw_cells_doc_eval (doc, json_array_get_element (a, i), "ms", p, &t, error))
            return FALSE;
          if (!(t >= 0))
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, p, "expected a time >= 0");
          g_array_append_val (times, t);
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (n))
    {
      static const char *const fields[] = { "start", "interval", "count", NULL };
      JsonObject *o = json_node_get_object (n);
      if (!check_fields (doc, o, fields, path, error))
        return FALSE;
      double start = 0, interval = 10, count = 1;
      if (!opt_eval (doc, o, "start", "ms", path, &start, error)
          || !opt_eval (doc, o, "interval", "ms", path, &interval, error)
          || !opt_eval (doc, o, "count", "", path, &count, error))
        return FALSE;
      if (!(start >= 0 && interval > 0 && count >= 0 && count <= 1e7 && count == floor (count)))
        return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, path,
                     "expected start >= 0, interval > 0 and a whole count");
      for (int i = 0; i < (int) count; i++)
        {
          double t = start + i * interval;
          g_array_append_val (times, t);
        }
      return TRUE;
    }
  return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path,
               "expected an array of times or {\"start\", \"interval\", \"count\"}");
}

/* First synapse index of each "synapses" entry and the cells it covers. */
typedef struct
{
  int first_syn;
  GArray *cells;
} SynEntry;

static gboolean
build_synapses (SwCellsDoc *doc, SwCellsBuild *b, JsonNode *node, GArray *entries, GError **error)
{
  static const char *const fields[] = { "population", "cells", "site", "receptor", "g_max",
                                        "weight", "e", "alpha", "beta", "mg", "mg_slope", "tau1",
                                        "tau2", "events", "source", "label", NULL };
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, "synapses", "expected an array");
  JsonArray *a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *path = g_strdup_printf ("synapses[%u]", i);
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path, "expected an object");
      JsonObject *o = json_node_get_object (e);
      if (!check_fields (doc, o, fields, path, error))
        return FALSE;
      SynEntry entry = { sw_cable_sim_n_synapses (b->sim), g_array_new (FALSE, FALSE, sizeof (int)) };
      g_array_append_val (entries, entry);
      const SwCellsPop *pop = read_targets (doc, b, o, path, entry.cells, error);
      if (pop == NULL)
        return FALSE;
      int node_i = read_site (doc, b, pop, o, path, NULL, error);
      if (node_i < 0)
        return FALSE;
      const char *rec;
      g_autofree char *pr = g_strdup_printf ("%s.receptor", path);
      if (!get_string (doc, member (o, "receptor"), pr, &rec, error))
        return FALSE;
      SwCableSynParams p;
      if (!sw_cable_syn_preset (rec, &p))
        return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, pr,
                     "unknown receptor '%s'; expected ampa, nmda, gabaa, fast_nmda, slow_ampa, "
                     "hnn_nmda, exp2_ampa, exp2_nmda, exp2_gabaa or exp2_gabab", rec);
      double weight = 0;
      if (!opt_eval (doc, o, "g_max", "uS", path, &p.g_max_us, error)
          || !opt_eval (doc, o, "weight", "uS", path, &weight, error)
          || !opt_eval (doc, o, "e", "mV", path, &p.e_mv, error)
          || !opt_eval (doc, o, "alpha", "1/(ms*mM)", path, &p.alpha, error)
          || !opt_eval (doc, o, "beta", "1/ms", path, &p.beta, error)
          || !opt_eval (doc, o, "mg", "mM", path, &p.mg_mm, error)
          || !opt_eval (doc, o, "mg_slope", "1/mV", path, &p.mg_slope, error)
          || !opt_eval (doc, o, "tau1", "ms", path, &p.tau1_ms, error)
          || !opt_eval (doc, o, "tau2", "ms", path, &p.tau2_ms, error))
        return FALSE;
      if (p.kind == SW_CABLE_SYN_KINETIC && member (o, "weight"))
        return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD, path,
                     "a kinetic receptor takes \"g_max\", not \"weight\"");
      if (p.kind == SW_CABLE_SYN_EXP2 && member (o, "g_max"))
        return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD, path,
                     "a double-exponential receptor takes \"weight\" (per event), not \"g_max\"");
      if (!(p.g_max_us >= 0 && p.g_max_us <= 1e3 && p.mg_mm >= 0 && fabs (weight) <= 1e3))
        return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, path,
                     "expected 0 <= g_max <= 1000 µS, |weight| <= 1000 µS and mg >= 0");
      g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      if (member (o, "events"))
        {
          g_autofree char *pe = g_strdup_printf ("%s.events", path);
          if (!read_event_times (doc, member (o, "events"), pe, times, error))
            return FALSE;
        }
      const SwCellsPop *src = NULL;
      double delay = 0;
      int src_cell = -1;
      JsonNode *sn = member (o, "source");
      if (sn != NULL)
        {
          static const char *const sfields[] = { "population", "cell", "delay", NULL };
          g_autofree char *ps = g_strdup_printf ("%s.source", path);
          if (!JSON_NODE_HOLDS_OBJECT (sn))
            return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, ps,
                         "expected {\"population\": NAME, \"cell\": INDEX or \"same\", \"delay\": TIME}");
          JsonObject *so = json_node_get_object (sn);
          if (!check_fields (doc, so, sfields, ps, error))
            return FALSE;
          const char *sname;
          g_autofree char *psp = g_strdup_printf ("%s.population", ps);
          if (!get_string (doc, member (so, "population"), psp, &sname, error))
            return FALSE;
          src = sw_cells_build_find_pop (b, sname);
          if (src == NULL)
            return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, psp, "no population '%s'", sname);
          if (!opt_eval (doc, so, "delay", "ms", ps, &delay, error))
            return FALSE;
          JsonNode *cn = member (so, "cell");
          g_autofree char *pcl = g_strdup_printf ("%s.cell", ps);
          if (cn == NULL || (JSON_NODE_HOLDS_VALUE (cn) && json_node_get_value_type (cn) == G_TYPE_STRING
                             && strcmp (json_node_get_string (cn), "same") == 0))
            {
              if (src->n != pop->n && cn != NULL)
                return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pcl,
                             "\"same\" needs populations of one size ('%s' has %d, '%s' %d)",
                             src->name, src->n, pop->name, pop->n);
              src_cell = cn == NULL && src->n == 1 ? 0 : -1;
              if (cn == NULL && src->n != 1 && src->n != pop->n)
                return fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, ps,
                             "give \"cell\": an index, or \"same\" for populations of one size");
            }
          else if (JSON_NODE_HOLDS_VALUE (cn) && json_node_get_value_type (cn) == G_TYPE_INT64
                   && json_node_get_int (cn) >= 0 && json_node_get_int (cn) < src->n)
            src_cell = (int) json_node_get_int (cn);
          else
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pcl,
                         "expected a cell index from 0 to %d or \"same\"", src->n - 1);
        }
      for (guint k = 0; k < entry.cells->len; k++)
        {
          int cell = g_array_index (entry.cells, int, k);
          SwError err = { { 0 } };
          int syn = sw_cable_sim_add_synapse (b->sim, cell, node_i, &p, &err);
          if (syn < 0)
            return fail (doc, error, SW_DOCUMENT_ERROR_INVALID, path, "%s", err.text);
          if (times->len > 0
              && sw_cable_sim_add_events (b->sim, syn, (double *) times->data, (int) times->len,
                                          weight, &err) != SW_OK)
            return fail (doc, error, SW_DOCUMENT_ERROR_INVALID, path, "%s", err.text);
          if (src != NULL)
            {
              int pre = src_cell >= 0 ? src->first + src_cell : src->first + (cell - pop->first);
              if (sw_cable_sim_connect (b->sim, pre, syn, delay, weight, &err) != SW_OK)
                return fail (doc, error, SW_DOCUMENT_ERROR_INVALID, path, "%s", err.text);
            }
        }
    }
  return TRUE;
}

static gboolean
build_stimuli (SwCellsDoc *doc, SwCellsBuild *b, JsonNode *node, GError **error)
{
  static const char *const fields[] = { "type", "population", "cells", "site", "delay",
                                        "duration", "amplitude", "mean", "sd", "f0", "f1", "v",
                                        "rs", "label", NULL };
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, "stimuli", "expected an array");
  JsonArray *a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *path = g_strdup_printf ("stimuli[%u]", i);
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path, "expected an object");
      JsonObject *o = json_node_get_object (e);
      if (!check_fields (doc, o, fields, path, error))
        return FALSE;
      const char *type;
      g_autofree char *pt = g_strdup_printf ("%s.type", path);
      if (!get_string (doc, member (o, "type"), pt, &type, error))
        return FALSE;
      g_autoptr (GArray) cells = g_array_new (FALSE, FALSE, sizeof (int));
      const SwCellsPop *pop = read_targets (doc, b, o, path, cells, error);
      if (pop == NULL)
        return FALSE;
      int node_i = read_site (doc, b, pop, o, path, NULL, error);
      if (node_i < 0)
        return FALSE;
      double delay = 0, dur = 1e12, amp = 0, mean = 0, sd = 0, f0 = 0, f1 = 0, v = -65, rs = 1e-3;
      if (!opt_eval (doc, o, "delay", "ms", path, &delay, error)
          || !opt_eval (doc, o, "duration", "ms", path, &dur, error)
          || !opt_eval (doc, o, "amplitude", "nA", path, &amp, error)
          || !opt_eval (doc, o, "mean", "nA", path, &mean, error)
          || !opt_eval (doc, o, "sd", "nA", path, &sd, error)
          || !opt_eval (doc, o, "f0", "Hz", path, &f0, error)
          || !opt_eval (doc, o, "f1", "Hz", path, &f1, error)
          || !opt_eval (doc, o, "v", "mV", path, &v, error)
          || !opt_eval (doc, o, "rs", "Mohm", path, &rs, error))
        return FALSE;
      if (!(delay >= 0 && dur >= 0))
        return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, path, "expected delay >= 0 and duration >= 0");
      for (guint k = 0; k < cells->len; k++)
        {
          int cell = g_array_index (cells, int, k);
          SwError err = { { 0 } };
          int r;
          if (strcmp (type, "iclamp") == 0)
            r = sw_cable_sim_add_iclamp (b->sim, cell, node_i, delay, dur, amp, &err);
          else if (strcmp (type, "noise") == 0)
            r = sw_cable_sim_add_noise (b->sim, cell, node_i, delay, dur, mean, sd, &err);
          else if (strcmp (type, "zap") == 0)
            r = sw_cable_sim_add_zap (b->sim, cell, node_i, delay, dur, f0, f1, amp, &err);
          else if (strcmp (type, "vclamp") == 0)
            r = sw_cable_sim_add_vclamp (b->sim, cell, node_i, delay, dur, v, rs, &err);
          else
            return fail (doc, error, SW_DOCUMENT_ERROR_VALUE, pt,
                         "'%s': expected \"iclamp\", \"noise\", \"zap\" or \"vclamp\"", type);
          if (r < 0)
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, path, "%s", err.text);
        }
    }
  return TRUE;
}

static gboolean
build_probes (SwCellsDoc *doc, SwCellsBuild *b, JsonNode *node, GArray *entries, GError **error)
{
  static const char *const fields[] = { "population", "cell", "site", "what", "synapse", "label", NULL };
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, "probes", "expected an array");
  JsonArray *a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *path = g_strdup_printf ("probes[%u]", i);
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path, "expected an object");
      JsonObject *o = json_node_get_object (e);
      if (!check_fields (doc, o, fields, path, error))
        return FALSE;
      const char *what = "v";
      g_autofree char *pw = g_strdup_printf ("%s.what", path);
      if (member (o, "what") && !get_string (doc, member (o, "what"), pw, &what, error))
        return FALSE;
      int cell_index = 0;
      JsonNode *cn = member (o, "cell");
      g_autofree char *pc = g_strdup_printf ("%s.cell", path);
      if (cn != NULL)
        {
          if (!JSON_NODE_HOLDS_VALUE (cn) || json_node_get_value_type (cn) != G_TYPE_INT64
              || json_node_get_int (cn) < 0)
            return fail (doc, error, SW_DOCUMENT_ERROR_TYPE, pc, "expected a cell index >= 0");
          cell_index = (int) json_node_get_int (cn);
        }
      SwError err = { { 0 } };
      int probe;
      g_autofree char *label = NULL;
      if (member (o, "synapse"))
        {
          JsonNode *sn = member (o, "synapse");
          g_autofree char *ps = g_strdup_printf ("%s.synapse", path);
          if (!JSON_NODE_HOLDS_VALUE (sn) || json_node_get_value_type (sn) != G_TYPE_INT64
              || json_node_get_int (sn) < 0 || json_node_get_int (sn) >= (gint64) entries->len)
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, ps,
                         "expected the index of an entry of \"synapses\" (0 to %d)",
                         (int) entries->len - 1);
          int ei = (int) json_node_get_int (sn);
          const SynEntry *se = &g_array_index (entries, SynEntry, ei);
          if (cell_index >= (int) se->cells->len)
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pc,
                         "synapse entry %d covers %u cells", ei, se->cells->len);
          SwCableProbeKind kind;
          if (strcmp (what, "g") == 0)
            kind = SW_CABLE_PROBE_SYN_G;
          else if (strcmp (what, "R") == 0)
            kind = SW_CABLE_PROBE_SYN_R;
          else
            return fail (doc, error, SW_DOCUMENT_ERROR_VALUE, pw, "'%s': a synapse probe records \"g\" or \"R\"", what);
          probe = sw_cable_sim_add_probe (b->sim, kind, 0, 0, NULL, NULL, se->first_syn + cell_index, &err);
          label = g_strdup_printf ("synapses[%d][%d].%s", ei, cell_index, what);
        }
      else
        {
          const char *pname;
          g_autofree char *pp = g_strdup_printf ("%s.population", path);
          if (!get_string (doc, member (o, "population"), pp, &pname, error))
            return FALSE;
          const SwCellsPop *pop = sw_cells_build_find_pop (b, pname);
          if (pop == NULL)
            return fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, pp, "no population '%s'", pname);
          if (cell_index >= pop->n)
            return fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pc, "population '%s' has %d cells",
                         pop->name, pop->n);
          const SwCableCell *def = sw_cable_sim_cell_def (b->sim, pop->first);
          const char *site_text = "soma(0.5)";
          if (member (o, "site") == NULL && sw_cable_morph_find (sw_cable_cell_get_morph (def), "soma") < 0)
            site_text = NULL;
          int node_i = read_site (doc, b, pop, o, path, site_text, error);
          if (node_i < 0)
            return FALSE;
          const char *site_shown = site_text;
          if (member (o, "site"))
            site_shown = json_node_get_string (member (o, "site"));
          if (strcmp (what, "v") == 0)
            probe = sw_cable_sim_add_probe (b->sim, SW_CABLE_PROBE_V, pop->first + cell_index, node_i,
                                            NULL, NULL, 0, &err);
          else
            {
              const char *dot = strchr (what, '.');
              if (dot == NULL)
                return fail (doc, error, SW_DOCUMENT_ERROR_VALUE, pw,
                             "'%s': expected \"v\" or MECHANISM.STATE such as \"na.m\"", what);
              g_autofree char *mech = g_strndup (what, dot - what);
              probe = sw_cable_sim_add_probe (b->sim, SW_CABLE_PROBE_STATE, pop->first + cell_index,
                                              node_i, mech, dot + 1, 0, &err);
            }
          label = g_strdup_printf ("%s[%d].%s.%s", pop->name, cell_index, site_shown, what);
        }
      if (probe < 0)
        return fail (doc, error, SW_DOCUMENT_ERROR_INVALID, path, "%s", err.text);
      if (member (o, "label"))
        {
          const char *l;
          g_autofree char *pl = g_strdup_printf ("%s.label", path);
          if (!get_string (doc, member (o, "label"), pl, &l, error))
            return FALSE;
          g_free (label);
          label = g_strdup (l);
        }
      SwCellsProbe *pr = g_new0 (SwCellsProbe, 1);
      pr->label = g_steal_pointer (&label);
      pr->probe = probe;
      g_ptr_array_add (b->probes, pr);
    }
  return TRUE;
}

static void
syn_entries_clear (GArray *entries)
{
  for (guint i = 0; i < entries->len; i++)
    g_array_unref (g_array_index (entries, SynEntry, i).cells);
  g_array_unref (entries);
}

SwCellsBuild *
sw_cells_doc_build (SwCellsDoc *doc, GError **error)
{
  g_autoptr (SwCellsBuild) b = g_new0 (SwCellsBuild, 1);
  b->pops = g_ptr_array_new_with_free_func ((GDestroyNotify) pop_free);
  b->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) probe_free);
  b->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) sw_cable_cell_free);
  if (!sw_cells_doc_get_config (doc, &b->cfg, &b->duration_ms, error))
    return NULL;
  b->sim = sw_cable_sim_new (&b->cfg);

  JsonObject *o = root_obj (doc);
  JsonNode *cells = member (o, "cells");
  if (cells == NULL || !JSON_NODE_HOLDS_OBJECT (cells) || json_object_get_size (json_node_get_object (cells)) == 0)
    {
      fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "cells",
            "expected at least one cell definition {\"NAME\": {\"builtin\": ...}}");
      return NULL;
    }
  /* Every definition is built (and so checked), used or not. */
  {
    JsonObjectIter it;
    const char *name;
    JsonNode *m;
    json_object_iter_init (&it, json_node_get_object (cells));
    while (json_object_iter_next (&it, &name, &m))
      {
        SwCableCell *c = sw_cells_doc_build_cell (doc, name, error);
        if (c == NULL)
          return NULL;
        sw_cable_cell_free (c);
      }
  }
  JsonNode *pops = member (o, "populations");
  if (pops == NULL || !JSON_NODE_HOLDS_ARRAY (pops) || json_array_get_length (json_node_get_array (pops)) == 0)
    {
      fail (doc, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "populations",
            "expected an array of {\"name\": NAME, \"cell\": CELL, \"n\": COUNT}");
      return NULL;
    }
  JsonArray *pa = json_node_get_array (pops);
  for (guint i = 0; i < json_array_get_length (pa); i++)
    {
      static const char *const fields[] = { "name", "cell", "n", "description", NULL };
      g_autofree char *path = g_strdup_printf ("populations[%u]", i);
      JsonNode *e = json_array_get_element (pa, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        {
          fail (doc, error, SW_DOCUMENT_ERROR_TYPE, path, "expected an object");
          return NULL;
        }
      JsonObject *po = json_node_get_object (e);
      if (!check_fields (doc, po, fields, path, error))
        return NULL;
      const char *name, *cellname;
      g_autofree char *pn = g_strdup_printf ("%s.name", path);
      g_autofree char *pc = g_strdup_printf ("%s.cell", path);
      if (!get_string (doc, member (po, "name"), pn, &name, error)
          || !get_string (doc, member (po, "cell"), pc, &cellname, error))
        return NULL;
      if (sw_cells_build_find_pop (b, name) != NULL)
        {
          fail (doc, error, SW_DOCUMENT_ERROR_DUPLICATE, pn, "the population '%s' is defined twice", name);
          return NULL;
        }
      double n = 1;
      if (!opt_eval (doc, po, "n", "", path, &n, error))
        return NULL;
      if (!(n >= 1 && n <= 1e6 && n == floor (n)))
        {
          g_autofree char *pnn = g_strdup_printf ("%s.n", path);
          fail (doc, error, SW_DOCUMENT_ERROR_RANGE, pnn, "%g: expected a whole number from 1 to 1000000", n);
          return NULL;
        }
      if (!json_object_has_member (json_node_get_object (cells), cellname))
        {
          fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, pc, "no cell definition '%s' in \"cells\"", cellname);
          return NULL;
        }
      SwCableCell *c = sw_cells_doc_build_cell (doc, cellname, error);
      if (c == NULL)
        return NULL;
      g_ptr_array_add (b->cells, c);
      SwError err = { { 0 } };
      int first = sw_cable_sim_add_cells (b->sim, c, (int) n, &err);
      if (first < 0)
        {
          fail (doc, error, SW_DOCUMENT_ERROR_INVALID, path, "%s", err.text);
          return NULL;
        }
      SwCellsPop *pop = g_new0 (SwCellsPop, 1);
      pop->name = g_strdup (name);
      pop->cell = g_strdup (cellname);
      pop->first = first;
      pop->n = (int) n;
      g_ptr_array_add (b->pops, pop);
    }
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (SynEntry));
  gboolean ok = TRUE;
  JsonNode *n;
  if ((n = member (o, "synapses")) != NULL)
    ok = build_synapses (doc, b, n, entries, error);
  if (ok && (n = member (o, "stimuli")) != NULL)
    ok = build_stimuli (doc, b, n, error);
  if (ok && (n = member (o, "probes")) != NULL)
    ok = build_probes (doc, b, n, entries, error);
  syn_entries_clear (entries);
  if (!ok)
    return NULL;
  return g_steal_pointer (&b);
}
