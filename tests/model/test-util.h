/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the model tests: comparing specs field by field,
 * temporary folders, and checking errors for their domain, code, file and
 * place.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sw-document.h"

/* Asserts that @error is SW_DOCUMENT_ERROR/@code and that its message
 * contains each of the NULL-terminated fragments. */
G_GNUC_UNUSED G_GNUC_NULL_TERMINATED static void
assert_doc_error (const GError *error, int code, ...)
{
  va_list args;
  const char *fragment;

  if (error == NULL)
    g_error ("expected an error with code %d, got none", code);
  if (error->domain != SW_DOCUMENT_ERROR || error->code != code)
    g_error ("expected SW_DOCUMENT_ERROR code %d, got %s code %d: %s", code,
             g_quark_to_string (error->domain), error->code, error->message);
  va_start (args, code);
  while ((fragment = va_arg (args, const char *)) != NULL)
    if (strstr (error->message, fragment) == NULL)
      g_error ("message '%s' lacks '%s'", error->message, fragment);
  va_end (args);
}

G_GNUC_UNUSED static void
assert_dist_equal (const SwDist *a, const SwDist *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpfloat (a->a, ==, b->a);
  g_assert_cmpfloat (a->b, ==, b->b);
}

G_GNUC_UNUSED static void
assert_waves_equal (const SwWaveform *a, int na, const SwWaveform *b, int nb)
{
  g_assert_cmpint (na, ==, nb);
  for (int i = 0; i < na; i++)
    {
      g_assert_cmpint (a[i].kind, ==, b[i].kind);
      g_assert_cmpfloat (a[i].amplitude, ==, b[i].amplitude);
      g_assert_cmpfloat (a[i].t0_ms, ==, b[i].t0_ms);
      g_assert_cmpfloat (a[i].duration_ms, ==, b[i].duration_ms);
      g_assert_cmpfloat (a[i].tau1_ms, ==, b[i].tau1_ms);
      g_assert_cmpfloat (a[i].tau2_ms, ==, b[i].tau2_ms);
      g_assert_cmpfloat (a[i].freq_hz, ==, b[i].freq_hz);
    }
}

/* Every field of two specs, exactly. */
G_GNUC_UNUSED static void
assert_spec_equal (const SwNetSpec *a, const SwNetSpec *b)
{
  g_assert_cmpfloat (a->dt_ms, ==, b->dt_ms);
  g_assert_cmpuint (a->seed, ==, b->seed);
  g_assert_cmpint (a->threads, ==, b->threads);
  g_assert_cmpfloat (a->max_rate_hz, ==, b->max_rate_hz);

  g_assert_cmpint (a->n_pops, ==, b->n_pops);
  for (int i = 0; i < a->n_pops; i++)
    {
      const SwPopSpec *p = &a->pops[i], *q = &b->pops[i];

      g_assert_cmpstr (p->name, ==, q->name);
      g_assert_cmpint (p->kind, ==, q->kind);
      g_assert_cmpint (p->n, ==, q->n);
      g_assert_cmpint (p->inhibitory, ==, q->inhibitory);
      g_assert_true (p->type == q->type);
      if (p->kind == SW_POP_NEURONS)
        {
          for (int k = 0; k < p->type->n_params; k++)
            g_assert_cmpfloat (p->params[k], ==, q->params[k]);
          for (int k = 0; k < p->type->n_state; k++)
            assert_dist_equal (&p->init[k], &q->init[k]);
        }
      assert_waves_equal (p->rate, p->n_rate, q->rate, q->n_rate);
      g_assert_cmpint (p->n_times, ==, q->n_times);
      for (int k = 0; k < p->n_times; k++)
        {
          g_assert_cmpint (p->times_index[k], ==, q->times_index[k]);
          g_assert_cmpfloat (p->times_ms[k], ==, q->times_ms[k]);
        }
    }

  g_assert_cmpint (a->n_projs, ==, b->n_projs);
  for (int i = 0; i < a->n_projs; i++)
    {
      const SwProjSpec *p = &a->projs[i], *q = &b->projs[i];

      g_assert_cmpstr (p->name, ==, q->name);
      g_assert_cmpint (p->pre, ==, q->pre);
      g_assert_cmpint (p->post, ==, q->post);
      g_assert_cmpint (p->receptor, ==, q->receptor);
      g_assert_cmpint (p->rule, ==, q->rule);
      g_assert_cmpfloat (p->p, ==, q->p);
      g_assert_cmpint (p->k, ==, q->k);
      g_assert_cmpint (p->autapses, ==, q->autapses);
      g_assert_cmpint (p->multapses, ==, q->multapses);
      assert_dist_equal (&p->weight, &q->weight);
      assert_dist_equal (&p->delay_ms, &q->delay_ms);
    }

  g_assert_cmpint (a->n_stims, ==, b->n_stims);
  for (int i = 0; i < a->n_stims; i++)
    {
      const SwStimSpec *p = &a->stims[i], *q = &b->stims[i];

      g_assert_cmpstr (p->name, ==, q->name);
      g_assert_cmpint (p->kind, ==, q->kind);
      g_assert_cmpint (p->target, ==, q->target);
      g_assert_cmpint (p->first, ==, q->first);
      g_assert_cmpint (p->count, ==, q->count);
      g_assert_cmpint (p->n_sources, ==, q->n_sources);
      g_assert_cmpint (p->receptor, ==, q->receptor);
      g_assert_cmpfloat (p->weight, ==, q->weight);
      assert_waves_equal (p->profile, p->n_profile, q->profile, q->n_profile);
    }
}

