"""Spike counts in sliding windows, bootstrap Fano factors and mean-matched regressions."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import BIN_ATOL, EPS, NJIT_FLAGS
from spikestats._kernels.rng import next_double, seed_stream


@njit(**NJIT_FLAGS)
def sliding_counts(times, offsets, t0, window, step, n_windows):
    """Spike counts of each train in windows ``[t0[i] + k*step, t0[i] + k*step + window)``.

    Train ``i`` has ``n_windows[i]`` windows; the output is int64
    ``(n_trains, max(n_windows))`` with zeros past a train's last window.
    On the scale ``x = (t - t0) / step`` with ``y = x + 1e-9 + 8 eps |x|``
    (the binning rule's edge tolerance), window ``k`` holds the spike when
    ``k <= y < k + window / step``; the last window is also closed on the
    right. With ``step == window`` this is the binning rule exactly.
    """
    n_trains = offsets.shape[0] - 1
    width = 0
    for i in range(n_trains):
        width = max(width, n_windows[i])
    out = np.zeros((n_trains, width), dtype=np.int64)
    rho = window / step
    for i in range(n_trains):
        nw = n_windows[i]
        if nw == 0:
            continue
        for j in range(offsets[i], offsets[i + 1]):
            x = (times[j] - t0[i]) / step
            y = x + BIN_ATOL + 8.0 * EPS * abs(x)
            first = max(0, int(np.floor(y - rho)) + 1)
            last = min(nw - 1, int(np.floor(y)))
            for k in range(first, last + 1):
                out[i, k] += 1
            end = nw - 1 + rho
            # right end of the last window is closed (y >= end, so the rule above left it out)
            if y >= end and x <= end + BIN_ATOL + 8.0 * EPS * abs(end):
                out[i, nw - 1] += 1
    return out


@njit(**NJIT_FLAGS)
def fano_of(row, n, ddof):
    """Fano factor ``var / mean`` of ``row[:n]`` (variance with ``ddof``); NaN when undefined."""
    if n <= ddof or n < 2:
        return np.nan
    s = 0.0
    for k in range(n):
        s += row[k]
    mu = s / n
    if mu == 0.0:
        return np.nan
    v = 0.0
    for k in range(n):
        d = row[k] - mu
        v += d * d
    return v / (n - ddof) / mu


@njit(**NJIT_FLAGS)
def bootstrap_fano(counts, n_windows, ddof, key, n_resamples):
    """Bootstrap Fano factors ``(n_trains, n_resamples)``: row ``i`` resamples ``counts[i, :n_windows[i]]``.

    Resample ``b`` of train ``i`` draws ``n_windows[i]`` indices uniformly
    with replacement from stream ``i`` of ``key`` (``floor(u * n)``), so the
    result does not depend on how many trains are processed together.
    """
    n_trains = counts.shape[0]
    out = np.full((n_trains, n_resamples), np.nan)
    buf = np.empty(counts.shape[1], dtype=np.float64)
    for i in range(n_trains):
        n = n_windows[i]
        if n < 2:
            continue
        state = seed_stream(key, i)
        for b in range(n_resamples):
            for k in range(n):
                u, state = next_double(state)
                buf[k] = counts[i, int(u * n)]
            out[i, b] = fano_of(buf, n, ddof)
    return out


@njit(**NJIT_FLAGS)
def matched_slopes(mean, var, weight, eps, bin_of, common, key, n_resamples):
    """Mean-matched regressions of variance on mean through the origin, one per time and resample.

    Parameters
    ----------
    mean, var : float64 (n_points, n_times)
        Mean and variance of the counts of each point (unit) at each time.
    weight : float64 (n_points,)
        Trial count of each point; the regression weight of a point is
        ``weight / (mean + eps)^2`` (the sampling variance of a count variance
        grows with the squared mean and falls with the trial count).
    eps : float
        Floor added to the mean in the weights (a count).
    bin_of : int64 (n_points, n_times)
        Histogram bin of each point's mean (-1: excluded).
    common : int64 (n_bins,)
        Points to keep per bin at every time (the greatest common distribution;
        a bin with fewer points at some time keeps all of them).
    key : uint64
        Stream ``t`` of ``key`` draws the random selections of time ``t``.

    Returns
    -------
    slope, se : float64 (n_times, n_resamples)
        Weighted least-squares slope and its standard error
        ``sqrt(sum w e^2 / (k - 1) / sum w m^2)`` (k kept points; NaN if k < 2).
    """
    n_points, n_times = mean.shape
    n_bins = common.shape[0]
    slope = np.full((n_times, n_resamples), np.nan)
    se = np.full((n_times, n_resamples), np.nan)
    members = np.empty(n_points, dtype=np.int64)
    keep = np.empty(n_points, dtype=np.int64)
    for t in range(n_times):
        state = seed_stream(key, t)
        for r in range(n_resamples):
            n_keep = 0
            for b in range(n_bins):
                if common[b] == 0:
                    continue
                n_in = 0
                for p in range(n_points):
                    if bin_of[p, t] == b:
                        members[n_in] = p
                        n_in += 1
                # partial Fisher-Yates: the first common[b] entries are a uniform random subset
                for q in range(min(common[b], n_in)):
                    u, state = next_double(state)
                    j = q + int(u * (n_in - q))
                    tmp = members[q]
                    members[q] = members[j]
                    members[j] = tmp
                    keep[n_keep] = members[q]
                    n_keep += 1
            if n_keep < 2:
                continue
            sxy = 0.0
            sxx = 0.0
            for q in range(n_keep):
                p = keep[q]
                m = mean[p, t]
                w = weight[p] / ((m + eps) * (m + eps))
                sxy += w * m * var[p, t]
                sxx += w * m * m
            if sxx == 0.0:  # every kept point silent: no slope
                continue
            b_hat = sxy / sxx
            rss = 0.0
            for q in range(n_keep):
                p = keep[q]
                m = mean[p, t]
                w = weight[p] / ((m + eps) * (m + eps))
                e = var[p, t] - b_hat * m
                rss += w * e * e
            slope[t, r] = b_hat
            se[t, r] = np.sqrt(rss / (n_keep - 1) / sxx)
    return slope, se
