"""AdEx: the eight Naud et al. (2008) patterns, first-order Euler convergence, presets, parameters."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import ValidationError

AdEx = ss.generators.AdEx
T_STOP = 0.5
DT = 5e-5


def classify(train: np.ndarray, t_stop: float) -> str:
    """Firing pattern of a response to a current step from t = 0, by rules on the spike times (s).

    - transient: at most 5 spikes, all in the first fifth of the window;
    - bursting: at least two long ISIs (> 5 x the shortest) each followed by a
      short one (< 10 ms); *regular* when the long ISIs after the first agree
      within 5 % (CV), *delayed* when the first spike comes after 25 ms, and
      *irregular* when the long ISIs vary;
    - initial burst: the first two ISIs < 10 ms, all later ones > 3 x longer;
    - delayed accelerating: first spike after 25 ms and the last ISI < 0.8 x the first;
    - adapting: the last ISI > 2 x the first;
    - tonic: the last ISI within 20 % of the first.
    """
    if train.size == 0:
        return "silent"
    if train.size <= 5 and train[-1] < 0.2 * t_stop:
        return "transient"
    isi = np.diff(train)
    late = train[0] > 25e-3
    long = isi > 5 * isi.min()
    short = isi < 10e-3
    bursts = int(np.sum(long[:-1] & short[1:]))
    if bursts >= 2:
        gaps = isi[long][1:]
        if gaps.std() / gaps.mean() < 0.05:
            return "delayed regular bursting" if late else "regular bursting"
        return "irregular"
    if np.all(isi[:2] < 10e-3) and np.all(isi[2:] > 3 * isi[:2].max()):
        return "initial burst"
    if late and isi[-1] < 0.8 * isi[0]:
        return "delayed accelerating"
    if isi[-1] > 2 * isi[0]:
        return "adapting"
    if abs(isi[-1] / isi[0] - 1) < 0.2:
        return "tonic"
    return "unclassified"


def test_each_naud_preset_shows_its_pattern():
    names = AdEx.PRESETS
    assert len(names) == 8
    for name in names:
        model = AdEx.preset(name)
        train = model.simulate(AdEx.preset_current(name), T_STOP, dt=DT)[0]
        assert classify(train, T_STOP) == name, (name, np.round(np.diff(train) * 1e3, 1))


def test_classifier_tells_the_patterns_apart():
    """The rules are not vacuous: other currents change the pattern (here tonic becomes silent or transient)."""
    assert classify(np.array([]), 1.0) == "silent"
    assert classify(np.array([0.01, 0.02, 0.03, 0.04, 0.05]), 1.0) == "transient"
    assert classify(np.arange(1, 20) * 0.01, 0.2) == "tonic"
    assert classify(np.cumsum(np.geomspace(0.01, 0.05, 12)), 1.0) == "adapting"
    assert classify(AdEx.preset("adapting").simulate(100e-12, T_STOP, dt=DT)[0], T_STOP) == "silent"


def test_preset_parameters_are_those_of_naud_table_1():
    m = AdEx.preset("initial_burst")
    assert (m.c_m, m.g_l, m.e_l, m.v_t, m.delta_t, m.a, m.tau_w, m.b, m.v_reset) == pytest.approx(
        (130e-12, 18e-9, -58e-3, -50e-3, 2e-3, 4e-9, 150e-3, 120e-12, -50e-3))
    assert AdEx.preset_current("initial burst") == pytest.approx(400e-12)
    assert AdEx.preset("tonic", sigma=1e-3).sigma == 1e-3
    assert AdEx.preset("tonic") == AdEx()  # the API defaults are Naud's tonic cell


def test_unknown_preset_suggests_the_closest():
    with pytest.raises(ValidationError, match="Did you mean 'adapting'"):
        AdEx.preset("adaptin")


def test_euler_error_halves_when_dt_halves():
    """Forward Euler is first order: V at 20 ms (subthreshold, exponential term active) against dt / 64."""
    model = AdEx(a=4e-9)
    t_probe, current = 20e-3, 180e-12

    def v_at(dt: float) -> float:
        _, ds = model.simulate(current, 25e-3, dt=dt, record=True)
        return float(ds["v"].values[int(round(t_probe / dt)), 0])

    ref = v_at(1e-4 / 64)
    errors = [abs(v_at(dt) - ref) for dt in (4e-4, 2e-4, 1e-4)]
    assert errors[2] > 0
    for coarse, fine in zip(errors, errors[1:]):
        assert 1.8 < coarse / fine < 2.2


def test_spike_resets_and_adaptation_jump():
    model = AdEx.preset("adapting", t_ref=2e-3)
    st, ds = model.simulate(500e-12, 0.1, dt=1e-4, record=True)
    t = ds["time"].values
    first = st[0][0]
    k = int(round(first / 1e-4))  # the step after the spike starts at v_reset, held for t_ref
    np.testing.assert_allclose(ds["v"].values[k:k + 20, 0], model.v_reset)
    assert ds["v"].values[k + 21, 0] > model.v_reset
    assert ds["w"].values[k, 0] - ds["w"].values[k - 1, 0] == pytest.approx(model.b, rel=0.05)
    assert np.all(np.diff(st[0]) >= 2e-3) and t[-1] < 0.1


def test_delta_t_zero_without_adaptation_is_a_lif():
    """a = b = 0, delta_t = 0: LIF with threshold v_spike; ISI = tau_m ln((V_inf - v_reset) / (V_inf - v_spike))."""
    model = AdEx(delta_t=0.0, v_spike=-50e-3, a=0.0, b=0.0)
    train = model.simulate(500e-12, 0.5, dt=1e-5)[0]
    v_inf = model.e_l + 500e-12 / model.g_l
    isi = model.tau_m * np.log((v_inf - model.v_reset) / (v_inf - model.v_spike))
    # Euler with spikes on the grid: each ISI is off by at most a step or two
    assert np.abs(np.diff(train) - isi).max() < 2e-5


@pytest.mark.parametrize("kwargs, match", [
    ({"c_m": 0.0}, "`c_m` must be > 0"),
    ({"g_l": np.nan}, "`g_l` must be finite"),
    ({"tau_w": -1.0}, "`tau_w` must be > 0"),
    ({"delta_t": -1e-3}, "`delta_t` must be >= 0"),
    ({"v_spike": -0.06}, r"`v_spike` must be > v_t"),
    ({"v_reset": 0.01}, r"`v_reset` must be < v_spike"),
    ({"b": np.inf}, "`b` must be finite"),
])
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        AdEx(**kwargs)


def test_dt_must_be_below_both_time_constants():
    with pytest.raises(ValidationError, match=r"`dt` must be < tau_w = 0.001 s"):
        AdEx(tau_w=1e-3).simulate(0.0, 0.1, dt=2e-3)
    with pytest.raises(ValidationError, match=r"`dt` must be < tau_m = 0.02 s"):
        AdEx().simulate(0.0, 1.0, dt=0.02)
