"""Point-process generators against their theory, with ~5-standard-error tolerances (formulas in _tolerances.py).

Each check is a function of the seed: the default run uses one fixed seed, the
``slow`` sweep 20 more.
"""

from __future__ import annotations

import numpy as np
import pytest
from _tolerances import (
    binomial_tol,
    central_moments,
    cv_tol,
    hawkes_rates_tol,
    ks_tol,
    poisson_count_mean_tol,
    renewal_rate_tol,
    sample_mean_tol,
)
from reference import naive_generators as ng
from scipy import stats as sps

import spikestats as ss

G = ss.generators
SEEDS = [20261121]
SWEEP = list(range(20))


# ------------------------------------------------------------------ variates
VARIATES = [
    (0, 3.0, 0.0, sps.gamma(3.0)),  # a sum of three exponentials
    (0, 2.5, 0.0, sps.gamma(2.5)),  # Marsaglia & Tsang
    (0, 7.0, 0.0, sps.gamma(7.0)),
    (0, 0.3, 0.0, sps.gamma(0.3)),
    (0, 1.0, 0.0, sps.expon()),
    (1, 0.05, 0.02, sps.invgauss(0.05 / 0.02, scale=0.02)),
    (1, 1.0, 50.0, sps.invgauss(1.0 / 50.0, scale=50.0)),
    (2, -3.0, 0.8, sps.lognorm(0.8, scale=np.exp(-3.0))),
]


def _check_variates(seed: int) -> None:
    n = 200_000
    for kind, a, b, law in VARIATES:
        x = ng.draw_variates(np.uint64(seed), n, kind, a, b)
        assert sps.kstest(x, law.cdf).statistic < ks_tol(n), (kind, a, b)
    k = ng.draw_variates(np.uint64(seed + 1), n, 3, 2.5, 0.0)
    for q in range(7):  # P(K = q), a binomial proportion
        p = sps.poisson(2.5).pmf(q)
        assert abs(np.mean(k == q) - p) < binomial_tol(p, n)


# ------------------------------------------------------------------ renewal
def _law(p) -> sps.rv_continuous:
    """The scipy ISI law of a renewal process (mean 1 / rate)."""
    if isinstance(p, G.GammaProcess):
        return sps.gamma(p.shape, scale=1.0 / (p.shape * p.rate))
    if isinstance(p, G.InverseGaussianProcess):
        return sps.invgauss((1.0 / p.rate) / p.shape, scale=p.shape)
    return sps.lognorm(p.sigma, scale=np.exp(p.mu))


def _length_biased_cdf(p, t):
    """CDF of the length-biased law x f(x) / m (see spikestats._kernels.point_processes)."""
    if isinstance(p, G.GammaProcess):
        return sps.gamma(p.shape + 1.0, scale=1.0 / (p.shape * p.rate)).cdf(t)
    if isinstance(p, G.InverseGaussianProcess):
        m, lam = 1.0 / p.rate, p.shape
        inner = sps.invgauss((1.0 / m) / (lam / m**2), scale=lam / m**2)
        return inner.sf(1.0 / np.maximum(t, 1e-300))
    return sps.lognorm(p.sigma, scale=np.exp(p.mu + p.sigma**2)).cdf(t)


def _equilibrium_cdf(p, t):
    """Forward-recurrence CDF F_e(t) = rate * int_0^t S(u) du = rate * t * S(t) + F_lb(t) (Cox 1962)."""
    return p.rate * t * _law(p).sf(t) + _length_biased_cdf(p, t)


RENEWALS = [G.GammaProcess(rate=20.0, shape=3.0), G.GammaProcess(rate=20.0, shape=0.5),
            G.InverseGaussianProcess(rate=20.0, cv=0.6), G.LogNormalProcess(rate=20.0, cv=0.8)]


def _check_renewal(p, seed: int) -> None:
    n, t_stop = 10, 1000.0
    st = p.simulate(n, t_stop, rng=seed)
    assert abs(st.n_spikes / (n * t_stop) - p.rate) < renewal_rate_tol(p.rate, p.cv, n * t_stop)
    isis = ss.stats.isi(st).values
    law = _law(p)
    assert sps.kstest(isis, law.cdf).statistic < ks_tol(isis.size)
    moments = central_moments(*(float(m) for m in law.stats(moments="mvsk")))
    assert abs(isis.std() / isis.mean() - p.cv) < cv_tol(*moments, isis.size)


