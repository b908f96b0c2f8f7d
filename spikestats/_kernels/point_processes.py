"""Renewal, inhomogeneous-Poisson and Bernoulli-step trains, one random stream per train.

Every ``*_trains`` kernel writes train ``i`` into ``buf[region[i]:region[i + 1]]``
from stream ``i`` of ``key`` and returns the true count of each train (only
what fits is written; :func:`spikestats._kernels.poisson.compact` closes the
regions up). Each has a ``*_parallel`` twin (threads over trains) with the same
output.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.rng import next_double, seed_stream, standard_exponential
from spikestats._kernels.variates import inverse_gaussian, lognormal, standard_gamma

#: renewal families: (p1, p2) are (shape, scale), (mean, lambda) and (mu, sigma) of the ISI law
GAMMA, INVERSE_GAUSSIAN, LOGNORMAL = 0, 1, 2
#: inhomogeneous-Poisson methods
RESCALING, THINNING = 0, 1


# ------------------------------------------------------------------ renewal
@njit(**NJIT_FLAGS)
def renewal_interval(state, family, p1, p2):
    """One inter-spike interval of the family: returns ``(x, new_state)``."""
    if family == GAMMA:
        x, state = standard_gamma(state, p1)
        return x * p2, state
    if family == INVERSE_GAUSSIAN:
        return inverse_gaussian(state, p1, p2)
    return lognormal(state, p1, p2)


@njit(**NJIT_FLAGS)
def length_biased_interval(state, family, p1, p2):
    """An interval from the length-biased law ``x f(x) / mean``: returns ``(x, new_state)``.

    Gamma(k, s) -> Gamma(k + 1, s); LogNormal(mu, sigma) -> LogNormal(mu + sigma**2, sigma);
    InverseGaussian(m, lam) -> 1 / InverseGaussian(1 / m, lam / m**2) (the length-biased
    law is generalised inverse Gaussian with p = 1/2, the reciprocal of an inverse Gaussian).
    """
    if family == GAMMA:
        x, state = standard_gamma(state, p1 + 1.0)
        return x * p2, state
    if family == INVERSE_GAUSSIAN:
        y, state = inverse_gaussian(state, 1.0 / p1, p2 / (p1 * p1))
        return 1.0 / y, state
    return lognormal(state, p1 + p2 * p2, p2)


@njit(**NJIT_FLAGS)
def renewal_train(key, stream, family, p1, p2, equilibrium, t0, t1, out):
    """Spikes of one renewal train on ``[t0, t1)``; returns the count (only ``len(out)`` written).

    With ``equilibrium`` the first spike is at ``t0 + U * X`` with ``X`` from the
    length-biased law and ``U`` uniform (the forward recurrence time of a
    stationary renewal process, Cox 1962 section 5.2); otherwise at ``t0 + X`` with
    ``X`` an ordinary interval (a spike at ``t0``, not recorded).
    """
    state = seed_stream(key, stream)
    if equilibrium:
        x, state = length_biased_interval(state, family, p1, p2)
        u, state = next_double(state)
        t = t0 + u * x
    else:
        x, state = renewal_interval(state, family, p1, p2)
        t = t0 + x
    cap = out.shape[0]
    n = 0
    while t < t1:
        if n < cap:
            out[n] = t
        n += 1
        x, state = renewal_interval(state, family, p1, p2)
        t += x
    return n


@njit(**NJIT_FLAGS)
def renewal_trains(key, family, p1, p2, equilibrium, t_start, t_stop, region, buf):
    """Train ``i`` into ``buf[region[i]:region[i + 1]]``; returns the true counts."""
    n_trains = t_start.shape[0]
    counts = np.empty(n_trains, dtype=np.int64)
    for i in range(n_trains):
        counts[i] = renewal_train(key, i, family, p1, p2, equilibrium, t_start[i], t_stop[i],
                                  buf[region[i]:region[i + 1]])
    return counts


@njit(**NJIT_PARALLEL_FLAGS)
def renewal_trains_parallel(key, family, p1, p2, equilibrium, t_start, t_stop, region, buf):
    """Parallel twin of :func:`renewal_trains`."""
    n_trains = t_start.shape[0]
    counts = np.empty(n_trains, dtype=np.int64)
    for i in prange(n_trains):
        counts[i] = renewal_train(key, i, family, p1, p2, equilibrium, t_start[i], t_stop[i],
                                  buf[region[i]:region[i + 1]])
    return counts


# ------------------------------------------------------------------ inhomogeneous Poisson
@njit(**NJIT_FLAGS)
def locate(a, x, guide, scale):
    """Largest ``k < len(a) - 1`` with ``a[k] <= x``, for non-decreasing ``a`` and ``a[0] <= x < a[-1]``.

    ``guide[b]`` (``M + 1`` entries, :func:`guide_table`) is that index for
    ``x = a[0] + b / scale`` with ``scale = M / (a[-1] - a[0])``; the search
    starts there and steps forward (the guide-table method of Chen & Asau
    1974), so it costs O(1) on average whatever the length of ``a``.
    """
    m = guide.shape[0] - 1
    b = int((x - a[0]) * scale)
    k = guide[b if b < m else m]
    while a[k] > x:  # rounding in b: never start past x (a[0] <= x ends the loop)
        k -= 1
    while a[k + 1] <= x:  # x < a[-1] ends the loop
        k += 1
    return k


@njit(**NJIT_FLAGS)
def guide_table(a, m):
    """``guide[b]`` = largest ``k < len(a) - 1`` with ``a[k] <= a[0] + b * (a[-1] - a[0]) / m``, for ``b = 0 .. m``."""
    last = a.shape[0] - 1
    guide = np.empty(m + 1, dtype=np.int64)
    k = 0
    for b in range(m + 1):
        x = a[0] + b * (a[last] - a[0]) / m
        while k < last - 1 and a[k + 1] <= x:
            k += 1
        guide[b] = k
    return guide


@njit(**NJIT_FLAGS)
def inhomogeneous_train(key, stream, edges, edge_guide, rates, cumulative, mass_guide, dead_time, method, out):
    """Poisson spikes for the piecewise-constant rate ``rates[k]`` on ``[edges[k], edges[k + 1])``.

    ``cumulative[k]`` is the integral of the rate from ``edges[0]`` to
    ``edges[k]`` (length ``len(rates) + 1``); ``edge_guide`` and
    ``mass_guide`` are :func:`guide_table` of ``edges`` and ``cumulative``.
    ``method`` RESCALING: the running sum ``s`` of unit-rate exponentials is
    mapped back through the cumulative intensity,
    ``t = edges[k] + (s - cumulative[k]) / rates[k]``. THINNING: candidates at
    the maximum rate, each kept with probability ``rate(t) / max``. Segments
    are found through the guide tables, so the cost grows with the number of
    spikes, not of segments. After a spike the process is silent for
    ``dead_time`` and then restarts (the hazard is ``rates`` outside dead
    times). Returns the count (only ``len(out)`` written).
    """
    state = seed_stream(key, stream)
    n_seg = rates.shape[0]
    t1 = edges[n_seg]
    total = cumulative[n_seg]
    edge_scale = (edge_guide.shape[0] - 1) / (t1 - edges[0])
    mass_scale = (mass_guide.shape[0] - 1) / total if total > 0.0 else 0.0
    cap = out.shape[0]
    n = 0
    if method == THINNING:
        bound = 0.0
        for j in range(n_seg):
            bound = max(bound, rates[j])
        if bound <= 0.0:
            return 0
        t = edges[0]
        while True:
            e, state = standard_exponential(state)
            t += e / bound
            if t >= t1:
                return n
            u, state = next_double(state)
            if u * bound < rates[locate(edges, t, edge_guide, edge_scale)]:
                if n < cap:
                    out[n] = t
                n += 1
                t += dead_time
    s = 0.0
    while True:
        e, state = standard_exponential(state)
        s += e
        if s >= total:
            return n
        k = locate(cumulative, s, mass_guide, mass_scale)  # cumulative[k] <= s < cumulative[k + 1]
        t = edges[k] + (s - cumulative[k]) / rates[k]
        if t >= t1:
            return n
        if n < cap:
            out[n] = t
        n += 1
        if dead_time > 0.0:
            t += dead_time
            if t >= t1:
                return n
            k = locate(edges, t, edge_guide, edge_scale)
            s = cumulative[k] + rates[k] * (t - edges[k])


@njit(**NJIT_FLAGS)
def inhomogeneous_trains(key, edges, edge_guide, rates, cumulative, mass_guide, dead_time, method, region, buf):
    """Train ``i`` from row ``i`` of ``rates`` (or row 0 when it has one row); returns the true counts."""
    n_trains = region.shape[0] - 1
    stride = 0 if rates.shape[0] == 1 else 1  # shared rate or one row per train
    counts = np.empty(n_trains, dtype=np.int64)
    for i in range(n_trains):
        r = i * stride
        counts[i] = inhomogeneous_train(key, i, edges, edge_guide, rates[r], cumulative[r], mass_guide[r],
                                        dead_time, method, buf[region[i]:region[i + 1]])
    return counts


@njit(**NJIT_PARALLEL_FLAGS)
def inhomogeneous_trains_parallel(key, edges, edge_guide, rates, cumulative, mass_guide, dead_time, method,
                                  region, buf):
    """Parallel twin of :func:`inhomogeneous_trains`."""
    n_trains = region.shape[0] - 1
    stride = 0 if rates.shape[0] == 1 else 1
    counts = np.empty(n_trains, dtype=np.int64)
    for i in prange(n_trains):
        r = i * stride
        counts[i] = inhomogeneous_train(key, i, edges, edge_guide, rates[r], cumulative[r], mass_guide[r],
                                        dead_time, method, buf[region[i]:region[i + 1]])
    return counts


# ------------------------------------------------------------------ Bernoulli steps
@njit(**NJIT_FLAGS)
def bernoulli_steps_train(key, stream, p, t0, dt, n_steps, out):
    """A spike at ``t0 + k * dt`` for each step ``k < n_steps`` with probability ``p``, independently.

    Drawn by geometric skips: the number of silent steps before the next spike
    is ``floor(log(1 - U) / log(1 - p))``. Returns the count (only ``len(out)`` written).
    """
    if p <= 0.0:
        return 0
    state = seed_stream(key, stream)
    log_q = np.log1p(-p) if p < 1.0 else -np.inf
    cap = out.shape[0]
    n = 0
    k = -1
    while True:
        u, state = next_double(state)
        gap = np.floor(np.log1p(-u) / log_q) if p < 1.0 else 0.0
        if k + 1.0 + gap >= n_steps:  # compared as floats: a huge gap cannot overflow
            return n
        k += 1 + np.int64(gap)
        if n < cap:
            out[n] = t0 + k * dt
        n += 1


@njit(**NJIT_FLAGS)
def bernoulli_steps_trains(key, p, t0, dt, n_steps, region, buf):
    """Train ``i`` with probability ``p[i]`` per step; returns the true counts."""
    n_trains = p.shape[0]
    counts = np.empty(n_trains, dtype=np.int64)
    for i in range(n_trains):
        counts[i] = bernoulli_steps_train(key, i, p[i], t0, dt, n_steps, buf[region[i]:region[i + 1]])
    return counts


@njit(**NJIT_PARALLEL_FLAGS)
def bernoulli_steps_trains_parallel(key, p, t0, dt, n_steps, region, buf):
    """Parallel twin of :func:`bernoulli_steps_trains`."""
    n_trains = p.shape[0]
    counts = np.empty(n_trains, dtype=np.int64)
    for i in prange(n_trains):
        counts[i] = bernoulli_steps_train(key, i, p[i], t0, dt, n_steps, buf[region[i]:region[i + 1]])
    return counts
