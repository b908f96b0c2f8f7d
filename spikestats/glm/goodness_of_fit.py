"""Goodness of fit of conditional-intensity models by the time-rescaling theorem (Brown et al. 2002).

If spikes ``t_1 < t_2 < ...`` come from a point process with conditional
intensity ``lambda(t | H_t)``, the rescaled intervals
``tau_k = int_{t_{k-1}}^{t_k} lambda(t | H_t) dt`` are independent Exp(1)
variates, so ``z_k = 1 - exp(-tau_k)`` are independent Uniform(0, 1). The
Kolmogorov-Smirnov distance of the ``z_k`` from the uniform law measures the
fit; the autocorrelation of the Gaussianised ``Phi^-1(z_k)`` checks
independence.

For an intensity known only per bin (a binned GLM, a PSTH) the discrete-time
correction of Haslinger, Pipa & Brown (2010, Neural Comput 22: 2477) is used:
with ``q_j = lambda_j * width_j`` (``-log(1 - p_j)`` for a spike probability
``p_j``), an interval from a spike in bin ``i`` to the next in bin ``k`` is

    xi = sum_{j=i+1}^{k-1} q_j + delta_k,  delta_k = -log(1 - r (1 - exp(-q_k))),  r ~ U(0, 1),

the sum over the silent bins between the two spikes plus a random time of the
first event within the spike's bin. ``xi`` is exactly Exp(1) under the model
whatever the bin size, where the plain integral is biased when ``q`` is not
small. The correction rescales the indicator of "at least one spike in the
bin", whose probability under a Poisson count of mean ``q`` is ``1 - exp(-q)``;
later spikes in the same bin are counted once (the test stays exact).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._config import BIN_ATOL, EPS
from spikestats._validation import as_float_array, check_bool, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains, as_spiketrains
from spikestats.exceptions import DataWarning, ValidationError
from spikestats.glm._piecewise import check_covers, piecewise_pair
from spikestats.typing import RNGLike

__all__ = ["TimeRescalingResult", "time_rescaling_test"]

#: Default integration step (s) for an intensity given as a callable.
CALLABLE_STEP = 1e-4


@dataclass(frozen=True, eq=False)
class TimeRescalingResult:
    """Time-rescaling goodness-of-fit test (Brown et al. 2002).

    Attributes
    ----------
    statistic : float
        Kolmogorov-Smirnov distance of ``rescaled`` from Uniform(0, 1).
    pvalue : float
        Its p-value (``scipy.stats.kstest``, exact for small ``n``).
    rescaled : numpy.ndarray, shape (n,)
        Uniform variates ``1 - exp(-intervals)``, train after train in time order.
    intervals : numpy.ndarray, shape (n,)
        Rescaled inter-spike intervals (Exp(1) under the model).
    train : numpy.ndarray of int64, shape (n,)
        Index of the train each interval comes from.
    n : int
        Number of rescaled intervals (pooled over trains).
    ks_band : float
        Half-width of the asymptotic 95 % band of the KS plot, ``1.36 / sqrt(n)``.
    autocorrelation : numpy.ndarray, shape (max_lag,)
        Autocorrelation of ``Phi^-1(rescaled)`` at lags ``1 .. max_lag``
        (pairs within a train only).
    acf_band : float
        95 % band of the autocorrelation under independence, ``1.96 / sqrt(n)``.
    corrected : bool
        Whether the discrete-time correction was applied.
    """

    statistic: float
    pvalue: float
    rescaled: np.ndarray
    intervals: np.ndarray
    train: np.ndarray
    n: int
    ks_band: float
    autocorrelation: np.ndarray
    acf_band: float
    corrected: bool

    @property
    def within_band(self) -> bool:
        """Whether the KS plot stays inside its 95 % band (``statistic <= ks_band``)."""
        return bool(self.statistic <= self.ks_band)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """KS plot with its 95 % band (:func:`spikestats.plotting.glm.ks_plot`); returns the Axes."""
        from spikestats.plotting.glm import ks_plot

        return ks_plot(self.rescaled, self.ks_band, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return (f"TimeRescalingResult(statistic={self.statistic:.4g}, pvalue={self.pvalue:.3g}, n={self.n}, "
                f"ks_band={self.ks_band:.4g}, within_band={self.within_band}, corrected={self.corrected})")


@dataclass(frozen=True)
class _Piece:
    """One train's intensity as piecewise-constant rates on ``edges`` (s, Hz) and its spike times."""

    edges: np.ndarray
    rates: np.ndarray
    spikes: np.ndarray
    width: float | None = None  # regular bins: the house bin rule (as the design's counts), else searchsorted

    def bins(self) -> np.ndarray:
        """Bin of each spike (left-closed bins, the last closed on the right)."""
        n = self.rates.size
        if self.width is None:
            k = np.searchsorted(self.edges, self.spikes, side="right") - 1
        else:
            x = (self.spikes - self.edges[0]) / self.width
            k = np.floor(x + BIN_ATOL + 8.0 * EPS * np.abs(x)).astype(np.int64)
        return np.clip(k, 0, n - 1)


