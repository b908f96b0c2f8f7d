"""Slow, obviously correct pure-Python twins of the Numba kernels.

Each function mirrors one kernel in ``spikestats._kernels`` and is written for
clarity, not speed. Tests compare them: integers exactly, floats to ~1e-12.
"""

from __future__ import annotations

import math

import numpy as np


def bin_edges(t0: float, width: float, n: int) -> np.ndarray:
    return t0 + np.arange(n + 1, dtype=np.float64) * width


def bin_index(t, t0, width, n):
    """The documented rule, literally: floor(x + tol) with the right end closed."""
    x = (t - t0) / width
    tol = 1e-9 + 8.0 * np.finfo(float).eps * abs(x)
    k = math.floor(x + tol)
    if k == n and x <= n + tol:
        return n - 1
    return k if 0 <= k < n else -1


def bin_counts(times, offsets, t0, width, n_bins):
    out = np.zeros((len(offsets) - 1, n_bins), dtype=np.int64)
    for i in range(len(offsets) - 1):
        for t in times[offsets[i]:offsets[i + 1]]:
            k = bin_index(t, t0, width, n_bins)
            if k >= 0:
                out[i, k] += 1
    return out


def raster_to_spikes(counts, t0, width):
    trains = []
    for row in counts:
        trains.append([t0 + float(k) * width for k, c in enumerate(row) for _ in range(int(c))])
    offsets = np.cumsum([0] + [len(t) for t in trains]).astype(np.int64)
    return np.array([t for tr in trains for t in tr], dtype=np.float64), offsets


def window_count_moments(times, offsets, t0, width, n_windows):
    total = np.zeros(len(offsets) - 1)
    total_sq = np.zeros(len(offsets) - 1)
    for i in range(len(offsets) - 1):
        c = bin_counts(times[offsets[i]:offsets[i + 1]], np.array([0, offsets[i + 1] - offsets[i]]),
                       t0[i], width, n_windows[i])[0]
        total[i] = c.sum()
        total_sq[i] = (c.astype(float) ** 2).sum()
    return total, total_sq


def isi_moments(times, offsets):
    n_trains = len(offsets) - 1
    n = np.zeros(n_trains, dtype=np.int64)
    mean = np.full(n_trains, np.nan)
    m2 = np.zeros(n_trains)
    for i in range(n_trains):
        d = np.diff(times[offsets[i]:offsets[i + 1]])
        if d.size:
            n[i] = d.size
            mean[i] = d.mean()
            m2[i] = ((d - d.mean()) ** 2).sum()
    return n, mean, m2


def dead_time_poisson(rng, rate, dead_time, t_start, t_stop):
    """Renewal process ISI = dead_time + Exp(lam), equilibrium start, drawing Exp(1) variates from ``rng``."""
    lam = rate / (1.0 - rate * dead_time) if rate > 0 else 0.0
    trains = []
    for a, b in zip(t_start, t_stop):
        spikes = []
        if rate > 0:
            if dead_time > 0:
                u = math.exp(-rng.standard_exponential())
                if u < rate * dead_time:
                    t = a + dead_time * (u / (rate * dead_time))
                else:
                    t = a + dead_time + rng.standard_exponential() * (1.0 / lam)
            else:
                t = a + rng.standard_exponential() * (1.0 / lam)
            while t < b:
                spikes.append(t)
                t += dead_time + rng.standard_exponential() * (1.0 / lam)
        trains.append(spikes)
    offsets = np.cumsum([0] + [len(t) for t in trains]).astype(np.int64)
    return np.array([t for tr in trains for t in tr], dtype=np.float64), offsets


def train_count_moments(offsets, t_start, t_stop, rtol):
    """Shifted count sums and the number of windows whose length differs from the first, from Python lists."""
    counts = [int(b - a) for a, b in zip(offsets[:-1], offsets[1:])]
    if not counts:
        return 0, 0, 0, 0, 0
    d = [c - counts[0] for c in counts]
    durations = [float(b - a) for a, b in zip(t_start, t_stop)]
    n_off = sum(abs(x - durations[0]) > rtol * abs(durations[0]) for x in durations)
    return len(counts), counts[0], sum(d), sum(x * x for x in d), n_off
