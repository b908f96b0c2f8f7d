"""Pairs of spike trains: cross-correlograms with surrogate bands, spike-time tiling, count correlations.

Conventions
-----------
- Cross-correlogram lags are ``t_b - t_a`` measured in bins: both trains are
  binned on the same edges (the binning rule of :meth:`SpikeTrains.bin`) and
  lag ``d`` counts the spike pairs whose bin in ``b`` minus bin in ``a`` is
  ``d``; a positive lag means ``b`` fires after ``a``. This is Elephant's
  ``cross_correlation_histogram`` of the two binned trains (``binary=False``,
  no border correction), whose bin ``d`` Elephant labels by its left edge
  ``(d - 1/2) * bin_size``; here ``lags`` are the centres ``d * bin_size``.
- Several pairs (``st_a[i]``, ``st_b[i]``), e.g. trials, are summed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._kernels.correlation import (
    all_pair_correlograms,
    jitter_correlograms,
    jitter_correlograms_parallel,
    pair_correlograms,
    sttc_pairs,
)
from spikestats._validation import check_bool, check_option, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains, as_spiketrains, is_single_train
from spikestats.exceptions import DataWarning, ValidationTypeError
from spikestats.stats._results import as_output, check_confidence, normal_quantile


@dataclass(frozen=True)
class CrossCorrelogram:
    """Cross-correlogram counts and, when asked, surrogate significance bands.

    Attributes
    ----------
    lags : numpy.ndarray of float64, shape (n_lags,)
        Lag of each bin's centre, ``d * bin_size`` for ``d = -m .. m`` (s);
        positive: ``b`` after ``a``.
    counts : numpy.ndarray of int64, shape (n_lags,)
        Spike pairs per lag bin, summed over the pairs of trains.
    bin_size : float
        Bin width (s).
    surrogate : str or None
        ``"jitter"``, ``"shuffle"`` or ``None``.
    mean, lower, upper : numpy.ndarray of float64 or None
        Surrogate mean and pointwise ``alpha/2`` and ``1 - alpha/2`` quantiles.
    global_lower, global_upper : float or None
        Family-wise band: the ``alpha/2`` quantile of the surrogates' minima
        over lags and the ``1 - alpha/2`` quantile of their maxima; a count
        outside it is significant at level ``alpha`` for the whole correlogram.
    alpha : float or None
    n_surrogates : int
    """

    lags: np.ndarray
    counts: np.ndarray
    bin_size: float
    surrogate: str | None = None
    mean: np.ndarray | None = None
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    global_lower: float | None = None
    global_upper: float | None = None
    alpha: float | None = None
    n_surrogates: int = 0

    @property
    def corrected(self) -> np.ndarray | None:
        """Counts minus the surrogate mean (the jitter- or shuffle-corrected correlogram), or None."""
        return None if self.mean is None else self.counts - self.mean

    @property
    def significant(self) -> np.ndarray | None:
        """Lags whose count lies outside the global band (bool, shape (n_lags,)), or None without surrogates."""
        if self.global_upper is None:
            return None
        return (self.counts > self.global_upper) | (self.counts < self.global_lower)

    def __repr__(self) -> str:
        extra = (f", surrogate={self.surrogate!r}, n_surrogates={self.n_surrogates}, alpha={self.alpha:g}"
                 if self.surrogate else "")
        return (f"CrossCorrelogram(n_lags={self.lags.size}, bin_size={self.bin_size:g} s, "
                f"total={int(self.counts.sum())}, peak lag={self.lags[np.argmax(self.counts)]:g} s{extra})")


def paired_trains(st_a: Any, st_b: Any) -> tuple[SpikeTrains, SpikeTrains]:
    """Two SpikeTrains with one train each per pair.

    Two arrays share the window from ``min(0, earliest spike)`` to the latest spike of both.
    """
    if is_single_train(st_a) and is_single_train(st_b):
        arrays = [np.asarray(st_a, dtype=float), np.asarray(st_b, dtype=float)]
        first = min((float(x.min()) for x in arrays if x.size and np.all(np.isfinite(x))), default=0.0)
        both = as_spiketrains(arrays, "st_a", t_start=min(0.0, first))
        return both[0:1], both[1:2]
    a = as_spiketrains(st_a, "st_a")
    b = as_spiketrains(st_b, "st_b")
    if len(a) != len(b):
        fail("st_b", f"as many trains as `st_a` ({len(a)}), paired by position", st_b, got=f"{len(b)} trains")
    if len(a) == 0:
        fail("st_a", "at least one train", st_a)
    return a, b


def _common_bins(a: SpikeTrains, b: SpikeTrains, bin_size: float) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: start of the common window and its number of whole bins (>= 1)."""
    lo = np.maximum(a.t_start, b.t_start)
    hi = np.minimum(a.t_stop, b.t_stop)
    if np.any(hi <= lo):
        i = int(np.flatnonzero(hi <= lo)[0])
        fail("st_b", "trains whose windows overlap those of `st_a`", b, got=f"no overlap for pair {i}")
    n_bins = n_whole_bins(hi - lo, bin_size)
    if np.any(n_bins < 1):
        fail("bin_size", f"<= the shortest common window ({float(np.min(hi - lo))} s)", bin_size)
    return np.ascontiguousarray(lo), n_bins


