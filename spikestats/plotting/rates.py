"""Rate estimates over time: PSTH with its standard-error band, kernel rates per unit."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import as_float_array, fail
from spikestats.plotting._axes import cycle_colors, target_axes


def psth_plot(edges: Any, rate: Any, se: Any = None, ax: Any = None, *, color: Any = None,
              label: str | None = None) -> Any:
    """Trial-averaged rate per bin as a step line, with a band of +-1 standard error.

    Parameters
    ----------
    edges : array_like of float, shape (n_bins + 1,)
        Bin edges (s), e.g. ``PSTH.edges``.
    rate : array_like of float, shape (n_bins,)
        Rate per bin (Hz), e.g. ``PSTH.rate``.
    se : array_like of float, shape (n_bins,), optional
        Standard error (Hz); no band where it is NaN or when omitted.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    color : color, optional
        Line and band colour.
    label : str, optional
        Legend label of the line.

    Returns
    -------
    matplotlib.axes.Axes
        With the step line (x label "time (s)", y label "rate (Hz)") and the band.
    """
    ax = target_axes(ax)
    e = as_float_array("edges", edges, ndim=1)
    r = as_float_array("rate", rate, ndim=1, finite=False)
    if e.size != r.size + 1:
        fail("edges", f"of length len(rate) + 1 = {r.size + 1}", edges, got=f"length {e.size}")
    (line,) = ax.step(e, np.r_[r, r[-1:]], where="post", color=color, label=label, linewidth=1.2)
    if se is not None:
        s = as_float_array("se", se, ndim=1, finite=False)
        if s.size != r.size:
            fail("se", f"of length len(rate) = {r.size}", se, got=f"length {s.size}")
        ok = np.r_[np.isfinite(s), np.isfinite(s[-1:])]
        lo, hi = np.r_[r - s, r[-1:] - s[-1:]], np.r_[r + s, r[-1:] + s[-1:]]
        ax.fill_between(e, lo, hi, where=ok, step="post", color=line.get_color(), alpha=0.25, linewidth=0)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("rate (Hz)")
    return ax


def kernel_rate_plot(times: Any, rates: Any, ax: Any = None, *, labels: Any = None) -> Any:
    """One line per row of ``rates`` against ``times`` (e.g. the kernel rate of each unit).

    Parameters
    ----------
    times : array_like of float, shape (n_times,)
        Times (s).
    rates : array_like of float, shape (n_lines, n_times) or (n_times,)
        Rates (Hz).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    labels : sequence of str, optional
        One legend label per line.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = target_axes(ax)
    t = as_float_array("times", times, ndim=1)
    r = np.atleast_2d(as_float_array("rates", rates, finite=False))
    if r.ndim != 2 or r.shape[1] != t.size:
        fail("rates", f"of shape (n_lines, {t.size})", rates, got=f"shape {r.shape}")
    if labels is not None and len(labels) != r.shape[0]:
        fail("labels", f"one label per line ({r.shape[0]})", labels, got=f"{len(labels)} labels")
    for k, (row, color) in enumerate(zip(r, cycle_colors(ax, r.shape[0]))):
        ax.plot(t, row, color=color, linewidth=1.0, label=None if labels is None else str(labels[k]))
    if labels is not None:
        ax.legend(loc="upper right", frameon=False, fontsize="small")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("rate (Hz)")
    return ax
