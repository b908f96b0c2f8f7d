"""LoihiReference against Lava 0.10's bit-accurate LIF + Dense (frozen by tests/reference/lava_reference.py), its
naive twin, the quantiser and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from spikestats.bridge.loihi import LoihiReference, loihi_dense_weights, loihi_integers
from spikestats.bridge.network import network_from_arrays
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import DataWarning, ValidationError

REF = Path(__file__).resolve().parents[2] / "reference"
sys.path.insert(0, str(REF))
from naive_bridge import loihi_naive  # noqa: E402

CASES = ("bias", "chain", "recurrent", "wrap", "weight_exp")
DT = 1e-3


def build(case: dict) -> tuple[LoihiReference, SpikeTrains | None]:
    """The case's populations as one flat LoihiReference: per-block Dense preprocessing and weight_exp."""
    pops = case["populations"]
    sizes = [p["n"] for p in pops]
    start = np.concatenate([[0], np.cumsum(sizes)])
    n, n_in = int(start[-1]), case["n_inputs"]
    per = {k: np.concatenate([np.broadcast_to(np.asarray(p[k]), (p["n"],)) for p in pops])
           for k in ("du", "dv", "vth", "bias_mant", "bias_exp")}
    w, e = np.zeros((n, n), np.int64), np.zeros((n, n), np.int64)
    w_in, e_in = np.zeros((n, n_in), np.int64), np.zeros((n, n_in), np.int64)
    for d in case["dense"]:
        block = loihi_dense_weights(d["weights"])
        rows = slice(start[d["post"]], start[d["post"] + 1])
        if d["pre"] == "input":
            w_in[rows], e_in[rows] = block, d["weight_exp"]
        else:
            cols = slice(start[d["pre"]], start[d["pre"] + 1])
            w[rows, cols], e[rows, cols] = block, d["weight_exp"]
    sim = LoihiReference.from_integers(weights=w, weight_exp=e, input_weights=w_in, input_weight_exp=e_in, dt=DT,
                                       **per)
    inputs = None
    if n_in:
        inputs = SpikeTrains.from_raster(np.asarray(case["input_spikes"]), DT)
    return sim, inputs


def load(name: str) -> dict:
    with open(REF / f"lava_{name}.json") as fh:
        return json.load(fh)


def run_case(case: dict):
    """Run a case; DataWarnings (wraps, saturation) are collected and must match the reported events."""
    sim, inputs = build(case)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        out = sim.run(inputs, n_steps=case["n_steps"], record=("u", "v"))
    flagged = any(issubclass(w.category, DataWarning) for w in caught)
    assert flagged == (out.events["u_wraps"] + out.events["v_saturations"] > 0)
    return sim, out


@pytest.mark.parametrize("name", CASES)
def test_reproduces_lava_exactly(name):
    ref = load(name)
    _, out = run_case(ref["case"])
    lava = ref["lava"]
    np.testing.assert_array_equal(out.u, np.asarray(lava["u"]))
    np.testing.assert_array_equal(out.v, np.asarray(lava["v"]))
    np.testing.assert_array_equal(out.raster, np.asarray(lava["spikes"]))
    assert out.spikes.n_spikes == int(np.sum(lava["spikes"])) > 0


def test_frozen_cases_exercise_wrap_saturation_and_truncation():
    wrap = np.asarray(load("wrap")["lava"]["u"])
    assert np.any(np.diff(wrap[:, 0]) < 0)  # u wrapped around 24 bits
    bias = np.asarray(load("bias")["lava"]["v"])
    assert bias[:, 4].min() == -(2 ** 23 - 1)  # v saturated
    chain = load("chain")["case"]["dense"][1]["weights"]
    assert np.any(np.asarray(chain) % 2 != 0)  # odd mixed weights that Dense truncates


@pytest.mark.parametrize("name", CASES)
def test_kernel_matches_naive_twin(name):
    case = load(name)["case"]
    sim, out = run_case(case)
    raster_in = np.asarray(case["input_spikes"]).T if case["n_inputs"] else np.zeros((case["n_steps"], 0), int)
    u, v, s = loihi_naive(sim.du, sim.dv, sim.vth, sim.bias_mant, sim.bias_exp, sim.weights, sim.weight_exp,
                          sim.input_weights, sim.input_weight_exp, raster_in, case["n_steps"])
    np.testing.assert_array_equal(out.u, u)
    np.testing.assert_array_equal(out.v, v)
    np.testing.assert_array_equal(out.raster, s)


