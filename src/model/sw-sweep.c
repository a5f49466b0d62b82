/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Simulated phase diagrams (see sw-sweep.h): one grid point is a few trials
 * of the network, each stepped in chunks while its recorder is drained into
 * per-population spike lists, then measured with sw-analysis.
 */
#include "sw-sweep.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "sw-analysis.h"
#include "sw-network.h"
#include "sw-recorder.h"

/* Chunk of simulated time between two drains of the recorder.  The default
 * spike buffer (2^20 spikes) holds 50 ms of 12 500 neurons firing at
 * 1.6 kHz, far above any rate a network reaches before max_rate stops it. */
#define CHUNK_MS 50.0
#define DRAIN_MAX 65536
#define FANO_WINDOW_MS 100.0

static const SwSweepMeasureInfo measures[SW_SWEEP_N_MEASURES] = {
  [SW_SWEEP_RATE] = { "rate", "rate", "Mean rate", "Hz" },
  [SW_SWEEP_CV] = { "cv", "cv", "CV of the ISIs", NULL },
  [SW_SWEEP_CHI] = { "chi", "chi", "Synchrony χ", NULL },
  [SW_SWEEP_PEAK] = { "peak", "peak_hz", "Spectrum peak", "Hz" },
  [SW_SWEEP_PROMINENCE] = { "prominence", "prominence", "Peak prominence", NULL },
  [SW_SWEEP_FANO] = { "fano", "fano", "Fano factor (100 ms)", NULL },
};

const SwSweepMeasureInfo *
sw_sweep_measure_info (SwSweepMeasure m)
{
  g_return_val_if_fail ((int) m >= 0 && m < SW_SWEEP_N_MEASURES, NULL);
  return &measures[m];
}

int
sw_sweep_measure_find (const char *name)
{
  for (int m = 0; m < SW_SWEEP_N_MEASURES; m++)
    if (g_strcmp0 (name, measures[m].name) == 0 || g_strcmp0 (name, measures[m].column) == 0)
      return m;
  return -1;
}

static guint64
splitmix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

guint64
sw_sweep_trial_seed (guint64 seed, int point, int trial)
{
  /* Three rounds, one per input, so that neighbouring points and trials
   * get unrelated seeds.  The top bit is cleared: seeds travel through
   * JSON and CSV as signed 64-bit numbers. */
  guint64 h = splitmix64 (seed);
  h = splitmix64 (h ^ (guint64) (guint32) point);
  h = splitmix64 (h ^ ((guint64) (guint32) trial << 32));
  return h >> 1;
}

char **
sw_sweep_population_names (SwDocument *doc, GError **error)
{
  SwNetSpec *spec = sw_document_build_spec (doc, error);
  if (spec == NULL)
    return NULL;
  GPtrArray *names = g_ptr_array_new ();
  for (int p = 0; p < spec->n_pops; p++)
    if (spec->pops[p].kind == SW_POP_NEURONS)
      g_ptr_array_add (names, g_strdup (spec->pops[p].name));
  g_ptr_array_add (names, NULL);
  sw_net_spec_free (spec);
  return (char **) g_ptr_array_free (names, FALSE);
}

static int
count_neuron_pops (const SwNetSpec *spec)
{
  int n = 0;
  for (int p = 0; p < spec->n_pops; p++)
    n += spec->pops[p].kind == SW_POP_NEURONS;
  return n;
}

