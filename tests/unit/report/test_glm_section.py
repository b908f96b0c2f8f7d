"""The spike-history GLM section on a small population with a known refractory GLM cell."""

from __future__ import annotations

import numpy as np

import spikestats as ss
from spikestats.report._params import ReportParams
from spikestats.report._section import Context
from spikestats.report.sections.glm import BASIS, HistoryModels


def test_glm_section_fits_each_unit_and_beats_poisson_on_the_refractory_cell():
    h = BASIS.sample(0.001) @ np.array([-6.0, -3.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    glm = ss.generators.GLMNeuron(intercept=np.log(30.0), history=h).simulate(n_trials=5, t_stop=4.0, rng=1)
    poisson = ss.generators.PoissonProcess(rate=30.0).simulate(n_trains=5, t_stop=4.0, rng=2)
    sparse = ss.SpikeTrains.from_list([[0.5]] * 5, t_start=0.0, t_stop=4.0)
    st = ss.SpikeTrains.concatenate([
        ss.SpikeTrains(x.times, x.offsets, 0.0, 4.0, unit=[name] * 5, trial=np.arange(5),
                       metadata=x.metadata if name == "glm" else None)
        for x, name in ((glm, "glm"), (poisson, "poisson"), (sparse, "sparse"))])
    ctx = Context(st, ReportParams())
    section = HistoryModels()
    res = section.compute(ctx)
    k = {u: i for i, u in enumerate(ctx.units.tolist())}
    gain = res.per_unit["glm_aic_gain"].values
    assert gain[k["glm"]] > 100 and abs(gain[k["poisson"]]) < 30 and np.isnan(gain[k["sparse"]])
    ks = res.per_unit["glm_ks_statistic"].values
    assert ks[k["glm"]] < res.per_unit["ks_band"].values[k["glm"]] < res.per_unit["poisson_ks_statistic"].values[k["glm"]]
    assert any("sparse" in note for note in res.notes)
    assert [c.title for c in section.columns(ctx, res)][0] == "GLM AIC gain"
    assert [f.filename for f in section.figures(ctx, res)] == ["glm_history.png", "glm_ks.png"]
