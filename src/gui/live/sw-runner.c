/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRunner: the simulation thread of one window (see sw-runner.h).
 *
 * Three pieces of state, each with one owner:
 * - the runner object (main thread): properties, the copy of the running
 *   description, the reading ends of the rings;
 * - the worker (worker thread only): the SwNetwork, the writing ends of the
 *   rings, the run state machine;
 * - the shared part (reference counted, under `lock`): the spec mailbox
 *   (coalescing: only the newest description waits), the status snapshot and
 *   the queue of events for the main thread, the flag that says a callback
 *   is already pending, and the back pointer to the runner, cleared in
 *   dispose so that a late callback finds nothing to do.
 *
 * Rings come in generations: every build and every reset makes new ones and
 * hands them to the main thread with the "rebuilt" event, so the main thread
 * reads the old rings to their end and then switches; stale data never mixes
 * with new.
 */
#define G_LOG_DOMAIN "Spikeworks-Runner"

#include "config.h"

#include "sw-runner.h"
#include "sw-runner-private.h"

#include "sw-ring.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

/* GLib's mutexes and queues sleep on futexes that ThreadSanitizer cannot
 * see; in a TSan build, tell it about the happens-before edges they give
 * (the core's own team uses C11 atomics, which it sees). */
#if defined(__SANITIZE_THREAD__)
#define SW_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SW_TSAN 1
#endif
#endif

#ifdef SW_TSAN
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
#define TSAN_ACQUIRE(p) __tsan_acquire ((void *) (p))
#define TSAN_RELEASE(p) __tsan_release ((void *) (p))
#else
#define TSAN_ACQUIRE(p) ((void) 0)
#define TSAN_RELEASE(p) ((void) 0)
#endif

/* Simulated time of one chunk: the worker looks at its commands at least
 * this often (and the core checks the cancellation flag every step). */
#define CHUNK_MS 10.0
/* Wall-clock budget of one chunk; slow networks run shorter chunks so that
 * data and status arrive smoothly. */
#define CHUNK_WALL_US 20000
/* When a throttled run falls this far behind its schedule it gives up
 * catching up (no bursts after a slow patch). */
#define MAX_LAG_US 200000
/* Window of the measured real-time factor. */
#define RTF_WINDOW_US 1000000

#define SPIKE_RING_CAPACITY (1u << 19)
#define RATE_RING_CAPACITY (1u << 14)    /* 16 s of 1 ms bins */
#define TRACE_RING_CAPACITY (1u << 17)   /* 13 s at dt = 0.1 ms */

typedef enum
{
  CMD_SPEC,          /* the newest description waits in the mailbox */
  CMD_RUN,
  CMD_PAUSE,
  CMD_STOP,
  CMD_RESET,
  CMD_STEP,
  CMD_SPEED,
  CMD_THREADS,
  CMD_ADD_TRACE,
  CMD_REMOVE_TRACE,
  CMD_QUIT,
} CmdKind;

typedef struct
{
  CmdKind kind;
  double value;      /* CMD_SPEED */
  int ivalue;        /* CMD_THREADS; trace id */
  int pop, neuron;   /* CMD_ADD_TRACE */
  char var[SW_NAME_MAX];
  SwRing *ring;      /* CMD_ADD_TRACE: a reference for the worker */
} Cmd;

typedef struct
{
  int id;
  SwRing *ring;
} TraceRing;

typedef enum
{
  EV_GENERATION,     /* a new network (or a reset): new rings */
  EV_SPEC,           /* a live change was applied */
  EV_FAILED,
} EventKind;

typedef struct
{
  EventKind kind;
  SwNetSpec *spec;          /* EV_GENERATION, EV_SPEC: a copy */
  SwRing *spikes, *rates;   /* EV_GENERATION */
  GArray *traces;           /* EV_GENERATION: TraceRing */
  int n_pops;
  gboolean structural;
  char *text;               /* reason or message */
} Event;

typedef struct
{
  GMutex lock;
  GMainContext *context;
  GAsyncQueue *queue;       /* Cmd *, main -> worker */
  atomic_int cancel;        /* interrupts sw_network_run() */

  /* Under lock. */
  SwNetSpec *pending_spec;  /* the mailbox */
  gboolean spec_queued;     /* a CMD_SPEC is on its way */
  SwRunnerState state;
  double time_ms;
  double rtf;
  GQueue events;            /* Event * */
  gboolean invoke_pending;
  guint n_applied;          /* descriptions taken from the mailbox */
  SwRunner *runner;         /* main thread only; NULL after dispose */
} Shared;

struct _SwRunner
{
  GObject parent_instance;

  Shared *shared;
  GThread *thread;

  SwRunnerState state;
  double time_ms;
  double rtf;
  double speed;
  int threads;

  /* The description that runs (a copy the worker sent). */
  SwNetSpec *spec;

  SwRing *spikes;
  SwRing *rates;
  int n_pops;
  GByteArray *rate_scratch;
  GHashTable *traces;       /* id -> SwRing * (a reference) */
  int next_trace_id;
};

