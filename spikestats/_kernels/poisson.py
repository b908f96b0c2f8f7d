"""Stationary Poisson spike generation with an optional dead time."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS


@njit(**NJIT_FLAGS)
def dead_time_poisson(rng, rate, dead_time, t_start, t_stop, out):
    """Spike times of stationary Poisson processes with dead time, one per window.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of standard exponential variates, drawn one at a time in a fixed
        order (train by train), so the result depends on ``rng`` only.
    rate, dead_time : float
        Output rate (Hz) and dead time (s); ``rate * dead_time < 1``.
    t_start, t_stop : float64 (n_trains,)
        Windows.
    out : float64 (capacity,)
        Preallocated output buffer, used while it is large enough; otherwise a
        buffer of twice the size is allocated (the result never depends on it).

    Returns
    -------
    buffer, offsets
        Spike times are ``buffer[:offsets[-1]]``; ``buffer`` is ``out`` when the
        spikes fit in it, so the caller can return a view without copying.

    Notes
    -----
    Inter-spike intervals are ``dead_time + E / lam`` with ``E ~ Exp(1)`` and
    ``lam = rate / (1 - rate * dead_time)``. The first spike follows the
    equilibrium (forward-recurrence) law: with probability ``rate * dead_time``
    it is uniform on ``[0, dead_time)`` after the window start, otherwise
    ``dead_time + E / lam``. The uniform is ``exp(-E)`` of one exponential
    variate, so a single exponential stream drives everything.
    """
    n_trains = t_start.shape[0]
    scale = (1.0 - rate * dead_time) / rate if rate > 0.0 else 0.0
    p_dead = rate * dead_time
    buf = out
    offsets = np.zeros(n_trains + 1, dtype=np.int64)
    j = 0
    for i in range(n_trains):
        if rate > 0.0:
            if dead_time > 0.0:
                u = np.exp(-rng.standard_exponential())
                if u < p_dead:
                    t = t_start[i] + dead_time * (u / p_dead)
                else:
                    t = t_start[i] + dead_time + rng.standard_exponential() * scale
            else:
                t = t_start[i] + rng.standard_exponential() * scale
            t1 = t_stop[i]
            while t < t1:
                if j == buf.shape[0]:
                    bigger = np.empty(2 * buf.shape[0] + 16, dtype=np.float64)
                    bigger[:j] = buf[:j]
                    buf = bigger
                buf[j] = t
                j += 1
                t += dead_time + rng.standard_exponential() * scale
        offsets[i + 1] = j
    return buf, offsets
