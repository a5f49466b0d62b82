/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spikeworks documents (.swk): a network model as versioned JSON, with
 * variables that fields may refer to in expressions, simulation settings
 * and an opaque "ui" object for the workbench.  docs/swk-format.md is the
 * field reference.
 *
 * A document is validated completely when it is loaded and after every
 * change: every error names the file, the place (a path such as
 * `populations[1].params.tau_m`, and line:column when the text is at hand)
 * and what was expected.  Saving writes the document back with expressions
 * as they were written, atomically.
 *
 * A document is not thread-safe; use it from one thread at a time.
 */
#pragma once

#include <glib.h>

#include "sw-network.h"

G_BEGIN_DECLS

#define SW_DOCUMENT_ERROR (sw_document_error_quark ())

typedef enum
{
  SW_DOCUMENT_ERROR_NOT_FOUND,          /* no such file or preset */
  SW_DOCUMENT_ERROR_READ,               /* the file could not be read */
  SW_DOCUMENT_ERROR_EMPTY,              /* an empty file */
  SW_DOCUMENT_ERROR_NOT_TEXT,           /* binary data, not UTF-8 text */
  SW_DOCUMENT_ERROR_SYNTAX,             /* not JSON (with line:column) */
  SW_DOCUMENT_ERROR_FORMAT,             /* JSON, but not a Spikeworks document */
  SW_DOCUMENT_ERROR_VERSION,            /* written by a newer Spikeworks */
  SW_DOCUMENT_ERROR_UNKNOWN_FIELD,      /* a field the format does not have */
  SW_DOCUMENT_ERROR_MISSING_FIELD,      /* a required field is absent */
  SW_DOCUMENT_ERROR_TYPE,               /* a string where a number belongs ... */
  SW_DOCUMENT_ERROR_DUPLICATE,          /* a field given twice, a name used twice */
  SW_DOCUMENT_ERROR_UNKNOWN_NAME,       /* an unknown model, population, parameter, --set name ... */
  SW_DOCUMENT_ERROR_EXPRESSION,         /* a syntax error in an expression */
  SW_DOCUMENT_ERROR_UNDEFINED_VARIABLE, /* an expression uses an unknown variable */
  SW_DOCUMENT_ERROR_CYCLE,              /* variables that refer to each other in a circle */
  SW_DOCUMENT_ERROR_UNIT,               /* an unknown unit or the wrong dimension */
  SW_DOCUMENT_ERROR_RANGE,              /* outside the allowed range, negative sizes ... */
  SW_DOCUMENT_ERROR_VALUE,              /* not finite, log of a negative number, not whole */
  SW_DOCUMENT_ERROR_INVALID,            /* refused by the simulation core's own checks */
  SW_DOCUMENT_ERROR_ASSIGNMENT,         /* a malformed NAME=VALUE */
  SW_DOCUMENT_ERROR_WRITE,              /* saving failed (the old file is untouched) */
} SwDocumentError;

GQuark sw_document_error_quark (void);

typedef struct _SwDocument SwDocument;

/* The version of the format this build reads and writes. */
#define SW_DOCUMENT_FORMAT_VERSION 1

/* Loading.  Each returns a new document or NULL with @error set (domain
 * SW_DOCUMENT_ERROR). */
SwDocument *sw_document_load_file (const char *path, GError **error);
/* @data need not be NUL-terminated when @length >= 0; @display_name names
 * the source in messages ("<stdin>"). */
SwDocument *sw_document_load_data (const char *data, gssize length,
                                   const char *display_name, GError **error);
/* A preset compiled into the program (see sw-presets.h); its display name
 * is "preset:NAME". */
SwDocument *sw_document_load_preset (const char *name, GError **error);
/* "preset:NAME" or a file name. */
SwDocument *sw_document_load (const char *location, GError **error);

void sw_document_free (SwDocument *doc);

/* Writes the document as JSON: expressions as written, fields in a fixed
 * order, the "ui" object as it was. */
