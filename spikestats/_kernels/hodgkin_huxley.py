"""Hodgkin-Huxley (1952) squid-axon neuron, exponential Euler."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS
from spikestats._kernels.neuron_steps import emit, input_at, sample_index

#: Order of the parameters in the array the kernel takes.
HH_PARAMS = ("c_m", "g_na", "g_k", "g_l", "e_na", "e_k", "e_l", "area", "v_detect", "v_init")


@njit(**NJIT_FLAGS)
def exprel(x):
    """``x / (1 - exp(-x))``, equal to 1 at 0 (the removable singularity of the HH rates)."""
    if abs(x) < 1e-6:
        return 1.0 + 0.5 * x
    return x / -np.expm1(-x)


@njit(**NJIT_FLAGS)
def hh_rates(v):
    """Opening and closing rates (1/s) of m, h, n at membrane potential ``v`` (V).

    The 1952 rates with the resting potential at -65 mV (as in Dayan & Abbott
    2001, ch. 5; NEURON's ``hh`` at 6.3 degC), written in mV and ms and
    returned in 1/s.
    """
    vm = v * 1e3
    alpha_m = exprel(0.1 * (vm + 40.0))
    beta_m = 4.0 * np.exp(-(vm + 65.0) / 18.0)
    alpha_h = 0.07 * np.exp(-0.05 * (vm + 65.0))
    beta_h = 1.0 / (1.0 + np.exp(-0.1 * (vm + 35.0)))
    alpha_n = 0.1 * exprel(0.1 * (vm + 55.0))
    beta_n = 0.125 * np.exp(-0.0125 * (vm + 65.0))
    return (alpha_m * 1e3, beta_m * 1e3, alpha_h * 1e3, beta_h * 1e3, alpha_n * 1e3, beta_n * 1e3)


@njit(**NJIT_FLAGS)
def _gate(x, alpha, beta, dt):
    """Exact update of a gate over ``dt`` with its rates frozen."""
    total = alpha + beta
    x_inf = alpha / total
    return x_inf + (x - x_inf) * np.exp(-dt * total)


@njit(**NJIT_FLAGS)
def hh_neuron(key, stream, p, cur, dt, n_steps, out, rec, rec_every):
    """One Hodgkin-Huxley neuron for ``n_steps`` steps of ``dt``; spike times into ``out``, returns the count.

    ``p`` holds :data:`HH_PARAMS` (specific capacitance in F/m^2,
    conductances in S/m^2, potentials in V, area in m^2). Exponential Euler:
    each gate, then ``V``, is advanced exactly over the step with the other
    variables frozen at their values at the start of the step. A spike is an
    upward crossing of ``v_detect``, timed by linear interpolation within the
    step. The gates start at their steady state at ``v_init``. ``rec[0..3, j]``
    receive ``V, m, h, n`` at the start of step ``j * rec_every``.
    ``key`` and ``stream`` are unused (the model is deterministic).
    """
    c_m, g_na, g_k, g_l, e_na, e_k, e_l = p[0], p[1], p[2], p[3], p[4], p[5], p[6]
    inv_area, v_detect, v = 1.0 / p[7], p[8], p[9]
    am, bm, ah, bh, an, bn = hh_rates(v)
    m = am / (am + bm)
    h = ah / (ah + bh)
    ng = an / (an + bn)
    n = 0
    for k in range(n_steps):
        j = sample_index(rec, k, rec_every)
        if j >= 0:
            rec[0, j] = v
            rec[1, j] = m
            rec[2, j] = h
            rec[3, j] = ng
        am, bm, ah, bh, an, bn = hh_rates(v)
        m = _gate(m, am, bm, dt)
        h = _gate(h, ah, bh, dt)
        ng = _gate(ng, an, bn, dt)
        gna = g_na * m * m * m * h
        n2 = ng * ng
        gk = g_k * n2 * n2
        g_total = gna + gk + g_l
        v_inf = (gna * e_na + gk * e_k + g_l * e_l + input_at(cur, k) * inv_area) / g_total
        v_new = v_inf + (v - v_inf) * np.exp(-dt * g_total / c_m)
        if v < v_detect <= v_new:
            n = emit(out, n, k * dt + dt * (v_detect - v) / (v_new - v))
        v = v_new
    return n
