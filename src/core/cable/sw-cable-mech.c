/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Membrane mechanisms of the cable engine: the classic Hodgkin-Huxley
 * channels, the reduced set of the biophysical reservoir (Na, K, Km, CaL,
 * CaT, leak) and the HNN set (hh2, ca, cad, kca, km, cat, ar).
 *
 * Every function works on a row of entries: one block of a mechanism, its
 * nodes and the cells of a group side by side (or a single node of one
 * cell at initialisation).  Gates advance with
 * the exact step for frozen V (exponential Euler).  Currents are ohmic in V
 * for fixed gates, so their slope is the open conductance; the one current
 * with an instantaneous voltage-dependent gate (the reduced CaT, s∞(V)²)
 * takes its slope from a finite difference over 0.001 mV, as the solver's
 * linearisation prescribes.  hh and hh2 interpolate x∞ and τ in 1-mV
 * tables by default, as the reference simulator does (parameter
 * "usetable").  The other V-dependent gates read x∞ and exp(-dt/τ) from
 * fine tables built per simulation (see sw_cable_table_new()), or evaluate
 * the rates directly when the simulation asks for exact rates; HNN's own
 * coarser tables for ca, km, cat and ar are not reproduced.
 */
#include "sw-cable-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FD_DV 0.001

/* u / (e^u - 1), with its limit near 0. */
static inline double
xe (double u)
{
  if (fabs (u) < 1e-6)
    return 1.0 - u / 2.0;
  return u / (exp (u) - 1.0);
}

/* The reduced set's exponential: the reference clips every argument at 20. */
static inline double
clip_exp (double u)
{
  return exp (u < 20.0 ? u : 20.0);
}

static inline double
xe_clip (double u)
{
  if (fabs (u) < 1e-6)
    return 1.0 - u / 2.0;
  return u / (clip_exp (u) - 1.0);
}

static inline void
relax (double *x, double inf, double tau, double dt)
{
  *x = inf + (*x - inf) * exp (-dt / tau);
}

#define P(k) (r->p[(size_t) (k) * r->ps + c])
#define S(k) (r->s[(size_t) (k) * r->ss + c])

/* A pair of doubles, for the two columns of a gate evaluated side by side
 * (each lane rounds as the scalar expression would). */
typedef double SwPair __attribute__ ((vector_size (16)));

static inline SwPair
pair_load (const double *p)
{
  SwPair x;
  memcpy (&x, p, sizeof x);
  return x;
}

/* Gates 0 .. @ng - 1 of entry @c from the table row @a at fraction @f. */
static inline void
gates_from_row (SwCableMechRow *r, int c, const double *a, double f, int ng)
{
  SwPair ff = { f, f };
  for (int k = 0; k < ng; k++)
    {
      const double *q = a + 8 * k;
      SwPair y = pair_load (q) + ff * (pair_load (q + 2) + ff * (pair_load (q + 4) + ff * pair_load (q + 6)));
      double inf = y[0], dec = y[1];
      S (k) = inf + (S (k) - inf) * dec;
    }
}

/* Advances gates 0 .. @ng - 1 from the row's rate table. */
static inline void
table_advance (SwCableMechRow *r, int ng)
{
  const SwCableTable *t = r->tab;
  if (r->fine_i != NULL)
    for (int c = 0; c < r->n; c++)
      gates_from_row (r, c, t->d + (size_t) r->fine_i[c] * t->stride, r->fine_f[c], ng);
  else
    for (int c = 0; c < r->n; c++)
      {
        double f;
        const double *a = sw_cable_table_at (t, r->v[c], &f);
        gates_from_row (r, c, a, f, ng);
      }
}

#define TABLE_ADVANCE(r, ng)                                                    \
  do                                                                            \
    {                                                                           \
      if ((r)->tab != NULL)                                                     \
        {                                                                       \
          table_advance ((r), (ng));                                            \
          return;                                                               \
        }                                                                       \
    }                                                                           \
  while (0)

/* Parameter tables ------------------------------------------------------ */

#define DENS(name, def, desc) { name, "S/cm^2", def, 0.0, 1.0, desc, 0 }
#define PSUM2(name, def, desc) { name, "pS/um^2", def, 0.0, 1e5, desc, 0 }
#define REV(name, def, desc) { name, "mV", def, -200.0, 200.0, desc, 0 }
#define GATE(name, desc) { name, "", 0.0, 0.0, 1.0, desc, 0 }

/* Gates whose rates depend on V alone ----------------------------------- */

/* x∞ and τ of a mechanism's gates at @v. */
typedef void (*SwVRates) (double v, double *inf, double *tau);

/* Gates 0 .. @ng - 1 at their steady state. */
static inline void
vrates_init (SwCableMechRow *r, SwVRates rates, int ng)
{
  for (int c = 0; c < r->n; c++)
    {
      double inf[4], tau[4];
      rates (r->v[c], inf, tau);
      for (int k = 0; k < ng; k++)
        S (k) = inf[k];
    }
}

/* Gates 0 .. @ng - 1 one step on (from the row's table when it has one). */
static inline void
vrates_advance (SwCableMechRow *r, SwVRates rates, int ng)
{
  TABLE_ADVANCE (r, ng);
  for (int c = 0; c < r->n; c++)
    {
      double inf[4], tau[4];
      rates (r->v[c], inf, tau);
      for (int k = 0; k < ng; k++)
        relax (&S (k), inf[k], tau[k], r->dt);
    }
}

/* The advance, steady-state and table functions of mechanism @pre, whose
 * @ng gates follow @pre##_rates. */
