/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Edit distance and name suggestions for error messages.
 */
#include "config.h"

#include "sw-suggest.h"

#include <string.h>

guint
sw_edit_distance (const char *a, const char *b)
{
  g_autofree gunichar *ua = NULL;
  g_autofree gunichar *ub = NULL;
  g_autofree guint *rows = NULL;
  glong na = 0, nb = 0;

  g_return_val_if_fail (a != NULL && b != NULL, G_MAXUINT);

  ua = g_utf8_to_ucs4_fast (a, -1, &na);
  ub = g_utf8_to_ucs4_fast (b, -1, &nb);

  /* Three rows of the dynamic programme: two back for the swap. */
  rows = g_new0 (guint, 3 * (nb + 1));
  guint *prev2 = rows;
  guint *prev = rows + (nb + 1);
  guint *cur = rows + 2 * (nb + 1);

  for (glong j = 0; j <= nb; j++)
    prev[j] = (guint) j;

  for (glong i = 1; i <= na; i++)
    {
      cur[0] = (guint) i;
      for (glong j = 1; j <= nb; j++)
        {
          guint cost = ua[i - 1] == ub[j - 1] ? 0 : 1;
          guint best = MIN (prev[j] + 1, cur[j - 1] + 1);
          best = MIN (best, prev[j - 1] + cost);
          if (i > 1 && j > 1 && ua[i - 1] == ub[j - 2] && ua[i - 2] == ub[j - 1])
            best = MIN (best, prev2[j - 2] + 1);
          cur[j] = best;
        }
      guint *tmp = prev2;
      prev2 = prev;
      prev = cur;
      cur = tmp;
    }

  return prev[nb];
}

const char *
sw_suggest (const char *word, const char *const *candidates, gssize n)
{
  const char *best = NULL;
  const char *prefixed = NULL;
  guint n_prefixed = 0;
  guint best_distance = G_MAXUINT;
  glong best_skew = G_MAXLONG;
  glong len;
  guint limit;

  g_return_val_if_fail (word != NULL, NULL);

  if (candidates == NULL || *word == '\0')
    return NULL;

  /* A third of the word may be wrong; a single letter is no typo of
   * another single letter ("X" is not "E"). */
  len = g_utf8_strlen (word, -1);
  limit = MAX (len >= 2 ? 1u : 0u, (guint) (len / 3));

  for (gssize i = 0; n < 0 ? candidates[i] != NULL : i < n; i++)
    {
      const char *cand = candidates[i];
      guint d;
      glong skew;

      if (cand == NULL || *cand == '\0' || strcmp (cand, word) == 0)
        continue;

      /* A difference of case only is the likeliest mistake of all. */
      if (g_ascii_strcasecmp (cand, word) == 0)
        return cand;

      if (len >= 3 && g_str_has_prefix (cand, word))
        {
          prefixed = cand;
          n_prefixed++;
        }

      /* Between equally near names, prefer one of the same length: "EF"
       * is rather "EE" than "E". */
      d = sw_edit_distance (word, cand);
      skew = ABS (g_utf8_strlen (cand, -1) - len);
      if (d < best_distance || (d == best_distance && skew < best_skew))
        {
          best_distance = d;
          best_skew = skew;
          best = cand;
        }
    }

  if (best_distance <= limit)
    return best;
  /* A name cut short ("adex" for "adex_cond"), when only one fits. */
  if (n_prefixed == 1)
    return prefixed;
  return NULL;
}

gboolean
sw_suggest_append (GString *msg, const char *word, const char *const *candidates,
                   gssize n)
{
  const char *s = sw_suggest (word, candidates, n);

  if (s == NULL)
    return FALSE;
  g_string_append_printf (msg, "; did you mean '%s'?", s);
  return TRUE;
}
