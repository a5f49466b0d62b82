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
#include "sw-neuron-type.h"

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

static void
update (SwNeuronUpdate *u)
{
  const double *p = u->params;
  const Derived *d = u->derived;
  const double decay = d->decay, v_th = p[P_V_TH], v_reset = p[P_V_RESET];
  const double v_rest = p[P_E_L] + p[P_I_E];
  double *restrict vv = u->state[0];
  int32_t *restrict refr = u->refractory;
  const double *restrict in = u->input[0];
  const double *restrict cur = u->current;
  int ns = 0, bad = -1;

  for (int i = u->begin; i < u->end; i++)
    {
      if (refr[i] > 0)
        {
          refr[i]--;
          continue;
        }
      double v_inf = v_rest + (cur != NULL ? cur[i] : 0.0);
      double v = v_inf + (vv[i] - v_inf) * decay + in[i];
      if (v >= v_th)
        {
          v = v_reset;
          refr[i] = d->refractory_steps;
          u->spikes[ns++] = i;
        }
      if (bad < 0 && !isfinite (v))
        bad = i;
      vv[i] = v;
    }
  u->n_spikes = ns;
  u->first_bad = bad;
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
