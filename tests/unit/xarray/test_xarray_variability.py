"""``ds.spikes`` methods for ISI variability, dispersion over time and pairs: equal to the numpy functions."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import spikestats as ss
import spikestats.xarray  # noqa: F401  (registers the accessor)
from spikestats.exceptions import ValidationError
from spikestats.stats import correlation, dispersion, intervals, plasticity
from spikestats.typing import DIM_TIME, DIM_TRAIN, DIM_UNIT


@pytest.fixture(scope="module")
def st() -> ss.SpikeTrains:
    rng = np.random.default_rng(1)
    trains = [np.sort(rng.uniform(0, 2, rng.poisson(40))) for _ in range(3 * 10)]
    return ss.SpikeTrains.from_list(trains, 0.0, 2.0, unit=np.repeat([7, 8, 9], 10), trial=np.tile(np.arange(10), 3))


@pytest.fixture(scope="module")
def ds(st) -> xr.Dataset:
    return st.to_xarray()


@pytest.mark.parametrize("name", ["cv", "cv2", "lv", "lvr"])
def test_isi_variability_per_train(ds, st, name):
    out = getattr(ds.spikes, name)()
    assert out.dims == (DIM_TRAIN,) and out.name == name and out.attrs["units"] == "1"
    np.testing.assert_array_equal(out.values, getattr(intervals, name)(st))
    np.testing.assert_array_equal(out.unit.values, st.unit)
    with_ci = getattr(ds.spikes, name)(ci=0.9)
    assert isinstance(with_ci, xr.Dataset) and with_ci.attrs["confidence"] == 0.9
    est = getattr(intervals, name)(st, ci=0.9)
    np.testing.assert_array_equal(with_ci[f"{name}_low"].values, est.low)
    np.testing.assert_array_equal(with_ci[f"{name}_high"].values, est.high)
    assert ds.spikes.lvr(0.01).attrs["r"] == 0.01


def test_fano_factor_sliding_and_interval(ds, st):
    out = ds.spikes.fano_factor(0.2, step=0.1)
    assert out.attrs["step"] == 0.1 and out.dims == (DIM_TRAIN,)
    np.testing.assert_array_equal(out.values, dispersion.fano_factor(st, 0.2, step=0.1))
    across = ds.spikes.fano_factor(ci=0.95)
    assert across["fano_factor"].ndim == 0
    assert float(across["fano_factor_low"]) == dispersion.fano_factor(st, ci=0.95).low


def test_time_resolved_and_mean_matched(ds, st):
    tr = ds.spikes.time_resolved_fano(0.4, 0.2)
    res = dispersion.time_resolved_fano(st, 0.4, 0.2)
    assert tr.fano_factor.dims == (DIM_UNIT, DIM_TIME) and tr.time.attrs["units"] == "s"
    np.testing.assert_array_equal(tr.fano_factor.values, res.fano)
    np.testing.assert_array_equal(tr.unit.values, [7, 8, 9])
    one = st.select(unit=8).to_xarray().spikes.time_resolved_fano(0.4, 0.2)
    assert one.fano_factor.shape == (1, res.times.size)
    mm = ds.spikes.mean_matched_fano(0.5, 0.5, bin_width=10.0, rng=4)
    ref = dispersion.mean_matched_fano(st, 0.5, 0.5, bin_width=10.0, rng=4)
    np.testing.assert_array_equal(mm.fano_factor.values, ref.fano)
    np.testing.assert_array_equal(mm.retained.values, ref.retained)


def test_pairs(ds, st):
    cc = ds.spikes.cross_correlogram(7, 8, 0.01, 0.05)
    ref = correlation.cross_correlogram(st.select(unit=7), st.select(unit=8), 0.01, 0.05)
    np.testing.assert_array_equal(cc["count"].values, ref.counts)
    assert cc.lag.attrs["units"] == "s"
    banded = ds.spikes.cross_correlogram(7, 8, 0.01, 0.05, surrogate="shuffle", n_surrogates=50, rng=0)
    assert {"surrogate_mean", "lower", "upper"} <= set(banded.data_vars) and banded.attrs["surrogate"] == "shuffle"
    sttc = ds.spikes.spike_time_tiling(7, 9, dt=0.01)
    np.testing.assert_array_equal(sttc.values, correlation.spike_time_tiling(st.select(unit=7), st.select(unit=9),
                                                                             0.01))
    r = ds.spikes.count_correlation()
    assert r.dims == (DIM_UNIT, "unit_b") and r.attrs["n_trials"] == 10
    np.testing.assert_allclose(np.diag(r.values), 1.0)


def test_stdp_per_trial(ds, st):
    dw = ds.spikes.stdp_weight_change(7, 8, pairing="nearest")
    assert dw.dims == ("trial",) and dw.attrs["pairing"] == "nearest" and dw.attrs["tau_plus"] == 0.02
    np.testing.assert_array_equal(dw.values, plasticity.stdp_weight_change(st.select(unit=7), st.select(unit=8),
                                                                           pairing="nearest"))


def test_pairs_with_mismatched_trials_fail(st):
    other = ss.SpikeTrains.concatenate([st.select(unit=7), st.select(unit=8)[:5]])
    with pytest.raises(ValidationError, match="same trials"):
        other.to_xarray().spikes.cross_correlogram(7, 8, 0.01, 0.05)
