/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cells documents through spikeworks-cli: the presets (run, validate,
 * traces), --set with units, SWC morphologies, impedance, and bad input:
 * exit code 2 with the file and the field named (SWC cycles, orphan
 * samples, zero or negative radii, a synapse on a missing section, a
 * channel density outside its range).  Also the document layer directly:
 * the raw "brc" section, the scope and the SWC parser.
 */
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "../sw-test-cli.h"

#include "sw-cells-doc.h"
#include "sw-swc.h"

static char *tmpdir;

static char *
write_file (const char *name, const char *text)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Exit 2, and every one of the NULL-terminated strings in the message. */
static void
expect_input_error (const SwTestResult *r, ...)
{
  g_test_message ("stderr: %s", r->err);
  g_assert_cmpint (r->status, ==, 2);
  va_list ap;
  va_start (ap, r);
  for (const char *s = va_arg (ap, const char *); s != NULL; s = va_arg (ap, const char *))
    if (strstr (r->err, s) == NULL)
      g_error ("expected '%s' in: %s", s, r->err);
  va_end (ap);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (p, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (p));
}

static JsonArray *
first_cell_spikes (JsonNode *root)
{
  JsonObject *pop = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "populations"), 0);
  return json_array_get_array_element (json_object_get_array_member (pop, "spike_times_ms"), 0);
}

/* ---------------- presets ---------------- */

