"""Hodgkin-Huxley: threshold current and f-I shape of the standard squid axon, action potential, convergence."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import ValidationError

HH = ss.generators.HodgkinHuxley
#: 1 uA/cm^2 in amperes for the default area (1e-9 m^2): 1e-2 A/m^2 * 1e-9 m^2
UA_CM2 = 1e-11


def test_threshold_current_for_repetitive_firing():
    """Repetitive firing from rest starts between 6.2 and 6.3 uA/cm^2.

    Published: the periodic orbit appears at 6.26 uA/cm^2 (saddle-node of
    cycles; Rinzel & Miller 1980, Math. Biosci. 49:27; Hassard 1978,
    J. Theor. Biol. 71:401) for the standard model at 6.3 degC.
    """
    density = np.array([5.0, 6.0, 6.2, 6.3, 6.5, 7.0])
    st = HH().simulate(density[:, None] * UA_CM2, 0.3, n_neurons=density.size)
    repetitive = np.array([len(t) >= 8 for t in st])
    np.testing.assert_array_equal(repetitive, density >= 6.26)
    assert len(st[0]) <= 1  # below threshold: at most the onset spike


def test_f_i_curve_is_type_ii():
    """Discontinuous onset near 50 Hz, then a slowly rising rate (Hodgkin's class II; HH at 6.3 degC)."""
    density = np.array([6.5, 10.0, 20.0, 50.0])
    st = HH().simulate(density[:, None] * UA_CM2, 0.3, n_neurons=density.size)
    rates = np.array([(len(t) - 3) / (t[-1] - t[2]) for t in st])  # steady state, after 2 ISIs
    assert 45.0 < rates[0] < 65.0
    assert np.all(np.diff(rates) > 0)
    assert rates[-1] < 2.5 * rates[0]  # a far smaller range than the input's (about 8 x)


def test_action_potential_shape():
    st, ds = HH().simulate(10 * UA_CM2, 0.03, record=True)
    v = ds["v"].values[:, 0]
    assert ds["v"].values[0, 0] == pytest.approx(-65e-3)
    assert 30e-3 < v.max() < 55e-3  # overshoot below E_Na
    after = v[int(st[0][0] / 1e-5):]
    assert -77e-3 < after.min() < -70e-3  # after-hyperpolarisation towards E_K
    m, h, n = (ds[g].values[:, 0] for g in ("m", "h", "n"))
    assert np.all((m >= 0) & (m <= 1) & (h >= 0) & (h <= 1) & (n >= 0) & (n <= 1))
    first = slice(0, int((st[0][0] + 5e-3) / 1e-5))  # the first action potential
    peak = v[first].argmax()
    assert n[first].argmax() > peak and h[first].argmin() > peak  # K+ activation and Na+ inactivation lag


def test_resting_state_is_stationary():
    st, ds = HH().simulate(0.0, 0.05, record=True, record_every=1e-3)
    assert st.n_spikes == 0
    np.testing.assert_allclose(ds["v"].values[:, 0], -65e-3, atol=0.1e-3)


def test_spike_times_converge_with_dt():
    t_fine = HH().simulate(10 * UA_CM2, 0.05, dt=2.5e-6)[0]
    t_mid = HH().simulate(10 * UA_CM2, 0.05, dt=5e-6)[0]
    t_coarse = HH().simulate(10 * UA_CM2, 0.05, dt=1e-5)[0]
    assert len(t_fine) == len(t_mid) == len(t_coarse) >= 3
    e_coarse, e_mid = np.abs(t_coarse - t_fine).max(), np.abs(t_mid - t_fine).max()
    assert e_coarse < 50e-6 and e_mid < e_coarse


@pytest.mark.parametrize("kwargs, match", [
    ({"c_m": 0.0}, "`c_m` must be > 0"),
    ({"g_na": -1.0}, "`g_na` must be >= 0"),
    ({"e_k": np.inf}, "`e_k` must be finite"),
    ({"area": 0.0}, "`area` must be > 0"),
])
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        HH(**kwargs)


def test_dt_must_resolve_the_gates():
    with pytest.raises(ValidationError, match=r"`dt` must be < the fastest gating time constant"):
        HH().simulate(0.0, 0.1, dt=1e-4)
