/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Interoperability and sweeps: the commands of spikeworks-cli.
 */
#include "config.h"

#include "sw-cli.h"

#include <string.h>

int
sw_cli_interop_command (const char *cmd, int argc, char **argv)
{
  if (strcmp (cmd, "export-pynn") == 0)
    return sw_cli_export_pynn (argc, argv);
  return sw_cli_sweep (argc, argv);
}
