"""Histograms of firing rates and inter-spike intervals."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import as_float_array, check_bool, check_option, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains, as_spiketrains
from spikestats.plotting._axes import cycle_colors, group_rows, target_axes
from spikestats.stats import firing_rate, isi

#: Above this many units, ``by="unit"`` draws no legend.
MAX_LEGEND_ENTRIES = 12


def rate_histogram(rates: Any, ax: Any = None, *, bins: Any = "auto", reference: Any = None,
                   color: Any = None) -> Any:
    """Histogram of firing rates, one count per train.

    Parameters
    ----------
    rates : array_like of float, shape (n_trains,), or SpikeTrains
        Rates in Hz (e.g. :func:`spikestats.stats.firing_rate`); a
        SpikeTrains is turned into its per-train rates. NaNs are dropped.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    bins : int, sequence of float (Hz) or str, default "auto"
        As in :func:`numpy.histogram`.
    reference : array_like of float (Hz), optional
        Rates to mark with dashed vertical lines (e.g. the true rates of
        simulated units), labelled "true rate".
    color : color, optional
        Bar colour.

    Returns
    -------
    matplotlib.axes.Axes
        With one bar patch per bin (x label "firing rate (Hz)", y label
        "number of trains") and one line per reference rate.
    """
    ax = target_axes(ax)
    values = firing_rate(rates) if isinstance(rates, SpikeTrains) else as_float_array("rates", rates, finite=False)
    values = np.ravel(values)
    values = values[np.isfinite(values)]
    ax.hist(values, bins=bins, color=color, edgecolor="white", linewidth=0.5)
    if reference is not None:
        ref = np.unique(np.ravel(as_float_array("reference", reference)))
        for k, r in enumerate(ref):
            ax.axvline(r, color="0.2", linestyle="--", linewidth=1.0, label="true rate" if k == 0 else None)
        if ref.size:
            ax.legend(loc="upper right", frameon=False)
    ax.set_xlabel("firing rate (Hz)")
    ax.set_ylabel("number of trains")
    return ax


def isi_histogram(st: Any, ax: Any = None, *, bins: Any = 50, max_isi: float | None = None, by: str = "all",
                  density: bool = False) -> Any:
    """Histogram of inter-spike intervals.

    Parameters
    ----------
    st : SpikeTrains, or a 1-d array of spike times (s), or a list of them
        The trains; intervals never span two trains.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    bins : int or sequence of float, default 50
        Number of equal bins on ``[0, max_isi]``, or the bin edges in seconds.
    max_isi : float, optional
        Right end of the histogram in seconds when ``bins`` is an int. Default:
        the 99th percentile of all intervals, so a long tail does not squash
        the rest. Longer intervals are not drawn.
    by : {"all", "unit"}, default "all"
        One histogram of all intervals (bars), or one outline per unit label
        (with a legend of up to 12 units; with ``density=True``, units
        without intervals in the drawn range are left out).
    density : bool, default False
        Normalise each histogram to a probability density (1/s) over the
        drawn range instead of counts.

    Returns
    -------
    matplotlib.axes.Axes
        x label "inter-spike interval (s)"; y label "number of intervals" or
        "probability density (1/s)". With ``by="all"`` one bar patch per bin;
        with ``by="unit"`` one outline patch per unit.
    """
    ax = target_axes(ax)
    trains = as_spiketrains(st)
    check_option("by", by, ("all", "unit"))
    density = check_bool("density", density)
    intervals = isi(trains)
    edges = _isi_edges(intervals.values, bins, max_isi)
    if by == "all":
        ax.hist(intervals.values, bins=edges, density=density, edgecolor="white", linewidth=0.5)
    else:
        units, unit_of_train, _ = group_rows(trains.unit)
        unit_of_isi = np.repeat(unit_of_train, np.diff(intervals.offsets))
        for k, (u, c) in enumerate(zip(units, cycle_colors(ax, units.size))):
            values = intervals.values[unit_of_isi == k]
            if density and not np.any((values >= edges[0]) & (values <= edges[-1])):
                continue  # no density without intervals in range
            ax.hist(values, bins=edges, density=density, histtype="step", color=c, label=str(u))
        if 0 < units.size <= MAX_LEGEND_ENTRIES:
            ax.legend(title="unit", frameon=False, fontsize="small")
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel("inter-spike interval (s)")
    ax.set_ylabel("probability density (1/s)" if density else "number of intervals")
    return ax


def _isi_edges(values: np.ndarray, bins: Any, max_isi: float | None) -> np.ndarray:
    """Bin edges (seconds) from an int number of bins on ``[0, max_isi]`` or explicit edges."""
    if np.ndim(bins) == 1:
        edges = as_float_array("bins", bins)
        if edges.size < 2 or np.any(np.diff(edges) <= 0):
            fail("bins", "increasing bin edges (at least two)", bins)
        return edges
    n = check_scalar("bins", bins, integer=True, positive=True)
    if max_isi is None:
        max_isi = float(np.percentile(values, 99)) if values.size else 1.0
        max_isi = max_isi if max_isi > 0 else 1.0
    else:
        max_isi = check_scalar("max_isi", max_isi, positive=True)
    return np.linspace(0.0, max_isi, n + 1)
