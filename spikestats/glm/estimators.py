"""Poisson and Bernoulli GLMs on a plain design matrix, with standard errors and model-comparison statistics.

``PoissonGLM().fit(X, y)`` models the count ``y[t]`` of bin ``t`` as Poisson with
mean ``exp(X[t] @ coef_ + intercept_ + offset[t])``; ``BernoulliGLM`` models
spike / no spike per bin. Both are scikit-learn estimators (``clone``,
``GridSearchCV``, ``cross_val_score`` work) that do not import scikit-learn.

Conventions (docs/GLM.md has the details):

* Penalty as scikit-learn: minimise
  ``-mean log-likelihood + alpha * l1_ratio * ||coef||_1 + alpha * (1 - l1_ratio) / 2 * ||coef||^2``
  (weighted mean with ``sample_weight``); the intercept is never penalised.
  With ``l1_ratio=0`` this is exactly ``PoissonRegressor(alpha=alpha)``'s
  objective; statsmodels' ``fit_regularized(alpha, L1_wt)`` uses the same
  scaling but penalises the intercept unless told not to.
* Log-likelihoods include every constant (``-log(y!)`` for Poisson), so they
  equal statsmodels' ``llf``.
* ``stderr_``, ``pvalues_`` and ``cov_`` have ``n_features + 1`` entries,
  intercept first (NaN there when ``fit_intercept=False``).
"""

from __future__ import annotations

import warnings
import numpy as np
from scipy import linalg, special

from spikestats._validation import check_bool, check_option, check_scalar, fail
from spikestats.exceptions import ConvergenceWarning, ValidationError
from spikestats.glm._inputs import (check_counts, check_design, check_penalty, check_rows, check_solver_options,
                                    check_weights)
from spikestats.glm._params import ParamsMixin, not_fitted_error
from spikestats.glm._solvers import GLMProblem, SolverResult, newton_fit
from spikestats.glm.families import Bernoulli, Family, Poisson

#: covariance estimators of the coefficients
COV_TYPES = ("observed", "expected", "sandwich")
#: designs with at least this many bins start from a fit to a subsample of about SUBSAMPLE_BINS bins ...
SUBSAMPLE_MIN_BINS = 200_000
SUBSAMPLE_BINS = 50_000
#: ... run to this (loose) tolerance: full Newton steps then finish from within the quadratic region
SUBSAMPLE_TOL = 1e-4


def fit_design(design: GLMProblem, family: Family, *, l1: float, l2: float, max_iter: int, tol: float,
               theta0: np.ndarray | None = None, check_rank: bool = True) -> SolverResult:
    """Run :func:`newton_fit` with one BLAS thread (the dense solves are small; threads only contend).

    Without a start, a large design (``SUBSAMPLE_MIN_BINS`` bins or more)
    starts from a loose fit to every k-th bin (:func:`subsample_start`): the
    early Newton iterations, far from the optimum, then cost a fraction of a
    pass over ``X``. The optimum, and so the result, is the same.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        if theta0 is None:
            theta0 = subsample_start(design, family, l1=l1, l2=l2, max_iter=max_iter)
        return newton_fit(design, family, l1=l1, l2=l2, max_iter=max_iter, tol=tol, theta0=theta0,
                          check_rank=check_rank)


def subsample_start(design: GLMProblem, family: Family, *, l1: float, l2: float, max_iter: int) -> np.ndarray | None:
    """Coefficients fitted loosely to every k-th bin (about ``SUBSAMPLE_BINS`` bins), or None.

    None for small designs, intercept-only models, and whenever the
    subsample cannot be fitted (no spikes in it, separation, rank deficiency,
    no convergence): the full fit then starts from the intercept-only model.
    """
    n, p = design.X.shape
    if n < SUBSAMPLE_MIN_BINS or p == 0:
        return None
    step = n // SUBSAMPLE_BINS
    sub = GLMProblem(np.ascontiguousarray(design.X[::step]), design.y[::step],
                 None if design.offset is None else design.offset[::step],
                 None if design.weight is None else design.weight[::step], design.fit_intercept)
    w = np.ones(sub.y.shape[0]) if sub.weight is None else sub.weight
    spikes = float(sub.y @ w)
    if spikes == 0.0 or (family.name == "bernoulli" and spikes == float(w.sum())):
        return None
    try:
        res = newton_fit(sub, family, l1=l1, l2=l2, max_iter=max_iter, tol=SUBSAMPLE_TOL, check_rank=False)
    except ValidationError:
        return None
    return res.theta if res.converged and np.all(np.isfinite(res.theta)) else None


def _inverse_pd(a: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive-definite matrix (NaN if it is not)."""
    try:
        factor = linalg.cho_factor(a, check_finite=False)
    except linalg.LinAlgError:
        return np.full_like(a, np.nan)
    return linalg.cho_solve(factor, np.eye(len(a)), check_finite=False)