#define DEFINE_VRATES_GATES(pre, ng)                                            \
  static void                                                                   \
  pre##_advance (SwCableMechRow *r)                                             \
  {                                                                             \
    vrates_advance (r, pre##_rates, (ng));                                      \
  }                                                                             \
                                                                                \
  static bool                                                                   \
  pre##_steady (int k, double v, double celsius, double cai, SwCableCatTau ct,  \
                double *x, double *tau)                                         \
  {                                                                             \
    (void) celsius, (void) cai, (void) ct;                                      \
    if (k < 0 || k >= (ng))                                                     \
      return false;                                                             \
    double inf[4], t[4];                                                        \
    pre##_rates (v, inf, t);                                                    \
    *x = inf[k];                                                                \
    *tau = t[k];                                                                \
    return true;                                                                \
  }                                                                             \
                                                                                \
  static void                                                                   \
  pre##_gates (double v, double dep, double celsius, SwCableCatTau ct,          \
               double *inf, double *tau)                                        \
  {                                                                             \
    (void) dep, (void) celsius, (void) ct;                                      \
    pre##_rates (v, inf, tau);                                                  \
  }

/* g = gbar x0² x1 (parameters gbar, e). */
static void
square_current (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double x = S (0);
      double g = P (0) * x * x * S (1);
      r->i[c] += g * (r->v[c] - P (1));
      r->g[c] += g;
    }
}

/* ======================= classic HH and HNN hh2 ======================= */

static const SwParamInfo hh_params[] = {
  DENS ("gnabar", 0.12, "maximal sodium conductance"),
  DENS ("gkbar", 0.036, "maximal potassium conductance"),
  DENS ("gl", 0.0003, "leak conductance"),
  REV ("el", -54.3, "leak reversal potential"),
  REV ("ena", 50.0, "sodium reversal potential"),
  REV ("ek", -77.0, "potassium reversal potential"),
  { "usetable", "", 1.0, 0.0, 1.0, "1: rates interpolated in 1-mV tables as NEURON's hh; 0: exact", SW_PARAM_INTEGER },
};
static const SwParamInfo hh_states[] = {
  GATE ("m", "sodium activation"),
  GATE ("h", "sodium inactivation"),
  GATE ("n", "potassium activation"),
};

static void
hh_rates (double v, double phi, double inf[3], double tau[3])
{
  double am = 0.1 * 10.0 * xe (-(v + 40.0) / 10.0), bm = 4.0 * exp (-(v + 65.0) / 18.0);
  double ah = 0.07 * exp (-(v + 65.0) / 20.0), bh = 1.0 / (1.0 + exp (-(v + 35.0) / 10.0));
  double an = 0.01 * 10.0 * xe (-(v + 55.0) / 10.0), bn = 0.125 * exp (-(v + 65.0) / 80.0);
  tau[0] = 1.0 / (phi * (am + bm));
  inf[0] = am / (am + bm);
  tau[1] = 1.0 / (phi * (ah + bh));
  inf[1] = ah / (ah + bh);
  tau[2] = 1.0 / (phi * (an + bn));
  inf[2] = an / (an + bn);
}

/* NEURON's hh interpolates x∞ and τ linearly in 1-mV tables over
 * [-100, 100] mV (its default usetable); the "usetable" parameter does the
 * same here, so that spike times agree with it to a fraction of a step. */
static void
hh_rates_table (double v, double phi, double inf[3], double tau[3])
{
  if (!(v > -100.0 && v < 100.0))
    {
      hh_rates (v < -100.0 ? -100.0 : (v > 100.0 ? 100.0 : v), phi, inf, tau);
      return;
    }
  double x = v + 100.0;
  double i0 = floor (x), f = x - i0;
  double inf0[3], tau0[3], inf1[3], tau1[3];
  hh_rates (i0 - 100.0, phi, inf0, tau0);
  hh_rates (i0 - 99.0, phi, inf1, tau1);
  for (int k = 0; k < 3; k++)
    {
      inf[k] = inf0[k] + f * (inf1[k] - inf0[k]);
      tau[k] = tau0[k] + f * (tau1[k] - tau0[k]);
    }
}

static double
hh_phi (double celsius)
{
  return pow (3.0, (celsius - 6.3) / 10.0);
}

/* HNN's hh2 runs its rates at φ = 3^((celsius - 6.3 - 30.7)/10), 1 at 37 °C. */
static double
hh2_phi (double celsius)
{
  return pow (3.0, (celsius - 37.0) / 10.0);
}

static void
hh_init_phi (SwCableMechRow *r, double phi)
{
  for (int c = 0; c < r->n; c++)
    {
      double inf[3], tau[3];
      if (P (6) != 0)
        hh_rates_table (r->v[c], phi, inf, tau);
      else
        hh_rates (r->v[c], phi, inf, tau);
      for (int k = 0; k < 3; k++)
        S (k) = inf[k];
    }
}

static void
hh_advance_phi (SwCableMechRow *r, double phi)
{
  if (r->tab != NULL)
    {
      /* NEURON's table: x∞ and τ interpolated, then the exact step. */
      const SwCableTable *t = r->tab;
      for (int c = 0; c < r->n; c++)
        {
          double f;
          const double *a = sw_cable_table_at_linear (t, r->v[c], &f);
          const double *b = a + t->cols;
          for (int k = 0; k < 3; k++)
            relax (&S (k), a[2 * k] + f * (b[2 * k] - a[2 * k]),
                   a[2 * k + 1] + f * (b[2 * k + 1] - a[2 * k + 1]), r->dt);
        }
      return;
    }
  for (int c = 0; c < r->n; c++)
    {
      double inf[3], tau[3];
      if (P (6) != 0)
        hh_rates_table (r->v[c], phi, inf, tau);
      else
        hh_rates (r->v[c], phi, inf, tau);
      for (int k = 0; k < 3; k++)
        relax (&S (k), inf[k], tau[k], r->dt);
    }
}

static void
hh_init (SwCableMechRow *r)
{
  hh_init_phi (r, hh_phi (r->celsius));
}

static void
hh2_init (SwCableMechRow *r)
{
  hh_init_phi (r, hh2_phi (r->celsius));
}

static void
hh_advance (SwCableMechRow *r)
{
  hh_advance_phi (r, hh_phi (r->celsius));
}

static void
hh2_advance (SwCableMechRow *r)
{
  hh_advance_phi (r, hh2_phi (r->celsius));
}