G_DEFINE_FINAL_TYPE (SwRunner, sw_runner, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_TIME_MS,
  PROP_REAL_TIME_FACTOR,
  PROP_SPEED,
  PROP_THREADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  REBUILT,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* Shared part                                                               */

static void
shared_lock (Shared *sh)
{
  g_mutex_lock (&sh->lock);
  TSAN_ACQUIRE (&sh->lock);
}

static void
shared_unlock (Shared *sh)
{
  TSAN_RELEASE (&sh->lock);
  g_mutex_unlock (&sh->lock);
}

static void
queue_push (Shared *sh, Cmd *cmd)
{
  TSAN_RELEASE (sh->queue);
  g_async_queue_push (sh->queue, cmd);
}

static Cmd *
queue_pop (Shared *sh, gint64 wait_us)
{
  Cmd *cmd;
  if (wait_us < 0)
    cmd = g_async_queue_pop (sh->queue);
  else if (wait_us == 0)
    cmd = g_async_queue_try_pop (sh->queue);
  else
    cmd = g_async_queue_timeout_pop (sh->queue, (guint64) wait_us);
  if (cmd != NULL)
    TSAN_ACQUIRE (sh->queue);
  return cmd;
}

static void
event_free (Event *ev)
{
  if (ev == NULL)
    return;
  g_clear_pointer (&ev->spec, sw_net_spec_free);
  g_clear_pointer (&ev->spikes, sw_ring_unref);
  g_clear_pointer (&ev->rates, sw_ring_unref);
  if (ev->traces != NULL)
    {
      for (guint i = 0; i < ev->traces->len; i++)
        sw_ring_unref (g_array_index (ev->traces, TraceRing, i).ring);
      g_array_unref (ev->traces);
    }
  g_free (ev->text);
  g_free (ev);
}

static void
cmd_free (gpointer data)
{
  Cmd *cmd = data;
  g_clear_pointer (&cmd->ring, sw_ring_unref);
  g_free (cmd);
}

static void
shared_clear (gpointer data)
{
  Shared *sh = data;
  TSAN_ACQUIRE (sh);
  g_mutex_clear (&sh->lock);
  g_main_context_unref (sh->context);
  g_async_queue_unref (sh->queue);
  g_clear_pointer (&sh->pending_spec, sw_net_spec_free);
  g_queue_clear_full (&sh->events, (GDestroyNotify) event_free);
}

static Shared *
shared_ref (Shared *sh)
{
  return g_atomic_rc_box_acquire (sh);
}

static void
shared_unref (Shared *sh)
{
  /* The last owner frees what the others wrote (see shared_clear). */
  TSAN_RELEASE (sh);
  g_atomic_rc_box_release_full (sh, shared_clear);
}

/* ------------------------------------------------------------------------ */
/* Main thread: applying what the worker reports                            */

static void
set_state (SwRunner *self, SwRunnerState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_time_ms (SwRunner *self, double time_ms)
{
  if (self->time_ms == time_ms)
    return;
  self->time_ms = time_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_MS]);
}

static void
set_rtf (SwRunner *self, double rtf)
{
  if (self->rtf == rtf)
    return;
  self->rtf = rtf;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REAL_TIME_FACTOR]);
}

/* Brings the main thread's copy of the running description to @src after
 * a live change, in place, so that pointers handed out by
 * sw_runner_get_spec() stay valid until the next generation.  A live change
 * leaves the structure alone: the same populations, projections and stimuli,
 * and the same spike-time arrays, which the copy keeps. */
static void
update_spec_in_place (SwNetSpec *dst, const SwNetSpec *src)
{
  if (dst->n_pops != src->n_pops || dst->n_projs != src->n_projs || dst->n_stims != src->n_stims)
    {
      g_critical ("a live change altered the structure of the network");
      return;
    }
  for (int p = 0; p < dst->n_pops; p++)
    {
      SwPopSpec *d = &dst->pops[p];
      int32_t *times_index = d->times_index;
      double *times_ms = d->times_ms;
      int n_times = d->n_times;
      *d = src->pops[p];
      d->times_index = times_index;
      d->times_ms = times_ms;
      d->n_times = n_times;
    }
  /* memcpy from NULL is undefined even for 0 bytes. */
  if (dst->n_projs > 0)
    memcpy (dst->projs, src->projs, dst->n_projs * sizeof *dst->projs);
  if (dst->n_stims > 0)
    memcpy (dst->stims, src->stims, dst->n_stims * sizeof *dst->stims);
  dst->threads = src->threads;
  dst->max_rate_hz = src->max_rate_hz;
}

static void
adopt_generation (SwRunner *self, Event *ev)
{
  g_clear_pointer (&self->spikes, sw_ring_unref);
  g_clear_pointer (&self->rates, sw_ring_unref);
  self->spikes = g_steal_pointer (&ev->spikes);
  self->rates = g_steal_pointer (&ev->rates);
  self->n_pops = ev->n_pops;

  /* The worker made new rings for the traces it knew; a trace removed
   * since has no entry any more, and one added since keeps the ring the
   * main thread made for it (the worker writes there). */
  for (guint i = 0; i < ev->traces->len; i++)
    {
      TraceRing *tr = &g_array_index (ev->traces, TraceRing, i);
      if (g_hash_table_contains (self->traces, GINT_TO_POINTER (tr->id)))
        g_hash_table_replace (self->traces, GINT_TO_POINTER (tr->id), g_steal_pointer (&tr->ring));
    }

  g_clear_pointer (&self->spec, sw_net_spec_free);
  self->spec = g_steal_pointer (&ev->spec);
}

