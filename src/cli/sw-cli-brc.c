/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sw-cli.h"

int
sw_cli_brc (int argc, char **argv)
{
  g_printerr ("%s: not available in this build\n", argv[0]);
  return SW_CLI_EXIT_INPUT;
}
