"""cv, cv2, lv, lvr: hand values, pooled variants, intervals, naive twins, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference import naive_stats

import spikestats as ss
from spikestats._kernels.isi import KIND_CV2, KIND_LV, KIND_LVR, isi_central_moments, local_variation
from spikestats.exceptions import DataWarning, ValidationError, ValidationTypeError
from spikestats.stats._results import Estimate
from spikestats.stats.intervals import cv, cv2, lv, lvr

# intervals 1, 3, 2 s: pairs (1, 3) and (3, 2)
TRAIN = np.array([0.0, 1.0, 4.0, 6.0])


def test_hand_values():
    assert cv2(TRAIN) == pytest.approx((2 * 2 / 4 + 2 * 1 / 5) / 2, rel=1e-15)
    assert lv(TRAIN) == pytest.approx((3 * 4 / 16 + 3 * 1 / 25) / 2, rel=1e-15)
    r = 0.5
    expected = (3 * (1 - 4 * 3 / 16) * (1 + 4 * r / 4) + 3 * (1 - 4 * 6 / 25) * (1 + 4 * r / 5)) / 2
    assert lvr(TRAIN, r=r) == pytest.approx(expected, rel=1e-15)
    assert lvr(TRAIN, r=0.0) == pytest.approx(lv(TRAIN), rel=1e-15)
    # a regular train has no local variation
    regular = np.arange(10) * 0.1
    assert cv2(regular) == pytest.approx(0.0, abs=1e-12)
    assert lv(regular) == pytest.approx(0.0, abs=1e-12)


def test_per_train_shapes_and_pooling():
    st = ss.SpikeTrains.from_list([TRAIN, TRAIN * 2 + 1, np.array([0.5, 0.7, 2.0, 2.1, 5.0])], 0.0, 20.0)
    for f in (cv2, lv, lvr):
        per = f(st)
        assert per.shape == (3,)
        if f is not lvr:  # train 1 is a scaled, shifted copy of train 0 (LvR's R does not scale)
            assert per[0] == pytest.approx(per[1], rel=1e-14)
        # pooled = mean of all pair terms = pair-count-weighted mean of per-train values
        pairs = np.array([2, 2, 3])
        assert f(st, pooled=True) == pytest.approx(np.sum(per * pairs) / pairs.sum(), rel=1e-14)
    # pooled CV: all intervals together
    intervals = np.concatenate([np.diff(t) for t in st])
    assert cv(st, pooled=True) == pytest.approx(intervals.std() / intervals.mean(), rel=1e-14)
    assert cv(st, pooled=True, ddof=1) == pytest.approx(intervals.std(ddof=1) / intervals.mean(), rel=1e-14)


def test_intervals_contain_estimate_and_shrink(rng):
    short = np.cumsum(rng.exponential(0.05, 60))
    long = np.cumsum(rng.exponential(0.05, 6000))
    for f in (cv, cv2, lv, lvr):
        a, b = f(short, ci=0.95), f(long, ci=0.95)
        assert isinstance(a, Estimate) and a.confidence == 0.95
        assert a.low < a.estimate < a.high
        assert a.estimate == pytest.approx(f(short), rel=1e-14)
        assert (b.high - b.low) < (a.high - a.low) / 5  # width ~ 1/sqrt(n)
    wide, narrow = lv(long, ci=0.99), lv(long, ci=0.5)
    assert wide.low < narrow.low < narrow.high < wide.high
    assert "Estimate(" in repr(wide) and "1-dependent" in repr(wide)


def test_local_variation_se_formula(rng):
    # the 1-dependent variance: (g0 + 2 g1) / m from the terms' autocovariances
    t = np.cumsum(rng.gamma(2.0, 0.02, 300))
    d = np.diff(t)
    terms = 3 * (d[:-1] - d[1:]) ** 2 / (d[:-1] + d[1:]) ** 2
    dev = terms - terms.mean()
    se = math.sqrt((np.mean(dev * dev) + 2 * np.sum(dev[:-1] * dev[1:]) / terms.size) / terms.size)
    est = lv(t, ci=0.9)
    assert est.high - est.estimate == pytest.approx(1.6448536269514722 * se, rel=1e-10)


@pytest.mark.parametrize("kind,r", [(KIND_CV2, 0.0), (KIND_LV, 0.0), (KIND_LVR, 0.004)])
@pytest.mark.parametrize("spread", [False, True])
def test_local_variation_kernel_matches_twin(kind, r, spread, rng):
    trains = [np.sort(rng.uniform(0, 1, k)) for k in (0, 1, 2, 3, 7, 30)]
    st = ss.SpikeTrains.from_list(trains, 0.0, 1.0)
    center = np.full(len(st), np.nan)
    center[3] = 0.8
    got = local_variation(st.times, st.offsets, kind, r, spread, center)
    want = naive_stats.local_variation(st.times, st.offsets, kind, r, spread, center)
    np.testing.assert_array_equal(got[0], want[0])
    for g, w in zip(got[1:], want[1:]):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-15)


def test_isi_central_moments_matches_twin(rng):
    st = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, k)) for k in (0, 1, 2, 5, 40)], 0.0, 1.0)
    n, m = isi_central_moments(st.times, st.offsets)
    n2, m2 = naive_stats.isi_central_moments(st.times, st.offsets)
    np.testing.assert_array_equal(n, n2)
    np.testing.assert_allclose(m, m2, rtol=1e-12, atol=1e-18)


def test_short_trains_nan_with_warning():
    st = ss.SpikeTrains.from_list([[], [0.1], [0.1, 0.2], TRAIN], 0.0, 10.0)
    for f in (cv2, lv, lvr):
        with pytest.warns(DataWarning, match="fewer than three spikes"):
            out = f(st)
        assert np.all(np.isnan(out[:3])) and np.isfinite(out[3])
    with pytest.warns(DataWarning):
        assert math.isnan(lv(np.array([0.3])))
    with pytest.warns(DataWarning):
        est = cv2(st, ci=0.95)
    assert np.isnan(est.low[0]) and np.isfinite(est.low[3])


def test_bad_input():
    with pytest.raises(ValidationError, match="`r` must be >= 0"):
        lvr(TRAIN, r=-1e-3)
    with pytest.raises(ValidationError, match="`r` must be finite"):
        lvr(TRAIN, r=np.inf)
    with pytest.raises(ValidationError, match="finite"):
        lv(np.array([0.1, np.nan, 0.3]))
    with pytest.raises(ValidationError, match="`ci` must be a coverage"):
        cv2(TRAIN, ci=1.5)
    with pytest.raises(ValidationTypeError, match="`pooled` must be True or False"):
        lv(TRAIN, pooled="yes")
    with pytest.raises(ValidationError, match="sorted"):
        ss.SpikeTrains.from_list([[0.3, 0.1, 0.2]], 0.0, 1.0)


def test_parallel_kernel_is_identical(rng):
    from spikestats._kernels.isi import local_variation_parallel

    st = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, k)) for k in (0, 2, 3, 50, 200)], 0.0, 1.0)
    center = np.full(len(st), np.nan)
    for kind in (KIND_CV2, KIND_LV, KIND_LVR):
        for spread in (False, True):
            serial = local_variation(st.times, st.offsets, kind, 0.003, spread, center)
            threaded = local_variation_parallel(st.times, st.offsets, kind, 0.003, spread, center)
            for s, t in zip(serial, threaded):
                np.testing.assert_array_equal(s, t)


def test_parallel_auto_threads_large_inputs_with_identical_results(rng, monkeypatch):
    import spikestats.stats.intervals as intervals

    calls = []
    real = {"serial": intervals.local_variation, "threaded": intervals.local_variation_parallel}
    monkeypatch.setattr(intervals, "local_variation", lambda *a: calls.append("serial") or real["serial"](*a))
    monkeypatch.setattr(intervals, "local_variation_parallel",
                        lambda *a: calls.append("threaded") or real["threaded"](*a))
    st = ss.generators.PoissonProcess(rate=30.0).simulate(n_trains=20, t_stop=5.0, rng=rng)
    monkeypatch.setattr(intervals, "threads_pay_off", lambda n: False)
    small = lv(st)
    monkeypatch.setattr(intervals, "threads_pay_off", lambda n: n == st.n_spikes)  # now "large" on idle cores
    large = lv(st)
    forced = lv(st, parallel=False)
    assert calls == ["serial", "threaded", "serial"]
    np.testing.assert_array_equal(small, large)
    np.testing.assert_array_equal(small, forced)
    with pytest.raises(ValidationTypeError, match="parallel"):
        lv(st, parallel="auto")


def test_threads_pay_off_only_for_large_inputs_on_free_cores(monkeypatch):
    import os

    from spikestats import _config

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    assert not _config.threads_pay_off(_config.PARALLEL_MIN_ITEMS - 1)
    assert _config.threads_pay_off(_config.PARALLEL_MIN_ITEMS)
    monkeypatch.setattr(os, "getloadavg", lambda: (3.0, 3.0, 3.0))
    assert not _config.threads_pay_off(10 * _config.PARALLEL_MIN_ITEMS)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not _config.threads_pay_off(10 * _config.PARALLEL_MIN_ITEMS)


def test_coincident_spikes_give_nan_like_elephant():
    # three spikes at one time: the pair of zero intervals has 0 / 0 in every term (Elephant: NaN too)
    t = np.array([0.1, 0.1, 0.1, 0.2, 0.35])
    for f in (cv2, lv, lvr):
        assert math.isnan(f(t))
    assert np.isfinite(lv(np.array([0.1, 0.1, 0.2, 0.35])))  # one zero interval is fine
