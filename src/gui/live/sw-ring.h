/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRing: a lock-free single-producer/single-consumer ring of fixed-size
 * elements, the hand-off from the simulation thread to the main loop.
 *
 * The capacity is a power of two; the head (next to read) and tail (next to
 * write) are free-running 64-bit counters published with release stores and
 * read with acquire loads, so the producer never waits for the reader and the
 * reader never sees a half-written element.  A full ring drops what does not
 * fit (the newest elements) and counts it, so what the reader gets is always
 * in order and the drop count says how much is missing.
 *
 * Rings are reference counted so that the producer and the consumer may
 * release their side in either order.  Plain C11: no GLib, usable from any
 * thread as long as there is one writer and one reader at a time.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct SwRing SwRing;

/* A ring of at least @min_capacity elements (rounded up to a power of two,
 * at least 2) of @element_size bytes each; NULL when out of memory or when
 * an argument is 0.  The reference count starts at 1. */
SwRing *sw_ring_new (size_t element_size, size_t min_capacity);
SwRing *sw_ring_ref (SwRing *ring);
void sw_ring_unref (SwRing *ring);

size_t sw_ring_capacity (const SwRing *ring);
size_t sw_ring_element_size (const SwRing *ring);

/* Producer side.  Copies up to @n elements from @elements; what does not fit
 * is dropped and counted.  Returns the number written. */
size_t sw_ring_push (SwRing *ring, const void *elements, size_t n);

/* Consumer side.  Copies up to @max of the oldest elements to @out and
 * removes them; returns the number copied. */
size_t sw_ring_pop (SwRing *ring, void *out, size_t max);
/* Copies up to @max of the oldest elements without removing them. */
size_t sw_ring_peek (SwRing *ring, void *out, size_t max);
/* Removes up to @n of the oldest elements; returns the number removed. */
size_t sw_ring_skip (SwRing *ring, size_t n);

/* Elements waiting (exact from either side, a snapshot from elsewhere). */
size_t sw_ring_available (const SwRing *ring);

/* Elements dropped because the ring was full, since it was made. */
uint64_t sw_ring_dropped (const SwRing *ring);
