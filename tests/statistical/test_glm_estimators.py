"""Seeded checks of GLM inference: Wald intervals cover the true coefficients at their nominal rate.

Data come from a known autoregressive Poisson (or Bernoulli) model of spike
counts whose design says whether the previous bins held a spike (a
spike-history GLM with one column per lag) plus a stimulus column. Coverage of 95 % Wald
intervals is counted over seeds and all coefficients, with the binomial
tolerance ``coverage_tol`` (intervals of the same fit are slightly
correlated, which the 5-SE margin absorbs). The slow sweep uses many more
seeds. Under overdispersed (negative-binomial, variance twice the mean) counts the model-based
intervals undercover while the sandwich intervals keep their coverage.
"""

from __future__ import annotations

import numpy as np
import pytest
from _tolerances import coverage_tol, sample_mean_tol

from spikestats.glm import BernoulliGLM, PoissonGLM

INTERCEPT = -2.5
HISTORY = np.array([-1.5, -0.6, 0.25, 0.1])  # refractory, then mild rebound
STIM = 0.5


def simulate(seed: int, n: int = 8000, family: str = "poisson", overdispersion: float | None = None,
             intercept: float = INTERCEPT):
    """Counts of a history GLM with a sinusoidal stimulus; returns (X, y, true params intercept first)."""
    rng = np.random.default_rng(seed)
    stim = np.sin(2 * np.pi * np.arange(n) / 250.0) + 0.3 * rng.normal(size=n)
    lags = len(HISTORY)
    y = np.zeros(n, dtype=np.int64)
    past = np.zeros(lags)
    u = rng.random(n)
    for t in range(n):
        eta = intercept + HISTORY @ past + STIM * stim[t]
        mu = np.exp(eta)
        if family == "bernoulli":
            y[t] = u[t] < -np.expm1(-mu)  # cloglog: P(at least one event)
        elif overdispersion is None:
            y[t] = rng.poisson(mu)
        else:  # negative binomial with mean mu and shape k: gamma-Poisson mixture
            y[t] = rng.poisson(mu * rng.gamma(overdispersion, 1.0 / overdispersion))
        past[1:] = past[:-1]
        past[0] = min(y[t], 1)  # history of spike / no spike per bin: bounded intensity
    spiked = np.minimum(y, 1).astype(float)
    X = np.column_stack([np.concatenate((np.zeros(k + 1), spiked[:n - k - 1])) for k in range(lags)] + [stim])
    return X, y, np.concatenate(([intercept], HISTORY, [STIM]))


def coverage(seeds, family="poisson", cov_type="observed", overdispersion=None):
    """Fraction of 95 % intervals covering the truth, their number, and the standardised errors."""
    hits, total, z = 0, 0, []
    for seed in seeds:
        # overdispersion shows at about one count per bin (variance mu + mu^2 / shape)
        X, y, truth = simulate(seed, family=family, overdispersion=overdispersion,
                               intercept=INTERCEPT if overdispersion is None else 0.0)
        model = (BernoulliGLM(link="cloglog", cov_type=cov_type) if family == "bernoulli"
                 else PoissonGLM(cov_type=cov_type))
        model.fit(X, y)
        ci = model.conf_int(0.05)
        hits += int(np.sum((ci[:, 0] <= truth) & (truth <= ci[:, 1])))
        total += len(truth)
        est = np.concatenate(([model.intercept_], model.coef_))
        z.extend((est - truth) / model.stderr_)
    return hits / total, total, np.array(z)


@pytest.mark.parametrize("family", ["poisson", "bernoulli"])
def test_wald_intervals_cover_at_the_nominal_rate(family):
    rate, n, z = coverage(range(20), family=family)
    assert abs(rate - 0.95) <= coverage_tol(0.95, n)
    # standardised errors: mean 0 (no bias), SD 1 (standard errors right)
    assert abs(z.mean()) <= sample_mean_tol(1.0, len(z))


def test_sandwich_keeps_coverage_under_overdispersion():
    model_rate, n, _ = coverage(range(12), overdispersion=1.0)
    robust_rate, _, _ = coverage(range(12), cov_type="sandwich", overdispersion=1.0)
    assert abs(robust_rate - 0.95) <= coverage_tol(0.95, n)
    assert model_rate < robust_rate


@pytest.mark.slow
@pytest.mark.parametrize("family", ["poisson", "bernoulli"])
def test_wald_coverage_seed_sweep(family):
    rate, n, z = coverage(range(100, 300), family=family)
    assert abs(rate - 0.95) <= coverage_tol(0.95, n)
    assert abs(z.mean()) <= sample_mean_tol(1.0, len(z))
    assert abs(z.std() - 1.0) <= 5.0 * np.sqrt(0.5 / len(z))  # SE of a sample SD of normals: 1 / sqrt(2 n)


@pytest.mark.slow
def test_sandwich_coverage_seed_sweep():
    rate, n, _ = coverage(range(100, 220), cov_type="sandwich", overdispersion=1.0)
    assert abs(rate - 0.95) <= coverage_tol(0.95, n)