static gboolean
dispatch_cb (gpointer data)
{
  Shared *sh = data;
  GQueue events = G_QUEUE_INIT;
  SwRunnerState state;
  double time_ms, rtf;

  shared_lock (sh);
  SwRunner *self = sh->runner;
  sh->invoke_pending = FALSE;
  events = sh->events;
  g_queue_init (&sh->events);
  state = sh->state;
  time_ms = sh->time_ms;
  rtf = sh->rtf;
  shared_unlock (sh);

  if (self == NULL)
    {
      g_queue_clear_full (&events, (GDestroyNotify) event_free);
      return G_SOURCE_REMOVE;
    }

  g_object_ref (self);

  /* Rings and descriptions first, so that handlers of the signals below
   * already read the new network. */
  for (GList *l = events.head; l != NULL; l = l->next)
    {
      Event *ev = l->data;
      if (ev->kind == EV_GENERATION)
        adopt_generation (self, ev);
      else if (ev->kind == EV_SPEC && self->spec != NULL)
        update_spec_in_place (self->spec, ev->spec);
    }

  g_object_freeze_notify (G_OBJECT (self));
  set_state (self, state);
  set_time_ms (self, time_ms);
  set_rtf (self, rtf);
  g_object_thaw_notify (G_OBJECT (self));

  for (GList *l = events.head; l != NULL; l = l->next)
    {
      Event *ev = l->data;
      if (ev->kind == EV_GENERATION)
        g_signal_emit (self, signals[REBUILT], 0, ev->structural, ev->text);
      else if (ev->kind == EV_FAILED)
        g_signal_emit (self, signals[FAILED], 0, ev->text);
    }

  g_queue_clear_full (&events, (GDestroyNotify) event_free);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------ */
/* Worker thread                                                             */

typedef struct
{
  int id;
  int pop, neuron;
  char var[SW_NAME_MAX];
  int rec_id;               /* in the current network's recorder, or -1 */
  SwRing *ring;
} WorkerTrace;

typedef struct
{
  gint64 wall_us;
  double sim_ms;
} RtfSample;

typedef struct
{
  Shared *sh;
  SwNetwork *net;
  SwRunnerState state;
  uint64_t step_until;      /* step() pauses at this step index; 0: no step() */
  double speed;
  int threads;              /* -1: as the description says */

  SwRing *spikes, *rates;
  size_t rate_elt;
  GArray *traces;           /* WorkerTrace */

  /* Drain buffers. */
  SwSpike *spike_buf;
  guint32 *rate_buf;
  guchar *rate_elts;
  SwTraceSample *sample_buf;

  /* Throttle: wall time at which sim time anchor_sim_ms was reached. */
  gint64 anchor_wall_us;
  double anchor_sim_ms;
  double wall_us_per_step;  /* running estimate */

  RtfSample rtf[128];
  int rtf_len;
  double rtf_value;
} Worker;

#define DRAIN_MAX 65536
#define RATE_DRAIN_MAX 1024

static size_t
rate_element_size (int n_pops)
{
  return (sizeof (gint64) + n_pops * sizeof (guint32) + 7) / 8 * 8;
}

static void
post_locked (Shared *sh)
{
  if (sh->invoke_pending)
    return;
  sh->invoke_pending = TRUE;
  /* An idle source rather than g_main_context_invoke(): that would call
   * dispatch_cb right here, in the worker, whenever the main thread is not
   * inside its loop and the context can be acquired. */
  GSource *source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_cb, shared_ref (sh), (GDestroyNotify) shared_unref);
  g_source_set_static_name (source, "[sw-runner] status");
  g_source_attach (source, sh->context);
  g_source_unref (source);
}

/* Publishes the status, with @ev (may be NULL) queued after what waits. */
static void
publish (Worker *w, Event *ev)
{
  Shared *sh = w->sh;
  shared_lock (sh);
  sh->state = w->state;
  sh->time_ms = w->net != NULL ? sw_network_time_ms (w->net) : 0.0;
  sh->rtf = w->rtf_value;
  if (ev != NULL)
    g_queue_push_tail (&sh->events, ev);
  post_locked (sh);
  shared_unlock (sh);
}

static void
fail (Worker *w, const char *message)
{
  Event *ev = g_new0 (Event, 1);
  ev->kind = EV_FAILED;
  ev->text = g_strdup (message);
  w->state = SW_RUNNER_FAILED;
  w->step_until = 0;
  w->rtf_value = 0.0;
  w->rtf_len = 0;
  publish (w, ev);
}

static void
anchor (Worker *w)
{
  w->anchor_wall_us = g_get_monotonic_time ();
  w->anchor_sim_ms = w->net != NULL ? sw_network_time_ms (w->net) : 0.0;
}

static void
rtf_restart (Worker *w)
{
  w->rtf_len = 0;
  anchor (w);
}

static void
attach_trace (Worker *w, WorkerTrace *t)
{
  SwError err;
  t->rec_id = -1;
  if (w->net == NULL)
    return;
  if (sw_recorder_add_trace (sw_network_recorder (w->net), t->pop, t->var, t->neuron, 1,
                             &t->rec_id, &err) != SW_OK)
    {
      g_debug ("trace %d not recorded: %s", t->id, err.text);
      t->rec_id = -1;
    }
}

/* New rings and a generation event for the network that runs now (after a
 * build or a reset).  Traces are attached again after a build. */
