/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli run`: load a document or preset, apply --set, build the
 * network, step it in chunks while draining the recorder into the output
 * files and the analysis, and print the summary as one JSON object.
 */
#include "config.h"

#include "sw-cli.h"

#include "sw-atomic-file.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sw-analysis.h"
#include "sw-document.h"
#include "sw-hdf5.h"
#include "sw-network.h"
#include "sw-recorder.h"
#include "sw-units.h"

#define CHUNK_MS 50.0
#define DRAIN_MAX (1 << 16)

static atomic_int cancel_requested;

static void
on_sigint (int sig)
{
  (void) sig;
  atomic_store (&cancel_requested, 1);
}

/* Spikes of one population after the warm-up, for the analysis. */
typedef struct
{
  GArray *neuron;   /* int32 */
  GArray *t_ms;     /* double */
} PopSpikes;

/* An output file written under a temporary name and renamed into place only
 * when the run completes, so that a failed or interrupted run leaves the
 * previous file (or none) and never half a file. */
typedef struct
{
  char *path;
  char *tmp;
  FILE *fp;
} Output;

static gboolean
output_open (Output *out, const char *path, GError **error)
{
  int fd = sw_atomic_file_create (path, &out->tmp, error);
  if (fd < 0)
    return FALSE;
  out->path = g_strdup (path);
  out->fp = fdopen (fd, "w");
  return TRUE;
}

static gboolean
output_commit (Output *out, GError **error)
{
  if (out->fp == NULL)
    return TRUE;
  gboolean ok = fflush (out->fp) == 0 && fsync (fileno (out->fp)) == 0;
  ok = (fclose (out->fp) == 0) && ok;
  int e = errno;
  out->fp = NULL;
  if (!ok)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: cannot write: %s", out->path,
                 g_strerror (e));
  return sw_atomic_file_finish (out->tmp, out->path, ok, ok ? error : NULL) && ok;
}

static void
output_abandon (Output *out)
{
  if (out->fp != NULL)
    {
      fclose (out->fp);
      out->fp = NULL;
      g_unlink (out->tmp);
    }
  g_clear_pointer (&out->path, g_free);
  g_clear_pointer (&out->tmp, g_free);
}

gboolean
sw_cli_parse_time (const char *text, const char *option, double *ms, GError **error)
{
  g_autoptr (GError) inner = NULL;
  if (!sw_units_parse_value (text, "ms", ms, &inner))
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s", option, inner->message);
      return FALSE;
    }
  return TRUE;
}

static void
print_progress (double t_ms, double total_ms, double elapsed_s)
{
  double speed = elapsed_s > 0 ? t_ms * 1e-3 / elapsed_s : 0.0;
  double eta = speed > 0 ? (total_ms - t_ms) * 1e-3 / speed : 0.0;
  fprintf (stderr, "\r%8.2f / %.2f s simulated, %6.3f× real time, ETA %5.1f s ", t_ms * 1e-3,
           total_ms * 1e-3, speed, eta);
  fflush (stderr);
}

/* Parses POP.VAR:NEURON and adds a trace sampled every step. */
static gboolean
add_trace (SwRecorder *rec, const SwNetSpec *spec, const char *what, int *id, GError **error)
{
  const char *dot = strchr (what, '.'), *colon = strrchr (what, ':');
  if (dot == NULL || colon == NULL || colon < dot)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--trace '%s': expected POP.VAR:NEURON (e.g. E.v:0)",
                   what);
      return FALSE;
    }
  g_autofree char *pop = g_strndup (what, dot - what);
  g_autofree char *var = g_strndup (dot + 1, colon - dot - 1);
  char *end = NULL;
  gint64 neuron = g_ascii_strtoll (colon + 1, &end, 10);
  int p = sw_net_spec_find_pop (spec, pop);
  if (p < 0)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--trace '%s': no population '%s'", what, pop);
      return FALSE;
    }
  if (end == colon + 1 || *end != '\0' || neuron < 0 || neuron > G_MAXINT)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--trace '%s': '%s' is not a neuron index", what,
                   colon + 1);
      return FALSE;
    }
  SwError err;
  if (sw_recorder_add_trace (rec, p, var, (int) neuron, 1, id, &err) != SW_OK)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--trace '%s': %s", what, err.text);
      return FALSE;
    }
  return TRUE;
}

int
sw_cli_run (int argc, char **argv)
{
  g_autofree char *duration_s = NULL, *dt_s = NULL, *warmup_s = NULL;
  g_autofree char *spikes_path = NULL, *rates_path = NULL, *summary_path = NULL;
  g_autofree char *memory_s = NULL, *traces_path = NULL;
  g_auto (GStrv) traces = NULL;
  g_auto (GStrv) sets = NULL;
  gint64 seed = -1;
  int threads = -1;
  GOptionEntry entries[] = {
    { "duration", 0, 0, G_OPTION_ARG_STRING, &duration_s, "Simulated time (default: the document's)", "TIME" },
    { "dt", 0, 0, G_OPTION_ARG_STRING, &dt_s, "Time step (default: the document's)", "TIME" },
    { "warmup", 0, 0, G_OPTION_ARG_STRING, &warmup_s, "Time excluded from the analysis", "TIME" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads (0: automatic, one per processor and 5000 neurons)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "spikes", 0, 0, G_OPTION_ARG_FILENAME, &spikes_path, "Write all spikes: SONATA for .h5 or .hdf5, else CSV", "FILE.csv|FILE.h5" },
    { "rates", 0, 0, G_OPTION_ARG_FILENAME, &rates_path, "Write population rates (1 ms bins) as CSV", "FILE.csv" },
    { "summary", 0, 0, G_OPTION_ARG_FILENAME, &summary_path, "Write the summary JSON (- for standard output)", "FILE|-" },
    { "memory-limit", 0, 0, G_OPTION_ARG_STRING, &memory_s, "Refuse networks above this size (MiB; default 80 % of memory)", "MIB" },
    { "trace", 0, 0, G_OPTION_ARG_STRING_ARRAY, &traces, "Record a state variable of one neuron every step (repeatable)", "POP.VAR:NEURON" },
    { "traces", 0, 0, G_OPTION_ARG_FILENAME, &traces_path, "Write the traces as CSV", "FILE.csv" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — run a network and summarise it");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("run needs exactly one document or preset:NAME");

  g_autoptr (SwDocument) doc = sw_cli_load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);

  double duration = sw_document_get_duration_ms (doc);
  double dt = sw_document_get_dt_ms (doc);
  double warmup = sw_document_get_warmup_ms (doc);
  if ((duration_s && !sw_cli_parse_time (duration_s, "--duration", &duration, &error))
      || (dt_s && !sw_cli_parse_time (dt_s, "--dt", &dt, &error))
      || (warmup_s && !sw_cli_parse_time (warmup_s, "--warmup", &warmup, &error)))
    return sw_cli_fail (error);
  if (!(dt > 0.0 && dt <= 10.0))
    return sw_cli_usage ("--dt must lie in (0, 10] ms");
  if (!(duration > 0.0 && duration <= 1e9))
    return sw_cli_usage ("--duration must be positive");
  if (!(warmup >= 0.0 && warmup < duration))
    return sw_cli_usage ("--warmup must lie in [0, duration)");
  if (threads < -1 || threads > 1024)
    return sw_cli_usage ("--threads must lie in 0..1024");
  size_t memory_limit = 0;
  if (memory_s != NULL)
    {
      char *end = NULL;
      double mib = g_ascii_strtod (memory_s, &end);
      if (end == memory_s || *end != '\0' || !(mib > 0))
        return sw_cli_usage ("--memory-limit takes a size in MiB");
      memory_limit = (size_t) (mib * 1048576.0);
    }

  /* Spikes to an HDF5 file are kept until the end and written as a SONATA
   * spike file; any other name gets CSV as they come. */
  const gboolean sonata = spikes_path != NULL
                          && (g_str_has_suffix (spikes_path, ".h5") || g_str_has_suffix (spikes_path, ".hdf5")
                              || g_str_has_suffix (spikes_path, ".H5"));
  if (sonata && !sw_hdf5_available ())
    {
      g_printerr ("spikeworks-cli: %s: SONATA spike files are unavailable: this build has no HDF5 (meson option "
                  "hdf5); use a .csv name\n",
                  spikes_path);
      return SW_CLI_EXIT_INPUT;
    }

  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  if (spec == NULL)
    return sw_cli_fail (error);
  spec->dt_ms = dt;
  if (seed >= 0)
    spec->seed = (uint64_t) seed;
  if (threads >= 0)
    spec->threads = threads;

  SwNetwork *net = NULL;
  SwError err;
  gint64 t0 = g_get_monotonic_time ();
  SwStatus st = sw_network_new (spec, memory_limit, &net, &err);
  double build_s = (g_get_monotonic_time () - t0) * 1e-6;
  if (st != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s: %s\n", argv[1], err.text);
      sw_net_spec_free (spec);
      /* A network above the memory limit is refused before anything is
       * allocated: bad input.  Running out of memory while building is a
       * failure of the simulation. */
      return st == SW_ERR_NOMEM ? SW_CLI_EXIT_SIMULATION : SW_CLI_EXIT_INPUT;
    }

  const int np = spec->n_pops;
  SwRecorder *rec = sw_network_recorder (net);
  const int n_traces = traces ? (int) g_strv_length (traces) : 0;
  int *trace_ids = g_new0 (int, MAX (n_traces, 1));
  if ((n_traces > 0) != (traces_path != NULL))
    {
      g_free (trace_ids);
      sw_network_free (net);
      sw_net_spec_free (spec);
      return sw_cli_usage ("--trace and --traces go together");
    }
  for (int k = 0; k < n_traces; k++)
    if (!add_trace (rec, spec, traces[k], &trace_ids[k], &error))
      {
        g_free (trace_ids);
        sw_network_free (net);
        sw_net_spec_free (spec);
        return sw_cli_fail (error);
      }
  Output spikes_out = { 0 }, rates_out = { 0 }, traces_out = { 0 };
  if ((spikes_path && !sonata && !output_open (&spikes_out, spikes_path, &error))
      || (rates_path && !output_open (&rates_out, rates_path, &error))
      || (traces_path && !output_open (&traces_out, traces_path, &error)))
    {
      g_free (trace_ids);
      output_abandon (&spikes_out);
      output_abandon (&rates_out);
      output_abandon (&traces_out);
      sw_network_free (net);
      sw_net_spec_free (spec);
      return sw_cli_fail (error);
    }
  if (spikes_out.fp)
    fputs ("pop,neuron,t_ms\n", spikes_out.fp);
  if (rates_out.fp)
    {
      fputs ("t_ms", rates_out.fp);
      for (int p = 0; p < np; p++)
        fprintf (rates_out.fp, ",%s", spec->pops[p].name);
      fputc ('\n', rates_out.fp);
    }

  if (traces_out.fp)
    {
      fputs ("t_ms", traces_out.fp);
      for (int k = 0; k < n_traces; k++)
        fprintf (traces_out.fp, ",%s", traces[k]);
      fputc ('\n', traces_out.fp);
    }
  SwTraceSample *samples = g_new (SwTraceSample, DRAIN_MAX);
  double *row = g_new (double, MAX (n_traces, 1));

  PopSpikes *kept = g_new0 (PopSpikes, np);
  SwSonataPopulation *son = sonata ? g_new0 (SwSonataPopulation, np) : NULL;
  GArray **son_ids = sonata ? g_new0 (GArray *, np) : NULL, **son_t = sonata ? g_new0 (GArray *, np) : NULL;
  for (int p = 0; p < np; p++)
    {
      kept[p].neuron = g_array_new (FALSE, FALSE, sizeof (int32_t));
      kept[p].t_ms = g_array_new (FALSE, FALSE, sizeof (double));
      if (sonata)
        {
          son_ids[p] = g_array_new (FALSE, FALSE, sizeof (guint64));
          son_t[p] = g_array_new (FALSE, FALSE, sizeof (double));
        }
    }

  SwSpike *buf = g_new (SwSpike, DRAIN_MAX);
  int bin_steps = sw_recorder_rate_bin (rec);
  uint32_t *counts = g_new (uint32_t, (size_t) DRAIN_MAX * np);
  const uint64_t total_steps = (uint64_t) llround (duration / dt);
  const uint64_t chunk = MAX (1, (uint64_t) llround (CHUNK_MS / dt));
  const gboolean progress = isatty (fileno (stderr));
  struct sigaction sa = { 0 }, old_sa;
  sa.sa_handler = on_sigint;
  sigaction (SIGINT, &sa, &old_sa);

  double run_s = 0.0;
  int status = SW_CLI_EXIT_OK;
  gint64 start = g_get_monotonic_time (), last_progress = start;
  for (uint64_t done = 0; done < total_steps;)
    {
      uint64_t n = MIN (chunk, total_steps - done);
      gint64 c0 = g_get_monotonic_time ();
      st = sw_network_run (net, n, &cancel_requested, &err);
      run_s += (g_get_monotonic_time () - c0) * 1e-6;
      done = sw_network_step_index (net);

      size_t got;
      while ((got = sw_recorder_drain_spikes (rec, buf, DRAIN_MAX)) > 0)
        for (size_t k = 0; k < got; k++)
          {
            double t = buf[k].step * dt;
            if (spikes_out.fp)
              fprintf (spikes_out.fp, "%s,%d,%.4f\n", spec->pops[buf[k].pop].name, buf[k].neuron, t);
            if (sonata)
              {
                guint64 id = (guint64) buf[k].neuron;
                g_array_append_val (son_ids[buf[k].pop], id);
                g_array_append_val (son_t[buf[k].pop], t);
              }
            if (t >= warmup - 1e-9)
              {
                g_array_append_val (kept[buf[k].pop].neuron, buf[k].neuron);
                g_array_append_val (kept[buf[k].pop].t_ms, t);
              }
          }
      if (traces_out.fp)
        {
          /* Every trace samples every step: drain them in lock step. */
          size_t got_t;
          while ((got_t = sw_recorder_drain_trace (rec, trace_ids[0], samples, DRAIN_MAX)) > 0)
            {
              for (size_t m = 0; m < got_t; m++)
                {
                  row[0] = samples[m].value;
                  int64_t step = samples[m].step;
                  for (int k = 1; k < n_traces; k++)
                    {
                      SwTraceSample one;
                      sw_recorder_drain_trace (rec, trace_ids[k], &one, 1);
                      row[k] = one.value;
                    }
                  fprintf (traces_out.fp, "%.4f", (step + 1) * dt);
                  for (int k = 0; k < n_traces; k++)
                    fprintf (traces_out.fp, ",%.9g", row[k]);
                  fputc ('\n', traces_out.fp);
                }
            }
        }
      int64_t first_bin;
      while ((got = sw_recorder_drain_rates (rec, &first_bin, counts, DRAIN_MAX)) > 0)
        if (rates_out.fp)
          for (size_t b = 0; b < got; b++)
            {
              fprintf (rates_out.fp, "%.4f", (first_bin + (int64_t) b) * bin_steps * dt);
              for (int p = 0; p < np; p++)
                fprintf (rates_out.fp, ",%.6g",
                         counts[b * np + p] / (spec->pops[p].n * bin_steps * dt * 1e-3));
              fputc ('\n', rates_out.fp);
            }

      if (st != SW_OK)
        {
          if (st == SW_ERR_CANCELLED)
            g_printerr ("%sspikeworks-cli: interrupted at t = %.1f ms; no output written\n",
                        progress ? "\n" : "", sw_network_time_ms (net));
          else
            g_printerr ("%sspikeworks-cli: %s: %s: %s\n", progress ? "\n" : "", argv[1],
                        sw_status_message (st), err.text);
          status = st == SW_ERR_CANCELLED ? 130 : SW_CLI_EXIT_SIMULATION;
          break;
        }
      gint64 now = g_get_monotonic_time ();
      if (progress && now - start > G_USEC_PER_SEC && now - last_progress > G_USEC_PER_SEC / 4)
        {
          print_progress (done * dt, duration, (now - start) * 1e-6);
          last_progress = now;
        }
    }
  sigaction (SIGINT, &old_sa, NULL);
  if (progress && g_get_monotonic_time () - start > G_USEC_PER_SEC)
    fputs ("\r\033[K", stderr);

  if (status == SW_CLI_EXIT_OK && sonata)
    {
      /* Spikes leave the recorder in step order: sorted by time. */
      for (int p = 0; p < np; p++)
        son[p] = (SwSonataPopulation) { (char *) spec->pops[p].name, SW_SONATA_SORT_BY_TIME, son_t[p]->len,
                                        (guint64 *) son_ids[p]->data, (double *) son_t[p]->data };
      if (!sw_sonata_write (spikes_path, son, np, &error))
        {
          g_printerr ("spikeworks-cli: %s\n", error->message);
          g_clear_error (&error);
          status = SW_CLI_EXIT_INPUT;
        }
    }
  for (int p = 0; sonata && p < np; p++)
    {
      g_array_unref (son_ids[p]);
      g_array_unref (son_t[p]);
    }
  g_free (son);
  g_free (son_ids);
  g_free (son_t);
  if (status == SW_CLI_EXIT_OK)
    {
      if (!output_commit (&spikes_out, &error) || !output_commit (&rates_out, &error)
          || !output_commit (&traces_out, &error))
        {
          g_printerr ("spikeworks-cli: %s\n", error->message);
          status = SW_CLI_EXIT_INPUT;
        }
    }
  output_abandon (&spikes_out);
  output_abandon (&rates_out);
  output_abandon (&traces_out);

  if (status == SW_CLI_EXIT_OK)
    {
      /* The summary, analysed over [warmup, duration). */
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "duration_ms");
      json_builder_add_double_value (b, duration);
      json_builder_set_member_name (b, "dt_ms");
      json_builder_add_double_value (b, dt);
      json_builder_set_member_name (b, "warmup_ms");
      json_builder_add_double_value (b, warmup);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) spec->seed);
      json_builder_set_member_name (b, "threads");
      json_builder_add_int_value (b, sw_network_threads (net));
      json_builder_set_member_name (b, "build_s");
      json_builder_add_double_value (b, build_s);
      json_builder_set_member_name (b, "run_s");
      json_builder_add_double_value (b, run_s);
      json_builder_set_member_name (b, "populations");
      json_builder_begin_object (b);
      double chi = NAN, peak = NAN, prominence = NAN;
      gboolean first = TRUE;
      for (int p = 0; p < np; p++)
        {
          const SwPopSpec *ps = &spec->pops[p];
          if (ps->kind != SW_POP_NEURONS)
            continue;
          const int32_t *idx = (const int32_t *) kept[p].neuron->data;
          const double *t = (const double *) kept[p].t_ms->data;
          size_t ns = kept[p].t_ms->len;
          json_builder_set_member_name (b, ps->name);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "n");
          json_builder_add_int_value (b, ps->n);
          json_builder_set_member_name (b, "spikes");
          json_builder_add_int_value (b, (gint64) ns);
          sw_cli_json_add_number (b, "rate_hz", sw_mean_rate_hz (ns, t, ps->n, warmup, duration));
          sw_cli_json_add_number (b, "cv_isi", sw_cv_isi (idx, t, ns, ps->n, warmup, duration));
          sw_cli_json_add_number (b, "fano", sw_fano (idx, t, ns, ps->n, warmup, duration, 100.0));
          size_t nbins = (size_t) floor ((duration - warmup) / 1.0 + 1e-9);
          double *rate = g_new (double, MAX (nbins, 1));
          nbins = sw_population_rate (t, ns, ps->n, warmup, duration, 1.0, rate, nbins);
          double c = sw_chi (rate, nbins);
          sw_cli_json_add_number (b, "chi", c);
          if (first)
            {
              /* The network-level measures are those of the first
               * population of neurons (E in every preset). */
              chi = c;
              sw_spectrum_peak (rate, nbins, 1.0, &peak, &prominence);
              first = FALSE;
            }
          g_free (rate);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      sw_cli_json_add_number (b, "chi", chi);
      sw_cli_json_add_number (b, "spectrum_peak_hz", peak);
      sw_cli_json_add_number (b, "spectrum_prominence", prominence);
      json_builder_end_object (b);

      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      g_autofree char *text = json_generator_to_data (gen, NULL);
      if (summary_path == NULL || g_strcmp0 (summary_path, "-") == 0)
        g_print ("%s\n", text);
      else
        {
          g_autofree char *line = g_strconcat (text, "\n", NULL);
          if (!g_file_set_contents_full (summary_path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
            {
              g_printerr ("spikeworks-cli: %s\n", error->message);
              status = SW_CLI_EXIT_INPUT;
            }
        }
    }

  for (int p = 0; p < np; p++)
    {
      g_array_unref (kept[p].neuron);
      g_array_unref (kept[p].t_ms);
    }
  g_free (kept);
  g_free (samples);
  g_free (row);
  g_free (trace_ids);
  g_free (buf);
  g_free (counts);
  sw_network_free (net);
  sw_net_spec_free (spec);
  return status;
}