def cross_correlogram(st_a: Any, st_b: Any, bin_size: float, max_lag: float, *, surrogate: str | None = None,
                      n_surrogates: int = 1000, jitter: float | None = None, alpha: float = 0.05,
                      rng: Any = None, parallel: bool = False) -> CrossCorrelogram:
    """Cross-correlogram of two trains (or of pairs of trains summed), with optional surrogate bands.

    Parameters
    ----------
    st_a, st_b : array_like of float (one train each), or SpikeTrains of equal length
        Reference and target spikes (s). Pair ``i`` is ``(st_a[i], st_b[i])``,
        binned on the common part of their windows; two arrays share the
        window from 0 to the latest spike of both.
    bin_size : float
        Bin width (s), > 0.
    max_lag : float
        Largest lag (s), >= 0; lags run over ``d = -m .. m`` bins with
        ``m = round(max_lag / bin_size)``.
    surrogate : {None, "jitter", "shuffle"}
        ``"jitter"``: every spike of ``st_b`` moves independently by a uniform
        amount in ``[-jitter, jitter]`` (spike-centred jitter; spikes jittered
        out of the window are dropped), destroying timing finer than
        ``jitter`` but keeping slower co-modulation. ``"shuffle"``: trial
        shuffling, pairing ``st_a[i]`` with ``st_b[p(i)]`` for random
        derangements ``p`` (no train with its own partner); removes all
        within-trial correlation, keeps the stimulus-locked part (the shift
        predictor). Needs at least two pairs on a common window.
    n_surrogates : int, default 1000
    jitter : float, optional
        Half-width of the jitter (s); default ``5 * bin_size``.
    alpha : float, default 0.05
        Level of the bands.
    rng : seed or numpy.random.Generator, optional (keyword-only)
        Randomness of the surrogates (one stream per surrogate).
    parallel : bool, default False
        Jitter surrogates on several threads (identical result).

    Returns
    -------
    CrossCorrelogram
    """
    a, b = paired_trains(st_a, st_b)
    bin_size = check_scalar("bin_size", bin_size, positive=True)
    max_lag = check_scalar("max_lag", max_lag, nonnegative=True)
    m = int(round(max_lag / bin_size))
    t0, n_bins = _common_bins(a, b, bin_size)
    per_pair = pair_correlograms(a.times, a.offsets, b.times, b.offsets, t0, bin_size, n_bins, m)
    counts = per_pair.sum(axis=0)
    lags = np.arange(-m, m + 1) * bin_size
    if surrogate is None:
        return CrossCorrelogram(lags, counts, bin_size)
    check_option("surrogate", surrogate, ("jitter", "shuffle"))
    n_surrogates = check_scalar("n_surrogates", n_surrogates, integer=True, minimum=10)
    alpha = check_scalar("alpha", alpha)
    if not 0 < alpha < 1:
        fail("alpha", "in (0, 1)", alpha)
    generator = check_rng(rng)
    if surrogate == "jitter":
        jitter = 5.0 * bin_size if jitter is None else check_scalar("jitter", jitter, positive=True)
        kernel = jitter_correlograms_parallel if check_bool("parallel", parallel) else jitter_correlograms
        key = np.uint64(generator.integers(0, 2**63 - 1))
        surr = kernel(a.times, a.offsets, b.times, b.offsets, t0, bin_size, n_bins, m, jitter, key, n_surrogates)
    else:
        surr = _shuffled(a, b, bin_size, t0, n_bins, m, n_surrogates, generator)
    surr = surr.astype(np.float64)
    lower, upper = np.quantile(surr, [alpha / 2, 1 - alpha / 2], axis=0)
    g_lo = float(np.quantile(surr.min(axis=1), alpha / 2))
    g_hi = float(np.quantile(surr.max(axis=1), 1 - alpha / 2))
    return CrossCorrelogram(lags, counts, bin_size, surrogate, surr.mean(axis=0), lower, upper, g_lo, g_hi, alpha,
                            n_surrogates)


