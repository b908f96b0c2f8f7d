"""The table of file formats: extension -> codec module.

A codec is a module with two functions, called on checked paths only:

``load(path: pathlib.Path) -> SpikeTrains``
    Read an existing file; raise :class:`~spikestats.exceptions.FileFormatError`
    naming ``path`` for content that is not a valid SpikeTrains file.
``save(st: SpikeTrains, path: pathlib.Path) -> None``
    Write ``st`` to ``path`` (a fresh temporary file that the caller moves
    into place, so a failure may leave it half written).

Both may take keyword options (``load(path, bin_size=...)``); ``read`` and
``write`` pass on the options the user gives. Adding a format means writing
its codec module and adding one :class:`FileFormat` entry to :data:`FORMATS`;
codecs are imported only when used, so heavy optional dependencies stay
unloaded.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from spikestats._validation import check_option
from spikestats.exceptions import FileFormatError, ValidationTypeError


@dataclass(frozen=True)
class FileFormat:
    """One supported file format.

    Attributes
    ----------
    name : str
        Short name accepted by ``format=`` (``"netcdf"``).
    suffixes : tuple of str
        Lower-case file extensions, dot included (``(".nc",)``).
    module : str
        Import path of the codec module.
    description : str
        One line for messages and docs.
    directory : bool
        The "file" is a folder (e.g. a Zarr store).
    """

    name: str
    suffixes: tuple[str, ...]
    module: str
    description: str
    directory: bool = False

    def codec(self) -> ModuleType:
        """The codec module (imported on first use)."""
        return importlib.import_module(self.module)


FORMATS: tuple[FileFormat, ...] = (
    FileFormat("netcdf", (".nc",), "spikestats.io.netcdf", "netCDF4 (HDF5) file of the spiketrains xarray schema"),
    FileFormat("npz", (".npz",), "spikestats.io.npz", "numpy .npz archive of the spiketrains schema"),
    FileFormat("zarr", (".zarr",), "spikestats.io.zarrstore", "Zarr store (a folder) of the spiketrains xarray schema",
               directory=True),
    FileFormat("nwb", (".nwb",), "spikestats.io.nwb", "NWB 2 file: Units table, trials and epochs (pynwb)"),
    FileFormat("csv", (".csv",), "spikestats.io.text", "comma-separated (unit, [trial,] time) rows with a header"),
    FileFormat("tsv", (".tsv",), "spikestats.io.tsv", "tab-separated (unit, [trial,] time) rows with a header"),
    FileFormat("mat", (".mat",), "spikestats.io.matlab", "MATLAB v5 file: cell arrays of spike times, 0/1 matrices, "
               "MatClust tetrode structs"),
    FileFormat("nir", (".nir",), "spikestats.io.nirdata", "NIR graph data (NIRGraphData) with spike EventData"),
)


def supported_suffixes() -> list[str]:
    """Every registered extension, in registry order."""
    return [suffix for fmt in FORMATS for suffix in fmt.suffixes]


def lookup(path: Path, format: str | None = None) -> FileFormat:
    """The format named ``format``, or else the one registered for ``path``'s extension.

    Raises
    ------
    ValidationError
        ``format`` is not a registered name (with a did-you-mean).
    FileFormatError
        The extension is not registered; the message lists the supported
        extensions and suggests the closest one.
    """
    if format is not None:
        check_option("format", format, [fmt.name for fmt in FORMATS])
        return next(fmt for fmt in FORMATS if fmt.name == format)
    suffix = path.suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.suffixes:
            return fmt
    known = supported_suffixes()
    close = difflib.get_close_matches(suffix, known, n=1, cutoff=0.6) if suffix else []
    hint = f"Did you mean {close[0]!r}?" if close else "Rename the file or pass `format=`."
    got = f"'{path}' with extension {suffix!r}" if suffix else f"'{path}' with no extension"
    raise FileFormatError(f"`path` must end in one of {known}; got {got}. {hint}")


def check_options(func, options: dict, name: str) -> None:
    """Raise :class:`ValidationTypeError` for an option ``func`` (a codec's load or save) does not take."""
    accepted = [p.name for p in inspect.signature(func).parameters.values() if p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        close = difflib.get_close_matches(unknown[0], accepted, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValidationTypeError(f"`{unknown[0]}` must be an option of the {name} format ({accepted or 'none'}); "
                                  f"got {unknown}.{hint}")
