#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Spikeworks against Brian2 (cpp_standalone), the same work side by side.

For each workload the script runs `spikeworks-cli run preset:NAME` and the
matching Brian2 peer script N times each, A and B interleaved (the order
alternates from round to round, so slow drift of a shared machine hits both
alike; round r gives both the seed first + r), every run under `/usr/bin/time` for its peak resident memory.  It
prints a markdown table of the medians on stdout and writes the runs and the
medians to bench/results/peers-<date>.json.  See bench/README.md.

Only the Python standard library is used here; Brian2 runs in its own
interpreter (default /usr/bin/python3, the one python3-brian is built for).
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
TIME = '/usr/bin/time'

# Every workload: the Spikeworks preset and --set values, the Brian2 script
# and its options, and the simulated time / analysis window (ms) given to
# both.  `quick` replaces duration and warm-up under --quick (a smoke test of
# this script, not a benchmark).
WORKLOADS = {
    'coba': {
        'title': 'COBA 4000',
        'preset': 'coba',
        'sets': [],
        'peer': 'coba.py',
        'peer_args': [],
        'duration_ms': 1000.0, 'warmup_ms': 100.0,
        'quick': (200.0, 100.0),
    },
    'destexhe': {
        'title': 'destexhe-adex 10k (b = 0, nu_ext = 2.5 Hz)',
        'preset': 'destexhe-adex',
        'sets': ['b=0pA', 'nu_ext=2.5Hz'],
        'peer': 'destexhe_adex.py',
        'peer_args': ['--b', '0', '--nu-ext', '2.5'],
        'duration_ms': 2000.0, 'warmup_ms': 1000.0,
        'quick': (400.0, 300.0),
    },
    'brunel': {
        'title': 'Brunel A, AI (g = 5, eta = 2)',
        'preset': 'brunel-a',
        'sets': ['g=5', 'eta=2'],
        'peer': 'brunel_a.py',
        'peer_args': ['--g', '5', '--eta', '2'],
        'duration_ms': 500.0, 'warmup_ms': 100.0,
        'quick': (200.0, 100.0),
    },
}

# Targets of the comparison (with 2 threads on both sides).
TARGET_SPEEDUP = 10.0      # Brian2 run phase / Spikeworks run_s, at least
TARGET_RATE_PCT = 10.0     # |rate difference|, per population, at most
TARGET_MEM_RATIO = 1.0     # Spikeworks peak RSS / Brian2 peak RSS, at most


class BenchError(Exception):
    pass


def fmt_ms(ms):
    """A time for the CLI's --duration/--warmup (it parses units)."""
    return f'{ms:g}ms'


def spikeworks_command(cli, w, duration, warmup, seed, threads):
    cmd = [cli, 'run', 'preset:' + w['preset'],
           '--duration', fmt_ms(duration), '--warmup', fmt_ms(warmup),
           '--seed', str(seed), '--threads', str(threads)]
    for s in w['sets']:
        cmd += ['--set', s]
    return cmd + ['--summary', '-']


def brian2_command(python, peers, w, duration, warmup, seed, threads):
    return ([python, os.path.join(peers, w['peer'])] + w['peer_args']
            + ['--duration', f'{duration:g}', '--warmup', f'{warmup:g}',
               '--seed', str(seed), '--device', 'cpp_standalone',
               '--threads', str(threads)])


def last_json_line(text):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith('{'):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return None


