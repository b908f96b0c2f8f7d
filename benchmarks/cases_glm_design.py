"""Benchmark cases for GLM design matrices: spike-history columns built from spike times against convolution.

spikestats' :func:`~spikestats.glm.design_matrix` adds the sampled basis to the
rows after each spike (cost ~ spikes x lags x basis functions). The peer
column holds what one writes with numpy/scipy: bin the train, then convolve
the counts with each basis column (``scipy.signal.fftconvolve``, the faster of
it and ``np.convolve`` for 100-lag bases), shifted one bin for strict
causality. Both produce the same matrix (checked to 1e-9 before timing) and
the counts. A 20 Hz Poisson train at 1 ms bins, a raised-cosine basis of 10
functions over 100 ms; three sizes (1e5, 1e6, 3e6 bins) show that the cost
grows linearly with the bins.
"""

from __future__ import annotations

import argparse
import functools
from types import SimpleNamespace

import numpy as np

import spikestats as ss
from benchmarks.cases import Case, Pair, _require
from spikestats.glm import RaisedCosineBasis, design_matrix

BIN_SIZE = 0.001
BASIS = RaisedCosineBasis(n_basis=10, t_max=0.1)


def convolution_design(st: ss.SpikeTrains, basis: RaisedCosineBasis, bin_size: float) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` by binning and FFT convolution: ``X[r, j] = sum_k b_j(k dt) y[r - k]``, ``k >= 1``."""
    from scipy.signal import fftconvolve

    y = st.bin(bin_size).counts[0]
    b = basis.sample(bin_size)
    kernel = np.vstack([np.zeros((1, b.shape[1])), b])  # lag 0 carries nothing (strictly causal)
    X = fftconvolve(y.astype(float)[:, None], kernel, axes=0)[: y.size]
    return np.ascontiguousarray(X), y


def _check(ours, peer) -> None:
    X, y = peer
    _require(ours.X.shape == X.shape, f"shapes {ours.X.shape} and {X.shape} differ")
    err = float(np.max(np.abs(ours.X - X)))
    _require(err < 1e-9, f"design matrices differ by {err:.2e}")
    _require(bool(np.array_equal(ours.y, y)), "counts differ")


def _design(n_bins: int):
    def build(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        t_stop = n_bins * BIN_SIZE
        st = ss.generators.PoissonProcess(rate=20.0).simulate(n_trains=1, t_stop=t_stop, rng=a.seed + 5)
        size = f"{n_bins:.0e} bins x {BASIS.n_basis} cols, {st.n_spikes} spikes"
        ours = functools.partial(design_matrix, st, BIN_SIZE, history=BASIS)
        peer = functools.partial(convolution_design, st, BASIS, BIN_SIZE)
        return Pair(size, ours, peer, _check)

    return build


#: Registered in :data:`benchmarks.cases.CASES`.
GLM_DESIGN_CASES: tuple[Case, ...] = (
    Case("glm-design-1e5", _design(100_000), target=5.0),
    Case("glm-design-1e6", _design(1_000_000), target=5.0),
    Case("glm-design-3e6", _design(3_000_000), target=5.0, quick=False),
)
