"""History GLMs against known truth: interval coverage, and uniform time-rescaling p-values under the true model.

Data come from the generators' binned GLM (the kernel the fitted models also
simulate with); the truth is a history filter written in the fitting basis, so
the model is correctly specified and Wald intervals should cover at their
nominal rate. Tolerances are in tests/_tolerances.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from _tolerances import coverage_tol, ks_tol, sample_mean_tol, wald_z_sd_tol
from scipy import stats

import spikestats as ss
from spikestats.glm.bases import RaisedCosineBasis
from spikestats.glm.design import design_matrix
from spikestats.glm.goodness_of_fit import time_rescaling_test

BIN = 0.001
BASIS = RaisedCosineBasis(n_basis=5, t_max=0.04, offset=0.002)
WEIGHTS = np.array([-5.0, -1.5, 0.8, 0.2, -0.3])
INTERCEPT = np.log(40.0)
LEVEL = 0.95
#: a purely suppressive filter for the 5 ms-bin runs (self-excitation at q ~ 0.3 per bin can run away)
WEIGHTS_COARSE = np.array([-3.0, -2.0, -1.0, -0.3, 0.0])


def _simulate(seed: int, n_trials: int = 10, t_stop: float = 5.0, intercept: float = INTERCEPT,
              weights: np.ndarray = WEIGHTS, bin_size: float = BIN) -> ss.SpikeTrains:
    h = BASIS.sample(bin_size) @ weights
    return ss.generators.GLMNeuron(intercept=intercept, history=h, bin_size=bin_size).simulate(
        n_trials=n_trials, t_stop=t_stop, rng=seed)


def _z_scores(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(estimate - truth) / stderr of intercept + weights, and of the filter at five lags."""
    st = _simulate(seed)
    m = ss.glm.HistoryGLM(history=BASIS, bin_size=BIN).fit(st)
    truth = np.r_[INTERCEPT, WEIGHTS]
    est = np.r_[m.intercept_, m.coef_]
    f = m.history_filter_
    lags = [0, 2, 5, 10, 20]
    h_true = BASIS.sample(BIN) @ WEIGHTS
    return (est - truth) / m.stderr_, (f.log_gain[lags] - h_true[lags]) / f.stderr[lags]


def _check_coverage(seeds: list[int]) -> None:
    zc, zf = map(np.array, zip(*(_z_scores(s) for s in seeds)))
    crit = stats.norm.ppf(0.5 + LEVEL / 2)
    n = len(seeds)
    for z in (zc, zf):
        cover = np.mean(np.abs(z) <= crit, axis=0)  # per coefficient / lag, over independent seeds
        assert np.all(np.abs(cover - LEVEL) <= coverage_tol(LEVEL, n)), cover
        # z-scores of a correct Wald interval: mean 0, SD 1 (each column over independent fits)
        assert np.all(np.abs(z.mean(axis=0)) <= sample_mean_tol(1.0, n)), z.mean(axis=0)
        assert np.all(np.abs(z.std(axis=0, ddof=1) - 1.0) <= wald_z_sd_tol(n)), z.std(axis=0)


def test_wald_intervals_cover_the_true_history_filter():
    _check_coverage(list(range(12)))


@pytest.mark.slow
def test_wald_interval_coverage_sweep():
    _check_coverage(list(range(100, 300)))


def _true_intensity(st: ss.SpikeTrains, bin_size: float, weights: np.ndarray, intercept: float) -> np.ndarray:
    """The generating model's conditional intensity (Hz) per bin, one row per trial."""
    d = design_matrix(st, bin_size, history=BASIS)
    rate = np.exp(intercept + d.X @ weights)
    return rate.reshape(len(st), -1)


def _pvalues(seeds: list[int], correction: bool, bin_size: float, intercept: float) -> np.ndarray:
    weights = WEIGHTS if bin_size == BIN else WEIGHTS_COARSE
    out = []
    for s in seeds:
        st = _simulate(s, n_trials=4, t_stop=5.0, intercept=intercept, weights=weights, bin_size=bin_size)
        rates = _true_intensity(st, bin_size, weights, intercept)
        out.append(time_rescaling_test(st, rates, bin_size=bin_size, correction=correction, rng=s).pvalue)
    return np.array(out)


def test_true_model_gives_uniform_ks_pvalues_with_the_discrete_correction():
    # 5 ms bins at ~60 Hz: q = lambda * dt ~ 0.3, where the uncorrected integral is biased
    seeds = list(range(20))
    p = _pvalues(seeds, True, 0.005, np.log(60.0))
    assert stats.kstest(p, "uniform").statistic < ks_tol(len(seeds))
    p_raw = _pvalues(seeds[:3], False, 0.005, np.log(60.0))
    assert np.all(p_raw < 1e-6)  # spikes at bin centres: plain rescaling rejects the true model


@pytest.mark.slow
def test_ks_pvalue_uniformity_sweep():
    seeds = list(range(1000, 1200))
    p = _pvalues(seeds, True, 0.005, np.log(60.0))
    assert stats.kstest(p, "uniform").statistic < ks_tol(len(seeds))
    p = _pvalues(seeds[:100], True, 0.001, INTERCEPT)
    assert stats.kstest(p, "uniform").statistic < ks_tol(100)


def test_continuous_poisson_model_gives_uniform_pvalues():
    seeds = list(range(30))
    rate = lambda t: 20.0 + 15.0 * np.sin(2 * np.pi * t)  # noqa: E731
    p = []
    for s in seeds:
        st = ss.generators.InhomogeneousPoisson(rate=rate).simulate(n_trains=2, t_stop=10.0, rng=s)
        p.append(time_rescaling_test(st, rate, bin_size=1e-3).pvalue)
    assert stats.kstest(p, "uniform").statistic < ks_tol(len(seeds))


def test_refractory_glm_rejects_the_homogeneous_poisson_model_and_not_the_fitted_glm():
    st = _simulate(7, n_trials=10, t_stop=5.0)
    rate = st.n_spikes / float(np.sum(st.duration))
    poisson = time_rescaling_test(st, lambda t: np.full(t.shape, rate))
    assert poisson.pvalue < 1e-6 and not poisson.within_band
    fitted = ss.glm.HistoryGLM(history=BASIS, bin_size=BIN).fit(st)
    res = time_rescaling_test(st, fitted, rng=0)
    assert res.within_band and res.pvalue > 1e-3
