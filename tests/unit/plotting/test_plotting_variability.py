"""Variability figures: the expected artists, labelled axes, values equal to the statistics."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import spikestats as ss  # noqa: E402
from spikestats.exceptions import ValidationError  # noqa: E402
from spikestats.plotting.variability import (  # noqa: E402
    fano_window_curve,
    isi_variability_histogram,
    time_resolved_fano_plot,
    variability_label,
)
from spikestats.stats.dispersion import fano_factor, mean_matched_fano, time_resolved_fano  # noqa: E402
from spikestats.stats.intervals import lv  # noqa: E402


@pytest.fixture(scope="module")
def st() -> ss.SpikeTrains:
    rng = np.random.default_rng(2)
    trains = [np.sort(rng.uniform(0, 5, rng.poisson(100))) for _ in range(12)]
    return ss.SpikeTrains.from_list(trains, 0.0, 5.0, unit=np.repeat(["a", "b", "c"], 4), trial=np.tile(range(4), 3))


@pytest.fixture
def ax():
    return Figure().add_subplot()


def test_isi_histogram_annotated(st, ax):
    isi_variability_histogram(st, ax)
    texts = [t.get_text() for t in ax.texts]
    assert texts == [variability_label(st)] and f"LV {lv(st, pooled=True):.2f}" in texts[0]
    ax2 = Figure().add_subplot()
    isi_variability_histogram(st, ax2, by="unit")
    labels = [t.get_text() for t in ax2.get_legend().get_texts()]
    assert labels[0].startswith("a: CV ") and len(labels) == 3


def test_fano_window_curve(st, ax):
    windows = [0.05, 0.1, 0.5]
    fano_window_curve(st, windows, ax)
    lines = [line for line in ax.get_lines() if line.get_label() in ("a", "b", "c")]
    assert len(lines) == 3
    np.testing.assert_allclose(lines[0].get_ydata(), [fano_factor(st[:4], w).mean() for w in windows])
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "window (s)"
    with pytest.raises(ValidationError, match="`windows` must be"):
        fano_window_curve(st, [10.0], Figure().add_subplot())


def test_time_resolved_plot(st, ax):
    res = time_resolved_fano(st, 0.5, 0.25)
    time_resolved_fano_plot(res, ax)
    assert len([line for line in ax.get_lines() if line.get_label() in ("a", "b", "c")]) == 3
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), res.fano[0])
    mm = mean_matched_fano(st, 0.5, 0.25, bin_width=30.0, rng=0)
    ax2 = time_resolved_fano_plot(res, Figure().add_subplot(), mean_matched=mm)
    assert [line.get_label() for line in ax2.get_lines()].count("mean-matched") == 1
    assert ax2.get_xlabel() == "time (s)" and ax2.get_ylabel() == "Fano factor"
