"""Izhikevich (2003): the presets' documented behaviour (its Fig. 2), the SI conversion, parameters."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import ValidationError

Izhikevich = ss.generators.Izhikevich
PA = 1e-12  # one unit of the paper's input I with the default c_m = 1 pF


def spikes(name: str, current, t_stop: float = 0.3, **kw) -> np.ndarray:
    return Izhikevich.preset(name, **kw).simulate(current, t_stop, dt=1e-4)[0]


def rest_and_linearisation(m: Izhikevich) -> tuple[float, np.ndarray]:
    """Lower fixed point of the model (paper units: mV, ms) and the eigenvalues of its Jacobian there."""
    a, b = m.a * 1e-3, m.b * 1e-3
    roots = np.roots([0.04, 5.0 - b, 140.0])
    v = roots.real.min()
    jac = np.array([[0.08 * v + 5.0, -1.0], [a * b, -a]])
    return v, np.linalg.eigvals(jac)


def test_presets_are_figure_2_in_si():
    m = Izhikevich.preset("RS")
    assert (m.a, m.b, m.c, m.d, m.v_peak) == pytest.approx((20.0, 200.0, -65e-3, 8.0, 30e-3))
    assert Izhikevich.preset("TC").d == pytest.approx(0.05)
    assert Izhikevich() == Izhikevich.preset("RS")
    assert set(Izhikevich.PRESETS) == {"RS", "IB", "CH", "FS", "LTS", "RZ", "TC"}


def test_regular_spiking_adapts():
    isi = np.diff(spikes("RS", 10 * PA))
    assert isi.size >= 4 and isi[-1] > 1.5 * isi[0]
    np.testing.assert_allclose(isi[-3:], isi[-1], rtol=0.02)  # then tonic


def test_intrinsically_bursting_fires_an_initial_burst_then_tonic():
    isi = np.diff(spikes("IB", 10 * PA))
    assert np.all(isi[:2] < 5e-3) and np.all(isi[3:] > 20e-3)


def test_chattering_fires_repeated_bursts():
    isi = np.diff(spikes("CH", 10 * PA))
    long = isi > 30e-3
    assert long.sum() >= 3 and np.all(isi[~long] < 10e-3)
    assert np.all(np.diff(np.flatnonzero(long)) >= 3)  # at least three spikes per burst


def test_fast_spiking_is_fast_with_little_adaptation():
    fs, rs = spikes("FS", 10 * PA), spikes("RS", 10 * PA)
    assert fs.size > 3 * rs.size
    isi = np.diff(fs)
    assert isi[-1] < 2 * isi[0]


def test_low_threshold_spiking_fires_below_the_regular_spiking_threshold():
    assert spikes("LTS", 2 * PA).size > 3 and spikes("RS", 2 * PA).size == 0
    isi = np.diff(spikes("LTS", 10 * PA))
    assert isi[-1] > 2 * isi[0]  # and adapts


def test_thalamo_cortical_fires_a_rebound_burst():
    release = np.r_[np.full(1000, -10 * PA), np.zeros(1000)]  # hyperpolarise for 100 ms, then release
    tc = spikes("TC", release, 0.2)
    assert tc.size >= 2 and np.all(tc > 0.1) and np.all(np.diff(tc) < 15e-3)
    assert spikes("RS", release, 0.2).size == 0
    assert spikes("TC", 2 * PA).size > 10  # tonic when depolarised


def test_resonator_has_damped_subthreshold_oscillations_at_the_linear_frequency():
    m = Izhikevich.preset("RZ")
    rest, eig = rest_and_linearisation(m)
    assert np.all(eig.real < 0) and abs(eig[0].imag) > 0  # a stable focus
    m = Izhikevich.preset("RZ", v_init=rest * 1e-3 + 1e-3)  # 1 mV above rest: no spike, ringing
    st, ds = m.simulate(0.0, 0.2, dt=2e-5, record=True)
    assert st.n_spikes == 0
    x = ds["v"].values[:, 0] - rest * 1e-3
    up = np.flatnonzero((x[:-1] < 0) & (x[1:] >= 0)) * 2e-5
    assert up.size >= 3
    period_ms = 2 * np.pi / abs(eig[0].imag)
    np.testing.assert_allclose(np.diff(up) * 1e3, period_ms, rtol=0.03)
    # a regular-spiking cell, a node, relaxes without ringing
    _, eig_rs = rest_and_linearisation(Izhikevich.preset("RS"))
    assert np.all(eig_rs.imag == 0)


def test_si_conversion_matches_the_paper_units():
    """One Euler step in SI equals one step of the paper's equations in mV and ms."""
    m = Izhikevich.preset("FS")
    _, ds = m.simulate(7 * PA, 2e-4, dt=1e-4, record=True)
    v, u, i, h = -65.0, 0.2 * -65.0, 7.0, 0.1
    v1 = v + h * (0.04 * v * v + 5 * v + 140 - u + i)
    u1 = u + h * 0.1 * (0.2 * v - u)
    assert ds["v"].values[1, 0] == pytest.approx(v1 * 1e-3, rel=1e-12)
    assert ds["u"].values[1, 0] == pytest.approx(u1, rel=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    ({"a": 0.0}, "`a` must be > 0"),
    ({"d": np.nan}, "`d` must be finite"),
    ({"c": 0.05}, "`c` must be < v_peak"),
    ({"c_m": -1.0}, "`c_m` must be > 0"),
])
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        Izhikevich(**kwargs)


def test_bad_preset_and_step():
    with pytest.raises(ValidationError, match="Did you mean 'LTS'"):
        Izhikevich.preset("LTs")
    with pytest.raises(ValidationError, match=r"`dt` must be < the 1 ms scale of v"):
        Izhikevich().simulate(0.0, 1.0, dt=1e-3)
