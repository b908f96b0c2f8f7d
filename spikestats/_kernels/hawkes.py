"""Multivariate Hawkes processes with sums of exponential kernels, by Ogata's thinning.

Unit ``i`` has intensity ``mu[i] + sum_j sum_k ab[i, j, k] * E[j, k]`` where
``E[j, k] = sum over past spikes s of unit j of exp(-beta[k] (t - s))`` and
``ab[i, j, k] = alpha[i, j, k] * beta[k]`` (so ``alpha`` is the integral of the
kernel). With non-negative kernels the intensity only decays between events,
so its value just after the last event bounds it until the next candidate
(Ogata 1981, "On Lewis' simulation method for point processes", IEEE Trans.
Inf. Theory 27(1)). One realisation per random stream.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.rng import next_double, seed_stream, standard_exponential


@njit(**NJIT_FLAGS)
def hawkes_realization(key, stream, mu, ab, beta, t0, t1, out_t, out_u):
    """Events of one realisation on ``[t0, t1)`` (times into ``out_t``, units into ``out_u``).

    Starts with no history at ``t0``. Returns the number of events; only the
    first ``len(out_t)`` are written.
    """
    state = seed_stream(key, stream)
    d = mu.shape[0]
    n_exp = beta.shape[0]
    excitation = np.zeros((d, n_exp))
    decay = np.empty(n_exp)
    lam = mu.copy()
    total = 0.0
    for i in range(d):
        total += lam[i]
    cap = out_t.shape[0]
    n = 0
    t = t0
    while total > 0.0:
        e, state = standard_exponential(state)
        w = e / total
        t += w
        if t >= t1:
            return n
        for k in range(n_exp):
            decay[k] = np.exp(-beta[k] * w)
        for j in range(d):
            for k in range(n_exp):
                excitation[j, k] *= decay[k]
        new_total = 0.0
        for i in range(d):
            s = mu[i]
            for j in range(d):
                for k in range(n_exp):
                    s += ab[i, j, k] * excitation[j, k]
            lam[i] = s
            new_total += s
        u, state = next_double(state)
        v = u * total
        total = new_total
        if v < new_total:  # accepted; v is uniform on [0, new_total): it also picks the unit
            unit = d - 1
            acc = 0.0
            for i in range(d):
                acc += lam[i]
                if v < acc:
                    unit = i
                    break
            if n < cap:
                out_t[n] = t
                out_u[n] = unit
            n += 1
            for k in range(n_exp):
                excitation[unit, k] += 1.0
            for i in range(d):
                for k in range(n_exp):
                    lam[i] += ab[i, unit, k]
                    total += ab[i, unit, k]
    return n


@njit(**NJIT_FLAGS)
def hawkes_realizations(key, mu, ab, beta, t0, t1, region, out_t, out_u):
    """Realisation ``r`` into ``region[r]:region[r + 1]`` of both buffers; returns the true counts."""
    n_real = region.shape[0] - 1
    counts = np.empty(n_real, dtype=np.int64)
    for r in range(n_real):
        a, b = region[r], region[r + 1]
        counts[r] = hawkes_realization(key, r, mu, ab, beta, t0, t1, out_t[a:b], out_u[a:b])
    return counts


@njit(**NJIT_PARALLEL_FLAGS)
def hawkes_realizations_parallel(key, mu, ab, beta, t0, t1, region, out_t, out_u):
    """Parallel twin of :func:`hawkes_realizations` (threads over realisations)."""
    n_real = region.shape[0] - 1
    counts = np.empty(n_real, dtype=np.int64)
    for r in prange(n_real):
        a, b = region[r], region[r + 1]
        counts[r] = hawkes_realization(key, r, mu, ab, beta, t0, t1, out_t[a:b], out_u[a:b])
    return counts
