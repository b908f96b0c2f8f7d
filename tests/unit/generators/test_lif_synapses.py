"""LIF with conductance synapses (``iaf_cond_exp``): naive twin, PSP shape, Campbell's theorem, determinism, errors.

The comparison with NEST's ``iaf_cond_exp`` is in ``tests/peers/test_nest.py``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numba
import numpy as np
import pytest
from _tolerances import shot_noise_mean_tol
from reference import naive_neurons

import spikestats as ss
from spikestats._kernels.lif_cond import LIF_COND_PARAMS
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.generators import _neuron
from spikestats.generators import lif as lif_module

LIF = ss.generators.LIF
MODEL = LIF(sigma=2e-3, t_ref=1.5e-3)


def poisson_inputs(n_inputs: int, rate: float, t_stop: float, seed: int) -> ss.SpikeTrains:
    return ss.generators.PoissonProcess(rate=rate).simulate(n_inputs, t_stop=t_stop, rng=seed)


def mixed_weights(n_neurons: int, n_inputs: int, seed: int, w_ex: float = 2e-9, w_in: float = -4e-9) -> np.ndarray:
    gen = np.random.default_rng(seed)
    return np.where(gen.random((n_neurons, n_inputs)) < 0.8, w_ex, w_in) * (gen.random((n_neurons, n_inputs)) < 0.5)


def test_kernel_matches_naive_twin():
    dt, n_steps, n_neurons = 1e-4, 600, 3
    inputs = poisson_inputs(30, 40.0, n_steps * dt, seed=1)
    weights = mixed_weights(n_neurons, 30, seed=2)
    current = np.linspace(0.15e-9, 0.3e-9, n_steps)
    st, ds = MODEL.simulate(current, n_steps * dt, dt=dt, n_neurons=n_neurons, inputs=inputs, weights=weights,
                            rng=5, record=True)
    ev_step, ev_input = lif_module.input_events(inputs, dt, n_steps)
    events = list(zip(ev_step.tolist(), ev_input.tolist()))
    key = np.uint64(np.random.default_rng(5).integers(0, 2**63 - 1))
    p = {name: getattr(MODEL, name) for name in LIF_COND_PARAMS}
    assert st.n_spikes > n_neurons  # the case does fire
    for i in range(n_neurons):
        spikes, traces = naive_neurons.lif_cond(p, list(current), dt, events, list(weights[i]), key=int(key), stream=i)
        np.testing.assert_allclose(st[i], spikes, rtol=1e-12, atol=1e-15)
        for name, trace in zip(("v", "g_ex", "g_in"), traces):
            np.testing.assert_allclose(ds[name].values[:, i], trace, rtol=1e-10, atol=1e-20)
    assert ds["g_ex"].attrs["units"] == "S" and float(ds["g_in"].max()) > 0


def test_input_events_round_down_to_their_step():
    inputs = ss.SpikeTrains.from_list([[0.0, 0.00025, 0.0003 - 1e-15, 0.0009], [0.00031, 0.5]], t_stop=1.0)
    steps, source = lif_module.input_events(inputs, 1e-4, 9)
    # 0.3 ms - 1e-15 is within 1e-9 steps of the grid point: step 3; 0.9 ms and 0.5 s are past the 9 steps
    np.testing.assert_array_equal(steps, [0, 2, 3, 3])
    np.testing.assert_array_equal(source, [0, 0, 0, 1])


def test_zero_weights_give_the_current_based_lif():
    inputs = poisson_inputs(5, 50.0, 0.3, seed=3)
    with_synapses = MODEL.simulate(0.25e-9, 0.3, n_neurons=4, rng=9, inputs=inputs, weights=np.zeros(5))
    plain = MODEL.simulate(0.25e-9, 0.3, n_neurons=4, rng=9)
    np.testing.assert_array_equal(with_synapses.offsets, plain.offsets)
    np.testing.assert_allclose(with_synapses.times, plain.times, rtol=1e-9)
    truth = with_synapses.metadata["ground_truth"]
    assert truth["synapses"] == "conductance (iaf_cond_exp)" and truth["n_inputs"] == 5 and truth["e_in"] == -80e-3


def linear_psp(m: LIF, weight: float, tau_syn: float, reversal: float, t: np.ndarray) -> np.ndarray:
    """Linearised PSP of one conductance jump w at t = 0 (V ~ v_rest in the driving force):
    V - v_rest = w (E - v_rest) / C * tau_m tau_s / (tau_m - tau_s) (e^{-t/tau_m} - e^{-t/tau_s}), C = tau_m / r_m."""
    c_m = m.tau_m / m.r_m
    amp = weight * (reversal - m.v_rest) / c_m * m.tau_m * tau_syn / (m.tau_m - tau_syn)
    return amp * (np.exp(-t / m.tau_m) - np.exp(-t / tau_syn))


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_single_spike_gives_the_analytic_psp(sign):
    m = LIF(v_rest=-65e-3)
    weight, dt, t0 = sign * 1e-12, 1e-4, 0.01  # 1 pS: 1e-4 of g_L, so the linearisation error is ~1e-4
    inputs = ss.SpikeTrains.from_list([[t0]], t_stop=0.1)
    _, ds = m.simulate(0.0, 0.1, dt=dt, inputs=inputs, weights=[weight], record=True)
    t = np.arange(ds.sizes["time"]) * dt - t0
    tau, reversal = (m.tau_syn_ex, m.e_ex) if sign > 0 else (m.tau_syn_in, m.e_in)
    want = np.where(t >= 0, linear_psp(m, abs(weight), tau, reversal, np.maximum(t, 0.0)), 0.0)
    got = ds["v"].values[:, 0] - m.v_rest
    peak = np.argmax(np.abs(want))
    # linearisation error ~ w / g_L = 1e-4 of the driving force; the exponential-Euler step with step-mean
    # conductances is second order, ~ (dt / tau_s)^2 / 12 = 3e-5 relative (measured: 1e-6 and 1.3e-5)
    assert got[peak] == pytest.approx(want[peak], rel=1e-4)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-4 * abs(want[peak]))
    t_peak = m.tau_m * tau / (m.tau_m - tau) * math.log(m.tau_m / tau)
    assert abs(t[np.argmax(np.abs(got))] - t_peak) <= dt
    assert np.sign(got[peak]) == sign


def campbell_case(seed: int) -> tuple[float, float, float, float]:
    """Mean excitatory conductance over 2 s of 100 Poisson inputs at 10 Hz, and Campbell's nu w tau."""
    m, dt, t_stop, n_inputs, rate, weight = LIF(), 1e-4, 2.0, 100, 10.0, 1e-9
    inputs = poisson_inputs(n_inputs, rate, t_stop, seed)
    _, ds = m.simulate(0.0, t_stop, dt=dt, inputs=inputs, weights=np.full(n_inputs, weight), rng=seed,
                       record=True)
    # samples are taken at step starts; times the step-mean factor they give the continuous time average
    factor = m.tau_syn_ex / dt * (1.0 - math.exp(-dt / m.tau_syn_ex))
    got = float(ds["g_ex"].values.mean()) * factor
    want = n_inputs * rate * weight * m.tau_syn_ex
    return got, want, shot_noise_mean_tol(n_inputs * rate, weight, m.tau_syn_ex, t_stop), float(ds["g_in"].max())


