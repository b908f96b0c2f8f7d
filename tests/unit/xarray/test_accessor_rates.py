"""``ds.spikes.psth`` and ``ds.spikes.kernel_rate``: DataArrays equal to the numpy functions, with units and labels."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import spikestats as ss
import spikestats.xarray  # noqa: F401  (registers the accessor)
from spikestats.exceptions import ValidationError
from spikestats.stats.kernel_rate import kernel_rate
from spikestats.stats.psth import psth
from spikestats.typing import DIM_TIME, DIM_TRAIN


@pytest.fixture(scope="module")
def st() -> ss.SpikeTrains:
    """Two units x two trials of 30 Hz Poisson spikes on [0, 2] s."""
    poisson = ss.generators.PoissonProcess(rate=30.0).simulate(n_trains=4, t_stop=2.0, rng=7)
    return ss.SpikeTrains.from_list(poisson.to_list(), t_start=0.0, t_stop=2.0, unit=[4, 4, 6, 6], trial=[0, 1, 0, 1])


@pytest.fixture(scope="module")
def ds(st) -> xr.Dataset:
    return st.to_xarray()


def test_psth(ds, st):
    out = ds.spikes.psth(0.25, t_stop=1.5)
    ref = psth(st, 0.25, t_stop=1.5)
    assert isinstance(out, xr.Dataset)
    assert out["rate"].dims == (DIM_TIME,) and out["spike_count"].dims == (DIM_TRAIN, DIM_TIME)
    np.testing.assert_array_equal(out["rate"].values, ref.rate)
    np.testing.assert_array_equal(out["se"].values, ref.se)
    np.testing.assert_array_equal(out["spike_count"].values, ref.counts)
    np.testing.assert_array_equal(out[DIM_TIME].values, ref.centers)
    np.testing.assert_array_equal(out["bin_start"].values, ref.edges[:-1])
    np.testing.assert_array_equal(out["bin_stop"].values, ref.edges[1:])
    assert out["rate"].attrs["units"] == "Hz" and out["se"].attrs["units"] == "Hz"
    assert out[DIM_TIME].attrs["units"] == "s"
    assert out.attrs["bin_size"] == 0.25 and out.attrs["n_trains"] == 4
    np.testing.assert_array_equal(out["unit"].values, [4, 4, 6, 6])
    np.testing.assert_array_equal(out["trial"].values, [0, 1, 0, 1])


@pytest.mark.parametrize(("bandwidth", "kw"), [(0.05, {}), (0.3, {"method": "fft"}), ("auto", {"per_train": True}),
                                               (0.05, {"edge_correction": True, "sampling_period": 0.01})])
def test_kernel_rate(ds, st, bandwidth, kw):
    out = ds.spikes.kernel_rate(bandwidth, **kw)
    ref = kernel_rate(st, bandwidth, **kw)
    assert isinstance(out, xr.DataArray) and out.name == "kernel_rate"
    assert out.dims == (DIM_TRAIN, DIM_TIME)
    np.testing.assert_array_equal(out.values, ref.rates)
    np.testing.assert_array_equal(out[DIM_TIME].values, ref.times)
    np.testing.assert_array_equal(out["bandwidth"].values, ref.bandwidth)
    assert out["bandwidth"].dims == (DIM_TRAIN,)
    assert out.attrs["units"] == "Hz" and out[DIM_TIME].attrs["units"] == "s" and out["bandwidth"].attrs["units"] == "s"
    assert out.attrs["kernel"] == "gaussian" and out.attrs["evaluation"] == ref.evaluation
    assert out.attrs["method"] == ref.method and out.attrs["sampling_period"] == pytest.approx(ref.sampling_period)
    np.testing.assert_array_equal(out["unit"].values, [4, 4, 6, 6])


def test_kernel_rate_adaptive_and_other_kernels(ds, st):
    out = ds.spikes.kernel_rate("adaptive", sampling_period=0.01)
    assert out["bandwidth"].dims == (DIM_TRAIN, DIM_TIME) and out.attrs["method"] == "adaptive"
    np.testing.assert_array_equal(out.values, kernel_rate(st, "adaptive", sampling_period=0.01).rates)
    alpha = ds.spikes.kernel_rate(0.02, "alpha", sampling_period=0.01)
    assert alpha.attrs["causal"] == 1 and alpha.attrs["kernel"] == "alpha"
    # the result is a plain DataArray: it can go back into a Dataset on the train dim
    assert "kernel_rate" in ds.assign(kernel_rate=alpha.drop_vars(["unit", "trial"], errors="ignore")).data_vars


def test_errors_come_from_the_numpy_functions(ds):
    with pytest.raises(ValidationError, match="`bandwidth` must be"):
        ds.spikes.kernel_rate(-1.0)
    with pytest.raises(ValidationError, match="`bin_size` must be"):
        ds.spikes.psth(0.0)
