"""MATLAB files: the common shapes labs store, MatClust structs, and what is refused."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import expect_file_error
from scipy.io import savemat

import spikestats as ss


def _cell(*arrays) -> np.ndarray:
    out = np.empty(len(arrays), dtype=object)
    out[:] = [np.asarray(a, dtype=float) for a in arrays]
    return out


def test_cell_array_of_times(tmp_path):
    savemat(tmp_path / "c.mat", {"spikes": _cell([0.3, 0.1], [0.2], [])})
    st = ss.io.read(tmp_path / "c.mat", t_stop=1.0)
    assert st.counts.tolist() == [2, 1, 0] and st.unit.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(st[0], [0.1, 0.3])              # sorted
    st = ss.io.read(tmp_path / "c.mat", rows="trial", time_scale=1e-3, t_stop=1.0)
    assert st.trial.tolist() == [0, 1, 2] and st.unit.tolist() == [0, 0, 0] and st[1][0] == 0.2e-3


def test_two_dimensional_cell_array_is_a_unit_by_trial_grid(tmp_path):
    cells = np.empty((2, 3), dtype=object)
    for i in range(2):
        for j in range(3):
            cells[i, j] = np.array([0.1 * (j + 1), 0.5 + i / 10])
    savemat(tmp_path / "g.mat", {"trains": cells})
    st = ss.io.read(tmp_path / "g.mat", t_stop=1.0)
    assert st.unit.tolist() == [0, 0, 0, 1, 1, 1] and st.trial.tolist() == [0, 1, 2, 0, 1, 2]
    np.testing.assert_array_equal(st[4], [0.2, 0.6])


def test_binary_matrix_needs_a_bin_size(tmp_path):
    raster = np.zeros((3, 10), dtype=np.uint8)
    raster[0, [1, 4]] = 1
    raster[2, 9] = 1
    savemat(tmp_path / "r.mat", {"train": raster})
    expect_file_error(tmp_path / "r.mat", "`bin_size=`", "3 x 10 matrix")
    st = ss.io.read(tmp_path / "r.mat", bin_size=0.01, rows="trial")
    assert st.trial.tolist() == [0, 1, 2] and st.counts.tolist() == [2, 0, 1]
    np.testing.assert_allclose(st[0], [0.01, 0.04])
    assert st.t_stop[0] == pytest.approx(0.1)


def _unit(times) -> dict:
    times = np.asarray(times, dtype=float)
    return {"time": times.reshape(-1, 1), "timerange": np.array([[0.0, 10.0]]), "meanrate": times.size / 10.0}


def test_matclust_layout_with_empty_and_single_unit_tetrodes(tmp_path):
    """Tetrode 1: two units, a spikeless cluster and an empty slot; 2: unsorted; 3: one unit (a 0-d struct once squeezed)."""
    t1 = np.empty((1, 4), dtype=object)
    t1[0, 3] = np.zeros((0, 0))                                # an empty slot
    t1[0, 0] = _unit([1.0, 2.0])
    t1[0, 1] = _unit([])                                       # a cluster the sorter left without spikes
    t1[0, 2] = _unit([3.0])
    spikes = np.empty((1, 3), dtype=object)
    spikes[0, 0] = t1
    spikes[0, 1] = np.zeros((0, 0))
    spikes[0, 2] = _unit([4.0, 5.0, 6.0])
    savemat(tmp_path / "spikes.mat", {"spikes": spikes})
    st = ss.io.read(tmp_path / "spikes.mat")
    assert st.counts.tolist() == [2, 1, 3]
    assert st.metadata["tetrode"] == [1, 1, 3] and st.metadata["cluster"] == [1, 3, 1]
    assert st.t_start[0] == 0.0 and st.t_stop[0] == 10.0
    kept = ss.io.read(tmp_path / "spikes.mat", keep_empty_units=True)
    assert kept.counts.tolist() == [2, 0, 1, 3] and kept.metadata["cluster"] == [1, 2, 3, 1]


def test_several_variables_need_a_name(tmp_path):
    savemat(tmp_path / "two.mat", {"low": np.array([0.1, 0.2]), "high": np.array([0.3])})
    expect_file_error(tmp_path / "two.mat", "`variable=`", "low (1, 2)", "high (1, 1)")
    st = ss.io.read(tmp_path / "two.mat", variable="high", t_stop=1.0)
    assert st.times.tolist() == [0.3]
    with pytest.raises(Exception, match="hold the variable 'mid'"):
        ss.io.read(tmp_path / "two.mat", variable="mid")


def test_v73_hdf5_file_is_refused_with_a_hint(tmp_path):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "v73.mat"
    with h5py.File(path, "w", userblock_size=512) as fh:
        fh["x"] = np.arange(3.0)
    with open(path, "r+b") as fh:
        fh.write(b"MATLAB 7.3 MAT-file, Platform: GLNXA64")
    expect_file_error(path, "v7.3 (HDF5)", "h5py")


def test_written_variables_for_matlab_users(tmp_path):
    from scipy.io import loadmat

    st = ss.SpikeTrains.from_list([[0.1, 0.2], [0.5]], 0.0, 1.0, unit=["n1", "n2"], trial=[4, 4])
    ss.io.write(st, tmp_path / "w.mat")
    raw = loadmat(tmp_path / "w.mat", squeeze_me=True)
    np.testing.assert_array_equal(raw["spike_times"][0], [0.1, 0.2])
    assert raw["unit"].tolist() == ["n1", "n2"] and raw["trial"].tolist() == [4, 4]
