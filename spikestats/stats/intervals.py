"""Inter-spike intervals and their variability: ISIs, CV, CV2, LV and LvR.

Conventions
-----------
- Per train by default (an array of shape ``(n_trains,)``, a float for one
  array of spike times). ``pooled=True`` gives one value from all the trains
  given (pass the trials of one unit, e.g. ``st.select(unit=u)``): the CV of
  all their intervals pooled, or the mean of the CV2/LV/LvR terms of all
  their interval pairs. Intervals and pairs never span two trains.
- ``ci=0.95`` returns an :class:`~spikestats.stats._results.Estimate` with an
  asymptotic normal interval: the delta method for the CV (ISIs i.i.d., as in
  a renewal process), and for CV2/LV/LvR the normal law of the mean of a
  1-dependent sequence (consecutive terms share one interval), with variance
  ``(g0 + 2 g1) / m`` from the terms' lag-0 and lag-1 autocovariances.
- Too-short trains give NaN with a :class:`~spikestats.exceptions.DataWarning`:
  the CV needs two intervals (three spikes), CV2/LV/LvR one pair of intervals
  (three spikes). Elephant returns 0.0 for the CV of one interval and raises
  (or warns with ``with_nan=True``) for CV2/LV/LvR of fewer than two intervals.
"""


from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._config import threads_pay_off
from spikestats._kernels.isi import (
    KIND_CV2,
    KIND_LV,
    KIND_LVR,
    isi_central_moments,
    isi_moments,
    local_variation,
    local_variation_parallel,
)
from spikestats._validation import check_bool, check_scalar
from spikestats.core.spiketrains import as_spiketrains, is_single_train
from spikestats.exceptions import DataWarning
from spikestats.stats._results import Estimate, as_output, check_confidence, normal_quantile


@dataclass(frozen=True)
class Ragged:
    """A ragged array: row ``i`` is ``values[offsets[i]:offsets[i + 1]]``.

    Behaves like a list of arrays (``len``, ``ragged[i]``, iteration over
    rows, ``list(ragged)``), while the flat ``values`` and the ``offsets``
    (n_rows + 1) stay available for vectorised work without copies.
    """

    values: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return int(self.offsets.shape[0] - 1)

    def __getitem__(self, i: int) -> np.ndarray:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"row {i} is out of range for {n} rows")
        i %= n
        return self.values[self.offsets[i]:self.offsets[i + 1]]

    def __iter__(self):
        for i in range(len(self)):
            yield self.values[self.offsets[i]:self.offsets[i + 1]]

    def rows(self) -> list[np.ndarray]:
        """The rows as a list of arrays (views)."""
        return [self[i] for i in range(len(self))]


def isi(st: Any) -> Ragged | np.ndarray:
    """Inter-spike intervals (seconds) of each train.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train), or a list of them

    Returns
    -------
    Ragged or numpy.ndarray
        For SpikeTrains (or a list), a :class:`Ragged` with ``max(n_i - 1, 0)``
        intervals per train; for one array, a float64 array of its intervals.
    """
    if is_single_train(st):
        return np.diff(np.asarray(as_spiketrains(st).times))
    trains = as_spiketrains(st)
    counts = trains.counts
    n_isi = np.maximum(counts - 1, 0)
    d = np.diff(trains.times)
    keep = np.ones(d.shape, dtype=bool)
    # the difference across the boundary between train i-1 and train i sits at offsets[i] - 1
    inner = trains.offsets[1:-1]
    inner = inner[(inner > 0) & (inner < trains.n_spikes)]
    keep[inner - 1] = False
    offsets = np.zeros(len(trains) + 1, dtype=np.int64)
    np.cumsum(n_isi, out=offsets[1:])
    return Ragged(values=d[keep], offsets=offsets)


