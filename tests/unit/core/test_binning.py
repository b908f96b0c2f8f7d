"""Binning, rasters and the bit-packed [T, B, C] layout."""

from __future__ import annotations

import numpy as np
import pytest
from reference import naive

import spikestats as ss
from spikestats._kernels import binning as kb
from spikestats.exceptions import ValidationError, ValidationTypeError


def test_bin_left_closed_last_bin_closed():
    st = ss.SpikeTrains.from_list([[0.0, 0.1, 0.2, 0.3, 0.35, 1.0]], 0.0, 1.0)
    b = st.bin(0.1)
    assert b.n_bins == 10 and b.bin_size == pytest.approx(0.1)
    np.testing.assert_array_equal(b.counts[0], [1, 1, 1, 2, 0, 0, 0, 0, 0, 1])
    np.testing.assert_allclose(b.edges, np.arange(11) * 0.1)
    np.testing.assert_allclose(b.centers[:2], [0.05, 0.15])
    assert b.rates()[0, 3] == pytest.approx(20.0)


def test_partial_last_bin_dropped():
    st = ss.SpikeTrains.from_list([[0.05, 0.95]], 0.0, 1.0)
    b = st.bin(0.3)
    assert b.n_bins == 3 and b.edges[-1] == pytest.approx(0.9)
    assert b.counts.sum() == 1


def test_bin_count_tolerance():
    # 1.0 / 0.001 is 999.9999999999999 in floating point; it must give 1000 bins
    st = ss.SpikeTrains.from_list([[0.5]], 0.0, 1.0)
    assert st.bin(0.001).n_bins == 1000
    assert st.bin(0.1, 0.3, 0.6).n_bins == 3


def test_common_window_and_explicit_window():
    st = ss.SpikeTrains.from_list([[0.5, 1.5], [1.2, 2.5]], [0.0, 1.0], [2.0, 3.0])
    b = st.bin(0.5)
    assert b.edges[0] == 1.0 and b.edges[-1] == 2.0
    np.testing.assert_array_equal(b.counts, [[0, 1], [1, 0]])
    with pytest.raises(ValidationError, match="overlap"):
        ss.SpikeTrains.from_list([[0.5], [2.5]], [0.0, 2.0], [1.0, 3.0]).bin(0.1)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_bad_bin_size(bad):
    st = ss.SpikeTrains.from_list([[0.5]], 0.0, 1.0)
    with pytest.raises(ValidationError, match="`bin_size` must be"):
        st.bin(bad)


def test_bin_size_type_and_too_large():
    st = ss.SpikeTrains.from_list([[0.5]], 0.0, 1.0)
    with pytest.raises(ValidationTypeError, match="`bin_size` must be a real number"):
        st.bin("1ms")
    with pytest.raises(ValidationError, match="`bin_size` must be <= the window length"):
        st.bin(2.0)


def test_kernel_matches_naive(rng):
    st = ss.generators.PoissonProcess(rate=50.0).simulate(n_trains=20, t_stop=3.0, rng=rng)
    for t0, width, n in [(0.0, 0.01, 300), (0.5, 0.003, 700), (1.0, 0.7, 2)]:
        expected = naive.bin_counts(st.times, st.offsets, t0, width, n)
        np.testing.assert_array_equal(kb.bin_counts(st.times, st.offsets, t0, width, n), expected)
        np.testing.assert_array_equal(kb.bin_counts_parallel(st.times, st.offsets, t0, width, n), expected)


def test_spikes_on_edges_match_naive():
    width = 0.1
    edges = naive.bin_edges(0.3, width, 50)
    times = np.sort(np.concatenate([edges, np.nextafter(edges, -np.inf)[1:], np.nextafter(edges, np.inf)[:-1]]))
    offsets = np.array([0, times.size])
    np.testing.assert_array_equal(kb.bin_counts(times, offsets, 0.3, width, 50),
                                  naive.bin_counts(times, offsets, 0.3, width, 50))


def test_window_moments_match_naive(rng):
    st = ss.generators.PoissonProcess(rate=30.0).simulate(n_trains=10, t_stop=5.0, rng=rng)
    n_win = np.full(10, 7)
    got = kb.window_count_moments(st.times, st.offsets, st.t_start.copy(), 0.7, n_win)
    want = naive.window_count_moments(st.times, st.offsets, st.t_start, 0.7, n_win)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


