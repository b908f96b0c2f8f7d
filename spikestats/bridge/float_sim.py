"""The float64 reference of a bridge network: the same per-step update as the chips, without the integers."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import check_option
from spikestats.bridge._run import SimulationResult, check_record, input_steps, raster_spikes
from spikestats.bridge.discretise import METHODS, Discretisation, discretise
from spikestats.bridge.network import Network


class FloatReference:
    """Float64 step simulator of a :class:`Network` with the discretisation layer's constants.

    Step ``k``: ``u <- syn_decay u + weight_gain (W s_{k-1} + W_in x_{k-1})``,
    ``v <- mem_decay v + u + mem_drive``, spike if ``v > v_threshold``, then
    ``v <- v_reset`` held for ``refractory_steps`` (see
    :mod:`spikestats.bridge.discretise`). It starts from ``v = v_reset`` and
    ``u = 0``, as :class:`~spikestats.bridge.loihi.LoihiReference` does, so
    with ``method="euler"`` the two differ only by Loihi's integer arithmetic.

    Parameters
    ----------
    graph : nir.NIRGraph, path or Network
    dt : float, default 1 ms
        Time step (s).
    method : {"euler", "exact"}, default "euler"
        Discretisation (Euler as Lava, exact exponential as SpiNNaker).
    """

    def __init__(self, graph: Any, dt: float = 1e-3, method: str = "euler") -> None:
        if isinstance(graph, Network):
            network = graph
        else:
            from spikestats.bridge.nir_export import from_nir

            network = from_nir(graph)
        method = check_option("method", method, METHODS)
        self.network = network
        self.discretisation: Discretisation = discretise(network, dt, method)
        self.dt = self.discretisation.dt

    def __repr__(self) -> str:
        return (f"FloatReference(n_neurons={self.network.n_neurons}, n_inputs={self.network.n_inputs}, "
                f"dt={self.dt:g} s, method={self.discretisation.method!r})")

    def run(self, inputs: Any = None, n_steps: int | None = None, record: Any = None) -> SimulationResult:
        """Run the network; same arguments and timing as :meth:`LoihiReference.run`.

        ``u`` is returned in volts of membrane drive per step (``weight_gain``
        times the synaptic current) and ``v`` in volts (absolute).
        """
        from spikestats._kernels.bridge_loihi import euler_run

        record = check_record(record)
        net, d = self.network, self.discretisation
        steps, chans, n = input_steps(inputs, net.n_inputs, self.dt, n_steps)
        shape = (n, net.n_neurons) if record else (0, net.n_neurons)
        u, v = np.zeros(shape), np.zeros(shape)
        raster = np.zeros((n, net.n_neurons), np.uint8)
        drive = d.mem_drive - (1.0 - d.mem_decay) * net.v_reset
        euler_run(d.syn_decay, d.mem_decay, d.weight_gain, drive, net.v_threshold - net.v_reset,
                  d.refractory_steps, np.ascontiguousarray(net.weights), np.ascontiguousarray(net.input_weights),
                  steps, chans, n, bool(record), u, v, raster)
        return SimulationResult(spikes=raster_spikes(raster, self.dt, "float"), u=u if "u" in record else None,
                                v=v + net.v_reset if "v" in record else None, dt=self.dt, backend="float",
                                raster=raster)
