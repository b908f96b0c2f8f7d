"""Loaders of ../shared/data: unit and spike counts as the data README states, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.datasets import RECORDINGS, data_folder, load_recording
from spikestats.exceptions import MissingFileError

#: name -> (units, spikes per unit-trial or None, total spikes or None, duration s) from ../shared/data/README.md
README = {
    "08_spikes-1": (1, [750, 969], None, 30.0),
    "linear-track": (31, None, 28_829, 1968.0),
    "w-maze": (25, None, 518_352, 4307.0),
}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(README))
def test_counts_stated_by_the_readme(shared_data, name):
    rec = load_recording(name, shared_data)
    n_units, counts, total, duration = README[name]
    assert np.unique(rec.spikes.unit).size == n_units
    if counts is not None:
        assert rec.spikes.counts.tolist() == counts
    if total is not None:
        assert rec.spikes.n_spikes == total
    assert rec.spikes.duration[0] == pytest.approx(duration, abs=0.5)


@pytest.mark.shared_data
def test_w_maze_has_the_multi_unit_cluster(shared_data):
    st = load_recording("w-maze", shared_data).spikes
    rates = st.counts / st.duration
    assert rates.max() == pytest.approx(107, abs=1.0)        # "one cluster fires near 107 Hz" (README)


@pytest.mark.shared_data
def test_grasshopper_in_seconds_with_its_stimulus(shared_data):
    rec = load_recording("grasshopper", shared_data)
    folder = shared_data / "nitime_grasshopper_Rokem2006"
    for k, train in zip((1, 2), rec.spikes):
        lines = [ln for ln in (folder / f"grasshopper_spike_times{k}.txt").read_text().splitlines()
                 if ln.strip() and not ln.startswith("#")]
        assert train.size == len(lines)
        assert train[0] == float(lines[0]) / 1e6
    rates = rec.spikes.counts / 10.0
    assert np.all((rates > 80) & (rates < 100))                     # "about 90 Hz"
    isi = np.diff(rec.spikes[0])
    assert isi.min() > 3e-3                                          # "minimum ISI over 3 ms"
    stim = rec.signals["stimulus"]
    assert stim.values.shape == (2, 200_000) and stim.time[1] == 5e-5     # 20 kHz
    ds = rec.to_xarray()
    assert ds["stimulus"].dims == ("stimulus_trial", "time") and ss.SpikeTrains.from_xarray(ds) == rec.spikes


@pytest.mark.shared_data
def test_kramer_eden_files(shared_data):
    for name, n in (("08_spikes-2", 700), ("08_spikes-3", 230)):
        st = load_recording(name, shared_data).spikes
        assert st.n_trains == 1 and st.n_spikes == n and st.t_stop[0] == 30.0
    place = load_recording("spikes-1", shared_data)
    assert place.signals["position"].values.shape == place.signals["position"].time.shape == (177_761,)
    assert place.spikes.t_stop[0] == 177.761
    stn = load_recording("10_spikes-1", shared_data)
    from scipy.io import loadmat

    raw = loadmat(shared_data / "kramer_eden_case_studies" / "10_spikes-1.mat")
    assert stn.spikes.n_trains == 50 and stn.spikes.n_spikes == int(raw["train"].sum())
    assert stn.spikes.t_start[0] == -1.0 and stn.spikes.t_stop[0] == pytest.approx(1.0)
    assert len(stn.spikes.metadata["direction"]) == 50
    np.testing.assert_array_equal(stn.spikes.bin(1e-3).counts, raw["train"])   # back to the 0/1 matrix


@pytest.mark.shared_data
def test_every_recording_fits_the_schema(shared_data):
    from spikestats.xarray import validate

    for name in RECORDINGS:
        validate(load_recording(name, shared_data).spikes.to_xarray())


def test_environment_variable_and_missing_files(tmp_path, monkeypatch):
    monkeypatch.setenv("SPIKESTATS_DATA", str(tmp_path))
    assert data_folder() == tmp_path
    with pytest.raises(MissingFileError, match=r"must hold nelpy_w-maze/spikes.mat; got '.*', where"):
        load_recording("w-maze")
    with pytest.raises(FileNotFoundError, match="set SPIKESTATS_DATA"):
        load_recording("grasshopper", tmp_path / "nowhere")
    with pytest.raises(ValueError, match="Did you mean 'w-maze'"):
        load_recording("wmaze", tmp_path)
