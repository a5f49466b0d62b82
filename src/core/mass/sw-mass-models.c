/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The six built-in neural-mass node models (neural-masses spec §1) and the
 * type registry.  Every right-hand side is a derivative per second.
 */
#include "config.h"

#include "sw-mass-model.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define N_ELEMENTS(a) ((int) (sizeof (a) / sizeof ((a)[0])))

/* ------------------------------------------------------------------------ */
/* Ornstein-Uhlenbeck (linear) node                                          */

enum { OU_TAU, OU_SIGMA, OU_U };

static const SwParamInfo ou_params[] = {
  { "tau", "s", 0.01, 1e-5, 100.0, "Relaxation time constant", 0 },
  { "sigma", "", 1.0, 0.0, 1e6, "Noise intensity (units of x per square root of a second)", 0 },
  { "u", "Hz", 0.0, -1e9, 1e9, "Constant input added to dx/dt (units of x per second)", 0 },
};

static const SwParamInfo ou_state[] = {
  { "x", "", 0.0, -1e12, 1e12, "Activity", 0 },
};

static void
ou_rhs (const double *p, const double *x, double u, const double *c, double *dxdt)
{
  dxdt[0] = -x[0] / p[OU_TAU] + u + c[0];
}

static double
ou_observe (const double *p, const double *x)
{
  (void) p;
  return x[0];
}

static void
ou_output (const double *p, const double *x, double *out)
{
  (void) p;
  out[0] = x[0];
}

/* Exact for a constant input over the step: the mean relaxes towards
 * tau (u + c) and the noise adds the exact variance of the increment. */
static void
ou_exact (const double *p, const double *x, double u, const double *c, double dt_s,
          const double *z, double *x_new)
{
  double tau = p[OU_TAU];
  double e = exp (-dt_s / tau);
  double drive = (u + c[0]) * tau;
  double sd = p[OU_SIGMA] * sqrt (0.5 * tau * (1.0 - e * e));
  x_new[0] = drive + (x[0] - drive) * e + sd * z[0];
}

const SwMassType sw_mass_ou_type = {
  .name = "ou",
  .label = "Ornstein–Uhlenbeck (linear) node",
  .description = "A leaky integrator driven by white noise: the simplest node, whose network "
                 "response to a pulse is known exactly.",
  .params = ou_params,
  .n_params = N_ELEMENTS (ou_params),
  .state = ou_state,
  .n_state = N_ELEMENTS (ou_state),
  .observable = "x",
  .observable_unit = "",
  .input_param = OU_U,
  .coupling = SW_MASS_COUPLING_ADDITIVE,
  .n_out = 1,
  .noise_param = OU_SIGMA,
  .noise_mask = 1u,
  .held = SW_MASS_HELD_NONE,
  .held_param = -1,
  .rhs = ou_rhs,
  .observe = ou_observe,
  .output = ou_output,
  .exact = ou_exact,
};

/* ------------------------------------------------------------------------ */
/* Stuart-Landau oscillator (supercritical Hopf normal form)                 */

enum { SL_A, SL_OMEGA, SL_BETA, SL_U };

static const SwParamInfo sl_params[] = {
  { "a", "1/s", 1.0, -1e5, 1e5, "Bifurcation parameter: < 0 damped focus, > 0 limit cycle of radius sqrt(a)", 0 },
  { "omega", "1/s", 2.0 * M_PI * 10.0, -1e6, 1e6, "Angular frequency (rad/s)", 0 },
  { "beta", "", 0.0, 0.0, 1e6, "Noise intensity on x and y (per square root of a second)", 0 },
  { "u", "Hz", 0.0, -1e9, 1e9, "Constant input added to dx/dt", 0 },
};

static const SwParamInfo sl_state[] = {
  { "x", "", 0.1, -1e12, 1e12, "Real part (the observable)", 0 },
  { "y", "", 0.0, -1e12, 1e12, "Imaginary part", 0 },
};

static void
sl_rhs (const double *p, const double *x, double u, const double *c, double *dxdt)
{
  double g = p[SL_A] - x[0] * x[0] - x[1] * x[1];
  dxdt[0] = g * x[0] - p[SL_OMEGA] * x[1] + u + c[0];
  dxdt[1] = g * x[1] + p[SL_OMEGA] * x[0] + c[1];
}