static Event *
new_generation (Worker *w, gboolean structural, const char *reason, gboolean built)
{
  const SwNetSpec *spec = sw_network_spec (w->net);
  Event *ev = g_new0 (Event, 1);

  g_clear_pointer (&w->spikes, sw_ring_unref);
  g_clear_pointer (&w->rates, sw_ring_unref);
  w->spikes = sw_ring_new (sizeof (SwSpike), SPIKE_RING_CAPACITY);
  w->rate_elt = rate_element_size (spec->n_pops);
  w->rates = sw_ring_new (w->rate_elt, RATE_RING_CAPACITY);
  g_free (w->rate_buf);
  g_free (w->rate_elts);
  w->rate_buf = g_new (guint32, (gsize) RATE_DRAIN_MAX * spec->n_pops);
  w->rate_elts = g_malloc ((gsize) RATE_DRAIN_MAX * w->rate_elt);

  ev->kind = EV_GENERATION;
  ev->spec = sw_net_spec_copy (spec);
  ev->spikes = sw_ring_ref (w->spikes);
  ev->rates = sw_ring_ref (w->rates);
  ev->n_pops = spec->n_pops;
  ev->structural = structural;
  ev->text = g_strdup (reason);
  ev->traces = g_array_new (FALSE, FALSE, sizeof (TraceRing));
  for (guint i = 0; i < w->traces->len; i++)
    {
      WorkerTrace *t = &g_array_index (w->traces, WorkerTrace, i);
      TraceRing tr = { t->id, NULL };
      sw_ring_unref (t->ring);
      t->ring = sw_ring_new (sizeof (SwTraceSample), TRACE_RING_CAPACITY);
      tr.ring = sw_ring_ref (t->ring);
      g_array_append_val (ev->traces, tr);
      if (built)
        attach_trace (w, t);
    }
  return ev;
}

/* The automatic thread count of a live network: the core's rule (one per
 * 5000 neurons, at most one per processor) but leaving a processor to the
 * window, which draws while the network runs. */
static int
live_threads (const SwNetSpec *spec)
{
  gint64 neurons = 0;
  for (int p = 0; p < spec->n_pops; p++)
    if (spec->pops[p].kind == SW_POP_NEURONS)
      neurons += spec->pops[p].n;
  int useful = (int) MIN ((neurons + 4999) / 5000, 1024);
  int spare = (int) g_get_num_processors () - 1;
  return MAX (1, MIN (useful, spare));
}

/* The runner's setting (sw_runner_set_threads) overrides the description;
 * 0 either way means automatic. */
static void
resolve_threads (Worker *w, SwNetSpec *spec)
{
  int threads = w->threads >= 0 ? w->threads : spec->threads;
  spec->threads = threads > 0 ? threads : live_threads (spec);
}

static void
drop_network (Worker *w)
{
  g_clear_pointer (&w->net, sw_network_free);
  for (guint i = 0; i < w->traces->len; i++)
    g_array_index (w->traces, WorkerTrace, i).rec_id = -1;
}

/* Builds a network from @spec (taken) in place of the current one. */
static gboolean
build (Worker *w, SwNetSpec *spec, const char *reason)
{
  SwNetwork *net = NULL;
  SwError err;
  SwStatus s;

  resolve_threads (w, spec);
  s = sw_network_new (spec, 0, &net, &err);
  sw_net_spec_free (spec);
  drop_network (w);
  if (s != SW_OK)
    {
      fail (w, err.text);
      return FALSE;
    }
  w->net = net;

  /* Sources would flood the spike ring with events nobody plots; their
   * counts still reach the rate bins. */
  const SwNetSpec *ns = sw_network_spec (net);
  SwRecorder *rec = sw_network_recorder (net);
  for (int p = 0; p < ns->n_pops; p++)
    if (ns->pops[p].kind != SW_POP_NEURONS)
      sw_recorder_set_spike_range (rec, p, 0, 0);
  int bin = (int) lround (1.0 / ns->dt_ms);
  sw_recorder_set_rate_bin (rec, bin < 1 ? 1 : bin);

  if (w->state == SW_RUNNER_EMPTY || w->state == SW_RUNNER_FAILED)
    w->state = SW_RUNNER_STOPPED;
  w->wall_us_per_step = 0.0;
  rtf_restart (w);
  publish (w, new_generation (w, TRUE, reason, TRUE));
  return TRUE;
}

static void
take_spec (Worker *w)
{
  Shared *sh = w->sh;
  SwNetSpec *spec;
  SwError err;

  shared_lock (sh);
  spec = g_steal_pointer (&sh->pending_spec);
  sh->spec_queued = FALSE;
  if (spec != NULL)
    sh->n_applied++;
  shared_unlock (sh);
  if (spec == NULL)
    return;

  resolve_threads (w, spec);
  if (w->net == NULL)
    {
      build (w, spec, _("A new network was built"));
      return;
    }

  SwStatus s = sw_network_apply_spec (w->net, spec, &err);
  if (s == SW_OK)
    {
      Event *ev = g_new0 (Event, 1);
      ev->kind = EV_SPEC;
      ev->spec = sw_net_spec_copy (sw_network_spec (w->net));
      sw_net_spec_free (spec);
      publish (w, ev);
    }
  else if (s == SW_ERR_STRUCTURAL)
    build (w, spec, err.text);
  else
    {
      sw_net_spec_free (spec);
      drop_network (w);
      fail (w, err.text);
    }
}

