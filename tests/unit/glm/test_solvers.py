"""The GLM solvers: coordinate-descent kernel against its twin, optimality (KKT) conditions, warm starts."""

from __future__ import annotations

import numpy as np
import pytest
from reference import naive_glm

from spikestats._kernels.glm_fit import cd_l1_quadratic
from spikestats.glm import PoissonGLM


def _problem(rng, q=6):
    a = rng.normal(size=(3 * q, q))
    return a.T @ a / (3 * q) + 0.1 * np.eye(q), rng.normal(size=q)


@pytest.mark.parametrize("seed", range(3))
def test_cd_kernel_matches_its_twin(seed):
    rng = np.random.default_rng(seed)
    hess, lin = _problem(rng)
    l1 = np.r_[0.0, np.full(5, 0.3)]
    z = rng.normal(size=6)
    z_ref = list(z)
    n = cd_l1_quadratic(hess, lin, z, l1, 500, 1e-13)
    n_ref = naive_glm.cd_l1_quadratic(hess.tolist(), lin.tolist(), z_ref, l1.tolist(), 500, 1e-13)
    assert n == n_ref
    np.testing.assert_allclose(z, z_ref, rtol=1e-12, atol=1e-14)


def test_cd_kernel_meets_the_optimality_conditions():
    rng = np.random.default_rng(4)
    hess, lin = _problem(rng, 8)
    l1 = np.full(8, 0.4)
    z = np.zeros(8)
    cd_l1_quadratic(hess, lin, z, l1, 10_000, 1e-14)
    g = lin + hess @ z
    nz = z != 0
    assert nz.any() and (~nz).any()
    np.testing.assert_allclose(g[nz], -l1[nz] * np.sign(z[nz]), atol=1e-10)
    assert np.all(np.abs(g[~nz]) <= l1[~nz] + 1e-10)


def _history_design(rng, n, dt=0.001):
    from scipy.signal import lfilter

    spikes = (rng.random(n) < 0.02).astype(float)
    return np.column_stack([lfilter([0.0, 1.0], [1.0, -np.exp(-dt / tau)], spikes)
                            for tau in (0.002, 0.005, 0.01, 0.03, 0.1)])


@pytest.mark.parametrize("alpha, l1_ratio", [(1e-3, 1.0), (3e-3, 0.5), (1e-2, 0.0)])
def test_penalised_fit_meets_kkt_on_a_correlated_history_design(alpha, l1_ratio):
    rng = np.random.default_rng(7)
    X = _history_design(rng, 20_000)
    y = rng.poisson(np.exp(-3.0 + X @ np.array([-1.0, -0.5, 0.3, 0.1, -0.05])))
    m = PoissonGLM(alpha=alpha, l1_ratio=l1_ratio).fit(X, y)
    mu = m.predict(X)
    n = len(y)
    grad = -(X.T @ (y - mu)) / n + alpha * (1 - l1_ratio) * m.coef_  # smooth part, mean-scaled
    l1 = alpha * l1_ratio
    assert abs(np.sum(y - mu)) / n < 1e-10  # unpenalised intercept: score equation
    nz = m.coef_ != 0
    np.testing.assert_allclose(grad[nz], -l1 * np.sign(m.coef_[nz]), atol=1e-9)
    assert np.all(np.abs(grad[~nz]) <= l1 + 1e-9)
    if l1_ratio == 1.0:
        assert (~nz).any()


def test_subsample_start_reaches_the_same_optimum(monkeypatch):
    import spikestats.glm.estimators as est

    rng = np.random.default_rng(9)
    n = est.SUBSAMPLE_MIN_BINS
    X = _history_design(rng, n)
    y = rng.poisson(np.exp(-3.0 + X @ np.array([-1.0, -0.5, 0.3, 0.1, -0.05])))
    warm = PoissonGLM().fit(X, y)
    assert est.subsample_start(warm_design := est.GLMProblem(X, y.astype(float), None, None, True), warm.family_,
                               l1=0.0, l2=0.0, max_iter=100) is not None
    monkeypatch.setattr(est, "SUBSAMPLE_MIN_BINS", 10 * n)
    assert est.subsample_start(warm_design, warm.family_, l1=0.0, l2=0.0, max_iter=100) is None
    cold = PoissonGLM().fit(X, y)
    np.testing.assert_allclose(warm.coef_, cold.coef_, atol=1e-9)
    np.testing.assert_allclose(warm.stderr_, cold.stderr_, rtol=1e-7)
    assert warm.n_iter_ <= cold.n_iter_
