/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of single changes (`--set NAME=VALUE`): every kind of name, values
 * with units and expressions, every error with "did you mean", and that a
 * refused change leaves the document exactly as it was.
 */
#include "config.h"

#include <math.h>
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

static SwNetSpec *
spec_of (SwDocument *doc)
{
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec = sw_document_build_spec (doc, &error);

  g_assert_no_error (error);
  return spec;
}

static double
param (const SwNetSpec *spec, const char *pop, const char *name)
{
  const SwPopSpec *p = &spec->pops[sw_net_spec_find_pop (spec, pop)];
  return p->params[sw_param_find (p->type->params, p->type->n_params, name)];
}

static const SwProjSpec *
proj (const SwNetSpec *spec, const char *name)
{
  for (int i = 0; i < spec->n_projs; i++)
    if (strcmp (spec->projs[i].name, name) == 0)
      return &spec->projs[i];
  g_error ("no projection %s", name);
  return NULL;
}

static double
variable (SwDocument *doc, const char *name)
{
  SwVariableInfo info;
  int i = sw_document_find_variable (doc, name);

  g_assert_cmpint (i, >=, 0);
  g_assert_true (sw_document_get_variable (doc, (guint) i, &info));
  return info.value;
}

static void
set_ok (SwDocument *doc, const char *assignment)
{
  g_autoptr(GError) error = NULL;

  if (!sw_document_set (doc, assignment, NULL, &error))
    g_error ("%s: %s", assignment, error->message);
  g_assert_no_error (error);
}

