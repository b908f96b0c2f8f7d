"""What the neuron models share: the input current, the time grid, the population run and its result.

Each model (:mod:`.lif`, :mod:`.adex`, :mod:`.izhikevich`,
:mod:`.hodgkin_huxley`) validates its own parameters and calls
:func:`simulate_model`, which validates the run, lays out the spike buffer
and calls the population kernel of :mod:`spikestats._kernels.neurons`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._kernels.neurons import simulate_neurons, simulate_neurons_parallel
from spikestats._kernels.poisson import compact
from spikestats._validation import as_float_array, check_bool, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.typing import RNGLike

#: Below this many neuron-steps the serial kernel is used (threads cost more than they save).
_PARALLEL_MIN_WORK = 2_000_000
#: Spike buffers up to this many slots are sized by the largest possible count, without a pilot run.
_DIRECT_SLOTS = 1_000_000
#: Neurons simulated (counting only) to size the spike buffer of a large population.
_PILOT_NEURONS = 4


def as_current(current: Any, n_neurons: int, n_steps: int, dt: float) -> np.ndarray:
    """The input current as a float64 array ``(1 or n_neurons, 1 or n_steps)`` in amperes.

    Accepted: a real number (the same constant current for every neuron and
    step); an array ``(n_steps,)`` shared by all neurons; an array
    ``(n_neurons, n_steps)``, ``(1, n_steps)`` or ``(n_neurons, 1)`` (one
    constant per neuron); a callable, called once with the array of step
    start times ``k * dt`` (s) and returning any of those forms. The current
    is held constant over each step.
    """
    if callable(current):
        t = np.arange(n_steps, dtype=np.float64) * dt
        try:
            current = current(t)
        except Exception as exc:
            raise type(exc)(f"`current` was called with the {n_steps} step start times (s) and raised: {exc}") \
                from exc
    arr = as_float_array("current", current)
    hint = (f"a number, an array of shape ({n_steps},) or ({n_neurons}, {n_steps}) (n_neurons, n_steps), "
            f"({n_neurons}, 1) (one constant per neuron), or a callable of time returning one of those")
    if arr.ndim == 0:
        return arr.reshape(1, 1)
    if arr.ndim == 1:
        if arr.shape[0] != n_steps:
            fix = (f"For one constant current per neuron pass shape ({n_neurons}, 1)."
                   if arr.shape[0] == n_neurons else f"t_stop / dt gives {n_steps} steps.")
            fail("current", hint, current, fix, got=f"an array of shape {arr.shape}")
        return np.ascontiguousarray(arr.reshape(1, n_steps))
    if arr.ndim != 2 or arr.shape[0] not in (1, n_neurons) or arr.shape[1] not in (1, n_steps):
        fail("current", hint, current, got=f"an array of shape {arr.shape}")
    return np.ascontiguousarray(arr)


def check_run(t_stop: Any, dt: Any, n_neurons: Any, limits: Sequence[tuple[str, float]]) -> tuple[float, float, int, int]:
    """Validate ``t_stop``, ``dt`` and ``n_neurons``; returns them with the number of steps.

    ``limits`` are the model's ``(name, seconds)`` time scales; ``dt`` must be
    smaller than each.
    """
    t_stop = check_scalar("t_stop", t_stop, positive=True)
    dt = check_scalar("dt", dt, positive=True)
    n_neurons = check_scalar("n_neurons", n_neurons, integer=True, positive=True)
    for name, value in limits:
        if not dt < value:
            fail("dt", f"< {name} = {value:g} s (a time scale of the model)", dt,
                 "Use a step at least 10 times smaller than the model's fastest time scale.")
    n_steps = int(n_whole_bins(t_stop, dt))
    if n_steps < 1:
        fail("dt", f"<= t_stop = {t_stop:g} s", dt)
    return t_stop, dt, n_neurons, n_steps


def check_record(record: Any, record_every: Any, dt: float) -> tuple[bool, int]:
    """``(record, every)``: whether to record traces, and every how many steps (``record_every`` >= ``dt``)."""
    record = check_bool("record", record)
    every = 1
    if record_every is not None:
        record_every = check_scalar("record_every", record_every, positive=True)
        if record_every < dt * (1 - 1e-9):
            fail("record_every", f">= dt = {dt:g} s", record_every)
        every = max(1, int(round(record_every / dt)))
    return record, every


def simulate_model(model: Any, code: int, params: np.ndarray, current: Any, t_stop: Any, dt: Any, n_neurons: Any,
                   rng: RNGLike, record: Any, record_every: Any, *, limits: Sequence[tuple[str, float]],
                   variables: Sequence[tuple[str, str, str]], max_spikes: Callable[[float], int] | None = None
                   ) -> SpikeTrains | tuple[SpikeTrains, Any]:
    """Validate a run of ``model`` and simulate it; see the models' ``simulate``.

    Parameters
    ----------
    model : dataclass instance
        Its fields go to ``metadata["ground_truth"]``.
    code : int
        Model code of :mod:`spikestats._kernels.neurons`.
    params : ndarray
        Parameters in the kernel's order.
    limits : sequence of (str, float)
        Time scales ``dt`` must stay below.
    variables : sequence of (name, units, long_name)
        The state variables the kernel records, in its order.
    max_spikes : callable, optional
        ``max_spikes(t_stop)``: an upper bound on one neuron's spike count
        (from a refractory period); default one per step.
    """
    t_stop, dt, n_neurons, n_steps = check_run(t_stop, dt, n_neurons, limits)
    gen = check_rng(rng)
    record, every = check_record(record, record_every, dt)
    cur = as_current(current, n_neurons, n_steps, dt)
    key = np.uint64(gen.integers(0, 2**63 - 1))
    n_rec = -(-n_steps // every) if record else 0
    rec = np.zeros((len(variables), n_neurons, n_rec))
    bound = n_steps if max_spikes is None else min(n_steps, max_spikes(n_steps * dt))
    times, offsets = _run(code, key, params, cur, dt, n_steps, n_neurons, rec, every, bound)
    truth = {"model": type(model).__name__, **asdict(model), "dt": dt,
             "current": float(cur[0, 0]) if cur.size == 1 else ("callable" if callable(current) else "array")}
    st = SpikeTrains._trusted(times, offsets, np.zeros(n_neurons), np.full(n_neurons, t_stop),
                              np.arange(n_neurons, dtype=np.int64), np.zeros(n_neurons, dtype=np.int64),
                              {"ground_truth": truth})
    if not record:
        return st
    from spikestats.xarray.traces import traces_dataset  # L4, imported only when traces are asked for

    return st, traces_dataset(rec, variables, every * dt, truth)


def _run(code: int, key: np.uint64, params: np.ndarray, cur: np.ndarray, dt: float, n_steps: int, n_neurons: int,
         rec: np.ndarray, every: int, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """Spike times and offsets of all neurons, in one buffer closed up in place.

    Each neuron writes into a region of ``cap`` slots: the largest possible
    count when that fits in :data:`_DIRECT_SLOTS`, otherwise a margin over the
    counts of a few pilot neurons run without output. Neurons that outgrow
    their region are run again, from the same streams, into exact-size regions.
    """
    ids = np.arange(n_neurons, dtype=np.int64)
    no_rec = np.zeros((rec.shape[0], n_neurons, 0))
    cap = bound + 1
    if n_neurons * cap > _DIRECT_SLOTS:
        pilot = np.unique(np.linspace(0, n_neurons - 1, min(n_neurons, _PILOT_NEURONS)).astype(np.int64))
        counts = simulate_neurons(code, key, pilot, params, cur, dt, n_steps, np.zeros(pilot.size + 1, np.int64),
                                  np.empty(0), no_rec, every)
        top = float(counts.max())
        cap = min(cap, int(1.25 * top + 6.0 * np.sqrt(top) + 16))
    region = np.arange(n_neurons + 1, dtype=np.int64) * cap
    buf = np.empty(region[-1])
    kernel = simulate_neurons_parallel if n_neurons > 1 and n_neurons * n_steps >= _PARALLEL_MIN_WORK \
        else simulate_neurons
    counts = kernel(code, key, ids, params, cur, dt, n_steps, region, buf, rec, every)
    over = np.flatnonzero(counts > cap)
    if over.size == 0:
        offsets = compact(buf, region, counts)
        return buf[:offsets[-1]], offsets
    region2 = np.zeros(over.size + 1, dtype=np.int64)
    np.cumsum(counts[over], out=region2[1:])
    buf2 = np.empty(region2[-1])
    kernel(code, key, over, params, cur, dt, n_steps, region2, buf2, np.zeros((rec.shape[0], over.size, 0)), every)
    offsets = np.zeros(n_neurons + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    times = np.empty(offsets[-1])
    where = {int(i): j for j, i in enumerate(over)}
    for i in range(n_neurons):
        src = buf2[region2[where[i]]:region2[where[i] + 1]] if i in where else buf[region[i]:region[i] + counts[i]]
        times[offsets[i]:offsets[i + 1]] = src
    return times, offsets


def check_params(model: Any, positive: Sequence[str] = (), nonnegative: Sequence[str] = (),
                 real: Sequence[str] = ()) -> None:
    """Coerce the named fields of a frozen dataclass to finite floats with the given signs."""
    for names, kw in ((positive, {"positive": True}), (nonnegative, {"nonnegative": True}), (real, {})):
        for name in names:
            object.__setattr__(model, name, check_scalar(name, getattr(model, name), **kw))