def _pieces_from_model(model: Any, st: SpikeTrains, stimulus: Any) -> list[_Piece]:
    ci = model.conditional_intensity(st) if stimulus is None else model.conditional_intensity(st, stimulus)
    out = []
    for q, tr in enumerate(ci.train):
        a, b = ci.block_row0[q], ci.block_row0[q + 1]
        edges = np.r_[ci.bin_start[a:b], ci.bin_start[b - 1] + ci.bin_size]
        out.append(_Piece(edges, ci.rate[a:b], np.asarray(st[int(tr)]), ci.bin_size))
    return out


def _pieces_from_pair(pair: tuple, st: SpikeTrains) -> list[_Piece]:
    times, rates = pair
    r = as_float_array("intensity[1] (rates)", rates)
    per_train = r.ndim == 2
    if per_train and r.shape[0] != st.n_trains:
        fail("intensity[1] (rates)", f"of shape (n_times,) or (n_trains, n_times) = ({st.n_trains}, n_times)", rates,
             got=f"an array of shape {r.shape}")
    edges, values = piecewise_pair("intensity", (times, r.T if per_train else r))
    out = []
    for i in range(st.n_trains):
        lo, hi = float(st.t_start[i]), float(st.t_stop[i])
        check_covers("intensity", edges, lo, hi, f"train {i}")
        a = max(int(np.searchsorted(edges, lo, side="right")) - 1, 0)
        b = min(int(np.searchsorted(edges, hi, side="left")), edges.size - 1)
        e = edges[a:b + 1].copy()
        e[0], e[-1] = lo, hi
        v = values[a:b, i] if per_train else values[a:b]
        out.append(_Piece(e, v, np.asarray(st[i])))
    return out


def _pieces_from_array(rates: Any, st: SpikeTrains, bin_size: float) -> list[_Piece]:
    r = as_float_array("intensity", rates)
    if r.ndim == 1:
        r = np.broadcast_to(r, (st.n_trains, r.size))
    if r.ndim != 2 or r.shape[0] != st.n_trains:
        fail("intensity", f"an array of rates of shape (n_bins,) or ({st.n_trains}, n_bins)", rates,
             got=f"an array of shape {r.shape}")
    out = []
    for i in range(st.n_trains):
        lo, hi = float(st.t_start[i]), float(st.t_stop[i])
        edges = lo + np.arange(r.shape[1] + 1) * bin_size
        if edges[-1] < hi - 1e-9:
            fail("intensity", f"long enough to cover train {i} ([{lo:g}, {hi:g}] s in bins of {bin_size:g} s)",
                 rates, got=f"{r.shape[1]} bins, up to {edges[-1]:g} s")
        n = int(np.searchsorted(edges, hi - 1e-9, side="left"))
        e = edges[:n + 1].copy()
        e[-1] = hi
        out.append(_Piece(e, r[i, :n], np.asarray(st[i]), bin_size))
    return out


