"""The spiketrains Dataset schema: layout, exact round trips, validation of foreign Datasets."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

import spikestats as ss
from spikestats.exceptions import SpikestatsError, ValidationError, ValidationTypeError
from spikestats.testing import assert_spiketrains_equal
from spikestats.typing import DIM_SPIKE, DIM_TRAIN
from spikestats.xarray import from_dataset, to_dataset


@pytest.fixture
def st() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5, 0.9], [], [-0.0, 0.25]], t_start=[0.0, 0.0, -0.5],
                                    t_stop=[1.0, 2.0, 0.5], unit=["a", "b", "c"], trial=[0, 0, 7],
                                    metadata={"fs": 30000.0, "probe": {"name": "np1", "channels": [1, 2]},
                                              "ok": True, "none": None})


def test_layout(st):
    ds = to_dataset(st)
    assert dict(ds.sizes) == {DIM_SPIKE: 5, DIM_TRAIN: 3}
    assert set(ds.data_vars) == {"spike_time", "train_index", "t_start", "t_stop", "n_spikes"}
    assert set(ds.coords) == {"unit", "trial"}
    for name, dim, dtype in [("spike_time", DIM_SPIKE, np.float64), ("train_index", DIM_SPIKE, np.int64),
                             ("t_start", DIM_TRAIN, np.float64), ("t_stop", DIM_TRAIN, np.float64),
                             ("n_spikes", DIM_TRAIN, np.int64), ("trial", DIM_TRAIN, np.int64)]:
        assert ds[name].dims == (dim,) and ds[name].dtype == dtype, name
    assert ds["unit"].dtype.kind == "U"
    for name in ("spike_time", "t_start", "t_stop"):
        assert ds[name].attrs["units"] == "s"
    np.testing.assert_array_equal(ds["n_spikes"], [3, 0, 2])
    np.testing.assert_array_equal(ds["train_index"], [0, 0, 0, 2, 2])
    assert ds.attrs["spikestats_schema"] == "spiketrains"
    assert ds.attrs["spikestats_schema_version"] == 1
    assert ds.attrs["time_units"] == "s"
    assert isinstance(ds.attrs["spikestats_metadata"], str)


def test_dataset_owns_its_arrays(st):
    ds = to_dataset(st)
    ds["spike_time"].values[0] = 99.0                  # writable, and does not touch `st`
    assert st.times[0] == 0.1


@pytest.mark.parametrize("case", ["zero_int", "zero_str", "zero_slice", "no_spikes", "str_trial", "plain"])
def test_round_trip_exact(st, case):
    if case == "zero_slice":
        st = st[0:0]                                      # str units, int trials, no trains
    elif case == "zero_int":
        st = ss.SpikeTrains(np.empty(0), [0], [], [], unit=np.empty(0, np.int64), trial=np.empty(0, np.int64))
    elif case == "zero_str":
        st = ss.SpikeTrains(np.empty(0), [0], [], [], unit=np.empty(0, str), trial=np.empty(0, str))
    elif case == "no_spikes":
        st = ss.SpikeTrains.from_list([[], []], t_stop=1.0)
    elif case == "str_trial":
        st = ss.SpikeTrains.from_list([[0.1], [0.2]], t_stop=1.0, unit=[3, 4], trial=["go", "nogo"])
    back = from_dataset(to_dataset(st))
    assert_spiketrains_equal(back, st)
    assert back == st
    np.testing.assert_array_equal(back.times.view(np.int64), st.times.view(np.int64))   # bit for bit, -0.0 too
    assert back.unit.dtype.kind == st.unit.dtype.kind and back.trial.dtype.kind == st.trial.dtype.kind


def test_hooks_on_spiketrains(st):
    assert ss.SpikeTrains.from_xarray(st.to_xarray()) == st


def test_labels_as_data_variables_and_extra_content_accepted(st):
    ds = to_dataset(st).reset_coords(["unit", "trial"])
    ds["extra"] = ("train", np.ones(3))
    ds.attrs["note"] = "kept aside"
    assert from_dataset(ds) == st


def test_train_index_is_optional(st):
    assert from_dataset(to_dataset(st).drop_vars("train_index")) == st


def test_optional_attrs_have_defaults(st):
    ds = to_dataset(st)
    del ds.attrs["time_units"], ds.attrs["spikestats_metadata"]
    assert from_dataset(ds).metadata == {}


def test_bytes_and_object_labels_are_read_as_str(st):
    ds = to_dataset(st)
    ds = ds.assign_coords(unit=("train", np.array([b"a", b"b", b"c"])),
                          trial=("train", np.array(["x", "y", "z"], dtype=object)))
    back = from_dataset(ds)
    assert back.unit.tolist() == ["a", "b", "c"] and back.trial.tolist() == ["x", "y", "z"]


def _break(ds: xr.Dataset, how: str) -> xr.Dataset:
    ds = ds.copy(deep=True)
    if how == "no_schema":
        del ds.attrs["spikestats_schema"]
    elif how == "other_schema":
        ds.attrs["spikestats_schema"] = "binnedcounts"
    elif how == "newer_version":
        ds.attrs["spikestats_schema_version"] = 2
    elif how == "str_version":
        ds.attrs["spikestats_schema_version"] = "1"
    elif how == "ms":
        ds.attrs["time_units"] = "ms"
    elif how == "bad_json":
        ds.attrs["spikestats_metadata"] = "{not json"
    elif how == "json_list":
        ds.attrs["spikestats_metadata"] = "[1, 2]"
    elif how == "missing":
        ds = ds.drop_vars("n_spikes")
    elif how == "wrong_dim":
        ds = ds.drop_vars("t_stop").assign(t_stop=("spike", np.ones(5)))
    elif how == "sum":
        ds["n_spikes"] = ("train", np.array([3, 0, 1]))
    elif how == "negative":
        ds["n_spikes"] = ("train", np.array([6, -1, 0]))
    elif how == "train_index":
        ds["train_index"] = ("spike", np.array([0, 0, 1, 2, 2]))
    elif how == "float_counts":
        ds["n_spikes"] = ("train", np.array([3.0, 0.0, 2.0]))
    elif how == "str_times":
        ds["spike_time"] = ("spike", np.array(list("abcde")))
    elif how == "object_labels":
        ds = ds.assign_coords(unit=("train", np.array([1, "b", 2.5], dtype=object)))
    elif how == "unsorted":
        ds["spike_time"] = ("spike", np.array([0.5, 0.1, 0.9, -0.0, 0.25]))
    elif how == "outside":
        ds["spike_time"] = ("spike", np.array([0.1, 0.5, 0.9, -0.0, 0.75]))
    elif how == "window":
        ds["t_stop"] = ("train", np.array([1.0, -1.0, 0.5]))
    return ds


@pytest.mark.parametrize("how, words", [
    ("no_schema", "spikestats_schema"), ("other_schema", "'binnedcounts'"), ("newer_version", "newer spikestats"),
    ("str_version", "schema version"), ("ms", "time_units='ms'"), ("bad_json", "invalid JSON"),
    ("json_list", "JSON object"), ("missing", "['n_spikes']"), ("wrong_dim", "dimensions ('spike',)"),
    ("sum", "sum 4"), ("negative", "non-negative"), ("train_index", "train_index"),
    ("float_counts", "float64"), ("str_times", "<U1"), ("object_labels", "object"),
    ("unsorted", "sorted within each train"), ("outside", "inside each train's window"), ("window", "t_start"),
])
def test_invalid_datasets_raise_with_the_house_template(st, how, words):
    with pytest.raises(ValidationError) as info:
        from_dataset(_break(to_dataset(st), how))
    msg = str(info.value)
    assert msg.startswith("`ds` must ") and "; got " in msg and msg.endswith((".", "?")), msg
    assert words in msg, msg


def test_not_a_dataset():
    with pytest.raises(ValidationTypeError, match=r"`ds` must be an xarray.Dataset; got DataArray.*to_dataset"):
        from_dataset(xr.DataArray([1.0]))
    with pytest.raises(ValidationTypeError, match="got dict"):
        from_dataset({"spike_time": [0.1]})


def test_to_dataset_rejects_non_spiketrains():
    with pytest.raises(ValidationTypeError, match="`st` must be a SpikeTrains; got"):
        to_dataset([[0.1, 0.2]])


def test_errors_are_spikestats_errors(st):
    with pytest.raises(SpikestatsError):
        from_dataset(_break(to_dataset(st), "no_schema"))


def test_importing_spikestats_and_npz_io_does_not_import_xarray(tmp_path):
    path = tmp_path / "a.npz"
    code = ("import sys, spikestats as ss\n"
            "st = ss.SpikeTrains.from_list([[0.1]], t_stop=1.0)\n"
            f"ss.io.write(st, {str(path)!r}); assert ss.io.read({str(path)!r}) == st\n"
            "assert 'xarray' not in sys.modules, 'xarray was imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=60)