/* Variables and simulation settings of two documents, exactly. */
G_GNUC_UNUSED static void
assert_settings_equal (SwDocument *a, SwDocument *b)
{
  g_assert_cmpuint (sw_document_get_n_variables (a), ==, sw_document_get_n_variables (b));
  for (guint i = 0; i < sw_document_get_n_variables (a); i++)
    {
      SwVariableInfo x, y;

      g_assert_true (sw_document_get_variable (a, i, &x));
      g_assert_true (sw_document_get_variable (b, i, &y));
      g_assert_cmpstr (x.name, ==, y.name);
      g_assert_cmpfloat (x.value, ==, y.value);
      g_assert_cmpstr (x.unit, ==, y.unit);
      g_assert_cmpfloat (x.min, ==, y.min);
      g_assert_cmpfloat (x.max, ==, y.max);
      g_assert_cmpstr (x.label, ==, y.label);
      g_assert_cmpstr (x.description, ==, y.description);
      g_assert_cmpstr (x.expression, ==, y.expression);
    }
  g_assert_cmpfloat (sw_document_get_dt_ms (a), ==, sw_document_get_dt_ms (b));
  g_assert_cmpfloat (sw_document_get_duration_ms (a), ==, sw_document_get_duration_ms (b));
  g_assert_cmpfloat (sw_document_get_warmup_ms (a), ==, sw_document_get_warmup_ms (b));
  g_assert_cmpuint (sw_document_get_seed (a), ==, sw_document_get_seed (b));
  g_assert_cmpint (sw_document_get_threads (a), ==, sw_document_get_threads (b));
  g_assert_cmpfloat (sw_document_get_max_rate_hz (a), ==, sw_document_get_max_rate_hz (b));
  g_assert_cmpstr (sw_document_get_name (a), ==, sw_document_get_name (b));
  g_assert_cmpstr (sw_document_get_description (a), ==, sw_document_get_description (b));
  g_assert_cmpstr (sw_document_get_explanation (a), ==, sw_document_get_explanation (b));
}

/* Loads, saves to text, loads again and checks that nothing changed; also
 * that writing is a fixed point. */
G_GNUC_UNUSED static void
assert_round_trip (SwDocument *doc)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = sw_document_to_json (doc);
  g_autoptr(SwDocument) again = sw_document_load_data (json, -1, "round-trip", &error);
  g_autofree char *json2 = NULL;
  SwNetSpec *s1, *s2;

  g_assert_no_error (error);
  g_assert_nonnull (again);
  s1 = sw_document_build_spec (doc, &error);
  g_assert_no_error (error);
  s2 = sw_document_build_spec (again, &error);
  g_assert_no_error (error);
  assert_spec_equal (s1, s2);
  assert_settings_equal (doc, again);
  json2 = sw_document_to_json (again);
  g_assert_cmpstr (json, ==, json2);
  sw_net_spec_free (s1);
  sw_net_spec_free (s2);
}

/* The line and column (from 1, in characters) of the first @needle in
 * @text, as "L:C". */
G_GNUC_UNUSED static char *
position_of (const char *text, const char *needle)
{
  const char *at = strstr (text, needle);
  guint line = 1;
  const char *line_start = text;

  g_assert_nonnull (at);
  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      {
        line++;
        line_start = p + 1;
      }
  return g_strdup_printf ("%u:%ld", line, g_utf8_pointer_to_offset (line_start, at) + 1);
}

/* Writes @text to NAME in a fresh temporary folder; returns the path. */
G_GNUC_UNUSED static char *
write_temp_file (const char *name, const char *text, gssize length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, text, length, &error);
  g_assert_no_error (error);
  return path;
}

/* Removes @path's file and its folder. */
G_GNUC_UNUSED static void
remove_temp_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}

G_GNUC_UNUSED static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The names in folder @dir, sorted, joined with spaces. */
G_GNUC_UNUSED static char *
list_folder (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}
