"""The rate-changes section finds the example's known changes and draws them."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.report._params import ReportParams
from spikestats.report._section import Context
from spikestats.report.sections.changepoints import ChangePoints


@pytest.fixture(scope="module")
def computed():
    ctx = Context(ss.datasets.load_example(), ReportParams())
    section = ChangePoints()
    return ctx, section, section.compute(ctx)


def test_finds_the_known_rate_changes_of_the_example(computed):
    ctx, _, result = computed
    found = result.data["results"]
    units = ctx.units.tolist()
    truth = ctx.truth
    for name in [u for u in units if (truth.get(u) or {}).get("changes")]:
        res = found[units.index(name)]
        for t in truth[name]["changes"]["times"]:
            # every true change has a detected one nearby, and its interval is within reach
            k = int(np.argmin(np.abs(res.change_times - t)))
            assert abs(res.change_times[k] - t) <= 0.35, name
    step = found[units.index("rate_step")]
    assert step.n_changes == 1 and abs(step.change_times[0] - 6.0) <= 0.05
    assert step.rates == pytest.approx([5.0, 25.0], rel=0.15)  # per trial, 20 trials pooled
    for name in ("poisson_1", "poisson_4", "poisson_8"):
        assert found[units.index(name)].n_changes == 0
    n = result.per_unit["n_rate_changes"].values
    assert n[units.index("rate_step")] == 1 and result.per_unit["first_rate_change"].units == "s"


def test_columns_and_figures(computed, tmp_path):
    ctx, section, result = computed
    cols = section.columns(ctx, result)
    assert [c.title for c in cols] == ["rate changes at (s)", "true changes at (s)"] and cols[1].truth
    assert cols[0].values[ctx.units.tolist().index("rate_step")] == "6.00"
    from spikestats.plotting.files import save_png

    figs = section.figures(ctx, result)
    assert [f.filename for f in figs] == ["changepoints_raster.png", "changepoints_rates.png"]
    for f in figs:
        save_png(f.draw, tmp_path / f.filename, size=f.size)
        assert (tmp_path / f.filename).read_bytes()[:4] == b"\x89PNG"
