"""SpiNNakerReference: host-side numbers equal sPyNNaker 7.4.1's (frozen), the s16.15 board arithmetic equals
its pure-Python twin, the IF_curr_exp semantics (>= threshold, refractory hold) and bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from reference import naive_spinnaker as naive
from spikestats._kernels import bridge_spinnaker as kern
from spikestats.bridge.fixed_point import from_s1615, ring_buffer_shift, to_s1615
from spikestats.bridge.network import Network, network_from_arrays
from spikestats.bridge.spinnaker import SpiNNakerReference, input_ticks, spinnaker_host
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import DataWarning, ValidationError, ValidationTypeError

FROZEN = Path(__file__).resolve().parents[2] / "reference" / "spynnaker_host.json"


def frozen_network() -> tuple[dict, Network, dict]:
    """The network of tests/reference/spynnaker_host.py in spikestats (SI) terms."""
    data = json.loads(FROZEN.read_text())
    spec = data["network"]
    names = list(spec["populations"])
    starts = np.cumsum([0] + [spec["populations"][k]["n"] for k in names])
    block = {k: (int(starts[i]), int(starts[i + 1])) for i, k in enumerate(names)}

    def cat(key: str) -> np.ndarray:
        return np.concatenate([spec["populations"][k][key] for k in names]).astype(float)

    n = int(starts[-1])
    w, w_in = np.zeros((n, n)), np.zeros((n, spec["n_inputs"]))
    for pre, post, receptor, conns in spec["projections"]:
        sign = 1.0 if receptor == "excitatory" else -1.0
        for i, j, weight in conns:
            if pre == "inputs":
                w_in[block[post][0] + j, i] = sign * weight * 1e-9
            else:
                w[block[post][0] + j, block[pre][0] + i] = sign * weight * 1e-9
    tau = cat("tau_m") * 1e-3
    net = Network("cuba_lif", tau_mem=tau, tau_syn=cat("tau_syn") * 1e-3, r=tau / (cat("cm") * 1e-9),
                  v_leak=cat("v_rest") * 1e-3, v_threshold=cat("v_thresh") * 1e-3, v_reset=cat("v_reset") * 1e-3,
                  i_bias=cat("i_offset") * 1e-9, t_ref=cat("tau_refrac") * 1e-3, weights=w, input_weights=w_in,
                  populations=tuple((k, *block[k]) for k in names))
    return data, net, block


# ---------------------------------------------------------------------------------------------- host side


def test_host_side_equals_spynnaker_741():
    data, net, block = frozen_network()
    assert data["spynnaker_version"] == "1!7.4.1" and data["virtual_board_mapped"] is True
    host = spinnaker_host(net, dt=data["network"]["dt_ms"] * 1e-3)
    for p, (name, _, _) in enumerate(net.populations):
        ref = data["populations"][name]
        assert host.ring_buffer_shifts[p].tolist() == ref["ring_buffer_shifts"]
        assert host.weight_scales[p].tolist() == ref["weight_scales"]
        for struct, words in ref["param_words"].items():
            if words:  # the current input type writes an empty struct
                assert host.param_words[name][struct] == words, (name, struct)
    for proj in data["projections"]:
        s, (a, _) = proj["synapse_type"], block[proj["post"]]
        if proj["pre"] == "inputs":
            mine = host.input_weights[s, a + np.array(proj["target"]), proj["source"]]
        else:
            mine = host.weights[s, a + np.array(proj["target"]), block[proj["pre"]][0] + np.array(proj["source"])]
        assert mine.tolist() == proj["weight_int"], (proj["pre"], proj["post"])


def test_host_weights_round_trip_to_amperes():
    _, net, _ = frozen_network()
    host = spinnaker_host(net)
    w, w_in = host.weight_values()
    # 16-bit quantisation: half a unit of 2**(shift - 15) nA at most
    assert np.max(np.abs(w - net.weights)) <= 0.5 * 2.0 ** (4 - 15) * 1e-9
    assert np.max(np.abs(w_in - net.input_weights)) <= 0.5 * 2.0 ** (3 - 15) * 1e-9
    assert np.array_equal(np.sign(w), np.sign(net.weights))


@pytest.mark.parametrize(("w", "shift"), [(0.0, 0), (0.2, 0), (1.0, 1), (5.7, 3), (8.0, 4), (12.6, 4), (0.99, 0)])
def test_ring_buffer_shift_rule(w, shift):
    assert ring_buffer_shift(w) == shift


def test_s1615_encoding_rounds_half_to_even_on_the_decimal():
    # 1/65536 is half a unit: ties go to the even pattern, as Python's round on sPyNNaker's Decimal
    assert to_s1615("x", [1 / 65536, 3 / 65536, -1 / 65536, -65.2]).tolist() == [0, 2, 0, -2136474]
    assert from_s1615([4292830822])[0] == pytest.approx(-65.2, abs=2**-15)


def test_board_start_up_constants_are_close_to_their_real_values():
    _, net, _ = frozen_network()
    host = spinnaker_host(net)
    tau_ms = net.tau_mem * 1e3
    assert np.allclose(host.exp_tc / 2**15, np.exp(-1 / tau_ms), atol=2**-14)
    decay = np.exp(-1 / (net.tau_syn * 1e3))
    # dt / tau is truncated to s16.15 before expulr: up to 2**-15 in the exponent, plus ~2e-6 from expulr
    assert np.allclose(host.syn_decay / 2**32, decay, atol=2**-15 + 3e-6)
    assert np.allclose(host.syn_init / 2**32, net.tau_syn * 1e3 * (1 - decay), atol=1e-4)
    assert host.t_refract.tolist() == np.ceil(np.round(net.t_ref * 1e3, 9)).astype(int).tolist()


# ---------------------------------------------------------------------------------------------- arithmetic


def test_exponentials_equal_the_c_algorithm_and_are_accurate():
    args = list(range(-340700, -340690)) + list(range(363400, 363412)) + [0, -1, 1, -32768, 32768]
    args += np.random.default_rng(1).integers(-340695, 363408, size=300).tolist()
    for n in args:
        assert kern.expk(n) == naive.expk(n), n
        assert kern.expulr(n) == naive.expulr(n), n
    for n in args:
        if -340695 <= n <= 363408:
            assert abs(naive.expk(n) / 2**15 - math.exp(n / 2**15)) <= 2**-15 * max(1.0, math.exp(n / 2**15)) * 1.01
        if -340695 <= n < 0:
            assert abs(naive.expulr(n) / 2**32 - math.exp(n / 2**15)) < 2e-6


def test_multiplication_division_and_decay_equal_the_c_code():
    rng = np.random.default_rng(2)
    for x, y in rng.integers(-(2**31), 2**31, size=(300, 2)).tolist() + [[-(2**31), -(2**31)], [2**31 - 1, 2]]:
        assert kern.mul_round_nearest(x, y) == naive.mul_round_nearest(x, y)
    for a, b in rng.integers(1, 2**31, size=(200, 2)).tolist():
        assert kern.kdivk(a, b) == naive.kdivk(a, b)
    for x, d in zip(rng.integers(-(2**31), 2**31, 200).tolist(), rng.integers(0, 2**32, 200).tolist()):
        assert kern.decay_s1615(x, d) == naive.decay_s1615(x, d)
        assert kern.decay_s1615_to_u032(abs(x), d) == naive.decay_s1615_to_u032(abs(x), d)


# ---------------------------------------------------------------------------------------------- simulation


def small_network(rng: np.random.Generator, n: int = 6, n_in: int = 3) -> Network:
    w = rng.normal(0.0, 0.6e-9, (n, n)) * (rng.random((n, n)) < 0.5)
    np.fill_diagonal(w, 0.0)
    w_in = np.abs(rng.normal(1.5e-9, 0.5e-9, (n, n_in)))
    return network_from_arrays("cuba_lif", n, tau_mem=rng.uniform(8e-3, 25e-3, n), tau_syn=rng.uniform(2e-3, 8e-3, n),
                               r=rng.uniform(40e6, 100e6, n), v_leak=-65e-3, v_threshold=-50e-3, v_reset=-70e-3,
                               i_bias=rng.uniform(0.0, 0.2e-9, n), t_ref=rng.uniform(0.0, 3e-3, n), weights=w,
                               input_weights=w_in, populations=(("a", 0, n // 2), ("b", n // 2, n)))


def naive_params(host, net) -> dict:
    bits = host.param_bits
    shifts = np.empty((2, net.n_neurons), int)
    for p, (_, a, b) in enumerate(host.populations):
        shifts[:, a:b] = host.ring_buffer_shifts[p][:, None]
    return {"v0": bits["v"].tolist(), "v_rest": bits["v_rest"].tolist(), "r_mem": host.r_membrane.tolist(),
            "exp_tc": host.exp_tc.tolist(), "i_offset": bits["i_offset"].tolist(),
            "v_reset": bits["v_reset"].tolist(), "t_refract": host.t_refract.tolist(),
            "v_thresh": bits["v_thresh"].tolist(), "syn_decay": host.syn_decay.tolist(),
            "syn_init": host.syn_init.tolist(), "shifts": shifts.tolist(), "w_rec": host.weights.tolist(),
            "w_in": host.input_weights.tolist()}


@pytest.mark.parametrize("delay", [1, 3])
def test_if_curr_exp_kernel_equals_naive_twin(delay):
    rng = np.random.default_rng(7)
    net = small_network(rng)
    inputs = SpikeTrains.from_list([np.sort(rng.uniform(0, 0.12, 25)) for _ in range(3)], t_start=0.0, t_stop=0.12)
    sim = SpiNNakerReference(net, dt=1e-3, delay_steps=delay)
    out = sim.run(inputs, n_steps=120, record=("v", "i_syn_exc", "i_syn_inh"))
    tick, channel = input_ticks(inputs, 1e-3)
    spikes, v, exc, inh = naive.if_curr_exp(naive_params(sim.host, net), 120, delay, tick.tolist(),
                                            channel.tolist())
    assert out.spikes.n_spikes == len(spikes) > 5
    mine = sorted(zip(np.round(out.spikes.times / 1e-3).astype(int).tolist(), out.spikes.train_index.tolist()))
    assert mine == sorted(spikes)
    assert np.array_equal(np.round(out.v / 1e-3 * 2**15).astype(np.int64), np.array(v))
    assert np.array_equal(np.round(out.i_syn_exc / 1e-9 * 2**15).astype(np.int64), np.array(exc))
    assert np.array_equal(np.round(out.i_syn_inh / 1e-9 * 2**15).astype(np.int64), np.array(inh))


def test_threshold_is_greater_or_equal():
    # v starts at v_leak == v_threshold: alpha == v, so v stays exactly at threshold and fires (NIR's `>` would not)
    net = network_from_arrays("cuba_lif", 1, tau_mem=20e-3, tau_syn=5e-3, r=1e8, v_leak=-50e-3, v_threshold=-50e-3,
                              v_reset=-60e-3, t_ref=0.0)
    out = SpiNNakerReference(net).run(n_steps=1)
    assert out.spikes.n_spikes == 1 and out.spikes.times[0] == 0.0


def test_refractory_counter_holds_the_membrane():
    net = network_from_arrays("cuba_lif", 1, tau_mem=10e-3, tau_syn=5e-3, r=1e8, v_leak=-65e-3, v_threshold=-50e-3,
                              v_reset=-65e-3, i_bias=2e-9, t_ref=2.5e-3)
    out = SpiNNakerReference(net).run(n_steps=200, record="v")
    steps = np.round(out.spikes.times / 1e-3).astype(int)
    assert steps.size > 10
    t_refract = 3  # ceil(2.5 ms / 1 ms)
    for s in steps:
        held = out.v[s + 1:s + 1 + t_refract, 0]
        assert np.all(held == pytest.approx(-65e-3, abs=2e-8))  # -65 mV is one s16.15 pattern


def test_fixed_point_follows_the_float_model_within_one_step():
    """One neuron, constant drive: s16.15 spike steps within one step of the same update in float64."""
    tau, r, i_bias, dt = 17.3e-3, 6.4e7, 0.41e-9, 1e-3
    net = network_from_arrays("cuba_lif", 1, tau_mem=tau, tau_syn=5e-3, r=r, v_leak=-65.2e-3, v_threshold=-49.35e-3,
                              v_reset=-68.9e-3, i_bias=i_bias, t_ref=2e-3)
    out = SpiNNakerReference(net, dt=dt).run(n_steps=2000)
    v, timer, steps = -65.2e-3, 0, []
    for k in range(2000):
        if timer <= 0:
            alpha = i_bias * r - 65.2e-3
            v = alpha - math.exp(-dt / tau) * (alpha - v)
        else:
            timer -= 1
        if v >= -49.35e-3:
            v, timer = -68.9e-3, 2
            steps.append(k)
    fixed = np.round(out.spikes.times / dt).astype(int)
    assert abs(fixed.size - len(steps)) <= 1
    m = min(fixed.size, len(steps))
    assert np.max(np.abs(fixed[:m] - np.array(steps[:m]))) <= 1


# ---------------------------------------------------------------------------------------------- bad input


def lif_net(n: int, **params) -> Network:
    """Current-based LIF neurons with PyNN-like defaults (100 MOhm, -65/-70/-50 mV) unless given."""
    base = dict(r=1e8, v_leak=-65e-3, v_reset=-70e-3, v_threshold=-50e-3)
    return network_from_arrays("cuba_lif", n, **(base | params))


def test_parameters_beyond_s1615_raise_naming_the_parameter_and_neuron():
    net = lif_net(2, v_threshold=[0.01, 70.0])
    with pytest.raises(ValidationError, match=r"`v_threshold` must be within the s16\.15 range.*neuron 1"):
        SpiNNakerReference(net)
    net = lif_net(1, i_bias=1e-4)
    with pytest.raises(ValidationError, match="i_bias"):
        spinnaker_host(net)


def test_huge_weights_and_tiny_time_constants_raise():
    net = lif_net(2, weights=np.array([[0.0, 4e-5], [0.0, 0.0]]))
    with pytest.raises(ValidationError, match="32768 nA"):
        spinnaker_host(net)
    net = lif_net(1, tau_syn=1e-8)
    with pytest.raises(ValidationError, match="tau_syn"):
        spinnaker_host(net)


def test_weights_lost_to_quantisation_warn():
    net = lif_net(3, weights=np.array([[0, 8e-9, 1e-14], [0, 0, 0], [0, 0, 0]]))
    with pytest.warns(DataWarning, match="quantise to 0"):
        host = spinnaker_host(net)
    assert host.n_zero_weights == 1


def test_runtime_overflow_saturates_with_a_warning():
    # 1000 nA through 100 MOhm is 1e5 mV: the board's accum sum would wrap
    net = lif_net(1, i_bias=1e-6)
    with pytest.warns(DataWarning, match="saturated"):
        out = SpiNNakerReference(net).run(n_steps=5)
    assert out.n_saturations > 0 and out.spikes.n_spikes >= 1


def test_shapes_kinds_and_options_are_checked():
    net = small_network(np.random.default_rng(3))
    sim = SpiNNakerReference(net)
    wrong = SpikeTrains.from_list([np.array([0.01])], t_start=0.0, t_stop=0.05)
    with pytest.raises(ValidationError, match="one train per input channel"):
        sim.run(wrong, n_steps=10)
    with pytest.raises(ValidationTypeError, match="inputs"):
        sim.run(np.zeros((3, 10)), n_steps=10)
    with pytest.raises(ValidationError, match="n_steps"):
        sim.run(None)
    with pytest.raises(ValidationError, match="Did you mean 'v'"):
        sim.run(SpikeTrains.from_list([[]] * 3, t_start=0.0, t_stop=0.01), record=("vv",))
    with pytest.raises(ValidationError, match="whole number of microseconds"):
        SpiNNakerReference(net, dt=1.5e-7)
    lif = network_from_arrays("lif", 2)
    with pytest.raises(ValidationError, match="IF_curr_delta"):
        SpiNNakerReference(lif)
    with pytest.raises(ValidationTypeError, match="Network"):
        SpiNNakerReference(np.eye(3))


def test_run_output_is_spiketrains_with_repr():
    net = small_network(np.random.default_rng(5))
    inputs = SpikeTrains.from_list([np.array([0.002, 0.004]), np.array([0.003]), np.array([])], t_start=0.0,
                                   t_stop=0.05)
    out = SpiNNakerReference(net).run(inputs)
    assert isinstance(out.spikes, SpikeTrains) and len(out.spikes) == net.n_neurons
    assert out.spikes.t_stop.tolist() == [0.05] * net.n_neurons and out.v is None
    assert "SpiNNakerRun(" in repr(out) and "ring_buffer_shifts" in repr(out.host)


def test_nir_round_trip_gives_the_same_host_words_and_spikes(tmp_path):
    """Network -> NIR file -> SpiNNakerReference: the same s16.15 words, weights and spikes as the network itself."""
    pytest.importorskip("nir")
    from spikestats.bridge.nir_export import write_nir

    _, net, _ = frozen_network()
    path = tmp_path / "net.nir"
    write_nir(net, path)
    direct, via_file = SpiNNakerReference(net), SpiNNakerReference(path)
    assert via_file.host.populations == direct.host.populations
    assert via_file.host.param_words == direct.host.param_words
    assert np.array_equal(via_file.host.ring_buffer_shifts, direct.host.ring_buffer_shifts)
    assert np.array_equal(via_file.host.weights, direct.host.weights)
    assert np.array_equal(via_file.host.input_weights, direct.host.input_weights)
    inputs = SpikeTrains.from_list([np.arange(0.002, 0.3, 0.011), np.arange(0.003, 0.3, 0.017), [0.1]],
                                   t_start=0.0, t_stop=0.3)
    a, b = direct.run(inputs), via_file.run(inputs)
    assert a.spikes.n_spikes > 0 and a.spikes == b.spikes
