"""CSV/TSV: the written layout, foreign tables and their errors."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import expect_file_error

import spikestats as ss


def test_written_table_is_plain_for_other_tools(tmp_path):
    st = ss.SpikeTrains.from_list([[0.1, 1 / 3], [], [0.2]], 0.0, 1.0, unit=["a,b", "c", "#d"], trial=[1, 1, 2])
    path = tmp_path / "s.csv"
    ss.io.write(st, path)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("# spikestats {") and lines[1] == "unit,trial,time"
    assert lines[2:] == ['"a,b",1,0.1', f'"a,b",1,{1 / 3!r}', '"#d",2,0.2']
    assert ss.io.read(path) == st
    ss.io.write(st, tmp_path / "s.tsv")
    assert (tmp_path / "s.tsv").read_text().splitlines()[1] == "unit\ttrial\ttime"
    assert ss.io.read(tmp_path / "s.tsv") == st


def test_foreign_table_in_milliseconds(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("neuron,trial,timestamp,amplitude\n3,1,250,9\n3,1,100,8\n5,1,50,7\n3,2,75,1\n")
    st = ss.io.read(path, time_scale=1e-3, t_stop=0.5)
    assert st.unit.tolist() == [3, 3, 5] and st.trial.tolist() == [1, 2, 1]
    np.testing.assert_array_equal(st[0], [0.1, 0.25])
    assert st.t_start[0] == 0.0 and st.t_stop[0] == 0.5


def test_foreign_table_with_str_units_and_no_trial(tmp_path):
    path = tmp_path / "f.tsv"
    path.write_text("time\tcell\n0.5\tCA1-3\n0.25\tCA1-3\n0.75\tCA1-10\n")
    st = ss.io.read(path)
    assert st.unit.tolist() == ["CA1-10", "CA1-3"] and st.trial.tolist() == [0, 0]
    assert st.t_stop[0] == 0.75


@pytest.mark.parametrize("text, words", [
    ("", "header row"),
    ("unit,when\n1,0.5\n", "time column named one of"),
    ("unit,time\n1,0.5,3\n", "2 fields in every row"),
    ("unit,time\n1,soon\n", "hold numbers in its time column"),
    ("unit,time\n", "at least one spike when `t_stop` is not given"),
])
def test_foreign_table_errors(tmp_path, text, words):
    path = tmp_path / "f.csv"
    path.write_text(text)
    expect_file_error(path, words)


def test_rows_that_disagree_with_the_comment_line(tmp_path):
    st = ss.SpikeTrains.from_list([[0.1], [0.2]], 0.0, 1.0, unit=[1, 2])
    path = tmp_path / "s.csv"
    ss.io.write(st, path)
    path.write_text(path.read_text().replace("\n2,0,0.2", "\n1,0,0.2"))
    expect_file_error(path, "list spikes train after train", "unit '1' in data row 2 where '2' was expected")
    with pytest.raises(Exception, match="time_scale=1.0"):
        ss.io.read(path, time_scale=1e-3)


def test_truncated_file(tmp_path):
    st = ss.SpikeTrains.from_list([np.linspace(0.01, 0.99, 50)], 0.0, 1.0)
    path = tmp_path / "s.csv"
    ss.io.write(st, path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    expect_file_error(path, "`n_spikes` summing to the number of spikes")
