"""to_pynn: the script is valid Python holding the network's cells, sources and projections; it runs with pyNN.brian2
(marker ``pynn``, in its own environment because Brian2 2.9 needs numpy < 2.4)."""

from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from spikestats.bridge.network import network_from_arrays
from spikestats.bridge.pynn import projections, to_pynn
from spikestats.bridge.spinnaker import SpiNNakerReference
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationError, ValidationTypeError

PYNN_PYTHON = Path(os.environ.get("SPIKESTATS_PYNN_PYTHON", "/work/pynn311/bin/python"))


def network(t_ref=2e-3, recurrent=True):
    rng = np.random.default_rng(4)
    n = 5
    w = np.where(rng.random((n, n)) < 0.4, rng.normal(0.0, 1.2e-9, (n, n)), 0.0) if recurrent else np.zeros((n, n))
    np.fill_diagonal(w, 0.0)
    w_in = rng.uniform(0.5e-9, 2.5e-9, (n, 2)) * np.array([1.0, -0.5])  # one excitatory, one inhibitory channel
    return network_from_arrays("cuba_lif", n, tau_mem=rng.uniform(10e-3, 20e-3, n), tau_syn=5e-3,
                               r=rng.uniform(50e6, 90e6, n), v_leak=-65e-3, v_threshold=-50e-3, v_reset=-70e-3,
                               i_bias=0.1e-9, t_ref=t_ref, weights=w, input_weights=w_in,
                               populations=(("exc", 0, 3), ("inh", 3, 5)))


def inputs(t_stop=1.0):
    rng = np.random.default_rng(5)
    return SpikeTrains.from_list([np.sort(rng.uniform(0, t_stop, int(40 * t_stop))) for _ in range(2)],
                                 t_start=0.0, t_stop=t_stop)


def calls(script: str, name: str) -> list[ast.Call]:
    tree = ast.parse(script)
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == name]


def test_script_compiles_and_holds_the_network():
    net = network()
    script = to_pynn(net, inputs=inputs())
    compile(script, "net.py", "exec")
    assert len(calls(script, "IF_curr_exp")) == 2 and len(calls(script, "SpikeSourceArray")) == 1
    projs = calls(script, "FromListConnector")
    assert len(projs) == len(projections(net))
    # every synapse of the network appears once, with its magnitude in nA and a 1 ms delay
    listed = sum(len(ast.literal_eval(p.args[0])) for p in projs)
    assert listed == np.count_nonzero(net.weights) + np.count_nonzero(net.input_weights)
    for call, (_, _, receptor, _) in zip(projs, projections(net)):
        conns = ast.literal_eval(call.args[0])
        assert all(c[3] == 1.0 for c in conns)
        assert all((c[2] > 0) == (receptor == "excitatory") for c in conns)  # PyNN: inhibitory weights < 0
    assert "sim.run(1000.0)" in script and "'spiNNaker'" in script


def test_poisson_sources_and_options():
    script = to_pynn(network(), input_rates=[10.0, 25.0], t_stop=0.5, simulator="nest", delay_steps=2)
    compile(script, "net.py", "exec")
    assert "SpikeSourcePoisson(rate=[10.0, 25.0])" in script and "'nest'" in script
    assert ", 2.0)" in script  # delay of two 1 ms steps


def test_bad_input_raises():
    net = network()
    with pytest.raises(ValidationError, match="t_stop"):
        to_pynn(net)
    with pytest.raises(ValidationError, match="input_rates"):
        to_pynn(net, inputs=inputs(), input_rates=[1.0, 2.0])
    with pytest.raises(ValidationError, match="input_rates"):
        to_pynn(net, input_rates=[1.0], t_stop=1.0)
    with pytest.raises(ValidationError, match="one train per input channel"):
        to_pynn(net, inputs=SpikeTrains.from_list([[0.1]], t_start=0.0, t_stop=1.0))
    with pytest.raises(ValidationTypeError, match="inputs"):
        to_pynn(net, inputs=[[0.1], [0.2]])
    with pytest.raises(ValidationError, match="Did you mean 'brian2'"):
        to_pynn(net, inputs=inputs(), simulator="brain2")
    with pytest.raises(ValidationError, match="cuba_lif"):
        to_pynn(network_from_arrays("lif", 2), t_stop=1.0)


@pytest.mark.pynn
@pytest.mark.slow  # about a minute (Brian2's code generation): run with `-m pynn`
def test_script_runs_with_pynn_brian2(tmp_path):
    if not PYNN_PYTHON.exists():
        pytest.skip(f"no PyNN + Brian2 environment at {PYNN_PYTHON} (Brian2 2.9 needs numpy < 2.4: "
                    "python -m venv ENV && ENV/bin/pip install pyNN brian2 'numpy<2.4'; set SPIKESTATS_PYNN_PYTHON)")
    net, inp = network(recurrent=False), inputs(2.0)
    (tmp_path / "net.py").write_text(to_pynn(net, inputs=inp))
    # Brian2 reads ./brian_preferences: the numpy target needs no C++ compiler
    (tmp_path / "brian_preferences").write_text("codegen.target = 'numpy'\n")
    run = subprocess.run([str(PYNN_PYTHON), "net.py", "brian2", "spikes.npz"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    out = np.load(tmp_path / "spikes.npz")
    counts = np.concatenate([np.diff(out["exc_offsets"]), np.diff(out["inh_offsets"])])
    # pyNN.brian2 holds the membrane while t - t_spike < tau_refrac: one step fewer than sPyNNaker's counter
    # (ceil(tau_refrac / dt) steps after the spike step). With that step given back, the float simulation and
    # the s16.15 reference give the same spike counts on this feed-forward network.
    brian_like = net.replace(t_ref=net.t_ref - 1e-3)
    ref = SpiNNakerReference(brian_like).run(inp).spikes.counts
    assert counts.shape == (5,) and counts.sum() > 100
    assert counts.tolist() == ref.tolist()


def test_single_input_channel_is_a_flat_spike_list():
    net = network_from_arrays("cuba_lif", 1, r=1e8, v_leak=-65e-3, v_reset=-70e-3, v_threshold=-50e-3,
                              input_weights=[[1e-9]])
    script = to_pynn(net, inputs=SpikeTrains.from_list([[0.01, 0.02]], t_start=0.0, t_stop=0.05))
    assert "SpikeSourceArray(spike_times=[10.0, 20.0])" in script
