"""Dispersion of spike counts: Fano factors with intervals, in sliding windows, over time, mean-matched.

Conventions
-----------
- ``ddof=0`` by default (the variance divides by ``n``), as Elephant's
  ``fanofactor``; :func:`mean_matched_fano` uses ``ddof=1`` as Churchland et
  al. (MATLAB's ``var``).
- Windows are left-closed ``[a, a + window)``; the last window of a train is
  also closed on the right; a spike within about 1e-9 steps below an edge
  counts as on it (the binning rule of :meth:`SpikeTrains.bin`). Only whole
  windows are used; a partial window at the end is dropped.
- NaN (with a :class:`~spikestats.exceptions.DataWarning`) where the mean
  count is zero or there are too few counts.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._kernels.binning import train_count_moments, window_count_moments
from spikestats._kernels.dispersion import bootstrap_fano, matched_slopes, sliding_counts
from spikestats._validation import check_option, check_rng, check_scalar, fail
from spikestats.core.spiketrains import as_spiketrains
from spikestats.exceptions import DataWarning
from spikestats.stats._results import Estimate, check_confidence, normal_quantile


def fano_factor(st: Any, window: float | None = None, *, step: float | None = None, ddof: int = 0,
                ci: float | None = None, method: str = "chi2", n_resamples: int = 2000,
                rng: Any = None) -> float | np.ndarray | Estimate:
    """Fano factor: variance over mean of spike counts.

    Parameters
    ----------
    st : SpikeTrains, or a list of 1-d arrays of spike times
        The trains.
    window : float, optional
        ``None``: one count per train (its whole window), and one Fano factor
        across trains; all windows must have the same length. A float ``w``
        (seconds): counts in consecutive windows ``[t_start + k*w, t_start +
        (k+1)*w)`` within each train (whole windows only; the last is closed on
        the right; a partial final window is dropped) and one Fano factor per
        train.
    ddof : int, default 0
        Delta degrees of freedom of the variance. The default 0 matches
        Elephant's ``fano_factor`` (``numpy.var``); ``ddof=1`` gives the unbiased
        variance, whose Fano factor has expectation exactly 1 for Poisson counts.
    ci : float, optional
        Coverage of a confidence interval (e.g. 0.95); returns an
        :class:`~spikestats.stats._results.Estimate`. Needs non-overlapping
        windows (``step >= window``).
    method : {"chi2", "bootstrap"}, default "chi2"
        ``"chi2"``: for Poisson (near-Gaussian) counts ``SS / mean / F ~
        chi2(n - 1)`` with ``SS`` the sum of squared deviations of the ``n``
        counts, so the interval is ``[SS / mean / q_hi, SS / mean / q_lo]``
        with ``q`` the chi-square quantiles (independent of ``ddof``; exact for
        Gaussian counts of known mean-variance ratio, approximate otherwise).
        ``"bootstrap"``: percentile interval of the Fano factor (with ``ddof``)
        of ``n_resamples`` resamples of the counts with replacement; use it
        when counts are far from Poisson.
    n_resamples : int, default 2000
        Bootstrap resamples.
    rng : seed or numpy.random.Generator, optional (keyword-only)
        Randomness of the bootstrap (one stream per train).

    Returns
    -------
    float or numpy.ndarray of float64, shape (n_trains,), or Estimate
        NaN (with a :class:`~spikestats.exceptions.DataWarning`) where the mean
        count is zero or there are too few counts.

    Examples
    --------
    >>> import spikestats as ss
    >>> st = ss.generators.PoissonProcess(rate=20.0).simulate(n_trains=200, t_stop=2.0, rng=1)
    >>> est = fano_factor(st, ci=0.95)
    >>> est.low < 1.0 < est.high
    True
    """
    ddof = check_scalar("ddof", ddof, integer=True, nonnegative=True)
    trains = as_spiketrains(st)
    if ci is not None or step is not None:
        return _fano_general(trains, window, step, ddof, ci, method, n_resamples, rng)
    if window is None:
        t_start, t_stop = trains.t_start, trains.t_stop
        n, shift, s1, s2, n_off = train_count_moments(trains.offsets, t_start, t_stop, 1e-9)
        if n_off:
            _unequal_windows(trains)
        mean = shift + s1 / n if n else float("nan")
        if n <= max(ddof, 1) or mean == 0:
            warnings.warn(f"Fano factor undefined for {n} trains with mean count {mean}; returning NaN.",
                          DataWarning, stacklevel=2)
            return float("nan")
        # counts enter shifted by the first count: the variance is unchanged and the sums stay exact
        return float((s2 - s1 * s1 / n) / (n - ddof) / mean)

    window = check_scalar("window", window, positive=True)
    n_win = n_whole_bins(trains.duration, window)
    if np.any(n_win < 1):
        _window_too_long(trains, window)
    total, total_sq = window_count_moments(trains.times, trains.offsets, np.ascontiguousarray(trains.t_start),
                                           window, n_win)
    mean = total / n_win
    ok = (n_win > max(ddof, 1)) & (mean > 0)
    out = np.full(n_win.shape, np.nan)
    m = n_win[ok]
    out[ok] = (total_sq[ok] - total[ok] ** 2 / m) / (m - ddof) / mean[ok]
    if not np.all(ok):
        warnings.warn(f"{np.count_nonzero(~ok)} of {ok.size} trains have zero mean count or too few windows; "
                      f"their Fano factor is NaN.", DataWarning, stacklevel=2)
    return out


def _unequal_windows(trains: Any) -> None:
    dur = trains.duration
    fail("st", "trains with windows of equal length when `window=None`", trains,
         got=f"durations from {dur.min()} to {dur.max()} s",
         fix="Restrict them to a common window, or pass `window=` for one Fano factor per train.")


def _window_too_long(trains: Any, window: float) -> None:
    fail("window", f"<= the shortest train window ({trains.duration.min()} s)", window,
         fix="Use a shorter window or restrict the analysis to longer trains.")


def n_sliding_windows(duration: np.ndarray, window: float, step: float) -> np.ndarray:
    """Number of whole windows of ``window`` s starting every ``step`` s in ``duration`` (edge tolerance)."""
    duration = np.asarray(duration, dtype=np.float64)
    n = n_whole_bins(np.maximum(duration - window, 0.0), step) + 1
    fits = n_whole_bins(duration, window) >= 1
    return np.where(fits, n, 0).astype(np.int64)


def window_counts(trains: Any, window: float, step: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Spike counts in (sliding) windows of each train.

    Returns
    -------
    counts : numpy.ndarray of int64, shape (n_trains, max_windows)
        Zeros past a train's last window.
    n_windows : numpy.ndarray of int64, shape (n_trains,)
    """
    step = window if step is None else step
    n_win = n_sliding_windows(trains.duration, window, step)
    if np.any(n_win < 1):
        _window_too_long(trains, window)
    counts = sliding_counts(trains.times, trains.offsets, np.ascontiguousarray(trains.t_start, dtype=np.float64),
                            window, step, n_win)
    return counts, n_win


