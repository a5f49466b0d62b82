#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts the individual test cases of a meson test run.

Reads meson's testlog.json; for TAP tests every `ok` / `not ok` line is one
case, for other tests the test itself is one.  Prints the failed cases and
ends with the line `N passed, N failed[, N skipped]`.  Exits 1 when a case
failed or the log is missing.
"""
import json
import re
import sys

path = sys.argv[1] if len(sys.argv) > 1 else 'build/meson-logs/testlog.json'
passed = failed = skipped = 0
failures = []
try:
    with open(path, encoding='utf-8') as f:
        entries = [json.loads(line) for line in f if line.strip()]
except OSError as e:
    print(f'{path}: {e.strerror}', file=sys.stderr)
    print('0 passed, 1 failed')
    sys.exit(1)

tap = re.compile(r'^(not ok|ok)\b(.*)$')
for entry in entries:
    cases = 0
    for line in (entry.get('stdout') or '').splitlines():
        m = tap.match(line)
        if not m:
            continue
        cases += 1
        rest = m.group(2)
        if '# SKIP' in rest.upper():
            skipped += 1
        elif m.group(1) == 'ok':
            passed += 1
        else:
            failed += 1
            failures.append(f"{entry['name']}:{rest}")
    result = entry.get('result', '')
    if cases == 0 or result in ('TIMEOUT', 'ERROR'):
        # A test without TAP cases, or one that died part-way.
        if result in ('OK', 'EXPECTEDFAIL'):
            passed += 1
        elif result == 'SKIP':
            skipped += 1
        else:
            failed += 1
            failures.append(f"{entry['name']}: {result}")

for f in failures:
    print(f'FAILED {f}')
# The last line is exactly "N passed, N failed"; skipped cases are said
# on the line before it.
if skipped:
    print(f'{skipped} skipped')
print(f'{passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
