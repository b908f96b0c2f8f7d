"""The ``ds.spikes`` accessor: xarray results equal to the numpy functions, with units and labels."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import spikestats as ss
import spikestats.xarray  # noqa: F401  (registers the accessor)
from spikestats import stats
from spikestats.exceptions import DataWarning, ValidationError
from spikestats.typing import DIM_TIME, DIM_TRAIN


@pytest.fixture
def st() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5, 0.9, 1.4], [0.3, 1.9], [0.2, 0.25, 0.7, 1.1, 1.5]],
                                    t_start=0.0, t_stop=2.0, unit=[4, 5, 6], trial=["a", "a", "b"])


@pytest.fixture
def ds(st) -> xr.Dataset:
    return st.to_xarray()


def test_accessor_is_registered_and_round_trips(ds, st):
    assert isinstance(ds.spikes, ss.xarray.SpikesAccessor)
    assert ds.spikes.to_spiketrains() == st


def test_bin(ds, st):
    counts = ds.spikes.bin(0.5)
    expected = st.bin(0.5)
    assert counts.dims == (DIM_TRAIN, DIM_TIME) and counts.name == "spike_count"
    assert counts.dtype == np.int64
    np.testing.assert_array_equal(counts.values, expected.counts)
    np.testing.assert_array_equal(counts[DIM_TIME].values, expected.centers)
    np.testing.assert_array_equal(counts["bin_start"].values, expected.edges[:-1])
    np.testing.assert_array_equal(counts["bin_stop"].values, expected.edges[1:])
    np.testing.assert_array_equal(counts["unit"].values, st.unit)
    np.testing.assert_array_equal(counts["trial"].values, st.trial)
    assert counts.attrs["units"] == "1" and counts.attrs["bin_size"] == 0.5
    assert counts[DIM_TIME].attrs["units"] == "s" and counts["bin_start"].attrs["units"] == "s"
    assert int(counts.sum()) == st.n_spikes


def test_bin_window_and_slicing_keep_edges(ds, st):
    counts = ds.spikes.bin(0.25, t_start=0.5, t_stop=1.5)
    np.testing.assert_array_equal(counts.values, st.bin(0.25, 0.5, 1.5).counts)
    part = counts.isel(time=slice(1, 3))
    np.testing.assert_array_equal(part["bin_start"].values, [0.75, 1.0])
    np.testing.assert_array_equal(part["bin_stop"].values, [1.0, 1.25])


def test_firing_rate(ds, st):
    rate = ds.spikes.firing_rate()
    assert rate.dims == (DIM_TRAIN,) and rate.attrs["units"] == "Hz" and rate.name == "firing_rate"
    np.testing.assert_array_equal(rate.values, stats.firing_rate(st))
    np.testing.assert_array_equal(ds.spikes.firing_rate(t_start=0.5, t_stop=1.5).values,
                                  stats.firing_rate(st, t_start=0.5, t_stop=1.5))


def test_results_join_the_dataset(ds):
    ds["rate"] = ds.spikes.firing_rate()
    ds["fano"] = ds.spikes.fano_factor(0.5)
    assert ds["rate"].dims == (DIM_TRAIN,)
    assert ds.spikes.to_spiketrains() == ds.drop_vars(["rate", "fano"]).spikes.to_spiketrains()


def test_fano_factor_across_trains(ds, st):
    ff = ds.spikes.fano_factor(ddof=1)
    assert ff.ndim == 0 and ff.attrs["units"] == "1" and ff.attrs["ddof"] == 1 and "window" not in ff.attrs
    assert float(ff) == stats.fano_factor(st, ddof=1)


def test_fano_factor_within_trains(ds, st):
    ff = ds.spikes.fano_factor(0.5)
    assert ff.dims == (DIM_TRAIN,) and ff.attrs["window"] == 0.5 and ff.attrs["units"] == "1"
    np.testing.assert_array_equal(ff.values, stats.fano_factor(st, 0.5))
    np.testing.assert_array_equal(ff["unit"].values, st.unit)


def test_fano_factor_nan_warns_like_the_numpy_function():
    ds = ss.SpikeTrains.from_list([[], [0.1]], t_stop=1.0).to_xarray()
    with pytest.warns(DataWarning):
        ff = ds.spikes.fano_factor(0.25)
    assert np.isnan(ff.values[0])


def test_methods_validate_the_dataset(ds):
    bad = ds.copy()
    del bad.attrs["spikestats_schema"]
    for call in (lambda: bad.spikes.to_spiketrains(), lambda: bad.spikes.bin(0.1),
                 lambda: bad.spikes.firing_rate(), lambda: bad.spikes.fano_factor()):
        with pytest.raises(ValidationError, match="`ds` must be a spikestats SpikeTrains record"):
            call()


def test_bad_arguments_raise_from_the_numpy_layer(ds):
    with pytest.raises(ValidationError, match="`bin_size` must be > 0"):
        ds.spikes.bin(-1.0)
    with pytest.raises(ValidationError, match="`window` must be > 0"):
        ds.spikes.fano_factor(0.0)