static void
sl_output (const double *p, const double *x, double *out)
{
  (void) p;
  out[0] = x[0];
  out[1] = x[1];
}

const SwMassType sw_mass_stuart_landau_type = {
  .name = "stuart_landau",
  .label = "Stuart–Landau oscillator",
  .description = "The normal form of a supercritical Hopf bifurcation: a damped focus for a < 0, "
                 "a limit cycle of radius sqrt(a) for a > 0.",
  .params = sl_params,
  .n_params = N_ELEMENTS (sl_params),
  .state = sl_state,
  .n_state = N_ELEMENTS (sl_state),
  .observable = "x",
  .observable_unit = "",
  .input_param = SL_U,
  .coupling = SW_MASS_COUPLING_DIFFUSIVE,
  .n_out = 2,
  .noise_param = SL_BETA,
  .noise_mask = 3u,
  .held = SW_MASS_HELD_NONE,
  .held_param = -1,
  .rhs = sl_rhs,
  .observe = ou_observe,
  .output = sl_output,
};

/* ------------------------------------------------------------------------ */
/* Jansen-Rit cortical column                                                */

enum { JR_A, JR_B, JR_LA, JR_LB, JR_C, JR_E0, JR_V0, JR_R, JR_P, JR_P_SPREAD };

static const SwParamInfo jr_params[] = {
  { "A", "mV", 3.25, 0.0, 100.0, "Maximum excitatory postsynaptic potential", 0 },
  { "B", "mV", 22.0, 0.0, 200.0, "Maximum inhibitory postsynaptic potential", 0 },
  { "a", "1/s", 100.0, 1.0, 1e4, "Inverse excitatory synaptic time constant", 0 },
  { "b", "1/s", 50.0, 1.0, 1e4, "Inverse inhibitory synaptic time constant", 0 },
  { "C", "", 135.0, 0.0, 1e4, "Connectivity constant (C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C)", 0 },
  { "e0", "Hz", 2.5, 0.0, 1e3, "Half the maximum firing rate of the sigmoid", 0 },
  { "v0", "mV", 6.0, -100.0, 100.0, "Sigmoid midpoint", 0 },
  { "r", "1/mV", 0.56, 1e-3, 100.0, "Sigmoid slope", 0 },
  { "p", "Hz", 220.0, -1e4, 1e4, "Mean external pulse density (input entry point)", 0 },
  { "p_spread", "Hz", 0.0, 0.0, 1e4, "Half-width of the uniform random part of p, redrawn every hold interval (100: p ~ U(120, 320))", 0 },
};

static const SwParamInfo jr_state[] = {
  { "y0", "mV", 0.0, -1e6, 1e6, "Output of the pyramidal population (PSP onto interneurons)", 0 },
  { "y1", "mV", 0.0, -1e6, 1e6, "Excitatory PSP onto pyramidal cells", 0 },
  { "y2", "mV", 0.0, -1e6, 1e6, "Inhibitory PSP onto pyramidal cells", 0 },
  { "y3", "mV/s", 0.0, -1e9, 1e9, "Derivative of y0", 0 },
  { "y4", "mV/s", 0.0, -1e9, 1e9, "Derivative of y1", 0 },
  { "y5", "mV/s", 0.0, -1e9, 1e9, "Derivative of y2", 0 },
};

static inline double
jr_sigmoid (double v_mv, double e0, double v0, double r)
{
  return 2.0 * e0 / (1.0 + exp (r * (v0 - v_mv)));
}

double
sw_mass_jr_sigmoid (double v_mv, double e0, double v0, double r)
{
  return jr_sigmoid (v_mv, e0, v0, r);
}

static void
jr_rhs (const double *p, const double *x, double u, const double *c, double *dxdt)
{
  double A = p[JR_A], B = p[JR_B], a = p[JR_LA], b = p[JR_LB], C = p[JR_C];
  double e0 = p[JR_E0], v0 = p[JR_V0], r = p[JR_R];
  double s_pyr = jr_sigmoid (x[1] - x[2], e0, v0, r);
  double s_exc = jr_sigmoid (C * x[0], e0, v0, r);
  double s_inh = jr_sigmoid (0.25 * C * x[0], e0, v0, r);
  dxdt[0] = x[3];
  dxdt[1] = x[4];
  dxdt[2] = x[5];
  dxdt[3] = A * a * s_pyr - 2.0 * a * x[3] - a * a * x[0];
  dxdt[4] = A * a * (u + 0.8 * C * s_exc + c[0]) - 2.0 * a * x[4] - a * a * x[1];
  dxdt[5] = B * b * 0.25 * C * s_inh - 2.0 * b * x[5] - b * b * x[2];
}

