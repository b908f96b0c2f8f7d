"""Path checks for reading and writing, and the file-system errors they raise."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from spikestats._validation import describe
from spikestats.exceptions import ExistingFileError, FileFormatError, MissingFileError, ValidationTypeError


def as_path(path: Any, name: str = "path") -> Path:
    """``path`` (str or os.PathLike) as a :class:`~pathlib.Path` with ``~`` expanded."""
    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
        raise ValidationTypeError(f"`{name}` must be a str or os.PathLike file path; got {describe(path)}.")
    return Path(os.fspath(path)).expanduser()


def check_readable(path: Path, *, directory: bool = False) -> None:
    """Raise unless ``path`` exists and is a file (or a folder, for folder-based formats)."""
    if not path.exists():
        raise MissingFileError(f"`path` must be an existing {'folder' if directory else 'file'}; "
                               f"got '{path}', which does not exist.", path)
    if path.is_dir() != directory:
        raise FileFormatError(f"`path` must be a {'folder' if directory else 'file'}; got '{path}', which is a "
                              f"{'folder' if path.is_dir() else 'file'}.")


def check_writable(path: Path, *, overwrite: bool, directory: bool = False) -> None:
    """Raise unless a file may be written at ``path``.

    The parent folder must exist, ``path`` must not be a folder (for
    file-based formats), and with ``overwrite=False`` nothing may exist there.
    """
    parent = path.parent
    if not parent.is_dir():
        raise MissingFileError(f"`path` must be in an existing folder; got '{path}', whose folder '{parent}' "
                               f"does not exist.", path)
    if path.is_dir() and not directory:
        raise FileFormatError(f"`path` must be a file path; got '{path}', which is a folder.")
    if not overwrite:
        refuse_existing(path)


def refuse_existing(path: Path) -> None:
    """Raise :class:`ExistingFileError` if anything exists at ``path``."""
    if os.path.lexists(path):
        raise ExistingFileError(f"`path` must not exist when `overwrite=False`; got '{path}', which exists. "
                                f"Pass `overwrite=True` to replace it.", path)
