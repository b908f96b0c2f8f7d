"""detect(): change times in seconds, rates with intervals, population changes; bad input fails clearly."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.changepoint import PELT, ChangePointResult, crops, detect
from spikestats.changepoint.search import default_bin_size
from spikestats.exceptions import ValidationError, ValidationTypeError


@pytest.fixture
def step_train() -> ss.SpikeTrains:
    rng = np.random.default_rng(2)
    t = np.sort(np.r_[rng.uniform(0, 6, rng.poisson(30)), rng.uniform(6, 10, rng.poisson(100))])
    return ss.SpikeTrains.from_list([t], t_stop=10.0)


def test_detect_counts_gives_times_rates_and_intervals_in_seconds():
    rng = np.random.default_rng(0)
    x = rng.poisson(np.r_[np.full(600, 0.05), np.full(400, 0.25)])
    res = detect(x, bin_size=0.01, t_start=1.0)
    assert isinstance(res, ChangePointResult) and res.n_changes == 1
    k = int(res.change_points[0])
    assert res.change_times[0] == pytest.approx(1.0 + 0.01 * k) and abs(k - 600) <= 20
    assert res.edges.tolist() == pytest.approx([1.0, res.change_times[0], 11.0])
    np.testing.assert_allclose(res.rates, [x[:k].mean() / 0.01, x[k:].mean() / 0.01])
    assert np.all(res.rate_intervals[:, 0] < res.rates) and np.all(res.rates < res.rate_intervals[:, 1])
    lo, hi = res.intervals[0]
    assert lo <= res.change_times[0] <= hi and hi - lo < 1.0
    assert res.interval_method == "profile likelihood" and res.units_changed is None
    assert res.penalty == pytest.approx(2 * np.log(1000))
    assert res.objective == pytest.approx(PELT().fit(x).objective_)


def test_shifting_time_shifts_changes_and_scaling_time_scales_rates():
    x = np.random.default_rng(9).poisson(np.r_[np.full(300, 0.5), np.full(300, 2.0)])
    base = detect(x, bin_size=0.01)
    shifted = detect(x, bin_size=0.01, t_start=100.0)
    np.testing.assert_allclose(shifted.change_times, base.change_times + 100.0)
    np.testing.assert_allclose(shifted.intervals, base.intervals + 100.0)
    slow = detect(x, bin_size=0.02)  # every bin twice as long: times x 2, rates / 2
    np.testing.assert_allclose(slow.change_times, 2 * base.change_times)
    np.testing.assert_allclose(slow.rates, base.rates / 2)
    np.testing.assert_allclose(slow.rate_intervals, base.rate_intervals / 2)


def test_garwood_intervals_of_segment_rates():
    from scipy.stats import chi2

    x = np.r_[np.zeros(50, dtype=int), np.full(50, 2)]
    res = detect(x, bin_size=0.1)
    assert res.change_points.tolist() == [50]
    lo, hi = chi2.ppf(0.025, 200) / 2 / 5.0, chi2.ppf(0.975, 202) / 2 / 5.0
    np.testing.assert_allclose(res.rate_intervals[1], [lo, hi], rtol=1e-10)
    np.testing.assert_allclose(res.rate_intervals[0], [0.0, chi2.ppf(0.975, 2) / 2 / 5.0], rtol=1e-10)


def test_detect_on_spike_trains_binned_and_in_continuous_time(step_train):
    binned = detect(step_train)
    assert binned.n_changes == 1 and abs(binned.change_times[0] - 6.0) < 0.5
    assert binned.edges[0] == 0.0 and binned.edges[-1] == 10.0
    cont = detect(step_train, cost="exponential")
    assert cont.change_points is None and cont.n_changes == 1 and abs(cont.change_times[0] - 6.0) < 0.5
    assert cont.change_times[0] in step_train.times  # a change sits at a spike
    n_before = np.sum(step_train.times <= cont.change_times[0])
    assert cont.rates[0] == pytest.approx(n_before / cont.change_times[0])
    assert detect(step_train, method="wbs", rng=0).change_times.tolist() == binned.change_times.tolist()
    assert default_bin_size(10.0) == 0.01 and default_bin_size(3.0) == pytest.approx(0.002)


def test_population_reports_which_units_changed():
    rng = np.random.default_rng(4)
    up = np.r_[np.full(500, 0.05), np.full(500, 0.3)]
    flat = np.full(1000, 0.1)
    x = rng.poisson(np.vstack([up, up[::-1], flat, flat]))
    res = detect(x, bin_size=0.01)
    assert res.n_changes == 1 and abs(res.change_points[0] - 500) <= 25
    assert res.rates.shape == (4, 2) and res.rate_intervals.shape == (4, 2, 2)
    assert res.units_changed.tolist() == [[True, True, False, False]]
    st = ss.SpikeTrains.from_raster(x, 0.01, unit=["a", "b", "c", "d"])
    res_st = detect(st, bin_size=0.01)
    assert res_st.units.tolist() == ["a", "b", "c", "d"] and res_st.change_times.tolist() == pytest.approx(
        res.change_times.tolist())


def test_result_plot_from_detect(step_train):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    ax = detect(step_train).plot(ax=Figure().add_subplot())
    assert ax.get_xlim() == (0.0, 10.0)


def test_normal_costs_report_means(rng):
    x = np.r_[rng.normal(0, 1, 200), rng.normal(3, 1, 200)] + 10.0
    res = detect(x, cost="normal_mean")
    assert res.change_points.tolist() == pytest.approx([200], abs=3)
    assert res.rates == pytest.approx([10.0, 13.0], abs=0.3)
    assert detect(x, cost="normal_meanvar").n_changes == 1


# ---------------------------------------------------------------- bad input
def test_negative_counts_fail():
    with pytest.raises(ValidationError, match="`x` must be non-negative spike counts; got -1.0 at index 3"):
        PELT().fit([0, 1, 2, -1, 3])
    with pytest.raises(ValidationError, match="whole-number"):
        PELT().fit([0.5, 1, 2])


def test_empty_trains_fail():
    with pytest.raises(ValidationError, match="at least one spike"):
        detect(ss.SpikeTrains.from_list([[]], t_stop=5.0))
    with pytest.raises(ValidationError, match="non-empty"):
        PELT().fit(np.array([]))
    with pytest.raises(ValidationError, match="non-empty"):
        detect(np.zeros((3, 0)))


def test_min_size_longer_than_the_data_fails():
    with pytest.raises(ValidationError, match=r"`min_size` must be <= the number of samples \(5\); got 6"):
        PELT(min_size=6).fit(np.ones(5))
    with pytest.raises(ValidationError, match="`min_size` must be >= 1"):
        detect(np.ones(5), min_size=0)


def test_nan_fails():
    with pytest.raises(ValidationError, match="`x` must be finite.*nan at flat index 2"):
        PELT(cost="normal_mean").fit([0.0, 1.0, np.nan])
    with pytest.raises(ValidationError, match="finite"):
        detect(np.array([1.0, np.inf, 2.0]))


@pytest.mark.parametrize("penalty", [0, -1.0, 0.0])
def test_non_positive_penalty_fails(penalty):
    with pytest.raises(ValidationError, match="`penalty` must be > 0"):
        PELT(penalty=penalty).fit(np.ones(10))
    with pytest.raises(ValidationError, match="`penalty` must be > 0"):
        detect(np.ones(10), penalty=penalty)


def test_options_and_types_fail_with_suggestions(step_train):
    with pytest.raises(ValidationError, match="Did you mean 'poisson'"):
        detect(np.ones(10), cost="poison")
    with pytest.raises(ValidationError, match="Did you mean 'pelt'"):
        detect(np.ones(10), method="pel")
    with pytest.raises(ValidationError, match="Did you mean 'bic'"):
        detect(np.ones(10), penalty="bik")
    with pytest.raises(ValidationTypeError, match="`penalty` must be one of"):
        PELT(penalty=None).fit(np.ones(10))
    with pytest.raises(ValidationError, match="0 or 1 in every bin"):
        detect(np.array([0, 2, 1]), cost="bernoulli")
    with pytest.raises(ValidationError, match="one spike train for the continuous-time"):
        detect(ss.SpikeTrains.from_list([[1.0], [2.0]], t_stop=3.0), cost="exponential")
    with pytest.raises(ValidationError, match="intervals > 0"):
        PELT(cost="exponential").fit([0.1, 0.0, 0.2])
    with pytest.raises(ValidationError, match="`confidence` must be a coverage"):
        detect(step_train, confidence=1.5)
    with pytest.raises(ValidationError, match="low < high"):
        crops(np.ones(10), (5.0, 1.0))
    with pytest.raises(ValidationError, match="`variance` must be > 0"):
        PELT(cost=ss.changepoint.NormalMeanCost(variance=0.0)).fit(np.ones(10))
