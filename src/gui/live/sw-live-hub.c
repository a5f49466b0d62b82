/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwLiveHub: drains a runner's rings on the frame clock and fans the data
 * out to the live views (see sw-live-hub.h).
 *
 * Every view gets a tick callback; the first tick of a frame drains, the
 * others of the same frame see the frame time already served and return.
 * A 50 ms timeout drains when no tick came for a while (no view mapped), so
 * statistics stay current and the rings do not overflow behind a hidden
 * window.
 */
#define G_LOG_DOMAIN "Spikeworks-Live"

#include "config.h"

#include "sw-live-hub.h"
#include "sw-runner-private.h"

#include <math.h>

/* Statistics history: 10 s of 1 ms bins. */
#define HISTORY_BINS 10000
#define SPIKE_BATCH 16384
#define RATE_BATCH 512
#define IDLE_DRAIN_US 50000

typedef struct
{
  SwLiveView *view;
  guint tick_id;
} ViewEntry;

struct _SwLiveHub
{
  GObject parent_instance;

  SwRunner *runner;
  GArray *views;             /* ViewEntry; the views are not owned */
  guint timeout_id;

  SwSpike *spike_buf;
  guint32 *rate_buf;
  int rate_buf_pops;

  /* Statistics, per population. */
  int n_pops;
  guint32 *history;          /* [HISTORY_BINS][n_pops], circular by bin */
  gint64 first_bin;          /* of this network: bins first_bin .. next_bin - 1 */
  gint64 next_bin;
  guint64 *totals;

  gint64 last_frame_time;    /* of the frame clock, µs */
  gint64 last_drain_us;      /* monotonic */
  gint64 last_tick_us;
  gint64 worst_tick_gap_us;
  guint64 n_frames;
  gboolean draining;
};

G_DEFINE_FINAL_TYPE (SwLiveHub, sw_live_hub, G_TYPE_OBJECT)

enum
{
  UPDATED,
  CLEARED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void view_finalized_cb (gpointer data, GObject *where_the_object_was);

static void
reset_stats (SwLiveHub *self)
{
  self->n_pops = sw_runner_get_n_pops (self->runner);
  g_clear_pointer (&self->history, g_free);
  g_clear_pointer (&self->totals, g_free);
  if (self->n_pops > 0)
    {
      self->history = g_new0 (guint32, (gsize) HISTORY_BINS * self->n_pops);
      self->totals = g_new0 (guint64, self->n_pops);
    }
  self->first_bin = 0;
  self->next_bin = 0;
}

static void
rebuilt_cb (SwRunner *runner, gboolean structural, const char *reason, SwLiveHub *self)
{
  reset_stats (self);
  for (guint i = 0; i < self->views->len; i++)
    sw_live_view_clear (g_array_index (self->views, ViewEntry, i).view);
  g_signal_emit (self, signals[CLEARED], 0);
}

static void
account_rates (SwLiveHub *self, gint64 first, const guint32 *counts, guint n)
{
  if (self->history == NULL)
    return;
  if (self->next_bin == 0 && self->first_bin == 0)
    self->first_bin = first;
  /* Bins the ring dropped count as silent in the window (and not at all
   * in the totals). */
  for (gint64 b = MAX (self->next_bin, first - HISTORY_BINS); b < first; b++)
    memset (self->history + (b % HISTORY_BINS) * self->n_pops, 0, self->n_pops * sizeof (guint32));
  for (guint k = 0; k < n; k++)
    {
      gint64 b = first + k;
      guint32 *row = self->history + (b % HISTORY_BINS) * self->n_pops;
      memcpy (row, counts + (gsize) k * self->n_pops, self->n_pops * sizeof (guint32));
      for (int p = 0; p < self->n_pops; p++)
        self->totals[p] += row[p];
    }
  self->next_bin = first + n;
}

void
sw_live_hub_drain (SwLiveHub *self)
{
  gboolean any = FALSE;
  guint n;

  g_return_if_fail (SW_IS_LIVE_HUB (self));

  /* A view's handler that iterates the main loop must not drain again
   * from inside a drain. */
  if (self->draining)
    return;
  self->draining = TRUE;
  g_object_ref (self);
  self->last_drain_us = g_get_monotonic_time ();

  if (sw_runner_get_n_pops (self->runner) != self->n_pops)
    reset_stats (self);

  while ((n = sw_runner_read_spikes (self->runner, self->spike_buf, SPIKE_BATCH)) > 0)
    {
      any = TRUE;
      for (guint i = 0; i < self->views->len; i++)
        sw_live_view_spikes (g_array_index (self->views, ViewEntry, i).view, self->spike_buf, n);
      if (n < SPIKE_BATCH)
        break;
    }

  if (self->n_pops > 0)
    {
      gint64 first;
      if (self->rate_buf_pops != self->n_pops)
        {
          g_free (self->rate_buf);
          self->rate_buf = g_new (guint32, (gsize) RATE_BATCH * self->n_pops);
          self->rate_buf_pops = self->n_pops;
        }
      while ((n = sw_runner_read_rates (self->runner, &first, self->rate_buf, RATE_BATCH)) > 0)
        {
          any = TRUE;
          account_rates (self, first, self->rate_buf, n);
          for (guint i = 0; i < self->views->len; i++)
            sw_live_view_rates (g_array_index (self->views, ViewEntry, i).view, first,
                                self->rate_buf, n, self->n_pops);
        }
    }

  /* Views read their traces here and decide whether to redraw. */
  for (guint i = 0; i < self->views->len; i++)
    sw_live_view_frame (g_array_index (self->views, ViewEntry, i).view);

  if (any)
    {
      self->n_frames++;
      g_signal_emit (self, signals[UPDATED], 0);
    }
  self->draining = FALSE;
  g_object_unref (self);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  SwLiveHub *self = data;
  gint64 frame_time = gdk_frame_clock_get_frame_time (clock);

  if (frame_time == self->last_frame_time)
    return G_SOURCE_CONTINUE;
  self->last_frame_time = frame_time;

  gint64 now = g_get_monotonic_time ();
  if (self->last_tick_us != 0 && sw_runner_get_state (self->runner) == SW_RUNNER_RUNNING)
    self->worst_tick_gap_us = MAX (self->worst_tick_gap_us, now - self->last_tick_us);
  self->last_tick_us = now;

  sw_live_hub_drain (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer data)
{
  SwLiveHub *self = data;
  if (g_get_monotonic_time () - self->last_drain_us >= IDLE_DRAIN_US)
    sw_live_hub_drain (self);
  return G_SOURCE_CONTINUE;
}

static void
forget_view (SwLiveHub *self, guint index, gboolean alive)
{
  ViewEntry *e = &g_array_index (self->views, ViewEntry, index);
  if (alive)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (e->view), e->tick_id);
      g_object_weak_unref (G_OBJECT (e->view), view_finalized_cb, self);
      sw_live_view_bind (e->view, NULL);
    }
  g_array_remove_index (self->views, index);
}

