"""Kernel rate estimates on a time grid and the Shimazaki-Shinomoto bandwidth costs.

Kernel shapes are identified by integer codes (``KERNEL_CODES``); every kernel
is normalised to unit mass and parametrised by its standard deviation ``h``
(seconds). ``u = t - s`` is the time of the output point ``t`` after the spike
``s``; a causal kernel is zero for ``u < 0``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from spikestats._config import BIN_ATOL, NJIT_FLAGS, NJIT_PARALLEL_FLAGS

GAUSSIAN = 0
EXPONENTIAL = 1
ALPHA = 2
EPANECHNIKOV = 3
TRIANGULAR = 4
BOXCAR = 5

#: Kernel names and their codes.
KERNEL_CODES = {"gaussian": GAUSSIAN, "exponential": EXPONENTIAL, "alpha": ALPHA,
                "epanechnikov": EPANECHNIKOV, "triangular": TRIANGULAR, "boxcar": BOXCAR}

SQRT2PI = math.sqrt(2.0 * math.pi)


@njit(**NJIT_FLAGS)
def _symmetric_value(kind, u, h):
    """Value (1/s) at lag ``u`` of the symmetric kernel ``kind`` with standard deviation ``h``."""
    if kind == GAUSSIAN:
        z = u / h
        return math.exp(-0.5 * z * z) / (SQRT2PI * h)
    if kind == EPANECHNIKOV:
        a = math.sqrt(5.0) * h
        z = u / a
        return 0.75 / a * (1.0 - z * z) if abs(z) < 1.0 else 0.0
    if kind == TRIANGULAR:
        a = math.sqrt(6.0) * h
        z = abs(u) / a
        return (1.0 - z) / a if z < 1.0 else 0.0
    a = math.sqrt(3.0) * h  # BOXCAR
    return 0.5 / a if abs(u) < a else 0.0


@njit(**NJIT_FLAGS)
def kernel_value(kind, u, h, causal):
    """Value (1/s) at lag ``u`` (s) of kernel ``kind`` with standard deviation ``h`` (s).

    Gaussian ``exp(-u^2 / 2h^2) / (sqrt(2 pi) h)``; exponential ``exp(-u/tau) / tau``
    with ``tau = h`` for ``u >= 0``; alpha ``u exp(-u/tau) / tau^2`` with
    ``tau = h / sqrt(2)`` for ``u >= 0``; Epanechnikov ``3/(4a) (1 - u^2/a^2)``,
    ``a = sqrt(5) h``; triangular ``(1 - |u|/a) / a``, ``a = sqrt(6) h``; boxcar
    ``1 / (2a)`` for ``|u| < a``, ``a = sqrt(3) h``. With ``causal`` a symmetric
    kernel keeps its ``u >= 0`` half, doubled to unit mass.
    """
    if kind == EXPONENTIAL:
        return math.exp(-u / h) / h if u >= 0.0 else 0.0
    if kind == ALPHA:
        tau = h / math.sqrt(2.0)
        return u * math.exp(-u / tau) / (tau * tau) if u >= 0.0 else 0.0
    if causal:
        return 2.0 * _symmetric_value(kind, u, h) if u >= 0.0 else 0.0
    return _symmetric_value(kind, u, h)


@njit(**NJIT_FLAGS)
def _symmetric_cdf(kind, u, h):
    """Mass of the symmetric kernel ``kind`` on ``(-inf, u]``."""
    if kind == GAUSSIAN:
        return 0.5 * math.erfc(-u / (math.sqrt(2.0) * h))
    if kind == EPANECHNIKOV:
        z = min(max(u / (math.sqrt(5.0) * h), -1.0), 1.0)
        return 0.5 + 0.75 * (z - z * z * z / 3.0)
    if kind == TRIANGULAR:
        z = min(max(u / (math.sqrt(6.0) * h), -1.0), 1.0)
        return 0.5 * (1.0 + z) ** 2 if z < 0.0 else 1.0 - 0.5 * (1.0 - z) ** 2
    z = min(max(u / (math.sqrt(3.0) * h), -1.0), 1.0)  # BOXCAR
    return 0.5 * (1.0 + z)


@njit(**NJIT_FLAGS)
def kernel_cdf(kind, u, h, causal):
    """Mass of the kernel of :func:`kernel_value` on ``(-inf, u]``."""
    if kind == EXPONENTIAL:
        return 1.0 - math.exp(-u / h) if u > 0.0 else 0.0
    if kind == ALPHA:
        x = u * math.sqrt(2.0) / h
        return 1.0 - (1.0 + x) * math.exp(-x) if u > 0.0 else 0.0
    if causal:
        return 2.0 * _symmetric_cdf(kind, u, h) - 1.0 if u > 0.0 else 0.0
    return _symmetric_cdf(kind, u, h)


@njit(**NJIT_FLAGS)
def window_masses(kind, t, t0, t1, h, causal):
    """Mass ``int_{t0}^{t1} k(t_i - s) ds`` of the kernel at each output time ``t_i`` (``h`` per time)."""
    out = np.empty(t.shape[0])
    for i in range(t.shape[0]):
        out[i] = kernel_cdf(kind, t[i] - t0, h[i], causal) - kernel_cdf(kind, t[i] - t1, h[i], causal)
    return out


#: Grid points between exact evaluations in the Gaussian recurrence (bounds its rounding to ~1e-14).
RESTART = 64


@njit(**NJIT_FLAGS)
def _gaussian_run(row, i0, i1, u0, dt, h, scale):
    """Add ``scale * N(u0 + (i - i0) dt; 0, h^2)`` to ``row[i0:i1 + 1]`` by a product recurrence.

    Consecutive values have ratio ``r_i = exp(-(2 u_i dt + dt^2) / 2h^2)``, and
    ``r_{i+1} = r_i q`` with ``q = exp(-dt^2 / h^2)``: two multiplications per
    point instead of an ``exp``. The recurrence restarts from exact values
    every :data:`RESTART` points, so rounding stays near 1e-14 relative.
    """
    q = math.exp(-dt * dt / (h * h))
    i = i0
    while i <= i1:
        u = u0 + (i - i0) * dt
        z = u / h
        g = scale * math.exp(-0.5 * z * z) / (SQRT2PI * h)
        r = math.exp(-(2.0 * u * dt + dt * dt) / (2.0 * h * h))
        end = min(i + RESTART, i1 + 1)
        for k in range(i, end):
            row[k] += g
            g *= r
            r *= q
        i = end


@njit(**NJIT_FLAGS)
def _rate_train(times, a, b, t0, dt, h, kind, causal, lo, hi, row):
    """Add ``sum_s k(t_i - s)`` for the spikes ``times[a:b]`` to ``row`` (``t_i = t0 + i*dt``).

    Only grid points with ``lo * h <= t_i - s <= hi * h`` are visited
    (the kernel's support, possibly truncated); the index range carries the
    binning tolerance so a support edge on a grid point is included. The
    Gaussian (and its causal half) uses :func:`_gaussian_run`.
    """
    n = row.shape[0]
    for j in range(a, b):
        s = times[j]
        x0 = (s + lo * h - t0) / dt
        x1 = (s + hi * h - t0) / dt
        i0 = max(int(math.ceil(x0 - BIN_ATOL)), 0)
        i1 = min(int(math.floor(x1 + BIN_ATOL)), n - 1)
        if kind == GAUSSIAN:
            if causal:  # the half after the spike, doubled; u = 0 exactly is included
                while i0 <= i1 and (t0 + i0 * dt) - s < 0.0:
                    i0 += 1
            if i0 <= i1:
                _gaussian_run(row, i0, i1, (t0 + i0 * dt) - s, dt, h, 2.0 if causal else 1.0)
            continue
        for i in range(i0, i1 + 1):
            row[i] += kernel_value(kind, (t0 + i * dt) - s, h, causal)


@njit(**NJIT_FLAGS)
def kernel_rates(times, offsets, t0, dt, n_times, h, kind, causal, lo, hi):
    """Kernel rates ``(n_trains, n_times)`` in Hz on the grid ``t0 + i*dt``; ``h`` per train (s)."""
    n_trains = offsets.shape[0] - 1
    out = np.zeros((n_trains, n_times))
    for i in range(n_trains):
        _rate_train(times, offsets[i], offsets[i + 1], t0, dt, h[i], kind, causal, lo, hi, out[i])
    return out


@njit(**NJIT_PARALLEL_FLAGS)
def kernel_rates_parallel(times, offsets, t0, dt, n_times, h, kind, causal, lo, hi):
    """Parallel twin of :func:`kernel_rates` (threads over trains; identical output)."""
    n_trains = offsets.shape[0] - 1
    out = np.zeros((n_trains, n_times))
    for i in prange(n_trains):
        _rate_train(times, offsets[i], offsets[i + 1], t0, dt, h[i], kind, causal, lo, hi, out[i])
    return out


@njit(**NJIT_FLAGS)
def balloon_rates(times, offsets, t0, dt, h_t, cutoff):
    """Gaussian rates with a bandwidth per output point: ``sum_s N(t_i - s; 0, h_t[i]^2)`` (Hz).

    The balloon estimator of Shimazaki & Shinomoto's ``ssvkernel``; the sum over
    spikes is truncated at ``|t_i - s| <= cutoff * h_t[i]``. ``h_t`` has one
    value per grid point; the output is ``(n_trains, h_t.size)``.
    """
    n_trains = offsets.shape[0] - 1
    n = h_t.shape[0]
    out = np.zeros((n_trains, n))
    for r in range(n_trains):
        a = offsets[r]
        b = offsets[r + 1]
        for i in range(n):
            t = t0 + i * dt
            h = h_t[i]
            j0 = a + np.searchsorted(times[a:b], t - cutoff * h)
            acc = 0.0
            for j in range(j0, b):
                u = t - times[j]
                if u < -cutoff * h:
                    break
                z = u / h
                acc += math.exp(-0.5 * z * z)
            out[r, i] = acc / (SQRT2PI * h)
    return out


# ------------------------------------------------------------------ Shimazaki-Shinomoto costs
@njit(**NJIT_FLAGS)
def count_autocorrelation(counts):
    """``A[l] = sum_k y[k] y[k + l]`` for ``l = 0 .. n-1`` of a count vector (exact integers as float)."""
    n = counts.shape[0]
    nz = np.flatnonzero(counts)
    out = np.zeros(n)
    for p in range(nz.shape[0]):
        k = nz[p]
        for q in range(p, nz.shape[0]):
            m = nz[q]
            out[m - k] += counts[k] * counts[m]
    return out


@njit(**NJIT_FLAGS)
def edge_spill(nz, cnt, n_bins, dt, psi, s, cutoff):
    """``sum_{k,m} c_k c_m int_{outside} k_w(t - x_k) k_w(t - x_m) dt`` for bins ``x_k = (k + 1/2) dt``.

    The product of two Gaussians of SD ``w`` is ``psi_w(x_k - x_m)`` (``psi[lag]``,
    the Gaussian of SD ``sqrt(2) w``) times a normal density of mean
    ``(x_k + x_m) / 2`` and SD ``s = w / sqrt 2``, whose mass outside the window
    ``[0, n_bins dt]`` is a pair of ``erfc`` of the midpoint. Midpoints take
    ``2 n_bins - 1`` values, so the ``erfc`` are tabulated once (zero for
    midpoints more than ``cutoff * s`` inside the window); pairs further apart
    than the ``psi`` table are skipped.
    """
    n_lag = psi.shape[0]
    reach = cutoff * s
    n_sum = 2 * n_bins - 1
    # bins with k + m = j have their midpoint (j + 1) dt / 2 from the left end, and those with
    # k + m = n_sum - 1 - j the same distance from the right end: one table of normal tail masses
    edge = min(int(2.0 * reach / dt) + 1, n_sum)
    tail = np.empty(edge)
    for j in range(edge):
        tail[j] = 0.5 * math.erfc(0.5 * (j + 1) * dt / (math.sqrt(2.0) * s))
    outside = np.zeros(n_sum)
    for j in range(edge):
        outside[j] += tail[j]
        outside[n_sum - 1 - j] += tail[j]
    total = 0.0
    n = nz.shape[0]
    end = 0
    for p in range(n):
        kp = nz[p]
        while end < n and nz[end] - kp < n_lag:  # bins p..end-1 lie within the psi table
            end += 1
        row = 0.0
        for q in range(p + 1, end):  # branch-free gather: zero table entries add nothing
            row += cnt[q] * psi[nz[q] - kp] * outside[kp + nz[q]]
        total += cnt[p] * (cnt[p] * psi[0] * outside[2 * kp] + 2.0 * row)
    return total


@njit(**NJIT_FLAGS)
def fixed_cost(acf, nz, cnt, n_spikes, dt, w, cutoff):
    """Shimazaki-Shinomoto cost of a fixed Gaussian bandwidth ``w`` for spikes binned at ``dt``.

    ``C(w) = [int_window yhat_w^2 - 2 sum_{i != j} k_w(d_ij)] / N^2`` (their eq. 15 with the
    window's integral, as ``sskernel``), where ``yhat_w = sum_i k_w(t - t_i)``,
    ``k_w`` is the Gaussian of SD ``w`` and ``d_ij`` the pair lags (bin centres).
    The integral over the whole line is ``sum_{i,j} psi_w(d_ij)`` with ``psi_w``
    the Gaussian of SD ``sqrt(2) w``, read from the count autocorrelation
    ``acf`` (lag 0 holds ``sum y^2``; pairs ``i != j`` at lag 0 number
    ``acf[0] - N``); :func:`edge_spill` removes what lies outside the window.
    ``nz``/``cnt`` are the non-empty bins and their counts. Lags beyond
    ``cutoff * sqrt(2) * w`` are dropped.
    """
    n_lag = min(acf.shape[0], int(cutoff * math.sqrt(2.0) * w / dt) + 1)
    psi = np.zeros(n_lag)
    kw = np.zeros(n_lag)
    _gaussian_run(psi, 0, n_lag - 1, 0.0, dt, math.sqrt(2.0) * w, 1.0)
    _gaussian_run(kw, 0, n_lag - 1, 0.0, dt, w, 1.0)
    total = acf[0] * psi[0] - 2.0 * (acf[0] - n_spikes) * kw[0]
    for l in range(1, n_lag):
        total += 2.0 * acf[l] * (psi[l] - 2.0 * kw[l])
    total -= edge_spill(nz, cnt, acf.shape[0], dt, psi, w / math.sqrt(2.0), cutoff)
    return total / (n_spikes * n_spikes)


@njit(**NJIT_FLAGS)
def fixed_costs(counts, dt, widths, cutoff):
    """:func:`fixed_cost` of a count vector at each of ``widths``."""
    acf = count_autocorrelation(counts)
    nz = np.flatnonzero(counts)
    cnt = counts[nz].astype(np.float64)
    out = np.empty(widths.shape[0])
    for k in range(widths.shape[0]):
        out[k] = fixed_cost(acf, nz, cnt, float(cnt.sum()), dt, widths[k], cutoff)
    return out


@njit(**NJIT_FLAGS)
def optimal_fixed_width(counts, dt, w_min, w_max, n_scan, rtol, cutoff):
    """Bandwidth minimising :func:`fixed_cost` of a count vector on ``[w_min, w_max]``, and its cost.

    A scan of ``n_scan`` log-spaced bandwidths brackets the global minimum;
    Brent's method in ``log w`` inside the bracket (:func:`_brent_log_width`)
    refines it to within about ``rtol / 2`` in ``log w``.
    """
    acf = count_autocorrelation(counts)
    nz = np.flatnonzero(counts)
    cnt = counts[nz].astype(np.float64)
    n_spikes = cnt.sum()
    lw0 = math.log(w_min)
    lw1 = math.log(w_max)
    step = (lw1 - lw0) / (n_scan - 1)
    best = 0
    best_c = np.inf
    for k in range(n_scan):
        c = fixed_cost(acf, nz, cnt, n_spikes, dt, math.exp(lw0 + k * step), cutoff)
        if c < best_c:
            best_c = c
            best = k
    a = lw0 + max(best - 1, 0) * step
    b = lw0 + min(best + 1, n_scan - 1) * step
    x, fx = _brent_log_width(acf, nz, cnt, n_spikes, dt, cutoff, a, b, lw0 + best * step, best_c, 0.25 * rtol)
    return math.exp(x), fx


@njit(**NJIT_FLAGS)
def _brent_log_width(acf, nz, cnt, n_spikes, dt, cutoff, a, b, x, fx, tol):
    """Brent's minimisation of :func:`fixed_cost` over ``log w`` in ``[a, b]`` from the point ``x`` (cost ``fx``).

    Parabolic steps through the three best points when they fall well inside
    the bracket, golden-section steps otherwise (Brent 1973, ch. 5); stops
    when the bracket around the best point is within ``2 tol`` of it (the
    best point is then within about ``2 tol`` of the minimiser). Returns the
    best point evaluated and its cost, never worse than ``fx``.
    """
    cg = 0.5 * (3.0 - math.sqrt(5.0))
    w = x
    v = x
    fw = fx
    fv = fx
    d = 0.0
    e = 0.0
    for _ in range(500):
        m = 0.5 * (a + b)
        tol2 = 2.0 * tol
        if abs(x - m) <= tol2 - 0.5 * (b - a):
            break
        golden = True
        if abs(e) > tol:
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = 2.0 * (q - r)
            if q > 0.0:
                p = -p
            q = abs(q)
            e_old = e
            e = d
            if abs(p) < abs(0.5 * q * e_old) and q * (a - x) < p < q * (b - x):
                d = p / q
                golden = False
                if (x + d) - a < tol2 or b - (x + d) < tol2:
                    d = tol if m >= x else -tol
        if golden:
            e = (a - x) if x >= m else (b - x)
            d = cg * e
        u = x + d if abs(d) >= tol else (x + tol if d > 0.0 else x - tol)
        fu = fixed_cost(acf, nz, cnt, n_spikes, dt, math.exp(u), cutoff)
        if fu <= fx:
            if u >= x:
                a = x
            else:
                b = x
            v, fv, w, fw, x, fx = w, fw, x, fx, u, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv, w, fw = w, fw, u, fu
            elif fu <= fv or v == x or v == w:
                v, fv = u, fu
    return x, fx


@njit(**NJIT_FLAGS)
def _row_width(row, dt, w_min, w_max, n_scan, rtol, cutoff):
    """:func:`optimal_fixed_width` of one count row; NaN for fewer than 2 spikes."""
    if row.sum() < 2:
        return np.nan
    return optimal_fixed_width(row, dt, w_min, w_max, n_scan, rtol, cutoff)[0]


@njit(**NJIT_FLAGS)
def optimal_fixed_widths_per_train(counts, dt, w_min, w_max, n_scan, rtol, cutoff):
    """:func:`optimal_fixed_width` for each row of ``counts`` (n_trains, n_bins); NaN for < 2 spikes."""
    out = np.empty(counts.shape[0])
    for i in range(counts.shape[0]):
        out[i] = _row_width(counts[i], dt, w_min, w_max, n_scan, rtol, cutoff)
    return out


@njit(**NJIT_PARALLEL_FLAGS)
def optimal_fixed_widths_per_train_parallel(counts, dt, w_min, w_max, n_scan, rtol, cutoff):
    """Parallel twin of :func:`optimal_fixed_widths_per_train` (identical output)."""
    out = np.empty(counts.shape[0])
    for i in prange(counts.shape[0]):
        out[i] = _row_width(counts[i], dt, w_min, w_max, n_scan, rtol, cutoff)
    return out


# ------------------------------------------------------------------ locally adaptive bandwidth
@njit(**NJIT_FLAGS)
def gaussian_smooth(y, dt, w, cutoff):
    """Gaussian smoothing of the density ``y`` (zero outside): ``sum_k y[k] dt N((i - k) dt; 0, w^2)``."""
    n = y.shape[0]
    n_lag = min(n, int(cutoff * w / dt) + 1)
    g = np.empty(n_lag)
    for l in range(n_lag):
        z = l * dt / w
        g[l] = math.exp(-0.5 * z * z) * dt / (SQRT2PI * w)
    out = np.zeros(n)
    for k in range(n):
        yk = y[k]
        if yk == 0.0:
            continue
        lo = max(k - n_lag + 1, 0)
        hi = min(k + n_lag, n)
        for i in range(lo, hi):
            out[i] += yk * g[abs(i - k)]
    return out


@njit(**NJIT_FLAGS)
def boxcar_smooth(x, half):
    """Moving average of ``x`` over ``[i - half, i + half]`` (clipped at the ends; mean of what is inside)."""
    n = x.shape[0]
    c = np.zeros(n + 1)
    for i in range(n):
        c[i + 1] = c[i] + x[i]
    out = np.empty(n)
    for i in range(n):
        a = max(i - half, 0)
        b = min(i + half + 1, n)
        out[i] = (c[b] - c[a]) / (b - a)
    return out


@njit(**NJIT_FLAGS)
def local_optimal_widths(y, dt, widths, cutoff):
    """Locally optimal bandwidths ``(n_windows, n_bins)``: row ``m`` for the local window ``widths[m]``.

    ``y`` is the histogram density (spikes / dt per bin, all trains pooled).
    The local cost integrand of bandwidth ``w`` (Shimazaki & Shinomoto 2010,
    eq. 21) is ``yhat_w^2 - 2 yhat_w y + 2 k_w(0) y``; it is averaged over a
    boxcar window of SD ``W`` (width ``sqrt(12) W``) around each point, and the
    bandwidth of least local cost is kept.
    """
    n_w = widths.shape[0]
    n = y.shape[0]
    cost = np.empty((n_w, n))
    for j in range(n_w):
        yh = gaussian_smooth(y, dt, widths[j], cutoff)
        k0 = 1.0 / (SQRT2PI * widths[j])
        for i in range(n):
            cost[j, i] = yh[i] * yh[i] - 2.0 * yh[i] * y[i] + 2.0 * k0 * y[i]
    out = np.empty((n_w, n))
    best = np.empty(n)
    for m in range(n_w):
        half = int(0.5 * math.sqrt(12.0) * widths[m] / dt)
        best[:] = np.inf
        for j in range(n_w):
            local = boxcar_smooth(cost[j], half)
            for i in range(n):
                if local[i] < best[i]:
                    best[i] = local[i]
                    out[m, i] = widths[j]
    return out


@njit(**NJIT_FLAGS)
def stiff_widths(local, widths, gamma, dt):
    """Variable bandwidth for stiffness ``gamma``, smoothed (Shimazaki & Shinomoto 2010, sec. 2.3).

    At each point the local window is the largest ``W_m`` whose optimal
    bandwidth satisfies ``w*_m / W_m >= gamma``, and the bandwidth is
    ``gamma * W_m`` (the smallest or largest candidate outside that range).
    These bandwidths are then averaged (Nadaraya-Watson, boxcar window of SD
    ``w / gamma``) to give a smooth bandwidth per point.
    """
    n_w, n = local.shape
    raw = np.empty(n)
    for i in range(n):
        sel = -1
        gmax = -np.inf
        gmin = np.inf
        for m in range(n_w):
            r = local[m, i] / widths[m]
            gmax = max(gmax, r)
            gmin = min(gmin, r)
            if r >= gamma:
                sel = m
        if gamma > gmax:
            raw[i] = widths[0]
        elif gamma < gmin:
            raw[i] = widths[n_w - 1]
        else:
            raw[i] = gamma * widths[sel]
    out = np.empty(n)
    for i in range(n):
        num = 0.0
        den = 0.0
        for k in range(n):
            a = math.sqrt(12.0) * raw[k] / gamma
            if abs((i - k) * dt) <= 0.5 * a:
                num += raw[k] / a
                den += 1.0 / a
        out[i] = num / den
    return out


@njit(**NJIT_FLAGS)
def adaptive_cost(y, n_spikes, dt, h_t, cutoff):
    """Global cost of the balloon estimate with bandwidth ``h_t`` per point, and that estimate.

    ``yv(t_i) = sum_k y_k dt N(t_i - t_k; h_t[i])`` rescaled to integrate to
    ``n_spikes``; cost ``sum_i (yv^2 - 2 yv y + 2 y / (sqrt(2 pi) h_t)) dt``.
    """
    n = y.shape[0]
    yv = np.zeros(n)
    for i in range(n):
        h = h_t[i]
        n_lag = int(cutoff * h / dt) + 1
        acc = 0.0
        for k in range(max(i - n_lag + 1, 0), min(i + n_lag, n)):
            if y[k] != 0.0:
                z = (i - k) * dt / h
                acc += y[k] * math.exp(-0.5 * z * z)
        yv[i] = acc * dt / (SQRT2PI * h)
    mass = yv.sum() * dt
    if mass > 0.0:
        yv *= n_spikes / mass
    c = 0.0
    for i in range(n):
        c += (yv[i] * yv[i] - 2.0 * yv[i] * y[i] + 2.0 * y[i] / (SQRT2PI * h_t[i])) * dt
    return c, yv


@njit(**NJIT_FLAGS)
def optimal_stiffness(y, n_spikes, dt, local, widths, n_scan, rtol, cutoff):
    """Stiffness ``gamma`` in (0, 1) minimising :func:`adaptive_cost`; returns it and its bandwidths.

    A scan of ``n_scan`` values brackets the minimum; golden section refines it.
    """
    best = 0
    best_c = np.inf
    for k in range(n_scan):
        g = (k + 1.0) / (n_scan + 1.0)
        c = adaptive_cost(y, n_spikes, dt, stiff_widths(local, widths, g, dt), cutoff)[0]
        if c < best_c:
            best_c = c
            best = k
    a = best / (n_scan + 1.0)
    b = (best + 2.0) / (n_scan + 1.0)
    phi = (math.sqrt(5.0) - 1.0) / 2.0
    x1 = b - phi * (b - a)
    x2 = a + phi * (b - a)
    f1 = adaptive_cost(y, n_spikes, dt, stiff_widths(local, widths, x1, dt), cutoff)[0]
    f2 = adaptive_cost(y, n_spikes, dt, stiff_widths(local, widths, x2, dt), cutoff)[0]
    while b - a > rtol:
        if f1 < f2:
            b = x2
            x2 = x1
            f2 = f1
            x1 = b - phi * (b - a)
            f1 = adaptive_cost(y, n_spikes, dt, stiff_widths(local, widths, x1, dt), cutoff)[0]
        else:
            a = x1
            x1 = x2
            f1 = f2
            x2 = a + phi * (b - a)
            f2 = adaptive_cost(y, n_spikes, dt, stiff_widths(local, widths, x2, dt), cutoff)[0]
    g = 0.5 * (a + b)
    h_t = stiff_widths(local, widths, g, dt)
    c = adaptive_cost(y, n_spikes, dt, h_t, cutoff)[0]
    g_best = (best + 1.0) / (n_scan + 1.0)
    if best_c < c:
        return g_best, stiff_widths(local, widths, g_best, dt)
    return g, h_t



# ------------------------------------------------------------------ Fourier path
@njit(**NJIT_FLAGS)
def _spike_spectrum(times, a, b, t0, period, row):
    """``row[j] = sum_s exp(-2 pi i j (s - t0) / period)`` over the spikes ``times[a:b]``, ``j < row.size``.

    Powers of the phasor ``exp(-2 pi i (s - t0) / period)`` by multiplication,
    restarted from exact values every :data:`RESTART` frequencies (rounding
    near 1e-14).
    """
    n = row.shape[0]
    for k in range(a, b):
        theta = -2.0 * math.pi * (times[k] - t0) / period
        step = complex(math.cos(theta), math.sin(theta))
        j = 0
        while j < n:
            z = complex(math.cos(j * theta), math.sin(j * theta))
            end = min(j + RESTART, n)
            for m in range(j, end):
                row[m] += z
                z *= step
            j = end


@njit(**NJIT_FLAGS)
def spike_spectra(times, offsets, rows, t0, period, n_freq):
    """Fourier coefficients ``(rows.size, n_freq)`` of the spike trains ``rows`` (see :func:`_spike_spectrum`)."""
    out = np.zeros((rows.shape[0], n_freq), dtype=np.complex128)
    for r in range(rows.shape[0]):
        _spike_spectrum(times, offsets[rows[r]], offsets[rows[r] + 1], t0, period, out[r])
    return out

