/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spike files through HDF5 (meson option hdf5):
 *
 * SONATA spike files, written and read:
 *   /spikes                     attributes magic (uint32 0x0A7A) and
 *                               version (uint32 [0, 1])
 *   /spikes/POP                 attribute sorting: an enum of uint8
 *                               {none 0, by_id 1, by_time 2} (strings with
 *                               those names are read too)
 *   /spikes/POP/timestamps      float64, attribute units = "ms"
 *   /spikes/POP/node_ids        uint64, the neuron's index in POP
 *
 * NWB files (Neurodata Without Borders 2.x), read only:
 *   units   /units/id (unit ids), /units/spike_times (float64 s, all units
 *           one after the other) with /units/spike_times_index (the end
 *           offset of each unit's spikes: the ragged VectorData +
 *           VectorIndex layout).  Without the index, one unit owns all the
 *           spikes.  A file without /units/spike_times is refused.
 *   trials  /intervals/trials/start_time and stop_time (s), if present.
 *   events  every TimeSeries with explicit times: a group that holds a
 *           dataset "timestamps" (float64 s, 1-D) under /acquisition or
 *           /processing (at any depth below them, e.g.
 *           /processing/behavior/licks/timestamps), named by its path
 *           without the leading slash ("acquisition/licks"); and every
 *           table of /intervals (trials included) through its start_time
 *           column, named "intervals/NAME".  TimeSeries sampled at a
 *           starting_time and rate (no timestamps) are not events.
 *
 * Every function that writes does so under a temporary name in the same
 * folder and renames the file into place when it is complete.  Errors name
 * the file and the HDF5 path.  Without HDF5 in the build every function
 * fails with SW_HDF5_ERROR_UNAVAILABLE.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SW_HDF5_ERROR (sw_hdf5_error_quark ())
typedef enum
{
  SW_HDF5_ERROR_UNAVAILABLE,   /* built without HDF5 */
  SW_HDF5_ERROR_OPEN,          /* missing, unreadable, or not HDF5 */
  SW_HDF5_ERROR_FORMAT,        /* HDF5, but not the expected layout */
  SW_HDF5_ERROR_WRITE,         /* writing failed (nothing left behind) */
} SwHdf5Error;
GQuark sw_hdf5_error_quark (void);

/* Whether this build reads and writes HDF5. */
gboolean sw_hdf5_available (void);

typedef enum
{
  SW_SONATA_SORT_NONE,
  SW_SONATA_SORT_BY_ID,
  SW_SONATA_SORT_BY_TIME,
} SwSonataSorting;

const char *sw_sonata_sorting_name (SwSonataSorting s);   /* "none", "by_id", "by_time" */

typedef struct
{
  char *name;
  SwSonataSorting sorting;
  gsize n;
  guint64 *node_ids;
  double *timestamps_ms;
} SwSonataPopulation;

/* Writes @n_pops populations to @path (created or replaced atomically). */
gboolean sw_sonata_write (const char *path, const SwSonataPopulation *pops, int n_pops, GError **error);

/* Reads every population of /spikes.  Returns an array of *@n_pops
 * populations (free with sw_sonata_free), or NULL with @error. */
SwSonataPopulation *sw_sonata_read (const char *path, int *n_pops, GError **error);
void sw_sonata_free (SwSonataPopulation *pops, int n_pops);

typedef struct
{
  char *name;              /* "acquisition/licks", "intervals/trials" */
  gsize n;
  double *times_s;
} SwNwbEvents;

typedef struct
{
  int n_units;
  gint64 *unit_ids;
  gsize *offsets;          /* unit u owns spike_times_s[offsets[u] .. offsets[u + 1]) */
  double *spike_times_s;
  int n_trials;
  double *trial_start_s, *trial_stop_s;
  int n_events;
  SwNwbEvents *events;
} SwNwbFile;

SwNwbFile *sw_nwb_read (const char *path, GError **error);
void sw_nwb_free (SwNwbFile *nwb);
/* The events called @name, or NULL. */
const SwNwbEvents *sw_nwb_find_events (const SwNwbFile *nwb, const char *name);

G_END_DECLS
