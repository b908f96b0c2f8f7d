"""Benchmark cases for the bridge's step simulators (reported for information: no peer runs here).

A recurrent CubaLIF network of 200 neurons (10 % recurrent connectivity, 50
Poisson inputs at 10 Hz, 20 % input connectivity) simulated for 10 000 steps
of 1 ms: ``LoihiReference.run`` (integer Lava semantics) and
``FloatReference.run`` (float64 Euler). Lava itself needs Python 3.10, so it
is not timed here; the check is that both backends fire within 2 % of each
other in total.
"""

from __future__ import annotations

import argparse
import functools
from types import SimpleNamespace

import numpy as np

from benchmarks.cases import Case, Pair, _require


@functools.lru_cache(maxsize=1)
def _network(seed: int):
    from spikestats.bridge import network_from_arrays
    from spikestats.generators.poisson import PoissonProcess

    rng = np.random.default_rng(seed)
    n, n_in = 200, 50
    net = network_from_arrays("cuba_lif", n, tau_mem=20e-3, tau_syn=5e-3, r=1e8, v_leak=-70e-3, v_reset=-70e-3,
                              v_threshold=-50e-3, i_bias=0.1e-9,
                              weights=rng.normal(0, 0.05e-9, (n, n)) * (rng.random((n, n)) < 0.1),
                              input_weights=rng.uniform(0, 1e-9, (n, n_in)) * (rng.random((n, n_in)) < 0.2))
    return net, PoissonProcess(10.0).simulate(n_in, 10.0, rng=seed + 1)


def _bridge(kind: str):
    def build(args: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        from spikestats.bridge import FloatReference, LoihiReference

        net, inputs = _network(0)
        sim = LoihiReference(net) if kind == "loihi" else FloatReference(net)
        other = FloatReference(net) if kind == "loihi" else LoihiReference(net)
        a, b = sim.run(inputs).spikes.n_spikes, other.run(inputs).spikes.n_spikes
        _require(abs(a - b) <= 0.02 * b, f"{kind}: {a} spikes against {b} on the other backend")
        return Pair("200 neurons x 10000 steps", functools.partial(sim.run, inputs))

    return build


BRIDGE_CASES = (
    Case("bridge-loihi", _bridge("loihi")),
    Case("bridge-float", _bridge("float")),
)
