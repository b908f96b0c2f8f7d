"""Temporal basis functions for GLM filters: raised cosines, B-splines, exponentials and FIR.

A filter of lag ``t`` (seconds) is written ``h(t) = sum_j w_j b_j(t)``; the GLM
estimates the weights ``w``. Every basis evaluates its functions on any grid of
lags (:meth:`evaluate`) and samples them at the lags a design matrix of bin
width ``bin_size`` uses (:meth:`sample`): spike history at ``k * bin_size`` for
``k = 1 .. n_lags`` (a spike ``k`` bins before the current bin; the bin's own
spike is never part of its history), a stimulus at ``k = 0 .. n_lags - 1``
(lag 0 is the same bin). ``n_lags = floor(t_max / bin_size)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._validation import as_float_array, check_bool, check_scalar, fail

__all__ = ["Basis", "RaisedCosineBasis", "BSplineBasis", "ExponentialBasis", "FIRBasis", "n_lags"]


def n_lags(t_max: float, bin_size: float, name: str = "bin_size") -> int:
    """Number of whole bins of ``bin_size`` in a filter of length ``t_max``; an error when there is none."""
    n = int(n_whole_bins(t_max, bin_size))
    if n < 1:
        fail(name, f"<= the filter length t_max = {t_max} s (the basis would have no lag)", bin_size,
             "Use a smaller bin size or a basis with a longer `t_max`.")
    return n


class Basis:
    """Common interface of the bases: ``n_basis``, ``t_max``, :meth:`evaluate`, :meth:`sample`, :meth:`plot`.

    Subclasses define ``_values(t)`` on a float64 1-d array of lags and set
    ``n_basis`` and ``t_max``. Every function is 0 for ``t < 0`` and
    ``t > t_max``.
    """

    n_basis: int
    t_max: float

    def _values(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def evaluate(self, t: Any) -> np.ndarray:
        """Basis functions at lags ``t``.

        Parameters
        ----------
        t : array_like of float, shape (n_t,)
            Lags in seconds (any grid; values outside ``[0, t_max]`` give 0).

        Returns
        -------
        numpy.ndarray of float64, shape (n_t, n_basis)
        """
        lag = np.atleast_1d(as_float_array("t", t))
        if lag.ndim != 1:
            fail("t", "a 1-d array of lags (s)", t, got=f"an array of shape {lag.shape}")
        out = np.zeros((lag.size, self.n_basis))
        inside = (lag >= 0.0) & (lag <= self.t_max)
        out[inside] = self._values(lag[inside])
        return out

    def lags(self, bin_size: float, *, causal: bool = True) -> np.ndarray:
        """Lags (s) at which a design of bin width ``bin_size`` samples the basis.

        ``causal=True`` (spike history and coupling): ``k * bin_size`` for
        ``k = 1 .. n_lags``; ``False`` (stimulus): ``k = 0 .. n_lags - 1``.
        """
        bin_size = check_scalar("bin_size", bin_size, positive=True)
        n = n_lags(self.t_max, bin_size)
        k = np.arange(1, n + 1) if causal else np.arange(n)
        return k * bin_size

    def sample(self, bin_size: float, *, causal: bool = True) -> np.ndarray:
        """The basis at :meth:`lags`: float64 C-contiguous ``(n_lags, n_basis)``."""
        return np.ascontiguousarray(self.evaluate(self.lags(bin_size, causal=causal)))

    def plot(self, ax: Any = None, *, n_points: int = 500) -> Any:
        """Each basis function against lag (ms); returns the matplotlib Axes."""
        from spikestats.plotting.glm import basis_plot

        t = np.linspace(0.0, self.t_max, n_points)
        return basis_plot(t, self.evaluate(t), ax=ax, title=type(self).__name__)


@dataclass(frozen=True)
class RaisedCosineBasis(Basis):
    """Raised cosine bumps on a warped time axis (Pillow et al. 2008, Nature 454: 995).

    With the warping ``u(t) = log(t + offset)`` (``log=True``) or ``u(t) = t``,
    bump ``j`` is

        b_j(t) = (1 + cos(clip((u(t) - phi_j) * pi / (2 delta), -pi, pi))) / 2,

    with centres ``phi_j = u(first_peak) + j * delta`` equally spaced on the
    warped axis and ``delta`` chosen so that the last bump reaches 0 exactly at
    ``t_max`` (``phi_{n-1} + 2 delta = u(t_max)``). Each bump spans four
    spacings and overlaps three neighbours, as in Pillow's code, so the bumps
    sum to exactly 2 between the second and the second-to-last centre.

    Parameters
    ----------
    n_basis : int, default 8
        Number of bumps.
    t_max : float, default 0.1
        Filter length in seconds; every bump is 0 beyond it.
    log : bool, default True
        Log-spaced bumps: narrow near lag 0 (refractoriness, bursts), wide at
        long lags (slow adaptation). ``False`` spaces them evenly.
    offset : float, optional
        The ``c`` of ``log(t + c)`` in seconds (default ``t_max / 50``): the
        axis is nearly linear for lags well below ``offset``, so the first
        bumps are close to evenly spaced near 0, and logarithmic beyond.
        Ignored when ``log=False``.
    first_peak : float, default 0.0
        Lag (s) of the first centre; 0 puts the first bump's peak at lag 0.
    refractory : float, default 0.0
        Absolute refractory window in seconds (Pillow's ``absref``): when > 0,
        the bumps are set to 0 for lags ``< refractory`` and one more
        function, the indicator of ``[0, refractory)``, is appended (so
        ``n_basis`` counts it).
    """

    n_basis: int = 8
    t_max: float = 0.1
    log: bool = True
    offset: float | None = None
    first_peak: float = 0.0
    refractory: float = 0.0

    def __post_init__(self) -> None:
        n = check_scalar("n_basis", self.n_basis, integer=True, minimum=1)
        t_max = check_scalar("t_max", self.t_max, positive=True)
        check_bool("log", self.log)
        first = check_scalar("first_peak", self.first_peak, nonnegative=True)
        if not first < t_max:
            fail("first_peak", f"< t_max = {t_max} s", self.first_peak)
        offset = t_max / 50.0 if self.offset is None else check_scalar("offset", self.offset, positive=True)
        ref = check_scalar("refractory", self.refractory, nonnegative=True)
        if not ref < t_max:
            fail("refractory", f"< t_max = {t_max} s", self.refractory)
        if ref > 0 and n < 2:
            fail("n_basis", ">= 2 with a refractory window (one function is the refractory indicator)", n)
        object.__setattr__(self, "n_basis", n)
        object.__setattr__(self, "t_max", t_max)
        object.__setattr__(self, "first_peak", first)
        object.__setattr__(self, "refractory", ref)
        object.__setattr__(self, "_c", offset)

    @property
    def n_bumps(self) -> int:
        """Number of cosine bumps (``n_basis`` minus the refractory indicator, if any)."""
        return self.n_basis - (1 if self.refractory > 0 else 0)

    def _warp(self, t: np.ndarray | float) -> np.ndarray | float:
        return np.log(np.asarray(t) + self._c) if self.log else np.asarray(t, dtype=float)

    def _unwarp(self, u: np.ndarray) -> np.ndarray:
        return np.exp(u) - self._c if self.log else u

    @property
    def spacing(self) -> float:
        """Distance ``delta`` between neighbouring centres on the warped axis."""
        return float((self._warp(self.t_max) - self._warp(self.first_peak)) / (self.n_bumps + 1))

    @property
    def centers(self) -> np.ndarray:
        """Lags (s) of the bump peaks, shape ``(n_bumps,)``."""
        u0 = float(self._warp(self.first_peak))
        return self._unwarp(u0 + self.spacing * np.arange(self.n_bumps))

    def _values(self, t: np.ndarray) -> np.ndarray:
        delta = self.spacing
        phi = self._warp(self.first_peak) + delta * np.arange(self.n_bumps)
        arg = np.clip((self._warp(t)[:, None] - phi[None, :]) * (math.pi / (2.0 * delta)), -math.pi, math.pi)
        bumps = 0.5 * (1.0 + np.cos(arg))
        if self.refractory <= 0:
            return bumps
        inside = t < self.refractory
        bumps[inside] = 0.0
        return np.column_stack([inside.astype(float), bumps])


@dataclass(frozen=True)
class BSplineBasis(Basis):
    """B-splines of degree ``degree`` on ``[0, t_max]`` with evenly spaced, clamped knots.

    Knots: ``degree + 1`` at 0, ``n_basis - degree - 1`` interior knots evenly
    spaced, ``degree + 1`` at ``t_max`` (de Boor 1978). The functions are
    non-negative and sum to 1 on ``[0, t_max]``.

    Parameters
    ----------
    n_basis : int, default 8
        Number of splines (``>= degree + 1``).
    t_max : float, default 0.1
        Filter length in seconds.
    degree : int, default 3
        Polynomial degree (3: cubic).
    """

    n_basis: int = 8
    t_max: float = 0.1
    degree: int = 3

    def __post_init__(self) -> None:
        k = check_scalar("degree", self.degree, integer=True, nonnegative=True)
        n = check_scalar("n_basis", self.n_basis, integer=True, minimum=k + 1)
        object.__setattr__(self, "degree", k)
        object.__setattr__(self, "n_basis", n)
        object.__setattr__(self, "t_max", check_scalar("t_max", self.t_max, positive=True))

    @property
    def knots(self) -> np.ndarray:
        """Full knot vector (s), length ``n_basis + degree + 1``."""
        inner = np.linspace(0.0, self.t_max, self.n_basis - self.degree + 1)
        return np.r_[np.zeros(self.degree), inner, np.full(self.degree, self.t_max)]

    def _values(self, t: np.ndarray) -> np.ndarray:
        from scipy.interpolate import BSpline

        spline = BSpline(self.knots, np.eye(self.n_basis), self.degree, extrapolate=False)
        out = spline(t)
        # the right end t_max belongs to the last interval (BSpline leaves it NaN without extrapolation)
        out[t >= self.t_max] = np.eye(self.n_basis)[-1]
        return np.nan_to_num(out, nan=0.0)


@dataclass(frozen=True)
class ExponentialBasis(Basis):
    """Decaying exponentials ``b_j(t) = exp(-t / tau_j)`` for ``0 <= t <= t_max``.

    Each function is the impulse response of a first-order synapse (a current
    with time constant ``tau_j``), which is how the bridge exports a filter in
    this basis to neuromorphic hardware.

    Parameters
    ----------
    taus : sequence of float
        Time constants in seconds (> 0, distinct).
    t_max : float, optional
        Truncation lag in seconds; default ``5 * max(taus)`` (where the slowest
        function has decayed to ``exp(-5) ~ 0.7 %``).
    """

    taus: Any = (0.002, 0.01, 0.05)
    t_max: float | None = None

    def __post_init__(self) -> None:
        taus = np.atleast_1d(as_float_array("taus", self.taus))
        if taus.ndim != 1 or taus.size == 0 or np.any(taus <= 0):
            fail("taus", "a non-empty 1-d sequence of time constants > 0 (s)", self.taus)
        if np.unique(taus).size != taus.size:
            fail("taus", "distinct (two equal time constants give identical columns)", self.taus)
        t_max = 5.0 * float(taus.max()) if self.t_max is None else check_scalar("t_max", self.t_max, positive=True)
        object.__setattr__(self, "taus", tuple(float(x) for x in taus))
        object.__setattr__(self, "t_max", t_max)

    @property
    def n_basis(self) -> int:  # type: ignore[override]
        """Number of exponentials."""
        return len(self.taus)

    def _values(self, t: np.ndarray) -> np.ndarray:
        return np.exp(-t[:, None] / np.asarray(self.taus)[None, :])


@dataclass(frozen=True)
class FIRBasis(Basis):
    """Finite impulse response: one indicator per lag bin.

    Function ``j`` is 1 on ``(j * w, (j + 1) * w]`` with ``w = t_max / n_basis``
    (and function 0 also at lag 0). With a design whose ``bin_size`` equals
    ``w``, spike history ``k`` bins back loads only on function ``k - 1``: the
    unconstrained lag-by-lag filter.

    Parameters
    ----------
    n_basis : int, default 10
        Number of lag bins.
    t_max : float, default 0.01
        Filter length in seconds.
    """

    n_basis: int = 10
    t_max: float = 0.01

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_basis", check_scalar("n_basis", self.n_basis, integer=True, minimum=1))
        object.__setattr__(self, "t_max", check_scalar("t_max", self.t_max, positive=True))

    @property
    def width(self) -> float:
        """Width of one lag bin in seconds."""
        return self.t_max / self.n_basis

    def _values(self, t: np.ndarray) -> np.ndarray:
        x = t / self.width
        # ceil(x) - 1 with the bin-edge tolerance, so that k * width lands in function k - 1
        j = np.ceil(x - 1e-9 - 8 * np.finfo(float).eps * x).astype(np.int64) - 1
        j = np.clip(j, 0, self.n_basis - 1)
        out = np.zeros((t.size, self.n_basis))
        out[np.arange(t.size), j] = 1.0
        return out
