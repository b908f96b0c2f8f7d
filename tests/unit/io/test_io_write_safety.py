"""A failed or interrupted write leaves the previous file byte-identical and no temporary file behind."""

from __future__ import annotations

import os
import stat

import numpy.lib.format
import pytest
import xarray as xr

import spikestats as ss
from spikestats.io import ExistingFileError
from spikestats.io._atomic import atomic_target
from spikestats.io._registry import lookup


@pytest.fixture
def old() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5], [0.2]], t_stop=1.0, metadata={"which": "old"})


@pytest.fixture
def new() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.3], [0.4, 0.6], []], t_stop=2.0, unit=["x", "y", "z"],
                                    metadata={"which": "new"})


class Boom(RuntimeError):
    pass


def _fail_netcdf_midway(monkeypatch):
    """Make the netCDF serializer write half a file, then fail."""
    original = xr.Dataset.to_netcdf

    def half_then_fail(self, path, *args, **kwargs):
        original(self, path, *args, **kwargs)
        with open(path, "r+b") as fh:
            fh.truncate(os.path.getsize(path) // 2)
        raise Boom("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", half_then_fail)


def _fail_npz_midway(monkeypatch):
    """Make the npz serializer fail after the first array of the archive."""
    original = numpy.lib.format.write_array
    calls = []

    def first_then_fail(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise Boom("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(numpy.lib.format, "write_array", first_then_fail)


FAILERS = {".nc": _fail_netcdf_midway, ".npz": _fail_npz_midway}


@pytest.mark.parametrize("suffix", sorted(FAILERS))
def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch, old, new, suffix):
    path = tmp_path / f"data{suffix}"
    ss.io.write(old, path)
    before = path.read_bytes()
    FAILERS[suffix](monkeypatch)
    with pytest.raises(Boom):
        ss.io.write(new, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [path.name]
    monkeypatch.undo()
    assert ss.io.read(path) == old


@pytest.mark.parametrize("suffix", sorted(FAILERS))
def test_failed_write_without_previous_file_leaves_nothing(tmp_path, monkeypatch, new, suffix):
    FAILERS[suffix](monkeypatch)
    with pytest.raises(Boom):
        ss.io.write(new, tmp_path / f"data{suffix}")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("suffix", [".nc", ".npz"])
def test_interrupted_write_keeps_the_previous_file(tmp_path, monkeypatch, old, new, suffix):
    path = tmp_path / f"data{suffix}"
    ss.io.write(old, path)
    before = path.read_bytes()
    codec = lookup(path).codec()

    def interrupted(st, target):
        target.write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(codec, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ss.io.write(new, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == [path.name]


def test_file_appearing_during_a_no_overwrite_write_is_kept(tmp_path, new):
    path = tmp_path / "data.npz"
    with pytest.raises(ExistingFileError):
        with atomic_target(path, overwrite=False) as tmp:
            tmp.write_bytes(b"ours")
            path.write_bytes(b"someone else's")
    assert path.read_bytes() == b"someone else's" and os.listdir(tmp_path) == [path.name]


def test_temporary_file_is_beside_the_target_and_moved_on_success(tmp_path):
    path = tmp_path / "data.npz"
    with atomic_target(path) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".data.") and tmp.suffix == ".npz"
        assert tmp.exists() and not path.exists()
        tmp.write_bytes(b"done")
    assert path.read_bytes() == b"done" and os.listdir(tmp_path) == [path.name]


def test_permissions_follow_the_umask_or_the_replaced_file(tmp_path, old, new):
    mask = os.umask(0o022)
    try:
        path = tmp_path / "data.npz"
        ss.io.write(old, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        path.chmod(0o600)
        ss.io.write(new, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert ss.io.read(path) == new
    finally:
        os.umask(mask)

