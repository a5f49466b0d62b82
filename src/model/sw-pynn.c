/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PyNN export (see sw-pynn.h).  The document is evaluated into a SwNetSpec
 * and every part of the spec is written as the PyNN call that expresses it,
 * with the document's names, descriptions and variables as comments.  The
 * script is plain PyNN 0.10 and NumPy; it picks the back end at run time.
 *
 * Units: PyNN uses ms, mV, nF, nA and µS.  Conductances (nS) and currents
 * (pA) are divided by 1000.  The current-based models of Spikeworks write
 * currents as the voltages they drive through the membrane resistance
 * (mV); PyNN's IF_curr_* cells have a capacitance, which the export fixes
 * at CURR_CM_NF, so that a current of x mV becomes x CURR_CM_NF / tau_m nA.
 *
 * Start-up: not every back end honours initial synaptic conductances or
 * currents given to initialize() (pyNN.neuron 0.10.1 ignores them), so the
 * initial value of a synaptic variable is delivered as one spike per neuron
 * from a spike source at t = dt, arriving at 2 dt.  Membrane potentials and
 * adaptation currents are set with initialize(), which all back ends honour.
 */
#include "config.h"

#include "sw-pynn.h"

#include <math.h>
#include <string.h>

#include "sw-document-private.h"
#include "sw-network.h"

G_DEFINE_QUARK (sw-pynn-error-quark, sw_pynn_error)

/* The capacitance given to IF_curr_exp and IF_curr_delta (nF). */
#define CURR_CM_NF 1.0

#define N_SIMULATORS 3

/* Random streams of the script: rng(k) for k = 0, 1, ... in the order of the
 * quantities; the Poisson trains of population p use TRAIN_STREAM + p. */
#define TRAIN_STREAM 1000000

/* pyNN.neuron and pyNN.brian2 detect AdEx spikes at V_T + 5 Delta_T (see
 * check_simulator()). */
#define EARLY_CUT_SLOPES 5.0

static const char *const simulator_names[N_SIMULATORS] = { "neuron", "nest", "brian2" };

const char *
sw_pynn_simulator_name (SwPynnSimulator sim)
{
  for (int k = 0; k < N_SIMULATORS; k++)
    if (sim == (SwPynnSimulator) (1 << k))
      return simulator_names[k];
  return "unknown";
}

SwPynnSimulator
sw_pynn_simulator_from_name (const char *name)
{
  for (int k = 0; k < N_SIMULATORS; k++)
    if (g_strcmp0 (name, simulator_names[k]) == 0)
      return (SwPynnSimulator) (1 << k);
  return 0;
}

/* Text helpers */

/* A Python float literal of @x with as few significant digits as keep it
 * within 1e-13 of itself. */
static void
num (GString *s, double x)
{
  if (isinf (x))
    {
      g_string_append (s, x > 0 ? "math.inf" : "-math.inf");
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int digits = 12; digits <= 17; digits++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, x);
      /* Products such as 1.62 nA x 1 nF / 20 ms read better rounded to
       * 12 digits; a relative change of 1e-13 matters to no simulator. */
      if (fabs (g_ascii_strtod (buf, NULL) - x) <= 1e-13 * fabs (x))
        break;
    }
  g_string_append (s, buf);
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (s, ".0");
}

/* A double-quoted Python string literal. */
static void
pystr (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const unsigned char *c = (const unsigned char *) text; *c; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_printf (s, "\\%c", *c);
      else if (*c == '\n')
        g_string_append (s, "\\n");
      else if (*c < 0x20 || *c == 0x7f)
        g_string_append_printf (s, "\\x%02x", *c);
      else
        g_string_append_c (s, (char) *c);
    }
  g_string_append_c (s, '"');
}

/* @text as comment lines of at most about 78 columns, each starting with
 * @indent and "# "; line breaks in @text are kept. */
static void
comment (GString *s, const char *indent, const char *text)
{
  g_auto (GStrv) paras = g_strsplit (text, "\n", -1);
  for (char **p = paras; *p; p++)
    {
      g_auto (GStrv) words = g_strsplit (*p, " ", -1);
      GString *line = g_string_new (NULL);
      for (char **w = words; *w; w++)
        {
          if (**w == '\0')
            continue;
          if (line->len > 0 && g_utf8_strlen (line->str, -1) + 1 + g_utf8_strlen (*w, -1) > 74)
            {
              g_string_append_printf (s, "%s# %s\n", indent, line->str);
              g_string_truncate (line, 0);
            }
          if (line->len > 0)
            g_string_append_c (line, ' ');
          g_string_append (line, *w);
        }
      if (line->len > 0)
        g_string_append_printf (s, "%s# %s\n", indent, line->str);
      else
        g_string_append_printf (s, "%s#\n", indent);
      g_string_free (line, TRUE);
    }
}

