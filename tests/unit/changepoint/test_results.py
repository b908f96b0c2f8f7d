"""ChangePointResult: a frozen record with a readable repr and a plot."""

from __future__ import annotations

import dataclasses

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from spikestats.changepoint.results import ChangePointResult  # noqa: E402
from spikestats.exceptions import ValidationTypeError  # noqa: E402


def _single() -> ChangePointResult:
    rates = np.array([5.0, 25.0])
    return ChangePointResult(change_times=np.array([6.0]), change_points=np.array([600]), rates=rates,
                             rate_intervals=np.stack([rates - 1, rates + 2], axis=-1), edges=np.array([0.0, 6.0, 10.0]),
                             method="pelt", cost="poisson", penalty=9.2, intervals=np.array([[5.9, 6.1]]),
                             interval_method="profile likelihood")


def _population() -> ChangePointResult:
    rates = np.array([[5.0, 20.0, 20.0], [10.0, 10.0, 2.0], [3.0, 3.0, 3.0]])
    return ChangePointResult(change_times=np.array([2.0, 5.0]), change_points=np.array([20, 50]), rates=rates,
                             rate_intervals=np.stack([rates * 0.8, rates * 1.2], axis=-1),
                             edges=np.array([0.0, 2.0, 5.0, 10.0]), method="pelt", cost="poisson", penalty=12.0,
                             units_changed=np.array([[True, False, False], [False, True, False]]),
                             units=np.array(["a", "b", "c"]))


def test_result_is_frozen_and_counts_its_segments():
    res = _single()
    assert res.n_changes == 1 and res.n_segments == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.method = "binseg"  # type: ignore[misc]


def test_repr_names_the_method_the_changes_and_the_rates():
    text = repr(_single())
    assert text.startswith("ChangePointResult(") and "'pelt'" in text and "n_changes=1" in text
    assert "6." in text and "profile likelihood" in text and "penalty=9.2" in text
    assert "3 units x 3 segments" in repr(_population())


def test_plot_draws_one_step_per_unit_and_one_line_per_change():
    ax = Figure().add_subplot()
    out = _single().plot(ax=ax)
    assert out is ax and ax.get_xlabel() == "time (s)" and ax.get_ylabel() == "rate (Hz)"
    steps = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-"]
    vlines = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(steps) == 1 and len(vlines) == 1 and vlines[0].get_xdata()[0] == 6.0
    ax2 = _population().plot(ax=Figure().add_subplot())
    assert len([ln for ln in ax2.get_lines() if ln.get_linestyle() == "-"]) == 3
    assert [t.get_text() for t in ax2.get_legend().get_texts()] == ["unit a", "unit b", "unit c"]


def test_plot_rejects_what_is_not_a_result():
    from spikestats.plotting.changepoint import changepoint_plot

    with pytest.raises(ValidationTypeError, match="`result` must be a ChangePointResult"):
        changepoint_plot(object(), ax=Figure().add_subplot())
