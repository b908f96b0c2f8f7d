"""Design matrices from spike times against the dense naive twin; trial, causality and input conventions."""

from __future__ import annotations

import numpy as np
import pytest
from reference import naive_glm_design as naive

import spikestats as ss
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.glm.bases import BSplineBasis, ExponentialBasis, FIRBasis, RaisedCosineBasis
from spikestats.glm.design import design_matrix


def _population(rng, n_units=3, n_trials=2, t_stop=0.4, rate=40.0):
    trains, unit, trial = [], [], []
    for r in range(n_trials):
        for u in range(n_units):
            k = rng.poisson(rate * t_stop)
            trains.append(np.sort(rng.uniform(0, t_stop, k)))
            unit.append(u)
            trial.append(r)
    trains[0] = np.r_[trains[0], [0.0, 0.013, 0.013, t_stop]]  # window edges, a bin edge, two spikes in one bin
    trains[0].sort()
    return ss.SpikeTrains.from_list(trains, t_start=0.0, t_stop=t_stop, unit=unit, trial=trial)


@pytest.mark.parametrize("basis", [RaisedCosineBasis(5, 0.03), BSplineBasis(6, 0.02), ExponentialBasis((0.002, 0.01)),
                                   FIRBasis(7, 0.007)])
def test_history_and_coupling_match_the_naive_twin(rng, basis):
    st = _population(rng)
    bs = 0.001
    d = design_matrix(st, bs, history=basis, coupling=True, unit=0)
    b = basis.sample(bs)
    t0, n = [0.0, 0.0], [400, 400]
    for group, u in (("history", 0), ("coupling[1]", 1), ("coupling[2]", 2)):
        trains = [st[i] for i in range(len(st)) if st.unit[i] == u]
        np.testing.assert_allclose(d.X[:, d.groups[group]], naive.naive_history(trains, t0, n, bs, b),
                                   rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(d.y, naive.naive_counts([st[0], st[3]], t0, n, bs))
    assert d.X.flags.c_contiguous and d.X.dtype == np.float64 and d.y.dtype == np.int64


def test_parallel_kernel_gives_the_same_matrix(rng):
    st = _population(rng, n_trials=5)
    a = design_matrix(st, 0.001, history=RaisedCosineBasis(6, 0.05), coupling=True, unit=1, parallel=True)
    b = design_matrix(st, 0.001, history=RaisedCosineBasis(6, 0.05), coupling=True, unit=1, parallel=False)
    np.testing.assert_array_equal(a.X, b.X)


def test_history_is_causal_and_does_not_cross_trials():
    st = ss.SpikeTrains.from_list([[0.0095], [0.0005]], t_start=0.0, t_stop=0.01, unit=[0, 0], trial=[0, 1])
    d = design_matrix(st, 0.001, history=FIRBasis(5, 0.005))
    # trial 0: its spike in the last bin (9) has no later row; trial 1 starts at row 10 and sees only its own spike
    assert d.X[:10].sum() == 0
    np.testing.assert_array_equal(d.X[10], 0)  # the bin's own spike is not in its history
    np.testing.assert_array_equal(d.X[11:16], np.eye(5))
    np.testing.assert_array_equal(d.y, np.r_[np.eye(10)[9], np.eye(10)[0]])
    np.testing.assert_array_equal(d.trial, np.repeat([0, 1], 10))
    np.testing.assert_allclose(d.bin_start[:3], [0.0, 0.001, 0.002])
    np.testing.assert_allclose(d.offset, np.log(0.001))
    assert d.names[:2] == ("history:0", "history:1") and d.n_spikes == 2


def test_trials_with_their_own_windows():
    st = ss.SpikeTrains.from_list([[1.0025], [5.0005]], t_start=[1.0, 5.0], t_stop=[1.01, 5.02], trial=[3, 7],
                                  unit=[0, 0])
    d = design_matrix(st, 0.001, history=FIRBasis(3, 0.003))
    np.testing.assert_array_equal(d.block_row0, [0, 10, 30])
    np.testing.assert_array_equal(d.trials, [3, 7])
    assert d.bin_start[10] == pytest.approx(5.0)
    np.testing.assert_array_equal(d.X[3:6], np.eye(3))
    np.testing.assert_array_equal(d.X[11:14], np.eye(3))


def test_stimulus_pair_is_averaged_per_bin_and_lagged_like_the_twin(rng):
    st = _population(rng, n_units=1, n_trials=2, t_stop=0.2)
    t = np.arange(0.0, 0.2, 0.0005)  # 2 samples per 1 ms bin
    s = np.column_stack([np.sin(40 * t), rng.normal(size=t.size)])
    basis = RaisedCosineBasis(4, 0.01, log=False)
    d = design_matrix(st, 0.001, stimulus=(t, s), stimulus_basis=basis)
    per_bin = s.reshape(200, 2, 2).mean(axis=1)
    signal = np.vstack([per_bin, per_bin])
    expect = naive.naive_lagged(signal, [200, 200], basis.sample(0.001, causal=False))
    np.testing.assert_allclose(d.X, expect, rtol=1e-12, atol=1e-12)
    assert d.names[0] == "stimulus[0]:0" and d.groups["stimulus"] == slice(0, 8)
    raw = design_matrix(st, 0.001, stimulus=signal[:, 0])
    np.testing.assert_array_equal(raw.X[:, 0], signal[:, 0])


def test_stimulus_must_cover_the_spikes():
    st = ss.SpikeTrains.from_list([[0.1, 0.5]], t_start=0.0, t_stop=1.0)
    with pytest.raises(ValidationError, match=r"`stimulus` must be defined over trial 0 \[0, 1\] s; got a time "
                                              r"base covering \[0, 0.55\] s"):
        design_matrix(st, 0.001, stimulus=(np.linspace(0, 0.5, 11), np.ones(11)))
    with pytest.raises(ValidationError, match="one value per bin \\(1000 bins"):
        design_matrix(st, 0.001, stimulus=np.ones(999))


def test_bad_inputs():
    st = ss.SpikeTrains.from_list([[0.1], [0.2]], t_start=0.0, t_stop=1.0, unit=[0, 1])
    with pytest.raises(ValidationError, match="`bin_size` must be <= the filter length"):
        design_matrix(st, 0.05, history=FIRBasis(3, 0.03), unit=0)
    with pytest.raises(ValidationError, match="`unit` must be one of the units \\[0, 1\\] \\(st holds several\\)"):
        design_matrix(st, 0.001, history=FIRBasis(3, 0.03))
    with pytest.raises(ValidationError, match="`unit` must be one of the units"):
        design_matrix(st, 0.001, history=FIRBasis(3, 0.03), unit=5)
    with pytest.raises(ValidationTypeError, match="`history` must be a basis"):
        design_matrix(st, 0.001, history=np.ones(3), unit=0)
    with pytest.raises(ValidationError, match="`coupling` must be False for a single unit"):
        design_matrix(st.select(unit=0), 0.001, history=FIRBasis(3, 0.03), coupling=True)
    dup = ss.SpikeTrains.from_list([[0.1], [0.2]], t_start=0.0, t_stop=1.0, unit=[0, 0])
    with pytest.raises(ValidationError, match="exactly one train of unit 0 in every trial; got 2"):
        design_matrix(dup, 0.001, history=FIRBasis(3, 0.03))
    with pytest.raises(ValidationError, match="`bin_size` must be <= the window"):
        design_matrix(st, 2.0, unit=0)
