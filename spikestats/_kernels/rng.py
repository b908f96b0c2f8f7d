"""A counter-seeded xoshiro256** generator with ziggurat exponentials, for use inside kernels.

Why not the caller's ``np.random.Generator`` directly: its draws go through a
function pointer per variate and it is one sequential stream, so kernels that
use it can neither inline the generator nor run trains in parallel. Here every
train (or neuron) ``i`` gets its own stream, seeded by SplitMix64 from a
64-bit ``key`` (drawn once from the caller's Generator) and ``i``. A train's
spikes therefore depend only on ``(key, i)``: results are identical for any
number of threads and with the JIT on or off.

References: Blackman & Vigna (2021), "Scrambled linear pseudorandom number
generators", ACM TOMS 47(4) (xoshiro256**, SplitMix64); Marsaglia & Tsang
(2000), "The ziggurat method for generating random variables", J. Stat.
Softw. 5(8) (exponential and normal ziggurats, 256 layers).

The state is a tuple of four uint64 passed in and returned, so that Numba
keeps it in registers. With ``NUMBA_DISABLE_JIT=1`` the same code runs on
numpy scalars and gives the same numbers, but numpy warns about the intended
uint64 wrap-around (``RuntimeWarning: overflow encountered``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS

_U = np.uint64
_GOLDEN = _U(0x9E3779B97F4A7C15)
_MIX1 = _U(0xBF58476D1CE4E5B9)
_MIX2 = _U(0x94D049BB133111EB)
_DOUBLE_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def _exponential_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ziggurat tables (k, w, f) for Exp(1) with 256 layers and 53-bit integers (Marsaglia & Tsang 2000)."""
    m = 2.0**53
    de = 7.69711747013104972  # right edge of the base layer
    ve = 3.949659822581572e-3  # area of each layer
    te = de
    ke = np.zeros(256)
    we = np.zeros(256)
    fe = np.zeros(256)
    q = ve / np.exp(-de)
    ke[0] = (de / q) * m
    ke[1] = 0.0
    we[0] = q / m
    we[255] = de / m
    fe[0] = 1.0
    fe[255] = np.exp(-de)
    for i in range(254, 0, -1):
        de = -np.log(ve / de + np.exp(-de))
        ke[i + 1] = (de / te) * m
        te = de
        fe[i] = np.exp(-de)
        we[i] = de / m
    return ke.astype(np.int64), we, fe


def _normal_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ziggurat tables (k, w, f) for N(0, 1) with 256 layers and 52-bit integers (Marsaglia & Tsang 2000)."""
    m = 2.0**52
    dn = 3.6541528853610088  # right edge of the base layer
    vn = 4.92867323399e-3  # area of each layer
    tn = dn
    kn = np.zeros(256)
    wn = np.zeros(256)
    fn = np.zeros(256)
    q = vn / np.exp(-0.5 * dn * dn)
    kn[0] = (dn / q) * m
    kn[1] = 0.0
    wn[0] = q / m
    wn[255] = dn / m
    fn[0] = 1.0
    fn[255] = np.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = np.sqrt(-2.0 * np.log(vn / dn + np.exp(-0.5 * dn * dn)))
        kn[i + 1] = (dn / tn) * m
        tn = dn
        fn[i] = np.exp(-0.5 * dn * dn)
        wn[i] = dn / m
    return kn.astype(np.int64), wn, fn


KE, WE, FE = _exponential_tables()
ZIGGURAT_R = 7.69711747013104972
KN, WN, FN = _normal_tables()
ZIGGURAT_NOR_R = 3.6541528853610088


@njit(**NJIT_FLAGS)
def _rotl(x, k):
    return (x << _U(k)) | (x >> _U(64 - k))


@njit(**NJIT_FLAGS)
def splitmix64(x):
    """One SplitMix64 step: returns ``(new_x, output)``."""
    x = x + _GOLDEN
    z = x
    z = (z ^ (z >> _U(30))) * _MIX1
    z = (z ^ (z >> _U(27))) * _MIX2
    return x, z ^ (z >> _U(31))


@njit(**NJIT_FLAGS)
def seed_stream(key, stream):
    """State of stream ``stream`` (int) under ``key`` (uint64): SplitMix64 from ``key ^ (stream * golden)``."""
    x = _U(key) ^ (_U(stream) * _GOLDEN)
    x, s0 = splitmix64(x)
    x, s1 = splitmix64(x)
    x, s2 = splitmix64(x)
    x, s3 = splitmix64(x)
    return (s0, s1, s2, s3)


@njit(**NJIT_FLAGS)
def next_u64(state):
    """xoshiro256**: returns ``(output, new_state)``."""
    s0, s1, s2, s3 = state
    result = _rotl(s1 * _U(5), 7) * _U(9)
    t = s1 << _U(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    return result, (s0, s1, s2, s3)


@njit(**NJIT_FLAGS)
def next_double(state):
    """Uniform on [0, 1) with 53 random bits: returns ``(u, new_state)``."""
    x, state = next_u64(state)
    return float(x >> _U(11)) * _DOUBLE_UNIT, state


@njit(**NJIT_FLAGS)
def standard_exponential(state):
    """Exp(1) by the 256-layer ziggurat: returns ``(e, new_state)``."""
    while True:
        bits, state = next_u64(state)
        ri = np.int64(bits >> _U(3))  # 61 bits: 8 pick the layer, 53 the position
        idx = ri & 0xFF
        ri >>= 8
        x = float(ri) * WE[idx]
        if ri < KE[idx]:  # inside the layer's rectangle: ~98.9 % of draws
            return x, state
        if idx == 0:  # the tail beyond r is r + Exp(1)
            u, state = next_double(state)
            return ZIGGURAT_R - np.log1p(-u), state
        u, state = next_double(state)
        if (FE[idx - 1] - FE[idx]) * u + FE[idx] < np.exp(-x):
            return x, state


@njit(**NJIT_FLAGS)
def standard_normal(state):
    """N(0, 1) by the 256-layer ziggurat (Marsaglia's tail method beyond r): returns ``(z, new_state)``."""
    while True:
        bits, state = next_u64(state)
        idx = np.int64(bits & _U(0xFF))
        rest = bits >> _U(8)
        negative = (rest & _U(1)) != _U(0)
        rabs = np.int64((rest >> _U(1)) & _U(0x000FFFFFFFFFFFFF))  # 52 bits
        x = float(rabs) * WN[idx]
        if negative:
            x = -x
        if rabs < KN[idx]:  # inside the layer's rectangle: ~99.3 % of draws
            return x, state
        if idx == 0:  # the tail beyond r
            while True:
                u1, state = next_double(state)
                u2, state = next_double(state)
                xx = -np.log1p(-u1) / ZIGGURAT_NOR_R
                yy = -np.log1p(-u2)
                if yy + yy > xx * xx:
                    return (-(ZIGGURAT_NOR_R + xx) if negative else ZIGGURAT_NOR_R + xx), state
        u, state = next_double(state)
        if (FN[idx - 1] - FN[idx]) * u + FN[idx] < np.exp(-0.5 * x * x):
            return x, state
