#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that po/POTFILES.in is sorted and complete: every C file of the
workbench that marks strings for translation, every .ui file with a
translatable property, the desktop file, the metainfo and the schema are
listed, and every listed file exists.  Usage: check-potfiles.py SOURCE_ROOT
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = [line.strip() for line in (root / 'po' / 'POTFILES.in').read_text().splitlines()
          if line.strip() and not line.startswith('#')]

status = 0
if listed != sorted(listed):
    print('po/POTFILES.in is not sorted')
    status = 1
for name in listed:
    if not (root / name).is_file():
        print(f'po/POTFILES.in lists {name}, which does not exist')
        status = 1

c_marks = re.compile(r'\b(?:N?C?_|g_dngettext|ngettext)\s*\(\s*"')
wanted = set()
for path in sorted((root / 'src' / 'gui').rglob('*.c')):
    if c_marks.search(path.read_text(encoding='utf-8')):
        wanted.add(path.relative_to(root).as_posix())
for path in sorted((root / 'ui').rglob('*.ui')):
    if 'translatable="yes"' in path.read_text(encoding='utf-8'):
        wanted.add(path.relative_to(root).as_posix())
for name in ('data/io.github.spikeworks.Spikeworks.desktop.in',
             'data/io.github.spikeworks.Spikeworks.metainfo.xml.in',
             'data/io.github.spikeworks.Spikeworks.gschema.xml'):
    wanted.add(name)

for name in sorted(wanted - set(listed)):
    print(f'po/POTFILES.in lacks {name}')
    status = 1
print('POTFILES.in: ' + ('complete and sorted' if status == 0 else 'needs an update'))
sys.exit(status)
