"""Cost models of change-point searches: twice the negative log-likelihood of a segment at its MLE.

Every cost here is ``-2 log L`` of one segment with the segment's parameters
at their maximum-likelihood values, constants included, so that the cost of
a segmentation is ``-2 log L`` of the piecewise model and a penalty of
``log n`` per parameter is the BIC. Input with several features (units,
channels), shape ``(n_features, n_samples)``, gets the sum of the per-feature
costs: changes are shared, parameters are per feature.

=================  ====================================  ==========================================
name               data per sample                       segment cost (n samples, sums over it)
=================  ====================================  ==========================================
``poisson``        spike count ``x`` (whole, >= 0)        ``2 (S - S log(S / n) + sum log x!)``
``exponential``    interval ``d`` (s) ending in a spike   ``2 (N - N log(N / D))``, N spikes, D seconds
``bernoulli``      0 or 1 (spike in bin)                  ``-2 (S log p + (n - S) log(1 - p))``, p = S / n
``normal_mean``    real value, known variance s2          ``sum (x - mean)^2 / s2 + n log(2 pi s2)``
``normal_meanvar`` real value                             ``n log(2 pi v) + n``, v = the MLE variance
=================  ====================================  ==========================================

The Poisson cost equals skchange's ``PoissonCost`` (twice the negative
log-likelihood with ``log x!``). ``normal_mean`` with ``variance=1`` is
ruptures' ``"l2"`` cost plus ``n log(2 pi)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from spikestats._kernels import changepoint as K
from spikestats._validation import as_float_array, check_scalar, fail
from spikestats.exceptions import ValidationTypeError


@dataclass(frozen=True, eq=False)
class Prepared:
    """Data of one search in the kernels' form (internal).

    ``cum`` is ``(n_stats, n_features, n + 1)`` cumulative sums with a leading
    zero; ``const_cum`` the cumulative per-sample constant of the cost (summed
    over features); ``single`` whether the input was one feature (1-d).
    """

    kind: int
    cum: np.ndarray
    scale: np.ndarray
    const_cum: np.ndarray
    single: bool
    cost: Cost
    offset: np.ndarray | None = None

    @property
    def n(self) -> int:
        return int(self.cum.shape[2] - 1)

    @property
    def n_features(self) -> int:
        return int(self.cum.shape[1])

    def sums(self, bounds: np.ndarray, stat: int = 0) -> np.ndarray:
        """Per-feature sums of statistic ``stat`` over the segments with boundaries ``bounds``."""
        c = self.cum[stat][:, bounds]
        return np.diff(c, axis=1)


def _cumulative(stats: np.ndarray) -> np.ndarray:
    """``(n_stats, n_features, n)`` -> cumulative sums with a leading zero."""
    out = np.zeros(stats.shape[:2] + (stats.shape[2] + 1,))
    np.cumsum(stats, axis=2, out=out[:, :, 1:])
    return out


def _as_2d(name: str, x: Any) -> tuple[np.ndarray, bool]:
    arr = as_float_array(name, x)
    if arr.ndim not in (1, 2):
        fail(name, "a 1-d array (n_samples,) or a 2-d array (n_features, n_samples)", x,
             got=f"an array of shape {arr.shape}")
    if arr.shape[-1] == 0 or arr.size == 0:
        fail(name, "non-empty", x, got=f"an array of shape {arr.shape}")
    return np.atleast_2d(arr), arr.ndim == 1


@dataclass(frozen=True)
class Cost:
    """Base of the cost models; subclasses set ``name``, ``kind`` and ``n_params``."""

    name: ClassVar[str] = ""
    kind: ClassVar[int] = -1
    #: parameters per segment and feature (for the BIC)
    n_params: ClassVar[int] = 1

    def prepare(self, x: Any) -> Prepared:
        """Validate ``x`` and build the cumulative sums of the kernels."""
        raise NotImplementedError(f"{type(self).__name__} must define prepare")

    def evaluate(self, x: Any, starts: Any, ends: Any) -> np.ndarray:
        """Cost (``-2 log L`` with constants) of each segment ``x[..., starts[i]:ends[i]]``, summed over features.

        Parameters
        ----------
        x : array_like, shape (n_samples,) or (n_features, n_samples)
        starts, ends : array_like of int, shape (n_segments,)
            Half-open segments, ``0 <= start < end <= n_samples``.

        Returns
        -------
        numpy.ndarray of float64, shape (n_segments,)
        """
        prep = self.prepare(x)
        a = np.asarray(starts, dtype=np.int64)
        b = np.asarray(ends, dtype=np.int64)
        if a.shape != b.shape or a.ndim != 1 or np.any(a < 0) or np.any(b > prep.n) or np.any(b <= a):
            fail("starts, ends", f"equal-length 1-d integer arrays with 0 <= start < end <= {prep.n}",
                 (starts, ends))
        out = np.array([K.segment_cost(prep.kind, prep.cum, prep.scale, int(s), int(e), prep.n, 0.0)
                        for s, e in zip(a, b)])
        return out + prep.const_cum[b] - prep.const_cum[a]

    def segment_params(self, prep: Prepared, bounds: np.ndarray) -> np.ndarray:
        """MLE of each segment's mean parameter, ``(n_features, n_segments)`` (per sample)."""
        return prep.sums(bounds) / np.diff(bounds)

    def param_intervals(self, prep: Prepared, bounds: np.ndarray, confidence: float) -> np.ndarray:
        """Interval of each segment's mean parameter, ``(n_features, n_segments, 2)``."""
        raise NotImplementedError(f"{type(self).__name__} must define param_intervals")