def _pieces_from_callable(func: Callable, st: SpikeTrains, step: float) -> list[_Piece]:
    out = []
    for i in range(st.n_trains):
        lo, hi = float(st.t_start[i]), float(st.t_stop[i])
        n = max(int(np.ceil((hi - lo) / step - 1e-9)), 1)
        edges = np.minimum(lo + np.arange(n + 1) * step, hi)
        mid = 0.5 * (edges[:-1] + edges[1:])
        try:
            values = np.asarray(func(mid), dtype=float)
        except Exception as exc:
            raise ValidationError(f"`intensity` must be a callable of an array of times (s) returning rates "
                                  f"(Hz); calling it failed ({type(exc).__name__}: {exc}).") from None
        if values.shape != mid.shape:
            values = np.broadcast_to(values, mid.shape) if values.ndim == 0 else values
            if values.shape != mid.shape:
                fail("intensity", "a callable returning one rate per time", func,
                     got=f"an output of shape {values.shape} for {mid.size} times")
        out.append(_Piece(edges, values, np.asarray(st[i])))
    return out


def _rescaled_intervals(piece: _Piece, corrected: bool, gen: np.random.Generator) -> np.ndarray:
    """Rescaled intervals of one train (with the correction: between bins holding spikes)."""
    spikes = piece.spikes
    if spikes.size < 2:
        return np.empty(0)
    q = piece.rates * np.diff(piece.edges)
    cum = np.r_[0.0, np.cumsum(q)]
    if not corrected:
        lam = np.interp(spikes, piece.edges, cum)
        return np.diff(lam)
    bins = piece.bins()
    bins = bins[np.r_[True, np.diff(bins) > 0]]
    r = gen.random(bins.size)
    delta = -np.log1p(-r * -np.expm1(-q[bins]))
    between = cum[bins[1:]] - cum[bins[:-1] + 1]
    return between + delta[1:]


def _gaussian_acf(z: np.ndarray, train: np.ndarray, max_lag: int) -> np.ndarray:
    """Autocorrelation of ``Phi^-1(z)`` at lags ``1 .. max_lag``, over pairs within one train."""
    from scipy import special

    g = special.ndtri(np.clip(z, 1e-15, 1.0 - 1e-15))
    g = g - g.mean()
    denom = float(g @ g)
    out = np.full(max_lag, np.nan)
    if denom == 0.0:
        return out
    for k in range(1, max_lag + 1):
        if k >= g.size:
            break
        same = train[k:] == train[:-k]
        out[k - 1] = float(g[k:][same] @ g[:-k][same]) / denom
    return out


