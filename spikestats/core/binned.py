"""`BinnedCounts`: integer spike counts on explicit bin edges."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spikestats._validation import check_scalar, fail


def bin_edges(t_start: float, bin_size: float, n_bins: int) -> np.ndarray:
    """Edges ``t_start + k * bin_size`` for ``k = 0 .. n_bins`` (seconds), float64 ``(n_bins + 1,)``.

    Kernels compute edges with the same expression, so binning and rasters agree
    to the last bit.
    """
    return t_start + np.arange(n_bins + 1, dtype=np.float64) * bin_size


def common_window(t_start: np.ndarray, t_stop: np.ndarray, lo: float | None, hi: float | None) -> tuple[float, float]:
    """Window shared by all trains, optionally narrowed to ``[lo, hi]``."""
    if t_start.size == 0:
        fail("self", "at least one train", t_start, got="no trains")
    w_lo = float(np.max(t_start)) if lo is None else check_scalar("t_start", lo)
    w_hi = float(np.min(t_stop)) if hi is None else check_scalar("t_stop", hi)
    if not w_hi > w_lo:
        fail("t_stop", f"> t_start = {w_lo} (the trains' windows must overlap)", w_hi)
    return w_lo, w_hi


@dataclass(frozen=True, eq=False)
class BinnedCounts:
    """Spike counts per train and bin.

    Attributes
    ----------
    counts : numpy.ndarray of int64, shape (n_trains, n_bins)
        Time is the last axis.
    edges : numpy.ndarray of float64, shape (n_bins + 1,)
        Bin edges in seconds; bins are left-closed, the last also right-closed.
    unit, trial : numpy.ndarray, shape (n_trains,)
        Labels of the trains.
    """

    counts: np.ndarray
    edges: np.ndarray
    unit: np.ndarray
    trial: np.ndarray

    def __post_init__(self) -> None:
        if self.counts.ndim != 2 or self.edges.shape != (self.counts.shape[1] + 1,):
            fail("edges", f"of length n_bins + 1 = {self.counts.shape[-1] + 1}", self.edges,
                 got=f"shape {self.edges.shape} for counts of shape {self.counts.shape}")

    @property
    def bin_size(self) -> float:
        """Bin width in seconds."""
        return float(self.edges[1] - self.edges[0])

    @property
    def centers(self) -> np.ndarray:
        """Bin centres in seconds, ``(n_bins,)``."""
        return 0.5 * (self.edges[:-1] + self.edges[1:])

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return int(self.counts.shape[1])

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_trains, n_bins)``."""
        return self.counts.shape  # type: ignore[return-value]

    def rates(self) -> np.ndarray:
        """Counts divided by the bin width: rate in Hz, float64 ``(n_trains, n_bins)``."""
        return self.counts / self.bin_size

    def __len__(self) -> int:
        return int(self.counts.shape[0])

    def __repr__(self) -> str:
        return (f"BinnedCounts(n_trains={self.counts.shape[0]}, n_bins={self.n_bins}, "
                f"bin_size={self.bin_size:.6g} s, window=[{self.edges[0]:.6g}, {self.edges[-1]:.6g}] s)")
