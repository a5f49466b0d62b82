/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Adaptive exponential integrate-and-fire neuron with exponentially decaying
 * conductance synapses (Brette & Gerstner 2005; the FS-RS cells of the
 * async-states spec §1.1):
 *
 *   C_m dv/dt  = -g_L (v - E_L) + g_L Delta_T exp((v - V_T)/Delta_T)
 *                - g_e (v - E_e) - g_i (v - E_i) - w + I
 *   tau_w dw/dt = a (v - E_L) - w,   dg_e/dt = -g_e/tau_e,  dg_i/dt = -g_i/tau_i
 *
 * Second-order Heun for all four variables, dt fixed.  The exponential's
 * argument is capped at 50 so that the fast-spiking cell (Delta_T = 0.5 mV)
 * cannot overflow within a step; the spike is detected at the end of the step
 * (v > V_cut), then v = V_reset, w += b, and v is frozen for t_ref (w, g_e and
 * g_i keep evolving).  Conductance jumps of the step are added before
 * integrating, so a spike of step n acts from step n + 1.
 */
#include "sw-fastmath.h"
#include "sw-neuron-type.h"
#include "sw-threshold.h"

#include <math.h>

enum
{
  P_C_M, P_G_L, P_E_L, P_V_T, P_DELTA_T, P_A, P_B, P_TAU_W, P_V_RESET, P_V_CUT,
  P_T_REF, P_E_E, P_E_I, P_TAU_E, P_TAU_I, P_I_E, N_PARAMS
};

static const SwParamInfo params[N_PARAMS] = {
  [P_C_M] = { "C_m", "pF", 200, 1, 1e5, "Membrane capacitance" },
  [P_G_L] = { "g_L", "nS", 10, 0.01, 1e4, "Leak conductance" },
  [P_E_L] = { "E_L", "mV", -65, -120, 0, "Leak reversal potential" },
  [P_V_T] = { "V_T", "mV", -50, -100, 20, "Threshold slope factor's centre: where the exponential takes over" },
  [P_DELTA_T] = { "Delta_T", "mV", 2, 0.01, 20, "Sharpness of the spike initiation (slope factor)" },
  [P_A] = { "a", "nS", 0, -100, 1000, "Subthreshold adaptation conductance" },
  [P_B] = { "b", "pA", 0, 0, 5000, "Spike-triggered adaptation: jump of w at every spike" },
  [P_TAU_W] = { "tau_w", "ms", 500, 1, 1e5, "Adaptation time constant" },
  [P_V_RESET] = { "V_reset", "mV", -65, -120, 20, "Reset potential after a spike" },
  [P_V_CUT] = { "V_cut", "mV", -30, -100, 50, "Spike detection (cut) potential" },
  [P_T_REF] = { "t_ref", "ms", 5, 0, 1000, "Refractory period: v is held at V_reset" },
  [P_E_E] = { "E_e", "mV", 0, -100, 100, "Reversal potential of excitatory synapses" },
  [P_E_I] = { "E_i", "mV", -80, -150, 0, "Reversal potential of inhibitory synapses" },
  [P_TAU_E] = { "tau_e", "ms", 5, 0.01, 1000, "Decay time of excitatory conductances" },
  [P_TAU_I] = { "tau_i", "ms", 5, 0.01, 1000, "Decay time of inhibitory conductances" },
  [P_I_E] = { "I_e", "pA", 0, -1e5, 1e5, "Constant injected current" },
};

static const SwParamInfo state[] = {
  { "v", "mV", -60, -200, 100, "Membrane potential" },
  { "w", "pA", 0, -1e6, 1e6, "Adaptation current" },
  { "g_e", "nS", 0, 0, 1e6, "Excitatory conductance" },
  { "g_i", "nS", 0, 0, 1e6, "Inhibitory conductance" },
};

static const char *const receptors[] = { "exc", "inh" };
static const char *const receptor_units[] = { "nS", "nS" };

typedef struct
{
  int refractory_steps;
} Derived;

static SwStatus
derive (const double *p, double dt, void *out, SwError *err)
{
  Derived *d = out;

  if (!(p[P_V_RESET] < p[P_V_CUT]))
    return sw_error_set (err, SW_ERR_INVALID, "V_reset (%g mV) must lie below V_cut (%g mV)",
                         p[P_V_RESET], p[P_V_CUT]);
  if (!(p[P_V_T] < p[P_V_CUT]))
    return sw_error_set (err, SW_ERR_INVALID, "V_T (%g mV) must lie below V_cut (%g mV)",
                         p[P_V_T], p[P_V_CUT]);
  d->refractory_steps = (int) floor (p[P_T_REF] / dt + 0.5);
  return SW_OK;
}

