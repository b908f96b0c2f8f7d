"""State traces of the neuron generators (``simulate(..., record=True)``): membrane potential and more."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import fail
from spikestats.exceptions import ValidationTypeError
from spikestats.plotting._axes import cycle_colors, target_axes

#: how each recorded variable is shown: scale to the plotted unit, axis label
_SCALES = {"V": (1e3, "mV"), "A": (1e12, "pA"), "S": (1e9, "nS")}


def traces_plot(traces: Any, variable: str = "v", ax: Any = None, *, neurons: Any = None, spikes: Any = None) -> Any:
    """One recorded state variable of neuron generators against time.

    Parameters
    ----------
    traces : xarray.Dataset
        The second item returned by ``LIF/AdEx/Izhikevich/HodgkinHuxley.simulate(..., record=True)``:
        variables over ``(time, unit)`` with a ``units`` attribute (V, A, S).
    variable : str
        Name of the variable to draw (``"v"``, ``"w"``, ``"g_ex"``, ...).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: pyplot's current Axes).
    neurons : sequence of int, optional
        Neurons (positions along ``unit``) to draw; default: up to the first 5.
    spikes : SpikeTrains, optional
        The same simulation's spikes, drawn as ticks above the traces.

    Returns
    -------
    matplotlib.axes.Axes
        One line per neuron, in mV, pA or nS by the variable's unit.
    """
    ax = target_axes(ax)
    if not hasattr(traces, "data_vars") or "time" not in getattr(traces, "coords", {}):
        fail("traces", "the Dataset of a neuron generator's simulate(..., record=True)", traces,
             kind=ValidationTypeError)
    if variable not in traces.data_vars:
        fail("variable", f"one of the recorded variables {sorted(traces.data_vars)}", variable)
    data = traces[variable]
    time = np.asarray(traces["time"].values, dtype=float)
    values = np.asarray(data.transpose("time", ...).values, dtype=float).reshape(time.size, -1)
    rows = list(range(min(5, values.shape[1]))) if neurons is None else [int(n) for n in np.atleast_1d(neurons)]
    bad = [n for n in rows if not 0 <= n < values.shape[1]]
    if bad:
        fail("neurons", f"positions in [0, {values.shape[1]})", neurons)
    scale, unit = _SCALES.get(str(data.attrs.get("units", "")), (1.0, str(data.attrs.get("units", ""))))
    for n, color in zip(rows, cycle_colors(ax, len(rows))):
        ax.plot(time, values[:, n] * scale, lw=0.8, color=color, label=f"neuron {n}")
        if spikes is not None and n < spikes.n_trains:
            top = np.nanmax(values[:, rows]) * scale
            ax.plot(spikes[n], np.full(len(spikes[n]), top), "|", color=color, ms=8)
    ax.set_xlabel("time (s)")
    ax.set_ylabel(f"{data.attrs.get('long_name', variable)} ({unit})" if unit else variable)
    if len(rows) > 1:
        ax.legend(fontsize="small")
    return ax
