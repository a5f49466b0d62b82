/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The registry of built-in point-neuron models.
 */
#include "sw-neuron-type.h"

#include <string.h>

static const SwNeuronType *const types[] = {
  &sw_adex_cond_type,
  &sw_lif_cond_type,
  &sw_lif_curr_type,
  &sw_lif_delta_type,
  NULL,
};

const SwNeuronType *const *
sw_neuron_type_list (void)
{
  return types;
}

const SwNeuronType *
sw_neuron_type_lookup (const char *name)
{
  for (int i = 0; types[i] != NULL; i++)
    if (strcmp (types[i]->name, name) == 0)
      return types[i];
  return NULL;
}

int
sw_neuron_type_receptor (const SwNeuronType *type, const char *name)
{
  for (int i = 0; i < type->n_receptors; i++)
    if (strcmp (type->receptors[i], name) == 0)
      return i;
  return -1;
}
