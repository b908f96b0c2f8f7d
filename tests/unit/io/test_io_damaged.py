"""What every file format does with damaged or foreign files, and with empty data."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import expect_file_error

import spikestats as ss
from spikestats.testing import assert_spiketrains_equal

#: extension -> the words the read error must contain for a file that is not of that format
FORMATS = {".nc": "readable netCDF4 file", ".npz": ".npz archive", ".nwb": "readable NWB (HDF5) file",
           ".mat": "MATLAB", ".nir": "readable NIR graph data file"}


@pytest.fixture
def st() -> ss.SpikeTrains:
    return ss.SpikeTrains.from_list([[0.1, 0.5, 0.9], [], [0.25]], 0.0, 1.0, unit=[1, 2, 3])


@pytest.mark.parametrize("ext", FORMATS)
def test_text_file_with_the_extension(tmp_path, ext):
    path = tmp_path / f"notes{ext}"
    path.write_text("time,unit\n0.1,3\n")
    expect_file_error(path, FORMATS[ext])


@pytest.mark.parametrize("ext", FORMATS)
def test_empty_file(tmp_path, ext):
    path = tmp_path / f"empty{ext}"
    path.write_bytes(b"")
    expect_file_error(path, FORMATS[ext])


@pytest.mark.parametrize("ext", FORMATS)
def test_truncated_file(tmp_path, st, ext):
    path = tmp_path / f"a{ext}"
    ss.io.write(st, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    expect_file_error(path, FORMATS[ext])


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("kind", [np.int64, str])
def test_zero_trains_keep_their_label_kind(tmp_path, ext, kind):
    st = ss.SpikeTrains(np.empty(0), [0], [], [], unit=np.empty(0, kind), trial=np.empty(0, kind))
    ss.io.write(st, tmp_path / f"a{ext}")
    assert_spiketrains_equal(ss.io.read(tmp_path / f"a{ext}"), st)
