/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Diffusion theory of the leaky integrate-and-fire neuron (Siegert 1951;
 * Amit & Brunel 1997; Brunel 2000): the stationary rate for white-noise input
 * of mean mu and standard deviation sigma, and the self-consistent rate of
 * Brunel's model A network (async-states spec §6).
 */
#pragma once

/* exp(x^2) erfc(x), accurate for all x (no overflow for large x). */
double sw_erfcx (double x);

/* Stationary firing rate (Hz) of an LIF neuron, tau_m dV/dt = -V + mu +
 * sigma sqrt(tau_m) xi, threshold @theta, reset @v_reset, refractory @t_ref
 * (ms, mV): 1/nu = t_ref + tau sqrt(pi) * integral over
 * [(v_reset - mu)/sigma, (theta - mu)/sigma] of exp(u^2)(1 + erf u) du. */
double sw_lif_rate (double mu, double sigma, double tau_m, double theta, double v_reset,
                    double t_ref);

/* Self-consistent rate (Hz) of Brunel's model A: C_E excitatory inputs of
 * weight J (mV), gamma C_E inhibitory of weight -g J, external Poisson rate
 * nu_ext (Hz per synapse, C_E synapses).  Returns the highest fixed point
 * below 1/t_ref found by a scan plus bisection, or NAN if none. */
double sw_brunel_rate (double g, double nu_ext_hz, double J, int C_E, double gamma, double tau_m,
                       double theta, double v_reset, double t_ref);