static void
test_presets (void)
{
  /* hh-squid at 6.5 µA/cm²: §9 item 1 (first spike 2.525 ms, 56.25 Hz). */
  SwTestResult r = sw_test_run_cli ("run", "preset:hh-squid", "--set", "I=6.5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  JsonNode *root = parse (r.out);
  JsonArray *t = first_cell_spikes (root);
  guint n = json_array_get_length (t);
  int late = 0;
  for (guint i = 0; i < n; i++)
    late += json_array_get_double_element (t, i) >= 200;
  g_assert_cmpfloat (fabs (json_array_get_double_element (t, 0) - 2.525), <=, 0.1);
  g_assert_cmpfloat (fabs (late / 0.8 - 56.25), <=, 1.25);
  json_node_unref (root);
  sw_test_result_clear (&r);

  /* A unit in --set: 0.065 nA on 1000 µm² is 6.5 µA/cm². */
  r = sw_test_run_cli ("run", "preset:hh-squid", "--set", "I=0.065 nA / (1000 um^2)", "--duration", "20 ms", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse (r.out);
  g_assert_cmpfloat (fabs (json_array_get_double_element (first_cell_spikes (root), 0) - 2.525), <=, 0.1);
  json_node_unref (root);
  sw_test_result_clear (&r);

  /* brc-cell: §9 item 6 at 0.1 nA (28 spikes, first 108.925 ms). */
  r = sw_test_run_cli ("run", "preset:brc-cell", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse (r.out);
  t = first_cell_spikes (root);
  g_assert_cmpint (abs ((int) json_array_get_length (t) - 28), <=, 1);
  g_assert_cmpfloat (fabs (json_array_get_double_element (t, 0) - 108.925), <=, 0.1);
  json_node_unref (root);
  sw_test_result_clear (&r);

  /* passive-cable: the traces reach the discrete steady state. */
  g_autofree char *csv = g_build_filename (tmpdir, "cable.csv", NULL);
  r = sw_test_run_cli ("run", "preset:passive-cable", "--traces", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sw_test_result_clear (&r);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (g_strstrip (text), "\n", -1);
  guint nl = g_strv_length (lines);
  g_assert_cmpuint (nl, ==, 3002);
  g_assert_nonnull (strstr (lines[0], "V(0 um)"));
  g_auto (GStrv) f = g_strsplit (lines[nl - 1], ",", -1);
  g_assert_cmpfloat (fabs (g_ascii_strtod (f[1], NULL) - 6.604090), <, 1e-4);
  g_assert_cmpfloat (fabs (g_ascii_strtod (f[4], NULL) - 1.755437), <, 1e-4);

  static const char *const names[] = { "hh-squid", "passive-cable", "brc-cell", "hnn-l5" };
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *what = g_strconcat ("preset:", names[k], NULL);
      r = sw_test_run_cli ("validate", what, NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "\"valid\" : true"));
      sw_test_result_clear (&r);
    }
  r = sw_test_run_cli ("run", "preset:hh-squid", "--set", "J=3", NULL);
  expect_input_error (&r, "J", "I", NULL);
  sw_test_result_clear (&r);
  r = sw_test_run_cli ("run", "preset:hh-squid", "--set", "I=3 mV", NULL);
  expect_input_error (&r, "I", NULL);
  sw_test_result_clear (&r);
}

/* ---------------- documents with errors ---------------- */

static const char doc_head[] =
  "{\"format\": \"spikeworks\", \"version\": 1, \"kind\": \"cells\", \"name\": \"t\",\n"
  " \"simulation\": {\"duration\": \"50 ms\"},\n";

static char *
write_doc (const char *name, const char *body)
{
  g_autofree char *text = g_strconcat (doc_head, body, "}\n", NULL);
  return write_file (name, text);
}

static void
test_bad_documents (void)
{
  /* A synapse on a section the cell does not have. */
  g_autofree char *p1 = write_doc (
    "missing-section.swk",
    "\"cells\": {\"E\": {\"builtin\": \"brc_e\"}},\n"
    "\"populations\": [{\"name\": \"E\", \"cell\": \"E\", \"n\": 2}],\n"
    "\"synapses\": [{\"population\": \"E\", \"site\": \"dend9(0.5)\", \"receptor\": \"nmda\",\n"
    "  \"g_max\": \"0.05 uS\", \"events\": [\"10 ms\"]}]\n");
  SwTestResult r = sw_test_run_cli ("run", p1, NULL);
  expect_input_error (&r, "missing-section.swk", "synapses[0].site", "dend9", NULL);
  sw_test_result_clear (&r);
  r = sw_test_run_cli ("validate", p1, NULL);
  expect_input_error (&r, "missing-section.swk", "synapses[0].site", NULL);
  sw_test_result_clear (&r);

  /* A channel density outside its range. */
  g_autofree char *p2 = write_doc (
    "density.swk",
    "\"cells\": {\"E\": {\"builtin\": \"brc_e\",\n"
    "  \"mechanisms\": [{\"name\": \"km\", \"sections\": [\"soma\"], \"params\": {\"gbar\": \"2 S/cm^2\"}}]}},\n"
    "\"populations\": [{\"name\": \"E\", \"cell\": \"E\", \"n\": 1}]\n");
  r = sw_test_run_cli ("run", p2, NULL);
  expect_input_error (&r, "density.swk", "cells.E.mechanisms[0].params.gbar", "outside its range", NULL);
  sw_test_result_clear (&r);

  /* The same with a negative density through a variable and --set. */
  g_autofree char *p3 = write_doc (
    "density-var.swk",
    "\"variables\": {\"g\": {\"value\": 1e-5, \"unit\": \"S/cm^2\"}},\n"
    "\"cells\": {\"E\": {\"builtin\": \"brc_e\",\n"
    "  \"mechanisms\": [{\"name\": \"cal\", \"params\": {\"gbar\": \"g\"}}]}},\n"
    "\"populations\": [{\"name\": \"E\", \"cell\": \"E\", \"n\": 1}]\n");
  r = sw_test_run_cli ("validate", p3, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sw_test_result_clear (&r);
  r = sw_test_run_cli ("validate", p3, "--set", "g=-1e-6", NULL);
  expect_input_error (&r, "density-var.swk", "mechanisms[0].params.gbar", NULL);
  sw_test_result_clear (&r);

  /* Unknown mechanism, unknown parameter, unknown population, bad unit. */
  g_autofree char *p4 = write_doc (
    "unknown.swk",
    "\"cells\": {\"E\": {\"builtin\": \"brc_e\",\n"
    "  \"mechanisms\": [{\"name\": \"nax\"}]}},\n"
    "\"populations\": [{\"name\": \"E\", \"cell\": \"E\", \"n\": 1}]\n");
  r = sw_test_run_cli ("run", p4, NULL);
  expect_input_error (&r, "unknown.swk", "mechanisms[0].name", "nax", NULL);
  sw_test_result_clear (&r);
  g_autofree char *p5 = write_doc (
    "unit.swk",
    "\"cells\": {\"E\": {\"builtin\": \"brc_e\"}},\n"
    "\"populations\": [{\"name\": \"E\", \"cell\": \"E\", \"n\": 1}],\n"
    "\"stimuli\": [{\"type\": \"iclamp\", \"population\": \"E\", \"site\": \"soma(0.125)\", \"amplitude\": \"3 mV\"}]\n");
  r = sw_test_run_cli ("run", p5, NULL);
  expect_input_error (&r, "unit.swk", "stimuli[0].amplitude", NULL);
  sw_test_result_clear (&r);
  g_autofree char *p6 = write_doc (
    "pop.swk",
    "\"cells\": {\"E\": {\"builtin\": \"brc_e\"}},\n"
    "\"populations\": [{\"name\": \"E\", \"cell\": \"F\", \"n\": 1}]\n");
  r = sw_test_run_cli ("run", p6, NULL);
  expect_input_error (&r, "pop.swk", "populations[0].cell", "'F'", NULL);
  sw_test_result_clear (&r);

  /* A numerical blow-up: exit 3, naming the cell, the section and the
   * time. */
  g_autofree char *p7 = write_doc (
    "blowup.swk",
    "\"cells\": {\"E\": {\"builtin\": \"brc_e\"}},\n"
    "\"populations\": [{\"name\": \"E\", \"cell\": \"E\", \"n\": 2}],\n"
    "\"stimuli\": [{\"type\": \"iclamp\", \"population\": \"E\", \"cells\": [1], \"site\": \"dend2(0.5)\",\n"
    "  \"delay\": \"5 ms\", \"duration\": \"1 ms\", \"amplitude\": \"1e308 nA\"}]\n");
  r = sw_test_run_cli ("run", p7, NULL);
  g_test_message ("stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "blowup.swk"));
  g_assert_nonnull (strstr (r.err, "cell 1"));
  g_assert_nonnull (strstr (r.err, "dend2"));
  g_assert_nonnull (strstr (r.err, "t = 5.0"));
  sw_test_result_clear (&r);
}

/* ---------------- SWC ---------------- */

static const char swc_good[] =
  "# soma of three samples, two dendrites branching once\n"
  "1 1 0 0 0 10 -1\n"
  "2 1 10 0 0 10 1\n"
  "3 1 20 0 0 10 2\n"
  "4 3 30 0 0 1 3\n"
  "5 3 230 0 0 1 4\n"
  "6 3 430 100 0 0.5 5\n"
  "7 3 430 -100 0 0.5 5\n"
  "8 4 -100 0 0 2 1\n";

static char *
swc_doc (const char *name, const char *swc_name)
{
  g_autofree char *body = g_strdup_printf (
    "\"cells\": {\"P\": {\"swc\": \"%s\", \"Ra\": \"150 ohm cm\", \"cm\": \"1 uF/cm^2\", \"v_init\": \"-65 mV\",\n"
    "  \"mechanisms\": [{\"name\": \"hh\"}], \"d_lambda\": 0.1}},\n"
    "\"simulation\": {\"duration\": \"30 ms\", \"celsius\": 6.3},\n"
    "\"populations\": [{\"name\": \"P\", \"cell\": \"P\", \"n\": 1}],\n"
    "\"stimuli\": [{\"type\": \"iclamp\", \"population\": \"P\", \"site\": \"soma(0.5)\", \"delay\": \"2 ms\",\n"
    "  \"duration\": \"20 ms\", \"amplitude\": \"2 nA\"}],\n"
    "\"probes\": [{\"population\": \"P\", \"site\": \"dend[1](1)\"}]\n",
    swc_name);
  return write_doc (name, body);
}

static void
test_swc (void)
{
  g_autofree char *swc = write_file ("good.swc", swc_good);
  g_autofree char *doc = swc_doc ("swc.swk", "good.swc");
  SwTestResult r = sw_test_run_cli ("run", doc, NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "spike_times_ms"));
  sw_test_result_clear (&r);

  /* The morphology itself. */
  g_autoptr (GError) error = NULL;
  SwCableMorph *m = sw_swc_load (swc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sw_cable_morph_n_sections (m), ==, 5);
  double l, d;
  int parent, nseg;
  double px;
  sw_cable_morph_section_info (m, 0, NULL, NULL, &l, &d, NULL);
  g_assert_cmpfloat (fabs (l - 20), <, 1e-9);
  g_assert_cmpfloat (fabs (d - 20), <, 1e-9);
  int dend0 = sw_cable_morph_find (m, "dend[0]");
  g_assert_cmpint (dend0, >=, 0);
  sw_cable_morph_section_info (m, dend0, &parent, &px, &l, &d, NULL);
  g_assert_cmpint (parent, ==, 0);
  g_assert_cmpfloat (px, ==, 1.0);
  g_assert_cmpfloat (fabs (l - 210), <, 1e-9);
  g_assert_cmpfloat (fabs (d - 2), <, 1e-9);
  int apic = sw_cable_morph_find (m, "apic[0]");
  sw_cable_morph_section_info (m, apic, &parent, &px, NULL, NULL, NULL);
  g_assert_cmpint (parent, ==, 0);
  g_assert_cmpfloat (px, ==, 0.0);
  /* d_lambda 0.1 at 100 Hz: odd segment counts. */
  sw_cable_morph_apply_d_lambda (m, 0.1, 100, 150, 1);
  for (int s = 0; s < sw_cable_morph_n_sections (m); s++)
    {
      sw_cable_morph_section_info (m, s, NULL, NULL, NULL, NULL, &nseg);
      g_assert_cmpint (nseg % 2, ==, 1);
    }
  sw_cable_morph_section_info (m, dend0, NULL, NULL, NULL, NULL, &nseg);
  g_assert_cmpint (nseg, >, 1);
  sw_cable_morph_free (m);

  static const struct { const char *name, *text, *what[3]; } bad[] = {
    { "cycle.swk", "1 1 0 0 0 5 -1\n2 3 10 0 0 1 4\n3 3 20 0 0 1 2\n4 3 30 0 0 1 3\n",
      { ":2:", "sample 2", "cycle" } },
    { "orphan.swk", "1 1 0 0 0 5 -1\n2 3 10 0 0 1 1\n3 3 20 0 0 1 9\n",
      { ":3:", "sample 3", "orphan" } },
    { "zero.swk", "1 1 0 0 0 5 -1\n2 3 10 0 0 0 1\n", { ":2:", "sample 2", "radius" } },
    { "negative.swk", "1 1 0 0 0 5 -1\n\n2 3 10 0 0 1 1\n3 3 10 0 0 -0.5 2\n", { ":4:", "sample 3", "radius" } },
  };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autofree char *swc_name = g_strdup_printf ("bad%u.swc", k);
      g_autofree char *swc_path = write_file (swc_name, bad[k].text);
      g_autofree char *dpath = swc_doc (bad[k].name, swc_name);
      r = sw_test_run_cli ("run", dpath, NULL);
      expect_input_error (&r, bad[k].name, "cells.P.swc", swc_name, bad[k].what[0], bad[k].what[1],
                          bad[k].what[2], NULL);
      sw_test_result_clear (&r);
      g_clear_error (&error);
      m = sw_swc_load (swc_path, &error);
      g_assert_null (m);
      int code = k == 0 ? SW_SWC_ERROR_CYCLE : (k == 1 ? SW_SWC_ERROR_ORPHAN : SW_SWC_ERROR_RADIUS);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SW_SWC_ERROR);
      g_assert_cmpint (error->code, ==, code);
    }
  g_clear_error (&error);
  m = sw_swc_parse ("1 1 0 0 0 5 -1\n2 1 0 0 0 5 -1\n", 30, "two.swc", &error);
  g_assert_null (m);
  g_assert_error (error, SW_SWC_ERROR, SW_SWC_ERROR_ROOTS);
  g_clear_error (&error);
  m = sw_swc_parse ("1 1 0 0 0 5\n", 12, "short.swc", &error);
  g_assert_error (error, SW_SWC_ERROR, SW_SWC_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "short.swc:1"));
}

