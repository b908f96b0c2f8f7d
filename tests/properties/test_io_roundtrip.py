"""Every file format and in-memory conversion gives back what was written (hypothesis).

Times and windows bit for bit (every format stores float64 seconds), labels
with their kind, and the metadata. What a format cannot hold is stated and
what it does hold is tested: NIR needs one train per (trial, unit) pair;
pynapple has no place for free metadata and cannot hold zero trains; Neo
cannot say the label kind of zero trains.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import spikestats as ss
from spikestats.testing import assert_spiketrains_equal
from spikestats.testing.strategies import grid_spike_trains, spike_trains

#: formats whose files hold any SpikeTrains
FILE_SUFFIXES = [".zarr", ".nwb", ".csv", ".tsv", ".mat"]
#: examples per format in the default run (NWB and Zarr writes cost ~0.1-1 s each); `-m slow` runs 200
FAST_EXAMPLES = {".nwb": 5, ".zarr": 6}


def _assert_bit_exact(back: ss.SpikeTrains, st: ss.SpikeTrains, *, metadata: bool = True) -> None:
    if not metadata:
        st = ss.SpikeTrains(st.times, st.offsets, st.t_start, st.t_stop, unit=st.unit, trial=st.trial)
    assert_spiketrains_equal(back, st)
    for name in ("times", "t_start", "t_stop"):      # -0.0 and +0.0 compare equal; their bits must not differ
        np.testing.assert_array_equal(getattr(back, name).view(np.int64), getattr(st, name).view(np.int64))


def _file_round_trip(st: ss.SpikeTrains, suffix: str) -> ss.SpikeTrains:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{suffix}"
        ss.io.write(st, path)
        back = ss.io.read(path)
        assert sorted(p.name for p in Path(folder).iterdir()) == [path.name]   # no temporary left behind
    return back


def _check_files(suffix: str, n_examples: int) -> None:
    @settings(max_examples=n_examples)
    @given(st=spike_trains())
    def check(st):
        _assert_bit_exact(_file_round_trip(st, suffix), st)

    check()


@pytest.mark.parametrize("suffix", FILE_SUFFIXES)
def test_file_round_trip_is_exact(suffix):
    _check_files(suffix, FAST_EXAMPLES.get(suffix, 10))


@pytest.mark.slow
@pytest.mark.parametrize("suffix", FILE_SUFFIXES)
def test_file_round_trip_is_exact_many_examples(suffix):
    _check_files(suffix, 200)


@settings(max_examples=10)
@given(st=grid_spike_trains())
def test_nir_round_trip_is_exact(st):
    _assert_bit_exact(_file_round_trip(st, ".nir"), st)


@settings(max_examples=15)
@given(st=spike_trains(min_trains=1))
def test_neo_round_trip_is_exact(st):
    _assert_bit_exact(ss.io.from_neo(ss.io.to_neo(st)), st)


@settings(max_examples=15)
@given(st=spike_trains(min_trains=1))
def test_pynapple_round_trip_keeps_all_but_metadata(st):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")              # pynapple warns about zero-length supports and empty Ts
        back = ss.io.from_pynapple(ss.io.to_pynapple(st))
    _assert_bit_exact(back, st, metadata=False)
