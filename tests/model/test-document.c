/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of loading, evaluating, writing and saving documents: every kind of
 * field reaches the spec with the right value and unit; load -> save ->
 * load gives the same model; saving is atomic.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "sw-atomic-file.h"
#include "test-util.h"

/* A document that uses every kind of field. */
static const char full_doc[] =
  "{\n"
  "  \"format\": \"spikeworks\",\n"
  "  \"version\": 1,\n"
  "  \"name\": \"Everything\",\n"
  "  \"description\": \"A test of every field\",\n"
  "  \"explanation\": \"Long text.\",\n"
  "  \"references\": [\"A paper\", \"Another\"],\n"
  "  \"variables\": {\n"
  "    \"drive\": {\"value\": 4, \"unit\": \"Hz\", \"min\": 0, \"max\": \"0.1 kHz\", \"label\": \"Drive\", \"description\": \"The drive\"},\n"
  "    \"double_drive\": {\"value\": \"2*drive\", \"unit\": \"Hz\"},\n"
  "    \"tau\": {\"value\": \"0.02 s\", \"unit\": \"ms\"},\n"
  "    \"g\": 4.5,\n"
  "    \"scale\": {\"value\": \"g/9\"}\n"
  "  },\n"
  "  \"simulation\": {\"dt\": \"50 us\", \"duration\": \"1.5 s\", \"warmup\": 200, \"seed\": 9007199254740993, \"threads\": 2, \"max_rate\": \"0.5 kHz\"},\n"
  "  \"populations\": [\n"
  "    {\"name\": \"E\", \"model\": \"lif_delta\", \"n\": \"4*25\", \"description\": \"cells\",\n"
  "     \"params\": {\"tau_m\": \"tau\", \"V_th\": 18, \"t_ref\": \"max(1 ms, tau/10)\", \"I_e\": \"0.5 mV * scale\"},\n"
  "     \"init\": {\"v\": {\"dist\": \"normal\", \"mean\": \"5 mV\", \"sd\": 2}}},\n"
  "    {\"name\": \"I\", \"model\": \"adex_cond\", \"n\": 50, \"inhibitory\": true,\n"
  "     \"params\": {\"b\": \"0.01 nA\", \"tau_w\": \"0.25 s\", \"a\": \"2 nS\"},\n"
  "     \"init\": {\"v\": {\"dist\": \"uniform\", \"low\": \"-70 mV\", \"high\": -60}, \"w\": \"5 pA\"}},\n"
  "    {\"name\": \"src\", \"source\": \"poisson\", \"n\": 20, \"rate\": [\n"
  "      {\"waveform\": \"constant\", \"amplitude\": \"drive\"},\n"
  "      {\"waveform\": \"pulse\", \"amplitude\": \"double_drive\", \"t0\": \"0.5 s\", \"duration\": \"50 ms\"},\n"
  "      {\"waveform\": \"sine\", \"amplitude\": 1, \"freq\": \"0.01 kHz\", \"t0\": 100},\n"
  "      {\"waveform\": \"double_gaussian\", \"amplitude\": 2, \"t0\": 300, \"tau1\": 10, \"tau2\": \"20 ms\"},\n"
  "      {\"waveform\": \"ramp\", \"amplitude\": 3, \"t0\": 0, \"duration\": \"1 s\"},\n"
  "      {\"waveform\": \"gaussian_rise\", \"amplitude\": 0.5, \"t0\": 200, \"tau1\": 20}]},\n"
  "    {\"name\": \"pairs\", \"source\": \"spike_times\", \"n\": 3, \"times\": [[0, \"10 ms\"], [2, 12.5], [1, \"0.02 s\"]]},\n"
  "    {\"name\": \"cols\", \"source\": \"spike_times\", \"n\": 2, \"times\": {\"neuron\": [1, 0], \"t\": [5, \"6 ms\"]}}\n"
  "  ],\n"
  "  \"projections\": [\n"
  "    {\"pre\": \"E\", \"post\": \"I\", \"rule\": \"fixed_probability\", \"p\": \"0.1*scale\", \"weight\": {\"dist\": \"normal_clipped\", \"mean\": \"1 nS\", \"sd\": \"200 pS\"}, \"delay\": {\"dist\": \"uniform\", \"low\": \"1 ms\", \"high\": 2}},\n"
  "    {\"name\": \"IE\", \"pre\": \"I\", \"post\": \"E\", \"rule\": \"fixed_outdegree\", \"k\": 10, \"multapses\": true, \"weight\": \"-0.2 mV\", \"delay\": \"1.5 ms\"},\n"
  "    {\"name\": \"II\", \"pre\": \"I\", \"post\": \"I\", \"rule\": \"fixed_indegree\", \"k\": 49, \"autapses\": false, \"weight\": \"3 nS\"},\n"
  "    {\"name\": \"EE\", \"pre\": \"E\", \"post\": \"E\", \"rule\": \"one_to_one\", \"weight\": {\"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.01}},\n"
  "    {\"name\": \"srcE\", \"pre\": \"src\", \"post\": \"E\", \"rule\": \"fixed_probability\", \"p\": 0.5, \"weight\": 0.2},\n"
  "    {\"name\": \"pairsI\", \"pre\": \"pairs\", \"post\": \"I\", \"receptor\": \"inh\", \"rule\": \"fixed_outdegree\", \"k\": 3, \"weight\": 1},\n"
  "    {\"name\": \"colsI\", \"pre\": \"cols\", \"post\": \"I\", \"rule\": \"all_to_all\", \"weight\": 1}\n"
  "  ],\n"
  "  \"stimuli\": [\n"
  "    {\"type\": \"poisson\", \"target\": \"I\", \"first\": 10, \"count\": 20, \"n_sources\": 100, \"weight\": \"0.5 nS\", \"receptor\": \"exc\", \"rate\": \"double_drive\"},\n"
  "    {\"name\": \"kick\", \"type\": \"current\", \"target\": \"I\", \"profile\": [{\"waveform\": \"pulse\", \"amplitude\": \"0.1 nA\", \"t0\": 500, \"duration\": 100}]},\n"
  "    {\"name\": \"bias\", \"type\": \"current\", \"target\": \"E\", \"count\": -1, \"profile\": \"1.5 mV\"}\n"
  "  ],\n"
  "  \"ui\": {\"layout\": [\"raster\", {\"rates\": [1, 2.5, null, true]}], \"zoom\": 0.1, \"\": \"odd key\"}\n"
  "}\n";

