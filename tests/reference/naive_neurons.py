"""Slow, obviously correct pure-Python twins of the neuron kernels (``spikestats._kernels.{lif,adex,...}``).

Each takes a dict of SI parameters, the current per step (a list, one value
per step), ``dt``, the stream ``(key, stream)`` and returns the spike times
and the state at the start of every step (one list per variable).
"""

from __future__ import annotations

import math

from reference.naive import Xoshiro256


def lif(p, current, dt, key=0, stream=0):
    """Exact exponential relaxation towards v_rest + r_m I; exact (or interpolated, with noise) crossings."""
    rng = Xoshiro256(key, stream)
    v, refractory, spikes, trace = p["v_rest"], 0.0, [], []
    for k, i in enumerate(current):
        trace.append(v)
        target = p["v_rest"] + p["r_m"] * i
        elapsed = 0.0  # time already spent in this step
        while elapsed < dt:
            free_from = elapsed + refractory
            if free_from >= dt:
                refractory -= dt - elapsed
                break
            refractory = 0.0
            h = dt - free_from
            decay = math.exp(-h / p["tau_m"])
            v_end = target + (v - target) * decay
            if p["sigma"] > 0:
                v_end += p["sigma"] * math.sqrt(1.0 - decay**2) * rng.standard_normal()
            if v_end < p["v_th"]:
                v = v_end
                break
            if p["sigma"] > 0:
                s = h * (p["v_th"] - v) / (v_end - v)
            else:
                s = min(p["tau_m"] * math.log((v - target) / (p["v_th"] - target)), h)
            spikes.append(k * dt + free_from + s)
            v, refractory, elapsed = p["v_reset"], p["t_ref"], free_from + s
    return spikes, [trace]


def adex(p, current, dt, key=0, stream=0):
    """Forward Euler on (V, w) with the exponential evaluated at min(V, v_spike); V held for t_ref."""
    rng = Xoshiro256(key, stream)
    v, w, hold, spikes, vs, ws = p["e_l"], 0.0, 0, [], [], []
    n_ref = round(p["t_ref"] / dt)
    for k, i in enumerate(current):
        vs.append(v)
        ws.append(w)
        dw = dt / p["tau_w"] * (p["a"] * (v - p["e_l"]) - w)
        if hold > 0:
            hold -= 1
            w += dw
            continue
        spike_current = p["g_l"] * p["delta_t"] * math.exp((min(v, p["v_spike"]) - p["v_t"]) / p["delta_t"]) \
            if p["delta_t"] > 0 else 0.0
        v += dt / p["c_m"] * (-p["g_l"] * (v - p["e_l"]) - w + i + spike_current)
        w += dw
        if p["sigma"] > 0:
            v += p["sigma"] * math.sqrt(2.0 * dt * p["g_l"] / p["c_m"]) * rng.standard_normal()
        if v >= p["v_spike"]:
            spikes.append((k + 1) * dt)
            v, w, hold = p["v_reset"], w + p["b"], n_ref
    return spikes, [vs, ws]


def izhikevich(p, current, dt, key=0, stream=0):
    """The 2003 model in mV and ms, stepped by forward Euler, converted back to SI."""
    v, u = p["v_init"] * 1e3, p["b"] * p["v_init"]  # mV; u in mV/ms (= V/s)
    a, b, c, d, peak = p["a"] * 1e-3, p["b"] * 1e-3, p["c"] * 1e3, p["d"], p["v_peak"] * 1e3
    h = dt * 1e3
    spikes, vs, us = [], [], []
    for k, i in enumerate(current):
        vs.append(v * 1e-3)
        us.append(u)
        dv = 0.04 * v * v + 5.0 * v + 140.0 - u + i / p["c_m"]  # A / F = V/s = mV/ms
        u += h * a * (b * v - u)
        v += h * dv
        if v >= peak:
            spikes.append((k + 1) * dt)
            v, u = c, u + d
    return spikes, [vs, us]


def _rates(v_mv):
    def exprel(x):
        return 1.0 if x == 0 else x / (1.0 - math.exp(-x))
    return {"m": (exprel(0.1 * (v_mv + 40.0)), 4.0 * math.exp(-(v_mv + 65.0) / 18.0)),
            "h": (0.07 * math.exp(-0.05 * (v_mv + 65.0)), 1.0 / (1.0 + math.exp(-0.1 * (v_mv + 35.0)))),
            "n": (0.1 * exprel(0.1 * (v_mv + 55.0)), 0.125 * math.exp(-0.0125 * (v_mv + 65.0)))}


