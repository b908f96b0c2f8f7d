"""Leaky integrate-and-fire neuron (current-based): exact integration between input changes."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS
from spikestats._kernels.neuron_steps import emit, input_at, sample_index
from spikestats._kernels.rng import seed_stream, standard_normal

#: Order of the parameters in the array the kernel takes.
LIF_PARAMS = ("tau_m", "v_rest", "v_th", "v_reset", "r_m", "t_ref", "sigma")


@njit(**NJIT_FLAGS)
def lif_step(v, v_inf, tau, decay, spread, spread_dt, t0, dt, v_th, v_reset, t_ref, refractory, out, n, state):
    """Advance one LIF membrane over the step ``[t0, t0 + dt)``; returns ``(v, refractory, n, state)``.

    Over the step ``V`` relaxes towards ``v_inf`` with time constant ``tau``
    (``decay = exp(-dt / tau)``); ``spread`` is the stationary standard
    deviation of the noise around ``v_inf`` (0 without noise), so a piece of
    length ``h`` adds ``spread sqrt(1 - exp(-2h / tau)) Z`` (``spread_dt`` for a whole
    step, precomputed by the caller). Threshold
    crossings are emitted into ``out`` (the ``n``-th spike onwards): exactly
    timed without noise, linearly interpolated with noise; ``V`` is then held
    at ``v_reset`` for ``t_ref``, which may end inside the step.
    """
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
            sd = spread_dt
        else:
            d = np.exp(-remaining / tau)
            sd = spread * np.sqrt(1.0 - d * d)
        v_new = v_inf + (v - v_inf) * d
        if spread > 0.0:
            z, state = standard_normal(state)
            v_new += sd * z
        if v_new < v_th:
            v = v_new
            break
        if spread > 0.0:
            s = remaining * (v_th - v) / (v_new - v)
        else:
            s = min(tau * np.log((v - v_inf) / (v_th - v_inf)), remaining)
        n = emit(out, n, t0 + (dt - remaining) + s)
        v = v_reset
        refractory = t_ref
        remaining -= s
    return v, refractory, n, state


@njit(**NJIT_FLAGS)
def lif_neuron(key, stream, p, cur, dt, n_steps, out, rec, rec_every):
    """One LIF neuron for ``n_steps`` steps of ``dt``; spike times into ``out``, returns the true count.

    ``p`` holds :data:`LIF_PARAMS`; ``cur`` is the input current (A), one
    value per step or a single value for all steps. Between spikes the
    membrane follows ``dV = (V_inf - V) / tau_m dt + sigma sqrt(2 / tau_m) dW``
    with ``V_inf = v_rest + r_m I``; over a piece of length ``h`` with constant
    ``I`` the update ``V_inf + (V - V_inf) e^{-h/tau_m} + sigma sqrt(1 -
    e^{-2h/tau_m}) Z`` is exact (in distribution with noise); see
    :func:`lif_step`. ``rec[0, j]`` receives ``V`` at the start of step
    ``j * rec_every``.
    """
    tau_m, v_rest, v_th, v_reset, r_m, t_ref, sigma = p[0], p[1], p[2], p[3], p[4], p[5], p[6]
    state = seed_stream(key, stream)
    decay = np.exp(-dt / tau_m)
    noise_sd = sigma * np.sqrt(1.0 - decay * decay)
    v = v_rest
    refractory = 0.0
    n = 0
    for k in range(n_steps):
        j = sample_index(rec, k, rec_every)
        if j >= 0:
            rec[0, j] = v
        v_inf = v_rest + r_m * input_at(cur, k)
        v, refractory, n, state = lif_step(v, v_inf, tau_m, decay, sigma, noise_sd, k * dt, dt, v_th, v_reset, t_ref,
                                           refractory, out, n, state)
    return n
