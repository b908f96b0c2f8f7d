"""Zarr stores written and summarised chunk by chunk: equal to the in-memory results, bounded memory."""

from __future__ import annotations

import os
import shutil
import sys
import tracemalloc

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import DataWarning, ExistingFileError, FileFormatError, MissingFileError, ValidationError
from spikestats.parallel import bin_counts_zarr, count_summary_zarr, write_poisson_zarr
from spikestats.parallel.outofcore import plan_blocks, read_table

pytest.importorskip("zarr")
xr = pytest.importorskip("xarray")

N_UNITS, N_TRIALS, T_STOP, RATE, SEED = 10, 3, 4.0, 15.0, 11


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A small store in chunks of 200 spikes (trains straddle chunk boundaries)."""
    path = tmp_path_factory.mktemp("zarr") / "poisson.zarr"
    return write_poisson_zarr(path, N_UNITS, T_STOP, RATE, n_trials=N_TRIALS, chunk_spikes=200, rng=SEED)


@pytest.fixture(scope="module")
def in_memory():
    """The same trains generated in memory (PoissonProcess gives them bit for bit), with the store's labels."""
    st = ss.generators.PoissonProcess(RATE).simulate(N_UNITS * N_TRIALS, T_STOP, rng=SEED)
    return ss.SpikeTrains(st.times, st.offsets, 0.0, T_STOP, unit=np.repeat(np.arange(N_UNITS), N_TRIALS),
                          trial=np.tile(np.arange(N_TRIALS), N_UNITS))


def test_store_holds_the_schema_and_the_generated_trains(store, in_memory):
    ds = xr.open_zarr(store, consolidated=False)
    assert ds.spike_time.chunks == ((200,) * (in_memory.n_spikes // 200) + ((in_memory.n_spikes % 200,)
                                                                            if in_memory.n_spikes % 200 else ()),)
    back = ss.SpikeTrains.from_xarray(ds.load())
    assert back.with_metadata() == in_memory.with_metadata(**back.metadata)
    assert back.metadata["ground_truth"] == {"model": "PoissonProcess", "rate": RATE, "dead_time": 0.0}


def test_summary_equals_the_in_memory_statistics(store, in_memory):
    summary = count_summary_zarr(store, 0.25, block_spikes=150)
    assert summary.attrs["n_blocks"] > 5
    np.testing.assert_array_equal(summary.n_spikes.values, in_memory.counts)
    np.testing.assert_array_equal(summary.firing_rate.values, ss.stats.firing_rate(in_memory))
    np.testing.assert_array_equal(summary.fano_factor.values, ss.stats.fano_factor(in_memory, 0.25))
    counts = in_memory.bin(0.25).counts
    np.testing.assert_array_equal(summary.n_windows.values, counts.shape[1])
    np.testing.assert_allclose(summary.mean_count.values, counts.mean(axis=1), rtol=1e-14)
    np.testing.assert_allclose(summary.count_variance.values, counts.var(axis=1), rtol=1e-12)
    one = count_summary_zarr(store, 0.25, ddof=1, block_spikes=10**9)
    assert one.attrs["n_blocks"] == 1
    np.testing.assert_array_equal(one.fano_factor.values, ss.stats.fano_factor(in_memory, 0.25, ddof=1))
    assert summary.unit.values.tolist() == in_memory.unit.tolist()


def test_lazy_binned_counts_equal_spiketrains_bin(store, in_memory):
    lazy = bin_counts_zarr(store, 0.1, block_spikes=250)
    assert lazy.chunks[0] == tuple(b - a for a, b in plan_blocks(read_table(store).offsets, 250))
    eager = in_memory.to_xarray().spikes.bin(0.1)
    assert lazy.compute().identical(eager)
    window = bin_counts_zarr(store, 0.2, 1.0, 3.0, block_cells=200)   # 10 bins: 20 trains per block
    assert set(window.chunks[0]) <= {20, 10}
    np.testing.assert_array_equal(window.values, in_memory.bin(0.2, 1.0, 3.0).counts)
    np.testing.assert_array_equal(lazy.sum("time").values, in_memory.bin(0.1).counts.sum(axis=1))


def test_blocks_cover_the_trains_within_the_limits():
    offsets = np.array([0, 5, 5, 30, 31, 40, 60])
    blocks = plan_blocks(offsets, 10)
    assert blocks == [(0, 2), (2, 3), (3, 5), (5, 6)]     # the 25-spike train is a block of its own
    assert plan_blocks(offsets, 100, cells_per_train=4, block_cells=8) == [(0, 2), (2, 4), (4, 6)]


