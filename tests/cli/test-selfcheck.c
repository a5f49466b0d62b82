/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Network self-checks of the async-states spec that compare the spiking
 * network with its spectrum signatures (§7 item 8) and with the mean field
 * (§7 item 10), run through spikeworks-cli on the destexhe-adex preset at
 * full size and length (2 s, analysed over 1-2 s): the published numbers are
 * for exactly that protocol.
 */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

static JsonObject *
run_json (JsonParser **parser, const char *first, ...)
{
  const char *cli = g_getenv ("SPIKEWORKS_CLI");
  g_assert_nonnull (cli);
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) cli);
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int wait = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait, &error);
  g_ptr_array_free (argv, TRUE);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait, NULL))
    g_error ("spikeworks-cli failed: %s", err);
  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*parser));
}

typedef struct
{
  double rate_e, rate_i, peak_hz, prominence;
} NetworkState;

static NetworkState
network (const char *b, const char *nu, const char *duration, const char *warmup)
{
  JsonParser *parser;
  JsonObject *o = run_json (&parser, "run", "preset:destexhe-adex", "--set", b, "--set", nu, "--duration", duration,
                            "--warmup", warmup, NULL);
  JsonObject *pops = json_object_get_object_member (o, "populations");
  NetworkState s = {
    .rate_e = json_object_get_double_member (json_object_get_object_member (pops, "E"), "rate_hz"),
    .rate_i = json_object_get_double_member (json_object_get_object_member (pops, "I"), "rate_hz"),
    .peak_hz = json_object_get_double_member (o, "spectrum_peak_hz"),
    .prominence = json_object_get_double_member (o, "spectrum_prominence"),
  };
  g_test_message ("%s %s: E %.2f Hz, I %.2f Hz, spectrum peak %.1f Hz, prominence %.1f", b, nu, s.rate_e, s.rate_i,
                  s.peak_hz, s.prominence);
  g_object_unref (parser);
  return s;
}

static double
mf_rate_e (const char *coeffs, const char *b, const char *nu)
{
  JsonParser *parser;
  JsonObject *o = run_json (&parser, "mf", "preset:destexhe-adex", "--coeffs", coeffs, "--set", b, "--set", nu, NULL);
  g_assert_false (json_object_get_null_member (o, "asynchronous_state"));
  gint64 k = json_object_get_int_member (o, "asynchronous_state");
  JsonObject *fp = json_array_get_object_element (json_object_get_array_member (o, "fixed_points"), (guint) k);
  double rate = json_object_get_double_member (fp, "nu_e_hz");
  g_object_unref (parser);
  return rate;
}

/* §7 item 8.  With b = 0 and weak drive (0.5 Hz) the E rate has a sharp
 * gamma-band resonance (prominence ≈ ×11); from 2.5 Hz on the peak is broad
 * (prominence ≤ ×4).  The spec quotes the peak at ≈ 46 Hz; the Brian2 peer
 * script on the same protocol puts it at 27.3 Hz (seeds 1 and 2, prominence
 * 9.6 and 13.2), as this engine does (27-31 Hz over seeds 1-3), so the test
 * asserts the gamma band (20-60 Hz) rather than 46 Hz.  With b = 30 pA the
 * network falls into a slow oscillation: a dominant peak below 6 Hz (the
 * spec's 2.9 Hz is below the 3.9 Hz resolution of 256 ms segments). */
static void
test_spectrum_signatures (void)
{
  NetworkState weak = network ("b=0", "nu_ext=0.5", "2s", "1s");
  g_assert_cmpfloat (weak.peak_hz, >=, 20.0);
  g_assert_cmpfloat (weak.peak_hz, <=, 60.0);
  g_assert_cmpfloat (weak.prominence, >=, 7.0);
  g_assert_cmpfloat (weak.prominence, <=, 16.0);

  NetworkState mid = network ("b=0", "nu_ext=2.5", "2s", "1s");
  g_assert_cmpfloat (mid.prominence, <=, 4.0);
  NetworkState strong = network ("b=0", "nu_ext=10", "2s", "1s");
  g_assert_cmpfloat (strong.prominence, <=, 4.0);

  NetworkState slow = network ("b=30", "nu_ext=0.5", "3s", "1s");
  g_assert_cmpfloat (slow.peak_hz, <, 6.0);
  g_assert_cmpfloat (slow.prominence, >, 10.0);
}

/* §7 item 10.  At nu_ext = 2.5 Hz the better coefficient set predicts the
 * network's E rate within ~25 %: S25 is the better one at b = 0, dV19 for
 * b >= 10 pA (spec: 7.34 vs 7.53 Hz; 4.54 vs 4.94 Hz; 3.20 vs 3.18 Hz). */
static void
test_meanfield_vs_network (void)
{
  static const char *const bs[3] = { "b=0", "b=10", "b=30" };
  for (int k = 0; k < 3; k++)
    {
      NetworkState net = network (bs[k], "nu_ext=2.5", "2s", "1s");
      double s25 = mf_rate_e ("S25", bs[k], "nu_ext=2.5");
      double dv19 = mf_rate_e ("dV19", bs[k], "nu_ext=2.5");
      double err_s25 = fabs (s25 / net.rate_e - 1), err_dv19 = fabs (dv19 / net.rate_e - 1);
      g_test_message ("%s: network %.2f Hz, MF S25 %.2f Hz (%.0f %%), dV19 %.2f Hz (%.0f %%)", bs[k], net.rate_e,
                      s25, 100 * err_s25, dv19, 100 * err_dv19);
      if (k == 0)
        g_assert_cmpfloat (err_s25, <, err_dv19);
      else
        g_assert_cmpfloat (err_dv19, <, err_s25);
      g_assert_cmpfloat (fmin (err_s25, err_dv19), <=, 0.25);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/selfcheck/spectrum-signatures", test_spectrum_signatures);
  g_test_add_func ("/selfcheck/meanfield-vs-network", test_meanfield_vs_network);
  return g_test_run ();
}
