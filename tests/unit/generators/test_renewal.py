"""Renewal processes and inhomogeneous Poisson: kernel twins, variates, reproducibility, bad input."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import numba
import numpy as np
import pytest
from reference import naive
from reference import naive_generators as ng

import spikestats as ss
from spikestats._kernels.point_processes import (
    GAMMA,
    INVERSE_GAUSSIAN,
    LOGNORMAL,
    renewal_trains,
    renewal_trains_parallel,
)
from spikestats._kernels.poisson import compact
from spikestats.exceptions import ValidationError, ValidationTypeError

KEY = np.uint64(2**62 + 987654321)


def _naive_draws(n, kind, a, b):
    g = naive.Xoshiro256(KEY, 0)
    draw = [lambda: ng.standard_gamma(g, a), lambda: ng.inverse_gaussian(g, a, b), lambda: ng.lognormal(g, a, b),
            lambda: ng.poisson_count(g, a)][kind]
    return np.array([draw() for _ in range(n)])


@pytest.mark.parametrize("kind, a, b", [(0, 3.0, 0.0), (0, 2.5, 0.0), (0, 7.0, 0.0), (0, 0.4, 0.0), (1, 0.05, 0.02),
                                        (2, -3.0, 0.8), (3, 2.5, 0.0)])
def test_variates_match_naive(kind, a, b):
    np.testing.assert_allclose(ng.draw_variates(KEY, 3000, kind, a, b), _naive_draws(3000, kind, a, b), rtol=1e-12)


@pytest.mark.parametrize("family, p1, p2", [(GAMMA, 3.0, 1 / 60), (GAMMA, 0.5, 0.1), (INVERSE_GAUSSIAN, 0.05, 0.1),
                                            (LOGNORMAL, -3.2, 0.7)])
@pytest.mark.parametrize("equilibrium", [True, False])
@pytest.mark.parametrize("kernel", [renewal_trains, renewal_trains_parallel])
def test_renewal_kernel_matches_naive(family, p1, p2, equilibrium, kernel):
    starts, stops = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 2.5])
    region = np.array([0, 500, 1000, 1500])
    buf = np.empty(1500)
    counts = kernel(KEY, family, p1, p2, equilibrium, starts, stops, region, buf)
    offsets = compact(buf, region, counts)
    times, want = ng.renewal_trains(KEY, family, p1, p2, equilibrium, starts, stops)
    np.testing.assert_array_equal(offsets, want)
    np.testing.assert_allclose(buf[:offsets[-1]], times, rtol=1e-12)


PROCESSES = [
    ss.generators.GammaProcess(rate=20.0, shape=3.0),
    ss.generators.GammaProcess(rate=20.0, shape=0.5, equilibrium=False),
    ss.generators.InverseGaussianProcess(rate=15.0, cv=0.6),
    ss.generators.LogNormalProcess(rate=30.0, sigma=0.9),
]


@pytest.mark.parametrize("process", PROCESSES, ids=lambda p: type(p).__name__)
def test_layout_reproducibility_and_truth(process):
    st = process.simulate(n_trains=4, t_stop=3.0, t_start=1.0, rng=5)
    assert len(st) == 4 and np.all(st.t_start == 1.0) and np.all(st.t_stop == 3.0)
    assert np.all((st.times >= 1.0) & (st.times < 3.0))
    assert all(np.all(np.diff(tr) >= 0) for tr in st)
    np.testing.assert_array_equal(st.trial, np.arange(4))
    assert st == process.simulate(n_trains=4, t_stop=3.0, t_start=1.0, rng=5)
    assert st != process.simulate(n_trains=4, t_stop=3.0, t_start=1.0, rng=6)
    truth = st.metadata["ground_truth"]
    assert truth["model"] == type(process).__name__ and truth["rate"] == process.rate
    json.dumps(st.metadata)


def test_alternative_parameters_agree():
    a = ss.generators.InverseGaussianProcess(rate=10.0, cv=0.5)
    b = ss.generators.InverseGaussianProcess(rate=10.0, shape=a.shape)
    assert a.shape == pytest.approx(0.4) and b.cv == pytest.approx(0.5)
    c = ss.generators.LogNormalProcess(rate=10.0, cv=0.5)
    d = ss.generators.LogNormalProcess(rate=10.0, sigma=c.sigma)
    assert d.cv == pytest.approx(0.5) and c.sigma == pytest.approx(np.sqrt(np.log(1.25)))
    assert ss.generators.GammaProcess(rate=5.0, shape=4.0).cv == 0.5


def test_short_regions_redraw_the_same_spikes():
    from spikestats.generators import _regions

    p = ss.generators.GammaProcess(rate=50.0, shape=2.0)
    ref = p.simulate(5, 2.0, rng=3)
    old = _regions.region_bounds
    try:
        _regions.region_bounds = lambda e, s, h=6.0: old(e, s, -1e9)  # every region empty
        redrawn = p.simulate(5, 2.0, rng=3)
    finally:
        _regions.region_bounds = old
    assert ref == redrawn


def _simulate_all(rng):
    out = [p.simulate(3000 if i == 0 else 30, 10.0, rng=rng) for i, p in enumerate(PROCESSES)]
    return out


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="threads only exist with the JIT on")
def test_same_output_with_one_and_two_threads():
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = _simulate_all(7)  # 3000 x 10 s x 20 Hz = 600k spikes: the threaded kernel runs
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = _simulate_all(7)
    finally:
        numba.set_num_threads(old)
    assert all(a == b for a, b in zip(one, two))


JIT_CODE = """
import hashlib, numpy as np, spikestats as ss
g = ss.generators
models = [g.GammaProcess(rate=20.0, shape=0.7), g.InverseGaussianProcess(rate=20.0, cv=0.5),
          g.LogNormalProcess(rate=20.0, cv=1.2, equilibrium=False),
          g.InhomogeneousPoisson(lambda t: 10 + 8 * np.sin(6 * t), dead_time=0.002),
          g.InhomogeneousPoisson(lambda t: 10 + 8 * np.sin(6 * t), method="thinning")]
