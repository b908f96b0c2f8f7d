"""Round trips through xarray, netCDF and npz are exact; the xarray accessor equals the numpy functions."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import spikestats as ss
import spikestats.xarray  # noqa: F401  (registers the accessor)
from spikestats import stats
from spikestats.exceptions import DataWarning
from spikestats.testing import assert_spiketrains_equal
from spikestats.testing.strategies import spike_trains


def _assert_exact(back: ss.SpikeTrains, st: ss.SpikeTrains) -> None:
    assert_spiketrains_equal(back, st)
    np.testing.assert_array_equal(back.times.view(np.int64), st.times.view(np.int64))
    for name in ("t_start", "t_stop"):
        np.testing.assert_array_equal(getattr(back, name).view(np.int64), getattr(st, name).view(np.int64))
    assert back.unit.dtype.kind == st.unit.dtype.kind and back.trial.dtype.kind == st.trial.dtype.kind


@given(spike_trains())
def test_xarray_round_trip_is_exact(st):
    _assert_exact(ss.SpikeTrains.from_xarray(st.to_xarray()), st)


@pytest.mark.parametrize("suffix", [".nc", ".npz"])
@settings(max_examples=25)
@given(st=spike_trains())
def test_file_round_trip_is_exact(suffix, st):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{suffix}"
        ss.io.write(st, path)
        _assert_exact(ss.io.read(path), st)


@given(spike_trains(common_window=True, min_trains=1), hs.integers(1, 64))
def test_accessor_bin_equals_numpy_and_conserves_counts(st, n_bins):
    bin_size = float(st.duration[0]) / n_bins
    counts = st.to_xarray().spikes.bin(bin_size)
    expected = st.bin(bin_size)
    np.testing.assert_array_equal(counts.values, expected.counts)
    np.testing.assert_array_equal(counts["bin_start"].values, expected.edges[:-1])
    np.testing.assert_array_equal(counts["bin_stop"].values, expected.edges[1:])
    np.testing.assert_array_equal(counts.sum("time").values, st.counts)


@given(spike_trains())
def test_accessor_firing_rate_equals_numpy(st):
    rate = st.to_xarray().spikes.firing_rate()
    np.testing.assert_array_equal(rate.values, stats.firing_rate(st))
    np.testing.assert_array_equal(rate["unit"].values, st.unit)


@given(spike_trains(common_window=True, min_trains=1), hs.integers(1, 20), hs.integers(0, 1))
def test_accessor_fano_factor_equals_numpy(st, n_windows, ddof):
    ds = st.to_xarray()
    window = float(st.duration.min()) / n_windows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        np.testing.assert_array_equal(ds.spikes.fano_factor(window, ddof=ddof).values,
                                      stats.fano_factor(st, window, ddof=ddof))
        np.testing.assert_array_equal(ds.spikes.fano_factor(ddof=ddof).values, stats.fano_factor(st, ddof=ddof))
