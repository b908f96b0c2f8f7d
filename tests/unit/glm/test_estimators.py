"""PoissonGLM / BernoulliGLM: fitted attributes, prediction, bad input, separation, convergence warnings."""

from __future__ import annotations

import numpy as np
import pytest

from spikestats.exceptions import ConvergenceWarning, NotFittedError, ValidationError, ValidationTypeError
from spikestats.glm import BernoulliGLM, PoissonGLM


def _data(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)) * 0.5
    y = rng.poisson(np.exp(-1.0 + X @ np.array([0.4, -0.3, 0.0])))
    return X, y


def test_fitted_attributes_have_documented_shapes():
    X, y = _data()
    m = PoissonGLM().fit(X, y)
    assert m.coef_.shape == (3,) and isinstance(m.intercept_, float)
    assert m.stderr_.shape == m.pvalues_.shape == (4,)
    assert m.cov_.shape == (4, 4) and np.allclose(m.cov_, m.cov_.T)
    assert m.conf_int().shape == (4, 2)
    assert m.converged_ and 1 <= m.n_iter_ <= 10 and m.grad_norm_ < 1e-6
    assert m.n_obs_ == len(y) and m.n_spikes_ == y.sum()
    assert m.edf_ == 4.0
    assert m.deviance_ < m.null_deviance_
    assert 0.0 < m.pseudo_r2_ < 1.0 and 0.0 < m.explained_deviance_ < 1.0
    assert m.predict(X).shape == (len(y),) and np.all(m.predict(X) > 0)
    assert m.score(X, y) == pytest.approx(m.log_likelihood_ / len(y))
    # a log-link offset multiplies the predicted counts
    np.testing.assert_allclose(m.predict(X, offset=np.full(len(y), np.log(2.0))), 2.0 * m.predict(X))


def test_intercept_only_model_is_the_mean_count():
    X, y = _data()
    m = PoissonGLM().fit(np.empty((len(y), 0)), y)
    assert np.exp(m.intercept_) == pytest.approx(y.mean(), rel=1e-12)
    # Var(log mean) = 1 / (n * mean) for Poisson counts
    assert m.stderr_[0] == pytest.approx(1.0 / np.sqrt(y.sum()), rel=1e-10)
    assert m.log_likelihood_ == pytest.approx(m.null_log_likelihood_, rel=1e-14)


def test_ridge_shrinks_and_lowers_effective_df():
    X, y = _data()
    plain = PoissonGLM().fit(X, y)
    ridge = PoissonGLM(alpha=0.1).fit(X, y)
    assert np.linalg.norm(ridge.coef_) < np.linalg.norm(plain.coef_)
    assert 1.0 < ridge.edf_ < 4.0
    assert np.all(ridge.stderr_[1:] < plain.stderr_[1:])  # the prior adds information
    lasso = PoissonGLM(alpha=0.05, l1_ratio=1.0).fit(X, y)
    zero = lasso.coef_ == 0.0
    assert zero.any() and np.all(np.isnan(lasso.stderr_[1:][zero]))
    assert lasso.edf_ == pytest.approx(1 + np.count_nonzero(lasso.coef_), abs=1e-12)


def test_not_fitted_raises():
    with pytest.raises(NotFittedError, match="fit"):
        PoissonGLM().predict(np.zeros((2, 1)))


@pytest.mark.parametrize("X, y, match", [
    (np.zeros((5, 2)), np.zeros(4), r"`y` must be one count per row of X \(5\); got length 4"),
    (np.ones(5), np.ones(5), r"`X` must be a 2-d design matrix.*reshape"),
    (np.empty((0, 2)), np.empty(0), r"`X` must be a design matrix with at least one row"),
    (np.array([[0.0], [np.nan], [1.0]]), np.array([0, 1, 2]), r"`X` must be finite"),
    (np.array([[0.0], [np.inf], [1.0]]), np.array([0, 1, 2]), r"`X` must be finite"),
    (np.array([[0.0], [1.0], [2.0]]), np.array([0, np.nan, 2]), r"`y` must be finite"),
    (np.array([[0.0], [1.0], [2.0]]), np.array([0, -1, 2]), r"`y` must be non-negative spike counts.*index 1"),
    (np.array([[0.0], [1.0], [2.0]]), np.array([0, 0.5, 2]), r"`y` must be whole-number spike counts"),
    (np.array([[0.0], [1.0], [2.0]]), np.array([0, 0, 0]), r"`y` must be non-zero in at least one bin"),
])
def test_bad_input_is_a_clear_error(X, y, match):
    with pytest.raises(ValidationError, match=match):
        PoissonGLM().fit(X, y)


