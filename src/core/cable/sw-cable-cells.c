/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built-in cells: the reduced excitatory cell of the biophysical reservoir
 * and its small single-branch cells (inhibitory, relay, rate), the HNN
 * layer-5 and layer-2/3 pyramidal cells and basket cell, and a classic
 * Hodgkin-Huxley compartment.
 */
#include "sw-cable-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Every call below works on sizes and names fixed in this file, so a
 * failure can only be an allocation failure; each builder returns NULL
 * then. */
#define TRY(expr)                                                                 \
  do                                                                              \
    {                                                                             \
      if ((expr) != SW_OK)                                                        \
        goto fail;                                                                \
    }                                                                             \
  while (0)

static const char *const brc_mechs[] = { "na", "k", "leak", "km", "cal", "cat_brc" };

/* HNN's segment count: 1 up to 100 µm, else ⌊L/50⌋ made odd upwards. */
static int
hnn_nseg (double length_um)
{
  if (length_um <= 100.0)
    return 1;
  int n = (int) floor (length_um / 50.0);
  return n % 2 == 0 ? n + 1 : n;
}

/* One section of a built-in cell; nseg 0: HNN's rule. */
typedef struct
{
  const char *name;
  double length, diam;
  double v0;
  const char *parent;
  double parent_x;
  int nseg;
} CellSection;

/* A cell of the sections @secs (each attached to an earlier one, the first
 * the root): Ra @ra Ω·cm and cm @cm µF/cm² everywhere, the sections'
 * initial voltages; no mechanisms yet.  NULL when out of memory. */
static SwCableCell *
cell_from_sections (const CellSection *secs, int n, double ra, double cm)
{
  SwCableMorph *m = sw_cable_morph_new ();
  SwCableCell *cell = NULL;
  if (m == NULL)
    return NULL;
  for (int i = 0; i < n; i++)
    {
      int parent = secs[i].parent ? sw_cable_morph_find (m, secs[i].parent) : -1;
      int nseg = secs[i].nseg > 0 ? secs[i].nseg : hnn_nseg (secs[i].length);
      if (sw_cable_morph_add_section (m, secs[i].name, parent, secs[i].parent_x, secs[i].length,
                                      secs[i].diam, nseg, NULL) < 0)
        goto fail;
    }
  cell = sw_cable_cell_new (m);
  if (cell == NULL)
    goto fail;
  TRY (sw_cable_cell_set_ra (cell, -1, ra, NULL));
  TRY (sw_cable_cell_set_cm (cell, -1, cm, NULL));
  for (int i = 0; i < n; i++)
    TRY (sw_cable_cell_set_v_init (cell, i, secs[i].v0, NULL));
  sw_cable_morph_free (m);
  return cell;
fail:
  sw_cable_cell_free (cell);
  sw_cable_morph_free (m);
  return NULL;
}

SwCableCell *
sw_cable_cell_new_brc_e (SwCableBrcSet set, double ra_ohm_cm)
{
  static const CellSection secs[] = {
    { "soma", 25, 25, -70, NULL, 0, 4 },
    { "dend1", 100, 2.5, -70, "soma", 1, 4 },
    { "dend2", 100, 1.0, -70, "dend1", 1, 4 },
    { "dend3", 100, 0.5, -70, "dend2", 1, 4 },
  };
  SwCableCell *cell = cell_from_sections (secs, 4, ra_ohm_cm > 0 ? ra_ohm_cm : 300.0, 1.0);
  if (cell == NULL)
    return NULL;
  for (size_t k = 0; k < sizeof brc_mechs / sizeof brc_mechs[0]; k++)
    TRY (sw_cable_cell_insert (cell, -1, brc_mechs[k], NULL));
  if (set == SW_CABLE_BRC_P1)
    {
      TRY (sw_cable_cell_set_param (cell, 0, "km", "gbar", 1e-5, NULL));
      TRY (sw_cable_cell_set_param (cell, 0, "cal", "gbar", 1e-3, NULL));
      TRY (sw_cable_cell_set_param (cell, 0, "cat_brc", "gbar", 1e-3, NULL));
    }
  sw_cable_cell_set_detect (cell, sw_cable_cell_site_parse (cell, SW_CABLE_BRC_SOMA_SITE, NULL));
  return cell;

fail:
  sw_cable_cell_free (cell);
  return NULL;
}

