"""Zarr stores: the netCDF layout in a folder, chunked along spikes, opened lazily, replaced atomically."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.io.zarrstore import open_store, save

xr = pytest.importorskip("xarray")
pytest.importorskip("zarr")


@pytest.fixture
def st() -> ss.SpikeTrains:
    rng = np.random.default_rng(3)
    trains = [np.sort(rng.uniform(0, 10, n)) for n in (500, 0, 1200)]
    return ss.SpikeTrains.from_list(trains, 0.0, 10.0, unit=["a", "b", "c"], metadata={"fs": 30000})


def test_store_opens_in_xarray_with_the_schema(tmp_path, st):
    path = tmp_path / "s.zarr"
    ss.io.write(st, path)
    ds = xr.open_zarr(path, consolidated=False)
    assert ds.attrs["spikestats_schema"] == "spiketrains" and ds.sizes == {"spike": 1700, "train": 3}
    assert ss.io.read(path) == st


def test_spike_arrays_are_chunked_and_open_lazily(tmp_path, st):
    path = tmp_path / "s.zarr"
    save(st, path, spike_chunk=256)
    ds = open_store(path)
    assert ds["spike_time"].chunks == ((256,) * 6 + (1700 - 6 * 256,),)
    np.testing.assert_array_equal(ds["spike_time"][256:512].values, st.times[256:512])


def test_overwrite_replaces_the_whole_store(tmp_path, st):
    path = tmp_path / "s.zarr"
    ss.io.write(st, path)
    ss.io.write(st[:1], path)
    assert ss.io.read(path) == st[:1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.zarr"]
    with pytest.raises(FileExistsError):
        ss.io.write(st, path, overwrite=False)
    assert ss.io.read(path) == st[:1]


def test_a_file_behind_the_zarr_extension(tmp_path, st):
    ss.io.write(st, tmp_path / "a.nc")
    (tmp_path / "a.nc").rename(tmp_path / "a.zarr")
    with pytest.raises(ss.exceptions.FileFormatError, match=r"`path` must be a folder; got '.*a.zarr', which is a file"):
        ss.io.read(tmp_path / "a.zarr")
