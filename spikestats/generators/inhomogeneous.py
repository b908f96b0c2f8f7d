"""Inhomogeneous Poisson processes: a rate that varies in time, shared or per train."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._kernels.point_processes import (
    RESCALING,
    THINNING,
    guide_table,
    inhomogeneous_train,
    inhomogeneous_trains,
    inhomogeneous_trains_parallel,
)
from spikestats._validation import as_float_array, check_option, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._regions import check_window, draw_key, fill_trains, use_parallel
from spikestats.typing import RNGLike

_METHODS = {"rescaling": RESCALING, "thinning": THINNING}
#: largest piecewise rate (number of values) copied into ``metadata["ground_truth"]``
_TRUTH_MAX_VALUES = 10_000


def _check_rates(name: str, values: np.ndarray) -> None:
    if values.size and values.min() < 0:
        bad = np.unravel_index(int(np.argmin(values)), values.shape)
        fail(name, "non-negative (rates in Hz)", values, got=f"{values[bad]} at index {tuple(int(b) for b in bad)}")


@dataclass(frozen=True, eq=False)
class InhomogeneousPoisson:
    """Poisson process with a time-varying rate ``rate(t)`` in Hz.

    Parameters
    ----------
    rate : callable or (times, values)
        Either a vectorised callable ``rate(t)`` taking a 1-d array of times
        (seconds) and returning rates in Hz of shape ``(n,)`` (shared by all
        trains) or ``(n_trains, n)`` (one row per train); it is evaluated once
        per ``simulate`` at the midpoints of a grid of step ``resolution`` over
        the window and read as constant on each grid cell. Or a sampled pair
        ``(times, values)``: ``times`` increasing, ``values`` of shape
        ``(len(times),)`` or ``(n_trains, len(times))``, read as piecewise
        constant from each time to the next, the last value holding to
        ``t_stop``; the window must start at or after ``times[0]``.
    method : {"rescaling", "thinning"}, default "rescaling"
        Time rescaling maps unit-rate exponential gaps through the cumulative
        intensity (exact for the piecewise-constant rate, no rejected draws);
        thinning draws candidates at the maximum rate (or ``rate_bound``) and
        keeps each with probability ``rate(t) / bound`` (Lewis & Shedler 1979).
        Both give the same law.
    rate_bound : float, optional
        Bound for thinning (Hz); by default the maximum of each train's rate.
        Must be >= that maximum.
    dead_time : float, default 0.0
        Absolute refractory period (s): after each spike the process is silent
        for ``dead_time`` and then resumes with hazard ``rate(t)``. Unlike
        :class:`PoissonProcess`, ``rate`` is then the hazard outside dead times,
        not the output rate (for a slowly varying rate the output rate is
        about ``rate / (1 + rate * dead_time)``).
    resolution : float, default 1e-3
        Grid step (s) at which a callable rate is evaluated.

    Notes
    -----
    Elephant's ``NonStationaryPoissonProcess`` reads a sampled rate the same
    way (piecewise constant from each sample time to the next).
    """

    rate: Any
    method: str = "rescaling"
    rate_bound: float | None = None
    dead_time: float = 0.0
    resolution: float = 1e-3

    def __post_init__(self) -> None:
        check_option("method", self.method, list(_METHODS))
        object.__setattr__(self, "dead_time", check_scalar("dead_time", self.dead_time, nonnegative=True))
        object.__setattr__(self, "resolution", check_scalar("resolution", self.resolution, positive=True))
        if self.rate_bound is not None:
            object.__setattr__(self, "rate_bound", check_scalar("rate_bound", self.rate_bound, nonnegative=True))
        if callable(self.rate):
            return
        if not (isinstance(self.rate, (tuple, list)) and len(self.rate) == 2):
            fail("rate", "a callable of time or a (times, values) pair", self.rate,
                 "For a constant rate use PoissonProcess(rate=...).")
        times = as_float_array("rate` times", self.rate[0], ndim=1)
        values = as_float_array("rate` values", self.rate[1])
        if times.size == 0 or np.any(np.diff(times) <= 0):
            fail("rate` times", "a non-empty, strictly increasing array of sample times (s)", times)
        if values.ndim not in (1, 2) or values.shape[-1] != times.size:
            fail("rate` values", f"of shape ({times.size},) or (n_trains, {times.size}), one value per sample time",
                 values, got=f"an array of shape {values.shape}")
        _check_rates("rate` values", values)
        object.__setattr__(self, "rate", (times, values))

    def piecewise_rate(self, t_start: float, t_stop: float, n_trains: int | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
        """The rate the kernels use on ``[t_start, t_stop]``: ``edges (m + 1,)`` and ``values (rows, m)`` in Hz.

        ``rows`` is 1 for a shared rate, ``n_trains`` for a per-train one.
        """
        if callable(self.rate):
            n = max(1, int(np.ceil((t_stop - t_start) / self.resolution - 1e-9)))
            edges = np.minimum(t_start + self.resolution * np.arange(n + 1), t_stop)
            edges[-1] = t_stop
            mid = 0.5 * (edges[:-1] + edges[1:])
            values = as_float_array("rate(t)", self.rate(mid))
            if values.ndim not in (1, 2) or values.shape[-1] != n:
                fail("rate(t)", f"an array of shape ({n},) or (n_trains, {n}) for {n} times", values,
                     "Write rate as a vectorised function of a 1-d array of times.",
                     got=f"an array of shape {values.shape}")
            _check_rates("rate(t)", values)
        else:
            times, values = self.rate
            if t_start < times[0]:
                fail("t_start", f">= the first rate sample time {times[0]} (the rate is undefined before it)",
                     t_start)
            first = int(np.searchsorted(times, t_start, side="right")) - 1
            last = int(np.searchsorted(times, t_stop, side="left"))
            inner = times[first + 1:last]
            edges = np.concatenate(([t_start], inner, [t_stop]))
            values = values[..., first:last]
        values = np.ascontiguousarray(np.atleast_2d(values), dtype=np.float64)
        if n_trains is not None and values.shape[0] not in (1, n_trains):
            fail("rate", f"shared or one row per train ({n_trains} rows)", values,
                 f"Pass n_trains={values.shape[0]} or a 1-d rate.", got=f"{values.shape[0]} rows")
        return edges, values

    def simulate(self, n_trains: int = 1, t_stop: float = 1.0, *, t_start: float = 0.0,
                 rng: RNGLike = None) -> SpikeTrains:
        """Draw ``n_trains`` independent trains on ``[t_start, t_stop]``.

        Parameters
        ----------
        n_trains : int, default 1
            Number of trains (labelled unit 0, trials ``0 .. n_trains - 1``);
            must equal the number of rows of a per-train rate.
        t_stop, t_start : float
            Window in seconds.
        rng : int, Generator or anything ``np.random.default_rng`` accepts
            Same ``rng``, same trains, whatever the number of threads.

        Returns
        -------
        SpikeTrains
            ``metadata["ground_truth"]`` holds the model name, method, dead
            time and the piecewise rate as ``rate_edges`` and ``rate_values``
            (lists; values per row) when it has at most 10,000 values.
        """
        n_trains, t_start, t_stop = check_window(n_trains, t_start, t_stop)
        gen = check_rng(rng)
        edges, values = self.piecewise_rate(t_start, t_stop, n_trains)
        bound = values.max(axis=1) if values.size else np.zeros(values.shape[0])
        if self.method == "thinning" and self.rate_bound is not None:
            if np.any(bound > self.rate_bound):
                fail("rate_bound", f">= the maximum rate {bound.max()} Hz", self.rate_bound)
            bound = np.full_like(bound, self.rate_bound)
        truth: dict[str, Any] = {"model": type(self).__name__, "method": self.method, "dead_time": self.dead_time}
        if values.size <= _TRUTH_MAX_VALUES:
            truth.update(rate_edges=edges.tolist(), rate_values=values.tolist())
        else:  # kept out of the JSON metadata; piecewise_rate() recomputes it
            truth["rate_omitted"] = f"{values.size} values > {_TRUTH_MAX_VALUES}; call piecewise_rate()"
        times, offsets = simulate_piecewise(gen, edges, values, self.dead_time, _METHODS[self.method], n_trains,
                                            self.rate_bound if self.method == "thinning" else None)
        return SpikeTrains._trusted(times, offsets, np.full(n_trains, t_start), np.full(n_trains, t_stop),
                                    np.zeros(n_trains, dtype=np.int64), np.arange(n_trains, dtype=np.int64),
                                    {"ground_truth": truth})


def simulate_piecewise(gen: np.random.Generator, edges: np.ndarray, values: np.ndarray, dead_time: float,
                       method: int, n_trains: int, rate_bound: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Flat times and offsets of ``n_trains`` trains; one key from ``gen``, stream ``i`` per train.

    With a ``rate_bound`` (thinning) the first segment is padded by a zero-width
    segment at that rate, so the kernel's bound is ``rate_bound`` and no spike can fall in it.
    """
    key = draw_key(gen)
    if rate_bound is not None:
        edges = np.concatenate(([edges[0]], edges))
        values = np.concatenate((np.full((values.shape[0], 1), rate_bound), values), axis=1)
    cumulative = cumulative_intensity(edges, values)
    n_seg = values.shape[1]
    edge_guide = guide_table(edges, n_seg)
    mass_guide = np.empty((cumulative.shape[0], n_seg + 1), dtype=np.int64)
    for r, row in enumerate(cumulative):
        mass_guide[r] = guide_table(row, n_seg)
    mass = cumulative[:, -1]
    expected = np.broadcast_to(mass, (n_trains,)) if mass.shape[0] == 1 else mass
    expected = np.ascontiguousarray(expected, dtype=np.float64)
    kernel = inhomogeneous_trains_parallel if use_parallel(expected) else inhomogeneous_trains
    stride = 0 if values.shape[0] == 1 else 1
    (times,), offsets = fill_trains(
        lambda region, buf: kernel(key, edges, edge_guide, values, cumulative, mass_guide, dead_time, method,
                                   region, buf),
        lambda i, out: inhomogeneous_train(key, i, edges, edge_guide, values[i * stride], cumulative[i * stride],
                                           mass_guide[i * stride], dead_time, method, out),
        expected, np.sqrt(expected))
    return times, offsets




def cumulative_intensity(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Integral of each row of the piecewise rate from ``edges[0]`` to every edge, shape ``(rows, m + 1)``."""
    out = np.zeros((values.shape[0], edges.shape[0]))
    np.cumsum(values * np.diff(edges)[None, :], axis=1, out=out[:, 1:])
    return out
