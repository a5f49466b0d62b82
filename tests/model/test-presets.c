/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the built-in presets: each is listed with a description, loads,
 * builds a valid spec, survives a round trip, and holds the published
 * parameters (async-states §1.2, §1.3, §6; Brette et al. 2007).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sw-presets.h"
#include "test-util.h"

static const char *const expected_presets[] = {
  "brunel-a", "coba", "cuba", "destexhe-adex", "destexhe-adex-jcns2018",
  "destexhe-adex-kusch2025", "destexhe-adex-sleep", NULL
};

static const SwPopSpec *
pop (const SwNetSpec *spec, const char *name)
{
  int i = sw_net_spec_find_pop (spec, name);
  if (i < 0)
    g_error ("no population %s", name);
  return &spec->pops[i];
}

static double
param (const SwNetSpec *spec, const char *pop_name, const char *name)
{
  const SwPopSpec *p = pop (spec, pop_name);
  int k = sw_param_find (p->type->params, p->type->n_params, name);
  if (k < 0)
    g_error ("%s has no parameter %s", p->type->name, name);
  return p->params[k];
}

static const SwDist *
init (const SwNetSpec *spec, const char *pop_name, const char *name)
{
  const SwPopSpec *p = pop (spec, pop_name);
  int k = sw_param_find (p->type->state, p->type->n_state, name);
  g_assert_cmpint (k, >=, 0);
  return &p->init[k];
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

static void
assert_variable (SwDocument *doc, const char *name, double value, const char *unit,
                 double min, double max)
{
  int i = sw_document_find_variable (doc, name);
  SwVariableInfo info;

  g_assert_cmpint (i, >=, 0);
  g_assert_true (sw_document_get_variable (doc, (guint) i, &info));
  g_assert_cmpstr (info.name, ==, name);
  g_assert_cmpfloat_with_epsilon (info.value, value, 1e-12);
  g_assert_cmpstr (info.unit, ==, unit);
  g_assert_cmpfloat (info.min, ==, min);
  g_assert_cmpfloat (info.max, ==, max);
  g_assert_nonnull (info.label);
}

static SwNetSpec *
load_spec (const char *name, SwDocument **out)
{
  g_autoptr(GError) error = NULL;
  SwDocument *doc = sw_document_load_preset (name, &error);
  SwNetSpec *spec;

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  spec = sw_document_build_spec (doc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (spec);
  *out = doc;
  return spec;
}

static void
test_list (void)
{
  g_autoptr(GPtrArray) list = sw_presets_list ();
  g_auto(GStrv) names = sw_presets_get_names ();
  guint n_network = 0;

  /* Every preset has a title, a one-line description for students and a
   * kind; the network presets are exactly the expected ones, in order. */
  g_assert_cmpuint (list->len, ==, g_strv_length (names));
  for (guint i = 0; i < list->len; i++)
    {
      SwPresetInfo *info = list->pdata[i];

      g_assert_cmpstr (info->name, ==, names[i]);
      g_assert_cmpuint (strlen (info->description), >, 20);
      g_assert_null (strchr (info->description, '\n'));
      g_assert_cmpstr (info->title, !=, info->name);
      g_assert_true (g_str_equal (info->kind, "network") || g_str_equal (info->kind, "cells")
                     || g_str_equal (info->kind, "mass"));
      if (g_str_equal (info->kind, "network"))
        {
          g_assert_nonnull (expected_presets[n_network]);
          g_assert_cmpstr (info->name, ==, expected_presets[n_network]);
          n_network++;
        }
    }
  g_assert_null (expected_presets[n_network]);
}

static void
test_load_all (void)
{
  for (guint i = 0; expected_presets[i] != NULL; i++)
    {
      g_autoptr(SwDocument) doc = NULL;
      g_autoptr(GError) error = NULL;
      SwNetSpec *spec = load_spec (expected_presets[i], &doc);
      SwError err = { { 0 } };
      g_autofree char *display = g_strdup_printf ("preset:%s", expected_presets[i]);

      g_test_message ("preset %s", expected_presets[i]);
      g_assert_cmpint (sw_net_spec_validate (spec, &err), ==, SW_OK);
      /* Population names are E and I in all presets. */
      g_assert_cmpint (sw_net_spec_find_pop (spec, "E"), ==, 0);
      g_assert_cmpint (sw_net_spec_find_pop (spec, "I"), ==, 1);
      g_assert_false (spec->pops[0].inhibitory);
      g_assert_true (spec->pops[1].inhibitory);
      g_assert_cmpstr (sw_document_get_display_name (doc), ==, display);
      g_assert_null (sw_document_get_path (doc));
      g_assert_nonnull (sw_document_get_explanation (doc));
      g_assert_cmpfloat (sw_document_get_dt_ms (doc), ==, 0.1);
      g_assert_cmpuint (sw_document_get_seed (doc), ==, 1);
      assert_round_trip (doc);
      sw_net_spec_free (spec);

      /* sw_document_load() understands preset:NAME too. */
      {
        g_autoptr(SwDocument) again = sw_document_load (display, &error);
        g_assert_no_error (error);
        g_assert_nonnull (again);
      }
    }
}

static void
test_destexhe_adex (void)
{
  g_autoptr(SwDocument) doc = NULL;
  SwNetSpec *spec = load_spec ("destexhe-adex", &doc);
  const SwPopSpec *ext;
  const char *exc_names[] = { "E", "I" };

  assert_variable (doc, "nu_ext", 2.5, "Hz", 0, 30);
  assert_variable (doc, "b", 30, "pA", 0, 150);
  g_assert_cmpfloat (sw_document_get_duration_ms (doc), ==, 2000.0);
  g_assert_cmpfloat (sw_document_get_warmup_ms (doc), ==, 1000.0);

  g_assert_cmpint (spec->n_pops, ==, 3);
  g_assert_cmpint (pop (spec, "E")->n, ==, 8000);
  g_assert_cmpint (pop (spec, "I")->n, ==, 2000);
  g_assert_true (pop (spec, "E")->type == &sw_adex_cond_type);

  for (int i = 0; i < 2; i++)
    {
      const char *p = exc_names[i];
      g_assert_cmpfloat (param (spec, p, "C_m"), ==, 200);
      g_assert_cmpfloat (param (spec, p, "g_L"), ==, 10);
      g_assert_cmpfloat (param (spec, p, "V_T"), ==, -50);
      g_assert_cmpfloat (param (spec, p, "V_reset"), ==, -65);
      g_assert_cmpfloat (param (spec, p, "V_cut"), ==, -30);
      g_assert_cmpfloat (param (spec, p, "t_ref"), ==, 5);
      g_assert_cmpfloat (param (spec, p, "E_e"), ==, 0);
      g_assert_cmpfloat (param (spec, p, "E_i"), ==, -80);
      g_assert_cmpfloat (param (spec, p, "tau_e"), ==, 5);
      g_assert_cmpfloat (param (spec, p, "tau_i"), ==, 5);
      g_assert_cmpfloat (param (spec, p, "a"), ==, 0);
      g_assert_cmpint (init (spec, p, "v")->kind, ==, SW_DIST_CONSTANT);
      g_assert_cmpfloat (init (spec, p, "v")->a, ==, -60);
      g_assert_cmpfloat (init (spec, p, "w")->a, ==, 0);
    }
  g_assert_cmpfloat (param (spec, "E", "E_L"), ==, -64);
  g_assert_cmpfloat (param (spec, "E", "Delta_T"), ==, 2);
  g_assert_cmpfloat (param (spec, "E", "b"), ==, 30);
  g_assert_cmpfloat (param (spec, "E", "tau_w"), ==, 500);
  g_assert_cmpfloat (param (spec, "I", "E_L"), ==, -65);
  g_assert_cmpfloat (param (spec, "I", "Delta_T"), ==, 0.5);
  g_assert_cmpfloat (param (spec, "I", "b"), ==, 0);

  g_assert_cmpint (spec->n_projs, ==, 6);
  {
    const char *names[] = { "EE", "EI", "IE", "II" };
    const double weights[] = { 1.5, 1.5, 5, 5 };
    const int receptors[] = { 0, 0, 1, 1 };
    const gboolean autapses[] = { FALSE, TRUE, TRUE, FALSE };

    for (int i = 0; i < 4; i++)
      {
        const SwProjSpec *pr = proj (spec, names[i]);
        g_assert_cmpint (pr->rule, ==, SW_CONN_FIXED_PROBABILITY);
        g_assert_cmpfloat (pr->p, ==, 0.05);
        g_assert_cmpint (pr->weight.kind, ==, SW_DIST_CONSTANT);
        g_assert_cmpfloat (pr->weight.a, ==, weights[i]);
        g_assert_cmpfloat (pr->delay_ms.a, ==, 0.0);
        g_assert_cmpint (pr->receptor, ==, receptors[i]);
        g_assert_cmpint (pr->autapses, ==, autapses[i]);
      }
  }

  ext = pop (spec, "ext");
  g_assert_cmpint (ext->kind, ==, SW_POP_POISSON);
  g_assert_cmpint (ext->n, ==, 8000);
  g_assert_cmpint (ext->n_rate, ==, 1);
  g_assert_cmpint (ext->rate[0].kind, ==, SW_WAVE_GAUSSIAN_RISE);
  g_assert_cmpfloat (ext->rate[0].amplitude, ==, 2.5);
  g_assert_cmpfloat (ext->rate[0].t0_ms, ==, 200);
  g_assert_cmpfloat (ext->rate[0].tau1_ms, ==, 20);
  for (int i = 0; i < 2; i++)
    {
      const SwProjSpec *pr = proj (spec, i == 0 ? "extE" : "extI");
      g_assert_cmpint (pr->pre, ==, sw_net_spec_find_pop (spec, "ext"));
      g_assert_cmpint (pr->post, ==, i);
      g_assert_cmpfloat (pr->p, ==, 0.05);
      g_assert_cmpfloat (pr->weight.a, ==, 1.5);
      g_assert_cmpint (pr->receptor, ==, 0);
    }
  sw_net_spec_free (spec);
}

static void
test_destexhe_variants (void)
{
  g_autoptr(SwDocument) jcns = NULL;
  g_autoptr(SwDocument) sleep = NULL;
  g_autoptr(SwDocument) kusch = NULL;
  SwNetSpec *s;

  s = load_spec ("destexhe-adex-jcns2018", &jcns);
  g_assert_cmpfloat (param (s, "E", "E_L"), ==, -65);
  g_assert_cmpfloat (param (s, "E", "a"), ==, 4);
  g_assert_cmpfloat (param (s, "E", "b"), ==, 20);
  g_assert_cmpfloat (param (s, "I", "E_L"), ==, -65);
  /* V_cut = V_T + 5 Delta_T */
  g_assert_cmpfloat (param (s, "E", "V_cut"), ==, param (s, "E", "V_T") + 5 * param (s, "E", "Delta_T"));
  g_assert_cmpfloat (param (s, "I", "V_cut"), ==, param (s, "I", "V_T") + 5 * param (s, "I", "Delta_T"));
  g_assert_cmpfloat (proj (s, "EE")->weight.a, ==, 1);
  g_assert_cmpfloat (proj (s, "EI")->weight.a, ==, 1);
  g_assert_cmpfloat (proj (s, "extE")->weight.a, ==, 1);
  g_assert_cmpfloat (proj (s, "extI")->weight.a, ==, 1);
  g_assert_cmpfloat (proj (s, "IE")->weight.a, ==, 5);
  g_assert_cmpfloat (pop (s, "ext")->rate[0].amplitude, ==, 4);
  assert_variable (jcns, "nu_ext", 4, "Hz", 0, 30);
  sw_net_spec_free (s);

  s = load_spec ("destexhe-adex-sleep", &sleep);
  g_assert_cmpfloat (param (s, "E", "E_L"), ==, -63);
  g_assert_cmpfloat (param (s, "E", "V_reset"), ==, -55);
  g_assert_cmpfloat (param (s, "E", "V_cut"), ==, -40);
  g_assert_cmpfloat (param (s, "I", "V_cut"), ==, -47.5);
  g_assert_cmpfloat (param (s, "I", "V_reset"), ==, -65);
  g_assert_cmpfloat (param (s, "E", "b"), ==, 60);
  g_assert_cmpfloat (pop (s, "ext")->rate[0].amplitude, ==, 0.315);
  assert_variable (sleep, "b", 60, "pA", 0, 150);
  sw_net_spec_free (s);

  s = load_spec ("destexhe-adex-kusch2025", &kusch);
  g_assert_cmpfloat (param (s, "E", "E_L"), ==, -63);
  g_assert_cmpfloat (param (s, "E", "V_reset"), ==, -55);
  g_assert_cmpfloat (param (s, "E", "V_cut"), ==, 0);
  g_assert_cmpfloat (param (s, "I", "E_L"), ==, -65);
  g_assert_cmpfloat (param (s, "I", "V_cut"), ==, -30);
  g_assert_cmpfloat (param (s, "I", "Delta_T"), ==, 0.5);
  sw_net_spec_free (s);
}

static void
test_brunel (void)
{
  g_autoptr(SwDocument) doc = NULL;
  SwNetSpec *spec = load_spec ("brunel-a", &doc);
  const char *names[] = { "EE", "EI", "IE", "II" };

  assert_variable (doc, "g", 5, "", 0, 8);
  assert_variable (doc, "eta", 2, "", 0, 5);
  g_assert_cmpfloat (sw_document_get_duration_ms (doc), ==, 500);
  g_assert_cmpfloat (sw_document_get_warmup_ms (doc), ==, 100);

  g_assert_cmpint (spec->n_pops, ==, 2);
  g_assert_cmpint (pop (spec, "E")->n, ==, 10000);
  g_assert_cmpint (pop (spec, "I")->n, ==, 2500);
  for (int i = 0; i < 2; i++)
    {
      const char *p = i == 0 ? "E" : "I";
      g_assert_true (pop (spec, p)->type == &sw_lif_delta_type);
      g_assert_cmpfloat (param (spec, p, "tau_m"), ==, 20);
      g_assert_cmpfloat (param (spec, p, "V_th"), ==, 20);
      g_assert_cmpfloat (param (spec, p, "V_reset"), ==, 10);
      g_assert_cmpfloat (param (spec, p, "E_L"), ==, 0);
      g_assert_cmpfloat (param (spec, p, "t_ref"), ==, 2);
      g_assert_cmpint (init (spec, p, "v")->kind, ==, SW_DIST_UNIFORM);
      g_assert_cmpfloat (init (spec, p, "v")->a, ==, 0);
      g_assert_cmpfloat (init (spec, p, "v")->b, ==, 20);
    }
  for (int i = 0; i < 4; i++)
    {
      const SwProjSpec *pr = proj (spec, names[i]);
      gboolean from_i = names[i][0] == 'I';

      g_assert_cmpint (pr->rule, ==, SW_CONN_FIXED_INDEGREE);
      g_assert_cmpint (pr->k, ==, from_i ? 250 : 1000);
      g_assert_true (pr->autapses);
      g_assert_false (pr->multapses);
      g_assert_cmpint (pr->receptor, ==, 0);
      g_assert_cmpfloat_with_epsilon (pr->weight.a, from_i ? -0.5 : 0.1, 1e-15);
      g_assert_cmpfloat (pr->delay_ms.a, ==, 1.5);
    }
  g_assert_cmpint (spec->n_stims, ==, 2);
  for (int i = 0; i < 2; i++)
    {
      const SwStimSpec *st = &spec->stims[i];
      g_assert_cmpint (st->kind, ==, SW_STIM_POISSON);
      g_assert_cmpint (st->target, ==, i);
      g_assert_cmpint (st->n_sources, ==, 1000);
      g_assert_cmpfloat (st->weight, ==, 0.1);
      g_assert_cmpint (st->first, ==, 0);
      g_assert_cmpint (st->count, ==, -1);
      g_assert_cmpint (st->n_profile, ==, 1);
      g_assert_cmpint (st->profile[0].kind, ==, SW_WAVE_CONSTANT);
      /* eta * nu_thr = 2 * 10 Hz */
      g_assert_cmpfloat (st->profile[0].amplitude, ==, 20);
    }

  /* The saved form keeps the expressions as written. */
  {
    g_autofree char *json = sw_document_to_json (doc);
    g_assert_nonnull (strstr (json, "\"-g*0.1 mV\""));
    g_assert_nonnull (strstr (json, "\"eta*10 Hz\""));
  }
  sw_net_spec_free (spec);
}

static void
test_coba_cuba (void)
{
  g_autoptr(SwDocument) coba = NULL;
  g_autoptr(SwDocument) cuba = NULL;
  SwNetSpec *s;

  s = load_spec ("coba", &coba);
  g_assert_cmpint (pop (s, "E")->n, ==, 3200);
  g_assert_cmpint (pop (s, "I")->n, ==, 800);
  g_assert_true (pop (s, "E")->type == &sw_lif_cond_type);
  g_assert_cmpfloat (param (s, "E", "E_L"), ==, -60);
  g_assert_cmpfloat (param (s, "E", "V_th"), ==, -50);
  g_assert_cmpfloat (param (s, "E", "tau_i"), ==, 10);
  /* V = E_L - 5 mV + 5 mV N(0,1), g_e = g_L (4 + 1.5 N), g_i = g_L (20 + 12 N) */
  g_assert_cmpint (init (s, "E", "v")->kind, ==, SW_DIST_NORMAL);
  g_assert_cmpfloat (init (s, "E", "v")->a, ==, param (s, "E", "E_L") - 5);
  g_assert_cmpfloat (init (s, "E", "v")->b, ==, 5);
  g_assert_cmpfloat (init (s, "I", "g_e")->a, ==, 40);
  g_assert_cmpfloat (init (s, "I", "g_e")->b, ==, 15);
  g_assert_cmpfloat (init (s, "E", "g_i")->a, ==, 200);
  g_assert_cmpfloat (init (s, "E", "g_i")->b, ==, 120);
  g_assert_cmpfloat (proj (s, "EI")->weight.a, ==, 6);
  g_assert_cmpfloat (proj (s, "IE")->weight.a, ==, 67);
  g_assert_cmpint (proj (s, "IE")->receptor, ==, 1);
  g_assert_cmpfloat (proj (s, "II")->p, ==, 0.02);
  g_assert_true (proj (s, "II")->autapses);
  g_assert_cmpfloat (sw_document_get_duration_ms (coba), ==, 1000);
  g_assert_cmpfloat (sw_document_get_warmup_ms (coba), ==, 100);
  sw_net_spec_free (s);

  s = load_spec ("cuba", &cuba);
  g_assert_true (pop (s, "I")->type == &sw_lif_curr_type);
  g_assert_cmpfloat (param (s, "E", "E_L"), ==, -49);
  g_assert_cmpfloat (param (s, "E", "V_reset"), ==, -60);
  g_assert_cmpfloat (proj (s, "EE")->weight.a, ==, 1.62);
  g_assert_cmpint (proj (s, "EE")->receptor, ==, 0);
  g_assert_cmpfloat (proj (s, "IE")->weight.a, ==, -9);
  g_assert_cmpint (proj (s, "IE")->receptor, ==, 1);
  g_assert_cmpint (init (s, "E", "v")->kind, ==, SW_DIST_UNIFORM);
  g_assert_cmpfloat (init (s, "E", "v")->a, ==, -60);
  g_assert_cmpfloat (init (s, "E", "v")->b, ==, -50);
  sw_net_spec_free (s);
}

static void
test_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SwDocument) doc = sw_document_load_preset ("destexhe-adx", &error);

  g_assert_null (doc);
  assert_doc_error (error, SW_DOCUMENT_ERROR_NOT_FOUND, "preset:destexhe-adx",
                    "did you mean 'destexhe-adex'?", "brunel-a", NULL);
  g_clear_error (&error);

  doc = sw_document_load ("preset:../etc/passwd", &error);
  g_assert_null (doc);
  assert_doc_error (error, SW_DOCUMENT_ERROR_NOT_FOUND, "no preset", NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/presets/list", test_list);
  g_test_add_func ("/model/presets/load-all", test_load_all);
  g_test_add_func ("/model/presets/destexhe-adex", test_destexhe_adex);
  g_test_add_func ("/model/presets/destexhe-variants", test_destexhe_variants);
  g_test_add_func ("/model/presets/brunel-a", test_brunel);
  g_test_add_func ("/model/presets/coba-cuba", test_coba_cuba);
  g_test_add_func ("/model/presets/unknown", test_unknown);

  return g_test_run ();
}
