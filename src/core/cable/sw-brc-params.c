/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names, defaults, checks and search box of the BRC network parameters (see
 * sw-brc-params.h).
 */
#include "sw-brc-params.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static const char *const condition_names[SW_BRC_N_CONDITIONS] = {
  [SW_BRC_COND_AMPA_SOMA] = "ampa-soma",
  [SW_BRC_COND_AMPA_DEND] = "ampa-dend",
  [SW_BRC_COND_NMDA_SOMA] = "nmda-soma",
  [SW_BRC_COND_NMDA_DEND] = "nmda-dend",
};

const char *
sw_brc_condition_name (SwBrcCondition cond)
{
  if ((int) cond < 0 || cond >= SW_BRC_N_CONDITIONS)
    return "?";
  return condition_names[cond];
}

int
sw_brc_condition_from_name (const char *name)
{
  for (int c = 0; c < SW_BRC_N_CONDITIONS; c++)
    if (strcmp (name, condition_names[c]) == 0)
      return c;
  return -1;
}

SwBrcReceptor
sw_brc_condition_receptor (SwBrcCondition cond)
{
  return cond == SW_BRC_COND_NMDA_SOMA || cond == SW_BRC_COND_NMDA_DEND ? SW_BRC_NMDA : SW_BRC_AMPA;
}

SwBrcSite
sw_brc_condition_site (SwBrcCondition cond)
{
  return cond == SW_BRC_COND_AMPA_DEND || cond == SW_BRC_COND_NMDA_DEND ? SW_BRC_SITE_DEND
                                                                         : SW_BRC_SITE_SOMA;
}

/* ------------------------------------------------------------------------ */
/* Names                                                                     */

typedef enum
{
  KIND_G,        /* conductance, µS */
  KIND_P,        /* probability */
  KIND_DENSITY,  /* S/cm² */
  KIND_MV,
} Kind;

typedef struct
{
  const char *name;
  size_t offset;
  Kind kind;
} Slot;

#define SYN(prefix, member) \
  { prefix ".g", offsetof (SwBrcParams, member.g_us), KIND_G }, \
  { prefix ".p", offsetof (SwBrcParams, member.p), KIND_P }
#define DENS(prefix, member) \
  { prefix ".leak", offsetof (SwBrcParams, member.leak), KIND_DENSITY }, \
  { prefix ".km", offsetof (SwBrcParams, member.km), KIND_DENSITY }, \
  { prefix ".cal", offsetof (SwBrcParams, member.cal), KIND_DENSITY }, \
  { prefix ".cat", offsetof (SwBrcParams, member.cat), KIND_DENSITY }

static const Slot slots[] = {
  SYN ("ee_ampa_soma", syn[SW_BRC_EE_AMPA_SOMA]),
  SYN ("ee_nmda_soma", syn[SW_BRC_EE_NMDA_SOMA]),
  SYN ("ee_ampa_dend", syn[SW_BRC_EE_AMPA_DEND]),
  SYN ("ee_nmda_dend", syn[SW_BRC_EE_NMDA_DEND]),
  SYN ("ei_ampa", syn[SW_BRC_EI_AMPA]),
  SYN ("ei_nmda", syn[SW_BRC_EI_NMDA]),
  SYN ("ie_gabaa_soma", syn[SW_BRC_IE_GABAA_SOMA]),
  SYN ("ie_gabaa_dend", syn[SW_BRC_IE_GABAA_DEND]),
  SYN ("ii_gabaa", syn[SW_BRC_II_GABAA]),
  SYN ("cue_e", cue_e),
  SYN ("cue_i", cue_i),
  { "noise.g", offsetof (SwBrcParams, noise_g_us), KIND_G },
  { "readout.g", offsetof (SwBrcParams, readout_g_us), KIND_G },
  { "readout.e", offsetof (SwBrcParams, readout_e_mv), KIND_MV },
  DENS ("e_soma", e_soma),
  DENS ("e_dend", e_dend),
  DENS ("i_cell", i_cell),
};

#define N_SLOTS ((int) (sizeof slots / sizeof slots[0]))

const char *
sw_brc_param_name (int index)
{
  if (index < 0 || index >= N_SLOTS)
    return NULL;
  return slots[index].name;
}

const char *
sw_brc_param_unit (const char *name)
{
  static const char *const units[] = {
    [KIND_G] = "uS", [KIND_P] = "", [KIND_DENSITY] = "S/cm^2", [KIND_MV] = "mV",
  };
  for (int i = 0; i < N_SLOTS; i++)
    if (strcmp (slots[i].name, name) == 0)
      return units[slots[i].kind];
  return NULL;
}

