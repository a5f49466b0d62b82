/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared pieces of the spikeworks-cli commands.
 */
#pragma once

#include <glib.h>

#include "sw-document.h"

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

/* Prints the error and returns SW_CLI_EXIT_INPUT. */
int sw_cli_fail (const GError *error);
int sw_cli_usage (const char *message);

int sw_cli_run (int argc, char **argv);

G_END_DECLS