static void
hh_current (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double m = S (0), h = S (1), n = S (2), v = r->v[c];
      double gna = P (0) * m * m * m * h, gk = P (1) * n * n * n * n, gl = P (2);
      r->i[c] += gna * (v - P (4)) + gk * (v - P (5)) + gl * (v - P (3));
      r->g[c] += gna + gk + gl;
    }
}

static bool
hh_steady_phi (int k, double v, double phi, double *x_inf, double *tau)
{
  if (k < 0 || k > 2)
    return false;
  double inf[3], t[3];
  hh_rates (v, phi, inf, t);
  *x_inf = inf[k];
  *tau = t[k];
  return true;
}

static bool
hh_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) cai;
  (void) ct;
  return hh_steady_phi (k, v, hh_phi (celsius), x, tau);
}

static bool
hh2_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) cai;
  (void) ct;
  return hh_steady_phi (k, v, hh2_phi (celsius), x, tau);
}

static void
hh_gates (double v, double dep, double celsius, SwCableCatTau ct, double *inf, double *tau)
{
  (void) dep, (void) ct;
  hh_rates (v, hh_phi (celsius), inf, tau);
}

static void
hh2_gates (double v, double dep, double celsius, SwCableCatTau ct, double *inf, double *tau)
{
  (void) dep, (void) ct;
  hh_rates (v, hh2_phi (celsius), inf, tau);
}

static const struct SwCableMechOps hh_ops = { hh_init, hh_current, hh_advance, hh_steady, false, false, 3, 6, hh_gates, true };
static const struct SwCableMechOps hh2_ops = { hh2_init, hh_current, hh2_advance, hh2_steady, false, false, 3, 6, hh2_gates, true };

static const SwCableMechType hh_type = {
  "hh", "Hodgkin-Huxley (squid axon)",
  "Sodium, potassium and leak currents of the squid giant axon; rates scale by 3^((T-6.3)/10).",
  hh_params, 7, hh_states, 3, 0, &hh_ops,
};

static const SwParamInfo hh2_params[] = {
  DENS ("gnabar", 0.12, "maximal sodium conductance"),
  DENS ("gkbar", 0.036, "maximal potassium conductance"),
  DENS ("gl", 0.0003, "leak conductance"),
  REV ("el", -54.3, "leak reversal potential"),
  REV ("ena", 50.0, "sodium reversal potential"),
  REV ("ek", -77.0, "potassium reversal potential"),
  { "usetable", "", 1.0, 0.0, 1.0, "1: rates interpolated in 1-mV tables as HNN's hh2; 0: exact", SW_PARAM_INTEGER },
};

static const SwCableMechType hh2_type = {
  "hh2", "HNN sodium, potassium and leak",
  "Hodgkin-Huxley kinetics as used by HNN cells, run at 37 °C with temperature factor 1.",
  hh2_params, 7, hh_states, 3, 0, &hh2_ops,
};

/* ============================= leaks ============================= */

static const SwParamInfo leak_params[] = {
  DENS ("g", 1e-4, "leak conductance"),
  REV ("e", -70.0, "leak reversal potential"),
};
static const SwParamInfo pas_params[] = {
  DENS ("g", 0.001, "passive conductance"),
  REV ("e", -70.0, "passive reversal potential"),
};

static void
none_init (SwCableMechRow *r)
{
  (void) r;
}

static void
leak_current (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      r->i[c] += P (0) * (r->v[c] - P (1));
      r->g[c] += P (0);
    }
}

static bool
no_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) k, (void) v, (void) celsius, (void) cai, (void) ct, (void) x, (void) tau;
  return false;
}

static const struct SwCableMechOps leak_ops = { none_init, leak_current, none_init, no_steady, false, false };

static const SwCableMechType leak_type = {
  "leak", "Leak (reduced set)", "A constant conductance with its reversal potential (-70 mV).",
  leak_params, 2, NULL, 0, 0, &leak_ops,
};
static const SwCableMechType pas_type = {
  "pas", "Passive membrane", "A constant conductance with its reversal potential.",
  pas_params, 2, NULL, 0, 0, &leak_ops,
};

/* ===================== reduced (BRC) set ===================== */

/* Na: Traub-Miles kinetics around vt. */
static const SwParamInfo na_params[] = {
  DENS ("gbar", 0.05, "maximal sodium conductance"),
  REV ("ena", 50.0, "sodium reversal potential"),
  REV ("vt", -60.0, "voltage offset of the rates"),
};
static const SwParamInfo na_states[] = {
  GATE ("m", "activation"),
  GATE ("h", "inactivation"),
};

static void
na_rates (double v, double vt, double inf[2], double tau[2])
{
  double u = v - vt;
  double am = 1.28 * xe_clip (-(u - 13.0) / 4.0), bm = 1.4 * xe_clip ((u - 40.0) / 5.0);
  double ah = 0.128 * clip_exp (-(u - 17.0) / 18.0), bh = 4.0 / (1.0 + clip_exp (-(u - 40.0) / 5.0));
  tau[0] = 1.0 / (am + bm);
  inf[0] = am * tau[0];
  tau[1] = 1.0 / (ah + bh);
  inf[1] = ah * tau[1];
}

static void
na_init (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double inf[2], tau[2];
      na_rates (r->v[c], P (2), inf, tau);
      S (0) = inf[0];
      S (1) = inf[1];
    }
}

static void
na_advance (SwCableMechRow *r)
{
  TABLE_ADVANCE (r, 2);
  for (int c = 0; c < r->n; c++)
    {
      double inf[2], tau[2];
      na_rates (r->v[c], P (2), inf, tau);
      relax (&S (0), inf[0], tau[0], r->dt);
      relax (&S (1), inf[1], tau[1], r->dt);
    }
}

static void
na_current (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double m = S (0);
      double g = P (0) * m * m * m * S (1);
      r->i[c] += g * (r->v[c] - P (1));
      r->g[c] += g;
    }
}

