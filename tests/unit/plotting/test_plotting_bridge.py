"""The backend comparison plot of the bridge: one row per neuron and backend, errors in the legend."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import spikestats as ss  # noqa: E402
from spikestats.exceptions import ValidationError, ValidationTypeError  # noqa: E402


@pytest.fixture(scope="module")
def comparison():
    rng = np.random.default_rng(0)
    net = ss.bridge.network_from_arrays("cuba_lif", 3, tau_mem=20e-3, tau_syn=5e-3, r=1e8, v_leak=-70e-3,
                                        v_reset=-70e-3, v_threshold=-50e-3, i_bias=0.05e-9,
                                        input_weights=rng.uniform(0.8e-9, 1.5e-9, (3, 4)))
    inputs = ss.generators.PoissonProcess(rate=20.0).simulate(4, 1.0, rng=rng)
    return ss.bridge.compare(net, inputs, dt=1e-3, backends=("float", "loihi"))


def test_rows_per_neuron_and_backend(comparison):
    fig, ax = plt.subplots()
    ss.plotting.bridge_comparison_plot(comparison, ax=ax)
    lines = ax.get_lines()
    assert [line.get_label().split()[0] for line in lines] == ["float", "loihi"]
    assert "within one step" in lines[1].get_label()
    for name, line in zip(("float", "loihi"), lines):
        n_spikes = comparison.spikes[name].n_spikes
        assert n_spikes > 3
        assert np.count_nonzero(~np.isnan(line.get_ydata())) == 2 * n_spikes  # a tick is two points
    assert [t.get_text() for t in ax.get_yticklabels()] == ["neuron 0", "neuron 1", "neuron 2"]
    plt.close(fig)


def test_bad_input(comparison):
    with pytest.raises(ValidationTypeError, match="compare"):
        ss.plotting.bridge_comparison_plot(object())
    with pytest.raises(ValidationError, match="neurons"):
        ss.plotting.bridge_comparison_plot(comparison, neurons=[5])
    plt.close("all")
