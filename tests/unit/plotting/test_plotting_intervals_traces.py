"""ISI return map and neuron traces: they draw what they should and refuse what they cannot draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import spikestats as ss  # noqa: E402
from spikestats.exceptions import ValidationError, ValidationTypeError  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_return_map_pairs_stay_within_trains():
    st = ss.SpikeTrains.from_list([[0.0, 0.1, 0.3, 0.6], [5.0, 5.5, 7.0]], unit=["a", "b"], t_stop=10.0)
    ax = ss.plotting.isi_return_map(st, by="unit", log=False)
    clouds = [line for line in ax.lines if line.get_linestyle() == "None"]
    pairs = {lbl: list(zip(*line.get_data())) for lbl, line in zip("ab", clouds)}
    # train a: ISIs 0.1, 0.2, 0.3 -> (0.1, 0.2), (0.2, 0.3); train b: 0.5, 1.5 -> (0.5, 1.5); no pair across trains
    assert np.allclose(pairs["a"], [(0.1, 0.2), (0.2, 0.3)]) and np.allclose(pairs["b"], [(0.5, 1.5)])
    assert ax.get_xlabel() == "ISI k (s)" and ax.get_ylabel() == "ISI k+1 (s)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_return_map_subsamples_and_uses_log_axes():
    st = ss.generators.PoissonProcess(rate=50.0).simulate(n_trains=2, t_stop=100.0, rng=1)
    ax = ss.plotting.isi_return_map(st, max_points=500)
    (cloud,) = [line for line in ax.lines if line.get_linestyle() == "None"]
    assert len(cloud.get_xdata()) == 500 and ax.get_xscale() == "log"
    with pytest.raises(ValidationError, match="by"):
        ss.plotting.isi_return_map(st, by="trial")


def test_traces_plot_draws_the_recorded_potential_in_millivolts():
    model = ss.generators.AdEx.preset("tonic")
    spikes, traces = model.simulate(model.preset_current("tonic"), t_stop=0.2, n_neurons=2, rng=1, record=True)
    fig, (a, b) = plt.subplots(2)
    ss.plotting.traces_plot(traces, "v", ax=a, spikes=spikes)
    lines = [line for line in a.lines if line.get_linestyle() == "-"]
    assert len(lines) == 2
    assert np.allclose(lines[0].get_ydata(), traces["v"].values[:, 0] * 1e3)
    assert "mV" in a.get_ylabel()
    ss.plotting.traces_plot(traces, "w", ax=b, neurons=[1])
    assert "pA" in b.get_ylabel()
    with pytest.raises(ValidationError, match="variable"):
        ss.plotting.traces_plot(traces, "u")
    with pytest.raises(ValidationError, match="neurons"):
        ss.plotting.traces_plot(traces, neurons=[3])
    with pytest.raises(ValidationTypeError, match="traces"):
        ss.plotting.traces_plot(np.zeros(3))
