"""spikestats.io.read / write: dispatch on extension, paths, and the errors for bad paths or objects."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import FileFormatError, SpikestatsError, ValidationError, ValidationTypeError
from spikestats.io import ExistingFileError, MissingFileError
from spikestats.testing import assert_spiketrains_equal

SUFFIXES = [".nc", ".npz"]


@pytest.fixture
def st() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5], [], [0.2]], t_stop=1.0, unit=["a", "b", "c"],
                                    metadata={"fs": 30000})


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_round_trip_with_str_and_path(tmp_path, st, suffix):
    path = tmp_path / f"data{suffix}"
    assert ss.io.write(st, str(path)) is None
    assert_spiketrains_equal(ss.io.read(path), st)
    assert_spiketrains_equal(ss.io.read(str(path)), st)


@pytest.mark.parametrize("suffix", [".NC", ".Npz"])
def test_extension_is_case_insensitive(tmp_path, st, suffix):
    path = tmp_path / f"data{suffix}"
    ss.io.write(st, path)
    assert ss.io.read(path) == st


def test_format_keyword_overrides_the_extension(tmp_path, st):
    path = tmp_path / "data.nc4"
    ss.io.write(st, path, format="netcdf")
    assert ss.io.read(path, format="netcdf") == st
    with pytest.raises(FileFormatError):              # the bytes are netCDF, not an npz archive
        ss.io.read(path, format="npz")
    with pytest.raises(ValidationError, match=r"`format` must be one of \['netcdf', 'npz', 'zarr', .*\].*Did you mean 'netcdf'"):
        ss.io.read(path, format="netcdf4")


@pytest.mark.parametrize("name, hint", [("data.nc4", "Did you mean '.nc'?"), ("data.npy", "Did you mean '.npz'?"),
                                        ("data.xlsx", "Rename the file or pass `format=`"),
                                        ("data", "with no extension")])
def test_unsupported_extension_lists_the_supported_ones(tmp_path, st, name, hint):
    path = tmp_path / name
    for call in (lambda: ss.io.write(st, path), lambda: ss.io.read(path)):
        with pytest.raises(FileFormatError) as info:
            call()
        msg = str(info.value)
        assert msg.startswith("`path` must end in one of ['.nc', '.npz', '.zarr', '.nwb', ") and hint in msg, msg
        assert str(path) in msg
    assert not path.exists()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_missing_file(tmp_path, suffix):
    path = tmp_path / f"nowhere{suffix}"
    with pytest.raises(MissingFileError) as info:
        ss.io.read(path)
    err = info.value
    assert isinstance(err, FileNotFoundError) and isinstance(err, FileFormatError) and isinstance(err, SpikestatsError)
    assert err.filename == str(path) and err.errno == 2
    assert str(err) == f"`path` must be an existing file; got '{path}', which does not exist."


def test_missing_file_is_caught_as_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        ss.io.read(tmp_path / "x.nc")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_directory_as_path(tmp_path, st, suffix):
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    with pytest.raises(FileFormatError, match=r"`path` must be a file; got '.*folder.*', which is a folder"):
        ss.io.read(folder)
    with pytest.raises(FileFormatError, match=r"`path` must be a file path; got '.*', which is a folder"):
        ss.io.write(st, folder)
    assert folder.is_dir() and not any(folder.iterdir())


def test_write_into_missing_folder(tmp_path, st):
    path = tmp_path / "no" / "such" / "data.nc"
    with pytest.raises(MissingFileError, match=r"must be in an existing folder; got '.*data.nc', whose folder"):
        ss.io.write(st, path)


@pytest.mark.parametrize("obj", [[[0.1, 0.2]], np.array([0.1, 0.2]), None, "spikes"])
def test_write_rejects_non_spiketrains(tmp_path, obj):
    with pytest.raises(ValidationTypeError, match=r"`st` must be a SpikeTrains; got .*SpikeTrains.from_list"):
        ss.io.write(obj, tmp_path / "data.nc")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", [3, None, b"data.nc", ["data.nc"]])
def test_path_must_be_a_path(st, path):
    with pytest.raises(ValidationTypeError, match="`path` must be a str or os.PathLike"):
        ss.io.write(st, path)
    with pytest.raises(ValidationTypeError, match="`path` must be a str or os.PathLike"):
        ss.io.read(path)


def test_overwrite_flag_must_be_bool(tmp_path, st):
    with pytest.raises(ValidationTypeError, match="`overwrite` must be True or False"):
        ss.io.write(st, tmp_path / "data.nc", overwrite="no")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_overwrite(tmp_path, st, suffix):
    path = tmp_path / f"data{suffix}"
    ss.io.write(st, path)
    before = path.read_bytes()
    other = st.with_metadata(version=2)
    with pytest.raises(ExistingFileError) as info:
        ss.io.write(other, path, overwrite=False)
    assert isinstance(info.value, FileExistsError) and "Pass `overwrite=True`" in str(info.value)
    assert path.read_bytes() == before
    ss.io.write(other, path)                            # overwrite=True by default
    assert ss.io.read(path) == other
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_write_to_home_relative_path(monkeypatch, tmp_path, st):
    monkeypatch.setenv("HOME", str(tmp_path))
    ss.io.write(st, "~/data.npz")
    assert ss.io.read(Path("~") / "data.npz") == st
    assert (tmp_path / "data.npz").is_file()


def test_path_errors_pickle(tmp_path):
    import pickle

    with pytest.raises(MissingFileError) as info:
        ss.io.read(tmp_path / "x.npz")
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is MissingFileError and str(again) == str(info.value)
    assert again.filename == info.value.filename and again.errno == info.value.errno
