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
