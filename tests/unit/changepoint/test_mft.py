"""multiple_filter_test: kernels against naive twins, selection, detection, the guards and bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from spikestats._kernels.mft import filter_derivative, limit_maxima, limit_maxima_parallel
from spikestats.changepoint import mft as mft_module
from spikestats.changepoint.mft import MFTNull, MFTResult, mft_null, multiple_filter_test
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import DataWarning, ValidationError, ValidationTypeError
from tests.reference import naive_mft


def _step_train(rng, rates, change, t_stop):
    """Poisson spikes at ``rates[0]`` before ``change`` and ``rates[1]`` after, on [0, t_stop]."""
    a = np.sort(rng.uniform(0, change, rng.poisson(rates[0] * change)))
    b = np.sort(rng.uniform(change, t_stop, rng.poisson(rates[1] * (t_stop - change))))
    return np.concatenate([a, b])


@pytest.mark.parametrize("m", [2, 5, 11])
def test_filter_derivative_equals_naive_twin(m, rng):
    times = _step_train(rng, (5.0, 15.0), 6.0, 12.0)
    times = np.concatenate([times[:20], times[20:23] + 0.0, times[23:]])  # a sparse and a dense stretch
    times[40:43] = times[40]  # coincident spikes: zero-length intervals
    times = np.sort(times)
    dt = 0.05
    n_grid = int(round(12.0 / dt))
    got = filter_derivative(times, 0.0, dt, m, n_grid)
    want = naive_mft.filter_derivative(times, 0.0, dt, m, n_grid)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_filter_derivative_borrows_the_other_window_and_is_zero_without_any():
    times = np.array([0.1, 0.3, 0.6, 0.8, 0.95])  # nothing after 1 s
    g = filter_derivative(times, 0.0, 0.1, 5, 20)
    want = naive_mft.filter_derivative(times, 0.0, 0.1, 5, 20)
    np.testing.assert_allclose(g, want, rtol=1e-12)
    assert g[5] < 0 and np.isfinite(g).all()  # t = 1.0: the silent right window borrows the left ratio
    assert g[-1] == 0.0  # both windows empty


def test_limit_maxima_equal_naive_twin_and_parallel_twin():
    key = np.uint64(12345)
    steps = np.array([3, 7], dtype=np.int64)
    a = limit_maxima(key, 6, 0.1, 60, steps)
    b = limit_maxima_parallel(key, 6, 0.1, 60, steps)
    c = naive_mft.limit_maxima(key, 6, 0.1, 60, steps)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a, c, rtol=1e-12)


def test_selection_equals_the_naive_algorithm(rng):
    times = [np.arange(50) * 0.1 + 1.0, np.arange(40) * 0.1 + 2.0]
    procs = [rng.normal(0, 2, 50), rng.normal(0, 2, 40)]
    procs[0][[10, 11, 30]] = [9.0, 8.5, -7.0]
    procs[1][[5, 25]] = [6.0, 9.0]
    steps = np.array([4, 8])
    windows = steps * 0.1
    crit = np.array([3.0, 3.5])
    got = mft_module._select(procs, times, steps, windows, crit)
    want = naive_mft.select(procs, times, steps, windows, crit)
    np.testing.assert_allclose(got, want)
    # a threshold below every value still ends (each pass removes a neighbourhood)
    all_in = mft_module._select(procs, times, steps, windows, np.array([-1.0, -1.0]))
    assert np.allclose(all_in, naive_mft.select(procs, times, steps, windows, [-1.0, -1.0]))


def test_detects_a_rate_step_with_small_localisation_error(rng):
    times = _step_train(rng, (20.0, 40.0), 60.0, 120.0)
    st = SpikeTrains.from_list([times], t_stop=120.0)
    res = multiple_filter_test(st, [5.0, 10.0], rng=1, n_simulations=2000)
    assert isinstance(res, MFTResult) and res.method == "mft" and res.change_points is None
    assert res.n_changes == 1 and abs(res.change_times[0] - 60.0) < 2.5
    assert res.statistic > res.threshold and res.p_value < 0.01
    assert res.rates[0] == pytest.approx(20.0, abs=5) and res.rates[1] == pytest.approx(40.0, abs=7)
    assert np.all(res.rate_intervals[:, 0] < res.rates) and np.all(res.rates < res.rate_intervals[:, 1])
    assert res.edges[0] == 0.0 and res.edges[-1] == 120.0
    assert len(res.processes) == 2 and res.processes[0].shape == res.process_times[0].shape
    assert res.process_times[0][0] == pytest.approx(5.0) and res.process_times[0][-1] == pytest.approx(115.0)
    assert res.critical_values().shape == (2,)
    assert "MFTResult(" in repr(res) and "p_value" in repr(res)


def test_reused_null_gives_the_same_answer_and_is_seeded(rng):
    times = _step_train(rng, (30.0, 15.0), 40.0, 100.0)
    null = mft_null(100.0, [8.0, 16.0], n_simulations=500, rng=7)
    assert "n_simulations=500" in repr(null)
    again = mft_null(100.0, [16.0, 8.0], n_simulations=500, rng=7, parallel=False)
    np.testing.assert_array_equal(null.maxima, again.maxima)
    a = multiple_filter_test(times, [8.0, 16.0], null=null, t_stop=100.0)
    b = multiple_filter_test(times, [8.0, 16.0], rng=7, n_simulations=500, t_stop=100.0)
    np.testing.assert_array_equal(a.change_times, b.change_times)
    assert a.threshold == b.threshold
    with pytest.raises(ValidationError, match="MFTNull for windows"):
        multiple_filter_test(times, [8.0, 12.0], null=null, t_stop=100.0)
    with pytest.raises(ValidationError, match="MFTNull for windows"):
        multiple_filter_test(times, [8.0, 16.0], null=null, t_stop=90.0)


def test_threshold_and_p_value_of_a_known_null():
    maxima = np.arange(1.0, 101.0)[:, None]
    null = MFTNull(windows=np.array([1.0]), steps=np.array([10]), time_step=0.1, n_grid=100, maxima=maxima,
                   mean=maxima.mean(axis=0), sd=maxima.std(axis=0, ddof=1))
    g = null.global_maxima
    assert null.threshold(0.05) == pytest.approx(np.quantile(g, 0.95))
    assert null.p_value(g.max() + 1) == pytest.approx(1 / 101)
    assert null.p_value(g.min()) == 1.0


class TestGuardsAndBadInput:
    times = np.sort(np.random.default_rng(0).uniform(0, 100, 2000))

    @pytest.mark.parametrize("alpha", [0.95, 5, 95, 0.0, -0.1, 0.6])
    def test_alpha_outside_the_familywise_range(self, alpha):
        """Elephant hangs with a percentage alpha >= ~50 (negative threshold); here any alpha > 0.5 is refused."""
        with pytest.raises(ValidationError, match=r"familywise significance level in \(0, 0.5\]") as info:
            multiple_filter_test(self.times, [5.0], alpha=alpha, t_stop=100.0, n_simulations=500)
        if alpha in (5, 95):
            assert "Elephant" in str(info.value)

    def test_alpha_type(self):
        with pytest.raises(ValidationTypeError):
            multiple_filter_test(self.times, [5.0], alpha="0.05", t_stop=100.0)

    def test_window_shorter_than_two_grid_steps(self):
        """Elephant's selection never ends when a window is shorter than its step."""
        with pytest.raises(ValidationError, match="two grid steps"):
            multiple_filter_test(self.times, [1.0], time_step=1.0, t_stop=100.0)

    def test_too_few_simulations_for_alpha(self):
        with pytest.raises(ValidationError, match="enough simulated paths"):
            multiple_filter_test(self.times, [5.0], alpha=0.01, n_simulations=500, t_stop=100.0)

    def test_simulation_work_is_bounded(self):
        with pytest.raises(ValidationError, match="bounded work"):
            mft_null(1e4, [1.0], time_step=0.001, n_simulations=10_000)

    @pytest.mark.parametrize("windows, match", [
        ([60.0], "shorter than half the data"),
        ([50.0], "shorter than half the data"),
        ([0.0], "positive"),
        ([-2.0], "positive"),
        ([], "non-empty"),
        ([5.0, 5.0], "distinct"),
        ([5.0, 7.3], "whole multiples of time_step"),
        ([np.nan], "finite"),
    ])
    def test_bad_windows(self, windows, match):
        with pytest.raises(ValidationError, match=match):
            multiple_filter_test(self.times, windows, t_stop=100.0, n_simulations=500)

    def test_bad_trains(self):
        with pytest.raises(ValidationError, match="at least 3 spikes"):
            multiple_filter_test(SpikeTrains.from_list([np.empty(0)], t_stop=100.0), [5.0])
        with pytest.raises(ValidationError, match="one spike train"):
            multiple_filter_test([self.times, self.times], [5.0])
        with pytest.raises(ValidationError, match="finite"):
            multiple_filter_test(np.array([1.0, np.nan, 3.0]), [0.5])
        with pytest.raises(ValidationError, match="sorted"):
            multiple_filter_test(SpikeTrains(np.array([3.0, 1.0, 2.0]), [0, 3], 0.0, 4.0), [0.5])

    def test_sparse_windows_warn(self):
        sparse = self.times[::40]  # 0.5 Hz
        with pytest.warns(DataWarning, match="liberal"):
            multiple_filter_test(sparse, [20.0], t_stop=100.0, n_simulations=500, rng=0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", DataWarning)
            multiple_filter_test(self.times, [5.0], t_stop=100.0, n_simulations=500, rng=0)
