"""The in-kernel generator: xoshiro256** bit-exact against a Python transliteration, ziggurat exponentials in law."""

from __future__ import annotations

import numpy as np
from _tolerances import ks_tol
from numba import njit
from reference import naive
from scipy import stats as sps

from spikestats._kernels.rng import next_double, next_u64, seed_stream, standard_exponential, standard_normal


@njit(cache=False)
def _draw(key, stream, n, kind):
    state = seed_stream(key, stream)
    out = np.empty(n)
    raw = np.empty(n, dtype=np.uint64)
    for i in range(n):
        if kind == 0:
            raw[i], state = next_u64(state)
        elif kind == 1:
            out[i], state = next_double(state)
        elif kind == 2:
            out[i], state = standard_exponential(state)
        else:
            out[i], state = standard_normal(state)
    return raw, out


def test_xoshiro_matches_python_reference():
    raw, _ = _draw(np.uint64(12345), 7, 50, 0)
    g = naive.Xoshiro256(12345, 7)
    assert [int(x) for x in raw] == [g.next_u64() for _ in range(50)]


def test_streams_differ_and_repeat():
    a = _draw(np.uint64(1), 0, 10, 0)[0]
    assert np.array_equal(a, _draw(np.uint64(1), 0, 10, 0)[0])
    assert not np.array_equal(a, _draw(np.uint64(1), 1, 10, 0)[0])
    assert not np.array_equal(a, _draw(np.uint64(2), 0, 10, 0)[0])


def test_exponentials_match_python_reference():
    _, out = _draw(np.uint64(99), 3, 20000, 2)  # enough draws to take the rare wedge and tail branches
    g = naive.Xoshiro256(99, 3)
    np.testing.assert_array_equal(out, [g.standard_exponential() for _ in range(20000)])


def test_uniform_and_exponential_laws():
    n = 400_000
    u = _draw(np.uint64(5), 0, n, 1)[1]
    e = _draw(np.uint64(6), 0, n, 2)[1]
    assert u.min() >= 0.0 and u.max() < 1.0
    assert sps.kstest(u, "uniform").statistic < ks_tol(n)
    assert sps.kstest(e, "expon").statistic < ks_tol(n)
    # the tail beyond the base layer (r ~ 7.7) has probability exp(-r) ~ 4.5e-4: SE sqrt(p / n)
    p = np.exp(-7.69711747013104972)
    assert abs(np.mean(e > 7.69711747013104972) - p) < 5 * np.sqrt(p / n)
    # mean and variance of Exp(1) are 1 and 1: SE of the mean 1/sqrt(n), of the variance sqrt(8/n)
    assert abs(e.mean() - 1.0) < 5 / np.sqrt(n)
    assert abs(e.var() - 1.0) < 5 * np.sqrt(8.0 / n)


def test_normals_match_python_reference():
    _, out = _draw(np.uint64(77), 2, 20000, 3)
    g = naive.Xoshiro256(77, 2)
    np.testing.assert_array_equal(out, [g.standard_normal() for _ in range(20000)])


def test_normal_law():
    n = 400_000
    z = _draw(np.uint64(8), 0, n, 3)[1]
    assert sps.kstest(z, "norm").statistic < ks_tol(n)
    # moments of N(0, 1): SE of the mean 1/sqrt(n), of the variance sqrt(2/n), of the 4th moment sqrt(96/n)
    assert abs(z.mean()) < 5 / np.sqrt(n)
    assert abs(z.var() - 1.0) < 5 * np.sqrt(2.0 / n)
    assert abs(np.mean(z**4) - 3.0) < 5 * np.sqrt(96.0 / n)
    # the tail beyond the base layer r ~ 3.654: P(|z| > r) = 2 (1 - Phi(r)), a binomial proportion
    p = 2 * sps.norm.sf(3.6541528853610088)
    assert abs(np.mean(np.abs(z) > 3.6541528853610088) - p) < 5 * np.sqrt(p / n)
