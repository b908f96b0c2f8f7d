"""Spike datasets in Zarr, written and summarised chunk by chunk with bounded memory.

The store is the ``spiketrains`` schema (:mod:`spikestats.xarray.schema`) as
a Zarr group: ``spike_time`` along ``spike``; ``n_spikes``, ``t_start``,
``t_stop``, ``unit`` and ``trial`` along ``train``; the schema attributes on
the group. ``xarray.open_zarr`` opens it lazily, and ``spikestats.io.read``
reads it whole when it fits in memory.

Readers here load the per-train table (a few numbers per train) and then
the spikes in *blocks* of consecutive trains holding at most
``block_spikes`` spikes (one train more when a single train is larger), so
peak memory is a small multiple of one block, whatever the size of the store.
Each block is rebuilt as a validated :class:`~spikestats.SpikeTrains` and goes
through the same kernels as in-memory data, so results equal the in-memory
functions bit for bit.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spikestats._config import INDEX_DTYPE, TIME_DTYPE, n_whole_bins
from spikestats._kernels.binning import window_count_moments
from spikestats._kernels.poisson import poisson_train
from spikestats._validation import check_rng, check_scalar, fail, per_train
from spikestats.core.binned import bin_edges, common_window
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import DataWarning, ExistingFileError, FileFormatError, MissingFileError, ValidationTypeError
from spikestats.io._layout import (ATTR_METADATA, ATTR_SCHEMA, ATTR_TIME_UNITS, ATTR_VERSION, REQUIRED, SCHEMA_NAME,
                                   SCHEMA_VERSION, TIME_UNITS, VARIABLE_ATTRS, Source, check_attrs)
from spikestats.io._optional import optional_import
from spikestats.parallel._dask import connected, progress_bar, run_tasks
from spikestats.typing import DIM_SPIKE, DIM_TIME, DIM_TRAIN, RNGLike

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["write_poisson_zarr", "count_summary_zarr", "bin_counts_zarr", "StoreTable", "read_table", "plan_blocks"]

log = logging.getLogger("spikestats.parallel")

#: Default spikes per Zarr chunk of ``spike_time`` (8 MB of float64).
CHUNK_SPIKES = 1_000_000
#: Default spikes per block read at once (8 MB of float64; working memory is a few times this).
BLOCK_SPIKES = 1_000_000
#: Default count cells (trains x bins) per block of a binned dask array (64 MB of int64).
BLOCK_CELLS = 8_000_000


def _import_zarr() -> Any:
    """zarr, or a ModuleNotFoundError naming the extra ``spikestats[zarr]``."""
    return optional_import("zarr", "Zarr stores")


# ------------------------------------------------------------------ writing
def write_poisson_zarr(path: str | os.PathLike, n_units: int, t_stop: float, rate: Any = 10.0, *,
                       n_trials: int = 1, t_start: float = 0.0, chunk_spikes: int = CHUNK_SPIKES,
                       rng: RNGLike = None, overwrite: bool = False, progress: bool | None = None) -> Path:
    """Write a synthetic Poisson dataset to a Zarr store, chunk by chunk.

    Parameters
    ----------
    path : str or os.PathLike
        Store folder to create (conventionally ending in ``.zarr``).
    n_units : int
        Number of units, >= 1.
    t_stop, t_start : float
        Window of every train (s).
    rate : float or array_like of float, shape (n_units,)
        Firing rate of each unit (Hz), >= 0.
    n_trials : int, default 1
        Trains per unit; train ``i`` is unit ``i // n_trials``, trial
        ``i % n_trials`` (unit-major order).
    chunk_spikes : int
        Spikes per Zarr chunk of ``spike_time``; memory while writing is about
        one chunk plus the largest train.
    rng : seed or Generator
        As for :class:`~spikestats.generators.PoissonProcess`: train ``i``
        comes from random stream ``i`` of one key drawn from ``rng``. With one
        ``rate`` for all units the spike times equal those of
        ``PoissonProcess(rate).simulate(n_units * n_trials, t_stop, t_start=t_start, rng=rng)``
        bit for bit (only the labels differ).
    overwrite : bool, default False
        Replace an existing store at ``path``.
    progress : bool, optional
        Progress bar over trains (``None``: only on a terminal).

    Returns
    -------
    pathlib.Path
        The store's path. The store is written beside it under a temporary
        name and renamed into place, so a failed write leaves nothing behind.

    Notes
    -----
    Spike counts are drawn in a first pass (the streams are replayed without
    storing the spikes), so every array has its final size from the start
    and chunks are written whole, each once.
    """
    zarr = _import_zarr()
    path = _target(path, overwrite)
    n_units = check_scalar("n_units", n_units, integer=True, positive=True)
    n_trials = check_scalar("n_trials", n_trials, integer=True, positive=True)
    chunk_spikes = check_scalar("chunk_spikes", chunk_spikes, integer=True, positive=True)
    t_start = check_scalar("t_start", t_start)
    t_stop = check_scalar("t_stop", t_stop)
    if not t_stop > t_start:
        fail("t_stop", f"> t_start = {t_start}", t_stop)
    rates = per_train("rate", rate, n_units)
    if np.any(rates < 0):
        fail("rate", ">= 0 for every unit", rate, got=f"minimum {rates.min()}")
    n = n_units * n_trials
    key = np.uint64(check_rng(rng).integers(0, 2**63 - 1))  # as PoissonProcess.simulate draws it
    train_rate = np.repeat(rates, n_trials)
    empty = np.empty(0, dtype=TIME_DTYPE)
    counts = np.array([poisson_train(key, i, train_rate[i], 0.0, t_start, t_stop, empty) for i in range(n)],
                      dtype=INDEX_DTYPE)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(INDEX_DTYPE)
    truth = {"model": "PoissonProcess", "rate": rates.tolist() if np.ndim(rate) else float(rates[0]),
             "dead_time": 0.0}
    table = {"n_spikes": counts, "t_start": np.full(n, t_start), "t_stop": np.full(n, t_stop),
             "unit": np.repeat(np.arange(n_units, dtype=INDEX_DTYPE), n_trials),
             "trial": np.tile(np.arange(n_trials, dtype=INDEX_DTYPE), n_units)}
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        group = zarr.open_group(str(tmp), mode="w-")
        group.attrs.update({ATTR_SCHEMA: SCHEMA_NAME, ATTR_VERSION: SCHEMA_VERSION, ATTR_TIME_UNITS: TIME_UNITS,
                            ATTR_METADATA: json.dumps({"ground_truth": truth})})
        for name, values in table.items():
            arr = group.create_array(name, shape=values.shape, dtype=values.dtype, chunks=(max(1, n),),
                                     dimension_names=(DIM_TRAIN,), attributes=dict(VARIABLE_ATTRS[name]))
            arr[:] = values
        times = group.create_array("spike_time", shape=(int(offsets[-1]),), dtype=TIME_DTYPE,
                                   chunks=(chunk_spikes,), dimension_names=(DIM_SPIKE,),
                                   attributes={**VARIABLE_ATTRS["spike_time"], "coordinates": "unit trial"})
        _write_spikes(times, key, train_rate, t_start, t_stop, counts, chunk_spikes, progress)
        if overwrite and path.exists():
            shutil.rmtree(path)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    log.info("wrote %d spikes of %d trains to %s", int(offsets[-1]), n, path)
    return path


def _target(path: Any, overwrite: bool) -> Path:
    """The store path, checked: its folder exists, and nothing is there unless ``overwrite``."""
    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
        fail("path", "a str or os.PathLike folder path", path, kind=ValidationTypeError)
    path = Path(os.fspath(path)).expanduser()
    if not path.parent.is_dir():
        raise MissingFileError(f"`path` must be in an existing folder; got '{path}', whose folder "
                               f"'{path.parent}' does not exist.", path)
    if os.path.lexists(path) and not overwrite:
        raise ExistingFileError(f"`path` must not exist when `overwrite=False`; got '{path}', which exists. "
                                f"Pass `overwrite=True` to replace it.", path)
    return path


def _write_spikes(times: Any, key: np.uint64, rates: np.ndarray, t_start: float, t_stop: float,
                  counts: np.ndarray, chunk: int, progress: bool | None) -> None:
    """Generate train after train into a one-chunk buffer and write each chunk once, whole."""
    buf = np.empty(chunk, dtype=TIME_DTYPE)
    fill = 0      # spikes in buf
    written = 0   # spikes already in the store
    with progress_bar(counts.size, progress, "write spikes") as bar:
        for i, c in enumerate(counts):
            train = np.empty(c, dtype=TIME_DTYPE)
            poisson_train(key, i, rates[i], 0.0, t_start, t_stop, train)
            j = 0
            while j < c:
                take = min(chunk - fill, c - j)
                buf[fill:fill + take] = train[j:j + take]
                fill += take
                j += take
                if fill == chunk:
                    times[written:written + chunk] = buf
                    written += chunk
                    fill = 0
            bar.update(1)
    if fill:
        times[written:written + fill] = buf[:fill]


# ------------------------------------------------------------------ reading
class StoreTable:
    """The per-train table of a ``spiketrains`` Zarr store (everything but the spikes).

    Attributes
    ----------
    path : str
        The store.
    offsets : numpy.ndarray of int64, shape (n_trains + 1,)
        Train boundaries in ``spike_time``.
    t_start, t_stop : numpy.ndarray of float64, shape (n_trains,)
        Windows (s).
    unit, trial : numpy.ndarray, shape (n_trains,)
        Labels.
    metadata : dict
        The store's metadata.
    """

    def __init__(self, path: str, offsets: np.ndarray, t_start: np.ndarray, t_stop: np.ndarray, unit: np.ndarray,
                 trial: np.ndarray, metadata: dict) -> None:
        self.path, self.offsets, self.t_start, self.t_stop = path, offsets, t_start, t_stop
        self.unit, self.trial, self.metadata = unit, trial, metadata

    @property
    def n_trains(self) -> int:
        """Number of trains."""
        return int(self.offsets.shape[0] - 1)

    def block(self, a: int, b: int) -> SpikeTrains:
        """Trains ``a .. b-1`` read from the store and validated."""
        return _read_block(self.path, a, b, self.offsets[a:b + 1], self.t_start[a:b], self.t_stop[a:b],
                           self.unit[a:b], self.trial[a:b])


def read_table(path: str | os.PathLike) -> StoreTable:
    """Open a ``spiketrains`` Zarr store and read its per-train table (not its spikes)."""
    zarr = _import_zarr()
    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
        fail("path", "a str or os.PathLike path of a Zarr store", path, kind=ValidationTypeError)
    path = str(Path(os.fspath(path)).expanduser())
    source = Source("path", f" ('{path}')", FileFormatError)
    if not os.path.isdir(path):
        raise MissingFileError(f"`path` must be an existing Zarr store folder; got '{path}', which "
                               f"{'is a file' if os.path.exists(path) else 'does not exist'}.", path)
    try:
        group = zarr.open_group(path, mode="r")
    except Exception as exc:
        source.fail("be a readable Zarr group", f"{type(exc).__name__}: {exc}")
    metadata = check_attrs(dict(group.attrs), source)
    table = {}
    for name in REQUIRED:
        if name == "spike_time":
            continue
        if name not in group:
            source.fail(f"hold the array `{name}` of the spiketrains schema", f"arrays {sorted(group.array_keys())}")
        table[name] = np.asarray(group[name][:])
    n_spikes = table["n_spikes"].astype(INDEX_DTYPE)
    offsets = np.concatenate([[0], np.cumsum(n_spikes)]).astype(INDEX_DTYPE)
    if "spike_time" not in group or group["spike_time"].shape != (int(offsets[-1]),):
        got = "no `spike_time`" if "spike_time" not in group else f"shape {group['spike_time'].shape}"
        source.fail(f"hold `spike_time` of length sum(n_spikes) = {int(offsets[-1])}", got)
    lengths = {name: values.shape for name, values in table.items()}
    if len(set(lengths.values())) != 1:
        source.fail("hold per-train arrays of one length", str(lengths))
    if np.any(n_spikes < 0):
        source.fail("hold non-negative `n_spikes`", f"minimum {n_spikes.min()}")
    return StoreTable(path, offsets, table["t_start"].astype(TIME_DTYPE), table["t_stop"].astype(TIME_DTYPE),
                      table["unit"], table["trial"], metadata)


def _read_block(path: str, a: int, b: int, offsets: np.ndarray, t_start: np.ndarray, t_stop: np.ndarray,
                unit: np.ndarray, trial: np.ndarray) -> SpikeTrains:
    """Trains ``a .. b-1`` of the store as a validated SpikeTrains (runs on workers too)."""
    zarr = _import_zarr()
    times = zarr.open_array(str(Path(path) / "spike_time"), mode="r")[int(offsets[0]):int(offsets[-1])]
    try:
        return SpikeTrains(times, offsets - offsets[0], t_start, t_stop, unit=unit, trial=trial)
    except ValueError as exc:
        raise FileFormatError(f"`path` ('{path}') must hold valid spike trains; trains {a} .. {b - 1}: {exc}") from None


def plan_blocks(offsets: np.ndarray, block_spikes: int, cells_per_train: int = 0,
                block_cells: int = BLOCK_CELLS) -> list[tuple[int, int]]:
    """Consecutive train ranges ``(a, b)`` of at most ``block_spikes`` spikes and ``block_cells`` count cells.

    A range always holds at least one train, so a single train larger than the
    limits is a block of its own.
    """
    n = offsets.shape[0] - 1
    blocks, a = [], 0
    max_trains = n if cells_per_train <= 0 else max(1, block_cells // cells_per_train)
    while a < n:
        b = int(np.searchsorted(offsets, offsets[a] + block_spikes, side="right")) - 1
        b = min(max(b, a + 1), a + max_trains, n)
        blocks.append((a, b))
        a = b
    return blocks


def _summary_block(path: str, a: int, b: int, offsets: np.ndarray, t_start: np.ndarray, t_stop: np.ndarray,
                   bin_size: float, ddof: int) -> dict[str, np.ndarray]:
    """Per-train counts, rates and count moments of trains ``a .. b-1`` (one task)."""
    labels = np.zeros(b - a, dtype=INDEX_DTYPE)
    st = _read_block(path, a, b, offsets, t_start, t_stop, labels, labels)
    n_win = n_whole_bins(st.duration, bin_size)
    total, total_sq = window_count_moments(st.times, st.offsets, np.ascontiguousarray(st.t_start), bin_size, n_win)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n_win
        variance = (total_sq - total ** 2 / n_win) / (n_win - ddof)
        fano = variance / mean
    ok = (n_win > max(ddof, 1)) & (mean > 0)
    return {"n_spikes": st.counts, "firing_rate": st.counts / st.duration, "n_windows": n_win,
            "mean_count": mean, "count_variance": np.where(n_win > ddof, variance, np.nan),
            "fano_factor": np.where(ok, fano, np.nan)}


def _map_blocks(func: Any, table: StoreTable, blocks: list[tuple[int, int]], args: tuple, client: Any,
                progress: bool | None, desc: str) -> list:
    """``func(path, a, b, offsets, t_start, t_stop, *args)`` for every block, in block order."""
    tasks = [(table.path, a, b, table.offsets[a:b + 1], table.t_start[a:b], table.t_stop[a:b], *args)
             for a, b in blocks]
    with connected(client) as c:
        return run_tasks(func, tasks, c, progress=progress, desc=desc, total=table.n_trains,
                         weights=[b - a for a, b in blocks])


def count_summary_zarr(path: str | os.PathLike, bin_size: float, *, ddof: int = 0, client: Any = None,
                       block_spikes: int = BLOCK_SPIKES, progress: bool | None = None) -> xr.Dataset:
    """Per-train spike counts, rates and Fano factors of binned counts of a Zarr store, block by block.

    Parameters
    ----------
    path : str or os.PathLike
        A ``spiketrains`` Zarr store (:func:`write_poisson_zarr`, or
        ``spikestats.io.write(st, "x.zarr")``).
    bin_size : float
        Width of the counting windows (s): consecutive windows
        ``[t_start + k*bin_size, t_start + (k+1)*bin_size)`` of each train,
        whole windows only, as :func:`spikestats.stats.fano_factor` with
        ``window=bin_size``.
    ddof : int, default 0
        Delta degrees of freedom of the count variance.
    client : None, Client, cluster, "local" or str
        Where the blocks are processed (as in :func:`~spikestats.parallel.map_units`);
        every worker must be able to open ``path``.
    block_spikes : int
        Spikes read at once per block (memory bound: a few times 8 bytes
        per spike, per worker thread).
    progress : bool, optional
        Progress bar over trains.

    Returns
    -------
    xarray.Dataset
        Over ``train`` (with ``unit`` and ``trial`` coordinates):
        ``n_spikes``, ``firing_rate`` (Hz, count over window length, as
        :func:`~spikestats.stats.firing_rate`), ``n_windows``, ``mean_count``,
        ``count_variance`` and ``fano_factor`` (as
        ``fano_factor(st, window=bin_size, ddof=ddof)``: NaN with a
        DataWarning where the mean count is 0 or there are too few windows).
        Attributes ``bin_size`` (s), ``ddof``, ``n_blocks``, ``block_spikes``.
    """
    import xarray as xr

    bin_size = check_scalar("bin_size", bin_size, positive=True)
    ddof = check_scalar("ddof", ddof, integer=True, nonnegative=True)
    block_spikes = check_scalar("block_spikes", block_spikes, integer=True, positive=True)
    table = read_table(path)
    if table.n_trains == 0:
        fail("path", "a store with at least one train", path, got="no trains")
    short = np.flatnonzero(n_whole_bins(table.t_stop - table.t_start, bin_size) < 1)
    if short.size:
        fail("bin_size", f"<= the shortest train window ({(table.t_stop - table.t_start).min()} s)", bin_size)
    blocks = plan_blocks(table.offsets, block_spikes)
    log.info("summarising %d trains of %s in %d blocks", table.n_trains, table.path, len(blocks))
    parts = _map_blocks(_summary_block, table, blocks, (bin_size, ddof), client, progress, "summarise")
    values = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    bad = int(np.count_nonzero(np.isnan(values["fano_factor"])))
    if bad:
        warnings.warn(f"{bad} of {table.n_trains} trains have zero mean count or too few windows; their Fano "
                      f"factor is NaN.", DataWarning, stacklevel=2)
    attrs = {"n_spikes": {"units": "1", "long_name": "spikes in the train"},
             "firing_rate": {"units": "Hz", "long_name": "mean firing rate"},
             "n_windows": {"units": "1", "long_name": "whole counting windows"},
             "mean_count": {"units": "1", "long_name": "mean spike count per window"},
             "count_variance": {"units": "1", "long_name": "variance of the spike count per window"},
             "fano_factor": {"units": "1", "long_name": "Fano factor of the window counts"}}
    coords = {name: (DIM_TRAIN, np.asarray(getattr(table, name)), dict(VARIABLE_ATTRS[name]))
              for name in ("unit", "trial")}
    data = {name: ((DIM_TRAIN,), v, attrs[name]) for name, v in values.items()}
    return xr.Dataset(data, coords=coords, attrs={"bin_size": bin_size, "ddof": ddof, "n_blocks": len(blocks),
                                                  "block_spikes": block_spikes, "source": table.path})


def _count_block(path: str, a: int, b: int, offsets: np.ndarray, t_start: np.ndarray, t_stop: np.ndarray,
                 lo: float, bin_size: float, n_bins: int) -> np.ndarray:
    """Counts ``(b - a, n_bins)`` of trains ``a .. b-1`` on the common edges (one dask block)."""
    from spikestats._kernels.binning import bin_counts

    labels = np.zeros(b - a, dtype=INDEX_DTYPE)
    st = _read_block(path, a, b, offsets, t_start, t_stop, labels, labels)
    return bin_counts(st.times, st.offsets, lo, bin_size, n_bins)


def bin_counts_zarr(path: str | os.PathLike, bin_size: float, t_start: float | None = None,
                    t_stop: float | None = None, *, block_spikes: int = BLOCK_SPIKES,
                    block_cells: int = BLOCK_CELLS) -> xr.DataArray:
    """Binned spike counts of a Zarr store as a lazy, dask-backed DataArray (train, time).

    Parameters
    ----------
    path : str or os.PathLike
        A ``spiketrains`` Zarr store.
    bin_size : float
        Bin width (s).
    t_start, t_stop : float, optional
        Window to bin; defaults to the window common to all trains. Edges and
        bin rules are those of :meth:`SpikeTrains.bin`.
    block_spikes, block_cells : int
        Limits of one dask block along ``train``: spikes read, and count cells
        (trains x bins, 8 bytes each) produced.

    Returns
    -------
    xarray.DataArray of int64, dims (train, time), dask-backed
        Named ``spike_count``, with ``time`` (bin centres), ``bin_start`` and
        ``bin_stop`` (s) on ``time`` and ``unit``/``trial`` on ``train``, as
        ``ds.spikes.bin`` returns in memory. Nothing is read until it is
        computed; reductions (``.sum("time")``, ``.mean()``) then run block by
        block on the active dask scheduler.
    """
    import xarray as xr

    try:
        import dask
        import dask.array as da
    except ImportError as exc:
        raise ImportError(f"`bin_counts_zarr` returns a dask array and needs dask ({exc}). Install the extra with "
                          f"`pip install 'spikestats[dask]'`, or use `count_summary_zarr`.") from exc
    bin_size = check_scalar("bin_size", bin_size, positive=True)
    block_spikes = check_scalar("block_spikes", block_spikes, integer=True, positive=True)
    block_cells = check_scalar("block_cells", block_cells, integer=True, positive=True)
    table = read_table(path)
    lo, hi = common_window(table.t_start, table.t_stop, t_start, t_stop)
    n_bins = int(n_whole_bins(hi - lo, bin_size))
    if n_bins < 1:
        fail("bin_size", f"<= the window length {hi - lo}", bin_size)
    blocks = plan_blocks(table.offsets, block_spikes, n_bins, block_cells)
    pieces = [da.from_delayed(dask.delayed(_count_block, pure=True)(
                  table.path, a, b, table.offsets[a:b + 1], table.t_start[a:b], table.t_stop[a:b], lo, bin_size,
                  n_bins), shape=(b - a, n_bins), dtype=np.int64) for a, b in blocks]
    counts = da.concatenate(pieces, axis=0)
    edges = bin_edges(lo, bin_size, n_bins)
    time_attrs = {"units": "s"}
    coords = {DIM_TIME: (DIM_TIME, 0.5 * (edges[:-1] + edges[1:]), {**time_attrs, "long_name": "bin centre"}),
              "bin_start": (DIM_TIME, edges[:-1], {**time_attrs, "long_name": "left bin edge"}),
              "bin_stop": (DIM_TIME, edges[1:], {**time_attrs, "long_name": "right bin edge"}),
              **{name: (DIM_TRAIN, np.asarray(getattr(table, name)), dict(VARIABLE_ATTRS[name]))
                 for name in ("unit", "trial")}}
    return xr.DataArray(counts, dims=(DIM_TRAIN, DIM_TIME), coords=coords, name="spike_count",
                        attrs={"units": "1", "long_name": "spike count", "bin_size": bin_size})
