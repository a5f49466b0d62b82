/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Multicompartment ("cable") cells: morphologies cut into compartments, the
 * branched-cable solver (Hines elimination, backward Euler or
 * Crank-Nicolson), membrane mechanisms (channels and ion pools), kinetic and
 * double-exponential synapses, current and voltage clamps and probes.
 *
 * Units (everywhere in this API): time ms, voltage mV, length and diameter
 * µm, specific capacitance µF/cm², axial resistivity Ω·cm, channel density
 * S/cm² (HNN "pS/µm²" parameters say so in their unit), point conductance
 * µS, point current nA (injected current positive inward), concentration mM.
 *
 * The objects, from the bottom up:
 *
 *   SwCableMorph   sections (L, d, nseg) and how they attach; the compartment
 *                  numbering is derived from it (parent before child).
 *   SwCableCell    a cell definition: a morphology, Ra and cm per section,
 *                  the mechanisms inserted per section with their parameters,
 *                  initial voltages per section, the spike-detection site.
 *                  Definitions are templates; a simulation copies what it
 *                  needs, so a definition may be freed after it was added.
 *   SwCableSim     a simulation: cells added from definitions (cells added
 *                  in one call share one group and are stepped together as
 *                  structure-of-arrays, node-major, cell-minor), synapses,
 *                  clamps, probes; init, then run.
 *
 * Cells are numbered 0, 1, ... in the order they are added to a simulation
 * ("global cell index").  Sites are compartments ("nodes") of a cell's
 * definition; look them up by section and x with sw_cable_cell_site() or
 * by text "dend3(0.875)" with sw_cable_cell_site_parse().  A node index is
 * valid for every cell made from the same definition.
 *
 * One step of the default scheme (NEURON order, section 3 of the cable
 * spec): events due at the step are delivered; the membrane current and
 * its slope are evaluated at V^n (the slope is the open conductance of an
 * ohmic current, a finite difference over 0.001 mV where the current is
 * not linear in V: the reduced CaT with its instantaneous s∞(V), the Mg
 * block); the tree is solved for V^{n+1}; spikes are detected (upward
 * crossing of 0 mV at the detection site; the time recorded is that of the
 * end of the step); then gates, ion pools and synapses advance with V^{n+1}
 * (exponential Euler).  SW_CABLE_ORDER_BRC advances gates and synapses with
 * V^n before the solve.
 *
 * Thread safety: a simulation is used from one thread at a time; distinct
 * simulations are independent.  A simulation configured with threads > 1
 * starts its worker threads when it is first initialised and stops them
 * when it is freed; otherwise the engine starts no threads.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sw-param.h"
#include "sw-status.h"

/* ------------------------------------------------------------------ */
/* Morphology                                                          */
/* ------------------------------------------------------------------ */

typedef struct SwCableMorph SwCableMorph;

SwCableMorph *sw_cable_morph_new (void);
void sw_cable_morph_free (SwCableMorph *morph);
SwCableMorph *sw_cable_morph_copy (const SwCableMorph *morph);

/* Adds a section of length @length_um and diameter @diam_um cut into
 * @nseg segments.  @parent is the index of an earlier section, or -1 for the
 * root (exactly one root, the first section).  @parent_x says where on the
 * parent it attaches: 1 (the end; a zero-area junction node is made there),
 * 0 (only on the root: its start node), or 0 < x < 1 (the centre node of the
 * parent's segment containing x).  Returns the new section's index, or -1
 * with @err filled (bad sizes, unknown parent, duplicate name). */
int sw_cable_morph_add_section (SwCableMorph *morph, const char *name, int parent,
                                double parent_x, double length_um, double diam_um,
                                int nseg, SwError *err);