def test_split_sign_dense_shifts_each_sign_separately():
    rng = np.random.default_rng(11)
    n, n_in, steps = 6, 4, 120
    w = rng.integers(-255, 256, (n, n)) * (rng.random((n, n)) < 0.5)
    w_in = rng.integers(-255, 256, (n, n_in))
    raster = (rng.random((steps, n_in)) < 0.3).astype(np.uint8)
    kw = dict(du=700, dv=300, vth=rng.integers(20, 200, n), bias_mant=rng.integers(-50, 400, n), bias_exp=1)
    sim = LoihiReference.from_integers(weights=w, weight_exp=-2, input_weights=w_in, input_weight_exp=-1,
                                       split_signs=True, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        out = sim.run(SpikeTrains.from_raster(raster.T, DT), n_steps=steps, record=("u", "v"))
    u, v, s = loihi_naive(sim.du, sim.dv, sim.vth, sim.bias_mant, sim.bias_exp, w, sim.weight_exp, w_in,
                          sim.input_weight_exp, raster, steps, split_signs=True)
    assert s.sum() > 10
    np.testing.assert_array_equal(out.v, v)
    np.testing.assert_array_equal(out.raster, s)


def test_api_example_and_spike_times():
    w = np.array([[0, 0], [200, 0]])
    sim = LoihiReference.from_integers(du=[4095, 1024], dv=[0, 256], vth=[10, 40], bias_mant=[300, 0],
                                       bias_exp=[0, 0], weights=w, weight_exp=0, dt=1e-3)
    out = sim.run(n_steps=60, record=("u", "v"))
    assert out.u.shape == out.v.shape == (60, 2) and out.dt == 1e-3
    # neuron 0: v = 300 k (no leak) exceeds 640 at k = 3, i.e. row 2, time 2 ms; then every 3 steps
    k0 = np.flatnonzero(out.raster[:, 0])
    np.testing.assert_array_equal(k0, np.arange(2, 60, 3))
    np.testing.assert_allclose(out.spikes[0], k0 * 1e-3)
    # neuron 1 receives 200 << 6 one step after each spike of neuron 0
    assert out.u[k0[0], 1] == 0 and out.u[k0[0] + 1, 1] == 200 * 64
    assert sim.run(n_steps=5).u is None


def test_quantiser_maps_and_reports():
    rng = np.random.default_rng(3)
    net = network_from_arrays("cuba_lif", 6, tau_mem=20e-3, tau_syn=5e-3, r=1e8, v_leak=-70e-3, v_reset=-70e-3,
                              v_threshold=-50e-3, i_bias=rng.uniform(0.1e-9, 0.3e-9, 6),
                              weights=rng.normal(0, 5e-11, (6, 6)), input_weights=rng.uniform(0, 2e-10, (6, 3)))
    params, report = loihi_integers(net, 1e-3)
    assert np.all(params["du"] == 4095 - round(4096 * 0.8)) and np.all(params["dv"] == 4096 - round(4096 * 0.95))
    assert np.abs(params["weights"]).max() <= 255 and np.any(params["weights"] % 2 == 1)  # two Dense: 8 bits
    assert params["input_weights"].max() == 255
    assert report.weight_error < 1 / 255 and report.threshold_error < 1e-3 and report.bias_error < 1e-3
    one_dense, coarse = loihi_integers(net, 1e-3, split_signs=False)
    assert np.abs(one_dense["weights"]).max() <= 254 and np.all(one_dense["weights"] % 2 == 0)
    assert coarse.weight_error > report.weight_error
    assert report.tau_mem_error < 1e-3 and report.tau_syn_error < 5e-3 and report.dropped == ()
    assert "weight_error" in repr(report)
    sim = LoihiReference(net, dt=1e-3)
    np.testing.assert_array_equal(sim.weights, params["weights"])
    # the split-sign weights run as two Dense processes; from_integers accepts them only when told so
    with pytest.raises(ValidationError, match="even"):
        LoihiReference.from_integers(weights=params["weights"], **{k: params[k] for k in ("du", "dv", "vth",
                                                                                          "bias_mant", "bias_exp")})


def test_coarse_quantisation_is_reported():
    # weights that move v by 100 thresholds leave the threshold a few LSBs of 64 * scale
    net = network_from_arrays("lif", 2, weights=[[0.0, 100.0], [0.0, 0.0]], input_weights=np.zeros((2, 1)))
    with pytest.warns(DataWarning, match="threshold"):
        sim = LoihiReference(net, dt=1e-3)
    assert sim.quantisation.threshold_error > 0.01 and "precision" in sim.quantisation.dropped[-1]


def test_refractory_period_is_reported_dropped():
    net = network_from_arrays("lif", 2, t_ref=2e-3, i_bias=2.0)
    with pytest.warns(DataWarning, match="refractory"):
        sim = LoihiReference(net, dt=1e-3)
    assert "refractory" in sim.quantisation.dropped[0]


def test_dense_weight_preprocessing():
    np.testing.assert_array_equal(loihi_dense_weights([[300, 3]]), [[255, 3]])
    np.testing.assert_array_equal(loihi_dense_weights([[-300, -3]]), [[-255, -3]])
    np.testing.assert_array_equal(loihi_dense_weights([[101, -77, 255, -1, -300]]), [[100, -78, 254, -2, -256]])


@pytest.mark.parametrize("kwargs, match", [
    (dict(du=4096), "du"), (dict(dv=-1), "dv"), (dict(vth=1 << 17), "vth"), (dict(bias_mant=4096), "bias_mant"),
    (dict(bias_exp=8), "bias_exp"), (dict(weights=[[0, 3], [-2, 0]]), "even"),
    (dict(weights=[[256, 0], [0, 0]]), "255"),
    (dict(weight_exp=9), "weight_exp"), (dict(weights=[[1, 2]]), "square"), (dict(vth=[1, 2, 3]), "one per neuron"),
])
def test_from_integers_rejects_what_loihi_cannot_hold(kwargs, match):
    base = dict(du=0, dv=0, vth=10, bias_mant=0, bias_exp=0, weights=np.zeros((2, 2), int))
    base.update(kwargs)
    with pytest.raises(ValidationError, match=match):
        LoihiReference.from_integers(**base)


def test_run_rejects_bad_inputs():
    sim = LoihiReference.from_integers(du=0, dv=0, vth=10, bias_mant=0, weights=np.zeros((2, 2), int),
                                       input_weights=np.ones((2, 3), int))
    with pytest.raises(ValidationError, match="n_steps"):
        sim.run()
    with pytest.raises(ValidationError, match="one train per input channel"):
        sim.run(SpikeTrains.from_list([[0.001]], 0.0, 0.01))
    with pytest.raises(ValidationError, match="record"):
        sim.run(n_steps=3, record=("w",))


def _lava_python() -> str | None:
    for cand in (os.environ.get("SPIKESTATS_LAVA_PYTHON"), "/work/lava310/bin/python", shutil.which("python3.10")):
        if cand and os.path.exists(cand):
            probe = subprocess.run([cand, "-c", "import lava.proc.lif.models"], capture_output=True, timeout=120)
            if probe.returncode == 0:
                return cand
    return None


@pytest.mark.lava
def test_live_lava_cross_check():
    python = _lava_python()
    if python is None:
        pytest.skip("no Python 3.10 with lava-nc 0.10 (set SPIKESTATS_LAVA_PYTHON or create /work/lava310)")
    got = subprocess.run([python, str(REF / "lava_reference.py"), "--print", "recurrent"], capture_output=True,
                         text=True, timeout=600)
    assert got.returncode == 0, got.stderr[-2000:]
    live = json.loads(got.stdout)
    _, out = run_case(live["case"])
    np.testing.assert_array_equal(out.v, np.asarray(live["lava"]["v"]))
    np.testing.assert_array_equal(out.raster, np.asarray(live["lava"]["spikes"]))
