"""Reading and writing SpikeTrains files, chosen by extension.

=========  ==========  ==================================================
extension  ``format``  container
=========  ==========  ==================================================
``.nc``    netcdf      netCDF4 (HDF5) file of the xarray schema
``.npz``   npz         numpy ``.npz`` archive of the same schema
``.zarr``  zarr        Zarr store (a folder) of the same schema
``.nwb``   nwb         NWB 2 file: Units table, trials, epochs (pynwb)
``.csv``   csv         comma-separated ``unit,[trial,]time`` rows
``.tsv``   tsv         tab-separated ``unit,[trial,]time`` rows
``.mat``   mat         MATLAB v5: cell arrays, 0/1 matrices, MatClust structs
``.nir``   nir         NIR ``NIRGraphData`` with spike ``EventData``
=========  ==========  ==================================================

Each format also has explicit functions (:func:`read_nwb` / :func:`write_nwb`,
``read_mat``, ``read_csv``, ``read_zarr``, ``read_nir_data`` and their
writers) with the format's options as keywords.
In-memory conversions: :func:`from_neo` / :func:`to_neo` (Neo ``SpikeTrain``
lists, ``Segment``, ``Block``), :func:`from_pynapple` / :func:`to_pynapple`
(``TsGroup``, ``IntervalSet``). What each format holds and loses is listed in
``docs/IO.md``; optional libraries are imported only when used, and a missing
one raises an error naming the extra (``pip install "spikestats[nwb]"``).

The schema (variables, dimensions, attributes) is documented in
:mod:`spikestats.xarray.schema` and ``docs/SCHEMA.md``. Round trips through
files written by spikestats are exact: times bit for bit, windows, offsets,
labels with their kind (int or str) and the metadata (NIR needs one train per
(trial, unit) pair; see ``docs/IO.md``).

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
from spikestats.io._atomic_dir import atomic_directory
from spikestats.io._convert import from_neo, from_pynapple, to_neo, to_pynapple
from spikestats.io.named import (read_csv, read_mat, read_nir_data, read_nwb, read_zarr, write_csv, write_mat,
                                 write_nir_data, write_nwb, write_zarr)
from spikestats.io._layout import check_spiketrains
from spikestats.exceptions import ExistingFileError, MissingFileError
from spikestats.io._paths import as_path, check_readable, check_writable
from spikestats.io._registry import FORMATS, FileFormat, check_options, lookup

__all__ = ["read", "write", "FORMATS", "FileFormat", "MissingFileError", "ExistingFileError",
           "from_neo", "to_neo", "from_pynapple", "to_pynapple", "read_nwb", "write_nwb", "read_mat", "write_mat",
           "read_csv", "write_csv", "read_zarr", "write_zarr", "read_nir_data", "write_nir_data"]

PathLike = str | os.PathLike


def read(path: PathLike, *, format: str | None = None, **options) -> SpikeTrains:
    """Read a SpikeTrains file.

    Parameters
    ----------
    path : str or os.PathLike
        File to read; its extension chooses the format (see the module table).
    format : {"netcdf", "npz", "zarr", "nwb", "csv", "tsv", "mat", "nir"}, optional
        Force a format whatever the extension.
    **options
        Options of the format's reader (``docs/IO.md``): e.g. ``bin_size`` and
        ``variable`` for ``.mat``, ``time_scale`` for ``.csv``, ``split`` for
        ``.nwb``, ``node`` for ``.nir``.

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
    codec = fmt.codec()
    check_options(codec.load, options, fmt.name)
    return codec.load(target, **options)


def write(st: SpikeTrains, path: PathLike, *, overwrite: bool = True, format: str | None = None,
          **options) -> None:
    """Write a SpikeTrains file atomically.

    The file is written to a temporary file in the same folder and moved
    onto ``path`` only when complete, so a failed or interrupted write leaves
    any existing file at ``path`` as it was.

    Parameters
    ----------
    st : SpikeTrains or xarray.Dataset
        The trains to store; a Dataset is first checked against the schema
        (:func:`spikestats.xarray.validate`), so a bad one writes nothing.
    path : str or os.PathLike
        Destination; its extension chooses the format. Its folder must exist.
    overwrite : bool, default True
        Replace an existing file. With False, an existing file raises
        :class:`ExistingFileError` and is left untouched.
    format : {"netcdf", "npz", "zarr", "nwb", "csv", "tsv", "mat", "nir"}, optional
        Force a format whatever the extension.
    **options
        Options of the format's writer (``docs/IO.md``).

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
    if type(st).__module__.startswith("xarray"):
        from spikestats.xarray.validate import validate

        st = SpikeTrains.from_xarray(validate(st))
    check_spiketrains(st)
    overwrite = check_bool("overwrite", overwrite)
    target = as_path(path)
    fmt = lookup(target, format)
    check_writable(target, overwrite=overwrite, directory=fmt.directory)
    codec = fmt.codec()
    check_options(codec.save, options, fmt.name)
    with (atomic_directory if fmt.directory else atomic_target)(target, overwrite=overwrite) as tmp:
        codec.save(st, tmp, **options)
