/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the structural edits the network editor makes: adding and
 * removing projections, populations and stimuli (transactional, saved and
 * loaded back; a removed population takes what refers to it along), rate
 * profiles edited component by component, and node positions kept in the
 * document's "ui" object.
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

static int
find_pop_index (const SwNetSpec *spec, const char *name)
{
  return sw_net_spec_find_pop (spec, name);
}

static int
find_stim (const SwNetSpec *spec, const char *name)
{
  for (int i = 0; i < spec->n_stims; i++)
    if (strcmp (spec->stims[i].name, name) == 0)
      return i;
  return -1;
}

static void
test_populations (void)
{
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  g_autoptr(SwDocument) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sw_document_to_json (doc);
  g_autofree char *json = NULL;
  g_autofree char *unique = NULL;
  g_auto(GStrv) deps = NULL;
  SwNetSpec *spec;
  int n_pops, n_projs, p;

  spec = spec_of (doc);
  n_pops = spec->n_pops;
  n_projs = spec->n_projs;
  sw_net_spec_free (spec);

  /* Names: free ones as they are, taken ones with a number. */
  unique = sw_document_unique_name (doc, "E");
  g_assert_cmpstr (unique, ==, "E2");
  g_clear_pointer (&unique, g_free);
  unique = sw_document_unique_name (doc, "L4");
  g_assert_cmpstr (unique, ==, "L4");

  g_assert_true (sw_document_add_population (doc, "L4", "lif_delta", 400, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (sw_document_add_poisson_source (doc, "th", 50, 12.5, &error));
  g_assert_no_error (error);
  spec = spec_of (doc);
  g_assert_cmpint (spec->n_pops, ==, n_pops + 2);
  p = find_pop_index (spec, "L4");
  g_assert_cmpint (p, >=, 0);
  g_assert_cmpint (spec->pops[p].kind, ==, SW_POP_NEURONS);
  g_assert_cmpint (spec->pops[p].n, ==, 400);
  g_assert_true (spec->pops[p].inhibitory);
  g_assert_true (spec->pops[p].type == &sw_lif_delta_type);
  p = find_pop_index (spec, "th");
  g_assert_cmpint (spec->pops[p].kind, ==, SW_POP_POISSON);
  g_assert_cmpint (spec->pops[p].n, ==, 50);
  g_assert_cmpint (spec->pops[p].n_rate, ==, 1);
  g_assert_cmpfloat (spec->pops[p].rate[0].amplitude, ==, 12.5);
  sw_net_spec_free (spec);

  /* Refused: a taken name, an unknown model, a bad size, a bad name. */
  g_assert_false (sw_document_add_population (doc, "EE", "adex_cond", 10, FALSE, &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_false (sw_document_add_population (doc, "X", "hh", 10, FALSE, &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);
  g_assert_false (sw_document_add_population (doc, "X", "lif_cond", 0, FALSE, &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (sw_document_add_poisson_source (doc, "9x", 10, 1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (sw_document_add_poisson_source (doc, "Y", 10, -1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  spec = spec_of (doc);
  g_assert_cmpint (spec->n_pops, ==, n_pops + 2);
  sw_net_spec_free (spec);

  /* Saved and loaded back. */
  json = sw_document_to_json (doc);
  reloaded = sw_document_load_data (json, -1, "test", &error);
  g_assert_no_error (error);
  spec = spec_of (reloaded);
  g_assert_cmpint (find_pop_index (spec, "L4"), >=, 0);
  g_assert_cmpint (find_pop_index (spec, "th"), >=, 0);
  sw_net_spec_free (spec);

  /* Removing the new ones gives the document back. */
  g_assert_true (sw_document_remove_population (doc, "th", &error));
  g_assert_true (sw_document_remove_population (doc, "L4", &error));
  g_assert_no_error (error);
  g_clear_pointer (&json, g_free);
  json = sw_document_to_json (doc);
  g_assert_cmpstr (json, ==, before);

  /* Removing I takes the projections from and to it along, and its
   * position; nothing else. */
  sw_document_set_node_position (doc, "I", 0.5, 0.5);
  sw_document_set_node_position (doc, "E", 0.25, 0.5);
  deps = sw_document_list_dependents (doc, "I");
  g_assert_true (g_strv_contains ((const char *const *) deps, "EI"));
  g_assert_true (g_strv_contains ((const char *const *) deps, "IE"));
  g_assert_true (g_strv_contains ((const char *const *) deps, "II"));
  g_assert_false (g_strv_contains ((const char *const *) deps, "EE"));
  g_assert_true (sw_document_remove_population (doc, "I", &error));
  g_assert_no_error (error);
  spec = spec_of (doc);
  g_assert_cmpint (spec->n_pops, ==, n_pops - 1);
  g_assert_cmpint (spec->n_projs, ==, n_projs - (int) g_strv_length (deps));
  g_assert_cmpint (find_pop_index (spec, "I"), ==, -1);
  for (int i = 0; i < spec->n_projs; i++)
    {
      g_assert_cmpstr (spec->pops[spec->projs[i].pre].name, !=, "I");
      g_assert_cmpstr (spec->pops[spec->projs[i].post].name, !=, "I");
    }
  sw_net_spec_free (spec);
  {
    double x, y;
    g_assert_false (sw_document_get_node_position (doc, "I", &x, &y));
    g_assert_true (sw_document_get_node_position (doc, "E", &x, &y));
  }

  /* Unknown names and the last population are refused. */
  g_assert_false (sw_document_remove_population (doc, "I", &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);
  {
    g_autoptr(SwDocument) one = sw_document_load_data (
      "{\"format\": \"spikeworks\", \"version\": 1, \"populations\": "
      "[{\"name\": \"P\", \"source\": \"poisson\", \"n\": 1, \"rate\": 1}]}", -1, "one", &error);
    g_assert_no_error (error);
    g_assert_false (sw_document_remove_population (one, "P", &error));
    g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE);
    g_clear_error (&error);
  }
}

static void
test_stimuli (void)
{
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sw_document_to_json (doc);
  g_autofree char *poisson = NULL;
  g_autofree char *poisson2 = NULL;
  g_autofree char *current = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) deps = NULL;
  SwNetSpec *spec;
  int s;

  poisson = sw_document_add_stimulus (doc, "E", SW_STIM_POISSON, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (poisson, ==, "poisson_E");
  poisson2 = sw_document_add_stimulus (doc, "E", SW_STIM_POISSON, &error);
  g_assert_cmpstr (poisson2, ==, "poisson_E2");
  current = sw_document_add_stimulus (doc, "I", SW_STIM_CURRENT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current, ==, "current_I");
  /* Stimuli go into neurons only. */
  g_assert_null (sw_document_add_stimulus (doc, "ext", SW_STIM_POISSON, &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sw_document_add_stimulus (doc, "nope", SW_STIM_CURRENT, &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);

  spec = spec_of (doc);
  g_assert_cmpint (spec->n_stims, ==, 3);
  s = find_stim (spec, "poisson_E");
  g_assert_cmpint (spec->stims[s].kind, ==, SW_STIM_POISSON);
  g_assert_cmpint (spec->stims[s].n_sources, ==, 100);
  g_assert_cmpfloat (spec->stims[s].weight, ==, 1.0);
  g_assert_cmpfloat (spec->stims[s].profile[0].amplitude, ==, 5.0);
  s = find_stim (spec, "current_I");
  g_assert_cmpint (spec->stims[s].kind, ==, SW_STIM_CURRENT);
  g_assert_cmpint (spec->stims[s].profile[0].kind, ==, SW_WAVE_PULSE);
  /* adex_cond takes its current in pA. */
  g_assert_cmpfloat (spec->stims[s].profile[0].amplitude, ==, 100.0);
  g_assert_cmpfloat (spec->stims[s].profile[0].t0_ms, ==, 100.0);
  g_assert_cmpfloat (spec->stims[s].profile[0].duration_ms, ==, 50.0);
  sw_net_spec_free (spec);

  /* A stimulus depends on its target. */
  deps = sw_document_list_dependents (doc, "I");
  g_assert_true (g_strv_contains ((const char *const *) deps, "current_I"));

  g_assert_true (sw_document_remove_stimulus (doc, "poisson_E2", &error));
  g_assert_true (sw_document_remove_stimulus (doc, "poisson_E", &error));
  g_assert_no_error (error);
  g_assert_false (sw_document_remove_stimulus (doc, "poisson_E", &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);
  /* Removing I removes its stimulus too. */
  g_assert_true (sw_document_remove_population (doc, "I", &error));
  spec = spec_of (doc);
  g_assert_cmpint (spec->n_stims, ==, 0);
  sw_net_spec_free (spec);

  /* And a stimulus alone leaves the document as it was. */
  g_clear_pointer (&doc, sw_document_free);
  doc = preset ("destexhe-adex");
  g_clear_pointer (&current, g_free);
  current = sw_document_add_stimulus (doc, "E", SW_STIM_CURRENT, &error);
  g_assert_true (sw_document_remove_stimulus (doc, current, &error));
  json = sw_document_to_json (doc);
  g_assert_cmpstr (json, ==, before);
}

static void
test_waveforms (void)
{
  g_autoptr(SwDocument) doc = preset ("destexhe-adex");
  g_autoptr(SwDocument) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stim = NULL;
  g_autofree char *json = NULL;
  SwNetSpec *spec;
  const SwWaveform *w;
  int p, s;

  /* The metadata: which fields a shape takes and needs. */
  {
    const char *const *fields = sw_document_waveform_fields (SW_WAVE_DOUBLE_GAUSSIAN);
    g_assert_cmpstr (fields[0], ==, "amplitude");
    g_assert_true (g_strv_contains (fields, "tau2"));
    g_assert_false (g_strv_contains (fields, "freq"));
    g_assert_true (sw_document_waveform_field_required (SW_WAVE_SINE, "freq"));
    g_assert_false (sw_document_waveform_field_required (SW_WAVE_SINE, "t0"));
  }

  /* Its fields are listed among the settable names. */
  {
    g_auto(GStrv) names = sw_document_list_settable (doc);
    g_assert_true (g_strv_contains ((const char *const *) names, "ext.rate[0].tau1"));
    g_assert_true (g_strv_contains ((const char *const *) names, "ext.rate[0].t0"));
    g_assert_false (g_strv_contains ((const char *const *) names, "ext.rate[0].freq"));
  }

  /* ext's rate is one gaussian_rise component of amplitude nu_ext. */
  spec = spec_of (doc);
  p = sw_net_spec_find_pop (spec, "ext");
  g_assert_cmpint (spec->pops[p].n_rate, ==, 1);
  g_assert_cmpint (spec->pops[p].rate[0].kind, ==, SW_WAVE_GAUSSIAN_RISE);
  sw_net_spec_free (spec);

  g_assert_true (sw_document_set (doc, "ext.rate[0].tau1", "35 ms", &error));
  g_assert_no_error (error);
  g_assert_true (sw_document_set (doc, "ext.rate[0].t0", "0.3 s", &error));
  g_assert_no_error (error);
  spec = spec_of (doc);
  w = &spec->pops[p].rate[0];
  g_assert_cmpfloat (w->tau1_ms, ==, 35.0);
  g_assert_cmpfloat (w->t0_ms, ==, 300.0);
  sw_net_spec_free (spec);

  /* A field the shape lacks, a component that is not there, a bad value. */
  g_assert_false (sw_document_set (doc, "ext.rate[0].freq", "3 Hz", &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);
  g_assert_false (sw_document_set (doc, "ext.rate[1].t0", "3 ms", &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (sw_document_set (doc, "ext.rate[0].tau1", "3 mV", &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNIT);
  g_clear_error (&error);

  /* Another shape: amplitude (an expression) and t0 stay, tau1 goes, the
   * duration gets its default. */
  g_assert_true (sw_document_set_waveform (doc, "ext", 0, SW_WAVE_PULSE, &error));
  g_assert_no_error (error);
  json = sw_document_to_json (doc);
  g_assert_null (strstr (json, "\"tau1\""));
  g_assert_nonnull (strstr (json, "\"amplitude\": \"nu_ext\""));
  spec = spec_of (doc);
  w = &spec->pops[p].rate[0];
  g_assert_cmpint (w->kind, ==, SW_WAVE_PULSE);
  g_assert_cmpfloat (w->t0_ms, ==, 300.0);
  g_assert_cmpfloat (w->duration_ms, ==, 100.0);
  sw_net_spec_free (spec);

  /* A second component, then removed again; the last one stays. */
  g_assert_true (sw_document_set_waveform (doc, "ext", 1, SW_WAVE_SINE, &error));
  g_assert_no_error (error);
  g_assert_true (sw_document_set (doc, "ext.rate[1].amplitude", "2 Hz", &error));
  spec = spec_of (doc);
  g_assert_cmpint (spec->pops[p].n_rate, ==, 2);
  g_assert_cmpint (spec->pops[p].rate[1].kind, ==, SW_WAVE_SINE);
  g_assert_cmpfloat (spec->pops[p].rate[1].freq_hz, ==, 5.0);
  g_assert_cmpfloat (spec->pops[p].rate[1].amplitude, ==, 2.0);
  sw_net_spec_free (spec);
  g_assert_false (sw_document_set_waveform (doc, "ext", 5, SW_WAVE_SINE, &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_true (sw_document_remove_waveform (doc, "ext", 0, &error));
  g_assert_false (sw_document_remove_waveform (doc, "ext", 0, &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  spec = spec_of (doc);
  g_assert_cmpint (spec->pops[p].n_rate, ==, 1);
  g_assert_cmpint (spec->pops[p].rate[0].kind, ==, SW_WAVE_SINE);
  sw_net_spec_free (spec);

  /* Neurons have no profile. */
  g_assert_false (sw_document_set_waveform (doc, "E", 0, SW_WAVE_PULSE, &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);

  /* A stimulus written as one value ("rate": 5): its amplitude is
   * component 0, and a new shape makes a list of it. */
  stim = sw_document_add_stimulus (doc, "E", SW_STIM_POISSON, &error);
  g_assert_true (sw_document_set (doc, "poisson_E.rate[0].amplitude", "7 Hz", &error));
  g_assert_no_error (error);
  g_assert_false (sw_document_set (doc, "poisson_E.rate[0].t0", "7 ms", &error));
  g_clear_error (&error);
  g_assert_true (sw_document_set_waveform (doc, "poisson_E", 0, SW_WAVE_RAMP, &error));
  g_assert_no_error (error);
  g_assert_true (sw_document_set (doc, "poisson_E.rate[0].duration", "1 s", &error));
  spec = spec_of (doc);
  s = find_stim (spec, "poisson_E");
  g_assert_cmpint (spec->stims[s].n_profile, ==, 1);
  g_assert_cmpint (spec->stims[s].profile[0].kind, ==, SW_WAVE_RAMP);
  g_assert_cmpfloat (spec->stims[s].profile[0].amplitude, ==, 7.0);
  g_assert_cmpfloat (spec->stims[s].profile[0].duration_ms, ==, 1000.0);
  sw_net_spec_free (spec);

  /* Current stimuli call theirs "profile". */
  g_clear_pointer (&stim, g_free);
  stim = sw_document_add_stimulus (doc, "I", SW_STIM_CURRENT, &error);
  g_assert_true (sw_document_set (doc, "current_I.profile[0].amplitude", "50 pA", &error));
  g_assert_no_error (error);
  g_assert_false (sw_document_set (doc, "current_I.rate[0].amplitude", "50 pA", &error));
  g_clear_error (&error);

  /* Everything is saved and read back. */
  g_clear_pointer (&json, g_free);
  json = sw_document_to_json (doc);
  reloaded = sw_document_load_data (json, -1, "test", &error);
  g_assert_no_error (error);
  spec = spec_of (reloaded);
  s = find_stim (spec, "current_I");
  g_assert_cmpfloat (spec->stims[s].profile[0].amplitude, ==, 50.0);
  g_assert_cmpint (spec->pops[sw_net_spec_find_pop (spec, "ext")].rate[0].kind, ==,
                   SW_WAVE_SINE);
  sw_net_spec_free (spec);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/structure/add-remove", test_add_remove);
  g_test_add_func ("/model/structure/positions", test_positions);
  g_test_add_func ("/model/structure/populations", test_populations);
  g_test_add_func ("/model/structure/stimuli", test_stimuli);
  g_test_add_func ("/model/structure/waveforms", test_waveforms);
  return g_test_run ();
}
