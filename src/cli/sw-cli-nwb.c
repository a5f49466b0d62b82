/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli nwb`: what an NWB file holds (units, spikes, trials and
 * the event lists that sw-hdf5.h finds), printed as one JSON object, and
 * the peri-stimulus time histogram of all units around a chosen event.
 */
#include "config.h"

#include "sw-cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw-hdf5.h"
#include "sw-suggest.h"

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* First index of @t (sorted, @n values) with t[k] >= @v. */
static gsize
lower_bound (const double *t, gsize n, double v)
{
  gsize lo = 0, hi = n;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (t[mid] < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

int
sw_cli_nwb (int argc, char **argv)
{
  g_autofree char *event = NULL, *psth_path = NULL, *bin_s = NULL, *before_s = NULL, *after_s = NULL;
  GOptionEntry entries[] = {
    { "event", 0, 0, G_OPTION_ARG_STRING, &event, "Align the PSTH to these events (a name the summary lists)", "NAME" },
    { "psth", 0, 0, G_OPTION_ARG_FILENAME, &psth_path, "Write the PSTH as CSV (- for standard output)", "FILE" },
    { "bin", 0, 0, G_OPTION_ARG_STRING, &bin_s, "PSTH bin (default 10 ms)", "TIME" },
    { "before", 0, 0, G_OPTION_ARG_STRING, &before_s, "PSTH start before each event (default 500 ms)", "TIME" },
    { "after", 0, 0, G_OPTION_ARG_STRING, &after_s, "PSTH end after each event (default 1 s)", "TIME" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE.nwb — units, trials and events of an NWB file");
  g_option_context_set_description (
    ctx, "Reads /units (ids, spike_times with spike_times_index), /intervals/trials (start_time, stop_time)\n"
         "and event lists: every TimeSeries with a timestamps dataset under /acquisition or /processing\n"
         "(named by its path, e.g. acquisition/licks) and every table of /intervals through its start_time\n"
         "column (e.g. intervals/trials).  Prints a JSON summary; with --event, the PSTH of all units\n"
         "around those events: CSV columns t_ms (start of the bin, relative to the event), count (spikes\n"
         "of all units over all events) and rate_hz (per unit and event); with --psth -, the CSV replaces\n"
         "the JSON on standard output.\n"
         "Exit codes: 0 success, 2 bad input (missing file, not HDF5, no units, unknown event).");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("nwb needs exactly one NWB file");
  if (psth_path != NULL && event == NULL)
    return sw_cli_usage ("--psth needs --event NAME");
  double bin = 10.0, before = 500.0, after = 1000.0;
  if ((bin_s && !sw_cli_parse_time (bin_s, "--bin", &bin, &error))
      || (before_s && !sw_cli_parse_time (before_s, "--before", &before, &error))
      || (after_s && !sw_cli_parse_time (after_s, "--after", &after, &error)))
    return sw_cli_fail (error);
  if (!(bin > 0) || !(before >= 0) || !(after > 0) || (before + after) / bin > 1e7)
    return sw_cli_usage ("--bin and --after must be positive, --before >= 0, and at most 10^7 bins");

  SwNwbFile *nwb = sw_nwb_read (argv[1], &error);
  if (nwb == NULL)
    return sw_cli_fail (error);

  const gsize n_spikes = nwb->offsets[nwb->n_units];
  const SwNwbEvents *ev = NULL;
  int status = SW_CLI_EXIT_OK;
  if (event != NULL && (ev = sw_nwb_find_events (nwb, event)) == NULL)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "%s: no events called '%s'", argv[1], event);
      const char **names = g_new (const char *, (gsize) nwb->n_events + 1);
      for (int k = 0; k < nwb->n_events; k++)
        names[k] = nwb->events[k].name;
      names[nwb->n_events] = NULL;
      if (!sw_suggest_append (msg, event, names, nwb->n_events))
        {
          g_autofree char *list = nwb->n_events > 0 ? g_strjoinv (", ", (char **) names) : g_strdup ("none");
          g_string_append_printf (msg, " (the file has: %s)", list);
        }
      g_free (names);
      g_printerr ("spikeworks-cli: %s\n", msg->str);
      sw_nwb_free (nwb);
      return SW_CLI_EXIT_INPUT;
    }

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, argv[1]);
  json_builder_set_member_name (b, "units");
  json_builder_add_int_value (b, nwb->n_units);
  json_builder_set_member_name (b, "spikes");
  json_builder_add_int_value (b, (gint64) n_spikes);
  json_builder_set_member_name (b, "trials");
  json_builder_add_int_value (b, nwb->n_trials);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (int k = 0; k < nwb->n_events; k++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, nwb->events[k].name);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, (gint64) nwb->events[k].n);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (ev != NULL)
    {
      /* All spikes of all units, sorted, then a window around each event. */
      double *t = g_new (double, MAX (n_spikes, 1));
      memcpy (t, nwb->spike_times_s, n_spikes * sizeof (double));
      qsort (t, n_spikes, sizeof (double), cmp_double);
      const gsize nb = (gsize) ceil ((before + after) / bin - 1e-9);
      guint64 *count = g_new0 (guint64, MAX (nb, 1));
      gsize used = 0;
      for (gsize e = 0; e < ev->n; e++)
        {
          if (!isfinite (ev->times_s[e]))
            continue;
          used++;
          const double t0 = ev->times_s[e] * 1000.0 - before;
          for (gsize k = lower_bound (t, n_spikes, t0 / 1000.0); k < n_spikes; k++)
            {
              double rel = t[k] * 1000.0 - t0;
              if (rel < 0)
                continue;
              gsize j = (gsize) floor (rel / bin);
              if (j >= nb)
                break;
              count[j]++;
            }
        }
      const double norm = used > 0 && nwb->n_units > 0 ? 1.0 / (used * (double) nwb->n_units * bin * 1e-3) : NAN;
      double peak = -INFINITY, peak_t = NAN, base = 0;
      gsize n_base = 0;
      GString *csv = g_string_new ("t_ms,count,rate_hz\n");
      for (gsize j = 0; j < nb; j++)
        {
          double tj = -before + j * bin, r = count[j] * norm;
          g_string_append_printf (csv, "%.10g,%" G_GUINT64_FORMAT ",%.10g\n", tj, count[j], r);
          if (tj + bin <= 1e-9)
            {
              base += r;
              n_base++;
            }
          else if (tj >= -1e-9 && r > peak)
            {
              peak = r;
              peak_t = tj;
            }
        }
      json_builder_set_member_name (b, "psth");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, ev->name);
      json_builder_set_member_name (b, "n_events");
      json_builder_add_int_value (b, (gint64) used);
      sw_cli_json_add_number (b, "bin_ms", bin);
      sw_cli_json_add_number (b, "before_ms", before);
      sw_cli_json_add_number (b, "after_ms", after);
      sw_cli_json_add_number (b, "baseline_hz", n_base > 0 ? base / n_base : NAN);
      sw_cli_json_add_number (b, "peak_hz", isfinite (peak) ? peak : NAN);
      sw_cli_json_add_number (b, "peak_ms", peak_t);
      json_builder_end_object (b);
      if (psth_path != NULL && g_strcmp0 (psth_path, "-") == 0)
        fputs (csv->str, stdout);
      else if (psth_path != NULL
               && !g_file_set_contents_full (psth_path, csv->str, (gssize) csv->len,
                                             G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644,
                                             &error))
        status = sw_cli_fail (error);
      g_string_free (csv, TRUE);
      g_free (count);
      g_free (t);
    }
  json_builder_end_object (b);
  if (status == SW_CLI_EXIT_OK && g_strcmp0 (psth_path, "-") != 0)
    {
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      g_autofree char *text = json_generator_to_data (gen, NULL);
      g_print ("%s\n", text);
    }
  sw_nwb_free (nwb);
  return status;
}