char *sw_document_to_json (SwDocument *doc);

/* Saves atomically: a temporary file in the same folder, flushed to disk,
 * then renamed over @path, so a failure never leaves a truncated file.  On
 * success the document's path and display name become @path. */
gboolean sw_document_save (SwDocument *doc, const char *path, GError **error);

/* What the document was loaded from: the file name as given, or
 * "preset:NAME"; and the path of the file, NULL when not from a file. */
const char *sw_document_get_display_name (SwDocument *doc);
const char *sw_document_get_path (SwDocument *doc);

/* Descriptive fields; NULL when absent. */
const char *sw_document_get_name (SwDocument *doc);
const char *sw_document_get_description (SwDocument *doc);
const char *sw_document_get_explanation (SwDocument *doc);

/* Variables */

typedef struct
{
  const char *name;
  double value;             /* evaluated, in the variable's unit */
  const char *unit;         /* "" for a pure number */
  double min, max;          /* in the unit; -inf / +inf when not given */
  const char *label;        /* NULL when not given */
  const char *description;  /* NULL when not given */
  const char *expression;   /* the value as written when it is an expression, else NULL */
} SwVariableInfo;

guint sw_document_get_n_variables (SwDocument *doc);
/* Fills @info (valid until the document changes).  FALSE when @index is out
 * of range. */
gboolean sw_document_get_variable (SwDocument *doc, guint index, SwVariableInfo *info);
/* Index of variable @name, or -1. */
int sw_document_find_variable (SwDocument *doc, const char *name);
/* Sets variable @name to @value in its own unit (for sliders). */
gboolean sw_document_set_variable (SwDocument *doc, const char *name, double value,
                                   GError **error);

/* Changes one value, as `--set NAME=VALUE` does.  Either @name is
 * "NAME=VALUE" and @value is NULL, or @name is NAME and @value the value.
 * NAME is a variable ("nu_ext"), a parameter of a population ("E.tau_w"),
 * the size of a population ("E.n"), a field of a projection ("EE.weight",
 * "EE.p", "EE.k", "EE.delay"), of a stimulus ("drive.weight", "drive.rate",
 * "drive.n_sources", "drive.first", "drive.count") or of the simulation
 * ("simulation.dt", "simulation.duration", "simulation.warmup",
 * "simulation.seed", "simulation.threads", "simulation.max_rate").  VALUE
 * is a number in the field's canonical unit, a number with a unit or an
 * expression.  The change is transactional: when the document would no
 * longer be valid, it is left as it was and @error says why. */
gboolean sw_document_set (SwDocument *doc, const char *name, const char *value,
                          GError **error);

/* The names sw_document_set() understands, for completion and listings,
 * the fields of profile components ("ext.rate[0].t0") among them
 * (NULL-terminated; free with g_strfreev). */
char **sw_document_list_settable (SwDocument *doc);

/* Structure, for the network editor.  Each change is transactional like
 * sw_document_set(): when the document would no longer be valid it is left
 * as it was and @error says why.
 *
 * sw_document_add_projection() connects @pre to @post with the
 * fixed_probability rule, p = 0.05 and weight 1 in the receptor's unit
 * (nS, pA or mV), and returns the new projection's name ("PREPOST", or
 * with a number appended when that is taken; free with g_free), or NULL.
 * sw_document_remove_projection() removes the projection called @name. */
char *sw_document_add_projection (SwDocument *doc, const char *pre, const char *post,
                                  GError **error);
gboolean sw_document_remove_projection (SwDocument *doc, const char *name, GError **error);

/* A name not yet used by a population, projection or stimulus: @base, or
 * @base with a number appended ("E2"); free with g_free. */
char *sw_document_unique_name (SwDocument *doc, const char *base);

/* sw_document_add_population() adds a population of @n neurons of the
 * core's model @model (a name of sw_neuron_type_list(), such as
 * "adex_cond") with its default parameters; sw_document_add_poisson_source()
 * adds @n independent Poisson sources firing at the constant rate @rate_hz
 * each.  @name must be free (see sw_document_unique_name()).  Both return
 * FALSE with @error set when the document would not be valid (a bad name,
 * an unknown model, a size out of range). */
