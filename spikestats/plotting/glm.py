"""Figures of GLM fits: basis functions, fitted filters with their bands, time-rescaling KS plots."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import as_float_array, check_option, fail
from spikestats.plotting._axes import cycle_colors, target_axes


def basis_plot(t: Any, values: Any, ax: Any = None, *, title: str | None = None) -> Any:
    """Each column of ``values`` against lag ``t`` (shown in ms).

    Parameters
    ----------
    t : array_like of float, shape (n_t,)
        Lags (s).
    values : array_like of float, shape (n_t, n_basis)
        Basis functions, e.g. ``basis.evaluate(t)``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = target_axes(ax)
    lag = as_float_array("t", t, ndim=1)
    v = as_float_array("values", values, ndim=2)
    if v.shape[0] != lag.size:
        fail("values", f"of shape ({lag.size}, n_basis)", values, got=f"shape {v.shape}")
    for col, color in zip(v.T, cycle_colors(ax, v.shape[1])):
        ax.plot(lag * 1e3, col, color=color, linewidth=1.2)
    ax.set_xlabel("lag (ms)")
    ax.set_ylabel("basis value")
    if title:
        ax.set_title(title)
    return ax


def filter_plot(lags: Any, value: Any, lower: Any = None, upper: Any = None, ax: Any = None, *,
                scale: str = "gain", label: str | None = None, color: Any = None) -> Any:
    """A fitted filter against lag (ms) with its pointwise 95 % band.

    Parameters
    ----------
    lags : array_like of float, shape (n_lags,)
        Lags (s).
    value, lower, upper : array_like of float, shape (n_lags,)
        Filter and band (``lower``/``upper`` optional; no band where they are
        not finite).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    scale : {"gain", "log"}
        Only labels the y axis: a multiplicative gain (reference line at 1) or
        the log scale (reference at 0).
    label, color : optional
        Legend label and colour of the line.

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_option("scale", scale, ("gain", "log"))
    ax = target_axes(ax)
    lag = as_float_array("lags", lags, ndim=1)
    v = as_float_array("value", value, ndim=1)
    if v.size != lag.size:
        fail("value", f"of length len(lags) = {lag.size}", value, got=f"length {v.size}")
    (line,) = ax.plot(lag * 1e3, v, color=color, label=label, linewidth=1.4)
    if lower is not None and upper is not None:
        lo = as_float_array("lower", lower, ndim=1, finite=False)
        hi = as_float_array("upper", upper, ndim=1, finite=False)
        ok = np.isfinite(lo) & np.isfinite(hi)  # an unbounded band (e.g. lags without any spike) is not drawn
        ax.fill_between(lag * 1e3, np.where(ok, lo, np.nan), np.where(ok, hi, np.nan), where=ok,
                        color=line.get_color(), alpha=0.25, linewidth=0)
    ax.axhline(1.0 if scale == "gain" else 0.0, color="0.5", linewidth=0.8, linestyle=":")
    ax.set_xlabel("lag (ms)")
    ax.set_ylabel("gain (x baseline rate)" if scale == "gain" else "log gain")
    return ax


def ks_plot(rescaled: Any, band: float, ax: Any = None, *, label: str | None = None, color: Any = None) -> Any:
    """Kolmogorov-Smirnov plot of time-rescaled intervals (Brown et al. 2002).

    Parameters
    ----------
    rescaled : array_like of float, shape (n,)
        Uniform variates ``1 - exp(-tau)`` of the rescaled intervals.
    band : float
        Half-width of the 95 % band around the diagonal (``1.36 / sqrt(n)``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    label, color : optional
        Legend label and colour of the empirical curve.

    Returns
    -------
    matplotlib.axes.Axes
        Empirical CDF of the variates (y) against the uniform quantiles
        ``(k - 0.5) / n`` (x), with the diagonal and the band.
    """
    ax = target_axes(ax)
    z = np.sort(as_float_array("rescaled", rescaled, ndim=1))
    n = z.size
    if n == 0:
        fail("rescaled", "non-empty (at least one rescaled interval)", rescaled)
    model = (np.arange(1, n + 1) - 0.5) / n
    grid = np.array([0.0, 1.0])
    ax.plot(grid, grid, color="0.3", linewidth=0.8)
    ax.plot(grid, grid + band, color="0.3", linewidth=0.8, linestyle="--")
    ax.plot(grid, grid - band, color="0.3", linewidth=0.8, linestyle="--")
    ax.plot(model, z, color=color, label=label, linewidth=1.4)
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("model quantile")
    ax.set_ylabel("empirical CDF of rescaled intervals")
    return ax
