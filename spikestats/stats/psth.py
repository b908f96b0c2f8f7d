"""Peri-stimulus time histogram: the trial-averaged rate in bins, with its standard error."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._validation import check_scalar
from spikestats.exceptions import DataWarning
from spikestats.stats._window import rate_trains


@dataclass(frozen=True, eq=False)
class PSTH:
    """Trial-averaged rate per bin.

    Attributes
    ----------
    edges : numpy.ndarray of float64, shape (n_bins + 1,)
        Bin edges (s); bins are left-closed, the last also right-closed.
    rate : numpy.ndarray of float64, shape (n_bins,)
        Mean over trains of count / bin_size (Hz).
    se : numpy.ndarray of float64, shape (n_bins,)
        Standard error of ``rate`` across trains: sample SD (ddof = 1) of the
        per-train rates / sqrt(n_trains) (Hz); NaN for one train.
    counts : numpy.ndarray of int64, shape (n_trains, n_bins)
        Spike counts per train and bin.
    n_trains : int
        Number of trains averaged.
    """

    edges: np.ndarray
    rate: np.ndarray
    se: np.ndarray
    counts: np.ndarray
    n_trains: int

    @property
    def centers(self) -> np.ndarray:
        """Bin centres (s), ``(n_bins,)``."""
        return 0.5 * (self.edges[:-1] + self.edges[1:])

    @property
    def bin_size(self) -> float:
        """Bin width (s)."""
        return float(self.edges[1] - self.edges[0])

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return int(self.rate.size)

    def __repr__(self) -> str:
        return (f"PSTH(n_trains={self.n_trains}, n_bins={self.n_bins}, bin_size={self.bin_size:.6g} s, "
                f"window=[{self.edges[0]:.6g}, {self.edges[-1]:.6g}] s, mean rate={self.rate.mean():.4g} Hz)")


def psth(st: Any, bin_size: float, *, t_start: float | None = None, t_stop: float | None = None) -> PSTH:
    """Peri-stimulus time histogram: mean rate across trains in bins, with its standard error.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train, seconds), or a list of them
        The trials, aligned (time 0 = the event); each train is one trial.
    bin_size : float
        Bin width (s), > 0.
    t_start, t_stop : float, optional
        Window (s), inside the window common to all trains (its default).

    Returns
    -------
    PSTH
        Edges ``t_start + k * bin_size`` (whole bins only, as
        :meth:`SpikeTrains.bin`), rate (Hz), standard error, counts.

    Notes
    -----
    ``rate[k] = sum_i counts[i, k] / (n_trains * bin_size)``, which equals
    Elephant's ``time_histogram(trains, bin_size, output='rate')`` on the
    same window. Both make whole bins only (a partial final bin is dropped).
    They differ at the window's end: the last bin here is closed on the right
    (as :meth:`SpikeTrains.bin`), so a spike exactly at ``t_stop`` counts,
    while Elephant discards it (with a warning).

    The standard error treats trials as independent replicates; for Poisson
    trains of rate ``r`` it is about ``sqrt(r / (n_trains * bin_size))``.
    """
    bin_size = check_scalar("bin_size", bin_size, positive=True)
    trains, lo, hi = rate_trains(st, t_start, t_stop)
    binned = trains.bin(bin_size, lo, hi)
    n = trains.n_trains
    per_train = binned.counts / bin_size
    rate = per_train.mean(axis=0)
    if n < 2:
        warnings.warn("The PSTH standard error needs at least 2 trains; it is NaN.", DataWarning, stacklevel=2)
        se = np.full(rate.shape, np.nan)
    else:
        se = per_train.std(axis=0, ddof=1) / np.sqrt(n)
    return PSTH(binned.edges, rate, se, binned.counts, n)
