"""One reading and one writing function per format, for code that names the format explicitly.

Each is :func:`spikestats.io.read` / :func:`spikestats.io.write` with
``format=`` fixed (so any extension works) and the format's options as
keywords; ``docs/IO.md`` says what each format holds and loses.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from spikestats.core.epochs import Epochs
from spikestats.core.spiketrains import SpikeTrains

PathLike = str | os.PathLike

__all__ = ["read_nwb", "write_nwb", "read_mat", "write_mat", "read_csv", "write_csv", "read_zarr", "write_zarr",
           "read_nir_data", "write_nir_data"]


def _read(path: PathLike, fmt: str, **options: Any) -> SpikeTrains:
    from spikestats.io import read

    return read(path, format=fmt, **{k: v for k, v in options.items() if v is not None})


def _write(st: SpikeTrains, path: PathLike, fmt: str, overwrite: bool, **options: Any) -> None:
    from spikestats.io import write

    write(st, path, overwrite=overwrite, format=fmt, **{k: v for k, v in options.items() if v is not None})


def read_nwb(path: PathLike, *, split: str | None = None) -> SpikeTrains:
    """Spike trains of an NWB file's Units table; ``split="trials"|"none"`` for other labs' files."""
    return _read(path, "nwb", split=split)


def write_nwb(st: SpikeTrains, path: PathLike, *, overwrite: bool = True, epochs: Epochs | None = None,
              session_description: str | None = None, identifier: str | None = None,
              session_start_time: datetime | None = None) -> None:
    """Write an NWB file: Units table, trials table, ``epochs``; read back exactly by :func:`read_nwb`."""
    _write(st, path, "nwb", overwrite, epochs=epochs, session_description=session_description,
           identifier=identifier, session_start_time=session_start_time)


def read_mat(path: PathLike, *, variable: str | None = None, bin_size: float | None = None, rows: str = "unit",
             t_start: float | None = None, t_stop: float | None = None, time_scale: float = 1.0,
             keep_empty_units: bool = False) -> SpikeTrains:
    """Spike trains of a MATLAB v5 file: cell arrays, 0/1 matrices (``bin_size``), MatClust structs."""
    return _read(path, "mat", variable=variable, bin_size=bin_size, rows=rows, t_start=t_start, t_stop=t_stop,
                 time_scale=time_scale, keep_empty_units=keep_empty_units)


def write_mat(st: SpikeTrains, path: PathLike, *, overwrite: bool = True) -> None:
    """Write a MATLAB v5 file (``spike_times`` cell array, windows, labels, metadata as JSON)."""
    _write(st, path, "mat", overwrite)


def read_csv(path: PathLike, *, delimiter: str = ",", time_scale: float = 1.0, t_start: float | None = None,
             t_stop: float | None = None) -> SpikeTrains:
    """Spike rows ``unit,[trial,]time`` of a delimited text file (``delimiter="\\t"`` for TSV)."""
    return _read(path, "tsv" if delimiter == "\t" else "csv", time_scale=time_scale, t_start=t_start,
                 t_stop=t_stop)


def write_csv(st: SpikeTrains, path: PathLike, *, delimiter: str = ",", overwrite: bool = True) -> None:
    """Write one row per spike with a header and the ``# spikestats`` comment line (``delimiter="\\t"``: TSV)."""
    _write(st, path, "tsv" if delimiter == "\t" else "csv", overwrite)


def read_zarr(path: PathLike) -> SpikeTrains:
    """Spike trains of a Zarr store written by :func:`write_zarr` (the netCDF layout in a folder)."""
    return _read(path, "zarr")


def write_zarr(st: SpikeTrains, path: PathLike, *, overwrite: bool = True, spike_chunk: int | None = None) -> None:
    """Write a Zarr store (a folder), spike arrays in chunks of ``spike_chunk`` spikes (default 2**20)."""
    _write(st, path, "zarr", overwrite, spike_chunk=spike_chunk)


def read_nir_data(path: PathLike, *, node: str | None = None, observable: str | None = None) -> SpikeTrains:
    """Spike trains of a NIR graph data file's ``EventData`` (samples = trials, neurons = units)."""
    return _read(path, "nir", node=node, observable=observable)


def write_nir_data(st: SpikeTrains, path: PathLike, *, overwrite: bool = True, node: str | None = None,
                   observable: str | None = None) -> None:
    """Write NIR graph data with one ``EventData`` (one train per (trial, unit) pair needed)."""
    _write(st, path, "nir", overwrite, node=node, observable=observable)
