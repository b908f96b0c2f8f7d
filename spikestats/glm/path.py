"""Regularisation paths: a penalised GLM fitted along decreasing penalties, each fit warm-started from the last."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from spikestats._validation import as_float_array, check_bool, check_scalar, fail
from spikestats.exceptions import ConvergenceWarning
from spikestats.glm._inputs import check_counts, check_design, check_rows, check_solver_options, check_weights
from spikestats.glm._solvers import GLMProblem
from spikestats.glm.estimators import fit_design, null_fit
from spikestats.glm.families import Family, get_family

#: l1_ratio used to place the largest penalty of a pure ridge path (as glmnet does)
RIDGE_PATH_RATIO = 1e-3


@dataclass(frozen=True)
class RegularizationPath:
    """Coefficients along a regularisation path.

    Attributes
    ----------
    alphas : numpy.ndarray, shape (n_alphas,)
        Penalties, decreasing.
    coefs : numpy.ndarray, shape (n_alphas, n_features)
    intercepts : numpy.ndarray, shape (n_alphas,)
    deviances : numpy.ndarray, shape (n_alphas,)
        In-sample deviance of each fit.
    n_iter : numpy.ndarray of int, shape (n_alphas,)
        Newton iterations of each fit (small after the first: warm starts).
    converged : numpy.ndarray of bool, shape (n_alphas,)
    l1_ratio : float
    """

    alphas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    deviances: np.ndarray
    n_iter: np.ndarray
    converged: np.ndarray
    l1_ratio: float

    @property
    def n_nonzero(self) -> np.ndarray:
        """Number of non-zero coefficients at each penalty."""
        return np.count_nonzero(self.coefs, axis=1)

    def __repr__(self) -> str:
        return (f"RegularizationPath(n_alphas={len(self.alphas)}, alphas=[{self.alphas[0]:.3g} .. "
                f"{self.alphas[-1]:.3g}], l1_ratio={self.l1_ratio:g}, n_features={self.coefs.shape[1]})")


def alpha_max(design: GLMProblem, family: Family, l1_ratio: float, max_iter: int, tol: float) -> float:
    """Smallest penalty at which every coefficient of an L1 fit is zero: ``max|score| / (W l1_ratio)``.

    The score is that of the intercept-only (null) fit; for ``l1_ratio == 0``
    the formula is applied with ``RIDGE_PATH_RATIO`` to place the path.
    """
    null = null_fit(design, family, max_iter, tol)
    d1, _ = family.derivatives(design.y, null.eta, null.mu)
    score = design.weighted(d1) @ design.X
    ratio = l1_ratio if l1_ratio > 0 else RIDGE_PATH_RATIO
    return float(np.max(np.abs(score), initial=0.0)) / (design.total_weight * ratio)


def regularization_path(X, y, *, family: str = "poisson", link: str | None = None, l1_ratio: float = 1.0,
                        alphas=None, n_alphas: int = 30, alpha_min_ratio: float = 1e-3,
                        fit_intercept: bool = True, offset=None, sample_weight=None, max_iter: int = 100,
                        tol: float = 1e-8) -> RegularizationPath:
    """Fit a penalised GLM for each of a decreasing sequence of penalties, warm-starting each fit.

    Parameters
    ----------
    X : array_like, shape (n_bins, n_features)
    y : array_like, shape (n_bins,)
    family : {"poisson", "bernoulli"}
    link : str, optional
        The family's canonical link if None.
    l1_ratio : float
        Elastic-net mixing in ``[0, 1]`` (penalty scaling of :class:`PoissonGLM`).
    alphas : array_like, optional
        Penalties to fit (sorted into decreasing order). Default: ``n_alphas``
        values log-spaced from :func:`alpha_max` (where every coefficient of
        an L1 fit is zero) down to ``alpha_min_ratio`` times it.
    n_alphas : int
    alpha_min_ratio : float
    fit_intercept : bool
    offset, sample_weight : array_like, shape (n_bins,), optional
    max_iter, tol
        Per fit, as for :class:`PoissonGLM`.

    Returns
    -------
    RegularizationPath

    Warns
    -----
    ConvergenceWarning
        Once, listing the penalties whose fit did not converge.
    """
    fam = get_family(family, link)
    l1_ratio = check_scalar("l1_ratio", l1_ratio, minimum=0.0, maximum=1.0)
    max_iter, tol = check_solver_options(max_iter, tol)
    X = check_design(X)
    n = X.shape[0]
    w = check_weights(sample_weight, n)
    yv = check_counts(y, n, fam, w)
    off = None if offset is None else check_rows("offset", offset, n, what="one value")
    design = GLMProblem(X, yv, off, w, check_bool("fit_intercept", fit_intercept))
    if alphas is None:
        n_alphas = check_scalar("n_alphas", n_alphas, integer=True, minimum=1)
        ratio = check_scalar("alpha_min_ratio", alpha_min_ratio, positive=True, maximum=1.0)
        top = alpha_max(design, fam, l1_ratio, max_iter, tol)
        if top == 0.0:
            fail("X", "columns correlated with the counts (alpha_max is 0)", X, fix="Pass alphas explicitly.")
        grid = top * np.geomspace(1.0, ratio, n_alphas)
    else:
        grid = np.sort(as_float_array("alphas", alphas, ndim=1))[::-1]
        if grid.size == 0 or grid[-1] < 0:
            fail("alphas", "a non-empty array of penalties >= 0", alphas)
    k = int(design.fit_intercept)
    coefs, intercepts, devs, iters, conv = [], [], [], [], []
    theta = None
    for a in grid:
        res = fit_design(design, fam, l1=a * l1_ratio, l2=a * (1.0 - l1_ratio), max_iter=max_iter, tol=tol,
                         theta0=theta)
        theta = res.theta
        coefs.append(theta[k:].copy())
        intercepts.append(theta[0] if k else 0.0)
        devs.append(fam.deviance(design.y, res.mu, design.weight))
        iters.append(res.n_iter)
        conv.append(res.converged)
    conv = np.array(conv)
    if not conv.all():
        warnings.warn(f"regularization_path: the fits at alpha={grid[~conv].tolist()} did not converge; raise "
                      "max_iter.", ConvergenceWarning, stacklevel=2)
    return RegularizationPath(grid, np.array(coefs).reshape(len(grid), X.shape[1]), np.array(intercepts),
                              np.array(devs), np.array(iters), conv, float(l1_ratio))
