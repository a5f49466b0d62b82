/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Focal perturbation: paired runs and the per-hop summary.
 */
#include "config.h"

#include "sw-mass-perturb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sw-mass-network.h"

void
sw_mass_perturb_result_clear (SwMassPerturbResult *res)
{
  free (res->nodes);
  free (res->response);
  free (res->by_hop);
  memset (res, 0, sizeof *res);
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (double *v, int n)
{
  if (n == 0)
    return NAN;
  qsort (v, n, sizeof (double), cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void
summarise (const SwMassPerturbResult *res, int hop_lo, int hop_hi, int label, double *tmp,
           SwMassHopSummary *s)
{
  memset (s, 0, sizeof *s);
  s->hop = label;
  int n = 0, reached = 0;
  for (int i = 0; i < res->n_nodes; i++)
    if (res->nodes[i].hop >= hop_lo && res->nodes[i].hop <= hop_hi)
      {
        n++;
        reached += res->nodes[i].reached;
      }
  s->n = n;
  s->frac_reached = n > 0 ? (double) reached / n : NAN;
  int k = 0;
  for (int i = 0; i < res->n_nodes; i++)
    if (res->nodes[i].hop >= hop_lo && res->nodes[i].hop <= hop_hi)
      tmp[k++] = res->nodes[i].z;
  s->median_z = median (tmp, k);
  k = 0;
  for (int i = 0; i < res->n_nodes; i++)
    if (res->nodes[i].hop >= hop_lo && res->nodes[i].hop <= hop_hi)
      tmp[k++] = res->nodes[i].latency_s;
  s->median_latency_s = median (tmp, k);
  k = 0;
  for (int i = 0; i < res->n_nodes; i++)
    if (res->nodes[i].hop >= hop_lo && res->nodes[i].hop <= hop_hi)
      tmp[k++] = res->nodes[i].peak;
  s->median_peak = median (tmp, k);
}

SwStatus
sw_mass_perturb (const SwMassConfig *cfg, const SwMassPerturbProtocol *protocol,
                 SwMassPerturbResult *out, SwError *err)
{
  memset (out, 0, sizeof *out);
  int n = cfg->n_nodes;
  if (cfg->weights == NULL)
    return sw_error_set (err, SW_ERR_INVALID, "a perturbation needs a network");
  if (protocol->source < 0 || protocol->source >= n)
    return sw_error_set (err, SW_ERR_INVALID, "source node %d is not in the network of %d nodes",
                         protocol->source, n);
  double dt = cfg->dt_s;
  double pulse_s = protocol->pulse_s > 0.0 ? protocol->pulse_s : 0.01;
  double warm_s = protocol->warmup_s > 0.0 ? protocol->warmup_s : 2.0;
  double window_s = protocol->window_s > 0.0 ? protocol->window_s : 0.5;
  double zth = protocol->z_reached > 0.0 ? protocol->z_reached : 3.0;
  long n_warm = lround (warm_s / dt), n_pulse = lround (pulse_s / dt), n_win = lround (window_s / dt);
  if (n_pulse < 1 || n_win < 1 || n_pulse > n_win)
    return sw_error_set (err, SW_ERR_INVALID,
                         "the pulse (%g s) must last at least one step and fit in the window (%g s)",
                         pulse_s, window_s);
  const SwMassType *type = cfg->type;
  int src = protocol->source;

  out->n_nodes = n;
  out->dt_s = dt;
  out->n_t = (int) n_win;
  out->nodes = calloc ((size_t) n, sizeof *out->nodes);
  out->response = malloc ((size_t) n_win * n * sizeof (double));
  double *base = malloc ((size_t) n_win * n * sizeof (double));
  double *tmp = malloc ((size_t) n * sizeof (double));
  int *hops = malloc ((size_t) n * sizeof (int));
  if (!out->nodes || !out->response || !base || !tmp || !hops)
    {
      free (base);
      free (tmp);
      free (hops);
      sw_mass_perturb_result_clear (out);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }

  SwMassSim *sim = NULL;
  SwStatus st = sw_mass_sim_new (cfg, &sim, err);
  if (st == SW_OK)
    st = sw_mass_sim_run (sim, n_warm, 1, NULL, err);
  if (st == SW_OK)
    st = sw_mass_sim_run (sim, n_win, 1, base, err);
  sw_mass_sim_free (sim);
  sim = NULL;
  if (st != SW_OK)
    goto done;

  /* Baseline SD per node over the window. */
  for (int i = 0; i < n; i++)
    {
      double s = 0.0, s2 = 0.0;
      for (long k = 0; k < n_win; k++)
        s += base[k * n + i];
      double mean = s / n_win;
      for (long k = 0; k < n_win; k++)
        s2 += (base[k * n + i] - mean) * (base[k * n + i] - mean);
      out->nodes[i].sd = n_win > 1 ? sqrt (s2 / (n_win - 1)) : 0.0;
    }

  double amp = protocol->amplitude;
  if (!isfinite (amp))
    {
      const double *p = cfg->node_params != NULL ? cfg->node_params + (size_t) src * type->n_params
                                                 : cfg->params;
      double held_sd = 0.0;
      if (type->held == SW_MASS_HELD_UNIFORM)
        held_sd = p[type->held_param] / sqrt (3.0);
      else if (type->held == SW_MASS_HELD_NORMAL)
        held_sd = p[type->held_param];
      if (held_sd > 0.0)
        amp = 10.0 * held_sd;
      else if (out->nodes[src].sd > 0.0)
        amp = 10.0 * out->nodes[src].sd / pulse_s;
      else
        amp = 1.0 / pulse_s;
    }
  out->amplitude = amp;

  st = sw_mass_sim_new (cfg, &sim, err);
  if (st == SW_OK)
    st = sw_mass_sim_run (sim, n_warm, 1, NULL, err);
  if (st == SW_OK)
    {
      sw_mass_sim_set_extra_input (sim, src, amp);
      st = sw_mass_sim_run (sim, n_pulse, 1, out->response, err);
    }
  if (st == SW_OK)
    {
      sw_mass_sim_set_extra_input (sim, src, 0.0);
      st = sw_mass_sim_run (sim, n_win - n_pulse, 1, out->response + (size_t) n_pulse * n, err);
    }
  sw_mass_sim_free (sim);
  if (st != SW_OK)
    goto done;

  for (size_t q = 0; q < (size_t) n_win * n; q++)
    out->response[q] -= base[q];

  out->max_hop = sw_mass_hops (cfg->weights, n, src, hops);
  for (int i = 0; i < n; i++)
    {
      SwMassNodeResponse *r = &out->nodes[i];
      r->hop = hops[i];
      double peak = 0.0, area = 0.0;
      long at = 0;
      for (long k = 0; k < n_win; k++)
        {
          double d = fabs (out->response[k * n + i]);
          area += d * dt;
          if (d > peak)
            {
              peak = d;
              at = k;
            }
        }
      r->peak = peak;
      r->area = area;
      r->latency_s = (at + 1) * dt;
      r->z = r->sd > 0.0 ? peak / r->sd : (peak > 0.0 ? INFINITY : 0.0);
      r->reached = r->z > zth;
    }
  if (out->max_hop >= 1)
    {
      out->by_hop = calloc ((size_t) out->max_hop, sizeof *out->by_hop);
      if (out->by_hop == NULL)
        {
          st = sw_error_set (err, SW_ERR_NOMEM, "out of memory");
          goto done;
        }
      for (int h = 1; h <= out->max_hop; h++)
        summarise (out, h, h, h, tmp, &out->by_hop[h - 1]);
    }
  summarise (out, 2, n, -2, tmp, &out->two_plus);
  out->r21 = out->max_hop >= 2 && out->by_hop[0].median_peak > 0.0
               ? out->by_hop[1].median_peak / out->by_hop[0].median_peak
               : NAN;

done:
  free (base);
  free (tmp);
  free (hops);
  if (st != SW_OK)
    sw_mass_perturb_result_clear (out);
  return st;
}
