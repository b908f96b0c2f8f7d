"""Pairs of spike trains: cross-correlogram counts (plain and jittered) and the spike-time tiling coefficient."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.binning import bin_index
from spikestats._kernels.rng import next_double, seed_stream


@njit(**NJIT_FLAGS)
def train_bins(times, a, b, t0, width, n_bins):
    """Bin indices (binning rule of :func:`bin_index`) of ``times[a:b]`` inside the ``n_bins`` bins, in order."""
    out = np.empty(b - a, dtype=np.int64)
    k = 0
    for j in range(a, b):
        x = bin_index(times[j], t0, width, n_bins)
        if x >= 0:
            out[k] = x
            k += 1
    return out[:k]


@njit(**NJIT_FLAGS)
def lag_counts(bins_a, bins_b, max_lag, out):
    """Add to ``out[m + d]`` the number of pairs with ``bins_b[j] - bins_a[i] = d`` for ``|d| <= m``.

    Both index arrays must be sorted; ``out`` has ``2 * max_lag + 1`` entries.
    """
    lo = 0
    nb = bins_b.shape[0]
    for i in range(bins_a.shape[0]):
        x = bins_a[i]
        while lo < nb and bins_b[lo] < x - max_lag:
            lo += 1
        j = lo
        while j < nb and bins_b[j] <= x + max_lag:
            out[bins_b[j] - x + max_lag] += 1
            j += 1


@njit(**NJIT_FLAGS)
def pair_correlograms(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag):
    """Cross-correlogram counts of each pair of trains ``(a_i, b_i)``, int64 ``(n_pairs, 2 * max_lag + 1)``.

    Pair ``i`` is binned on ``n_bins[i]`` bins from ``t0[i]``; lag ``d`` (in
    bins) counts spike pairs whose bin in ``b`` minus bin in ``a`` is ``d``.
    """
    n = off_a.shape[0] - 1
    out = np.zeros((n, 2 * max_lag + 1), dtype=np.int64)
    for i in range(n):
        ba = train_bins(times_a, off_a[i], off_a[i + 1], t0[i], width, n_bins[i])
        bb = train_bins(times_b, off_b[i], off_b[i + 1], t0[i], width, n_bins[i])
        lag_counts(ba, bb, max_lag, out[i])
    return out


@njit(**NJIT_FLAGS)
def all_pair_correlograms(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag):
    """Correlogram of every combination ``(a_i, b_j)``, int64 ``(n_a, n_b, 2 * max_lag + 1)`` (common bins)."""
    na = off_a.shape[0] - 1
    nb = off_b.shape[0] - 1
    out = np.zeros((na, nb, 2 * max_lag + 1), dtype=np.int64)
    for j in range(nb):
        bb = train_bins(times_b, off_b[j], off_b[j + 1], t0, width, n_bins)
        for i in range(na):
            ba = train_bins(times_a, off_a[i], off_a[i + 1], t0, width, n_bins)
            lag_counts(ba, bb, max_lag, out[i, j])
    return out


@njit(**NJIT_FLAGS)
def _jittered_correlogram(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag, jitter, key, s, row):
    """Surrogate ``s``: every spike of ``b`` moved by ``U(-jitter, jitter)`` from stream ``s`` of ``key``.

    Jittered spikes that leave their pair's binned window are dropped.
    """
    state = seed_stream(key, s)
    for i in range(off_a.shape[0] - 1):
        ba = train_bins(times_a, off_a[i], off_a[i + 1], t0[i], width, n_bins[i])
        m = off_b[i + 1] - off_b[i]
        bb = np.empty(m, dtype=np.int64)
        k = 0
        for j in range(off_b[i], off_b[i + 1]):
            u, state = next_double(state)
            x = bin_index(times_b[j] + (2.0 * u - 1.0) * jitter, t0[i], width, n_bins[i])
            if x >= 0:
                bb[k] = x
                k += 1
        lag_counts(ba, np.sort(bb[:k]), max_lag, row)


@njit(**NJIT_FLAGS)
def jitter_correlograms(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag, jitter, key, n_surrogates):
    """Correlograms (summed over pairs) of ``n_surrogates`` jittered copies, int64 ``(n_surrogates, n_lags)``."""
    out = np.zeros((n_surrogates, 2 * max_lag + 1), dtype=np.int64)
    for s in range(n_surrogates):
        _jittered_correlogram(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag, jitter, key, s, out[s])
    return out


@njit(**NJIT_PARALLEL_FLAGS)
def jitter_correlograms_parallel(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag, jitter, key,
                                 n_surrogates):
    """Parallel twin of :func:`jitter_correlograms` (threads over surrogates; identical output)."""
    out = np.zeros((n_surrogates, 2 * max_lag + 1), dtype=np.int64)
    for s in prange(n_surrogates):
        _jittered_correlogram(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag, jitter, key, s, out[s])
    return out


@njit(**NJIT_FLAGS)
def _tiled_fraction(x, y, dt):
    """Fraction of the spikes of ``x`` within ``dt`` (inclusive) of some spike of ``y`` (both sorted)."""
    n = x.shape[0]
    if n == 0:
        return np.nan
    hit = 0
    j = 0
    ny = y.shape[0]
    for i in range(n):
        while j < ny and y[j] < x[i] - dt:
            j += 1
        if j < ny and y[j] <= x[i] + dt:
            hit += 1
    return hit / n


@njit(**NJIT_FLAGS)
def _tiled_time(x, dt, t_start, t_stop):
    """Fraction of ``[t_start, t_stop]`` within ``dt`` of a spike of ``x`` (the union of ``[t - dt, t + dt]``)."""
    n = x.shape[0]
    if n == 0:
        return 0.0
    covered = min(x[0] - t_start, dt) + min(t_stop - x[n - 1], dt)
    for k in range(1, n):
        covered += min(x[k] - x[k - 1], 2.0 * dt)
    return covered / (t_stop - t_start)


@njit(**NJIT_FLAGS)
def _half_index(p, t):
    """One half of the STTC, ``(p - t) / (1 - p t)``, taken as 1 when ``p t = 1`` (every spike tiled)."""
    if p * t == 1.0:
        return 1.0
    return (p - t) / (1.0 - p * t)


@njit(**NJIT_FLAGS)
def sttc_pairs(times_a, off_a, times_b, off_b, t_start, t_stop, dt):
    """Spike-time tiling coefficient of each pair ``(a_i, b_i)`` on ``[t_start[i], t_stop[i]]``; NaN if one is empty."""
    n = off_a.shape[0] - 1
    out = np.full(n, np.nan)
    for i in range(n):
        a = times_a[off_a[i]:off_a[i + 1]]
        b = times_b[off_b[i]:off_b[i + 1]]
        if a.shape[0] == 0 or b.shape[0] == 0:
            continue
        pa = _tiled_fraction(a, b, dt)
        pb = _tiled_fraction(b, a, dt)
        ta = _tiled_time(a, dt, t_start[i], t_stop[i])
        tb = _tiled_time(b, dt, t_start[i], t_stop[i])
        out[i] = 0.5 * (_half_index(pa, tb) + _half_index(pb, ta))
    return out
