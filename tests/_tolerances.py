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


def normal_mean_tol(sd: float, n: int) -> float:
    """Tolerance on the mean of ``n`` i.i.d. values with standard deviation ``sd``: SE = sd / sqrt(n)."""
    return Z * sd / math.sqrt(n)


def normal_variance_tol(var: float, n: int) -> float:
    """Tolerance on the sample variance of ``n`` i.i.d. Gaussian values with variance ``var``.

    Var(s^2) = 2 var^2 / (n - 1), so SE = var * sqrt(2 / (n - 1)).
    """
    return Z * var * math.sqrt(2.0 / (n - 1))


def correlation_tol(rho: float, n: int) -> float:
    """Tolerance on a Pearson correlation of ``n`` Gaussian pairs with true value ``rho``.

    SE ~ (1 - rho^2) / sqrt(n - 1) (delta method on Fisher's z).
    """
    return Z * (1.0 - rho * rho) / math.sqrt(n - 1)


# ------------------------------------------------------------------ ISI variability and dispersion (issue 4)
def gamma_isi_moments(shape: float, scale: float) -> tuple[float, float, float, float]:
    """Mean, variance and third and fourth central moments of Gamma(shape, scale) intervals.

    mean = k s, var = k s^2, mu3 = 2 k s^3, mu4 = (3 k^2 + 6 k) s^4; feed them to :func:`cv_tol`
    (CV = 1 / sqrt(k)).
    """
    k, s = shape, scale
    return k * s, k * s * s, 2.0 * k * s**3, (3.0 * k * k + 6.0 * k) * s**4


def one_dependent_mean_tol(term_var: float, m: int) -> float:
    """Tolerance on the mean of ``m`` terms of a stationary 1-dependent sequence (CV2, LV, LvR).

    Consecutive terms share one interval, so Var(mean) = (g0 + 2 g1) / m; by
    Cauchy-Schwarz |g1| <= g0, hence SE <= sqrt(3 g0 / m) with g0 = ``term_var``
    the variance of one term (a rigorous bound, at most sqrt(3) too wide).
    """
    return Z * math.sqrt(3.0 * term_var / m)


def lv_gamma_term(shape: float) -> tuple[float, float]:
    """Mean and variance of one LV term 3 W^2 for Gamma(k) intervals (any scale).

    With a, b i.i.d. Gamma(k), U = a / (a + b) ~ Beta(k, k) and W = 2U - 1, so
    E[W^2] = 1 / (2k + 1) and E[W^4] = 3 / ((2k + 1)(2k + 3)):
    mean = 3 / (2k + 1) (Shinomoto et al. 2003), var = 27 / ((2k+1)(2k+3)) - mean^2.
    """
    k = shape
    mean = 3.0 / (2 * k + 1)
    return mean, 27.0 / ((2 * k + 1) * (2 * k + 3)) - mean * mean


def lvr_gamma_term(shape: float, scale: float, r: float) -> tuple[float, float]:
    """Mean and variance of one LvR term 3 W^2 (1 + 4 r / S) for Gamma(k, s) intervals, k > 1.

    W = (a - b) / (a + b) and S = a + b ~ Gamma(2k, s) are independent (Lukacs),
    E[1/S] = 1 / ((2k - 1) s), E[1/S^2] = 1 / ((2k - 1)(2k - 2) s^2), so
    mean = 3 E[W^2] (1 + 4 r E[1/S]), var = 9 E[W^4] E[(1 + 4 r / S)^2] - mean^2.
    (For k = 1, Poisson, E[1/S^2] diverges: the LvR of a Poisson train has infinite variance.)
    """
    k, s = shape, scale
    ew2, ew4 = 1.0 / (2 * k + 1), 3.0 / ((2 * k + 1) * (2 * k + 3))
    inv1, inv2 = 1.0 / ((2 * k - 1) * s), 1.0 / ((2 * k - 1) * (2 * k - 2) * s * s)
    mean = 3.0 * ew2 * (1.0 + 4.0 * r * inv1)
    second = 1.0 + 8.0 * r * inv1 + 16.0 * r * r * inv2
    return mean, 9.0 * ew4 * second - mean * mean


