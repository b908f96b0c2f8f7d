"""Slow, obviously correct twins of the variability, dispersion, correlation and plasticity kernels.

Written from the definitions, one spike or pair at a time; tests compare them
with the kernels (integers exactly, floats to ~1e-12).
"""

from __future__ import annotations

import math

import numpy as np
from reference.naive import Xoshiro256, bin_index


def _rows(times, offsets):
    return [np.asarray(times[offsets[i]:offsets[i + 1]], dtype=float) for i in range(len(offsets) - 1)]


# ------------------------------------------------------------------ ISI variability
def local_term(a, b, kind, r):
    if kind == 0:
        return 2.0 * abs(b - a) / (a + b)
    if kind == 1:
        return 3.0 * (a - b) ** 2 / (a + b) ** 2
    return 3.0 * (1.0 - 4.0 * a * b / (a + b) ** 2) * (1.0 + 4.0 * r / (a + b))


def local_variation(times, offsets, kind, r, with_spread, center):
    out_m, out_mean, out_g0, out_g1 = [], [], [], []
    for i, t in enumerate(_rows(times, offsets)):
        d = np.diff(t)
        terms = [local_term(d[k], d[k + 1], kind, r) for k in range(len(d) - 1)]
        if not terms:
            out_m.append(0), out_mean.append(np.nan), out_g0.append(0.0), out_g1.append(0.0)
            continue
        mu = sum(terms) / len(terms)
        c = mu if math.isnan(center[i]) else center[i]
        dev = [x - c for x in terms]
        g0 = sum(x * x for x in dev) / len(terms) if with_spread else 0.0
        g1 = sum(dev[k] * dev[k + 1] for k in range(len(dev) - 1)) / len(terms) if with_spread else 0.0
        out_m.append(len(terms)), out_mean.append(mu), out_g0.append(g0), out_g1.append(g1)
    return np.array(out_m, dtype=np.int64), np.array(out_mean), np.array(out_g0), np.array(out_g1)


def isi_central_moments(times, offsets):
    rows = _rows(times, offsets)
    n = np.zeros(len(rows), dtype=np.int64)
    out = np.full((4, len(rows)), np.nan)
    for i, t in enumerate(rows):
        d = np.diff(t)
        if d.size:
            n[i] = d.size
            mu = d.mean()
            out[:, i] = [mu] + [np.mean((d - mu) ** p) for p in (2, 3, 4)]
    return n, out


# ------------------------------------------------------------------ dispersion
def sliding_counts(times, offsets, t0, window, step, n_windows):
    """Window k of train i holds t when k <= y < k + window/step (y: x plus the edge tolerance), last one closed."""
    out = np.zeros((len(offsets) - 1, max(n_windows, default=0)), dtype=np.int64)
    eps = np.finfo(float).eps
    rho = window / step
    for i, t in enumerate(_rows(times, offsets)):
        nw = n_windows[i]
        end = nw - 1 + rho
        for s in t:
            x = (s - t0[i]) / step
            y = x + 1e-9 + 8 * eps * abs(x)
            for k in range(nw):
                inside = k <= y < k + rho
                if k == nw - 1 and y >= end and x <= end + 1e-9 + 8 * eps * abs(end):
                    inside = True
                out[i, k] += inside
    return out


def fano_of(values, ddof):
    values = [float(v) for v in values]
    n = len(values)
    if n < 2 or n <= ddof:
        return np.nan
    mu = sum(values) / n
    if mu == 0:
        return np.nan
    return sum((v - mu) ** 2 for v in values) / (n - ddof) / mu


def bootstrap_fano(counts, n_windows, ddof, key, n_resamples):
    out = np.full((counts.shape[0], n_resamples), np.nan)
    for i in range(counts.shape[0]):
        n = n_windows[i]
        if n < 2:
            continue
        g = Xoshiro256(key, i)
        for b in range(n_resamples):
            out[i, b] = fano_of([counts[i, int(g.next_double() * n)] for _ in range(n)], ddof)
    return out


def matched_slopes(mean, var, weight, eps, bin_of, common, key, n_resamples):
    n_points, n_times = mean.shape
    slope = np.full((n_times, n_resamples), np.nan)
    se = np.full((n_times, n_resamples), np.nan)
    for t in range(n_times):
        g = Xoshiro256(key, t)
        for r in range(n_resamples):
            keep = []
            for b in range(len(common)):
                if common[b] == 0:
                    continue
                members = [p for p in range(n_points) if bin_of[p, t] == b]
                for q in range(min(common[b], len(members))):
                    j = q + int(g.next_double() * (len(members) - q))
                    members[q], members[j] = members[j], members[q]
                    keep.append(members[q])
            if len(keep) < 2:
                continue
            m = np.array([mean[p, t] for p in keep])
            v = np.array([var[p, t] for p in keep])
            w = np.array([weight[p] for p in keep]) / (m + eps) ** 2
            if np.sum(w * m * m) == 0:
                continue
            b_hat = np.sum(w * m * v) / np.sum(w * m * m)
            slope[t, r] = b_hat
            se[t, r] = math.sqrt(np.sum(w * (v - b_hat * m) ** 2) / (len(keep) - 1) / np.sum(w * m * m))
    return slope, se


