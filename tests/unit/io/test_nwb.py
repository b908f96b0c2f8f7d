"""NWB: files written by spikestats open in pynwb and pynapple; foreign files, trials and epochs."""

from __future__ import annotations

import warnings
from datetime import datetime, timezone

import numpy as np
import pytest

import spikestats as ss
from spikestats.core.epochs import Epochs
from spikestats.exceptions import FileFormatError
from spikestats.io.nwb import read_intervals

pynwb = pytest.importorskip("pynwb")


@pytest.fixture
def session() -> ss.SpikeTrains:
    """Two units over three trials cut from one session (windows in session time, disjoint per unit)."""
    trains = [[0.1, 0.7], [1.2], [2.05, 2.5, 2.9], [0.3], [], [2.2]]
    return ss.SpikeTrains.from_list(trains, [0, 1, 2, 0, 1, 2], [1, 2, 3, 1, 2, 3], unit=[7, 7, 7, 9, 9, 9],
                                    trial=["a", "b", "c", "a", "b", "c"], metadata={"animal": "R1", "gain": 2.5})


def test_units_trials_and_metadata_in_pynwb(tmp_path, session):
    path = tmp_path / "s.nwb"
    ss.io.write(session, path, epochs=Epochs([0.0, 1.5], [1.5, 3.0], ["rest", "run"]))
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        f = io.read()
        units = f.units.to_dataframe()
        assert list(units["unit_label"]) == [7, 9]                       # one row per unit
        np.testing.assert_array_equal(units.loc[0, "spike_times"], [0.1, 0.7, 1.2, 2.05, 2.5, 2.9])
        np.testing.assert_array_equal(units.loc[1, "obs_intervals"], [[0, 1], [1, 2], [2, 3]])
        trials = f.trials.to_dataframe()
        assert list(trials["trial_label"]) == ["a", "b", "c"]
        np.testing.assert_array_equal(trials["start_time"], [0, 1, 2])
        assert f.epochs is not None and len(f.epochs) == 2
    assert ss.io.read(path) == session
    epochs = read_intervals(path)
    np.testing.assert_array_equal(epochs.start, [0.0, 1.5])
    assert epochs.label.tolist() == ["rest", "run"]
    assert read_intervals(path, "trials").label.tolist() == ["a", "b", "c"]


def test_pynapple_reads_the_file(tmp_path, session):
    nap = pytest.importorskip("pynapple")
    path = tmp_path / "s.nwb"
    ss.io.write(session, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = nap.load_file(str(path))
        group = data["units"]
    assert isinstance(group, nap.TsGroup) and len(group) == 2
    np.testing.assert_array_equal(group[0].index.values, np.concatenate(session.select(unit=7).to_list()))
    np.testing.assert_array_equal(group[1].index.values, np.concatenate(session.select(unit=9).to_list()))
    assert list(group.metadata["unit_label"]) == [7, 9]
    back = ss.io.from_pynapple(group)
    assert back.unit.tolist() == [7, 9] and back.counts.tolist() == [6, 2]


def test_trial_aligned_trains_get_one_row_each(tmp_path):
    st = ss.SpikeTrains.from_list([[0.1], [0.2, 0.3], [0.5], []], -0.5, 1.0, unit=[1, 1, 2, 2], trial=[0, 1, 0, 1])
    path = tmp_path / "aligned.nwb"
    ss.io.write(st, path)
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        units = io.read().units.to_dataframe()
    assert list(units["unit_label"]) == [1, 1, 2, 2] and list(units["trial_label"]) == [0, 1, 0, 1]
    assert ss.io.read(path) == st


def _foreign(path, with_trials: bool) -> None:
    f = pynwb.NWBFile(session_description="other lab", identifier="x1",
                      session_start_time=datetime(2024, 1, 1, tzinfo=timezone.utc))
    f.add_unit(spike_times=[0.5, 1.5, 2.5, 3.5], id=10)
    f.add_unit(spike_times=[0.25, 3.75], id=11)
    if with_trials:
        f.add_trial(start_time=0.0, stop_time=2.0)
        f.add_trial(start_time=2.0, stop_time=4.0)
    with pynwb.NWBHDF5IO(str(path), "w") as io:
        io.write(f)


def test_foreign_file_without_trials(tmp_path):
    _foreign(tmp_path / "f.nwb", with_trials=False)
    st = ss.io.read(tmp_path / "f.nwb")
    assert st.unit.tolist() == [10, 11] and st.counts.tolist() == [4, 2]
    assert st.t_start[0] == 0.0 and st.t_stop[0] == 3.75


def test_foreign_file_split_into_trials(tmp_path):
    _foreign(tmp_path / "f.nwb", with_trials=True)
    st = ss.io.read(tmp_path / "f.nwb")
    assert st.unit.tolist() == [10, 10, 11, 11] and st.trial.tolist() == [0, 1, 0, 1]
    assert st.counts.tolist() == [2, 2, 1, 1]
    np.testing.assert_array_equal(st.t_stop, [2, 4, 2, 4])
    assert ss.io.read(tmp_path / "f.nwb", split="none").n_trains == 2
    with pytest.raises(ValueError, match="`split` must be one of"):
        ss.io.read(tmp_path / "f.nwb", split="trial")


def test_edited_record_is_refused(tmp_path, session):
    import h5py

    path = tmp_path / "s.nwb"
    ss.io.write(session, path)
    with h5py.File(path, "a") as fh:
        del fh["units/spike_times"]
        fh["units/spike_times"] = np.array([0.1, 0.2])
    with pytest.raises(FileFormatError, match="must"):
        ss.io.read(path)


@pytest.mark.shared_data
def test_w_maze_through_nwb_into_pynapple(tmp_path, shared_data):
    """The 518,352-spike recording written as NWB: pynapple sees the same 25 units and spikes."""
    nap = pytest.importorskip("pynapple")
    st = ss.datasets.load_recording("w-maze", shared_data).spikes
    path = tmp_path / "wmaze.nwb"
    ss.io.write(st, path)
    assert ss.io.read(path) == st
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        group = nap.load_file(str(path))["units"]
    assert len(group) == 25 and sum(len(group[k]) for k in group.keys()) == 518_352
    for k, train in zip(group.keys(), st):
        np.testing.assert_array_equal(group[k].index.values, train)
