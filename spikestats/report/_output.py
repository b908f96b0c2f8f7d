"""Writing the report's files safely.

Every file is written to a temporary file beside its target and moved into
place when complete, so an interrupted report never leaves a half-written
file. Nothing else in the output folder is touched and nothing is deleted:
the report keeps the list of files it wrote in :data:`MANIFEST` and refuses
to replace a file of the same name that it did not write (a user's own
``results.nc``, say).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from spikestats.exceptions import ValidationError
from spikestats.io._atomic import atomic_target
from spikestats.report._section import FigureSpec

#: File in the output folder listing the files the report wrote there (JSON).
MANIFEST = ".spikestats-report.json"


def output_folder(out_dir: str | os.PathLike) -> Path:
    """Create ``out_dir`` (with parents) if needed and return it.

    Raises
    ------
    ValidationError
        ``out_dir`` exists and is not a folder.
    """
    path = Path(os.fspath(out_dir)).expanduser()
    if path.exists() and not path.is_dir():
        raise ValidationError(f"`out_dir` must be a folder; got '{path}', which is a file.")
    path.mkdir(parents=True, exist_ok=True)
    return path


def refuse_input(targets: Sequence[Path], input_path: str | os.PathLike | None) -> None:
    """Raise if writing ``targets`` would replace the input file.

    Raises
    ------
    ValidationError
        One of ``targets`` is the input file (the report never overwrites its data).
    """
    if input_path is None:
        return
    source = Path(os.fspath(input_path))
    for target in targets:
        if target.exists() and source.exists() and os.path.samefile(target, source):
            raise ValidationError(f"`out_dir` must not hold the input file under a name the report writes; got "
                                  f"'{target}', which is the input. Choose another output folder.")


def claim(folder: Path, names: Sequence[str]) -> None:
    """Record ``names`` as the report's files in ``folder``, refusing files it did not write.

    Call before writing: the manifest lists a file before it exists, so an
    interrupted report never leaves files it would later refuse to replace.

    Raises
    ------
    ValidationError
        A file named like one of ``names`` exists in ``folder`` and is not
        listed in the manifest of an earlier report.
    """
    owned = _owned(folder)
    foreign = [n for n in names if n not in owned and os.path.lexists(folder / n)]
    if foreign:
        raise ValidationError(f"`out_dir` must not hold files of the same names that the report did not write; "
                              f"got '{folder}', which holds {foreign}. Move them, or choose another output folder.")
    record = {"generator": "spikestats report", "files": sorted(owned | set(names))}
    write_text(folder / MANIFEST, json.dumps(record, indent=1) + "\n")


def _owned(folder: Path) -> set[str]:
    """Files the manifest in ``folder`` lists (none when it is absent or unreadable)."""
    try:
        record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return {str(n) for n in record["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def write_file(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then move it onto ``path``."""
    with atomic_target(path) as tmp:
        write(tmp)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text to ``path`` atomically."""
    write_file(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def render_figure(spec: FigureSpec, path: Path, dpi: int) -> None:
    """Draw ``spec`` and save it to ``path`` as PNG, atomically."""
    from spikestats.plotting import save_png

    write_file(path, lambda tmp: save_png(spec.draw, tmp, size=spec.size, dpi=dpi))