h = hashlib.sha256()
for m in models:
    st = m.simulate(6, 2.0, rng=11)
    h.update(st.times.tobytes() + st.offsets.tobytes())
for st in [g.rate_code([0.1, 0.9], 1.0, 100.0, rng=3), g.latency_code([0.2, 0.9], 0.05),
           g.HawkesProcess([5.0, 3.0], [[0.3, 0.1], [0.2, 0.2]], 20.0).simulate(2, 3.0, rng=4),
           g.GLMNeuron(intercept=np.log(30.0), history=[-5.0, -2.0, -1.0]).simulate(2, 1.0, rng=5)]:
    h.update(st.times.tobytes() + st.offsets.tobytes())
print(h.hexdigest())
"""


def test_same_output_with_jit_off():
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    off = subprocess.run([sys.executable, "-W", "ignore", "-c", JIT_CODE], env=env, capture_output=True, text=True)
    assert off.returncode == 0, off.stderr
    env["NUMBA_DISABLE_JIT"] = "0"
    on = subprocess.run([sys.executable, "-c", JIT_CODE], env=env, capture_output=True, text=True)
    assert on.returncode == 0, on.stderr
    assert off.stdout.strip() == on.stdout.strip() != ""
    assert len(hashlib.sha256().hexdigest()) == len(on.stdout.strip())


@pytest.mark.parametrize("cls, kwargs, exc, match", [
    ("GammaProcess", {"rate": -1.0, "shape": 2.0}, ValidationError, "`rate` must be > 0"),
    ("GammaProcess", {"rate": 10.0, "shape": 0.0}, ValidationError, "`shape` must be > 0"),
    ("GammaProcess", {"rate": np.inf, "shape": 2.0}, ValidationError, "`rate` must be finite"),
    ("GammaProcess", {"rate": 10.0, "shape": "2"}, ValidationTypeError, "`shape` must be a real number"),
    ("GammaProcess", {"rate": 10.0, "shape": 2.0, "equilibrium": 1}, ValidationTypeError, "`equilibrium`"),
    ("InverseGaussianProcess", {"rate": 10.0}, ValidationError, "`cv` or `shape` must be given"),
    ("InverseGaussianProcess", {"rate": 10.0, "cv": 1.0, "shape": 1.0}, ValidationError, "exactly one"),
    ("InverseGaussianProcess", {"rate": 10.0, "cv": np.nan}, ValidationError, "`cv` must be finite"),
    ("LogNormalProcess", {"rate": 10.0, "sigma": -0.5}, ValidationError, "`sigma` must be > 0"),
])
def test_bad_parameters(cls, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        getattr(ss.generators, cls)(**kwargs)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"n_trains": -1}, ValidationError, "`n_trains` must be >= 0"),
    ({"t_stop": 0.0}, ValidationError, "`t_stop` must be > t_start"),
    ({"t_stop": np.nan}, ValidationError, "`t_stop` must be finite"),
    ({"rng": "x"}, ValidationTypeError, "`rng`"),
])
def test_bad_simulate_arguments(kwargs, exc, match):
    args = {"n_trains": 2, "t_stop": 1.0, "rng": 0, **kwargs}
    with pytest.raises(exc, match=match):
        ss.generators.GammaProcess(rate=5.0, shape=2.0).simulate(**args)
