"""The `spikestats` command: `report` on the example and on user files, output safety, errors and help."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import spikestats as ss
from spikestats.cli import main
from spikestats.exceptions import FileFormatError

REPORT_FILES = ("report.html", "results.nc", "raster.png", "rates.png", "isi.png")


@pytest.fixture(scope="module")
def user_trains() -> ss.SpikeTrains:
    st = ss.generators.PoissonProcess(rate=12.0, dead_time=2e-3).simulate(n_trains=6, t_stop=3.0, rng=11)
    return ss.SpikeTrains(st.times, st.offsets, st.t_start, st.t_stop, unit=[0, 0, 0, 1, 1, 1],
                          trial=[0, 1, 2, 0, 1, 2], metadata=st.metadata)


def _one_line_error(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error:" in lines[0] and "Traceback" not in err


def test_report_on_the_example(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["report", "--out", str(out)]) == 0
    for name in REPORT_FILES:
        assert (out / name).is_file()
    text = capsys.readouterr().out
    assert "the embedded example dataset" in text and "report.html" in text
    example = ss.datasets.load_example()
    with xr.open_dataset(out / "results.nc") as ds:
        assert np.array_equal(ds.firing_rate.values, ss.stats.firing_rate(example))
        assert ds.unit.values.tolist() == example.unit.tolist()


@pytest.mark.parametrize("suffix", [".nc", ".npz"])
def test_report_on_a_user_file_keeps_unrelated_files(user_trains, tmp_path, capsys, suffix):
    data = tmp_path / f"session{suffix}"
    ss.io.write(user_trains, data)
    out = tmp_path / "out"
    out.mkdir()
    (out / "analysis.py").write_text("print('mine')\n")
    assert main(["report", str(data), "-o", str(out), "--fano-window", "0.5", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert (out / "analysis.py").read_text() == "print('mine')\n"
    with xr.open_dataset(out / "results.nc") as ds:
        assert np.array_equal(ds.firing_rate.values, ss.stats.firing_rate(user_trains))
        assert np.array_equal(ds.fano_windowed.values, ss.stats.fano_factor(user_trains, window=0.5))
    with xr.open_dataset(out / "results.nc", group="units") as ds:
        assert ds.unit.values.tolist() == [0, 1]
    page = (out / "report.html").read_text()
    assert f"session{suffix}" in page and "true rate (Hz)" in page     # the generator's ground truth travels


def test_missing_path(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope.nc"), "-o", str(tmp_path / "out")]) != 0
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "nope.nc" in err and "does not exist" in err


@pytest.mark.parametrize("suffix", [".nc", ".npz"])
def test_corrupt_file(tmp_path, capsys, suffix):
    bad = tmp_path / f"bad{suffix}"
    bad.write_bytes(b"\x89HDF\r\n\x1a\n this is not a complete file")
    assert main(["report", str(bad), "-o", str(tmp_path / "out"), "-q"]) != 0
    err = capsys.readouterr().err
    _one_line_error(err)
    assert f"bad{suffix}" in err


def test_unsupported_extension(tmp_path, capsys):
    other = tmp_path / "spikes.xyz"
    other.write_text("1 2 3")
    assert main(["report", str(other), "-q"]) != 0
    _one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("argv", [["report", "--bogus"], ["--bogus"], ["report", "--fano-window", "abc"],
                                  ["report", "a.nc", "b.nc"], ["explode"]])
def test_bad_command_lines(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "--help" in err


def test_bad_option_value(tmp_path, capsys):
    assert main(["report", "--fano-window", "-1", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "fano_window" in err


def test_debug_shows_the_exception(tmp_path):
    with pytest.raises(FileFormatError):
        main(["report", str(tmp_path / "nope.nc"), "--debug"])


def test_help_and_version(capsys):
    assert main(["report", "--help"]) == 0
    text = capsys.readouterr().out
    assert "examples:" in text and "--out DIR" in text and "--quiet" in text
    assert main(["--help"]) == 0
    assert "report" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert ss.__version__ in capsys.readouterr().out


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


def test_installed_script(tmp_path):
    script = shutil.which("spikestats", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the `spikestats` script is not installed beside this Python")
    out = tmp_path / "rep"
    done = subprocess.run([script, "report", "--out", str(out), "--quiet"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    assert all((out / name).is_file() for name in REPORT_FILES)
    failed = subprocess.run([script, "report", str(tmp_path / "missing.npz")], capture_output=True, text=True,
                            timeout=120)
    assert failed.returncode == 1
    _one_line_error(failed.stderr)
