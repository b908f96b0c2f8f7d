"""Statistical tolerances, each with the formula behind it.

Tests use about five standard errors (``Z``) so that a correct estimator fails
with probability below ~1e-6 per check; the seed sweep (marker ``slow``) keeps
lucky seeds from hiding a bias.
"""

from __future__ import annotations

import math

#: number of standard errors allowed in seeded statistical tests.
Z = 5.0


def poisson_count_mean_tol(rate: float, duration: float, n: int) -> float:
    """Tolerance on the mean of ``n`` Poisson counts with mean ``rate * duration``.

    SE = sqrt(rate * duration / n)  (variance of a Poisson count equals its mean).
    """
    return Z * math.sqrt(rate * duration / n)


def rate_tol(rate: float, total_time: float) -> float:
    """Tolerance on a rate estimated from a Poisson count over ``total_time`` seconds.

    SE = sqrt(rate / total_time).
    """
    return Z * math.sqrt(rate / total_time)


def fano_tol(n: int) -> float:
    """Tolerance on the Fano factor of ``n`` Poisson counts (true value 1).

    For Poisson counts with large mean, var(s^2 / mean) ~ 2 / (n - 1) (the
    sample variance of near-Gaussian counts, normalised by the mean), so
    SE = sqrt(2 / (n - 1)).
    """
    return Z * math.sqrt(2.0 / (n - 1))


def cv_tol(mean: float, var: float, mu3: float, mu4: float, n: int) -> float:
    """Tolerance on the CV estimated from ``n`` i.i.d. intervals with the given moments.

    Delta method on g(m, v) = sqrt(v) / m with Var(m) = var / n,
    Var(v) = (mu4 - var^2) / n and Cov(m, v) = mu3 / n (mu3, mu4 central):
    SE^2 = [cv^4 + (mu4 - var^2) / (4 mean^2 var) - mu3 / mean^3] / n,
    which is 1 / n for exponential intervals.
    """
    cv2 = var / mean**2
    se2 = (cv2 * cv2 + (mu4 - var * var) / (4.0 * mean**2 * var) - mu3 / mean**3) / n
    return Z * math.sqrt(se2)


def shifted_exponential_moments(shift: float, lam: float) -> tuple[float, float, float, float]:
    """Mean, variance and third and fourth central moments of ``shift + Exp(lam)``."""
    return shift + 1.0 / lam, 1.0 / lam**2, 2.0 / lam**3, 9.0 / lam**4


def ks_tol(n: int) -> float:
    """Tolerance on the one-sample Kolmogorov-Smirnov distance for ``n`` points.

    sqrt(n) * D is asymptotically Kolmogorov-distributed; its 1 - 1e-6 quantile
    is about 2.7 (P(K > 2.7) ~ 2 exp(-2 * 2.7^2) ~ 9e-7), so D < 2.7 / sqrt(n).
    """
    return 2.7 / math.sqrt(n)


def sample_mean_tol(sd: float, n: int) -> float:
    """Tolerance on the mean of ``n`` i.i.d. values with standard deviation ``sd``.

    SE = sd / sqrt(n) (central limit theorem); ``sd`` may be the sample SD when n is large.
    """
    return Z * sd / math.sqrt(n)


def renewal_rate_tol(rate: float, cv: float, total_time: float) -> float:
    """Tolerance on the mean rate of a renewal process observed for ``total_time`` seconds in all.

    The count over a long window T has variance ~ rate * T * cv^2 (Cox 1962,
    section 3.3), so the rate estimate N / T has SE = sqrt(rate * cv^2 / T).
    """
    return Z * math.sqrt(rate * cv * cv / total_time)


def central_moments(mean: float, var: float, skew: float, excess_kurtosis: float) -> tuple[float, float, float, float]:
    """Mean, variance, mu3 and mu4 from scipy's ``stats(moments="mvsk")`` output, for :func:`cv_tol`.

    mu3 = skew * var^1.5 and mu4 = (excess_kurtosis + 3) * var^2.
    """
    return mean, var, skew * var**1.5, (excess_kurtosis + 3.0) * var * var


def hawkes_rate_tol(rate: float, branching: float, total_time: float) -> float:
    """Tolerance on the stationary rate of a univariate Hawkes process from ``total_time`` seconds.

    The count over a long window T has variance ~ rate * T / (1 - n)^2 for
    branching ratio n (Bartlett spectrum at zero frequency; Hawkes 1971), so
    SE = sqrt(rate / T) / (1 - n).
    """
    return Z * math.sqrt(rate / total_time) / (1.0 - branching)


def binomial_tol(p: float, n: int) -> float:
    """Tolerance on a proportion from ``n`` Bernoulli(p) trials: SE = sqrt(p (1 - p) / n)."""
    return Z * math.sqrt(p * (1.0 - p) / n)


def hawkes_rates_tol(branching_matrix, rates, total_time: float):
    """Tolerances on the stationary rates of a multivariate Hawkes process from ``total_time`` seconds.

    Counts per unit time have asymptotic covariance
    C = (I - G)^-1 diag(rates) (I - G)^-T (Bartlett spectrum at zero
    frequency; Hawkes 1971), so unit i's rate has SE = sqrt(C_ii / T). For one
    unit this is :func:`hawkes_rate_tol`.
    """
    import numpy as np

    g = np.atleast_2d(np.asarray(branching_matrix, dtype=float))
    inv = np.linalg.inv(np.eye(g.shape[0]) - g)
    cov = inv @ np.diag(np.atleast_1d(rates)) @ inv.T
    return Z * np.sqrt(np.diag(cov) / total_time)
