"""The analysis window shared by rate estimates (PSTH, kernel rates)."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains, as_spiketrains


def rate_window(trains: SpikeTrains, t_start: float | None, t_stop: float | None) -> tuple[float, float]:
    """``[t_start, t_stop]`` inside the window common to all trains (seconds).

    Defaults are the common window (latest train start, earliest train stop).
    A window reaching outside it would count unobserved time as silence, so
    it is an error rather than a silent zero.
    """
    if trains.n_trains == 0:
        fail("st", "at least one train", trains, got="no trains")
    common_lo = float(np.max(trains.t_start))
    common_hi = float(np.min(trains.t_stop))
    lo = common_lo if t_start is None else check_scalar("t_start", t_start)
    hi = common_hi if t_stop is None else check_scalar("t_stop", t_stop)
    if lo < common_lo:
        fail("t_start", f">= {common_lo}, the start of the window common to all trains", t_start,
             fix="Restrict the trains first or pass a later `t_start`.")
    if hi > common_hi:
        fail("t_stop", f"<= {common_hi}, the end of the window common to all trains", t_stop,
             fix="A window longer than the data would count unobserved time as silence; pass an earlier `t_stop`.")
    if not hi > lo:
        fail("t_stop", f"> t_start = {lo}", hi)
    return lo, hi


def rate_trains(st: Any, t_start: float | None, t_stop: float | None) -> tuple[SpikeTrains, float, float]:
    """Coerce ``st`` and check its window with :func:`rate_window`.

    Arrays of spike times take ``[t_start, t_stop]`` as their window (defaults
    ``0`` and the last spike, as in Elephant); SpikeTrains keep their own.
    """
    if isinstance(st, SpikeTrains):
        trains = st
    else:
        trains = as_spiketrains(st, t_start=t_start, t_stop=t_stop)
    lo, hi = rate_window(trains, t_start, t_stop)
    return trains, lo, hi
