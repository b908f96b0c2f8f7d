"""Coordinate descent on the L1-penalised quadratic model of a GLM objective (proximal Newton step).

The smooth part of the objective is replaced by its second-order model at the
current coefficients; the step minimises that model plus the L1 term exactly,
one coordinate at a time (Friedman, Hastie & Tibshirani 2010, glmnet). The
model lives on the small ``(q, q)`` Hessian, so a sweep costs ``O(q^2)``
whatever the number of bins.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS


@njit(**NJIT_FLAGS)
def cd_l1_quadratic(hess, lin, z, l1, max_sweeps, tol):
    """Minimise ``lin @ z + z @ hess @ z / 2 + sum(l1 * |z|)`` over ``z`` in place.

    Parameters
    ----------
    hess : float64 (q, q)
        Symmetric positive semi-definite matrix with a positive diagonal.
    lin : float64 (q,)
        Linear term.
    z : float64 (q,)
        Start on entry, minimiser on exit.
    l1 : float64 (q,)
        Non-negative L1 weight of each coordinate (0 leaves it unpenalised).
    max_sweeps : int
        Maximum number of full cyclic sweeps.
    tol : float
        Stop after a sweep whose largest coordinate change, scaled by
        ``sqrt(hess[j, j])``, is at most ``tol``.

    Returns
    -------
    int
        Number of sweeps made.
    """
    q = z.shape[0]
    hz = np.zeros(q)
    for i in range(q):
        s = 0.0
        for j in range(q):
            s += hess[i, j] * z[j]
        hz[i] = s
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        biggest = 0.0
        for j in range(q):
            hjj = hess[j, j]
            old = z[j]
            # derivative of the smooth part without coordinate j's own diagonal term
            rho = hjj * old - (lin[j] + hz[j])
            if rho > l1[j]:
                new = (rho - l1[j]) / hjj
            elif rho < -l1[j]:
                new = (rho + l1[j]) / hjj
            else:
                new = 0.0
            delta = new - old
            if delta != 0.0:
                z[j] = new
                for i in range(q):
                    hz[i] += hess[i, j] * delta
                change = abs(delta) * np.sqrt(hjj)
                if change > biggest:
                    biggest = change
        if biggest <= tol:
            break
    return sweeps
