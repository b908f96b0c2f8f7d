"""Seeded distributional tests of CV, CV2, LV, LvR and Fano factors, and runs on real recordings.

Every tolerance is ~5 standard errors from a function in ``_tolerances`` with
its formula; the ``slow`` seed sweep repeats the core checks over 20 seeds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.io
from _tolerances import (
    CV2_POISSON_TERM,
    Z,
    correlation_tol,
    coverage_tol,
    cv_tol,
    fano_estimate_se,
    fano_tol,
    gamma_isi_moments,
    lv_gamma_term,
    lvr_gamma_term,
    negative_binomial_moments,
    one_dependent_mean_tol,
    shifted_exponential_moments,
)

import spikestats as ss
from spikestats.stats.correlation import count_correlation, cross_correlogram, spike_time_tiling
from spikestats.stats.dispersion import fano_factor, mean_matched_fano, time_resolved_fano
from spikestats.stats.intervals import cv, cv2, lv, lvr

SEEDS = range(20)


def gamma_trains(rng: np.random.Generator, shape: float, rate: float, n_trains: int, n_isi: int) -> ss.SpikeTrains:
    """Gamma renewal trains from cumulative sums of numpy gamma variates (ISI mean 1 / rate)."""
    isi = rng.gamma(shape, 1.0 / (shape * rate), (n_trains, n_isi))
    times = np.cumsum(isi, axis=1)
    return ss.SpikeTrains.from_list(list(times), 0.0, float(times[:, -1].max()))


def doubly_stochastic(rng: np.random.Generator, rates: np.ndarray, excess: float, window: float, n_trials: int,
                      t_stop: float) -> ss.SpikeTrains:
    """Unit u fires as a Poisson process of rate ``rates[u] * g`` with a gain g ~ Gamma(a_u, 1 / a_u) per trial.

    Counts in a window w are Poisson with a Gamma-distributed mean: mean mu = rate w,
    variance mu + mu^2 var(g) = mu (1 + mu / a_u), so Fano = 1 + mean * var(rate) / mean(rate)^2
    = 1 + mu / a_u. Choosing a_u = mu_u / excess makes every unit's Fano 1 + excess
    (``excess = 0``: Poisson).
    """
    trains, unit = [], []
    for u, rho in enumerate(rates):
        shape = rho * window / excess if excess > 0 else np.inf
        gains = rng.gamma(shape, 1.0 / shape, n_trials) if excess > 0 else np.ones(n_trials)
        for g in gains:
            trains.append(np.sort(rng.uniform(0.0, t_stop, rng.poisson(rho * g * t_stop))))
            unit.append(u)
    return ss.SpikeTrains.from_list(trains, 0.0, t_stop, unit=unit, trial=np.tile(np.arange(n_trials), len(rates)))


# ------------------------------------------------------------------ Poisson
def check_poisson(seed: int) -> None:
    rate, n_trains, t_stop = 20.0, 400, 10.0
    st = ss.generators.PoissonProcess(rate=rate).simulate(n_trains=n_trains, t_stop=t_stop, rng=seed)
    assert abs(fano_factor(st, ddof=1) - 1.0) <= fano_tol(n_trains)
    n_isi = int(np.sum(np.maximum(st.counts - 1, 0)))
    assert abs(cv(st, pooled=True) - 1.0) <= cv_tol(*shifted_exponential_moments(0.0, rate), n_isi)
    m = int(np.sum(np.maximum(st.counts - 2, 0)))
    assert abs(cv2(st, pooled=True) - CV2_POISSON_TERM[0]) <= one_dependent_mean_tol(CV2_POISSON_TERM[1], m)
    mean, var = lv_gamma_term(1.0)
    assert abs(lv(st, pooled=True) - mean) <= one_dependent_mean_tol(var, m)
    # windowed Fano: each train has 100 windows of 0.1 s, Poisson counts of mean 2
    windowed = fano_factor(st, 0.1, ddof=1)
    n_win = n_trains * 100
    # the mean of 400 per-train Fano factors: SE ~ sqrt(2 / 99) / sqrt(400)
    assert abs(np.mean(windowed) - 1.0) <= Z * fano_estimate_se(2.0, *negative_binomial_moments(2.0, np.inf), 100) \
        / math.sqrt(n_trains)
    assert n_win == 40_000


def test_poisson_fano_cv_cv2_lv():
    check_poisson(20261121)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_poisson_sweep(seed):
    check_poisson(seed)


# ------------------------------------------------------------------ gamma renewal
def check_gamma(seed: int, shape: float) -> None:
    rate, n_trains, n_isi = 20.0, 200, 500
    st = gamma_trains(np.random.default_rng(seed), shape, rate, n_trains, n_isi)
    scale = 1.0 / (shape * rate)
    n = n_trains * n_isi
    assert abs(cv(st, pooled=True) - 1.0 / math.sqrt(shape)) <= cv_tol(*gamma_isi_moments(shape, scale), n)
    m = n_trains * (n_isi - 1)
    mean, var = lv_gamma_term(shape)
    assert abs(lv(st, pooled=True) - mean) <= one_dependent_mean_tol(var, m)
    if shape > 1:
        r = 5e-3
        mean, var = lvr_gamma_term(shape, scale, r)
        assert abs(lvr(st, r=r, pooled=True) - mean) <= one_dependent_mean_tol(var, m)


@pytest.mark.parametrize("shape", [1.0, 2.0, 4.0])
def test_gamma_cv_lv_lvr(shape):
    check_gamma(7, shape)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_gamma_sweep(seed):
    for shape in (2.0, 4.0):
        check_gamma(seed, shape)


def test_lv_interval_coverage():
    # 95 % intervals of the LV of 400 gamma(2) trains of 300 intervals cover 3/5 about 95 % of the time
    st = gamma_trains(np.random.default_rng(3), 2.0, 20.0, 400, 300)
    est = lv(st, ci=0.95)
    covered = np.mean((est.low <= 0.6) & (0.6 <= est.high))
    assert abs(covered - 0.95) <= coverage_tol(0.95, 400)


def test_cv_interval_coverage():
    st = gamma_trains(np.random.default_rng(4), 3.0, 20.0, 400, 300)
    est = cv(st, ci=0.9)
    truth = 1 / math.sqrt(3)
    assert abs(np.mean((est.low <= truth) & (truth <= est.high)) - 0.9) <= coverage_tol(0.9, 400)


def test_fano_chi2_interval_coverage():
    # 300 experiments of 40 Poisson trains (mean count 20): the chi-square interval covers 1 about 95 % of the time
    st = ss.generators.PoissonProcess(rate=20.0).simulate(n_trains=300 * 40, t_stop=1.0, rng=8)
    hits = [(e.low <= 1.0 <= e.high) for e in (fano_factor(st[k * 40:(k + 1) * 40], ci=0.95) for k in range(300))]
    assert abs(np.mean(hits) - 0.95) <= coverage_tol(0.95, 300)


# ------------------------------------------------------------------ doubly stochastic
def check_time_resolved(seed: int) -> None:
    # one unit, 20 Hz with a Gamma(a = 4) gain per trial in 0.2 s windows: mu = 4, Fano = 1 + 4 / 4 = 2
    rng = np.random.default_rng(seed)
    rate, window, n_trials, a = 20.0, 0.2, 3000, 4.0
    mu = rate * window
    st = doubly_stochastic(rng, np.array([rate]), mu / a, window, n_trials, 1.0)
    res = time_resolved_fano(st, window, window, ddof=1)
    se = fano_estimate_se(mu, *negative_binomial_moments(mu, a), n_trials)
    np.testing.assert_array_less(np.abs(res.fano - (1 + mu / a)), Z * se)


def test_time_resolved_fano_doubly_stochastic():
    check_time_resolved(11)


def check_mean_matched(seed: int, excess: float) -> None:
    rng = np.random.default_rng(seed)
    rates = rng.uniform(10.0, 40.0, 100)
    window, n_trials = 0.1, 100
    st = doubly_stochastic(rng, rates, excess, window, n_trials, 1.0)
    res = mean_matched_fano(st, window, window, bin_width=0.5, rng=seed)
    # with weights w = n / (m + eps)^2 the slope sum(w m v) / sum(w m^2) is the average of the kept units'
    # s^2 / m with weights o = (m / (m + eps))^2. Each has the delta-method SE of its negative binomial
    # counts (shape mu / excess), so SE^2 = sum(o^2 se^2) / (sum o)^2 <= max(se)^2 (max o / min o)^2 / K
    # for K kept units.
    mus = rates * window
    per_unit = [fano_estimate_se(m, *negative_binomial_moments(m, m / excess if excess else np.inf), n_trials)
                for m in mus]
    omega = (mus / (mus + window * 1.0)) ** 2
    kept = int(np.floor(np.min(res.retained) * len(rates)))
    tol = Z * max(per_unit) * (omega.max() / omega.min()) / math.sqrt(kept)
    np.testing.assert_array_less(np.abs(res.fano - (1.0 + excess)), tol)
    assert np.all(res.retained > 0.3)


@pytest.mark.parametrize("excess", [0.0, 0.5])
def test_mean_matched_fano_recovers_excess_variance(excess):
    check_mean_matched(5, excess)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_doubly_stochastic_sweep(seed):
    check_time_resolved(seed)
    for excess in (0.0, 0.5):
        check_mean_matched(seed, excess)


# ------------------------------------------------------------------ count correlations
def check_count_correlation(seed: int) -> None:
    # counts S + P_u with S ~ Poisson(20) shared by both units and P_u ~ Poisson(20) private:
    # rho = var(S) / (var(S) + var(P)) = 0.5. With means of 40 the counts are near-Gaussian
    # (excess kurtosis 1 / 40), so the Gaussian SE of Pearson's r applies.
    rng = np.random.default_rng(seed)
    n = 2000
    shared = rng.poisson(20, n)
    trains = [np.sort(rng.uniform(0, 1, c)) for u in range(2) for c in shared + rng.poisson(20, n)]
    st = ss.SpikeTrains.from_list(trains, 0.0, 1.0, unit=np.repeat([0, 1], n), trial=np.tile(np.arange(n), 2))
    res = count_correlation(st)
    assert abs(res.r[0, 1] - 0.5) <= correlation_tol(0.5, n)
    assert res.low[0, 1] < res.r[0, 1] < res.high[0, 1]


def test_count_correlation_recovers_shared_variance():
    check_count_correlation(2)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_count_correlation_sweep(seed):
    check_count_correlation(seed)


# ------------------------------------------------------------------ real recordings
def _grasshopper(shared_data, k: int) -> np.ndarray:
    return np.loadtxt(shared_data / "nitime_grasshopper_Rokem2006" / f"grasshopper_spike_times{k}.txt") * 1e-6


def test_grasshopper_receptor_is_regular_and_refractory(shared_data):
    st = ss.SpikeTrains.from_list([_grasshopper(shared_data, 1), _grasshopper(shared_data, 2)], 0.0, 10.0)
    c = cv(st)
    assert np.all((c > 0.3) & (c < 0.7))                    # well below 1 (the README's "about 0.5")
    est = lv(st, ci=0.95)
    assert np.all(est.high < 0.5)                          # locally regular: LV far below Poisson's 1
    # LvR discounts a refractoriness R: with R = 5 ms (Shinomoto 2009) it rises above the LV, and keeps
    # rising with R, as it must for a train whose short intervals are set by refractoriness
    lvr5 = lvr(st)
    assert np.all(lvr5 > est.estimate) and np.all(lvr(st, r=0.01) > lvr5)
    assert np.all(cv2(st) < 0.8)
    # counts in 100 ms windows are under-dispersed (renewal: Fano -> CV^2 in long windows)
    assert np.all(fano_factor(st, 0.1) < 1.0)
    cc = cross_correlogram(st[0], st[1], 0.002, 0.05)
    assert cc.counts.sum() > 0 and np.isfinite(spike_time_tiling(st[0], st[1]))


def test_kramer_eden_low_and_high_light(shared_data):
    data = scipy.io.loadmat(shared_data / "kramer_eden_case_studies" / "08_spikes-1.mat")
    low, high = np.ravel(data["SpikesLow"]), np.ravel(data["SpikesHigh"])
    st = ss.SpikeTrains.from_list([low, high], 0.0, 30.0, sort=True)
    for f in (cv, cv2, lv, lvr):
        values = f(st)
        assert np.all(np.isfinite(values)) and np.all(values > 0)
        est = f(st, ci=0.95)
        assert np.all(est.low < est.estimate) and np.all(est.estimate < est.high)
    assert np.all(fano_factor(st, 1.0, ci=0.95, method="bootstrap", rng=0).low > 0)
    slide = fano_factor(st, 1.0, step=0.25)
    assert np.all(np.isfinite(slide))


def test_subthalamic_trials_time_resolved(shared_data):
    data = scipy.io.loadmat(shared_data / "kramer_eden_case_studies" / "10_spikes-1.mat")
    st = ss.SpikeTrains.from_raster(data["train"], 1e-3)
    st = ss.SpikeTrains(st.times, st.offsets, st.t_start, st.t_stop, unit=np.zeros(len(st), dtype=int),
                        trial=np.arange(len(st)))
    res = time_resolved_fano(st, 0.2, 0.05)
    assert res.fano.shape == res.times.shape and np.all(np.isfinite(res.fano))
    assert np.all((res.fano > 0.1) & (res.fano < 5))
