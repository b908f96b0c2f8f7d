"""Slow, obviously correct twin of ``spikestats._kernels.bocpd``: the Adams & MacKay recursion on run lengths.

The state is a dict ``run length -> (log posterior, sufficient statistics)``;
each step grows every run by one and adds ``r = 0``, with the predictive from
scipy's distributions (negative binomial, Student's t). Same pruning and
detection rules as the kernel.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.special import logsumexp


def log_predictive(model: str, x: np.ndarray, s: dict, prior: tuple) -> float:
    """Log predictive of observation row ``x`` given a run's statistics ``s`` (sum over dimensions)."""
    if model == "poisson":
        a0, b0 = prior
        shape = a0 + s["sum"]
        rate = b0 + s["n"]
        # NB(x; n=shape, p=rate / (rate + 1)) is the Poisson-Gamma predictive
        return float(np.sum(stats.nbinom.logpmf(x, shape, rate / (rate + 1.0))))
    mu0, k0, a0, b0 = prior
    n = s["n"]
    kappa, alpha = k0 + n, a0 + 0.5 * n
    mean = (k0 * mu0 + s["sum"]) / kappa
    xbar = s["sum"] / n if n else np.zeros_like(x)
    ss = s["sq"] - n * xbar * xbar
    beta = b0 + 0.5 * ss + k0 * n * (xbar - mu0) ** 2 / (2.0 * kappa)
    scale = np.sqrt(beta * (kappa + 1.0) / (alpha * kappa))
    return float(np.sum(stats.t.logpdf(x, 2.0 * alpha, loc=mean, scale=scale)))


def bocpd(model: str, x: np.ndarray, prior: tuple, hazard, prune: float = 0.0, max_run: int | None = None):
    """Run the recursion over ``x`` (``(n_steps, n_dims)``).

    ``hazard(r)`` is the probability that a run holding ``r`` observations ends
    after its ``r``-th. Returns the posterior rows (lists over ``r = 0 ..``),
    the MAP run lengths and the one-step predictive log probabilities.
    """
    d = x.shape[1]
    empty = {"n": 0, "sum": np.zeros(d), "sq": np.zeros(d)}
    runs = {0: (0.0, empty)}
    rows, maps, preds = [[1.0]], [], []
    for xt in x:
        joint = {r: lp + log_predictive(model, xt, s, prior) for r, (lp, s) in runs.items()}
        evidence = logsumexp(list(joint.values()))
        new = {}
        for r, (lp, s) in runs.items():
            grown = {"n": s["n"] + 1, "sum": s["sum"] + xt, "sq": s["sq"] + xt * xt}
            new[r + 1] = (joint[r] + math.log1p(-hazard(r + 1)), grown)
        new[0] = (logsumexp([joint[r] + math.log(hazard(r + 1)) for r in runs]), empty)
        total = logsumexp([v[0] for v in new.values()])
        runs = {r: (v[0] - total, v[1]) for r, v in new.items()}
        dropped = False
        while len(runs) > 1:
            oldest = max(runs)
            if math.exp(runs[oldest][0]) < prune or (max_run is not None and oldest > max_run):
                del runs[oldest]
                dropped = True
            else:
                break
        if dropped:
            total = logsumexp([v[0] for v in runs.values()])
            runs = {r: (v[0] - total, v[1]) for r, v in runs.items()}
        post = [math.exp(runs[r][0]) if r in runs else 0.0 for r in range(max(runs) + 1)]
        rows.append(post)
        best = max(runs, key=lambda r: (runs[r][0], -r))
        maps.append(best)
        preds.append(evidence)
    return rows, np.array(maps), np.array(preds)


def detect(map_run: np.ndarray, confirm: int, min_distance: int, max_run: int | None = None) -> list[int]:
    """The MAP segment-start rule of ``BayesianOnline`` (see its docstring)."""
    last, streak, out = 0, 0, []
    for t, r in enumerate(map_run):
        s = t + 1 - r
        if s >= last + min_distance and s <= t and r != max_run:
            streak += 1
        else:
            streak = 0
        if streak >= confirm:
            out.append(s)
            last, streak = s, 0
    return out