static void
do_reset (Worker *w, const char *reason)
{
  sw_network_reset (w->net);
  rtf_restart (w);
  w->rtf_value = 0.0;
  publish (w, new_generation (w, FALSE, reason, FALSE));
}

static void
drain (Worker *w)
{
  SwRecorder *rec = sw_network_recorder (w->net);
  size_t n;

  while ((n = sw_recorder_drain_spikes (rec, w->spike_buf, DRAIN_MAX)) > 0)
    sw_ring_push (w->spikes, w->spike_buf, n);

  int n_pops = sw_recorder_n_pops (rec);
  int64_t first;
  while ((n = sw_recorder_drain_rates (rec, &first, w->rate_buf, RATE_DRAIN_MAX)) > 0)
    {
      for (size_t k = 0; k < n; k++)
        {
          guchar *e = w->rate_elts + k * w->rate_elt;
          gint64 bin = first + (gint64) k;
          memcpy (e, &bin, sizeof bin);
          memcpy (e + sizeof bin, w->rate_buf + k * n_pops, n_pops * sizeof (guint32));
        }
      sw_ring_push (w->rates, w->rate_elts, n);
    }

  for (guint i = 0; i < w->traces->len; i++)
    {
      WorkerTrace *t = &g_array_index (w->traces, WorkerTrace, i);
      if (t->rec_id < 0)
        continue;
      while ((n = sw_recorder_drain_trace (rec, t->rec_id, w->sample_buf, DRAIN_MAX)) > 0)
        sw_ring_push (t->ring, w->sample_buf, n);
    }
}

static void
rtf_update (Worker *w)
{
  gint64 now = g_get_monotonic_time ();
  double sim = sw_network_time_ms (w->net);

  /* One sample per 10 ms of wall time at most (the newest replaces the
   * last when closer), so that the samples span the whole window even when
   * chunks take a fraction of a millisecond. */
  if (w->rtf_len >= 2 && now - w->rtf[w->rtf_len - 2].wall_us < RTF_WINDOW_US / 100)
    w->rtf_len--;
  if (w->rtf_len == G_N_ELEMENTS (w->rtf))
    {
      memmove (w->rtf, w->rtf + 1, (G_N_ELEMENTS (w->rtf) - 1) * sizeof w->rtf[0]);
      w->rtf_len--;
    }
  w->rtf[w->rtf_len++] = (RtfSample) { now, sim };

  int k = 0;
  while (k < w->rtf_len - 2 && now - w->rtf[k + 1].wall_us >= RTF_WINDOW_US)
    k++;
  if (k > 0)
    {
      memmove (w->rtf, w->rtf + k, (w->rtf_len - k) * sizeof w->rtf[0]);
      w->rtf_len -= k;
    }
  if (w->rtf_len >= 2 && now > w->rtf[0].wall_us)
    w->rtf_value = (sim - w->rtf[0].sim_ms) * 1e3 / (double) (now - w->rtf[0].wall_us);
}

/* Runs one chunk.  Returns FALSE when the run stopped on an error. */
static gboolean
run_chunk (Worker *w)
{
  const SwNetSpec *spec = sw_network_spec (w->net);
  uint64_t steps = (uint64_t) llround (CHUNK_MS / spec->dt_ms);
  SwError err;

  if (steps < 1)
    steps = 1;
  if (w->step_until > 0)
    {
      uint64_t left = w->step_until - sw_network_step_index (w->net);
      if (left < steps)
        steps = left;
    }
  else if (w->wall_us_per_step > 0.0)
    {
      uint64_t budget = (uint64_t) (CHUNK_WALL_US / w->wall_us_per_step);
      if (budget < steps)
        steps = budget < 1 ? 1 : budget;
    }

  uint64_t before = sw_network_step_index (w->net);
  gint64 t0 = g_get_monotonic_time ();
  SwStatus s = sw_network_run (w->net, steps, &w->sh->cancel, &err);
  gint64 t1 = g_get_monotonic_time ();
  uint64_t done = sw_network_step_index (w->net) - before;

  if (done > 0)
    {
      double per_step = (double) (t1 - t0) / (double) done;
      w->wall_us_per_step = w->wall_us_per_step > 0.0 ? 0.7 * w->wall_us_per_step + 0.3 * per_step : per_step;
    }
  drain (w);
  rtf_update (w);

  if (s != SW_OK && s != SW_ERR_CANCELLED)
    {
      fail (w, err.text);
      return FALSE;
    }
  if (w->step_until > 0 && sw_network_step_index (w->net) >= w->step_until)
    {
      w->step_until = 0;
      w->state = SW_RUNNER_PAUSED;
      w->rtf_value = 0.0;
    }
  publish (w, NULL);
  return TRUE;
}

static void
start_running (Worker *w)
{
  if (w->net == NULL)
    return;
  if (w->state == SW_RUNNER_FAILED)
    do_reset (w, _("The network was reset after a failure"));
  w->state = SW_RUNNER_RUNNING;
  rtf_restart (w);
}

static void
halt (Worker *w, SwRunnerState state)
{
  if (w->net == NULL || w->state == SW_RUNNER_FAILED || w->state == SW_RUNNER_EMPTY)
    return;
  w->state = state;
  w->step_until = 0;
  w->rtf_value = 0.0;
  w->rtf_len = 0;
}

