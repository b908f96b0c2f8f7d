"""Detected change points: per-segment rates as steps, change times with their intervals."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import fail
from spikestats.exceptions import ValidationTypeError
from spikestats.plotting._axes import cycle_colors, target_axes


def changepoint_plot(result: Any, ax: Any = None, *, max_units: int = 10) -> Any:
    """Draw a change-point result: rate steps (one per unit) and the change times.

    Parameters
    ----------
    result : ChangePointResult
        From ``spikestats.changepoint.detect`` or another detector.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    max_units : int, default 10
        For a population, draw at most this many units (those that change
        most often first).

    Returns
    -------
    matplotlib.axes.Axes
        Each segment's rate as a step line with its interval as a band; each
        change time as a dashed vertical line with its interval (if any)
        shaded; x label "time (s)", y label "rate (Hz)".
    """
    for attr in ("edges", "rates", "rate_intervals", "change_times"):
        if not hasattr(result, attr):
            fail("result", "a ChangePointResult", result, kind=ValidationTypeError)
    ax = target_axes(ax)
    edges = np.asarray(result.edges, dtype=float)
    rates = np.atleast_2d(np.asarray(result.rates, dtype=float))
    bands = np.asarray(result.rate_intervals, dtype=float).reshape(rates.shape + (2,))
    rows = np.arange(rates.shape[0])
    if rates.shape[0] > max_units:
        changed = np.asarray(result.units_changed).sum(axis=0) if result.units_changed is not None else None
        rows = np.argsort(-changed, kind="stable")[:max_units] if changed is not None else rows[:max_units]
    units = getattr(result, "units", None)
    for row, color in zip(rows, cycle_colors(ax, rows.size)):
        label = None if rates.shape[0] == 1 else (f"unit {units[row]}" if units is not None else f"row {row}")
        ax.step(edges, np.r_[rates[row], rates[row, -1:]], where="post", color=color, linewidth=1.4, label=label)
        lo, hi = bands[row, :, 0], bands[row, :, 1]
        ax.fill_between(edges, np.r_[lo, lo[-1:]], np.r_[hi, hi[-1:]], step="post", color=color, alpha=0.2,
                        linewidth=0)
    intervals = getattr(result, "intervals", None)
    for k, t in enumerate(np.asarray(result.change_times, dtype=float)):
        ax.axvline(t, color="k", linestyle="--", linewidth=0.9)
        if intervals is not None and np.all(np.isfinite(intervals[k])):
            ax.axvspan(intervals[k][0], intervals[k][1], color="k", alpha=0.12, linewidth=0)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel("time (s)")
    ax.set_ylabel("rate (Hz)")
    if rates.shape[0] > 1:
        ax.legend(loc="best", fontsize="small")
    return ax
