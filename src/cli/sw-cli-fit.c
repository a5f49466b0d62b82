/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli fit-tf`: the automatic mean-field derivation (async-states
 * spec §3).  The E and/or I cell of a document's E-I network is simulated in
 * isolation under Poisson bombardment over a grid of input rates, and the
 * transfer-function coefficients are fitted in two stages (sw-tffit.h).  The
 * result is printed as JSON (coefficients in volts, flags, fit errors, the
 * grid, the cell and synapse parameters); --out writes the same document
 * with the simulated points added, in the form `mf --coeffs FILE` reads.
 */
#include "config.h"

#include "sw-cli.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "sw-document.h"
#include "sw-tffit.h"

/* Spec §3.6: a fit is accepted below this mean |F - nu_out|. */
#define ACCEPT_HZ 1.0

/* The input of spec §7 item 4, where the published sets are compared. */
#define CHECK_NU_E 9.8
#define CHECK_NU_I 21.5

static atomic_int cancel_requested;

static void
on_sigint (int sig)
{
  (void) sig;
  atomic_store (&cancel_requested, 1);
}

typedef struct
{
  gboolean show;
  const char *pop;
  int offset, total;        /* points done before this population, all points */
  gint64 start, last;
} Progress;

static void
progress_cb (void *data, int done, int total)
{
  Progress *p = data;
  (void) total;
  if (!p->show)
    return;
  gint64 now = g_get_monotonic_time ();
  if (now - p->last < G_USEC_PER_SEC / 4)
    return;
  p->last = now;
  int all = p->offset + done;
  double elapsed = (now - p->start) * 1e-6;
  double eta = all > 0 ? elapsed * (p->total - all) / all : 0.0;
  fprintf (stderr, "\rfit-tf %s: %d / %d points, ETA %5.1f s ", p->pop, all, p->total, eta);
  fflush (stderr);
}

/* "30x30" -> 30, 30. */
static gboolean
parse_grid (const char *text, int *ne, int *ni, GError **error)
{
  char *end = NULL;
  errno = 0;
  long a = strtol (text, &end, 10);
  if (end == text || (*end != 'x' && *end != 'X'))
    goto bad;
  const char *second = end + 1;
  long b = strtol (second, &end, 10);
  if (end == second || *end != '\0' || errno != 0)
    goto bad;
  if (a < 2 || b < 2 || a > 1000 || b > 1000)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                   "--grid '%s': each side must lie in 2..1000 points", text);
      return FALSE;
    }
  *ne = (int) a;
  *ni = (int) b;
  return TRUE;
bad:
  g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--grid '%s': expected NExNI, e.g. 30x30", text);
  return FALSE;
}

/* "0.1:30" (Hz) -> 0.1, 30. */
static gboolean
parse_range (const char *text, const char *option, double *lo, double *hi, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ":", -1);
  char *end0 = NULL, *end1 = NULL;
  if (g_strv_length (parts) == 2)
    {
      *lo = g_ascii_strtod (parts[0], &end0);
      *hi = g_ascii_strtod (parts[1], &end1);
      if (end0 != parts[0] && *end0 == '\0' && end1 != parts[1] && *end1 == '\0')
        {
          if (*lo >= 0 && *hi > *lo && isfinite (*hi))
            return TRUE;
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                       "%s '%s': need 0 <= MIN < MAX (rates in Hz)", option, text);
          return FALSE;
        }
    }
  g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s '%s': expected MIN:MAX in Hz, e.g. 0.1:30",
               option, text);
  return FALSE;
}

static gboolean
parse_flags (const char *text, unsigned *flags, GError **error)
{
  g_auto (GStrv) names = g_strsplit (text, ",", -1);
  *flags = 0;
  for (int k = 0; names[k] != NULL; k++)
    {
      g_strstrip (names[k]);
      if (strcmp (names[k], "legacy_tauV") == 0)
        *flags |= SW_TF_LEGACY_TAU_V;
      else if (strcmp (names[k], "legacy_sigmaV") == 0)
        *flags |= SW_TF_LEGACY_SIGMA_V;
      else if (names[k][0] != '\0')
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                       "--flags: unknown flag '%s' (known: legacy_tauV, legacy_sigmaV)", names[k]);
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                      */

static void
add_volts (JsonBuilder *b, const char *name, const SwTfCoeffs *k)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (int j = 0; j < (int) k->layout; j++)
    json_builder_add_double_value (b, k->p_mv[j] * 1e-3);
  json_builder_end_array (b);
}

typedef struct
{
  const char *name;           /* "E" or "I" */
  SwTffitCell cell;
  SwTffitPoint *points;
  SwTffitResult result;
  double sim_s, fit_s;
} PopFit;

static void
add_pop (JsonBuilder *b, const PopFit *f, const SwTffitOptions *opt, gboolean with_data)
{
  const SwTffitResult *r = &f->result;
  const SwTffitCell *c = &f->cell;
  json_builder_set_member_name (b, f->name);
  json_builder_begin_object (b);

  add_volts (b, "P", &r->coeffs);
  json_builder_set_member_name (b, "flags");
  json_builder_begin_array (b);
  if (r->coeffs.flags & SW_TF_LEGACY_TAU_V)
    json_builder_add_string_value (b, "legacy_tauV");
  if (r->coeffs.flags & SW_TF_LEGACY_SIGMA_V)
    json_builder_add_string_value (b, "legacy_sigmaV");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "layout");
  json_builder_add_int_value (b, (int) r->coeffs.layout);
  json_builder_set_member_name (b, "units");
  json_builder_add_string_value (b, "V");
  add_volts (b, "P_stage1", &r->stage1);
  json_builder_set_member_name (b, "normalisation");
  json_builder_begin_object (b);
  sw_cli_json_add_number (b, "mu_v0_mv", r->coeffs.mu_v0_mv);
  sw_cli_json_add_number (b, "d_mu_v_mv", r->coeffs.d_mu_v_mv);
  sw_cli_json_add_number (b, "sigma_v0_mv", r->coeffs.sigma_v0_mv);
  sw_cli_json_add_number (b, "d_sigma_v_mv", r->coeffs.d_sigma_v_mv);
  sw_cli_json_add_number (b, "tau_vn0", r->coeffs.tau_vn0);
  sw_cli_json_add_number (b, "d_tau_vn", r->coeffs.d_tau_vn);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  sw_cli_json_add_number (b, "mean_abs_hz", r->error_hz);
  sw_cli_json_add_number (b, "max_abs_hz", r->max_error_hz);
  sw_cli_json_add_number (b, "rms_hz", r->rms_error_hz);
  sw_cli_json_add_number (b, "stage1_mean_abs_hz", r->stage1_error_hz);
  sw_cli_json_add_number (b, "with_silent_mean_abs_hz", r->error_all_hz);
  sw_cli_json_add_number (b, "below_10hz_mean_abs_hz", r->error_low_hz);
  sw_cli_json_add_number (b, "noise_hz", r->noise_hz);
  sw_cli_json_add_number (b, "v_eff_rms_mv", r->veff_rms_mv);
  sw_cli_json_add_number (b, "acceptance_hz", ACCEPT_HZ);
  json_builder_set_member_name (b, "accepted");
  json_builder_add_boolean_value (b, r->error_hz < ACCEPT_HZ);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "points");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, r->n_points);
  json_builder_set_member_name (b, "kept");
  json_builder_add_int_value (b, r->n_kept);
  json_builder_set_member_name (b, "silent");
  json_builder_add_int_value (b, r->n_silent);
  json_builder_set_member_name (b, "saturated");
  json_builder_add_int_value (b, r->n_saturated);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "fit");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "stage1");
  json_builder_add_string_value (b, "least squares of V_eff (Householder QR)");
  json_builder_set_member_name (b, "stage2");
  json_builder_add_string_value (b, opt->stage2 ? "Levenberg-Marquardt on sum (F - nu_out)^2" : "none");
  json_builder_set_member_name (b, "iterations");
  json_builder_add_int_value (b, r->iterations);
  json_builder_set_member_name (b, "converged");
  json_builder_add_boolean_value (b, r->converged);
  sw_cli_json_add_number (b, "max_rate_hz", opt->max_rate_hz);
  sw_cli_json_add_number (b, "low_rate_weight", opt->low_weight);
  sw_cli_json_add_number (b, "low_region_hz", opt->low_region_hz);
  json_builder_set_member_name (b, "fit_silent");
  json_builder_add_boolean_value (b, opt->fit_silent);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "cell");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, "adex_cond");
  sw_cli_json_add_number (b, "C_m_pF", c->tf.c_m_pf);
  sw_cli_json_add_number (b, "g_L_nS", c->tf.g_l_ns);
  sw_cli_json_add_number (b, "E_L_mV", c->tf.e_l_mv);
  sw_cli_json_add_number (b, "V_T_mV", c->v_t_mv);
  sw_cli_json_add_number (b, "Delta_T_mV", c->delta_t_mv);
  sw_cli_json_add_number (b, "a_nS", c->a_ns);
  sw_cli_json_add_number (b, "b_pA", c->b_pa);
  sw_cli_json_add_number (b, "tau_w_ms", c->tau_w_ms);
  sw_cli_json_add_number (b, "V_reset_mV", c->v_reset_mv);
  sw_cli_json_add_number (b, "V_cut_mV", c->v_cut_mv);
  sw_cli_json_add_number (b, "t_ref_ms", c->t_ref_ms);
  sw_cli_json_add_number (b, "v0_mV", c->v0_mv);
  sw_cli_json_add_number (b, "w0_pA", c->w0_pa);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "synapses");
  json_builder_begin_object (b);
  sw_cli_json_add_number (b, "E_e_mV", c->tf.e_e_mv);
  sw_cli_json_add_number (b, "E_i_mV", c->tf.e_i_mv);
  sw_cli_json_add_number (b, "tau_e_ms", c->tf.tau_e_ms);
  sw_cli_json_add_number (b, "tau_i_ms", c->tf.tau_i_ms);
  sw_cli_json_add_number (b, "Q_e_nS", c->tf.q_e_ns);
  sw_cli_json_add_number (b, "Q_i_nS", c->tf.q_i_ns);
  sw_cli_json_add_number (b, "K_E", c->tf.k_e);
  sw_cli_json_add_number (b, "K_I", c->tf.k_i);
  json_builder_end_object (b);

  /* The fitted set next to the published ones at the input of spec §7
   * item 4 (W = 0): a quick plausibility check. */
  json_builder_set_member_name (b, "reference_input");
  json_builder_begin_object (b);
  sw_cli_json_add_number (b, "nu_e_hz", CHECK_NU_E);
  sw_cli_json_add_number (b, "nu_i_hz", CHECK_NU_I);
  sw_cli_json_add_number (b, "w_pa", 0.0);
  sw_cli_json_add_number (b, "rate_hz", sw_tf_rate (&r->coeffs, &c->tf, CHECK_NU_E, CHECK_NU_I, 0.0, NULL));
  static const char *const sets[] = { "dV19", "S25" };
  for (int s = 0; s < 2; s++)
    {
      SwTfCoeffs pub;
      if (sw_tf_coeffs_builtin (sets[s], strcmp (f->name, "E") == 0 ? "RS" : "FS", &pub, NULL) == SW_OK)
        {
          g_autofree char *key = g_strdup_printf ("%s_rate_hz", sets[s]);
          sw_cli_json_add_number (b, key, sw_tf_rate (&pub, &c->tf, CHECK_NU_E, CHECK_NU_I, 0.0, NULL));
        }
    }
  json_builder_end_object (b);
  sw_cli_json_add_number (b, "simulation_s", f->sim_s);
  sw_cli_json_add_number (b, "fit_s", f->fit_s);

  if (with_data)
    {
      json_builder_set_member_name (b, "data");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "columns");
      json_builder_begin_array (b);
      static const char *const cols[] = { "nu_e_hz", "nu_i_hz", "w_pa", "nu_out_hz", "nu_out_se_hz" };
      for (guint k = 0; k < G_N_ELEMENTS (cols); k++)
        json_builder_add_string_value (b, cols[k]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "rows");
      json_builder_begin_array (b);
      for (int k = 0; k < r->n_points; k++)
        {
          const SwTffitPoint *p = &f->points[k];
          const double v[5] = { p->nu_e_hz, p->nu_i_hz, p->w_pa, p->nu_out_hz, p->nu_out_se_hz };
          json_builder_begin_array (b);
          for (int j = 0; j < 5; j++)
            json_builder_add_double_value (b, v[j]);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static char *
build_json (const char *doc_name, char **sets, const char *population, const SwTffitGrid *g,
            const SwTffitOptions *opt, const PopFit *fits, int n_fits, int threads, double wall_s,
            gboolean with_data)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "spikeworks-tf-fit");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "document");
  json_builder_add_string_value (b, doc_name);
  /* The --set assignments: with the document they define the cells. */
  json_builder_set_member_name (b, "set");
  json_builder_begin_array (b);
  for (int k = 0; sets != NULL && sets[k] != NULL; k++)
    json_builder_add_string_value (b, sets[k]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "population");
  json_builder_add_string_value (b, population);

  json_builder_set_member_name (b, "grid");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n_e");
  json_builder_add_int_value (b, g->n_e);
  json_builder_set_member_name (b, "n_i");
  json_builder_add_int_value (b, g->n_i);
  sw_cli_json_add_number (b, "nu_e_min_hz", g->nu_e_min_hz);
  sw_cli_json_add_number (b, "nu_e_max_hz", g->nu_e_max_hz);
  sw_cli_json_add_number (b, "nu_i_min_hz", g->nu_i_min_hz);
  sw_cli_json_add_number (b, "nu_i_max_hz", g->nu_i_max_hz);
  json_builder_set_member_name (b, "spacing");
  json_builder_add_string_value (b, g->log_spacing ? "log" : "linear");
  sw_cli_json_add_number (b, "time_s", g->time_ms * 1e-3);
  sw_cli_json_add_number (b, "discard_s", g->discard_ms * 1e-3);
  sw_cli_json_add_number (b, "dt_ms", g->dt_ms);
  json_builder_set_member_name (b, "seeds");
  json_builder_add_int_value (b, g->n_seeds);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) g->seed);
  json_builder_end_object (b);

  for (int k = 0; k < n_fits; k++)
    add_pop (b, &fits[k], opt, with_data);

  json_builder_set_member_name (b, "threads");
  json_builder_add_int_value (b, threads);
  sw_cli_json_add_number (b, "wall_s", wall_s);
  json_builder_end_object (b);

  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* ------------------------------------------------------------------------ */
/* The command                                                               */

int
sw_cli_fit_tf (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *population = NULL, *grid_s = NULL, *range_s = NULL, *range_i_s = NULL;
  g_autofree char *time_s = NULL, *discard_s = NULL, *dt_s = NULL, *spacing = NULL;
  g_autofree char *flags_s = NULL, *out_path = NULL;
  int seeds = 2, threads = 0, layout = 10;
  gint64 seed = -1;
  double max_rate = 60.0, low_weight = 1.0;
  gboolean fit_silent = FALSE, stage1_only = FALSE;
  GOptionEntry entries[] = {
    { "population", 0, 0, G_OPTION_ARG_STRING, &population, "Which cell to fit: E (RS), I (FS) or both (default)", "E|I|both" },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid_s, "Grid of input rates nu_e x nu_i (default 30x30)", "NExNI" },
    { "range", 0, 0, G_OPTION_ARG_STRING, &range_s, "Range of both input rates in Hz (default 0.1:30)", "MIN:MAX" },
    { "range-i", 0, 0, G_OPTION_ARG_STRING, &range_i_s, "Range of nu_i alone, if different", "MIN:MAX" },
    { "spacing", 0, 0, G_OPTION_ARG_STRING, &spacing, "Grid spacing: linear (default) or log", "linear|log" },
    { "time", 0, 0, G_OPTION_ARG_STRING, &time_s, "Measured time per point and seed, after the discarded part (default 5s)", "TIME" },
    { "discard", 0, 0, G_OPTION_ARG_STRING, &discard_s, "Simulated and discarded first (default 0.5s)", "TIME" },
    { "dt", 0, 0, G_OPTION_ARG_STRING, &dt_s, "Time step (default: the document's)", "TIME" },
    { "seeds", 0, 0, G_OPTION_ARG_INT, &seeds, "Independent runs per point, pooled (default 2)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default: the document's)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads (0: one per processor)", "N" },
    { "layout", 0, 0, G_OPTION_ARG_INT, &layout, "Polynomial terms: 10 (default) or 11 (with ln(muG/gL))", "10|11" },
    { "flags", 0, 0, G_OPTION_ARG_STRING, &flags_s, "Formula flags of the moments (default none: the correct formulas)", "legacy_tauV,legacy_sigmaV" },
    { "max-rate", 0, 0, G_OPTION_ARG_DOUBLE, &max_rate, "Fit points with 0 < rate < this (Hz, default 60)", "HZ" },
    { "low-rate-weight", 0, 0, G_OPTION_ARG_DOUBLE, &low_weight, "Stage-2 weight of points with nu_e, nu_i < 5 Hz (default 1)", "W" },
    { "fit-silent", 0, 0, G_OPTION_ARG_NONE, &fit_silent, "Also fit F to 0 where the cell was silent (stage 2)", NULL },
    { "stage1-only", 0, 0, G_OPTION_ARG_NONE, &stage1_only, "Skip stage 2 (the rate fit)", NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, "Write the fit (with the simulated points) for mf --coeffs", "FILE.json" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — fit transfer functions from single-cell simulations");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("fit-tf needs exactly one document or preset:NAME");

  /* Options first, so that a typo costs no simulation. */
  const char *pop = population != NULL ? population : "both";
  gboolean want_e = strcmp (pop, "E") == 0 || strcmp (pop, "both") == 0;
  gboolean want_i = strcmp (pop, "I") == 0 || strcmp (pop, "both") == 0;
  if (!want_e && !want_i)
    {
      g_autofree char *msg = g_strdup_printf ("--population '%s': unknown population (expected E, I or both)", pop);
      return sw_cli_usage (msg);
    }
  SwTffitGrid grid;
  sw_tffit_grid_default (&grid);
  if (grid_s != NULL && !parse_grid (grid_s, &grid.n_e, &grid.n_i, &error))
    return sw_cli_fail (error);
  if (range_s != NULL && !parse_range (range_s, "--range", &grid.nu_e_min_hz, &grid.nu_e_max_hz, &error))
    return sw_cli_fail (error);
  grid.nu_i_min_hz = grid.nu_e_min_hz;
  grid.nu_i_max_hz = grid.nu_e_max_hz;
  if (range_i_s != NULL && !parse_range (range_i_s, "--range-i", &grid.nu_i_min_hz, &grid.nu_i_max_hz, &error))
    return sw_cli_fail (error);
  if (spacing != NULL)
    {
      if (strcmp (spacing, "log") != 0 && strcmp (spacing, "linear") != 0)
        return sw_cli_usage ("--spacing must be linear or log");
      grid.log_spacing = strcmp (spacing, "log") == 0;
    }
  if (time_s != NULL)
    {
      if (!sw_cli_parse_time (time_s, "--time", &grid.time_ms, &error))
        return sw_cli_fail (error);
      if (!(grid.time_ms > 0))
        {
          g_autofree char *msg = g_strdup_printf ("--time '%s': the time per point must be positive", time_s);
          return sw_cli_usage (msg);
        }
    }
  if (discard_s != NULL)
    {
      if (!sw_cli_parse_time (discard_s, "--discard", &grid.discard_ms, &error))
        return sw_cli_fail (error);
      if (!(grid.discard_ms >= 0))
        return sw_cli_usage ("--discard must not be negative");
    }
  double dt_ms = 0;
  if (dt_s != NULL)
    {
      if (!sw_cli_parse_time (dt_s, "--dt", &dt_ms, &error))
        return sw_cli_fail (error);
      if (!(dt_ms > 0))
        return sw_cli_usage ("--dt must be positive");
    }
  if (seeds < 1 || seeds > 1000)
    return sw_cli_usage ("--seeds must lie in 1..1000");
  if (threads < 0 || threads > 1024)
    return sw_cli_usage ("--threads must lie in 0..1024");
  if (layout != 10 && layout != 11)
    return sw_cli_usage ("--layout must be 10 or 11");
  if (!(max_rate > 0))
    return sw_cli_usage ("--max-rate must be positive");
  if (!(low_weight > 0 && isfinite (low_weight)))
    return sw_cli_usage ("--low-rate-weight must be positive");
  SwTffitOptions opt;
  sw_tffit_options_default (&opt);
  opt.layout = (SwTfLayout) layout;
  if (flags_s != NULL && !parse_flags (flags_s, &opt.flags, &error))
    return sw_cli_fail (error);
  opt.max_rate_hz = max_rate;
  opt.low_weight = low_weight;
  opt.fit_silent = fit_silent;
  opt.stage2 = !stage1_only;

  /* The document: the cells of its E-I network. */
  g_autoptr (SwDocument) doc = sw_cli_load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  if (spec == NULL)
    return sw_cli_fail (error);
  grid.dt_ms = dt_ms > 0 ? dt_ms : spec->dt_ms;
  grid.seed = seed >= 0 ? (uint64_t) seed : spec->seed;
  grid.n_seeds = seeds;
  PopFit fits[2];
  memset (fits, 0, sizeof fits);
  int n_fits = 0;
  SwError err;
  for (int k = 0; k < 2; k++)
    {
      gboolean inh = k == 1;
      if (!(inh ? want_i : want_e))
        continue;
      PopFit *f = &fits[n_fits];
      f->name = inh ? "I" : "E";
      if (sw_tffit_cell_from_spec (spec, inh, &f->cell, &err) != SW_OK)
        {
          g_printerr ("spikeworks-cli: %s: no transfer function to fit for this network: %s\n", argv[1], err.text);
          sw_net_spec_free (spec);
          return SW_CLI_EXIT_INPUT;
        }
      n_fits++;
    }
  sw_net_spec_free (spec);
  if (sw_tffit_grid_validate (&grid, &err) != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s\n", err.text);
      return SW_CLI_EXIT_INPUT;
    }

  /* Simulate and fit, population by population. */
  const int n_points = grid.n_e * grid.n_i;
  Progress progress = {
    .show = isatty (fileno (stderr)),
    .total = n_points * n_fits,
    .start = g_get_monotonic_time (),
  };
  struct sigaction sa = { 0 }, old_sa;
  sa.sa_handler = on_sigint;
  sigaction (SIGINT, &sa, &old_sa);
  int status = SW_CLI_EXIT_OK;
  int used_threads = threads > 0 ? threads : (int) sysconf (_SC_NPROCESSORS_ONLN);
  for (int k = 0; k < n_fits && status == SW_CLI_EXIT_OK; k++)
    {
      PopFit *f = &fits[k];
      f->points = g_new0 (SwTffitPoint, n_points);
      progress.pop = f->name;
      progress.offset = k * n_points;
      gint64 t0 = g_get_monotonic_time ();
      SwStatus st = sw_tffit_simulate (&f->cell, &grid, threads, &cancel_requested, progress_cb, &progress,
                                       f->points, &err);
      gint64 t1 = g_get_monotonic_time ();
      f->sim_s = (t1 - t0) * 1e-6;
      if (st == SW_ERR_CANCELLED)
        {
          g_printerr ("%sspikeworks-cli: interrupted; no output written\n", progress.show ? "\n" : "");
          status = 130;
          break;
        }
      if (st != SW_OK)
        {
          g_printerr ("%sspikeworks-cli: %s: %s: %s\n", progress.show ? "\n" : "", argv[1], sw_status_message (st),
                      err.text);
          status = SW_CLI_EXIT_SIMULATION;
          break;
        }
      st = sw_tffit_fit (&f->cell.tf, f->points, n_points, &opt, &f->result, &err);
      f->fit_s = (g_get_monotonic_time () - t1) * 1e-6;
      if (st != SW_OK)
        {
          g_printerr ("%sspikeworks-cli: %s: the fit of %s failed: %s\n", progress.show ? "\n" : "", argv[1], f->name,
                      err.text);
          status = SW_CLI_EXIT_SIMULATION;
          break;
        }
      snprintf (f->result.coeffs.name, sizeof f->result.coeffs.name, "fit %s", f->name);
    }
  sigaction (SIGINT, &old_sa, NULL);
  if (progress.show)
    fputs ("\r\033[K", stderr);
  /* A Ctrl-C during the fit itself (after the last simulation) also stops. */
  if (status == SW_CLI_EXIT_OK && atomic_load (&cancel_requested))
    {
      g_printerr ("spikeworks-cli: interrupted; no output written\n");
      status = 130;
    }
  double wall_s = (g_get_monotonic_time () - progress.start) * 1e-6;

  if (status == SW_CLI_EXIT_OK)
    {
      const char *doc_name = argv[1];
      g_autofree char *summary = build_json (doc_name, sets, pop, &grid, &opt, fits, n_fits, used_threads, wall_s, FALSE);
      if (out_path != NULL)
        {
          g_autofree char *full = build_json (doc_name, sets, pop, &grid, &opt, fits, n_fits, used_threads, wall_s, TRUE);
          g_autofree char *text = g_strconcat (full, "\n", NULL);
          /* g_file_set_contents writes a temporary file and renames it:
           * never half a file. */
          if (!g_file_set_contents (out_path, text, -1, &error))
            {
              g_printerr ("spikeworks-cli: %s\n", error->message);
              status = SW_CLI_EXIT_INPUT;
            }
          else if (n_fits == 1)
            g_printerr ("spikeworks-cli: %s holds the %s entry only (%s cell); `mf --coeffs` needs E and I: "
                        "fit with --population both\n",
                        out_path, fits[0].name, strcmp (fits[0].name, "E") == 0 ? "RS" : "FS");
        }
      if (status == SW_CLI_EXIT_OK)
        g_print ("%s\n", summary);
    }
  for (int k = 0; k < 2; k++)
    g_free (fits[k].points);
  return status;
}
