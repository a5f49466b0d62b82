/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Subthreshold moments and the erfc transfer function of conductance-based
 * AdEx cells (see sw-tf.h and async-states spec §2.1, §2.2).
 */
#include "sw-tf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void
sw_tf_cell_fs_rs (SwTfCell *cell, bool inhibitory)
{
  *cell = (SwTfCell) {
    .c_m_pf = 200.0,
    .g_l_ns = 10.0,
    .e_l_mv = inhibitory ? -65.0 : -64.0,
    .e_e_mv = 0.0,
    .e_i_mv = -80.0,
    .tau_e_ms = 5.0,
    .tau_i_ms = 5.0,
    .q_e_ns = 1.5,
    .q_i_ns = 5.0,
    .k_e = 400.0,
    .k_i = 100.0,
  };
}

void
sw_tf_moments (const SwTfCell *c, double nu_e_hz, double nu_i_hz, double w_pa, unsigned flags,
               SwTfMoments *m)
{
  /* The floor keeps 0/0 out of tau_V when both rates vanish; NaN rates
   * stay NaN (fmax would hide them). */
  double nu_e = nu_e_hz > SW_TF_RATE_FLOOR_HZ || isnan (nu_e_hz) ? nu_e_hz : SW_TF_RATE_FLOOR_HZ;
  double nu_i = nu_i_hz > SW_TF_RATE_FLOOR_HZ || isnan (nu_i_hz) ? nu_i_hz : SW_TF_RATE_FLOOR_HZ;
  double fe = c->k_e * nu_e, fi = c->k_i * nu_i;            /* Hz */
  double tau_e = c->tau_e_ms * 1e-3, tau_i = c->tau_i_ms * 1e-3;   /* s */

  double mu_ge = c->q_e_ns * tau_e * fe;                   /* nS */
  double mu_gi = c->q_i_ns * tau_i * fi;
  double mu_g = c->g_l_ns + mu_ge + mu_gi;
  double inv_g = 1.0 / mu_g;
  double tau_m = c->c_m_pf * inv_g * 1e-3;                 /* s */
  double mu_v = (mu_ge * c->e_e_mv + mu_gi * c->e_i_mv + c->g_l_ns * c->e_l_mv - w_pa) * inv_g;
  double u_e = c->q_e_ns * (c->e_e_mv - mu_v) * inv_g;     /* mV */
  double u_i = c->q_i_ns * (c->e_i_mv - mu_v) * inv_g;

  /* The legacy formulas multiply U_i by Q_i in siemens instead of tau_i in
   * seconds, as the original SI code did. */
  double q_i_si = c->q_i_ns * 1e-9;
  double ti_sigma = (flags & SW_TF_LEGACY_SIGMA_V) ? q_i_si : tau_i;
  double ti_tau = (flags & SW_TF_LEGACY_TAU_V) ? q_i_si : tau_i;

  double ae = u_e * tau_e, ai_s = u_i * ti_sigma, ai_t = u_i * ti_tau;   /* mV s */
  double se = fe * ae * ae, si_s = fi * ai_s * ai_s, si_t = fi * ai_t * ai_t;
  double inv_e = 1.0 / (tau_m + tau_e), inv_i = 1.0 / (tau_m + tau_i);
  double var = 0.5 * (se * inv_e + si_s * inv_i);                        /* mV^2 */
  double den = se * inv_e + si_t * inv_i;                                /* mV^2 */
  double tau_v = den > 0.0 ? (se + si_t) / den : tau_m + tau_e;          /* s */

  m->mu_ge_ns = mu_ge;
  m->mu_gi_ns = mu_gi;
  m->mu_g_ns = mu_g;
  m->tau_m_ms = tau_m * 1e3;
  m->mu_v_mv = mu_v;
  m->sigma_v_mv = sqrt (var);
  m->tau_v_ms = tau_v * 1e3;
  m->tau_vn = m->tau_v_ms * c->g_l_ns / c->c_m_pf;
}

double
sw_tf_v_eff (const SwTfCoeffs *k, const SwTfCell *cell, const SwTfMoments *m)
{
  const double *p = k->p_mv;
  double x = (m->mu_v_mv - k->mu_v0_mv) / k->d_mu_v_mv;
  double y = (m->sigma_v_mv - k->sigma_v0_mv) / k->d_sigma_v_mv;
  double z = (m->tau_vn - k->tau_vn0) / k->d_tau_vn;
  double v = p[0] + p[1] * x + p[2] * y + p[3] * z;

  if (k->layout == SW_TF_LAYOUT_11)
    {
      v += p[4] * log (m->mu_g_ns / cell->g_l_ns);
      p++;
    }
  return v + p[4] * x * x + p[5] * y * y + p[6] * z * z + p[7] * x * y + p[8] * x * z
         + p[9] * y * z;
}