/* One section "soma", L = d = 5 µm, 4 segments, Ra 5000 Ω·cm. */
static SwCableCell *
small_cell (void)
{
  static const CellSection soma[] = { { "soma", 5, 5, -70, NULL, 0, 4 } };
  SwCableCell *cell = cell_from_sections (soma, 1, 5000.0, 1.0);
  if (cell != NULL)
    sw_cable_cell_set_detect (cell, sw_cable_cell_site_parse (cell, SW_CABLE_BRC_SOMA_SITE, NULL));
  return cell;
}

SwCableCell *
sw_cable_cell_new_brc_i (void)
{
  SwCableCell *cell = small_cell ();
  if (cell == NULL)
    return NULL;
  for (size_t k = 0; k < sizeof brc_mechs / sizeof brc_mechs[0]; k++)
    TRY (sw_cable_cell_insert (cell, -1, brc_mechs[k], NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "km", "gbar", 1e-5, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "cal", "gbar", 1e-3, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "cat_brc", "gbar", 1e-3, NULL));
  return cell;
fail:
  sw_cable_cell_free (cell);
  return NULL;
}

SwCableCell *
sw_cable_cell_new_brc_relay (void)
{
  SwCableCell *cell = small_cell ();
  if (cell == NULL)
    return NULL;
  for (size_t k = 0; k < 3; k++)
    TRY (sw_cable_cell_insert (cell, -1, brc_mechs[k], NULL));
  return cell;
fail:
  sw_cable_cell_free (cell);
  return NULL;
}

SwCableCell *
sw_cable_cell_new_brc_rate (void)
{
  SwCableCell *cell = small_cell ();
  if (cell == NULL)
    return NULL;
  TRY (sw_cable_cell_insert (cell, -1, "leak", NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "leak", "e", 0.0, NULL));
  TRY (sw_cable_cell_set_v_init (cell, -1, 0.0, NULL));
  /* It rests at 0 mV: a crossing of 0 mV means nothing here. */
  sw_cable_cell_set_detect (cell, -1);
  return cell;
fail:
  sw_cable_cell_free (cell);
  return NULL;
}

/* ---------------- HNN ---------------- */

static double
ar_gradient (void *user, double distance_um)
{
  (void) user;
  return 1e-6 * exp (0.003 * distance_um);
}

SwCableCell *
sw_cable_cell_new_hnn_l5 (void)
{
  static const CellSection secs[] = {
    { "soma", 39, 28.9, -72, NULL, 0 },
    { "apical_trunk", 102, 10.2, -72, "soma", 1 },
    { "apical_1", 680, 7.48, -71.32, "apical_trunk", 1 },
    { "apical_2", 680, 4.93, -69.08, "apical_1", 1 },
    { "apical_tuft", 425, 3.4, -67.30, "apical_2", 1 },
    { "apical_oblique", 255, 5.1, -72, "apical_trunk", 1 },
    { "basal_1", 85, 6.8, -72, "soma", 0 },
    { "basal_2", 255, 8.5, -72, "basal_1", 1 },
    { "basal_3", 255, 8.5, -72, "basal_1", 1 },
  };
  int n = (int) (sizeof secs / sizeof secs[0]);
  SwCableCell *cell = cell_from_sections (secs, n, 200.0, 0.85);
  if (cell == NULL)
    return NULL;
  static const char *const mechs[] = { "hh2", "ca", "cad", "kca", "km_hnn", "cat", "ar" };
  for (size_t k = 0; k < sizeof mechs / sizeof mechs[0]; k++)
    TRY (sw_cable_cell_insert (cell, -1, mechs[k], NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "hh2", "gkbar", 0.01, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "hh2", "gnabar", 0.14, NULL));
  TRY (sw_cable_cell_set_param (cell, 0, "hh2", "gnabar", 0.16, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "hh2", "gl", 4.26e-5, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "hh2", "el", -71.0, NULL));
  TRY (sw_cable_cell_set_param (cell, 0, "hh2", "el", -65.0, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "ca", "gbar", 60.0, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "cad", "taur", 20.0, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "kca", "gbar", 2e-4, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "km_hnn", "gbar", 200.0, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "cat", "gbar", 2e-4, NULL));
  TRY (sw_cable_cell_set_param (cell, 0, "ar", "gbar", 1e-6, NULL));
  for (int i = 1; i < n; i++)
    TRY (sw_cable_cell_set_param_by_distance (cell, i, "ar", "gbar", ar_gradient, NULL, NULL));
  sw_cable_cell_set_detect (cell, sw_cable_cell_site (cell, 0, 0.5));
  return cell;
fail:
  sw_cable_cell_free (cell);
  return NULL;
}