# ------------------------------------------------------------------ pairs
def correlogram(a, b, t0, width, n_bins, max_lag):
    """Count pairs by bin difference, looping over every pair of spikes."""
    out = np.zeros(2 * max_lag + 1, dtype=np.int64)
    ba = [bin_index(s, t0, width, n_bins) for s in a]
    bb = [bin_index(s, t0, width, n_bins) for s in b]
    for x in ba:
        for y in bb:
            if x >= 0 and y >= 0 and abs(y - x) <= max_lag:
                out[y - x + max_lag] += 1
    return out


def pair_correlograms(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag):
    ra, rb = _rows(times_a, off_a), _rows(times_b, off_b)
    return np.array([correlogram(ra[i], rb[i], t0[i], width, n_bins[i], max_lag) for i in range(len(ra))])


def all_pair_correlograms(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag):
    ra, rb = _rows(times_a, off_a), _rows(times_b, off_b)
    return np.array([[correlogram(x, y, t0, width, n_bins, max_lag) for y in rb] for x in ra])


def jitter_correlograms(times_a, off_a, times_b, off_b, t0, width, n_bins, max_lag, jitter, key, n_surrogates):
    ra, rb = _rows(times_a, off_a), _rows(times_b, off_b)
    out = np.zeros((n_surrogates, 2 * max_lag + 1), dtype=np.int64)
    for s in range(n_surrogates):
        g = Xoshiro256(key, s)
        for i in range(len(ra)):
            moved = [t + (2.0 * g.next_double() - 1.0) * jitter for t in rb[i]]
            out[s] += correlogram(ra[i], moved, t0[i], width, n_bins[i], max_lag)
    return out


def sttc(a, b, dt, t_start, t_stop):
    """Cutts & Eglen (2014) from the definition; time tiled by a dense union of intervals."""
    if len(a) == 0 or len(b) == 0:
        return np.nan

    def p(x, y):
        return sum(any(abs(s - u) <= dt for u in y) for s in x) / len(x)

    def t(x):
        spans = sorted((max(s - dt, t_start), min(s + dt, t_stop)) for s in x)
        covered, lo, hi = 0.0, spans[0][0], spans[0][1]
        for s0, s1 in spans[1:]:
            if s0 <= hi:
                hi = max(hi, s1)
            else:
                covered += hi - lo
                lo, hi = s0, s1
        return (covered + hi - lo) / (t_stop - t_start)

    def half(pp, tt):
        return 1.0 if pp * tt == 1 else (pp - tt) / (1 - pp * tt)

    return 0.5 * (half(p(a, b), t(b)) + half(p(b, a), t(a)))


def sttc_pairs(times_a, off_a, times_b, off_b, t_start, t_stop, dt):
    ra, rb = _rows(times_a, off_a), _rows(times_b, off_b)
    return np.array([sttc(ra[i], rb[i], dt, t_start[i], t_stop[i]) for i in range(len(ra))])


# ------------------------------------------------------------------ plasticity
def stdp(pre, post, a_plus, a_minus, tau_plus, tau_minus, nearest):
    """Sum of the pair contributions, pair by pair."""
    total = 0.0
    if not nearest:
        for s in pre:
            for u in post:
                if u > s:
                    total += a_plus * math.exp(-(u - s) / tau_plus)
                elif u < s:
                    total -= a_minus * math.exp(-(s - u) / tau_minus)
        return total
    for u in post:
        before = [s for s in pre if s < u]
        if before:
            total += a_plus * math.exp(-(u - max(before)) / tau_plus)
    for s in pre:
        before = [u for u in post if u < s]
        if before:
            total -= a_minus * math.exp(-(s - max(before)) / tau_minus)
    return total


def stdp_pairs(pre, off_pre, post, off_post, a_plus, a_minus, tau_plus, tau_minus, nearest):
    ra, rb = _rows(pre, off_pre), _rows(post, off_post)
    return np.array([stdp(ra[i], rb[i], a_plus, a_minus, tau_plus, tau_minus, nearest) for i in range(len(ra))])