def _shuffled(a: SpikeTrains, b: SpikeTrains, bin_size: float, t0: np.ndarray, n_bins: np.ndarray, m: int,
              n_surrogates: int, generator: np.random.Generator) -> np.ndarray:
    """Trial-shuffled correlograms: sums of the all-pairs correlograms over random derangements."""
    n = len(a)
    if n < 2:
        fail("st_a", "at least two trials (pairs of trains) for trial shuffling", a, got=f"{n} pair")
    if np.any(t0 != t0[0]) or np.any(n_bins != n_bins[0]):
        fail("st_a", "trials on one common window for trial shuffling", a,
             got="pairs with different windows", fix="Align the trials on a common window first.")
    table = all_pair_correlograms(a.times, a.offsets, b.times, b.offsets, float(t0[0]), bin_size,
                                  int(n_bins[0]), m)
    rows = np.arange(n)
    out = np.empty((n_surrogates, 2 * m + 1), dtype=np.int64)
    for s in range(n_surrogates):
        while True:  # a uniform derangement by rejection (accepted with probability ~ 1/e)
            perm = generator.permutation(n)
            if not np.any(perm == rows):
                break
        out[s] = table[rows, perm].sum(axis=0)
    return out


def spike_time_tiling(st_a: Any, st_b: Any, dt: float = 5e-3) -> np.ndarray | float:
    """Spike-time tiling coefficient (STTC) of Cutts & Eglen (2014).

    ``STTC = 1/2 [(P_A - T_B) / (1 - P_A T_B) + (P_B - T_A) / (1 - P_B T_A)]``,
    where ``P_A`` is the fraction of the spikes of ``a`` within ``dt``
    (inclusive) of a spike of ``b``, and ``T_B`` the fraction of the window
    within ``dt`` of a spike of ``b``. A half whose ``P T = 1`` is taken as 1,
    as Elephant does. In ``[-1, 1]``; 0 for independent trains, independent of
    the firing rates.

    Parameters
    ----------
    st_a, st_b : array_like of float (one train each), or SpikeTrains of equal length
        Pairs by position, on the common part of their windows (spikes
        outside are dropped).
    dt : float, default 5e-3
        Synchrony window (s), > 0.

    Returns
    -------
    float for two arrays, else numpy.ndarray of float64, shape (n_pairs,)
        NaN (with a DataWarning) for pairs where a train has no spike.

    Notes
    -----
    Elephant's ``spike_time_tiling_coefficient`` tests ``|t_a - t_b| <= dt``
    with ``numpy.isclose`` (``rtol=1e-5`` on top of ``atol=dt``), so it also
    counts pairs up to ``1e-5 |t_b|`` beyond ``dt``; the two agree whenever no
    spike pair lies in that sliver.

    References
    ----------
    Cutts & Eglen (2014), J Neurosci 34:14288-14303.
    """
    single = is_single_train(st_a) and is_single_train(st_b)
    a, b = paired_trains(st_a, st_b)
    dt = check_scalar("dt", dt, positive=True)
    lo = np.maximum(a.t_start, b.t_start)
    hi = np.minimum(a.t_stop, b.t_stop)
    if np.any(hi <= lo):
        fail("st_b", "trains whose windows overlap those of `st_a`", st_b)
    if np.any(a.t_start != lo) or np.any(a.t_stop != hi):
        a = _restrict_each(a, lo, hi)
    if np.any(b.t_start != lo) or np.any(b.t_stop != hi):
        b = _restrict_each(b, lo, hi)
    out = sttc_pairs(a.times, a.offsets, b.times, b.offsets, np.ascontiguousarray(lo), np.ascontiguousarray(hi), dt)
    if np.any(np.isnan(out)):
        warnings.warn(f"{np.count_nonzero(np.isnan(out))} of {out.size} pairs have a train without spikes; their "
                      f"STTC is NaN.", DataWarning, stacklevel=2)
    return as_output(out, single)