def _fano_rows(counts: np.ndarray, n: np.ndarray, ddof: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of ``counts[i, :n[i]]``: Fano factor, mean and sum of squared deviations (NaN where undefined)."""
    mask = np.arange(counts.shape[1])[None, :] < n[:, None]
    c = np.where(mask, counts, 0).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = c.sum(axis=1) / n
        ss = np.where(mask, (c - mean[:, None]) ** 2, 0.0).sum(axis=1)
        ok = (n > max(ddof, 1)) & (mean > 0)
        fano = np.where(ok, ss / np.maximum(n - ddof, 1) / mean, np.nan)
    return fano, mean, ss


def _fano_general(trains: Any, window: Any, step: Any, ddof: int, ci: Any, method: str, n_resamples: int,
                  rng: Any) -> Any:
    """Fano factors with sliding windows and/or intervals (the general, count-matrix path)."""
    if window is None:
        if step is not None:
            fail("step", "None when `window` is None", step, fix="Pass `window=` for windows within trains.")
        if trains.n_trains and np.any(np.abs(trains.duration - trains.duration[0]) > 1e-9 * trains.duration[0]):
            _unequal_windows(trains)
        counts = trains.counts[None, :]
        n = np.array([trains.n_trains], dtype=np.int64)
    else:
        window = check_scalar("window", window, positive=True)
        step = window if step is None else check_scalar("step", step, positive=True)
        if ci is not None and step < window * (1 - 1e-9):
            fail("step", f">= window ({window} s) for a confidence interval", step,
                 fix="Overlapping windows give dependent counts; use step=window.")
        counts, n = window_counts(trains, window, step)
    fano, mean, ss = _fano_rows(counts, n, ddof)
    bad = np.isnan(fano)
    if np.any(bad):
        warnings.warn(f"{np.count_nonzero(bad)} of {bad.size} Fano factors are undefined (zero mean count or too "
                      f"few counts); they are NaN.", DataWarning, stacklevel=3)
    single = window is None
    if ci is None:
        return float(fano[0]) if single else fano
    ci = check_confidence(ci)
    check_option("method", method, ("chi2", "bootstrap"))
    if method == "chi2":
        from scipy.stats import chi2

        lo_q = chi2.ppf((1 - ci) / 2, n - 1)
        hi_q = chi2.ppf((1 + ci) / 2, n - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = np.where(bad, np.nan, ss / mean)
            low, high = scaled / hi_q, scaled / lo_q
    else:
        n_resamples = check_scalar("n_resamples", n_resamples, integer=True, minimum=10)
        key = np.uint64(check_rng(rng).integers(0, 2**63 - 1))
        boot = bootstrap_fano(np.ascontiguousarray(counts), n, ddof, key, n_resamples)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows (undefined trains)
            low, high = np.nanquantile(boot, [(1 - ci) / 2, (1 + ci) / 2], axis=1)
        low = np.where(bad, np.nan, low)
        high = np.where(bad, np.nan, high)
    if single:
        return Estimate(float(fano[0]), float(low[0]), float(high[0]), ci, method)
    return Estimate(fano, low, high, ci, method)


@dataclass(frozen=True)
class TimeResolvedFano:
    """Fano factor across trials at each time (:func:`time_resolved_fano`).

    Attributes
    ----------
    times : numpy.ndarray of float64, shape (n_times,)
        Window centres (s).
    fano, mean, variance : numpy.ndarray of float64
        Fano factor, mean and variance (with ``ddof``) of the trial counts,
        shape ``(n_times,)`` for one unit, ``(n_units, n_times)`` for several.
    units : numpy.ndarray
        Unit labels (sorted), one per row.
    n_trials : numpy.ndarray of int64, shape (n_units,)
    window, step : float
        Window length and step (s).
    """

    times: np.ndarray
    fano: np.ndarray
    mean: np.ndarray
    variance: np.ndarray
    units: np.ndarray
    n_trials: np.ndarray
    window: float
    step: float

    def __repr__(self) -> str:
        return (f"TimeResolvedFano(n_units={self.units.size}, n_times={self.times.size}, window={self.window:g} s, "
                f"step={self.step:g} s, median fano={np.nanmedian(self.fano) if np.any(np.isfinite(self.fano)) else np.nan:.4g})")


#: ``eps`` of the mean-matched regression weights ``n / (mean + eps)^2`` is this rate (Hz) times the window.
WEIGHT_EPSILON_RATE = 1.0


def _trial_counts(trains: Any, window: float, step: float, name: str
                  ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], np.ndarray]:
    """Counts ``(n_trains, n_windows)`` on a window common to all trains, checked; grouped by unit.

    Returns counts, window centres, the train indices of each unit, and the unit labels.
    """
    if trains.n_trains == 0:
        fail("st", "at least one train", trains)
    t0, t1 = trains.t_start, trains.t_stop
    tol = 1e-9 * max(float(np.max(np.abs(t1 - t0))), 1.0)
    bad = np.flatnonzero((np.abs(t0 - t0[0]) > tol) | (np.abs(t1 - t1[0]) > tol))
    if bad.size:
        i = bad[0]
        fail("st", f"trials aligned on one common window for {name}", trains,
             got=f"train {i} (unit {trains.unit[i]!r}, trial {trains.trial[i]!r}) on [{t0[i]}, {t1[i]}] s "
                 f"while train 0 is on [{t0[0]}, {t1[0]}] s",
             fix="Align the trials first, e.g. `st.restrict(epochs, align=True)`, then `restrict(t_start, t_stop)`.")
    window = check_scalar("window", window, positive=True)
    step = check_scalar("step", step, positive=True)
    counts, n_win = window_counts(trains, window, step)
    times = t0[0] + np.arange(n_win[0]) * step + window / 2
    units, inverse = np.unique(trains.unit, return_inverse=True)
    groups = [np.flatnonzero(inverse == k) for k in range(units.size)]
    return counts, times, groups, units


def time_resolved_fano(st: Any, window: float, step: float, *, ddof: int = 0) -> TimeResolvedFano:
    """Fano factor of the spike counts across trials in a window sliding over time.

    At each time, every unit's trials give one count each in ``[a, a +
    window)``; the Fano factor is their variance over their mean. Windows start
    at ``t_start + k * step`` and ``times`` are their centres.

    Parameters
    ----------
    st : SpikeTrains
        Trials aligned on one common window (every train has the same
        ``t_start`` and ``t_stop``); trains with the same ``unit`` label are
        that unit's trials.
    window : float
        Counting window (s), > 0 and at most the trial length.
    step : float
        Step between window starts (s), > 0.
    ddof : int, default 0
        Delta degrees of freedom of the variance.

    Returns
    -------
    TimeResolvedFano
        NaN (with a DataWarning) at times where a unit's mean count is zero or
        it has fewer than two trials.

    Raises
    ------
    ValidationError
        Trials on different windows (mismatched trials), or a window longer
        than the trials or not positive.
    """
    ddof = check_scalar("ddof", ddof, integer=True, nonnegative=True)
    trains = as_spiketrains(st)
    counts, times, groups, units = _trial_counts(trains, window, step, "time_resolved_fano")
    n_t = times.size
    fano = np.full((units.size, n_t), np.nan)
    mean = np.full((units.size, n_t), np.nan)
    var = np.full((units.size, n_t), np.nan)
    n_trials = np.array([g.size for g in groups], dtype=np.int64)
    for k, g in enumerate(groups):
        c = counts[g].astype(np.float64)
        mean[k] = c.mean(axis=0)
        if g.size > max(ddof, 1):
            var[k] = c.var(axis=0, ddof=ddof)
            with np.errstate(invalid="ignore", divide="ignore"):
                fano[k] = np.where(mean[k] > 0, var[k] / mean[k], np.nan)
    if np.any(np.isnan(fano)):
        warnings.warn(f"{np.count_nonzero(np.isnan(fano))} of {fano.size} (unit, time) Fano factors are undefined "
                      f"(zero mean count or fewer than two trials); they are NaN.", DataWarning, stacklevel=2)
    squeeze = (lambda a: a[0]) if units.size == 1 else (lambda a: a)
    return TimeResolvedFano(times, squeeze(fano), squeeze(mean), squeeze(var), units, n_trials, float(window),
                            float(step))


@dataclass(frozen=True)
class MeanMatchedFano:
    """The mean-matched Fano factor of Churchland et al. (2010) over time (:func:`mean_matched_fano`).

    Attributes
    ----------
    times : numpy.ndarray of float64, shape (n_times,)
        Window centres (s).
    fano : numpy.ndarray of float64, shape (n_times,)
        Mean over the random matchings of the regression slope of variance on
        mean (through the origin, weighted).
    low, high : numpy.ndarray of float64, shape (n_times,)
        Confidence interval: ``fano +- z * se`` with ``se`` the mean over the
        matchings of the slope's standard error.
    fano_all : numpy.ndarray of float64, shape (n_times,)
        The same regression on all points, without matching.
    retained : numpy.ndarray of float64, shape (n_times,)
        Fraction of the points (units) that the matching keeps.
    mean_count : numpy.ndarray of float64, shape (n_times,)
        Mean of the kept points' mean counts (equal at every time when matching works).
    confidence : float
    n_resamples : int
    """

    times: np.ndarray
    fano: np.ndarray
    low: np.ndarray
    high: np.ndarray
    fano_all: np.ndarray
    retained: np.ndarray
    mean_count: np.ndarray
    confidence: float
    n_resamples: int

    def __repr__(self) -> str:
        return (f"MeanMatchedFano(n_times={self.times.size}, fano=[{np.nanmin(self.fano):.4g} .. "
                f"{np.nanmax(self.fano):.4g}], retained={np.nanmean(self.retained):.3f}, "
                f"confidence={self.confidence:g}, n_resamples={self.n_resamples})")


def mean_matched_fano(st: Any, window: float, step: float, *, bin_width: float = 0.25, n_resamples: int = 10,
                      ci: float = 0.95, rng: Any = None) -> MeanMatchedFano:
    """Mean-matched Fano factor over time (Churchland et al. 2010, Nat Neurosci 13:369-378).

    Each unit label is one point (use one label per neuron and condition). At
    each time, a point's mean and variance (``ddof=1``) of its trial counts in
    ``[a, a + window)`` are computed. The Fano factor at that time is the slope
    of the regression of variance on mean through the origin, weighted by
    ``n_trials / (mean + eps)^2`` with ``eps = window * 1 Hz`` (the sampling
    variance of a variance grows with the squared mean and shrinks with the
    trial count; ``eps`` caps the weight of near-silent points), as in the
    authors' reference code. Because the Fano factor of real neurons depends
    on rate, a change of mean rate alone could move it; the matching removes
    that: the means at every time are binned (bins of ``bin_width`` spikes
    from 0), the greatest common distribution is the bin-wise minimum of the
    histograms over time, and at each time a random subset of each bin's
    points of that common size is kept. The matching is repeated
    ``n_resamples`` times and the slopes and their standard errors averaged.

    Parameters
    ----------
    st : SpikeTrains
        Trials aligned on one common window; trains with the same ``unit``
        label are one point's trials (at least two per unit).
    window, step : float
        Counting window and step between window starts (s).
    bin_width : float, default 0.25
        Width (in spikes) of the bins of the mean-count histograms (the
        reference code's ``binSpacing``).
    n_resamples : int, default 10
        Random matchings per time (the reference code's ``matchReps``).
    ci : float, default 0.95
        Coverage of the interval ``fano +- z se`` (normal quantile ``z``; the
        reference code uses ``2 se``, about 95.4 %).
    rng : seed or numpy.random.Generator, optional (keyword-only)
        Randomness of the matching (one stream per time point).

    Returns
    -------
    MeanMatchedFano
        ``se`` is the weighted-least-squares standard error of the slope,
        ``sqrt(sum w e^2 / (k - 1) / sum w m^2)`` over the ``k`` kept points
        (MATLAB's ``lscov``).
    """
    trains = as_spiketrains(st)
    bin_width = check_scalar("bin_width", bin_width, positive=True)
    n_resamples = check_scalar("n_resamples", n_resamples, integer=True, positive=True)
    ci = check_confidence(ci)
    generator = check_rng(rng)
    counts, times, groups, units = _trial_counts(trains, window, step, "mean_matched_fano")
    n_trials = np.array([g.size for g in groups])
    if np.any(n_trials < 2):
        k = int(np.argmin(n_trials))
        fail("st", "at least two trials per unit", trains, got=f"{n_trials[k]} trial(s) for unit {units[k]!r}")
    mean = np.stack([counts[g].mean(axis=0) for g in groups])
    var = np.stack([counts[g].astype(np.float64).var(axis=0, ddof=1) for g in groups])
    weight = n_trials.astype(np.float64)
    eps = float(window) * WEIGHT_EPSILON_RATE
    bin_of = np.floor(mean / bin_width + 1e-9).astype(np.int64)
    n_bins = int(bin_of.max()) + 1
    hist = np.stack([np.bincount(bin_of[:, t], minlength=n_bins) for t in range(times.size)])
    common = hist.min(axis=0).astype(np.int64)
    key = np.uint64(generator.integers(0, 2**63 - 1))
    slope, se = matched_slopes(mean, var, weight, eps, bin_of, common, key, n_resamples)
    n_points = units.size
    fano_all, _ = matched_slopes(mean, var, weight, eps, np.zeros_like(bin_of), np.array([n_points]), key, 1)
    fano_all = fano_all[:, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fano = np.nanmean(slope, axis=1) if slope.size else np.full(times.size, np.nan)
        se_mean = np.nanmean(se, axis=1) if se.size else np.full(times.size, np.nan)
    kept = int(common.sum())
    if kept < 2:
        warnings.warn(f"The greatest common distribution of mean counts keeps {kept} point(s); the mean-matched "
                      f"Fano factor is NaN. Use wider bins or more units.", DataWarning, stacklevel=2)
    half = normal_quantile(ci) * se_mean
    retained = np.full(times.size, kept / n_points)
    mean_count = np.array([_matched_mean(mean[:, t], bin_of[:, t], common) for t in range(times.size)])
    return MeanMatchedFano(times, fano, fano - half, fano + half, fano_all, retained, mean_count, ci, n_resamples)


def _matched_mean(mean: np.ndarray, bins: np.ndarray, common: np.ndarray) -> float:
    """Expected mean of the kept points' means at one time: per bin, the bin's average times its kept count."""
    total = 0.0
    for b in np.flatnonzero(common):
        total += common[b] * mean[bins == b].mean()
    return total / common.sum() if common.sum() else float("nan")