/* ---------------- the document layer ---------------- */

static void
test_doc_layer (void)
{
  static const char text[] =
    "{\"kind\": \"cells\", \"variables\": {\"g\": {\"value\": 2, \"unit\": \"uS\", \"min\": 0, \"max\": 5}},\n"
    " \"cells\": {\"R\": {\"builtin\": \"brc_relay\"}},\n"
    " \"populations\": [{\"name\": \"cue\", \"cell\": \"R\", \"n\": 3}],\n"
    " \"brc\": {\"trials\": 20, \"cue\": {\"g\": \"g * 2\"}}}\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SwCellsDoc) doc = sw_cells_doc_load_data (text, -1, "t.swk", NULL, &error);
  g_assert_no_error (error);
  JsonNode *brc = sw_cells_doc_get_section (doc, "brc");
  g_assert_nonnull (brc);
  JsonObject *o = json_node_get_object (brc);
  g_assert_cmpint (json_object_get_int_member (o, "trials"), ==, 20);
  double v;
  JsonNode *gn = json_object_get_member (json_object_get_object_member (o, "cue"), "g");
  g_assert_true (sw_cells_doc_eval (doc, gn, "uS", "brc.cue.g", &v, &error));
  g_assert_cmpfloat (v, ==, 4);
  g_assert_true (sw_cells_doc_set (doc, "g=3", &error));
  g_assert_true (sw_cells_doc_eval (doc, gn, "uS", "brc.cue.g", &v, &error));
  g_assert_cmpfloat (v, ==, 6);
  g_assert_false (sw_cells_doc_set (doc, "g=7", &error));
  g_assert_nonnull (strstr (error->message, "maximum"));
  g_clear_error (&error);
  g_assert_nonnull (sw_cells_doc_get_scope (doc));
  g_assert_null (sw_cells_doc_get_path (doc));
  g_autoptr (SwCellsBuild) b = sw_cells_doc_build (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sw_cable_sim_n_cells (b->sim), ==, 3);
  g_assert_nonnull (sw_cells_build_find_pop (b, "cue"));

  /* Every parameter of every mechanism has a unit the documents read, a
   * default inside its range and a description. */
  const SwCableMechType *const *all = sw_cable_mech_list ();
  for (int m = 0; all[m]; m++)
    for (int k = 0; k < all[m]->n_params; k++)
      {
        const SwParamInfo *pi = &all[m]->params[k];
        double one;
        g_autoptr (GError) local = NULL;
        g_assert_true (sw_expr_eval_in_unit ("1", NULL, pi->unit, &one, &local));
        g_assert_no_error (local);
        g_assert_true (sw_param_in_range (pi, pi->default_value));
        g_assert_cmpuint (strlen (pi->description), >, 5);
      }
}