def cv(st: Any, *, ddof: int = 0, pooled: bool = False, ci: float | None = None) -> np.ndarray | float | Estimate:
    """Coefficient of variation of the inter-spike intervals, ``std / mean``.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train), or a list of them
    ddof : int, default 0
        Delta degrees of freedom of the standard deviation. The default 0
        matches Elephant (``scipy.stats.variation``); use 1 for the sample
        standard deviation (MATLAB's ``std``).
    pooled : bool, default False
        One CV of all intervals of all trains pooled (a float) instead of one
        per train.
    ci : float, optional
        Coverage of a confidence interval (e.g. 0.95). The interval is
        ``cv +- z SE`` with the delta-method standard error for i.i.d.
        intervals, ``SE^2 = [cv^4 + (m4 - m2^2) / (4 mean^2 m2) - m3 / mean^3] / n``
        from the sample central moments ``m2, m3, m4`` of the ``n`` intervals.

    Returns
    -------
    numpy.ndarray of float64, shape (n_trains,), or float, or Estimate
        A float for one array or with ``pooled=True``; an :class:`Estimate`
        when ``ci`` is given. NaN (with a
        :class:`~spikestats.exceptions.DataWarning`) for trains with fewer than
        ``ddof + 1`` intervals, or fewer than two.
    """
    ddof = check_scalar("ddof", ddof, integer=True, nonnegative=True)
    pooled = check_bool("pooled", pooled)
    single = is_single_train(st) or pooled
    trains = as_spiketrains(st)
    if ci is None and not pooled:
        n, mean, m2 = isi_moments(trains.times, trains.offsets)
        moments = None
    else:
        n, moments = _isi_moments(trains, pooled)
        mean, m2 = moments[0], moments[1] * n
    ok = (n >= 2) & (n > ddof)
    out = np.full(n.shape, np.nan)
    out[ok] = np.sqrt(m2[ok] / (n[ok] - ddof)) / mean[ok]
    if not np.all(ok):
        warnings.warn(f"{np.count_nonzero(~ok)} of {ok.size} trains have too few intervals for a CV "
                      f"(need >= {max(2, ddof + 1)}); their CV is NaN.", DataWarning, stacklevel=2)
    if ci is None:
        return as_output(out, single)
    ci = check_confidence(ci)
    mu, v, mu3, mu4 = moments
    with np.errstate(invalid="ignore", divide="ignore"):
        c2 = v / mu ** 2
        se = np.sqrt(np.maximum(c2 * c2 + (mu4 - v * v) / (4.0 * mu ** 2 * v) - mu3 / mu ** 3, 0.0) / n)
    half = normal_quantile(ci) * se
    return Estimate(as_output(out, single), as_output(out - half, single), as_output(out + half, single),
                    ci, "delta")


def _isi_moments(trains: Any, pooled: bool) -> tuple[np.ndarray, np.ndarray]:
    """ISI counts ``(k,)`` and moments ``(4, k)`` (mean, central m2, m3, m4), per train or pooled (k = 1)."""
    if not pooled:
        return isi_central_moments(trains.times, trains.offsets)
    values = isi(trains).values
    n = np.array([values.size], dtype=np.int64)
    if values.size == 0:
        return n, np.full((4, 1), np.nan)
    d = values - values.mean()
    return n, np.array([[values.mean()], [np.mean(d ** 2)], [np.mean(d ** 3)], [np.mean(d ** 4)]])


_LOCAL_PARAMETERS = """    pooled : bool, default False
        The mean of the terms of all interval pairs of all trains (a float).
    ci : float, optional
        Coverage of an asymptotic confidence interval (module notes).
    parallel : bool or None, default None
        Compute trains on several threads (identical result). None chooses
        threads for large inputs when cores are free
        (``spikestats._config.threads_pay_off``); False keeps one thread.

    Returns
    -------
    numpy.ndarray of float64, shape (n_trains,), or float, or Estimate
"""


def _local_doc(func):
    """Fill in the parameters and return type that CV2, LV and LvR share."""
    func.__doc__ = func.__doc__.replace("    {local_parameters}\n", _LOCAL_PARAMETERS)
    return func


@_local_doc
def cv2(st: Any, *, pooled: bool = False, ci: float | None = None,
        parallel: bool | None = None) -> np.ndarray | float | Estimate:
    """CV2 of Holt et al. (1996): the mean of ``2 |I_{k+1} - I_k| / (I_{k+1} + I_k)``.

    A local measure of interval variability, insensitive to slow rate changes:
    1 for a Poisson process, 0 for a regular train.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train), or a list of them
    {local_parameters}
        Equal to Elephant's ``cv2(isi(train))``. NaN with a DataWarning for
        trains with fewer than three spikes.

    References
    ----------
    Holt, Softky, Koch & Douglas (1996), J Neurophysiol 75:1806-1814.
    """
    return _local(st, KIND_CV2, 0.0, pooled, ci, parallel, "CV2")


