/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ring-lattice and random wiring of the BRC network (see sw-brc-wiring.h).
 */
#include "sw-brc-wiring.h"

#include <stdlib.h>

#include "sw-rng.h"

/* The ring of the reference model; the populations occupy its first 50
 * positions, so the wrap-around is never reached, but the distance is
 * measured on the ring all the same. */
#define RING_POSITIONS 600

static const SwBrcSynTypeInfo type_info[SW_BRC_N_TYPES] = {
  [SW_BRC_EE_AMPA_SOMA] = { "ee_ampa_soma", SW_BRC_PATH_EE, SW_BRC_AMPA, SW_BRC_SITE_SOMA },
  [SW_BRC_EE_NMDA_SOMA] = { "ee_nmda_soma", SW_BRC_PATH_EE, SW_BRC_NMDA, SW_BRC_SITE_SOMA },
  [SW_BRC_EE_AMPA_DEND] = { "ee_ampa_dend", SW_BRC_PATH_EE, SW_BRC_AMPA, SW_BRC_SITE_DEND },
  [SW_BRC_EE_NMDA_DEND] = { "ee_nmda_dend", SW_BRC_PATH_EE, SW_BRC_NMDA, SW_BRC_SITE_DEND },
  [SW_BRC_EI_AMPA] = { "ei_ampa", SW_BRC_PATH_EI, SW_BRC_AMPA, SW_BRC_SITE_SOMA },
  [SW_BRC_EI_NMDA] = { "ei_nmda", SW_BRC_PATH_EI, SW_BRC_NMDA, SW_BRC_SITE_SOMA },
  [SW_BRC_IE_GABAA_SOMA] = { "ie_gabaa_soma", SW_BRC_PATH_IE, SW_BRC_GABAA, SW_BRC_SITE_SOMA },
  [SW_BRC_IE_GABAA_DEND] = { "ie_gabaa_dend", SW_BRC_PATH_IE, SW_BRC_GABAA, SW_BRC_SITE_DEND },
  [SW_BRC_II_GABAA] = { "ii_gabaa", SW_BRC_PATH_II, SW_BRC_GABAA, SW_BRC_SITE_SOMA },
};

const SwBrcSynTypeInfo *
sw_brc_syn_type_info (SwBrcSynType type)
{
  if ((int) type < 0 || type >= SW_BRC_N_TYPES)
    return NULL;
  return &type_info[type];
}

void
sw_brc_conns_clear (SwBrcConns *conns)
{
  free (conns->pre);
  free (conns->post);
  conns->pre = conns->post = NULL;
  conns->n = 0;
}

int
sw_brc_ring_linked (int a, int b)
{
  int d = abs (a - b) % RING_POSITIONS;
  if (d > RING_POSITIONS - d)
    d = RING_POSITIONS - d;
  return d == 1 || d == 2;
}

int
sw_brc_candidates (SwBrcPathway path, int n_e, int n_i, int *pre, int *post, int cap)
{
  int n_pre, n_post, scale_pre, scale_post;

  /* Ring position = scale * index: 1 for E cells, 2 for I cells. */
  switch (path)
    {
    case SW_BRC_PATH_EE:
      n_pre = n_e, scale_pre = 1, n_post = n_e, scale_post = 1;
      break;
    case SW_BRC_PATH_EI:
      n_pre = n_e, scale_pre = 1, n_post = n_i, scale_post = 2;
      break;
    case SW_BRC_PATH_IE:
      n_pre = n_i, scale_pre = 2, n_post = n_e, scale_post = 1;
      break;
    case SW_BRC_PATH_II:
      n_pre = n_i, scale_pre = 2, n_post = n_i, scale_post = 2;
      break;
    default:
      return 0;
    }

  int n = 0;
  for (int a = 0; a < n_pre; a++)
    for (int b = 0; b < n_post; b++)
      {
        /* Within one population a cell is never linked to itself (distance
         * 0), so no self-synapse can arise. */
        if (!sw_brc_ring_linked (scale_pre * a, scale_post * b))
          continue;
        if (n < cap)
          {
            if (pre != NULL)
              pre[n] = a;
            if (post != NULL)
              post[n] = b;
          }
        n++;
      }
  return n;
}