/* ---------------- impedance ---------------- */

static void
test_impedance (void)
{
  /* A passive sphere-like compartment: no resonance, Q ≈ 1. */
  g_autofree char *p1 = write_doc (
    "rc.swk",
    "\"cells\": {\"C\": {\"sections\": [{\"name\": \"soma\", \"L\": \"20 um\", \"d\": \"20 um\"}],\n"
    "  \"v_init\": \"-70 mV\", \"mechanisms\": [{\"name\": \"pas\", \"params\": {\"g\": \"1e-4 S/cm^2\", \"e\": \"-70 mV\"}}]}},\n"
    "\"populations\": [{\"name\": \"C\", \"cell\": \"C\", \"n\": 1}]\n");
  g_autofree char *csv = g_build_filename (tmpdir, "z.csv", NULL);
  g_autofree char *fig = g_build_filename (tmpdir, "z.svg", NULL);
  SwTestResult r = sw_test_run_cli ("impedance", p1, "--site", "soma(0.5)", "--csv", csv, "--figure", fig, NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  JsonNode *root = parse (r.out);
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpfloat (json_object_get_double_member (o, "q"), <, 1.05);
  /* |Z| at the lowest frequency is about R = 1/(g A) = 795.8 MΩ. */
  g_assert_cmpfloat (fabs (json_object_get_double_member (o, "z_low_mohm") - 795.8), <, 0.03 * 795.8);
  json_node_unref (root);
  sw_test_result_clear (&r);
  g_assert_true (g_file_test (fig, G_FILE_TEST_EXISTS));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (g_strstrip (text), "\n", -1);
  /* Compare with R/(1 + iωRC) between 1 and 45 Hz. */
  double rr = 1.0 / (1e-4 * M_PI * 400 * 1e-2), c = M_PI * 400 * 1e-5;
  int checked = 0;
  for (guint i = 1; lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      double fr = g_ascii_strtod (f[0], NULL), z = g_ascii_strtod (f[1], NULL);
      double ph = g_ascii_strtod (f[2], NULL);
      if (fr < 1 || fr > 45)
        continue;
      double w = 2 * M_PI * fr * 1e-3;
      double za = rr / sqrt (1 + w * w * rr * rr * c * c);
      g_assert_cmpfloat (fabs (z - za), <, 0.03 * za);
      g_assert_cmpfloat (fabs (ph + atan (w * rr * c)), <, 0.05);
      checked++;
    }
  g_assert_cmpint (checked, >, 100);

  /* With an h-like current (ar) the same compartment resonates. */
  g_autofree char *p2 = write_doc (
    "ar.swk",
    "\"cells\": {\"C\": {\"sections\": [{\"name\": \"soma\", \"L\": \"20 um\", \"d\": \"20 um\"}],\n"
    "  \"v_init\": \"-70 mV\", \"mechanisms\": [{\"name\": \"pas\", \"params\": {\"g\": \"1e-4 S/cm^2\", \"e\": \"-70 mV\"}},\n"
    "  {\"name\": \"ar\", \"params\": {\"gbar\": \"1e-3 S/cm^2\"}}]}},\n"
    "\"populations\": [{\"name\": \"C\", \"cell\": \"C\", \"n\": 1}]\n");
  r = sw_test_run_cli ("impedance", p2, "--site", "soma(0.5)", NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  root = parse (r.out);
  o = json_node_get_object (root);
  g_assert_cmpfloat (json_object_get_double_member (o, "f_res_hz"), >, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "q"), >, 1.2);
  json_node_unref (root);
  sw_test_result_clear (&r);

  r = sw_test_run_cli ("impedance", p2, "--site", "dend(0.5)", NULL);
  expect_input_error (&r, "--site", "dend", NULL);
  sw_test_result_clear (&r);
  r = sw_test_run_cli ("impedance", p2, NULL);
  expect_input_error (&r, "--site", NULL);
  sw_test_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp (NULL, NULL);
  g_assert_nonnull (tmpdir);
  g_test_add_func ("/cable/cli/presets", test_presets);
  g_test_add_func ("/cable/cli/bad-documents", test_bad_documents);
  g_test_add_func ("/cable/cli/swc", test_swc);
  g_test_add_func ("/cable/doc/layer", test_doc_layer);
  g_test_add_func ("/cable/cli/impedance", test_impedance);
  int status = g_test_run ();
  /* Remove the temporary folder and its files. */
  sw_test_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