static bool
na_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) celsius, (void) cai, (void) ct;
  if (k < 0 || k > 1)
    return false;
  double inf[2], t[2];
  na_rates (v, -60.0, inf, t);
  *x = inf[k];
  *tau = t[k];
  return true;
}

static void
na_gates (double v, double vt, double celsius, SwCableCatTau ct, double *inf, double *tau)
{
  (void) celsius, (void) ct;
  na_rates (v, vt, inf, tau);
}

static const struct SwCableMechOps na_ops = { na_init, na_current, na_advance, na_steady, false, false, 2, 2, na_gates, false };
static const SwCableMechType na_type = {
  "na", "Na (reduced set)", "Fast sodium current of the reduced pyramidal cell (m³h).",
  na_params, 3, na_states, 2, 0, &na_ops,
};

/* K: delayed rectifier. */
static const SwParamInfo k_params[] = {
  DENS ("gbar", 0.005, "maximal potassium conductance"),
  REV ("ek", -90.0, "potassium reversal potential"),
  REV ("vt", -60.0, "voltage offset of the rates"),
};
static const SwParamInfo k_states[] = { GATE ("n", "activation") };

static void
k_rates (double v, double vt, double *inf, double *tau)
{
  double u = v - vt;
  double an = 0.16 * xe_clip (-(u - 15.0) / 5.0), bn = 0.5 * clip_exp (-(u - 10.0) / 40.0);
  *tau = 1.0 / (an + bn);
  *inf = an * *tau;
}

static void
k_init (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double inf, tau;
      k_rates (r->v[c], P (2), &inf, &tau);
      S (0) = inf;
    }
}

static void
k_advance (SwCableMechRow *r)
{
  TABLE_ADVANCE (r, 1);
  for (int c = 0; c < r->n; c++)
    {
      double inf, tau;
      k_rates (r->v[c], P (2), &inf, &tau);
      relax (&S (0), inf, tau, r->dt);
    }
}

static void
k_current (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double n = S (0);
      double g = P (0) * n * n * n * n;
      r->i[c] += g * (r->v[c] - P (1));
      r->g[c] += g;
    }
}

static bool
k_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) celsius, (void) cai, (void) ct;
  if (k != 0)
    return false;
  k_rates (v, -60.0, x, tau);
  return true;
}

static void
k_gates (double v, double vt, double celsius, SwCableCatTau ct, double *inf, double *tau)
{
  (void) celsius, (void) ct;
  k_rates (v, vt, inf, tau);
}

static const struct SwCableMechOps k_ops = { k_init, k_current, k_advance, k_steady, false, false, 1, 2, k_gates, false };
static const SwCableMechType k_type = {
  "k", "K delayed rectifier (reduced set)", "Delayed-rectifier potassium current (n⁴).",
  k_params, 3, k_states, 1, 0, &k_ops,
};

/* Km: slow, non-inactivating potassium. */
static const SwParamInfo km_params[] = {
  DENS ("gbar", 4e-6, "maximal slow potassium conductance"),
  REV ("ek", -90.0, "potassium reversal potential"),
};
static const SwParamInfo km_states[] = { GATE ("p", "activation") };

static void
km_rates (double v, double *inf, double *tau)
{
  *inf = 1.0 / (1.0 + clip_exp (-(v + 35.0) / 10.0));
  *tau = 4000.0 / (3.3 * clip_exp ((v + 35.0) / 20.0) + clip_exp (-(v + 35.0) / 20.0));
}

static void
km_init (SwCableMechRow *r)
{
  vrates_init (r, km_rates, 1);
}

DEFINE_VRATES_GATES (km, 1)

static void
linear1_current (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double g = P (0) * S (0);
      r->i[c] += g * (r->v[c] - P (1));
      r->g[c] += g;
    }
}

static const struct SwCableMechOps km_ops = { km_init, linear1_current, km_advance, km_steady, false, false, 1, -1, km_gates, false };
static const SwCableMechType km_type = {
  "km", "Km slow potassium (reduced set)", "Slow non-inactivating potassium current that adapts firing.",
  km_params, 2, km_states, 1, 0, &km_ops,
};

/* CaL: high-threshold calcium. */
static const SwParamInfo cal_params[] = {
  DENS ("gbar", 1e-4, "maximal L-type calcium conductance"),
  REV ("eca", 120.0, "calcium reversal potential"),
};
static const SwParamInfo cal_states[] = {
  GATE ("q", "activation"),
  GATE ("r", "inactivation"),
};

static void
cal_rates (double v, double inf[2], double tau[2])
{
  double aq = 0.209 * xe_clip ((-v - 27.0) / 3.8), bq = 0.94 * clip_exp ((-v - 75.0) / 17.0);
  double ar = 4.57e-4 * clip_exp ((-v - 13.0) / 50.0), br = 0.0065 / (1.0 + clip_exp ((-v - 15.0) / 28.0));
  tau[0] = 1.0 / (aq + bq);
  inf[0] = aq * tau[0];
  tau[1] = 1.0 / (ar + br);
  inf[1] = ar * tau[1];
}

static void
cal_init (SwCableMechRow *r)
{
  vrates_init (r, cal_rates, 2);
}

DEFINE_VRATES_GATES (cal, 2)

static const struct SwCableMechOps cal_ops = { cal_init, square_current, cal_advance, cal_steady, false, false, 2, -1, cal_gates, false };
static const SwCableMechType cal_type = {
  "cal", "CaL high-threshold calcium (reduced set)", "L-type calcium current (q²r), reversal 120 mV.",
  cal_params, 2, cal_states, 2, 0, &cal_ops,
};

/* CaT: low-threshold calcium with an instantaneous activation s∞(V). */
static const SwParamInfo catb_params[] = {
  DENS ("gbar", 4e-5, "maximal T-type calcium conductance"),
  REV ("eca", 120.0, "calcium reversal potential"),
  { "vx", "mV", 2.0, -50.0, 50.0, "voltage shift of the gates", 0 },
};
static const SwParamInfo catb_states[] = {
  GATE ("u", "inactivation"),
  GATE ("s", "activation (instantaneous, recorded for probes)"),
};

