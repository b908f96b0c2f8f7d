"""Slow, obviously correct twins of the bridge kernels (spikestats/_kernels/bridge_loihi.py, van_rossum.py).

``loihi_naive`` follows lava-nc 0.10's PyLifModelBitAcc / PyDenseModelBitAcc line by line with numpy
arrays (one Dense per distinct weight exponent, summed at the LIF's a_in as Lava's InPort does).
"""

from __future__ import annotations

import math

import numpy as np


def loihi_naive(du, dv, vth, bias_mant, bias_exp, w, w_exp, w_in, w_in_exp, input_raster, n_steps,
                split_signs=False):
    """u, v, spikes (n_steps, n) of Lava's fixed-point LIF + Dense; ``input_raster`` is (n_steps, n_in) 0/1.

    One Dense per distinct exponent (and per sign with ``split_signs``), each shifting its own sum.
    """
    n = len(du)
    u = np.zeros(n, np.int64)
    v = np.zeros(n, np.int64)
    max_uv = 2 ** 23
    signs = (np.greater, np.less) if split_signs else (lambda x, _: np.ones(x.shape, bool),)
    dense = [(w * (w_exp == e) * sign(w, 0), e, "rec") for e in np.unique(w_exp) for sign in signs]
    dense += [(w_in * (w_in_exp == e) * sign(w_in, 0), e, "in") for e in np.unique(w_in_exp) for sign in signs]
    buffers = [np.zeros(n, np.int64) for _ in dense]  # Dense a_buff: computed at t - 1, sent at t
    s_prev = np.zeros(n, bool)
    U, V, S = (np.zeros((n_steps, n), np.int64) for _ in range(3))
    bias = np.where(bias_exp >= 0, np.left_shift(bias_mant, bias_exp), np.right_shift(bias_mant, -bias_exp))
    for t in range(n_steps):
        a_in = sum(buffers) if buffers else np.zeros(n, np.int64)
        # LIF run_spk
        decayed = u * (4096 - (du + 1))
        decayed = np.sign(decayed) * np.right_shift(np.abs(decayed), 12)
        decayed = decayed + np.left_shift(a_in, 6)
        wrapped = np.where(decayed > max_uv, decayed - 2 * max_uv, decayed)
        wrapped = np.where(wrapped <= -max_uv, decayed + 2 * max_uv, wrapped)
        u = wrapped
        dec_v = v * (4096 - dv)
        dec_v = np.sign(dec_v) * np.right_shift(np.abs(dec_v), 12)
        v = np.clip(dec_v + u + bias, -max_uv + 1, max_uv - 1)
        s = v > np.left_shift(vth, 6)
        v[s] = 0
        U[t], V[t], S[t] = u, v, s
        # Dense run_spk: this step's spikes, delivered next step
        for i, (wd, e, kind) in enumerate(dense):
            active = s if kind == "rec" else input_raster[t].astype(bool)
            acc = wd[:, active].sum(axis=1).astype(np.int64)
            buffers[i] = np.left_shift(acc, e) if e > 0 else np.right_shift(acc, -e)
        s_prev = s
    del s_prev
    return U, V, S


def euler_naive(syn_decay, mem_decay, weight_gain, mem_drive, theta, refractory, w, w_in, input_raster, n_steps):
    """u, v, spikes of the float Euler twin, written as plain Python loops."""
    n = len(syn_decay)
    u = [0.0] * n
    v = [0.0] * n
    hold = [0] * n
    prev = [0] * n
    U, V, S = np.zeros((n_steps, n)), np.zeros((n_steps, n)), np.zeros((n_steps, n), np.uint8)
    for k in range(n_steps):
        a = [0.0] * n
        for i in range(n):
            if k > 0:
                for j in range(n):
                    if prev[j]:
                        a[i] += w[i][j]
                for c in range(input_raster.shape[1]):
                    if input_raster[k - 1, c]:
                        a[i] += w_in[i][c]
        for i in range(n):
            u[i] = syn_decay[i] * u[i] + weight_gain[i] * a[i]
            if hold[i] > 0:
                hold[i] -= 1
                v[i] = 0.0
            else:
                v[i] = mem_decay[i] * v[i] + u[i] + mem_drive[i]
                if v[i] > theta[i]:
                    S[k, i] = 1
                    v[i] = 0.0
                    hold[i] = refractory[i]
            U[k, i], V[k, i] = u[i], v[i]
        prev = list(S[k])
    return U, V, S


def van_rossum_naive(x, y, tau):
    """van Rossum distance by the double sums: sqrt(sum_xx + sum_yy - 2 sum_xy) / sqrt(2) with exp(-|d|/tau)."""
    def k(a, b):
        return sum(math.exp(-abs(p - q) / tau) for p in a for q in b)
    d2 = k(x, x) + k(y, y) - 2.0 * k(x, y)
    return math.sqrt(max(d2, 0.0) / 2.0)


def matched_naive(a, b, tol):
    """Largest one-to-one matching of ``a`` and ``b`` with ``|a_i - b_j| <= tol``, by an assignment solver."""
    from scipy.optimize import linear_sum_assignment

    if len(a) == 0 or len(b) == 0:
        return 0
    allowed = np.abs(np.subtract.outer(np.asarray(a, float), np.asarray(b, float))) <= tol
    rows, cols = linear_sum_assignment(-allowed.astype(float))
    return int(allowed[rows, cols].sum())
