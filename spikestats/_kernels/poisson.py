"""Stationary Poisson spike generation with an optional dead time."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS


@njit(**NJIT_FLAGS)
def dead_time_poisson(exps, rate, dead_time, t_start, t_stop):
    """Spike times of stationary Poisson processes with dead time, one per window.

    Parameters
    ----------
    exps : float64 (n,)
        Standard exponential variates, consumed in order (the caller pre-draws
        them from its Generator, so the result depends on the Generator only).
    rate, dead_time : float
        Output rate (Hz) and dead time (s); ``rate * dead_time < 1``.
    t_start, t_stop : float64 (n_trains,)
        Windows.

    Returns
    -------
    times, offsets, used
        ``used`` is the number of variates consumed, or -1 if ``exps`` ran out
        (the caller then supplies a longer stream with the same prefix).

    Notes
    -----
    Inter-spike intervals are ``dead_time + E / lam`` with
    ``lam = rate / (1 - rate * dead_time)``. The first spike follows the
    equilibrium (forward-recurrence) law: with probability ``rate * dead_time``
    it is uniform on ``[0, dead_time)`` after the window start, otherwise
    ``dead_time + E / lam``. The uniform is ``exp(-E)`` of one variate, so a
    single exponential stream drives everything.
    """
    n_trains = t_start.shape[0]
    n_exp = exps.shape[0]
    scale = (1.0 - rate * dead_time) / rate if rate > 0.0 else 0.0
    p_dead = rate * dead_time
    buf = np.empty(n_exp, dtype=np.float64)
    offsets = np.zeros(n_trains + 1, dtype=np.int64)
    j = 0
    k = 0
    for i in range(n_trains):
        if rate > 0.0:
            if k + 2 > n_exp:
                return buf[:0].copy(), offsets, -1
            if dead_time > 0.0:
                u = np.exp(-exps[k])
                k += 1
                if u < p_dead:
                    t = t_start[i] + dead_time * (u / p_dead)
                else:
                    t = t_start[i] + dead_time + exps[k] * scale
                    k += 1
            else:
                t = t_start[i] + exps[k] * scale
                k += 1
            t1 = t_stop[i]
            while t < t1:
                if k == n_exp:
                    return buf[:0].copy(), offsets, -1
                buf[j] = t
                j += 1
                t += dead_time + exps[k] * scale
                k += 1
        offsets[i + 1] = j
    return buf[:j].copy(), offsets, k