def test_bad_bernoulli_counts():
    X = np.arange(4.0)[:, None]
    with pytest.raises(ValidationError, match=r"`y` must be 0 or 1 in every bin.*index 2"):
        BernoulliGLM().fit(X, [0, 1, 2, 0])
    with pytest.raises(ValidationError, match=r"`y` must be 0 in at least one bin"):
        BernoulliGLM().fit(X, [1, 1, 1, 1])


@pytest.mark.parametrize("params, match", [
    ({"alpha": -1.0}, r"`alpha` must be >= 0"),
    ({"alpha": np.nan}, r"`alpha` must be finite"),
    ({"l1_ratio": 1.5}, r"`l1_ratio` must be <= 1"),
    ({"l1_ratio": -0.1}, r"`l1_ratio` must be >= 0"),
    ({"link": "logg"}, r"Did you mean 'log'"),
    ({"cov_type": "robust"}, r"`cov_type` must be one of"),
    ({"max_iter": 0}, r"`max_iter` must be >= 1"),
    ({"tol": 0.0}, r"`tol` must be > 0"),
])
def test_bad_parameters_are_clear_errors(params, match):
    X, y = _data(200)
    with pytest.raises(ValidationError, match=match):
        PoissonGLM(**params).fit(X, y)


def test_wrong_types_and_feature_count():
    X, y = _data(200)
    with pytest.raises(ValidationTypeError):
        PoissonGLM(alpha="big").fit(X, y)
    with pytest.raises(ValidationTypeError):
        PoissonGLM().fit(np.array([["a"], ["b"]]), [0, 1])
    m = PoissonGLM().fit(X, y)
    with pytest.raises(ValidationError, match=r"`X` must be a design matrix with 3 columns, as at fit"):
        m.predict(X[:, :2])
    with pytest.raises(ValidationError, match=r"`offset` must be one value per row of X \(200\)"):
        PoissonGLM().fit(X, y, offset=np.zeros(3))
    with pytest.raises(ValidationError, match=r"`sample_weight` must be non-negative"):
        PoissonGLM().fit(X, y, sample_weight=-np.ones(len(y)))


def test_rank_deficient_design_names_the_columns():
    X, y = _data()
    dup = np.column_stack([X, X[:, 0] - 2.0 * X[:, 2]])
    with pytest.raises(ValidationError, match=r"column 0, column 2, column 3 linearly dependent"):
        PoissonGLM().fit(dup, y)
    const = np.column_stack([X, np.full(len(y), 3.0)])
    with pytest.raises(ValidationError, match=r"the intercept, column 3 linearly dependent"):
        PoissonGLM().fit(const, y)
    with pytest.raises(ValidationError, match=r"no all-zero columns; got column 1"):
        PoissonGLM().fit(np.column_stack([X[:, 0], np.zeros(len(y))]), y)
    # a ridge penalty makes the problem well posed
    m = PoissonGLM(alpha=1e-3).fit(dup, y)
    assert m.converged_ and np.all(np.isfinite(m.stderr_))


def test_ill_conditioned_but_full_rank_design_is_accepted():
    X, y = _data()
    near = np.column_stack([X, X[:, 0] + 1e-4 * np.random.default_rng(1).normal(size=len(y))])
    m = PoissonGLM().fit(near, y)
    assert m.converged_ and m.stderr_[-1] > 100 * m.stderr_[2]


def test_perfect_separation_raises_and_ridge_fits():
    X, _ = _data()
    y = (X[:, 0] > 0).astype(float)
    with pytest.raises(ValidationError, match=r"separation.*alpha > 0"):
        BernoulliGLM().fit(X, y)
    m = BernoulliGLM(alpha=1e-3).fit(X, y)
    assert m.converged_ and m.coef_[0] > 5


