"""spikestats.parallel: per-unit work serially and on a LocalCluster (loopback) with equal results."""

from __future__ import annotations

import functools
import socket
import sys
import time

import numpy as np
import pytest

import spikestats as ss
from parallel_tasks import (RateEstimator, count_and_draw, dask_client, fail_on_unit,  # noqa: F401 (fixture)
                            history_design, warn_on_even_units)
from spikestats.exceptions import DataWarning, ValidationError, ValidationTypeError
from spikestats.parallel import SchedulerUnreachableError, clone_estimator, fit_units, map_units


@pytest.fixture
def client(dask_client):
    """The session's two-process LocalCluster (tests/parallel_tasks.py)."""
    return dask_client


@pytest.fixture(scope="module")
def st():
    """12 units x 3 trials of 20 Hz Poisson trains, units listed out of order (7, 3, 11, ...)."""
    base = ss.generators.PoissonProcess(20.0).simulate(36, 2.0, rng=5)
    units = np.repeat(np.array([7, 3, 11, 0, 5, 9, 1, 2, 4, 6, 8, 10]), 3)
    return ss.SpikeTrains(base.times, base.offsets, 0.0, 2.0, unit=units, trial=np.tile([0, 1, 2], 12))


def test_map_units_equals_the_loop_over_units(st):
    out = map_units(ss.stats.cv, st)
    assert out.dims == ("unit", "cv_dim_0") and out.name == "cv"
    assert out.unit.values.tolist() == sorted(set(st.unit.tolist()))
    for u in out.unit.values:
        np.testing.assert_array_equal(out.sel(unit=u).values, ss.stats.cv(st.select(unit=u)))
    assert out.n_trials.values.tolist() == [3] * 12
    assert out.n_spikes.values.tolist() == [st.select(unit=u).n_spikes for u in out.unit.values]
    as_list = map_units(ss.stats.cv, st, combine="list")
    assert len(as_list) == 12 and all(np.array_equal(a, b) for a, b in zip(as_list, out.values))


def test_map_units_scalars_kwargs_and_results_that_stay_lists(st):
    rates = map_units(ss.stats.fano_factor, st, window=0.5, name="ff")
    assert rates.name == "ff" and rates.shape == (12, 3)
    np.testing.assert_array_equal(rates.sel(unit=3).values, ss.stats.fano_factor(st.select(unit=3), 0.5))
    counts = map_units(lambda s: s.n_spikes, st)
    assert counts.name == "result" and counts.dtype.kind == "i"
    objs = map_units(lambda s: s, st)
    assert isinstance(objs, list) and objs[0] == st.select(unit=0)
    with pytest.raises(ValidationError, match=r"`combine` must be 'list' or 'auto'.*SpikeTrains"):
        map_units(lambda s: s, st, combine="xarray")


def test_map_units_on_a_cluster_equals_serial(st, client):
    serial = map_units(ss.stats.lv, st)
    for batch_size in (None, 1, 5):
        assert map_units(ss.stats.lv, st, client, batch_size=batch_size).identical(serial)
    part = functools.partial(ss.stats.fano_factor, window=0.25)
    assert map_units(part, st, client).identical(map_units(part, st))


def test_zarr_summary_on_a_cluster_equals_serial(tmp_path, client):
    pytest.importorskip("zarr")
    path = ss.parallel.write_poisson_zarr(tmp_path / "s.zarr", 6, 3.0, 20.0, n_trials=2, chunk_spikes=100, rng=4)
    serial = ss.parallel.count_summary_zarr(path, 0.5, block_spikes=150)
    assert serial.attrs["n_blocks"] > 2
    assert ss.parallel.count_summary_zarr(path, 0.5, block_spikes=150, client=client).identical(serial)


def test_rng_streams_do_not_depend_on_where_or_how_units_are_batched(st, client):
    serial = map_units(count_and_draw, st, rng=42)
    assert map_units(count_and_draw, st, client, rng=42, batch_size=5).identical(serial)
    assert map_units(count_and_draw, st, client, rng=42, batch_size=1).identical(serial)
    draws = serial.values - serial.n_spikes.values
    assert np.unique(draws).size == 12 and np.all((draws >= 0) & (draws < 1))
    assert not map_units(count_and_draw, st, rng=43).identical(serial)


