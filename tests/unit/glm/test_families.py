"""Families: log-likelihoods against scipy.stats, derivatives against finite differences, deviance identities."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from spikestats.exceptions import ValidationError
from spikestats.glm import Bernoulli, Poisson
from spikestats.glm.families import get_family

LINKS = [(Poisson, "log"), (Poisson, "identity"), (Bernoulli, "logit"), (Bernoulli, "cloglog"), (Bernoulli, "log")]


def _eta_y(cls, link, n=400, seed=0):
    rng = np.random.default_rng(seed)
    if link == "identity":
        eta = rng.uniform(0.05, 5.0, n)
    elif cls is Bernoulli and link == "log":
        eta = rng.uniform(-6.0, -0.05, n)
    else:
        eta = rng.uniform(-6.0, 2.0, n)
    mu = cls(link=link).mean(eta)
    y = (rng.random(n) < mu).astype(float) if cls is Bernoulli else rng.poisson(mu).astype(float)
    return eta, mu, y


@pytest.mark.parametrize("cls, link", LINKS)
def test_log_likelihood_matches_scipy(cls, link):
    eta, mu, y = _eta_y(cls, link)
    fam = cls(link=link)
    ref = stats.poisson.logpmf(y, mu) if cls is Poisson else stats.bernoulli.logpmf(y, mu)
    np.testing.assert_allclose(fam.log_likelihood(y, mu), ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fam.loglik_terms(y, eta, mu) + fam.loglik_constant(y), ref, rtol=1e-10, atol=1e-12)
    assert fam.loglik_sum(y, eta, mu, None) == pytest.approx(fam.loglik_terms(y, eta, mu).sum(), rel=1e-12)


@pytest.mark.parametrize("cls, link", LINKS)
def test_derivatives_match_finite_differences(cls, link):
    eta, mu, y = _eta_y(cls, link, n=200, seed=1)
    fam = cls(link=link)
    h = 1e-5

    def ll(e):
        return fam.loglik_terms(y, e, fam.mean(e))

    d1, d2 = fam.derivatives(y, eta, mu)
    np.testing.assert_allclose(d1, (ll(eta + h) - ll(eta - h)) / (2 * h), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(d2, -(ll(eta + h) - 2 * ll(eta) + ll(eta - h)) / h**2, rtol=1e-3, atol=1e-5)
    assert np.all(d2 >= 0)  # log-concave: Newton with Cholesky applies
    # Fisher weight = E[d2] = E[d1^2] (the expectation over y given mu)
    if cls is Bernoulli:
        d1_1, d2_1 = fam.derivatives(np.ones_like(mu), eta, mu)
        d1_0, d2_0 = fam.derivatives(np.zeros_like(mu), eta, mu)
        np.testing.assert_allclose(fam.fisher_weight(eta, mu), mu * d2_1 + (1 - mu) * d2_0, rtol=1e-9)
        np.testing.assert_allclose(fam.fisher_weight(eta, mu), mu * d1_1**2 + (1 - mu) * d1_0**2, rtol=1e-9)


def test_cloglog_series_branch_is_continuous():
    fam = Bernoulli(link="cloglog")
    eta = np.log(np.array([1e-3 * (1 - 1e-9), 1e-3 * (1 + 1e-9)]))
    y = np.ones(2)
    d1, d2 = fam.derivatives(y, eta, fam.mean(eta))
    assert d1[0] == pytest.approx(d1[1], rel=1e-8) and d2[0] == pytest.approx(d2[1], rel=1e-8)
    w = fam.fisher_weight(eta, fam.mean(eta))
    assert w[0] == pytest.approx(w[1], rel=1e-8)


@pytest.mark.parametrize("cls, link", LINKS)
def test_deviance_is_twice_the_saturated_gap(cls, link):
    eta, mu, y = _eta_y(cls, link, seed=2)
    fam = cls(link=link)
    sat = np.clip(y, 1e-300, None)
    sat_ll = stats.poisson.logpmf(y, sat) if cls is Poisson else np.zeros_like(y)
    np.testing.assert_allclose(fam.unit_deviance(y, mu), 2 * (sat_ll - fam.log_likelihood(y, mu)), rtol=1e-9,
                               atol=1e-9)
    np.testing.assert_allclose(fam.variance(mu), mu if cls is Poisson else mu * (1 - mu))


def test_feasibility_of_bounded_links():
    assert not Poisson(link="identity").feasible(np.array([1.0, -0.1]))
    assert not Bernoulli(link="log").feasible(np.array([-1.0, 0.0]))
    assert Poisson().feasible(np.array([-50.0, 50.0]))


def test_family_construction_errors():
    with pytest.raises(ValidationError, match="Did you mean 'logit'"):
        Bernoulli(link="logi")
    with pytest.raises(ValidationError, match="`family` must be one of"):
        get_family("gaussian")
    assert get_family("bernoulli", "cloglog") == Bernoulli(link="cloglog")
    assert get_family(Poisson()) == Poisson(link="log")