def _restrict_each(st: SpikeTrains, lo: np.ndarray, hi: np.ndarray) -> SpikeTrains:
    """Each train ``i`` cut to ``[lo[i], hi[i]]``."""
    pieces = [st[i:i + 1].restrict(float(lo[i]), float(hi[i])) for i in range(len(st))]
    return SpikeTrains.concatenate(pieces)


@dataclass(frozen=True)
class CountCorrelation:
    """Pearson correlations of trial spike counts between units (noise correlations).

    Attributes
    ----------
    units : numpy.ndarray
        Unit labels (sorted), one per row and column.
    r : numpy.ndarray of float64, shape (n_units, n_units)
        Correlation matrix (1 on the diagonal; NaN for units whose counts do not vary).
    n_trials : int
        Trials common to all units.
    low, high : numpy.ndarray of float64, shape (n_units, n_units)
        Confidence limits from Fisher's z: ``tanh(atanh(r) -+ z_q / sqrt(n_trials - 3))``.
    confidence : float
    """

    units: np.ndarray
    r: np.ndarray
    n_trials: int
    low: np.ndarray
    high: np.ndarray
    confidence: float

    def __repr__(self) -> str:
        off = self.r[~np.eye(self.units.size, dtype=bool)]
        med = np.nanmedian(off) if off.size and np.any(np.isfinite(off)) else np.nan
        return f"CountCorrelation(n_units={self.units.size}, n_trials={self.n_trials}, median r={med:.4g})"


def count_correlation(st: SpikeTrains, *, t_start: float | None = None, t_stop: float | None = None,
                      ci: float = 0.95) -> CountCorrelation:
    """Pearson correlation across trials of the spike counts of every pair of units.

    Parameters
    ----------
    st : SpikeTrains
        One train per (unit, trial); every unit must have the same set of
        trial labels.
    t_start, t_stop : float, optional
        Count in this window only (s); default each train's whole window.
    ci : float, default 0.95
        Coverage of the Fisher-z intervals (exact for bivariate normal counts,
        approximate otherwise).

    Returns
    -------
    CountCorrelation
        NaN entries (with a DataWarning) for units whose counts are constant.
    """
    if not isinstance(st, SpikeTrains):
        fail("st", "a SpikeTrains with unit and trial labels", st, kind=ValidationTypeError)
    trains = st if t_start is None and t_stop is None else st.restrict(t_start, t_stop)
    units, u_idx = np.unique(trains.unit, return_inverse=True)
    trials, t_idx = np.unique(trains.trial, return_inverse=True)
    grid = np.full((units.size, trials.size), -1, dtype=np.int64)
    grid[u_idx, t_idx] = trains.counts
    seen = np.zeros_like(grid)
    np.add.at(seen, (u_idx, t_idx), 1)
    if np.any(seen != 1):
        u, t = np.argwhere(seen != 1)[0]
        fail("st", "one train per (unit, trial) for every unit and trial", st,
             got=f"{seen[u, t]} trains for unit {units[u]!r}, trial {trials[t]!r}")
    if trials.size < 4:
        fail("st", "at least four trials (Fisher's z needs n - 3 > 0)", st, got=f"{trials.size}")
    ci = check_confidence(ci)
    c = grid.astype(np.float64)
    d = c - c.mean(axis=1, keepdims=True)
    norm = np.sqrt((d * d).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (d @ d.T) / np.outer(norm, norm)
    r = np.clip(r, -1.0, 1.0)
    if np.any(norm == 0):
        warnings.warn(f"{np.count_nonzero(norm == 0)} unit(s) have the same count in every trial; their "
                      f"correlations are NaN.", DataWarning, stacklevel=2)
    half = normal_quantile(ci) / np.sqrt(trials.size - 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.arctanh(r)
    return CountCorrelation(units, r, int(trials.size), np.tanh(z - half), np.tanh(z + half), ci)
