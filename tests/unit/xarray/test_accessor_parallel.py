"""ds.spikes reaches every public statistic with the function API's results; groupby over unit metadata."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import spikestats as ss
from parallel_tasks import RateEstimator
from spikestats import stats
from spikestats.stats import correlation, plasticity
from spikestats.xarray import SpikesAccessor

N_UNITS, N_TRIALS = 3, 4


@pytest.fixture(scope="module")
def st():
    base = ss.generators.PoissonProcess(25.0).simulate(N_UNITS * N_TRIALS, 2.0, rng=8)
    return ss.SpikeTrains(base.times, base.offsets, 0.0, 2.0, unit=np.repeat([10, 20, 30], N_TRIALS),
                          trial=np.tile(np.arange(N_TRIALS), N_UNITS))


def _pair(st):
    return st.select(unit=10), st.select(unit=20)


#: name in spikestats.stats.__all__ -> (accessor call -> numbers, function call -> the same numbers)
CALLS = {
    "firing_rate": (lambda a: a.firing_rate().values, lambda st: stats.firing_rate(st)),
    "psth": (lambda a: a.psth(0.1).rate.values, lambda st: stats.psth(st, 0.1).rate),
    "kernel_rate": (lambda a: a.kernel_rate(0.05).values, lambda st: stats.kernel_rate(st, 0.05).rates),
    "optimal_bandwidth": (lambda a: [a.optimal_bandwidth().item(), *a.optimal_bandwidth(per_train=True).values],
                          lambda st: [stats.optimal_bandwidth(st), *stats.optimal_bandwidth(st, per_train=True)]),
    "isi": (lambda a: a.isi().isi.values, lambda st: stats.isi(st).values),
    "cv": (lambda a: a.cv().values, lambda st: stats.cv(st)),
    "cv2": (lambda a: a.cv2().values, lambda st: stats.cv2(st)),
    "lv": (lambda a: a.lv().values, lambda st: stats.lv(st)),
    "lvr": (lambda a: a.lvr(0.004).values, lambda st: stats.lvr(st, 0.004)),
    "fano_factor": (lambda a: [a.fano_factor().item(), *a.fano_factor(0.25).values],
                    lambda st: [stats.fano_factor(st), *stats.fano_factor(st, 0.25)]),
    "time_resolved_fano": (lambda a: a.time_resolved_fano(0.5, 0.25).fano_factor.values.ravel(),
                           lambda st: np.ravel(stats.time_resolved_fano(st, 0.5, 0.25).fano)),
    "mean_matched_fano": (lambda a: a.mean_matched_fano(0.5, 0.25, bin_width=20.0, rng=3).fano_factor.values,
                          lambda st: stats.mean_matched_fano(st, 0.5, 0.25, bin_width=20.0, rng=3).fano),
    "cross_correlogram": (lambda a: a.cross_correlogram(10, 20, 0.01, 0.05)["count"].values,
                          lambda st: correlation.cross_correlogram(*_pair(st), 0.01, 0.05).counts),
    "spike_time_tiling": (lambda a: a.spike_time_tiling(10, 20, 0.01).values,
                          lambda st: correlation.spike_time_tiling(*_pair(st), 0.01)),
    "count_correlation": (lambda a: a.count_correlation().values, lambda st: stats.count_correlation(st).r),
    "stdp_weight_change": (lambda a: a.stdp_weight_change(10, 20).values,
                           lambda st: plasticity.stdp_weight_change(*_pair(st))),
}


def test_every_public_statistic_is_reachable_from_ds_spikes_with_equal_results(st):
    functions = [n for n in stats.__all__ if not inspect.isclass(getattr(stats, n))]
    classes = [n for n in stats.__all__ if inspect.isclass(getattr(stats, n))]
    assert set(classes) <= {"PSTH", "KernelRate", "Ragged", "Estimate", "TimeResolvedFano", "MeanMatchedFano",
                            "CrossCorrelogram", "CountCorrelation"}, "a new public class: reach it from ds.spikes"
    missing = [n for n in functions if not callable(getattr(SpikesAccessor, n, None))]
    assert not missing, f"not reachable as ds.spikes.<name>: {missing}"
    untested = sorted(set(functions) - set(CALLS))
    assert not untested, f"add a comparison with the function API to CALLS for {untested}"
    acc = st.to_xarray().spikes
    for name in functions:
        via_accessor, via_function = CALLS[name]
        np.testing.assert_array_equal(np.asarray(via_accessor(acc), dtype=float),
                                      np.asarray(via_function(st), dtype=float), err_msg=name)


@pytest.fixture(scope="module")
def ds(st):
    """The trains with per-train metadata: region and cell type per unit, and a per-trial tag (varies in a unit)."""
    region = np.where(st.unit == 30, "V1", "CA1")
    cell_type = np.where(st.unit == 10, "interneuron", "pyramidal")
    return st.to_xarray().assign_coords(region=("train", region), cell_type=("train", cell_type),
                                        stimulus=("train", np.tile(["a", "b"], st.n_trains // 2)))


def test_per_train_results_group_by_unit_metadata(ds, st):
    rates = ds.spikes.firing_rate()
    assert {"region", "cell_type", "stimulus"} <= set(rates.coords)
    by_region = rates.groupby("region").mean()
    np.testing.assert_allclose(by_region.sel(region="CA1").item(),
                               stats.firing_rate(st.select(unit=[10, 20])).mean(), rtol=1e-12)
    by_type = ds.spikes.cv().groupby("cell_type").mean()
    np.testing.assert_allclose(by_type.sel(cell_type="interneuron").item(), np.mean(stats.cv(st.select(unit=10))),
                               rtol=1e-12)
    assert ds.spikes.bin(0.1).groupby("region").sum().sizes == {"region": 2, "time": 20}
    np.testing.assert_array_equal(ds.spikes.fano_factor(0.5).region.values, ds.region.values)


def test_per_unit_results_carry_metadata_constant_within_units(ds, st):
    trf = ds.spikes.time_resolved_fano(0.5, 0.25)
    assert trf.region.dims == ("unit",) and trf.region.values.tolist() == ["CA1", "CA1", "V1"]
    assert "stimulus" not in trf.coords   # varies within a unit
    mean_by_region = trf.fano_factor.groupby("region").mean()
    assert mean_by_region.sizes == {"region": 2, "time": trf.sizes["time"]}
    corr = ds.spikes.count_correlation()
    assert corr.cell_type.values.tolist() == ["interneuron", "pyramidal", "pyramidal"]


def test_map_and_fit_units_from_the_accessor(ds, st):
    out = ds.spikes.map_units(stats.lv)
    assert out.dims == ("unit", "lv_dim_0") and out.region.values.tolist() == ["CA1", "CA1", "V1"]
    np.testing.assert_array_equal(out.sel(unit=20).values, stats.lv(st.select(unit=20)))
    fits = ds.spikes.fit_units(RateEstimator())
    by_region = fits.rate.groupby("region").mean()
    np.testing.assert_allclose(by_region.sel(region="V1").item(), RateEstimator().fit(st.select(unit=30)).rate_,
                               rtol=1e-12)


def test_changepoints_per_unit_equal_detect():
    a = ss.generators.PoissonProcess(5.0).simulate(3, 10.0, rng=1)
    b = ss.generators.PoissonProcess(30.0).simulate(3, 20.0, t_start=10.0, rng=2)
    flat = ss.generators.PoissonProcess(12.0).simulate(3, 20.0, rng=3)
    step = [np.concatenate([x, y]) for x, y in zip(a, b)]
    st = ss.SpikeTrains.from_list(step + list(flat), t_start=0.0, t_stop=20.0, unit=[1, 1, 1, 2, 2, 2],
                                  trial=[0, 1, 2, 0, 1, 2])
    out = st.to_xarray().spikes.changepoints(bin_size=0.1)
    assert out.n_changes.values.tolist() == [1, 0]
    for u in (1, 2):
        res = ss.changepoint.detect(st.select(unit=u), bin_size=0.1)
        got = out.change_times.sel(unit=u).values
        np.testing.assert_array_equal(got[np.isfinite(got)], res.change_times)
        rates = out.rates.sel(unit=u).values
        np.testing.assert_array_equal(rates[:res.rates.shape[0], :res.rates.shape[1]], res.rates)
    assert abs(out.change_times.sel(unit=1).values[0] - 10.0) <= 0.5


def test_fit_glm_per_unit_equals_fitting_each_unit(ds, st):
    glm = pytest.importorskip("spikestats.glm")
    if not hasattr(glm, "HistoryGLM"):
        pytest.skip("spikestats.glm.HistoryGLM is not there yet")

    def model():
        return glm.HistoryGLM(history=glm.RaisedCosineBasis(n_basis=4, t_max=0.03), bin_size=2e-3, alpha=1e-2)

    fits = ds.spikes.fit_glm(model())
    assert fits.attrs["estimator"].endswith("HistoryGLM") and fits.region.values.tolist() == ["CA1", "CA1", "V1"]
    for u in (10, 30):
        one = model().fit(st.select(unit=u))
        np.testing.assert_array_equal(fits.coef.sel(unit=u).values, one.coef_)
        assert fits.intercept.sel(unit=u).item() == one.intercept_ and fits.aic.sel(unit=u).item() == one.aic_
        np.testing.assert_array_equal(fits.stderr.sel(unit=u).values, one.stderr_)
    assert fits.unit_.values.tolist() == [10, 20, 30]   # the estimator's own unit_ beside the dimension
