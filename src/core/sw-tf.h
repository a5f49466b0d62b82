/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Semi-analytic transfer functions of conductance-based AdEx cells, the
 * building block of the master-equation mean field (async-states spec §2.1
 * and §2.2; Zerlaut et al. 2018, di Volo et al. 2019).  Given the rates of
 * the presynaptic sources and an adaptation current, the subthreshold
 * moments of the membrane potential (mean, standard deviation, correlation
 * time) are computed in closed form under the shot-noise approximation; an
 * effective threshold, a second-order polynomial fitted to simulations, then
 * turns the moments into an output rate through an erfc.
 *
 * Units: rates Hz, time ms, voltage mV, conductance nS, capacitance pF,
 * current pA.  The published coefficients are in volts; the core stores
 * them in mV (sw_tf_coeffs_set() converts).
 *
 * Everything here is pure: no allocation, no global state, safe to call from
 * any number of threads at once.
 */
#pragma once

#include <stdbool.h>

#include "sw-status.h"

#define SW_TF_MAX_COEFFS 11
#define SW_TF_NAME_MAX 32

/* The membrane and synapses of one target cell, and how many synapses it
 * receives from each presynaptic class (mean in-degrees). */
typedef struct
{
  double c_m_pf;
  double g_l_ns;
  double e_l_mv;
  double e_e_mv, e_i_mv;      /* reversal potentials of excitatory / inhibitory synapses */
  double tau_e_ms, tau_i_ms;  /* decay times of the synaptic conductances */
  double q_e_ns, q_i_ns;      /* conductance jumps (synaptic weights) */
  double k_e, k_i;            /* excitatory / inhibitory in-degrees (K_E, K_I) */
} SwTfCell;

/* Formula compatibility flags.  Some published fits were produced with
 * Q_i U_i in place of tau_i U_i in the inhibitory term of tau_V (and, for
 * the 2018 sets, of sigma_V); evaluated in SI units that shrinks the term
 * by (Q_i [S] / tau_i [s])^2 ~ 1e-12, i.e. drops it.  The flags reproduce
 * that evaluation exactly, so that the fits give their original outputs.
 * The default (0) is the correct formula. */
typedef enum
{
  SW_TF_LEGACY_TAU_V = 1 << 0,
  SW_TF_LEGACY_SIGMA_V = 1 << 1,
} SwTfFlags;

/* Polynomial layouts of the effective threshold (x, y, z: the normalised
 * mean, standard deviation and correlation time of V):
 *   10 terms: P0 + P1 x + P2 y + P3 z + P4 x^2 + P5 y^2 + P6 z^2
 *             + P7 xy + P8 xz + P9 yz
 *   11 terms: P0 + P1 x + P2 y + P3 z + P4 ln(muG/gL) + P5 x^2 + P6 y^2
 *             + P7 z^2 + P8 xy + P9 xz + P10 yz   (the 2018 variant) */
typedef enum
{
  SW_TF_LAYOUT_10 = 10,
  SW_TF_LAYOUT_11 = 11,
} SwTfLayout;

/* A coefficient set with the formula it was fitted with.  Plain data: copy
 * it freely.  x = (muV - mu_v0)/d_mu_v, y = (sigmaV - sigma_v0)/d_sigma_v,
 * z = (tau_V^N - tau_vn0)/d_tau_vn; the standard normalisation (-60 mV,
 * 10 mV, 4 mV, 6 mV, 0.5, 1) is what every published set uses. */
typedef struct
{
  char name[SW_TF_NAME_MAX];  /* e.g. "dV19 RS"; informative only */
  SwTfLayout layout;
  double p_mv[SW_TF_MAX_COEFFS];
  unsigned flags;             /* SwTfFlags */
  double mu_v0_mv, d_mu_v_mv;
  double sigma_v0_mv, d_sigma_v_mv;
  double tau_vn0, d_tau_vn;
} SwTfCoeffs;

/* Subthreshold statistics of one cell at one input. */
typedef struct
{
  double mu_ge_ns, mu_gi_ns;  /* mean synaptic conductances */
  double mu_g_ns;             /* total mean conductance g_L + muGe + muGi */
  double tau_m_ms;            /* effective membrane time constant C_m / muG */
  double mu_v_mv;             /* mean membrane potential */
  double sigma_v_mv;          /* standard deviation of V */
  double tau_v_ms;            /* correlation time of V */
  double tau_vn;              /* tau_V g_L / C_m (dimensionless) */
} SwTfMoments;

/* Rates below this floor (Hz) are raised to it before use, so that the
 * moments never divide 0 by 0 (spec §2.1). */
#define SW_TF_RATE_FLOOR_HZ 1e-9

/* The FS-RS cells of spec §1.2 with the synapses and in-degrees of the
 * reference network (Q_e 1.5 nS, Q_i 5 nS, tau 5 ms, K_E 400, K_I 100):
 * regular spiking (E_L -64 mV) or fast spiking (E_L -65 mV). */
void sw_tf_cell_fs_rs (SwTfCell *cell, bool inhibitory);

/* Moments for per-source rates @nu_e_hz (recurrent excitation plus external
 * drive, already expressed per K_E synapse) and @nu_i_hz, with adaptation
 * current @w_pa; @flags are SwTfFlags.  Total input rates are
 * F_e = k_e nu_e and F_i = k_i nu_i. */
void sw_tf_moments (const SwTfCell *cell, double nu_e_hz, double nu_i_hz, double w_pa,
                    unsigned flags, SwTfMoments *out);

/* Effective threshold (mV) of @coeffs at moments @m of @cell. */
double sw_tf_v_eff (const SwTfCoeffs *coeffs, const SwTfCell *cell, const SwTfMoments *m);

/* Output rate (Hz): erfc((V_eff - muV)/(sqrt 2 sigmaV)) / (2 tau_V).  When
 * @m_out is not NULL it receives the moments. */
double sw_tf_rate (const SwTfCoeffs *coeffs, const SwTfCell *cell, double nu_e_hz,
                   double nu_i_hz, double w_pa, SwTfMoments *m_out);

/* A set with all coefficients 0, layout 10, no flags and the standard
 * normalisation. */
void sw_tf_coeffs_init (SwTfCoeffs *coeffs);

/* Fills @coeffs from @n (10 or 11, which chooses the layout) coefficients
 * in volts, as published and as user files give them; the normalisation is
 * the standard one.  SW_ERR_INVALID for another @n or a non-finite value. */
SwStatus sw_tf_coeffs_set (SwTfCoeffs *coeffs, const char *name, const double *p_volts, int n,
                           unsigned flags, SwError *err);

/* Built-in sets of spec §2.2: @set "dV19" (di Volo et al. 2019, the TVB
 * defaults) or "S25" (Sacha et al. 2025, FS-RS), @cell "RS" or "FS".  Both
 * were fitted with the legacy tau_V formula, so they carry
 * SW_TF_LEGACY_TAU_V (identical to the correct formula when tau_e = tau_i).
 * SW_ERR_NOT_FOUND for unknown names, naming the known ones.
 *
 * The "Zerlaut" (2018) sets are not built in: the spec names them but gives
 * no values.  Load them as user sets: 11 coefficients (layout 11) with
 * SW_TF_LEGACY_TAU_V | SW_TF_LEGACY_SIGMA_V. */
SwStatus sw_tf_coeffs_builtin (const char *set, const char *cell, SwTfCoeffs *out, SwError *err);
