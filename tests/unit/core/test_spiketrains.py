"""SpikeTrains: construction, validation, containers, selection, windows."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import SpikestatsError, ValidationError, ValidationTypeError


@pytest.fixture
def st() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5, 0.9], [], [0.2, 0.25]], t_start=0.0, t_stop=1.0,
                                    unit=[1, 2, 3], trial=[0, 0, 1], metadata={"fs": 30000})


def test_from_list_layout(st):
    assert st.times.dtype == np.float64 and st.offsets.dtype == np.int64
    np.testing.assert_array_equal(st.offsets, [0, 3, 3, 5])
    np.testing.assert_array_equal(st.times, [0.1, 0.5, 0.9, 0.2, 0.25])
    np.testing.assert_array_equal(st.t_start, [0, 0, 0])
    np.testing.assert_array_equal(st.counts, [3, 0, 2])
    assert len(st) == 3 and st.n_spikes == 5
    assert st.metadata == {"fs": 30000}
    np.testing.assert_array_equal(st[0], [0.1, 0.5, 0.9])
    np.testing.assert_array_equal(st[-1], [0.2, 0.25])
    assert [t.size for t in st] == [3, 0, 2]
    assert "n_trains=3" in repr(st)


def test_default_labels_and_t_stop():
    st = ss.SpikeTrains.from_list([[0.1, 0.3], [0.2]])
    np.testing.assert_array_equal(st.unit, [0, 1])
    np.testing.assert_array_equal(st.trial, [0, 0])
    assert st.t_stop[0] == 0.3


def test_arrays_are_read_only(st):
    with pytest.raises(ValueError):
        st.times[0] = 5.0
    with pytest.raises(ValueError):
        st[0][0] = 5.0


def test_from_flat_matches_from_list():
    times = [0.3, 0.1, 0.2, 0.4, 0.05]
    idx = [1, 0, 1, 3, 0]
    st = ss.SpikeTrains.from_flat(times, idx, 0.0, 1.0)
    assert st == ss.SpikeTrains.from_list([[0.05, 0.1], [0.2, 0.3], [], [0.4]], 0.0, 1.0)
    assert len(ss.SpikeTrains.from_flat(times, idx, 0.0, 1.0, n_trains=6)) == 6
    with pytest.raises(ValidationError, match="n_trains"):
        ss.SpikeTrains.from_flat(times, idx, 0.0, 1.0, n_trains=2)
    with pytest.raises(ValidationError, match="train_index"):
        ss.SpikeTrains.from_flat(times, idx[:-1], 0.0, 1.0)


def test_sort_option():
    with pytest.raises(ValidationError, match=r"sorted within each train.*0\.5 before 0\.2.*sort=True"):
        ss.SpikeTrains.from_list([[0.1, 0.5, 0.2]], 0.0, 1.0)
    st = ss.SpikeTrains.from_list([[0.1, 0.5, 0.2], [0.9, 0.3]], 0.0, 1.0, sort=True)
    np.testing.assert_array_equal(st.times, [0.1, 0.2, 0.5, 0.3, 0.9])
    # a decrease across a train boundary is fine
    ss.SpikeTrains.from_list([[0.9], [0.1]], 0.0, 1.0)


@pytest.mark.parametrize("bad, match", [
    ([[0.1, np.nan]], "finite"),
    ([[0.1, np.inf]], "finite"),
    ([[1.5]], r"inside each train's window.*1\.5"),
    ([[-0.1]], "inside each train's window"),
])
def test_bad_times(bad, match):
    with pytest.raises(ValidationError, match=match) as info:
        ss.SpikeTrains.from_list(bad, 0.0, 1.0)
    assert "`" in str(info.value) and "got" in str(info.value)


def test_bad_windows_and_labels():
    with pytest.raises(ValidationError, match=r"`t_stop` must be > t_start.*t_start=1\.0, t_stop=1\.0"):
        ss.SpikeTrains.from_list([[]], 1.0, 1.0)
    with pytest.raises(ValidationError, match="t_stop"):
        ss.SpikeTrains.from_list([[]], 2.0, 1.0)
    with pytest.raises(ValidationError, match=r"`unit` must be .*one label per train \(2\)"):
        ss.SpikeTrains.from_list([[0.1], [0.2]], 0.0, 1.0, unit=[1, 2, 3])
    with pytest.raises(ValidationError, match="`trial`"):
        ss.SpikeTrains.from_list([[0.1], [0.2]], 0.0, 1.0, trial=[1])
    with pytest.raises(ValidationError, match="`t_start`"):
        ss.SpikeTrains.from_list([[0.1], [0.2]], [0.0, 0.0, 0.0], 1.0)
    with pytest.raises(ValidationError, match="`unit` must be integer or string labels"):
        ss.SpikeTrains.from_list([[0.1]], 0.0, 1.0, unit=[1.5])


def test_bad_types():
    with pytest.raises(ValidationTypeError, match=r"`trains\[0\]` must be an array of real numbers"):
        ss.SpikeTrains.from_list([["a", "b"]], 0.0, 1.0)
    with pytest.raises(ValidationTypeError, match="`trains`"):
        ss.SpikeTrains.from_list("abc", 0.0, 1.0)
    with pytest.raises(ValidationTypeError, match="`metadata`"):
        ss.SpikeTrains.from_list([[0.1]], 0.0, 1.0, metadata={"x": object()})
    with pytest.raises(ValidationTypeError, match="`times`"):
        ss.SpikeTrains(np.array([1 + 1j]), [0, 1], 0.0, 2.0)
    with pytest.raises(ValidationError, match="`offsets`"):
        ss.SpikeTrains([0.1, 0.2], [0, 3], 0.0, 1.0)
    with pytest.raises(ValidationError, match="`t_stop` must be given"):
        ss.SpikeTrains.from_list([[], []])
    # errors are both spikestats errors and the builtin kinds
    assert issubclass(ValidationError, ValueError) and issubclass(ValidationError, SpikestatsError)
    assert issubclass(ValidationTypeError, TypeError)


def test_input_is_copied():
    arr = np.array([0.1, 0.2])
    st = ss.SpikeTrains.from_list([arr], 0.0, 1.0)
    arr[0] = 0.15
    assert st[0][0] == 0.1


def test_slice_is_a_view(st):
    sub = st[1:3]
    assert np.shares_memory(sub.times, st.times)
    assert sub == ss.SpikeTrains.from_list([[], [0.2, 0.25]], 0.0, 1.0, unit=[2, 3], trial=[0, 1],
                                           metadata={"fs": 30000})
    assert len(st[2:1]) == 0


def test_fancy_indexing(st):
    assert st[[2, 0]] == ss.SpikeTrains.from_list([[0.2, 0.25], [0.1, 0.5, 0.9]], 0.0, 1.0, unit=[3, 1],
                                                  trial=[1, 0], metadata={"fs": 30000})
    assert st[np.array([True, False, True])] == st[[0, 2]]
    assert st[::2] == st[[0, 2]]
    with pytest.raises(IndexError):
        st[3]
    with pytest.raises(IndexError):
        st[[0, 5]]
    with pytest.raises(TypeError, match="`key`"):
        st["a"]


def test_select(st):
    assert st.select(unit=3) == st[[2]]
    assert st.select(unit=[1, 3], trial=0) == st[[0]]
    assert st.select(trial=0) == st[[0, 1]]
    with pytest.raises(ValidationError, match=r"`unit` must be among the labels present \(\[1, 2, 3\]\).*\[7\]"):
        st.select(unit=7)
    with pytest.raises(ValidationTypeError):
        st.select(unit="a")


def test_restrict_window(st):
    assert st.restrict() == st
    assert st.restrict(0.0, 1.0) == st
    r = st.restrict(0.2, 0.5)
    assert r == ss.SpikeTrains.from_list([[0.5], [], [0.2, 0.25]], 0.2, 0.5, unit=[1, 2, 3], trial=[0, 0, 1],
                                         metadata={"fs": 30000})
    assert st.restrict(t_start=0.5).t_start[0] == 0.5
    with pytest.raises(ValidationError, match="t_stop"):
        st.restrict(0.5, 0.2)
    with pytest.raises(ValidationError, match="overlapping"):
        st.restrict(2.0, 3.0)


def test_restrict_epochs():
    st = ss.SpikeTrains.from_list([[0.5, 1.5, 2.5, 3.5], [1.2]], 0.0, 4.0, unit=[7, 8])
    ep = ss.Epochs([1.0, 3.0], [2.0, 4.0], label=[10, 11])
    cut = st.restrict(ep)
    assert cut == ss.SpikeTrains.from_list([[1.5], [3.5], [1.2], []], [1.0, 3.0, 1.0, 3.0], [2.0, 4.0, 2.0, 4.0],
                                           unit=[7, 7, 8, 8], trial=[10, 11, 10, 11])
    aligned = st.restrict(ep, align=True)
    np.testing.assert_allclose(aligned.times, [0.5, 0.5, 0.2])
    np.testing.assert_array_equal(aligned.t_start, 0.0)
    trials = ss.SpikeTrains.from_list([[0.5], [0.6]], 0.0, 4.0, unit=[1, 1], trial=[0, 1])
    with pytest.raises(ValidationError, match="continuous recording"):
        trials.restrict(ep)
    with pytest.raises(ValidationError, match="outside"):
        st.restrict(ss.Epochs([5.0], [6.0]))


def test_epochs_validation():
    with pytest.raises(ValidationError, match="`stop` must be > start"):
        ss.Epochs([1.0, 2.0], [2.0, 2.0])
    with pytest.raises(ValidationError, match="`stop`"):
        ss.Epochs([1.0, 2.0], [2.0])
    ep = ss.Epochs([0.0], [1.5])
    assert len(ep) == 1 and ep.duration[0] == 1.5 and ep == ss.Epochs([0.0], [1.5])


def test_concatenate_and_copy(st):
    both = ss.concatenate([st[:1], st[1:]])
    assert both == st
    c = st.copy()
    assert c == st and not np.shares_memory(c.times, st.times)
    other = st.with_metadata(fs=1000)
    with pytest.raises(ValidationError, match="agreeing metadata"):
        ss.concatenate([st, other])
    with pytest.raises(ValidationError, match="one kind"):
        ss.concatenate([st, ss.SpikeTrains.from_list([[0.1]], 0.0, 1.0, unit=["a"])])
    with pytest.raises(ValidationTypeError):
        ss.concatenate([])


def test_equality_is_exact(st):
    assert st == st.copy()
    assert st != st.with_metadata(extra=1)
    assert st != ss.SpikeTrains.from_list([[0.1, 0.5, 0.9], [], [0.2, 0.25]], 0.0, 1.0, unit=[1, 2, 3],
                                          trial=[0, 0, 1])
    assert (st == 3) is False
    str_units = ss.SpikeTrains.from_list([[0.1]], 0.0, 1.0, unit=["0"])
    assert str_units != ss.SpikeTrains.from_list([[0.1]], 0.0, 1.0, unit=[0])
