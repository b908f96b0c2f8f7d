"""s16.15 fixed-point arithmetic of SpiNNaker's neuron cores and the two reference simulators built on it.

Integers in, integers out. An s16.15 (``accum``) value is carried as an
int64 holding its 32-bit pattern (value = bits / 2**15); a u0.32
(``unsigned long fract``) as an int64 in ``[0, 2**32)`` (value = bits /
2**32). The primitives follow the C sources the board runs (sPyNNaker 7.x
``neural_modelling`` and ``spinn_common``), rule for rule:

* ``mul_round_nearest`` -- ``MULT_ROUND_NEAREST_ACCUM`` of two accums
  (``__stdfix_smul_k_round_nearest``): 64-bit product, round half up at
  bit 15 (``__stdfix_round_s64``), saturate to int32 (``__stdfix_sat_k``).
* ``decay_s1615`` / ``decay_s1615_to_u032`` -- ``decay.h``: product with a
  u0.32 factor, arithmetic shift right by 32 (resp. 15), no rounding.
* ``kdivk`` / ``kdivui`` -- ``maths-util.h``: unsigned 64-bit division,
  truncated.
* ``expk`` / ``expulr`` -- ``stdfix-exp.c``: table of ``exp(z)`` in 32.32
  for whole ``z``, a 16-entry table of ``1 - exp(-m/16)`` and a quadratic
  series for the last 11 bits, combined with ``scale64`` (``utils.h``,
  whose rounding adds one when the low word is ``>= 0x7FFFFFFF``);
  saturating outside ``[-340695, 363408]`` (about ``[-10.40, 11.09]``).
* Plain ``accum`` addition wraps on the board (GCC without ``_Sat``); here
  ``add_checked`` saturates instead and the kernels count every such event
  so that the public wrapper can warn: a reference must never wrap silently.

Ring-buffer entries are 16-bit and saturate at ``0xFFFF`` as in
``synapses.c``; saturations are counted too.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS
from spikestats._kernels.rng import next_u64, seed_stream

_U = np.uint64
INT32_MAX = 2147483647
INT32_MIN = -2147483648
ONE_S1615 = 32768
ONE_U032 = 4294967296  # 2**32, one past the largest u0.32 value
#: ``stdfix-exp.c``: exp(z) in 32.32 for z = -13 .. 12 (entry 13 is 1.0)
EXP_HI = np.array([9708, 26389, 71733, 194991, 530041, 1440801, 3916503, 10646160, 28939262, 78665070,
                   213833830, 581260615, 1580030169, 4294967296, 11674931555, 31735754293, 86266724208,
                   234497268814, 637429664642, 1732713474316, 4710003551159, 12803117065094, 34802480465680,
                   94602950235157, 257157480542844, 699026506411923], dtype=np.uint64)
#: ``stdfix-exp.c``: 1 - exp(-m / 16) in u0.32 for m = 0 .. 15
EXPM1_MID = np.array([0, 260218914, 504671961, 734314346, 950043403, 1152702096, 1343082321, 1521927990,
                      1689937949, 1847768698, 1996036966, 2135322113, 2266168400, 2389087112, 2504558555,
                      2613033936], dtype=np.uint64)
#: ``stdfix-exp.c``: coefficients of the series for 1 - exp(-x / 2**15), x < 2**11
EXP_SERIES = np.array([5294, 4293434720, 2081624032], dtype=np.uint64)
EXP_ARG_MAX = 363408
EXP_ARG_MIN = -340695


@njit(**NJIT_FLAGS)
def saturate_int32(x):
    """Clamp an int64 to the int32 range; returns ``(value, saturated)``."""
    if x > INT32_MAX:
        return INT32_MAX, True
    if x < INT32_MIN:
        return INT32_MIN, True
    return x, False


@njit(**NJIT_FLAGS)
def add_checked(a, b):
    """``a + b`` of two accums: the sum, saturated where the board's plain addition would wrap; ``(value, flag)``."""
    return saturate_int32(np.int64(a) + np.int64(b))


@njit(**NJIT_FLAGS)
def mul_round_nearest(x, y):
    """``MULT_ROUND_NEAREST_ACCUM`` of two accums (round half up, saturating)."""
    x = np.int64(x)
    y = np.int64(y)
    if x == INT32_MIN and y == INT32_MIN:
        return np.int64(INT32_MAX)
    p = x * y
    r = (p >> 15) + ((p >> 14) & 1)
    if r > INT32_MAX:
        return np.int64(INT32_MAX)
    if r < INT32_MIN:
        return np.int64(INT32_MIN)
    return r


