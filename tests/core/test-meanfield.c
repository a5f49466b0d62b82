/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the mean-field core (sw-tf, sw-meanfield, sw-linalg) against the
 * async-states spec: the subthreshold moments and transfer functions (§7
 * items 3 and 4), the self-sustained state (item 5), fixed points, spectra
 * and the UD/OD boundaries (item 6), the invariants of item 10, the class
 * layout of §4, the MF pulse responses of §5, the linear response and the
 * Lyapunov equation, phase maps against the point-wise classification, and
 * the derivation of a configuration from the destexhe-adex preset.
 *
 * Published numbers are quoted to a few digits; a value passes when it is
 * within the spec's relative tolerance or within half a unit of the last
 * quoted digit, whichever is larger.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include <glib.h>

#include "sw-document.h"
#include "sw-linalg.h"
#include "sw-meanfield.h"
#include "sw-tf.h"

/* |value - expect| <= max(rel |expect|, half a unit of the last of
 * @decimals quoted decimals). */
static void
check_quoted (const char *what, double value, double expect, double rel, int decimals)
{
  double tol = fmax (rel * fabs (expect), 0.5 * pow (10.0, -decimals));
  g_test_message ("%s: %.5g (spec %.*f, tolerance %.3g)", what, value, decimals, expect, tol);
  if (!(fabs (value - expect) <= tol))
    g_error ("%s: got %.6g, spec %.*f (tolerance %.3g)", what, value, decimals, expect, tol);
}

static void
check_rel (const char *what, double value, double expect, double rel)
{
  g_test_message ("%s: %.6g (spec %g, +-%g %%)", what, value, expect, rel * 100);
  if (!(fabs (value - expect) <= rel * fabs (expect)))
    g_error ("%s: got %.6g, spec %g (+-%g %%)", what, value, expect, rel * 100);
}

static SwMfConfig
config (const char *set, double e_l_e, double b, double nu_ext)
{
  SwMfConfig c;
  SwError err = { { 0 } };
  sw_mf_config_default (&c);
  if (sw_mf_config_set_builtin_tf (&c, set, &err) != SW_OK)
    g_error ("%s", err.text);
  c.e.cell.e_l_mv = e_l_e;
  c.b_pa = b;
  c.nu_ext_hz = nu_ext;
  return c;
}

static SwMfPoint
classify (const SwMfConfig *c)
{
  SwMfPoint p;
  SwError err = { { 0 } };
  if (sw_mf_classify (c, &p, &err) != SW_OK)
    g_error ("classify: %s", err.text);
  return p;
}

static SwMfFixedPoints
fixed_points (const SwMfConfig *c)
{
  SwMfFixedPoints fp;
  SwError err = { { 0 } };
  if (sw_mf_fixed_points (c, &fp, &err) != SW_OK)
    g_error ("fixed points: %s", err.text);
  return fp;
}

/* ------------------------------------------------------------------------ */
/* §7 item 3: moments at nu_e = 9.8 Hz, nu_i = 21.5 Hz, W = 0 (±0.1 %).      */

static void
test_moments (void)
{
  SwTfCell rs, fs;
  SwTfMoments m;
  sw_tf_cell_fs_rs (&rs, false);
  sw_tf_cell_fs_rs (&fs, true);

  sw_tf_moments (&rs, 9.8, 21.5, 0.0, 0, &m);
  check_rel ("muG (nS)", m.mu_g_ns, 93.15, 1e-3);
  check_rel ("muV, E_L -64 (mV)", m.mu_v_mv, -53.033, 1e-3);
  check_rel ("sigmaV, E_L -64 (mV)", m.sigma_v_mv, 3.589, 1e-3);
  check_rel ("tau_V (ms)", m.tau_v_ms, 7.147, 1e-3);
  sw_tf_moments (&fs, 9.8, 21.5, 0.0, 0, &m);
  check_rel ("muV, E_L -65 (mV)", m.mu_v_mv, -53.140, 1e-3);
  check_rel ("sigmaV, E_L -65 (mV)", m.sigma_v_mv, 3.583, 1e-3);

  /* The legacy tau_V is identical when tau_e = tau_i ... */
  SwTfMoments ml, mc;
  sw_tf_moments (&rs, 9.8, 21.5, 0.0, SW_TF_LEGACY_TAU_V, &ml);
  sw_tf_moments (&rs, 9.8, 21.5, 0.0, 0, &mc);
  g_assert_cmpfloat (fabs (ml.tau_v_ms - mc.tau_v_ms), <, 1e-9);

  /* ... and drops the inhibitory term otherwise: with tau_i = 8 ms the
   * legacy tau_V is tau_m + tau_e (only the excitatory term is left). */
  SwTfCell c = rs;
  c.tau_i_ms = 8.0;
  sw_tf_moments (&c, 9.8, 21.5, 0.0, SW_TF_LEGACY_TAU_V, &ml);
  sw_tf_moments (&c, 9.8, 21.5, 0.0, 0, &mc);
  g_assert_cmpfloat (fabs (ml.tau_v_ms - (ml.tau_m_ms + c.tau_e_ms)), <, 1e-6);
  g_assert_cmpfloat (mc.tau_v_ms, >, ml.tau_v_ms + 0.1);
  g_assert_cmpfloat (fabs (ml.sigma_v_mv - mc.sigma_v_mv), <, 1e-12);

  /* legacy_sigmaV keeps only the excitatory variance. */
  sw_tf_moments (&c, 9.8, 21.5, 0.0, SW_TF_LEGACY_SIGMA_V, &ml);
  double fe = 400 * 9.8, tau_e = 5e-3, tau_m = ml.tau_m_ms * 1e-3;
  double u_e = c.q_e_ns * (c.e_e_mv - ml.mu_v_mv) / ml.mu_g_ns;
  double var_e = fe * (u_e * tau_e) * (u_e * tau_e) / (2 * (tau_m + tau_e));
  g_assert_cmpfloat (fabs (ml.sigma_v_mv - sqrt (var_e)) / sqrt (var_e), <, 1e-9);
  g_assert_cmpfloat (mc.sigma_v_mv, >, ml.sigma_v_mv * 1.2);

  /* The 1e-9 Hz floor: silence gives finite moments at rest. */
  sw_tf_moments (&rs, 0.0, 0.0, 0.0, 0, &m);
  g_assert_true (isfinite (m.tau_v_ms) && isfinite (m.sigma_v_mv));
  g_assert_cmpfloat (fabs (m.mu_v_mv - rs.e_l_mv), <, 1e-6);
  g_assert_cmpfloat (fabs (m.tau_v_ms - (m.tau_m_ms + rs.tau_e_ms)), <, 1e-9);
  SwTfCoeffs k;
  sw_tf_coeffs_builtin ("dV19", "RS", &k, NULL);
  g_assert_cmpfloat (sw_tf_rate (&k, &rs, 0, 0, 0, NULL), ==, 0.0);
}

/* ------------------------------------------------------------------------ */
/* §7 item 4: transfer functions at the same input (±0.5 %).                 */

static double
tf (const char *set, const char *cell, double w)
{
  SwTfCoeffs k;
  SwTfCell c;
  SwError err = { { 0 } };
  if (sw_tf_coeffs_builtin (set, cell, &k, &err) != SW_OK)
    g_error ("%s", err.text);
  sw_tf_cell_fs_rs (&c, strcmp (cell, "FS") == 0);
  return sw_tf_rate (&k, &c, 9.8, 21.5, w, NULL);
}

