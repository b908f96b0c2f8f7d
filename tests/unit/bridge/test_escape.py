"""Exponential-escape neurons: kernels equal their twins, s16.15 follows float64, the escape rate, GLM export fidelity."""

from __future__ import annotations

import math

import numpy as np
import pytest

from _tolerances import binomial_tol, ks_tol
from reference import naive_spinnaker as naive
from spikestats._kernels.bridge_spinnaker import escape_probability_u032
from spikestats.bridge.escape import EscapeNeuronReference
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationError, ValidationTypeError

TAUS = [0.002, 0.01, 0.05]
WEIGHTS = np.array([[[-6.0, 0.5, 0.2], [0.4, 0.1, 0.0]],
                    [[0.6, 0.0, 0.1], [-4.0, -0.5, 0.0]]])


def pair() -> EscapeNeuronReference:
    return EscapeNeuronReference(bias=[math.log(20.0), math.log(8.0)], taus=TAUS, weights=WEIGHTS)


def steps_of(out) -> list[tuple[int, int]]:
    return sorted(zip(np.floor(out.spikes.times / out.dt).astype(int).tolist(), out.spikes.train_index.tolist()))


@pytest.mark.parametrize("fixed", [True, False])
def test_escape_kernels_equal_naive_twins(fixed):
    ref = pair()
    out = ref.run(1500, rng=11, fixed_point=fixed)
    key = int(np.random.default_rng(11).integers(0, 2**63 - 1))
    if fixed:
        w = ref.fixed_point_words()
        expected = naive.escape(w["bias"].tolist(), w["trace_decay"].tolist(), w["weights"].tolist(), 1500, key)
    else:
        expected = naive.escape((ref.bias + math.log(ref.dt)).tolist(), np.exp(-ref.dt / ref.taus).tolist(),
                                ref.weights.tolist(), 1500, key, fixed=False)
    assert out.spikes.n_spikes > 10
    assert steps_of(out) == sorted(expected)


def test_escape_probability_within_its_documented_error():
    eta = np.arange(-340000, 98304, 37)  # log expected spikes per step from -10.4 to 3
    for n in eta[::50].tolist() + [-1, 0, 1, -22713, -22714]:
        assert escape_probability_u032(n) == naive.escape_probability_u032(n)
    worst = max(abs(escape_probability_u032(n) / 2**32 + math.expm1(-math.exp(n / 2**15))) for n in eta.tolist())
    assert worst < 3.2e-5  # 2**-15 from rounding mu to s16.15 above mu = 1/2, series error < 1e-7 below


def test_fixed_point_and_float_draw_the_same_spikes_up_to_rounding():
    ref = pair()
    fixed, flt = ref.run(20000, rng=2), ref.run(20000, rng=2, fixed_point=False, record=("p",))
    a, b = set(steps_of(fixed)), set(steps_of(flt))
    assert len(a ^ b) <= 0.005 * len(a)
    assert flt.p.shape == (20000, 2) and np.all((flt.p >= 0) & (flt.p <= 1))


def test_unconnected_neuron_fires_at_its_bias_rate():
    rate, dt, n_steps = 20.0, 1e-3, 40000
    ref = EscapeNeuronReference(bias=[math.log(rate)], taus=[0.01], weights=[0.0], dt=dt)
    out = ref.run(n_steps, rng=3)
    p = -math.expm1(-rate * dt)
    assert abs(out.spikes.n_spikes / n_steps - p) < binomial_tol(p, n_steps)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_unconnected_neuron_rate_seed_sweep(seed):
    rate, dt, n_steps = 20.0, 1e-3, 40000
    out = EscapeNeuronReference(bias=[math.log(rate)], taus=[0.01], weights=[0.0], dt=dt).run(n_steps, rng=seed)
    p = -math.expm1(-rate * dt)
    assert abs(out.spikes.n_spikes / n_steps - p) < binomial_tol(p, n_steps)


def test_bad_shapes_and_ranges_raise():
    with pytest.raises(ValidationError, match=r"\(2, 2, 3\)"):
        EscapeNeuronReference(bias=[0.0, 1.0], taus=TAUS, weights=np.zeros((2, 3, 3)))
    with pytest.raises(ValidationError, match="taus"):
        EscapeNeuronReference(bias=[0.0], taus=[0.01, -1.0], weights=[0.0, 0.0])
    big = EscapeNeuronReference(bias=[0.0], taus=[0.01], weights=[1e6])
    with pytest.raises(ValidationError, match="s16.15"):
        big.run(10)
    assert big.run(10, fixed_point=False).spikes.n_spikes >= 0
    with pytest.raises(ValidationError, match="Did you mean 'eta'"):
        pair().run(10, record=("etta",))
    with pytest.raises(ValidationTypeError, match="HistoryGLM"):
        EscapeNeuronReference.from_glm(object())


# ---------------------------------------------------------------------------------------------- GLM export


def grasshopper(shared_data) -> SpikeTrains:
    t = np.loadtxt(shared_data / "nitime_grasshopper_Rokem2006" / "grasshopper_spike_times1.txt") * 1e-6
    return SpikeTrains.from_list([t], t_start=0.0, t_stop=10.0)


def fitted_glm(st):
    history = pytest.importorskip("spikestats.glm.history", reason="spikestats.glm.HistoryGLM not available")
    from spikestats.glm.bases import ExponentialBasis

    basis = ExponentialBasis(taus=(0.001, 0.0025, 0.006, 0.015, 0.04))
    return history.HistoryGLM(history=basis, bin_size=1e-3, family="bernoulli").fit(st), history


def test_glm_export_passes_time_rescaling_and_refits_inside_the_bands(shared_data):
    """Grasshopper receptor (strong refractoriness): the exported GLM's spikes are the GLM's own."""
    gof = pytest.importorskip("spikestats.glm.goodness_of_fit", reason="time_rescaling_test not available")
    model, history = fitted_glm(grasshopper(shared_data))
    ref = EscapeNeuronReference.from_glm(model)
    out = ref.run(n_steps=60000, rng=4)
    res = gof.time_rescaling_test(out.spikes, model)
    assert res.statistic < ks_tol(out.spikes.n_spikes)
    refit = history.HistoryGLM(history=model.history, bin_size=1e-3, family="bernoulli").fit(out.spikes)
    f0, f1 = model.history_filter_, refit.history_filter_
    inside = (f1.log_gain >= f0.log_lower) & (f1.log_gain <= f0.log_upper)
    assert inside.mean() >= 0.95


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_glm_export_time_rescaling_seed_sweep(shared_data, seed):
    gof = pytest.importorskip("spikestats.glm.goodness_of_fit", reason="time_rescaling_test not available")
    model, _ = fitted_glm(grasshopper(shared_data))
    out = EscapeNeuronReference.from_glm(model).run(n_steps=60000, rng=seed)
    assert gof.time_rescaling_test(out.spikes, model).statistic < ks_tol(out.spikes.n_spikes)
