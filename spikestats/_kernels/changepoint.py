"""Change-point searches over cumulative sums: PELT, optimal partitioning, best single splits.

Every cost is twice a negative log-likelihood maximised over the segment's
parameters, computed in O(1) from cumulative sums ``cum[k, f, i]`` (statistic
``k``, feature ``f``, first ``i`` samples), summed over features. Terms that
add up to the same total for every segmentation (``log x!`` of Poisson
counts, ``n log(2 pi sigma^2)`` of Gaussians) are left out here and added by
the caller. ``length_weight`` adds ``length_weight * log(len / n_total)`` per
segment (the modified BIC of Zhang & Siegmund 2007).

Kinds (``kind``):

- ``POISSON``: stats ``[S]``; ``2 (S - S log(S / n))``.
- ``EXPONENTIAL``: stats ``[events, duration]``; ``2 (N - N log(N / D))``.
- ``BERNOULLI``: stats ``[S]``; ``-2 (S log(S / n) + (n - S) log(1 - S / n))``.
- ``NORMAL_MEAN``: stats ``[S, Q]``; ``(Q - S^2 / n) / sigma^2`` (``scale[f] = 1 / sigma^2``).
- ``NORMAL_MEANVAR``: stats ``[S, Q]``; ``n log(max(v, floor))`` with ``v = (Q - S^2 / n) / n``
  (``scale[f] = floor``).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS

POISSON = 0
EXPONENTIAL = 1
BERNOULLI = 2
NORMAL_MEAN = 3
NORMAL_MEANVAR = 4

#: relative slack of the pruning test, so rounding never prunes a start that ties with the optimum
PRUNE_RTOL = 1e-10


@njit(**NJIT_FLAGS)
def feature_cost(kind, cum, scale, f, a, b):
    """Cost of the segment ``[a, b)`` (samples) for feature ``f``."""
    n = b - a
    s = cum[0, f, b] - cum[0, f, a]
    if kind == POISSON:  # written as in pelt_counts, which reads s log s and log n from tables
        return 2.0 * (s - (s * np.log(s) - s * np.log(n))) if s > 0.0 else 0.0
    if kind == EXPONENTIAL:
        d = cum[1, f, b] - cum[1, f, a]
        return 2.0 * (s - s * np.log(s / d)) if s > 0.0 else 0.0
    if kind == BERNOULLI:
        if 0.0 < s < n:
            return -2.0 * (s * np.log(s / n) + (n - s) * np.log((n - s) / n))
        return 0.0
    q = cum[1, f, b] - cum[1, f, a]
    if kind == NORMAL_MEAN:
        return (q - s * s / n) * scale[f]
    return n * np.log(max((q - s * s / n) / n, scale[f]))


@njit(**NJIT_FLAGS)
def segment_cost(kind, cum, scale, a, b, n_total, length_weight):
    """Cost of the segment ``[a, b)`` summed over features, plus ``length_weight * log((b - a) / n_total)``."""
    c = 0.0
    for f in range(cum.shape[1]):
        c += feature_cost(kind, cum, scale, f, a, b)
    if length_weight != 0.0:
        c += length_weight * np.log((b - a) / n_total)
    return c


@njit(**NJIT_FLAGS)
def feature_gains(kind, cum, scale, bounds):
    """Per-feature drop in cost, ``(n_features, n_changes)``, from splitting ``[b[k-1], b[k+1])`` at ``b[k]``."""
    nf = cum.shape[1]
    k = bounds.shape[0] - 2
    out = np.empty((nf, k))
    for j in range(k):
        a, t, b = bounds[j], bounds[j + 1], bounds[j + 2]
        for f in range(nf):
            out[f, j] = (feature_cost(kind, cum, scale, f, a, b) - feature_cost(kind, cum, scale, f, a, t)
                         - feature_cost(kind, cum, scale, f, t, b))
    return out


@njit(**NJIT_FLAGS)
def _backtrack(last, n):
    """Interior change points from the table of each end's optimal last change."""
    k = 0
    s = n
    while s > 0:
        s = last[s]
        k += 1
    out = np.empty(k - 1, dtype=np.int64)
    s = last[n]
    i = k - 2
    while s > 0:
        out[i] = s
        s = last[s]
        i -= 1
    return out


