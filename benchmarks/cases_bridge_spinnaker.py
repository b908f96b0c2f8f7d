"""Benchmark cases for the SpiNNaker side of the bridge (reported for information: no peer runs here).

* ``bridge-spinnaker``: ``SpiNNakerReference.run`` (s16.15 IF_curr_exp) on the
  network of :mod:`benchmarks.cases_bridge` (200 CubaLIF neurons, 50 Poisson
  inputs at 10 Hz, 10 000 steps of 1 ms). Check: total spikes within 15 % of
  the float model with exact decays (SpiNNaker's ``init`` factor makes each
  synaptic event deliver exactly ``w tau_syn`` of charge where the float
  step model delivers about 10 % more at ``dt / tau_syn = 0.2``; threshold
  ``>=`` and the refractory hold differ too).
* ``bridge-spinnaker-host``: ``spinnaker_host`` (ring-buffer shifts, 16-bit
  weights, parameter words) for 1000 neurons and about 1e5 synapses.
* ``bridge-escape``: ``EscapeNeuronReference.run`` in s16.15, 50 coupled
  neurons with 3 exponential bases, 1e5 steps. Check: the float64 twin on
  the same uniforms draws within 1 % of the same spikes.

Register with ``*__import__("benchmarks.cases_bridge_spinnaker",
fromlist=["_"]).SPINNAKER_CASES`` in ``benchmarks/cases.py``'s ``CASES``.
"""

from __future__ import annotations

import argparse
import functools
import warnings
from types import SimpleNamespace

import numpy as np

from benchmarks.cases import Case, Pair, _require


def _spinnaker(args: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
    from benchmarks.cases_bridge import _network
    from spikestats.bridge import FloatReference, SpiNNakerReference
    from spikestats.exceptions import DataWarning

    net, inputs = _network(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # a few weak weights quantise to 0
        sim = SpiNNakerReference(net)
    a = sim.run(inputs).spikes.n_spikes
    b = FloatReference(net, 1e-3, "exact").run(inputs).spikes.n_spikes
    _require(abs(a - b) <= 0.15 * b, f"spinnaker: {a} spikes against {b} for the exact float model")
    return Pair("200 neurons x 10000 steps", functools.partial(sim.run, inputs))


@functools.lru_cache(maxsize=1)
def _large_network():
    from spikestats.bridge import network_from_arrays

    rng = np.random.default_rng(0)
    n, n_in = 1000, 100
    return network_from_arrays("cuba_lif", n, tau_mem=20e-3, tau_syn=5e-3, r=8e7, v_leak=-65e-3, v_reset=-70e-3,
                               v_threshold=-50e-3, t_ref=2e-3,
                               weights=np.where(rng.random((n, n)) < 0.1, rng.normal(-0.02e-9, 0.1e-9, (n, n)), 0.0),
                               input_weights=np.where(rng.random((n, n_in)) < 0.2, 0.6e-9, 0.0),
                               populations=(("exc", 0, 800), ("inh", 800, 1000)))


def _host(args: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
    from spikestats.bridge import spinnaker_host
    from spikestats.exceptions import DataWarning

    net = _large_network()

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            return spinnaker_host(net)

    _require(run().ring_buffer_shifts.shape == (2, 2), "host: one shift per population and synapse type")
    return Pair(f"{net.n_neurons} neurons, {np.count_nonzero(net.weights)} synapses", run)


def _escape(args: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
    from spikestats.bridge import EscapeNeuronReference

    rng = np.random.default_rng(1)
    m, k = 50, 3
    weights = np.where(rng.random((m, m, k)) < 0.1, rng.normal(0, 0.3, (m, m, k)), 0.0)
    weights -= 2.0 * np.eye(m)[:, :, None] * np.array([1.0, 0.3, 0.1])
    ref = EscapeNeuronReference(bias=np.full(m, np.log(10.0)), taus=[0.002, 0.01, 0.05], weights=weights)
    steps = 100_000 if not args.quick else 20_000
    fixed, flt = ref.run(steps, rng=1), ref.run(steps, rng=1, fixed_point=False)
    same = set(zip(fixed.spikes.times, fixed.spikes.train_index)) ^ set(zip(flt.spikes.times, flt.spikes.train_index))
    _require(len(same) <= 0.01 * fixed.spikes.n_spikes, f"escape: {len(same)} spikes differ from the float twin")
    return Pair(f"{m} neurons x {k} bases x {steps} steps", functools.partial(ref.run, steps, rng=1))


SPINNAKER_CASES = (
    Case("bridge-spinnaker", _spinnaker),
    Case("bridge-spinnaker-host", _host),
    Case("bridge-escape", _escape, quick=False),
)