int sw_cable_morph_n_sections (const SwCableMorph *morph);
/* Index of section @name, or -1. */
int sw_cable_morph_find (const SwCableMorph *morph, const char *name);
const char *sw_cable_morph_section_name (const SwCableMorph *morph, int section);
/* Reads back a section's geometry (any pointer may be NULL). */
void sw_cable_morph_section_info (const SwCableMorph *morph, int section, int *parent,
                                  double *parent_x, double *length_um, double *diam_um,
                                  int *nseg);
/* Changes a section's segment count (before the morphology is used by a
 * cell definition). */
SwStatus sw_cable_morph_set_nseg (SwCableMorph *morph, int section, int nseg, SwError *err);

/* The d_lambda rule: for each section, the smallest odd nseg such that
 * each segment is at most @d_lambda times the AC length constant at
 * @freq_hz (λ_f = 1e5·sqrt(d/(4π f Ra cm)) µm), as NEURON's lambda_f. */
void sw_cable_morph_apply_d_lambda (SwCableMorph *morph, double d_lambda, double freq_hz,
                                    double ra_ohm_cm, double cm_uf_cm2);

/* ------------------------------------------------------------------ */
/* Mechanisms                                                          */
/* ------------------------------------------------------------------ */

typedef struct SwCableMechType SwCableMechType;

/* A membrane mechanism (a channel, a leak, an ion pool) is a const table.
 * Its parameters are range variables (one value per compartment and cell)
 * described with SwParamInfo (name, unit, default, range, description);
 * densities are S/cm² unless the unit says otherwise.  Its states are the
 * gates (or concentrations) it integrates, described the same way (the
 * "default" of a state is meaningless; states start at steady state or at
 * the values given in the description). */
struct SwCableMechType
{
  const char *name;          /* "na", "hh2", "cad", ... */
  const char *label;         /* "Na (reduced set)" */
  const char *description;   /* a sentence for students */
  const SwParamInfo *params;
  int n_params;
  const SwParamInfo *states;
  int n_states;
  int order;                 /* evaluation rank: Ca sources before Ca pools before Ca users */
  /* The private function table (sw-cable-private.h). */
  const struct SwCableMechOps *ops;
};

/* Built-in mechanisms.
 *   BRC reduced set: "na", "k", "km", "cal", "cat_brc", "leak".
 *   Classic/HNN: "hh" (Hodgkin-Huxley, φ = 3^((celsius-6.3)/10)),
 *   "hh2" (HNN's, φ = 3^((celsius-37)/10)), "pas" (leak with its own E),
 *   "ca", "cad", "kca", "km_hnn", "cat", "ar".
 * hh and hh2 interpolate their rates in 1-mV tables over [-100, 100] mV
 * as NEURON's hh and HNN's hh2 do (parameter "usetable" = 1, the default;
 * 0 evaluates them exactly).  The other gates that depend on V alone (na,
 * k, km, cal, cat_brc, ca, km_hnn, cat, ar) advance from the simulation's
 * fine rate tables (0.1-mV grid, cubic interpolation, within about 1e-9
 * of the exact x∞ and exp(-dt/τ)) unless SwCableConfig.exact_rates asks for direct
 * evaluation; they do not reproduce HNN's coarser voltage tables. */
const SwCableMechType *sw_cable_mech_find (const char *name);
/* All built-in types, NULL-terminated. */
const SwCableMechType *const *sw_cable_mech_list (void);
/* Index of parameter / state @name of @type, or -1. */
int sw_cable_mech_param_index (const SwCableMechType *type, const char *name);
int sw_cable_mech_state_index (const SwCableMechType *type, const char *name);

/* Global switches of the BRC channel set that a study may flip. */
typedef enum
{
  SW_CABLE_CAT_TAU_BRC = 0,   /* τ_u as in the BRC code (15.69 ms at -70 mV) */
  SW_CABLE_CAT_TAU_PAPER,     /* the original paper's form (23.96 ms at -70 mV) */
} SwCableCatTau;

/* ------------------------------------------------------------------ */
/* Cell definitions                                                    */
/* ------------------------------------------------------------------ */

