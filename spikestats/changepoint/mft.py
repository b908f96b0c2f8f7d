"""The multiple filter test for rate changes in a spike train (Messer et al. 2014).

For each window size ``h`` the *filtered derivative process* compares the
spike counts in the windows right and left of ``t``,

    G_h(t) = (N(t, t + h] - N(t - h, t]) / sqrt(h (s_r^2 / mu_r^3 + s_l^2 / mu_l^3)),

where ``mu`` and ``s^2`` are the mean and variance (ddof 0) of the
inter-spike intervals inside each window, so that ``G_h`` is standardised
for any renewal process (the count of a window of length ``h`` has variance
``~ h s^2 / mu^3``). Under the null hypothesis of a stationary renewal process
``G_h`` converges to ``L_h(t) = (W(t + h) - 2 W(t) + W(t - h)) / sqrt(2h)``,
a functional of a standard Brownian motion ``W`` that depends only on the
window sizes and the duration. The test statistic is the largest maximum
over the windows after each window's maximum ``M_h = max_t |G_h(t)|`` is
standardised by the mean and standard deviation of its simulated null law,
and the rejection threshold ``Q`` is the ``1 - alpha`` quantile of the same
standardised maximum over simulated Brownian paths. ``alpha`` is therefore a
*familywise* significance level over all windows and all times: under the
null, the probability of reporting any change is ``alpha`` (asymptotically,
up to the Monte-Carlo error of ``Q``).

Change points are then selected window by window, smallest first (Messer et
al. 2014, Sec. 3): the largest exceedance of ``E_h + Q SD_h`` is a change,
its ``h``-neighbourhood is removed, and so on; a change found with a larger
window is kept only if no change from a smaller window lies within ``h`` of
it. Each step removes at least one grid point, so the selection always ends.

Differences from Elephant's ``multiple_filter_test``: Elephant's ``alpha`` is a
percentage (``alpha=5`` is the 5 % level; ``alpha=0.05`` there is the 0.05 %
level), here it is a probability. With ``alpha >= ~50`` (percent) Elephant's
threshold becomes negative and its selection loop never ends (it zeroes
neighbourhoods, and zero stays above a negative threshold); so does a window
shorter than its ``time_step``. Here ``alpha`` must lie in ``(0, 0.5]``, every
window must span at least two grid steps, and the simulation size is
bounded. Elephant evaluates ``|G|`` as 0 when either window lacks an
interval variance; here that window borrows the other's, so a unit that
falls silent still gives a finite, large statistic.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._validation import as_float_array, check_rng, check_scalar, fail
from spikestats.changepoint.results import ChangePointResult
from spikestats.core.spiketrains import SpikeTrains, as_spiketrains
from spikestats.exceptions import DataWarning, ValidationTypeError

#: Largest number of Brownian increments the threshold simulation may draw (n_simulations x grid points);
#: about a minute on one core.
MAX_SIMULATION_WORK = 2_000_000_000
#: Expected spikes in the smallest window below which a DataWarning says the level is not kept: with
#: Poisson trains the measured familywise false-positive rate at alpha = 0.05 was about 0.19 with 40
#: spikes per window, 0.10 with 60, and 0.03 - 0.05 from 100 on (100 trains each; docs/CHANGEPOINTS.md).
MIN_WINDOW_SPIKES = 100
#: Smallest ``alpha * n_simulations``: the quantile needs that many simulated maxima beyond it.
MIN_TAIL_PATHS = 10


@dataclass(frozen=True, repr=False)
class MFTNull:
    """Simulated null law of the window maxima (depends only on the grid, the windows and the duration).

    Attributes
    ----------
    windows : numpy.ndarray, shape (n_windows,)
        Window sizes ``h`` (s), increasing.
    steps : numpy.ndarray of int64, shape (n_windows,)
        Window sizes in grid steps.
    time_step : float
        Grid step (s).
    n_grid : int
        Grid intervals in the duration (``duration / time_step``, whole).
    maxima : numpy.ndarray, shape (n_simulations, n_windows)
        ``max_t |L_h(t)|`` of each simulated Brownian path and window.
    mean, sd : numpy.ndarray, shape (n_windows,)
        Mean and standard deviation (ddof 1) of each column of ``maxima``.
    """

    windows: np.ndarray
    steps: np.ndarray
    time_step: float
    n_grid: int
    maxima: np.ndarray
    mean: np.ndarray
    sd: np.ndarray

    @property
    def global_maxima(self) -> np.ndarray:
        """Standardised largest maximum over the windows of each simulated path, ``(n_simulations,)``."""
        return np.max((self.maxima - self.mean) / self.sd, axis=1)

    def threshold(self, alpha: float) -> float:
        """The ``1 - alpha`` quantile ``Q`` of :attr:`global_maxima`."""
        return float(np.quantile(self.global_maxima, 1.0 - alpha))

    def p_value(self, statistic: float) -> float:
        """Monte-Carlo p-value ``(1 + #{global maxima >= statistic}) / (1 + n_simulations)``."""
        g = self.global_maxima
        return float((1 + np.count_nonzero(g >= statistic)) / (1 + g.size))

    def __repr__(self) -> str:
        return (f"MFTNull(windows={self.windows.tolist()} s, time_step={self.time_step:.4g} s, "
                f"duration={self.n_grid * self.time_step:.6g} s, n_simulations={self.maxima.shape[0]})")


@dataclass(frozen=True, repr=False)
class MFTResult(ChangePointResult):
    """A :class:`ChangePointResult` of the multiple filter test, with its statistics.

    Besides those of :class:`ChangePointResult`:

    Attributes
    ----------
    alpha : float
        Familywise significance level.
    threshold : float
        ``Q``: rejection threshold of the standardised window maxima.
    statistic : float
        ``max_h (M_h - E_h) / SD_h``; the null is rejected when it exceeds ``Q``.
    p_value : float
        Monte-Carlo p-value of ``statistic``.
    windows : numpy.ndarray, shape (n_windows,)
        Window sizes (s).
    process_times : tuple of numpy.ndarray
        Grid times (s) of each window's filtered derivative process.
    processes : tuple of numpy.ndarray
        ``G_h(t)`` of each window (signed: positive when the rate rises).
    null : MFTNull
        The simulated null law (reuse it for trains of the same duration).
    """

    alpha: float = 0.05
    threshold: float = float("nan")
    statistic: float = float("nan")
    p_value: float = float("nan")
    windows: np.ndarray = field(default_factory=lambda: np.empty(0))
    process_times: tuple = ()
    processes: tuple = ()
    null: MFTNull | None = None

    def __repr__(self) -> str:
        base = super().__repr__().replace("ChangePointResult(", "MFTResult(", 1)
        return (base[:-1] + f", alpha={self.alpha:g}, statistic={self.statistic:.4g}, threshold={self.threshold:.4g},"
                f" p_value={self.p_value:.4g})")

    def critical_values(self) -> np.ndarray:
        """Per window, the level ``E_h + Q SD_h`` that ``|G_h|`` must exceed, ``(n_windows,)``."""
        return self.null.mean + self.threshold * self.null.sd


def _check_windows(windows: Any, duration: float, time_step: float | None) -> tuple[np.ndarray, np.ndarray, float]:
    """Windows (s, increasing), their length in grid steps, and the grid step."""
    h = np.atleast_1d(as_float_array("windows", windows))
    if h.ndim != 1 or h.size == 0:
        fail("windows", "a non-empty 1-d sequence of window sizes (s)", windows)
    if np.any(h <= 0):
        fail("windows", "positive (s)", windows)
    if np.unique(h).size != h.size:
        fail("windows", "distinct window sizes", windows)
    h = np.sort(h)
    if h[-1] >= duration / 2:
        fail("windows", f"shorter than half the data (duration {duration:g} s), so that [h, T - h] is not empty",
             windows, got=f"a largest window of {h[-1]:g} s")
    if time_step is None:
        dt = h[0] / 20.0
    else:
        dt = check_scalar("time_step", time_step, positive=True)
    steps = np.rint(h / dt).astype(np.int64)
    off = np.abs(steps * dt - h) > 1e-9 * h
    if np.any(off):
        fix = ("Pass time_step= that divides every window (e.g. their greatest common divisor / 20)."
               if time_step is None else "Choose windows that are whole multiples of time_step.")
        fail("windows", f"whole multiples of time_step = {dt:g} s", windows,
             got=f"{h[np.argmax(off)]:g} s ({h[np.argmax(off)] / dt:.4g} steps)", fix=fix)
    if steps[0] < 2:
        fail("time_step", f"at most half the smallest window ({h[0]:g} s): each window must span two grid steps "
             "(Elephant's loop never ends when a window is shorter than its step)", time_step)
    return h, steps, float(dt)


def mft_null(duration: float, windows: Any, *, time_step: float | None = None, n_simulations: int = 10_000,
             rng: Any = None, parallel: bool = True) -> MFTNull:
    """Simulate the null law of the multiple filter test's window maxima.

    Parameters
    ----------
    duration : float
        Length of the observation window (s).
    windows : sequence of float
        Window sizes ``h`` (s), each a whole multiple of ``time_step`` and
        shorter than ``duration / 2``.
    time_step : float, optional
        Grid step (s); default the smallest window / 20.
    n_simulations : int, default 10000
        Brownian paths simulated.
    rng : int, Generator or None
        Seed or generator; one 64-bit key is drawn from it, path ``i`` uses
        stream ``i`` (same result for any thread count).
    parallel : bool, default True
        Simulate paths on several threads.

    Returns
    -------
    MFTNull
    """
    from spikestats._kernels.mft import limit_maxima, limit_maxima_parallel

    duration = check_scalar("duration", duration, positive=True)
    n_simulations = check_scalar("n_simulations", n_simulations, integer=True, minimum=2)
    h, steps, dt = _check_windows(windows, duration, time_step)
    n_grid = int(n_whole_bins(duration, dt))
    if n_simulations * n_grid > MAX_SIMULATION_WORK:
        fail("n_simulations", f"such that n_simulations x grid points <= {MAX_SIMULATION_WORK:.0e} (bounded work)",
             n_simulations, got=f"{n_simulations} x {n_grid} grid points",
             fix="Use fewer simulations or a coarser time_step.")
    key = np.uint64(check_rng(rng).integers(0, 2**63 - 1))
    kernel = limit_maxima_parallel if parallel else limit_maxima
    maxima = kernel(key, n_simulations, dt, n_grid, steps)
    return MFTNull(windows=h, steps=steps, time_step=dt, n_grid=n_grid, maxima=maxima, mean=maxima.mean(axis=0),
                   sd=maxima.std(axis=0, ddof=1))


def _select(processes: list[np.ndarray], times: list[np.ndarray], steps: np.ndarray, windows: np.ndarray,
            critical: np.ndarray) -> np.ndarray:
    """Messer et al.'s multiple-window selection: changes of small windows first, each one's neighbourhood removed.

    Within a window, the grid points less than ``m`` steps (``h``) from a
    chosen maximum are removed, the maximum included, so every pass shrinks
    the candidates and the loop ends. A change from a larger window is kept
    only if no change from a smaller one lies within ``h`` of it.
    """
    accepted: list[float] = []
    for g, t, m, h, c in zip(processes, times, steps, windows, critical):
        values = np.abs(g)
        index = np.arange(values.size)
        found_here = []
        while True:
            k = int(np.argmax(values))
            if not values[k] > c:
                break
            values[np.abs(index - k) < m] = -np.inf
            cp = float(t[k])
            if all(abs(cp - a) >= h for a in accepted):
                found_here.append(cp)
        accepted.extend(found_here)
    return np.sort(np.asarray(accepted, dtype=np.float64))


def multiple_filter_test(st: Any, windows: Any, alpha: float = 0.05, time_step: float | None = None, *,
                         rng: Any = None, n_simulations: int = 10_000, null: MFTNull | None = None,
                         t_start: float | None = None, t_stop: float | None = None,
                         confidence: float = 0.95) -> MFTResult:
    """Rate change points of one spike train by the multiple filter test (Messer et al. 2014).

    Parameters
    ----------
    st : SpikeTrains (one train) or array_like of float
        Spike times (s). An array is observed on ``[t_start, t_stop]``
        (defaults 0 and its last spike).
    windows : sequence of float
        Window sizes ``h`` (s), each shorter than half the duration and a
        whole multiple of ``time_step``. Each window should hold enough
        spikes (tens) for the Gaussian approximation.
    alpha : float, default 0.05
        Familywise significance level in (0, 0.5]: under a stationary renewal
        process, the probability of reporting any change (not a percentage,
        unlike Elephant's ``alpha``).
    time_step : float, optional
        Grid step (s) on which the processes are evaluated; default the
        smallest window / 20.
    rng : int, Generator or None
        Seed or generator of the threshold simulation.
    n_simulations : int, default 10000
        Brownian paths simulated for the threshold (at least ``10 / alpha``).
    null : MFTNull, optional
        A null law from :func:`mft_null` for the same duration, windows and
        grid, to skip the simulation (e.g. for many trains of one length).
    t_start, t_stop : float, optional
        Observation window (s) for array input, or to restrict a SpikeTrains.
    confidence : float, default 0.95
        Coverage of the per-segment rate intervals (exact Poisson).

    Returns
    -------
    MFTResult
        ``change_times`` (s), per-segment ``rates`` (Hz) with exact Poisson
        ``rate_intervals``, ``method="mft"``, and the test's ``threshold``,
        ``statistic``, ``p_value``, the processes ``G_h`` on their grids
        and the ``null`` law.

    References
    ----------
    Messer, M., Kirchner, M., Schiemann, J., Roeper, J., Neininger, R. &
    Schneider, G. (2014). A multiple filter test for the detection of rate
    changes in renewal processes with varying variance. Ann. Appl. Stat.
    8(4), 2027-2067.
    """
    from spikestats._kernels.mft import filter_derivative
    from spikestats.changepoint.costs import _garwood

    trains = as_spiketrains(st, t_start=t_start, t_stop=t_stop)
    if not isinstance(trains, SpikeTrains) or trains.n_trains != 1:
        fail("st", "one spike train", st, got=f"{trains.n_trains} trains",
             fix="The test is for one train; loop over st[i] (or st.select(unit=...)) for several.")
    if not isinstance(alpha, (int, float, np.floating, np.integer)) or isinstance(alpha, bool):
        fail("alpha", "a probability in (0, 0.5]", alpha, kind=ValidationTypeError)
    alpha = check_scalar("alpha", alpha)
    if not 0.0 < alpha <= 0.5:
        fix = (f"alpha is a probability here; Elephant's alpha={alpha:g} (a percentage) is alpha={alpha / 100:g}."
               if 0.5 < alpha < 100 else None)
        fail("alpha", "a familywise significance level in (0, 0.5]", alpha, fix=fix)
    confidence = check_scalar("confidence", confidence, minimum=0.0, maximum=1.0)
    n_simulations = check_scalar("n_simulations", n_simulations, integer=True, minimum=2)
    if null is None and alpha * n_simulations < MIN_TAIL_PATHS:
        fail("n_simulations", f">= {MIN_TAIL_PATHS} / alpha = {math.ceil(MIN_TAIL_PATHS / alpha)} so the "
             "threshold quantile rests on enough simulated paths", n_simulations)
    lo, hi = float(trains.t_start[0]), float(trains.t_stop[0])
    times = np.ascontiguousarray(trains.times)
    if times.size < 3:
        fail("st", "a train with at least 3 spikes (two inter-spike intervals)", st, got=f"{times.size} spikes")
    h, steps, dt = _check_windows(windows, hi - lo, time_step)
    if null is None:
        null = mft_null(hi - lo, h, time_step=dt, n_simulations=n_simulations, rng=rng)
    elif not isinstance(null, MFTNull) or null.n_grid != int(n_whole_bins(hi - lo, dt)) or \
            not np.array_equal(null.steps, steps) or null.time_step != dt:
        fail("null", f"an MFTNull for windows {h.tolist()} s, time_step {dt:g} s and duration {hi - lo:g} s", null)
    if alpha * null.maxima.shape[0] < MIN_TAIL_PATHS:
        fail("alpha", f">= {MIN_TAIL_PATHS} / n_simulations of the null law", alpha)
    expected = times.size / (hi - lo) * h[0]
    if expected < MIN_WINDOW_SPIKES:
        warnings.warn(f"the smallest window ({h[0]:g} s) holds about {expected:.0f} spikes on average; below about "
                      f"{MIN_WINDOW_SPIKES} the interval-variance estimates make the test liberal (more false "
                      "changes than alpha); use larger windows", DataWarning, stacklevel=2)
    processes, grids, maxima = [], [], np.empty(h.size)
    for j, m in enumerate(steps):
        g = filter_derivative(times, lo, dt, int(m), null.n_grid)
        processes.append(g)
        grids.append(lo + (np.arange(g.size) + m) * dt)
        maxima[j] = np.max(np.abs(g))
    standardized = (maxima - null.mean) / null.sd
    statistic = float(np.max(standardized))
    q = null.threshold(alpha)
    critical = null.mean + q * null.sd
    change_times = _select(processes, grids, steps, h, critical) if statistic > q else np.empty(0)
    edges = np.concatenate([[lo], change_times, [hi]])
    counts = np.diff(np.searchsorted(times, edges, side="right")).astype(np.float64)
    counts[0] += np.count_nonzero(times == lo)  # a spike at t_start belongs to the first segment
    durations = np.diff(edges)
    return MFTResult(change_times=change_times, change_points=None, rates=counts / durations,
                     rate_intervals=_garwood(counts, durations, confidence), edges=edges, method="mft",
                     cost="renewal", intervals=None, interval_method="exact Poisson (rates)",
                     confidence=confidence, alpha=alpha, threshold=q, statistic=statistic,
                     p_value=null.p_value(statistic), windows=h, process_times=tuple(grids),
                     processes=tuple(processes), null=null)


__all__ = ["multiple_filter_test", "mft_null", "MFTNull", "MFTResult"]