def hodgkin_huxley(p, current, dt, key=0, stream=0):
    """Exponential Euler in mV and ms: gates, then V, each exact over the step with the rest frozen."""
    v = p["v_init"] * 1e3
    gates = {x: a / (a + b) for x, (a, b) in _rates(v).items()}
    h = dt * 1e3
    c = p["c_m"] * 1e2  # F/m^2 -> uF/cm^2
    g = {name: p[name] * 0.1 for name in ("g_na", "g_k", "g_l")}  # S/m^2 -> mS/cm^2
    spikes, trace = [], [[], [], [], []]
    for k, i in enumerate(current):
        for row, value in zip(trace, (v * 1e-3, gates["m"], gates["h"], gates["n"])):
            row.append(value)
        for x, (a, b) in _rates(v).items():
            inf = a / (a + b)
            gates[x] = inf + (gates[x] - inf) * math.exp(-h * (a + b))
        gna = g["g_na"] * gates["m"] ** 3 * gates["h"]
        gk = g["g_k"] * gates["n"] ** 4
        total = gna + gk + g["g_l"]
        density = i / p["area"] * 100.0  # A/m^2 -> uA/cm^2
        target = (gna * p["e_na"] * 1e3 + gk * p["e_k"] * 1e3 + g["g_l"] * p["e_l"] * 1e3 + density) / total
        v_new = target + (v - target) * math.exp(-h * total / c)
        vd = p["v_detect"] * 1e3
        if v < vd <= v_new:
            spikes.append(k * dt + dt * (vd - v) / (v_new - v))
        v = v_new
    return spikes, trace


def lif_cond(p, current, dt, events, weights, key=0, stream=0):
    """LIF with exponential conductances (``iaf_cond_exp``), one step at a time.

    ``events`` is a list of ``(step, input)``; an event raises ``g_ex`` by
    ``weights[input]`` if positive, ``g_in`` by ``-weights[input]`` if
    negative, at the start of its step. Over the step the conductances are
    replaced by their exact step means and the membrane relaxes exactly
    towards the resulting ``V_inf`` with time constant ``C / G``; crossings
    as in :func:`lif`. Returns the spikes and the traces ``[v, g_ex, g_in]``
    at the start of every step (after its events).
    """
    rng = Xoshiro256(key, stream)
    g_l, c_m = 1.0 / p["r_m"], p["tau_m"] / p["r_m"]
    v, g_ex, g_in, refractory, spikes = p["v_rest"], 0.0, 0.0, 0.0, []
    vs, gxs, gis = [], [], []
    for k, i in enumerate(current):
        for step, source in events:
            if step == k:
                if weights[source] > 0:
                    g_ex += weights[source]
                else:
                    g_in -= weights[source]
        vs.append(v)
        gxs.append(g_ex)
        gis.append(g_in)
        mean_ex = g_ex * p["tau_syn_ex"] / dt * (1.0 - math.exp(-dt / p["tau_syn_ex"]))
        mean_in = g_in * p["tau_syn_in"] / dt * (1.0 - math.exp(-dt / p["tau_syn_in"]))
        total = g_l + mean_ex + mean_in
        tau = c_m / total
        target = (g_l * p["v_rest"] + mean_ex * p["e_ex"] + mean_in * p["e_in"] + i) / total
        step_decay = math.exp(-dt * total / c_m)
        spread = p["sigma"] * math.sqrt(tau / p["tau_m"])
        elapsed = 0.0
        while elapsed < dt:
            free_from = elapsed + refractory
            if free_from >= dt:
                refractory -= dt - elapsed
                break
            refractory = 0.0
            h = dt - free_from
            decay = step_decay if free_from == 0.0 else math.exp(-h / tau)
            v_end = target + (v - target) * decay
            if spread > 0:
                v_end += spread * math.sqrt(1.0 - decay**2) * rng.standard_normal()
            if v_end < p["v_th"]:
                v = v_end
                break
            if spread > 0:
                s = h * (p["v_th"] - v) / (v_end - v)
            else:
                s = min(tau * math.log((v - target) / (p["v_th"] - target)), h)
            spikes.append(k * dt + free_from + s)
            v, refractory, elapsed = p["v_reset"], p["t_ref"], free_from + s
        g_ex *= math.exp(-dt / p["tau_syn_ex"])
        g_in *= math.exp(-dt / p["tau_syn_in"])
    return spikes, [vs, gxs, gis]