@njit(**NJIT_FLAGS)
def decay_s1615(x, decay):
    """``decay.h`` ``decay_s1615``: ``(x * decay) >> 32`` with ``decay`` a u0.32 factor."""
    return (np.int64(x) * np.int64(decay)) >> 32


@njit(**NJIT_FLAGS)
def decay_s1615_to_u032(x, decay):
    """``decay.h`` ``decay_s1615_to_u032``: ``(x * decay) >> 15`` truncated to 32 bits (``x >= 0``)."""
    return np.int64((_U(x) * _U(decay)) >> _U(15)) & 0xFFFFFFFF


@njit(**NJIT_FLAGS)
def kdivk(a, b):
    """``maths-util.h`` ``kdivk`` for ``a >= 0, b > 0``: ``(a << 15) / b`` truncated, as a 32-bit pattern."""
    q = (np.int64(a) << 15) // np.int64(b)
    q &= 0xFFFFFFFF
    return q - (np.int64(1) << 32) if q >= (np.int64(1) << 31) else q


@njit(**NJIT_FLAGS)
def kdivui(a, b):
    """``maths-util.h`` ``kdivui``: an accum divided by an unsigned integer, truncated (``a >= 0``)."""
    return np.int64(a) // np.int64(b)


@njit(**NJIT_FLAGS)
def _scale64(x, y):
    """``utils.h`` ``scale64``: ``x * y / 2**32`` with ``y`` a u0.32 fraction, rounding the low product."""
    lo = x & _U(0xFFFFFFFF)
    hi = x >> _U(32)
    p = lo * y
    r = p >> _U(32)
    if (p & _U(0xFFFFFFFF)) >= _U(0x7FFFFFFF):
        r += _U(1)
    return r + hi * y


@njit(**NJIT_FLAGS)
def _coef_mult(c, x):
    return (c * x) >> _U(32)


@njit(**NJIT_FLAGS)
def _exp_series(x):
    tmp = EXP_SERIES[1] - _coef_mult(EXP_SERIES[2], x)
    tmp = _coef_mult(tmp, x)
    return (tmp + EXP_SERIES[0]) & _U(0xFFFFFFFF)


@njit(**NJIT_FLAGS)
def expi64(n):
    """``stdfix-exp.c`` ``__expi64``: exp(n / 2**15) in 32.32 (uint64) for n in the unsaturated range."""
    n = np.int64(n)
    z = n >> 15
    f = n - (z << 15)
    if f > 0:
        z += 1
        f = 32768 - f
        tmp = EXP_HI[13 + z]
        tmp -= _scale64(tmp, EXPM1_MID[f >> 11])
        y = _U((f & 0x7FF) << 17)
        tmp -= _scale64(tmp, _exp_series(y))
    else:
        tmp = EXP_HI[13 + z]
    return tmp


@njit(**NJIT_FLAGS)
def _exp_saturation(n):
    """``stdfix-exp.c``'s out-of-range results: INT32_MAX above, 0 below, -1 when ``n`` is in range."""
    if n > EXP_ARG_MAX:
        return np.int64(INT32_MAX)
    if n < EXP_ARG_MIN:
        return np.int64(0)
    return np.int64(-1)


@njit(**NJIT_FLAGS)
def expk(n):
    """``stdfix-exp.c`` ``expk``: exp of an accum, as an accum (saturating)."""
    sat = _exp_saturation(n)
    return sat if sat >= 0 else np.int64(expi64(n) >> _U(17))


@njit(**NJIT_FLAGS)
def expulr(n):
    """``stdfix-exp.c`` ``expulr``: exp of an accum as a u0.32 (the low 32 bits of the 32.32 result)."""
    sat = _exp_saturation(n)
    return sat if sat >= 0 else np.int64(expi64(n) & _U(0xFFFFFFFF))


# --------------------------------------------------------------------------------------------------
# IF_curr_exp


