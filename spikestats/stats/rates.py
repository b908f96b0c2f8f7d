"""Firing rates."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats.core.spiketrains import as_spiketrains, is_single_train


def firing_rate(st: Any, *, t_start: float | None = None, t_stop: float | None = None) -> np.ndarray | float:
    """Mean firing rate of each train: spike count over window length.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train, seconds), or a list of them
        For arrays the window defaults to ``[0, last spike]`` as in Elephant's
        ``mean_firing_rate``.
    t_start, t_stop : float, optional
        Restrict to this window first (seconds).

    Returns
    -------
    numpy.ndarray of float64, shape (n_trains,)
        Rates in Hz; a float for a single array input.
    """
    single = is_single_train(st)
    trains = as_spiketrains(st, t_start=t_start, t_stop=t_stop)
    rate = trains.counts / trains.duration
    return float(rate[0]) if single else rate
