/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli brc`: the biophysical reservoir (BRC) working-memory task
 * (dendrites-brc spec §7).  Reads the "brc" section of a cells document,
 * runs the 4 cues x 5 repeats trials of the network for one or every cue
 * condition (AMPA or NMDA cue synapses, at the soma or on the dendrite),
 * scores the cross-validated ridge readout, or searches the parameter box
 * round by round, and prints the result as JSON on standard output.
 * Progress of a search goes to standard error.
 */
#include "config.h"

#include "sw-cli.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "sw-brc-net.h"
#include "sw-brc-doc.h"
#include "sw-cells-doc.h"
#include "sw-expr.h"

static volatile int cancel_requested;

static void
on_sigint (int sig)
{
  (void) sig;
  cancel_requested = 1;
}

/* ------------------------------------------------------------------------ */
/* Output                                                                    */

static void
add_score (JsonBuilder *b, const SwBrcScore *sc)
{
  sw_cli_json_add_number (b, "score", sc->score);
  sw_cli_json_add_number (b, "mse", sc->mse);
  json_builder_set_member_name (b, "null");
  json_builder_add_boolean_value (b, sc->is_null);
  sw_cli_json_add_number (b, "null_mean_abs", sc->null_mean_abs);
  json_builder_set_member_name (b, "fold_mse");
  json_builder_begin_array (b);
  for (int k = 0; k < sc->n_folds; k++)
    json_builder_add_double_value (b, sc->fold_mse[k]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "mean_prediction");
  json_builder_begin_array (b);
  for (int c = 0; c < SW_BRC_N_CUES; c++)
    {
      double c1, c2;
      sw_brc_cue_value (c, &c1, &c2);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "cue");
      json_builder_begin_array (b);
      json_builder_add_double_value (b, c1);
      json_builder_add_double_value (b, c2);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "prediction");
      json_builder_begin_array (b);
      json_builder_add_double_value (b, sc->mean_pred[c][0]);
      json_builder_add_double_value (b, sc->mean_pred[c][1]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_activity (JsonBuilder *b, const SwBrcResult *r)
{
  sw_cli_json_add_number (b, "e_rate_before_cue_hz", r->e_rate_hz);
  sw_cli_json_add_number (b, "e_rate_after_cue_hz", r->e_rate_cue_hz);
  sw_cli_json_add_number (b, "i_rate_hz", r->i_rate_hz);
  json_builder_set_member_name (b, "trials");
  json_builder_add_int_value (b, r->n_trials);
  sw_cli_json_add_number (b, "wall_s", r->wall_s);
  sw_cli_json_add_number (b, "trial_wall_s", r->trial_wall_s);
  json_builder_set_member_name (b, "synapses");
  json_builder_begin_object (b);
  for (int t = 0; t < SW_BRC_N_TYPES; t++)
    {
      json_builder_set_member_name (b, sw_brc_syn_type_info (t)->name);
      json_builder_add_int_value (b, r->n_syn[t]);
    }
  json_builder_set_member_name (b, "cue_e");
  json_builder_add_int_value (b, r->n_cue_e);
  json_builder_set_member_name (b, "cue_i");
  json_builder_add_int_value (b, r->n_cue_i);
  json_builder_end_object (b);
}

static void
add_parameters (JsonBuilder *b, const char *member, SwBrcParams *p, const SwBrcDim *dims,
                int n_dims)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  for (int j = 0; j < n_dims; j++)
    sw_cli_json_add_number (b, dims[j].name, *sw_brc_param_slot (p, dims[j].name));
  json_builder_end_object (b);
}

/* ------------------------------------------------------------------------ */
/* Search                                                                    */

typedef struct
{
  int rounds, candidates;
} SearchSize;

typedef struct
{
  const SwBrcParams *base;
  const SwBrcDim *dims;
  int n_dims;
  SwBrcCondition condition;
  int total_rounds;
} SearchJob;

static SwStatus
search_eval (void *data, int draw, const double *x, int thread, double *score, SwError *err)
{
  SearchJob *job = data;
  SwBrcParams p = *job->base;
  (void) draw, (void) thread;
  for (int j = 0; j < job->n_dims; j++)
    *sw_brc_param_slot (&p, job->dims[j].name) = x[j];
  SwBrcResult r;
  /* Candidates run in parallel, so each one runs its trials on one
   * thread. */
  SwStatus st = sw_brc_evaluate (&p, 1, &cancel_requested, &r, err);
  if (st == SW_OK)
    *score = r.score.score;
  return st;
}

static void
search_round (void *data, int round, const SwBrcSearch *s)
{
  SearchJob *job = data;
  g_printerr ("brc %s: round %d/%d: best of round %.4g, best so far %.4g (%d draws, sampler "
              "fitted to %d)\n",
              sw_brc_condition_name (job->condition), round + 1, job->total_rounds,
              s->round_best[round], s->score[s->best], s->n_draws, s->round_selected[round]);
}

/* ------------------------------------------------------------------------ */
/* Command                                                                   */

static int
exit_for (SwStatus st)
{
  return st == SW_ERR_INVALID || st == SW_ERR_NOT_FOUND ? SW_CLI_EXIT_INPUT
         : st == SW_ERR_CANCELLED                        ? 130
                                                         : SW_CLI_EXIT_SIMULATION;
}

int
sw_cli_brc (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *cond_s = NULL, *search_s = NULL, *dur_s = NULL, *sdur_s = NULL;
  gint64 seed = -1;
  int threads = 0, repeats = 0, srepeats = 0, trial_threads = 1;
  GOptionEntry entries[] = {
    { "condition", 0, 0, G_OPTION_ARG_STRING, &cond_s,
      "Cue synapses: ampa-soma, ampa-dend, nmda-soma, nmda-dend or all (default: the document's)",
      "NAME" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search_s,
      "Search the parameter box: ROUNDS rounds of N candidates (e.g. 3x16)", "ROUNDSxN" },
    { "search-duration", 0, 0, G_OPTION_ARG_STRING, &sdur_s,
      "Trial length while searching (default: as --duration); the best is scored again with the full trials", "TIME" },
    { "search-repeats", 0, 0, G_OPTION_ARG_INT, &srepeats,
      "Repeats per cue while searching (default: as --repeats)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the network, noise and search (default: the document's)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads (0: all processors)", "N" },
    { "trial-threads", 0, 0, G_OPTION_ARG_INT, &trial_threads,
      "Threads inside each trial (default 1: trials run in parallel instead)", "N" },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Repeats per cue = folds (default: the document's, 5)", "N" },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &dur_s, "Trial length (default: the document's, 1000 ms)", "TIME" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Set a document variable or a BRC parameter such as cue_e.g=0.5 (repeatable)", "NAME=VALUE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — the reservoir working-memory task");
  g_option_context_set_description (
    ctx, "Runs 4 cues x 5 repeats trials of the BRC network (dendrites-brc spec §7), fits the ridge readout\n"
         "of the rate cells to the cue with 5-fold cross-validation by repeat and prints the score (mean test\n"
         "MSE; chance 4.0; +1000 when the readout ignores the cue).  With --search, rounds of candidates are\n"
         "drawn from the search box (round 1 uniform, later rounds from a kernel density of the good draws)\n"
         "and the best parameters are printed.  BRC parameters (--set NAME=VALUE): GROUP.g (uS) and GROUP.p\n"
         "for ee_ampa_soma, ee_nmda_soma, ee_ampa_dend, ee_nmda_dend, ei_ampa, ei_nmda, ie_gabaa_soma,\n"
         "ie_gabaa_dend, ii_gabaa, cue_e, cue_i; noise.g, readout.g, readout.e (mV); e_soma.X, e_dend.X,\n"
         "i_cell.X (S/cm^2) for X = leak, km, cal, cat.\n"
         "Exit codes: 0 success, 2 bad input, 3 simulation failure, 130 interrupted.");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("brc needs exactly one document or preset:NAME");
  if (threads < 0 || threads > 1024)
    return sw_cli_usage ("--threads must lie in 0..1024");
  if (trial_threads < 1 || trial_threads > 64)
    return sw_cli_usage ("--trial-threads must lie in 1..64");
  if (repeats != 0 && (repeats < 2 || repeats > SW_BRC_MAX_FOLDS))
    return sw_cli_usage ("--repeats must lie in 2..16");
  if (srepeats != 0 && (srepeats < 2 || srepeats > SW_BRC_MAX_FOLDS))
    return sw_cli_usage ("--search-repeats must lie in 2..16");

  SearchSize search = { 10, 100 };
  gboolean searching = search_s != NULL;
  if (searching)
    {
      char *end = NULL;
      errno = 0;
      long r = strtol (search_s, &end, 10);
      long n = (end && (*end == 'x' || *end == 'X')) ? strtol (end + 1, &end, 10) : -1;
      if (errno != 0 || end == NULL || *end != '\0' || r < 1 || r > 1000 || n < 1 || n > 100000)
        return sw_cli_usage ("--search expects ROUNDSxN, e.g. 3x16 (1..1000 rounds, 1..100000 candidates)");
      search.rounds = (int) r;
      search.candidates = (int) n;
    }

  /* The document, its "brc" section and its variables, with --set applied
   * to the variables; names of BRC parameters are set after the section
   * is read. */
  SwBrcParams params;
  sw_brc_params_default (&params);
  SearchSize doc_search = search;
  g_autoptr (GPtrArray) brc_sets = g_ptr_array_new_with_free_func (g_free);
  {
    g_autoptr (SwCellsDoc) doc = sw_cells_doc_load (argv[1], &error);
    if (doc == NULL)
      return sw_cli_fail (error);
    for (int i = 0; sets != NULL && sets[i] != NULL; i++)
      {
        const char *eq = strchr (sets[i], '=');
        g_autofree char *name = eq ? g_strndup (sets[i], eq - sets[i]) : g_strdup (sets[i]);
        g_strstrip (name);
        if (sw_brc_param_slot (&params, name) != NULL)
          g_ptr_array_add (brc_sets, g_strdup (sets[i]));
        else if (!sw_cells_doc_set (doc, sets[i], &error))
          return sw_cli_fail (error);
      }
    if (!sw_brc_doc_read (doc, &params, &doc_search.rounds, &doc_search.candidates, &error))
      return sw_cli_fail (error);
  }
  if (!searching)
    search = doc_search;
  for (guint i = 0; i < brc_sets->len; i++)
    {
      const char *a = brc_sets->pdata[i];
      const char *eq = strchr (a, '=');
      g_autofree char *name = eq ? g_strndup (a, eq - a) : g_strdup (a);
      g_strstrip (name);
      if (eq == NULL)
        {
          g_set_error (&error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--set %s: expected NAME=VALUE", a);
          return sw_cli_fail (error);
        }
      if (!sw_expr_eval_in_unit (eq + 1, NULL, sw_brc_param_unit (name),
                                 sw_brc_param_slot (&params, name), &error))
        {
          g_prefix_error (&error, "--set %s: ", a);
          return sw_cli_fail (error);
        }
    }
  if (seed >= 0)
    params.seed = (uint64_t) seed;
  if (repeats != 0)
    params.n_repeats = repeats;
  params.trial_threads = trial_threads;
  if (dur_s != NULL && !sw_cli_parse_time (dur_s, "--duration", &params.proto.t_stop_ms, &error))
    return sw_cli_fail (error);
  /* The protocol of the search's candidates: the full one unless reduced. */
  SwBrcParams search_params = params;
  if (sdur_s != NULL
      && !sw_cli_parse_time (sdur_s, "--search-duration", &search_params.proto.t_stop_ms, &error))
    return sw_cli_fail (error);
  if (srepeats != 0)
    search_params.n_repeats = srepeats;

  int conds[SW_BRC_N_CONDITIONS], n_conds = 0;
  if (cond_s == NULL)
    conds[n_conds++] = params.condition;
  else if (strcmp (cond_s, "all") == 0)
    for (int c = 0; c < SW_BRC_N_CONDITIONS; c++)
      conds[n_conds++] = c;
  else
    {
      int c = sw_brc_condition_from_name (cond_s);
      if (c < 0)
        return sw_cli_usage ("--condition expects ampa-soma, ampa-dend, nmda-soma, nmda-dend or all");
      conds[n_conds++] = c;
    }

  SwError cerr = { { 0 } };
  if (sw_brc_params_check (&params, &cerr) != SW_OK
      || (searching && sw_brc_params_check (&search_params, &cerr) != SW_OK))
    {
      g_set_error (&error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: brc: %s", argv[1], cerr.text);
      return sw_cli_fail (error);
    }
  if (threads == 0)
    threads = (int) g_get_num_processors ();

  signal (SIGINT, on_sigint);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "document");
  json_builder_add_string_value (b, argv[1]);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) params.seed);
  json_builder_set_member_name (b, "threads");
  json_builder_add_int_value (b, threads);
  json_builder_set_member_name (b, "trial_threads");
  json_builder_add_int_value (b, trial_threads);
  sw_cli_json_add_number (b, "duration_ms", params.proto.t_stop_ms);
  sw_cli_json_add_number (b, "dt_ms", params.proto.dt_ms);
  json_builder_set_member_name (b, "repeats");
  json_builder_add_int_value (b, params.n_repeats);
  sw_cli_json_add_number (b, "chance", 4.0);
  json_builder_set_member_name (b, "conditions");
  json_builder_begin_array (b);

  int status = SW_CLI_EXIT_OK;
  for (int ci = 0; ci < n_conds && status == SW_CLI_EXIT_OK; ci++)
    {
      SwBrcParams p = params;
      p.condition = conds[ci];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "condition");
      json_builder_add_string_value (b, sw_brc_condition_name (p.condition));

      SwBrcDim dims[SW_BRC_MAX_DIMS];
      int n_dims = sw_brc_search_box (&p, dims);
      SwBrcResult r;
      SwStatus st;
      if (!searching)
        {
          st = sw_brc_evaluate (&p, threads, &cancel_requested, &r, &cerr);
          if (st == SW_OK)
            {
              add_score (b, &r.score);
              add_activity (b, &r);
            }
        }
      else
        {
          SwBrcSearchConfig cfg;
          sw_brc_search_config_default (&cfg);
          cfg.n_rounds = search.rounds;
          cfg.n_per_round = search.candidates;
          cfg.seed = p.seed;
          cfg.n_threads = threads;
          SwBrcParams ps = search_params;
          ps.condition = p.condition;
          SearchJob job = { &ps, dims, n_dims, p.condition, search.rounds };
          SwBrcSearch s;
          gint64 t0 = g_get_monotonic_time ();
          st = sw_brc_search_run (dims, n_dims, &cfg, search_eval, search_round, &job, &s, &cerr);
          if (st == SW_OK && s.best < 0)
            st = sw_error_set (&cerr, SW_ERR_BLOWUP, "every candidate blew up");
          if (st == SW_OK)
            {
              SwBrcParams best = p;
              for (int j = 0; j < n_dims; j++)
                *sw_brc_param_slot (&best, dims[j].name) = s.x[(size_t) s.best * n_dims + j];
              /* The best draw once more with the full protocol, for its
               * complete result (with the search's own protocol this gives
               * the search's numbers again: evaluations are
               * deterministic). */
              st = sw_brc_evaluate (&best, threads, &cancel_requested, &r, &cerr);
              if (st == SW_OK)
                {
                  add_score (b, &r.score);
                  add_activity (b, &r);
                  json_builder_set_member_name (b, "search");
                  json_builder_begin_object (b);
                  json_builder_set_member_name (b, "rounds");
                  json_builder_add_int_value (b, s.n_rounds);
                  json_builder_set_member_name (b, "candidates");
                  json_builder_add_int_value (b, search.candidates);
                  sw_cli_json_add_number (b, "duration_ms", ps.proto.t_stop_ms);
                  json_builder_set_member_name (b, "repeats");
                  json_builder_add_int_value (b, ps.n_repeats);
                  sw_cli_json_add_number (b, "best_search_score", s.score[s.best]);
                  json_builder_set_member_name (b, "failed");
                  json_builder_add_int_value (b, s.n_failed);
                  json_builder_set_member_name (b, "sampler");
                  json_builder_add_string_value (b, "gaussian-kde-unit-cube");
                  json_builder_set_member_name (b, "round_best");
                  json_builder_begin_array (b);
                  for (int k = 0; k < s.n_rounds; k++)
                    {
                      if (isfinite (s.round_best[k]))
                        json_builder_add_double_value (b, s.round_best[k]);
                      else
                        json_builder_add_null_value (b);
                    }
                  json_builder_end_array (b);
                  json_builder_set_member_name (b, "draw_scores");
                  json_builder_begin_array (b);
                  for (int k = 0; k < s.n_draws; k++)
                    {
                      if (isfinite (s.score[k]))
                        json_builder_add_double_value (b, s.score[k]);
                      else
                        json_builder_add_null_value (b);
                    }
                  json_builder_end_array (b);
                  json_builder_set_member_name (b, "round_fitted_to");
                  json_builder_begin_array (b);
                  for (int k = 0; k < s.n_rounds; k++)
                    json_builder_add_int_value (b, s.round_selected[k]);
                  json_builder_end_array (b);
                  sw_cli_json_add_number (b, "wall_s", (g_get_monotonic_time () - t0) / 1e6);
                  add_parameters (b, "best_parameters", &best, dims, n_dims);
                  json_builder_end_object (b);
                }
            }
          sw_brc_search_clear (&s);
        }
      if (st != SW_OK)
        {
          g_printerr ("%s: %s (%s): %s\n", argv[0], sw_brc_condition_name (p.condition),
                      sw_status_message (st), cerr.text);
          status = exit_for (st);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (status != SW_CLI_EXIT_OK)
    return status;

  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
  return SW_CLI_EXIT_OK;
}
