"""Freeze sPyNNaker 7.4.1's host-side numbers for a small IF_curr_exp network.

Run in its own environment (sPyNNaker is not a spikestats dependency)::

    /root/.pyenv/versions/3.11.7/bin/python -m venv /work/spynnaker311
    /work/spynnaker311/bin/pip install "sPyNNaker==1!7.4.1"     # the PyPI version carries epoch 1
    cd tests/reference && /work/spynnaker311/bin/python spynnaker_host.py

What it does: writes a ``spynnaker.cfg`` with ``virtual_board = True`` (a
48-chip SpiNN-5 board, ``version = 5``) into a temporary working directory,
builds the network below with ``pyNN.spiNNaker``, maps it with ``sim.run``
(a virtual board maps and generates data but runs and records nothing), and
then asks sPyNNaker's own host code, per IF_curr_exp population vertex, for

* ``PopulationVertex.get_ring_buffer_shifts()`` -- the left shift per
  synapse type (excitatory, inhibitory);
* ``PopulationVertex.get_weight_scales(shifts)`` -- ``2**(15 - shift)``;
* the neuron parameter region as written: every ``Struct`` of
  ``neuron_impl.structs`` filled by ``Struct.get_data`` from the vertex's
  parameters and state variables (the s16.15 words, grouped per struct);
* the 16-bit synaptic weights: each projection's connections made by its
  connector's ``create_synaptic_block``, scaled by the weight scale of its
  synapse type as ``synapse_io`` does, and packed by
  ``SynapseDynamicsStatic.get_static_synaptic_data`` (weight = word >> 16).

The result goes to ``spynnaker_host.json`` next to this script; the test
``tests/unit/bridge/test_spinnaker.py`` rebuilds the same network in
spikestats units and checks that ``SpiNNakerReference``'s host computation
gives the same integers.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "spynnaker_host.json"

DT_MS = 1.0
DELAY_MS = 1.0

# Two IF_curr_exp populations (PyNN units: mV, ms, nF, nA) and one spike source array.
POPULATIONS = {
    "exc": dict(n=3, tau_m=[17.3, 20.0, 12.5], cm=[0.27, 0.25, 0.31], v_rest=[-65.2, -65.0, -64.77],
                v_reset=[-70.3, -70.0, -68.9], v_thresh=[-50.1, -52.0, -49.35], tau_syn=[4.7, 5.0, 3.3],
                tau_refrac=[2.5, 2.0, 1.3], i_offset=[0.13, 0.0, 0.41]),
    "inh": dict(n=2, tau_m=[10.0, 8.2], cm=[0.2, 0.15], v_rest=[-60.0, -61.4], v_reset=[-62.0, -63.5],
                v_thresh=[-45.0, -46.25], tau_syn=[2.0, 2.9], tau_refrac=[1.0, 0.7], i_offset=[0.0, 0.05]),
}
N_INPUTS = 3
INPUT_SPIKES_MS = [[2.0, 11.0, 11.5], [3.0, 7.25], [5.0]]

# (pre, post, receptor, [(i, j, weight_nA), ...]); weights are magnitudes, as PyNN wants.
PROJECTIONS = [
    ("inputs", "exc", "excitatory", [(0, 0, 0.75), (1, 0, 1.2), (1, 1, 0.33), (2, 2, 2.6), (0, 2, 0.051)]),
    ("exc", "exc", "excitatory", [(0, 1, 0.5), (1, 2, 0.25), (2, 0, 0.123)]),
    ("inh", "exc", "inhibitory", [(0, 0, 1.5), (1, 1, 3.75), (0, 2, 0.8), (1, 2, 0.8)]),
    ("exc", "inh", "excitatory", [(0, 0, 0.9), (1, 0, 0.9), (2, 1, 6.3)]),
    ("inputs", "inh", "inhibitory", [(2, 1, 0.2)]),
]


def network_spec() -> dict:
    """The network as plain data (stored in the JSON so the test needs nothing else)."""
    return {"dt_ms": DT_MS, "delay_ms": DELAY_MS, "populations": POPULATIONS, "n_inputs": N_INPUTS,
            "input_spikes_ms": INPUT_SPIKES_MS,
            "projections": [[a, b, r, [list(c) for c in conns]] for a, b, r, conns in PROJECTIONS]}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="spynnaker_host_"))
    # registered before sPyNNaker's own exit hooks, so it runs after them (they write reports there)
    atexit.register(shutil.rmtree, work, True)
    cfg = "[Machine]\nvirtual_board = True\nversion = 5\n"
    # sPyNNaker insists on a config in the home directory: give it a private one
    os.environ["HOME"] = str(work)
    (work / ".spynnaker.cfg").write_text(cfg)
    (work / "spynnaker.cfg").write_text(cfg)
    os.chdir(work)
    import spynnaker
    import pyNN.spiNNaker as sim
    from pacman.model.graphs.common import Slice
    from spynnaker.pyNN.models.neuron.neuron_data import _MergedDict
    from spynnaker.pyNN.models.neuron.synapse_dynamics import SynapseDynamicsStatic

    sim.setup(timestep=DT_MS)
    pops = {"inputs": sim.Population(N_INPUTS, sim.SpikeSourceArray(spike_times=INPUT_SPIKES_MS),
                                     label="inputs")}
    for name, p in POPULATIONS.items():
        cell = sim.IF_curr_exp(tau_m=p["tau_m"], cm=p["cm"], v_rest=p["v_rest"], v_reset=p["v_reset"],
                               v_thresh=p["v_thresh"], tau_syn_E=p["tau_syn"], tau_syn_I=p["tau_syn"],
                               tau_refrac=p["tau_refrac"], i_offset=p["i_offset"])
        pops[name] = sim.Population(p["n"], cell, label=name)
        pops[name].initialize(v=p["v_rest"])
    projections = []
    for pre, post, receptor, conns in PROJECTIONS:
        conn_list = [(i, j, w, DELAY_MS) for i, j, w in conns]
        projections.append(sim.Projection(pops[pre], pops[post], sim.FromListConnector(conn_list),
                                          synapse_type=sim.StaticSynapse(), receptor_type=receptor))
    mapped = True
    try:
        sim.run(20.0)
    except Exception as exc:  # record what happened rather than hide it
        mapped = f"sim.run failed: {type(exc).__name__}: {exc}"

    result: dict = {"spynnaker_version": spynnaker.__version__, "python": sys.version.split()[0],
                    "virtual_board_mapped": mapped, "network": network_spec(), "populations": {},
                    "projections": []}
    scales = {}
    for name in POPULATIONS:
        vertex = pops[name]._vertex
        shifts = [int(s) for s in vertex.get_ring_buffer_shifts()]
        weight_scales = [float(s) for s in vertex.get_weight_scales(shifts)]
        scales[name] = weight_scales
        n = POPULATIONS[name]["n"]
        values = _MergedDict(vertex.parameters, vertex.state_variables)
        structs = {}
        for struct in vertex.neuron_impl.structs:
            if struct.repeat_type.name == "GLOBAL":
                data = struct.get_data(values)
            else:
                data = struct.get_data(values, Slice(0, n - 1))
            names = [field_name for _, field_name in struct.fields]
            structs["+".join(names)] = [int(w) for w in np.asarray(data, dtype=np.uint32)]
        result["populations"][name] = {"ring_buffer_shifts": shifts, "weight_scales": weight_scales,
                                       "param_words": structs}
    for (pre, post, receptor, _), proj in zip(PROJECTIONS, projections):
        s_info = proj._synapse_information
        post_vertex = pops[post]._vertex
        n_post = POPULATIONS[post]["n"]
        post_slice = Slice(0, n_post - 1)
        block = s_info.connector.create_synaptic_block([post_slice], post_slice, s_info.synapse_type, s_info)
        block = block.copy()
        block["weight"] = block["weight"] * scales[post][s_info.synapse_type]
        block["delay"] = np.rint(block["delay"] / DT_MS)
        dynamics = s_info.synapse_dynamics
        assert isinstance(dynamics, SynapseDynamicsStatic)
        n_pre = pops[pre].size
        ff_data, _ = dynamics.get_static_synaptic_data(block, block["source"], n_pre, 2, 256, 256)
        words = np.concatenate([np.asarray(row, dtype=np.uint32) for row in ff_data]) \
            if ff_data else np.zeros(0, np.uint32)
        # rows are grouped by source; within a row the order of the connection list is kept
        order = np.argsort(block["source"], kind="stable")
        result["projections"].append({
            "pre": pre, "post": post, "receptor": receptor, "synapse_type": int(s_info.synapse_type),
            "source": [int(x) for x in block["source"][order]], "target": [int(x) for x in block["target"][order]],
            "weight_int": [int(w >> 16) for w in words]})
        del post_vertex
    try:
        sim.end()
    except Exception:
        pass
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
