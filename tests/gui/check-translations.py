#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that every translation in po/LINGUAS is complete for the strings
the sources have now: extracts them as `meson compile spikeworks-pot` does
(the GLib preset), merges each language into that template and counts what
is untranslated or fuzzy.  A new string needs a translation in each language
(`meson compile -C build spikeworks-update-po`, then translate).
Usage: check-translations.py SOURCE_ROOT
"""
import pathlib
import re
import subprocess
import sys
import tempfile

root = pathlib.Path(sys.argv[1])
po = root / 'po'
keywords = ['_', 'N_', 'C_:1c,2', 'NC_:1c,2', 'g_dcgettext:2', 'g_dngettext:2,3',
            'g_dpgettext2:2c,3', 'Name', 'GenericName', 'Comment', 'Keywords']
languages = [line.strip() for line in (po / 'LINGUAS').read_text().splitlines()
             if line.strip() and not line.startswith('#')]

status = 0
with tempfile.TemporaryDirectory() as tmp:
    pot = pathlib.Path(tmp) / 'spikeworks.pot'
    subprocess.run(['xgettext', '--from-code=UTF-8', '--add-comments', '--package-name=spikeworks',
                    '--directory', str(root), '--files-from', str(po / 'POTFILES.in'),
                    '--output', str(pot)] + ['--keyword=' + k for k in keywords],
                   check=True, stderr=subprocess.DEVNULL)
    for lang in languages:
        merged = pathlib.Path(tmp) / (lang + '.po')
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '--output-file', str(merged),
                        str(po / (lang + '.po')), str(pot)], check=True)
        result = subprocess.run(['msgfmt', '--check', '--statistics', '--output-file', '/dev/null',
                                 str(merged)], capture_output=True, text=True)
        stats = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ''
        print(f'{lang}: {stats}')
        if result.returncode != 0 or re.search(r'untranslated|fuzzy', stats):
            print(result.stderr)
            status = 1
sys.exit(status)
