"""Renewal processes with gamma, inverse-Gaussian and log-normal inter-spike intervals."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from spikestats._kernels.point_processes import (
    GAMMA,
    INVERSE_GAUSSIAN,
    LOGNORMAL,
    renewal_train,
    renewal_trains,
    renewal_trains_parallel,
)
from spikestats._validation import check_bool, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._regions import check_window, draw_key, fill_trains, use_parallel
from spikestats.generators.poisson import PoissonProcess
from spikestats.typing import RNGLike


class _Renewal:
    """What the renewal processes share: the ISI law is given by ``_law() -> (family, p1, p2)``."""

    rate: float
    equilibrium: bool

    def _law(self) -> tuple[int, float, float]:
        raise NotImplementedError(f"{type(self).__name__} must define its ISI law (_law)")

    @property
    def cv(self) -> float:  # overridden by fields where the CV is a parameter
        raise NotImplementedError(f"{type(self).__name__} must define its ISI coefficient of variation (cv)")

    @property
    def mean_isi(self) -> float:
        """Mean inter-spike interval ``1 / rate`` in seconds."""
        return 1.0 / self.rate

    def simulate(self, n_trains: int = 1, t_stop: float = 1.0, *, t_start: float = 0.0,
                 rng: RNGLike = None) -> SpikeTrains:
        n_trains, t_start, t_stop = check_window(n_trains, t_start, t_stop)
        gen = check_rng(rng)
        key = draw_key(gen)
        family, p1, p2 = self._law()
        eq = bool(self.equilibrium)
        starts = np.full(n_trains, t_start)
        stops = np.full(n_trains, t_stop)
        expected = self.rate * (stops - starts)
        spread = max(self.cv, 1.0) * np.sqrt(expected)
        kernel = renewal_trains_parallel if use_parallel(expected) else renewal_trains
        (times,), offsets = fill_trains(
            lambda region, buf: kernel(key, family, p1, p2, eq, starts, stops, region, buf),
            lambda i, out: renewal_train(key, i, family, p1, p2, eq, starts[i], stops[i], out),
            expected, spread)
        truth = {"model": type(self).__name__, **asdict(self)}  # type: ignore[call-overload]
        return SpikeTrains._trusted(times, offsets, starts, stops, np.zeros(n_trains, dtype=np.int64),
                                    np.arange(n_trains, dtype=np.int64), {"ground_truth": truth})

    simulate.__doc__ = PoissonProcess.simulate.__doc__  # same window, labels, rng and ground truth


def _rate(value: float) -> float:
    return check_scalar("rate", value, positive=True)


def _set_cv_or(obj: Any, other: str, cv_of: Callable[[float, float], float],
               other_of: Callable[[float, float], float]) -> None:
    """Validate ``rate``, exactly one of ``cv`` and ``other`` (> 0) and ``equilibrium``; set both alternatives."""
    cls = type(obj).__name__
    cv, value = obj.cv, getattr(obj, other)
    if (cv is None) == (value is None):
        fail(f"cv` or `{other}", "given (exactly one of them)", (cv, value),
             f"Pass {cls}(rate=..., cv=...) or {cls}(rate=..., {other}=...).", got=f"cv={cv!r}, {other}={value!r}")
    rate = _rate(obj.rate)
    if cv is None:
        value = check_scalar(other, value, positive=True)
        cv = cv_of(rate, value)
    else:
        cv = check_scalar("cv", cv, positive=True)
        value = other_of(rate, cv)
    object.__setattr__(obj, "rate", rate)
    object.__setattr__(obj, "cv", cv)
    object.__setattr__(obj, other, value)
    object.__setattr__(obj, "equilibrium", check_bool("equilibrium", obj.equilibrium))


@dataclass(frozen=True)
class GammaProcess(_Renewal):
    """Renewal process with gamma-distributed inter-spike intervals.

    Parameters
    ----------
    rate : float
        Mean firing rate in Hz, > 0 (mean ISI ``1 / rate``).
    shape : float
        Shape ``k`` of the ISI law, > 0: ``Gamma(k, scale=1 / (k * rate))``,
        CV ``1 / sqrt(k)``; ``k = 1`` is Poisson, ``k > 1`` more regular.
    equilibrium : bool, default True
        Start in equilibrium (stationary counts from ``t_start``: the first
        spike follows the forward-recurrence law, drawn as ``U * X`` with ``X``
        length-biased, here ``Gamma(k + 1, scale)``); otherwise start as an
        ordinary renewal process (as if a spike had occurred at ``t_start``).

    Notes
    -----
    Gamma variates by Marsaglia & Tsang (2000). Elephant's
    ``StationaryGammaProcess(rate, shape_factor)`` has the same ISI law and
    also starts in equilibrium.
    """

    rate: float
    shape: float
    equilibrium: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", _rate(self.rate))
        object.__setattr__(self, "shape", check_scalar("shape", self.shape, positive=True))
        object.__setattr__(self, "equilibrium", check_bool("equilibrium", self.equilibrium))

    @property
    def cv(self) -> float:
        """Coefficient of variation of the ISIs, ``1 / sqrt(shape)``."""
        return 1.0 / math.sqrt(self.shape)

    def _law(self) -> tuple[int, float, float]:
        return GAMMA, self.shape, 1.0 / (self.shape * self.rate)


@dataclass(frozen=True)
class InverseGaussianProcess(_Renewal):
    """Renewal process with inverse-Gaussian ISIs (first passage of a drifting random walk).

    Parameters
    ----------
    rate : float
        Mean firing rate in Hz, > 0 (mean ISI ``m = 1 / rate``).
    cv, shape : float
        Give exactly one: the ISI CV, or the shape ``lam`` (seconds) of
        ``IG(m, lam)``; they are related by ``cv**2 = m / lam``. Both are
        set after construction.
    equilibrium : bool, default True
        Stationary start (first spike ``U * X`` with ``X`` length-biased,
        ``1 / IG(1 / m, lam / m**2)``) or ordinary start (see
        :class:`GammaProcess`).

    Notes
    -----
    ``scipy.stats.invgauss(mu=m / lam, scale=lam)`` is the same ISI law.
    Variates by Michael, Schucany & Haas (1976).
    """

    rate: float
    cv: float | None = None  # type: ignore[assignment]
    shape: float | None = None
    equilibrium: bool = True

    def __post_init__(self) -> None:
        _set_cv_or(self, "shape", lambda rate, shape: math.sqrt(1.0 / (rate * shape)),
                   lambda rate, cv: 1.0 / (rate * cv * cv))

    def _law(self) -> tuple[int, float, float]:
        return INVERSE_GAUSSIAN, 1.0 / self.rate, float(self.shape)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LogNormalProcess(_Renewal):
    """Renewal process with log-normal ISIs.

    Parameters
    ----------
    rate : float
        Mean firing rate in Hz, > 0 (mean ISI ``1 / rate``).
    cv, sigma : float
        Give exactly one: the ISI CV, or ``sigma``, the SD of ``log(ISI)``;
        ``cv**2 = exp(sigma**2) - 1``. Both are set after construction.
    equilibrium : bool, default True
        Stationary start (first spike ``U * X`` with ``X`` length-biased,
        ``LogNormal(mu + sigma**2, sigma)``) or ordinary start (see
        :class:`GammaProcess`).

    Notes
    -----
    ``log(ISI) ~ N(mu, sigma**2)`` with ``mu = -log(rate) - sigma**2 / 2``;
    ``scipy.stats.lognorm(s=sigma, scale=exp(mu))`` is the same law.
    """

    rate: float
    cv: float | None = None  # type: ignore[assignment]
    sigma: float | None = None
    equilibrium: bool = True

    def __post_init__(self) -> None:
        _set_cv_or(self, "sigma", lambda rate, sigma: math.sqrt(math.expm1(sigma * sigma)),
                   lambda rate, cv: math.sqrt(math.log1p(cv * cv)))

    @property
    def mu(self) -> float:
        """Mean of ``log(ISI)``, ``-log(rate) - sigma**2 / 2``."""
        return -math.log(self.rate) - 0.5 * float(self.sigma) ** 2  # type: ignore[arg-type]

    def _law(self) -> tuple[int, float, float]:
        return LOGNORMAL, self.mu, float(self.sigma)  # type: ignore[arg-type]
