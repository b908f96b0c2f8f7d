"""Time-rescaling test: exact integrals, the discrete-time correction, result fields, plots and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import spikestats as ss
from spikestats.exceptions import DataWarning, ValidationError
from spikestats.glm.goodness_of_fit import time_rescaling_test


def test_pair_and_callable_rescale_by_the_exact_integral():
    st = ss.SpikeTrains.from_list([[0.1, 0.35, 0.9]], t_start=0.0, t_stop=1.0)
    pair = (np.array([0.0, 0.5, 1.0]), np.array([10.0, 30.0]))
    res = time_rescaling_test(st, pair, correction=False)
    expect = [0.25 * 10, 0.15 * 10 + 0.4 * 30]
    np.testing.assert_allclose(res.intervals, expect, rtol=1e-12)
    np.testing.assert_allclose(res.rescaled, 1 - np.exp(-np.array(expect)), rtol=1e-12)
    assert res.n == 2 and not res.corrected
    # a callable of time: midpoint rule, exact for a piecewise-constant rate with edges on the grid
    res2 = time_rescaling_test(st, lambda t: np.where(t < 0.5, 10.0, 30.0), bin_size=0.05)
    np.testing.assert_allclose(res2.intervals, expect, rtol=1e-12)
    # per-train rates and a pair of edges
    st2 = ss.SpikeTrains.from_list([[0.1, 0.2], [0.1, 0.3]], t_start=0.0, t_stop=1.0)
    res3 = time_rescaling_test(st2, (np.array([0.0, 1.0]), np.array([[5.0], [7.0]])), correction=False)
    np.testing.assert_allclose(res3.intervals, [0.5, 1.4], rtol=1e-12)
    np.testing.assert_array_equal(res3.train, [0, 1])


def test_ks_statistic_band_and_acf_fields(rng):
    st = ss.generators.PoissonProcess(rate=20.0).simulate(n_trains=4, t_stop=20.0, rng=1)
    res = time_rescaling_test(st, lambda t: np.full(t.shape, 20.0))
    ks = stats.kstest(res.rescaled, "uniform")
    assert res.statistic == ks.statistic and res.pvalue == ks.pvalue
    assert res.ks_band == pytest.approx(1.36 / np.sqrt(res.n)) and res.acf_band == pytest.approx(1.96 / np.sqrt(res.n))
    assert res.n == st.n_spikes - 4
    assert res.autocorrelation.shape == (20,)
    g = stats.norm.ppf(res.rescaled)
    g -= g.mean()
    same = res.train[1:] == res.train[:-1]
    assert res.autocorrelation[0] == pytest.approx(g[1:][same] @ g[:-1][same] / (g @ g), rel=1e-12)
    assert "TimeRescalingResult(statistic=" in repr(res)


def test_discrete_correction_matches_the_formula():
    st = ss.SpikeTrains.from_list([[0.0015, 0.0042, 0.0043, 0.0071]], t_start=0.0, t_stop=0.01)
    rates = np.arange(1.0, 11.0) * 50.0
    res = time_rescaling_test(st, rates, bin_size=0.001, rng=7)
    q = rates * 0.001
    r = np.random.default_rng(7).random(3)  # one draw per spike bin (bins 1, 4, 7; the second spike of bin 4 counts once)
    delta = -np.log(1 - r * (1 - np.exp(-q[[1, 4, 7]])))
    expect = [q[2:4].sum() + delta[1], q[5:7].sum() + delta[2]]
    np.testing.assert_allclose(res.intervals, expect, rtol=1e-12)
    assert res.corrected


def test_pairs_are_binned_and_coarse_pieces_warn():
    st = ss.generators.PoissonProcess(rate=30.0).simulate(n_trains=2, t_stop=5.0, rng=8)
    grid = np.arange(0.0, 5.0005, 0.001)
    fine = time_rescaling_test(st, (grid, np.full(grid.size, 30.0)), rng=1)
    by_array = time_rescaling_test(st, np.full(5000, 30.0), bin_size=0.001, rng=1)
    assert fine.corrected and np.allclose(fine.intervals, by_array.intervals, rtol=1e-9)
    with pytest.warns(DataWarning, match="pass correction=False"):
        time_rescaling_test(st, (np.array([0.0, 2.5, 5.0]), np.array([30.0, 30.0])), rng=1)


def test_correction_is_reproducible_and_rng_dependent():
    st = ss.generators.PoissonProcess(rate=50.0).simulate(n_trains=2, t_stop=5.0, rng=2)
    a = time_rescaling_test(st, np.full(5000, 50.0), bin_size=0.001, rng=3)
    b = time_rescaling_test(st, np.full(5000, 50.0), bin_size=0.001, rng=3)
    c = time_rescaling_test(st, np.full(5000, 50.0), bin_size=0.001, rng=4)
    np.testing.assert_array_equal(a.rescaled, b.rescaled)
    assert not np.array_equal(a.rescaled, c.rescaled)


def test_refractory_cell_rejected_by_a_poisson_model():
    st = ss.generators.PoissonProcess(rate=40.0, dead_time=0.01).simulate(n_trains=5, t_stop=20.0, rng=5)
    rate = ss.stats.firing_rate(st).mean()
    res = time_rescaling_test(st, lambda t: np.full(t.shape, rate))
    assert res.pvalue < 1e-10 and not res.within_band


def test_plot_draws_the_curve_and_bands():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    st = ss.generators.PoissonProcess(rate=20.0).simulate(n_trains=1, t_stop=10.0, rng=1)
    res = time_rescaling_test(st, lambda t: np.full(t.shape, 20.0))
    fig, ax = plt.subplots()
    assert res.plot(ax=ax) is ax and len(ax.lines) == 4
    plt.close(fig)


def test_bad_inputs():
    st = ss.SpikeTrains.from_list([[0.1, 0.5]], t_start=0.0, t_stop=1.0)
    with pytest.raises(ValidationError, match="`bin_size` must be given"):
        time_rescaling_test(st, np.ones(10))
    with pytest.raises(ValidationError, match="`intensity` must be long enough to cover train 0"):
        time_rescaling_test(st, np.ones(10), bin_size=0.01)
    with pytest.raises(ValidationError, match="`intensity` must be defined over train 0"):
        time_rescaling_test(st, (np.array([0.0, 0.5]), np.array([1.0])))
    with pytest.raises(ValidationError, match="`intensity` must be finite and >= 0"):
        time_rescaling_test(st, (np.array([0.0, 1.0]), np.array([-1.0])))
    with pytest.raises(ValidationError, match="`st` must be trains with at least two spikes"):
        time_rescaling_test(ss.SpikeTrains.from_list([[0.1]], t_start=0, t_stop=1), lambda t: 0 * t + 1)
    with pytest.raises(ValidationError, match="calling it failed"):
        time_rescaling_test(st, lambda t: t["x"])