typedef struct SwCableCell SwCableCell;

/* A cell on @morph (copied).  Defaults: Ra 100 Ω·cm, cm 1 µF/cm², V₀
 * -65 mV in every section, no mechanisms, spike detection at the centre of
 * the root section. */
SwCableCell *sw_cable_cell_new (const SwCableMorph *morph);
void sw_cable_cell_free (SwCableCell *cell);
SwCableCell *sw_cable_cell_copy (const SwCableCell *cell);
const SwCableMorph *sw_cable_cell_get_morph (const SwCableCell *cell);

/* @section = -1: every section. */
SwStatus sw_cable_cell_set_ra (SwCableCell *cell, int section, double ra_ohm_cm, SwError *err);
SwStatus sw_cable_cell_set_cm (SwCableCell *cell, int section, double cm_uf_cm2, SwError *err);
SwStatus sw_cable_cell_set_v_init (SwCableCell *cell, int section, double v_mv, SwError *err);

/* Inserts mechanism @mech_name into @section (-1: all sections), with every
 * parameter at its default.  Inserting twice is harmless. */
SwStatus sw_cable_cell_insert (SwCableCell *cell, int section, const char *mech_name,
                               SwError *err);
/* Sets parameter @param of mechanism @mech in @section (-1: every section
 * that has it; the mechanism must be inserted there).  Checks the range of
 * the parameter's metadata and names cell section, mechanism and range in
 * the error. */
SwStatus sw_cable_cell_set_param (SwCableCell *cell, int section, const char *mech,
                                  const char *param, double value, SwError *err);
/* Sets the parameter per segment of @section with a function of the path
 * distance from the root section's x = 0 end to the segment centre (µm):
 * value = @fn (@user, distance).  For the HNN ar gradient. */
SwStatus sw_cable_cell_set_param_by_distance (SwCableCell *cell, int section, const char *mech,
                                              const char *param,
                                              double (*fn) (void *user, double distance_um),
                                              void *user, SwError *err);
/* The value at @node (NaN when the mechanism is absent there). */
double sw_cable_cell_get_param (const SwCableCell *cell, int node, const char *mech,
                                const char *param);
/* Whether @mech is inserted in @section. */
bool sw_cable_cell_has_mech (const SwCableCell *cell, int section, const char *mech);

/* Gate initialisation: when true (default) every gate starts at its steady
 * state for the initial voltage of its compartment (with the documented
 * exceptions of HNN cat and ar); when false every gate starts at @value (the
 * BRC reference's 0.2). */
void sw_cable_cell_set_gate_init (SwCableCell *cell, bool steady_state, double value);

/* Spike detection site (a node index; -1: none, for passive cells whose
 * voltage crosses 0 mV without meaning a spike). */
void sw_cable_cell_set_detect (SwCableCell *cell, int node);
int sw_cable_cell_get_detect (const SwCableCell *cell);

/* Sites.  Node of @section at @x in [0, 1]: the segment containing x;
 * x = 0 of the root section and x = 1 of a section with children attached
 * there are the zero-area end nodes; x = 0 of a child section is its
 * attachment node.  -1 when @section is out of range. */
int sw_cable_cell_site (const SwCableCell *cell, int section, double x);
/* Parses "soma(0.5)", "dend3(0.875)" or a bare "soma" (x = 0.5).  Returns
 * the node, or -1 with @err naming the section or syntax problem. */
int sw_cable_cell_site_parse (const SwCableCell *cell, const char *site, SwError *err);

/* Geometry after numbering. */
int sw_cable_cell_n_nodes (const SwCableCell *cell);
double sw_cable_cell_node_area (const SwCableCell *cell, int node);     /* µm² (0 at junctions) */
int sw_cable_cell_node_section (const SwCableCell *cell, int node);     /* -1 at junctions */
double sw_cable_cell_node_x (const SwCableCell *cell, int node);        /* position in its section */
int sw_cable_cell_node_parent (const SwCableCell *cell, int node);      /* -1 for the root node */
double sw_cable_cell_area (const SwCableCell *cell, int section);       /* µm²; -1: whole cell */

