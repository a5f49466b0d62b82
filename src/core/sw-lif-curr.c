/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Leaky integrate-and-fire neuron with exponentially decaying current
 * synapses (the CUBA benchmark of Brette et al. 2007).  Currents are
 * expressed as the voltages they drive through the membrane resistance:
 *
 *   tau_m dv/dt = -(v - E_L) + i_e + i_i + I,  di_x/dt = -i_x/tau_x
 *
 * The linear system is integrated exactly over each step (propagators
 * computed once per parameter change).  Jumps of the step are added before
 * integrating; v > V_th fires, resets to V_reset and is frozen for t_ref while
 * the synaptic currents keep decaying.
 */
#include "sw-fastmath.h"
#include "sw-neuron-type.h"
#include "sw-threshold.h"

#include <math.h>

enum { P_TAU_M, P_E_L, P_V_TH, P_V_RESET, P_T_REF, P_TAU_E, P_TAU_I, P_I_E, N_PARAMS };

static const SwParamInfo params[N_PARAMS] = {
  [P_TAU_M] = { "tau_m", "ms", 20, 0.01, 1e4, "Membrane time constant" },
  [P_E_L] = { "E_L", "mV", -49, -200, 200, "Resting potential (here includes the constant drive)" },
  [P_V_TH] = { "V_th", "mV", -50, -200, 200, "Spike threshold" },
  [P_V_RESET] = { "V_reset", "mV", -60, -200, 200, "Reset potential after a spike" },
  [P_T_REF] = { "t_ref", "ms", 5, 0, 1000, "Refractory period: v is held at V_reset" },
  [P_TAU_E] = { "tau_e", "ms", 5, 0.01, 1000, "Decay time of excitatory currents" },
  [P_TAU_I] = { "tau_i", "ms", 10, 0.01, 1000, "Decay time of inhibitory currents" },
  [P_I_E] = { "I_e", "mV", 0, -1e4, 1e4, "Constant input R I_e, as a voltage" },
};

static const SwParamInfo state[] = {
  { "v", "mV", -60, -1e4, 1e4, "Membrane potential" },
  { "i_e", "mV", 0, -1e6, 1e6, "Excitatory synaptic current (times R)" },
  { "i_i", "mV", 0, -1e6, 1e6, "Inhibitory synaptic current (times R)" },
};

static const char *const receptors[] = { "exc", "inh" };
static const char *const receptor_units[] = { "mV", "mV" };

typedef struct
{
  double pm, pe, pi;      /* decay factors of v, i_e, i_i over one step */
  double qe, qi;          /* contribution of i_e(0), i_i(0) to v(dt) */
  int refractory_steps;
} Derived;

/* Contribution to v after dt of a current that starts at 1 and decays with
 * tau_s, through a membrane of time constant tau_m. */
static double
coupling (double tau_m, double tau_s, double dt)
{
  if (fabs (tau_s - tau_m) < 1e-9 * tau_m)
    return dt / tau_m * exp (-dt / tau_m);
  return tau_s / (tau_s - tau_m) * (exp (-dt / tau_s) - exp (-dt / tau_m));
}

static SwStatus
derive (const double *p, double dt, void *out, SwError *err)
{
  Derived *d = out;

  if (!(p[P_V_RESET] < p[P_V_TH]))
    return sw_error_set (err, SW_ERR_INVALID, "V_reset (%g mV) must lie below V_th (%g mV)",
                         p[P_V_RESET], p[P_V_TH]);
  d->pm = exp (-dt / p[P_TAU_M]);
  d->pe = exp (-dt / p[P_TAU_E]);
  d->pi = exp (-dt / p[P_TAU_I]);
  d->qe = coupling (p[P_TAU_M], p[P_TAU_E], dt);
  d->qi = coupling (p[P_TAU_M], p[P_TAU_I], dt);
  d->refractory_steps = (int) floor (p[P_T_REF] / dt + 0.5);
  return SW_OK;
}

/* A vectorisable integration pass, then a scalar pass for the spikes. */
static inline void
integrate (SwNeuronUpdate *u, const double *restrict cur)
{
  const double *p = u->params;
  const Derived *d = u->derived;
  const double v_rest = p[P_E_L] + p[P_I_E];
  const double pm = d->pm, pe = d->pe, pi = d->pi, qe = d->qe, qi = d->qi;
  double *restrict vv = u->state[0], *restrict iie = u->state[1], *restrict iii = u->state[2];
  const int32_t *restrict refr = u->refractory;
  const double *restrict in_e = u->input[0], *restrict in_i = u->input[1];

#pragma omp simd
  for (int i = u->begin; i < u->end; i++)
    {
      double v = vv[i], ie = iie[i] + in_e[i], ii = iii[i] + in_i[i];
      double v_inf = v_rest + (cur != NULL ? cur[i] : 0.0);
      double next = v_inf + (v - v_inf) * pm + ie * qe + ii * qi;
      vv[i] = refr[i] > 0 ? v : next;
      iie[i] = ie * pe;
      iii[i] = ii * pi;
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

const SwNeuronType sw_lif_curr_type = {
  .name = "lif_curr",
  .label = "LIF, current synapses",
  .description = "Leaky integrate-and-fire neuron with exponentially decaying "
                 "synaptic currents (the CUBA benchmark).",
  .params = params,
  .n_params = N_PARAMS,
  .state = state,
  .n_state = 3,
  .v_index = 0,
  .receptors = receptors,
  .receptor_units = receptor_units,
  .n_receptors = 2,
  .current_unit = "mV",
  .derived_size = sizeof (Derived),
  .derive = derive,
  .update = update,
};
