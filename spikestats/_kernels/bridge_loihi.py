"""Integer-exact Loihi CUBA LIF + Dense steps (Lava 0.10's PyLifModelBitAcc / PyDenseModelBitAcc), and the
float64 Euler twin of the same update order used as the reference "float" backend."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS

UV_MAX = 1 << 23  # u and v are 24-bit signed
DECAY_SHIFT = 12
ACT_SHIFT = 6


@njit(**NJIT_FLAGS)
def _decay(x, factor):
    """``sign(x * factor) * (|x * factor| >> 12)``: Lava's decay, truncating toward zero."""
    p = x * factor
    if p < 0:
        return -((-p) >> DECAY_SHIFT)
    return p >> DECAY_SHIFT


@njit(**NJIT_FLAGS)
def _shift(acc, e):
    """Dense's ``weight_exp``: a left shift for ``e > 0``, an arithmetic (floor) right shift otherwise."""
    if e > 0:
        return acc << e
    return acc >> (-e)


@njit(**NJIT_FLAGS)
def loihi_run(du, dv, vth, bias, w_rec, g_rec, w_in, g_in, exps, ev_step, ev_chan, n_steps, record,
              u_out, v_out, spikes, counts):
    """Run ``n_steps`` Lava steps from ``u = v = 0``; returns nothing, fills the outputs.

    Parameters (int64 unless said)
    ------------------------------
    du, dv, vth, bias : (n,)
        Lava's ``du``, ``dv``, ``vth`` and the effective bias ``bias_mant << bias_exp``.
    w_rec, g_rec : (n, n)
        Recurrent weights ``W[post, pre]`` (already truncated as Dense does) and the index
        into ``exps`` of each synapse's ``weight_exp`` group.
    w_in, g_in : (n, n_in)
        The same for input channels.
    exps : (n_groups,)
        Distinct ``weight_exp`` values; synapses of one group onto one neuron are summed, then shifted.
    ev_step, ev_chan : (n_events,)
        Input spikes sorted by step: channel ``ev_chan[i]`` spikes in step ``ev_step[i]`` (0-based).
    record : bool
        Whether to fill ``u_out`` and ``v_out`` (n_steps, n).
    spikes : (n_steps, n) uint8
        Output raster.
    counts : (2,)
        Filled with the number of 24-bit wraps of ``u`` and saturations of ``v``.

    Notes
    -----
    Step ``k`` (Lava time step ``k + 1``): ``a_in`` is the Dense output of the spikes of step
    ``k - 1`` (Dense delivers one step late); ``u <- decay(u, 4096 - (du + 1)) + (a_in << 6)``,
    wrapped to 24 bits; ``v <- decay(v, 4096 - dv) + u + bias`` saturated to ``+-(2**23 - 1)``;
    spike if ``v > vth << 6``; ``v <- 0`` on a spike; ``u`` is not reset.
    """
    n = du.shape[0]
    n_groups = exps.shape[0]
    u = np.zeros(n, dtype=np.int64)
    v = np.zeros(n, dtype=np.int64)
    acc = np.zeros((n, n_groups), dtype=np.int64)
    prev = np.zeros(n, dtype=np.uint8)
    fac_u = 4096 - (du + 1)
    fac_v = 4096 - dv
    vth_eff = vth << ACT_SHIFT
    vmax = UV_MAX - 1
    wraps = 0
    sats = 0
    ev = 0
    n_ev = ev_step.shape[0]
    for k in range(n_steps):
        acc[:, :] = 0
        if k > 0:
            for j in range(n):
                if prev[j]:
                    for i in range(n):
                        acc[i, g_rec[i, j]] += w_rec[i, j]
        while ev < n_ev and ev_step[ev] < k - 1:
            ev += 1
        while ev < n_ev and ev_step[ev] == k - 1:
            c = ev_chan[ev]
            for i in range(n):
                acc[i, g_in[i, c]] += w_in[i, c]
            ev += 1
        for i in range(n):
            a_in = 0
            for g in range(n_groups):
                if acc[i, g] != 0:
                    a_in += _shift(acc[i, g], exps[g])
            cur = _decay(u[i], fac_u[i]) + (a_in << ACT_SHIFT)
            if cur > UV_MAX:
                cur -= 2 * UV_MAX
                wraps += 1
            elif cur <= -UV_MAX:
                cur += 2 * UV_MAX
                wraps += 1
            u[i] = cur
            volt = _decay(v[i], fac_v[i]) + cur + bias[i]
            if volt > vmax:
                volt = vmax
                sats += 1
            elif volt < -vmax:
                volt = -vmax
                sats += 1
            if volt > vth_eff[i]:
                spikes[k, i] = 1
                volt = 0
            prev[i] = spikes[k, i]
            v[i] = volt
            if record:
                u_out[k, i] = cur
                v_out[k, i] = volt
    counts[0] = wraps
    counts[1] = sats


@njit(**NJIT_FLAGS)
def euler_run(syn_decay, mem_decay, weight_gain, mem_drive, theta, refractory, w_rec, w_in, ev_step, ev_chan,
              n_steps, record, u_out, v_out, spikes):
    """The float64 twin of :func:`loihi_run` (same update order and one-step delay), in volts relative to reset.

    ``u <- syn_decay u + weight_gain (W s_{k-1} + W_in x_{k-1})``; ``v <- mem_decay v + u + mem_drive``
    (``v`` held at 0 while refractory); spike if ``v > theta``; then ``v <- 0`` and the neuron is held for
    ``refractory`` steps. Starts from ``u = v = 0``.
    """
    n = syn_decay.shape[0]
    u = np.zeros(n)
    v = np.zeros(n)
    a = np.zeros(n)
    hold = np.zeros(n, dtype=np.int64)
    prev = np.zeros(n, dtype=np.uint8)
    ev = 0
    n_ev = ev_step.shape[0]
    for k in range(n_steps):
        a[:] = 0.0
        if k > 0:
            for j in range(n):
                if prev[j]:
                    for i in range(n):
                        a[i] += w_rec[i, j]
        while ev < n_ev and ev_step[ev] < k - 1:
            ev += 1
        while ev < n_ev and ev_step[ev] == k - 1:
            c = ev_chan[ev]
            for i in range(n):
                a[i] += w_in[i, c]
            ev += 1
        for i in range(n):
            u[i] = syn_decay[i] * u[i] + weight_gain[i] * a[i]
            if hold[i] > 0:
                hold[i] -= 1
                v[i] = 0.0
            else:
                v[i] = mem_decay[i] * v[i] + u[i] + mem_drive[i]
                if v[i] > theta[i]:
                    spikes[k, i] = 1
                    v[i] = 0.0
                    hold[i] = refractory[i]
            prev[i] = spikes[k, i]
            if record:
                u_out[k, i] = u[i]
                v_out[k, i] = v[i]
