"""NIR export/import: exact round trips, graphs laid out as snnTorch / Norse / Spyx write them, bad graphs."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

nir = pytest.importorskip("nir")

from spikestats.bridge.discretise import Discretisation, discretise  # noqa: E402
from spikestats.bridge.float_sim import FloatReference  # noqa: E402
from spikestats.bridge.loihi import LoihiReference  # noqa: E402
from spikestats.bridge.network import Network, network_from_arrays  # noqa: E402
from spikestats.bridge.nir_export import META_KEY, from_nir, to_nir, write_nir  # noqa: E402
from spikestats.core.spiketrains import SpikeTrains  # noqa: E402
from spikestats.exceptions import FileFormatError, MissingFileError, ValidationError, ValidationTypeError  # noqa: E402
from spikestats.generators.lif import LIF  # noqa: E402
from spikestats.generators.poisson import PoissonProcess  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "data" / "nir"
W1 = np.array([[0.5, -0.25, 1.0], [0.0, 0.75, -0.5], [1.25, 0.25, 0.0], [-0.5, 0.5, 0.5]])
W2 = np.array([[0.5, 0.5, -0.5, 1.0], [1.0, -0.25, 0.25, 0.0]])


def random_network(kind: str, seed: int = 0, n: int = 7, n_in: int = 4) -> Network:
    rng = np.random.default_rng(seed)
    scale = 1e-10 if kind == "cuba_lif" else 1e-3
    return network_from_arrays(
        kind, n, tau_mem=rng.uniform(10e-3, 30e-3, n), tau_syn=rng.uniform(2e-3, 8e-3, n), r=rng.uniform(5e7, 2e8, n),
        v_leak=-70e-3, v_reset=rng.uniform(-75e-3, -65e-3, n), v_threshold=-50e-3, i_bias=rng.uniform(0, 3e-10, n),
        t_ref=rng.choice([0.0, 2e-3], n), weights=rng.normal(0, scale, (n, n)) * (rng.random((n, n)) < 0.5),
        input_weights=rng.uniform(0, 4 * scale, (n, n_in)))


@pytest.mark.parametrize("kind", ["cuba_lif", "lif"])
def test_round_trip_is_exact_through_a_file(kind, tmp_path):
    net = random_network(kind)
    path = tmp_path / "net.nir"
    write_nir(net, path, dt=1e-3)
    back = from_nir(path)
    assert back.equals(net) and back.kind == kind
    for name in ("tau_mem", "r", "v_leak", "v_threshold", "v_reset", "i_bias", "t_ref", "weights", "input_weights"):
        np.testing.assert_array_equal(getattr(back, name), getattr(net, name))
    # the stored discretisation record rebuilds the same per-step constants bit for bit
    stored = Discretisation.from_metadata(back.metadata["discretisation"])
    assert stored.matches(discretise(net, 1e-3)) and stored.matches(discretise(back, 1e-3))


@pytest.mark.parametrize("kind", ["cuba_lif", "lif"])
def test_round_trip_gives_identical_spikes(kind, tmp_path):
    net = random_network(kind, seed=1)
    path = tmp_path / "net.nir"
    Network.to_nir(net)  # the method form works too
    write_nir(net.to_nir(), path)
    back = Network.from_nir(path)
    inputs = PoissonProcess(40.0).simulate(net.n_inputs, 2.0, rng=5)
    a, b = FloatReference(net).run(inputs), FloatReference(back).run(inputs)
    assert a.spikes.n_spikes > 50
    np.testing.assert_array_equal(a.raster, b.raster)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the refractory period is dropped on Loihi (reported)
        la, lb = LoihiReference(net).run(inputs), LoihiReference(back).run(inputs)
    np.testing.assert_array_equal(la.raster, lb.raster)


@settings(max_examples=25, deadline=None)
@given(kind=hst.sampled_from(["lif", "cuba_lif"]), n=hst.integers(1, 6), n_in=hst.integers(0, 4),
       seed=hst.integers(0, 2 ** 32 - 1), log_scale=hst.floats(-12, 3))
def test_round_trip_is_exact_for_any_network(kind, n, n_in, seed, log_scale):
    rng = np.random.default_rng(seed)
    scale = 10.0 ** log_scale
    net = network_from_arrays(kind, n, tau_mem=rng.uniform(1e-3, 1.0, n), tau_syn=rng.uniform(1e-4, 0.1, n),
                              r=10.0 ** rng.uniform(-3, 10, n), v_leak=rng.normal(0, 1, n),
                              v_threshold=rng.uniform(1.0, 2.0, n), v_reset=rng.uniform(-1.0, 0.5, n),
                              i_bias=rng.normal(0, scale, n), t_ref=rng.uniform(0, 5e-3, n),
                              weights=rng.normal(0, scale, (n, n)), input_weights=rng.normal(0, scale, (n, n_in)))
    back = from_nir(to_nir(net))
    for name in ("tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "v_reset", "i_bias", "t_ref", "weights",
                 "input_weights"):
        np.testing.assert_array_equal(getattr(back, name), getattr(net, name))
    assert back.n_inputs == n_in


def test_export_layout_and_metadata():
    net = random_network("cuba_lif")
    graph = to_nir(net, dt=1e-3, method="exact")
    assert set(graph.nodes) == {"input", "w_in_neurons", "neurons", "w_rec", "output"}
    assert ("neurons", "w_rec") in graph.edges and ("w_rec", "neurons") in graph.edges
    node = graph.nodes["neurons"]
    assert isinstance(node, nir.CubaLIF)
    # NIR's own reading (Dirac spikes): a spike through w jumps I by w_in w / tau_syn = W exactly
    np.testing.assert_array_equal(node.w_in / node.tau_syn, np.ones(net.n_neurons))
    np.testing.assert_allclose(node.v_leak, net.v_leak + net.r * net.i_bias)
    meta = graph.metadata[META_KEY]
    assert meta["convention"] == "nir" and meta["discretisation"]["method"] == "exact"
    assert "strict" in meta["threshold"] and meta["units"].startswith("SI")
    np.testing.assert_array_equal(node.metadata[META_KEY]["t_ref"], net.t_ref)
    # NIR itself accepts the graph (type check on) and other readers can ignore the metadata
    nir.NIRGraph(nodes=graph.nodes, edges=graph.edges, type_check=True)


def test_generator_lif_exports_as_unconnected_neurons():
    model = LIF(tau_m=15e-3, v_rest=-65e-3, v_th=-50e-3, v_reset=-68e-3, r_m=2e8, t_ref=3e-3, sigma=1e-3)
    graph = to_nir(model, n_neurons=3, i_bias=1e-10)
    assert "input" not in graph.nodes and isinstance(graph.nodes["lif"], nir.LIF)
    assert graph.metadata[META_KEY]["noise_sigma"] == pytest.approx(1e-3)
    net = from_nir(graph)
    np.testing.assert_array_equal(net.tau_mem, [15e-3] * 3)
    np.testing.assert_array_equal(net.r, [2e8] * 3)
    np.testing.assert_array_equal(net.t_ref, [3e-3] * 3)
    np.testing.assert_array_equal(net.i_bias, [1e-10] * 3)
    assert net.n_inputs == 0 and not net.weights.any()


def test_snntorch_style_graph_matches_snntorch_dynamics():
    net = from_nir(DATA / "snntorch_style.nir", convention="snntorch")
    assert net.populations == (("lif1", 0, 4), ("rlif2.lif", 4, 6)) and net.metadata["dt"] == 1e-4
    np.testing.assert_allclose(net.input_weights[:4], W1, rtol=1e-7)  # jumps equal the torch weights
    np.testing.assert_allclose(net.weights[4:, :4], W2, rtol=1e-7)
    np.testing.assert_allclose(net.weights[4:, 4:], [[-0.5, 0.25], [0.25, -0.5]], rtol=1e-7)
    np.testing.assert_allclose(net.i_bias[:4], 10 * np.array([0.0, 0.1, -0.1, 0.05]), rtol=1e-6)
    # Euler at snnTorch's dt is snnTorch's Synaptic: syn <- alpha syn + W x, mem <- beta mem + syn
    d = discretise(net, 1e-4)
    np.testing.assert_allclose(d.syn_decay, 0.9)
    np.testing.assert_allclose(d.mem_decay, 0.8)
    np.testing.assert_allclose(d.weight_gain, 1.0)


def test_norse_style_graph():
    net = from_nir(DATA / "norse_style.nir", convention="norse")
    np.testing.assert_allclose(net.tau_mem, 0.01)
    np.testing.assert_allclose(net.tau_syn, 0.005)
    np.testing.assert_array_equal(net.input_weights[:4], W1)  # Norse adds the input to the current
    np.testing.assert_array_equal(net.weights[4:, :4], W2)
    assert net.metadata["outputs"] == ["3"]


def test_spyx_style_graph_needs_its_convention():
    with pytest.raises(ValidationError, match="shapes match"):
        from_nir(DATA / "spyx_style.nir")
    with pytest.raises(ValidationError, match="dt"):
        from_nir(DATA / "spyx_style.nir", convention="spyx")
    net = from_nir(DATA / "spyx_style.nir", convention="spyx", dt=1e-3)
    np.testing.assert_allclose(net.input_weights[:4], W1 * (1 - 0.85))  # Spyx's own w * dt / tau_syn
    d = discretise(net, 1e-3)
    np.testing.assert_allclose(d.mem_decay, 0.9)
    np.testing.assert_allclose(d.weight_gain, 1.0)


def test_nir_reading_of_a_plain_graph():
    tau, r = np.array([0.02, 0.01]), np.array([2.0, 4.0])
    graph = nir.NIRGraph(
        nodes={"in": nir.Input(np.array([3])), "w": nir.Affine(weight=np.ones((2, 3)), bias=np.array([0.5, 0.0])),
               "lif": nir.LIF(tau=tau, r=r, v_leak=np.zeros(2), v_threshold=np.ones(2)),
               "s": nir.Scale(scale=np.array([-1.0, 2.0])), "out": nir.Output(np.array([2]))},
        edges=[("in", "w"), ("w", "lif"), ("lif", "s"), ("s", "lif"), ("lif", "out")])
    net = from_nir(graph)
    np.testing.assert_allclose(net.input_weights, (r / tau)[:, None] * np.ones((2, 3)))  # Dirac: r w / tau
    np.testing.assert_allclose(net.weights, np.diag(r / tau * np.array([-1.0, 2.0])))
    np.testing.assert_allclose(net.i_bias, [0.5, 0.0])
    assert net.metadata["source"] == "nir" and net.metadata["convention"] == "nir"


def _graph(nodes, edges):
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=False)


def _cuba(n):
    return nir.CubaLIF(tau_syn=np.full(n, 5e-3), tau_mem=np.full(n, 2e-2), r=np.ones(n), v_leak=np.zeros(n),
                       v_threshold=np.ones(n))


def test_bad_graphs_are_rejected_clearly():
    inp = nir.Input(np.array([3]))
    with pytest.raises(ValidationError, match="Delay node 'd'"):
        from_nir(_graph({"i": inp, "d": nir.Delay(delay=np.ones(3)), "n": _cuba(3)}, [("i", "d"), ("d", "n")]))
    mixed = {"i": inp, "a": _cuba(3), "b": nir.LIF(tau=np.ones(3), r=np.ones(3), v_leak=np.zeros(3),
                                                     v_threshold=np.ones(3))}
    with pytest.raises(ValidationError, match="one neuron type"):
        from_nir(_graph(mixed, [("i", "a"), ("a", "b")]))
    loop = {"i": inp, "n": _cuba(3), "p": nir.Linear(np.eye(3)), "q": nir.Linear(np.eye(3))}
    with pytest.raises(ValidationError, match="loop through"):
        from_nir(_graph(loop, [("i", "p"), ("p", "q"), ("q", "p"), ("q", "n")]))
    shapes = {"i": inp, "w": nir.Linear(np.ones((5, 3))), "n": _cuba(4)}
    with pytest.raises(ValidationError, match="5 values arriving at 'n' of 4 neurons"):
        from_nir(_graph(shapes, [("i", "w"), ("w", "n")]))
    chain = {"i": inp, "w": nir.Linear(np.ones((4, 2))), "n": _cuba(4)}
    with pytest.raises(ValidationError, match="2 columns from input"):
        from_nir(_graph(chain, [("i", "w"), ("w", "n")]))
    with pytest.raises(ValidationError, match="at least one LIF"):
        from_nir(_graph({"i": inp, "o": nir.Output(np.array([3]))}, [("i", "o")]))
    with pytest.raises(ValidationError, match="unknown node"):
        from_nir(_graph({"i": inp, "n": _cuba(3)}, [("i", "m")]))
    with pytest.raises(ValidationError, match="convention"):
        from_nir(_graph({"n": _cuba(3)}, []), convention="torch")
    with pytest.raises(ValidationError, match="dt"):
        from_nir(_graph({"n": _cuba(3)}, []), convention="per_step")


def test_bad_arguments(tmp_path):
    with pytest.raises(ValidationTypeError, match="nir.NIRGraph"):
        from_nir({"nodes": {}})
    with pytest.raises(MissingFileError):
        from_nir(tmp_path / "missing.nir")
    (tmp_path / "junk.nir").write_bytes(b"not hdf5")
    with pytest.raises(FileFormatError, match="readable NIR file"):
        from_nir(tmp_path / "junk.nir")
    with pytest.raises(ValidationTypeError, match="Network"):
        to_nir(object())
    with pytest.raises(MissingFileError):
        write_nir(random_network("lif"), tmp_path / "no" / "such" / "dir.nir")
    with pytest.raises(ValidationError, match="v_reset"):
        network_from_arrays("lif", 2, v_reset=2.0)
    with pytest.raises(ValidationError, match="square"):
        Network("lif", 0.02, 0, 1, 0, 1, 0, 0, 0, np.zeros((2, 3)), np.zeros((2, 0)))
    with pytest.raises(ValidationError, match="input_weights"):
        network_from_arrays("cuba_lif", 2, input_weights=np.zeros((3, 1)))
    with pytest.raises(ValidationError, match="tau_syn"):
        network_from_arrays("cuba_lif", 2, tau_syn=[1e-3, 0.0])
    with pytest.raises(ValidationError, match="kind"):
        network_from_arrays("izhikevich", 2)


def test_inputs_must_match_the_graph():
    net = random_network("cuba_lif", n_in=2)
    with pytest.raises(ValidationError, match="one train per input channel"):
        FloatReference(net).run(SpikeTrains.from_list([[0.1]], 0.0, 1.0))