/* The integration is one branch-free loop that compilers vectorise (the
 * exponential included, see sw-fastmath.h); spikes, resets and the
 * refractory countdown follow in a short scalar loop.  Refractory neurons
 * run through the same arithmetic with their voltage derivative masked. */
static inline void
integrate (SwNeuronUpdate *u, const double *restrict cur)
{
  const double *p = u->params;
  const double dt = u->dt_ms, half_dt = 0.5 * dt;
  const double inv_c = 1.0 / p[P_C_M];
  const double g_l = p[P_G_L], e_l = p[P_E_L], v_t = p[P_V_T];
  const double inv_dT = 1.0 / p[P_DELTA_T], gl_dT = g_l * p[P_DELTA_T];
  const double a = p[P_A], inv_tw = 1.0 / p[P_TAU_W];
  const double e_e = p[P_E_E], e_i = p[P_E_I];
  const double k_e = 1.0 / p[P_TAU_E], k_i = 1.0 / p[P_TAU_I];
  const double i_e = p[P_I_E];
  double *restrict vv = u->state[0], *restrict ww = u->state[1];
  double *restrict gge = u->state[2], *restrict ggi = u->state[3];
  const int32_t *restrict refr = u->refractory;
  const double *restrict in_e = u->input[0], *restrict in_i = u->input[1];

#pragma omp simd
  for (int i = u->begin; i < u->end; i++)
    {
      double v = vv[i], w = ww[i];
      double ge = gge[i] + in_e[i], gi = ggi[i] + in_i[i];
      double iapp = i_e + (cur != NULL ? cur[i] : 0.0);
      double live = refr[i] > 0 ? 0.0 : 1.0;

      /* Heun: Euler predictor, trapezoidal corrector. */
      double x1 = (v - v_t) * inv_dT;
      x1 = x1 < 50.0 ? x1 : 50.0;
      x1 = x1 > -700.0 ? x1 : -700.0;
      double dv1 = live * (-g_l * (v - e_l) + gl_dT * sw_exp (x1) - ge * (v - e_e) - gi * (v - e_i) - w + iapp) * inv_c;
      double dw1 = (a * (v - e_l) - w) * inv_tw;
      double dge1 = -ge * k_e, dgi1 = -gi * k_i;

      double v2 = v + dt * dv1, w2 = w + dt * dw1;
      double ge2 = ge + dt * dge1, gi2 = gi + dt * dgi1;
      double x2 = (v2 - v_t) * inv_dT;
      x2 = x2 < 50.0 ? x2 : 50.0;
      x2 = x2 > -700.0 ? x2 : -700.0;
      double dv2 = live * (-g_l * (v2 - e_l) + gl_dT * sw_exp (x2) - ge2 * (v2 - e_e) - gi2 * (v2 - e_i) - w2 + iapp) * inv_c;
      double dw2 = (a * (v2 - e_l) - w2) * inv_tw;

      vv[i] = v + half_dt * (dv1 + dv2);
      ww[i] = w + half_dt * (dw1 + dw2);
      gge[i] = ge + half_dt * (dge1 - ge2 * k_e);
      ggi[i] = gi + half_dt * (dgi1 - gi2 * k_i);
    }
}

SW_HOT_CLONES static void
update (SwNeuronUpdate *u)
{
  const Derived *d = u->derived;
  const double *p = u->params;

  if (u->current != NULL)
    integrate (u, u->current);
  else
    integrate (u, NULL);
  u->n_spikes = sw_threshold_pass (u->state[0], u->refractory, u->begin, u->end, p[P_V_CUT], false,
                                   p[P_V_RESET], d->refractory_steps, u->spikes, &u->first_bad);
  /* The adaptation jump of the cells that fired, and a finite w. */
  double *w = u->state[1];
  for (int k = 0; k < u->n_spikes; k++)
    w[u->spikes[k]] += p[P_B];
  if (u->first_bad < 0)
    for (int i = u->begin; i < u->end; i++)
      if (!isfinite (w[i]))
        {
          u->first_bad = i;
          break;
        }
}

const SwNeuronType sw_adex_cond_type = {
  .name = "adex_cond",
  .label = "AdEx, conductance synapses",
  .description = "Adaptive exponential integrate-and-fire neuron: a sharp spike "
                 "onset and a slow adaptation current, with excitatory and "
                 "inhibitory conductances that decay exponentially.",
  .params = params,
  .n_params = N_PARAMS,
  .state = state,
  .n_state = 4,
  .v_index = 0,
  .receptors = receptors,
  .receptor_units = receptor_units,
  .n_receptors = 2,
  .current_unit = "pA",
  .derived_size = sizeof (Derived),
  .derive = derive,
  .update = update,
};