/* ------------------------------------------------------------------ */
/* Built-in cells                                                      */
/* ------------------------------------------------------------------ */

typedef enum
{
  SW_CABLE_BRC_P0 = 0,   /* Km 4e-6, CaL 1e-4, CaT 4e-5 everywhere */
  SW_CABLE_BRC_P1,       /* soma Km 1e-5, CaL 1e-3, CaT 1e-3; dendrites as P0 */
} SwCableBrcSet;

/* The BRC reduced excitatory cell (soma + dend1..3, 4 segments each; Ra 300
 * or @ra_ohm_cm when > 0, e.g. 10 for the low-Ra variant).  V₀ -70 mV,
 * steady-state gates.  Sites: SW_CABLE_BRC_SOMA_SITE "soma(0.125)" (spike
 * detection) and "dend3(0.875)". */
SwCableCell *sw_cable_cell_new_brc_e (SwCableBrcSet set, double ra_ohm_cm);
/* One section L = d = 5 µm, 4 segments, Ra 5000.  I cell: reduced set with
 * Km 1e-5, CaL 1e-3, CaT 1e-3.  Relay: Na, K, leak only.  Rate cell: leak
 * 1e-4 with E = 0 mV, V₀ = 0 (τ = 10 ms), no spike detection.  Sites and
 * detection as the E cell ("soma(0.125)"). */
SwCableCell *sw_cable_cell_new_brc_i (void);
SwCableCell *sw_cable_cell_new_brc_relay (void);
SwCableCell *sw_cable_cell_new_brc_rate (void);
/* HNN cells: L5 pyramidal, L2/3 pyramidal and basket (37 °C rates). */
SwCableCell *sw_cable_cell_new_hnn_l5 (void);
SwCableCell *sw_cable_cell_new_hnn_l23 (void);
SwCableCell *sw_cable_cell_new_hnn_basket (void);
/* Classic HH single compartment of area @area_um2 (L = d), V₀ -65 mV. */
SwCableCell *sw_cable_cell_new_hh (double area_um2);
/* By name: "brc_e" (P0), "brc_e_p1", "brc_e_low_ra", "brc_i", "brc_relay",
 * "brc_rate", "hnn_l5", "hnn_l23", "hnn_basket", "hh".  NULL when unknown. */
SwCableCell *sw_cable_cell_new_builtin (const char *name);
/* The names accepted above, NULL-terminated. */
const char *const *sw_cable_cell_builtin_names (void);

#define SW_CABLE_BRC_SOMA_SITE "soma(0.125)"
#define SW_CABLE_BRC_DEND_SITE "dend3(0.875)"

/* ------------------------------------------------------------------ */
/* Simulation                                                          */
/* ------------------------------------------------------------------ */

typedef enum
{
  SW_CABLE_BACKWARD_EULER = 0,
  SW_CABLE_CRANK_NICOLSON,
} SwCableMethod;

typedef enum
{
  SW_CABLE_ORDER_NEURON = 0,  /* solve V, then gates with the new V (default) */
  SW_CABLE_ORDER_BRC,         /* gates with the old V, then solve V */
} SwCableOrder;

typedef struct
{
  double dt_ms;               /* default 0.025 */
  SwCableMethod method;       /* default backward Euler */
  SwCableOrder order;         /* default NEURON order */
  double celsius;             /* default 37 (only hh, hh2, ca, kca, km_hnn use it) */
  SwCableCatTau cat_tau;      /* default BRC form */
  uint64_t seed;              /* noise currents; default 1 */
  double record_dt_ms;        /* probe sampling interval; default dt */
  /* Rate tables: by default the gates of the reduced and HNN channels
   * advance from tables of x∞ and exp(-dt/τ) on a 0.1-mV grid (cubic
   * interpolation, within about 1e-9 of the exact values; linear over the
   * one interval around a kink or jump of a rate; several times faster).
   * true: evaluate every rate directly.  hh and hh2 follow their own
   * "usetable" parameter instead. */
  bool exact_rates;
  /* Threads stepping the simulation (default 1): each population is split
   * into as many slices of cells, stepped in parallel.  The results do not
   * depend on it. */
  int threads;
} SwCableConfig;

