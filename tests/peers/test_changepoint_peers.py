"""Change points against skchange (Poisson PELT) and ruptures (Gaussian-mean PELT) on identical inputs.

Conventions: spikestats' costs are ``-2 log L`` with constants, as skchange's
``PoissonCost``; its BIC penalty ``(p + 1) log n`` is skchange's
``bic_penalty(n, p)``; both add the penalty once per change. ruptures'
``"l2"`` cost is ``sum (x - mean)^2``, which is spikestats' ``normal_mean``
cost with ``variance=1`` less ``n log(2 pi)`` (the same for every
segmentation), and ruptures adds ``pen`` per change, so the same ``pen``
gives the same optimum. skchange takes data as ``(n_samples, n_features)``,
spikestats time last.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from spikestats.changepoint import PELT, NormalMeanCost, PoissonCost

pytestmark = pytest.mark.peers

skchange_detectors = pytest.importorskip("skchange.detectors")
skchange_scorers = pytest.importorskip("skchange.interval_scorers")
rpt = pytest.importorskip("ruptures")


def _counts(seed: int, n: int, n_units: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    k = rng.integers(1, 6)
    rates = rng.uniform(0.2, 5.0, size=(n_units, k + 1))
    bounds = np.sort(rng.choice(np.arange(10, n - 10), size=k, replace=False))
    lam = np.concatenate([np.repeat(rates[:, [j]], b - a, axis=1)
                          for j, (a, b) in enumerate(zip(np.r_[0, bounds], np.r_[bounds, n]))], axis=1)
    return rng.poisson(lam)


def _skchange(x: np.ndarray, penalty, min_size: int) -> tuple[list[int], float, float]:
    data = np.atleast_2d(x).T.astype(float)
    det = skchange_detectors.PELT(cost=skchange_scorers.PoissonCost(), penalty=penalty,
                                  min_segment_length=min_size).fit(data)
    out = det.predict_all(data)
    return out["changepoints"].tolist(), float(out["cumulative_optimal_costs"][-1]), float(det.penalty_)


def _assert_same_optimum(ours, x, cps: list[int], objective: float, penalty: float) -> None:
    """Same objective; same change points, or (integer counts can tie exactly) theirs is optimal for us too."""
    assert ours.objective_ == pytest.approx(objective, rel=1e-9)
    if ours.change_points_.tolist() != cps:
        bounds = np.r_[0, cps, np.shape(x)[-1]]
        mine = PoissonCost().evaluate(x, bounds[:-1], bounds[1:]).sum() + penalty * len(cps)
        assert mine == pytest.approx(ours.objective_, rel=1e-12), "different change points, different optima"


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_units", [1, 3])
def test_poisson_pelt_equals_skchange(seed, n_units):
    x = _counts(seed, 400, n_units)
    x = x[0] if n_units == 1 else x
    for min_size in (1, 2, 5):
        ours = PELT(cost="poisson", penalty="bic", min_size=min_size).fit(x)
        cps, objective, penalty = _skchange(x, None, min_size)
        assert ours.penalty_ == pytest.approx(penalty, rel=1e-15)
        assert ours.change_points_.tolist() == cps
        assert ours.objective_ == pytest.approx(objective, rel=1e-9)
        user = PELT(cost="poisson", penalty=3.0, min_size=min_size).fit(x)
        cps, objective, _ = _skchange(x, 3.0, min_size)
        _assert_same_optimum(user, x, cps, objective, 3.0)


def test_poisson_cost_equals_skchanges():
    x = _counts(3, 200, 2)
    scorer = skchange_scorers.PoissonCost().fit(x.T.astype(float))
    spans = np.array([[0, 200], [10, 30], [57, 58], [100, 190]])
    theirs = scorer.evaluate(scorer.precompute(x.T.astype(float)), spans).sum(axis=1)
    np.testing.assert_allclose(PoissonCost().evaluate(x, spans[:, 0], spans[:, 1]), theirs, rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("min_size", [2, 7])
def test_gaussian_mean_pelt_equals_ruptures(seed, min_size):
    rng = np.random.default_rng(100 + seed)
    means = np.repeat(rng.normal(0, 2, size=5), rng.integers(15, 40, size=5))
    y = means + rng.normal(size=means.size)
    for pen in (3.0, 30.0):
        ours = PELT(cost=NormalMeanCost(variance=1.0), penalty=pen, min_size=min_size).fit(y)
        algo = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(y)
        bkps = algo.predict(pen=pen)
        assert ours.change_points_.tolist() == bkps[:-1]
        theirs = algo.cost.sum_of_costs(bkps) + pen * (len(bkps) - 1)
        assert ours.objective_ - y.size * math.log(2 * math.pi) == pytest.approx(theirs, rel=1e-9)