class GLMBase(ParamsMixin):
    """Shared fit, prediction and inference of :class:`PoissonGLM` and :class:`BernoulliGLM`."""

    _family_class: type[Family] = Poisson

    # ------------------------------------------------------------------ fitting
    def _family(self) -> Family:
        return self._family_class(link=self.link)

    def _check_params(self) -> tuple[float, float, int, float]:
        l1, l2 = check_penalty(self.alpha, self.l1_ratio)
        check_bool("fit_intercept", self.fit_intercept)
        check_option("cov_type", self.cov_type, COV_TYPES)
        max_iter, tol = check_solver_options(self.max_iter, self.tol)
        return l1, l2, max_iter, tol

    def _design(self, X, y, offset, sample_weight, family: Family) -> GLMProblem:
        X = check_design(X)
        n = X.shape[0]
        if y is None:
            fail("y", "spike counts per bin", y, got=f"None ({type(self).__name__} requires y to be passed, but the "
                 "target y is None)")
        if not self.fit_intercept and X.shape[1] == 0:
            fail("X", "at least one column when fit_intercept=False", X)
        w = check_weights(sample_weight, n)
        y = check_counts(y, n, family, w)
        off = None if offset is None else check_rows("offset", offset, n, what="one value")
        return GLMProblem(X, y, off, w, bool(self.fit_intercept))

    def fit(self, X, y, *, offset=None, sample_weight=None):
        """Fit by maximum (penalised) likelihood, then compute standard errors and fit statistics.

        Parameters
        ----------
        X : array_like, shape (n_bins, n_features)
            GLMProblem matrix, one row per time bin (finite values).
        y : array_like, shape (n_bins,)
            Spike count per bin (whole numbers >= 0; 0 or 1 for Bernoulli).
        offset : array_like, shape (n_bins,), optional
            Known term added to the linear predictor (for the log link, the
            log of the exposure, e.g. ``log(bin_size)`` to read
            ``exp(intercept_)`` as a rate in Hz).
        sample_weight : array_like, shape (n_bins,), optional
            Non-negative frequency weights: a weight of 2 counts a bin twice
            (statsmodels' ``freq_weights``; ``n_obs_`` is their sum).

        Returns
        -------
        self

        Raises
        ------
        ValidationError
            For bad input (shapes, NaN, negative or non-integer counts, no
            spikes), a rank-deficient unpenalised design (naming the columns)
            or an unpenalised Bernoulli fit with separated data.

        Warns
        -----
        ConvergenceWarning
            If the solver stopped before meeting ``tol``, with the reason.
        """
        l1, l2, max_iter, tol = self._check_params()
        family = self._family()
        design = self._design(X, y, offset, sample_weight, family)
        result = fit_design(design, family, l1=l1, l2=l2, max_iter=max_iter, tol=tol)
        if not result.converged:
            warnings.warn(f"{type(self).__name__} did not converge: {result.reason} (largest gradient entry "
                          f"{result.grad_norm:.3g}; tol={tol:g}). Raise max_iter, or pass alpha > 0.",
                          ConvergenceWarning, stacklevel=2)
        self._store(design, family, result, l1, l2, max_iter, tol)
        return self

    def _store(self, design: GLMProblem, family: Family, result: SolverResult, l1: float, l2: float,
               max_iter: int, tol: float) -> None:
        k = int(design.fit_intercept)
        theta = result.theta
        self.family_ = family
        self.n_features_in_ = design.X.shape[1]
        self.coef_ = theta[k:].copy()
        self.intercept_ = float(theta[0]) if k else 0.0
        self.n_iter_ = result.n_iter
        self.converged_ = result.converged
        self.grad_norm_ = result.grad_norm
        W = design.total_weight
        self.n_obs_ = W
        self.n_spikes_ = float(design.y.sum() if design.weight is None else design.y @ design.weight)
        const = _total(family.loglik_constant(design.y), design.weight)
        self.log_likelihood_ = _total(family.loglik_terms(design.y, result.eta, result.mu), design.weight) + const
        self.deviance_ = family.deviance(design.y, result.mu, design.weight)
        null = null_fit(design, family, max_iter, tol)
        self.null_log_likelihood_ = _total(family.loglik_terms(design.y, null.eta, null.mu), design.weight) + const
        self.null_deviance_ = family.deviance(design.y, null.mu, design.weight)
        self.pseudo_r2_ = 1.0 - self.log_likelihood_ / self.null_log_likelihood_
        self.explained_deviance_ = 1.0 - self.deviance_ / self.null_deviance_ if self.null_deviance_ > 0 else 0.0
        cov, edf = _covariance(design, family, result, self.cov_type, l1, l2)
        p1 = design.X.shape[1] + 1
        full = np.full((p1, p1), np.nan)
        full[1 - k:, 1 - k:] = cov
        self.cov_ = full
        self.edf_ = edf
        self.stderr_ = np.sqrt(np.diag(full))
        params = np.concatenate(([self.intercept_ if k else np.nan], self.coef_))
        with np.errstate(divide="ignore", invalid="ignore"):
            self.pvalues_ = 2.0 * special.ndtr(-np.abs(params / self.stderr_))
        self.aic_ = -2.0 * self.log_likelihood_ + 2.0 * edf
        self.bic_ = -2.0 * self.log_likelihood_ + edf * np.log(W)

    # ------------------------------------------------------------------ use of the fit
    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise not_fitted_error(self)

    def linear_predictor(self, X, offset=None) -> np.ndarray:
        """``X @ coef_ + intercept_ (+ offset)`` per bin, shape (n_bins,)."""
        self._check_fitted()
        X = check_design(X, n_features=self.n_features_in_)
        eta = X @ self.coef_ + self.intercept_
        if offset is not None:
            eta += check_rows("offset", offset, X.shape[0], what="one value")
        return eta

    def predict(self, X, offset=None) -> np.ndarray:
        """Expected count per bin (Poisson; a rate per bin) or spike probability per bin (Bernoulli).

        Parameters
        ----------
        X : array_like, shape (n_bins, n_features)
        offset : array_like, shape (n_bins,), optional

        Returns
        -------
        numpy.ndarray, shape (n_bins,)
            Divide by the bin size (seconds) for a Poisson rate in Hz.
        """
        eta = self.linear_predictor(X, offset)
        return self.family_.mean(eta)

    def log_likelihood(self, X, y, *, offset=None, sample_weight=None) -> float:
        """Total log-likelihood (constants included) of counts ``y`` under the fitted model."""
        mu = self.predict(X, offset)
        w = check_weights(sample_weight, mu.shape[0])
        y = check_rows("y", y, mu.shape[0], what="one count")
        self.family_.check_y(y)
        return _total(self.family_.log_likelihood(y, mu), w)

    def score(self, X, y, sample_weight=None, *, offset=None) -> float:
        """Mean log-likelihood per bin (nats, constants included); higher is better.

        This is what ``GridSearchCV`` and ``cross_val_score`` maximise by
        default. (scikit-learn's ``PoissonRegressor.score`` is the fraction
        of deviance explained instead; :attr:`explained_deviance_` is that
        number in-sample.)
        """
        total = self.log_likelihood(X, y, offset=offset, sample_weight=sample_weight)
        n = np.shape(y)[0] if sample_weight is None else float(np.sum(sample_weight))
        return total / n

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """Wald confidence intervals ``estimate +- z_{1 - alpha/2} * stderr``.

        Parameters
        ----------
        alpha : float
            One minus the coverage (0.05 for 95 % intervals). Not the penalty.

        Returns
        -------
        numpy.ndarray, shape (n_features + 1, 2)
            Lower and upper ends, intercept first (NaN without an intercept,
            and for L1-zeroed coefficients).
        """
        self._check_fitted()
        a = check_scalar("alpha", alpha)
        if not 0.0 < a < 1.0:
            fail("alpha", "strictly between 0 and 1 (0.05 for 95 % intervals)", alpha)
        z = float(special.ndtri(1.0 - a / 2.0))
        params = np.concatenate(([self.intercept_ if self.fit_intercept else np.nan], self.coef_))
        return np.column_stack((params - z * self.stderr_, params + z * self.stderr_))

    def summary(self, feature_names=None) -> str:
        """A plain-text table of the fit: coefficients, standard errors, z, p-values, 95 % intervals and statistics.

        Parameters
        ----------
        feature_names : sequence of str, optional
            One name per column of ``X`` (default ``x0, x1, ...``).
        """
        self._check_fitted()
        p = self.n_features_in_
        names = [f"x{j}" for j in range(p)] if feature_names is None else [str(s) for s in feature_names]
        if len(names) != p:
            fail("feature_names", f"{p} names, one per column of X", feature_names, got=f"{len(names)} names")
        params = np.concatenate(([self.intercept_ if self.fit_intercept else np.nan], self.coef_))
        ci = self.conf_int(0.05)
        width = max(len(s) for s in ["intercept", *names])
        lines = [f"{type(self).__name__} ({self.family_.name}, {self.family_.link} link, alpha={self.alpha:g}, "
                 f"l1_ratio={self.l1_ratio:g}, cov_type={self.cov_type})",
                 f"bins {self.n_obs_:g}, spikes {self.n_spikes_:g}, log-likelihood {self.log_likelihood_:.6g}, "
                 f"AIC {self.aic_:.6g}, BIC {self.bic_:.6g}",
                 f"deviance {self.deviance_:.6g} (null {self.null_deviance_:.6g}), pseudo-R2 {self.pseudo_r2_:.4g}, "
                 f"{'converged' if self.converged_ else 'NOT converged'} in {self.n_iter_} iterations",
                 f"{'':<{width}}  {'coef':>10}  {'stderr':>10}  {'z':>8}  {'p':>9}  {'[0.025':>10}  {'0.975]':>10}"]
        for name, b, se, pv, (lo, hi) in zip(["intercept", *names], params, self.stderr_, self.pvalues_, ci):
            lines.append(f"{name:<{width}}  {b:>10.4g}  {se:>10.4g}  {b / se:>8.3g}  {pv:>9.3g}  {lo:>10.4g}  "
                         f"{hi:>10.4g}")
        return "\n".join(lines)


