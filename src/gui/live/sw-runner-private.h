/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRunner internals for the live hub and the tests.  Main thread only.
 */
#pragma once

#include "sw-runner.h"

G_BEGIN_DECLS

/* Descriptions the worker has taken from the mailbox so far (coalescing
 * makes it smaller than the number of sw_runner_set_spec() calls). */
guint sw_runner_get_n_specs_taken (SwRunner *self);

/* Records dropped by the current rings because they were full. */
guint64 sw_runner_get_dropped (SwRunner *self);

/* Populations of the network that runs (0 before the first). */
int sw_runner_get_n_pops (SwRunner *self);

G_END_DECLS
