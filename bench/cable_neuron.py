"""The cells of bench/cable.sh in NEURON: the same geometry, channels and
stimuli as the Spikeworks presets hh-squid, brc-cell and hnn-l5, simulated
for 1 s at dt 0.025 ms with backward Euler.  Prints one line per run:
cell, wall-clock and CPU seconds of the simulation phase (continuerun),
number of spikes and the first spike times.

Usage: /usr/bin/python3 cable_neuron.py MECHDIR CELL RUNS
  MECHDIR  folder holding x86_64/libnrnmech.so built from bench/cable-neuron
  CELL     hh | brc | l5
"""
import math
import os
import sys
import time

from neuron import h

h.load_file("stdrun.hoc")


def hh_cell():
    soma = h.Section(name="soma")
    soma.L = soma.diam = math.sqrt(1000.0 / math.pi)
    soma.nseg = 1
    soma.insert("hh")
    h.celsius = 6.3
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 0.0, 1e9, 0.1
    return [soma], stim, soma(0.5), -65.0, {}


def brc_cell():
    secs = []
    geom = [("soma", 25, 25), ("dend1", 100, 2.5), ("dend2", 100, 1.0), ("dend3", 100, 0.5)]
    for name, length, diam in geom:
        s = h.Section(name=name)
        s.L, s.diam, s.nseg, s.Ra, s.cm = length, diam, 4, 300.0, 1.0
        for mech in ("swna", "swk", "pas", "swkm", "swcal", "swcat"):
            s.insert(mech)
        for seg in s:
            seg.pas.g, seg.pas.e = 1e-4, -70.0
        if secs:
            s.connect(secs[-1](1), 0)
        secs.append(s)
    h.celsius = 37
    stim = h.IClamp(secs[0](0.125))
    stim.delay, stim.dur, stim.amp = 100.0, 200.0, 0.1
    return secs, stim, secs[0](0.125), -70.0, {}


def hnn_nseg(length):
    if length <= 100:
        return 1
    n = int(math.floor(length / 50.0))
    return n + 1 if n % 2 == 0 else n


def l5_cell():
    table = [
        ("soma", 39, 28.9, -72, None, 0),
        ("apical_trunk", 102, 10.2, -72, "soma", 1),
        ("apical_1", 680, 7.48, -71.32, "apical_trunk", 1),
        ("apical_2", 680, 4.93, -69.08, "apical_1", 1),
        ("apical_tuft", 425, 3.4, -67.30, "apical_2", 1),
        ("apical_oblique", 255, 5.1, -72, "apical_trunk", 1),
        ("basal_1", 85, 6.8, -72, "soma", 0),
        ("basal_2", 255, 8.5, -72, "basal_1", 1),
        ("basal_3", 255, 8.5, -72, "basal_1", 1),
    ]
    start = {"soma": 0.0}
    secs = {}
    v0 = {}
    for name, length, diam, vinit, parent, px in table:
        s = h.Section(name=name)
        s.L, s.diam, s.nseg, s.Ra, s.cm = length, diam, hnn_nseg(length), 200.0, 0.85
        for mech in ("swhh2", "swca", "swcad", "swkca", "swkm2", "swcat2", "swar"):
            s.insert(mech)
        if parent is not None:
            s.connect(secs[parent](px), 0)
            start[name] = start[parent] + px * secs[parent].L
        secs[name] = s
        v0[name] = vinit
        for seg in s:
            seg.swhh2.gkbar = 0.01
            seg.swhh2.gnabar = 0.16 if name == "soma" else 0.14
            seg.swhh2.gl = 4.26e-5
            seg.swhh2.el = -65.0 if name == "soma" else -71.0
            seg.swca.gbar = 60.0
            seg.swcad.taur = 20.0
            seg.swkca.gbar = 2e-4
            seg.swkm2.gbar = 200.0
            seg.swcat2.gbar = 2e-4
            dist = start[name] + seg.x * length
            seg.swar.gbar = 1e-6 if name == "soma" else 1e-6 * math.exp(0.003 * dist)
    h.celsius = 37
    stim = h.IClamp(secs["soma"](0.5))
    stim.delay, stim.dur, stim.amp = 50.0, 200.0, 0.5
    return list(secs.values()), stim, secs["soma"](0.5), None, v0


def run(build):
    secs, stim, det, vinit, v0 = build()
    nc = h.NetCon(det._ref_v, None, sec=det.sec)
    nc.threshold = 0.0
    tv = h.Vector()
    nc.record(tv)
    h.dt = 0.025
    h.steps_per_ms = 40
    h.secondorder = 0
    h.tstop = 1000.0
    if vinit is not None:
        h.finitialize(vinit)
    else:
        # Per-section initial voltages; finitialize() without an argument
        # keeps them and puts the gates at their steady states for them.
        for s in secs:
            for seg in s:
                seg.v = v0[s.name()]
        h.finitialize()
    t0 = time.perf_counter()
    c0 = time.process_time()
    h.continuerun(h.tstop)
    cpu = time.process_time() - c0
    wall = time.perf_counter() - t0
    return wall, cpu, [t for t in tv]


if __name__ == "__main__":
    mechdir, cell, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    h.nrn_load_dll(os.path.join(mechdir, "x86_64", "libnrnmech.so"))
    build = {"hh": hh_cell, "brc": brc_cell, "l5": l5_cell}[cell]
    for _ in range(runs):
        wall, cpu, spikes = run(build)
        print("%s %.6f %.6f %d %s" % (cell, wall, cpu, len(spikes), " ".join("%.3f" % t for t in spikes[:5])))