static inline double
catb_sinf (double v, double vx)
{
  return 1.0 / (1.0 + clip_exp (-(v + vx + 57.0) / 6.2));
}

static void
catb_urates (double v, double vx, SwCableCatTau form, double *inf, double *tau)
{
  double w = v + vx;
  *inf = 1.0 / (1.0 + clip_exp ((w + 81.0) / 4.0));
  if (form == SW_CABLE_CAT_TAU_PAPER)
    *tau = (30.8 + (211.4 + clip_exp ((w + 113.2) / 5.0)) / (1.0 + clip_exp ((w + 84.0) / 3.2))) / 3.7;
  else
    *tau = (242.2 + clip_exp ((w + 113.2) / 5.0)) / (3.7 * (1.0 + clip_exp ((w + 84.0) / 3.2)));
}

static void
catb_init (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double inf, tau;
      catb_urates (r->v[c], P (2), r->cat_tau, &inf, &tau);
      S (0) = inf;
      S (1) = catb_sinf (r->v[c], P (2));
    }
}

static void
catb_advance (SwCableMechRow *r)
{
  TABLE_ADVANCE (r, 2);
  for (int c = 0; c < r->n; c++)
    {
      double inf, tau;
      catb_urates (r->v[c], P (2), r->cat_tau, &inf, &tau);
      relax (&S (0), inf, tau, r->dt);
      S (1) = catb_sinf (r->v[c], P (2));
    }
}

static void
catb_current (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double v = r->v[c], vx = P (2), e = P (1), gu = P (0) * S (0);
      double s0, s1;
      if (r->tab != NULL)
        {
          double f;
          const double *a;
          if (r->fine_i != NULL)
            {
              a = r->tab->d + (size_t) r->fine_i[c] * r->tab->stride;
              f = r->fine_f[c];
            }
          else
            a = sw_cable_table_at (r->tab, v, &f);
          s0 = sw_cable_table_cubic (a, 2, f);
          a = sw_cable_table_at (r->tab, v + FD_DV, &f);
          s1 = sw_cable_table_cubic (a, 2, f);
        }
      else
        {
          s0 = catb_sinf (v, vx);
          s1 = catb_sinf (v + FD_DV, vx);
        }
      double i0 = gu * s0 * s0 * (v - e), i1 = gu * s1 * s1 * (v + FD_DV - e);
      r->i[c] += i0;
      r->g[c] += (i1 - i0) / FD_DV;
    }
}

static bool
catb_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) celsius, (void) cai;
  if (k == 0)
    {
      catb_urates (v, 2.0, ct, x, tau);
      return true;
    }
  if (k == 1)
    {
      *x = catb_sinf (v, 2.0);
      *tau = NAN;
      return true;
    }
  return false;
}

static void
catb_gates (double v, double vx, double celsius, SwCableCatTau ct, double *inf, double *tau)
{
  (void) celsius;
  catb_urates (v, vx, ct, &inf[0], &tau[0]);
  inf[1] = catb_sinf (v, vx);
  tau[1] = 0;
}

static const struct SwCableMechOps catb_ops = { catb_init, catb_current, catb_advance, catb_steady, false, false, 2, 2, catb_gates, false };
static const SwCableMechType catb_type = {
  "cat_brc", "CaT low-threshold calcium (reduced set)",
  "T-type calcium current s∞(V)²u with instantaneous activation, shifted by vx.",
  catb_params, 3, catb_states, 2, 0, &catb_ops,
};

/* ============================ HNN set ============================ */

/* ca, kca and km run at t_adj = 2.3^((celsius - 23 - 30.7)/10), 0.248837 at
 * 37 °C: HNN's temperature convention. */
static double
hnn_tadj (double celsius)
{
  return pow (2.3, (celsius - 23.0 - 30.7) / 10.0);
}

/* Nernst potential of Ca2+ (mV) for cai, cao in mM. */
static double
nernst_ca (double celsius, double cai, double cao)
{
  const double R = 8.314462618, F = 96485.33212;
  return 1e3 * R * (celsius + 273.15) / (2.0 * F) * log (cao / cai);
}

static const SwParamInfo ca_params[] = {
  PSUM2 ("gbar", 0.0, "maximal high-voltage calcium conductance"),
  { "cao", "mM", 2.0, 1e-3, 100.0, "extracellular calcium (Nernst reversal)", 0 },
};
static const SwParamInfo ca_states[] = {
  GATE ("m", "activation"),
  GATE ("h", "inactivation"),
};

static void
ca_rates (double v, double tadj, double inf[2], double tau[2])
{
  double am = 0.209 * xe ((-27.0 - v) / 3.8), bm = 0.94 * exp ((-75.0 - v) / 17.0);
  double ah = 4.57e-4 * exp ((-13.0 - v) / 50.0), bh = 0.0065 / (1.0 + exp ((-15.0 - v) / 28.0));
  tau[0] = 1.0 / (tadj * (am + bm));
  inf[0] = am / (am + bm);
  tau[1] = 1.0 / (tadj * (ah + bh));
  inf[1] = ah / (ah + bh);
}

static void
ca_init (SwCableMechRow *r)
{
  double tadj = hnn_tadj (r->celsius);
  for (int c = 0; c < r->n; c++)
    {
      double inf[2], tau[2];
      ca_rates (r->v[c], tadj, inf, tau);
      S (0) = inf[0];
      S (1) = inf[1];
    }
}

static void
ca_advance (SwCableMechRow *r)
{
  TABLE_ADVANCE (r, 2);
  double tadj = hnn_tadj (r->celsius);
  for (int c = 0; c < r->n; c++)
    {
      double inf[2], tau[2];
      ca_rates (r->v[c], tadj, inf, tau);
      relax (&S (0), inf[0], tau[0], r->dt);
      relax (&S (1), inf[1], tau[1], r->dt);
    }
}