def test_fit_units_gathers_fitted_attributes_over_unit(st):
    est = RateEstimator(prior_count=1.0)
    ds = fit_units(st, est, fit_params={"scale": 2.0})
    assert not hasattr(est, "rate_")   # the estimator itself is not fitted
    assert set(ds.data_vars) == {"rate", "stderr", "trial_rates", "spike_times"}
    for u in (0, 7):
        one = RateEstimator(prior_count=1.0).fit(st.select(unit=u), scale=2.0)
        assert ds.rate.sel(unit=u).item() == one.rate_ and ds.stderr.sel(unit=u).item() == one.stderr_
        np.testing.assert_array_equal(ds.trial_rates.sel(unit=u).values, one.trial_rates_)
        row = ds.spike_times.sel(unit=u).values
        np.testing.assert_array_equal(row[:one.spike_times_.size], one.spike_times_)
        assert np.all(np.isnan(row[one.spike_times_.size:]))   # ragged attribute, NaN-padded
    assert ds.trial_rates.dims == ("unit", "trial_rates_dim_0") and "padded" in ds.spike_times.attrs
    assert ds.attrs["skipped"] == "label"
    assert ds.attrs["estimator"] == "parallel_tasks.RateEstimator"
    assert ds.attrs["estimator_params"] == '{"prior_count": 1.0}'


def test_fit_units_on_a_cluster_equals_serial(st, client):
    serial = fit_units(st, RateEstimator(), fit_params={"scale": 0.5})
    assert fit_units(st, RateEstimator(), client, fit_params={"scale": 0.5}).identical(serial)
    assert fit_units(st, RateEstimator(), client.scheduler.address, batch_size=2,
                     fit_params={"scale": 0.5}).identical(serial)


def test_glm_fits_per_unit_on_a_cluster_equal_the_serial_loop(st, client):
    glm = pytest.importorskip("spikestats.glm").PoissonGLM
    serial = fit_units(st, glm(alpha=1e-3), prepare=history_design)
    assert serial.coef.dims == ("unit", "coef_dim_0") and serial.stderr.shape == (12, 6)
    one = glm(alpha=1e-3).fit(*history_design(st.select(unit=3)))
    assert serial.intercept.sel(unit=3).item() == one.intercept_
    np.testing.assert_array_equal(serial.coef.sel(unit=3).values, one.coef_)
    np.testing.assert_array_equal(serial.stderr.sel(unit=3).values, one.stderr_)
    assert fit_units(st, glm(alpha=1e-3), client, prepare=history_design, batch_size=5).identical(serial)


def test_history_glm_fits_on_a_cluster_equal_the_serial_loop(st, client):
    glm = pytest.importorskip("spikestats.glm")
    if not hasattr(glm, "HistoryGLM"):
        pytest.skip("spikestats.glm.HistoryGLM is not there yet")
    model = glm.HistoryGLM(history=glm.RaisedCosineBasis(n_basis=3, t_max=0.02), bin_size=5e-3, alpha=1e-2)
    serial = fit_units(st, model)
    assert fit_units(st, model, client).identical(serial)
    np.testing.assert_array_equal(serial.coef.sel(unit=11).values, clone_estimator(model).fit(st.select(unit=11)).coef_)


def test_dataset_input_carries_unit_metadata_for_groupby(st):
    ds = st.to_xarray()
    region = np.where(np.isin(st.unit, [0, 1, 2, 3, 4, 5]), "CA1", "V1")
    ds = ds.assign_coords(region=("train", region), trial_tag=("train", np.arange(st.n_trains)))
    out = map_units(ss.stats.firing_rate, ds)
    assert "region" in out.coords and "trial_tag" not in out.coords   # not constant within a unit
    means = out.mean("firing_rate_dim_0").groupby("region").mean()
    np.testing.assert_allclose(means.sel(region="CA1").item(),
                               ss.stats.firing_rate(st.select(unit=[0, 1, 2, 3, 4, 5])).mean(), rtol=1e-12)


def test_errors_name_the_unit_and_the_argument(st, client):
    with pytest.raises(RuntimeError, match="boom") as info:
        map_units(fail_on_unit, st, unit=9)
    assert "unit 9" in " ".join(info.value.__notes__)
    with pytest.raises(RuntimeError, match="boom") as info:
        map_units(fail_on_unit, st, client, unit=4, batch_size=2)
    assert "unit 4" in " ".join(info.value.__notes__)
    with pytest.raises(ValidationTypeError, match="`client` must be None, a dask.distributed Client"):
        map_units(ss.stats.cv, st, client=3)
    with pytest.raises(ValidationTypeError, match="`func` must be a callable"):
        map_units(None, st)
    with pytest.raises(ValidationTypeError, match="`estimator` must be an object with a fit method"):
        fit_units(st, object())
    with pytest.raises(ValidationError, match="`batch_size` must be > 0"):
        map_units(ss.stats.cv, st, client, batch_size=0)
    with pytest.raises(ValidationError, match="`st` must be at least one train"):
        map_units(ss.stats.cv, st[0:0])
    with pytest.raises(ValidationTypeError, match="`st` must be a SpikeTrains or an xarray Dataset"):
        map_units(ss.stats.cv, [[0.1, 0.2]])