static double
jr_observe (const double *p, const double *x)
{
  (void) p;
  return x[1] - x[2];
}

/* Neighbours receive the pyramidal firing rate S(y1 - y2) (1/s). */
static void
jr_output (const double *p, const double *x, double *out)
{
  out[0] = jr_sigmoid (x[1] - x[2], p[JR_E0], p[JR_V0], p[JR_R]);
}

const SwMassType sw_mass_jansen_rit_type = {
  .name = "jansen_rit",
  .label = "Jansen–Rit cortical column",
  .description = "Pyramidal cells with excitatory and inhibitory interneurons and second-order "
                 "synapses; produces alpha rhythms and spike-like discharges.",
  .params = jr_params,
  .n_params = N_ELEMENTS (jr_params),
  .state = jr_state,
  .n_state = N_ELEMENTS (jr_state),
  .observable = "y1 - y2",
  .observable_unit = "mV",
  .input_param = JR_P,
  .coupling = SW_MASS_COUPLING_ADDITIVE,
  .n_out = 1,
  .noise_param = -1,
  .noise_mask = 0,
  .held = SW_MASS_HELD_UNIFORM,
  .held_param = JR_P_SPREAD,
  .rhs = jr_rhs,
  .observe = jr_observe,
  .output = jr_output,
};

/* ------------------------------------------------------------------------ */
/* Montbrio-Pazo-Roxin (exact mean field of quadratic integrate-and-fire)    */

enum { MPR_TAU, MPR_DELTA, MPR_J, MPR_ETA, MPR_I, MPR_I_SD, MPR_SIGMA };

static const SwParamInfo mpr_params[] = {
  { "tau", "s", 0.01, 1e-5, 100.0, "Membrane time constant", 0 },
  { "Delta", "", 1.0, 0.0, 100.0, "Half-width of the Lorentzian distribution of excitabilities", 0 },
  { "J", "", 15.0, -1e3, 1e3, "Recurrent synaptic weight", 0 },
  { "eta", "", -5.0, -1e3, 1e3, "Centre of the distribution of excitabilities", 0 },
  { "I", "", 0.0, -1e4, 1e4, "External current (input entry point)", 0 },
  { "I_sd", "", 0.0, 0.0, 1e4, "Standard deviation of a Gaussian current redrawn every hold interval", 0 },
  { "sigma", "", 0.0, 0.0, 1e4, "White noise on v (per square root of a second)", 0 },
};

static const SwParamInfo mpr_state[] = {
  { "r", "Hz", 0.0, 0.0, 1e9, "Population firing rate", 0 },
  { "v", "", -2.0, -1e9, 1e9, "Mean membrane variable", 0 },
};

static const double mpr_clip[] = { 0.0, -INFINITY };

static void
mpr_rhs (const double *p, const double *x, double u, const double *c, double *dxdt)
{
  double tau = p[MPR_TAU], r = x[0], v = x[1];
  double pr = M_PI * tau * r;
  dxdt[0] = (p[MPR_DELTA] / (M_PI * tau) + 2.0 * r * v) / tau;
  dxdt[1] = (v * v + p[MPR_ETA] + p[MPR_J] * tau * r - pr * pr + u + c[0]) / tau;
}

static void
mpr_output (const double *p, const double *x, double *out)
{
  (void) p;
  out[0] = x[0];
}

const SwMassType sw_mass_mpr_type = {
  .name = "mpr",
  .label = "Montbrió–Pazó–Roxin mean field",
  .description = "The exact firing-rate equations of a population of quadratic integrate-and-fire "
                 "neurons; bistable between a low and a high activity state.",
  .params = mpr_params,
  .n_params = N_ELEMENTS (mpr_params),
  .state = mpr_state,
  .n_state = N_ELEMENTS (mpr_state),
  .observable = "r",
  .observable_unit = "Hz",
  .input_param = MPR_I,
  .coupling = SW_MASS_COUPLING_ADDITIVE,
  .n_out = 1,
  .noise_param = MPR_SIGMA,
  .noise_mask = 2u,
  .held = SW_MASS_HELD_NORMAL,
  .held_param = MPR_I_SD,
  .clip_min = mpr_clip,
  .rhs = mpr_rhs,
  .observe = ou_observe,
  .output = mpr_output,
};

