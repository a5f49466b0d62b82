/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export of a point-neuron network document as a PyNN 0.10 script: the
 * populations with PyNN's standard cell types, the projections with their
 * connectors and static synapses, the Poisson drives, current stimuli,
 * initial values, the recorders and the simulation settings.  The script
 * runs with `python3 model.py --simulator neuron|nest|brian2 [--duration MS]`
 * and prints at its end one JSON line with the rate of every population of
 * neurons after the warm-up, in the shape of `spikeworks-cli run`'s summary.
 *
 * What a simulator cannot express is refused with an error that names it;
 * nothing is dropped or approximated silently.
 */
#pragma once

#include <glib.h>

#include "sw-document.h"

G_BEGIN_DECLS

#define SW_PYNN_ERROR (sw_pynn_error_quark ())

typedef enum
{
  SW_PYNN_ERROR_UNSUPPORTED,   /* a model, waveform or value PyNN cannot express */
} SwPynnError;

GQuark sw_pynn_error_quark (void);

/* The PyNN back ends a script is written for (flags). */
typedef enum
{
  SW_PYNN_NEURON = 1 << 0,
  SW_PYNN_NEST = 1 << 1,
  SW_PYNN_BRIAN2 = 1 << 2,
  SW_PYNN_ALL = (1 << 3) - 1,
} SwPynnSimulator;

/* The name of one simulator flag ("neuron") and the reverse (0 if unknown). */
const char *sw_pynn_simulator_name (SwPynnSimulator sim);
SwPynnSimulator sw_pynn_simulator_from_name (const char *name);

/* Whether @sim can run the document as it is; FALSE with the reason in
 * @error otherwise. */
gboolean sw_pynn_supports (SwDocument *doc, SwPynnSimulator sim, GError **error);

/* Writes the script for every simulator in @simulators; refuses (NULL, with
 * @error naming the reason) when one of them cannot express the document. */
char *sw_pynn_export_for (SwDocument *doc, guint simulators, GError **error);

/* Writes the script for every simulator that can express the document; the
 * others are listed in the script with the reason and it refuses to run on
 * them.  Refuses when no simulator can express it. */
char *sw_pynn_export (SwDocument *doc, GError **error);

/* Either of the two, with what the user should know about the script (one
 * line each: simulators left out and why, values adapted for a back end)
 * in @notes (NULL when nothing; free with g_free).  @simulators 0: every
 * simulator that can express the document. */
char *sw_pynn_export_full (SwDocument *doc, guint simulators, char **notes, GError **error);

G_END_DECLS