def test_mean_conductance_obeys_campbells_theorem():
    got, want, tol, g_in = campbell_case(seed=4)
    assert abs(got - want) <= tol
    assert g_in == 0.0  # positive weights never touch the inhibitory conductance


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_mean_conductance_obeys_campbells_theorem_seed_sweep(seed):
    got, want, tol, _ = campbell_case(seed=100 + seed)
    assert abs(got - want) <= tol


def test_same_rng_same_spikes_and_population_prefix():
    inputs = poisson_inputs(20, 30.0, 0.2, seed=6)
    weights = mixed_weights(5, 20, seed=7)
    a = MODEL.simulate(0.1e-9, 0.2, n_neurons=3, inputs=inputs, weights=weights[:3], rng=42)
    assert a == MODEL.simulate(0.1e-9, 0.2, n_neurons=3, inputs=inputs, weights=weights[:3], rng=42)
    assert a != MODEL.simulate(0.1e-9, 0.2, n_neurons=3, inputs=inputs, weights=weights[:3], rng=43)
    bigger = MODEL.simulate(0.1e-9, 0.2, n_neurons=5, inputs=inputs, weights=weights, rng=42)
    for i in range(3):
        np.testing.assert_array_equal(bigger[i], a[i])


@pytest.mark.parametrize("pilots", [1, 4])
def test_pilot_sized_regions_and_outgrown_regions_give_the_same_spikes(monkeypatch, pilots):
    inputs = poisson_inputs(20, 60.0, 0.3, seed=6)
    weights = mixed_weights(6, 20, seed=7, w_ex=6e-9)
    weights[0] = 0.0  # the only pilot when pilots == 1: silent, so the others outgrow the regions it sizes
    model = LIF(t_ref=1.5e-3)  # noise-free and below rheobase: neuron 0 stays silent
    direct = model.simulate(0.15e-9, 0.3, n_neurons=6, inputs=inputs, weights=weights, rng=3)
    assert len(direct[0]) == 0 and max(len(t) for t in direct) > 16
    monkeypatch.setattr(lif_module, "_DIRECT_SLOTS", 10)
    monkeypatch.setattr(lif_module, "_PILOT_NEURONS", pilots)
    assert model.simulate(0.15e-9, 0.3, n_neurons=6, inputs=inputs, weights=weights, rng=3) == direct


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="threads exist only with the JIT on (and this size is slow off)")
def test_same_spikes_with_one_and_two_threads():
    n_steps, n_inputs = 2000, 50
    n = _neuron._PARALLEL_MIN_WORK // n_steps + 8  # above the threshold: the threaded kernel runs
    inputs = poisson_inputs(n_inputs, 20.0, n_steps * 1e-4, seed=8)
    weights = mixed_weights(n, n_inputs, seed=9, w_ex=5e-9)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = MODEL.simulate(0.1e-9, n_steps * 1e-4, n_neurons=n, inputs=inputs, weights=weights, rng=7)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = MODEL.simulate(0.1e-9, n_steps * 1e-4, n_neurons=n, inputs=inputs, weights=weights, rng=7)
    finally:
        numba.set_num_threads(old)
    assert one == two and one.n_spikes > n