/* ------------------------------------------------------------------------ */
/* FitzHugh-Nagumo                                                           */

enum { FHN_A, FHN_B, FHN_TAU, FHN_I, FHN_SIGMA, FHN_T0 };

static const SwParamInfo fhn_params[] = {
  { "a", "", 0.7, -10.0, 10.0, "Offset of the recovery nullcline", 0 },
  { "b", "", 0.8, 0.0, 10.0, "Slope of the recovery nullcline", 0 },
  { "tau", "", 12.5, 1e-3, 1e4, "Recovery time constant (model time units)", 0 },
  { "I", "", 0.0, -100.0, 100.0, "External current (input entry point)", 0 },
  { "sigma", "", 0.0, 0.0, 1e4, "White noise on v (per square root of a second)", 0 },
  { "T0", "s", 0.001, 1e-6, 100.0, "Duration of one model time unit", 0 },
};

static const SwParamInfo fhn_state[] = {
  { "v", "", -1.2, -1e6, 1e6, "Fast (membrane-like) variable", 0 },
  { "w", "", -0.6, -1e6, 1e6, "Slow recovery variable", 0 },
};

static void
fhn_rhs (const double *p, const double *x, double u, const double *c, double *dxdt)
{
  double k = 1.0 / p[FHN_T0], v = x[0], w = x[1];
  dxdt[0] = k * (v - v * v * v / 3.0 - w + u + c[0]);
  dxdt[1] = k * (v + p[FHN_A] - p[FHN_B] * w) / p[FHN_TAU];
}

const SwMassType sw_mass_fitzhugh_nagumo_type = {
  .name = "fitzhugh_nagumo",
  .label = "FitzHugh–Nagumo",
  .description = "A two-variable caricature of an excitable membrane: a cubic fast variable and a "
                 "linear slow recovery.",
  .params = fhn_params,
  .n_params = N_ELEMENTS (fhn_params),
  .state = fhn_state,
  .n_state = N_ELEMENTS (fhn_state),
  .observable = "v",
  .observable_unit = "",
  .input_param = FHN_I,
  .coupling = SW_MASS_COUPLING_DIFFUSIVE,
  .n_out = 1,
  .noise_param = FHN_SIGMA,
  .noise_mask = 1u,
  .held = SW_MASS_HELD_NONE,
  .held_param = -1,
  .rhs = fhn_rhs,
  .observe = ou_observe,
  .output = mpr_output,
};

/* ------------------------------------------------------------------------ */
/* Wilson-Cowan E-I populations                                              */

enum
{
  WC_C1, WC_C2, WC_C3, WC_C4, WC_AE, WC_THE, WC_AI, WC_THI, WC_RE, WC_RI,
  WC_P, WC_Q, WC_TAUE, WC_TAUI, WC_SHIFTED, WC_SIGMA
};

static const SwParamInfo wc_params[] = {
  { "c1", "", 16.0, 0.0, 1e3, "E to E coupling", 0 },
  { "c2", "", 12.0, 0.0, 1e3, "I to E coupling", 0 },
  { "c3", "", 15.0, 0.0, 1e3, "E to I coupling", 0 },
  { "c4", "", 3.0, 0.0, 1e3, "I to I coupling", 0 },
  { "a_e", "", 1.3, 1e-3, 100.0, "Slope of the excitatory sigmoid", 0 },
  { "th_e", "", 4.0, -100.0, 100.0, "Threshold of the excitatory sigmoid", 0 },
  { "a_i", "", 2.0, 1e-3, 100.0, "Slope of the inhibitory sigmoid", 0 },
  { "th_i", "", 3.7, -100.0, 100.0, "Threshold of the inhibitory sigmoid", 0 },
  { "r_e", "", 1.0, 0.0, 100.0, "Excitatory refractory factor", 0 },
  { "r_i", "", 1.0, 0.0, 100.0, "Inhibitory refractory factor", 0 },
  { "P", "", 1.25, -100.0, 100.0, "External drive onto E (input entry point)", 0 },
  { "Q", "", 0.0, -100.0, 100.0, "External drive onto I", 0 },
  { "tau_e", "s", 0.01, 1e-5, 100.0, "Excitatory time constant", 0 },
  { "tau_i", "s", 0.01, 1e-5, 100.0, "Inhibitory time constant", 0 },
  { "shifted", "", 1.0, 0.0, 1.0, "1: sigmoids shifted to S(0) = 0 with k = 1 - S(-inf) (1972 form); 0: plain logistic, k = 1", SW_PARAM_INTEGER },
  { "sigma", "", 0.0, 0.0, 1e4, "White noise on E (per square root of a second)", 0 },
};

