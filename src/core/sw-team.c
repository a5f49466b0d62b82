/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thread team with a sense-reversing barrier (see sw-team.h).
 */
#include "sw-team.h"

#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Spin this many times (a few tens of microseconds) before sleeping on the
 * barrier word: long enough to cover the imbalance of a step, short enough
 * not to steal the processor from a member that was descheduled. */
#define SPINS_BEFORE_SLEEP 2000

typedef struct
{
  SwTeam *team;
  int index;
} Worker;

struct SwTeam
{
  int n;
  pthread_t *threads;
  Worker *workers;

  /* Job hand-off, under the mutex. */
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_cond_t done;
  uint64_t generation;
  int pending;
  bool quit;
  SwTeamFunc fn;
  void *data;

  /* Barrier. */
  atomic_int arrived;
  atomic_int sense;
  atomic_int sleepers;
  int *local_sense;   /* one per member, touched by its owner only */
};

static void *
worker_main (void *arg)
{
  Worker *w = arg;
  SwTeam *team = w->team;
  uint64_t seen = 0;

  for (;;)
    {
      pthread_mutex_lock (&team->lock);
      while (team->generation == seen && !team->quit)
        pthread_cond_wait (&team->wake, &team->lock);
      if (team->quit)
        {
          pthread_mutex_unlock (&team->lock);
          return NULL;
        }
      seen = team->generation;
      SwTeamFunc fn = team->fn;
      void *data = team->data;
      pthread_mutex_unlock (&team->lock);

      fn (data, w->index, team->n);

      pthread_mutex_lock (&team->lock);
      if (--team->pending == 0)
        pthread_cond_signal (&team->done);
      pthread_mutex_unlock (&team->lock);
    }
}

SwTeam *
sw_team_new (int n_threads)
{
  if (n_threads < 1)
    n_threads = 1;
  SwTeam *team = calloc (1, sizeof *team);
  if (team == NULL)
    return NULL;
  team->n = n_threads;
  team->local_sense = calloc ((size_t) n_threads, sizeof *team->local_sense);
  team->threads = calloc ((size_t) n_threads, sizeof *team->threads);
  team->workers = calloc ((size_t) n_threads, sizeof *team->workers);
  if (team->local_sense == NULL || team->threads == NULL || team->workers == NULL)
    {
      free (team->local_sense);
      free (team->threads);
      free (team->workers);
      free (team);
      return NULL;
    }
  pthread_mutex_init (&team->lock, NULL);
  pthread_cond_init (&team->wake, NULL);
  pthread_cond_init (&team->done, NULL);
  atomic_init (&team->arrived, n_threads);
  atomic_init (&team->sense, 0);
  atomic_init (&team->sleepers, 0);
  for (int t = 1; t < n_threads; t++)
    {
      team->workers[t] = (Worker) { team, t };
      if (pthread_create (&team->threads[t], NULL, worker_main, &team->workers[t]) != 0)
        {
          /* Run with the members started so far. */
          team->n = t;
          atomic_store (&team->arrived, t);
          break;
        }
    }
  return team;
}

void
sw_team_free (SwTeam *team)
{
  if (team == NULL)
    return;
  pthread_mutex_lock (&team->lock);
  team->quit = true;
  pthread_cond_broadcast (&team->wake);
  pthread_mutex_unlock (&team->lock);
  for (int t = 1; t < team->n; t++)
    pthread_join (team->threads[t], NULL);
  pthread_mutex_destroy (&team->lock);
  pthread_cond_destroy (&team->wake);
  pthread_cond_destroy (&team->done);
  free (team->local_sense);
  free (team->threads);
  free (team->workers);
  free (team);
}

int
sw_team_size (const SwTeam *team)
{
  return team->n;
}

void
sw_team_run (SwTeam *team, SwTeamFunc fn, void *data)
{
  if (team->n == 1)
    {
      fn (data, 0, 1);
      return;
    }
  pthread_mutex_lock (&team->lock);
  team->fn = fn;
  team->data = data;
  team->pending = team->n - 1;
  team->generation++;
  pthread_cond_broadcast (&team->wake);
  pthread_mutex_unlock (&team->lock);

  fn (data, 0, team->n);

  pthread_mutex_lock (&team->lock);
  while (team->pending > 0)
    pthread_cond_wait (&team->done, &team->lock);
  pthread_mutex_unlock (&team->lock);
}

static void
futex_wait (atomic_int *word, int value)
{
  syscall (SYS_futex, (int *) word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void
futex_wake_all (atomic_int *word)
{
  syscall (SYS_futex, (int *) word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void
sw_team_barrier (SwTeam *team, int thread)
{
  if (team->n == 1)
    return;
  int sense = !team->local_sense[thread];
  team->local_sense[thread] = sense;
  if (atomic_fetch_sub_explicit (&team->arrived, 1, memory_order_acq_rel) == 1)
    {
      atomic_store_explicit (&team->arrived, team->n, memory_order_relaxed);
      /* Sequentially consistent with the sleepers' increment and re-check:
       * either a sleeper sees the new sense, or this sees the sleeper. */
      atomic_store (&team->sense, sense);
      if (atomic_load (&team->sleepers) > 0)
        futex_wake_all (&team->sense);
      return;
    }
  int spins = 0;
  while (atomic_load_explicit (&team->sense, memory_order_acquire) != sense)
    {
      if (++spins < SPINS_BEFORE_SLEEP)
        {
          sw_cpu_relax ();
          continue;
        }
      atomic_fetch_add (&team->sleepers, 1);
      if (atomic_load (&team->sense) != sense)
        futex_wait (&team->sense, !sense);
      atomic_fetch_sub (&team->sleepers, 1);
    }
}

void
sw_team_slice (int n, int thread, int n_threads, int *begin, int *end)
{
  *begin = (int) ((int64_t) n * thread / n_threads);
  *end = (int) ((int64_t) n * (thread + 1) / n_threads);
}
