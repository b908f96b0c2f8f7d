"""Leaky integrate-and-fire neurons with exponential excitatory and inhibitory conductances (``iaf_cond_exp``).

Neurons share one list of input spike events (the step each falls in and
the input it comes from, ordered by step) and each applies its own row of
the weight matrix, so memory is O(neurons + input spikes + weights) and no
(neurons x steps) array is ever made. Neuron ``ids[j]`` uses random stream
``ids[j]`` of ``key`` and writes into ``buf[region[j]:region[j + 1]]`` as in
:mod:`spikestats._kernels.neurons`, so threads over neurons give identical
results.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.lif import LIF_PARAMS, lif_step
from spikestats._kernels.neuron_steps import input_at, sample_index
from spikestats._kernels.rng import seed_stream

#: Order of the parameters in the array the kernel takes.
LIF_COND_PARAMS = LIF_PARAMS + ("e_ex", "e_in", "tau_syn_ex", "tau_syn_in")


@njit(**NJIT_FLAGS)
def lif_cond_neuron(key, stream, p, cur, dt, n_steps, ev_step, ev_input, w, out, rec, rec_every):
    """One conductance-based LIF neuron; spike times into ``out``, returns the true count.

    ``p`` holds :data:`LIF_COND_PARAMS`; ``cur`` the injected current (A) per
    step (or one value); ``ev_step``/``ev_input`` the input events ordered by
    step; ``w`` the neuron's weights (S) per input: an event of input ``i``
    at step ``k`` raises ``g_ex`` by ``w[i]`` if positive, ``g_in`` by
    ``-w[i]`` if negative, at the start of step ``k``. Conductances decay
    exactly, ``g <- g exp(-dt / tau_syn)``. Over the step the membrane
    ``C dV/dt = -(V - v_rest) / r_m - g_ex (V - e_ex) - g_in (V - e_in) + I``
    is advanced exactly with each conductance replaced by its exact mean over
    the step (``g tau_syn / dt (1 - exp(-dt / tau_syn))``): relaxation towards
    ``V_inf = (v_rest / r_m + g_ex e_ex + g_in e_in + I) / G`` with time
    constant ``C / G``, ``G = 1 / r_m + g_ex + g_in``, ``C = tau_m / r_m``
    (:func:`spikestats._kernels.lif.lif_step`). The noise ``sigma sqrt(2 /
    tau_m) dW`` then has stationary spread ``sigma sqrt(tau / tau_m)``.
    ``rec[:, j]`` receives ``(V, g_ex, g_in)`` at the start of step ``j *
    rec_every`` (after that step's input events).
    """
    tau_m, v_rest, v_th, v_reset, r_m, t_ref, sigma = p[0], p[1], p[2], p[3], p[4], p[5], p[6]
    e_ex, e_in, tau_ex, tau_in = p[7], p[8], p[9], p[10]
    state = seed_stream(key, stream)
    g_l = 1.0 / r_m
    c_m = tau_m / r_m
    rate_per_siemens = -dt / c_m  # the step's decay is exp(-dt G / C)
    decay_ex = np.exp(-dt / tau_ex)
    decay_in = np.exp(-dt / tau_in)
    mean_ex = tau_ex / dt * (1.0 - decay_ex)
    mean_in = tau_in / dt * (1.0 - decay_in)
    v = v_rest
    g_ex = 0.0
    g_in = 0.0
    refractory = 0.0
    n = 0
    e = 0
    n_events = ev_step.shape[0]
    for k in range(n_steps):
        while e < n_events and ev_step[e] == k:
            weight = w[ev_input[e]]
            if weight > 0.0:
                g_ex += weight
            else:
                g_in -= weight
            e += 1
        j = sample_index(rec, k, rec_every)
        if j >= 0:
            rec[0, j] = v
            rec[1, j] = g_ex
            rec[2, j] = g_in
        gx = g_ex * mean_ex
        gi = g_in * mean_in
        g_total = g_l + gx + gi
        inv_total = 1.0 / g_total
        tau = c_m * inv_total
        v_inf = (g_l * v_rest + gx * e_ex + gi * e_in + input_at(cur, k)) * inv_total
        decay = np.exp(rate_per_siemens * g_total)
        spread = 0.0
        spread_dt = 0.0
        if sigma > 0.0:
            spread = sigma * np.sqrt(tau / tau_m)
            spread_dt = spread * np.sqrt(1.0 - decay * decay)
        v, refractory, n, state = lif_step(v, v_inf, tau, decay, spread, spread_dt, k * dt, dt, v_th, v_reset,
                                           t_ref, refractory, out, n, state)
        g_ex *= decay_ex
        g_in *= decay_in
    return n


@njit(**NJIT_FLAGS)
def _one(key, j, ids, p, current, dt, n_steps, ev_step, ev_input, weights, region, buf, rec, rec_every):
    """Neuron ``ids[j]``: picks its current and weight rows and its output region."""
    i = ids[j]
    cur = current[i] if current.shape[0] > 1 else current[0]
    w = weights[i] if weights.shape[0] > 1 else weights[0]
    return lif_cond_neuron(key, i, p, cur, dt, n_steps, ev_step, ev_input, w, buf[region[j]:region[j + 1]],
                           rec[:, j, :], rec_every)


@njit(**NJIT_FLAGS)
def simulate_lif_cond(key, ids, p, current, dt, n_steps, ev_step, ev_input, weights, region, buf, rec, rec_every):
    """Neurons ``ids`` one after the other; returns their true spike counts.

    ``current`` is ``(1 or n_neurons, 1 or n_steps)`` (A), ``weights``
    ``(1 or n_neurons, n_inputs)`` (S).
    """
    counts = np.empty(ids.shape[0], dtype=np.int64)
    for j in range(ids.shape[0]):
        counts[j] = _one(key, j, ids, p, current, dt, n_steps, ev_step, ev_input, weights, region, buf, rec,
                         rec_every)
    return counts


@njit(**NJIT_PARALLEL_FLAGS)
def simulate_lif_cond_parallel(key, ids, p, current, dt, n_steps, ev_step, ev_input, weights, region, buf, rec,
                               rec_every):
    """Parallel twin of :func:`simulate_lif_cond` (threads over neurons; identical output)."""
    counts = np.empty(ids.shape[0], dtype=np.int64)
    for j in prange(ids.shape[0]):
        counts[j] = _one(key, j, ids, p, current, dt, n_steps, ev_step, ev_input, weights, region, buf, rec,
                         rec_every)
    return counts
