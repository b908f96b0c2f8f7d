"""Slow, obviously correct pure-Python twins of the generator kernels (variates, point processes, Hawkes, GLM).

Each mirrors one kernel and draws from the same per-train streams
(:class:`reference.naive.Xoshiro256`), so tests can compare outputs exactly.
"""

from __future__ import annotations

import math

import numpy as np

from reference.naive import Xoshiro256


# ------------------------------------------------------------------ variates
def standard_gamma(g: Xoshiro256, shape: float) -> float:
    """Sum of exponentials for whole shapes <= 6, else Marsaglia & Tsang (2000) (U**(1/a) boost for shape < 1)."""
    if shape <= 6 and shape == int(shape):
        return sum(g.standard_exponential() for _ in range(int(shape)))
    boost = 1.0
    a = shape
    if shape < 1.0:
        boost = (1.0 - g.next_double()) ** (1.0 / shape)
        a = shape + 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = g.standard_normal()
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v ** 3
        u = g.next_double()
        if u < 1.0 - 0.0331 * x ** 4:
            return boost * d * v
        if math.log(u) < 0.5 * x * x + d * (1.0 - v + math.log(v)):
            return boost * d * v


def inverse_gaussian(g: Xoshiro256, mean: float, shape: float) -> float:
    """Michael, Schucany & Haas (1976): the smaller root, or mean**2 / root."""
    y = g.standard_normal() ** 2
    a = mean * y / (2.0 * shape)
    x = mean / (1.0 + a + math.sqrt(a * (2.0 + a)))
    return x if g.next_double() * (mean + x) <= mean else mean * mean / x


def lognormal(g: Xoshiro256, mu: float, sigma: float) -> float:
    return math.exp(mu + sigma * g.standard_normal())


def poisson_count(g: Xoshiro256, mean: float) -> int:
    """Number of unit-rate arrivals before ``mean``."""
    if mean <= 0.0:
        return 0
    k, s = 0, g.standard_exponential()
    while s < mean:
        k += 1
        s += g.standard_exponential()
    return k


# ------------------------------------------------------------------ point processes
def renewal_interval(g, family, p1, p2):
    if family == 0:
        return standard_gamma(g, p1) * p2
    if family == 1:
        return inverse_gaussian(g, p1, p2)
    return lognormal(g, p1, p2)


def length_biased_interval(g, family, p1, p2):
    if family == 0:
        return standard_gamma(g, p1 + 1.0) * p2
    if family == 1:
        return 1.0 / inverse_gaussian(g, 1.0 / p1, p2 / (p1 * p1))
    return lognormal(g, p1 + p2 * p2, p2)


def _flatten(trains):
    offsets = np.cumsum([0] + [len(t) for t in trains]).astype(np.int64)
    return np.array([t for tr in trains for t in tr], dtype=np.float64), offsets


def renewal_trains(key, family, p1, p2, equilibrium, t_start, t_stop):
    trains = []
    for i, (a, b) in enumerate(zip(t_start, t_stop)):
        g = Xoshiro256(key, i)
        if equilibrium:
            x = length_biased_interval(g, family, p1, p2)
            t = a + g.next_double() * x
        else:
            t = a + renewal_interval(g, family, p1, p2)
        spikes = []
        while t < b:
            spikes.append(t)
            t += renewal_interval(g, family, p1, p2)
        trains.append(spikes)
    return _flatten(trains)


def _segment(edges, t):
    """Index k with edges[k] <= t < edges[k + 1]."""
    k = 0
    while edges[k + 1] <= t:
        k += 1
    return k


def inhomogeneous_train_thinning(g, edges, rates, dead_time):
    bound = max(max(rates), 0.0)
    spikes = []
    if bound <= 0:
        return spikes
    t = edges[0]
    while True:
        t += g.standard_exponential() / bound
        if t >= edges[-1]:
            return spikes
        if g.next_double() * bound < rates[_segment(edges, t)]:
            spikes.append(t)
            t += dead_time


def inhomogeneous_train_rescaling(g, edges, rates, dead_time):
    """Time rescaling: t = Lambda^-1(s) for the running sum s of unit exponentials (Lambda by cumulative sums)."""
    cumulative = [0.0] + list(np.cumsum(np.asarray(rates) * np.diff(edges)))
    spikes = []
    s = 0.0
    while True:
        s += g.standard_exponential()
        if s >= cumulative[-1]:
            return spikes
        k = max(j for j in range(len(rates)) if cumulative[j] <= s)
        t = edges[k] + (s - cumulative[k]) / rates[k]
        if t >= edges[-1]:
            return spikes
        spikes.append(t)
        if dead_time > 0:
            t += dead_time
            if t >= edges[-1]:
                return spikes
            k = _segment(edges, t)
            s = cumulative[k] + rates[k] * (t - edges[k])