static gboolean
refuse (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (GError **error, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, SW_PYNN_ERROR, SW_PYNN_ERROR_UNSUPPORTED, msg);
  return FALSE;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Model helpers */

typedef enum
{
  MODEL_LIF_COND,
  MODEL_LIF_CURR,
  MODEL_LIF_DELTA,
  MODEL_ADEX_COND,
  MODEL_OTHER,
} Model;

static Model
model_of (const SwPopSpec *pop)
{
  if (pop->type == &sw_lif_cond_type)
    return MODEL_LIF_COND;
  if (pop->type == &sw_lif_curr_type)
    return MODEL_LIF_CURR;
  if (pop->type == &sw_lif_delta_type)
    return MODEL_LIF_DELTA;
  if (pop->type == &sw_adex_cond_type)
    return MODEL_ADEX_COND;
  return MODEL_OTHER;
}

static double
par (const SwPopSpec *pop, const char *name)
{
  for (int k = 0; k < pop->type->n_params; k++)
    if (strcmp (pop->type->params[k].name, name) == 0)
      return pop->params[k];
  g_return_val_if_reached (NAN);
}

static gboolean
conductance_based (const SwPopSpec *pop)
{
  Model m = model_of (pop);
  return m == MODEL_LIF_COND || m == MODEL_ADEX_COND;
}

/* Factor from a synaptic weight or a synaptic state in the receptor's
 * Spikeworks unit (nS, or mV for current-based models) to PyNN's (µS, nA,
 * or mV for delta synapses). */
static double
synaptic_factor (const SwPopSpec *post)
{
  switch (model_of (post))
    {
    case MODEL_LIF_CURR:
      return CURR_CM_NF / par (post, "tau_m");
    case MODEL_LIF_DELTA:
      return 1.0;
    case MODEL_LIF_COND:
    case MODEL_ADEX_COND:
    case MODEL_OTHER:
    default:
      return 1e-3;
    }
}

/* Factor from an injected current in Spikeworks' unit (pA, or mV for the
 * current-based models) to nA. */
static double
current_factor (const SwPopSpec *pop)
{
  if (strcmp (pop->type->current_unit, "mV") == 0)
    return CURR_CM_NF / par (pop, "tau_m");
  return 1e-3;
}

static const char *
pynn_unit (const SwPopSpec *post)
{
  switch (model_of (post))
    {
    case MODEL_LIF_CURR:
      return "nA";
    case MODEL_LIF_DELTA:
      return "mV";
    case MODEL_LIF_COND:
    case MODEL_ADEX_COND:
    case MODEL_OTHER:
    default:
      return "uS";
    }
}

/* Smallest and largest values a distribution takes. */
static void
dist_range (const SwDist *d, double *lo, double *hi)
{
  switch (d->kind)
    {
    case SW_DIST_UNIFORM:
      *lo = MIN (d->a, d->b);
      *hi = MAX (d->a, d->b);
      break;
    case SW_DIST_NORMAL:
      *lo = d->b > 0 ? -INFINITY : d->a;
      *hi = d->b > 0 ? INFINITY : d->a;
      break;
    case SW_DIST_NORMAL_CLIPPED:
      *lo = d->a >= 0 ? (d->a > 0 ? 0.0 : -INFINITY) : -INFINITY;
      *hi = d->a <= 0 ? (d->a < 0 ? 0.0 : INFINITY) : INFINITY;
      if (d->b == 0)
        *lo = *hi = d->a;
      break;
    case SW_DIST_CONSTANT:
    case SW_N_DISTS:
    default:
      *lo = *hi = d->a;
      break;
    }
}

/* Writes @d scaled by @factor (> 0) as a number or a RandomDistribution
 * drawing from `rng`.  @low and @high clip normal distributions to a
 * boundary (what PyNN calls normal_clipped_to_boundary); pass -inf/+inf
 * for none. */
static void
dist_py (GString *s, int *stream, const SwDist *d, double factor, double low, double high)
{
  double a = d->a * factor, b = d->b * factor;
  switch (d->kind)
    {
    case SW_DIST_UNIFORM:
      g_string_append (s, "RandomDistribution(\"uniform\", low=");
      num (s, a);
      g_string_append (s, ", high=");
      num (s, b);
      g_string_append_printf (s, ", rng=rng(%d))", (*stream)++);
      return;
    case SW_DIST_NORMAL:
    case SW_DIST_NORMAL_CLIPPED:
      if (d->kind == SW_DIST_NORMAL_CLIPPED && a != 0)
        {
          /* Spikeworks sets draws of the other sign than the mean to 0. */
          if (a > 0)
            low = MAX (low, 0.0);
          else
            high = MIN (high, 0.0);
        }
      if (isinf (low) && isinf (high))
        {
          g_string_append (s, "RandomDistribution(\"normal\", mu=");
          num (s, a);
          g_string_append (s, ", sigma=");
          num (s, b);
          g_string_append_printf (s, ", rng=rng(%d))", (*stream)++);
          return;
        }
      g_string_append (s, "RandomDistribution(\"normal_clipped_to_boundary\", mu=");
      num (s, a);
      g_string_append (s, ", sigma=");
      num (s, b);
      g_string_append (s, ", low=");
      num (s, low);
      g_string_append (s, ", high=");
      num (s, high);
      g_string_append_printf (s, ", rng=rng(%d))", (*stream)++);
      return;
    case SW_DIST_CONSTANT:
    case SW_N_DISTS:
    default:
      num (s, a);
      return;
    }
}

static const char *
dist_name (SwDistKind kind)
{
  switch (kind)
    {
    case SW_DIST_UNIFORM:
      return "uniform";
    case SW_DIST_NORMAL:
      return "normal";
    case SW_DIST_NORMAL_CLIPPED:
      return "normal_clipped";
    case SW_DIST_CONSTANT:
    case SW_N_DISTS:
    default:
      return "constant";
    }
}

/* Document look-ups for comments. */

static const SwDocPop *
doc_pop (SwDocument *doc, const char *name)
{
  for (guint k = 0; k < doc->pops->len; k++)
    {
      const SwDocPop *p = g_ptr_array_index (doc->pops, k);
      if (g_strcmp0 (p->name, name) == 0)
        return p;
    }
  return NULL;
}

static const char *
doc_proj_description (SwDocument *doc, const char *name)
{
  for (guint k = 0; k < doc->projs->len; k++)
    {
      const SwDocProj *p = g_ptr_array_index (doc->projs, k);
      if (g_strcmp0 (p->auto_name, name) == 0)
        return p->description;
    }
  return NULL;
}

static const char *
doc_stim_description (SwDocument *doc, const char *name)
{
  for (guint k = 0; k < doc->stims->len; k++)
    {
      const SwDocStim *p = g_ptr_array_index (doc->stims, k);
      if (g_strcmp0 (p->auto_name, name) == 0)
        return p->description;
    }
  return NULL;
}

/* Simulator-specific limits */

static gboolean
check_simulator (const SwNetSpec *spec, SwPynnSimulator sim, GError **error)
{
  for (int p = 0; p < spec->n_pops; p++)
    {
      const SwPopSpec *pop = &spec->pops[p];
      if (pop->kind != SW_POP_NEURONS)
        continue;
      Model m = model_of (pop);
      if (m == MODEL_LIF_DELTA && sim == SW_PYNN_NEURON)
        return refuse (error, "population '%s': model lif_delta (PyNN's IF_curr_delta) is not "
                       "available in pyNN.neuron", pop->name);
      if (m == MODEL_LIF_DELTA && sim == SW_PYNN_BRIAN2 && par (pop, "t_ref") > 0)
        return refuse (error, "population '%s': model lif_delta loses input arriving during the "
                       "refractory period (t_ref = %g ms); pyNN.brian2's IF_curr_delta adds it to v",
                       pop->name, par (pop, "t_ref"));
      if (m == MODEL_ADEX_COND)
        {
          /* pyNN.brian2 always cuts spikes at V_T + 5 Delta_T; pyNN.neuron
           * integrates v with implicit Euler, whose linearised step turns
           * back (v falls) once dt g_L exp((v - V_T)/Delta_T) / C_m exceeds
           * 1, so the script detects spikes there at V_T + 5 Delta_T too
           * (see early_cut()) and needs that step to be stable. */
          double dT = par (pop, "Delta_T"), early = par (pop, "V_T") + EARLY_CUT_SLOPES * dT;
          double cut = par (pop, "V_cut");
          if (sim == SW_PYNN_BRIAN2 && cut < early - 1e-9)
            return refuse (error, "population '%s': model adex_cond cuts spikes at V_cut = %g mV, below "
                           "V_T + 5 Delta_T = %g mV where pyNN.brian2's EIF_cond_exp_isfa_ista always cuts",
                           pop->name, cut, early);
          double x = MIN ((cut - par (pop, "V_T")) / dT, EARLY_CUT_SLOPES);
          double gain = spec->dt_ms * par (pop, "g_L") * exp (x) / par (pop, "C_m");
          if (sim == SW_PYNN_NEURON && gain >= 1.0)
            return refuse (error, "population '%s': pyNN.neuron's implicit Euler cannot follow the spike "
                           "upswing of model adex_cond at dt = %g ms (needs dt < %.3g ms)", pop->name,
                           spec->dt_ms, spec->dt_ms / gain);
        }
    }
  return TRUE;
}

/* The script */

typedef struct
{
  SwDocument *doc;
  const SwNetSpec *spec;
  GString *s;
  guint sims;
  char *excluded[N_SIMULATORS];   /* reason per simulator left out, or NULL */
  double max_delay;
  gboolean need_trains, need_kicks, need_early_cut;
  int stream;                     /* the next random stream of the script */
  GString *notes;                 /* what the user should know, one line each */
} Writer;

static const char *
view (const SwNetSpec *spec, int target, int first, int count, char *buf, gsize size)
{
  const SwPopSpec *pop = &spec->pops[target];
  if (count < 0)
    count = pop->n - first;
  GString *g = g_string_new ("pops[");
  pystr (g, pop->name);
  g_string_append_c (g, ']');
  if (first != 0 || count != pop->n)
    g_string_append_printf (g, "[%d:%d]", first, first + count);
  g_strlcpy (buf, g->str, size);
  g_string_free (g, TRUE);
  return buf;
}

static gboolean
write_cell (Writer *w, const SwPopSpec *pop, GError **error)
{
  GString *s = w->s;
  Model m = model_of (pop);
  double t_m = 0;

  switch (m)
    {
    case MODEL_LIF_COND:
    case MODEL_ADEX_COND:
      t_m = par (pop, "C_m") / par (pop, "g_L");
      g_string_append_printf (s, "    sim.%s(\n", m == MODEL_LIF_COND ? "IF_cond_exp" : "EIF_cond_exp_isfa_ista");
      g_string_append (s, "        cm=");
      num (s, par (pop, "C_m") * 1e-3);
      g_string_append (s, ",  # nF (C_m)\n        tau_m=");
      num (s, t_m);
      g_string_append (s, ",  # ms (C_m / g_L)\n        v_rest=");
      num (s, par (pop, "E_L"));
      g_string_append (s, ",  # mV (E_L)\n");
      if (m == MODEL_LIF_COND)
        {
          g_string_append (s, "        v_thresh=");
          num (s, par (pop, "V_th"));
          g_string_append (s, ",  # mV (V_th)\n");
        }
      else
        {
          g_string_append (s, "        v_thresh=");
          num (s, par (pop, "V_T"));
          g_string_append (s, ",  # mV (V_T, where the exponential takes over)\n        delta_T=");
          num (s, par (pop, "Delta_T"));
          g_string_append (s, ",  # mV (Delta_T)\n        v_spike=");
          double early = par (pop, "V_T") + EARLY_CUT_SLOPES * par (pop, "Delta_T");
          if (par (pop, "V_cut") > early + 1e-9)
            {
              w->need_early_cut = TRUE;
              g_string_append_printf (w->notes, "population '%s': on pyNN.neuron and pyNN.brian2 spikes are "
                                      "detected at V_T + 5 Delta_T = %g mV instead of V_cut = %g mV\n",
                                      pop->name, early, par (pop, "V_cut"));
              g_string_append (s, "spike_cut(");
              num (s, par (pop, "V_cut"));
              g_string_append (s, ", ");
              num (s, early);
              g_string_append (s, "),  # mV (V_cut; V_T + 5 Delta_T on some back ends, see spike_cut())\n        a=");
            }
          else
            {
              num (s, par (pop, "V_cut"));
              g_string_append (s, ",  # mV (V_cut, spike detection)\n        a=");
            }
          num (s, par (pop, "a"));
          g_string_append (s, ",  # nS (a)\n        b=");
          num (s, par (pop, "b") * 1e-3);
          g_string_append (s, ",  # nA (b)\n        tau_w=");
          num (s, par (pop, "tau_w"));
          g_string_append (s, ",  # ms (tau_w)\n");
        }
      g_string_append (s, "        v_reset=");
      num (s, par (pop, "V_reset"));
      g_string_append (s, ",  # mV (V_reset)\n        tau_refrac=");
      num (s, par (pop, "t_ref"));
      g_string_append (s, ",  # ms (t_ref)\n        e_rev_E=");
      num (s, par (pop, "E_e"));
      g_string_append (s, ",  # mV (E_e)\n        e_rev_I=");
      num (s, par (pop, "E_i"));
      g_string_append (s, ",  # mV (E_i)\n        tau_syn_E=");
      num (s, par (pop, "tau_e"));
      g_string_append (s, ",  # ms (tau_e)\n        tau_syn_I=");
      num (s, par (pop, "tau_i"));
      g_string_append (s, ",  # ms (tau_i)\n        i_offset=");
      num (s, par (pop, "I_e") * 1e-3);
      g_string_append (s, ",  # nA (I_e)\n    )");
      return TRUE;
    case MODEL_LIF_CURR:
    case MODEL_LIF_DELTA:
      t_m = par (pop, "tau_m");
      g_string_append_printf (s, "    sim.%s(\n", m == MODEL_LIF_CURR ? "IF_curr_exp" : "IF_curr_delta");
      g_string_append (s, "        cm=");
      num (s, CURR_CM_NF);
      g_string_append (s, ",  # nF (fixed by the export: currents of x mV become x cm / tau_m nA)\n        tau_m=");
      num (s, t_m);
      g_string_append (s, ",  # ms (tau_m)\n        v_rest=");
      num (s, par (pop, "E_L"));
      g_string_append (s, ",  # mV (E_L)\n        v_thresh=");
      num (s, par (pop, "V_th"));
      g_string_append (s, ",  # mV (V_th)\n        v_reset=");
      num (s, par (pop, "V_reset"));
      g_string_append (s, ",  # mV (V_reset)\n        tau_refrac=");
      num (s, par (pop, "t_ref"));
      g_string_append (s, ",  # ms (t_ref)\n");
      if (m == MODEL_LIF_CURR)
        {
          g_string_append (s, "        tau_syn_E=");
          num (s, par (pop, "tau_e"));
          g_string_append (s, ",  # ms (tau_e)\n        tau_syn_I=");
          num (s, par (pop, "tau_i"));
          g_string_append (s, ",  # ms (tau_i)\n");
        }
      g_string_append (s, "        i_offset=");
      num (s, par (pop, "I_e") * CURR_CM_NF / t_m);
      g_string_append (s, ",  # nA (I_e = ");
      num (s, par (pop, "I_e"));
      g_string_append (s, " mV times cm / tau_m)\n    )");
      return TRUE;
    case MODEL_OTHER:
    default:
      return refuse (error, "population '%s': model %s has no PyNN standard cell type", pop->name,
                     pop->type->name);
    }
}

/* A Python expression of the rate or current of components @w at time
 * array `t` (ms), using the waveform helpers of the script. */
static void
waveform_py (GString *s, const SwWaveform *w, int n)
{
  if (n == 0)
    {
      g_string_append (s, "0.0 * t");
      return;
    }
  for (int k = 0; k < n; k++)
    {
      const SwWaveform *c = &w[k];
      if (k > 0)
        g_string_append (s, " + ");
      g_string_append_printf (s, "%s(t, ", sw_waveform_kind_name (c->kind));
      num (s, c->amplitude);
      g_string_append (s, ", ");
      num (s, c->t0_ms);
      switch (c->kind)
        {
        case SW_WAVE_PULSE:
        case SW_WAVE_RAMP:
          g_string_append (s, ", ");
          num (s, c->duration_ms);
          break;
        case SW_WAVE_GAUSSIAN_RISE:
          g_string_append (s, ", ");
          num (s, c->tau1_ms);
          break;
        case SW_WAVE_DOUBLE_GAUSSIAN:
          g_string_append (s, ", ");
          num (s, c->tau1_ms);
          g_string_append (s, ", ");
          num (s, c->tau2_ms);
          break;
        case SW_WAVE_SINE:
          g_string_append (s, ", ");
          num (s, c->duration_ms);
          g_string_append (s, ", ");
          num (s, c->freq_hz);
          break;
        case SW_WAVE_CONSTANT:
        case SW_N_WAVES:
        default:
          break;
        }
      g_string_append_c (s, ')');
    }
}

static gboolean
write_population (Writer *w, int p, GError **error)
{
  GString *s = w->s;
  const SwPopSpec *pop = &w->spec->pops[p];
  const SwDocPop *dp = doc_pop (w->doc, pop->name);

  g_string_append_c (s, '\n');
  if (pop->kind == SW_POP_NEURONS)
    {
      g_autofree char *head = g_strdup_printf ("Population %s: %d neurons, model %s (%s).", pop->name, pop->n,
                                               pop->type->name, pop->type->label);
      comment (s, "", head);
      if (dp && dp->description)
        comment (s, "", dp->description);
      g_string_append (s, "pops[");
      pystr (s, pop->name);
      g_string_append_printf (s, "] = sim.Population(\n    %d,\n", pop->n);
      if (!write_cell (w, pop, error))
        return FALSE;
      g_string_append (s, ",\n    label=");
      pystr (s, pop->name);
      g_string_append (s, ",\n)\n");

      /* Initial values.  v (and w of the AdEx model) through initialize();
       * synaptic variables through a kick, see the top of the file. */
      GString *init = g_string_new (NULL);
      for (int k = 0; k < pop->type->n_state; k++)
        {
          const char *name = pop->type->state[k].name;
          const SwDist *d = &pop->init[k];
          if (k == pop->type->v_index || strcmp (name, "w") == 0)
            {
              g_string_append_printf (init, "%s%s=", init->len ? ", " : "", k == pop->type->v_index ? "v" : "w");
              dist_py (init, &w->stream, d, k == pop->type->v_index ? 1.0 : 1e-3, -INFINITY, INFINITY);
              continue;
            }
          if (d->kind == SW_DIST_CONSTANT && d->a == 0)
            continue;
          /* g_e, g_i, i_e, i_i: receptor 0 (exc) or 1 (inh). */
          int receptor = (name[2] == 'e') ? 0 : 1;
          double lo, hi, f = synaptic_factor (pop);
          dist_range (d, &lo, &hi);
          gboolean cond = conductance_based (pop);
          gboolean positive = cond || receptor == 0;
          /* Normal draws of the other sign are set to 0 below; a range or a
           * mean of the other sign cannot be expressed. */
          if (d->kind == SW_DIST_NORMAL || d->kind == SW_DIST_NORMAL_CLIPPED)
            lo = hi = d->a;
          if ((positive && lo < 0) || (!positive && hi > 0))
            {
              g_string_free (init, TRUE);
              return refuse (error, "population '%s': the initial %s (%s, %g … %g) lies on the wrong side of 0 "
                             "for PyNN's %s synapses (%s)", pop->name, name, dist_name (d->kind), lo, hi,
                             receptor == 0 ? "excitatory" : "inhibitory", positive ? "non-negative" : "non-positive");
            }
          w->need_kicks = TRUE;
          g_string_append (s, "kick(pops[");
          pystr (s, pop->name);
          g_string_append_printf (s, "], \"%s\", ", receptor == 0 ? "excitatory" : "inhibitory");
          dist_py (s, &w->stream, d, f, positive ? 0.0 : -INFINITY, positive ? INFINITY : 0.0);
          g_string_append_printf (s, ")  # initial %s", name);
          if (d->kind == SW_DIST_NORMAL && d->b > 0)
            {
              /* The share of draws that PyNN's synapses cannot take. */
              double z = d->a / (d->b * M_SQRT2);
              double share = 0.5 * erfc (positive ? z : -z);
              g_string_append_printf (s, "; the %.2g %% of draws %s 0 are set to 0", 100.0 * share,
                                      positive ? "below" : "above");
              g_string_append_printf (w->notes, "population '%s': the %.2g %% of initial %s values %s 0 are set "
                                      "to 0 (PyNN's synapses take weights of one sign)\n", pop->name,
                                      100.0 * share, name, positive ? "below" : "above");
            }
          g_string_append_c (s, '\n');
        }
      if (init->len > 0)
        {
          g_string_append (s, "pops[");
          pystr (s, pop->name);
          g_string_append_printf (s, "].initialize(%s)\n", init->str);
        }
      g_string_free (init, TRUE);
      g_string_append (s, "pops[");
      pystr (s, pop->name);
      g_string_append (s, "].record(\"spikes\")\n");
      return TRUE;
    }

  if (pop->kind == SW_POP_POISSON)
    {
      g_autofree char *head = g_strdup_printf ("Population %s: %d Poisson sources.", pop->name, pop->n);
      comment (s, "", head);
      if (dp && dp->description)
        comment (s, "", dp->description);
      for (int k = 0; k < pop->n_rate; k++)
        if (pop->rate[k].amplitude < 0)
          return refuse (error, "population '%s': rate component %d (%s) is negative", pop->name, k + 1,
                         sw_waveform_kind_name (pop->rate[k].kind));
      gboolean simple = pop->n_rate == 0
                        || (pop->n_rate == 1 && (pop->rate[0].kind == SW_WAVE_CONSTANT
                                                 || pop->rate[0].kind == SW_WAVE_PULSE));
      g_string_append (s, "pops[");
      pystr (s, pop->name);
      g_string_append_printf (s, "] = sim.Population(\n    %d,\n", pop->n);
      if (simple)
        {
          const SwWaveform *r = pop->n_rate ? &pop->rate[0] : NULL;
          g_string_append (s, "    sim.SpikeSourcePoisson(rate=");
          num (s, r ? r->amplitude : 0.0);
          if (r && r->t0_ms != 0)
            {
              g_string_append (s, ", start=");
              num (s, r->t0_ms);
            }
          if (r && r->kind == SW_WAVE_PULSE)
            {
              g_string_append (s, ", duration=");
              num (s, r->duration_ms);
            }
          g_string_append (s, "),  # Hz per source, ms\n");
        }
      else
        {
          /* One train per source with the rate's full time course: drawn
           * here, step by step, as the Spikeworks core draws them. */
          w->need_trains = TRUE;
          g_string_append (s, "    sim.SpikeSourceArray(spike_times=poisson_trains(\n        ");
          g_string_append_printf (s, "%d, lambda t: ", pop->n);
          waveform_py (s, pop->rate, pop->n_rate);
          g_string_append_printf (s, ",\n        stream=%d)),  # Hz per source\n", TRAIN_STREAM + p);
        }
      g_string_append (s, "    label=");
      pystr (s, pop->name);
      g_string_append (s, ",\n)\n");
      return TRUE;
    }

  /* SW_POP_SPIKE_TIMES */
  g_autofree char *head = g_strdup_printf ("Population %s: %d sources firing at given times.", pop->name, pop->n);
  comment (s, "", head);
  if (dp && dp->description)
    comment (s, "", dp->description);
  GPtrArray *per = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (int i = 0; i < pop->n; i++)
    g_ptr_array_add (per, g_array_new (FALSE, FALSE, sizeof (double)));
  for (int k = 0; k < pop->n_times; k++)
    {
      int i = pop->times_index[k];
      if (i >= 0 && i < pop->n)
        g_array_append_val (g_ptr_array_index (per, i), pop->times_ms[k]);
    }
  g_string_append (s, "pops[");
  pystr (s, pop->name);
  g_string_append_printf (s, "] = sim.Population(\n    %d,\n    sim.SpikeSourceArray(spike_times=[\n", pop->n);
  for (int i = 0; i < pop->n; i++)
    {
      GArray *a = g_ptr_array_index (per, i);
      g_array_sort (a, compare_double);
      g_string_append (s, "        Sequence([");
      for (guint k = 0; k < a->len; k++)
        {
          if (k > 0)
            g_string_append (s, ", ");
          num (s, g_array_index (a, double, k));
        }
      g_string_append (s, "]),\n");
    }
  g_ptr_array_unref (per);
  g_string_append (s, "    ]),  # ms\n    label=");
  pystr (s, pop->name);
  g_string_append (s, ",\n)\n");
  return TRUE;
}

static const char *
connector_py (const SwProjSpec *pr, gboolean self, int *stream, char *buf, gsize size)
{
  const char *autapses = pr->autapses ? "True" : "False";
  switch (pr->rule)
    {
    case SW_CONN_ALL_TO_ALL:
      if (self)
        g_snprintf (buf, size, "sim.AllToAllConnector(allow_self_connections=%s)", autapses);
      else
        g_snprintf (buf, size, "sim.AllToAllConnector()");
      break;
    case SW_CONN_ONE_TO_ONE:
      g_snprintf (buf, size, "sim.OneToOneConnector()");
      break;
    case SW_CONN_FIXED_PROBABILITY:
      {
        GString *g = g_string_new ("sim.FixedProbabilityConnector(");
        num (g, pr->p);
        if (self)
          g_string_append_printf (g, ", allow_self_connections=%s", autapses);
        g_string_append_printf (g, ", rng=rng(%d))", (*stream)++);
        g_strlcpy (buf, g->str, size);
        g_string_free (g, TRUE);
      }
      break;
    case SW_CONN_FIXED_INDEGREE:
    case SW_CONN_FIXED_OUTDEGREE:
    case SW_N_CONNS:
    default:
      g_snprintf (buf, size, "sim.%s(%d, %swith_replacement=%s, rng=rng(%d))",
                  pr->rule == SW_CONN_FIXED_INDEGREE ? "FixedNumberPreConnector" : "FixedNumberPostConnector",
                  pr->k, self ? (pr->autapses ? "allow_self_connections=True, " : "allow_self_connections=False, ") : "",
                  pr->multapses ? "True" : "False", (*stream)++);
      break;
    }
  return buf;
}

/* The receptor_type of weights @lo … @hi into receptor @receptor of @post;
 * NULL with @error when PyNN's synapses cannot take them. */
static const char *
receptor_type (const SwPopSpec *post, int receptor, double lo, double hi, const char *what, GError **error)
{
  if (model_of (post) == MODEL_LIF_DELTA)
    {
      /* One receptor, the membrane; PyNN names it by the weight's sign. */
      if (lo >= 0)
        return "excitatory";
      if (hi <= 0)
        return "inhibitory";
      refuse (error, "%s: weights of both signs (%g … %g mV) into a delta synapse: PyNN's IF_curr_delta "
              "takes positive weights on its excitatory and negative ones on its inhibitory receptor",
              what, lo, hi);
      return NULL;
    }
  const char *rname = post->type->receptors[receptor];
  gboolean exc = strcmp (rname, "exc") == 0;
  if (conductance_based (post))
    {
      if (lo < 0)
        {
          refuse (error, "%s: negative conductance weights (down to %g nS) cannot be expressed in PyNN", what, lo);
          return NULL;
        }
    }
  else if ((exc && lo < 0) || (!exc && hi > 0))
    {
      refuse (error, "%s: weights of %g … %g mV onto receptor '%s': PyNN's current synapses take %s weights there",
              what, lo, hi, rname, exc ? "non-negative" : "non-positive");
      return NULL;
    }
  return exc ? "excitatory" : "inhibitory";
}

static gboolean
write_projection (Writer *w, int j, GError **error)
{
  GString *s = w->s;
  const SwNetSpec *spec = w->spec;
  const SwProjSpec *pr = &spec->projs[j];
  const SwPopSpec *pre = &spec->pops[pr->pre], *post = &spec->pops[pr->post];
  const double dt = spec->dt_ms;
  g_autofree char *what = g_strdup_printf ("projection '%s'", pr->name);
  char buf[256];

  if (post->kind != SW_POP_NEURONS)
    return refuse (error, "%s: its target '%s' is not a population of neurons", what, post->name);

  double lo, hi;
  dist_range (&pr->weight, &lo, &hi);
  const char *rtype = receptor_type (post, pr->receptor, lo, hi, what, error);
  if (rtype == NULL)
    return FALSE;

  /* Delays are whole steps, at least one, as in Spikeworks. */
  GString *delay = g_string_new (NULL);
  double dlo, dhi;
  dist_range (&pr->delay_ms, &dlo, &dhi);
  if (pr->delay_ms.kind == SW_DIST_CONSTANT)
    {
      double steps = MAX (1.0, floor (pr->delay_ms.a / dt + 0.5));
      num (delay, steps * dt);
      w->max_delay = MAX (w->max_delay, steps * dt);
    }
  else if (pr->delay_ms.kind == SW_DIST_UNIFORM)
    {
      if (dlo < dt)
        {
          g_string_free (delay, TRUE);
          return refuse (error, "%s: uniform delays from %g ms lie partly below one time step (%g ms), which "
                         "Spikeworks raises to one step and PyNN refuses", what, dlo, dt);
        }
      dist_py (delay, &w->stream, &pr->delay_ms, 1.0, -INFINITY, INFINITY);
      w->max_delay = MAX (w->max_delay, dhi);
    }
  else
    {
      /* Normal delays: below one step raised to one step, as Spikeworks does;
       * bounded at 8 standard deviations above the mean for max_delay. */
      double top = pr->delay_ms.a + 8.0 * pr->delay_ms.b;
      SwDist d = pr->delay_ms;
      d.kind = SW_DIST_NORMAL;
      dist_py (delay, &w->stream, &d, 1.0, dt, MAX (top, dt));
      w->max_delay = MAX (w->max_delay, top);
    }

  g_string_append_c (s, '\n');
  {
    GString *h = g_string_new (NULL);
    g_string_append_printf (h, "Projection %s: %s -> %s, ", pr->name, pre->name, post->name);
    switch (pr->rule)
      {
      case SW_CONN_ALL_TO_ALL:
        g_string_append (h, "all to all");
        break;
      case SW_CONN_ONE_TO_ONE:
        g_string_append (h, "one to one");
        break;
      case SW_CONN_FIXED_PROBABILITY:
        g_string_append_printf (h, "each pair with probability %g", pr->p);
        break;
      case SW_CONN_FIXED_INDEGREE:
        g_string_append_printf (h, "%d sources per target", pr->k);
        break;
      case SW_CONN_FIXED_OUTDEGREE:
      case SW_N_CONNS:
      default:
        g_string_append_printf (h, "%d targets per source", pr->k);
        break;
      }
    g_string_append_printf (h, "; weight %s %g%s%s %s onto receptor '%s'.", dist_name (pr->weight.kind),
                            pr->weight.a, pr->weight.kind != SW_DIST_CONSTANT ? ", " : "",
                            pr->weight.kind != SW_DIST_CONSTANT ? g_ascii_dtostr (buf, sizeof buf, pr->weight.b) : "",
                            post->type->receptor_units[pr->receptor], post->type->receptors[pr->receptor]);
    comment (s, "", h->str);
    g_string_free (h, TRUE);
  }
  const char *desc = doc_proj_description (w->doc, pr->name);
  if (desc)
    comment (s, "", desc);

  g_string_append (s, "projs[");
  pystr (s, pr->name);
  g_string_append (s, "] = sim.Projection(\n    pops[");
  pystr (s, pre->name);
  g_string_append (s, "], pops[");
  pystr (s, post->name);
  g_string_append_printf (s, "],\n    %s,\n", connector_py (pr, pr->pre == pr->post, &w->stream, buf, sizeof buf));
  g_string_append (s, "    sim.StaticSynapse(weight=");
  dist_py (s, &w->stream, &pr->weight, synaptic_factor (post), -INFINITY, INFINITY);
  g_string_append_printf (s, ", delay=%s),  # %s, ms\n", delay->str, pynn_unit (post));
  g_string_append_printf (s, "    receptor_type=\"%s\",\n    label=", rtype);
  pystr (s, pr->name);
  g_string_append (s, ",\n)\n");
  g_string_free (delay, TRUE);
  return TRUE;
}

static gboolean
write_stimulus (Writer *w, int k, GError **error)
{
  GString *s = w->s;
  const SwNetSpec *spec = w->spec;
  const SwStimSpec *st = &spec->stims[k];
  const SwPopSpec *pop = &spec->pops[st->target];
  const double dt = spec->dt_ms;
  int count = st->count < 0 ? pop->n - st->first : st->count;
  char target[256];
  view (spec, st->target, st->first, st->count, target, sizeof target);

  if (pop->kind != SW_POP_NEURONS)
    return refuse (error, "stimulus '%s': its target '%s' is not a population of neurons", st->name, pop->name);

  for (int c = 0; c < st->n_profile; c++)
    {
      const SwWaveform *wf = &st->profile[c];
      if (wf->kind != SW_WAVE_CONSTANT && wf->kind != SW_WAVE_PULSE)
        {
          if (st->kind == SW_STIM_POISSON)
            return refuse (error, "stimulus '%s': a Poisson stimulus with a '%s' rate cannot be expressed: PyNN's "
                           "SpikeSourcePoisson keeps a constant rate between its start and its end (use a Poisson "
                           "population with a one_to_one projection instead: its trains are exported with their "
                           "time course)", st->name, sw_waveform_kind_name (wf->kind));
          return refuse (error, "stimulus '%s': a current with a '%s' waveform cannot be expressed: PyNN's DCSource "
                         "holds constant currents between a start and a stop", st->name,
                         sw_waveform_kind_name (wf->kind));
        }
      if (st->kind == SW_STIM_POISSON && wf->amplitude < 0)
        return refuse (error, "stimulus '%s': rate component %d is negative (%g Hz)", st->name, c + 1, wf->amplitude);
    }

  g_string_append_c (s, '\n');
  {
    g_autofree char *h = NULL;
    if (st->kind == SW_STIM_POISSON)
      h = g_strdup_printf ("Stimulus %s: into each of %d neurons of %s, %d independent Poisson trains of weight %g %s "
                           "onto receptor '%s', i.e. one train of %d times the rate per neuron.",
                           st->name, count, pop->name, st->n_sources, st->weight,
                           pop->type->receptor_units[st->receptor], pop->type->receptors[st->receptor],
                           st->n_sources);
    else
      h = g_strdup_printf ("Stimulus %s: a current (%s) injected into %d neurons of %s.", st->name,
                           pop->type->current_unit, count, pop->name);
    comment (s, "", h);
  }
  const char *desc = doc_stim_description (w->doc, st->name);
  if (desc)
    comment (s, "", desc);

  if (st->kind == SW_STIM_POISSON)
    {
      g_autofree char *what = g_strdup_printf ("stimulus '%s'", st->name);
      const char *rtype = receptor_type (pop, st->receptor, st->weight, st->weight, what, error);
      if (rtype == NULL)
        return FALSE;
      for (int c = 0; c < st->n_profile; c++)
        {
          const SwWaveform *wf = &st->profile[c];
          if (wf->amplitude == 0)
            continue;
          /* Independent Poisson trains add up: one source population per
           * component, one source per target neuron. */
          g_autofree char *name = st->n_profile > 1 ? g_strdup_printf ("%s.%d", st->name, c + 1) : g_strdup (st->name);
          g_string_append (s, "stim[");
          pystr (s, name);
          g_string_append_printf (s, "] = sim.Population(%d, sim.SpikeSourcePoisson(rate=", count);
          num (s, wf->amplitude * st->n_sources);
          if (wf->t0_ms != 0)
            {
              g_string_append (s, ", start=");
              num (s, wf->t0_ms);
            }
          if (wf->kind == SW_WAVE_PULSE)
            {
              g_string_append (s, ", duration=");
              num (s, wf->duration_ms);
            }
          g_string_append (s, "), label=");
          pystr (s, name);
          g_string_append (s, ")  # Hz, ms\nsim.Projection(stim[");
          pystr (s, name);
          g_string_append_printf (s, "], %s, sim.OneToOneConnector(),\n               sim.StaticSynapse(weight=", target);
          num (s, st->weight * synaptic_factor (pop));
          g_string_append (s, ", delay=");
          num (s, dt);
          g_string_append_printf (s, "), receptor_type=\"%s\")  # %s, ms\n", rtype, pynn_unit (pop));
        }
      return TRUE;
    }

  /* Currents add up: one DCSource per component. */
  for (int c = 0; c < st->n_profile; c++)
    {
      const SwWaveform *wf = &st->profile[c];
      g_string_append (s, "sim.DCSource(amplitude=");
      num (s, wf->amplitude * current_factor (pop));
      g_string_append (s, ", start=");
      num (s, wf->t0_ms);
      if (wf->kind == SW_WAVE_PULSE)
        {
          g_string_append (s, ", stop=");
          num (s, wf->t0_ms + wf->duration_ms);
        }
      g_string_append_printf (s, ").inject_into(%s)  # nA (%g %s), ms\n", target, wf->amplitude,
                              pop->type->current_unit);
    }
  return TRUE;
}

static void
write_header (Writer *w)
{
  GString *s = w->s;
  SwDocument *doc = w->doc;
  const SwNetSpec *spec = w->spec;

  g_string_append (s, "#!/usr/bin/env python3\n");
  {
    g_autofree char *h = g_strdup_printf ("PyNN 0.10 script of the Spikeworks document %s.",
                                          sw_document_get_display_name (doc));
    comment (s, "", h);
  }
  g_string_append (s, "#\n");
  if (sw_document_get_name (doc))
    comment (s, "", sw_document_get_name (doc));
  if (sw_document_get_description (doc))
    comment (s, "", sw_document_get_description (doc));
  if (sw_document_get_explanation (doc))
    {
      g_string_append (s, "#\n");
      comment (s, "", sw_document_get_explanation (doc));
    }
  if (doc->references && doc->references[0])
    {
      g_string_append (s, "#\n# References:\n");
      for (char **r = doc->references; *r; r++)
        {
          g_autofree char *item = g_strconcat ("- ", *r, NULL);
          comment (s, "", item);
        }
    }
  guint nv = sw_document_get_n_variables (doc);
  if (nv > 0)
    {
      g_string_append (s, "#\n# Variables of the document, as exported:\n");
      for (guint k = 0; k < nv; k++)
        {
          SwVariableInfo v;
          if (!sw_document_get_variable (doc, k, &v))
            continue;
          GString *line = g_string_new (NULL);
          g_string_append_printf (line, "- %s = %g%s%s", v.name, v.value, *v.unit ? " " : "", v.unit);
          if (v.expression)
            g_string_append_printf (line, " (= %s)", v.expression);
          if (v.label)
            g_string_append_printf (line, ": %s", v.label);
          comment (s, "", line->str);
          g_string_free (line, TRUE);
        }
    }
  g_string_append (s, "#\n");
  GString *sims = g_string_new (NULL);
  for (int k = 0; k < N_SIMULATORS; k++)
    if (w->sims & (1u << k))
      g_string_append_printf (sims, "%s%s", sims->len ? "|" : "", simulator_names[k]);
  g_autofree char *usage = g_strdup_printf (
      "Usage: python3 %s --simulator %s [--duration MS] [--warmup MS]. At its end the script prints one JSON "
      "line with the mean rate of every population of neurons over [warmup, duration), as `spikeworks-cli run` "
      "measures it: {\"populations\": {\"E\": {\"n\": ..., \"spikes\": ..., \"rate_hz\": ...}, ...}, ...}.",
      "model.py", sims->str);
  comment (s, "", usage);
  g_string_free (sims, TRUE);
  for (int k = 0; k < N_SIMULATORS; k++)
    if (w->excluded[k])
      {
        g_autofree char *n = g_strdup_printf ("Not for pyNN.%s: %s.", simulator_names[k], w->excluded[k]);
        comment (s, "", n);
      }
  g_string_append (s, "#\n");
  comment (s, "",
           "Units are PyNN's: ms, mV, nF, nA and uS (Spikeworks' nS and pA divided by 1000). Each simulator "
           "integrates with its own method and random numbers, so the same seed gives other spikes than in "
           "Spikeworks; compare rates and other statistics, not spike times.");
  if (w->need_early_cut)
    comment (s, "", "On pyNN.neuron and pyNN.brian2, AdEx spikes are detected at V_T + 5 Delta_T rather "
             "than at V_cut; see spike_cut().");
  if (spec->max_rate_hz > 0 || spec->threads > 0)
    comment (s, "", "The document's runaway threshold and thread count are settings of Spikeworks itself and "
             "have no counterpart here.");
  g_string_append (s, "\nimport argparse\nimport importlib\nimport json\nimport math\nimport sys\n\nimport numpy as np\n\n");

  g_string_append (s, "DT = ");
  num (s, spec->dt_ms);
  g_string_append (s, "  # ms, the time step\nDURATION = ");
  num (s, sw_document_get_duration_ms (doc));
  g_string_append (s, "  # ms\nWARMUP = ");
  num (s, sw_document_get_warmup_ms (doc));
  g_string_append_printf (s, "  # ms, excluded from the rates\nSEED = %" G_GUINT64_FORMAT "\n", spec->seed);
  g_string_append (s, "SIMULATORS = (");
  int n_sims = 0;
  for (int k = 0; k < N_SIMULATORS; k++)
    if (w->sims & (1u << k))
      g_string_append_printf (s, "%s\"%s\"", n_sims++ ? ", " : "", simulator_names[k]);
  g_string_append (s, n_sims == 1 ? ",)\nNOT_SUPPORTED = {\n" : ")\nNOT_SUPPORTED = {\n");
  for (int k = 0; k < N_SIMULATORS; k++)
    if (w->excluded[k])
      {
        g_string_append_printf (s, "    \"%s\": ", simulator_names[k]);
        pystr (s, w->excluded[k]);
        g_string_append (s, ",\n");
      }
  g_string_append (s, "}\n");
}

static const char script_setup[] =
  "\n"
  "parser = argparse.ArgumentParser(description=TITLE)\n"
  "parser.add_argument(\"--simulator\", required=True, choices=(\"neuron\", \"nest\", \"brian2\"))\n"
  "parser.add_argument(\"--duration\", type=float, default=DURATION, help=\"simulated time (ms)\")\n"
  "parser.add_argument(\"--warmup\", type=float, default=WARMUP, help=\"time left out of the rates (ms)\")\n"
  "args = parser.parse_args()\n"
  "if args.simulator in NOT_SUPPORTED:\n"
  "    print(f\"{sys.argv[0]}: not for pyNN.{args.simulator}: {NOT_SUPPORTED[args.simulator]}\", file=sys.stderr)\n"
  "    sys.exit(2)\n"
  "if not (args.duration > 0 and 0 <= args.warmup < args.duration):\n"
  "    print(f\"{sys.argv[0]}: need 0 <= warmup < duration\", file=sys.stderr)\n"
  "    sys.exit(2)\n"
  "duration = args.duration\n"
  "\n"
  "sim = importlib.import_module(\"pyNN.\" + args.simulator)\n"
  "from pyNN.parameters import Sequence  # noqa: E402\n"
  "from pyNN.random import NumpyRNG, RandomDistribution  # noqa: E402\n"
  "\n"
  "# Each back end seeds its own generators (Poisson sources) differently.\n"
  "seed_args = {\"neuron\": {\"native_rng_baseseed\": SEED}, \"nest\": {\"rng_seed\": SEED}, \"brian2\": {}}\n"
  "sim.setup(timestep=DT, min_delay=DT, max_delay=MAX_DELAY, **seed_args[args.simulator])\n"
  "if args.simulator == \"brian2\":\n"
  "    import brian2\n"
  "    brian2.seed(SEED)\n"
  "\n"
  "\n"
  "def rng(stream):\n"
  "    \"\"\"A generator of its own for each random quantity (connectivity, weights,\n"
  "    delays, initial values), keyed by the seed and a stream number.\"\"\"\n"
  "    return NumpyRNG(seed=int(np.random.SeedSequence([SEED, stream]).generate_state(1)[0]))\n"
  "\n"
  "\n"
  "pops = {}\n"
  "projs = {}\n"
  "stim = {}\n";

static const char script_trains[] =
  "\n"
  "\n"
  "# Rate waveforms (Hz per source) of the Spikeworks document, at times t (ms).\n"
  "def constant(t, amplitude, t0):\n"
  "    return np.where(t >= t0, amplitude, 0.0)\n"
  "\n"
  "\n"
  "def pulse(t, amplitude, t0, duration):\n"
  "    return np.where((t >= t0) & (t < t0 + duration), amplitude, 0.0)\n"
  "\n"
  "\n"
  "def gaussian_rise(t, amplitude, t0, tau1):\n"
  "    return amplitude * np.where(t >= t0, 1.0, np.exp(-(t - t0) ** 2 / (2 * tau1 ** 2)))\n"
  "\n"
  "\n"
  "def double_gaussian(t, amplitude, t0, tau1, tau2):\n"
  "    tau = np.where(t < t0, tau1, tau2)\n"
  "    return amplitude * np.exp(-(t - t0) ** 2 / (2 * tau ** 2))\n"
  "\n"
  "\n"
  "def sine(t, amplitude, t0, duration, freq):\n"
  "    on = (t >= t0) & ((duration <= 0) | (t < t0 + duration))\n"
  "    return np.where(on, amplitude * 0.5 * (1 - np.cos(2 * math.pi * freq * (t - t0) * 1e-3)), 0.0)\n"
  "\n"
  "\n"
  "def ramp(t, amplitude, t0, duration):\n"
  "    if duration <= 0:\n"
  "        return constant(t, amplitude, t0)\n"
  "    return amplitude * np.clip((t - t0) / duration, 0.0, 1.0)\n"
  "\n"
  "\n"
  "def poisson_trains(n, rate, stream):\n"
  "    \"\"\"Spike trains of n independent sources whose rate (Hz) follows rate(t).\n"
  "\n"
  "    As in Spikeworks, each source fires at most once per time step, with\n"
  "    probability rate(t) dt at the step starting at t.  The first step is\n"
  "    left out: spike sources cannot fire at t = 0 on every back end.\n"
  "    \"\"\"\n"
  "    gen = np.random.default_rng([SEED, stream])\n"
  "    steps = np.arange(1, int(round(duration / DT)))\n"
  "    prob = np.clip(rate(steps * DT) * DT * 1e-3, 0.0, 1.0)\n"
  "    counts = gen.binomial(n, prob)\n"
  "    step = np.repeat(steps, counts)\n"
  "    source = gen.integers(0, n, step.size)\n"
  "    # Two draws of one source in one step count once, as a probability per step.\n"
  "    key = np.unique(source.astype(np.int64) * (steps.size + 2) + step)\n"
  "    source, step = np.divmod(key, steps.size + 2)\n"
  "    bounds = np.searchsorted(source, np.arange(n + 1))\n"
  "    return [Sequence(np.round(step[bounds[i]:bounds[i + 1]] * DT, 6)) for i in range(n)]\n";

static const char script_early_cut[] =
  "\n"
  "\n"
  "def spike_cut(v_cut, early):\n"
  "    \"\"\"Where AdEx spikes are detected (mV).\n"
  "\n"
  "    pyNN.brian2 always cuts at V_T + 5 Delta_T.  pyNN.neuron integrates v with\n"
  "    implicit Euler, whose linearised step turns v back down once the\n"
  "    exponential current grows faster than one step can follow, so a cut far\n"
  "    above V_T is never reached; it detects spikes at V_T + 5 Delta_T as well.\n"
  "    From there the upswing to V_cut takes about tau_m exp(-5), 0.7 % of tau_m.\n"
  "    NEST follows the upswing to V_cut.\n"
  "    \"\"\"\n"
  "    return early if args.simulator in (\"neuron\", \"brian2\") else v_cut\n";

static const char script_kicks[] =
  "\n"
  "\n"
  "def kick(target, receptor, weight):\n"
  "    \"\"\"Gives the neurons of target an initial synaptic conductance or current.\n"
  "\n"
  "    Not every back end applies initial synaptic values given to initialize(),\n"
  "    so each neuron receives one spike of that weight from a source firing at\n"
  "    t = DT, arriving at 2 DT.\n"
  "    \"\"\"\n"
  "    source = sim.Population(target.size, sim.SpikeSourceArray(spike_times=Sequence([DT])),\n"
  "                            label=target.label + \" initial \" + receptor)\n"
  "    return sim.Projection(source, target, sim.OneToOneConnector(),\n"
  "                          sim.StaticSynapse(weight=weight, delay=DT), receptor_type=receptor)\n";

static const char script_run[] =
  "\n"
  "# Run, then the rates over [warmup, duration) as `spikeworks-cli run` measures them.\n"
  "sim.run(duration)\n"
  "summary = {\"simulator\": args.simulator, \"duration_ms\": duration, \"dt_ms\": DT,\n"
  "           \"warmup_ms\": args.warmup, \"seed\": SEED, \"populations\": {}}\n"
  "for name in NEURONS:\n"
  "    trains = pops[name].get_data(\"spikes\").segments[0].spiketrains\n"
  "    times = [np.asarray(train.rescale(\"ms\").magnitude) for train in trains]\n"
  "    spikes = int(sum(np.count_nonzero((t >= args.warmup - 1e-9) & (t < duration - 1e-9)) for t in times))\n"
  "    rate = spikes / (pops[name].size * (duration - args.warmup) * 1e-3)\n"
  "    summary[\"populations\"][name] = {\"n\": pops[name].size, \"spikes\": spikes, \"rate_hz\": rate}\n"
  "sim.end()\n"
  "print(json.dumps(summary))\n";

static char *
generate (SwDocument *doc, const SwNetSpec *spec, guint sims, char **excluded, GString *notes, GError **error)
{
  Writer w = { .doc = doc, .spec = spec, .sims = sims, .notes = notes };
  for (int k = 0; k < N_SIMULATORS; k++)
    w.excluded[k] = excluded ? excluded[k] : NULL;
  w.max_delay = spec->dt_ms;

  /* The body first (it finds the delays and the helpers needed), then the
   * header and the helpers in front of it. */
  GString *body = g_string_new (NULL);
  w.s = body;
  gboolean ok = TRUE;
  for (int p = 0; ok && p < spec->n_pops; p++)
    ok = write_population (&w, p, error);
  for (int j = 0; ok && j < spec->n_projs; j++)
    ok = write_projection (&w, j, error);
  for (int k = 0; ok && k < spec->n_stims; k++)
    ok = write_stimulus (&w, k, error);
  if (!ok)
    {
      g_string_free (body, TRUE);
      return NULL;
    }

  GString *s = g_string_new (NULL);
  w.s = s;
  write_header (&w);
  g_string_append (s, "MAX_DELAY = ");
  num (s, MAX (w.max_delay, 10.0 * spec->dt_ms));
  g_string_append (s, "  # ms\nNEURONS = (");
  int n_neurons = 0;
  for (int p = 0; p < spec->n_pops; p++)
    if (spec->pops[p].kind == SW_POP_NEURONS)
      {
        if (n_neurons++ > 0)
          g_string_append (s, ", ");
        pystr (s, spec->pops[p].name);
      }
  g_string_append (s, n_neurons == 1 ? ",)" : ")");
  g_string_append (s, "  # the populations of neurons, recorded\nTITLE = ");
  {
    g_autofree char *title = g_strdup_printf ("PyNN script of %s",
                                              sw_document_get_name (doc) ? sw_document_get_name (doc)
                                                                         : sw_document_get_display_name (doc));
    pystr (s, title);
  }
  g_string_append_c (s, '\n');
  g_string_append (s, script_setup);
  if (w.need_trains)
    g_string_append (s, script_trains);
  if (w.need_kicks)
    g_string_append (s, script_kicks);
  if (w.need_early_cut)
    g_string_append (s, script_early_cut);
  if (w.need_trains || w.need_kicks || w.need_early_cut)
    g_string_append (s, "\n");
  g_string_append_len (s, body->str, body->len);
  g_string_free (body, TRUE);
  g_string_append (s, script_run);
  return g_string_free (s, FALSE);
}

static SwNetSpec *
spec_of (SwDocument *doc, GError **error)
{
  SwNetSpec *spec = sw_document_build_spec (doc, error);
  if (spec == NULL)
    return NULL;
  for (int p = 0; p < spec->n_pops; p++)
    if (spec->pops[p].kind == SW_POP_NEURONS && model_of (&spec->pops[p]) == MODEL_OTHER)
      {
        refuse (error, "population '%s': model %s has no PyNN standard cell type", spec->pops[p].name,
                spec->pops[p].type->name);
        sw_net_spec_free (spec);
        return NULL;
      }
  return spec;
}

char *
sw_pynn_export_full (SwDocument *doc, guint simulators, char **notes, GError **error)
{
  g_return_val_if_fail (doc != NULL, NULL);

  if (notes)
    *notes = NULL;
  SwNetSpec *spec = spec_of (doc, error);
  if (spec == NULL)
    return NULL;

  GString *note = g_string_new (NULL);
  GString *why = g_string_new (NULL);
  char *excluded[N_SIMULATORS] = { NULL };
  guint sims = 0;
  char *text = NULL;
  for (int k = 0; k < N_SIMULATORS; k++)
    {
      g_autoptr (GError) inner = NULL;
      if (simulators != 0 && !(simulators & (1u << k)))
        excluded[k] = g_strdup ("not among the simulators it was exported for");
      else if (check_simulator (spec, 1 << k, &inner))
        sims |= 1u << k;
      else if (simulators != 0)
        {
          /* Asked for explicitly: refuse. */
          g_propagate_prefixed_error (error, g_steal_pointer (&inner), "pyNN.%s: ", simulator_names[k]);
          goto out;
        }
      else
        {
          excluded[k] = g_strdup (inner->message);
          g_string_append_printf (why, "%spyNN.%s: %s", why->len ? "; " : "", simulator_names[k], inner->message);
          g_string_append_printf (note, "the script does not run on pyNN.%s: %s\n", simulator_names[k],
                                  inner->message);
        }
    }
  if (sims == 0)
    {
      refuse (error, "no PyNN simulator can run this network: %s", why->str);
      goto out;
    }
  text = generate (doc, spec, sims, excluded, note, error);

out:
  for (int k = 0; k < N_SIMULATORS; k++)
    g_free (excluded[k]);
  g_string_free (why, TRUE);
  if (text != NULL && notes != NULL && note->len > 0)
    *notes = g_string_free (note, FALSE);
  else
    g_string_free (note, TRUE);
  sw_net_spec_free (spec);
  return text;
}

gboolean
sw_pynn_supports (SwDocument *doc, SwPynnSimulator sim, GError **error)
{
  g_autofree char *text = sw_pynn_export_full (doc, sim, NULL, error);
  return text != NULL;
}

char *
sw_pynn_export_for (SwDocument *doc, guint simulators, GError **error)
{
  g_return_val_if_fail ((simulators & SW_PYNN_ALL) != 0, NULL);
  return sw_pynn_export_full (doc, simulators & SW_PYNN_ALL, NULL, error);
}

char *
sw_pynn_export (SwDocument *doc, GError **error)
{
  return sw_pynn_export_full (doc, 0, NULL, error);
}