def test_same_spikes_with_jit_off():
    code = ("import hashlib, numpy as np, spikestats as ss; g = ss.generators\n"
            "inp = g.PoissonProcess(rate=40.0).simulate(10, t_stop=0.05, rng=1)\n"
            "w = np.linspace(-5e-9, 8e-9, 30).reshape(3, 10)\n"
            "st = g.LIF(sigma=3e-3).simulate(0.15e-9, 0.05, n_neurons=3, rng=11, inputs=inp, weights=w)\n"
            "print(hashlib.sha256(st.times.tobytes() + st.offsets.tobytes()).hexdigest(), st.n_spikes)")
    digests = {flag: subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True,
                                    env={**os.environ, "NUMBA_DISABLE_JIT": flag}, check=True).stdout.strip()
               for flag in ("0", "1")}
    assert digests["0"] == digests["1"] != ""


INPUTS = ss.SpikeTrains.from_list([[0.01], [0.02, 0.03]], t_stop=0.1)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"weights": np.ones((2, 3)) * 1e-9}, ValidationError, r"`weights` must be .*\(2, 2\).*got an array of shape"),
    ({"weights": [1e-9, 2e-9, 3e-9]}, ValidationError, r"`weights` must be"),
    ({"weights": [1e-9, np.nan]}, ValidationError, r"`weights`"),
    ({"weights": [1e-9, np.inf]}, ValidationError, r"`weights`"),
    ({"weights": ["a", "b"]}, ValidationTypeError, r"`weights` must be an array of real numbers"),
    ({"inputs": [[0.01], [0.02]], "weights": [1e-9, 1e-9]}, ValidationTypeError, r"`inputs` must be a SpikeTrains"),
    ({"inputs": None, "weights": [1e-9, 1e-9]}, ValidationTypeError, r"`inputs` must be a SpikeTrains"),
    ({"weights": None}, ValidationError, r"`weights` must be an array of shape \(2, 2\)"),
    ({"weights": [1e-9, 1e-9], "dt": 6e-3}, ValidationError, r"`dt` must be < tau_syn_ex"),
    ({"weights": [1e-9, 1e-9], "t_stop": -1.0}, ValidationError, r"`t_stop` must be > 0"),
])
def test_bad_synaptic_run_arguments(kwargs, exc, match):
    args = {"inputs": INPUTS, "t_stop": 0.1, "n_neurons": 2, **kwargs}
    with pytest.raises(exc, match=match):
        LIF().simulate(0.0, **args)


@pytest.mark.parametrize("field, value, match", [
    ("tau_syn_ex", -1e-3, r"`tau_syn_ex` must be > 0"),
    ("tau_syn_in", 0.0, r"`tau_syn_in` must be > 0"),
    ("e_ex", float("nan"), r"`e_ex`"),
    ("e_in", "x", r"`e_in` must be a real number"),
])
def test_bad_synaptic_parameters(field, value, match):
    with pytest.raises((ValidationError, ValidationTypeError), match=match):
        LIF(**{field: value})
