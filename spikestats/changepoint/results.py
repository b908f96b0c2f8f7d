"""The result of a change-point detection: change times, per-segment rates and their intervals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


def _show(x: Any) -> str:
    arr = np.asarray(x)
    if arr.ndim == 0:
        return f"{float(arr):.4g}"
    with np.printoptions(precision=4, threshold=8, edgeitems=3, suppress=True):
        return " ".join(str(arr).split())


@dataclass(frozen=True)
class ChangePointResult:
    """Change points of one spike train, one signal or a population.

    Attributes
    ----------
    change_times : numpy.ndarray of float64, shape (n_changes,)
        Estimated change times (s), increasing. For binned input a change at
        bin index ``k`` is reported at the left edge of bin ``k``.
    change_points : numpy.ndarray of int64, shape (n_changes,), or None
        Interior indices into the binned (or sampled) input: segment ``j``
        covers ``x[change_points[j - 1]:change_points[j]]``. ``None`` for
        costs in continuous time (exponential ISIs), where a change sits at
        a spike time rather than at a bin edge.
    rates : numpy.ndarray of float64, shape (n_segments,) or (n_units, n_segments)
        Maximum-likelihood rate of each segment (Hz); one row per unit for a
        population. For generic signals (Gaussian costs) the segment mean, in
        the signal's own unit.
    rate_intervals : numpy.ndarray of float64, shape rates.shape + (2,)
        Lower and upper limit of each segment's rate (``confidence`` coverage).
    edges : numpy.ndarray of float64, shape (n_segments + 1,)
        Segment boundaries (s): ``t_start``, the change times, ``t_stop``.
    method : str
        Search or detector (``"pelt"``, ``"binseg"``, ``"bocpd"``, ``"mft"``, ...).
    cost : str
        Cost model (``"poisson"``, ``"exponential"``, ...) or the detector's model.
    penalty : float or None
        Penalty per change point actually used (in units of the cost), when
        the method has one.
    intervals : numpy.ndarray of float64, shape (n_changes, 2), or None
        Interval for each change time (s), with ``confidence`` coverage.
    interval_method : str or None
        How ``intervals`` (and ``rate_intervals``) were made.
    units_changed : numpy.ndarray of bool, shape (n_changes, n_units), or None
        Population input: which units changed their rate at each shared change.
    units : numpy.ndarray or None
        Population input: the unit labels, one per row of ``rates``.
    confidence : float
        Nominal coverage of the intervals.
    objective : float
        Penalised cost of the segmentation (NaN when the method has none).
    """

    change_times: np.ndarray
    change_points: np.ndarray | None
    rates: np.ndarray
    rate_intervals: np.ndarray
    edges: np.ndarray
    method: str
    cost: str
    penalty: float | None = None
    intervals: np.ndarray | None = None
    interval_method: str | None = None
    units_changed: np.ndarray | None = None
    units: np.ndarray | None = None
    confidence: float = 0.95
    objective: float = float("nan")

    @property
    def n_changes(self) -> int:
        """Number of change points."""
        return int(np.asarray(self.change_times).size)

    @property
    def n_segments(self) -> int:
        """Number of segments (``n_changes + 1``)."""
        return self.n_changes + 1

    def __repr__(self) -> str:
        parts = [f"method={self.method!r}", f"cost={self.cost!r}", f"n_changes={self.n_changes}",
                 f"change_times={_show(self.change_times)}"]
        if self.intervals is not None and self.n_changes:
            parts.append(f"intervals={_show(self.intervals)} ({self.interval_method}, {self.confidence:g})")
        rates = np.asarray(self.rates)
        parts.append(f"rates={_show(rates)}" if rates.ndim == 1 else f"rates=<{rates.shape[0]} units x "
                     f"{rates.shape[1]} segments>")
        if self.units_changed is not None and self.n_changes:
            parts.append(f"units_changed per change={_show(np.asarray(self.units_changed).sum(axis=1))}")
        if self.penalty is not None:
            parts.append(f"penalty={self.penalty:.4g}")
        return "ChangePointResult(" + ", ".join(parts) + ")"

    def plot(self, ax: Any = None) -> Any:
        """Per-segment rates as steps with their intervals, change times as lines with their intervals.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on (default: pyplot's current Axes).

        Returns
        -------
        matplotlib.axes.Axes
        """
        from spikestats.plotting.changepoint import changepoint_plot

        return changepoint_plot(self, ax=ax)
