"""cross_correlogram, spike_time_tiling, count_correlation: values, twins, surrogates, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference import naive_stats

import spikestats as ss
from spikestats._kernels.correlation import (
    all_pair_correlograms,
    jitter_correlograms,
    jitter_correlograms_parallel,
    pair_correlograms,
    sttc_pairs,
)
from spikestats.exceptions import DataWarning, ValidationError, ValidationTypeError
from spikestats.stats.correlation import CrossCorrelogram, count_correlation, cross_correlogram, spike_time_tiling


def test_correlogram_by_hand():
    a = np.array([0.105, 0.5])
    b = np.array([0.132, 0.49, 0.9])
    res = cross_correlogram(a, b, 0.01, 0.05)
    assert isinstance(res, CrossCorrelogram)
    np.testing.assert_allclose(res.lags, np.arange(-5, 6) * 0.01)
    expected = np.zeros(11, dtype=int)
    expected[5 + 3] += 1   # 0.132 (bin 13) after 0.105 (bin 10)
    expected[5 - 1] += 1   # 0.49 (bin 49) before 0.5 (bin 50)
    expected[5 + 2] += 0   # other pairs are farther than 5 bins
    np.testing.assert_array_equal(res.counts, expected)
    # swapping the trains mirrors the lags
    np.testing.assert_array_equal(cross_correlogram(b, a, 0.01, 0.05).counts, expected[::-1])
    assert "CrossCorrelogram(n_lags=11" in repr(res)


def test_correlogram_kernels_match_twins(rng):
    a = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, k)) for k in (0, 5, 30)], 0.0, 1.0)
    b = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, k)) for k in (4, 0, 25)], 0.0, 1.0)
    t0, nb = np.zeros(3), np.array([100, 100, 100])
    np.testing.assert_array_equal(pair_correlograms(a.times, a.offsets, b.times, b.offsets, t0, 0.01, nb, 7),
                                  naive_stats.pair_correlograms(a.times, a.offsets, b.times, b.offsets, t0, 0.01, nb, 7))
    np.testing.assert_array_equal(all_pair_correlograms(a.times, a.offsets, b.times, b.offsets, 0.0, 0.01, 100, 4),
                                  naive_stats.all_pair_correlograms(a.times, a.offsets, b.times, b.offsets, 0.0, 0.01,
                                                                    100, 4))
    args = (a.times, a.offsets, b.times, b.offsets, t0, 0.01, nb, 5, 0.03)
    serial = jitter_correlograms(*args, np.uint64(42), 6)
    np.testing.assert_array_equal(serial, naive_stats.jitter_correlograms(*args, 42, 6))
    np.testing.assert_array_equal(jitter_correlograms_parallel(*args, np.uint64(42), 6), serial)


def test_jitter_bands_flag_a_synchronous_peak(rng):
    a = np.sort(rng.uniform(0, 20, 400))
    b = np.sort(np.r_[a[::2] + 0.002, rng.uniform(0, 20, 200)])
    b = b[b <= 20]
    res = cross_correlogram(a, b, 0.002, 0.02, surrogate="jitter", jitter=0.01, n_surrogates=200, rng=3)
    assert res.significant[res.lags.size // 2 + 1]          # the 2 ms lag
    assert np.count_nonzero(res.significant) <= 2
    assert np.all(res.lower <= res.upper) and res.global_upper >= res.upper.max()
    np.testing.assert_allclose(res.corrected, res.counts - res.mean)
    assert res.corrected[res.lags.size // 2 + 1] > 50   # the 100 shifted spikes stand out after correction
    assert cross_correlogram(a, b, 0.002, 0.02).corrected is None
    again = cross_correlogram(a, b, 0.002, 0.02, surrogate="jitter", jitter=0.01, n_surrogates=200, rng=3,
                              parallel=True)
    np.testing.assert_array_equal(res.upper, again.upper)


def test_shuffle_bands_on_independent_trials(rng):
    n = 30
    a = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, 20)) for _ in range(n)], 0.0, 1.0)
    b = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, 20)) for _ in range(n)], 0.0, 1.0)
    res = cross_correlogram(a, b, 0.01, 0.1, surrogate="shuffle", n_surrogates=200, rng=0)
    # shuffled pairs have the same expected correlogram as true pairs of independent trains
    assert np.all(np.abs(res.counts - res.mean) < 6 * np.sqrt(res.mean))
    with pytest.raises(ValidationError, match="at least two trials"):
        cross_correlogram(a[:1], b[:1], 0.01, 0.1, surrogate="shuffle", rng=0)


def test_sttc_by_hand_and_twin(rng):
    # identical trains: every spike tiled, STTC = 1; far apart: negative
    a = np.array([1.0, 2.0, 3.0])
    assert spike_time_tiling(a, a, dt=0.01) == 1.0
    far = spike_time_tiling(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.5, 2.5, 3.5]), dt=0.1)
    assert -1.0 <= far < 0
    st_a = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 2, k)) for k in (10, 40, 3)], 0.0, 2.0)
    st_b = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 2, k)) for k in (15, 40, 1)], 0.0, 2.0)
    lo, hi = np.zeros(3), np.full(3, 2.0)
    np.testing.assert_allclose(sttc_pairs(st_a.times, st_a.offsets, st_b.times, st_b.offsets, lo, hi, 0.05),
                               naive_stats.sttc_pairs(st_a.times, st_a.offsets, st_b.times, st_b.offsets, lo, hi,
                                                      0.05), rtol=1e-12)
    np.testing.assert_allclose(spike_time_tiling(st_a, st_b, dt=0.05), spike_time_tiling(st_b, st_a, dt=0.05))


def test_sttc_empty_train_nan():
    st_a = ss.SpikeTrains.from_list([[0.1, 0.2], []], 0.0, 1.0)
    st_b = ss.SpikeTrains.from_list([[0.1], [0.5]], 0.0, 1.0)
    with pytest.warns(DataWarning, match="without spikes"):
        out = spike_time_tiling(st_a, st_b)
    assert np.isfinite(out[0]) and math.isnan(out[1])


def test_count_correlation(rng):
    n_trials = 50
    shared = rng.poisson(5, n_trials)
    trains, unit, trial = [], [], []
    for u in range(3):
        for k in range(n_trials):
            c = shared[k] + rng.poisson(5) if u < 2 else rng.poisson(10)
            trains.append(np.sort(rng.uniform(0, 1, c)))
            unit.append(u)
            trial.append(k)
    st = ss.SpikeTrains.from_list(trains, 0.0, 1.0, unit=unit, trial=trial)
    res = count_correlation(st)
    counts = np.array([len(t) for t in trains]).reshape(3, n_trials)
    np.testing.assert_allclose(res.r, np.corrcoef(counts), rtol=1e-12)
    assert res.r[0, 1] > 0.3 and res.n_trials == n_trials
    half = 1.959963984540054 / np.sqrt(n_trials - 3)
    assert res.low[0, 1] == pytest.approx(np.tanh(np.arctanh(res.r[0, 1]) - half), rel=1e-12)
    assert res.low[0, 1] < res.r[0, 1] < res.high[0, 1]
    with pytest.raises(ValidationError, match="one train per \\(unit, trial\\)"):
        count_correlation(st[:-1])
    with pytest.raises(ValidationTypeError):
        count_correlation([np.array([0.1])])


def test_bad_input():
    a, b = np.array([0.1, 0.2]), np.array([0.15])
    for bad in (0.0, -0.01, np.nan):
        with pytest.raises(ValidationError, match="`bin_size` must be"):
            cross_correlogram(a, b, bad, 0.05)
    with pytest.raises(ValidationError, match="`max_lag` must be >= 0"):
        cross_correlogram(a, b, 0.01, -0.05)
    with pytest.raises(ValidationError, match="`bin_size` must be <="):
        cross_correlogram(a, b, 5.0, 10.0)
    with pytest.raises(ValidationError, match="Did you mean 'jitter'"):
        cross_correlogram(a, b, 0.01, 0.05, surrogate="jiter")
    st2 = ss.SpikeTrains.from_list([[0.1], [0.2]], 0.0, 1.0)
    with pytest.raises(ValidationError, match="as many trains as `st_a`"):
        cross_correlogram(st2, st2[:1], 0.01, 0.05)
    with pytest.raises(ValidationError, match="`dt` must be > 0"):
        spike_time_tiling(a, b, dt=0.0)
    with pytest.raises(ValidationError, match="finite"):
        spike_time_tiling(np.array([0.1, np.inf]), b)
