"""Design matrices of spike-train GLMs: spike history, coupling and lagged stimulus columns from spike times.

Conventions (the same as the simulation kernel :mod:`spikestats._kernels.glm_sim`):

* Rows are bins of ``bin_size`` seconds, trial after trial; trial ``r`` covers
  ``floor((t_stop - t_start) / bin_size)`` whole bins of the window its trains
  share. ``y`` holds the target unit's count per bin.
* History is strictly causal and stays within a trial: a spike in bin ``s``
  enters rows ``s + 1 .. s + n_lags`` of its own trial with the basis sampled
  at lag ``k * bin_size`` for row ``s + k``. The first bins of a trial see only
  that trial's spikes (no history is carried over from the previous trial).
* Coupling columns are built the same way from the other units' spikes of the
  same trial; stimulus columns are ``sum_k b(k * bin_size) s[r - k]``,
  ``k = 0 .. n_lags - 1`` (lag 0 is the same bin), also within the trial.
* ``offset = log(bin_size)`` makes the intercept of a log-link Poisson model
  the log of a rate in Hz: ``E[y] = exp(offset + eta) = rate * bin_size``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._config import TIME_DTYPE, n_whole_bins
from spikestats._validation import as_float_array, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains, as_spiketrains
from spikestats.exceptions import ValidationTypeError
from spikestats.glm._piecewise import check_covers, cumulative, integral_at, piecewise_pair
from spikestats.glm.bases import Basis

__all__ = ["Design", "design_matrix"]

#: Below this many rows x lags the serial history kernel is used.
_PARALLEL_MIN_WORK = 5_000_000


@dataclass(frozen=True, eq=False)
class Design:
    """A GLM design built from spike trains.

    Attributes
    ----------
    X : numpy.ndarray of float64, shape (n_bins, n_columns)
        C-contiguous; no intercept column (estimators add it).
    y : numpy.ndarray of int64, shape (n_bins,)
        Spike count of the target unit per bin.
    offset : numpy.ndarray of float64, shape (n_bins,)
        ``log(bin_size)`` in every row (log exposure of a Poisson count).
    names : tuple of str
        One name per column (``"history:0"``, ``"coupling[2]:3"``, ``"stimulus:0"``,
        ``"stimulus[1]:0"`` for feature 1).
    groups : dict of str -> slice
        Columns of each filter: ``"history"``, ``"coupling[<unit>]"``, ``"stimulus"``.
    bases : dict of str -> Basis
        The basis of each group (``None`` for raw stimulus columns).
    bin_start : numpy.ndarray of float64, shape (n_bins,)
        Start time (s) of each row's bin.
    trial : numpy.ndarray of int64, shape (n_bins,)
        Index of each row's trial in ``trials``.
    trials : numpy.ndarray, shape (n_trials,)
        Trial labels (sorted).
    block_row0 : numpy.ndarray of int64, shape (n_trials + 1,)
        First row of each trial (and the total number of rows last).
    unit : int or str
        Label of the target unit.
    bin_size : float
        Bin width in seconds.
    train : numpy.ndarray of int64, shape (n_trials,)
        Index in ``st`` of the target unit's train of each trial.
    n_stimulus_features : int
        Number of stimulus features (0 without a stimulus).
    """

    X: np.ndarray
    y: np.ndarray
    offset: np.ndarray
    names: tuple[str, ...]
    groups: dict[str, slice]
    bases: dict[str, Basis | None]
    bin_start: np.ndarray
    trial: np.ndarray
    trials: np.ndarray
    block_row0: np.ndarray
    unit: Any
    bin_size: float
    train: np.ndarray
    n_stimulus_features: int = 0

    @property
    def n_bins(self) -> int:
        """Number of rows."""
        return int(self.X.shape[0])

    @property
    def n_spikes(self) -> int:
        """Spikes of the target unit inside the binned windows."""
        return int(self.y.sum())

    def __repr__(self) -> str:
        return (f"Design(unit={self.unit!r}, n_bins={self.n_bins}, n_columns={self.X.shape[1]}, "
                f"groups={list(self.groups)}, n_trials={self.trials.size}, n_spikes={self.n_spikes}, "
                f"bin_size={self.bin_size:g})")


@dataclass(frozen=True)
class _Blocks:
    """Trials as row blocks, and the train of each unit in each trial (-1: none)."""

    t0: np.ndarray
    n: np.ndarray
    row0: np.ndarray
    trains: dict[Any, np.ndarray]
    trials: np.ndarray


def _blocks(st: SpikeTrains, bin_size: float, units: list[Any]) -> _Blocks:
    """One block per trial label, on the window shared by the trains of ``units`` in that trial."""
    trials = np.unique(st.trial)
    t0 = np.empty(trials.size)
    n = np.empty(trials.size, dtype=np.int64)
    trains = {u: np.full(trials.size, -1, dtype=np.int64) for u in units}
    found: dict[tuple, list[int]] = {}  # (unit, trial) -> trains, in one pass over the labels
    for i, key in enumerate(zip(st.unit.tolist(), st.trial.tolist())):
        found.setdefault(key, []).append(i)
    for q, tr in enumerate(trials.tolist()):
        for u in units:
            idx = found.get((u, tr), [])
            if len(idx) != 1:
                fail("st", f"exactly one train of unit {u!r} in every trial", st,
                     got=f"{len(idx)} trains of unit {u!r} in trial {tr!r}")
            trains[u][q] = idx[0]
        rows = np.array([trains[u][q] for u in units])
        lo, hi = float(st.t_start[rows].max()), float(st.t_stop[rows].min())
        t0[q] = lo
        n[q] = int(n_whole_bins(hi - lo, bin_size)) if hi > lo else 0
        if n[q] < 1:
            fail("bin_size", f"<= the window of trial {tr!r} ({max(hi - lo, 0.0):g} s)", bin_size)
    row0 = np.zeros(trials.size + 1, dtype=np.int64)
    np.cumsum(n, out=row0[1:])
    return _Blocks(t0, n, row0, trains, trials)


def _check_basis(name: str, basis: Any) -> Basis:
    if not isinstance(basis, Basis):
        fail(name, "a basis (RaisedCosineBasis, BSplineBasis, ExponentialBasis, FIRBasis)", basis,
             kind=ValidationTypeError)
    return basis


def _stimulus_per_bin(stimulus: Any, blocks: _Blocks, bin_size: float) -> np.ndarray:
    """Stimulus value per row ``(n_rows, n_features)``: given per bin, or the bin means of a piecewise signal."""
    n_rows = int(blocks.row0[-1])
    if isinstance(stimulus, tuple):
        edges, values = piecewise_pair("stimulus", stimulus)
        cum = cumulative(edges, values.reshape(values.shape[0], -1))
        out = np.empty((n_rows, cum.shape[1]))
        for q in range(blocks.n.size):
            lo, n = blocks.t0[q], int(blocks.n[q])
            hi = lo + n * bin_size
            check_covers("stimulus", edges, lo, hi, f"trial {blocks.trials.tolist()[q]!r}")
            bin_edges = lo + np.arange(n + 1) * bin_size
            for f in range(cum.shape[1]):
                out[blocks.row0[q]:blocks.row0[q + 1], f] = np.diff(integral_at(edges, cum[:, f], bin_edges)) / bin_size
        return out
    s = as_float_array("stimulus", stimulus)
    if s.ndim not in (1, 2) or s.shape[0] != n_rows:
        fail("stimulus", f"a (times, values) pair, or one value per bin ({n_rows} bins over all trials)", stimulus,
             got=f"an array of shape {s.shape}")
    return np.ascontiguousarray(s.reshape(n_rows, -1))


def design_matrix(st: Any, bin_size: float, *, history: Basis | None = None, coupling: bool | Basis = False,
                  stimulus: Any = None, stimulus_basis: Basis | None = None, unit: Any = None,
                  parallel: bool | None = None) -> Design:
    """Design matrix of a spike-train GLM from spike times.

    Parameters
    ----------
    st : SpikeTrains or array_like
        Spike trains (seconds); one train per (unit, trial) pair. Trials are
        the distinct ``st.trial`` labels (sorted).
    bin_size : float
        Bin width in seconds.
    history : Basis, optional
        Basis of the target unit's own spike-history filter; ``None``: no
        history columns.
    coupling : bool or Basis, default False
        Coupling columns from every other unit: ``True`` uses the ``history``
        basis, a Basis its own.
    stimulus : (times, values) pair or array, optional
        ``(times, values)`` read as piecewise constant (``values`` of shape
        ``(n_times,)`` or ``(n_times, n_features)``; ``times`` of the same
        length, or one longer as edges), averaged over each bin; its time base
        must cover every trial's window. Or an array with one value (row) per
        bin of the design, trial after trial.
    stimulus_basis : Basis, optional
        Basis of the stimulus filter (lags ``0 .. t_max``); ``None``: the
        stimulus enters unfiltered (lag 0 only).
    unit : int or str, optional
        Label of the target unit; required when ``st`` holds several units.
    parallel : bool, optional
        Build history columns on several threads (same result); default:
        when the work is large.

    Returns
    -------
    Design
        ``X``, ``y``, ``offset``, column names and groups, bin start times and
        trial index per row.

    Raises
    ------
    ValidationError
        A bin size at least as long as a basis (no lag left), a stimulus whose
        time base does not cover the trials, or a unit/trial layout that is not
        one train per (unit, trial).

    Notes
    -----
    Each spike adds the sampled basis to the rows after its bin, so building
    the history columns costs ``O(n_spikes * n_lags * n_basis)`` (see the
    module notes for the causal and trial conventions).
    """
    st = as_spiketrains(st)
    bin_size = check_scalar("bin_size", bin_size, positive=True)
    if st.n_trains == 0:
        fail("st", "at least one train", st)
    units = list(dict.fromkeys(st.unit.tolist()))
    if unit is None:
        if len(set(units)) > 1:
            fail("unit", f"one of the units {sorted(units)} (st holds several)", unit)
        unit = units[0]
    elif unit not in units:
        fail("unit", f"one of the units {sorted(units)}", unit)
    if history is not None:
        _check_basis("history", history)
    if isinstance(coupling, Basis):
        coupling_basis: Basis | None = coupling
    elif isinstance(coupling, (bool, np.bool_)):
        if coupling and history is None:
            fail("coupling", "a Basis when `history` is None", coupling)
        coupling_basis = history if coupling else None
    else:
        fail("coupling", "True, False or a Basis", coupling, kind=ValidationTypeError)
    others = sorted(u for u in units if u != unit) if coupling_basis is not None else []
    if coupling_basis is not None and not others:
        fail("coupling", "False for a single unit (there is no other unit to couple)", coupling)
    if stimulus_basis is not None:
        _check_basis("stimulus_basis", stimulus_basis)
        if stimulus is None:
            fail("stimulus", "given with `stimulus_basis`", stimulus)

    blocks = _blocks(st, bin_size, [unit, *others])
    n_rows = int(blocks.row0[-1])
    sampled = []  # (group, basis, sampled basis, train per block)
    if history is not None:
        sampled.append(("history", history, history.sample(bin_size), blocks.trains[unit]))
    for u in others:
        sampled.append((f"coupling[{u}]", coupling_basis, coupling_basis.sample(bin_size), blocks.trains[u]))
    stim = None if stimulus is None else _stimulus_per_bin(stimulus, blocks, bin_size)
    stim_lag = None
    if stim is not None and stimulus_basis is not None:
        stim_lag = stimulus_basis.sample(bin_size, causal=False)
    n_stim_cols = 0 if stim is None else stim.shape[1] * (1 if stim_lag is None else stim_lag.shape[1])
    n_cols = sum(s[2].shape[1] for s in sampled) + n_stim_cols

    from spikestats._kernels.glm_design import add_history, add_history_parallel, add_lagged, block_counts

    X = np.zeros((n_rows, n_cols), dtype=TIME_DTYPE)
    y = np.zeros(n_rows, dtype=np.int64)
    times, offsets = st.times, st.offsets
    block_counts(times, offsets, blocks.trains[unit], blocks.t0, blocks.n, blocks.row0, bin_size, y)
    names: list[str] = []
    groups: dict[str, slice] = {}
    bases: dict[str, Basis | None] = {}
    col = 0
    for group, basis, b, trains in sampled:
        work = n_rows * b.shape[0]
        use_par = (work >= _PARALLEL_MIN_WORK and blocks.n.size > 1) if parallel is None else bool(parallel)
        kernel = add_history_parallel if use_par else add_history
        kernel(times, offsets, trains, blocks.t0, blocks.n, blocks.row0, bin_size, b, X, col)
        groups[group] = slice(col, col + b.shape[1])
        bases[group] = basis
        names += [f"{group}:{j}" for j in range(b.shape[1])]
        col += b.shape[1]
    if stim is not None:
        n_f = stim.shape[1]
        if stim_lag is None:
            X[:, col:col + n_f] = stim
            width = 1
        else:
            add_lagged(stim, blocks.n, blocks.row0, stim_lag, X, col)
            width = stim_lag.shape[1]
        groups["stimulus"] = slice(col, col + n_f * width)
        bases["stimulus"] = stimulus_basis
        names += [f"stimulus{'' if n_f == 1 else f'[{f}]'}:{j}" for f in range(n_f) for j in range(width)]
    bin_start = np.concatenate([blocks.t0[q] + np.arange(blocks.n[q]) * bin_size for q in range(blocks.n.size)])
    trial = np.repeat(np.arange(blocks.n.size, dtype=np.int64), blocks.n)
    return Design(X=X, y=y, offset=np.full(n_rows, np.log(bin_size)), names=tuple(names), groups=groups,
                  bases=bases, bin_start=bin_start, trial=trial, trials=blocks.trials, block_row0=blocks.row0,
                  unit=unit, bin_size=bin_size, train=blocks.trains[unit].copy(), n_stimulus_features=0 if stim is None else stim.shape[1])