gboolean sw_document_add_population (SwDocument *doc, const char *name, const char *model,
                                     int n, gboolean inhibitory, GError **error);
gboolean sw_document_add_poisson_source (SwDocument *doc, const char *name, int n,
                                         double rate_hz, GError **error);

/* The projections and stimuli that refer to population @pop, in the
 * document's order (NULL-terminated; free with g_strfreev): what
 * sw_document_remove_population() removes with it. */
char **sw_document_list_dependents (SwDocument *doc, const char *pop);

/* Removes population @name with the projections and stimuli that refer to
 * it and its position in the editor.  Refused (the document unchanged)
 * for an unknown name or the last population. */
gboolean sw_document_remove_population (SwDocument *doc, const char *name, GError **error);

/* Adds a stimulus of @kind into every neuron of population @target and
 * returns its name ("poisson_E", "current_E", with a number appended when
 * that is taken; free with g_free), or NULL.  A Poisson stimulus starts as
 * 100 trains of 5 Hz per neuron with weight 1 in the receptor's unit; a
 * current stimulus as a 50 ms pulse at 100 ms of 100 pA (10 mV for models
 * whose current is written as a voltage). */
char *sw_document_add_stimulus (SwDocument *doc, const char *target, SwStimKind kind,
                                GError **error);
gboolean sw_document_remove_stimulus (SwDocument *doc, const char *name, GError **error);

/* Rate and current profiles.  @item is a Poisson population or a stimulus.
 * The fields of one component are set with sw_document_set() as
 * "ITEM.rate[K].FIELD" (Poisson populations and stimuli) or
 * "ITEM.profile[K].FIELD" (current stimuli), FIELD one of
 * sw_document_waveform_fields() for the component's shape.
 *
 * sw_document_set_waveform() gives component @index the shape @kind: the
 * amplitude and t0 are kept, fields the new shape does not take are
 * dropped and those it needs get defaults (t0 100 ms, duration 100 ms,
 * tau1 20 ms, tau2 50 ms, freq 5 Hz).  @index equal to the number of
 * components appends one (amplitude 0).  A profile written as one value
 * becomes a list of one constant component.
 * sw_document_remove_waveform() removes component @index; the last one
 * stays. */
gboolean sw_document_set_waveform (SwDocument *doc, const char *item, guint index,
                                   SwWaveKind kind, GError **error);
gboolean sw_document_remove_waveform (SwDocument *doc, const char *item, guint index,
                                      GError **error);

/* The fields a component of shape @kind takes, in the format's order
 * ("amplitude", "t0", ...; NULL-terminated, static), and whether @field is
 * required for it. */
const char *const *sw_document_waveform_fields (SwWaveKind kind);
gboolean sw_document_waveform_field_required (SwWaveKind kind, const char *field);

/* Where the network editor draws population @pop, kept in the document's
 * "ui" object as "network": {"positions": {"E": [x, y]}} (arbitrary units
 * of the editor).  get returns FALSE when no position is stored. */
gboolean sw_document_get_node_position (SwDocument *doc, const char *pop, double *x, double *y);
void sw_document_set_node_position (SwDocument *doc, const char *pop, double x, double y);

/* Simulation settings (evaluated; the document is always valid). */
double sw_document_get_dt_ms (SwDocument *doc);
double sw_document_get_duration_ms (SwDocument *doc);
double sw_document_get_warmup_ms (SwDocument *doc);
guint64 sw_document_get_seed (SwDocument *doc);
int sw_document_get_threads (SwDocument *doc);
double sw_document_get_max_rate_hz (SwDocument *doc);

/* Evaluates everything into a description the core can build; free it
 * with sw_net_spec_free(). */
SwNetSpec *sw_document_build_spec (SwDocument *doc, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwDocument, sw_document_free)

G_END_DECLS
