"""PoissonProcess: parameters, reproducibility, kernel twin, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numba
import numpy as np
import pytest
from reference import naive

import spikestats as ss
from spikestats._kernels.poisson import compact, poisson_trains, poisson_trains_parallel
from spikestats.exceptions import ValidationError, ValidationTypeError


def test_layout_and_ground_truth():
    st = ss.generators.PoissonProcess(rate=10.0, dead_time=0.002).simulate(n_trains=5, t_stop=3.0, t_start=1.0,
                                                                           rng=0)
    assert len(st) == 5
    np.testing.assert_array_equal(st.unit, 0)
    np.testing.assert_array_equal(st.trial, np.arange(5))
    assert np.all(st.t_start == 1.0) and np.all(st.t_stop == 3.0)
    assert np.all((st.times >= 1.0) & (st.times < 3.0))
    for tr in st:
        assert np.all(np.diff(tr) >= 0.002 - 1e-15)
    assert st.metadata["ground_truth"] == {"model": "PoissonProcess", "rate": 10.0, "dead_time": 0.002}


def test_same_rng_same_output():
    p = ss.generators.PoissonProcess(rate=30.0, dead_time=0.001)
    assert p.simulate(20, 5.0, rng=42) == p.simulate(20, 5.0, rng=42)
    assert p.simulate(20, 5.0, rng=np.random.default_rng(42)) == p.simulate(20, 5.0, rng=42)
    assert p.simulate(20, 5.0, rng=42) != p.simulate(20, 5.0, rng=43)
    g = np.random.default_rng(5)
    assert p.simulate(3, 1.0, rng=g) != p.simulate(3, 1.0, rng=g)  # the generator advances


def test_same_output_with_one_and_two_threads(monkeypatch):
    from spikestats import _config
    from spikestats.generators._regions import PARALLEL_MIN_SPIKES

    p = ss.generators.PoissonProcess(rate=20.0, dead_time=0.003)
    n_trains = 2 * PARALLEL_MIN_SPIKES // 200  # 2x the threshold
    monkeypatch.setattr(_config, "threads_pay_off", lambda n, m=0: False)
    serial = p.simulate(n_trains, 10.0, rng=7)  # the serial kernel
    monkeypatch.setattr(_config, "threads_pay_off", lambda n, m=0: True)  # the threaded kernel runs
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = p.simulate(n_trains, 10.0, rng=7)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = p.simulate(n_trains, 10.0, rng=7)
    finally:
        numba.set_num_threads(old)
    assert one == two == serial


def test_same_output_with_jit_off():
    code = ("import hashlib, spikestats as ss; st = ss.generators.PoissonProcess(rate=20.0, dead_time=0.003)"
            ".simulate(30, 5.0, rng=11); print(hashlib.sha256(st.times.tobytes() + st.offsets.tobytes())"
            ".hexdigest())")
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    env["NUMBA_DISABLE_JIT"] = "0"
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert off.stdout.strip() == on.stdout.strip() != ""


@pytest.mark.parametrize("rate, dead_time", [(20.0, 0.0), (20.0, 0.004), (300.0, 0.003), (0.0, 0.0)])
@pytest.mark.parametrize("kernel", [poisson_trains, poisson_trains_parallel])
def test_kernel_matches_naive(rate, dead_time, kernel):
    key = np.uint64(2**61 + 12345)
    starts, stops = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 2.5])
    region = np.array([0, 1000, 2000, 3000])
    buf = np.empty(3000)
    counts = kernel(key, rate, dead_time, starts, stops, region, buf)
    offsets = compact(buf, region, counts)
    times, want_offsets = naive.poisson_trains(key, rate, dead_time, starts, stops)
    np.testing.assert_array_equal(offsets, want_offsets)
    np.testing.assert_allclose(buf[:offsets[-1]], times, rtol=1e-12)


def test_short_regions_give_the_same_spikes_when_drawn_again():
    from spikestats.generators.poisson import _simulate

    starts, stops = np.zeros(6), np.full(6, 2.0)
    ref = _simulate(np.random.default_rng(3), 50.0, 0.001, starts, stops)
    redrawn = _simulate(np.random.default_rng(3), 50.0, 0.001, starts, stops, headroom=-1e9)  # every region empty
    np.testing.assert_array_equal(ref[1], redrawn[1])
    np.testing.assert_array_equal(ref[0], redrawn[0])


def test_zero_rate_and_zero_trains():
    st = ss.generators.PoissonProcess(rate=0.0).simulate(3, 1.0, rng=0)
    assert len(st) == 3 and st.n_spikes == 0
    assert len(ss.generators.PoissonProcess(rate=5.0).simulate(0, 1.0, rng=0)) == 0


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"rate": -1.0}, ValidationError, "`rate` must be >= 0"),
    ({"rate": np.nan}, ValidationError, "`rate` must be finite"),
    ({"rate": "20"}, ValidationTypeError, "`rate` must be a real number"),
    ({"rate": 20.0, "dead_time": -0.001}, ValidationError, "`dead_time` must be >= 0"),
    ({"rate": 200.0, "dead_time": 0.005}, ValidationError, r"`dead_time` must be < 1 / rate"),
])
def test_bad_parameters(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        ss.generators.PoissonProcess(**kwargs)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"n_trains": -1}, ValidationError, "`n_trains`"),
    ({"n_trains": 2.5}, ValidationError, "`n_trains` must be a whole number"),
    ({"t_stop": 0.0}, ValidationError, "`t_stop` must be > t_start"),
    ({"t_stop": np.inf}, ValidationError, "`t_stop` must be finite"),
    ({"rng": "seed"}, ValidationTypeError, "`rng`"),
    ({"rng": 1.5}, ValidationTypeError, "`rng`"),
])
def test_bad_simulate_arguments(kwargs, exc, match):
    args = {"n_trains": 2, "t_stop": 1.0, "rng": 0, **kwargs}
    with pytest.raises(exc, match=match):
        ss.generators.PoissonProcess(rate=5.0).simulate(**args)


def test_rng_is_keyword_only():
    with pytest.raises(TypeError):
        ss.generators.PoissonProcess(rate=5.0).simulate(2, 1.0, 0.0, 0)  # type: ignore[misc]


def test_metadata_is_json():
    st = ss.generators.PoissonProcess(rate=5.0).simulate(2, 1.0, rng=0)
    json.dumps(st.metadata)
