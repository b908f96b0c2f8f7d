"""SpikeTrains survive pickling (dask workers, multiprocessing) equal and still read-only."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import spikestats as ss


def test_pickle_round_trip_is_equal_and_read_only():
    st = ss.SpikeTrains.from_list([[0.1, 0.4], [], [0.2]], t_stop=1.0, unit=["a", "a", "b"], trial=[0, 1, 0],
                                  metadata={"note": "x"})
    for back in (pickle.loads(pickle.dumps(st)), copy.deepcopy(st)):
        assert back == st and back.metadata == st.metadata
        for name in ("times", "offsets", "t_start", "t_stop", "unit", "trial"):
            array = getattr(back, name)
            assert not array.flags.writeable, name
        with pytest.raises(ValueError):
            back.times[0] = 5.0
    assert np.array_equal(pickle.loads(pickle.dumps(st[1:]))[1], st[2])