@njit(**NJIT_FLAGS)
def if_curr_exp_run(n_steps, delay, v0, v_rest, r_mem, exp_tc, i_offset, v_reset, t_refract, v_thresh,
                    syn_decay, syn_init, shifts, rec_ptr, rec_post, rec_type, rec_w, in_ptr, in_post, in_type,
                    in_w, in_tick, in_channel, record_v, record_syn, spike_step, spike_neuron, v_out, exc_out,
                    inh_out):
    """Run ``n_steps`` steps of sPyNNaker's IF_curr_exp (neuron_impl_standard + exponential synapses).

    Per step ``n`` and neuron ``i`` (the order of the board's timer tick):
    ring-buffer slot ``n`` of each synapse type ``s`` becomes an input
    ``slot << shifts[s, i]`` added to the synaptic value through ``syn_init``;
    the membrane is recorded, then updated by the closed form
    ``alpha = I * R + V_rest; V = alpha - exp_tc * (alpha - V)`` unless
    refractory (then the timer counts down); ``V >= v_thresh`` spikes, resets
    ``V`` and sets the timer to ``t_refract``; the synaptic values decay by
    ``syn_decay``. A spike in step ``n`` adds its 16-bit weights to slot
    ``n + delay`` of its targets (saturating at 0xFFFF). Input spike ``k``
    arrives on channel ``in_channel[k]`` at tick ``in_tick[k]`` (sorted).

    Arrays: per-neuron int64 s16.15 patterns (``v0`` .. ``v_thresh``),
    ``t_refract`` in steps; ``syn_decay``/``syn_init`` (2, n) u0.32;
    ``shifts`` (2, n); the 16-bit weights by source in CSR form: the synapses
    of neuron ``i`` are ``rec_ptr[i]:rec_ptr[i + 1]`` of ``rec_post``,
    ``rec_type``, ``rec_w`` (of channel ``c``: ``in_ptr``, ``in_post``, ...),
    each source's list ordered by (type, post). Spikes go to ``spike_step``/``spike_neuron``
    (only the first ``len`` are written). Returns ``(n_spikes,
    n_accum_saturations, n_ring_saturations)``.
    """
    n = v0.shape[0]
    n_slots = delay + 1
    ring = np.zeros((n_slots, 2, n), dtype=np.int64)
    v = v0.copy()
    syn = np.zeros((2, n), dtype=np.int64)
    timer = np.zeros(n, dtype=np.int64)
    cap = spike_step.shape[0]
    n_spk = 0
    n_sat = 0
    n_ring_sat = 0
    k_in = 0
    n_in_spikes = in_tick.shape[0]
    for step in range(n_steps):
        # input spikes emitted at this tick land `delay` ticks later
        while k_in < n_in_spikes and in_tick[k_in] == step:
            c = in_channel[k_in]
            slot = (step + delay) % n_slots
            for q in range(in_ptr[c], in_ptr[c + 1]):
                acc = ring[slot, in_type[q], in_post[q]] + in_w[q]
                if acc > 0xFFFF:
                    acc = 0xFFFF
                    n_ring_sat += 1
                ring[slot, in_type[q], in_post[q]] = acc
            k_in += 1
        slot_now = step % n_slots
        for i in range(n):
            for s in range(2):
                val = ring[slot_now, s, i]
                if val != 0:
                    inp, sat = saturate_int32(val << shifts[s, i])
                    n_sat += sat
                    syn[s, i], sat = add_checked(syn[s, i], decay_s1615(inp, syn_init[s, i]))
                    n_sat += sat
                    ring[slot_now, s, i] = 0
        for i in range(n):
            if record_v:
                v_out[step, i] = v[i]
            if record_syn:
                exc_out[step, i] = syn[0, i]
                inh_out[step, i] = syn[1, i]
            if timer[i] <= 0:
                total, sat1 = add_checked(syn[0, i], -syn[1, i])
                total, sat2 = add_checked(total, i_offset[i])
                alpha, sat3 = add_checked(mul_round_nearest(total, r_mem[i]), v_rest[i])
                diff, sat4 = add_checked(alpha, -v[i])
                v[i], sat5 = add_checked(alpha, -mul_round_nearest(exp_tc[i], diff))
                n_sat += sat1 + sat2 + sat3 + sat4 + sat5
            else:
                timer[i] -= 1
            if v[i] >= v_thresh[i]:
                v[i] = v_reset[i]
                timer[i] = t_refract[i]
                if n_spk < cap:
                    spike_step[n_spk] = step
                    spike_neuron[n_spk] = i
                n_spk += 1
                slot = (step + delay) % n_slots
                for q in range(rec_ptr[i], rec_ptr[i + 1]):
                    acc = ring[slot, rec_type[q], rec_post[q]] + rec_w[q]
                    if acc > 0xFFFF:
                        acc = 0xFFFF
                        n_ring_sat += 1
                    ring[slot, rec_type[q], rec_post[q]] = acc
            for s in range(2):
                syn[s, i] = decay_s1615(syn[s, i], syn_decay[s, i])
    return n_spk, n_sat, n_ring_sat


# --------------------------------------------------------------------------------------------------
# exponential-escape (GLM) neuron