static SwDocument *
load_full (void)
{
  g_autoptr(GError) error = NULL;
  SwDocument *doc = sw_document_load_data (full_doc, -1, "full.swk", &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static double
param (const SwPopSpec *p, const char *name)
{
  int k = sw_param_find (p->type->params, p->type->n_params, name);
  g_assert_cmpint (k, >=, 0);
  return p->params[k];
}

static void
test_minimal (void)
{
  static const char text[] =
    "{\"format\": \"spikeworks\", \"version\": 1,"
    " \"populations\": [{\"name\": \"E\", \"model\": \"lif_cond\", \"n\": 10}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SwDocument) doc = sw_document_load_data (text, -1, "min.swk", &error);
  SwNetSpec *spec;

  g_assert_no_error (error);
  g_assert_cmpstr (sw_document_get_display_name (doc), ==, "min.swk");
  g_assert_null (sw_document_get_name (doc));
  g_assert_cmpuint (sw_document_get_n_variables (doc), ==, 0);
  /* Defaults of the simulation settings. */
  g_assert_cmpfloat (sw_document_get_dt_ms (doc), ==, 0.1);
  g_assert_cmpfloat (sw_document_get_duration_ms (doc), ==, 1000.0);
  g_assert_cmpfloat (sw_document_get_warmup_ms (doc), ==, 0.0);
  g_assert_cmpuint (sw_document_get_seed (doc), ==, 1);
  g_assert_cmpint (sw_document_get_threads (doc), ==, 0);
  g_assert_cmpfloat (sw_document_get_max_rate_hz (doc), ==, 0.0);

  spec = sw_document_build_spec (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (spec->n_pops, ==, 1);
  g_assert_cmpint (spec->pops[0].n, ==, 10);
  g_assert_false (spec->pops[0].inhibitory);
  /* Parameters not given keep the model's defaults. */
  for (int k = 0; k < sw_lif_cond_type.n_params; k++)
    g_assert_cmpfloat (spec->pops[0].params[k], ==, sw_lif_cond_type.params[k].default_value);
  g_assert_cmpint (spec->n_projs, ==, 0);
  g_assert_cmpint (spec->n_stims, ==, 0);
  sw_net_spec_free (spec);

  /* A UTF-8 byte-order mark is allowed. */
  {
    g_autofree char *bom = g_strconcat ("\xef\xbb\xbf", text, NULL);
    g_autoptr(SwDocument) d2 = sw_document_load_data (bom, -1, "bom.swk", &error);
    g_assert_no_error (error);
    g_assert_nonnull (d2);
  }
}

static void
test_full (void)
{
  g_autoptr(SwDocument) doc = load_full ();
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  const SwPopSpec *e, *i, *src, *pairs, *cols;
  SwVariableInfo info;

  g_assert_no_error (error);
  g_assert_cmpstr (sw_document_get_name (doc), ==, "Everything");
  g_assert_cmpstr (sw_document_get_description (doc), ==, "A test of every field");
  g_assert_cmpstr (sw_document_get_explanation (doc), ==, "Long text.");

  /* Variables, in their units. */
  g_assert_cmpuint (sw_document_get_n_variables (doc), ==, 5);
  g_assert_true (sw_document_get_variable (doc, 0, &info));
  g_assert_cmpstr (info.name, ==, "drive");
  g_assert_cmpfloat (info.value, ==, 4);
  g_assert_cmpstr (info.unit, ==, "Hz");
  g_assert_cmpfloat (info.min, ==, 0);
  g_assert_cmpfloat (info.max, ==, 100);
  g_assert_cmpstr (info.label, ==, "Drive");
  g_assert_cmpstr (info.description, ==, "The drive");
  g_assert_null (info.expression);
  g_assert_true (sw_document_get_variable (doc, 1, &info));
  g_assert_cmpfloat (info.value, ==, 8);
  g_assert_cmpstr (info.expression, ==, "2*drive");
  g_assert_true (isinf (info.min) && info.min < 0);
  g_assert_true (isinf (info.max) && info.max > 0);
  g_assert_null (info.label);
  g_assert_true (sw_document_get_variable (doc, 2, &info));
  g_assert_cmpfloat_with_epsilon (info.value, 20, 1e-12);
  g_assert_true (sw_document_get_variable (doc, 3, &info));
  g_assert_cmpstr (info.name, ==, "g");
  g_assert_cmpfloat (info.value, ==, 4.5);
  g_assert_cmpstr (info.unit, ==, "");
  g_assert_true (sw_document_get_variable (doc, 4, &info));
  g_assert_cmpfloat (info.value, ==, 0.5);
  g_assert_false (sw_document_get_variable (doc, 5, &info));
  g_assert_cmpint (sw_document_find_variable (doc, "tau"), ==, 2);
  g_assert_cmpint (sw_document_find_variable (doc, "nope"), ==, -1);

  /* Simulation settings. */
  g_assert_cmpfloat_with_epsilon (sw_document_get_dt_ms (doc), 0.05, 1e-15);
  g_assert_cmpfloat (sw_document_get_duration_ms (doc), ==, 1500);
  g_assert_cmpfloat (sw_document_get_warmup_ms (doc), ==, 200);
  /* Seeds above 2^53 are kept exactly. */
  g_assert_cmpuint (sw_document_get_seed (doc), ==, G_GUINT64_CONSTANT (9007199254740993));
  g_assert_cmpuint (spec->seed, ==, G_GUINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (spec->threads, ==, 2);
  g_assert_cmpfloat (spec->max_rate_hz, ==, 500);
  g_assert_cmpfloat_with_epsilon (spec->dt_ms, 0.05, 1e-15);

  g_assert_cmpint (spec->n_pops, ==, 5);
  e = &spec->pops[0];
  g_assert_cmpstr (e->name, ==, "E");
  g_assert_cmpint (e->n, ==, 100);
  g_assert_cmpfloat_with_epsilon (param (e, "tau_m"), 20, 1e-12);
  g_assert_cmpfloat (param (e, "V_th"), ==, 18);
  g_assert_cmpfloat_with_epsilon (param (e, "t_ref"), 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (param (e, "I_e"), 0.25, 1e-12);
  g_assert_cmpfloat (param (e, "V_reset"), ==, 10);   /* default */
  g_assert_cmpint (e->init[0].kind, ==, SW_DIST_NORMAL);
  g_assert_cmpfloat_with_epsilon (e->init[0].a, 5, 1e-12);
  g_assert_cmpfloat (e->init[0].b, ==, 2);

  i = &spec->pops[1];
  g_assert_true (i->inhibitory);
  g_assert_cmpfloat_with_epsilon (param (i, "b"), 10, 1e-12);
  g_assert_cmpfloat_with_epsilon (param (i, "tau_w"), 250, 1e-12);
  g_assert_cmpfloat (param (i, "a"), ==, 2);
  g_assert_cmpint (i->init[0].kind, ==, SW_DIST_UNIFORM);
  g_assert_cmpfloat_with_epsilon (i->init[0].a, -70, 1e-12);
  g_assert_cmpfloat (i->init[0].b, ==, -60);
  g_assert_cmpint (i->init[1].kind, ==, SW_DIST_CONSTANT);
  g_assert_cmpfloat_with_epsilon (i->init[1].a, 5, 1e-12);
  /* State variables not given keep their defaults. */
  g_assert_cmpfloat (i->init[2].a, ==, sw_adex_cond_type.state[2].default_value);

  src = &spec->pops[2];
  g_assert_cmpint (src->kind, ==, SW_POP_POISSON);
  g_assert_cmpint (src->n_rate, ==, 6);
  g_assert_cmpint (src->rate[0].kind, ==, SW_WAVE_CONSTANT);
  g_assert_cmpfloat (src->rate[0].amplitude, ==, 4);
  g_assert_cmpint (src->rate[1].kind, ==, SW_WAVE_PULSE);
  g_assert_cmpfloat (src->rate[1].amplitude, ==, 8);
  g_assert_cmpfloat (src->rate[1].t0_ms, ==, 500);
  g_assert_cmpfloat (src->rate[1].duration_ms, ==, 50);
  g_assert_cmpint (src->rate[2].kind, ==, SW_WAVE_SINE);
  g_assert_cmpfloat (src->rate[2].freq_hz, ==, 10);
  g_assert_cmpfloat (src->rate[2].t0_ms, ==, 100);
  g_assert_cmpint (src->rate[3].kind, ==, SW_WAVE_DOUBLE_GAUSSIAN);
  g_assert_cmpfloat (src->rate[3].tau1_ms, ==, 10);
  g_assert_cmpfloat (src->rate[3].tau2_ms, ==, 20);
  g_assert_cmpint (src->rate[4].kind, ==, SW_WAVE_RAMP);
  g_assert_cmpfloat (src->rate[4].duration_ms, ==, 1000);
  g_assert_cmpint (src->rate[5].kind, ==, SW_WAVE_GAUSSIAN_RISE);

  pairs = &spec->pops[3];
  g_assert_cmpint (pairs->kind, ==, SW_POP_SPIKE_TIMES);
  g_assert_cmpint (pairs->n_times, ==, 3);
  g_assert_cmpint (pairs->times_index[1], ==, 2);
  g_assert_cmpfloat (pairs->times_ms[0], ==, 10);
  g_assert_cmpfloat (pairs->times_ms[1], ==, 12.5);
  g_assert_cmpfloat (pairs->times_ms[2], ==, 20);
  cols = &spec->pops[4];
  g_assert_cmpint (cols->n_times, ==, 2);
  g_assert_cmpint (cols->times_index[0], ==, 1);
  g_assert_cmpfloat (cols->times_ms[1], ==, 6);

  g_assert_cmpint (spec->n_projs, ==, 7);
  /* A projection without a name is called PRE_POST. */
  g_assert_cmpstr (spec->projs[0].name, ==, "E_I");
  g_assert_cmpint (spec->projs[0].receptor, ==, 0);  /* exc: from E */
  g_assert_cmpfloat_with_epsilon (spec->projs[0].p, 0.05, 1e-15);
  g_assert_cmpint (spec->projs[0].weight.kind, ==, SW_DIST_NORMAL_CLIPPED);
  g_assert_cmpfloat_with_epsilon (spec->projs[0].weight.b, 0.2, 1e-12);
  g_assert_cmpint (spec->projs[0].delay_ms.kind, ==, SW_DIST_UNIFORM);
  g_assert_cmpfloat (spec->projs[0].delay_ms.b, ==, 2);
  g_assert_cmpint (spec->projs[1].rule, ==, SW_CONN_FIXED_OUTDEGREE);
  g_assert_cmpint (spec->projs[1].receptor, ==, 0);  /* lif_delta has one: v */
  g_assert_true (spec->projs[1].multapses);
  g_assert_cmpfloat (spec->projs[1].weight.a, ==, -0.2);
  g_assert_cmpint (spec->projs[2].rule, ==, SW_CONN_FIXED_INDEGREE);
  g_assert_cmpint (spec->projs[2].receptor, ==, 1);  /* inh: from an inhibitory population */
  g_assert_false (spec->projs[2].autapses);
  g_assert_false (spec->projs[2].multapses);
  g_assert_cmpfloat (spec->projs[2].delay_ms.a, ==, 0);
  g_assert_cmpint (spec->projs[3].rule, ==, SW_CONN_ONE_TO_ONE);
  g_assert_cmpint (spec->projs[3].weight.kind, ==, SW_DIST_NORMAL);
  g_assert_true (spec->projs[4].autapses);
  g_assert_cmpint (spec->projs[5].rule, ==, SW_CONN_FIXED_OUTDEGREE);
  g_assert_cmpint (spec->projs[5].receptor, ==, 1);

  g_assert_cmpint (spec->n_stims, ==, 3);
  g_assert_cmpstr (spec->stims[0].name, ==, "poisson_I");
  g_assert_cmpint (spec->stims[0].first, ==, 10);
  g_assert_cmpint (spec->stims[0].count, ==, 20);
  g_assert_cmpint (spec->stims[0].n_sources, ==, 100);
  g_assert_cmpfloat (spec->stims[0].weight, ==, 0.5);
  g_assert_cmpfloat (spec->stims[0].profile[0].amplitude, ==, 8);
  g_assert_cmpint (spec->stims[1].kind, ==, SW_STIM_CURRENT);
  /* Currents of adex_cond are in pA. */
  g_assert_cmpfloat_with_epsilon (spec->stims[1].profile[0].amplitude, 100, 1e-12);
  g_assert_cmpint (spec->stims[1].count, ==, -1);
  /* ... and of lif_delta in mV. */
  g_assert_cmpfloat (spec->stims[2].profile[0].amplitude, ==, 1.5);
  g_assert_cmpint (spec->stims[2].profile[0].kind, ==, SW_WAVE_CONSTANT);

  sw_net_spec_free (spec);
}

static void
test_round_trip (void)
{
  g_autoptr(SwDocument) doc = load_full ();
  g_autofree char *json = sw_document_to_json (doc);
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *a, *b;

  assert_round_trip (doc);

  /* Expressions and units are kept as written, numbers in short form, the
   * ui object as it was. */
  g_assert_nonnull (strstr (json, "\"max(1 ms, tau/10)\""));
  g_assert_nonnull (strstr (json, "\"0.5 mV * scale\""));
  g_assert_nonnull (strstr (json, "\"50 us\""));
  g_assert_nonnull (strstr (json, "9007199254740993"));
  g_assert_nonnull (strstr (json, "\"g\": 4.5"));
  g_assert_null (strstr (json, "0.1000000"));
  g_assert_null (strstr (json, "E_I"));   /* default names are not written */

  json_parser_load_from_data (p1, full_doc, -1, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (p2, json, -1, &error);
  g_assert_no_error (error);
  a = json_node_get_object (json_parser_get_root (p1));
  b = json_node_get_object (json_parser_get_root (p2));
  g_assert_true (json_node_equal (json_object_get_member (a, "ui"),
                                  json_object_get_member (b, "ui")));
  g_assert_true (json_node_equal (json_object_get_member (a, "projections"),
                                  json_object_get_member (b, "projections")));
  g_assert_true (json_node_equal (json_object_get_member (a, "stimuli"),
                                  json_object_get_member (b, "stimuli")));
  g_assert_true (json_node_equal (json_object_get_member (a, "variables"),
                                  json_object_get_member (b, "variables")));
}

static void
test_numbers (void)
{
  static const char text[] =
    "{\"format\": \"spikeworks\", \"version\": 1,"
    " \"simulation\": {\"dt\": 0.1, \"duration\": 1e3, \"warmup\": 123.456789012345},"
    " \"populations\": [{\"name\": \"E\", \"model\": \"lif_delta\", \"n\": 3,"
    "  \"params\": {\"tau_m\": 1e-2, \"V_th\": 1.5e2, \"V_reset\": -0.3}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SwDocument) doc = sw_document_load_data (text, -1, "n.swk", &error);
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  json = sw_document_to_json (doc);
  g_assert_nonnull (strstr (json, "\"dt\": 0.1,"));
  g_assert_nonnull (strstr (json, "\"duration\": 1000,"));
  g_assert_nonnull (strstr (json, "\"warmup\": 123.456789012345"));
  g_assert_nonnull (strstr (json, "\"tau_m\": 0.01,"));
  g_assert_nonnull (strstr (json, "\"V_th\": 150,"));
  g_assert_nonnull (strstr (json, "\"V_reset\": -0.3"));
  g_assert_true (g_str_has_suffix (json, "}\n"));
  assert_round_trip (doc);
}

static void
test_save (void)
{
  g_autoptr(SwDocument) doc = load_full ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp_file ("model.swk", "old contents", -1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  g_autofree char *json = sw_document_to_json (doc);
  g_autofree char *listing = NULL;
  g_autoptr(SwDocument) back = NULL;
  SwNetSpec *s1, *s2;
  struct stat st;

  g_assert_cmpint (chmod (path, 0640), ==, 0);
  g_assert_true (sw_document_save (doc, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, json);
  /* No temporary file is left, and the permissions stay. */
  listing = list_folder (dir);
  g_assert_cmpstr (listing, ==, "model.swk");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  /* The document now belongs to the file. */
  g_assert_cmpstr (sw_document_get_path (doc), ==, path);
  g_assert_cmpstr (sw_document_get_display_name (doc), ==, path);

  back = sw_document_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sw_document_get_path (back), ==, path);
  s1 = sw_document_build_spec (doc, &error);
  s2 = sw_document_build_spec (back, &error);
  g_assert_no_error (error);
  assert_spec_equal (s1, s2);
  assert_settings_equal (doc, back);
  sw_net_spec_free (s1);
  sw_net_spec_free (s2);

  /* A new file in the folder. */
  {
    g_autofree char *other = g_build_filename (dir, "new.swk", NULL);
    g_autofree char *l2 = NULL;
    g_assert_true (sw_document_save (back, other, &error));
    g_assert_no_error (error);
    l2 = list_folder (dir);
    g_assert_cmpstr (l2, ==, "model.swk new.swk");
  }
  remove_temp_file (path);
}

static void
test_save_symlink (void)
{
  g_autoptr(SwDocument) doc = load_full ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp_file ("target.swk", "old", -1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *link = g_build_filename (dir, "link.swk", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *json = sw_document_to_json (doc);

  g_assert_cmpint (symlink ("target.swk", link), ==, 0);
  g_assert_true (sw_document_save (doc, link, &error));
  g_assert_no_error (error);
  /* The link is still a link, and its target has the document. */
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, json);
  remove_temp_file (path);
}

static void
test_save_errors (void)
{
  g_autoptr(SwDocument) doc = load_full ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp_file ("keep.swk", "original", -1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "x.swk", NULL);
  g_autofree char *listing = NULL;

  /* Into a folder that does not exist. */
  g_assert_false (sw_document_save (doc, missing, &error));
  assert_doc_error (error, SW_DOCUMENT_ERROR_WRITE, missing, "cannot save", NULL);
  g_clear_error (&error);

  /* Over a folder. */
  g_assert_false (sw_document_save (doc, dir, &error));
  assert_doc_error (error, SW_DOCUMENT_ERROR_WRITE, dir, "folder", NULL);
  g_clear_error (&error);

  /* The document keeps its old name after a failed save. */
  g_assert_cmpstr (sw_document_get_display_name (doc), ==, "full.swk");
  listing = list_folder (dir);
  g_assert_cmpstr (listing, ==, "keep.swk");

  /* An unwritable folder: permissions do not bind root, so only as a
   * normal user (the file-size limit test below covers root too). */
  if (geteuid () != 0)
    {
      g_autofree char *contents = NULL;
      g_assert_cmpint (chmod (dir, 0555), ==, 0);
      g_assert_false (sw_document_save (doc, path, &error));
      assert_doc_error (error, SW_DOCUMENT_ERROR_WRITE, path, NULL);
      g_clear_error (&error);
      g_assert_cmpint (chmod (dir, 0755), ==, 0);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "original");
    }
  remove_temp_file (path);
}

/* Writing fails half-way (the file-size limit stops the write after a few
 * bytes, even for root): the original must stay whole and no temporary
 * file may be left behind. */
static void
test_save_interrupted (void)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(SwDocument) doc = load_full ();
      g_autoptr(GError) error = NULL;
      const char *target = g_getenv ("SWK_TEST_TARGET");
      struct rlimit limit = { 64, 64 };

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_assert_false (sw_document_save (doc, target, &error));
      assert_doc_error (error, SW_DOCUMENT_ERROR_WRITE, target, "cannot save", NULL);
      return;
    }

  path = write_temp_file ("precious.swk", "the original document", -1);
  dir = g_path_get_dirname (path);
  g_setenv ("SWK_TEST_TARGET", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the original document");
  listing = list_folder (dir);
  g_assert_cmpstr (listing, ==, "precious.swk");
  remove_temp_file (path);
}

static void
test_locations (void)
{
  /* A location is found however the text is laid out. */
  static const char text[] =
    "{\"format\":\"spikeworks\",\"version\":1,\"populations\":[\n"
    "  {\"name\":\"A\",\"model\":\"lif_delta\",\"n\":2},\n"
    "  {\"name\": \"B\", \"model\": \"lif_delta\", \"n\": 2,\n"
    "   \"params\": {\"tau_m\": 5, \"V_th\": \"\xc2\xb5 + 2\"}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SwDocument) doc = sw_document_load_data (text, -1, "loc.swk", &error);
  g_autofree char *where = position_of (text, "\"\xc2\xb5 + 2\"");
  g_autofree char *expect = g_strdup_printf ("loc.swk:%s: populations[1].params.V_th: ", where);

  g_assert_null (doc);
  assert_doc_error (error, SW_DOCUMENT_ERROR_EXPRESSION, expect, NULL);
  g_assert_true (g_str_has_prefix (error->message, expect));
  g_assert_cmpstr (where, ==, "4:35");
}

/* Files written beside their target and renamed into place: a finished
 * write replaces the file, an abandoned one leaves it as it was, and
 * neither leaves a temporary file; an unwritable folder is an error that
 * names the target. */
static int
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  int n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_atomic_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "out.txt", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  for (int round = 0; round < 2; round++)
    {
      gboolean keep = round == 1;
      g_autofree char *tmp = NULL;
      int fd = sw_atomic_file_create (path, &tmp, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fd, >=, 0);
      g_assert_true (g_str_has_prefix (tmp, path));
      g_assert_cmpint (count_entries (dir), ==, 2);
      g_assert_cmpint (write (fd, "new", 3), ==, 3);
      g_assert_cmpint (close (fd), ==, 0);
      g_assert_cmpint (sw_atomic_file_finish (tmp, path, keep, &error), ==, keep);
      g_assert_no_error (error);
      g_assert_cmpint (count_entries (dir), ==, 1);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_assert_cmpstr (text, ==, keep ? "new" : "old");
      g_clear_pointer (&text, g_free);
    }

  char *tmp = NULL;
  g_assert_cmpint (sw_atomic_file_create ("/nonexistent-folder/out.txt", &tmp, &error), ==, -1);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent-folder/out.txt"));
  g_assert_null (tmp);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/document/minimal", test_minimal);
  g_test_add_func ("/model/document/full", test_full);
  g_test_add_func ("/model/document/round-trip", test_round_trip);
  g_test_add_func ("/model/document/numbers", test_numbers);
  g_test_add_func ("/model/document/save", test_save);
  g_test_add_func ("/model/document/save-symlink", test_save_symlink);
  g_test_add_func ("/model/document/save-errors", test_save_errors);
  g_test_add_func ("/model/document/save-interrupted", test_save_interrupted);
  g_test_add_func ("/model/document/atomic-file", test_atomic_file);
  g_test_add_func ("/model/document/locations", test_locations);

  return g_test_run ();
}