static void
ca_current (SwCableMechRow *r)
{
  double tadj = hnn_tadj (r->celsius);
  for (int c = 0; c < r->n; c++)
    {
      double m = S (0);
      double g = 1e-4 * tadj * P (0) * m * m * S (1);
      double eca = nernst_ca (r->celsius, r->cai[c], P (1));
      double i = g * (r->v[c] - eca);
      r->i[c] += i;
      r->g[c] += g;
      r->ica[c] += i;
    }
}

static bool
ca_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) cai, (void) ct;
  if (k < 0 || k > 1)
    return false;
  double inf[2], t[2];
  ca_rates (v, hnn_tadj (celsius), inf, t);
  *x = inf[k];
  *tau = t[k];
  return true;
}

static void
ca_gates (double v, double dep, double celsius, SwCableCatTau ct, double *inf, double *tau)
{
  (void) dep, (void) ct;
  ca_rates (v, hnn_tadj (celsius), inf, tau);
}

static const struct SwCableMechOps ca_ops = { ca_init, ca_current, ca_advance, ca_steady, true, false, 2, -1, ca_gates, false, true };
static const SwCableMechType ca_type = {
  "ca", "HNN high-voltage calcium",
  "High-voltage-activated calcium current (m²h) with a Nernst reversal from the calcium pool.",
  ca_params, 2, ca_states, 2, -1, &ca_ops,
};

/* cad: first-order submembrane calcium pool fed by inward Ca current. */
static const SwParamInfo cad_params[] = {
  { "taur", "ms", 20.0, 1e-3, 1e6, "decay time constant of the pool", 0 },
  { "cainf", "mM", 1e-4, 0.0, 10.0, "resting calcium concentration", 0 },
  { "depth", "um", 0.1, 1e-3, 100.0, "depth of the submembrane shell", 0 },
};
static const SwParamInfo cad_states[] = {
  { "cai", "mM", 1e-4, 0.0, 1e3, "submembrane calcium concentration", 0 },
};

static void
cad_init (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      S (0) = P (1);
      r->cai[c] = P (1);
    }
}

static void
cad_advance (SwCableMechRow *r)
{
  /* taur is usually one value everywhere: its decay factor is reused
   * while it stays the same. */
  double last_taur = NAN, decay = 0;
  for (int c = 0; c < r->n; c++)
    {
      /* 1e4/(2 F depth): mA/cm² of Ca current into mM/ms in a shell of
       * @depth µm (0.518214 for 0.1 µm). */
      double k = 1e4 / (2.0 * 96485.309 * P (2));
      double drive = -k * r->ica[c];
      if (drive < 0)
        drive = 0;
      /* Linear in cai: exact step towards cainf + drive·taur. */
      double inf = P (1) + drive * P (0);
      if (P (0) != last_taur)
        {
          last_taur = P (0);
          decay = exp (-r->dt / last_taur);
        }
      S (0) = inf + (S (0) - inf) * decay;
      r->cai[c] = S (0);
    }
}

static void
cad_current (SwCableMechRow *r)
{
  (void) r;
}

static const struct SwCableMechOps cad_ops = { cad_init, cad_current, cad_advance, no_steady, false, true, 0, -1, NULL, false, true };
static const SwCableMechType cad_type = {
  "cad", "HNN calcium pool",
  "Submembrane calcium concentration: fed by inward calcium current, relaxing to rest with taur.",
  cad_params, 3, cad_states, 1, 1, &cad_ops,
};

/* kca: calcium-activated potassium. */
static const SwParamInfo kca_params[] = {
  PSUM2 ("gbar", 0.0, "maximal calcium-activated potassium conductance"),
  REV ("ek", -77.0, "potassium reversal potential"),
};
static const SwParamInfo kca_states[] = { GATE ("n", "activation") };

static void
kca_rates (double cai, double tadj, double *inf, double *tau)
{
  double a = 0.01 * cai, b = 0.02;
  *tau = 1.0 / (tadj * (a + b));
  *inf = a / (a + b);
}

static void
kca_init (SwCableMechRow *r)
{
  double tadj = hnn_tadj (r->celsius);
  for (int c = 0; c < r->n; c++)
    {
      double inf, tau;
      kca_rates (r->cai[c], tadj, &inf, &tau);
      S (0) = inf;
    }
}

static void
kca_advance (SwCableMechRow *r)
{
  double tadj = hnn_tadj (r->celsius);
  for (int c = 0; c < r->n; c++)
    {
      double inf, tau;
      kca_rates (r->cai[c], tadj, &inf, &tau);
      relax (&S (0), inf, tau, r->dt);
    }
}

static void
hnn_k1_current (SwCableMechRow *r)
{
  double tadj = hnn_tadj (r->celsius);
  for (int c = 0; c < r->n; c++)
    {
      double g = 1e-4 * tadj * P (0) * S (0);
      r->i[c] += g * (r->v[c] - P (1));
      r->g[c] += g;
    }
}

static bool
kca_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) v, (void) ct;
  if (k != 0)
    return false;
  kca_rates (cai, hnn_tadj (celsius), x, tau);
  return true;
}

static const struct SwCableMechOps kca_ops = { kca_init, hnn_k1_current, kca_advance, kca_steady, false, false, 0, -1, NULL, false, true };
static const SwCableMechType kca_type = {
  "kca", "HNN calcium-activated potassium", "Potassium current gated by the submembrane calcium.",
  kca_params, 2, kca_states, 1, 2, &kca_ops,
};

/* km_hnn: M-type potassium. */
static const SwParamInfo kmh_params[] = {
  PSUM2 ("gbar", 0.0, "maximal M-type potassium conductance"),
  REV ("ek", -77.0, "potassium reversal potential"),
};

static void
kmh_rates (double v, double tadj, double *inf, double *tau)
{
  double a = 0.009 * xe (-(v + 30.0) / 9.0), b = 0.009 * xe ((v + 30.0) / 9.0);
  *tau = 1.0 / (tadj * (a + b));
  *inf = a / (a + b);
}

static void
kmh_init (SwCableMechRow *r)
{
  double tadj = hnn_tadj (r->celsius);
  for (int c = 0; c < r->n; c++)
    {
      double inf, tau;
      kmh_rates (r->v[c], tadj, &inf, &tau);
      S (0) = inf;
    }
}