static void
view_finalized_cb (gpointer data, GObject *where_the_object_was)
{
  SwLiveHub *self = data;
  for (guint i = 0; i < self->views->len; i++)
    if ((GObject *) g_array_index (self->views, ViewEntry, i).view == where_the_object_was)
      {
        forget_view (self, i, FALSE);
        return;
      }
}

static void
sw_live_hub_dispose (GObject *object)
{
  SwLiveHub *self = SW_LIVE_HUB (object);

  while (self->views != NULL && self->views->len > 0)
    forget_view (self, self->views->len - 1, TRUE);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);

  G_OBJECT_CLASS (sw_live_hub_parent_class)->dispose (object);
}

static void
sw_live_hub_finalize (GObject *object)
{
  SwLiveHub *self = SW_LIVE_HUB (object);

  g_clear_pointer (&self->views, g_array_unref);
  g_free (self->spike_buf);
  g_free (self->rate_buf);
  g_free (self->history);
  g_free (self->totals);

  G_OBJECT_CLASS (sw_live_hub_parent_class)->finalize (object);
}

static void
sw_live_hub_class_init (SwLiveHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sw_live_hub_dispose;
  object_class->finalize = sw_live_hub_finalize;

  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CLEARED] = g_signal_new ("cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sw_live_hub_init (SwLiveHub *self)
{
  self->views = g_array_new (FALSE, FALSE, sizeof (ViewEntry));
  self->spike_buf = g_new (SwSpike, SPIKE_BATCH);
}

SwLiveHub *
sw_live_hub_new (SwRunner *runner)
{
  g_return_val_if_fail (SW_IS_RUNNER (runner), NULL);

  SwLiveHub *self = g_object_new (SW_TYPE_LIVE_HUB, NULL);
  self->runner = g_object_ref (runner);
  g_signal_connect (runner, "rebuilt", G_CALLBACK (rebuilt_cb), self);
  reset_stats (self);
  self->timeout_id = g_timeout_add (IDLE_DRAIN_US / 1000, timeout_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->timeout_id),
                            "[sw-live-hub] idle drain");
  return self;
}

