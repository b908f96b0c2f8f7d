"""Slow, obviously correct pure-Python twins of ``spikestats._kernels.bridge_spinnaker``.

Python ints throughout, with the C types made explicit: ``s32`` wraps a
value to a signed 32-bit pattern, ``sat32`` clamps it, ``u32`` keeps the low
32 bits. The exponential follows ``spinn_common/src/stdfix-exp.c`` literally.
"""

from __future__ import annotations

import math

from reference.naive import Xoshiro256

INT32_MAX = 2**31 - 1
INT32_MIN = -(2**31)
EXP_HI = [9708, 26389, 71733, 194991, 530041, 1440801, 3916503, 10646160, 28939262, 78665070, 213833830,
          581260615, 1580030169, 4294967296, 11674931555, 31735754293, 86266724208, 234497268814, 637429664642,
          1732713474316, 4710003551159, 12803117065094, 34802480465680, 94602950235157, 257157480542844,
          699026506411923]
EXPM1_MID = [0, 260218914, 504671961, 734314346, 950043403, 1152702096, 1343082321, 1521927990, 1689937949,
             1847768698, 1996036966, 2135322113, 2266168400, 2389087112, 2504558555, 2613033936]
EXP_SERIES = [5294, 4293434720, 2081624032]


def u32(x):
    return x & 0xFFFFFFFF


def s32(x):
    x &= 0xFFFFFFFF
    return x - 2**32 if x >= 2**31 else x


def sat32(x):
    return max(INT32_MIN, min(INT32_MAX, x))


def mul_round_nearest(x, y):
    if x == INT32_MIN and y == INT32_MIN:
        return INT32_MAX
    p = x * y
    rounded = ((p >> 15) + ((p >> 14) & 1)) << 15  # __stdfix_round_s64(p, 15)
    return sat32(rounded >> 15)


def decay_s1615(x, d):
    return (x * d) >> 32


def decay_s1615_to_u032(x, d):
    return u32((x * d) >> 15)


def kdivk(a, b):
    return s32((a << 15) // b)


def scale64(x, y):
    lo, hi = x & 0xFFFFFFFF, x >> 32
    p = lo * y
    r = p >> 32
    if (p & 0xFFFFFFFF) >= 0x7FFFFFFF:
        r += 1
    return r + hi * y


def exp_series(x):
    tmp = EXP_SERIES[1] - ((EXP_SERIES[2] * x) >> 32)
    tmp = (tmp * x) >> 32
    return u32(tmp + EXP_SERIES[0])


def expi64(n):
    z = n >> 15
    f = n - (z << 15)
    if f == 0:
        return EXP_HI[13 + z]
    z += 1
    f = 32768 - f
    tmp = EXP_HI[13 + z]
    tmp -= scale64(tmp, EXPM1_MID[f >> 11])
    tmp -= scale64(tmp, exp_series((f & 0x7FF) << 17))
    return tmp


def expk(n):
    if n > 363408:
        return INT32_MAX
    if n < -340695:
        return 0
    return s32(expi64(n) >> 17)


def expulr(n):
    if n > 363408:
        return INT32_MAX
    if n < -340695:
        return 0
    return u32(expi64(n))


def if_curr_exp(p, n_steps, delay, in_tick, in_channel):
    """IF_curr_exp per the C sources; ``p`` holds per-neuron lists (see the kernel's docstring).

    Returns (spikes as (step, neuron) pairs, v at the start of every step, exc and inh after input).
    """
    n = len(p["v0"])
    slots = delay + 1
    ring = [[[0] * n for _ in range(2)] for _ in range(slots)]
    v, syn, timer = list(p["v0"]), [[0] * n for _ in range(2)], [0] * n
    spikes, v_tr, exc_tr, inh_tr = [], [], [], []

    def deliver(slot, s, i, w):
        ring[slot][s][i] = min(0xFFFF, ring[slot][s][i] + w)

    for step in range(n_steps):
        for t, c in zip(in_tick, in_channel):
            if t == step:
                for s in range(2):
                    for i in range(n):
                        if p["w_in"][s][i][c]:
                            deliver((step + delay) % slots, s, i, p["w_in"][s][i][c])
        for i in range(n):
            for s in range(2):
                val = ring[step % slots][s][i]
                syn[s][i] = sat32(syn[s][i] + decay_s1615(sat32(val << p["shifts"][s][i]), p["syn_init"][s][i]))
                ring[step % slots][s][i] = 0
        v_tr.append(list(v))
        exc_tr.append(list(syn[0]))
        inh_tr.append(list(syn[1]))
        for i in range(n):
            if timer[i] <= 0:
                total = sat32(sat32(syn[0][i] - syn[1][i]) + p["i_offset"][i])
                alpha = sat32(mul_round_nearest(total, p["r_mem"][i]) + p["v_rest"][i])
                v[i] = sat32(alpha - mul_round_nearest(p["exp_tc"][i], sat32(alpha - v[i])))
            else:
                timer[i] -= 1
            if v[i] >= p["v_thresh"][i]:
                v[i] = p["v_reset"][i]
                timer[i] = p["t_refract"][i]
                spikes.append((step, i))
                for s in range(2):
                    for j in range(n):
                        if p["w_rec"][s][j][i]:
                            deliver((step + delay) % slots, s, j, p["w_rec"][s][j][i])
            for s in range(2):
                syn[s][i] = decay_s1615(syn[s][i], p["syn_decay"][s][i])
    return spikes, v_tr, exc_tr, inh_tr


def escape_probability_u032(eta):
    """1 - exp(-exp(eta)) in u0.32, per the kernel's documented approximation."""
    if eta < 0:
        mu = expulr(eta)
        if mu < 2**31:
            t = 2**32
            for k in (7, 6, 5, 4, 3, 2):
                t = 2**32 - ((mu * t) >> 32) // k
            return (mu * t) >> 32
        mu_k = (mu + 2**16) >> 17
    else:
        mu_k = expk(eta)
    return 2**32 - expulr(-mu_k)


def escape(bias, trace_decay, weights, n_steps, key, fixed=True):
    """Exponential-escape neurons with exponential-basis traces; ``weights[i][j][k]``. Returns (step, neuron) pairs."""
    n, n_basis = len(bias), len(trace_decay)
    rngs = [Xoshiro256(key, i) for i in range(n)]
    x = [[0 if fixed else 0.0] * n for _ in range(n_basis)]
    spikes = []
    for step in range(n_steps):
        fired = []
        for i in range(n):
            eta = bias[i]
            for j in range(n):
                for k in range(n_basis):
                    if fixed:
                        if weights[i][j][k]:
                            eta = sat32(eta + mul_round_nearest(weights[i][j][k], x[k][j]))
                    else:
                        eta += weights[i][j][k] * x[k][j]
            u = rngs[i].next_u64() >> 32
            spike = u < escape_probability_u032(eta) if fixed else u < -math.expm1(-math.exp(eta)) * 2.0**32
            fired.append(spike)
            if spike:
                spikes.append((step, i))
        for j in range(n):
            for k in range(n_basis):
                if fixed:
                    x[k][j] = decay_s1615(sat32(x[k][j] + (32768 if fired[j] else 0)), trace_decay[k])
                else:
                    x[k][j] = trace_decay[k] * (x[k][j] + (1.0 if fired[j] else 0.0))
    return spikes
