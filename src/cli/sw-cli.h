/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared pieces of the spikeworks-cli commands.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sw-document.h"
#include "sw-kind.h"
#include "sw-meanfield.h"

G_BEGIN_DECLS

/* Exit codes: the contract with scripts. */
enum
{
  SW_CLI_EXIT_OK = 0,
  SW_CLI_EXIT_INPUT = 2,       /* bad input: usage, document, file */
  SW_CLI_EXIT_SIMULATION = 3,  /* blow-up, memory limit */
};

#define SW_CLI_ERROR (sw_cli_error_quark ())
typedef enum
{
  SW_CLI_ERROR_USAGE,
} SwCliError;
GQuark sw_cli_error_quark (void);

/* Loads `preset:NAME` or a file. */
SwDocument *sw_cli_load (const char *what, GError **error);

/* Loads, then applies every `NAME=VALUE` of @sets (NULL-terminated, may be
 * NULL). */
SwDocument *sw_cli_load_with_sets (const char *what, char **sets, GError **error);

/* Applies one `NAME=VALUE` of --set. */
gboolean sw_cli_apply_set (SwDocument *doc, const char *assignment, GError **error);

/* Adds member @name: @value, or null when it is not finite (JSON has no
 * NaN or infinity). */
void sw_cli_json_add_number (JsonBuilder *b, const char *name, double value);

/* Prints the JSON built in @b, indented, on standard output. */
void sw_cli_print_json (JsonBuilder *b);

/* Sets a SW_CLI_ERROR_USAGE error from the format and returns FALSE. */
gboolean sw_cli_usage_error (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* Prints the error and returns SW_CLI_EXIT_INPUT. */
int sw_cli_fail (const GError *error);
int sw_cli_usage (const char *message);

/* Parses a time with its unit ("2 s", "100 ms") into ms; @option names the
 * option in the message. */
gboolean sw_cli_parse_time (const char *text, const char *option, double *ms, GError **error);

/* A swept axis: N values from MIN to MAX of the variable NAME. */
typedef struct
{
  char *name;
  double min, max;
  int n;
} SwCliAxis;

/* Parses "NAME:MIN:MAX:N" of @option (@example shows one) with N in
 * 1..@max_points; the caller frees @axis->name. */
gboolean sw_cli_parse_axis (const char *text, const char *option, const char *example, int max_points,
                            SwCliAxis *axis, GError **error);

/* The @k-th value of @axis. */
double sw_cli_axis_value (const SwCliAxis *axis, int k);

int sw_cli_run (int argc, char **argv);
int sw_cli_mf (int argc, char **argv);
int sw_cli_phase (int argc, char **argv);
int sw_cli_respond (int argc, char **argv);   /* sw-cli-respond.c */
int sw_cli_fit_tf (int argc, char **argv);   /* sw-cli-fit.c */

/* The commands of the other kinds of documents and of interoperability.
 * Each gets the command name (@cmd: "run", "validate", "brc", ...) and
 * argv[0] = "spikeworks-cli CMD". */
int sw_cli_cells_command (const char *cmd, int argc, char **argv);    /* sw-cli-cells.c */
int sw_cli_brc (int argc, char **argv);                               /* sw-cli-brc.c */
int sw_cli_mass_command (const char *cmd, int argc, char **argv);     /* sw-cli-mass.c */
int sw_cli_interop_command (const char *cmd, int argc, char **argv);  /* sw-cli-interop.c */
int sw_cli_export_pynn (int argc, char **argv);                       /* sw-cli-pynn.c */
int sw_cli_sweep (int argc, char **argv);                             /* sw-cli-sweep.c */
int sw_cli_nwb (int argc, char **argv);                               /* sw-cli-nwb.c */

/* The kind of the document a command names: its first argument that is not
 * an option (the document comes first, "run DOC [OPTIONS]"). */
gboolean sw_cli_peek_kind (int argc, char **argv, SwDocKind *kind, GError **error);

/* Mean field (sw-cli-mf.c): the configuration of a document with a
 * coefficient set (a built-in name or a JSON file; NULL: the default) and T
 * (ms; 0: the default). */
gboolean sw_cli_mf_config (SwDocument *doc, const char *coeffs, double t_ms, SwMfConfig *cfg, GError **error);
gboolean sw_cli_apply_coeffs (SwMfConfig *cfg, const char *coeffs, GError **error);

/* Figures (sw-cli-figures.c). */
typedef struct SwFigure SwFigure;

/* An axis title for a document variable (its label and unit) or, for a
 * parameter path, the path itself with no unit.  Free both with g_free(). */
void sw_cli_axis_title (SwDocument *doc, const char *name, char **label, char **unit);

/* Writes @fig to @path (PNG, SVG or PDF by its extension) through a
 * temporary file in the same folder, renamed over @path once complete. */
gboolean sw_cli_save_figure (SwFigure *fig, const char *path, double width, double height, GError **error);

gboolean sw_cli_phase_figure (const char *path, SwDocument *doc, const char *x_name, double x_min, double x_max,
                              int nx, const char *y_name, double y_min, double y_max, int ny,
                              const SwMfPhaseMap *map, GError **error);

G_END_DECLS