def _garwood(counts: np.ndarray, exposure: np.ndarray, confidence: float) -> np.ndarray:
    """Exact (Garwood) interval of a Poisson rate from ``counts`` over ``exposure``."""
    from scipy.special import gammaincinv

    alpha = 1.0 - confidence
    lo = np.where(counts > 0, gammaincinv(np.maximum(counts, 1), alpha / 2), 0.0)
    hi = gammaincinv(counts + 1, 1 - alpha / 2)
    return np.stack([lo / exposure, hi / exposure], axis=-1)


def _whole_nonnegative(name: str, x: Any) -> tuple[np.ndarray, bool]:
    arr, single = _as_2d(name, x)
    if arr.min() < 0:
        bad = np.unravel_index(np.argmin(arr), arr.shape)
        fail(name, "non-negative spike counts", x, got=f"{arr[bad]} at index {bad if not single else bad[1]}")
    if not np.all(arr == np.floor(arr)):
        fail(name, "whole-number spike counts", x, got="non-integer values")
    return arr, single


@dataclass(frozen=True)
class PoissonCost(Cost):
    """Poisson counts with a piecewise-constant mean (spike counts in bins).

    Segment cost ``2 (S - S log(S / n) + sum_i log x_i!)`` with ``S`` the
    segment's count and ``n`` its number of bins (``0 log 0 = 0``). With
    several units, the sum over units (shared changes, per-unit rates).
    """

    name: ClassVar[str] = "poisson"
    kind: ClassVar[int] = K.POISSON

    def prepare(self, x: Any) -> Prepared:
        from scipy.special import gammaln

        arr, single = _whole_nonnegative("x", x)
        const = np.concatenate([[0.0], np.cumsum(2.0 * gammaln(arr + 1.0).sum(axis=0))])
        return Prepared(self.kind, _cumulative(arr[None]), np.ones(arr.shape[0]), const, single, self)

    def param_intervals(self, prep: Prepared, bounds: np.ndarray, confidence: float) -> np.ndarray:
        return _garwood(prep.sums(bounds), np.diff(bounds).astype(float), confidence)


