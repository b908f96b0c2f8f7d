"""Hypothesis strategies for valid spike trains and epochs.

Examples
--------
>>> from hypothesis import given
>>> from spikestats.testing.strategies import spike_trains
>>> @given(spike_trains())
... def test_binning_conserves(st): ...
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as hs

from spikestats.core.epochs import Epochs
from spikestats.core.spiketrains import SpikeTrains

_finite = {"allow_nan": False, "allow_infinity": False}


@hs.composite
def spike_trains(draw, *, max_trains: int = 6, max_spikes: int = 40, common_window: bool = False,
                 label_kind: str | None = None, with_metadata: bool = True, min_trains: int = 0) -> SpikeTrains:
    """Valid :class:`SpikeTrains`: random windows, sorted times inside them, int or str labels.

    Parameters
    ----------
    max_trains, max_spikes : int
        Upper bounds on the number of trains and spikes per train.
    common_window : bool
        All trains share one window.
    label_kind : {"int", "str"}, optional
        Force the kind of unit/trial labels (default: either).
    with_metadata : bool
        Draw free metadata too.
    min_trains : int
        Lower bound on the number of trains.
    """
    n = draw(hs.integers(min_trains, max_trains))
    t0 = draw(hs.floats(-1e3, 1e3, **_finite))
    dur = draw(hs.floats(1e-3, 1e3, **_finite))
    trains, starts, stops = [], [], []
    for _ in range(n):
        if common_window or not starts:
            a, b = t0, t0 + dur
        else:
            a = t0 + draw(hs.floats(0, dur / 2, **_finite))
            b = a + draw(hs.floats(dur / 100, dur, **_finite))
        if not b > a:
            b = np.nextafter(a, np.inf) if b == a else a + 1.0
        k = draw(hs.integers(0, max_spikes))
        frac = draw(hs.lists(hs.floats(0.0, 1.0, **_finite), min_size=k, max_size=k))
        times = np.sort(np.clip(a + (b - a) * np.asarray(frac, dtype=float), a, b))
        trains.append(times)
        starts.append(a)
        stops.append(b)
    kind = label_kind or draw(hs.sampled_from(["int", "str"]))
    if kind == "int":
        unit = draw(hs.lists(hs.integers(-5, 50), min_size=n, max_size=n))
        trial = draw(hs.lists(hs.integers(0, 50), min_size=n, max_size=n))
    else:
        text = hs.text(alphabet="abcxyz_0123456789", min_size=1, max_size=6)
        unit = draw(hs.lists(text, min_size=n, max_size=n))
        trial = draw(hs.lists(text, min_size=n, max_size=n))
    metadata = None
    if with_metadata:
        metadata = draw(hs.dictionaries(hs.text(alphabet="abcdefgh_", min_size=1, max_size=8),
                                        hs.one_of(hs.integers(-10**6, 10**6), hs.floats(**_finite),
                                                  hs.text(max_size=10), hs.booleans(), hs.none(),
                                                  hs.lists(hs.integers(-100, 100), max_size=4)),
                                        max_size=4))
    if n == 0:
        return SpikeTrains(np.empty(0), np.zeros(1, dtype=np.int64), np.empty(0), np.empty(0),
                           unit=np.empty(0, dtype=np.int64 if kind == "int" else str),
                           trial=np.empty(0, dtype=np.int64 if kind == "int" else str), metadata=metadata)
    return SpikeTrains.from_list(trains, t_start=starts, t_stop=stops, unit=unit,
                                 trial=np.asarray(trial), metadata=metadata)


@hs.composite
def epochs(draw, *, t_start: float = 0.0, t_stop: float = 10.0, max_epochs: int = 5) -> Epochs:
    """Valid :class:`Epochs` inside ``[t_start, t_stop]``."""
    n = draw(hs.integers(1, max_epochs))
    points = sorted(draw(hs.lists(hs.floats(t_start, t_stop, **_finite), min_size=2 * n, max_size=2 * n,
                                  unique=True)))
    start = np.asarray(points[0::2])
    stop = np.asarray(points[1::2])
    return Epochs(start, stop)


@hs.composite
def grid_spike_trains(draw, *, max_units: int = 4, max_trials: int = 3, max_spikes: int = 30,
                      label_kind: str | None = None, with_metadata: bool = True) -> SpikeTrains:
    """Valid :class:`SpikeTrains` with exactly one train per (unit, trial) pair, in shuffled order.

    The shape formats such as NIR ``EventData`` (samples x neurons) need;
    windows, times, label kind and metadata vary as in :func:`spike_trains`.
    """
    n_units = draw(hs.integers(1, max_units))
    n_trials = draw(hs.integers(1, max_trials))
    n = n_units * n_trials
    st = draw(spike_trains(min_trains=n, max_trains=n, max_spikes=max_spikes, label_kind=label_kind,
                           with_metadata=with_metadata))
    kind = "int" if st.unit.dtype.kind in "iu" else "str"
    names = hs.text(alphabet="abcxyz_0123456789", min_size=1, max_size=6) if kind == "str" else hs.integers(-5, 50)
    units = draw(hs.lists(names, min_size=n_units, max_size=n_units, unique=True))
    trials = draw(hs.lists(names, min_size=n_trials, max_size=n_trials, unique=True))
    order = draw(hs.permutations(range(n)))
    pairs = [(units[k % n_units], trials[k // n_units]) for k in order]
    return SpikeTrains(st.times, st.offsets, st.t_start, st.t_stop, unit=np.array([p[0] for p in pairs]),
                       trial=np.array([p[1] for p in pairs]), metadata=st.metadata)
