"""Slow, obviously correct twins of the kernels in ``spikestats._kernels.kernel_rate``."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

#: Each kernel as a frozen scipy distribution of the lag u = t - s, given its SD h.
def kernel_distribution(kind: str, h: float):
    """scipy distribution with the kernel's shape (SD ``h``; exponential tau = h, alpha tau = h / sqrt 2)."""
    if kind == "gaussian":
        return stats.norm(scale=h)
    if kind == "exponential":
        return stats.expon(scale=h)
    if kind == "alpha":
        return stats.gamma(2, scale=h / math.sqrt(2.0))
    if kind == "epanechnikov":
        a = math.sqrt(5.0) * h
        return stats.beta(2, 2, loc=-a, scale=2 * a)  # (1 - z^2) on [-1, 1] is Beta(2, 2) stretched
    if kind == "triangular":
        a = math.sqrt(6.0) * h
        return stats.triang(0.5, loc=-a, scale=2 * a)
    a = math.sqrt(3.0) * h
    return stats.uniform(loc=-a, scale=2 * a)


def kernel_value(kind: str, u: float, h: float, causal: bool) -> float:
    """Kernel density at lag ``u`` (one-sided half doubled when ``causal``)."""
    d = kernel_distribution(kind, h)
    if causal and kind not in ("exponential", "alpha"):
        return 0.0 if u < 0 else 2.0 * float(d.pdf(u))
    if kind == "boxcar" and abs(u) >= math.sqrt(3.0) * h:
        return 0.0
    return float(d.pdf(u))


def kernel_rates(trains: list[np.ndarray], t0: float, dt: float, n: int, h: list[float], kind: str, causal: bool,
                 lo: float, hi: float) -> np.ndarray:
    """Every spike against every grid point, keeping lags in ``[lo h, hi h]``."""
    out = np.zeros((len(trains), n))
    for r, train in enumerate(trains):
        for i in range(n):
            t = t0 + i * dt
            for s in train:
                u = t - s
                if lo * h[r] - 1e-9 * dt <= u <= hi * h[r] + 1e-9 * dt:
                    out[r, i] += kernel_value(kind, u, h[r], causal)
    return out


def window_mass(kind: str, t: float, t0: float, t1: float, h: float, causal: bool) -> float:
    """Kernel mass over spikes in ``[t0, t1]`` at output time ``t``, from scipy CDFs."""
    d = kernel_distribution(kind, h)
    if causal and kind not in ("exponential", "alpha"):
        def cdf(u):
            return 0.0 if u <= 0 else 2.0 * float(d.cdf(u)) - 1.0
    else:
        def cdf(u):
            return float(d.cdf(u))
    return cdf(t - t0) - cdf(t - t1)


def count_autocorrelation(y: np.ndarray) -> np.ndarray:
    """``A[l] = sum_k y[k] y[k + l]`` with numpy's correlate."""
    full = np.correlate(y.astype(float), y.astype(float), mode="full")
    return full[y.size - 1:]


def fixed_cost(counts: np.ndarray, dt: float, w: float) -> float:
    """Shimazaki-Shinomoto cost from every pair of spikes at their bin centres in the window [0, n dt].

    The window integral of ``k_w(t - x_i) k_w(t - x_j)`` is the Gaussian of SD
    ``sqrt(2) w`` at ``x_i - x_j`` times the mass inside the window of a normal
    of mean ``(x_i + x_j) / 2`` and SD ``w / sqrt(2)``.
    """
    pos = np.repeat((np.arange(counts.size) + 0.5) * dt, counts)
    n = pos.size
    d = pos[:, None] - pos[None, :]
    mid = 0.5 * (pos[:, None] + pos[None, :])
    inside = stats.norm(mid, w / math.sqrt(2.0))
    psi = stats.norm.pdf(d, scale=math.sqrt(2.0) * w) * (inside.cdf(counts.size * dt) - inside.cdf(0.0))
    k = stats.norm.pdf(d, scale=w)
    return float((psi.sum() - 2.0 * (k.sum() - np.trace(k))) / n**2)