static void
remove_trace (Worker *w, int id)
{
  for (guint i = 0; i < w->traces->len; i++)
    {
      WorkerTrace *t = &g_array_index (w->traces, WorkerTrace, i);
      if (t->id != id)
        continue;
      if (w->net != NULL && t->rec_id >= 0)
        sw_recorder_remove_trace (sw_network_recorder (w->net), t->rec_id);
      sw_ring_unref (t->ring);
      g_array_remove_index (w->traces, i);
      return;
    }
}

/* Handles one command; returns FALSE for CMD_QUIT. */
static gboolean
handle (Worker *w, Cmd *cmd)
{
  switch (cmd->kind)
    {
    case CMD_SPEC:
      take_spec (w);
      return TRUE;

    case CMD_RUN:
      w->step_until = 0;
      start_running (w);
      break;

    case CMD_PAUSE:
      halt (w, SW_RUNNER_PAUSED);
      break;

    case CMD_STOP:
      halt (w, SW_RUNNER_STOPPED);
      break;

    case CMD_RESET:
      /* A running network starts again from t = 0; otherwise it waits. */
      if (w->net == NULL)
        return TRUE;
      if (w->state != SW_RUNNER_RUNNING || w->step_until > 0)
        w->state = SW_RUNNER_STOPPED;
      w->step_until = 0;
      do_reset (w, _("The network was reset"));
      return TRUE;

    case CMD_STEP:
      start_running (w);
      if (w->net != NULL)
        w->step_until = sw_network_step_index (w->net)
                        + (uint64_t) MAX (1, llround (CHUNK_MS / sw_network_spec (w->net)->dt_ms));
      break;

    case CMD_SPEED:
      w->speed = cmd->value;
      anchor (w);
      return TRUE;

    case CMD_THREADS:
      w->threads = cmd->ivalue;
      if (w->net != NULL)
        sw_network_set_threads (w->net, cmd->ivalue > 0 ? cmd->ivalue
                                                        : live_threads (sw_network_spec (w->net)));
      return TRUE;

    case CMD_ADD_TRACE:
      {
        WorkerTrace t = { .id = cmd->ivalue, .pop = cmd->pop, .neuron = cmd->neuron, .rec_id = -1 };
        g_strlcpy (t.var, cmd->var, sizeof t.var);
        t.ring = g_steal_pointer (&cmd->ring);
        attach_trace (w, &t);
        g_array_append_val (w->traces, t);
      }
      return TRUE;

    case CMD_REMOVE_TRACE:
      remove_trace (w, cmd->ivalue);
      return TRUE;

    case CMD_QUIT:
      return FALSE;
    }
  publish (w, NULL);
  return TRUE;
}

/* Microseconds to wait before the next chunk: forever (-1) when nothing
 * runs, 0 when a chunk is due. */