def _total(terms: np.ndarray, weight: np.ndarray | None) -> float:
    return float(terms.sum() if weight is None else terms @ weight)


def null_fit(design: GLMProblem, family: Family, max_iter: int, tol: float) -> SolverResult:
    """The intercept-only model with the same offset and weights (the homogeneous model)."""
    empty = GLMProblem(np.empty((design.X.shape[0], 0)), design.y, design.offset, design.weight, True)
    return fit_design(empty, family, l1=0.0, l2=0.0, max_iter=max_iter, tol=tol, check_rank=False)


def _covariance(design: GLMProblem, family: Family, result: SolverResult, cov_type: str, l1: float,
                l2: float) -> tuple[np.ndarray, float]:
    """Covariance of the coefficients (intercept first when fitted) and the effective degrees of freedom.

    ``observed``: inverse of the observed information ``-d2 loglik`` (plus the
    ridge term ``sum(w) * l2`` on penalised coefficients); ``expected``: the
    Fisher information instead (the same for canonical links); ``sandwich``:
    ``A^-1 B A^-1`` with ``A`` the penalised observed information and ``B``
    the sum of outer products of per-bin scores. With an L1 term only the
    non-zero coefficients get a covariance (zeros get NaN). The effective
    degrees of freedom are ``trace(A^-1 I)`` (``I`` unpenalised), the number
    of parameters for an unpenalised fit.
    """
    W = design.total_weight
    pen = np.ones(design.n_params)
    if design.fit_intercept:
        pen[0] = 0.0
    if cov_type == "expected" and not family.is_canonical:
        info = design.gram(design.weighted(family.fisher_weight(result.eta, result.mu)))
    else:
        info = result.hessian * W
    active = np.ones(design.n_params, dtype=bool) if l1 == 0.0 else (result.theta != 0.0) | (pen == 0.0)
    idx = np.flatnonzero(active)
    a = info + np.diag(W * l2 * pen)
    a_inv = _inverse_pd(a[np.ix_(idx, idx)])
    cov = a_inv
    if cov_type == "sandwich":
        d1, _ = family.derivatives(design.y, result.eta, result.mu)
        meat = design.gram(design.weighted(d1 * d1))[np.ix_(idx, idx)]
        cov = a_inv @ meat @ a_inv
    out = np.full((design.n_params, design.n_params), np.nan)
    out[np.ix_(idx, idx)] = 0.5 * (cov + cov.T)
    edf = float(np.trace(a_inv @ info[np.ix_(idx, idx)])) if (l1 or l2) else float(design.n_params)
    return out, edf


