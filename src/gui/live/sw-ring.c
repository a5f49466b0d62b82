/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lock-free single-producer/single-consumer ring (see sw-ring.h).
 *
 * The producer owns `tail`, the consumer owns `head`.  Each reads the other's
 * counter with an acquire load, which makes the other side's element copies
 * (before its release store) visible: the consumer sees complete elements,
 * and the producer never overwrites a slot before the consumer has finished
 * copying it out.  The counters are 64 bits and never wrap in practice.
 */
#include "config.h"

#include "sw-ring.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Keeps the two counters on separate cache lines so that the producer and
 * the consumer do not invalidate each other's line on every update. */
#define CACHE_LINE 64

struct SwRing
{
  alignas (CACHE_LINE) _Atomic uint64_t head;  /* next element to read */
  alignas (CACHE_LINE) _Atomic uint64_t tail;  /* next element to write */
  alignas (CACHE_LINE) _Atomic uint64_t dropped;
  atomic_int ref_count;
  size_t element_size;
  size_t capacity;  /* a power of two */
  size_t mask;
  unsigned char *data;
};

SwRing *
sw_ring_new (size_t element_size, size_t min_capacity)
{
  if (element_size == 0 || min_capacity == 0 || min_capacity > (SIZE_MAX >> 2) / element_size)
    return NULL;
  size_t capacity = 2;
  while (capacity < min_capacity)
    capacity <<= 1;

  SwRing *ring = aligned_alloc (CACHE_LINE, (sizeof (SwRing) + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE);
  if (ring == NULL)
    return NULL;
  memset (ring, 0, sizeof *ring);
  ring->data = malloc (capacity * element_size);
  if (ring->data == NULL)
    {
      free (ring);
      return NULL;
    }
  atomic_init (&ring->head, 0);
  atomic_init (&ring->tail, 0);
  atomic_init (&ring->dropped, 0);
  atomic_init (&ring->ref_count, 1);
  ring->element_size = element_size;
  ring->capacity = capacity;
  ring->mask = capacity - 1;
  return ring;
}

SwRing *
sw_ring_ref (SwRing *ring)
{
  atomic_fetch_add_explicit (&ring->ref_count, 1, memory_order_relaxed);
  return ring;
}

void
sw_ring_unref (SwRing *ring)
{
  if (ring == NULL)
    return;
  /* acq_rel: the last owner must see every write the others made before
   * releasing their reference. */
  if (atomic_fetch_sub_explicit (&ring->ref_count, 1, memory_order_acq_rel) == 1)
    {
      free (ring->data);
      free (ring);
    }
}

size_t
sw_ring_capacity (const SwRing *ring)
{
  return ring->capacity;
}

size_t
sw_ring_element_size (const SwRing *ring)
{
  return ring->element_size;
}

/* Copies @n elements between the ring's slots starting at counter @at and
 * the flat buffer @buf, in two pieces when the range wraps. */
static void
copy_out (const SwRing *ring, uint64_t at, void *buf, size_t n)
{
  size_t first = (size_t) (at & ring->mask);
  size_t part = ring->capacity - first < n ? ring->capacity - first : n;
  memcpy (buf, ring->data + first * ring->element_size, part * ring->element_size);
  if (part < n)
    memcpy ((unsigned char *) buf + part * ring->element_size, ring->data, (n - part) * ring->element_size);
}

static void
copy_in (SwRing *ring, uint64_t at, const void *buf, size_t n)
{
  size_t first = (size_t) (at & ring->mask);
  size_t part = ring->capacity - first < n ? ring->capacity - first : n;
  memcpy (ring->data + first * ring->element_size, buf, part * ring->element_size);
  if (part < n)
    memcpy (ring->data, (const unsigned char *) buf + part * ring->element_size, (n - part) * ring->element_size);
}

size_t
sw_ring_push (SwRing *ring, const void *elements, size_t n)
{
  uint64_t tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);
  uint64_t head = atomic_load_explicit (&ring->head, memory_order_acquire);
  size_t room = ring->capacity - (size_t) (tail - head);
  size_t k = n < room ? n : room;

  if (k > 0)
    {
      copy_in (ring, tail, elements, k);
      atomic_store_explicit (&ring->tail, tail + k, memory_order_release);
    }
  if (k < n)
    atomic_fetch_add_explicit (&ring->dropped, n - k, memory_order_relaxed);
  return k;
}

size_t
sw_ring_peek (SwRing *ring, void *out, size_t max)
{
  uint64_t head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  uint64_t tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
  size_t avail = (size_t) (tail - head);
  size_t k = max < avail ? max : avail;

  if (k > 0)
    copy_out (ring, head, out, k);
  return k;
}

size_t
sw_ring_skip (SwRing *ring, size_t n)
{
  uint64_t head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  uint64_t tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
  size_t avail = (size_t) (tail - head);
  size_t k = n < avail ? n : avail;

  if (k > 0)
    atomic_store_explicit (&ring->head, head + k, memory_order_release);
  return k;
}

size_t
sw_ring_pop (SwRing *ring, void *out, size_t max)
{
  size_t k = sw_ring_peek (ring, out, max);
  /* The release store hands the slots back only after the copy above. */
  if (k > 0)
    {
      uint64_t head = atomic_load_explicit (&ring->head, memory_order_relaxed);
      atomic_store_explicit (&ring->head, head + k, memory_order_release);
    }
  return k;
}

size_t
sw_ring_available (const SwRing *ring)
{
  uint64_t head = atomic_load_explicit (&((SwRing *) ring)->head, memory_order_acquire);
  uint64_t tail = atomic_load_explicit (&((SwRing *) ring)->tail, memory_order_acquire);
  return tail >= head ? (size_t) (tail - head) : 0;
}

uint64_t
sw_ring_dropped (const SwRing *ring)
{
  return atomic_load_explicit (&((SwRing *) ring)->dropped, memory_order_relaxed);
}
