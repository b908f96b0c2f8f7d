"""Run one network on several backends and measure how far each strays from the float model."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spikestats._validation import check_scalar, fail
from spikestats.bridge.network import Network
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationTypeError

BACKENDS = ("float", "float_exact", "loihi", "spinnaker")
"""``float``: float64 Euler (Lava's discretisation); ``float_exact``: float64 with exact exponential decays
(SpiNNaker's); ``loihi``: :class:`LoihiReference`; ``spinnaker``: :class:`SpiNNakerReference`."""


@dataclass(frozen=True, eq=False)
class Comparison:
    """Outputs of several backends on the same network and inputs, measured against ``"float"``.

    Attributes
    ----------
    spikes : dict of str -> SpikeTrains
        Each backend's output (one train per neuron).
    rates : dict of str -> ndarray
        Per-neuron firing rates (Hz) over the run.
    rate_rel_error : dict of str -> ndarray
        ``|rate - rate_float| / rate_float`` per neuron (0 where both are 0,
        inf where only the float neuron is silent).
    within_one_step : dict of str -> float
        Fraction of spikes paired one-to-one with a float spike of the same
        neuron at most one step away: ``pairs / max(n_backend, n_float)``.
    van_rossum : dict of str -> ndarray
        Per-neuron van Rossum distance to the float output (kernel
        ``exp(-t / tau)``, Elephant's normalisation: a lone spike is 1).
    skipped : dict of str -> str
        Backends that could not run, with the reason.
    dt, tau : float
        Time step and van Rossum time constant (s).
    """

    spikes: dict
    rates: dict
    rate_rel_error: dict
    within_one_step: dict
    van_rossum: dict
    skipped: dict = field(default_factory=dict)
    dt: float = 1e-3
    tau: float = 10e-3

    def __repr__(self) -> str:
        lines = [f"Comparison(dt={self.dt:g} s, tau={self.tau:g} s)"]
        for name in self.spikes:
            if name == "float":
                lines.append(f"  float: {self.spikes[name].n_spikes} spikes (reference)")
                continue
            err = self.rate_rel_error[name]
            finite = err[np.isfinite(err)]
            worst = f"{finite.max():.3g}" if finite.size else "n/a"
            lines.append(f"  {name}: max rate error {worst}, within one step {self.within_one_step[name]:.3f}, "
                         f"median van Rossum {np.median(self.van_rossum[name]):.3g}")
        lines += [f"  {name}: skipped ({why})" for name, why in self.skipped.items()]
        return "\n".join(lines)


def compare(graph: Any, inputs: SpikeTrains | None = None, dt: float = 1e-3,
            backends: tuple = ("float", "loihi", "spinnaker"), *, n_steps: int | None = None,
            tau: float = 10e-3) -> Comparison:
    """Simulate ``graph`` on each backend and compare with the float64 Euler model.

    Parameters
    ----------
    graph : nir.NIRGraph, path or Network
    inputs : SpikeTrains, optional
        One train per input channel.
    dt : float, default 1 ms
        Time step (s) of every backend.
    backends : tuple of str
        Among ``"float"``, ``"float_exact"``, ``"loihi"``, ``"spinnaker"``;
        ``"float"`` is always run (it is the reference).
    n_steps : int, optional
        Steps to run (default: the inputs' ``t_stop / dt``).
    tau : float, default 10 ms
        van Rossum time constant (s).

    Returns
    -------
    Comparison
    """
    from spikestats._validation import check_option
    from spikestats.bridge.float_sim import FloatReference
    from spikestats.bridge.nir_export import from_nir

    if isinstance(backends, str) or not isinstance(backends, (tuple, list)):
        fail("backends", f"a tuple of names among {list(BACKENDS)}", backends, kind=ValidationTypeError)
    names = ["float"] + [check_option("backends", b, BACKENDS) for b in backends if b != "float"]
    dt = check_scalar("dt", dt, positive=True)
    tau = check_scalar("tau", tau, positive=True)
    network = graph if isinstance(graph, Network) else from_nir(graph)
    spikes: dict[str, SpikeTrains] = {}
    skipped: dict[str, str] = {}
    n_run = None
    for name in names:
        if name in ("float", "float_exact"):
            sim: Any = FloatReference(network, dt, "euler" if name == "float" else "exact")
        elif name == "loihi":
            from spikestats.bridge.loihi import LoihiReference

            sim = LoihiReference(network, dt)
        else:
            try:
                from spikestats.bridge.spinnaker import SpiNNakerReference
            except ImportError as exc:
                skipped[name] = f"SpiNNakerReference is not available ({exc})"
                continue
            sim = SpiNNakerReference(network, dt)
        out = sim.run(inputs, n_steps=n_steps if n_run is None else n_run)
        n_run = n_run or int(round(float(np.max(out.spikes.t_stop)) / dt))
        spikes[name] = out.spikes
    return _measure(spikes, skipped, dt, tau)


def _measure(spikes: dict, skipped: dict, dt: float, tau: float) -> Comparison:
    from spikestats._kernels.spike_distances import matched_within, van_rossum_paired

    ref = spikes["float"]
    duration = np.asarray(ref.t_stop - ref.t_start, dtype=float)
    rates = {k: np.asarray(s.counts, dtype=float) / duration for k, s in spikes.items()}
    rel, within, vr = {}, {}, {}
    for name, st in spikes.items():
        if name == "float":
            continue
        if st.n_trains != ref.n_trains:
            fail("graph", "a network whose backends all return one train per neuron", st,
                 got=f"{st.n_trains} trains from {name!r} and {ref.n_trains} from 'float'")
        r0, r1 = rates["float"], rates[name]
        with np.errstate(divide="ignore", invalid="ignore"):
            rel[name] = np.where(r0 > 0, np.abs(r1 - r0) / r0, np.where(r1 > 0, math.inf, 0.0))
        a, b = _sorted_steps(ref, dt), _sorted_steps(st, dt)
        pairs = matched_within(a, ref.offsets, b, st.offsets, 1, np.zeros(ref.n_trains, np.int64))
        total = max(ref.n_spikes, st.n_spikes)
        within[name] = float(pairs.sum() / total) if total else 1.0
        vr[name] = van_rossum_paired(_sorted(ref), ref.offsets, _sorted(st), st.offsets, tau,
                                     np.zeros(ref.n_trains))
    return Comparison(spikes=spikes, rates=rates, rate_rel_error=rel, within_one_step=within, van_rossum=vr,
                      skipped=skipped, dt=dt, tau=tau)


def _sorted(st: SpikeTrains) -> np.ndarray:
    """Flat times (SpikeTrains keeps each train sorted)."""
    return np.ascontiguousarray(st.times, dtype=float)


def _sorted_steps(st: SpikeTrains, dt: float) -> np.ndarray:
    return np.round(_sorted(st) / dt).astype(np.int64)


def van_rossum_distance(a: SpikeTrains, b: SpikeTrains, tau: float = 10e-3) -> np.ndarray:
    """Per-train van Rossum distance between two SpikeTrains with the same number of trains.

    ``D = sqrt(sum_ij k(a_i - a_j) + sum_ij k(b_i - b_j) - 2 sum_ij k(a_i - b_j))``
    with ``k(d) = exp(-|d| / tau)`` (Elephant's ``van_rossum_distance``
    normalisation; van Rossum 2001 divides ``D`` by ``sqrt(2)``), computed
    in ``O(n + m)`` per pair.

    Parameters
    ----------
    a, b : SpikeTrains
    tau : float
        Time constant (s), > 0.

    Returns
    -------
    ndarray, shape (n_trains,)
    """
    from spikestats._kernels.spike_distances import van_rossum_paired

    for name, st in (("a", a), ("b", b)):
        if not isinstance(st, SpikeTrains):
            fail(name, "a SpikeTrains", st, kind=ValidationTypeError)
    if a.n_trains != b.n_trains:
        fail("b", f"as many trains as `a` ({a.n_trains})", b, got=f"{b.n_trains} trains")
    tau = check_scalar("tau", tau, positive=True)
    return van_rossum_paired(_sorted(a), a.offsets, _sorted(b), b.offsets, tau, np.zeros(a.n_trains))