class PoissonGLM(GLMBase):
    """Poisson GLM of spike counts per bin on a design matrix, with Wald inference.

    Fits ``log E[y_t] = X_t @ coef_ + intercept_ + offset_t`` (log link) by
    Newton's method with a line search (Cholesky solves of the Hessian); L1
    and elastic-net penalties by proximal Newton with coordinate descent.

    Parameters
    ----------
    alpha : float
        Penalty strength (>= 0) in scikit-learn's scaling (see module docstring).
    l1_ratio : float
        Share of the L1 term in ``[0, 1]``: 0 is ridge, 1 the lasso.
    fit_intercept : bool
        Fit an unpenalised intercept.
    link : {"log", "identity"}
    cov_type : {"observed", "expected", "sandwich"}
        Covariance of the estimates: inverse observed information (default),
        inverse Fisher information (identical for the log link), or the
        robust sandwich ``A^-1 B A^-1`` (statsmodels' ``cov_type="HC0"``).
    max_iter : int
        Maximum Newton iterations.
    tol : float
        Converged when the largest coefficient step is at most
        ``tol * (1 + max|coef|)``.

    Attributes
    ----------
    coef_ : numpy.ndarray, shape (n_features,)
    intercept_ : float
        0.0 when ``fit_intercept=False``.
    stderr_, pvalues_ : numpy.ndarray, shape (n_features + 1,)
        Standard errors and two-sided Wald p-values, intercept first.
    cov_ : numpy.ndarray, shape (n_features + 1, n_features + 1)
    log_likelihood_, null_log_likelihood_ : float
        Log-likelihood (nats, constants included) of the fit and of the
        intercept-only model with the same offset.
    deviance_, null_deviance_ : float
    aic_, bic_ : float
        ``-2 log L + 2 edf`` and ``-2 log L + edf log(n_obs)``.
    edf_ : float
        Effective number of parameters: ``n_features + 1`` unpenalised,
        ``trace((I + P)^-1 I)`` for ridge (``I`` the information, ``P`` the
        penalty), over the non-zero coefficients for L1.
    pseudo_r2_ : float
        McFadden's ``1 - log L / log L_null``.
    explained_deviance_ : float
        ``1 - deviance / null_deviance`` (scikit-learn's D^2).
    n_iter_, converged_, grad_norm_ : int, bool, float
        Solver diagnostics (``grad_norm_``: largest entry of the optimality
        residual of the mean-scaled objective).
    n_obs_, n_spikes_ : float
        Number of bins and of spikes (weighted sums with ``sample_weight``).
    family_ : Family

    Notes
    -----
    For ridge fits (``alpha > 0``, ``l1_ratio < 1``) ``cov_`` is the inverse
    of the penalised information ``I + n alpha (1 - l1_ratio) D`` (``D`` the
    identity without the intercept): the covariance of the Laplace
    approximation to the Bayesian posterior under independent Gaussian priors
    of precision ``n * alpha * (1 - l1_ratio)`` on the coefficients. Intervals
    from it are approximate credible intervals around the shrunken estimate,
    not frequentist confidence intervals (they do not account for the
    shrinkage bias). With an L1 term, intervals are given for the non-zero
    coefficients only, conditional on the selected set (they ignore the
    selection).
    """

    _family_class = Poisson

    def __init__(self, *, alpha: float = 0.0, l1_ratio: float = 0.0, fit_intercept: bool = True,
                 link: str = "log", cov_type: str = "observed", max_iter: int = 100, tol: float = 1e-8) -> None:
        self._set_init_params(locals())


