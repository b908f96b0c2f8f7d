"""fano_factor (intervals, sliding windows), time_resolved_fano, mean_matched_fano: values, twins, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference import naive_stats

import spikestats as ss
from spikestats._kernels.binning import bin_counts
from spikestats._kernels.dispersion import bootstrap_fano, matched_slopes, sliding_counts
from spikestats.exceptions import DataWarning, ValidationError
from spikestats.stats._results import Estimate
from spikestats.stats.dispersion import (
    MeanMatchedFano,
    TimeResolvedFano,
    fano_factor,
    mean_matched_fano,
    n_sliding_windows,
    time_resolved_fano,
)


def _trials(rng, n_units=3, n_trials=12, rate=30.0, t_stop=1.0):
    trains = [np.sort(rng.uniform(0, t_stop, rng.poisson(rate * t_stop))) for _ in range(n_units * n_trials)]
    return ss.SpikeTrains.from_list(trains, 0.0, t_stop, unit=np.repeat(np.arange(n_units), n_trials),
                                    trial=np.tile(np.arange(n_trials), n_units))


def test_sliding_counts_by_hand_and_binning_rule():
    t = np.array([0.0, 0.1, 0.25, 0.3, 0.5, 0.99, 1.0])
    off = np.array([0, 7])
    # step == window is the binning rule (0.3 s falls in bin 3 of 0.1 s bins; 1.0 in the last)
    np.testing.assert_array_equal(sliding_counts(t, off, np.zeros(1), 0.1, 0.1, np.array([10])),
                                  bin_counts(t, off, 0.0, 0.1, 10))
    # windows of 0.2 s every 0.1 s: [0, .2), [.1, .3), ... [.8, 1.0]
    np.testing.assert_array_equal(sliding_counts(t, off, np.zeros(1), 0.2, 0.1, np.array([9]))[0],
                                  [2, 2, 2, 1, 1, 1, 0, 0, 2])
    np.testing.assert_array_equal(n_sliding_windows(np.array([1.0, 0.15, 0.2]), 0.2, 0.1), [9, 0, 1])


@pytest.mark.parametrize("window,step", [(0.1, 0.1), (0.25, 0.1), (0.1, 0.3), (0.3, 0.07)])
def test_sliding_counts_matches_twin(window, step, rng):
    st = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, k)) for k in (0, 3, 25)] + [np.array([0.0, 0.5, 1.0])],
                                  0.0, 1.0)
    nw = n_sliding_windows(st.duration, window, step)
    got = sliding_counts(st.times, st.offsets, np.zeros(len(st)), window, step, nw)
    np.testing.assert_array_equal(got, naive_stats.sliding_counts(st.times, st.offsets, np.zeros(len(st)), window,
                                                                  step, nw))


def test_sliding_fano_equals_consecutive_when_step_is_window(rng):
    st = ss.generators.PoissonProcess(rate=25.0).simulate(n_trains=20, t_stop=3.0, rng=3)
    np.testing.assert_allclose(fano_factor(st, 0.1, step=0.1), fano_factor(st, 0.1), rtol=1e-12)
    slide = fano_factor(st, 0.2, step=0.05)
    counts = sliding_counts(st.times, st.offsets, np.zeros(20), 0.2, 0.05, n_sliding_windows(st.duration, 0.2, 0.05))
    np.testing.assert_allclose(slide, counts.var(axis=1) / counts.mean(axis=1), rtol=1e-12)


def test_chi2_interval_formula():
    counts = [3, 5, 2, 7, 4, 4, 6]
    st = ss.SpikeTrains.from_list([np.linspace(0.1, 0.9, c) for c in counts], 0.0, 1.0)
    from scipy.stats import chi2

    c = np.array(counts, float)
    ss_dev = np.sum((c - c.mean()) ** 2)
    est = fano_factor(st, ci=0.9)
    assert isinstance(est, Estimate) and est.method == "chi2"
    assert est.estimate == pytest.approx(c.var() / c.mean(), rel=1e-14)
    assert est.low == pytest.approx(ss_dev / c.mean() / chi2.ppf(0.95, 6), rel=1e-12)
    assert est.high == pytest.approx(ss_dev / c.mean() / chi2.ppf(0.05, 6), rel=1e-12)
    # the interval is the same whatever ddof (only the point estimate moves)
    est1 = fano_factor(st, ci=0.9, ddof=1)
    assert est1.low == pytest.approx(est.low) and est1.estimate == pytest.approx(c.var(ddof=1) / c.mean())


def test_bootstrap_interval_reproducible_and_sensible():
    st = ss.generators.PoissonProcess(rate=20.0).simulate(n_trains=4, t_stop=20.0, rng=5)
    a = fano_factor(st, 0.5, ci=0.95, method="bootstrap", n_resamples=400, rng=11)
    b = fano_factor(st, 0.5, ci=0.95, method="bootstrap", n_resamples=400, rng=11)
    np.testing.assert_array_equal(a.low, b.low)
    assert np.all(a.low < a.estimate) and np.all(a.estimate < a.high)
    # a train's interval does not depend on which other trains are processed with it (one stream per train)
    c = fano_factor(st[:2], 0.5, ci=0.95, method="bootstrap", n_resamples=400, rng=11)
    np.testing.assert_array_equal(c.low, a.low[:2])


def test_bootstrap_kernel_matches_twin():
    counts = np.array([[1, 4, 2, 0, 3], [0, 0, 0, 0, 0], [2, 2, 5, 0, 0]], dtype=np.int64)
    nw = np.array([5, 5, 3])
    got = bootstrap_fano(counts, nw, 0, np.uint64(12345), 7)
    want = naive_stats.bootstrap_fano(counts, nw, 0, 12345, 7)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_matched_slopes_kernel_matches_twin(rng):
    mean = rng.uniform(0.5, 5.0, (9, 4))
    var = mean * rng.uniform(0.5, 1.5, (9, 4))
    weight = rng.integers(5, 20, 9).astype(float)
    bin_of = np.clip((mean // 1.5).astype(np.int64), 0, 2)
    bin_of[0, 1] = -1
    common = np.array([1, 2, 0], dtype=np.int64)
    got = matched_slopes(mean, var, weight, 0.1, bin_of, common, np.uint64(99), 5)
    want = naive_stats.matched_slopes(mean, var, weight, 0.1, bin_of, common, 99, 5)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)


def test_time_resolved_fano_values(rng):
    st = _trials(rng)
    res = time_resolved_fano(st, 0.2, 0.1)
    assert isinstance(res, TimeResolvedFano) and res.fano.shape == (3, 9)
    np.testing.assert_allclose(res.times, 0.1 + 0.1 * np.arange(9))
    one = st.select(unit=1)
    counts = np.array([[np.sum((t >= a) & (t < a + 0.2)) if a < 0.8 - 1e-9 else np.sum(t >= a)
                        for a in 0.1 * np.arange(9)] for t in one], dtype=float)
    np.testing.assert_allclose(res.fano[1], counts.var(axis=0) / counts.mean(axis=0), rtol=1e-12)
    single = time_resolved_fano(one, 0.2, 0.1)
    assert single.fano.shape == (9,)
    np.testing.assert_allclose(single.fano, res.fano[1])
    assert "TimeResolvedFano(n_units=3" in repr(res)


def test_time_resolved_fano_mismatched_trials_fail(rng):
    st = _trials(rng)
    shifted = ss.SpikeTrains(st.times, st.offsets, np.r_[st.t_start[:-1], -0.5], st.t_stop, unit=st.unit,
                             trial=st.trial)
    with pytest.raises(ValidationError, match="trials aligned on one common window.*train 35"):
        time_resolved_fano(shifted, 0.2, 0.1)
    with pytest.raises(ValidationError, match="`window` must be <="):
        time_resolved_fano(st, 2.0, 0.1)
    for bad in (0.0, -0.1, np.nan):
        with pytest.raises(ValidationError, match="`window` must be"):
            time_resolved_fano(st, bad, 0.1)
        with pytest.raises(ValidationError, match="`step` must be"):
            time_resolved_fano(st, 0.1, bad)


def test_time_resolved_fano_silent_window_warns():
    st = ss.SpikeTrains.from_list([[0.1, 0.15], [0.12], [0.11, 0.13, 0.14]], 0.0, 1.0, unit=[0, 0, 0])
    with pytest.warns(DataWarning, match="undefined"):
        res = time_resolved_fano(st, 0.5, 0.5)
    assert np.isfinite(res.fano[0]) and np.isnan(res.fano[1])


def test_mean_matched_fano_structure(rng):
    st = _trials(rng, n_units=20, n_trials=15)
    res = mean_matched_fano(st, 0.2, 0.2, rng=1)
    assert isinstance(res, MeanMatchedFano) and res.fano.shape == (5,)
    assert np.all(res.low < res.fano) and np.all(res.fano < res.high)
    assert np.all((res.retained > 0) & (res.retained <= 1))
    again = mean_matched_fano(st, 0.2, 0.2, rng=1)
    np.testing.assert_array_equal(res.fano, again.fano)
    # at a single time, matching keeps every point: fano = fano_all
    whole = mean_matched_fano(st, 1.0, 1.0, rng=2)
    assert whole.retained[0] == 1.0
    assert whole.fano[0] == pytest.approx(whole.fano_all[0], rel=1e-12)
    # the unmatched slope: weighted least squares through the origin, weights n / (mean + 1 Hz * window)^2
    c = np.array([len(t) for t in st], float).reshape(20, 15)
    m, v = c.mean(axis=1), c.var(axis=1, ddof=1)
    w = 15 / (m + 1.0) ** 2
    assert whole.fano_all[0] == pytest.approx(np.sum(w * m * v) / np.sum(w * m * m), rel=1e-12)
    b = np.sum(w * m * v) / np.sum(w * m * m)
    se = np.sqrt(np.sum(w * (v - b * m) ** 2) / 19 / np.sum(w * m * m))
    assert whole.high[0] - whole.fano[0] == pytest.approx(1.959963984540054 * se, rel=1e-10)
    assert "MeanMatchedFano(" in repr(res)


def test_mean_matched_fano_matches_distributions():
    # unit k fires k+1 spikes per trial early, and 3 (k < 5) or 9 (k >= 5) late: only overlapping means survive
    rng = np.random.default_rng(0)
    trains, unit = [], []
    for k in range(10):
        for _ in range(8):
            early = rng.uniform(0.0, 0.5, rng.poisson(k + 1))
            late = rng.uniform(0.5, 1.0, rng.poisson(3 if k < 5 else 9))
            trains.append(np.sort(np.r_[early, late]))
            unit.append(k)
    st = ss.SpikeTrains.from_list(trains, 0.0, 1.0, unit=unit)
    res = mean_matched_fano(st, 0.5, 0.5, bin_width=1.0, rng=0)
    assert np.all(res.retained < 1)
    assert res.mean_count[0] == pytest.approx(res.mean_count[1], rel=0.35)


def test_mean_matched_fano_bad_input(rng):
    st = _trials(rng)
    with pytest.raises(ValidationError, match="at least two trials"):
        mean_matched_fano(st[:13], 0.2, 0.1)
    with pytest.raises(ValidationError, match="`bin_width` must be > 0"):
        mean_matched_fano(st, 0.2, 0.1, bin_width=0.0)


def test_fano_bad_input():
    st = ss.SpikeTrains.from_list([[0.1, 0.5], [0.2]], 0.0, 1.0)
    with pytest.raises(ValidationError, match="`window` must be <="):
        fano_factor(st, 5.0, step=1.0)
    with pytest.raises(ValidationError, match="`step` must be > 0"):
        fano_factor(st, 0.1, step=0.0)
    with pytest.raises(ValidationError, match="`step` must be >= window"):
        fano_factor(st, 0.2, step=0.1, ci=0.95)
    with pytest.raises(ValidationError, match="`step` must be None"):
        fano_factor(st, None, step=0.1)
    with pytest.raises(ValidationError, match="Did you mean 'bootstrap'"):
        fano_factor(st, ci=0.9, method="bootstrp")
    with pytest.raises(ValidationError, match="equal length"):
        fano_factor(ss.SpikeTrains.from_list([[0.1], [0.2]], 0.0, [1.0, 2.0]), ci=0.9)
    with pytest.warns(DataWarning):
        est = fano_factor(ss.SpikeTrains.from_list([[], []], 0.0, 1.0), ci=0.9)
    assert math.isnan(est.estimate) and math.isnan(est.low)
