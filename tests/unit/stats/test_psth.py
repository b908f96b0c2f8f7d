"""psth: values, standard error, window conventions, bad input, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import spikestats as ss
from spikestats.exceptions import DataWarning, ValidationError
from spikestats.stats.psth import PSTH, psth
from spikestats.testing.strategies import spike_trains


@pytest.fixture
def st():
    return ss.SpikeTrains.from_list([[0.0, 0.1, 0.3, 0.999, 1.0], [0.05, 0.95], [0.55]], 0.0, 1.0)


def test_values(st):
    p = psth(st, 0.25)
    assert isinstance(p, PSTH) and p.n_trains == 3 and p.n_bins == 4
    np.testing.assert_allclose(p.edges, [0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(p.centers, [0.125, 0.375, 0.625, 0.875])
    counts = np.array([[2, 1, 0, 2], [1, 0, 0, 1], [0, 0, 1, 0]])  # the spike at t_stop is in the last bin
    np.testing.assert_array_equal(p.counts, counts)
    per_train = counts / 0.25
    np.testing.assert_allclose(p.rate, per_train.mean(axis=0), rtol=1e-15)
    np.testing.assert_allclose(p.se, per_train.std(axis=0, ddof=1) / np.sqrt(3), rtol=1e-15)
    assert p.bin_size == pytest.approx(0.25)
    assert "PSTH(n_trains=3, n_bins=4" in repr(p)


def test_window_and_partial_bins(st):
    p = psth(st, 0.3)  # 3 whole bins; the partial bin [0.9, 1.0] is dropped
    np.testing.assert_allclose(p.edges, [0.0, 0.3, 0.6, 0.9])
    assert p.counts.sum() == 5  # 0.0, 0.1, 0.05 | 0.3, 0.55 | none (0.95, 0.999, 1.0 lie beyond 0.9)
    q = psth(st, 0.1, t_start=0.5, t_stop=0.8)
    np.testing.assert_allclose(q.edges, [0.5, 0.6, 0.7, 0.8])
    np.testing.assert_array_equal(q.counts.sum(axis=0), [1, 0, 0])


def test_single_train_has_nan_se():
    with pytest.warns(DataWarning, match="at least 2 trains"):
        p = psth(np.array([0.1, 0.2, 0.7]), 0.25, t_stop=1.0)
    np.testing.assert_allclose(p.rate, [8.0, 0.0, 4.0, 0.0])
    assert np.all(np.isnan(p.se))


@pytest.mark.parametrize("bad", [0.0, -0.1, np.nan, np.inf])
def test_bad_bin_size(st, bad):
    with pytest.raises(ValidationError, match="`bin_size` must be"):
        psth(st, bad)


def test_bad_windows(st):
    with pytest.raises(ValidationError, match="`bin_size` must be <= the window length"):
        psth(st, 2.0)
    with pytest.raises(ValidationError, match="`t_stop` must be <= 1.0"):
        psth(st, 0.1, t_stop=1.5)
    with pytest.raises(ValidationError, match="`t_start` must be >= 0.0"):
        psth(st, 0.1, t_start=-0.5)


def test_empty_trains_give_zero_rate():
    p = psth(ss.SpikeTrains.from_list([[], []], 0.0, 1.0), 0.5)
    np.testing.assert_array_equal(p.rate, 0.0)
    np.testing.assert_array_equal(p.se, 0.0)


@given(spike_trains(max_trains=5, max_spikes=30, common_window=True, min_trains=2))
def test_psth_conserves_spikes(st):
    """rate * bin_size * n_trains summed over bins is the number of spikes in the whole bins."""
    dur = float(st.t_stop[0] - st.t_start[0])
    p = psth(st, dur / 7.5)  # 7 whole bins
    inside = np.sum((st.times >= p.edges[0]) & (st.times <= p.edges[-1]))
    assert p.counts.sum() == inside
    # bin_size is a difference of edges: relative rounding ~ eps * |edge| / bin_size
    rel = 1e-12 + 8 * np.finfo(float).eps * np.abs(p.edges).max() / p.bin_size
    assert p.rate.sum() * p.bin_size * p.n_trains == pytest.approx(inside, rel=rel, abs=1e-9)
    assert np.all(p.se >= 0)


def test_psth_and_kernel_rate_plots(st):
    """The plotting helpers of spikestats.plotting.rates draw the PSTH band and one line per unit."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from spikestats.plotting.rates import kernel_rate_plot, psth_plot
    from spikestats.stats.kernel_rate import kernel_rate

    p = psth(st, 0.25)
    fig, (a, b) = plt.subplots(1, 2)
    psth_plot(p.edges, p.rate, p.se, ax=a, label="unit 1")
    np.testing.assert_allclose(a.lines[0].get_xdata(), p.edges)
    assert len(a.collections) == 1 and a.get_xlabel() == "time (s)"
    est = kernel_rate(st, 0.05, sampling_period=0.01)
    kernel_rate_plot(est.times, est.rates, ax=b, labels=["a", "b", "c"])
    assert len(b.lines) == 3 and b.get_ylabel() == "rate (Hz)"
    with pytest.raises(ValidationError, match="`edges` must be of length"):
        psth_plot(p.edges[:-1], p.rate)
    plt.close(fig)
