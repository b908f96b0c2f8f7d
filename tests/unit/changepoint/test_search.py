"""Searches: kernels against their naive twins, PELT against optimal partitioning, the estimator contract."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference import naive_changepoint as naive
from spikestats._kernels import changepoint as K
from spikestats.changepoint import (
    PELT,
    BinarySegmentation,
    ExponentialCost,
    NormalMeanCost,
    OptimalPartitioning,
    WildBinarySegmentation,
    bic_penalty,
    crops,
    mbic_penalty,
)
from spikestats.changepoint.costs import as_cost
from spikestats.exceptions import NotFittedError

COSTS = ("poisson", "exponential", "bernoulli", "normal_mean", "normal_meanvar")


def _data(cost: str, n: int, rng: np.random.Generator, n_features: int = 1) -> np.ndarray:
    """A series of ``n`` samples with a change in the middle, in the form each cost expects."""
    half = n // 2
    shape = (n_features, n) if n_features > 1 else (n,)
    step = np.r_[np.zeros(half), np.ones(n - half)]
    if cost == "poisson":
        return rng.poisson(1.0 + 3.0 * step, size=shape).astype(float)
    if cost == "bernoulli":
        return (rng.random(shape) < 0.2 + 0.5 * step).astype(float)
    if cost == "exponential":
        return rng.exponential(1.0 / (2.0 + 6.0 * step))
    if cost == "normal_mean":
        return rng.normal(2.0 * step, 1.0, size=shape)
    return rng.normal(0.5 * step, 1.0 + 2.0 * step, size=shape)


def _cost(name: str):
    return NormalMeanCost(variance=1.0) if name == "normal_mean" else as_cost(name)


def _twin_cost(name: str, x: np.ndarray):
    return lambda a, b: naive.segment_cost(name, x, a, b)


@pytest.mark.parametrize("cost", COSTS)
def test_segment_costs_equal_the_scipy_log_likelihood(cost, rng):
    x = _data(cost, 24, rng, n_features=1 if cost == "exponential" else 2)
    starts, ends = np.array([0, 3, 5, 10]), np.array([24, 9, 7, 21])
    got = _cost(cost).evaluate(x, starts, ends)
    want = [naive.segment_cost(cost, x, a, b) for a, b in zip(starts, ends)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-10)


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("min_size", [1, 2, 3])
def test_pelt_and_optimal_partitioning_equal_the_naive_twin(cost, min_size, rng):
    if cost == "normal_meanvar" and min_size == 1:
        min_size = 2
    x = _data(cost, 30, rng)
    fn = _twin_cost(cost, x)
    for penalty in (0.5, 3.0, 12.0):
        want_cps, want_obj = naive.optimal_partitioning(fn, 30, penalty, min_size)
        for est in (PELT, OptimalPartitioning):
            got = est(cost=_cost(cost), penalty=penalty, min_size=min_size).fit(x)
            assert got.objective_ == pytest.approx(want_obj, rel=1e-12, abs=1e-9)
            # the twin's own cost of the kernel's segmentation is optimal too (integer data can tie)
            bounds = np.r_[0, got.change_points_, 30]
            own = sum(fn(a, b) for a, b in zip(bounds[:-1], bounds[1:])) + penalty * got.n_changes_
            assert own == pytest.approx(want_obj, rel=1e-12, abs=1e-9)
            if cost in ("normal_mean", "normal_meanvar", "exponential"):
                assert got.change_points_.tolist() == want_cps


@pytest.mark.parametrize("cost", ["poisson", "normal_mean"])
def test_exact_searches_reach_the_brute_force_optimum(cost, rng):
    x = _data(cost, 9, rng)
    fn = _twin_cost(cost, x)
    for penalty in (0.3, 2.0):
        want = naive.brute_force(fn, 9, penalty, 2)
        assert PELT(cost=_cost(cost), penalty=penalty).fit(x).objective_ == pytest.approx(want, rel=1e-12)


def test_mbic_adds_length_terms_to_the_objective(rng):
    x = rng.poisson(np.r_[np.full(40, 1.0), np.full(40, 6.0)])
    est = PELT(penalty="mbic").fit(x)
    beta, weight = mbic_penalty(80, 1)
    assert beta == pytest.approx(3 * math.log(80)) and weight == 1.0
    bounds = np.r_[0, est.change_points_, 80]
    fn = _twin_cost("poisson", x)
    want = sum(fn(a, b) + math.log((b - a) / 80) for a, b in zip(bounds[:-1], bounds[1:])) + beta * est.n_changes_
    assert est.n_changes_ == 1 and est.objective_ == pytest.approx(want, rel=1e-12)
    assert OptimalPartitioning(penalty="mbic").fit(x).objective_ == pytest.approx(est.objective_, rel=1e-12)


def _pelt_equals_op(cost: str, seed: int, n: int, penalty: float, min_size: int, n_features: int) -> None:
    rng = np.random.default_rng(seed)
    x = _data(cost, n, rng, n_features=1 if cost == "exponential" else n_features)
    if cost == "normal_meanvar":
        min_size = max(min_size, 2)
    a = PELT(cost=_cost(cost), penalty=penalty, min_size=min_size).fit(x)
    b = OptimalPartitioning(cost=_cost(cost), penalty=penalty, min_size=min_size).fit(x)
    assert a.change_points_.tolist() == b.change_points_.tolist()
    assert a.objective_ == pytest.approx(b.objective_, rel=1e-12, abs=1e-9)
    assert a.n_evaluations_ <= b.n_evaluations_


@given(cost=st.sampled_from(COSTS), seed=st.integers(0, 2**32 - 1), n=st.integers(2, 80),
       penalty=st.floats(0.05, 40.0), min_size=st.integers(1, 6), n_features=st.integers(1, 3))
def test_pelt_equals_optimal_partitioning(cost, seed, n, penalty, min_size, n_features):
    if min_size > n:
        min_size = n
    _pelt_equals_op(cost, seed, n, penalty, min_size, n_features)


@pytest.mark.parametrize("cost", COSTS)
def test_pelt_equals_optimal_partitioning_on_longer_seeded_series(cost):
    for seed in range(3):
        _pelt_equals_op(cost, seed, 250, 8.0, 1 + seed % 3, 2)


def test_pelt_prunes():
    x = np.random.default_rng(5).poisson(np.repeat([1.0, 5.0, 2.0, 8.0, 0.5] * 4, 50))
    a = PELT().fit(x)
    assert a.n_evaluations_ < 0.2 * OptimalPartitioning().fit(x).n_evaluations_


def test_split_kernels_equal_the_naive_twin(rng):
    x = _data("poisson", 40, rng)
    prep = as_cost("poisson").prepare(x)
    fn = _twin_cost("poisson", x)
    for a, b, m in [(0, 40, 1), (5, 30, 3), (10, 14, 2), (10, 13, 2)]:
        t, gain = K.best_split(prep.kind, prep.cum, prep.scale, a, b, m, 40, 0.0)
        wt, wgain = naive.best_split(fn, a, b, m)
        assert t == wt and (gain == pytest.approx(wgain, rel=1e-10, abs=1e-9) or gain == wgain == -math.inf)
        curve = K.split_costs(prep.kind, prep.cum, prep.scale, a, b, m, 40, 0.0)
        const = prep.const_cum[b] - prep.const_cum[a]
        np.testing.assert_allclose(curve + const, [fn(a, s) + fn(s, b) for s in range(a + m, b - m + 1)],
                                   rtol=1e-12, atol=1e-9)


def test_interval_scan_serial_and_parallel_agree(rng):
    prep = as_cost("poisson").prepare(_data("poisson", 200, rng))
    starts = np.array([0, 10, 50, 120, 3])
    ends = np.array([200, 60, 55, 190, 9])
    args = (prep.kind, prep.cum, prep.scale, starts, ends, 2, 0.0)
    w1, g1 = K.interval_splits(*args)
    w2, g2 = K.interval_splits_parallel(*args)
    assert w1.tolist() == w2.tolist() and np.array_equal(g1, g2)
    for i in range(starts.size):
        assert (w1[i], g1[i]) == K.best_split(prep.kind, prep.cum, prep.scale, starts[i], ends[i], 2, 200, 0.0)


def test_binary_segmentations_find_well_separated_changes(rng):
    x = rng.poisson(np.repeat([1.0, 6.0, 2.0], 200))
    exact = PELT().fit(x).change_points_
    assert exact.size == 2 and np.all(np.abs(exact - [200, 400]) <= 5)
    for est in (BinarySegmentation(), WildBinarySegmentation(n_intervals=300, rng=1)):
        got = est.fit(x).change_points_
        assert got.size == 2 and np.all(np.abs(got - exact) <= 3)


def test_wild_binary_segmentation_is_reproducible_and_finds_a_short_pulse():
    rng = np.random.default_rng(11)
    x = rng.poisson(np.r_[np.full(300, 1.0), np.full(25, 6.0), np.full(300, 1.0)])
    a = WildBinarySegmentation(n_intervals=500, rng=3).fit(x)
    b = WildBinarySegmentation(n_intervals=500, rng=3, parallel=True).fit(x)
    assert a.change_points_.tolist() == b.change_points_.tolist()
    assert a.n_changes_ == 2 and np.all(np.abs(a.change_points_ - [300, 325]) <= 3)


def test_bic_penalty_counts_each_units_rate_and_the_location():
    assert bic_penalty(100) == pytest.approx(2 * math.log(100))
    x = np.random.default_rng(0).poisson(1.0, size=(3, 50))
    assert PELT().fit(x).penalty_ == pytest.approx(4 * math.log(50))
    assert PELT(cost="normal_meanvar").fit(x[0] * 1.0).penalty_ == pytest.approx(3 * math.log(50))


def test_segment_params_per_cost(rng):
    x = np.r_[np.zeros(10), np.full(10, 3.0)]
    est = PELT(penalty=1.0).fit(x)
    assert est.change_points_.tolist() == [10] and est.segment_params_.tolist() == [0.0, 3.0]
    d = np.r_[np.full(10, 0.5), np.full(10, 0.05)]
    np.testing.assert_allclose(PELT(cost=ExponentialCost(), penalty=1.0).fit(d).segment_params_, [2.0, 20.0])
    pop = PELT(penalty=1.0).fit(np.vstack([x, x[::-1]]))
    assert pop.segment_params_.shape == (2, 2)


def test_estimator_contract():
    sklearn_base = pytest.importorskip("sklearn.base")
    est = PELT(cost="bernoulli", penalty=5.0, min_size=3)
    assert est.get_params() == {"cost": "bernoulli", "penalty": 5.0, "min_size": 3, "bin_size": None}
    twin = sklearn_base.clone(est)
    assert twin is not est and twin.get_params() == est.get_params()
    assert repr(est) == "PELT(cost='bernoulli', penalty=5.0, min_size=3, bin_size=None)"
    with pytest.raises(NotFittedError, match="not fitted"):
        est.predict()
    assert est.set_params(penalty=2.0) is est and est.penalty == 2.0
    x = np.r_[np.zeros(20), np.ones(20)]
    assert est.fit(x) is est and est.fit_predict(x).tolist() == [20]
    assert "n_intervals" in WildBinarySegmentation().get_params()


def test_crops_path_matches_pelt_at_every_penalty(rng):
    x = rng.poisson(np.repeat([1.0, 4.0, 2.0, 6.0], 60))
    path = crops(x, (0.5, 80.0))
    assert np.all(np.diff(path.n_changes) < 0) and np.all(np.diff(path.penalties) > 0)
    for beta in np.geomspace(0.6, 79.0, 15):
        est = PELT(penalty=float(beta)).fit(x)
        i = np.searchsorted(path.penalties, beta, side="right") - 1
        assert est.n_changes_ == path.n_changes[i]
        assert est.objective_ == pytest.approx(path.objective(float(beta)), rel=1e-12)
    assert "CropsPath(" in repr(path)


@pytest.mark.parametrize("n_features,min_size", [(1, 1), (1, 2), (3, 1), (2, 4)])
def test_table_driven_poisson_pelt_equals_the_generic_kernel_bit_for_bit(n_features, min_size):
    for seed in range(4):
        rng = np.random.default_rng(seed)
        lam = np.repeat(rng.uniform(0.2, 4.0, size=6), rng.integers(5, 60, size=6))
        x = rng.poisson(lam, size=(n_features, lam.size))
        prep = as_cost("poisson").prepare(x)
        ccum = np.ascontiguousarray(prep.cum[0].T).astype(np.int64)
        for penalty in (1.0, 8.0):
            fast = K.pelt_counts(ccum, penalty, min_size)
            slow = K.pelt(prep.kind, prep.cum, prep.scale, penalty, min_size, 0.0)
            assert fast[0].tolist() == slow[0].tolist() and fast[1] == slow[1] and fast[2] == slow[2]


def test_log_tables():
    np.testing.assert_array_equal(K.xlogx_table(4), [0.0] + [k * math.log(k) for k in range(1, 5)])
    assert K.log_table(3)[0] == -math.inf and K.log_table(3)[3] == math.log(3)
