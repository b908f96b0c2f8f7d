"""netCDF4 (``.nc``) codec: the xarray ``spiketrains`` schema in an HDF5-based netCDF4 file.

Written with xarray's ``netcdf4`` engine in the ``NETCDF4`` format, which
keeps int64 and variable-length strings, with lossless zlib compression of the
spike-level arrays; no fill values, masking, scaling or
time decoding, so every value comes back bit for bit. Use
:func:`spikestats.io.read` / :func:`spikestats.io.write`; this module is the
codec behind them (see :mod:`spikestats.io._registry`).
"""

from __future__ import annotations

from pathlib import Path

import xarray as xr

from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import FileFormatError
from spikestats.io._layout import Source
from spikestats.typing import DIM_SPIKE
from spikestats.xarray.schema import decode_dataset, to_dataset

ENGINE = "netcdf4"
FORMAT = "NETCDF4"
#: Errors the netCDF4/HDF5 stack raises for unreadable files.
_READ_ERRORS = (OSError, ValueError, RuntimeError, KeyError, TypeError, IndexError, EOFError)


def save(st: SpikeTrains, path: Path) -> None:
    """Write ``st`` to ``path`` as a netCDF4 file (overwriting it)."""
    ds = to_dataset(st)
    # lossless zlib on the numeric spike-level arrays (they dominate the size; strings stay plain)
    encoding = {name: {"_FillValue": None, **({"zlib": True, "complevel": 4}
                                              if ds[name].dims == (DIM_SPIKE,) and ds[name].dtype.kind in "iuf"
                                              else {})}
                for name in ds.variables}
    ds.to_netcdf(path, mode="w", format=FORMAT, engine=ENGINE, encoding=encoding)


def load(path: Path) -> SpikeTrains:
    """Read the SpikeTrains stored in the netCDF4 file ``path``.

    Raises
    ------
    FileFormatError
        The file is not netCDF (e.g. text), is truncated or corrupt, or does
        not hold the ``spiketrains`` schema.
    """
    source = Source("path", f" ('{path}')", FileFormatError)
    try:
        with xr.open_dataset(path, engine=ENGINE, decode_times=False, decode_timedelta=False,
                             mask_and_scale=False) as ds:
            ds = ds.load()
    except _READ_ERRORS as exc:
        source.fail("be a readable netCDF4 file", f"a file the netCDF4 library cannot read "
                    f"({type(exc).__name__}: {exc})", "Is it truncated, corrupt or in another format?")
    return decode_dataset(ds, source)
