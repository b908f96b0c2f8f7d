"""Counting spikes in bins whose edges are ``t0 + k * width``."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import BIN_ATOL, EPS, NJIT_FAST_FLAGS, NJIT_FLAGS, NJIT_PARALLEL_FLAGS


@njit(**NJIT_FLAGS)
def bin_index(t: float, t0: float, width: float, n: int) -> int:
    """Index of the bin holding ``t`` among ``n`` bins ``[t0 + k*width, t0 + (k+1)*width)``.

    With ``x = (t - t0) / width`` the index is ``floor(x + tol)``, where
    ``tol = 1e-9 + 8 * eps * |x|`` absorbs the rounding of ``x``: a spike at
    ``0.3`` s falls in bin 3 of 0.1 s bins although ``3 * 0.1 > 0.3`` in
    floating point. Bins are left-closed; the last is also closed on the right.
    Returns -1 when ``t`` lies outside ``[t0, t0 + n*width]`` (up to ``tol``).
    """
    x = (t - t0) / width
    tol = BIN_ATOL + 8.0 * EPS * abs(x)
    k = int(np.floor(x + tol))
    if k == n and x <= n + tol:
        return n - 1
    if k < 0 or k >= n:
        return -1
    return k


@njit(**NJIT_FLAGS)
def _count_train(times, a, b, t0, width, row):
    """Add the spikes ``times[a:b]`` to ``row`` (one train's counts) with :func:`bin_index`."""
    n_bins = row.shape[0]
    for j in range(a, b):
        k = bin_index(times[j], t0, width, n_bins)
        if k >= 0:
            row[k] += 1


@njit(**NJIT_FLAGS)
def bin_counts(times, offsets, t0, width, n_bins):
    """Spike counts ``(n_trains, n_bins)`` int64 on common edges ``t0 + k*width``."""
    n_trains = offsets.shape[0] - 1
    out = np.zeros((n_trains, n_bins), dtype=np.int64)
    for i in range(n_trains):
        _count_train(times, offsets[i], offsets[i + 1], t0, width, out[i])
    return out


@njit(**NJIT_PARALLEL_FLAGS)
def bin_counts_parallel(times, offsets, t0, width, n_bins):
    """Parallel twin of :func:`bin_counts` (threads over trains; identical output)."""
    n_trains = offsets.shape[0] - 1
    out = np.zeros((n_trains, n_bins), dtype=np.int64)
    for i in prange(n_trains):
        _count_train(times, offsets[i], offsets[i + 1], t0, width, out[i])
    return out


@njit(**NJIT_FLAGS)
def raster_to_spikes(counts, t0, width):
    """Flat spike times and offsets from a count raster ``(n_trains, n_bins)``.

    A bin holding ``c`` spikes gives ``c`` spikes at its left edge.
    """
    n_trains, n_bins = counts.shape
    offsets = np.zeros(n_trains + 1, dtype=np.int64)
    for i in range(n_trains):
        s = 0
        for k in range(n_bins):
            s += counts[i, k]
        offsets[i + 1] = offsets[i] + s
    times = np.empty(offsets[n_trains], dtype=np.float64)
    for i in range(n_trains):
        j = offsets[i]
        for k in range(n_bins):
            c = counts[i, k]
            if c > 0:
                edge = t0 + float(k) * width
                for _ in range(c):
                    times[j] = edge
                    j += 1
    return times, offsets


@njit(**NJIT_FLAGS)
def window_count_moments(times, offsets, t0, width, n_windows):
    """Per train, the sum and sum of squares of spike counts in consecutive windows.

    Train ``i`` has ``n_windows[i]`` windows ``[t0[i] + k*width, ...)``. Returns
    float64 arrays ``(total, total_sq)`` of shape ``(n_trains,)``; empty windows
    contribute zero to both.
    """
    n_trains = offsets.shape[0] - 1
    total = np.zeros(n_trains, dtype=np.float64)
    total_sq = np.zeros(n_trains, dtype=np.float64)
    for i in range(n_trains):
        current = -1
        c = 0
        for j in range(offsets[i], offsets[i + 1]):
            k = bin_index(times[j], t0[i], width, n_windows[i])
            if k < 0:
                continue
            if k != current:
                total[i] += c
                total_sq[i] += c * c
                current = k
                c = 0
            c += 1
        total[i] += c
        total_sq[i] += c * c
    return total, total_sq


@njit(**NJIT_FAST_FLAGS)
def train_count_moments(offsets, t_start, t_stop, rtol):
    """Moments of the spike counts of whole trains, and how many window lengths differ.

    Returns ``(n, shift, s1, s2, n_off)``: counts ``c_i = offsets[i+1] - offsets[i]``
    enter as ``d_i = c_i - shift`` with ``shift = c_0`` (the variance is unchanged
    and the sums stay small), ``s1 = sum d_i`` and ``s2 = sum d_i^2`` are exact
    integers, and ``n_off`` counts trains whose window length differs from the
    first train's by more than ``rtol`` times it. Only integer sums and
    comparisons are computed, so ``fastmath`` cannot change the result.
    """
    n = offsets.shape[0] - 1
    if n == 0:
        return 0, 0, 0, 0, 0
    shift = offsets[1] - offsets[0]
    s1 = 0
    s2 = 0
    for i in range(n):
        d = offsets[i + 1] - offsets[i] - shift
        s1 += d
        s2 += d * d
    d0 = t_stop[0] - t_start[0]
    tol = rtol * abs(d0)
    n_off = 0
    for i in range(n):
        n_off += abs((t_stop[i] - t_start[i]) - d0) > tol
    return n, shift, s1, s2, n_off
