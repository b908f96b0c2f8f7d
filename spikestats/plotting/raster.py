"""Spike rasters."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import check_option, check_scalar
from spikestats.core.spiketrains import as_spiketrains
from spikestats.plotting._axes import cycle_colors, group_rows, target_axes

#: Above this many units the y axis shows train numbers instead of unit labels.
MAX_LABELLED_UNITS = 40


def raster(st: Any, ax: Any = None, *, order: str = "unit", color: Any = None, linewidth: float = 0.8,
           height: float = 0.8) -> Any:
    """Draw each spike as a short vertical tick, one row per train.

    Parameters
    ----------
    st : SpikeTrains, or a 1-d array of spike times (s), or a list of them
        The trains.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    order : {"unit", "stored"}, default "unit"
        Row order: grouped by unit label then trial label (sorted), or the
        order of the trains in ``st``. Row 0 is at the top.
    color : color, optional
        One colour for every tick. Default: one colour per unit from the
        Axes' property cycle.
    linewidth : float, default 0.8
        Tick width in points.
    height : float, default 0.8
        Tick height as a fraction of a row, in (0, 1].

    Returns
    -------
    matplotlib.axes.Axes
        With one ``Line2D`` per unit (labelled with the unit label) whose
        NaN-separated segments are that unit's ticks, x label "time (s)", x
        limits the earliest ``t_start`` to the latest ``t_stop``, and y ticks
        at the unit labels (centre of each unit's rows) when there are at
        most 40 units.
    """
    ax = target_axes(ax)
    trains = as_spiketrains(st)
    check_option("order", order, ("unit", "stored"))
    height = check_scalar("height", height, positive=True, maximum=1.0)
    n = trains.n_trains
    rank = np.lexsort((trains.trial, trains.unit)) if order == "unit" else np.arange(n)
    row_of_train = np.empty(n, dtype=np.int64)
    row_of_train[rank] = np.arange(n)
    rows = np.repeat(row_of_train, trains.counts)
    units, unit_of_train, sizes = group_rows(trains.unit)
    unit_of_spike = np.repeat(unit_of_train, trains.counts)
    colors = cycle_colors(ax, units.size) if color is None else [color] * units.size
    for k, (u, c) in enumerate(zip(units, colors)):
        x, y = _ticks(trains.times[unit_of_spike == k], rows[unit_of_spike == k], height)
        ax.plot(x, y, color=c, linewidth=linewidth, label=str(u))
    if n:
        ax.set_xlim(float(trains.t_start.min()), float(trains.t_stop.max()))
        ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlabel("time (s)")
    if order == "unit" and 0 < units.size <= MAX_LABELLED_UNITS:
        first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        ax.set_yticks(first + (sizes - 1) / 2, [str(u) for u in units])
        ax.set_ylabel("unit" if sizes.max() == 1 else "unit (one row per trial)")
    else:
        ax.set_ylabel("train")
    return ax


def _ticks(times: np.ndarray, rows: np.ndarray, height: float) -> tuple[np.ndarray, np.ndarray]:
    """x and y of vertical ticks at ``times`` centred on ``rows``, as one NaN-separated polyline.

    One polyline draws tens of thousands of ticks far faster than one
    segment object per spike (``vlines``).
    """
    x = np.repeat(times, 3)
    x[2::3] = np.nan
    y = np.empty_like(x)
    y[0::3] = rows - height / 2
    y[1::3] = rows + height / 2
    y[2::3] = np.nan
    return x, y
