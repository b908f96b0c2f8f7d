"""Slow, obviously correct twins of ``spikestats._kernels.mft`` and of the multiple filter test's selection."""

from __future__ import annotations

import math

import numpy as np

from tests.reference.naive import Xoshiro256


def window_ratio(isi: np.ndarray) -> float | None:
    """``var / mean^3`` of the intervals (ddof 0), or None with fewer than two intervals or zero variance."""
    if isi.size < 2 or np.var(isi) <= 0:
        return None
    return float(np.var(isi) / np.mean(isi) ** 3)


def filter_derivative(times: np.ndarray, t0: float, dt: float, m: int, n_grid: int) -> np.ndarray:
    """``G_h(t_k)`` for ``k = m .. n_grid - m`` from boolean window masks, one grid point at a time."""
    h = m * dt
    out = []
    for k in range(m, n_grid - m + 1):
        t = t0 + k * dt
        left = times[(times > t - h) & (times <= t)]
        right = times[(times > t) & (times <= t + h)]
        r_l, r_r = window_ratio(np.diff(left)), window_ratio(np.diff(right))
        r_l = r_r if r_l is None else r_l
        r_r = r_l if r_r is None else r_r
        out.append(0.0 if r_l is None else (right.size - left.size) / math.sqrt(h * (r_l + r_r)))
    return np.array(out)


def limit_maxima(key: np.uint64, n_sim: int, dt: float, n_grid: int, steps: np.ndarray) -> np.ndarray:
    """Brownian paths from the same streams (pure Python), then the limit process of each window with numpy slices."""
    out = np.empty((n_sim, steps.size))
    for i in range(n_sim):
        g = Xoshiro256(int(key), i)  # the pure-Python transliteration of the kernels' streams
        z = np.array([g.standard_normal() for _ in range(n_grid)])
        w = np.concatenate([[0.0], np.cumsum(math.sqrt(dt) * z)])
        for j, m in enumerate(steps):
            lim = np.abs(w[2 * m:] - 2 * w[m:-m] + w[:-2 * m]) / math.sqrt(2 * m * dt)
            out[i, j] = lim.max()
    return out


def select(processes, times, steps, windows, critical) -> list[float]:
    """Messer et al.'s selection written as in the paper: a candidate set per window, shrunk by neighbourhoods."""
    accepted = []
    for g, t, m, h, c in zip(processes, times, steps, windows, critical):
        alive = set(range(len(g)))
        mine = []
        while alive:
            k = max(alive, key=lambda i: (abs(g[i]), -i))
            if abs(g[k]) <= c:
                break
            alive -= {i for i in alive if abs(i - k) < m}
            if not any(abs(t[k] - a) < h for a in accepted):
                mine.append(float(t[k]))
        accepted += mine
    return sorted(accepted)
