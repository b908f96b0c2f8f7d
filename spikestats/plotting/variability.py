"""Figures of spike-train variability: annotated ISI histograms, Fano factor against window and over time."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from spikestats._validation import as_float_array, check_option, fail
from spikestats.core.spiketrains import as_spiketrains
from spikestats.exceptions import ValidationTypeError
from spikestats.plotting._axes import cycle_colors, group_rows, target_axes
from spikestats.plotting.histograms import MAX_LEGEND_ENTRIES, isi_histogram
from spikestats.stats.dispersion import TimeResolvedFano, fano_factor
from spikestats.stats.intervals import cv, lv, lvr


def _pooled(f, trains, **kwargs) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(trains, pooled=True, **kwargs)


def variability_label(trains: Any, r: float = 5e-3) -> str:
    """``"CV 0.53, LV 0.27, LvR 0.51"``: the pooled CV, LV and LvR (``r`` in s) of ``trains``."""
    return (f"CV {_pooled(cv, trains):.2f}, LV {_pooled(lv, trains):.2f}, "
            f"LvR {_pooled(lvr, trains, r=r):.2f}")


def isi_variability_histogram(st: Any, ax: Any = None, *, by: str = "all", r: float = 5e-3, **kwargs: Any) -> Any:
    """ISI histogram (:func:`~spikestats.plotting.isi_histogram`) annotated with CV, LV and LvR.

    Parameters
    ----------
    st : SpikeTrains, or a 1-d array of spike times (s), or a list of them
    ax : matplotlib.axes.Axes, optional
    by : {"all", "unit"}, default "all"
        ``"all"``: the pooled CV, LV and LvR of all trains in a corner box.
        ``"unit"``: each legend entry (up to 12 units) gets its unit's values.
    r : float, default 5e-3
        Refractoriness constant of the LvR (s).
    **kwargs
        Passed to :func:`~spikestats.plotting.isi_histogram` (``bins``, ``max_isi``, ``density``).

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_option("by", by, ("all", "unit"))
    trains = as_spiketrains(st)
    ax = isi_histogram(trains, ax, by=by, **kwargs)
    if by == "all":
        ax.text(0.98, 0.96, variability_label(trains, r), transform=ax.transAxes, ha="right", va="top",
                fontsize="small", bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.8, "linewidth": 0.5})
        return ax
    legend = ax.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            unit = text.get_text()
            mask = np.array([str(x) == unit for x in trains.unit])
            text.set_text(f"{unit}: {variability_label(trains[mask], r)}")
    return ax


def fano_window_curve(st: Any, windows: Any = None, ax: Any = None, *, by: str = "unit") -> Any:
    """Mean windowed Fano factor against window length (log axes), one line per unit.

    Parameters
    ----------
    st : SpikeTrains
    windows : array_like of float (s), optional
        Window lengths; default 12 log-spaced lengths from 10 ms (or the
        shortest train / 1000) to a tenth of the shortest train.
    ax : matplotlib.axes.Axes, optional
    by : {"unit", "all"}, default "unit"
        One line per unit label (mean over its trains), or one for all trains.

    Returns
    -------
    matplotlib.axes.Axes
        x label "window (s)", y label "Fano factor"; a dashed line at 1 (Poisson).
    """
    ax = target_axes(ax)
    check_option("by", by, ("unit", "all"))
    trains = as_spiketrains(st)
    shortest = float(trains.duration.min())
    if windows is None:
        lo = min(0.01, shortest / 1000)
        windows = np.geomspace(lo, shortest / 10, 12)
    windows = np.atleast_1d(as_float_array("windows", windows))
    if windows.ndim != 1 or windows.size < 1 or np.any(windows <= 0) or np.any(windows > shortest):
        fail("windows", f"positive window lengths up to the shortest train ({shortest} s)", windows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = np.stack([fano_factor(trains, w) for w in windows], axis=1)   # (n_trains, n_windows)
    if by == "all":
        groups = [("all trains", np.ones(len(trains), dtype=bool))]
    else:
        units, inverse, _ = group_rows(trains.unit)
        groups = [(str(u), inverse == k) for k, u in enumerate(units)]
    for (label, mask), color in zip(groups, cycle_colors(ax, len(groups))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            curve = np.nanmean(values[mask], axis=0)
        ax.plot(windows, curve, marker="o", markersize=3, color=color, label=label)
    ax.axhline(1.0, color="0.4", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("window (s)")
    ax.set_ylabel("Fano factor")
    if 1 < len(groups) <= MAX_LEGEND_ENTRIES or by == "all":
        ax.legend(title="unit" if by == "unit" else None, frameon=False, fontsize="small")
    return ax


def time_resolved_fano_plot(result: TimeResolvedFano, ax: Any = None, *, mean_matched: Any = None) -> Any:
    """Fano factor across trials over time, one line per unit, optionally with the mean-matched Fano.

    Parameters
    ----------
    result : TimeResolvedFano
        From :func:`spikestats.stats.dispersion.time_resolved_fano`.
    ax : matplotlib.axes.Axes, optional
    mean_matched : MeanMatchedFano, optional
        Drawn as a thick black line with its confidence band.

    Returns
    -------
    matplotlib.axes.Axes
        x label "time (s)", y label "Fano factor"; a dashed line at 1.
    """
    ax = target_axes(ax)
    if not isinstance(result, TimeResolvedFano):
        fail("result", "a TimeResolvedFano (from time_resolved_fano)", result, kind=ValidationTypeError)
    fano = np.atleast_2d(result.fano)
    thin = mean_matched is not None or fano.shape[0] > MAX_LEGEND_ENTRIES
    for row, unit, color in zip(fano, result.units, cycle_colors(ax, fano.shape[0])):
        ax.plot(result.times, row, color=color, linewidth=0.6 if thin else 1.2, alpha=0.5 if thin else 1.0,
                label=None if thin else str(unit))
    if mean_matched is not None:
        ax.fill_between(mean_matched.times, mean_matched.low, mean_matched.high, color="0.6", alpha=0.4, linewidth=0)
        ax.plot(mean_matched.times, mean_matched.fano, color="k", linewidth=2.0, label="mean-matched")
    ax.axhline(1.0, color="0.4", linestyle="--", linewidth=0.8)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("Fano factor")
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(frameon=False, fontsize="small")
    return ax