def test_raster_round_trip():
    st = ss.SpikeTrains.from_list([[0.0, 0.25, 0.5], [0.1]], 0.0, 1.0, unit=[4, 5])
    r = st.to_raster(0.1)
    assert r.dtype == np.uint8 and r.shape == (2, 10)
    back = ss.SpikeTrains.from_raster(r, 0.1, unit=[4, 5])
    np.testing.assert_allclose(back.times, [0.0, 0.2, 0.5, 0.1])
    assert back.to_raster(0.1).tolist() == r.tolist()


def test_raster_collisions_and_counts():
    st = ss.SpikeTrains.from_list([[0.01, 0.02]], 0.0, 1.0)
    with pytest.raises(ValidationError, match="at most one spike per bin"):
        st.to_raster(0.1)
    assert st.to_raster(0.1, on_collision="clip")[0, 0] == 1
    counts = np.array([[0, 2, 0, 1]])
    back = ss.SpikeTrains.from_raster(counts, 0.5)
    np.testing.assert_array_equal(back.times, [0.5, 0.5, 1.5])
    np.testing.assert_array_equal(back.bin(0.5).counts, counts)
    with pytest.raises(ValidationError, match="on_collision.*Did you mean 'clip'"):
        st.to_raster(0.1, on_collision="clp")


def test_raster_kernel_matches_naive(rng):
    counts = rng.integers(0, 3, size=(5, 40))
    got = kb.raster_to_spikes(counts, 0.2, 0.01)
    want = naive.raster_to_spikes(counts, 0.2, 0.01)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


def test_bad_raster():
    with pytest.raises(ValidationError, match="non-negative"):
        ss.SpikeTrains.from_raster([[0, -1]], 0.1)
    with pytest.raises(ValidationTypeError, match="`raster`"):
        ss.SpikeTrains.from_raster([["a"]], 0.1)
    with pytest.raises(ValidationError, match="2-d"):
        ss.SpikeTrains.from_raster(np.zeros((2, 2, 2)), 0.1)


def test_packed_layout():
    # 2 trials x 3 units, 10 bins
    rng = np.random.default_rng(1)
    raster = (rng.random((6, 10)) < 0.3).astype(np.uint8)
    st = ss.SpikeTrains.from_raster(raster, 0.001, unit=np.tile([0, 1, 2], 2), trial=np.repeat([0, 1], 3))
    packed = st.to_packed(0.001)
    assert packed.dtype == np.uint8 and packed.shape == (2, 2, 3)
    dense = np.unpackbits(packed, axis=0, count=10)
    # time-major [T, B, C]: dense[t, b, c] is unit c in trial b at bin t
    np.testing.assert_array_equal(dense[:, 1, 2], raster[5])
    np.testing.assert_array_equal(dense[:, 0, 1], raster[1])
    back = ss.SpikeTrains.from_packed(packed, 0.001, n_bins=10)
    assert back == st
    with pytest.raises(ValidationError, match="one train per"):
        st[:5].to_packed(0.001)
    with pytest.raises(ValidationTypeError, match="uint8"):
        ss.SpikeTrains.from_packed(packed.astype(int), 0.001)
    with pytest.raises(ValidationError, match="n_bins"):
        ss.SpikeTrains.from_packed(packed, 0.001, n_bins=3)


def test_random_spikes_match_numpy_histogram(rng):
    # away from edges the rule is plain left-closed histogramming
    times = np.sort(rng.uniform(0.0, 2.0, 5000))
    st = ss.SpikeTrains.from_list([times], 0.0, 2.0)
    counts = st.bin(0.013).counts[0]
    edges = st.bin(0.013).edges
    np.testing.assert_array_equal(counts, np.histogram(times[times <= edges[-1]], edges)[0])


def test_train_count_moments_match_naive(rng):
    st = ss.generators.PoissonProcess(rate=30.0).simulate(n_trains=50, t_stop=2.0, rng=rng)
    stops = st.t_stop + np.where(rng.random(50) < 0.3, rng.uniform(0, 1e-3, 50), 0.0)
    got = kb.train_count_moments(st.offsets, st.t_start, stops, 1e-9)
    assert got == naive.train_count_moments(st.offsets, st.t_start, stops, 1e-9) and got[-1] > 0
    assert kb.train_count_moments(st.offsets, st.t_start, st.t_stop, 1e-9)[-1] == 0
    empty = np.zeros(1, dtype=np.int64)
    assert kb.train_count_moments(empty, np.empty(0), np.empty(0), 1e-9) == naive.train_count_moments(empty, [], [],
                                                                                                        1e-9)
