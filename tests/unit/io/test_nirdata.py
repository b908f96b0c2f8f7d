"""NIR graph data: EventData as nir writes and reads it, foreign files, and what is refused."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import expect_file_error

import spikestats as ss

nir = pytest.importorskip("nir")


def test_written_file_is_nir_graph_data(tmp_path):
    st = ss.SpikeTrains.from_list([[0.3], [0.1, 0.5], [0.2], []], 0.0, 1.0, unit=[5, 6, 5, 6], trial=[0, 0, 1, 1])
    path = tmp_path / "s.nir"
    ss.io.write(st, path, node="lif1")
    data = nir.read_data(path)
    events = data.nodes["lif1"].observables["spikes"]
    assert events.n_neurons == 2 and events.t_max == 1.0
    np.testing.assert_array_equal(events.idx, [[1, 0, 1], [0, -1, -1]])        # time-sorted, neuron = unit order
    np.testing.assert_array_equal(events.time, [[0.1, 0.3, 0.5], [0.2, np.inf, np.inf]])
    assert ss.io.read(path) == st


def test_foreign_event_data(tmp_path):
    events = nir.EventData(np.array([[0, 2, 0, -1], [1, -1, -1, -1]]),
                           np.array([[0.1, 0.2, 0.4, np.inf], [0.3, np.inf, np.inf, np.inf]]), 3, 0.5)
    nir.write_data(tmp_path / "f.nir", nir.NIRGraphData({"out": nir.NIRNodeData({"spikes": events})}))
    st = ss.io.read(tmp_path / "f.nir")
    assert st.unit.tolist() == [0, 1, 2, 0, 1, 2] and st.trial.tolist() == [0, 0, 0, 1, 1, 1]
    assert st.counts.tolist() == [2, 0, 1, 0, 1, 0]
    np.testing.assert_array_equal(st[0], [0.1, 0.4])
    assert st.t_stop[0] == 0.5


def test_several_event_observables_need_a_choice(tmp_path):
    def events(k):
        return nir.EventData(np.array([[0]]), np.array([[0.1 * k]]), 1, 1.0)

    data = nir.NIRGraphData({"a": nir.NIRNodeData({"spikes": events(1)}), "b": nir.NIRNodeData({"spikes": events(2)}),
                             "c": nir.NIRNodeData({"v": nir.TimeGriddedData(np.zeros((1, 2, 1)), 0.1)})})
    nir.write_data(tmp_path / "m.nir", data)
    expect_file_error(tmp_path / "m.nir", "exactly one matching spike EventData", "a/spikes", "b/spikes")
    assert ss.io.read(tmp_path / "m.nir", node="b").times.tolist() == [0.2]


def test_nir_graph_is_not_graph_data(tmp_path):
    graph = nir.NIRGraph.from_list(nir.LI(np.array([1.0]), np.array([1.0]), np.array([0.0])))
    nir.write(tmp_path / "g.nir", graph)
    expect_file_error(tmp_path / "g.nir", "NIR graph data")
