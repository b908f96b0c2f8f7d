"""Simulation of binned generalised linear models with stimulus drive, spike history and coupling.

The same kernel serves the generators (:class:`GLMNeuron`, :class:`GLMPopulation`)
and the simulation of fitted models: its inputs are plain arrays.

In bin ``b`` (width ``dt``) unit ``i`` has linear predictor

    eta[i, b] = baseline[i] + drive[i, b] + sum_j sum_l filters[i, j, l] * y[j, b - 1 - l]

where ``y[j, b]`` is the spike count of unit ``j`` in bin ``b`` (lag ``l = 0``
is the previous bin). The count is then drawn from the family:

* POISSON: ``y ~ Poisson(rate * dt)`` with ``rate = exp(eta)`` (LOG) or
  ``log(1 + exp(eta))`` (SOFTPLUS), in Hz;
* BERNOULLI: ``y ~ Bernoulli(p)`` with ``p = 1 / (1 + exp(-eta))`` (LOGIT), or
  ``p = 1 - exp(-rate * dt)`` (LOG, SOFTPLUS: the probability that a Poisson bin
  with that rate holds a spike).

History enters through a ring buffer of future contributions (each spike adds
its filters to the next ``L`` bins), so the cost is
``O(bins * units + spikes * units * L)`` and memory ``O(units * L)``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.rng import next_double, seed_stream
from spikestats._kernels.variates import poisson_count

POISSON, BERNOULLI = 0, 1
LOG, LOGIT, SOFTPLUS = 0, 1, 2
#: Expected count of one unit in one bin above which a Poisson realisation is stopped as explosive: excitatory
#: history feeding back through an exponential link grows without bound (no model of a neuron fires 1000
#: spikes in one bin). The kernels then return ``-(b + 1)`` for the bin ``b`` where it happened.
RUNAWAY_MEAN = 1000.0


@njit(**NJIT_FLAGS)
def bin_mean(eta, link, family, dt):
    """Expected count (Poisson) or spike probability (Bernoulli) in a bin with linear predictor ``eta``."""
    if link == LOGIT:
        return 1.0 / (1.0 + np.exp(-eta))
    if link == LOG:
        rate = np.exp(eta)
    else:
        rate = eta + np.log1p(np.exp(-eta)) if eta > 0.0 else np.log1p(np.exp(eta))
    if family == POISSON:
        return rate * dt
    return -np.expm1(-rate * dt)


@njit(**NJIT_FLAGS)
def bin_means(eta, link, family, dt):
    """:func:`bin_mean` of every entry of a 2-d array of linear predictors."""
    out = np.empty(eta.shape)
    for i in range(eta.shape[0]):
        for j in range(eta.shape[1]):
            out[i, j] = bin_mean(eta[i, j], link, family, dt)
    return out


@njit(**NJIT_FLAGS)
def glm_realization(key, stream, baseline, drive, filters, link, family, t0, dt, n_bins, out_t, out_u):
    """Spikes of one realisation: times ``t0 + (b + 0.5) * dt`` into ``out_t``, units into ``out_u``.

    ``drive`` is ``(units, n_bins)`` or ``(units, 0)`` for none; ``filters`` is
    ``(units, units, L)``. Spikes of one bin are listed by unit, a count of
    ``c`` giving ``c`` equal times. Returns the number of spikes; only the
    first ``len(out_t)`` are written. A Poisson realisation whose expected
    count in a bin exceeds :data:`RUNAWAY_MEAN` stops there and returns
    ``-(b + 1)`` (explosive history).
    """
    state = seed_stream(key, stream)
    n_units = baseline.shape[0]
    n_lags = filters.shape[2]
    has_drive = drive.shape[1] > 0
    future = np.zeros((n_units, max(n_lags, 1)))
    counts = np.zeros(n_units, dtype=np.int64)
    cap = out_t.shape[0]
    n = 0
    for b in range(n_bins):
        slot = b % n_lags if n_lags > 0 else 0
        t = t0 + (b + 0.5) * dt
        any_spike = False
        for i in range(n_units):
            eta = baseline[i] + future[i, slot]
            if has_drive:
                eta += drive[i, b]
            mean = bin_mean(eta, link, family, dt)
            if family == POISSON:
                if not mean <= RUNAWAY_MEAN:  # also catches NaN / inf
                    return -(b + 1)
                c, state = poisson_count(state, mean)
            else:
                u, state = next_double(state)
                c = 1 if u < mean else 0
            counts[i] = c
            for _ in range(c):
                if n < cap:
                    out_t[n] = t
                    out_u[n] = i
                n += 1
            any_spike = any_spike or c > 0
        if n_lags == 0:
            continue
        for i in range(n_units):
            future[i, slot] = 0.0
        if any_spike:
            for j in range(n_units):
                c = counts[j]
                if c == 0:
                    continue
                for lag in range(n_lags):
                    s = (b + 1 + lag) % n_lags
                    for i in range(n_units):
                        future[i, s] += c * filters[i, j, lag]
    return n


@njit(**NJIT_FLAGS)
def glm_realizations(key, baseline, drive, filters, link, family, t0, dt, n_bins, region, out_t, out_u):
    """Realisation ``r`` (stream ``r``) into ``region[r]:region[r + 1]`` of both buffers; returns the counts."""
    n_real = region.shape[0] - 1
    totals = np.empty(n_real, dtype=np.int64)
    for r in range(n_real):
        a, b = region[r], region[r + 1]
        totals[r] = glm_realization(key, r, baseline, drive, filters, link, family, t0, dt, n_bins,
                                    out_t[a:b], out_u[a:b])
    return totals


@njit(**NJIT_PARALLEL_FLAGS)
def glm_realizations_parallel(key, baseline, drive, filters, link, family, t0, dt, n_bins, region, out_t, out_u):
    """Parallel twin of :func:`glm_realizations` (threads over realisations)."""
    n_real = region.shape[0] - 1
    totals = np.empty(n_real, dtype=np.int64)
    for r in prange(n_real):
        a, b = region[r], region[r + 1]
        totals[r] = glm_realization(key, r, baseline, drive, filters, link, family, t0, dt, n_bins,
                                    out_t[a:b], out_u[a:b])
    return totals
