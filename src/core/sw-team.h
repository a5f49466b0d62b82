/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A team of threads for the stepping loop: the caller and n - 1 workers that
 * it keeps between runs.  sw_team_run() executes one function on every
 * member at once and returns when all are done; inside it the members meet at
 * sw_team_barrier(), which spins briefly and then sleeps on a futex (Linux):
 * a step's few microseconds of work are not lost to sleeping and waking,
 * and a member that the system descheduled does not keep the others
 * spinning.
 *
 * Built on POSIX threads and C11 atomics only, so that ThreadSanitizer sees
 * every synchronisation.  A team is driven by one thread at a time.
 */
#pragma once

typedef struct SwTeam SwTeam;

typedef void (*SwTeamFunc) (void *data, int thread, int n_threads);

/* A team of @n_threads (>= 1) members including the caller; NULL when the
 * workers cannot be started. */
SwTeam *sw_team_new (int n_threads);
void sw_team_free (SwTeam *team);
int sw_team_size (const SwTeam *team);

/* Runs @fn (@data, t, n) on members t = 0 .. n-1 (0 is the caller). */
void sw_team_run (SwTeam *team, SwTeamFunc fn, void *data);

/* Waits until all members of the running team have arrived.  Memory
 * written before the barrier by any member is visible to all after it. */
void sw_team_barrier (SwTeam *team, int thread);

/* Tells the processor that the caller is in a wait loop (it then leaves
 * more of the core to a sibling hardware thread). */
static inline void
sw_cpu_relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#elif defined(__aarch64__)
  __asm__ __volatile__ ("yield");
#endif
}

/* [begin, end) of @n items for member @thread of @n_threads: contiguous
 * slices in member order. */
void sw_team_slice (int n, int thread, int n_threads, int *begin, int *end);
