"""Slow, obviously correct pure-Python twins of the Numba kernels.

Each function mirrors one kernel in ``spikestats._kernels`` and is written for
clarity, not speed. Tests compare them: integers exactly, floats to ~1e-12.
"""

from __future__ import annotations

import math

import numpy as np


def bin_edges(t0: float, width: float, n: int) -> np.ndarray:
    return t0 + np.arange(n + 1, dtype=np.float64) * width


def bin_index(t, t0, width, n):
    """The documented rule, literally: floor(x + tol) with the right end closed."""
    x = (t - t0) / width
    tol = 1e-9 + 8.0 * np.finfo(float).eps * abs(x)
    k = math.floor(x + tol)
    if k == n and x <= n + tol:
        return n - 1
    return k if 0 <= k < n else -1


def bin_counts(times, offsets, t0, width, n_bins):
    out = np.zeros((len(offsets) - 1, n_bins), dtype=np.int64)
    for i in range(len(offsets) - 1):
        for t in times[offsets[i]:offsets[i + 1]]:
            k = bin_index(t, t0, width, n_bins)
            if k >= 0:
                out[i, k] += 1
    return out


def raster_to_spikes(counts, t0, width):
    trains = []
    for row in counts:
        trains.append([t0 + float(k) * width for k, c in enumerate(row) for _ in range(int(c))])
    offsets = np.cumsum([0] + [len(t) for t in trains]).astype(np.int64)
    return np.array([t for tr in trains for t in tr], dtype=np.float64), offsets


def window_count_moments(times, offsets, t0, width, n_windows):
    total = np.zeros(len(offsets) - 1)
    total_sq = np.zeros(len(offsets) - 1)
    for i in range(len(offsets) - 1):
        c = bin_counts(times[offsets[i]:offsets[i + 1]], np.array([0, offsets[i + 1] - offsets[i]]),
                       t0[i], width, n_windows[i])[0]
        total[i] = c.sum()
        total_sq[i] = (c.astype(float) ** 2).sum()
    return total, total_sq


def isi_moments(times, offsets):
    n_trains = len(offsets) - 1
    n = np.zeros(n_trains, dtype=np.int64)
    mean = np.full(n_trains, np.nan)
    m2 = np.zeros(n_trains)
    for i in range(n_trains):
        d = np.diff(times[offsets[i]:offsets[i + 1]])
        if d.size:
            n[i] = d.size
            mean[i] = d.mean()
            m2[i] = ((d - d.mean()) ** 2).sum()
    return n, mean, m2


_M64 = (1 << 64) - 1


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & _M64


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & _M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return x, z ^ (z >> 31)


class Xoshiro256:
    """xoshiro256** with SplitMix64 seeding, on Python ints (Blackman & Vigna)."""

    def __init__(self, key, stream):
        x = (int(key) ^ (int(stream) * 0x9E3779B97F4A7C15)) & _M64
        self.s = []
        for _ in range(4):
            x, out = splitmix64(x)
            self.s.append(out)

    def next_u64(self):
        s = self.s
        result = (_rotl((s[1] * 5) & _M64, 7) * 9) & _M64
        t = (s[1] << 17) & _M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return result

    def next_double(self):
        return (self.next_u64() >> 11) * 2.0**-53

    def standard_exponential(self):
        from spikestats._kernels.rng import FE, KE, WE, ZIGGURAT_R

        while True:
            ri = self.next_u64() >> 3
            idx = ri & 0xFF
            ri >>= 8
            x = ri * WE[idx]
            if ri < KE[idx]:
                return x
            if idx == 0:
                return ZIGGURAT_R - math.log1p(-self.next_double())
            if (FE[idx - 1] - FE[idx]) * self.next_double() + FE[idx] < math.exp(-x):
                return x


    def standard_normal(self):
        from spikestats._kernels.rng import FN, KN, WN, ZIGGURAT_NOR_R

        while True:
            bits = self.next_u64()
            idx = bits & 0xFF
            rest = bits >> 8
            negative = rest & 1
            rabs = (rest >> 1) & 0x000FFFFFFFFFFFFF
            x = -rabs * WN[idx] if negative else rabs * WN[idx]
            if rabs < KN[idx]:
                return x
            if idx == 0:
                while True:
                    xx = -math.log1p(-self.next_double()) / ZIGGURAT_NOR_R
                    yy = -math.log1p(-self.next_double())
                    if yy + yy > xx * xx:
                        return -(ZIGGURAT_NOR_R + xx) if negative else ZIGGURAT_NOR_R + xx
            if (FN[idx - 1] - FN[idx]) * self.next_double() + FN[idx] < math.exp(-0.5 * x * x):
                return x


def poisson_trains(key, rate, dead_time, t_start, t_stop):
    """Renewal process ISI = dead_time + Exp(lam), equilibrium start; train i from stream i of ``key``."""
    trains = []
    for i, (a, b) in enumerate(zip(t_start, t_stop)):
        spikes = []
        if rate > 0:
            g = Xoshiro256(key, i)
            scale = (1.0 - rate * dead_time) / rate
            if dead_time > 0:
                u = g.next_double()
                if u < rate * dead_time:
                    t = a + dead_time * (u / (rate * dead_time))
                else:
                    t = a + dead_time + g.standard_exponential() * scale
            else:
                t = a + g.standard_exponential() * scale
            while t < b:
                spikes.append(t)
                t += dead_time + g.standard_exponential() * scale
        trains.append(spikes)
    offsets = np.cumsum([0] + [len(t) for t in trains]).astype(np.int64)
    return np.array([t for tr in trains for t in tr], dtype=np.float64), offsets


def train_count_moments(offsets, t_start, t_stop, rtol):
    """Shifted count sums and the number of windows whose length differs from the first, from Python lists."""
    counts = [int(b - a) for a, b in zip(offsets[:-1], offsets[1:])]
    if not counts:
        return 0, 0, 0, 0, 0
    d = [c - counts[0] for c in counts]
    durations = [float(b - a) for a, b in zip(t_start, t_stop)]
    n_off = sum(abs(x - durations[0]) > rtol * abs(durations[0]) for x in durations)
    return len(counts), counts[0], sum(d), sum(x * x for x in d), n_off
