"""Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005), forward Euler."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS
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
    c_m = p[0]
    g_l = p[1]
    e_l = p[2]
    v_t = p[3]
    delta_t = p[4]
    a = p[5]
    tau_w = p[6]
    b = p[7]
    v_reset = p[8]
    v_spike = p[9]
    n_ref = np.int64(np.round(p[10] / dt))
    sigma = p[11]
    state = seed_stream(key, stream)
    noise_sd = sigma * np.sqrt(2.0 * dt * g_l / c_m)
    dt_c = dt / c_m
    dt_w = dt / tau_w
    cap = out.shape[0]
    n_rec = rec.shape[1]
    varying = cur.shape[0] > 1
    current = cur[0]
    v = e_l
    w = 0.0
    hold = 0
    n = 0
    for k in range(n_steps):
        if n_rec > 0 and k % rec_every == 0:
            rec[0, k // rec_every] = v
            rec[1, k // rec_every] = w
        if varying:
            current = cur[k]
        dw = dt_w * (a * (v - e_l) - w)
        if hold > 0:
            hold -= 1
            w += dw
            continue
        drive = -g_l * (v - e_l) - w + current
        if delta_t > 0.0:
            drive += g_l * delta_t * np.exp((min(v, v_spike) - v_t) / delta_t)
        v += dt_c * drive
        w += dw
        if sigma > 0.0:
            z, state = standard_normal(state)
            v += noise_sd * z
        if v >= v_spike:
            if n < cap:
                out[n] = (k + 1) * dt
            n += 1
            v = v_reset
            w += b
            hold = n_ref
    return n