SwCableCell *
sw_cable_cell_new_hnn_l23 (void)
{
  static const CellSection secs[] = {
    { "soma", 22.1, 23.4, -71.46, NULL, 0 },
    { "apical_trunk", 59.5, 4.25, -71.46, "soma", 1 },
    { "apical_1", 306, 4.08, -71.46, "apical_trunk", 1 },
    { "apical_tuft", 238, 3.4, -71.46, "apical_1", 1 },
    { "apical_oblique", 340, 3.91, -71.46, "apical_trunk", 1 },
    { "basal_1", 85, 4.25, -71.46, "soma", 0 },
    { "basal_2", 255, 2.72, -71.46, "basal_1", 1 },
    { "basal_3", 255, 2.72, -71.46, "basal_1", 1 },
  };
  int n = (int) (sizeof secs / sizeof secs[0]);
  SwCableCell *cell = cell_from_sections (secs, n, 200.0, 0.6195);
  if (cell == NULL)
    return NULL;
  TRY (sw_cable_cell_insert (cell, -1, "hh2", NULL));
  TRY (sw_cable_cell_insert (cell, -1, "km_hnn", NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "hh2", "gkbar", 0.01, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "hh2", "gnabar", 0.15, NULL));
  TRY (sw_cable_cell_set_param (cell, 0, "hh2", "gnabar", 0.18, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "hh2", "gl", 4.26e-5, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "hh2", "el", -65.0, NULL));
  TRY (sw_cable_cell_set_param (cell, -1, "km_hnn", "gbar", 250.0, NULL));
  sw_cable_cell_set_detect (cell, sw_cable_cell_site (cell, 0, 0.5));
  return cell;
fail:
  sw_cable_cell_free (cell);
  return NULL;
}

SwCableCell *
sw_cable_cell_new_hnn_basket (void)
{
  static const CellSection soma[] = { { "soma", 39, 20, -64.9737, NULL, 0 } };
  SwCableCell *cell = cell_from_sections (soma, 1, 200.0, 0.85);
  if (cell == NULL)
    return NULL;
  TRY (sw_cable_cell_insert (cell, -1, "hh2", NULL));
  return cell;
fail:
  sw_cable_cell_free (cell);
  return NULL;
}

SwCableCell *
sw_cable_cell_new_hh (double area_um2)
{
  SwCableMorph *m = sw_cable_morph_new ();
  SwCableCell *cell = NULL;
  if (m == NULL)
    return NULL;
  double l = sqrt (area_um2 / M_PI);
  if (sw_cable_morph_add_section (m, "soma", -1, 0, l, l, 1, NULL) < 0)
    goto fail;
  cell = sw_cable_cell_new (m);
  if (cell == NULL)
    goto fail;
  TRY (sw_cable_cell_set_v_init (cell, -1, -65.0, NULL));
  TRY (sw_cable_cell_insert (cell, -1, "hh", NULL));
  sw_cable_morph_free (m);
  return cell;
fail:
  sw_cable_cell_free (cell);
  sw_cable_morph_free (m);
  return NULL;
}

static const char *const builtin_names[] = {
  "brc_e", "brc_e_p1", "brc_e_low_ra", "brc_i", "brc_relay", "brc_rate",
  "hnn_l5", "hnn_l23", "hnn_basket", "hh", NULL,
};

const char *const *
sw_cable_cell_builtin_names (void)
{
  return builtin_names;
}

SwCableCell *
sw_cable_cell_new_builtin (const char *name)
{
  if (strcmp (name, "brc_e") == 0)
    return sw_cable_cell_new_brc_e (SW_CABLE_BRC_P0, 0);
  if (strcmp (name, "brc_e_p1") == 0)
    return sw_cable_cell_new_brc_e (SW_CABLE_BRC_P1, 0);
  if (strcmp (name, "brc_e_low_ra") == 0)
    return sw_cable_cell_new_brc_e (SW_CABLE_BRC_P0, 10.0);
  if (strcmp (name, "brc_i") == 0)
    return sw_cable_cell_new_brc_i ();
  if (strcmp (name, "brc_relay") == 0)
    return sw_cable_cell_new_brc_relay ();
  if (strcmp (name, "brc_rate") == 0)
    return sw_cable_cell_new_brc_rate ();
  if (strcmp (name, "hnn_l5") == 0)
    return sw_cable_cell_new_hnn_l5 ();
  if (strcmp (name, "hnn_l23") == 0)
    return sw_cable_cell_new_hnn_l23 ();
  if (strcmp (name, "hnn_basket") == 0)
    return sw_cable_cell_new_hnn_basket ();
  if (strcmp (name, "hh") == 0)
    return sw_cable_cell_new_hh (1000.0);
  return NULL;
}