def gaussian_smooth(y: np.ndarray, dt: float, w: float) -> np.ndarray:
    """``sum_k y[k] dt N((i - k) dt; w)`` by numpy convolution (no cutoff)."""
    n = y.size
    lags = np.arange(-(n - 1), n) * dt
    return np.convolve(y, stats.norm.pdf(lags, scale=w) * dt, mode="full")[n - 1:2 * n - 1]


def boxcar_smooth(x: np.ndarray, half: int) -> np.ndarray:
    """Mean of ``x[i - half : i + half + 1]`` clipped to the array."""
    return np.array([x[max(i - half, 0):i + half + 1].mean() for i in range(x.size)])


def local_optimal_widths(y: np.ndarray, dt: float, widths: np.ndarray) -> np.ndarray:
    """Argmin over bandwidths of the window-averaged local cost, for each window."""
    cost = np.array([(lambda yh: yh**2 - 2 * yh * y + 2 * y * stats.norm.pdf(0, scale=w))(gaussian_smooth(y, dt, w))
                     for w in widths])
    out = np.empty((widths.size, y.size))
    for m, win in enumerate(widths):
        half = int(0.5 * math.sqrt(12.0) * win / dt)
        local = np.array([boxcar_smooth(c, half) for c in cost])
        out[m] = widths[np.argmin(local, axis=0)]
    return out


def stiff_widths(local: np.ndarray, widths: np.ndarray, gamma: float, dt: float) -> np.ndarray:
    """Bandwidth ``gamma W_m`` for the largest window with ``w*_m / W_m >= gamma``, then boxcar-smoothed."""
    ratio = local / widths[:, None]
    n = local.shape[1]
    raw = np.empty(n)
    for i in range(n):
        ok = np.flatnonzero(ratio[:, i] >= gamma)
        if gamma > ratio[:, i].max():
            raw[i] = widths[0]
        elif gamma < ratio[:, i].min():
            raw[i] = widths[-1]
        else:
            raw[i] = gamma * widths[ok.max()]
    width = math.sqrt(12.0) * raw / gamma
    out = np.empty(n)
    for i in range(n):
        inside = np.abs((i - np.arange(n)) * dt) <= 0.5 * width
        out[i] = np.sum(raw[inside] / width[inside]) / np.sum(1.0 / width[inside])
    return out


def adaptive_cost(y: np.ndarray, n_spikes: float, dt: float, h_t: np.ndarray) -> tuple[float, np.ndarray]:
    """Global cost of the balloon estimate with bandwidth ``h_t[i]`` at each bin (no cutoff)."""
    n = y.size
    lags = (np.arange(n)[:, None] - np.arange(n)[None, :]) * dt
    yv = (stats.norm.pdf(lags, scale=h_t[:, None]) * y[None, :]).sum(axis=1) * dt
    yv = yv * n_spikes / (yv.sum() * dt)
    c = np.sum((yv**2 - 2 * yv * y + 2 * y * stats.norm.pdf(0, scale=h_t)) * dt)
    return float(c), yv


def balloon_rates(trains: list[np.ndarray], t0: float, dt: float, h_t: np.ndarray) -> np.ndarray:
    """``sum_s N(t_i - s; h_t[i])`` with every spike (no cutoff)."""
    t = t0 + np.arange(h_t.size) * dt
    return np.array([stats.norm.pdf(t[:, None] - np.asarray(tr)[None, :], scale=h_t[:, None]).sum(axis=1)
                     for tr in trains])



def spike_spectra(trains: list[np.ndarray], t0: float, period: float, n_freq: int) -> np.ndarray:
    """``sum_s exp(-2 pi i j (s - t0) / period)`` for ``j < n_freq``, one row per train."""
    j = np.arange(n_freq)
    return np.array([[sum(complex(math.cos(-2 * math.pi * k * (s - t0) / period),
                                  math.sin(-2 * math.pi * k * (s - t0) / period)) for s in train) for k in j]
                     for train in trains], dtype=complex).reshape(len(trains), n_freq)