@njit(**NJIT_FLAGS)
def escape_probability_u032(eta):
    """Spike probability ``1 - exp(-exp(eta))`` per step as u0.32 (in ``[0, 2**32]``) from an s16.15 ``eta``.

    ``eta`` is the log of the expected number of spikes per step. For
    ``eta < 0``, ``mu = expulr(eta)`` (u0.32); if ``mu < 1/2`` the
    probability is the series ``mu (1 - mu/2 (1 - mu/3 (... (1 - mu/7))))``
    in u0.32 (truncation error < mu**8 / 8! < 1e-7), otherwise and for
    ``eta >= 0`` it is ``1 - expulr(-mu)`` with ``mu`` rounded to s16.15
    (``mu = expk(eta)`` when ``eta >= 0``; absolute error about 2**-15).
    """
    if eta < 0:
        mu = expulr(eta)
        if mu < (ONE_U032 >> 1):
            t = np.int64(ONE_U032)
            for k in range(7, 1, -1):
                t = ONE_U032 - ((mu * t) >> 32) // k
            return (mu * t) >> 32
        mu_k = (mu + (1 << 16)) >> 17
    else:
        mu_k = expk(eta)
    return ONE_U032 - expulr(-mu_k)


@njit(**NJIT_FLAGS)
def escape_run(key, n_steps, fixed, bias_q, decay_q, weights_q, bias_f, decay_f, weights_f, spike_step,
               spike_neuron, record, eta_q, p_q, eta_f, p_f):
    """Exponential-escape neurons with exponential-basis history and coupling currents, in s16.15 or float64.

    Per step ``n``: ``eta_i = bias_i + sum_{j,k} weights[i, j, k] * x[k, j]``;
    spike iff the neuron's next 32-bit uniform ``u`` is below the spike
    probability; then every trace ``x[k, j] = decay[k] * (x[k, j] + spike_j)``.
    ``bias`` already holds ``log(rate) + log(dt)``. Neuron ``i`` draws from
    stream ``i`` of ``key``, so both arithmetics see the same uniforms.

    ``fixed=True`` uses ``bias_q`` (s16.15), ``decay_q`` (u0.32) and
    ``weights_q`` (s16.15): products rounded to nearest, sums saturating
    (counted), ``u < escape_probability_u032(eta)``, traces decayed by
    ``decay_s1615``; records go to ``eta_q``/``p_q``. ``fixed=False`` uses the
    float64 arrays: ``p = -expm1(-exp(eta))``, ``u < p * 2**32``; records go to
    ``eta_f``/``p_f``. Returns ``(n_spikes, n_saturations)``.
    """
    n = bias_q.shape[0] if fixed else bias_f.shape[0]
    n_basis = decay_q.shape[0] if fixed else decay_f.shape[0]
    states = [seed_stream(key, i) for i in range(n)]
    x_q = np.zeros((n_basis, n if fixed else 0), dtype=np.int64)
    x_f = np.zeros((n_basis, 0 if fixed else n))
    spiked = np.zeros(n, dtype=np.bool_)
    cap = spike_step.shape[0]
    n_spk = 0
    n_sat = 0
    for step in range(n_steps):
        for i in range(n):
            bits, states[i] = next_u64(states[i])
            u = np.int64(bits >> _U(32))
            if fixed:
                eta = bias_q[i]
                for j in range(n):
                    for k in range(n_basis):
                        w = weights_q[i, j, k]
                        if w != 0:
                            eta, sat = add_checked(eta, mul_round_nearest(w, x_q[k, j]))
                            n_sat += sat
                p = escape_probability_u032(eta)
                spiked[i] = u < p
                if record:
                    eta_q[step, i] = eta
                    p_q[step, i] = p
            else:
                eta_x = bias_f[i]
                for j in range(n):
                    for k in range(n_basis):
                        eta_x += weights_f[i, j, k] * x_f[k, j]
                p_x = -np.expm1(-np.exp(eta_x))
                spiked[i] = float(u) < p_x * 4294967296.0
                if record:
                    eta_f[step, i] = eta_x
                    p_f[step, i] = p_x
            if spiked[i]:
                if n_spk < cap:
                    spike_step[n_spk] = step
                    spike_neuron[n_spk] = i
                n_spk += 1
        for j in range(n):
            for k in range(n_basis):
                if fixed:
                    xv = x_q[k, j]
                    if spiked[j]:
                        xv, sat = add_checked(xv, ONE_S1615)
                        n_sat += sat
                    x_q[k, j] = decay_s1615(xv, decay_q[k])
                else:
                    x_f[k, j] = decay_f[k] * (x_f[k, j] + (1.0 if spiked[j] else 0.0))
    return n_spk, n_sat
