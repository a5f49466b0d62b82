/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Diffusion-approximation rates of the LIF neuron (see sw-siegert.h).
 */
#include "sw-siegert.h"

#include <math.h>

double
sw_erfcx (double x)
{
  if (x < 25.0)
    {
      if (x < -26.0)
        return INFINITY;
      return exp (x * x) * erfc (x);
    }
  /* Asymptotic series: 1/(x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6)). */
  double y = 1.0 / (2.0 * x * x);
  return (1.0 / (x * sqrt (M_PI))) * (1.0 - y + 3.0 * y * y - 15.0 * y * y * y);
}

/* exp(u^2) (1 + erf u) = erfcx(-u). */
static double
integrand (double u)
{
  return sw_erfcx (-u);
}

double
sw_lif_rate (double mu, double sigma, double tau_m, double theta, double v_reset, double t_ref)
{
  if (!(sigma > 0.0) || !(tau_m > 0.0))
    return NAN;
  double a = (v_reset - mu) / sigma, b = (theta - mu) / sigma;
  /* Composite Simpson on a grid fine enough for the integrand's growth
   * (it behaves like 2 exp(u^2) for large u). */
  int n = 2000;
  double h = (b - a) / n, sum = integrand (a) + integrand (b);
  for (int k = 1; k < n; k++)
    sum += integrand (a + k * h) * (k % 2 ? 4.0 : 2.0);
  double integral = sum * h / 3.0;
  double inv = t_ref + tau_m * sqrt (M_PI) * integral;   /* ms */
  return 1000.0 / inv;
}

static double
brunel_gap (double nu, double g, double nu_ext, double J, int C_E, double gamma, double tau_m,
            double theta, double v_reset, double t_ref)
{
  double tau_s = tau_m * 1e-3;
  double mu = C_E * J * tau_s * (nu_ext + nu * (1.0 - g * gamma));
  double sigma = sqrt (J * J * C_E * tau_s * (nu_ext + nu * (1.0 + g * g * gamma)));
  return sw_lif_rate (mu, sigma, tau_m, theta, v_reset, t_ref) - nu;
}

double
sw_brunel_rate (double g, double nu_ext, double J, int C_E, double gamma, double tau_m, double theta,
                double v_reset, double t_ref)
{
  double nu_max = t_ref > 0 ? 1000.0 / t_ref : 1000.0;
  double best = NAN;
  int n = 4000;
  double prev_nu = 1e-3;
  double prev = brunel_gap (prev_nu, g, nu_ext, J, C_E, gamma, tau_m, theta, v_reset, t_ref);
  for (int k = 1; k <= n; k++)
    {
      double nu = 1e-3 + (nu_max - 1e-3) * k / n * 0.999;
      double f = brunel_gap (nu, g, nu_ext, J, C_E, gamma, tau_m, theta, v_reset, t_ref);
      if (isfinite (prev) && isfinite (f) && (prev > 0) != (f > 0))
        {
          double lo = prev_nu, hi = nu, flo = prev;
          for (int it = 0; it < 80; it++)
            {
              double mid = 0.5 * (lo + hi);
              double fm = brunel_gap (mid, g, nu_ext, J, C_E, gamma, tau_m, theta, v_reset, t_ref);
              if ((fm > 0) == (flo > 0))
                {
                  lo = mid;
                  flo = fm;
                }
              else
                hi = mid;
            }
          best = 0.5 * (lo + hi);
        }
      prev = f;
      prev_nu = nu;
    }
  return best;
}
