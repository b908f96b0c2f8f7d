"""Neo and pynapple conversions: objects from other tools, trials and epochs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import spikestats as ss
from spikestats.core.epochs import Epochs
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.io._convert import from_intervalset, to_intervalset

neo = pytest.importorskip("neo")
pq = pytest.importorskip("quantities")
nap = pytest.importorskip("pynapple")


def test_block_structure(tmp_path):
    st = ss.SpikeTrains.from_list([[0.1], [0.2], [0.3], []], 0.0, 1.0, unit=[1, 2, 1, 2], trial=["x", "x", "y", "y"],
                                  metadata={"k": [1, 2]})
    block = ss.io.to_neo(st)
    assert [s.name for s in block.segments] == ["x", "y"] and [g.name for g in block.groups] == ["1", "2"]
    assert [t.annotations["unit"] for t in block.segments[1].spiketrains] == [1, 2]
    assert ss.io.from_neo(block) == st


def test_plain_neo_trains_in_milliseconds():
    trains = [neo.SpikeTrain([5.0, 250.0] * pq.ms, t_start=0 * pq.ms, t_stop=500 * pq.ms),
              neo.SpikeTrain([100.0] * pq.ms, t_start=0 * pq.ms, t_stop=500 * pq.ms)]
    st = ss.io.from_neo(trains)
    np.testing.assert_array_equal(st[0], [0.005, 0.25])
    assert st.t_stop.tolist() == [0.5, 0.5] and st.unit.tolist() == [0, 1]
    segments = [neo.Segment(), neo.Segment()]
    for seg in segments:
        seg.spiketrains.extend([t.copy() for t in trains])
    block = neo.Block()
    block.segments.extend(segments)
    st = ss.io.from_neo(block)
    assert st.unit.tolist() == [0, 1, 0, 1] and st.trial.tolist() == [0, 0, 1, 1]
    with pytest.raises(ValidationTypeError, match="`obj` must be a neo.Block"):
        ss.io.from_neo([1.0, 2.0])


def test_pynapple_group_cut_into_trials():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        group = nap.TsGroup({3: nap.Ts(np.array([0.5, 1.5, 2.5])), 8: nap.Ts(np.array([1.2, 2.8]))},
                            time_support=nap.IntervalSet(0, 3))
        trials = nap.IntervalSet([0.0, 2.0], [1.0, 3.0], metadata={"label": ["go", "stop"]})
        st = ss.io.from_pynapple(group, trials)
    assert st.unit.tolist() == [3, 3, 8, 8] and st.trial.tolist() == ["go", "stop", "go", "stop"]
    assert st.counts.tolist() == [1, 1, 0, 1]
    whole = ss.io.from_pynapple(group)
    assert whole.unit.tolist() == [3, 8] and whole.t_stop.tolist() == [3.0, 3.0]


def test_by_unit_and_intervalsets():
    st = ss.SpikeTrains.from_list([[0.1], [1.5], [0.5]], [0, 1, 0], [1, 2, 2], unit=["a", "a", "b"], trial=[0, 1, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        group = ss.io.to_pynapple(st, by="unit")
    assert list(group.metadata["unit"]) == ["a", "b"]
    np.testing.assert_array_equal(group[0].index.values, [0.1, 1.5])
    aligned = ss.SpikeTrains.from_list([[0.1], [0.2]], 0, 1, unit=[1, 1], trial=[0, 1])
    with pytest.raises(ValidationError, match="Use by='train'"):
        ss.io.to_pynapple(aligned, by="unit")
    epochs = Epochs([0.0, 2.0], [1.0, 3.0], ["a", "b"])
    assert from_intervalset(to_intervalset(epochs)) == epochs