static gint64
wait_us (Worker *w)
{
  if (w->net == NULL || w->state != SW_RUNNER_RUNNING)
    return -1;
  if (w->speed <= 0.0)
    return 0;
  gint64 now = g_get_monotonic_time ();
  double ahead_ms = sw_network_time_ms (w->net) - w->anchor_sim_ms;
  gint64 due = w->anchor_wall_us + (gint64) (ahead_ms * 1e3 / w->speed);
  if (due <= now)
    {
      if (now - due > MAX_LAG_US)
        anchor (w);
      return 0;
    }
  return due - now;
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
  Shared *sh = w->sh;
  gboolean alive = TRUE;

  while (alive)
    {
      gint64 wait = wait_us (w);
      Cmd *cmd;

      /* Clear before draining: a command queued after this point sets the
       * flag again and is seen on the next turn. */
      atomic_store (&sh->cancel, 0);
      cmd = queue_pop (sh, wait);

      while (cmd != NULL && alive)
        {
          alive = handle (w, cmd);
          cmd_free (cmd);
          cmd = alive ? queue_pop (sh, 0) : NULL;
        }
      if (cmd != NULL)
        cmd_free (cmd);
      if (!alive)
        break;

      if (wait_us (w) == 0)
        run_chunk (w);
    }

  drop_network (w);
  g_clear_pointer (&w->spikes, sw_ring_unref);
  g_clear_pointer (&w->rates, sw_ring_unref);
  for (guint i = 0; i < w->traces->len; i++)
    sw_ring_unref (g_array_index (w->traces, WorkerTrace, i).ring);
  g_array_unref (w->traces);
  g_free (w->spike_buf);
  g_free (w->rate_buf);
  g_free (w->rate_elts);
  g_free (w->sample_buf);
  shared_unref (w->sh);
  g_free (w);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Main thread: the object                                                   */

static void
push (SwRunner *self, Cmd *cmd)
{
  queue_push (self->shared, cmd);
  /* After the push: the worker clears the flag before it looks at the
   * queue, so either it sees this command or the flag interrupts it. */
  atomic_store (&self->shared->cancel, 1);
}

static void
push_simple (SwRunner *self, CmdKind kind)
{
  Cmd *cmd = g_new0 (Cmd, 1);
  cmd->kind = kind;
  push (self, cmd);
}

static void
sw_runner_dispose (GObject *object)
{
  SwRunner *self = SW_RUNNER (object);

  if (self->thread != NULL)
    {
      push_simple (self, CMD_QUIT);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  if (self->shared != NULL)
    {
      shared_lock (self->shared);
      self->shared->runner = NULL;
      shared_unlock (self->shared);
      g_clear_pointer (&self->shared, shared_unref);
    }
  g_clear_pointer (&self->spikes, sw_ring_unref);
  g_clear_pointer (&self->rates, sw_ring_unref);
  g_clear_pointer (&self->traces, g_hash_table_unref);

  G_OBJECT_CLASS (sw_runner_parent_class)->dispose (object);
}

static void
sw_runner_finalize (GObject *object)
{
  SwRunner *self = SW_RUNNER (object);

  g_clear_pointer (&self->spec, sw_net_spec_free);
  g_clear_pointer (&self->rate_scratch, g_byte_array_unref);

  G_OBJECT_CLASS (sw_runner_parent_class)->finalize (object);
}

static void
sw_runner_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwRunner *self = SW_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_TIME_MS:
      g_value_set_double (value, self->time_ms);
      break;
    case PROP_REAL_TIME_FACTOR:
      g_value_set_double (value, self->rtf);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_THREADS:
      g_value_set_int (value, self->threads);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_runner_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SwRunner *self = SW_RUNNER (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      sw_runner_set_speed (self, g_value_get_double (value));
      break;
    case PROP_THREADS:
      sw_runner_set_threads (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_runner_class_init (SwRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sw_runner_dispose;
  object_class->finalize = sw_runner_finalize;
  object_class->get_property = sw_runner_get_property;
  object_class->set_property = sw_runner_set_property;

  /* An int rather than an enum GType: the values are SwRunnerState. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, SW_RUNNER_EMPTY, SW_RUNNER_FAILED, SW_RUNNER_EMPTY,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TIME_MS] =
    g_param_spec_double ("time-ms", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REAL_TIME_FACTOR] =
    g_param_spec_double ("real-time-factor", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0.0, 1000.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_THREADS] =
    g_param_spec_int ("threads", NULL, NULL, 0, 1024, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REBUILT] =
    g_signal_new ("rebuilt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sw_runner_init (SwRunner *self)
{
  Shared *sh = g_atomic_rc_box_new0 (Shared);
  Worker *w = g_new0 (Worker, 1);

  g_mutex_init (&sh->lock);
  sh->context = g_main_context_ref_thread_default ();
  sh->queue = g_async_queue_new_full (cmd_free);
  atomic_init (&sh->cancel, 0);
  g_queue_init (&sh->events);
  sh->state = SW_RUNNER_EMPTY;
  sh->runner = self;
  self->shared = sh;

  self->state = SW_RUNNER_EMPTY;
  self->rate_scratch = g_byte_array_new ();
  self->traces = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sw_ring_unref);
  self->next_trace_id = 1;

  w->sh = shared_ref (sh);
  w->state = SW_RUNNER_EMPTY;
  w->threads = -1;
  w->traces = g_array_new (FALSE, FALSE, sizeof (WorkerTrace));
  w->spike_buf = g_new (SwSpike, DRAIN_MAX);
  w->sample_buf = g_new (SwTraceSample, DRAIN_MAX);
  self->thread = g_thread_new ("sw-runner", worker_main, w);
}

SwRunner *
sw_runner_new (void)
{
  return g_object_new (SW_TYPE_RUNNER, NULL);
}

void
sw_runner_set_spec (SwRunner *self, const SwNetSpec *spec)
{
  SwNetSpec *copy;
  gboolean queue;

  g_return_if_fail (SW_IS_RUNNER (self));
  g_return_if_fail (spec != NULL);

  copy = sw_net_spec_copy (spec);
  g_return_if_fail (copy != NULL);

  shared_lock (self->shared);
  g_clear_pointer (&self->shared->pending_spec, sw_net_spec_free);
  self->shared->pending_spec = copy;
  queue = !self->shared->spec_queued;
  self->shared->spec_queued = TRUE;
  shared_unlock (self->shared);

  if (queue)
    push_simple (self, CMD_SPEC);
}

void
sw_runner_run (SwRunner *self)
{
  g_return_if_fail (SW_IS_RUNNER (self));
  push_simple (self, CMD_RUN);
}

void
sw_runner_pause (SwRunner *self)
{
  g_return_if_fail (SW_IS_RUNNER (self));
  push_simple (self, CMD_PAUSE);
}

void
sw_runner_stop (SwRunner *self)
{
  g_return_if_fail (SW_IS_RUNNER (self));
  push_simple (self, CMD_STOP);
}

void
sw_runner_reset (SwRunner *self)
{
  g_return_if_fail (SW_IS_RUNNER (self));
  push_simple (self, CMD_RESET);
}

void
sw_runner_step (SwRunner *self)
{
  g_return_if_fail (SW_IS_RUNNER (self));
  push_simple (self, CMD_STEP);
}

void
sw_runner_set_speed (SwRunner *self, double real_time_factor)
{
  g_return_if_fail (SW_IS_RUNNER (self));
  g_return_if_fail (real_time_factor >= 0.0 && isfinite (real_time_factor));

  if (self->speed == real_time_factor)
    return;
  self->speed = real_time_factor;

  Cmd *cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_SPEED;
  cmd->value = real_time_factor;
  push (self, cmd);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

double
sw_runner_get_speed (SwRunner *self)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0.0);
  return self->speed;
}

SwRunnerState
sw_runner_get_state (SwRunner *self)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), SW_RUNNER_EMPTY);
  return self->state;
}

double
sw_runner_get_time_ms (SwRunner *self)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0.0);
  return self->time_ms;
}

double
sw_runner_get_real_time_factor (SwRunner *self)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0.0);
  return self->rtf;
}

int
sw_runner_get_threads (SwRunner *self)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0);
  return self->threads;
}

void
sw_runner_set_threads (SwRunner *self, int threads)
{
  g_return_if_fail (SW_IS_RUNNER (self));
  g_return_if_fail (threads >= 0);

  if (self->threads == threads)
    return;
  self->threads = threads;

  Cmd *cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_THREADS;
  cmd->ivalue = threads;
  push (self, cmd);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREADS]);
}

const SwNetSpec *
sw_runner_get_spec (SwRunner *self)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), NULL);
  return self->spec;
}

double
sw_runner_get_dt_ms (SwRunner *self)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0.1);
  return self->spec != NULL ? self->spec->dt_ms : 0.1;
}

guint
sw_runner_read_spikes (SwRunner *self, SwSpike *out, guint max)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0);
  if (self->spikes == NULL)
    return 0;
  return (guint) sw_ring_pop (self->spikes, out, max);
}

guint
sw_runner_read_rates (SwRunner *self, gint64 *first_bin, guint32 *counts, guint max)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0);
  if (self->rates == NULL || max == 0)
    return 0;

  size_t elt = sw_ring_element_size (self->rates);
  g_byte_array_set_size (self->rate_scratch, (guint) (elt * max));
  guint n = (guint) sw_ring_peek (self->rates, self->rate_scratch->data, max);
  guint k;
  gint64 first = 0;

  /* Hand out contiguous bins only: a gap (bins the full ring dropped) ends
   * this read, and the next one starts after it. */
  for (k = 0; k < n; k++)
    {
      const guint8 *e = self->rate_scratch->data + k * elt;
      gint64 bin;
      memcpy (&bin, e, sizeof bin);
      if (k == 0)
        first = bin;
      else if (bin != first + k)
        break;
      memcpy (counts + (gsize) k * self->n_pops, e + sizeof bin, self->n_pops * sizeof (guint32));
    }
  sw_ring_skip (self->rates, k);
  if (first_bin != NULL)
    *first_bin = first;
  return k;
}

int
sw_runner_add_trace (SwRunner *self, int pop, const char *var, int neuron)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), -1);

  const SwNetSpec *spec = self->spec;
  if (spec == NULL || pop < 0 || pop >= spec->n_pops || spec->pops[pop].kind != SW_POP_NEURONS
      || neuron < 0 || neuron >= spec->pops[pop].n)
    return -1;
  const SwNeuronType *type = spec->pops[pop].type;
  if (var == NULL)
    var = type->state[type->v_index].name;
  if (sw_param_find (type->state, type->n_state, var) < 0)
    return -1;

  SwRing *ring = sw_ring_new (sizeof (SwTraceSample), TRACE_RING_CAPACITY);
  int id = self->next_trace_id++;
  Cmd *cmd = g_new0 (Cmd, 1);

  g_hash_table_insert (self->traces, GINT_TO_POINTER (id), ring);
  cmd->kind = CMD_ADD_TRACE;
  cmd->ivalue = id;
  cmd->pop = pop;
  cmd->neuron = neuron;
  g_strlcpy (cmd->var, var, sizeof cmd->var);
  cmd->ring = sw_ring_ref (ring);
  push (self, cmd);
  return id;
}

void
sw_runner_remove_trace (SwRunner *self, int trace)
{
  g_return_if_fail (SW_IS_RUNNER (self));

  if (!g_hash_table_remove (self->traces, GINT_TO_POINTER (trace)))
    return;
  Cmd *cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_REMOVE_TRACE;
  cmd->ivalue = trace;
  push (self, cmd);
}

guint
sw_runner_read_trace (SwRunner *self, int trace, SwTraceSample *out, guint max)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0);

  SwRing *ring = g_hash_table_lookup (self->traces, GINT_TO_POINTER (trace));
  if (ring == NULL)
    return 0;
  return (guint) sw_ring_pop (ring, out, max);
}

/* ------------------------------------------------------------------------ */
/* For tests and the hub                                                     */

guint
sw_runner_get_n_specs_taken (SwRunner *self)
{
  guint n;
  g_return_val_if_fail (SW_IS_RUNNER (self), 0);
  shared_lock (self->shared);
  n = self->shared->n_applied;
  shared_unlock (self->shared);
  return n;
}

guint64
sw_runner_get_dropped (SwRunner *self)
{
  guint64 n = 0;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (SW_IS_RUNNER (self), 0);
  if (self->spikes != NULL)
    n += sw_ring_dropped (self->spikes);
  if (self->rates != NULL)
    n += sw_ring_dropped (self->rates);
  g_hash_table_iter_init (&iter, self->traces);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += sw_ring_dropped (value);
  return n;
}

int
sw_runner_get_n_pops (SwRunner *self)
{
  g_return_val_if_fail (SW_IS_RUNNER (self), 0);
  return self->spec != NULL ? self->spec->n_pops : 0;
}
