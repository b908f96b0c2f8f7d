"""Plotting functions: they draw the expected artists with labelled axes and return the Axes."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import spikestats as ss  # noqa: E402
from spikestats.exceptions import ValidationError, ValidationTypeError  # noqa: E402
from spikestats.plotting import isi_histogram, rate_histogram, raster, save_png  # noqa: E402


@pytest.fixture
def st() -> ss.SpikeTrains:
    trains = [[0.1, 0.3, 0.35], [0.2], [0.05, 0.5, 0.9, 0.95], [], [0.4, 0.8]]
    return ss.SpikeTrains.from_list(trains, t_stop=1.0, unit=["b", "b", "a", "a", "c"], trial=[0, 1, 0, 1, 0])


@pytest.fixture
def ax():
    return Figure().add_subplot()


def _ticks(line) -> np.ndarray:
    """(x, y_low) of each tick of a raster line (NaN-separated pairs)."""
    x, y = line.get_xdata(), line.get_ydata()
    return np.column_stack([x[0::3], y[0::3]])


def test_raster_draws_one_tick_per_spike_grouped_by_unit(st, ax):
    out = raster(st, ax=ax)
    assert out is ax
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["a", "b", "c"]
    assert sum(len(_ticks(line)) for line in lines) == st.n_spikes
    # rows ordered by (unit, trial): a/0, a/1, b/0, b/1, c/0
    a_ticks = _ticks(lines[0])
    assert np.allclose(np.sort(a_ticks[:, 0]), [0.05, 0.5, 0.9, 0.95])
    assert np.allclose(a_ticks[:, 1], -0.4)            # row 0, height 0.8
    assert ax.get_xlabel() == "time (s)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert ax.get_xlim() == (0.0, 1.0) and ax.get_ylim() == (4.5, -0.5)


def test_raster_stored_order_and_single_colour(st, ax):
    raster(st, ax=ax, order="stored", color="k")
    assert ax.get_ylabel() == "train"
    assert {line.get_color() for line in ax.get_lines()} == {"k"}
    b_ticks = _ticks(ax.get_lines()[1])
    assert np.allclose(np.sort(b_ticks[:, 1]), [-0.4, -0.4, -0.4, 0.6])   # trains 0 and 1 keep rows 0 and 1


def test_raster_accepts_arrays_and_rejects_bad_options(ax):
    raster([np.array([0.1, 0.2]), np.array([0.3])], ax=ax)
    assert [line.get_label() for line in ax.get_lines()] == ["0", "1"]   # default unit labels 0 .. n - 1
    with pytest.raises(ValidationError, match="order"):
        raster([np.array([0.1])], ax=ax, order="time")
    with pytest.raises(ValidationTypeError, match="`ax`"):
        raster([np.array([0.1])], ax="left")


def test_rate_histogram_bins_rates_and_marks_references(ax):
    rates = np.array([1.0, 2.0, 2.5, np.nan, 10.0])
    out = rate_histogram(rates, ax=ax, bins=4, reference=[2.0, 8.0])
    assert out is ax
    assert len(ax.patches) == 4
    assert sum(p.get_height() for p in ax.patches) == 4   # NaN dropped
    assert len(ax.get_lines()) == 2
    assert ax.get_xlabel() == "firing rate (Hz)" and ax.get_ylabel() == "number of trains"
    assert ax.get_legend().get_texts()[0].get_text() == "true rate"


def test_rate_histogram_of_spiketrains(st, ax):
    rate_histogram(st, ax=ax, bins=3)
    assert sum(p.get_height() for p in ax.patches) == st.n_trains


def test_isi_histogram_all(st, ax):
    out = isi_histogram(st, ax=ax, bins=5, max_isi=0.5)
    assert out is ax
    assert len(ax.patches) == 5
    intervals = ss.stats.isi(st).values
    assert sum(p.get_height() for p in ax.patches) == np.count_nonzero(intervals <= 0.5)
    assert ax.get_xlabel() == "inter-spike interval (s)" and ax.get_ylabel() == "number of intervals"
    assert ax.get_xlim() == (0.0, 0.5)


def test_isi_histogram_by_unit_as_densities(st, ax):
    isi_histogram(st, ax=ax, bins=np.linspace(0, 0.6, 7), by="unit", density=True)
    assert len(ax.patches) == 3   # one outline per unit
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]
    assert ax.get_ylabel() == "probability density (1/s)"


def test_isi_histogram_density_skips_units_without_intervals(ax):
    st = ss.SpikeTrains.from_list([[0.5], [0.1, 0.3, 0.4]], t_stop=1.0, unit=["lone", "busy"])
    isi_histogram(st, ax=ax, bins=4, by="unit", density=True)   # no division by zero (warnings are errors)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["busy"]


def test_isi_histogram_rejects_bad_bins(st, ax):
    with pytest.raises(ValidationError, match="bins"):
        isi_histogram(st, ax=ax, bins=[0.2, 0.1])
    with pytest.raises(ValidationError, match="by"):
        isi_histogram(st, ax=ax, by="trial")


def test_default_axes_is_pyplot_current(st):
    fig, ax = plt.subplots()
    try:
        assert raster(st) is ax and isi_histogram(st) is ax and rate_histogram(st) is ax
    finally:
        plt.close(fig)


def test_save_png_writes_a_png_without_pyplot(st, tmp_path):
    before = plt.get_fignums()
    save_png(lambda a: raster(st, ax=a), tmp_path / "r.png", size=(3, 2), dpi=50)
    assert (tmp_path / "r.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plt.get_fignums() == before


def test_import_does_not_load_matplotlib():
    code = "import sys, spikestats, spikestats.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
