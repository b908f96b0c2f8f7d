"""spikestats.xarray.validate: every problem of a Dataset, named precisely, in one error."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import spikestats as ss
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.xarray import schema_problems, validate


@pytest.fixture
def ds() -> xr.Dataset:
    st = ss.SpikeTrains.from_list([[0.1, 0.5], [0.2], [], [0.7]], 0.0, 1.0, unit=[1, 2, 1, 2], trial=[0, 0, 1, 1])
    return st.to_xarray()


def test_valid_dataset_passes_and_is_returned(ds):
    assert validate(ds) is ds
    assert schema_problems(ds) == []


def _one(ds, *words):
    problems = schema_problems(ds)
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0], problems[0]
    with pytest.raises(ValidationError, match=r"^`ds` must fit the spiketrains schema \(version 1.*got 1 problem:"):
        validate(ds)


def test_missing_required_variables(ds):
    _one(ds.drop_vars(["t_stop", "n_spikes"]), "required variables ['t_stop', 'n_spikes'] missing")


def test_ragged_arrays(ds):
    _one(ds.assign(n_spikes=("train", np.array([2, 1, 0, 2]))), "must add up to the number of spikes (4",
         "adds up to 5")
    other = ds.drop_vars("t_stop").assign(t_stop=("train2", np.ones(3)))
    _one(other, "`t_stop` must lie along the single dimension `train`")


def test_train_index_disagreeing_with_counts(ds):
    _one(ds.assign(train_index=("spike", np.array([0, 1, 1, 3]))), "spike 1 has train 1")


def test_duplicate_trains_and_unit_ids(ds):
    dup = ds.assign_coords(trial=("train", [0, 0, 0, 1]))
    _one(dup, "trains 0 and 2 are both unit 1, trial 0")
    assert schema_problems(dup, allow_duplicates=True) == []
    table = ds.rename_vars(unit="unit_label").assign_coords(unit=("unit", [4, 4]), region=("unit", ["CA1", "CA3"]))
    problems = schema_problems(table.assign_coords(unit_label=("train", [1, 2, 1, 2])))
    assert any("unit ids of the `unit` dimension must be unique; 4 appear more than once" in p for p in problems)


def test_times_outside_their_trial_and_unsorted(ds):
    bad = ds.copy(deep=True)
    bad["spike_time"].values[:] = [0.5, 0.1, 1.2, 0.7]
    problems = schema_problems(bad)
    assert len(problems) == 2
    assert "train 0 (unit 1, trial 0) has 0.5 before 0.1" in problems[0]
    assert "spike 2 at 1.2 s of train 1 (unit 2, trial 0) is outside [0.0, 1.0]" in problems[1]


def test_wrong_dtypes_and_version(ds):
    bad = ds.assign(spike_time=("spike", np.array([1, 5, 2, 7]))).assign_attrs(spikestats_schema_version=2)
    problems = schema_problems(bad)
    assert "schema version 2 is newer than this spikestats reads (1 .. 1)" in problems[0]
    assert "`spike_time` must hold float values; it has dtype int64" in problems[1]
    no_tag = ds.copy()
    no_tag.attrs = {}
    problems = schema_problems(no_tag)
    assert "spikestats_schema must be 'spiketrains'; it is missing" in problems[0]
    assert "spikestats_schema_version is missing" in problems[1]


def test_all_problems_at_once(ds):
    bad = ds.drop_vars("t_start").assign_attrs(time_units="ms", spikestats_metadata="[1]")
    with pytest.raises(ValidationError, match="got 3 problems") as info:
        validate(bad)
    assert "3. required variable ['t_start'] missing" in str(info.value)
    assert "time_units must be 's'" in str(info.value) and "JSON object" in str(info.value)


def test_not_a_dataset(ds):
    with pytest.raises(ValidationTypeError, match=r"`ds` must be an xarray.Dataset; got DataArray. Convert"):
        validate(ds["spike_time"])
