"""Multiple filter test (Messer et al. 2014): the filtered derivative process and its Gaussian limit.

Grid: ``t_k = t0 + k * dt``; a window of ``m`` steps has ``h = m * dt`` and is
evaluated at ``k = m .. n_grid - m``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.rng import seed_stream, standard_normal


@njit(**NJIT_FLAGS)
def _window_ratio(times, a, b):
    """``var / mean^3`` of the intervals between spikes ``times[a:b]`` (two passes, ddof 0); -1 if undefined.

    For a renewal process with interval mean ``mu`` and variance ``s^2`` the
    count in a window of length ``h`` has variance ``~ h s^2 / mu^3``.
    """
    n = b - a - 1
    if n < 2:
        return -1.0
    mu = (times[b - 1] - times[a]) / n
    s = 0.0
    for j in range(a + 1, b):
        d = times[j] - times[j - 1] - mu
        s += d * d
    var = s / n
    if not var > 0.0:
        return -1.0
    return var / (mu * mu * mu)


@njit(**NJIT_FLAGS)
def filter_derivative(times, t0, dt, m, n_grid):
    """Filtered derivative ``G_h(t_k)`` for ``k = m .. n_grid - m`` (``h = m dt``), float64 ``(n_grid - 2m + 1,)``.

    ``G = (N(t, t+h] - N(t-h, t]) / sqrt(h (r_right + r_left))`` with ``r`` the
    ``var / mean^3`` of the intervals between the spikes inside each window.
    A window with fewer than two intervals (or zero variance) borrows the
    other window's ``r``; when neither has one, ``G = 0``.
    """
    h = m * dt
    n_out = n_grid - 2 * m + 1
    out = np.zeros(n_out)
    n = times.shape[0]
    lo = 0  # first spike > t - h
    mid = 0  # first spike > t
    hi = 0  # first spike > t + h
    for i in range(n_out):
        t = t0 + (i + m) * dt
        while lo < n and times[lo] <= t - h:
            lo += 1
        while mid < n and times[mid] <= t:
            mid += 1
        while hi < n and times[hi] <= t + h:
            hi += 1
        r_left = _window_ratio(times, lo, mid)
        r_right = _window_ratio(times, mid, hi)
        if r_left < 0.0:
            r_left = r_right
        if r_right < 0.0:
            r_right = r_left
        if r_left < 0.0:
            continue
        out[i] = ((hi - mid) - (mid - lo)) / math.sqrt(h * (r_left + r_right))
    return out


@njit(**NJIT_FLAGS)
def _one_limit(key, i, dt, n_grid, m, w, out):
    """Maxima over time of ``|W(t+h) - 2 W(t) + W(t-h)| / sqrt(2h)`` for each window, path ``i`` of ``key``."""
    state = seed_stream(key, i)
    sd = math.sqrt(dt)
    w[0] = 0.0
    for k in range(1, n_grid + 1):
        z, state = standard_normal(state)
        w[k] = w[k - 1] + sd * z
    for j in range(m.shape[0]):
        mj = m[j]
        best = 0.0
        for k in range(mj, n_grid - mj + 1):
            v = abs(w[k + mj] - 2.0 * w[k] + w[k - mj])
            if v > best:
                best = v
        out[j] = best / math.sqrt(2.0 * mj * dt)


@njit(**NJIT_FLAGS)
def limit_maxima(key, n_sim, dt, n_grid, m):
    """Maxima of the limit process of every window, ``(n_sim, n_windows)``; path ``i`` uses stream ``i``."""
    out = np.empty((n_sim, m.shape[0]))
    w = np.empty(n_grid + 1)
    for i in range(n_sim):
        _one_limit(key, i, dt, n_grid, m, w, out[i])
    return out


@njit(**NJIT_PARALLEL_FLAGS)
def limit_maxima_parallel(key, n_sim, dt, n_grid, m):
    """Parallel twin of :func:`limit_maxima` (threads over paths; identical output)."""
    out = np.empty((n_sim, m.shape[0]))
    for i in prange(n_sim):
        w = np.empty(n_grid + 1)
        _one_limit(key, i, dt, n_grid, m, w, out[i])
    return out