def test_quasi_separation_raises():
    X, _ = _data()
    y = (X[:, 0] > 0).astype(float)
    y[:10] = 1.0 - y[:10]  # a few bins on the wrong side ...
    X = X.copy()
    X[:10, 0] = 0.0          # ... exactly at the boundary: the coefficient still diverges
    y[X[:, 0] < 0] = 0.0
    with pytest.raises(ValidationError, match="separation"):
        BernoulliGLM().fit(X, y)


def test_convergence_warning_names_the_reason():
    X, y = _data()
    with pytest.warns(ConvergenceWarning, match=r"did not converge: reached max_iter=1 iterations"):
        m = PoissonGLM(max_iter=1).fit(X, y)
    assert not m.converged_ and m.n_iter_ == 1


def test_poisson_column_only_in_silent_bins_warns_of_divergence():
    X, y = _data()
    col = np.where(y == 0, np.abs(X[:, 0]) + 0.1, 0.0)
    with pytest.warns(ConvergenceWarning, match="diverging to -inf"):
        PoissonGLM(max_iter=60).fit(np.column_stack([X, col]), y)


def test_sklearn_parameter_protocol():
    m = PoissonGLM(alpha=0.5, link="identity")
    assert m.get_params()["alpha"] == 0.5 and m.get_params()["link"] == "identity"
    assert repr(m) == "PoissonGLM(alpha=0.5, link='identity')"
    assert m.set_params(alpha=1.0) is m and m.alpha == 1.0
    with pytest.raises(ValidationError, match="Did you mean 'alpha'"):
        m.set_params(alpah=1.0)
    assert BernoulliGLM().get_params()["link"] == "logit"


def test_fit_memory_stays_below_twice_the_design():
    import tracemalloc

    rng = np.random.default_rng(2)
    X = rng.random((200_000, 10))
    y = rng.poisson(np.exp(-3.0 + X @ np.linspace(-0.5, 0.5, 10)))
    PoissonGLM().fit(X[:1000], y[:1000])  # imports and first-call caches outside the measurement
    tracemalloc.start()
    try:
        PoissonGLM(cov_type="sandwich").fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2.0 * X.nbytes, f"peak {peak / 2**20:.1f} MiB for a {X.nbytes / 2**20:.1f} MiB design"


def test_summary_lists_every_coefficient():
    X, y = _data()
    m = PoissonGLM().fit(X, y)
    text = m.summary(["stim", "hist1", "hist2"])
    lines = text.splitlines()
    assert lines[0].startswith("PoissonGLM (poisson, log link")
    assert [ln.split()[0] for ln in lines[-4:]] == ["intercept", "stim", "hist1", "hist2"]
    assert f"{m.coef_[0]:.4g}" in lines[-3]
    with pytest.raises(ValidationError, match="3 names"):
        m.summary(["a"])


@pytest.mark.parametrize("cls, y_of", [(PoissonGLM, lambda y: y), (BernoulliGLM, lambda y: np.minimum(y, 1))])
def test_equivariance_under_column_scaling_and_offset_shift(cls, y_of):
    X, y = _data()
    y = y_of(y)
    base = cls().fit(X, y)
    scale = np.array([2.0, 0.5, 10.0])
    scaled = cls().fit(X * scale, y)
    np.testing.assert_allclose(scaled.coef_ * scale, base.coef_, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(scaled.stderr_[1:] * scale, base.stderr_[1:], rtol=1e-7)
    assert scaled.log_likelihood_ == pytest.approx(base.log_likelihood_, rel=1e-12)
    shifted = cls().fit(X, y, offset=np.full(len(y), 0.7))
    assert shifted.intercept_ == pytest.approx(base.intercept_ - 0.7, abs=1e-8)
    np.testing.assert_allclose(shifted.coef_, base.coef_, atol=1e-8)
    # frequency weights equal duplicated rows
    w = np.random.default_rng(5).integers(0, 3, len(y))
    weighted = cls().fit(X, y, sample_weight=w)
    repeated = cls().fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-9)
    np.testing.assert_allclose(weighted.stderr_, repeated.stderr_, rtol=1e-7)
    assert weighted.log_likelihood_ == pytest.approx(repeated.log_likelihood_, rel=1e-10)
    assert weighted.bic_ == pytest.approx(repeated.bic_, rel=1e-10)
