"""Kernel bandwidth selection of Shimazaki & Shinomoto (2010): optimal fixed and locally adaptive.

Reference: H. Shimazaki and S. Shinomoto, "Kernel bandwidth optimization in
spike rate estimation", J. Comput. Neurosci. 29:171-182 (2010),
doi:10.1007/s10827-009-0180-4; the algorithms of the authors' ``sskernel``
and ``ssvkernel`` programs, implemented here from the paper.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._validation import check_bool, fail
from spikestats.core.spiketrains import SpikeTrains, is_single_train
from spikestats.exceptions import DataWarning
from spikestats.stats._window import rate_trains

#: Most bins of the selection histogram (as ``sskernel``: at most 1000 points).
MAX_GRID_BINS = 1000
#: Gaussian lags beyond this many standard deviations are dropped (mass ~1e-15).
COST_CUTOFF = 8.0
#: Log-spaced bandwidths scanned before Brent's refinement.
N_SCAN = 12
#: Relative precision of the selected bandwidth (within ~RTOL / 2 in log w; Elephant's search gives ~1e-3).
RTOL = 1e-4
#: Candidate bandwidths and local windows of the adaptive method (``ssvkernel``'s M = 80).
N_ADAPTIVE = 80
#: Stiffness values scanned before refinement in the adaptive method.
N_STIFFNESS_SCAN = 19


@dataclass(frozen=True)
class SelectionGrid:
    """The histogram on which bandwidth costs are computed.

    Attributes
    ----------
    t_start : float
        Left edge of the first bin (s).
    dt : float
        Bin width (s).
    counts : numpy.ndarray of int64, shape (n_trains, n_bins)
        Spike counts per train.
    """

    t_start: float
    dt: float
    counts: np.ndarray

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return int(self.counts.shape[1])

    @property
    def duration(self) -> float:
        """Window length (s)."""
        return self.dt * self.n_bins


def selection_grid(trains: SpikeTrains, lo: float, hi: float) -> SelectionGrid:
    """Histogram of the trains on ``[lo, hi]`` for the cost functions.

    The bin width is the shortest positive interval between pooled spikes
    (the data's own resolution), but at least ``(hi - lo) / 1000``, as in
    ``sskernel``; spikes are placed at bin centres.
    """
    window = trains.restrict(lo, hi)
    pooled = np.sort(window.times)
    gaps = np.diff(pooled)
    gaps = gaps[gaps > 0]
    duration = hi - lo
    n_bins = MAX_GRID_BINS if gaps.size == 0 else int(min(MAX_GRID_BINS, max(10, math.ceil(duration / gaps.min()))))
    dt = duration / n_bins
    counts = window.bin(dt, lo, hi).counts
    return SelectionGrid(lo, dt, counts[:, :n_bins])


def _pooled_check(total: int) -> None:
    if total < 2:
        fail("st", "at least 2 spikes in the window to select a bandwidth", total, got=f"{total} spikes",
             fix="Pass a fixed `bandwidth` in seconds.")


def fixed_widths(grid: SelectionGrid, per_train: bool) -> np.ndarray:
    """Optimal fixed Gaussian bandwidth (s): one pooled value, or one per train (NaN, warned, for < 2 spikes)."""
    from spikestats._kernels.kernel_rate import optimal_fixed_width, optimal_fixed_widths_per_train_parallel

    w_min, w_max = 2.0 * grid.dt, grid.duration
    if not per_train:
        pooled = grid.counts.sum(axis=0)
        total = int(pooled.sum())
        _pooled_check(total)
        return np.array([optimal_fixed_width(pooled, grid.dt, w_min, w_max, N_SCAN, RTOL, COST_CUTOFF)[0]])
    out = optimal_fixed_widths_per_train_parallel(grid.counts, grid.dt, w_min, w_max, N_SCAN, RTOL, COST_CUTOFF)
    _warn_nan(out)
    return out


def _warn_nan(widths: np.ndarray) -> None:
    bad = np.flatnonzero(np.isnan(widths))
    if bad.size:
        warnings.warn(f"{bad.size} train(s) hold fewer than 2 spikes (first: train {bad[0]}); their bandwidth "
                      f"and rate are NaN.", DataWarning, stacklevel=3)


def adaptive_widths(grid: SelectionGrid, per_train: bool) -> np.ndarray:
    """Locally adaptive Gaussian bandwidths ``(n_rows, n_bins)`` at the bin centres (s).

    One row (all trains pooled) or one per train (NaN rows, warned, for trains
    with fewer than 2 spikes).
    """
    from spikestats._kernels.kernel_rate import local_optimal_widths, optimal_stiffness

    widths = np.geomspace(5.0 * grid.dt, grid.duration, N_ADAPTIVE)
    rows = [grid.counts.sum(axis=0)] if not per_train else list(grid.counts)
    if not per_train:
        _pooled_check(int(rows[0].sum()))
    out = np.full((len(rows), grid.n_bins), np.nan)
    for r, counts in enumerate(rows):
        total = int(counts.sum())
        if total < 2:
            continue
        y = counts / grid.dt
        local = local_optimal_widths(y, grid.dt, widths, COST_CUTOFF)
        out[r] = optimal_stiffness(y, float(total), grid.dt, local, widths, N_STIFFNESS_SCAN, 1e-4, COST_CUTOFF)[1]
    if per_train:
        _warn_nan(out[:, 0])
    return out


def optimal_bandwidth(st: Any, *, per_train: bool = False, t_start: float | None = None,
                      t_stop: float | None = None) -> float | np.ndarray:
    """Optimal fixed Gaussian kernel bandwidth of Shimazaki & Shinomoto (2010).

    Minimises the estimated mean integrated squared error, over the window,
    between a Gaussian kernel rate estimate and the unknown rate: the cost of
    their eq. (15) (``sskernel``),
    ``C(w) = [int_window yhat_w(t)^2 dt - 2 sum_{i != j} k_w(t_i - t_j)] / N^2``
    with ``yhat_w = sum_i k_w(t - t_i)`` and ``k_w`` the Gaussian of standard
    deviation ``w``. The integral is computed exactly for binned spikes (pair
    terms of the Gaussian of SD ``sqrt(2) w``, minus their mass outside the
    window), not by an FFT.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train, seconds), or a list of them
        The trains (trials).
    per_train : bool, default False
        ``False``: one bandwidth from all trains' spikes pooled (the paper's
        n-trial estimate of the trial-averaged rate). ``True``: one per train.
    t_start, t_stop : float, optional
        Window (s); defaults to the window common to all trains.

    Returns
    -------
    float, or numpy.ndarray of float64, shape (n_trains,)
        Bandwidth as the kernel's standard deviation (s), as Elephant's
        ``sigma``. NaN, with a :class:`~spikestats.exceptions.DataWarning`,
        for trains of fewer than 2 spikes (``per_train=True``).

    Notes
    -----
    Spikes are histogrammed on the window with a bin width equal to the
    shortest positive inter-spike interval of the pooled spikes, but at least
    ``duration / 1000`` (``sskernel``'s rule); pair lags are multiples of it.
    Bandwidths from ``2 * dt`` to the window length are scanned at 12
    log-spaced values and the best is refined by Brent's method (parabolic
    and golden-section steps) in ``log w`` to a relative precision of about
    5e-5 (about 10 cost evaluations instead of a golden section's 20). ``sskernel`` and Elephant's
    ``optimal_kernel_bandwidth`` (its port) differ in three details: their
    window runs from the first to the last spike (pass ``t_start``/``t_stop``
    to match), their FFT smoothing wraps kernel mass beyond ~3 SD around the
    ends, and their golden-section search stops after 20 steps and returns
    the last point it evaluated. See the peer tests for the agreement.

    Raises
    ------
    ValidationError
        Fewer than 2 spikes in the window (pooled).
    """
    per_train = check_bool("per_train", per_train)
    single = is_single_train(st)
    trains, lo, hi = rate_trains(st, t_start, t_stop)
    widths = fixed_widths(selection_grid(trains, lo, hi), per_train)
    if per_train and not single:
        return widths
    return float(widths[0])