static void
kmh_advance (SwCableMechRow *r)
{
  TABLE_ADVANCE (r, 1);
  double tadj = hnn_tadj (r->celsius);
  for (int c = 0; c < r->n; c++)
    {
      double inf, tau;
      kmh_rates (r->v[c], tadj, &inf, &tau);
      relax (&S (0), inf, tau, r->dt);
    }
}

static bool
kmh_steady (int k, double v, double celsius, double cai, SwCableCatTau ct, double *x, double *tau)
{
  (void) cai, (void) ct;
  if (k != 0)
    return false;
  kmh_rates (v, hnn_tadj (celsius), x, tau);
  return true;
}

static void
kmh_gates (double v, double dep, double celsius, SwCableCatTau ct, double *inf, double *tau)
{
  (void) dep, (void) ct;
  kmh_rates (v, hnn_tadj (celsius), inf, tau);
}

static const struct SwCableMechOps kmh_ops = { kmh_init, hnn_k1_current, kmh_advance, kmh_steady, false, false, 1, -1, kmh_gates, false };
static const SwCableMechType kmh_type = {
  "km_hnn", "HNN M-type potassium", "Slow voltage-gated potassium current of HNN cells.",
  kmh_params, 2, k_states, 1, 0, &kmh_ops,
};

/* cat (HNN): T-type, non-specific reversal 125 mV, m starts at 0. */
static const SwParamInfo cath_params[] = {
  DENS ("gbar", 0.0, "maximal T-type conductance"),
  REV ("e", 125.0, "reversal potential"),
};
static const SwParamInfo cath_states[] = {
  GATE ("m", "activation (starts at 0)"),
  GATE ("h", "inactivation"),
};

static void
cath_rates (double v, double inf[2], double tau[2])
{
  inf[0] = 1.0 / (1.0 + exp ((-v - 56.0) / 6.2));
  tau[0] = 0.204 + 0.333 / (exp ((v + 15.8) / 18.2) + exp ((-v - 131.0) / 16.7));
  inf[1] = 1.0 / (1.0 + exp ((v + 80.0) / 4.0));
  if (v < -81.0)
    tau[1] = 0.333 * exp ((v + 466.0) / 66.6);
  else
    tau[1] = 9.32 + 0.333 * exp ((-v - 21.0) / 10.5);
}

static void
cath_init (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    {
      double inf[2], tau[2];
      cath_rates (r->v[c], inf, tau);
      S (0) = 0.0;
      S (1) = inf[1];
    }
}

DEFINE_VRATES_GATES (cath, 2)

static const struct SwCableMechOps cath_ops = { cath_init, square_current, cath_advance, cath_steady, false, false, 2, -1, cath_gates, false };
static const SwCableMechType cath_type = {
  "cat", "HNN T-type calcium", "Low-threshold T-type current with a fixed reversal of 125 mV.",
  cath_params, 2, cath_states, 2, 0, &cath_ops,
};

/* ar: hyperpolarisation-activated (h-like) current, m starts at 0.25. */
static const SwParamInfo ar_params[] = {
  DENS ("gbar", 0.0, "maximal h conductance"),
  REV ("e", -35.0, "reversal potential"),
};
static const SwParamInfo ar_states[] = { GATE ("m", "activation (starts at 0.25)") };

static void
ar_rates (double v, double *inf, double *tau)
{
  *inf = 1.0 / (1.0 + exp ((v + 75.0) / 5.5));
  *tau = 1.0 / (exp (-14.6 - 0.086 * v) + exp (-1.87 + 0.07 * v));
}

static void
ar_init (SwCableMechRow *r)
{
  for (int c = 0; c < r->n; c++)
    S (0) = 0.25;
}

DEFINE_VRATES_GATES (ar, 1)

static const struct SwCableMechOps ar_ops = { ar_init, linear1_current, ar_advance, ar_steady, false, false, 1, -1, ar_gates, false };
static const SwCableMechType ar_type = {
  "ar", "HNN h-current (ar)", "Hyperpolarisation-activated mixed cation current, reversal -35 mV.",
  ar_params, 2, ar_states, 1, 0, &ar_ops,
};

/* ============================ registry ============================ */

static const SwCableMechType *const all_types[] = {
  &hh_type, &hh2_type, &pas_type, &leak_type,
  &na_type, &k_type, &km_type, &cal_type, &catb_type,
  &ca_type, &cad_type, &kca_type, &kmh_type, &cath_type, &ar_type,
  NULL,
};

const SwCableMechType *
sw_cable_mech_find (const char *name)
{
  for (int i = 0; all_types[i]; i++)
    if (strcmp (all_types[i]->name, name) == 0)
      return all_types[i];
  return NULL;
}

const SwCableMechType *const *
sw_cable_mech_list (void)
{
  return all_types;
}

int
sw_cable_mech_param_index (const SwCableMechType *type, const char *name)
{
  return sw_param_find (type->params, type->n_params, name);
}

int
sw_cable_mech_state_index (const SwCableMechType *type, const char *name)
{
  return sw_param_find (type->states, type->n_states, name);
}

bool
sw_cable_mech_gate_steady (const SwCableMechType *type, const char *state, double v_mv,
                           double celsius, double cai_mm, SwCableCatTau cat_tau, double *x_inf,
                           double *tau_ms)
{
  int k = sw_cable_mech_state_index (type, state);
  if (k < 0)
    return false;
  return type->ops->steady (k, v_mv, celsius, cai_mm, cat_tau, x_inf, tau_ms);
}

/* ============================ rate tables ============================ */

/* Fine tables span -200 to 150 mV in steps of 0.1 mV, read with cubic
 * interpolation: within about 1e-9 of the exact x∞ and exp(-dt/τ), except
 * in the one interval around a kink or jump of a rate, read linearly.  (Linear
 * interpolation, 1e-7 relative and biased upwards on convex rates, was
 * enough to move the restart of the BRC I cell after its long pause: that
 * cell sits close to a saddle-node, where a systematic bias of 1e-7 in a
 * gate changes the passage time by tens of ms.) */
