"""The neuron kernels against their naive twins; population plumbing shared by all models.

Covers LIF, AdEx, Izhikevich and Hodgkin-Huxley through one parametrisation:
kernel twins (spikes and traces), serial vs parallel kernels, thread counts,
JIT off, input-current forms, spike-buffer overflow, traces and bad run
arguments.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import asdict

import numba
import numpy as np
import pytest
from reference import naive_neurons

import spikestats as ss
from spikestats._kernels import neurons as kn
from spikestats._kernels.adex import ADEX_PARAMS
from spikestats._kernels.hodgkin_huxley import HH_PARAMS
from spikestats._kernels.izhikevich import IZHIKEVICH_PARAMS
from spikestats._kernels.lif import LIF_PARAMS
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.generators import _neuron

G = ss.generators
KEY = np.uint64(2**62 + 987654321)

# model, kernel code, parameter order, naive twin, dt, a current (A) that makes it fire, number of traced variables
CASES = {
    "lif": (G.LIF(sigma=4e-3, t_ref=1.5e-3), kn.LIF, LIF_PARAMS, naive_neurons.lif, 1e-4, 0.22e-9, 1),
    "lif_quiet": (G.LIF(t_ref=0.0), kn.LIF, LIF_PARAMS, naive_neurons.lif, 1e-4, 0.35e-9, 1),
    "adex": (G.AdEx.preset("adapting", sigma=2e-3, t_ref=1e-3), kn.ADEX, ADEX_PARAMS, naive_neurons.adex, 5e-5,
             500e-12, 2),
    "izhikevich": (G.Izhikevich.preset("CH"), kn.IZHIKEVICH, IZHIKEVICH_PARAMS, naive_neurons.izhikevich, 1e-4,
                   10e-12, 2),
    "hodgkin_huxley": (G.HodgkinHuxley(), kn.HODGKIN_HUXLEY, HH_PARAMS, naive_neurons.hodgkin_huxley, 2e-5,
                       100e-12, 4),
}


def _steps(dt: float, n_steps: int, base: float) -> np.ndarray:
    """A current that changes every step: a ramp with a step, so piecewise-constant handling is exercised."""
    t = np.arange(n_steps) * dt
    return base * (0.8 + 0.6 * t / t[-1]) * np.where(t > t[-1] / 3, 1.0, 0.5)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kernel", [kn.simulate_neurons, kn.simulate_neurons_parallel])
def test_kernel_matches_naive_twin(case, kernel):
    model, code, order, twin, dt, base, n_vars = CASES[case]
    n_steps = 1500
    p = np.array([getattr(model, name) for name in order])
    cur = np.stack([_steps(dt, n_steps, base), _steps(dt, n_steps, 1.3 * base)])
    ids = np.array([0, 1], dtype=np.int64)
    region = np.array([0, 500, 1000])
    buf = np.empty(1000)
    rec = np.zeros((n_vars, 2, n_steps))
    counts = kernel(code, KEY, ids, p, cur, dt, n_steps, region, buf, rec, 1)
    params = dict(zip(order, p))
    for j in range(2):
        spikes, trace = twin(params, list(cur[j]), dt, KEY, j)
        assert counts[j] == len(spikes) >= 2
        np.testing.assert_allclose(buf[region[j]:region[j] + counts[j]], spikes, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(rec[:, j], np.array(trace), rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("case", ["lif", "adex", "izhikevich"])
def test_public_simulate_matches_twin_and_records_traces(case):
    model, _, order, twin, dt, base, n_vars = CASES[case]
    n_steps = 1000
    cur = _steps(dt, n_steps, base)
    st, ds = model.simulate(cur, n_steps * dt, dt=dt, n_neurons=3, rng=5, record=True, record_every=3 * dt)
    key = np.uint64(np.random.default_rng(5).integers(0, 2**63 - 1))
    params = dict(zip(order, (getattr(model, name) for name in order)))
    assert ds.sizes == {"time": -(-n_steps // 3), "unit": 3}
    np.testing.assert_allclose(ds["time"].values, np.arange(ds.sizes["time"]) * 3 * dt)
    for i in range(3):
        spikes, trace = twin(params, list(cur), dt, key, i)
        np.testing.assert_allclose(st[i], spikes, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(ds[next(iter(ds.data_vars))].values[:, i], trace[0][::3], rtol=1e-10)
    assert list(ds.data_vars)[:1] == ["v"] and ds["v"].attrs["units"] == "V" and len(ds.data_vars) == n_vars


def test_layout_labels_and_ground_truth():
    model = G.LIF(sigma=1e-3)
    st = model.simulate(0.3e-9, 0.5, n_neurons=4, rng=1)
    np.testing.assert_array_equal(st.unit, np.arange(4))
    np.testing.assert_array_equal(st.trial, 0)
    assert np.all(st.t_start == 0.0) and np.all(st.t_stop == 0.5)
    assert np.all((st.times > 0) & (st.times <= 0.5))
    truth = st.metadata["ground_truth"]
    assert truth == {"model": "LIF", **asdict(model), "dt": 1e-4, "current": 0.3e-9}


@pytest.mark.parametrize("case", ["lif", "adex"])
def test_same_rng_same_spikes_other_rng_other_spikes(case):
    model = CASES[case][0]
    a = model.simulate(CASES[case][5], 0.2, n_neurons=3, rng=42)
    assert a == model.simulate(CASES[case][5], 0.2, n_neurons=3, rng=np.random.default_rng(42))
    assert a != model.simulate(CASES[case][5], 0.2, n_neurons=3, rng=43)
    # neuron i depends only on (key, i): a larger population starts with the same neurons
    bigger = model.simulate(CASES[case][5], 0.2, n_neurons=5, rng=42)
    for i in range(3):
        np.testing.assert_array_equal(bigger[i], a[i])


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="threads exist only with the JIT on (and this size is slow off)")
@pytest.mark.parametrize("case", ["lif", "adex"])
def test_same_spikes_with_one_and_two_threads(case):
    model, dt, base = CASES[case][0], CASES[case][4], CASES[case][5]
    n_steps = 4000
    n = _neuron._PARALLEL_MIN_WORK // n_steps + 8  # above the threshold: the threaded kernel runs
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = model.simulate(base, n_steps * dt, dt=dt, n_neurons=n, rng=7)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = model.simulate(base, n_steps * dt, dt=dt, n_neurons=n, rng=7)
    finally:
        numba.set_num_threads(old)
    assert one == two and one.n_spikes > n


def test_same_spikes_with_jit_off():
    code = ("import hashlib, spikestats as ss; g = ss.generators; h = hashlib.sha256()\n"
            "for st in (g.LIF(sigma=3e-3).simulate(0.22e-9, 0.05, n_neurons=3, rng=11),\n"
            "           g.AdEx(sigma=2e-3).simulate(0.5e-9, 0.05, n_neurons=3, rng=11)):\n"
            "    h.update(st.times.tobytes() + st.offsets.tobytes())\n"
            "print(h.hexdigest())")
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    off = subprocess.run([sys.executable, "-W", "ignore", "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    env["NUMBA_DISABLE_JIT"] = "0"
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert off.stdout.strip() == on.stdout.strip() != ""


def _same_spikes(a: ss.SpikeTrains, b: ss.SpikeTrains) -> bool:
    """Equal spikes (metadata, which names the form of the current, may differ)."""
    return np.array_equal(a.times, b.times) and np.array_equal(a.offsets, b.offsets)


def test_current_forms_agree():
    model, dt, n, n_steps = G.LIF(sigma=2e-3), 1e-4, 3, 2000
    base = np.array([0.21e-9, 0.25e-9, 0.3e-9])
    per_neuron = model.simulate(base[:, None], 0.2, n_neurons=n, rng=3)
    assert _same_spikes(per_neuron, model.simulate(np.repeat(base[:, None], n_steps, axis=1), 0.2, n_neurons=n,
                                                   rng=3))
    shared = np.full(n_steps, 0.25e-9)
    a = model.simulate(0.25e-9, 0.2, n_neurons=n, rng=3)
    assert a.metadata["ground_truth"]["current"] == 0.25e-9
    for form in (shared, shared[None, :], lambda t: np.full_like(t, 0.25e-9), lambda t: 0.25e-9):
        assert _same_spikes(a, model.simulate(form, 0.2, n_neurons=n, rng=3))
    assert not _same_spikes(a, per_neuron)
    seen = []
    model.simulate(lambda t: seen.append(t) or 0.0, 0.2, dt=dt, rng=3)
    np.testing.assert_allclose(seen[0], np.arange(n_steps) * dt)


def test_outgrown_spike_regions_are_run_again(monkeypatch):
    """Pilot neurons (0, 3, 6, 9) are quiet, so the busy ones outgrow their regions and run again."""
    model = G.LIF(sigma=2e-3)
    current = np.full((10, 1), 0.21e-9)
    current[[1, 2, 8]] = 2e-9
    direct = model.simulate(current, 0.3, n_neurons=10, rng=9)
    monkeypatch.setattr(_neuron, "_DIRECT_SLOTS", 0)
    redone = model.simulate(current, 0.3, n_neurons=10, rng=9)
    assert redone == direct and np.diff(direct.offsets)[1] > 10 * np.diff(direct.offsets)[0]


def test_memory_is_bounded_without_traces(monkeypatch):
    """Without traces the kernel's trace array is empty and the buffer is sized from pilot counts."""
    seen = {}
    real = _neuron._run

    def spy(code, key, params, cur, dt, n_steps, n_neurons, rec, every, bound):
        seen["rec"] = rec.size
        seen["cur"] = cur.size
        return real(code, key, params, cur, dt, n_steps, n_neurons, rec, every, bound)

    monkeypatch.setattr(_neuron, "_run", spy)
    G.LIF(sigma=1e-3).simulate(0.25e-9, 0.05, n_neurons=50, rng=0)
    assert seen == {"rec": 0, "cur": 1}


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"t_stop": 0.0}, ValidationError, "`t_stop` must be > 0"),
    ({"t_stop": -1.0}, ValidationError, "`t_stop` must be > 0"),
    ({"t_stop": np.inf}, ValidationError, "`t_stop` must be finite"),
    ({"dt": 0.0}, ValidationError, "`dt` must be > 0"),
    ({"dt": 0.02}, ValidationError, r"`dt` must be < tau_m = 0.02 s"),
    ({"dt": 0.5}, ValidationError, r"`dt` must be < tau_m"),
    ({"n_neurons": 0}, ValidationError, "`n_neurons` must be > 0"),
    ({"n_neurons": 1.5}, ValidationError, "`n_neurons` must be a whole number"),
    ({"record": 1}, ValidationTypeError, "`record` must be True or False"),
    ({"record": True, "record_every": 1e-5}, ValidationError, "`record_every` must be >= dt"),
    ({"rng": "x"}, ValidationTypeError, "`rng`"),
    ({"current": np.ones(7) * 1e-9}, ValidationError, r"`current` must be a number, an array of shape \(1000,\)"),
    ({"current": np.ones((3, 1000)) * 1e-9}, ValidationError, r"got an array of shape \(3, 1000\)"),
    ({"current": np.ones((2, 999))}, ValidationError, r"got an array of shape \(2, 999\)"),
    ({"current": np.ones((2, 1, 1))}, ValidationError, "`current`"),
    ({"current": np.ones(2) * 1e-9}, ValidationError, r"pass shape \(2, 1\)"),
    ({"current": np.nan}, ValidationError, "`current` must be finite"),
    ({"current": "1 nA"}, ValidationTypeError, "`current` must be an array of real numbers"),
    ({"current": lambda t: np.ones(3)}, ValidationError, "`current`"),
])
def test_bad_run_arguments(kwargs, exc, match):
    args = {"current": 0.3e-9, "t_stop": 0.1, "dt": 1e-4, "n_neurons": 2, "rng": 0, **kwargs}
    with pytest.raises(exc, match=match):
        G.LIF().simulate(**args)


def test_callable_current_errors_name_the_argument():
    def broken(t):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="`current` was called with the 1000 step start times"):
        G.LIF().simulate(broken, 0.1)


def test_traces_module_is_loaded_only_on_request():
    code = ("import sys, spikestats as ss; ss.generators.LIF().simulate(0.3e-9, 0.01); "
            "print('xarray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
