/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli brc`: bad input is refused with exit code 2 and a message
 * naming the document, the field or the parameter (an unknown condition,
 * a probability out of range, an unknown synapse group, a document without
 * a "brc" section, a malformed --search), and one short run of the preset
 * prints a complete JSON result.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "../sw-test-cli.h"

static char *tmpdir;

/* Exit 2 and each of the NULL-terminated strings in the message. */
static void
expect_input_error (const SwTestResult *r, ...)
{
  g_test_message ("stderr: %s", r->err);
  g_assert_cmpint (r->status, ==, 2);
  g_assert_cmpstr (r->out, ==, "");
  va_list ap;
  va_start (ap, r);
  for (const char *s = va_arg (ap, const char *); s != NULL; s = va_arg (ap, const char *))
    if (strstr (r->err, s) == NULL)
      g_error ("'%s' not in the message: %s", s, r->err);
  va_end (ap);
}

static char *
write_doc (const char *name, const char *brc)
{
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"spikeworks\", \"version\": 1, \"kind\": \"cells\", \"name\": \"t\"%s%s}",
    brc ? ", \"brc\": " : "", brc ? brc : "");
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_bad_input (void)
{
  SwTestResult r = sw_test_run_cli ("brc", "preset:brc-network", "--condition", "nmda", NULL);
  expect_input_error (&r, "--condition", "nmda-dend", NULL);
  sw_test_result_clear (&r);

  r = sw_test_run_cli ("brc", "preset:brc-network", "--set", "ii_gabaa.p=1.5", NULL);
  expect_input_error (&r, "preset:brc-network", "ii_gabaa.p", "[0, 1]", NULL);
  sw_test_result_clear (&r);

  r = sw_test_run_cli ("brc", "preset:brc-network", "--set", "cue_e.g=2 ms", NULL);
  expect_input_error (&r, "cue_e.g", NULL);
  sw_test_result_clear (&r);

  r = sw_test_run_cli ("brc", "preset:brc-network", "--set", "cue_condition=5", NULL);
  expect_input_error (&r, "cue_condition", NULL);
  sw_test_result_clear (&r);

  r = sw_test_run_cli ("brc", "preset:brc-network", "--search", "3", NULL);
  expect_input_error (&r, "ROUNDSxN", NULL);
  sw_test_result_clear (&r);

  g_autofree char *none = write_doc ("none.swk", NULL);
  r = sw_test_run_cli ("brc", none, NULL);
  expect_input_error (&r, "none.swk", "no \"brc\" section", NULL);
  sw_test_result_clear (&r);

  g_autofree char *group = write_doc ("group.swk", "{\"synapses\": {\"ee_foo\": {\"g\": 1}}}");
  r = sw_test_run_cli ("brc", group, NULL);
  expect_input_error (&r, "group.swk", "brc.synapses.ee_foo", "unknown parameter", NULL);
  sw_test_result_clear (&r);

  g_autofree char *unit = write_doc ("unit.swk",
                                     "{\"densities\": {\"e_soma\": {\"cat\": \"3 mV\"}}}");
  r = sw_test_run_cli ("brc", unit, NULL);
  expect_input_error (&r, "unit.swk", "brc.densities.e_soma.cat", NULL);
  sw_test_result_clear (&r);

  g_autofree char *field = write_doc ("field.swk", "{\"condtion\": 2}");
  r = sw_test_run_cli ("brc", field, NULL);
  expect_input_error (&r, "field.swk", "condtion", "condition", NULL);
  sw_test_result_clear (&r);

  g_autofree char *cond = write_doc ("cond.swk", "{\"condition\": 4}");
  r = sw_test_run_cli ("brc", cond, NULL);
  expect_input_error (&r, "cond.swk", "brc.condition", NULL);
  sw_test_result_clear (&r);

  /* A trial too short to hold the cue window. */
  r = sw_test_run_cli ("brc", "preset:brc-network", "--duration", "260 ms", NULL);
  expect_input_error (&r, "cue window", NULL);
  sw_test_result_clear (&r);
}

static void
test_short_run (void)
{
  /* 8 trials of 280 ms: the readout sees 250..280 ms. */
  SwTestResult r = sw_test_run_cli ("brc", "preset:brc-network", "--condition", "ampa-dend", "--repeats", "2",
                                    "--duration", "280 ms", "--threads", "2", "--set", "cue_e.g=0.5", NULL);
  g_test_message ("stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (o, "chance"), ==, 4.0);
  g_assert_cmpint (json_object_get_int_member (o, "repeats"), ==, 2);
  JsonArray *conds = json_object_get_array_member (o, "conditions");
  g_assert_cmpint (json_array_get_length (conds), ==, 1);
  JsonObject *c = json_array_get_object_element (conds, 0);
  g_assert_cmpstr (json_object_get_string_member (c, "condition"), ==, "ampa-dend");
  g_assert_cmpint (json_object_get_int_member (c, "trials"), ==, 8);
  double score = json_object_get_double_member (c, "score");
  double mse = json_object_get_double_member (c, "mse");
  g_assert_true (isfinite (mse) && mse >= 0.0);
  g_assert_cmpfloat (score, ==, mse + (json_object_get_boolean_member (c, "null") ? 1000.0 : 0.0));
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (c, "fold_mse")), ==, 2);
  JsonObject *syn = json_object_get_object_member (c, "synapses");
  g_assert_cmpint (json_object_get_int_member (syn, "ee_nmda_soma"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (syn, "cue_e"), >, 0);
  sw_test_result_clear (&r);
}

/* validate checks a document that holds only a BRC network; run points
 * to the brc command. */
static void
test_validate (void)
{
  SwTestResult r = sw_test_run_cli ("validate", "preset:brc-network", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"valid\" : true"));
  g_assert_nonnull (strstr (r.out, "\"e_cells\" : 50"));
  sw_test_result_clear (&r);
  r = sw_test_run_cli ("validate", "preset:brc-network", "--set", "cue_g=20", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "cue_g"));
  sw_test_result_clear (&r);
  r = sw_test_run_cli ("run", "preset:brc-network", NULL);
  expect_input_error (&r, "spikeworks-cli brc preset:brc-network", NULL);
  sw_test_result_clear (&r);
}

static double
condition_score (const char *condition, const char *cue_g, gboolean *null)
{
  g_autofree char *set = g_strdup_printf ("cue_g=%s", cue_g);
  SwTestResult r = sw_test_run_cli ("brc", "preset:brc-network", "--condition", condition,
                                    "--threads", "2", "--set", set, NULL);
  g_test_message ("stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  JsonObject *c = json_array_get_object_element (json_object_get_array_member (o, "conditions"), 0);
  g_assert_cmpint (json_object_get_int_member (c, "trials"), ==, 20);
  double mse = json_object_get_double_member (c, "mse");
  *null = json_object_get_boolean_member (c, "null");
  g_test_message ("%s, cue_g %s uS: test MSE %.4f%s", condition, cue_g, mse, *null ? " (null)" : "");
  sw_test_result_clear (&r);
  return mse;
}

/* The study's qualitative result on the preset network, with its full
 * protocol (4 cues x 5 repeats of 1 s, 5-fold cross-validation): NMDA cue
 * synapses on the distal dendrite hold the cue (a low score, far below
 * chance 4), AMPA cue synapses there at the same conductance do not (near
 * chance, or a readout that ignores the cue). */
static void
test_study_result (void)
{
  gboolean null;
  double nmda = condition_score ("nmda-dend", "0.001", &null);
  g_assert_false (null);
  g_assert_cmpfloat (nmda, <, 2.0);
  double ampa = condition_score ("ampa-dend", "0.001", &null);
  g_assert_true (null || ampa > 3.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  tmpdir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/cable/brc-cli/bad-input", test_bad_input);
  g_test_add_func ("/cable/brc-cli/short-run", test_short_run);
  g_test_add_func ("/cable/brc-cli/validate", test_validate);
  g_test_add_func ("/cable/brc-cli/study-result", test_study_result);
  int status = g_test_run ();
  const char *names[] = { "none.swk", "group.swk", "unit.swk", "field.swk", "cond.swk" };
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (tmpdir, names[i], NULL);
      g_remove (p);
    }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
