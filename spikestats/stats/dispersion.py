"""Dispersion of spike counts: Fano factors."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._kernels.binning import train_count_moments, window_count_moments
from spikestats._validation import check_scalar, fail
from spikestats.core.spiketrains import as_spiketrains
from spikestats.exceptions import DataWarning


def fano_factor(st: Any, window: float | None = None, *, ddof: int = 0) -> float | np.ndarray:
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

    Returns
    -------
    float or numpy.ndarray of float64, shape (n_trains,)
        NaN (with a :class:`~spikestats.exceptions.DataWarning`) where the mean
        count is zero or there are too few counts.
    """
    ddof = check_scalar("ddof", ddof, integer=True, nonnegative=True)
    trains = as_spiketrains(st)
    if window is None:
        t_start, t_stop = trains.t_start, trains.t_stop
        n, shift, s1, s2, n_off = train_count_moments(trains.offsets, t_start, t_stop, 1e-9)
        if n_off:
            dur = trains.duration
            fail("st", "trains with windows of equal length when `window=None`", st,
                 got=f"durations from {dur.min()} to {dur.max()} s",
                 fix="Restrict them to a common window, or pass `window=` for one Fano factor per train.")
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
        fail("window", f"<= the shortest train window ({trains.duration.min()} s)", window)
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
