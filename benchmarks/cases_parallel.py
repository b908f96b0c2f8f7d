"""Scale-out benchmarks: per-unit GLM fits over dask, the cost of a task, and Zarr binning in bounded memory.

Run everything (about 5-15 minutes on 2 busy cores)::

    python -m benchmarks.cases_parallel                      # 1,000 units, 1e8-spike Zarr store
    python -m benchmarks.cases_parallel --units 200 --zarr-spikes 1e7 --repeats 1   # a quick look

It reports, with the machine's load average:

* per-unit GLM fits of ``--units`` units: the serial loop (``client=None``)
  against a ``LocalCluster`` of 1 and of 2 single-threaded worker processes
  (same results checked with ``Dataset.identical``): times and speed-ups;
* the overhead of one task: ``map_units`` of a function doing nothing over
  ``--tasks`` units with ``batch_size=1`` on the 2-worker cluster, per task;
* the Zarr path: a synthetic store of ``--zarr-spikes`` spikes written chunk
  by chunk, then per-train counts, rates and Fano factors
  (``count_summary_zarr``) in a fresh process whose peak resident memory
  (``ru_maxrss``) above its resident memory after imports and a warm-up, and
  the peak of traced allocations (``tracemalloc``, a second pass), are
  compared with the 8 bytes per spike the spike times alone take in memory.

The fitted model is ``spikestats.glm.HistoryGLM`` (history basis of 5 raised
cosines over 50 ms, 1 ms bins, ``alpha=1e-3``) when the package has it, else
``PoissonGLM(alpha=1e-3)`` on the same per-unit design matrices
(``glm.design.design_matrix``); the report names the one used.

Two cases also join ``python -m benchmarks.run`` (not in ``--quick``):
``units-dask`` (200 units on 2 workers; the peer column is the serial loop, so
the ratio is the speed-up) and ``zarr-summary`` (a 1e7-spike store; the peer
column is the in-memory ``firing_rate`` + windowed ``fano_factor``).
"""

from __future__ import annotations

import argparse
import atexit
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

import spikestats as ss
from benchmarks.cases import Case, Pair, _require

#: Model of every fit: history basis, bin width (s), ridge penalty.
BIN_SIZE = 1e-3
ALPHA = 1e-3
RATE = 10.0
#: Units and rate of the synthetic Zarr store (its length follows from the number of spikes).
ZARR_UNITS = 10_000
ZARR_BIN = 0.1
BLOCK_SPIKES = 1_000_000


# ------------------------------------------------------------------ per-unit fits
def glm_trains(n_units: int, t_stop: float, seed: int = 0) -> ss.SpikeTrains:
    """One train per unit: 10 Hz Poisson with a 2 ms dead time (a history effect for the GLM to find)."""
    base = ss.generators.PoissonProcess(RATE, dead_time=0.002).simulate(n_units, t_stop, rng=seed)
    return ss.SpikeTrains(base.times, base.offsets, 0.0, t_stop, unit=np.arange(n_units))


def _basis() -> Any:
    return ss.glm.bases.RaisedCosineBasis(n_basis=5, t_max=0.05)


