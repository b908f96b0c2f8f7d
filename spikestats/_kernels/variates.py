"""Gamma, inverse-Gaussian, log-normal and Poisson variates on the per-train xoshiro streams.

Each sampler takes the stream state (see :mod:`spikestats._kernels.rng`) and
returns ``(value, new_state)``, so kernels stay reproducible for any number of
threads and with the JIT off.

References: Marsaglia & Tsang (2000), "A simple method for generating gamma
variables", ACM TOMS 26(3) (shape >= 1, and the ``U**(1/a)`` boost for
shape < 1); Michael, Schucany & Haas (1976), "Generating random variates using
transformations with multiple roots", Am. Stat. 30(2) (inverse Gaussian).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS
from spikestats._kernels.rng import next_double, standard_exponential, standard_normal


#: whole gamma shapes up to this are drawn as sums of exponentials
ERLANG_MAX = 6.0


@njit(**NJIT_FLAGS)
def standard_gamma(state, shape):
    """Gamma(shape, 1) for ``shape > 0``: returns ``(x, new_state)``.

    Whole shapes up to ``ERLANG_MAX`` are drawn as sums of ``shape`` ziggurat
    exponentials (exact, and faster than rejection there); other shapes by
    Marsaglia & Tsang.
    """
    if shape <= ERLANG_MAX and shape == np.floor(shape):
        total = 0.0
        for _ in range(int(shape)):
            e, state = standard_exponential(state)
            total += e
        return total, state
    boost = 1.0
    a = shape
    if shape < 1.0:
        u, state = next_double(state)
        boost = (1.0 - u) ** (1.0 / shape)  # 1 - u in (0, 1]: never 0 ** (1 / shape) for u = 0
        a = shape + 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / np.sqrt(9.0 * d)
    while True:
        x, state = standard_normal(state)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u, state = next_double(state)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return boost * d * v, state
        if np.log(u) < 0.5 * x2 + d * (1.0 - v + np.log(v)):
            return boost * d * v, state


@njit(**NJIT_FLAGS)
def inverse_gaussian(state, mean, shape):
    """Inverse Gaussian with the given mean and shape (lambda): returns ``(x, new_state)``.

    Michael, Schucany & Haas: with ``y = Z**2`` and ``a = mean * y / (2 shape)``
    the smaller root is ``mean / (1 + a + sqrt(a * (2 + a)))`` (the same as
    their formula, written without cancellation); it is kept with probability
    ``mean / (mean + x)``, otherwise ``mean**2 / x`` is returned.
    """
    z, state = standard_normal(state)
    a = mean * z * z / (2.0 * shape)
    x = mean / (1.0 + a + np.sqrt(a * (2.0 + a)))
    u, state = next_double(state)
    if u * (mean + x) <= mean:
        return x, state
    return mean * mean / x, state


@njit(**NJIT_FLAGS)
def lognormal(state, mu, sigma):
    """``exp(mu + sigma * Z)``: returns ``(x, new_state)``."""
    z, state = standard_normal(state)
    return np.exp(mu + sigma * z), state


@njit(**NJIT_FLAGS)
def poisson_count(state, mean):
    """Poisson(mean) as the number of Exp(1) arrivals before ``mean``: returns ``(k, new_state)``.

    Exact for any mean; costs ``mean + 1`` exponentials, which suits the
    per-bin means (well below 1) of binned models.
    """
    k = 0
    if mean <= 0.0:
        return k, state
    e, state = standard_exponential(state)
    s = e
    while s < mean:
        k += 1
        e, state = standard_exponential(state)
        s += e
    return k, state