/* The defaults above. */
void sw_cable_config_init (SwCableConfig *cfg);

typedef struct SwCableSim SwCableSim;

SwCableSim *sw_cable_sim_new (const SwCableConfig *cfg);
void sw_cable_sim_free (SwCableSim *sim);

/* Adds @n cells made from @cell (copied); they form one group stepped
 * together.  Returns the global index of the first, or -1 (@err). */
int sw_cable_sim_add_cells (SwCableSim *sim, const SwCableCell *cell, int n, SwError *err);
int sw_cable_sim_n_cells (const SwCableSim *sim);
/* The definition a cell was made from (owned by @sim). */
const SwCableCell *sw_cable_sim_cell_def (const SwCableSim *sim, int cell);

/* Per-cell parameter changes (before or after init; a change after init
 * applies from the next step).  @section -1: every section that has the
 * mechanism.  Range-checked like sw_cable_cell_set_param(). */
SwStatus sw_cable_sim_set_param (SwCableSim *sim, int cell, int section, const char *mech,
                                 const char *param, double value, SwError *err);

/* Synapses ------------------------------------------------------------ */

typedef enum
{
  SW_CABLE_SYN_KINETIC = 0,   /* transmitter pulse, two-state receptor */
  SW_CABLE_SYN_EXP2,          /* double exponential */
} SwCableSynKind;

typedef struct
{
  SwCableSynKind kind;
  double e_mv;          /* reversal */
  /* Kinetic: */
  double alpha;         /* 1/(ms·mM) */
  double beta;          /* 1/ms */
  double g_max_us;      /* µS */
  double t_max_mm;      /* transmitter concentration (1 mM) */
  double pulse_ms;      /* 1 ms */
  double dead_ms;       /* 1 ms: releases at least pulse + dead apart */
  bool zero_below_e10;  /* R := 0 once β·(time since pulse end) > 10 */
  /* Mg block B(V) = 1/(1 + exp(-mg_slope·V)·mg_mm/mg_k); off when mg_mm = 0. */
  double mg_mm;         /* 1 mM for NMDA, 0 otherwise */
  double mg_slope;      /* 0.062 /mV */
  double mg_k;          /* 3.57 mM */
  /* Double exponential (weights come with the events; g_max_us unused): */
  double tau1_ms, tau2_ms;
  /* A factor on the synaptic current (and its slope); 0 or 1: none.  Only
   * "hnn_nmda" sets it (2.1, as HNN's kinetic NMDA file injects). */
  double current_scale;
} SwCableSynParams;

/* Preset receptors: "ampa", "nmda", "gabaa" (kinetic, section 6.1, g_max
 * 0 until set), "fast_nmda" (AMPA rates with the block), "slow_ampa" (NMDA
 * rates without it), "hnn_nmda" (HNN's optional kinetic NMDA: α 4, β 0.01,
 * block slope 0.072/mV, 1 mM Mg, and its current injected 2.1 times, a
 * factor of that implementation kept on purpose), "exp2_ampa",
 * "exp2_nmda", "exp2_gabaa", "exp2_gabab".  Returns false for an unknown
 * name. */
bool sw_cable_syn_preset (const char *name, SwCableSynParams *p);

/* Mg block factor B(V) of @p (1 when the block is off). */
double sw_cable_syn_mg_block (const SwCableSynParams *p, double v_mv);

/* Adds a synapse on @cell at @node.  Returns its index, or -1 (@err). */
int sw_cable_sim_add_synapse (SwCableSim *sim, int cell, int node, const SwCableSynParams *p,
                              SwError *err);