def inhomogeneous_trains(key, edges, rates, dead_time, method, n_trains):
    draw = inhomogeneous_train_rescaling if method == 0 else inhomogeneous_train_thinning
    rows = np.atleast_2d(rates)
    return _flatten([draw(Xoshiro256(key, i), list(edges), list(rows[0 if len(rows) == 1 else i]), dead_time)
                     for i in range(n_trains)])


def bernoulli_steps_trains(key, p, t0, dt, n_steps):
    trains = []
    for i, pi in enumerate(p):
        spikes = []
        if pi > 0:
            g = Xoshiro256(key, i)
            k = -1
            while True:
                u = g.next_double()
                gap = math.floor(math.log1p(-u) / math.log1p(-pi)) if pi < 1 else 0
                if k + 1 + gap >= n_steps:
                    break
                k += 1 + gap
                spikes.append(t0 + k * dt)
        trains.append(spikes)
    return _flatten(trains)


# ------------------------------------------------------------------ Hawkes
def hawkes_realization(key, stream, mu, alpha, beta, t0, t1):
    """Ogata thinning, recomputing every intensity from the full event list (no recursion)."""
    g = Xoshiro256(key, stream)
    d, n_exp = len(mu), len(beta)
    events: list[tuple[float, int]] = []

    def intensity(i, t):
        return mu[i] + sum(alpha[i][j][k] * beta[k] * math.exp(-beta[k] * (t - s))
                           for s, j in events for k in range(n_exp))

    t = t0
    bound = sum(mu)
    while bound > 0:
        t += g.standard_exponential() / bound
        if t >= t1:
            break
        lam = [intensity(i, t) for i in range(d)]
        v = g.next_double() * bound
        bound = sum(lam)
        if v < bound:
            cum = np.cumsum(lam)
            unit = int(np.searchsorted(cum, v, side="right"))
            events.append((t, min(unit, d - 1)))
            bound += sum(alpha[i][unit][k] * beta[k] for i in range(d) for k in range(n_exp))
    return events


# ------------------------------------------------------------------ GLM
def glm_mean(eta, link, family, dt):
    if link == 1:  # logit
        return 1.0 / (1.0 + math.exp(-eta))
    rate = math.exp(eta) if link == 0 else math.log1p(math.exp(eta))
    return rate * dt if family == 0 else -math.expm1(-rate * dt)


def glm_realization(key, stream, baseline, drive, filters, link, family, t0, dt, n_bins):
    """The predictor summed directly over past counts; events (time, unit) in kernel order."""
    g = Xoshiro256(key, stream)
    n_units, n_lags = filters.shape[0], filters.shape[2]
    y = np.zeros((n_units, n_bins), dtype=np.int64)
    events = []
    for b in range(n_bins):
        for i in range(n_units):
            eta = baseline[i] + (drive[i, b] if drive.shape[1] else 0.0)
            eta += sum(filters[i, j, lag] * y[j, b - 1 - lag] for j in range(n_units) for lag in range(n_lags)
                       if b - 1 - lag >= 0)
            mean = glm_mean(eta, link, family, dt)
            c = poisson_count(g, mean) if family == 0 else int(g.next_double() < mean)
            y[i, b] = c
            events += [(t0 + (b + 0.5) * dt, i)] * c
    return events


# ------------------------------------------------------------------ driver of the kernel samplers (for tests)
def _make_draw_variates():
    from numba import njit

    from spikestats._kernels.rng import seed_stream
    from spikestats._kernels.variates import inverse_gaussian, lognormal, poisson_count, standard_gamma

    @njit(cache=False)
    def draw_variates(key, n, kind, a, b):
        """``n`` draws from stream 0 of ``key``: 0 gamma(a), 1 IG(a, b), 2 lognormal(a, b), 3 Poisson(a)."""
        state = seed_stream(key, 0)
        out = np.empty(n)
        for i in range(n):
            if kind == 0:
                out[i], state = standard_gamma(state, a)
            elif kind == 1:
                out[i], state = inverse_gaussian(state, a, b)
            elif kind == 2:
                out[i], state = lognormal(state, a, b)
            else:
                k, state = poisson_count(state, a)
                out[i] = k
        return out

    return draw_variates


draw_variates = _make_draw_variates()
