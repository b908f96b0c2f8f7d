"""Encoders from values to spike trains (rate, latency and population codes), as in snnTorch and Spyx."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._kernels.point_processes import (
    RESCALING,
    bernoulli_steps_train,
    bernoulli_steps_trains,
    bernoulli_steps_trains_parallel,
)
from spikestats._validation import as_float_array, check_bool, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._regions import check_window, draw_key, fill_trains, use_parallel
from spikestats.generators.inhomogeneous import simulate_piecewise
from spikestats.typing import RNGLike


def _unit_values(values: Any) -> np.ndarray:
    v = as_float_array("values", values).ravel()
    if v.size and (v.min() < 0.0 or v.max() > 1.0):
        bad = v[(v < 0.0) | (v > 1.0)][0]
        fail("values", "in [0, 1] (normalise the data first, e.g. x / x.max())", values, got=f"a value {bad}")
    return v


def _trains(times: np.ndarray, offsets: np.ndarray, t_start: float, t_stop: float, meta: dict,
            unit: np.ndarray | None = None, trial: np.ndarray | None = None) -> SpikeTrains:
    n = offsets.shape[0] - 1
    return SpikeTrains._trusted(times, offsets, np.full(n, t_start), np.full(n, t_stop),
                                np.arange(n, dtype=np.int64) if unit is None else unit,
                                np.zeros(n, dtype=np.int64) if trial is None else trial, {"ground_truth": meta})


def rate_code(values: Any, t_stop: float, max_rate: float, *, dt: float = 1e-3, t_start: float = 0.0,
              rng: RNGLike = None) -> SpikeTrains:
    """Rate code: in each time step of ``dt`` a spike with probability ``value * max_rate * dt``.

    Parameters
    ----------
    values : array_like
        Values in ``[0, 1]``, any shape; one train per value (flattened in C
        order, train ``k`` labelled unit ``k``).
    t_stop : float
        End of the window (s); the window holds ``floor((t_stop - t_start) / dt)`` steps.
    max_rate : float
        Rate in Hz of a value of 1, with ``max_rate * dt <= 1``.
    dt : float, default 1e-3
        Step in seconds; spikes sit at the step starts ``t_start + k * dt``.
    t_start : float, default 0.0
    rng : int, Generator or anything ``np.random.default_rng`` accepts

    Returns
    -------
    SpikeTrains
        One train per value; ``metadata["ground_truth"]`` holds the values and
        spike probabilities.

    Notes
    -----
    Same law as snnTorch's ``spikegen.rate`` (Bernoulli per step with
    probability ``value``, here scaled by ``max_rate * dt``); steps are drawn
    by geometric skips, so the cost grows with the number of spikes, not steps.
    """
    v = _unit_values(values)
    _, t_start, t_stop = check_window(0, t_start, t_stop)
    max_rate = check_scalar("max_rate", max_rate, nonnegative=True)
    dt = check_scalar("dt", dt, positive=True)
    if max_rate * dt > 1.0:
        fail("max_rate", f"<= 1 / dt = {1.0 / dt} Hz (one spike per step at most)", max_rate,
             "Lower max_rate or use a smaller dt.")
    gen = check_rng(rng)
    key = draw_key(gen)
    n_steps = int(n_whole_bins(t_stop - t_start, dt))
    p = np.ascontiguousarray(v * (max_rate * dt))
    expected = p * n_steps
    kernel = bernoulli_steps_trains_parallel if use_parallel(expected) else bernoulli_steps_trains
    (times,), offsets = fill_trains(
        lambda region, buf: kernel(key, p, t_start, dt, n_steps, region, buf),
        lambda i, out: bernoulli_steps_train(key, i, p[i], t_start, dt, n_steps, out),
        expected, np.sqrt(expected))
    meta = {"model": "rate_code", "values": v.tolist(), "max_rate": max_rate, "dt": dt,
            "probability": p.tolist()}
    return _trains(times, offsets, t_start, t_stop, meta)


def latency_code(values: Any, t_stop: float, *, threshold: float = 0.01, tau: float = 0.01, linear: bool = False,
                 t_start: float = 0.0) -> SpikeTrains:
    """Latency code: one spike per value, larger values earlier; none at or below ``threshold``.

    Parameters
    ----------
    values : array_like
        Values in ``[0, 1]``, any shape; one train per value (C order).
    t_stop : float
        End of the window (s); spikes at or after it are dropped.
    threshold : float, default 0.01
        Values ``<= threshold`` never fire; in ``[0, 1)``.
    tau : float, default 0.01
        RC time constant (s) of the default code (ignored when ``linear``).
    linear : bool, default False
        Use the linear code instead of the RC code.
    t_start : float, default 0.0

    Returns
    -------
    SpikeTrains
        At most one spike per train; deterministic (no ``rng``).

    Notes
    -----
    RC code (snnTorch's ``spikegen.latency``): a unit-resistance RC membrane
    charged by a constant input ``v`` reaches ``threshold`` after
    ``tau * ln(v / (v - threshold))``; that is the spike latency after
    ``t_start``. Linear code: latency ``(t_stop - t_start) * (1 - v) / (1 - threshold)``,
    so a value of 1 fires at ``t_start`` and values near the threshold near ``t_stop``.
    """
    v = _unit_values(values)
    _, t_start, t_stop = check_window(0, t_start, t_stop)
    threshold = check_scalar("threshold", threshold, nonnegative=True)
    if threshold >= 1.0:
        fail("threshold", "< 1 (values lie in [0, 1])", threshold)
    tau = check_scalar("tau", tau, positive=True)
    linear = check_bool("linear", linear)
    fires = v > threshold
    latency = np.full(v.shape, np.inf)
    with np.errstate(divide="ignore"):
        if linear:
            latency[fires] = (t_stop - t_start) * (1.0 - v[fires]) / (1.0 - threshold)
        else:
            latency[fires] = tau * np.log(v[fires] / (v[fires] - threshold))
    t = t_start + latency
    keep = t < t_stop
    offsets = np.zeros(v.size + 1, dtype=np.int64)
    np.cumsum(keep, out=offsets[1:])
    meta = {"model": "latency_code", "values": v.tolist(), "threshold": threshold,
            "tau": None if linear else tau, "linear": linear}
    return _trains(np.ascontiguousarray(t[keep]), offsets, t_start, t_stop, meta)


def tuning_rates(values: Any, n_neurons: int, max_rate: float, *, value_range: tuple[float, float] = (0.0, 1.0),
                 width: float | None = None) -> np.ndarray:
    """Rates (Hz) of a Gaussian tuning-curve population, shape ``(len(values), n_neurons)``.

    Neuron ``j`` prefers ``c_j`` (``n_neurons`` centres spread evenly over
    ``value_range``, ends included) and fires at
    ``max_rate * exp(-(v - c_j)**2 / (2 * width**2))``; ``width`` defaults to
    the spacing of the centres.
    """
    v = as_float_array("values", values).ravel()
    n_neurons = check_scalar("n_neurons", n_neurons, integer=True, positive=True)
    max_rate = check_scalar("max_rate", max_rate, nonnegative=True)
    lo = check_scalar("value_range[0]", value_range[0])
    hi = check_scalar("value_range[1]", value_range[1])
    if not hi > lo:
        fail("value_range", "a pair (low, high) with high > low", value_range)
    centres = np.linspace(lo, hi, n_neurons)
    spacing = (hi - lo) / max(n_neurons - 1, 1)
    width = spacing if width is None else check_scalar("width", width, positive=True)
    return max_rate * np.exp(-0.5 * ((v[:, None] - centres[None, :]) / width) ** 2)


def population_code(values: Any, t_stop: float, *, n_neurons: int, max_rate: float,
                    value_range: tuple[float, float] = (0.0, 1.0), width: float | None = None,
                    t_start: float = 0.0, rng: RNGLike = None) -> SpikeTrains:
    """Population code: each value drives ``n_neurons`` Poisson neurons with Gaussian tuning curves.

    Parameters
    ----------
    values : array_like
        Stimulus values (any real numbers; those outside ``value_range`` drive
        the edge neurons weakly), any shape, flattened in C order.
    t_stop : float
        End of the window (s); each value is held constant over it.
    n_neurons : int
        Neurons per value.
    max_rate : float
        Peak rate (Hz) of a neuron at its preferred value.
    value_range, width
        Centres and tuning width, see :func:`tuning_rates`.
    t_start : float, default 0.0
    rng : int, Generator or anything ``np.random.default_rng`` accepts

    Returns
    -------
    SpikeTrains
        ``len(values) * n_neurons`` trains: train ``k * n_neurons + j`` is
        neuron ``j`` (unit) encoding value ``k`` (trial).
    """
    rates = tuning_rates(values, n_neurons, max_rate, value_range=value_range, width=width)
    n_values = rates.shape[0]
    n_trains, t_start, t_stop = check_window(n_values * rates.shape[1], t_start, t_stop)
    gen = check_rng(rng)
    times, offsets = simulate_piecewise(gen, np.array([t_start, t_stop]), rates.reshape(-1, 1), 0.0, RESCALING,
                                        n_trains)
    meta = {"model": "population_code", "values": as_float_array("values", values).ravel().tolist(),
            "max_rate": float(max_rate), "rates": rates.tolist()}
    return _trains(times, offsets, t_start, t_stop, meta, unit=np.tile(np.arange(rates.shape[1]), n_values),
                   trial=np.repeat(np.arange(n_values), rates.shape[1]))