int sw_cable_sim_n_synapses (const SwCableSim *sim);
/* Changes g_max (kinetic) of synapse @syn. */
void sw_cable_sim_set_syn_gmax (SwCableSim *sim, int syn, double g_max_us);

/* Event sources.  Kinetic synapses release when an event arrives (subject to
 * the dead time); for a presynaptic cell the event is its detection site
 * being above 0 mV (the release rule of the BRC reference: level, not
 * crossing, with the dead time), @delay_ms later.  Double-exponential
 * synapses receive weight @weight_us per presynaptic spike (upward crossing),
 * @delay_ms later.  An event arriving at t is taken at the step starting at
 * the nearest step boundary to t. */
SwStatus sw_cable_sim_connect (SwCableSim *sim, int pre_cell, int syn, double delay_ms,
                               double weight_us, SwError *err);
/* Adds events at the given times (ms, any order) with @weight_us (exp2;
 * ignored for kinetic synapses). */
SwStatus sw_cable_sim_add_events (SwCableSim *sim, int syn, const double *times_ms, int n,
                                  double weight_us, SwError *err);

/* Clamps ---------------------------------------------------------------- */

/* A current clamp: @amp_na from @delay_ms for @dur_ms.  Returns its index. */
int sw_cable_sim_add_iclamp (SwCableSim *sim, int cell, int node, double delay_ms,
                             double dur_ms, double amp_na, SwError *err);
/* Changes the amplitude (and timing) of current clamp @clamp. */
void sw_cable_sim_set_iclamp (SwCableSim *sim, int clamp, double delay_ms, double dur_ms,
                              double amp_na);
/* Gaussian white-noise current: every step an independent draw with mean
 * @mean_na and SD @sd_na (a per-step SD: for another dt than the one it was
 * chosen for, scale by sqrt(dt_ref/dt)), from @delay_ms for @dur_ms.  The
 * draws are a function of (seed, cell, clamp, step) only. */
int sw_cable_sim_add_noise (SwCableSim *sim, int cell, int node, double delay_ms,
                            double dur_ms, double mean_na, double sd_na, SwError *err);
/* Linear chirp (ZAP): amp·sin(2π(f0·τ + (f1-f0)τ²/(2·dur))), τ = t - delay
 * in s, frequencies in Hz, from @delay_ms for @dur_ms. */
int sw_cable_sim_add_zap (SwCableSim *sim, int cell, int node, double delay_ms,
                          double dur_ms, double f0_hz, double f1_hz, double amp_na,
                          SwError *err);
/* Voltage clamp to @v_mv from @delay_ms for @dur_ms through series
 * resistance @rs_mohm (a conductance 1/rs added to the node; small rs is a
 * stiff clamp).  The clamp current (nA, positive into the cell) is a probe. */
int sw_cable_sim_add_vclamp (SwCableSim *sim, int cell, int node, double delay_ms,
                             double dur_ms, double v_mv, double rs_mohm, SwError *err);

/* Probes ---------------------------------------------------------------- */

typedef enum
{
  SW_CABLE_PROBE_V = 0,      /* membrane potential at (cell, node), mV */
  SW_CABLE_PROBE_STATE,      /* state @what of mechanism @mech at (cell, node) */
  SW_CABLE_PROBE_SYN_G,      /* conductance of synapse @index, µS */
  SW_CABLE_PROBE_SYN_R,      /* open fraction R of kinetic synapse @index */
  SW_CABLE_PROBE_CLAMP_I,    /* current of clamp @index, nA */
} SwCableProbeKind;

/* Adds a probe sampled every record_dt (first sample at t = 0 after init).
 * For STATE, @mech and @what name the mechanism and its state ("na", "m";
 * "cad", "cai").  For SYN_* and CLAMP_I, @index is the synapse or clamp and
 * @cell/@node are ignored.  Returns the probe index or -1 (@err). */
