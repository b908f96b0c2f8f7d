"""Inhomogeneous Poisson, Hawkes, GLM and encoders: kernel twins, conventions, bad input."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from reference import naive_generators as ng

import spikestats as ss
from spikestats._kernels.glm_sim import (
    BERNOULLI,
    LOG,
    LOGIT,
    POISSON,
    SOFTPLUS,
    glm_realizations,
    glm_realizations_parallel,
)
from spikestats._kernels.hawkes import hawkes_realizations, hawkes_realizations_parallel
from spikestats._kernels.point_processes import (
    RESCALING,
    THINNING,
    bernoulli_steps_trains,
    bernoulli_steps_trains_parallel,
    inhomogeneous_trains,
    guide_table,
    inhomogeneous_trains_parallel,
    locate,
)
from spikestats._kernels.poisson import compact
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.generators.inhomogeneous import cumulative_intensity

KEY = np.uint64(2**60 + 4242)
G = ss.generators


def _run(kernel, n, *args, size=400, dtypes=(np.float64,)):
    region = np.arange(n + 1, dtype=np.int64) * size
    bufs = [np.empty(n * size, dtype=dt) for dt in dtypes]
    counts = kernel(KEY, *args, region, *bufs)
    offsets = None
    for b in bufs:
        offsets = compact(b, region, counts)
    return [b[:offsets[-1]] for b in bufs], offsets


@pytest.mark.parametrize("method", [RESCALING, THINNING])
@pytest.mark.parametrize("dead_time", [0.0, 0.004])
@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("kernel", [inhomogeneous_trains, inhomogeneous_trains_parallel])
def test_inhomogeneous_kernel_matches_naive(method, dead_time, shared, kernel):
    edges = np.array([0.0, 0.1, 0.25, 0.25, 0.6, 1.0])  # one zero-width segment
    rates = np.array([[30.0, 0.0, 80.0, 10.0, 55.0], [5.0, 120.0, 0.0, 40.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    rates = rates[:1] if shared else rates
    cumulative = cumulative_intensity(edges, rates)
    guides = np.stack([guide_table(row, 3) for row in cumulative])  # short tables: the forward steps are exercised
    (times,), offsets = _run(kernel, 3, edges, guide_table(edges, 2), rates, cumulative, guides, dead_time, method)
    want_t, want_off = ng.inhomogeneous_trains(KEY, edges, rates, dead_time, method, 3)
    np.testing.assert_array_equal(offsets, want_off)
    np.testing.assert_allclose(times, want_t, rtol=1e-12)


@pytest.mark.parametrize("m", [1, 2, 7, 50])
def test_guide_table_search(m):
    rng = np.random.default_rng(m)
    a = np.concatenate(([0.0], np.cumsum(rng.choice([0.0, 0.5, 2.0], 30))))  # with repeated values
    guide = guide_table(a, m)
    for x in np.concatenate((rng.uniform(0, a[-1] * (1 - 1e-12), 300), a[:-1][a[:-1] < a[-1]])):
        want = max(k for k in range(len(a) - 1) if a[k] <= x)
        assert locate(a, x, guide, m / (a[-1] - a[0])) == want


@pytest.mark.parametrize("kernel", [bernoulli_steps_trains, bernoulli_steps_trains_parallel])
def test_bernoulli_steps_kernel_matches_naive(kernel):
    p = np.array([0.0, 0.05, 0.5, 1.0])
    (times,), offsets = _run(kernel, 4, p, 0.5, 1e-3, 300)
    want_t, want_off = ng.bernoulli_steps_trains(KEY, p, 0.5, 1e-3, 300)
    np.testing.assert_array_equal(offsets, want_off)
    np.testing.assert_allclose(times, want_t, rtol=1e-12)
    assert offsets[-1] - offsets[-2] == 300  # p = 1: every step


@pytest.mark.parametrize("kernel", [hawkes_realizations, hawkes_realizations_parallel])
def test_hawkes_kernel_matches_naive(kernel):
    mu = np.array([8.0, 3.0])
    beta = np.array([20.0, 80.0])
    alpha = np.array([[[0.2, 0.1], [0.0, 0.3]], [[0.25, 0.05], [0.1, 0.1]]])
    ab = alpha * beta
    (times, units), offsets = _run(kernel, 3, mu, ab, beta, 0.0, 2.0, dtypes=(np.float64, np.int64))
    for r in range(3):
        want = ng.hawkes_realization(KEY, r, mu, alpha, beta, 0.0, 2.0)
        got_t, got_u = times[offsets[r]:offsets[r + 1]], units[offsets[r]:offsets[r + 1]]
        assert len(want) == len(got_t) > 10
        np.testing.assert_allclose(got_t, [t for t, _ in want], rtol=1e-12)
        np.testing.assert_array_equal(got_u, [u for _, u in want])


@pytest.mark.parametrize("link, family", [(LOG, POISSON), (SOFTPLUS, POISSON), (LOG, BERNOULLI),
                                          (LOGIT, BERNOULLI), (SOFTPLUS, BERNOULLI)])
@pytest.mark.parametrize("kernel", [glm_realizations, glm_realizations_parallel])
def test_glm_kernel_matches_naive(link, family, kernel):
    baseline = {LOG: np.log([40.0, 15.0]), SOFTPLUS: np.array([40.0, 15.0]), LOGIT: np.array([-3.0, -4.0])}[link]
    rng = np.random.default_rng(1)
    drive = 0.5 * rng.standard_normal((2, 400))
    filters = np.array([[[-3.0, -1.0, 0.5], [0.8, 0.2, 0.0]], [[0.6, 0.3, 0.1], [-2.0, -0.5, 0.0]]])
    (times, units), offsets = _run(kernel, 2, baseline, drive, filters, link, family, 0.0, 1e-3, 400,
                                   dtypes=(np.float64, np.int64))
    for r in range(2):
        want = ng.glm_realization(KEY, r, baseline, drive, filters, link, family, 0.0, 1e-3, 400)
        assert len(want) == offsets[r + 1] - offsets[r] > 5
        np.testing.assert_allclose(times[offsets[r]:offsets[r + 1]], [t for t, _ in want], rtol=1e-12)
        np.testing.assert_array_equal(units[offsets[r]:offsets[r + 1]], [u for _, u in want])


# ------------------------------------------------------------------ public conventions
def test_sampled_rate_is_piecewise_constant_from_each_time():
    p = G.InhomogeneousPoisson((np.array([0.0, 0.5, 0.8]), np.array([10.0, 0.0, 20.0])))
    edges, values = p.piecewise_rate(0.2, 1.0)
    np.testing.assert_allclose(edges, [0.2, 0.5, 0.8, 1.0])
    np.testing.assert_allclose(values, [[10.0, 0.0, 20.0]])
    st = p.simulate(200, 1.0, rng=0)
    assert not np.any((st.times >= 0.5) & (st.times < 0.8))  # rate 0 there
    with pytest.raises(ValidationError, match="`t_start` must be >= the first rate sample time"):
        G.InhomogeneousPoisson((np.array([0.1, 0.5]), np.array([1.0, 2.0]))).simulate(1, 1.0, rng=0)


def test_callable_rate_grid_and_per_train_rows():
    p = G.InhomogeneousPoisson(lambda t: np.vstack([5.0 + 0 * t, 100.0 * (t > 0.5)]), resolution=0.01)
    edges, values = p.piecewise_rate(0.0, 1.0)
    assert edges.size == 101 and values.shape == (2, 100)
    st = p.simulate(2, 1.0, rng=3)
    assert np.all(st[1] > 0.5)
    assert st.metadata["ground_truth"]["rate_values"][0][0] == 5.0
    with pytest.raises(ValidationError, match="`rate` must be shared or one row per train"):
        p.simulate(3, 1.0, rng=0)


def test_methods_and_thinning_bound():
    rate = (np.array([0.0, 1.0]), np.array([20.0, 60.0]))
    for method in ("rescaling", "thinning"):
        st = G.InhomogeneousPoisson(rate, method=method, dead_time=0.003).simulate(20, 2.0, rng=1)
        assert min(np.diff(tr).min() for tr in st) >= 0.003 - 1e-12
    loose = G.InhomogeneousPoisson(rate, method="thinning", rate_bound=500.0).simulate(20, 2.0, rng=1)
    assert loose.n_spikes > 0
    with pytest.raises(ValidationError, match="`rate_bound` must be >= the maximum rate 60"):
        G.InhomogeneousPoisson(rate, method="thinning", rate_bound=50.0).simulate(2, 2.0, rng=1)


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="threads only exist with the JIT on")
def test_inhomogeneous_threads_agree():
    p = G.InhomogeneousPoisson(lambda t: 30 + 20 * np.sin(2 * np.pi * t))
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = p.simulate(2000, 3.0, rng=9)  # 180k spikes: the threaded kernel runs
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = p.simulate(2000, 3.0, rng=9)
    finally:
        numba.set_num_threads(old)
    assert one == two


@pytest.mark.parametrize("rate, match, exc", [
    ((np.array([0.0, 1.0]), np.array([1.0, -2.0])), r"`rate` values` must be non-negative", ValidationError),
    ((np.array([0.0, 1.0]), np.array([1.0, 2.0, 3.0])), r"`rate` values` must be of shape \(2,\)", ValidationError),
    ((np.array([0.0, 1.0]), np.array([1.0, np.nan])), r"`rate` values` must be finite", ValidationError),
    ((np.array([1.0, 0.0]), np.array([1.0, 2.0])), r"strictly increasing", ValidationError),
    (5.0, r"`rate` must be a callable of time or a \(times, values\) pair", ValidationError),
    ((np.array([0.0, 1.0]), np.array(["a", "b"])), r"`rate` values` must be an array of real numbers",
     ValidationTypeError),
])
def test_inhomogeneous_bad_rates(rate, match, exc):
    with pytest.raises(exc, match=match):
        G.InhomogeneousPoisson(rate)


def test_inhomogeneous_bad_callable_and_options():
    with pytest.raises(ValidationError, match=r"`rate\(t\)` must be non-negative"):
        G.InhomogeneousPoisson(lambda t: np.sin(20 * t)).simulate(1, 1.0, rng=0)
    with pytest.raises(ValidationError, match=r"`rate\(t\)` must be an array of shape \(1000,\)"):
        G.InhomogeneousPoisson(lambda t: 5.0 + t[:10]).simulate(1, 1.0, rng=0)
    with pytest.raises(ValidationError, match="Did you mean 'thinning'"):
        G.InhomogeneousPoisson(lambda t: t, method="thining")
    with pytest.raises(ValidationError, match="`t_stop` must be > t_start"):
        G.InhomogeneousPoisson(lambda t: 1 + t).simulate(1, -1.0, rng=0)


def test_hawkes_layout_and_truth():
    h = G.HawkesProcess([5.0, 2.0], [[0.2, 0.3], [0.1, 0.0]], 30.0)
    st = h.simulate(3, 5.0, t_start=1.0, rng=2)
    assert len(st) == 6
    np.testing.assert_array_equal(st.unit, [0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(st.trial, [0, 0, 1, 1, 2, 2])
    assert np.all((st.times >= 1.0) & (st.times < 5.0))
    assert all(np.all(np.diff(tr) > 0) for tr in st)
    np.testing.assert_allclose(st.metadata["ground_truth"]["stationary_rate"], h.stationary_rate)
    np.testing.assert_allclose(h.stationary_rate, np.linalg.solve(np.eye(2) - [[0.2, 0.3], [0.1, 0.0]], [5, 2]))
    assert st == h.simulate(3, 5.0, t_start=1.0, rng=2)
    uni = G.HawkesProcess(4.0, [0.3, 0.2], [10.0, 100.0])
    assert uni.n_units == 1 and uni.spectral_radius == pytest.approx(0.5)


@pytest.mark.parametrize("kwargs, match", [
    ({"baseline": 5.0, "alpha": 1.0, "beta": 10.0}, "spectral radius < 1"),
    ({"baseline": [1.0, 1.0], "alpha": [[0.5, 0.6], [0.6, 0.5]], "beta": 10.0}, "got spectral radius 1.1"),
    ({"baseline": -1.0, "alpha": 0.2, "beta": 10.0}, "`baseline` must be non-negative"),
    ({"baseline": 1.0, "alpha": -0.2, "beta": 10.0}, "`alpha` must be non-negative"),
    ({"baseline": 1.0, "alpha": 0.2, "beta": 0.0}, "`beta` must be a positive decay rate"),
    ({"baseline": [1.0, 2.0], "alpha": [0.1, 0.2], "beta": 10.0}, r"`alpha` must be of shape \(2, 2\)"),
    ({"baseline": [1.0, 2.0], "alpha": np.zeros((2, 2, 3)), "beta": [1.0, 2.0]}, r"\(2, 2, 2\)"),
    ({"baseline": np.nan, "alpha": 0.2, "beta": 10.0}, "`baseline` must be finite"),
])
def test_hawkes_bad_parameters(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        G.HawkesProcess(**kwargs)


def test_glm_population_layout_and_stimulus():
    pop = G.GLMPopulation(intercept=np.log([20.0, 40.0]), history=np.zeros((2, 2, 4)),
                          stimulus_filter=[[1.0, 0.5], [0.0, -1.0]], bin_size=2e-3)
    stim = np.sin(np.linspace(0, 6, 500))
    st = pop.simulate(3, 1.0, stimulus=stim, rng=1)
    assert len(st) == 6 and list(st.unit) == [0, 1] * 3 and list(st.trial) == [0, 0, 1, 1, 2, 2]
    np.testing.assert_allclose(pop.stimulus_drive(stim, 500)[0, 1], stim[1] + 0.5 * stim[0])
    assert st == pop.simulate(3, 1.0, stimulus=stim, rng=1)
    bins = np.round((st.times - 1e-3) / 2e-3, 6)
    np.testing.assert_array_equal(bins, np.round(bins))  # spikes at bin centres


@pytest.mark.parametrize("kwargs, match", [
    ({"intercept": np.nan}, "`intercept` must be finite"),
    ({"intercept": 1.0, "family": "gaussian"}, r"`family` must be one of \['poisson', 'bernoulli'\]"),
    ({"intercept": 1.0, "link": "logit"}, "`link` must be 'log' or 'softplus' for family='poisson'"),
    ({"intercept": 1.0, "link": "lgo"}, "Did you mean 'log'"),
    ({"intercept": 1.0, "bin_size": 0.0}, "`bin_size` must be > 0"),
    ({"intercept": 1.0, "history": [[1.0]]}, "`history` must be a 1-d array"),
])
def test_glm_bad_parameters(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        G.GLMNeuron(**kwargs)


def test_glm_bad_stimulus_and_population_shapes():
    n = G.GLMNeuron(intercept=1.0, stimulus_filter=[1.0, 0.5])
    with pytest.raises(ValidationError, match="`stimulus` must be an array of 1000 values"):
        n.simulate(1, 1.0, rng=0)
    with pytest.raises(ValidationError, match=r"`stimulus` must be one value per bin \(1000 bins"):
        n.simulate(1, 1.0, stimulus=np.zeros(10), rng=0)
    with pytest.raises(ValidationError, match=r"`history` must be of shape \(2, 2, n_lags\)"):
        G.GLMPopulation(intercept=[1.0, 2.0], history=np.zeros((2, 3, 4)))


def test_rate_code_conventions():
    st = G.rate_code(np.array([[0.0, 1.0], [0.5, 0.25]]), 0.2, 1000.0, dt=1e-3, rng=0)
    assert len(st) == 4 and st.counts[0] == 0 and st.counts[1] == 200  # p = 0 and p = 1 per step
    steps = (st.times / 1e-3)
    np.testing.assert_allclose(steps, np.round(steps), atol=1e-9)
    assert st == G.rate_code(np.array([[0.0, 1.0], [0.5, 0.25]]), 0.2, 1000.0, dt=1e-3, rng=0)
    with pytest.raises(ValidationError, match=r"`values` must be in \[0, 1\]"):
        G.rate_code([0.5, 1.5], 1.0, 10.0, rng=0)
    with pytest.raises(ValidationError, match="`max_rate` must be <= 1 / dt"):
        G.rate_code([0.5], 1.0, 2000.0, rng=0)
    with pytest.raises(ValidationError, match="`max_rate` must be >= 0"):
        G.rate_code([0.5], 1.0, -5.0, rng=0)


def test_latency_code_formula():
    v = np.array([0.005, 0.01, 0.02, 0.5, 1.0])
    st = G.latency_code(v, 0.1, threshold=0.01, tau=0.01)
    assert list(st.counts) == [0, 0, 1, 1, 1]
    np.testing.assert_allclose(st.times, 0.01 * np.log(v[2:] / (v[2:] - 0.01)))
    assert st[3][0] < st[2][0]  # larger values fire earlier
    lin = G.latency_code(v, 0.1, threshold=0.01, linear=True, t_start=0.05)
    np.testing.assert_allclose(lin.times, 0.05 + 0.05 * (1 - v[2:]) / 0.99)
    late = G.latency_code([0.0101], 0.01, tau=0.01)  # latency ~ 0.046 s > window
    assert late.n_spikes == 0
    with pytest.raises(ValidationError, match="`threshold` must be < 1"):
        G.latency_code(v, 0.1, threshold=1.0)
    with pytest.raises(ValidationError, match="`tau` must be > 0"):
        G.latency_code(v, 0.1, tau=0.0)


def test_population_code_tuning():
    rates = G.tuning_rates([0.5], 5, 40.0)
    np.testing.assert_allclose(rates[0], 40.0 * np.exp(-0.5 * ((0.5 - np.linspace(0, 1, 5)) / 0.25) ** 2))
    st = G.population_code([0.0, 1.0], 20.0, n_neurons=5, max_rate=40.0, rng=4)
    counts = st.counts.reshape(2, 5)
    assert counts[0].argmax() == 0 and counts[1].argmax() == 4
    with pytest.raises(ValidationError, match="`value_range` must be a pair"):
        G.tuning_rates([0.5], 5, 40.0, value_range=(1.0, 0.0))
    with pytest.raises(ValidationError, match="`n_neurons` must be > 0"):
        G.population_code([0.5], 1.0, n_neurons=0, max_rate=10.0)


def test_empty_inputs_give_empty_trains():
    assert len(G.rate_code([], 1.0, 10.0, rng=0)) == 0
    assert len(G.latency_code([], 1.0)) == 0
    assert len(G.population_code([], 1.0, n_neurons=3, max_rate=5.0, rng=0)) == 0
    assert len(G.HawkesProcess(1.0, 0.1, 1.0).simulate(0, 1.0, rng=0)) == 0
    assert len(G.GLMNeuron(0.0).simulate(0, 1.0, rng=0)) == 0
    assert len(G.InhomogeneousPoisson(lambda t: 5 + 0 * t).simulate(0, 1.0, rng=0)) == 0
    assert G.HawkesProcess(0.0, 0.1, 1.0).simulate(2, 1.0, rng=0).n_spikes == 0
