"""Reading and writing SpikeTrains files, chosen by extension.

=========  ==========  ==================================================
extension  ``format``  container
=========  ==========  ==================================================
``.nc``    netcdf      netCDF4 (HDF5) file of the xarray schema
``.npz``   npz         numpy ``.npz`` archive of the same schema
=========  ==========  ==================================================

The schema (variables, dimensions, attributes) is documented in
:mod:`spikestats.xarray.schema` and ``docs/SCHEMA.md``. Round trips are exact:
times bit for bit, windows, offsets, labels with their kind (int or str) and
the metadata.

Examples
--------
>>> import spikestats as ss
>>> st = ss.SpikeTrains.from_list([[0.1, 0.4], [0.2]], t_stop=1.0)
>>> ss.io.write(st, "session.nc")            # doctest: +SKIP
>>> ss.io.read("session.nc") == st           # doctest: +SKIP
True
"""

from __future__ import annotations

import os

from spikestats._validation import check_bool
from spikestats.core.spiketrains import SpikeTrains
from spikestats.io._atomic import atomic_target
from spikestats.io._layout import check_spiketrains
from spikestats.exceptions import ExistingFileError, MissingFileError
from spikestats.io._paths import as_path, check_readable, check_writable
from spikestats.io._registry import FORMATS, FileFormat, lookup

__all__ = ["read", "write", "FORMATS", "FileFormat", "MissingFileError", "ExistingFileError"]

PathLike = str | os.PathLike


def read(path: PathLike, *, format: str | None = None) -> SpikeTrains:
    """Read a SpikeTrains file.

    Parameters
    ----------
    path : str or os.PathLike
        File to read; its extension chooses the format (see the module table).
    format : {"netcdf", "npz"}, optional
        Force a format whatever the extension.

    Returns
    -------
    SpikeTrains
        Equal to the object that was written.

    Raises
    ------
    MissingFileError
        ``path`` does not exist (also a ``FileNotFoundError``).
    FileFormatError
        Unsupported extension, a folder, or a file that is truncated, corrupt,
        in another format or not a spikestats file.
    ValidationTypeError
        ``path`` is not a str or path.
    """
    target = as_path(path)
    fmt = lookup(target, format)
    check_readable(target, directory=fmt.directory)
    return fmt.codec().load(target)


def write(st: SpikeTrains, path: PathLike, *, overwrite: bool = True, format: str | None = None) -> None:
    """Write a SpikeTrains file atomically.

    The file is written to a temporary file in the same folder and moved
    onto ``path`` only when complete, so a failed or interrupted write leaves
    any existing file at ``path`` as it was.

    Parameters
    ----------
    st : SpikeTrains
        The trains to store.
    path : str or os.PathLike
        Destination; its extension chooses the format. Its folder must exist.
    overwrite : bool, default True
        Replace an existing file. With False, an existing file raises
        :class:`ExistingFileError` and is left untouched.
    format : {"netcdf", "npz"}, optional
        Force a format whatever the extension.

    Raises
    ------
    ValidationTypeError
        ``st`` is not a SpikeTrains, or ``path`` is not a str or path.
    MissingFileError
        The destination folder does not exist.
    ExistingFileError
        A file exists at ``path`` and ``overwrite=False`` (also a ``FileExistsError``).
    FileFormatError
        Unsupported extension, or ``path`` is a folder.
    """
    check_spiketrains(st)
    overwrite = check_bool("overwrite", overwrite)
    target = as_path(path)
    fmt = lookup(target, format)
    check_writable(target, overwrite=overwrite, directory=fmt.directory)
    codec = fmt.codec()
    with atomic_target(target, overwrite=overwrite) as tmp:
        codec.save(st, tmp)