class BernoulliGLM(GLMBase):
    """Bernoulli GLM of spike / no spike per bin on a design matrix, with Wald inference.

    Fits ``g(P(y_t = 1)) = X_t @ coef_ + intercept_ + offset_t``. With the
    ``"cloglog"`` link, ``P = 1 - exp(-exp(eta))`` is the probability of at
    least one event of a Poisson process with expected count ``exp(eta)`` in
    the bin, so coefficients compare with a Poisson log-link fit; ``"logit"``
    is the canonical (logistic) link. Parameters, attributes and the meaning
    of ridge intervals are those of :class:`PoissonGLM`; ``predict`` returns
    spike probabilities. Unpenalised fits of separated data (a column that
    predicts every spike) raise a ValidationError suggesting ``alpha > 0``.

    Parameters
    ----------
    alpha, l1_ratio, fit_intercept, cov_type, max_iter, tol
        As for :class:`PoissonGLM`.
    link : {"logit", "cloglog", "log"}
    """

    _family_class = Bernoulli

    def __init__(self, *, alpha: float = 0.0, l1_ratio: float = 0.0, fit_intercept: bool = True,
                 link: str = "logit", cov_type: str = "observed", max_iter: int = 100, tol: float = 1e-8) -> None:
        self._set_init_params(locals())


def glm_class(family: str) -> type[GLMBase]:
    """The estimator class of a family name (``"poisson"`` or ``"bernoulli"``)."""
    return {"poisson": PoissonGLM, "bernoulli": BernoulliGLM}[check_option("family", family,
                                                                          ("poisson", "bernoulli"))]