static const SwParamInfo wc_state[] = {
  { "E", "", 0.1, -1e6, 1e6, "Fraction of active excitatory cells", 0 },
  { "I", "", 0.05, -1e6, 1e6, "Fraction of active inhibitory cells", 0 },
};

static void
wc_rhs (const double *p, const double *x, double u, const double *c, double *dxdt)
{
  double E = x[0], I = x[1];
  double ze = p[WC_C1] * E - p[WC_C2] * I + u + c[0];
  double zi = p[WC_C3] * E - p[WC_C4] * I + p[WC_Q];
  double se = 1.0 / (1.0 + exp (-p[WC_AE] * (ze - p[WC_THE])));
  double si = 1.0 / (1.0 + exp (-p[WC_AI] * (zi - p[WC_THI])));
  double ke = 1.0, ki = 1.0;
  if (p[WC_SHIFTED] > 0.5)
    {
      double s0e = 1.0 / (1.0 + exp (p[WC_AE] * p[WC_THE]));
      double s0i = 1.0 / (1.0 + exp (p[WC_AI] * p[WC_THI]));
      se -= s0e;
      si -= s0i;
      ke = 1.0 - s0e;
      ki = 1.0 - s0i;
    }
  dxdt[0] = (-E + (ke - p[WC_RE] * E) * se) / p[WC_TAUE];
  dxdt[1] = (-I + (ki - p[WC_RI] * I) * si) / p[WC_TAUI];
}

const SwMassType sw_mass_wilson_cowan_type = {
  .name = "wilson_cowan",
  .label = "Wilson–Cowan E–I populations",
  .description = "Coupled excitatory and inhibitory rate populations with sigmoid responses; "
                 "oscillates when inhibition lags excitation.",
  .params = wc_params,
  .n_params = N_ELEMENTS (wc_params),
  .state = wc_state,
  .n_state = N_ELEMENTS (wc_state),
  .observable = "E",
  .observable_unit = "",
  .input_param = WC_P,
  .coupling = SW_MASS_COUPLING_ADDITIVE,
  .n_out = 1,
  .noise_param = WC_SIGMA,
  .noise_mask = 1u,
  .held = SW_MASS_HELD_NONE,
  .held_param = -1,
  .rhs = wc_rhs,
  .observe = ou_observe,
  .output = mpr_output,
};

/* ------------------------------------------------------------------------ */
/* Registry                                                                  */

static const SwMassType *const mass_types[] = {
  &sw_mass_ou_type,
  &sw_mass_stuart_landau_type,
  &sw_mass_jansen_rit_type,
  &sw_mass_mpr_type,
  &sw_mass_fitzhugh_nagumo_type,
  &sw_mass_wilson_cowan_type,
  NULL,
};

const SwMassType *const *
sw_mass_type_list (void)
{
  return mass_types;
}

const SwMassType *
sw_mass_type_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (int i = 0; mass_types[i] != NULL; i++)
    if (strcmp (mass_types[i]->name, name) == 0)
      return mass_types[i];
  return NULL;
}

void
sw_mass_type_defaults (const SwMassType *type, double *params)
{
  for (int k = 0; k < type->n_params; k++)
    params[k] = type->params[k].default_value;
}

int
sw_mass_type_param (const SwMassType *type, const char *name)
{
  return sw_param_find (type->params, type->n_params, name);
}

int
sw_mass_type_state (const SwMassType *type, const char *name)
{
  return sw_param_find (type->state, type->n_state, name);
}
