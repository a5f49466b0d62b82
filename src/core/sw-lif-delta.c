/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Leaky integrate-and-fire neuron with delta synapses (Brunel 2000, model
 * A; async-states spec §6):
 *
 *   tau_m dv/dt = -(v - E_L) + R I(t),   a spike arriving adds its weight to v
 *
 * Integrated exactly over a step (the input current is constant within it):
 * v <- v_inf + (v - v_inf) exp(-dt/tau_m), then the weights arriving in this
 * step are added, then v >= V_th fires and resets to V_reset.  The membrane is
 * frozen for t_ref after the spike step and input arriving meanwhile is lost.
 */
#include "sw-fastmath.h"
#include "sw-neuron-type.h"
#include "sw-threshold.h"

#include <math.h>

enum { P_TAU_M, P_V_TH, P_V_RESET, P_E_L, P_T_REF, P_I_E, N_PARAMS };

static const SwParamInfo params[N_PARAMS] = {
  [P_TAU_M] = { "tau_m", "ms", 20, 0.01, 1e4, "Membrane time constant" },
  [P_V_TH] = { "V_th", "mV", 20, -200, 200, "Spike threshold" },
  [P_V_RESET] = { "V_reset", "mV", 10, -200, 200, "Reset potential after a spike" },
  [P_E_L] = { "E_L", "mV", 0, -200, 200, "Resting potential" },
  [P_T_REF] = { "t_ref", "ms", 2, 0, 1000, "Refractory period: v is frozen and input is lost" },
  [P_I_E] = { "I_e", "mV", 0, -1e4, 1e4, "Constant input R I_e, as a voltage" },
};

static const SwParamInfo state[] = {
  { "v", "mV", 0, -1e4, 1e4, "Membrane potential" },
};

static const char *const receptors[] = { "v" };
static const char *const receptor_units[] = { "mV" };

typedef struct
{
  double decay;
  int refractory_steps;
} Derived;

static SwStatus
derive (const double *p, double dt, void *out, SwError *err)
{
  Derived *d = out;

  if (!(p[P_V_RESET] < p[P_V_TH]))
    return sw_error_set (err, SW_ERR_INVALID, "V_reset (%g mV) must lie below V_th (%g mV)",
                         p[P_V_RESET], p[P_V_TH]);
  d->decay = exp (-dt / p[P_TAU_M]);
  d->refractory_steps = (int) floor (p[P_T_REF] / dt + 0.5);
  return SW_OK;
}

/* A vectorisable pass decays and adds the input (refractory neurons keep
 * their frozen voltage and lose the input); a scalar pass finds spikes. */
static inline void
integrate (SwNeuronUpdate *u, const double *restrict cur)
{
  const double *p = u->params;
  const Derived *d = u->derived;
  const double decay = d->decay, v_rest = p[P_E_L] + p[P_I_E];
  double *restrict vv = u->state[0];
  const int32_t *restrict refr = u->refractory;
  const double *restrict in = u->input[0];

#pragma omp simd
  for (int i = u->begin; i < u->end; i++)
    {
      double v_inf = v_rest + (cur != NULL ? cur[i] : 0.0);
      double next = v_inf + (vv[i] - v_inf) * decay + in[i];
      vv[i] = refr[i] > 0 ? vv[i] : next;
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
  u->n_spikes = sw_threshold_pass (u->state[0], u->refractory, u->begin, u->end, p[P_V_TH], true,
                                   p[P_V_RESET], d->refractory_steps, u->spikes, &u->first_bad);
}

const SwNeuronType sw_lif_delta_type = {
  .name = "lif_delta",
  .label = "LIF, delta synapses",
  .description = "Leaky integrate-and-fire neuron whose input spikes make the "
                 "membrane potential jump (Brunel 2000, model A).",
  .params = params,
  .n_params = N_PARAMS,
  .state = state,
  .n_state = 1,
  .v_index = 0,
  .receptors = receptors,
  .receptor_units = receptor_units,
  .n_receptors = 1,
  .current_unit = "mV",
  .derived_size = sizeof (Derived),
  .derive = derive,
  .update = update,
};