static void
test_transfer_function (void)
{
  SwTfCoeffs k;
  SwTfCell rs;
  SwTfMoments m;
  SwError err = { { 0 } };
  sw_tf_cell_fs_rs (&rs, false);
  g_assert_cmpint (sw_tf_coeffs_builtin ("dV19", "RS", &k, &err), ==, SW_OK);
  g_assert_true (k.flags & SW_TF_LEGACY_TAU_V);
  double f = sw_tf_rate (&k, &rs, 9.8, 21.5, 0.0, &m);
  check_rel ("dV19 RS V_eff (mV)", sw_tf_v_eff (&k, &rs, &m), -46.795, 5e-3);
  check_rel ("dV19 RS F (Hz)", f, 5.750, 5e-3);
  check_rel ("dV19 FS F, E_L -65 (Hz)", tf ("dV19", "FS", 0), 20.517, 5e-3);
  check_rel ("dV19 RS F, W = 50 pA (Hz)", tf ("dV19", "RS", 50), 4.348, 5e-3);
  check_rel ("S25 RS F (Hz)", tf ("S25", "RS", 0), 7.025, 5e-3);
  check_rel ("S25 FS F (Hz)", tf ("S25", "FS", 0), 20.754, 5e-3);

  /* Volts in, mV stored. */
  g_assert_cmpfloat (fabs (k.p_mv[0] - (-49.83106)), <, 1e-9);

  /* The 11-term layout: with P4 = 0 it is the 10-term polynomial; P4
   * adds P4 ln(muG / gL). */
  double p11[11];
  for (int i = 0, j = 0; i < 11; i++)
    p11[i] = i == 4 ? 0.0 : k.p_mv[j++] * 1e-3;
  SwTfCoeffs k11;
  g_assert_cmpint (sw_tf_coeffs_set (&k11, "eleven", p11, 11, SW_TF_LEGACY_TAU_V, &err), ==,
                   SW_OK);
  g_assert_cmpint (k11.layout, ==, SW_TF_LAYOUT_11);
  g_assert_cmpfloat (fabs (sw_tf_v_eff (&k11, &rs, &m) - sw_tf_v_eff (&k, &rs, &m)), <, 1e-9);
  p11[4] = 0.002;   /* 2 mV per e-fold of muG / gL */
  sw_tf_coeffs_set (&k11, "eleven", p11, 11, SW_TF_LEGACY_TAU_V, &err);
  g_assert_cmpfloat (fabs (sw_tf_v_eff (&k11, &rs, &m) - sw_tf_v_eff (&k, &rs, &m)
                           - 2.0 * log (m.mu_g_ns / rs.g_l_ns)), <, 1e-9);

  /* Errors name what is wrong. */
  g_assert_cmpint (sw_tf_coeffs_set (&k11, "x", p11, 9, 0, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "10 or 11"));
  g_assert_cmpint (sw_tf_coeffs_builtin ("Zerlaut", "RS", &k11, &err), ==, SW_ERR_NOT_FOUND);
  g_assert_nonnull (strstr (err.text, "dV19"));
}

/* ------------------------------------------------------------------------ */
/* §7 item 5: self-sustained state, dV19, E_L -63, b = 0, nu_ext = 0.       */

static void
test_self_sustained (void)
{
  SwMfConfig c = config ("dV19", -63, 0, 0);
  SwMfFixedPoints fp = fixed_points (&c);
  g_assert_cmpint (fp.n_roots, >=, 1);
  int k = MAX (fp.n_roots - 1, 0);   /* the active state: the highest root below 60 Hz */
  g_test_message ("%d roots; highest (%.4f, %.4f) Hz, class %s", fp.n_roots,
                  fp.roots[k].nu_e_hz, fp.roots[k].nu_i_hz,
                  sw_mf_class_name (fp.roots[k].stab.cls));
  g_assert_cmpfloat (fabs (fp.roots[k].nu_e_hz - 4.160), <=, 0.01);
  g_assert_cmpfloat (fabs (fp.roots[k].nu_i_hz - 9.559), <=, 0.01);
}

/* ------------------------------------------------------------------------ */
/* §7 item 6: fixed points and spectra at T = 20 ms (±1 %).                  */

static const SwMfFixedPoint *
async_root (const SwMfFixedPoints *fp)
{
  int k = fp->report_index;
  g_assert_cmpint (k, >=, 0);
  return &fp->roots[MAX (k, 0)];
}

/* The eigenvalue with positive imaginary part, and the real one. */
static void
split (const SwMfStability *s, double *pr, double *pi, double *real)
{
  *pr = *pi = *real = NAN;
  for (int k = 0; k < 3; k++)
    if (s->eig_im[k] > 0)
      {
        *pr = s->eig_re[k];
        *pi = s->eig_im[k];
      }
    else if (s->eig_im[k] == 0)
      *real = s->eig_re[k];
}

static void
test_fixed_points (void)
{
  double pr, pi, real;

  /* S25, b = 0, nu_ext = 2.5 */
  SwMfConfig c = config ("S25", -64, 0, 2.5);
  SwMfFixedPoints fp = fixed_points (&c);
  const SwMfFixedPoint *r = async_root (&fp);
  g_assert_cmpint (fp.cls, ==, SW_MF_CLASS_UD);
  check_quoted ("S25 b0 nu2.5 nu_E", r->nu_e_hz, 7.34, 0.01, 2);
  check_quoted ("S25 b0 nu2.5 nu_I", r->nu_i_hz, 21.46, 0.01, 2);
  split (&r->stab, &pr, &pi, &real);
  check_quoted ("S25 b0 nu2.5 Re", pr, -44.0, 0.01, 1);
  check_quoted ("S25 b0 nu2.5 Im", pi, 115.6, 0.01, 1);
  check_quoted ("S25 b0 nu2.5 real", real, -2.0, 0.01, 1);
  check_quoted ("S25 b0 nu2.5 zeta", r->stab.zeta, 0.36, 0.01, 2);
  check_quoted ("S25 b0 nu2.5 f_d", r->stab.f_d_hz, 18.4, 0.01, 1);
  g_assert_true (r->stab.pairs[0].fast);
  g_assert_cmpfloat (fabs (r->stab.pairs[0].decay_ms - 1e3 / 43.97), <, 0.05);

  /* S25, b = 0, nu_ext = 10 */
  c = config ("S25", -64, 0, 10);
  fp = fixed_points (&c);
  r = async_root (&fp);
  g_assert_cmpint (fp.cls, ==, SW_MF_CLASS_UD);
  check_quoted ("S25 b0 nu10 nu_E", r->nu_e_hz, 6.69, 0.01, 2);
  check_quoted ("S25 b0 nu10 nu_I", r->nu_i_hz, 35.47, 0.01, 2);
  split (&r->stab, &pr, &pi, &real);
  check_quoted ("S25 b0 nu10 Re", pr, -106.8, 0.01, 1);
  check_quoted ("S25 b0 nu10 Im", pi, 96.6, 0.01, 1);
  check_quoted ("S25 b0 nu10 zeta", r->stab.zeta, 0.74, 0.01, 2);

  /* S25, b = 30 pA, nu_ext = 0.5: unstable, slow oscillation. */
  c = config ("S25", -64, 30, 0.5);
  fp = fixed_points (&c);
  r = async_root (&fp);
  g_assert_cmpint (fp.cls, ==, SW_MF_CLASS_UNSTABLE);
  g_assert_cmpint (fp.instability, ==, SW_MF_INSTABILITY_SLOW_OSCILLATION);
  check_quoted ("S25 b30 nu0.5 nu_E", r->nu_e_hz, 2.81, 0.01, 2);
  check_quoted ("S25 b30 nu0.5 nu_I", r->nu_i_hz, 7.47, 0.01, 2);
  check_quoted ("S25 b30 nu0.5 W", r->w_pa, 42, 0.01, 0);
  split (&r->stab, &pr, &pi, &real);
  check_quoted ("S25 b30 nu0.5 Re", pr, 1.5, 0.01, 1);
  check_quoted ("S25 b30 nu0.5 Im", pi, 17.6, 0.01, 1);
  check_quoted ("S25 b30 nu0.5 oscillation (Hz)", r->stab.pairs[0].f_d_hz, 2.8, 0.01, 1);
  g_assert_false (r->stab.pairs[0].fast);

  /* dV19, b = 0, nu_ext = 2.5 */
  c = config ("dV19", -64, 0, 2.5);
  fp = fixed_points (&c);
  r = async_root (&fp);
  check_quoted ("dV19 b0 nu2.5 nu_E", r->nu_e_hz, 5.69, 0.01, 2);
  check_quoted ("dV19 b0 nu2.5 nu_I", r->nu_i_hz, 18.11, 0.01, 2);
  split (&r->stab, &pr, &pi, &real);
  check_quoted ("dV19 b0 nu2.5 Re", pr, -50.8, 0.01, 1);
  check_quoted ("dV19 b0 nu2.5 Im", pi, 92.1, 0.01, 1);

  /* dV19, b = 120 pA, nu_ext = 2.5: OD. */
  c = config ("dV19", -64, 120, 2.5);
  fp = fixed_points (&c);
  r = async_root (&fp);
  g_assert_cmpint (fp.cls, ==, SW_MF_CLASS_OD);
  check_quoted ("dV19 b120 nu2.5 nu_E", r->nu_e_hz, 1.40, 0.01, 2);
  check_quoted ("dV19 b120 nu2.5 nu_I", r->nu_i_hz, 8.98, 0.01, 2);
  check_quoted ("dV19 b120 nu2.5 W", r->w_pa, 84.3, 0.01, 1);
  check_quoted ("dV19 b120 nu2.5 l1", r->stab.eig_re[2], -113.7, 0.01, 1);
  check_quoted ("dV19 b120 nu2.5 l2", r->stab.eig_re[1], -46.1, 0.01, 1);
  check_quoted ("dV19 b120 nu2.5 l3", r->stab.eig_re[0], -7.8, 0.01, 1);
  g_assert_cmpfloat (r->stab.zeta, >=, 1.0);

  /* §7 item 7 extra: MF dV19 at b = 60 pA gives 2.22 / 10.80 Hz. */
  c = config ("dV19", -64, 60, 2.5);
  SwMfPoint p = classify (&c);
  check_quoted ("dV19 b60 nu2.5 nu_E", p.nu_e_hz, 2.22, 0.01, 2);
  check_quoted ("dV19 b60 nu2.5 nu_I", p.nu_i_hz, 10.80, 0.01, 2);
}

