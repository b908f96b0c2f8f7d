"""Slow, obviously correct twins of the GLM design kernels (``spikestats._kernels.glm_design``).

Every row is computed on its own: for each bin, look at every spike of the
same trial, find its bin with the house rule, and add the basis at the lag
between the two bins. ``O(bins * spikes)``: for small inputs only.
"""

from __future__ import annotations

import math

import numpy as np

BIN_ATOL = 1e-9
EPS = float(np.finfo(np.float64).eps)


def naive_bin(t: float, t0: float, width: float, n: int) -> int:
    """Bin of ``t`` among ``n`` bins from ``t0``: floor(x + 1e-9 + 8 eps |x|), last bin closed; -1 outside."""
    x = (t - t0) / width
    tol = BIN_ATOL + 8.0 * EPS * abs(x)
    k = math.floor(x + tol)
    if k == n and x <= n + tol:
        return n - 1
    return k if 0 <= k < n else -1


def naive_history(trains: list[np.ndarray], t0: list[float], n: list[int], width: float,
                  basis: np.ndarray) -> np.ndarray:
    """History columns ``(sum(n), n_basis)``: trial ``q``'s spikes ``trains[q]`` on its ``n[q]`` bins.

    Row ``r`` of trial ``q`` gets ``basis[r - s - 1]`` for each spike of that
    trial in bin ``s`` with ``1 <= r - s <= len(basis)``.
    """
    n_lags = basis.shape[0]
    rows = []
    for spikes, start, count in zip(trains, t0, n):
        bins = [naive_bin(float(t), start, width, count) for t in spikes]
        for r in range(count):
            row = np.zeros(basis.shape[1])
            for s in bins:
                if s >= 0 and 1 <= r - s <= n_lags:
                    row += basis[r - s - 1]
            rows.append(row)
    return np.array(rows).reshape(-1, basis.shape[1])


def naive_counts(trains: list[np.ndarray], t0: list[float], n: list[int], width: float) -> np.ndarray:
    """Count of each row (trial after trial)."""
    out = []
    for spikes, start, count in zip(trains, t0, n):
        bins = [naive_bin(float(t), start, width, count) for t in spikes]
        out += [sum(1 for s in bins if s == r) for r in range(count)]
    return np.array(out, dtype=np.int64)


def naive_lagged(signal: np.ndarray, n: list[int], basis: np.ndarray) -> np.ndarray:
    """Lagged-signal columns: row ``r`` of a trial gets ``sum_k basis[k] * signal[r - k]`` (same trial, k >= 0)."""
    n_feat = signal.shape[1]
    out = np.zeros((signal.shape[0], n_feat * basis.shape[1]))
    start = 0
    for count in n:
        for r in range(count):
            for f in range(n_feat):
                for k in range(basis.shape[0]):
                    if r - k >= 0:
                        out[start + r, f * basis.shape[1]:(f + 1) * basis.shape[1]] += (
                            basis[k] * signal[start + r - k, f])
        start += count
    return out
