"""The bridge's comparison of backends: the same neurons' spikes under the float model, Loihi and SpiNNaker."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import check_scalar, fail
from spikestats.exceptions import ValidationTypeError
from spikestats.plotting._axes import cycle_colors, target_axes


def bridge_comparison_plot(comparison: Any, ax: Any = None, *, neurons: Any = None, t_start: float | None = None,
                           t_stop: float | None = None, max_neurons: int = 10) -> Any:
    """Rasters of each backend of :func:`spikestats.bridge.compare`, interleaved per neuron.

    Each neuron gets one row per backend, in the order of
    ``comparison.spikes`` (the float model first), so a spike moved by the
    fixed-point arithmetic shows as a tick out of line with the float tick
    above it. The legend gives each backend's largest per-neuron rate error
    and its fraction of spikes within one step of the float model.

    Parameters
    ----------
    comparison : Comparison
        The result of :func:`spikestats.bridge.compare`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    neurons : sequence of int, optional
        Neurons to show (default: the first ``max_neurons``).
    t_start, t_stop : float, optional
        Time range to show (s); default: the whole run.
    max_neurons : int
        Neurons shown when ``neurons`` is omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One colour per backend, y tick labels naming the neurons.
    """
    ax = target_axes(ax)
    spikes = getattr(comparison, "spikes", None)
    if not isinstance(spikes, dict) or not spikes:
        fail("comparison", "the result of spikestats.bridge.compare", comparison, kind=ValidationTypeError)
    backends = list(spikes)
    n = min(st.n_trains for st in spikes.values())
    max_neurons = check_scalar("max_neurons", max_neurons, integer=True, positive=True)
    rows = list(range(min(n, max_neurons))) if neurons is None else [int(k) for k in np.atleast_1d(neurons)]
    if any(not 0 <= k < n for k in rows):
        fail("neurons", f"indices in [0, {n})", neurons)
    first = spikes[backends[0]]
    lo = float(np.min(first.t_start)) if t_start is None else float(t_start)
    hi = float(np.max(first.t_stop)) if t_stop is None else float(t_stop)
    if not hi > lo:
        fail("t_stop", f"> t_start = {lo:g} s", hi)
    n_b = len(backends)
    for b, (name, color) in enumerate(zip(backends, cycle_colors(ax, n_b))):
        xs, ys = [], []
        for r, k in enumerate(rows):
            t = np.asarray(spikes[name][k])
            t = t[(t >= lo) & (t <= hi)]
            y = r * (n_b + 1) + b
            xs.append(np.repeat(t, 3))
            ys.append(np.tile([y - 0.4, y + 0.4, np.nan], t.size))
        label = name
        if name in getattr(comparison, "rate_rel_error", {}):
            err = np.nanmax(np.asarray(comparison.rate_rel_error[name])) if np.size(comparison.rate_rel_error[name]) else 0
            label += f" (rate error <= {err:.1%}, {comparison.within_one_step[name]:.1%} within one step)"
        x = np.concatenate(xs) if xs else np.empty(0)
        y = np.concatenate(ys) if ys else np.empty(0)
        x = np.where(np.isnan(y), np.nan, x)
        ax.plot(x, y, color=color, linewidth=1.0, label=label)
    ax.set_yticks([r * (n_b + 1) + (n_b - 1) / 2 for r in range(len(rows))])
    ax.set_yticklabels([f"neuron {k}" for k in rows])
    ax.set_xlim(lo, hi)
    ax.set_ylim(-1, len(rows) * (n_b + 1) - 1)
    ax.invert_yaxis()
    ax.set_xlabel("time (s)")
    ax.legend(fontsize="small", loc="upper right")
    return ax
