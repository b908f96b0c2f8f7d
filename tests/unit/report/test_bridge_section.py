"""The report's neuromorphic section: one network, four backends, the Loihi reference close to the float model."""

from __future__ import annotations

import numpy as np

import spikestats as ss
from spikestats.report import ReportParams
from spikestats.report._section import Context
from spikestats.report.sections.bridge import BACKENDS, Bridge


def test_bridge_section_on_the_example():
    st = ss.datasets.load_example().select(unit=["poisson_3", "poisson_6", "poisson_8", "rate_step", "sine_rate"])
    ctx = Context(st, ReportParams())
    section = Bridge()
    assert section.applies(ctx)
    result = section.compute(ctx)
    cmp = result.data["comparison"]
    assert tuple(cmp.spikes) == BACKENDS
    assert cmp.spikes["float"].n_spikes > 100  # the inputs drive the network
    # Loihi's integers follow the Euler float model closely (the bar is 2 % / 95 % on its own network)
    assert np.max(cmp.rate_rel_error["loihi"]) < 0.1 and cmp.within_one_step["loihi"] > 0.8
    html = section.html(ctx, result)
    assert all(name in html for name in BACKENDS) and "within one step" in html
    (fig,) = section.figures(ctx, result)
    assert fig.filename == "bridge.png"


def test_bridge_section_skips_silent_data():
    silent = ss.SpikeTrains.from_list([[], []], t_stop=1.0)
    assert not Bridge().applies(Context(silent, ReportParams()))