/* §7 item 6: UD -> OD boundaries, by bisection on zeta - 1. */

static double
zeta_at (const char *set, double b, double nu_ext)
{
  SwMfConfig c = config (set, -64, b, nu_ext);
  SwMfPoint p = classify (&c);
  g_assert_true (p.cls == SW_MF_CLASS_UD || p.cls == SW_MF_CLASS_OD);
  g_assert_true ((p.zeta < 1.0) == (p.cls == SW_MF_CLASS_UD));
  return p.zeta;
}

static void
test_boundaries (void)
{
  double lo = 30, hi = 150;
  g_assert_cmpfloat (zeta_at ("dV19", lo, 2.5), <, 1.0);
  g_assert_cmpfloat (zeta_at ("dV19", hi, 2.5), >, 1.0);
  while (hi - lo > 0.01)
    {
      double mid = 0.5 * (lo + hi);
      if (zeta_at ("dV19", mid, 2.5) < 1.0)
        lo = mid;
      else
        hi = mid;
    }
  g_test_message ("dV19, nu_ext 2.5 Hz: b* = %.2f pA (spec 86 +- 2)", lo);
  g_assert_cmpfloat (fabs (lo - 86), <=, 2);

  lo = 5;
  hi = 30;
  g_assert_cmpfloat (zeta_at ("S25", 0, lo), <, 1.0);
  g_assert_cmpfloat (zeta_at ("S25", 0, hi), >, 1.0);
  while (hi - lo > 0.005)
    {
      double mid = 0.5 * (lo + hi);
      if (zeta_at ("S25", 0, mid) < 1.0)
        lo = mid;
      else
        hi = mid;
    }
  g_test_message ("S25, b = 0: nu_ext* = %.2f Hz (spec 19 +- 1)", lo);
  g_assert_cmpfloat (fabs (lo - 19), <=, 1);
}

/* ------------------------------------------------------------------------ */
/* §4: expected layout (dV19, E_L -64 / -65, T = 20 ms).                     */

static void
test_layout (void)
{
  static const double bs[4] = { 0, 30, 60, 120 };
  static const double nus[6] = { 0.5, 1, 2.5, 5, 10, 20 };
  /* 'U' UD, 'O' OD, 'N' none; zeta (UD) and nu_E. */
  static const struct
  {
    char cls;
    double zeta, nu_e;
  } table[4][6] = {
    { { 'U', 0.15, 4.0 }, { 'U', 0.30, 4.7 }, { 'U', 0.48, 5.7 }, { 'U', 0.63, 6.4 },
      { 'U', 0.78, 6.8 }, { 'U', 0.96, 6.3 } },
    { { 'N' }, { 'U', 0.51, 1.9 }, { 'U', 0.71, 3.2 }, { 'U', 0.81, 4.2 }, { 'U', 0.93, 4.9 },
      { 'O', 0, 5.0 } },
    { { 'N' }, { 'U', 0.75, 1.1 }, { 'U', 0.89, 2.2 }, { 'U', 0.94, 3.1 }, { 'O', 0, 3.9 },
      { 'O', 0, 4.2 } },
    { { 'N' }, { 'U', 0.96, 0.7 }, { 'O', 0, 1.4 }, { 'O', 0, 2.1 }, { 'O', 0, 2.8 },
      { 'O', 0, 3.2 } },
  };

  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 6; j++)
      {
        SwMfConfig c = config ("dV19", -64, bs[i], nus[j]);
        SwMfPoint p = classify (&c);
        char what[64];
        g_snprintf (what, sizeof what, "b %g, nu_ext %g", bs[i], nus[j]);
        g_test_message ("%s: %s %s zeta %.4f nu_E %.4f", what, sw_mf_class_name (p.cls),
                        sw_mf_instability_name (p.instability), p.zeta, p.nu_e_hz);
        switch (table[i][j].cls)
          {
          case 'N':
            /* The table's "none" is "no stable asynchronous state" (§8:
             * "none/unstable"): these cells keep an unstable non-quiescent
             * root (slow oscillation or runaway). */
            g_assert_true (p.cls == SW_MF_CLASS_NONE || p.cls == SW_MF_CLASS_UNSTABLE);
            break;
          case 'U':
            g_assert_cmpint (p.cls, ==, SW_MF_CLASS_UD);
            check_quoted (what, p.zeta, table[i][j].zeta, 0.01, 2);
            check_quoted (what, p.nu_e_hz, table[i][j].nu_e, 0.01, 1);
            break;
          case 'O':
            g_assert_cmpint (p.cls, ==, SW_MF_CLASS_OD);
            g_assert_cmpfloat (p.zeta, >=, 1.0);
            check_quoted (what, p.nu_e_hz, table[i][j].nu_e, 0.01, 1);
            break;
          default:
            g_assert_not_reached ();
          }
      }

  /* b = 120 pA, nu_ext = 1 Hz is UD through the slow (adaptation) pair;
   * b = 60 pA, nu_ext = 1 Hz through the fast one although f_d < 5 Hz. */
  SwMfConfig c = config ("dV19", -64, 120, 1);
  SwMfFixedPoints fp = fixed_points (&c);
  g_assert_false (async_root (&fp)->stab.pairs[0].fast);
  c = config ("dV19", -64, 60, 1);
  fp = fixed_points (&c);
  g_assert_true (async_root (&fp)->stab.pairs[0].fast);
  g_assert_cmpfloat (async_root (&fp)->stab.pairs[0].f_d_hz, <, 5.0);
}

/* ------------------------------------------------------------------------ */
/* §7 item 10: invariants.                                                   */

