"""Every format: foreign files, bad datasets and missing extras give clear errors and leave no file.

Text, empty and truncated files of the binary formats are in test_io_damaged.py.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from helpers import expect_file_error

import spikestats as ss
from spikestats.exceptions import FileFormatError, ValidationError

#: the formats added to .nc and .npz
FORMATS = [".zarr", ".nwb", ".csv", ".tsv", ".mat", ".nir"]


@pytest.fixture
def st() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5, 0.9], [0.25], [], [0.7]], 0.0, 1.0, unit=[1, 2, 1, 2],
                                    trial=[0, 0, 1, 1], metadata={"rig": "A"})


@pytest.mark.parametrize("ext", [".csv", ".tsv"])
def test_binary_behind_a_text_extension(tmp_path, st, ext):
    ss.io.write(st, tmp_path / "a.nc")
    path = tmp_path / f"a{ext}"
    path.write_bytes((tmp_path / "a.nc").read_bytes())
    expect_file_error(path, "UTF-8 text table")


def test_netcdf_behind_nwb_extension(tmp_path, st):
    """An HDF5 file that is netCDF, not NWB: pynwb refuses it and the error says so."""
    ss.io.write(st, tmp_path / "a.nc")
    path = tmp_path / "a.nwb"
    path.write_bytes((tmp_path / "a.nc").read_bytes())
    expect_file_error(path, "NWB")


def test_nwb_behind_nir_extension(tmp_path, st):
    ss.io.write(st, tmp_path / "a.nwb")
    path = tmp_path / "a.nir"
    path.write_bytes((tmp_path / "a.nwb").read_bytes())
    expect_file_error(path, "NIR graph data")


def test_damaged_zarr_store(tmp_path, st):
    path = tmp_path / "a.zarr"
    ss.io.write(st, path)
    chunks = [f for f in (path / "spike_time").rglob("*") if f.is_file() and not f.name.startswith((".z", "zarr"))]
    assert chunks
    for chunk in chunks:
        chunk.write_bytes(b"\x00garbage")
    with pytest.raises(FileFormatError, match=r"`path` \('.*a.zarr'\) must be a complete Zarr store"):
        ss.io.read(path)


def test_folder_that_is_not_a_zarr_store(tmp_path):
    path = tmp_path / "b.zarr"
    path.mkdir()
    (path / "readme.txt").write_text("hello")
    expect_file_error(path, "readable Zarr store")


def _bad_datasets(st):
    ds = st.to_xarray()
    outside = ds.copy(deep=True)
    outside["spike_time"].values[0] = 3.0
    duplicate = ds.assign_coords(trial=("train", [0, 0, 0, 1]))
    return {"missing": (ds.drop_vars("t_stop"), "required variable ['t_stop'] missing"),
            "outside": (outside, "outside [0.0, 1.0]"),
            "duplicate": (duplicate, "trains 0 and 2 are both unit 1, trial 0"),
            "version": (ds.assign_attrs(spikestats_schema_version=2), "schema version 2 is newer")}


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("case", ["missing", "outside", "duplicate", "version"])
def test_bad_dataset_writes_nothing(tmp_path, st, ext, case):
    ds, words = _bad_datasets(st)[case]
    with pytest.raises(ValidationError, match="must fit the spiketrains schema") as info:
        ss.io.write(ds, tmp_path / f"out{ext}")
    assert words in str(info.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("ext", FORMATS)
def test_valid_dataset_is_written(tmp_path, st, ext):
    ss.io.write(st.to_xarray(), tmp_path / f"out{ext}")
    assert ss.io.read(tmp_path / f"out{ext}") == st


def test_nir_refuses_trains_off_the_grid_and_keeps_the_old_file(tmp_path, st):
    path = tmp_path / "a.nir"
    ss.io.write(st, path)
    before = path.read_bytes()
    with pytest.raises(ValidationError, match=r"one train per \(trial, unit\) pair for NIR EventData"):
        ss.io.write(st[:3], path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.nir"]


@pytest.mark.parametrize("ext", FORMATS)
def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch, st, ext):
    path = tmp_path / f"data{ext}"
    ss.io.write(st, path)
    codec = ss.io._registry.lookup(path).codec()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(codec, "save", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        ss.io.write(st[:1], path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    monkeypatch.undo()
    assert ss.io.read(path) == st


@pytest.mark.parametrize("module, extra, call", [
    ("pynwb", "nwb", lambda st, tmp: ss.io.write(st, tmp / "a.nwb")),
    ("zarr", "zarr", lambda st, tmp: ss.io.write(st, tmp / "a.zarr")),
    ("nir", "nir", lambda st, tmp: ss.io.write(st, tmp / "a.nir")),
    ("neo", "neo", lambda st, tmp: ss.io.to_neo(st)),
    ("pynapple", "pynapple", lambda st, tmp: ss.io.to_pynapple(st)),
])
def test_missing_extra_is_named(tmp_path, monkeypatch, st, module, extra, call):
    monkeypatch.setitem(sys.modules, module, None)     # "import module" now raises ImportError
    with pytest.raises(ModuleNotFoundError, match=rf'pip install "spikestats\[{extra}\]"'):
        call(st, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unknown_option_is_named(tmp_path, st):
    ss.io.write(st, tmp_path / "a.csv")
    with pytest.raises(TypeError, match=r"`time_scal` must be an option of the csv format .*Did you mean 'time_scale'"):
        ss.io.read(tmp_path / "a.csv", time_scal=1e-3)
    with pytest.raises(TypeError, match="must be an option of the netcdf format"):
        ss.io.write(st, tmp_path / "a.nc", bin_size=1.0)
    assert np.array_equal(ss.io.read(tmp_path / "a.csv").times, st.times)


@pytest.mark.filterwarnings("ignore:The file path provided:UserWarning")   # pynwb prefers the .nwb extension
def test_explicit_functions_fix_the_format(tmp_path, st):
    from spikestats.core.epochs import Epochs

    ss.io.write_nwb(st, tmp_path / "a.h5", epochs=Epochs([0.0], [1.0]))
    assert ss.io.read_nwb(tmp_path / "a.h5") == st
    ss.io.write_csv(st, tmp_path / "a.txt", delimiter="\t")
    assert "\t" in (tmp_path / "a.txt").read_text() and ss.io.read_csv(tmp_path / "a.txt", delimiter="\t") == st
    ss.io.write_mat(st, tmp_path / "b.bin")
    assert ss.io.read_mat(tmp_path / "b.bin") == st
    ss.io.write_zarr(st, tmp_path / "c.store", spike_chunk=2)
    assert ss.io.read_zarr(tmp_path / "c.store") == st
    ss.io.write_nir_data(st, tmp_path / "d.h5", node="out")
    assert ss.io.read_nir_data(tmp_path / "d.h5", node="out") == st
    with pytest.raises(FileFormatError):
        ss.io.read_nwb(tmp_path / "b.bin")