double *
sw_brc_param_slot (SwBrcParams *params, const char *name)
{
  for (int i = 0; i < N_SLOTS; i++)
    if (strcmp (slots[i].name, name) == 0)
      return (double *) ((char *) params + slots[i].offset);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Defaults and checks                                                       */

void
sw_brc_params_default (SwBrcParams *params)
{
  memset (params, 0, sizeof *params);
  params->condition = SW_BRC_COND_NMDA_DEND;
  params->all_intrinsic = 0;
  for (int t = 0; t < SW_BRC_N_TYPES; t++)
    params->syn[t] = (SwBrcSyn) { 0.1, 0.3 };
  params->syn[SW_BRC_EE_NMDA_SOMA].p = 0.0;
  params->syn[SW_BRC_EE_NMDA_DEND].p = 0.0;
  params->syn[SW_BRC_EI_NMDA].p = 0.0;
  params->cue_e = (SwBrcSyn) { 0.1, 0.1 };
  params->cue_i = (SwBrcSyn) { 1e-3, 0.1 };
  params->noise_g_us = 1e-2;
  params->readout_g_us = 1e-4;
  params->readout_e_mv = 10.0;
  params->e_soma = (SwBrcDensities) { 1e-4, 4e-6, 1e-4, 4e-5 };
  params->e_dend = (SwBrcDensities) { 1e-4, 4e-6, 1e-4, 4e-5 };
  params->i_cell = (SwBrcDensities) { 1e-4, 1e-5, 1e-3, 1e-3 };
  params->seed = 1;
  params->n_repeats = 5;
  params->trial_threads = 1;
  params->n_e = SW_BRC_N_E;
  params->n_i = SW_BRC_N_I;
  params->n_cue = SW_BRC_N_CUE;
  sw_brc_protocol_default (&params->proto);
  sw_brc_readout_config_default (&params->readout);
}

SwStatus
sw_brc_params_check (const SwBrcParams *params, SwError *err)
{
  if ((int) params->condition < 0 || params->condition >= SW_BRC_N_CONDITIONS)
    return sw_error_set (err, SW_ERR_INVALID, "unknown cue condition %d", (int) params->condition);
  for (int i = 0; i < N_SLOTS; i++)
    {
      double v = *(const double *) ((const char *) params + slots[i].offset);
      switch (slots[i].kind)
        {
        case KIND_P:
          if (!(v >= 0.0 && v <= 1.0))
            return sw_error_set (err, SW_ERR_INVALID, "%s must be a probability in [0, 1], got %g",
                                 slots[i].name, v);
          break;
        case KIND_G:
          if (!(v >= 0.0 && v < 1e3))
            return sw_error_set (err, SW_ERR_INVALID,
                                 "%s must be a conductance in [0, 1000) uS, got %g",
                                 slots[i].name, v);
          break;
        case KIND_DENSITY:
          if (!(v >= 0.0 && v <= 10.0))
            return sw_error_set (err, SW_ERR_INVALID,
                                 "%s must be a channel density in [0, 10] S/cm^2, got %g",
                                 slots[i].name, v);
          break;
        case KIND_MV:
          if (!isfinite (v))
            return sw_error_set (err, SW_ERR_INVALID, "%s must be finite", slots[i].name);
          break;
        }
    }
  if (params->n_e < 1 || params->n_e > 10000 || params->n_i < 1 || params->n_i > 10000
      || params->n_cue < 1 || params->n_cue > 10000)
    return sw_error_set (err, SW_ERR_INVALID, "population sizes must be 1 to 10000");
  if (params->n_repeats < 2 || params->n_repeats > SW_BRC_MAX_FOLDS)
    return sw_error_set (err, SW_ERR_INVALID, "repeats must be 2 to %d, got %d", SW_BRC_MAX_FOLDS,
                         params->n_repeats);
  if (!(params->readout.lambda > 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "ridge penalty must be positive, got %g",
                         params->readout.lambda);
  return sw_brc_protocol_check (&params->proto, err);
}

/* ------------------------------------------------------------------------ */
/* Search box                                                                */

int
sw_brc_search_box (const SwBrcParams *params, SwBrcDim *dims)
{
  static const struct
  {
    const char *g, *p;
    SwBrcSynType type;
    int intrinsic_only;
  } searched[] = {
    { "ee_ampa_soma.g", "ee_ampa_soma.p", SW_BRC_EE_AMPA_SOMA, 0 },
    { "ee_ampa_dend.g", "ee_ampa_dend.p", SW_BRC_EE_AMPA_DEND, 0 },
    { "ei_ampa.g", "ei_ampa.p", SW_BRC_EI_AMPA, 0 },
    { "ie_gabaa_soma.g", "ie_gabaa_soma.p", SW_BRC_IE_GABAA_SOMA, 0 },
    { "ie_gabaa_dend.g", "ie_gabaa_dend.p", SW_BRC_IE_GABAA_DEND, 0 },
    { "ii_gabaa.g", "ii_gabaa.p", SW_BRC_II_GABAA, 0 },
    { "ee_nmda_soma.g", "ee_nmda_soma.p", SW_BRC_EE_NMDA_SOMA, 1 },
    { "ee_nmda_dend.g", "ee_nmda_dend.p", SW_BRC_EE_NMDA_DEND, 1 },
    { "ei_nmda.g", "ei_nmda.p", SW_BRC_EI_NMDA, 1 },
  };
  static const char *const densities[] = {
    "e_soma.leak", "e_soma.km", "e_soma.cal", "e_soma.cat",
    "e_dend.leak", "e_dend.km", "e_dend.cal", "e_dend.cat",
    "i_cell.leak", "i_cell.km", "i_cell.cal", "i_cell.cat",
  };
  int n = 0;
  for (size_t k = 0; k < sizeof searched / sizeof searched[0]; k++)
    {
      if (searched[k].intrinsic_only && !params->all_intrinsic)
        continue;
      dims[n++] = (SwBrcDim) { searched[k].g, 1e-2, 10.0, 1 };
      dims[n++] = (SwBrcDim) { searched[k].p, 0.0, 0.6, 0 };
    }
  dims[n++] = (SwBrcDim) { "cue_e.g", 1e-3, 10.0, 1 };
  dims[n++] = (SwBrcDim) { "cue_e.p", 0.0, 1.0, 0 };
  for (size_t k = 0; k < sizeof densities / sizeof densities[0]; k++)
    dims[n++] = (SwBrcDim) { densities[k], 1e-9, 1e-2, 1 };
  return n;
}