def time_rescaling_test(st: Any, intensity: Any, *, bin_size: float | None = None, correction: bool | None = None,
                        max_lag: int = 20, stimulus: Any = None, rng: RNGLike = None) -> TimeRescalingResult:
    """Time-rescaling Kolmogorov-Smirnov test of a conditional intensity (Brown et al. 2002).

    Parameters
    ----------
    st : SpikeTrains or array_like
        Spike trains (s). Intervals between consecutive spikes of each train
        are rescaled and pooled over trains (the interval before a train's
        first spike is not used, as in Brown et al.).
    intensity : fitted model, (times, rates) pair, array or callable
        * a fitted :class:`~spikestats.glm.HistoryGLM` (or any object with a
          ``conditional_intensity(st)`` method): its conditional intensity on
          ``st``, at its bin size, for the unit it was fitted to (``st``'s
          trains of that unit are tested);
        * a ``(times, rates)`` pair read as piecewise constant from each time
          to the next (rates in Hz; ``rates`` of shape ``(n_times,)`` shared by
          every train, or ``(n_trains, n_times)``; see
          :func:`~spikestats.glm.design_matrix` for the end of the last piece);
        * an array of rates (Hz) per bin of ``bin_size`` from each train's
          ``t_start``, shape ``(n_bins,)`` or ``(n_trains, n_bins)``;
        * a callable of an array of times (s) returning rates (Hz), integrated
          by the midpoint rule on a grid of ``bin_size`` (default 0.1 ms).
    bin_size : float, optional
        Bin width (s) of an array intensity (required), or the integration
        step for a callable.
    correction : bool, optional
        Apply the discrete-time correction (module notes), treating each
        piece as a bin whose spike time is known only to lie in it. Default:
        True for binned intensities (a fitted model, a pair, an array of rates
        per bin), False for a callable. The corrected test is exact whether
        the spikes are quantised to bins or not (it tests the indicator of a
        spike per piece); with ``False`` a piecewise-constant rate is
        integrated exactly between the spike times, which uses every spike
        and its exact time: choose it for a rate defined in continuous time
        (coarse pieces holding several spikes each) with exact spike times.
    max_lag : int, default 20
        Largest lag of the autocorrelation.
    stimulus : optional
        The stimulus of a fitted model that has one (passed to its
        ``conditional_intensity``).
    rng : int, Generator or anything ``np.random.default_rng`` accepts
        Source of the uniform draws of the correction.

    Returns
    -------
    TimeRescalingResult

    Warns
    -----
    DataWarning
        When the correction leaves out more than half of the spikes (pieces
        holding several spikes each).
    """
    if hasattr(intensity, "conditional_intensity"):
        st = as_spiketrains(st)
        pieces = _pieces_from_model(intensity, st, stimulus)
        binned = True
    else:
        st = as_spiketrains(st)
        if isinstance(intensity, tuple):
            pieces = _pieces_from_pair(intensity, st)
            binned = True
        elif callable(intensity):
            step = CALLABLE_STEP if bin_size is None else check_scalar("bin_size", bin_size, positive=True)
            pieces = _pieces_from_callable(intensity, st, step)
            binned = False
        else:
            if bin_size is None:
                fail("bin_size", "given (s) when `intensity` is an array of rates per bin", bin_size)
            pieces = _pieces_from_array(intensity, st, check_scalar("bin_size", bin_size, positive=True))
            binned = True
    corrected = binned if correction is None else check_bool("correction", correction)
    max_lag = check_scalar("max_lag", max_lag, integer=True, minimum=1)
    gen = check_rng(rng)
    for piece in pieces:
        if piece.rates.size and (not np.all(np.isfinite(piece.rates)) or piece.rates.min() < 0):
            fail("intensity", "finite and >= 0 (rates in Hz)", intensity,
                 got=f"rates from {piece.rates.min():g} to {piece.rates.max():g} Hz")
    parts, trains = [], []
    for i, piece in enumerate(pieces):
        tau = _rescaled_intervals(piece, corrected, gen)
        parts.append(tau)
        trains.append(np.full(tau.size, i, dtype=np.int64))
    used = sum(p.size + (1 if p.size else 0) for p in parts)
    n_spikes = sum(piece.spikes.size for piece in pieces if piece.spikes.size > 1)
    if corrected and n_spikes and used < 0.5 * n_spikes:
        warnings.warn(f"The discrete-time correction used {used} of {n_spikes} spikes: the intensity's pieces hold "
                      "several spikes each and the correction counts one per piece. For a rate defined in "
                      "continuous time with exact spike times, pass correction=False.", DataWarning, stacklevel=2)
    tau = np.concatenate(parts)
    train = np.concatenate(trains)
    n = int(tau.size)
    if n == 0:
        fail("st", "trains with at least two spikes (one rescaled interval)", st)
    from scipy import stats

    z = -np.expm1(-tau)
    ks = stats.kstest(z, "uniform")
    return TimeRescalingResult(statistic=float(ks.statistic), pvalue=float(ks.pvalue), rescaled=z, intervals=tau,
                               train=train, n=n, ks_band=1.36 / np.sqrt(n),
                               autocorrelation=_gaussian_acf(z, train, max_lag), acf_band=1.96 / np.sqrt(n),
                               corrected=corrected)
