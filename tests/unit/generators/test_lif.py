"""LIF: the analytic f-I curve, rheobase, saturation at 1 / t_ref, exact integration, parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import ValidationError, ValidationTypeError

LIF = ss.generators.LIF
NEURON = LIF(tau_m=20e-3, v_rest=-70e-3, v_th=-50e-3, v_reset=-65e-3, r_m=100e6, t_ref=2e-3)


def analytic_rate(m: LIF, current: float) -> float:
    """f = 1 / (t_ref + tau_m ln((R I - (V_reset - V_rest)) / (R I - (V_th - V_rest)))), written out here."""
    ri = m.r_m * current
    return 1.0 / (m.t_ref + m.tau_m * math.log((ri - (m.v_reset - m.v_rest)) / (ri - (m.v_th - m.v_rest))))


def steady_rate(train: np.ndarray) -> float:
    """Rate from the mean ISI after the first spike (the first one starts from v_rest, not v_reset)."""
    return (len(train) - 1) / (train[-1] - train[0])


def test_rheobase():
    assert NEURON.rheobase == pytest.approx(20e-3 / 100e6)


def test_rates_equal_the_analytic_f_i_curve():
    currents = NEURON.rheobase * np.array([1.01, 1.1, 1.5, 2.0, 4.0, 10.0])
    st = NEURON.simulate(currents[:, None], 1.0, dt=1e-4, n_neurons=currents.size)
    for train, current in zip(st, currents):
        want = analytic_rate(NEURON, current)
        assert len(train) >= 3
        # the issue asks for 0.5 %; the threshold crossing is timed exactly, so it holds to rounding
        assert steady_rate(train) == pytest.approx(want, rel=5e-3)
        assert steady_rate(train) == pytest.approx(want, rel=1e-9)
    np.testing.assert_allclose(NEURON.rate(currents), [analytic_rate(NEURON, c) for c in currents], rtol=1e-14)


@pytest.mark.parametrize("dt", [1e-4, 3.7e-4, 1e-5])
def test_f_i_curve_does_not_depend_on_the_step(dt):
    current = 1.7 * NEURON.rheobase
    train = NEURON.simulate(current, 0.5, dt=dt)[0]
    assert steady_rate(train) == pytest.approx(analytic_rate(NEURON, current), rel=1e-9)


def test_no_spikes_at_or_below_rheobase():
    currents = NEURON.rheobase * np.array([-1.0, 0.0, 0.5, 0.999, 1.0])
    st = NEURON.simulate(currents[:, None], 5.0, dt=1e-3, n_neurons=currents.size)
    assert st.n_spikes == 0
    assert NEURON.rate(currents).tolist() == [0.0] * 5


def test_rate_saturates_at_one_over_t_ref():
    currents = NEURON.rheobase * np.array([10.0, 100.0, 1e3, 1e5])
    st = NEURON.simulate(currents[:, None], 0.5, dt=1e-4, n_neurons=currents.size)
    rates = np.array([steady_rate(t) for t in st])
    assert np.all(np.diff(rates) > 0) and np.all(rates < 1.0 / NEURON.t_ref)
    assert rates[-1] == pytest.approx(1.0 / NEURON.t_ref, rel=1e-3)
    assert min(np.diff(t).min() for t in st) >= NEURON.t_ref


def test_first_spike_time_is_exact():
    """From v_rest, V(t) = v_rest + R I (1 - exp(-t / tau_m)) reaches v_th at t = tau_m ln(R I / (R I - 20 mV))."""
    current = 0.3e-9
    t_first = NEURON.simulate(current, 0.1, dt=1e-4)[0][0]
    ri = NEURON.r_m * current
    assert t_first == pytest.approx(NEURON.tau_m * math.log(ri / (ri - 20e-3)), rel=1e-12)


def test_piecewise_constant_input_is_integrated_exactly():
    """A subthreshold step: V at the sampled times equals the closed-form relaxation."""
    dt, n = 1e-4, 400
    current = np.where(np.arange(n) < 150, 0.1e-9, 0.05e-9)
    _, ds = NEURON.simulate(current, n * dt, dt=dt, record=True)
    t = ds["time"].values
    v1 = NEURON.v_rest + 10e-3 * (1 - np.exp(-t / NEURON.tau_m))
    t_step = 150 * dt
    v_step = NEURON.v_rest + 10e-3 * (1 - np.exp(-t_step / NEURON.tau_m))
    v2 = NEURON.v_rest + 5e-3 + (v_step - NEURON.v_rest - 5e-3) * np.exp(-(t - t_step) / NEURON.tau_m)
    np.testing.assert_allclose(ds["v"].values[:, 0], np.where(t < t_step, v1, v2), rtol=1e-12)


def test_refractory_period_ends_inside_a_step():
    """With t_ref not a multiple of dt every ISI is still exactly the analytic one."""
    m = LIF(t_ref=1.234e-3)
    train = m.simulate(0.5e-9, 0.3, dt=1e-4)[0]
    np.testing.assert_allclose(np.diff(train), 1.0 / analytic_rate(m, 0.5e-9), rtol=1e-9)


def test_noise_makes_subthreshold_input_fire():
    st = LIF(sigma=5e-3).simulate(0.9 * NEURON.rheobase, 0.5, n_neurons=5, rng=0)
    assert st.n_spikes > 10 and LIF().simulate(0.9 * NEURON.rheobase, 0.5, n_neurons=5, rng=0).n_spikes == 0


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"tau_m": 0.0}, ValidationError, "`tau_m` must be > 0"),
    ({"tau_m": np.nan}, ValidationError, "`tau_m` must be finite"),
    ({"r_m": -1.0}, ValidationError, "`r_m` must be > 0"),
    ({"t_ref": -1e-3}, ValidationError, "`t_ref` must be >= 0"),
    ({"sigma": np.inf}, ValidationError, "`sigma` must be finite"),
    ({"sigma": -1e-3}, ValidationError, "`sigma` must be >= 0"),
    ({"v_th": np.nan}, ValidationError, "`v_th` must be finite"),
    ({"v_reset": -0.05}, ValidationError, r"`v_reset` must be < v_th"),
    ({"v_rest": "-70 mV"}, ValidationTypeError, "`v_rest` must be a real number"),
])
def test_bad_parameters(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        LIF(**kwargs)


def test_parameters_are_stored_as_floats_and_frozen():
    m = LIF(tau_m=np.float32(0.01), t_ref=0)
    assert type(m.tau_m) is float and type(m.t_ref) is float
    with pytest.raises(AttributeError):
        m.tau_m = 0.02