@dataclass(frozen=True)
class ExponentialCost(Cost):
    """Exponential intervals between spikes: a Poisson process in continuous time, no binning.

    Samples are consecutive intervals (s); a segment of intervals holding
    ``N`` spikes over ``D`` seconds costs ``2 (N - N log(N / D))``, the
    ``-2 log L`` of a homogeneous Poisson process of rate ``N / D`` on it. A
    change between intervals ``k - 1`` and ``k`` sits at the spike that ends
    interval ``k - 1``. Use :meth:`prepare_train` for a spike train observed
    on ``[t_start, t_stop]`` (the last interval, to ``t_stop``, ends in no
    spike and is censored).
    """

    name: ClassVar[str] = "exponential"
    kind: ClassVar[int] = K.EXPONENTIAL

    def prepare(self, x: Any) -> Prepared:
        d = as_float_array("x", x)
        if d.ndim != 1 or d.size == 0:
            fail("x", "a non-empty 1-d array of intervals between spikes (s)", x,
                 got=f"an array of shape {d.shape}")
        return self._prepared(d, np.ones(d.size))

    def prepare_train(self, times: np.ndarray, t_start: float, t_stop: float) -> Prepared:
        """The intervals from ``t_start`` to each spike (each ending in one) and the censored last one to ``t_stop``."""
        edges = np.concatenate([[t_start], times, [t_stop]])
        d = np.diff(edges)
        events = np.ones(d.size)
        events[-1] = 0.0
        if d[-1] == 0.0:  # a spike at t_stop: no censored interval
            d, events = d[:-1], events[:-1]
        return self._prepared(d, events)

    def _prepared(self, d: np.ndarray, events: np.ndarray) -> Prepared:
        if np.any(d[events > 0] <= 0):
            i = int(np.flatnonzero((d <= 0) & (events > 0))[0])
            fail("x", "intervals > 0 (distinct, sorted spike times after t_start)", d, got=f"{d[i]} at index {i}")
        stats = np.stack([events, d])[:, None, :]
        return Prepared(self.kind, _cumulative(stats), np.ones(1), np.zeros(d.size + 1), True, self)

    def segment_params(self, prep: Prepared, bounds: np.ndarray) -> np.ndarray:
        return prep.sums(bounds, 0) / prep.sums(bounds, 1)

    def param_intervals(self, prep: Prepared, bounds: np.ndarray, confidence: float) -> np.ndarray:
        return _garwood(prep.sums(bounds, 0), prep.sums(bounds, 1), confidence)


@dataclass(frozen=True)
class BernoulliCost(Cost):
    """0/1 samples (a spike or none per bin) with a piecewise-constant spike probability.

    Segment cost ``-2 (S log p + (n - S) log(1 - p))``, ``p = S / n``.
    """

    name: ClassVar[str] = "bernoulli"
    kind: ClassVar[int] = K.BERNOULLI

    def prepare(self, x: Any) -> Prepared:
        arr, single = _as_2d("x", x)
        if not np.all((arr == 0) | (arr == 1)):
            fail("x", "0 or 1 in every bin (a binary raster)", x, got="other values",
                 fix="Use cost='poisson' for counts.")
        return Prepared(self.kind, _cumulative(arr[None]), np.ones(arr.shape[0]), np.zeros(arr.shape[1] + 1),
                        single, self)

    def param_intervals(self, prep: Prepared, bounds: np.ndarray, confidence: float) -> np.ndarray:
        from scipy.special import betaincinv

        s, n = prep.sums(bounds), np.diff(bounds).astype(float)
        alpha = 1.0 - confidence
        lo = np.where(s > 0, betaincinv(np.maximum(s, 1e-300), n - s + 1, alpha / 2), 0.0)
        hi = np.where(s < n, betaincinv(s + 1, np.maximum(n - s, 1e-300), 1 - alpha / 2), 1.0)
        return np.stack([lo, hi], axis=-1)


