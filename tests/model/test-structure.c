/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the structural edits the network editor makes: adding and
 * removing projections (transactional, saved and loaded back) and node
 * positions kept in the document's "ui" object.
 */
#include "config.h"

#include <string.h>

#include "test-util.h"

static SwDocument *
preset (const char *name)
{
  g_autoptr(GError) error = NULL;
  SwDocument *doc = sw_document_load_preset (name, &error);

  g_assert_no_error (error);
  return doc;
}

static int
find_proj (const SwNetSpec *spec, const char *name)
{
  for (int i = 0; i < spec->n_projs; i++)
    if (strcmp (spec->projs[i].name, name) == 0)
      return i;
  return -1;
}

static SwNetSpec *
spec_of (SwDocument *doc)
{
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec = sw_document_build_spec (doc, &error);

  g_assert_no_error (error);
  return spec;
}

static void
test_add_remove (void)
{
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sw_document_to_json (doc);
  g_autofree char *name = NULL;
  g_autofree char *name2 = NULL;
  g_autofree char *json = NULL;
  g_autoptr(SwDocument) reloaded = NULL;
  SwNetSpec *spec;
  int n;

  spec = spec_of (doc);
  n = spec->n_projs;
  g_assert_cmpint (find_proj (spec, "EE"), >=, 0);
  sw_net_spec_free (spec);

  /* "EE" is taken: the new one gets a number. */
  name = sw_document_add_projection (doc, "E", "E", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "EE2");
  /* Refused changes leave the document as it was. */
  name2 = sw_document_add_projection (doc, "I", "nope", &error);
  g_assert_null (name2);
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);
  /* A source population receives nothing: the validation says so. */
  name2 = sw_document_add_projection (doc, "I", "ext", &error);
  g_assert_null (name2);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "source population"));
  g_clear_error (&error);

  spec = spec_of (doc);
  g_assert_cmpint (spec->n_projs, ==, n + 1);
  {
    const SwProjSpec *p = &spec->projs[find_proj (spec, "EE2")];
    g_assert_cmpint (p->rule, ==, SW_CONN_FIXED_PROBABILITY);
    g_assert_cmpfloat (p->p, ==, 0.05);
    g_assert_cmpfloat (p->weight.a, ==, 1.0);
  }
  sw_net_spec_free (spec);

  /* Its fields can be set like any other. */
  g_assert_true (sw_document_set (doc, "EE2.weight", "2 nS", &error));
  g_assert_no_error (error);

  /* It is saved and loaded back. */
  json = sw_document_to_json (doc);
  reloaded = sw_document_load_data (json, -1, "test", &error);
  g_assert_no_error (error);
  spec = spec_of (reloaded);
  g_assert_cmpint (find_proj (spec, "EE2"), >=, 0);
  g_assert_cmpfloat (spec->projs[find_proj (spec, "EE2")].weight.a, ==, 2.0);
  sw_net_spec_free (spec);

  /* Removing it gives the document back as it was. */
  g_assert_true (sw_document_remove_projection (doc, "EE2", &error));
  g_assert_no_error (error);
  g_clear_pointer (&json, g_free);
  json = sw_document_to_json (doc);
  g_assert_cmpstr (json, ==, before);

  g_assert_true (sw_document_remove_projection (doc, "IE", &error));
  spec = spec_of (doc);
  g_assert_cmpint (spec->n_projs, ==, n - 1);
  g_assert_cmpint (find_proj (spec, "IE"), ==, -1);
  sw_net_spec_free (spec);

  /* An unknown name changes nothing. */
  g_clear_pointer (&json, g_free);
  json = sw_document_to_json (doc);
  g_assert_false (sw_document_remove_projection (doc, "nope", &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);
  {
    g_autofree char *after = sw_document_to_json (doc);
    g_assert_cmpstr (after, ==, json);
  }
}

static void
test_positions (void)
{
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  g_autoptr(SwDocument) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  double x = 0, y = 0;

  g_assert_false (sw_document_get_node_position (doc, "E", &x, &y));
  sw_document_set_node_position (doc, "E", 0.25, 0.5);
  sw_document_set_node_position (doc, "I", 1, 2);
  sw_document_set_node_position (doc, "E", 0.75, 0.125);
  g_assert_true (sw_document_get_node_position (doc, "E", &x, &y));
  g_assert_cmpfloat (x, ==, 0.75);
  g_assert_cmpfloat (y, ==, 0.125);

  /* Kept through saving, loading and structural edits. */
  json = sw_document_to_json (doc);
  g_assert_nonnull (strstr (json, "\"positions\""));
  reloaded = sw_document_load_data (json, -1, "test", &error);
  g_assert_no_error (error);
  g_assert_true (sw_document_get_node_position (reloaded, "I", &x, &y));
  g_assert_cmpfloat (x, ==, 1.0);
  g_assert_cmpfloat (y, ==, 2.0);
  /* A loaded (sealed) "ui" object can be changed too. */
  sw_document_set_node_position (reloaded, "I", 3, 4);
  g_assert_true (sw_document_remove_projection (reloaded, "EE", &error));
  g_assert_true (sw_document_get_node_position (reloaded, "I", &x, &y));
  g_assert_cmpfloat (x, ==, 3.0);
  g_assert_cmpfloat (y, ==, 4.0);

  /* Something else in "ui" is no position. */
  json2 = g_strdup ("{\"format\": \"spikeworks\", \"version\": 1, \"populations\": "
                    "[{\"name\": \"P\", \"source\": \"poisson\", \"n\": 1, \"rate\": 1}], "
                    "\"ui\": {\"network\": {\"positions\": {\"P\": \"left\"}}}}");
  g_clear_pointer (&reloaded, sw_document_free);
  reloaded = sw_document_load_data (json2, -1, "test", &error);
  g_assert_no_error (error);
  g_assert_false (sw_document_get_node_position (reloaded, "P", &x, &y));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/structure/add-remove", test_add_remove);
  g_test_add_func ("/model/structure/positions", test_positions);
  return g_test_run ();
}