def timed_run(cmd, cwd, timeout):
    """Run cmd under /usr/bin/time; returns (summary dict, peak MiB, wall s).

    GNU time takes the peak from wait4(): the largest resident set of the
    process and of every descendant it waited for (for Brian2 that includes
    the compiler and the generated binary), not their sum.
    """
    fd, tfile = tempfile.mkstemp(prefix='peers-time-', suffix='.txt')
    os.close(fd)
    try:
        t0 = time.perf_counter()
        try:
            p = subprocess.run([TIME, '-f', '%M %e', '-o', tfile] + cmd,
                               cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BenchError(f'timed out after {timeout} s: {shlex.join(cmd)}')
        wall = time.perf_counter() - t0
        with open(tfile) as f:
            tlines = [ln for ln in f.read().splitlines() if ln.strip()]
    finally:
        os.unlink(tfile)
    if p.returncode != 0:
        tail = '\n'.join((p.stderr or '').strip().splitlines()[-15:])
        raise BenchError(f'exit status {p.returncode}: {shlex.join(cmd)}\n'
                         f'stdout: {p.stdout.strip()[-2000:]}\nstderr:\n{tail}')
    summary = last_json_line(p.stdout)
    if summary is None:
        raise BenchError(f'no JSON on stdout: {shlex.join(cmd)}\n'
                         f'stdout: {p.stdout.strip()[-2000:]}')
    try:
        kib = int(tlines[-1].split()[0])
    except (IndexError, ValueError):
        raise BenchError(f'cannot read {TIME} output {tlines!r}')
    return summary, kib / 1024.0, wall


def extract(summary, mib, wall):
    """The numbers kept from one run."""
    dur_s = float(summary['duration_ms']) / 1000.0
    pops = summary.get('populations', {})

    def rate(name):
        r = pops.get(name, {}).get('rate_hz')
        return None if r is None else round(float(r), 3)
    return {'run_s': float(summary['run_s']),
            'run_per_bio_s': round(float(summary['run_s']) / dur_s, 4),
            'build_s': float(summary['build_s']),
            'wall_s': round(wall, 3),
            'peak_mib': round(mib, 1),
            'rate_E': rate('E'), 'rate_I': rate('I'),
            'duration_ms': float(summary['duration_ms']),
            'warmup_ms': float(summary['warmup_ms']),
            'threads': summary.get('threads')}


def median(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def medians(runs):
    keys = ('run_s', 'run_per_bio_s', 'build_s', 'wall_s', 'peak_mib',
            'rate_E', 'rate_I')
    m = {k: median(runs, k) for k in keys}
    # Noise on a shared machine only ever adds time: the fastest run is
    # kept next to the median as a second view of the same runs.
    m['run_per_bio_s_min'] = min((r['run_per_bio_s'] for r in runs),
                                 default=None)
    m['runs'] = len(runs)
    return m


def compare(sw, b2):
    """Ratios of the medians, and the targets they meet."""
    def ratio(a, b):
        return a / b if a is not None and b else None

    def pct(a, b):
        return 100.0 * (a - b) / b if a is not None and b else None
    c = {'speedup': ratio(b2['run_per_bio_s'], sw['run_per_bio_s']),
         'speedup_fastest': ratio(b2['run_per_bio_s_min'],
                                  sw['run_per_bio_s_min']),
         'rate_E_diff_pct': pct(sw['rate_E'], b2['rate_E']),
         'rate_I_diff_pct': pct(sw['rate_I'], b2['rate_I']),
         'mem_ratio': ratio(sw['peak_mib'], b2['peak_mib'])}
    rates_ok = all(c[k] is not None and abs(c[k]) <= TARGET_RATE_PCT
                   for k in ('rate_E_diff_pct', 'rate_I_diff_pct'))
    c['targets'] = {
        'speedup': c['speedup'] is not None and c['speedup'] >= TARGET_SPEEDUP,
        'rates': rates_ok,
        'memory': c['mem_ratio'] is not None
                  and c['mem_ratio'] <= TARGET_MEM_RATIO}
    return c


def rounded(x):
    """x with every float rounded to 4 decimals (a small JSON file)."""
    if isinstance(x, float):
        return round(x, 4)
    if isinstance(x, dict):
        return {k: rounded(v) for k, v in x.items()}
    if isinstance(x, list):
        return [rounded(v) for v in x]
    return x


def num(x, digits=2):
    return '—' if x is None else f'{x:.{digits}f}'


def signed(x):
    return '—' if x is None else f'{x:+.1f} %'


def mark(ok):
    return '✓' if ok else '✗'


def table(results):
    """Markdown: one row per workload and simulator, then the ratios."""
    out = ['| Workload | Simulator | run s / bio s | build s | peak MiB '
           '| E rate (Hz) | I rate (Hz) | wall s |',
           '|---|---|---:|---:|---:|---:|---:|---:|']
    for name, r in results.items():
        for label, key in (('Spikeworks', 'spikeworks'), ('Brian2', 'brian2')):
            m = r.get(key)
            if not m or not m['runs']:
                out.append(f'| {name} | {label} | failed | | | | | |')
                continue
            out.append(f"| {name} | {label} | {num(m['run_per_bio_s'], 3)} "
                       f"| {num(m['build_s'])} | {num(m['peak_mib'], 0)} "
                       f"| {num(m['rate_E'])} | {num(m['rate_I'])} "
                       f"| {num(m['wall_s'], 1)} |")
    out += ['', '| Workload | speed-up (Brian2 / Spikeworks run) '
            '| speed-up, fastest runs | E rate diff | I rate diff | memory (Spikeworks / Brian2) '
            f'| targets: ≥ {TARGET_SPEEDUP:g}× · ±{TARGET_RATE_PCT:g} % '
            '· ≤ 1 |',
            '|---|---:|---:|---:|---:|---:|---|']
    for name, r in results.items():
        c = r.get('compare')
        if not c:
            out.append(f'| {name} | — | — | — | — | — | not compared |')
            continue
        t = c['targets']
        out.append(f"| {name} | {num(c['speedup'], 1)}× "
                   f"| {num(c['speedup_fastest'], 1)}× "
                   f"| {signed(c['rate_E_diff_pct'])} "
                   f"| {signed(c['rate_I_diff_pct'])} "
                   f"| {num(c['mem_ratio'])} "
                   f"| {mark(t['speedup'])} {mark(t['rates'])} "
                   f"{mark(t['memory'])} |")
    return '\n'.join(out)


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def check_tools(args):
    if not os.access(TIME, os.X_OK):
        raise BenchError(f'{TIME} not found: install GNU time '
                         '(build-aux/deps.sh bench)')
    if not (os.path.isfile(args.cli) and os.access(args.cli, os.X_OK)):
        raise BenchError(f'spikeworks-cli not found at {args.cli}: build it '
                         '(meson setup build && ninja -C build) or pass --cli')
    for w in args.workloads:
        script = os.path.join(args.peers, WORKLOADS[w]['peer'])
        if not os.path.isfile(script):
            raise BenchError(f'Brian2 peer script {script} not found: pass '
                             '--peers DIR or set SPIKEWORKS_PEERS')
    p = subprocess.run([args.peer_python, '-c',
                        'import brian2; print(brian2.__version__)'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        raise BenchError(f'Brian2 cannot be imported by {args.peer_python}: '
                         'install python3-brian (build-aux/deps.sh bench)\n'
                         + p.stderr.strip()[-800:])
    return p.stdout.strip()


def load_average():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def file_sha256(path):
    import hashlib
    try:
        with open(path, 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()[:16]
    except OSError:
        return None


def git_state():
    """Commit of the repository and whether the tree differs from it."""
    try:
        head = subprocess.run(['git', '-C', REPO_ROOT, 'rev-parse', '--short',
                               'HEAD'], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
        dirty = subprocess.run(['git', '-C', REPO_ROOT, 'status',
                                '--porcelain', '--untracked-files=no'],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ('-dirty' if dirty.stdout.strip() else '')


def cli_version(cli):
    try:
        p = subprocess.run([cli, '--version'], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, timeout=30)
        return p.stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        return None


def parse_args(argv):
    p = argparse.ArgumentParser(
        description='Spikeworks vs Brian2 cpp_standalone, medians of '
                    'interleaved runs (see bench/README.md).')
    p.add_argument('--workloads', default='coba,destexhe,brunel',
                   help='comma-separated subset of %(default)s')
    p.add_argument('--runs', type=int, default=3,
                   help='runs of each simulator per workload '
                        '(default %(default)s)')
    p.add_argument('--threads', type=int, default=2,
                   help='threads of both simulators (default %(default)s)')
    p.add_argument('--seed', type=int, default=1,
                   help='seed of the first round; round r uses seed + r on '
                        'both sides (default %(default)s)')
    p.add_argument('--cli', default=os.path.join(
        REPO_ROOT, 'build', 'src', 'cli', 'spikeworks-cli'),
                   help='spikeworks-cli (default build/src/cli/spikeworks-cli)')
    p.add_argument('--peers', default=os.environ.get(
        'SPIKEWORKS_PEERS',
        os.path.normpath(os.path.join(REPO_ROOT, '..', 'shared', 'peers',
                                      'brian2'))),
                   help='folder of the Brian2 peer scripts (default '
                        '$SPIKEWORKS_PEERS, else ../shared/peers/brian2 '
                        'next to the repository)')
    p.add_argument('--peer-python', default='/usr/bin/python3',
                   help='interpreter with brian2 (default %(default)s)')
    p.add_argument('--brian2-only', action='store_true',
                   help='run only the Brian2 side (tests this script '
                        'before spikeworks-cli exists)')
    p.add_argument('--quick', action='store_true',
                   help='short simulations, to test the script (not for '
                        'the README table)')
    p.add_argument('--timeout', type=float, default=900,
                   help='seconds allowed to one run (default %(default)s)')
    p.add_argument('--out', help='JSON output (default '
                   'bench/results/peers-<date>.json, none with --quick or '
                   '--brian2-only; - for none)')
    args = p.parse_args(argv)
    args.workloads = [w.strip() for w in args.workloads.split(',') if w.strip()]
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown or not args.workloads:
        p.error(f'unknown workload(s) {unknown}; choose from '
                f'{",".join(WORKLOADS)}')
    if args.runs < 1:
        p.error('--runs must be at least 1')
    args.cli = os.path.abspath(args.cli)
    args.peers = os.path.abspath(args.peers)
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        if args.brian2_only:
            args.cli = None
            if not os.access(TIME, os.X_OK):
                raise BenchError(f'{TIME} not found')
            p = subprocess.run([args.peer_python, '-c',
                                'import brian2; print(brian2.__version__)'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
            if p.returncode != 0:
                raise BenchError('Brian2 cannot be imported by '
                                 f'{args.peer_python}:\n{p.stderr.strip()}')
            brian2_version = p.stdout.strip()
        else:
            brian2_version = check_tools(args)
    except BenchError as e:
        print(f'peers.py: {e}', file=sys.stderr)
        return 2

    machine = {'nproc': os.cpu_count(), 'cpu': cpu_model(),
               'kernel': platform.release(), 'python': platform.python_version(),
               'brian2': brian2_version,
               'spikeworks': cli_version(args.cli) if args.cli else None,
               'git': git_state(),
               'cli_sha256': file_sha256(args.cli) if args.cli else None}
    machine['loadavg_start'] = load_average()
    started = datetime.datetime.now()
    results, failures = {}, 0
    for name in args.workloads:
        w = WORKLOADS[name]
        duration, warmup = (w['quick'] if args.quick
                            else (w['duration_ms'], w['warmup_ms']))
        cwds = {'spikeworks': REPO_ROOT, 'brian2': args.peers}
        sims = ['brian2'] + (['spikeworks'] if args.cli else [])
        runs = {k: [] for k in sims}
        errors, commands = [], {}
        for r in range(args.runs):
            # Round r uses seed + r on both sides: the same network for the
            # pair, another realisation for the next pair.
            seed = args.seed + r
            cmds = {'brian2': brian2_command(args.peer_python, args.peers, w,
                                             duration, warmup, seed,
                                             args.threads)}
            if args.cli:
                cmds['spikeworks'] = spikeworks_command(
                    args.cli, w, duration, warmup, seed, args.threads)
            if r == 0:
                commands = {k: shlex.join(v) for k, v in cmds.items()}
            order = sims if r % 2 == 0 else sims[::-1]  # A B, then B A, ...
            for sim in order:
                print(f'[{name} {r + 1}/{args.runs}, seed {seed}] {sim} ...',
                      file=sys.stderr, flush=True)
                try:
                    summary, mib, wall = timed_run(cmds[sim], cwds[sim],
                                                   args.timeout)
                except BenchError as e:
                    failures += 1
                    errors.append({'simulator': sim, 'seed': seed,
                                   'error': str(e)[-3000:]})
                    print(f'peers.py: {name}, {sim}: {e}', file=sys.stderr)
                    continue
                x = extract(summary, mib, wall)
                x['seed'] = seed
                runs[sim].append(x)
                print(f'    run_s {x["run_s"]:.3f}  build_s '
                      f'{x["build_s"]:.2f}  {x["peak_mib"]:.0f} MiB  rates '
                      f'{num(x["rate_E"])} / {num(x["rate_I"])} Hz',
                      file=sys.stderr, flush=True)
        entry = {'title': w['title'], 'duration_ms': duration,
                 'warmup_ms': warmup,
                 'commands': commands, 'runs': runs}
        for sim in sims:
            entry[sim] = medians(runs[sim])
        if ('spikeworks' in sims and entry['spikeworks']['runs']
                and entry['brian2']['runs']):
            entry['compare'] = compare(entry['spikeworks'], entry['brian2'])
        if errors:
            entry['errors'] = errors
        results[name] = entry

    machine['loadavg_end'] = load_average()
    if args.cli and file_sha256(args.cli) != machine['cli_sha256']:
        machine['cli_changed_during_run'] = True
        print(f'peers.py: warning: {args.cli} changed during the run (rebuilt?)'
              '; the Spikeworks runs may mix two builds', file=sys.stderr)
    print(table(results))
    if args.quick:
        print('\n(--quick: shortened simulations, not comparable with the '
              'README table)')
    out = args.out or os.path.join(
        BENCH_DIR, 'results', f'peers-{started:%Y-%m-%d}.json')
    if not args.out and (args.quick or args.brian2_only):
        out = '-'   # test runs do not replace a day's results
    if out != '-':
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        doc = {'date': started.isoformat(timespec='seconds'),
               'command': shlex.join(['python3', 'bench/peers.py']
                                     + (argv if argv is not None
                                        else sys.argv[1:])),
               'runs': args.runs, 'threads': args.threads,
               'seeds': [args.seed + r for r in range(args.runs)],
               'quick': args.quick, 'machine': machine,
               'targets': {'speedup_min': TARGET_SPEEDUP,
                           'rate_diff_pct_max': TARGET_RATE_PCT,
                           'mem_ratio_max': TARGET_MEM_RATIO},
               'workloads': results}
        with open(out, 'w') as f:
            json.dump(rounded(doc), f, indent=1)
            f.write('\n')
        print(f'\nwritten {out}', file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
