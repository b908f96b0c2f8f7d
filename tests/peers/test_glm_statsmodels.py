"""PoissonGLM / BernoulliGLM against statsmodels GLM and scikit-learn's PoissonRegressor on identical designs.

Conventions matched: statsmodels' ``llf`` includes ``-log(y!)``; its default
covariance after IRLS is the inverse Fisher information and after
``method="newton"`` the inverse observed information (the same for canonical
links); ``cov_type="HC0"`` is our ``"sandwich"``; ``fit_regularized(alpha,
L1_wt)`` minimises ``-llf / n + alpha * (L1_wt |b|_1 + (1 - L1_wt) |b|^2 / 2)``,
our objective, once its intercept entry of ``alpha`` is 0. scikit-learn's
``PoissonRegressor(alpha)`` minimises ``deviance / (2 n) + alpha |b|^2 / 2``,
which is our ridge objective up to a constant: the same ``alpha``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from spikestats.glm import BernoulliGLM, PoissonGLM

pytestmark = pytest.mark.peers

sm = pytest.importorskip("statsmodels.api", reason="statsmodels is not importable")

COEF_ATOL = 1e-6
SE_RTOL = 1e-5
LL_RTOL = 1e-8


def _history_design(rng, n, taus=(0.002, 0.005, 0.01, 0.03, 0.1), dt=0.001, rate=20.0):
    """Columns of a spike train filtered by exponentials (spike-history-like), plus a stimulus column."""
    from scipy.signal import lfilter

    spikes = (rng.random(n) < rate * dt).astype(float)
    cols = [lfilter([0.0, 1.0], [1.0, -np.exp(-dt / tau)], spikes) for tau in taus]
    cols.append(np.sin(np.arange(n) * 2 * np.pi * dt * 3.0))
    return np.column_stack(cols)


@pytest.fixture(scope="module")
def poisson_data():
    rng = np.random.default_rng(7)
    X = _history_design(rng, 30_000)
    beta = np.array([-1.0, -0.5, 0.3, 0.1, -0.05, 0.4])
    y = rng.poisson(np.exp(-3.0 + X @ beta))
    return X, y


def _params(model):
    return np.concatenate(([model.intercept_], model.coef_))


def _assert_same_fit(ours, theirs):
    np.testing.assert_allclose(_params(ours), theirs.params, rtol=0, atol=COEF_ATOL)
    np.testing.assert_allclose(ours.stderr_, theirs.bse, rtol=SE_RTOL)
    assert ours.log_likelihood_ == pytest.approx(theirs.llf, rel=LL_RTOL)


@pytest.mark.parametrize("cov_type, sm_cov", [("observed", "nonrobust"), ("sandwich", "HC0")])
def test_poisson_matches_statsmodels(poisson_data, cov_type, sm_cov):
    X, y = poisson_data
    ours = PoissonGLM(cov_type=cov_type).fit(X, y)
    theirs = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson()).fit(tol=1e-12, cov_type=sm_cov)
    _assert_same_fit(ours, theirs)
    assert ours.converged_
    np.testing.assert_allclose(ours.cov_, theirs.cov_params(), rtol=SE_RTOL, atol=1e-12)
    np.testing.assert_allclose(ours.pvalues_[theirs.pvalues > 1e-300], theirs.pvalues[theirs.pvalues > 1e-300],
                               rtol=1e-4)
    assert ours.deviance_ == pytest.approx(theirs.deviance, rel=1e-8)
    assert ours.null_deviance_ == pytest.approx(theirs.null_deviance, rel=1e-8)
    assert ours.aic_ == pytest.approx(theirs.aic, rel=1e-10)
    assert ours.bic_ == pytest.approx(theirs.bic_llf, rel=1e-10)
    assert ours.pseudo_r2_ == pytest.approx(theirs.pseudo_rsquared(kind="mcf"), rel=1e-8)
    np.testing.assert_allclose(ours.conf_int(0.05), theirs.conf_int(0.05), rtol=0, atol=1e-5)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(sm.add_constant(X)), rtol=1e-6)


def test_poisson_with_offset_weights_and_no_intercept(poisson_data):
    X, y = poisson_data
    rng = np.random.default_rng(3)
    offset = np.log(rng.uniform(0.5, 2.0, len(y)))
    w = rng.integers(1, 4, len(y)).astype(float)
    ours = PoissonGLM().fit(X, y, offset=offset, sample_weight=w)
    theirs = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson(), offset=offset,
                    freq_weights=w).fit(tol=1e-12)
    _assert_same_fit(ours, theirs)
    assert ours.null_deviance_ == pytest.approx(theirs.null_deviance, rel=1e-8)
    assert ours.n_obs_ == theirs.model.wnobs
    assert ours.bic_ == pytest.approx(theirs.bic_llf, rel=1e-10)
    Xc = X + 0.1  # without an intercept column
    ours = PoissonGLM(fit_intercept=False).fit(Xc, y)
    theirs = sm.GLM(y, Xc, family=sm.families.Poisson()).fit(tol=1e-12)
    np.testing.assert_allclose(ours.coef_, theirs.params, rtol=0, atol=COEF_ATOL)
    np.testing.assert_allclose(ours.stderr_[1:], theirs.bse, rtol=SE_RTOL)
    assert np.isnan(ours.stderr_[0]) and ours.intercept_ == 0.0


def test_poisson_identity_link_matches_statsmodels():
    rng = np.random.default_rng(11)
    X = rng.uniform(0.0, 1.0, size=(5000, 2))
    y = rng.poisson(0.5 + X @ np.array([1.0, 2.0]))
    ours = PoissonGLM(link="identity").fit(X, y)
    fam = sm.families.Poisson(link=sm.families.links.Identity())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sm.GLM(y, sm.add_constant(X), family=fam).fit(method="newton", tol=1e-12)
    _assert_same_fit(ours, theirs)
    exp = PoissonGLM(link="identity", cov_type="expected").fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs_irls = sm.GLM(y, sm.add_constant(X), family=fam).fit(tol=1e-12)
    np.testing.assert_allclose(exp.stderr_, theirs_irls.bse, rtol=SE_RTOL)


@pytest.mark.parametrize("link", ["logit", "cloglog", "log"])
def test_bernoulli_matches_statsmodels_binomial(link):
    rng = np.random.default_rng(5)
    X = _history_design(rng, 10_000)
    beta = np.array([-1.0, -0.5, 0.3, 0.1, -0.05, 0.4])
    p = np.minimum(np.exp(-3.0 + X @ beta), 0.5)
    y = (rng.random(len(p)) < p).astype(float)
    links = {"logit": sm.families.links.Logit(), "cloglog": sm.families.links.CLogLog(),
             "log": sm.families.links.Log()}
    fam = sm.families.Binomial(link=links[link])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns about non-canonical links
        observed = sm.GLM(y, sm.add_constant(X), family=fam).fit(method="newton", tol=1e-12, maxiter=200)
        fisher = sm.GLM(y, sm.add_constant(X), family=fam).fit(tol=1e-12, maxiter=200)
        robust = sm.GLM(y, sm.add_constant(X), family=fam).fit(method="newton", tol=1e-12, cov_type="HC0")
    _assert_same_fit(BernoulliGLM(link=link).fit(X, y), observed)
    np.testing.assert_allclose(BernoulliGLM(link=link, cov_type="expected").fit(X, y).stderr_, fisher.bse,
                               rtol=SE_RTOL)
    np.testing.assert_allclose(BernoulliGLM(link=link, cov_type="sandwich").fit(X, y).stderr_, robust.bse,
                               rtol=SE_RTOL)


@pytest.mark.parametrize("alpha, l1_ratio", [(1e-3, 1.0), (3e-3, 0.5), (1e-2, 0.2)])
def test_elastic_net_matches_statsmodels_fit_regularized(alpha, l1_ratio):
    """On a well-conditioned design, where statsmodels' coordinate descent converges.

    (On the correlated history design of the other tests statsmodels stops
    after minutes with zeros whose gradients exceed the L1 weight, violating
    the optimality conditions: tests/unit/glm/test_solvers.py checks ours there.)
    """
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5000, 5)) * 0.5
    y = rng.poisson(np.exp(-1.0 + X @ np.array([0.5, -0.3, 0.02, 0.0, 0.1])))
    ours = PoissonGLM(alpha=alpha, l1_ratio=l1_ratio).fit(X, y)
    pen = np.r_[0.0, np.full(X.shape[1], alpha)]  # statsmodels would penalise the intercept too
    theirs = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson()).fit_regularized(
        alpha=pen, L1_wt=l1_ratio, cnvrg_tol=1e-12, maxiter=2000)
    np.testing.assert_allclose(_params(ours), theirs.params, rtol=0, atol=COEF_ATOL)
    assert np.array_equal(ours.coef_ == 0.0, theirs.params[1:] == 0.0)
    assert 0 < np.count_nonzero(ours.coef_) < X.shape[1]


@pytest.mark.parametrize("alpha", [1e-4, 1e-2, 1.0])
def test_ridge_matches_sklearn_poisson_regressor(poisson_data, alpha):
    linear_model = pytest.importorskip("sklearn.linear_model", reason="scikit-learn is not importable")
    X, y = poisson_data
    ours = PoissonGLM(alpha=alpha).fit(X, y)
    theirs = linear_model.PoissonRegressor(alpha=alpha, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=COEF_ATOL)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=COEF_ATOL)
    # their score is the fraction of deviance explained
    assert ours.explained_deviance_ == pytest.approx(theirs.score(X, y), rel=1e-6)
    w = np.random.default_rng(2).integers(1, 3, len(y)).astype(float)
    ours = PoissonGLM(alpha=alpha).fit(X, y, sample_weight=w)
    theirs = linear_model.PoissonRegressor(alpha=alpha, solver="newton-cholesky", tol=1e-12,
                                           max_iter=1000).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=COEF_ATOL)
