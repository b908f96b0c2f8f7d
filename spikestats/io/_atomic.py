"""Atomic file replacement: write beside the target, then ``os.replace``.

A failed or interrupted write leaves whatever was at the target untouched and
removes its temporary file.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from spikestats.io._paths import refuse_existing

_ATTEMPTS = 100


@contextmanager
def atomic_target(path: Path, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a fresh empty temporary file in ``path``'s folder; move it onto ``path`` on success.

    Parameters
    ----------
    path : pathlib.Path
        Final location. Its folder must exist.
    overwrite : bool, default True
        Replace an existing file at ``path``. With False the check is repeated
        just before the move (:class:`~spikestats.io.ExistingFileError`).

    Yields
    ------
    pathlib.Path
        Temporary path ``.<stem>.<random>.tmp<suffix>`` beside ``path``, created
        empty with the default permissions (those of the file it replaces,
        if any). Write the whole file there.

    Notes
    -----
    On any exception (including ``KeyboardInterrupt``) inside the block the
    temporary file is deleted and the exception propagates; ``path`` is not
    touched. ``os.replace`` is atomic on POSIX and Windows within one folder.
    """
    tmp = _reserve(path)
    try:
        if path.is_file():
            shutil.copymode(path, tmp)
        yield tmp
        if not overwrite:
            refuse_existing(path)
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _reserve(path: Path) -> Path:
    """Create an empty, uniquely named file beside ``path`` and return its path."""
    for _ in range(_ATTEMPTS):
        tmp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"could not create a temporary file beside '{path}' after {_ATTEMPTS} attempts")
