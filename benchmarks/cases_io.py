"""Benchmark cases for real data: loading and binning the w-maze recording, spikestats against pynapple.

The peer column of :mod:`benchmarks.run` (headed "elephant") holds pynapple here.

``io-wmaze-bin``
    From the same 25 arrays of spike times (518,352 spikes, 4307 s):
    spikestats builds ``SpikeTrains.from_list`` and calls ``.bin(bin_size)``;
    pynapple builds a ``TsGroup`` of ``Ts`` on the recording's
    ``IntervalSet`` and calls ``.count(bin_size, ep)``.
``io-wmaze-load-bin``
    The same from the file: spikestats ``datasets.load_recording("w-maze")``
    then ``.bin``; pynapple ``scipy.io.loadmat`` plus nelpy's documented
    parsing snippet, ``TsGroup`` and ``.count``.

Bins are 25 ms (100 ms with ``--quick``). Before timing the counts are
checked: equal totals, and every cell where the two differ is explained by
spikes lying on a bin edge to within float rounding (the times sit on a 30 kHz
clock and the window starts on a tick, so in exact arithmetic many spikes
fall exactly on edges; spikestats counts such a spike in the bin it starts,
pynapple's floating-point edges put some of them in the bin before).
Skipped, with the reason in the size column, when ``../shared/data`` (or
``$SPIKESTATS_DATA``) is absent.
"""

from __future__ import annotations

import argparse
import functools
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

import spikestats as ss
from benchmarks.cases import Case, Pair, _require

#: relative distance to an edge (in bins) under which a spike counts as lying on it
EDGE_TOLERANCE = 1e-6


def _folder() -> Path | None:
    env = os.environ.get("SPIKESTATS_DATA")
    for folder in ([Path(env)] if env else []) + [Path.cwd() / ".." / "shared" / "data",
                                                   Path(__file__).resolve().parents[2] / "shared" / "data"]:
        if (folder / "nelpy_w-maze" / "spikes.mat").is_file():
            return folder
    return None


def _skipped(reason: str) -> Pair:
    return Pair(f"skipped: {reason}", lambda: None)


def _nelpy_arrays(path: Path) -> list[np.ndarray]:
    """Spike-time arrays of a MatClust file, parsed as nelpy's README snippet does."""
    from scipy.io import loadmat

    mat = loadmat(path, squeeze_me=True)
    out = []
    for array in mat["spikes"]:
        if array.size > 1:
            for sub in array:
                if sub.size != 0 and len(np.atleast_1d(sub["time"].ravel()[0])) != 0:
                    out.append(np.atleast_1d(sub["time"].ravel()[0]))
        elif array.size == 1 and len(np.atleast_1d(array["time"].ravel()[0])) != 0:
            out.append(np.atleast_1d(array["time"].ravel()[0]))
    return out


def _pynapple_counts(nap: Any, arrays: list[np.ndarray], window: tuple[float, float], bin_size: float) -> np.ndarray:
    ep = nap.IntervalSet(window[0], window[1])
    group = nap.TsGroup({i: nap.Ts(np.asarray(a, dtype=float)) for i, a in enumerate(arrays)}, time_support=ep)
    return np.asarray(group.count(bin_size, ep=ep).values).T


def _check(ours: Any, peer: np.ndarray, *, st: ss.SpikeTrains, bin_size: float) -> None:
    """Same shape and totals; where cells differ, the net spikes moved across each edge lie on that edge."""
    counts = ours.counts
    _require(counts.shape == peer.shape, f"count shapes {counts.shape} and {peer.shape} differ")
    _require(bool(np.array_equal(counts.sum(axis=1), peer.sum(axis=1))), "spike totals per unit differ")
    lo = float(ours.edges[0])
    for i, train in enumerate(st):
        x = (train - lo) / bin_size
        k = np.rint(x).astype(np.int64)
        on_edge = np.abs(x - k) < EDGE_TOLERANCE
        edge_spikes = np.bincount(k[on_edge], minlength=counts.shape[1] + 1)[: counts.shape[1] + 1]
        moved = np.cumsum(counts[i].astype(np.int64) - peer[i])[:-1]      # net spikes across inner edge j + 1
        _require(bool(np.all(np.abs(moved) <= edge_spikes[1:counts.shape[1]])),
                 f"unit {i}: counts differ by more than the spikes lying on bin edges")


def _wmaze(from_file: bool):
    def build(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        folder = _folder()
        if folder is None:
            return _skipped("../shared/data/nelpy_w-maze not found (set SPIKESTATS_DATA)")
        try:
            import pynapple as nap
        except ImportError as exc:
            return _skipped(f"pynapple not importable ({exc}); pip install \"spikestats[pynapple]\"")
        bin_size = 0.1 if a.quick else 0.025
        st = ss.datasets.load_recording("w-maze", folder).spikes
        window = (float(st.t_start[0]), float(st.t_stop[0]))
        arrays = st.to_list()
        path = folder / "nelpy_w-maze" / "spikes.mat"
        if from_file:
            def ours():
                return ss.datasets.load_recording("w-maze", folder).spikes.bin(bin_size)

            def peer():
                return _pynapple_counts(nap, _nelpy_arrays(path), window, bin_size)
        else:
            def ours():
                return ss.SpikeTrains.from_list(arrays, *window).bin(bin_size)

            peer = functools.partial(_pynapple_counts, nap, arrays, window, bin_size)
        size = (f"{st.n_trains} units, {st.n_spikes:,} spikes, {window[1] - window[0]:.0f} s, "
                f"{bin_size * 1e3:g} ms bins{' from the .mat file' if from_file else ''}; peer pynapple "
                f"{nap.__version__}")
        return Pair(size, ours, peer, functools.partial(_check, st=st, bin_size=bin_size))

    return build


IO_CASES: tuple[Case, ...] = (
    Case("io-wmaze-bin", _wmaze(False)),
    Case("io-wmaze-load-bin", _wmaze(True)),
)
