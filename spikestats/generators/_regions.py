"""Filling one output buffer with many trains drawn in parallel, shared by the generators.

A kernel writes train ``i`` into its own region of one buffer and returns
every train's true count; the regions are then closed up in place. A train
that outgrew its region is drawn again, from the same stream, into a fresh
array, so the output never depends on the region sizes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from spikestats._kernels.poisson import compact

#: Below this many expected spikes the serial kernel is used (threads cost more than they save).
PARALLEL_MIN_SPIKES = 100_000


def region_bounds(expected: np.ndarray, spread: np.ndarray, headroom: float = 6.0) -> np.ndarray:
    """Region starts (``n + 1``): each train gets ``expected + headroom * spread + 4`` slots."""
    region = np.zeros(expected.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.maximum(expected + headroom * spread + 4.0, 0.0).astype(np.int64), out=region[1:])
    return region


def fill_trains(run_all: Callable[..., np.ndarray], run_one: Callable[..., int], expected: np.ndarray,
                spread: np.ndarray, headroom: float = 6.0,
                dtypes: tuple[type, ...] = (np.float64,)) -> tuple[list[np.ndarray], np.ndarray]:
    """Flat values of all trains (one array per entry of ``dtypes``) and their offsets.

    Parameters
    ----------
    run_all : callable
        ``run_all(region, *bufs) -> counts`` runs the (serial or parallel) kernel.
    run_one : callable
        ``run_one(i, *outs) -> count`` draws train ``i`` alone into ``outs``.
    expected, spread : ndarray
        Expected count and its standard deviation per train (sizes the regions).
    dtypes : tuple of dtypes
        One output buffer per dtype (spike times, and e.g. unit labels).
    """
    region = region_bounds(expected, spread, headroom)
    bufs = [np.empty(region[-1], dtype=dt) for dt in dtypes]
    counts = run_all(region, *bufs)
    if np.all(counts <= np.diff(region)):
        offsets = np.zeros(1, dtype=np.int64)
        for buf in bufs:
            offsets = compact(buf, region, counts)
        return [buf[:offsets[-1]] for buf in bufs], offsets
    parts: list[list[np.ndarray]] = [[] for _ in dtypes]
    for i, c in enumerate(counts):
        outs = [np.empty(c, dtype=dt) for dt in dtypes]
        run_one(i, *outs)
        for part, out in zip(parts, outs):
            part.append(out)
    offsets = np.zeros(expected.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return [np.concatenate(part) if part else np.empty(0, dtype=dt) for part, dt in zip(parts, dtypes)], offsets


def split_by_unit(times: np.ndarray, units: np.ndarray, offsets: np.ndarray, n_units: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Realisations of a multi-unit model (events in time order, each with its unit) -> one train per unit.

    Train ``r * n_units + u`` holds the events of unit ``u`` in realisation ``r``,
    in time order. Returns flat times and offsets.
    """
    n_real = offsets.shape[0] - 1
    real = np.repeat(np.arange(n_real, dtype=np.int64), np.diff(offsets))
    train = real * n_units + units
    order = np.argsort(train, kind="stable")
    out = np.zeros(n_real * n_units + 1, dtype=np.int64)
    np.cumsum(np.bincount(train, minlength=n_real * n_units), out=out[1:])
    return times[order], out


def use_parallel(expected: np.ndarray) -> bool:
    """Whether the threaded kernel is worth starting for this many expected spikes (on free cores).

    Either kernel gives identical trains (one random stream per train).
    """
    from spikestats._config import threads_pay_off

    return threads_pay_off(float(np.sum(expected)), PARALLEL_MIN_SPIKES)


def check_window(n_trains: object, t_start: object, t_stop: object, name: str = "n_trains") -> tuple[int, float, float]:
    """Validate a train count and a window ``t_stop > t_start`` with the house template."""
    from spikestats._validation import check_scalar, fail

    n = check_scalar(name, n_trains, integer=True, nonnegative=True)
    a = check_scalar("t_start", t_start)
    b = check_scalar("t_stop", t_stop)
    if not b > a:
        fail("t_stop", f"> t_start = {a}", t_stop)
    return n, a, b


def draw_key(gen: np.random.Generator) -> np.uint64:
    """The one 64-bit key a simulation draws from the user's Generator."""
    return np.uint64(gen.integers(0, 2**63 - 1))