double
sw_tf_rate (const SwTfCoeffs *coeffs, const SwTfCell *cell, double nu_e_hz, double nu_i_hz,
            double w_pa, SwTfMoments *m_out)
{
  SwTfMoments m;
  sw_tf_moments (cell, nu_e_hz, nu_i_hz, w_pa, coeffs->flags, &m);
  if (m_out != NULL)
    *m_out = m;
  double v_eff = sw_tf_v_eff (coeffs, cell, &m);
  /* tau_V in seconds gives Hz. */
  return erfc ((v_eff - m.mu_v_mv) / (M_SQRT2 * m.sigma_v_mv)) / (2.0 * m.tau_v_ms * 1e-3);
}

void
sw_tf_coeffs_init (SwTfCoeffs *k)
{
  memset (k, 0, sizeof *k);
  k->layout = SW_TF_LAYOUT_10;
  k->mu_v0_mv = -60.0;
  k->d_mu_v_mv = 10.0;
  k->sigma_v0_mv = 4.0;
  k->d_sigma_v_mv = 6.0;
  k->tau_vn0 = 0.5;
  k->d_tau_vn = 1.0;
}

SwStatus
sw_tf_coeffs_set (SwTfCoeffs *k, const char *name, const double *p_volts, int n, unsigned flags,
                  SwError *err)
{
  if (n != SW_TF_LAYOUT_10 && n != SW_TF_LAYOUT_11)
    return sw_error_set (err, SW_ERR_INVALID,
                         "a transfer-function set has 10 or 11 coefficients, not %d", n);
  if (flags & ~(unsigned) (SW_TF_LEGACY_TAU_V | SW_TF_LEGACY_SIGMA_V))
    return sw_error_set (err, SW_ERR_INVALID, "unknown transfer-function flags 0x%x", flags);
  for (int i = 0; i < n; i++)
    if (!isfinite (p_volts[i]))
      return sw_error_set (err, SW_ERR_INVALID,
                           "coefficient P%d of transfer-function set \"%s\" is not finite", i,
                           name != NULL ? name : "");
  sw_tf_coeffs_init (k);
  snprintf (k->name, sizeof k->name, "%s", name != NULL ? name : "");
  k->layout = (SwTfLayout) n;
  k->flags = flags;
  for (int i = 0; i < n; i++)
    k->p_mv[i] = p_volts[i] * 1e3;
  return SW_OK;
}

/* Spec §2.2, in volts as published. */
static const struct
{
  const char *set, *cell;
  double p[10];
} builtin[] = {
  { "dV19", "RS",
    { -0.04983106, 0.005063550882777035, -0.023470121807314552, 0.0022951513725067503,
      -0.0004105302652029825, 0.010547051343547399, -0.03659252821136933,
      0.007437487505797858, 0.001265064721846073, -0.04072161294490446 } },
  { "dV19", "FS",
    { -0.05149122024209484, 0.004003689190271077, -0.008352013668528155,
      0.0002414237992765705, -0.0005070645080016026, 0.0014345394104282397,
      -0.014686689498949967, 0.004502706285435741, 0.0028472190352532454,
      -0.015357804594594548 } },
  { "S25", "RS",
    { -0.0501703369473952, 0.004515314435107868, -0.00794376643042094,
      -0.0020841849080771428, -0.0005469746175619979, 0.0034161396252431146,
      -0.011564333006747902, 0.001947527389401254, 0.0027407900009473376,
      -0.010667691831940287 } },
  { "S25", "FS",
    { -0.05184977763971056, 0.006159297772458374, -0.014035223987503698,
      0.001665106536023517, -0.002055898144772868, 0.0031843179555989002,
      -0.031127746853867978, 0.006566683180356312, 0.001718289739500453,
      -0.04516384713079858 } },
};

SwStatus
sw_tf_coeffs_builtin (const char *set, const char *cell, SwTfCoeffs *out, SwError *err)
{
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    if (set != NULL && cell != NULL && strcmp (builtin[i].set, set) == 0
        && strcmp (builtin[i].cell, cell) == 0)
      {
        char name[SW_TF_NAME_MAX];
        snprintf (name, sizeof name, "%s %s", set, cell);
        return sw_tf_coeffs_set (out, name, builtin[i].p, 10, SW_TF_LEGACY_TAU_V, err);
      }
  return sw_error_set (err, SW_ERR_NOT_FOUND,
                       "no built-in transfer function \"%s\" for cell \"%s\" "
                       "(known: dV19 and S25, cells RS and FS)",
                       set != NULL ? set : "", cell != NULL ? cell : "");
}