#: Mean and variance of one CV2 term 2|W| for Poisson (exponential) intervals: W ~ U(-1, 1),
#: E[2|W|] = 1, Var = 4 (1/3 - 1/4) = 1/3.
CV2_POISSON_TERM = (1.0, 1.0 / 3.0)


def negative_binomial_moments(mean: float, shape: float) -> tuple[float, float, float]:
    """Variance, third and fourth central moments of a Poisson count whose mean is Gamma(shape)-distributed.

    The count is negative binomial with cumulants k2 = mu + mu^2/r,
    k3 = mu + 3 mu^2/r + 2 mu^3/r^2, k4 = mu + 7 mu^2/r + 12 mu^3/r^2 + 6 mu^4/r^3;
    mu3 = k3 and mu4 = k4 + 3 k2^2. ``shape = inf`` gives the Poisson moments.
    """
    mu, q = mean, (0.0 if math.isinf(shape) else 1.0 / shape)
    k2 = mu + mu * mu * q
    k3 = mu + 3 * mu**2 * q + 2 * mu**3 * q * q
    k4 = mu + 7 * mu**2 * q + 12 * mu**3 * q * q + 6 * mu**4 * q**3
    return k2, k3, k4 + 3 * k2 * k2


def fano_estimate_se(mean: float, var: float, mu3: float, mu4: float, n: int) -> float:
    """Standard error of the Fano factor s^2 / m of ``n`` i.i.d. counts with the given moments.

    Delta method on g(m, v) = v / m with Var(m) = var / n, Var(v) = (mu4 - var^2) / n,
    Cov(m, v) = mu3 / n:  SE^2 = [(mu4 - var^2) / mean^2 + var^3 / mean^4 - 2 var mu3 / mean^3] / n.
    For Poisson counts (mu3 = mean, mu4 = mean + 3 mean^2) this is 2 / n plus O(1/(n mean)).
    """
    se2 = ((mu4 - var * var) / mean**2 + var**3 / mean**4 - 2.0 * var * mu3 / mean**3) / n
    return math.sqrt(se2)


def coverage_tol(confidence: float, n: int) -> float:
    """Tolerance on the empirical coverage of ``n`` independent intervals of nominal ``confidence``.

    The number covering is Binomial(n, p): SE = sqrt(p (1 - p) / n). (Intervals
    of one fit are correlated, so ``n`` should count fits, or the tolerance be
    widened by the design effect.)
    """
    return Z * math.sqrt(confidence * (1.0 - confidence) / n)


def psth_se_tol(rate: float, bin_size: float, n_trains: int) -> float:
    """Tolerance on the across-trial standard error of a Poisson PSTH bin, around sqrt(rate / (n bin_size)).

    Per-trial rates are counts / bin_size with counts ~ Poisson(mu), mu = rate * bin_size.
    The sample variance s^2 of n counts has Var(s^2) = mu / n + 2 mu^2 / (n - 1)
    (Poisson fourth cumulant mu), so by the delta method SE(s) = sqrt(Var(s^2)) / (2 s)
    and the SE of s / (bin_size sqrt(n)) is that divided by bin_size sqrt(n).
    """
    mu = rate * bin_size
    var_s2 = mu / n_trains + 2.0 * mu * mu / (n_trains - 1)
    return Z * math.sqrt(var_s2) / (2.0 * math.sqrt(mu)) / (bin_size * math.sqrt(n_trains))


def golden_section_rtol(n_steps: int, lo: float, hi: float) -> float:
    """Relative precision of a bandwidth found by ``n_steps`` golden-section steps on ``[lo, hi]`` in log-exp space.

    Elephant's ``optimal_kernel_bandwidth`` searches c = log(exp(w) - 1) from
    lo = c(2 dt) to hi = c(T) and stops after at most 20 steps: the bracket
    shrinks to 0.618^n (hi - lo). With w = log(1 + e^c), d log w / dc
    = (1 - e^-w) / w <= 1, so the relative error in w is at most that width.
    No statistical factor: this is a bound on the search, not a sampling error.
    """
    return ((math.sqrt(5.0) - 1.0) / 2.0) ** n_steps * (hi - lo)