@_local_doc
def lv(st: Any, *, pooled: bool = False, ci: float | None = None,
       parallel: bool | None = None) -> np.ndarray | float | Estimate:
    """Local variation LV of Shinomoto et al. (2003): the mean of ``3 (I_k - I_{k+1})^2 / (I_k + I_{k+1})^2``.

    1 for a Poisson process, 0 for a regular train, ``3 / (2k + 1)`` for a
    gamma renewal process of shape ``k``; unchanged by rescaling time.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train), or a list of them
    {local_parameters}
        Equal to Elephant's ``lv(isi(train))``. NaN with a DataWarning for
        trains with fewer than three spikes.

    References
    ----------
    Shinomoto, Shima & Tanji (2003), Neural Comput 15:2823-2842.
    """
    return _local(st, KIND_LV, 0.0, pooled, ci, parallel, "LV")


@_local_doc
def lvr(st: Any, r: float = 5e-3, *, pooled: bool = False, ci: float | None = None,
        parallel: bool | None = None) -> np.ndarray | float | Estimate:
    """Revised local variation LvR of Shinomoto et al. (2009) with refractoriness constant ``r``.

    The mean over consecutive interval pairs of
    ``3 (1 - 4 I_k I_{k+1} / (I_k + I_{k+1})^2) (1 + 4 r / (I_k + I_{k+1}))``;
    ``r = 0`` gives the LV. Subtracting the refractory period makes it less
    sensitive to the firing rate.

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train), or a list of them
    r : float, default 5e-3
        Refractoriness constant in seconds (>= 0); 5 ms as recommended by
        Shinomoto et al. (2009). Elephant's ``lvr`` takes ``R`` in
        milliseconds when given without units; here every time is in seconds.
    {local_parameters}
        Equal to Elephant's ``lvr(isi(train) * pq.s, R=r * pq.s)``; NaN with a
        DataWarning for trains with fewer than three spikes.

    References
    ----------
    Shinomoto et al. (2009), PLoS Comput Biol 5:e1000433.
    """
    r = check_scalar("r", r, nonnegative=True)
    return _local(st, KIND_LVR, r, pooled, ci, parallel, "LvR")


def _local(st: Any, kind: int, r: float, pooled: Any, ci: float | None, parallel: Any, what: str) -> Any:
    """Shared body of :func:`cv2`, :func:`lv` and :func:`lvr`."""
    pooled = check_bool("pooled", pooled)
    single = is_single_train(st) or pooled
    trains = as_spiketrains(st)
    parallel = threads_pay_off(trains.n_spikes) if parallel is None else check_bool("parallel", parallel)
    spread = ci is not None
    if spread:
        ci = check_confidence(ci)
    center = np.full(len(trains), np.nan)
    # threads over trains: each train's value is computed alone, so results are identical
    kernel = local_variation_parallel if parallel else local_variation
    m, mean, g0, g1 = kernel(trains.times, trains.offsets, kind, r, spread and not pooled, center)
    if pooled:
        total = int(m.sum())
        value = float(np.sum(mean[m > 0] * m[m > 0]) / total) if total else np.nan
        if spread and total:
            center[:] = value
            m, _, g0, g1 = kernel(trains.times, trains.offsets, kind, r, True, center)
            # trains are independent: the long-run variances of their terms add up
            g0 = np.array([np.sum(m * g0) / total])
            g1 = np.array([np.sum(m * g1) / total])
        m, mean = np.array([total]), np.array([value])
    ok = m >= 1
    if not np.all(ok):
        warnings.warn(f"{np.count_nonzero(~ok)} of {ok.size} {'trains have' if not pooled else 'pooled set has'} "
                      f"fewer than three spikes; {what} is NaN there.", DataWarning, stacklevel=3)
    if not spread:
        return as_output(mean, single)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.maximum(g0 + 2.0 * g1, 0.0) / m)
    half = normal_quantile(ci) * se
    return Estimate(as_output(mean, single), as_output(mean - half, single), as_output(mean + half, single),
                    ci, "1-dependent normal")