def test_warnings_come_back_once_naming_the_units(st, client):
    for where in (None, client):
        with pytest.warns(DataWarning, match=r"an even unit \[units 0, 2, 4, 6, 8 and 1 more\]") as record:
            out = map_units(warn_on_even_units, st, where, batch_size=4)
        assert len(record) == 1 and record[0].filename == __file__
        assert out.values.tolist() == [st.select(unit=u).n_spikes for u in out.unit.values]


def test_unreachable_scheduler_fails_fast_with_a_clear_error(st):
    pytest.importorskip("dask.distributed")
    with socket.socket() as s:   # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.perf_counter()
    with pytest.raises(SchedulerUnreachableError, match=rf"tcp://127.0.0.1:{port}'.*did not answer within 1 s"):
        map_units(ss.stats.cv, st, f"tcp://127.0.0.1:{port}", timeout=1.0)
    assert time.perf_counter() - t0 < 10.0
    assert issubclass(SchedulerUnreachableError, ConnectionError)


def test_missing_dask_names_the_extra(st, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)   # makes `import dask.distributed` fail
    with pytest.raises(ImportError, match=r"pip install 'spikestats\[dask\]'"):
        map_units(ss.stats.cv, st, client="local")
    assert map_units(ss.stats.cv, st).shape == (12, 3)   # serial work needs no dask


def test_progress_bar_on_request_only(st, capsys):
    map_units(ss.stats.cv, st, progress=True)
    err = capsys.readouterr().err
    assert "cv:" in err and "0/12" in err
    map_units(ss.stats.cv, st, progress=False)
    map_units(ss.stats.cv, st)   # not a terminal under pytest: off
    assert capsys.readouterr().err == ""
    with pytest.raises(ValidationTypeError, match="`progress` must be True or False"):
        map_units(ss.stats.cv, st, progress="yes")


def test_clone_estimator_copies_parameters_not_fits():
    est = RateEstimator(prior_count=np.array([1.0]))
    est.rate_ = 3.0
    twin = clone_estimator(est)
    assert type(twin) is RateEstimator and not hasattr(twin, "rate_")
    assert twin.prior_count is not est.prior_count and twin.prior_count == est.prior_count


def test_xarray_and_dataclass_results_are_gathered_over_unit(st):
    xr = pytest.importorskip("xarray")
    out = map_units(lambda s: xr.DataArray(s.counts, dims="trial", coords={"trial": s.trial}, name="count"), st)
    assert out.dims == ("unit", "trial") and out.sel(unit=7).values.tolist() == st.select(unit=7).counts.tolist()
    ds = map_units(functools.partial(ss.stats.fano_factor, ci=0.9), st)   # an Estimate per unit
    assert set(ds.data_vars) == {"estimate", "low", "high", "confidence"} and ds.attrs["skipped"] == "method"
    one = ss.stats.fano_factor(st.select(unit=5), ci=0.9)
    assert ds.estimate.sel(unit=5).item() == one.estimate and ds.low.sel(unit=5).item() == one.low


def test_a_cluster_object_or_its_address_works_as_client(st, client):
    serial = map_units(ss.stats.cv2, st)
    assert map_units(ss.stats.cv2, st, client.cluster).identical(serial)
    assert map_units(ss.stats.cv2, st, client.scheduler.address, timeout=30).identical(serial)


@pytest.mark.slow
def test_client_local_starts_and_stops_a_cluster_for_the_call(st):
    pytest.importorskip("dask.distributed")
    assert map_units(ss.stats.cv, st, "local").identical(map_units(ss.stats.cv, st))


def test_string_unit_labels_and_trials_in_any_order():
    base = ss.generators.PoissonProcess(15.0).simulate(6, 1.0, rng=2)
    st = ss.SpikeTrains(base.times, base.offsets, 0.0, 1.0, unit=["b", "a", "b", "c", "a", "c"],
                        trial=[1, 0, 0, 0, 1, 1])
    out = map_units(ss.stats.firing_rate, st)
    assert out.unit.values.tolist() == ["a", "b", "c"] and out.n_trials.values.tolist() == [2, 2, 2]
    np.testing.assert_array_equal(out.sel(unit="b").values, ss.stats.firing_rate(st)[[0, 2]])   # original order
