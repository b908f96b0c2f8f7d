"""Bayesian online change-point detection (Adams & MacKay 2007): the run-length recursion in log space.

The state is one entry per *alive segment*, ordered from the oldest start to
the newest: its log posterior probability ``lp``, its sufficient statistics
``A``, ``B`` (one column per observed dimension) and its number of
observations ``nobs`` (the run length ``r``). Segment starts are consecutive,
so the alive segments hold run lengths ``nobs[first] .. 0`` in that order, and
the newest (last) segment always holds no observation yet (``r = 0``).

Models (``model``):

* ``0``, Poisson-Gamma: ``x ~ Poisson(lam)``, ``lam ~ Gamma(a0, b0)`` (shape,
  rate) per dimension; ``A`` is the posterior shape, ``B`` the posterior rate.
  The predictive is negative binomial:
  ``log p(x) = lgamma(A + x) - lgamma(A) - lgamma(x + 1) + A log(B / (B + 1)) - x log(B + 1)``.
* ``1``, Gaussian with a Normal-Gamma prior ``(mu0, kappa0, alpha0, beta0)``
  on (mean, precision) per dimension; ``A`` is the posterior mean, ``B`` the
  posterior ``beta``, ``kappa = kappa0 + r`` and ``alpha = alpha0 + r / 2``.
  The predictive is Student's t with ``2 alpha`` degrees of freedom, location
  ``A`` and squared scale ``B (kappa + 1) / (alpha kappa)``.

Dimensions are independent given the segment (their log predictives add), so
a population of units shares its change points.

The hazard is given as two arrays ``log_h[k] = log H(k + 1)`` and
``log_1mh[k] = log(1 - H(k + 1))``, where ``H(r)`` is the probability that a
segment holding ``r`` observations ends after its ``r``-th; run lengths beyond
the arrays use their last entry (a constant hazard is an array of length 1).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS

MODEL_POISSON = 0
MODEL_GAUSSIAN = 1
_LOG_PI = math.log(math.pi)


@njit(**NJIT_FLAGS)
def _tables(model, prior, n_max):
    """Per-run-length terms of the predictive, for ``r = 0 .. n_max``.

    Poisson: ``log(B / (B + 1))`` and ``log(B + 1)`` with ``B = b0 + r``.
    Gaussian: ``lgamma(alpha + 1/2) - lgamma(alpha)`` with ``alpha = alpha0 + r / 2`` (second table unused).
    """
    t0 = np.empty(n_max + 1)
    t1 = np.empty(n_max + 1)
    for r in range(n_max + 1):
        if model == MODEL_POISSON:
            b = prior[1] + r
            t0[r] = math.log(b / (b + 1.0))
            t1[r] = math.log(b + 1.0)
        else:
            alpha = prior[2] + 0.5 * r
            t0[r] = math.lgamma(alpha + 0.5) - math.lgamma(alpha)
            t1[r] = 0.0
    return t0, t1


@njit(**NJIT_FLAGS, inline="always")
def log_rising(a, x):
    """``lgamma(a + x) - lgamma(a)`` for a whole ``x >= 0``.

    For small ``x`` the log of the rising product ``a (a + 1) ... (a + x - 1)``:
    one log, no cancellation between two large ``lgamma`` values.
    """
    if x <= 16.0 and a < 1e15:
        p = 1.0
        for i in range(int(x)):
            p *= a + i
        return math.log(p)
    return math.lgamma(a + x) - math.lgamma(a)


@njit(**NJIT_FLAGS, inline="always")
def _log_predictive(model, x, lgx1, A, B, nobs, prior, t0, t1, j):
    """Log predictive probability of observation row ``x`` under alive segment ``j`` (sum over dimensions)."""
    d = x.shape[0]
    r = nobs[j]
    s = 0.0
    if model == MODEL_POISSON:
        for k in range(d):
            a = A[j, k]
            s += a * t0[r]
            xk = x[k]
            if xk != 0.0:
                s += log_rising(a, xk) - lgx1[k] - xk * t1[r]
    else:
        kappa = prior[1] + r
        alpha = prior[2] + 0.5 * r
        for k in range(d):
            scale2 = B[j, k] * (kappa + 1.0) / (alpha * kappa)
            z = x[k] - A[j, k]
            s += t0[r] - 0.5 * (math.log(2.0 * alpha * scale2) + _LOG_PI) \
                - (alpha + 0.5) * math.log1p(z * z / (2.0 * alpha * scale2))
    return s


@njit(**NJIT_FLAGS, inline="always")
def _update_stats(model, x, A, B, nobs, prior, j):
    """Add observation row ``x`` to the sufficient statistics of segment ``j``."""
    d = x.shape[0]
    if model == MODEL_POISSON:
        for k in range(d):
            A[j, k] += x[k]
            B[j, k] += 1.0
    else:
        kappa = prior[1] + nobs[j]
        for k in range(d):
            z = x[k] - A[j, k]
            B[j, k] += kappa * z * z / (2.0 * (kappa + 1.0))
            A[j, k] += z / (kappa + 1.0)
    nobs[j] += 1


@njit(**NJIT_FLAGS, inline="always")
def _reset_stats(model, A, B, nobs, prior, j):
    """Segment ``j`` starts afresh: prior statistics, no observation."""
    d = A.shape[1]
    for k in range(d):
        if model == MODEL_POISSON:
            A[j, k] = prior[0]
            B[j, k] = prior[1]
        else:
            A[j, k] = prior[0]
            B[j, k] = prior[3]
    nobs[j] = 0


@njit(**NJIT_FLAGS)
def _log_normalise(lp, first, last):
    """Subtract ``logsumexp(lp[first:last])`` in place; returns it."""
    m = -np.inf
    for j in range(first, last):
        if lp[j] > m:
            m = lp[j]
    s = 0.0
    for j in range(first, last):
        s += math.exp(lp[j] - m)
    z = m + math.log(s)
    for j in range(first, last):
        lp[j] -= z
    return z


@njit(**NJIT_FLAGS, inline="always")
def _grow(model, xt, lgx1, A, B, nobs, prior, t0, t1, lp, first, last, log_h, log_1mh):
    """One step for the alive segments: ``lp[j]`` becomes the growth term and the statistics take ``xt``.

    Returns the running-maximum log-sum-exp parts ``(ref_all, s_all, ref_cp, s_cp)`` of the evidence
    ``sum_j exp(lp[j] + log pred_j)`` and of the change terms (the latter only for a varying hazard:
    with a constant one the change term is the evidence times ``H``).
    """
    n_hazard = log_h.shape[0]
    ref_all = -np.inf
    ref_cp = -np.inf
    s_all = 0.0
    s_cp = 0.0
    for j in range(first, last):
        r = nobs[j]
        kh = r if r < n_hazard else n_hazard - 1
        mj = lp[j] + _log_predictive(model, xt, lgx1, A, B, nobs, prior, t0, t1, j)
        lp[j] = mj + log_1mh[kh]
        if mj > ref_all:
            s_all = s_all * math.exp(ref_all - mj) + 1.0
            ref_all = mj
        else:
            s_all += math.exp(mj - ref_all)
        if n_hazard > 1:
            cj = mj + log_h[kh]
            if cj > ref_cp:
                s_cp = s_cp * math.exp(ref_cp - cj) + 1.0
                ref_cp = cj
            else:
                s_cp += math.exp(cj - ref_cp)
        _update_stats(model, xt, A, B, nobs, prior, j)
    return ref_all, s_all, ref_cp, s_cp


@njit(**NJIT_FLAGS)
def bocpd_steps(model, x, prior, lp, A, B, nobs, first, last, log_h, log_1mh, log_prune, max_run,
                store, rows, row_offsets, n_rows, map_run, pred):
    """Run the recursion over the rows of ``x`` (``(n_steps, n_dims)``), updating the state in place.

    Parameters
    ----------
    model : int
        ``MODEL_POISSON`` or ``MODEL_GAUSSIAN``.
    x : float64 (n_steps, n_dims)
    prior : float64 (4,)
        ``(a0, b0, 0, 0)`` or ``(mu0, kappa0, alpha0, beta0)``.
    lp, A, B, nobs : state buffers
        Alive segments occupy ``[first, last)``; capacity must be at least
        ``last + n_steps``.
    log_h, log_1mh : float64 (n_hazard,)
        Hazard (see the module docstring).
    log_prune : float
        Oldest segments whose log posterior falls below this are dropped
        (``-inf``: never); so are segments with more than ``max_run``
        observations (``max_run < 0``: no cap). The posterior is renormalised.
    store : bool
        Write each step's run-length posterior (``r = 0 ..``) into ``rows``
        from ``row_offsets[n_rows]`` on, until ``rows`` is full.
    map_run, pred : int64 / float64 (n_steps,)
        Outputs: MAP run length after each step, and the one-step predictive
        log probability ``log p(x_t | x_0 .. x_{t-1})``.

    Returns
    -------
    (done, first, last, n_rows)
        Steps processed (``< n_steps`` only when ``rows`` filled up: call again
        with the rest and a larger buffer), the new alive range and the number
        of stored rows.
    """
    n_steps, d = x.shape
    n_hazard = log_h.shape[0]
    lgx1 = np.empty(d)
    n_max = 0
    for j in range(first, last):
        if nobs[j] > n_max:
            n_max = nobs[j]
    t0, t1 = _tables(model, prior, n_max + n_steps + 1)
    row_cap = rows.shape[0]
    for t in range(n_steps):
        if store and row_offsets[n_rows] + (last - first) + 1 > row_cap:
            return t, first, last, n_rows
        xt = x[t]
        if model == MODEL_POISSON:
            for k in range(d):
                lgx1[k] = math.lgamma(xt[k] + 1.0)
        # the model is passed as a literal so that each branch compiles its own tight loop
        if model == MODEL_POISSON:
            ref_all, s_all, ref_cp, s_cp = _grow(MODEL_POISSON, xt, lgx1, A, B, nobs, prior, t0, t1, lp, first,
                                                 last, log_h, log_1mh)
        else:
            ref_all, s_all, ref_cp, s_cp = _grow(MODEL_GAUSSIAN, xt, lgx1, A, B, nobs, prior, t0, t1, lp, first,
                                                 last, log_h, log_1mh)
        evidence = ref_all + math.log(s_all)
        pred[t] = evidence
        lp[last] = ref_cp + math.log(s_cp) if n_hazard > 1 else evidence + log_h[0]
        _reset_stats(model, A, B, nobs, prior, last)
        last += 1
        # growth and change terms together sum to the evidence: normalise by subtracting it
        for j in range(first, last):
            lp[j] -= evidence
        # drop the oldest segments (longest runs) that are negligible or beyond the cap
        dropped = False
        while last - first > 1 and (lp[first] < log_prune or (max_run >= 0 and nobs[first] > max_run)):
            first += 1
            dropped = True
        if dropped:
            _log_normalise(lp, first, last)
        # MAP run length: the most probable alive segment, the shortest run on ties
        best = last - 1
        for j in range(last - 2, first - 1, -1):
            if lp[j] > lp[best]:
                best = j
        map_run[t] = nobs[best]
        if store:
            o = row_offsets[n_rows]
            L = last - first
            for r in range(L):
                rows[o + r] = math.exp(lp[last - 1 - r])
            row_offsets[n_rows + 1] = o + L
            n_rows += 1
    return n_steps, first, last, n_rows


@njit(**NJIT_FLAGS)
def bocpd_detect(map_run, t0, confirm, min_distance, max_run, last_cp, streak, out_cp, out_step):
    """Change points from the MAP run lengths (the rule of ``BayesianOnline``), streaming.

    At global step ``t = t0 + i`` the MAP segment start is
    ``s = t + 1 - map_run[i]``. A change point ``s`` is reported when ``s`` has
    been at least ``last_cp + min_distance`` for ``confirm`` consecutive
    steps; it becomes ``last_cp``. A MAP run length at the cap ``max_run``
    (``>= 0``) says only that the run is long, so it never counts towards a
    change. Returns ``(n_found, last_cp, streak)``;
    ``out_cp``/``out_step`` receive the change points and the steps at which
    they were reported.
    """
    n = 0
    for i in range(map_run.shape[0]):
        t = t0 + i
        s = t + 1 - map_run[i]
        if s >= last_cp + min_distance and s <= t and map_run[i] != max_run:
            streak += 1
        else:
            streak = 0
        if streak >= confirm:
            out_cp[n] = s
            out_step[n] = t
            n += 1
            last_cp = s
            streak = 0
    return n, last_cp, streak