def _check_equilibrium(p, seed: int) -> None:
    """First spikes follow the forward-recurrence law; the early-window count has mean rate * w."""
    n, w = 20000, 0.02
    st = p.simulate(n, 40.0 / p.rate, rng=seed)  # 40 mean ISIs: a first spike in the window almost surely
    first = np.array([tr[0] for tr in st if len(tr)])
    assert first.size >= n - 2
    assert sps.kstest(first, lambda t: _equilibrium_cdf(p, t)).statistic < ks_tol(first.size)
    early = st.restrict(0.0, w).counts
    assert abs(early.mean() - p.rate * w) < sample_mean_tol(early.std(), n)


def _check_ordinary_start(seed: int) -> None:
    """equilibrium=False: the first spike is an ordinary interval, so a regular process is quiet early."""
    p = G.GammaProcess(rate=20.0, shape=3.0, equilibrium=False)
    n = 20000
    first = np.array([tr[0] for tr in p.simulate(n, 2.0, rng=seed)])
    assert sps.kstest(first, _law(p).cdf).statistic < ks_tol(n)
    eq = G.GammaProcess(rate=20.0, shape=3.0)
    assert sps.kstest(first, lambda t: _equilibrium_cdf(eq, t)).statistic > 10 * ks_tol(n)  # the test has power


# ------------------------------------------------------------------ inhomogeneous Poisson
def _check_psth(seed: int) -> None:
    """Counts per 50 ms bin summed over trials are Poisson with mean n * integral of the rate over the bin."""
    n, t_stop, width = 400, 2.0, 0.05
    edges = np.arange(0.0, t_stop + width / 2, width)
    def rate(t): return 20.0 + 15.0 * np.sin(2 * np.pi * 1.5 * t)
    # integral of the rate over each bin, exactly
    integral = 20.0 * width - 15.0 / (3 * np.pi) * (np.cos(3 * np.pi * edges[1:]) - np.cos(3 * np.pi * edges[:-1]))
    for method in ("rescaling", "thinning"):
        st = G.InhomogeneousPoisson(rate, method=method, resolution=1e-4).simulate(n, t_stop, rng=seed)
        counts = np.histogram(st.times, bins=edges)[0]
        tol = np.array([poisson_count_mean_tol(m / width, width, n) for m in integral]) * n
        # grid error: rate read constant on 0.1 ms cells changes each bin integral by < 1e-6 relative
        assert np.all(np.abs(counts - n * integral) < tol), method
    # per-train rows: train i has rate 10 * (i + 1) on [0, 1) and 0 after
    rows = (np.array([0.0, 1.0]), np.array([[10.0, 0.0], [40.0, 0.0]]))
    st = G.InhomogeneousPoisson(rows).simulate(2, 400.0, rng=seed)
    assert np.all(st.times < 1.0) or st.n_spikes == 0


def _check_rows(seed: int) -> None:
    rows = (np.array([0.0]), np.array([[10.0], [40.0]]))
    st = G.InhomogeneousPoisson(rows, method="thinning").simulate(2, 200.0, rng=seed)
    for c, r in zip(st.counts, (10.0, 40.0)):
        assert abs(c - r * 200.0) < poisson_count_mean_tol(r, 200.0, 1)


def _check_dead_time(seed: int) -> None:
    """Constant hazard r outside a dead time d: ISIs are d + Exp(r)."""
    r, d = 50.0, 0.004
    st = G.InhomogeneousPoisson((np.array([0.0]), np.array([r])), dead_time=d).simulate(20, 100.0, rng=seed)
    isis = ss.stats.isi(st).values
    assert isis.min() >= d - 1e-12
    assert sps.kstest(isis - d, sps.expon(scale=1.0 / r).cdf).statistic < ks_tol(isis.size)


# ------------------------------------------------------------------ Hawkes
def _check_hawkes(seed: int) -> None:
    burn, t_stop, n = 5.0, 205.0, 10
    uni = G.HawkesProcess(10.0, 0.6, 20.0)
    multi = G.HawkesProcess([5.0, 2.0, 1.0], np.array([[[0.2, 0.1], [0.1, 0.0], [0.0, 0.1]],
                                                       [[0.2, 0.1], [0.1, 0.1], [0.0, 0.0]],
                                                       [[0.0, 0.0], [0.3, 0.1], [0.1, 0.1]]]), [10.0, 100.0])
    for h in (uni, multi):
        d = h.n_units
        st = h.simulate(n, t_stop, rng=seed).restrict(burn, t_stop)
        rates = st.counts.reshape(n, d).sum(axis=0) / (n * (t_stop - burn))
        want = h.stationary_rate
        if d == 1:
            assert want[0] == pytest.approx(10.0 / (1 - 0.6))
        np.testing.assert_array_less(np.abs(rates - want), hawkes_rates_tol(h.branching_matrix, want,
                                                                           n * (t_stop - burn)))


