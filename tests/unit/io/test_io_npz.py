"""The npz codec: archive content, no pickles, and the errors for archives that are not spikestats npz."""

from __future__ import annotations

import json

import numpy as np
import pytest

import spikestats as ss
from spikestats.testing import assert_spiketrains_equal
from helpers import expect_file_error as _expect


@pytest.fixture
def st() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5, 0.9], [], [-0.0, 0.25]], t_start=[0.0, 0.0, -0.5],
                                    t_stop=[1.0, 2.0, 0.5], unit=[1, 2, 3], trial=["x", "y", "é"],
                                    metadata={"fs": 30000.0, "tags": ["a", "b"]})


def test_archive_content_loads_without_pickles(tmp_path, st):
    path = tmp_path / "a.npz"
    ss.io.write(st, path)
    with np.load(path, allow_pickle=False) as f:
        assert sorted(f.files) == ["attrs", "n_spikes", "spike_time", "t_start", "t_stop", "trial", "unit"]
        assert f["spike_time"].dtype == np.float64 and f["n_spikes"].dtype == np.int64
        assert f["unit"].dtype == np.int64 and f["trial"].dtype.kind == "U"
        attrs = json.loads(f["attrs"].item())
    assert attrs["spikestats_schema"] == "spiketrains" and attrs["spikestats_schema_version"] == 1
    assert json.loads(attrs["spikestats_metadata"]) == st.metadata


def test_round_trip(tmp_path, st):
    ss.io.write(st, tmp_path / "a.npz")
    back = ss.io.read(tmp_path / "a.npz")
    assert_spiketrains_equal(back, st)
    np.testing.assert_array_equal(back.times.view(np.int64), st.times.view(np.int64))


def test_corrupt_member(tmp_path, st):
    path = tmp_path / "a.npz"
    ss.io.write(st, path)
    data = bytearray(path.read_bytes())
    start = data.index(b"spike_time.npy") + len("spike_time.npy")
    data[start + 80:start + 120] = b"\xff" * 40           # inside the first member's payload: CRC mismatch
    path.write_bytes(bytes(data))
    _expect(path, "corrupt")


def test_single_npy_named_npz(tmp_path):
    path = tmp_path / "a.npz"
    with open(path, "wb") as fh:
        np.save(fh, np.arange(4.0))
    _expect(path, "a single .npy array of shape (4,)")


def test_archive_without_the_expected_keys(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, x=np.arange(3), y=np.ones(2))
    _expect(path, "spikestats .npz archive holding the arrays", "it holds ['x', 'y']", "'spike_time'", "'attrs'")


def test_archive_with_pickled_objects_is_refused(tmp_path, st):
    path = tmp_path / "pickled.npz"
    ss.io.write(st, path)
    with np.load(path) as f:
        arrays = dict(f)
    arrays["unit"] = np.array([1, "b", None], dtype=object)
    np.savez(path, **arrays)
    _expect(path, "corrupt", "pickle")


@pytest.mark.parametrize("attrs, words", [
    (np.array(["{}", "{}"]), "0-d str array"),
    (np.array(3), "0-d str array"),
    (np.array("{oops"), "invalid JSON"),
    (np.array("[1]"), "a JSON list"),
    (np.array(json.dumps({"spikestats_schema": "spiketrains", "spikestats_schema_version": 9})),
     "newer spikestats"),
])
def test_bad_attrs(tmp_path, st, attrs, words):
    path = tmp_path / "a.npz"
    ss.io.write(st, path)
    with np.load(path) as f:
        arrays = dict(f)
    arrays["attrs"] = attrs
    np.savez(path, **arrays)
    _expect(path, words)


def test_inconsistent_arrays(tmp_path, st):
    path = tmp_path / "a.npz"
    ss.io.write(st, path)
    with np.load(path) as f:
        arrays = dict(f)
    arrays["t_stop"] = arrays["t_stop"][:2]
    np.savez(path, **arrays)
    _expect(path, "`t_stop` as long as `t_start`", "lengths 2 and 3")
