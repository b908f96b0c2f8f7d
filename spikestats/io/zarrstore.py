"""Zarr (``.zarr``) codec: the xarray ``spiketrains`` schema in a Zarr store (a folder).

The store holds the Dataset of :mod:`spikestats.xarray.schema` as written by
``xarray.Dataset.to_zarr`` (Zarr format 3 with zarr-python 3, format 2 with
zarr-python 2): same variables, dimensions and attributes as the netCDF
files, so ``xarray.open_zarr(path)`` opens it directly. Spike-level arrays
are stored in chunks of :data:`SPIKE_CHUNK` spikes so that large recordings
can be read piece by piece (``xarray.open_zarr`` gives dask arrays); labels
are variable-length UTF-8 strings (or int64). No fill values, scaling or time
decoding: every value comes back bit for bit.

Needs the ``zarr`` extra (``pip install "spikestats[zarr]"``).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import xarray as xr

from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import FileFormatError
from spikestats.io._layout import LABELS, Source
from spikestats.io._optional import optional_import
from spikestats.typing import DIM_SPIKE
from spikestats.xarray.schema import decode_dataset, to_dataset

#: Spikes per chunk of the spike-level arrays (8 MiB of float64).
SPIKE_CHUNK = 1 << 20
#: Errors zarr and xarray raise for folders that are not readable stores.
_READ_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, RuntimeError)


def save(st: SpikeTrains, path: Path, *, spike_chunk: int = SPIKE_CHUNK) -> None:
    """Write ``st`` as a Zarr store at ``path`` (a folder that must not exist yet)."""
    optional_import("zarr", "writing Zarr stores")
    ds = to_dataset(st)
    for name in LABELS:   # variable-length strings have a Zarr specification; fixed-width unicode does not
        if ds[name].dtype.kind == "U" and ds[name].size:
            ds[name] = ds[name].astype(object)
    encoding = {name: {"_FillValue": None} for name in ds.variables}
    for name in ds.variables:
        if ds[name].dims == (DIM_SPIKE,) and ds.sizes[DIM_SPIKE]:
            encoding[name]["chunks"] = (min(int(spike_chunk), ds.sizes[DIM_SPIKE]),)
    with warnings.catch_warnings():
        # empty str labels stay fixed-width unicode (an empty object array would come back as float)
        warnings.filterwarnings("ignore", message=".*does not have a Zarr V3 specification")
        ds.to_zarr(path, mode="w-", encoding=encoding, consolidated=False)


def open_store(path: Path) -> xr.Dataset:
    """The store at ``path`` opened lazily (dask-backed variables), for chunk-by-chunk work.

    Raises
    ------
    FileFormatError
        ``path`` is not a readable Zarr store.
    """
    optional_import("zarr", "reading Zarr stores")
    source = Source("path", f" ('{path}')", FileFormatError)
    try:
        return xr.open_zarr(path, consolidated=False, decode_times=False, decode_timedelta=False,
                            mask_and_scale=False)
    except _READ_ERRORS as exc:
        source.fail("be a readable Zarr store", f"a folder zarr cannot open ({type(exc).__name__}: {exc})",
                    "Is it a Zarr store written by spikestats.io.write?")


def load(path: Path) -> SpikeTrains:
    """Read the SpikeTrains stored in the Zarr store ``path``.

    Raises
    ------
    FileFormatError
        Not a Zarr store, a damaged one (missing or truncated chunks), or one
        that does not hold the ``spiketrains`` schema.
    """
    source = Source("path", f" ('{path}')", FileFormatError)
    ds = open_store(path)
    try:
        ds = ds.load()
    except _READ_ERRORS as exc:
        source.fail("be a complete Zarr store", f"chunks that cannot be read ({type(exc).__name__}: {exc})",
                    "Is it truncated or damaged?")
    for name in LABELS:   # variable-length strings may come back as numpy's StringDType
        if name in ds.variables and ds[name].dtype.kind == "T":
            var = ds[name]
            ds[name] = (var.dims, np.array(var.values.tolist(), dtype=str).reshape(var.shape), var.attrs)
    return decode_dataset(ds, source)
