"""Inter-spike intervals and their variability."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._kernels.isi import isi_moments
from spikestats._validation import check_scalar
from spikestats.core.spiketrains import as_spiketrains, is_single_train
from spikestats.exceptions import DataWarning


@dataclass(frozen=True)
class Ragged:
    """A ragged array: row ``i`` is ``values[offsets[i]:offsets[i + 1]]``.

    Unpacks as ``values, offsets = ragged``; ``ragged[i]`` is row ``i`` and
    :meth:`rows` gives a list of arrays.
    """

    values: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return int(self.offsets.shape[0] - 1)

    def __getitem__(self, i: int) -> np.ndarray:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"row {i} is out of range for {n} rows")
        i %= n
        return self.values[self.offsets[i]:self.offsets[i + 1]]

    def __iter__(self):
        yield self.values
        yield self.offsets

    def rows(self) -> list[np.ndarray]:
        """The rows as a list of arrays (views)."""
        return [self[i] for i in range(len(self))]


def isi(st: Any) -> Ragged | np.ndarray:
    """Inter-spike intervals (seconds) of each train.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train), or a list of them

    Returns
    -------
    Ragged or numpy.ndarray
        For SpikeTrains (or a list), a :class:`Ragged` with ``max(n_i - 1, 0)``
        intervals per train; for one array, a float64 array of its intervals.
    """
    if is_single_train(st):
        return np.diff(np.asarray(as_spiketrains(st).times))
    trains = as_spiketrains(st)
    counts = trains.counts
    n_isi = np.maximum(counts - 1, 0)
    d = np.diff(trains.times)
    keep = np.ones(d.shape, dtype=bool)
    # the difference across the boundary between train i-1 and train i sits at offsets[i] - 1
    inner = trains.offsets[1:-1]
    inner = inner[(inner > 0) & (inner < trains.n_spikes)]
    keep[inner - 1] = False
    offsets = np.zeros(len(trains) + 1, dtype=np.int64)
    np.cumsum(n_isi, out=offsets[1:])
    return Ragged(values=d[keep], offsets=offsets)


def cv(st: Any, *, ddof: int = 0) -> np.ndarray | float:
    """Coefficient of variation of the inter-spike intervals, ``std / mean``.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train), or a list of them
    ddof : int, default 0
        Delta degrees of freedom of the standard deviation. The default 0
        matches Elephant (``scipy.stats.variation``); use 1 for the sample
        standard deviation (MATLAB's ``std``).

    Returns
    -------
    numpy.ndarray of float64, shape (n_trains,), or float for one array
        NaN (with a :class:`~spikestats.exceptions.DataWarning`) for trains
        with fewer than ``ddof + 1`` intervals, or fewer than two.
    """
    ddof = check_scalar("ddof", ddof, integer=True, nonnegative=True)
    single = is_single_train(st)
    trains = as_spiketrains(st)
    n, mean, m2 = isi_moments(trains.times, trains.offsets)
    ok = (n >= 2) & (n > ddof)
    out = np.full(n.shape, np.nan)
    out[ok] = np.sqrt(m2[ok] / (n[ok] - ddof)) / mean[ok]
    if not np.all(ok):
        warnings.warn(f"{np.count_nonzero(~ok)} of {ok.size} trains have too few intervals for a CV "
                      f"(need >= {max(2, ddof + 1)}); their CV is NaN.", DataWarning, stacklevel=2)
    return float(out[0]) if single else out