def design_xy(unit_trains: ss.SpikeTrains) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` of a unit's history design (module-level, so worker processes can unpickle it)."""
    from spikestats.glm.design import design_matrix

    d = design_matrix(unit_trains, BIN_SIZE, history=_basis())
    return d.X, d.y


def model() -> tuple[Any, Any, str]:
    """The estimator, its ``prepare`` and a description (HistoryGLM if present, else PoissonGLM on designs)."""
    history_glm = getattr(ss.glm, "HistoryGLM", None)
    if history_glm is not None:
        return history_glm(history=_basis(), bin_size=BIN_SIZE, alpha=ALPHA), None, "HistoryGLM"
    return ss.glm.PoissonGLM(alpha=ALPHA), design_xy, "PoissonGLM on per-unit history designs"


def local_client(n_workers: int) -> Any:
    """A Client on a LocalCluster of ``n_workers`` single-threaded processes on loopback (closed at exit)."""
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=":0")
    client = Client(cluster, set_as_default=False)
    atexit.register(cluster.close)
    atexit.register(client.close)
    return client


def fit_all(st: ss.SpikeTrains, client: Any) -> Any:
    estimator, prepare, _ = model()
    return ss.parallel.fit_units(st, estimator, client, prepare=prepare, progress=False)


def _noop(unit_trains: ss.SpikeTrains) -> int:
    return 0


def timed(fn: Any, repeats: int) -> tuple[float, list[float], Any]:
    """Median seconds of ``repeats`` calls (after none: the first call is a sample), samples, last output."""
    samples, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), samples, out


def fits_report(n_units: int, t_stop: float, repeats: int, n_tasks: int) -> dict:
    """Serial vs 1 and 2 workers for the fits; per-task overhead on 2 workers."""
    st = glm_trains(n_units, t_stop)
    *_, name = model()
    fit_all(st[:4], None)   # compile kernels in this process
    serial, serial_samples, reference = timed(lambda: fit_all(st, None), repeats)
    out: dict = {"model": name, "n_units": n_units, "t_stop_s": t_stop, "bins_per_unit": int(t_stop / BIN_SIZE),
                 "serial_s": serial, "serial_samples": serial_samples}
    for workers in (1, 2):
        client = local_client(workers)
        fit_all(st[:4 * workers], client)   # workers import spikestats and load the kernels
        med, samples, result = timed(lambda c=client: fit_all(st, c), repeats)
        _require(result.identical(reference), f"{workers} worker(s): results differ from the serial loop")
        out[f"workers_{workers}_s"] = med
        out[f"workers_{workers}_samples"] = samples
        if workers == 2:
            small = glm_trains(n_tasks, 1.0)
            ss.parallel.map_units(_noop, small, client, batch_size=1, progress=False)
            loop, *_ = timed(lambda: ss.parallel.map_units(_noop, small, None, progress=False), repeats)
            dask_t, *_ = timed(lambda: ss.parallel.map_units(_noop, small, client, batch_size=1, progress=False),
                               repeats)
            out.update(n_tasks=n_tasks, overhead_per_task_s=(dask_t - loop) / n_tasks, serial_per_unit_s=loop / n_tasks)
        cluster = client.cluster
        client.close()
        cluster.close()
    out["speedup_1_worker"] = serial / out["workers_1_s"]
    out["speedup_2_workers"] = serial / out["workers_2_s"]
    out["speedup_2_vs_1_workers"] = out["workers_1_s"] / out["workers_2_s"]
    return out


# ------------------------------------------------------------------ Zarr in bounded memory
_MEASURE = r"""
import json, resource, sys, tempfile, time, warnings
from pathlib import Path
from spikestats.parallel import count_summary_zarr, write_poisson_zarr
path, bin_size, block = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
with tempfile.TemporaryDirectory() as tmp:   # imports and kernels loaded before the baseline
    count_summary_zarr(write_poisson_zarr(Path(tmp) / "tiny.zarr", 2, 1.0, rng=0), bin_size)
import tracemalloc
def rss():   # current resident set, bytes
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) * 1024
base = rss()
t0 = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    ds = count_summary_zarr(path, bin_size, block_spikes=block)
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
tracemalloc.start()   # a second pass, allocations traced (numpy buffers included)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    count_summary_zarr(path, bin_size, block_spikes=block)
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({"baseline_rss_bytes": base, "peak_rss_bytes": peak, "seconds": seconds, "traced_peak_bytes": traced,
                  "n_spikes": int(ds.n_spikes.sum()), "n_trains": int(ds.sizes["train"]),
                  "n_blocks": int(ds.attrs["n_blocks"]), "mean_fano": float(ds.fano_factor.mean())}))
"""


def zarr_peak_memory(path: str | os.PathLike, n_spikes: float = 1e8, *, bin_size: float = ZARR_BIN,
                     block_spikes: int = BLOCK_SPIKES, n_units: int = ZARR_UNITS, seed: int = 0) -> dict:
    """Write a store of about ``n_spikes`` spikes, summarise it in a fresh process, report time and peak memory."""
    t_stop = float(n_spikes) / (n_units * RATE)
    t0 = time.perf_counter()
    ss.parallel.write_poisson_zarr(path, n_units, t_stop, RATE, rng=seed, overwrite=True, progress=False)
    write_s = time.perf_counter() - t0
    run = subprocess.run([sys.executable, "-c", _MEASURE, str(path), str(bin_size), str(block_spikes)],
                         capture_output=True, text=True, check=True)
    out = json.loads(run.stdout.strip().splitlines()[-1])
    in_memory = 8 * out["n_spikes"]
    out.update(write_s=write_s, in_memory_bytes=in_memory, store_bytes=_size(Path(path)),
               peak_rss_increase_bytes=out["peak_rss_bytes"] - out["baseline_rss_bytes"], bin_size=bin_size,
               block_spikes=block_spikes, t_stop_s=t_stop, n_units=n_units)
    out["peak_increase_over_in_memory"] = out["peak_rss_increase_bytes"] / in_memory
    out["traced_peak_over_in_memory"] = out["traced_peak_bytes"] / in_memory
    return out


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ------------------------------------------------------------------ cases of benchmarks.run
def _check_identical(ours: Any, peer: Any) -> None:
    _require(ours.identical(peer), "the cluster's results differ from the serial loop")


def _units_dask(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
    st = glm_trains(200, 5.0, a.seed)
    client = local_client(2)
    *_, name = model()
    return Pair(f"200 units x 5 s, {name}, 2 workers (peer column: serial loop)",
                functools.partial(fit_all, st, client), functools.partial(fit_all, st, None), _check_identical)


def _zarr_summary(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
    tmp = tempfile.mkdtemp(prefix="spikestats-bench-")
    atexit.register(shutil.rmtree, tmp, True)
    n_units, t_stop = 1000, 1e7 / (1000 * RATE)
    path = ss.parallel.write_poisson_zarr(Path(tmp) / "bench.zarr", n_units, t_stop, RATE, rng=a.seed)
    st = ss.io.read(path) if hasattr(ss.io, "read") and ".zarr" in _suffixes() else _load(path)

    def ours() -> np.ndarray:
        return ss.parallel.count_summary_zarr(path, ZARR_BIN, progress=False).fano_factor.values

    def peer() -> np.ndarray:
        ss.stats.firing_rate(st)
        return ss.stats.fano_factor(st, ZARR_BIN)

    def check(x: np.ndarray, y: np.ndarray) -> None:
        _require(np.array_equal(x, y, equal_nan=True), "out-of-core Fano factors differ from the in-memory ones")

    return Pair(f"1e7 spikes, {n_units} trains in Zarr, {ZARR_BIN:g} s windows (peer column: in memory)", ours,
                peer, check)


def _suffixes() -> list[str]:
    try:
        from spikestats.io._registry import supported_suffixes
    except ImportError:
        return []
    return supported_suffixes()


def _load(path: Path) -> ss.SpikeTrains:
    import xarray as xr

    return ss.SpikeTrains.from_xarray(xr.open_zarr(path, consolidated=False).load())


PARALLEL_CASES: tuple[Case, ...] = (
    Case("units-dask", _units_dask, quick=False),
    Case("zarr-summary", _zarr_summary, quick=False),
)


# ------------------------------------------------------------------ command line
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.cases_parallel", description=__doc__.split("\n\n")[0])
    p.add_argument("--units", type=int, default=1000, help="units fitted (default: %(default)s)")
    p.add_argument("--t-stop", type=float, default=5.0, help="seconds per unit (default: %(default)s)")
    p.add_argument("--tasks", type=int, default=200, help="tasks of the overhead measurement (default: %(default)s)")
    p.add_argument("--repeats", type=int, default=3, help="timed calls per setting; median (default: %(default)s)")
    p.add_argument("--zarr-spikes", type=float, default=1e8, help="spikes of the Zarr store (default: %(default)g)")
    p.add_argument("--skip-fits", action="store_true", help="only the Zarr measurement")
    p.add_argument("--skip-zarr", action="store_true", help="only the fits")
    p.add_argument("--json", type=Path, default=Path(__file__).resolve().parent / "results" / "parallel.json")
    a = p.parse_args(argv)
    report: dict = {"load_average_start": list(os.getloadavg()), "cpus": os.cpu_count()}
    if not a.skip_fits:
        fits = fits_report(a.units, a.t_stop, a.repeats, a.tasks)
        report["fits"] = fits
        print(f"{fits['model']}: {fits['n_units']} units x {fits['t_stop_s']:g} s ({fits['bins_per_unit']} bins each)")
        print(f"  serial loop      {fits['serial_s']:8.2f} s")
        print(f"  LocalCluster x1  {fits['workers_1_s']:8.2f} s   speed-up {fits['speedup_1_worker']:.2f}")
        print(f"  LocalCluster x2  {fits['workers_2_s']:8.2f} s   speed-up {fits['speedup_2_workers']:.2f} "
              f"(2 vs 1 workers: {fits['speedup_2_vs_1_workers']:.2f}); results identical to the serial loop")
        print(f"  overhead per task (batch_size=1, {fits['n_tasks']} tasks): "
              f"{fits['overhead_per_task_s'] * 1e3:.2f} ms")
    if not a.skip_zarr:
        with tempfile.TemporaryDirectory(prefix="spikestats-zarr-") as tmp:
            z = zarr_peak_memory(Path(tmp) / "synthetic.zarr", a.zarr_spikes)
        report["zarr"] = z
        print(f"Zarr: {z['n_spikes']:.3g} spikes in {z['n_trains']} trains ({z['store_bytes'] / 2**20:.0f} MiB on "
              f"disk), written in {z['write_s']:.1f} s")
        print(f"  count_summary_zarr ({z['bin_size']:g} s windows, {z['n_blocks']} blocks of <= "
              f"{z['block_spikes']:.0e} spikes): {z['seconds']:.1f} s")
        print(f"  peak RSS above baseline {z['peak_rss_increase_bytes'] / 2**20:.0f} MiB vs "
              f"{z['in_memory_bytes'] / 2**20:.0f} MiB of spike times in memory "
              f"({100 * z['peak_increase_over_in_memory']:.1f} %); traced allocations peak at "
              f"{z['traced_peak_bytes'] / 2**20:.0f} MiB ({100 * z['traced_peak_over_in_memory']:.1f} %)")
    report["load_average_end"] = list(os.getloadavg())
    print(f"load average {report['load_average_start'][0]:.1f} -> {report['load_average_end'][0]:.1f} "
          f"on {report['cpus']} CPUs")
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
