"""PoissonProcess against its theory, with ~5-standard-error tolerances (formulas in _tolerances.py)."""

from __future__ import annotations

import numpy as np
import pytest
from _tolerances import (
    cv_tol,
    fano_tol,
    ks_tol,
    poisson_count_mean_tol,
    rate_tol,
    shifted_exponential_moments,
)
from scipy import stats as sps

import spikestats as ss

SEEDS = [20261121]
SWEEP = list(range(40))


def _check_poisson(seed: int) -> None:
    rate, t_stop, n = 20.0, 20.0, 400
    st = ss.generators.PoissonProcess(rate=rate).simulate(n_trains=n, t_stop=t_stop, rng=seed)
    counts = st.counts
    assert abs(counts.mean() - rate * t_stop) < poisson_count_mean_tol(rate, t_stop, n)
    # Fano across trains of Poisson counts: 1 with SE sqrt(2 / (n - 1))
    assert abs(ss.stats.fano_factor(st, ddof=1) - 1.0) < fano_tol(n)
    # ISIs are Exp(rate): one-sample KS on the pooled intervals
    isis = ss.stats.isi(st).values
    d = sps.kstest(isis, sps.expon(scale=1.0 / rate).cdf).statistic
    assert d < ks_tol(isis.size)
    # counts are Poisson: P(count <= k) at three quantiles, each a binomial proportion with SE sqrt(p (1 - p) / n)
    for q in (0.1, 0.5, 0.9):
        k = sps.poisson(rate * t_stop).ppf(q)
        p = sps.poisson(rate * t_stop).cdf(k)
        assert abs(np.mean(counts <= k) - p) < 5 * np.sqrt(p * (1 - p) / n)


def _check_dead_time(seed: int) -> None:
    rate, dead, t_stop, n = 40.0, 0.005, 10.0, 200
    st = ss.generators.PoissonProcess(rate=rate, dead_time=dead).simulate(n_trains=n, t_stop=t_stop, rng=seed)
    # the requested rate is the output rate; counts of a renewal process with CV c have variance ~ rate T c^2,
    # so the Poisson tolerance (c = 1) is conservative here
    assert abs(ss.stats.firing_rate(st).mean() - rate) < rate_tol(rate, n * t_stop)
    isis = ss.stats.isi(st).values
    assert isis.min() >= dead - 1e-12
    lam = rate / (1.0 - rate * dead)
    d = sps.kstest(isis - dead, sps.expon(scale=1.0 / lam).cdf).statistic
    assert d < ks_tol(isis.size)
    mean, var, mu3, mu4 = shifted_exponential_moments(dead, lam)
    pooled_cv = isis.std() / isis.mean()
    assert abs(pooled_cv - (1.0 - rate * dead)) < cv_tol(mean, var, mu3, mu4, isis.size)


@pytest.mark.parametrize("seed", SEEDS)
def test_poisson_counts_and_intervals(seed):
    _check_poisson(seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_dead_time_semantics(seed):
    _check_dead_time(seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_trains_start_in_equilibrium(seed):
    """The count in the first few ms has mean rate * w: no artificial silence at t_start.

    A process started fresh (first spike at dead_time + Exp) would have no spike in
    [0, dead_time); here the mean count in [0, w] is rate * w with Poisson-like SE
    sqrt(rate * w / n) (conservative: dead time lowers the variance).
    """
    rate, dead, w, n = 50.0, 0.01, 0.01, 20000
    st = ss.generators.PoissonProcess(rate=rate, dead_time=dead).simulate(n_trains=n, t_stop=0.05, rng=seed)
    early = st.restrict(0.0, w).counts
    assert abs(early.mean() - rate * w) < poisson_count_mean_tol(rate, w, n)


@pytest.mark.parametrize("seed", SEEDS)
def test_windowed_fano_of_dead_time_process(seed):
    """Windowed Fano factor of a stationary renewal process against Cox's (1962) asymptotics.

    Var N(w) = (sigma^2 / mu^3) w + (1/6 + CV^4 / 2 - mu3 / (3 mu^3)) + o(1), so
    F(w) = CV^2 + (mu / w) (1/6 + CV^4 / 2 - mu3 / (3 mu^3)) (the bracket is 0 for Poisson).
    SE of the mean over n trains of per-train estimates from m windows: F sqrt(2 / (m - 1)) / sqrt(n).
    """
    rate, dead, n, w, m = 40.0, 0.01, 100, 2.0, 20
    st = ss.generators.PoissonProcess(rate=rate, dead_time=dead).simulate(n_trains=n, t_stop=m * w, rng=seed)
    fano = ss.stats.fano_factor(st, window=w, ddof=1)
    mean, var, mu3, _ = shifted_exponential_moments(dead, rate / (1.0 - rate * dead))
    cv2 = var / mean**2
    expected = cv2 + (mean / w) * (1.0 / 6.0 + cv2**2 / 2.0 - mu3 / (3.0 * mean**3))
    se = expected * np.sqrt(2.0 / (m - 1)) / np.sqrt(n)
    assert abs(fano.mean() - expected) < 5 * se


@pytest.mark.slow
@pytest.mark.parametrize("seed", SWEEP)
def test_seed_sweep(seed):
    _check_poisson(seed)
    _check_dead_time(seed)
    test_windowed_fano_of_dead_time_process(seed)
    test_trains_start_in_equilibrium(seed)