static SwStatus
conns_alloc (SwBrcConns *out, int cap, SwError *err)
{
  out->n = 0;
  out->pre = malloc (sizeof (int) * (size_t) (cap > 0 ? cap : 1));
  out->post = malloc (sizeof (int) * (size_t) (cap > 0 ? cap : 1));
  if (out->pre == NULL || out->post == NULL)
    {
      sw_brc_conns_clear (out);
      return sw_error_set (err, SW_ERR_NOMEM, "no memory for a connection list of %d synapses", cap);
    }
  return SW_OK;
}

SwStatus
sw_brc_wire_type (uint64_t seed, SwBrcSynType type, int n_e, int n_i, double p, SwBrcConns *out,
                  SwError *err)
{
  out->n = 0;
  out->pre = out->post = NULL;
  if ((int) type < 0 || type >= SW_BRC_N_TYPES)
    return sw_error_set (err, SW_ERR_INVALID, "unknown BRC synapse type %d", (int) type);
  if (!(p >= 0.0 && p <= 1.0))
    return sw_error_set (err, SW_ERR_INVALID,
                         "keep probability of %s must be in [0, 1], got %g",
                         type_info[type].name, p);
  if (n_e < 0 || n_i < 0)
    return sw_error_set (err, SW_ERR_INVALID, "negative population size");

  SwBrcPathway path = type_info[type].pathway;
  int n_cand = sw_brc_candidates (path, n_e, n_i, NULL, NULL, 0);
  SwBrcConns cand;
  SwStatus st = conns_alloc (&cand, n_cand, err);
  if (st != SW_OK)
    return st;
  sw_brc_candidates (path, n_e, n_i, cand.pre, cand.post, n_cand);

  st = conns_alloc (out, n_cand, err);
  if (st != SW_OK)
    {
      sw_brc_conns_clear (&cand);
      return st;
    }
  /* One uniform per candidate: word k % 4 of block k / 4. */
  SwRand4 r = { { 0 } };
  for (int k = 0; k < n_cand; k++)
    {
      if (k % 4 == 0)
        r = sw_philox (seed, SW_BRC_STREAM_KEEP + (uint32_t) type, 0, (uint64_t) (k / 4));
      if (sw_u01 (r.v[k % 4]) < p)
        {
          out->pre[out->n] = cand.pre[k];
          out->post[out->n] = cand.post[k];
          out->n++;
        }
    }
  sw_brc_conns_clear (&cand);
  return SW_OK;
}

SwStatus
sw_brc_wire_random (uint64_t seed, int input_id, int n_pre, int n_post, int post_stride, double p,
                    SwBrcConns *out, SwError *err)
{
  out->n = 0;
  out->pre = out->post = NULL;
  if (!(p >= 0.0 && p <= 1.0))
    return sw_error_set (err, SW_ERR_INVALID,
                         "connection probability of random input %d must be in [0, 1], got %g",
                         input_id, p);
  if (n_pre <= 0 || n_post <= 0 || post_stride <= 0)
    return sw_error_set (err, SW_ERR_INVALID, "random input %d: empty population or bad stride",
                         input_id);

  const uint32_t stream = SW_BRC_STREAM_RANDOM + (uint32_t) input_id;
  const int trials = n_pre * n_post;

  /* The binomial count as a sum of Bernoulli draws: exact, and cheap for
   * the few hundred trials of this network.  Index 0 holds these draws,
   * index 1 the choice of the pairs. */
  int n = 0;
  SwRand4 r = { { 0 } };
  for (int k = 0; k < trials; k++)
    {
      if (k % 4 == 0)
        r = sw_philox (seed, stream, 0, (uint64_t) (k / 4));
      if (sw_u01 (r.v[k % 4]) < p)
        n++;
    }

  SwStatus st = conns_alloc (out, n, err);
  if (st != SW_OK)
    return st;
  for (int s = 0; s < n; s++)
    {
      SwRand4 q = sw_philox (seed, stream, 1, (uint64_t) s);
      int a = (int) (sw_u01 (q.v[0]) * n_pre);
      int b = (int) (sw_u01 (q.v[1]) * n_post);
      /* sw_u01 is below 1, but guard against rounding at the top. */
      out->pre[s] = a < n_pre ? a : n_pre - 1;
      out->post[s] = post_stride * (b < n_post ? b : n_post - 1);
    }
  out->n = n;
  return SW_OK;
}