SwStatus
sw_sweep_measure_network (const SwNetSpec *spec, double duration_ms, double warmup_ms, size_t memory_limit,
                          const atomic_int *cancel, double *values, SwError *err)
{
  const int np = MAX (spec->n_pops, 0), nn = count_neuron_pops (spec);
  for (int k = 0; k < nn * SW_SWEEP_N_MEASURES; k++)
    values[k] = NAN;

  SwNetwork *net = NULL;
  SwStatus st = sw_network_new (spec, memory_limit, &net, err);
  if (st != SW_OK)
    return st;
  SwRecorder *rec = sw_network_recorder (net);
  const double dt = spec->dt_ms;
  GArray **idx = g_new0 (GArray *, (gsize) np + 1), **times = g_new0 (GArray *, (gsize) np + 1);
  for (int p = 0; p < np; p++)
    {
      idx[p] = g_array_new (FALSE, FALSE, sizeof (gint32));
      times[p] = g_array_new (FALSE, FALSE, sizeof (double));
      if (spec->pops[p].kind != SW_POP_NEURONS)
        sw_recorder_set_spike_range (rec, p, 0, 0);
    }
  SwSpike *buf = g_new (SwSpike, DRAIN_MAX);
  const guint64 total = (guint64) llround (duration_ms / dt);
  const guint64 chunk = MAX (1, (guint64) llround (CHUNK_MS / dt));
  for (guint64 done = 0; done < total && st == SW_OK;)
    {
      st = sw_network_run (net, MIN (chunk, total - done), cancel, err);
      done = sw_network_step_index (net);
      size_t got;
      while ((got = sw_recorder_drain_spikes (rec, buf, DRAIN_MAX)) > 0)
        for (size_t k = 0; k < got; k++)
          {
            double t = buf[k].step * dt;
            if (t < warmup_ms - 1e-9)
              continue;
            g_array_append_val (idx[buf[k].pop], buf[k].neuron);
            g_array_append_val (times[buf[k].pop], t);
          }
      if (st == SW_OK && sw_recorder_dropped (rec) > 0)
        st = sw_error_set (err, SW_ERR_INVALID,
                           "the spike buffer overflowed (%" G_GUINT64_FORMAT " spikes dropped)",
                           (guint64) sw_recorder_dropped (rec));
    }

  if (st == SW_OK)
    {
      int q = 0;
      for (int p = 0; p < np; p++)
        {
          const SwPopSpec *ps = &spec->pops[p];
          if (ps->kind != SW_POP_NEURONS)
            continue;
          const gint32 *ni = (const gint32 *) idx[p]->data;
          const double *t = (const double *) times[p]->data;
          size_t ns = times[p]->len;
          double *v = values + (size_t) q * SW_SWEEP_N_MEASURES;
          v[SW_SWEEP_RATE] = sw_mean_rate_hz (ns, t, ps->n, warmup_ms, duration_ms);
          v[SW_SWEEP_CV] = sw_cv_isi (ni, t, ns, ps->n, warmup_ms, duration_ms);
          v[SW_SWEEP_FANO] = sw_fano (ni, t, ns, ps->n, warmup_ms, duration_ms, FANO_WINDOW_MS);
          size_t nbins = sw_population_rate (t, ns, ps->n, warmup_ms, duration_ms, 1.0, NULL, 0);
          double *rate = g_new (double, MAX (nbins, 1));
          nbins = sw_population_rate (t, ns, ps->n, warmup_ms, duration_ms, 1.0, rate, nbins);
          v[SW_SWEEP_CHI] = sw_chi (rate, nbins);
          sw_spectrum_peak (rate, nbins, 1.0, &v[SW_SWEEP_PEAK], &v[SW_SWEEP_PROMINENCE]);
          g_free (rate);
          q++;
        }
    }
  for (int p = 0; p < np; p++)
    {
      g_array_unref (idx[p]);
      g_array_unref (times[p]);
    }
  g_free (idx);
  g_free (times);
  g_free (buf);
  sw_network_free (net);
  return st;
}

void
sw_sweep_point_clear (SwSweepPoint *p)
{
  g_clear_pointer (&p->values, g_free);
  p->n_pops = 0;
  p->blowups = 0;
}

static gboolean
set_number (SwDocument *doc, const char *name, double value, GError **error)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (text, sizeof text, value);
  return sw_document_set (doc, name, text, error);
}

gboolean
sw_sweep_run_point (SwDocument *doc, const char *x_name, double x, const char *y_name, double y, int point,
                    const SwSweepSettings *settings, SwSweepPoint *out, GError **error)
{
  g_return_val_if_fail (doc != NULL && settings != NULL && out != NULL && settings->trials >= 1, FALSE);
  memset (out, 0, sizeof *out);
  if (!set_number (doc, x_name, x, error) || !set_number (doc, y_name, y, error))
    return FALSE;
  SwNetSpec *spec = sw_document_build_spec (doc, error);
  if (spec == NULL)
    return FALSE;
  spec->dt_ms = settings->dt_ms;
  if (settings->threads >= 0)
    spec->threads = settings->threads;

  const int nn = count_neuron_pops (spec), nv = nn * SW_SWEEP_N_MEASURES;
  double *sum = g_new0 (double, MAX (nv, 1)), *one = g_new (double, MAX (nv, 1));
  int *count = g_new0 (int, MAX (nv, 1));
  gboolean ok = TRUE;
  int blowups = 0;
  for (int k = 0; k < settings->trials; k++)
    {
      spec->seed = sw_sweep_trial_seed (settings->seed, point, k);
      SwError err;
      SwStatus st = sw_sweep_measure_network (spec, settings->duration_ms, settings->warmup_ms,
                                              settings->memory_limit, settings->cancel, one, &err);
      if (st == SW_ERR_BLOWUP)
        {
          blowups++;
          continue;
        }
      if (st != SW_OK)
        {
          if (st == SW_ERR_CANCELLED)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "interrupted");
          else
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sw_status_message (st), err.text);
          ok = FALSE;
          break;
        }
      /* Trials are added in order, so the average does not depend on who
       * computed the point. */
      for (int v = 0; v < nv; v++)
        if (isfinite (one[v]))
          {
            sum[v] += one[v];
            count[v]++;
          }
    }
  if (ok)
    {
      out->n_pops = nn;
      out->blowups = blowups;
      out->values = g_new (double, MAX (nv, 1));
      for (int v = 0; v < nv; v++)
        out->values[v] = count[v] > 0 ? sum[v] / count[v] : NAN;
    }
  g_free (sum);
  g_free (one);
  g_free (count);
  sw_net_spec_free (spec);
  return ok;
}