static void
test_invariants (void)
{
  /* tau_V = tau_s + tau_m whenever tau_e = tau_i, for any input. */
  static const double taus[3] = { 2, 5, 7 };
  static const double rates[4][2] = { { 0.5, 1 }, { 3, 9 }, { 9.8, 21.5 }, { 20, 60 } };
  for (int t = 0; t < 3; t++)
    for (int k = 0; k < 4; k++)
      for (unsigned flags = 0; flags < 2; flags++)
        {
          SwTfCell c;
          SwTfMoments m;
          sw_tf_cell_fs_rs (&c, false);
          c.tau_e_ms = c.tau_i_ms = taus[t];
          sw_tf_moments (&c, rates[k][0], rates[k][1], 20.0, flags, &m);
          g_assert_cmpfloat (fabs (m.tau_v_ms - (taus[t] + m.tau_m_ms)), <, 1e-12 * m.tau_v_ms + 1e-12);
        }

  /* The class does not change with T; at b = 0 the fast block decides it
   * (W is decoupled, its eigenvalue -1/tau_w), its T-free criterion agrees,
   * zeta is T-independent and f_d scales as 1/T. */
  static const double ts[3] = { 5, 20, 50 };
  static const struct
  {
    const char *set;
    double b, nu;
  } pts[] = {
    { "S25", 0, 2.5 }, { "S25", 0, 10 }, { "S25", 0, 25 }, { "dV19", 0, 1 }, { "dV19", 0, 20 },
    { "dV19", 30, 2.5 }, { "dV19", 120, 5 }, { "dV19", 30, 20 },
  };
  for (size_t k = 0; k < G_N_ELEMENTS (pts); k++)
    {
      SwMfPoint ref = { 0 };
      for (int t = 0; t < 3; t++)
        {
          SwMfConfig c = config (pts[k].set, -64, pts[k].b, pts[k].nu);
          c.t_ms = ts[t];
          SwMfFixedPoints fp = fixed_points (&c);
          const SwMfFixedPoint *r = async_root (&fp);
          SwMfPoint p = classify (&c);
          g_test_message ("%s b %g nu %g T %g: %s zeta %.4f f_d %.3f Hz, fast disc %.3g",
                          pts[k].set, pts[k].b, pts[k].nu, ts[t], sw_mf_class_name (p.cls),
                          p.zeta, p.f_d_hz, r->stab.fast_disc);
          if (t == 0)
            ref = p;
          g_assert_cmpint (p.cls, ==, ref.cls);
          /* The fixed point itself does not depend on T. */
          g_assert_cmpfloat (fabs (p.nu_e_hz - ref.nu_e_hz), <, 1e-8);
          if (pts[k].b == 0)
            {
              g_assert_cmpint (r->stab.fast_block_ud, ==, p.cls == SW_MF_CLASS_UD);
              g_assert_cmpfloat (fabs (p.zeta - ref.zeta), <, 1e-4);
              if (p.cls == SW_MF_CLASS_UD)
                g_assert_cmpfloat (fabs (p.f_d_hz * ts[t] - ref.f_d_hz * ts[0]), <,
                                   1e-4 * ref.f_d_hz * ts[0]);
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Roots, Newton, dynamics.                                                   */

static void
test_all_roots (void)
{
  /* S25, nu_ext = 0.3 Hz: a near-silent stable root, the unstable middle
   * root and the asynchronous state, all reported; the asynchronous state
   * is the lowest stable non-quiescent one. */
  SwMfConfig c = config ("S25", -64, 0, 0.3);
  SwMfFixedPoints fp = fixed_points (&c);
  for (int k = 0; k < fp.n_roots; k++)
    g_test_message ("root %d: %.5f Hz %s%s", k, fp.roots[k].nu_e_hz,
                    fp.roots[k].stab.stable ? "stable" : "unstable",
                    fp.roots[k].quiescent ? " (quiescent)" : "");
  g_assert_cmpint (fp.n_roots, ==, 3);
  g_assert_true (fp.roots[0].quiescent && fp.roots[0].stab.stable);
  g_assert_false (fp.roots[1].stab.stable);
  g_assert_cmpint (fp.async_index, ==, 2);
  g_assert_cmpfloat (fp.roots[2].nu_e_hz, >, 5.0);
  g_assert_cmpint (fp.cls, ==, SW_MF_CLASS_UD);

  /* Every root is a zero of the 3-D right-hand side. */
  for (int k = 0; k < fp.n_roots; k++)
    {
      double x[3] = { fp.roots[k].nu_e_hz, fp.roots[k].nu_i_hz, fp.roots[k].w_pa }, d[3];
      sw_mf_rhs (&c, x, 0, 0, d, NULL);
      g_assert_cmpfloat (fabs (d[0]) + fabs (d[1]), <, 1e-6 * (1 + x[0] + x[1]) / (c.t_ms * 1e-3));
    }

  /* Newton from a perturbed guess lands on the same state. */
  c = config ("dV19", -64, 60, 5);
  fp = fixed_points (&c);
  const SwMfFixedPoint *r = async_root (&fp);
  double guess[3] = { r->nu_e_hz * 1.2, r->nu_i_hz * 0.8, r->w_pa * 1.1 }, x[3];
  SwError err = { { 0 } };
  g_assert_cmpint (sw_mf_newton (&c, guess, x, &err), ==, SW_OK);
  g_assert_cmpfloat (fabs (x[0] - r->nu_e_hz), <, 1e-8);
  g_assert_cmpfloat (fabs (x[1] - r->nu_i_hz), <, 1e-8);
  g_assert_cmpfloat (fabs (x[2] - r->w_pa), <, 1e-6);
  /* The continuation step: Newton from a neighbour's state, the full
   * search without one, the same answer either way. */
  SwMfPoint near = classify (&c), q;
  bool used = false;
  SwMfConfig c2 = c;
  c2.b_pa = 62;
  g_assert_cmpint (sw_mf_classify_near (&c2, &near, &q, &used, &err), ==, SW_OK);
  g_assert_true (used);
  SwMfPoint full = classify (&c2);
  g_assert_cmpint (q.cls, ==, full.cls);
  g_assert_cmpfloat (fabs (q.nu_e_hz - full.nu_e_hz), <, 1e-8);
  g_assert_cmpint (sw_mf_classify_near (&c2, NULL, &q, &used, &err), ==, SW_OK);
  g_assert_false (used);

  /* W = b nu_E tau_w at a fixed point (a = 0). */
  g_assert_cmpfloat (fabs (r->w_pa - 60 * r->nu_e_hz * 0.5), <, 1e-9 * r->w_pa);

  /* With a != 0 the fixed point still zeroes the W equation. */
  c.a_ns = 4.0;
  fp = fixed_points (&c);
  r = async_root (&fp);
  double y[3] = { r->nu_e_hz, r->nu_i_hz, r->w_pa }, d[3];
  sw_mf_rhs (&c, y, 0, 0, d, NULL);
  g_assert_cmpfloat (fabs (d[2]), <, 1e-6 * fabs (r->w_pa));
}

static void
test_integrate (void)
{
  /* From a kick near the asynchronous state the first-order dynamics
   * relax back to it (explicit Euler, 0.1 ms). */
  SwMfConfig c = config ("dV19", -64, 30, 5);
  SwMfPoint p = classify (&c);
  SwMfState s = { p.nu_e_hz * 1.3, p.nu_i_hz * 0.9, p.w_pa * 1.1, 0, 0, 0 };
  SwError err = { { 0 } };
  g_assert_cmpint (sw_mf_integrate (&c, false, NULL, 0, 0.1, 40000, &s, NULL, &err), ==, SW_OK);
  g_assert_cmpfloat (fabs (s.nu_e_hz - p.nu_e_hz), <, 1e-4);
  g_assert_cmpfloat (fabs (s.nu_i_hz - p.nu_i_hz), <, 1e-4);
  g_assert_cmpfloat (fabs (s.w_pa - p.w_pa), <, 1e-3);

  /* Rates stay >= 0 under a strong negative stimulus. */
  SwWaveform w = { .kind = SW_WAVE_PULSE, .amplitude = -2.4, .t0_ms = 10, .duration_ms = 100 };
  SwMfStimulus stim = { &w, 1, &w, 1 };
  double nu_e[2001];
  SwMfTrace tr = { .nu_e_hz = nu_e };
  s = (SwMfState) { p.nu_e_hz, p.nu_i_hz, p.w_pa, 0, 0, 0 };
  c.nu_ext_hz = 2.5;
  g_assert_cmpint (sw_mf_integrate (&c, false, &stim, 0, 0.1, 2000, &s, &tr, &err), ==, SW_OK);
  for (int k = 0; k <= 2000; k++)
    g_assert_cmpfloat (nu_e[k], >=, 0.0);

  /* Second order: with huge populations the covariances vanish and the
   * rates are those of the first-order fixed point; at N = 8000 / 2000 they
   * are positive, scale as 1/N and shift the rates only slightly. */
  c = config ("S25", -64, 0, 2.5);
  p = classify (&c);
  double cee[2];
  for (int q = 0; q < 2; q++)
    {
      c.n_e = 8000 * (q + 1);
      c.n_i = 2000 * (q + 1);
      s = (SwMfState) { p.nu_e_hz, p.nu_i_hz, p.w_pa, 0, 0, 0 };
      g_assert_cmpint (sw_mf_integrate (&c, true, NULL, 0, 0.1, 20000, &s, NULL, &err), ==, SW_OK);
      g_test_message ("second order, N_E = %g: (%.4f, %.4f) Hz, c = %.4g %.4g %.4g", c.n_e,
                      s.nu_e_hz, s.nu_i_hz, s.c_ee, s.c_ei, s.c_ii);
      g_assert_cmpfloat (s.c_ee, >, 0);
      g_assert_cmpfloat (s.c_ii, >, 0);
      g_assert_cmpfloat (fabs (s.nu_e_hz - p.nu_e_hz), <, 0.05 * p.nu_e_hz);
      cee[q] = s.c_ee;
    }
  g_assert_cmpfloat (fabs (cee[0] / cee[1] - 2.0), <, 0.1);
  c.n_e = c.n_i = 1e12;
  s = (SwMfState) { p.nu_e_hz, p.nu_i_hz, p.w_pa, 0, 0, 0 };
  sw_mf_integrate (&c, true, NULL, 0, 0.1, 10000, &s, NULL, &err);
  g_assert_cmpfloat (fabs (s.nu_e_hz - p.nu_e_hz), <, 1e-4);
  g_assert_cmpfloat (fabs (s.c_ee), <, 1e-9);
}

/* §5: MF pulse responses (S25, b = 0, 2 Hz x 50 ms onto E). */

static void
test_pulse_response (void)
{
  static const double nus[3] = { 2.5, 10, 25 }, peaks[3] = { 23.2, 9.2, 4.0 };
  SwWaveform w = { .kind = SW_WAVE_PULSE, .amplitude = 2.0, .t0_ms = 100, .duration_ms = 50 };
  SwMfStimulus stim = { &w, 1, NULL, 0 };
  SwError err = { { 0 } };
  double *nu_e = g_new (double, 5001);
  SwMfTrace tr = { .nu_e_hz = nu_e };

  for (int k = 0; k < 4; k++)
    {
      SwMfConfig c = config ("S25", -64, 0, k < 3 ? nus[k] : 0.5);
      SwMfPoint p = classify (&c);
      SwMfState s = { p.nu_e_hz, p.nu_i_hz, p.w_pa, 0, 0, 0 };
      g_assert_cmpint (sw_mf_integrate (&c, false, &stim, 0, 0.1, 5000, &s, &tr, &err), ==,
                       SW_OK);
      double peak = -INFINITY;
      for (int i = 1000; i <= 4000; i++)
        peak = fmax (peak, nu_e[i] - nu_e[0]);
      if (k < 3)
        {
          char what[64];
          g_snprintf (what, sizeof what, "R_peak at nu_ext %g Hz", nus[k]);
          check_quoted (what, peak, peaks[k], 0.01, 1);
          g_assert_cmpfloat (fabs (nu_e[5000] - nu_e[0]), <, 0.01);
        }
      else
        {
          /* "At 0.5 Hz the same pulse throws the MF onto the spurious high
           * branch": it stays there. */
          g_test_message ("nu_ext 0.5 Hz: %.2f Hz -> %.2f Hz (runaway)", nu_e[0], nu_e[5000]);
          g_assert_cmpfloat (nu_e[5000], >, 100.0);
        }
    }
  g_free (nu_e);
}

/* ------------------------------------------------------------------------ */
/* Linear response and Lyapunov.                                             */

static void
lin_rhs (const double jac[3][3], const double x[3], double d[3])
{
  for (int i = 0; i < 3; i++)
    d[i] = jac[i][0] * x[0] + jac[i][1] * x[1] + jac[i][2] * x[2];
}

static void
test_impulse_response (void)
{
  static const double bs[3] = { 0, 60, 120 };
  for (int q = 0; q < 3; q++)
    {
      SwMfConfig c = config ("dV19", -64, bs[q], 2.5);
      SwMfPoint p = classify (&c);
      double x[3] = { p.nu_e_hz, p.nu_i_hz, p.w_pa }, jac[3][3], b[3];
      sw_mf_jacobian (&c, x, jac);
      sw_mf_input_vector (&c, x, false, b);
      g_assert_cmpfloat (b[0], >, 0);
      g_assert_cmpfloat (b[1], ==, 0);

      /* Direct integration of dy/dt = J y, y(0) = B (RK4, 1 us steps). */
      const int n = 300;            /* samples, every ms */
      double t_ms[300], h[300];
      for (int k = 0; k < n; k++)
        t_ms[k] = k;
      sw_mf_impulse_response (jac, b, t_ms, n, h);
      double y[3] = { b[0], b[1], b[2] }, dt = 1e-6, hmax = 0, errmax = 0;
      for (int k = 0; k < n; k++)
        {
          hmax = fmax (hmax, fabs (y[0]));
          errmax = fmax (errmax, fabs (h[k] - y[0]));
          for (int s = 0; s < 1000; s++)
            {
              double k1[3], k2[3], k3[3], k4[3], z[3];
              lin_rhs (jac, y, k1);
              for (int i = 0; i < 3; i++)
                z[i] = y[i] + 0.5 * dt * k1[i];
              lin_rhs (jac, z, k2);
              for (int i = 0; i < 3; i++)
                z[i] = y[i] + 0.5 * dt * k2[i];
              lin_rhs (jac, z, k3);
              for (int i = 0; i < 3; i++)
                z[i] = y[i] + dt * k3[i];
              lin_rhs (jac, z, k4);
              for (int i = 0; i < 3; i++)
                y[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
        }
      g_test_message ("b %g: max |h - h_direct| = %.3g of max |h| = %.4g 1/s", bs[q], errmax, hmax);
      g_assert_cmpfloat (errmax, <, 1e-9 * hmax);

      /* H(0) is the integral of h: the steady-state gain. */
      double h0 = sw_mf_transfer (jac, b, 0.0, NULL, NULL);
      double tt[1] = { 0 }, integral = 0;
      for (double t = 0; t < 5000; t += 0.05)
        {
          double v;
          tt[0] = t + 0.025;
          sw_mf_impulse_response (jac, b, tt, 1, &v);
          integral += v * 0.05e-3;
        }
      g_test_message ("b %g: |H(0)| = %.5f, integral of h = %.5f", bs[q], h0, integral);
      g_assert_cmpfloat (fabs (h0 - fabs (integral)), <, 1e-4 * h0);

      /* The transfer spectrum: at b = 0 the UD state resonates (|H| peaks
       * near f_d above its static gain); with adaptation the low
       * frequencies are cut as well, so every state is band-pass. */
      double hmax_f = 0, fmax_f = 0;
      for (double f = 0; f <= 100; f += 0.25)
        {
          double g = sw_mf_transfer (jac, b, f, NULL, NULL);
          if (g > hmax_f)
            {
              hmax_f = g;
              fmax_f = f;
            }
        }
      g_test_message ("b %g (%s): |H| peaks at %.2f Hz (f_d %.2f Hz), gain %.3f vs |H(0)| %.3f",
                      bs[q], sw_mf_class_name (p.cls), fmax_f, p.f_d_hz, hmax_f, h0);
      if (bs[q] == 0)
        g_assert_cmpfloat (hmax_f, >, 1.2 * h0);
    }

  /* The linear response predicts a small nonlinear one. */
  SwMfConfig c = config ("S25", -64, 0, 5);
  SwMfPoint p = classify (&c);
  double x[3] = { p.nu_e_hz, p.nu_i_hz, p.w_pa }, jac[3][3], b[3];
  sw_mf_jacobian (&c, x, jac);
  sw_mf_input_vector (&c, x, true, b);
  SwWaveform w = { .kind = SW_WAVE_CONSTANT, .amplitude = 0.01, .t0_ms = 0 };
  SwMfStimulus stim = { &w, 1, &w, 1 };
  SwMfState s = { p.nu_e_hz, p.nu_i_hz, p.w_pa, 0, 0, 0 };
  double nu_e[1001];
  SwMfTrace tr = { .nu_e_hz = nu_e };
  SwError err = { { 0 } };
  sw_mf_integrate (&c, false, &stim, 0, 0.01, 1000, &s, &tr, &err);
  /* Step response = integral of h. */
  double step = 0, hv;
  for (int k = 0; k < 1000; k++)
    {
      double tt = (k + 0.5) * 0.01;
      sw_mf_impulse_response (jac, b, &tt, 1, &hv);
      step += hv * 0.01e-3;
    }
  double lin = step * 0.01, nonlin = nu_e[1000] - nu_e[0];
  g_test_message ("step of 0.01 Hz onto E and I, 10 ms: linear %.5g Hz, nonlinear %.5g Hz", lin,
                  nonlin);
  g_assert_cmpfloat (fabs (lin - nonlin), <, 0.02 * fabs (lin));
}

static void
test_lyapunov (void)
{
  static const double bs[3] = { 0, 30, 120 };
  for (int q = 0; q < 3; q++)
    {
      SwMfConfig c = config ("dV19", -64, bs[q], 2.5);
      SwMfPoint p = classify (&c);
      double x[3] = { p.nu_e_hz, p.nu_i_hz, p.w_pa }, jac[3][3], qm[3][3], sig[3][3];
      SwError err = { { 0 } };
      sw_mf_jacobian (&c, x, jac);
      sw_mf_noise_matrix (&c, x, qm);
      g_assert_cmpfloat (fabs (qm[0][0] - 2 * x[0] / (8000 * 0.02 * 0.02)), <, 1e-12 * qm[0][0]);
      g_assert_cmpint (sw_mf_lyapunov (jac, qm, sig, &err), ==, SW_OK);
      double worst = 0, scale = fmax (qm[0][0], qm[1][1]);
      for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
          {
            double v = qm[i][j];
            for (int k = 0; k < 3; k++)
              v += jac[i][k] * sig[k][j] + sig[i][k] * jac[j][k];
            worst = fmax (worst, fabs (v));
            g_assert_cmpfloat (sig[i][j], ==, sig[j][i]);
          }
      g_test_message ("b %g: SD(nu_E) = %.4f Hz, SD(nu_I) = %.4f Hz, residual %.2g of %.3g",
                      bs[q], sqrt (sig[0][0]), sqrt (sig[1][1]), worst, scale);
      g_assert_cmpfloat (worst, <, 1e-10 * scale);
      g_assert_cmpfloat (sig[0][0], >, 0);
      g_assert_cmpfloat (sig[1][1], >, 0);
      g_assert_cmpfloat (sig[0][1] * sig[0][1], <=, sig[0][0] * sig[1][1]);
    }

  /* A decoupled 1-D check: dx/dt = -k x + noise q gives Sigma = q / 2k. */
  double jac[3][3] = { { -5, 0, 0 }, { 0, -2, 0 }, { 0, 0, -1 } };
  double qm[3][3] = { { 3, 0, 0 }, { 0, 1, 0 }, { 0, 0, 0 } }, sig[3][3];
  g_assert_cmpint (sw_mf_lyapunov (jac, qm, sig, NULL), ==, SW_OK);
  g_assert_cmpfloat (fabs (sig[0][0] - 0.3), <, 1e-14);
  g_assert_cmpfloat (fabs (sig[1][1] - 0.25), <, 1e-14);
  g_assert_cmpfloat (fabs (sig[2][2]), <, 1e-14);
  /* Singular when lambda_i + lambda_j = 0. */
  jac[0][0] = 0;
  g_assert_cmpint (sw_mf_lyapunov (jac, qm, sig, NULL), ==, SW_ERR_INVALID);
}

/* ------------------------------------------------------------------------ */
/* Small linear algebra.                                                      */

static void
test_eig3 (void)
{
  /* Known spectra: a rotation-scaling block plus a real mode, similar-
   * transformed so that nothing is triangular. */
  double re[3], im[3];
  double d[9] = { -44, -115.6, 0, 115.6, -44, 0, 0, 0, -2 };
  double s[9] = { 1, 0.3, -2, 0.1, 1, 0.5, 4, -1, 1 }, si[9], a[9], t[9];
  /* si = s^-1 by solving s x = e_k. */
  for (int k = 0; k < 3; k++)
    {
      double m[9], e[3] = { k == 0, k == 1, k == 2 };
      memcpy (m, s, sizeof m);
      g_assert_cmpint (sw_linalg_solve (3, m, e), ==, 0);
      for (int i = 0; i < 3; i++)
        si[i * 3 + k] = e[i];
    }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        t[i * 3 + j] = 0;
        for (int k = 0; k < 3; k++)
          t[i * 3 + j] += s[i * 3 + k] * d[k * 3 + j];
      }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        a[i * 3 + j] = 0;
        for (int k = 0; k < 3; k++)
          a[i * 3 + j] += t[i * 3 + k] * si[k * 3 + j];
      }
  sw_linalg_eig3 (a, re, im);
  g_assert_cmpfloat (fabs (re[0] + 2), <, 1e-9);
  g_assert_cmpfloat (fabs (re[1] + 44), <, 1e-9);
  g_assert_cmpfloat (fabs (im[1] - 115.6), <, 1e-9);
  g_assert_cmpfloat (fabs (im[2] + 115.6), <, 1e-9);
  g_assert_cmpfloat (im[0], ==, 0);

  /* Widely spread real eigenvalues and a repeated one. */
  double tri[9] = { -1000, 5, 7, 0, -0.01, 3, 0, 0, -3 };
  sw_linalg_eig3 (tri, re, im);
  g_assert_cmpfloat (fabs (re[0] + 0.01), <, 1e-12);
  g_assert_cmpfloat (fabs (re[1] + 3), <, 1e-10);
  g_assert_cmpfloat (fabs (re[2] + 1000), <, 1e-9);
  double rep[9] = { -2, 1, 0, 0, -2, 0, 0, 0, -5 };
  sw_linalg_eig3 (rep, re, im);
  g_assert_cmpfloat (fabs (re[0] + 2), <, 1e-6);
  g_assert_cmpfloat (fabs (re[1] + 2), <, 1e-6);
  g_assert_cmpfloat (fabs (re[2] + 5), <, 1e-12);

  /* Random matrices: each eigenvalue makes det(A - lambda) vanish. */
  GRand *rng = g_rand_new_with_seed (7);
  for (int trial = 0; trial < 200; trial++)
    {
      double m[9];
      for (int k = 0; k < 9; k++)
        m[k] = g_rand_double_range (rng, -100, 100);
      sw_linalg_eig3 (m, re, im);
      for (int k = 0; k < 3; k++)
        {
          /* det(A - z I) in complex arithmetic. */
          double complex z = CMPLX (re[k], im[k]);
          double complex b[9];
          for (int i = 0; i < 9; i++)
            b[i] = m[i] - (i % 4 == 0 ? z : 0);
          double complex det = b[0] * (b[4] * b[8] - b[5] * b[7])
                                - b[1] * (b[3] * b[8] - b[5] * b[6])
                                + b[2] * (b[3] * b[7] - b[4] * b[6]);
          double norm = 0;
          for (int i = 0; i < 9; i++)
            norm = fmax (norm, fabs (m[i]));
          g_assert_cmpfloat (cabs (det), <,
                             1e-9 * norm * norm * norm);
        }
      g_assert_true (re[0] >= re[1] && re[1] >= re[2]);
    }
  g_rand_free (rng);

  /* expm of a diagonal and of a rotation. */
  double dg[4] = { -3, 0, 0, 2 }, e[4];
  sw_linalg_expm (2, dg, e);
  g_assert_cmpfloat (fabs (e[0] - exp (-3)), <, 1e-15);
  g_assert_cmpfloat (fabs (e[3] - exp (2)) / exp (2), <, 1e-14);
  double rot[4] = { 0, -30, 30, 0 };
  sw_linalg_expm (2, rot, e);
  g_assert_cmpfloat (fabs (e[0] - cos (30)), <, 1e-12);
  g_assert_cmpfloat (fabs (e[2] - sin (30)), <, 1e-12);
}

/* ------------------------------------------------------------------------ */
/* Phase maps.                                                                */

static SwMfConfig *
sweep (const char *set, int nx, int ny)
{
  /* x: nu_ext 0.3-30 Hz (logarithmic), y: b 0-150 pA. */
  SwMfConfig *cfgs = g_new (SwMfConfig, (gsize) nx * ny);
  SwMfConfig base = config (set, -64, 0, 1);
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      {
        SwMfConfig *c = &cfgs[j * nx + i];
        *c = base;
        c->nu_ext_hz = 0.3 * pow (100.0, (double) i / (nx - 1));
        c->b_pa = 150.0 * j / (ny - 1);
      }
  return cfgs;
}

static void
test_phase_map (void)
{
  static const char *const sets[2] = { "dV19", "S25" };
  const int nx = 48, ny = 36;
  for (int q = 0; q < 2; q++)
    {
      SwMfConfig *cfgs = sweep (sets[q], nx, ny);
      SwMfPhaseMap *m = NULL, *m1 = NULL;
      SwError err = { { 0 } };
      g_assert_cmpint (sw_mf_phase_map (cfgs, nx, ny, 2, &m, &err), ==, SW_OK);
      g_assert_cmpint (sw_mf_phase_map (cfgs, nx, ny, 3, &m1, &err), ==, SW_OK);
      int counts[SW_MF_N_CLASSES] = { 0 };
      for (int k = 0; k < nx * ny; k++)
        {
          SwMfPoint p = classify (&cfgs[k]);
          if (p.cls != m->cls[k])
            g_error ("%s cell (%d, %d): map %s, point-wise %s", sets[q], k % nx, k / nx,
                     sw_mf_class_name (m->cls[k]), sw_mf_class_name (p.cls));
          counts[p.cls]++;
          if (p.cls == SW_MF_CLASS_UD || p.cls == SW_MF_CLASS_OD)
            {
              g_assert_cmpfloat (fabs (p.nu_e_hz - m->nu_e_hz[k]), <, 1e-6 * (1 + p.nu_e_hz));
              g_assert_cmpfloat (fabs (p.zeta - m->zeta[k]), <, 1e-4);
              g_assert_true ((m->zeta[k] < 1.0) == (m->cls[k] == SW_MF_CLASS_UD));
            }
          /* Independent of the number of threads. */
          g_assert_cmpint (m1->cls[k], ==, m->cls[k]);
          g_assert_true (m1->nu_e_hz[k] == m->nu_e_hz[k]
                         || (isnan (m1->nu_e_hz[k]) && isnan (m->nu_e_hz[k])));
        }
      g_test_message ("%s %dx%d: none %d, UD %d, OD %d, unstable %d; Newton %d, full %d; "
                      "%d boundary polyline(s)",
                      sets[q], nx, ny, counts[0], counts[1], counts[2], counts[3], m->n_newton,
                      m->n_full_search, m->n_boundary);
      g_assert_cmpint (counts[SW_MF_CLASS_UD], >, 0);
      g_assert_cmpint (counts[SW_MF_CLASS_OD], >, 0);
      g_assert_cmpint (m->n_newton, >, m->n_full_search);

      /* The boundary separates UD from OD: every vertex lies on an edge
       * between a UD and an OD cell, at the interpolated zeta = 1. */
      g_assert_cmpint (m->n_boundary, >=, 1);
      for (int l = 0; l < m->n_boundary; l++)
        for (int v = 0; v < m->boundary[l].n; v++)
          {
            double x = m->boundary[l].x[v], y = m->boundary[l].y[v];
            int i0 = (int) floor (x), j0 = (int) floor (y);
            int i1 = x > i0 ? i0 + 1 : i0, j1 = y > j0 ? j0 + 1 : j0;
            g_assert_true (i1 < nx && j1 < ny);
            double z0 = m->zeta[j0 * nx + i0], z1 = m->zeta[j1 * nx + i1];
            g_assert_true ((z0 - 1) * (z1 - 1) <= 0);
            double frac = (x - i0) + (y - j0);
            g_assert_cmpfloat (fabs (z0 + frac * (z1 - z0) - 1.0), <, 1e-9);
          }
      sw_mf_phase_map_free (m);
      sw_mf_phase_map_free (m1);
      g_free (cfgs);
    }
}

static void
test_phase_map_timing (void)
{
  const int n = 200;
  SwMfConfig *cfgs = sweep ("dV19", n, n);
  for (int threads = 1; threads <= 2; threads++)
    {
      SwMfPhaseMap *m = NULL;
      SwError err = { { 0 } };
      g_assert_cmpint (sw_mf_phase_map (cfgs, n, n, threads, &m, &err), ==, SW_OK);
      g_test_message ("200 x 200 map (nu_ext 0.3-30 Hz x b 0-150 pA, dV19) on %d thread(s): "
                      "%.3f s (goal <= 0.5 s on 2); Newton %d cells, full search %d",
                      threads, m->seconds, m->n_newton, m->n_full_search);
      sw_mf_phase_map_free (m);
    }
  g_free (cfgs);
}

static void
test_contour (void)
{
  /* A circle of radius 7 around (10, 8) on a 21 x 17 grid: one closed
   * polyline whose vertices lie within the interpolation error. */
  const int nx = 21, ny = 17;
  double f[21 * 17];
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      f[j * nx + i] = hypot (i - 10.0, j - 8.0);
  SwMfPolyline *lines;
  int n;
  g_assert_cmpint (sw_mf_contour (f, nx, ny, 7.0, &lines, &n, NULL), ==, SW_OK);
  g_assert_cmpint (n, ==, 1);
  g_assert_true (lines[0].closed);
  g_assert_cmpint (lines[0].n, >, 20);
  for (int v = 0; v < lines[0].n; v++)
    g_assert_cmpfloat (fabs (hypot (lines[0].x[v] - 10, lines[0].y[v] - 8) - 7), <, 0.1);
  sw_mf_polylines_free (lines, n);

  /* A half-plane cut by NaN cells: two open pieces. */
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      f[j * nx + i] = j == 8 ? NAN : i - 4.5;
  g_assert_cmpint (sw_mf_contour (f, nx, ny, 0.0, &lines, &n, NULL), ==, SW_OK);
  g_assert_cmpint (n, ==, 2);
  for (int l = 0; l < n; l++)
    {
      g_assert_false (lines[l].closed);
      for (int v = 0; v < lines[l].n; v++)
        g_assert_cmpfloat (fabs (lines[l].x[v] - 4.5), <, 1e-12);
    }
  sw_mf_polylines_free (lines, n);
}

/* ------------------------------------------------------------------------ */
/* Configuration from a network description.                                 */

static SwNetSpec *
preset_spec (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset (name, &error);
  g_assert_no_error (error);
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  g_assert_no_error (error);
  return spec;
}

static int
find_proj (const SwNetSpec *spec, const char *name)
{
  for (int k = 0; k < spec->n_projs; k++)
    if (strcmp (spec->projs[k].name, name) == 0)
      return k;
  g_error ("no projection %s", name);
}

static void
expect_refusal (const SwNetSpec *spec, const char *needle)
{
  SwMfConfig c;
  SwError err = { { 0 } };
  memset (&c, 0x5a, sizeof c);
  SwStatus s = sw_mf_config_from_spec (spec, &c, &err);
  g_test_message ("refused: %s", err.text);
  g_assert_cmpint (s, !=, SW_OK);
  if (strstr (err.text, needle) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"", err.text, needle);
  /* Untouched on failure. */
  g_assert_cmpint (((unsigned char *) &c)[0], ==, 0x5a);
}

static void
test_from_spec (void)
{
  SwNetSpec *spec = preset_spec ("destexhe-adex");
  SwMfConfig c;
  SwError err = { { 0 } };
  g_assert_cmpint (sw_mf_config_from_spec (spec, &c, &err), ==, SW_OK);
  g_assert_cmpfloat (c.e.cell.k_e, ==, 400);
  g_assert_cmpfloat (c.e.cell.k_i, ==, 100);
  g_assert_cmpfloat (c.i.cell.k_e, ==, 400);
  g_assert_cmpfloat (c.i.cell.k_i, ==, 100);
  g_assert_cmpfloat (c.e.k_ext, ==, 400);
  g_assert_cmpfloat (c.i.k_ext, ==, 400);
  g_assert_cmpfloat (c.e.cell.q_e_ns, ==, 1.5);
  g_assert_cmpfloat (c.i.cell.q_i_ns, ==, 5);
  g_assert_cmpfloat (c.e.cell.e_l_mv, ==, -64);
  g_assert_cmpfloat (c.i.cell.e_l_mv, ==, -65);
  g_assert_cmpfloat (c.e.cell.tau_e_ms, ==, 5);
  g_assert_cmpfloat (c.nu_ext_hz, ==, 2.5);
  g_assert_cmpfloat (c.b_pa, ==, 30);
  g_assert_cmpfloat (c.a_ns, ==, 0);
  g_assert_cmpfloat (c.tau_w_ms, ==, 500);
  g_assert_cmpfloat (c.n_e, ==, 8000);
  g_assert_cmpfloat (c.n_i, ==, 2000);
  g_assert_cmpfloat (c.t_ms, ==, 20);

  /* The preset's mean field is the reference one (S25 by default). */
  SwMfConfig ref = config ("S25", -64, 30, 2.5);
  SwMfPoint p = classify (&c), pr = classify (&ref);
  g_assert_cmpint (p.cls, ==, pr.cls);
  g_assert_cmpfloat (p.nu_e_hz, ==, pr.nu_e_hz);

  /* A constant component adds to the plateau; a pulse does not. */
  SwPopSpec *ext = &spec->pops[sw_net_spec_find_pop (spec, "ext")];
  ext->rate[ext->n_rate++] = (SwWaveform) { .kind = SW_WAVE_CONSTANT, .amplitude = 1.0 };
  ext->rate[ext->n_rate++] = (SwWaveform) { .kind = SW_WAVE_PULSE, .amplitude = 7.0,
                                            .t0_ms = 500, .duration_ms = 50 };
  g_assert_cmpint (sw_mf_config_from_spec (spec, &c, &err), ==, SW_OK);
  g_assert_cmpfloat (c.nu_ext_hz, ==, 3.5);

  /* An external in-degree of 800 (p = 0.1) doubles the drive. */
  spec->projs[find_proj (spec, "extE")].p = 0.1;
  g_assert_cmpint (sw_mf_config_from_spec (spec, &c, &err), ==, SW_OK);
  g_assert_cmpfloat (c.e.k_ext, ==, 800);
  SwMfConfig d = c;
  d.e.k_ext = 400;
  d.nu_ext_hz = 7.0;
  double x[3] = { 3, 10, 20 }, dc[3], dd[3], fc[2], fd[2];
  sw_mf_rhs (&c, x, 0, 0, dc, fc);
  sw_mf_rhs (&d, x, 0, 0, dd, fd);
  g_assert_cmpfloat (fabs (fc[0] - fd[0]), <, 1e-12);
  g_assert_cmpfloat (fabs (fc[1] - fd[1]), >, 1e-3);   /* I still gets 3.5 Hz */
  spec->projs[find_proj (spec, "extE")].p = 0.05;

  /* Networks of another shape are refused with the reason. */
  spec->projs[find_proj (spec, "extI")].weight.a = 1.0;
  expect_refusal (spec, "same excitatory weight");
  spec->projs[find_proj (spec, "extI")].weight.a = 1.5;

  int ie = sw_net_spec_find_pop (spec, "I");
  int kb = sw_param_find (spec->pops[ie].type->params, spec->pops[ie].type->n_params, "b");
  spec->pops[ie].params[kb] = 5;
  expect_refusal (spec, "adaptation");
  spec->pops[ie].params[kb] = 0;
  g_assert_cmpint (sw_mf_config_from_spec (spec, &c, &err), ==, SW_OK);

  SwNetSpec *s2 = sw_net_spec_copy (spec);
  s2->projs[find_proj (s2, "IE")] = s2->projs[--s2->n_projs];
  expect_refusal (s2, "no projection from I");
  sw_net_spec_free (s2);

  s2 = sw_net_spec_copy (spec);
  s2->pops[sw_net_spec_find_pop (s2, "I")].inhibitory = false;
  expect_refusal (s2, "two excitatory populations");
  sw_net_spec_free (s2);

  s2 = sw_net_spec_copy (spec);
  s2->pops[sw_net_spec_find_pop (s2, "ext")].kind = SW_POP_SPIKE_TIMES;
  expect_refusal (s2, "spike-time source");
  sw_net_spec_free (s2);

  s2 = sw_net_spec_copy (spec);
  s2->pops[sw_net_spec_find_pop (s2, "E")].type = &sw_lif_cond_type;
  expect_refusal (s2, "adex_cond");
  sw_net_spec_free (s2);
  sw_net_spec_free (spec);

  /* The other AdEx presets convert too. */
  static const char *const others[] = { "destexhe-adex-jcns2018", "destexhe-adex-kusch2025",
                                        "destexhe-adex-sleep" };
  for (size_t k = 0; k < G_N_ELEMENTS (others); k++)
    {
      spec = preset_spec (others[k]);
      SwStatus s = sw_mf_config_from_spec (spec, &c, &err);
      g_test_message ("%s: %s (nu_ext %g Hz, b %g pA, E_L %g / %g mV, K %g / %g)", others[k],
                      s == SW_OK ? "ok" : err.text, c.nu_ext_hz, c.b_pa, c.e.cell.e_l_mv,
                      c.i.cell.e_l_mv, c.e.cell.k_e, c.e.cell.k_i);
      g_assert_cmpint (s, ==, SW_OK);
      sw_net_spec_free (spec);
    }
}

static void
test_config_errors (void)
{
  SwMfConfig c;
  SwError err = { { 0 } };
  sw_mf_config_default (&c);
  g_assert_cmpint (sw_mf_config_validate (&c, &err), ==, SW_OK);
  c.t_ms = 0;
  g_assert_cmpint (sw_mf_config_validate (&c, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "T"));
  SwMfFixedPoints fp;
  g_assert_cmpint (sw_mf_fixed_points (&c, &fp, &err), ==, SW_ERR_INVALID);
  SwMfPhaseMap *m = NULL;
  g_assert_cmpint (sw_mf_phase_map (&c, 1, 1, 1, &m, &err), ==, SW_ERR_INVALID);
  g_assert_null (m);
  sw_mf_config_default (&c);
  c.i.cell.k_e = 0;
  g_assert_cmpint (sw_mf_config_validate (&c, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "K_E of population I"));
  sw_mf_config_default (&c);
  g_assert_cmpint (sw_mf_config_set_builtin_tf (&c, "nope", &err), ==, SW_ERR_NOT_FOUND);
  g_assert_cmpstr (c.e.tf.name, ==, "S25 RS");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/meanfield/moments", test_moments);
  g_test_add_func ("/core/meanfield/transfer-function", test_transfer_function);
  g_test_add_func ("/core/meanfield/self-sustained", test_self_sustained);
  g_test_add_func ("/core/meanfield/fixed-points", test_fixed_points);
  g_test_add_func ("/core/meanfield/boundaries", test_boundaries);
  g_test_add_func ("/core/meanfield/layout", test_layout);
  g_test_add_func ("/core/meanfield/invariants", test_invariants);
  g_test_add_func ("/core/meanfield/all-roots", test_all_roots);
  g_test_add_func ("/core/meanfield/integrate", test_integrate);
  g_test_add_func ("/core/meanfield/pulse-response", test_pulse_response);
  g_test_add_func ("/core/meanfield/impulse-response", test_impulse_response);
  g_test_add_func ("/core/meanfield/lyapunov", test_lyapunov);
  g_test_add_func ("/core/meanfield/eig3", test_eig3);
  g_test_add_func ("/core/meanfield/contour", test_contour);
  g_test_add_func ("/core/meanfield/phase-map", test_phase_map);
  g_test_add_func ("/core/meanfield/phase-map-timing", test_phase_map_timing);
  g_test_add_func ("/core/meanfield/from-spec", test_from_spec);
  g_test_add_func ("/core/meanfield/config-errors", test_config_errors);
  return g_test_run ();
}
