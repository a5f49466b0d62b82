/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Did you mean": the nearest of a set of names to a misspelt one, by the
 * optimal-string-alignment edit distance (insertions, deletions,
 * substitutions and swaps of neighbours each cost one).  Used for unknown
 * fields, parameters, populations, variables and units.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Edit distance between @a and @b, counted in Unicode characters. */
guint sw_edit_distance (const char *a, const char *b);

/* The candidate closest to @word when it is close enough to be a likely
 * typo (a distance of at most a third of the word's length, at least one
 * for words of two or more characters; a difference of case only always
 * qualifies; so does the start of a single candidate, "adex" for
 * "adex_cond"), else NULL.  @candidates has
 * @n entries, or is NULL-terminated when @n is negative.  The result points
 * into @candidates. */
const char *sw_suggest (const char *word, const char *const *candidates, gssize n);

/* Appends "; did you mean 'NAME'?" to @msg when sw_suggest() finds one;
 * returns whether it did. */
gboolean sw_suggest_append (GString *msg, const char *word,
                            const char *const *candidates, gssize n);

G_END_DECLS