SwRunner *
sw_live_hub_get_runner (SwLiveHub *self)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), NULL);
  return self->runner;
}

void
sw_live_hub_add_view (SwLiveHub *self, GtkWidget *view)
{
  g_return_if_fail (SW_IS_LIVE_HUB (self));
  g_return_if_fail (SW_IS_LIVE_VIEW (view));

  for (guint i = 0; i < self->views->len; i++)
    if (g_array_index (self->views, ViewEntry, i).view == (SwLiveView *) view)
      return;

  ViewEntry e = { SW_LIVE_VIEW (view), 0 };
  e.tick_id = gtk_widget_add_tick_callback (view, tick_cb, self, NULL);
  g_object_weak_ref (G_OBJECT (view), view_finalized_cb, self);
  g_array_append_val (self->views, e);
  sw_live_view_bind (e.view, self);
}

void
sw_live_hub_remove_view (SwLiveHub *self, GtkWidget *view)
{
  g_return_if_fail (SW_IS_LIVE_HUB (self));

  for (guint i = 0; i < self->views->len; i++)
    if (g_array_index (self->views, ViewEntry, i).view == (SwLiveView *) view)
      {
        forget_view (self, i, TRUE);
        return;
      }
}

double
sw_live_hub_get_rate_hz (SwLiveHub *self, int pop, double window_ms)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), NAN);

  const SwNetSpec *spec = sw_runner_get_spec (self->runner);
  if (spec == NULL || pop < 0 || pop >= self->n_pops || pop >= spec->n_pops)
    return NAN;
  double bin_ms = sw_live_hub_get_bin_ms (self);
  gint64 n_bins = (gint64) llround (window_ms / bin_ms);
  n_bins = CLAMP (n_bins, 1, HISTORY_BINS);
  n_bins = MIN (n_bins, self->next_bin - self->first_bin);
  if (n_bins <= 0)
    return 0.0;

  guint64 sum = 0;
  for (gint64 b = self->next_bin - n_bins; b < self->next_bin; b++)
    sum += self->history[(b % HISTORY_BINS) * self->n_pops + pop];
  return (double) sum / spec->pops[pop].n / (n_bins * bin_ms * 1e-3);
}

guint64
sw_live_hub_get_spike_count (SwLiveHub *self, int pop)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), 0);
  if (pop < 0 || pop >= self->n_pops)
    return 0;
  return self->totals[pop];
}

double
sw_live_hub_get_bin_ms (SwLiveHub *self)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), 1.0);
  /* The runner asks the recorder for bins of round(1 ms / dt) steps. */
  double dt = sw_runner_get_dt_ms (self->runner);
  long steps = lround (1.0 / dt);
  return (steps < 1 ? 1 : steps) * dt;
}

double
sw_live_hub_get_dt_ms (SwLiveHub *self)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), 0.1);
  return sw_runner_get_dt_ms (self->runner);
}

double
sw_live_hub_get_time_ms (SwLiveHub *self)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), 0.0);
  return self->next_bin * sw_live_hub_get_bin_ms (self);
}

const SwNetSpec *
sw_live_hub_get_spec (SwLiveHub *self)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), NULL);
  return sw_runner_get_spec (self->runner);
}

int
sw_live_hub_get_n_pops (SwLiveHub *self)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), 0);
  return sw_runner_get_n_pops (self->runner);
}

guint64
sw_live_hub_get_n_frames (SwLiveHub *self)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), 0);
  return self->n_frames;
}

gint64
sw_live_hub_take_worst_frame_us (SwLiveHub *self)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), 0);
  gint64 worst = self->worst_tick_gap_us;
  self->worst_tick_gap_us = 0;
  return worst;
}

guint
sw_live_hub_copy_bins (SwLiveHub *self, int pop, guint n_bins, guint32 *out, gint64 *first_bin)
{
  g_return_val_if_fail (SW_IS_LIVE_HUB (self), 0);

  if (pop < 0 || pop >= self->n_pops || self->history == NULL)
    return 0;
  gint64 n = MIN ((gint64) n_bins, MIN (self->next_bin - self->first_bin, HISTORY_BINS));
  gint64 b0 = self->next_bin - n;
  for (gint64 k = 0; k < n; k++)
    out[k] = self->history[((b0 + k) % HISTORY_BINS) * self->n_pops + pop];
  if (first_bin != NULL)
    *first_bin = b0;
  return (guint) n;
}
