"""What the bridge's step simulators share: input spikes as step events, the run record, the raster -> SpikeTrains."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spikestats._validation import check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationTypeError

RECORDABLE = ("u", "v")


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Output of a bridge simulator run.

    Attributes
    ----------
    spikes : SpikeTrains
        One train per neuron on ``[0, n_steps * dt]``; a spike in step ``k``
        is at time ``k * dt``.
    u, v : ndarray, shape (n_steps, n_neurons), or None
        States after each update (row ``k`` after update ``k + 1``, as Lava's
        Monitor records them); ``None`` unless requested. Integers (Loihi) or
        volts relative to ``v_reset`` (float).
    dt : float
        Time step (s).
    backend : str
    raster : ndarray of uint8, shape (n_steps, n_neurons)
        The same spikes as a 0/1 raster.
    events : dict
        Counters of what the fixed-point arithmetic did (e.g. ``u_wraps``).
    """

    spikes: SpikeTrains
    u: np.ndarray | None
    v: np.ndarray | None
    dt: float
    backend: str
    raster: np.ndarray
    events: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        rec = [k for k in RECORDABLE if getattr(self, k) is not None]
        return (f"SimulationResult(backend={self.backend!r}, n_neurons={self.spikes.n_trains}, "
                f"n_spikes={self.spikes.n_spikes}, dt={self.dt:g} s, recorded={rec}, events={self.events})")


def check_record(record: Any) -> tuple[str, ...]:
    """``record`` as a tuple of names among ``u``, ``v`` (None or () for none)."""
    if record is None:
        return ()
    if isinstance(record, str):
        record = (record,)
    if not isinstance(record, (tuple, list)):
        fail("record", "a tuple of state names among ('u', 'v')", record, kind=ValidationTypeError)
    for name in record:
        if name not in RECORDABLE:
            fail("record", "a tuple of state names among ('u', 'v')", record, got=f"{name!r}")
    return tuple(record)


def input_steps(inputs: Any, n_inputs: int, dt: float, n_steps: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """Input spikes as sorted ``(step, channel)`` events and the number of steps to run.

    ``n_steps`` defaults to the inputs' ``t_stop / dt`` (rounded up).
    """
    from spikestats.generators.lif import input_events

    if inputs is None:
        if n_steps is None:
            fail("n_steps", "given when there are no inputs", n_steps)
        n = check_scalar("n_steps", n_steps, integer=True, positive=True)
        return np.zeros(0, np.int64), np.zeros(0, np.int64), n
    if not isinstance(inputs, SpikeTrains):
        fail("inputs", "a SpikeTrains with one train per input channel", inputs, kind=ValidationTypeError)
    if inputs.n_trains != n_inputs:
        fail("inputs", f"one train per input channel ({n_inputs})", inputs, got=f"{inputs.n_trains} trains")
    if n_steps is None:
        t_stop = float(np.max(inputs.t_stop)) if inputs.n_trains else 0.0
        n_steps = int(np.ceil(t_stop / dt - 1e-9))
    n = check_scalar("n_steps", n_steps, integer=True, positive=True)
    steps, chans = input_events(inputs, dt, n)
    return steps, chans, n


def raster_spikes(raster: np.ndarray, dt: float, backend: str) -> SpikeTrains:
    """SpikeTrains from a (n_steps, n_neurons) 0/1 raster: spike in step ``k`` at ``k * dt``."""
    return SpikeTrains.from_raster(np.ascontiguousarray(raster.T), dt, 0.0, metadata={"backend": backend})
