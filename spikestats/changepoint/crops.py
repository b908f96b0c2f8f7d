"""CROPS: every optimal segmentation over a range of penalties (Haynes, Eckley & Fearnhead 2017)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._validation import check_scalar, fail
from spikestats.changepoint.costs import as_cost, check_min_size
from spikestats.changepoint.search import prepare_input, run_pelt


@dataclass(frozen=True)
class CropsPath:
    """Optimal segmentations over a penalty range, one per distinct number of changes.

    Attributes
    ----------
    penalties : numpy.ndarray of float64, shape (n_solutions,)
        Lowest penalty of the range at which each segmentation is optimal
        (where its penalised cost ties with that of the previous solution);
        the number of changes decreases as the penalty grows.
    n_changes : numpy.ndarray of int64, shape (n_solutions,)
    costs : numpy.ndarray of float64, shape (n_solutions,)
        Unpenalised cost (``-2 log L`` with constants) of each segmentation.
    change_points : tuple of numpy.ndarray
        The change points of each segmentation.
    penalty_range : tuple of float
    """

    penalties: np.ndarray
    n_changes: np.ndarray
    costs: np.ndarray
    change_points: tuple
    penalty_range: tuple

    def objective(self, penalty: float) -> float:
        """Penalised cost of the optimal segmentation at ``penalty`` (within the range)."""
        pen = check_scalar("penalty", penalty, positive=True)
        return float(np.min(self.costs + pen * self.n_changes))

    def __repr__(self) -> str:
        items = [f"{p:.4g}: {k}" for p, k in zip(self.penalties, self.n_changes)]
        pairs = ", ".join(items if len(items) <= 8 else items[:3] + ["..."] + items[-4:])
        return (f"CropsPath(penalty_range=[{self.penalty_range[0]:.4g}, {self.penalty_range[1]:.4g}], "
                f"n_solutions={self.n_changes.size}, penalty -> n_changes {{{pairs}}})")


def crops(x: Any, penalty_range: tuple[float, float], *, cost: Any = "poisson", min_size: int = 2,
          bin_size: float | None = None) -> CropsPath:
    """Every PELT segmentation that is optimal for some penalty in ``penalty_range``.

    CROPS (Haynes, Eckley & Fearnhead 2017) runs PELT at the two ends and
    then only at the penalties where the optimal segmentations of two
    neighbouring solutions cost the same, ``(Q_k - Q_m) / (m - k)``, so it
    needs at most ``n_solutions * 2`` runs instead of a grid. Plot
    ``n_changes`` (or ``costs``) against ``penalties`` to see how the number
    of changes depends on the penalty (an "elbow" suggests a value).

    Parameters
    ----------
    x : array_like or SpikeTrains
        As for :class:`~spikestats.changepoint.PELT`.
    penalty_range : (float, float)
        ``0 < low < high``, in units of ``-2 log L``.
    cost, min_size, bin_size
        As for :class:`~spikestats.changepoint.PELT`.

    Returns
    -------
    CropsPath
        Sorted by increasing penalty.
    """
    if not isinstance(penalty_range, (tuple, list, np.ndarray)) or len(penalty_range) != 2:
        fail("penalty_range", "a pair (low, high)", penalty_range)
    lo = check_scalar("penalty_range[0]", penalty_range[0], positive=True)
    hi = check_scalar("penalty_range[1]", penalty_range[1], positive=True)
    if not hi > lo:
        fail("penalty_range", "a pair with low < high", penalty_range)
    prep, _, _ = prepare_input(x, as_cost(cost), bin_size)
    m = check_min_size(min_size, prep.n)
    runs: dict[float, tuple[np.ndarray, float]] = {}

    def run(beta: float) -> tuple[np.ndarray, float]:
        if beta not in runs:
            cps, obj, _ = run_pelt(prep, beta, m)
            runs[beta] = (cps, obj - beta * cps.size)
        return runs[beta]

    stack = [(lo, hi)]
    while stack:
        b0, b1 = stack.pop()
        (c0, q0), (c1, q1) = run(b0), run(b1)
        if c0.size > c1.size + 1:
            b_int = (q1 - q0) / (c0.size - c1.size)
            if not b0 < b_int < b1:
                continue
            c_int, _ = run(b_int)
            if c_int.size != c1.size:
                stack += [(b0, b_int), (b_int, b1)]
    by_k: dict[int, tuple[float, np.ndarray, float]] = {}
    for beta in sorted(runs):
        cps, q = runs[beta]
        if cps.size not in by_k:
            by_k[cps.size] = (beta, cps, q)
    ks = sorted(by_k, reverse=True)
    q = np.array([by_k[k][2] for k in ks])
    k_arr = np.array(ks, dtype=np.int64)
    # solution i is optimal from the penalty where it ties with solution i - 1 (more changes)
    starts = np.concatenate([[lo], (q[1:] - q[:-1]) / (k_arr[:-1] - k_arr[1:])])
    return CropsPath(penalties=np.clip(starts, lo, hi), n_changes=k_arr, costs=q + prep.const_cum[-1],
                     change_points=tuple(by_k[k][1] for k in ks), penalty_range=(lo, hi))
