"""Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005), forward Euler."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS
from spikestats._kernels.neuron_steps import emit, input_at, sample_index
from spikestats._kernels.rng import seed_stream, standard_normal

#: Order of the parameters in the array the kernel takes.
ADEX_PARAMS = ("c_m", "g_l", "e_l", "v_t", "delta_t", "a", "tau_w", "b", "v_reset", "v_spike", "t_ref", "sigma")


@njit(**NJIT_FLAGS)
def adex_neuron(key, stream, p, cur, dt, n_steps, out, rec, rec_every):
    """One AdEx neuron for ``n_steps`` steps of ``dt``; spike times into ``out``, returns the true count.

    ``p`` holds :data:`ADEX_PARAMS`. Forward Euler (Euler-Maruyama with
    noise) on

        c_m dV/dt = -g_l (V - e_l) + g_l delta_t exp((V - v_t) / delta_t) - w + I
        tau_w dw/dt = a (V - e_l) - w

    plus ``sigma sqrt(2 dt / tau_m) Z`` on ``V`` per step (``tau_m = c_m /
    g_l``). The exponential is evaluated at ``min(V, v_spike)``. When ``V >=
    v_spike`` at the end of step ``k`` a spike is recorded at ``(k + 1) dt``,
    ``V`` is set to ``v_reset`` and ``w`` grows by ``b``; ``V`` is then held
    for ``round(t_ref / dt)`` steps while ``w`` keeps evolving.
    ``rec[0, j]``, ``rec[1, j]`` receive ``V``, ``w`` at the start of step
    ``j * rec_every``.
    """
    c_m, g_l, e_l, v_t, delta_t, a, tau_w, b = p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
    v_reset, v_spike, sigma = p[8], p[9], p[11]
    n_ref = np.int64(np.round(p[10] / dt))
    state = seed_stream(key, stream)
    noise_sd = sigma * np.sqrt(2.0 * dt * g_l / c_m)
    dt_c = dt / c_m
    dt_w = dt / tau_w
    v = e_l
    w = 0.0
    hold = 0
    n = 0
    for k in range(n_steps):
        j = sample_index(rec, k, rec_every)
        if j >= 0:
            rec[0, j] = v
            rec[1, j] = w
        dw = dt_w * (a * (v - e_l) - w)
        if hold > 0:
            hold -= 1
            w += dw
            continue
        drive = -g_l * (v - e_l) - w + input_at(cur, k)
        if delta_t > 0.0:
            drive += g_l * delta_t * np.exp((min(v, v_spike) - v_t) / delta_t)
        v += dt_c * drive
        w += dw
        if sigma > 0.0:
            z, state = standard_normal(state)
            v += noise_sd * z
        if v >= v_spike:
            n = emit(out, n, (k + 1) * dt)
            v = v_reset
            w += b
            hold = n_ref
    return n
