"""The float reference, spike-train distances and compare(): naive twins, Elephant, quantisation fidelity."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from spikestats.bridge.compare import compare, van_rossum_distance
from spikestats.bridge.float_sim import FloatReference
from spikestats.bridge.network import network_from_arrays
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.generators.poisson import PoissonProcess

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "reference"))
from naive_bridge import euler_naive, matched_naive, van_rossum_naive  # noqa: E402

# The acceptance figures for Loihi's fixed point against the float model at the same dt.
MAX_RATE_ERROR = 0.02
MIN_WITHIN_ONE_STEP = 0.95


def recurrent_cuba(seed: int, n: int = 20, n_in: int = 10, t_stop: float = 30.0):
    """A recurrent CubaLIF network (self-inhibition, sparse weak coupling) driven by 10 Hz Poisson inputs."""
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.04e-9, (n, n)) * (rng.random((n, n)) < 0.3)
    np.fill_diagonal(w, -0.3e-9)
    w_in = rng.uniform(0.5e-9, 1.5e-9, (n, n_in)) * (rng.random((n, n_in)) < 0.7)
    net = network_from_arrays("cuba_lif", n, tau_mem=20e-3, tau_syn=5e-3, r=1e8, v_leak=-70e-3, v_reset=-70e-3,
                              v_threshold=-50e-3, i_bias=rng.uniform(0.0, 0.1e-9, n), weights=w, input_weights=w_in)
    return net, PoissonProcess(10.0).simulate(n_in, t_stop, rng=rng)


def test_float_kernel_matches_naive_twin():
    net, inputs = recurrent_cuba(2, n=5, n_in=3, t_stop=0.3)
    net = net.replace(t_ref=np.array([0.0, 2e-3, 0.0, 3e-3, 1e-3]))
    sim = FloatReference(net, 1e-3)
    out = sim.run(inputs, record=("u", "v"))
    d = sim.discretisation
    raster_in = inputs.to_raster(1e-3, 0.0, 0.3).T if hasattr(inputs, "to_raster") else None
    u, v, s = euler_naive(d.syn_decay, d.mem_decay, d.weight_gain, d.mem_drive - (1 - d.mem_decay) * net.v_reset,
                          net.v_threshold - net.v_reset, d.refractory_steps, net.weights, net.input_weights,
                          np.asarray(raster_in), out.raster.shape[0])
    assert s.sum() > 5
    np.testing.assert_array_equal(out.raster, s)
    np.testing.assert_allclose(out.u, u, rtol=1e-12, atol=1e-18)
    np.testing.assert_allclose(out.v, v + net.v_reset, rtol=1e-12, atol=1e-15)


def test_van_rossum_matches_naive_twin():
    rng = np.random.default_rng(4)
    a = [np.sort(rng.uniform(0, 1, k)) for k in (0, 3, 10, 7)]
    b = [np.sort(rng.uniform(0, 1, k)) for k in (2, 0, 12, 7)]
    b[3] = a[3].copy()
    b[3][2] = a[3][4]  # a tie across trains
    b[3] = np.sort(b[3])
    st_a, st_b = SpikeTrains.from_list(a, 0.0, 1.0), SpikeTrains.from_list(b, 0.0, 1.0)
    got = van_rossum_distance(st_a, st_b, tau=0.05)
    want = [np.sqrt(2.0) * van_rossum_naive(x, y, 0.05) for x, y in zip(a, b)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert van_rossum_distance(st_a, st_a, tau=0.05).max() == 0.0
    # a lone spike against nothing is 1 in this normalisation
    one = van_rossum_distance(SpikeTrains.from_list([[0.5]], 0.0, 1.0), SpikeTrains.from_list([[]], 0.0, 1.0))
    np.testing.assert_allclose(one, [1.0])


@pytest.mark.peers
def test_van_rossum_agrees_with_elephant():
    quantities = pytest.importorskip("quantities")
    neo = pytest.importorskip("neo")
    dissimilarity = pytest.importorskip("elephant.spike_train_dissimilarity")
    rng = np.random.default_rng(8)
    a, b = np.sort(rng.uniform(0, 2, 40)), np.sort(rng.uniform(0, 2, 35))
    trains = [neo.SpikeTrain(x * quantities.s, t_stop=2.0 * quantities.s) for x in (a, b)]
    want = dissimilarity.van_rossum_distance(trains, 0.02 * quantities.s)[0, 1]
    got = van_rossum_distance(SpikeTrains.from_list([a], 0.0, 2.0), SpikeTrains.from_list([b], 0.0, 2.0), 0.02)
    np.testing.assert_allclose(got[0], want, rtol=1e-10)


def test_within_one_step_pairs_one_to_one():
    dt = 1e-3
    ref = SpikeTrains.from_list([[0.010, 0.020, 0.030], [0.050]], 0.0, 0.1)
    other = SpikeTrains.from_list([[0.011, 0.012, 0.040], [0.048]], 0.0, 0.1)
    from spikestats.bridge.compare import _measure

    cmp = _measure({"float": ref, "x": other}, {}, dt, 0.01)
    # 10 <-> 11 pairs; 12 cannot pair with 10 again; 20, 30, 40 and 48-vs-50 (2 steps) do not pair
    assert cmp.within_one_step["x"] == pytest.approx(1 / 4)
    np.testing.assert_allclose(cmp.rate_rel_error["x"], [0.0, 0.0])


def test_matching_kernel_is_a_maximum_matching():
    from spikestats._kernels.spike_distances import matched_within

    rng = np.random.default_rng(21)
    for _ in range(50):
        a = [np.unique(rng.integers(0, 40, rng.integers(0, 15))) for _ in range(3)]
        b = [np.unique(rng.integers(0, 40, rng.integers(0, 15))) for _ in range(3)]
        flat_a, flat_b = np.concatenate(a).astype(np.int64), np.concatenate(b).astype(np.int64)
        off_a = np.concatenate([[0], np.cumsum([x.size for x in a])]).astype(np.int64)
        off_b = np.concatenate([[0], np.cumsum([x.size for x in b])]).astype(np.int64)
        got = matched_within(flat_a, off_a, flat_b, off_b, 1, np.zeros(3, np.int64))
        np.testing.assert_array_equal(got, [matched_naive(x, y, 1) for x, y in zip(a, b)])


def test_loihi_quantisation_fidelity():
    net, inputs = recurrent_cuba(0)
    cmp = compare(net, inputs, dt=1e-3, backends=("float", "loihi"))
    assert cmp.rates["float"].min() > 1.0  # every neuron fires
    assert np.max(cmp.rate_rel_error["loihi"]) <= MAX_RATE_ERROR
    assert cmp.within_one_step["loihi"] >= MIN_WITHIN_ONE_STEP
    assert np.all(np.isfinite(cmp.van_rossum["loihi"])) and "loihi" in repr(cmp)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 21))
def test_loihi_quantisation_fidelity_seed_sweep(seed):
    net, inputs = recurrent_cuba(seed)
    cmp = compare(net, inputs, dt=1e-3, backends=("loihi",))
    assert np.max(cmp.rate_rel_error["loihi"]) <= MAX_RATE_ERROR
    assert cmp.within_one_step["loihi"] >= MIN_WITHIN_ONE_STEP


def test_compare_other_backends(monkeypatch):
    net, inputs = recurrent_cuba(3, n=6, n_in=4, t_stop=1.0)
    cmp = compare(net, inputs, backends=("float_exact", "spinnaker"))
    assert set(cmp.spikes) == {"float", "float_exact", "spinnaker"}
    assert cmp.spikes["spinnaker"].n_trains == net.n_neurons
    monkeypatch.setitem(sys.modules, "spikestats.bridge.spinnaker", None)
    cmp = compare(net, inputs, backends=("spinnaker",))
    assert "spinnaker" in cmp.skipped and "not available" in cmp.skipped["spinnaker"]
    assert "skipped" in repr(cmp)


def test_compare_bad_input():
    net, inputs = recurrent_cuba(3, n=3, n_in=2, t_stop=0.2)
    with pytest.raises(ValidationError, match="loihi"):
        compare(net, inputs, backends=("lohi",))
    with pytest.raises(ValidationTypeError, match="backends"):
        compare(net, inputs, backends="loihi")
    with pytest.raises(ValidationError, match="tau"):
        compare(net, inputs, tau=0.0)
    with pytest.raises(ValidationError, match="Euler"):
        FloatReference(net, dt=10e-3)
    with pytest.raises(ValidationError, match="as many trains"):
        van_rossum_distance(inputs, SpikeTrains.from_list([[0.1]], 0.0, 0.2))