@njit(**NJIT_FLAGS)
def pelt(kind, cum, scale, penalty, min_size, length_weight):
    """PELT (Killick, Fearnhead & Eckley 2012) with deferred pruning for a minimum segment length.

    ``F[s] = min_t F[t] + C(t, s) + penalty`` over admissible starts ``t``
    (``t = 0`` or ``t >= min_size``, ``s - t >= min_size``), ``F[0] = -penalty``.
    A start ``t`` with ``F[t] + C(t, s) > F[s]`` can never be the optimal last
    change of an end ``s' >= s + min_size`` (costs are superadditive), so it
    leaves the candidate set at step ``s + min_size``. Ties go to the smallest
    start, as in :func:`optimal_partitioning`.

    Returns
    -------
    change_points : int64 (n_changes,)
    objective : float
        ``F[n]``: sum of segment costs plus ``penalty`` per change.
    n_evaluations : int
        Cost evaluations made (``n (n + 1) / 2`` without pruning).
    """
    n = cum.shape[2] - 1
    F = np.empty(n + 1)
    F[0] = -penalty
    F[1:] = np.inf
    last = np.zeros(n + 1, dtype=np.int64)
    cand = np.empty(n + 1, dtype=np.int64)
    drop_at = np.empty(n + 1, dtype=np.int64)
    vals = np.empty(n + 1)
    never = n + 1 + min_size
    n_cand = 0
    n_eval = 0
    for s in range(min_size, n + 1):
        # close up the starts whose pruning took effect at this step
        kept = 0
        for j in range(n_cand):
            if drop_at[j] > s:
                cand[kept] = cand[j]
                drop_at[kept] = drop_at[j]
                kept += 1
        n_cand = kept
        t_new = s - min_size
        if t_new == 0 or t_new >= min_size:
            cand[n_cand] = t_new
            drop_at[n_cand] = never
            n_cand += 1
        best = np.inf
        arg = 0
        for j in range(n_cand):
            t = cand[j]
            v = F[t] + segment_cost(kind, cum, scale, t, s, n, length_weight)
            vals[j] = v
            if v < best:
                best = v
                arg = t
        n_eval += n_cand
        F[s] = best + penalty
        last[s] = arg
        limit = F[s] + PRUNE_RTOL * (1.0 + abs(F[s]))
        for j in range(n_cand):
            if drop_at[j] == never and vals[j] > limit:
                drop_at[j] = s + min_size
    return _backtrack(last, n), F[n], n_eval


@njit(**NJIT_FLAGS)
def optimal_partitioning(kind, cum, scale, penalty, min_size, length_weight):
    """Exact penalised segmentation by dynamic programming over every start (Jackson et al. 2005), O(n^2).

    Same recursion, admissible starts, tie-breaking and return values as :func:`pelt`, without pruning.
    """
    n = cum.shape[2] - 1
    F = np.empty(n + 1)
    F[0] = -penalty
    F[1:] = np.inf
    last = np.zeros(n + 1, dtype=np.int64)
    n_eval = 0
    for s in range(min_size, n + 1):
        best = F[0] + segment_cost(kind, cum, scale, 0, s, n, length_weight)
        arg = 0
        n_eval += 1
        for t in range(min_size, s - min_size + 1):
            v = F[t] + segment_cost(kind, cum, scale, t, s, n, length_weight)
            n_eval += 1
            if v < best:
                best = v
                arg = t
        F[s] = best + penalty
        last[s] = arg
    return _backtrack(last, n), F[n], n_eval


@njit(**NJIT_FLAGS)
def split_costs(kind, cum, scale, a, b, min_size, n_total, length_weight):
    """``C(a, t) + C(t, b)`` for every split ``t`` in ``[a + min_size, b - min_size]`` (empty if none)."""
    lo = a + min_size
    hi = b - min_size
    m = max(hi - lo + 1, 0)
    out = np.empty(m)
    for i in range(m):
        t = lo + i
        out[i] = (segment_cost(kind, cum, scale, a, t, n_total, length_weight)
                  + segment_cost(kind, cum, scale, t, b, n_total, length_weight))
    return out


@njit(**NJIT_FLAGS)
def best_split(kind, cum, scale, a, b, min_size, n_total, length_weight):
    """Best single split of ``[a, b)``: ``(t, gain)`` with ``gain = C(a, b) - C(a, t) - C(t, b)``.

    ``(-1, -inf)`` when the segment is shorter than ``2 * min_size``. Ties go to the smallest ``t``.
    """
    whole = segment_cost(kind, cum, scale, a, b, n_total, length_weight)
    best = np.inf
    arg = -1
    for t in range(a + min_size, b - min_size + 1):
        v = (segment_cost(kind, cum, scale, a, t, n_total, length_weight)
             + segment_cost(kind, cum, scale, t, b, n_total, length_weight))
        if v < best:
            best = v
            arg = t
    if arg < 0:
        return -1, -np.inf
    return arg, whole - best


@njit(**NJIT_FLAGS)
def interval_splits(kind, cum, scale, starts, ends, min_size, length_weight):
    """Best split and its gain for each interval ``[starts[i], ends[i])`` (wild binary segmentation)."""
    m = starts.shape[0]
    n = cum.shape[2] - 1
    where = np.empty(m, dtype=np.int64)
    gain = np.empty(m)
    for i in range(m):
        where[i], gain[i] = best_split(kind, cum, scale, starts[i], ends[i], min_size, n, length_weight)
    return where, gain


