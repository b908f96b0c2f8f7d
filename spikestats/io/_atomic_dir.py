"""Atomic replacement of a folder-based store (e.g. a Zarr directory).

The store is written into a fresh temporary folder beside the target and
renamed onto it only when complete. An existing store at the target is first
renamed aside and deleted only after the new one is in place, so a failed
write leaves the old store (or nothing) at the target, never a half-written one.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spikestats.io._paths import refuse_existing


@contextmanager
def atomic_directory(path: Path, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a path (not yet existing) in ``path``'s folder; move what is written there onto ``path``.

    Parameters
    ----------
    path : pathlib.Path
        Final location of the store; its folder must exist.
    overwrite : bool, default True
        Replace an existing store (checked again just before the move).

    Yields
    ------
    pathlib.Path
        ``.<name>.<random>.tmp<suffix>`` inside a private temporary folder
        beside ``path``; the writer creates it.
    """
    holder = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    tmp = holder / path.name
    try:
        yield tmp
        if not overwrite:
            refuse_existing(path)
        old = None
        if os.path.lexists(path):
            old = holder / f"old.{secrets.token_hex(4)}"
            os.replace(path, old)
        try:
            os.replace(tmp, path)
        except BaseException:
            if old is not None:
                os.replace(old, path)
            raise
    finally:
        shutil.rmtree(holder, ignore_errors=True)
