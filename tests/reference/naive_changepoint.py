"""Slow, obviously correct twins of ``spikestats._kernels.changepoint``: costs from scipy log-likelihoods.

Each segment cost is ``-2 * sum(logpdf)`` of the segment's samples at the
segment's MLE, straight from scipy.stats, constants included; the searches
try every start (dynamic programming) or every segmentation (brute force).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import stats


def segment_cost(cost: str, x: np.ndarray, a: int, b: int, *, variance: float | np.ndarray = 1.0,
                 events: np.ndarray | None = None) -> float:
    """``-2 log L`` of ``x[..., a:b]`` (time last, features summed) at the segment's MLE."""
    seg = np.atleast_2d(x)[:, a:b]
    total = 0.0
    for f, row in enumerate(seg):
        if cost == "poisson":
            total -= 2 * stats.poisson.logpmf(row, row.mean()).sum() if row.sum() > 0 else 0.0
        elif cost == "bernoulli":
            total -= 2 * stats.bernoulli.logpmf(row, row.mean()).sum()
        elif cost == "exponential":
            ev = np.ones(row.size) if events is None else events[a:b]
            rate = ev.sum() / row.sum()
            # density rate * exp(-rate d) for an interval ending in a spike, exp(-rate d) for a censored one
            total -= 2 * (np.sum(ev * np.log(rate)) - rate * row.sum()) if ev.sum() > 0 else 0.0
        elif cost == "normal_mean":
            var = float(np.broadcast_to(variance, (seg.shape[0],))[f])
            total -= 2 * stats.norm.logpdf(row, row.mean(), math.sqrt(var)).sum()
        elif cost == "normal_meanvar":
            total -= 2 * stats.norm.logpdf(row, row.mean(), row.std()).sum()
        else:
            raise ValueError(cost)
    return float(total)


def optimal_partitioning(cost_fn, n: int, penalty: float, min_size: int) -> tuple[list[int], float]:
    """Exact penalised segmentation by dynamic programming over every admissible start; ties to the smallest start.

    ``cost_fn(a, b)`` is the cost of ``[a, b)``. Returns the interior change points and the objective
    (costs plus ``penalty`` per change).
    """
    best = {0: (-penalty, [])}
    for s in range(min_size, n + 1):
        options = [(best[t][0] + cost_fn(t, s) + penalty, best[t][1] + ([t] if t else []))
                   for t in sorted(best) if s - t >= min_size]
        best[s] = min(options, key=lambda o: o[0])
    return best[n][1], best[n][0]


def brute_force(cost_fn, n: int, penalty: float, min_size: int) -> float:
    """Smallest penalised cost over every segmentation of ``n`` samples (for tiny ``n``)."""
    best = math.inf
    for k in range(n):
        for cps in itertools.combinations(range(1, n), k):
            bounds = (0, *cps, n)
            if min(b - a for a, b in zip(bounds[:-1], bounds[1:])) < min_size:
                continue
            best = min(best, sum(cost_fn(a, b) for a, b in zip(bounds[:-1], bounds[1:])) + penalty * k)
    return best


def best_split(cost_fn, a: int, b: int, min_size: int) -> tuple[int, float]:
    """Best split of ``[a, b)`` and its gain ``C(a, b) - C(a, t) - C(t, b)``; ``(-1, -inf)`` if none."""
    options = [(cost_fn(a, t) + cost_fn(t, b), t) for t in range(a + min_size, b - min_size + 1)]
    if not options:
        return -1, -math.inf
    c, t = min(options)
    return t, cost_fn(a, b) - c
