/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents of "kind": "cells": multicompartment cells, their populations,
 * synapses, stimuli and probes, with variables and units as in network
 * documents (docs/swk-format.md, "Cells documents").  A document is read
 * and kept as JSON; it is evaluated when it is built, so that --set can
 * change its variables in between.  Building checks everything the core
 * would refuse (a site on a missing section, a channel density outside its
 * range ...) and names the file, the JSON path and what was expected.
 *
 * A top-level "brc" member is kept as raw JSON without interpretation, for
 * the reservoir code to read (sw_cells_doc_get_section()).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sw-cable.h"
#include "sw-expr.h"

G_BEGIN_DECLS

typedef struct _SwCellsDoc SwCellsDoc;

/* Loads a file, or "preset:NAME". */
SwCellsDoc *sw_cells_doc_load (const char *what, GError **error);
SwCellsDoc *sw_cells_doc_load_file (const char *path, GError **error);
/* @display names the document in messages; @base_dir resolves relative
 * file names ("swc"), NULL: the current folder. */
SwCellsDoc *sw_cells_doc_load_data (const char *data, gssize length, const char *display,
                                    const char *base_dir, GError **error);
void sw_cells_doc_free (SwCellsDoc *doc);

const char *sw_cells_doc_get_display_name (SwCellsDoc *doc);
/* The file the document came from (NULL for presets and data). */
const char *sw_cells_doc_get_path (SwCellsDoc *doc);
/* The "name" and "description" members ("" when absent). */
const char *sw_cells_doc_get_title (SwCellsDoc *doc);

/* The variables of the document (owned by @doc; reflects --set). */
SwScope *sw_cells_doc_get_scope (SwCellsDoc *doc);
/* A top-level member as raw JSON (owned by @doc), e.g. "brc"; NULL when
 * absent. */
JsonNode *sw_cells_doc_get_section (SwCellsDoc *doc, const char *name);

/* Applies "NAME=VALUE" to a variable (a number in the variable's unit, or
 * an expression with units).  Unknown names are errors that list the
 * variables. */
gboolean sw_cells_doc_set (SwCellsDoc *doc, const char *assignment, GError **error);

/* Editing.  The document as JSON text as it stands (with the variables'
 * values as set), pretty-printed; new. */
char *sw_cells_doc_to_json (SwCellsDoc *doc);
/* Replaces the whole content with @data, read as sw_cells_doc_load_data()
 * reads it; the name, file, folder and command-line overrides stay.  On
 * error the document is left as it was. */
gboolean sw_cells_doc_replace_data (SwCellsDoc *doc, const char *data, gssize length,
                                    GError **error);
/* Appends @entry (taken) to the top-level array @section ("stimuli",
 * "synapses", "probes"), made when absent; returns its index, or -1 when
 * @section holds something else than an array. */
int sw_cells_doc_append_entry (SwCellsDoc *doc, const char *section, JsonNode *entry);
/* Removes entry @index of the array @section; FALSE when there is none. */
gboolean sw_cells_doc_remove_entry (SwCellsDoc *doc, const char *section, guint index);
/* Writes the document to @path atomically (a temporary file beside it,
 * renamed over it) and makes @path its file.  Relative "swc" paths are
 * made absolute when the folder changes, so that they still point at
 * their files. */
gboolean sw_cells_doc_save (SwCellsDoc *doc, const char *path, GError **error);

/* The site "SECTION(x)" of @node of @cell, one that parses back to @node
 * (sw_cable_cell_site_parse()); new, NULL for an out-of-range node. */
char *sw_cells_site_for_node (const SwCableCell *cell, int node);

/* Evaluates a numeric field: a JSON number (read in @unit) or a string
 * expression with units, in the document's variables.  @path names the
 * field in messages. */
gboolean sw_cells_doc_eval (SwCellsDoc *doc, JsonNode *node, const char *unit, const char *path,
                            double *value, GError **error);

/* The simulation settings (dt, method, order, celsius, seed, record_dt)
 * and the duration in ms. */
gboolean sw_cells_doc_get_config (SwCellsDoc *doc, SwCableConfig *cfg, double *duration_ms,
                                  GError **error);
/* Overrides from the command line (ms; <= 0 leaves the document's value). */
void sw_cells_doc_override (SwCellsDoc *doc, double dt_ms, double duration_ms);
/* Forces "exact_rates": true (direct evaluation of every rate). */
void sw_cells_doc_force_exact_rates (SwCellsDoc *doc);

/* Builds the cell definition named @name in "cells" (new; free with
 * sw_cable_cell_free()). */
SwCableCell *sw_cells_doc_build_cell (SwCellsDoc *doc, const char *name, GError **error);

/* A built document: the simulation and what it is made of. */
typedef struct
{
  char *name;
  char *cell;       /* the cell definition's name */
  int first, n;     /* global cell indices first .. first + n - 1 */
} SwCellsPop;

typedef struct
{
  char *label;      /* "cell[0] soma(0.5) v" */
  int probe;        /* index in the simulation */
} SwCellsProbe;

typedef struct
{
  SwCableSim *sim;
  SwCableConfig cfg;
  double duration_ms;
  GPtrArray *pops;     /* SwCellsPop */
  GPtrArray *probes;   /* SwCellsProbe */
  GPtrArray *cells;    /* SwCableCell definitions by population (owned) */
} SwCellsBuild;

/* Builds the whole document into a simulation (not yet initialised). */
SwCellsBuild *sw_cells_doc_build (SwCellsDoc *doc, GError **error);
void sw_cells_build_free (SwCellsBuild *build);
/* The population named @name, or NULL. */
const SwCellsPop *sw_cells_build_find_pop (const SwCellsBuild *build, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwCellsDoc, sw_cells_doc_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwCellsBuild, sw_cells_build_free)

G_END_DECLS