@njit(**NJIT_PARALLEL_FLAGS)
def interval_splits_parallel(kind, cum, scale, starts, ends, min_size, length_weight):
    """Parallel twin of :func:`interval_splits` (threads over intervals; identical output)."""
    m = starts.shape[0]
    n = cum.shape[2] - 1
    where = np.empty(m, dtype=np.int64)
    gain = np.empty(m)
    for i in prange(m):
        w, g = best_split(kind, cum, scale, starts[i], ends[i], min_size, n, length_weight)
        where[i] = w
        gain[i] = g
    return where, gain


@njit(**NJIT_FLAGS)
def xlogx_table(m):
    """``k log k`` for ``k = 0 .. m`` (0 for ``k = 0``)."""
    out = np.zeros(m + 1)
    for k in range(1, m + 1):
        out[k] = k * np.log(float(k))
    return out


@njit(**NJIT_FLAGS)
def log_table(m):
    """``log k`` for ``k = 0 .. m`` (``-inf`` for ``k = 0``)."""
    out = np.empty(m + 1)
    out[0] = -np.inf
    for k in range(1, m + 1):
        out[k] = np.log(float(k))
    return out


@njit(**NJIT_FLAGS, inline="always")
def _counts_cost(ccum, s, cand_c, j, nf, xlx, ln):
    """Poisson cost of one start's segment ending at ``s`` from the tables (one unit without a loop)."""
    if nf == 1:
        k = ccum[s, 0] - cand_c[j, 0]
        return 2.0 * (k - (xlx[k] - k * ln)) if k > 0 else 0.0
    c = 0.0
    for f in range(nf):
        k = ccum[s, f] - cand_c[j, f]
        if k > 0:
            c += 2.0 * (k - (xlx[k] - k * ln))
    return c


@njit(**NJIT_FLAGS)
def pelt_counts(ccum, penalty, min_size):
    """:func:`pelt` for Poisson counts without length terms, the fast way; same result bit for bit.

    ``ccum`` is the int64 cumulative count ``(n + 1, n_features)`` (time first,
    so one start's counts are contiguous). ``s log s`` and ``log n`` come from
    tables; each start keeps its ``F[t]`` and cumulative counts beside it, so
    the scan over starts reads memory in order and has no branches but the
    minimum; pruned starts are closed up only at the steps where some leave.
    """
    n = ccum.shape[0] - 1
    nf = ccum.shape[1]
    xlx = xlogx_table(ccum[n].max())
    lg = log_table(n)
    F = np.empty(n + 1)
    F[0] = -penalty
    F[1:] = np.inf
    last = np.zeros(n + 1, dtype=np.int64)
    cand_t = np.empty(n + 1, dtype=np.int64)
    cand_f = np.empty(n + 1)
    cand_c = np.empty((n + 1, nf), dtype=np.int64)
    drop_at = np.empty(n + 1, dtype=np.int64)
    vals = np.empty(n + 1)
    never = n + 1 + min_size
    next_drop = never
    n_cand = 0
    n_eval = 0
    for s in range(min_size, n + 1):
        if next_drop <= s:  # close up the starts whose pruning takes effect now
            kept = 0
            next_drop = never
            for j in range(n_cand):
                if drop_at[j] > s:
                    cand_t[kept] = cand_t[j]
                    cand_f[kept] = cand_f[j]
                    for f in range(nf):
                        cand_c[kept, f] = cand_c[j, f]
                    drop_at[kept] = drop_at[j]
                    next_drop = min(next_drop, drop_at[j])
                    kept += 1
            n_cand = kept
        t_new = s - min_size
        if t_new == 0 or t_new >= min_size:
            cand_t[n_cand] = t_new
            cand_f[n_cand] = F[t_new]
            for f in range(nf):
                cand_c[n_cand, f] = ccum[t_new, f]
            drop_at[n_cand] = never
            n_cand += 1
        for j in range(n_cand):
            vals[j] = cand_f[j] + _counts_cost(ccum, s, cand_c, j, nf, xlx, lg[s - cand_t[j]])
        best = np.inf
        arg = 0
        for j in range(n_cand):
            if vals[j] < best:
                best = vals[j]
                arg = cand_t[j]
        n_eval += n_cand
        F[s] = best + penalty
        last[s] = arg
        limit = F[s] + PRUNE_RTOL * (1.0 + abs(F[s]))
        for j in range(n_cand):
            if vals[j] > limit and drop_at[j] == never:
                drop_at[j] = s + min_size
                next_drop = min(next_drop, s + min_size)
    return _backtrack(last, n), F[n], n_eval