int sw_cable_sim_add_probe (SwCableSim *sim, SwCableProbeKind kind, int cell, int node,
                            const char *mech, const char *what, int index, SwError *err);
/* The samples so far (owned by @sim, valid until the next run or free). */
const double *sw_cable_sim_probe_data (const SwCableSim *sim, int probe, size_t *n);
double sw_cable_sim_probe_dt (const SwCableSim *sim);

/* Running ------------------------------------------------------------- */

/* Changes the seed of the noise currents (e.g. between trials); takes
 * effect from the next step. */
void sw_cable_sim_set_seed (SwCableSim *sim, uint64_t seed);

/* Sets t = 0, every V to its initial value, gates and pools to their initial
 * states, synapses closed, clamps and event queues rewound, spike and probe
 * records emptied. */
SwStatus sw_cable_sim_init (SwCableSim *sim, SwError *err);
/* After init: overrides the voltage of one cell (every node) or one node of
 * it (@node >= 0), and re-initialises its gates at steady state for the new
 * voltage when @gates_steady (else leaves them). */
void sw_cable_sim_set_v (SwCableSim *sim, int cell, int node, double v_mv, bool gates_steady);
/* After init: sets every gate of every mechanism of @cell to @value (the
 * BRC reference's 0.2); pools (cai) are left alone. */
void sw_cable_sim_set_gates (SwCableSim *sim, int cell, double value);

/* Advances until t >= @t_stop_ms (a whole number of steps).  On a
 * non-finite voltage returns SW_ERR_BLOWUP with @err naming the cell, the
 * section and the time. */
SwStatus sw_cable_sim_run (SwCableSim *sim, double t_stop_ms, SwError *err);
/* Advances @n steps. */
SwStatus sw_cable_sim_step (SwCableSim *sim, int64_t n, SwError *err);

double sw_cable_sim_time (const SwCableSim *sim);
int64_t sw_cable_sim_steps (const SwCableSim *sim);
double sw_cable_sim_get_v (const SwCableSim *sim, int cell, int node);
double sw_cable_sim_get_state (const SwCableSim *sim, int cell, int node, const char *mech,
                               const char *what);
/* Spike times of @cell (ms, increasing; owned by @sim). */
const double *sw_cable_sim_spikes (const SwCableSim *sim, int cell, size_t *n);

/* Steady-state value and time constant of one gate of a mechanism at @v_mv
 * (for tests and teaching; τ in ms, NaN for instantaneous gates).  @cai_mm
 * matters for kca only.  Returns false for an unknown state. */
bool sw_cable_mech_gate_steady (const SwCableMechType *type, const char *state, double v_mv,
                                double celsius, double cai_mm, SwCableCatTau cat_tau,
                                double *x_inf, double *tau_ms);

/* ------------------------------------------------------------------ */
/* Impedance                                                           */
/* ------------------------------------------------------------------ */

typedef struct
{
  size_t n;             /* frequencies */
  double *freq_hz;
  double *mag_mohm;     /* |Z| in MΩ */
  double *phase_rad;
  double f_res_hz;      /* frequency of the largest |Z| */
  double z_res_mohm;
  double q;             /* |Z(f_res)| / |Z(lowest f)| */
} SwCableImpedance;

/* Impedance at @node of @cell (a definition, simulated alone) from a ZAP
 * current of @amp_na sweeping @f0_hz..@f1_hz over @dur_ms after @settle_ms
 * at rest: the ratio of the Fourier transforms of V and I, reported on the
 * FFT bins inside the band.  Free with sw_cable_impedance_clear(). */
SwStatus sw_cable_impedance (const SwCableCell *cell, int node, const SwCableConfig *cfg,
                             double f0_hz, double f1_hz, double dur_ms, double settle_ms,
                             double amp_na, SwCableImpedance *out, SwError *err);
void sw_cable_impedance_clear (SwCableImpedance *z);
