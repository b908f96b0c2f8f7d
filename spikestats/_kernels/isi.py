"""Inter-spike-interval moments per train."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS


@njit(**NJIT_FLAGS)
def isi_moments(times, offsets):
    """Per train: number of ISIs, their mean and their sum of squared deviations.

    Two passes per train (mean, then deviations) for accuracy. Trains with no
    ISI get ``n = 0`` and NaN mean.
    """
    n_trains = offsets.shape[0] - 1
    n = np.zeros(n_trains, dtype=np.int64)
    mean = np.full(n_trains, np.nan)
    m2 = np.zeros(n_trains, dtype=np.float64)
    for i in range(n_trains):
        a = offsets[i]
        b = offsets[i + 1]
        if b - a < 2:
            continue
        k = b - a - 1
        mu = (times[b - 1] - times[a]) / k
        s = 0.0
        for j in range(a + 1, b):
            d = times[j] - times[j - 1] - mu
            s += d * d
        n[i] = k
        mean[i] = mu
        m2[i] = s
    return n, mean, m2


#: Codes of the local variation measures computed by :func:`local_variation`.
KIND_CV2 = 0
KIND_LV = 1
KIND_LVR = 2


@njit(**NJIT_FLAGS)
def _local_term(a, b, kind, r):
    """The term of one pair of consecutive intervals ``(a, b)`` (one division each).

    CV2 (Holt et al. 1996): ``2 |b - a| / (a + b)``; LV (Shinomoto et al.
    2003): ``3 (a - b)^2 / (a + b)^2``; LvR (Shinomoto et al. 2009):
    ``3 (1 - 4 a b / (a + b)^2) (1 + 4 r / (a + b))``. NaN when ``a + b = 0``
    (three spikes at one time), as ``0 / 0`` gives in Elephant.
    """
    s = a + b
    if s == 0.0:
        return np.nan
    if kind == 0:
        return 2.0 * abs(b - a) / s
    if kind == 1:
        d = (a - b) / s
        return 3.0 * d * d
    inv = 1.0 / s
    d = (a - b) * inv
    # 1 - 4ab/s^2 = ((a - b)/s)^2
    return 3.0 * d * d * (1.0 + 4.0 * r * inv)


@njit(**NJIT_FLAGS, error_model="numpy")
def _local_sum(times, a0, b0, kind, r):
    """Sum of the terms of the train ``times[a0:b0]``, one branch-free loop per kind.

    ``0 / 0`` gives NaN for three spikes at one time, as :func:`_local_term`
    does (numpy error model: no ZeroDivisionError). No ``fastmath``: reordering
    the sum moved LvR by ~5e-11 from Elephant on the benchmark trains, beyond
    the 1e-12 agreement the peer checks ask for.
    """
    s = 0.0
    if kind == 0:
        for j in range(a0 + 2, b0):
            a = times[j - 1] - times[j - 2]
            b = times[j] - times[j - 1]
            s += 2.0 * abs(b - a) / (a + b)
    elif kind == 1:
        for j in range(a0 + 2, b0):
            a = times[j - 1] - times[j - 2]
            b = times[j] - times[j - 1]
            d = (a - b) / (a + b)
            s += 3.0 * d * d
    else:
        for j in range(a0 + 2, b0):
            a = times[j - 1] - times[j - 2]
            b = times[j] - times[j - 1]
            inv = 1.0 / (a + b)
            d = (a - b) * inv
            s += 3.0 * d * d * (1.0 + 4.0 * r * inv)
    return s


@njit(**NJIT_FLAGS)
def _train_local(times, a0, b0, kind, r, with_spread, center):
    """``(m, mean, g0, g1)`` of the train ``times[a0:b0]`` (see :func:`local_variation`)."""
    k = b0 - a0 - 2
    if k < 1:
        return 0, np.nan, 0.0, 0.0
    mu = _local_sum(times, a0, b0, kind, r) / k
    if not with_spread:
        return k, mu, 0.0, 0.0
    c = center if not np.isnan(center) else mu
    v0 = 0.0
    v1 = 0.0
    prev = 0.0
    for j in range(a0 + 2, b0):
        x = _local_term(times[j - 1] - times[j - 2], times[j] - times[j - 1], kind, r) - c
        v0 += x * x
        if j > a0 + 2:
            v1 += x * prev
        prev = x
    return k, mu, v0 / k, v1 / k


@njit(**NJIT_FLAGS)
def local_variation(times, offsets, kind, r, with_spread, center):
    """Per train: the number of interval pairs, the mean of their terms and two autocovariances.

    Train ``i`` with ``n`` spikes has ``m = n - 2`` pairs of consecutive
    intervals; its statistic is the mean of the ``m`` terms
    (:func:`_local_term`; ``kind`` 0 = CV2, 1 = LV, 2 = LvR with constant
    ``r``). With ``with_spread``, also the lag-0 and lag-1 autocovariances
    ``g0 = sum (x_k - c)^2 / m`` and ``g1 = sum (x_k - c)(x_{k+1} - c) / m``
    of the terms about ``c = center[i]``, or about the train's own mean where
    ``center[i]`` is NaN (0 without spread). Trains with no pair get ``m = 0``
    and NaN mean.
    """
    n_trains = offsets.shape[0] - 1
    m = np.zeros(n_trains, dtype=np.int64)
    mean = np.full(n_trains, np.nan)
    g0 = np.zeros(n_trains, dtype=np.float64)
    g1 = np.zeros(n_trains, dtype=np.float64)
    for i in range(n_trains):
        m[i], mean[i], g0[i], g1[i] = _train_local(times, offsets[i], offsets[i + 1], kind, r, with_spread,
                                                   center[i])
    return m, mean, g0, g1


@njit(**NJIT_PARALLEL_FLAGS)
def local_variation_parallel(times, offsets, kind, r, with_spread, center):
    """Parallel twin of :func:`local_variation` (threads over trains; identical output)."""
    n_trains = offsets.shape[0] - 1
    m = np.zeros(n_trains, dtype=np.int64)
    mean = np.full(n_trains, np.nan)
    g0 = np.zeros(n_trains, dtype=np.float64)
    g1 = np.zeros(n_trains, dtype=np.float64)
    for i in prange(n_trains):
        m[i], mean[i], g0[i], g1[i] = _train_local(times, offsets[i], offsets[i + 1], kind, r, with_spread,
                                                   center[i])
    return m, mean, g0, g1


@njit(**NJIT_FLAGS)
def isi_central_moments(times, offsets):
    """Per train: number of ISIs, their mean, and their 2nd, 3rd and 4th central moments (divided by n).

    Two passes per train; trains with no ISI get ``n = 0`` and NaN moments.
    """
    n_trains = offsets.shape[0] - 1
    n = np.zeros(n_trains, dtype=np.int64)
    out = np.full((4, n_trains), np.nan)
    for i in range(n_trains):
        a = offsets[i]
        b = offsets[i + 1]
        k = b - a - 1
        if k < 1:
            continue
        mu = (times[b - 1] - times[a]) / k
        s2 = 0.0
        s3 = 0.0
        s4 = 0.0
        for j in range(a + 1, b):
            d = times[j] - times[j - 1] - mu
            d2 = d * d
            s2 += d2
            s3 += d2 * d
            s4 += d2 * d2
        n[i] = k
        out[0, i] = mu
        out[1, i] = s2 / k
        out[2, i] = s3 / k
        out[3, i] = s4 / k
    return n, out
