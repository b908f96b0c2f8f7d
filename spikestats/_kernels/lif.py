"""Leaky integrate-and-fire neuron (current-based): exact integration between input changes."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS
from spikestats._kernels.rng import seed_stream, standard_normal

#: Order of the parameters in the array the kernel takes.
LIF_PARAMS = ("tau_m", "v_rest", "v_th", "v_reset", "r_m", "t_ref", "sigma")


@njit(**NJIT_FLAGS)
def lif_neuron(key, stream, p, cur, dt, n_steps, out, rec, rec_every):
    """One LIF neuron for ``n_steps`` steps of ``dt``; spike times into ``out``, returns the true count.

    ``p`` holds :data:`LIF_PARAMS`; ``cur`` is the input current (A), one
    value per step or a single value for all steps. Between spikes the
    membrane follows ``dV = (V_inf - V) / tau_m dt + sigma sqrt(2 / tau_m) dW``
    with ``V_inf = v_rest + r_m I``; over a piece of length ``h`` with constant
    ``I`` the update ``V_inf + (V - V_inf) e^{-h/tau_m} + sigma sqrt(1 -
    e^{-2h/tau_m}) Z`` is exact (in distribution with noise). A spike is
    emitted where ``V`` reaches ``v_th``: at the exact crossing time without
    noise, by linear interpolation within the piece with noise; ``V`` is then
    held at ``v_reset`` for ``t_ref`` and integration resumes at the end of
    the refractory period, inside the step if it ends there. ``rec[0, j]``
    receives ``V`` at the start of step ``j * rec_every``.
    """
    tau_m = p[0]
    v_rest = p[1]
    v_th = p[2]
    v_reset = p[3]
    r_m = p[4]
    t_ref = p[5]
    sigma = p[6]
    state = seed_stream(key, stream)
    decay = np.exp(-dt / tau_m)
    noise_sd = sigma * np.sqrt(1.0 - decay * decay)
    cap = out.shape[0]
    n_rec = rec.shape[1]
    varying = cur.shape[0] > 1
    current = cur[0]
    v = v_rest
    refractory = 0.0
    n = 0
    for k in range(n_steps):
        if n_rec > 0 and k % rec_every == 0:
            rec[0, k // rec_every] = v
        if varying:
            current = cur[k]
        v_inf = v_rest + r_m * current
        remaining = dt
        while remaining > 0.0:
            if refractory >= remaining:
                refractory -= remaining
                break
            if refractory > 0.0:
                remaining -= refractory
                refractory = 0.0
            if remaining == dt:
                d = decay
                sd = noise_sd
            else:
                d = np.exp(-remaining / tau_m)
                sd = sigma * np.sqrt(1.0 - d * d)
            v_new = v_inf + (v - v_inf) * d
            if sigma > 0.0:
                z, state = standard_normal(state)
                v_new += sd * z
            if v_new < v_th:
                v = v_new
                break
            if sigma > 0.0:
                s = remaining * (v_th - v) / (v_new - v)
            else:
                s = min(tau_m * np.log((v - v_inf) / (v_th - v_inf)), remaining)
            if n < cap:
                out[n] = k * dt + (dt - remaining) + s
            n += 1
            v = v_reset
            refractory = t_ref
            remaining -= s
    return n