static void
test_variables (void)
{
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  g_autoptr(GError) error = NULL;
  SwNetSpec *spec;

  set_ok (doc, "nu_ext=5");
  g_assert_cmpfloat (variable (doc, "nu_ext"), ==, 5);
  spec = spec_of (doc);
  g_assert_cmpfloat (spec->pops[2].rate[0].amplitude, ==, 5);
  sw_net_spec_free (spec);

  set_ok (doc, "nu_ext = 0.0075 kHz");
  g_assert_cmpfloat_with_epsilon (variable (doc, "nu_ext"), 7.5, 1e-12);
  set_ok (doc, "b=0.06 nA");
  g_assert_cmpfloat_with_epsilon (variable (doc, "b"), 60, 1e-12);
  spec = spec_of (doc);
  g_assert_cmpfloat_with_epsilon (param (spec, "E", "b"), 60, 1e-12);
  sw_net_spec_free (spec);

  /* An expression over other variables, kept as written. */
  set_ok (doc, "nu_ext=b / (10 pA) * 1 Hz");
  g_assert_cmpfloat_with_epsilon (variable (doc, "nu_ext"), 6, 1e-12);
  {
    g_autofree char *json = sw_document_to_json (doc);
    g_assert_nonnull (strstr (json, "\"b / (10 pA) * 1 Hz\""));
  }

  /* Name and value apart. */
  g_assert_true (sw_document_set (doc, "nu_ext", "2.5 Hz", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (variable (doc, "nu_ext"), ==, 2.5);

  /* The slider entry point. */
  g_assert_true (sw_document_set_variable (doc, "b", 90, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (variable (doc, "b"), ==, 90);
  g_assert_false (sw_document_set_variable (doc, "b", 151, &error));
  assert_doc_error (error, SW_DOCUMENT_ERROR_RANGE, "preset:destexhe-adex: b: ",
                    "151 pA is outside the variable's range, 0 to 150 pA", NULL);
  g_clear_error (&error);
  g_assert_cmpfloat (variable (doc, "b"), ==, 90);
  g_assert_false (sw_document_set_variable (doc, "bb", 1, &error));
  assert_doc_error (error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "did you mean 'b'?", NULL);

  assert_round_trip (doc);
}

static void
test_fields (void)
{
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  SwNetSpec *spec;
  g_autofree char *json = NULL;

  set_ok (doc, "E.tau_w=300 ms");
  set_ok (doc, "I.I_e=0.1 nA");           /* not in the document yet */
  set_ok (doc, "E.n=400");
  set_ok (doc, "EE.weight=2 nS");
  set_ok (doc, "EE.p=0.1");
  set_ok (doc, "IE.delay=1.5");
  set_ok (doc, "ext.rate=nu_ext*2");
  set_ok (doc, "simulation.dt=50 us");
  set_ok (doc, "simulation.duration=3 s");
  set_ok (doc, "simulation.warmup=0.5 s");
  set_ok (doc, "simulation.seed=42");
  set_ok (doc, "simulation.threads=4");
  set_ok (doc, "simulation.max_rate=0.5 kHz");

  spec = spec_of (doc);
  g_assert_cmpfloat (param (spec, "E", "tau_w"), ==, 300);
  g_assert_cmpfloat_with_epsilon (param (spec, "I", "I_e"), 100, 1e-12);
  g_assert_cmpint (spec->pops[0].n, ==, 400);
  g_assert_cmpfloat (proj (spec, "EE")->weight.a, ==, 2);
  g_assert_cmpfloat (proj (spec, "EE")->p, ==, 0.1);
  g_assert_cmpfloat (proj (spec, "IE")->delay_ms.a, ==, 1.5);
  g_assert_cmpfloat (spec->pops[2].rate[0].amplitude, ==, 5);
  g_assert_cmpint (spec->pops[2].rate[0].kind, ==, SW_WAVE_GAUSSIAN_RISE);
  g_assert_cmpfloat_with_epsilon (spec->dt_ms, 0.05, 1e-15);
  g_assert_cmpuint (spec->seed, ==, 42);
  g_assert_cmpint (spec->threads, ==, 4);
  g_assert_cmpfloat (spec->max_rate_hz, ==, 500);
  g_assert_cmpfloat (sw_document_get_duration_ms (doc), ==, 3000);
  g_assert_cmpfloat (sw_document_get_warmup_ms (doc), ==, 500);
  sw_net_spec_free (spec);

  json = sw_document_to_json (doc);
  g_assert_nonnull (strstr (json, "\"I_e\": \"0.1 nA\""));
  g_assert_nonnull (strstr (json, "\"seed\": 42"));
  assert_round_trip (doc);
}

static void
test_brunel (void)
{
  g_autoptr(SwDocument) doc = preset ("brunel-a");
  SwNetSpec *spec;

  set_ok (doc, "g=6");
  set_ok (doc, "eta=4");
  set_ok (doc, "EE.k=500");
  set_ok (doc, "drive_I.weight=0.2 mV");
  set_ok (doc, "drive_I.n_sources=500");
  set_ok (doc, "drive_I.first=100");
  set_ok (doc, "drive_I.count=200");
  set_ok (doc, "drive_E.rate=15 Hz");
  spec = spec_of (doc);
  g_assert_cmpfloat_with_epsilon (proj (spec, "IE")->weight.a, -0.6, 1e-12);
  g_assert_cmpint (proj (spec, "EE")->k, ==, 500);
  g_assert_cmpfloat (spec->stims[1].weight, ==, 0.2);
  g_assert_cmpint (spec->stims[1].n_sources, ==, 500);
  g_assert_cmpint (spec->stims[1].first, ==, 100);
  g_assert_cmpint (spec->stims[1].count, ==, 200);
  g_assert_cmpfloat (spec->stims[1].profile[0].amplitude, ==, 40);
  g_assert_cmpfloat (spec->stims[0].profile[0].amplitude, ==, 15);
  sw_net_spec_free (spec);
}

static void
test_distributions (void)
{
  static const char text[] =
    "{\"format\": \"spikeworks\", \"version\": 1,\n"
    " \"populations\": [{\"name\": \"A\", \"model\": \"lif_cond\", \"n\": 10}],\n"
    " \"projections\": [\n"
    "  {\"name\": \"n\", \"pre\": \"A\", \"post\": \"A\", \"rule\": \"all_to_all\",\n"
    "   \"weight\": {\"dist\": \"normal\", \"mean\": 2, \"sd\": 0.5},\n"
    "   \"delay\": {\"dist\": \"uniform\", \"low\": 1, \"high\": 2}}],\n"
    " \"stimuli\": [{\"name\": \"pulses\", \"type\": \"current\", \"target\": \"A\", \"profile\": [\n"
    "   {\"waveform\": \"pulse\", \"amplitude\": 10, \"t0\": 0, \"duration\": 5},\n"
    "   {\"waveform\": \"pulse\", \"amplitude\": 10, \"t0\": 10, \"duration\": 5}]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SwDocument) doc = sw_document_load_data (text, -1, "d.swk", &error);
  SwNetSpec *spec;

  g_assert_no_error (error);
  /* The mean of a normal weight moves, its spread stays. */
  set_ok (doc, "n.weight=3 nS");
  spec = spec_of (doc);
  g_assert_cmpint (spec->projs[0].weight.kind, ==, SW_DIST_NORMAL);
  g_assert_cmpfloat (spec->projs[0].weight.a, ==, 3);
  g_assert_cmpfloat (spec->projs[0].weight.b, ==, 0.5);
  sw_net_spec_free (spec);

  g_assert_false (sw_document_set (doc, "n.delay=3", NULL, &error));
  assert_doc_error (error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "d.swk: n.delay: ",
                    "uniform distribution", NULL);
  g_clear_error (&error);
  g_assert_false (sw_document_set (doc, "pulses.amplitude=3", NULL, &error));
  assert_doc_error (error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "2 components", NULL);
  g_clear_error (&error);
  g_assert_false (sw_document_set (doc, "n.p=0.5", NULL, &error));
  assert_doc_error (error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "rule all_to_all", "no 'p'", NULL);
}

typedef struct
{
  const char *assignment;
  int code;
  const char *fragments[3];
} SetCase;

static const SetCase set_cases[] = {
  { "nu_extt=5", SW_DOCUMENT_ERROR_UNKNOWN_NAME,
    { "preset:destexhe-adex: nu_extt: ", "no variable 'nu_extt'", "did you mean 'nu_ext'?" } },
  { "tau_w=5", SW_DOCUMENT_ERROR_UNKNOWN_NAME, { "no variable 'tau_w'", "POPULATION.PARAMETER" } },
  { "E.tau_ww=5", SW_DOCUMENT_ERROR_UNKNOWN_NAME,
    { "E.tau_ww: ", "population E (adex_cond) has nothing named 'tau_ww'", "did you mean 'tau_w'?" } },
  { "X.tau_w=5", SW_DOCUMENT_ERROR_UNKNOWN_NAME,
    { "X.tau_w: ", "no population, projection or stimulus is named 'X'", "names: simulation, E, I, ext, EE" } },
  { "EF.weight=1", SW_DOCUMENT_ERROR_UNKNOWN_NAME, { "did you mean 'EE'?" } },
  { "EE.wieght=1", SW_DOCUMENT_ERROR_UNKNOWN_NAME, { "projection EE has nothing named 'wieght'", "did you mean 'weight'?" } },
  { "EE.k=10", SW_DOCUMENT_ERROR_UNKNOWN_NAME, { "uses the rule fixed_probability, which has no 'k'" } },
  { "simulation.dtt=0.1", SW_DOCUMENT_ERROR_UNKNOWN_NAME, { "the simulation has nothing named 'dtt'", "did you mean 'dt'?" } },
  { "ext.tau_m=1", SW_DOCUMENT_ERROR_UNKNOWN_NAME, { "population ext has nothing named 'tau_m'" } },
  { "E.tau_w=5 mV", SW_DOCUMENT_ERROR_UNIT,
    { "preset:destexhe-adex: E.tau_w: '5 mV' has the dimension of a voltage, expected a time (ms)" } },
  { "nu_ext=5 mV", SW_DOCUMENT_ERROR_UNIT, { "nu_ext: '5 mV' has the dimension of a voltage, expected a frequency (Hz)" } },
  { "nu_ext=40", SW_DOCUMENT_ERROR_RANGE, { "nu_ext: 40 Hz is outside the variable's range, 0 to 30 Hz" } },
  { "E.tau_w=0.5 ms", SW_DOCUMENT_ERROR_RANGE, { "E.tau_w: 0.5 ms is outside the allowed range 1 to 100000 ms" } },
  { "E.n=-3", SW_DOCUMENT_ERROR_RANGE, { "E.n: the size must be at least 1 (got -3)" } },
  { "E.n=2.5", SW_DOCUMENT_ERROR_VALUE, { "whole number" } },
  { "EE.p=2", SW_DOCUMENT_ERROR_RANGE, { "EE.p: 2 is outside the allowed range 0 to 1" } },
  { "simulation.dt=0", SW_DOCUMENT_ERROR_RANGE, { "simulation.dt: the time step must be positive" } },
  { "simulation.warmup=3 s", SW_DOCUMENT_ERROR_RANGE, { "longer than the whole duration" } },
  { "E.b=2*bb", SW_DOCUMENT_ERROR_UNDEFINED_VARIABLE, { "E.b: '2*bb': undefined variable 'bb'", "did you mean 'b'?" } },
  { "nu_ext=2*(3", SW_DOCUMENT_ERROR_EXPRESSION, { "nu_ext: '2*(3': expected ')' at column 5" } },
  { "nu_ext=5 Hzz", SW_DOCUMENT_ERROR_UNIT, { "unknown unit 'Hzz'" } },
  { "nu_ext=nu_ext*2", SW_DOCUMENT_ERROR_CYCLE, { "nu_ext → nu_ext" } },
  { "E.V_cut=-70 mV", SW_DOCUMENT_ERROR_INVALID, { "must lie below V_cut", "(after setting E.V_cut)" } },
  { "nu_ext", SW_DOCUMENT_ERROR_ASSIGNMENT, { "not an assignment", "NAME=VALUE" } },
  { "=5", SW_DOCUMENT_ERROR_ASSIGNMENT, { "names nothing" } },
  { "nu_ext=", SW_DOCUMENT_ERROR_ASSIGNMENT, { "nu_ext: the value is empty" } },
};

static void
test_set_error (gconstpointer data)
{
  const SetCase *k = data;
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sw_document_to_json (doc);
  g_autofree char *after = NULL;
  SwNetSpec *s1 = spec_of (doc), *s2;

  g_assert_false (sw_document_set (doc, k->assignment, NULL, &error));
  assert_doc_error (error, k->code, "preset:destexhe-adex: ", NULL);
  for (int i = 0; i < 3 && k->fragments[i] != NULL; i++)
    assert_doc_error (error, k->code, k->fragments[i], NULL);

  /* Refused: nothing changed. */
  after = sw_document_to_json (doc);
  g_assert_cmpstr (before, ==, after);
  s2 = spec_of (doc);
  assert_spec_equal (s1, s2);
  g_assert_cmpfloat (variable (doc, "nu_ext"), ==, 2.5);
  g_assert_cmpfloat (sw_document_get_dt_ms (doc), ==, 0.1);
  sw_net_spec_free (s1);
  sw_net_spec_free (s2);
}

static void
test_indirect (void)
{
  /* A variable whose new value breaks another field: the error names that
   * field, where it is in the file, and the change that broke it. */
  static const char text[] =
    "{\"format\": \"spikeworks\", \"version\": 1,\n"
    " \"variables\": {\"vr\": {\"value\": 10, \"unit\": \"mV\"}},\n"
    " \"populations\": [{\"name\": \"A\", \"model\": \"lif_delta\", \"n\": 10,\n"
    "   \"params\": {\"V_reset\": \"vr\"}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SwDocument) doc = sw_document_load_data (text, -1, "v.swk", &error);
  g_autofree char *where = position_of (text, "\"vr\"}");
  g_autofree char *prefix = g_strdup_printf ("v.swk:%s: populations[0].params.V_reset: ", where);

  g_assert_no_error (error);
  g_assert_false (sw_document_set (doc, "vr=-300", NULL, &error));
  assert_doc_error (error, SW_DOCUMENT_ERROR_RANGE, "-300 mV is outside the allowed range",
                    "(after setting vr)", NULL);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_cmpfloat (variable (doc, "vr"), ==, 10);
}

static void
test_settable (void)
{
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  g_auto(GStrv) names = sw_document_list_settable (doc);
  const char *expected[] = {
    "nu_ext", "b", "E.n", "E.tau_w", "E.I_e", "I.b", "ext.n", "ext.rate",
    "EE.weight", "EE.delay", "EE.p", "extI.p", "simulation.dt", "simulation.seed", NULL
  };

  for (int i = 0; expected[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) names, expected[i]))
      g_error ("'%s' is not listed as settable", expected[i]);
  g_assert_false (g_strv_contains ((const char *const *) names, "EE.k"));

  /* Everything listed can be set to its current value. */
  for (char **n = names; *n != NULL; n++)
    {
      g_autoptr(GError) error = NULL;
      const char *value = "1";

      if (g_str_has_suffix (*n, ".n"))
        value = "10";
      else if (strcmp (*n, "simulation.duration") == 0)
        value = "2 s";
      else if (strcmp (*n, "simulation.warmup") == 0)
        value = "0";
      else if (strstr (*n, "tau") != NULL)
        value = "10 ms";
      else if (strcmp (*n, "b") == 0 || strcmp (*n, "nu_ext") == 0 || g_str_has_suffix (*n, ".rate"))
        value = "1";
      else if (g_str_has_prefix (*n, "E.") || g_str_has_prefix (*n, "I."))
        continue;   /* the model's own constraints between parameters */
      if (!sw_document_set (doc, *n, value, &error))
        g_error ("%s=%s: %s", *n, value, error->message);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/set/variables", test_variables);
  g_test_add_func ("/model/set/fields", test_fields);
  g_test_add_func ("/model/set/brunel", test_brunel);
  g_test_add_func ("/model/set/distributions", test_distributions);
  for (gsize i = 0; i < G_N_ELEMENTS (set_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/model/set/errors/%s", set_cases[i].assignment);
      g_test_add_data_func (name, &set_cases[i], test_set_error);
    }
  g_test_add_func ("/model/set/indirect", test_indirect);
  g_test_add_func ("/model/set/settable", test_settable);

  return g_test_run ();
}
