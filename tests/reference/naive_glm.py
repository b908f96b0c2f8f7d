"""Slow, obviously correct twin of the GLM solver kernel (spikestats._kernels.glm_fit)."""

from __future__ import annotations

import math


def cd_l1_quadratic(hess, lin, z, l1, max_sweeps, tol):
    """Cyclic coordinate descent on lin.z + z.H.z / 2 + sum(l1 |z|), recomputing each partial derivative."""
    q = len(z)
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        biggest = 0.0
        for j in range(q):
            # smooth derivative at z without coordinate j's own diagonal contribution
            others = sum(hess[j][k] * z[k] for k in range(q) if k != j)
            rho = -(lin[j] + others)
            # soft thresholding: argmin_x  hess[j][j] x^2 / 2 - rho x + l1[j] |x|
            if rho > l1[j]:
                new = (rho - l1[j]) / hess[j][j]
            elif rho < -l1[j]:
                new = (rho + l1[j]) / hess[j][j]
            else:
                new = 0.0
            change = abs(new - z[j]) * math.sqrt(hess[j][j])
            biggest = max(biggest, change)
            z[j] = new
        if biggest <= tol:
            break
    return sweeps
