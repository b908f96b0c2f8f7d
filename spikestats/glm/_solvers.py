"""Newton and proximal-Newton solvers for penalised GLM log-likelihoods on a dense design.

The objective, on coefficients ``theta`` (intercept first when fitted), is

    F(theta) = -sum_i w_i loglik_i(theta) / sum_i w_i
               + l2 / 2 * ||theta_pen||^2 + l1 * ||theta_pen||_1

where ``theta_pen`` leaves the intercept out (scikit-learn's ElasticNet and
PoissonRegressor scaling: ``l1 = alpha * l1_ratio``, ``l2 = alpha * (1 - l1_ratio)``).
Without an L1 term each iteration is a Newton step, the Hessian solved by
Cholesky; with one it is a proximal Newton step whose L1-penalised quadratic
model is minimised by coordinate descent (the Numba kernel
``_kernels.glm_fit.cd_l1_quadratic``). Either way a backtracking (Armijo)
line search on ``F`` keeps every accepted step a decrease.

Memory: the design ``X`` is read in row blocks for the weighted Gram matrix
``X^T diag(v) X``, so no full-size weighted copy of ``X`` is formed; the
per-bin work vectors (linear predictor, mean, weights) are ``O(n_bins)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg

from spikestats._config import EPS
from spikestats._kernels.glm_fit import cd_l1_quadratic
from spikestats.exceptions import ValidationError
from spikestats.glm.families import Bernoulli, Family

#: bytes of one row block of the design read at a time for the weighted Gram matrix (fits in L2 cache)
BLOCK_BYTES = 1 << 18
#: a scaled Gram eigenvalue below CANDIDATE_RTOL * largest is checked for a linear dependence ...
CANDIDATE_RTOL = 1e-8
#: ... which it is when its Rayleigh quotient, recomputed from X, is below RANK_RTOL * n_params * largest
RANK_RTOL = 20.0 * EPS
#: |eta| beyond which a Bernoulli bin is fitted as certain (probability within ~1e-11 of 0 or 1)
SEPARATION_ETA = 25.0
#: Armijo sufficient-decrease constant
ARMIJO = 1e-4


@dataclass(frozen=True)
class GLMProblem:
    """A validated design: ``X`` (n, p) C-contiguous float64, counts, optional offset and weights."""

    X: np.ndarray
    y: np.ndarray
    offset: np.ndarray | None
    weight: np.ndarray | None
    fit_intercept: bool

    @property
    def n_params(self) -> int:
        return self.X.shape[1] + int(self.fit_intercept)

    @property
    def total_weight(self) -> float:
        return float(self.y.shape[0] if self.weight is None else self.weight.sum())

    def linear(self, theta: np.ndarray, *, offset: bool = True) -> np.ndarray:
        """``X @ coef (+ intercept) (+ offset)`` for ``theta`` laid out intercept first."""
        k = int(self.fit_intercept)
        eta = self.X @ theta[k:] if self.X.shape[1] else np.zeros(self.X.shape[0])
        if k:
            eta += theta[0]
        if offset and self.offset is not None:
            eta += self.offset
        return eta

    def weighted(self, v: np.ndarray) -> np.ndarray:
        return v if self.weight is None else v * self.weight

    def gram(self, v: np.ndarray, r: np.ndarray | None = None):
        """``Z^T diag(v) Z`` with ``Z = [1, X]`` (or ``X``), in one pass over row blocks of ``X``.

        With ``r``, also returns ``Z^T r`` (``[sum(r), X^T r]``), from the same pass.
        """
        X = self.X
        n, p = X.shape
        k = int(self.fit_intercept)
        out = np.zeros((p + k, p + k))
        zr = np.zeros(p + k)
        if p:
            inner = out[k:, k:]
            block = max(1024, BLOCK_BYTES // (8 * p))
            for a in range(0, n, block):
                xb = X[a:a + block]
                vb = v[a:a + block]
                inner += xb.T @ (vb[:, None] * xb)
                if k:
                    out[0, 1:] += vb @ xb
                if r is not None:
                    zr[k:] += r[a:a + block] @ xb
            if k:
                out[1:, 0] = out[0, 1:]
        if k:
            out[0, 0] = v.sum()
            if r is not None:
                zr[0] = r.sum()
        return out if r is None else (out, zr)


@dataclass(frozen=True)
class SolverResult:
    """What a solver returns.

    Attributes
    ----------
    theta : numpy.ndarray, shape (q,)
        Coefficients, intercept first when fitted.
    eta, mu : numpy.ndarray, shape (n,)
        Linear predictor (offset included) and mean at ``theta``.
    hessian : numpy.ndarray, shape (q, q)
        Observed information of the unpenalised, weight-normalised objective
        (``-d2 loglik / (d theta)^2 / sum(w)``) at the last Newton point.
    n_iter : int
        Newton (or proximal Newton) iterations made.
    converged : bool
        Whether the step-size criterion was met.
    grad_norm : float
        Largest absolute entry of the (sub)gradient optimality residual of
        the scaled objective at the last iterate.
    reason : str or None
        Why the fit stopped early, when it did.
    """

    theta: np.ndarray
    eta: np.ndarray
    mu: np.ndarray
    hessian: np.ndarray
    n_iter: int
    converged: bool
    grad_norm: float
    reason: str | None


def start_theta(design: GLMProblem, family: Family) -> np.ndarray:
    """Intercept-only start: the intercept that matches the mean count (exact for the Poisson log link)."""
    theta = np.zeros(design.n_params)
    if design.fit_intercept:
        y, w = design.y, design.weight
        ybar = float(np.average(y, weights=w))
        off = design.offset
        if off is not None and family.name == "poisson" and family.link == "log":
            theta[0] = np.log(ybar) - np.log(np.average(np.exp(off - off.max()), weights=w)) - off.max()
        else:
            theta[0] = float(family.link_function(ybar)) - (0.0 if off is None else float(np.average(off, weights=w)))
    return theta


def penalty_mask(design: GLMProblem) -> np.ndarray:
    """1 for penalised coefficients, 0 for the intercept."""
    pen = np.ones(design.n_params)
    if design.fit_intercept:
        pen[0] = 0.0
    return pen


def parameter_labels(design: GLMProblem) -> list[str]:
    labels = [f"column {j}" for j in range(design.X.shape[1])]
    return (["the intercept"] + labels) if design.fit_intercept else labels


def check_full_rank(design: GLMProblem, v: np.ndarray, hess: np.ndarray | None = None) -> None:
    """Raise ValidationError naming the columns of a rank-deficient design.

    ``v`` are positive per-bin weights, so ``H = Z^T diag(v) Z`` (``Z = [1, X]``)
    has the null space of ``Z``. ``H`` is scaled to unit diagonal; each
    eigenvector with an eigenvalue below ``CANDIDATE_RTOL`` times the largest
    is a candidate dependence, whose Rayleigh quotient ``sum(v * (Z u)^2)`` is
    then recomputed from ``X`` itself (the Gram matrix's own rounding grows
    with the number of bins; this does not). Below ``RANK_RTOL * q`` times the
    largest eigenvalue it is a dependence, and the parameters with large
    weight in it are named. ``hess`` is ``design.gram(v)`` if already computed.
    """
    hess = design.gram(v) if hess is None else hess
    labels = parameter_labels(design)
    diag = np.diag(hess).copy()
    zero = np.flatnonzero(diag <= 0.0)
    if zero.size:
        names = ", ".join(labels[j] for j in zero)
        raise ValidationError(f"`X` must have no all-zero columns; got {names} zero in every bin (with non-zero "
                              "weight). Drop the column(s), or pass alpha > 0 for a penalised fit.")
    s = 1.0 / np.sqrt(diag)
    lam, vec = np.linalg.eigh(hess * s[:, None] * s[None, :])
    dependent = []
    for k in np.flatnonzero(lam < CANDIDATE_RTOL * lam[-1]):
        r = design.linear(s * vec[:, k], offset=False)
        if float(v @ (r * r)) < RANK_RTOL * len(lam) * lam[-1]:
            dependent.append(k)
    if dependent:
        a = np.abs(vec[:, dependent])
        involved = np.flatnonzero((a > 0.05 * a.max(axis=0)).any(axis=1))
        names = ", ".join(labels[j] for j in involved)
        raise ValidationError(
            f"`X` must have linearly independent columns (with the intercept, if fitted); got {names} linearly "
            f"dependent ({len(dependent)} dependence(s): a combination of them is zero in every bin). "
            "Drop one of them, or pass alpha > 0 for a ridge fit.")


def _objective(design: GLMProblem, family: Family, theta, eta, mu, l1, l2, pen) -> float:
    ll = family.loglik_sum(design.y, eta, mu, design.weight)
    tp = theta * pen
    return float(-ll / design.total_weight + 0.5 * l2 * (tp @ tp) + l1 * np.abs(tp).sum())


def _solve_pd(hess: np.ndarray, rhs: np.ndarray) -> np.ndarray | None:
    """Solve ``hess @ x = rhs`` by Cholesky; retry once with a tiny diagonal jitter; None if not PD."""
    for jitter in (0.0, 1e-12 * max(float(np.max(np.diag(hess))), 1e-300)):
        try:
            factor = linalg.cho_factor(hess + jitter * np.eye(len(rhs)), check_finite=False)
        except linalg.LinAlgError:
            continue
        x = linalg.cho_solve(factor, rhs, check_finite=False)
        if np.all(np.isfinite(x)):
            return x
    return None


def _subgradient_residual(g: np.ndarray, theta: np.ndarray, l1: float, pen: np.ndarray) -> float:
    """Largest distance of ``-g`` from the L1 subdifferential (the plain gradient norm when ``l1 == 0``)."""
    if l1 == 0.0:
        return float(np.max(np.abs(g), initial=0.0))
    lam = l1 * pen
    nz = theta != 0.0
    r = np.where(nz, np.abs(g + lam * np.sign(theta)), np.maximum(np.abs(g) - lam, 0.0))
    return float(np.max(r, initial=0.0))


def _separated(family: Family, design: GLMProblem, eta: np.ndarray) -> bool:
    return isinstance(family, Bernoulli) and float(np.max(np.abs(eta))) > SEPARATION_ETA


def _separation_error(design: GLMProblem, eta: np.ndarray) -> ValidationError:
    y = design.y
    sure = np.abs(eta) > SEPARATION_ETA
    n_sure = int(sure.sum())
    return ValidationError(
        "`X` must not separate spikes from silent bins for an unpenalised Bernoulli GLM; got (quasi-)complete "
        f"separation: {n_sure} of {y.shape[0]} bins are fitted with probability 0 or 1 and the coefficients "
        "diverge. Pass alpha > 0 (e.g. 1e-4) for a ridge fit with finite coefficients, or drop the separating "
        "column(s).")


def newton_fit(design: GLMProblem, family: Family, *, l1: float = 0.0, l2: float = 0.0, max_iter: int = 100,
               tol: float = 1e-8, theta0: np.ndarray | None = None, check_rank: bool = True) -> SolverResult:
    """Minimise the penalised objective by (proximal) Newton with backtracking.

    Parameters
    ----------
    design : GLMProblem
    family : Family
    l1, l2 : float
        Penalty weights (``alpha * l1_ratio`` and ``alpha * (1 - l1_ratio)``).
    max_iter : int
        Maximum number of Newton iterations.
    tol : float
        Converged when the largest coefficient step is at most
        ``tol * (1 + max|theta|)``.
    theta0 : numpy.ndarray, optional
        Warm start (intercept first); the intercept-only start if None or if
        it lies outside the link's domain.
    check_rank : bool
        Check at the first iteration that an unpenalised design has full
        column rank (raises ValidationError naming the columns otherwise;
        from a warm start too, as its weights are positive all the same).

    Returns
    -------
    SolverResult
    """
    pen = penalty_mask(design)
    q = design.n_params
    W = design.total_weight
    y = design.y
    theta = start_theta(design, family) if theta0 is None else np.array(theta0, dtype=np.float64)
    eta = design.linear(theta)
    if theta0 is not None and not family.feasible(eta):
        theta = start_theta(design, family)
        eta = design.linear(theta)
    if not family.feasible(eta):
        raise ValidationError(f"`offset` must keep the start point inside the {family.link} link's domain; got a "
                              f"linear predictor outside it at the intercept-only start. Use the canonical link, "
                              "or fit_intercept=True with a smaller offset.")
    mu = family.mean(eta)
    f = _objective(design, family, theta, eta, mu, l1, l2, pen)
    unpenalised = l1 == 0.0 and l2 == 0.0
    lam = l1 * pen
    converged, reason = False, None
    hess_u = np.zeros((q, q))
    grad_norm = np.inf
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        d1, d2 = family.derivatives(y, eta, mu)
        hess_u, score = design.gram(design.weighted(d2), design.weighted(d1))
        hess_u /= W
        g = -score / W + l2 * pen * theta
        if n_iter == 1 and check_rank and unpenalised:
            if family.is_canonical:
                check_full_rank(design, design.weighted(d2), hess_u * W)
            else:
                check_full_rank(design, design.weighted(family.fisher_weight(eta, mu)))
        hess = hess_u + np.diag(l2 * pen)
        grad_norm = _subgradient_residual(g, theta, l1, pen)
        if l1 == 0.0:
            d = _solve_pd(hess, -g)
            if d is None:
                if unpenalised and _separated(family, design, eta):
                    raise _separation_error(design, eta)
                reason = "the Hessian is not positive definite (a near rank-deficient design?)"
                break
            decrease = float(g @ d)
        else:
            z = theta.copy()
            safe = hess.copy()
            bad = np.diag(safe) <= 0.0
            safe[bad, bad] = 1.0  # columns without information stay at 0 under the L1 term
            cd_l1_quadratic(safe, g - hess @ theta, z, lam, 10_000, 1e-3 * tol)
            d = z - theta
            decrease = float(g @ d + np.abs(lam * z).sum() - np.abs(lam * theta).sum())
        step = float(np.max(np.abs(d), initial=0.0))
        if step <= tol * (1.0 + float(np.max(np.abs(theta), initial=0.0))):
            theta = theta + d
            eta = design.linear(theta)
            mu = family.mean(eta)
            converged = True
            break
        if unpenalised and _separated(family, design, eta) and np.all(np.abs(y - mu) < 1e-10):
            raise _separation_error(design, eta)
        deta = design.linear(d, offset=False)
        t, accepted = 1.0, False
        slack = 64.0 * EPS * (abs(f) + 1.0)
        while t >= 1e-12:
            eta_t = eta + t * deta
            if family.feasible(eta_t):
                mu_t = family.mean(eta_t)
                f_t = _objective(design, family, theta + t * d, eta_t, mu_t, l1, l2, pen)
                if np.isfinite(f_t) and f_t <= f + ARMIJO * t * decrease + slack:
                    accepted = True
                    break
            t *= 0.5
        if not accepted:
            reason = ("the line search found no decrease of the objective (the optimum is at the limit of "
                      "floating-point resolution, or the problem is ill-conditioned)")
            break
        theta = theta + t * d
        eta, mu, f = eta_t, mu_t, f_t
    if not converged:
        if unpenalised and _separated(family, design, eta):
            raise _separation_error(design, eta)
        if reason is None:
            reason = f"reached max_iter={max_iter} iterations"
            if float(np.min(eta)) < -30.0 and family.name == "poisson":
                reason += (" with the linear predictor diverging to -inf in some bins (a column non-zero only "
                           "in bins without spikes?); pass alpha > 0 for finite coefficients")
        eta = design.linear(theta)
        mu = family.mean(eta)
    return SolverResult(theta, eta, mu, hess_u, n_iter, converged, grad_norm, reason)
