"""Kernel estimates of the firing rate, with fixed, optimal or locally adaptive bandwidths."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._validation import check_bool, check_option, check_scalar, fail
from spikestats.exceptions import ValidationTypeError
from spikestats.stats._bandwidth import adaptive_widths, fixed_widths, selection_grid
from spikestats.stats._window import rate_trains

#: Kernel shapes; ``bandwidth`` is always the kernel's standard deviation.
KERNELS = ("gaussian", "exponential", "alpha", "epanechnikov", "triangular", "boxcar")
#: Evaluation methods of a fixed-bandwidth Gaussian rate (see :func:`kernel_rate`).
METHODS = ("auto", "direct", "fft")
#: Fourier coefficients are kept while ``2 pi^2 h^2 f^2 <= FOURIER_EXPONENT`` (the Gaussian's transform >= e^-50).
FOURIER_EXPONENT = 50.0
#: Trains transformed together in one batch of the Fourier path.
FFT_CHUNK = 64
#: Kernels that are one-sided (zero before the spike) by construction.
CAUSAL_KERNELS = ("exponential", "alpha")

#: Support of each kernel in units of its standard deviation, ``(lo, hi)`` for ``u = t - s``:
#: compact kernels exactly; the Gaussian to 8 SD (mass outside ~1e-15); the exponential
#: to 37 SD (e^-37 ~ 1e-16); the alpha kernel to 30 SD (tail (1 + x) e^-x < 1e-16, x = u/tau).
SUPPORT = {"gaussian": (-8.0, 8.0), "exponential": (0.0, 37.0), "alpha": (0.0, 30.0),
           "epanechnikov": (-math.sqrt(5.0), math.sqrt(5.0)), "triangular": (-math.sqrt(6.0), math.sqrt(6.0)),
           "boxcar": (-math.sqrt(3.0), math.sqrt(3.0))}


@dataclass(frozen=True, eq=False)
class KernelRate:
    """Kernel rate estimates of several trains on one time grid.

    Attributes
    ----------
    times : numpy.ndarray of float64, shape (n_times,)
        Evaluation times (s): ``t_start + i * sampling_period``.
    rates : numpy.ndarray of float64, shape (n_trains, n_times)
        Rate of each train (Hz).
    bandwidth : numpy.ndarray of float64, shape (n_trains,) or (n_trains, n_times)
        Kernel standard deviation used (s): one per train for a fixed
        bandwidth, one per train and time for ``bandwidth="adaptive"``.
    kernel : str
        Kernel shape.
    causal : bool
        Whether the kernel is one-sided (the rate at ``t`` uses spikes up to ``t`` only).
    method : str
        ``"fixed"`` (given), ``"auto"`` (optimal fixed) or ``"adaptive"``.
    edge_corrected : bool
        Whether rates were divided by the kernel mass inside the window.
    evaluation : str
        How the rates were evaluated: ``"direct"`` (sums over the spikes at
        each grid point), ``"fft"`` (Fourier series; see :func:`kernel_rate`)
        or ``"direct+fft"`` (some trains each way).
    """

    times: np.ndarray
    rates: np.ndarray
    bandwidth: np.ndarray
    kernel: str
    causal: bool
    method: str
    edge_corrected: bool
    evaluation: str = "direct"

    @property
    def n_trains(self) -> int:
        """Number of trains."""
        return int(self.rates.shape[0])

    @property
    def sampling_period(self) -> float:
        """Spacing of :attr:`times` (s)."""
        return float(self.times[1] - self.times[0]) if self.times.size > 1 else float("nan")

    @property
    def mean_rate(self) -> np.ndarray:
        """Rate averaged over trains at each time (Hz), ``(n_times,)``."""
        return self.rates.mean(axis=0)

    def __repr__(self) -> str:
        bw = self.bandwidth
        span = (f"{np.nanmin(bw):.4g}" if np.nanmin(bw) == np.nanmax(bw) else
                f"{np.nanmin(bw):.4g}..{np.nanmax(bw):.4g}") if np.any(np.isfinite(bw)) else "nan"
        return (f"KernelRate(n_trains={self.n_trains}, n_times={self.times.size}, "
                f"window=[{self.times[0]:.6g}, {self.times[-1]:.6g}] s, kernel={self.kernel!r}"
                f"{', causal' if self.causal and self.kernel not in CAUSAL_KERNELS else ''}, "
                f"method={self.method!r}, bandwidth={span} s, edge_corrected={self.edge_corrected}, "
                f"evaluation={self.evaluation!r})")


def _corrected(rate: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """``rate / mass``; NaN where the kernel has no mass in the window (a causal kernel at ``t_start``)."""
    out = np.full(rate.shape, np.nan)
    np.divide(rate, mass, out=out, where=mass > 0)
    return out


def _support(kernel: str, causal: bool, cutoff: float | None) -> tuple[float, float]:
    lo, hi = SUPPORT[kernel]
    if causal:
        lo = 0.0
    if cutoff is not None:
        lo, hi = max(lo, -cutoff), min(hi, cutoff)
    return lo, hi


def _bandwidth_mode(bandwidth: Any) -> str | float:
    if isinstance(bandwidth, str):
        return check_option("bandwidth", bandwidth, ("auto", "adaptive"))
    if isinstance(bandwidth, (bool, np.bool_)) or not isinstance(bandwidth, (int, float, np.integer, np.floating)):
        fail("bandwidth", "a positive number of seconds, 'auto' or 'adaptive'", bandwidth, kind=ValidationTypeError)
    return check_scalar("bandwidth", bandwidth, positive=True)


def kernel_rate(st: Any, bandwidth: float | str = "auto", kernel: str = "gaussian", *,
                sampling_period: float = 0.001, t_start: float | None = None, t_stop: float | None = None,
                causal: bool = False, edge_correction: bool = False, per_train: bool = False,
                cutoff: float | None = None, method: str = "auto", parallel: bool = True) -> KernelRate:
    """Kernel estimate of the firing rate of each train on a regular time grid.

    ``rate(t) = sum_s k(t - s)`` over the train's spikes ``s`` in the window,
    with a kernel ``k`` of unit mass, so the rate is in Hz and integrates to
    the spike count (away from the window's ends, or everywhere with
    ``edge_correction``).

    Parameters
    ----------
    st : SpikeTrains, or array_like of float (one train, seconds), or a list of them
        The trains.
    bandwidth : float or {"auto", "adaptive"}, default "auto"
        The kernel's standard deviation in seconds (as Elephant's kernel
        ``sigma``; for the exponential kernel it equals the time constant, for
        the alpha kernel it is ``sqrt(2) tau``). ``"auto"``: the optimal
        fixed bandwidth of Shimazaki & Shinomoto (2010) (see
        :func:`optimal_bandwidth`). ``"adaptive"``: their locally adaptive
        bandwidth (``ssvkernel``; see Notes). Both need the Gaussian kernel.
    kernel : {"gaussian", "exponential", "alpha", "epanechnikov", "triangular", "boxcar"}
        Kernel shape. Exponential ``exp(-u/tau)/tau`` and alpha
        ``u exp(-u/tau)/tau^2`` are causal by nature (zero before the spike).
    sampling_period : float, default 0.001
        Spacing of the output grid (s).
    t_start, t_stop : float, optional
        Window (s), inside the window common to all trains (its default).
        Only spikes in the window count. The grid is ``t_start + i *
        sampling_period`` for the whole periods in the window (``t_stop``
        itself is not a grid point), as Elephant's ``instantaneous_rate``.
    causal : bool, default False
        For the symmetric kernels (Gaussian, Epanechnikov, triangular,
        boxcar): keep only the half after the spike, doubled to unit mass (its
        standard deviation is then no longer ``bandwidth``; ``bandwidth`` keeps
        naming the symmetric parent's). Ignored by exponential and alpha.
    edge_correction : bool, default False
        Divide the rate at ``t`` by the kernel's mass inside the window,
        ``int_{t_start}^{t_stop} k(t - s) ds``, so a constant rate is not
        biased down near the ends (Elephant's ``border_correction`` applies
        the same factor, Gaussian only, and then rescales each train so the
        grid mean times the duration equals its spike count; that second step
        is not done here). A causal kernel has no mass in the window at
        ``t_start``: the corrected rate is NaN there, and it amplifies the
        few spikes just after ``t_start`` (mass near 0) at the first samples.
    per_train : bool, default False
        With ``"auto"``/``"adaptive"``: select a bandwidth for each train
        (Elephant's ``kernel='auto'`` on one train) rather than one from all
        spikes pooled (the default, the paper's estimate for n trials).
    cutoff : float, optional
        Truncate the kernel at ``cutoff`` standard deviations (Elephant's
        ``cutoff``, default 5 there). By default kernels are evaluated on
        their whole support, or where the mass left out is below about 1e-15.
    method : {"auto", "direct", "fft"}, default "auto"
        How a Gaussian (not causal, not truncated by ``cutoff``) rate with a
        fixed or ``"auto"`` bandwidth is evaluated; both give the same rates
        to about 1e-12 relative. ``"direct"``: the kernel summed over the
        spikes at every grid point of its support (work ``n_spikes * 16 h /
        sampling_period``, large for wide kernels). ``"fft"``: the rate is the
        Fourier series of the spikes smoothed by the Gaussian, computed from
        the exact spike times (no binning): with a period ``P`` of at least
        the window plus 8 SD, ``rate(t) = (1/P) sum_j G(f_j) X(f_j) e^(2 pi i
        f_j (t - t_start))``, ``f_j = j / P``, ``X(f) = sum_s e^(-2 pi i f (s -
        t_start))`` and ``G(f) = exp(-2 pi^2 h^2 f^2)`` the Gaussian's
        transform, summed while ``2 pi^2 h^2 f^2 <= 50`` and evaluated on the
        grid by one inverse real FFT per train (work ``n_spikes * n_freq +
        n_fft log n_fft``, ``n_freq ~ 1.6 P / h``). Periodic images lie 8 SD
        or more away (as the direct path's 8-SD support); it needs ``h`` of at
        least about 3.2 sampling periods (else the direct path is used).
        ``"auto"``: per train, the path of less estimated work. Other kernels,
        causal kernels, a ``cutoff`` and the adaptive bandwidth always use
        the direct path.
    parallel : bool, default True
        Evaluate trains on several threads (identical result).

    Returns
    -------
    KernelRate
        ``times`` (n_times,), ``rates`` (n_trains, n_times) in Hz,
        ``bandwidth`` used, and the settings.

    Raises
    ------
    ValidationError
        Non-positive or non-finite ``bandwidth``, ``sampling_period`` or
        ``cutoff``; an unknown kernel (with a suggestion); a window outside
        the trains' common window or shorter than one sampling period; fewer
        than 2 spikes when a pooled bandwidth is selected.

    Notes
    -----
    Trains without spikes get a rate of 0 for a given bandwidth. With
    ``per_train=True`` a train of fewer than 2 spikes has no selectable
    bandwidth: its bandwidth and rate are NaN, with a
    :class:`~spikestats.exceptions.DataWarning`.

    The adaptive method (Shimazaki & Shinomoto 2010, sec. 2.3) works on the
    selection histogram of :func:`optimal_bandwidth`: for 80 candidate
    bandwidths ``w`` (log-spaced from 5 bins to the window) it forms the local
    cost integrand ``yhat_w^2 - 2 yhat_w y + 2 k_w(0) y``, averages it over
    local boxcar windows ``W`` of the same 80 sizes, and keeps the best ``w``
    per point and window; a stiffness ``gamma`` in (0, 1) ties the window to
    the bandwidth (``w = gamma W``), the resulting bandwidths are smoothed,
    and ``gamma`` minimises the global cost of the resulting balloon
    estimator. The rate is the Gaussian balloon estimate with bandwidth
    ``w(t)`` at each output time (interpolated from the histogram's bin
    centres), computed from the exact spike times.

    References
    ----------
    H. Shimazaki and S. Shinomoto (2010). Kernel bandwidth optimization in
    spike rate estimation. J. Comput. Neurosci. 29:171-182.
    """
    kernel = check_option("kernel", kernel, KERNELS)
    mode = _bandwidth_mode(bandwidth)
    causal = check_bool("causal", causal) or kernel in CAUSAL_KERNELS
    edge_correction = check_bool("edge_correction", edge_correction)
    per_train = check_bool("per_train", per_train)
    parallel = check_bool("parallel", parallel)
    method = check_option("method", method, METHODS)
    sampling_period = check_scalar("sampling_period", sampling_period, positive=True)
    if cutoff is not None:
        cutoff = check_scalar("cutoff", cutoff, positive=True)
    if isinstance(mode, str) and (kernel != "gaussian" or causal):
        fail("kernel", f"'gaussian' (not causal) with bandwidth={mode!r}", kernel,
             got=f"{kernel!r}{' (causal)' if causal else ''}",
             fix="The Shimazaki-Shinomoto cost is derived for the Gaussian kernel; select a bandwidth with "
                 "optimal_bandwidth(st) and pass it as a number to use another kernel.")
    if method == "fft" and (kernel != "gaussian" or causal or mode == "adaptive" or cutoff is not None):
        fail("method", "'direct' or 'auto' for this kernel", method,
             fix="The Fourier path is for the Gaussian kernel (not causal, no cutoff) with a fixed or 'auto' "
                 "bandwidth.")
    trains, lo, hi = rate_trains(st, t_start, t_stop)
    n_times = int(n_whole_bins(hi - lo, sampling_period))
    if n_times < 1:
        fail("sampling_period", f"<= the window length {hi - lo} s", sampling_period)
    window = trains.restrict(lo, hi)
    times = lo + np.arange(n_times) * sampling_period
    if mode == "adaptive":
        return _adaptive(window, lo, hi, sampling_period, times, per_train, edge_correction)
    if mode == "auto":
        widths = fixed_widths(selection_grid(window, lo, hi), per_train)
        h = widths if per_train else np.full(window.n_trains, widths[0])
    else:
        h = np.full(window.n_trains, mode)
    from spikestats._kernels.kernel_rate import KERNEL_CODES, kernel_rates, kernel_rates_parallel, window_masses

    code = KERNEL_CODES[kernel]
    s_lo, s_hi = _support(kernel, causal, cutoff)
    ok = np.isfinite(h)
    fourier = np.zeros(window.n_trains, dtype=bool)
    if kernel == "gaussian" and not causal and cutoff is None and method != "direct":
        hw = np.where(ok, h, np.inf)
        n_fft = _period_points(n_times, sampling_period, hw)  # per train (before rounding up to a fast length)
        n_freq = _n_frequencies(n_fft, sampling_period, hw)
        fourier = ok & (2 * n_freq <= n_fft)
        if method == "auto":
            n_spikes = np.diff(window.offsets)
            direct_work = n_spikes * np.minimum(16.0 * h / sampling_period, n_times)
            with np.errstate(invalid="ignore"):
                fourier &= n_spikes * n_freq + 5.0 * n_fft * np.log2(n_fft) < direct_work
    direct = ok & ~fourier
    rates = np.empty((window.n_trains, n_times))
    rates[~ok] = np.nan
    if direct.any():
        fn = kernel_rates_parallel if parallel else kernel_rates
        rows = np.flatnonzero(direct)
        if rows.size == window.n_trains:
            rates = fn(window.times, window.offsets, lo, sampling_period, n_times, h, code, causal, s_lo, s_hi)
        else:
            sub = window[rows]
            rates[rows] = fn(sub.times, sub.offsets, lo, sampling_period, n_times, h[rows], code, causal, s_lo,
                             s_hi)
    if fourier.any():
        rows = np.flatnonzero(fourier)
        _fourier_gaussian(window, rows, lo, sampling_period, h[rows], parallel, rates)
    if edge_correction:
        for i in np.flatnonzero(ok):
            rates[i] = _corrected(rates[i], window_masses(code, times, lo, hi, np.full(n_times, h[i]), causal))
    evaluation = "+".join(name for name, used in (("direct", direct.any()), ("fft", fourier.any())) if used)
    return KernelRate(times, rates, h, kernel, causal, "fixed" if isinstance(mode, float) else "auto",
                      edge_correction, evaluation or "direct")


def _period_points(n_times: int, dt: float, h: np.ndarray) -> np.ndarray:
    """Grid points in a period of the Fourier path: the window plus 8 SD, so periodic images are 8 SD away."""
    return n_times + 1 + np.ceil(SUPPORT["gaussian"][1] * h / dt)


def _n_frequencies(n_fft: Any, dt: float, h: np.ndarray) -> np.ndarray:
    """Fourier terms kept for period ``n_fft * dt``: ``f_j = j / P`` with ``2 pi^2 h^2 f_j^2 <= FOURIER_EXPONENT``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.floor(n_fft * dt * math.sqrt(FOURIER_EXPONENT / (2.0 * math.pi ** 2)) / h) + 1


def _fourier_gaussian(window: Any, rows: np.ndarray, lo: float, dt: float, h: np.ndarray, parallel: bool,
                      out: np.ndarray) -> None:
    """Gaussian rates of the trains ``rows`` into ``out[rows]`` by Fourier series (see :func:`kernel_rate`)."""
    from scipy.fft import irfft, next_fast_len

    from spikestats._kernels.kernel_rate import spike_spectra

    n_times = out.shape[1]
    order = np.argsort(h, kind="stable")[::-1]  # narrow kernels need the most frequencies: batch alike widths
    for chunk in np.array_split(order, max(1, math.ceil(rows.size / FFT_CHUNK))):
        n_fft = next_fast_len(int(_period_points(n_times, dt, h[chunk]).max()), real=True)
        k = int(_n_frequencies(n_fft, dt, h[chunk]).max())
        x = spike_spectra(window.times, window.offsets, rows[chunk], lo, n_fft * dt, k)
        f2 = (np.arange(k) / (n_fft * dt)) ** 2
        gain = np.exp(-2.0 * math.pi ** 2 * (h[chunk, None] ** 2) * f2[None, :])
        gain[gain < math.exp(-FOURIER_EXPONENT)] = 0.0
        # irfft pads the k coefficients with zeros up to n_fft // 2 + 1
        out[rows[chunk]] = irfft(x * (gain / dt), n_fft, workers=-1 if parallel else 1)[:, :n_times]


def _adaptive(window: Any, lo: float, hi: float, dt: float, times: np.ndarray, per_train: bool,
              edge_correction: bool) -> KernelRate:
    """Balloon estimate with the locally adaptive bandwidths (see :func:`kernel_rate`)."""
    from spikestats._kernels.kernel_rate import GAUSSIAN, balloon_rates, window_masses

    grid = selection_grid(window, lo, hi)
    centres = grid.t_start + (np.arange(grid.n_bins) + 0.5) * grid.dt
    rows = adaptive_widths(grid, per_train)
    h = np.empty((window.n_trains, times.size))
    for i in range(window.n_trains):
        row = rows[i if per_train else 0]
        h[i] = np.interp(times, centres, row) if np.all(np.isfinite(row)) else np.nan
    rates = np.full((window.n_trains, times.size), np.nan)
    for i in range(window.n_trains):
        if not np.all(np.isfinite(h[i])):
            continue
        rates[i] = balloon_rates(window.times, window.offsets[i:i + 2], lo, dt, h[i], 8.0)[0]
        if edge_correction:
            rates[i] = _corrected(rates[i], window_masses(GAUSSIAN, times, lo, hi, h[i], False))
    return KernelRate(times, rates, h, "gaussian", False, "adaptive", edge_correction)