# ------------------------------------------------------------------ GLM
def _check_glm_counts(seed: int) -> None:
    """Zero history: counts per bin are Poisson(exp(intercept + drive) * dt), checked per 50-bin window."""
    n, dt, n_bins = 200, 1e-3, 2000
    stim = np.sin(np.linspace(0.0, 4 * np.pi, n_bins))
    neuron = G.GLMNeuron(intercept=np.log(30.0), stimulus_filter=[0.8, 0.4], bin_size=dt)
    st = neuron.simulate(n, n_bins * dt, stimulus=stim, rng=seed)
    lam = np.exp(np.log(30.0) + neuron.population.stimulus_drive(stim, n_bins)[0]) * dt
    window = 50
    expected = n * lam.reshape(-1, window).sum(axis=1)
    got = np.histogram(st.times, bins=np.arange(0, n_bins + 1, window) * dt)[0]
    assert np.all(np.abs(got - expected) < 5 * np.sqrt(expected))  # Poisson totals: SE sqrt(mean)
    # Bernoulli, logit: P(spike in a bin) = 1 / (1 + exp(-eta))
    b = G.GLMNeuron(intercept=-3.0, family="bernoulli", link="logit").simulate(n, 1.0, rng=seed)
    p = 1.0 / (1.0 + np.exp(3.0))
    assert abs(b.n_spikes / (n * 1000) - p) < binomial_tol(p, n * 1000)


def _check_glm_refractory(seed: int) -> None:
    """Bernoulli, log link, history h: the ISI hazard at lag k bins is 1 - exp(-exp(b + h[k-1]) dt).

    A strongly negative h on the first 3 lags makes an ISI gap of 3 bins.
    """
    dt, base = 1e-3, np.log(80.0)
    h = np.array([-30.0, -30.0, -30.0, -2.0, -1.0, -0.5])
    st = G.GLMNeuron(intercept=base, history=h, family="bernoulli", bin_size=dt).simulate(200, 20.0, rng=seed)
    lags = np.rint(ss.stats.isi(st).values / dt).astype(int)
    assert lags.min() == 4  # nothing in the 3 suppressed bins, spikes as soon as the filter relaxes
    for k in range(4, 12):
        at_risk = np.sum(lags >= k)
        p = -np.expm1(-np.exp(base + (h[k - 1] if k <= h.size else 0.0)) * dt)
        assert abs(np.sum(lags == k) / at_risk - p) < binomial_tol(p, at_risk), k


# ------------------------------------------------------------------ encoders
def _check_encoders(seed: int) -> None:
    v, max_rate, dt, t_stop = np.array([0.1, 0.4, 0.9]), 200.0, 1e-3, 20.0
    st = G.rate_code(np.repeat(v, 50), t_stop, max_rate, dt=dt, rng=seed)
    counts = st.counts.reshape(3, 50).sum(axis=1)
    steps = 50 * int(round(t_stop / dt))
    for c, vi in zip(counts, v):
        p = vi * max_rate * dt
        assert abs(c / steps - p) < binomial_tol(p, steps)
    pc = G.population_code([0.3, 0.75], 50.0, n_neurons=6, max_rate=40.0, rng=seed)
    rates = G.tuning_rates([0.3, 0.75], 6, 40.0).ravel()
    assert np.all(np.abs(pc.counts - rates * 50.0) < [poisson_count_mean_tol(r, 50.0, 1) + 1e-9 for r in rates])


CHECKS = {
    "variates": _check_variates,
    "ordinary_start": _check_ordinary_start,
    "psth": _check_psth,
    "rows": _check_rows,
    "dead_time": _check_dead_time,
    "hawkes": _check_hawkes,
    "glm_counts": _check_glm_counts,
    "glm_refractory": _check_glm_refractory,
    "encoders": _check_encoders,
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CHECKS))
def test_generator_statistics(name, seed):
    CHECKS[name](seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("process", RENEWALS, ids=repr)
def test_renewal_isi_law_rate_and_cv(process, seed):
    _check_renewal(process, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("process", RENEWALS, ids=repr)
def test_renewal_equilibrium_start(process, seed):
    _check_equilibrium(process, seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SWEEP)
def test_seed_sweep(seed):
    for check in CHECKS.values():
        check(seed)
    for p in RENEWALS:
        _check_renewal(p, seed)
        _check_equilibrium(p, seed)