def ise_ratio_margin() -> float:
    """Margin by which the adaptive bandwidth's ISE must beat the best fixed bandwidth's on a rate step.

    Not a standard-error tolerance: the claim (Shimazaki & Shinomoto 2010,
    Fig. 5) is an inequality, ISE_adaptive < ISE_fixed; the test asks for it
    with a 5 % margin so rounding cannot decide it.
    """
    return 0.95


def kernel_ise_tol(amise: float, window: float, bandwidth: float) -> float:
    """Upper bound on the integrated squared error of a kernel rate estimate, from its AMISE.

    AMISE(w) = int(lambda) / (2 sqrt(pi) w n) + w^4 / 4 int(lambda''^2) for a
    Gaussian kernel of SD w averaged over n trials. The ISE fluctuates about it
    like a chi-square with K ~ window / (2 sqrt(pi) w) degrees of freedom (the
    number of independent kernel widths in the window), relative SD sqrt(2 / K):
    bound = AMISE * (1 + Z sqrt(2 / K)).
    """
    k = window / (2.0 * math.sqrt(math.pi) * bandwidth)
    return amise * (1.0 + Z * math.sqrt(2.0 / k))


def ks2_tol(n: int, m: int) -> float:
    """Tolerance on the two-sample Kolmogorov-Smirnov distance between samples of sizes ``n`` and ``m``.

    sqrt(n m / (n + m)) * D is asymptotically Kolmogorov-distributed; with the
    1 - 1e-6 quantile 2.7 (see :func:`ks_tol`), D < 2.7 * sqrt((n + m) / (n m)).
    """
    return 2.7 * math.sqrt((n + m) / (n * m))


def shot_noise_mean_tol(total_rate: float, weight: float, tau: float, duration: float) -> float:
    """Tolerance on the time average over ``duration`` of shot noise ``g`` of exponential pulses ``w e^{-t/tau}``.

    Campbell's theorem: E[g] = nu w tau and Var[g] = nu w^2 tau / 2 for Poisson
    events of total rate nu. The time average is w tau N / T up to edge terms,
    with N ~ Poisson(nu T) the number of events, so its SE is
    w tau sqrt(nu / T); tolerance Z * SE.
    """
    return Z * abs(weight) * tau * math.sqrt(total_rate / duration)


def wald_z_sd_tol(n: int, slack: float = 0.1) -> float:
    """Tolerance on the SD of ``n`` independent Wald z-scores ``(estimate - truth) / stderr`` (true SD 1).

    The sample SD of n standard normals has SE ~ 1 / sqrt(2 (n - 1)); ``slack``
    allows for Wald standard errors of finite-sample fits (O(1 / sqrt(spikes))
    off) and the non-normality of the estimates: Z / sqrt(2 (n - 1)) + slack.
    """
    return Z / math.sqrt(2.0 * (n - 1)) + slack


def familywise_rate_tol(alpha: float, n_datasets: int, n_simulations: int) -> float:
    """Tolerance above ``alpha`` on the familywise false-positive rate over ``n_datasets`` null datasets.

    The count of rejections is Binomial(n_datasets, level): SE_1 = sqrt(a (1 - a) / n_datasets).
    The level of a threshold taken as the empirical 1 - a quantile of ``n_simulations`` null
    draws is itself random (Beta law) with SE_2 = sqrt(a (1 - a) / n_simulations); one threshold
    serves every dataset, so that error is a shared bias and adds linearly: Z (SE_1 + SE_2).
    """
    return Z * (math.sqrt(alpha * (1.0 - alpha) / n_datasets) + math.sqrt(alpha * (1.0 - alpha) / n_simulations))


def sample_quantile_tol(p: float, n: int, density: float) -> float:
    """Tolerance on the sample ``p`` quantile of ``n`` i.i.d. draws whose density at the quantile is ``density``.

    Asymptotically normal with SE = sqrt(p (1 - p) / n) / f(q_p) (Mosteller 1946).
    """
    return Z * math.sqrt(p * (1.0 - p) / n) / density