def test_summary_memory_stays_far_below_the_data(tmp_path):
    path = write_poisson_zarr(tmp_path / "big.zarr", 200, 50.0, 50.0, chunk_spikes=12_500, rng=1)
    n_spikes = read_table(path).offsets[-1]
    count_summary_zarr(path, 0.1, block_spikes=12_500)   # compile and warm up outside the measurement
    tracemalloc.start()
    try:
        count_summary_zarr(path, 0.1, block_spikes=12_500)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the spike times alone take 8 bytes per spike in memory; a block is 12,500 spikes (2.5% of them), and
    # reading, validating and counting one block needs about six block-sized arrays (measured: 0.18 of the data)
    assert peak < 0.3 * 8 * n_spikes, (peak, n_spikes)


def test_silent_trains_warn_once(tmp_path):
    path = write_poisson_zarr(tmp_path / "quiet.zarr", 3, 1.0, [0.0, 20.0, 0.0], rng=0)
    with pytest.warns(DataWarning, match="2 of 3 trains"):
        out = count_summary_zarr(path, 0.1)
    assert np.isnan(out.fano_factor.values[[0, 2]]).all() and np.isfinite(out.fano_factor.values[1])


def test_writing_is_atomic_and_refuses_to_overwrite(tmp_path, monkeypatch):
    path = tmp_path / "a.zarr"
    write_poisson_zarr(path, 2, 1.0, rng=0)
    with pytest.raises(ExistingFileError, match="overwrite=True"):
        write_poisson_zarr(path, 2, 1.0, rng=0)
    write_poisson_zarr(path, 3, 1.0, rng=0, overwrite=True)
    assert read_table(path).n_trains == 3

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("spikestats.parallel.outofcore._write_spikes", broken)
    with pytest.raises(OSError, match="disk full"):
        write_poisson_zarr(tmp_path / "b.zarr", 2, 1.0, rng=0)
    with pytest.raises(OSError, match="disk full"):
        write_poisson_zarr(path, 2, 1.0, rng=0, overwrite=True)
    assert sorted(os.listdir(tmp_path)) == ["a.zarr"] and read_table(path).n_trains == 3
    with pytest.raises(MissingFileError, match="does not exist"):
        write_poisson_zarr(tmp_path / "no" / "c.zarr", 2, 1.0)
    with pytest.raises(ValidationError, match="`rate` must be >= 0"):
        write_poisson_zarr(tmp_path / "c.zarr", 2, 1.0, [1.0, -1.0])


def test_bad_stores_give_clear_errors(tmp_path, store):
    with pytest.raises(MissingFileError, match="does not exist"):
        count_summary_zarr(tmp_path / "nothing.zarr", 0.1)
    (tmp_path / "file.zarr").write_text("not a store")
    with pytest.raises(MissingFileError, match="is a file"):
        count_summary_zarr(tmp_path / "file.zarr", 0.1)
    (tmp_path / "empty.zarr").mkdir()
    with pytest.raises(FileFormatError, match="empty.zarr"):
        count_summary_zarr(tmp_path / "empty.zarr", 0.1)
    broken = tmp_path / "broken.zarr"
    shutil.copytree(store, broken)
    shutil.rmtree(broken / "n_spikes")
    with pytest.raises(FileFormatError, match="`n_spikes`"):
        count_summary_zarr(broken, 0.1)
    with pytest.raises(ValidationError, match="`bin_size` must be <= the shortest train window"):
        count_summary_zarr(store, 10.0)


def test_missing_zarr_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "zarr", None)
    with pytest.raises(ImportError, match=r"spikestats\[zarr\]"):
        write_poisson_zarr(tmp_path / "x.zarr", 1, 1.0)
    assert not os.listdir(tmp_path)


def test_truncated_spike_chunks_are_reported(tmp_path, store):
    broken = tmp_path / "truncated.zarr"
    shutil.copytree(store, broken)
    chunk = next(p for p in (broken / "spike_time").rglob("*") if p.is_file() and p.name != "zarr.json")
    chunk.write_bytes(chunk.read_bytes()[:10])
    with pytest.raises(Exception, match=r"truncated\.zarr|decompress|codec|[Cc]orrupt") as info:
        count_summary_zarr(broken, 0.1)
    assert not isinstance(info.value, AssertionError)


@pytest.mark.slow
def test_1e8_spikes_are_summarised_in_bounded_memory(tmp_path):
    import benchmarks.cases  # noqa: F401  (it imports the case modules, cases_parallel among them)
    from benchmarks.cases_parallel import zarr_peak_memory

    report = zarr_peak_memory(tmp_path / "huge.zarr", n_spikes=10**8)
    assert report["n_spikes"] > 0.99e8
    assert report["peak_rss_increase_bytes"] < 0.25 * report["in_memory_bytes"], report
