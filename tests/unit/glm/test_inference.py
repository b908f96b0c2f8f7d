"""Likelihood-ratio tests, information criteria, bits per spike, blocked CV and regularisation paths."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from spikestats.exceptions import ValidationError
from spikestats.glm import (BernoulliGLM, BlockedKFold, PoissonGLM, aic, bic, bits_per_spike, cross_validate,
                            likelihood_ratio_test, regularization_path)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(4000, 4)) * 0.5
    y = rng.poisson(np.exp(-0.5 + X @ np.array([0.5, -0.4, 0.0, 0.2])))
    return X, y


def test_likelihood_ratio_test_is_wilks(data):
    X, y = data
    full = PoissonGLM().fit(X, y)
    reduced = PoissonGLM().fit(X[:, :2], y)
    r = likelihood_ratio_test(full, reduced)
    stat = 2 * (full.log_likelihood_ - reduced.log_likelihood_)
    assert r.df == 2 and r.statistic == pytest.approx(stat, rel=1e-12)
    assert r.pvalue == pytest.approx(stats.chi2.sf(stat, 2), rel=1e-10)
    assert r.pvalue < 1e-6  # column 3 matters
    # a column with no effect: the statistic is small
    r0 = likelihood_ratio_test(PoissonGLM().fit(X[:, [0, 1, 2]], y), reduced)
    assert r0.df == 1 and r0.pvalue > 1e-4
    assert "pvalue=" in repr(r)


def test_likelihood_ratio_test_rejects_non_nested_inputs(data):
    X, y = data
    full = PoissonGLM().fit(X, y)
    with pytest.raises(ValidationError, match="fewer parameters"):
        likelihood_ratio_test(full, full)
    with pytest.raises(ValidationError, match="same bins"):
        likelihood_ratio_test(full, PoissonGLM().fit(X[:100, :2], y[:100]))
    with pytest.raises(ValidationError, match="unpenalised"):
        likelihood_ratio_test(PoissonGLM(alpha=0.1).fit(X, y), PoissonGLM().fit(X[:, :1], y))
    with pytest.raises(ValidationError, match="BernoulliGLM|PoissonGLM"):
        likelihood_ratio_test(full, BernoulliGLM().fit(X[:, :1], np.minimum(y, 1)))
    with pytest.raises(ValidationError, match="nested"):
        likelihood_ratio_test(PoissonGLM().fit(X[:, [2, 3]], y), PoissonGLM().fit(X[:, :1], y))
    with pytest.raises(ValidationError, match="fitted"):
        likelihood_ratio_test(PoissonGLM(), full)


def test_information_criteria_helpers_match_the_fit(data):
    X, y = data
    m = PoissonGLM().fit(X, y)
    assert aic(m.log_likelihood_, 5) == pytest.approx(m.aic_)
    assert bic(m.log_likelihood_, 5, len(y)) == pytest.approx(m.bic_)
    with pytest.raises(ValidationError, match="n_obs"):
        bic(1.0, 2, 0)


def test_bits_per_spike_in_sample(data):
    X, y = data
    m = PoissonGLM().fit(X, y)
    bps = bits_per_spike(m, X, y)
    # the homogeneous model's log-likelihood is the intercept-only fit's
    assert bps == pytest.approx((m.log_likelihood_ - m.null_log_likelihood_) / (y.sum() * np.log(2)), rel=1e-10)
    assert bps > 0
    assert bits_per_spike(PoissonGLM().fit(np.empty((len(y), 0)), y), np.empty((len(y), 0)), y) == \
        pytest.approx(0.0, abs=1e-12)
    # with an exposure offset the homogeneous model scales with it
    off = np.log(np.linspace(0.5, 1.5, len(y)))
    mo = PoissonGLM().fit(X, y, offset=off)
    assert bits_per_spike(mo, X, y, offset=off) == pytest.approx(
        (mo.log_likelihood_ - mo.null_log_likelihood_) / (y.sum() * np.log(2)), rel=1e-10)
    with pytest.raises(ValidationError, match="baseline"):
        bits_per_spike(m, X, y, baseline=0.0)


def test_bits_per_spike_of_bernoulli_uses_a_bernoulli_baseline(data):
    X, y = data
    yb = np.minimum(y, 1)
    m = BernoulliGLM(link="cloglog").fit(X, yb)
    assert bits_per_spike(m, X, yb) == pytest.approx(
        (m.log_likelihood_ - m.null_log_likelihood_) / (yb.sum() * np.log(2)), rel=1e-10)


def test_blocked_kfold_is_contiguous_and_respects_the_gap():
    X = np.zeros((103, 1))
    cv = BlockedKFold(4, gap=5)
    folds = list(cv.split(X))
    assert cv.get_n_splits() == 4 and len(folds) == 4
    tests = np.concatenate([t for _, t in folds])
    np.testing.assert_array_equal(tests, np.arange(103))  # each bin tested once, in order
    for train, test in folds:
        assert np.all(np.diff(test) == 1)
        dist = np.min(np.abs(train[:, None] - test[None, :]))
        assert dist == 6  # 5 bins dropped on each side
        assert len(train) + len(test) + np.sum((np.arange(103) < test[0]) & (np.arange(103) >= test[0] - 5)) \
            + np.sum((np.arange(103) > test[-1]) & (np.arange(103) <= test[-1] + 5)) == 103
    with pytest.raises(ValidationError, match="n_splits"):
        list(BlockedKFold(1).split(X))
    with pytest.raises(ValidationError, match="at least n_splits=4 rows"):
        list(BlockedKFold(4).split(np.zeros((3, 1))))


def test_cross_validate_scores_each_block(data):
    X, y = data
    cv = cross_validate(PoissonGLM(), X, y, n_splits=4)
    assert cv.scores.shape == (4,) and cv.n_test.sum() == len(y)
    # fold 0 by hand
    m = PoissonGLM().fit(X[1000:], y[1000:])
    assert cv.scores[0] == pytest.approx(m.score(X[:1000], y[:1000]), rel=1e-12)
    bits = cross_validate(PoissonGLM(), X, y, n_splits=4, scoring="bits_per_spike")
    base = y[1000:].mean()
    assert bits.scores[0] == pytest.approx(bits_per_spike(m, X[:1000], y[:1000], baseline=base), rel=1e-12)
    assert bits.mean > 0  # real effects: held-out gain over a constant rate
    assert "bits_per_spike" in repr(bits)
    with pytest.raises(ValidationError, match="Did you mean 'log_likelihood'"):
        cross_validate(PoissonGLM(), X, y, scoring="log_likelihod")


def test_regularization_path_warm_starts_and_matches_single_fits(data):
    X, y = data
    path = regularization_path(X, y, l1_ratio=1.0, n_alphas=12)
    assert np.all(np.diff(path.alphas) < 0)
    assert path.n_nonzero[0] == 0 and path.n_nonzero[-1] == X.shape[1]
    assert np.all(path.converged) and np.all(np.diff(path.deviances) <= 1e-9)
    # just below alpha_max the first coefficient enters
    assert regularization_path(X, y, alphas=[path.alphas[0] * 0.99]).n_nonzero[0] == 1
    for i in (3, 11):
        single = PoissonGLM(alpha=path.alphas[i], l1_ratio=1.0).fit(X, y)
        np.testing.assert_allclose(path.coefs[i], single.coef_, atol=1e-7)
        assert path.intercepts[i] == pytest.approx(single.intercept_, abs=1e-7)
    # warm starts: later fits need fewer Newton iterations than a cold start
    assert np.median(path.n_iter[1:]) <= PoissonGLM(alpha=path.alphas[6], l1_ratio=1.0).fit(X, y).n_iter_
    ridge = regularization_path(X, y, l1_ratio=0.0, alphas=[1.0, 0.1, 0.01])
    np.testing.assert_allclose(ridge.coefs[1], PoissonGLM(alpha=0.1).fit(X, y).coef_, atol=1e-7)
    assert "RegularizationPath" in repr(ridge)
