/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the single-producer/single-consumer ring (src/gui/live/sw-ring.c):
 * capacity, order across the wrap, drop counting, and a producer and a
 * consumer thread hammering one ring.  No display needed.
 */
#include "config.h"

#include <glib.h>
#include <stdint.h>

#include "sw-ring.h"

static void
test_capacity (void)
{
  SwRing *ring = sw_ring_new (sizeof (int), 5);
  g_assert_nonnull (ring);
  g_assert_cmpuint (sw_ring_capacity (ring), ==, 8);
  g_assert_cmpuint (sw_ring_element_size (ring), ==, sizeof (int));
  g_assert_cmpuint (sw_ring_available (ring), ==, 0);
  sw_ring_unref (ring);

  ring = sw_ring_new (24, 1);
  g_assert_cmpuint (sw_ring_capacity (ring), ==, 2);
  sw_ring_unref (ring);

  g_assert_null (sw_ring_new (0, 8));
  g_assert_null (sw_ring_new (8, 0));
}

static void
test_order_and_drops (void)
{
  SwRing *ring = sw_ring_new (sizeof (int), 8);
  int in[32], out[32];
  int next_in = 0, next_out = 0;

  for (int i = 0; i < 32; i++)
    in[i] = i;

  /* Ten into eight: the two newest are dropped and counted. */
  g_assert_cmpuint (sw_ring_push (ring, in, 10), ==, 8);
  g_assert_cmpuint (sw_ring_dropped (ring), ==, 2);
  g_assert_cmpuint (sw_ring_available (ring), ==, 8);
  g_assert_cmpuint (sw_ring_peek (ring, out, 3), ==, 3);
  g_assert_cmpint (out[0], ==, 0);
  g_assert_cmpuint (sw_ring_available (ring), ==, 8);
  g_assert_cmpuint (sw_ring_pop (ring, out, 5), ==, 5);
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (out[i], ==, i);
  g_assert_cmpuint (sw_ring_pop (ring, out, 32), ==, 3);
  g_assert_cmpint (out[2], ==, 7);
  g_assert_cmpuint (sw_ring_pop (ring, out, 32), ==, 0);

  /* Many rounds of odd sizes: every element comes out once, in order,
   * across the wrap of the storage. */
  sw_ring_unref (ring);
  ring = sw_ring_new (sizeof (int), 8);
  for (int round = 0; round < 1000; round++)
    {
      int n = 1 + round % 7;
      int vals[8];
      for (int k = 0; k < n; k++)
        vals[k] = next_in + k;
      size_t w = sw_ring_push (ring, vals, n);
      next_in += (int) w;
      int m = 1 + (round * 5) % 8;
      size_t r = sw_ring_pop (ring, out, m);
      for (size_t k = 0; k < r; k++)
        g_assert_cmpint (out[k], ==, next_out++);
    }
  while (sw_ring_available (ring) > 0)
    {
      size_t r = sw_ring_pop (ring, out, 8);
      for (size_t k = 0; k < r; k++)
        g_assert_cmpint (out[k], ==, next_out++);
    }
  g_assert_cmpint (next_out, ==, next_in);

  g_assert_cmpuint (sw_ring_skip (ring, 3), ==, 0);
  sw_ring_push (ring, in, 6);
  g_assert_cmpuint (sw_ring_skip (ring, 4), ==, 4);
  g_assert_cmpuint (sw_ring_pop (ring, out, 8), ==, 2);
  g_assert_cmpint (out[0], ==, 4);
  sw_ring_unref (ring);
}

/* Elements of 24 bytes, so a torn copy would show. */
typedef struct
{
  uint64_t seq;
  uint64_t check;
  uint64_t pad;
} Elt;

#define N_ELEMENTS 2000000

typedef struct
{
  SwRing *ring;
  gboolean retry;  /* push again what did not fit, instead of dropping it */
  uint64_t pushed;
} Producer;

static gpointer
producer_main (gpointer data)
{
  Producer *p = data;
  Elt batch[37];
  uint64_t seq = 0;
  guint32 state = 12345;

  while (seq < N_ELEMENTS)
    {
      state = state * 1664525u + 1013904223u;
      size_t n = 1 + (state >> 16) % 37;
      if (n > N_ELEMENTS - seq)
        n = N_ELEMENTS - seq;
      for (size_t k = 0; k < n; k++)
        batch[k] = (Elt) { seq + k, (seq + k) * 2654435761u, ~(seq + k) };
      size_t w = sw_ring_push (p->ring, batch, n);
      if (p->retry)
        {
          size_t done = w;
          while (done < n)
            {
              g_thread_yield ();
              done += sw_ring_push (p->ring, batch + done, n - done);
            }
          seq += n;
        }
      else
        seq += n;   /* the dropped ones are gone: their numbers are skipped */
      p->pushed += p->retry ? n : w;
    }
  sw_ring_unref (p->ring);
  return NULL;
}

static void
run_threads (gboolean retry)
{
  SwRing *ring = sw_ring_new (sizeof (Elt), 1024);
  Producer p = { sw_ring_ref (ring), retry, 0 };
  GThread *thread = g_thread_new ("producer", producer_main, &p);
  Elt out[61];
  uint64_t received = 0, last = 0;
  gboolean first = TRUE;
  gint64 start = g_get_monotonic_time ();

  for (;;)
    {
      size_t r = sw_ring_pop (ring, out, 1 + received % 61);
      for (size_t k = 0; k < r; k++)
        {
          g_assert_cmpuint (out[k].check, ==, out[k].seq * 2654435761u);
          g_assert_cmpuint (out[k].pad, ==, ~out[k].seq);
          if (!first)
            g_assert_cmpuint (out[k].seq, >, last);
          if (retry)
            g_assert_cmpuint (out[k].seq, ==, first ? 0 : last + 1);
          last = out[k].seq;
          first = FALSE;
        }
      received += r;
      if (r == 0)
        {
          /* A retrying producer's refusals count as drops too, but it
           * pushes everything in the end. */
          if (retry ? received == N_ELEMENTS : received + sw_ring_dropped (ring) == N_ELEMENTS)
            break;
          g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
        }
    }
  g_thread_join (thread);
  g_assert_cmpuint (received, ==, p.pushed);
  if (!retry)
    g_assert_cmpuint (received + sw_ring_dropped (ring), ==, N_ELEMENTS);
  g_test_message ("received %" G_GUINT64_FORMAT ", refused %" G_GUINT64_FORMAT, received,
                  sw_ring_dropped (ring));
  sw_ring_unref (ring);
}

static void
test_threads_lossless (void)
{
  run_threads (TRUE);
}

static void
test_threads_dropping (void)
{
  run_threads (FALSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gui-live/ring/capacity", test_capacity);
  g_test_add_func ("/gui-live/ring/order-and-drops", test_order_and_drops);
  g_test_add_func ("/gui-live/ring/threads-lossless", test_threads_lossless);
  g_test_add_func ("/gui-live/ring/threads-dropping", test_threads_dropping);
  return g_test_run ();
}