def _centered_moments(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stats ``[x, x^2]`` of the feature-centred data (centring keeps ``Q - S^2 / n`` accurate), and the centres."""
    mean = arr.mean(axis=1)
    c = arr - mean[:, None]
    return _cumulative(np.stack([c, c * c])), mean


def robust_variance(arr: np.ndarray) -> np.ndarray:
    """Per-feature noise variance from the MAD of first differences (robust to mean changes).

    ``sigma = 1.4826 * MAD(diff(x)) / sqrt(2)``; the standard deviation of the
    differences over ``sqrt(2)`` where the MAD is 0, and 1 where both are 0.
    """
    if arr.shape[1] < 2:
        return np.ones(arr.shape[0])
    d = np.diff(arr, axis=1)
    mad = 1.4826 * np.median(np.abs(d - np.median(d, axis=1, keepdims=True)), axis=1) / np.sqrt(2.0)
    sd = np.where(mad > 0, mad, d.std(axis=1) / np.sqrt(2.0))
    return np.where(sd > 0, sd * sd, 1.0)


@dataclass(frozen=True)
class NormalMeanCost(Cost):
    """Gaussian samples with a piecewise-constant mean and a known variance.

    Segment cost ``sum (x - mean)^2 / variance + n log(2 pi variance)``.

    Parameters
    ----------
    variance : float or array_like of float, optional
        Noise variance (per feature); default: estimated robustly from the
        first differences (:func:`robust_variance`).
    """

    name: ClassVar[str] = "normal_mean"
    kind: ClassVar[int] = K.NORMAL_MEAN
    variance: Any = None

    def prepare(self, x: Any) -> Prepared:
        arr, single = _as_2d("x", x)
        if self.variance is None:
            var = robust_variance(arr)
        else:
            var = np.broadcast_to(as_float_array("variance", self.variance), (arr.shape[0],)).copy()
            if np.any(var <= 0):
                fail("variance", "> 0", self.variance)
        const = np.arange(arr.shape[1] + 1) * float(np.sum(np.log(2 * np.pi * var)))
        cum, mean = _centered_moments(arr)
        return Prepared(self.kind, cum, 1.0 / var, const, single, self, mean)

    def segment_params(self, prep: Prepared, bounds: np.ndarray) -> np.ndarray:
        return _means(prep, bounds)

    def param_intervals(self, prep: Prepared, bounds: np.ndarray, confidence: float) -> np.ndarray:
        from scipy.special import ndtri

        z = ndtri(0.5 + confidence / 2)
        mean = _means(prep, bounds)
        half = z * np.sqrt(1.0 / prep.scale[:, None] / np.diff(bounds))
        return np.stack([mean - half, mean + half], axis=-1)


def _means(prep: Prepared, bounds: np.ndarray) -> np.ndarray:
    """Segment means of the original (uncentred) data: centred means plus each feature's offset."""
    return prep.sums(bounds) / np.diff(bounds) + prep.offset[:, None]


@dataclass(frozen=True)
class NormalMeanVarCost(Cost):
    """Gaussian samples with a piecewise-constant mean and variance.

    Segment cost ``n log(2 pi v) + n`` with ``v`` the segment's MLE variance
    (floored at 1e-12 of the feature's overall variance, so a constant
    segment has a finite cost). Two parameters per segment and feature.
    """

    name: ClassVar[str] = "normal_meanvar"
    kind: ClassVar[int] = K.NORMAL_MEANVAR
    n_params: ClassVar[int] = 2

    def prepare(self, x: Any) -> Prepared:
        arr, single = _as_2d("x", x)
        floor = np.maximum(1e-12 * arr.var(axis=1), 1e-300)
        const = np.arange(arr.shape[1] + 1) * arr.shape[0] * (np.log(2 * np.pi) + 1.0)
        cum, mean = _centered_moments(arr)
        return Prepared(self.kind, cum, floor, const, single, self, mean)

    def segment_params(self, prep: Prepared, bounds: np.ndarray) -> np.ndarray:
        return _means(prep, bounds)

    def param_intervals(self, prep: Prepared, bounds: np.ndarray, confidence: float) -> np.ndarray:
        from scipy.stats import t as student

        n = np.diff(bounds).astype(float)
        s, q = prep.sums(bounds, 0), prep.sums(bounds, 1)
        var = np.where(n > 1, (q - s * s / n) / np.maximum(n - 1, 1), np.nan)
        half = student.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1)) * np.sqrt(np.maximum(var, 0) / n)
        mean = _means(prep, bounds)
        return np.stack([mean - half, mean + half], axis=-1)


COSTS: dict[str, type[Cost]] = {c.name: c for c in (PoissonCost, ExponentialCost, BernoulliCost, NormalMeanCost,
                                                    NormalMeanVarCost)}


def as_cost(cost: Any) -> Cost:
    """A :class:`Cost` from its name or an instance."""
    from spikestats._validation import check_option

    if isinstance(cost, Cost):
        return cost
    if not isinstance(cost, str):
        fail("cost", f"one of {list(COSTS)} or a Cost instance", cost, kind=ValidationTypeError)
    return COSTS[check_option("cost", cost, tuple(COSTS))]()


def check_min_size(min_size: Any, n: int) -> int:
    """A whole ``min_size >= 1`` that fits the data at least once."""
    m = check_scalar("min_size", min_size, integer=True, minimum=1)
    if m > n:
        fail("min_size", f"<= the number of samples ({n})", min_size,
             fix="Use a smaller min_size or a smaller bin_size.")
    return m
