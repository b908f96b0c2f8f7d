"""Serial structure of inter-spike intervals: the return map (ISI k+1 against ISI k)."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import check_option
from spikestats.core.spiketrains import as_spiketrains
from spikestats.plotting._axes import cycle_colors, group_rows, target_axes


def isi_return_map(st: Any, ax: Any = None, *, by: str = "all", log: bool = True, max_points: int = 20000,
                   markersize: float = 2.0) -> Any:
    """Scatter of each interval against the next, pairs taken within trains.

    A renewal process fills the plane symmetrically about the diagonal;
    bursting puts points near the axes (short after long, long after short),
    and slow rate drift stretches the cloud along the diagonal. Pairs never
    straddle two trains.

    Parameters
    ----------
    st : SpikeTrains or array_like of float (one train)
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    by : {"all", "unit"}
        One cloud for all trains, or one colour per unit (with a legend).
    log : bool
        Logarithmic axes (intervals span decades).
    max_points : int
        Draw at most this many pairs per cloud (an evenly spaced subset), so
        large recordings stay light.
    markersize : float
        Marker size (points).

    Returns
    -------
    matplotlib.axes.Axes
        With x label "ISI k (s)", y label "ISI k+1 (s)" and a dashed diagonal.
    """
    ax = target_axes(ax)
    check_option("by", by, ("all", "unit"))
    st = as_spiketrains(st)
    isi = np.diff(st.times)
    # a pair (I_k, I_{k+1}) is valid when both intervals and the spike between them lie in one train
    owner = np.repeat(np.arange(st.n_trains), np.diff(st.offsets))
    same = owner[1:] == owner[:-1]
    first = same[:-1] & same[1:]
    x, y, who = isi[:-1][first], isi[1:][first], owner[1:-1][first]
    groups = [("all trains", np.ones(x.size, bool))]
    if by == "unit":
        uniq, inverse, _ = group_rows(st.unit)
        groups = [(str(label), inverse[who] == g) for g, label in enumerate(uniq)]
    for (label, mask), color in zip(groups, cycle_colors(ax, len(groups))):
        idx = np.flatnonzero(mask)
        if idx.size > max_points:
            idx = idx[np.linspace(0, idx.size - 1, max_points).astype(np.int64)]
        ax.plot(x[idx], y[idx], ".", ms=markersize, color=color, alpha=0.5, label=label, rasterized=True)
    if x.size:
        lo, hi = max(np.min(np.r_[x, y]), 1e-6), np.max(np.r_[x, y])
        ax.plot([lo, hi], [lo, hi], "k--", lw=0.8)
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel("ISI k (s)")
    ax.set_ylabel("ISI k+1 (s)")
    if by == "unit":
        ax.legend(fontsize="small", markerscale=4)
    return ax
