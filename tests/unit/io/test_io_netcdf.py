"""The netCDF4 codec: file content and dtypes, and the errors for files that are not spikestats netCDF."""

from __future__ import annotations

import netCDF4
import numpy as np
import pytest
import xarray as xr

import spikestats as ss
from spikestats.testing import assert_spiketrains_equal
from helpers import expect_file_error as _expect


@pytest.fixture
def st() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5, 0.9], [], [-0.0, 0.25]], t_start=[0.0, 0.0, -0.5],
                                    t_stop=[1.0, 2.0, 0.5], unit=["a", "é中", ""], trial=[0, 2**40, -3],
                                    metadata={"fs": 30000.0, "nested": {"x": [1, 2.5, None]}, "s": "\x00é"})


def test_file_holds_the_schema_with_exact_types(tmp_path, st):
    path = tmp_path / "a.nc"
    ss.io.write(st, path)
    with netCDF4.Dataset(path) as nc:
        assert nc.data_model == "NETCDF4"
        assert nc["spike_time"].dtype == np.float64 and nc["spike_time"].units == "s"
        assert nc["train_index"].dtype == np.int64 and nc["n_spikes"].dtype == np.int64
        assert nc["trial"].dtype == np.int64
        assert nc["unit"].dtype is str                    # variable-length NC_STRING
        assert nc.spikestats_schema == "spiketrains" and int(nc.spikestats_schema_version) == 1
        assert all("_FillValue" not in nc[name].ncattrs() for name in nc.variables)


def test_round_trip_keeps_dtypes_and_bits(tmp_path, st):
    path = tmp_path / "a.nc"
    ss.io.write(st, path)
    back = ss.io.read(path)
    assert_spiketrains_equal(back, st)
    assert back.unit.dtype.kind == "U" and back.trial.dtype == np.int64 and back.times.dtype == np.float64
    np.testing.assert_array_equal(back.times.view(np.int64), st.times.view(np.int64))
    assert back.metadata == st.metadata


def test_plain_xarray_reads_the_file(tmp_path, st):
    ss.io.write(st, tmp_path / "a.nc")
    with xr.open_dataset(tmp_path / "a.nc") as ds:
        assert ss.SpikeTrains.from_xarray(ds.load()) == st


def test_corrupt_header(tmp_path, st):
    path = tmp_path / "a.nc"
    ss.io.write(st, path)
    data = bytearray(path.read_bytes())
    data[:16] = b"\xde\xad\xbe\xef" * 4
    path.write_bytes(bytes(data))
    _expect(path, "readable netCDF4 file")


def test_npz_bytes_named_nc(tmp_path, st):
    ss.io.write(st, tmp_path / "a.npz")
    (tmp_path / "a.npz").rename(tmp_path / "a.nc")
    _expect(tmp_path / "a.nc", "readable netCDF4 file")


def test_netcdf_of_another_schema(tmp_path):
    path = tmp_path / "other.nc"
    xr.Dataset({"temperature": ("x", np.arange(3.0))}).to_netcdf(path, engine="netcdf4")
    _expect(path, "spikestats_schema", "spikestats.io.write")


def test_netcdf_with_invalid_spikes(tmp_path, st):
    ds = st.to_xarray()
    ds["spike_time"] = ("spike", ds["spike_time"].values[::-1].copy(), ds["spike_time"].attrs)
    path = tmp_path / "bad.nc"
    ds.to_netcdf(path, engine="netcdf4")
    _expect(path, "hold valid spike trains", "sorted within each train")


def test_netcdf_missing_a_variable(tmp_path, st):
    path = tmp_path / "bad.nc"
    st.to_xarray().drop_vars("t_stop").to_netcdf(path, engine="netcdf4")
    _expect(path, "['t_stop']")
