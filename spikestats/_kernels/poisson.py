"""Stationary Poisson spike generation with an optional dead time, one random stream per train."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.rng import next_double, seed_stream, standard_exponential


@njit(**NJIT_FLAGS)
def poisson_train(key, stream, rate, dead_time, t0, t1, out):
    """Spikes of one train on ``[t0, t1)`` from stream ``stream`` of ``key``, written to ``out``.

    Inter-spike intervals are ``dead_time + E / lam`` with ``E ~ Exp(1)`` and
    ``lam = rate / (1 - rate * dead_time)``, so the output rate is ``rate``.
    The first spike follows the equilibrium (forward-recurrence) law: with
    probability ``rate * dead_time`` it is uniform on ``[0, dead_time)`` after
    ``t0``, otherwise ``dead_time + E / lam``.

    Returns the number of spikes; only the first ``len(out)`` are written, so a
    caller whose buffer was too short can call again with a longer one and get
    the same spikes.
    """
    if rate <= 0.0:
        return 0
    state = seed_stream(key, stream)
    scale = (1.0 - rate * dead_time) / rate
    p_dead = rate * dead_time
    if dead_time > 0.0:
        u, state = next_double(state)
        if u < p_dead:
            t = t0 + dead_time * (u / p_dead)
        else:
            e, state = standard_exponential(state)
            t = t0 + dead_time + e * scale
    else:
        e, state = standard_exponential(state)
        t = t0 + e * scale
    cap = out.shape[0]
    n = 0
    while t < t1:
        if n < cap:
            out[n] = t
        n += 1
        e, state = standard_exponential(state)
        t += dead_time + e * scale
    return n


@njit(**NJIT_FLAGS)
def poisson_trains(key, rate, dead_time, t_start, t_stop, region, buf):
    """Train ``i`` into ``buf[region[i]:region[i + 1]]``; returns the true count of each train."""
    n_trains = t_start.shape[0]
    counts = np.empty(n_trains, dtype=np.int64)
    for i in range(n_trains):
        counts[i] = poisson_train(key, i, rate, dead_time, t_start[i], t_stop[i], buf[region[i]:region[i + 1]])
    return counts


@njit(**NJIT_PARALLEL_FLAGS)
def poisson_trains_parallel(key, rate, dead_time, t_start, t_stop, region, buf):
    """Parallel twin of :func:`poisson_trains` (threads over trains; identical output)."""
    n_trains = t_start.shape[0]
    counts = np.empty(n_trains, dtype=np.int64)
    for i in prange(n_trains):
        counts[i] = poisson_train(key, i, rate, dead_time, t_start[i], t_stop[i], buf[region[i]:region[i + 1]])
    return counts


@njit(**NJIT_FLAGS)
def compact(buf, region, counts):
    """Move train ``i`` from ``buf[region[i]:]`` to follow train ``i - 1``; returns the offsets.

    Requires ``counts[i] <= region[i + 1] - region[i]``; regions only move left,
    so an in-place forward copy is safe.
    """
    n = counts.shape[0]
    offsets = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        a = region[i]
        b = offsets[i]
        if a != b:
            for j in range(counts[i]):
                buf[b + j] = buf[a + j]
        offsets[i + 1] = b + counts[i]
    return offsets
