/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Leaky integrate-and-fire neuron with exponentially decaying conductance
 * synapses (the COBA benchmark of Brette et al. 2007, after Vogels & Abbott
 * 2005):
 *
 *   C_m dv/dt = g_L (E_L - v) + g_e (E_e - v) + g_i (E_i - v) + I
 *
 * Forward Euler for v, g_e and g_i, as the benchmark defines it.  Conductance
 * jumps of the step are added before integrating; v > V_th fires, resets to
 * V_reset and is frozen for t_ref (the conductances keep decaying).
 */
#include "sw-fastmath.h"
#include "sw-neuron-type.h"
#include "sw-threshold.h"

#include <math.h>

enum
{
  P_C_M, P_G_L, P_E_L, P_V_TH, P_V_RESET, P_T_REF, P_E_E, P_E_I, P_TAU_E, P_TAU_I,
  P_I_E, N_PARAMS
};

static const SwParamInfo params[N_PARAMS] = {
  [P_C_M] = { "C_m", "pF", 200, 1, 1e5, "Membrane capacitance" },
  [P_G_L] = { "g_L", "nS", 10, 0.01, 1e4, "Leak conductance" },
  [P_E_L] = { "E_L", "mV", -60, -120, 0, "Leak reversal potential" },
  [P_V_TH] = { "V_th", "mV", -50, -120, 50, "Spike threshold" },
  [P_V_RESET] = { "V_reset", "mV", -60, -120, 50, "Reset potential after a spike" },
  [P_T_REF] = { "t_ref", "ms", 5, 0, 1000, "Refractory period: v is held at V_reset" },
  [P_E_E] = { "E_e", "mV", 0, -100, 100, "Reversal potential of excitatory synapses" },
  [P_E_I] = { "E_i", "mV", -80, -150, 0, "Reversal potential of inhibitory synapses" },
  [P_TAU_E] = { "tau_e", "ms", 5, 0.01, 1000, "Decay time of excitatory conductances" },
  [P_TAU_I] = { "tau_i", "ms", 10, 0.01, 1000, "Decay time of inhibitory conductances" },
  [P_I_E] = { "I_e", "pA", 0, -1e5, 1e5, "Constant injected current" },
};

static const SwParamInfo state[] = {
  { "v", "mV", -60, -200, 100, "Membrane potential" },
  { "g_e", "nS", 0, -1e6, 1e6, "Excitatory conductance" },
  { "g_i", "nS", 0, -1e6, 1e6, "Inhibitory conductance" },
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

  if (!(p[P_V_RESET] < p[P_V_TH]))
    return sw_error_set (err, SW_ERR_INVALID, "V_reset (%g mV) must lie below V_th (%g mV)",
                         p[P_V_RESET], p[P_V_TH]);
  d->refractory_steps = (int) floor (p[P_T_REF] / dt + 0.5);
  return SW_OK;
}

/* One branch-free, vectorisable pass integrates every neuron (refractory
 * ones with their voltage derivative masked); a short scalar pass then finds
 * the spikes. */
static inline void
integrate (SwNeuronUpdate *u, const double *restrict cur)
{
  const double *p = u->params;
  const double dt = u->dt_ms, dt_c = dt / p[P_C_M];
  const double g_l = p[P_G_L], e_l = p[P_E_L], e_e = p[P_E_E], e_i = p[P_E_I];
  const double f_e = 1.0 - dt / p[P_TAU_E], f_i = 1.0 - dt / p[P_TAU_I], i_e = p[P_I_E];
  double *restrict vv = u->state[0], *restrict gge = u->state[1], *restrict ggi = u->state[2];
  const int32_t *restrict refr = u->refractory;
  const double *restrict in_e = u->input[0], *restrict in_i = u->input[1];

#pragma omp simd
  for (int i = u->begin; i < u->end; i++)
    {
      double v = vv[i], ge = gge[i] + in_e[i], gi = ggi[i] + in_i[i];
      double live = refr[i] > 0 ? 0.0 : 1.0;
      double iapp = i_e + (cur != NULL ? cur[i] : 0.0);
      vv[i] = v + live * dt_c * (g_l * (e_l - v) + ge * (e_e - v) + gi * (e_i - v) + iapp);
      gge[i] = ge * f_e;
      ggi[i] = gi * f_i;
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
  u->n_spikes = sw_threshold_pass (u->state[0], u->refractory, u->begin, u->end, p[P_V_TH], false,
                                   p[P_V_RESET], d->refractory_steps, u->spikes, &u->first_bad);
}

const SwNeuronType sw_lif_cond_type = {
  .name = "lif_cond",
  .label = "LIF, conductance synapses",
  .description = "Leaky integrate-and-fire neuron with excitatory and inhibitory "
                 "conductances that decay exponentially (the COBA benchmark).",
  .params = params,
  .n_params = N_PARAMS,
  .state = state,
  .n_state = 3,
  .v_index = 0,
  .receptors = receptors,
  .receptor_units = receptor_units,
  .n_receptors = 2,
  .current_unit = "pA",
  .derived_size = sizeof (Derived),
  .derive = derive,
  .update = update,
};