#define FINE_V0 SW_CABLE_FINE_V0
#define FINE_DV SW_CABLE_FINE_DV
#define FINE_N SW_CABLE_FINE_N

/* The cubic through rows i+o .. i+o+3 of column @col of @raw, as
 * coefficients of powers of f = (v - v_i)/h. */
static void
cubic_coeffs (const double *raw, int cols, int col, int i, int o, double c[4])
{
  double x[4], y[4];
  for (int j = 0; j < 4; j++)
    {
      x[j] = o + j;
      y[j] = raw[(size_t) (i + o + j) * cols + col];
    }
  /* Newton divided differences, then the expansion of
   * a0 + a1 (f-x0) + a2 (f-x0)(f-x1) + a3 (f-x0)(f-x1)(f-x2). */
  double a[4] = { y[0], y[1], y[2], y[3] };
  for (int lvl = 1; lvl < 4; lvl++)
    for (int j = 3; j >= lvl; j--)
      a[j] = (a[j] - a[j - 1]) / (x[j] - x[j - lvl]);
  double p[4] = { 1, 0, 0, 0 };   /* running product of (f - x_m) */
  c[0] = c[1] = c[2] = c[3] = 0;
  for (int m = 0; m < 4; m++)
    {
      for (int q = 0; q < 4; q++)
        c[q] += a[m] * p[q];
      if (m < 3)
        {
          /* p *= (f - x_m) */
          for (int q = 3; q >= 1; q--)
            p[q] = p[q - 1] - x[m] * p[q];
          p[0] = -x[m] * p[0];
        }
    }
}

SwCableTable *
sw_cable_table_new (const SwCableMechType *type, double dep, double dt, double celsius,
                    SwCableCatTau cat_tau)
{
  const struct SwCableMechOps *ops = type->ops;
  if (ops->gates == NULL || ops->n_tab < 1 || ops->n_tab > 4)
    return NULL;
  SwCableTable *t = calloc (1, sizeof (SwCableTable));
  if (t == NULL)
    return NULL;
  t->type = type;
  t->dep = dep;
  t->coarse = ops->coarse;
  t->cols = 2 * ops->n_tab;
  if (t->coarse)
    {
      t->v0 = -100.0;
      t->inv_dv = 1.0;
      t->n = 201;
    }
  else
    {
      t->v0 = FINE_V0;
      t->inv_dv = 1.0 / FINE_DV;
      t->n = FINE_N;
    }
  t->stride = t->coarse ? t->cols : 4 * t->cols;
  double *raw = malloc (sizeof (double) * (size_t) t->n * t->cols);
  t->d = calloc ((size_t) t->n * t->stride, sizeof (double));
  if (t->d == NULL || raw == NULL)
    {
      free (raw);
      sw_cable_table_free (t);
      return NULL;
    }
  for (int i = 0; i < t->n; i++)
    {
      double inf[4], tau[4];
      double v = t->coarse ? t->v0 + i : t->v0 + i * FINE_DV;
      ops->gates (v, dep, celsius, cat_tau, inf, tau);
      for (int k = 0; k < ops->n_tab; k++)
        {
          raw[(size_t) i * t->cols + 2 * k] = inf[k];
          raw[(size_t) i * t->cols + 2 * k + 1]
            = t->coarse ? tau[k] : (tau[k] > 0 ? exp (-dt / tau[k]) : 0.0);
        }
    }
  if (t->coarse)
    memcpy (t->d, raw, sizeof (double) * (size_t) t->n * t->cols);
  else
    {
      /* On each interval [v_i, v_i+1], the cubic through four grid values
       * in powers of the fraction f: the centred one (rows i-1 .. i+2), or
       * where a rate has a kink (the reference's clipping of exponents at
       * 20) or a jump (the two branches of the HNN cat τ_h at -81 mV) and
       * so spoils it, the one-sided cubic (rows i-2 .. i+1 or i .. i+3) or
       * the chord that comes closest to the exact value at the interval's
       * midpoint.  Kinks fall on grid points here, so a one-sided cubic
       * keeps the accuracy of the smooth side. */
      for (int i = 1; i + 2 < t->n; i++)
        {
          double inf[4], tau[4];
          ops->gates (t->v0 + (i + 0.5) * FINE_DV, dep, celsius, cat_tau, inf, tau);
          for (int col = 0; col < t->cols; col++)
            {
              int k = col / 2;
              double exact = col % 2 == 0 ? inf[k] : (tau[k] > 0 ? exp (-dt / tau[k]) : 0.0);
              double c[4] = { 0, 0, 0, 0 };
              double best = INFINITY;
              for (int o = -2; o <= 0; o++)
                {
                  if (i + o < 0 || i + o + 3 >= t->n)
                    continue;
                  double cc[4];
                  cubic_coeffs (raw, t->cols, col, i, o, cc);
                  double mid = cc[0] + 0.5 * (cc[1] + 0.5 * (cc[2] + 0.5 * cc[3]));
                  /* The centred stencil wins ties. */
                  double err = fabs (mid - exact) * (o == -1 ? 0.5 : 1.0);
                  if (err < best)
                    {
                      best = err;
                      memcpy (c, cc, sizeof cc);
                    }
                }
              double y0 = raw[(size_t) i * t->cols + col], y1 = raw[(size_t) (i + 1) * t->cols + col];
              if (fabs (0.5 * (y0 + y1) - exact) < best)
                {
                  c[0] = y0;
                  c[1] = y1 - y0;
                  c[2] = c[3] = 0;
                }
              double *dst = t->d + (size_t) i * t->stride + 8 * k + col % 2;
              for (int j = 0; j < 4; j++)
                dst[2 * j] = c[j];
            }
        }
    }
  free (raw);
  return t;
}

void
sw_cable_table_free (SwCableTable *t)
{
  if (t == NULL)
    return;
  free (t->d);
  free (t);
}
