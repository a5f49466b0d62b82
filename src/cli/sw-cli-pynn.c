/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli export-pynn DOC|preset:NAME [--set NAME=VALUE ...]
 * [--simulator NAME ...] [-o FILE]`: writes the network as a PyNN script
 * (sw-pynn.h) to standard output or, atomically, to FILE.  Whatever PyNN
 * cannot express is refused with exit code 2 and a message naming it.
 */
#include "config.h"

#include "sw-cli.h"

#include <stdio.h>
#include <string.h>

#include "sw-kind.h"
#include "sw-pynn.h"

int
sw_cli_export_pynn (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_auto (GStrv) simulators = NULL;
  g_autofree char *out_path = NULL;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "simulator", 0, 0, G_OPTION_ARG_STRING_ARRAY, &simulators,
      "Write the script for this PyNN back end: neuron, nest or brian2 (repeatable or comma-separated; "
      "default: every back end that can express the network)", "NAME" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "Write the script to FILE (default: standard output)",
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — write the network as a PyNN script");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("export-pynn needs exactly one document or preset:NAME");

  guint sims = 0;
  for (int i = 0; simulators != NULL && simulators[i] != NULL; i++)
    {
      g_auto (GStrv) names = g_strsplit (simulators[i], ",", -1);
      for (char **n = names; *n; n++)
        {
          g_strstrip (*n);
          SwPynnSimulator s = sw_pynn_simulator_from_name (*n);
          if (s == 0)
            {
              g_autofree char *msg = g_strdup_printf ("--simulator: unknown simulator '%s' "
                                                      "(expected neuron, nest or brian2)", *n);
              return sw_cli_usage (msg);
            }
          sims |= s;
        }
    }

  SwDocKind kind;
  if (!sw_doc_kind_peek (argv[1], &kind, &error))
    return sw_cli_fail (error);
  if (kind != SW_DOC_KIND_NETWORK)
    {
      g_printerr ("spikeworks-cli: %s: a document of kind '%s' cannot be exported to PyNN: export-pynn "
                  "writes networks of point neurons\n", argv[1], sw_doc_kind_to_string (kind));
      return SW_CLI_EXIT_INPUT;
    }
  g_autoptr (SwDocument) doc = sw_cli_load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);

  g_autofree char *notes = NULL;
  g_autofree char *text = sw_pynn_export_full (doc, sims, &notes, &error);
  if (text == NULL)
    {
      g_printerr ("spikeworks-cli: %s: %s\n", argv[1], error->message);
      return SW_CLI_EXIT_INPUT;
    }

  if (notes != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (notes, "\n", -1);
      for (char **l = lines; *l; l++)
        if (**l)
          g_printerr ("spikeworks-cli: note: %s\n", *l);
    }

  if (out_path == NULL || strcmp (out_path, "-") == 0)
    {
      if (fputs (text, stdout) == EOF || fflush (stdout) != 0)
        {
          g_printerr ("spikeworks-cli: cannot write to standard output\n");
          return SW_CLI_EXIT_INPUT;
        }
      return SW_CLI_EXIT_OK;
    }
  if (!g_file_set_contents_full (out_path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    return sw_cli_fail (error);
  return SW_CLI_EXIT_OK;
}
