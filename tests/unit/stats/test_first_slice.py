"""firing_rate, isi, cv, fano_factor: values, conventions, naive twins, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from reference import naive

import spikestats as ss
from spikestats._kernels.isi import isi_moments
from spikestats.exceptions import DataWarning, ValidationError, ValidationTypeError


@pytest.fixture
def st():
    return ss.SpikeTrains.from_list([[0.1, 0.2, 0.4, 0.8], [0.5], [0.3, 0.6, 0.9]], 0.0, 2.0)


def test_firing_rate(st):
    np.testing.assert_allclose(ss.stats.firing_rate(st), [2.0, 0.5, 1.5])
    np.testing.assert_allclose(ss.stats.firing_rate(st, t_start=0.0, t_stop=1.0), [4.0, 1.0, 3.0])
    # one array: window [0, last spike] as in Elephant's mean_firing_rate
    assert ss.stats.firing_rate(np.array([0.5, 1.0, 2.0])) == pytest.approx(1.5)
    assert ss.stats.firing_rate([0.5, 1.0, 2.0], t_stop=3.0) == pytest.approx(1.0)
    np.testing.assert_allclose(ss.stats.firing_rate([np.array([0.5, 1.0]), np.array([2.0])]), [1.0, 0.5])


def test_isi(st):
    r = ss.stats.isi(st)
    assert len(r) == 3
    np.testing.assert_allclose(r[0], [0.1, 0.2, 0.4])
    assert r[1].size == 0
    np.testing.assert_allclose(r[2], [0.3, 0.3])
    np.testing.assert_array_equal(r.offsets, [0, 3, 3, 5])
    np.testing.assert_allclose(r.values, [0.1, 0.2, 0.4, 0.3, 0.3])
    assert [row.size for row in r] == [3, 0, 2] and len(list(r)) == len(r.rows()) == 3
    np.testing.assert_allclose(ss.stats.isi(np.array([1.0, 1.5, 3.0])), [0.5, 1.5])
    with pytest.raises(IndexError):
        r[3]


def test_cv_values_and_conventions(st):
    with pytest.warns(DataWarning, match="1 of 3 trains"):
        c = ss.stats.cv(st)
    d = np.array([0.1, 0.2, 0.4])
    assert c[0] == pytest.approx(d.std() / d.mean(), rel=1e-14)
    assert np.isnan(c[1])
    assert c[2] == pytest.approx(0.0, abs=1e-12)
    assert ss.stats.cv(np.array([0.0, 0.1, 0.3, 0.6]), ddof=1) == pytest.approx(
        np.std([0.1, 0.2, 0.3], ddof=1) / 0.2, rel=1e-14)
    with pytest.raises(ValidationError, match="`ddof`"):
        ss.stats.cv(st, ddof=-1)


def test_isi_moments_match_naive(rng):
    st = ss.generators.PoissonProcess(rate=15.0).simulate(n_trains=30, t_stop=2.0, rng=rng)
    got = isi_moments(st.times, st.offsets)
    want = naive.isi_moments(st.times, st.offsets)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-10)


def test_fano_across_trains(st):
    counts = np.array([4, 1, 3])
    assert ss.stats.fano_factor(st) == pytest.approx(counts.var() / counts.mean(), rel=1e-14)
    assert ss.stats.fano_factor(st, ddof=1) == pytest.approx(counts.var(ddof=1) / counts.mean(), rel=1e-14)
    with pytest.warns(DataWarning):
        assert np.isnan(ss.stats.fano_factor(ss.SpikeTrains.from_list([[], []], 0.0, 1.0)))
    uneven = ss.SpikeTrains.from_list([[0.1], [0.2]], 0.0, [1.0, 2.0])
    with pytest.raises(ValidationError, match="equal length.*pass `window=`"):
        ss.stats.fano_factor(uneven)


def test_fano_within_trains_matches_binning(rng):
    st = ss.generators.PoissonProcess(rate=25.0).simulate(n_trains=12, t_stop=7.3, rng=rng)
    got = ss.stats.fano_factor(st, window=0.5, ddof=1)
    counts = st.bin(0.5).counts  # same window starts (0.0) and whole windows only
    np.testing.assert_allclose(got, counts.var(axis=1, ddof=1) / counts.mean(axis=1), rtol=1e-12)
    assert got.shape == (12,)


@pytest.mark.parametrize("window, match", [(0.0, "> 0"), (-1.0, "> 0"), (5.0, "shortest"), (np.nan, "finite")])
def test_fano_bad_window(st, window, match):
    with pytest.raises(ValidationError, match=f"`window` must be.*{match}"):
        ss.stats.fano_factor(st, window=window)


def test_bad_inputs_to_statistics():
    for func in (ss.stats.firing_rate, ss.stats.isi, ss.stats.cv, ss.stats.fano_factor):
        with pytest.raises(ValidationTypeError):
            func("spikes")
        with pytest.raises(ValidationTypeError):
            func(None)
        with pytest.raises(ValidationError, match="finite"):
            func(np.array([0.1, np.nan, 0.3]))
        with pytest.raises(ValidationError, match="sorted"):
            func(np.array([0.3, 0.1]))
        with pytest.raises(ValidationError):
            func(np.zeros((2, 2)))
